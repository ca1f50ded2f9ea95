#!/bin/bash
# tests/system/api-vpc-routes.sh: route tables, their subnet and edge
# (internet gateway) associations, and routes, through the real AWS CLI:
# targets (internet gateway, network interface, Gateway Load Balancer
# endpoint), routes more specific than the local route for middleboxes,
# the local route and gateway endpoint routes that the route operations
# may not touch, blackhole routes when a target goes away, every error
# with the database unchanged, isolation between accounts, filters,
# pagination, DryRun, and plctl printing what the AWS CLI prints.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/api-harness.bash"
test_init api-vpc-routes
api_lab_up

# routes RTB: the routes of route table RTB, one a line: destination,
# target, origin, state.
routes() {
    ec2 provider describe-route-tables --route-table-ids "$1" --query \
        'RouteTables[0].Routes[].[DestinationCidrBlock||DestinationPrefixListId,GatewayId||NetworkInterfaceId||`-`,Origin,State]'
}

# fake_gwlb_endpoint PROFILE VPC STATE: inserts a Gateway Load Balancer
# endpoint of PROFILE's account into VPC, as the endpoint area would make
# it, and prints its id.
fake_gwlb_endpoint() {
    local account=$1 vpc=$2 state=$3 id uuid
    id=vpce-$(/usr/bin/python3 -c 'import secrets; print(secrets.token_hex(9)[:17])')
    uuid=$(ovsdb-client -f csv --no-headings dump "$PL_DB" PrivateLink Vpc _uuid vpc_id \
               | grep "$vpc" | cut -d, -f1)
    ovsdb-client transact "$PL_DB" "[\"PrivateLink\",{\"op\":\"insert\",\"table\":\"Vpc_Endpoint\",\"row\":{
        \"vpc_endpoint_id\":\"$id\",\"vpc_endpoint_type\":\"GatewayLoadBalancer\",
        \"owner_id\":\"$account\",\"vpc\":[\"uuid\",\"$uuid\"],
        \"service_name\":\"com.amazonaws.vpce.us-east-1.vpce-svc-0123456789abcdef0\",
        \"state\":\"$state\"}}]" >/dev/null || return 1
    echo "$id"
}

# --------------------------------------------------------------- setup
vpc=$(pl provider create-vpc --cidr-block 10.0.0.0/16 'd["Vpc"]["VpcId"]')
vpc_b=$(pl provider create-vpc --cidr-block 10.9.0.0/16 'd["Vpc"]["VpcId"]')
s_a=$(pl provider create-subnet --vpc-id "$vpc" --cidr-block 10.0.1.0/24 'd["Subnet"]["SubnetId"]')
s_b=$(pl provider create-subnet --vpc-id "$vpc" --cidr-block 10.0.2.0/24 'd["Subnet"]["SubnetId"]')
s_other=$(pl provider create-subnet --vpc-id "$vpc_b" --cidr-block 10.9.1.0/24 'd["Subnet"]["SubnetId"]')
eni=$(pl provider create-network-interface --subnet-id "$s_a" \
          'd["NetworkInterface"]["NetworkInterfaceId"]')
eni_other=$(pl provider create-network-interface --subnet-id "$s_other" \
                'd["NetworkInterface"]["NetworkInterfaceId"]')
igw=$(pl provider create-internet-gateway 'd["InternetGateway"]["InternetGatewayId"]')
igw_loose=$(pl provider create-internet-gateway 'd["InternetGateway"]["InternetGatewayId"]')
check plctl_as provider attach-internet-gateway --internet-gateway-id "$igw" --vpc-id "$vpc"
main=$(pl provider describe-route-tables --filters Name=vpc-id,Values="$vpc" \
          Name=association.main,Values=true 'd["RouteTables"][0]["RouteTableId"]')

# ----------------------------------------------------------- route tables
rtb=$(ec2 provider create-route-table --vpc-id "$vpc" \
          --tag-specifications 'ResourceType=route-table,Tags=[{Key=Name,Value=public}]' \
          --query RouteTable.RouteTableId)
[[ $rtb =~ ^rtb-[0-9a-f]{17}$ ]] || fail "bad route table id '$rtb'"
check_output "$vpc	111111111111	0	public" ec2 provider describe-route-tables \
    --route-table-ids "$rtb" \
    --query 'RouteTables[0].[VpcId,OwnerId,length(Associations),Tags[0].Value]'
