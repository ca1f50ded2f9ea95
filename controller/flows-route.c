/* SPDX-License-Identifier: Apache-2.0 */

/* The VPC router: PL_IN_ROUTE picks a route by longest prefix match in the
 * route table of the source ENI's subnet, PL_IN_DEST turns the next hop
 * into the destination ENI's MAC and its location.  AWS VPCs are routed,
 * not switched: traffic within a subnet takes the same path (there is no
 * MAC learning anywhere).  See pipeline.h for the registers. */

#include <config.h>

#include <string.h>

#include "byte-order.h"
#include "flow.h"
#include "flows.h"
#include "flows-private.h"
#include "openvswitch/match.h"
#include "openvswitch/ofpbuf.h"
#include "packets.h"
#include "smap.h"
#include "lib/plink-idl.h"

/* Priorities in PL_IN_ROUTE: a route for a /N block has priority
 * FLOWS_ROUTE_BASE + 2 * N, plus 1 for a CIDR route, so that the longest
 * prefix wins and, between equal prefixes, a CIDR route beats a prefix-list
 * route (as AWS has it for gateway endpoints). */
enum {
    FLOWS_ROUTE_BASE = 1000,
    FLOWS_ROUTE_TTL = 2000,     /* Above every route: TTL 0 or 1. */
};

/* Priority of the flows of PL_IN_DEST. */
#define FLOWS_DEST_PRIORITY 100

/* Returns true if 'assoc' associates its table with 'subnet' now. */
static bool
flows_assoc_is_subnet(const struct plrec_route_table_association *assoc,
                      const struct plrec_subnet *subnet)
{
    return (assoc->subnet == subnet
            && (!strcmp(assoc->state, "associated")
                || !strcmp(assoc->state, "associating")));
}

/* Returns the route table that routes 'subnet': the one it is explicitly
 * associated with, else its VPC's main table, else NULL. */
const struct plrec_route_table *
flows_subnet_route_table(const struct flows_ctx *ctx,
                         const struct plrec_subnet *subnet)
{
    const struct plrec_route_table *main_rtb = NULL;
    const struct plrec_route_table *rtb;

    PLREC_ROUTE_TABLE_FOR_EACH (rtb, ctx->in->pl_idl) {
        if (rtb->vpc != subnet->vpc) {
            continue;
        }
        for (size_t i = 0; i < rtb->n_associations; i++) {
            if (flows_assoc_is_subnet(rtb->associations[i], subnet)) {
                return rtb;
            }
        }
        if (rtb->main) {
            main_rtb = rtb;
        }
    }
    return main_rtb;
}

/* PL_IN_ROUTE.
 * ============ */

/* Appends to 'ofpacts' what a route does once it knows the next hop (in
 * PL_MFF_NEXTHOP): the packet leaves the router of 'vpc', one hop older,
 * and goes on to the endpoint stages and PL_IN_DEST. */
static void
flows_put_routed(struct ofpbuf *ofpacts, const struct plrec_vpc *vpc)
{
    struct eth_addr router = pl_router_mac(vpc->tunnel_key);

    flows_put_set_field(ofpacts, MFF_ETH_SRC, &router, NULL);
    flows_put_dec_ttl(ofpacts);
    flows_put_resubmit(ofpacts, PL_IN_EPT_NAT);
}

/* Fills 'ofpacts' with the actions of 'route' of a table of 'vpc'.
 *
 * A local route delivers within the VPC: the next hop is ip.dst.  A route
 * to a network interface of the VPC makes that ENI the next hop (an
 * appliance: it needs its source/destination check off to receive the
 * packet).  A route to a gateway endpoint sends the packet to the
 * endpoint's service (flows-gw.c), one to a Gateway Load Balancer endpoint
 * to an appliance (flows-gwlb.c), one to an internet gateway to its
 * stand-in (flows-igw.c).  Routes that cannot be realized (a target that
 * runs nowhere we can reach) and blackhole routes drop, at their own
 * priority, so that a less specific route never takes their traffic. */
static void
flows_route_actions(const struct flows_ctx *ctx,
                    const struct plrec_route_entry *route,
                    const struct plrec_vpc *vpc, struct ofpbuf *ofpacts)
{
    if (!strcmp(route->state, "blackhole")) {
        return;
    }
    if (!strcmp(route->target_type, "local")) {
        flows_put_move(ofpacts, MFF_IPV4_DST, 0, PL_MFF_NEXTHOP, 0, 32);
        flows_put_routed(ofpacts, vpc);
    } else if (!strcmp(route->target_type, "vpc-endpoint")
               && route->vpc_endpoint) {
        if (!strcmp(route->vpc_endpoint->vpc_endpoint_type, "Gateway")) {
            flows_gw_put_route(ctx, route->vpc_endpoint, ofpacts);
        } else {
            flows_gwlb_put_route(ctx, route->vpc_endpoint, ofpacts);
        }
    } else if (!strcmp(route->target_type, "gateway") && route->gateway_id) {
        flows_igw_put_route(ctx, route->gateway_id, vpc, ofpacts);
    } else if (!strcmp(route->target_type, "network-interface")
               && route->network_interface) {
        const struct flows_eni *eni
            = flows_eni_find(ctx, route->network_interface);
        if (eni && eni->vpc == vpc) {
            flows_put_load32(ofpacts, PL_MFF_NEXTHOP, ntohl(eni->ip),
                             UINT32_MAX);
            flows_put_routed(ofpacts, vpc);
        }
    }
}

/* Adds the flow of 'route' of table 'rtb' for destination 'addr'/'plen'
 * with actions 'ofpacts'. */
