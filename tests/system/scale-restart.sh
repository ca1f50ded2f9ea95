#!/bin/bash
# tests/system/scale-restart.sh: restarting a chassis's plink-controller
# with 10,000 interface endpoints installed loses no connection through an
# endpoint, and leaves the switch with the same flows.
#
# A 1-chassis lab.  One real interface endpoint made with the AWS CLI (and
# plctl for the ELBv2 operations), as in endpoint-traffic.sh: provider
# instance t1 running python's http.server behind an NLB, a service that
# needs no acceptance, consumer instance c1 and an endpoint in its subnet.
# Then 10,000 more interface endpoints of the same service in the same
# consumer VPC, inserted directly in the database (scale-endpoints.py),
# each with its own requester-managed ENI in a second consumer subnet, so
# that hv1 realizes them all.
#
# While c1 sends a request every 100 ms on an open connection and opens a
# new connection every 100 ms, hv1's plink-controller is killed (by the
# PID the lab recorded) and started again with the same command line.  No
# request on the open connection may take over 1 s, no new connection may
# fail (a new connection may take one SYN retransmission: see the client
# below); the switch must hold the same number of flows after as before,
# and the new controller must have changed none of them (it reads the
# switch's flows and waits for its complete desired table; see ofctrl.c).
# Prints the flow count, the new connections that needed a second SYN, and
# the time from the start of the controller to its first complete push
# (PrivateLink_Global:cfg realized).
. "$(dirname "$0")/../lib.sh"
test_init scale-restart
. "$(dirname "$0")/traffic.bash"

N=${SCALE_ENDPOINTS:-10000}

traffic_lab_up 1
hv=$lab/hv1
ctl=$hv/plink-controller.ctl
mgmt=unix:$hv/br-int.mgmt

# status KEY: a value from the controller's "status".
status() {
    ovs-appctl -t "$ctl" status 2>/dev/null | sed -n "s/^$1: //p"
}

# nflows: the number of flows on hv1's br-int.
nflows() {
    ovs-ofctl -O OpenFlow15 dump-flows --no-names "$mgmt" 2>/dev/null |
        grep -c 'table='
}

mkdir "$TEST_DIR/www"
echo hello >"$TEST_DIR/www/index.html"

# ------------------------------------------------------------ provider
web_provider_vpc
read -r eni_t1 ip_t1 <<<"$(eni provider "$psub" "$psg")" || fail "t1"
check lab attach "$eni_t1" t1 --chassis 1
ip netns exec "$(lab netns t1)" /usr/bin/python3 -m http.server 80 \
    --protocol HTTP/1.1 --bind "$ip_t1" --directory "$TEST_DIR/www" >"$TEST_DIR/t1.log" 2>&1 &
server=$!
on_exit "kill $server"
wait_until "on t1 ss -Hltn 'sport = :80' | grep -q ':80'"

check elb create-load-balancer --name web --type network --subnets "$psub"
nlb=$(json 'f["LoadBalancers"][0]["LoadBalancerArn"]' <"$TEST_DIR/stdout")
check elb create-target-group --name web --protocol TCP --port 80 \
    --vpc-id "$pvpc" --target-type ip --health-check-interval-seconds 5 \
    --health-check-timeout-seconds 2
tg=$(json 'f["TargetGroups"][0]["TargetGroupArn"]' <"$TEST_DIR/stdout")
check elb register-targets --target-group-arn "$tg" --targets "Id=$ip_t1"
check elb create-listener --load-balancer-arn "$nlb" --protocol TCP \
    --port 80 --default-actions "Type=forward,TargetGroupArn=$tg"
svc=$(ec2 provider create-vpc-endpoint-service-configuration \
          --network-load-balancer-arns "$nlb" --no-acceptance-required \
          --query ServiceConfiguration.ServiceId) || fail "create service"
svc_name=$(ec2 provider describe-vpc-endpoint-service-configurations \
               --service-ids "$svc" --query 'ServiceConfigurations[0].ServiceName')
check ec2 provider modify-vpc-endpoint-service-permissions --service-id "$svc" \
    --add-allowed-principals arn:aws:iam::222222222222:root

# ------------------------------------------------------------ consumer
cvpc=$(ec2 consumer create-vpc --cidr-block 10.0.0.0/16 --query Vpc.VpcId) ||
    fail "create-vpc"
csub=$(ec2 consumer create-subnet --vpc-id "$cvpc" --cidr-block 10.0.1.0/24 \
           --availability-zone us-east-1a --query Subnet.SubnetId) ||
    fail "create-subnet"
