# tests/pipeline/harness.bash: one chassis on the OVS dummy datapath, for
# the pipeline tests.  (Named .bash so that tests/run-tests.sh, which runs
# tests/pipeline/*.sh, does not run it as a test.)
#
# A test reads like this:
#
#     source tests/lib.sh
#     source tests/pipeline/harness.bash
#     test_init skeleton
#     harness_start                  # databases, vswitchd, controller
#     wait_for_cfg 1
#     check pl_transact '{"op": "insert", ...}'
#     check_recompute_equal          # after every step: see below
#     check_trace "ct(commit,zone=2),3" 'in_port=p1,icmp,...' trk,new trk,new
#     ...
#     harness_check_logs
#
# Everything lives in $TEST_DIR: sockets, databases, logs and pidfiles, with
# absolute paths (daemons started with --detach run in /).  Every daemon is
# stopped by its pidfile when the test ends.  No network namespace is
# needed: the dummy datapath creates no kernel devices.
#
# Files in $TEST_DIR:
#   pl.db pl.sock pl.ctl pl.pid pl.log          PrivateLink ovsdb-server
#   conf.db db.sock ovsdb-server.{ctl,pid,log}  Open_vSwitch ovsdb-server
#   ovs-vswitchd.{ctl,pid,log}                  ovs-vswitchd
#   plink-controller.{ctl,pid,log}              plink-controller
#   br-int.mgmt                                 br-int's OpenFlow socket

: "${HARNESS_CHASSIS:=hv1}"
: "${HARNESS_ENCAP_IP:=192.168.77.1}"

# The schema of the PrivateLink database.
PL_SCHEMA=$top_srcdir/ovsdb-schema/privatelink.ovsschema
VSWITCH_SCHEMA=/usr/share/openvswitch/vswitch.ovsschema

# harness_env: points the OVS tools (ovs-vsctl, ovs-ofctl, ovs-appctl) at
# the daemons of this test.
harness_env() {
    export OVS_RUNDIR=$TEST_DIR OVS_LOGDIR=$TEST_DIR OVS_DBDIR=$TEST_DIR
    export OVS_SYSCONFDIR=$TEST_DIR
}

# harness_running PIDFILE: true if the process named in PIDFILE is one of
# this test's (its command line mentions $TEST_DIR) and has not exited.
# Unlike pid_alive, an exited daemon that nobody reaped (a zombie: where
# PID 1 does not reap orphans, every daemon that ran with --detach ends up
# one) counts as gone.
harness_running() {
    local pid state
    pid=$(cat "$1" 2>/dev/null) || return 1
    tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -qF "$TEST_DIR" ||
        return 1
    state=$(awk '{print $3}' "/proc/$pid/stat" 2>/dev/null)
    [ -n "$state" ] && [ "$state" != Z ]
}

# harness_kill PIDFILE: stops the process named in PIDFILE, if it is one of
# this test's: TERM, then KILL after 2.5 s.  Never kills by name.
harness_kill() {
    local pid i
    harness_running "$1" || return 0
    pid=$(cat "$1" 2>/dev/null) || return 0
    kill "$pid" 2>/dev/null || return 0
    for ((i = 0; i < 50; i++)); do
        harness_running "$1" || return 0
        sleep 0.05
    done
    kill -9 "$pid" 2>/dev/null
}

# daemon_args NAME: the pidfile, unixctl, log and detach options for a
# daemon called NAME in $TEST_DIR.
daemon_args() {
    echo "--pidfile=$TEST_DIR/$1.pid --unixctl=$TEST_DIR/$1.ctl" \
         "--log-file=$TEST_DIR/$1.log --detach --no-chdir"
}

# pl_db_start: creates and starts the PrivateLink database server
# (unix:$TEST_DIR/pl.sock) and seeds the PrivateLink_Global row the way
# plinkd does: {cfg: 1, region: "us-east-1"}.
pl_db_start() {
    check ovsdb-tool create "$TEST_DIR/pl.db" "$PL_SCHEMA"
    pl_db_run
    check pl_transact '{"op": "insert", "table": "PrivateLink_Global",
                        "row": {"cfg": 1, "region": "us-east-1"}}'
}