check_output "10.0.0.0/16	local	CreateRouteTable	active" routes "$rtb"
aerr InvalidVpcID.NotFound provider create-route-table --vpc-id vpc-0123456789abcdef0
err DryRunOperation provider create-route-table --vpc-id "$vpc" --dry-run

# ----------------------------------------------------------------- routes
check aws_as provider ec2 create-route --route-table-id "$rtb" \
    --destination-cidr-block 0.0.0.0/0 --gateway-id "$igw"
# Inside the VPC's block, a middlebox route to a network interface; the
# block is canonicalized.
check aws_as provider ec2 create-route --route-table-id "$rtb" \
    --destination-cidr-block 10.0.2.9/24 --network-interface-id "$eni"
check_output "10.0.0.0/16	local	CreateRouteTable	active
0.0.0.0/0	$igw	CreateRoute	active
10.0.2.0/24	$eni	CreateRoute	active" routes "$rtb"

aerr RouteAlreadyExists provider create-route --route-table-id "$rtb" \
    --destination-cidr-block 0.0.0.0/0 --gateway-id "$igw"
err RouteAlreadyExists provider create-route --route-table-id "$rtb" \
    --destination-cidr-block 10.0.0.0/16 --network-interface-id "$eni"
aerr InvalidParameterValue provider create-route --route-table-id "$rtb" \
    --destination-cidr-block 10.0.1.0/24 --gateway-id "$igw"
err InvalidParameterValue provider create-route --route-table-id "$rtb" \
    --destination-cidr-block 192.168.0.0/16 --gateway-id "$igw_loose"
err InvalidParameterValue provider create-route --route-table-id "$rtb" \
    --destination-cidr-block 192.168.0.0/16 --network-interface-id "$eni_other"
err InvalidGatewayID.NotFound provider create-route --route-table-id "$rtb" \
    --destination-cidr-block 192.168.0.0/16 --gateway-id igw-0123456789abcdef0
err InvalidNetworkInterfaceID.NotFound provider create-route --route-table-id "$rtb" \
    --destination-cidr-block 192.168.0.0/16 --network-interface-id eni-0123456789abcdef0
err InvalidNatGatewayID.NotFound provider create-route --route-table-id "$rtb" \
    --destination-cidr-block 192.168.0.0/16 --nat-gateway-id nat-0123456789abcdef0
err MissingParameter provider create-route --route-table-id "$rtb" \
    --destination-cidr-block 192.168.0.0/16
err MissingParameter provider create-route --route-table-id "$rtb" --gateway-id "$igw"
err InvalidParameterCombination provider create-route --route-table-id "$rtb" \
    --destination-cidr-block 192.168.0.0/16 --gateway-id "$igw" --network-interface-id "$eni"
err InvalidParameterValue provider create-route --route-table-id "$rtb" \
    --destination-cidr-block 192.168.0.0/33 --gateway-id "$igw"
err InvalidRouteTableID.NotFound provider create-route --route-table-id rtb-0123456789abcdef0 \
    --destination-cidr-block 192.168.0.0/16 --gateway-id "$igw"
err InvalidRouteTableId.Malformed provider create-route --route-table-id table-1 \
    --destination-cidr-block 192.168.0.0/16 --gateway-id "$igw"
aerr DryRunOperation provider create-route --route-table-id "$rtb" \
    --destination-cidr-block 192.168.0.0/16 --gateway-id "$igw" --dry-run

# ReplaceRoute changes the target of an existing route, never the local
# route's (LocalTarget only restores it).
check aws_as provider ec2 replace-route --route-table-id "$rtb" \
    --destination-cidr-block 0.0.0.0/0 --network-interface-id "$eni"
check aws_as provider ec2 replace-route --route-table-id "$rtb" \
    --destination-cidr-block 10.0.0.0/16 --local-target
check_output "10.0.0.0/16	local	CreateRouteTable	active
0.0.0.0/0	$eni	CreateRoute	active
10.0.2.0/24	$eni	CreateRoute	active" routes "$rtb"
aerr InvalidParameterValue provider replace-route --route-table-id "$rtb" \
    --destination-cidr-block 172.16.0.0/12 --gateway-id "$igw"
err InvalidParameterValue provider replace-route --route-table-id "$rtb" \
    --destination-cidr-block 10.0.0.0/16 --network-interface-id "$eni"
err InvalidParameterValue provider replace-route --route-table-id "$rtb" \
    --destination-cidr-block 0.0.0.0/0 --local-target
err InvalidParameterValue provider replace-route --route-table-id "$rtb" \
    --destination-cidr-block 10.0.2.0/24 --gateway-id "$igw"
