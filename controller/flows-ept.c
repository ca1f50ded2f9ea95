/* SPDX-License-Identifier: Apache-2.0 */

/* Interface endpoints: the PL_IN_EPT_* stages, and the flows of
 * PL_IN_EPT_NAT and PL_OUT_PORT that lead to them.  pipeline.h
 * ("Interface endpoints") describes the path of a connection and its
 * replies, the registers and the conntrack zones.
 *
 * An endpoint is realized while it is "active": of type Interface, in
 * state pending (being realized, see plinkd's db.c) or available, with a
 * service that has network load balancers.  Its ENIs are distributed:
 * every chassis where its VPC is local realizes all of them.  An endpoint
 * in any other state (pendingAcceptance, rejected, deleting, ...) has no
 * flow at all: its ENIs do not even answer ARP, and connections that were
 * open stop, because their NAT flows are gone.
 *
 * Cookies: the Vpc_Endpoint row for the forward path and the un-DNAT, the
 * Load_Balancer row for the flows of its addresses (the replies'
 * steering and un-SNAT). */

#include <config.h>

#include <string.h>

#include "byte-order.h"
#include "flow.h"
#include "flows.h"
#include "flows-private.h"
#include "hash.h"
#include "ofctrl.h"
#include "openvswitch/dynamic-string.h"
#include "openvswitch/match.h"
#include "openvswitch/ofp-actions.h"
#include "openvswitch/ofpbuf.h"
#include "openvswitch/vlog.h"
#include "packets.h"
#include "pinctrl.h"
#include "smap.h"
#include "svec.h"
#include "util.h"
#include "uuid.h"
#include "lib/plink-idl.h"

VLOG_DEFINE_THIS_MODULE(flows_ept);

/* Priorities. */
enum {
    FLOWS_EPT_HEALTH = 112,     /* PL_IN_EPT_NAT: health check answers
                                 * (and 111: other packets to their
                                 * ports). */
    FLOWS_EPT_REPLY = 110,      /* PL_IN_EPT_NAT, PL_OUT_PORT: replies to an
                                 * NLB address. */
    FLOWS_EPT_NLB_DROP = 105,   /* PL_IN_EPT_NAT: anything else to it. */
    FLOWS_EPT_TCP = 100,        /* The main flow of each stage. */
    FLOWS_EPT_DROP = 90,        /* PL_IN_EPT_NAT: non-TCP to an ENI. */
    FLOWS_EPT_EST = 200,        /* PL_IN_EPT_SG: established. */
    FLOWS_EPT_MTU_DROP = 300,   /* PL_IN_EPT_SG, PL_IN_EPT_UNDNAT: over the
                                 * MTU. */
};

/* The default of PrivateLink_Global options:mtu. */
#define FLOWS_EPT_DEFAULT_MTU 8500

/* Returns the largest IPv4 packet an interface endpoint carries
 * (PrivateLink_Global options:mtu). */
static int
flows_ept_mtu(const struct flows_ctx *ctx)
{
    const struct plrec_privatelink_global *g
        = plrec_privatelink_global_first(ctx->in->pl_idl);
    int mtu = g ? smap_get_int(&g->options, "mtu", FLOWS_EPT_DEFAULT_MTU)
              : FLOWS_EPT_DEFAULT_MTU;

    return mtu >= 576 && mtu <= 65535 ? mtu : FLOWS_EPT_DEFAULT_MTU;
}

/* Appends to 'ofpacts' the MTU check of a packet through an endpoint: the
 * PL_FLAG_PKT_LARGER bit of PL_MFF_FLAGS tells whether its Ethernet frame
 * is over the MTU (plus 14 bytes of Ethernet header).  A later stage drops
 * it (flows_ept_build_mtu_drops()). */
void
flows_ept_put_check_mtu(const struct flows_ctx *ctx, struct ofpbuf *ofpacts)
{
    struct ofpact_check_pkt_larger *check
        = ofpact_put_CHECK_PKT_LARGER(ofpacts);

    check->pkt_len = flows_ept_mtu(ctx) + ETH_HEADER_LEN;
    check->dst.field = mf_from_id(PL_MFF_FLAGS);
    check->dst.ofs = ctz32(PL_FLAG_PKT_LARGER);
    check->dst.n_bits = 1;
}

/* Appends to 'ofpacts' the MSS clamp of a SYN through an endpoint, so that
 * its segments fit the MTU: a pause for pinctrl (pinctrl.h). */
static void
flows_ept_put_clamp_mss(const struct flows_ctx *ctx, struct ofpbuf *ofpacts)
{
    pinctrl_put_op(ofpacts, PINCTRL_OP_MSS,
                   flows_ept_mtu(ctx) - IP_HEADER_LEN - TCP_HEADER_LEN, true);
}

/* Returns false for the target health states whose targets take no new
 * connection (or flow). */
bool
flows_target_is_usable(const struct plrec_target *t)
{
    return (strcmp(t->health_state, "unhealthy")
            && strcmp(t->health_state, "unused")
            && strcmp(t->health_state, "draining")
            && strcmp(t->health_state, "unavailable"));
}

/* Returns true if 'ept' should have flows: see the comment at the top. */
static bool
flows_ept_is_active(const struct plrec_vpc_endpoint *ept)
{
    return (!strcmp(ept->vpc_endpoint_type, "Interface")
            && (!strcmp(ept->state, "pending")
                || !strcmp(ept->state, "available"))
            && ept->service && ept->service->n_network_load_balancers
            && ept->vpc);
}

