/* SPDX-License-Identifier: Apache-2.0 */

#ifndef PLINK_FLOWS_PRIVATE_H
#define PLINK_FLOWS_PRIVATE_H 1

/* What the flow builders share, and nothing else includes.
 *
 * flows_run() (flows.c) indexes the database once per computation into a
 * struct flows_ctx, then calls one builder per area, each in its own file:
 *
 *   flows-port.c   PL_IN_CLASSIFY, PL_IN_PORT_SEC, PL_OUT_PORT,
 *                  PL_OUT_DELIVER: where packets enter and leave br-int.
 *   flows-arp.c    PL_IN_ARP: the ARP responder and the broadcast drop.
 *   flows-dns.c    PL_IN_DNS: queries to the VPC resolver go to pinctrl.
 *   flows-sg.c     PL_IN_SG_CT, PL_IN_SG, PL_OUT_SG_CT, PL_OUT_SG: security
 *                  groups on conntrack.
 *   flows-route.c  PL_IN_ROUTE, PL_IN_DEST: the VPC router.
 *
 * A builder for a new feature (interface endpoints: PL_IN_EPT_NAT; GWLB:
 * PL_IN_GWLB) gets its own file, reads the index below, and adds flows with
 * flows_add().  Builders never look at each other's flows: the contract
 * between stages is the registers of pipeline.h.
 *
 *   flows-ept.c    PL_IN_EPT_*: interface endpoints (pipeline.h,
 *                  "Interface endpoints").
 *   flows-igw.c    PL_IN_IGW: internet gateway stand-ins.
 *   flows-gwlb.c   PL_IN_GWLB*: Gateway Load Balancer endpoints.
 *   flows-gw.c     PL_IN_GW_*: gateway endpoints and the region network
 *                  of AWS's services (pipeline.h, "Gateway endpoints and
 *                  the region network").
 *
 * Incremental processing (flows-inc.c) keeps the flows_ctx of the last
 * full computation (struct flows_state) and applies the tracked changes
 * of endpoints, their ENIs and targets to it: a changed row's flows are
 * taken out of the table by their owner (ofctrl_remove_owner(): the row
 * whose UUID flows_add() was given, or 'ctx->owner' when a builder builds
 * flows that belong to another row, e.g. an endpoint's security group
 * rules) and built again with the per-row entry points below
 * (flows_ept_build_endpoint(), flows_build_arp_eni(), ...).  A builder
 * whose output for one row depends on other rows must say so there, or
 * incremental processing falls back to a full recompute for it.
 *
 * Scope: a chassis needs the VPC-wide flows (ARP, routes, destinations)
 * only of the VPCs that have an ENI bound to it, the "local VPCs"; packets
 * of other VPCs never enter its ingress half.  An active interface
 * endpoint (pending or available) makes the VPCs of its service's network
 * load balancers local too, wherever its own (consumer) VPC is local:
 * that chassis does the NAT and sends the packet on in the provider VPC. */

#include <stdbool.h>
#include <stdint.h>

#include "flows.h"
#include "hmapx.h"
#include "openvswitch/hmap.h"
#include "openvswitch/meta-flow.h"
#include "openvswitch/types.h"
#include "pipeline.h"
#include "openvswitch/shash.h"
#include "simap.h"

struct ds;
struct flows_input;
struct match;
struct ofctrl_flow_table;
struct ofpbuf;
struct plrec_network_interface;
struct plrec_route_table;
struct plrec_subnet;
struct plrec_vpc;
struct plrec_vpc_endpoint;
struct uuid;

/* A network interface the pipeline can use: it has a subnet in a VPC and
 * its MAC and IP parse.  (ENIs that fail these checks get no flows.) */
struct flows_eni {
    struct hmap_node node;      /* In flows_ctx's 'enis', by row UUID. */
    const struct plrec_network_interface *row; /* The database row. */
    const struct plrec_vpc *vpc;               /* Its subnet's VPC. */
    struct eth_addr mac;        /* Network_Interface:mac_address. */
    ovs_be32 ip;                /* Network_Interface:private_ip_address. */
    ofp_port_t ofport;          /* Its port on br-int if bound here (see
                                 * binding.h), else 0. */
    ofp_port_t tunnel;          /* If bound to another chassis, the tunnel
                                 * port to that chassis, else 0. */
    struct uuid *sgs;           /* Its security groups' UUIDs (a copy: the
                                 * row changes under incremental
                                 * processing). */
    size_t n_sgs;               /* Number of 'sgs'. */
};

