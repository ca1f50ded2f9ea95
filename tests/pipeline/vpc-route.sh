#!/bin/bash
# tests/pipeline/vpc-route.sh: the VPC router.  Every IPv4 packet is routed,
# within a subnet too: by the route table of the source ENI's subnet (its
# explicit association, else the main table), longest prefix first, a CIDR
# route before a prefix-list route of the same length; it leaves with the
# router MAC as source, the destination ENI's MAC as destination and its
# TTL decremented.  Routes to a network interface make it the next hop;
# blackhole routes and routes to what cannot be realized yet drop.  A VPC
# never reaches into another, even with the same addresses.
source tests/lib.sh
source tests/pipeline/harness.bash
source tests/pipeline/vpc.bash
test_init vpc-route
harness_start
wait_for_cfg 1
vpc_setup

icmp="icmp,icmp_type=8,nw_ttl=64"
p1=$(dp_port p1) p2=$(dp_port p2) p3=$(dp_port p3) p4=$(dp_port p4)

# from_a1 DST: an ICMP echo from eni-a1 to DST, as received on p1.
from_a1() {
    echo "in_port=p1,$icmp,dl_src=$MAC_A1,dl_dst=$ROUTER_A,nw_src=10.0.1.10,nw_dst=$1"
}

# routed_actions: the second "Datapath actions" of the last trace (what
# happens between the source's and the destination's conntrack lookups),
# without the recirculation ID.
routed_actions() {
    sed -n 's/^Datapath actions: //p' "$TEST_DIR/trace" | sed -n 2p |
        sed 's/recirc(0x[0-9a-f]*)/recirc/'
}

# add_route RTB JSON-COLUMNS: adds a route with the given columns to route
# table RTB.
add_route() {
    check pl_transact \
      "{\"op\": \"insert\", \"table\": \"Route_Entry\", \"uuid-name\": \"r\",
        \"row\": {\"origin\": \"CreateRoute\", $2}}" \
      "{\"op\": \"mutate\", \"table\": \"Route_Table\",
        \"where\": [[\"route_table_id\", \"==\", \"$1\"]],
        \"mutations\": [[\"routes\", \"insert\", [\"named-uuid\", \"r\"]]]}"
}

eni_ref() {
    echo "[\"uuid\", \"$(eni_column "$1" _uuid)\"]"
}

# Within a subnet: routed all the same.
check_trace "ct(commit,zone=2),$p2" "$(from_a1 10.0.1.11)" trk,new trk,new
check_output "ct(commit,zone=1),set(eth(src=$ROUTER_A,dst=$MAC_A2)),set(ipv4(ttl=63)),ct(zone=2),recirc" \
    routed_actions
# To the other subnet, and back by that subnet's own table.
check_trace "ct(commit,zone=3),$p3" "$(from_a1 10.0.2.20)" trk,new trk,new
check_output "ct(commit,zone=1),set(eth(src=$ROUTER_A,dst=$MAC_A3)),set(ipv4(ttl=63)),ct(zone=3),recirc" \
    routed_actions
check_trace "ct(commit,zone=1),$p1" \
    "in_port=p3,$icmp,dl_src=$MAC_A3,dl_dst=$ROUTER_A,nw_src=10.0.2.20,nw_dst=10.0.1.10" \
    trk,new trk,new
# The route flows: one per table, priority 1000 + 2 * 16 + 1 for a /16
# CIDR route; the route's cookie; the table in reg1.
rtb_main=$(pl_get Route_Table _uuid '[["route_table_id","==","rtb-a-main"]]')
rtb_a2=$(pl_get Route_Table _uuid '[["route_table_id","==","rtb-a2"]]')
local_route=$(pl_get Route_Table routes '[["route_table_id","==","rtb-a-main"]]')
check_grep "^cookie=$(uuid_cookie "$local_route"), table=40, priority=1033,ip,reg1=$(uuid_cookie "$rtb_main"),metadata=0x2a/0xffffff,nw_dst=10.0.0.0/16 actions=move:NXM_OF_IP_DST\[\]->NXM_NX_REG0\[\],set_field:$ROUTER_A->eth_src,dec_ttl,resubmit\(,50\)$" \
    eval 'dump_flows --no-names | strip_flows'
