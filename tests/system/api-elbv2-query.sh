# The ELBv2 operations through the stock `aws elbv2` CLI (the AWS Query
# protocol: Name.member.N lists, <ActionResult> answers, ErrorResponse
# errors), the same objects as plctl's protobuf front.
source tests/lib.sh
source tests/system/api-harness.bash
test_init api-elbv2-query
api_lab_up

q() { aws_text "$@"; }
vpc=$(q provider ec2 create-vpc --cidr-block 10.0.0.0/16 --query Vpc.VpcId)
s1=$(q provider ec2 create-subnet --vpc-id $vpc --cidr-block 10.0.1.0/24 \
     --availability-zone us-east-1a --query Subnet.SubnetId)
s2=$(q provider ec2 create-subnet --vpc-id $vpc --cidr-block 10.0.2.0/24 \
     --availability-zone us-east-1b --query Subnet.SubnetId)

lb=$(q provider elbv2 create-load-balancer --name web --type network \
     --subnets $s1 $s2 --tags Key=team,Value=a \
     --query 'LoadBalancers[0].LoadBalancerArn')
check_grep '^arn:aws:elasticloadbalancing:us-east-1:111111111111:loadbalancer/net/web/[0-9a-f]{16}$' \
    echo "$lb"
check_output "active network 10.0.1.4 10.0.2.4" q provider elbv2 \
    describe-load-balancers --load-balancer-arns $lb --query \
    'LoadBalancers[0].[State.Code,Type,AvailabilityZones[0].LoadBalancerAddresses[0].PrivateIPv4Address,AvailabilityZones[1].LoadBalancerAddresses[0].PrivateIPv4Address]'
tg=$(q provider elbv2 create-target-group --name tg1 --protocol TCP --port 80 \
     --vpc-id $vpc --target-type ip --health-check-port 80 \
     --query 'TargetGroups[0].TargetGroupArn')
check aws_as provider elbv2 register-targets --target-group-arn $tg \
    --targets Id=10.0.1.10,Port=80 Id=10.0.2.10
lis=$(q provider elbv2 create-listener --load-balancer-arn $lb --protocol TCP \
      --port 80 --default-actions Type=forward,TargetGroupArn=$tg \
      --query 'Listeners[0].ListenerArn')
check_grep "^arn:aws:elasticloadbalancing:us-east-1:111111111111:listener/net/web/" echo "$lis"
check_output "10.0.1.10 initial 10.0.2.10 initial" aws_words provider elbv2 \
    describe-target-health --target-group-arn $tg --query \
    'TargetHealthDescriptions[].[Target.Id,TargetHealth.State]'
check_output "team a" q provider elbv2 describe-tags --resource-arns $lb \
    --query 'TagDescriptions[0].Tags[0].[Key,Value]'

# Errors come back as ELBv2 errors, and change nothing.
check_unchanged expect_error DuplicateLoadBalancerName aws_as provider elbv2 \
    create-load-balancer --name web --type network --subnets $s1
check_unchanged expect_error LoadBalancerNotFound aws_as consumer elbv2 \
    describe-load-balancers --load-balancer-arns $lb
check_unchanged expect_error ResourceInUse aws_as provider elbv2 \
    delete-target-group --target-group-arn $tg

# The same load balancer through plctl.
aws_as provider elbv2 describe-load-balancers --output json >"$TEST_DIR/aws.json"
plctl_as provider describe-load-balancers >"$TEST_DIR/plctl.json"
check /usr/bin/python3 tests/system/json-subset.py "$TEST_DIR/aws.json" \
    "$TEST_DIR/plctl.json" LoadBalancers

check aws_as provider elbv2 delete-listener --listener-arn $lis
check aws_as provider elbv2 delete-load-balancer --load-balancer-arn $lb
check_output 0 q provider elbv2 describe-load-balancers --query 'length(LoadBalancers)'
check_no_warnings "$LAB/central/plinkd.log"
