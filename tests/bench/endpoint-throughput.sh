#!/bin/bash
# tests/bench/endpoint-throughput.sh: on a 2-chassis lab, in one run,
#  - a 20 MB HTTP transfer from a provider's server (hv2) to a consumer's
#    instance (hv1) through an interface endpoint, against the same
#    transfer between two plain ENIs of one VPC on the same two chassis;
#  - the time from create-vpc-endpoint (to a service that accepts
#    automatically) to the first successful curl through it.
# Prints a table.  Everything through the AWS CLI, plctl and plink-lab.
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top" || exit 1
source tests/lib.sh
source tests/system/api-harness.bash
test_init bench-endpoint
api_lab_up 2

q() { aws_text "$@"; }
ns() { plink-lab netns --dir "$LAB" "$1"; }
eni() {
    q "$1" ec2 create-network-interface --subnet-id "$2" ${3:+--groups $3} \
        --query 'NetworkInterface.[NetworkInterfaceId,PrivateIpAddress]'
}
mkdir "$TEST_DIR/www"
head -c 20000000 /dev/urandom >"$TEST_DIR/www/20M.bin"

# Provider: a server on hv2, a plain client on hv1, an NLB, a service.
pvpc=$(q provider ec2 create-vpc --cidr-block 10.0.0.0/16 --query Vpc.VpcId)
psub=$(q provider ec2 create-subnet --vpc-id $pvpc --cidr-block 10.0.1.0/24 \
       --availability-zone us-east-1a --query Subnet.SubnetId)
psg=$(q provider ec2 create-security-group --vpc-id $pvpc --group-name web \
      --description web --query GroupId)
check aws_as provider ec2 authorize-security-group-ingress --group-id $psg \
    --protocol tcp --port 80 --cidr 10.0.0.0/16
read -r eni_s ip_s <<<"$(eni provider $psub $psg)"
read -r eni_p ip_p <<<"$(eni provider $psub $psg)"
check plink-lab attach --dir "$LAB" $eni_s server --chassis 2
check plink-lab attach --dir "$LAB" $eni_p plain --chassis 1
ip netns exec "$(ns server)" /usr/bin/python3 -m http.server 80 --bind $ip_s \
    --directory "$TEST_DIR/www" >"$TEST_DIR/server.log" 2>&1 &
on_exit "kill $!"
wait_until "ip netns exec $(ns server) ss -Hltn 'sport = :80' | grep -q :80"
nlb=$(plctl_as provider create-load-balancer --name web --type network \
      --subnets $psub | /usr/bin/python3 -c \
      'import json,sys; print(json.load(sys.stdin)["LoadBalancers"][0]["LoadBalancerArn"])')
tg=$(plctl_as provider create-target-group --name web --protocol TCP --port 80 \
     --vpc-id $pvpc --target-type ip | /usr/bin/python3 -c \
     'import json,sys; print(json.load(sys.stdin)["TargetGroups"][0]["TargetGroupArn"])')
check plctl_as provider register-targets --target-group-arn $tg --targets Id=$ip_s
check plctl_as provider create-listener --load-balancer-arn $nlb --protocol TCP \
    --port 80 --default-actions Type=forward,TargetGroupArn=$tg
svc=$(q provider ec2 create-vpc-endpoint-service-configuration \
      --network-load-balancer-arns $nlb --no-acceptance-required \
      --query ServiceConfiguration.ServiceId)
check aws_as provider ec2 modify-vpc-endpoint-service-permissions \
    --service-id $svc --add-allowed-principals '*'

# Consumer: an instance on hv1.
cvpc=$(q consumer ec2 create-vpc --cidr-block 10.0.0.0/16 --query Vpc.VpcId)
csub=$(q consumer ec2 create-subnet --vpc-id $cvpc --cidr-block 10.0.1.0/24 \
       --availability-zone us-east-1a --query Subnet.SubnetId)
read -r eni_c ip_c <<<"$(eni consumer $csub)"
check plink-lab attach --dir "$LAB" $eni_c client --chassis 1

# create-vpc-endpoint -> first successful curl.
t0=$(date +%s%N)
ept=$(q consumer ec2 create-vpc-endpoint --vpc-endpoint-type Interface \
      --vpc-id $cvpc --service-name com.amazonaws.vpce.us-east-1.$svc \
      --subnet-ids $csub --query VpcEndpoint.VpcEndpointId)
t1=$(date +%s%N)
eni_e=$(q consumer ec2 describe-vpc-endpoints --vpc-endpoint-ids $ept \
        --query 'VpcEndpoints[0].NetworkInterfaceIds[0]')
ip_e=$(q consumer ec2 describe-network-interfaces --network-interface-ids $eni_e \
       --query 'NetworkInterfaces[0].PrivateIpAddress')
wait_until "ip netns exec $(ns client) curl -s --connect-timeout 0.3 --max-time 1 \
    -o /dev/null http://$ip_e/" 30
t2=$(date +%s%N)

# rate NAME URL: MB/s of the 20 MB download from instance NAME.
rate() {
    ip netns exec "$(ns $1)" curl -s -o /dev/null --max-time 60 \
        -w '%{speed_download}' "$2" | awk '{printf "%.1f", $1 / 1e6}'
}
ept_rate=$(rate client http://$ip_e/20M.bin)
plain_rate=$(rate plain http://$ip_s/20M.bin)

printf '\nInterface endpoint on a 2-chassis lab (one run)\n'
printf '%-52s %10s\n' "20 MB through the endpoint (hv1 -> NLB -> hv2), MB/s" "$ept_rate"
printf '%-52s %10s\n' "20 MB between two plain ENIs (hv1 -> hv2), MB/s" "$plain_rate"
printf '%-52s %10.2f\n' "ratio endpoint / plain" "$(echo "$ept_rate / $plain_rate" | bc -l)"
printf '%-52s %10d\n' "create-vpc-endpoint call (AWS CLI), ms" $(((t1 - t0) / 1000000))
printf '%-52s %10d\n' "create-vpc-endpoint -> first curl, ms" $(((t2 - t0) / 1000000))
printf '%-52s %10d\n' "create-vpc-endpoint answered -> first curl, ms" $(((t2 - t1) / 1000000))
