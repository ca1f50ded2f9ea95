/* SPDX-License-Identifier: Apache-2.0 */

/* Security groups: stateful allow rules on conntrack, per network
 * interface, as AWS has them.
 *
 * Each direction is two stages.  The first (PL_IN_SG_CT, PL_OUT_SG_CT)
 * sends every IPv4 packet to conntrack in the ENI's zone (pipeline.h:
 * "Conntrack zones"), the second (PL_IN_SG, PL_OUT_SG) decides:
 *
 *   priority 200  ct_state -new+est-inv or -new+rel-inv: a packet of a
 *                 connection already allowed (replies included) or related
 *                 to one (ICMP errors) passes.  Removing a rule does not cut
 *                 the connections it let in, as on AWS.
 *   priority 100  ct_state +new-inv, per rule of the ENI's groups of the
 *                 direction: commit the connection in the ENI's zone and
 *                 pass.  An ENI with no group at all (a GWLB endpoint's)
 *                 is not filtered: one flow passes everything.
 *   priority 0    drop: new connections no rule allows, invalid packets.
 *
 * The egress rules of the source ENI run on the sending side (PL_IN_SG,
 * the ENI in PL_MFF_INPORT); the ingress rules of the destination ENI run
 * where it is bound (PL_OUT_SG, the ENI in PL_MFF_OUTPORT), after the
 * tunnel if there is one.  Each ENI's zone holds its connections in both
 * directions, so a reply is "established" in the zone of each end.
 *
 * A rule becomes one flow per (peer block, port block): its peer is a CIDR
 * block, every member ENI of a referenced group (a /32 each), or every
 * block of a prefix list; a TCP or UDP port range is split into aligned
 * power-of-two blocks (1024-65535 is 6 of them); ICMP matches the type and
 * code; protocol -1 matches every protocol and ignores the ports. */

#include <config.h>

#include <errno.h>
#include <string.h>

#include "byte-order.h"
#include "flow.h"
#include "flows.h"
#include "flows-private.h"
#include "openvswitch/match.h"
#include "openvswitch/ofpbuf.h"
#include "openvswitch/vlog.h"
#include "packets.h"
#include "smap.h"
#include "util.h"
#include "lib/plink-idl.h"

VLOG_DEFINE_THIS_MODULE(flows_sg);

/* Priorities in the rule stages. */
enum {
    FLOWS_SG_TRACKED = 200,     /* Established or related: pass. */
    FLOWS_SG_RULE = 100,        /* New and allowed: commit, pass. */
};

/* Priority of the conntrack flow of the ct stages. */
#define FLOWS_SG_CT_PRIORITY 100

/* One direction of the security groups: how FLOWS_SG_EGRESS and
 * FLOWS_SG_INGRESS map onto the pipeline. */
struct flows_sg_dir {
    const char *direction;      /* Security_Group_Rule:direction. */
    enum pl_stage ct_stage;     /* Sends packets to conntrack. */
    enum pl_stage stage;        /* Applies the rules. */
    enum pl_stage next;         /* Where allowed packets go. */
    enum mf_field_id port;      /* Holds the ENI's port: its zone. */
    bool peer_is_dst;           /* Peer is ip.dst (egress), else ip.src. */
};

static const struct flows_sg_dir flows_sg_dirs[] = {
    [FLOWS_SG_EGRESS] = {
        "egress", PL_IN_SG_CT, PL_IN_SG, PL_IN_ROUTE, PL_MFF_INPORT, true,
    },
    [FLOWS_SG_INGRESS] = {
        "ingress", PL_OUT_SG_CT, PL_OUT_SG, PL_OUT_MTU, PL_MFF_OUTPORT, false,
    },
    [FLOWS_SG_EPT] = {
        "ingress", PL_IN_EPT_SG, PL_IN_EPT_SG, PL_IN_EPT_LB, PL_MFF_EPT, false,
    },
};

/* A block of addresses a rule allows as its peer. */
struct flows_sg_peer {
    ovs_be32 addr;              /* Network address. */
    unsigned int plen;          /* Prefix length. */
};

