#!/bin/bash
# tests/system/vpc-traffic.sh: real traffic between instances of a VPC on
# a 2-chassis lab, everything made through the AWS CLI.  Instances are
# network namespaces attached to ENIs with "plink-lab attach".  Ping works
# within a subnet and between subnets, on one chassis and across chassis
# (GENEVE); TCP (curl from a python http.server) works across chassis once
# the server's security group allows port 80 and not before; jumbo frames
# (8900 bytes, don't fragment) cross chassis; a second VPC with the same
# block reaches nothing of the first.  Prints the ping RTT and the curl
# transfer rate across chassis.
. "$(dirname "$0")/../lib.sh"
test_init vpc-traffic

. "$(dirname "$0")/traffic.bash"
traffic_lab_up 2
# shellcheck disable=SC1091
source "$lab/env"

# pings FROM IP: FROM pings IP (3 echoes, one must come back; the first
# packet across chassis may go while the underlay neighbour is resolved).
pings() {
    on "$1" ping -c 3 -i 0.2 -W 1 "$2" >"$TEST_DIR/ping" 2>&1 &&
        grep -qE ' [1-9][0-9]* received' "$TEST_DIR/ping"
}

# ------------------------------------------------------------ the VPC
start=$(date +%s)
vpc=$(ec2 consumer create-vpc --cidr-block 10.0.0.0/16 --query Vpc.VpcId) || fail "create-vpc"
s1=$(ec2 consumer create-subnet --vpc-id "$vpc" --cidr-block 10.0.1.0/24 \
         --availability-zone us-east-1a --query Subnet.SubnetId) || fail "create-subnet"
s2=$(ec2 consumer create-subnet --vpc-id "$vpc" --cidr-block 10.0.2.0/24 \
         --availability-zone us-east-1b --query Subnet.SubnetId) || fail "create-subnet"
sg_default=$(ec2 consumer describe-security-groups \
                 --filters "Name=vpc-id,Values=$vpc" Name=group-name,Values=default \
                 --query 'SecurityGroups[0].GroupId') || fail "describe-security-groups"
# The web servers' group: ICMP from the VPC, and (later) HTTP.
sg_web=$(ec2 consumer create-security-group --vpc-id "$vpc" --group-name web \
             --description "web servers" --query GroupId) || fail "create-security-group"
check ec2 consumer authorize-security-group-ingress --group-id "$sg_web" \
    --ip-permissions 'IpProtocol=icmp,FromPort=-1,ToPort=-1,IpRanges=[{CidrIp=10.0.0.0/16}]'

# Instances: i1 (subnet 1) and i2 (subnet 2) and i4 (subnet 1) on hv1, in
# the default group; the web server i3 (subnet 2) on hv2, in "web" only.
read -r eni1 ip1 <<<"$(eni consumer "$s1")" || fail "create-network-interface"
read -r eni2 ip2 <<<"$(eni consumer "$s2")" || fail "create-network-interface"
read -r eni3 ip3 <<<"$(eni consumer "$s2" "$sg_web")" || fail "create-network-interface"
read -r eni4 ip4 <<<"$(eni consumer "$s1" "$sg_default")" || fail "create-network-interface"
check lab attach "$eni1" i1 --chassis 1
check lab attach "$eni2" i2 --chassis 1
check lab attach "$eni3" i3 --chassis 2
check lab attach "$eni4" i4 --chassis 1
echo "VPC $vpc: i1 $ip1, i4 $ip4 (subnet 1, hv1), i2 $ip2 (subnet 2, hv1), i3 $ip3 (subnet 2, hv2); $(($(date +%s) - start)) s"

# attach refuses what it cannot do, and changes nothing then.
for args in "" "$eni1" "$eni1 i1 --chassis x" "$eni1 i1 --bogus" "$eni1 hv1"; do
    # shellcheck disable=SC2086
    plink-lab attach --dir "$lab" $args >"$TEST_DIR/stdout" 2>"$TEST_DIR/stderr"
    rc=$?
    [ $rc = 2 ] && [ "$(wc -l <"$TEST_DIR/stderr")" = 1 ] ||
        fail "plink-lab attach $args: exit $rc, expected 2 and one line"
done
check_grep '^SYNOPSIS' plink-lab attach --help
check_grep '^SYNOPSIS' plink-lab detach --help
check_fails lab attach eni-0123456789abcdef0 nope
check_grep 'there is no network interface eni-0123456789abcdef0' cat "$TEST_DIR/stderr"
check_fails lab attach "$eni1" i9 --chassis 3
check_grep 'no chassis hv3' cat "$TEST_DIR/stderr"
check_fails lab attach "$eni1" i1
check_grep 'attached already|exists already' cat "$TEST_DIR/stderr"
check_fails lab detach nope
check_output "" eval "ip netns list | grep -F -- '-i9 ' || true"

# The instances look like EC2 instances.
check_grep "mtu 9001" on i1 ip link show eth0
check_grep "^default via 10.0.1.1 dev eth0" on i1 ip route
check_grep "^nameserver 10.0.0.2$" on i1 cat /etc/resolv.conf
mac1=$(ec2 consumer describe-network-interfaces --network-interface-ids "$eni1" \
           --query 'NetworkInterfaces[0].MacAddress')
check_grep "link/ether $mac1 " on i1 ip link show eth0
check_grep "^  i3 +$eni3 +hv2 " lab status

