/*
 * op-tags.c: tags of every taggable resource: CreateTags, DeleteTags and
 * DescribeTags.
 *
 * The taggable resources are those with a "tags" column and an EC2 id:
 * VPCs, subnets, route tables, security groups, network interfaces,
 * internet gateways, prefix lists, VPC endpoints and endpoint services.
 * The kind of a resource is told by its id's prefix.  A caller tags only
 * its own resources; another account's id, like an unknown one, fails
 * with the kind's NotFound code, and an id of no known kind with
 * InvalidID.  The operations that create resources take their initial
 * tags (TagSpecifications) themselves; the endpoint area reads the same
 * columns.
 */
#include <config.h>

#include <stdlib.h>
#include <string.h>

#include "filter.h"
#include "lib/plink-idl.h"
#include "op-util.h"
#include "op-vpc-util.h"
#include "ops.h"
#include "plink-id.h"
#include "smap.h"
#include "sset.h"
#include "util.h"

/* AWS's limit on the tags of one resource. */
#define TAGS_MAX 50

/* The taggable kinds: TK(table, id column, id prefix, ResourceType,
 * not found code). */
#define TAG_KINDS                                                       \
    TK(vpc, vpc_id, "vpc", "vpc", "InvalidVpcID.NotFound")              \
    TK(subnet, subnet_id, "subnet", "subnet", "InvalidSubnetID.NotFound") \
    TK(route_table, route_table_id, "rtb", "route-table",               \
       "InvalidRouteTableID.NotFound")                                  \
    TK(security_group, group_id, "sg", "security-group",                \
       "InvalidGroup.NotFound")                                         \
    TK(network_interface, network_interface_id, "eni",                  \
       "network-interface", "InvalidNetworkInterfaceID.NotFound")       \
    TK(internet_gateway, internet_gateway_id, "igw", "internet-gateway", \
       "InvalidInternetGatewayID.NotFound")                             \
    TK(prefix_list, prefix_list_id, "pl", "prefix-list",                \
       "InvalidPrefixListID.NotFound")                                  \
    TK(vpc_endpoint, vpc_endpoint_id, "vpce", "vpc-endpoint",           \
       "InvalidVpcEndpointId.NotFound")                                 \
    TK(endpoint_service, service_id, "vpce-svc", "vpc-endpoint-service", \
       "InvalidVpcEndpointServiceId.NotFound")

/* One of the caller's taggable resources. */
struct tag_resource {
    const struct tag_kind *kind;        /* Its kind. */
    const struct ovsdb_idl_row *row;    /* Its row. */
    const struct smap *tags;            /* Its tags column. */
};

/* A kind of taggable resource. */
struct tag_kind {
    const char *prefix;         /* Id prefix, e.g. "rtb". */
    const char *resource_type;  /* AWS ResourceType, e.g. "route-table". */
    const char *not_found;      /* Error code for an unknown id. */

    /* Finds the caller's resource 'id'; false if there is none. */
    bool (*find)(const struct op_ctx *, const char *id,
                 struct tag_resource *);
    void (*setkey)(const struct ovsdb_idl_row *, const char *key,
                   const char *value);
    void (*delkey)(const struct ovsdb_idl_row *, const char *key);
};

