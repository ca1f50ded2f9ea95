#!/bin/bash
# tests/system/api-vpc.sh: VPCs, their attributes, subnets, internet
# gateways and tags through the real AWS CLI, as AWS has them: a new VPC
# comes with its main route table and default security group, blocks are
# checked and canonicalized, deletes wait for dependencies, every error
# leaves the database unchanged, one account never sees or changes
# another's, filters, pagination and DryRun work, and plctl prints the
# same JSON as the AWS CLI.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/api-harness.bash"
test_init api-vpc
api_lab_up

# pl PROFILE ARGS...: plctl as PROFILE (setup at plctl's speed; the
# harness's pl, which evaluates an expression on the output, is not needed
# here).
pl() {
    local profile=$1
    shift
    plctl_as "$profile" "$@"
}

# ---------------------------------------------------------------- VPCs
# A VPC, with its tags, defaults and canonical block.
vpc=$(ec2 provider create-vpc --cidr-block 10.0.0.5/16 \
          --tag-specifications 'ResourceType=vpc,Tags=[{Key=Name,Value=prod},{Key=env,Value=test}]' \
          --query Vpc.VpcId)
[[ $vpc =~ ^vpc-[0-9a-f]{17}$ ]] || fail "bad VPC id '$vpc'"
check_output "10.0.0.0/16	available	False	default	default	associated	prod" \
    ec2 provider describe-vpcs --vpc-ids "$vpc" --query \
    'Vpcs[0].[CidrBlock,State,IsDefault,InstanceTenancy,DhcpOptionsId,CidrBlockAssociationSet[0].CidrBlockState.State,Tags[?Key==`Name`].Value|[0]]'
check_output "True" ec2 provider describe-vpc-attribute --vpc-id "$vpc" \
    --attribute enableDnsSupport --query EnableDnsSupport.Value
check_output "False" ec2 provider describe-vpc-attribute --vpc-id "$vpc" \
    --attribute enableDnsHostnames --query EnableDnsHostnames.Value

# Its main route table, with the local route, and its default group, with
# AWS's rules, came in the same transaction.
check_output "True	10.0.0.0/16	local	CreateRouteTable	active" \
    ec2 provider describe-route-tables --filters Name=vpc-id,Values="$vpc" \
    --query 'RouteTables[].[Associations[0].Main,Routes[0].DestinationCidrBlock,Routes[0].GatewayId,Routes[0].Origin,Routes[0].State]'
sg_default=$(ec2 provider describe-security-groups \
                 --filters Name=vpc-id,Values="$vpc" Name=group-name,Values=default \
                 --query 'SecurityGroups[0].GroupId')
check_output "default VPC security group	-1	$sg_default	-1	0.0.0.0/0" \
    ec2 provider describe-security-groups --group-ids "$sg_default" --query \
    'SecurityGroups[0].[Description,IpPermissions[0].IpProtocol,IpPermissions[0].UserIdGroupPairs[0].GroupId,IpPermissionsEgress[0].IpProtocol,IpPermissionsEgress[0].IpRanges[0].CidrIp]'

# Each VPC has its own GENEVE tunnel key; overlapping blocks are fine in
# different VPCs, and the tenancy is kept.
vpc2=$(pl provider create-vpc --cidr-block 10.0.0.0/16 --instance-tenancy dedicated \
           | jget 'd["Vpc"]["VpcId"]')
check_output "dedicated" ec2 provider describe-vpcs --vpc-ids "$vpc2" \
    --query 'Vpcs[0].InstanceTenancy'
keys=$(ovsdb-client -f csv --no-headings dump "$PL_DB" PrivateLink Vpc tunnel_key \
           | tail -n +2 | sort -u)
[ "$(echo "$keys" | wc -l)" = 2 ] || fail "tunnel keys not unique: $keys"
for k in $keys; do
    [ "$k" -ge 1 ] && [ "$k" -le 16777215 ] || fail "tunnel key $k"
done

# Bad requests change nothing.
check_unchanged expect_error InvalidVpc.Range \
    aws_as provider ec2 create-vpc --cidr-block 10.0.0.0/8
err InvalidVpc.Range provider create-vpc --cidr-block 10.0.0.0/29
err InvalidParameterValue provider create-vpc --cidr-block 10.0.0/16
err InvalidParameterValue provider create-vpc --cidr-block 10.2.0.0/16 --instance-tenancy host
check_unchanged expect_error InvalidParameterValue \
    aws_as provider ec2 create-vpc --cidr-block 10.2.0.0/16 \
    --tag-specifications 'ResourceType=subnet,Tags=[{Key=a,Value=b}]'
