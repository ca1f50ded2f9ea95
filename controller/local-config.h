/* SPDX-License-Identifier: Apache-2.0 */

#ifndef PLINK_LOCAL_CONFIG_H
#define PLINK_LOCAL_CONFIG_H 1

/* The chassis's own configuration, as the operator (or plink-lab) writes it
 * into the local Open_vSwitch database, in Open_vSwitch:external_ids, the
 * way ovn-controller reads its "ovn-*" keys:
 *
 *   system-id                   the chassis name (required)
 *   hostname                    Chassis:hostname (default: gethostname())
 *   plink-remote                the PrivateLink database, e.g.
 *                               "unix:/run/pl.sock" or a comma-separated
 *                               list of a cluster's members
 *   plink-encap-ip              this chassis's underlay IP
 *   plink-encap-type            tunnel type (default and only: "geneve")
 *   plink-bridge                integration bridge (default "br-int")
 *   plink-bridge-datapath-type  its datapath type (default "netdev")
 *
 * local_config_read() turns them into a struct local_config that the other
 * modules take as input. */

#include <stdbool.h>

struct ds;
struct ovsrec_open_vswitch;

/* Open_vSwitch:external_ids, with the defaults applied.  Every member is a
 * malloc'd string. */
struct local_config {
    char *system_id;            /* Chassis name, or NULL if not set. */
    char *hostname;             /* Chassis:hostname. */
    char *pl_remote;            /* PrivateLink database remote, or NULL. */
    char *encap_ip;             /* Underlay IP, or NULL if not set. */
    char *encap_type;           /* Tunnel type: "geneve". */
    char *bridge;               /* Integration bridge name. */
    char *datapath_type;        /* Integration bridge datapath type. */
};

void local_config_init(struct local_config *);
void local_config_destroy(struct local_config *);
bool local_config_read(struct local_config *,
                       const struct ovsrec_open_vswitch *);
void local_config_format(const struct local_config *, struct ds *);

#endif /* controller/local-config.h */