static void
flows_build_route_flow(struct flows_ctx *ctx,
                       const struct plrec_route_table *rtb,
                       const struct plrec_route_entry *route,
                       ovs_be32 addr, unsigned int plen,
                       const struct ofpbuf *ofpacts)
{
    bool is_cidr = route->destination_cidr_block != NULL;
    struct match match;

    match_init_catchall(&match);
    flows_match_vpc(&match, rtb->vpc);
    match_set_reg(&match, PL_MFF_RTB - MFF_REG0,
                  pl_rtb_key(&rtb->header_.uuid));
    match_set_dl_type(&match, htons(ETH_TYPE_IP));
    match_set_nw_dst_masked(&match, addr, be32_prefix_mask(plen));
    flows_add(ctx, PL_IN_ROUTE, FLOWS_ROUTE_BASE + 2 * plen + is_cidr,
              &route->header_.uuid, &match, ofpacts);
}

/* Adds the flows of 'route' of table 'rtb': one per destination block, a
 * CIDR block or each IPv4 block of a prefix list. */
static void
flows_build_route_entry(struct flows_ctx *ctx,
                        const struct plrec_route_table *rtb,
                        const struct plrec_route_entry *route)
{
    uint64_t stub[256 / 8];
    struct ofpbuf ofpacts = OFPBUF_STUB_INITIALIZER(stub);
    unsigned int plen;
    ovs_be32 addr;

    flows_route_actions(ctx, route, rtb->vpc, &ofpacts);
    if (route->destination_cidr_block) {
        if (flows_parse_cidr(route->destination_cidr_block, &addr, &plen)) {
            flows_build_route_flow(ctx, rtb, route, addr, plen, &ofpacts);
        }
    } else if (route->destination_prefix_list
               && !strcmp(route->destination_prefix_list->address_family,
                          "IPv4")) {
        const struct smap_node *node;

        SMAP_FOR_EACH (node, &route->destination_prefix_list->entries) {
            if (flows_parse_cidr(node->key, &addr, &plen)) {
                flows_build_route_flow(ctx, rtb, route, addr, plen,
                                       &ofpacts);
            }
        }
    }
    ofpbuf_uninit(&ofpacts);
}

/* PL_IN_ROUTE: a packet whose TTL would run out here is dropped before
 * any route, in the datapath (dec_ttl would drop it too, but through a
 * slow-path upcall per packet).  Sending ICMP time exceeded is for
 * later. */
static void
flows_build_route_ttl(struct flows_ctx *ctx)
{
    struct ofpbuf ofpacts;
    struct match match;

    ofpbuf_init(&ofpacts, 0);
    for (int ttl = 0; ttl <= 1; ttl++) {
        match_init_catchall(&match);
        match_set_dl_type(&match, htons(ETH_TYPE_IP));
        match_set_nw_ttl(&match, ttl);      /* Not maskable in OpenFlow. */
        flows_add(ctx, PL_IN_ROUTE, FLOWS_ROUTE_TTL, ctx->global, &match,
                  &ofpacts);
    }
    ofpbuf_uninit(&ofpacts);
}

/* PL_IN_ROUTE: the routes of every route table of a local VPC.  Packets
 * that match no route (or come from a subnet without a route table) are
 * dropped. */
void
flows_build_route(struct flows_ctx *ctx)
{
    const struct plrec_route_table *rtb;

    flows_build_route_ttl(ctx);
    PLREC_ROUTE_TABLE_FOR_EACH (rtb, ctx->in->pl_idl) {
        if (!rtb->vpc || !flows_vpc_is_local(ctx, rtb->vpc)) {
            continue;
        }
        for (size_t i = 0; i < rtb->n_routes; i++) {
            flows_build_route_entry(ctx, rtb, rtb->routes[i]);
        }
    }
}

/* PL_IN_DEST.
 * =========== */

/* PL_IN_DEST: a next hop that is 'eni' gets its MAC as eth.dst and goes to
 * where 'eni' is: the egress half here, or the tunnel to its chassis.  An
 * ENI bound nowhere (or to a chassis we have no tunnel to yet), or of a
 * VPC that is not local, has no flow: its packets are dropped. */
void
flows_build_dest_eni(struct flows_ctx *ctx, const struct flows_eni *eni)
{
    if (!flows_vpc_is_local(ctx, eni->vpc) || (!eni->ofport && !eni->tunnel)) {
        return;
    }

    uint64_t stub[128 / 8];
    struct ofpbuf ofpacts = OFPBUF_STUB_INITIALIZER(stub);
    struct match match;

    match_init_catchall(&match);
    flows_match_vpc(&match, eni->vpc);
    match_set_dl_type(&match, htons(ETH_TYPE_IP));
    match_set_reg(&match, PL_MFF_NEXTHOP - MFF_REG0, ntohl(eni->ip));

    flows_put_set_field(&ofpacts, MFF_ETH_DST, &eni->mac, NULL);
    if (eni->ofport) {
        flows_put_resubmit(&ofpacts, PL_OUT_PORT);
    } else {
        flows_put_load32(&ofpacts, PL_MFF_OUTPORT, ofp_to_u16(eni->tunnel),
                         UINT32_MAX);
        flows_put_resubmit(&ofpacts, PL_OUT_DELIVER);
    }
    flows_add(ctx, PL_IN_DEST, FLOWS_DEST_PRIORITY, &eni->row->header_.uuid,
              &match, &ofpacts);
    ofpbuf_uninit(&ofpacts);
}

/* PL_IN_DEST: one flow per ENI of a local VPC that is bound somewhere we
 * can reach. */
void
flows_build_dest(struct flows_ctx *ctx)
{
    const struct flows_eni *eni;

    HMAP_FOR_EACH (eni, node, &ctx->enis) {
        flows_build_dest_eni(ctx, eni);
    }
}
