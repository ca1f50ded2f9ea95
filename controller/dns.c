/* SPDX-License-Identifier: Apache-2.0 */

/* dns: the table of names the VPC resolvers answer (see dns.h).
 *
 * The main thread builds a complete new table from the database whenever
 * the IDL's seqno changes, then swaps it in under 'dns_mutex'; the pinctrl
 * thread only reads it, under the same mutex, and copies out what it
 * needs.  A table is a handful of names per endpoint, so rebuilding it is
 * cheap next to the flow computation that the same change causes. */

#include <config.h>

#include "dns.h"

#include <ctype.h>
#include <string.h>
#include <sys/socket.h>

#include "hash.h"
#include "hmapx.h"
#include "idl-track.h"
#include "openvswitch/dynamic-string.h"
#include "openvswitch/hmap.h"
#include "openvswitch/vlog.h"
#include "ovs-thread.h"
#include "ovsdb-idl.h"
#include "packets.h"
#include "smap.h"
#include "socket-util.h"
#include "util.h"
#include "uuid.h"
#include "lib/plink-idl.h"

VLOG_DEFINE_THIS_MODULE(dns);

/* One name that one VPC's resolver answers. */
struct dns_name {
    struct hmap_node node;      /* In 'names' of a dns_table, by
                                 * dns_name_hash(). */
    uint32_t vpc_key;           /* The VPC's tunnel key. */
    char *name;                 /* Lower case, no final dot; a wildcard
                                 * starts with "*.". */
    ovs_be32 *ips;              /* Its IPv4 addresses, each once. */
    unsigned int *ip_refs;      /* For each of 'ips', how many times the
                                 * endpoints added it. */
    size_t n_ips;               /* Number of 'ips'. */
    size_t allocated_ips;       /* Allocated size of 'ips'. */
    unsigned int refs;          /* How many times the endpoints added the
                                 * name: it goes when this reaches 0. */
};

/* One name (and address, or 0) that an endpoint added to the table. */
struct dns_ref {
    struct dns_name *name;      /* The name. */
    ovs_be32 ip;                /* The address it added, or 0. */
};

/* What one endpoint added to the table, so that incremental processing can
 * take it out when the endpoint changes. */
struct dns_contrib {
    struct hmap_node node;      /* In a dns_table's 'contribs', by UUID. */
    struct uuid uuid;           /* The Vpc_Endpoint row's UUID. */
    struct dns_ref *refs;       /* What it added. */
    size_t n_refs;              /* Number of 'refs'. */
    size_t allocated_refs;      /* Allocated size of 'refs'. */
};

/* Everything the resolvers need, built by the main thread (in one go, or
 * kept up to date endpoint by endpoint under 'dns_mutex'). */
struct dns_table {
    struct hmap names;                   /* "struct dns_name"s. */
    struct sockaddr_storage *upstreams;  /* options:dns_upstream. */
    size_t n_upstreams;                  /* Number of 'upstreams'. */
    struct hmap contribs;                /* "struct dns_contrib"s. */
};

/* The table the pinctrl thread reads, and the mutex that guards it. */
static struct ovs_mutex dns_mutex = OVS_MUTEX_INITIALIZER;
static struct dns_table *dns_table OVS_GUARDED_BY(dns_mutex);

/* Main thread: the PrivateLink IDL seqno the table was built from. */
static unsigned int dns_seqno;
static bool dns_built;

/* Main thread: how often the table was built from scratch, and updated
 * incrementally. */
static unsigned int dns_n_rebuilds;
static unsigned int dns_n_incremental;

static uint32_t
dns_name_hash(uint32_t vpc_key, const char *name)
{
    return hash_string(name, vpc_key);
}

/* Returns the entry for 'name' in 'vpc_key' in 't', or NULL. */
static struct dns_name *
dns_table_find(const struct dns_table *t, uint32_t vpc_key, const char *name)
{
    struct dns_name *n;

    HMAP_FOR_EACH_WITH_HASH (n, node, dns_name_hash(vpc_key, name),
                             &t->names) {
        if (n->vpc_key == vpc_key && !strcmp(n->name, name)) {
            return n;
        }
    }
    return NULL;
}

/* Adds to 't' the address 'ip' for 'name' (any case, a final dot allowed)
 * in 'vpc_key', on behalf of the endpoint whose additions 'contrib'
 * records.  An 'ip' of 0 only makes the name known. */
