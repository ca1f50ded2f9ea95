/* SPDX-License-Identifier: Apache-2.0 */

/* PL_IN_DNS: UDP queries to the VPC resolver go to pinctrl.  See "The VPC
 * resolver" in pipeline.h, and dns.h for the answers. */

#include <config.h>

#include "byte-order.h"
#include "dns.h"
#include "flows.h"
#include "flows-private.h"
#include "openvswitch/match.h"
#include "openvswitch/ofpbuf.h"
#include "packets.h"
#include "pinctrl.h"
#include "lib/plink-idl.h"

/* Priorities in PL_IN_DNS. */
enum {
    FLOWS_DNS_QUERY = 100,      /* A query to the resolver. */
};

/* Adds the flow that hands UDP queries to the resolver of 'vpc', at
 * 'resolver', to pinctrl.  The packet ends there: pinctrl answers it with
 * a packet-out of its own. */
static void
flows_build_dns_vpc(struct flows_ctx *ctx, const struct plrec_vpc *vpc,
                    ovs_be32 resolver)
{
    uint64_t stub[128 / 8];
    struct ofpbuf ofpacts = OFPBUF_STUB_INITIALIZER(stub);
    struct match match;

    match_init_catchall(&match);
    flows_match_vpc(&match, vpc);
    match_set_dl_type(&match, htons(ETH_TYPE_IP));
    match_set_nw_proto(&match, IPPROTO_UDP);
    match_set_nw_dst(&match, resolver);
    match_set_tp_dst(&match, htons(DNS_PORT));
    pinctrl_put_op(&ofpacts, PINCTRL_OP_DNS, 0, false);

    flows_add(ctx, PL_IN_DNS, FLOWS_DNS_QUERY, &vpc->header_.uuid, &match,
              &ofpacts);
    ofpbuf_uninit(&ofpacts);
}

/* PL_IN_DNS: for every local VPC with enable_dns_support, queries to its
 * resolver (VPC base + 2, UDP port 53) go to pinctrl; everything else goes
 * on to the security groups. */
void
flows_build_dns(struct flows_ctx *ctx)
{
    const struct plrec_vpc *vpc;
    unsigned int plen;
    ovs_be32 addr;

    PLREC_VPC_FOR_EACH (vpc, ctx->in->pl_idl) {
        if (vpc->enable_dns_support && flows_vpc_is_local(ctx, vpc)
            && flows_parse_cidr(vpc->cidr_block, &addr, &plen)) {
            flows_build_dns_vpc(ctx, vpc, htonl(ntohl(addr) + 2));
        }
    }
}