/* Returns true if 'eni' belongs to an interface endpoint that is not
 * active (its ENIs answer nothing, not even ARP). */
bool
flows_eni_is_inactive_endpoint(const struct flows_ctx *ctx,
                               const struct flows_eni *eni)
{
    return (!strcmp(eni->row->interface_type, "vpc_endpoint")
            && !hmapx_contains(&ctx->ept_enis,
                               CONST_CAST(struct plrec_network_interface *,
                                          eni->row)));
}

/* What one active endpoint put in the indexes of a flows_ctx, so that
 * incremental processing can take it out again when the endpoint changes
 * (the row then holds only the new values). */
struct flows_ept_rec {
    struct hmap_node node;      /* In flows_ctx's 'ept_recs', by UUID. */
    struct uuid uuid;           /* The Vpc_Endpoint row's UUID. */
    const struct plrec_vpc_endpoint *row; /* The row. */
    bool local;                 /* Its VPC has an ENI bound here: it is in
                                 * 'epts' and counts in 'vpc_refs'. */
    const struct plrec_network_interface **enis; /* In 'ept_enis'. */
    size_t n_enis;              /* Number of 'enis'. */
    const struct plrec_load_balancer **lbs; /* Counted in 'lb_refs'. */
    size_t n_lbs;               /* Number of 'lbs'. */
    const struct plrec_vpc **vpcs; /* Distinct VPCs of 'lbs', counted in
                                    * 'vpc_refs' if 'local'. */
    size_t n_vpcs;              /* Number of 'vpcs'. */
};

/* Returns the record of the endpoint with UUID 'uuid', or NULL. */
static struct flows_ept_rec *
flows_ept_rec_find(const struct flows_ctx *ctx, const struct uuid *uuid)
{
    struct flows_ept_rec *rec;

    HMAP_FOR_EACH_WITH_HASH (rec, node, uuid_hash(uuid), &ctx->ept_recs) {
        if (uuid_equals(&rec->uuid, uuid)) {
            return rec;
        }
    }
    return NULL;
}

/* Returns a new record of what active endpoint 'ept' puts in the indexes
 * (not indexed yet). */
static struct flows_ept_rec *
flows_ept_rec_create(const struct flows_ctx *ctx,
                     const struct plrec_vpc_endpoint *ept)
{
    const struct plrec_endpoint_service *svc = ept->service;
    struct flows_ept_rec *rec = xzalloc(sizeof *rec);

    rec->uuid = ept->header_.uuid;
    rec->row = ept;
    rec->local = hmapx_contains(&ctx->bound_vpcs,
                                CONST_CAST(struct plrec_vpc *, ept->vpc));
    rec->enis = xmemdup(ept->network_interfaces,
                        ept->n_network_interfaces * sizeof *rec->enis);
    rec->n_enis = ept->n_network_interfaces;
    rec->lbs = xmemdup(svc->network_load_balancers,
                       svc->n_network_load_balancers * sizeof *rec->lbs);
    rec->n_lbs = svc->n_network_load_balancers;
    rec->vpcs = xcalloc(rec->n_lbs, sizeof *rec->vpcs);
    for (size_t i = 0; i < rec->n_lbs; i++) {
        const struct plrec_vpc *vpc = rec->lbs[i]->vpc;
        bool seen = !vpc;

        for (size_t j = 0; j < rec->n_vpcs && !seen; j++) {
            seen = rec->vpcs[j] == vpc;
        }
        if (!seen) {
            rec->vpcs[rec->n_vpcs++] = vpc;
        }
    }
    return rec;
}

static void
flows_ept_rec_destroy(struct flows_ept_rec *rec)
{
    if (rec) {
        free(rec->enis);
        free(rec->lbs);
        free(rec->vpcs);
        free(rec);
    }
}

/* Adds what 'rec' records to the indexes of 'ctx' ('local_vpcs' aside:
 * see flows_ept_index()), and its ENIs to 'enis' if nonnull. */
static void
flows_ept_rec_index(struct flows_ctx *ctx, struct flows_ept_rec *rec,
                    struct hmapx *enis)
{
    hmap_insert(&ctx->ept_recs, &rec->node, uuid_hash(&rec->uuid));
    for (size_t i = 0; i < rec->n_enis; i++) {
        void *eni = CONST_CAST(struct plrec_network_interface *,
                               rec->enis[i]);
        hmapx_add(&ctx->ept_enis, eni);
        if (enis) {
            hmapx_add(enis, eni);
        }
    }
    for (size_t i = 0; i < rec->n_lbs; i++) {
        flows_ref_add(&ctx->lb_refs, rec->lbs[i]);
        hmapx_add(&ctx->ept_lbs,
                  CONST_CAST(struct plrec_load_balancer *, rec->lbs[i]));
    }
    if (rec->local) {
        void *row = CONST_CAST(struct plrec_vpc_endpoint *, rec->row);

        hmapx_add(&ctx->epts, row);
        if (flows_sgs_reference(rec->row->security_groups,
                                rec->row->n_security_groups, "ingress",
                                &ctx->referenced_sgs)) {
            hmapx_add(&ctx->ept_holders, row);
        }
        for (size_t i = 0; i < rec->n_vpcs; i++) {
            flows_ref_add(&ctx->vpc_refs, rec->vpcs[i]);
        }
    }
}