static void
dns_table_add(struct dns_table *t, uint32_t vpc_key, const char *name,
              ovs_be32 ip, struct dns_contrib *contrib)
{
    char *lower = xstrdup(name);
    size_t len = strlen(lower);

    for (size_t i = 0; i < len; i++) {
        lower[i] = tolower((unsigned char) lower[i]);
    }
    if (len && lower[len - 1] == '.') {
        lower[len - 1] = '\0';
    }

    struct dns_name *n = dns_table_find(t, vpc_key, lower);
    if (!n) {
        n = xzalloc(sizeof *n);
        n->vpc_key = vpc_key;
        n->name = lower;
        hmap_insert(&t->names, &n->node, dns_name_hash(vpc_key, lower));
    } else {
        free(lower);
    }
    n->refs++;
    if (contrib->n_refs >= contrib->allocated_refs) {
        contrib->refs = x2nrealloc(contrib->refs, &contrib->allocated_refs,
                                   sizeof *contrib->refs);
    }
    contrib->refs[contrib->n_refs++] = (struct dns_ref) { n, ip };
    if (!ip) {
        return;
    }
    for (size_t i = 0; i < n->n_ips; i++) {
        if (n->ips[i] == ip) {
            n->ip_refs[i]++;
            return;
        }
    }
    if (n->n_ips >= n->allocated_ips) {
        n->ips = x2nrealloc(n->ips, &n->allocated_ips, sizeof *n->ips);
        n->ip_refs = xrealloc(n->ip_refs,
                              n->allocated_ips * sizeof *n->ip_refs);
    }
    n->ip_refs[n->n_ips] = 1;
    n->ips[n->n_ips++] = ip;
}

static void
dns_name_destroy(struct dns_name *n)
{
    free(n->name);
    free(n->ips);
    free(n->ip_refs);
    free(n);
}

/* Takes what 'contrib' records out of 't' and frees 'contrib'.  An address
 * goes when no endpoint has it any more (the others keep their order), a
 * name when no endpoint adds it. */
static void
dns_contrib_remove(struct dns_table *t, struct dns_contrib *contrib)
{
    for (size_t i = 0; i < contrib->n_refs; i++) {
        struct dns_name *n = contrib->refs[i].name;
        ovs_be32 ip = contrib->refs[i].ip;

        for (size_t j = 0; ip && j < n->n_ips; j++) {
            if (n->ips[j] == ip) {
                if (!--n->ip_refs[j]) {
                    n->n_ips--;
                    memmove(&n->ips[j], &n->ips[j + 1],
                            (n->n_ips - j) * sizeof *n->ips);
                    memmove(&n->ip_refs[j], &n->ip_refs[j + 1],
                            (n->n_ips - j) * sizeof *n->ip_refs);
                }
                break;
            }
        }
        if (!--n->refs) {
            hmap_remove(&t->names, &n->node);
            dns_name_destroy(n);
        }
    }
    hmap_remove(&t->contribs, &contrib->node);
    free(contrib->refs);
    free(contrib);
}

/* Returns the record of what the endpoint with UUID 'uuid' added to 't', or
 * NULL. */
static struct dns_contrib *
dns_contrib_find(const struct dns_table *t, const struct uuid *uuid)
{
    struct dns_contrib *c;

    HMAP_FOR_EACH_WITH_HASH (c, node, uuid_hash(uuid), &t->contribs) {
        if (uuid_equals(&c->uuid, uuid)) {
            return c;
        }
    }
    return NULL;
}

static void
dns_table_destroy(struct dns_table *t)
{
    if (t) {
        struct dns_name *n;

        struct dns_contrib *c;

        HMAP_FOR_EACH_POP (n, node, &t->names) {
            dns_name_destroy(n);
        }
        hmap_destroy(&t->names);
        HMAP_FOR_EACH_POP (c, node, &t->contribs) {
            free(c->refs);
            free(c);
        }
        hmap_destroy(&t->contribs);
        free(t->upstreams);
        free(t);
    }
}

/* Building the table.
 * =================== */

/* Returns the address of 'eni', or 0 if it does not parse. */
static ovs_be32
dns_eni_ip(const struct plrec_network_interface *eni)
{
    ovs_be32 ip;

    return ip_parse(eni->private_ip_address, &ip) ? ip : 0;
}

