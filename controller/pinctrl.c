/* SPDX-License-Identifier: Apache-2.0 */

/* pinctrl: see pinctrl.h for the contract.
 *
 * The thread runs its own poll loop around one rconn to the bridge's
 * management socket.  On every new connection it sets its controller id
 * (PINCTRL_CONTROLLER_ID), asks for NXT_PACKET_IN2 (the format that
 * carries continuations and userdata) and a nonzero miss_send_len (a
 * service connection gets no packet-in without one).  Each packet-in is
 * handled and resumed at once: a paused packet waits for us, so a lost
 * connection costs the packets paused at that moment, nothing more.
 *
 * The main thread tells the thread the bridge's name with pinctrl_run();
 * the name is the only shared state (pinctrl_mutex), and a seq wakes the
 * thread when it changes. */

#include <config.h>

#include "pinctrl.h"

#include <string.h>
#include <sys/stat.h>

#include "csum.h"
#include "dirs.h"
#include "dns.h"
#include "gwlb-pinctrl.h"
#include "hash.h"
#include "openvswitch/hmap.h"
#include "openvswitch/match.h"
#include "openvswitch/meta-flow.h"
#include "latch.h"
#include "openvswitch/ofp-actions.h"
#include "openvswitch/ofp-msgs.h"
#include "openvswitch/ofp-packet.h"
#include "openvswitch/ofp-protocol.h"
#include "openvswitch/ofp-switch.h"
#include "openvswitch/ofp-util.h"
#include "openflow/nicira-ext.h"
#include "openvswitch/ofpbuf.h"
#include "openvswitch/poll-loop.h"
#include "openvswitch/rconn.h"
#include "openvswitch/vlog.h"
#include "ovs-thread.h"
#include "packets.h"
#include "pipeline.h"
#include "random.h"
#include "seq.h"
#include "timeval.h"
#include "uuid.h"
#include "socket-util.h"
#include "util.h"

VLOG_DEFINE_THIS_MODULE(pinctrl);

/* Shared with the main thread. */
static struct ovs_mutex pinctrl_mutex = OVS_MUTEX_INITIALIZER;
static char *pinctrl_bridge OVS_GUARDED_BY(pinctrl_mutex);
static struct seq *pinctrl_seq;     /* Changes with 'pinctrl_bridge'. */
static struct latch pinctrl_exit;   /* Set to stop the thread. */
static pthread_t pinctrl_thread;
static bool pinctrl_started;

/* Health checks: what the main thread wants checked, and the verdicts.
 * Guarded by 'pinctrl_mutex'. */
static struct pinctrl_health_target *health_wanted;
static size_t n_health_wanted;
static bool health_wanted_changed;
static struct hmap health_verdicts = HMAP_INITIALIZER(&health_verdicts);
static struct seq *health_seq;      /* Changes with 'health_verdicts'. */
static uint64_t health_seq_read;    /* Main thread: seq_read() at the last
                                     * pinctrl_get_health(). */

/* A verdict, in 'health_verdicts'. */
struct health_verdict {
    struct hmap_node node;      /* By uuid_hash(&uuid). */
    struct uuid uuid;           /* The Target row. */
    bool healthy;               /* Its state. */
};

/* The thread's own state of one checked target. */
struct health_check {
    struct hmap_node node;      /* In 'health_checks', by uuid_hash(). */
    struct pinctrl_health_target t; /* What to check. */
    uint16_t src_port;          /* Our source port. */
    long long int next;         /* When to send the next SYN. */
    bool waiting;               /* A SYN is unanswered. */
    int successes;              /* Answers in a row. */
    int failures;               /* Silences in a row. */
    int state;                  /* -1 unknown, 0 unhealthy, 1 healthy. */
};

/* Thread only. */
static struct hmap health_checks = HMAP_INITIALIZER(&health_checks);

/* Appends to 'ofpacts' a "controller" action for pinctrl's connection
 * that asks for 'opcode' with 'arg', pausing the packet if 'pause'. */
