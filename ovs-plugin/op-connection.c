/*
 * op-connection.c: the provider's side of endpoint connections:
 * AcceptVpcEndpointConnections, RejectVpcEndpointConnections and
 * DescribeVpcEndpointConnections.
 *
 * The guide's rules: only the service's owner accepts or rejects; it may
 * accept an endpoint that is pendingAcceptance, and reject one that is
 * pendingAcceptance, pending or available.  A rejected endpoint keeps its
 * row (its owner deletes it) but loses its network interfaces, so nothing
 * reaches the service through it.
 */
#include <config.h>

#include <stdlib.h>
#include <string.h>

#include "eni.h"
#include "filter.h"
#include "lib/plink-idl.h"
#include "op-util.h"
#include "ops.h"
#include "ovsdb-idl.h"
#include "pl-endpoint.h"
#include "pl-service.h"
#include "smap.h"
#include "sset.h"
#include "util.h"

/* Returns the caller's service 'id', or fails 'ctx'. */
static const struct plrec_endpoint_service *
conn_find_service(struct op_ctx *ctx, const char *id)
{
    if (!op_require(ctx, id != NULL, "ServiceId")) {
        return NULL;
    }
    const struct plrec_endpoint_service *svc = op_find_endpoint_service(id);
    if (!svc || !svc_is_owner(ctx, svc)) {
        op_error(ctx, "InvalidVpcEndpointServiceId.NotFound",
                 "The VpcEndpointService Id '%s' does not exist", id);
        return NULL;
    }
    return svc;
}

/* Accepts endpoint 'id' of 'svc', or returns the error of its item. */
static Privatelink__V1__UnsuccessfulItem *
conn_accept_one(struct op_ctx *ctx, const struct plrec_endpoint_service *svc,
                const char *id)
{
    const struct plrec_vpc_endpoint *ept = op_find_vpc_endpoint(id);
    if (!ept || ept->service != svc) {
        return op_unsuccessful_item(id, "InvalidVpcEndpointId.NotFound",
                                    xasprintf("The Vpc Endpoint Id '%s' does "
                                              "not exist", id));
    } else if (strcmp(ept->state, "pendingAcceptance")) {
        return op_unsuccessful_item(id, "InvalidState", xasprintf(
                                        "The VPC endpoint %s is %s: only "
                                        "pendingAcceptance endpoints can be "
                                        "accepted.", id, ept->state));
    }
    ept_set_state(ctx, ept, "pending");
    ept_notify(ctx, ept, svc, "Accept", "pending");
    return NULL;
}

/* Rejects endpoint 'id' of 'svc', or returns the error of its item. */
static Privatelink__V1__UnsuccessfulItem *
conn_reject_one(struct op_ctx *ctx, const struct plrec_endpoint_service *svc,
                const char *id)
{
    const struct plrec_vpc_endpoint *ept = op_find_vpc_endpoint(id);
    if (!ept || ept->service != svc) {
        return op_unsuccessful_item(id, "InvalidVpcEndpointId.NotFound",
                                    xasprintf("The Vpc Endpoint Id '%s' does "
                                              "not exist", id));
    } else if (strcmp(ept->state, "pendingAcceptance")
               && strcmp(ept->state, "pending")
               && strcmp(ept->state, "available")) {
        return op_unsuccessful_item(id, "InvalidState", xasprintf(
                                        "The VPC endpoint %s is %s and "
                                        "cannot be rejected.", id,
                                        ept->state));
    }
    ept_set_state(ctx, ept, "rejected");
    for (size_t i = 0; i < ept->n_network_interfaces; i++) {
        eni_delete(ctx, ept->network_interfaces[i]);
    }
    plrec_vpc_endpoint_set_network_interfaces(ept, NULL, 0);
    ept_notify(ctx, ept, svc, "Reject", "rejected");
    return NULL;
}

