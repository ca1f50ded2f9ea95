#!/bin/bash
# tests/pipeline/incremental.sh: incremental processing (controller/
# flows-inc.c) on the dummy datapath, topology endpoint.bash.  A scripted
# sequence of the changes that are frequent at scale: endpoints created,
# accepted, rejected, deleted, with their ENIs (one in the VPC's default
# group, which a rule names, so that the holders of that rule change too),
# target health, targets registered and deregistered, columns no flow
# reads.  After each step:
#   - the controller's "recomputes" counter has not moved (the step was
#     applied incrementally) and "incremental computations" has;
#   - the desired table and the switch's flows equal those of a full
#     recompute (check_recompute_equal, as OVN's test suite checks it);
#   - the step's flows are there (or gone).
# Then the changes that still cost a full recompute do (a route table
# association, the last endpoint of a load balancer), and the counter says
# so.  The controller runs under valgrind (HARNESS_VALGRIND= turns that
# off): no memory error, no leak when it exits.
HARNESS_VALGRIND=${HARNESS_VALGRIND-1}
source tests/lib.sh
source tests/pipeline/harness.bash
source tests/pipeline/vpc.bash
source tests/pipeline/endpoint.bash
test_init incremental
harness_start
wait_for_cfg 1
vpc_setup
vpc_underlay
ept_insert
ept_set_state available
check_recompute_equal

# counter NAME: one counter of the controller's "status".
counter() {
    ctl_status | sed -n "s/^$1: //p"
}

# step KIND NAME: the changes just made were applied incrementally (KIND
# "incremental": no full recompute ran, an incremental computation did) or
# cost a full recompute (KIND "full"), and their result equals a full
# recompute.  (check_recompute_equal forces one at its end: the counts are
# taken before it.)
recomputes=$(counter recomputes)
incremental=$(counter 'incremental computations')
step() {
    local kind=$1 name=$2 r i
    wait_for_cfg "$(bump_cfg)"
    wait_until flows_synced
    r=$(counter recomputes)
    i=$(counter 'incremental computations')
    echo "$name: recomputes $recomputes -> $r, incremental $incremental -> $i" \
         "($(counter 'last recompute reason'))"
    if [ "$kind" = incremental ]; then
        [ "$r" = "$recomputes" ] ||
            fail "$name: a full recompute ran ($(counter 'last recompute reason'))"
        [ "$i" -gt "$incremental" ] || fail "$name: no incremental computation"
    else
        [ "$r" -gt "$recomputes" ] || fail "$name: no full recompute"
    fi
    check_recompute_equal
    recomputes=$(counter recomputes)
    incremental=$(counter 'incremental computations')
}

# cookie_flows UUID: the number of br-int's flows made from row UUID.
cookie_flows() {
    dump_flows | grep -c "cookie=$(uuid_cookie "$1")," || true
}

