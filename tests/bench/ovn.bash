# tests/bench/ovn.bash: OVN 23.03 (Debian's ovn-central and ovn-host) as
# the yardstick of tests/bench/scale.sh, in the same run.  Sourced after
# tests/lib.sh and test_init.  (Named .bash so that nothing runs it as a
# test.)  Uses scale.sh's now_ms and rss_kb.
#
#   ovn_up             the stack, in namespace $ovn_ns and folder
#                      $TEST_DIR/ovn ($ovn), stopped on exit
#   ovn_down           stops it before then (e.g. before counts OVN skips)
#   ovn_add_lbs N      bulk-creates load balancers until there are N on ls1
#   ovn_measure N      B2, B5 and the flow count with N load balancers, into
#                      ovn_b2[N], ovn_rss_*[N], ovn_nflows[N] (ovn_nlb[N]:
#                      how many there were then, N plus ovn_measure's own)
#
# One "hypervisor" in a namespace of its own: an ovsdb-server (Open_vSwitch)
# and ovs-vswitchd whose br-int is a netdev bridge, and ovn-controller; in
# the same namespace, the NB and SB ovsdb-servers and ovn-northd.  A logical
# switch ls1 with one logical port, lsp1, bound to an OVS internal port of
# br-int, so that the chassis has ls1's datapath and installs its flows.
# Every load balancer has a VIP of its own (172.16.0.0 + i, port 80, TCP)
# and one backend (10.2.0.6:80), and is attached to ls1: OVN's stand-in for
# one interface endpoint (a private address in a subnet, in front of a
# load balancer).
#
# B5 counts the NB and SB ovsdb-servers, ovn-northd and ovn-controller: the
# counterpart of the central ovsdb-server, plinkd and plink-controller.
# Neither side counts its chassis's Open_vSwitch ovsdb-server or
# ovs-vswitchd.

OVN_NB_SCHEMA=/usr/share/ovn/ovn-nb.ovsschema
OVN_SB_SCHEMA=/usr/share/ovn/ovn-sb.ovsschema
OVS_SCHEMA=/usr/share/openvswitch/vswitch.ovsschema
# The figures, by count.
declare -A ovn_b2 ovn_b2_wait ovn_bulk ovn_rss_nb ovn_rss_sb ovn_rss_northd \
    ovn_rss_ctl ovn_rss ovn_nflows ovn_nlb

ovn_env() {
    env OVS_RUNDIR="$ovn" OVS_LOGDIR="$ovn" OVS_DBDIR="$ovn" \
        OVN_RUNDIR="$ovn" OVN_LOGDIR="$ovn" OVN_DBDIR="$ovn" "$@"
}
nbctl() { ovn_env ovn-nbctl --db="unix:$ovn/nb.sock" --timeout=600 "$@"; }
ovn_vsctl() { ovs-vsctl --db="unix:$ovn/db.sock" --timeout=20 "$@"; }
ovn_ofctl() { ovs-ofctl -O OpenFlow15 "$@" 2>/dev/null; }

# ovn_daemon NAME CMD...: starts CMD (a --detach daemon writing
# $ovn/NAME.pid) in $ovn_ns; stopped on exit by the PID in its pidfile.
ovn_daemon() {
    local name=$1
    shift
    on_exit "kill_pidfile $ovn/$name.pid"
    check ovn_env ip netns exec "$ovn_ns" "$@" --pidfile="$ovn/$name.pid" \
        --log-file="$ovn/$name.log" --detach --no-chdir
    pid_alive "$ovn/$name.pid" || fail "OVN: $name did not start (see $ovn/$name.log)"
}

# ovn_vip I: the I-th load balancer's VIP (172.16.0.0 + I).
ovn_vip() {
    local i=$(($1 + (172 << 24) + (16 << 16)))
    echo "$((i >> 24 & 255)).$((i >> 16 & 255)).$((i >> 8 & 255)).$((i & 255))"
}

