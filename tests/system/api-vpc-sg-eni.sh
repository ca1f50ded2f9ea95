#!/bin/bash
# tests/system/api-vpc-sg-eni.sh: security groups and their rules,
# network interfaces and prefix lists through the real AWS CLI: rules
# gathered into IpPermissions as AWS shows them, protocols and blocks
# canonicalized, duplicates and missing rules refused, groups in use
# (by interfaces, endpoints, other groups' rules) kept, requester-managed
# interfaces shown but not deletable, AWS-managed prefix lists readable by
# everyone, every error with the database unchanged, isolation between
# accounts, filters, pagination, DryRun, and plctl printing what the AWS
# CLI prints.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/api-harness.bash"
test_init api-vpc-sg-eni
api_lab_up

# uuid TABLE ID_COLUMN ID: the row UUID of the row of TABLE with ID.
uuid() {
    ovsdb-client -f csv --no-headings dump "$PL_DB" PrivateLink "$1" _uuid "$2" \
        | grep "$3" | cut -d, -f1
}

# insert TABLE ROW: inserts ROW (JSON) into TABLE, as another area of
# plinkd (endpoints, the service catalog) would.
insert() {
    check ovsdb-client transact "$PL_DB" \
        "[\"PrivateLink\",{\"op\":\"insert\",\"table\":\"$1\",\"row\":$2}]"
}

# --------------------------------------------------------------- setup
vpc=$(pl provider create-vpc --cidr-block 10.0.0.0/16 'd["Vpc"]["VpcId"]')
vpc_b=$(pl provider create-vpc --cidr-block 10.9.0.0/16 'd["Vpc"]["VpcId"]')
subnet=$(pl provider create-subnet --vpc-id "$vpc" --cidr-block 10.0.1.0/24 \
             'd["Subnet"]["SubnetId"]')
subnet_b=$(pl provider create-subnet --vpc-id "$vpc_b" --cidr-block 10.9.1.0/24 \
               'd["Subnet"]["SubnetId"]')
default=$(pl provider describe-security-groups --filters Name=vpc-id,Values="$vpc" \
              Name=group-name,Values=default 'd["SecurityGroups"][0]["GroupId"]')
pl_s3=pl-63a5400a
pl_ddb=pl-02cd2c6b

# ----------------------------------------------------------- groups
web=$(ec2 provider create-security-group --vpc-id "$vpc" --group-name web \
          --description "web servers" \
          --tag-specifications 'ResourceType=security-group,Tags=[{Key=Name,Value=web}]' \
          --query GroupId)
[[ $web =~ ^sg-[0-9a-f]{17}$ ]] || fail "bad group id '$web'"
check_output "web	web servers	$vpc	111111111111	0	-1	0.0.0.0/0	web" \
    ec2 provider describe-security-groups --group-ids "$web" --query \
    'SecurityGroups[0].[GroupName,Description,VpcId,OwnerId,length(IpPermissions),IpPermissionsEgress[0].IpProtocol,IpPermissionsEgress[0].IpRanges[0].CidrIp,Tags[0].Value]'
db=$(pl provider create-security-group --vpc-id "$vpc" --group-name db \
         --description "databases" 'd["GroupId"]')
other=$(pl provider create-security-group --vpc-id "$vpc_b" --group-name web \
            --description "same name, other VPC" 'd["GroupId"]')

aerr InvalidGroup.Duplicate provider create-security-group --vpc-id "$vpc" \
    --group-name WEB --description again
err InvalidGroup.Reserved provider create-security-group --vpc-id "$vpc" \
    --group-name default --description again
err InvalidParameterValue provider create-security-group --vpc-id "$vpc" \
    --group-name sg-web --description again
err InvalidParameterValue provider create-security-group --vpc-id "$vpc" \
    --group-name café --description again
err VPCIdNotSpecified provider create-security-group --group-name x --description x
err InvalidVpcID.NotFound provider create-security-group --vpc-id vpc-0123456789abcdef0 \
    --group-name x --description x
err DryRunOperation provider create-security-group --vpc-id "$vpc" --group-name x \
    --description x --dry-run

