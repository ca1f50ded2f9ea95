/*
 * op-util.c: what the API operations share (see op-util.h).
 */
#include <config.h>
#include "op-util.h"

#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>

#include "lib/plink-idl.h"
#include "openvswitch/dynamic-string.h"
#include "ops.h"
#include "ovsdb-idl.h"
#include "pb-reflect.h"
#include "plink-id.h"
#include "smap.h"
#include "util.h"

/* The id indexes, one per indexed table. */
#define T(TABLE, COLUMN) static struct ovsdb_idl_index *TABLE##_index;
OP_INDEXED_TABLES
#undef T

/* Vpc_Endpoint by VPC and by client token: what the quota, private DNS
 * and idempotency checks of a create look up, so that they cost the same
 * with 100 or 100,000 endpoints in the region. */
static struct ovsdb_idl_index *vpc_endpoint_by_vpc;
static struct ovsdb_idl_index *vpc_endpoint_by_token;

/* Creates the id index of every indexed table on 'idl', and the other
 * indexes above. */
void
op_util_init(struct ovsdb_idl *idl)
{
#define T(TABLE, COLUMN)                                                \
    TABLE##_index = ovsdb_idl_index_create1(                            \
        idl, &plrec_##TABLE##_col_##COLUMN);
    OP_INDEXED_TABLES
#undef T
    vpc_endpoint_by_vpc = ovsdb_idl_index_create1(
        idl, &plrec_vpc_endpoint_col_vpc);
    vpc_endpoint_by_token = ovsdb_idl_index_create1(
        idl, &plrec_vpc_endpoint_col_client_token);
}

/* Stores in '*epts' (malloc'd) the endpoints of 'vpc' and returns their
 * number. */
size_t
op_vpc_endpoints_of_vpc(const struct plrec_vpc *vpc,
                        const struct plrec_vpc_endpoint ***epts)
{
    struct plrec_vpc_endpoint *key
        = plrec_vpc_endpoint_index_init_row(vpc_endpoint_by_vpc);
    const struct plrec_vpc_endpoint *e;
    size_t n = 0, allocated = 0;

    *epts = NULL;
    plrec_vpc_endpoint_index_set_vpc(key, vpc);
    PLREC_VPC_ENDPOINT_FOR_EACH_EQUAL (e, key, vpc_endpoint_by_vpc) {
        if (n >= allocated) {
            *epts = x2nrealloc(*epts, &allocated, sizeof **epts);
        }
        (*epts)[n++] = e;
    }
    plrec_vpc_endpoint_index_destroy_row(key);
    return n;
}

/* Returns the endpoint of 'owner' (an account id) created with client
 * token 'token', or NULL. */
const struct plrec_vpc_endpoint *
op_vpc_endpoint_by_token(const char *token, const char *owner)
{
    struct plrec_vpc_endpoint *key
        = plrec_vpc_endpoint_index_init_row(vpc_endpoint_by_token);
    const struct plrec_vpc_endpoint *e, *found = NULL;

    plrec_vpc_endpoint_index_set_client_token(key, token);
    PLREC_VPC_ENDPOINT_FOR_EACH_EQUAL (e, key, vpc_endpoint_by_token) {
        if (!found && !strcmp(e->owner_id, owner)) {
            found = e;
        }
    }
    plrec_vpc_endpoint_index_destroy_row(key);
    return found;
}

#define T(TABLE, COLUMN)                                                \
    const struct plrec_##TABLE *                                        \
    op_find_##TABLE(const char *id)                                     \
    {                                                                   \
        struct plrec_##TABLE *key                                       \
            = plrec_##TABLE##_index_init_row(TABLE##_index);            \
        plrec_##TABLE##_index_set_##COLUMN(key, id);                    \
        const struct plrec_##TABLE *row                                 \
            = plrec_##TABLE##_index_find(TABLE##_index, key);           \
        plrec_##TABLE##_index_destroy_row(key);                         \
        return row;                                                     \
    }                                                                   \
                                                                        \
    struct ovsdb_idl_index *                                            \
    op_index_##TABLE(void)                                              \
    {                                                                   \
        return TABLE##_index;                                           \
    }
OP_INDEXED_TABLES
#undef T