/* Takes what 'rec' recorded out of the indexes of 'ctx', adds its ENIs to
 * 'enis', and frees it.  The caller made sure that no load balancer or VPC
 * leaves the indexes (flows_ept_refs_stable()). */
static void
flows_ept_rec_unindex(struct flows_ctx *ctx, struct flows_ept_rec *rec,
                      struct hmapx *enis)
{
    hmap_remove(&ctx->ept_recs, &rec->node);
    for (size_t i = 0; i < rec->n_enis; i++) {
        void *eni = CONST_CAST(struct plrec_network_interface *,
                               rec->enis[i]);
        hmapx_find_and_delete(&ctx->ept_enis, eni);
        hmapx_add(enis, eni);
    }
    for (size_t i = 0; i < rec->n_lbs; i++) {
        flows_ref_del(&ctx->lb_refs, rec->lbs[i]);
    }
    if (rec->local) {
        void *row = CONST_CAST(struct plrec_vpc_endpoint *, rec->row);

        hmapx_find_and_delete(&ctx->epts, row);
        hmapx_find_and_delete(&ctx->ept_holders, row);
        for (size_t i = 0; i < rec->n_vpcs; i++) {
            flows_ref_del(&ctx->vpc_refs, rec->vpcs[i]);
        }
    }
    flows_ept_rec_destroy(rec);
}

/* Indexes the active endpoints: their ENIs, their load balancers, the
 * endpoints realized here, and makes the VPCs of their load balancers
 * local where the endpoint's VPC is (has an ENI bound here).  Runs after
 * the ENIs are indexed and before any builder. */
void
flows_ept_index(struct flows_ctx *ctx)
{
    const struct plrec_vpc_endpoint *ept;

    PLREC_VPC_ENDPOINT_FOR_EACH (ept, ctx->in->pl_idl) {
        if (flows_ept_is_active(ept)) {
            flows_ept_rec_index(ctx, flows_ept_rec_create(ctx, ept), NULL);
        }
    }

    const struct flows_ref *ref;
    HMAP_FOR_EACH (ref, node, &ctx->vpc_refs) {
        hmapx_add(&ctx->local_vpcs, CONST_CAST(void *, ref->row));
    }
}

/* Frees the endpoint records of 'ctx'. */
void
flows_ept_index_destroy(struct flows_ctx *ctx)
{
    struct flows_ept_rec *rec;

    HMAP_FOR_EACH_POP (rec, node, &ctx->ept_recs) {
        flows_ept_rec_destroy(rec);
    }
    hmap_destroy(&ctx->ept_recs);
    flows_refs_destroy(&ctx->lb_refs);
    flows_refs_destroy(&ctx->vpc_refs);
}

/* Returns true if 'row' (a load balancer or VPC) is among the 'n' rows of
 * 'rows'. */
static bool
flows_ept_rows_contain(const void *rows_, size_t n, const void *row)
{
    const void *const *rows = rows_;

    for (size_t i = 0; i < n; i++) {
        if (rows[i] == row) {
            return true;
        }
    }
    return false;
}

/* Returns true if replacing endpoint record 'old' by 'new' (either may be
 * NULL) leaves the set of load balancers behind active endpoints, and the
 * set of local VPCs, as they are: every load balancer or VPC that only one
 * of them has must be counted by some other endpoint too (or, for a VPC,
 * have an ENI bound here). */
static bool
flows_ept_refs_stable(const struct flows_ctx *ctx,
                      const struct flows_ept_rec *old,
                      const struct flows_ept_rec *new)
{
    for (int pass = 0; pass < 2; pass++) {
        const struct flows_ept_rec *a = pass ? new : old;
        const struct flows_ept_rec *b = pass ? old : new;
        unsigned int need = pass ? 1 : 2;  /* New ones: counted already;
                                            * old ones: counted twice. */
        if (!a) {
            continue;
        }
        for (size_t i = 0; i < a->n_lbs; i++) {
            if ((!b || !flows_ept_rows_contain(b->lbs, b->n_lbs, a->lbs[i]))
                && flows_ref_count(&ctx->lb_refs, a->lbs[i]) < need) {
                return false;
            }
        }
        for (size_t i = 0; a->local && i < a->n_vpcs; i++) {
            const struct plrec_vpc *vpc = a->vpcs[i];
            if ((!b || !b->local
                 || !flows_ept_rows_contain(b->vpcs, b->n_vpcs, vpc))
                && !hmapx_contains(&ctx->bound_vpcs,
                                   CONST_CAST(struct plrec_vpc *, vpc))
                && flows_ref_count(&ctx->vpc_refs, vpc) < need) {
                return false;
            }
        }
    }
    return true;
}

/* Incremental processing: brings the indexes of 'ctx' in line with the
 * changed (perhaps deleted) endpoint 'ept' and takes its flows out of the
 * table.  Adds the ENIs whose flows may change (the old ones and the new
 * ones) to 'enis', and 'ept' to 'build' if it is realized here: the caller
 * indexes those ENIs again and then builds 'build''s flows
 * (flows_ept_build_endpoint()).
 *
 * Returns false, having changed nothing, if the change reaches beyond
 * this endpoint: a load balancer starts or stops being behind an active
 * endpoint, or a VPC starts or stops being local.  Then only a full
 * recompute will do. */