/* Returns true if 'ept' is an interface endpoint that answers: pending or
 * available, in a VPC with a resolver. */
static bool
dns_endpoint_is_active(const struct plrec_vpc_endpoint *ept)
{
    return (!strcmp(ept->vpc_endpoint_type, "Interface")
            && (!strcmp(ept->state, "available")
                || !strcmp(ept->state, "pending"))
            && ept->vpc && ept->vpc->enable_dns_support);
}

/* Stores in '*name' the private DNS name of 'ept''s service, if any, and
 * returns true if 'ept' answers it in its VPC. */
static bool
dns_endpoint_private_name(const struct plrec_vpc_endpoint *ept,
                          const char **name)
{
    const struct plrec_endpoint_service *svc = ept->service;

    *name = svc ? svc->private_dns_name : NULL;
    return (ept->private_dns_enabled && ept->vpc->enable_dns_hostnames
            && *name && svc->private_dns_state
            && !strcmp(svc->private_dns_state, "verified"));
}

/* Adds to 't' the name 'name' of endpoint 'ept' with its addresses: those
 * of all its ENIs, or with 'az' only that of its ENI in zone 'az'. */
static void
dns_add_endpoint_name(struct dns_table *t,
                      const struct plrec_vpc_endpoint *ept,
                      const char *name, const char *az,
                      struct dns_contrib *contrib)
{
    uint32_t key = ept->vpc->tunnel_key;

    dns_table_add(t, key, name, 0, contrib);
    for (size_t i = 0; i < ept->n_network_interfaces; i++) {
        const struct plrec_network_interface *eni
            = ept->network_interfaces[i];

        if (!az || (eni->subnet
                    && !strcmp(eni->subnet->availability_zone, az))) {
            dns_table_add(t, key, name, dns_eni_ip(eni), contrib);
        }
    }
}

/* Adds to 't' the names of endpoint 'ept': its regional and zonal names
 * from its dns_entries (recognized by their first label, so that only
 * plinkd knows how they are spelled), and its service's private name. */
static void
dns_add_endpoint(struct dns_table *t, const struct plrec_vpc_endpoint *ept)
{
    struct dns_contrib *contrib = xzalloc(sizeof *contrib);

    contrib->uuid = ept->header_.uuid;
    hmap_insert(&t->contribs, &contrib->node, uuid_hash(&contrib->uuid));
    char *regional = xasprintf("%s-%s.", ept->vpc_endpoint_id,
                               ept->dns_suffix);
    char *zonal = xasprintf("%s-%s-", ept->vpc_endpoint_id, ept->dns_suffix);
    size_t zonal_len = strlen(zonal);
    const struct smap_node *entry;
    const char *private_name;

    SMAP_FOR_EACH (entry, &ept->dns_entries) {
        const char *name = entry->key;

        if (!strncasecmp(name, regional, strlen(regional))) {
            dns_add_endpoint_name(t, ept, name, NULL, contrib);
        } else if (!strncasecmp(name, zonal, zonal_len)) {
            const char *dot = strchr(name + zonal_len, '.');
            char *az = xmemdup0(name + zonal_len,
                                dot ? dot - (name + zonal_len) : 0);

            dns_add_endpoint_name(t, ept, name, az, contrib);
            free(az);
        }
    }
    if (dns_endpoint_private_name(ept, &private_name)) {
        dns_add_endpoint_name(t, ept, private_name, NULL, contrib);
    }
    free(regional);
    free(zonal);
}

/* Parses the comma-separated "IP[:PORT]" list 's' into 't''s upstreams,
 * complaining (rate-limited) about entries that do not parse. */
static void
dns_parse_upstreams(struct dns_table *t, const char *s)
{
    char *copy = xstrdup(s);
    char *save_ptr = NULL;
    size_t allocated = 0;

    for (char *token = strtok_r(copy, ", ", &save_ptr); token;
         token = strtok_r(NULL, ", ", &save_ptr)) {
        struct sockaddr_storage ss;

        if (!inet_parse_active(token, DNS_PORT, &ss, false, NULL)
            || ss.ss_family != AF_INET) {
            static struct vlog_rate_limit rl = VLOG_RATE_LIMIT_INIT(1, 5);
            VLOG_WARN_RL(&rl, "dns_upstream: \"%s\" is not IPv4[:PORT]",
                         token);
            continue;
        }
        if (t->n_upstreams >= allocated) {
            t->upstreams = x2nrealloc(t->upstreams, &allocated,
                                      sizeof *t->upstreams);
        }
        t->upstreams[t->n_upstreams++] = ss;
    }
    free(copy);
}

