# tests/pipeline/endpoint.bash: an interface endpoint on top of the VPC
# topology of vpc.bash, for the endpoint-*.sh pipeline tests.  (Named
# .bash so that tests/run-tests.sh does not run it as a test.)
#
#   Provider: VPC B (vpc-b, 10.0.0.0/16, key 43)
#     nlb-web       network load balancer in subnet-b1, its address
#                   eni-nlb 10.0.1.50 02:00:00:00:0b:32; listener TCP 80 ->
#                   tg-web (port 80)
#     targets       eni-b1 10.0.1.10:80 (p4, here) and eni-bt 10.0.1.20:80
#                   02:00:00:00:0b:14 (bound to hv2), both healthy; the
#                   health checks of tg-web are off (ept_health turns them
#                   on)
#     svc-web       Interface service with nlb-web, acceptance required
#   Consumer: VPC A (vpc-a, 10.0.0.0/16 too, key 42)
#     vpce-web      interface endpoint of svc-web in subnet-a1, its ENI
#                   eni-ept 10.0.1.100 02:00:00:00:01:64, group sg-a-web
#                   (ingress TCP 80 from 10.0.0.0/16); created in state
#                   pendingAcceptance
#   The client is eni-a1 10.0.1.10 (p1).

MAC_EPT=02:00:00:00:01:64
MAC_NLB=02:00:00:00:0b:32
MAC_BT=02:00:00:00:0b:14

# ept_uuid TABLE ID-COLUMN ID: the UUID of a row, as JSON for a transaction.
ept_uuid() {
    printf '["uuid", "%s"]' "$(pl_get "$1" _uuid "[[\"$2\",\"==\",\"$3\"]]")"
}

# ept_eni ID IP MAC SUBNET TYPE [GROUP-ID]: a Network_Interface insert
# (uuid-name ID without dashes) in the existing subnet SUBNET.
ept_eni() {
    local groups=""
    [ -n "${6:-}" ] && groups=$(ept_uuid Security_Group group_id "$6")
    printf '{"op": "insert", "table": "Network_Interface", "uuid-name": "%s",
      "row": {"network_interface_id": "%s", "subnet": %s,
              "mac_address": "%s", "private_ip_address": "%s",
              "security_groups": ["set", [%s]], "source_dest_check": true,
              "interface_type": "%s", "status": "in-use",
              "requester_managed": %s}}' \
        "${1//-/}" "$1" "$(ept_uuid Subnet subnet_id "$4")" "$3" "$2" \
        "$groups" "$5" "$([ "$5" = interface ] && echo false || echo true)"
}

# ept_insert: inserts the rows above (after vpc_setup).
ept_insert() {
    local hv2 vpca vpcb
    hv2=$(ept_uuid Chassis name hv2)
    vpca=$(ept_uuid Vpc vpc_id vpc-a)
    vpcb=$(ept_uuid Vpc vpc_id vpc-b)
    check pl_transact \
      "$(ept_eni eni-nlb 10.0.1.50 $MAC_NLB subnet-b1 network_load_balancer)" \
      "$(ept_eni eni-bt 10.0.1.20 $MAC_BT subnet-b1 interface sg-b-default)" \
      "$(ept_eni eni-ept 10.0.1.100 $MAC_EPT subnet-a1 vpc_endpoint sg-a-web)" \
      '{"op": "insert", "table": "Target", "uuid-name": "t1",
        "row": {"ip": "10.0.1.10", "port": 80, "health_state": "healthy"}}' \
      '{"op": "insert", "table": "Target", "uuid-name": "t2",
        "row": {"ip": "10.0.1.20", "port": 80, "health_state": "healthy"}}' \
      '{"op": "insert", "table": "Target_Group", "uuid-name": "tg",
        "row": {"arn": "arn:tg/web", "name": "web", "protocol": "TCP",
                "port": 80, "vpc": '"$vpcb"',
                "target_type": "ip",
                "health_check": ["map", [["enabled", "false"]]],
                "targets": ["set", [["named-uuid", "t1"],
                                    ["named-uuid", "t2"]]]}}' \
      '{"op": "insert", "table": "Listener", "uuid-name": "lis",
        "row": {"arn": "arn:listener/web", "protocol": "TCP", "port": 80,
                "target_group": ["named-uuid", "tg"]}}' \
      '{"op": "insert", "table": "Load_Balancer", "uuid-name": "lb",
        "row": {"arn": "arn:lb/web", "name": "web", "lb_type": "network",
                "vpc": '"$vpcb"', "state": "active",
                "subnets": '"$(ept_uuid Subnet subnet_id subnet-b1)"',
                "network_interfaces": ["named-uuid", "eninlb"],
                "listeners": ["named-uuid", "lis"]}}' \
      '{"op": "insert", "table": "Endpoint_Service", "uuid-name": "svc",
        "row": {"service_id": "vpce-svc-web", "service_name": "svc-web",
                "service_types": "Interface", "service_state": "Available",
                "acceptance_required": true,
                "supported_ip_address_types": "ipv4",
                "network_load_balancers": ["named-uuid", "lb"]}}' \
      '{"op": "insert", "table": "Vpc_Endpoint", "uuid-name": "ept",
        "row": {"vpc_endpoint_id": "vpce-web", "vpc_endpoint_type": "Interface",
                "vpc": '"$vpca"', "service": ["named-uuid", "svc"],
                "service_name": "svc-web", "state": "pendingAcceptance",
                "network_interfaces": ["named-uuid", "eniept"],
                "security_groups": '"$(ept_uuid Security_Group group_id sg-a-web)"'}}' \
      "{\"op\": \"update\", \"table\": \"Network_Interface\",
        \"where\": [[\"network_interface_id\", \"==\", \"eni-bt\"]],
        \"row\": {\"chassis\": $hv2, \"up\": true}}"
}

