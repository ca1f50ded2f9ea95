/* SPDX-License-Identifier: Apache-2.0 */

/* ofctrl: see ofctrl.h for the contract.  This file has two parts: the
 * connection state machine, and ofctrl_put(), the reconciler.  The flow
 * tables (desired and installed share one representation) are in
 * ofctrl-table.c.
 *
 * The connection
 * ==============
 *
 * ofctrl talks OpenFlow 1.5 to ovs-vswitchd over the bridge's management
 * socket, $OVS_RUNDIR/<bridge>.mgmt, through an rconn that reconnects by
 * itself.  The states, in order:
 *
 *   S_NEW           just (re)connected: configure the connection (packet-in
 *                   format NXT_PACKET_IN2, miss_send_len UINT16_MAX, so
 *                   that "controller" actions reach us) and ask for a dump
 *                   of every flow the switch holds.
 *
 *   S_READ_FLOWS    the dump is arriving; it becomes the installed table.
 *                   This is our S_WAIT_BEFORE_CLEAR: we never clear a
 *                   working switch.  If the dump fails we fall back to
 *                   "replace in one bundle": the first push deletes every
 *                   flow and adds the desired ones in the same atomic
 *                   bundle, so packets never meet an empty table.
 *
 *   S_UPDATE_FLOWS  steady state: ofctrl_put() pushes differences.
 *
 * GENEVE option (TLV) mapping for GWLB will need one more state between
 * S_NEW and S_READ_FLOWS (OVN's S_TLV_TABLE_REQUESTED): request the switch's
 * TLV table, add our mappings, wait for the reply.
 *
 * Groups
 * ======
 *
 * The desired table also holds OpenFlow groups (the select groups of
 * interface endpoints), each described by its ovs-ofctl text.  A push
 * sends, in its one ordered bundle: the groups that are new or changed
 * (OFPGC_ADD_OR_MOD, which works whether or not the switch has the group),
 * then the flow_mods, then the deletion of the groups no longer wanted.
 * We do not read groups back on connection: after S_NEW the installed
 * table has no groups, so the first push re-sends every desired group,
 * which changes nothing on a switch that has them.  (A group left behind by
 * an earlier run of the controller, and no longer wanted, stays until the
 * switch restarts; no flow uses it.)
 *
 * Pushes and cfg
 * ==============
 *
 * Every push is one OFPBF_ATOMIC|OFPBF_ORDERED bundle followed by a
 * barrier.  A struct ofctrl_flow_update remembers, per barrier, the cfg the
 * push realizes.  When the barrier reply arrives, that cfg becomes
 * 'cur_cfg'.  If the switch rejects anything in a bundle, the bundle has
 * changed nothing: we forget the pending updates, wait a second and read the
 * switch's flows back again (S_NEW), so the next push starts from the
 * truth. */

#include <config.h>

#include "ofctrl.h"
#include "ofctrl-table.h"

#include <string.h>
#include <sys/stat.h>

#include "byte-order.h"
#include "dirs.h"
#include "hash.h"
#include "openvswitch/dynamic-string.h"
#include "openvswitch/hmap.h"
#include "openvswitch/list.h"
#include "openvswitch/match.h"
#include "openvswitch/meta-flow.h"
#include "openvswitch/ofp-actions.h"
#include "openvswitch/ofp-bundle.h"
#include "openvswitch/ofp-flow.h"
#include "openvswitch/ofp-group.h"
#include "openvswitch/ofp-msgs.h"
#include "openvswitch/ofp-packet.h"
#include "openvswitch/ofp-print.h"
#include "openvswitch/ofp-protocol.h"
#include "openvswitch/ofp-switch.h"
#include "openvswitch/ofp-util.h"
#include "openvswitch/ofpbuf.h"
#include "openvswitch/poll-loop.h"
#include "openvswitch/rconn.h"
#include "openvswitch/uuid.h"
#include "openvswitch/vlog.h"
#include "socket-util.h"
#include "svec.h"
#include "timeval.h"
#include "util.h"
#include "uuid.h"

VLOG_DEFINE_THIS_MODULE(ofctrl);

/* The connection.
 * =============== */

#define STATES                                  \
    STATE(S_NEW)                                \
    STATE(S_READ_FLOWS)                         \
    STATE(S_UPDATE_FLOWS)

/* Connection states; see the comment at the top of this file. */
enum ofctrl_state {
#define STATE(NAME) NAME,
    STATES
#undef STATE
};

