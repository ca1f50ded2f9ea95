#!/bin/bash
# tests/system/aws-service.sh: the lab's S3-like and DynamoDB-like services
# (utilities/plink-aws-service), as "plink-lab up --chassis 1" starts them:
# "service-ip" prints the address that plinkd seeded in the database; each
# service runs in its namespace on hv1's br-int; from inside the S3
# namespace, curl gets generated content, stores and reads back an object
# and lists the bucket, anonymously and signed (SigV4) as the consumer,
# while a wrong secret or an unknown key is refused with S3's errors and
# the log names the principal and the peer address; the real AWS CLI talks
# to both services (path-style S3, DynamoDB JSON); a service whose plinkd
# does not answer answers 503; "down" leaves no process or namespace.
# Requests from a service's own namespace come through no endpoint: plinkd
# answers InvalidVpcEndpointId.NotFound and the service serves them, until
# the service's address is made an interface's behind a gateway endpoint:
# then the endpoint's policy decides (Allow, ImplicitDeny, ExplicitDeny),
# and a denied request gets S3's 403 AccessDenied or DynamoDB's
# AccessDeniedException.
. "$(dirname "$0")/../lib.sh"
test_init aws-service

unset AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY AWS_SESSION_TOKEN AWS_PROFILE


# lab SUBCOMMAND ARGS...: plink-lab on this test's lab.
lab() {
    local sub=$1
    shift
    plink-lab "$sub" --dir "$lab" "$@"
}

# in_svc NAME CMD...: CMD inside the namespace of service NAME.
in_svc() {
    local name=$1
    shift
    lab exec "svc-$name" -- "$@"
}

# profile_value PROFILE KEY: KEY of PROFILE in the lab's credentials.
profile_value() {
    awk -v p="[$1]" -v k="$2" '$0 == p { f = 1; next } /^\[/ { f = 0 }
                                f && $1 == k { print $3; exit }' "$lab/credentials"
}

# db_backend_ip NAME: backend:ip of service NAME, read from the database.
db_backend_ip() {
    ovsdb-client -f json query "unix:$lab/central/pl.sock" \
        "[\"PrivateLink\",{\"op\":\"select\",\"table\":\"Endpoint_Service\",
          \"where\":[[\"service_name\",\"==\",\"com.amazonaws.us-east-1.$1\"]],
          \"columns\":[\"backend\"]}]" \
        | /usr/bin/python3 -c 'import json, sys
print(dict(json.load(sys.stdin)[0]["rows"][0]["backend"][1])["ip"])'
}

# log_has NAME REGEX: the request log of service NAME has a matching line.
log_has() {
    grep -Eq -- "$2" "$lab/svc-$1/$1.log"
}

lab=$TEST_DIR/lab
port=$(free_port)
on_exit "plink-lab down --dir $lab"
check plink-lab up --dir "$lab" --chassis 1 --api-port "$port"
cat "$TEST_DIR/stdout"
prefix=$(lab netns x)
prefix=${prefix%-x}

# service-ip prints the database's addresses; bad names are usage errors.
s3=$(db_backend_ip s3)
ddb=$(db_backend_ip dynamodb)
[ -n "$s3" ] && [ -n "$ddb" ] && [ "$s3" != "$ddb" ] || fail "backend:ip: '$s3' '$ddb'"
check_output "$s3" lab service-ip s3
check_output "$ddb" lab service-ip dynamodb
for args in "" "ec2" "s3 dynamodb"; do
    lab service-ip $args >"$TEST_DIR/stdout" 2>"$TEST_DIR/stderr"
    rc=$?
    [ $rc = 2 ] || fail "service-ip $args: exit $rc, expected 2"
    [ "$(wc -l <"$TEST_DIR/stderr")" = 1 ] || fail "service-ip $args: not one line on stderr"
done
check_grep 'plink-lab service-ip' plink-lab service-ip --help
check_grep '^SYNOPSIS' plink-aws-service --help
check_grep 'object BUCKET/KEY' plink-aws-service --help