check plctl_as provider replace-route --route-table-id "$rtb" \
    --destination-cidr-block 0.0.0.0/0 --gateway-id "$igw"

# DeleteRoute: not the local route, not a route that is not there.
aerr InvalidRoute.NotFound provider delete-route --route-table-id "$rtb" \
    --destination-cidr-block 172.16.0.0/12
err InvalidParameterValue provider delete-route --route-table-id "$rtb" \
    --destination-cidr-block 10.0.0.0/16
err DryRunOperation provider delete-route --route-table-id "$rtb" \
    --destination-cidr-block 10.0.2.0/24 --dry-run
check aws_as provider ec2 delete-route --route-table-id "$rtb" --destination-cidr-block 10.0.2.0/24

# A route whose target goes away is a blackhole route, and comes back
# with its gateway.
check plctl_as provider create-route --route-table-id "$rtb" \
    --destination-cidr-block 172.16.0.0/12 --network-interface-id "$eni"
check plctl_as provider detach-internet-gateway --internet-gateway-id "$igw" --vpc-id "$vpc"
check_output "0.0.0.0/0	$igw	blackhole" ec2 provider describe-route-tables \
    --filters Name=route.state,Values=blackhole --query \
    'RouteTables[].Routes[?State==`blackhole`][].[DestinationCidrBlock,GatewayId,State]'
check plctl_as provider attach-internet-gateway --internet-gateway-id "$igw" --vpc-id "$vpc"
check plctl_as provider delete-network-interface --network-interface-id "$eni"
check_output "10.0.0.0/16	local	CreateRouteTable	active
0.0.0.0/0	$igw	CreateRoute	active
172.16.0.0/12	-	CreateRoute	blackhole" routes "$rtb"
check plctl_as provider delete-route --route-table-id "$rtb" --destination-cidr-block 172.16.0.0/12
eni=$(pl provider create-network-interface --subnet-id "$s_a" \
          'd["NetworkInterface"]["NetworkInterfaceId"]')

# Gateway Load Balancer endpoints are route targets, even inside the
# VPC's block; the route names the endpoint in GatewayId.  Other
# endpoint types are not.
gwlbe=$(fake_gwlb_endpoint 111111111111 "$vpc" available) || fail "GWLB endpoint"
gwlbe_b=$(fake_gwlb_endpoint 111111111111 "$vpc_b" available) || fail "GWLB endpoint"
check aws_as provider ec2 create-route --route-table-id "$rtb" \
    --destination-cidr-block 10.0.1.0/24 --vpc-endpoint-id "$gwlbe"
check_output "10.0.1.0/24	$gwlbe	CreateRoute	active" ec2 provider describe-route-tables \
    --filters Name=route.vpc-endpoint-id,Values="$gwlbe" --query \
    'RouteTables[].Routes[?GatewayId==`'"$gwlbe"'`][].[DestinationCidrBlock,GatewayId,Origin,State]'
err InvalidParameterValue provider create-route --route-table-id "$rtb" \
    --destination-cidr-block 192.168.0.0/16 --vpc-endpoint-id "$gwlbe_b"
err InvalidVpcEndpointId.NotFound provider create-route --route-table-id "$rtb" \
    --destination-cidr-block 192.168.0.0/16 --vpc-endpoint-id vpce-0123456789abcdef0
check ovsdb-client transact "$PL_DB" "[\"PrivateLink\",{\"op\":\"update\",\"table\":\"Vpc_Endpoint\",
    \"where\":[[\"vpc_endpoint_id\",\"==\",\"$gwlbe\"]],\"row\":{\"state\":\"rejected\"}}]"
check_output "blackhole" ec2 provider describe-route-tables --route-table-ids "$rtb" \
    --query 'RouteTables[0].Routes[?GatewayId==`'"$gwlbe"'`].State'
check plctl_as provider delete-route --route-table-id "$rtb" --destination-cidr-block 10.0.1.0/24

# ---------------------------------------------------------- associations
assoc=$(ec2 provider associate-route-table --route-table-id "$rtb" --subnet-id "$s_a" \
            --query AssociationId)
[[ $assoc =~ ^rtbassoc-[0-9a-f]{17}$ ]] || fail "bad association id '$assoc'"
check_output "$assoc	False	$s_a	associated" ec2 provider describe-route-tables \
    --filters Name=association.subnet-id,Values="$s_a" --query \
    'RouteTables[].Associations[].[RouteTableAssociationId,Main,SubnetId,AssociationState.State]'
