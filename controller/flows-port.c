/* SPDX-License-Identifier: Apache-2.0 */

/* Where packets enter and leave br-int: classification (PL_IN_CLASSIFY),
 * port security (PL_IN_PORT_SEC), the egress lookup of the destination ENI
 * (PL_OUT_PORT) and delivery (PL_OUT_DELIVER).  See pipeline.h for the
 * stages and registers. */

#include <config.h>

#include "byte-order.h"
#include "flow.h"
#include "chassis.h"
#include "flows.h"
#include "flows-private.h"
#include "openvswitch/match.h"
#include "openvswitch/ofpbuf.h"
#include "packets.h"
#include "lib/plink-idl.h"

/* Priority of the per-port flows of these stages. */
#define FLOWS_PORT_PRIORITY 100

/* PL_IN_CLASSIFY.
 * =============== */

/* Packets from the local network interface 'eni' enter its VPC's pipeline
 * at PL_IN_PORT_SEC, with the VPC, the source port and the route table of
 * its subnet in their registers.  (Without a route table, PL_MFF_RTB stays
 * 0 and PL_IN_ROUTE drops everything.) */
static void
flows_build_classify_eni(struct flows_ctx *ctx, const struct flows_eni *eni)
{
    uint64_t stub[256 / 8];
    struct ofpbuf ofpacts = OFPBUF_STUB_INITIALIZER(stub);
    ovs_be64 vpc_key = htonll(eni->vpc->tunnel_key);
    const struct plrec_route_table *rtb
        = flows_subnet_route_table(ctx, eni->row->subnet);
    struct match match;

    match_init_catchall(&match);
    match_set_in_port(&match, eni->ofport);
    flows_put_set_field(&ofpacts, PL_MFF_VPC, &vpc_key, NULL);
    flows_put_load32(&ofpacts, PL_MFF_INPORT, ofp_to_u16(eni->ofport),
                     UINT32_MAX);
    if (rtb) {
        flows_put_load32(&ofpacts, PL_MFF_RTB, pl_rtb_key(&rtb->header_.uuid),
                         UINT32_MAX);
    }
    flows_put_resubmit(&ofpacts, PL_IN_PORT_SEC);
    flows_add(ctx, PL_IN_CLASSIFY, FLOWS_PORT_PRIORITY,
              &eni->row->header_.uuid, &match, &ofpacts);
    ofpbuf_uninit(&ofpacts);
}

/* Packets from the tunnel to 'chassis' on 'ofport' carry their VPC in the
 * VNI; the sender ran the ingress half, so they enter the egress half at
 * PL_OUT_PORT. */
static void
flows_build_classify_tunnel(struct flows_ctx *ctx,
                            const struct plrec_chassis *chassis,
                            ofp_port_t ofport)
{
    uint64_t stub[256 / 8];
    struct ofpbuf ofpacts = OFPBUF_STUB_INITIALIZER(stub);
    struct match match;

    match_init_catchall(&match);
    match_set_in_port(&match, ofport);
    flows_put_move(&ofpacts, MFF_TUN_ID, 0, PL_MFF_VPC, 0, PL_VPC_KEY_BITS);
    flows_put_load32(&ofpacts, PL_MFF_FLAGS, PL_FLAG_FROM_TUNNEL,
                     PL_FLAG_FROM_TUNNEL);
    flows_put_resubmit(&ofpacts, PL_OUT_PORT);
    flows_add(ctx, PL_IN_CLASSIFY, FLOWS_PORT_PRIORITY,
              &chassis->header_.uuid, &match, &ofpacts);
    ofpbuf_uninit(&ofpacts);
}

/* PL_IN_CLASSIFY: one flow per network interface bound here and per
 * tunnel.  Anything else entering br-int meets the priority-0 drop. */
void
flows_build_classify(struct flows_ctx *ctx)
{
    const struct flows_eni *eni;

    HMAP_FOR_EACH (eni, node, &ctx->enis) {
        if (eni->ofport) {
            flows_build_classify_eni(ctx, eni);
        }
    }

    const struct simap_node *node;
    SIMAP_FOR_EACH (node, &ctx->tunnels) {
        const struct plrec_chassis *chassis
            = chassis_lookup_by_name(ctx->in->pl_idl, node->name);
        if (chassis) {
            flows_build_classify_tunnel(ctx, chassis, u16_to_ofp(node->data));
        }
    }
}

/* PL_IN_PORT_SEC.
 * =============== */

/* 'eni' may send ARP from its own MAC and IP, and IPv4 from its own MAC
 * and IP (any IP if its source/destination check is off).  Everything else
 * from its port, IPv6 included, meets the stage's default drop. */
static void
flows_build_port_sec_eni(struct flows_ctx *ctx, const struct flows_eni *eni)
{
    uint64_t stub[64 / 8];
    struct ofpbuf ofpacts = OFPBUF_STUB_INITIALIZER(stub);
    const struct uuid *source = &eni->row->header_.uuid;
    struct match match;

    flows_put_resubmit(&ofpacts, PL_IN_ARP);

    match_init_catchall(&match);
    match_set_reg(&match, PL_MFF_INPORT - MFF_REG0, ofp_to_u16(eni->ofport));
    match_set_dl_src(&match, eni->mac);
    match_set_dl_type(&match, htons(ETH_TYPE_ARP));
    match_set_arp_sha(&match, eni->mac);
    match_set_nw_src(&match, eni->ip);
    flows_add(ctx, PL_IN_PORT_SEC, FLOWS_PORT_PRIORITY, source, &match,
              &ofpacts);

    match_init_catchall(&match);
    match_set_reg(&match, PL_MFF_INPORT - MFF_REG0, ofp_to_u16(eni->ofport));
    match_set_dl_src(&match, eni->mac);
    match_set_dl_type(&match, htons(ETH_TYPE_IP));
    if (eni->row->source_dest_check) {
        match_set_nw_src(&match, eni->ip);
    }
    flows_add(ctx, PL_IN_PORT_SEC, FLOWS_PORT_PRIORITY, source, &match,
              &ofpacts);
    ofpbuf_uninit(&ofpacts);
}