bool
flows_ept_update(struct flows_ctx *ctx, const struct plrec_vpc_endpoint *ept,
                 struct hmapx *enis, struct hmapx *build)
{
    struct flows_ept_rec *old = flows_ept_rec_find(ctx, &ept->header_.uuid);
    struct flows_ept_rec *new
        = (!plrec_vpc_endpoint_is_deleted(ept) && flows_ept_is_active(ept)
           ? flows_ept_rec_create(ctx, ept) : NULL);

    if (!flows_ept_refs_stable(ctx, old, new)) {
        flows_ept_rec_destroy(new);
        return false;
    }
    if (old) {
        flows_ept_rec_unindex(ctx, old, enis);
    }
    if (new) {
        flows_ept_rec_index(ctx, new, enis);
        if (new->local) {
            hmapx_add(build, CONST_CAST(struct plrec_vpc_endpoint *, ept));
        }
    }
    ofctrl_remove_owner(ctx->table, &ept->header_.uuid);
    return true;
}

/* Returns true if a listener of a network load balancer behind 'ept'
 * forwards to 'tg'. */
static bool
flows_ept_uses_tg(const struct plrec_vpc_endpoint *ept,
                  const struct plrec_target_group *tg)
{
    const struct plrec_endpoint_service *svc = ept->service;

    for (size_t i = 0; i < svc->n_network_load_balancers; i++) {
        const struct plrec_load_balancer *lb = svc->network_load_balancers[i];

        for (size_t j = 0; j < lb->n_listeners; j++) {
            if (lb->listeners[j]->target_group == tg) {
                return true;
            }
        }
    }
    return false;
}

/* Adds to 'epts' the endpoints realized here whose flows depend on the
 * targets of 'tg'.  (A walk over the endpoints realized here, not over
 * their flows: a pointer comparison or two per endpoint.) */
void
flows_ept_users_of_tg(const struct flows_ctx *ctx,
                      const struct plrec_target_group *tg,
                      struct hmapx *epts)
{
    const struct hmapx_node *node;

    HMAPX_FOR_EACH (node, &ctx->epts) {
        if (flows_ept_uses_tg(node->data, tg)) {
            hmapx_add(epts, node->data);
        }
    }
}

/* Returns the address of 'lb' that SNATs connections to a target in
 * availability zone 'az' for an endpoint ENI in 'eni_az': its ENI in 'az',
 * else in 'eni_az', else its first usable one; NULL if it has none. */
static const struct flows_eni *
flows_ept_lb_address(const struct flows_ctx *ctx,
                     const struct plrec_load_balancer *lb,
                     const char *az, const char *eni_az)
{
    const struct flows_eni *any = NULL, *in_eni_az = NULL;

    for (size_t i = 0; i < lb->n_network_interfaces; i++) {
        const struct flows_eni *a
            = flows_eni_find(ctx, lb->network_interfaces[i]);
        if (!a) {
            continue;
        }
        const char *a_az = a->row->subnet->availability_zone;
        if (!strcmp(a_az, az)) {
            return a;
        }
        if (!in_eni_az && !strcmp(a_az, eni_az)) {
            in_eni_az = a;
        }
        if (!any) {
            any = a;
        }
    }
    return in_eni_az ? in_eni_az : any;
}

/* Returns the group id of the select group of endpoint ENI 'eni' for the
 * listener on 'port'. */
static uint32_t
flows_ept_group_id(const struct flows_eni *eni, int64_t port)
{
    uint32_t id = hash_2words(pl_ept_key(&eni->row->header_.uuid), port);

    id &= 0x7fffffff;
    return id ? id : 1;
}

/* The forward path.
 * ================= */

/* PL_IN_EPT_NAT and PL_IN_EPT_SG for the endpoint ENI 'eni' of 'ept':
 * TCP goes to conntrack in the ENI's DNAT zone, anything else is dropped;
 * then the endpoint's security groups. */
