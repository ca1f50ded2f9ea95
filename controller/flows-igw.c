/* SPDX-License-Identifier: Apache-2.0 */

/* Internet gateway stand-ins: routes whose target is an internet gateway,
 * and the port that plays "the internet" behind it (aws-service.h).
 * pipeline.h ("Internet gateways") describes the path.
 *
 * Cookies: the Internet_Gateway row. */

#include <config.h>

#include <string.h>

#include "aws-service.h"
#include "byte-order.h"
#include "flow.h"
#include "flows.h"
#include "flows-private.h"
#include "openvswitch/match.h"
#include "openvswitch/ofpbuf.h"
#include "packets.h"
#include "smap.h"
#include "lib/plink-idl.h"

/* Priority of the flows of this file. */
#define FLOWS_IGW_PRIORITY 100

/* Where an internet gateway's stand-in is, seen from this chassis. */
struct flows_igw {
    const struct plrec_internet_gateway *row; /* The gateway. */
    const struct aws_service_port *port; /* Its stand-in's port here, or
                                          * NULL. */
    ofp_port_t tunnel;          /* Else the tunnel to its chassis. */
};

/* Returns the MAC by which the pipeline addresses the stand-in of internet
 * gateway 'igw' across chassis: 0a:01 and the first 32 bits of its row's
 * UUID.  The stand-in's own chassis rewrites it to the port's MAC. */
static struct eth_addr
flows_igw_mac(const struct plrec_internet_gateway *igw)
{
    uint32_t key = igw->header_.uuid.parts[0];
    struct eth_addr mac = ETH_ADDR_C(0a, 01, 00, 00, 00, 00);

    mac.ea[2] = key >> 24;
    mac.ea[3] = key >> 16;
    mac.ea[4] = key >> 8;
    mac.ea[5] = key;
    return mac;
}

/* Indexes the internet gateways attached to a VPC whose stand-in runs
 * somewhere this chassis can reach; a stand-in here makes its VPC local.
 * Runs after the ENIs and tunnels are indexed, before the other indexes
 * that depend on local VPCs. */
void
flows_igw_index(struct flows_ctx *ctx)
{
    const struct plrec_internet_gateway *igw;

    aws_service_local_igws(ctx->in->br_int, &ctx->igw_ports);
    PLREC_INTERNET_GATEWAY_FOR_EACH (igw, ctx->in->pl_idl) {
        struct flows_igw where = { .row = igw };

        if (!igw->vpc || !ctx->in->chassis) {
            continue;
        }
        where.port = shash_find_data(&ctx->igw_ports,
                                     igw->internet_gateway_id);
        if (where.port) {
            hmapx_add(&ctx->local_vpcs, CONST_CAST(struct plrec_vpc *,
                                                   igw->vpc));
        } else {
            const struct plrec_chassis *ch = aws_service_igw_chassis(
                ctx->in->pl_idl, igw->internet_gateway_id);
            if (!ch || ch == ctx->in->chassis) {
                continue;
            }
            where.tunnel = u16_to_ofp(simap_get(&ctx->tunnels, ch->name));
            if (!where.tunnel) {
                continue;
            }
        }
        shash_add(&ctx->igws, igw->internet_gateway_id,
                  xmemdup(&where, sizeof where));
    }
}

/* Appends to 'ofpacts' what a route of 'vpc' to internet gateway
 * 'igw_id' does, if its stand-in is reachable: the packet leaves the
 * router towards the stand-in.  Returns false, adding nothing (the route
 * drops), if it is not. */
bool
flows_igw_put_route(const struct flows_ctx *ctx, const char *igw_id,
                    const struct plrec_vpc *vpc, struct ofpbuf *ofpacts)
{
    const struct flows_igw *where = shash_find_data(&ctx->igws, igw_id);

    if (!where || where->row->vpc != vpc) {
        return false;
    }
    struct eth_addr router = pl_router_mac(vpc->tunnel_key);
    struct eth_addr mac = flows_igw_mac(where->row);
    flows_put_set_field(ofpacts, MFF_ETH_SRC, &router, NULL);
    flows_put_dec_ttl(ofpacts);
    flows_put_set_field(ofpacts, MFF_ETH_DST, &mac, NULL);
    if (where->port) {
        flows_put_resubmit(ofpacts, PL_OUT_PORT);
    } else {
        flows_put_load32(ofpacts, PL_MFF_OUTPORT, ofp_to_u16(where->tunnel),
                         UINT32_MAX);
        flows_put_resubmit(ofpacts, PL_OUT_DELIVER);
    }
    return true;
}

