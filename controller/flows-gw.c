/* SPDX-License-Identifier: Apache-2.0 */

/* Gateway endpoints: the PL_IN_GW_* stages, the service ports of the
 * region network, and the flows of PL_IN_CLASSIFY and PL_OUT_PORT that
 * lead to them.  pipeline.h ("Gateway endpoints and the region network")
 * describes the path of a connection and its replies; aws-service.h says
 * what a service port is.
 *
 * A gateway endpoint is realized on a chassis when it is available, its
 * VPC is local, and its service runs somewhere this chassis can reach (a
 * claimed service port here, or a tunnel to the chassis that claimed it).
 * Its routes (flows-route.c) then lead here; otherwise they drop.
 *
 * Cookies: the Vpc_Endpoint row for its forward path, the Endpoint_Service
 * row for the service port and the replies of the service, the Vpc row for
 * the way back into a VPC. */

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

/* Priorities. */
enum {
    FLOWS_GW_EST = 200,         /* PL_IN_GW_SNAT: established. */
    FLOWS_GW_REPLY = 110,       /* PL_OUT_PORT: a service's reply. */
    FLOWS_GW_MAIN = 100,        /* The main flow of each stage. */
    FLOWS_GW_DROP = 90,         /* PL_IN_GW_CT: not TCP. */
};

/* Where a gateway service runs, seen from this chassis. */
struct flows_gw_where {
    ovs_be32 ip;                /* Endpoint_Service:backend:ip. */
    const struct aws_service_port *port; /* Its port here, or NULL. */
    ofp_port_t tunnel;          /* Else the tunnel to its chassis. */
};

/* Returns the region network's router MAC. */
static struct eth_addr
flows_gw_router_mac(void)
{
    return pl_router_mac(PL_REGION_KEY);
}

/* Makes 'match' match packets of the region network. */
static void
flows_gw_match_region(struct match *match)
{
    match_set_metadata_masked(match, htonll(PL_REGION_KEY),
                              htonll((1u << PL_VPC_KEY_BITS) - 1));
}

/* Fills 'where' with the location of gateway service 'svc' and returns
 * true, or returns false if it runs nowhere this chassis can reach: no
 * address, not claimed, claimed by a chassis we have no tunnel to, or
 * claimed by us for a port that is gone. */
static bool
flows_gw_locate(const struct flows_ctx *ctx,
                const struct plrec_endpoint_service *svc,
                struct flows_gw_where *where)
{
    const char *name = aws_service_short_name(svc);
    const char *ip = smap_get(&svc->backend, "ip");
    const char *owner = smap_get(&svc->backend, "chassis");

    memset(where, 0, sizeof *where);
    if (!name || !owner || !ctx->in->chassis || !ip_parse(ip, &where->ip)) {
        return false;
    }
    if (!strcmp(owner, ctx->in->chassis->name)) {
        where->port = shash_find_data(&ctx->aws_ports, name);
        return where->port != NULL;
    }
    where->tunnel = u16_to_ofp(simap_get(&ctx->tunnels, owner));
    return where->tunnel != 0;
}

/* Returns true if 'ept' is a gateway endpoint that carries traffic:
 * available, with a service. */
static bool
flows_gw_is_active(const struct plrec_vpc_endpoint *ept)
{
    return (!strcmp(ept->vpc_endpoint_type, "Gateway")
            && !strcmp(ept->state, "available") && ept->service && ept->vpc);
}

/* Indexes the AWS service ports of br-int and the gateway endpoints
 * realized here.  Runs after the ENIs and tunnels are indexed. */
void
flows_gw_index(struct flows_ctx *ctx)
{
    const struct plrec_vpc_endpoint *ept;
    struct flows_gw_where where;

    aws_service_local_ports(ctx->in->br_int, &ctx->aws_ports);
    PLREC_VPC_ENDPOINT_FOR_EACH (ept, ctx->in->pl_idl) {
        if (flows_gw_is_active(ept) && flows_vpc_is_local(ctx, ept->vpc)
            && flows_gw_locate(ctx, ept->service, &where)) {
            hmapx_add(&ctx->gw_epts,
                      CONST_CAST(struct plrec_vpc_endpoint *, ept));
        }
    }
}

