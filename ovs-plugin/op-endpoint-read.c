/*
 * op-endpoint-read.c: the consumer's Describe operations:
 * DescribeVpcEndpoints, DescribeVpcEndpointServices and
 * DescribeVpcEndpointAssociations.
 */
#include <config.h>

#include <stdlib.h>
#include <string.h>

#include "catalog.h"
#include "filter.h"
#include "lib/plink-idl.h"
#include "op-util.h"
#include "ops.h"
#include "ovsdb-idl.h"
#include "pl-endpoint.h"
#include "pl-service.h"
#include "plink-id.h"
#include "sset.h"
#include "util.h"

FILTER_STRING_MEMBER(ept_f_ip_type, struct plrec_vpc_endpoint, ip_address_type)
FILTER_STRING_MEMBER(ept_f_service_name, struct plrec_vpc_endpoint,
                     service_name)

static void
ept_f_region(const void *row OVS_UNUSED, struct sset *v)
{
    sset_add(v, op_region());
}

static void
ept_f_vpc_id(const void *row, struct sset *v)
{
    sset_add(v, ((const struct plrec_vpc_endpoint *) row)->vpc->vpc_id);
}

FILTER_STRING_MEMBER(ept_f_id, struct plrec_vpc_endpoint, vpc_endpoint_id)
FILTER_STRING_MEMBER(ept_f_state, struct plrec_vpc_endpoint, state)
FILTER_STRING_MEMBER(ept_f_type, struct plrec_vpc_endpoint, vpc_endpoint_type)

static const struct filter_def ept_filters[] = {
    { "ip-address-type", ept_f_ip_type },
    { "service-name", ept_f_service_name },
    { "service-region", ept_f_region },
    { "vpc-id", ept_f_vpc_id },
    { "vpc-endpoint-id", ept_f_id },
    { "vpc-endpoint-state", ept_f_state },
    { "vpc-endpoint-type", ept_f_type },
};

/* Returns true if 'ept' belongs in a DescribeVpcEndpoints answer. */
static bool
ept_describe_match(const struct op_ctx *ctx,
                   const Privatelink__V1__DescribeVpcEndpointsRequest *rq,
                   const struct plrec_vpc_endpoint *ept)
{
    return (op_is_owner(ctx, ept->owner_id)
            && filter_match(rq->filters, rq->n_filters, ept_filters,
                            ARRAY_SIZE(ept_filters), ept, &ept->tags));
}

/* Checks the explicit ids of a DescribeVpcEndpoints request. */
static bool
ept_describe_check_ids(struct op_ctx *ctx,
                       const Privatelink__V1__DescribeVpcEndpointsRequest *rq)
{
    for (size_t i = 0; i < rq->n_vpc_endpoint_ids; i++) {
        const char *id = rq->vpc_endpoint_ids[i];
        const struct plrec_vpc_endpoint *ept;
        if (!plink_id_valid(id, "vpce")) {
            op_error(ctx, "InvalidVpcEndpointId.Malformed", "Use the full "
                     "VPC endpoint ID in the form vpce-xxxxxxxx: '%s'", id);
            return false;
        } else if (!(ept = op_find_vpc_endpoint(id))
                   || !op_is_owner(ctx, ept->owner_id)) {
            op_error(ctx, "InvalidVpcEndpointId.NotFound", "The Vpc Endpoint "
                     "Id '%s' does not exist", id);
            return false;
        }
    }
    return true;
}

/* Adds 'ept' to the page in 'rs', or ends the page there.  Returns false
 * once the page is full. */
static bool
ept_describe_add(const struct op_ctx *ctx, const struct op_page *page,
                 const struct plrec_vpc_endpoint *ept,
                 Privatelink__V1__DescribeVpcEndpointsResponse *rs)
{
    if (rs->n_vpc_endpoints >= page->limit) {
        rs->next_token = op_page_token(ept->vpc_endpoint_id);
        return false;
    }
    OP_APPEND(rs, vpc_endpoints, ept_to_msg(ctx, ept));
    return true;
}

