#!/bin/bash
# tests/pipeline/vpc-sg.sh: security groups, stateful on conntrack.  A new
# connection needs an egress rule of the source ENI's groups (checked where
# it is sent, in its zone) and an ingress rule of the destination ENI's
# groups (checked where it is delivered, in that ENI's zone); packets of
# established connections, replies included, and related ones pass.  Rules
# name a protocol (-1, tcp, udp, icmp, a number), ports or an ICMP type,
# and a peer: a CIDR block, the members of a group (the default group lets
# its members in), or a prefix list.
source tests/lib.sh
source tests/pipeline/harness.bash
source tests/pipeline/vpc.bash
test_init vpc-sg
harness_start
wait_for_cfg 1
vpc_setup

p1=$(dp_port p1) p2=$(dp_port p2) p3=$(dp_port p3)

# pkt SRC-PORT SRC-MAC SRC-IP DST-IP L4: a packet from an ENI to the router.
pkt() {
    echo "in_port=$1,$5,dl_src=$2,dl_dst=$ROUTER_A,nw_src=$3,nw_dst=$4,nw_ttl=64"
}
a1() { pkt p1 $MAC_A1 10.0.1.10 "$@"; }
a2() { pkt p2 $MAC_A2 10.0.1.11 "$@"; }
a3() { pkt p3 $MAC_A3 10.0.2.20 "$@"; }
new="trk,new"

# eni-a1 (default group: egress anything) to eni-a2 (web: TCP 80 from the
# VPC): a new connection to port 80 is committed in both zones and
# delivered ...
check_trace "ct(commit,zone=2),$p2" "$(a1 10.0.1.11 tcp,tp_src=40000,tp_dst=80)" $new $new
# ... its replies and later packets pass as established, in both
# directions ...
check_trace "$p1" "$(a2 10.0.1.10 tcp,tp_src=80,tp_dst=40000)" trk,est,rpl trk,est,rpl
check_trace "$p2" "$(a1 10.0.1.11 tcp,tp_src=40000,tp_dst=80)" trk,est trk,est
# ... and so do related packets (an ICMP error).
check_trace "$p1" "$(a2 10.0.1.10 icmp,icmp_type=3,icmp_code=3)" trk,rel,rpl trk,rel,rpl
# A new connection to port 22 is let out by eni-a1's egress rule but
# refused by eni-a2's ingress rules, in table 110.
check_trace drop "$(a1 10.0.1.11 tcp,tp_src=40000,tp_dst=22)" $new $new
check_grep '^110\. priority 0' cat "$TEST_DIR/trace"
# Invalid packets never pass.
check_trace drop "$(a1 10.0.1.11 tcp,tp_src=40000,tp_dst=80)" trk,inv
check_grep '^35\. priority 0' cat "$TEST_DIR/trace"
# ICMP from anywhere is allowed into eni-a2.
check_trace "ct(commit,zone=2),$p2" "$(a3 10.0.1.11 icmp,icmp_type=8)" $new $new

