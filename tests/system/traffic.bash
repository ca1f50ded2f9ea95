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

# free_port: a TCP port nothing listens on (never 8780, the default).
free_port() {
    local p
    while :; do
        p=$((20000 + SRANDOM % 20000))
        [ -z "$(ss -Hltn "sport = :$p")" ] && { echo $p; return; }
    done
}

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
