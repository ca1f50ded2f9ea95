#!/bin/bash
# tests/pipeline/endpoint-nat.sh: an interface endpoint on the dummy
# datapath (topology: endpoint.bash).  While the endpoint waits for
# acceptance its ENI answers nothing; once available, its ENI answers ARP,
# a new TCP connection to ENI:80 passes the endpoint's groups, is DNATed by
# a select group to a healthy target and SNATed to the NLB's address in a
# port block of this chassis, and goes on in the provider VPC (to the local
# target through its security groups, or in GENEVE with the provider's
# VNI); the reply comes back un-NATed; UDP, ICMP, other ports and
# connections the provider opens are dropped; health and rejection change
# the flows.  The incremental result equals a recompute after every step.
source tests/lib.sh
source tests/pipeline/harness.bash
source tests/pipeline/vpc.bash
source tests/pipeline/endpoint.bash
test_init endpoint-nat
harness_start
wait_for_cfg 1
vpc_setup
vpc_underlay
ept_insert
check_recompute_equal

ept_cookie=$(uuid_cookie "$(pl_get Vpc_Endpoint _uuid)")
lb_cookie=$(uuid_cookie "$(pl_get Load_Balancer _uuid)")
eni_uuid=$(pl_get Network_Interface _uuid '[["network_interface_id","==","eni-ept"]]')
key=$(printf '%#x' "0x${eni_uuid:0:8}")
p1=$(dp_port p1) p4=$(dp_port p4)
new=trk,new
# A first segment of a connection (conntrack says "new") that is not a SYN:
# ofproto/trace cannot follow a SYN past the controller(pause) of the MSS
# clamp, so real SYNs go through netdev-dummy/receive below.
syn="in_port=p1,tcp,dl_src=$MAC_A1,dl_dst=$MAC_EPT,nw_src=10.0.1.10,nw_dst=10.0.1.100,tp_src=12345,tp_dst=80,nw_ttl=64,tcp_flags=0x010"
arp="in_port=p1,arp,arp_op=1,dl_src=$MAC_A1,dl_dst=ff:ff:ff:ff:ff:ff,arp_sha=$MAC_A1,arp_spa=10.0.1.10,arp_tpa=10.0.1.100"
arp_reply="set(eth(src=$MAC_EPT,dst=$MAC_A1)),set(arp(sip=10.0.1.100,tip=10.0.1.10,op=2,sha=$MAC_EPT,tha=$MAC_A1)),$p1"

# ept_flows: br-int's flows made from the endpoint's row.
ept_flows() {
    dump_flows | grep -c "cookie=$ept_cookie," || true
}

# groups: br-int's groups, one line each.
groups() {
    ovs-ofctl -O OpenFlow15 dump-groups br-int | grep group_id || true
}

# ------------------------------------------------------------ pendingAcceptance
# No flow, no group, no ARP reply: the SYN dies in PL_IN_DEST (the ENI is
# bound nowhere).
check_output 0 ept_flows
check_output "" groups
check_trace drop "$arp"
check_trace "ct(commit,zone=1)" "$syn" $new $new
check_grep '^70\. priority 0' cat "$TEST_DIR/trace"

# ------------------------------------------------------------ available
# (The provider's targets admit the NLB's address on port 80.)
check pl_transact \
    "$(vpc_rule bhttp ingress tcp 80 80 cidr:10.0.0.0/16)" \
    '{"op": "mutate", "table": "Security_Group",
      "where": [["group_id", "==", "sg-b-default"]],
      "mutations": [["rules", "insert", ["set", [["named-uuid", "bhttp"]]]]]}'
ept_set_state available
check_recompute_equal
check_trace "$arp_reply" "$arp"
# One group: both targets, healthy, one bucket each.
check_output 1 eval "groups | wc -l"
check_grep 'type=select,selection_method=hash,fields\(ip_src,ip_dst,tcp_src,tcp_dst\),bucket=bucket_id:0,weight:100,actions=ct\(commit,table=82,zone=[0-9]+,nat\(dst=10\.0\.1\.10:80\),exec\(set_field:'"$key"'->ct_mark\)\),bucket=bucket_id:1,.*nat\(dst=10\.0\.1\.20:80\)' groups