# The default group lets its members in (eni-a3 is one), nobody else
# (eni-a2 is not).
check_trace "ct(commit,zone=1),$p1" "$(a3 10.0.1.10 tcp,tp_src=40000,tp_dst=22)" $new $new
check_trace drop "$(a2 10.0.1.10 tcp,tp_src=40000,tp_dst=22)" $new $new
check_grep '^110\. priority 0' cat "$TEST_DIR/trace"
# ... and follows its membership: eni-a2 joins the default group.
sgadef=$(pl_get Security_Group _uuid '[["group_id","==","sg-a-default"]]')
check pl_transact "{\"op\": \"mutate\", \"table\": \"Network_Interface\",
                    \"where\": [[\"network_interface_id\", \"==\", \"eni-a2\"]],
                    \"mutations\": [[\"security_groups\", \"insert\",
                                     [\"uuid\", \"$sgadef\"]]]}"
check_recompute_equal
check_trace "ct(commit,zone=1),$p1" "$(a2 10.0.1.10 tcp,tp_src=40000,tp_dst=22)" $new $new
# (And leaves it again.)
sgaweb=$(pl_get Security_Group _uuid '[["group_id","==","sg-a-web"]]')
check pl_transact "{\"op\": \"update\", \"table\": \"Network_Interface\",
                    \"where\": [[\"network_interface_id\", \"==\", \"eni-a2\"]],
                    \"row\": {\"security_groups\": [\"uuid\", \"$sgaweb\"]}}"
check_recompute_equal
check_trace drop "$(a2 10.0.1.10 tcp,tp_src=40000,tp_dst=22)" $new $new

# add_rule GROUP JSON-COLUMNS: adds a rule to GROUP.
add_rule() {
    check pl_transact \
      "{\"op\": \"insert\", \"table\": \"Security_Group_Rule\", \"uuid-name\": \"r\",
        \"row\": {$2}}" \
      "{\"op\": \"mutate\", \"table\": \"Security_Group\",
        \"where\": [[\"group_id\", \"==\", \"$1\"]],
        \"mutations\": [[\"rules\", \"insert\", [\"named-uuid\", \"r\"]]]}"
}

# A port range, from one address: 1000-2000 is 8 aligned blocks (per
# ENI of the group: eni-a2 here).
add_rule sg-a-web '"rule_id": "sgr-range", "direction": "ingress",
    "ip_protocol": "tcp", "from_port": 1000, "to_port": 2000,
    "cidr_ipv4": "10.0.1.10/32"'
check_recompute_equal
range=$(uuid_cookie "$(pl_get Security_Group_Rule _uuid '[["rule_id","==","sgr-range"]]')")
check_output 8 eval "dump_flows table=110 | grep -c 'cookie=$range,.*reg15=0x2,'"
for port in 1000 1007 1008 1500 1999 2000; do
    check_trace "ct(commit,zone=2),$p2" "$(a1 10.0.1.11 tcp,tp_src=40000,tp_dst=$port)" $new $new
done
for port in 999 2001 8080; do
    check_trace drop "$(a1 10.0.1.11 tcp,tp_src=40000,tp_dst=$port)" $new $new
done
# ... the same ports from another address are refused.
check_trace drop "$(a3 10.0.1.11 tcp,tp_src=40000,tp_dst=1500)" $new $new

# A prefix list as the peer: UDP 53 from its blocks.
check pl_transact \
  '{"op": "insert", "table": "Prefix_List", "uuid-name": "pl",
    "row": {"prefix_list_id": "pl-0123456789abcdef0", "prefix_list_name": "dns-clients",
            "owner_id": "111111111111", "address_family": "IPv4",
            "state": "create-complete", "max_entries": 10,
            "entries": ["map", [["10.0.2.0/24", "subnet-a2"], ["192.0.2.0/24", ""]]]}}' \
  '{"op": "insert", "table": "Security_Group_Rule", "uuid-name": "r",
    "row": {"rule_id": "sgr-pl", "direction": "ingress", "ip_protocol": "udp",
            "from_port": 53, "to_port": 53, "prefix_list": ["named-uuid", "pl"]}}' \
  '{"op": "mutate", "table": "Security_Group", "where": [["group_id", "==", "sg-a-web"]],
    "mutations": [["rules", "insert", ["named-uuid", "r"]]]}'
check_recompute_equal
check_trace "ct(commit,zone=2),$p2" "$(a3 10.0.1.11 udp,udp_src=5000,udp_dst=53)" $new $new
check_trace drop "$(a1 10.0.1.11 udp,udp_src=5000,udp_dst=53)" $new $new
check_trace drop "$(a3 10.0.1.11 udp,udp_src=5000,udp_dst=54)" $new $new
# The list grows: so does the rule.
check pl_transact '{"op": "mutate", "table": "Prefix_List",
                    "where": [["prefix_list_id", "==", "pl-0123456789abcdef0"]],
                    "mutations": [["entries", "insert", ["map", [["10.0.1.0/24", ""]]]]]}'
check_recompute_equal
check_trace "ct(commit,zone=2),$p2" "$(a1 10.0.1.11 udp,udp_src=5000,udp_dst=53)" $new $new

# A protocol number (GRE, 47), and an ICMP type: only echo requests.
add_rule sg-a-web '"rule_id": "sgr-gre", "direction": "ingress",
    "ip_protocol": "47", "from_port": -1, "to_port": -1,
    "cidr_ipv4": "10.0.2.0/24"'
check_recompute_equal
check_trace "ct(commit,zone=2),$p2" "$(a3 10.0.1.11 ip,nw_proto=47)" $new $new
check_trace drop "$(a3 10.0.1.11 ip,nw_proto=50)" $new $new

# Egress rules: a group with only "TCP 443 out" on eni-a3 (its other
# groups go) lets nothing else out.
check pl_transact \
  '{"op": "insert", "table": "Security_Group_Rule", "uuid-name": "r",
    "row": {"rule_id": "sgr-443", "direction": "egress", "ip_protocol": "tcp",
            "from_port": 443, "to_port": 443, "cidr_ipv4": "0.0.0.0/0"}}' \
  '{"op": "insert", "table": "Security_Group", "uuid-name": "g",
    "row": {"group_id": "sg-a-https", "group_name": "https",
            "vpc": ["uuid", "'"$(pl_get Vpc _uuid '[["vpc_id","==","vpc-a"]]')"'"],
            "rules": ["named-uuid", "r"]}}' \
  '{"op": "update", "table": "Network_Interface",
    "where": [["network_interface_id", "==", "eni-a3"]],
    "row": {"security_groups": ["named-uuid", "g"]}}'