err MissingParameter provider create-vpc --instance-tenancy default
check_unchanged expect_error DryRunOperation \
    aws_as provider ec2 create-vpc --cidr-block 10.2.0.0/16 --dry-run
err DryRunOperation provider describe-vpcs --dry-run

# ---------------------------------------------------------- attributes
check aws_as provider ec2 modify-vpc-attribute --vpc-id "$vpc" --enable-dns-hostnames
check_output "True" ec2 provider describe-vpc-attribute --vpc-id "$vpc" \
    --attribute enableDnsHostnames --query EnableDnsHostnames.Value
check aws_as provider ec2 modify-vpc-attribute --vpc-id "$vpc" --no-enable-dns-support
check_output "False" ec2 provider describe-vpc-attribute --vpc-id "$vpc" \
    --attribute enableDnsSupport --query EnableDnsSupport.Value
check pl provider modify-vpc-attribute --vpc-id "$vpc" --enable-dns-support Value=true
check_output "True" ec2 provider describe-vpc-attribute --vpc-id "$vpc" \
    --attribute enableDnsSupport --query EnableDnsSupport.Value
# One attribute per call, as AWS has it.
check_unchanged expect_error InvalidParameterCombination \
    aws_as provider ec2 modify-vpc-attribute --vpc-id "$vpc" \
    --enable-dns-support --enable-dns-hostnames
err InvalidParameterValue provider describe-vpc-attribute --vpc-id "$vpc" --attribute dnsMagic
err InvalidVpcID.NotFound provider modify-vpc-attribute --vpc-id vpc-0123456789abcdef0 \
    --enable-dns-hostnames Value=true
err InvalidVpcID.Malformed provider describe-vpc-attribute --vpc-id igw-0123456789abcdef0 \
    --attribute enableDnsSupport

# ------------------------------------------------------------- subnets
s_a=$(ec2 provider create-subnet --vpc-id "$vpc" --cidr-block 10.0.1.0/24 \
          --tag-specifications 'ResourceType=subnet,Tags=[{Key=tier,Value=web}]' \
          --query Subnet.SubnetId)
check_output "us-east-1a	use1-az1	251	10.0.1.0/24	available	$vpc	False" \
    ec2 provider describe-subnets --subnet-ids "$s_a" --query \
    'Subnets[0].[AvailabilityZone,AvailabilityZoneId,AvailableIpAddressCount,CidrBlock,State,VpcId,DefaultForAz]'
s_b=$(pl provider create-subnet --vpc-id "$vpc" --cidr-block 10.0.2.0/28 \
          --availability-zone us-east-1b | jget 'd["Subnet"]["SubnetId"]')
s_c=$(pl provider create-subnet --vpc-id "$vpc" --cidr-block 10.0.3.5/24 \
          --availability-zone-id use1-az3 | jget 'd["Subnet"]["SubnetId"]')
check_output "$(printf 'us-east-1b\t11\t10.0.2.0/28\nus-east-1c\t251\t10.0.3.0/24')" \
    ec2 provider describe-subnets --subnet-ids "$s_b" "$s_c" \
    --query 'sort_by(Subnets, &CidrBlock)[].[AvailabilityZone,AvailableIpAddressCount,CidrBlock]'

# The block must lie in the VPC, be /16 to /28 and overlap no other subnet.
err InvalidSubnet.Range provider create-subnet --vpc-id "$vpc" --cidr-block 10.1.0.0/24
err InvalidSubnet.Range provider create-subnet --vpc-id "$vpc" --cidr-block 10.0.4.0/29
err InvalidSubnet.Conflict provider create-subnet --vpc-id "$vpc" --cidr-block 10.0.0.0/20
err InvalidParameterValue provider create-subnet --vpc-id "$vpc" --cidr-block 10.0.5.0/24 \
    --availability-zone us-east-1z
err InvalidVpcID.NotFound provider create-subnet --vpc-id vpc-0123456789abcdef0 --cidr-block 10.0.5.0/24
err DryRunOperation provider create-subnet --vpc-id "$vpc" --cidr-block 10.0.5.0/24 --dry-run

# Network interfaces use addresses; a subnet with one cannot be deleted.
eni=$(pl provider create-network-interface --subnet-id "$s_b" \
          | jget 'd["NetworkInterface"]["NetworkInterfaceId"]')
check_output "10" ec2 provider describe-subnets --subnet-ids "$s_b" \
    --query 'Subnets[0].AvailableIpAddressCount'
check_unchanged expect_error DependencyViolation \
    aws_as provider ec2 delete-subnet --subnet-id "$s_b"