/* Returns the caller's 12-digit account id. */
const char *
op_account_id(const struct op_ctx *ctx)
{
    return ctx->account ? ctx->account->account_id : "";
}

/* Returns true if the caller's account is 'owner_id'. */
bool
op_is_owner(const struct op_ctx *ctx, const char *owner_id)
{
    return ctx->account && !strcmp(ctx->account->account_id, owner_id);
}

/* Fails 'ctx' with MissingParameter unless 'present'. */
bool
op_require(struct op_ctx *ctx, bool present, const char *name)
{
    if (!present) {
        op_error(ctx, "MissingParameter",
                 "The request must contain the parameter %s", name);
    }
    return present;
}

/* Checks that 'id' has the form PREFIX-HEX; otherwise fails 'ctx' with
 * 'code' (e.g. "InvalidVpcID.Malformed"). */
bool
op_check_id(struct op_ctx *ctx, const char *id, const char *prefix,
            const char *code)
{
    if (!plink_id_valid(id, prefix)) {
        op_error(ctx, code, "Invalid id: \"%s\" (expecting \"%s-...\")",
                 id, prefix);
        return false;
    }
    return true;
}

/* Checks that 'value' of parameter 'name' is one of the NULL-terminated
 * 'allowed'. */
bool
op_check_enum(struct op_ctx *ctx, const char *value, const char *name,
              const char *const *allowed)
{
    for (const char *const *a = allowed; *a; a++) {
        if (!strcmp(*a, value)) {
            return true;
        }
    }
    op_error(ctx, "InvalidParameterValue",
             "Value (%s) for parameter %s is invalid.", value, name);
    return false;
}

/* Returns true if 's' is one of the 'n' strings in 'list'. */
bool
op_in_list(char **list, size_t n, const char *s)
{
    for (size_t i = 0; i < n; i++) {
        if (!strcmp(list[i], s)) {
            return true;
        }
    }
    return false;
}

/* Returns a new, empty message of type 'md'. */
void *
op_new_msg(const ProtobufCMessageDescriptor *md)
{
    return pbr_new_message(md);
}

/* Returns a copy of 's' for a response field (NULL stays NULL). */
char *
op_strdup(const char *s)
{
    return nullable_xstrdup(s);
}

/* Checks the tags 'tags[0..n-1]': keys of 1 to 128 characters that do not
 * start with "aws:", values of at most 256 characters, at most 50 tags;
 * with 'need_values', every tag must have a value. */
bool
op_tags_check(struct op_ctx *ctx, Privatelink__V1__Tag **tags, size_t n,
              bool need_values)
{
    if (n > 50) {
        op_error(ctx, "TagLimitExceeded", "The maximum number of tags for a "
                 "resource is 50.");
        return false;
    }
    for (size_t i = 0; i < n; i++) {
        const char *key = tags[i]->key;
        if (!key || !*key || strlen(key) > 128) {
            op_error(ctx, "InvalidParameterValue", "Tag keys must be 1 to "
                     "128 characters long.");
            return false;
        } else if (!strncmp(key, "aws:", 4)) {
            op_error(ctx, "InvalidParameterValue", "Tag keys starting with "
                     "'aws:' are reserved for internal use");
            return false;
        } else if (need_values && !tags[i]->value) {
            op_error(ctx, "InvalidParameterValue", "Tag %s has no value",
                     key);
            return false;
        } else if (tags[i]->value && strlen(tags[i]->value) > 256) {
            op_error(ctx, "InvalidParameterValue", "Tag values may be at "
                     "most 256 characters long.");
            return false;
        }
    }
    return true;
}

/* Collects into 'tags' the tags that 'specs' give for 'resource_type'
 * (TagSpecifications of a create call).  A specification for another
 * resource type fails the call, as AWS does. */
bool
op_tags_from_specs(struct op_ctx *ctx,
                   Privatelink__V1__TagSpecification **specs, size_t n,
                   const char *resource_type, struct smap *tags)
{
    for (size_t i = 0; i < n; i++) {
        const Privatelink__V1__TagSpecification *s = specs[i];
        if (!s->resource_type || strcmp(s->resource_type, resource_type)) {
            op_error(ctx, "InvalidParameterValue", "'%s' is not a valid "
                     "taggable resource type for this operation.",
                     s->resource_type ? s->resource_type : "");
            return false;
        }
        if (!op_tags_check(ctx, s->tags, s->n_tags, true)) {
            return false;
        }
        for (size_t j = 0; j < s->n_tags; j++) {
            smap_replace(tags, s->tags[j]->key, s->tags[j]->value);
        }
    }
    return true;
}

