/* SPDX-License-Identifier: Apache-2.0 */

#ifndef PLINK_HEALTH_H
#define PLINK_HEALTH_H 1

/* health: the main thread's half of target health checks (pinctrl.h has
 * the other half).  This chassis checks the targets of network load
 * balancers whose ENI is bound here, from the load balancer's address,
 * and writes their verdicts into Target:health_state (and itself into
 * Target:health_checked_by); the flows then leave unhealthy targets out
 * of the endpoints' select groups (flows-ept.c). */

struct ovsdb_idl;
struct ovsdb_idl_txn;
struct plrec_chassis;

void health_run(struct ovsdb_idl_txn *, struct ovsdb_idl *,
                const struct plrec_chassis *);

#endif /* controller/health.h */