/* A push whose barrier has not been answered yet. */
struct ofctrl_flow_update {
    struct ovs_list list_node;  /* In 'flow_updates', oldest first. */
    ovs_be32 xid;               /* Transaction ID of the barrier request. */
    int64_t cfg;                /* cfg realized once the barrier returns. */
    uint64_t seqno;             /* Desired table's change_seqno, realized
                                 * once the barrier returns. */
};

/* Counts of what we sent since the last (re)connection, for 'status' and
 * the tests ("a restart changes no flow"). */
struct ofctrl_stats {
    unsigned int n_bundles;     /* Bundles committed. */
    unsigned int n_added;       /* OFPFC_ADD of new flows. */
    unsigned int n_modified;    /* Flows whose actions or cookie changed. */
    unsigned int n_deleted;     /* OFPFC_DELETE_STRICT. */
    unsigned int n_read;        /* Flows read back from the switch. */
    unsigned int n_full_compares; /* Pushes that compared the whole desired
                                   * and installed tables. */
    unsigned int n_incremental_compares; /* Pushes that compared only what
                                          * changed (put_dirty()). */
};

/* The OpenFlow connection to the integration bridge. */
static struct rconn *swconn;

/* rconn_get_connection_seqno() when we last saw 'swconn' connect; a change
 * means a new connection, so back to S_NEW. */
static unsigned int swconn_seqno;

/* "unix:<rundir>/<bridge>.mgmt", or NULL before we know the bridge. */
static char *target;

/* Counts the messages we queued on 'swconn' and that are not sent yet:
 * while it is nonzero the connection is backlogged and we do not push. */
static struct rconn_packet_counter *tx_counter;

/* Current state of the connection. */
static enum ofctrl_state state;

/* Transaction ID of the flow dump request, in S_READ_FLOWS. */
static ovs_be32 read_xid;

/* What the switch holds, as far as we know. */
static struct ofctrl_flow_table installed;

/* True if 'installed' changed under us (a dump, a reset), so the next put
 * must compare it with the desired table even if that did not change. */
static bool installed_dirty;

/* True if the next push must start by deleting every flow (the fallback
 * when reading the switch's flows failed). */
static bool replace_all;

/* change_seqno of the desired table at the last push. */
static uint64_t put_seqno;

/* When to read the switch's flows again after a rejected bundle, or
 * LLONG_MAX. */
static long long int resync_at = LLONG_MAX;

/* Pushes in flight, "struct ofctrl_flow_update"s, oldest first. */
static struct ovs_list flow_updates = OVS_LIST_INITIALIZER(&flow_updates);

/* The cfg the switch is known to have realized (see ofctrl.h), or -1 until
 * this process knows (after a restart, the first push or comparison). */
static int64_t cur_cfg = -1;

/* The change_seqno of the last desired table the switch is known to hold
 * (see ofctrl_get_realized_seqno()), or 0. */
static uint64_t realized_seqno;

/* ID of the last bundle we opened. */
static uint32_t bundle_id;

/* See struct ofctrl_stats. */
static struct ofctrl_stats stats;

static void ofctrl_update_target(const char *bridge_name);
static void ofctrl_recv(const struct ofp_header *, enum ofptype);
static void flow_updates_flush(void);

/* Initializes ofctrl.  Call once, before anything else in this file. */
void
ofctrl_init(void)
{
    swconn = rconn_create(0, 1, DSCP_DEFAULT, 1u << OFP15_VERSION);
    tx_counter = rconn_packet_counter_create();
    ofctrl_table_init(&installed);
    state = S_NEW;
}

static const char *
ofctrl_state_to_string(enum ofctrl_state s)
{
    switch (s) {
#define STATE(NAME) case NAME: return #NAME;
        STATES
#undef STATE
    }
    return "<unknown>";
}

static void
ofctrl_set_state(enum ofctrl_state new_state)
{
    if (state != new_state) {
        VLOG_DBG("%s -> %s", ofctrl_state_to_string(state),
                 ofctrl_state_to_string(new_state));
        state = new_state;
    }
}

/* Sends 'msg' to the switch and returns its transaction ID. */
static ovs_be32
queue_msg(struct ofpbuf *msg)
{
    const struct ofp_header *oh = msg->data;
    ovs_be32 xid = oh->xid;

    rconn_send(swconn, msg, tx_counter);
    return xid;
}