# ept_add ID ENI-ID IP MAC GROUP STATE: an interface endpoint of svc-web in
# subnet-a1 with one ENI, in one transaction (as plinkd makes it).
ept_add() {
    local eni_name=${2//-/}
    check pl_transact \
      "$(ept_eni "$2" "$3" "$4" subnet-a1 vpc_endpoint "$5")" \
      "{\"op\": \"insert\", \"table\": \"Vpc_Endpoint\",
        \"row\": {\"vpc_endpoint_id\": \"$1\", \"vpc_endpoint_type\": \"Interface\",
                \"vpc\": $(ept_uuid Vpc vpc_id vpc-a),
                \"service\": $(ept_uuid Endpoint_Service service_id vpce-svc-web),
                \"service_name\": \"svc-web\", \"state\": \"$6\",
                \"network_interfaces\": [\"named-uuid\", \"$eni_name\"],
                \"security_groups\": $(ept_uuid Security_Group group_id "$5")}}"
}

# ept_del ID ENI-ID: deletes the endpoint and its ENI.
ept_del() {
    check pl_transact \
      "{\"op\": \"delete\", \"table\": \"Vpc_Endpoint\",
        \"where\": [[\"vpc_endpoint_id\", \"==\", \"$1\"]]}" \
      "{\"op\": \"delete\", \"table\": \"Network_Interface\",
        \"where\": [[\"network_interface_id\", \"==\", \"$2\"]]}"
}

# state ID STATE: moves endpoint ID to STATE.
state() {
    check pl_transact "{\"op\": \"update\", \"table\": \"Vpc_Endpoint\",
        \"where\": [[\"vpc_endpoint_id\", \"==\", \"$1\"]],
        \"row\": {\"state\": \"$2\"}}"
}

# arp_for IP: the number of ARP replies for IP.
arp_for() {
    dump_flows | grep -cE "arp_tpa=$1[, ]" || true
}

# ------------------------------------------------------------ endpoints
ept_add vpce-two eni-ept2 10.0.1.101 02:00:00:00:01:65 sg-a-web available
step incremental "a second endpoint"
two=$(pl_get Vpc_Endpoint _uuid '[["vpc_endpoint_id","==","vpce-two"]]')
n_two=$(cookie_flows "$two")
[ "$n_two" -gt 5 ] || fail "vpce-two has $n_two flows"
check_output 1 arp_for 10.0.1.101

state vpce-two rejected
step incremental "rejected"
check_output 0 cookie_flows "$two"
check_output 0 arp_for 10.0.1.101

state vpce-two available
step incremental "available again"
check_output "$n_two" cookie_flows "$two"

# An endpoint in sg-a-default, which its own rule names: the holders of
# that rule (eni-a1 and eni-a3, bound here) get a flow for its address.
peer() {
    dump_flows | grep -cE "nw_src=10.0.1.102[, ]" || true
}
ept_add vpce-def eni-ept3 10.0.1.102 02:00:00:00:01:66 sg-a-default available
step incremental "an endpoint in a referenced group"
[ "$(peer)" -ge 2 ] || fail "the default group's holders lack 10.0.1.102: $(peer)"
ept_del vpce-def eni-ept3
step incremental "its deletion"
check_output 0 peer

# ------------------------------------------------------------ targets
tgt_flows() {
    dump_flows | grep -c "nw_dst=10.0.1.20,tp_dst=80" || true
}
before=$(tgt_flows)
[ "$before" -gt 0 ] || fail "no flows to target 10.0.1.20"
ept_set_health 10.0.1.20 unhealthy
step incremental "a target unhealthy"
ept_set_health 10.0.1.20 healthy
step incremental "healthy again"
check_output "$before" tgt_flows

check pl_transact \
    '{"op": "insert", "table": "Target", "uuid-name": "t3",
      "row": {"ip": "10.0.1.30", "port": 80, "health_state": "healthy"}}' \
    '{"op": "mutate", "table": "Target_Group",
      "where": [["name", "==", "web"]],
      "mutations": [["targets", "insert", ["set", [["named-uuid", "t3"]]]]]}'
step incremental "a target registered"
[ "$(dump_flows | grep -c 'nw_dst=10.0.1.30,tp_dst=80')" -gt 0 ] ||
    fail "no flows to the new target"
t3=$(pl_get Target _uuid '[["ip","==","10.0.1.30"]]')
check pl_transact \
    "{\"op\": \"mutate\", \"table\": \"Target_Group\",
      \"where\": [[\"name\", \"==\", \"web\"]],
      \"mutations\": [[\"targets\", \"delete\", [\"set\", [[\"uuid\", \"$t3\"]]]]]}"
step incremental "the target deregistered"
check_output 0 eval "dump_flows | grep -c 'nw_dst=10.0.1.30,tp_dst=80' || true"

# ------------------------------------------------------------ no flow reads
check pl_transact '{"op": "update", "table": "Network_Interface",
    "where": [["network_interface_id", "==", "eni-ept2"]],
    "row": {"description": "changed", "status": "available"}}'
step incremental "columns no flow reads"

ept_del vpce-two eni-ept2
step incremental "the second endpoint deleted"
check_output 0 cookie_flows "$two"
check_output 0 arp_for 10.0.1.101

# ------------------------------------------------------------ full recomputes
# A route table association, and the last endpoint of a load balancer (its
# addresses' flows go), are not handled incrementally.
check pl_transact '{"op": "update", "table": "Route_Table_Association",
    "where": [["association_id", "==", "rtbassoc-a2"]],
    "row": {"state": "associated"}}' \
  '{"op": "mutate", "table": "Route_Table",
    "where": [["route_table_id", "==", "rtb-a2"]],
    "mutations": [["associations", "delete",
      ["set", ['"$(ept_uuid Route_Table_Association association_id rtbassoc-a2)"']]]]}'
step full "a route table association removed"
state vpce-web deleted
step full "the last endpoint of the load balancer"

harness_check_logs
