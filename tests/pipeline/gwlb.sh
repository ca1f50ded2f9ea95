#!/bin/bash
# tests/pipeline/gwlb.sh: a Gateway Load Balancer endpoint on the dummy
# datapath (topology: vpc.bash).  VPC B is the security VPC: its gateway
# load balancer (eni-gwlb, 10.0.1.60) has the appliances eni-b1 (p4, here)
# and eni-bt (on hv2).  VPC A gets subnet-a3 (10.0.3.0/24, its own table,
# local only) with the endpoint's ENI, and middlebox routes: subnet-a1's
# table sends 10.0.2.0/24 to the endpoint, subnet-a2's sends 10.0.1.0/24.
# A SYN from eni-a1 to eni-a3 leaves in GENEVE for an appliance: outer
# headers from the load balancer's address to the appliance's, UDP 6081,
# VNI 0, protocol IPv4 and AWS's three options (class 0x0108: endpoint id,
# attachment id, flow cookie); what the appliance returns is decapsulated
# and delivered to eni-a3 by subnet-a3's table.  With both appliances,
# each flow's two directions reach the same appliance and the flows
# spread; an unhealthy appliance gets none; a packet over the MTU (8500)
# is dropped; a rejected endpoint's routes drop.  The incremental result equals a recompute after every step.
source tests/lib.sh
source tests/pipeline/harness.bash
source tests/pipeline/vpc.bash
source tests/pipeline/endpoint.bash
test_init gwlb
harness_start
wait_for_cfg 1
vpc_setup
vpc_underlay

MAC_GWLB=02:00:00:00:0b:3c MAC_GWLBE=02:00:00:00:03:32 MAC_BT=02:00:00:00:0b:14
p1=$(dp_port p1) p3=$(dp_port p3) p4=$(dp_port p4)
vpca=$(ept_uuid Vpc vpc_id vpc-a)
vpcb=$(ept_uuid Vpc vpc_id vpc-b)
hv2=$(ept_uuid Chassis name hv2)

# route_to_ept UUID-NAME CIDR: a middlebox route to the endpoint.
route_to_ept() {
    echo '{"op": "insert", "table": "Route_Entry", "uuid-name": "'"$1"'",
           "row": {"destination_cidr_block": "'"$2"'",
                   "target_type": "vpc-endpoint", "vpc_endpoint": ["named-uuid", "ept"],
                   "origin": "CreateRoute", "state": "active"}}'
}
check pl_transact \
  '{"op": "insert", "table": "Subnet", "uuid-name": "suba3",
    "row": {"subnet_id": "subnet-a3", "vpc": '"$vpca"', "cidr_block": "10.0.3.0/24",
            "state": "available"}}' \
  "$(vpc_local_route rla3)" \
  '{"op": "insert", "table": "Route_Table_Association", "uuid-name": "asa3",
    "row": {"association_id": "rtbassoc-a3", "subnet": ["named-uuid", "suba3"],
            "state": "associated"}}' \
  '{"op": "insert", "table": "Route_Table",
    "row": {"route_table_id": "rtb-a3", "vpc": '"$vpca"',
            "routes": ["named-uuid", "rla3"],
            "associations": ["named-uuid", "asa3"]}}' \
  "$(ept_eni eni-gwlb 10.0.1.60 $MAC_GWLB subnet-b1 gateway_load_balancer sg-b-default)" \
  "$(ept_eni eni-bt 10.0.1.20 $MAC_BT subnet-b1 interface sg-b-default)" \
  '{"op": "insert", "table": "Network_Interface", "uuid-name": "enigwlbe",
    "row": {"network_interface_id": "eni-0123456789abcdef0", "subnet": ["named-uuid", "suba3"],
            "mac_address": "'$MAC_GWLBE'", "private_ip_address": "10.0.3.50",
            "interface_type": "gateway_load_balancer_endpoint",
            "requester_managed": true, "status": "in-use"}}' \
  '{"op": "insert", "table": "Target", "uuid-name": "t1",
    "row": {"ip": "10.0.1.10", "port": 6081, "health_state": "healthy"}}' \
  '{"op": "insert", "table": "Target_Group", "uuid-name": "tg",
    "row": {"arn": "arn:tg/insp", "name": "insp", "protocol": "GENEVE",
            "port": 6081, "vpc": '"$vpcb"', "target_type": "ip",
            "health_check": ["map", [["enabled", "false"]]],
            "targets": ["named-uuid", "t1"]}}' \
  '{"op": "insert", "table": "Listener", "uuid-name": "lis",
    "row": {"arn": "arn:listener/insp", "protocol": "GENEVE", "port": 6081,
            "target_group": ["named-uuid", "tg"]}}' \
  '{"op": "insert", "table": "Load_Balancer", "uuid-name": "lb",
    "row": {"arn": "arn:lb/insp", "name": "insp", "lb_type": "gateway",
            "vpc": '"$vpcb"', "state": "active",
            "subnets": '"$(ept_uuid Subnet subnet_id subnet-b1)"',
            "network_interfaces": ["named-uuid", "enigwlb"],
            "listeners": ["named-uuid", "lis"]}}' \
  '{"op": "insert", "table": "Endpoint_Service", "uuid-name": "svc",
    "row": {"service_id": "vpce-svc-insp", "service_name": "svc-insp",
            "service_types": "GatewayLoadBalancer", "service_state": "Available",
            "supported_ip_address_types": "ipv4",
            "gateway_load_balancers": ["named-uuid", "lb"]}}' \
  '{"op": "insert", "table": "Vpc_Endpoint", "uuid-name": "ept",
    "row": {"vpc_endpoint_id": "vpce-0fedcba9876543210",
            "vpc_endpoint_type": "GatewayLoadBalancer",
            "vpc": '"$vpca"', "service": ["named-uuid", "svc"],
            "service_name": "svc-insp", "state": "available",
            "subnets": ["named-uuid", "suba3"],
            "network_interfaces": ["named-uuid", "enigwlbe"]}}' \
  "$(route_to_ept r1 10.0.2.0/24)" "$(route_to_ept r2 10.0.1.0/24)" \
  '{"op": "mutate", "table": "Route_Table",
    "where": [["route_table_id", "==", "rtb-a-main"]],
    "mutations": [["routes", "insert", ["named-uuid", "r1"]]]}' \
  '{"op": "mutate", "table": "Route_Table",
    "where": [["route_table_id", "==", "rtb-a2"]],
    "mutations": [["routes", "insert", ["named-uuid", "r2"]]]}' \
  "{\"op\": \"update\", \"table\": \"Network_Interface\",
    \"where\": [[\"network_interface_id\", \"==\", \"eni-bt\"]],
    \"row\": {\"chassis\": $hv2, \"up\": true}}"