/* Appends to 'ofpacts' what a route to gateway endpoint 'ept' does, if it
 * is realized here: PL_MFF_EPT = the endpoint's key, TTL - 1, on to
 * PL_IN_GW_CT.  Returns false, adding nothing (the route drops), if it is
 * not. */
bool
flows_gw_put_route(const struct flows_ctx *ctx,
                   const struct plrec_vpc_endpoint *ept,
                   struct ofpbuf *ofpacts)
{
    if (!hmapx_contains(&ctx->gw_epts,
                        CONST_CAST(struct plrec_vpc_endpoint *, ept))) {
        return false;
    }
    flows_put_load32(ofpacts, PL_MFF_EPT, pl_ept_key(&ept->header_.uuid),
                     UINT32_MAX);
    flows_put_dec_ttl(ofpacts);
    flows_put_resubmit(ofpacts, PL_IN_GW_CT);
    return true;
}

/* The forward path.
 * ================= */

/* PL_IN_GW_SNAT: a new connection from local ENI 'eni' through 'ept' (key
 * 'key', service zone 'zone') keeps its address and gets a port of this
 * chassis's block; the connection remembers its VPC in ct_mark. */
static void
flows_gw_build_snat(struct flows_ctx *ctx,
                    const struct plrec_vpc_endpoint *ept,
                    const struct flows_eni *eni, uint32_t key,
                    uint16_t zone)
{
    uint16_t block = pl_ept_port_block(ctx->in->chassis->name);
    struct flows_nat nat = {
        .snat = true,
        .ip = eni->ip,
        .port_min = block,
        .port_max = block + 1023,
    };
    uint64_t stub[256 / 8];
    struct ofpbuf ofpacts = OFPBUF_STUB_INITIALIZER(stub);
    struct match match;

    match_init_catchall(&match);
    match_set_reg(&match, PL_MFF_EPT - MFF_REG0, key);
    match_set_reg(&match, PL_MFF_INPORT - MFF_REG0, ofp_to_u16(eni->ofport));
    match_set_dl_type(&match, htons(ETH_TYPE_IP));
    match_set_nw_proto(&match, IPPROTO_TCP);
    match_set_ct_state_masked(&match, FLOWS_CS_NEW, FLOWS_CS_NEW_MASK);
    flows_put_ct_nat(&ofpacts, zone, true, &nat, ept->vpc->tunnel_key,
                     PL_IN_GW_OUT);
    flows_add(ctx, PL_IN_GW_SNAT, FLOWS_GW_MAIN, &ept->header_.uuid, &match,
              &ofpacts);
    ofpbuf_uninit(&ofpacts);
}

/* PL_IN_GW_OUT for 'ept' (key 'key'): into the region network, to the
 * service at 'where'. */
static void
flows_gw_build_out(struct flows_ctx *ctx,
                   const struct plrec_vpc_endpoint *ept, uint32_t key,
                   const struct flows_gw_where *where)
{
    ovs_be64 region = htonll(PL_REGION_KEY);
    struct eth_addr router = flows_gw_router_mac();
    uint64_t stub[128 / 8];
    struct ofpbuf ofpacts = OFPBUF_STUB_INITIALIZER(stub);
    struct match match;

    match_init_catchall(&match);
    match_set_reg(&match, PL_MFF_EPT - MFF_REG0, key);
    match_set_dl_type(&match, htons(ETH_TYPE_IP));
    flows_put_set_field(&ofpacts, PL_MFF_VPC, &region, NULL);
    flows_put_set_field(&ofpacts, MFF_ETH_SRC, &router, NULL);
    if (where->port) {
        flows_put_resubmit(&ofpacts, PL_OUT_PORT);
    } else {
        flows_put_load32(&ofpacts, PL_MFF_OUTPORT, ofp_to_u16(where->tunnel),
                         UINT32_MAX);
        flows_put_resubmit(&ofpacts, PL_OUT_DELIVER);
    }
    flows_add(ctx, PL_IN_GW_OUT, FLOWS_GW_MAIN, &ept->header_.uuid, &match,
              &ofpacts);
    ofpbuf_uninit(&ofpacts);
}

