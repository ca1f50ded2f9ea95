#!/bin/bash
# tests/pipeline/vpc-binding.sh: binding network interfaces.  An OVS
# interface on br-int whose iface-id names a Network_Interface makes the
# controller write Network_Interface:chassis = this chassis, install the
# ENI's flows and then set up = true; when the interface goes, the ENI is
# released, unless another chassis has it by then.  An ENI bound to another
# live chassis is not stolen (unless requested_chassis says so), and its
# location (a tunnel) is what other chassis send its traffic to.
source tests/lib.sh
source tests/pipeline/harness.bash
source tests/pipeline/vpc.bash
test_init vpc-binding
harness_start
wait_for_cfg 1
vpc_insert_topology
check_recompute_equal

hv1=$(pl_get Chassis _uuid '[["name","==","hv1"]]')
cookie_of() {
    uuid_cookie "$(eni_column "$1" _uuid)"
}

# Nothing is bound before an interface appears; no VPC has flows here.
check_output '' eni_column eni-a1 chassis
check_output False eni_column eni-a1 up
check_fails eval 'dump_flows | grep -q metadata=0x2a'
check_recompute_equal

# The interface appears: bound, flows, up.  The flows of eni-a1 carry its
# cookie, from classification to delivery (those of its security groups
# carry their rules').
vpc_add_port 1 eni-a1
wait_for_up eni-a1
a1=$(cookie_of eni-a1)
check_grep "^cookie=$a1, table=0, priority=100,in_port=1 actions=set_field:0x2a->metadata,set_field:0x1->reg14,set_field:0x[0-9a-f]+->reg1,resubmit\(,10\)$" \
    eval 'dump_flows --no-names | strip_flows'
for table in 0 10 20 70 100 140; do
    check_grep "^cookie=$a1, table=$table," eval 'dump_flows --no-names | strip_flows'
done
check_grep '^eni-a1 ofport 1 10.0.1.10 02:00:00:00:01:0a: bound here, up$' \
    ctl debug/dump-bindings
check_grep 'binding\|INFO\|claiming eni-a1 \(10.0.1.10, 02:00:00:00:01:0a\)' \
    cat "$TEST_DIR/plink-controller.log"
check_recompute_equal

# Chassis hv2 appears, with eni-ar bound there.
vpc_insert_hv2
hv2=$(pl_get Chassis _uuid '[["name","==","hv2"]]')
check_recompute_equal

# An ENI bound to another live chassis is not claimed: its interface here
# stays inert (no classification), the database keeps hv2.
vpc_add_port 5 eni-ar
wait_until 'grep -q "eni-ar: bound to chassis hv2, not claiming it" "$TEST_DIR/plink-controller.log"'
check_output "$hv2" eni_column eni-ar chassis
check_fails eval 'dump_flows | grep -q "in_port=5 "'
check_grep '^eni-ar ofport 5 10.0.2.30 02:00:00:00:02:1e: bound to hv2$' \
    ctl debug/dump-bindings
# ... and hv1 sends its traffic into the tunnel to hv2: PL_IN_DEST sets
# the tunnel port as the output port, and the tunnel delivery adds the VNI.
wait_until '[ -n "$(ovs-vsctl --bare --columns=name find port external_ids:plink-chassis=hv2)" ]'
tun=$(ovs-vsctl --bare --columns=name find port external_ids:plink-chassis=hv2)
wait_until "[ \"\$(ovs-vsctl get interface $tun ofport)\" -gt 0 ]"
tun_ofport=$(ovs-vsctl get interface "$tun" ofport)
ar=$(cookie_of eni-ar)
check_recompute_equal
check_grep "^cookie=$ar, table=70, priority=100,ip,reg0=0xa00021e,metadata=0x2a/0xffffff actions=set_field:02:00:00:00:02:1e->eth_dst,set_field:$(printf %#x "$tun_ofport")->reg15,resubmit\(,140\)$" \
    eval 'dump_flows --no-names | strip_flows'
check_grep "table=140, priority=100,reg15=$(printf %#x "$tun_ofport") actions=move:OXM_OF_METADATA\[0..23\]->NXM_NX_TUN_ID\[0..23\],output:$tun_ofport$" \
    eval 'dump_flows --no-names | strip_flows'

# requested_chassis names us: we take it over.
check pl_transact '{"op": "update", "table": "Network_Interface",
                    "where": [["network_interface_id", "==", "eni-ar"]],
                    "row": {"requested_chassis": "hv1"}}'
wait_for_up eni-ar
wait_until 'dump_flows | grep -q "in_port=5 "'
check_grep "claiming eni-ar .* from chassis hv2" cat "$TEST_DIR/plink-controller.log"
check_recompute_equal

# requested_chassis moves it elsewhere: released (nobody else claims it in
# this test), its flows go.
check pl_transact '{"op": "update", "table": "Network_Interface",
                    "where": [["network_interface_id", "==", "eni-ar"]],
                    "row": {"requested_chassis": "hv2"}}'
wait_until '[ -z "$(eni_column eni-ar chassis)" ]'
check_output False eni_column eni-ar up
wait_until '! dump_flows | grep -q "in_port=5 "'
check_recompute_equal

# A released ENI of a VPC with no other ENI here takes the VPC's flows
# away: eni-b1 is the only ENI of vpc-b.
vpc_add_port 4 eni-b1
wait_for_up eni-b1
wait_until 'dump_flows | grep -q metadata=0x2b'
check ovs-vsctl del-port br-int p4
wait_until '[ -z "$(eni_column eni-b1 chassis)" ]'
check_output False eni_column eni-b1 up
wait_until '! dump_flows | grep -q metadata=0x2b'
check_grep 'releasing eni-b1' cat "$TEST_DIR/plink-controller.log"
check_recompute_equal

# Another chassis took eni-a1 meanwhile (say, a migration that bound it
# there before the port here went): removing our port must not unbind it.
check pl_transact "{\"op\": \"update\", \"table\": \"Network_Interface\",
                    \"where\": [[\"network_interface_id\", \"==\", \"eni-a1\"]],
                    \"row\": {\"chassis\": [\"uuid\", \"$hv2\"]}}"
wait_until '! dump_flows | grep -q "in_port=1 "'
check ovs-vsctl del-port br-int p1
check_recompute_equal
check_output "$hv2" eni_column eni-a1 chassis
check_fails grep -q 'releasing eni-a1' "$TEST_DIR/plink-controller.log"

# An iface-id that names no ENI, and a port without one, bind nothing.
check ovs-vsctl add-port br-int p6 -- set interface p6 type=dummy \
    ofport_request=6 external_ids:iface-id=eni-nope
check ovs-vsctl add-port br-int p7 -- set interface p7 type=dummy \
    ofport_request=7
check_recompute_equal
check_grep '^eni-nope ofport 6: no such network interface$' \
    ctl debug/dump-bindings
check_fails eval 'dump_flows | grep -qE "in_port=(6|7) "'

harness_check_logs