/* PL_IN_PORT_SEC: what each network interface bound here may send. */
void
flows_build_port_sec(struct flows_ctx *ctx)
{
    const struct flows_eni *eni;

    HMAP_FOR_EACH (eni, node, &ctx->enis) {
        if (eni->ofport) {
            flows_build_port_sec_eni(ctx, eni);
        }
    }
}

/* PL_OUT_PORT.
 * ============ */

/* PL_OUT_PORT: an IPv4 packet of 'eni''s VPC addressed to its MAC (and to
 * its IP, unless its source/destination check is off) is for 'eni': its
 * port goes into PL_MFF_OUTPORT. */
static void
flows_build_out_port_eni(struct flows_ctx *ctx, const struct flows_eni *eni)
{
    uint64_t stub[128 / 8];
    struct ofpbuf ofpacts = OFPBUF_STUB_INITIALIZER(stub);
    struct match match;

    match_init_catchall(&match);
    flows_match_vpc(&match, eni->vpc);
    match_set_dl_dst(&match, eni->mac);
    match_set_dl_type(&match, htons(ETH_TYPE_IP));
    if (eni->row->source_dest_check) {
        match_set_nw_dst(&match, eni->ip);
    }
    flows_put_load32(&ofpacts, PL_MFF_OUTPORT, ofp_to_u16(eni->ofport),
                     UINT32_MAX);
    flows_put_resubmit(&ofpacts, PL_OUT_SG_CT);
    flows_add(ctx, PL_OUT_PORT, FLOWS_PORT_PRIORITY, &eni->row->header_.uuid,
              &match, &ofpacts);
    ofpbuf_uninit(&ofpacts);
}

/* PL_OUT_PORT: one flow per network interface bound here.  Packets for
 * anyone else (from a tunnel: an ENI that moved away) are dropped. */
void
flows_build_out_port(struct flows_ctx *ctx)
{
    const struct flows_eni *eni;

    HMAP_FOR_EACH (eni, node, &ctx->enis) {
        if (eni->ofport) {
            flows_build_out_port_eni(ctx, eni);
        }
    }
}

/* PL_OUT_DELIVER.
 * =============== */

/* PL_OUT_DELIVER: output to the port of 'eni', bound here. */
static void
flows_build_deliver_eni(struct flows_ctx *ctx, const struct flows_eni *eni)
{
    uint64_t stub[64 / 8];
    struct ofpbuf ofpacts = OFPBUF_STUB_INITIALIZER(stub);
    struct match match;

    match_init_catchall(&match);
    match_set_reg(&match, PL_MFF_OUTPORT - MFF_REG0, ofp_to_u16(eni->ofport));
    flows_put_output(&ofpacts, eni->ofport);
    flows_add(ctx, PL_OUT_DELIVER, FLOWS_PORT_PRIORITY,
              &eni->row->header_.uuid, &match, &ofpacts);
    ofpbuf_uninit(&ofpacts);
}

/* Every flow of this file for 'eni', if it is bound here (incremental
 * processing builds one ENI's flows again with this). */
void
flows_build_port_eni(struct flows_ctx *ctx, const struct flows_eni *eni)
{
    if (eni->ofport) {
        flows_build_classify_eni(ctx, eni);
        flows_build_port_sec_eni(ctx, eni);
        flows_build_out_port_eni(ctx, eni);
        flows_build_deliver_eni(ctx, eni);
    }
}

/* PL_OUT_DELIVER: output to the port in PL_MFF_OUTPORT: the port of each
 * network interface bound here, and each tunnel port, with the VPC's
 * tunnel key as the VNI. */
void
flows_build_deliver(struct flows_ctx *ctx)
{
    uint64_t stub[128 / 8];
    struct ofpbuf ofpacts = OFPBUF_STUB_INITIALIZER(stub);
    const struct flows_eni *eni;
    struct match match;

    HMAP_FOR_EACH (eni, node, &ctx->enis) {
        if (eni->ofport) {
            flows_build_deliver_eni(ctx, eni);
        }
    }

    const struct simap_node *node;
    SIMAP_FOR_EACH (node, &ctx->tunnels) {
        const struct plrec_chassis *chassis
            = chassis_lookup_by_name(ctx->in->pl_idl, node->name);
        if (!chassis) {
            continue;
        }
        match_init_catchall(&match);
        match_set_reg(&match, PL_MFF_OUTPORT - MFF_REG0, node->data);
        ofpbuf_clear(&ofpacts);
        flows_put_move(&ofpacts, PL_MFF_VPC, 0, MFF_TUN_ID, 0,
                       PL_VPC_KEY_BITS);
        flows_put_output(&ofpacts, u16_to_ofp(node->data));
        flows_add(ctx, PL_OUT_DELIVER, FLOWS_PORT_PRIORITY,
                  &chassis->header_.uuid, &match, &ofpacts);
    }
    ofpbuf_uninit(&ofpacts);
}