static void
flows_ept_build_entry(struct flows_ctx *ctx,
                      const struct plrec_vpc_endpoint *ept,
                      const struct flows_eni *eni)
{
    const struct uuid *source = &ept->header_.uuid;
    uint32_t key = pl_ept_key(&eni->row->header_.uuid);
    uint64_t stub[256 / 8];
    struct ofpbuf ofpacts = OFPBUF_STUB_INITIALIZER(stub);
    struct match match;

    /* PL_IN_EPT_NAT. */
    match_init_catchall(&match);
    flows_match_vpc(&match, eni->vpc);
    match_set_dl_type(&match, htons(ETH_TYPE_IP));
    match_set_nw_dst(&match, eni->ip);
    flows_add(ctx, PL_IN_EPT_NAT, FLOWS_EPT_DROP, source, &match, &ofpacts);

    match_set_nw_proto(&match, IPPROTO_TCP);
    for (int syn = 0; syn <= 1; syn++) {
        struct match m = match;

        ofpbuf_clear(&ofpacts);
        flows_ept_put_check_mtu(ctx, &ofpacts);
        flows_put_load32(&ofpacts, PL_MFF_EPT, key, UINT32_MAX);
        if (syn) {
            match_set_tcp_flags_masked(&m, htons(TCP_SYN),
                                       htons(TCP_SYN | TCP_ACK));
            flows_ept_put_clamp_mss(ctx, &ofpacts);
        }
        flows_put_ct_nat(&ofpacts,
                         pl_ept_dnat_zone(&eni->row->header_.uuid),
                         false, NULL, 0, PL_IN_EPT_SG);
        flows_add(ctx, PL_IN_EPT_NAT, FLOWS_EPT_TCP + syn, source, &m,
                  &ofpacts);
    }

    /* PL_IN_EPT_SG: established connections go on to their SNAT. */
    struct match base;
    match_init_catchall(&base);
    match_set_reg(&base, PL_MFF_EPT - MFF_REG0, key);

    match = base;
    match_set_dl_type(&match, htons(ETH_TYPE_IP));
    match_set_ct_state_masked(&match, FLOWS_CS_EST,
                              FLOWS_CS_EST_MASK);
    ofpbuf_clear(&ofpacts);
    flows_put_resubmit(&ofpacts, PL_IN_EPT_SNAT_CT);
    flows_add(ctx, PL_IN_EPT_SG, FLOWS_EPT_EST, source, &match, &ofpacts);

    /* New ones need an ingress rule of the endpoint's groups. */
    ofpbuf_clear(&ofpacts);
    flows_put_resubmit(&ofpacts, PL_IN_EPT_LB);
    if (!ept->n_security_groups) {
        match = base;
        match_set_dl_type(&match, htons(ETH_TYPE_IP));
        match_set_ct_state_masked(&match, FLOWS_CS_NEW,
                                  FLOWS_CS_NEW_MASK);
        flows_add(ctx, PL_IN_EPT_SG, FLOWS_EPT_TCP, source, &match,
                  &ofpacts);
    }
    for (size_t i = 0; i < ept->n_security_groups; i++) {
        const struct plrec_security_group *sg = ept->security_groups[i];

        for (size_t j = 0; j < sg->n_rules; j++) {
            if (!strcmp(sg->rules[j]->direction, "ingress")) {
                flows_sg_build_rule(ctx, FLOWS_SG_EPT, &base, sg->rules[j],
                                    &ofpacts);
            }
        }
    }
    ofpbuf_uninit(&ofpacts);
}

/* Adds to 'spec' the buckets of the targets of 'tg' that take new
 * connections from endpoint ENI 'eni': the usable ones in 'eni''s
 * availability zone, or every usable one if 'cross_zone' or if there is
 * none in that zone.  Returns the number of buckets. */
static size_t
flows_ept_put_buckets(const struct flows_eni *eni,
                      const struct plrec_target_group *tg, bool cross_zone,
                      struct ds *spec)
{
    const char *az = eni->row->subnet->availability_zone;
    uint16_t zone = pl_ept_dnat_zone(&eni->row->header_.uuid);
    uint32_t key = pl_ept_key(&eni->row->header_.uuid);
    bool same_az_only = false;
    size_t n = 0;

    if (!cross_zone) {
        for (size_t i = 0; i < tg->n_targets; i++) {
            const struct plrec_target *t = tg->targets[i];
            if (flows_target_is_usable(t)
                && !strcmp(t->availability_zone, az)) {
                same_az_only = true;
            }
        }
    }

    /* Sort the targets by address, so that the spec does not depend on
     * the order of the database's set. */
    struct svec targets = SVEC_EMPTY_INITIALIZER;
    for (size_t i = 0; i < tg->n_targets; i++) {
        const struct plrec_target *t = tg->targets[i];
        ovs_be32 ip;

        if (!flows_target_is_usable(t) || !ip_parse(t->ip, &ip)
            || (same_az_only && strcmp(t->availability_zone, az))) {
            continue;
        }
        svec_add_nocopy(&targets, xasprintf(IP_FMT":%"PRId64,
                                            IP_ARGS(ip), t->port));
    }
    svec_sort_unique(&targets);

    const char *target;
    size_t i;
    SVEC_FOR_EACH (i, target, &targets) {
        ds_put_format(spec, ",bucket=bucket_id:%"PRIuSIZE",weight:100,"
                      "actions=ct(commit,zone=%"PRIu16",nat(dst=%s),"
                      "exec(set_field:%#"PRIx32"->ct_mark),table=%"PRIu8")",
                      i, zone, target, key,
                      pl_stage_table(PL_IN_EPT_SNAT_CT));
        n++;
    }
    svec_destroy(&targets);
    return n;
}

/* PL_IN_EPT_SNAT_CT, PL_IN_EPT_SNAT, PL_IN_EPT_OUT for target 't' of load
 * balancer 'lb' reached through endpoint ENI 'eni' of 'ept'. */
