/* SPDX-License-Identifier: Apache-2.0 */

/* Incremental processing: flows_handle_changes() applies the changes that
 * the PrivateLink IDL tracked since the last computation to the index and
 * the desired table that flows_run() made, in time proportional to the
 * flows of the changed rows, for the changes that are frequent at scale:
 *
 *   - an interface endpoint created, changed (accepted, rejected, its
 *     security groups, ...) or deleted, with its network interfaces
 *     (flows_ept_update(), flows_eni_update());
 *   - a target registered, deregistered or changing health: the endpoints
 *     realized here whose load balancers forward to its target group are
 *     built again;
 *   - columns that no flow reads (PrivateLink_Global:cfg, Chassis:nb_cfg,
 *     tags, Network_Interface:status, private DNS verification, ...):
 *     nothing to do.
 *
 * Anything else (a VPC, subnet, route table or association, security group
 * rule, load balancer, listener, gateway or GWLB endpoint, a bound ENI,
 * ...) makes it return false with the reason, and the caller recomputes
 * everything; so does a change that reaches beyond its own rows' flows (an
 * endpoint that is the first or last to lead to a load balancer, or that
 * makes a VPC local).  The pipeline tests check, after every step, that
 * the incremental result equals a full recompute (as OVN's do). */

#include <config.h>

#include "flows.h"

#include <string.h>

#include "flows-private.h"
#include "hmapx.h"
#include "idl-track.h"
#include "ofctrl.h"
#include "openvswitch/dynamic-string.h"
#include "ovsdb-idl.h"
#include "util.h"
#include "lib/plink-idl.h"

/* More changed rows than this in one computation: recompute instead (a
 * reconnection that reloads the database, a bulk insert). */
#define FLOWS_INC_MAX_ROWS 1000

/* Columns that no flow depends on: a row whose changes are all among them
 * needs no work.  (The columns the controller does not replicate, and those
 * whose alerts it omits, are never tracked, so they are not listed:
 * plink-controller.c.) */
static const struct ovsdb_idl_column *const flows_inc_ignored[] = {
    &plrec_privatelink_global_col_cfg,
    &plrec_privatelink_global_col_external_ids,
    &plrec_chassis_col_hostname,
    &plrec_chassis_col_external_ids,
    &plrec_network_interface_col_requested_chassis,
    &plrec_endpoint_service_col_private_dns_name,
    &plrec_endpoint_service_col_private_dns_state,
    &plrec_target_col_health_reason,
    &plrec_target_group_col_tags,
    &plrec_load_balancer_col_tags,
    &plrec_vpc_col_tags,
    &plrec_subnet_col_tags,
    &plrec_security_group_col_tags,
    &plrec_route_table_col_tags,
    &plrec_internet_gateway_col_tags,
};

/* The changed rows that incremental processing handles. */
struct flows_inc_changes {
    struct hmapx epts;          /* Interface endpoints (Vpc_Endpoint). */
    struct hmapx enis;          /* Endpoints' network interfaces. */
    struct hmapx tgs;           /* Target groups whose targets changed. */
    size_t n_rows;              /* Number of tracked rows seen. */
};

/* Adds to 'changes' the target groups that list 'target'.  (A walk over
 * the target groups, not over the endpoints.) */
static void
flows_inc_target_changed(const struct flows_ctx *ctx,
                         const struct plrec_target *target,
                         struct flows_inc_changes *changes)
{
    const struct plrec_target_group *tg;

    PLREC_TARGET_GROUP_FOR_EACH (tg, ctx->in->pl_idl) {
        for (size_t i = 0; i < tg->n_targets; i++) {
            if (tg->targets[i] == target) {
                hmapx_add(&changes->tgs,
                          CONST_CAST(struct plrec_target_group *, tg));
            }
        }
    }
}

/* Sorts the tracked change 'row' of table 'tc' into 'changes'.  Returns
 * false, with the reason in 'why', if incremental processing does not
 * handle it. */
static bool
flows_inc_classify(const struct flows_ctx *ctx,
                   const struct ovsdb_idl_table_class *tc,
                   const struct ovsdb_idl_row *row,
                   struct flows_inc_changes *changes, struct ds *why)
{
    if (idl_track_only_columns(tc, row, flows_inc_ignored,
                               ARRAY_SIZE(flows_inc_ignored))) {
        return true;
    }
    if (tc == &plrec_table_vpc_endpoint) {
        const struct plrec_vpc_endpoint *ept
            = CONTAINER_OF(row, struct plrec_vpc_endpoint, header_);
        if (!strcmp(ept->vpc_endpoint_type, "Interface")) {
            hmapx_add(&changes->epts, CONST_CAST(void *, ept));
            return true;
        }
    } else if (tc == &plrec_table_network_interface) {
        const struct plrec_network_interface *eni
            = CONTAINER_OF(row, struct plrec_network_interface, header_);
        if (!strcmp(eni->interface_type, "vpc_endpoint")) {
            hmapx_add(&changes->enis, CONST_CAST(void *, eni));
            return true;
        }
    } else if (tc == &plrec_table_target) {
        flows_inc_target_changed(
            ctx, CONTAINER_OF(row, struct plrec_target, header_), changes);
        return true;
    } else if (tc == &plrec_table_target_group
               && !idl_track_is_new_or_deleted(row)) {
        hmapx_add(&changes->tgs,
                  CONTAINER_OF(row, struct plrec_target_group, header_));
        return true;
    } else if (tc == &plrec_table_service_permission
               || tc == &plrec_table_availability_zone) {
        return true;
    }
    ds_put_format(why, "%s row "UUID_FMT" %s", tc->name,
                  UUID_ARGS(&row->uuid),
                  (ovsdb_idl_row_get_seqno(row, OVSDB_IDL_CHANGE_INSERT)
                   ? "inserted"
                   : ovsdb_idl_row_get_seqno(row, OVSDB_IDL_CHANGE_DELETE)
                   ? "deleted" : "changed"));
    return false;
}