/* Answers a DescribeVpcEndpoints that names its endpoints. */
static void
ept_describe_ids(const struct op_ctx *ctx,
                 const Privatelink__V1__DescribeVpcEndpointsRequest *rq,
                 const struct op_page *page,
                 Privatelink__V1__DescribeVpcEndpointsResponse *rs)
{
    struct sset ids = SSET_INITIALIZER(&ids);
    for (size_t i = 0; i < rq->n_vpc_endpoint_ids; i++) {
        sset_add(&ids, rq->vpc_endpoint_ids[i]);
    }
    const char **sorted = sset_sort(&ids);
    for (size_t i = 0; i < sset_count(&ids); i++) {
        const struct plrec_vpc_endpoint *ept = op_find_vpc_endpoint(sorted[i]);
        if ((page->start_id && strcmp(sorted[i], page->start_id) < 0)
            || !ept_describe_match(ctx, rq, ept)) {
            continue;
        }
        if (!ept_describe_add(ctx, page, ept, rs)) {
            break;
        }
    }
    free(sorted);
    sset_destroy(&ids);
}

void
op_describe_vpc_endpoints(struct op_ctx *ctx, const ProtobufCMessage *request,
                          ProtobufCMessage *response)
{
    const Privatelink__V1__DescribeVpcEndpointsRequest *rq
        = (const void *) request;
    Privatelink__V1__DescribeVpcEndpointsResponse *rs = (void *) response;
    struct op_page page;

    if (!filter_check(ctx, rq->filters, rq->n_filters, ept_filters,
                      ARRAY_SIZE(ept_filters))
        || !ept_describe_check_ids(ctx, rq)
        || !op_page_init(ctx, rq->has_max_results, rq->max_results,
                         rq->next_token, 1, 1000, &page)) {
        return;
    }
    if (rq->n_vpc_endpoint_ids) {
        ept_describe_ids(ctx, rq, &page, rs);
        op_page_destroy(&page);
        return;
    }

    const struct plrec_vpc_endpoint *ept;
    struct plrec_vpc_endpoint *from = NULL;
    struct ovsdb_idl_index *index = op_index_vpc_endpoint();
    if (page.start_id) {
        from = plrec_vpc_endpoint_index_init_row(index);
        plrec_vpc_endpoint_index_set_vpc_endpoint_id(from, page.start_id);
    }
    PLREC_VPC_ENDPOINT_FOR_EACH_RANGE (ept, from, NULL, index) {
        if (ept_describe_match(ctx, rq, ept)
            && !ept_describe_add(ctx, &page, ept, rs)) {
            break;
        }
    }
    if (from) {
        plrec_vpc_endpoint_index_destroy_row(from);
    }
    op_page_destroy(&page);
}

FILTER_STRING_MEMBER(svc_f_owner, struct plrec_endpoint_service, owner_id)
FILTER_STRING_MEMBER(svc_f_name, struct plrec_endpoint_service, service_name)

static void
svc_f_region(const void *row OVS_UNUSED, struct sset *v)
{
    sset_add(v, op_region());
}

static void
svc_f_type(const void *row, struct sset *v)
{
    const struct plrec_endpoint_service *svc = row;
    for (size_t i = 0; i < svc->n_service_types; i++) {
        sset_add(v, svc->service_types[i]);
    }
}

static void
svc_f_ip_types(const void *row, struct sset *v)
{
    const struct plrec_endpoint_service *svc = row;
    for (size_t i = 0; i < svc->n_supported_ip_address_types; i++) {
        sset_add(v, svc->supported_ip_address_types[i]);
    }
}

static const struct filter_def svc_filters[] = {
    { "owner", svc_f_owner },
    { "service-name", svc_f_name },
    { "service-region", svc_f_region },
    { "service-type", svc_f_type },
    { "supported-ip-address-types", svc_f_ip_types },
};

static int
svc_compare_by_name(const void *a_, const void *b_)
{
    const struct plrec_endpoint_service *const *a = a_, *const *b = b_;
    return strcmp((*a)->service_name, (*b)->service_name);
}

/* Collects into '*svcsp' the services the caller may see and that the
 * request selects, sorted by name.  Returns their number, or SIZE_MAX
 * after failing 'ctx'. */
