# tests/system/api-harness.bash: a lab for API tests, sourced after
# tests/lib.sh.  (The runner runs only *.sh files, so this is not a test.)
#
#     source tests/lib.sh; source tests/system/api-harness.bash
#     test_init vpc-lifecycle
#     api_lab_up                 # plinkd + database, no chassis by default
#     check aws_as provider ec2 create-vpc --cidr-block 10.0.0.0/16
#     vpc=$(aws_as provider ec2 create-vpc --cidr-block 10.1.0.0/16 \
#               --query Vpc.VpcId --output text)
#     expect_error InvalidVpcID.NotFound aws_as consumer ec2 delete-vpc --vpc-id $vpc
#     check_unchanged expect_error ... # the database is the same afterwards
#
# Profiles: provider (111111111111), consumer (222222222222), third
# (333333333333).


# api_lab_up [CHASSIS]: starts a lab in $TEST_DIR/lab with CHASSIS chassis
# (default 0: the central database and plinkd only) and a third account.
#
# With API_VALGRIND=1, plinkd runs under valgrind's memcheck, and
# api_lab_check_valgrind (after api_lab_down) fails the test on any
# memory error or definite leak.
api_lab_up() {
    LAB=$TEST_DIR/lab
    API_PORT=$(free_port)
    API_URL=http://127.0.0.1:$API_PORT
    if [ -n "${API_VALGRIND:-}" ]; then
        printf '%s\n' '#!/bin/sh' \
            "exec valgrind --log-file=$TEST_DIR/valgrind.%p.log --leak-check=full --errors-for-leak-kinds=definite $top_builddir/ovs-plugin/plinkd \"\$@\"" \
            >"$TEST_DIR/plinkd-valgrind"
        chmod +x "$TEST_DIR/plinkd-valgrind"
        export PLINKD=$TEST_DIR/plinkd-valgrind
    fi
    on_exit "plink-lab down --dir $LAB"
    check plink-lab up --dir "$LAB" --chassis "${1:-0}" --api-port "$API_PORT" \
        --timeout 120
    check plink-lab account-add --dir "$LAB" 333333333333 third
    # shellcheck disable=SC1091
    source "$LAB/env"
    PL_DB=unix:$LAB/central/pl.sock
    export LAB API_URL PL_DB
}

# aws_as PROFILE ARGS...: the AWS CLI, as PROFILE, against the lab.
aws_as() {
    local profile=$1
    shift
    /usr/bin/aws --endpoint-url "$API_URL" --profile "$profile" \
        --region us-east-1 --cli-read-timeout 30 "$@"
}

# aws_text PROFILE ARGS...: the AWS CLI with --output text, with the tabs
# between values turned into single spaces.
aws_text() {
    local out
    out=$(aws_as "$@" --output text) || return 1
    printf '%s\n' "${out//$'\t'/ }"
}

# aws_words PROFILE ARGS...: the AWS CLI's text output as one line of
# words (for queries that print one line per element).
aws_words() {
    local out
    out=$(aws_as "$@" --output text) || return 1
    echo $out
}

# plctl_as PROFILE ARGS...: plctl, as PROFILE, against the lab.
plctl_as() {
    local profile=$1
    shift
    plctl --endpoint-url "$API_URL" --profile "$profile" "$@"
}

# expect_error CODE CMD...: CMD must fail and name AWS error CODE on
# stderr ("An error occurred (CODE) ...").
expect_error() {
    local code=$1 rc
    shift
    "$@" >"$TEST_DIR/stdout" 2>"$TEST_DIR/stderr"
    rc=$?
    if [ $rc = 0 ]; then
        cat "$TEST_DIR/stdout" >&2
        fail "expected error $code, but it succeeded: $*"
    fi
    if ! grep -qF "($code)" "$TEST_DIR/stderr"; then
        sed 's/^/  stderr: /' "$TEST_DIR/stderr" >&2
        fail "expected error $code from: $*"
    fi
}