/* Runs 'one' on every endpoint of an Accept or Reject request. */
static void
conn_batch(struct op_ctx *ctx, const char *service_id, char **ids, size_t n,
           Privatelink__V1__UnsuccessfulItem *(*one)(
               struct op_ctx *, const struct plrec_endpoint_service *,
               const char *),
           Privatelink__V1__UnsuccessfulItem ***itemsp, size_t *np)
{
    const struct plrec_endpoint_service *svc = conn_find_service(ctx,
                                                                 service_id);
    if (!svc || !op_require(ctx, n > 0, "VpcEndpointIds")) {
        return;
    }
    op_txn(ctx);
    for (size_t i = 0; i < n; i++) {
        Privatelink__V1__UnsuccessfulItem *item = one(ctx, svc, ids[i]);
        if (item) {
            *itemsp = xrealloc(*itemsp, (*np + 1) * sizeof **itemsp);
            (*itemsp)[(*np)++] = item;
        }
    }
}

void
op_accept_vpc_endpoint_connections(struct op_ctx *ctx,
                                   const ProtobufCMessage *request,
                                   ProtobufCMessage *response)
{
    const Privatelink__V1__AcceptVpcEndpointConnectionsRequest *rq
        = (const void *) request;
    Privatelink__V1__AcceptVpcEndpointConnectionsResponse *rs
        = (void *) response;
    conn_batch(ctx, rq->service_id, rq->vpc_endpoint_ids,
               rq->n_vpc_endpoint_ids, conn_accept_one, &rs->unsuccessful,
               &rs->n_unsuccessful);
}

void
op_reject_vpc_endpoint_connections(struct op_ctx *ctx,
                                   const ProtobufCMessage *request,
                                   ProtobufCMessage *response)
{
    const Privatelink__V1__RejectVpcEndpointConnectionsRequest *rq
        = (const void *) request;
    Privatelink__V1__RejectVpcEndpointConnectionsResponse *rs
        = (void *) response;
    conn_batch(ctx, rq->service_id, rq->vpc_endpoint_ids,
               rq->n_vpc_endpoint_ids, conn_reject_one, &rs->unsuccessful,
               &rs->n_unsuccessful);
}

static void
conn_f_service_id(const void *row, struct sset *v)
{
    const struct plrec_vpc_endpoint *ept = row;
    if (ept->service) {
        sset_add(v, ept->service->service_id);
    }
}

FILTER_STRING_MEMBER(conn_f_owner, struct plrec_vpc_endpoint, owner_id)
FILTER_STRING_MEMBER(conn_f_state, struct plrec_vpc_endpoint, state)
FILTER_STRING_MEMBER(conn_f_id, struct plrec_vpc_endpoint, vpc_endpoint_id)
FILTER_STRING_MEMBER(conn_f_ip_type, struct plrec_vpc_endpoint,
                     ip_address_type)

static void
conn_f_region(const void *row OVS_UNUSED, struct sset *v)
{
    sset_add(v, op_region());
}

static const struct filter_def conn_filters[] = {
    { "service-id", conn_f_service_id },
    { "vpc-endpoint-owner", conn_f_owner },
    { "vpc-endpoint-state", conn_f_state },
    { "vpc-endpoint-id", conn_f_id },
    { "ip-address-type", conn_f_ip_type },
    { "vpc-endpoint-region", conn_f_region },
};

void
op_describe_vpc_endpoint_connections(struct op_ctx *ctx,
                                     const ProtobufCMessage *request,
                                     ProtobufCMessage *response)
{
    const Privatelink__V1__DescribeVpcEndpointConnectionsRequest *rq
        = (const void *) request;
    Privatelink__V1__DescribeVpcEndpointConnectionsResponse *rs
        = (void *) response;
    struct op_page page;

    if (!filter_check(ctx, rq->filters, rq->n_filters, conn_filters,
                      ARRAY_SIZE(conn_filters))
        || !op_page_init(ctx, rq->has_max_results, rq->max_results,
                         rq->next_token, 5, 1000, &page)) {
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
        if (!ept->service || !svc_is_owner(ctx, ept->service)
            || !filter_match(rq->filters, rq->n_filters, conn_filters,
                             ARRAY_SIZE(conn_filters), ept, NULL)) {
            continue;
        }
        if (rs->n_vpc_endpoint_connections >= page.limit) {
            rs->next_token = op_page_token(ept->vpc_endpoint_id);
            break;
        }
        OP_APPEND(rs, vpc_endpoint_connections, ept_to_connection(ctx, ept));
    }
    if (from) {
        plrec_vpc_endpoint_index_destroy_row(from);
    }
    op_page_destroy(&page);
}