check_grep "^cookie=0x[0-9a-f]+, table=0, priority=100,in_port=3 actions=.*set_field:$(uuid_cookie "$rtb_a2")->reg1," \
    eval 'dump_flows --no-names | strip_flows'
# No address, no delivery: 10.0.2.99 is routed but nobody has it.
check_trace "ct(commit,zone=1)" \
    "$(from_a1 10.0.2.99)" trk,new
check_grep '^70\. priority 0' cat "$TEST_DIR/trace"
# A TTL that would run out is dropped before any route.
check_trace "ct(commit,zone=1)" "in_port=p1,icmp,icmp_type=8,nw_ttl=1,dl_src=$MAC_A1,dl_dst=$ROUTER_A,nw_src=10.0.1.10,nw_dst=10.0.1.11" trk,new
check_grep '^40\. ip,nw_ttl=1, priority 2000' cat "$TEST_DIR/trace"

# Longest prefix: 10.0.2.0/24 via eni-a2 (an appliance: source/destination
# check off) in the main table takes 10.0.2.0/24 away from the local /16
# for subnet-a1 ...
check pl_transact '{"op": "update", "table": "Network_Interface",
                    "where": [["network_interface_id", "==", "eni-a2"]],
                    "row": {"source_dest_check": false}}'
add_route rtb-a-main "\"destination_cidr_block\": \"10.0.2.0/24\",
    \"target_type\": \"network-interface\", \"state\": \"active\",
    \"network_interface\": $(eni_ref eni-a2)"
check_recompute_equal
check_trace "ct(commit,zone=2),$p2" "$(from_a1 10.0.2.20)" trk,new trk,new
check_output "ct(commit,zone=1),set(eth(src=$ROUTER_A,dst=$MAC_A2)),set(ipv4(ttl=63)),ct(zone=2),recirc" \
    routed_actions
check_grep '^40\. .*nw_dst=10.0.2.0/24, priority 1049' cat "$TEST_DIR/trace"
# ... but not for subnet-a2, whose table has only the local route: eni-a3
# still reaches eni-ar on hv2 directly, through the tunnel.
trace "in_port=p3,$icmp,dl_src=$MAC_A3,dl_dst=$ROUTER_A,nw_src=10.0.2.20,nw_dst=10.0.2.30" trk,new >/dev/null
check_grep "^ *output:$HV2_OFPORT$" cat "$TEST_DIR/trace"
check_grep '^40\. .*nw_dst=10.0.0.0/16, priority 1033' cat "$TEST_DIR/trace"
# A /32 local route wins over the /24 ...
add_route rtb-a-main '"destination_cidr_block": "10.0.2.20/32",
    "target_type": "local", "gateway_id": "local", "state": "active"'
check_recompute_equal
check_trace "ct(commit,zone=3),$p3" "$(from_a1 10.0.2.20)" trk,new trk,new
check_grep '^40\. .*nw_dst=10.0.2.20, priority 1065' cat "$TEST_DIR/trace"
# ... and a /30 blackhole over the /24: 10.0.2.30 is dropped in table 40,
# 10.0.2.40 still goes to the appliance.
add_route rtb-a-main '"destination_cidr_block": "10.0.2.28/30",
    "target_type": "network-interface", "state": "blackhole"'
check_recompute_equal
check_trace "ct(commit,zone=1)" "$(from_a1 10.0.2.30)" trk,new
check_grep '^40\. .*nw_dst=10.0.2.28/30, priority 1061' cat "$TEST_DIR/trace"
check_trace "ct(commit,zone=2),$p2" "$(from_a1 10.0.2.40)" trk,new trk,new

