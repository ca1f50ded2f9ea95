# The life of an interface endpoint, driven with the real AWS CLI: a
# provider publishes an NLB-backed service that requires acceptance, allows
# the consumer's account, the consumer connects, the provider accepts,
# rejects, the consumer deletes, the provider deletes the service; with
# the cross-account refusals, the errors (each leaving the database as it
# was), notifications, pagination, and plctl returning the same objects.
source tests/lib.sh
source tests/system/api-harness.bash
test_init api-endpoint-interface
API_VALGRIND=1 api_lab_up

q() { aws_text "$@"; }

# The provider's VPC, two subnets, an NLB with a TCP listener.
pvpc=$(q provider ec2 create-vpc --cidr-block 10.0.0.0/16 --query Vpc.VpcId)
psub_a=$(q provider ec2 create-subnet --vpc-id $pvpc --cidr-block 10.0.1.0/24 \
         --availability-zone us-east-1a --query Subnet.SubnetId)
psub_b=$(q provider ec2 create-subnet --vpc-id $pvpc --cidr-block 10.0.2.0/24 \
         --availability-zone us-east-1b --query Subnet.SubnetId)
nlb=$(plctl_as provider create-load-balancer --name web --type network \
      --subnets $psub_a $psub_b | /usr/bin/python3 -c \
      'import json,sys; print(json.load(sys.stdin)["LoadBalancers"][0]["LoadBalancerArn"])')
[ -n "$nlb" ] || fail "no load balancer"

# The service requires acceptance; nobody else may use it yet.
svc=$(q provider ec2 create-vpc-endpoint-service-configuration \
      --network-load-balancer-arns $nlb --acceptance-required \
      --query ServiceConfiguration.ServiceId)
svc_name=$(q provider ec2 describe-vpc-endpoint-service-configurations \
           --service-ids $svc --query 'ServiceConfigurations[0].ServiceName')
check_output "com.amazonaws.vpce.us-east-1.$svc" echo "$svc_name"
check_output "Available True us-east-1a us-east-1b" q provider ec2 \
    describe-vpc-endpoint-service-configurations --service-ids $svc \
    --query 'ServiceConfigurations[0].[ServiceState,AcceptanceRequired,AvailabilityZones[0],AvailabilityZones[1]]'
expect_error InvalidServiceName aws_as consumer ec2 \
    describe-vpc-endpoint-services --service-names $svc_name

# The consumer's own VPC, overlapping the provider's: that is fine.
cvpc=$(q consumer ec2 create-vpc --cidr-block 10.0.0.0/16 --query Vpc.VpcId)
csub_a=$(q consumer ec2 create-subnet --vpc-id $cvpc --cidr-block 10.0.1.0/24 \
         --availability-zone us-east-1a --query Subnet.SubnetId)
csub_b=$(q consumer ec2 create-subnet --vpc-id $cvpc --cidr-block 10.0.2.0/24 \
         --availability-zone us-east-1b --query Subnet.SubnetId)
csub_a2=$(q consumer ec2 create-subnet --vpc-id $cvpc --cidr-block 10.0.3.0/24 \
          --availability-zone us-east-1a --query Subnet.SubnetId)
check_unchanged expect_error InvalidServiceName aws_as consumer ec2 \
    create-vpc-endpoint --vpc-endpoint-type Interface --vpc-id $cvpc \
    --service-name $svc_name --subnet-ids $csub_a

# Permissions: the consumer's account root, not the third account.
check_output "Account arn:aws:iam::222222222222:root" q provider ec2 \
    modify-vpc-endpoint-service-permissions --service-id $svc \
    --add-allowed-principals arn:aws:iam::222222222222:root \
    --query 'AddedPrincipals[0].[PrincipalType,Principal]'
check_unchanged expect_error InvalidPrincipal aws_as provider ec2 \
    modify-vpc-endpoint-service-permissions --service-id $svc \
    --add-allowed-principals not-an-arn
check_output "$svc_name" q consumer ec2 describe-vpc-endpoint-services \
    --service-names $svc_name --query 'ServiceNames[0]'
expect_error InvalidServiceName aws_as third ec2 \
    describe-vpc-endpoint-services --service-names $svc_name

# A notification on the service, for every event.
nfn=$(q provider ec2 create-vpc-endpoint-connection-notification \
      --service-id $svc --connection-notification-arn \
      arn:aws:sns:us-east-1:111111111111:endpoint-events \
      --connection-events Connect Accept Reject Delete \
      --query ConnectionNotification.ConnectionNotificationId)

