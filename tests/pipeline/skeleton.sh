#!/bin/bash
# tests/pipeline/skeleton.sh: plink-controller registers its chassis,
# creates br-int, reports the cfg it has installed, and installs the
# skeleton pipeline: a default flow in every stage of PL_STAGES, whose
# cookie names the PrivateLink_Global row, and the classification of local
# network interfaces in table 0.  Packets from unknown ports are dropped.
source tests/lib.sh
source tests/pipeline/harness.bash
test_init skeleton
harness_start

# The chassis registered itself, once, as configured.
check_output hv1 pl_get Chassis name
check_output 192.168.77.1 pl_get Chassis encap_ip
check_output geneve pl_get Chassis encap_type
check_output hv1.example pl_get Chassis hostname

# br-int was created the way the controller needs it.
check_output secure ovs-vsctl get bridge br-int fail_mode
check_output dummy ovs-vsctl get bridge br-int datapath_type
check_output '"true"' ovs-vsctl get bridge br-int other_config:disable-in-band

# The chassis reports the cfg it realized, and follows a bump.
wait_for_cfg 1
cfg=$(bump_cfg)
[ "$cfg" = 2 ] || fail "bump_cfg gave '$cfg'"
wait_for_cfg 2
ts=$(pl_get Chassis nb_cfg_timestamp)
now=$(($(date +%s%N) / 1000000))
[ "$ts" -gt $((now - 60000)) ] && [ "$ts" -le "$now" ] ||
    fail "nb_cfg_timestamp $ts is not a recent time in ms (now $now)"
check_grep '^cfg: desired 2, realized 2$' ctl_status

# A default flow in every stage, cookie = first 32 bits of the Global row.
cookie=$(uuid_cookie "$(global_uuid)")
n_stages=0
for table in $(stage_tables); do
    check_grep "^cookie=$cookie, table=$table, priority=0 actions=" \
        eval 'dump_flows --no-names | strip_flows'
    n_stages=$((n_stages + 1))
done
[ "$n_stages" -ge 10 ] || fail "only $n_stages stages"
check_output "$n_stages" eval 'dump_flows | grep -c "priority=0 "'

# The default flows do what PL_STAGES says: drop or go to the next stage.
check_grep '^ *0 in_classify +drop ' ctl flow-table-list
check_grep "^cookie=$cookie, table=20, priority=0 actions=resubmit\(,25\)$" \
    eval 'dump_flows --no-names | strip_flows'
check_grep "^cookie=$cookie, table=25, priority=0 actions=resubmit\(,30\)$" \
    eval 'dump_flows --no-names | strip_flows'
check_grep "^cookie=$cookie, table=0, priority=0 actions=drop$" \
    eval 'dump_flows --no-names | strip_flows'

# A packet from a port the controller knows nothing about is dropped by the
# default flow of table 0.
check ovs-vsctl add-port br-int p9 -- \
    set interface p9 type=dummy ofport_request=9
check vswitchd_appctl ofproto/trace br-int \
    'in_port=p9,dl_src=02:00:00:00:00:09,dl_dst=02:00:00:00:00:01'
check_grep '^Datapath actions: drop$' cat "$TEST_DIR/stdout"
check_grep "0\. priority 0, cookie $cookie" cat "$TEST_DIR/stdout"

# A local network interface: a VIF whose iface-id names a
# Network_Interface gets a table-0 flow that loads its VPC's tunnel key
# (42) and its port, and goes on to port security (table 10).
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
            "interface_type": "interface", "status": "in-use"}}'
eni_cookie=$(uuid_cookie "$(pl_get Network_Interface _uuid)")
check ovs-vsctl add-port br-int p1 -- \
    set interface p1 type=dummy ofport_request=1 external_ids:iface-id=eni-1
wait_until "dump_flows | grep -q 'priority=100,in_port=1 '"
check_output "cookie=$eni_cookie, table=0, priority=100,in_port=1 actions=set_field:0x2a->metadata,set_field:0x1->reg14,resubmit(,10)" \
    eval 'dump_flows --no-names table=0,in_port=1 | strip_flows'
check vswitchd_appctl ofproto/trace br-int \
    'in_port=p1,dl_src=02:00:00:00:00:01,dl_dst=02:00:00:00:00:02'
check_grep '^ *resubmit\(,10\)' cat "$TEST_DIR/stdout"
check_grep '^10\. priority 0' cat "$TEST_DIR/stdout"
check_grep '^Datapath actions: drop$' cat "$TEST_DIR/stdout"

# An iface-id nobody knows classifies nothing.
check ovs-vsctl add-port br-int p2 -- \
    set interface p2 type=dummy ofport_request=2 external_ids:iface-id=eni-x
wait_until '[ "$(ovs-vsctl get interface p2 ofport)" = 2 ]'
wait_for_cfg "$(bump_cfg)"
check_fails eval 'dump_flows | grep -q in_port=2'

# The switch holds exactly the desired table, and recomputing changes
# nothing.
wait_until '[ "$(dump_flows --no-names | strip_flows)" = "$(ctl debug/dump-desired-flows)" ]'
before=$(ctl_status | grep '^since connect')
n=$(ctl_status | sed -n 's/^recomputes: //p')
check ctl recompute
wait_until "[ \$(ctl_status | sed -n 's/^recomputes: //p') -gt $n ]"
check_output "$before" eval 'ctl_status | grep "^since connect"'

# The Chassis row is never duplicated, even after a recompute and a bump.
wait_for_cfg "$(bump_cfg)"
check_output 1 eval 'pl_get Chassis name | grep -c hv1'

harness_check_logs