# ------------------------------------------------------------ rules
# IpPermissions, the CLI's shorthand, protocol numbers, group and prefix
# list peers.
check aws_as provider ec2 authorize-security-group-ingress --group-id "$web" \
    --ip-permissions 'IpProtocol=tcp,FromPort=443,ToPort=443,IpRanges=[{CidrIp=10.1.0.5/16,Description=https}]'
jget '"\t".join(str(x) for x in [d["Return"], d["SecurityGroupRules"][0]["IsEgress"],
      d["SecurityGroupRules"][0]["IpProtocol"], d["SecurityGroupRules"][0]["FromPort"],
      d["SecurityGroupRules"][0]["ToPort"], d["SecurityGroupRules"][0]["CidrIpv4"],
      d["SecurityGroupRules"][0]["Description"]])' <"$TEST_DIR/stdout" >"$TEST_DIR/rule"
check_output "True	False	tcp	443	443	10.1.0.0/16	https" cat "$TEST_DIR/rule"
rule_443=$(jget 'd["SecurityGroupRules"][0]["SecurityGroupRuleId"]' <"$TEST_DIR/stdout")
[[ $rule_443 =~ ^sgr-[0-9a-f]{17}$ ]] || fail "bad rule id '$rule_443'"
check aws_as provider ec2 authorize-security-group-ingress --group-id "$web" \
    --protocol tcp --port 22 --cidr 0.0.0.0/0
check aws_as provider ec2 authorize-security-group-ingress --group-id "$web" \
    --ip-permissions 'IpProtocol=6,FromPort=443,ToPort=443,UserIdGroupPairs=[{GroupId='"$db"'}]' \
    'IpProtocol=17,FromPort=53,ToPort=53,IpRanges=[{CidrIp=10.0.0.0/8}]' \
    'IpProtocol=icmp,FromPort=-1,ToPort=-1,IpRanges=[{CidrIp=10.0.0.0/8}]'
check aws_as provider ec2 authorize-security-group-egress --group-id "$web" \
    --ip-permissions 'IpProtocol=tcp,FromPort=443,ToPort=443,PrefixListIds=[{PrefixListId='"$pl_s3"',Description=s3}]'
# Rules of one protocol and port range make one IpPermission.
check_output "icmp	-1	-1	10.0.0.0/8	0	0
tcp	22	22	0.0.0.0/0	0	0
tcp	443	443	10.1.0.0/16	1	0
udp	53	53	10.0.0.0/8	0	0" ec2 provider describe-security-groups --group-ids "$web" --query \
    'SecurityGroups[0].IpPermissions[].[IpProtocol,FromPort,ToPort,IpRanges[0].CidrIp,length(UserIdGroupPairs),length(PrefixListIds)]'
check_output "$db	111111111111	https" ec2 provider describe-security-groups --group-ids "$web" \
    --query 'SecurityGroups[0].IpPermissions[?FromPort==`443`].[UserIdGroupPairs[0].GroupId,UserIdGroupPairs[0].UserId,IpRanges[0].Description][]'
check_output "-1	0.0.0.0/0	None
tcp	$pl_s3	s3" ec2 provider describe-security-groups --group-ids "$web" --query \
    'SecurityGroups[0].IpPermissionsEgress[].[IpProtocol,IpRanges[0].CidrIp||PrefixListIds[0].PrefixListId,PrefixListIds[0].Description]'

# The same rule again, however written, is a duplicate.
aerr InvalidPermission.Duplicate provider authorize-security-group-ingress --group-id "$web" \
    --protocol tcp --port 22 --cidr 0.0.0.0/0
err InvalidPermission.Duplicate provider authorize-security-group-ingress --group-id "$web" \
    --ip-permissions '{"IpProtocol":"TCP","FromPort":443,"ToPort":443,"IpRanges":[{"CidrIp":"10.1.0.0/16"}]}'
err InvalidPermission.Duplicate provider authorize-security-group-ingress --group-id "$web" \
    --ip-permissions '{"IpProtocol":"tcp","FromPort":8080,"ToPort":8080,"IpRanges":[{"CidrIp":"10.2.0.0/16"},{"CidrIp":"10.2.0.0/16"}]}'