ovn_up() {
    ovn=$TEST_DIR/ovn
    ovn_ns=plovn$(printf '%s' "$TEST_DIR" | sha256sum | cut -c1-6)
    mkdir "$ovn" || fail "mkdir $ovn"
    on_exit "ip netns del $ovn_ns"
    check ip netns add "$ovn_ns"
    check ip -n "$ovn_ns" link set lo up

    # Central: NB and SB databases, ovn-northd.
    check ovsdb-tool create "$ovn/nb.db" "$OVN_NB_SCHEMA"
    check ovsdb-tool create "$ovn/sb.db" "$OVN_SB_SCHEMA"
    ovn_daemon nb ovsdb-server "$ovn/nb.db" --remote="punix:$ovn/nb.sock" \
        --unixctl="$ovn/nb.ctl"
    ovn_daemon sb ovsdb-server "$ovn/sb.db" --remote="punix:$ovn/sb.sock" \
        --unixctl="$ovn/sb.ctl"
    check nbctl --no-wait init
    ovn_daemon northd ovn-northd --ovnnb-db="unix:$ovn/nb.sock" \
        --ovnsb-db="unix:$ovn/sb.sock" --unixctl="$ovn/northd.ctl"

    # The hypervisor: OVS with the netdev datapath, ovn-controller.
    check ovsdb-tool create "$ovn/conf.db" "$OVS_SCHEMA"
    ovn_daemon ovsdb-server ovsdb-server "$ovn/conf.db" \
        --remote="punix:$ovn/db.sock" \
        --remote=db:Open_vSwitch,Open_vSwitch,manager_options \
        --unixctl="$ovn/ovsdb-server.ctl"
    check ovn_vsctl --no-wait init -- set Open_vSwitch . \
        external_ids:system-id=ovn-hv1 external_ids:hostname=ovn-hv1 \
        external_ids:ovn-remote="unix:$ovn/sb.sock" \
        external_ids:ovn-encap-type=geneve \
        external_ids:ovn-encap-ip=127.0.0.1 \
        external_ids:ovn-bridge-datapath-type=netdev
    ovn_daemon ovs-vswitchd ovs-vswitchd "unix:$ovn/db.sock" \
        --unixctl="$ovn/ovs-vswitchd.ctl"
    # (ovn-controller 23.03 takes no --unixctl: its socket is
    # $ovn/ovn-controller.PID.ctl.)
    ovn_daemon ovn-controller ovn-controller "unix:$ovn/db.sock"

    # ls1 and its port lsp1, bound to br-int's internal port "vif1".
    check nbctl ls-add ls1 -- lsp-add ls1 lsp1 \
        -- lsp-set-addresses lsp1 "00:00:00:00:02:05 10.2.0.5"
    wait_until "ovn_vsctl br-exists br-int" 30
    check ovn_vsctl add-port br-int vif1 -- set interface vif1 type=internal \
        external_ids:iface-id=lsp1
    wait_until "[ \"\$(nbctl get logical_switch_port lsp1 up)\" = true ]" 60
    check nbctl --wait=hv sync
    ovn_have=0                  # load balancers made in bulk
    ovn_extra=0                 # load balancers made by ovn_measure
}

ovn_down() {
    local name
    for name in ovn-controller ovs-vswitchd ovsdb-server northd sb nb; do
        kill_pidfile "$ovn/$name.pid"
        rm -f "$ovn/$name.pid"      # (so that on_exit kills no other PID)
    done
    ip netns del "$ovn_ns"
}

# ovn_transact JSON-FILE: one NB transaction, from a file (a transaction
# of many load balancers is too long for one argument).
ovn_transact() {
    /usr/bin/python3 - "$ovn/nb.sock" "$1" <<'EOF'
import json, socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
s.connect(sys.argv[1])
with open(sys.argv[2]) as f:
    ops = json.load(f)
s.sendall(json.dumps({"method": "transact", "params": ops, "id": 1}).encode())
buf, dec = "", json.JSONDecoder()
while True:
    chunk = s.recv(1 << 20)
    if not chunk:
        sys.exit("connection closed")
    buf += chunk.decode()
    try:
        msg, _ = dec.raw_decode(buf)
    except ValueError:
        continue
    if msg.get("id") != 1:
        buf = ""
        continue
    for r in msg["result"] or []:
        if r and "error" in r:
            sys.exit(json.dumps(r))
    break
EOF
}