static enum ofp_version
swconn_version(void)
{
    return rconn_get_version(swconn);
}

/* S_NEW: configure the fresh connection and ask for the switch's flows. */
static void
run_S_NEW(void)
{
    enum ofp_version version = swconn_version();
    struct ofputil_switch_config sc = {
        .frag = OFPUTIL_FRAG_NORMAL,
        .invalid_ttl_to_controller = 0,
        .miss_send_len = UINT16_MAX,
    };

    queue_msg(ofputil_encode_set_packet_in_format(version,
                                                  OFPUTIL_PACKET_IN_NXT2));
    queue_msg(ofputil_encode_set_config(&sc, version));

    struct ofputil_flow_stats_request fsr = {
        .aggregate = false,
        .out_port = OFPP_ANY,
        .out_group = OFPG_ANY,
        .table_id = OFPTT_ALL,
    };
    enum ofputil_protocol protocol;

    protocol = ofputil_protocol_from_ofp_version(version);
    match_init_catchall(&fsr.match);
    read_xid = queue_msg(ofputil_encode_flow_stats_request(&fsr, protocol));

    ofctrl_flow_table_clear(&installed);
    flow_updates_flush();
    installed_dirty = true;
    replace_all = false;
    ofctrl_set_state(S_READ_FLOWS);
}

static void
recv_S_NEW(const struct ofp_header *oh, enum ofptype type)
{
    ofctrl_recv(oh, type);
}

/* Adds the flows in one part of a flow stats reply to 'installed'.
 * Returns false if the message could not be decoded. */
static bool
read_flow_stats(const struct ofp_header *oh)
{
    struct ofpbuf msg = ofpbuf_const_initializer(oh, ntohs(oh->length));
    uint64_t ofpacts_stub[1024 / 8];
    struct ofpbuf ofpacts = OFPBUF_STUB_INITIALIZER(ofpacts_stub);
    int error;

    for (;;) {
        struct ofputil_flow_stats fs;

        error = ofputil_decode_flow_stats_reply(&fs, &msg, false, &ofpacts);
        if (error) {
            break;
        }

        struct ofctrl_flow *f = ofctrl_flow_create(
            fs.table_id, fs.priority, ntohll(fs.cookie), &fs.match,
            fs.ofpacts, fs.ofpacts_len);
        f->from_switch = true;
        if (ofctrl_table_find(&installed, f)) {
            ofctrl_flow_destroy(f);
        } else {
            ofctrl_table_insert(&installed, f);
            stats.n_read++;
        }
    }
    ofpbuf_uninit(&ofpacts);
    return error == EOF;
}

/* Gives up on reading the switch's flows: the next push replaces them all
 * in one bundle. */
static void
read_flows_failed(const char *why)
{
    static struct vlog_rate_limit rl = VLOG_RATE_LIMIT_INIT(5, 5);

    VLOG_WARN_RL(&rl, "%s: cannot read the switch's flows (%s), replacing "
                 "them in one bundle", target, why);
    ofctrl_flow_table_clear(&installed);
    replace_all = true;
    ofctrl_set_state(S_UPDATE_FLOWS);
}

static void
run_S_READ_FLOWS(void)
{
    /* Waiting for the flow dump. */
}

static void
recv_S_READ_FLOWS(const struct ofp_header *oh, enum ofptype type)
{
    if (oh->xid != read_xid) {
        ofctrl_recv(oh, type);
    } else if (type == OFPTYPE_ERROR) {
        read_flows_failed("the switch rejected the flow dump");
    } else if (type != OFPTYPE_FLOW_STATS_REPLY) {
        ofctrl_recv(oh, type);
    } else if (!read_flow_stats(oh)) {
        read_flows_failed("undecodable flow dump");
    } else if (!ofpmp_more(oh)) {
        VLOG_INFO("%s: read %"PRIuSIZE" flows from the switch", target,
                  ofctrl_flow_table_count(&installed));
        ofctrl_set_state(S_UPDATE_FLOWS);
    }
}

static void
run_S_UPDATE_FLOWS(void)
{
    if (resync_at != LLONG_MAX && time_msec() >= resync_at) {
        resync_at = LLONG_MAX;
        ofctrl_set_state(S_NEW);
    }
}

/* Marks the push whose barrier 'xid' answered, and every older one
 * (barriers are answered in order), as realized.  A reply to a barrier we
 * forgot about (flow_updates_flush()) realizes nothing. */
