#!/bin/bash
# tests/system/endpoint-traffic.sh: real traffic through an interface
# endpoint on a 2-chassis lab, everything made through the AWS CLI (and
# plctl for the ELBv2 operations) and plink-lab.
#
# The provider: VPC 10.0.0.0/16, an NLB in subnet 10.0.1.0/24 with a TCP
# listener on 80 to two targets, instances t1 and t2 on hv2 running
# python's http.server (whose access log shows the client's address); a
# service that requires acceptance and allows the consumer's account.  The
# consumer: a VPC with the SAME block, instance c1 on hv1, an interface
# endpoint in its subnet.  Nothing answers at the endpoint's address
# before the provider accepts; after, curl from c1 works and the provider
# sees the NLB's address, never the consumer's; the provider cannot open a
# connection to c1; UDP and ping to the endpoint get nothing; an endpoint
# group that does not allow the port refuses the connection; connections
# spread over both targets; the health checks find a target whose server
# stops unhealthy, and new connections go to the other, until it is back;
# a deregistered target gets no new one; the SYNs reach the targets with their MSS clamped to 8460, and
# a TCP segment of 8500 bytes passes while 8501 bytes do not; a second
# consumer VPC with the same block, its instance on hv2 with the targets,
# reaches the service through its own endpoint; reject stops traffic, an
# open connection included.
#
# Prints the time from accept-vpc-endpoint-connections to the first
# successful curl, and a 20 MB curl through the endpoint against the same
# transfer between two plain ENIs across the same chassis.
. "$(dirname "$0")/../lib.sh"
test_init endpoint-traffic

. "$(dirname "$0")/traffic.bash"
traffic_lab_up 2
# shellcheck disable=SC1091
source "$lab/env"

# get URL: curl from c1 (a SYN lost on a busy machine is sent again after
# 1 s, then 3 s); prints the body.
get() {
    on c1 curl -s --connect-timeout 4 --max-time 6 "$1"
}

# poll URL: one quick try from c1 (for polling: a lost SYN would otherwise
# wait for its retransmission, a second later).
poll() {
    on c1 curl -s --connect-timeout 0.3 --max-time 1 -o /dev/null "$1"
}

# server NAME IP: starts python's http.server on IP:80 in instance NAME,
# serving $TEST_DIR/www, its access log in $TEST_DIR/NAME.log; sets
# SERVER_PID.
server() {
    ip netns exec "$(lab netns "$1")" /usr/bin/python3 -m http.server 80 \
        --bind "$2" --directory "$TEST_DIR/www" >"$TEST_DIR/$1.log" 2>&1 &
    SERVER_PID=$!
    on_exit "kill $SERVER_PID"
    wait_until "on $1 ss -Hltn 'sport = :80' | grep -q ':80'"
}

# health IP: the health of target IP, as describe-target-health has it.
health() {
    elb describe-target-health --target-group-arn "$tg" |
        json "[d[\"TargetHealth\"][\"State\"] for d in f[\"TargetHealthDescriptions\"] if d[\"Target\"][\"Id\"] == \"$1\"][0]"
}

# clients NAME: the client addresses in NAME's access log, sorted, unique.
clients() {
    sed -n 's/^\([0-9.]*\) - - .*/\1/p' "$TEST_DIR/$1.log" | sort -u
}

# hits NAME: the number of requests in NAME's access log.
hits() {
    grep -c '"GET ' "$TEST_DIR/$1.log"
}

mkdir "$TEST_DIR/www"
head -c 20000000 /dev/urandom >"$TEST_DIR/www/20M.bin"
echo hello >"$TEST_DIR/www/index.html"
start=$(date +%s)

