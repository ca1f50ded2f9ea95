#!/bin/bash
# api-elb: Elastic Load Balancing v2 through plctl (the protobuf front):
# Network and Gateway Load Balancers with their interfaces, target groups,
# targets and their health, listeners, attributes, tags, paging, every
# error code with the database unchanged, and isolation between accounts.
source tests/lib.sh
source tests/system/api-harness.bash
test_init api-elb
api_lab_up

# db_dump: the database's contents, in a stable form.  (ovsdb-client
# prints one JSON document per table and line, which the harness's
# version cannot read, so its check_unchanged would compare nothing.)
db_dump() {
    ovsdb-client dump --format=json "$PL_DB" PrivateLink \
        | /usr/bin/python3 -c '
import json, sys
for t in sorted((json.loads(l) for l in sys.stdin),
               key=lambda t: t["caption"]):
    print(t["caption"], sorted(json.dumps(r, sort_keys=True)
                               for r in t["data"]))'
    [ "${PIPESTATUS[0]}" = 0 ] || fail "cannot dump the database"
}

PROVIDER=111111111111
CONSUMER=222222222222
ARN_HEAD=arn:aws:elasticloadbalancing:us-east-1
ID_RE="[0-9a-f]{16}"

# jget EXPR: evaluates the Python expression EXPR on the JSON document 'd'
# read from stdin and prints the result (strings as they are, anything
# else as JSON).  EXPR may use 'f', the first item of the first list in
# 'd' (e.g. the LoadBalancers[0] of a DescribeLoadBalancers response),
# cat(X...), X... joined by spaces, and kv(LIST), "Key=Value..." of a list
# of Key-Value pairs.
jget() {
    /usr/bin/python3 -c '
import json, sys
d = json.load(sys.stdin)
lists = [v for v in d.values() if isinstance(v, list)] \
    if isinstance(d, dict) else []
f = lists[0][0] if lists and lists[0] else None
def cat(*xs):
    return " ".join(str(x) for x in xs)
def kv(l):
    return " ".join("%s=%s" % (a["Key"], a["Value"]) for a in l)
v = eval(sys.argv[1])
print(v if isinstance(v, str) or v is None
      else json.dumps(v, sort_keys=True))' "$1"
}

# elb PROFILE ARGS...: plctl as PROFILE, "plctl elbv2 ARGS" (like "aws
# elbv2"); its output is in $TEST_DIR/stdout.
elb() {
    local profile=$1
    shift
    check plctl_as "$profile" elbv2 "$@"
}

# out EXPR: jget EXPR on the output of the last 'elb' or 'check'.
out() {
    jget "$1" <"$TEST_DIR/stdout"
}

# check_out EXPECTED EXPR: the output of the last command, through jget
# EXPR, must be EXPECTED.
check_out() {
    check_output "$1" out "$2"
}

# hex N: N random lower-case hex digits.
hex() {
    /usr/bin/python3 -c "import secrets; print(secrets.token_hex(9)[:$1])"
}

# zone_number ZONE: 1 for us-east-1a, 2 for us-east-1b...
zone_number() {
    echo $(( $(printf %d "'${1: -1}") - 96 ))
}

