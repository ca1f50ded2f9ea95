# tests/pipeline/vpc.bash: the VPC topology of the vpc-*.sh pipeline tests,
# sourced after harness.bash.  (Named .bash so that tests/run-tests.sh does
# not run it as a test.)
#
#   VPC A  vpc-a, 10.0.0.0/16, tunnel key 42 (router MAC 0a:00:00:00:00:2a)
#     subnet-a1 10.0.1.0/24, routed by rtb-a-main (main: local 10.0.0.0/16)
#     subnet-a2 10.0.2.0/24, routed by rtb-a2 (explicit association:
#                           local 10.0.0.0/16)
#     sg-a-default  the VPC's default group, as plinkd makes it: ingress
#                   everything from members of the group, egress everything
#     sg-a-web      ingress TCP 80 from 10.0.0.0/16 and ICMP from anywhere,
#                   egress everything
#     eni-a1  10.0.1.10 02:00:00:00:01:0a  subnet-a1  sg-a-default  p1 here
#     eni-a2  10.0.1.11 02:00:00:00:01:0b  subnet-a1  sg-a-web      p2 here
#     eni-a3  10.0.2.20 02:00:00:00:02:14  subnet-a2  sg-a-default,
#                                                     sg-a-web      p3 here
#     eni-ar  10.0.2.30 02:00:00:00:02:1e  subnet-a2  sg-a-web      on hv2
#   VPC B  vpc-b, 10.0.0.0/16 again, tunnel key 43
#     subnet-b1 10.0.1.0/24, rtb-b-main (local 10.0.0.0/16)
#     sg-b-default
#     eni-b1  10.0.1.10 02:00:00:00:0b:0a  subnet-b1  sg-b-default  p4 here
#   Chassis hv2, encap IP 192.168.77.2 (only a row: its tunnel port exists,
#   nothing answers behind it), where eni-ar is bound.
#
# Ports p1..p4 are dummy ports with OpenFlow port numbers 1..4 that write
# what they send to $TEST_DIR/pN-tx.pcap.

# MACs and the router MACs, for the tests.
MAC_A1=02:00:00:00:01:0a
MAC_A2=02:00:00:00:01:0b
MAC_A3=02:00:00:00:02:14
MAC_AR=02:00:00:00:02:1e
MAC_B1=02:00:00:00:0b:0a
ROUTER_A=0a:00:00:00:00:2a
ROUTER_B=0a:00:00:00:00:2b

# vpc_rule NAME DIRECTION PROTO FROM TO PEER: a Security_Group_Rule insert
# with uuid-name NAME; PEER is "cidr:BLOCK" or "group:UUID-NAME".
vpc_rule() {
    local name=$1 dir=$2 proto=$3 from=$4 to=$5 peer=$6 peer_col
    case $peer in
        cidr:*) peer_col="\"cidr_ipv4\": \"${peer#cidr:}\"" ;;
        group:*) peer_col="\"referenced_group\": [\"named-uuid\", \"${peer#group:}\"]" ;;
    esac
    printf '{"op": "insert", "table": "Security_Group_Rule", "uuid-name": "%s",
      "row": {"rule_id": "sgr-%s", "direction": "%s", "ip_protocol": "%s",
              "from_port": %s, "to_port": %s, %s}}' \
        "$name" "$name" "$dir" "$proto" "$from" "$to" "$peer_col"
}

# vpc_eni ID IP MAC SUBNET GROUP...: a Network_Interface insert (uuid-name
# ID with the dashes dropped).
vpc_eni() {
    local id=$1 ip=$2 mac=$3 subnet=$4 groups="" g
    shift 4
    for g in "$@"; do
        groups+="${groups:+, }[\"named-uuid\", \"$g\"]"
    done
    printf '{"op": "insert", "table": "Network_Interface", "uuid-name": "%s",
      "row": {"network_interface_id": "%s", "subnet": ["named-uuid", "%s"],
              "mac_address": "%s", "private_ip_address": "%s",
              "security_groups": ["set", [%s]], "source_dest_check": true,
              "interface_type": "interface", "status": "in-use"}}' \
        "${id//-/}" "$id" "$subnet" "$mac" "$ip" "$groups"
}

# vpc_local_route NAME: a local route for 10.0.0.0/16, uuid-name NAME.
vpc_local_route() {
    printf '{"op": "insert", "table": "Route_Entry", "uuid-name": "%s",
      "row": {"destination_cidr_block": "10.0.0.0/16", "target_type": "local",
              "gateway_id": "local", "origin": "CreateRouteTable",
              "state": "active"}}' "$1"
}