# Bad rules.
err InvalidParameterValue provider authorize-security-group-ingress --group-id "$web" \
    --ip-protocol foo --cidr-ip 10.0.0.0/8
err InvalidParameterValue provider authorize-security-group-ingress --group-id "$web" \
    --ip-permissions '{"IpProtocol":"tcp","IpRanges":[{"CidrIp":"10.0.0.0/8"}]}'
err InvalidParameterValue provider authorize-security-group-ingress --group-id "$web" \
    --ip-permissions '{"IpProtocol":"tcp","FromPort":90,"ToPort":80,"IpRanges":[{"CidrIp":"10.0.0.0/8"}]}'
err InvalidParameterValue provider authorize-security-group-ingress --group-id "$web" \
    --ip-permissions '{"IpProtocol":"tcp","FromPort":80,"ToPort":80,"IpRanges":[{"CidrIp":"10.0.0.0/40"}]}'
err InvalidParameterValue provider authorize-security-group-ingress --group-id "$web" \
    --ip-permissions '{"IpProtocol":"tcp","FromPort":80,"ToPort":80,"Ipv6Ranges":[{"CidrIpv6":"::/0"}]}'
err InvalidGroup.NotFound provider authorize-security-group-ingress --group-id "$web" \
    --ip-permissions '{"IpProtocol":"tcp","FromPort":80,"ToPort":80,"UserIdGroupPairs":[{"GroupId":"sg-0123456789abcdef0"}]}'
err InvalidGroup.NotFound provider authorize-security-group-ingress --group-id "$web" \
    --ip-permissions '{"IpProtocol":"tcp","FromPort":80,"ToPort":80,"UserIdGroupPairs":[{"GroupId":"'"$other"'"}]}'
err InvalidPrefixListID.NotFound provider authorize-security-group-egress --group-id "$web" \
    --ip-permissions '{"IpProtocol":"tcp","FromPort":80,"ToPort":80,"PrefixListIds":[{"PrefixListId":"pl-0123abcd"}]}'
err InvalidGroup.NotFound provider authorize-security-group-ingress --group-id sg-0123456789abcdef0 \
    --ip-protocol tcp --from-port 80 --to-port 80 --cidr-ip 10.0.0.0/8
err InvalidGroupId.Malformed provider authorize-security-group-ingress --group-id web \
    --ip-protocol tcp --from-port 80 --to-port 80 --cidr-ip 10.0.0.0/8
err VPCIdNotSpecified provider authorize-security-group-ingress --group-name web \
    --ip-protocol tcp --from-port 80 --to-port 80 --cidr-ip 10.0.0.0/8
aerr DryRunOperation provider authorize-security-group-ingress --group-id "$web" \
    --protocol tcp --port 80 --cidr 10.0.0.0/8 --dry-run

# Revoking: by IpPermission or by rule id; a rule that is not there is an
# error.
check aws_as provider ec2 revoke-security-group-ingress --group-id "$web" \
    --protocol udp --port 53 --cidr 10.0.0.0/8
aerr InvalidPermission.NotFound provider revoke-security-group-ingress --group-id "$web" \
    --protocol udp --port 53 --cidr 10.0.0.0/8
check aws_as provider ec2 revoke-security-group-ingress --group-id "$web" \
    --security-group-rule-ids "$rule_443"
err InvalidSecurityGroupRuleId.NotFound provider revoke-security-group-ingress \
    --group-id "$web" --security-group-rule-ids "$rule_443"
err InvalidSecurityGroupRuleId.Malformed provider revoke-security-group-egress \
    --group-id "$web" --security-group-rule-ids rule-1
err DryRunOperation provider revoke-security-group-egress --group-id "$web" \
    --ip-permissions '{"IpProtocol":"-1","IpRanges":[{"CidrIp":"0.0.0.0/0"}]}' --dry-run
check aws_as provider ec2 revoke-security-group-egress --group-id "$web" \
    --ip-permissions 'IpProtocol=-1,IpRanges=[{CidrIp=0.0.0.0/0}]'