# db_network ACCOUNT VPC_CIDR SUBNET_CIDR@ZONE...: inserts a VPC and its
# subnets directly in the database (while plinkd has no VPC operations);
# prints the VPC id and the subnet ids, one a line.
db_network() {
    local account=$1 cidr=$2 vpc ops sub zone
    shift 2
    vpc=vpc-$(hex 17)
    ops="{\"op\":\"insert\",\"table\":\"Vpc\",\"uuid-name\":\"v\",\"row\":{
        \"vpc_id\":\"$vpc\",\"owner_id\":\"$account\",\"cidr_block\":\"$cidr\",
        \"state\":\"available\",\"instance_tenancy\":\"default\",
        \"enable_dns_support\":true,\"tunnel_key\":$((RANDOM * 256 + 1))}}"
    echo "$vpc"
    for s in "$@"; do
        sub=subnet-$(hex 17)
        zone=${s#*@}
        ops="$ops,{\"op\":\"insert\",\"table\":\"Subnet\",\"row\":{
            \"subnet_id\":\"$sub\",\"vpc\":[\"named-uuid\",\"v\"],
            \"owner_id\":\"$account\",\"cidr_block\":\"${s%@*}\",
            \"availability_zone\":\"$zone\",
            \"availability_zone_id\":\"use1-az$(zone_number "$zone")\",
            \"state\":\"available\"}}"
        echo "$sub"
    done
    ovsdb-client transact "$PL_DB" "[\"PrivateLink\",$ops]" >/dev/null \
        || return 1
}

# network PROFILE ACCOUNT VPC_CIDR SUBNET_CIDR@ZONE...: creates a VPC and
# its subnets, through the API once plinkd has the VPC operations; prints
# the VPC id and the subnet ids, one a line.
network() {
    local profile=$1 account=$2 cidr=$3 vpc out s
    shift 3
    if out=$(plctl_as "$profile" create-vpc --cidr-block "$cidr" \
                 2>"$TEST_DIR/network.err"); then
        vpc=$(jget 'd["Vpc"]["VpcId"]' <<<"$out")
        echo "$vpc"
        for s in "$@"; do
            plctl_as "$profile" create-subnet --vpc-id "$vpc" \
                --cidr-block "${s%@*}" --availability-zone "${s#*@}" \
                | jget 'd["Subnet"]["SubnetId"]' || return 1
        done
    elif grep -q InvalidAction "$TEST_DIR/network.err"; then
        db_network "$account" "$cidr" "$@"
    else
        cat "$TEST_DIR/network.err" >&2
        return 1
    fi
}

# db_get TABLE COLUMN WHERE [EXPR]: the value of COLUMN in the one row of
# TABLE that matches the 'where' condition WHERE (JSON), as Python sees
# it (a set as a list, a map as a dict, a UUID as a string), through jget
# EXPR (default: 'd').
db_get() {
    ovsdb-client transact "$PL_DB" "[\"PrivateLink\",{\"op\":\"select\",
        \"table\":\"$1\",\"where\":[$3],\"columns\":[\"$2\"]}]" \
        | /usr/bin/python3 -c '
import json, sys
def conv(v):
    if isinstance(v, list) and v[0] == "set":
        return [conv(x) for x in v[1]]
    elif isinstance(v, list) and v[0] == "map":
        return {conv(k): conv(x) for k, x in v[1]}
    elif isinstance(v, list) and v[0] == "uuid":
        return v[1]
    return v
print(json.dumps(conv(json.load(sys.stdin)[0]["rows"][0][sys.argv[1]])))
' "$2" | jget "${4:-d}"
}

# The provider's VPC has subnets in us-east-1a (two) and us-east-1b; it
# has a second VPC, and the consumer a VPC of its own.
mapfile -t net < <(network provider $PROVIDER 10.0.0.0/16 \
    10.0.1.0/24@us-east-1a 10.0.2.0/24@us-east-1b 10.0.3.0/24@us-east-1a)
[ ${#net[@]} = 4 ] || fail "cannot create the provider's VPC"
vpc=${net[0]} sa=${net[1]} sb=${net[2]} sa2=${net[3]}
mapfile -t net < <(network provider $PROVIDER 10.1.0.0/16 \
    10.1.1.0/24@us-east-1a)
vpc2=${net[0]} sx=${net[1]}
mapfile -t net < <(network consumer $CONSUMER 10.2.0.0/16 \
    10.2.1.0/24@us-east-1a)
csub=${net[1]}
if [ -z "$csub" ] || [ -z "$sx" ]; then
    fail "cannot create the other VPCs"
fi

# --- A Network Load Balancer in two zones. -------------------------------
# The AWS CLI's command names work without "elbv2" too.
check plctl_as provider create-load-balancer --name web --type network \
    --subnets "$sa" "$sb" --tags Key=env,Value=test
lb=$(out 'f["LoadBalancerArn"]')
lbid=${lb##*/}
[[ $lb =~ ^$ARN_HEAD:$PROVIDER:loadbalancer/net/web/$ID_RE$ ]] \
    || fail "bad load balancer ARN: $lb"
check_out "internal-web-$lbid.elb.us-east-1.amazonaws.com" 'f["DNSName"]'
check_out "Z26RNL4JYFTOTI active network internal ipv4 web $vpc" \
    'cat(f["CanonicalHostedZoneId"], f["State"]["Code"], f["Type"],
         f["Scheme"], f["IpAddressType"], f["LoadBalancerName"], f["VpcId"])'
check_out "us-east-1a $sa 10.0.1.4 10.0.1.4 us-east-1b $sb 10.0.2.4 10.0.2.4" \
    'cat(*(cat(z["ZoneName"], z["SubnetId"],
               z["LoadBalancerAddresses"][0]["IpAddress"],
               z["LoadBalancerAddresses"][0]["PrivateIPv4Address"])
           for z in f["AvailabilityZones"]))'
