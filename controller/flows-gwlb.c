/* SPDX-License-Identifier: Apache-2.0 */

/* Gateway Load Balancer endpoints: PL_IN_GWLB, PL_IN_GWLB_SELECT and
 * PL_IN_GWLB_BACK.  pipeline.h ("Gateway Load Balancer endpoints")
 * describes the path; gwlb-pinctrl.c the GENEVE encapsulation.
 *
 * An endpoint is active while it is of type GatewayLoadBalancer, pending
 * or available, with a service that has a gateway load balancer.  Routes
 * to it are realized where its VPC is local; that makes the load
 * balancer's VPC local too (the GENEVE packet travels there), and a
 * chassis where one of its appliances is bound gets the endpoint's VPC
 * (the decapsulated packet continues there).
 *
 * The appliance of a flow: a symmetric hash of the flow (both directions
 * alike, wherever they enter) picks one of all the targets by highest
 * random weight (multipath "hrw"), so that adding a target moves only the
 * flows it wins; if that target is not usable (unhealthy, draining...),
 * a second hash picks among the usable ones, so that the flows of a
 * healthy appliance never move when another's health changes.  If no
 * target is usable, all are (AWS's fail-open).
 *
 * Cookies: the Vpc_Endpoint row; the Load_Balancer row for the flows of
 * its addresses. */

#include <config.h>

#include <stdlib.h>
#include <string.h>

#include "byte-order.h"
#include "flow.h"
#include "flows.h"
#include "flows-private.h"
#include "openvswitch/match.h"
#include "openvswitch/ofp-actions.h"
#include "openvswitch/ofpbuf.h"
#include "packets.h"
#include "pinctrl.h"
#include "smap.h"
#include "svec.h"
#include "lib/plink-idl.h"

/* Priorities. */
enum {
    FLOWS_GWLB_MAIN = 100,      /* The main flow of each stage. */
    FLOWS_GWLB_DROP = 90,       /* PL_IN_GWLB: anything else to a GWLB. */
    FLOWS_GWLB_MTU_DROP = 300,  /* PL_IN_GWLB_SELECT: over the MTU. */
};

/* PL_MFF_NEXTHOP's halves in the selection: the target's index among all
 * targets, then (for an unusable one) the index among usable ones. */
#define FLOWS_GWLB_LEVEL2 0xffff

/* One endpoint's appliances: every target of its load balancer, sorted by
 * address, and which of them are usable. */
struct flows_gwlb_appls {
    ovs_be32 ips[64];           /* Target addresses (at most 64: hrw's
                                 * limit). */
    bool usable[64];            /* Whether each takes new flows. */
    size_t n;                   /* Number of targets. */
    size_t n_usable;            /* Number of usable ones. */
};

/* Returns the gateway load balancer of 'ept''s service, or NULL. */
static const struct plrec_load_balancer *
flows_gwlb_lb(const struct plrec_vpc_endpoint *ept)
{
    const struct plrec_endpoint_service *svc = ept->service;

    return (svc && svc->n_gateway_load_balancers
            && svc->gateway_load_balancers[0]->vpc
            ? svc->gateway_load_balancers[0] : NULL);
}

/* Returns true if 'ept' should have flows: see the top of the file. */
static bool
flows_gwlb_is_active(const struct plrec_vpc_endpoint *ept)
{
    return (!strcmp(ept->vpc_endpoint_type, "GatewayLoadBalancer")
            && (!strcmp(ept->state, "pending")
                || !strcmp(ept->state, "available"))
            && ept->vpc && ept->n_network_interfaces == 1
            && flows_gwlb_lb(ept));
}

/* Fills 'a' with the appliances of 'lb'. */
static void
flows_gwlb_appliances(const struct plrec_load_balancer *lb,
                      struct flows_gwlb_appls *a)
{
    struct svec usable = SVEC_EMPTY_INITIALIZER;
    struct svec all = SVEC_EMPTY_INITIALIZER;

    for (size_t i = 0; i < lb->n_listeners; i++) {
        const struct plrec_target_group *tg = lb->listeners[i]->target_group;
        for (size_t j = 0; tg && j < tg->n_targets; j++) {
            svec_add(&all, tg->targets[j]->ip);
            if (flows_target_is_usable(tg->targets[j])) {
                svec_add(&usable, tg->targets[j]->ip);
            }
        }
    }
    svec_sort_unique(&all);
    svec_sort_unique(&usable);