check_output "1
icmp	tcp	tcp" ec2 provider describe-security-groups --group-ids "$web" --query \
    'SecurityGroups[0].[IpPermissions[].IpProtocol,length(IpPermissionsEgress)]'

# Filters on groups and on their rules.
check_output "$web" ec2 provider describe-security-groups \
    --filters Name=ip-permission.from-port,Values=22 --query 'SecurityGroups[].GroupId'
check_output "$web" ec2 provider describe-security-groups \
    --filters Name=egress.ip-permission.prefix-list-id,Values="$pl_s3" \
    --query 'SecurityGroups[].GroupId'
check_output "$web" ec2 provider describe-security-groups \
    --filters Name=ip-permission.group-id,Values="$db" Name=tag:Name,Values=web \
    --query 'SecurityGroups[].GroupId'
check_output "$db" ec2 provider describe-security-groups \
    --filters Name=description,Values='data*' --query 'SecurityGroups[].GroupId'
err InvalidParameterValue provider describe-security-groups --filters Name=colour,Values=x
err VPCIdNotSpecified provider describe-security-groups --group-names web
same_json provider describe-security-groups --group-ids "$web" "$default"

# ----------------------------------------------------- network interfaces
eni=$(ec2 provider create-network-interface --subnet-id "$subnet" \
          --private-ip-address 10.0.1.50 --groups "$web" "$db" --description app \
          --tag-specifications 'ResourceType=network-interface,Tags=[{Key=Name,Value=app}]' \
          --query NetworkInterface.NetworkInterfaceId)
[[ $eni =~ ^eni-[0-9a-f]{17}$ ]] || fail "bad interface id '$eni'"
check_output "10.0.1.50	True	interface	available	False	True	us-east-1a	$subnet	$vpc	111111111111	app	app	2	ip-10-0-1-50.ec2.internal" \
    ec2 provider describe-network-interfaces --network-interface-ids "$eni" --query \
    'NetworkInterfaces[0].[PrivateIpAddress,PrivateIpAddresses[0].Primary,InterfaceType,Status,RequesterManaged,SourceDestCheck,AvailabilityZone,SubnetId,VpcId,OwnerId,Description,TagSet[0].Value,length(Groups),PrivateDnsName]'
mac=$(ec2 provider describe-network-interfaces --network-interface-ids "$eni" \
          --query 'NetworkInterfaces[0].MacAddress')
[[ $mac =~ ^[0-9a-f]{2}(:[0-9a-f]{2}){5}$ ]] || fail "bad MAC '$mac'"
# Without groups, the VPC's default group; addresses from the bottom of
# the subnet, after the four that AWS reserves.
check_output "default	10.0.1.4" pl provider create-network-interface --subnet-id "$subnet" \
    '"\t".join([d["NetworkInterface"]["Groups"][0]["GroupName"], d["NetworkInterface"]["PrivateIpAddress"]])'
eni2=$(jget 'd["NetworkInterface"]["NetworkInterfaceId"]' <"$TEST_DIR/pl.json")

aerr InvalidIPAddress.InUse provider create-network-interface --subnet-id "$subnet" \
    --private-ip-address 10.0.1.50
err InvalidParameterValue provider create-network-interface --subnet-id "$subnet" \
    --private-ip-address 10.0.2.50
err InvalidParameterValue provider create-network-interface --subnet-id "$subnet" \
    --private-ip-address 10.0.1.1
err InvalidParameter provider create-network-interface --subnet-id "$subnet" --groups "$other"
sgs=()
for i in 1 2 3 4 5; do
    sgs+=("$(pl provider create-security-group --vpc-id "$vpc" --group-name "g$i" \
                 --description "g$i" 'd["GroupId"]')")
done
err SecurityGroupsPerInterfaceLimitExceeded provider create-network-interface \
    --subnet-id "$subnet" --groups "$web" "${sgs[@]}"
err InvalidSubnetID.NotFound provider create-network-interface --subnet-id subnet-0123456789abcdef0
# Ten groups now: two pages of five.
aws_as provider ec2 describe-security-groups --max-results 5 --no-paginate \
    >"$TEST_DIR/page" || fail "page of groups"