static void
flows_ept_build_target(struct flows_ctx *ctx,
                       const struct plrec_vpc_endpoint *ept,
                       const struct flows_eni *eni,
                       const struct plrec_load_balancer *lb,
                       const struct plrec_target *t)
{
    const struct uuid *source = &ept->header_.uuid;
    uint32_t key = pl_ept_key(&eni->row->header_.uuid);
    uint16_t snat_zone = pl_ept_snat_zone(&lb->header_.uuid);
    uint64_t stub[256 / 8];
    struct ofpbuf ofpacts = OFPBUF_STUB_INITIALIZER(stub);
    struct match match;
    ovs_be32 ip;

    const struct flows_eni *addr = flows_ept_lb_address(
        ctx, lb, t->availability_zone, eni->row->subnet->availability_zone);
    if (!addr || !ip_parse(t->ip, &ip) || !lb->vpc) {
        return;
    }

    match_init_catchall(&match);
    match_set_reg(&match, PL_MFF_EPT - MFF_REG0, key);
    match_set_dl_type(&match, htons(ETH_TYPE_IP));
    match_set_nw_proto(&match, IPPROTO_TCP);
    match_set_nw_dst(&match, ip);
    match_set_tp_dst(&match, htons(t->port));

    /* PL_IN_EPT_SNAT_CT: the load balancer's SNAT zone. */
    flows_put_ct_nat(&ofpacts, snat_zone, false, NULL, 0, PL_IN_EPT_SNAT);
    flows_add(ctx, PL_IN_EPT_SNAT_CT, FLOWS_EPT_TCP, source, &match,
              &ofpacts);

    /* PL_IN_EPT_SNAT: a new connection gets the load balancer's address
     * and a port of this chassis's block. */
    uint16_t block = pl_ept_port_block(ctx->in->chassis->name);
    struct flows_nat nat = {
        .snat = true,
        .ip = addr->ip,
        .port_min = block,
        .port_max = block + 1023,
    };
    struct match new = match;
    match_set_ct_state_masked(&new, FLOWS_CS_NEW, FLOWS_CS_NEW_MASK);
    ofpbuf_clear(&ofpacts);
    flows_put_ct_nat(&ofpacts, snat_zone, true, &nat, key, PL_IN_EPT_OUT);
    flows_add(ctx, PL_IN_EPT_SNAT, FLOWS_EPT_TCP, source, &new, &ofpacts);

    /* PL_IN_EPT_OUT: into the provider VPC, as if routed there. */
    ovs_be64 vpc_key = htonll(lb->vpc->tunnel_key);
    struct eth_addr router = pl_router_mac(lb->vpc->tunnel_key);
    ofpbuf_clear(&ofpacts);
    flows_put_set_field(&ofpacts, PL_MFF_VPC, &vpc_key, NULL);
    flows_put_move(&ofpacts, MFF_IPV4_DST, 0, PL_MFF_NEXTHOP, 0, 32);
    flows_put_set_field(&ofpacts, MFF_ETH_SRC, &router, NULL);
    flows_put_resubmit(&ofpacts, PL_IN_DEST);
    flows_add(ctx, PL_IN_EPT_OUT, FLOWS_EPT_TCP, source, &match, &ofpacts);
    ofpbuf_uninit(&ofpacts);
}

/* PL_IN_EPT_LB and the per-target stages for the listeners of 'lb',
 * reached through endpoint ENI 'eni' of 'ept'. */
static void
flows_ept_build_lb(struct flows_ctx *ctx,
                   const struct plrec_vpc_endpoint *ept,
                   const struct flows_eni *eni,
                   const struct plrec_load_balancer *lb)
{
    const struct uuid *source = &ept->header_.uuid;
    uint32_t key = pl_ept_key(&eni->row->header_.uuid);
    bool cross_zone = smap_get_bool(&lb->attributes,
                                    "load_balancing.cross_zone.enabled",
                                    false);
    uint64_t stub[64 / 8];
    struct ofpbuf ofpacts = OFPBUF_STUB_INITIALIZER(stub);

    for (size_t i = 0; i < lb->n_listeners; i++) {
        const struct plrec_listener *l = lb->listeners[i];
        const struct plrec_target_group *tg = l->target_group;

        if (strcmp(l->protocol, "TCP") || !tg) {
            continue;
        }
        for (size_t j = 0; j < tg->n_targets; j++) {
            flows_ept_build_target(ctx, ept, eni, lb, tg->targets[j]);
        }

        struct ds spec = DS_EMPTY_INITIALIZER;
        ds_put_cstr(&spec, "type=select,selection_method=hash,"
                    "fields(ip_src,ip_dst,tcp_src,tcp_dst)");
        if (!flows_ept_put_buckets(eni, tg, cross_zone, &spec)) {
            ds_destroy(&spec);
            continue;
        }
        uint32_t group_id = flows_ept_group_id(eni, l->port);
        ofctrl_add_group(ctx->table, group_id, &ept->header_.uuid,
                         ds_cstr(&spec));
        ds_destroy(&spec);

        struct match match;
        match_init_catchall(&match);
        match_set_reg(&match, PL_MFF_EPT - MFF_REG0, key);
        match_set_dl_type(&match, htons(ETH_TYPE_IP));
        match_set_nw_proto(&match, IPPROTO_TCP);
        match_set_tp_dst(&match, htons(l->port));
        match_set_ct_state_masked(&match, FLOWS_CS_NEW,
                                  FLOWS_CS_NEW_MASK);
        ofpbuf_clear(&ofpacts);
        ofpact_put_GROUP(&ofpacts)->group_id = group_id;
        flows_add(ctx, PL_IN_EPT_LB, FLOWS_EPT_TCP, source, &match,
                  &ofpacts);
    }
    ofpbuf_uninit(&ofpacts);
}

/* PL_IN_EPT_SNAT for established connections of 'eni', and the un-DNAT of
 * replies: PL_IN_EPT_UNDNAT and PL_IN_EPT_BACK. */
