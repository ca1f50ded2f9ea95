#!/bin/bash
# tests/system/dns-private-name.sh: a provider's private DNS name, proven
# with a TXT record that "plink-lab dns-record" adds to the lab's public
# DNS (the dnsmasq that plinkd asks, PrivateLink_Global
# options:verification_resolver, which "plink-lab up" sets).  Once the name
# is verified, the consumer's instance resolves web.example.com to its
# endpoint and fetches the provider's page by that name.  An instance in a
# second VPC of the consumer, without the endpoint, gets the public answer.
# When the record goes away and the name fails verification, new lookups
# get the public answer again, while a download through the endpoint that
# started before goes on to its end (the guide's rule: existing
# connections continue).
source tests/lib.sh
source tests/system/api-harness.bash
test_init dns-private-name
api_lab_up 1

PUBLIC=203.0.113.10             # the lab's public DNS: *.example.com
UPSTREAM=192.168.77.253         # where the VPC resolvers forward to

# check_resolves INSTANCE RESOLVER NAME ADDRESS: NAME resolves to ADDRESS
# in INSTANCE within 2 s.
check_resolves() {
    wait_until "[ \"\$(lab_resolve $1 $2 $3)\" = $4 ]" 2
}

# upstream_pid: the PID that the lab records for its public DNS server in
# the underlay namespace.
upstream_pid() {
    awk '$1 == "dns-upstream" { print $2 }' "$LAB/pids"
}

# ------------------------------------------------------------ dns-record
# Bad usage: one line on stderr, exit 2.  (Word splitting makes the
# arguments; the last value has a literal double quote.)
# shellcheck disable=SC2089,SC2090
for args in "" "frob" "add web.example.com TXT" "add web.example.com MX x" \
            "add web.example.com A 10.0.0" "add bad..name TXT x" \
            "del web.example.com" "list extra" "add x.example.com TXT a\"b"; do
    plink-lab dns-record --dir "$LAB" $args >"$TEST_DIR/stdout" 2>"$TEST_DIR/stderr"
    rc=$?
    [ $rc = 2 ] || fail "plink-lab dns-record $args: exit $rc, expected 2"
    [ "$(wc -l <"$TEST_DIR/stderr")" = 1 ] ||
        fail "plink-lab dns-record $args: not one line on stderr"
done
check_grep '^SYNOPSIS' plink-lab dns-record --help
check_grep 'plink-lab dns-record' plink-lab --help

# The lab sets the verification resolver: its public DNS, as plinkd's
# namespace reaches it.
dns_host=$(sed -n 's/^dns_host_port=//p' "$LAB/lab.conf")
[ -n "$dns_host" ] || fail "no dns_host_port in $LAB/lab.conf"
check_grep "verification_resolver=\"127\\.0\\.0\\.1:$dns_host\"" ovsdb-client dump \
    "$PL_DB" PrivateLink PrivateLink_Global options

# Records, answered by both servers at once; the restarted server's new
# PID replaces the old one in the lab's records.
pids_before=$(wc -l <"$LAB/pids")
old_pid=$(upstream_pid)
check plink-lab dns-record --dir "$LAB" add Probe.Example.ORG A 192.0.2.99
check plink-lab dns-record --dir "$LAB" add probe.example.org TXT 'Case Matters, here'
check_output "probe.example.org A 192.0.2.99
probe.example.org TXT Case Matters, here" plink-lab dns-record --dir "$LAB" list
check_output 192.0.2.99 dig +short +time=2 +tries=1 -p "$dns_host" @127.0.0.1 probe.example.org
check_output '"Case Matters, here"' plink-lab exec --dir "$LAB" ul -- \
    dig +short +time=2 +tries=1 @$UPSTREAM probe.example.org TXT
new_pid=$(upstream_pid)
[ "$new_pid" != "$old_pid" ] && pid_running "$new_pid" && ! pid_running "$old_pid" ||
    fail "dns-upstream: pid $old_pid, then $new_pid"
[ "$(wc -l <"$LAB/pids")" = "$pids_before" ] || fail "pids: $(cat "$LAB/pids")"
check plink-lab status --dir "$LAB"
check plink-lab dns-record --dir "$LAB" del probe.example.org TXT
check_fails plink-lab dns-record --dir "$LAB" del probe.example.org TXT
[ "$(wc -l <"$TEST_DIR/stderr")" = 1 ] || fail "del: not one line on stderr"
check_output "probe.example.org A 192.0.2.99" plink-lab dns-record --dir "$LAB" list
check_output "" dig +short +time=2 +tries=1 -p "$dns_host" @127.0.0.1 probe.example.org TXT