# ------------------------------------------------------------ provider
web_provider_vpc
read -r eni_t1 ip_t1 <<<"$(eni provider "$psub" "$psg")" || fail "t1"
read -r eni_t2 ip_t2 <<<"$(eni provider "$psub" "$psg")" || fail "t2"
# p3: a plain provider instance on hv1, for the throughput comparison.
read -r eni_p3 ip_p3 <<<"$(eni provider "$psub" "$psg")" || fail "p3"
check lab attach "$eni_t1" t1 --chassis 2
check lab attach "$eni_t2" t2 --chassis 2
check lab attach "$eni_p3" p3 --chassis 1
server t1 "$ip_t1"
server_t1=$SERVER_PID
server t2 "$ip_t2"
server_t2=$SERVER_PID

check elb create-load-balancer --name web --type network --subnets "$psub"
nlb=$(json 'f["LoadBalancers"][0]["LoadBalancerArn"]' <"$TEST_DIR/stdout")
check elb create-target-group --name web --protocol TCP --port 80 \
    --vpc-id "$pvpc" --target-type ip --health-check-interval-seconds 5 \
    --health-check-timeout-seconds 2 \
    --healthy-threshold-count 2 --unhealthy-threshold-count 2
tg=$(json 'f["TargetGroups"][0]["TargetGroupArn"]' <"$TEST_DIR/stdout")
check elb register-targets --target-group-arn "$tg" \
    --targets "Id=$ip_t1" "Id=$ip_t2"
check elb create-listener --load-balancer-arn "$nlb" --protocol TCP \
    --port 80 --default-actions "Type=forward,TargetGroupArn=$tg"
# The NLB's address in the subnet: its requester-managed ENI there.
nlb_ip=$(ec2 provider describe-network-interfaces \
             --filters "Name=subnet-id,Values=$psub" \
             Name=interface-type,Values=network_load_balancer \
             --query 'NetworkInterfaces[0].PrivateIpAddress') ||
    fail "the NLB's network interface"
[[ $nlb_ip =~ ^10\.0\.1\.[0-9]+$ ]] || fail "NLB address '$nlb_ip'"

svc=$(ec2 provider create-vpc-endpoint-service-configuration \
          --network-load-balancer-arns "$nlb" --acceptance-required \
          --query ServiceConfiguration.ServiceId) || fail "create service"
svc_name=$(ec2 provider describe-vpc-endpoint-service-configurations \
               --service-ids "$svc" --query 'ServiceConfigurations[0].ServiceName')
check ec2 provider modify-vpc-endpoint-service-permissions --service-id "$svc" \
    --add-allowed-principals arn:aws:iam::222222222222:root
echo "provider $pvpc: NLB $nlb_ip, targets t1 $ip_t1 t2 $ip_t2 (hv2), p3 $ip_p3 (hv1); service $svc"

# ------------------------------------------------------------ consumer
cvpc=$(ec2 consumer create-vpc --cidr-block 10.0.0.0/16 --query Vpc.VpcId) ||
    fail "create-vpc"
csub=$(ec2 consumer create-subnet --vpc-id "$cvpc" --cidr-block 10.0.1.0/24 \
           --availability-zone us-east-1a --query Subnet.SubnetId) ||
    fail "create-subnet"
csg=$(ec2 consumer create-security-group --vpc-id "$cvpc" --group-name ept \
          --description "endpoint" --query GroupId) || fail "create-security-group"
check ec2 consumer authorize-security-group-ingress --group-id "$csg" \
    --protocol tcp --port 80 --cidr 10.0.0.0/16
# A group that allows something else only.
csg_ssh=$(ec2 consumer create-security-group --vpc-id "$cvpc" --group-name ssh \
              --description "ssh only" --query GroupId) || fail "create-security-group"
check ec2 consumer authorize-security-group-ingress --group-id "$csg_ssh" \
    --protocol tcp --port 22 --cidr 10.0.0.0/16
read -r eni_c1 ip_c1 <<<"$(eni consumer "$csub")" || fail "c1"
check lab attach "$eni_c1" c1 --chassis 1

t_create=$(date +%s%N)
ept=$(ec2 consumer create-vpc-endpoint --vpc-endpoint-type Interface \
          --vpc-id "$cvpc" --service-name "$svc_name" --subnet-ids "$csub" \
          --security-group-ids "$csg" --query VpcEndpoint.VpcEndpointId) ||
    fail "create-vpc-endpoint"