static void
flows_ept_build_eni_common(struct flows_ctx *ctx,
                           const struct plrec_vpc_endpoint *ept,
                           const struct flows_eni *eni)
{
    const struct uuid *source = &ept->header_.uuid;
    uint32_t key = pl_ept_key(&eni->row->header_.uuid);
    uint64_t stub[256 / 8];
    struct ofpbuf ofpacts = OFPBUF_STUB_INITIALIZER(stub);
    struct match match;

    match_init_catchall(&match);
    match_set_reg(&match, PL_MFF_EPT - MFF_REG0, key);
    match_set_dl_type(&match, htons(ETH_TYPE_IP));
    match_set_ct_state_masked(&match, FLOWS_CS_EST,
                              FLOWS_CS_EST_MASK);
    flows_put_resubmit(&ofpacts, PL_IN_EPT_OUT);
    flows_add(ctx, PL_IN_EPT_SNAT, FLOWS_EPT_EST, source, &match, &ofpacts);

    /* Replies: only +est+rpl of a connection this ENI's NAT made. */
    match_init_catchall(&match);
    match_set_dl_type(&match, htons(ETH_TYPE_IP));
    match_set_ct_state_masked(&match, FLOWS_CS_RPL,
                              FLOWS_CS_RPL_MASK);
    match_set_ct_mark(&match, key);
    ofpbuf_clear(&ofpacts);
    flows_put_ct_nat(&ofpacts, pl_ept_dnat_zone(&eni->row->header_.uuid),
                     false, NULL, 0, PL_IN_EPT_BACK);
    flows_add(ctx, PL_IN_EPT_UNDNAT, FLOWS_EPT_TCP, source, &match,
              &ofpacts);

    ovs_be64 vpc_key = htonll(eni->vpc->tunnel_key);
    ofpbuf_clear(&ofpacts);
    flows_put_set_field(&ofpacts, PL_MFF_VPC, &vpc_key, NULL);
    flows_put_move(&ofpacts, MFF_IPV4_DST, 0, PL_MFF_NEXTHOP, 0, 32);
    flows_put_set_field(&ofpacts, MFF_ETH_SRC, &eni->mac, NULL);
    flows_put_resubmit(&ofpacts, PL_IN_DEST);
    flows_add(ctx, PL_IN_EPT_BACK, FLOWS_EPT_TCP, source, &match, &ofpacts);
    ofpbuf_uninit(&ofpacts);
}

/* The flows of every ENI of 'ept', which is realized here. */
void
flows_ept_build_endpoint(struct flows_ctx *ctx,
                         const struct plrec_vpc_endpoint *ept)
{
    for (size_t i = 0; i < ept->n_network_interfaces; i++) {
        const struct flows_eni *eni
            = flows_eni_find(ctx, ept->network_interfaces[i]);

        if (!eni || eni->vpc != ept->vpc) {
            continue;
        }
        /* Its security group rules' flows are the endpoint's too. */
        ctx->owner = &ept->header_.uuid;
        flows_ept_build_entry(ctx, ept, eni);
        ctx->owner = NULL;
        flows_ept_build_eni_common(ctx, ept, eni);
        for (size_t j = 0; j < ept->service->n_network_load_balancers; j++) {
            flows_ept_build_lb(ctx, ept, eni,
                               ept->service->network_load_balancers[j]);
        }
    }
}

/* The replies.
 * ============ */

/* The flows of the address 'addr' of load balancer 'lb', whose VPC is
 * local: replies to it go to the chassis that owns their port block (or
 * to PL_IN_EPT_UNSNAT here), anything else to it is dropped; replies that
 * come from a tunnel go to PL_IN_EPT_UNSNAT; PL_IN_EPT_UNSNAT undoes the
 * SNAT in the load balancer's zone. */
static void
flows_ept_build_lb_address(struct flows_ctx *ctx,
                           const struct plrec_load_balancer *lb,
                           const struct flows_eni *addr)
{
    const struct uuid *source = &lb->header_.uuid;
    uint64_t stub[256 / 8];
    struct ofpbuf ofpacts = OFPBUF_STUB_INITIALIZER(stub);
    struct match match;

    match_init_catchall(&match);
    flows_match_vpc(&match, lb->vpc);
    match_set_dl_type(&match, htons(ETH_TYPE_IP));
    match_set_nw_dst(&match, addr->ip);
    flows_add(ctx, PL_IN_EPT_NAT, FLOWS_EPT_NLB_DROP, source, &match,
              &ofpacts);

    match_set_nw_proto(&match, IPPROTO_TCP);
    flows_put_resubmit(&ofpacts, PL_IN_EPT_UNSNAT);
    flows_add(ctx, PL_IN_EPT_NAT, FLOWS_EPT_REPLY - 1, source, &match,
              &ofpacts);
    ofpbuf_clear(&ofpacts);
    flows_put_resubmit(&ofpacts, PL_IN_EPT_UNSNAT);
    flows_add(ctx, PL_OUT_PORT, FLOWS_EPT_REPLY, source, &match, &ofpacts);

    for (int syn_ack = 0; syn_ack <= 1; syn_ack++) {
        struct match m = match;

        ofpbuf_clear(&ofpacts);
        flows_ept_put_check_mtu(ctx, &ofpacts);
        if (syn_ack) {
            match_set_tcp_flags_masked(&m, htons(TCP_SYN | TCP_ACK),
                                       htons(TCP_SYN | TCP_ACK));
            flows_ept_put_clamp_mss(ctx, &ofpacts);
        }
        flows_put_ct_nat(&ofpacts, pl_ept_snat_zone(&lb->header_.uuid),
                         false, NULL, 0, PL_IN_EPT_UNDNAT);
        flows_add(ctx, PL_IN_EPT_UNSNAT, FLOWS_EPT_TCP + syn_ack, source, &m,
                  &ofpacts);
    }

    /* Ports of another chassis's block: to that chassis. */
    const struct simap_node *node;
    SIMAP_FOR_EACH (node, &ctx->tunnels) {
        if (!strcmp(node->name, ctx->in->chassis->name)) {
            continue;
        }
        uint16_t block = pl_ept_port_block(node->name);
        struct match m = match;

        match_set_tp_dst_masked(&m, htons(block), htons(0xfc00));
        ofpbuf_clear(&ofpacts);
        flows_put_set_field(&ofpacts, MFF_ETH_DST, &addr->mac, NULL);
        flows_put_load32(&ofpacts, PL_MFF_OUTPORT, node->data, UINT32_MAX);
        flows_put_resubmit(&ofpacts, PL_OUT_DELIVER);
        flows_add(ctx, PL_IN_EPT_NAT, FLOWS_EPT_REPLY, source, &m,
                  &ofpacts);
    }
    ofpbuf_uninit(&ofpacts);
}