# Only eni-b1 (here, p4) healthy: the SYN goes through the endpoint's
# group (sg-a-web: port 80 from 10.0.0.0/16), the group, the DNAT and SNAT
# zones, and reaches p4 from the NLB's address after eni-b1's own ingress
# rules, committed in its zone.
ept_set_health 10.0.1.20 unhealthy
check_recompute_equal
check_output 1 eval "groups | grep -c bucket="
check_grep 'nat\(dst=10\.0\.1\.10:80\)' groups
check_trace "ct(commit,zone=4),$p4" "$syn" $new $new $new $new $new $new
check_grep "^50\. tcp,metadata=0x2a/0xffffff,nw_dst=10\.0\.1\.100, priority 100, cookie $ept_cookie" \
    cat "$TEST_DIR/trace"
check_grep "^80\. ct_state=\+new-inv\+trk,tcp,reg4=$key,nw_src=10\.0\.0\.0/16,tp_dst=80, priority 100" \
    cat "$TEST_DIR/trace"
for t in 81 82 83 84; do
    check_grep "^$t\. .*reg4=$key.*cookie $ept_cookie" cat "$TEST_DIR/trace"
done
check_grep 'ct\(commit,table=82,zone=[0-9]+,nat\(dst=10\.0\.1\.10:80\)' cat "$TEST_DIR/trace"
check_grep 'ct\(commit,table=84,zone=[0-9]+,nat\(src=10\.0\.1\.50:[0-9]+-[0-9]+,random\)' cat "$TEST_DIR/trace"
check_grep '^70\. ip,reg0=0xa00010a,metadata=0x2b/0xffffff' cat "$TEST_DIR/trace"
# The DNAT zone is the ENI's, 0x8000 | its key's low 14 bits.
zone=$((0x8000 | (key & 0x3fff)))
check_grep "ct\(table=80,zone=$zone,nat\)" cat "$TEST_DIR/trace"

# Only eni-bt (on hv2) healthy: the same SYN leaves in GENEVE to hv2 with
# the PROVIDER's VNI (43 = 0x2b), to eni-bt's MAC.
ept_set_health 10.0.1.20 healthy
ept_set_health 10.0.1.10 unhealthy
check_recompute_equal
out=$(trace "$syn" $new $new $new $new $new)
[[ $out == *"set(eth(src=$ROUTER_B,dst=$MAC_BT))"*"geneve(vni=0x2b)"* ]] ||
    fail "SYN to eni-bt: $out"
ept_set_health 10.0.1.10 healthy
ept_set_health 10.0.1.20 unhealthy
check_recompute_equal

# TCP only, port 80 only: UDP and ICMP to the ENI are dropped in
# PL_IN_EPT_NAT, another port by the endpoint's groups (PL_IN_EPT_SG).
check_trace "ct(commit,zone=1)" \
    "in_port=p1,udp,dl_src=$MAC_A1,dl_dst=$MAC_EPT,nw_src=10.0.1.10,nw_dst=10.0.1.100,nw_ttl=64,udp_src=12345,udp_dst=80" $new
check_grep "^50\. ip,metadata=0x2a/0xffffff,nw_dst=10\.0\.1\.100, priority 90, cookie $ept_cookie" cat "$TEST_DIR/trace"
check_trace "ct(commit,zone=1)" \
    "in_port=p1,icmp,icmp_type=8,dl_src=$MAC_A1,dl_dst=$MAC_EPT,nw_src=10.0.1.10,nw_dst=10.0.1.100,nw_ttl=64" $new
check_grep "^50\. .*priority 90, cookie $ept_cookie" cat "$TEST_DIR/trace"
check_trace drop "${syn/tp_dst=80/tp_dst=81}" $new $new
check_grep '^80\. priority 0' cat "$TEST_DIR/trace"

