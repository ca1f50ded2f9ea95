#!/bin/bash
# plink-demo.sh: what "make demo" runs after building.  Starts a 2-chassis
# lab in /tmp/plink-lab (API on http://127.0.0.1:8780), shows it through
# plctl, the AWS CLI and ovs-ofctl, and says how to use it and stop it.
# The lab keeps running after the demo.

set -u -o pipefail
top=$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)
lab=$top/utilities/plink-lab
plctl=${PLCTL:-$top/utilities/plctl}
aws=/usr/bin/aws
dir=/tmp/plink-lab
port=8780
url=http://127.0.0.1:$port

# Only the lab's own variables: no stray credentials or profile.
unset AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY AWS_SESSION_TOKEN AWS_PROFILE

if [ -t 1 ]; then bold=$'\033[1m' plain=$'\033[0m'; else bold='' plain=''; fi
section() {
    printf '\n%s== %s%s\n' "$bold" "$*" "$plain"
}

# show CMD...: prints the command, then runs it.
show() {
    printf '$ %s\n' "$*"
    "$@"
}

section "Starting a lab with 2 chassis in $dir"
if [ -e "$dir/lab.conf" ]; then
    echo "(taking down the lab already in $dir)"
    "$lab" down --dir "$dir" || exit 1
fi
show "$lab" up --dir "$dir" --chassis 2 --api-port $port || exit 1
. "$dir/env"

section "The deployment, as the admin CLI sees it"
if [ ! -x "$plctl" ]; then
    echo "(plctl is not built: $plctl)"
elif ! show "$plctl" --endpoint-url "$url" --profile provider show; then
    echo "(plctl show failed: see above)"
fi

section "The EC2 API, through the real AWS CLI (signed with SigV4)"
if ! show "$aws" --endpoint-url "$url" --profile consumer ec2 describe-availability-zones --output table; then
    echo "(the AWS CLI call failed: see $dir/central/plinkd.log)"
fi

section "A PrivateLink scenario: a provider's service, a consumer's interface endpoint"
# ec2 PROFILE ARGS...: the AWS CLI as PROFILE, text output.
ec2() {
    local profile=$1
    shift
    "$aws" --endpoint-url "$url" --profile "$profile" --output text ec2 "$@"
}
# step DESCRIPTION: says what comes next.
step() {
    printf '\n-- %s\n' "$*"
}

