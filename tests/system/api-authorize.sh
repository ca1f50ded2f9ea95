# AuthorizeEndpointRequest, the rpc that services behind an endpoint ask
# before serving a request: a gateway endpoint to S3 whose policy allows
# s3:GetObject on one bucket; the decision by endpoint id and by VPC and
# source address (the subnet's route table leads to the endpoint); a Deny
# statement; a subnet whose table has no endpoint route (no endpoint:
# InvalidVpcEndpointId.NotFound).  Any authenticated account may ask.
source tests/lib.sh
source tests/system/api-harness.bash
test_init api-authorize
API_VALGRIND=1 api_lab_up

q() { aws_text "$@"; }
s3=com.amazonaws.us-east-1.s3

# authz PROFILE ARGS...: prints "Decision Sid" of the rpc's answer.
authz() {
    local profile=$1 out
    shift
    out=$(plctl_as "$profile" authorize-endpoint-request "$@") || return 1
    printf '%s\n' "$out" | /usr/bin/python3 -c '
import json, sys
d = json.load(sys.stdin)
print(d.get("Decision"), d.get("VpcEndpointId"), d.get("MatchedStatementSid", "-"))'
}

vpc=$(q consumer ec2 create-vpc --cidr-block 10.1.0.0/16 --query Vpc.VpcId)
rtb=$(q consumer ec2 create-route-table --vpc-id $vpc --query RouteTable.RouteTableId)
sub=$(q consumer ec2 create-subnet --vpc-id $vpc --cidr-block 10.1.1.0/24 \
      --query Subnet.SubnetId)
other=$(q consumer ec2 create-subnet --vpc-id $vpc --cidr-block 10.1.2.0/24 \
        --query Subnet.SubnetId)
check aws_as consumer ec2 associate-route-table --route-table-id $rtb \
    --subnet-id $sub

allow_a='{"Statement":[{"Sid":"AllowBucketA","Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::bucket-a/*"}]}'
ept=$(q consumer ec2 create-vpc-endpoint --vpc-id $vpc --service-name $s3 \
      --route-table-ids $rtb --policy-document "$allow_a" \
      --query VpcEndpoint.VpcEndpointId)
res_a=arn:aws:s3:::bucket-a/key

# By endpoint id.
check_output "Allow $ept AllowBucketA" authz consumer --vpc-endpoint-id $ept \
    --action s3:GetObject --resource $res_a
check_output "ImplicitDeny $ept -" authz consumer --vpc-endpoint-id $ept \
    --action s3:GetObject --resource arn:aws:s3:::bucket-b/key
check_output "ImplicitDeny $ept -" authz consumer --vpc-endpoint-id $ept \
    --action s3:PutObject --resource $res_a

# Any authenticated caller may ask (the service's question, not the
# owner's).
check_output "Allow $ept AllowBucketA" authz third --vpc-endpoint-id $ept \
    --action s3:GetObject --resource $res_a \
    --principal-arn arn:aws:iam::333333333333:user/bob

# By VPC and source address: the associated subnet's table leads to the
# endpoint; the other subnet's (the main table) has no endpoint route.
check_output "Allow $ept AllowBucketA" authz provider --vpc-id $vpc \
    --source-ip 10.1.1.10 --action s3:GetObject --resource $res_a
check_output "ImplicitDeny $ept -" authz provider --vpc-id $vpc \
    --source-ip 10.1.1.10 --action s3:PutObject --resource $res_a
expect_error InvalidVpcEndpointId.NotFound plctl_as provider \
    authorize-endpoint-request --vpc-id $vpc --source-ip 10.1.2.10 \
    --action s3:GetObject --resource $res_a
expect_error InvalidVpcEndpointId.NotFound plctl_as provider \
    authorize-endpoint-request --vpc-id $vpc --source-ip 10.1.9.9 \
    --action s3:GetObject --resource $res_a
# By source address alone, as a service behind a gateway endpoint sees a
# request: the network interface with that address, its subnet's table,
# the endpoint of that table.  An address no interface has: no endpoint.
eni=$(q consumer ec2 create-network-interface --subnet-id $sub \
      --private-ip-address 10.1.1.10 --query NetworkInterface.NetworkInterfaceId)
check_output "Allow $ept AllowBucketA" authz provider \
    --source-ip 10.1.1.10 --action s3:GetObject --resource $res_a
check_output "ImplicitDeny $ept -" authz provider \
    --source-ip 10.1.1.10 --action s3:GetObject \
    --resource arn:aws:s3:::bucket-b/key
expect_error InvalidVpcEndpointId.NotFound plctl_as provider \
    authorize-endpoint-request --source-ip 10.1.1.11 \
    --action s3:GetObject --resource $res_a
# Another VPC with the same addresses and a gateway endpoint that denies
# everything: the address may be either, so both policies must allow
# (fail closed).
vpc2=$(q third ec2 create-vpc --cidr-block 10.1.0.0/16 --query Vpc.VpcId)
sub2=$(q third ec2 create-subnet --vpc-id $vpc2 --cidr-block 10.1.1.0/24 \
       --query Subnet.SubnetId)
