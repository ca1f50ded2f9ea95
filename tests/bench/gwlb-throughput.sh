#!/bin/bash
# tests/bench/gwlb-throughput.sh: on a 2-chassis lab, in one run, the
# guide's inspection topology (as tests/system/gwlb-traffic.sh builds it:
# instance c1 on hv2, the internet stand-in and appliance appl1 on hv1)
# against the plain path of the same instance and stand-in, the routes
# replaced to go straight through the internet gateway:
#  - a 20 MB HTTP transfer from the internet stand-in to the instance;
#  - the round-trip time from the instance to the stand-in (ping -c 20
#    -i 0.2, the average).
# Prints a table with both paths' figures and their ratios (appliance /
# plain).  Everything through the AWS CLI, plctl and plink-lab.
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top" || exit 1
source tests/lib.sh
test_init bench-gwlb
source tests/system/traffic.bash
traffic_lab_up 2

inet_ip=198.51.100.10
mkdir "$TEST_DIR/www"
echo "internet page" >"$TEST_DIR/www/index.html"
head -c 20000000 /dev/urandom >"$TEST_DIR/www/20M.bin"

# listener NAME IP: python's http.server on IP:80 in instance NAME.
listener() {
    ip netns exec "$(lab netns "$1")" /usr/bin/python3 -m http.server 80 \
        --bind "$2" --directory "$TEST_DIR/www" >/dev/null 2>&1 &
    on_exit "kill $! 2>/dev/null"
}

# total: the packets the appliance has returned or dropped so far.
total() {
    sed -n 's/^total packets=\([0-9]*\) .*/\1/p' "$TEST_DIR/appl1.stats"
}

# consumer_wait ARGS...: plctl as the consumer, returning once every
# chassis has realized the change.
consumer_wait() {
    plctl --endpoint-url "http://127.0.0.1:$port" --profile consumer \
        --wait=hv "$@"
}

# Provider: the security VPC, appliance appl1 on hv1, the GWLB, a service.
gwlb_provider
read -r eni_a1 ip_a1 <<<"$(eni provider "$psub" "$psg")" || fail appl1
check lab attach "$eni_a1" appl1 --chassis 1
listener appl1 "$ip_a1"
ip netns exec "$(lab netns appl1)" plink-appliance --listen "$ip_a1" \
    --stats "$TEST_DIR/appl1.stats" --log-file="$TEST_DIR/appl1.log" \
    >/dev/null 2>&1 &
on_exit "kill $! 2>/dev/null"
wait_until "[ -s '$TEST_DIR/appl1.stats' ]"
check elb register-targets --target-group-arn "$tg" --targets "Id=$ip_a1"

# Consumer: instance c1 on hv2, the endpoint, the internet gateway and its
# stand-in on hv1, the inspection topology's three route tables.
gwlb_consumer
# (The stand-in has the internet's MTU, 1500, as traffic through an
# internet gateway has on AWS; both paths carry 1500-byte packets.)
check_output 1500 on inet cat /sys/class/net/eth0/mtu
listener inet "$inet_ip"
gwlb_routes check consumer_wait

# rate: MB/s of the 20 MB download from the stand-in to c1 (nothing if
# it did not complete).
rate() {
    on c1 curl -s -o /dev/null --max-time 120 \
        -w '%{size_download} %{speed_download}' "http://$inet_ip/20M.bin" |
        awk '$1 == 20000000 {printf "%.1f", $2 / 1e6}'
}

# rtt: the average round-trip time from c1 to the stand-in, ms.
rtt() {
    on c1 ping -q -c 20 -i 0.2 "$inet_ip" |
        sed -n 's|^rtt min/avg/max/mdev = [0-9.]*/\([0-9.]*\)/.*|\1|p'
}

# measure PATH: warms PATH up, then sets PATH_rate and PATH_rtt, and the
# packets the appliance saw meanwhile in PATH_appl.
measure() {
    local n
    wait_until "on c1 curl -s --max-time 2 http://$inet_ip/ | grep -q 'internet page'" 15
    on c1 ping -q -c 3 -i 0.2 "$inet_ip" >/dev/null ||
        fail "$1: c1 cannot ping the internet stand-in"
    sleep 1.2
    n=$(total)
    printf -v "$1_rate" '%s' "$(rate)"
    printf -v "$1_rtt" '%s' "$(rtt)"
    sleep 1.2
    printf -v "$1_appl" '%s' $(($(total) - n))
}

measure appl
# The plain path: c1's subnet straight to the gateway, nothing back to the
# endpoint.
check ec2 consumer replace-route --route-table-id "$rapp" \
    --destination-cidr-block 0.0.0.0/0 --gateway-id "$igw"
check consumer_wait delete-route --route-table-id "$redge" \
    --destination-cidr-block 10.0.1.0/24
measure plain

[ -n "$appl_rate" ] && [ -n "$plain_rate" ] && [ -n "$appl_rtt" ] &&
    [ -n "$plain_rtt" ] || fail "a measure is missing"
[ "$appl_appl" -gt 13000 ] || fail "the appliance saw only $appl_appl packets"
[ "$plain_appl" = 0 ] || fail "the plain path passed the appliance"

printf '\nGateway Load Balancer endpoint on a 2-chassis lab (one run)\n'
printf '%-58s %10s\n' "20 MB internet -> instance through the appliance, MB/s" "$appl_rate"
printf '%-58s %10s\n' "20 MB internet -> instance, plain (internet gateway), MB/s" "$plain_rate"
printf '%-58s %10.2f\n' "ratio appliance / plain" "$(echo "$appl_rate / $plain_rate" | bc -l)"
printf '%-58s %10s\n' "packets through the appliance (transfer and pings)" "$appl_appl"
printf '%-58s %10s\n' "round trip instance -> internet, appliance path, ms" "$appl_rtt"
printf '%-58s %10s\n' "round trip instance -> internet, plain, ms" "$plain_rtt"
printf '%-58s %10.2f\n' "ratio appliance / plain" "$(echo "$appl_rtt / $plain_rtt" | bc -l)"
printf '%-58s %10.3f\n' "added round-trip time, ms" "$(echo "$appl_rtt - $plain_rtt" | bc -l)"
