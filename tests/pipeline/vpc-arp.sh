#!/bin/bash
# tests/pipeline/vpc-arp.sh: what an instance may send and what answers
# its ARP requests.  The pipeline answers for the gateway of every subnet
# (base + 1) and the DNS resolver (VPC base + 2) with the VPC's router MAC,
# and for every ENI of the VPC (here or elsewhere) with its MAC, so that an
# instance never needs a broadcast; other ARP and other broadcasts are
# dropped, and so is anything an ENI sends from an address not its own, or
# that is not IPv4 or ARP.  VPCs with the same block never answer for each
# other.
source tests/lib.sh
source tests/pipeline/harness.bash
source tests/pipeline/vpc.bash
test_init vpc-arp
harness_start
wait_for_cfg 1
vpc_setup

# arp_request PORT SHA SPA TPA: an ARP request received on dummy port PORT.
arp_request() {
    check vswitchd_appctl netdev-dummy/receive "$1" \
        "in_port(1),eth(src=$2,dst=ff:ff:ff:ff:ff:ff),eth_type(0x0806),arp(sip=$3,tip=$4,op=1,sha=$2,tha=00:00:00:00:00:00)"
}

# check_arp_reply PORT SHA SPA TPA MAC: an ARP request on PORT for TPA
# draws, on PORT, a reply "TPA is-at MAC" addressed to SHA.
check_arp_reply() {
    local port=$1 sha=$2 spa=$3 tpa=$4 mac=$5 n
    n=$(pcap_count "$port")
    arp_request "$port" "$sha" "$spa" "$tpa"
    wait_until "[ \$(pcap_count $port) -gt $n ]"
    check_output "$mac > $sha, ethertype ARP (0x0806), length 42: Reply $tpa is-at $mac, length 28" \
        eval "pcap_text $port | tail -1"
}

# check_no_arp_reply PORT SHA SPA TPA: an ARP request on PORT for TPA is
# dropped without a reply.
check_no_arp_reply() {
    local port=$1 sha=$2 spa=$3 tpa=$4
    check_trace drop \
        "in_port=$port,arp,dl_src=$sha,dl_dst=ff:ff:ff:ff:ff:ff,arp_op=1,arp_sha=$sha,arp_spa=$spa,arp_tpa=$tpa"
}

# The gateway of the instance's subnet, and of the other subnet.
check_arp_reply p1 $MAC_A1 10.0.1.10 10.0.1.1 $ROUTER_A
check_arp_reply p3 $MAC_A3 10.0.2.20 10.0.2.1 $ROUTER_A
check_arp_reply p1 $MAC_A1 10.0.1.10 10.0.2.1 $ROUTER_A
# The VPC's DNS resolver.
check_arp_reply p1 $MAC_A1 10.0.1.10 10.0.0.2 $ROUTER_A
# ENIs: here, in the same subnet and in another, and bound to hv2.
check_arp_reply p1 $MAC_A1 10.0.1.10 10.0.1.11 $MAC_A2
check_arp_reply p2 $MAC_A2 10.0.1.11 10.0.2.20 $MAC_A3
check_arp_reply p1 $MAC_A1 10.0.1.10 10.0.2.30 $MAC_AR
# The same addresses in VPC B: its own router, never VPC A's ENIs.
check_arp_reply p4 $MAC_B1 10.0.1.10 10.0.1.1 $ROUTER_B
check_no_arp_reply p4 $MAC_B1 10.0.1.10 10.0.1.11
check_no_arp_reply p4 $MAC_B1 10.0.1.10 10.0.2.20
# Nobody has these.
check_no_arp_reply p1 $MAC_A1 10.0.1.10 10.0.1.99
check_no_arp_reply p1 $MAC_A1 10.0.1.10 192.0.2.1
check_recompute_equal

# The reply flows name their rows: the Subnet, the Vpc, the ENI.
subnet=$(uuid_cookie "$(pl_get Subnet _uuid '[["subnet_id","==","subnet-a1"]]')")
vpc=$(uuid_cookie "$(pl_get Vpc _uuid '[["vpc_id","==","vpc-a"]]')")
a2=$(uuid_cookie "$(eni_column eni-a2 _uuid)")
check_grep "^cookie=$subnet, table=20, priority=100,arp,metadata=0x2a/0xffffff,arp_tpa=10.0.1.1,arp_op=1 " \
    eval 'dump_flows --no-names | strip_flows'
check_grep "^cookie=$vpc, table=20, priority=100,arp,metadata=0x2a/0xffffff,arp_tpa=10.0.0.2,arp_op=1 " \
    eval 'dump_flows --no-names | strip_flows'
check_grep "^cookie=$a2, table=20, priority=100,arp,metadata=0x2a/0xffffff,arp_tpa=10.0.1.11,arp_op=1 " \
    eval 'dump_flows --no-names | strip_flows'

