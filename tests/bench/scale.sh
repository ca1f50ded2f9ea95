#!/bin/bash
# tests/bench/scale.sh [COUNTS]: the control plane against the number of
# interface endpoints, on a 1-chassis lab, in one run (issue 8's B2, B3,
# B4, B5).  COUNTS defaults to "0 1000 10000" existing endpoints.
#
# One real interface endpoint is made through the AWS CLI (provider t1
# behind an NLB, consumer instance c1 on hv1); the others are copies of
# it inserted directly in the database (tests/system/scale-endpoints.py),
# each with its own ENI, in a second consumer VPC that has an instance on
# hv1 too, so hv1 realizes them all.
# At each count:
#   B2  one more endpoint: "plctl --wait=hv create-vpc-endpoint", from the
#       API call to PrivateLink_Global:hv_cfg covering it (its flows are
#       on hv1); median of 3
#   B4  DescribeVpcEndpoints, a page of 100 (MaxResults), with wrk
#       (-t2 -c8 -d3s), EC2 Query front
#   B5  RSS (VmRSS) of the central ovsdb-server, plinkd and hv1's
#       plink-controller; OpenFlow flows and groups on hv1
# At the largest count:
#   B3  plink-controller cold start (stopped, br-int emptied, started) to
#       all its flows installed, against "ovs-ofctl --bundle add-groups"
#       and "--bundle add-flows" of the very same groups and flows (dumped
#       from br-int) into a fresh netdev bridge in hv1's namespace.
# Prints one table and the ratios.  OVN's figures are not measured here
# yet (issue 8 asks for them in the same run).
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top" || exit 1
source tests/lib.sh
test_init bench-scale
source tests/system/traffic.bash
counts=${1:-"0 1000 10000"}

traffic_lab_up 1
hv=$lab/hv1
ctl=$hv/plink-controller.ctl
mgmt=unix:$hv/br-int.mgmt
PL_DB=unix:$lab/central/pl.sock

status() { ovs-appctl -t "$ctl" status 2>/dev/null | sed -n "s/^$1: //p"; }
ofctl() { ovs-ofctl -O OpenFlow15 "$@" 2>/dev/null; }
now_ms() { echo $(($(date +%s%N) / 1000000)); }
rss_kb() { awk '/^VmRSS/ {print $2}' "/proc/$1/status"; }
pid_of() { awk -v n="$1" '$1 == n { p = $2 } END { print p }' "$lab/pids"; }
# realized: hv1's controller has its whole desired table on the switch.
realized() {
    local d i
    d=$(status 'desired flows')
    i=$(status 'installed flows')
    [ "$(status 'pushes in flight')" = 0 ] && [ -n "$d" ] && [ "$d" = "$i" ] &&
        [ "$(status cfg | sed 's/.*realized //')" -ge "$1" ]
}
global_cfg() {
    ovsdb-client transact "$PL_DB" '["PrivateLink",{"op":"select",
        "table":"PrivateLink_Global","where":[],"columns":["cfg"]}]' |
        sed 's/.*"cfg":\([0-9]*\).*/\1/'
}

# ------------------------------------------------------------ the scenario
mkdir "$TEST_DIR/www"
echo hello >"$TEST_DIR/www/index.html"
web_provider_vpc
read -r eni_t1 ip_t1 <<<"$(eni provider "$psub" "$psg")"
check lab attach "$eni_t1" t1 --chassis 1
ip netns exec "$(lab netns t1)" /usr/bin/python3 -m http.server 80 \
    --bind "$ip_t1" --directory "$TEST_DIR/www" >"$TEST_DIR/t1.log" 2>&1 &
on_exit "kill $!"
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
          --query ServiceConfiguration.ServiceId)
svc_name=$(ec2 provider describe-vpc-endpoint-service-configurations \
               --service-ids "$svc" --query 'ServiceConfigurations[0].ServiceName')
check ec2 provider modify-vpc-endpoint-service-permissions --service-id "$svc" \
    --add-allowed-principals arn:aws:iam::222222222222:root
cvpc=$(ec2 consumer create-vpc --cidr-block 10.0.0.0/16 --query Vpc.VpcId)
csub=$(ec2 consumer create-subnet --vpc-id "$cvpc" --cidr-block 10.0.1.0/24 \
           --availability-zone us-east-1a --query Subnet.SubnetId)
read -r eni_c1 ip_c1 <<<"$(eni consumer "$csub")"
check lab attach "$eni_c1" c1 --chassis 1
# The existing endpoints live in VPC S (the API allows 50 per VPC), its
# instance c2 on hv1 too.
svpc=$(ec2 consumer create-vpc --cidr-block 10.0.0.0/16 --query Vpc.VpcId)
ssub=$(ec2 consumer create-subnet --vpc-id "$svpc" --cidr-block 10.0.0.0/17 \
           --availability-zone us-east-1a --query Subnet.SubnetId)
ssg=$(ec2 consumer create-security-group --vpc-id "$svpc" --group-name ept \
          --description endpoints --query GroupId)
