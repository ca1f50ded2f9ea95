#!/bin/bash
# tests/system/four-chassis.sh: interface endpoints spread over a 4-chassis
# lab, everything made through the AWS CLI (and plctl for the ELBv2
# operations), and each chassis installs only the flows its bound ports
# need.
#
#   hv1: a1 (consumer VPC A)
#   hv2: a2 (consumer VPC A), s2 (target of service 2, provider VPC P2)
#   hv3: s1 (target of service 1, provider VPC P1)
#   hv4: b1 (consumer VPC B)
#
# VPC A has an endpoint of each service, VPC B one of service 1.  curl
# works from a1 and a2 through both of A's endpoints and from b1 through
# B's, and each service answers with its own page.
#
# Scope: this is filtering in the controller, not conditional monitoring.
# Every controller replicates the whole PrivateLink database (but for the
# credentials tables) and builds flows only for its "local VPCs": the VPCs
# of the ENIs bound to it, plus the provider VPCs of the active endpoints
# of those (flows-private.h).  So a chassis with no ENI of a VPC (and no
# endpoint into it) has no flow that matches or loads that VPC's tunnel
# key as metadata: hv1 none of B's, hv2 none of B's, hv3 none of A's, B's
# or P2's, hv4 none of A's or P2's.  Prints the flow count of each chassis.
. "$(dirname "$0")/../lib.sh"
test_init four-chassis
. "$(dirname "$0")/traffic.bash"

traffic_lab_up 4

# provider K CIDR CHASSIS: provider VPC PK with block CIDR (a /16), its
# target sK on hvCHASSIS serving "service K" on port 80, an NLB, and an
# endpoint service that needs no acceptance; sets pvpcK and svcK (the
# service name).
provider() {
    local k=$1 cidr=$2 hv=$3 vpc sub sg eni_s ip_s nlb tg id pre=${2%.0.0/16}
    vpc=$(ec2 provider create-vpc --cidr-block "$cidr" --query Vpc.VpcId) ||
        fail "create-vpc P$k"
    sub=$(ec2 provider create-subnet --vpc-id "$vpc" --cidr-block "$pre.1.0/24" \
              --availability-zone us-east-1a --query Subnet.SubnetId) ||
        fail "create-subnet P$k"
    sg=$(ec2 provider create-security-group --vpc-id "$vpc" --group-name web \
             --description web --query GroupId) || fail "security group P$k"
    check ec2 provider authorize-security-group-ingress --group-id "$sg" \
        --protocol tcp --port 80 --cidr "$cidr"
    read -r eni_s ip_s <<<"$(eni provider "$sub" "$sg")" || fail "s$k"
    check lab attach "$eni_s" "s$k" --chassis "$hv"
    mkdir -p "$TEST_DIR/www$k"
    echo "service $k" >"$TEST_DIR/www$k/index.html"
    ip netns exec "$(lab netns "s$k")" /usr/bin/python3 -m http.server 80 \
        --bind "$ip_s" --directory "$TEST_DIR/www$k" >"$TEST_DIR/s$k.log" 2>&1 &
    on_exit "kill $!"
    wait_until "on s$k ss -Hltn 'sport = :80' | grep -q ':80'"

    check elb create-load-balancer --name "web$k" --type network --subnets "$sub"
    nlb=$(json 'f["LoadBalancers"][0]["LoadBalancerArn"]' <"$TEST_DIR/stdout")
    check elb create-target-group --name "web$k" --protocol TCP --port 80 \
        --vpc-id "$vpc" --target-type ip --health-check-interval-seconds 5 \
        --health-check-timeout-seconds 2
    tg=$(json 'f["TargetGroups"][0]["TargetGroupArn"]' <"$TEST_DIR/stdout")
    check elb register-targets --target-group-arn "$tg" --targets "Id=$ip_s"
    check elb create-listener --load-balancer-arn "$nlb" --protocol TCP \
        --port 80 --default-actions "Type=forward,TargetGroupArn=$tg"
    id=$(ec2 provider create-vpc-endpoint-service-configuration \
             --network-load-balancer-arns "$nlb" --no-acceptance-required \
             --query ServiceConfiguration.ServiceId) || fail "service $k"
    check ec2 provider modify-vpc-endpoint-service-permissions --service-id "$id" \
        --add-allowed-principals arn:aws:iam::222222222222:root
    printf -v "pvpc$k" %s "$vpc"
    printf -v "svc$k" %s "$(ec2 provider describe-vpc-endpoint-service-configurations \
        --service-ids "$id" --query 'ServiceConfigurations[0].ServiceName')"
}

# consumer NAME CIDR: consumer VPC NAME with block CIDR, a subnet and a
# security group for endpoints; sets vpc_NAME, sub_NAME, sg_NAME.
consumer() {
    local name=$1 cidr=$2 vpc pre=${2%.0.0/16}
    vpc=$(ec2 consumer create-vpc --cidr-block "$cidr" --query Vpc.VpcId) ||
        fail "create-vpc $name"
    printf -v "vpc_$name" %s "$vpc"
    printf -v "sub_$name" %s "$(ec2 consumer create-subnet --vpc-id "$vpc" \
        --cidr-block "$pre.1.0/24" --availability-zone us-east-1a \
        --query Subnet.SubnetId)" || fail "create-subnet $name"
    printf -v "sg_$name" %s "$(ec2 consumer create-security-group --vpc-id "$vpc" \
        --group-name ept --description endpoints --query GroupId)" ||
        fail "security group $name"
    local sg=sg_$name
    check ec2 consumer authorize-security-group-ingress --group-id "${!sg}" \
        --protocol tcp --port 80 --cidr "$cidr"
}