/* The members of one security group, for rules that reference it. */
struct flows_sg_members {
    struct hmap_node node;      /* In flows_ctx's 'sg_members', by UUID. */
    const struct uuid *group;   /* The Security_Group row's UUID. */
    ovs_be32 *ips;              /* Private IPs of its member ENIs. */
    size_t n_ips;               /* Number of 'ips'. */
    size_t allocated_ips;       /* Allocated size of 'ips'. */
};

/* One computation of the desired flow table. */
struct flows_ctx {
    const struct flows_input *in;     /* The databases. */
    struct ofctrl_flow_table *table;  /* Receives the flows. */
    const struct uuid *global;  /* The PrivateLink_Global row (or NULL):
                                 * the cookie of pipeline-wide flows. */
    const struct uuid *owner;   /* If nonnull, the row that owns the flows
                                 * being built whatever their cookie (an
                                 * endpoint's or an ENI's security group
                                 * rules), for incremental processing. */

    struct hmap enis;           /* "struct flows_eni"s, every usable ENI. */
    struct hmapx local_vpcs;    /* "const struct plrec_vpc *"s with an ENI
                                 * bound here, and the VPCs of the load
                                 * balancers behind their active
                                 * endpoints. */
    struct hmapx bound_vpcs;    /* "const struct plrec_vpc *"s with an ENI
                                 * bound here (only). */
    struct hmapx bound_enis;    /* "struct flows_eni *"s of 'enis' bound
                                 * here. */
    struct hmapx referenced_sgs; /* "const struct plrec_security_group *"s
                                 * that some rule names as its peer: their
                                 * members' addresses are in that rule's
                                 * flows. */
    struct simap tunnels;       /* Chassis name -> its tunnel's port. */
    struct hmap sg_members;     /* "struct flows_sg_members", per group
                                 * that has members. */

    /* Interface endpoints (flows-ept.c). */
    struct hmapx epts;          /* "const struct plrec_vpc_endpoint *"s
                                 * realized here: active, consumer VPC
                                 * local. */
    struct hmapx ept_enis;      /* "const struct plrec_network_interface *"s
                                 * of every active endpoint. */
    struct hmapx ept_lbs;       /* "const struct plrec_load_balancer *"s
                                 * behind an active endpoint. */
    struct hmapx ept_holders;   /* The "const struct plrec_vpc_endpoint *"s
                                 * of 'epts' with an ingress rule that
                                 * names a group (flows_eni_update()
                                 * rebuilds them when its members
                                 * change). */
    struct hmap ept_recs;       /* "struct flows_ept_rec"s (flows-ept.c),
                                 * one per active endpoint: what it put in
                                 * the indexes, for incremental
                                 * processing. */
    struct hmap lb_refs;        /* "struct flows_ref"s: per load balancer
                                 * of 'ept_lbs', its active endpoints. */
    struct hmap vpc_refs;       /* "struct flows_ref"s: per VPC that
                                 * endpoints make local, their number. */

    /* Internet gateway stand-ins (flows-igw.c). */
    struct shash igw_ports;     /* Stand-in ports of br-int, by internet
                                 * gateway id: "struct aws_service_port *"s. */
    struct shash igws;          /* Reachable stand-ins, by internet gateway
                                 * id: "struct flows_igw *"s. */

    /* Gateway Load Balancer endpoints (flows-gwlb.c). */
    struct hmapx gwlb_epts;     /* "const struct plrec_vpc_endpoint *"s
                                 * whose VPC is local: routes to them are
                                 * realized here. */
    struct hmapx gwlb_backs;    /* The same, for the endpoints whose
                                 * decapsulated packets may come back here
                                 * (their VPC is local). */

