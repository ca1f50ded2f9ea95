/* SPDX-License-Identifier: Apache-2.0 */

/* The GENEVE encapsulation of Gateway Load Balancer endpoints, in the
 * pinctrl thread (pipeline.h, "Gateway Load Balancer endpoints").
 *
 * PINCTRL_OP_GWLB_ENCAP: a packet routed to a GWLB endpoint, whose
 * appliance in_gwlb_select chose.  The registers of the packet-in say
 * everything (pipeline.h, "Registers"): the appliance's and the load
 * balancer's addresses, the load balancer's VPC, the endpoint and
 * attachment ids.  We wrap the IPv4 packet as AWS's Gateway Load Balancer
 * does: outer IPv4 from the load balancer to the appliance, UDP to port
 * 6081 from a port that hashes the flow, GENEVE (protocol 0x0800, VNI 0)
 * with the three options of class 0x0108: type 1 the endpoint id (8
 * bytes), type 2 the attachment id (8 bytes), type 3 the flow cookie (4
 * bytes, the same for both directions of a flow).  The result goes into
 * the load balancer's VPC at in_dest, next hop the appliance.
 *
 * PINCTRL_OP_GWLB_DECAP: what an appliance sent back to the load
 * balancer's address on port 6081.  We check the GENEVE header and the
 * options, and send the inner packet to in_gwlb_back with the endpoint id
 * and the load balancer's VPC in the registers; that stage knows the
 * endpoint (or drops the packet). */

#include <config.h>

#include "gwlb-pinctrl.h"

#include <string.h>

#include "byte-order.h"
#include "csum.h"
#include "dp-packet.h"
#include "flow.h"
#include "hash.h"
#include "openvswitch/match.h"
#include "openvswitch/ofp-actions.h"
#include "openvswitch/ofp-packet.h"
#include "openvswitch/ofp-protocol.h"
#include "openvswitch/ofpbuf.h"
#include "openvswitch/vlog.h"
#include "packets.h"
#include "pinctrl.h"
#include "pipeline.h"
#include "openvswitch/rconn.h"

VLOG_DEFINE_THIS_MODULE(gwlb_pinctrl);

/* The GENEVE header (RFC 8926), without options. */
struct gwlb_geneve {
    uint8_t ver_opt_len;        /* Version (2 bits), option length in
                                 * 4-byte words (6 bits). */
    uint8_t flags;              /* O and C bits, then reserved. */
    ovs_be16 proto;             /* Protocol type of the payload. */
    uint8_t vni[3];             /* Virtual network identifier. */
    uint8_t reserved;           /* Reserved. */
};

/* One GENEVE option header; 'len' words of data follow. */
struct gwlb_option {
    ovs_be16 opt_class;         /* Option class: GWLB_OPT_CLASS. */
    uint8_t type;               /* GWLB_OPT_*. */
    uint8_t len;                /* 3 reserved bits, 5 bits of length in
                                 * 4-byte words. */
};

enum {
    GWLB_UDP_PORT = 6081,       /* GENEVE's port. */
    GWLB_OPT_CLASS = 0x0108,    /* AWS's option class. */
    GWLB_OPT_ENDPOINT = 1,      /* Endpoint id, 8 bytes. */
    GWLB_OPT_ATTACHMENT = 2,    /* Attachment id, 8 bytes. */
    GWLB_OPT_COOKIE = 3,        /* Flow cookie, 4 bytes. */
    GWLB_OPTS_LEN = 3 * 4 + 8 + 8 + 4, /* The three options, in bytes. */
};

/* The ids the registers of 'md' carry. */
struct gwlb_ids {
    uint64_t endpoint;          /* Option type 1. */
    uint64_t attachment;        /* Option type 2. */
};

/* Returns register 'id' (MFF_REG0...) of the packet-in metadata 'md'. */
static uint32_t
gwlb_reg(const struct match *md, enum mf_field_id id)
{
    return md->flow.regs[id - MFF_REG0];
}