check_grep '^20[0-9-]{8}T[0-9:]{8}\.[0-9]{3}Z$' out 'f["CreatedTime"]'

# Its interfaces are in the database: one per subnet, requester-managed.
check_output 2 db_count Network_Interface \
    '["interface_type","==","network_load_balancer"]'
check_output 1 db_count Network_Interface \
    '["private_ip_address","==","10.0.2.4"]' \
    '["requester_managed","==",true]' '["requester_id","==","amazon-elb"]' \
    "[\"description\",\"==\",\"ELB net/web/$lbid\"]" \
    "[\"owner_id\",\"==\",\"$PROVIDER\"]"
where_lb="[\"arn\",\"==\",\"$lb\"]"
check_output 2 db_get Load_Balancer network_interfaces "$where_lb" 'len(d)'

# Creating it again with the same settings is no change.
check_unchanged check plctl_as provider create-load-balancer --name web \
    --type network --subnets "$sb" "$sa"
check_out "$lb" 'f["LoadBalancerArn"]'

# --- A TCP target group and its targets. --------------------------------
elb provider create-target-group --name web-tg --protocol TCP --port 80 \
    --vpc-id "$vpc" --target-type ip --health-check-port 8080
tg=$(out 'f["TargetGroupArn"]')
[[ $tg =~ ^$ARN_HEAD:$PROVIDER:targetgroup/web-tg/$ID_RE$ ]] \
    || fail "bad target group ARN: $tg"
check_out 'TCP 80 ip TCP 8080 True 30 10 5 2 [] ipv4' \
    'cat(*(f[k] for k in ("Protocol", "Port", "TargetType",
     "HealthCheckProtocol", "HealthCheckPort", "HealthCheckEnabled",
     "HealthCheckIntervalSeconds", "HealthCheckTimeoutSeconds",
     "HealthyThresholdCount", "UnhealthyThresholdCount", "LoadBalancerArns",
     "IpAddressType")))'
elb provider create-target-group --name web-http --protocol TCP --port 80 \
    --vpc-id "$vpc" --target-type ip --health-check-protocol HTTP \
    --health-check-path /healthz
check_out '/healthz 200-399 6 traffic-port' \
    'cat(f["HealthCheckPath"], f["Matcher"]["HttpCode"],
         f["HealthCheckTimeoutSeconds"], f["HealthCheckPort"])'
tg_http=$(out 'f["TargetGroupArn"]')

# Port defaults to the target group's.  Without a listener, targets are
# unused.
check plctl_as provider register-targets --target-group-arn "$tg" \
    --targets Id=10.0.1.5,Port=80 Id=10.0.2.6
elb provider describe-target-health --target-group-arn "$tg"
health='",".join(cat(t["Target"]["Id"], t["Target"]["Port"],
    t["Target"].get("AvailabilityZone"), t["TargetHealth"]["State"],
    t["TargetHealth"].get("Reason"), t.get("HealthCheckPort"))
    for t in d["TargetHealthDescriptions"])'
check_out "10.0.1.5 80 us-east-1a unused Target.NotInUse None,\
10.0.2.6 80 us-east-1b unused Target.NotInUse None" "$health"
check_out "Target group is not configured to receive traffic from the \
load balancer" 'f["TargetHealth"]["Description"]'
check_output 1 db_count Target '["ip","==","10.0.2.6"]' \
    '["health_state","==","unused"]' '["availability_zone","==","us-east-1b"]'

# --- A listener: the targets start their health checks. -----------------
check plctl_as provider create-listener --load-balancer-arn "$lb" \
    --protocol TCP --port 80 \
    --default-actions "Type=forward,TargetGroupArn=$tg"
listener=$(out 'f["ListenerArn"]')
[[ $listener =~ ^$ARN_HEAD:$PROVIDER:listener/net/web/$lbid/$ID_RE$ ]] \
    || fail "bad listener ARN: $listener"