void
pinctrl_put_op(struct ofpbuf *ofpacts, enum pinctrl_opcode opcode,
               uint16_t arg, bool pause)
{
    size_t oc_offset = ofpacts->size;
    struct ofpact_controller *oc = ofpact_put_CONTROLLER(ofpacts);

    oc->max_len = UINT16_MAX;
    oc->controller_id = PINCTRL_CONTROLLER_ID;
    oc->reason = OFPR_ACTION;
    oc->pause = pause;
    oc->meter_id = NX_CTLR_NO_METER;

    struct pinctrl_op op = { .opcode = htons(opcode), .arg = htons(arg) };
    ofpbuf_put(ofpacts, &op, sizeof op);

    oc = ofpbuf_at_assert(ofpacts, oc_offset, sizeof *oc);
    ofpacts->header = oc;
    oc->userdata_len = ofpacts->size - (oc_offset + sizeof *oc);
    ofpact_finish_CONTROLLER(ofpacts, &oc);
}

/* Clamps the MSS option of the TCP segment in the Ethernet frame 'packet'
 * of 'size' bytes (IPv4, no VLAN) to 'mss', fixing the TCP checksum.
 * Returns true if it changed the packet. */
bool
pinctrl_clamp_mss(void *packet, size_t size, uint16_t mss)
{
    uint8_t *p = packet;

    if (size < ETH_HEADER_LEN + IP_HEADER_LEN
        || ((struct eth_header *) p)->eth_type != htons(ETH_TYPE_IP)) {
        return false;
    }

    struct ip_header *ip = (struct ip_header *) (p + ETH_HEADER_LEN);
    size_t ip_len = IP_IHL(ip->ip_ihl_ver) * 4;
    if (ip->ip_proto != IPPROTO_TCP || ip_len < IP_HEADER_LEN
        || size < ETH_HEADER_LEN + ip_len + TCP_HEADER_LEN) {
        return false;
    }

    struct tcp_header *tcp = (struct tcp_header *) (p + ETH_HEADER_LEN
                                                    + ip_len);
    size_t tcp_len = TCP_OFFSET(tcp->tcp_ctl) * 4;
    if (tcp_len < TCP_HEADER_LEN
        || size < ETH_HEADER_LEN + ip_len + tcp_len) {
        return false;
    }

    uint8_t *opt = (uint8_t *) tcp + TCP_HEADER_LEN;
    uint8_t *end = (uint8_t *) tcp + tcp_len;
    while (opt < end) {
        uint8_t kind = opt[0];

        if (kind == 0) {                        /* End of options. */
            break;
        } else if (kind == 1) {                 /* No-op. */
            opt++;
            continue;
        } else if (opt + 1 >= end || opt[1] < 2 || opt + opt[1] > end) {
            break;                              /* Malformed. */
        }
        if (kind == 2 && opt[1] == 4) {         /* MSS. */
            ovs_be16 old, new = htons(mss);

            memcpy(&old, opt + 2, sizeof old);
            if (ntohs(old) <= mss) {
                return false;
            }
            memcpy(opt + 2, &new, sizeof new);
            tcp->tcp_csum = recalc_csum16(tcp->tcp_csum, old, new);
            return true;
        }
        opt += opt[1];
    }
    return false;
}

/* Health checks.
 * ============== */

/* Replaces the targets to check by the 'n' in 'targets'.  (Main thread.) */
void
pinctrl_set_health_targets(const struct pinctrl_health_target *targets,
                           size_t n)
{
    ovs_mutex_lock(&pinctrl_mutex);
    if (n != n_health_wanted
        || (n && memcmp(targets, health_wanted, n * sizeof *targets))) {
        free(health_wanted);
        health_wanted = n ? xmemdup(targets, n * sizeof *targets) : NULL;
        n_health_wanted = n;
        health_wanted_changed = true;
        if (pinctrl_seq) {
            seq_change(pinctrl_seq);
        }
    }
    ovs_mutex_unlock(&pinctrl_mutex);
}

/* Stores in '*results' (malloc'd) the verdicts on the targets being
 * checked, and returns how many.  (Main thread.) */
size_t
pinctrl_get_health(struct pinctrl_health_result **results)
{
    struct health_verdict *v;
    size_t n = 0;

    health_seq_read = seq_read(health_seq);
    ovs_mutex_lock(&pinctrl_mutex);
    *results = xmalloc((hmap_count(&health_verdicts) + 1) * sizeof **results);
    HMAP_FOR_EACH (v, node, &health_verdicts) {
        (*results)[n].uuid = v->uuid;
        (*results)[n].healthy = v->healthy;
        n++;
    }
    ovs_mutex_unlock(&pinctrl_mutex);
    return n;
}

