#!/bin/bash
# tests/pipeline/gateway.sh: a gateway endpoint to an S3-like service on
# the dummy datapath (topology: vpc.bash, plus the service port p5 and the
# prefix list 52.216.0.0/15, 54.123.160.0/19).  The chassis claims the
# service port; the guide's route-table examples, row by row: traffic from
# the subnets of the endpoint's table to a prefix-list block goes through
# the endpoint (0.0.0.0/0 to an internet gateway does not take it), a more
# specific route and an identical-prefix route take precedence, other
# subnets do not use the endpoint; a real TCP exchange keeps the
# instance's address, translates only its port into this chassis's block
# and comes back un-translated; prefix list changes, a remote service
# (GENEVE with the region VNI) and route removal follow.  The incremental
# result equals a recompute after every step.
source tests/lib.sh
source tests/pipeline/harness.bash
source tests/pipeline/vpc.bash
source tests/pipeline/endpoint.bash
test_init gateway
harness_start
wait_for_cfg 1
vpc_setup
vpc_underlay

MAC_S3=02:00:00:00:05:05
REGION_MAC=0a:00:00:ff:ff:ff
p1=$(dp_port p1) p3=$(dp_port p3)

vpca=$(ept_uuid Vpc vpc_id vpc-a)
rtb_main=$(ept_uuid Route_Table route_table_id rtb-a-main)
check pl_transact \
  '{"op": "insert", "table": "Prefix_List", "uuid-name": "pl",
    "row": {"prefix_list_id": "pl-s3", "prefix_list_name": "com.amazonaws.us-east-1.s3",
            "owner_id": "AWS", "address_family": "IPv4",
            "state": "create-complete", "max_entries": 2, "version": 1,
            "entries": ["map", [["52.216.0.0/15", ""], ["54.123.160.0/19", ""]]]}}' \
  '{"op": "insert", "table": "Endpoint_Service", "uuid-name": "svc",
    "row": {"service_id": "vpce-svc-s3", "service_name": "com.amazonaws.us-east-1.s3",
            "service_types": "Gateway", "service_state": "Available",
            "supported_ip_address_types": "ipv4", "owner_id": "amazon",
            "prefix_list": ["named-uuid", "pl"],
            "backend": ["map", [["ip", "52.216.0.10"]]]}}' \
  '{"op": "insert", "table": "Vpc_Endpoint", "uuid-name": "ept",
    "row": {"vpc_endpoint_id": "vpce-s3", "vpc_endpoint_type": "Gateway",
            "vpc": '"$vpca"', "service": ["named-uuid", "svc"],
            "service_name": "com.amazonaws.us-east-1.s3", "state": "available",
            "route_tables": '"$rtb_main"'}}' \
  '{"op": "insert", "table": "Route_Entry", "uuid-name": "rpl",
    "row": {"destination_prefix_list": ["named-uuid", "pl"],
            "target_type": "vpc-endpoint", "vpc_endpoint": ["named-uuid", "ept"],
            "origin": "CreateRouteTable", "state": "active"}}' \
  '{"op": "insert", "table": "Route_Entry", "uuid-name": "rigw",
    "row": {"destination_cidr_block": "0.0.0.0/0", "target_type": "gateway",
            "gateway_id": "igw-1a2b3c4d", "origin": "CreateRoute",
            "state": "active"}}' \
  '{"op": "mutate", "table": "Route_Table",
    "where": [["route_table_id", "==", "rtb-a-main"]],
    "mutations": [["routes", "insert", ["set", [["named-uuid", "rpl"],
                                                 ["named-uuid", "rigw"]]]]]}'

# The service port: the chassis claims the service.
check ovs-vsctl add-port br-int p5 -- set interface p5 type=dummy \
    ofport_request=5 external_ids:plink-aws-service=s3 \
    external_ids:attached-mac=$MAC_S3 \
    options:tx_pcap="$TEST_DIR/p5-tx.pcap" options:rxq_pcap="$TEST_DIR/p5-rx.pcap"
p5=$(dp_port p5)
backend() {
    pl_get Endpoint_Service backend '[["service_id","==","vpce-svc-s3"]]'
}
wait_until "backend | grep -q '\"chassis\", \"hv1\"'"
check_recompute_equal

# The service's conntrack zone, as datapath actions print it (decimal).
svc_zone=$((0xc000 | (0x$(pl_get Endpoint_Service _uuid '[["service_id","==","vpce-svc-s3"]]' | cut -c5-8) & 0x3fff)))
[ "$svc_zone" = 65535 ] && svc_zone=65534