check_out "TCP 80 forward $tg $tg" \
    'cat(f["Protocol"], f["Port"], f["DefaultActions"][0]["Type"],
         f["DefaultActions"][0]["TargetGroupArn"],
         f["DefaultActions"][0]["ForwardConfig"]["TargetGroups"][0]
          ["TargetGroupArn"])'
# The same listener again is no change; JSON actions work too.
check_unchanged elb provider create-listener --load-balancer-arn "$lb" \
    --protocol TCP --port 80 \
    --default-actions "[{\"Type\": \"forward\", \"TargetGroupArn\": \"$tg\"}]"
check_out "$listener" 'f["ListenerArn"]'
elb provider create-listener --load-balancer-arn "$lb" --protocol TCP \
    --port 443 --default-actions "Type=forward,TargetGroupArn=$tg"
listener443=$(out 'f["ListenerArn"]')

elb provider describe-target-health --target-group-arn "$tg"
check_out "10.0.1.5 80 us-east-1a initial Elb.RegistrationInProgress 8080,\
10.0.2.6 80 us-east-1b initial Elb.RegistrationInProgress 8080" "$health"
# The chassis's health checker writes the state; the API shows it.
check ovsdb-client transact "$PL_DB" '["PrivateLink",{"op":"update",
    "table":"Target","where":[["ip","==","10.0.1.5"]],
    "row":{"health_state":"healthy","health_reason":["set",[]]}}]'
elb provider describe-target-health --target-group-arn "$tg" \
    --targets Id=10.0.1.5 Id=10.0.1.7
check_out "10.0.1.5 80 us-east-1a healthy None 8080,\
10.0.1.7 80 None unused Target.NotRegistered None" "$health"

elb provider describe-target-groups --load-balancer-arn "$lb"
check_out "$tg [\"$lb\"]" \
    'cat(f["TargetGroupArn"], json.dumps(f["LoadBalancerArns"]))'
elb provider describe-listeners --load-balancer-arn "$lb"
check_out 2 'len(d["Listeners"])'
elb provider describe-listeners --listener-arns "$listener443" --page-size 1
check_out "443 None" 'cat(f["Port"], d.get("NextMarker"))'

# --- Describing load balancers, paging. ---------------------------------
elb provider describe-load-balancers --names web
check_out "$lb" 'f["LoadBalancerArn"]'
elb provider create-load-balancer --name api --type network --subnets "$sb"
lb_api=$(out 'f["LoadBalancerArn"]')
elb provider describe-load-balancers --page-size 1
check_out 1 'len(d["LoadBalancers"])'
marker=$(out 'd["NextMarker"]')
first=$(out 'f["LoadBalancerArn"]')
elb provider describe-load-balancers --page-size 1 --marker "$marker"
check_out "1 None" 'cat(len(d["LoadBalancers"]), d.get("NextMarker"))'
second=$(out 'f["LoadBalancerArn"]')
check_output "$(printf '%s\n' "$lb" "$lb_api" | sort)" \
    printf '%s\n' "$first" "$second"
elb provider describe-target-groups --page-size 1
check_out 1 'len(d["TargetGroups"])'
elb provider describe-target-groups --page-size 1 \
    --marker "$(out 'd["NextMarker"]')"
check_out "1 None" 'cat(len(d["TargetGroups"]), d.get("NextMarker"))'

# --- Attributes. -----------------------------------------------------------
elb provider describe-load-balancer-attributes --load-balancer-arn "$lb"
check_out "deletion_protection.enabled=false \
load_balancing.cross_zone.enabled=false" 'kv(d["Attributes"])'
elb provider modify-load-balancer-attributes --load-balancer-arn "$lb" \
    --attributes Key=load_balancing.cross_zone.enabled,Value=true
check_out "deletion_protection.enabled=false \
load_balancing.cross_zone.enabled=true" 'kv(d["Attributes"])'
check_output true db_get Load_Balancer attributes "$where_lb" \
    'd["load_balancing.cross_zone.enabled"]'
