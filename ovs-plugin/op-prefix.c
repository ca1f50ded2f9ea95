/*
 * op-prefix.c: prefix lists: DescribePrefixLists,
 * DescribeManagedPrefixLists and GetManagedPrefixListEntries.
 *
 * The AWS-managed prefix lists (owner "AWS"), one per gateway endpoint
 * service, are created by the endpoint area's service catalog; these
 * operations only read them.  DescribePrefixLists shows the AWS-managed
 * lists only, in the older PrefixList shape (id, name, CIDRs);
 * DescribeManagedPrefixLists and GetManagedPrefixListEntries show the
 * AWS-managed lists and the caller's own.
 */
#include <config.h>

#include <stdlib.h>
#include <string.h>

#include "cidr.h"
#include "filter.h"
#include "lib/plink-idl.h"
#include "op-util.h"
#include "op-vpc-util.h"
#include "ops.h"
#include "packets.h"
#include "smap.h"
#include "sset.h"
#include "util.h"

/* Orders CIDR blocks by address, then prefix length. */
static int
prefix_compare_cidrs(const void *a_, const void *b_)
{
    const char *a = *(const char **) a_, *b = *(const char **) b_;
    struct cidr4 ca, cb;
    char *ea = cidr4_parse(a, &ca), *eb = cidr4_parse(b, &cb);
    int cmp;

    if (ea || eb) {
        cmp = strcmp(a, b);
    } else if (ca.addr != cb.addr) {
        cmp = ntohl(ca.addr) < ntohl(cb.addr) ? -1 : 1;
    } else {
        cmp = (int) ca.plen - (int) cb.plen;
    }
    free(ea);
    free(eb);
    return cmp;
}

/* Returns the CIDR blocks of 'pl' in order, as an array of '*np'
 * pointers into the row. */
static const char **
prefix_sorted_cidrs(const struct plrec_prefix_list *pl, size_t *np)
{
    const char **cidrs = xmalloc((smap_count(&pl->entries) + 1)
                                 * sizeof *cidrs);
    struct smap_node *node;
    size_t n = 0;

    SMAP_FOR_EACH (node, &pl->entries) {
        cidrs[n++] = node->key;
    }
    qsort(cidrs, n, sizeof *cidrs, prefix_compare_cidrs);
    *np = n;
    return cidrs;
}

/* Builds the PrefixList message (DescribePrefixLists) of 'pl'. */
static Privatelink__V1__PrefixList *
prefix_to_msg(const struct plrec_prefix_list *pl)
{
    Privatelink__V1__PrefixList *m
        = op_new_msg(&privatelink__v1__prefix_list__descriptor);
    m->prefix_list_id = xstrdup(pl->prefix_list_id);
    m->prefix_list_name = xstrdup(pl->prefix_list_name);

    size_t n;
    const char **cidrs = prefix_sorted_cidrs(pl, &n);
    for (size_t i = 0; i < n; i++) {
        OP_APPEND(m, cidrs, xstrdup(cidrs[i]));
    }
    free(cidrs);
    return m;
}

/* Builds the ManagedPrefixList message of 'pl'. */
static Privatelink__V1__ManagedPrefixList *
prefix_managed_to_msg(const struct op_ctx *ctx,
                      const struct plrec_prefix_list *pl)
{
    Privatelink__V1__ManagedPrefixList *m
        = op_new_msg(&privatelink__v1__managed_prefix_list__descriptor);
    bool aws = !strcmp(pl->owner_id, "AWS");

    m->prefix_list_id = xstrdup(pl->prefix_list_id);
    m->prefix_list_name = xstrdup(pl->prefix_list_name);
    m->address_family = xstrdup(pl->address_family);
    m->state = xstrdup(pl->state);
    m->prefix_list_arn = xasprintf("arn:aws:ec2:%s:%s:prefix-list/%s",
                                   vpcu_region(ctx),
                                   aws ? "aws" : pl->owner_id,
                                   pl->prefix_list_id);
    OP_SET(m, max_entries, pl->max_entries);
    OP_SET(m, version, pl->version);
    m->owner_id = xstrdup(pl->owner_id);
    op_tags_to_msg(&pl->tags, &m->tags, &m->n_tags);
    return m;
}

/* Filters of DescribePrefixLists and DescribeManagedPrefixLists. */
static const struct plrec_prefix_list *
prefix_row(const void *row)
{
    return row;
}

static void
prefix_f_id(const void *row, struct sset *values)
{
    sset_add(values, prefix_row(row)->prefix_list_id);
}