    memset(a, 0, sizeof *a);
    const char *ip;
    size_t i;
    SVEC_FOR_EACH (i, ip, &all) {
        if (a->n < ARRAY_SIZE(a->ips) && ip_parse(ip, &a->ips[a->n])) {
            a->usable[a->n] = svec_contains(&usable, ip);
            a->n_usable += a->usable[a->n];
            a->n++;
        }
    }
    if (!a->n_usable) {
        for (i = 0; i < a->n; i++) {
            a->usable[i] = true;        /* Fail open. */
        }
        a->n_usable = a->n;
    }
    svec_destroy(&all);
    svec_destroy(&usable);
}

/* Returns true if an appliance of 'lb' is bound here. */
static bool
flows_gwlb_has_local_appliance(const struct flows_ctx *ctx,
                               const struct plrec_load_balancer *lb)
{
    struct flows_gwlb_appls a;
    const struct flows_eni *eni;

    flows_gwlb_appliances(lb, &a);
    HMAP_FOR_EACH (eni, node, &ctx->enis) {
        for (size_t i = 0; eni->ofport && eni->vpc == lb->vpc && i < a.n;
             i++) {
            if (eni->ip == a.ips[i]) {
                return true;
            }
        }
    }
    return false;
}

/* Indexes the active GWLB endpoints (see the top of the file).  Runs after
 * the ENIs are indexed, before any builder. */
void
flows_gwlb_index(struct flows_ctx *ctx)
{
    const struct plrec_vpc_endpoint *ept;

    PLREC_VPC_ENDPOINT_FOR_EACH (ept, ctx->in->pl_idl) {
        if (flows_gwlb_is_active(ept)
            && flows_gwlb_has_local_appliance(ctx, flows_gwlb_lb(ept))) {
            hmapx_add(&ctx->local_vpcs, ept->vpc);
        }
    }
    PLREC_VPC_ENDPOINT_FOR_EACH (ept, ctx->in->pl_idl) {
        if (flows_gwlb_is_active(ept) && flows_vpc_is_local(ctx, ept->vpc)) {
            void *e = CONST_CAST(struct plrec_vpc_endpoint *, ept);
            hmapx_add(&ctx->gwlb_epts, e);
            hmapx_add(&ctx->gwlb_backs, e);
            hmapx_add(&ctx->local_vpcs, flows_gwlb_lb(ept)->vpc);
        }
    }
}

/* Appends to 'ofpacts' what a route to GWLB endpoint 'ept' does, if it is
 * realized here: PL_MFF_EPT = its key, PL_FLAG_GWLB, TTL - 1, on to
 * PL_IN_GWLB.  Returns false, adding nothing (the route drops), if it is
 * not. */
bool
flows_gwlb_put_route(const struct flows_ctx *ctx,
                     const struct plrec_vpc_endpoint *ept,
                     struct ofpbuf *ofpacts)
{
    if (!hmapx_contains(&ctx->gwlb_epts,
                        CONST_CAST(struct plrec_vpc_endpoint *, ept))) {
        return false;
    }
    flows_put_load32(ofpacts, PL_MFF_EPT, pl_ept_key(&ept->header_.uuid),
                     UINT32_MAX);
    flows_put_load32(ofpacts, PL_MFF_FLAGS, PL_FLAG_GWLB, PL_FLAG_GWLB);
    flows_put_dec_ttl(ofpacts);
    flows_put_resubmit(ofpacts, PL_IN_GWLB);
    return true;
}

/* Returns the 64-bit number at the end of AWS id 'id' ("vpce-" or "eni-"
 * and 17 hex digits): its last 16 hex digits, as the GENEVE options carry
 * it. */
static uint64_t
flows_gwlb_id_value(const char *id)
{
    size_t len = strlen(id);

    return strtoull(len > 16 ? id + len - 16 : id, NULL, 16);
}

/* Returns the hash fields of the stickiness of 'lb''s target group:
 * 5-tuple by default, 2-tuple for "source_ip_dest_ip", and (as the hash
 * has no 3-tuple) 2-tuple also for "source_ip_dest_ip_proto". */