elb provider describe-target-group-attributes --target-group-arn "$tg"
check_out "deregistration_delay.timeout_seconds=300 stickiness.enabled=false \
stickiness.type=source_ip" 'kv(d["Attributes"])'
elb provider modify-target-group-attributes --target-group-arn "$tg" \
    --attributes Key=stickiness.enabled,Value=true \
    Key=deregistration_delay.timeout_seconds,Value=0
check_out "deregistration_delay.timeout_seconds=0 stickiness.enabled=true \
stickiness.type=source_ip" 'kv(d["Attributes"])'

# --- Tags. -------------------------------------------------------------------
elb provider add-tags --resource-arns "$lb" "$tg" --tags Key=team,Value=blue
elb provider remove-tags --resource-arns "$lb" --tag-keys env
elb provider describe-tags --resource-arns "$lb" "$tg"
check_out "$lb team=blue;$tg team=blue" \
    '";".join(cat(t["ResourceArn"], kv(t["Tags"]))
              for t in d["TagDescriptions"])'

# --- A Gateway Load Balancer and a GENEVE target group. -------------------
elb provider create-load-balancer --name fw --type gateway --subnets "$sa"
gwlb=$(out 'f["LoadBalancerArn"]')
[[ $gwlb =~ ^$ARN_HEAD:$PROVIDER:loadbalancer/gwy/fw/$ID_RE$ ]] \
    || fail "bad gateway load balancer ARN: $gwlb"
check_out 'gateway active None None' \
    'cat(f["Type"], f["State"]["Code"], f.get("DNSName"), f.get("Scheme"))'
check_output 1 db_count Network_Interface \
    '["interface_type","==","gateway_load_balancer"]' \
    "[\"description\",\"==\",\"ELB gwy/fw/${gwlb##*/}\"]"
elb provider create-target-group --name fw-tg --protocol GENEVE --port 6081 \
    --vpc-id "$vpc" --target-type ip
gtg=$(out 'f["TargetGroupArn"]')
check_out 'GENEVE 6081 80 10 5' \
    'cat(f["Protocol"], f["Port"], f["HealthCheckPort"],
         f["HealthCheckIntervalSeconds"], f["HealthCheckTimeoutSeconds"])'
elb provider describe-target-group-attributes --target-group-arn "$gtg"
check_out "deregistration_delay.timeout_seconds=300 stickiness.enabled=false \
stickiness.type=source_ip_dest_ip_proto" 'kv(d["Attributes"])'
elb provider modify-target-group-attributes --target-group-arn "$gtg" \
    --attributes Key=stickiness.enabled,Value=true \
    Key=stickiness.type,Value=source_ip_dest_ip
check_output "true source_ip_dest_ip" db_get Target_Group attributes \
    "[\"arn\",\"==\",\"$gtg\"]" \
    'cat(d["stickiness.enabled"], d["stickiness.type"])'
elb provider register-targets --target-group-arn "$gtg" \
    --targets Id=10.0.1.10
elb provider create-listener --load-balancer-arn "$gwlb" \
    --default-actions "Type=forward,TargetGroupArn=$gtg"