# Both services run, each in its namespace, plugged into hv1's br-int.
cp "$lab/pids" "$TEST_DIR/pids"
for name in s3 dynamodb; do
    pid=$(awk -v n="svc-$name" '$1 == n { print $2 }' "$lab/pids")
    pid_running "$pid" || fail "service $name (pid '$pid') is not running"
    check_grep "^  $name +[0-9.]+ +pid $pid, netns $prefix-svc-$name\$" lab status
    check_output "$name" lab exec hv1 -- ovs-vsctl get interface "svc-$name" \
        external_ids:plink-aws-service
    mac=$(in_svc "$name" cat /sys/class/net/eth0/address)
    check_output "\"$mac\"" lab exec hv1 -- ovs-vsctl get interface "svc-$name" \
        external_ids:attached-mac
done
check_grep "LISTEN .*$s3:80 " in_svc s3 ss -Hltn
check_grep "inet $s3/32" in_svc s3 ip -4 addr show dev eth0

# Anonymous requests from the service's own namespace: no endpoint, served.
url=http://$s3
check_output "object bucket-a/hello.txt" in_svc s3 curl -sf -m 10 "$url/bucket-a/hello.txt"
log_has s3 "s3 peer=$s3 principal=anonymous action=s3:GetObject resource=arn:aws:s3:::bucket-a/hello.txt decision=NoEndpoint status=200\$" \
    || fail "no log line for the anonymous GET: $(tail -3 "$lab/svc-s3/s3.log")"
check in_svc s3 curl -sf -m 10 -X PUT --data-binary 'stored body' "$url/bucket-a/dir/one.txt"
check_output "stored body" in_svc s3 curl -sf -m 10 "$url/bucket-a/dir/one.txt"
check_grep '<ListBucketResult .*<Key>dir/one.txt</Key>.*<Size>11</Size>' \
    in_svc s3 curl -sf -m 10 "$url/bucket-a"
log_has s3 "action=s3:ListBucket resource=arn:aws:s3:::bucket-a decision=NoEndpoint status=200\$" \
    || fail "no log line for ListBucket"

# Signed as the consumer (curl's SigV4): runs as its root principal.
key=$(profile_value consumer aws_access_key_id)
secret=$(profile_value consumer aws_secret_access_key)
[ -n "$key" ] && [ -n "$secret" ] || fail "no consumer key in $lab/credentials"
sigv4=(--aws-sigv4 aws:amz:us-east-1:s3)
check in_svc s3 curl -sf -m 10 "${sigv4[@]}" --user "$key:$secret" -X PUT \
    --data-binary 'signed body' "$url/bucket-b/signed.txt"
check_output "signed body" in_svc s3 curl -sf -m 10 "${sigv4[@]}" --user "$key:$secret" \
    "$url/bucket-b/signed.txt"
log_has s3 "s3 peer=$s3 principal=arn:aws:iam::222222222222:root action=s3:PutObject resource=arn:aws:s3:::bucket-b/signed.txt decision=NoEndpoint status=200\$" \
    || fail "no log line for the signed PUT: $(tail -3 "$lab/svc-s3/s3.log")"

# A wrong secret, an unknown key: S3's errors, nothing stored.
out=$(in_svc s3 curl -s -m 10 -w '\n%{http_code}' "${sigv4[@]}" --user "$key:x$secret" \
      -X PUT --data-binary 'forged' "$url/bucket-b/signed.txt")
[ "$(tail -1 <<<"$out")" = 403 ] || fail "wrong secret: $out"
grep -q '<Code>SignatureDoesNotMatch</Code>' <<<"$out" || fail "wrong secret: $out"
log_has s3 "principal=- action=- resource=- decision=SignatureDoesNotMatch status=403\$" \
    || fail "no log line for the bad signature"
check_output "signed body" in_svc s3 curl -sf -m 10 "$url/bucket-b/signed.txt"
out=$(in_svc s3 curl -s -m 10 -w '\n%{http_code}' "${sigv4[@]}" \
      --user "AKIAAAAAAAAAAAAAAAAA:$secret" "$url/bucket-b/signed.txt")
[ "$(tail -1 <<<"$out")" = 403 ] || fail "unknown key: $out"
grep -q '<Code>InvalidAccessKeyId</Code>' <<<"$out" || fail "unknown key: $out"

# The AWS CLI, path-style, in the S3 namespace; then DynamoDB.
# shellcheck disable=SC1091
source "$lab/env"
printf '[profile consumer]\nregion = us-east-1\ns3 =\n    addressing_style = path\n' \
    >"$TEST_DIR/aws-config"