eni_e=$(ec2 consumer describe-vpc-endpoints --vpc-endpoint-ids "$ept" \
            --query 'VpcEndpoints[0].NetworkInterfaceIds[0]')
ip_e=$(ec2 consumer describe-network-interfaces --network-interface-ids "$eni_e" \
           --query 'NetworkInterfaces[0].PrivateIpAddress')
echo "consumer $cvpc: c1 $ip_c1 (hv1); endpoint $ept, its ENI $eni_e $ip_e"
check_output pendingAcceptance ec2 consumer describe-vpc-endpoints \
    --vpc-endpoint-ids "$ept" --query 'VpcEndpoints[0].State'

# ------------------------------------------------------------ before accept
# Nothing answers, not even ARP.
check_fails get "http://$ip_e/"
check_fails on c1 ping -c 1 -W 1 "$ip_e"
check_fails eval "on c1 ip neigh show $ip_e | grep -q lladdr"
[ "$(hits t1)$(hits t2)" = 00 ] || fail "a target was reached before accept"

# ------------------------------------------------------------ accept
# Times: the AWS CLI call itself (most of it is the CLI starting), from
# its answer to the flows on hv1, and to the first curl that works.
t_accept=$(date +%s%N)
check ec2 provider accept-vpc-endpoint-connections --service-id "$svc" \
    --vpc-endpoint-ids "$ept"
t_accepted=$(date +%s%N)
wait_until "ovs-ofctl -O OpenFlow15 dump-flows unix:$lab/hv1/br-int.mgmt table=81 | grep -q group:" 10
t_flows=$(date +%s%N)
wait_until "poll http://$ip_e/" 10
t_first=$(date +%s%N)
cli_ms=$(((t_accepted - t_accept) / 1000000))
flows_ms=$(((t_flows - t_accepted) / 1000000))
accept_ms=$(((t_first - t_accepted) / 1000000))
create_ms=$(((t_first - t_create) / 1000000))
wait_until "[ \"\$(ec2 consumer describe-vpc-endpoints --vpc-endpoint-ids $ept \
             --query 'VpcEndpoints[0].State')\" = available ]"
check_output hello get "http://$ip_e/"

# The provider sees the NLB's address, never the consumer's.
check_output "$nlb_ip" eval "{ clients t1; clients t2; } | sort -u"

# Connections spread over both targets (5-tuple hash: 16 connections all
# on one target would happen once in 30000 runs).
for i in $(seq 16); do
    get "http://$ip_e/" >/dev/null || fail "curl $i through the endpoint"
done
[ "$(hits t1)" -gt 0 ] && [ "$(hits t2)" -gt 0 ] ||
    fail "connections did not spread: t1 $(hits t1), t2 $(hits t2)"

# ------------------------------------------------------------ MSS and MTU
# Instances have MTU 9001 (their SYNs say MSS 8961); the endpoint carries
# 8500 bytes: the SYN that reaches a target says 8460.
dumps=()
for t in t1 t2; do
    ip netns exec "$(lab netns $t)" timeout 5 tcpdump -nn -v -i eth0 \
        'tcp[tcpflags] & tcp-syn != 0 and tcp dst port 80' \
        >"$TEST_DIR/$t.syn" 2>/dev/null &
    dumps+=($!)
done
sleep 1
for i in $(seq 8); do
    get "http://$ip_e/" >/dev/null || fail "curl $i through the endpoint"
done
wait "${dumps[@]}"
mss=$(sed -n 's/.*options \[mss \([0-9]*\),.*/\1/p' "$TEST_DIR/t1.syn" "$TEST_DIR/t2.syn" |
      sort -u | tr '\n' ' ')
[ "$mss" = "8460 " ] || fail "MSS of the SYNs at the targets: '$mss'"
# A TCP segment of 8500 bytes gets through, 8501 bytes do not (raw SYNs
# with data, from c1; the targets' tcpdump counts what arrives).
dumps=()
for t in t1 t2; do
    ip netns exec "$(lab netns $t)" timeout 5 tcpdump -nn -i eth0 \
        'tcp dst port 80 and greater 8000' >"$TEST_DIR/$t.big" 2>/dev/null &
    dumps+=($!)
