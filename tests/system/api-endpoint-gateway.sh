# Gateway endpoints to S3 through the real AWS CLI: available at once, a
# route per route table to the service's AWS-managed prefix list as AWS
# shows it in DescribeRouteTables, routes that the route operations may not
# touch, one gateway endpoint per service per route table, route tables
# added and removed with ModifyVpcEndpoint, the routes gone with the
# endpoint; and the rules for the other endpoint types' parameters.
source tests/lib.sh
source tests/system/api-harness.bash
test_init api-endpoint-gateway
api_lab_up

q() { aws_text "$@"; }
s3=com.amazonaws.us-east-1.s3

# The AWS-managed prefix list of S3.
pl=$(q consumer ec2 describe-prefix-lists --filters Name=prefix-list-name,Values=$s3 \
     --query 'PrefixLists[0].PrefixListId')
check_output pl-63a5400a echo "$pl"
check_output "Gateway Interface" q consumer ec2 describe-vpc-endpoint-services \
    --service-names $s3 --query 'ServiceDetails[0].ServiceType[].ServiceType'

vpc=$(q consumer ec2 create-vpc --cidr-block 10.1.0.0/16 --query Vpc.VpcId)
rtb1=$(q consumer ec2 create-route-table --vpc-id $vpc --query RouteTable.RouteTableId)
rtb2=$(q consumer ec2 create-route-table --vpc-id $vpc --query RouteTable.RouteTableId)
sub=$(q consumer ec2 create-subnet --vpc-id $vpc --cidr-block 10.1.1.0/24 \
      --query Subnet.SubnetId)

# The other types' parameters are refused on a gateway endpoint.
check_unchanged expect_error InvalidParameter aws_as consumer ec2 \
    create-vpc-endpoint --vpc-id $vpc --service-name $s3 --subnet-ids $sub
check_unchanged expect_error InvalidVpcEndpointType aws_as consumer ec2 \
    create-vpc-endpoint --vpc-id $vpc --vpc-endpoint-type Gateway \
    --service-name com.amazonaws.us-east-1.sts --route-table-ids $rtb1
check_unchanged expect_error InvalidServiceName aws_as consumer ec2 \
    create-vpc-endpoint --vpc-id $vpc --service-name com.amazonaws.us-east-1.nope

# No --vpc-endpoint-type: a gateway endpoint, available at once, with the
# default full-access policy.
ept=$(q consumer ec2 create-vpc-endpoint --vpc-id $vpc --service-name $s3 \
      --route-table-ids $rtb1 --query VpcEndpoint.VpcEndpointId)
check_output "Gateway available $rtb1 0" q consumer ec2 describe-vpc-endpoints \
    --vpc-endpoint-ids $ept --query \
    'VpcEndpoints[0].[VpcEndpointType,State,RouteTableIds[0],length(SubnetIds)]'
check_grep '"Version":"2008-10-17"' q consumer ec2 describe-vpc-endpoints \
    --vpc-endpoint-ids $ept --query 'VpcEndpoints[0].PolicyDocument'

# The route, as AWS shows it.
check_output "$pl $ept CreateRouteTable active" q consumer ec2 describe-route-tables \
    --route-table-ids $rtb1 --query \
    "RouteTables[0].Routes[?DestinationPrefixListId=='$pl'].[DestinationPrefixListId,GatewayId,Origin,State]"
check_output "$rtb1" q consumer ec2 describe-route-tables \
    --filters Name=route.destination-prefix-list-id,Values=$pl \
    --query 'RouteTables[].RouteTableId'

# Users cannot touch the endpoint's route, and a second endpoint to S3
# cannot share the table.
expect_error InvalidParameterValue aws_as consumer ec2 delete-route \
    --route-table-id $rtb1 --destination-prefix-list-id $pl
check_unchanged expect_error RouteAlreadyExists aws_as consumer ec2 \
    create-vpc-endpoint --vpc-id $vpc --service-name $s3 --route-table-ids $rtb1

# ModifyVpcEndpoint moves the route from one table to the other.
check_output True q consumer ec2 modify-vpc-endpoint --vpc-endpoint-id $ept \
    --add-route-table-ids $rtb2 --remove-route-table-ids $rtb1 --query Return
check_output "0" q consumer ec2 describe-route-tables --route-table-ids $rtb1 \
    --query "length(RouteTables[0].Routes[?GatewayId=='$ept'])"
check_output "1" q consumer ec2 describe-route-tables --route-table-ids $rtb2 \
    --query "length(RouteTables[0].Routes[?GatewayId=='$ept'])"
check_unchanged expect_error InvalidParameter aws_as consumer ec2 \
    modify-vpc-endpoint --vpc-endpoint-id $ept --add-subnet-ids $sub

# Policies: a valid one replaces the default, --reset-policy restores it,
# bad ones are refused and change nothing.
policy='{"Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::bucket-a/*"}]}'
check aws_as consumer ec2 modify-vpc-endpoint --vpc-endpoint-id $ept \
    --policy-document "$policy"
check_grep 'bucket-a' q consumer ec2 describe-vpc-endpoints \
    --vpc-endpoint-ids $ept --query 'VpcEndpoints[0].PolicyDocument'
for bad in '{"Statement":' '{"Statement":[{"Effect":"Perhaps","Principal":"*","Action":"*","Resource":"*"}]}' \
           '{"Version":"2012-10-17"}'; do
    check_unchanged expect_error InvalidPolicyDocument aws_as consumer ec2 \
        modify-vpc-endpoint --vpc-endpoint-id $ept --policy-document "$bad"
done
check aws_as consumer ec2 modify-vpc-endpoint --vpc-endpoint-id $ept --reset-policy
check_grep '"Version":"2008-10-17"' q consumer ec2 describe-vpc-endpoints \
    --vpc-endpoint-ids $ept --query 'VpcEndpoints[0].PolicyDocument'

# The provider account sees nothing of it.
check_output 0 q provider ec2 describe-vpc-endpoints --query 'length(VpcEndpoints)'
check_output InvalidVpcEndpoint.NotFound q provider ec2 delete-vpc-endpoints \
    --vpc-endpoint-ids $ept --query 'Unsuccessful[0].Error.Code'

# Deleting the endpoint takes its route with it.
check_output 0 q consumer ec2 delete-vpc-endpoints --vpc-endpoint-ids $ept \
    --query 'length(Unsuccessful)'
check_output 0 q consumer ec2 describe-route-tables --route-table-ids $rtb2 \
    --query "length(RouteTables[0].Routes[?GatewayId=='$ept'])"

# Quota: gateway endpoints per region, configurable.
check set_global_option gateway_endpoints_per_region 1
check aws_as consumer ec2 create-vpc-endpoint --vpc-id $vpc --service-name $s3 \
    --route-table-ids $rtb1
check_unchanged expect_error VpcEndpointLimitExceeded aws_as consumer ec2 \
    create-vpc-endpoint --vpc-id $vpc --service-name com.amazonaws.us-east-1.dynamodb \
    --route-table-ids $rtb2

check_no_warnings "$LAB/central/plinkd.log"