static size_t
svc_collect_visible(struct op_ctx *ctx,
    const Privatelink__V1__DescribeVpcEndpointServicesRequest *rq,
    const struct plrec_endpoint_service ***svcsp)
{
    for (size_t i = 0; i < rq->n_service_names; i++) {
        const struct plrec_endpoint_service *svc
            = svc_find_by_name(ctx->idl, rq->service_names[i]);
        if (!svc || !svc_may_connect(ctx, svc)) {
            op_error(ctx, "InvalidServiceName", "The Vpc Endpoint Service "
                     "'%s' does not exist", rq->service_names[i]);
            return SIZE_MAX;
        }
    }

    size_t n = 0, allocated = 0;
    const struct plrec_endpoint_service **svcs = NULL;
    const struct plrec_endpoint_service *svc;
    PLREC_ENDPOINT_SERVICE_FOR_EACH (svc, ctx->idl) {
        const struct smap *tags = svc_is_owner(ctx, svc) ? &svc->tags : NULL;
        if (!svc_may_connect(ctx, svc)
            || (rq->n_service_names && !op_in_list(rq->service_names,
                                                   rq->n_service_names,
                                                   svc->service_name))
            || !filter_match(rq->filters, rq->n_filters, svc_filters,
                             ARRAY_SIZE(svc_filters), svc, tags)) {
            continue;
        }
        if (n >= allocated) {
            svcs = x2nrealloc(svcs, &allocated, sizeof *svcs);
        }
        svcs[n++] = svc;
    }
    if (n) {
        qsort(svcs, n, sizeof *svcs, svc_compare_by_name);
    }
    *svcsp = svcs;
    return n;
}

void
op_describe_vpc_endpoint_services(struct op_ctx *ctx,
                                  const ProtobufCMessage *request,
                                  ProtobufCMessage *response)
{
    const Privatelink__V1__DescribeVpcEndpointServicesRequest *rq
        = (const void *) request;
    Privatelink__V1__DescribeVpcEndpointServicesResponse *rs
        = (void *) response;
    const struct plrec_endpoint_service **svcs = NULL;
    struct op_page page;

    if (!filter_check(ctx, rq->filters, rq->n_filters, svc_filters,
                      ARRAY_SIZE(svc_filters))
        || !op_page_init(ctx, rq->has_max_results, rq->max_results,
                         rq->next_token, 1, 1000, &page)) {
        return;
    }
    size_t n = svc_collect_visible(ctx, rq, &svcs);
    for (size_t i = 0; n != SIZE_MAX && i < n; i++) {
        const struct plrec_endpoint_service *svc = svcs[i];
        if (page.start_id && strcmp(svc->service_name, page.start_id) < 0) {
            continue;
        }
        if (rs->n_service_details >= page.limit) {
            rs->next_token = op_page_token(svc->service_name);
            break;
        }
        OP_APPEND(rs, service_names, xstrdup(svc->service_name));
        OP_APPEND(rs, service_details, svc_to_detail(ctx, svc));
    }
    free(svcs);
    op_page_destroy(&page);
}

static void
assoc_f_none(const void *row OVS_UNUSED, struct sset *v OVS_UNUSED)
{
}

static const struct filter_def assoc_filters[] = {
    { "vpc-endpoint-id", assoc_f_none },
    { "associated-resource-accessibility", assoc_f_none },
    { "association-id", assoc_f_none },
    { "associated-resource-id", assoc_f_none },
    { "service-network-arn", assoc_f_none },
    { "resource-configuration-group-arn", assoc_f_none },
};

/* DescribeVpcEndpointAssociations lists the resource associations of
 * Resource and ServiceNetwork endpoints (VPC Lattice).  This deployment
 * has no such endpoints, so after checking the request the answer is
 * always the empty list, as AWS answers for an account without them. */
void
op_describe_vpc_endpoint_associations(struct op_ctx *ctx,
                                      const ProtobufCMessage *request,
                                      ProtobufCMessage *response OVS_UNUSED)
{
    const Privatelink__V1__DescribeVpcEndpointAssociationsRequest *rq
        = (const void *) request;
    struct op_page page;

    if (!filter_check(ctx, rq->filters, rq->n_filters, assoc_filters,
                      ARRAY_SIZE(assoc_filters))
        || !op_page_init(ctx, rq->has_max_results, rq->max_results,
                         rq->next_token, 1, 100, &page)) {
        return;
    }
    for (size_t i = 0; i < rq->n_vpc_endpoint_ids; i++) {
        const struct plrec_vpc_endpoint *ept
            = op_find_vpc_endpoint(rq->vpc_endpoint_ids[i]);
        if (!ept || !op_is_owner(ctx, ept->owner_id)) {
            op_error(ctx, "InvalidVpcEndpointId.NotFound", "The Vpc Endpoint "
                     "Id '%s' does not exist", rq->vpc_endpoint_ids[i]);
            break;
        }
    }
    op_page_destroy(&page);
}