/* Returns a new table built from 'idl'. */
static struct dns_table *
dns_table_build(struct ovsdb_idl *idl)
{
    const struct plrec_privatelink_global *global
        = plrec_privatelink_global_first(idl);
    const struct plrec_vpc_endpoint *ept;
    struct dns_table *t = xzalloc(sizeof *t);

    hmap_init(&t->names);
    hmap_init(&t->contribs);
    PLREC_VPC_ENDPOINT_FOR_EACH (ept, idl) {
        if (dns_endpoint_is_active(ept)) {
            dns_add_endpoint(t, ept);
        }
    }
    const char *upstream = global ? smap_get(&global->options,
                                             "dns_upstream") : NULL;
    if (upstream) {
        dns_parse_upstreams(t, upstream);
    }
    return t;
}

/* Incremental processing.
 * ======================= */

/* Columns of the tables the table is built from that it does not read:
 * changes to them alone need no work.  (Columns the controller does not
 * replicate or track are never reported changed: not listed.) */
static const struct ovsdb_idl_column *const dns_ignored[] = {
    &plrec_privatelink_global_col_cfg,
    &plrec_privatelink_global_col_external_ids,
    &plrec_network_interface_col_network_interface_id,
    &plrec_network_interface_col_mac_address,
    &plrec_network_interface_col_security_groups,
    &plrec_network_interface_col_interface_type,
    &plrec_network_interface_col_source_dest_check,
    &plrec_network_interface_col_chassis,
    &plrec_network_interface_col_requested_chassis,
    &plrec_endpoint_service_col_network_load_balancers,
    &plrec_endpoint_service_col_gateway_load_balancers,
    &plrec_endpoint_service_col_prefix_list,
    &plrec_endpoint_service_col_backend,
    &plrec_subnet_col_state,
    &plrec_subnet_col_map_public_ip_on_launch,
    &plrec_subnet_col_default_for_az,
    &plrec_subnet_col_tags,
    &plrec_vpc_col_state,
    &plrec_vpc_col_tags,
    &plrec_vpc_col_external_ids,
};

/* Collects into 'epts' the endpoints that the IDL's tracked changes
 * touch.  Returns false if another change matters to the table (a VPC's,
 * subnet's or service's name or key, an ENI's address, the upstreams):
 * then it is built again from scratch.  New and deleted ENIs need no work
 * of their own: their endpoint changes with them. */
static bool
dns_collect(const struct ovsdb_idl *idl, struct hmapx *epts)
{
    for (size_t i = 0; i < plrec_idl_class.n_tables; i++) {
        const struct ovsdb_idl_table_class *tc = &plrec_idl_class.tables[i];
        const struct ovsdb_idl_row *row;

        for (row = ovsdb_idl_track_get_first(idl, tc); row;
             row = ovsdb_idl_track_get_next(row)) {
            if (tc == &plrec_table_vpc_endpoint) {
                hmapx_add(epts, CONTAINER_OF(row, struct plrec_vpc_endpoint,
                                             header_));
            } else if (tc == &plrec_table_network_interface
                       && idl_track_is_new_or_deleted(row)) {
                continue;
            } else if ((tc == &plrec_table_privatelink_global
                        || tc == &plrec_table_network_interface
                        || tc == &plrec_table_endpoint_service
                        || tc == &plrec_table_subnet
                        || tc == &plrec_table_vpc)
                       && !idl_track_only_columns(tc, row, dns_ignored,
                                                  ARRAY_SIZE(dns_ignored))) {
                return false;
            }
        }
    }
    return true;
}

/* Replaces in 't' what the endpoints 'epts' (changed, perhaps deleted)
 * added by what they add now. */
static void
dns_table_update(struct dns_table *t, const struct hmapx *epts)
{
    const struct hmapx_node *node;

    HMAPX_FOR_EACH (node, epts) {
        const struct plrec_vpc_endpoint *ept = node->data;
        struct dns_contrib *c = dns_contrib_find(t, &ept->header_.uuid);

        if (c) {
            dns_contrib_remove(t, c);
        }
        if (!plrec_vpc_endpoint_is_deleted(ept)
            && dns_endpoint_is_active(ept)) {
            dns_add_endpoint(t, ept);
        }
    }
}

