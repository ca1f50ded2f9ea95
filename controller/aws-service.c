/* SPDX-License-Identifier: Apache-2.0 */

/* AWS service ports and their claim; see aws-service.h. */

#include <config.h>

#include "aws-service.h"

#include <string.h>

#include "encaps.h"
#include "flow.h"
#include "openvswitch/vlog.h"
#include "ovsdb-idl.h"
#include "pipeline.h"
#include "smap.h"
#include "svec.h"
#include "util.h"
#include "lib/plink-idl.h"
#include "lib/vswitch-idl.h"

VLOG_DEFINE_THIS_MODULE(aws_service);

/* Asks 'ovs_idl' to replicate the columns this module reads. */
void
aws_service_register_ovs_idl(struct ovsdb_idl *ovs_idl)
{
    ovsdb_idl_add_column(ovs_idl, &ovsrec_interface_col_ofport);
    ovsdb_idl_add_column(ovs_idl, &ovsrec_interface_col_external_ids);
}

/* Returns the short name of 'svc', the last label of its service name
 * ("s3"), or NULL if it is not one of the region's gateway services (it
 * has no backend address). */
const char *
aws_service_short_name(const struct plrec_endpoint_service *svc)
{
    const char *dot = strrchr(svc->service_name, '.');

    return (smap_get(&svc->backend, "ip") && dot && dot[1]
            ? dot + 1 : NULL);
}

/* Adds 'iface' to 'ports' if it has external_ids:'key' (its name in
 * 'ports'). */
static void
aws_service_add_iface(const struct ovsrec_interface *iface, const char *key,
                      struct shash *ports)
{
    const char *name = smap_get(&iface->external_ids, key);
    const char *mac = smap_get(&iface->external_ids, "attached-mac");
    struct aws_service_port port;

    if (!name || iface->n_ofport != 1 || iface->ofport[0] <= 0
        || iface->ofport[0] >= ofp_to_u16(OFPP_MAX)
        || shash_find(ports, name)) {
        return;
    }
    if (!mac || !eth_addr_from_string(mac, &port.mac)) {
        static struct vlog_rate_limit rl = VLOG_RATE_LIMIT_INIT(1, 5);
        VLOG_WARN_RL(&rl, "%s: AWS service port without a valid "
                     "external_ids:attached-mac", iface->name);
        return;
    }
    port.ofport = u16_to_ofp(iface->ofport[0]);
    shash_add(ports, name, xmemdup(&port, sizeof port));
}

/* Fills 'ports' with the ports of 'br_int' whose interface has
 * external_ids:'key', by its value. */
static void
aws_service_collect(const struct ovsrec_bridge *br_int, const char *key,
                    struct shash *ports)
{
    for (size_t i = 0; br_int && i < br_int->n_ports; i++) {
        const struct ovsrec_port *port = br_int->ports[i];

        if (encaps_port_get_chassis(port)) {
            continue;
        }
        for (size_t j = 0; j < port->n_interfaces; j++) {
            aws_service_add_iface(port->interfaces[j], key, ports);
        }
    }
}

/* Fills 'ports' with the AWS service ports of 'br_int': each service's
 * short name maps to a malloc'd struct aws_service_port (the caller frees
 * them, e.g. with shash_destroy_free_data()).  If two ports name the same
 * service, the first one found wins. */
void
aws_service_local_ports(const struct ovsrec_bridge *br_int,
                        struct shash *ports)
{
    aws_service_collect(br_int, "plink-aws-service", ports);
}

/* Fills 'ports' with the internet gateway stand-ins of 'br_int', by
 * internet gateway id, as aws_service_local_ports() does. */
void
aws_service_local_igws(const struct ovsrec_bridge *br_int,
                       struct shash *ports)
{
    aws_service_collect(br_int, "plink-igw", ports);
}

/* Returns the chassis of 'pl_idl' that publishes the internet gateway
 * stand-in 'igw_id' in other_config:plink-igws, or NULL. */
const struct plrec_chassis *
aws_service_igw_chassis(const struct ovsdb_idl *pl_idl, const char *igw_id)
{
    const struct plrec_chassis *ch;

    PLREC_CHASSIS_FOR_EACH (ch, pl_idl) {
        const char *list = smap_get(&ch->other_config, "plink-igws");
        size_t len = strlen(igw_id);

        for (const char *p = list; p && *p; p += strcspn(p, ",")) {
            p += *p == ',';
            if (!strncmp(p, igw_id, len) && (p[len] == ',' || !p[len])) {
                return ch;
            }
        }
    }
    return NULL;
}

/* Publishes, in 'txn', the internet gateway stand-ins of 'br_int' in our
 * Chassis row's other_config:plink-igws (sorted, comma-separated). */
static void
aws_service_publish_igws(const struct ovsrec_bridge *br_int,
                         const struct plrec_chassis *chassis)
{
    struct shash igws = SHASH_INITIALIZER(&igws);
    struct svec names = SVEC_EMPTY_INITIALIZER;
    struct shash_node *node;

    aws_service_local_igws(br_int, &igws);
    SHASH_FOR_EACH (node, &igws) {
        svec_add(&names, node->name);
    }
    svec_sort(&names);
    char *list = svec_join(&names, ",", "");
    const char *old = smap_get_def(&chassis->other_config, "plink-igws", "");
    if (strcmp(list, old)) {
        VLOG_INFO("internet gateway stand-ins here: %s",
                  *list ? list : "(none)");
        if (*list) {
            plrec_chassis_update_other_config_setkey(chassis, "plink-igws",
                                                     list);
        } else {
            plrec_chassis_update_other_config_delkey(chassis, "plink-igws");
        }
    }
    free(list);
    svec_destroy(&names);
    shash_destroy_free_data(&igws);
}

/* Claims, in 'txn', the gateway services that run on a port of 'br_int'
 * (backend:chassis = our name) and releases the ones that no longer do.
 * A service claimed by another chassis is taken over: the lab has one
 * port per service, and the newest one is where it runs. */
void
aws_service_run(struct ovsdb_idl_txn *txn, const struct ovsdb_idl *pl_idl,
                const struct ovsrec_bridge *br_int,
                const struct plrec_chassis *chassis)
{
    const struct plrec_endpoint_service *svc;
    struct shash ports = SHASH_INITIALIZER(&ports);

    if (!txn || !chassis) {
        return;
    }
    aws_service_local_ports(br_int, &ports);
    PLREC_ENDPOINT_SERVICE_FOR_EACH (svc, pl_idl) {
        const char *name = aws_service_short_name(svc);
        const char *owner = smap_get(&svc->backend, "chassis");
        bool here = owner && !strcmp(owner, chassis->name);

        if (!name) {
            continue;
        } else if (shash_find(&ports, name) && !here) {
            VLOG_INFO("claiming AWS service %s", svc->service_name);
            plrec_endpoint_service_update_backend_setkey(svc, "chassis",
                                                         chassis->name);
        } else if (!shash_find(&ports, name) && here) {
            VLOG_INFO("releasing AWS service %s", svc->service_name);
            plrec_endpoint_service_update_backend_delkey(svc, "chassis");
        }
    }
    shash_destroy_free_data(&ports);
    aws_service_publish_igws(br_int, chassis);
}
