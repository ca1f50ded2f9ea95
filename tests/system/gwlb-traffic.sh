#!/bin/bash
# tests/system/gwlb-traffic.sh: traffic steered through inspection
# appliances by a Gateway Load Balancer endpoint, on a 2-chassis lab,
# everything made through the AWS CLI (plctl for ELBv2) and plink-lab.
#
# The provider's security VPC 10.1.0.0/16: appliances appl1 (hv1) and
# appl2 (hv2) running utilities/plink-appliance (and a TCP listener on 80
# for the health checks), a gateway load balancer with a GENEVE target
# group, an endpoint service.  The consumer's VPC 10.0.0.0/16: instance c1
# (hv2) in the application subnet, a GWLB endpoint in its own subnet, an
# internet gateway with its stand-in "inet" (hv1); the guide's inspection
# topology: application subnet 0.0.0.0/0 -> endpoint, endpoint subnet
# 0.0.0.0/0 -> internet gateway, gateway route table (associated with the
# internet gateway) application subnet -> endpoint.
#
# c1's outbound HTTP to the internet and the internet's inbound HTTP to c1
# pass an appliance (its counters show both directions of each flow) and
# succeed; a drop rule of the appliance blocks a port end to end; with two
# appliances, flows spread over both and each flow (both directions) stays
# on one; an appliance that stops answering its health checks gets no new
# flow, and the traffic goes on through the other; deleting the endpoint
# while a route points to it is refused; without the routes, traffic goes
# straight to the internet gateway, past the appliances.
. "$(dirname "$0")/../lib.sh"
test_init gwlb-traffic
. "$(dirname "$0")/traffic.bash"
traffic_lab_up 2

mkdir "$TEST_DIR/www"
echo "internet page" >"$TEST_DIR/www/index.html"

# appliance NAME IP [ARGS...]: starts plink-appliance in instance NAME on
# IP, its counters in $TEST_DIR/NAME.stats; sets APPL_PID.
appliance() {
    local name=$1 ip=$2
    shift 2
    rm -f "$TEST_DIR/$name.stats"
    ip netns exec "$(lab netns "$name")" plink-appliance --listen "$ip" \
        --stats "$TEST_DIR/$name.stats" --log-file="$TEST_DIR/$name.log" "$@" &
    APPL_PID=$!
    on_exit "kill $APPL_PID 2>/dev/null"
    wait_until "[ -s '$TEST_DIR/$name.stats' ]"
}

# listener NAME IP PORT: python's http.server on IP:PORT in NAME (the
# health checks' and the tests' TCP server); prints its PID.
listener() {
    ip netns exec "$(lab netns "$1")" /usr/bin/python3 -m http.server "$3" \
        --bind "$2" --directory "$TEST_DIR/www" >/dev/null 2>&1 &
    on_exit "kill $! 2>/dev/null"
    echo $!
}

# total NAME: the packets appliance NAME has returned or dropped so far.
total() {
    sed -n 's/^total packets=\([0-9]*\) .*/\1/p' "$TEST_DIR/$1.stats"
}

# flows NAME: the flows appliance NAME saw, one "SRC DST" per line.
flows() {
    awk '/^tcp/ {print $2, $3}' "$TEST_DIR/$1.stats" | sort
}

# get FROM URL [CURL-ARGS...]: curl from instance FROM; prints the body.
get() {
    local from=$1 url=$2
    shift 2
    on "$from" curl -s --connect-timeout 3 --max-time 5 "$@" "$url"
}

# health IP: the health of target IP.
health() {
    elb describe-target-health --target-group-arn "$tg" |
        json "[d[\"TargetHealth\"][\"State\"] for d in f[\"TargetHealthDescriptions\"] if d[\"Target\"][\"Id\"] == \"$1\"][0]"
}

# ------------------------------------------------------------ provider
gwlb_provider --health-check-interval-seconds 5 \
    --health-check-timeout-seconds 2 --healthy-threshold-count 2 \
    --unhealthy-threshold-count 2
read -r eni_a1 ip_a1 <<<"$(eni provider "$psub" "$psg")" || fail appl1
read -r eni_a2 ip_a2 <<<"$(eni provider "$psub" "$psg")" || fail appl2
check lab attach "$eni_a1" appl1 --chassis 1
check lab attach "$eni_a2" appl2 --chassis 2
health_a1=$(listener appl1 "$ip_a1" 80)
health_a2=$(listener appl2 "$ip_a2" 80)
appliance appl1 "$ip_a1"
appl1=$APPL_PID
check elb register-targets --target-group-arn "$tg" --targets "Id=$ip_a1"

# ------------------------------------------------------------ consumer
gwlb_consumer
check ec2 consumer authorize-security-group-ingress --group-id "$csg" \
    --protocol tcp --port 80 --cidr 0.0.0.0/0