static void
flow_updates_complete(ovs_be32 xid)
{
    struct ofctrl_flow_update *fup;
    bool found = false;

    LIST_FOR_EACH (fup, list_node, &flow_updates) {
        if (fup->xid == xid) {
            found = true;
            break;
        }
    }
    if (!found) {
        return;
    }

    LIST_FOR_EACH_POP (fup, list_node, &flow_updates) {
        bool last = fup->xid == xid;

        cur_cfg = fup->cfg;
        realized_seqno = fup->seqno;
        free(fup);
        if (last) {
            break;
        }
    }
}

static void
flow_updates_flush(void)
{
    struct ofctrl_flow_update *fup;

    LIST_FOR_EACH_POP (fup, list_node, &flow_updates) {
        free(fup);
    }
}

static void
log_openflow_error(const struct ofp_header *oh)
{
    static struct vlog_rate_limit rl = VLOG_RATE_LIMIT_INIT(5, 5);

    if (!VLOG_DROP_WARN(&rl)) {
        char *s = ofp_to_string(oh, ntohs(oh->length), NULL, NULL, 2);
        VLOG_WARN("%s: OpenFlow error: %s", target, s);
        free(s);
    }
}

static void
recv_S_UPDATE_FLOWS(const struct ofp_header *oh, enum ofptype type)
{
    if (type == OFPTYPE_BARRIER_REPLY) {
        flow_updates_complete(oh->xid);
    } else if (type == OFPTYPE_ERROR) {
        /* A rejected bundle changed nothing on the switch, so 'installed' is
         * wrong and the pushes in flight realize nothing.  Read the flows
         * back in a second and try again from there. */
        log_openflow_error(oh);
        flow_updates_flush();
        resync_at = time_msec() + 1000;
    } else {
        ofctrl_recv(oh, type);
    }
}

/* Handles messages that mean the same in every state. */
static void
ofctrl_recv(const struct ofp_header *oh, enum ofptype type)
{
    static struct vlog_rate_limit rl = VLOG_RATE_LIMIT_INIT(30, 300);

    if (type == OFPTYPE_ECHO_REQUEST) {
        queue_msg(ofputil_encode_echo_reply(oh));
    } else if (type == OFPTYPE_ERROR) {
        log_openflow_error(oh);
    } else if (!VLOG_DROP_DBG(&rl)) {
        /* Bundle replies, packet-ins (the pinctrl thread will have its own
         * connection for those), port status and so on. */
        char *s = ofp_to_string(oh, ntohs(oh->length), NULL, NULL, 1);
        VLOG_DBG("%s: ignoring %s", target, s);
        free(s);
    }
}

static void
ofctrl_dispatch(const struct ofpbuf *msg)
{
    const struct ofp_header *oh = msg->data;
    enum ofptype type;

    if (ofptype_decode(&type, oh)) {
        static struct vlog_rate_limit rl = VLOG_RATE_LIMIT_INIT(5, 5);
        VLOG_WARN_RL(&rl, "%s: undecodable OpenFlow message", target);
        return;
    }

    switch (state) {
#define STATE(NAME) case NAME: recv_##NAME(oh, type); break;
        STATES
#undef STATE
    }
}

/* Resets the state machine for a new connection. */
static void
ofctrl_new_connection(void)
{
    swconn_seqno = rconn_get_connection_seqno(swconn);
    memset(&stats, 0, sizeof stats);
    resync_at = LLONG_MAX;
    state = S_NEW;
}

/* Runs the connection to the bridge named 'bridge_name' (NULL if there is
 * no integration bridge yet): connects or reconnects, receives messages and
 * advances the state machine. */
void
ofctrl_run(const char *bridge_name)
{
    ofctrl_update_target(bridge_name);
    rconn_run(swconn);
    if (!rconn_is_connected(swconn)) {
        return;
    }
    if (swconn_seqno != rconn_get_connection_seqno(swconn)) {
        ofctrl_new_connection();
    }

    bool progress = true;
    for (int i = 0; progress && i < 50; i++) {
        enum ofctrl_state old_state = state;

        switch (state) {
#define STATE(NAME) case NAME: run_##NAME(); break;
            STATES
#undef STATE
        }

        struct ofpbuf *msg = rconn_recv(swconn);
        if (msg) {
            ofctrl_dispatch(msg);
            ofpbuf_delete(msg);
        }
        progress = old_state != state || msg;
    }
    if (progress) {
        poll_immediate_wake();
    }
}

