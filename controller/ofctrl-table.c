/* SPDX-License-Identifier: Apache-2.0 */

/* ofctrl-table: ofctrl's flow tables (ofctrl-table.h): flows and groups by
 * identity, the rows that own them, and what changed since the last
 * push. */

#include <config.h>

#include "ofctrl-table.h"

#include <string.h>

#include "hash.h"
#include "ofctrl.h"
#include "openvswitch/dynamic-string.h"
#include "openvswitch/meta-flow.h"
#include "openvswitch/ofp-actions.h"
#include "openvswitch/ofpbuf.h"
#include "openvswitch/uuid.h"
#include "openvswitch/vlog.h"
#include "svec.h"
#include "util.h"
#include "uuid.h"

VLOG_DEFINE_THIS_MODULE(ofctrl_table);

/* One row's claim on one flow of a desired table.  Two rows may ask for
 * the same flow (two security group rules that allow the same traffic):
 * the flow stays while either wants it, and carries the smaller of their
 * cookies. */
struct ofctrl_ref {
    struct ovs_list flow_node;  /* In the flow's 'refs'. */
    struct ovs_list owner_node; /* In the owner's 'refs'. */
    struct ofctrl_flow *flow;   /* The flow. */
    uint64_t cookie;            /* The owner row's cookie. */
};

/* The flows and groups one database row (its UUID; all-zero for flows
 * made from no row) put in a desired table, so that they can be taken out
 * again when the row changes, without looking at any other flow. */
struct ofctrl_owner {
    struct hmap_node hmap_node; /* In a table's 'owners', by UUID hash. */
    struct uuid uuid;           /* The row's UUID. */
    struct ovs_list refs;       /* Its "struct ofctrl_ref"s. */
    struct ovs_list groups;     /* Its "struct ofctrl_group"s. */
};

/* Source of unique 'change_seqno' values across all tables. */
static uint64_t flow_table_seqno;

static uint32_t
flow_identity_hash(uint8_t table_id, uint16_t priority,
                   const struct minimatch *match)
{
    return hash_2words((table_id << 16) | priority,
                       minimatch_hash(match, 0));
}

/* Creates a flow that owns copies of 'match' and of the 'ofpacts_len'
 * bytes of actions in 'ofpacts'. */
struct ofctrl_flow *
ofctrl_flow_create(uint8_t table_id, uint16_t priority, uint64_t cookie,
                   const struct match *match,
                   const struct ofpact *ofpacts, size_t ofpacts_len)
{
    struct ofctrl_flow *f = xmalloc(sizeof *f);

    f->table_id = table_id;
    f->priority = priority;
    minimatch_init(&f->match, match);
    f->cookie = cookie;
    f->ofpacts = xmemdup(ofpacts, ofpacts_len);
    f->ofpacts_len = ofpacts_len;
    f->from_switch = false;
    ovs_list_init(&f->refs);
    f->hmap_node.hash = flow_identity_hash(table_id, priority, &f->match);
    return f;
}

/* Returns a copy of 'src', not in any table. */
struct ofctrl_flow *
ofctrl_flow_clone(const struct ofctrl_flow *src)
{
    struct ofctrl_flow *f = xmalloc(sizeof *f);

    *f = *src;
    minimatch_clone(&f->match, &src->match);
    f->ofpacts = xmemdup(src->ofpacts, src->ofpacts_len);
    ovs_list_init(&f->refs);
    return f;
}

/* Returns a copy of the identity of 'src' (no actions), not in any
 * table. */
static struct ofctrl_flow *
flow_clone_identity(const struct ofctrl_flow *src)
{
    struct ofctrl_flow *f = xzalloc(sizeof *f);

    f->hmap_node.hash = src->hmap_node.hash;
    f->table_id = src->table_id;
    f->priority = src->priority;
    minimatch_clone(&f->match, &src->match);
    ovs_list_init(&f->refs);
    return f;
}

void
ofctrl_flow_destroy(struct ofctrl_flow *f)
{
    if (f) {
        minimatch_destroy(&f->match);
        free(f->ofpacts);
        free(f);
    }
}

/* Replaces the cookie and actions of 'dst' by those of 'src'. */
void
ofctrl_flow_copy_actions(struct ofctrl_flow *dst,
                         const struct ofctrl_flow *src)
{
    free(dst->ofpacts);
    dst->ofpacts = xmemdup(src->ofpacts, src->ofpacts_len);
    dst->ofpacts_len = src->ofpacts_len;
    dst->cookie = src->cookie;
    dst->from_switch = false;
}

