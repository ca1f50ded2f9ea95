#!/bin/bash
# tests/pipeline/vpc-tunnel.sh: traffic between chassis.  A packet to an
# ENI bound to another chassis leaves, after the source's security groups
# and the route, in a GENEVE packet to that chassis's encap IP with the
# VPC's tunnel key as VNI; a packet that arrives from a tunnel is delivered
# by VNI and destination MAC, after the destination's ingress rules.  The
# VNI keeps VPCs apart, whatever their addresses.
source tests/lib.sh
source tests/pipeline/harness.bash
source tests/pipeline/vpc.bash
test_init vpc-tunnel
harness_start
wait_for_cfg 1
vpc_setup
vpc_underlay

p1=$(dp_port p1) p3=$(dp_port p3) p4=$(dp_port p4)
u1=$(dp_port u1)
new=trk,new
geneve_to_hv2() {
    echo "tnl_push(tnl_port(6081),header(size=50,type=5,eth(dst=aa:55:aa:55:00:02,src=aa:55:aa:55:00:01,dl_type=0x0800),ipv4(src=192.168.77.1,dst=192.168.77.2,proto=17,tos=0,ttl=64,frag=0x4000),udp(src=0,dst=6081,csum=0x0),geneve(vni=$1)),out_port($(dp_port br-phy))),$u1"
}

# eni-a1 -> eni-ar (bound to hv2): routed, then GENEVE to 192.168.77.2
# with VNI 42 (0x2a).  Only the source's egress rules ran here.
echo_a1_ar="in_port=p1,icmp,icmp_type=8,nw_ttl=64,dl_src=$MAC_A1,dl_dst=$ROUTER_A,nw_src=10.0.1.10,nw_dst=10.0.2.30"
check_trace "ct(commit,zone=1),set(eth(src=$ROUTER_A,dst=$MAC_AR)),set(ipv4(ttl=63)),$(geneve_to_hv2 0x2a)" \
    "$echo_a1_ar" $new
check_grep "^140\. reg15=$(printf %#x "$HV2_OFPORT"), priority 100, cookie $(uuid_cookie "$(pl_get Chassis _uuid '[["name","==","hv2"]]')")" \
    cat "$TEST_DIR/trace"
check_fails grep -q '^110\.' "$TEST_DIR/trace"

# A real packet: what leaves the underlay port u1 is that GENEVE packet.
check vswitchd_appctl netdev-dummy/receive p1 \
    "in_port(1),eth(src=$MAC_A1,dst=$ROUTER_A),eth_type(0x0800),ipv4(src=10.0.1.10,dst=10.0.2.30,proto=1,tos=0,ttl=64,frag=no),icmp(type=8,code=0)"
wait_until '[ "$(pcap_count u1)" -ge 1 ]'
tcpdump -nn -v -r "$TEST_DIR/u1-tx.pcap" >"$TEST_DIR/u1.txt" 2>/dev/null
check_grep '192.168.77.1\.[0-9]+ > 192.168.77.2\.6081: Geneve, Flags \[none\], vni 0x2a' \
    cat "$TEST_DIR/u1.txt"
check_grep "10.0.1.10 > 10.0.2.30: ICMP echo request" cat "$TEST_DIR/u1.txt"

# From the tunnel: VNI 42, eni-a3's MAC and address, a new ICMP echo that
# eni-a3's ingress rules (web: ICMP from anywhere) allow: delivered to p3,
# committed in eni-a3's zone, never routed again.
from_hv2="in_port=$HV2_PORT,tun_src=192.168.77.2,tun_dst=192.168.77.1"
echo_ar="icmp,icmp_type=8,nw_ttl=63,dl_src=$ROUTER_A,nw_src=10.0.2.30"
check_trace "ct(commit,zone=3),$p3" "$from_hv2,tun_id=0x2a,$echo_ar,dl_dst=$MAC_A3,nw_dst=10.0.2.20" $new
check_fails grep -qE '^(40|70)\.' "$TEST_DIR/trace"
# eni-a1's ingress rules (default group: members only) refuse it ...
check_trace drop "$from_hv2,tun_id=0x2a,$echo_ar,dl_dst=$MAC_A1,nw_dst=10.0.1.10" $new
check_grep '^110\. priority 0' cat "$TEST_DIR/trace"
# ... but let the reply to eni-a1's own echo in.
check_trace "$p1" "$from_hv2,tun_id=0x2a,icmp,icmp_type=0,nw_ttl=63,dl_src=$ROUTER_A,nw_src=10.0.2.30,dl_dst=$MAC_A1,nw_dst=10.0.1.10" trk,est,rpl

# The VNI is the VPC: the same MAC and address under VNI 43 (VPC B) is
# not eni-a1's ...
check_trace drop "$from_hv2,tun_id=0x2b,$echo_ar,dl_dst=$MAC_A1,nw_dst=10.0.1.10" trk,est,rpl
check_grep '^100\. priority 0' cat "$TEST_DIR/trace"
# ... eni-b1, with the same address in VPC B, is reached under VNI 43 only.
check_trace "$p4" "$from_hv2,tun_id=0x2b,icmp,icmp_type=0,nw_ttl=63,dl_src=$ROUTER_B,nw_src=10.0.2.30,dl_dst=$MAC_B1,nw_dst=10.0.1.10" trk,est,rpl
check_trace drop "$from_hv2,tun_id=0x2a,icmp,icmp_type=0,nw_ttl=63,dl_src=$ROUTER_A,nw_src=10.0.2.30,dl_dst=$MAC_B1,nw_dst=10.0.1.10" trk,est,rpl
# A packet for an address that is not the ENI's (source/destination check
# on) is dropped even with the right MAC.
check_trace drop "$from_hv2,tun_id=0x2a,$echo_ar,dl_dst=$MAC_A3,nw_dst=10.0.2.99" $new
check_grep '^100\. priority 0' cat "$TEST_DIR/trace"

# eni-ar moves to this chassis (hv2 released it, it appears here): its
# traffic stays local; and once it is gone from hv2's tunnel, a packet for
# it from hv2 is delivered here.
check pl_transact '{"op": "update", "table": "Network_Interface",
                    "where": [["network_interface_id", "==", "eni-ar"]],
                    "row": {"chassis": ["set", []], "up": false}}'
vpc_add_port 6 eni-ar
wait_for_up eni-ar
check_recompute_equal
p6=$(dp_port p6)
check_trace "ct(commit,zone=6),$p6" "$echo_a1_ar" $new $new
# The tunnel to hv2 stays, with its one delivery flow: it serves every
# VPC.
check_output 1 eval "dump_flows table=140 | grep -c 'reg15=$(printf %#x "$HV2_OFPORT")'"

harness_check_logs