check_output "5" jget 'len(d["SecurityGroups"])' <"$TEST_DIR/page"
token=$(jget 'd["NextToken"]' <"$TEST_DIR/page")
check_output "5	None" ec2 provider describe-security-groups --max-results 5 \
    --next-token "$token" --query '[length(SecurityGroups),NextToken]'
err InvalidParameterValue provider create-network-interface --subnet-id "$subnet" --interface-type efa
err DryRunOperation provider create-network-interface --subnet-id "$subnet" --dry-run

# An interface endpoint's interface, as the endpoint area makes them:
# requester-managed, listed, not deletable; and an endpoint using a
# group.
subnet_uuid=$(uuid Subnet subnet_id "$subnet")
db_uuid=$(uuid Security_Group group_id "$db")
vpc_uuid=$(uuid Vpc vpc_id "$vpc")
ep_eni=eni-0a1b2c3d4e5f60718
insert Network_Interface "{\"network_interface_id\":\"$ep_eni\",
    \"subnet\":[\"uuid\",\"$subnet_uuid\"],\"owner_id\":\"111111111111\",
    \"mac_address\":\"02:00:00:00:00:01\",\"private_ip_address\":\"10.0.1.9\",
    \"security_groups\":[\"uuid\",\"$db_uuid\"],\"interface_type\":\"vpc_endpoint\",
    \"requester_managed\":true,\"requester_id\":\"727180483921\",
    \"description\":\"VPC Endpoint Interface vpce-0a1b2c3d4e5f60718\",
    \"source_dest_check\":true,\"status\":\"in-use\"}"
check_output "$ep_eni	vpc_endpoint	True	727180483921	in-use" ec2 provider \
    describe-network-interfaces --filters Name=requester-managed,Values=true \
    Name=interface-type,Values=vpc_endpoint --query \
    'NetworkInterfaces[].[NetworkInterfaceId,InterfaceType,RequesterManaged,RequesterId,Status]'
aerr InvalidParameterValue provider delete-network-interface --network-interface-id "$ep_eni"
check plctl_as provider delete-network-interface --network-interface-id "$eni2"
err DependencyViolation provider delete-subnet --subnet-id "$subnet"
err DependencyViolation provider delete-security-group --group-id "$db"

# Filters and pagination.
check_output "$eni" ec2 provider describe-network-interfaces \
    --filters Name=private-ip-address,Values=10.0.1.50 Name=group-id,Values="$web" \
    Name=tag:Name,Values=app --query 'NetworkInterfaces[].NetworkInterfaceId'
check_output "$eni" ec2 provider describe-network-interfaces \
    --filters Name=description,Values=app Name=status,Values=available \
    Name=vpc-id,Values="$vpc" --query 'NetworkInterfaces[].NetworkInterfaceId'
err InvalidParameterCombination provider describe-network-interfaces \
    --network-interface-ids "$eni" --max-results 5
err InvalidNetworkInterfaceID.NotFound provider describe-network-interfaces \
    --network-interface-ids eni-0123456789abcdef0
for i in 1 2 3 4; do
    check plctl_as provider create-network-interface --subnet-id "$subnet_b"
done
aws_as provider ec2 describe-network-interfaces --max-results 5 --no-paginate \
    >"$TEST_DIR/page" || fail "page of interfaces"
check_output "5" jget 'len(d["NetworkInterfaces"])' <"$TEST_DIR/page"
aws_as provider ec2 describe-network-interfaces --page-size 5 >"$TEST_DIR/all" \
    || fail "paged interfaces"
check_output "6" jget 'len(d["NetworkInterfaces"])' <"$TEST_DIR/all"
same_json provider describe-network-interfaces --network-interface-ids "$eni" "$ep_eni"

# ------------------------------------------------------ deleting groups
# Not while an interface, an endpoint or another group's rule uses the
# group; never the default group.
aerr DependencyViolation provider delete-security-group --group-id "$web"
check plctl_as provider delete-network-interface --network-interface-id "$eni"
aerr DependencyViolation provider delete-security-group --group-id "$db"
check ovsdb-client transact "$PL_DB" "[\"PrivateLink\",{\"op\":\"delete\",\"table\":\"Network_Interface\",
    \"where\":[[\"network_interface_id\",\"==\",\"$ep_eni\"]]}]"
