/* SPDX-License-Identifier: Apache-2.0 */

/* Claiming and releasing network interfaces; see binding.h. */

#include <config.h>

#include "binding.h"

#include <string.h>

#include "encaps.h"
#include "openvswitch/dynamic-string.h"
#include "openvswitch/shash.h"
#include "openvswitch/vlog.h"
#include "ovsdb-idl.h"
#include "pipeline.h"
#include "simap.h"
#include "smap.h"
#include "util.h"
#include "lib/plink-idl.h"
#include "lib/vswitch-idl.h"

VLOG_DEFINE_THIS_MODULE(binding);

/* ENIs bound to this chassis whose 'up' we have not set yet, by
 * network_interface_id; each value is a malloc'd uint64_t, the seqno of the
 * first desired flow table computed while the ENI was bound here.  Once the
 * switch has realized that table, the ENI is up. */
static struct shash pending_up = SHASH_INITIALIZER(&pending_up);

/* Indexes of the PrivateLink IDL's Network_Interface table, so that a pass
 * of the main loop looks only at the local interfaces and the ENIs bound
 * here, not at every ENI of the region. */
static struct ovsdb_idl_index *eni_by_id;
static struct ovsdb_idl_index *eni_by_chassis;

/* Creates the indexes this module reads in 'pl_idl' (before it
 * connects). */
void
binding_register_pl_idl(struct ovsdb_idl *pl_idl)
{
    eni_by_id = ovsdb_idl_index_create1(
        pl_idl, &plrec_network_interface_col_network_interface_id);
    eni_by_chassis = ovsdb_idl_index_create1(
        pl_idl, &plrec_network_interface_col_chassis);
}

/* Returns the ENI whose network_interface_id is 'id', or NULL. */
static const struct plrec_network_interface *
binding_find_eni(const char *id)
{
    struct plrec_network_interface *key
        = plrec_network_interface_index_init_row(eni_by_id);
    const struct plrec_network_interface *eni;

    plrec_network_interface_index_set_network_interface_id(key, id);
    eni = plrec_network_interface_index_find(eni_by_id, key);
    plrec_network_interface_index_destroy_row(key);
    return eni;
}

/* Stores in '*enis' (malloc'd) the ENIs bound to 'chassis' and returns
 * their number.  (A copy, so that the caller may change them.) */
size_t
binding_bound_enis(const struct plrec_chassis *chassis,
                   const struct plrec_network_interface ***enis)
{
    struct plrec_network_interface *key
        = plrec_network_interface_index_init_row(eni_by_chassis);
    const struct plrec_network_interface *eni;
    size_t n = 0, allocated = 0;

    *enis = NULL;
    plrec_network_interface_index_set_chassis(key, chassis);
    PLREC_NETWORK_INTERFACE_FOR_EACH_EQUAL (eni, key, eni_by_chassis) {
        if (n >= allocated) {
            *enis = x2nrealloc(*enis, &allocated, sizeof **enis);
        }
        (*enis)[n++] = eni;
    }
    plrec_network_interface_index_destroy_row(key);
    return n;
}

/* Asks 'ovs_idl' to replicate the columns this module reads. */
void
binding_register_ovs_idl(struct ovsdb_idl *ovs_idl)
{
    ovsdb_idl_add_column(ovs_idl, &ovsrec_interface_col_ofport);
    ovsdb_idl_add_column(ovs_idl, &ovsrec_interface_col_external_ids);
    ovsdb_idl_add_column(ovs_idl, &ovsrec_port_col_external_ids);
}

/* Initializes the module.  Call once, before anything else in it. */
void
binding_init(void)
{
    shash_init(&pending_up);
}

/* Frees what the module holds. */
void
binding_destroy(void)
{
    shash_destroy_free_data(&pending_up);
}

/* Returns the OpenFlow port number of 'iface' if it can be a local
 * interface: assigned, and small enough to be a conntrack zone number
 * (pipeline.h); otherwise 0. */
static unsigned int
binding_iface_ofport(const struct ovsrec_interface *iface)
{
    if (iface->n_ofport != 1 || iface->ofport[0] <= 0
        || iface->ofport[0] > PL_CT_ZONE_ENI_MAX) {
        return 0;
    }
    return iface->ofport[0];
}