static enum nx_hash_fields
flows_gwlb_hash_fields(const struct plrec_load_balancer *lb)
{
    for (size_t i = 0; i < lb->n_listeners; i++) {
        const struct plrec_target_group *tg = lb->listeners[i]->target_group;
        const char *type = tg ? smap_get(&tg->attributes, "stickiness.type")
                              : NULL;
        if (type && tg && smap_get_bool(&tg->attributes,
                                        "stickiness.enabled", false)
            && !strncmp(type, "source_ip_dest_ip", 17)) {
            return NX_HASH_FIELDS_SYMMETRIC_L3;
        }
    }
    return NX_HASH_FIELDS_SYMMETRIC_L3L4_UDP;
}

/* Appends to 'ofpacts' a multipath action that picks one of 'n' links by
 * 'fields' into 'ofs'..'ofs'+15 of PL_MFF_NEXTHOP. */
static void
flows_gwlb_put_multipath(struct ofpbuf *ofpacts, enum nx_hash_fields fields,
                         uint16_t basis, size_t n, int ofs)
{
    struct ofpact_multipath *mp = ofpact_put_MULTIPATH(ofpacts);

    mp->fields = fields;
    mp->basis = basis;
    mp->algorithm = NX_MP_ALG_HRW;
    mp->max_link = n - 1;
    mp->arg = 0;
    mp->dst.field = mf_from_id(PL_MFF_NEXTHOP);
    mp->dst.ofs = ofs;
    mp->dst.n_bits = 16;
}

/* Returns the address of 'lb' that sends to appliances for endpoint ENI
 * 'eni': its ENI in 'eni''s availability zone, else its first one; or
 * NULL. */
static const struct flows_eni *
flows_gwlb_address(const struct flows_ctx *ctx,
                   const struct plrec_load_balancer *lb,
                   const struct plrec_network_interface *eni)
{
    const struct flows_eni *first = NULL;

    for (size_t i = 0; i < lb->n_network_interfaces; i++) {
        const struct flows_eni *a
            = flows_eni_find(ctx, lb->network_interfaces[i]);
        if (!a) {
            continue;
        } else if (eni->subnet && !strcmp(a->row->subnet->availability_zone,
                                          eni->subnet->availability_zone)) {
            return a;
        }
        first = first ? first : a;
    }
    return first;
}

/* Appends to 'ofpacts' the encapsulation of a packet of 'ept' to the
 * appliance at 'appliance' from the load balancer address 'addr'. */
static void
flows_gwlb_put_encap(struct ofpbuf *ofpacts,
                     const struct plrec_vpc_endpoint *ept,
                     const struct flows_eni *addr, ovs_be32 appliance)
{
    uint64_t ept_id = flows_gwlb_id_value(ept->vpc_endpoint_id);
    uint64_t att_id = flows_gwlb_id_value(
        ept->network_interfaces[0]->network_interface_id);

    flows_put_load32(ofpacts, PL_MFF_GWLB_APPL, ntohl(appliance), UINT32_MAX);
    flows_put_load32(ofpacts, PL_MFF_GWLB_ADDR, ntohl(addr->ip), UINT32_MAX);
    flows_put_load32(ofpacts, PL_MFF_GWLB_VPC, addr->vpc->tunnel_key,
                     UINT32_MAX);
    flows_put_load32(ofpacts, PL_MFF_GWLB_EPT_HI, ept_id >> 32, UINT32_MAX);
    flows_put_load32(ofpacts, PL_MFF_GWLB_EPT_LO, ept_id, UINT32_MAX);
    flows_put_load32(ofpacts, PL_MFF_GWLB_ATT_HI, att_id >> 32, UINT32_MAX);
    flows_put_load32(ofpacts, PL_MFF_GWLB_ATT_LO, att_id, UINT32_MAX);
    pinctrl_put_op(ofpacts, PINCTRL_OP_GWLB_ENCAP, 0, false);
}

/* Adds to PL_IN_GWLB_SELECT the flow of 'ept' (key 'key') that matches
 * 'value' under 'mask' in PL_MFF_NEXTHOP with 'ofpacts'. */