/* A block of ports (TCP, UDP) or an ICMP type and code a rule allows. */
struct flows_sg_l4 {
    bool any;                   /* No match on the ports at all. */
    uint16_t value;             /* Port block start, or ICMP type. */
    uint16_t mask;              /* Port block mask. */
    int icmp_code;              /* ICMP code, or -1 for any. */
};

/* A growable array. */
struct flows_sg_vec {
    void *items;                /* The elements. */
    size_t n;                   /* Number of elements. */
    size_t allocated;           /* Allocated elements. */
};

/* Appends a copy of the 'size'-byte 'item' to 'vec'. */
static void
flows_sg_vec_push(struct flows_sg_vec *vec, const void *item, size_t size)
{
    if (vec->n >= vec->allocated) {
        vec->items = x2nrealloc(vec->items, &vec->allocated, size);
    }
    memcpy((char *) vec->items + vec->n++ * size, item, size);
}

/* Parsing rules.
 * ============== */

/* Parses the IpProtocol 'proto' of a rule: returns the IP protocol
 * number, 0 for all protocols ("-1"), or -1 if it does not parse. */
static int
flows_sg_parse_protocol(const char *proto)
{
    static const struct { const char *name; int number; } names[] = {
        { "-1", 0 }, { "all", 0 },
        { "tcp", IPPROTO_TCP }, { "udp", IPPROTO_UDP },
        { "icmp", IPPROTO_ICMP },
    };
    int number;

    for (size_t i = 0; i < ARRAY_SIZE(names); i++) {
        if (!strcasecmp(proto, names[i].name)) {
            return names[i].number;
        }
    }
    if (str_to_int(proto, 10, &number) && number >= 0 && number <= 255) {
        return number;
    }
    return -1;
}

/* Appends to 'l4s' the aligned power-of-two blocks that make up the port
 * range 'lo' to 'hi'. */
static void
flows_sg_port_blocks(uint32_t lo, uint32_t hi, struct flows_sg_vec *l4s)
{
    while (lo <= hi) {
        uint32_t size = 1;

        while (size < 65536 && !(lo & (size * 2 - 1))
               && lo + size * 2 - 1 <= hi) {
            size *= 2;
        }

        struct flows_sg_l4 l4 = {
            .value = lo,
            .mask = ~(size - 1) & 0xffff,
            .icmp_code = -1,
        };
        flows_sg_vec_push(l4s, &l4, sizeof l4);
        lo += size;
    }
}

/* Appends to 'l4s' the transport matches of 'rule' for protocol 'proto'. */
static void
flows_sg_collect_l4(const struct plrec_security_group_rule *rule, int proto,
                    struct flows_sg_vec *l4s)
{
    struct flows_sg_l4 any = { .any = true, .icmp_code = -1 };

    if (proto == IPPROTO_TCP || proto == IPPROTO_UDP) {
        int64_t lo = rule->from_port, hi = rule->to_port;

        if (lo < 0 || hi < 0 || (lo == 0 && hi == 65535)) {
            flows_sg_vec_push(l4s, &any, sizeof any);
        } else if (lo <= hi && hi <= 65535) {
            flows_sg_port_blocks(lo, hi, l4s);
        }
    } else if (proto == IPPROTO_ICMP && rule->from_port >= 0
               && rule->from_port <= 255) {
        struct flows_sg_l4 icmp = {
            .value = rule->from_port,
            .icmp_code = rule->to_port <= 255 ? rule->to_port : -1,
        };
        flows_sg_vec_push(l4s, &icmp, sizeof icmp);
    } else {
        flows_sg_vec_push(l4s, &any, sizeof any);
    }
}

/* Appends to 'peers' the address blocks of the peer of 'rule'. */
static void
flows_sg_collect_peers(const struct flows_ctx *ctx,
                       const struct plrec_security_group_rule *rule,
                       struct flows_sg_vec *peers)
{
    struct flows_sg_peer peer;