aws_in() {
    local name=$1
    shift
    in_svc "$name" env AWS_CONFIG_FILE="$TEST_DIR/aws-config" /usr/bin/aws \
        --profile consumer --cli-read-timeout 20 --output text "$@"
}
check_output "stored body" aws_in s3 --endpoint-url "$url" s3 cp s3://bucket-a/dir/one.txt -
check_output "dir/one.txt" aws_in s3 --endpoint-url "$url" s3api list-objects-v2 \
    --bucket bucket-a --query 'Contents[].Key'
durl=http://$ddb
check aws_in dynamodb --endpoint-url "$durl" dynamodb put-item --table-name Music \
    --item '{"Artist":{"S":"Acme"},"Song":{"S":"Hello"}}'
check_output "Hello" aws_in dynamodb --endpoint-url "$durl" dynamodb get-item \
    --table-name Music --key '{"Artist":{"S":"Acme"}}' --query Item.Song.S
check_output "Music" aws_in dynamodb --endpoint-url "$durl" dynamodb list-tables \
    --query 'TableNames[0]'
log_has dynamodb "dynamodb peer=$ddb principal=arn:aws:iam::222222222222:root action=dynamodb:GetItem resource=arn:aws:dynamodb:us-east-1:222222222222:table/Music decision=NoEndpoint status=200\$" \
    || fail "no log line for GetItem: $(tail -3 "$lab/svc-dynamodb/dynamodb.log")"
in_svc dynamodb env AWS_ACCESS_KEY_ID="$key" AWS_SECRET_ACCESS_KEY="x$secret" \
    /usr/bin/aws --endpoint-url "$durl" --region us-east-1 dynamodb list-tables \
    >"$TEST_DIR/stdout" 2>"$TEST_DIR/stderr" && fail "a wrong secret was accepted"
grep -q '(InvalidSignatureException)' "$TEST_DIR/stderr" || fail "wrong secret: $(cat "$TEST_DIR/stderr")"

# Endpoint policies, as plinkd decides them from the source address: a
# request from a service's own namespace has the service's address as its
# source; once that is the address of a network interface in a subnet
# whose route table has a gateway endpoint, plinkd applies the endpoint's
# policy.  (No packet crosses the endpoint here: this checks the service's
# side of the rpc; tests/system/gateway-traffic.sh sends real traffic.)
#
# policy_vpc SERVICE-IP SERVICE POLICY: a VPC SERVICE-IP/16 with an
# interface at SERVICE-IP and a gateway endpoint to SERVICE with POLICY.
policy_vpc() {
    local ip=$1 service=$2 policy=$3 vpc sub rtb
    vpc=$(pl create-vpc --cidr-block "${ip%.*.*}.0.0/16" | jget Vpc.VpcId)
    sub=$(pl create-subnet --vpc-id "$vpc" --cidr-block "${ip%.*}.0/24" | jget Subnet.SubnetId)
    rtb=$(pl create-route-table --vpc-id "$vpc" | jget RouteTable.RouteTableId)
    check pl associate-route-table --route-table-id "$rtb" --subnet-id "$sub"
    check pl create-network-interface --subnet-id "$sub" --private-ip-address "$ip"
    check pl create-vpc-endpoint --vpc-id "$vpc" --service-name "com.amazonaws.us-east-1.$service" \
        --route-table-ids "$rtb" --policy-document "$policy"
}
pl() {
    plctl --endpoint-url "http://127.0.0.1:$port" --profile consumer "$@"
}
jget() {
    /usr/bin/python3 -c 'import functools, json, sys
print(functools.reduce(lambda d, k: d[k], sys.argv[1].split("."), json.load(sys.stdin)))' "$1"
}
# status_of NAME CURL-ARGS...: the HTTP status of a curl in service
# NAME's namespace.
status_of() {
    local name=$1
    shift
    in_svc "$name" curl -s -m 10 -o /dev/null -w '%{http_code}' "$@"
}
policy_vpc "$s3" s3 '{"Statement":[
  {"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::bucket-a/*"},
  {"Effect":"Deny","Principal":"*","Action":"s3:PutObject","Resource":"*"}]}'