# Filters, each alone and together.
check_output "$s_a" ec2 provider describe-subnets \
    --filters Name=tag:tier,Values=web --query 'Subnets[].SubnetId'
check_output "$s_a" ec2 provider describe-subnets \
    --filters Name=tag-key,Values=tier Name=vpc-id,Values="$vpc" --query 'Subnets[].SubnetId'
check_output "$s_b" ec2 provider describe-subnets \
    --filters Name=availability-zone,Values=us-east-1b --query 'Subnets[].SubnetId'
check_output "$s_c" ec2 provider describe-subnets \
    --filters Name=cidr-block,Values='10.0.3.*' --query 'Subnets[].SubnetId'
check_output "$s_b" ec2 provider describe-subnets \
    --filters Name=available-ip-address-count,Values=10 --query 'Subnets[].SubnetId'
err InvalidParameterValue provider describe-subnets --filters Name=flavor,Values=x

# Pagination: a page of at most 5, then the rest; the CLI's own paging
# returns everything once.
for i in 10 11 12 13; do
    pl provider create-subnet --vpc-id "$vpc" --cidr-block 10.0.$i.0/24 >/dev/null \
        || fail "create-subnet 10.0.$i.0/24"
done
all=$(ec2 provider describe-subnets --query 'Subnets[].SubnetId' | tr '\t' '\n' | sort)
[ "$(echo "$all" | wc -l)" = 7 ] || fail "7 subnets expected: $all"
aws_as provider ec2 describe-subnets --max-results 5 --no-paginate >"$TEST_DIR/page1" \
    || fail "first page"
[ "$(jget 'len(d["Subnets"])' <"$TEST_DIR/page1")" = 5 ] || fail "page of 5"
token=$(jget 'd["NextToken"]' <"$TEST_DIR/page1")
check_output "2	None" ec2 provider describe-subnets --max-results 5 \
    --next-token "$token" --query '[length(Subnets),NextToken]'
paged_ids() {
    aws_as provider ec2 describe-subnets --page-size 5 \
        | jget '"\n".join(sorted(s["SubnetId"] for s in d["Subnets"]))'
}
check_output "$all" paged_ids
err InvalidNextToken provider describe-subnets --max-results 5 --next-token bogus

# plctl prints what the AWS CLI prints.
same_json provider describe-subnets --subnet-ids "$s_a" "$s_b"
same_json provider describe-vpcs --vpc-ids "$vpc"

# ------------------------------------------------------- internet gateways
igw=$(ec2 provider create-internet-gateway \
          --tag-specifications 'ResourceType=internet-gateway,Tags=[{Key=Name,Value=gw}]' \
          --query InternetGateway.InternetGatewayId)
[[ $igw =~ ^igw-[0-9a-f]{17}$ ]] || fail "bad gateway id '$igw'"
check aws_as provider ec2 attach-internet-gateway --internet-gateway-id "$igw" --vpc-id "$vpc"
check_output "$vpc	available	gw" ec2 provider describe-internet-gateways \
    --filters Name=attachment.vpc-id,Values="$vpc" \
    --query 'InternetGateways[].[Attachments[0].VpcId,Attachments[0].State,Tags[0].Value]'
igw2=$(pl provider create-internet-gateway | jget 'd["InternetGateway"]["InternetGatewayId"]')
err Resource.AlreadyAssociated provider attach-internet-gateway --internet-gateway-id "$igw" --vpc-id "$vpc2"
err Resource.AlreadyAssociated provider attach-internet-gateway --internet-gateway-id "$igw2" --vpc-id "$vpc"
err Gateway.NotAttached provider detach-internet-gateway --internet-gateway-id "$igw" --vpc-id "$vpc2"
err DependencyViolation provider delete-internet-gateway --internet-gateway-id "$igw"
err InvalidInternetGatewayID.NotFound provider delete-internet-gateway --internet-gateway-id igw-0123456789abcdef0
err InvalidInternetGatewayId.Malformed provider describe-internet-gateways --internet-gateway-ids gw-1
check_output "$igw2" ec2 provider describe-internet-gateways \
    --filters Name=internet-gateway-id,Values="$igw2" --query 'InternetGateways[].InternetGatewayId'
same_json provider describe-internet-gateways --internet-gateway-ids "$igw" "$igw2"