# Bad requests: each refused with its code, nothing written.
check_unchanged expect_error DuplicateSubnetsInSameZone aws_as consumer ec2 \
    create-vpc-endpoint --vpc-endpoint-type Interface --vpc-id $cvpc \
    --service-name $svc_name --subnet-ids $csub_a $csub_a2
check_unchanged expect_error InvalidParameter aws_as consumer ec2 \
    create-vpc-endpoint --vpc-endpoint-type Interface --vpc-id $cvpc \
    --service-name $svc_name --subnet-ids $csub_a --route-table-ids rtb-0123456789abcdef0
check_unchanged expect_error InvalidVpcId.NotFound aws_as consumer ec2 \
    create-vpc-endpoint --vpc-endpoint-type Interface --vpc-id $pvpc \
    --service-name $svc_name --subnet-ids $csub_a
check_unchanged expect_error InvalidPolicyDocument aws_as consumer ec2 \
    create-vpc-endpoint --vpc-endpoint-type Interface --vpc-id $cvpc \
    --service-name $svc_name --subnet-ids $csub_a --policy-document '{"Statement": ['
check_unchanged expect_error InvalidPolicyDocument aws_as consumer ec2 \
    create-vpc-endpoint --vpc-endpoint-type Interface --vpc-id $cvpc \
    --service-name $svc_name --subnet-ids $csub_a \
    --policy-document "{\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"*\",\"Resource\":\"$(head -c 20500 /dev/zero | tr '\0' a)\"}]}"
check_unchanged expect_error InvalidParameterValue aws_as consumer ec2 \
    create-vpc-endpoint --vpc-endpoint-type interface --vpc-id $cvpc \
    --service-name $svc_name --subnet-ids $csub_a
check_unchanged expect_error DryRunOperation aws_as consumer ec2 \
    create-vpc-endpoint --vpc-endpoint-type Interface --vpc-id $cvpc \
    --service-name $svc_name --subnet-ids $csub_a --dry-run

# The consumer connects: pendingAcceptance, two requester-managed ENIs,
# the regional and two zonal DNS names, the VPC's default security group.
ept=$(q consumer ec2 create-vpc-endpoint --vpc-endpoint-type Interface \
      --vpc-id $cvpc --service-name $svc_name --subnet-ids $csub_a $csub_b \
      --tag-specifications 'ResourceType=vpc-endpoint,Tags=[{Key=Name,Value=ep1}]' \
      --query VpcEndpoint.VpcEndpointId)
check_output pendingAcceptance q consumer ec2 describe-vpc-endpoints \
    --vpc-endpoint-ids $ept --query 'VpcEndpoints[0].State'
check_output "2 3 default ep1" q consumer ec2 describe-vpc-endpoints \
    --vpc-endpoint-ids $ept --query \
    'VpcEndpoints[0].[length(NetworkInterfaceIds),length(DnsEntries),Groups[0].GroupName,Tags[0].Value]'
check_grep "^$ept-[a-z0-9]{8}\.$svc\.us-east-1\.vpce\.amazonaws\.com$" q consumer ec2 \
    describe-vpc-endpoints --vpc-endpoint-ids $ept --query 'VpcEndpoints[0].DnsEntries[0].DnsName'
check_grep "^$ept-[a-z0-9]{8}-us-east-1a\.$svc\.us-east-1\.vpce\.amazonaws\.com$" q consumer ec2 \
    describe-vpc-endpoints --vpc-endpoint-ids $ept --query 'VpcEndpoints[0].DnsEntries[1].DnsName'
check_output "2" db_count Network_Interface '["interface_type","==","vpc_endpoint"]' \
    '["requester_managed","==",true]'

# Only the provider accepts: the consumer cannot accept its own endpoint,
# and the provider cannot delete the consumer's.
check_unchanged expect_error InvalidVpcEndpointServiceId.NotFound aws_as consumer ec2 \
    accept-vpc-endpoint-connections --service-id $svc --vpc-endpoint-ids $ept
check_output "InvalidVpcEndpoint.NotFound" q provider ec2 delete-vpc-endpoints \
    --vpc-endpoint-ids $ept --query 'Unsuccessful[0].Error.Code'
check_output "$ept 222222222222 pendingAcceptance" q provider ec2 \
    describe-vpc-endpoint-connections --query \
    'VpcEndpointConnections[0].[VpcEndpointId,VpcEndpointOwner,VpcEndpointState]'