static void
prefix_f_name(const void *row, struct sset *values)
{
    sset_add(values, prefix_row(row)->prefix_list_name);
}

static void
prefix_f_owner(const void *row, struct sset *values)
{
    sset_add(values, prefix_row(row)->owner_id);
}

static const struct filter_def prefix_filters[] = {
    { "prefix-list-id", prefix_f_id },
    { "prefix-list-name", prefix_f_name },
};

static const struct filter_def prefix_managed_filters[] = {
    { "owner-id", prefix_f_owner },
    { "prefix-list-id", prefix_f_id },
    { "prefix-list-name", prefix_f_name },
};

/* Returns true if 'pl' is AWS-managed. */
static bool
prefix_is_aws(const struct plrec_prefix_list *pl)
{
    return !strcmp(pl->owner_id, "AWS");
}

/* Checks the explicit id list of a Describe call: every list must be
 * visible to the caller and, with 'aws_only', AWS-managed. */
static bool
prefix_check_ids(struct op_ctx *ctx, char **ids, size_t n, bool aws_only)
{
    for (size_t i = 0; i < n; i++) {
        const struct plrec_prefix_list *pl = vpcu_get_prefix_list(ctx, ids[i]);
        if (!pl) {
            return false;
        } else if (aws_only && !prefix_is_aws(pl)) {
            op_error(ctx, "InvalidPrefixListID.NotFound", "The prefix list "
                     "ID '%s' does not exist", ids[i]);
            return false;
        }
    }
    return true;
}

/* The parts of DescribePrefixLists and DescribeManagedPrefixLists
 * requests that the walk over the lists needs. */
struct prefix_query {
    char **ids;                 /* PrefixListIds. */
    size_t n_ids;
    Privatelink__V1__Filter **filters;
    size_t n_filters;
    const struct filter_def *defs;  /* The operation's filters. */
    size_t n_defs;
    bool aws_only;              /* Only AWS-managed lists. */
};

/* Returns the next list (from 'start', in id order) that 'q' selects for
 * the caller, or NULL; 'cursor' keeps the position. */
static const struct plrec_prefix_list *
prefix_next(const struct op_ctx *ctx, const struct prefix_query *q,
            struct ovsdb_idl_cursor *cursor)
{
    for (; cursor->position; ovsdb_idl_cursor_next(cursor)) {
        const struct plrec_prefix_list *pl = plrec_prefix_list_cursor_data(
            cursor);
        if (vpcu_prefix_list_visible(ctx, pl)
            && (!q->aws_only || prefix_is_aws(pl))
            && vpcu_in_ids(q->ids, q->n_ids, pl->prefix_list_id)
            && filter_match(q->filters, q->n_filters, q->defs, q->n_defs,
                            pl, &pl->tags)) {
            ovsdb_idl_cursor_next(cursor);
            return pl;
        }
    }
    return NULL;
}

/* Walks the lists that 'q' selects from the position of 'page'; calls
 * 'add' for each of at most 'page->limit' of them and returns the
 * NextToken if more remain. */
static char *
prefix_walk(struct op_ctx *ctx, const struct prefix_query *q,
            const struct op_page *page,
            void (*add)(struct op_ctx *, const struct plrec_prefix_list *,
                        void *aux),
            void *aux)
{
    struct ovsdb_idl_index *index = op_index_prefix_list();
    struct plrec_prefix_list *from = NULL;
    if (page->start_id) {
        from = plrec_prefix_list_index_init_row(index);
        plrec_prefix_list_index_set_prefix_list_id(from, page->start_id);
    }

    struct ovsdb_idl_cursor cursor = plrec_prefix_list_cursor_first_ge(index,
                                                                      from);
    const struct plrec_prefix_list *pl;
    char *token = NULL;
    for (size_t n = 0; (pl = prefix_next(ctx, q, &cursor)); n++) {
        if (n >= page->limit) {
            token = op_page_token(pl->prefix_list_id);
            break;
        }
        add(ctx, pl, aux);
    }
    if (from) {
        plrec_prefix_list_index_destroy_row(from);
    }
    return token;
}

static void
prefix_add(struct op_ctx *ctx OVS_UNUSED, const struct plrec_prefix_list *pl,
           void *rs_)
{
    Privatelink__V1__DescribePrefixListsResponse *rs = rs_;
    OP_APPEND(rs, prefix_lists, prefix_to_msg(pl));
}

