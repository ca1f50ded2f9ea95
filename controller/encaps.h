/* SPDX-License-Identifier: Apache-2.0 */

#ifndef PLINK_ENCAPS_H
#define PLINK_ENCAPS_H 1

/* Tunnel ports: one GENEVE port on the integration bridge per other
 * chassis.
 *
 * For every other Chassis row with an encap_ip, br-int gets a port
 *
 *     name        plgnv-XXXXXXXX  (8 hex digits of a hash of the chassis
 *                                  name: names fit IFNAMSIZ whatever the
 *                                  chassis is called)
 *     type        geneve
 *     options     remote_ip=<its encap_ip>, key=flow (the VNI is set per
 *                 packet: the VPC's tunnel key)
 *     Port:external_ids:plink-chassis=<chassis name>
 *
 * and the port goes when the row goes.  external_ids:plink-chassis marks
 * the ports this module owns; it never touches other ports.  The underlay
 * itself (the encap IP on a br-phy internal port, see lab-notes §5) is the
 * lab's business, not the controller's. */

struct local_config;
struct ovsdb_idl;
struct ovsdb_idl_txn;
struct ovsrec_bridge;
struct ovsrec_port;

void encaps_register_ovs_idl(struct ovsdb_idl *);
void encaps_run(struct ovsdb_idl_txn *, const struct ovsrec_bridge *br_int,
                const struct ovsdb_idl *pl_idl, const struct local_config *);

char *encaps_port_name(const char *chassis_name);
const char *encaps_port_get_chassis(const struct ovsrec_port *);

#endif /* controller/encaps.h */