/* Returns true if 'a' and 'b' have the same cookie and actions.  Actions we
 * built ourselves compare byte for byte.  Actions decoded from the switch
 * can differ in bytes that do not matter (e.g. which wire encoding an
 * action came from), so for them we compare the text that ovs-ofctl would
 * print. */
bool
ofctrl_flow_actions_equal(const struct ofctrl_flow *a,
                          const struct ofctrl_flow *b)
{
    if (a->cookie != b->cookie) {
        return false;
    }
    if (ofpacts_equal(a->ofpacts, a->ofpacts_len,
                      b->ofpacts, b->ofpacts_len)) {
        return true;
    }
    return ((a->from_switch || b->from_switch)
            && ofpacts_equal_stringwise(a->ofpacts, a->ofpacts_len,
                                        b->ofpacts, b->ofpacts_len));
}

/* Returns the flow in 'flows' with the identity of 'target', or NULL. */
static struct ofctrl_flow *
flow_hmap_find(const struct hmap *flows, const struct ofctrl_flow *target)
{
    struct ofctrl_flow *f;

    HMAP_FOR_EACH_WITH_HASH (f, hmap_node, target->hmap_node.hash, flows) {
        if (f->table_id == target->table_id
            && f->priority == target->priority
            && minimatch_equal(&f->match, &target->match)) {
            return f;
        }
    }
    return NULL;
}

/* Returns the flow in 'table' with the identity of 'target', or NULL. */
struct ofctrl_flow *
ofctrl_table_find(const struct ofctrl_flow_table *table,
                  const struct ofctrl_flow *target)
{
    return flow_hmap_find(&table->flows, target);
}

/* Adds 'f' to 'table'.  (hmap_insert(), not hmap_insert_fast(): the latter
 * never grows the hash table, so with tens of thousands of flows every
 * lookup walked one long chain.) */
void
ofctrl_table_insert(struct ofctrl_flow_table *table, struct ofctrl_flow *f)
{
    hmap_insert(&table->flows, &f->hmap_node, f->hmap_node.hash);
    table->change_seqno = ++flow_table_seqno;
}

void
ofctrl_table_remove(struct ofctrl_flow_table *table, struct ofctrl_flow *f)
{
    hmap_remove(&table->flows, &f->hmap_node);
    table->change_seqno = ++flow_table_seqno;
    ofctrl_flow_destroy(f);
}

void
ofctrl_table_init(struct ofctrl_flow_table *table)
{
    hmap_init(&table->flows);
    hmap_init(&table->groups);
    table->change_seqno = ++flow_table_seqno;
    hmap_init(&table->owners);
    table->all_dirty = true;
    hmap_init(&table->dirty);
    hmap_init(&table->dirty_groups);
}

/* Forgets which flows and groups of 'table' changed. */
void
ofctrl_table_clear_dirty(struct ofctrl_flow_table *table)
{
    struct ofctrl_group_id *gid;
    struct ofctrl_flow *f;

    HMAP_FOR_EACH_POP (f, hmap_node, &table->dirty) {
        ofctrl_flow_destroy(f);
    }
    HMAP_FOR_EACH_POP (gid, hmap_node, &table->dirty_groups) {
        free(gid);
    }
}

/* Records that the flow with the identity of 'f' changed in 'table' (was
 * added, removed, or got other actions or another cookie). */
static void
flow_table_mark_dirty(struct ofctrl_flow_table *table,
                      const struct ofctrl_flow *f)
{
    table->change_seqno = ++flow_table_seqno;
    if (!table->all_dirty && !flow_hmap_find(&table->dirty, f)) {
        struct ofctrl_flow *id = flow_clone_identity(f);
        hmap_insert(&table->dirty, &id->hmap_node, id->hmap_node.hash);
    }
}

/* Creates and returns a new, empty flow table. */
struct ofctrl_flow_table *
ofctrl_flow_table_create(void)
{
    struct ofctrl_flow_table *table = xmalloc(sizeof *table);

    ofctrl_table_init(table);
    return table;
}

/* Returns the group in 'table' with 'group_id', or NULL. */
struct ofctrl_group *
ofctrl_group_find(const struct ofctrl_flow_table *table, uint32_t group_id)
{
    struct ofctrl_group *g;

    HMAP_FOR_EACH_WITH_HASH (g, hmap_node, hash_int(group_id, 0),
                             &table->groups) {
        if (g->group_id == group_id) {
            return g;
        }
    }
    return NULL;
}

void
ofctrl_group_destroy(struct ofctrl_group *g)
{
    if (g) {
        free(g->spec);
        free(g);
    }
}

