# The PrivateLink database as a 3-member OVSDB Raft cluster: killing the
# leader under a steady write load (creates and deletes through the API)
# leaves the API answering again within 2 s, loses no acknowledged write
# (every VPC the clients were told about is in the database afterwards,
# every one they deleted is gone), and the data plane keeps forwarding (a
# ping every 100 ms between two instances loses nothing).
source tests/lib.sh
source tests/system/api-harness.bash
test_init db-failover

LAB=$TEST_DIR/lab
API_PORT=$(free_port)
API_URL=http://127.0.0.1:$API_PORT
PL_DB=unix:$LAB/central/db2/pl.sock
on_exit "plink-lab down --dir $LAB"
check plink-lab up --dir "$LAB" --chassis 1 --db-cluster 3 --api-port $API_PORT
source "$LAB/env"

# Two instances in one subnet on hv1, pinging each other throughout.
vpc=$(aws_text consumer ec2 create-vpc --cidr-block 10.7.0.0/16 --query Vpc.VpcId)
sub=$(aws_text consumer ec2 create-subnet --vpc-id $vpc --cidr-block 10.7.1.0/24 \
      --query Subnet.SubnetId)
for k in 1 2; do
    eni=$(aws_text consumer ec2 create-network-interface --subnet-id $sub \
          --query NetworkInterface.NetworkInterfaceId)
    check plink-lab attach --dir "$LAB" $eni i$k --chassis 1
    ip[$k]=$(aws_text consumer ec2 describe-network-interfaces \
             --network-interface-ids $eni --query 'NetworkInterfaces[0].PrivateIpAddress')
done
check plink-lab exec --dir "$LAB" i1 -- ping -c 3 -i 0.2 -W 2 ${ip[2]}

# leader_pid: the pid of the cluster member that is the leader now.
leader_pid() {
    local k ctl
    for k in 1 2 3; do
        ctl=$(ls "$LAB"/central/db$k/ovsdb-server.*.ctl 2>/dev/null | head -1)
        [ -n "$ctl" ] || continue
        if ovs-appctl -t "$ctl" cluster/status PrivateLink 2>/dev/null \
                | grep -q '^Role: leader'; then
            cat "$LAB/central/db$k/ovsdb-server.pid"
            return 0
        fi
    done
    return 1
}
old_leader=$(leader_pid) || fail "no leader"

# The write load: create a VPC, delete every other one, as fast as the API
# answers; every acknowledged create and delete is recorded with its time.
writer() {
    local end=$(($(date +%s%N) / 1000000 + 8000)) i=0 id start
    while [ $(($(date +%s%N) / 1000000)) -lt $end ]; do
        start=$(($(date +%s%N) / 1000000))
        id=$(plctl_as consumer --timeout 10 create-vpc --cidr-block 10.9.0.0/16 \
             2>/dev/null | /usr/bin/python3 -c \
             'import json,sys; print(json.load(sys.stdin)["Vpc"]["VpcId"])' 2>/dev/null)
        if [ -n "$id" ]; then
            echo "$(($(date +%s%N) / 1000000)) created $id $start"
            if [ $((i++ % 2)) = 1 ]; then
                # A delete whose answer is lost may still have happened.
                echo "$(($(date +%s%N) / 1000000)) deleting $id"
                if plctl_as consumer --timeout 10 delete-vpc --vpc-id $id \
                        >/dev/null 2>&1; then
                    echo "$(($(date +%s%N) / 1000000)) deleted $id"
                fi
            fi
        fi
    done
}
plink-lab exec --dir "$LAB" i1 -- ping -i 0.1 -c 100 -W 1 ${ip[2]} \
    >"$TEST_DIR/ping" 2>&1 &
ping_pid=$!
writer >"$TEST_DIR/writes" &
writer_pid=$!
sleep 2
kill_ms=$(($(date +%s%N) / 1000000))
kill -9 $old_leader
wait $writer_pid
wait $ping_pid

# A new leader, and the API answered again within 2 s of the kill.
new_leader=$(leader_pid) || fail "no new leader"
[ "$new_leader" != "$old_leader" ] || fail "the leader did not change"
# The first write sent after the kill was acknowledged within 2 s of it.
gap=$(awk -v k=$kill_ms '$2 == "created" && $4 > k {print $1 - k; exit}' \
      "$TEST_DIR/writes")
after=$(awk -v k=$kill_ms '$2 == "created" && $4 > k' "$TEST_DIR/writes" | wc -l)
echo "first write sent after the kill acknowledged ${gap:-never} ms after it; $after writes after it"
[ -n "$gap" ] || fail "no write was acknowledged after the leader was killed"
[ "$gap" -le 2000 ] || fail "the API did not answer within 2 s ($gap ms)"

# No acknowledged write was lost.
aws_text consumer ec2 describe-vpcs --query 'Vpcs[].VpcId' | tr ' ' '\n' | sort >"$TEST_DIR/vpcs"
awk '$2 == "created" {print $3}' "$TEST_DIR/writes" | sort >"$TEST_DIR/created"
awk '$2 == "deleted" {print $3}' "$TEST_DIR/writes" | sort >"$TEST_DIR/deleted"
awk '$2 == "deleting" {print $3}' "$TEST_DIR/writes" | sort >"$TEST_DIR/deleting"
check_output "" comm -23 <(comm -23 "$TEST_DIR/created" "$TEST_DIR/deleting") "$TEST_DIR/vpcs"
check_output "" comm -12 "$TEST_DIR/deleted" "$TEST_DIR/vpcs"
echo "$(wc -l <"$TEST_DIR/created") creates and $(wc -l <"$TEST_DIR/deleted") deletes acknowledged"

# The data plane kept forwarding.
check_grep ' 0% packet loss' cat "$TEST_DIR/ping"