# vpc_insert_topology: inserts every row of the topology in one
# transaction.
vpc_insert_topology() {
    check pl_transact \
      '{"op": "insert", "table": "Vpc", "uuid-name": "vpca",
        "row": {"vpc_id": "vpc-a", "cidr_block": "10.0.0.0/16",
                "state": "available", "tunnel_key": 42}}' \
      '{"op": "insert", "table": "Subnet", "uuid-name": "suba1",
        "row": {"subnet_id": "subnet-a1", "vpc": ["named-uuid", "vpca"],
                "cidr_block": "10.0.1.0/24", "state": "available"}}' \
      '{"op": "insert", "table": "Subnet", "uuid-name": "suba2",
        "row": {"subnet_id": "subnet-a2", "vpc": ["named-uuid", "vpca"],
                "cidr_block": "10.0.2.0/24", "state": "available"}}' \
      "$(vpc_local_route rla)" "$(vpc_local_route rla2)" \
      '{"op": "insert", "table": "Route_Table_Association", "uuid-name": "asma",
        "row": {"association_id": "rtbassoc-a-main", "main": true,
                "state": "associated"}}' \
      '{"op": "insert", "table": "Route_Table_Association", "uuid-name": "asa2",
        "row": {"association_id": "rtbassoc-a2", "main": false,
                "subnet": ["named-uuid", "suba2"], "state": "associated"}}' \
      '{"op": "insert", "table": "Route_Table", "uuid-name": "rtbamain",
        "row": {"route_table_id": "rtb-a-main", "vpc": ["named-uuid", "vpca"],
                "main": true, "routes": ["named-uuid", "rla"],
                "associations": ["named-uuid", "asma"]}}' \
      '{"op": "insert", "table": "Route_Table", "uuid-name": "rtba2",
        "row": {"route_table_id": "rtb-a2", "vpc": ["named-uuid", "vpca"],
                "main": false, "routes": ["named-uuid", "rla2"],
                "associations": ["named-uuid", "asa2"]}}' \
      "$(vpc_rule adefin ingress -1 -1 -1 group:sgadef)" \
      "$(vpc_rule adefeg egress -1 -1 -1 cidr:0.0.0.0/0)" \
      "$(vpc_rule webhttp ingress tcp 80 80 cidr:10.0.0.0/16)" \
      "$(vpc_rule webicmp ingress icmp -1 -1 cidr:0.0.0.0/0)" \
      "$(vpc_rule webeg egress -1 -1 -1 cidr:0.0.0.0/0)" \
      '{"op": "insert", "table": "Security_Group", "uuid-name": "sgadef",
        "row": {"group_id": "sg-a-default", "group_name": "default",
                "vpc": ["named-uuid", "vpca"],
                "rules": ["set", [["named-uuid", "adefin"],
                                  ["named-uuid", "adefeg"]]]}}' \
      '{"op": "insert", "table": "Security_Group", "uuid-name": "sgaweb",
        "row": {"group_id": "sg-a-web", "group_name": "web",
                "vpc": ["named-uuid", "vpca"],
                "rules": ["set", [["named-uuid", "webhttp"],
                                  ["named-uuid", "webicmp"],
                                  ["named-uuid", "webeg"]]]}}' \
      "$(vpc_eni eni-a1 10.0.1.10 $MAC_A1 suba1 sgadef)" \
      "$(vpc_eni eni-a2 10.0.1.11 $MAC_A2 suba1 sgaweb)" \
      "$(vpc_eni eni-a3 10.0.2.20 $MAC_A3 suba2 sgadef sgaweb)" \
      "$(vpc_eni eni-ar 10.0.2.30 $MAC_AR suba2 sgaweb)" \
      '{"op": "insert", "table": "Vpc", "uuid-name": "vpcb",
        "row": {"vpc_id": "vpc-b", "cidr_block": "10.0.0.0/16",
                "state": "available", "tunnel_key": 43}}' \
      '{"op": "insert", "table": "Subnet", "uuid-name": "subb1",
        "row": {"subnet_id": "subnet-b1", "vpc": ["named-uuid", "vpcb"],
                "cidr_block": "10.0.1.0/24", "state": "available"}}' \
      "$(vpc_local_route rlb)" \
      '{"op": "insert", "table": "Route_Table", "uuid-name": "rtbbmain",
        "row": {"route_table_id": "rtb-b-main", "vpc": ["named-uuid", "vpcb"],
                "main": true, "routes": ["named-uuid", "rlb"]}}' \
      "$(vpc_rule bdefin ingress -1 -1 -1 group:sgbdef)" \
      "$(vpc_rule bdefeg egress -1 -1 -1 cidr:0.0.0.0/0)" \
      '{"op": "insert", "table": "Security_Group", "uuid-name": "sgbdef",
        "row": {"group_id": "sg-b-default", "group_name": "default",
                "vpc": ["named-uuid", "vpcb"],
                "rules": ["set", [["named-uuid", "bdefin"],
                                  ["named-uuid", "bdefeg"]]]}}' \
      "$(vpc_eni eni-b1 10.0.1.10 $MAC_B1 subb1 sgbdef)"
}