done
sleep 1
for len in 8500 8501; do
    on c1 /usr/bin/python3 - "$ip_c1" "$ip_e" "$len" <<'PY' || fail "raw SYN"
import socket, struct, sys
sip, dip, length = sys.argv[1], sys.argv[2], int(sys.argv[3])
def csum(b):
    b += b"\0" * (len(b) % 2)
    s = sum(struct.unpack("!%dH" % (len(b) // 2), b))
    while s >> 16:
        s = (s & 0xffff) + (s >> 16)
    return ~s & 0xffff
sport = 40000 + length % 1000
tcp = struct.pack("!HHIIBBHHH", sport, 80, 1, 0, 5 << 4, 2, 65535, 0, 0)
tcp += b"x" * (length - 40)
pseudo = socket.inet_aton(sip) + socket.inet_aton(dip) + struct.pack("!BBH", 0, 6, len(tcp))
tcp = tcp[:16] + struct.pack("!H", csum(pseudo + tcp)) + tcp[18:]
ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, length, 0, 0x4000, 64, 6, 0,
                 socket.inet_aton(sip), socket.inet_aton(dip))
s = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_RAW)
s.sendto(ip + tcp, (dip, 0))
PY
done
wait "${dumps[@]}"
check_grep 'length 8460(:|$)' cat "$TEST_DIR/t1.big" "$TEST_DIR/t2.big"
check_fails grep -qE 'length 8461(:|$)' "$TEST_DIR/t1.big" "$TEST_DIR/t2.big"

# ------------------------------------------------------------ TCP only
# UDP to the endpoint reaches no target: a UDP listener on t1's port 80
# receives nothing.
ip netns exec "$(lab netns t1)" /usr/bin/python3 -c '
import socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind((sys.argv[1], 80)); s.settimeout(6)
try:
    data, peer = s.recvfrom(100); print("got", peer)
except socket.timeout:
    print("nothing")' "$ip_t1" >"$TEST_DIR/udp.out" 2>&1 &
udp=$!
sleep 0.5
for i in 1 2 3; do
    on c1 /usr/bin/python3 -c '
import socket, sys
socket.socket(socket.AF_INET, socket.SOCK_DGRAM).sendto(b"x", (sys.argv[1], 80))' "$ip_e"
done
wait "$udp"
check_output nothing cat "$TEST_DIR/udp.out"
# Ping gets nothing back.
check_fails on c1 ping -c 2 -i 0.2 -W 1 "$ip_e"
# ARP does answer now, with the endpoint ENI's MAC.
mac_e=$(ec2 consumer describe-network-interfaces --network-interface-ids "$eni_e" \
            --query 'NetworkInterfaces[0].MacAddress')
check_grep "^$ip_e dev eth0 lladdr $mac_e " on c1 ip neigh show "$ip_e"

# ------------------------------------------------------------ the provider cannot get in
# c1 listens on 8080; neither t1 nor p3 (same VPC block, other VPC) can
# reach it, at c1's address, the endpoint's or the NLB's.
ip netns exec "$(lab netns c1)" /usr/bin/python3 -m http.server 8080 \
    --bind "$ip_c1" --directory "$TEST_DIR/www" >"$TEST_DIR/c1.log" 2>&1 &
c1_server=$!
on_exit "kill $c1_server"
wait_until "on c1 ss -Hltn 'sport = :8080' | grep -q ':8080'"
for ip in "$ip_c1" "$ip_e" "$nlb_ip"; do
    for p in 8080 $(seq 17408 1024 18432); do
        check_fails on t1 curl -s --connect-timeout 1 -o /dev/null "http://$ip:$p/"
    done
done
# (t1 may well have c1's address itself: the VPCs share a block.)
check_fails grep -q '"GET ' "$TEST_DIR/c1.log"

# ------------------------------------------------------------ endpoint groups
# With only the "ssh" group, port 80 is refused; back to "ept", it works.
check ec2 consumer modify-vpc-endpoint --vpc-endpoint-id "$ept" \
    --add-security-group-ids "$csg_ssh" --remove-security-group-ids "$csg"
wait_until "! get http://$ip_e/ >/dev/null" 10
check_fails get "http://$ip_e/"
check ec2 consumer modify-vpc-endpoint --vpc-endpoint-id "$ept" \
    --add-security-group-ids "$csg" --remove-security-group-ids "$csg_ssh"
wait_until "get http://$ip_e/ >/dev/null" 10

# ------------------------------------------------------------ targets
# Health checks (TCP, from the NLB's address, by hv2 where the targets
# are) find both targets healthy.  A target whose server stops becomes
# unhealthy and takes no new connection; it comes back when its server
# does.
wait_until '[ "$(health "$ip_t1")" = healthy ] && [ "$(health "$ip_t2")" = healthy ]' 30
kill "$server_t2"
wait_until "! pid_running $server_t2"
t0=$(date +%s)
wait_until '[ "$(health "$ip_t2")" = unhealthy ]' 30
unhealthy_s=$(($(date +%s) - t0))
n1=$(hits t1)
for i in $(seq 8); do
    check_output hello get "http://$ip_e/"
done
[ "$(hits t1)" = $((n1 + 8)) ] || fail "t1 got $(($(hits t1) - n1)) of 8 connections"
cp "$TEST_DIR/t2.log" "$TEST_DIR/t2.log.1"
server t2 "$ip_t2"
server_t2=$SERVER_PID
wait_until '[ "$(health "$ip_t2")" = healthy ]' 30
check_grep '^healthy$' health "$ip_t1"

# A deregistered target takes no new connection.
check elb deregister-targets --target-group-arn "$tg" --targets "Id=$ip_t2"
sleep 1
n2=$(hits t2)
for i in $(seq 8); do
    get "http://$ip_e/" >/dev/null || fail "curl $i after deregistering t2"
done
[ "$(hits t2)" = "$n2" ] || fail "deregistered t2 got new connections"
check elb register-targets --target-group-arn "$tg" --targets "Id=$ip_t2"

# ------------------------------------------------------------ throughput
on c1 curl -s --max-time 60 -o /dev/null \
    -w '%{http_code} %{size_download} %{time_total} %{speed_download}\n' \
    "http://$ip_e/20M.bin" >"$TEST_DIR/ept-rate" || fail "20M through the endpoint"
read -r code size ept_secs ept_rate <"$TEST_DIR/ept-rate"
[ "$code" = 200 ] && [ "$size" = 20000000 ] || fail "20M.bin: $(cat "$TEST_DIR/ept-rate")"
on p3 curl -s --max-time 60 -o /dev/null \
    -w '%{http_code} %{size_download} %{time_total} %{speed_download}\n' \
    "http://$ip_t1/20M.bin" >"$TEST_DIR/plain-rate" || fail "20M p3 -> t1"
read -r code size plain_secs plain_rate <"$TEST_DIR/plain-rate"
[ "$code" = 200 ] && [ "$size" = 20000000 ] || fail "20M.bin: $(cat "$TEST_DIR/plain-rate")"

# ------------------------------------------------------------ a second consumer
# Another consumer VPC with the same block, its instance c2 on hv2 (where
# the targets are: the NAT and the targets on one chassis), its own
# endpoint: it reaches the service independently, and c1 still does.
cvpc2=$(ec2 consumer create-vpc --cidr-block 10.0.0.0/16 --query Vpc.VpcId) ||
    fail "create-vpc"
csub2=$(ec2 consumer create-subnet --vpc-id "$cvpc2" --cidr-block 10.0.1.0/24 \
            --availability-zone us-east-1a --query Subnet.SubnetId) ||
    fail "create-subnet"
read -r eni_c2 ip_c2 <<<"$(eni consumer "$csub2")" || fail "c2"
check lab attach "$eni_c2" c2 --chassis 2
ept2=$(ec2 consumer create-vpc-endpoint --vpc-endpoint-type Interface \
           --vpc-id "$cvpc2" --service-name "$svc_name" --subnet-ids "$csub2" \
           --query VpcEndpoint.VpcEndpointId) || fail "create-vpc-endpoint"
eni_e2=$(ec2 consumer describe-vpc-endpoints --vpc-endpoint-ids "$ept2" \
             --query 'VpcEndpoints[0].NetworkInterfaceIds[0]')
ip_e2=$(ec2 consumer describe-network-interfaces --network-interface-ids "$eni_e2" \
            --query 'NetworkInterfaces[0].PrivateIpAddress')
echo "consumer 2 $cvpc2: c2 $ip_c2 (hv2); endpoint $ept2, its ENI $ip_e2"
check_fails on c2 curl -s --connect-timeout 2 -o /dev/null "http://$ip_e2/"
check ec2 provider accept-vpc-endpoint-connections --service-id "$svc" \
    --vpc-endpoint-ids "$ept2"
wait_until "on c2 curl -s --connect-timeout 0.3 --max-time 1 -o /dev/null http://$ip_e2/" 10
for i in $(seq 4); do
    check_output hello on c2 curl -s --max-time 4 "http://$ip_e2/"
    check_output hello get "http://$ip_e/"
done
check_output "$nlb_ip" eval "{ clients t1; clients t2; } | grep -vxF $ip_p3 | sort -u"
# The first endpoint's address means nothing in the second VPC.
[ "$ip_e" = "$ip_e2" ] ||
    check_fails on c2 curl -s --connect-timeout 2 -o /dev/null "http://$ip_e/"

# ------------------------------------------------------------ reject
# A slow download is open when the provider rejects: it stops, and new
# connections get nothing.
# (A small receive buffer, read slowly: the server cannot have sent it all
# before the reject.)
on c1 /usr/bin/python3 - "$ip_e" <<'PY' >"$TEST_DIR/slow.out" 2>&1 &
import socket, sys, time
s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 65536)
s.settimeout(3)
s.connect((sys.argv[1], 80))
s.sendall(b"GET /20M.bin HTTP/1.0\r\n\r\n")
total = 0
try:
    while True:
        data = s.recv(65536)
        if not data:
            print("complete", total)
            sys.exit(0)
        total += len(data)
        time.sleep(0.05)