/* Collects the tracked changes of the PrivateLink database into
 * 'changes'.  Returns false, with the reason in 'why', if one of them is
 * not handled incrementally. */
static bool
flows_inc_collect(const struct flows_ctx *ctx,
                  struct flows_inc_changes *changes, struct ds *why)
{
    for (size_t i = 0; i < plrec_idl_class.n_tables; i++) {
        const struct ovsdb_idl_table_class *tc = &plrec_idl_class.tables[i];
        const struct ovsdb_idl_row *row;

        for (row = ovsdb_idl_track_get_first(ctx->in->pl_idl, tc); row;
             row = ovsdb_idl_track_get_next(row)) {
            if (++changes->n_rows > FLOWS_INC_MAX_ROWS) {
                ds_put_format(why, "more than %d rows changed",
                              FLOWS_INC_MAX_ROWS);
                return false;
            }
            if (!flows_inc_classify(ctx, tc, row, changes, why)) {
                return false;
            }
        }
    }
    return true;
}

/* A network interface of an active endpoint whose endpoint did not change
 * too may only have changed in columns no flow reads: otherwise the
 * endpoint's flows (built from its address) would be stale. */
static bool
flows_inc_check_enis(const struct flows_ctx *ctx,
                     const struct flows_inc_changes *changes, struct ds *why)
{
    const struct hmapx_node *node;

    HMAPX_FOR_EACH (node, &changes->enis) {
        const struct plrec_network_interface *eni = node->data;
        bool covered = false;

        if (!hmapx_contains(&ctx->ept_enis, node->data)) {
            continue;
        }
        const struct hmapx_node *e;
        HMAPX_FOR_EACH (e, &changes->epts) {
            const struct plrec_vpc_endpoint *ept = e->data;
            for (size_t i = 0; i < ept->n_network_interfaces; i++) {
                covered |= ept->network_interfaces[i] == eni;
            }
        }
        if (!covered) {
            ds_put_format(why, "network interface %s of an active endpoint "
                          "changed", eni->network_interface_id);
            return false;
        }
    }
    return true;
}

/* Applies 'changes' to the index and the table of 'ctx'.  Returns false,
 * with the reason in 'why', if a change reaches beyond its rows' flows. */
static bool
flows_inc_apply(struct flows_ctx *ctx, struct flows_inc_changes *changes,
                struct ds *why)
{
    struct hmapx build = HMAPX_INITIALIZER(&build);
    const struct hmapx_node *node;
    bool ok = true;

    HMAPX_FOR_EACH (node, &changes->tgs) {
        const struct plrec_target_group *tg = node->data;

        if (!strcmp(tg->protocol, "GENEVE")) {
            /* Gateway Load Balancer appliances: flows-gwlb.c. */
            ds_put_format(why, "targets of GENEVE target group %s changed",
                          tg->name);
            ok = false;
            goto out;
        }
        flows_ept_users_of_tg(ctx, tg, &changes->epts);
    }
    HMAPX_FOR_EACH (node, &changes->epts) {
        const struct plrec_vpc_endpoint *ept = node->data;

        if (!flows_ept_update(ctx, ept, &changes->enis, &build)) {
            ds_put_format(why, "endpoint %s changes which load balancers "
                          "or VPCs are realized here", ept->vpc_endpoint_id);
            ok = false;
            goto out;
        }
    }
    HMAPX_FOR_EACH (node, &changes->enis) {
        if (!flows_eni_update(ctx, node->data, &build, why)) {
            ok = false;
            goto out;
        }
    }
    HMAPX_FOR_EACH (node, &build) {
        flows_ept_build_endpoint(ctx, node->data);
    }
out:
    hmapx_destroy(&build);
    return ok;
}

/* Applies the PrivateLink database's tracked changes to the index in
 * 'state' and to 'table', which flows_run() computed (and earlier calls
 * kept up to date) from the same databases.  Returns true if it did; false,
 * with the reason in 'why', if it cannot: then 'state' and 'table' are
 * unusable until the caller runs flows_run(). */
bool
flows_handle_changes(const struct flows_input *in, struct flows_state *state,
                     struct ofctrl_flow_table *table, struct ds *why)
{
    struct flows_inc_changes changes = {
        .epts = HMAPX_INITIALIZER(&changes.epts),
        .enis = HMAPX_INITIALIZER(&changes.enis),
        .tgs = HMAPX_INITIALIZER(&changes.tgs),
    };
    struct flows_ctx *ctx = &state->ctx;
    bool ok;

    if (!state->valid) {
        ds_put_cstr(why, "no full computation yet");
        return false;
    }
    state->in = *in;
    ctx->table = table;
    ok = (flows_inc_collect(ctx, &changes, why)
          && flows_inc_check_enis(ctx, &changes, why)
          && flows_inc_apply(ctx, &changes, why));

    hmapx_destroy(&changes.epts);
    hmapx_destroy(&changes.enis);
    hmapx_destroy(&changes.tgs);
    return ok;
}