/* Publishes the verdict of 'hc'.  (Thread.) */
static void
health_publish(const struct health_check *hc)
{
    struct health_verdict *v = NULL, *iter;

    ovs_mutex_lock(&pinctrl_mutex);
    HMAP_FOR_EACH_WITH_HASH (iter, node, uuid_hash(&hc->t.uuid),
                             &health_verdicts) {
        if (uuid_equals(&iter->uuid, &hc->t.uuid)) {
            v = iter;
        }
    }
    if (!v) {
        v = xmalloc(sizeof *v);
        v->uuid = hc->t.uuid;
        hmap_insert(&health_verdicts, &v->node, uuid_hash(&v->uuid));
    }
    v->healthy = hc->state == 1;
    ovs_mutex_unlock(&pinctrl_mutex);
    seq_change(health_seq);
}

/* Takes the main thread's list of targets, keeping the state of those
 * that stay.  (Thread.) */
static void
health_sync(void)
{
    ovs_mutex_lock(&pinctrl_mutex);
    if (!health_wanted_changed) {
        ovs_mutex_unlock(&pinctrl_mutex);
        return;
    }
    health_wanted_changed = false;

    struct hmap old = HMAP_INITIALIZER(&old);
    hmap_swap(&old, &health_checks);
    for (size_t i = 0; i < n_health_wanted; i++) {
        const struct pinctrl_health_target *t = &health_wanted[i];
        struct health_check *hc = NULL, *iter;

        HMAP_FOR_EACH_WITH_HASH (iter, node, uuid_hash(&t->uuid), &old) {
            if (uuid_equals(&iter->t.uuid, &t->uuid)) {
                hc = iter;
            }
        }
        if (hc) {
            hmap_remove(&old, &hc->node);
        } else {
            hc = xzalloc(sizeof *hc);
            hc->state = -1;
            hc->next = time_msec();
            hc->src_port = PINCTRL_HEALTH_PORT_MIN
                           + (hash_bytes(&t->uuid, sizeof t->uuid, 0)
                              & 1023);
        }
        hc->t = *t;
        hmap_insert(&health_checks, &hc->node, uuid_hash(&t->uuid));
    }

    /* Forget the verdicts on targets no longer checked. */
    struct health_check *hc;
    HMAP_FOR_EACH_POP (hc, node, &old) {
        struct health_verdict *v;
        HMAP_FOR_EACH_WITH_HASH (v, node, uuid_hash(&hc->t.uuid),
                                 &health_verdicts) {
            if (uuid_equals(&v->uuid, &hc->t.uuid)) {
                hmap_remove(&health_verdicts, &v->node);
                free(v);
                break;
            }
        }
        free(hc);
    }
    hmap_destroy(&old);
    ovs_mutex_unlock(&pinctrl_mutex);
}

/* Sends the Ethernet frame 'packet' of 'size' bytes to the switch on
 * 'swconn' as a packet-out (from the controller port) with 'ofpacts'. */
void
pinctrl_send_packet_out(struct rconn *swconn, const void *packet, size_t size,
                        const struct ofpbuf *ofpacts)
{
    struct ofputil_packet_out po = {
        .packet = packet,
        .packet_len = size,
        .buffer_id = UINT32_MAX,
        .ofpacts = ofpacts->data,
        .ofpacts_len = ofpacts->size,
    };
    match_init_catchall(&po.flow_metadata);
    match_set_in_port(&po.flow_metadata, OFPP_CONTROLLER);
    enum ofputil_protocol proto
        = ofputil_protocol_from_ofp_version(rconn_get_version(swconn));
    rconn_send(swconn, ofputil_encode_packet_out(&po, proto), NULL);
}

/* Sends, through the egress half of the pipeline, a TCP segment with
 * 'flags' from 'hc''s load balancer address to its target, with sequence
 * number 'seq'. */
