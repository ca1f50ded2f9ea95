/* SPDX-License-Identifier: Apache-2.0 */

/* Keeping one GENEVE port per other chassis on br-int; see encaps.h. */

#include <config.h>

#include "encaps.h"

#include <string.h>

#include "hash.h"
#include "local-config.h"
#include "openvswitch/shash.h"
#include "openvswitch/vlog.h"
#include "ovsdb-idl.h"
#include "smap.h"
#include "util.h"
#include "lib/plink-idl.h"
#include "lib/vswitch-idl.h"

VLOG_DEFINE_THIS_MODULE(encaps);

/* The Port:external_ids key that marks our tunnel ports. */
#define ENCAPS_CHASSIS_KEY "plink-chassis"

/* A tunnel port that should exist. */
struct encaps_tunnel {
    const char *chassis;        /* Name of the remote Chassis row. */
    const char *remote_ip;      /* Its encap_ip. */
};

/* Asks 'ovs_idl' to replicate the columns this module reads and writes. */
void
encaps_register_ovs_idl(struct ovsdb_idl *ovs_idl)
{
    ovsdb_idl_add_column(ovs_idl, &ovsrec_port_col_external_ids);
    ovsdb_idl_add_column(ovs_idl, &ovsrec_interface_col_options);
}

/* Returns the name of the tunnel port to chassis 'chassis_name', as a
 * malloc'd string. */
char *
encaps_port_name(const char *chassis_name)
{
    return xasprintf("plgnv-%08"PRIx32, hash_string(chassis_name, 0));
}

/* Returns the chassis that tunnel port 'port' leads to, or NULL if 'port'
 * is not one of our tunnel ports. */
const char *
encaps_port_get_chassis(const struct ovsrec_port *port)
{
    return smap_get(&port->external_ids, ENCAPS_CHASSIS_KEY);
}

/* Fills 'tunnels' with the tunnels this chassis needs, keyed by port name:
 * one per other chassis with an encap IP that is not ours. */
static void
encaps_collect(const struct ovsdb_idl *pl_idl, const struct local_config *cfg,
               struct shash *tunnels)
{
    const struct plrec_chassis *ch;

    PLREC_CHASSIS_FOR_EACH (ch, pl_idl) {
        if (!strcmp(ch->name, cfg->system_id) || !ch->encap_ip[0]
            || strcmp(ch->encap_type, "geneve")
            || nullable_string_is_equal(ch->encap_ip, cfg->encap_ip)) {
            continue;
        }

        struct encaps_tunnel *t = xmalloc(sizeof *t);
        t->chassis = ch->name;
        t->remote_ip = ch->encap_ip;

        char *name = encaps_port_name(ch->name);
        if (!shash_add_once(tunnels, name, t)) {
            static struct vlog_rate_limit rl = VLOG_RATE_LIMIT_INIT(1, 5);
            VLOG_WARN_RL(&rl, "chassis %s: tunnel port name %s is taken, "
                         "no tunnel", ch->name, name);
            free(t);
        }
        free(name);
    }
}

/* Sets the type and options of 'iface' to those of tunnel 't'. */
static void
encaps_set_interface(const struct ovsrec_interface *iface,
                     const struct encaps_tunnel *t)
{
    struct smap options = SMAP_INITIALIZER(&options);

    smap_add(&options, "remote_ip", t->remote_ip);
    smap_add(&options, "key", "flow");
    if (strcmp(iface->type, "geneve")) {
        ovsrec_interface_set_type(iface, "geneve");
    }
    if (!smap_equal(&iface->options, &options)) {
        ovsrec_interface_set_options(iface, &options);
    }
    smap_destroy(&options);
}

/* Makes the existing tunnel port 'port' match 't'. */
static void
encaps_update_port(const struct ovsrec_port *port,
                   const struct encaps_tunnel *t)
{
    if (strcmp(encaps_port_get_chassis(port), t->chassis)) {
        struct smap ids = SMAP_INITIALIZER(&ids);

        smap_clone(&ids, &port->external_ids);
        smap_replace(&ids, ENCAPS_CHASSIS_KEY, t->chassis);
        ovsrec_port_set_external_ids(port, &ids);
        smap_destroy(&ids);
    }
    for (size_t i = 0; i < port->n_interfaces; i++) {
        encaps_set_interface(port->interfaces[i], t);
    }
}

/* Adds tunnel port 'name' for 't' to 'br_int'. */
static void
encaps_add_port(struct ovsdb_idl_txn *txn, const struct ovsrec_bridge *br_int,
                const char *name, const struct encaps_tunnel *t)
{
    VLOG_INFO("adding tunnel port %s to chassis %s (%s)", name, t->chassis,
              t->remote_ip);

    struct ovsrec_interface *iface = ovsrec_interface_insert(txn);
    ovsrec_interface_set_name(iface, name);
    encaps_set_interface(iface, t);

    const struct smap ids = SMAP_CONST1(&ids, ENCAPS_CHASSIS_KEY, t->chassis);
    struct ovsrec_port *port = ovsrec_port_insert(txn);
    ovsrec_port_set_name(port, name);
    ovsrec_port_set_interfaces(port, &iface, 1);
    ovsrec_port_set_external_ids(port, &ids);

    ovsrec_bridge_update_ports_addvalue(br_int, port);
}

/* Makes the tunnel ports on 'br_int' match the Chassis table: adds the
 * missing ones, fixes the changed ones, removes those of chassis that are
 * gone.  Does nothing without a transaction, a bridge or a system-id. */
void
encaps_run(struct ovsdb_idl_txn *txn, const struct ovsrec_bridge *br_int,
           const struct ovsdb_idl *pl_idl, const struct local_config *cfg)
{
    if (!txn || !br_int || !cfg->system_id) {
        return;
    }

    struct shash tunnels = SHASH_INITIALIZER(&tunnels);
    encaps_collect(pl_idl, cfg, &tunnels);

    for (size_t i = 0; i < br_int->n_ports; i++) {
        const struct ovsrec_port *port = br_int->ports[i];
        if (!encaps_port_get_chassis(port)) {
            continue;
        }

        struct encaps_tunnel *t = shash_find_and_delete(&tunnels, port->name);
        if (t) {
            encaps_update_port(port, t);
            free(t);
        } else {
            VLOG_INFO("removing tunnel port %s to chassis %s", port->name,
                      encaps_port_get_chassis(port));
            ovsrec_bridge_update_ports_delvalue(br_int, port);
        }
    }

    struct shash_node *node;
    SHASH_FOR_EACH (node, &tunnels) {
        encaps_add_port(txn, br_int, node->name, node->data);
    }
    shash_destroy_free_data(&tunnels);
}