static void
flows_gwlb_add_select(struct flows_ctx *ctx,
                      const struct plrec_vpc_endpoint *ept, uint32_t key,
                      uint32_t value, uint32_t mask,
                      const struct ofpbuf *ofpacts)
{
    struct match match;

    match_init_catchall(&match);
    match_set_reg(&match, PL_MFF_EPT - MFF_REG0, key);
    match_set_reg_masked(&match, PL_MFF_FLAGS - MFF_REG0, PL_FLAG_GWLB,
                         PL_FLAG_GWLB);
    match_set_reg_masked(&match, PL_MFF_NEXTHOP - MFF_REG0, value, mask);
    match_set_dl_type(&match, htons(ETH_TYPE_IP));
    flows_add(ctx, PL_IN_GWLB_SELECT, FLOWS_GWLB_MAIN, &ept->header_.uuid,
              &match, ofpacts);
}

/* PL_IN_GWLB and PL_IN_GWLB_SELECT for 'ept', realized here. */
static void
flows_gwlb_build_endpoint(struct flows_ctx *ctx,
                          const struct plrec_vpc_endpoint *ept)
{
    const struct plrec_load_balancer *lb = flows_gwlb_lb(ept);
    const struct flows_eni *addr
        = flows_gwlb_address(ctx, lb, ept->network_interfaces[0]);
    enum nx_hash_fields fields = flows_gwlb_hash_fields(lb);
    uint32_t key = pl_ept_key(&ept->header_.uuid);
    struct flows_gwlb_appls a;

    flows_gwlb_appliances(lb, &a);
    if (!addr || !a.n) {
        return;
    }

    uint64_t stub[256 / 8];
    struct ofpbuf ofpacts = OFPBUF_STUB_INITIALIZER(stub);
    struct match match;
    match_init_catchall(&match);
    match_set_reg(&match, PL_MFF_EPT - MFF_REG0, key);
    match_set_reg_masked(&match, PL_MFF_FLAGS - MFF_REG0, PL_FLAG_GWLB,
                         PL_FLAG_GWLB);
    match_set_dl_type(&match, htons(ETH_TYPE_IP));
    flows_ept_put_check_mtu(ctx, &ofpacts);
    flows_gwlb_put_multipath(&ofpacts, fields, 0, a.n, 0);
    flows_put_resubmit(&ofpacts, PL_IN_GWLB_SELECT);
    flows_add(ctx, PL_IN_GWLB, FLOWS_GWLB_MAIN, &ept->header_.uuid, &match,
              &ofpacts);

    /* Over the MTU (PrivateLink_Global options:mtu, as for interface
     * endpoints): dropped, without an ICMP error, before the
     * encapsulation adds its 68 bytes. */
    match_set_reg_masked(&match, PL_MFF_FLAGS - MFF_REG0,
                         PL_FLAG_GWLB | PL_FLAG_PKT_LARGER,
                         PL_FLAG_GWLB | PL_FLAG_PKT_LARGER);
    ofpbuf_clear(&ofpacts);
    flows_add(ctx, PL_IN_GWLB_SELECT, FLOWS_GWLB_MTU_DROP,
              &ept->header_.uuid, &match, &ofpacts);

    size_t j = 0;
    for (size_t i = 0; i < a.n; i++) {
        ofpbuf_clear(&ofpacts);
        if (a.usable[i]) {
            flows_gwlb_put_encap(&ofpacts, ept, addr, a.ips[i]);
            flows_gwlb_add_select(ctx, ept, key, i, 0xffff, &ofpacts);
            ofpbuf_clear(&ofpacts);
            flows_gwlb_put_encap(&ofpacts, ept, addr, a.ips[i]);
            flows_gwlb_add_select(ctx, ept, key,
                                  (j++ << 16) | FLOWS_GWLB_LEVEL2,
                                  UINT32_MAX, &ofpacts);
        } else {
            flows_gwlb_put_multipath(&ofpacts, fields, 1, a.n_usable, 16);
            flows_put_load32(&ofpacts, PL_MFF_NEXTHOP, FLOWS_GWLB_LEVEL2,
                             0xffff);
            flows_put_resubmit(&ofpacts, PL_IN_GWLB_SELECT);
            flows_gwlb_add_select(ctx, ept, key, i, 0xffff, &ofpacts);
        }
    }
    ofpbuf_uninit(&ofpacts);
}

