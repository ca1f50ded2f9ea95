/* SPDX-License-Identifier: Apache-2.0 */

#ifndef PLINK_BINDING_H
#define PLINK_BINDING_H 1

/* Binding network interfaces (ENIs) to this chassis.
 *
 * An ENI comes alive where an OVS interface on the integration bridge has
 * external_ids:iface-id equal to its Network_Interface:network_interface_id
 * and a valid OpenFlow port (a "local interface").  This module keeps
 * Network_Interface:chassis and :up in line with the local interfaces:
 *
 *   claim     A local interface whose ENI is unbound (or bound to a
 *             chassis that no longer exists, which the weak reference
 *             turns into "unbound"), or whose requested_chassis names us,
 *             is claimed: chassis = our Chassis row.  An ENI bound to
 *             another live chassis is left alone unless requested_chassis
 *             names us, so two chassis with a stale iface-id never fight
 *             over it; it stays inert here.  An ENI whose requested_chassis
 *             names another chassis is never claimed.
 *
 *   up        Once the switch holds a desired flow table computed after
 *             the claim (ofctrl_get_realized_seqno() has caught up with the
 *             table's seqno), up = true: the ENI's flows are installed.
 *
 *   release   When the local interface goes (or requested_chassis moves the
 *             ENI elsewhere), an ENI still bound to us is released:
 *             chassis = [], up = false.  One bound to another chassis
 *             meanwhile is not touched.
 *
 * Every other chassis learns from Network_Interface:chassis where to tunnel
 * the ENI's traffic.  The flow builders treat an ENI as bound here when it
 * has a local interface AND the database says chassis = us, so flows follow
 * the committed binding, never a claim in flight.
 *
 * An interface whose OpenFlow port number is above PL_CT_ZONE_ENI_MAX
 * (pipeline.h: the port number is the ENI's conntrack zone) is not a local
 * interface. */

#include <stddef.h>
#include <stdint.h>

struct ds;
struct ovsdb_idl;
struct ovsdb_idl_txn;
struct ovsrec_bridge;
struct plrec_chassis;
struct plrec_network_interface;
struct simap;

void binding_register_ovs_idl(struct ovsdb_idl *);
void binding_register_pl_idl(struct ovsdb_idl *);
size_t binding_bound_enis(const struct plrec_chassis *,
                          const struct plrec_network_interface ***);

void binding_init(void);
void binding_destroy(void);
void binding_run(struct ovsdb_idl_txn *, const struct ovsdb_idl *pl_idl,
                 const struct ovsrec_bridge *br_int,
                 const struct plrec_chassis *);
void binding_report_up(struct ovsdb_idl_txn *, const struct ovsdb_idl *pl_idl,
                       const struct ovsrec_bridge *br_int,
                       const struct plrec_chassis *,
                       uint64_t desired_seqno, uint64_t realized_seqno);
void binding_format(const struct ovsdb_idl *pl_idl,
                    const struct ovsrec_bridge *br_int,
                    const struct plrec_chassis *, struct ds *);

void binding_local_ifaces(const struct ovsrec_bridge *br_int,
                          struct simap *iface_ids);

#endif /* controller/binding.h */
