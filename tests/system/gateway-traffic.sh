#!/bin/bash
# tests/system/gateway-traffic.sh: real traffic through a gateway endpoint
# to the lab's S3-like service, on a 2-chassis lab, everything made
# through the AWS CLI and plink-lab.
#
# A VPC 10.0.0.0/16 with subnet A (its own route table) and subnet B (the
# main table); instances c1 (A, on hv2), c3 (A, on hv1: the service's own
# chassis) and c2 (B, on hv1).  Nothing reaches the S3 service before the
# endpoint exists.  A gateway endpoint to S3 with route table A, whose
# policy allows s3:GetObject on bucket-a only: DescribeRouteTables shows
# its route as AWS does; c1 and c3 reach the service, which sees their
# private addresses; c2 does not (its table has no endpoint route); the
# service answers 403 for bucket-b and for PutObject, and 200 once the
# policy is reset to full access; a more specific route to an internet
# gateway takes its block back; an egress rule to the prefix list is
# enough for the security group, and without it nothing passes; removing
# the route table from the endpoint stops it; a DynamoDB endpoint reaches
# the DynamoDB-like service.
. "$(dirname "$0")/../lib.sh"
test_init gateway-traffic

. "$(dirname "$0")/traffic.bash"
traffic_lab_up 2

# code NAME [CURL-ARGS...] PATH: the HTTP status of a request from NAME to
# the S3 service ("000": no connection).  The body goes to
# $TEST_DIR/body.
code() {
    local name=$1
    shift
    local args=("$@") path=${*: -1}
    unset 'args[${#args[@]}-1]'
    on "$name" curl -s -o "$TEST_DIR/body" -w '%{http_code}' \
        --connect-timeout 3 --max-time 5 "${args[@]}" "http://$s3$path" ||
        true
}

# reaches NAME: true if instance NAME gets an answer from the S3 service
# (one quick try, for polling).
reaches() {
    on "$1" curl -s -o /dev/null --connect-timeout 0.5 --max-time 1 \
        "http://$s3/bucket-a/probe"
}

# peers: the source addresses in the S3 service's request log.
peers() {
    awk '{print $0}' "$lab/svc-s3/s3.log" | grep -oE '\b10\.0\.[0-9]+\.[0-9]+\b' | sort -u
}

s3=$(lab service-ip s3) || fail "service-ip s3"
ddb=$(lab service-ip dynamodb) || fail "service-ip dynamodb"
check_output "$s3" lab service-ip s3

vpc=$(ec2 consumer create-vpc --cidr-block 10.0.0.0/16 --query Vpc.VpcId) || fail vpc
sub_a=$(ec2 consumer create-subnet --vpc-id "$vpc" --cidr-block 10.0.1.0/24 \
        --query Subnet.SubnetId) || fail subnet-a
sub_b=$(ec2 consumer create-subnet --vpc-id "$vpc" --cidr-block 10.0.2.0/24 \
        --query Subnet.SubnetId) || fail subnet-b
rtb_a=$(ec2 consumer create-route-table --vpc-id "$vpc" \
        --query RouteTable.RouteTableId) || fail route-table
check ec2 consumer associate-route-table --route-table-id "$rtb_a" --subnet-id "$sub_a"
sg=$(ec2 consumer describe-security-groups --filters Name=vpc-id,Values="$vpc" \
     --query 'SecurityGroups[0].GroupId') || fail sg
read -r eni1 ip1 <<<"$(eni consumer "$sub_a")" || fail c1
read -r eni3 ip3 <<<"$(eni consumer "$sub_a")" || fail c3
read -r eni2 ip2 <<<"$(eni consumer "$sub_b")" || fail c2
check lab attach "$eni1" c1 --chassis 2
check lab attach "$eni3" c3 --chassis 1
check lab attach "$eni2" c2 --chassis 1

# ------------------------------------------------------------ no endpoint
check_output 000 code c1 /bucket-a/key

# ------------------------------------------------------------ the endpoint
pl=$(ec2 consumer describe-prefix-lists --filters Name=prefix-list-name,Values=com.amazonaws.us-east-1.s3 \
     --query 'PrefixLists[0].PrefixListId') || fail prefix-list
allow_a='{"Statement":[{"Sid":"BucketA","Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::bucket-a/*"}]}'
ept=$(ec2 consumer create-vpc-endpoint --vpc-id "$vpc" \
      --service-name com.amazonaws.us-east-1.s3 --route-table-ids "$rtb_a" \
      --policy-document "$allow_a" --query VpcEndpoint.VpcEndpointId) ||
    fail create-vpc-endpoint