check_output "0" q consumer ec2 describe-vpc-endpoint-connections \
    --query 'length(VpcEndpointConnections)'

# The provider accepts: pending, then available once every chassis has
# realized the change.
check_output "0" q provider ec2 accept-vpc-endpoint-connections \
    --service-id $svc --vpc-endpoint-ids $ept --query 'length(Unsuccessful)'
wait_until "[ \"\$(q consumer ec2 describe-vpc-endpoints --vpc-endpoint-ids $ept \
    --query 'VpcEndpoints[0].State')\" = available ]"

# The service cannot go while the endpoint is attached.
check_output "ExistingVpcEndpointConnections" q provider ec2 \
    delete-vpc-endpoint-service-configurations --service-ids $svc \
    --query 'Unsuccessful[0].Error.Code'
check_unchanged expect_error ExistingVpcEndpointConnections aws_as provider ec2 \
    modify-vpc-endpoint-service-configuration --service-id $svc \
    --remove-network-load-balancer-arns $nlb

# Reject: the endpoint stays, rejected, without its network interfaces.
check_output "0" q provider ec2 reject-vpc-endpoint-connections \
    --service-id $svc --vpc-endpoint-ids $ept --query 'length(Unsuccessful)'
check_output "rejected 0" q consumer ec2 describe-vpc-endpoints \
    --vpc-endpoint-ids $ept --query 'VpcEndpoints[0].[State,length(NetworkInterfaceIds)]'
check_output "0" db_count Network_Interface '["interface_type","==","vpc_endpoint"]'

# The consumer deletes its endpoint; the provider deletes the service.
check_output "0" q consumer ec2 delete-vpc-endpoints --vpc-endpoint-ids $ept \
    --query 'length(Unsuccessful)'
expect_error InvalidVpcEndpointId.NotFound aws_as consumer ec2 \
    describe-vpc-endpoints --vpc-endpoint-ids $ept

# The notification saw the whole life, in order, in the outbox.
check_output "Connect Accept Reject Delete" sh -c \
    "$(declare -f db_select); PL_DB=$PL_DB db_select Notification_Outbox seq \
     event_type vpc_endpoint_id | awk '\$2 == \"$ept\" {print \$1}' | xargs"
check_output "0" q provider ec2 delete-vpc-endpoint-service-configurations \
    --service-ids $svc --query 'length(Unsuccessful)'
check_output "0" db_count Connection_Notification
check_output "InvalidVpcEndpointService.NotFound" q provider ec2 \
    delete-vpc-endpoint-service-configurations --service-ids $svc \
    --query 'Unsuccessful[0].Error.Code'

# Quota: at most two interface endpoints in this VPC.
check set_global_option interface_endpoints_per_vpc 2
for s in sts kms; do
    check aws_as consumer ec2 create-vpc-endpoint --vpc-endpoint-type Interface \
        --vpc-id $cvpc --service-name com.amazonaws.us-east-1.$s \
        --subnet-ids $csub_a --no-private-dns-enabled
done
check_unchanged expect_error VpcEndpointLimitExceeded aws_as consumer ec2 \
    create-vpc-endpoint --vpc-endpoint-type Interface --vpc-id $cvpc \
    --service-name com.amazonaws.us-east-1.sqs --subnet-ids $csub_a --no-private-dns-enabled

# Pagination: pages of one, a NextToken on the first page only.
check_grep '"NextToken": ' aws_as consumer ec2 describe-vpc-endpoints \
    --max-results 1 --no-paginate
check_output "2" sh -c "$(declare -f aws_as); API_URL=$API_URL aws_as consumer \
    ec2 describe-vpc-endpoints --page-size 1 --output text \
    --query 'VpcEndpoints[].VpcEndpointId' | wc -w"
check_output "1" q consumer ec2 describe-vpc-endpoints --query 'length(VpcEndpoints)' \
    --filters Name=service-name,Values=com.amazonaws.us-east-1.sts
check_output "0" q provider ec2 describe-vpc-endpoints --query 'length(VpcEndpoints)'

# plctl (the protobuf front) returns the same objects as the EC2 front.
aws_as consumer ec2 describe-vpc-endpoints --output json >"$TEST_DIR/aws.json"
plctl_as consumer describe-vpc-endpoints >"$TEST_DIR/plctl.json"
check /usr/bin/python3 tests/system/json-subset.py "$TEST_DIR/aws.json" \
    "$TEST_DIR/plctl.json" VpcEndpoints

check_no_warnings "$LAB/central/plinkd.log"
api_lab_down
api_lab_check_valgrind