/* Returns true if the management socket that 'target' names exists. */
static bool
target_socket_exists(void)
{
    struct stat st;

    return !stat(target + strlen("unix:"), &st);
}

/* Points the connection at 'bridge_name''s management socket.  We connect
 * only once the socket exists, and give up a connection whose socket is
 * gone (ovs-vswitchd exited): rconn would otherwise retry and warn every
 * second until the bridge appears. */
static void
ofctrl_update_target(const char *bridge_name)
{
    char *new_target = (bridge_name
                        ? xasprintf("unix:%s/%s.mgmt", ovs_rundir(),
                                    bridge_name)
                        : NULL);

    if (!nullable_string_is_equal(new_target, target)) {
        free(target);
        target = new_target;
        rconn_disconnect(swconn);
    } else {
        free(new_target);
    }

    if (target && !rconn_is_connected(swconn)) {
        bool exists = target_socket_exists();
        if (!exists && rconn_is_alive(swconn)) {
            rconn_disconnect(swconn);
        } else if (exists && !rconn_is_alive(swconn)) {
            rconn_connect(swconn, target, target);
        }
    }
}

/* Arranges for poll_block() to wake up when ofctrl_run() has work. */
void
ofctrl_wait(void)
{
    rconn_run_wait(swconn);
    rconn_recv_wait(swconn);
    if (target && !rconn_is_alive(swconn)) {
        poll_timer_wait(100);     /* Until the management socket appears. */
    }
    if (resync_at != LLONG_MAX) {
        poll_timer_wait_until(resync_at);
    }
}

/* Frees everything ofctrl holds. */
void
ofctrl_destroy(void)
{
    rconn_destroy(swconn);
    swconn = NULL;
    rconn_packet_counter_destroy(tx_counter);
    tx_counter = NULL;
    ofctrl_flow_table_clear(&installed);
    hmap_destroy(&installed.flows);
    hmap_destroy(&installed.groups);
    flow_updates_flush();
    free(target);
    target = NULL;
}

/* Pushing flows.
 * ============== */

/* Appends to 'msgs' a flow_mod with 'command' for 'f'. */
static void
add_flow_mod(const struct ofctrl_flow *f, uint16_t command,
             struct ovs_list *msgs)
{
    if (VLOG_IS_DBG_ENABLED()) {
        struct ds s = DS_EMPTY_INITIALIZER;

        ofctrl_flow_format(f, &s);
        VLOG_DBG("%s %s", (command == OFPFC_ADD ? "add"
                           : command == OFPFC_DELETE_STRICT ? "delete"
                           : "modify"), ds_cstr(&s));
        ds_destroy(&s);
    }

    struct ofputil_flow_mod fm = {
        .match = f->match,
        .priority = f->priority,
        .new_cookie = htonll(f->cookie),
        .table_id = f->table_id,
        .command = command,
        .buffer_id = UINT32_MAX,
        .out_port = OFPP_ANY,
        .out_group = OFPG_ANY,
    };

    if (command != OFPFC_DELETE_STRICT) {
        fm.ofpacts = f->ofpacts;
        fm.ofpacts_len = f->ofpacts_len;
    }
    struct ofpbuf *msg = ofputil_encode_flow_mod(&fm, OFPUTIL_P_OF15_OXM);
    ovs_list_push_back(msgs, &msg->list_node);
}

/* Appends to 'msgs' a group_mod with 'command' (OFPGC11_ADD_OR_MOD or
 * OFPGC11_DELETE) for 'g'. */
static void
add_group_mod(const struct ofctrl_group *g, int command,
              struct ovs_list *msgs)
{
    struct ofputil_group_mod gm;
    enum ofputil_protocol usable;
    char *s = (command == OFPGC11_DELETE
               ? xasprintf("group_id=%"PRIu32, g->group_id)
               : xasprintf("group_id=%"PRIu32",%s", g->group_id, g->spec));
    char *error = parse_ofp_group_mod_str(&gm, command, s, NULL, NULL,
                                          &usable);

    VLOG_DBG("%s %s", command == OFPGC11_DELETE ? "delete" : "add/mod", s);
    if (error) {
        static struct vlog_rate_limit rl = VLOG_RATE_LIMIT_INIT(5, 5);
        VLOG_WARN_RL(&rl, "bad group \"%s\": %s", s, error);
        free(error);
        free(s);
        return;
    }
    free(s);