static void
health_send(struct rconn *swconn, const struct health_check *hc,
            uint8_t flags, ovs_be32 seq)
{
    uint8_t packet[ETH_HEADER_LEN + IP_HEADER_LEN + TCP_HEADER_LEN];
    struct eth_header *eth = (struct eth_header *) packet;
    struct ip_header *ip = (struct ip_header *) (eth + 1);
    struct tcp_header *tcp = (struct tcp_header *) (ip + 1);

    memset(packet, 0, sizeof packet);
    eth->eth_dst = hc->t.mac;
    eth->eth_src = hc->t.router_mac;
    eth->eth_type = htons(ETH_TYPE_IP);
    ip->ip_ihl_ver = IP_IHL_VER(5, IP_VERSION);
    ip->ip_tot_len = htons(IP_HEADER_LEN + TCP_HEADER_LEN);
    ip->ip_frag_off = htons(IP_DONT_FRAGMENT);
    ip->ip_ttl = 64;
    ip->ip_proto = IPPROTO_TCP;
    put_16aligned_be32(&ip->ip_src, hc->t.lb_ip);
    put_16aligned_be32(&ip->ip_dst, hc->t.ip);
    ip->ip_csum = csum(ip, IP_HEADER_LEN);
    tcp->tcp_src = htons(hc->src_port);
    tcp->tcp_dst = htons(hc->t.port);
    put_16aligned_be32(&tcp->tcp_seq, seq);
    tcp->tcp_ctl = TCP_CTL(flags, TCP_HEADER_LEN / 4);
    tcp->tcp_winsz = htons(flags & TCP_RST ? 0 : 1024);
    tcp->tcp_csum = csum_finish(csum_continue(packet_csum_pseudoheader(ip),
                                              tcp, TCP_HEADER_LEN));

    uint64_t stub[64 / 8];
    struct ofpbuf ofpacts = OFPBUF_STUB_INITIALIZER(stub);
    ovs_be64 metadata = htonll(hc->t.vpc_key);
    ovs_be64 mask = OVS_BE64_MAX;
    ofpact_put_set_field(&ofpacts, mf_from_id(MFF_METADATA), &metadata,
                         &mask);
    struct ofpact_resubmit *resubmit = ofpact_put_RESUBMIT(&ofpacts);
    resubmit->in_port = OFPP_IN_PORT;
    resubmit->table_id = pl_stage_table(PL_OUT_PORT);
    pinctrl_send_packet_out(swconn, packet, sizeof packet, &ofpacts);
    ofpbuf_uninit(&ofpacts);
}

/* Counts an answer (or, if '!answered', a silence) for 'hc'. */
static void
health_count(struct health_check *hc, bool answered)
{
    int old = hc->state;

    if (answered) {
        hc->failures = 0;
        if (++hc->successes >= hc->t.healthy_threshold) {
            hc->state = 1;
        }
    } else {
        hc->successes = 0;
        if (++hc->failures >= hc->t.unhealthy_threshold) {
            hc->state = 0;
        }
    }
    if (hc->state != old) {
        health_publish(hc);
    }
}

/* Sends the checks that are due.  (Thread.) */
static void
health_run(struct rconn *swconn)
{
    long long int now = time_msec();
    struct health_check *hc;

    HMAP_FOR_EACH (hc, node, &health_checks) {
        if (now >= hc->next) {
            if (hc->waiting) {
                health_count(hc, false);
            }
            if (rconn_is_connected(swconn)) {
                health_send(swconn, hc, TCP_SYN, htonl(random_uint32()));
                hc->waiting = true;
            }
            hc->next = now + hc->t.interval_ms;
        }
    }
}

/* Wakes the thread when a check is due. */
static void
health_wait(void)
{
    struct health_check *hc;

    HMAP_FOR_EACH (hc, node, &health_checks) {
        poll_timer_wait_until(hc->next);
    }
}

/* Handles the SYN-ACK in 'packet' ('size' bytes): an answer to a check;
 * closes the half-open connection with a RST. */
static void
health_answer(struct rconn *swconn, const void *packet, size_t size)
{
    const uint8_t *p = packet;

    if (size < ETH_HEADER_LEN + IP_HEADER_LEN + TCP_HEADER_LEN) {
        return;
    }
    const struct ip_header *ip = (const struct ip_header *)
                                 (p + ETH_HEADER_LEN);
    size_t ip_len = IP_IHL(ip->ip_ihl_ver) * 4;
    if (size < ETH_HEADER_LEN + ip_len + TCP_HEADER_LEN) {
        return;
    }
    const struct tcp_header *tcp = (const struct tcp_header *)
                                   (p + ETH_HEADER_LEN + ip_len);
    ovs_be32 src = get_16aligned_be32(&ip->ip_src);
    ovs_be32 dst = get_16aligned_be32(&ip->ip_dst);
    struct health_check *hc;

    HMAP_FOR_EACH (hc, node, &health_checks) {
        if (hc->t.ip == src && hc->t.lb_ip == dst
            && ntohs(tcp->tcp_src) == hc->t.port
            && ntohs(tcp->tcp_dst) == hc->src_port) {
            if (hc->waiting) {
                hc->waiting = false;
                health_count(hc, true);
            }
            health_send(swconn, hc, TCP_RST,
                        get_16aligned_be32(&tcp->tcp_ack));
            return;
        }
    }
}