# ------------------------------------------------------------ ping
pings i1 "$ip4" || fail "same subnet, same chassis: $(cat "$TEST_DIR/ping")"
pings i1 "$ip2" || fail "other subnet, same chassis: $(cat "$TEST_DIR/ping")"
pings i2 "$ip3" || fail "same subnet, across chassis: $(cat "$TEST_DIR/ping")"
pings i1 "$ip3" || fail "other subnet, across chassis: $(cat "$TEST_DIR/ping")"
# Everyone answers ARP for the gateway with the router's MAC.
check_grep '^10\.0\.1\.1 dev eth0 lladdr 0a:00:' on i1 ip neigh show 10.0.1.1
# Jumbo frames cross chassis: 8900 bytes of ICMP, not fragmented.
check on i1 ping -c 3 -i 0.2 -W 1 -M do -s 8900 "$ip3"
# The RTT across chassis.
check on i1 ping -c 20 -i 0.05 -W 1 "$ip3"
rtt=$(sed -n 's|^rtt min/avg/max/mdev = [0-9.]*/\([0-9.]*\)/.*|\1|p' "$TEST_DIR/stdout")
check on i1 ping -c 20 -i 0.05 -W 1 "$ip4"
rtt_local=$(sed -n 's|^rtt min/avg/max/mdev = [0-9.]*/\([0-9.]*\)/.*|\1|p' "$TEST_DIR/stdout")
# i3 is not in the default group, which admits its members only: i3
# cannot ping i1 (it answers i1's pings, which are replies).
pings i3 "$ip1" && fail "i3 is not in the default group, but pinged i1"

# ------------------------------------------------------------ TCP
mkdir "$TEST_DIR/www"
head -c 20000000 /dev/urandom >"$TEST_DIR/www/20M.bin"
echo hello >"$TEST_DIR/www/index.html"
ip netns exec "$(lab netns i3)" /usr/bin/python3 -m http.server 80 \
    --bind "$ip3" --directory "$TEST_DIR/www" >"$TEST_DIR/http.log" 2>&1 &
server=$!
on_exit "kill $server"
wait_until "on i3 ss -Hltn 'sport = :80' | grep -q ':80'"

# Port 80 is not in the web group yet: the SYN is dropped, curl times out.
check_fails on i1 curl -s --connect-timeout 2 -o /dev/null "http://$ip3/"
# Allowed: within a couple of seconds, curl works.
t0=$(date +%s%N)
check ec2 consumer authorize-security-group-ingress --group-id "$sg_web" \
    --protocol tcp --port 80 --cidr 10.0.0.0/16
wait_until "on i1 curl -s --max-time 2 -o /dev/null http://$ip3/" 5
took=$((($(date +%s%N) - t0) / 1000000))
check_output hello on i1 curl -s --max-time 5 "http://$ip3/"
# 20 MB across chassis.
check on i1 curl -s --max-time 60 -o /dev/null -w '%{http_code} %{size_download} %{time_total} %{speed_download}\n' \
    "http://$ip3/20M.bin"
read -r code size secs rate <"$TEST_DIR/stdout"
[ "$code" = 200 ] && [ "$size" = 20000000 ] || fail "20M.bin: $(cat "$TEST_DIR/stdout")"
# Within subnet 1 on hv1, TCP as well (i4 has no server: refused, which
# proves the RST came back).
check_grep 'Connection refused|Failed to connect' \
    eval "on i1 curl -sS --connect-timeout 2 http://$ip4/ 2>&1 || true"

# ------------------------------------------------------------ VPC 2
# The same block, a subnet with the same block as subnet 1: its first
# interface even gets i1's address.  It reaches nothing of VPC 1, and VPC 1
# still reaches i1 (not its twin) at that address.
vpc2=$(ec2 consumer create-vpc --cidr-block 10.0.0.0/16 --query Vpc.VpcId) || fail "create-vpc"
t1=$(ec2 consumer create-subnet --vpc-id "$vpc2" --cidr-block 10.0.1.0/24 --query Subnet.SubnetId) ||
    fail "create-subnet"
read -r enix ipx <<<"$(eni consumer "$t1")" || fail "create-network-interface"
check lab attach "$enix" x1 --chassis 2
echo "VPC $vpc2: x1 $ipx (hv2)"
for ip in "$ip4" "$ip2" "$ip3"; do
    pings x1 "$ip" && fail "VPC 2 reached $ip in VPC 1"
done
pings i4 "$ip1" || fail "VPC 1 lost i1 ($ip1): $(cat "$TEST_DIR/ping")"
check_grep "^$ip1 dev eth0 lladdr $mac1 " on i4 ip neigh show "$ip1"
check_fails on x1 curl -s --connect-timeout 2 -o /dev/null "http://$ip3/"

# ------------------------------------------------------------ detach
check lab detach i4
check_fails ip netns exec "$(lab netns i4)" true
check_fails eval "lab status | grep -q '^  i4 '"
pings i1 "$ip4" && fail "i4 answered after detach"

# ------------------------------------------------------------ clean up
kill "$server"
wait_until "! pid_running $server"
traffic_lab_check_logs
check lab down
check_fails ip netns exec "$(lab netns i1)" true
[ -z "$(ip netns list | grep -F "$(lab netns i1 | sed 's/-i1$//')-")" ] ||
    fail "namespaces left: $(ip netns list)"
[ ! -e "/etc/netns/$(lab netns i1)" ] || fail "/etc/netns/$(lab netns i1) left"

printf 'vpc-traffic: ping RTT %s ms across chassis, %s ms on one chassis; 20 MB by curl across chassis in %s s (%s MB/s); HTTP allowed %s ms after authorize-security-group-ingress; %s s in all\n' \
    "$rtt" "$rtt_local" "$secs" "$(echo "scale=1; $rate / 1000000" | bc)" "$took" "$(($(date +%s) - start))"