check_recompute_equal

# syn SPORT: a SYN from eni-a1 (10.0.1.10:SPORT) to eni-a3 (10.0.2.20:80).
syn() {
    ept_tcp_hex $MAC_A1 $ROUTER_A 10.0.1.10 10.0.2.20 "$1" 80 2 0 40
}
# reverse SPORT: the same flow's other direction, from eni-a3 (a SYN, so
# that eni-a3's security groups let it out as a new connection).
reverse() {
    ept_tcp_hex $MAC_A3 $ROUTER_A 10.0.2.20 10.0.1.10 80 "$1" 2 0 40
}
# geneve_text PORT: what dummy port PORT sent, tcpdump -v, GENEVE decoded.
geneve_text() {
    tcpdump -nn -e -vv -r "$TEST_DIR/$1-tx.pcap" 'udp port 6081' 2>/dev/null
}

# ------------------------------------------------------------ encapsulation
check vswitchd_appctl netdev-dummy/receive p1 "$(syn 40000)"
wait_until '[ "$(pcap_count p4)" -ge 1 ]'
check_grep "^[0-9:.]+ $ROUTER_B > $MAC_B1, ethertype IPv4" geneve_text p4
check_grep '10\.0\.1\.60\.[0-9]+ > 10\.0\.1\.10\.6081: \[no cksum\] Geneve, Flags \[none\], vni 0x0, proto IPv4 \(0x0800\)' \
    geneve_text p4
check_grep 'class Unknown \(0x108\) type 0x1 len 12 data fedcba98 76543210' geneve_text p4
check_grep 'class Unknown \(0x108\) type 0x2 len 12 data 12345678 9abcdef0' geneve_text p4
check_grep 'class Unknown \(0x108\) type 0x3 len 8 data [0-9a-f]{8}' geneve_text p4
check_grep '10\.0\.1\.10\.40000 > 10\.0\.2\.20\.80: Flags \[S\]' geneve_text p4

# ------------------------------------------------------------ decapsulation
# The appliance returns the datagram: outer addresses swapped, to 6081.
back=$(/usr/bin/python3 - "$TEST_DIR/p4-tx.pcap" <<'PY'
import struct, sys
data = open(sys.argv[1], "rb").read()
off, last = 24, None
while off + 16 <= len(data):
    incl = struct.unpack("<I", data[off + 8:off + 12])[0]
    last = data[off + 16:off + 16 + incl]
    off += 16 + incl
f = bytearray(last)
f[0:6], f[6:12] = last[6:12], last[0:6]
f[26:30], f[30:34] = last[30:34], last[26:34 - 4]
f[34:36] = struct.pack("!H", 6081)
f[24:26] = b"\0\0"
s = sum(struct.unpack("!10H", bytes(f[14:34])))
while s >> 16:
    s = (s & 0xffff) + (s >> 16)
f[24:26] = struct.pack("!H", ~s & 0xffff)
print(bytes(f).hex())
PY
)
n3=$(pcap_count p3)
check vswitchd_appctl netdev-dummy/receive p4 "$back"
wait_until "[ \"\$(pcap_count p3)\" = $((n3 + 1)) ]"
check_grep "^$ROUTER_A > $MAC_A3, .* 10\.0\.1\.10\.40000 > 10\.0\.2\.20\.80: Flags \[S\]" \
    eval 'pcap_text p3 | tail -1'
