#!/bin/bash
# tests/pipeline/reconnect.sh: restarting plink-controller never takes the
# flows away.  The new controller reads the switch's flows back before it
# pushes anything, so br-int is never empty, an unchanged flow is never
# touched (it keeps its counters and age), and a change made while the
# controller was down costs exactly the flow_mods it needs.
source tests/lib.sh
source tests/pipeline/harness.bash
test_init reconnect
harness_start
wait_for_cfg 1

# Something in every kind of flow: a local network interface (p1), a
# tunnel (to hv2) and an unknown port (p9).
check ovs-vsctl \
    -- add-port br-int p1 -- set interface p1 type=dummy ofport_request=1 \
       external_ids:iface-id=eni-1 \
    -- add-port br-int p9 -- set interface p9 type=dummy ofport_request=9
check pl_transact \
  '{"op": "insert", "table": "Vpc", "uuid-name": "vpc",
    "row": {"vpc_id": "vpc-1", "cidr_block": "10.0.0.0/16",
            "state": "available", "tunnel_key": 42}}' \
  '{"op": "insert", "table": "Subnet", "uuid-name": "subnet",
    "row": {"subnet_id": "subnet-1", "vpc": ["named-uuid", "vpc"],
            "cidr_block": "10.0.1.0/24", "state": "available"}}' \
  '{"op": "insert", "table": "Network_Interface",
    "row": {"network_interface_id": "eni-1",
            "subnet": ["named-uuid", "subnet"],
            "mac_address": "02:00:00:00:00:01",
            "private_ip_address": "10.0.1.5",
            "interface_type": "interface", "status": "in-use"}}' \
  '{"op": "insert", "table": "Chassis",
    "row": {"name": "hv2", "hostname": "hv2.example",
            "encap_type": "geneve", "encap_ip": "192.168.77.2"}}'
wait_until '[ $(dump_flows table=0 | grep -c "priority=100,") = 2 ]'
check_output 1 ovs-vsctl get interface p1 ofport
wait_until 'dump_flows | grep -q "in_port=1 "'
wait_until '[ "$(dump_flows --no-names | strip_flows)" = "$(ctl debug/dump-desired-flows)" ]'
n_flows=$(dump_flows | grep -c cookie=)
# Recomputing an unchanged table sent nothing: only additions so far.
check_grep "^since connect: read 0, added $n_flows, modified 0, deleted 0, bundles [0-9]+$" \
    ctl_status

# Traffic, so that flows have counters to lose.
for i in 1 2 3; do
    check vswitchd_appctl netdev-dummy/receive p9 \
        "in_port(9),eth(src=02:00:00:00:00:09,dst=02:00:00:00:00:01),eth_type(0x0800),ipv4(src=10.0.9.9,dst=10.0.1.5,proto=17,tos=0,ttl=64,frag=no),udp(src=$((1000 + i)),dst=53)"
done
check vswitchd_appctl revalidator/wait
# drop_packets: n_packets of the default flow of table 0.
drop_packets() {
    dump_flows table=0 | grep 'priority=0 ' | sed -E 's/.*n_packets=([0-9]+),.*/\1/'
}
wait_until '[ "$(drop_packets)" -ge 3 ]'
packets_before=$(drop_packets)
flows_before=$(dump_flows --no-names | strip_flows)
sleep 1    # So that a re-added flow would show a younger duration.
age_before=$(dump_flows table=0 | grep 'priority=0 ' |
             sed -E 's/.*duration=([0-9]+)\..*/\1/')

# Dump the flows every 10 ms in the background while the controller
# restarts: the table must never be empty, nor even lose a flow.
mkdir "$TEST_DIR/dumps"
(
    i=0
    while [ ! -e "$TEST_DIR/dumps/stop" ]; do
        dump_flows >"$TEST_DIR/dumps/$(printf %05d $i)" 2>&1
        i=$((i + 1))
        sleep 0.01
    done
) &
dumper=$!
on_exit "touch '$TEST_DIR/dumps/stop'; kill $dumper"

# And watch Chassis:nb_cfg: a restarted controller must not report less
# than it realized before (it does not know yet what the switch has).
ovsdb-client monitor --format=csv "unix:$TEST_DIR/pl.sock" PrivateLink \
    Chassis name,nb_cfg >"$TEST_DIR/nb_cfg.csv" 2>/dev/null &