listener inet 198.51.100.10 80 >/dev/null
listener inet 198.51.100.10 8080 >/dev/null
listener c1 "$ip_c1" 80 >/dev/null
gwlb_routes
check_output "available" ec2 consumer describe-vpc-endpoints \
    --vpc-endpoint-ids "$ept" --query 'VpcEndpoints[0].State'

# ------------------------------------------------------------ through appl1
wait_until "get c1 http://198.51.100.10/ | grep -q 'internet page'" 15
n=$(total appl1)
check_output "internet page" get c1 http://198.51.100.10/ --local-port 41000
check_output "internet page" get inet "http://$ip_c1/" --local-port 42000
sleep 1.2
[ "$(total appl1)" -gt "$n" ] || fail "appl1's counters did not rise"
# Both directions of each flow, with the GWLB options.
check_grep "^tcp $ip_c1:41000 198\.51\.100\.10:80 packets=[1-9].* endpoint=0x${ept: -16} " \
    cat "$TEST_DIR/appl1.stats"
check_grep "^tcp 198\.51\.100\.10:80 $ip_c1:41000 packets=[1-9]" cat "$TEST_DIR/appl1.stats"
check_grep "^tcp 198\.51\.100\.10:42000 $ip_c1:80 packets=[1-9]" cat "$TEST_DIR/appl1.stats"
check_grep "^tcp $ip_c1:80 198\.51\.100\.10:42000 packets=[1-9]" cat "$TEST_DIR/appl1.stats"
check_grep '^total .* invalid=0$' cat "$TEST_DIR/appl1.stats"

# ------------------------------------------------------------ drop rule
kill "$appl1"
wait "$appl1" 2>/dev/null
appliance appl1 "$ip_a1" --drop-dport 8080
appl1=$APPL_PID
wait_until "get c1 http://198.51.100.10/ | grep -q 'internet page'" 10
[ -z "$(get c1 http://198.51.100.10:8080/)" ] ||
    fail "port 8080 passed the appliance's drop rule"
sleep 1.2
check_grep "^tcp $ip_c1:[0-9]+ 198\.51\.100\.10:8080 packets=([0-9]+) dropped=\1 " \
    cat "$TEST_DIR/appl1.stats"
kill "$appl1"
wait "$appl1" 2>/dev/null
appliance appl1 "$ip_a1"
appl1=$APPL_PID

# ------------------------------------------------------------ two appliances
appliance appl2 "$ip_a2"
appl2=$APPL_PID
check elb register-targets --target-group-arn "$tg" --targets "Id=$ip_a2"
wait_until "[ \"\$(health $ip_a2)\" = healthy ]" 30
for p in $(seq 43000 43015); do
    check_output "internet page" get c1 http://198.51.100.10/ --local-port "$p"
done
sleep 1.2
one=$(flows appl1 | grep -cE ':430[01][0-9]( |$)' || true)
two=$(flows appl2 | grep -cE ':430[01][0-9]( |$)' || true)
[ "$one" -gt 0 ] && [ "$two" -gt 0 ] ||
    fail "the flows were not spread: appl1 $one, appl2 $two"
[ $((one + two)) = 32 ] || fail "expected 32 flow directions, got $one + $two"
for p in $(seq 43000 43015); do
    for a in appl1 appl2; do
        fwd=$(flows $a | grep -c "^$ip_c1:$p " || true)
        rev=$(flows $a | grep -c " $ip_c1:$p$" || true)
        [ "$fwd" = "$rev" ] ||
            fail "flow $p: $a saw $fwd forward and $rev reverse directions"
    done
done

# ------------------------------------------------------------ health
# appl2 stops answering its health checks (and forwarding): unhealthy,
# and every new flow goes through appl1.
kill "$health_a2" "$appl2"
wait_until "[ \"\$(health $ip_a2)\" = unhealthy ]" 30
for p in $(seq 44000 44007); do
    check_output "internet page" get c1 http://198.51.100.10/ --local-port "$p"
done
sleep 1.2
check_output 16 eval "flows appl1 | grep -cE ':4400[0-7]( |$)'"

# ------------------------------------------------------------ routes
check_output DependencyViolation ec2 consumer delete-vpc-endpoints \
    --vpc-endpoint-ids "$ept" --query 'Unsuccessful[0].Error.Code'
check ec2 consumer replace-route --route-table-id "$rapp" \
    --destination-cidr-block 0.0.0.0/0 --gateway-id "$igw"
check ec2 consumer delete-route --route-table-id "$redge" \
    --destination-cidr-block 10.0.1.0/24
sleep 1.2
n=$(total appl1)
wait_until "get c1 http://198.51.100.10/ | grep -q 'internet page'" 10
check_output "internet page" get inet "http://$ip_c1/"
sleep 1.2
check_output "$n" total appl1
check ec2 consumer delete-route --route-table-id "$rapp" \
    --destination-cidr-block 0.0.0.0/0
check ec2 consumer delete-vpc-endpoints --vpc-endpoint-ids "$ept"

traffic_lab_check_logs
check lab down
