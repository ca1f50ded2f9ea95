# tests/system/traffic.bash: what the traffic tests (real packets in a
# plink-lab lab, driven with the AWS CLI) share.  Sourced after tests/lib.sh
# and test_init.  (Named .bash so that tests/run-tests.sh does not run it
# as a test.)
#
#   traffic_lab_up N   a lab with N chassis in $TEST_DIR/lab, on a free API
#                      port ($port), taken down on exit; $lab is its folder
#   ec2 PROFILE ARGS   the AWS CLI's ec2 as PROFILE, text output
#   elb ARGS...        plctl as the provider (ELBv2 operations), JSON output
#   json EXPR          EXPR on the JSON on stdin (as 'f')
#   lab SUB ARGS...    plink-lab SUB on this lab
#   on NAME CMD...     CMD inside instance NAME
#   eni PROFILE SUBNET [GROUP...]   a new network interface: "ID IP"
#   traffic_lab_check_logs  no unexpected warning from any chassis

unset AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY AWS_SESSION_TOKEN AWS_PROFILE


traffic_lab_up() {
    lab=$TEST_DIR/lab
    port=$(free_port)
    TRAFFIC_CHASSIS=$1
    on_exit "plink-lab down --dir $lab"
    check plink-lab up --dir "$lab" --chassis "$1" --api-port "$port"
    export AWS_SHARED_CREDENTIALS_FILE=$lab/credentials
    export AWS_CONFIG_FILE=$lab/config
}

ec2() {
    local profile=$1
    shift
    /usr/bin/aws --endpoint-url "http://127.0.0.1:$port" --profile "$profile" \
        --region us-east-1 --cli-read-timeout 30 --output text ec2 "$@"
}

elb() {
    plctl --endpoint-url "http://127.0.0.1:$port" --profile provider "$@"
}

json() {
    /usr/bin/python3 -c "import json,sys; f=json.load(sys.stdin); print($1)"
}

lab() {
    local sub=$1
    shift
    plink-lab "$sub" --dir "$lab" "$@"
}

on() {
    local name=$1
    shift
    ip netns exec "$(lab netns "$name")" "$@"
}

eni() {
    local profile=$1 subnet=$2
    shift 2
    ec2 "$profile" create-network-interface --subnet-id "$subnet" \
        ${1:+--groups "$@"} \
        --query 'NetworkInterface.[NetworkInterfaceId,PrivateIpAddress]'
}

# (The controller may find br-int.mgmt before ovs-vswitchd listens on it;
# rconn retries at once.)
traffic_lab_check_logs() {
    local k
    for k in $(seq 1 "$TRAFFIC_CHASSIS"); do
        check_no_warnings "$lab/hv$k/plink-controller.log" \
            'br-int.mgmt: connection failed \(Connection refused\)'
        check_no_warnings "$lab/hv$k/ovs-vswitchd.log" 'Generic Netlink family'
    done
}

# The guide's inspection topology (Gateway Load Balancer endpoints), for
# tests/system/gwlb-traffic.sh and tests/bench/gwlb-throughput.sh.
#
# gwlb_provider TG-ARGS...: the provider's side: security VPC
# 10.1.0.0/16 and subnet, a group for the appliances (GENEVE and the
# health checks on TCP 80 from the VPC), a gateway load balancer with a
# GENEVE target group (TG-ARGS added to create-target-group) and its
# listener, an endpoint service open to the consumer.  Registers no
# target.  Sets pvpc psub psg gwlb tg svc sid.
gwlb_provider() {
    pvpc=$(ec2 provider create-vpc --cidr-block 10.1.0.0/16 --query Vpc.VpcId) ||
        fail vpc
    psub=$(ec2 provider create-subnet --vpc-id "$pvpc" --cidr-block 10.1.1.0/24 \
           --availability-zone us-east-1a --query Subnet.SubnetId) || fail subnet
    psg=$(ec2 provider create-security-group --vpc-id "$pvpc" --group-name appl \
          --description appliances --query GroupId) || fail sg
    check ec2 provider authorize-security-group-ingress --group-id "$psg" \
        --protocol udp --port 6081 --cidr 10.1.0.0/16
    check ec2 provider authorize-security-group-ingress --group-id "$psg" \
        --protocol tcp --port 80 --cidr 10.1.0.0/16
    check elb create-load-balancer --name insp --type gateway --subnets "$psub"
    gwlb=$(json 'f["LoadBalancers"][0]["LoadBalancerArn"]' <"$TEST_DIR/stdout")
    check elb create-target-group --name insp --protocol GENEVE --port 6081 \
        --vpc-id "$pvpc" --target-type ip --health-check-port 80 "$@"
    tg=$(json 'f["TargetGroups"][0]["TargetGroupArn"]' <"$TEST_DIR/stdout")
    check elb create-listener --load-balancer-arn "$gwlb" \
        --default-actions "Type=forward,TargetGroupArn=$tg"
    svc=$(ec2 provider create-vpc-endpoint-service-configuration \
          --gateway-load-balancer-arns "$gwlb" --no-acceptance-required \
          --query ServiceConfiguration.ServiceName) || fail service
    sid=$(ec2 provider describe-vpc-endpoint-service-configurations \
          --query 'ServiceConfigurations[0].ServiceId')
    check ec2 provider modify-vpc-endpoint-service-permissions \
        --service-id "$sid" --add-allowed-principals arn:aws:iam::222222222222:root
}

