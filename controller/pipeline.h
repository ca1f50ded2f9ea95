/* SPDX-License-Identifier: Apache-2.0 */

#ifndef PLINK_PIPELINE_H
#define PLINK_PIPELINE_H 1

/* The OpenFlow pipeline of the integration bridge, in one place.
 *
 * Every stage of the pipeline that plink-controller installs on br-int is
 * one row of PL_STAGES below.  The enum, the table numbers, the names that
 * 'ovs-appctl -t plink-controller flow-table-list' prints and the default
 * (table-miss) flow of every stage all come from that one list, and so will
 * plink-trace and the pipeline documentation.  Change a table number here
 * and nowhere else.
 *
 * A row is PL_STAGE(ENUM, TABLE, MISS, "name", "purpose"):
 *
 *   ENUM     the enumerator of 'enum pl_stage'.
 *   TABLE    the OpenFlow table number.  Numbers leave gaps so that a stage
 *            can be inserted without renumbering the others, and must
 *            increase from row to row (pl_stages_check() asserts it).
 *   MISS     what a packet that no other flow of the stage matches does:
 *            DROP, or NEXT (resubmit to the next row's table).  The
 *            priority-0 flow of every stage implements it.
 *   "name"   the stage's name, {in,out}_<stage>, as tools print it.
 *   "purpose" one line for tools and docs.
 *
 * The ingress half (PL_IN_*) runs on the chassis where a packet enters
 * br-int from a local network interface (ENI).  It decides where the packet
 * goes: the VPC route, an interface endpoint's NAT, a GWLB appliance, and
 * ends in PL_IN_DEST, which either hands the packet to the egress half on
 * this chassis (destination ENI bound here) or sends it straight to
 * PL_OUT_DELIVER and into the GENEVE tunnel of the destination's chassis.
 * The egress half (PL_OUT_*) runs where the packet leaves br-int towards an
 * ENI: packets that arrive through a tunnel from another chassis start
 * there, in PL_OUT_PORT, because the sending chassis already ran the
 * ingress half.  Either way the source ENI's egress rules run once, where
 * it is bound, and the destination ENI's ingress rules once, where that
 * one is bound.
 *
 * The life of an IPv4 packet from ENI A to ENI B:
 *
 *   in_classify   in_port A -> VPC key, A's port, A's subnet's route table
 *   in_port_sec   eth.src and ip.src must be A's
 *   in_arp        (ARP requests are answered here and go no further)
 *   in_sg_ct      ct(zone=A's zone)
 *   in_sg         +est/+rel pass; +new needs an egress rule of A's groups
 *                 and is committed
 *   in_route      longest prefix match in the route table: next hop, router
 *                 MAC as eth.src, TTL - 1
 *   in_dest       next hop -> B's MAC as eth.dst; B here: on to out_port;
 *                 B elsewhere: reg15 = tunnel port, on to out_deliver
 *   (tunnel)      VNI = VPC key; the far side classifies it into out_port
 *   out_port      (VPC, eth.dst) -> B's port
 *   out_sg_ct     ct(zone=B's zone)
 *   out_sg        +est/+rel pass; +new needs an ingress rule of B's groups
 *                 and is committed
 *   out_deliver   output to B's port
 *
 *
 * Registers
 * =========
 *
 * The stages hand information to each other in these fields (the
 * PL_MFF_* names below are the ones the flow builders use):
 *
 *   metadata[0..23]  PL_MFF_VPC: tunnel key of the VPC the packet is in
 *                    (Vpc:tunnel_key).  Set by PL_IN_CLASSIFY from the
 *                    ENI's VPC, or from the GENEVE VNI for packets from a
 *                    tunnel; rewritten by PL_IN_EPT_NAT when a packet
 *                    crosses from a consumer VPC into a provider VPC.
 *                    Every flow that depends on the VPC matches these 24
 *                    bits (masked: metadata[24..63] are free for later use).
 *   reg0             PL_MFF_NEXTHOP: IPv4 next hop chosen by PL_IN_ROUTE:
 *                    ip.dst for a local route, the target ENI's address
 *                    for a route to a network interface.  PL_IN_DEST looks
 *                    the next hop up among the VPC's ENIs.
 *   reg1             PL_MFF_RTB: the route table that routes the source
 *                    ENI's subnet (its explicit association, else the VPC's
 *                    main table), as the first 32 bits of the Route_Table
 *                    row's UUID (pl_rtb_key()).  Set by PL_IN_CLASSIFY.
 *   reg10            PL_MFF_FLAGS: one bit per PL_FLAG_* below.
 *   reg14            PL_MFF_INPORT: OpenFlow port number of the source ENI
 *                    on this chassis; 0 for packets from a tunnel.
 *   reg15            PL_MFF_OUTPORT: OpenFlow port to deliver to, the
 *                    destination ENI's port (set by PL_OUT_PORT) or the
 *                    tunnel port towards its chassis (set by PL_IN_DEST);
 *                    used by PL_OUT_DELIVER.
 *
 * Other registers are free.  Document a new one here before using it.
 *
 *
 * Conntrack zones
 * ===============
 *
 * Security groups are stateful per network interface, as on AWS: each ENI
 * bound to this chassis has its own conntrack zone, which holds every
 * connection to or from it.  The zone number is the ENI's OpenFlow port
 * number on br-int, so it needs no allocation, survives a restart of the
 * controller and is unique on the chassis:
 *
 *   1 .. PL_CT_ZONE_ENI_MAX     ENI zones.  PL_IN_SG_CT tracks a packet in
 *                               its source ENI's zone (reg14[0..15]),
 *                               PL_OUT_SG_CT in its destination ENI's zone
 *                               (reg15[0..15]).  An ENI whose port number
 *                               is larger is not bound (binding.h).
 *   PL_CT_ZONE_NAT_MIN .. 65535 reserved for the NAT of interface
 *                               endpoints (DNAT and SNAT need zones of their
 *                               own); unused so far.
 *   0                           the default zone: unused.
 *
 *
 * Addresses the pipeline answers for
 * ==================================
 *
 * The VPC router has one MAC per VPC, pl_router_mac(): 0a:00 followed by
 * the VPC's tunnel key in 32 bits (0a:00:00:00:00:2a for key 42), a
 * locally administered unicast address.  PL_IN_ARP answers ARP requests for
 * every subnet's gateway (subnet base + 1) and for the VPC's DNS resolver
 * (VPC base + 2) with it, and for every ENI of the VPC (bound here, bound
 * elsewhere or not bound at all) with the ENI's own MAC.  Routed packets
 * leave with the router MAC as their source.
 */

