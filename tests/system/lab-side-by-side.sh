#!/bin/bash
# tests/system/lab-side-by-side.sh: two labs, in two folders with two API
# ports, come up at the same time without colliding, both answer, and both
# go down leaving nothing behind.
. "$(dirname "$0")/../lib.sh"
test_init lab-side-by-side

AWS=/usr/bin/aws
unset AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY AWS_SESSION_TOKEN AWS_PROFILE

a=$TEST_DIR/a
b=$TEST_DIR/b
port_a=$(free_port)
port_b=$(free_port "$port_a")
on_exit "plink-lab down --dir $a"
on_exit "plink-lab down --dir $b"

# Both at once.
plink-lab up --dir "$a" --chassis 1 --api-port "$port_a" >"$TEST_DIR/up-a.out" 2>&1 &
pid_a=$!
plink-lab up --dir "$b" --chassis 1 --api-port "$port_b" >"$TEST_DIR/up-b.out" 2>&1 &
pid_b=$!
wait $pid_a || fail "up a: $(cat "$TEST_DIR/up-a.out")"
wait $pid_b || fail "up b: $(cat "$TEST_DIR/up-b.out")"
cat "$TEST_DIR/up-a.out" "$TEST_DIR/up-b.out"

ns_a=$(plink-lab netns --dir "$a" hv1)
ns_b=$(plink-lab netns --dir "$b" hv1)
[ "$ns_a" != "$ns_b" ] || fail "both labs use namespace $ns_a"
cat "$a/pids" "$b/pids" >"$TEST_DIR/pids"

for lab in "$a" "$b"; do
    check plink-lab status --dir "$lab"
    # Each lab's chassis registered with its own database only.
    check_output 'hv1' bash -o pipefail -c "ovsdb-client -f csv --no-headings \
        dump unix:$lab/central/pl.sock PrivateLink Chassis name | tail -n +2 | tr -d '\"'"
    check_grep 'cookie=0x0*[1-9a-f]' plink-lab exec --dir "$lab" hv1 -- ovs-ofctl -O OpenFlow15 dump-flows br-int
done
check_output "$ns_a" plink-lab exec --dir "$a" hv1 -- ip netns identify
check_output "$ns_b" plink-lab exec --dir "$b" hv1 -- ip netns identify

# Both APIs answer, each with its own accounts.
for x in "a $a $port_a" "b $b $port_b"; do
    set -- $x
    check_grep use1-az2 env AWS_SHARED_CREDENTIALS_FILE="$2/credentials" AWS_CONFIG_FILE="$2/config" \
        $AWS --endpoint-url "http://127.0.0.1:$3" --profile consumer ec2 describe-availability-zones
done
# Lab a's consumer key is unknown to lab b.
check_fails env AWS_SHARED_CREDENTIALS_FILE="$a/credentials" AWS_CONFIG_FILE="$a/config" \
    $AWS --endpoint-url "http://127.0.0.1:$port_b" --profile consumer ec2 describe-availability-zones

# Taking a down leaves b running.
check plink-lab down --dir "$a"
check plink-lab status --dir "$b"
check plink-lab down --dir "$b"

while read -r name pid; do
    pid_running "$pid" && fail "$name (pid $pid) still runs after down"
done <"$TEST_DIR/pids"
for lab in "$a" "$b"; do
    prefix=$(plink-lab netns --dir "$lab" x)
    prefix=${prefix%-x}
    ip netns list | grep -q "^$prefix-" && fail "namespaces left: $(ip netns list | grep "^$prefix-")"
done
for p in "$port_a" "$port_b"; do
    [ -z "$(ss -Hltn "sport = :$p")" ] || fail "something still listens on port $p"
done
exit 0