glistener=$(out 'f["ListenerArn"]')
gwlbid=${gwlb##*/}
[[ $glistener =~ ^$ARN_HEAD:$PROVIDER:listener/gwy/fw/$gwlbid/$ID_RE$ ]] \
    || fail "bad gateway listener ARN: $glistener"
check_out 'None None' 'cat(f.get("Port"), f.get("Protocol"))'
check_output 1 db_count Listener '["protocol","==","GENEVE"]' '["port","==",0]'
elb provider describe-target-health --target-group-arn "$gtg"
check_out "10.0.1.10 6081 us-east-1a initial Elb.RegistrationInProgress 80" \
    "$health"

# --- Errors leave the database unchanged. --------------------------------
p() {
    plctl_as provider elbv2 "$@"
}
fake_lb=$ARN_HEAD:$PROVIDER:loadbalancer/net/nope/0123456789abcdef
fake_tg=$ARN_HEAD:$PROVIDER:targetgroup/nope/0123456789abcdef
check_unchanged expect_error DuplicateLoadBalancerName \
    p create-load-balancer --name web --type network --subnets "$sa"
check_unchanged expect_error InvalidConfigurationRequest \
    p create-load-balancer --name two --type network --subnets "$sa" "$sa2"
check_unchanged expect_error InvalidConfigurationRequest \
    p create-load-balancer --name two --type network --subnets "$sa" "$sx"
check_unchanged expect_error SubnetNotFound \
    p create-load-balancer --name two --type network --subnets "$csub"
check_unchanged expect_error ValidationError \
    p create-load-balancer --name two --subnets "$sa"
check_grep "application" cat "$TEST_DIR/stderr"
check_unchanged expect_error ValidationError \
    p create-load-balancer --name internal-x --type network --subnets "$sa"
check_unchanged expect_error ValidationError \
    p create-load-balancer --name -web --type network --subnets "$sa"
check_unchanged expect_error DuplicateTargetGroupName \
    p create-target-group --name web-tg --protocol TCP --port 81 \
    --vpc-id "$vpc" --target-type ip
check_unchanged expect_error ValidationError \
    p create-target-group --name x --protocol TCP --port 80 --vpc-id "$vpc"
check_unchanged expect_error ValidationError \
    p create-target-group --name x --protocol TCP --port 80 \
    --vpc-id "$vpc" --target-type ip --health-check-interval-seconds 400
check_unchanged expect_error ValidationError \
    p create-target-group --name x --protocol GENEVE --port 80 \
    --vpc-id "$vpc" --target-type ip
check_unchanged expect_error InvalidTarget \
    p register-targets --target-group-arn "$tg" --targets Id=10.9.0.5
check_unchanged expect_error InvalidTarget \
    p register-targets --target-group-arn "$tg" --targets Id=10.0.200.5
check_unchanged expect_error InvalidTarget \
    p deregister-targets --target-group-arn "$tg" --targets Id=10.0.1.99
check_unchanged expect_error DuplicateListener \
    p create-listener --load-balancer-arn "$lb" --protocol TCP --port 80 \
    --default-actions "Type=forward,TargetGroupArn=$tg_http"
check_unchanged expect_error TargetGroupAssociationLimit \
    p create-listener --load-balancer-arn "$lb_api" --protocol TCP --port 80 \
    --default-actions "Type=forward,TargetGroupArn=$tg"
elb provider create-target-group --name other-vpc --protocol TCP --port 80 \
    --vpc-id "$vpc2" --target-type ip
tg_other=$(out 'f["TargetGroupArn"]')
check_unchanged expect_error InvalidConfigurationRequest \
    p create-listener --load-balancer-arn "$lb" --protocol TCP --port 82 \
    --default-actions "Type=forward,TargetGroupArn=$tg_other"
check_unchanged expect_error IncompatibleProtocols \
    p create-listener --load-balancer-arn "$lb" --protocol TCP --port 81 \
    --default-actions "Type=forward,TargetGroupArn=$gtg"
check_unchanged expect_error ResourceInUse \
    p delete-target-group --target-group-arn "$tg"
check_unchanged expect_error ValidationError \
    p modify-target-group-attributes --target-group-arn "$tg" \
    --attributes Key=stickiness.type,Value=source_ip_dest_ip
check_unchanged expect_error ValidationError \
    p modify-load-balancer-attributes --load-balancer-arn "$lb" \
    --attributes Key=idle_timeout.timeout_seconds,Value=60
check_unchanged expect_error LoadBalancerNotFound \
    p describe-load-balancers --load-balancer-arns "$lb" "$fake_lb"
check_unchanged expect_error LoadBalancerNotFound \
    p describe-load-balancers --names web nope
check_unchanged expect_error TargetGroupNotFound \
    p describe-target-health --target-group-arn "$fake_tg"
check_unchanged expect_error ListenerNotFound \
    p delete-listener --listener-arn "${listener%/*}/0123456789abcdef"
check_unchanged expect_error ValidationError \
    p describe-load-balancers --load-balancer-arns "arn:aws:ec2:nope"

# Deletion protection, then a load balancer an endpoint service uses.
elb provider modify-load-balancer-attributes --load-balancer-arn "$lb_api" \
    --attributes Key=deletion_protection.enabled,Value=true
check_unchanged expect_error OperationNotPermitted \
    p delete-load-balancer --load-balancer-arn "$lb_api"
elb provider modify-load-balancer-attributes --load-balancer-arn "$lb_api" \
    --attributes Key=deletion_protection.enabled,Value=false
lb_uuid=$(db_get Load_Balancer _uuid "[\"arn\",\"==\",\"$lb_api\"]")
check ovsdb-client transact "$PL_DB" "[\"PrivateLink\",{\"op\":\"insert\",
    \"table\":\"Endpoint_Service\",\"row\":{\"service_id\":\"vpce-svc-test\",
    \"service_name\":\"svc\",\"owner_id\":\"$PROVIDER\",
    \"service_types\":\"Interface\",\"service_state\":\"Available\",
    \"supported_ip_address_types\":\"ipv4\",
    \"network_load_balancers\":[\"uuid\",\"$lb_uuid\"]}}]"
check_unchanged expect_error ResourceInUse \
    p delete-load-balancer --load-balancer-arn "$lb_api"
check_grep "currently associated with another service" cat "$TEST_DIR/stderr"
check ovsdb-client transact "$PL_DB" '["PrivateLink",{"op":"delete",
    "table":"Endpoint_Service","where":[["service_id","==","vpce-svc-test"]]}]'