    if (rule->cidr_ipv4) {
        if (flows_parse_cidr(rule->cidr_ipv4, &peer.addr, &peer.plen)) {
            flows_sg_vec_push(peers, &peer, sizeof peer);
        }
    } else if (rule->referenced_group) {
        const struct uuid *group = &rule->referenced_group->header_.uuid;
        const struct flows_sg_members *m = flows_sg_members_find(ctx, group);

        for (size_t i = 0; m && i < m->n_ips; i++) {
            peer.addr = m->ips[i];
            peer.plen = 32;
            flows_sg_vec_push(peers, &peer, sizeof peer);
        }
    } else if (rule->prefix_list
               && !strcmp(rule->prefix_list->address_family, "IPv4")) {
        const struct smap_node *node;

        SMAP_FOR_EACH (node, &rule->prefix_list->entries) {
            if (flows_parse_cidr(node->key, &peer.addr, &peer.plen)) {
                flows_sg_vec_push(peers, &peer, sizeof peer);
            }
        }
    }
}

/* Building.
 * ========= */

/* Adds to 'match' the transport match 'l4' for protocol 'proto'. */
static void
flows_sg_match_l4(struct match *match, int proto, const struct flows_sg_l4 *l4)
{
    if (l4->any) {
        return;
    }
    if (proto == IPPROTO_ICMP) {
        match_set_icmp_type(match, l4->value);
        if (l4->icmp_code >= 0) {
            match_set_icmp_code(match, l4->icmp_code);
        }
    } else {
        match_set_tp_dst_masked(match, htons(l4->value), htons(l4->mask));
    }
}

/* Adds, in the rule stage of direction 'direction' (PL_IN_SG or
 * PL_OUT_SG), the flows that let the new connections 'rule' allows go on
 * with 'ofpacts', for packets that also match 'base' (which says whose
 * rule it is: an ENI's port, say, or the address of an interface
 * endpoint).  'rule' must be of that direction. */
void
flows_sg_build_rule(struct flows_ctx *ctx,
                    enum flows_sg_direction direction,
                    const struct match *base,
                    const struct plrec_security_group_rule *rule,
                    const struct ofpbuf *ofpacts)
{
    const struct flows_sg_dir *dir = &flows_sg_dirs[direction];

    int proto = flows_sg_parse_protocol(rule->ip_protocol);
    if (proto < 0) {
        static struct vlog_rate_limit rl = VLOG_RATE_LIMIT_INIT(1, 5);
        VLOG_WARN_RL(&rl, "%s: unknown protocol \"%s\", rule ignored",
                     rule->rule_id, rule->ip_protocol);
        return;
    }

    struct flows_sg_vec peers = { NULL, 0, 0 };
    struct flows_sg_vec l4s = { NULL, 0, 0 };
    flows_sg_collect_peers(ctx, rule, &peers);
    flows_sg_collect_l4(rule, proto, &l4s);

    const struct flows_sg_peer *peer = peers.items;
    for (size_t i = 0; i < peers.n; i++, peer++) {
        const struct flows_sg_l4 *l4 = l4s.items;

        for (size_t j = 0; j < l4s.n; j++, l4++) {
            struct match match = *base;
            ovs_be32 mask = be32_prefix_mask(peer->plen);

            match_set_ct_state_masked(&match, CS_NEW | CS_TRACKED,
                                      CS_NEW | CS_INVALID | CS_TRACKED);
            match_set_dl_type(&match, htons(ETH_TYPE_IP));
            if (dir->peer_is_dst) {
                match_set_nw_dst_masked(&match, peer->addr, mask);
            } else {
                match_set_nw_src_masked(&match, peer->addr, mask);
            }
            if (proto) {
                match_set_nw_proto(&match, proto);
                flows_sg_match_l4(&match, proto, l4);
            }
            flows_add(ctx, dir->stage, FLOWS_SG_RULE, &rule->header_.uuid,
                      &match, ofpacts);
        }
    }
    free(peers.items);
    free(l4s.items);
}

/* Adds the flows of the groups of the ENI 'eni', bound here, in direction
 * 'dir'. */