monitor=$!
on_exit "kill $monitor"

sleep 0.2
controller_stop
sleep 0.3           # Nobody manages br-int now; its flows stay.
controller_start
wait_until 'ctl_status | grep -q "^openflow: S_UPDATE_FLOWS"'
wait_until 'ctl_status | grep -q "^cfg: desired 1, realized 1$"'
sleep 0.2
touch "$TEST_DIR/dumps/stop"
wait "$dumper"
kill "$monitor"
wait "$monitor"

check_grep '^[-0-9a-f]+,initial,hv1,1$' cat "$TEST_DIR/nb_cfg.csv"
check_fails grep -E ',(new|initial),hv1,(-1|0)$' "$TEST_DIR/nb_cfg.csv"

n_dumps=$(find "$TEST_DIR/dumps" -name '[0-9]*' | wc -l)
[ "$n_dumps" -ge 20 ] || fail "only $n_dumps dumps"
for f in "$TEST_DIR"/dumps/[0-9]*; do
    n=$(grep -c cookie= "$f")
    [ "$n" = "$n_flows" ] || {
        sed 's/^/  /' "$f" >&2
        fail "$(basename "$f"): $n flows instead of $n_flows"
    }
done

# The same flows, untouched: the new controller read them back, found
# them right and sent nothing.  Counters and ages survived.
check_output "$flows_before" eval 'dump_flows --no-names | strip_flows'
check_grep "^since connect: read $n_flows, added 0, modified 0, deleted 0, bundles 0$" \
    ctl_status
packets_after=$(drop_packets)
[ "$packets_after" -ge "$packets_before" ] ||
    fail "n_packets went from $packets_before to $packets_after"
age_after=$(dump_flows table=0 | grep 'priority=0 ' |
            sed -E 's/.*duration=([0-9]+)\..*/\1/')
[ "$age_after" -ge "$age_before" ] ||
    fail "the drop flow is younger ($age_after s) than before ($age_before s)"

# The restarted controller follows new cfgs.
wait_for_cfg "$(bump_cfg)"

# A change while the controller is down costs one flow_mod per flow it
# changes at restart, in one bundle: eni-1 goes away, so do its flows (and
# those of its VPC, which has no ENI here any more); the others keep their
# counters.
controller_stop
check pl_transact \
  '{"op": "delete", "table": "Network_Interface",
    "where": [["network_interface_id", "==", "eni-1"]]}'
controller_start
wait_until '! dump_flows | grep -q "in_port=1 "'
n_left=$(dump_flows | grep -c cookie=)
[ "$n_left" -lt "$n_flows" ] || fail "no flow went: $n_left of $n_flows left"
wait_until "ctl_status | grep -q '^since connect: read $n_flows, added 0, modified 0, deleted $((n_flows - n_left)), bundles 1$'"
[ "$(drop_packets)" -ge "$packets_before" ] || fail "counters were reset"
wait_for_cfg "$(bump_cfg)"

# The controller restarts while the PrivateLink database is down: its
# inputs are incomplete, so it must leave the switch alone, however long
# that lasts, and only reconcile (here: nothing to do) once the database is
# back.
flows_before=$(dump_flows --no-names | strip_flows)
controller_stop
pl_db_stop
controller_start
wait_until 'ctl_status | grep -q "^openflow: S_UPDATE_FLOWS"'
sleep 1
check_grep '^desired flows: 0 \(incomplete inputs\)$' ctl_status
check_grep '^since connect: read [0-9]+, added 0, modified 0, deleted 0, bundles 0$' ctl_status
check_output "$flows_before" eval 'dump_flows --no-names | strip_flows'
pl_db_run
wait_until 'ctl_status | grep -q "^privatelink-db: connected"'
cfg=$(pl_get PrivateLink_Global cfg)
wait_until "ctl_status | grep -q '^cfg: desired $cfg, realized $cfg\$'"
check_grep '^since connect: read [0-9]+, added 0, modified 0, deleted 0, bundles 0$' ctl_status
check_output "$flows_before" eval 'dump_flows --no-names | strip_flows'
wait_for_cfg "$(bump_cfg)"

harness_check_logs 'terminating with signal 15'