# The subnet of the 10,000 more endpoints' ENIs.
csub2=$(ec2 consumer create-subnet --vpc-id "$cvpc" --cidr-block 10.0.64.0/18 \
            --availability-zone us-east-1a --query Subnet.SubnetId) ||
    fail "create-subnet"
csg=$(ec2 consumer create-security-group --vpc-id "$cvpc" --group-name ept \
          --description "endpoint" --query GroupId) || fail "create-security-group"
check ec2 consumer authorize-security-group-ingress --group-id "$csg" \
    --protocol tcp --port 80 --cidr 10.0.0.0/16
read -r eni_c1 ip_c1 <<<"$(eni consumer "$csub")" || fail "c1"
check lab attach "$eni_c1" c1 --chassis 1
ept=$(ec2 consumer create-vpc-endpoint --vpc-endpoint-type Interface \
          --vpc-id "$cvpc" --service-name "$svc_name" --subnet-ids "$csub" \
          --security-group-ids "$csg" --query VpcEndpoint.VpcEndpointId) ||
    fail "create-vpc-endpoint"
eni_e=$(ec2 consumer describe-vpc-endpoints --vpc-endpoint-ids "$ept" \
            --query 'VpcEndpoints[0].NetworkInterfaceIds[0]')
ip_e=$(ec2 consumer describe-network-interfaces --network-interface-ids "$eni_e" \
           --query 'NetworkInterfaces[0].PrivateIpAddress')
wait_until "[ \"\$(ec2 consumer describe-vpc-endpoints --vpc-endpoint-ids $ept \
             --query 'VpcEndpoints[0].State')\" = available ]" 20
wait_until "on c1 curl -s --max-time 1 -o /dev/null http://$ip_e/" 20
check_output hello on c1 curl -s --max-time 2 "http://$ip_e/"
flows_one=$(nflows)
echo "c1 $ip_c1 -> endpoint $ept $ip_e -> t1 $ip_t1: $flows_one flows on hv1"

# ------------------------------------------------------------ N more
t0=$(date +%s%N)
check_output "$N" /usr/bin/python3 "$(dirname "$0")/scale-endpoints.py" \
    "unix:$lab/central/pl.sock" "$ept" "$csub2" "$N"
cfg=$(ovsdb-client transact "unix:$lab/central/pl.sock" \
          '["PrivateLink",{"op":"select","table":"PrivateLink_Global","where":[],"columns":["cfg"]}]' |
      sed 's/.*"cfg":\([0-9]*\).*/\1/')
# All realized: the controller is done when its desired table is on the
# switch ("pushes in flight: 0", installed == desired) and stays so.
realized() {
    local d i
    d=$(status 'desired flows')
    i=$(status 'installed flows')
    [ "$(status 'pushes in flight')" = 0 ] && [ "$d" = "$i" ] &&
        [ "${d%% *}" -gt $((flows_one + N * 4)) ]
}
wait_until realized 120
t1=$(date +%s%N)
flows=$(nflows)
desired=$(status 'desired flows')
[ "$flows" = "$desired" ] || fail "switch has $flows flows, controller wants $desired"
[ "$flows" -gt $((N * 4)) ] || fail "only $flows flows for $N endpoints"
echo "$N endpoints inserted and realized in $(((t1 - t0) / 1000000)) ms:" \
     "$flows flows ($(((flows - flows_one) / N)) per endpoint)," \
     "$(ovs-ofctl -O OpenFlow15 dump-groups "$mgmt" | grep -c group_id) groups"
check_output hello on c1 curl -s --max-time 2 "http://$ip_e/"

# ------------------------------------------------------------ restart
# c1's clients, until $TEST_DIR/stop exists, each every 100 ms: a request
# on one open connection (HTTP/1.1 keep-alive), which must be answered
# within 1 s; and a new connection with its request, which may take up to
# 3 s: a SYN through an endpoint is paused to the controller's pinctrl
# thread for its MSS clamp, and one that arrives while no controller is
# connected is lost (the client sends it again after 1 s).  Prints
# "open OK n FAIL n new OK n SLOW n FAIL n" and a line per failure.
ip netns exec "$(lab netns c1)" /usr/bin/python3 - "$ip_e" "$TEST_DIR/stop" \
    >"$TEST_DIR/client.out" 2>&1 <<'PY' &
import os, socket, sys, threading, time
ip, stop = sys.argv[1], sys.argv[2]
count = {"open OK": 0, "open FAIL": 0, "new OK": 0, "new SLOW": 0,
         "new FAIL": 0}

def ticks():
    nxt = time.monotonic()
    while not os.path.exists(stop):
        yield
        nxt += 0.1
        time.sleep(max(0, nxt - time.monotonic()))

