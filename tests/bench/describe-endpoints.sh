#!/bin/bash
# tests/bench/describe-endpoints.sh [N]: DescribeVpcEndpoints requests per
# second through each API front (EC2 Query/XML and Twirp/protobuf), with N
# (default 1000) endpoints in the database, a page of 100 and the whole
# list, measured with wrk (2 threads, 32 connections, 5 s each) in one run.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top" || exit 1
source tests/lib.sh
source tests/system/api-harness.bash
test_init bench-describe
n=${1:-1000}
api_lab_up

# N interface endpoints of the consumer, inserted directly in batches of
# 100 (the API's write path is measured by other benchmarks; this one
# measures reads).
base=$(ovsdb-client transact "$PL_DB" '["PrivateLink",
  {"op":"insert","table":"Vpc","row":{"vpc_id":"vpc-00000000000000001",
   "owner_id":"222222222222","cidr_block":"10.0.0.0/16","state":"available",
   "instance_tenancy":"default","tunnel_key":4242,"enable_dns_support":true,
   "enable_dns_hostnames":true}},
  {"op":"insert","table":"Endpoint_Service","row":{
   "service_id":"vpce-svc-00000000000000001",
   "service_name":"com.amazonaws.vpce.us-east-1.bench",
   "owner_id":"111111111111","service_types":"Interface",
   "service_state":"Available","supported_ip_address_types":"ipv4"}}]')
/usr/bin/python3 - "$n" "$base" >"$TEST_DIR/txns" <<'PY'
import json, random, sys
n = int(sys.argv[1])
vpc, svc = [r["uuid"][1] for r in json.loads(sys.argv[2])]
for start in range(0, n, 100):
    ops = ["PrivateLink"]
    for i in range(start, min(n, start + 100)):
        eid = "vpce-%017x" % random.getrandbits(64)
        dns = ("%s-abcdefgh.vpce-svc-00000000000000001.us-east-1.vpce."
               "amazonaws.com" % eid)
        ops.append({"op": "insert", "table": "Vpc_Endpoint", "row": {
            "vpc_endpoint_id": eid, "vpc_endpoint_type": "Interface",
            "owner_id": "222222222222", "vpc": ["uuid", vpc],
            "service": ["uuid", svc],
            "service_name": "com.amazonaws.vpce.us-east-1.bench",
            "state": "available", "ip_address_type": "ipv4",
            "dns_record_ip_type": "ipv4", "dns_suffix": "abcdefgh",
            "connection_id": "vpce-con-%017x" % i,
            "dns_entries": ["map", [[dns, "Z7HUB22UULQXV"]]],
            "policy_document": '{"Statement":[{"Action":"*","Effect":'
                               '"Allow","Principal":"*","Resource":"*"}]}',
            "creation_timestamp": 1700000000000 + i,
            "tags": ["map", [["Name", "ep%d" % i]]]}})
    print(json.dumps(ops))
PY
while read -r txn; do
    check ovsdb-client transact "$PL_DB" "$txn"
done <"$TEST_DIR/txns"
check_output "$n" aws_as consumer ec2 describe-vpc-endpoints \
    --query 'length(VpcEndpoints)' --output text

key=$(sed -n '/\[consumer\]/,/^\[/s/aws_access_key_id = //p' "$LAB/credentials")
secret=$(sed -n '/\[consumer\]/,/^\[/s/aws_secret_access_key = //p' "$LAB/credentials")

# run_wrk NAME PATH CONTENT-TYPE BODY: prints requests per second.
run_wrk() {
    local name=$1 path=$2 ctype=$3 body=$4
    printf '%b' "$body" >"$TEST_DIR/$name.body"
    /usr/bin/python3 tests/bench/sign-request.py "$API_URL" "$path" "$ctype" \
        "$TEST_DIR/$name.body" "$key" "$secret" >"$TEST_DIR/$name.lua"
    wrk -t2 -c32 -d5s -s "$TEST_DIR/$name.lua" "$API_URL" >"$TEST_DIR/$name.out" 2>&1
    if grep -q 'Non-2xx' "$TEST_DIR/$name.out"; then
        cat "$TEST_DIR/$name.out" >&2
        fail "$name: errors"
    fi
    awk '/Requests\/sec/ {printf "%.0f", $2}' "$TEST_DIR/$name.out"
}

form=application/x-www-form-urlencoded
pb=application/protobuf
twirp=/twirp/privatelink.v1.PrivateLink/DescribeVpcEndpoints
ec2_page=$(run_wrk ec2-page / $form 'Action=DescribeVpcEndpoints&Version=2016-11-15&MaxResults=100')
pb_page=$(run_wrk pb-page $twirp $pb '\x20\x64')
ec2_all=$(run_wrk ec2-all / $form 'Action=DescribeVpcEndpoints&Version=2016-11-15')
pb_all=$(run_wrk pb-all $twirp $pb '')

printf '\nDescribeVpcEndpoints with %d endpoints (wrk -t2 -c32 -d5s)\n' "$n"
printf '%-28s %12s %12s %8s\n' request 'EC2 req/s' 'Twirp req/s' ratio
printf '%-28s %12s %12s %8.2f\n' "page of 100 (MaxResults)" "$ec2_page" "$pb_page" \
    "$(echo "$pb_page / $ec2_page" | bc -l)"
printf '%-28s %12s %12s %8.2f\n' "all $n" "$ec2_all" "$pb_all" \
    "$(echo "$pb_all / $ec2_all" | bc -l)"