/* Returns the flow cookie of the IPv4 packet 'ip' of 'size' bytes: a hash
 * of its addresses, protocol and ports that is the same for both
 * directions. */
static uint32_t
gwlb_flow_cookie(const struct ip_header *ip, size_t size)
{
    uint32_t a = ntohl(get_16aligned_be32(&ip->ip_src));
    uint32_t b = ntohl(get_16aligned_be32(&ip->ip_dst));
    uint32_t ports = 0;
    size_t ihl = IP_IHL(ip->ip_ihl_ver) * 4;

    if ((ip->ip_proto == IPPROTO_TCP || ip->ip_proto == IPPROTO_UDP)
        && size >= ihl + 4) {
        const ovs_be16 *p = (const ovs_be16 *) ((const uint8_t *) ip + ihl);
        ports = ntohs(p[0]) ^ ntohs(p[1]);
    }
    return hash_3words(a ^ b, ports, ip->ip_proto);
}

/* Appends to 'b' the GENEVE option 'type' with the 'len' bytes of
 * 'data'. */
static void
gwlb_put_option(struct dp_packet *b, uint8_t type, const void *data,
                size_t len)
{
    struct gwlb_option *o = dp_packet_put_zeros(b, sizeof *o);
    o->opt_class = htons(GWLB_OPT_CLASS);
    o->type = type;
    o->len = len / 4;
    dp_packet_put(b, data, len);
}

/* Appends to 'ofpacts' "load 'value' into 'id'". */
static void
gwlb_put_load(struct ofpbuf *ofpacts, enum mf_field_id id, uint64_t value)
{
    const struct mf_field *mf = mf_from_id(id);
    union mf_value v, mask;

    memset(&v, 0, sizeof v);
    memset(&mask, 0xff, sizeof mask);
    if (mf->n_bytes == 8) {
        v.be64 = htonll(value);
    } else {
        v.be32 = htonl(value);
    }
    ofpact_put_set_field(ofpacts, mf, &v, &mask);
}

/* Appends to 'ofpacts' a resubmit to 'stage'. */
static void
gwlb_put_resubmit(struct ofpbuf *ofpacts, enum pl_stage stage)
{
    struct ofpact_resubmit *r = ofpact_put_RESUBMIT(ofpacts);
    r->in_port = OFPP_IN_PORT;
    r->table_id = pl_stage_table(stage);
}

/* Builds, in 'b', the GENEVE packet that carries the IPv4 packet 'ip' of
 * 'size' bytes from 'src' to 'dst' with 'ids', routed in the VPC with
 * key 'vpc_key' (its router MAC is the source MAC). */
static void
gwlb_build_encap(struct dp_packet *b, uint32_t vpc_key, ovs_be32 src,
                 ovs_be32 dst, const struct gwlb_ids *ids,
                 const struct ip_header *ip, size_t size)
{
    uint32_t cookie = gwlb_flow_cookie(ip, size);
    size_t outer = IP_HEADER_LEN + UDP_HEADER_LEN
                   + sizeof(struct gwlb_geneve) + GWLB_OPTS_LEN + size;

    struct eth_header *eth = dp_packet_put_zeros(b, sizeof *eth);
    eth->eth_src = pl_router_mac(vpc_key);
    eth->eth_type = htons(ETH_TYPE_IP);
    struct ip_header *oip = dp_packet_put_zeros(b, sizeof *oip);
    oip->ip_ihl_ver = IP_IHL_VER(5, IP_VERSION);
    oip->ip_tot_len = htons(outer);
    oip->ip_frag_off = htons(IP_DONT_FRAGMENT);
    oip->ip_ttl = 64;
    oip->ip_proto = IPPROTO_UDP;
    put_16aligned_be32(&oip->ip_src, src);
    put_16aligned_be32(&oip->ip_dst, dst);
    oip->ip_csum = csum(oip, IP_HEADER_LEN);

    struct udp_header *udp = dp_packet_put_zeros(b, sizeof *udp);
    udp->udp_src = htons(49152 | (cookie & 0x3fff));
    udp->udp_dst = htons(GWLB_UDP_PORT);
    udp->udp_len = htons(outer - IP_HEADER_LEN);

    struct gwlb_geneve *g = dp_packet_put_zeros(b, sizeof *g);
    g->ver_opt_len = GWLB_OPTS_LEN / 4;
    g->proto = htons(ETH_TYPE_IP);

    ovs_be64 endpoint = htonll(ids->endpoint);
    ovs_be64 attachment = htonll(ids->attachment);
    ovs_be32 flow_cookie = htonl(cookie);
    gwlb_put_option(b, GWLB_OPT_ENDPOINT, &endpoint, sizeof endpoint);
    gwlb_put_option(b, GWLB_OPT_ATTACHMENT, &attachment, sizeof attachment);
    gwlb_put_option(b, GWLB_OPT_COOKIE, &flow_cookie, sizeof flow_cookie);
    dp_packet_put(b, ip, size);
    /* UDP checksum 0: allowed for IPv4, and what GENEVE senders use. */
}