# pl_db_run: starts the PrivateLink database server on the existing
# $TEST_DIR/pl.db (again, after pl_db_stop).
pl_db_run() {
    # shellcheck disable=SC2046
    check ovsdb-server "$TEST_DIR/pl.db" --remote="punix:$TEST_DIR/pl.sock" \
        $(daemon_args pl)
    on_exit "harness_kill '$TEST_DIR/pl.pid'"
}

# pl_db_stop: stops the PrivateLink database server.
pl_db_stop() {
    harness_kill "$TEST_DIR/pl.pid"
    wait_until "! harness_running '$TEST_DIR/pl.pid'"
}

# ovs_start: starts the Open_vSwitch database server and ovs-vswitchd with
# the dummy datapath (as OVS's own test suite does).
ovs_start() {
    check ovsdb-tool create "$TEST_DIR/conf.db" "$VSWITCH_SCHEMA"
    # shellcheck disable=SC2046
    check ovsdb-server "$TEST_DIR/conf.db" \
        --remote="punix:$TEST_DIR/db.sock" $(daemon_args ovsdb-server)
    on_exit "harness_kill '$TEST_DIR/ovsdb-server.pid'"
    check ovs-vsctl --no-wait init
    # shellcheck disable=SC2046
    check ovs-vswitchd --enable-dummy --disable-system \
        --disable-system-route "unix:$TEST_DIR/db.sock" \
        $(daemon_args ovs-vswitchd)
    on_exit "harness_kill '$TEST_DIR/ovs-vswitchd.pid'"
}

# chassis_configure [SYSTEM-ID [ENCAP-IP]]: writes the controller's
# configuration into Open_vSwitch:external_ids.
chassis_configure() {
    local id=${1:-$HARNESS_CHASSIS} ip=${2:-$HARNESS_ENCAP_IP}
    check ovs-vsctl set open_vswitch . \
        external_ids:system-id="$id" \
        external_ids:hostname="$id.example" \
        external_ids:plink-remote="unix:$TEST_DIR/pl.sock" \
        external_ids:plink-encap-ip="$ip" \
        external_ids:plink-encap-type=geneve \
        external_ids:plink-bridge-datapath-type=dummy
}

# controller_start: starts plink-controller on the local Open_vSwitch DB.
controller_start() {
    local vg=()
    # HARNESS_VALGRIND=1: under valgrind (memcheck), its report in
    # $TEST_DIR/valgrind.log; harness_check_logs fails on errors or leaks.
    [ -n "${HARNESS_VALGRIND:-}" ] &&
        vg=(valgrind -q --leak-check=full --show-leak-kinds=definite
            --errors-for-leak-kinds=definite
            --log-file="$TEST_DIR/valgrind.log")
    # shellcheck disable=SC2046
    check "${vg[@]}" plink-controller "unix:$TEST_DIR/db.sock" \
        $(daemon_args plink-controller) -vfile:info "$@"
    on_exit "harness_kill '$TEST_DIR/plink-controller.pid'"
}

# controller_stop: stops plink-controller by its pidfile and waits until
# it is gone.
controller_stop() {
    harness_kill "$TEST_DIR/plink-controller.pid"
    wait_until "! harness_running '$TEST_DIR/plink-controller.pid'"
}

# harness_start: the whole chassis, up to a controller that has installed
# its first flows.
harness_start() {
    harness_env
    pl_db_start
    ovs_start
    chassis_configure
    controller_start "$@"
    wait_until 'ovs-vsctl br-exists br-int'
    wait_until 'ctl_status | grep -q "^openflow: S_UPDATE_FLOWS"'
}

# pl_transact OP...: runs the operations OP (JSON objects) in one
# transaction on the PrivateLink database; fails if any operation fails.
pl_transact() {
    local ops out
    ops=$(IFS=,; echo "$*")
    out=$(ovsdb-client transact "unix:$TEST_DIR/pl.sock" \
          "[\"PrivateLink\", $ops]") || return 1
    echo "$out"
    ! grep -q '"error"' <<<"$out"
}