# The replies' steering, for the NLB's address: port blocks of other
# chassis go to their tunnel, the rest is un-SNATed here; what comes from a
# tunnel for it is un-SNATed too.
block=$(dump_flows table=50 | sed -n "s/.*cookie=$lb_cookie,.*tp_dst=\([0-9x]*\)\/0xfc00.*/\1/p")
[ -n "$block" ] || fail "no port block flow for hv2"
check_output 1 eval "dump_flows table=100 | grep -c 'cookie=$lb_cookie,.*nw_dst=10.0.1.50'"
check_output 2 eval "dump_flows table=85 | grep -c 'cookie=$lb_cookie,.*nw_dst=10.0.1.50.*zone='"

# plink-trace names each stage and the row behind each flow.
check plink-trace --ovs-rundir "$TEST_DIR" --ctl "$TEST_DIR/plink-controller.ctl" \
    --db "unix:$TEST_DIR/pl.sock" "$syn" --ct-next $new --ct-next $new \
    --ct-next $new --ct-next $new --ct-next $new --ct-next $new
check_grep '^ +\[in_ept_nat\] from Vpc_Endpoint vpce-web$' cat "$TEST_DIR/stdout"
check_grep '^ +\[in_ept_lb\] from Vpc_Endpoint vpce-web$' cat "$TEST_DIR/stdout"
check_grep '^ +\[in_ept_sg\] from Security_Group_Rule sgr-webhttp$' cat "$TEST_DIR/stdout"
check_grep '^ +\[in_classify\] from Network_Interface eni-a1$' cat "$TEST_DIR/stdout"
check_grep '^ +\[out_deliver\] from Network_Interface eni-b1$' cat "$TEST_DIR/stdout"

# ------------------------------------------------------------ real packets
# The SYN from p1 reaches p4 from the NLB's address; p4's SYN-ACK reaches
# p1 from the ENI's address and port.
check vswitchd_appctl netdev-dummy/receive p1 \
    "in_port(1),eth(src=$MAC_A1,dst=$MAC_EPT),eth_type(0x0800),ipv4(src=10.0.1.10,dst=10.0.1.100,proto=6,tos=0,ttl=64,frag=no),tcp(src=12345,dst=80),tcp_flags(syn)"
wait_until '[ "$(pcap_count p4)" -ge 1 ]'
check_grep "^$ROUTER_B > $MAC_B1, .* 10\.0\.1\.50\.[0-9]+ > 10\.0\.1\.10\.80: Flags \[S\]" pcap_text p4
sport=$(pcap_text p4 | sed -n 's/.* 10\.0\.1\.50\.\([0-9]*\) > 10\.0\.1\.10\.80: .*/\1/p' | head -1)
n1=$(pcap_count p1)
check vswitchd_appctl netdev-dummy/receive p4 \
    "in_port(4),eth(src=$MAC_B1,dst=$ROUTER_B),eth_type(0x0800),ipv4(src=10.0.1.10,dst=10.0.1.50,proto=6,tos=0,ttl=64,frag=no),tcp(src=80,dst=$sport),tcp_flags(syn|ack)"
wait_until "[ \"\$(pcap_count p1)\" -gt $n1 ]"
check_grep "^$MAC_EPT > $MAC_A1, .* 10\.0\.1\.100\.80 > 10\.0\.1\.10\.12345: Flags \[S\.\]" pcap_text p1
# The provider cannot open a connection: a SYN from eni-b1 to the NLB's
# address (any port) dies in the un-DNAT stage.
for p in "$sport" 1000; do
    check_trace drop "in_port=p4,tcp,dl_src=$MAC_B1,dl_dst=$ROUTER_B,nw_src=10.0.1.10,nw_dst=10.0.1.50,tp_src=80,tp_dst=$p,nw_ttl=64,tcp_flags=0x002" $new $new $new
    check_grep '^86\. priority 0' cat "$TEST_DIR/trace"
