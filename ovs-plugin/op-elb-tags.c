/*
 * op-elb-tags.c: the tag operations of Elastic Load Balancing v2 (AddTags,
 * RemoveTags, DescribeTags), which tag load balancers and target groups
 * by ARN.  (EC2's own tag operations, CreateTags and the rest, are the
 * VPC area's.)
 *
 * A call names up to 20 resources and is all or nothing: one ARN that is
 * malformed, unknown or another account's fails it before anything is
 * written.
 */
#include <config.h>

#include <stdlib.h>
#include <string.h>

#include "lib/plink-idl.h"
#include "op-elb-util.h"
#include "op-util.h"
#include "ops.h"
#include "smap.h"
#include "util.h"

/* A resource that ELBv2 tags: a load balancer or a target group. */
struct elb_taggable {
    const char *arn;                            /* Its ARN. */
    const struct plrec_load_balancer *lb;       /* The load balancer, or */
    const struct plrec_target_group *tg;        /* the target group. */
    const struct smap *tags;                    /* Its tags. */
};

/* Finds the caller's taggable resource 'arn'. */
static bool
elb_find_taggable(struct op_ctx *ctx, const char *arn, struct elb_taggable *t)
{
    memset(t, 0, sizeof *t);
    t->arn = arn;
    if (strstr(arn, ":loadbalancer/")) {
        t->lb = elb_find_lb(ctx, arn);
        t->tags = t->lb ? &t->lb->tags : NULL;
    } else if (strstr(arn, ":targetgroup/")) {
        t->tg = elb_find_tg(ctx, arn);
        t->tags = t->tg ? &t->tg->tags : NULL;
    } else if (elb_arn_valid(arn, "listener")) {
        op_error(ctx, "ValidationError", "Tags on listeners are not "
                 "supported: '%s'", arn);
    } else {
        op_error(ctx, "ValidationError", "'%s' is not a valid load balancer "
                 "or target group ARN", arn);
    }
    return t->tags != NULL;
}

/* Finds the caller's 'n' taggable resources 'arns' (1 to 20 of them). */
static struct elb_taggable *
elb_find_taggables(struct op_ctx *ctx, char **arns, size_t n)
{
    if (!elb_require(ctx, n, "resourceArns")) {
        return NULL;
    } else if (n > 20) {
        op_error(ctx, "ValidationError", "At most 20 resource ARNs can be "
                 "specified");
        return NULL;
    }
    struct elb_taggable *ts = xmalloc(n * sizeof *ts);
    for (size_t i = 0; i < n; i++) {
        if (!elb_find_taggable(ctx, arns[i], &ts[i])) {
            free(ts);
            return NULL;
        }
    }
    return ts;
}

/* Replaces the tags of 't' by 'tags'. */
static void
elb_set_tags(struct op_ctx *ctx, const struct elb_taggable *t,
             const struct smap *tags)
{
    if (!smap_equal(tags, t->tags)) {
        op_txn(ctx);
        if (t->lb) {
            plrec_load_balancer_set_tags(t->lb, tags);
        } else {
            plrec_target_group_set_tags(t->tg, tags);
        }
    }
}

/* AddTags: adds or replaces tags of load balancers and target groups. */
void
op_elb_add_tags(struct op_ctx *ctx, const ProtobufCMessage *request,
                ProtobufCMessage *response OVS_UNUSED)
{
    const Privatelink__V1__ElbAddTagsRequest *rq = (const void *) request;
    struct elb_taggable *ts = elb_find_taggables(ctx, rq->resource_arns,
                                                 rq->n_resource_arns);
    if (!ts || !elb_require(ctx, rq->n_tags, "tags")
        || !elb_tags_check(ctx, rq->tags, rq->n_tags)) {
        free(ts);
        return;
    }

    size_t n = rq->n_resource_arns;
    struct smap *new = xmalloc(n * sizeof *new);
    for (size_t i = 0; i < n; i++) {
        smap_clone(&new[i], ts[i].tags);
        elb_tags_add(&new[i], rq->tags, rq->n_tags);
        if (smap_count(&new[i]) > 50) {
            op_error(ctx, "TooManyTags", "You've reached the limit on the "
                     "number of tags for resource '%s'", ts[i].arn);
        }
    }
    for (size_t i = 0; i < n; i++) {
        if (!op_failed(ctx)) {
            elb_set_tags(ctx, &ts[i], &new[i]);
        }
        smap_destroy(&new[i]);
    }
    free(new);
    free(ts);
}

/* RemoveTags: keys that a resource does not have are ignored. */
void
op_elb_remove_tags(struct op_ctx *ctx, const ProtobufCMessage *request,
                   ProtobufCMessage *response OVS_UNUSED)
{
    const Privatelink__V1__ElbRemoveTagsRequest *rq = (const void *) request;
    struct elb_taggable *ts = elb_find_taggables(ctx, rq->resource_arns,
                                                 rq->n_resource_arns);
    if (!ts || !elb_require(ctx, rq->n_tag_keys, "tagKeys")) {
        free(ts);
        return;
    }
    for (size_t i = 0; i < rq->n_tag_keys; i++) {
        if (!rq->tag_keys[i][0] || strlen(rq->tag_keys[i]) > 128) {
            op_error(ctx, "ValidationError", "Tag keys must be between 1 and "
                     "128 characters long");
            free(ts);
            return;
        }
    }

    for (size_t i = 0; i < rq->n_resource_arns; i++) {
        struct smap tags;
        smap_clone(&tags, ts[i].tags);
        for (size_t j = 0; j < rq->n_tag_keys; j++) {
            smap_remove(&tags, rq->tag_keys[j]);
        }
        elb_set_tags(ctx, &ts[i], &tags);
        smap_destroy(&tags);
    }
    free(ts);
}

/* DescribeTags: the tags of each resource, in the order asked for. */
void
op_elb_describe_tags(struct op_ctx *ctx, const ProtobufCMessage *request,
                     ProtobufCMessage *response)
{
    const Privatelink__V1__ElbDescribeTagsRequest *rq = (const void *) request;
    Privatelink__V1__ElbDescribeTagsResponse *rs = (void *) response;
    struct elb_taggable *ts = elb_find_taggables(ctx, rq->resource_arns,
                                                 rq->n_resource_arns);

    for (size_t i = 0; ts && i < rq->n_resource_arns; i++) {
        Privatelink__V1__ElbTagDescription *d
            = op_new_msg(&privatelink__v1__elb_tag_description__descriptor);
        d->resource_arn = xstrdup(ts[i].arn);
        elb_tags_to_msg(ts[i].tags, &d->tags, &d->n_tags);
        OP_APPEND(rs, tag_descriptions, d);
    }
    free(ts);
}