/* The forward path of gateway endpoint 'ept', realized here: PL_IN_GW_CT,
 * PL_IN_GW_SNAT (per ENI of its VPC bound here) and PL_IN_GW_OUT. */
static void
flows_gw_build_endpoint(struct flows_ctx *ctx,
                        const struct plrec_vpc_endpoint *ept)
{
    const struct uuid *source = &ept->header_.uuid;
    uint32_t key = pl_ept_key(source);
    uint16_t zone = pl_ept_snat_zone(&ept->service->header_.uuid);
    uint64_t stub[128 / 8];
    struct ofpbuf ofpacts = OFPBUF_STUB_INITIALIZER(stub);
    struct flows_gw_where where;
    struct match match;

    flows_gw_locate(ctx, ept->service, &where);

    /* PL_IN_GW_CT: TCP only. */
    match_init_catchall(&match);
    match_set_reg(&match, PL_MFF_EPT - MFF_REG0, key);
    match_set_dl_type(&match, htons(ETH_TYPE_IP));
    flows_add(ctx, PL_IN_GW_CT, FLOWS_GW_DROP, source, &match, &ofpacts);
    match_set_nw_proto(&match, IPPROTO_TCP);
    flows_put_ct_nat(&ofpacts, zone, false, NULL, 0, PL_IN_GW_SNAT);
    flows_add(ctx, PL_IN_GW_CT, FLOWS_GW_MAIN, source, &match, &ofpacts);

    /* PL_IN_GW_SNAT: established connections go on. */
    match_set_ct_state_masked(&match, FLOWS_CS_EST, FLOWS_CS_EST_MASK);
    ofpbuf_clear(&ofpacts);
    flows_put_resubmit(&ofpacts, PL_IN_GW_OUT);
    flows_add(ctx, PL_IN_GW_SNAT, FLOWS_GW_EST, source, &match, &ofpacts);
    ofpbuf_uninit(&ofpacts);

    const struct flows_eni *eni;
    HMAP_FOR_EACH (eni, node, &ctx->enis) {
        if (eni->ofport && eni->vpc == ept->vpc) {
            flows_gw_build_snat(ctx, ept, eni, key, zone);
        }
    }
    flows_gw_build_out(ctx, ept, key, &where);
}

/* The replies.
 * ============ */

/* PL_OUT_PORT and PL_IN_GW_UNSNAT for the replies of the service 'svc' at
 * 'ip' to connections made here: un-translate the port in the service's
 * zone. */
static void
flows_gw_build_unsnat(struct flows_ctx *ctx,
                      const struct plrec_endpoint_service *svc, ovs_be32 ip)
{
    const struct uuid *source = &svc->header_.uuid;
    uint64_t stub[128 / 8];
    struct ofpbuf ofpacts = OFPBUF_STUB_INITIALIZER(stub);
    struct match match;

    match_init_catchall(&match);
    flows_gw_match_region(&match);
    match_set_dl_type(&match, htons(ETH_TYPE_IP));
    match_set_nw_proto(&match, IPPROTO_TCP);
    match_set_nw_src(&match, ip);
    flows_put_resubmit(&ofpacts, PL_IN_GW_UNSNAT);
    flows_add(ctx, PL_OUT_PORT, FLOWS_GW_REPLY, source, &match, &ofpacts);

    ofpbuf_clear(&ofpacts);
    flows_put_ct_nat(&ofpacts, pl_ept_snat_zone(source), false, NULL, 0,
                     PL_IN_GW_BACK);
    flows_add(ctx, PL_IN_GW_UNSNAT, FLOWS_GW_MAIN, source, &match,
              &ofpacts);
    ofpbuf_uninit(&ofpacts);
}