done
n1=$(pcap_count p1)
check vswitchd_appctl netdev-dummy/receive p4 \
    "in_port(4),eth(src=$MAC_B1,dst=$ROUTER_B),eth_type(0x0800),ipv4(src=10.0.1.10,dst=10.0.1.50,proto=6,tos=0,ttl=64,frag=no),tcp(src=81,dst=$sport),tcp_flags(syn)"
sleep 0.5
check_output "$n1" pcap_count p1

# ------------------------------------------------------------ MSS and MTU
# The SYN's MSS (8960, as an instance with MTU 9001 sends it) reaches the
# target clamped to 8460, so that segments fit the endpoint MTU of 8500;
# the SYN-ACK's too, on the way back.  (pinctrl rewrites them.)
check ovs-vsctl set interface p1 mtu_request=9001 -- set interface p4 mtu_request=9001
n4=$(pcap_count p4)
check vswitchd_appctl netdev-dummy/receive p1 \
    "$(ept_tcp_hex $MAC_A1 $MAC_EPT 10.0.1.10 10.0.1.100 20001 80 2 8960 0)"
wait_until "[ \"\$(pcap_count p4)\" -gt $n4 ]"
tcpdump -nn -v -r "$TEST_DIR/p4-tx.pcap" 2>/dev/null >"$TEST_DIR/p4.txt"
check_grep 'Flags \[S\], cksum 0x[0-9a-f]+ \(correct\), seq 1000, win 65535, options \[mss 8460\]' \
    cat "$TEST_DIR/p4.txt"
sport=$(pcap_text p4 | sed -n 's/.* 10\.0\.1\.50\.\([0-9]*\) > 10\.0\.1\.10\.80: .*/\1/p' | tail -1)
n1=$(pcap_count p1)
check vswitchd_appctl netdev-dummy/receive p4 \
    "$(ept_tcp_hex $MAC_B1 $ROUTER_B 10.0.1.10 10.0.1.50 80 $sport 18 8960 0)"
wait_until "[ \"\$(pcap_count p1)\" -gt $n1 ]"
tcpdump -nn -v -r "$TEST_DIR/p1-tx.pcap" 2>/dev/null >"$TEST_DIR/p1.txt"
check_grep '10\.0\.1\.100\.80 > 10\.0\.1\.10\.20001: Flags \[S\.\], cksum 0x[0-9a-f]+ \(correct\), .*options \[mss 8460\]' \
    cat "$TEST_DIR/p1.txt"
# A smaller MSS stays as it is.
n4=$(pcap_count p4)
check vswitchd_appctl netdev-dummy/receive p1 \
    "$(ept_tcp_hex $MAC_A1 $MAC_EPT 10.0.1.10 10.0.1.100 20002 80 2 1400 0)"
wait_until "[ \"\$(pcap_count p4)\" -gt $n4 ]"
check_grep 'options \[mss 1400\]' eval "tcpdump -nn -v -r $TEST_DIR/p4-tx.pcap 2>/dev/null"
# 8500 bytes pass, 8501 are dropped, before any NAT, without an ICMP error.
n4=$(pcap_count p4) n1=$(pcap_count p1)
check vswitchd_appctl netdev-dummy/receive p1 \
    "$(ept_tcp_hex $MAC_A1 $MAC_EPT 10.0.1.10 10.0.1.100 20003 80 2 0 8500)"
wait_until "[ \"\$(pcap_count p4)\" -gt $n4 ]"
check_grep 'length 8460' eval "pcap_text p4 | tail -1"
n4=$(pcap_count p4)
check vswitchd_appctl netdev-dummy/receive p1 \
    "$(ept_tcp_hex $MAC_A1 $MAC_EPT 10.0.1.10 10.0.1.100 20004 80 2 0 8501)"
sleep 0.5
check_output "$n4 $n1" eval 'echo $(pcap_count p4) $(pcap_count p1)'
check_output "" eval "vswitchd_appctl dpctl/dump-conntrack | grep 'sport=20004' | grep -v 'zone=1,' || true"

