#!/bin/bash
# tests/system/lab.sh: plink-lab brings up a 2-chassis lab with real OVS in
# network namespaces, the chassis realize the configuration and reach each
# other over the underlay, plinkd answers the real AWS CLI (and refuses
# unsigned or badly signed requests), and "down" leaves nothing behind.
. "$(dirname "$0")/../lib.sh"
test_init lab

AWS=/usr/bin/aws
unset AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY AWS_SESSION_TOKEN AWS_PROFILE


lab=$TEST_DIR/lab
port=$(free_port)
url=http://127.0.0.1:$port

# Bad usage: one line on stderr, exit 2.
# (With --dir, so that a usage check that went wrong never touches the
# default lab.)
usage=$TEST_DIR/usage
for args in "" "frobnicate" "up --dir $usage --chassis 251" "up --dir $usage --chassis x" \
            "up --dir $usage --api-port x" "up --dir $usage --bogus" "down --dir $usage extra" \
            "exec --dir $lab" "account-add --dir $usage 12 x"; do
    plink-lab $args >"$TEST_DIR/stdout" 2>"$TEST_DIR/stderr"
    rc=$?
    [ $rc = 2 ] || fail "plink-lab $args: exit $rc, expected 2"
    [ "$(wc -l <"$TEST_DIR/stderr")" = 1 ] || fail "plink-lab $args: not one line on stderr"
done
check_grep '^SYNOPSIS' plink-lab --help
for sub in up down status exec account-add netns dns-record; do
    check_grep "plink-lab $sub" plink-lab $sub --help
done

# Up.
on_exit "plink-lab down --dir $lab"
start=$(date +%s.%N)
check plink-lab up --dir "$lab" --chassis 2 --api-port "$port"
echo "up --chassis 2 took $(echo "$(date +%s.%N) - $start" | bc) s"
cat "$TEST_DIR/stdout"
check_fails plink-lab up --dir "$lab" --chassis 2 --api-port "$port"
grep -q 'already up' "$TEST_DIR/stderr" || fail "second up: $(cat "$TEST_DIR/stderr")"
prefix=$(plink-lab netns --dir "$lab" x)
prefix=${prefix%-x}
cp "$lab/pids" "$TEST_DIR/pids"
[ "$(grep -vc '^svc-' "$TEST_DIR/pids")" = 10 ] || fail "expected 10 recorded processes: $(cat "$TEST_DIR/pids")"
# The lab's public DNS: the VPC resolvers' upstream, and its twin on
# loopback for plinkd's ownership checks.
check_grep '^dns-upstream ' cat "$TEST_DIR/pids"
check_grep '^dns-host ' cat "$TEST_DIR/pids"
# The AWS services (tests/system/aws-service.sh tests them).
check_output "svc-s3
svc-dynamodb" awk '/^svc-/ { print $1 }' "$TEST_DIR/pids"

# Both chassis registered and realized the current cfg.
db=unix:$lab/central/pl.sock
cfg=$(ovsdb-client -f csv --no-headings dump "$db" PrivateLink PrivateLink_Global cfg | tail -n +2)
[ -n "$cfg" ] || fail "no PrivateLink_Global row"
check_output "hv1,$cfg
hv2,$cfg" bash -o pipefail -c "ovsdb-client -f csv --no-headings dump $db PrivateLink Chassis name nb_cfg \
                 | tail -n +2 | tr -d '\"' | sort"

# OpenFlow on each chassis, with cookies that lead back to rows.
for hv in hv1 hv2; do
    check_grep 'cookie=0x0*[1-9a-f]' plink-lab exec --dir "$lab" $hv -- ovs-ofctl -O OpenFlow15 dump-flows br-int
    check_grep 'fail_mode: secure' plink-lab exec --dir "$lab" $hv -- ovs-vsctl show
done

# The underlay: each chassis pings the other's encap IP, jumbo frames too.
ip1=$(plink-lab exec --dir "$lab" hv1 -- ovs-vsctl get Open_vSwitch . external_ids:plink-encap-ip | tr -d '"')
ip2=$(plink-lab exec --dir "$lab" hv2 -- ovs-vsctl get Open_vSwitch . external_ids:plink-encap-ip | tr -d '"')
[ -n "$ip1" ] && [ -n "$ip2" ] && [ "$ip1" != "$ip2" ] || fail "encap IPs: '$ip1' '$ip2'"
check plink-lab exec --dir "$lab" hv1 -- ping -c1 -W2 "$ip2"
check plink-lab exec --dir "$lab" hv2 -- ping -c1 -W2 "$ip1"
check plink-lab exec --dir "$lab" hv1 -- ping -c1 -W2 -M "do" -s 9000 "$ip2"
grep -q DUP "$TEST_DIR/stdout" && fail "duplicate underlay replies: $(cat "$TEST_DIR/stdout")"

