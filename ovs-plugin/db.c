/*
 * db.c: plinkd's housekeeping of the PrivateLink database (see db.h).
 */
#include <config.h>
#include "db.h"

#include <stdlib.h>
#include <string.h>

#include "lib/plink-idl.h"
#include "catalog.h"
#include "openvswitch/vlog.h"
#include "ops.h"
#include "openvswitch/dynamic-string.h"
#include "openvswitch/poll-loop.h"
#include "ovsdb-idl.h"
#include "smap.h"
#include "timeval.h"
#include "util.h"

VLOG_DEFINE_THIS_MODULE(pldb);

/* The region's Availability Zones, as AWS names them in us-east-1. */
static const char *const az_suffixes[] = { "a", "b", "c" };

struct pldb {
    struct ovsdb_idl *idl;      /* The PrivateLink database. */
    char *remotes[2];           /* The remote list and its reverse. */
    int remote_idx;             /* Which one the IDL uses now. */
    long long int lost_at;      /* When the connection was lost, or 0. */
    long long int nudged_at;    /* When we last reopened the session. */
    char *region;               /* Region to create the global row with. */
    struct ovsdb_idl_txn *txn;  /* Housekeeping transaction in flight. */
    unsigned int done_seqno;    /* IDL seqno with nothing left to do. */
    struct ovsdb_idl_index *by_state; /* Vpc_Endpoint by state, to find the
                                       * pending ones without a walk over
                                       * every endpoint. */
};

/* Returns 'remotes' ("a,b,c") in reverse order ("c,b,a"). */
static char *
pldb_reverse_remotes(const char *remotes)
{
    struct ds out = DS_EMPTY_INITIALIZER;
    char *copy = xstrdup(remotes), *save = NULL;
    char *parts[64];
    size_t n = 0;
    for (char *r = strtok_r(copy, ",", &save); r && n < ARRAY_SIZE(parts);
         r = strtok_r(NULL, ",", &save)) {
        parts[n++] = r;
    }
    while (n--) {
        ds_put_format(&out, "%s%s", parts[n], n ? "," : "");
    }
    free(copy);
    return ds_steal_cstr(&out);
}

struct pldb *
pldb_create(struct ovsdb_idl *idl, const char *region, const char *remotes)
{
    struct pldb *db = xzalloc(sizeof *db);
    db->idl = idl;
    db->region = xstrdup(region);
    db->remotes[0] = xstrdup(remotes);
    db->remotes[1] = pldb_reverse_remotes(remotes);
    db->by_state = ovsdb_idl_index_create1(idl,
                                           &plrec_vpc_endpoint_col_state);
    return db;
}

/* A clustered database fails over in about a second, but the IDL's
 * reconnection backs off up to 8 s between attempts.  While the
 * connection is lost, reopen the session every 250 ms (alternating two
 * orders of the same remote list, so that the IDL takes it as new), so
 * that plinkd finds the new leader as soon as there is one. */
static void
pldb_keep_connecting(struct pldb *db)
{
    long long int now = time_msec();
    if (ovsdb_idl_is_connected(db->idl) || !strchr(db->remotes[0], ',')) {
        db->lost_at = 0;
        return;
    }
    if (!db->lost_at) {
        db->lost_at = db->nudged_at = now;
    } else if (now - db->nudged_at >= 250) {
        db->remote_idx = !db->remote_idx;
        ovsdb_idl_set_remote(db->idl, db->remotes[db->remote_idx], true);
        db->nudged_at = now;
    }
    poll_timer_wait_until(db->nudged_at + 250);
}

void
pldb_destroy(struct pldb *db)
{
    if (db) {
        if (db->txn) {
            ovsdb_idl_txn_destroy(db->txn);
        }
        free(db->region);
        free(db->remotes[0]);
        free(db->remotes[1]);
        free(db);
    }
}

/* Creates the global row, with the default options, and the zones. */
static void
pldb_seed(struct pldb *db, struct ovsdb_idl_txn *txn)
{
    const struct plrec_privatelink_global *g;
    g = plrec_privatelink_global_insert(txn);
    plrec_privatelink_global_set_region(g, db->region);
    plrec_privatelink_global_set_cfg(g, 0);
    plrec_privatelink_global_set_hv_cfg(g, 0);

    struct smap options = SMAP_INITIALIZER(&options);
    smap_add(&options, "interface_endpoints_per_vpc", "50");
    smap_add(&options, "gateway_endpoints_per_region", "20");
    smap_add(&options, "gateway_endpoints_per_vpc", "255");
    smap_add(&options, "mtu", "8500");
    plrec_privatelink_global_set_options(g, &options);
    smap_destroy(&options);

    for (size_t i = 0; i < ARRAY_SIZE(az_suffixes); i++) {
        char *name = xasprintf("%s%s", db->region, az_suffixes[i]);
        char *id = xasprintf("use1-az%"PRIuSIZE, i + 1);
        if (!az_find(db->idl, name, NULL)) {
            const struct plrec_availability_zone *az;
            az = plrec_availability_zone_insert(txn);
            plrec_availability_zone_set_zone_name(az, name);
            plrec_availability_zone_set_zone_id(az, id);
            plrec_availability_zone_set_state(az, "available");
        }
        free(name);
        free(id);
    }
    VLOG_INFO("created the PrivateLink_Global row for region %s",
              db->region);
}