# db_dump: the PrivateLink database's contents, in a stable form
# (ovsdb-client prints one JSON document per table, one per line),
# without the columns that plinkd's and the controllers' background work
# changes by itself (delivery attempts of notifications, verification
# times, realized cfgs).
db_dump() {
    ovsdb-client dump --format=json "$PL_DB" PrivateLink \
        | /usr/bin/python3 -c '
import json, sys
volatile = {"Notification_Outbox": {"attempts", "next_attempt_at",
                                    "last_error"},
            "Endpoint_Service": {"private_dns_checked_at"},
            "Chassis": {"nb_cfg", "nb_cfg_timestamp"},
            "PrivateLink_Global": {"hv_cfg", "hv_cfg_timestamp"}}
tables = [json.loads(line) for line in sys.stdin if line.strip()]
assert tables, "empty dump"
for t in sorted(tables, key=lambda t: t["caption"]):
    name = t["caption"].split()[0]
    skip = {i for i, h in enumerate(t["headings"])
            if h in volatile.get(name, ())}
    rows = [[v for i, v in enumerate(r) if i not in skip] for r in t["data"]]
    print(t["caption"], sorted(json.dumps(r, sort_keys=True) for r in rows))'
}

# check_unchanged CMD...: runs CMD (which must succeed, e.g. expect_error)
# and fails if the database differs afterwards.
check_unchanged() {
    local before after
    before=$(db_dump) || fail "cannot dump the database"
    "$@" || fail "command failed: $*"
    after=$(db_dump) || fail "cannot dump the database"
    if [ "$before" != "$after" ]; then
        diff <(echo "$before" | tr ']' '\n') <(echo "$after" | tr ']' '\n') >&2
        fail "the database changed: $*"
    fi
}

# db_count TABLE [CONDITION...]: the number of rows of TABLE matching the
# ovsdb-client 'where' conditions (JSON), e.g. '["state","==","available"]'.
db_count() {
    local table=$1 where
    shift
    where=$(IFS=,; echo "$*")
    ovsdb-client transact "$PL_DB" \
        "[\"PrivateLink\",{\"op\":\"select\",\"table\":\"$table\",\"where\":[$where],\"columns\":[\"_uuid\"]}]" \
        | /usr/bin/python3 -c 'import json,sys; print(len(json.load(sys.stdin)[0]["rows"]))'
}

# db_select TABLE SORT-COLUMN COLUMN...: prints, one row a line sorted by
# SORT-COLUMN, the values of COLUMNs of every row of TABLE.
db_select() {
    local table=$1 sort=$2 cols
    shift 2
    cols=$(printf '"%s",' "$sort" "$@")
    ovsdb-client transact "$PL_DB" \
        "[\"PrivateLink\",{\"op\":\"select\",\"table\":\"$table\",\"where\":[],\"columns\":[${cols%,}]}]" \
        | /usr/bin/python3 -c '
import json, sys
sort, cols = sys.argv[1], sys.argv[2:]
rows = json.load(sys.stdin)[0]["rows"]
for r in sorted(rows, key=lambda r: r[sort]):
    print(" ".join(str(r[c]) for c in cols))' "$sort" "$@"
}

