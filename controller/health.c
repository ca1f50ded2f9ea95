/* SPDX-License-Identifier: Apache-2.0 */

/* health: see health.h. */

#include <config.h>

#include "health.h"

#include <stdlib.h>
#include <string.h>

#include "ovsdb-idl.h"
#include "packets.h"
#include "pinctrl.h"
#include "binding.h"
#include "pipeline.h"
#include "smap.h"
#include "util.h"
#include "lib/plink-idl.h"

/* Returns the ENI of 'vpc' bound to 'chassis' with address 'ip', or
 * NULL. */
static const struct plrec_network_interface *
health_local_eni(struct ovsdb_idl *idl OVS_UNUSED,
                 const struct plrec_vpc *vpc,
                 const struct plrec_chassis *chassis, const char *ip)
{
    const struct plrec_network_interface **bound, *found = NULL;
    size_t n = binding_bound_enis(chassis, &bound);

    for (size_t i = 0; i < n && !found; i++) {
        const struct plrec_network_interface *eni = bound[i];
        if (eni->subnet && eni->subnet->vpc == vpc
            && !strcmp(eni->private_ip_address, ip)) {
            found = eni;
        }
    }
    free(bound);
    return found;
}

/* Returns the address of 'lb' in availability zone 'az', else its first
 * one, or NULL. */
static const struct plrec_network_interface *
health_lb_address(const struct plrec_load_balancer *lb, const char *az)
{
    for (size_t i = 0; i < lb->n_network_interfaces; i++) {
        const struct plrec_network_interface *a = lb->network_interfaces[i];
        if (a->subnet && !strcmp(a->subnet->availability_zone, az)) {
            return a;
        }
    }
    return lb->n_network_interfaces ? lb->network_interfaces[0] : NULL;
}

/* Fills '*ht' for target 't' of target group 'tg' behind 'lb', whose ENI
 * is 'eni'.  Returns false if something does not parse. */
static bool
health_target_init(const struct plrec_load_balancer *lb,
                   const struct plrec_target_group *tg,
                   const struct plrec_target *t,
                   const struct plrec_network_interface *eni,
                   struct pinctrl_health_target *ht)
{
    const struct plrec_network_interface *addr
        = health_lb_address(lb, t->availability_zone);
    const char *port_s = smap_get_def(&tg->health_check, "port",
                                      "traffic-port");
    /* GENEVE's port is UDP: a GWLB's appliances are checked on TCP 80
     * unless the target group names a port (AWS's default for GENEVE
     * target groups). */
    int64_t port = (strcmp(port_s, "traffic-port") ? atoi(port_s)
                    : !strcmp(tg->protocol, "GENEVE") ? 80 : t->port);

    memset(ht, 0, sizeof *ht);
    ht->uuid = t->header_.uuid;
    ht->port = port;
    ht->vpc_key = lb->vpc->tunnel_key;
    ht->router_mac = pl_router_mac(lb->vpc->tunnel_key);
    ht->interval_ms = 1000 * smap_get_int(&tg->health_check,
                                          "interval_seconds", 30);
    ht->healthy_threshold = smap_get_int(&tg->health_check,
                                         "healthy_threshold", 5);
    ht->unhealthy_threshold = smap_get_int(&tg->health_check,
                                           "unhealthy_threshold", 2);
    return (addr && port > 0 && port < 65536
            && ht->interval_ms > 0
            && ip_parse(t->ip, &ht->ip)
            && ip_parse(addr->private_ip_address, &ht->lb_ip)
            && eth_addr_from_string(eni->mac_address, &ht->mac));
}

/* Appends to '*targets' the targets of load balancers (network: TCP
 * targets; gateway: GENEVE appliances) bound to 'chassis', each once. */
static size_t
health_collect(struct ovsdb_idl *idl, const struct plrec_chassis *chassis,
               struct pinctrl_health_target **targets)
{
    const struct plrec_load_balancer *lb;
    size_t n = 0, allocated = 0;

    *targets = NULL;
    PLREC_LOAD_BALANCER_FOR_EACH (lb, idl) {
        if (!lb->vpc) {
            continue;
        }
        for (size_t i = 0; i < lb->n_listeners; i++) {
            const struct plrec_target_group *tg
                = lb->listeners[i]->target_group;

            if (!tg || !smap_get_bool(&tg->health_check, "enabled", true)) {
                continue;
            }
            for (size_t j = 0; j < tg->n_targets; j++) {
                const struct plrec_target *t = tg->targets[j];
                const struct plrec_network_interface *eni
                    = health_local_eni(idl, lb->vpc, chassis, t->ip);
                struct pinctrl_health_target ht;
                bool dup = false;

                if (!eni || !strcmp(t->health_state, "unused")
                    || !health_target_init(lb, tg, t, eni, &ht)) {
                    continue;
                }
                for (size_t k = 0; k < n; k++) {
                    dup |= uuid_equals(&(*targets)[k].uuid, &ht.uuid);
                }
                if (!dup) {
                    if (n >= allocated) {
                        *targets = x2nrealloc(*targets, &allocated,
                                              sizeof **targets);
                    }
                    (*targets)[n++] = ht;
                }
            }
        }
    }
    return n;
}

/* Tells pinctrl which targets to check, and writes the verdicts it has
 * reached into the database (with 'txn', if nonnull). */
void
health_run(struct ovsdb_idl_txn *txn, struct ovsdb_idl *idl,
           const struct plrec_chassis *chassis)
{
    struct pinctrl_health_target *targets = NULL;
    size_t n = chassis ? health_collect(idl, chassis, &targets) : 0;

    pinctrl_set_health_targets(targets, n);
    free(targets);
    if (!txn || !chassis) {
        return;
    }

    struct pinctrl_health_result *results;
    size_t n_results = pinctrl_get_health(&results);
    for (size_t i = 0; i < n_results; i++) {
        const struct plrec_target *t
            = plrec_target_get_for_uuid(idl, &results[i].uuid);
        const char *state = results[i].healthy ? "healthy" : "unhealthy";

        if (t && strcmp(t->health_state, "unused")
            && strcmp(t->health_state, state)) {
            plrec_target_set_health_state(t, state);
            plrec_target_set_health_checked_by(t, chassis);
        }
    }
    free(results);
}
