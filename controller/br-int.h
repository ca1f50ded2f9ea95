/* SPDX-License-Identifier: Apache-2.0 */

#ifndef PLINK_BR_INT_H
#define PLINK_BR_INT_H 1

/* The integration bridge.
 *
 * plink-controller owns one bridge per chassis, "br-int" unless
 * external_ids:plink-bridge says otherwise.  Like ovn-controller, it
 * creates the bridge if it is missing, with fail_mode=secure (no NORMAL
 * flow when the controller is away: a PrivateLink switch forwards only
 * what its pipeline allows) and other_config:disable-in-band=true, and
 * keeps those settings and the configured datapath type in place.  Every
 * flow on the bridge belongs to the controller (see ofctrl.h). */

struct local_config;
struct ovsdb_idl;
struct ovsdb_idl_txn;
struct ovsrec_bridge;

void br_int_register_ovs_idl(struct ovsdb_idl *);
const struct ovsrec_bridge *br_int_run(struct ovsdb_idl_txn *,
                                       const struct ovsdb_idl *ovs_idl,
                                       const struct local_config *);

#endif /* controller/br-int.h */
