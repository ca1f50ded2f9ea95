/* SPDX-License-Identifier: Apache-2.0 */

#ifndef PLINK_CHASSIS_H
#define PLINK_CHASSIS_H 1

/* This chassis's row in the PrivateLink database's Chassis table.
 *
 * The controller registers its chassis under its system-id and keeps the
 * row's hostname, encap_type and encap_ip equal to its local configuration.
 * It never inserts a second row for the same name: it looks the name up
 * first, so a restarted controller adopts the row it made before (and the
 * schema's index on "name" rejects a duplicate anyway).  The row stays when
 * the controller exits, like a hypervisor's entry in OVN's southbound
 * database across restarts.
 *
 * The row is also where the chassis reports progress: nb_cfg is the highest
 * PrivateLink_Global:cfg whose flows the switch has installed, with
 * nb_cfg_timestamp the wall-clock time (ms) we learnt it. */

#include <stdint.h>

struct local_config;
struct ovsdb_idl;
struct ovsdb_idl_txn;
struct plrec_chassis;

void chassis_register_pl_idl(struct ovsdb_idl *);
const struct plrec_chassis *chassis_run(struct ovsdb_idl_txn *,
                                        const struct ovsdb_idl *pl_idl,
                                        const struct local_config *);
void chassis_update_nb_cfg(struct ovsdb_idl_txn *,
                           const struct plrec_chassis *, int64_t nb_cfg);
const struct plrec_chassis *chassis_lookup_by_name(const struct ovsdb_idl *,
                                                   const char *name);

#endif /* controller/chassis.h */