/* Returns the gateway route table of internet gateway 'igw' (the table
 * associated with it, AssociateRouteTable --gateway-id), else its VPC's
 * main table, else NULL. */
static const struct plrec_route_table *
flows_igw_route_table(const struct flows_ctx *ctx,
                      const struct plrec_internet_gateway *igw)
{
    const struct plrec_route_table *rtb, *main_rtb = NULL;

    PLREC_ROUTE_TABLE_FOR_EACH (rtb, ctx->in->pl_idl) {
        if (rtb->vpc != igw->vpc) {
            continue;
        }
        for (size_t i = 0; i < rtb->n_associations; i++) {
            const struct plrec_route_table_association *a
                = rtb->associations[i];
            if (a->gateway_id
                && !strcmp(a->gateway_id, igw->internet_gateway_id)
                && !strcmp(a->state, "associated")) {
                return rtb;
            }
        }
        if (rtb->main) {
            main_rtb = rtb;
        }
    }
    return main_rtb;
}

/* The flows of the stand-in port of 'igw' here: classification into its
 * VPC with its gateway route table, ARP, routing, and delivery to it. */
static void
flows_igw_build_port(struct flows_ctx *ctx,
                     const struct plrec_internet_gateway *igw,
                     const struct aws_service_port *port)
{
    const struct uuid *source = &igw->header_.uuid;
    const struct plrec_route_table *rtb = flows_igw_route_table(ctx, igw);
    ovs_be64 vpc_key = htonll(igw->vpc->tunnel_key);
    struct eth_addr mac = flows_igw_mac(igw);
    uint64_t stub[512 / 8];
    struct ofpbuf ofpacts = OFPBUF_STUB_INITIALIZER(stub);
    struct match match;

    match_init_catchall(&match);
    match_set_in_port(&match, port->ofport);
    flows_put_set_field(&ofpacts, PL_MFF_VPC, &vpc_key, NULL);
    flows_put_load32(&ofpacts, PL_MFF_INPORT, ofp_to_u16(port->ofport),
                     UINT32_MAX);
    if (rtb) {
        flows_put_load32(&ofpacts, PL_MFF_RTB, pl_rtb_key(&rtb->header_.uuid),
                         UINT32_MAX);
    }
    flows_put_resubmit(&ofpacts, PL_IN_IGW);
    flows_add(ctx, PL_IN_CLASSIFY, FLOWS_IGW_PRIORITY, source, &match,
              &ofpacts);

    /* PL_IN_IGW: ARP requests, whatever they ask, get the router's MAC;
     * IPv4 is routed. */
    match_init_catchall(&match);
    match_set_reg(&match, PL_MFF_INPORT - MFF_REG0, ofp_to_u16(port->ofport));
    match_set_dl_type(&match, htons(ETH_TYPE_ARP));
    match_set_nw_proto(&match, ARP_OP_REQUEST);
    ofpbuf_clear(&ofpacts);
    flows_put_arp_reply_any(&ofpacts, pl_router_mac(igw->vpc->tunnel_key));
    flows_add(ctx, PL_IN_IGW, FLOWS_IGW_PRIORITY, source, &match, &ofpacts);

    match_init_catchall(&match);
    match_set_reg(&match, PL_MFF_INPORT - MFF_REG0, ofp_to_u16(port->ofport));
    match_set_dl_type(&match, htons(ETH_TYPE_IP));
    ofpbuf_clear(&ofpacts);
    flows_put_resubmit(&ofpacts, PL_IN_ROUTE);
    flows_add(ctx, PL_IN_IGW, FLOWS_IGW_PRIORITY, source, &match, &ofpacts);

    /* PL_OUT_PORT: what the VPC routes to the gateway. */
    match_init_catchall(&match);
    flows_match_vpc(&match, igw->vpc);
    match_set_dl_dst(&match, mac);
    match_set_dl_type(&match, htons(ETH_TYPE_IP));
    ofpbuf_clear(&ofpacts);
    flows_put_set_field(&ofpacts, MFF_ETH_DST, &port->mac, NULL);
    flows_put_output(&ofpacts, port->ofport);
    flows_add(ctx, PL_OUT_PORT, FLOWS_IGW_PRIORITY, source, &match,
              &ofpacts);
    ofpbuf_uninit(&ofpacts);
}

/* The flows of every internet gateway stand-in here. */
void
flows_build_igw(struct flows_ctx *ctx)
{
    const struct shash_node *node;

    SHASH_FOR_EACH (node, &ctx->igws) {
        const struct flows_igw *where = node->data;

        if (where->port) {
            flows_igw_build_port(ctx, where->row, where->port);
        }
    }
}