/* The thread.
 * =========== */

/* Handles the packet-in 'oh' on 'swconn': does what its userdata asks and
 * resumes it. */
static void
pinctrl_handle_packet_in(struct rconn *swconn, const struct ofp_header *oh)
{
    static struct vlog_rate_limit rl = VLOG_RATE_LIMIT_INIT(1, 5);
    struct ofputil_packet_in pin;
    struct ofpbuf continuation;

    enum ofperr error = ofputil_decode_packet_in(oh, true, NULL, NULL, &pin,
                                                 NULL, NULL, &continuation);
    if (error) {
        VLOG_WARN_RL(&rl, "undecodable packet-in: %s",
                     ofperr_to_string(error));
        return;
    }
    if (pin.reason != OFPR_ACTION || pin.userdata_len != sizeof(struct
                                                               pinctrl_op)) {
        return;
    }

    struct pinctrl_op op;
    memcpy(&op, pin.userdata, sizeof op);
    if (ntohs(op.opcode) == PINCTRL_OP_HEALTH) {
        health_answer(swconn, pin.packet, pin.packet_len);
        return;
    } else if (ntohs(op.opcode) == PINCTRL_OP_DNS) {
        dns_pinctrl_handle(swconn, &pin);
        return;
    } else if (ntohs(op.opcode) == PINCTRL_OP_GWLB_ENCAP) {
        gwlb_pinctrl_encap(swconn, &pin);
        return;
    } else if (ntohs(op.opcode) == PINCTRL_OP_GWLB_DECAP) {
        gwlb_pinctrl_decap(swconn, &pin);
        return;
    }

    void *packet = xmemdup(pin.packet, pin.packet_len);
    switch (ntohs(op.opcode)) {
    case PINCTRL_OP_MSS:
        pinctrl_clamp_mss(packet, pin.packet_len, ntohs(op.arg));
        break;
    default:
        VLOG_WARN_RL(&rl, "packet-in with unknown opcode %"PRIu16,
                     ntohs(op.opcode));
        break;
    }
    pin.packet = packet;

    enum ofputil_protocol proto
        = ofputil_protocol_from_ofp_version(rconn_get_version(swconn));
    rconn_send(swconn, ofputil_encode_resume(&pin, &continuation, proto),
               NULL);
    free(packet);
}

/* Configures the new connection 'swconn' (see the top of the file). */
static void
pinctrl_setup(struct rconn *swconn)
{
    enum ofp_version version = rconn_get_version(swconn);
    struct ofputil_switch_config sc = {
        .frag = OFPUTIL_FRAG_NORMAL,
        .invalid_ttl_to_controller = 0,
        .miss_send_len = UINT16_MAX,
    };

    struct ofpbuf *msg = ofpraw_alloc(OFPRAW_NXT_SET_CONTROLLER_ID, version,
                                      0);
    struct nx_controller_id *cid = ofpbuf_put_zeros(msg, sizeof *cid);
    cid->controller_id = htons(PINCTRL_CONTROLLER_ID);
    rconn_send(swconn, msg, NULL);
    rconn_send(swconn, ofputil_encode_set_packet_in_format(
                   version, OFPUTIL_PACKET_IN_NXT2), NULL);
    rconn_send(swconn, ofputil_encode_set_config(&sc, version), NULL);
}

/* Returns the management socket target of the bridge pinctrl_run() named,
 * or NULL (malloc'd). */
static char *
pinctrl_get_target(void)
{
    char *target = NULL;

    ovs_mutex_lock(&pinctrl_mutex);
    if (pinctrl_bridge) {
        target = xasprintf("unix:%s/%s.mgmt", ovs_rundir(), pinctrl_bridge);
    }
    ovs_mutex_unlock(&pinctrl_mutex);
    return target;
}

