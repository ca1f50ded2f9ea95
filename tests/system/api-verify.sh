# Ownership verification of a provider's private DNS name with a real DNS
# server (dnsmasq): pendingVerification until the TXT record is served,
# then verified; a wrong (lower-cased) value fails; the record may sit at
# the domain itself or at a parent domain; a verified name whose record
# goes away fails at the next periodic check; bad names are refused.
source tests/lib.sh
source tests/system/api-harness.bash
test_init api-verify
api_lab_up

q() { aws_text "$@"; }
dns_port=$(free_port)
check set_global_option verification_resolver 127.0.0.1:$dns_port
check set_global_option verification_interval 2

# start_dns TXT-RECORD...: (re)starts dnsmasq serving the records
# ("name,value"), by PID.
start_dns() {
    local args=() r
    kill_pidfile "$TEST_DIR/dnsmasq.pid"
    for r in "$@"; do
        args+=(--txt-record="$r")
    done
    dnsmasq --keep-in-foreground --no-resolv --no-hosts --conf-file=/dev/null \
        --listen-address=127.0.0.1 --bind-interfaces --port=$dns_port \
        --pid-file="$TEST_DIR/dnsmasq.pid.unused" --log-facility=- \
        "${args[@]}" >>"$TEST_DIR/dnsmasq.log" 2>&1 &
    echo $! >"$TEST_DIR/dnsmasq.pid"
    on_exit "kill_pidfile $TEST_DIR/dnsmasq.pid"
    wait_until "dig +short +time=1 +tries=1 -p $dns_port @127.0.0.1 \
        probe.invalid TXT >/dev/null"
}

vpc=$(q provider ec2 create-vpc --cidr-block 10.0.0.0/16 --query Vpc.VpcId)
sub=$(q provider ec2 create-subnet --vpc-id $vpc --cidr-block 10.0.1.0/24 \
      --query Subnet.SubnetId)
lb() {
    q provider elbv2 create-load-balancer --name $1 --type network \
        --subnets $sub --query 'LoadBalancers[0].LoadBalancerArn'
}

# Names must be lower case, labels at most 63 characters, at most 255.
nlb=$(lb web)
for bad in API.example.test "$(printf 'a%.0s' {1..64}).example.test" \
           "$(printf 'abcdefghi.%.0s' {1..26})test" nodots; do
    check_unchanged expect_error InvalidParameter aws_as provider ec2 \
        create-vpc-endpoint-service-configuration \
        --network-load-balancer-arns $nlb --private-dns-name "$bad"
done

# svc NAME LB: a service with private DNS name NAME; prints its id.
svc() {
    q provider ec2 create-vpc-endpoint-service-configuration \
        --network-load-balancer-arns $2 --private-dns-name $1 \
        --no-acceptance-required --query ServiceConfiguration.ServiceId
}
# field SVC EXPR: a member of the service's PrivateDnsNameConfiguration.
field() {
    q provider ec2 describe-vpc-endpoint-service-configurations \
        --service-ids $1 --query "ServiceConfigurations[0].PrivateDnsNameConfiguration.$2"
}
state() { field $1 State; }

s1=$(svc api.example.test $nlb)
check_output pendingVerification state $s1
check_output TXT field $s1 Type
n1=$(field $s1 Name); v1=$(field $s1 Value)
check_grep '^_[a-z0-9]{20}$' echo "$n1"
check_grep '^vpce:[A-Za-z0-9]{20}$' echo "$v1"

# No DNS server answers: the check fails.
check aws_as provider ec2 start-vpc-endpoint-service-private-dns-verification \
    --service-id $s1
wait_until "[ \"\$(state $s1)\" = failed ]"

# The record, at _name.domain: verified.
s2=$(svc other.example.test $(lb web2))
n2=$(field $s2 Name); v2=$(field $s2 Value)
s3=$(svc root.example.test $(lb web3))
v3=$(field $s3 Value)
s4=$(svc a.b.example.test $(lb web4))
n4=$(field $s4 Name); v4=$(field $s4 Value)
lower=$(echo "$v2" | tr A-Z a-z)
start_dns "$n1.api.example.test,$v1" "$n2.other.example.test,$lower" \
          "root.example.test,$v3" "$n4.example.test,$v4"
for s in $s1 $s2 $s3 $s4; do
    check aws_as provider ec2 start-vpc-endpoint-service-private-dns-verification \
        --service-id $s
done
wait_until "[ \"\$(state $s1)\" = verified ]"
# A lower-cased value is not the value.
wait_until "[ \"\$(state $s2)\" = failed ]"
# At the domain itself, and at a parent domain.
wait_until "[ \"\$(state $s3)\" = verified ]"
wait_until "[ \"\$(state $s4)\" = verified ]"

# Consumers see the state.
check aws_as provider ec2 modify-vpc-endpoint-service-permissions \
    --service-id $s1 --add-allowed-principals '*'
check_output "api.example.test verified" q consumer ec2 describe-vpc-endpoint-services \
    --service-names com.amazonaws.vpce.us-east-1.$s1 --query \
    'ServiceDetails[0].[PrivateDnsName,PrivateDnsNameVerificationState]'

# The record goes away: the periodic check fails the name.
start_dns "$n4.example.test,$v4"
wait_until "[ \"\$(state $s1)\" = failed ]" 20
check_output verified state $s4

# A new name restarts verification: a new record to publish, and the name
# is not verified (pendingVerification, or already failed if a periodic
# check came first: nothing serves its record).
check aws_as provider ec2 modify-vpc-endpoint-service-configuration \
    --service-id $s4 --private-dns-name c.example.test
check_grep '^(pendingVerification|failed)$' state $s4
[ "$(field $s4 Name)" != "$n4" ] || fail "the verification record did not change"
check_no_warnings "$LAB/central/plinkd.log"
