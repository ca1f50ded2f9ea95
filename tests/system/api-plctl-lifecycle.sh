# The interface-endpoint lifecycle again, this time only through plctl
# (the protobuf front), with its conveniences: JSON with the AWS CLI's
# member names, --output table, show's tree, --wait=hv, --if-exists.
source tests/lib.sh
source tests/system/api-harness.bash
test_init api-plctl-lifecycle
api_lab_up

# json PROFILE EXPR ARGS...: runs plctl as PROFILE and prints the Python
# expression EXPR evaluated on its JSON output (as 'r').
json() {
    local profile=$1 expr=$2
    shift 2
    plctl_as "$profile" "$@" | /usr/bin/python3 -c \
        "import json, sys; r = json.load(sys.stdin); print($expr)"
}

pvpc=$(json provider 'r["Vpc"]["VpcId"]' create-vpc --cidr-block 10.0.0.0/16)
psub=$(json provider 'r["Subnet"]["SubnetId"]' create-subnet --vpc-id $pvpc \
       --cidr-block 10.0.1.0/24 --availability-zone us-east-1a)
nlb=$(json provider 'r["LoadBalancers"][0]["LoadBalancerArn"]' \
      create-load-balancer --name api --type network --subnets $psub)
svc=$(json provider 'r["ServiceConfiguration"]["ServiceId"]' \
      create-vpc-endpoint-service-configuration \
      --network-load-balancer-arns $nlb --acceptance-required)
check plctl_as provider modify-vpc-endpoint-service-permissions \
    --service-id $svc --add-allowed-principals arn:aws:iam::222222222222:root

cvpc=$(json consumer 'r["Vpc"]["VpcId"]' create-vpc --cidr-block 10.0.0.0/16)
csub=$(json consumer 'r["Subnet"]["SubnetId"]' create-subnet --vpc-id $cvpc \
       --cidr-block 10.0.1.0/24 --availability-zone us-east-1a)
ept=$(json consumer 'r["VpcEndpoint"]["VpcEndpointId"]' create-vpc-endpoint \
      --vpc-endpoint-type Interface --vpc-id $cvpc \
      --service-name com.amazonaws.vpce.us-east-1.$svc --subnet-ids $csub)
check_output pendingAcceptance json consumer 'r["VpcEndpoints"][0]["State"]' \
    describe-vpc-endpoints --vpc-endpoint-ids $ept

# The errors carry the AWS codes on this front too.
check_fails plctl_as consumer accept-vpc-endpoint-connections \
    --service-id $svc --vpc-endpoint-ids $ept
check_grep 'InvalidVpcEndpointServiceId.NotFound' cat "$TEST_DIR/stderr"

# show: the provider's service and its connection, the consumer's VPC,
# subnet, endpoint ENI and endpoint.
check_grep "service $svc \\(Available\\) acceptance required" plctl_as provider show
check_grep "endpoint $ept \\(Interface\\) 222222222222: pendingAcceptance" \
    plctl_as provider show
check_grep "eni eni-[0-9a-f]{17} 10\\.0\\.1\\.[0-9]+ vpc_endpoint" plctl_as consumer show
check_grep "^vpc $cvpc \\(10\\.0\\.0\\.0/16\\)" plctl_as consumer show

# Accept with --wait=hv: it returns once the change is realized, so the
# endpoint is available when it does.
check plctl_as provider --wait=hv accept-vpc-endpoint-connections \
    --service-id $svc --vpc-endpoint-ids $ept
check_output available json consumer 'r["VpcEndpoints"][0]["State"]' \
    describe-vpc-endpoints --vpc-endpoint-ids $ept
check_grep "VpcEndpointId +VpcEndpointType" plctl_as consumer \
    describe-vpc-endpoints --output table

check plctl_as provider reject-vpc-endpoint-connections --service-id $svc \
    --vpc-endpoint-ids $ept
check_output rejected json consumer 'r["VpcEndpoints"][0]["State"]' \
    describe-vpc-endpoints --vpc-endpoint-ids $ept
check plctl_as consumer delete-vpc-endpoints --vpc-endpoint-ids $ept
check plctl_as provider delete-vpc-endpoint-service-configurations \
    --service-ids $svc

# --if-exists: deleting what is gone is fine; without it, an error.
check_fails plctl_as consumer delete-vpc --vpc-id vpc-0123456789abcdef0
check plctl_as consumer --if-exists delete-vpc --vpc-id vpc-0123456789abcdef0

# Usage errors: one line on stderr, exit status 2, nothing sent.
plctl_as consumer describe-vpc-endpoints --no-such-flag 2>"$TEST_DIR/err"
check_output 2 echo $?
check_output 1 sh -c "wc -l <'$TEST_DIR/err'"
check_no_warnings "$LAB/central/plinkd.log"