/* Stores the tags in 'smap', sorted by key, as a repeated Tag field. */
void
op_tags_to_msg(const struct smap *smap, Privatelink__V1__Tag ***tagsp,
               size_t *np)
{
    const struct smap_node **nodes = smap_sort(smap);
    size_t n = smap_count(smap);

    *tagsp = n ? xmalloc(n * sizeof **tagsp) : NULL;
    *np = n;
    for (size_t i = 0; i < n; i++) {
        Privatelink__V1__Tag *t = op_new_msg(&privatelink__v1__tag__descriptor);
        t->key = xstrdup(nodes[i]->key);
        t->value = xstrdup(nodes[i]->value);
        (*tagsp)[i] = t;
    }
    free(nodes);
}

/* Sets up paging: 'max_results' (if 'has_max') must be at least 'min' and
 * is capped at 'max' (AWS returns at most 1,000 items a page); the token,
 * if any, must be one op_page_token() made.  Without MaxResults every
 * item is returned. */
bool
op_page_init(struct op_ctx *ctx, bool has_max, int32_t max_results,
             const char *next_token, int min, int max, struct op_page *page)
{
    page->limit = SIZE_MAX;
    page->start_id = NULL;
    if (has_max) {
        if (max_results < min) {
            op_error(ctx, "InvalidParameterValue", "Value ( %d ) for "
                     "parameter maxResults is invalid. Parameter must be "
                     "between %d and %d.", max_results, min, max);
            return false;
        }
        page->limit = MIN(max_results, max);
    }
    if (next_token) {
        size_t len = strlen(next_token);
        unsigned char *raw = xmalloc(len + 1);
        int n = len % 4 ? -1 : EVP_DecodeBlock(raw, (const unsigned char *)
                                               next_token, len);
        if (n < 4 || memcmp(raw, "pl1:", 4)) {
            free(raw);
            op_error(ctx, "InvalidNextToken",
                     "The specified NextToken is not valid.");
            return false;
        }
        page->start_id = xmemdup0((char *) raw + 4, strnlen((char *) raw + 4,
                                                            n - 4));
        free(raw);
    }
    return true;
}

/* Returns the opaque NextToken of a page that starts at 'next_id'. */
char *
op_page_token(const char *next_id)
{
    char *raw = xasprintf("pl1:%s", next_id);
    size_t len = strlen(raw);
    char *token = xmalloc(4 * ((len + 2) / 3) + 1);
    EVP_EncodeBlock((unsigned char *) token, (unsigned char *) raw, len);
    free(raw);
    return token;
}

void
op_page_destroy(struct op_page *page)
{
    free(page->start_id);
    page->start_id = NULL;
}

/* Returns a new UnsuccessfulItem for 'resource_id' with error 'code' and
 * 'message' (which it takes), for the batch operations. */
Privatelink__V1__UnsuccessfulItem *
op_unsuccessful_item(const char *resource_id, const char *code,
                     char *message)
{
    Privatelink__V1__UnsuccessfulItem *item
        = op_new_msg(&privatelink__v1__unsuccessful_item__descriptor);
    Privatelink__V1__UnsuccessfulItemError *e
        = op_new_msg(&privatelink__v1__unsuccessful_item_error__descriptor);
    e->code = xstrdup(code);
    e->message = message;
    item->error = e;
    item->resource_id = xstrdup(resource_id);
    return item;
}

/* The region of the deployment, as the last call saw it. */
static char *region;

/* Remembers 'r' as the deployment's region (each call's context does). */
void
op_set_region(const char *r)
{
    if (r && (!region || strcmp(region, r))) {
        free(region);
        region = xstrdup(r);
    }
}

/* Returns the deployment's region, "us-east-1" until a call has run. */
const char *
op_region(void)
{
    return region ? region : "us-east-1";
}