# demo_inspection: the guide's inspection topology, in a new consumer VPC:
# what enters and leaves it passes an appliance behind a Gateway Load
# Balancer.
demo_inspection() {
    local svpc ssub ssg eni_a ip_a gwlb tg svc_id svc_name
    local vpc app esub igw ept csg eni_i ip_i rapp rept redge appl inst inet
    elb() {
        "$plctl" --endpoint-url "$url" --profile provider "$@"
    }
    arn() {
        /usr/bin/python3 -c 'import json,sys; print(json.load(sys.stdin)[sys.argv[1]][0][sys.argv[2]])' "$@"
    }

    step "provider: a security VPC 10.1.0.0/16, an appliance on hv2 running plink-appliance"
    svpc=$(ec2 provider create-vpc --cidr-block 10.1.0.0/16 --query Vpc.VpcId) || return 1
    ssub=$(ec2 provider create-subnet --vpc-id $svpc --cidr-block 10.1.1.0/24 \
               --availability-zone us-east-1a --query Subnet.SubnetId) || return 1
    ssg=$(ec2 provider create-security-group --vpc-id $svpc --group-name appliances \
              --description "inspection appliances" --query GroupId) || return 1
    ec2 provider authorize-security-group-ingress --group-id $ssg --protocol udp \
        --port 6081 --cidr 10.1.0.0/16 >/dev/null || return 1
    ec2 provider authorize-security-group-ingress --group-id $ssg --protocol tcp \
        --port 80 --cidr 10.1.0.0/16 >/dev/null || return 1
    read -r eni_a ip_a <<<"$(ec2 provider create-network-interface --subnet-id $ssub \
        --groups $ssg --query 'NetworkInterface.[NetworkInterfaceId,PrivateIpAddress]')"
    "$lab" attach --dir "$dir" $eni_a appliance --chassis 2 >/dev/null || return 1
    appl=$("$lab" netns --dir "$dir" appliance)
    rm -f "$dir/appliance.stats"
    ip netns exec $appl "$top/utilities/plink-appliance" --listen $ip_a \
        --stats "$dir/appliance.stats" --log-file="$dir/appliance.log" >/dev/null 2>&1 &
    # Its health checks: a TCP listener on port 80.
    ip netns exec $appl /usr/bin/python3 -m http.server 80 --bind $ip_a \
        --directory "$dir/www" >/dev/null 2>&1 &
    echo "appliance $ip_a on hv2: GENEVE in on UDP 6081, the same datagram back"

    step "provider: a gateway load balancer, a GENEVE target group, a GWLB endpoint service"
    gwlb=$(elb create-load-balancer --name inspection --type gateway --subnets $ssub |
               arn LoadBalancers LoadBalancerArn) || return 1
    tg=$(elb create-target-group --name inspection --protocol GENEVE --port 6081 \
             --vpc-id $svpc --target-type ip --health-check-port 80 \
             --health-check-interval-seconds 5 --healthy-threshold-count 2 |
             arn TargetGroups TargetGroupArn) || return 1
    elb register-targets --target-group-arn $tg --targets Id=$ip_a >/dev/null || return 1
    elb create-listener --load-balancer-arn $gwlb \
        --default-actions Type=forward,TargetGroupArn=$tg >/dev/null || return 1
    read -r svc_id svc_name <<<"$(ec2 provider create-vpc-endpoint-service-configuration \
        --gateway-load-balancer-arns $gwlb --no-acceptance-required \
        --query 'ServiceConfiguration.[ServiceId,ServiceName]')"
    [ -n "$svc_name" ] || return 1
    ec2 provider modify-vpc-endpoint-service-permissions --service-id $svc_id \
        --add-allowed-principals arn:aws:iam::222222222222:root >/dev/null || return 1
    echo "$svc_name, behind $gwlb"

    step "consumer: a new VPC 10.2.0.0/16, an instance on hv1, a GWLB endpoint in its own subnet, an internet gateway"
    vpc=$(ec2 consumer create-vpc --cidr-block 10.2.0.0/16 --query Vpc.VpcId) || return 1
    app=$(ec2 consumer create-subnet --vpc-id $vpc --cidr-block 10.2.1.0/24 \
              --availability-zone us-east-1a --query Subnet.SubnetId) || return 1
    esub=$(ec2 consumer create-subnet --vpc-id $vpc --cidr-block 10.2.2.0/24 \
               --availability-zone us-east-1a --query Subnet.SubnetId) || return 1
    csg=$(ec2 consumer describe-security-groups --filters Name=vpc-id,Values=$vpc \
              --query 'SecurityGroups[0].GroupId')
    ec2 consumer authorize-security-group-ingress --group-id $csg --protocol tcp \
        --port 80 --cidr 0.0.0.0/0 >/dev/null || return 1
    read -r eni_i ip_i <<<"$(ec2 consumer create-network-interface --subnet-id $app \
        --query 'NetworkInterface.[NetworkInterfaceId,PrivateIpAddress]')"
    "$lab" attach --dir "$dir" $eni_i instance --chassis 1 >/dev/null || return 1
    inst=$("$lab" netns --dir "$dir" instance)
    mkdir -p "$dir/www-instance" && echo "hello from the instance" >"$dir/www-instance/index.html"
    ip netns exec $inst /usr/bin/python3 -m http.server 80 \
        --bind $ip_i --directory "$dir/www-instance" >/dev/null 2>&1 &
    show ec2 consumer create-vpc-endpoint --vpc-endpoint-type GatewayLoadBalancer \
        --vpc-id $vpc --service-name $svc_name --subnet-ids $esub \
        --query 'VpcEndpoint.[VpcEndpointId,State]' || return 1
    ept=$(ec2 consumer describe-vpc-endpoints --filters Name=vpc-id,Values=$vpc \
              --query 'VpcEndpoints[0].VpcEndpointId')
    igw=$(ec2 consumer create-internet-gateway \
              --query InternetGateway.InternetGatewayId) || return 1
    ec2 consumer attach-internet-gateway --internet-gateway-id $igw --vpc-id $vpc || return 1
    echo "the internet behind $igw, played by a namespace on hv1 with a web server:"
    show "$lab" internet --dir "$dir" $igw internet --chassis 1 || return 1
    mkdir -p "$dir/www-internet" && echo "hello from the internet" >"$dir/www-internet/index.html"
    inet=$("$lab" netns --dir "$dir" internet)
    ip netns exec $inet /usr/bin/python3 -m http.server 80 \
        --bind 198.51.100.10 --directory "$dir/www-internet" >/dev/null 2>&1 &

    step "consumer: the route tables: application subnet, endpoint subnet, the gateway's edge"
    rapp=$(ec2 consumer create-route-table --vpc-id $vpc --query RouteTable.RouteTableId)
    ec2 consumer associate-route-table --route-table-id $rapp --subnet-id $app >/dev/null &&
        show ec2 consumer create-route --route-table-id $rapp \
            --destination-cidr-block 0.0.0.0/0 --vpc-endpoint-id $ept || return 1
    rept=$(ec2 consumer create-route-table --vpc-id $vpc --query RouteTable.RouteTableId)
    ec2 consumer associate-route-table --route-table-id $rept --subnet-id $esub >/dev/null &&
        show ec2 consumer create-route --route-table-id $rept \
            --destination-cidr-block 0.0.0.0/0 --gateway-id $igw || return 1
    redge=$(ec2 consumer create-route-table --vpc-id $vpc --query RouteTable.RouteTableId)
    show ec2 consumer associate-route-table --route-table-id $redge --gateway-id $igw \
        --query AssociationState.State || return 1
    echo "(the last one through plctl --wait=hv: it returns once every chassis has the flows)"
    show "$plctl" --endpoint-url "$url" --profile consumer --wait=hv create-route \
        --route-table-id $redge --destination-cidr-block 10.2.1.0/24 \
        --vpc-endpoint-id $ept || return 1

    step "the instance ($ip_i) reaches the internet, and the internet the instance, through the appliance"
    show ip netns exec $inst curl -s --max-time 3 http://198.51.100.10/
    show ip netns exec $inet curl -s --max-time 3 http://$ip_i/

    step "what the appliance saw (plink-appliance --stats): both directions of both flows"
    sleep 1.2
    show cat "$dir/appliance.stats"
}
demo_scenario() {
    local pvpc psub psg eni_t ip_t nlb tg svc cvpc csub eni_c ip_c ept eni_e ip_e i
    step "provider (111111111111): VPC 10.0.0.0/16, a web server on hv2 behind an NLB"
    pvpc=$(ec2 provider create-vpc --cidr-block 10.0.0.0/16 --query Vpc.VpcId) || return 1
    psub=$(ec2 provider create-subnet --vpc-id $pvpc --cidr-block 10.0.1.0/24 \
               --availability-zone us-east-1a --query Subnet.SubnetId) || return 1
    psg=$(ec2 provider create-security-group --vpc-id $pvpc --group-name web \
              --description "web servers" --query GroupId) || return 1
    ec2 provider authorize-security-group-ingress --group-id $psg --protocol tcp \
        --port 80 --cidr 10.0.0.0/16 >/dev/null || return 1
    read -r eni_t ip_t <<<"$(ec2 provider create-network-interface --subnet-id $psub \
        --groups $psg --query 'NetworkInterface.[NetworkInterfaceId,PrivateIpAddress]')"
    "$lab" attach --dir "$dir" $eni_t web --chassis 2 >/dev/null || return 1
    mkdir -p "$dir/www" && echo "hello from the provider's web server" >"$dir/www/index.html"
    ip netns exec "$("$lab" netns --dir "$dir" web)" /usr/bin/python3 -m http.server 80 \
        --bind $ip_t --directory "$dir/www" >"$dir/web.log" 2>&1 &
    nlb=$("$plctl" --endpoint-url "$url" --profile provider create-load-balancer --name web \
              --type network --subnets $psub | /usr/bin/python3 -c \
              'import json,sys; print(json.load(sys.stdin)["LoadBalancers"][0]["LoadBalancerArn"])')
    tg=$("$plctl" --endpoint-url "$url" --profile provider create-target-group --name web \
             --protocol TCP --port 80 --vpc-id $pvpc --target-type ip | /usr/bin/python3 -c \
             'import json,sys; print(json.load(sys.stdin)["TargetGroups"][0]["TargetGroupArn"])')
    "$plctl" --endpoint-url "$url" --profile provider register-targets \
        --target-group-arn $tg --targets Id=$ip_t >/dev/null || return 1
    "$plctl" --endpoint-url "$url" --profile provider create-listener --load-balancer-arn $nlb \
        --protocol TCP --port 80 --default-actions Type=forward,TargetGroupArn=$tg >/dev/null || return 1
    echo "web server $ip_t on hv2, NLB $nlb"

    step "provider: an endpoint service that requires acceptance, open to the consumer, named web.example.com"
    show ec2 provider create-vpc-endpoint-service-configuration \
        --network-load-balancer-arns $nlb --acceptance-required \
        --private-dns-name web.example.com \
        --query 'ServiceConfiguration.[ServiceId,ServiceName,ServiceState,PrivateDnsName]' || return 1
    svc=$(ec2 provider describe-vpc-endpoint-service-configurations \
              --query 'ServiceConfigurations[0].ServiceId')
    ec2 provider modify-vpc-endpoint-service-permissions --service-id $svc \
        --add-allowed-principals arn:aws:iam::222222222222:root >/dev/null || return 1

    step "consumer (222222222222): the same block 10.0.0.0/16, an instance on hv1, an interface endpoint"
    cvpc=$(ec2 consumer create-vpc --cidr-block 10.0.0.0/16 --query Vpc.VpcId) || return 1
    csub=$(ec2 consumer create-subnet --vpc-id $cvpc --cidr-block 10.0.1.0/24 \
               --availability-zone us-east-1a --query Subnet.SubnetId) || return 1
    read -r eni_c ip_c <<<"$(ec2 consumer create-network-interface --subnet-id $csub \
        --query 'NetworkInterface.[NetworkInterfaceId,PrivateIpAddress]')"
    "$lab" attach --dir "$dir" $eni_c client --chassis 1 >/dev/null || return 1
    show ec2 consumer create-vpc-endpoint --vpc-endpoint-type Interface --vpc-id $cvpc \
        --service-name com.amazonaws.vpce.us-east-1.$svc --subnet-ids $csub \
        --query 'VpcEndpoint.[VpcEndpointId,State]' || return 1
    ept=$(ec2 consumer describe-vpc-endpoints --query 'VpcEndpoints[0].VpcEndpointId')
    eni_e=$(ec2 consumer describe-vpc-endpoints --query 'VpcEndpoints[0].NetworkInterfaceIds[0]')
    ip_e=$(ec2 consumer describe-network-interfaces --network-interface-ids $eni_e \
               --query 'NetworkInterfaces[0].PrivateIpAddress')

    step "provider: accept (plctl --wait=hv returns once every chassis has the flows)"
    show "$plctl" --endpoint-url "$url" --profile provider --wait=hv \
        accept-vpc-endpoint-connections --service-id $svc --vpc-endpoint-ids $ept || return 1
    show ec2 consumer describe-vpc-endpoints --query 'VpcEndpoints[0].[VpcEndpointId,State]'

    step "consumer: curl http://$ip_e/ (the endpoint's address in its own subnet)"
    for i in 1 2 3 4 5; do
        ip netns exec "$("$lab" netns --dir "$dir" client)" curl -s --max-time 3 \
            "http://$ip_e/" && break
        sleep 1
    done
    echo "the provider's server saw the NLB's address, never the consumer's:"
    sed -n 's/^\([0-9.]*\) - - .*"GET .*/  \1/p' "$dir/web.log" | sort -u

    local client name s3 rtb
    client=$("$lab" netns --dir "$dir" client)
    step "consumer: the endpoint's DNS name, answered by the VPC resolver (10.0.0.2)"
    name=$(ec2 consumer describe-vpc-endpoints --query 'VpcEndpoints[0].DnsEntries[0].DnsName')
    show ip netns exec $client dig +short "$name"
    show ip netns exec $client curl -s --max-time 3 "http://$name/"

    local vname vvalue state
    step "provider: proves it owns web.example.com (a TXT record in the lab's public DNS)"
    show ec2 provider describe-vpc-endpoint-service-configurations --service-ids $svc \
        --query 'ServiceConfigurations[0].PrivateDnsNameConfiguration.[Type,Name,Value,State]'
    read -r vname vvalue <<<"$(ec2 provider describe-vpc-endpoint-service-configurations \
        --service-ids $svc --query 'ServiceConfigurations[0].PrivateDnsNameConfiguration.[Name,Value]')"
    show "$lab" dns-record --dir "$dir" add "$vname.web.example.com" TXT "$vvalue" || return 1
    show ec2 provider start-vpc-endpoint-service-private-dns-verification --service-id $svc ||
        return 1
    for i in $(seq 50); do
        state=$(ec2 provider describe-vpc-endpoint-service-configurations --service-ids $svc \
                    --query 'ServiceConfigurations[0].PrivateDnsNameConfiguration.State')
        [ "$state" = verified ] && break
        sleep 0.2
    done
    show ec2 provider describe-vpc-endpoint-service-configurations --service-ids $svc \
        --query 'ServiceConfigurations[0].[PrivateDnsName,PrivateDnsNameConfiguration.State]'

    step "consumer: private DNS on the endpoint (a new VPC has enableDnsSupport, not enableDnsHostnames)"
    echo "before, web.example.com is the public answer:"
    show ip netns exec $client dig +short web.example.com
    show ec2 consumer describe-vpc-attribute --vpc-id $cvpc --attribute enableDnsHostnames \
        --query EnableDnsHostnames.Value
    show ec2 consumer modify-vpc-attribute --vpc-id $cvpc --enable-dns-hostnames || return 1
    show ec2 consumer modify-vpc-endpoint --vpc-endpoint-id $ept --private-dns-enabled || return 1
    for i in $(seq 20); do
        [ "$(ip netns exec $client dig +short web.example.com)" = "$ip_e" ] && break
        sleep 0.1
    done
    echo "now the VPC resolver answers it with the endpoint's address, in this VPC only:"
    show ip netns exec $client dig +noall +answer web.example.com
    show ip netns exec $client curl -s --max-time 3 http://web.example.com/

    step "consumer: a gateway endpoint to S3 on the VPC's main route table"
    rtb=$(ec2 consumer describe-route-tables --filters Name=vpc-id,Values=$cvpc \
              --query 'RouteTables[0].RouteTableId')
    show ec2 consumer create-vpc-endpoint --vpc-id $cvpc \
        --service-name com.amazonaws.us-east-1.s3 --route-table-ids $rtb \
        --query 'VpcEndpoint.[VpcEndpointId,State]' || return 1
    show ec2 consumer describe-route-tables --route-table-ids $rtb \
        --query 'RouteTables[0].Routes[].[DestinationCidrBlock||DestinationPrefixListId,GatewayId,Origin]'
    s3=$("$lab" service-ip --dir "$dir" s3) || return 1
    echo "the lab's S3-like service is at $s3 (plink-lab service-ip s3)"
    for i in 1 2 3 4 5; do
        ip netns exec $client curl -s --max-time 3 -o /dev/null -X PUT \
            --data-binary "hello through a gateway endpoint" \
            "http://$s3/demo-bucket/hello" && break
        sleep 1
    done
    show ip netns exec $client curl -s --max-time 3 "http://$s3/demo-bucket/hello"
    echo
    echo "the S3 service saw the instance's private address ($ip_c):"
    sed 's/^/  /' "$dir/svc-s3/s3.log" | tail -2

    demo_inspection || return 1

    step "the deployment as plctl shows it to the provider"
    "$plctl" --endpoint-url "$url" --profile provider show
}
if ! demo_scenario; then
    echo "(the scenario stopped: see $dir/lab.log and $dir/central/plinkd.log)"