# ------------------------------------------------------------ restart
# A restarted controller changes no flow; it re-sends the group (it does
# not read groups back), in one bundle that changes nothing.
n_flows=$(dump_flows | grep -c cookie=)
group=$(groups)
controller_stop
controller_start
wait_until 'ctl_status | grep -q "^openflow: S_UPDATE_FLOWS"'
wait_until flows_synced
wait_until 'ctl_status | grep -q "^pushes in flight: 0$"'
check_grep "^since connect: read $n_flows, added 0, modified 0, deleted 0, bundles 1$" \
    ctl_status
check_output "$group" groups

# ------------------------------------------------------------ health
# No usable target: no group, no listener flow; the rest stays.
ept_set_health 10.0.1.10 unused
check_recompute_equal
check_output "" groups
check_output 0 eval "dump_flows table=81 | grep -c cookie=$ept_cookie || true"
check_trace "$arp_reply" "$arp"
ept_set_health 10.0.1.10 healthy
ept_set_health 10.0.1.20 healthy
check_recompute_equal
check_output 1 eval "groups | wc -l"

# ------------------------------------------------------------ rejected
# Every flow and the group go; the ENI no longer answers ARP.
ept_set_state rejected
check_recompute_equal
check_output 0 ept_flows
check_output "" groups
check_trace drop "$arp"
# Of the load balancer's flows only those of its health checks stay (its
# VPC is local: eni-b1 is here).
check_output 2 eval "dump_flows | grep -c cookie=$lb_cookie, || true"
check_output 2 eval "dump_flows table=50 | grep -c 'cookie=$lb_cookie,.*tp_dst=0x400/0xfc00'"

# ------------------------------------------------------------ health checks
# pinctrl checks eni-b1 (bound here) every 3 seconds, from the NLB's address
# and a port of 1024..2047: the SYN leaves on p4 after eni-b1's ingress
# rules.  Nobody answers on a dummy port: after 2 checks eni-b1 is
# unhealthy, checked by hv1.  (eni-bt, on hv2, is not checked here.)
n4=$(pcap_count p4)
ept_health 3 2 2
wait_until "[ \"\$(pcap_count p4)\" -gt $n4 ]"
check_grep '10\.0\.1\.50\.(1[0-9]{3}|20[0-4][0-9]) > 10\.0\.1\.10\.80: Flags \[S\]' \
    eval "pcap_text p4 | tail -1"
t1_state() {
    pl_get Target health_state '[["ip","==","10.0.1.10"]]'
}
wait_until '[ "$(t1_state)" = unhealthy ]' 15
check_output "$(pl_get Chassis _uuid '[["name","==","hv1"]]')" \
    pl_get Target health_checked_by '[["ip","==","10.0.1.10"]]'
check_output healthy pl_get Target health_state '[["ip","==","10.0.1.20"]]'
# eni-b1 answers each SYN with a SYN-ACK (injected on p4): healthy after 2
# answers; pinctrl closes each check with a RST.
answer() {
    local line port seq
    line=$(tcpdump -nn -v -r "$TEST_DIR/p4-tx.pcap" 2>/dev/null |
           grep -E '10\.0\.1\.50\.[0-9]+ > 10\.0\.1\.10\.80: Flags \[S\]' | tail -1)
    port=$(sed -n 's/.*10\.0\.1\.50\.\([0-9]*\) > .*/\1/p' <<<"$line")
    seq=$(sed -n 's/.* seq \([0-9]*\),.*/\1/p' <<<"$line")
    vswitchd_appctl netdev-dummy/receive p4 \
        "$(ept_tcp_hex $MAC_B1 $MAC_NLB 10.0.1.10 10.0.1.50 80 "$port" 18 0 0 $((seq + 1)))"
}
wait_until 'answer; [ "$(t1_state)" = healthy ]' 20
check_grep '10\.0\.1\.50\.[0-9]+ > 10\.0\.1\.10\.80: Flags \[R\]' pcap_text p4
check_recompute_equal

harness_check_logs "terminating with signal 15"