check_recompute_equal
check_trace drop "$(a3 10.0.1.11 icmp,icmp_type=8)" $new
check_grep '^35\. priority 0' cat "$TEST_DIR/trace"
check_trace drop "$(a3 10.0.1.11 tcp,tp_src=40000,tp_dst=80)" $new
check_grep '^35\. priority 0' cat "$TEST_DIR/trace"
# (443 leaves eni-a3, and eni-a2 has no ingress rule for it.)
check_trace drop "$(a3 10.0.1.11 tcp,tp_src=40000,tp_dst=443)" $new $new
check_grep '^110\. priority 0' cat "$TEST_DIR/trace"
# Replies to what eni-a3 accepted still leave.
check_trace "$p1" "$(a3 10.0.1.10 tcp,tp_src=22,tp_dst=40000)" trk,est,rpl trk,est,rpl

# An ENI with no group at all is not filtered (as for GWLB endpoints).
check pl_transact '{"op": "update", "table": "Network_Interface",
                    "where": [["network_interface_id", "==", "eni-a2"]],
                    "row": {"security_groups": ["set", []]}}'
check_recompute_equal
check_trace "$p2" "$(a1 10.0.1.11 tcp,tp_src=40000,tp_dst=22)" $new $new

# Removing a rule refuses new connections, never established ones.
webhttp=$(pl_get Security_Group_Rule _uuid '[["rule_id","==","sgr-webhttp"]]')
check pl_transact "{\"op\": \"mutate\", \"table\": \"Security_Group\",
                    \"where\": [[\"group_id\", \"==\", \"sg-a-web\"]],
                    \"mutations\": [[\"rules\", \"delete\", [\"uuid\", \"$webhttp\"]]]}"
check pl_transact '{"op": "update", "table": "Network_Interface",
                    "where": [["network_interface_id", "==", "eni-a2"]],
                    "row": {"security_groups": ["uuid", "'"$sgaweb"'"]}}'
check_recompute_equal
check_trace drop "$(a1 10.0.1.11 tcp,tp_src=40000,tp_dst=80)" $new $new
check_trace "$p2" "$(a1 10.0.1.11 tcp,tp_src=40000,tp_dst=80)" trk,est trk,est

# Real packets, with the userspace conntrack of the dummy datapath: a
# connection eni-a1 -> eni-a3:22 (eni-a3 back in the default group, which
# lets eni-a1 in): the SYN goes through, the SYN-ACK comes back, and both
# zones track it; then an unsolicited SYN from eni-a2 (not a member) to
# eni-a1:23 is refused by eni-a1's ingress rules.
eth_a1="eth(src=$MAC_A1,dst=$ROUTER_A),eth_type(0x0800)"
eth_a3="eth(src=$MAC_A3,dst=$ROUTER_A),eth_type(0x0800)"
check pl_transact '{"op": "update", "table": "Network_Interface",
                    "where": [["network_interface_id", "==", "eni-a3"]],
                    "row": {"security_groups": ["uuid", "'"$sgadef"'"]}}'
check_recompute_equal
n1=$(pcap_count p1) n3=$(pcap_count p3)
check vswitchd_appctl netdev-dummy/receive p1 \
    "in_port(1),$eth_a1,ipv4(src=10.0.1.10,dst=10.0.2.20,proto=6,tos=0,ttl=64,frag=no),tcp(src=40001,dst=22),tcp_flags(syn)"
wait_until "[ \$(pcap_count p3) -gt $n3 ]"
check vswitchd_appctl netdev-dummy/receive p3 \
    "in_port(1),$eth_a3,ipv4(src=10.0.2.20,dst=10.0.1.10,proto=6,tos=0,ttl=64,frag=no),tcp(src=22,dst=40001),tcp_flags(syn|ack)"
wait_until "[ \$(pcap_count p1) -gt $n1 ]"
check_grep "^$ROUTER_A > $MAC_A1, .* 10.0.2.20.22 > 10.0.1.10.40001: Flags \[S\.\]" \
    eval 'pcap_text p1 | tail -1'
check vswitchd_appctl dpctl/dump-conntrack zone=1
check_grep 'tcp,orig=\(src=10.0.1.10,dst=10.0.2.20,sport=40001,dport=22\),reply=.*zone=1' \
    cat "$TEST_DIR/stdout"
check vswitchd_appctl dpctl/dump-conntrack zone=3
check_grep 'tcp,orig=\(src=10.0.1.10,dst=10.0.2.20,sport=40001,dport=22\),reply=.*zone=3' \
    cat "$TEST_DIR/stdout"
n1=$(pcap_count p1)
check vswitchd_appctl netdev-dummy/receive p2 \
    "in_port(1),eth(src=$MAC_A2,dst=$ROUTER_A),eth_type(0x0800),ipv4(src=10.0.1.11,dst=10.0.1.10,proto=6,tos=0,ttl=64,frag=no),tcp(src=40002,dst=23),tcp_flags(syn)"
wait_until "vswitchd_appctl dpctl/dump-conntrack zone=2 | grep -q 'sport=40002,dport=23'"
check vswitchd_appctl dpctl/dump-conntrack zone=1
check_fails grep -q 'sport=40002' "$TEST_DIR/stdout"
check_output "$n1" pcap_count p1

harness_check_logs