fi

section "OpenFlow on chassis hv1 (first lines)"
printf '$ %s\n' "$lab exec hv1 -- ovs-ofctl -O OpenFlow15 --no-stats dump-flows br-int | head -12"
flows=$("$lab" exec --dir "$dir" hv1 -- ovs-ofctl -O OpenFlow15 --no-stats dump-flows br-int 2>&1)
printf '%s\n' "$flows" | head -12
echo "($(printf '%s\n' "$flows" | grep -c 'cookie=') flows on hv1's br-int)"

section "Using the lab"
cat <<EOF
The lab keeps running.  To use it from a shell:

    source $dir/env
    $aws --endpoint-url $url --profile consumer ec2 describe-availability-zones
    $aws --endpoint-url $url --profile consumer ec2 describe-vpc-endpoint-services
    $aws --endpoint-url $url --profile provider ec2 describe-vpc-endpoint-service-configurations
    $plctl --endpoint-url $url --profile provider show
    $lab status
    $lab exec hv1 -- ovs-vsctl show
    $lab exec hv1 -- ovs-ofctl -O OpenFlow15 dump-flows br-int
    $lab exec hv2 -- ping -c1 192.168.77.1

Profiles "provider" (account 111111111111) and "consumer" (222222222222)
are in $dir/credentials; add one with:
    $lab account-add 333333333333 third

To stop it:

    $lab down
EOF