    struct ofpbuf *msg = ofputil_encode_group_mod(OFP15_VERSION, &gm, NULL,
                                                  -1);
    ofputil_uninit_group_mod(&gm);
    ovs_list_push_back(msgs, &msg->list_node);
}

/* Installs the groups of 'desired' that the switch lacks or holds with
 * other buckets, appending the group_mods to 'msgs'.  They go before the
 * flow_mods, so that a flow never refers to a group that is not there. */
static void
put_groups(const struct ofctrl_flow_table *desired, struct ovs_list *msgs)
{
    const struct ofctrl_group *d;

    HMAP_FOR_EACH (d, hmap_node, &desired->groups) {
        const struct ofctrl_group *i = ofctrl_group_find(&installed,
                                                         d->group_id);

        if (!i || strcmp(i->spec, d->spec)) {
            add_group_mod(d, OFPGC11_ADD_OR_MOD, msgs);
            ofctrl_group_put(&installed, d->group_id, d->spec);
        }
    }
}

/* Deletes the installed groups that 'desired' lacks, appending the
 * group_mods to 'msgs'.  They go after the flow_mods, once no flow refers
 * to them any more (deleting a group deletes the flows that use it). */
static void
put_delete_groups(const struct ofctrl_flow_table *desired,
                  struct ovs_list *msgs)
{
    struct ofctrl_group *i;

    HMAP_FOR_EACH_SAFE (i, hmap_node, &installed.groups) {
        if (!ofctrl_group_find(desired, i->group_id)) {
            add_group_mod(i, OFPGC11_DELETE, msgs);
            hmap_remove(&installed.groups, &i->hmap_node);
            ofctrl_group_destroy(i);
        }
    }
}

/* Appends to 'msgs' a flow_mod that deletes every flow in every table. */
static void
add_delete_all(struct ovs_list *msgs)
{
    struct ofputil_flow_mod fm = {
        .table_id = OFPTT_ALL,
        .command = OFPFC_DELETE,
        .buffer_id = UINT32_MAX,
        .out_port = OFPP_ANY,
        .out_group = OFPG_ANY,
    };

    minimatch_init_catchall(&fm.match);
    struct ofpbuf *msg = ofputil_encode_flow_mod(&fm, OFPUTIL_P_OF15_OXM);
    minimatch_destroy(&fm.match);
    ovs_list_push_back(msgs, &msg->list_node);

    struct ofputil_group_mod gm = {
        .command = OFPGC11_DELETE,
        .group_id = OFPG_ALL,
    };
    ovs_list_init(&gm.buckets);
    msg = ofputil_encode_group_mod(OFP15_VERSION, &gm, NULL, -1);
    ovs_list_push_back(msgs, &msg->list_node);
}

/* Makes the installed flow 'i' (NULL if the switch has none with that
 * identity) equal to the desired flow 'd' (NULL if none is wanted), both
 * in 'installed' and on the switch, appending the flow_mod, if one is
 * needed, to 'msgs'.
 *
 * A changed flow is modified in place, never deleted and re-added, so it
 * keeps its statistics: OFPFC_MODIFY_STRICT when only the actions changed,
 * OFPFC_ADD when the cookie changed (OpenFlow 1.5 cannot modify a cookie;
 * an add that replaces a flow keeps its counters in OVS unless asked to
 * reset them). */
static void
put_flow(const struct ofctrl_flow *d, struct ofctrl_flow *i,
         struct ovs_list *msgs)
{
    if (!d && i) {
        add_flow_mod(i, OFPFC_DELETE_STRICT, msgs);
        ofctrl_table_remove(&installed, i);
        stats.n_deleted++;
    } else if (d && !i) {
        add_flow_mod(d, OFPFC_ADD, msgs);
        ofctrl_table_insert(&installed, ofctrl_flow_clone(d));
        stats.n_added++;
    } else if (d && !ofctrl_flow_actions_equal(i, d)) {
        add_flow_mod(d, (i->cookie == d->cookie
                         ? OFPFC_MODIFY_STRICT : OFPFC_ADD), msgs);
        ofctrl_flow_copy_actions(i, d);
        stats.n_modified++;
    } else if (d && i->from_switch) {
        /* Same flow; adopt our encoding of the actions so that later
         * comparisons are byte for byte. */
        ofctrl_flow_copy_actions(i, d);
    }
}