# pl_get TABLE COLUMN [WHERE]: prints COLUMN of every row of TABLE (that
# matches the JSON condition list WHERE, e.g. '[["name","==","hv1"]]'),
# one value per line; UUIDs print bare, maps as JSON.
pl_get() {
    local table=$1 column=$2 where=${3:-[]}
    ovsdb-client query "unix:$TEST_DIR/pl.sock" \
        "[\"PrivateLink\", {\"op\": \"select\", \"table\": \"$table\",
          \"where\": $where, \"columns\": [\"$column\"]}]" |
    /usr/bin/python3 -c '
import json, sys
col = sys.argv[1]
for row in json.load(sys.stdin)[0]["rows"]:
    v = row[col]
    if isinstance(v, list) and v[0] == "uuid":
        v = v[1]
    print(v if not isinstance(v, (list, dict)) else json.dumps(v))
' "$column"
}

# ctl CMD...: runs a unixctl command of plink-controller.
ctl() {
    ovs-appctl -t "$TEST_DIR/plink-controller.ctl" "$@"
}

# ctl_status: the controller's "status" output.
ctl_status() {
    ctl status
}

# vswitchd_appctl CMD...: runs a unixctl command of ovs-vswitchd.
vswitchd_appctl() {
    ovs-appctl -t "$TEST_DIR/ovs-vswitchd.ctl" "$@"
}

# global_uuid: the UUID of the PrivateLink_Global row.
global_uuid() {
    pl_get PrivateLink_Global _uuid
}

# uuid_cookie UUID: the cookie of flows made from row UUID, as ovs-ofctl
# prints it (the first 32 bits, in the low half, no leading zeros).
uuid_cookie() {
    printf '%#x\n' "0x${1:0:8}"
}

# bump_cfg: increments PrivateLink_Global:cfg as plinkd does after each
# change, and prints the new value.
bump_cfg() {
    local cfg
    cfg=$(pl_get PrivateLink_Global cfg)
    check pl_transact "{\"op\": \"update\", \"table\": \"PrivateLink_Global\",
                        \"where\": [], \"row\": {\"cfg\": $((cfg + 1))}}"
    echo $((cfg + 1))
}

# wait_for_cfg CFG [CHASSIS]: waits until CHASSIS (default: ours) reports
# Chassis:nb_cfg = CFG.
wait_for_cfg() {
    local cfg=$1 name=${2:-$HARNESS_CHASSIS}
    wait_until "[ \"\$(pl_get Chassis nb_cfg '[[\"name\",\"==\",\"$name\"]]')\" = $cfg ]"
}

# dump_flows [ARGS...]: br-int's flows, as ovs-ofctl prints them with
# OpenFlow 1.5, without the reply header.
dump_flows() {
    ovs-ofctl -O OpenFlow15 dump-flows br-int "$@" | grep -v '^OFPST_FLOW reply'
}

# strip_flows: removes from dump_flows output what changes by itself
# (durations, counters, ages), and sorts it (bytewise, as the controller's
# debug/dump-desired-flows does).
strip_flows() {
    sed -E 's/ *(duration|n_packets|n_bytes|idle_age|hard_age)=[^,]*,//g' |
        sed -E 's/^ +//' | LC_ALL=C sort
}

# stage_tables: the table numbers of the pipeline stages, from the
# controller's flow-table-list.
stage_tables() {
    ctl flow-table-list | awk '{print $1}'
}

# desired_flows: the controller's desired flow table, without its groups
# (debug/dump-desired-flows prints them last, as "group_id=N,...").
desired_flows() {
    ctl debug/dump-desired-flows | grep -v '^group_id='
}

# flows_synced: true if br-int holds exactly the controller's desired flow
# table.
flows_synced() {
    [ "$(dump_flows --no-names | strip_flows)" = "$(desired_flows)" ]
}