static void *
pinctrl_main(void *arg OVS_UNUSED)
{
    struct rconn *swconn = rconn_create(0, 1, DSCP_DEFAULT,
                                        1u << OFP15_VERSION);
    unsigned int conn_seqno = 0;
    char *target = NULL;

    while (!latch_is_set(&pinctrl_exit)) {
        uint64_t seq = seq_read(pinctrl_seq);
        char *new_target = pinctrl_get_target();
        struct stat st;

        if (!nullable_string_is_equal(new_target, target)) {
            free(target);
            target = new_target;
            rconn_disconnect(swconn);
        } else {
            free(new_target);
        }
        if (target && !rconn_is_alive(swconn)
            && !stat(target + strlen("unix:"), &st)) {
            rconn_connect(swconn, target, target);
        }

        rconn_run(swconn);
        health_sync();
        health_run(swconn);
        if (rconn_is_connected(swconn)) {
            dns_pinctrl_run(swconn);
            if (conn_seqno != rconn_get_connection_seqno(swconn)) {
                conn_seqno = rconn_get_connection_seqno(swconn);
                pinctrl_setup(swconn);
            }
            for (int i = 0; i < 50; i++) {
                struct ofpbuf *msg = rconn_recv(swconn);
                if (!msg) {
                    break;
                }

                const struct ofp_header *oh = msg->data;
                enum ofptype type;
                if (!ofptype_decode(&type, oh)) {
                    if (type == OFPTYPE_PACKET_IN) {
                        pinctrl_handle_packet_in(swconn, oh);
                    } else if (type == OFPTYPE_ECHO_REQUEST) {
                        rconn_send(swconn, ofputil_encode_echo_reply(oh),
                                   NULL);
                    }
                }
                ofpbuf_delete(msg);
            }
        }

        rconn_run_wait(swconn);
        rconn_recv_wait(swconn);
        if (target && !rconn_is_alive(swconn)) {
            poll_timer_wait(100);   /* Until the socket appears. */
        }
        health_wait();
        dns_pinctrl_wait();
        seq_wait(pinctrl_seq, seq);
        latch_wait(&pinctrl_exit);
        poll_block();
    }

    struct health_check *hc;
    HMAP_FOR_EACH_POP (hc, node, &health_checks) {
        free(hc);
    }
    dns_pinctrl_destroy();
    rconn_destroy(swconn);
    free(target);
    return NULL;
}

/* Arranges for the main loop to wake up when pinctrl has new verdicts for
 * pinctrl_get_health(). */
void
pinctrl_wait(void)
{
    seq_wait(health_seq, health_seq_read);
}

/* Starts the thread. */
void
pinctrl_init(void)
{
    pinctrl_seq = seq_create();
    health_seq = seq_create();
    health_seq_read = seq_read(health_seq);
    latch_init(&pinctrl_exit);
    pinctrl_thread = ovs_thread_create("pinctrl", pinctrl_main, NULL);
    pinctrl_started = true;
}

/* Tells the thread the integration bridge's name (NULL if none yet). */
void
pinctrl_run(const char *bridge_name)
{
    ovs_mutex_lock(&pinctrl_mutex);
    if (!nullable_string_is_equal(bridge_name, pinctrl_bridge)) {
        free(pinctrl_bridge);
        pinctrl_bridge = nullable_xstrdup(bridge_name);
        seq_change(pinctrl_seq);
    }
    ovs_mutex_unlock(&pinctrl_mutex);
}

/* Stops the thread and frees what it held. */
void
pinctrl_destroy(void)
{
    if (!pinctrl_started) {
        return;
    }
    latch_set(&pinctrl_exit);
    xpthread_join(pinctrl_thread, NULL);
    latch_destroy(&pinctrl_exit);
    seq_destroy(pinctrl_seq);
    seq_destroy(health_seq);
    ovs_mutex_lock(&pinctrl_mutex);
    free(pinctrl_bridge);
    pinctrl_bridge = NULL;
    free(health_wanted);
    health_wanted = NULL;
    n_health_wanted = 0;
    struct health_verdict *v;
    HMAP_FOR_EACH_POP (v, node, &health_verdicts) {
        free(v);
    }
    ovs_mutex_unlock(&pinctrl_mutex);
    pinctrl_started = false;
}
