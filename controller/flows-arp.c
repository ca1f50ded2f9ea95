/* SPDX-License-Identifier: Apache-2.0 */

/* PL_IN_ARP: the ARP responder, so that instances never need a broadcast
 * to reach anyone, and the drop of what is left of ARP and of L2 broadcast
 * and multicast.  See "Addresses the pipeline answers for" in
 * pipeline.h. */

#include <config.h>

#include "byte-order.h"
#include "flows.h"
#include "flows-private.h"
#include "openvswitch/match.h"
#include "openvswitch/ofpbuf.h"
#include "packets.h"
#include "lib/plink-idl.h"

/* Priorities in PL_IN_ARP. */
enum {
    FLOWS_ARP_REPLY = 100,      /* An ARP request we answer. */
    FLOWS_ARP_DROP = 90,        /* Any other ARP packet. */
    FLOWS_ARP_BCAST_DROP = 80,  /* Other L2 broadcast and multicast. */
};

/* Adds the flow that answers, in 'vpc', ARP requests for 'ip' with 'mac'.
 * The reply goes back out of the port the request came from. */
static void
flows_build_arp_reply(struct flows_ctx *ctx, const struct plrec_vpc *vpc,
                      ovs_be32 ip, struct eth_addr mac,
                      const struct uuid *source)
{
    uint64_t stub[512 / 8];
    struct ofpbuf ofpacts = OFPBUF_STUB_INITIALIZER(stub);
    ovs_be16 reply = htons(ARP_OP_REPLY);
    struct match match;

    match_init_catchall(&match);
    flows_match_vpc(&match, vpc);
    match_set_dl_type(&match, htons(ETH_TYPE_ARP));
    match_set_nw_proto(&match, ARP_OP_REQUEST);
    match_set_nw_dst(&match, ip);

    flows_put_move(&ofpacts, MFF_ETH_SRC, 0, MFF_ETH_DST, 0, 48);
    flows_put_set_field(&ofpacts, MFF_ETH_SRC, &mac, NULL);
    flows_put_set_field(&ofpacts, MFF_ARP_OP, &reply, NULL);
    flows_put_move(&ofpacts, MFF_ARP_SHA, 0, MFF_ARP_THA, 0, 48);
    flows_put_set_field(&ofpacts, MFF_ARP_SHA, &mac, NULL);
    flows_put_move(&ofpacts, MFF_ARP_SPA, 0, MFF_ARP_TPA, 0, 32);
    flows_put_set_field(&ofpacts, MFF_ARP_SPA, &ip, NULL);
    flows_put_output(&ofpacts, OFPP_IN_PORT);

    flows_add(ctx, PL_IN_ARP, FLOWS_ARP_REPLY, source, &match, &ofpacts);
    ofpbuf_uninit(&ofpacts);
}

/* Appends to 'ofpacts' the answer to an ARP request, whatever address it
 * asks for, with 'mac', out of the port it came from: for ports whose
 * namespace has an on-link default route (AWS service ports, internet
 * gateway stand-ins).  PL_MFF_NEXTHOP is scratch space for the address
 * swap. */
void
flows_put_arp_reply_any(struct ofpbuf *ofpacts, struct eth_addr mac)
{
    ovs_be16 reply = htons(ARP_OP_REPLY);

    flows_put_move(ofpacts, MFF_ETH_SRC, 0, MFF_ETH_DST, 0, 48);
    flows_put_set_field(ofpacts, MFF_ETH_SRC, &mac, NULL);
    flows_put_set_field(ofpacts, MFF_ARP_OP, &reply, NULL);
    flows_put_move(ofpacts, MFF_ARP_SHA, 0, MFF_ARP_THA, 0, 48);
    flows_put_set_field(ofpacts, MFF_ARP_SHA, &mac, NULL);
    flows_put_move(ofpacts, MFF_ARP_TPA, 0, PL_MFF_NEXTHOP, 0, 32);
    flows_put_move(ofpacts, MFF_ARP_SPA, 0, MFF_ARP_TPA, 0, 32);
    flows_put_move(ofpacts, PL_MFF_NEXTHOP, 0, MFF_ARP_SPA, 0, 32);
    flows_put_output(ofpacts, OFPP_IN_PORT);
}

/* Answers for the router of every subnet of a local VPC (subnet base + 1)
 * and for the DNS resolver of every local VPC (VPC base + 2), with the
 * VPC's router MAC. */
static void
flows_build_arp_router(struct flows_ctx *ctx)
{
    const struct plrec_subnet *subnet;
    const struct plrec_vpc *vpc;
    unsigned int plen;
    ovs_be32 addr;

    PLREC_SUBNET_FOR_EACH (subnet, ctx->in->pl_idl) {
        if (subnet->vpc && flows_vpc_is_local(ctx, subnet->vpc)
            && flows_parse_cidr(subnet->cidr_block, &addr, &plen)) {
            flows_build_arp_reply(ctx, subnet->vpc,
                                  htonl(ntohl(addr) + 1),
                                  pl_router_mac(subnet->vpc->tunnel_key),
                                  &subnet->header_.uuid);
        }
    }
    PLREC_VPC_FOR_EACH (vpc, ctx->in->pl_idl) {
        if (flows_vpc_is_local(ctx, vpc)
            && flows_parse_cidr(vpc->cidr_block, &addr, &plen)) {
            flows_build_arp_reply(ctx, vpc, htonl(ntohl(addr) + 2),
                                  pl_router_mac(vpc->tunnel_key),
                                  &vpc->header_.uuid);
        }
    }
}

/* Adds a flow matching 'dl_type' (0 for any), or an L2 broadcast or
 * multicast destination if 'multicast', that drops with 'priority'. */
static void
flows_build_arp_drop(struct flows_ctx *ctx, uint16_t priority,
                     ovs_be16 dl_type, bool multicast)
{
    struct ofpbuf ofpacts;
    struct match match;

    ofpbuf_init(&ofpacts, 0);
    match_init_catchall(&match);
    if (dl_type) {
        match_set_dl_type(&match, dl_type);
    }
    if (multicast) {
        const struct eth_addr group = ETH_ADDR_C(01, 00, 00, 00, 00, 00);

        match_set_dl_dst_masked(&match, group, group);
    }
    flows_add(ctx, PL_IN_ARP, priority, ctx->global, &match, &ofpacts);
    ofpbuf_uninit(&ofpacts);
}

/* PL_IN_ARP: the reply for 'eni' if its VPC is local (and it is not the ENI
 * of an inactive endpoint). */
void
flows_build_arp_eni(struct flows_ctx *ctx, const struct flows_eni *eni)
{
    if (flows_vpc_is_local(ctx, eni->vpc)
        && !flows_eni_is_inactive_endpoint(ctx, eni)) {
        flows_build_arp_reply(ctx, eni->vpc, eni->ip, eni->mac,
                              &eni->row->header_.uuid);
    }
}

/* PL_IN_ARP: replies for the routers, resolvers and ENIs of local VPCs;
 * every other ARP packet, and every other broadcast or multicast frame, is
 * dropped.  What remains goes on to the security groups. */
void
flows_build_arp(struct flows_ctx *ctx)
{
    const struct flows_eni *eni;

    flows_build_arp_router(ctx);
    HMAP_FOR_EACH (eni, node, &ctx->enis) {
        flows_build_arp_eni(ctx, eni);
    }
    flows_build_arp_drop(ctx, FLOWS_ARP_DROP, htons(ETH_TYPE_ARP), false);
    flows_build_arp_drop(ctx, FLOWS_ARP_BCAST_DROP, 0, true);
}