# check_recompute_equal: "incremental == recompute", as OVN checks it
# after every test.  Bumps the cfg and waits until this chassis has
# realized it (so the controller has processed every change made before),
# then forces a full recompute and fails if the desired flow table or the
# switch's flows changed.  The changes that flows-inc.c handles (endpoints,
# their ENIs, targets) were applied incrementally: this checks those change
# handlers; for the others it guards against builders whose output depends
# on anything but the databases (hash order, leftovers of an earlier
# computation).  Call it after every step of a test.  It logs the
# controller's counts of full and incremental computations.
check_recompute_equal() {
    local before after n
    wait_for_cfg "$(bump_cfg)"
    wait_until flows_synced
    ctl_status | grep -E '^(recomputes|incremental computations|last recompute reason):' |
        paste -sd' ' | sed 's/^/check_recompute_equal: /' 
    before=$(ctl debug/dump-desired-flows)
    n=$(ctl_status | sed -n 's/^recomputes: //p')
    check ctl recompute
    wait_until "[ \$(ctl_status | sed -n 's/^recomputes: //p') -gt $n ]"
    wait_until 'ctl_status | grep -q "^pushes in flight: 0$"'
    after=$(ctl debug/dump-desired-flows)
    if [ "$before" != "$after" ]; then
        diff -u <(echo "$before") <(echo "$after") >&2
        fail "a recompute changed the desired flows"
    fi
    before=$(desired_flows)
    after=$(dump_flows --no-names | strip_flows)
    if [ "$before" != "$after" ]; then
        diff -u <(echo "$before") <(echo "$after") >&2
        fail "a recompute changed the switch's flows"
    fi
}

# trace FLOW [CT-STATE...]: traces FLOW (ofproto/trace syntax) through
# br-int, answering the Nth conntrack recirculation with the Nth CT-STATE
# (e.g. "trk,new"), and prints the actions of the last "Datapath actions"
# line.  The whole trace goes to $TEST_DIR/trace.
trace() {
    local flow=$1 state args=()
    shift
    for state in "$@"; do
        args+=(--ct-next "$state")
    done
    vswitchd_appctl ofproto/trace br-int "$flow" "${args[@]}" \
        >"$TEST_DIR/trace" 2>&1 || { cat "$TEST_DIR/trace" >&2; return 1; }
    sed -n 's/^Datapath actions: //p' "$TEST_DIR/trace" | tail -1
}

# check_trace EXPECTED FLOW [CT-STATE...]: the last datapath actions of
# 'trace FLOW CT-STATE...' must be EXPECTED; on failure the trace is shown.
check_trace() {
    local expected=$1 out
    shift
    out=$(trace "$@") || fail "ofproto/trace failed: $1"
    if [ "$out" != "$expected" ]; then
        sed 's/^/  trace: /' "$TEST_DIR/trace" >&2
        fail "trace of $1: datapath actions '$out', expected '$expected'"
    fi
}

# harness_check_logs [ALLOW-REGEX]: fails if a daemon logged an unexpected
# warning.  ALLOW-REGEX adds to the messages every test expects.
#
# The database servers may also note that a client went away while they
# were sending it an update (an ovs-vsctl or ovsdb-client that exited as
# soon as it had its answer): "unix#N: send error: Broken pipe" and
# "connection dropped (Broken pipe)".  That is the client's business.
# And the controller may find br-int.mgmt before ovs-vswitchd listens on
# it ("connection failed (Connection refused)"); rconn retries at once.
harness_check_logs() {
    local allow=${1:-}
    local common='Generic Netlink family .ovs_datapath. does not exist'
    # A client that exits with an update unread (ovs-vsctl racing a change,
    # a controller stopped) resets its connection: not the server's fault.
    local dropped='unix#[0-9]+: (send error: Broken pipe|connection dropped \((Broken pipe|Connection reset by peer)\)|receive error: Connection reset by peer)'
    [ -n "$allow" ] && common="$common|$allow"
    check_no_warnings "$TEST_DIR/plink-controller.log" \
        "$common|br-int.mgmt: connection failed \(Connection refused\)"
    check_no_warnings "$TEST_DIR/ovs-vswitchd.log" "$common"
    check_no_warnings "$TEST_DIR/ovsdb-server.log" "$common|$dropped"
    check_no_warnings "$TEST_DIR/pl.log" "$common|$dropped"
    if [ -n "${HARNESS_VALGRIND:-}" ]; then
        check ctl exit
        wait_until "! harness_running '$TEST_DIR/plink-controller.pid'" 60
        if [ -s "$TEST_DIR/valgrind.log" ]; then
            cat "$TEST_DIR/valgrind.log" >&2
            fail "valgrind found errors or leaks in plink-controller"
        fi
    fi
}