void
op_describe_prefix_lists(struct op_ctx *ctx, const ProtobufCMessage *request,
                         ProtobufCMessage *response)
{
    const Privatelink__V1__DescribePrefixListsRequest *rq
        = (const void *) request;
    Privatelink__V1__DescribePrefixListsResponse *rs = (void *) response;
    const struct prefix_query q = {
        rq->prefix_list_ids, rq->n_prefix_list_ids, rq->filters,
        rq->n_filters, prefix_filters, ARRAY_SIZE(prefix_filters), true,
    };
    struct op_page page;

    if (filter_check(ctx, rq->filters, rq->n_filters, prefix_filters,
                     ARRAY_SIZE(prefix_filters))
        && prefix_check_ids(ctx, rq->prefix_list_ids, rq->n_prefix_list_ids,
                            true)
        && op_page_init(ctx, rq->has_max_results, rq->max_results,
                        rq->next_token, 1, 1000, &page)) {
        rs->next_token = prefix_walk(ctx, &q, &page, prefix_add, rs);
        op_page_destroy(&page);
    }
}

static void
prefix_managed_add(struct op_ctx *ctx, const struct plrec_prefix_list *pl,
                   void *rs_)
{
    Privatelink__V1__DescribeManagedPrefixListsResponse *rs = rs_;
    OP_APPEND(rs, prefix_lists, prefix_managed_to_msg(ctx, pl));
}

void
op_describe_managed_prefix_lists(struct op_ctx *ctx,
                                 const ProtobufCMessage *request,
                                 ProtobufCMessage *response)
{
    const Privatelink__V1__DescribeManagedPrefixListsRequest *rq
        = (const void *) request;
    Privatelink__V1__DescribeManagedPrefixListsResponse *rs
        = (void *) response;
    const struct prefix_query q = {
        rq->prefix_list_ids, rq->n_prefix_list_ids, rq->filters,
        rq->n_filters, prefix_managed_filters,
        ARRAY_SIZE(prefix_managed_filters), false,
    };
    struct op_page page;

    if (filter_check(ctx, rq->filters, rq->n_filters, prefix_managed_filters,
                     ARRAY_SIZE(prefix_managed_filters))
        && prefix_check_ids(ctx, rq->prefix_list_ids, rq->n_prefix_list_ids,
                            false)
        && op_page_init(ctx, rq->has_max_results, rq->max_results,
                        rq->next_token, 1, 100, &page)) {
        rs->next_token = prefix_walk(ctx, &q, &page, prefix_managed_add, rs);
        op_page_destroy(&page);
    }
}

void
op_get_managed_prefix_list_entries(struct op_ctx *ctx,
                                   const ProtobufCMessage *request,
                                   ProtobufCMessage *response)
{
    const Privatelink__V1__GetManagedPrefixListEntriesRequest *rq
        = (const void *) request;
    Privatelink__V1__GetManagedPrefixListEntriesResponse *rs
        = (void *) response;
    const struct plrec_prefix_list *pl;
    struct op_page page;

    if (!op_require(ctx, rq->prefix_list_id, "PrefixListId")
        || !(pl = vpcu_get_prefix_list(ctx, rq->prefix_list_id))) {
        return;
    } else if (rq->has_target_version && rq->target_version != pl->version) {
        op_error(ctx, "InvalidParameterValue", "Version %"PRId64" of prefix "
                 "list %s is not available: its current version is "
                 "%"PRId64".", rq->target_version, pl->prefix_list_id,
                 pl->version);
        return;
    } else if (!op_page_init(ctx, rq->has_max_results, rq->max_results,
                             rq->next_token, 1, 100, &page)) {
        return;
    }

    size_t n;
    const char **cidrs = prefix_sorted_cidrs(pl, &n);
    size_t i = 0;
    while (page.start_id && i < n && strcmp(cidrs[i], page.start_id)
           && prefix_compare_cidrs(&cidrs[i], &page.start_id) < 0) {
        i++;
    }
    for (; i < n; i++) {
        if (rs->n_entries >= page.limit) {
            rs->next_token = op_page_token(cidrs[i]);
            break;
        }
        Privatelink__V1__PrefixListEntry *e
            = op_new_msg(&privatelink__v1__prefix_list_entry__descriptor);
        const char *description = smap_get(&pl->entries, cidrs[i]);
        e->cidr = xstrdup(cidrs[i]);
        e->description = (description && *description
                          ? xstrdup(description) : NULL);
        OP_APPEND(rs, entries, e);
    }
    free(cidrs);
    op_page_destroy(&page);
}