/* PL_IN_GWLB_BACK for 'ept': its decapsulated packets (endpoint id in the
 * registers, from its load balancer's VPC) continue in its VPC, routed by
 * the table of its subnet. */
static void
flows_gwlb_build_back(struct flows_ctx *ctx,
                      const struct plrec_vpc_endpoint *ept)
{
    const struct plrec_network_interface *eni = ept->network_interfaces[0];
    const struct plrec_route_table *rtb
        = eni->subnet ? flows_subnet_route_table(ctx, eni->subnet) : NULL;
    uint64_t ept_id = flows_gwlb_id_value(ept->vpc_endpoint_id);
    ovs_be64 vpc_key = htonll(ept->vpc->tunnel_key);
    uint64_t stub[128 / 8];
    struct ofpbuf ofpacts = OFPBUF_STUB_INITIALIZER(stub);
    struct match match;

    if (!rtb) {
        return;
    }
    match_init_catchall(&match);
    match_set_reg(&match, PL_MFF_GWLB_VPC - MFF_REG0,
                  flows_gwlb_lb(ept)->vpc->tunnel_key);
    match_set_reg(&match, PL_MFF_GWLB_EPT_HI - MFF_REG0, ept_id >> 32);
    match_set_reg(&match, PL_MFF_GWLB_EPT_LO - MFF_REG0, ept_id & UINT32_MAX);
    match_set_dl_type(&match, htons(ETH_TYPE_IP));
    flows_put_set_field(&ofpacts, PL_MFF_VPC, &vpc_key, NULL);
    flows_put_load32(&ofpacts, PL_MFF_RTB, pl_rtb_key(&rtb->header_.uuid),
                     UINT32_MAX);
    flows_put_resubmit(&ofpacts, PL_IN_ROUTE);
    flows_add(ctx, PL_IN_GWLB_BACK, FLOWS_GWLB_MAIN, &ept->header_.uuid,
              &match, &ofpacts);
    ofpbuf_uninit(&ofpacts);
}

/* PL_IN_GWLB: GENEVE to address 'addr' of 'lb' (an appliance's answer)
 * goes to pinctrl to be decapsulated; anything else to it is dropped. */
static void
flows_gwlb_build_address(struct flows_ctx *ctx,
                         const struct plrec_load_balancer *lb,
                         const struct flows_eni *addr)
{
    uint64_t stub[64 / 8];
    struct ofpbuf ofpacts = OFPBUF_STUB_INITIALIZER(stub);
    struct match match;

    match_init_catchall(&match);
    flows_match_vpc(&match, lb->vpc);
    match_set_dl_type(&match, htons(ETH_TYPE_IP));
    match_set_nw_dst(&match, addr->ip);
    flows_add(ctx, PL_IN_GWLB, FLOWS_GWLB_DROP, &lb->header_.uuid, &match,
              &ofpacts);

    match_set_nw_proto(&match, IPPROTO_UDP);
    match_set_tp_dst(&match, htons(6081));
    pinctrl_put_op(&ofpacts, PINCTRL_OP_GWLB_DECAP, 0, false);
    flows_add(ctx, PL_IN_GWLB, FLOWS_GWLB_MAIN, &lb->header_.uuid, &match,
              &ofpacts);
    ofpbuf_uninit(&ofpacts);
}

/* Every Gateway Load Balancer flow of this chassis: the endpoints realized
 * here, the way back for the endpoints whose VPC is local, and the
 * addresses of the gateway load balancers of local VPCs. */
void
flows_build_gwlb(struct flows_ctx *ctx)
{
    const struct plrec_load_balancer *lb;
    struct hmapx_node *node;

    HMAPX_FOR_EACH (node, &ctx->gwlb_epts) {
        flows_gwlb_build_endpoint(ctx, node->data);
    }
    HMAPX_FOR_EACH (node, &ctx->gwlb_backs) {
        flows_gwlb_build_back(ctx, node->data);
    }
    PLREC_LOAD_BALANCER_FOR_EACH (lb, ctx->in->pl_idl) {
        if (!strcmp(lb->lb_type, "gateway") && lb->vpc
            && flows_vpc_is_local(ctx, lb->vpc)) {
            flows_for_each_lb_address(ctx, lb, flows_gwlb_build_address);
        }
    }
}