/* PINCTRL_OP_GWLB_ENCAP: see the top of the file. */
void
gwlb_pinctrl_encap(struct rconn *swconn, const struct ofputil_packet_in *pin)
{
    const struct match *md = &pin->flow_metadata;
    const struct eth_header *eth = pin->packet;

    if (pin->packet_len < ETH_HEADER_LEN + IP_HEADER_LEN
        || eth->eth_type != htons(ETH_TYPE_IP)) {
        return;
    }
    const struct ip_header *ip = (const void *) (eth + 1);
    size_t size = MIN(pin->packet_len - ETH_HEADER_LEN,
                      ntohs(ip->ip_tot_len));
    struct gwlb_ids ids = {
        .endpoint = ((uint64_t) gwlb_reg(md, PL_MFF_GWLB_EPT_HI) << 32)
                    | gwlb_reg(md, PL_MFF_GWLB_EPT_LO),
        .attachment = ((uint64_t) gwlb_reg(md, PL_MFF_GWLB_ATT_HI) << 32)
                      | gwlb_reg(md, PL_MFF_GWLB_ATT_LO),
    };
    ovs_be32 appliance = htonl(gwlb_reg(md, PL_MFF_GWLB_APPL));
    ovs_be32 lb = htonl(gwlb_reg(md, PL_MFF_GWLB_ADDR));

    struct dp_packet b;
    dp_packet_init(&b, size + 128);
    gwlb_build_encap(&b, gwlb_reg(md, PL_MFF_GWLB_VPC), lb, appliance, &ids,
                     ip, size);

    uint64_t stub[128 / 8];
    struct ofpbuf ofpacts = OFPBUF_STUB_INITIALIZER(stub);
    gwlb_put_load(&ofpacts, MFF_METADATA, gwlb_reg(md, PL_MFF_GWLB_VPC));
    gwlb_put_load(&ofpacts, PL_MFF_NEXTHOP, ntohl(appliance));
    gwlb_put_resubmit(&ofpacts, PL_IN_DEST);
    pinctrl_send_packet_out(swconn, dp_packet_data(&b), dp_packet_size(&b),
                            &ofpacts);
    ofpbuf_uninit(&ofpacts);
    dp_packet_uninit(&b);
}

/* Finds the endpoint id among the GENEVE options of 'g', which has
 * 'opts_len' bytes of options.  Returns false unless all three GWLB
 * options are there, well formed. */