# ovn_add_lbs N: load balancers lb<I> (VIP ovn_vip I) attached to ls1 until
# there are N, 1000 per NB transaction; waits for the chassis (--wait=hv).
ovn_add_lbs() {
    local n=$1 start t0 i end
    [ "$n" -gt "$ovn_have" ] || return 0
    t0=$(now_ms)
    for ((start = ovn_have; start < n; start += 1000)); do
        end=$((start + 1000 < n ? start + 1000 : n))
        /usr/bin/python3 - "$start" "$end" >"$ovn/bulk.json" <<'EOF'
import json, sys
start, end = int(sys.argv[1]), int(sys.argv[2])
ops = ["OVN_Northbound"]
names = []
for i in range(start, end):
    v = i + (172 << 24) + (16 << 16)
    vip = "%d.%d.%d.%d:80" % (v >> 24 & 255, v >> 16 & 255, v >> 8 & 255, v & 255)
    names.append(["named-uuid", "lb%d" % i])
    ops.append({"op": "insert", "table": "Load_Balancer", "uuid-name": "lb%d" % i,
                "row": {"name": "lb%d" % i, "protocol": "tcp",
                        "vips": ["map", [[vip, "10.2.0.6:80"]]]}})
ops.append({"op": "mutate", "table": "Logical_Switch",
            "where": [["name", "==", "ls1"]],
            "mutations": [["load_balancer", "insert", ["set", names]]]})
print(json.dumps(ops))
EOF
        ovn_transact "$ovn/bulk.json" || fail "OVN: bulk insert of lb$start..lb$((end - 1))"
    done
    check nbctl --wait=hv sync
    ovn_bulk[$n]=$(($(now_ms) - t0))
    ovn_have=$n
}

# ovn_measure N: with N load balancers (plus the ones made by earlier
# measurements, 3 per count), B2: "ovn-nbctl --wait=hv lb-add ... --
# ls-lb-add ls1 ..." of one more, wall-clock ms, median of 3; B5: RSS of
# the four OVN daemons; the OpenFlow flows on br-int.
ovn_measure() {
    local n=$1 i t0 times=() waits=() name vip
    for i in 1 2 3; do
        name=lbm$ovn_extra
        vip=$(ovn_vip $((1 << 20 | ovn_extra)))
        ovn_extra=$((ovn_extra + 1))
        t0=$(now_ms)
        check nbctl --wait=hv --print-wait-time lb-add "$name" "$vip:80" \
            10.2.0.6:80 tcp -- ls-lb-add ls1 "$name"
        times+=($(($(now_ms) - t0)))
        # --print-wait-time: "ovn-controller(s) completion:  X ms", from
        # the NB write to the last chassis's nb_cfg (no client start-up).
        waits+=("$(sed -n 's/.*ovn-controller(s) completion:[^0-9]*\([0-9]*\)ms.*/\1/p' \
                       "$TEST_DIR/stdout" | tail -1)")
    done
    ovn_b2[$n]=$(printf '%s\n' "${times[@]}" | sort -n | sed -n 2p)
    ovn_b2_wait[$n]=$(printf '%s\n' "${waits[@]}" | sort -n | sed -n 2p)
    ovn_rss_nb[$n]=$(rss_kb "$(cat "$ovn/nb.pid")")
    ovn_rss_sb[$n]=$(rss_kb "$(cat "$ovn/sb.pid")")
    ovn_rss_northd[$n]=$(rss_kb "$(cat "$ovn/northd.pid")")
    ovn_rss_ctl[$n]=$(rss_kb "$(cat "$ovn/ovn-controller.pid")")
    ovn_rss[$n]=$((ovn_rss_nb[$n] + ovn_rss_sb[$n] + ovn_rss_northd[$n] + ovn_rss_ctl[$n]))
    ovn_nlb[$n]=$((ovn_have + ovn_extra))
    ovn_nflows[$n]=$(ovn_ofctl dump-flows "unix:$ovn/br-int.mgmt" | grep -c table=)
    echo "OVN N=$n: B2 ${times[*]} ms (NB write to chassis ${waits[*]} ms)," \
         "${ovn_nflows[$n]} flows, RSS nb ${ovn_rss_nb[$n]} sb ${ovn_rss_sb[$n]}" \
         "northd ${ovn_rss_northd[$n]} controller ${ovn_rss_ctl[$n]} kB," \
         "bulk ${ovn_bulk[$n]:-0} ms"
}
