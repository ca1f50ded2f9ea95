#!/bin/bash
# tests/pipeline/dns.sh: the VPC resolver on the dummy datapath (topology:
# endpoint.bash, with vpce-web given a second ENI in another zone, DNS
# names and a service with a private DNS name).  UDP queries to VPC A's
# base + 2, port 53, go to pinctrl before the security groups; real DNS
# queries injected on p1 get their answers back on p1: the regional name
# gives both ENI addresses, a zonal name one, in any case; AAAA gets no
# record; the service's private name (and a wildcard) resolves only with
# private DNS on, both VPC attributes on and the name verified; a name
# nobody knows gets SERVFAIL without an upstream, the upstream's answer
# (a dnsmasq on loopback) with one, and SERVFAIL again when the upstream
# is gone.  Each change in the database changes the answers at once.
source tests/lib.sh
source tests/pipeline/harness.bash
source tests/pipeline/vpc.bash
source tests/pipeline/endpoint.bash
source tests/pipeline/dns.bash
test_init dns
harness_start
wait_for_cfg 1
vpc_setup
ept_insert

BASE=vpce-svc-web.us-east-1.vpce.amazonaws.com
REGIONAL=vpce-web-abcd1234.$BASE
ZONAL_A=vpce-web-abcd1234-us-east-1a.$BASE
ZONAL_B=vpce-web-abcd1234-us-east-1b.$BASE
MAC_EPT2=02:00:00:00:02:64

# update TABLE ID-COLUMN ID ROW: updates one row.
update() {
    check pl_transact "{\"op\": \"update\", \"table\": \"$1\",
        \"where\": [[\"$2\", \"==\", \"$3\"]], \"row\": $4}"
}

