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
#include "openvswitch/hmap.h"
#include "openvswitch/vlog.h"
#include "ovs-thread.h"
#include "ovsdb-idl.h"
#include "packets.h"
#include "smap.h"
#include "socket-util.h"
#include "util.h"
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
    size_t n_ips;               /* Number of 'ips'. */
    size_t allocated_ips;       /* Allocated size of 'ips'. */
};

/* Everything the resolvers need, built in one go by the main thread. */
struct dns_table {
    struct hmap names;                   /* "struct dns_name"s. */
    struct sockaddr_storage *upstreams;  /* options:dns_upstream. */
    size_t n_upstreams;                  /* Number of 'upstreams'. */
};

/* The table the pinctrl thread reads, and the mutex that guards it. */
static struct ovs_mutex dns_mutex = OVS_MUTEX_INITIALIZER;
static struct dns_table *dns_table OVS_GUARDED_BY(dns_mutex);

/* Main thread: the PrivateLink IDL seqno the table was built from. */
static unsigned int dns_seqno;
static bool dns_built;

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
 * in 'vpc_key'.  An 'ip' of 0 only makes the name known. */
static void
dns_table_add(struct dns_table *t, uint32_t vpc_key, const char *name,
              ovs_be32 ip)
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
    for (size_t i = 0; i < n->n_ips; i++) {
        if (n->ips[i] == ip) {
            return;
        }
    }
    if (ip) {
        if (n->n_ips >= n->allocated_ips) {
            n->ips = x2nrealloc(n->ips, &n->allocated_ips, sizeof *n->ips);
        }
        n->ips[n->n_ips++] = ip;
    }
}

static void
dns_table_destroy(struct dns_table *t)
{
    if (t) {
        struct dns_name *n;

        HMAP_FOR_EACH_POP (n, node, &t->names) {
            free(n->name);
            free(n->ips);
            free(n);
        }
        hmap_destroy(&t->names);
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
                      const char *name, const char *az)
{
    uint32_t key = ept->vpc->tunnel_key;

    dns_table_add(t, key, name, 0);
    for (size_t i = 0; i < ept->n_network_interfaces; i++) {
        const struct plrec_network_interface *eni
            = ept->network_interfaces[i];

        if (!az || (eni->subnet
                    && !strcmp(eni->subnet->availability_zone, az))) {
            dns_table_add(t, key, name, dns_eni_ip(eni));
        }
    }
}

/* Adds to 't' the names of endpoint 'ept': its regional and zonal names
 * from its dns_entries (recognized by their first label, so that only
 * plinkd knows how they are spelled), and its service's private name. */
static void
dns_add_endpoint(struct dns_table *t, const struct plrec_vpc_endpoint *ept)
{
    char *regional = xasprintf("%s-%s.", ept->vpc_endpoint_id,
                               ept->dns_suffix);
    char *zonal = xasprintf("%s-%s-", ept->vpc_endpoint_id, ept->dns_suffix);
    size_t zonal_len = strlen(zonal);
    const struct smap_node *entry;
    const char *private_name;

    SMAP_FOR_EACH (entry, &ept->dns_entries) {
        const char *name = entry->key;

        if (!strncasecmp(name, regional, strlen(regional))) {
            dns_add_endpoint_name(t, ept, name, NULL);
        } else if (!strncasecmp(name, zonal, zonal_len)) {
            const char *dot = strchr(name + zonal_len, '.');
            char *az = xmemdup0(name + zonal_len,
                                dot ? dot - (name + zonal_len) : 0);

            dns_add_endpoint_name(t, ept, name, az);
            free(az);
        }
    }
    if (dns_endpoint_private_name(ept, &private_name)) {
        dns_add_endpoint_name(t, ept, private_name, NULL);
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

/* The main thread's interface.
 * ============================ */

/* Rebuilds the table for the pinctrl thread from 'pl_idl' if it changed
 * since the last call. */
void
dns_run(struct ovsdb_idl *pl_idl)
{
    unsigned int seqno = ovsdb_idl_get_seqno(pl_idl);

    if (dns_built && seqno == dns_seqno) {
        return;
    }
    dns_built = true;
    dns_seqno = seqno;

    struct dns_table *new = dns_table_build(pl_idl);
    struct dns_table *old;

    ovs_mutex_lock(&dns_mutex);
    old = dns_table;
    dns_table = new;
    ovs_mutex_unlock(&dns_mutex);
    dns_table_destroy(old);
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