# tcp_from ENI-PORT SRC-MAC SRC-IP DST: a TCP segment (ACK: a first
# segment that is not a SYN) to DST:80 as received on the ENI's port.
tcp_from() {
    echo "in_port=$1,tcp,dl_src=$2,dl_dst=$ROUTER_A,nw_src=$3,nw_dst=$4,tp_src=40000,tp_dst=80,nw_ttl=64,tcp_flags=0x010"
}
from_a1() { tcp_from p1 $MAC_A1 10.0.1.10 "$1"; }
from_a3() { tcp_from p3 $MAC_A3 10.0.2.20 "$1"; }
new=trk,new

# del_route WHERE: removes the route that matches WHERE (a JSON condition
# list) from rtb-a-main, which deletes it.
del_route() {
    check pl_transact "{\"op\": \"mutate\", \"table\": \"Route_Table\",
        \"where\": [[\"route_table_id\", \"==\", \"rtb-a-main\"]],
        \"mutations\": [[\"routes\", \"delete\",
                         [\"uuid\", \"$(pl_get Route_Entry _uuid "$1")\"]]]}"
}

# trace_tables: the tables the last trace went through, in order.
trace_tables() {
    sed -n 's/^\([0-9][0-9]*\)\. .*/\1/p' "$TEST_DIR/trace" | tr '\n' ' '
}

# check_via_endpoint DST: a segment from eni-a1 to DST, an address of the
# prefix list where nothing runs, goes through the endpoint (in_route,
# then the gateway stages) into the region network, where out_port finds
# no one at that address.
check_via_endpoint() {
    check_trace drop "$(from_a1 "$1")" $new $new
    check_grep " 40 90 91 92 100 $" trace_tables
}

# ------------------------------------------------ example 1: the endpoint
# route beats 0.0.0.0/0 to the internet gateway: in_route, then the
# gateway stages (90 91 92), then out_port and the service port p5.
check_trace "set(eth(src=$REGION_MAC,dst=$MAC_S3)),$p5" \
    "$(from_a1 52.216.0.10)" $new $new
check_grep '^40\. .*priority 1030' cat "$TEST_DIR/trace"
check_grep "ct\(zone=$svc_zone,nat\)" cat "$TEST_DIR/trace"
check_grep "ct\(commit,zone=$svc_zone,mark=0x2a/0xffffffff,nat\(src=10\.0\.1\.10:[0-9]+-[0-9]+,random\)\)" \
    cat "$TEST_DIR/trace"
check_grep " 35 40 90 91 92 100 $" trace_tables
# The second block of the prefix list too.
check_via_endpoint 54.123.160.10
check_grep '^40\. .*priority 1038' cat "$TEST_DIR/trace"
# Other internet traffic goes to the internet gateway (not realized: drop,
# by the /0 route's own flow).
check_trace "ct(commit,zone=1)" "$(from_a1 8.8.8.8)" $new
check_grep '^40\. .*priority 1001' cat "$TEST_DIR/trace"
# ICMP through the endpoint: dropped in in_gw_ct (TCP only).
check_trace "ct(commit,zone=1)" \
    "in_port=p1,icmp,icmp_type=8,dl_src=$MAC_A1,dl_dst=$ROUTER_A,nw_src=10.0.1.10,nw_dst=52.216.0.10,nw_ttl=64" $new
check_grep '^90\. .*priority 90' cat "$TEST_DIR/trace"
# A subnet whose table has no endpoint route does not use the endpoint.
check_trace "ct(commit,zone=3)" "$(from_a3 52.216.0.10)" $new
check_grep '^40\. priority 0' cat "$TEST_DIR/trace"
# The service port's ARP requests are all answered by the region router.
check_trace "set(eth(src=$REGION_MAC,dst=$MAC_S3)),set(arp(sip=10.0.1.10,tip=52.216.0.10,op=2,sha=$REGION_MAC,tha=$MAC_S3)),$p5" \
    "in_port=p5,arp,arp_op=1,dl_src=$MAC_S3,dl_dst=ff:ff:ff:ff:ff:ff,arp_sha=$MAC_S3,arp_spa=52.216.0.10,arp_tpa=10.0.1.10"

# ------------------------------------------------ a real connection
# A SYN from eni-a1 reaches p5 with the instance's own address and a port
# of this chassis's block; the SYN-ACK to that port comes back to eni-a1
# at its original port.
syn=$(ept_tcp_hex $MAC_A1 $ROUTER_A 10.0.1.10 52.216.0.10 40000 80 2 0 40)
check vswitchd_appctl netdev-dummy/receive p1 "$syn"
wait_until '[ "$(pcap_count p5)" = 1 ]'
check_grep "^$REGION_MAC > $MAC_S3, .* 10\.0\.1\.10\.[0-9]+ > 52\.216\.0\.10\.80: Flags \[S\]" pcap_text p5
sport=$(pcap_text p5 | sed -n 's/.* 10\.0\.1\.10\.\([0-9]*\) > .*/\1/p')
[ "$sport" != 40000 ] || fail "the source port was not translated"
synack=$(ept_tcp_hex $MAC_S3 $REGION_MAC 52.216.0.10 10.0.1.10 80 "$sport" 18 0 40 1001)
n1=$(pcap_count p1)
check vswitchd_appctl netdev-dummy/receive p5 "$synack"
wait_until "[ \"\$(pcap_count p1)\" = $((n1 + 1)) ]"
check_grep "^$ROUTER_A > $MAC_A1, .* 52\.216\.0\.10\.80 > 10\.0\.1\.10\.40000: Flags \[S\.\]" \
    eval 'pcap_text p1 | tail -1'
# A segment from the service to a port nobody translated goes nowhere.
n1=$(pcap_count p1)
check vswitchd_appctl netdev-dummy/receive p5 \
    "$(ept_tcp_hex $MAC_S3 $REGION_MAC 52.216.0.10 10.0.1.10 80 $((sport ^ 1)) 18 0 40 1001)"
sleep 0.5
check_output "$n1" pcap_count p1
check_recompute_equal

# ------------------------------------------------ example 2: a more
# specific route to the internet gateway takes 54.123.165.0/24 back.
check pl_transact \
  '{"op": "insert", "table": "Route_Entry", "uuid-name": "r24",
    "row": {"destination_cidr_block": "54.123.165.0/24", "target_type": "gateway",
            "gateway_id": "igw-1a2b3c4d", "origin": "CreateRoute", "state": "active"}}' \
  '{"op": "mutate", "table": "Route_Table",
    "where": [["route_table_id", "==", "rtb-a-main"]],
    "mutations": [["routes", "insert", ["named-uuid", "r24"]]]}'