# ------------------------------------------------------------ the scenario
lab_provider_service web.example.com
lab_consumer_vpc
lab_interface_endpoint --private-dns-enabled
# Through the VPC's resolver, the A record comes from upstream.
check_resolves client 10.0.0.2 probe.example.org 192.0.2.99
# Not verified yet: the public answer.
check_resolves client 10.0.0.2 web.example.com $PUBLIC

# A second VPC of the consumer, both DNS attributes on, without the
# endpoint.
vpc2=$(ec2 consumer create-vpc --cidr-block 10.1.0.0/16 --query Vpc.VpcId) &&
sub2=$(ec2 consumer create-subnet --vpc-id "$vpc2" --cidr-block 10.1.1.0/24 \
           --availability-zone us-east-1a --query Subnet.SubnetId) ||
    fail "the second VPC"
check ec2 consumer modify-vpc-attribute --vpc-id "$vpc2" --enable-dns-hostnames
lab_instance consumer "$sub2" other >/dev/null || fail "instance other"

# The provider proves it owns the name.
field() {
    ec2 provider describe-vpc-endpoint-service-configurations --service-ids "$SVC" \
        --query "ServiceConfigurations[0].PrivateDnsNameConfiguration.$1"
}
vname=$(field Name) vvalue=$(field Value)
check plink-lab dns-record --dir "$LAB" add "$vname.web.example.com" TXT "$vvalue"
check aws_as provider ec2 start-vpc-endpoint-service-private-dns-verification \
    --service-id "$SVC"
wait_until '[ "$(field State)" = verified ]'
check_grep "TXT\\] $vname\\.web\\.example\\.com from 127\\.0\\.0\\.1" \
    cat "$LAB/central/dnsmasq-host.log"
check_resolves client 10.0.0.2 web.example.com "$EPT_IP"
check_output "hello from web" lab_on client curl -s --connect-timeout 4 \
    --max-time 6 http://web.example.com/

# The second VPC has no endpoint: the public answer, from upstream.
check_resolves other 10.1.0.2 web.example.com $PUBLIC

# ------------------------------------------------------------ the name fails
# A download by name, under way when the name leaves "verified": the
# client reads the first 64 KiB of a 16 MiB file, waits for $TEST_DIR/go,
# then reads the rest (its small receive buffer and the server's send
# buffer hold far less than the file, so most of it crosses the endpoint
# after "go").
head -c 16777216 /dev/urandom >"$TEST_DIR/www/big"
ip netns exec "$(plink-lab netns --dir "$LAB" client)" /usr/bin/python3 -c '
import os, socket, sys, time
out, started, go = sys.argv[1:4]
s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 16384)
s.settimeout(30)
s.connect(("web.example.com", 80))
s.sendall(b"GET /big HTTP/1.0\r\nHost: web.example.com\r\n\r\n")
data = b""
while len(data) < 65536:
    chunk = s.recv(65536)
    if not chunk:
        sys.exit("closed early")
    data += chunk
open(started, "w").close()
deadline = time.time() + 60
while not os.path.exists(go):
    if time.time() > deadline:
        sys.exit("no go")
    time.sleep(0.1)
while True:
    chunk = s.recv(65536)
    if not chunk:
        break
    data += chunk
open(out, "wb").write(data.split(b"\r\n\r\n", 1)[1])
' "$TEST_DIR/big.out" "$TEST_DIR/started" "$TEST_DIR/go" &
client_pid=$!
on_exit "kill $client_pid"
wait_until "[ -e $TEST_DIR/started ]"

check plink-lab dns-record --dir "$LAB" del "$vname.web.example.com" TXT
check aws_as provider ec2 start-vpc-endpoint-service-private-dns-verification \
    --service-id "$SVC"
wait_until '[ "$(field State)" = failed ]'
# New lookups: the public answer.
check_resolves client 10.0.0.2 web.example.com $PUBLIC
# The download goes on, to its end.
pid_running $client_pid || fail "the download ended before the name failed"
touch "$TEST_DIR/go"
wait $client_pid || fail "the download failed"
cmp -s "$TEST_DIR/www/big" "$TEST_DIR/big.out" || fail "the download is incomplete"
# The endpoint's own names stay.
check_resolves client 10.0.0.2 "$(ec2 consumer describe-vpc-endpoints \
    --vpc-endpoint-ids "$EPT" --query 'VpcEndpoints[0].DnsEntries[0].DnsName')" "$EPT_IP"

check_no_warnings "$LAB/hv1/plink-controller.log" \
    'br-int.mgmt: connection failed \(Connection refused\)'
check_no_warnings "$LAB/central/plinkd.log"

# "down" stops the public DNS servers by the PIDs recorded last.
cp "$LAB/pids" "$TEST_DIR/pids"
api_lab_down
while read -r name pid; do
    pid_running "$pid" && fail "$name (pid $pid) still runs after down"
done <"$TEST_DIR/pids"
exit 0