    /* Gateway endpoints (flows-gw.c). */
    struct shash aws_ports;     /* AWS service ports of br-int, by short
                                 * name: "struct aws_service_port *"s. */
    struct hmapx gw_epts;       /* "const struct plrec_vpc_endpoint *"s
                                 * realized here: available gateway
                                 * endpoints of a local VPC whose service
                                 * runs somewhere we can reach. */
};

/* A count of references to one row, in a flows_ctx 'lb_refs' or
 * 'vpc_refs'. */
struct flows_ref {
    struct hmap_node node;      /* In the map, by hash_pointer(row). */
    const void *row;            /* The row. */
    unsigned int n;             /* Its number of references, > 0. */
};
unsigned int flows_ref_count(const struct hmap *, const void *row);
void flows_ref_add(struct hmap *, const void *row);
void flows_ref_del(struct hmap *, const void *row);
void flows_refs_destroy(struct hmap *);

/* What flows_run() keeps between calls for flows_handle_changes(). */
struct flows_state {
    struct flows_input in;      /* Copy of the latest inputs (ctx.in). */
    struct flows_ctx ctx;       /* The index, kept up to date by
                                 * incremental processing. */
    bool valid;                 /* Did a full computation make 'ctx'? */
};

/* ct_state values and masks: a new connection, an established one (either
 * direction), a reply of an established one. */
#define FLOWS_CS_NEW (CS_NEW | CS_TRACKED)
#define FLOWS_CS_NEW_MASK (CS_NEW | CS_INVALID | CS_TRACKED)
#define FLOWS_CS_EST (CS_ESTABLISHED | CS_TRACKED)
#define FLOWS_CS_EST_MASK (CS_NEW | CS_INVALID | CS_ESTABLISHED | CS_TRACKED)
#define FLOWS_CS_RPL (CS_ESTABLISHED | CS_REPLY_DIR | CS_TRACKED)
#define FLOWS_CS_RPL_MASK (CS_NEW | CS_INVALID | CS_ESTABLISHED \
                           | CS_REPLY_DIR | CS_TRACKED)

/* A NAT for flows_put_ct_nat(). */
struct flows_nat {
    bool snat;                  /* Source NAT, else destination NAT. */
    ovs_be32 ip;                /* The new address. */
    uint16_t port_min;          /* The new port range, or 0 to keep the */
    uint16_t port_max;          /* port. */
};

/* Incremental processing (flows.c). */
struct plrec_security_group;
bool flows_sgs_reference(struct plrec_security_group *const *sgs, size_t n,
                         const char *direction, const struct hmapx *groups);
bool flows_eni_update(struct flows_ctx *,
                      const struct plrec_network_interface *,
                      struct hmapx *build, struct ds *why);

/* Index lookups (flows.c). */
const struct flows_eni *flows_eni_find(const struct flows_ctx *,
                                       const struct plrec_network_interface *);
bool flows_parse_cidr(const char *, ovs_be32 *addr, unsigned int *plen);
bool flows_vpc_is_local(const struct flows_ctx *, const struct plrec_vpc *);
const struct flows_sg_members *flows_sg_members_find(
    const struct flows_ctx *, const struct uuid *group);

/* A builder of the flows of one address 'addr' of load balancer 'lb'. */
struct plrec_load_balancer;
typedef void flows_lb_address_cb(struct flows_ctx *,
                                 const struct plrec_load_balancer *lb,
                                 const struct flows_eni *addr);
void flows_for_each_lb_address(struct flows_ctx *,
                               const struct plrec_load_balancer *,
                               flows_lb_address_cb *);

/* Adding flows and building actions (flows.c). */
void flows_add(struct flows_ctx *, enum pl_stage, uint16_t priority,
               const struct uuid *source, const struct match *,
               const struct ofpbuf *ofpacts);
void flows_match_vpc(struct match *, const struct plrec_vpc *);
void flows_put_resubmit(struct ofpbuf *, enum pl_stage);
void flows_put_set_field(struct ofpbuf *, enum mf_field_id,
                         const void *value, const void *mask);
void flows_put_load32(struct ofpbuf *, enum mf_field_id, uint32_t value,
                      uint32_t mask);
void flows_put_move(struct ofpbuf *, enum mf_field_id src, int src_ofs,
                    enum mf_field_id dst, int dst_ofs, int n_bits);