#define TK(TABLE, ID, PREFIX, TYPE, NOT_FOUND)                           \
    static bool tag_find_##TABLE(const struct op_ctx *, const char *,    \
                                 struct tag_resource *);                 \
                                                                         \
    static void                                                          \
    tag_setkey_##TABLE(const struct ovsdb_idl_row *row, const char *key, \
                       const char *value)                                \
    {                                                                    \
        plrec_##TABLE##_update_tags_setkey(                              \
            CONTAINER_OF(row, struct plrec_##TABLE, header_), key, value); \
    }                                                                    \
                                                                         \
    static void                                                          \
    tag_delkey_##TABLE(const struct ovsdb_idl_row *row, const char *key) \
    {                                                                    \
        plrec_##TABLE##_update_tags_delkey(                              \
            CONTAINER_OF(row, struct plrec_##TABLE, header_), key);      \
    }
TAG_KINDS
#undef TK

static const struct tag_kind tag_kinds[] = {
#define TK(TABLE, ID, PREFIX, TYPE, NOT_FOUND)                          \
    { PREFIX, TYPE, NOT_FOUND, tag_find_##TABLE, tag_setkey_##TABLE,    \
      tag_delkey_##TABLE },
    TAG_KINDS
#undef TK
};

/* The kind whose table is TABLE, by its position in TAG_KINDS. */
enum tag_kind_index {
#define TK(TABLE, ID, PREFIX, TYPE, NOT_FOUND) TAG_KIND_##TABLE,
    TAG_KINDS
#undef TK
};

#define TK(TABLE, ID, PREFIX, TYPE, NOT_FOUND)                           \
    static bool                                                          \
    tag_find_##TABLE(const struct op_ctx *ctx, const char *id,           \
                     struct tag_resource *res)                           \
    {                                                                    \
        const struct plrec_##TABLE *row = op_find_##TABLE(id);           \
        if (!row || !op_is_owner(ctx, row->owner_id)) {                  \
            return false;                                                \
        }                                                                \
        res->kind = &tag_kinds[TAG_KIND_##TABLE];                        \
        res->row = &row->header_;                                        \
        res->tags = &row->tags;                                          \
        return true;                                                     \
    }
TAG_KINDS
#undef TK

/* Finds the caller's resource 'id' into 'res'; fails 'ctx' if there is
 * none. */
static bool
tag_find_resource(struct op_ctx *ctx, const char *id,
                  struct tag_resource *res)
{
    for (size_t i = 0; i < ARRAY_SIZE(tag_kinds); i++) {
        const struct tag_kind *kind = &tag_kinds[i];
        if (plink_id_valid(id, kind->prefix)) {
            if (!kind->find(ctx, id, res)) {
                op_error(ctx, kind->not_found, "The %s ID '%s' does not "
                         "exist", kind->resource_type, id);
                return false;
            }
            return true;
        }
    }
    op_error(ctx, "InvalidID", "The ID '%s' is not valid", id);
    return false;
}

/* Finds all of 'ids' into a new array '*resp'. */
static bool
tag_find_resources(struct op_ctx *ctx, char **ids, size_t n,
                   struct tag_resource **resp)
{
    *resp = xmalloc((n + 1) * sizeof **resp);
    for (size_t i = 0; i < n; i++) {
        if (!tag_find_resource(ctx, ids[i], &(*resp)[i])) {
            return false;
        }
    }
    return true;
}

/* Returns the number of tags that 'res' would have with 'tags' added. */
static size_t
tag_count_after(const struct tag_resource *res,
                Privatelink__V1__Tag **tags, size_t n)
{
    struct sset keys = SSET_INITIALIZER(&keys);
    struct smap_node *node;
    SMAP_FOR_EACH (node, res->tags) {
        sset_add(&keys, node->key);
    }
    for (size_t i = 0; i < n; i++) {
        sset_add(&keys, tags[i]->key);
    }
    size_t count = sset_count(&keys);
    sset_destroy(&keys);
    return count;
}

void
op_create_tags(struct op_ctx *ctx, const ProtobufCMessage *request,
               ProtobufCMessage *response)
{
    const Privatelink__V1__CreateTagsRequest *rq = (const void *) request;
    Privatelink__V1__CreateTagsResponse *rs = (void *) response;
    struct tag_resource *res = NULL;

    if (!op_require(ctx, rq->n_resources, "ResourceId")
        || !op_require(ctx, rq->n_tags, "Tag")
        || !op_tags_check(ctx, rq->tags, rq->n_tags, false)
        || !tag_find_resources(ctx, rq->resources, rq->n_resources, &res)) {
        free(res);
        return;
    }
    for (size_t i = 0; i < rq->n_resources; i++) {
        if (tag_count_after(&res[i], rq->tags, rq->n_tags) > TAGS_MAX) {
            op_error(ctx, "TagLimitExceeded", "The maximum number of tags "
                     "for a resource is %d.", TAGS_MAX);
            free(res);
            return;
        }
    }

    op_txn(ctx);
    for (size_t i = 0; i < rq->n_resources; i++) {
        for (size_t j = 0; j < rq->n_tags; j++) {
            const Privatelink__V1__Tag *t = rq->tags[j];
            res[i].kind->setkey(res[i].row, t->key, t->value ? t->value : "");
        }
    }
    OP_SET(rs, return_, true);
    free(res);
}

/* Deletes from 'res' the tags that DeleteTags names in 'tags': a tag
 * without a value goes whatever its value, one with a value only if the
 * values match; with no 'tags', every tag goes. */
static void
tag_delete(const struct tag_resource *res, Privatelink__V1__Tag **tags,
           size_t n)
{
    struct smap_node *node;
    SMAP_FOR_EACH (node, res->tags) {
        bool match = !n;
        for (size_t i = 0; i < n && !match; i++) {
            match = (!strcmp(tags[i]->key, node->key)
                     && (!tags[i]->value
                         || !strcmp(tags[i]->value, node->value)));
        }
        if (match) {
            res->kind->delkey(res->row, node->key);
        }
    }
}

void
op_delete_tags(struct op_ctx *ctx, const ProtobufCMessage *request,
               ProtobufCMessage *response)
{
    const Privatelink__V1__DeleteTagsRequest *rq = (const void *) request;
    Privatelink__V1__DeleteTagsResponse *rs = (void *) response;
    struct tag_resource *res = NULL;

    if (op_require(ctx, rq->n_resources, "ResourceId")
        && op_tags_check(ctx, rq->tags, rq->n_tags, false)
        && tag_find_resources(ctx, rq->resources, rq->n_resources, &res)) {
        op_txn(ctx);
        for (size_t i = 0; i < rq->n_resources; i++) {
            tag_delete(&res[i], rq->tags, rq->n_tags);
        }
        OP_SET(rs, return_, true);
    }
    free(res);
}

/* One tag of one resource, as DescribeTags lists them. */
struct tag_entry {
    const char *resource_id;    /* The resource's id. */
    const char *resource_type;  /* Its AWS ResourceType. */
    const char *key;            /* The tag's key. */
    const char *value;          /* The tag's value. */
};

/* Filters of DescribeTags. */
static const struct tag_entry *
tag_row(const void *row)
{
    return row;
}

static void
tag_f_key(const void *row, struct sset *values)
{
    sset_add(values, tag_row(row)->key);
}

static void
tag_f_resource_id(const void *row, struct sset *values)
{
    sset_add(values, tag_row(row)->resource_id);
}

static void
tag_f_resource_type(const void *row, struct sset *values)
{
    sset_add(values, tag_row(row)->resource_type);
}

static void
tag_f_value(const void *row, struct sset *values)
{
    sset_add(values, tag_row(row)->value);
}

static const struct filter_def tag_filters[] = {
    { "key", tag_f_key },
    { "resource-id", tag_f_resource_id },
    { "resource-type", tag_f_resource_type },
    { "value", tag_f_value },
};

/* The tags being collected by DescribeTags. */
struct tag_entries {
    struct tag_entry *entries;
    size_t n, allocated;
};

/* Adds the tags of resource 'id', of 'kind', with 'tags', to 'out' if
 * they pass 'filters'. */
static void
tag_collect(const struct tag_kind *kind, const char *id,
            const struct smap *tags, Privatelink__V1__Filter **filters,
            size_t n_filters, struct tag_entries *out)
{
    struct smap_node *node;
    SMAP_FOR_EACH (node, tags) {
        struct tag_entry e = { id, kind->resource_type, node->key,
                               node->value };
        if (filter_match(filters, n_filters, tag_filters,
                         ARRAY_SIZE(tag_filters), &e, NULL)) {
            if (out->n >= out->allocated) {
                out->entries = x2nrealloc(out->entries, &out->allocated,
                                          sizeof *out->entries);
            }
            out->entries[out->n++] = e;
        }
    }
}

/* Orders tags by resource id, then key. */
static int
tag_compare(const void *a_, const void *b_)
{
    const struct tag_entry *a = a_, *b = b_;
    int cmp = strcmp(a->resource_id, b->resource_id);
    return cmp ? cmp : strcmp(a->key, b->key);
}

/* Returns the index of the first of the 'n' sorted 'entries' at or after
 * the paging position 'start' ("RESOURCE-ID KEY"). */
static size_t
tag_start(const struct tag_entry *entries, size_t n, const char *start)
{
    const char *space = start ? strchr(start, ' ') : NULL;
    if (!space) {
        return 0;
    }
    char *id = xmemdup0(start, space - start);
    struct tag_entry key = { id, NULL, space + 1, NULL };
    size_t i = 0;
    while (i < n && tag_compare(&entries[i], &key) < 0) {
        i++;
    }
    free(id);
    return i;
}

void
op_describe_tags(struct op_ctx *ctx, const ProtobufCMessage *request,
                 ProtobufCMessage *response)
{
    const Privatelink__V1__DescribeTagsRequest *rq = (const void *) request;
    Privatelink__V1__DescribeTagsResponse *rs = (void *) response;
    struct tag_entries out = { NULL, 0, 0 };
    struct op_page page;

    if (!filter_check(ctx, rq->filters, rq->n_filters, tag_filters,
                      ARRAY_SIZE(tag_filters))
        || !op_page_init(ctx, rq->has_max_results, rq->max_results,
                         rq->next_token, 5, 1000, &page)) {
        return;
    }

#define TK(TABLE, ID, PREFIX, TYPE, NOT_FOUND)                          \
    {                                                                   \
        const struct plrec_##TABLE *row;                                \
        for (row = plrec_##TABLE##_first(ctx->idl); row;                \
             row = plrec_##TABLE##_next(row)) {                         \
            if (op_is_owner(ctx, row->owner_id)) {                      \
                tag_collect(&tag_kinds[TAG_KIND_##TABLE], row->ID,      \
                            &row->tags, rq->filters, rq->n_filters,     \
                            &out);                                      \
            }                                                           \
        }                                                               \
    }
    TAG_KINDS
#undef TK

    qsort(out.entries, out.n, sizeof *out.entries, tag_compare);
    for (size_t i = tag_start(out.entries, out.n, page.start_id);
         i < out.n; i++) {
        const struct tag_entry *e = &out.entries[i];
        if (rs->n_tags >= page.limit) {
            char *pos = xasprintf("%s %s", e->resource_id, e->key);
            rs->next_token = op_page_token(pos);
            free(pos);
            break;
        }
        Privatelink__V1__TagDescription *m
            = op_new_msg(&privatelink__v1__tag_description__descriptor);
        m->resource_id = xstrdup(e->resource_id);
        m->resource_type = xstrdup(e->resource_type);
        m->key = xstrdup(e->key);
        m->value = xstrdup(e->value);
        OP_APPEND(rs, tags, m);
    }
    free(out.entries);
    op_page_destroy(&page);
}
