/* SPDX-License-Identifier: Apache-2.0 */

#ifndef PLINK_FLOWS_H
#define PLINK_FLOWS_H 1

#include <stdbool.h>

/* The flow builders: database rows in, desired OpenFlow flows out.
 *
 * flows_run() computes the complete desired flow table from its inputs
 * (a full recompute) and keeps the index it made; flows_handle_changes()
 * then applies the PrivateLink database's tracked changes to that index
 * and to the table, in time proportional to the changed rows' flows, when
 * it can (see flows-inc.c for which changes it handles), and otherwise
 * says so: then the caller runs flows_run() again.  The pipeline it builds, stage by stage, is described in
 * pipeline.h; flows-private.h says which file builds which stage.  In
 * short:
 *
 *   - every stage of PL_STAGES gets a priority-0 flow that implements its
 *     table-miss behaviour (drop, or resubmit to the next stage);
 *   - every network interface bound here (binding.h) gets its
 *     classification, port security, security groups, egress lookup and
 *     delivery flows; every tunnel port its classification and delivery;
 *   - every VPC with an ENI bound here gets its ARP responder, its routes
 *     and the location (local port or tunnel) of each of its ENIs;
 *   - every active interface endpoint of such a VPC gets its NAT to the
 *     targets of its service's load balancers (flows-ept.c), which makes
 *     the load balancers' VPCs local too.
 *
 * Cookies: a flow's cookie names the row that made it: the
 * Network_Interface, Subnet, Vpc, Route_Entry, Security_Group_Rule,
 * Vpc_Endpoint, Load_Balancer or remote Chassis row; flows that belong to the pipeline as a whole (stage
 * defaults, conntrack plumbing, broadcast drops) carry the
 * PrivateLink_Global row's. */

struct ofctrl_flow_table;
struct ovsdb_idl;
struct ovsrec_bridge;
struct plrec_chassis;

/* Everything the flow builders read. */
struct flows_input {
    const struct ovsdb_idl *pl_idl;     /* The PrivateLink database. */
    const struct ovsrec_bridge *br_int; /* The integration bridge. */
    const struct plrec_chassis *chassis; /* This chassis's row. */
};

struct ds;
struct flows_state;

void flows_register_ovs_idl(struct ovsdb_idl *);
struct flows_state *flows_state_create(void);
void flows_state_destroy(struct flows_state *);
void flows_run(const struct flows_input *, struct flows_state *,
               struct ofctrl_flow_table *);
bool flows_handle_changes(const struct flows_input *, struct flows_state *,
                          struct ofctrl_flow_table *, struct ds *why);

#endif /* controller/flows.h */