# set_global_option KEY VALUE: sets PrivateLink_Global:options:KEY (the
# quotas, the MTU, ...).
set_global_option() {
    ovsdb-client transact "$PL_DB" "[\"PrivateLink\",
        {\"op\":\"mutate\",\"table\":\"PrivateLink_Global\",\"where\":[],
         \"mutations\":[[\"options\",\"delete\",[\"set\",[\"$1\"]]]]},
        {\"op\":\"mutate\",\"table\":\"PrivateLink_Global\",\"where\":[],
         \"mutations\":[[\"options\",\"insert\",[\"map\",[[\"$1\",\"$2\"]]]]]}]" >/dev/null
}

# api_lab_down: stops the lab (before the end of the test, to check what
# the daemons left behind).
api_lab_down() {
    local pid
    pid=$(cat "$LAB/central/plinkd.pid" 2>/dev/null)
    if [ -n "$pid" ]; then
        # Let plinkd exit by itself (under valgrind that takes a while:
        # the summary is written at exit).
        ovs-appctl -t "$LAB/central/plinkd.ctl" exit >/dev/null 2>&1
        wait_until "! pid_running $pid" 30
    fi
    check plink-lab down --dir "$LAB"
}

# api_lab_check_valgrind: after api_lab_down, fails if valgrind found a
# memory error or a definite leak in plinkd.
api_lab_check_valgrind() {
    local log bad=
    for log in "$TEST_DIR"/valgrind.*.log; do
        [ -f "$log" ] || fail "no valgrind log"
        if ! grep -q 'ERROR SUMMARY: 0 errors' "$log"; then
            sed 's/^/  valgrind: /' "$log" >&2
            bad=1
        fi
    done
    [ -z "$bad" ] || fail "valgrind found errors in plinkd"
}

# Helpers of the VPC API tests (api-vpc*.sh).

# ec2 PROFILE ARGS...: "aws ec2 ARGS" as PROFILE, printing the --query'd
# text.
ec2() {
    local profile=$1
    shift
    aws_as "$profile" ec2 "$@" --output text
}

# err CODE PROFILE ARGS...: "plctl ARGS" as PROFILE fails with AWS error
# CODE and changes nothing.  (plctl runs the same operations as the AWS
# CLI, 80 times faster; the AWS CLI checks cover the EC2 Query errors.)
err() {
    local code=$1 profile=$2
    shift 2
    check_unchanged expect_error "$code" plctl_as "$profile" "$@"
}

# aerr CODE PROFILE ARGS...: "aws ec2 ARGS" fails with CODE, changing
# nothing.
aerr() {
    local code=$1 profile=$2
    shift 2
    check_unchanged expect_error "$code" aws_as "$profile" ec2 "$@"
}

# pl PROFILE ARGS... EXPR: "plctl ARGS" as PROFILE; prints the Python
# expression EXPR on its JSON output 'd'.
pl() {
    local profile=$1 expr=${*: -1}
    set -- "${@:2:$#-2}"
    plctl_as "$profile" "$@" >"$TEST_DIR/pl.json" || fail "plctl $*"
    jget "$expr" <"$TEST_DIR/pl.json"
}

# jget EXPR: the Python expression EXPR on the JSON 'd' read from stdin.
jget() {
    /usr/bin/python3 -c '
import json, sys
d = json.load(sys.stdin)
v = eval(sys.argv[1])
print(v if isinstance(v, str) else json.dumps(v, sort_keys=True))' "$1"
}

# same_json PROFILE ARGS...: "aws ec2 ARGS" and "plctl ARGS" print the
# same JSON document.  (The AWS CLI here has an older model than the one

# plinkd speaks and leaves out members it does not know, such as the empty
# AssociatedSubnets list of a network interface: those are not compared.)
same_json() {
    local profile=$1
    shift
    aws_as "$profile" ec2 "$@" >"$TEST_DIR/aws.json" || fail "aws ec2 $*"
    plctl_as "$profile" "$@" >"$TEST_DIR/plctl.json" || fail "plctl $*"
    /usr/bin/python3 - "$TEST_DIR/aws.json" "$TEST_DIR/plctl.json" <<'EOF' \
        || fail "plctl and the AWS CLI differ: $*"
import json, sys
a, b = (json.load(open(f)) for f in sys.argv[1:])
def known(x, y):
    if isinstance(x, dict) and isinstance(y, dict):
        return {k: known(x[k], y[k]) if k in x else y[k]
                for k in y if k in x or y[k] != []}
    if isinstance(x, list) and isinstance(y, list) and len(x) == len(y):
        return [known(u, v) for u, v in zip(x, y)]
    return y
b = known(a, b)
if a != b:
    print(json.dumps(a, sort_keys=True, indent=1), file=sys.stderr)
    print(json.dumps(b, sort_keys=True, indent=1), file=sys.stderr)
    sys.exit(1)
EOF
}

# Helpers of the tests with instances (a lab with chassis).

# lab_on NAME CMD...: CMD inside instance NAME of the lab.
lab_on() {
    local name=$1
    shift
    ip netns exec "$(plink-lab netns --dir "$LAB" "$name")" "$@"
}

# lab_instance PROFILE SUBNET NAME [GROUP...]: a new network interface in
# SUBNET, attached to a new instance NAME on hv1; prints its address.
lab_instance() {
    local profile=$1 subnet=$2 name=$3 eni ip
    shift 3
    read -r eni ip <<<"$(aws_text "$profile" ec2 create-network-interface \
        --subnet-id "$subnet" ${1:+--groups "$@"} \
        --query 'NetworkInterface.[NetworkInterfaceId,PrivateIpAddress]')" ||
        return 1
    plink-lab attach --dir "$LAB" "$eni" "$name" --chassis 1 >/dev/null ||
        return 1
    echo "$ip"
}

# lab_web_server NAME IP: python's http.server on IP:80 in instance NAME,
# serving $TEST_DIR/www (an index.html that says "hello from NAME"),
# stopped by its PID when the test ends.
lab_web_server() {
    local pid
    mkdir -p "$TEST_DIR/www"
    echo "hello from $1" >"$TEST_DIR/www/index.html"
    lab_on "$1" /usr/bin/python3 -m http.server 80 --bind "$2" \
        --directory "$TEST_DIR/www" >"$TEST_DIR/$1.log" 2>&1 &
    pid=$!
    on_exit "kill $pid"
    wait_until "lab_on $1 ss -Hltn 'sport = :80' | grep -q ':80'"
}

# lab_provider_service [PRIVATE-DNS-NAME]: a provider's interface endpoint
# service, open to the consumer account without acceptance: VPC
# 10.0.0.0/16, subnet 10.0.1.0/24 in us-east-1a, instance "web" running
# lab_web_server behind a network load balancer (TCP 80), and the service,
# with PRIVATE-DNS-NAME if given.  Sets SVC (its id) and SVC_NAME.
lab_provider_service() {
    local vpc sub sg ip nlb tg
    vpc=$(ec2 provider create-vpc --cidr-block 10.0.0.0/16 --query Vpc.VpcId) &&
    sub=$(ec2 provider create-subnet --vpc-id "$vpc" --cidr-block 10.0.1.0/24 \
              --availability-zone us-east-1a --query Subnet.SubnetId) &&
    sg=$(ec2 provider create-security-group --vpc-id "$vpc" --group-name web \
             --description web --query GroupId) ||
        fail "the provider's VPC"
    check ec2 provider authorize-security-group-ingress --group-id "$sg" \
        --protocol tcp --port 80 --cidr 10.0.0.0/16
    ip=$(lab_instance provider "$sub" web "$sg") || fail "instance web"
    lab_web_server web "$ip"
    nlb=$(plctl_as provider create-load-balancer --name web --type network \
              --subnets "$sub" | jget 'd["LoadBalancers"][0]["LoadBalancerArn"]') &&
    tg=$(plctl_as provider create-target-group --name web --protocol TCP \
             --port 80 --vpc-id "$vpc" --target-type ip |
         jget 'd["TargetGroups"][0]["TargetGroupArn"]') ||
        fail "the load balancer"
    check plctl_as provider register-targets --target-group-arn "$tg" \
        --targets "Id=$ip"
    check plctl_as provider create-listener --load-balancer-arn "$nlb" \
        --protocol TCP --port 80 --default-actions "Type=forward,TargetGroupArn=$tg"
    SVC=$(ec2 provider create-vpc-endpoint-service-configuration \
              --network-load-balancer-arns "$nlb" --no-acceptance-required \
              ${1:+--private-dns-name "$1"} \
              --query ServiceConfiguration.ServiceId) || fail "the service"
    SVC_NAME=$(ec2 provider describe-vpc-endpoint-service-configurations \
                   --service-ids "$SVC" --query 'ServiceConfigurations[0].ServiceName')
    check ec2 provider modify-vpc-endpoint-service-permissions \
        --service-id "$SVC" --add-allowed-principals arn:aws:iam::222222222222:root
}

# lab_consumer_vpc: the consumer's VPC 10.0.0.0/16 (both DNS attributes
# on), subnet 10.0.1.0/24 in us-east-1a, instance "client".  Sets CVPC,
# CSUB and CLIENT_IP.
lab_consumer_vpc() {
    CVPC=$(ec2 consumer create-vpc --cidr-block 10.0.0.0/16 --query Vpc.VpcId) &&
    CSUB=$(ec2 consumer create-subnet --vpc-id "$CVPC" --cidr-block 10.0.1.0/24 \
               --availability-zone us-east-1a --query Subnet.SubnetId) ||
        fail "the consumer's VPC"
    check ec2 consumer modify-vpc-attribute --vpc-id "$CVPC" --enable-dns-hostnames
    CLIENT_IP=$(lab_instance consumer "$CSUB" client) || fail "instance client"
}

# lab_interface_endpoint [ARG...]: the consumer's interface endpoint to
# SVC_NAME in CVPC's subnet CSUB (ARGs: more options of
# create-vpc-endpoint, e.g. --private-dns-enabled), once available.  Sets
# EPT (its id) and EPT_IP (its address).
lab_interface_endpoint() {
    local eni
    EPT=$(ec2 consumer create-vpc-endpoint --vpc-endpoint-type Interface \
              --vpc-id "$CVPC" --service-name "$SVC_NAME" --subnet-ids "$CSUB" \
              "$@" --query VpcEndpoint.VpcEndpointId) ||
        fail "create-vpc-endpoint"
    wait_until "[ \"\$(ec2 consumer describe-vpc-endpoints --vpc-endpoint-ids $EPT \
                 --query 'VpcEndpoints[0].State')\" = available ]" 20
    eni=$(ec2 consumer describe-vpc-endpoints --vpc-endpoint-ids "$EPT" \
              --query 'VpcEndpoints[0].NetworkInterfaceIds[0]') &&
    EPT_IP=$(ec2 consumer describe-network-interfaces --network-interface-ids "$eni" \
                 --query 'NetworkInterfaces[0].PrivateIpAddress') ||
        fail "the endpoint's address"
}

# lab_resolve INSTANCE RESOLVER NAME [TYPE]: what dig in INSTANCE gets for
# NAME (record TYPE, default A) from RESOLVER, one record a line, or fails.
lab_resolve() {
    lab_on "$1" dig +short +time=2 +tries=1 "@$2" "$3" "${4:-A}"
}

# dns_server_start PORT TXT-RECORD...: (re)starts a dnsmasq on
# 127.0.0.1:PORT serving the TXT records ("name,value") and nothing else
# (the provider's public DNS, for ownership verification), stopped by its
# PID when the test ends.
dns_server_start() {
    local port=$1 args=() r
    shift
    kill_pidfile "$TEST_DIR/dnsmasq.pid"
    for r in "$@"; do
        args+=(--txt-record="$r")
    done
    dnsmasq --keep-in-foreground --no-resolv --no-hosts --conf-file=/dev/null \
        --listen-address=127.0.0.1 --bind-interfaces --port="$port" \
        --pid-file="$TEST_DIR/dnsmasq.pid.unused" --log-facility=- \
        "${args[@]}" >>"$TEST_DIR/dnsmasq.log" 2>&1 &
    echo $! >"$TEST_DIR/dnsmasq.pid"
    on_exit "kill_pidfile $TEST_DIR/dnsmasq.pid"
    wait_until "dig +short +time=1 +tries=1 -p $port @127.0.0.1 \
        probe.invalid TXT >/dev/null"
}