check_recompute_equal
check_trace "ct(commit,zone=1)" "$(from_a1 54.123.165.10)" $new
check_grep '^40\. .*priority 1049' cat "$TEST_DIR/trace"
check_via_endpoint 54.123.166.10
# An identical prefix: a user route for 52.216.0.0/15 wins over the
# endpoint's.
check pl_transact \
  '{"op": "insert", "table": "Route_Entry", "uuid-name": "r15",
    "row": {"destination_cidr_block": "52.216.0.0/15", "target_type": "gateway",
            "gateway_id": "igw-1a2b3c4d", "origin": "CreateRoute", "state": "active"}}' \
  '{"op": "mutate", "table": "Route_Table",
    "where": [["route_table_id", "==", "rtb-a-main"]],
    "mutations": [["routes", "insert", ["named-uuid", "r15"]]]}'
check_recompute_equal
check_trace "ct(commit,zone=1)" "$(from_a1 52.216.0.10)" $new
check_grep '^40\. .*priority 1031' cat "$TEST_DIR/trace"
check_grep "^cookie=.*table=40, priority=1030,.*nw_dst=52.216.0.0/15 actions=set_field:$(uuid_cookie "$(ept_uuid Vpc_Endpoint vpc_endpoint_id vpce-s3 | sed 's/.*"\([0-9a-f-]*\)".*/\1/')")->reg4,dec_ttl,resubmit\(,90\)" \
    eval 'dump_flows --no-names | strip_flows'
# Example 3: without those routes, all of the service goes through the
# endpoint.
del_route '[["destination_cidr_block", "includes", "54.123.165.0/24"]]'
del_route '[["destination_cidr_block", "includes", "52.216.0.0/15"]]'
check_recompute_equal
check_via_endpoint 54.123.165.10

# ------------------------------------------------ prefix list changes
check pl_transact '{"op": "mutate", "table": "Prefix_List",
    "where": [["prefix_list_id", "==", "pl-s3"]],
    "mutations": [["entries", "insert", ["map", [["3.5.0.0/19", ""]]]]]}'
check_recompute_equal
check_via_endpoint 3.5.0.10

# ------------------------------------------------ a service elsewhere
# Without the port here, the chassis releases the service; when hv2 has
# it, the packet goes there in GENEVE with the region's VNI 0xffffff.
check ovs-vsctl del-port br-int p5
wait_until "! backend | grep -q chassis"
check pl_transact '{"op": "mutate", "table": "Endpoint_Service",
    "where": [["service_id", "==", "vpce-svc-s3"]],
    "mutations": [["backend", "insert", ["map", [["chassis", "hv2"]]]]]}'
check_recompute_equal
check_grep "ipv4\(src=192\.168\.77\.1,dst=192\.168\.77\.2,.*geneve\(vni=0xffffff\)" \
    trace "$(from_a1 52.216.0.10)" $new $new

# ------------------------------------------------ the route goes
del_route '[["target_type", "==", "vpc-endpoint"]]'
check_recompute_equal
check_trace "ct(commit,zone=1)" "$(from_a1 52.216.0.10)" $new
check_grep '^40\. .*priority 1001' cat "$TEST_DIR/trace"

harness_check_logs