# ept_set_state STATE: moves vpce-web to STATE.
ept_set_state() {
    check pl_transact "{\"op\": \"update\", \"table\": \"Vpc_Endpoint\",
        \"where\": [[\"vpc_endpoint_id\", \"==\", \"vpce-web\"]],
        \"row\": {\"state\": \"$1\"}}"
}

# ept_set_health IP STATE: sets the health of the target at IP.
ept_set_health() {
    check pl_transact "{\"op\": \"update\", \"table\": \"Target\",
        \"where\": [[\"ip\", \"==\", \"$1\"]],
        \"row\": {\"health_state\": \"$2\"}}"
}

# ept_tcp_hex SRC-MAC DST-MAC SRC-IP DST-IP SPORT DPORT FLAGS MSS LEN [ACK]: an
# Ethernet frame with an IPv4 TCP segment, in hex for netdev-dummy/receive:
# FLAGS as a number (2 = SYN), an MSS option unless MSS is 0, and enough
# payload to make the IP packet LEN bytes long (at least the headers),
# sequence number 1000, acknowledgment ACK (default 0); checksums correct.
ept_tcp_hex() {
    /usr/bin/python3 - "$@" <<'PY'
import struct, sys
smac, dmac, sip, dip, sport, dport, flags, mss, length = sys.argv[1:10]
ack = int(sys.argv[10]) if len(sys.argv) > 10 else 0
sport, dport, flags, mss, length = map(int, (sport, dport, flags, mss, length))
mac = lambda m: bytes(int(x, 16) for x in m.split(":"))
ip4 = lambda a: bytes(int(x) for x in a.split("."))
def csum(b):
    if len(b) % 2:
        b += b"\0"
    s = sum(struct.unpack("!%dH" % (len(b) // 2), b))
    while s >> 16:
        s = (s & 0xffff) + (s >> 16)
    return ~s & 0xffff
opts = struct.pack("!BBH", 2, 4, mss) if mss else b""
tcp_len = 20 + len(opts)
payload = b"x" * max(0, length - 20 - tcp_len)
tcp = struct.pack("!HHIIBBHHH", sport, dport, 1000, ack, (tcp_len // 4) << 4,
                  flags, 65535, 0, 0) + opts + payload
pseudo = ip4(sip) + ip4(dip) + struct.pack("!BBH", 0, 6, len(tcp))
tcp = tcp[:16] + struct.pack("!H", csum(pseudo + tcp)) + tcp[18:]
ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(tcp), 0, 0x4000, 64, 6,
                 0, ip4(sip), ip4(dip))
ip = ip[:10] + struct.pack("!H", csum(ip)) + ip[12:]
print((mac(dmac) + mac(smac) + b"\x08\x00" + ip + tcp).hex())
PY
}

# ept_health INTERVAL HEALTHY UNHEALTHY: turns the health checks of tg-web
# on, every INTERVAL seconds, with these thresholds.
ept_health() {
    check pl_transact "{\"op\": \"update\", \"table\": \"Target_Group\",
        \"where\": [[\"name\", \"==\", \"web\"]],
        \"row\": {\"health_check\": [\"map\", [
            [\"enabled\", \"true\"], [\"protocol\", \"TCP\"],
            [\"port\", \"traffic-port\"], [\"interval_seconds\", \"$1\"],
            [\"healthy_threshold\", \"$2\"],
            [\"unhealthy_threshold\", \"$3\"]]]}}"
}