check_output "$main" ec2 provider describe-route-tables \
    --filters Name=association.main,Values=true Name=vpc-id,Values="$vpc" \
    --query 'RouteTables[].RouteTableId'
aerr Resource.AlreadyAssociated provider associate-route-table --route-table-id "$main" \
    --subnet-id "$s_a"
err InvalidParameterValue provider associate-route-table --route-table-id "$rtb" \
    --subnet-id "$s_other"
err InvalidParameterCombination provider associate-route-table --route-table-id "$rtb" \
    --subnet-id "$s_b" --gateway-id "$igw"
err MissingParameter provider associate-route-table --route-table-id "$rtb"
err InvalidSubnetID.NotFound provider associate-route-table --route-table-id "$rtb" \
    --subnet-id subnet-0123456789abcdef0
aerr DependencyViolation provider delete-route-table --route-table-id "$rtb"
err DependencyViolation provider delete-route-table --route-table-id "$main"
main_assoc=$(ec2 provider describe-route-tables --route-table-ids "$main" \
                 --query 'RouteTables[0].Associations[0].RouteTableAssociationId')
err InvalidParameterValue provider disassociate-route-table --association-id "$main_assoc"
err DryRunOperation provider disassociate-route-table --association-id "$assoc" --dry-run
check aws_as provider ec2 disassociate-route-table --association-id "$assoc"
aerr InvalidAssociationID.NotFound provider disassociate-route-table --association-id "$assoc"
# Deleting a subnet removes its association.
check plctl_as provider associate-route-table --route-table-id "$rtb" --subnet-id "$s_b"
check plctl_as provider delete-subnet --subnet-id "$s_b"
check_output "0" ec2 provider describe-route-tables --route-table-ids "$rtb" \
    --query 'length(RouteTables[0].Associations)'

# Edge association: a table that routes what enters the VPC through the
# internet gateway, here through a middlebox interface.
edge=$(pl provider create-route-table --vpc-id "$vpc" 'd["RouteTable"]["RouteTableId"]')
check plctl_as provider create-route --route-table-id "$edge" \
    --destination-cidr-block 10.0.1.0/24 --network-interface-id "$eni"
edge_assoc=$(ec2 provider associate-route-table --route-table-id "$edge" --gateway-id "$igw" \
                 --query AssociationId)
check_output "$edge_assoc	$igw	None" ec2 provider describe-route-tables \
    --filters Name=association.gateway-id,Values="$igw" \
    --query 'RouteTables[].Associations[].[RouteTableAssociationId,GatewayId,SubnetId]'
err Resource.AlreadyAssociated provider associate-route-table --route-table-id "$rtb" \
    --gateway-id "$igw"
err InvalidParameterValue provider associate-route-table --route-table-id "$rtb" \
    --gateway-id "$igw_loose"
err InvalidGatewayID.NotFound provider associate-route-table --route-table-id "$rtb" \
    --gateway-id vgw-0123456789abcdef0
err DependencyViolation provider detach-internet-gateway --internet-gateway-id "$igw" \
    --vpc-id "$vpc"
check plctl_as provider disassociate-route-table --association-id "$edge_assoc"

# ----------------------------------------------- gateway endpoint routes
# The consumer's gateway endpoint to S3 adds its route to the table; the
# route operations cannot change it.
cvpc=$(pl consumer create-vpc --cidr-block 172.16.0.0/16 'd["Vpc"]["VpcId"]')
crtb=$(pl consumer describe-route-tables 'd["RouteTables"][0]["RouteTableId"]')
cigw=$(pl consumer create-internet-gateway 'd["InternetGateway"]["InternetGatewayId"]')
check plctl_as consumer attach-internet-gateway --internet-gateway-id "$cigw" --vpc-id "$cvpc"
vpce=$(pl consumer create-vpc-endpoint --vpc-id "$cvpc" --vpc-endpoint-type Gateway \
           --service-name com.amazonaws.us-east-1.s3 --route-table-ids "$crtb" \
           'd["VpcEndpoint"]["VpcEndpointId"]')
pl_s3=$(pl consumer describe-prefix-lists \
           --filters Name=prefix-list-name,Values=com.amazonaws.us-east-1.s3 \
           'd["PrefixLists"][0]["PrefixListId"]')
check_output "$pl_s3	$vpce	CreateRouteTable	active" ec2 consumer describe-route-tables \
    --filters Name=route.destination-prefix-list-id,Values="$pl_s3" \
    Name=route.gateway-id,Values="$vpce" \
    --query 'RouteTables[].Routes[?DestinationPrefixListId].[DestinationPrefixListId,GatewayId,Origin,State][]'