# gwlb_consumer: the consumer's side: VPC 10.0.0.0/16 with the application
# subnet 10.0.1.0/24 and the endpoint subnet 10.0.2.0/24, an internet
# gateway and its stand-in "inet" (hv1, 198.51.100.10), the GWLB endpoint
# to $svc, instance c1 (hv2) in the application subnet.  Sets vpc app esub
# igw ept csg eni_c1 ip_c1.
gwlb_consumer() {
    vpc=$(ec2 consumer create-vpc --cidr-block 10.0.0.0/16 --query Vpc.VpcId) ||
        fail vpc
    app=$(ec2 consumer create-subnet --vpc-id "$vpc" --cidr-block 10.0.1.0/24 \
          --availability-zone us-east-1a --query Subnet.SubnetId) || fail app
    esub=$(ec2 consumer create-subnet --vpc-id "$vpc" --cidr-block 10.0.2.0/24 \
           --availability-zone us-east-1a --query Subnet.SubnetId) || fail esub
    igw=$(ec2 consumer create-internet-gateway \
          --query InternetGateway.InternetGatewayId) || fail igw
    check ec2 consumer attach-internet-gateway --internet-gateway-id "$igw" \
        --vpc-id "$vpc"
    ept=$(ec2 consumer create-vpc-endpoint --vpc-endpoint-type GatewayLoadBalancer \
          --vpc-id "$vpc" --service-name "$svc" --subnet-ids "$esub" \
          --query VpcEndpoint.VpcEndpointId) || fail endpoint
    csg=$(ec2 consumer describe-security-groups --filters Name=vpc-id,Values="$vpc" \
          --query 'SecurityGroups[0].GroupId')
    read -r eni_c1 ip_c1 <<<"$(eni consumer "$app")" || fail c1
    check lab attach "$eni_c1" c1 --chassis 2
    check lab internet "$igw" inet --chassis 1
}

# gwlb_routes [CMD...]: the inspection topology's three route tables:
# the application subnet's (0.0.0.0/0 -> endpoint), the endpoint subnet's
# (0.0.0.0/0 -> internet gateway) and the gateway route table (application
# subnet -> endpoint), whose last route is made with CMD (default "check
# ec2 consumer"; e.g. plctl --wait=hv).  Sets rapp rept redge.
gwlb_routes() {
    [ $# -gt 0 ] || set -- check ec2 consumer
    rapp=$(ec2 consumer create-route-table --vpc-id "$vpc" --query RouteTable.RouteTableId)
    check ec2 consumer associate-route-table --route-table-id "$rapp" --subnet-id "$app"
    check ec2 consumer create-route --route-table-id "$rapp" \
        --destination-cidr-block 0.0.0.0/0 --vpc-endpoint-id "$ept"
    rept=$(ec2 consumer create-route-table --vpc-id "$vpc" --query RouteTable.RouteTableId)
    check ec2 consumer associate-route-table --route-table-id "$rept" --subnet-id "$esub"
    check ec2 consumer create-route --route-table-id "$rept" \
        --destination-cidr-block 0.0.0.0/0 --gateway-id "$igw"
    redge=$(ec2 consumer create-route-table --vpc-id "$vpc" --query RouteTable.RouteTableId)
    check ec2 consumer associate-route-table --route-table-id "$redge" --gateway-id "$igw"
    "$@" create-route --route-table-id "$redge" \
        --destination-cidr-block 10.0.1.0/24 --vpc-endpoint-id "$ept"
}

# web_provider_vpc: the provider's VPC 10.0.0.0/16 with subnet 10.0.1.0/24
# (us-east-1a) and a group "web" that admits TCP 80 from the VPC, for the
# interface endpoint tests.  Sets pvpc psub psg.
web_provider_vpc() {
    pvpc=$(ec2 provider create-vpc --cidr-block 10.0.0.0/16 --query Vpc.VpcId) ||
        fail "create-vpc"
    psub=$(ec2 provider create-subnet --vpc-id "$pvpc" --cidr-block 10.0.1.0/24 \
               --availability-zone us-east-1a --query Subnet.SubnetId) ||
        fail "create-subnet"
    psg=$(ec2 provider create-security-group --vpc-id "$pvpc" --group-name web \
              --description "web servers" --query GroupId) ||
        fail "create-security-group"
    check ec2 provider authorize-security-group-ingress --group-id "$psg" \
        --protocol tcp --port 80 --cidr 10.0.0.0/16
}