/* Deletes from 'installed' the flows 'desired' lacks and fixes those whose
 * actions or cookie differ, appending the flow_mods to 'msgs'. */
static void
put_update_installed(const struct ofctrl_flow_table *desired,
                     struct ovs_list *msgs)
{
    struct ofctrl_flow *i;

    HMAP_FOR_EACH_SAFE (i, hmap_node, &installed.flows) {
        put_flow(ofctrl_table_find(desired, i), i, msgs);
    }
}

/* Adds to 'installed' the flows of 'desired' it lacks, appending the
 * flow_mods to 'msgs'. */
static void
put_add_missing(const struct ofctrl_flow_table *desired,
                struct ovs_list *msgs)
{
    const struct ofctrl_flow *d;

    HMAP_FOR_EACH (d, hmap_node, &desired->flows) {
        if (!ofctrl_table_find(&installed, d)) {
            put_flow(d, NULL, msgs);
        }
    }
}

/* The incremental push: brings only the flows and groups of 'desired'
 * that changed since the last push (its 'dirty' sets) in line, in the same
 * order as a full comparison: new and changed groups, flows, deleted
 * groups.  Costs time in proportion to the changes, not to the tables. */
static void
put_dirty(const struct ofctrl_flow_table *desired, struct ovs_list *msgs)
{
    const struct ofctrl_group_id *gid;
    const struct ofctrl_flow *id;

    HMAP_FOR_EACH (gid, hmap_node, &desired->dirty_groups) {
        uint32_t group_id = gid->group_id;
        const struct ofctrl_group *d = ofctrl_group_find(desired, group_id);
        const struct ofctrl_group *i = ofctrl_group_find(&installed,
                                                         group_id);

        if (d && (!i || strcmp(i->spec, d->spec))) {
            add_group_mod(d, OFPGC11_ADD_OR_MOD, msgs);
            ofctrl_group_put(&installed, d->group_id, d->spec);
        }
    }
    HMAP_FOR_EACH (id, hmap_node, &desired->dirty) {
        put_flow(ofctrl_table_find(desired, id),
                 ofctrl_table_find(&installed, id), msgs);
    }
    HMAP_FOR_EACH (gid, hmap_node, &desired->dirty_groups) {
        struct ofctrl_group *i = ofctrl_group_find(&installed, gid->group_id);

        if (i && !ofctrl_group_find(desired, gid->group_id)) {
            add_group_mod(i, OFPGC11_DELETE, msgs);
            hmap_remove(&installed.groups, &i->hmap_node);
            ofctrl_group_destroy(i);
        }
    }
}

/* Sends the flow_mods in 'msgs' (and frees them) as one atomic, ordered
 * bundle. */
static void
send_bundle(struct ovs_list *msgs)
{
    enum ofp_version version = swconn_version();
    struct ofputil_bundle_ctrl_msg bc = {
        .bundle_id = ++bundle_id,
        .type = OFPBCT_OPEN_REQUEST,
        .flags = OFPBF_ATOMIC | OFPBF_ORDERED,
    };
    struct ofpbuf *msg;

    queue_msg(ofputil_encode_bundle_ctrl_request(version, &bc));
    LIST_FOR_EACH_POP (msg, list_node, msgs) {
        struct ofputil_bundle_add_msg bam = {
            .bundle_id = bc.bundle_id,
            .flags = bc.flags,
            .msg = msg->data,
        };
        queue_msg(ofputil_encode_bundle_add(version, &bam));
        ofpbuf_delete(msg);
    }
    bc.type = OFPBCT_COMMIT_REQUEST;
    queue_msg(ofputil_encode_bundle_ctrl_request(version, &bc));
    stats.n_bundles++;
}

/* Records that 'cfg' and the desired table 'seqno' are realized once
 * everything sent so far is: at once if nothing is in flight, otherwise
 * when the last push completes. */
static void
put_note_cfg(int64_t cfg, uint64_t seqno)
{
    if (ovs_list_is_empty(&flow_updates)) {
        cur_cfg = cfg;
        realized_seqno = seqno;
    } else {
        struct ofctrl_flow_update *last;

        last = CONTAINER_OF(ovs_list_back(&flow_updates),
                            struct ofctrl_flow_update, list_node);
        last->cfg = cfg;
        last->seqno = seqno;
    }
}