# Port security: ARP from another MAC or IP, IPv4 from another MAC or IP,
# IPv6, and other protocols are dropped at table 10; so is a frame that
# claims to come from another ENI (eni-a2's addresses on p1).
icmp="icmp,icmp_type=8,nw_ttl=64"
check_no_arp_reply p1 $MAC_A1 10.0.1.99 10.0.1.1
check_trace drop "in_port=p1,arp,dl_src=$MAC_A1,dl_dst=ff:ff:ff:ff:ff:ff,arp_op=1,arp_sha=02:00:00:00:99:99,arp_spa=10.0.1.10,arp_tpa=10.0.1.1"
check_grep '^10\. priority 0' cat "$TEST_DIR/trace"
check_trace drop "in_port=p1,$icmp,dl_src=$MAC_A1,dl_dst=$ROUTER_A,nw_src=10.0.1.99,nw_dst=10.0.1.11"
check_grep '^10\. priority 0' cat "$TEST_DIR/trace"
check_trace drop "in_port=p1,$icmp,dl_src=$MAC_A2,dl_dst=$ROUTER_A,nw_src=10.0.1.11,nw_dst=10.0.2.20"
check_trace drop "in_port=p1,ipv6,dl_src=$MAC_A1,dl_dst=$ROUTER_A,ipv6_src=fe80::1,ipv6_dst=fe80::2"
check_grep '^10\. priority 0' cat "$TEST_DIR/trace"
check_trace drop "in_port=p1,dl_type=0x88cc,dl_src=$MAC_A1,dl_dst=01:80:c2:00:00:0e"
# The genuine packet gets through (to eni-a3 on p3, in zone 3).
check_trace "ct(commit,zone=3),$(dp_port p3)" \
    "in_port=p1,$icmp,dl_src=$MAC_A1,dl_dst=$ROUTER_A,nw_src=10.0.1.10,nw_dst=10.0.2.20" \
    trk,new trk,new

# A spoofed packet really received is dropped (nothing goes out anywhere),
# a genuine one is delivered.
spoofed="eth(src=$MAC_A1,dst=$ROUTER_A),eth_type(0x0800),ipv4(src=10.0.1.99,dst=10.0.1.11,proto=1,tos=0,ttl=64,frag=no),icmp(type=8,code=0)"
genuine="eth(src=$MAC_A1,dst=$ROUTER_A),eth_type(0x0800),ipv4(src=10.0.1.10,dst=10.0.1.11,proto=1,tos=0,ttl=64,frag=no),icmp(type=8,code=0)"
n2=$(pcap_count p2)
check vswitchd_appctl netdev-dummy/receive p1 "in_port(1),$spoofed"
check vswitchd_appctl netdev-dummy/receive p1 "in_port(1),$genuine"
wait_until "[ \$(pcap_count p2) -gt $n2 ]"
sleep 0.2
check_output 1 eval "pcap_text p2 | tail -n +$((n2 + 1)) | wc -l"
check_grep "^$ROUTER_A > $MAC_A2, ethertype IPv4 \(0x0800\), length [0-9]+: 10.0.1.10 > 10.0.1.11: ICMP echo request" \
    eval "pcap_text p2 | tail -1"

# Non-ARP broadcast and multicast from an instance is dropped in table 20.
check_trace drop "in_port=p1,udp,dl_src=$MAC_A1,dl_dst=ff:ff:ff:ff:ff:ff,nw_src=10.0.1.10,nw_dst=10.0.1.255,udp_src=68,udp_dst=67"
check_grep '^20\. dl_dst=01:00:00:00:00:00/01:00:00:00:00:00, priority 80' \
    cat "$TEST_DIR/trace"
check_trace drop "in_port=p1,udp,dl_src=$MAC_A1,dl_dst=01:00:5e:00:00:fb,nw_src=10.0.1.10,nw_dst=224.0.0.251,udp_src=5353,udp_dst=5353"
# An ARP reply from an instance (nobody asked it) goes nowhere either.
check_trace drop "in_port=p1,arp,dl_src=$MAC_A1,dl_dst=$MAC_A2,arp_op=2,arp_sha=$MAC_A1,arp_spa=10.0.1.10,arp_tpa=10.0.1.11"
check_grep '^20\. arp, priority 90' cat "$TEST_DIR/trace"

# A new subnet's gateway is answered, a deleted ENI no longer is.
check pl_transact \
  '{"op": "insert", "table": "Subnet",
    "row": {"subnet_id": "subnet-a3", "cidr_block": "10.0.3.0/24",
            "vpc": ["uuid", "'"$(pl_get Vpc _uuid '[["vpc_id","==","vpc-a"]]')"'"],
            "state": "available"}}'
check_recompute_equal
check_arp_reply p1 $MAC_A1 10.0.1.10 10.0.3.1 $ROUTER_A
check pl_transact '{"op": "delete", "table": "Network_Interface",
                    "where": [["network_interface_id", "==", "eni-ar"]]}'
check_recompute_equal
check_no_arp_reply p1 $MAC_A1 10.0.1.10 10.0.2.30

harness_check_logs