def get(s, deadline):
    s.sendall(b"GET / HTTP/1.1\r\nHost: e\r\n\r\n")
    data = b""
    while b"hello" not in data:
        s.settimeout(max(0.01, deadline - time.monotonic()))
        b = s.recv(4096)
        if not b:
            raise OSError("closed after %r" % data[:40])
        data += b

def open_client():
    s = None
    for _ in ticks():
        t = time.monotonic()
        try:
            if s is None:
                s = socket.create_connection((ip, 80), timeout=1)
            get(s, t + 1)
            count["open OK"] += 1
        except OSError as e:
            count["open FAIL"] += 1
            print("open FAIL at %.3f after %.3f s: %s"
                  % (time.time(), time.monotonic() - t, e), flush=True)
            s = None

def new_client():
    for _ in ticks():
        t = time.monotonic()
        try:
            s = socket.create_connection((ip, 80), timeout=3)
            get(s, t + 3)
            s.close()
            slow = time.monotonic() - t > 1
            count["new SLOW" if slow else "new OK"] += 1
            if slow:
                print("new SLOW at %.3f: %.3f s"
                      % (time.time(), time.monotonic() - t), flush=True)
        except OSError as e:
            count["new FAIL"] += 1
            print("new FAIL at %.3f after %.3f s: %s"
                  % (time.time(), time.monotonic() - t, e), flush=True)

threads = [threading.Thread(target=f) for f in (open_client, new_client)]
for th in threads:
    th.start()
for th in threads:
    th.join()
print(" ".join("%s %d" % kv for kv in count.items()), flush=True)
PY
client=$!
on_exit "kill $client"
sleep 1

pid=$(awk '$1 == "hv1-plink-controller" { p = $2 } END { print p }' "$lab/pids")
pid_running "$pid" || fail "no controller pid"
ns=$(lab netns hv1)
kill "$pid"
wait_until "! pid_running $pid" 5
rm -f "$hv/plink-controller.pid"
t_start=$(date +%s%N)
# Started as plink-lab's start_chassis starts it; the new PID is recorded
# for "plink-lab down".
env OVS_RUNDIR="$hv" OVS_LOGDIR="$hv" OVS_DBDIR="$hv" \
    ip netns exec "$ns" plink-controller "unix:$hv/db.sock" \
    --pidfile="$hv/plink-controller.pid" --log-file="$hv/plink-controller.log" \
    --unixctl="$ctl" --detach 2>>"$TEST_DIR/restart.err" ||
    fail "restarting the controller"
echo "hv1-plink-controller $(cat "$hv/plink-controller.pid")" >>"$lab/pids"
# The first complete push: the realized cfg is the one the database had.
first_push() {
    local c
    c=$(status cfg)
    [ -n "$c" ] && [ "${c##*realized }" != -1 ] &&
        [ "${c##*realized }" -ge "$cfg" ]
}
wait_until first_push 60
t_push=$(date +%s%N)
wait_until realized 30
sleep 2
touch "$TEST_DIR/stop"
wait "$client"
result=$(tail -1 "$TEST_DIR/client.out")

since=$(status 'since connect')
flows_after=$(nflows)
echo "controller restart: first complete push $(((t_push - t_start) / 1000000)) ms" \
     "after its start; $flows_after flows (before: $flows); since connect: $since"
echo "c1's requests during the restart: $result"
grep -E 'FAIL|SLOW' "$TEST_DIR/client.out" | head -5
[ "$flows_after" = "$flows" ] || fail "flows after the restart: $flows_after, before: $flows"
[[ $since =~ added\ 0,\ modified\ 0,\ deleted\ 0 ]] ||
    fail "the restarted controller changed flows: $since"
[[ $result =~ ^open\ OK\ [1-9][0-9]*\ open\ FAIL\ 0\ new\ OK\ [1-9][0-9]*\ new\ SLOW\ [0-9]+\ new\ FAIL\ 0$ ]] ||
    fail "requests failed: $result"
check_output hello on c1 curl -s --max-time 2 "http://$ip_e/"

# (The lab's "connection refused" at startup, as traffic_lab_check_logs
# allows, and our own SIGTERM, which the switch sees as a reset.)
check_no_warnings "$hv/plink-controller.log" \
    'br-int.mgmt: connection failed \(Connection refused\)|terminating with signal 15'
check_no_warnings "$hv/ovs-vswitchd.log" \
    'Generic Netlink family|br-int<->unix#[0-9]+: connection dropped \((Connection reset by peer|Broken pipe)\)'