void flows_put_output(struct ofpbuf *, ofp_port_t);
void flows_put_ct(struct ofpbuf *, enum mf_field_id zone, bool commit,
                  const enum pl_stage *recirc);
void flows_put_dec_ttl(struct ofpbuf *);
void flows_put_ct_nat(struct ofpbuf *, uint16_t zone, bool commit,
                      const struct flows_nat *, uint32_t mark,
                      enum pl_stage recirc);

/* ARP (flows-arp.c). */
void flows_put_arp_reply_any(struct ofpbuf *, struct eth_addr mac);
void flows_build_arp_eni(struct flows_ctx *, const struct flows_eni *);

/* Ports (flows-port.c) and security groups (flows-sg.c) of one ENI. */
void flows_build_port_eni(struct flows_ctx *, const struct flows_eni *);
void flows_build_sg_eni(struct flows_ctx *, const struct flows_eni *);

/* Destinations (flows-route.c). */
void flows_build_dest_eni(struct flows_ctx *, const struct flows_eni *);

/* The builders, one per area. */
void flows_build_classify(struct flows_ctx *);
void flows_build_port_sec(struct flows_ctx *);
void flows_build_out_port(struct flows_ctx *);
void flows_build_deliver(struct flows_ctx *);
void flows_build_arp(struct flows_ctx *);
void flows_build_dns(struct flows_ctx *);
void flows_build_sg(struct flows_ctx *);
void flows_build_route(struct flows_ctx *);
void flows_build_dest(struct flows_ctx *);

/* Interface endpoints (flows-ept.c). */
void flows_ept_index(struct flows_ctx *);
void flows_ept_index_destroy(struct flows_ctx *);
bool flows_ept_update(struct flows_ctx *, const struct plrec_vpc_endpoint *,
                      struct hmapx *enis, struct hmapx *build);
void flows_ept_build_endpoint(struct flows_ctx *,
                              const struct plrec_vpc_endpoint *);
struct plrec_target_group;
void flows_ept_users_of_tg(const struct flows_ctx *,
                           const struct plrec_target_group *,
                           struct hmapx *epts);
void flows_build_ept(struct flows_ctx *);
void flows_ept_put_check_mtu(const struct flows_ctx *, struct ofpbuf *);
bool flows_eni_is_inactive_endpoint(const struct flows_ctx *,
                                    const struct flows_eni *);

struct plrec_target;
bool flows_target_is_usable(const struct plrec_target *);

/* Internet gateway stand-ins (flows-igw.c). */
void flows_igw_index(struct flows_ctx *);
void flows_build_igw(struct flows_ctx *);
bool flows_igw_put_route(const struct flows_ctx *, const char *igw_id,
                         const struct plrec_vpc *, struct ofpbuf *);

/* Gateway Load Balancer endpoints (flows-gwlb.c). */
void flows_gwlb_index(struct flows_ctx *);
void flows_build_gwlb(struct flows_ctx *);
bool flows_gwlb_put_route(const struct flows_ctx *,
                          const struct plrec_vpc_endpoint *,
                          struct ofpbuf *);

/* Gateway endpoints and the region network (flows-gw.c). */
void flows_gw_index(struct flows_ctx *);
void flows_build_gw(struct flows_ctx *);
bool flows_gw_put_route(const struct flows_ctx *,
                        const struct plrec_vpc_endpoint *, struct ofpbuf *);

/* Security groups (flows-sg.c). */
enum flows_sg_direction {
    FLOWS_SG_EGRESS,            /* Egress rules, PL_IN_SG. */
    FLOWS_SG_INGRESS,           /* Ingress rules, PL_OUT_SG. */
    FLOWS_SG_EPT,               /* Ingress rules of an interface endpoint,
                                 * PL_IN_EPT_SG. */
};
struct plrec_security_group_rule;
void flows_sg_build_rule(struct flows_ctx *, enum flows_sg_direction,
                         const struct match *base,
                         const struct plrec_security_group_rule *,
                         const struct ofpbuf *ofpacts);

/* Routing helpers (flows-route.c). */
const struct plrec_route_table *flows_subnet_route_table(
    const struct flows_ctx *, const struct plrec_subnet *);

#endif /* controller/flows-private.h */