check ec2 consumer authorize-security-group-ingress --group-id "$ssg" \
    --protocol tcp --port 80 --cidr 10.0.0.0/16
read -r eni_c2 ip_c2 <<<"$(eni consumer "$ssub")"
check lab attach "$eni_c2" c2 --chassis 1
ept=$(ec2 consumer create-vpc-endpoint --vpc-endpoint-type Interface \
          --vpc-id "$cvpc" --service-name "$svc_name" --subnet-ids "$csub" \
          --query VpcEndpoint.VpcEndpointId) || fail "create-vpc-endpoint"
wait_until "realized $(global_cfg)" 30

# ------------------------------------------------------------ per count
key=$(sed -n '/\[consumer\]/,/^\[/s/aws_access_key_id = //p' "$lab/credentials")
secret=$(sed -n '/\[consumer\]/,/^\[/s/aws_secret_access_key = //p' "$lab/credentials")
printf 'Action=DescribeVpcEndpoints&Version=2016-11-15&MaxResults=100' >"$TEST_DIR/page.body"
/usr/bin/python3 tests/bench/sign-request.py "http://127.0.0.1:$port" / \
    application/x-www-form-urlencoded "$TEST_DIR/page.body" "$key" "$secret" \
    >"$TEST_DIR/page.lua"

have=0                          # endpoints inserted in VPC S
declare -A b2 b4 rss_db rss_plinkd rss_ctl nflows ngroups
for n in $counts; do
    if [ "$n" -gt "$have" ]; then
        check /usr/bin/python3 tests/system/scale-endpoints.py "$PL_DB" "$ept" \
            "$ssub" $((n - have)) "$ssg"
        have=$n
        wait_until "realized $(global_cfg)" 300
    fi
    # B2: three more endpoints in VPC C, one at a time (they stay: 3 more
    # per count, besides the first).
    times=()
    for i in 1 2 3; do
        t0=$(now_ms)
        check plctl --endpoint-url "http://127.0.0.1:$port" --profile consumer \
            --wait=hv create-vpc-endpoint --vpc-endpoint-type Interface \
            --vpc-id "$cvpc" --service-name "$svc_name" --subnet-ids "$csub"
        times+=($(($(now_ms) - t0)))
    done
    b2[$n]=$(printf '%s\n' "${times[@]}" | sort -n | sed -n 2p)
    wait_until "realized $(global_cfg)" 60
    nflows[$n]=$(ofctl dump-flows "$mgmt" | grep -c table=)
    ngroups[$n]=$(ofctl dump-groups "$mgmt" | grep -c group_id=)
    rss_db[$n]=$(rss_kb "$(pid_of central-ovsdb-server)")
    rss_plinkd[$n]=$(rss_kb "$(pid_of plinkd)")
    rss_ctl[$n]=$(rss_kb "$(pid_of hv1-plink-controller)")
    wrk -t2 -c8 -d3s -s "$TEST_DIR/page.lua" "http://127.0.0.1:$port" \
        >"$TEST_DIR/wrk.$n" 2>&1
    grep -q Non-2xx "$TEST_DIR/wrk.$n" && { cat "$TEST_DIR/wrk.$n"; fail "wrk errors"; }
    b4[$n]=$(awk '/Requests\/sec/ {printf "%.0f", $2}' "$TEST_DIR/wrk.$n")
    echo "N=$n: B2 ${times[*]} ms, ${nflows[$n]} flows, ${ngroups[$n]} groups," \
         "RSS db ${rss_db[$n]} plinkd ${rss_plinkd[$n]} controller ${rss_ctl[$n]} kB," \
         "B4 ${b4[$n]} req/s"
done
last=$n

# ------------------------------------------------------------ B3
ofctl dump-flows --no-stats --no-names "$mgmt" | grep -v "reply" >"$TEST_DIR/flows.txt"
ofctl dump-groups --no-names "$mgmt" | grep group_id= | sed 's/^ *//' >"$TEST_DIR/groups.txt"
ofctl dump-tlv-map "$mgmt" >"$TEST_DIR/tlv.txt"
nf=$(wc -l <"$TEST_DIR/flows.txt")
ng=$(wc -l <"$TEST_DIR/groups.txt")
cfg=$(global_cfg)
pid=$(pid_of hv1-plink-controller)
ns=$(lab netns hv1)
kill "$pid"
wait_until "! pid_running $pid" 10
rm -f "$hv/plink-controller.pid"
check ofctl del-flows "$mgmt"
check ofctl del-groups "$mgmt"
t0=$(now_ms)
env OVS_RUNDIR="$hv" OVS_LOGDIR="$hv" OVS_DBDIR="$hv" \
    ip netns exec "$ns" plink-controller "unix:$hv/db.sock" \
    --pidfile="$hv/plink-controller.pid" --log-file="$hv/plink-controller.log" \
    --unixctl="$ctl" --detach 2>>"$TEST_DIR/restart.err" || fail "controller start"