/* Returns true if ofctrl_put() would push now: the connection is up, the
 * installed table is known, and nothing we sent is still queued. */
bool
ofctrl_can_put(void)
{
    return (rconn_is_connected(swconn)
            && state == S_UPDATE_FLOWS
            && resync_at == LLONG_MAX
            && !rconn_packet_counter_n_packets(tx_counter));
}

/* Makes the switch's flows equal to 'desired', which was computed from
 * PrivateLink_Global:cfg 'cfg'.  Call it only with a complete desired table:
 * whatever it lacks gets deleted from the switch.
 *
 * Does nothing unless ofctrl_can_put().  Otherwise sends the difference
 * between 'desired' and the installed table as one bundle followed by a
 * barrier; 'cfg' becomes ofctrl_get_cur_cfg() when the barrier returns (at
 * once if there was nothing to send and nothing in flight).  Comparing the
 * tables is skipped when neither changed since the last push. */
void
ofctrl_put(struct ofctrl_flow_table *desired, int64_t cfg)
{
    if (!ofctrl_can_put()) {
        return;
    }

    struct ovs_list msgs = OVS_LIST_INITIALIZER(&msgs);
    if (installed_dirty || replace_all || desired->all_dirty) {
        if (replace_all) {
            add_delete_all(&msgs);
        }
        put_groups(desired, &msgs);
        put_update_installed(desired, &msgs);
        put_add_missing(desired, &msgs);
        put_delete_groups(desired, &msgs);
        stats.n_full_compares++;
    } else if (desired->change_seqno != put_seqno) {
        put_dirty(desired, &msgs);
        stats.n_incremental_compares++;
    }
    put_seqno = desired->change_seqno;
    installed_dirty = replace_all = false;
    ofctrl_table_clear_dirty(desired);
    desired->all_dirty = false;

    if (ovs_list_is_empty(&msgs)) {
        put_note_cfg(cfg, desired->change_seqno);
        return;
    }

    size_t n = ovs_list_size(&msgs);
    send_bundle(&msgs);

    struct ofctrl_flow_update *fup = xmalloc(sizeof *fup);
    fup->xid = queue_msg(ofputil_encode_barrier_request(swconn_version()));
    fup->cfg = cfg;
    fup->seqno = desired->change_seqno;
    ovs_list_push_back(&flow_updates, &fup->list_node);
    VLOG_DBG("pushed %"PRIuSIZE" flow_mods for cfg %"PRId64, n, cfg);
}

/* Returns the PrivateLink_Global:cfg the switch has realized, or -1 if we
 * do not know yet. */
int64_t
ofctrl_get_cur_cfg(void)
{
    return cur_cfg;
}

/* Returns ofctrl_flow_table_seqno() of the last desired table that the
 * switch is known to hold in full (confirmed by a barrier), or 0. */
uint64_t
ofctrl_get_realized_seqno(void)
{
    return realized_seqno;
}

/* Status.
 * ======= */

/* Returns true if the OpenFlow connection is up. */
bool
ofctrl_is_connected(void)
{
    return rconn_is_connected(swconn);
}

/* Returns the name of the connection state, e.g. "S_UPDATE_FLOWS", or
 * "disconnected". */
const char *
ofctrl_get_state_name(void)
{
    return (rconn_is_connected(swconn)
            ? ofctrl_state_to_string(state) : "disconnected");
}

/* Returns the number of flows the switch holds, as far as we know. */
size_t
ofctrl_installed_count(void)
{
    return ofctrl_flow_table_count(&installed);
}

/* Appends to 's' a few "key: value" lines about the connection. */
void
ofctrl_format_status(struct ds *s)
{
    ds_put_format(s, "openflow: %s (%s)\n", ofctrl_get_state_name(),
                  target ? target : "no bridge");
    ds_put_format(s, "installed flows: %"PRIuSIZE"\n",
                  ofctrl_installed_count());
    ds_put_format(s, "pushes in flight: %"PRIuSIZE"\n",
                  ovs_list_size(&flow_updates));
    ds_put_format(s, "since connect: read %u, added %u, modified %u, "
                  "deleted %u, bundles %u\n", stats.n_read, stats.n_added,
                  stats.n_modified, stats.n_deleted, stats.n_bundles);
    ds_put_format(s, "table comparisons: full %u, incremental %u\n",
                  stats.n_full_compares, stats.n_incremental_compares);
}