/* The main thread's interface.
 * ============================ */

/* Brings the table for the pinctrl thread up to date with 'pl_idl' if it
 * changed since the last call: endpoint by endpoint from the IDL's tracked
 * changes when only endpoints changed (the common case at scale), else by
 * building it again.  Call it in every pass of the main loop, before the
 * tracked changes are cleared. */
void
dns_run(struct ovsdb_idl *pl_idl)
{
    unsigned int seqno = ovsdb_idl_get_seqno(pl_idl);
    struct hmapx epts = HMAPX_INITIALIZER(&epts);

    if (dns_built && seqno == dns_seqno) {
        return;
    }
    if (dns_built && dns_collect(pl_idl, &epts)) {
        ovs_mutex_lock(&dns_mutex);
        dns_table_update(dns_table, &epts);
        ovs_mutex_unlock(&dns_mutex);
        dns_n_incremental++;
    } else {
        struct dns_table *new = dns_table_build(pl_idl);
        struct dns_table *old;

        ovs_mutex_lock(&dns_mutex);
        old = dns_table;
        dns_table = new;
        ovs_mutex_unlock(&dns_mutex);
        dns_table_destroy(old);
        dns_n_rebuilds++;
    }
    hmapx_destroy(&epts);
    dns_built = true;
    dns_seqno = seqno;
}

/* Appends to 's' the numbers of full and incremental builds of the
 * table. */
void
dns_format_status(struct ds *s)
{
    ds_put_format(s, "dns table: built %u, updated incrementally %u\n",
                  dns_n_rebuilds, dns_n_incremental);
}

/* Frees the table.  (After the pinctrl thread has stopped.) */
void
dns_destroy(void)
{
    ovs_mutex_lock(&dns_mutex);
    dns_table_destroy(dns_table);
    dns_table = NULL;
    ovs_mutex_unlock(&dns_mutex);
    dns_built = false;
}

/* The pinctrl thread's interface.
 * =============================== */

/* Returns the entry that answers 'name' (lower case, no final dot) in
 * 'vpc_key': the name itself, else the longest wildcard that covers it. */
static const struct dns_name *
dns_table_match(const struct dns_table *t, uint32_t vpc_key,
                const char *name)
    OVS_REQUIRES(dns_mutex)
{
    const struct dns_name *n = dns_table_find(t, vpc_key, name);

    for (const char *dot = strchr(name, '.'); !n && dot;
         dot = strchr(dot + 1, '.')) {
        char *wildcard = xasprintf("*%s", dot);

        n = dns_table_find(t, vpc_key, wildcard);
        free(wildcard);
    }
    return n;
}

/* Looks up 'name' (lower case, no final dot) for the resolver of the VPC
 * with tunnel key 'vpc_key'.  Sets '*found' to whether the resolver
 * answers it itself; if so, stores its addresses in '*ips' (malloc'd) and
 * returns how many (maybe 0).  Otherwise '*ips' is NULL. */
size_t
dns_lookup(uint32_t vpc_key, const char *name, ovs_be32 **ips, bool *found)
{
    size_t n_ips = 0;

    *ips = NULL;
    *found = false;
    ovs_mutex_lock(&dns_mutex);
    const struct dns_name *n = (dns_table
                                ? dns_table_match(dns_table, vpc_key, name)
                                : NULL);
    if (n) {
        *found = true;
        n_ips = n->n_ips;
        *ips = n_ips ? xmemdup(n->ips, n_ips * sizeof *n->ips) : NULL;
    }
    ovs_mutex_unlock(&dns_mutex);
    return n_ips;
}

/* Stores in '*upstreams' (malloc'd, maybe NULL) the upstream resolvers and
 * returns how many. */
size_t
dns_get_upstreams(struct sockaddr_storage **upstreams)
{
    size_t n = 0;

    *upstreams = NULL;
    ovs_mutex_lock(&dns_mutex);
    if (dns_table && dns_table->n_upstreams) {
        n = dns_table->n_upstreams;
        *upstreams = xmemdup(dns_table->upstreams, n * sizeof **upstreams);
    }
    ovs_mutex_unlock(&dns_mutex);
    return n;
}