/* Fills 'iface_ids' with the local interfaces of 'br_int': each
 * external_ids:iface-id maps to the interface's OpenFlow port.  Tunnel
 * ports never count.  If two interfaces claim the same iface-id, the one
 * with the smaller port number wins, whatever the order of the ports. */
void
binding_local_ifaces(const struct ovsrec_bridge *br_int,
                     struct simap *iface_ids)
{
    for (size_t i = 0; br_int && i < br_int->n_ports; i++) {
        const struct ovsrec_port *port = br_int->ports[i];

        if (encaps_port_get_chassis(port)) {
            continue;
        }
        for (size_t j = 0; j < port->n_interfaces; j++) {
            const struct ovsrec_interface *iface = port->interfaces[j];
            const char *id = smap_get(&iface->external_ids, "iface-id");
            unsigned int ofport = binding_iface_ofport(iface);

            if (id && ofport) {
                unsigned int old = simap_get(iface_ids, id);
                if (!old || ofport < old) {
                    simap_put(iface_ids, id, ofport);
                }
            }
        }
    }
}

/* Returns true if 'eni' may be bound to 'chassis': requested_chassis is
 * empty or names it. */
static bool
binding_allowed(const struct plrec_network_interface *eni,
                const struct plrec_chassis *chassis)
{
    return (!eni->requested_chassis
            || !strcmp(eni->requested_chassis, chassis->name));
}

/* Returns true if 'chassis' should take 'eni', which has a local
 * interface here and is not bound to 'chassis': see "claim" in
 * binding.h. */
static bool
binding_should_claim(const struct plrec_network_interface *eni,
                     const struct plrec_chassis *chassis)
{
    if (!binding_allowed(eni, chassis)) {
        return false;
    }
    if (!eni->chassis || eni->requested_chassis) {
        return true;
    }

    static struct vlog_rate_limit rl = VLOG_RATE_LIMIT_INIT(1, 60);
    VLOG_INFO_RL(&rl, "%s: bound to chassis %s, not claiming it",
                 eni->network_interface_id, eni->chassis->name);
    return false;
}

/* Binds 'eni' to 'chassis' in the current transaction: chassis = us, up =
 * false until its flows are installed.  The verify makes the transaction
 * fail, and us try again, if another chassis claimed it meanwhile. */
static void
binding_claim(const struct plrec_network_interface *eni,
              const struct plrec_chassis *chassis)
{
    VLOG_INFO("claiming %s (%s, %s)%s%s", eni->network_interface_id,
              eni->private_ip_address, eni->mac_address,
              eni->chassis ? " from chassis " : "",
              eni->chassis ? eni->chassis->name : "");
    plrec_network_interface_verify_chassis(eni);
    plrec_network_interface_set_chassis(eni, chassis);
    if (eni->up) {
        plrec_network_interface_set_up(eni, false);
    }
}

/* Unbinds 'eni' in the current transaction (chassis = [], up = false),
 * unless, by the time it commits, another chassis has bound it. */
static void
binding_release(const struct plrec_network_interface *eni)
{
    VLOG_INFO("releasing %s", eni->network_interface_id);
    plrec_network_interface_verify_chassis(eni);
    plrec_network_interface_set_chassis(eni, NULL);
    if (eni->up) {
        plrec_network_interface_set_up(eni, false);
    }
}

/* Claims the ENIs that have a local interface on 'br_int' and releases
 * those bound to 'chassis' that no longer do, in 'txn'.  Does nothing
 * without a transaction, a bridge or our Chassis row (the local database
 * may not have been read yet, and releasing everything then would be
 * wrong). */
void
binding_run(struct ovsdb_idl_txn *txn,
            const struct ovsdb_idl *pl_idl OVS_UNUSED,
            const struct ovsrec_bridge *br_int,
            const struct plrec_chassis *chassis)
{
    if (!txn || !br_int || !chassis) {
        return;
    }

    struct simap ifaces = SIMAP_INITIALIZER(&ifaces);
    const struct plrec_network_interface **bound;
    const struct simap_node *node;

    /* Claim the local interfaces' ENIs, release the ENIs bound here that
     * are not local any more. */
    binding_local_ifaces(br_int, &ifaces);
    SIMAP_FOR_EACH (node, &ifaces) {
        const struct plrec_network_interface *eni
            = binding_find_eni(node->name);

        if (eni && eni->chassis != chassis && binding_allowed(eni, chassis)
            && binding_should_claim(eni, chassis)) {
            binding_claim(eni, chassis);
        }
    }
    size_t n = binding_bound_enis(chassis, &bound);
    for (size_t i = 0; i < n; i++) {
        if (!simap_contains(&ifaces, bound[i]->network_interface_id)
            || !binding_allowed(bound[i], chassis)) {
            binding_release(bound[i]);
        }
    }
    free(bound);
    simap_destroy(&ifaces);
}

