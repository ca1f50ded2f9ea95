#!/bin/bash
# tests/system/appliance.sh: plink-appliance, the Gateway Load Balancer
# appliance, against real GENEVE datagrams.  Two network namespaces joined
# by a veth: the appliance in one (under valgrind when it is installed),
# and in the other geneve-send.py playing the GWLB from UDP port 6081.
# Valid datagrams come back byte-identical to port 6081 and are counted
# per inner flow in the --stats file; --drop-dport drops (nothing comes
# back, "dropped" rises); datagrams without the three GWLB options, with a
# bad header, a non-IPv4 inner packet or random garbage are counted as
# invalid and not returned; the stats file is refreshed every second;
# SIGTERM writes the last stats and exits 0; --detach and --pidfile work;
# bad usage exits 2 with one line.
source tests/lib.sh
test_init appliance

# Names unique to this test's folder (/tmp/plink-test-appliance.XXXXXX).
id=${TEST_DIR##*.}
NS_APPL=plap-$id-appl
NS_GWLB=plap-$id-gwlb
APPL_IP=10.99.0.2
GWLB_IP=10.99.0.1
STATS=$TEST_DIR/stats
APPL_BIN=$top_builddir/utilities/plink-appliance
GENEVE_SEND=$top_srcdir/tests/system/geneve-send.py

# The appliance runs under valgrind's memcheck if it is installed: any
# memory error or definite leak makes it exit 99 (checked with its status)
# and leaves the details in $TEST_DIR/valgrind.PID.log.
VALGRIND=()
if command -v valgrind >/dev/null; then
    VALGRIND=(valgrind -q --log-file="$TEST_DIR/valgrind.%p.log"
              --leak-check=full --errors-for-leak-kinds=definite
              --error-exitcode=99)
fi

# appliance ARGS...: runs plink-appliance in the appliance's namespace.
appliance() {
    ip netns exec "$NS_APPL" "${VALGRIND[@]}" "$APPL_BIN" "$@"
}

# gwlb ARGS...: sends GENEVE datagrams to the appliance from the GWLB's
# namespace (geneve-send.py --to APPL_IP ARGS...).
gwlb() {
    ip netns exec "$NS_GWLB" python3 "$GENEVE_SEND" --to "$APPL_IP" "$@"
}

# stat_line REGEX: the line of the stats file that matches REGEX.
stat_line() {
    grep -E -- "$1" "$STATS"
}

# n_received: the datagrams the stats file counts: packets + invalid.
n_received() {
    awk -F'[ =]' 'NR == 1 { print $3 + $7 }' "$STATS"
}

# wait_stats LINE: waits until the stats file has exactly the line LINE.
wait_stats() {
    wait_until "grep -qxF -- '$1' '$STATS'" 5
}

# ------------------------------------------------------------ usage
check_grep '^SYNOPSIS$' "$APPL_BIN" --help
check_grep '^EXAMPLES$' "$APPL_BIN" --help
check_grep 'packets=N dropped=M endpoint=0x<16 hex>' "$APPL_BIN" --help
for bad in --bogus "--port 0" "--port 70000" "--drop-dport x" \
           "--listen 1.2.3" extra-arg; do
    # shellcheck disable=SC2086
    "$APPL_BIN" $bad >"$TEST_DIR/out" 2>"$TEST_DIR/err"
    rc=$?
    [ $rc = 2 ] || fail "plink-appliance $bad: exit $rc, not 2"
    [ "$(wc -l <"$TEST_DIR/err")" = 1 ] || fail "plink-appliance $bad: stderr"
    [ ! -s "$TEST_DIR/out" ] || fail "plink-appliance $bad: stdout"
done
check python3 "$GENEVE_SEND" --help
check_grep '^usage: geneve-send.py' cat "$TEST_DIR/stdout"

# ------------------------------------------------------------ the namespaces
on_exit "ip netns del $NS_APPL"
check ip netns add "$NS_APPL"
on_exit "ip netns del $NS_GWLB"
check ip netns add "$NS_GWLB"
check ip link add "pa$id" netns "$NS_APPL" type veth peer name "pg$id" \
    netns "$NS_GWLB"
check ip -n "$NS_APPL" addr add "$APPL_IP/24" dev "pa$id"
check ip -n "$NS_GWLB" addr add "$GWLB_IP/24" dev "pg$id"
for ns in "$NS_APPL" "$NS_GWLB"; do
    check ip -n "$ns" link set lo up
done
check ip -n "$NS_APPL" link set "pa$id" up
check ip -n "$NS_GWLB" link set "pg$id" up

# ------------------------------------------------------------ start
# In the foreground (as a background job, not through a shell function),
# so that the test gets its exit status; 'ip netns exec' and valgrind keep
# the PID.
ip netns exec "$NS_APPL" "${VALGRIND[@]}" "$APPL_BIN" \
    --drop-dport 23 --drop-dport 5353 --stats "$STATS" \
    --pidfile="$TEST_DIR/appliance.pid" --log-file="$TEST_DIR/appliance.log" \
    -vappliance:file:dbg 2>"$TEST_DIR/appliance.stderr" &
pid=$!
on_exit "kill_pidfile $TEST_DIR/appliance.pid"
wait_until "[ -f '$STATS' ]" 20
check_output "total packets=0 dropped=0 invalid=0" cat "$STATS"
check_output "$pid" cat "$TEST_DIR/appliance.pid"
check_grep "listening on 0\.0\.0\.0:6081" cat "$TEST_DIR/appliance.log"
# A second appliance cannot bind the port: it says so and exits 1.
appliance --port 6081 >/dev/null 2>"$TEST_DIR/err"
rc=$?
[ $rc = 1 ] || fail "second appliance on 6081: exit $rc, not 1"
check_grep 'Address already in use' cat "$TEST_DIR/err"

# ------------------------------------------------------------ pass
# geneve-send.py's default GWLB options, as the stats file shows them.
META="endpoint=0x0123456789abcdef attachment=0x1122334455667788"
META="$META cookie=0xc00c1e01"
reply="identical reply from $APPL_IP:6081"
check_output "$reply
$reply
$reply" gwlb --count 3 --proto tcp --src 10.1.0.5 --sport 33000 \
    --dst 10.2.0.9 --dport 80
wait_stats "tcp 10.1.0.5:33000 10.2.0.9:80 packets=3 dropped=0 $META"
# Other GWLB metadata; a UDP flow; an ICMP flow has ports 0.
check_output "$reply
$reply" gwlb --count 2 --proto udp --src 10.1.0.6 --sport 5000 \
    --dst 10.2.0.9 --dport 53 --endpoint 0xe1 --attachment 0xa77 \
    --cookie 0x42 --vni 7
check_output "$reply" gwlb --proto icmp --src 10.1.0.5 --dst 10.2.0.9
wait_stats "udp 10.1.0.6:5000 10.2.0.9:53 packets=2 dropped=0 \
endpoint=0x00000000000000e1 attachment=0x0000000000000a77 cookie=0x00000042"
wait_stats "icmp 10.1.0.5:0 10.2.0.9:0 packets=1 dropped=0 $META"
# Unknown non-critical options and the C bit come back as they were.
check_output "$reply" gwlb --extra-option --critical-bit --sport 33001
# Sent from another source port, the answer still goes to port 6081.
check_output "$reply" gwlb --from-port 40000 --sport 33002
# The metadata shown is that of the flow's last packet.
check_output "$reply" gwlb --sport 33000 --cookie 0xc00c1e02
wait_stats "total packets=9 dropped=0 invalid=0"
wait_stats "tcp 10.1.0.5:33000 10.2.0.9:80 packets=4 dropped=0 ${META%01}02"
check_output 6 grep -c . "$STATS"

# ------------------------------------------------------------ drop
check_output "no reply
no reply" gwlb --count 2 --timeout 0.5 --proto tcp --sport 40001 --dport 23
check_output "no reply" gwlb --timeout 0.5 --proto udp --sport 40002 \
    --dport 5353
# Only the destination port matters.
check_output "$reply" gwlb --proto tcp --sport 23 --dport 8080
wait_stats "tcp 10.1.0.5:40001 10.2.0.9:23 packets=2 dropped=2 $META"
wait_stats "udp 10.1.0.5:40002 10.2.0.9:5353 packets=1 dropped=1 $META"
wait_stats "tcp 10.1.0.5:23 10.2.0.9:8080 packets=1 dropped=0 $META"
wait_stats "total packets=13 dropped=3 invalid=0"

# ------------------------------------------------------------ invalid
n_invalid=0
for bad in "--omit endpoint" "--omit attachment" "--omit cookie" \
           "--omit endpoint --omit attachment --omit cookie" \
           "--geneve-version 1" "--protocol-type 0x6558" \
           "--inner-version 6" "--critical-option" \
           "--truncate 7" "--truncate 20" "--truncate 40" "--truncate 50" \
           "--raw 00" "--raw 3f0008000000000001080102" \
           "--raw 0000080000000000"; do
    # shellcheck disable=SC2086
    check_output "no reply" gwlb --timeout 0.3 --sport 50000 $bad
    n_invalid=$((n_invalid + 1))
done
wait_stats "total packets=13 dropped=3 invalid=$n_invalid"
check_fails stat_line ':50000 '
check_grep \
    'invalid datagram of 7 bytes from 10\.99\.0\.1:6081: truncated GENEVE' \
    cat "$TEST_DIR/appliance.log"
check_grep 'GWLB option missing' cat "$TEST_DIR/appliance.log"
check_grep 'inner packet is not IPv4' cat "$TEST_DIR/appliance.log"

# Random mutations of a valid datagram: each one is counted once, as a
# packet or as invalid, and the appliance keeps answering.
before=$(n_received)
check_output "sent 300" gwlb --fuzz 300 --seed 6081 --sport 60000
wait_until "[ \$(n_received) = $((before + 300)) ]" 5
check_output "$reply" gwlb --sport 33000
pid_running $pid || fail "the appliance died"

# ------------------------------------------------------------ stats refresh
# The file is replaced every second, traffic or not, and never left half
# written.
m0=$(stat -c %y "$STATS")
wait_until "[ \"\$(stat -c %y '$STATS')\" != '$m0' ]" 3
m1=$(stat -c %y "$STATS")
wait_until "[ \"\$(stat -c %y '$STATS')\" != '$m1' ]" 3
check_grep '^total packets=[0-9]+ dropped=[0-9]+ invalid=[0-9]+$' \
    head -1 "$STATS"

# ------------------------------------------------------------ SIGTERM
# The last packet shows in the final stats, the status is 0, the pidfile
# is gone, and so is the process.
total=$(awk -F'[ =]' 'NR == 1 { print $3 }' "$STATS")
check_output "$reply" gwlb --proto udp --sport 7777 --dport 7
check kill -TERM $pid
wait $pid
rc=$?
if [ $rc != 0 ]; then
    cat "$TEST_DIR"/valgrind.*.log 2>/dev/null | sed 's/^/  valgrind: /' >&2
    fail "SIGTERM: exit $rc, not 0 (99: valgrind errors)"
fi
pid_running $pid && fail "appliance $pid still running"
check_grep "^total packets=$((total + 1)) " head -1 "$STATS"
check_grep '^udp 10\.1\.0\.5:7777 10\.2\.0\.9:7 packets=1 dropped=0 ' \
    cat "$STATS"
[ ! -e "$TEST_DIR/appliance.pid" ] || fail "pidfile left behind"
check_grep 'exiting on signal' cat "$TEST_DIR/appliance.log"
check_no_warnings "$TEST_DIR/appliance.log"

# ------------------------------------------------------------ --detach
# The foreground exits 0 once the socket is bound; the daemon answers and
# the pidfile names it; SIGTERM stops it.
check appliance --listen "$APPL_IP" --port 6081 --stats "$TEST_DIR/stats2" \
    --pidfile="$TEST_DIR/detached.pid" --log-file="$TEST_DIR/detached.log" \
    --detach
dpid=$(cat "$TEST_DIR/detached.pid")
on_exit "kill_pidfile $TEST_DIR/detached.pid"
pid_running "$dpid" || fail "detached appliance is not running"
check_output "$reply" gwlb --sport 1234
wait_until "grep -q '^total packets=1 dropped=0 invalid=0$' '$TEST_DIR/stats2'"
check kill -TERM "$dpid"
wait_until "! pid_running $dpid"
wait_until "[ ! -e '$TEST_DIR/detached.pid' ]"
check_no_warnings "$TEST_DIR/detached.log"

# ------------------------------------------------------------ valgrind
if [ ${#VALGRIND[@]} -gt 0 ]; then
    for log in "$TEST_DIR"/valgrind.*.log; do
        [ -f "$log" ] || fail "no valgrind log"
        if [ -s "$log" ]; then
            sed 's/^/  valgrind: /' "$log" >&2
            fail "valgrind found errors in plink-appliance"
        fi
    done
fi
echo "appliance: all checks passed"