static void
flows_sg_build_eni(struct flows_ctx *ctx, enum flows_sg_direction direction,
                   const struct flows_eni *eni)
{
    const struct flows_sg_dir *dir = &flows_sg_dirs[direction];
    uint64_t stub[128 / 8];
    struct ofpbuf ofpacts = OFPBUF_STUB_INITIALIZER(stub);
    const struct plrec_network_interface *row = eni->row;
    struct match base;

    match_init_catchall(&base);
    match_set_reg(&base, dir->port - MFF_REG0, ofp_to_u16(eni->ofport));

    /* Its rules' flows belong to the ENI: they change when it does. */
    ctx->owner = &row->header_.uuid;
    if (!row->n_security_groups) {
        flows_put_resubmit(&ofpacts, dir->next);
        flows_add(ctx, dir->stage, FLOWS_SG_RULE, &row->header_.uuid, &base,
                  &ofpacts);
        ofpbuf_uninit(&ofpacts);
        ctx->owner = NULL;
        return;
    }

    flows_put_ct(&ofpacts, dir->port, true, NULL);
    flows_put_resubmit(&ofpacts, dir->next);
    for (size_t i = 0; i < row->n_security_groups; i++) {
        const struct plrec_security_group *sg = row->security_groups[i];

        for (size_t j = 0; j < sg->n_rules; j++) {
            if (!strcmp(sg->rules[j]->direction, dir->direction)) {
                flows_sg_build_rule(ctx, direction, &base, sg->rules[j],
                                    &ofpacts);
            }
        }
    }
    ofpbuf_uninit(&ofpacts);
    ctx->owner = NULL;
}

/* Adds to the rule stage of 'dir' the flow that passes packets whose
 * ct_state has 'state' among 'mask'. */
static void
flows_sg_build_tracked(struct flows_ctx *ctx, const struct flows_sg_dir *dir,
                       uint32_t state, uint32_t mask)
{
    uint64_t stub[64 / 8];
    struct ofpbuf ofpacts = OFPBUF_STUB_INITIALIZER(stub);
    struct match match;

    match_init_catchall(&match);
    match_set_dl_type(&match, htons(ETH_TYPE_IP));
    match_set_ct_state_masked(&match, state, mask);
    flows_put_resubmit(&ofpacts, dir->next);
    flows_add(ctx, dir->stage, FLOWS_SG_TRACKED, ctx->global, &match,
              &ofpacts);
    ofpbuf_uninit(&ofpacts);
}

/* The flows of 'dir' that do not depend on any ENI: conntrack in the
 * ENI's zone, and established or related packets pass. */
static void
flows_sg_build_dir(struct flows_ctx *ctx, const struct flows_sg_dir *dir)
{
    uint64_t stub[64 / 8];
    struct ofpbuf ofpacts = OFPBUF_STUB_INITIALIZER(stub);
    struct match match;

    match_init_catchall(&match);
    match_set_dl_type(&match, htons(ETH_TYPE_IP));
    flows_put_ct(&ofpacts, dir->port, false, &dir->stage);
    flows_add(ctx, dir->ct_stage, FLOWS_SG_CT_PRIORITY, ctx->global, &match,
              &ofpacts);
    ofpbuf_uninit(&ofpacts);

    uint32_t mask = CS_NEW | CS_INVALID | CS_TRACKED;
    flows_sg_build_tracked(ctx, dir, CS_ESTABLISHED | CS_TRACKED,
                           mask | CS_ESTABLISHED);
    flows_sg_build_tracked(ctx, dir, CS_RELATED | CS_TRACKED,
                           mask | CS_RELATED);
}

/* The rules of 'eni', if it is bound here, in both directions. */
void
flows_build_sg_eni(struct flows_ctx *ctx, const struct flows_eni *eni)
{
    if (eni->ofport) {
        flows_sg_build_eni(ctx, FLOWS_SG_EGRESS, eni);
        flows_sg_build_eni(ctx, FLOWS_SG_INGRESS, eni);
    }
}

/* PL_IN_SG_CT, PL_IN_SG, PL_OUT_SG_CT, PL_OUT_SG: conntrack, and the rules
 * of every ENI bound here, in both directions. */
void
flows_build_sg(struct flows_ctx *ctx)
{
    const struct flows_eni *eni;

    flows_sg_build_dir(ctx, &flows_sg_dirs[FLOWS_SG_EGRESS]);
    flows_sg_build_dir(ctx, &flows_sg_dirs[FLOWS_SG_INGRESS]);
    HMAP_FOR_EACH (eni, node, &ctx->enis) {
        flows_build_sg_eni(ctx, eni);
    }
}