/* PL_IN_EPT_NAT: the answers of targets to the health checks that pinctrl
 * sends from 'addr', an address of 'lb' (pinctrl.h): a SYN-ACK to a port
 * of the checks goes to pinctrl, anything else to those ports is
 * dropped. */
static void
flows_ept_build_health(struct flows_ctx *ctx,
                       const struct plrec_load_balancer *lb,
                       const struct flows_eni *addr)
{
    uint64_t stub[64 / 8];
    struct ofpbuf ofpacts = OFPBUF_STUB_INITIALIZER(stub);
    struct match match;

    match_init_catchall(&match);
    flows_match_vpc(&match, lb->vpc);
    match_set_dl_type(&match, htons(ETH_TYPE_IP));
    match_set_nw_proto(&match, IPPROTO_TCP);
    match_set_nw_dst(&match, addr->ip);
    match_set_tp_dst_masked(&match, htons(PINCTRL_HEALTH_PORT_MIN),
                            htons(0xfc00));
    flows_add(ctx, PL_IN_EPT_NAT, FLOWS_EPT_HEALTH - 1, &lb->header_.uuid,
              &match, &ofpacts);

    match_set_tcp_flags_masked(&match, htons(TCP_SYN | TCP_ACK),
                               htons(TCP_SYN | TCP_ACK | TCP_RST));
    pinctrl_put_op(&ofpacts, PINCTRL_OP_HEALTH, 0, false);
    flows_add(ctx, PL_IN_EPT_NAT, FLOWS_EPT_HEALTH, &lb->header_.uuid,
              &match, &ofpacts);
    ofpbuf_uninit(&ofpacts);
}

/* The health check flows of every load balancer (network or gateway) of
 * a local VPC. */
static void
flows_ept_build_healths(struct flows_ctx *ctx)
{
    const struct plrec_load_balancer *lb;

    PLREC_LOAD_BALANCER_FOR_EACH (lb, ctx->in->pl_idl) {
        if (lb->vpc && flows_vpc_is_local(ctx, lb->vpc)) {
            flows_for_each_lb_address(ctx, lb, flows_ept_build_health);
        }
    }
}

/* PL_IN_EPT_SG and PL_IN_EPT_UNDNAT, the first stages after the MTU
 * checks of each direction, drop what is over the MTU, before any NAT
 * and without an ICMP error. */
static void
flows_ept_build_mtu_drops(struct flows_ctx *ctx)
{
    struct ofpbuf ofpacts;
    struct match match;

    ofpbuf_init(&ofpacts, 0);
    match_init_catchall(&match);
    match_set_reg_masked(&match, PL_MFF_FLAGS - MFF_REG0,
                         PL_FLAG_PKT_LARGER, PL_FLAG_PKT_LARGER);
    flows_add(ctx, PL_IN_EPT_SG, FLOWS_EPT_MTU_DROP, ctx->global, &match,
              &ofpacts);
    flows_add(ctx, PL_IN_EPT_UNDNAT, FLOWS_EPT_MTU_DROP, ctx->global,
              &match, &ofpacts);
    ofpbuf_uninit(&ofpacts);
}

/* Every stage of interface endpoints: the endpoints realized here, and
 * the addresses of the load balancers behind active endpoints whose VPC
 * is local. */
void
flows_build_ept(struct flows_ctx *ctx)
{
    struct hmapx_node *node;

    if (!ctx->in->chassis) {
        return;
    }
    flows_ept_build_healths(ctx);
    if (hmapx_is_empty(&ctx->ept_lbs)) {
        return;
    }
    flows_ept_build_mtu_drops(ctx);
    HMAPX_FOR_EACH (node, &ctx->epts) {
        flows_ept_build_endpoint(ctx, node->data);
    }
    HMAPX_FOR_EACH (node, &ctx->ept_lbs) {
        const struct plrec_load_balancer *lb = node->data;

        if (lb->vpc && flows_vpc_is_local(ctx, lb->vpc)) {
            flows_for_each_lb_address(ctx, lb, flows_ept_build_lb_address);
        }
    }
}