aerr InvalidParameterValue consumer delete-route --route-table-id "$crtb" \
    --destination-prefix-list-id "$pl_s3"
err InvalidParameterValue consumer replace-route --route-table-id "$crtb" \
    --destination-prefix-list-id "$pl_s3" --gateway-id "$cigw"
err InvalidParameterValue consumer create-route --route-table-id "$crtb" \
    --destination-prefix-list-id "$pl_s3" --gateway-id "$cigw"
err InvalidParameterValue consumer create-route --route-table-id "$crtb" \
    --destination-cidr-block 0.0.0.0/0 --vpc-endpoint-id "$vpce"
# A more specific user route to part of the service's range is allowed.
check aws_as consumer ec2 create-route --route-table-id "$crtb" \
    --destination-cidr-block 54.231.0.0/24 --gateway-id "$cigw"
same_json consumer describe-route-tables --route-table-ids "$crtb"

# --------------------------------------------------------------- isolation
check_output "" ec2 consumer describe-route-tables --filters Name=vpc-id,Values="$vpc" \
    --query 'RouteTables[].RouteTableId'
err InvalidRouteTableID.NotFound consumer describe-route-tables --route-table-ids "$rtb"
aerr InvalidRouteTableID.NotFound consumer create-route --route-table-id "$rtb" \
    --destination-cidr-block 192.168.0.0/16 --gateway-id "$cigw"
err InvalidRouteTableID.NotFound consumer delete-route --route-table-id "$rtb" \
    --destination-cidr-block 0.0.0.0/0
err InvalidRouteTableID.NotFound consumer associate-route-table --route-table-id "$rtb" \
    --subnet-id "$s_a"
err InvalidRouteTableID.NotFound consumer delete-route-table --route-table-id "$rtb"
err InvalidAssociationID.NotFound consumer disassociate-route-table --association-id "$main_assoc"
err InvalidGatewayID.NotFound consumer create-route --route-table-id "$crtb" \
    --destination-cidr-block 192.168.0.0/16 --gateway-id "$igw"
err InvalidNetworkInterfaceID.NotFound consumer create-route --route-table-id "$crtb" \
    --destination-cidr-block 192.168.0.0/16 --network-interface-id "$eni"

# ------------------------------------------------- filters and pagination
check_output "$rtb" ec2 provider describe-route-tables \
    --filters Name=tag:Name,Values=pub* Name=route.gateway-id,Values="$igw" \
    --query 'RouteTables[].RouteTableId'
check_output "$edge" ec2 provider describe-route-tables \
    --filters Name=route.destination-cidr-block,Values=10.0.1.0/24 \
    --query 'RouteTables[].RouteTableId'
err InvalidParameterValue provider describe-route-tables --filters Name=route.color,Values=red
for i in 1 2 3 4; do
    check plctl_as provider create-route-table --vpc-id "$vpc_b"
done
n_all=$(ec2 provider describe-route-tables --query 'length(RouteTables)')
[ "$n_all" = 8 ] || fail "8 route tables expected, not $n_all"
aws_as provider ec2 describe-route-tables --max-results 5 --no-paginate >"$TEST_DIR/page" \
    || fail "page of route tables"
check_output "5" jget 'len(d["RouteTables"])' <"$TEST_DIR/page"
token=$(jget 'd["NextToken"]' <"$TEST_DIR/page")
check_output "3	None" ec2 provider describe-route-tables --max-results 5 \
    --next-token "$token" --query '[length(RouteTables),NextToken]'
aws_as provider ec2 describe-route-tables --page-size 5 >"$TEST_DIR/all" \
    || fail "paged route tables"
check_output "8" jget 'len(d["RouteTables"])' <"$TEST_DIR/all"
# More than DescribeRouteTables' maximum of 100 is 100.
check_output "8" pl provider describe-route-tables --max-results 1000 'len(d["RouteTables"])'
err InvalidParameterValue provider describe-route-tables --max-results 2
same_json provider describe-route-tables --route-table-ids "$rtb" "$main"

# ----------------------------------------------------------------- delete
check aws_as provider ec2 delete-route-table --route-table-id "$rtb"
aerr InvalidRouteTableID.NotFound provider delete-route-table --route-table-id "$rtb"
check plctl_as provider delete-route-table --route-table-id "$edge"
check_output "$main" ec2 provider describe-route-tables \
    --filters Name=vpc-id,Values="$vpc" --query 'RouteTables[].RouteTableId'