main2=$(q third ec2 describe-route-tables --filters Name=vpc-id,Values=$vpc2 \
        --query 'RouteTables[0].RouteTableId')
deny_all='{"Statement":[{"Sid":"DenyAll","Effect":"Deny","Principal":"*","Action":"*","Resource":"*"}]}'
ept2=$(q third ec2 create-vpc-endpoint --vpc-id $vpc2 --service-name $s3 \
       --route-table-ids $main2 --policy-document "$deny_all" \
       --query VpcEndpoint.VpcEndpointId)
check aws_as third ec2 create-network-interface --subnet-id $sub2 \
    --private-ip-address 10.1.1.10
check_output "ExplicitDeny $ept2 DenyAll" authz provider \
    --source-ip 10.1.1.10 --action s3:GetObject --resource $res_a
check aws_as third ec2 delete-vpc-endpoints --vpc-endpoint-ids $ept2
check_output "Allow $ept AllowBucketA" authz provider \
    --source-ip 10.1.1.10 --action s3:GetObject --resource $res_a
check aws_as consumer ec2 delete-network-interface \
    --network-interface-id $eni
# The endpoint serves S3 only.
expect_error InvalidVpcEndpointId.NotFound plctl_as provider \
    authorize-endpoint-request --vpc-id $vpc --source-ip 10.1.1.10 \
    --action dynamodb:GetItem
# Once the other subnet's table (the main one) is added to the endpoint,
# it is served too.
main=$(q consumer ec2 describe-route-tables --filters Name=vpc-id,Values=$vpc \
       Name=association.main,Values=true --query 'RouteTables[0].RouteTableId')
check aws_as consumer ec2 modify-vpc-endpoint --vpc-endpoint-id $ept \
    --add-route-table-ids $main
check_output "Allow $ept AllowBucketA" authz provider --vpc-id $vpc \
    --source-ip 10.1.2.10 --action s3:GetObject --resource $res_a

# A Deny statement wins; the context has the endpoint, VPC and address.
deny='{"Statement":[{"Sid":"AllowBucketA","Effect":"Allow","Principal":"*","Action":"s3:*","Resource":"arn:aws:s3:::bucket-a/*"},{"Sid":"DenyPut","Effect":"Deny","Principal":"*","Action":"s3:PutObject","Resource":"*"},{"Sid":"DenyOutside","Effect":"Deny","Principal":"*","Action":"*","Resource":"*","Condition":{"NotIpAddress":{"aws:VpcSourceIp":"10.1.1.0/24"},"StringEquals":{"aws:sourceVpc":"'$vpc'","aws:sourceVpce":"'$ept'"}}}]}'
check aws_as consumer ec2 modify-vpc-endpoint --vpc-endpoint-id $ept \
    --policy-document "$deny"
check_output "ExplicitDeny $ept DenyPut" authz consumer --vpc-endpoint-id $ept \
    --action s3:PutObject --resource $res_a
check_output "Allow $ept AllowBucketA" authz consumer --vpc-id $vpc \
    --source-ip 10.1.1.10 --action s3:GetObject --resource $res_a
check_output "ExplicitDeny $ept DenyOutside" authz consumer --vpc-id $vpc \
    --source-ip 10.1.2.10 --action s3:GetObject --resource $res_a

# Account principals of a gateway endpoint's policy mean the root user
# only, as the guide says.
acct='{"Statement":[{"Effect":"Allow","Principal":{"AWS":"222222222222"},"Action":"*","Resource":"*"}]}'
check aws_as consumer ec2 modify-vpc-endpoint --vpc-endpoint-id $ept \
    --policy-document "$acct"
check_output "Allow $ept -" authz consumer --vpc-endpoint-id $ept \
    --action s3:GetObject --principal-arn arn:aws:iam::222222222222:root
check_output "ImplicitDeny $ept -" authz consumer --vpc-endpoint-id $ept \
    --action s3:GetObject --principal-arn arn:aws:iam::222222222222:user/u

# The default policy allows everything, anonymous callers too.
check aws_as consumer ec2 modify-vpc-endpoint --vpc-endpoint-id $ept \
    --reset-policy
check_output "Allow $ept -" authz consumer --vpc-endpoint-id $ept \
    --action s3:PutObject --resource arn:aws:s3:::any/key

# Bad requests.
expect_error MissingParameter plctl_as consumer authorize-endpoint-request \
    --vpc-endpoint-id $ept
expect_error MissingParameter plctl_as consumer authorize-endpoint-request \
    --vpc-id $vpc --action s3:GetObject
expect_error InvalidVpcEndpointId.NotFound plctl_as consumer \
    authorize-endpoint-request --vpc-endpoint-id vpce-0123456789abcdef0 \
    --action s3:GetObject
expect_error InvalidParameterValue plctl_as consumer \
    authorize-endpoint-request --vpc-id $vpc --source-ip 10.1.1 \
    --action s3:GetObject
expect_error InvalidVpcID.NotFound plctl_as consumer \
    authorize-endpoint-request --vpc-id vpc-0123456789abcdef0 \
    --source-ip 10.1.1.10 --action s3:GetObject

check_no_warnings "$LAB/central/plinkd.log"
api_lab_down
api_lab_check_valgrind