/* Adds to 'table' a copy of the group 'group_id' described by 'spec', or
 * replaces the description of the group already there.  Returns the
 * group. */
struct ofctrl_group *
ofctrl_group_put(struct ofctrl_flow_table *table, uint32_t group_id,
                 const char *spec)
{
    struct ofctrl_group *g = ofctrl_group_find(table, group_id);

    if (!g) {
        g = xmalloc(sizeof *g);
        g->group_id = group_id;
        g->spec = xstrdup(spec);
        ovs_list_init(&g->owner_node);
        hmap_insert(&table->groups, &g->hmap_node, hash_int(group_id, 0));
    } else if (strcmp(g->spec, spec)) {
        free(g->spec);
        g->spec = xstrdup(spec);
    } else {
        return g;
    }
    table->change_seqno = ++flow_table_seqno;
    return g;
}

/* Records that group 'group_id' of 'table' was added, changed or
 * removed. */
static void
group_table_mark_dirty(struct ofctrl_flow_table *table, uint32_t group_id)
{
    struct ofctrl_group_id *gid;

    table->change_seqno = ++flow_table_seqno;
    if (table->all_dirty) {
        return;
    }
    HMAP_FOR_EACH_WITH_HASH (gid, hmap_node, hash_int(group_id, 0),
                             &table->dirty_groups) {
        if (gid->group_id == group_id) {
            return;
        }
    }
    gid = xmalloc(sizeof *gid);
    gid->group_id = group_id;
    hmap_insert(&table->dirty_groups, &gid->hmap_node, hash_int(group_id, 0));
}

/* Removes every group from 'table'. */
static void
group_table_clear(struct ofctrl_flow_table *table)
{
    struct ofctrl_group *g;

    HMAP_FOR_EACH_POP (g, hmap_node, &table->groups) {
        ofctrl_group_destroy(g);
    }
    table->change_seqno = ++flow_table_seqno;
}

/* Returns the owner record of the row with UUID 'uuid' in 'table', or NULL
 * if that row put nothing there. */
static struct ofctrl_owner *
owner_find(const struct ofctrl_flow_table *table, const struct uuid *uuid)
{
    struct ofctrl_owner *o;

    HMAP_FOR_EACH_WITH_HASH (o, hmap_node, uuid_hash(uuid), &table->owners) {
        if (uuid_equals(&o->uuid, uuid)) {
            return o;
        }
    }
    return NULL;
}

/* Returns the owner record of 'source' (NULL: flows of no row) in 'table',
 * creating it if needed. */
static struct ofctrl_owner *
owner_get(struct ofctrl_flow_table *table, const struct uuid *source)
{
    static const struct uuid zero;
    const struct uuid *uuid = source ? source : &zero;
    struct ofctrl_owner *o = owner_find(table, uuid);

    if (!o) {
        o = xmalloc(sizeof *o);
        o->uuid = *uuid;
        ovs_list_init(&o->refs);
        ovs_list_init(&o->groups);
        hmap_insert(&table->owners, &o->hmap_node, uuid_hash(uuid));
    }
    return o;
}

/* Records that 'owner' wants flow 'f' with 'cookie'. */
static void
owner_add_ref(struct ofctrl_owner *owner, struct ofctrl_flow *f,
              uint64_t cookie)
{
    struct ofctrl_ref *ref = xmalloc(sizeof *ref);

    ref->flow = f;
    ref->cookie = cookie;
    ovs_list_push_back(&f->refs, &ref->flow_node);
    ovs_list_push_back(&owner->refs, &ref->owner_node);
}

/* Removes every flow and every group from 'table'. */
void
ofctrl_flow_table_clear(struct ofctrl_flow_table *table)
{
    struct ofctrl_owner *o;
    struct ofctrl_flow *f;

    HMAP_FOR_EACH_POP (o, hmap_node, &table->owners) {
        struct ofctrl_ref *ref;

        LIST_FOR_EACH_POP (ref, owner_node, &o->refs) {
            free(ref);
        }
        free(o);
    }
    HMAP_FOR_EACH_POP (f, hmap_node, &table->flows) {
        ofctrl_flow_destroy(f);
    }
    group_table_clear(table);
    ofctrl_table_clear_dirty(table);
    table->all_dirty = true;
    table->change_seqno = ++flow_table_seqno;
}

/* Takes out of 'table' every flow and group that the row with UUID 'uuid'
 * put there, except the flows that another row wants too (they keep the
 * smallest cookie of the rows that still want them).  Costs time in
 * proportion to that row's flows only. */