# ----------------------------------------------------------------- tags
# Any of the caller's resources, an endpoint and a service included.
check pl consumer create-vpc --cidr-block 172.16.0.0/16
cvpc=$(jget 'd["Vpc"]["VpcId"]' <"$TEST_DIR/stdout")
crtb=$(pl consumer describe-route-tables | jget 'd["RouteTables"][0]["RouteTableId"]')
vpce=$(pl consumer create-vpc-endpoint --vpc-id "$cvpc" --vpc-endpoint-type Gateway \
           --service-name com.amazonaws.us-east-1.s3 --route-table-ids "$crtb" \
           | jget 'd["VpcEndpoint"]["VpcEndpointId"]')
[[ $vpce =~ ^vpce- ]] || fail "no gateway endpoint: $vpce"
svc=vpce-svc-0a1b2c3d4e5f60718
check ovsdb-client transact "$PL_DB" "[\"PrivateLink\",{\"op\":\"insert\",\"table\":\"Endpoint_Service\",\"row\":{
    \"service_id\":\"$svc\",\"service_name\":\"com.amazonaws.vpce.us-east-1.$svc\",
    \"owner_id\":\"111111111111\",\"service_types\":\"Interface\",\"service_state\":\"Available\",
    \"supported_ip_address_types\":\"ipv4\"}}]"
check aws_as provider ec2 create-tags --resources "$vpc" "$s_b" "$igw" "$eni" "$sg_default" "$svc" \
    --tags Key=team,Value=blue Key=empty
check aws_as consumer ec2 create-tags --resources "$vpce" "$crtb" --tags Key=team,Value=red
check_output "team	$s_b	subnet	blue" ec2 provider describe-tags \
    --filters Name=resource-id,Values="$s_b" Name=key,Values=team \
    --query 'Tags[].[Key,ResourceId,ResourceType,Value]'
check_output "$svc	vpc-endpoint-service" ec2 provider describe-tags \
    --filters Name=resource-type,Values=vpc-endpoint-service Name=key,Values=team \
    --query 'Tags[].[ResourceId,ResourceType]'
check_output "$vpce	vpc-endpoint	red" ec2 consumer describe-tags \
    --filters Name=resource-type,Values=vpc-endpoint --query 'Tags[].[ResourceId,ResourceType,Value]'
check_output "red" ec2 consumer describe-vpc-endpoints --vpc-endpoint-ids "$vpce" \
    --query 'VpcEndpoints[0].Tags[?Key==`team`].Value'
check_output "" ec2 provider describe-vpcs --vpc-ids "$vpc" \
    --query 'Vpcs[0].Tags[?Key==`empty`].Value'
# Tagging the other account's resources, or nothing, fails.
err InvalidVpcID.NotFound consumer create-tags --resources "$vpc" --tags Key=x,Value=y
err InvalidVpcEndpointId.NotFound provider create-tags --resources "$vpce" --tags Key=x,Value=y
err InvalidVpcEndpointServiceId.NotFound consumer delete-tags --resources "$svc"
err InvalidID provider create-tags --resources bogus-123 --tags Key=x,Value=y
err InvalidParameterValue provider create-tags --resources "$vpc" --tags Key=aws:x,Value=y
many=$(for i in $(seq 1 48); do printf 'Key=k%d,Value=v ' "$i"; done)
# shellcheck disable=SC2086
err TagLimitExceeded provider create-tags --resources "$vpc" --tags $many
err DryRunOperation provider create-tags --resources "$vpc" --tags Key=x,Value=y --dry-run
# DeleteTags: a key alone whatever the value, a key and value only if
# they match, no tags at all every tag.
check aws_as provider ec2 delete-tags --resources "$vpc" --tags Key=team,Value=green Key=env
check_output "Name=prod	empty=	team=blue" ec2 provider describe-tags \
    --filters Name=resource-id,Values="$vpc" --query 'Tags[].join(`=`, [Key, Value])'
check aws_as provider ec2 delete-tags --resources "$vpc" --tags Key=team,Value=blue
check aws_as provider ec2 delete-tags --resources "$s_b"
check_output "Name	empty" ec2 provider describe-tags \
    --filters Name=resource-id,Values="$vpc","$s_b" --query 'Tags[].Key'
# Paging through the tags.
for i in 1 2 3 4 5 6; do
    printf 'Key=p%d,Value=%d ' "$i" "$i"
done >"$TEST_DIR/ptags"
# shellcheck disable=SC2046
check aws_as provider ec2 create-tags --resources "$igw2" --tags $(cat "$TEST_DIR/ptags")
aws_as provider ec2 describe-tags --filters Name=resource-id,Values="$igw2" \
    --max-results 5 --no-paginate >"$TEST_DIR/tpage" || fail "tag page"