static bool
gwlb_parse_options(const struct gwlb_geneve *g, size_t opts_len,
                   uint64_t *endpoint)
{
    const uint8_t *p = (const uint8_t *) (g + 1);
    unsigned int seen = 0;

    while (opts_len >= sizeof(struct gwlb_option)) {
        const struct gwlb_option *o = (const void *) p;
        size_t len = sizeof *o + (o->len & 0x1f) * 4;

        if (len > opts_len) {
            return false;
        }
        if (ntohs(o->opt_class) == GWLB_OPT_CLASS) {
            size_t want = (o->type == GWLB_OPT_COOKIE ? 4
                           : o->type <= GWLB_OPT_ATTACHMENT ? 8 : len);
            if (o->type >= GWLB_OPT_ENDPOINT && o->type <= GWLB_OPT_COOKIE
                && len - sizeof *o != want) {
                return false;
            }
            if (o->type == GWLB_OPT_ENDPOINT) {
                ovs_be64 v;
                memcpy(&v, o + 1, sizeof v);
                *endpoint = ntohll(v);
            }
            if (o->type >= GWLB_OPT_ENDPOINT && o->type <= GWLB_OPT_COOKIE) {
                seen |= 1u << o->type;
            }
        }
        p += len;
        opts_len -= len;
    }
    return seen == ((1u << GWLB_OPT_ENDPOINT) | (1u << GWLB_OPT_ATTACHMENT)
                    | (1u << GWLB_OPT_COOKIE));
}

/* PINCTRL_OP_GWLB_DECAP: see the top of the file. */
void
gwlb_pinctrl_decap(struct rconn *swconn, const struct ofputil_packet_in *pin)
{
    static struct vlog_rate_limit rl = VLOG_RATE_LIMIT_INIT(1, 5);
    const uint8_t *p = pin->packet;
    size_t size = pin->packet_len;
    size_t hdrs = ETH_HEADER_LEN + IP_HEADER_LEN + UDP_HEADER_LEN;

    if (size < hdrs + sizeof(struct gwlb_geneve)) {
        return;
    }
    const struct ip_header *oip = (const void *) (p + ETH_HEADER_LEN);
    size_t ihl = IP_IHL(oip->ip_ihl_ver) * 4;
    hdrs += ihl - IP_HEADER_LEN;
    if (size < hdrs + sizeof(struct gwlb_geneve)) {
        return;
    }
    const struct gwlb_geneve *g = (const void *) (p + hdrs);
    size_t opts_len = (g->ver_opt_len & 0x3f) * 4;
    size_t inner = hdrs + sizeof *g + opts_len;
    uint64_t endpoint = 0;

    if ((g->ver_opt_len >> 6) != 0 || g->proto != htons(ETH_TYPE_IP)
        || inner + IP_HEADER_LEN > size
        || !gwlb_parse_options(g, opts_len, &endpoint)) {
        VLOG_DBG_RL(&rl, "dropping a malformed GENEVE packet from an "
                    "appliance");
        return;
    }

    struct dp_packet b;
    dp_packet_init(&b, size - inner + ETH_HEADER_LEN);
    struct eth_header *eth = dp_packet_put_zeros(&b, sizeof *eth);
    eth->eth_type = htons(ETH_TYPE_IP);
    dp_packet_put(&b, p + inner, size - inner);

    const struct match *md = &pin->flow_metadata;
    uint64_t stub[128 / 8];
    struct ofpbuf ofpacts = OFPBUF_STUB_INITIALIZER(stub);
    gwlb_put_load(&ofpacts, PL_MFF_GWLB_VPC,
                  ntohll(md->flow.metadata) & ((1u << PL_VPC_KEY_BITS) - 1));
    gwlb_put_load(&ofpacts, PL_MFF_GWLB_EPT_HI, endpoint >> 32);
    gwlb_put_load(&ofpacts, PL_MFF_GWLB_EPT_LO, endpoint & UINT32_MAX);
    gwlb_put_resubmit(&ofpacts, PL_IN_GWLB_BACK);
    pinctrl_send_packet_out(swconn, dp_packet_data(&b), dp_packet_size(&b),
                            &ofpacts);
    ofpbuf_uninit(&ofpacts);
    dp_packet_uninit(&b);
}