insert Vpc_Endpoint "{\"vpc_endpoint_id\":\"vpce-0a1b2c3d4e5f60718\",
    \"vpc_endpoint_type\":\"Interface\",\"owner_id\":\"111111111111\",
    \"vpc\":[\"uuid\",\"$vpc_uuid\"],\"service_name\":\"com.amazonaws.us-east-1.kms\",
    \"state\":\"available\",\"security_groups\":[\"uuid\",\"$db_uuid\"]}"
check plctl_as provider revoke-security-group-ingress --group-id "$web" \
    --ip-permissions '{"IpProtocol":"tcp","FromPort":443,"ToPort":443,"UserIdGroupPairs":[{"GroupId":"'"$db"'"}]}'
err DependencyViolation provider delete-security-group --group-id "$db"
check ovsdb-client transact "$PL_DB" "[\"PrivateLink\",{\"op\":\"delete\",\"table\":\"Vpc_Endpoint\",
    \"where\":[[\"vpc_endpoint_id\",\"==\",\"vpce-0a1b2c3d4e5f60718\"]]}]"
check aws_as provider ec2 delete-security-group --group-id "$db"
aerr CannotDelete provider delete-security-group --group-id "$default"
err InvalidGroup.NotFound provider delete-security-group --group-id "$db"
err DryRunOperation provider delete-security-group --group-id "$web" --dry-run

# ---------------------------------------------------------- isolation
check_output "" ec2 consumer describe-security-groups --filters Name=vpc-id,Values="$vpc" \
    --query 'SecurityGroups[].GroupId'
check_output "" ec2 consumer describe-network-interfaces --query 'NetworkInterfaces[].NetworkInterfaceId'
aerr InvalidGroup.NotFound consumer describe-security-groups --group-ids "$web"
err InvalidGroup.NotFound consumer authorize-security-group-ingress --group-id "$web" \
    --ip-protocol tcp --from-port 80 --to-port 80 --cidr-ip 10.0.0.0/8
err InvalidGroup.NotFound consumer revoke-security-group-ingress --group-id "$web" \
    --ip-protocol tcp --from-port 22 --to-port 22 --cidr-ip 0.0.0.0/0
err InvalidGroup.NotFound consumer delete-security-group --group-id "$web"
err InvalidSubnetID.NotFound consumer create-network-interface --subnet-id "$subnet"
cvpc=$(pl consumer create-vpc --cidr-block 10.0.0.0/16 'd["Vpc"]["VpcId"]')
csub=$(pl consumer create-subnet --vpc-id "$cvpc" --cidr-block 10.0.1.0/24 'd["Subnet"]["SubnetId"]')
ceni=$(pl consumer create-network-interface --subnet-id "$csub" 'd["NetworkInterface"]["NetworkInterfaceId"]')
err InvalidGroup.NotFound consumer create-network-interface --subnet-id "$csub" --groups "$web"
err InvalidNetworkInterfaceID.NotFound provider delete-network-interface --network-interface-id "$ceni"
err InvalidNetworkInterfaceID.NotFound provider describe-network-interfaces \
    --network-interface-ids "$ceni"

# ---------------------------------------------------------- prefix lists
# The AWS-managed lists of the gateway endpoint services, for everyone;
# an account's own list only for it.
insert Prefix_List '{"prefix_list_id":"pl-0123456789abcdef0","prefix_list_name":"office",
    "owner_id":"111111111111","address_family":"IPv4","state":"create-complete",
    "max_entries":5,"version":3,
    "entries":["map",[["192.0.2.0/24","hq"],["10.20.0.0/16",""],["10.3.0.0/16","lab"]]]}'
check_output "$pl_ddb	com.amazonaws.us-east-1.dynamodb	3.218.180.0/22	52.94.0.0/22
$pl_s3	com.amazonaws.us-east-1.s3	52.216.0.0/15	54.231.0.0/16" \
    ec2 consumer describe-prefix-lists --query 'PrefixLists[].[PrefixListId,PrefixListName,Cidrs[0],Cidrs[1]]'