check_output "stored body" in_svc s3 curl -sf -m 10 "$url/bucket-a/dir/one.txt"
check_output 403 status_of s3 "$url/bucket-b/signed.txt"
check_output 403 status_of s3 -X PUT --data-binary 'denied' "$url/bucket-a/dir/one.txt"
check_grep '^<Error><Code>AccessDenied</Code><Message>Access Denied</Message><RequestId>[0-9A-F]+</RequestId>' \
    in_svc s3 curl -s -m 10 "$url/bucket-a"
check_output "stored body" in_svc s3 curl -sf -m 10 "$url/bucket-a/dir/one.txt"
for line in "action=s3:GetObject resource=arn:aws:s3:::bucket-a/dir/one.txt decision=Allow status=200" \
            "action=s3:GetObject resource=arn:aws:s3:::bucket-b/signed.txt decision=ImplicitDeny status=403" \
            "action=s3:PutObject resource=arn:aws:s3:::bucket-a/dir/one.txt decision=ExplicitDeny status=403" \
            "action=s3:ListBucket resource=arn:aws:s3:::bucket-a decision=ImplicitDeny status=403"; do
    log_has s3 "s3 peer=$s3 principal=anonymous $line\$" || fail "no log line '$line'"
done
policy_vpc "$ddb" dynamodb '{"Statement":[{"Effect":"Allow","Principal":"*",
  "Action":["dynamodb:GetItem","dynamodb:Query"],"Resource":"arn:aws:dynamodb:us-east-1:222222222222:table/Music"}]}'
check_output "Hello" aws_in dynamodb --endpoint-url "$durl" dynamodb get-item \
    --table-name Music --key '{"Artist":{"S":"Acme"}}' --query Item.Song.S
aws_in dynamodb --endpoint-url "$durl" dynamodb put-item --table-name Music \
    --item '{"Artist":{"S":"Evil"}}' >"$TEST_DIR/stdout" 2>"$TEST_DIR/stderr" \
    && fail "PutItem was allowed"
grep -q '(AccessDeniedException).*User: arn:aws:iam::222222222222:root is not authorized to perform: dynamodb:PutItem' \
    "$TEST_DIR/stderr" || fail "PutItem: $(cat "$TEST_DIR/stderr")"
check_output '{"__type": "com.amazon.coral.service#AccessDeniedException", "Message": "User: anonymous is not authorized to perform: dynamodb:Scan on resource: arn:aws:dynamodb:us-east-1::table/Music because no VPC endpoint policy allows the dynamodb:Scan action"}
400' in_svc dynamodb curl -s -m 10 -w '\n%{http_code}' -H 'X-Amz-Target: DynamoDB_20120810.Scan' \
    -H 'Content-Type: application/x-amz-json-1.0' --data '{"TableName":"Music"}' "$durl/"

# A service whose plinkd does not answer: 503, and the log says so.
dead=$(free_port)
check plink-aws-service --service s3 --listen "$s3:8080" --netns "$prefix-svc-s3" \
    --api "http://127.0.0.1:$dead" --db "unix:$lab/central/pl.sock" \
    --credentials "$lab/credentials" --profile aws-services \
    --data-dir "$TEST_DIR/s3-503" --log-file "$TEST_DIR/s3-503.log" \
    --pidfile "$TEST_DIR/s3-503.pid" --detach
on_exit "kill_pidfile $TEST_DIR/s3-503.pid"
out=$(in_svc s3 curl -s -m 10 -w '\n%{http_code}' "http://$s3:8080/bucket-a/hello.txt")
[ "$(tail -1 <<<"$out")" = 503 ] || fail "no plinkd: $out"
grep -q '<Code>ServiceUnavailable</Code>' <<<"$out" || fail "no plinkd: $out"
grep -q 'decision=Unavailable status=503$' "$TEST_DIR/s3-503.log" || fail "no log line for the 503"
kill_pidfile "$TEST_DIR/s3-503.pid"

# Down: no process, no namespace left.
check plink-lab down --dir "$lab"
while read -r name pid; do
    pid_running "$pid" && fail "$name (pid $pid) still runs after down"
done <"$TEST_DIR/pids"
left=$(ip netns list | awk '{print $1}' | grep -E "^$prefix-" || true)
[ -z "$left" ] || fail "namespaces left after down: $left"
echo "aws-service: ok"
