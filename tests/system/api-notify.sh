# Connection notifications delivered as SNS does to an HTTP subscriber: a
# provider's notification on its service receives Connect, Accept, Reject
# and Delete for an endpoint's life, in order, in SNS "Notification"
# documents; events that happen while the subscriber is down wait in the
# outbox (with retries) and arrive, in order, once it is back, even across
# a restart of plinkd; a deleted notification stops deliveries.
source tests/lib.sh
source tests/system/api-harness.bash
test_init api-notify
API_VALGRIND=1 api_lab_up

q() { aws_text "$@"; }
topic=arn:aws:sns:us-east-1:111111111111:endpoint-events
port=$(free_port)
received=$TEST_DIR/received

# start_subscriber: runs the subscriber on $port, by PID.
start_subscriber() {
    /usr/bin/python3 tests/system/sns-subscriber.py $port "$received" &
    echo $! >"$TEST_DIR/subscriber.pid"
    on_exit "kill_pidfile $TEST_DIR/subscriber.pid"
    wait_until "(exec 3<>/dev/tcp/127.0.0.1/$port) 2>/dev/null"
}

# events EPT: the event types received for endpoint EPT, in order.
events() {
    [ -f "$received" ] || return 0
    /usr/bin/python3 -c '
import json, sys
for line in open(sys.argv[1]):
    d = json.loads(line)
    m = json.loads(d["Message"])
    if m["vpcEndpointId"] == sys.argv[2]:
        print(m["eventType"], end=" ")' "$received" "$1"
}

# The topic and its HTTP subscription (the lab's stand-in for SNS).
ovsdb-client transact "$PL_DB" "[\"PrivateLink\",{\"op\":\"insert\",
    \"table\":\"Topic\",\"row\":{\"topic_arn\":\"$topic\",
    \"subscriber_urls\":\"http://127.0.0.1:$port/sns\"}}]" >/dev/null
start_subscriber

# A provider's NLB service and a consumer's VPC.
pvpc=$(q provider ec2 create-vpc --cidr-block 10.0.0.0/16 --query Vpc.VpcId)
psub=$(q provider ec2 create-subnet --vpc-id $pvpc --cidr-block 10.0.1.0/24 \
       --availability-zone us-east-1a --query Subnet.SubnetId)
nlb=$(q provider elbv2 create-load-balancer --name web --type network \
      --subnets $psub --query 'LoadBalancers[0].LoadBalancerArn')
svc=$(q provider ec2 create-vpc-endpoint-service-configuration \
      --network-load-balancer-arns $nlb --acceptance-required \
      --query ServiceConfiguration.ServiceId)
check aws_as provider ec2 modify-vpc-endpoint-service-permissions \
    --service-id $svc --add-allowed-principals '*'
nfn=$(q provider ec2 create-vpc-endpoint-connection-notification \
      --service-id $svc --connection-notification-arn $topic \
      --connection-events Connect Accept Reject Delete \
      --query ConnectionNotification.ConnectionNotificationId)
cvpc=$(q consumer ec2 create-vpc --cidr-block 10.0.0.0/16 --query Vpc.VpcId)
csub=$(q consumer ec2 create-subnet --vpc-id $cvpc --cidr-block 10.0.1.0/24 \
       --availability-zone us-east-1a --query Subnet.SubnetId)

# lifecycle: an endpoint connects, is accepted, rejected, deleted.
lifecycle() {
    local ept
    ept=$(plctl_as consumer create-vpc-endpoint --vpc-endpoint-type Interface \
          --vpc-id $cvpc --service-name com.amazonaws.vpce.us-east-1.$svc \
          --subnet-ids $csub | /usr/bin/python3 -c \
          'import json,sys; print(json.load(sys.stdin)["VpcEndpoint"]["VpcEndpointId"])')
    plctl_as provider accept-vpc-endpoint-connections --service-id $svc \
        --vpc-endpoint-ids $ept >/dev/null
    plctl_as provider reject-vpc-endpoint-connections --service-id $svc \
        --vpc-endpoint-ids $ept >/dev/null
    plctl_as consumer delete-vpc-endpoints --vpc-endpoint-ids $ept >/dev/null
    echo $ept
}

# 1. Delivered in order, as SNS notifications.
ept1=$(lifecycle)
wait_until "[ \"\$(events $ept1)\" = 'Connect Accept Reject Delete ' ]"
check /usr/bin/python3 -c '
import json, sys
docs = [json.loads(l) for l in open(sys.argv[1])]
d = docs[0]
assert d["Type"] == "Notification" and d["_header_type"] == "Notification", d
assert d["TopicArn"] == sys.argv[2], d
assert d["Timestamp"].endswith("Z") and len(d["MessageId"]) == 36, d
m = json.loads(d["Message"])
assert m["eventType"] == "Connect" and m["vpcEndpointState"] == "pendingAcceptance", m
assert m["vpcEndpointOwner"] == "222222222222", m' "$received" "$topic"
wait_until "[ \"\$(db_count Notification_Outbox)\" = 0 ]"

# 2. The subscriber is down: the events wait, with retries.
kill_pidfile "$TEST_DIR/subscriber.pid"
ept2=$(lifecycle)
wait_until "[ \"\$(db_count Notification_Outbox '[\"attempts\",\">\",0]')\" -ge 1 ]"
check_output 4 db_count Notification_Outbox

# plinkd restarts meanwhile: the outbox is in the database.
pid=$(cat "$LAB/central/plinkd.pid")
tr '\0' '\n' </proc/$pid/cmdline >"$TEST_DIR/plinkd.cmd"
check ovs-appctl -t "$LAB/central/plinkd.ctl" exit
wait_until "! pid_running $pid"
mapfile -t cmd <"$TEST_DIR/plinkd.cmd"
check "${cmd[@]}"
wait_until "ovs-appctl -t '$LAB/central/plinkd.ctl' status"

# 3. The subscriber is back: everything arrives, in order.
start_subscriber
wait_until "[ \"\$(events $ept2)\" = 'Connect Accept Reject Delete ' ]" 40
wait_until "[ \"\$(db_count Notification_Outbox)\" = 0 ]"
check_output "Connect Accept Reject Delete " events $ept1

# 4. Modify the events, then delete the notification: deliveries stop.
check aws_as provider ec2 modify-vpc-endpoint-connection-notification \
    --connection-notification-id $nfn --connection-events Delete
ept3=$(lifecycle)
wait_until "[ \"\$(events $ept3)\" = 'Delete ' ]"
check aws_as provider ec2 delete-vpc-endpoint-connection-notifications \
    --connection-notification-ids $nfn
ept4=$(lifecycle)
sleep 1
check_output "" events $ept4
check_output 0 db_count Notification_Outbox
check_no_warnings "$LAB/central/plinkd.log"
api_lab_down
api_lab_check_valgrind