except socket.timeout:
    print("stalled", total)
    sys.exit(3)
PY
slow=$!
sleep 1
pid_running "$slow" || fail "the slow download ended early: $(cat "$TEST_DIR/slow.out")"
check ec2 provider reject-vpc-endpoint-connections --service-id "$svc" \
    --vpc-endpoint-ids "$ept"
wait_until "! get http://$ip_e/ >/dev/null" 5
check_output rejected ec2 consumer describe-vpc-endpoints \
    --vpc-endpoint-ids "$ept" --query 'VpcEndpoints[0].State'
wait "$slow"
[ $? = 3 ] || fail "the download through a rejected endpoint: $(cat "$TEST_DIR/slow.out")"

# ------------------------------------------------------------ clean up
kill "$server_t1" "$server_t2" "$c1_server"
traffic_lab_check_logs
check lab down

mb() { echo "scale=1; $1 / 1000000" | bc; }
printf 'endpoint-traffic: accept-vpc-endpoint-connections took %s ms; then flows on hv1 after %s ms, first curl after %s ms (%s ms after create-vpc-endpoint); a stopped target unhealthy after %s s; 20 MB through the endpoint %s s (%s MB/s), between plain ENIs across the same chassis %s s (%s MB/s), ratio %s; %s s in all\n' \
    "$cli_ms" "$flows_ms" "$accept_ms" "$create_ms" "$unhealthy_s" "$ept_secs" "$(mb "$ept_rate")" \
    "$plain_secs" "$(mb "$plain_rate")" \
    "$(echo "scale=2; $ept_rate / $plain_rate" | bc)" "$(($(date +%s) - start))"