update Vpc vpc_id vpc-a '{"enable_dns_support": true}'
update Subnet subnet_id subnet-a1 '{"availability_zone": "us-east-1a"}'
update Subnet subnet_id subnet-a2 '{"availability_zone": "us-east-1b"}'
check pl_transact \
    "$(ept_eni eni-ept2 10.0.2.100 $MAC_EPT2 subnet-a2 vpc_endpoint sg-a-web)" \
    "{\"op\": \"mutate\", \"table\": \"Vpc_Endpoint\",
      \"where\": [[\"vpc_endpoint_id\", \"==\", \"vpce-web\"]],
      \"mutations\": [[\"network_interfaces\", \"insert\",
                       [\"named-uuid\", \"eniept2\"]]]}"
update Vpc_Endpoint vpc_endpoint_id vpce-web "{\"dns_suffix\": \"abcd1234\",
    \"dns_entries\": [\"map\", [[\"$REGIONAL\", \"Z7HUB22UULQXV\"],
                                [\"$ZONAL_A\", \"Z7HUB22UULQXV\"],
                                [\"$ZONAL_B\", \"Z7HUB22UULQXV\"]]]}"
update Endpoint_Service service_id vpce-svc-web \
    '{"private_dns_name": "api.example.com", "private_dns_state": "verified"}'
ept_set_state available
check_recompute_equal

# ask NAME [QTYPE]: sends from eni-a1 (p1) a query for NAME of QTYPE
# (default 1, A) to VPC A's resolver, with a new source port and id (a
# counter in $TEST_DIR/sport), and prints the answer that p1 sent back to
# that port (dns_decode) with the port and the id, if they are the
# query's, as PORT and ID; fails if none came within 4 seconds.
echo 40000 >"$TEST_DIR/sport"
ask() {
    local name=$1 qtype=${2:-1} sport i out
    sport=$(($(cat "$TEST_DIR/sport") + 1))
    echo $sport >"$TEST_DIR/sport"
    vswitchd_appctl netdev-dummy/receive p1 \
        "$(dns_query_hex $MAC_A1 $ROUTER_A 10.0.1.10 10.0.0.2 $sport $sport "$name" "$qtype")" \
        >/dev/null || return 1
    for ((i = 0; i < 40; i++)); do
        if out=$(dns_decode "$TEST_DIR/p1-tx.pcap" $sport 2>/dev/null); then
            echo "${out/:$sport id=$sport / PORT ID }"
            return 0
        fi
        sleep 0.1
    done
    return 1
}

# answer ADDRESSES: what ask prints for a NOERROR answer with A records
# ADDRESSES (comma-separated, sorted), "" for none.
answer() {
    local ttl=60
    [ -n "$1" ] || ttl=
    echo "10.0.0.2:53>10.0.1.10 PORT ID rcode=0 flags=qr,rd,ra ttl=$ttl a=$1 csum=ok"
}

# servfail: what ask prints for a SERVFAIL.
servfail() {
    echo "10.0.0.2:53>10.0.1.10 PORT ID rcode=2 flags=qr,rd,ra ttl= a= csum=ok"
}

# check_ask EXPECTED NAME [QTYPE]: the answer to NAME must be what the
# command EXPECTED prints, within 2 seconds (a change in the database
# takes effect at once).
check_ask() {
    local expected out i
    expected=$(eval "$1")
    shift
    for ((i = 0; i < 10; i++)); do
        out=$(ask "$@")
        [ "$out" = "$expected" ] && return 0
        sleep 0.1
    done
    fail "answer to $*: '$out', expected '$expected'"
}

# ------------------------------------------------------------ the flow
# VPC A has a resolver: its query goes to pinctrl in in_dns, before the
# security groups.  VPC B has none (enable_dns_support is off): its query
# goes on to in_sg_ct.
vpc_cookie=$(uuid_cookie "$(pl_get Vpc _uuid '[["vpc_id","==","vpc-a"]]')")
check_output 1 eval "dump_flows table=25 | grep -c 'cookie=$vpc_cookie,.*udp,metadata=0x2a/0xffffff,nw_dst=10.0.0.2,tp_dst=53 actions=controller(id=1,userdata=00.03.00.00)'"
q="in_port=p1,udp,dl_src=$MAC_A1,dl_dst=$ROUTER_A,nw_src=10.0.1.10,nw_dst=10.0.0.2,nw_ttl=64,udp_src=40000,udp_dst=53"
trace "$q" >/dev/null
check_grep '^25\. udp,metadata=0x2a/0xffffff,nw_dst=10\.0\.0\.2,tp_dst=53, priority 100' cat "$TEST_DIR/trace"
check_grep 'controller\(id=1,userdata=00\.03\.00\.00\)' cat "$TEST_DIR/trace"
check_fails grep -q '^30\.' "$TEST_DIR/trace"
q_b="in_port=p4,udp,dl_src=$MAC_B1,dl_dst=$ROUTER_B,nw_src=10.0.1.10,nw_dst=10.0.0.2,nw_ttl=64,udp_src=40000,udp_dst=53"
trace "$q_b" >/dev/null
check_grep '^25\. priority 0' cat "$TEST_DIR/trace"
check_grep '^30\. ' cat "$TEST_DIR/trace"

# ------------------------------------------------------------ endpoint names
# Regional: both ENIs; zonal: the ENI of the zone; any case; TTL 60, RD
# copied, RA on, AA off, the id of the query.
check_ask 'answer 10.0.1.100,10.0.2.100' "$REGIONAL"
check_ask 'answer 10.0.1.100' "$ZONAL_A"
check_ask 'answer 10.0.2.100' "$ZONAL_B"
check_ask 'answer 10.0.1.100,10.0.2.100' "$(echo "$REGIONAL" | tr a-z A-Z)."
# AAAA (28) and TXT (16) of a known name: NOERROR, no record.
check_ask 'answer ""' "$REGIONAL" 28
check_ask 'answer ""' "$ZONAL_A" 16
# The answer left on p1 only (the instance's port).
check_output 0 pcap_count p2

# ------------------------------------------------------------ private DNS
# The service's name needs private DNS on the endpoint and both VPC
# attributes: off, it is a name like any other (no upstream: SERVFAIL).
check_ask servfail api.example.com
update Vpc_Endpoint vpc_endpoint_id vpce-web '{"private_dns_enabled": true}'
check_ask servfail api.example.com
update Vpc vpc_id vpc-a '{"enable_dns_hostnames": true}'
check_ask 'answer 10.0.1.100,10.0.2.100' api.example.com
check_ask 'answer 10.0.1.100,10.0.2.100' API.Example.Com
check_ask servfail www.api.example.com
# Not verified (a provider's name after a failed check): not served.
update Endpoint_Service service_id vpce-svc-web '{"private_dns_state": "failed"}'
check_ask servfail api.example.com
# A verified wildcard: one label or more under example.com, not
# example.com itself.
update Endpoint_Service service_id vpce-svc-web \
    '{"private_dns_name": "*.example.com", "private_dns_state": "verified"}'
check_ask 'answer 10.0.1.100,10.0.2.100' api.example.com
check_ask 'answer 10.0.1.100,10.0.2.100' a.b.example.com
check_ask servfail example.com
check_ask servfail example.org
# Private DNS off again: gone; the endpoint names stay.
update Vpc_Endpoint vpc_endpoint_id vpce-web '{"private_dns_enabled": false}'
check_ask servfail api.example.com
check_ask 'answer 10.0.1.100,10.0.2.100' "$REGIONAL"
check_recompute_equal

# ------------------------------------------------------------ upstream
# Names the resolver does not know go to dns_upstream, and the answer
# comes back with the instance's id.
dns_port=$(/usr/bin/python3 -c 'import socket; s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
dnsmasq --keep-in-foreground --no-resolv --no-hosts --conf-file=/dev/null \
    --listen-address=127.0.0.1 --bind-interfaces --port="$dns_port" \
    --pid-file="$TEST_DIR/dnsmasq.pid.unused" --log-queries --log-facility=- \
    --address=/public.example.net/198.51.100.7 \
    >"$TEST_DIR/dnsmasq.log" 2>&1 &
echo $! >"$TEST_DIR/dnsmasq.pid"
on_exit "kill_pidfile $TEST_DIR/dnsmasq.pid"
wait_until "dig +short +time=1 +tries=1 -p $dns_port @127.0.0.1 public.example.net | grep -q 198.51.100.7"
check pl_transact '{"op": "mutate", "table": "PrivateLink_Global", "where": [],
    "mutations": [["options", "insert",
                   ["map", [["dns_upstream", "127.0.0.1:'"$dns_port"'"]]]]]}'
# (dnsmasq answers its own names with AA on and a TTL of 0.)
check_ask 'echo "10.0.0.2:53>10.0.1.10 PORT ID rcode=0 flags=qr,aa,rd,ra ttl=0 a=198.51.100.7 csum=ok"' \
    public.example.net
check_grep 'query\[A\] public\.example\.net from 127\.0\.0\.1' cat "$TEST_DIR/dnsmasq.log"
# The endpoint names are still ours.
check_ask 'answer 10.0.1.100,10.0.2.100' "$REGIONAL"
# The upstream is gone: SERVFAIL after the timeout (2 s).
kill_pidfile "$TEST_DIR/dnsmasq.pid"
t0=$(date +%s%N)
check_ask servfail public.example.net
ms=$((($(date +%s%N) - t0) / 1000000))
[ $ms -ge 1900 ] && [ $ms -lt 4000 ] || fail "SERVFAIL after $ms ms"

# ------------------------------------------------------------ endpoint life
# A subnet (and its ENI) leaves the endpoint: the regional name loses its
# address, the zonal name goes.
check pl_transact "{\"op\": \"mutate\", \"table\": \"Vpc_Endpoint\",
      \"where\": [[\"vpc_endpoint_id\", \"==\", \"vpce-web\"]],
      \"mutations\": [[\"network_interfaces\", \"delete\",
                       $(ept_uuid Network_Interface network_interface_id eni-ept2)]]}"
update Vpc_Endpoint vpc_endpoint_id vpce-web "{
    \"dns_entries\": [\"map\", [[\"$REGIONAL\", \"Z7HUB22UULQXV\"],
                                [\"$ZONAL_A\", \"Z7HUB22UULQXV\"]]]}"
check_ask 'answer 10.0.1.100' "$REGIONAL"
check_ask servfail "$ZONAL_B"
# Rejected: its names are gone.
ept_set_state rejected
check_ask servfail "$REGIONAL"
# No DNS support in the VPC: no resolver flow at all.
update Vpc vpc_id vpc-a '{"enable_dns_support": false}'
check_recompute_equal
check_output 0 eval "dump_flows table=25 | grep -vc 'priority=0 ' || true"

harness_check_logs
