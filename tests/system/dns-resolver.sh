#!/bin/bash
# tests/system/dns-resolver.sh: the VPC resolver on a lab, with real
# instances, dig and curl.  A provider's service with the private DNS name
# api.example.com (pendingVerification), a consumer VPC with an interface
# endpoint to it, private DNS on.  From the consumer's instance, the
# resolver (10.0.0.2) answers the endpoint's regional and zonal names with
# the endpoint's address; names it does not know come from the lab's
# public DNS (its dnsmasq); api.example.com resolves to its public address
# until the provider proves ownership (a TXT record in a test dnsmasq,
# then StartVpcEndpointServicePrivateDnsVerification), then to the
# endpoint, and curl http://api.example.com/ reaches the provider's
# server; with private DNS off it is the public address again.
source tests/lib.sh
source tests/system/api-harness.bash
test_init dns-resolver
api_lab_up 1

# resolve NAME [TYPE]: what dig in the consumer's instance gets for NAME
# (record TYPE, default A) from the VPC's resolver, one record a line, or
# fails.
resolve() {
    lab_resolve client 10.0.0.2 "$@"
}

# check_resolves NAME ADDRESS: NAME must resolve to ADDRESS within 2 s.
check_resolves() {
    wait_until "[ \"\$(resolve $1)\" = $2 ]" 2
}

lab_provider_service api.example.com
lab_consumer_vpc
check_output pendingVerification ec2 provider \
    describe-vpc-endpoint-service-configurations --service-ids "$SVC" \
    --query 'ServiceConfigurations[0].PrivateDnsNameConfiguration.State'
lab_interface_endpoint --private-dns-enabled
ept=$EPT ept_ip=$EPT_IP
names=$(ec2 consumer describe-vpc-endpoints --vpc-endpoint-ids "$ept" \
            --query 'VpcEndpoints[0].DnsEntries[].DnsName')
regional=$(echo $names | tr ' ' '\n' | grep -m1 "^$ept-[a-z0-9]*\.")
zonal=$(echo $names | tr ' ' '\n' | grep -m1 "^$ept-[a-z0-9]*-us-east-1a\.")
[ -n "$regional" ] && [ -n "$zonal" ] || fail "DNS entries: $names"
echo "endpoint $ept at $ept_ip: $regional, $zonal"

# ------------------------------------------------------------ the endpoint's names
check_resolves "$regional" "$ept_ip"
check_resolves "$zonal" "$ept_ip"
check_resolves "$(echo "$regional" | tr a-z A-Z)" "$ept_ip"
check_output "" resolve "$regional" AAAA
check_grep 'status: NOERROR' lab_on client dig +time=2 +tries=1 @10.0.0.2 "$regional" AAAA
check_grep 'flags: qr rd ra; QUERY: 1, ANSWER: 1,' \
    lab_on client dig +time=2 +tries=1 @10.0.0.2 "$regional"
# TTL 60.
check_grep "^$regional\.[[:space:]]+60[[:space:]]+IN[[:space:]]+A[[:space:]]+$ept_ip$" \
    lab_on client dig +time=2 +tries=1 +noall +answer @10.0.0.2 "$regional"

# ------------------------------------------------------------ the lab's public DNS
# Other names come from upstream: an AWS service's public name, and
# api.example.com as long as it is not verified.
check_resolves ec2.us-east-1.amazonaws.com 198.51.100.10
check_resolves api.example.com 203.0.113.10
check_grep 'query\[A\] api\.example\.com from 192\.168\.77\.1$' cat "$LAB/central/dnsmasq.log"

# ------------------------------------------------------------ verification
dns_port=$(free_port)
check set_global_option verification_resolver "127.0.0.1:$dns_port"
field() {
    ec2 provider describe-vpc-endpoint-service-configurations --service-ids "$SVC" \
        --query "ServiceConfigurations[0].PrivateDnsNameConfiguration.$1"
}
dns_server_start "$dns_port" "$(field Name).api.example.com,$(field Value)"
check aws_as provider ec2 start-vpc-endpoint-service-private-dns-verification \
    --service-id "$SVC"
wait_until '[ "$(field State)" = verified ]'
check_resolves api.example.com "$ept_ip"
# By name, through the endpoint, to the provider's server (curl uses the
# instance's resolv.conf: the VPC's resolver).
check_output "hello from web" lab_on client curl -s --connect-timeout 4 \
    --max-time 6 http://api.example.com/
# The endpoint's own names stay.
check_resolves "$regional" "$ept_ip"

# ------------------------------------------------------------ private DNS off
check ec2 consumer modify-vpc-endpoint --vpc-endpoint-id "$ept" \
    --no-private-dns-enabled
check_resolves api.example.com 203.0.113.10
check_resolves "$regional" "$ept_ip"
check ec2 consumer modify-vpc-endpoint --vpc-endpoint-id "$ept" \
    --private-dns-enabled
check_resolves api.example.com "$ept_ip"

# ------------------------------------------------------------ endpoint deleted
check ec2 consumer delete-vpc-endpoints --vpc-endpoint-ids "$ept"
check_resolves api.example.com 203.0.113.10
check_fails eval "resolve $regional | grep -q ."

check_no_warnings "$LAB/hv1/plink-controller.log" \
    'br-int.mgmt: connection failed \(Connection refused\)'
api_lab_down