void
ofctrl_remove_owner(struct ofctrl_flow_table *table, const struct uuid *uuid)
{
    struct ofctrl_owner *o = owner_find(table, uuid);
    struct ofctrl_group *g;
    struct ofctrl_ref *ref;

    if (!o) {
        return;
    }
    LIST_FOR_EACH_POP (ref, owner_node, &o->refs) {
        struct ofctrl_flow *f = ref->flow;

        ovs_list_remove(&ref->flow_node);
        free(ref);
        flow_table_mark_dirty(table, f);
        if (ovs_list_is_empty(&f->refs)) {
            hmap_remove(&table->flows, &f->hmap_node);
            ofctrl_flow_destroy(f);
        } else {
            const struct ofctrl_ref *r;

            f->cookie = UINT64_MAX;
            LIST_FOR_EACH (r, flow_node, &f->refs) {
                f->cookie = MIN(f->cookie, r->cookie);
            }
        }
    }
    LIST_FOR_EACH_POP (g, owner_node, &o->groups) {
        group_table_mark_dirty(table, g->group_id);
        hmap_remove(&table->groups, &g->hmap_node);
        ofctrl_group_destroy(g);
    }
    hmap_remove(&table->owners, &o->hmap_node);
    free(o);
}

/* Frees 'table' and its flows.  Accepts NULL. */
void
ofctrl_flow_table_destroy(struct ofctrl_flow_table *table)
{
    if (table) {
        ofctrl_flow_table_clear(table);
        hmap_destroy(&table->flows);
        hmap_destroy(&table->groups);
        hmap_destroy(&table->owners);
        hmap_destroy(&table->dirty);
        hmap_destroy(&table->dirty_groups);
        free(table);
    }
}

/* Returns a number that changes whenever 'table' changes, and only grows:
 * compare it with ofctrl_get_realized_seqno() to know whether the switch
 * holds what 'table' held then. */
uint64_t
ofctrl_flow_table_seqno(const struct ofctrl_flow_table *table)
{
    return table->change_seqno;
}

/* Returns the number of flows in 'table'. */
size_t
ofctrl_flow_table_count(const struct ofctrl_flow_table *table)
{
    return hmap_count(&table->flows);
}

void
ofctrl_flow_format(const struct ofctrl_flow *f, struct ds *s)
{
    ds_put_format(s, "cookie=%#"PRIx64", table=%"PRIu8", ",
                  f->cookie, f->table_id);
    minimatch_format(&f->match, NULL, NULL, s, f->priority);
    ds_put_cstr(s, " actions=");
    struct ofpact_format_params fp = { .s = s };
    ofpacts_format(f->ofpacts, f->ofpacts_len, &fp);
}

/* Appends to 's' the flows in 'table', one per line, sorted, and then its
 * groups ("group_id=N,..."), sorted too. */
void
ofctrl_flow_table_format(const struct ofctrl_flow_table *table,
                         struct ds *s)
{
    struct svec lines = SVEC_EMPTY_INITIALIZER;
    const struct ofctrl_flow *f;

    HMAP_FOR_EACH (f, hmap_node, &table->flows) {
        struct ds line = DS_EMPTY_INITIALIZER;

        ofctrl_flow_format(f, &line);
        svec_add_nocopy(&lines, ds_steal_cstr(&line));
    }

    svec_sort(&lines);

    struct svec groups = SVEC_EMPTY_INITIALIZER;
    const struct ofctrl_group *g;
    HMAP_FOR_EACH (g, hmap_node, &table->groups) {
        svec_add_nocopy(&groups, xasprintf("group_id=%"PRIu32",%s",
                                           g->group_id, g->spec));
    }
    svec_sort(&groups);
    svec_append(&lines, &groups);
    svec_destroy(&groups);

    const char *line;
    size_t i;
    SVEC_FOR_EACH (i, line, &lines) {
        ds_put_format(s, "%s\n", line);
    }
    svec_destroy(&lines);
}

/* Adds to 'table' the OpenFlow group 'group_id', described by 'spec' as
 * ovs-ofctl's add-group would take it without the group_id, e.g.
 * "type=select,selection_method=hash,fields(ip_src),bucket=actions=...".
 * A flow of 'table' that uses the group must find it there: ofctrl_put()
 * installs new and changed groups before the flows and deletes unused
 * groups after them, in the same bundle.
 *
 * 'source' is the row that wants the group (see ofctrl_remove_owner()).
 *
 * Adding a group_id that is already in 'table' with another 'spec' is a
 * bug in a builder (group ids are derived from row UUIDs): we keep the
 * first and log it. */
