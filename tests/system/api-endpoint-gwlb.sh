# Gateway Load Balancer endpoints through the real AWS CLI: a provider's
# GWLB service without acceptance, a consumer's endpoint in exactly one
# subnet (never changed, no security groups, no policy, no private DNS),
# routes to it, and the rule that an endpoint routes point to cannot be
# deleted.
source tests/lib.sh
source tests/system/api-harness.bash
test_init api-endpoint-gwlb
api_lab_up

q() { aws_text "$@"; }

# The provider's security VPC with a gateway load balancer.
pvpc=$(q provider ec2 create-vpc --cidr-block 10.9.0.0/16 --query Vpc.VpcId)
psub=$(q provider ec2 create-subnet --vpc-id $pvpc --cidr-block 10.9.1.0/24 \
       --availability-zone us-east-1a --query Subnet.SubnetId)
gwlb=$(plctl_as provider create-load-balancer --name inspect --type gateway \
       --subnets $psub | /usr/bin/python3 -c \
       'import json,sys; print(json.load(sys.stdin)["LoadBalancers"][0]["LoadBalancerArn"])')

# No private DNS for GWLB services.
check_unchanged expect_error InvalidParameter aws_as provider ec2 \
    create-vpc-endpoint-service-configuration --gateway-load-balancer-arns $gwlb \
    --private-dns-name inspect.example.com
svc=$(q provider ec2 create-vpc-endpoint-service-configuration \
      --gateway-load-balancer-arns $gwlb --no-acceptance-required \
      --query ServiceConfiguration.ServiceId)
check_output "GatewayLoadBalancer $gwlb" q provider ec2 \
    describe-vpc-endpoint-service-configurations --service-ids $svc --query \
    'ServiceConfigurations[0].[ServiceType[0].ServiceType,GatewayLoadBalancerArns[0]]'
check aws_as provider ec2 modify-vpc-endpoint-service-permissions \
    --service-id $svc --add-allowed-principals '*'
name=com.amazonaws.vpce.us-east-1.$svc

cvpc=$(q consumer ec2 create-vpc --cidr-block 10.0.0.0/16 --query Vpc.VpcId)
csub=$(q consumer ec2 create-subnet --vpc-id $cvpc --cidr-block 10.0.1.0/24 \
       --availability-zone us-east-1a --query Subnet.SubnetId)
csub2=$(q consumer ec2 create-subnet --vpc-id $cvpc --cidr-block 10.0.2.0/24 \
        --availability-zone us-east-1a --query Subnet.SubnetId)
csg=$(q consumer ec2 describe-security-groups --filters Name=vpc-id,Values=$cvpc \
      --query 'SecurityGroups[0].GroupId')

# Exactly one subnet; no security groups, no policy.
check_unchanged expect_error InvalidParameter aws_as consumer ec2 create-vpc-endpoint \
    --vpc-endpoint-type GatewayLoadBalancer --vpc-id $cvpc --service-name $name
check_unchanged expect_error InvalidParameter aws_as consumer ec2 create-vpc-endpoint \
    --vpc-endpoint-type GatewayLoadBalancer --vpc-id $cvpc --service-name $name \
    --subnet-ids $csub --security-group-ids $csg
check_unchanged expect_error InvalidParameter aws_as consumer ec2 create-vpc-endpoint \
    --vpc-endpoint-type GatewayLoadBalancer --vpc-id $cvpc --service-name $name \
    --subnet-ids $csub --policy-document '{"Statement":[{"Effect":"Allow","Principal":"*","Action":"*","Resource":"*"}]}'

# Auto-accepted: pending, then available; one ENI of its own type.
ept=$(q consumer ec2 create-vpc-endpoint --vpc-endpoint-type GatewayLoadBalancer \
      --vpc-id $cvpc --service-name $name --subnet-ids $csub \
      --query VpcEndpoint.VpcEndpointId)
wait_until "[ \"\$(q consumer ec2 describe-vpc-endpoints --vpc-endpoint-ids $ept \
    --query 'VpcEndpoints[0].State')\" = available ]"
check_output "gateway_load_balancer_endpoint True" q consumer ec2 \
    describe-network-interfaces --filters Name=vpc-id,Values=$cvpc \
    Name=interface-type,Values=gateway_load_balancer_endpoint \
    --query 'NetworkInterfaces[0].[InterfaceType,RequesterManaged]'
check_output "0 1" q consumer ec2 describe-vpc-endpoints --vpc-endpoint-ids $ept \
    --query 'VpcEndpoints[0].[length(Groups),length(NetworkInterfaceIds)]'

# Its subnet never changes.
check_unchanged expect_error InvalidParameter aws_as consumer ec2 \
    modify-vpc-endpoint --vpc-endpoint-id $ept --add-subnet-ids $csub2

# A route to it: the endpoint cannot be deleted until the route goes.
rtb=$(q consumer ec2 create-route-table --vpc-id $cvpc --query RouteTable.RouteTableId)
check aws_as consumer ec2 create-route --route-table-id $rtb \
    --destination-cidr-block 0.0.0.0/0 --vpc-endpoint-id $ept
check_output DependencyViolation q consumer ec2 delete-vpc-endpoints \
    --vpc-endpoint-ids $ept --query 'Unsuccessful[0].Error.Code'
check aws_as consumer ec2 delete-route --route-table-id $rtb \
    --destination-cidr-block 0.0.0.0/0
check_output 0 q consumer ec2 delete-vpc-endpoints --vpc-endpoint-ids $ept \
    --query 'length(Unsuccessful)'
check_output 0 db_count Network_Interface \
    '["interface_type","==","gateway_load_balancer_endpoint"]'

# The provider may reject too; with no endpoints left the service goes.
check_output 0 q provider ec2 delete-vpc-endpoint-service-configurations \
    --service-ids $svc --query 'length(Unsuccessful)'
check_no_warnings "$LAB/central/plinkd.log"
