/* SPDX-License-Identifier: Apache-2.0 */

/* Creating and maintaining the integration bridge; see br-int.h. */

#include <config.h>

#include "br-int.h"

#include <string.h>

#include "local-config.h"
#include "openvswitch/vlog.h"
#include "ovsdb-idl.h"
#include "smap.h"
#include "util.h"
#include "lib/vswitch-idl.h"

VLOG_DEFINE_THIS_MODULE(br_int);

/* Asks 'ovs_idl' to replicate the columns this module reads and writes. */
void
br_int_register_ovs_idl(struct ovsdb_idl *ovs_idl)
{
    ovsdb_idl_add_table(ovs_idl, &ovsrec_table_open_vswitch);
    ovsdb_idl_add_column(ovs_idl, &ovsrec_open_vswitch_col_external_ids);
    ovsdb_idl_add_column(ovs_idl, &ovsrec_open_vswitch_col_bridges);

    ovsdb_idl_add_table(ovs_idl, &ovsrec_table_bridge);
    ovsdb_idl_add_column(ovs_idl, &ovsrec_bridge_col_name);
    ovsdb_idl_add_column(ovs_idl, &ovsrec_bridge_col_fail_mode);
    ovsdb_idl_add_column(ovs_idl, &ovsrec_bridge_col_datapath_type);
    ovsdb_idl_add_column(ovs_idl, &ovsrec_bridge_col_other_config);
    ovsdb_idl_add_column(ovs_idl, &ovsrec_bridge_col_ports);

    ovsdb_idl_add_table(ovs_idl, &ovsrec_table_port);
    ovsdb_idl_add_column(ovs_idl, &ovsrec_port_col_name);
    ovsdb_idl_add_column(ovs_idl, &ovsrec_port_col_interfaces);

    ovsdb_idl_add_table(ovs_idl, &ovsrec_table_interface);
    ovsdb_idl_add_column(ovs_idl, &ovsrec_interface_col_name);
    ovsdb_idl_add_column(ovs_idl, &ovsrec_interface_col_type);
}

static const struct ovsrec_bridge *
br_int_lookup(const struct ovsdb_idl *ovs_idl, const char *name)
{
    const struct ovsrec_bridge *br;

    OVSREC_BRIDGE_FOR_EACH (br, ovs_idl) {
        if (!strcmp(br->name, name)) {
            return br;
        }
    }
    return NULL;
}

/* Adds a bridge configured as 'cfg' says, with its internal port, to
 * 'ovs' in 'txn'. */
static void
br_int_create(struct ovsdb_idl_txn *txn,
              const struct ovsrec_open_vswitch *ovs,
              const struct local_config *cfg)
{
    ovsdb_idl_txn_add_comment(txn, "plink-controller: creating integration "
                              "bridge %s", cfg->bridge);
    VLOG_INFO("creating integration bridge %s (datapath type %s)",
              cfg->bridge, cfg->datapath_type);

    struct ovsrec_interface *iface = ovsrec_interface_insert(txn);
    ovsrec_interface_set_name(iface, cfg->bridge);
    ovsrec_interface_set_type(iface, "internal");

    struct ovsrec_port *port = ovsrec_port_insert(txn);
    ovsrec_port_set_name(port, cfg->bridge);
    ovsrec_port_set_interfaces(port, &iface, 1);

    struct smap other_config = SMAP_INITIALIZER(&other_config);
    smap_add(&other_config, "disable-in-band", "true");

    struct ovsrec_bridge *br = ovsrec_bridge_insert(txn);
    ovsrec_bridge_set_name(br, cfg->bridge);
    ovsrec_bridge_set_fail_mode(br, "secure");
    ovsrec_bridge_set_datapath_type(br, cfg->datapath_type);
    ovsrec_bridge_set_other_config(br, &other_config);
    ovsrec_bridge_set_ports(br, &port, 1);
    smap_destroy(&other_config);

    ovsrec_open_vswitch_update_bridges_addvalue(ovs, br);
}

/* Puts back the settings the controller relies on, if someone changed
 * them. */
static void
br_int_repair(const struct ovsrec_bridge *br, const struct local_config *cfg)
{
    if (strcmp(br->datapath_type, cfg->datapath_type)) {
        VLOG_INFO("%s: setting datapath type %s", br->name,
                  cfg->datapath_type);
        ovsrec_bridge_set_datapath_type(br, cfg->datapath_type);
    }
    if (!br->fail_mode || strcmp(br->fail_mode, "secure")) {
        VLOG_INFO("%s: setting fail_mode secure", br->name);
        ovsrec_bridge_set_fail_mode(br, "secure");
    }
    if (!smap_get_bool(&br->other_config, "disable-in-band", false)) {
        ovsrec_bridge_update_other_config_setkey(br, "disable-in-band",
                                                 "true");
    }
}

/* Returns the integration bridge that 'cfg' names, or NULL if it does not
 * exist (yet).  With a transaction 'txn' (NULL while the previous one is in
 * flight), creates the bridge if it is missing, or repairs its settings. */
const struct ovsrec_bridge *
br_int_run(struct ovsdb_idl_txn *txn, const struct ovsdb_idl *ovs_idl,
           const struct local_config *cfg)
{
    const struct ovsrec_open_vswitch *ovs = ovsrec_open_vswitch_first(ovs_idl);
    const struct ovsrec_bridge *br = br_int_lookup(ovs_idl, cfg->bridge);

    if (!txn || !ovs) {
        return br;
    }
    if (!br) {
        br_int_create(txn, ovs, cfg);
    } else {
        br_int_repair(br, cfg);
    }
    return br;
}