void
ofctrl_add_group(struct ofctrl_flow_table *table, uint32_t group_id,
                 const struct uuid *source, const char *spec)
{
    const struct ofctrl_group *old = ofctrl_group_find(table, group_id);

    if (old) {
        if (strcmp(old->spec, spec)) {
            static struct vlog_rate_limit rl = VLOG_RATE_LIMIT_INIT(5, 5);
            VLOG_WARN_RL(&rl, "duplicate group %"PRIu32" with other "
                         "buckets, ignored: %s", group_id, spec);
        }
        return;
    }

    struct ofctrl_group *g = ofctrl_group_put(table, group_id, spec);
    ovs_list_push_back(&owner_get(table, source)->groups, &g->owner_node);
    group_table_mark_dirty(table, group_id);
}

/* Returns the number of groups in 'table'. */
size_t
ofctrl_group_count(const struct ofctrl_flow_table *table)
{
    return hmap_count(&table->groups);
}

/* Makes 'match' match only Ethernet packets (packet_type 0) if it matches
 * a field that implies Ethernet (eth.dst, ip.src, ...), as the switch does
 * when it decodes the flow.  Otherwise a flow read back from the switch
 * would not be the same flow as the one we built. */
static void
normalize_packet_type(struct match *match)
{
    if (match->wc.masks.packet_type) {
        return;
    }
    for (int id = 0; id < MFF_N_IDS; id++) {
        const struct mf_field *field = mf_from_id(id);

        if (field->prereqs != MFP_NONE && !mf_is_all_wild(field, &match->wc)) {
            match_set_default_packet_type(match);
            return;
        }
    }
}

/* Returns the cookie for flows made from the database row 'source': the
 * first 32 bits of its UUID, in the low half of the cookie.  A null
 * 'source' gives cookie 0. */
uint64_t
ofctrl_cookie_from_uuid(const struct uuid *source)
{
    return source ? source->parts[0] : 0;
}

/* Adds to 'table' a flow in OpenFlow table 'table_id' with 'priority',
 * 'match' and the actions in 'ofpacts', whose cookie names the database row
 * 'source'.  The flow belongs to the row 'owner_uuid' (NULL: to 'source'):
 * ofctrl_remove_owner() of that row takes it out.
 *
 * Adding a flow whose identity (table, priority, match) is already in
 * 'table' keeps one of them.  Two rows may well ask for the same flow (two
 * security group rules that allow the same traffic): then the flow keeps
 * the smaller cookie, so that the result does not depend on the order in
 * which the builders ran.  If the actions differ, that is a bug in a flow
 * builder: we keep the first and log it.
 *
 * ofctrl_put() compares actions byte for byte, so a builder must produce
 * the same bytes for the same actions: no uninitialized padding (beware
 * ofpact_put_set_field() with a value narrower than 8 bytes). */
void
ofctrl_add_flow(struct ofctrl_flow_table *table, uint8_t table_id,
                uint16_t priority, const struct uuid *source,
                const struct uuid *owner_uuid, const struct match *match_,
                const struct ofpbuf *ofpacts)
{
    struct match match = *match_;

    normalize_packet_type(&match);

    struct ofctrl_flow *f = ofctrl_flow_create(table_id, priority,
                                        ofctrl_cookie_from_uuid(source),
                                        &match, ofpacts->data, ofpacts->size);
    struct ofctrl_flow *old = ofctrl_table_find(table, f);
    struct ofctrl_owner *owner = owner_get(table, (owner_uuid ? owner_uuid
                                                   : source));

    if (old) {
        if (ofpacts_equal(old->ofpacts, old->ofpacts_len,
                          f->ofpacts, f->ofpacts_len)) {
            owner_add_ref(owner, old, f->cookie);
            if (f->cookie < old->cookie) {
                old->cookie = f->cookie;
                flow_table_mark_dirty(table, old);
            }
        } else {
            static struct vlog_rate_limit rl = VLOG_RATE_LIMIT_INIT(5, 5);
            struct ds s = DS_EMPTY_INITIALIZER;

            ofctrl_flow_format(f, &s);
            VLOG_WARN_RL(&rl, "duplicate flow with other actions, "
                         "ignored: %s", ds_cstr(&s));
            ds_destroy(&s);
        }
        ofctrl_flow_destroy(f);
        return;
    }
    ofctrl_table_insert(table, f);
    owner_add_ref(owner, f, f->cookie);
    flow_table_mark_dirty(table, f);
}