#include <stdbool.h>
#include <stdint.h>
#include "openvswitch/meta-flow.h"
#include "openvswitch/types.h"

/* The pipeline, in table order.  See the comment above for the columns. */
#define PL_STAGES                                                           \
    PL_STAGE(PL_IN_CLASSIFY, 0, DROP, "in_classify",                        \
             "classify by in_port (ENI or tunnel), set the VPC metadata")   \
    PL_STAGE(PL_IN_PORT_SEC, 10, DROP, "in_port_sec",                       \
             "source MAC/IP check of the sending ENI; IPv4 and ARP only")   \
    PL_STAGE(PL_IN_ARP, 20, NEXT, "in_arp",                                 \
             "ARP responder for ENI, endpoint and gateway addresses")       \
    PL_STAGE(PL_IN_SG_CT, 30, DROP, "in_sg_ct",                             \
             "conntrack in the source ENI's zone")                          \
    PL_STAGE(PL_IN_SG, 35, DROP, "in_sg",                                   \
             "outbound security group rules of the source ENI (conntrack)") \
    PL_STAGE(PL_IN_ROUTE, 40, DROP, "in_route",                             \
             "longest-prefix-match routing in the subnet's route table")    \
    PL_STAGE(PL_IN_EPT_NAT, 50, NEXT, "in_ept_nat",                         \
             "interface endpoint DNAT to a target and SNAT to the NLB")     \
    PL_STAGE(PL_IN_GWLB, 60, NEXT, "in_gwlb",                               \
             "Gateway Load Balancer endpoint steering")                     \
    PL_STAGE(PL_IN_DEST, 70, DROP, "in_dest",                               \
             "find the destination ENI's port or its chassis's tunnel")     \
    PL_STAGE(PL_OUT_PORT, 100, DROP, "out_port",                            \
             "the local destination ENI's port from VPC and eth.dst")       \
    PL_STAGE(PL_OUT_SG_CT, 105, DROP, "out_sg_ct",                          \
             "conntrack in the destination ENI's zone")                     \
    PL_STAGE(PL_OUT_SG, 110, DROP, "out_sg",                                \
             "inbound security group rules of the destination ENI")         \
    PL_STAGE(PL_OUT_MTU, 120, NEXT, "out_mtu",                              \
             "drop packets over the endpoint MTU (check_pkt_larger)")       \
    PL_STAGE(PL_OUT_MSS, 130, NEXT, "out_mss",                              \
             "clamp the MSS of TCP SYNs through an endpoint")               \
    PL_STAGE(PL_OUT_DELIVER, 140, DROP, "out_deliver",                      \
             "output to the local port or the GENEVE tunnel")