/* PL_IN_GW_BACK for 'vpc': a reply of a connection that a gateway
 * endpoint of 'vpc' made goes back into it, routed to its destination. */
static void
flows_gw_build_back(struct flows_ctx *ctx, const struct plrec_vpc *vpc)
{
    ovs_be64 vpc_key = htonll(vpc->tunnel_key);
    struct eth_addr router = pl_router_mac(vpc->tunnel_key);
    uint64_t stub[128 / 8];
    struct ofpbuf ofpacts = OFPBUF_STUB_INITIALIZER(stub);
    struct match match;

    match_init_catchall(&match);
    flows_gw_match_region(&match);
    match_set_dl_type(&match, htons(ETH_TYPE_IP));
    match_set_ct_state_masked(&match, FLOWS_CS_RPL, FLOWS_CS_RPL_MASK);
    match_set_ct_mark(&match, vpc->tunnel_key);
    flows_put_set_field(&ofpacts, PL_MFF_VPC, &vpc_key, NULL);
    flows_put_set_field(&ofpacts, MFF_ETH_SRC, &router, NULL);
    flows_put_move(&ofpacts, MFF_IPV4_DST, 0, PL_MFF_NEXTHOP, 0, 32);
    flows_put_resubmit(&ofpacts, PL_IN_DEST);
    flows_add(ctx, PL_IN_GW_BACK, FLOWS_GW_MAIN, &vpc->header_.uuid, &match,
              &ofpacts);
    ofpbuf_uninit(&ofpacts);
}

/* The service port.
 * ================= */

/* PL_IN_GW_SVC: ARP requests from service port 'port' of 'svc' are all
 * answered with the region's router MAC (the service's default route is
 * on-link). */
static void
flows_gw_build_svc_arp(struct flows_ctx *ctx,
                       const struct plrec_endpoint_service *svc,
                       const struct aws_service_port *port)
{
    uint64_t stub[512 / 8];
    struct ofpbuf ofpacts = OFPBUF_STUB_INITIALIZER(stub);
    struct match match;

    match_init_catchall(&match);
    match_set_reg(&match, PL_MFF_INPORT - MFF_REG0, ofp_to_u16(port->ofport));
    match_set_dl_type(&match, htons(ETH_TYPE_ARP));
    match_set_nw_proto(&match, ARP_OP_REQUEST);
    flows_put_arp_reply_any(&ofpacts, flows_gw_router_mac());
    flows_add(ctx, PL_IN_GW_SVC, FLOWS_GW_MAIN, &svc->header_.uuid, &match,
              &ofpacts);
    ofpbuf_uninit(&ofpacts);
}

/* PL_IN_GW_SVC: a reply of the service 'svc' at 'ip', from 'port', to a
 * port of the block of the chassis 'name' goes to that chassis's tunnel
 * 'tunnel' (0: this chassis, to PL_IN_GW_UNSNAT). */
static void
flows_gw_build_svc_reply(struct flows_ctx *ctx,
                         const struct plrec_endpoint_service *svc,
                         const struct aws_service_port *port, ovs_be32 ip,
                         const char *name, unsigned int tunnel)
{
    uint16_t block = pl_ept_port_block(name);
    uint64_t stub[128 / 8];
    struct ofpbuf ofpacts = OFPBUF_STUB_INITIALIZER(stub);
    struct match match;

    match_init_catchall(&match);
    match_set_reg(&match, PL_MFF_INPORT - MFF_REG0, ofp_to_u16(port->ofport));
    match_set_dl_type(&match, htons(ETH_TYPE_IP));
    match_set_nw_proto(&match, IPPROTO_TCP);
    match_set_nw_src(&match, ip);
    match_set_tp_dst_masked(&match, htons(block), htons(0xfc00));
    if (tunnel) {
        flows_put_load32(&ofpacts, PL_MFF_OUTPORT, tunnel, UINT32_MAX);
        flows_put_resubmit(&ofpacts, PL_OUT_DELIVER);
    } else {
        flows_put_resubmit(&ofpacts, PL_IN_GW_UNSNAT);
    }
    flows_add(ctx, PL_IN_GW_SVC, FLOWS_GW_MAIN, &svc->header_.uuid, &match,
              &ofpacts);
    ofpbuf_uninit(&ofpacts);
}