/* Sets 'up' on the ENIs bound to 'chassis' whose flows the switch has
 * installed: those bound here since a desired table whose seqno is at most
 * 'realized_seqno'.  'desired_seqno' is the seqno of the current desired
 * table, computed from the same database contents as we see now.  Call it
 * only while the desired table is complete. */
void
binding_report_up(struct ovsdb_idl_txn *txn,
                  const struct ovsdb_idl *pl_idl OVS_UNUSED,
                  const struct ovsrec_bridge *br_int,
                  const struct plrec_chassis *chassis,
                  uint64_t desired_seqno, uint64_t realized_seqno)
{
    if (!br_int || !chassis) {
        return;
    }

    struct shash still_pending = SHASH_INITIALIZER(&still_pending);
    struct simap ifaces = SIMAP_INITIALIZER(&ifaces);
    const struct plrec_network_interface **bound;

    binding_local_ifaces(br_int, &ifaces);
    size_t n = binding_bound_enis(chassis, &bound);
    for (size_t i = 0; i < n; i++) {
        const struct plrec_network_interface *eni = bound[i];
        const char *id = eni->network_interface_id;
        if (eni->chassis != chassis || eni->up
            || !simap_contains(&ifaces, id)
            || shash_find(&still_pending, id)) {
            continue;
        }

        uint64_t *seqno = shash_find_and_delete(&pending_up, id);
        if (!seqno) {
            seqno = xmalloc(sizeof *seqno);
            *seqno = desired_seqno;
        }
        if (txn && realized_seqno >= *seqno) {
            VLOG_INFO("%s is up", id);
            plrec_network_interface_set_up(eni, true);
            free(seqno);
        } else {
            shash_add(&still_pending, id, seqno);
        }
    }
    free(bound);
    simap_destroy(&ifaces);

    /* What is left in 'pending_up' is no longer bound here.  (Cleared,
     * not destroyed: the swap hands its buckets to 'still_pending', which
     * frees them.) */
    shash_clear_free_data(&pending_up);
    shash_swap(&pending_up, &still_pending);
    shash_destroy(&still_pending);
}

/* Appends to 's' one line per local interface of 'br_int': its iface-id,
 * OpenFlow port and what the database says about its binding. */
void
binding_format(const struct ovsdb_idl *pl_idl,
               const struct ovsrec_bridge *br_int,
               const struct plrec_chassis *chassis, struct ds *s)
{
    struct simap ifaces = SIMAP_INITIALIZER(&ifaces);
    const struct plrec_network_interface *eni;

    binding_local_ifaces(br_int, &ifaces);
    PLREC_NETWORK_INTERFACE_FOR_EACH (eni, pl_idl) {
        unsigned int ofport = simap_get(&ifaces, eni->network_interface_id);
        if (!ofport) {
            continue;
        }
        ds_put_format(s, "%s ofport %u %s %s: %s%s\n",
                      eni->network_interface_id, ofport,
                      eni->private_ip_address, eni->mac_address,
                      (!eni->chassis ? "unbound"
                       : eni->chassis == chassis ? "bound here"
                       : "bound to "),
                      (eni->chassis && eni->chassis != chassis
                       ? eni->chassis->name
                       : eni->up ? ", up" : ""));
        simap_find_and_delete(&ifaces, eni->network_interface_id);
    }

    const struct simap_node **nodes = simap_sort(&ifaces);
    for (size_t i = 0; i < simap_count(&ifaces); i++) {
        ds_put_format(s, "%s ofport %u: no such network interface\n",
                      nodes[i]->name, nodes[i]->data);
    }
    free(nodes);
    simap_destroy(&ifaces);
}