/* One enumerator per stage, in pipeline order. */
enum pl_stage {
#define PL_STAGE(ENUM, TABLE, MISS, NAME, PURPOSE) ENUM,
    PL_STAGES
#undef PL_STAGE
    PL_N_STAGES
};

/* What the default flow of a stage does with a packet nothing else
 * matched. */
enum pl_stage_miss {
    PL_MISS_DROP,               /* Drop it. */
    PL_MISS_NEXT,               /* Resubmit it to the next stage. */
};

/* Fields shared between stages; see "Registers" above.  (Macros, as
 * OVN's MFF_LOG_*, because they alias members of enum mf_field_id.) */
#define PL_MFF_VPC MFF_METADATA      /* Bits 0..23: the VPC's tunnel key. */
#define PL_MFF_NEXTHOP MFF_REG0      /* IPv4 next hop. */
#define PL_MFF_RTB MFF_REG1          /* Source subnet's route table key. */
#define PL_MFF_FLAGS MFF_REG10       /* PL_FLAG_* bits. */
#define PL_MFF_INPORT MFF_REG14      /* Source ENI's OpenFlow port, or 0. */
#define PL_MFF_OUTPORT MFF_REG15     /* OpenFlow port to deliver to. */

/* Bits in PL_MFF_FLAGS. */
enum {
    PL_FLAG_FROM_TUNNEL = 1 << 0, /* Packet arrived through a tunnel. */
    PL_FLAG_PKT_LARGER = 1 << 1,  /* check_pkt_larger result (PL_OUT_MTU). */
};

/* Width of the VPC tunnel key in PL_MFF_VPC and in the GENEVE VNI. */
#define PL_VPC_KEY_BITS 24

/* Conntrack zones; see "Conntrack zones" above. */
enum {
    PL_CT_ZONE_ENI_MAX = 0x7fff, /* Last ENI zone (= OpenFlow port). */
    PL_CT_ZONE_NAT_MIN = 0x8000, /* First zone reserved for endpoint NAT. */
};

struct eth_addr pl_router_mac(int64_t vpc_tunnel_key);
struct uuid;
uint32_t pl_rtb_key(const struct uuid *route_table);

uint8_t pl_stage_table(enum pl_stage);
const char *pl_stage_name(enum pl_stage);
const char *pl_stage_purpose(enum pl_stage);
enum pl_stage_miss pl_stage_miss(enum pl_stage);
bool pl_stage_from_table(uint8_t table_id, enum pl_stage *);
bool pl_stage_from_name(const char *name, enum pl_stage *);
bool pl_stage_is_ingress(enum pl_stage);

void pl_stages_check(void);

struct ds;
void pl_stages_format(struct ds *);

#endif /* controller/pipeline.h */
