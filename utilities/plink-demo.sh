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