/* The flows of the service port 'port' of 'svc', at 'ip', claimed by this
 * chassis: classification into the region network, ARP, the replies'
 * steering, and delivery to it (PL_OUT_PORT). */
static void
flows_gw_build_service_port(struct flows_ctx *ctx,
                            const struct plrec_endpoint_service *svc,
                            const struct aws_service_port *port, ovs_be32 ip)
{
    const struct uuid *source = &svc->header_.uuid;
    ovs_be64 region = htonll(PL_REGION_KEY);
    uint64_t stub[128 / 8];
    struct ofpbuf ofpacts = OFPBUF_STUB_INITIALIZER(stub);
    struct match match;

    match_init_catchall(&match);
    match_set_in_port(&match, port->ofport);
    flows_put_set_field(&ofpacts, PL_MFF_VPC, &region, NULL);
    flows_put_load32(&ofpacts, PL_MFF_INPORT, ofp_to_u16(port->ofport),
                     UINT32_MAX);
    flows_put_resubmit(&ofpacts, PL_IN_GW_SVC);
    flows_add(ctx, PL_IN_CLASSIFY, FLOWS_GW_MAIN, source, &match, &ofpacts);

    match_init_catchall(&match);
    flows_gw_match_region(&match);
    match_set_dl_type(&match, htons(ETH_TYPE_IP));
    match_set_nw_dst(&match, ip);
    ofpbuf_clear(&ofpacts);
    flows_put_set_field(&ofpacts, MFF_ETH_DST, &port->mac, NULL);
    flows_put_output(&ofpacts, port->ofport);
    flows_add(ctx, PL_OUT_PORT, FLOWS_GW_MAIN, source, &match, &ofpacts);
    ofpbuf_uninit(&ofpacts);

    flows_gw_build_svc_arp(ctx, svc, port);
    flows_gw_build_svc_reply(ctx, svc, port, ip, ctx->in->chassis->name, 0);
    const struct simap_node *node;
    SIMAP_FOR_EACH (node, &ctx->tunnels) {
        if (strcmp(node->name, ctx->in->chassis->name)) {
            flows_gw_build_svc_reply(ctx, svc, port, ip, node->name,
                                     node->data);
        }
    }
}

/* Every stage of gateway endpoints: the service ports claimed here, the
 * endpoints realized here, and the replies of their services. */
void
flows_build_gw(struct flows_ctx *ctx)
{
    const struct plrec_endpoint_service *svc;
    struct hmapx services = HMAPX_INITIALIZER(&services);
    struct hmapx vpcs = HMAPX_INITIALIZER(&vpcs);
    struct flows_gw_where where;
    struct hmapx_node *node;

    if (!ctx->in->chassis) {
        return;
    }
    PLREC_ENDPOINT_SERVICE_FOR_EACH (svc, ctx->in->pl_idl) {
        if (flows_gw_locate(ctx, svc, &where) && where.port) {
            flows_gw_build_service_port(ctx, svc, where.port, where.ip);
        }
    }
    HMAPX_FOR_EACH (node, &ctx->gw_epts) {
        const struct plrec_vpc_endpoint *ept = node->data;

        flows_gw_build_endpoint(ctx, ept);
        if (hmapx_add(&services, CONST_CAST(struct plrec_endpoint_service *,
                                            ept->service))
            && flows_gw_locate(ctx, ept->service, &where)) {
            flows_gw_build_unsnat(ctx, ept->service, where.ip);
        }
        if (hmapx_add(&vpcs, CONST_CAST(struct plrec_vpc *, ept->vpc))) {
            flows_gw_build_back(ctx, ept->vpc);
        }
    }
    hmapx_destroy(&services);
    hmapx_destroy(&vpcs);
}
