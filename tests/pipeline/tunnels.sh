#!/bin/bash
# tests/pipeline/tunnels.sh: one GENEVE port on br-int per other chassis,
# following the Chassis table: it appears with the chassis, follows its
# encap_ip, and goes with it.  Packets from a tunnel are classified into the
# egress half of the pipeline with the VNI as their VPC.
source tests/lib.sh
source tests/pipeline/harness.bash
test_init tunnels
harness_start
wait_for_cfg 1

# tunnel_port CHASSIS: the name of the tunnel port to CHASSIS, if any.
tunnel_port() {
    ovs-vsctl --bare --columns=name find port "external_ids:plink-chassis=$1"
}

# No tunnel to ourselves.
check_output '' tunnel_port hv1

# A second chassis appears: a geneve port to its encap IP.
check pl_transact \
  '{"op": "insert", "table": "Chassis",
    "row": {"name": "hv2", "hostname": "hv2.example",
            "encap_type": "geneve", "encap_ip": "192.168.77.2"}}'
wait_until '[ -n "$(tunnel_port hv2)" ]'
port=$(tunnel_port hv2)
[[ $port =~ ^plgnv-[0-9a-f]{8}$ ]] || fail "bad tunnel port name '$port'"
check_output geneve ovs-vsctl get interface "$port" type
check_output '"192.168.77.2"' ovs-vsctl get interface "$port" \
    options:remote_ip
check_output flow ovs-vsctl get interface "$port" options:key
check_output 1 eval 'ovs-vsctl list-ports br-int | grep -c ^plgnv-'

# Its traffic enters the pipeline in table 0 with the VNI as the VPC, the
# from-tunnel flag, and goes to the egress half (out_sg, table 100); the
# cookie names the remote Chassis row.
wait_until '[ "$(ovs-vsctl get interface "$port" ofport)" -gt 0 ]'
ofport=$(ovs-vsctl get interface "$port" ofport)
hv2_cookie=$(uuid_cookie "$(pl_get Chassis _uuid '[["name","==","hv2"]]')")
wait_until "dump_flows | grep -q 'in_port=$ofport '"
check_output "cookie=$hv2_cookie, table=0, priority=100,in_port=$ofport actions=move:NXM_NX_TUN_ID[0..23]->OXM_OF_METADATA[0..23],set_field:0x1/0x1->reg10,resubmit(,100)" \
    eval "dump_flows --no-names table=0,in_port=$ofport | strip_flows"
check vswitchd_appctl ofproto/trace br-int \
    "in_port=$port,tun_id=0x2a,tun_src=192.168.77.2,tun_dst=192.168.77.1,dl_src=02:00:00:00:00:02,dl_dst=02:00:00:00:00:01"
check_grep '^100\. priority 0' cat "$TEST_DIR/stdout"
check_grep '^Datapath actions: drop$' cat "$TEST_DIR/stdout"

# A third chassis without an encap IP gets no tunnel.
check pl_transact \
  '{"op": "insert", "table": "Chassis",
    "row": {"name": "hv3", "hostname": "hv3.example",
            "encap_type": "geneve", "encap_ip": ""}}'
wait_for_cfg "$(bump_cfg)"
check_output '' tunnel_port hv3

# The remote chassis moves: the same port follows its new IP.
check pl_transact \
  '{"op": "update", "table": "Chassis", "where": [["name", "==", "hv2"]],
    "row": {"encap_ip": "192.168.77.22"}}'
wait_until "[ \"\$(ovs-vsctl get interface $port options:remote_ip)\" = '\"192.168.77.22\"' ]"
check_output "$port" tunnel_port hv2

# The chassis goes: so do its port and its flow.
check pl_transact \
  '{"op": "delete", "table": "Chassis", "where": [["name", "==", "hv2"]]}'
wait_until '[ -z "$(tunnel_port hv2)" ]'
check_fails eval 'ovs-vsctl list-ports br-int | grep -q ^plgnv-'
wait_until "! dump_flows | grep -q 'in_port=$ofport '"

# Ports the controller does not own are left alone.
check ovs-vsctl add-port br-int other -- set interface other type=dummy
wait_for_cfg "$(bump_cfg)"
check ovs-vsctl port-to-br other

harness_check_logs