echo "hv1-plink-controller $(cat "$hv/plink-controller.pid")" >>"$lab/pids"
while ! realized "$cfg"; do
    [ $(($(now_ms) - t0)) -lt 300000 ] || fail "cold start timed out"
    sleep 0.05
done
b3_ctl=$(($(now_ms) - t0))
[ "$(ofctl dump-flows "$mgmt" | grep -c table=)" = "$nf" ] ||
    fail "cold start: $(ofctl dump-flows "$mgmt" | grep -c table=) flows, expected $nf"

# The same flows and groups into a fresh bridge, with ovs-ofctl.
check ovs-vsctl --db="unix:$hv/db.sock" --timeout=20 add-br br-b3 \
    -- set bridge br-b3 datapath_type=netdev fail-mode=secure
on_exit "ovs-vsctl --db=unix:$hv/db.sock --timeout=20 del-br br-b3"
wait_until "[ -S $hv/br-b3.mgmt ]"
b3mgmt=unix:$hv/br-b3.mgmt
if grep -q '0x' "$TEST_DIR/tlv.txt"; then
    tlv=$(sed -n 's/^ *\(0x[0-9a-f]*\) *\(0x[0-9a-f]*\) *\([0-9]*\) *\([0-9]*\).*/{class=\1,type=\2,len=\3}->tun_metadata\4/p' \
              "$TEST_DIR/tlv.txt" | paste -sd,)
    [ -n "$tlv" ] && check ovs-ofctl add-tlv-map "$b3mgmt" "$tlv"
fi
t0=$(now_ms)
check ovs-ofctl -O OpenFlow15 --bundle add-groups "$b3mgmt" "$TEST_DIR/groups.txt"
check ovs-ofctl -O OpenFlow15 --bundle add-flows "$b3mgmt" "$TEST_DIR/flows.txt"
b3_ofctl=$(($(now_ms) - t0))
[ "$(ofctl dump-flows "$b3mgmt" | grep -c table=)" = "$nf" ] ||
    fail "ovs-ofctl loaded $(ofctl dump-flows "$b3mgmt" | grep -c table=) flows, expected $nf"

# ------------------------------------------------------------ the table
ratio() { echo "scale=2; $1 / $2" | bc -l | sed 's/^\./0./'; }
first=${counts%% *}
echo
echo "Interface endpoints at scale, 1 chassis (netdev), one run; $(nproc) CPUs, load $(cut -d' ' -f1-3 /proc/loadavg)"
printf '%-44s' "existing endpoints"
for n in $counts; do printf '%10s' "$n"; done
echo
row() {
    local name=$1 arr=$2 n
    printf '%-44s' "$name"
    for n in $counts; do eval "printf '%10s' \"\${$arr[$n]}\""; done
    echo
}
row "B2 create + realized on hv1, ms (median 3)" b2
row "B4 DescribeVpcEndpoints page 100, req/s" b4
row "B5 RSS central ovsdb-server, kB" rss_db
row "B5 RSS plinkd, kB" rss_plinkd
row "B5 RSS plink-controller, kB" rss_ctl
row "OpenFlow flows on hv1" nflows
row "OpenFlow groups on hv1" ngroups
echo
if [ "$last" -gt 0 ]; then
    lo=$first
    [ "$lo" = 0 ] && lo=$(echo "$counts" | awk '{print $2}')
    d=$((last - lo))
    if [ "$d" -gt 0 ]; then
        printf 'B2 t(%d)/t(%d): %s    B4 req/s(%d)/req/s(%d): %s\n' "$last" "$lo" \
            "$(ratio "${b2[$last]}" "${b2[$lo]}")" "$last" "$lo" \
            "$(ratio "${b4[$last]}" "${b4[$lo]}")"
        per() { ratio "$(( $1 - $2 ))" "$d"; }
        printf 'B5 slope %d..%d, bytes per endpoint: ovsdb-server %s, plinkd %s, controller %s, total %s\n' \
            "$lo" "$last" \
            "$(ratio $(((rss_db[$last] - rss_db[$lo]) * 1024)) $d)" \
            "$(ratio $(((rss_plinkd[$last] - rss_plinkd[$lo]) * 1024)) $d)" \
            "$(ratio $(((rss_ctl[$last] - rss_ctl[$lo]) * 1024)) $d)" \
            "$(ratio $(((rss_db[$last] + rss_plinkd[$last] + rss_ctl[$last] - rss_db[$lo] - rss_plinkd[$lo] - rss_ctl[$lo]) * 1024)) $d)"
        printf 'OpenFlow flows per endpoint %d..%d: %s, groups per endpoint: %s\n' "$lo" "$last" \
            "$(ratio $((nflows[$last] - nflows[$lo])) $d)" \
            "$(ratio $((ngroups[$last] - ngroups[$lo])) $d)"
    fi
fi
printf 'B3 at %d endpoints (%d flows, %d groups): controller cold start %d ms, ovs-ofctl --bundle %d ms, ratio ofctl/controller %s\n' \
    "$last" "$nf" "$ng" "$b3_ctl" "$b3_ofctl" "$(ratio "$b3_ofctl" "$b3_ctl")"