# instance NAME VPC-NAME CHASSIS: a consumer instance in VPC-NAME's subnet.
instance() {
    local sub=sub_$2 id ip
    read -r id ip <<<"$(eni consumer "${!sub}")" || fail "$1"
    check lab attach "$id" "$1" --chassis "$3"
}

# endpoint VPC-NAME SERVICE-NAME: an interface endpoint; prints its ENI's
# address once it is available.
endpoint() {
    local vpc=vpc_$1 sub=sub_$1 sg=sg_$1 ept eni
    ept=$(ec2 consumer create-vpc-endpoint --vpc-endpoint-type Interface \
              --vpc-id "${!vpc}" --service-name "$2" --subnet-ids "${!sub}" \
              --security-group-ids "${!sg}" --query VpcEndpoint.VpcEndpointId) ||
        fail "create-vpc-endpoint $1 $2"
    eni=$(ec2 consumer describe-vpc-endpoints --vpc-endpoint-ids "$ept" \
              --query 'VpcEndpoints[0].NetworkInterfaceIds[0]')
    ec2 consumer describe-network-interfaces --network-interface-ids "$eni" \
        --query 'NetworkInterfaces[0].PrivateIpAddress'
}

provider 1 10.1.0.0/16 3
provider 2 10.2.0.0/16 2
consumer A 10.10.0.0/16
consumer B 10.20.0.0/16
instance a1 A 1
instance a2 A 2
instance b1 B 4
ip_a1=$(endpoint A "$svc1") || fail "endpoint A1"
ip_a2=$(endpoint A "$svc2") || fail "endpoint A2"
ip_b1=$(endpoint B "$svc1") || fail "endpoint B1"
echo "endpoints: A -> service 1 $ip_a1, A -> service 2 $ip_a2, B -> service 1 $ip_b1"

# ------------------------------------------------------------ traffic
# get FROM IP EXPECTED: curl from instance FROM to IP answers EXPECTED
# (polled: the endpoint may not be realized yet).
get() {
    wait_until "[ \"\$(on $1 curl -s --connect-timeout 0.5 --max-time 1 http://$2/)\" = '$3' ]" 20
}
get a1 "$ip_a1" "service 1"     # hv1 -> hv3
get a1 "$ip_a2" "service 2"     # hv1 -> hv2
get a2 "$ip_a1" "service 1"     # hv2 -> hv3
get a2 "$ip_a2" "service 2"     # hv2 -> hv2
get b1 "$ip_b1" "service 1"     # hv4 -> hv3
# And B's instance does not reach A's endpoints (another VPC, same
# addresses would be B's own).
check_fails on b1 curl -s --connect-timeout 1 --max-time 2 "http://$ip_a2/"

# ------------------------------------------------------------ scope
# key VPC-ID: the VPC's tunnel key, in hex.
key() {
    printf '%x' "$(ovsdb-client transact "unix:$lab/central/pl.sock" \
        "[\"PrivateLink\",{\"op\":\"select\",\"table\":\"Vpc\",
          \"where\":[[\"vpc_id\",\"==\",\"$1\"]],\"columns\":[\"tunnel_key\"]}]" |
        sed 's/.*"tunnel_key":\([0-9]*\).*/\1/')"
}
declare -A keys=([A]=$(key "$vpc_A") [B]=$(key "$vpc_B") [P1]=$(key "$pvpc1")
                 [P2]=$(key "$pvpc2"))

# flows_of K VPC: hvK's flows that match or load VPC's key as metadata.
flows_of() {
    ovs-ofctl -O OpenFlow15 dump-flows --no-stats "unix:$lab/hv$1/br-int.mgmt" |
        grep -Ec "metadata=0x${keys[$2]}[/, ]|0x${keys[$2]}->metadata|metadata=0x${keys[$2]}\$"
}

# scope K LOCAL ABSENT: hvK has flows for each VPC in LOCAL and none for
# any in ABSENT.
scope() {
    local k=$1 v n line="hv$1: $(ovs-ofctl -O OpenFlow15 dump-flows \
        "unix:$lab/hv$1/br-int.mgmt" | grep -c table=) flows;"
    for v in $2; do
        n=$(flows_of "$k" "$v")
        [ "$n" -gt 0 ] || fail "hv$k has no flow of local VPC $v"
        line="$line $v $n"
    done
    for v in $3; do
        n=$(flows_of "$k" "$v")
        [ "$n" = 0 ] || {
            ovs-ofctl -O OpenFlow15 dump-flows --no-stats "unix:$lab/hv$k/br-int.mgmt" |
                grep -E "0x${keys[$v]}" | head -5 >&2
            fail "hv$k has $n flows of VPC $v, which has no ENI there"
        }
        line="$line, $v none"
    done
    echo "$line"
}
echo "VPC keys: ${keys[*]@K}"
scope 1 "A P1 P2" "B"
scope 2 "A P1 P2" "B"
scope 3 "P1" "A B P2"
scope 4 "B P1" "A P2"

traffic_lab_check_logs