# Equal prefixes: a CIDR route beats a prefix-list route.  192.0.2.0/24 by
# a prefix list to a gateway endpoint (not realized yet: drop) and by CIDR
# to the appliance: the appliance gets it.
check pl_transact \
  '{"op": "insert", "table": "Prefix_List", "uuid-name": "pl",
    "row": {"prefix_list_id": "pl-1234abcd", "prefix_list_name": "test",
            "owner_id": "AWS", "address_family": "IPv4",
            "state": "create-complete", "max_entries": 10,
            "entries": ["map", [["192.0.2.0/24", ""], ["198.51.100.0/24", ""]]]}}' \
  '{"op": "insert", "table": "Route_Entry", "uuid-name": "r",
    "row": {"origin": "CreateRouteTable", "destination_prefix_list": ["named-uuid", "pl"],
            "target_type": "vpc-endpoint", "gateway_id": "vpce-1", "state": "active"}}' \
  '{"op": "mutate", "table": "Route_Table",
    "where": [["route_table_id", "==", "rtb-a-main"]],
    "mutations": [["routes", "insert", ["named-uuid", "r"]]]}'
check_recompute_equal
check_trace "ct(commit,zone=1)" "$(from_a1 198.51.100.7)" trk,new
check_grep '^40\. .*nw_dst=198.51.100.0/24, priority 1048' cat "$TEST_DIR/trace"
add_route rtb-a-main "\"destination_cidr_block\": \"192.0.2.0/24\",
    \"target_type\": \"network-interface\", \"state\": \"active\",
    \"network_interface\": $(eni_ref eni-a2)"
check_recompute_equal
check_trace "ct(commit,zone=2),$p2" "$(from_a1 192.0.2.7)" trk,new trk,new
check_grep '^40\. .*nw_dst=192.0.2.0/24, priority 1049' cat "$TEST_DIR/trace"

# A default route to an internet gateway cannot be realized yet: it drops,
# with its own cookie.
add_route rtb-a-main '"destination_cidr_block": "0.0.0.0/0",
    "target_type": "gateway", "gateway_id": "igw-1", "state": "active"'
check_recompute_equal
check_trace "ct(commit,zone=1)" "$(from_a1 8.8.8.8)" trk,new
check_grep '^40\. ip,reg1=.*,metadata=0x2a/0xffffff, priority 1001, cookie ' cat "$TEST_DIR/trace"

# subnet-a1 is associated with rtb-a2: the main table's routes no longer
# apply to it.
check pl_transact \
  '{"op": "insert", "table": "Route_Table_Association", "uuid-name": "as",
    "row": {"association_id": "rtbassoc-a1", "main": false, "state": "associated",
            "subnet": ["uuid", "'"$(pl_get Subnet _uuid '[["subnet_id","==","subnet-a1"]]')"'"]}}' \
  '{"op": "mutate", "table": "Route_Table",
    "where": [["route_table_id", "==", "rtb-a2"]],
    "mutations": [["associations", "insert", ["named-uuid", "as"]]]}'
check_recompute_equal
check_grep "^cookie=0x[0-9a-f]+, table=0, priority=100,in_port=1 actions=.*set_field:$(uuid_cookie "$rtb_a2")->reg1," \
    eval 'dump_flows --no-names | strip_flows'
trace "$(from_a1 10.0.2.30)" trk,new >/dev/null
check_grep "^ *output:$HV2_OFPORT$" cat "$TEST_DIR/trace"
check_trace "ct(commit,zone=1)" "$(from_a1 192.0.2.7)" trk,new

# VPC B has the same block, but none of VPC A's ENIs: eni-b1 reaches
# nothing of VPC A, not even the address of its twin eni-a1's neighbour.
from_b1="in_port=p4,$icmp,dl_src=$MAC_B1,dl_dst=$ROUTER_B,nw_src=10.0.1.10"
check_trace "ct(commit,zone=4)" \
    "$from_b1,nw_dst=10.0.1.11" trk,new
check_grep '^70\. priority 0' cat "$TEST_DIR/trace"
check_trace "ct(commit,zone=4)" \
    "$from_b1,nw_dst=10.0.2.20" trk,new
check_grep '^70\. priority 0' cat "$TEST_DIR/trace"

harness_check_logs
