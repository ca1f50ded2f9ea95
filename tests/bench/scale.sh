#!/bin/bash
# tests/bench/scale.sh [COUNTS]: the control plane against the number of
# interface endpoints, on a 1-chassis lab, side by side with OVN 23.03 in
# the same run (issue 8's B2, B3, B4, B5 and B8).  COUNTS (ascending)
# defaults to "0 1000 10000" existing endpoints; "make bench" runs
# "0 1000 10000 100000".
#
# One real interface endpoint is made through the AWS CLI (provider t1
# behind an NLB, consumer instance c1 on hv1); the others are copies of
# it inserted directly in the database (tests/system/scale-endpoints.py,
# 1000 per transaction), each with its own ENI, in consumer VPCs S1, S2...
# (10.0.0.0/16 with one /16 subnet, at most 50,000 endpoints each, so 100k
# need two; SCALE_PER_VPC changes that, e.g. to try two at small counts),
# each with an instance (c2, c3...) on hv1, so hv1 realizes them all.
# At each count:
#   bulk  the copies up to N: from the first insert to all realized on hv1
#   B2  one more endpoint: "plctl --wait=hv create-vpc-endpoint", from the
#       API call to PrivateLink_Global:hv_cfg covering it (its flows are
#       on hv1); median of 3; and the flow_mods hv1's controller sent for
#       each (added + modified + deleted, from its "status")
#   B4  DescribeVpcEndpoints, a page of 100 (MaxResults), with wrk
#       (-t2 -c8 -d3s), EC2 Query front
#   B5  RSS (VmRSS) of the central ovsdb-server, plinkd and hv1's
#       plink-controller (not hv1's ovsdb-server and ovs-vswitchd);
#       OpenFlow flows and groups on hv1; and, for B8, the RSS of every
#       daemon of the lab (those two included)
# At the largest count:
#   B3  plink-controller cold start (stopped, br-int emptied, started) to
#       all its flows installed, against "ovs-ofctl --bundle add-groups"
#       and "--bundle add-flows" of the very same groups and flows (dumped
#       from br-int) into a fresh netdev bridge in hv1's namespace.
#   B8  that cold start, one more endpoint (B2) and the RSS of the whole
#       lab, against the issue's goals (10 s, 10 ms, 1 GB at 100,000).
# OVN (tests/bench/ovn.bash) at each count up to 10,000 (OVN_MAX_COUNT),
# stopped before the first count above that ("-" in its columns): in a
# namespace of its own, NB and SB ovsdb-servers, ovn-northd, a netdev
# br-int and ovn-controller; N load balancers attached to one logical
# switch whose port is bound on that br-int, made in bulk (1000 per NB
# transaction, then "ovn-nbctl --wait=hv sync"); B2 "ovn-nbctl --wait=hv
# lb-add ... -- ls-lb-add ..." of one more (wall clock, median of 3, and
# the NB-write-to-chassis part that --print-wait-time prints); B5 the RSS
# of the NB and SB ovsdb-servers, ovn-northd and ovn-controller (not the
# chassis's ovsdb-server and ovs-vswitchd) and the OpenFlow flows on its
# br-int.
# Prints one table, the ratios (B2 ours/OVN at each count; the B5 slopes,
# per endpoint or load balancer really there, over the two largest counts
# both sides measured) and the goals, met or missed.
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top" || exit 1
source tests/lib.sh
test_init bench-scale
source tests/system/traffic.bash
source tests/bench/ovn.bash
counts=${1:-"0 1000 10000"}
ovn_max=${OVN_MAX_COUNT:-10000}
per_vpc=${SCALE_PER_VPC:-50000} # endpoints per VPC S<k> (a /16 subnet)

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
# lab_rss_kb: the RSS of every daemon of the lab that runs.
lab_rss_kb() {
    local name pid t=0
    while read -r name pid; do
        pid_running "$pid" && t=$((t + $(rss_kb "$pid")))
    done < <(sort -u -k2,2 "$lab/pids")
    echo $t
}
# flow_mods: added + modified + deleted flows since hv1's controller
# connected to br-int.
flow_mods() {
    status 'since connect' |
        sed -n 's/.*added \([0-9]*\), modified \([0-9]*\), deleted \([0-9]*\).*/\1 \2 \3/p' |
        awk '{ print $1 + $2 + $3 }'
}
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
# The existing endpoints live in VPCs S1, S2... (the API allows 50 per
# VPC; a VPC is at most a /16), per_vpc each, each with its instance c<k+1>
# on hv1 too.  add_s_vpc: one more; sets ssub[k] and ssg[k].
declare -a ssub ssg sfill
add_s_vpc() {
    local k=$((${#ssub[@]} + 1)) vpc eni_s ip_s
    vpc=$(ec2 consumer create-vpc --cidr-block 10.0.0.0/16 --query Vpc.VpcId) ||
        fail "create-vpc S$k"
    ssub[k]=$(ec2 consumer create-subnet --vpc-id "$vpc" --cidr-block 10.0.0.0/16 \
                  --availability-zone us-east-1a --query Subnet.SubnetId) ||
        fail "create-subnet S$k"
    ssg[k]=$(ec2 consumer create-security-group --vpc-id "$vpc" --group-name ept \
                 --description endpoints --query GroupId) ||
        fail "create-security-group S$k"
    check ec2 consumer authorize-security-group-ingress --group-id "${ssg[k]}" \
        --protocol tcp --port 80 --cidr 10.0.0.0/16
    read -r eni_s ip_s <<<"$(eni consumer "${ssub[k]}")"
    check lab attach "$eni_s" "c$((k + 1))" --chassis 1
    sfill[k]=0
}
add_s_vpc
ept=$(ec2 consumer create-vpc-endpoint --vpc-endpoint-type Interface \
          --vpc-id "$cvpc" --service-name "$svc_name" --subnet-ids "$csub" \
          --query VpcEndpoint.VpcEndpointId) || fail "create-vpc-endpoint"
wait_until "realized $(global_cfg)" 30

# OVN, if a count is in its range.
ovn=
for n in $counts; do
    [ "$n" -le "$ovn_max" ] && { ovn_up; break; }
done

# ------------------------------------------------------------ per count
key=$(sed -n '/\[consumer\]/,/^\[/s/aws_access_key_id = //p' "$lab/credentials")
secret=$(sed -n '/\[consumer\]/,/^\[/s/aws_secret_access_key = //p' "$lab/credentials")
printf 'Action=DescribeVpcEndpoints&Version=2016-11-15&MaxResults=100' >"$TEST_DIR/page.body"
/usr/bin/python3 tests/bench/sign-request.py "http://127.0.0.1:$port" / \
    application/x-www-form-urlencoded "$TEST_DIR/page.body" "$key" "$secret" \
    >"$TEST_DIR/page.lua"

have=0                          # endpoints inserted in VPCs S<k>
made=1                          # endpoints made through the API
declare -A b2 b4 bulk fm rss_db rss_plinkd rss_ctl rss_b5 rss_lab nflows ngroups neps
ovn_running=${ovn:+1}
for n in $counts; do
    # OVN stops before the first count it skips, which it would only slow.
    if [ "$n" -gt "$ovn_max" ] && [ -n "$ovn_running" ]; then
        ovn_down
        ovn_running=
    fi
    if [ "$n" -gt "$have" ]; then
        # The VPCs first (not timed), then the endpoints, VPC by VPC.
        while [ $((${#ssub[@]} * per_vpc)) -lt "$n" ]; do
            add_s_vpc
        done
        wait_until "realized $(global_cfg)" 60
        t0=$(now_ms)
        k=1
        while [ "$n" -gt "$have" ]; do
            while [ "${sfill[k]}" -ge "$per_vpc" ]; do
                k=$((k + 1))
            done
            c=$((n - have))
            [ "$c" -le $((per_vpc - sfill[k])) ] || c=$((per_vpc - sfill[k]))
            check /usr/bin/python3 tests/system/scale-endpoints.py "$PL_DB" "$ept" \
                "${ssub[k]}" "$c" "${ssg[k]}"
            sfill[k]=$((sfill[k] + c))
            have=$((have + c))
        done
        wait_until "realized $(global_cfg)" $((300 + n / 100))
        bulk[$n]=$(($(now_ms) - t0))
    fi
    # B2: three more endpoints in VPC C, one at a time (they stay: 3 more
    # per count, besides the first).
    times=()
    waits=()
    wait_until "realized $(global_cfg)" 60
    fm0=$(flow_mods)
    for i in 1 2 3; do
        t0=$(now_ms)
        check plctl --endpoint-url "http://127.0.0.1:$port" --profile consumer \
            --wait=hv --print-wait-time create-vpc-endpoint \
            --vpc-endpoint-type Interface \
            --vpc-id "$cvpc" --service-name "$svc_name" --subnet-ids "$csub"
        times+=($(($(now_ms) - t0)))
        waits+=($(sed -n 's/.*realized on every chassis \([0-9.]*\) ms.*/\1/p' \
                      "$TEST_DIR/stderr"))
        made=$((made + 1))
    done
    neps[$n]=$((have + made))
    b2[$n]=$(printf '%s\n' "${times[@]}" | sort -n | sed -n 2p)
    b2_wait[$n]=$(printf '%s\n' "${waits[@]}" | sort -n | sed -n 2p)
    wait_until "realized $(global_cfg)" 60
    fm1=$(flow_mods)
    fm[$n]=-
    [ -n "$fm0" ] && [ -n "$fm1" ] &&
        fm[$n]=$(echo "scale=1; ($fm1 - $fm0) / 3" | bc -l | sed 's/^\./0./')
    nflows[$n]=$(ofctl dump-flows "$mgmt" | grep -c table=)
    ngroups[$n]=$(ofctl dump-groups "$mgmt" | grep -c group_id=)
    rss_db[$n]=$(rss_kb "$(pid_of central-ovsdb-server)")
    rss_plinkd[$n]=$(rss_kb "$(pid_of plinkd)")
    rss_ctl[$n]=$(rss_kb "$(pid_of hv1-plink-controller)")
    rss_b5[$n]=$((rss_db[$n] + rss_plinkd[$n] + rss_ctl[$n]))
    rss_lab[$n]=$(lab_rss_kb)
    wrk -t2 -c8 -d3s -s "$TEST_DIR/page.lua" "http://127.0.0.1:$port" \
        >"$TEST_DIR/wrk.$n" 2>&1
    grep -q Non-2xx "$TEST_DIR/wrk.$n" && { cat "$TEST_DIR/wrk.$n"; fail "wrk errors"; }
    b4[$n]=$(awk '/Requests\/sec/ {printf "%.0f", $2}' "$TEST_DIR/wrk.$n")
    echo "N=$n: bulk ${bulk[$n]:-0} ms, B2 ${times[*]} ms (API call sent to realized ${waits[*]} ms), ${fm[$n]} flow_mods each," \
         "${nflows[$n]} flows, ${ngroups[$n]} groups," \
         "RSS db ${rss_db[$n]} plinkd ${rss_plinkd[$n]} controller ${rss_ctl[$n]}" \
         "lab ${rss_lab[$n]} kB, B4 ${b4[$n]} req/s"
    # OVN at the same count (the two stacks are never busy together).
    if [ -n "$ovn_running" ]; then
        ovn_add_lbs "$n"
        ovn_measure "$n"
    fi
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
# ratio A B: A / B to 2 decimals ("-" if either is missing or B is 0).
ratio() {
    [ -n "$1" ] && [ -n "$2" ] && [ "$1" != - ] && [ "$2" != - ] &&
        [ "$(echo "$2 == 0" | bc -l)" = 0 ] || { echo -; return; }
    echo "scale=2; $1 / $2" | bc -l | sed 's/^\(-\{0,1\}\)\./\10./'
}
# goal VALUE OP LIMIT: "met" or "missed" (OP is <= or >=).
goal() {
    [ "$1" = - ] && { echo "not measured"; return; }
    [ "$(echo "$1 $2 $3" | bc -l)" = 1 ] && echo met || echo missed
}
mb() { echo $((($1 + 512) / 1024)); }
declare -A b2_ratio b4_ratio b2_growth ovn_mb rss_b5_mb rss_lab_mb rss_b5_b \
    rss_db_b rss_plinkd_b rss_ctl_b ovn_rss_b
first=${counts%% *}
lo=$first
[ "$lo" = 0 ] && lo=$(echo "$counts" | awk '{print $2}')
lo=${lo:-0}
for n in $counts; do
    b2_ratio[$n]=$(ratio "${b2[$n]}" "${ovn_b2[$n]:--}")
    [ "$n" -gt "$lo" ] && b4_ratio[$n]=$(ratio "${b4[$n]}" "${b4[$lo]}")
    [ "$n" -gt "$lo" ] && b2_growth[$n]=$(ratio "${b2[$n]}" "${b2[$lo]}")
    rss_b5_mb[$n]=$(mb "${rss_b5[$n]}")
    rss_lab_mb[$n]=$(mb "${rss_lab[$n]}")
    [ -n "${ovn_rss[$n]}" ] && ovn_mb[$n]=$(mb "${ovn_rss[$n]}")
    [ -n "${bulk[$n]}" ] && bulk[$n]=$(ratio "${bulk[$n]}" 1000)
    [ -n "${ovn_bulk[$n]}" ] && ovn_bulk[$n]=$(ratio "${ovn_bulk[$n]}" 1000)
done
echo
echo "Interface endpoints at scale, 1 chassis (netdev), one run, OVN 23.03 beside it;" \
     "$(nproc) CPUs, load $(cut -d' ' -f1-3 /proc/loadavg)"
printf '%-50s' "existing endpoints (OVN: load balancers)"
for n in $counts; do printf '%10s' "$n"; done
echo
row() {
    local name=$1 arr=$2 n
    printf '%-50s' "$name"
    for n in $counts; do eval "printf '%10s' \"\${$arr[$n]:--}\""; done
    echo
}
row "bulk insert to all realized on hv1, s" bulk
row "B2 create + realized on hv1, ms (median 3)" b2
row "B2 API call sent to realized, ms (--print-wait-time)" b2_wait
row "B2 t(N)/t($lo)" b2_growth
row "B2 flow_mods per endpoint create" fm
row "B4 DescribeVpcEndpoints page 100, req/s" b4
row "B4 req/s(N)/req/s($lo)" b4_ratio
row "B5 RSS central ovsdb-server, kB" rss_db
row "B5 RSS plinkd, kB" rss_plinkd
row "B5 RSS plink-controller, kB" rss_ctl
row "B5 RSS the three, MB" rss_b5_mb
row "RSS every lab daemon (B8), MB" rss_lab_mb
row "OpenFlow flows on hv1" nflows
row "OpenFlow groups on hv1" ngroups
row "OVN bulk create to --wait=hv, s" ovn_bulk
row "OVN B2 lb-add --wait=hv, ms (median 3)" ovn_b2
row "OVN B2 NB write to chassis, ms (--print-wait-time)" ovn_b2_wait
row "B2 ours/OVN" b2_ratio
row "OVN B5 RSS NB ovsdb-server, kB" ovn_rss_nb
row "OVN B5 RSS SB ovsdb-server, kB" ovn_rss_sb
row "OVN B5 RSS ovn-northd, kB" ovn_rss_northd
row "OVN B5 RSS ovn-controller, kB" ovn_rss_ctl
row "OVN B5 RSS the four, MB" ovn_mb
row "OVN OpenFlow flows on its chassis" ovn_nflows
echo

# The B5 slopes over the two largest counts that both sides measured
# (1000 and 10000 by default), per endpoint (load balancer) really there:
# N, plus those B2 made (3 per count, and the first endpoint).
# per ARRAY COUNT-ARRAY LO HI: (ARRAY[HI] - ARRAY[LO]) / (COUNT[HI] - COUNT[LO]).
per() {
    eval "local a=\${$1[$4]} b=\${$1[$3]} x=\${$2[$4]} y=\${$2[$3]}"
    ratio $((a - b)) $((x - y))
}
for n in $counts; do
    rss_b5_b[$n]=$((rss_b5[$n] * 1024))
    rss_db_b[$n]=$((rss_db[$n] * 1024))
    rss_plinkd_b[$n]=$((rss_plinkd[$n] * 1024))
    rss_ctl_b[$n]=$((rss_ctl[$n] * 1024))
    [ -n "${ovn_rss[$n]}" ] && ovn_rss_b[$n]=$((ovn_rss[$n] * 1024))
done
pair=$(for n in $counts; do [ -n "${ovn_rss[$n]}" ] && echo "$n"; done | sort -n | tail -2)
s_lo=$(echo "$pair" | head -1)
s_hi=$(echo "$pair" | tail -1)
if [ -n "$s_lo" ] && [ "$s_hi" -gt "$s_lo" ]; then
    ours=$(per rss_b5_b neps "$s_lo" "$s_hi")
    theirs=$(per ovn_rss_b ovn_nlb "$s_lo" "$s_hi")
    printf 'B5 slope %d..%d, bytes per endpoint: ovsdb-server %s, plinkd %s, controller %s, total %s; OVN per load balancer %s; ours/OVN %s (goal <= 0.25: %s)\n' \
        "$s_lo" "$s_hi" "$(per rss_db_b neps "$s_lo" "$s_hi")" \
        "$(per rss_plinkd_b neps "$s_lo" "$s_hi")" \
        "$(per rss_ctl_b neps "$s_lo" "$s_hi")" \
        "$ours" "$theirs" "$(ratio "$ours" "$theirs")" \
        "$(goal "$(ratio "$ours" "$theirs")" '<=' 0.25)"
    fpe=$(per nflows neps "$s_lo" "$s_hi")
    printf 'OpenFlow flows per endpoint %d..%d: %s (goal <= 6: %s), groups per endpoint %s; OVN flows per load balancer %s\n' \
        "$s_lo" "$s_hi" "$fpe" "$(goal "$fpe" '<=' 6)" \
        "$(per ngroups neps "$s_lo" "$s_hi")" "$(per ovn_nflows ovn_nlb "$s_lo" "$s_hi")"
fi
if [ "$last" -gt "$lo" ] && [ "$lo" -gt 0 ] && [ "$last" != "$s_hi" ]; then
    printf 'B5 slope %d..%d, bytes per endpoint (ours only): total %s; OpenFlow flows per endpoint %s\n' \
        "$lo" "$last" "$(per rss_b5_b neps "$lo" "$last")" "$(per nflows neps "$lo" "$last")"
fi
# B2's goals at 10k (or the largest count OVN measured).
g=10000
[ -n "${b2[$g]}" ] || g=$s_hi
if [ -n "$g" ] && [ -n "${b2[$g]}" ]; then
    growth=
    [ "$g" -gt "$lo" ] && growth=$(printf ', t(%d)/t(%d) %s (goal <= 1.5: %s)' "$g" "$lo" \
        "${b2_growth[$g]}" "$(goal "${b2_growth[$g]}" '<=' 1.5)")
    printf 'B2 at %d: %s ms (goal <= 10: %s)%s, ours/OVN %s (goal <= 0.05: %s)\n' \
        "$g" "${b2[$g]}" "$(goal "${b2[$g]}" '<=' 10)" "$growth" "${b2_ratio[$g]}" \
        "$(goal "${b2_ratio[$g]}" '<=' 0.05)"
    if [ -n "${b2_wait[$g]}" ]; then
        wgrowth=
        [ "$g" -gt "$lo" ] && [ -n "${b2_wait[$lo]}" ] &&
            wgrowth=$(printf ', t(%d)/t(%d) %s' "$g" "$lo" \
                "$(ratio "${b2_wait[$g]}" "${b2_wait[$lo]}")")
        wovn=
        [ -n "${ovn_b2_wait[$g]}" ] &&
            wovn=$(printf ', against OVN'"'"'s NB write to chassis %s ms: %s' \
                "${ovn_b2_wait[$g]}" "$(ratio "${b2_wait[$g]}" "${ovn_b2_wait[$g]}")")
        printf 'B2 at %d without the CLI'"'"'s start-up (plctl --print-wait-time, API call sent to realized): %s ms (goal <= 10: %s)%s%s\n' \
            "$g" "${b2_wait[$g]}" "$(goal "${b2_wait[$g]}" '<=' 10)" "$wgrowth" "$wovn"
    fi
fi
b3_ratio=$(ratio "$b3_ofctl" "$b3_ctl")
printf 'B3 at %d endpoints (%d flows, %d groups): controller cold start %d ms, ovs-ofctl --bundle %d ms, ratio ofctl/controller %s (goal >= 0.8: %s); flow_mods per endpoint create: %s\n' \
    "$last" "$nf" "$ng" "$b3_ctl" "$b3_ofctl" "$b3_ratio" "$(goal "$b3_ratio" '>=' 0.8)" \
    "$(for n in $counts; do printf '%s at %s, ' "${fm[$n]}" "$n"; done | sed 's/, $//')"
b8_cold=$(ratio "$b3_ctl" 1000)
[ "$last" = 100000 ] || b8_note=" (the issue's B8 is at 100000)"
prev=0
for n in $counts; do [ "$n" -lt "$last" ] && prev=$n; done
printf 'B8 at %d endpoints%s: the last %d bulk-created and realized in %s s; all realized %s s after a controller cold start (goal <= 10: %s); one more realized in %s ms (goal <= 10: %s); RSS %s MB in all lab daemons, %s MB in ovsdb-server + plinkd + controller (goal < 1024: %s); B4 %s req/s\n' \
    "$last" "${b8_note:-}" $((last - prev)) "${bulk[$last]:--}" "$b8_cold" "$(goal "$b8_cold" '<=' 10)" \
    "${b2[$last]}" "$(goal "${b2[$last]}" '<=' 10)" "${rss_lab_mb[$last]}" \
    "${rss_b5_mb[$last]}" "$(goal "${rss_lab_mb[$last]}" '<' 1024)" "${b4[$last]}"