/* Returns the cfg every chassis has realized: the lowest Chassis:nb_cfg,
 * or 'cfg' itself when there is no chassis. */
static int64_t
pldb_min_nb_cfg(struct ovsdb_idl *idl, int64_t cfg, int64_t *timestamp)
{
    const struct plrec_chassis *ch;
    int64_t min = cfg;

    *timestamp = 0;
    PLREC_CHASSIS_FOR_EACH (ch, idl) {
        if (ch->nb_cfg < min) {
            min = ch->nb_cfg;
        }
        if (ch->nb_cfg_timestamp > *timestamp) {
            *timestamp = ch->nb_cfg_timestamp;
        }
    }
    return min;
}

/* Moves to "available" every pending endpoint whose configuration every
 * chassis has realized (Vpc_Endpoint:pending_cfg <= 'hv_cfg'). */
static void
pldb_realize_endpoints(struct pldb *db, int64_t hv_cfg)
{
    struct plrec_vpc_endpoint *key
        = plrec_vpc_endpoint_index_init_row(db->by_state);
    const struct plrec_vpc_endpoint *ept;
    const struct plrec_vpc_endpoint **ready = NULL;
    size_t n = 0, allocated = 0;

    /* Collect first: setting the state moves a row within the index. */
    plrec_vpc_endpoint_index_set_state(key, "pending");
    PLREC_VPC_ENDPOINT_FOR_EACH_EQUAL (ept, key, db->by_state) {
        if (ept->pending_cfg <= hv_cfg) {
            if (n >= allocated) {
                ready = x2nrealloc(ready, &allocated, sizeof *ready);
            }
            ready[n++] = ept;
        }
    }
    plrec_vpc_endpoint_index_destroy_row(key);

    for (size_t i = 0; i < n; i++) {
        if (!db->txn) {
            db->txn = ovsdb_idl_txn_create(db->idl);
        }
        plrec_vpc_endpoint_verify_state(ready[i]);
        plrec_vpc_endpoint_set_state(ready[i], "available");
    }
    free(ready);
}

/* Updates PrivateLink_Global:hv_cfg and what depends on it. */
static void
pldb_update_hv_cfg(struct pldb *db, const struct plrec_privatelink_global *g)
{
    int64_t ts;
    int64_t hv_cfg = pldb_min_nb_cfg(db->idl, g->cfg, &ts);
    if (hv_cfg != g->hv_cfg) {
        db->txn = ovsdb_idl_txn_create(db->idl);
        plrec_privatelink_global_verify_cfg(g);
        plrec_privatelink_global_set_hv_cfg(g, hv_cfg);
        plrec_privatelink_global_set_hv_cfg_timestamp(g, ts);
    }
    pldb_realize_endpoints(db, hv_cfg);
}

/* Finishes the housekeeping transaction in flight, if it is done. */
static void
pldb_commit(struct pldb *db)
{
    enum ovsdb_idl_txn_status status = ovsdb_idl_txn_commit(db->txn);
    if (status == TXN_INCOMPLETE) {
        return;
    }
    if (status != TXN_SUCCESS && status != TXN_UNCHANGED
        && status != TXN_TRY_AGAIN) {
        static struct vlog_rate_limit rl = VLOG_RATE_LIMIT_INIT(1, 5);
        VLOG_WARN_RL(&rl, "housekeeping transaction failed: %s",
                     ovsdb_idl_txn_status_to_string(status));
    }
    ovsdb_idl_txn_destroy(db->txn);
    db->txn = NULL;
}

/* Does the housekeeping that the database needs.  'may_start_txn' is
 * false while the API has a transaction in flight. */
void
pldb_run(struct pldb *db, bool may_start_txn)
{
    pldb_keep_connecting(db);
    if (db->txn) {
        pldb_commit(db);
        return;
    }
    unsigned int seqno = ovsdb_idl_get_seqno(db->idl);
    if (!may_start_txn || !ovsdb_idl_has_ever_connected(db->idl)
        || !ovsdb_idl_is_connected(db->idl) || seqno == db->done_seqno) {
        return;
    }

    const struct plrec_privatelink_global *g
        = plrec_privatelink_global_first(db->idl);
    if (!g) {
        db->txn = ovsdb_idl_txn_create(db->idl);
        ovsdb_idl_txn_add_comment(db->txn, "plinkd: creating the region");
        pldb_seed(db, db->txn);
    } else if (catalog_needs_seed(db->idl)) {
        db->txn = ovsdb_idl_txn_create(db->idl);
        ovsdb_idl_txn_add_comment(db->txn, "plinkd: AWS service catalog");
        catalog_seed(db->idl, db->txn, g->region);
    } else {
        pldb_update_hv_cfg(db, g);
    }
    if (db->txn) {
        pldb_commit(db);
    } else {
        db->done_seqno = seqno;
    }
}

bool
pldb_has_txn(const struct pldb *db)
{
    return db->txn != NULL;
}

void
pldb_wait(struct pldb *db)
{
    if (db->txn) {
        ovsdb_idl_txn_wait(db->txn);
    }
}