# The AWS CLI, signed with the consumer's key, through the lab's files.
. "$lab/env"
[ "$AWS_SHARED_CREDENTIALS_FILE" = "$lab/credentials" ] || fail "env: $AWS_SHARED_CREDENTIALS_FILE"
[ "$AWS_ENDPOINT_URL" = "$url" ] || fail "env: $AWS_ENDPOINT_URL"
azs="us-east-1a	use1-az1
us-east-1b	use1-az2
us-east-1c	use1-az3"
check_output "$azs" bash -o pipefail -c "$AWS --endpoint-url $url --profile consumer ec2 describe-availability-zones \
    --query 'AvailabilityZones[].[ZoneName,ZoneId]' --output text | sort"
check $AWS --endpoint-url "$url" --profile provider ec2 describe-availability-zones

# Unsigned: refused.
check_fails $AWS --endpoint-url "$url" --no-sign-request ec2 describe-availability-zones
grep -q AuthFailure "$TEST_DIR/stderr" || fail "unsigned request: $(cat "$TEST_DIR/stderr")"

# The consumer's key id with a wrong secret: refused.
key=$(sed -n '/^\[consumer\]/,/^$/s/^aws_access_key_id = //p' "$lab/credentials")
[[ $key =~ ^AKIA[A-Z0-9]{16}$ ]] || fail "consumer key id: '$key'"
printf '[bad]\naws_access_key_id = %s\naws_secret_access_key = %s\n' \
    "$key" wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY >"$TEST_DIR/bad-credentials"
check_fails env AWS_SHARED_CREDENTIALS_FILE="$TEST_DIR/bad-credentials" \
    $AWS --endpoint-url "$url" --profile bad ec2 describe-availability-zones
grep -q SignatureDoesNotMatch "$TEST_DIR/stderr" || fail "wrong secret: $(cat "$TEST_DIR/stderr")"

# A third account, added to the running lab, can call the API at once.
check plink-lab account-add --dir "$lab" 333333333333 third
check_fails plink-lab account-add --dir "$lab" 333333333333 fourth
check_grep us-east-1b $AWS --endpoint-url "$url" --profile third ec2 describe-availability-zones

# status: everything up.
check plink-lab status --dir "$lab"
check_grep 'hv2 +nb_cfg' cat "$TEST_DIR/stdout"

# exec runs in the right namespace with the chassis's run dir.
check_output "$lab/hv2" plink-lab exec --dir "$lab" hv2 -- sh -c 'echo $OVS_RUNDIR'
check_output "$prefix-hv2" plink-lab exec --dir "$lab" hv2 -- ip netns identify
check_output "$prefix-ul" plink-lab exec --dir "$lab" ul ip netns identify
check_fails plink-lab exec --dir "$lab" hv9 -- true

# No daemon warned.  (A controller may find br-int.mgmt before
# ovs-vswitchd listens on it; rconn retries at once.)
for log in "$lab"/central/*.log "$lab"/hv*/*.log; do
    check_no_warnings "$log" 'br-int.mgmt: connection failed \(Connection refused\)'
done

# Down: nothing left.
check plink-lab down --dir "$lab"
while read -r name pid; do
    pid_running "$pid" && fail "$name (pid $pid) still runs after down"
done <"$TEST_DIR/pids"
ip netns list | grep -q "^$prefix-" && fail "namespaces left: $(ip netns list | grep "^$prefix-")"
[ -z "$(ss -Hltn "sport = :$port")" ] || fail "something still listens on port $port"
left=$(find "$lab" \( -name '*.pid' -o -name '*.sock' -o -name '*.ctl' -o -name '*.mgmt' \))
[ -z "$left" ] || fail "left after down: $left"
[ -s "$lab/hv1/ovs-vswitchd.log" ] || fail "down removed the logs"
check_fails plink-lab status --dir "$lab"
check plink-lab down --dir "$lab"
exit 0
