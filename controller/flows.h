/* SPDX-License-Identifier: Apache-2.0 */

#ifndef PLINK_FLOWS_H
#define PLINK_FLOWS_H 1

/* The flow builders: database rows in, desired OpenFlow flows out.
 *
 * flows_run() computes the complete desired flow table from its inputs
 * (today by full recompute; change handlers for the hot inputs come
 * later).  It builds:
 *
 *   - In every stage of PL_STAGES (pipeline.h), a priority-0 flow that
 *     implements the stage's table-miss behaviour: drop, or resubmit to
 *     the next stage.  Cookie: the PrivateLink_Global row.
 *
 *   - In PL_IN_CLASSIFY (table 0), priority 100, per port of br-int:
 *       . a local network interface (an OVS Interface whose
 *         external_ids:iface-id is a Network_Interface's
 *         network_interface_id): load its VPC's tunnel key into
 *         PL_MFF_VPC and its port into PL_MFF_INPORT, go to PL_IN_PORT_SEC.
 *         Cookie: the Network_Interface row.
 *       . a tunnel port (encaps.h): copy the VNI into PL_MFF_VPC, set
 *         PL_FLAG_FROM_TUNNEL, go to PL_OUT_SG.  Cookie: the remote
 *         Chassis row.
 *     Anything else entering br-int meets the priority-0 drop.
 *
 * Claiming a network interface (Network_Interface:chassis and up) is the
 * binding module's job, not done yet; classification only needs the
 * iface-id to match. */

struct ofctrl_flow_table;
struct ovsdb_idl;
struct ovsrec_bridge;

/* Everything the flow builders read. */
struct flows_input {
    const struct ovsdb_idl *pl_idl;     /* The PrivateLink database. */
    const struct ovsrec_bridge *br_int; /* The integration bridge. */
};

void flows_register_ovs_idl(struct ovsdb_idl *);
void flows_run(const struct flows_input *, struct ofctrl_flow_table *);

#endif /* controller/flows.h */