check_output "$pl	$ept	CreateRouteTable	active" ec2 consumer describe-route-tables \
    --route-table-ids "$rtb_a" \
    --query "RouteTables[0].Routes[?DestinationPrefixListId=='$pl'].[DestinationPrefixListId,GatewayId,Origin,State]"
check_output "" ec2 consumer describe-route-tables \
    --filters Name=vpc-id,Values="$vpc" Name=association.main,Values=true \
    --query "RouteTables[0].Routes[?DestinationPrefixListId].GatewayId"

wait_until "reaches c1" 10
check_output 200 code c1 /bucket-a/key
check_grep '.' cat "$TEST_DIR/body"
check_output 200 code c3 /bucket-a/key
# The service saw the instances' private addresses.
check_output "$(printf '%s\n' "$ip1" "$ip3" | sort)" peers
# Subnet B's table has no endpoint route.
check_output 000 code c2 /bucket-a/key

# ------------------------------------------------------------ the policy
check_output 403 code c1 /bucket-b/key
check_grep '<Code>AccessDenied</Code>' cat "$TEST_DIR/body"
check_output 403 code c1 -X PUT --data-binary hello /bucket-a/new
check ec2 consumer modify-vpc-endpoint --vpc-endpoint-id "$ept" --reset-policy
check_output 200 code c1 -X PUT --data-binary hello /bucket-a/new
check_output 200 code c3 /bucket-a/new
check_output hello cat "$TEST_DIR/body"

# ------------------------------------------------------------ routes
# A more specific route to an internet gateway wins (and an instance
# without a public address gets nowhere through it).
igw=$(ec2 consumer create-internet-gateway --query InternetGateway.InternetGatewayId) ||
    fail igw
check ec2 consumer attach-internet-gateway --internet-gateway-id "$igw" --vpc-id "$vpc"
check ec2 consumer create-route --route-table-id "$rtb_a" \
    --destination-cidr-block "${s3%.*}.0/24" --gateway-id "$igw"
wait_until "! reaches c1" 10
check_output 000 code c1 /bucket-a/key
check ec2 consumer delete-route --route-table-id "$rtb_a" \
    --destination-cidr-block "${s3%.*}.0/24"
wait_until "reaches c1" 10

# ------------------------------------------------------------ security group
# Egress only to the prefix list's blocks on port 80 is enough; without
# any egress rule nothing leaves.
check ec2 consumer revoke-security-group-egress --group-id "$sg" \
    --ip-permissions 'IpProtocol=-1,IpRanges=[{CidrIp=0.0.0.0/0}]'
wait_until "! reaches c1" 10
check ec2 consumer authorize-security-group-egress --group-id "$sg" \
    --ip-permissions "IpProtocol=tcp,FromPort=80,ToPort=80,PrefixListIds=[{PrefixListId=$pl}]"
wait_until "reaches c1" 10
check_output 200 code c1 /bucket-a/key

# ------------------------------------------------------------ DynamoDB
dpl=$(ec2 consumer describe-prefix-lists --filters Name=prefix-list-name,Values=com.amazonaws.us-east-1.dynamodb \
      --query 'PrefixLists[0].PrefixListId') || fail prefix-list
check ec2 consumer authorize-security-group-egress --group-id "$sg" \
    --ip-permissions "IpProtocol=tcp,FromPort=80,ToPort=80,PrefixListIds=[{PrefixListId=$dpl}]"
dept=$(ec2 consumer create-vpc-endpoint --vpc-id "$vpc" \
       --service-name com.amazonaws.us-east-1.dynamodb --route-table-ids "$rtb_a" \
       --query VpcEndpoint.VpcEndpointId) || fail dynamodb-endpoint
ddb_list() {
    on c1 curl -s --connect-timeout 1 --max-time 3 -X POST \
        -H 'X-Amz-Target: DynamoDB_20120810.ListTables' \
        -H 'Content-Type: application/x-amz-json-1.0' -d '{}' "http://$ddb/"
}
wait_until "ddb_list | grep -q TableNames" 10

# ------------------------------------------------------------ removal
check ec2 consumer modify-vpc-endpoint --vpc-endpoint-id "$ept" \
    --remove-route-table-ids "$rtb_a"
check_output "" ec2 consumer describe-route-tables --route-table-ids "$rtb_a" \
    --query "RouteTables[0].Routes[?DestinationPrefixListId=='$pl'].GatewayId"
wait_until "! reaches c1" 10
check_output 000 code c1 /bucket-a/key
check ec2 consumer delete-vpc-endpoints --vpc-endpoint-ids "$ept" "$dept"

traffic_lab_check_logs
check lab down