# vpc_insert_hv2: the Chassis row of hv2, which has eni-ar bound (as hv2's
# controller would have done).  After the ports: the tunnel port to hv2
# would otherwise take one of their port numbers.
vpc_insert_hv2() {
    check pl_transact \
      '{"op": "insert", "table": "Chassis", "uuid-name": "hv2",
        "row": {"name": "hv2", "hostname": "hv2.example",
                "encap_type": "geneve", "encap_ip": "192.168.77.2"}}' \
      '{"op": "update", "table": "Network_Interface",
        "where": [["network_interface_id", "==", "eni-ar"]],
        "row": {"chassis": ["named-uuid", "hv2"], "up": true}}'
}

# vpc_add_port N ENI: adds dummy port pN (OpenFlow port N) for ENI to br-int.
vpc_add_port() {
    local n=$1 eni=$2
    check ovs-vsctl add-port br-int "p$n" -- set interface "p$n" type=dummy \
        ofport_request="$n" external_ids:iface-id="$eni" \
        options:tx_pcap="$TEST_DIR/p$n-tx.pcap" \
        options:rxq_pcap="$TEST_DIR/p$n-rx.pcap"
}

# eni_column ENI COLUMN: COLUMN of the Network_Interface ENI (nothing for
# an empty optional column).
eni_column() {
    pl_get Network_Interface "$2" "[[\"network_interface_id\",\"==\",\"$1\"]]" |
        sed 's/^\["set", \[\]\]$//'
}

# wait_for_up ENI...: waits until each ENI is bound here and up.
wait_for_up() {
    local eni hv1
    hv1=$(pl_get Chassis _uuid '[["name","==","hv1"]]')
    for eni; do
        wait_until "[ \"\$(eni_column $eni chassis)\" = $hv1 ] &&
                    [ \"\$(eni_column $eni up)\" = True ]"
    done
}

# vpc_setup: the whole topology, with every local ENI bound and up.
vpc_setup() {
    vpc_insert_topology
    vpc_add_port 1 eni-a1
    vpc_add_port 2 eni-a2
    vpc_add_port 3 eni-a3
    vpc_add_port 4 eni-b1
    wait_for_up eni-a1 eni-a2 eni-a3 eni-b1
    vpc_insert_hv2
    wait_until '[ -n "$(ovs-vsctl --bare --columns=name find port external_ids:plink-chassis=hv2)" ]'
    HV2_PORT=$(ovs-vsctl --bare --columns=name find port external_ids:plink-chassis=hv2)
    wait_until "[ \"\$(ovs-vsctl get interface $HV2_PORT ofport)\" -gt 0 ]"
    HV2_OFPORT=$(ovs-vsctl get interface "$HV2_PORT" ofport)
    check_recompute_equal
}

# pcap_text PORT: what dummy port PORT (p1...) sent, as tcpdump prints it
# with link-level headers, one packet a line.
pcap_text() {
    tcpdump -nn -e -r "$TEST_DIR/$1-tx.pcap" 2>/dev/null | cut -d' ' -f2-
}

# dp_port NAME: the datapath port number of OVS port NAME, as datapath
# actions print it.
dp_port() {
    vswitchd_appctl dpif/show | sed -n "s|^ *$1 [0-9]*/\([0-9]*\):.*|\1|p"
}

# vpc_underlay: gives this chassis an underlay as plink-lab does (br-phy
# with a port u1 and the encap IP 192.168.77.1/24), with a route and a
# neighbour entry for hv2 (192.168.77.2 at aa:55:aa:55:00:02), so that
# GENEVE packets to hv2 are really encapsulated; u1 writes what it sends
# to $TEST_DIR/u1-tx.pcap.
vpc_underlay() {
    check ovs-vsctl add-br br-phy -- set bridge br-phy datapath_type=dummy \
        fail-mode=standalone other_config:hwaddr=aa:55:aa:55:00:01 \
        -- add-port br-phy u1 -- set interface u1 type=dummy ofport_request=1 \
        options:tx_pcap="$TEST_DIR/u1-tx.pcap" \
        options:rxq_pcap="$TEST_DIR/u1-rx.pcap"
    check vswitchd_appctl netdev-dummy/ip4addr br-phy 192.168.77.1/24
    check vswitchd_appctl ovs/route/add 192.168.77.0/24 br-phy
    check vswitchd_appctl tnl/arp/set br-phy 192.168.77.2 aa:55:aa:55:00:02
}

# pcap_count PORT: the number of packets dummy port PORT has sent.
pcap_count() {
    pcap_text "$1" | wc -l
}