# --- Another account sees none of it. -------------------------------------
c() {
    plctl_as consumer elbv2 "$@"
}
elb consumer describe-load-balancers
check_out '[]' 'd["LoadBalancers"]'
elb consumer describe-target-groups
check_out '[]' 'd["TargetGroups"]'
check_unchanged expect_error LoadBalancerNotFound \
    c describe-load-balancers --load-balancer-arns "$lb"
check_unchanged expect_error LoadBalancerNotFound \
    c delete-load-balancer --load-balancer-arn "$lb"
check_unchanged expect_error LoadBalancerNotFound \
    c describe-tags --resource-arns "$lb"
check_unchanged expect_error LoadBalancerNotFound \
    c describe-load-balancer-attributes --load-balancer-arn "$lb"
check_unchanged expect_error TargetGroupNotFound \
    c register-targets --target-group-arn "$tg" --targets Id=10.0.1.8
check_unchanged expect_error TargetGroupNotFound \
    c delete-target-group --target-group-arn "$tg"
check_unchanged expect_error ListenerNotFound \
    c delete-listener --listener-arn "$listener"
check_unchanged expect_error ValidationError \
    c create-target-group --name web-tg --protocol TCP --port 80 \
    --vpc-id "$vpc" --target-type ip
# Names are unique per account only.
elb consumer create-load-balancer --name web --type network \
    --subnets "$csub"
clb=$(out 'f["LoadBalancerArn"]')
[[ $clb =~ ^$ARN_HEAD:$CONSUMER:loadbalancer/net/web/ ]] \
    || fail "bad consumer load balancer ARN: $clb"

# --- Deleting. ---------------------------------------------------------------
# Without a listener, the targets are unused again.
elb provider delete-listener --listener-arn "$listener"
elb provider describe-target-health --target-group-arn "$tg"
check_out "10.0.1.5 80 us-east-1a healthy None 8080,\
10.0.2.6 80 us-east-1b initial Elb.RegistrationInProgress 8080" "$health"
elb provider delete-listener --listener-arn "$listener443"
elb provider describe-target-health --target-group-arn "$tg"
check_out "10.0.1.5 80 us-east-1a unused Target.NotInUse None,\
10.0.2.6 80 us-east-1b unused Target.NotInUse None" "$health"
elb provider deregister-targets --target-group-arn "$tg" --targets Id=10.0.2.6
check_output 1 db_count Target '["ip","!=","10.0.1.10"]'
elb provider delete-target-group --target-group-arn "$tg"
check_output 0 db_count Target '["ip","==","10.0.1.5"]'

# Deleting a load balancer deletes its listeners and interfaces; deleting
# it again succeeds, as on AWS.
elb provider delete-load-balancer --load-balancer-arn "$gwlb"
check_output 0 db_count Network_Interface \
    '["interface_type","==","gateway_load_balancer"]'
check_output 0 db_count Listener
elb provider describe-target-health --target-group-arn "$gtg"
check_out 'unused' 'f["TargetHealth"]["State"]'
elb provider delete-load-balancer --load-balancer-arn "$lb"
elb provider delete-load-balancer --load-balancer-arn "$lb"
check_output 2 db_count Network_Interface \
    '["interface_type","==","network_load_balancer"]'
elb provider describe-load-balancers
check_out "[\"$lb_api\"]" '[l["LoadBalancerArn"] for l in d["LoadBalancers"]]'