check_output "5" jget 'len(d["Tags"])' <"$TEST_DIR/tpage"
token=$(jget 'd["NextToken"]' <"$TEST_DIR/tpage")
check_output "p6	6	None" ec2 provider describe-tags \
    --filters Name=resource-id,Values="$igw2" --max-results 5 --next-token "$token" \
    --query '[Tags[0].Key,Tags[0].Value,NextToken]'
aws_as provider ec2 describe-tags --filters Name=resource-id,Values="$igw2" \
    --page-size 5 >"$TEST_DIR/tall" || fail "paged describe-tags"
check_output "6" jget 'len(d["Tags"])' <"$TEST_DIR/tall"
same_json provider describe-tags --filters Name=resource-id,Values="$igw2"

# -------------------------------------------------------- isolation
check_output "" ec2 consumer describe-vpcs --filters Name=cidr,Values=10.0.0.0/16 \
    --query 'Vpcs[].VpcId'
check_output "" ec2 consumer describe-subnets --query 'Subnets[].SubnetId'
check_output "" ec2 consumer describe-tags --filters Name=resource-id,Values="$vpc","$igw2" \
    --query 'Tags[].Key'
check_output "" ec2 consumer describe-internet-gateways --query 'InternetGateways[].InternetGatewayId'
err InvalidVpcID.NotFound consumer describe-vpcs --vpc-ids "$vpc"
err InvalidSubnetID.NotFound consumer describe-subnets --subnet-ids "$s_a"
err InvalidVpcID.NotFound consumer delete-vpc --vpc-id "$vpc"
err InvalidVpcID.NotFound consumer create-subnet --vpc-id "$vpc" --cidr-block 10.0.200.0/24
err InvalidVpcID.NotFound consumer modify-vpc-attribute --vpc-id "$vpc" \
    --enable-dns-support Value=false
err InvalidSubnetID.NotFound consumer delete-subnet --subnet-id "$s_a"
err InvalidInternetGatewayID.NotFound consumer attach-internet-gateway --internet-gateway-id "$igw2" --vpc-id "$cvpc"
err InvalidInternetGatewayID.NotFound consumer detach-internet-gateway --internet-gateway-id "$igw" --vpc-id "$vpc"

# ---------------------------------------------------- deleting VPCs
# Everything in the VPC must go first: a subnet, another security group,
# another route table, an attached gateway, an endpoint.
sg=$(pl provider create-security-group --vpc-id "$vpc2" --group-name extra \
         --description extra | jget 'd["GroupId"]')
err DependencyViolation provider delete-vpc --vpc-id "$vpc2"
check pl provider delete-security-group --group-id "$sg"
rtb=$(pl provider create-route-table --vpc-id "$vpc2" | jget 'd["RouteTable"]["RouteTableId"]')
err DependencyViolation provider delete-vpc --vpc-id "$vpc2"
check pl provider delete-route-table --route-table-id "$rtb"
check pl provider attach-internet-gateway --internet-gateway-id "$igw2" --vpc-id "$vpc2"
err DependencyViolation provider delete-vpc --vpc-id "$vpc2"
check pl provider detach-internet-gateway --internet-gateway-id "$igw2" --vpc-id "$vpc2"
err DependencyViolation consumer delete-vpc --vpc-id "$cvpc"
err DryRunOperation provider delete-vpc --vpc-id "$vpc2" --dry-run
check aws_as provider ec2 delete-vpc --vpc-id "$vpc2"
# Its main route table and default group went with it.
[ "$(db_count Vpc "[\"vpc_id\",\"==\",\"$vpc2\"]")" = 0 ] || fail "VPC left"
check_output "" ec2 provider describe-route-tables --filters Name=vpc-id,Values="$vpc2" \
    --query 'RouteTables[].RouteTableId'
check_output "" ec2 provider describe-security-groups --filters Name=vpc-id,Values="$vpc2" \
    --query 'SecurityGroups[].GroupId'

# The first VPC, emptied: the interface, the subnets, the gateway.
err DependencyViolation provider delete-vpc --vpc-id "$vpc"
check pl provider delete-network-interface --network-interface-id "$eni"
for s in $all; do
    check pl provider delete-subnet --subnet-id "$s"
done
check aws_as provider ec2 detach-internet-gateway --internet-gateway-id "$igw" --vpc-id "$vpc"
check aws_as provider ec2 delete-internet-gateway --internet-gateway-id "$igw"
check aws_as provider ec2 delete-vpc --vpc-id "$vpc"
for t in Vpc Subnet Route_Table Security_Group Network_Interface; do
    [ "$(db_count $t "[\"owner_id\",\"==\",\"111111111111\"]")" = 0 ] \
        || fail "$t rows left"
done
err InvalidVpcID.NotFound provider delete-vpc --vpc-id "$vpc"
