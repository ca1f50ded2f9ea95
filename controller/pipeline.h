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
 *   in_dns        (UDP to the VPC resolver, base + 2 port 53, goes to
 *                 pinctrl here and no further: see "The VPC resolver")
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
 *   reg4             PL_MFF_EPT: in the interface endpoint stages, the
 *                    endpoint ENI the packet goes to, as the first 32 bits
 *                    of its Network_Interface row's UUID (its "key").  Set
 *                    by PL_IN_EPT_NAT, so that the stages after the DNAT
 *                    (which rewrote ip.dst) still know the endpoint.
 *   reg10            PL_MFF_FLAGS: one bit per PL_FLAG_* below.
 *   reg14            PL_MFF_INPORT: OpenFlow port number of the source ENI
 *                    on this chassis; 0 for packets from a tunnel.
 *   reg15            PL_MFF_OUTPORT: OpenFlow port to deliver to, the
 *                    destination ENI's port (set by PL_OUT_PORT) or the
 *                    tunnel port towards its chassis (set by PL_IN_DEST);
 *                    used by PL_OUT_DELIVER.
 *
 *   reg2, reg3       PL_MFF_GWLB_APPL, PL_MFF_GWLB_ADDR: in the Gateway
 *                    Load Balancer stages, the chosen appliance's address
 *                    and the load balancer's address (the outer IPv4
 *                    destination and source of the GENEVE packet).
 *   reg5             PL_MFF_GWLB_VPC: the GWLB's (provider) VPC key, for
 *                    pinctrl's GENEVE packets and the decapsulated ones.
 *   reg6, reg7       PL_MFF_GWLB_EPT_HI, _LO: the GWLB endpoint's id, the
 *                    64-bit value of GENEVE option type 1.
 *   reg8, reg9       PL_MFF_GWLB_ATT_HI, _LO: the attachment id (option
 *                    type 2): the endpoint's network interface id.
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
 *   PL_CT_ZONE_NAT_MIN .. 65535 the NAT of interface endpoints (one
 *                               ct() does one kind of NAT, so DNAT and SNAT
 *                               have zones of their own):
 *     0x8000 .. 0xbfff          DNAT zone of an endpoint ENI: 0x8000 | the
 *                               low 14 bits of its key (pl_ept_dnat_zone()).
 *                               Its connections are consumer ip:port ->
 *                               ENI ip:listener port, unique per ENI.
 *     0xc000 .. 0xfffe          SNAT zone of a network load balancer:
 *                               0xc000 | the low 14 bits of the first 32
 *                               bits of its row's UUID, 0xffff excepted
 *                               (pl_ept_snat_zone()).  One zone per load
 *                               balancer, because a reply from a target is
 *                               addressed to the load balancer's address
 *                               and says nothing about the endpoint: the
 *                               zone's NAT table knows.
 *                               Two endpoints (or load balancers) whose
 *                               keys share 14 bits share a zone; their
 *                               tuples still differ (different ENI or NLB
 *                               addresses), so only the counters mix.
 *   0                           the default zone: unused.
 *
 *
 * Interface endpoints
 * ===================
 *
 * Endpoint ENIs are "distributed", as OVN's load balancers are: they are
 * bound to no chassis, and every chassis that has an ENI of the
 * endpoint's (consumer) VPC bound realizes every ENI of the endpoint
 * while the endpoint is pending (being realized) or available.  So the
 * consumer's own chassis answers ARP for the ENI, applies the endpoint's
 * security groups, does the DNAT and SNAT, and sends the packet to the
 * target's chassis in GENEVE with the PROVIDER VPC's key; the provider VPC
 * counts as local there (flows-private.h).  Forward path (consumer
 * chassis):
 *
 *   in_route       local route: next hop = ENI ip
 *   in_ept_nat     tcp to an endpoint ENI: reg4 = ENI key,
 *                  ct(zone=DNAT zone, nat); anything else to it: drop
 *   in_ept_sg      established: on; new: the endpoint's groups' ingress
 *                  rules (no group: anything)
 *   in_ept_lb      new, listener port: group:<select group of the ENI and
 *                  listener>; the buckets are the targets (not unhealthy,
 *                  same AZ only unless cross-zone is on and there are
 *                  any), each ct(commit,zone=DNAT zone,nat(dst=target),
 *                  exec(ct_mark=ENI key))
 *   in_ept_snat_ct per target: ct(zone=its load balancer's SNAT zone, nat)
 *   in_ept_snat    new: ct(commit,nat(src=NLB address of the target's AZ:
 *                  this chassis's port block), exec(ct_mark=ENI key))
 *   in_ept_out     metadata = provider VPC, next hop = ip.dst, eth.src =
 *                  provider router MAC, on to in_dest
 *
 * The SNAT source port says which chassis did the NAT: each chassis owns
 * one 1024-port block, 2048 + 1024 * (hash of its name % 62)
 * (pl_ept_port_block()).  Replies, on the target's chassis:
 *
 *   in_route       local route: next hop = NLB address
 *   in_ept_nat     tcp to an NLB address, port in chassis K's block: to K's
 *                  tunnel (provider VNI), or to in_ept_unsnat if K is here;
 *                  anything else to an NLB address: drop
 *   (tunnel)       out_port on K sends tcp to an NLB address to
 *                  in_ept_unsnat
 *   in_ept_unsnat  ct(zone=the NLB's SNAT zone, nat)
 *   in_ept_undnat  +est+rpl with ct_mark = ENI key: ct(zone=its DNAT zone,
 *                  nat); anything else: drop (so the provider can never
 *                  open a connection into the consumer VPC)
 *   in_ept_back    +est+rpl: metadata = consumer VPC, eth.src = ENI MAC,
 *                  next hop = ip.dst, on to in_dest
 *
 * Target health checks (pinctrl.h, health.h): the chassis where a target
 * of a network load balancer is bound sends it TCP SYNs from the load
 * balancer's address and a port of 1024..2047 (below every SNAT block),
 * as packet-outs into out_port; in_ept_nat hands the target's SYN-ACKs to
 * those ports to pinctrl and drops anything else to them.
 *
 * MTU and MSS: the first endpoint flow of each direction (in_ept_nat for
 * packets to an ENI, in_ept_unsnat for replies) records in
 * PL_FLAG_PKT_LARGER whether the frame is over PrivateLink_Global
 * options:mtu (default 8500) + 14 (check_pkt_larger), and the next stage
 * (in_ept_sg, in_ept_undnat) drops it at priority 300, before any NAT and
 * without an ICMP error.  The same flows, for a SYN (in_ept_nat) or a
 * SYN-ACK (in_ept_unsnat), first pause the packet for pinctrl, which
 * clamps its MSS to the MTU - 40 (pinctrl.h).  This happens in the
 * endpoint stages, where the endpoint is known, rather than in out_mtu and
 * out_mss, which see the packet after the tunnel; those two stages stay
 * empty.
 *
 *
 * Gateway endpoints and the region network
 * ========================================
 *
 * AWS's gateway services (the lab's S3-like and DynamoDB-like HTTP
 * servers) live outside every VPC, in the "region network", whose key in
 * PL_MFF_VPC and the VNI is PL_REGION_KEY.  A service is a port of br-int
 * on one chassis with external_ids:plink-aws-service=<name> (aws-service.h),
 * at the address Endpoint_Service:backend:ip; that chassis claims it in
 * backend:chassis.  The service keeps seeing the instance's private
 * address, as on AWS; only the source port changes, to one of the block of
 * the chassis that did the translation (pl_ept_port_block()), so that the
 * service's chassis knows where to send the reply and two VPCs with the
 * same addresses never share a connection.  Forward path, on the chassis
 * of the instance:
 *
 *   in_route       a route whose target is a gateway endpoint (one flow
 *                  per block of its prefix list, at the priority of the
 *                  block's length, below a CIDR route of the same length):
 *                  reg4 = endpoint key, TTL - 1, on to in_gw_ct
 *   in_gw_ct       TCP: ct(zone=the service's zone, nat); anything else:
 *                  drop
 *   in_gw_snat     new, per local ENI: ct(commit, nat(src=ENI ip:this
 *                  chassis's port block), exec(ct_mark = VPC key));
 *                  established: on
 *   in_gw_out      metadata = PL_REGION_KEY, eth.src = the region's
 *                  router MAC; to out_port here, or to the tunnel of the
 *                  service's chassis
 *   out_port       (service chassis) ip.dst = service: eth.dst = its MAC,
 *                  output
 *
 * Replies, from the service port:
 *
 *   in_classify    service port -> metadata = PL_REGION_KEY, on to
 *                  in_gw_svc
 *   in_gw_svc      ARP request: answered with the region's router MAC;
 *                  tcp from the service, port in chassis K's block: to K's
 *                  tunnel, or to in_gw_unsnat if K is here
 *   out_port       (chassis K) tcp from a service: to in_gw_unsnat
 *   in_gw_unsnat   ct(zone=the service's zone, nat)
 *   in_gw_back     +est+rpl with ct_mark = a local VPC's key: metadata =
 *                  that VPC, eth.src = its router MAC, next hop = ip.dst,
 *                  on to in_dest (whose ENI conntrack zone knows the
 *                  connection from in_sg)
 *
 * The service's zone: pl_ept_snat_zone() of its Endpoint_Service row.
 *
 *
 * The VPC resolver
 * ================
 *
 * Every VPC with enable_dns_support has a DNS resolver at its base address
 * + 2 (the Route 53 Resolver of AWS).  PL_IN_DNS sends UDP queries to it
 * from a local ENI to pinctrl (PINCTRL_OP_DNS, no pause: the query ends
 * there), before the security groups, which do not apply to resolver
 * traffic on AWS either.  pinctrl answers the names of interface endpoints
 * itself and forwards the rest to PrivateLink_Global options:dns_upstream;
 * the answer leaves by a packet-out straight to the ENI's port, from the
 * router MAC and the resolver's address (dns.h).
 *
 *
 * Internet gateways
 * =================
 *
 * A route to an internet gateway whose stand-in runs somewhere we can
 * reach (aws-service.h) gives the packet the router MAC as source and the
 * gateway's MAC (0a:01 and its row's key) as destination, and sends it to
 * out_port here or through the tunnel (VPC key) to the stand-in's
 * chassis, whose out_port delivers it to the stand-in's port.  What the
 * stand-in sends enters in_classify as the gateway's VPC, with the
 * gateway route table (the one associated with the gateway) in reg1, else
 * the main one; in_igw answers its ARP requests (any address: on-link
 * default route) and sends IPv4 to in_route.  No security group applies
 * at the gateway; the destination ENI's do, in out_sg.
 *
 *
 * Gateway Load Balancer endpoints
 * ===============================
 *
 * A route to a GWLB endpoint (in a subnet's or a gateway route table)
 * sends the packet through an appliance, wherever the route is realized
 * (the endpoint's VPC is local there):
 *
 *   in_route         reg4 = endpoint key, PL_FLAG_GWLB, TTL - 1, on to
 *                    in_gwlb
 *   in_gwlb          multipath(symmetric 5-tuple (or 2-tuple: target group
 *                    stickiness), hrw over every target) -> reg0[0..15]
 *   in_gwlb_select   a usable target: reg2/3/5-9 = the GENEVE fields,
 *                    controller(PINCTRL_OP_GWLB_ENCAP); an unusable one:
 *                    multipath over the usable ones -> reg0[16..31],
 *                    reg0[0..15] = 0xffff, back to in_gwlb_select
 *   (pinctrl)        the IPv4 packet in GENEVE (UDP 6081, VNI 0, class
 *                    0x0108 options 1-3) from the load balancer's address
 *                    to the appliance's, into the GWLB's VPC at in_dest
 *
 * Both directions of a flow hash alike, so they reach the same appliance
 * even when they enter on different chassis.  The appliance returns the
 * datagram to the load balancer's address, port 6081:
 *
 *   in_gwlb          (GWLB's VPC) udp to a GWLB address, port 6081:
 *                    controller(PINCTRL_OP_GWLB_DECAP); anything else to
 *                    it: drop (health check answers are taken earlier, in
 *                    in_ept_nat)
 *   (pinctrl)        checks the header and options; the inner packet with
 *                    reg5 = the GWLB's VPC, reg6/7 = the endpoint id, to
 *                    in_gwlb_back
 *   in_gwlb_back     a known endpoint of that GWLB: metadata = its VPC,
 *                    reg1 = its subnet's route table, on to in_route
 *
 * A chassis where an appliance is bound therefore has the endpoints' VPCs
 * local, and one where an endpoint is realized has the GWLB's VPC local.
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
    PL_STAGE(PL_IN_IGW, 15, DROP, "in_igw",                                 \
             "from an internet gateway stand-in: ARP, its route table")     \
    PL_STAGE(PL_IN_ARP, 20, NEXT, "in_arp",                                 \
             "ARP responder for ENI, endpoint and gateway addresses")       \
    PL_STAGE(PL_IN_DNS, 25, NEXT, "in_dns",                                 \
             "DNS queries to the VPC resolver (base + 2) go to pinctrl")    \
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
    PL_STAGE(PL_IN_EPT_SG, 80, DROP, "in_ept_sg",                           \
             "security groups of an interface endpoint's ENI")              \
    PL_STAGE(PL_IN_EPT_LB, 81, DROP, "in_ept_lb",                           \
             "new connection: listener port -> select group of targets")    \
    PL_STAGE(PL_IN_EPT_SNAT_CT, 82, DROP, "in_ept_snat_ct",                 \
             "conntrack in the load balancer's SNAT zone")                  \
    PL_STAGE(PL_IN_EPT_SNAT, 83, DROP, "in_ept_snat",                       \
             "SNAT new connections to the load balancer's address")         \
    PL_STAGE(PL_IN_EPT_OUT, 84, DROP, "in_ept_out",                         \
             "cross into the provider VPC, on to in_dest")                  \
    PL_STAGE(PL_IN_EPT_UNSNAT, 85, DROP, "in_ept_unsnat",                   \
             "reply to the load balancer's address: undo the SNAT")         \
    PL_STAGE(PL_IN_EPT_UNDNAT, 86, DROP, "in_ept_undnat",                   \
             "reply (+est+rpl only): undo the DNAT")                        \
    PL_STAGE(PL_IN_EPT_BACK, 87, DROP, "in_ept_back",                       \
             "cross back into the consumer VPC, on to in_dest")             \
    PL_STAGE(PL_IN_GWLB_SELECT, 88, DROP, "in_gwlb_select",                 \
             "the flow's appliance (symmetric hash): encapsulate (pinctrl)")\
    PL_STAGE(PL_IN_GWLB_BACK, 89, DROP, "in_gwlb_back",                     \
             "decapsulated: back into the endpoint's VPC, its route table") \
    PL_STAGE(PL_IN_GW_CT, 90, DROP, "in_gw_ct",                             \
             "gateway endpoint: conntrack in the service's zone")           \
    PL_STAGE(PL_IN_GW_SNAT, 91, DROP, "in_gw_snat",                         \
             "gateway endpoint: new connection -> port of this chassis")    \
    PL_STAGE(PL_IN_GW_OUT, 92, DROP, "in_gw_out",                           \
             "into the region network, to the service's chassis")           \
    PL_STAGE(PL_IN_GW_SVC, 93, DROP, "in_gw_svc",                           \
             "from an AWS service port: ARP, replies to their chassis")     \
    PL_STAGE(PL_IN_GW_UNSNAT, 94, DROP, "in_gw_unsnat",                     \
             "reply from an AWS service: undo the port translation")        \
    PL_STAGE(PL_IN_GW_BACK, 95, DROP, "in_gw_back",                         \
             "reply (+est+rpl): back into the consumer VPC, on to in_dest") \
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
#define PL_MFF_EPT MFF_REG4          /* Endpoint ENI key (PL_IN_EPT_*). */
#define PL_MFF_GWLB_APPL MFF_REG2    /* GWLB: the appliance's address. */
#define PL_MFF_GWLB_ADDR MFF_REG3    /* GWLB: the load balancer's address. */
#define PL_MFF_GWLB_VPC MFF_REG5     /* GWLB: its VPC's key. */
#define PL_MFF_GWLB_EPT_HI MFF_REG6  /* GWLB: endpoint id, high 32 bits. */
#define PL_MFF_GWLB_EPT_LO MFF_REG7  /* GWLB: endpoint id, low 32 bits. */
#define PL_MFF_GWLB_ATT_HI MFF_REG8  /* GWLB: attachment id, high bits. */
#define PL_MFF_GWLB_ATT_LO MFF_REG9  /* GWLB: attachment id, low bits. */
#define PL_MFF_FLAGS MFF_REG10       /* PL_FLAG_* bits. */
#define PL_MFF_INPORT MFF_REG14      /* Source ENI's OpenFlow port, or 0. */
#define PL_MFF_OUTPORT MFF_REG15     /* OpenFlow port to deliver to. */

/* Bits in PL_MFF_FLAGS. */
enum {
    PL_FLAG_FROM_TUNNEL = 1 << 0, /* Packet arrived through a tunnel. */
    PL_FLAG_PKT_LARGER = 1 << 1,  /* check_pkt_larger result (endpoints). */
    PL_FLAG_GWLB = 1 << 2,        /* Routed to a GWLB endpoint (reg4). */
};

/* Width of the VPC tunnel key in PL_MFF_VPC and in the GENEVE VNI. */
#define PL_VPC_KEY_BITS 24

/* The key of the region's service network in PL_MFF_VPC and the VNI: no
 * VPC has it (plinkd allocates 1..0xfffffe). */
#define PL_REGION_KEY 0xffffff

/* Conntrack zones; see "Conntrack zones" above. */
enum {
    PL_CT_ZONE_ENI_MAX = 0x7fff, /* Last ENI zone (= OpenFlow port). */
    PL_CT_ZONE_NAT_MIN = 0x8000, /* First zone reserved for endpoint NAT. */
};

struct eth_addr pl_router_mac(int64_t vpc_tunnel_key);
struct uuid;
uint16_t pl_ept_dnat_zone(const struct uuid *eni);
uint16_t pl_ept_snat_zone(const struct uuid *load_balancer);
uint16_t pl_ept_port_block(const char *chassis_name);
uint32_t pl_ept_key(const struct uuid *eni);
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
