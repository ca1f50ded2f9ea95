/* SPDX-License-Identifier: Apache-2.0 */

/* Registering and updating this chassis's Chassis row; see chassis.h. */

#include <config.h>

#include "chassis.h"

#include <string.h>

#include "local-config.h"
#include "openvswitch/vlog.h"
#include "ovsdb-idl.h"
#include "timeval.h"
#include "util.h"
#include "lib/plink-idl.h"

VLOG_DEFINE_THIS_MODULE(chassis);

/* Tells 'pl_idl' that changes to the Chassis progress columns do not need
 * to wake anyone up: every chassis writes them after every push, and no
 * flow depends on them. */
void
chassis_register_pl_idl(struct ovsdb_idl *pl_idl)
{
    ovsdb_idl_omit_alert(pl_idl, &plrec_chassis_col_nb_cfg);
    ovsdb_idl_omit_alert(pl_idl, &plrec_chassis_col_nb_cfg_timestamp);
}

/* Returns the Chassis row called 'name', or NULL. */
const struct plrec_chassis *
chassis_lookup_by_name(const struct ovsdb_idl *pl_idl, const char *name)
{
    const struct plrec_chassis *ch;

    PLREC_CHASSIS_FOR_EACH (ch, pl_idl) {
        if (!strcmp(ch->name, name)) {
            return ch;
        }
    }
    return NULL;
}

/* Sets the columns of 'ch' that mirror the local configuration 'cfg',
 * touching only those that differ. */
static void
chassis_update(const struct plrec_chassis *ch, const struct local_config *cfg)
{
    const char *encap_ip = cfg->encap_ip ? cfg->encap_ip : "";

    if (strcmp(ch->hostname, cfg->hostname)) {
        plrec_chassis_set_hostname(ch, cfg->hostname);
    }
    if (strcmp(ch->encap_type, cfg->encap_type)) {
        plrec_chassis_set_encap_type(ch, cfg->encap_type);
    }
    if (strcmp(ch->encap_ip, encap_ip)) {
        VLOG_INFO("chassis %s: encap_ip %s", cfg->system_id,
                  encap_ip[0] ? encap_ip : "(none)");
        plrec_chassis_set_encap_ip(ch, encap_ip);
    }
}

/* Returns this chassis's row, once it exists in the database, or NULL.
 * With a transaction 'txn' (NULL while the previous one is in flight),
 * inserts the row if it is missing and keeps its columns up to date.  A
 * row inserted now is not returned before the transaction commits, because
 * only then does it have its final UUID (the cookie of its flows). */
const struct plrec_chassis *
chassis_run(struct ovsdb_idl_txn *txn, const struct ovsdb_idl *pl_idl,
            const struct local_config *cfg)
{
    if (!cfg->system_id) {
        return NULL;
    }

    const struct plrec_chassis *ch = chassis_lookup_by_name(pl_idl,
                                                            cfg->system_id);
    if (!txn) {
        return ch;
    }
    if (ch) {
        chassis_update(ch, cfg);
        return ch;
    }

    VLOG_INFO("registering chassis %s", cfg->system_id);
    ovsdb_idl_txn_add_comment(txn, "plink-controller: registering chassis "
                              "%s", cfg->system_id);
    struct plrec_chassis *new = plrec_chassis_insert(txn);
    plrec_chassis_set_name(new, cfg->system_id);
    plrec_chassis_set_hostname(new, cfg->hostname);
    plrec_chassis_set_encap_type(new, cfg->encap_type);
    plrec_chassis_set_encap_ip(new, cfg->encap_ip ? cfg->encap_ip : "");
    return NULL;
}

/* Reports in 'ch' that the switch has realized PrivateLink_Global:cfg
 * 'nb_cfg', if 'ch' does not say so already.  A negative 'nb_cfg' means
 * "not known yet" (e.g. just after a restart): then 'ch' keeps what the
 * previous run reported. */
void
chassis_update_nb_cfg(struct ovsdb_idl_txn *txn,
                      const struct plrec_chassis *ch, int64_t nb_cfg)
{
    if (txn && ch && nb_cfg >= 0 && ch->nb_cfg != nb_cfg) {
        plrec_chassis_set_nb_cfg(ch, nb_cfg);
        plrec_chassis_set_nb_cfg_timestamp(ch, time_wall_msec());
    }
}