check_output "$pl_s3" ec2 provider describe-prefix-lists \
    --filters Name=prefix-list-name,Values='*.s3' --query 'PrefixLists[].PrefixListId'
aerr InvalidPrefixListID.NotFound provider describe-prefix-lists \
    --prefix-list-ids pl-0123456789abcdef0
err InvalidPrefixListId.Malformed provider describe-prefix-lists --prefix-list-ids s3
check_output "pl-0123456789abcdef0	office	111111111111	arn:aws:ec2:us-east-1:111111111111:prefix-list/pl-0123456789abcdef0	5	3
$pl_ddb	com.amazonaws.us-east-1.dynamodb	AWS	arn:aws:ec2:us-east-1:aws:prefix-list/$pl_ddb	2	1
$pl_s3	com.amazonaws.us-east-1.s3	AWS	arn:aws:ec2:us-east-1:aws:prefix-list/$pl_s3	2	1" \
    ec2 provider describe-managed-prefix-lists --query \
    'PrefixLists[].[PrefixListId,PrefixListName,OwnerId,PrefixListArn,MaxEntries,Version]'
check_output "IPv4	create-complete" ec2 consumer describe-managed-prefix-lists \
    --prefix-list-ids "$pl_s3" --query 'PrefixLists[0].[AddressFamily,State]'
check_output "$pl_ddb	$pl_s3" ec2 consumer describe-managed-prefix-lists \
    --query 'PrefixLists[].PrefixListId'
check_output "pl-0123456789abcdef0" ec2 provider describe-managed-prefix-lists \
    --filters Name=owner-id,Values=111111111111 --query 'PrefixLists[].PrefixListId'
aerr InvalidPrefixListID.NotFound consumer describe-managed-prefix-lists \
    --prefix-list-ids pl-0123456789abcdef0
aws_as provider ec2 describe-managed-prefix-lists --max-results 2 --no-paginate \
    >"$TEST_DIR/page" || fail "page of prefix lists"
check_output "2" jget 'len(d["PrefixLists"])' <"$TEST_DIR/page"
token=$(jget 'd["NextToken"]' <"$TEST_DIR/page")
check_output "$pl_s3	None" ec2 provider describe-managed-prefix-lists --max-results 2 \
    --next-token "$token" --query '[PrefixLists[0].PrefixListId,NextToken]'
same_json consumer describe-managed-prefix-lists --prefix-list-ids "$pl_s3"
same_json consumer describe-prefix-lists --prefix-list-ids "$pl_s3" "$pl_ddb"

# Entries, in address order, a page at a time.
check_output "10.3.0.0/16	lab
10.20.0.0/16	None
192.0.2.0/24	hq" ec2 provider get-managed-prefix-list-entries \
    --prefix-list-id pl-0123456789abcdef0 --query 'Entries[].[Cidr,Description]'
aws_as provider ec2 get-managed-prefix-list-entries --prefix-list-id pl-0123456789abcdef0 \
    --max-results 2 --no-paginate >"$TEST_DIR/page" || fail "page of entries"
token=$(jget 'd["NextToken"]' <"$TEST_DIR/page")
check_output "192.0.2.0/24	None" ec2 provider get-managed-prefix-list-entries \
    --prefix-list-id pl-0123456789abcdef0 --max-results 2 --next-token "$token" \
    --query '[Entries[0].Cidr,NextToken]'
check_output "52.216.0.0/15	54.231.0.0/16" ec2 consumer get-managed-prefix-list-entries \
    --prefix-list-id "$pl_s3" --target-version 1 --query 'Entries[].Cidr'
err InvalidParameterValue consumer get-managed-prefix-list-entries \
    --prefix-list-id "$pl_s3" --target-version 7
err InvalidPrefixListID.NotFound consumer get-managed-prefix-list-entries \
    --prefix-list-id pl-0123456789abcdef0
err DryRunOperation consumer get-managed-prefix-list-entries --prefix-list-id "$pl_s3" --dry-run
same_json consumer get-managed-prefix-list-entries --prefix-list-id "$pl_s3"