# Routed twice (to the endpoint, then by subnet-a3's table): TTL 64 - 2.
check_grep 'ttl 62,' eval "tcpdump -nn -v -r '$TEST_DIR/p3-tx.pcap' 2>/dev/null | tail -2"
# A GENEVE packet without the options goes nowhere.
bad=$(/usr/bin/python3 -c 'import sys; h=sys.argv[1]; print(h[:84] + "00" + h[86:])' "$back")
n3=$(pcap_count p3)
check vswitchd_appctl netdev-dummy/receive p4 "$bad"
sleep 0.3
check_output "$n3" pcap_count p3

# ------------------------------------------------------------ two appliances
check pl_transact \
  '{"op": "insert", "table": "Target", "uuid-name": "t2",
    "row": {"ip": "10.0.1.20", "port": 6081, "health_state": "healthy"}}' \
  '{"op": "mutate", "table": "Target_Group", "where": [["name", "==", "insp"]],
    "mutations": [["targets", "insert", ["named-uuid", "t2"]]]}'
check_recompute_equal
# where: the appliance the last packet went to ("here": p4, "hv2": the
# tunnel), from the counts before ($1 p4, $2 u1).
where() {
    wait_until "[ \$(( \$(pcap_count p4) + \$(pcap_count u1) )) -gt $(( $1 + $2 ))  ]"
    if [ "$(pcap_count p4)" -gt "$1" ]; then echo here; else echo hv2; fi
}
here=0 there=0
for sport in $(seq 41000 41011); do
    c4=$(pcap_count p4) cu=$(pcap_count u1)
    check vswitchd_appctl netdev-dummy/receive p1 "$(syn $sport)"
    fwd=$(where "$c4" "$cu")
    c4=$(pcap_count p4) cu=$(pcap_count u1)
    check vswitchd_appctl netdev-dummy/receive p3 "$(reverse $sport)"
    rev=$(where "$c4" "$cu")
    [ "$fwd" = "$rev" ] || fail "flow $sport: forward to $fwd, reverse to $rev"
    [ "$fwd" = here ] && here=$((here + 1)) || there=$((there + 1))
done
[ $here -gt 0 ] && [ $there -gt 0 ] || fail "flows not spread: $here here, $there on hv2"
check_grep 'geneve\(vni=0x2b\)' trace "in_port=p4,udp,dl_src=$MAC_B1,dl_dst=$ROUTER_B,nw_src=10.0.1.10,nw_dst=10.0.1.20,udp_src=6081,udp_dst=6081,nw_ttl=64" trk,new trk,new

# An unhealthy appliance gets no flow.
ept_set_health 10.0.1.20 unhealthy
check_recompute_equal
for sport in $(seq 42000 42005); do
    c4=$(pcap_count p4) cu=$(pcap_count u1)
    check vswitchd_appctl netdev-dummy/receive p1 "$(syn $sport)"
    check_output here where "$c4" "$cu"
done

# ------------------------------------------------------------ MTU
# An IPv4 packet of 8500 bytes is encapsulated (8568 on the wire), one of
# 8501 is dropped, before the encapsulation.
big() {
    ept_tcp_hex $MAC_A1 $ROUTER_A 10.0.1.10 10.0.2.20 45000 80 2 0 "$1"
}
check ovs-vsctl set interface p1 mtu_request=9001 -- \
    set interface p4 mtu_request=9001
c4=$(pcap_count p4) cu=$(pcap_count u1)
check vswitchd_appctl netdev-dummy/receive p1 "$(big 8500)"
check_output here where "$c4" "$cu"
check_grep ', length 8568\)$' eval "tcpdump -nn -v -r '$TEST_DIR/p4-tx.pcap' 2>/dev/null | grep 'proto UDP' | tail -1"
c4=$(pcap_count p4) cu=$(pcap_count u1)
check vswitchd_appctl netdev-dummy/receive p1 "$(big 8501)"
sleep 0.3
check_output "$c4 $cu" eval 'echo $(pcap_count p4) $(pcap_count u1)'

# ------------------------------------------------------------ rejected
check pl_transact '{"op": "update", "table": "Vpc_Endpoint",
    "where": [["vpc_endpoint_type", "==", "GatewayLoadBalancer"]],
    "row": {"state": "rejected"}}'
check_recompute_equal
check_trace "ct(commit,zone=1)" \
    "in_port=p1,tcp,dl_src=$MAC_A1,dl_dst=$ROUTER_A,nw_src=10.0.1.10,nw_dst=10.0.2.20,tp_src=43000,tp_dst=80,nw_ttl=64,tcp_flags=0x010" trk,new
check_grep '^40\. .*priority 1049' cat "$TEST_DIR/trace"

harness_check_logs
