/*
 * op-igw.c: internet gateways: CreateInternetGateway,
 * AttachInternetGateway, DetachInternetGateway, DeleteInternetGateway and
 * DescribeInternetGateways.
 *
 * A gateway is attached to at most one VPC and a VPC has at most one
 * gateway (Resource.AlreadyAssociated).  Routes to a gateway are active
 * while it is attached to the route table's VPC and "blackhole"
 * otherwise; attaching and detaching update them in the same
 * transaction.  A gateway with an edge association (a route table that
 * routes the traffic entering the VPC through it) cannot be detached
 * until the association is removed.
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

/* Builds the InternetGateway message of 'igw'. */
static Privatelink__V1__InternetGateway *
igw_to_msg(const struct plrec_internet_gateway *igw)
{
    Privatelink__V1__InternetGateway *m
        = op_new_msg(&privatelink__v1__internet_gateway__descriptor);
    m->internet_gateway_id = xstrdup(igw->internet_gateway_id);
    m->owner_id = xstrdup(igw->owner_id);
    op_tags_to_msg(&igw->tags, &m->tags, &m->n_tags);
    if (igw->vpc) {
        Privatelink__V1__InternetGatewayAttachment *a = op_new_msg(
            &privatelink__v1__internet_gateway_attachment__descriptor);
        a->state = xstrdup("available");
        a->vpc_id = xstrdup(igw->vpc->vpc_id);
        OP_APPEND(m, attachments, a);
    }
    return m;
}

/* Filters of DescribeInternetGateways. */
static const struct plrec_internet_gateway *
igw_row(const void *row)
{
    return row;
}

static void
igw_f_attachment_state(const void *row, struct sset *values)
{
    if (igw_row(row)->vpc) {
        sset_add(values, "available");
    }
}

static void
igw_f_attachment_vpc(const void *row, struct sset *values)
{
    if (igw_row(row)->vpc) {
        sset_add(values, igw_row(row)->vpc->vpc_id);
    }
}

static void
igw_f_id(const void *row, struct sset *values)
{
    sset_add(values, igw_row(row)->internet_gateway_id);
}

static void
igw_f_owner(const void *row, struct sset *values)
{
    sset_add(values, igw_row(row)->owner_id);
}

static const struct filter_def igw_filters[] = {
    { "attachment.state", igw_f_attachment_state },
    { "attachment.vpc-id", igw_f_attachment_vpc },
    { "internet-gateway-id", igw_f_id },
    { "owner-id", igw_f_owner },
};

void
op_create_internet_gateway(struct op_ctx *ctx,
                           const ProtobufCMessage *request,
                           ProtobufCMessage *response)
{
    const Privatelink__V1__CreateInternetGatewayRequest *rq
        = (const void *) request;
    Privatelink__V1__CreateInternetGatewayResponse *rs = (void *) response;
    struct smap tags = SMAP_INITIALIZER(&tags);

    if (op_tags_from_specs(ctx, rq->tag_specifications,
                           rq->n_tag_specifications, "internet-gateway",
                           &tags)) {
        char *id = plink_id_new("igw");
        const struct plrec_internet_gateway *igw
            = plrec_internet_gateway_insert(op_txn(ctx));
        plrec_internet_gateway_set_internet_gateway_id(igw, id);
        plrec_internet_gateway_set_owner_id(igw, op_account_id(ctx));
        plrec_internet_gateway_set_tags(igw, &tags);
        rs->internet_gateway = igw_to_msg(igw);
        free(id);
    }
    smap_destroy(&tags);
}

/* Looks up the gateway and the VPC of an attach or detach request.
 * Returns false, with 'ctx' failed, if either is missing or unknown. */
static bool
igw_get_pair(struct op_ctx *ctx, const char *igw_id, const char *vpc_id,
             const struct plrec_internet_gateway **igwp,
             const struct plrec_vpc **vpcp)
{
    if (!op_require(ctx, igw_id, "InternetGatewayId")
        || !op_require(ctx, vpc_id, "VpcId")) {
        return false;
    }
    *igwp = vpcu_get_internet_gateway(ctx, igw_id);
    *vpcp = *igwp ? vpcu_get_vpc(ctx, vpc_id) : NULL;
    return *vpcp != NULL;
}

void
op_attach_internet_gateway(struct op_ctx *ctx,
                           const ProtobufCMessage *request,
                           ProtobufCMessage *response)
{
    const Privatelink__V1__AttachInternetGatewayRequest *rq
        = (const void *) request;
    Privatelink__V1__AttachInternetGatewayResponse *rs = (void *) response;
    const struct plrec_internet_gateway *igw;
    const struct plrec_vpc *vpc;

    if (!igw_get_pair(ctx, rq->internet_gateway_id, rq->vpc_id,
                      &igw, &vpc)) {
        return;
    }
    if (igw->vpc) {
        op_error(ctx, "Resource.AlreadyAssociated", "resource %s is already "
                 "attached to network %s", igw->internet_gateway_id,
                 igw->vpc->vpc_id);
        return;
    }
    const struct plrec_internet_gateway *other;
    PLREC_INTERNET_GATEWAY_FOR_EACH (other, ctx->idl) {
        if (other->vpc == vpc) {
            op_error(ctx, "Resource.AlreadyAssociated", "Network %s already "
                     "has an internet gateway attached", vpc->vpc_id);
            return;
        }
    }

    op_txn(ctx);
    plrec_internet_gateway_set_vpc(igw, vpc);
    vpcu_routes_set_gateway_state(ctx, vpc, igw->internet_gateway_id, true);
    OP_SET(rs, return_, true);
}

/* Returns the id of an edge association of a route table of 'vpc' with
 * 'igw', or NULL if there is none. */
static const char *
igw_edge_association(struct ovsdb_idl *idl, const struct plrec_vpc *vpc,
                     const struct plrec_internet_gateway *igw)
{
    const struct plrec_route_table *rt;
    PLREC_ROUTE_TABLE_FOR_EACH (rt, idl) {
        for (size_t i = 0; rt->vpc == vpc && i < rt->n_associations; i++) {
            const struct plrec_route_table_association *a
                = rt->associations[i];
            if (a->gateway_id
                && !strcmp(a->gateway_id, igw->internet_gateway_id)) {
                return a->association_id;
            }
        }
    }
    return NULL;
}

void
op_detach_internet_gateway(struct op_ctx *ctx,
                           const ProtobufCMessage *request,
                           ProtobufCMessage *response)
{
    const Privatelink__V1__DetachInternetGatewayRequest *rq
        = (const void *) request;
    Privatelink__V1__DetachInternetGatewayResponse *rs = (void *) response;
    const struct plrec_internet_gateway *igw;
    const struct plrec_vpc *vpc;

    if (!igw_get_pair(ctx, rq->internet_gateway_id, rq->vpc_id,
                      &igw, &vpc)) {
        return;
    }
    if (igw->vpc != vpc) {
        op_error(ctx, "Gateway.NotAttached", "resource %s is not attached to "
                 "network %s", igw->internet_gateway_id, vpc->vpc_id);
        return;
    }
    const char *assoc = igw_edge_association(ctx->idl, vpc, igw);
    if (assoc) {
        op_error(ctx, "DependencyViolation", "The internetGateway '%s' has "
                 "dependencies and cannot be detached: it is associated "
                 "with a route table (%s).", igw->internet_gateway_id,
                 assoc);
        return;
    }

    op_txn(ctx);
    plrec_internet_gateway_set_vpc(igw, NULL);
    vpcu_routes_set_gateway_state(ctx, vpc, igw->internet_gateway_id, false);
    OP_SET(rs, return_, true);
}

void
op_delete_internet_gateway(struct op_ctx *ctx,
                           const ProtobufCMessage *request,
                           ProtobufCMessage *response)
{
    const Privatelink__V1__DeleteInternetGatewayRequest *rq
        = (const void *) request;
    Privatelink__V1__DeleteInternetGatewayResponse *rs = (void *) response;

    if (!op_require(ctx, rq->internet_gateway_id, "InternetGatewayId")) {
        return;
    }
    const struct plrec_internet_gateway *igw
        = vpcu_get_internet_gateway(ctx, rq->internet_gateway_id);
    if (!igw) {
        return;
    }
    if (igw->vpc) {
        op_error(ctx, "DependencyViolation", "The internetGateway '%s' has "
                 "dependencies and cannot be deleted.",
                 igw->internet_gateway_id);
        return;
    }

    op_txn(ctx);
    plrec_internet_gateway_delete(igw);
    OP_SET(rs, return_, true);
}

void
op_describe_internet_gateways(struct op_ctx *ctx,
                              const ProtobufCMessage *request,
                              ProtobufCMessage *response)
{
    const Privatelink__V1__DescribeInternetGatewaysRequest *rq
        = (const void *) request;
    Privatelink__V1__DescribeInternetGatewaysResponse *rs = (void *) response;
    struct op_page page;

    if (!filter_check(ctx, rq->filters, rq->n_filters, igw_filters,
                      ARRAY_SIZE(igw_filters))
        || !vpcu_check_internet_gateway_ids(ctx, rq->internet_gateway_ids,
                                            rq->n_internet_gateway_ids)
        || !op_page_init(ctx, rq->has_max_results, rq->max_results,
                         rq->next_token, 5, 1000, &page)) {
        return;
    }

    struct ovsdb_idl_index *index = op_index_internet_gateway();
    struct plrec_internet_gateway *from = NULL;
    if (page.start_id) {
        from = plrec_internet_gateway_index_init_row(index);
        plrec_internet_gateway_index_set_internet_gateway_id(from,
                                                             page.start_id);
    }
    const struct plrec_internet_gateway *igw;
    PLREC_INTERNET_GATEWAY_FOR_EACH_RANGE (igw, from, NULL, index) {
        if (!op_is_owner(ctx, igw->owner_id)
            || !vpcu_in_ids(rq->internet_gateway_ids,
                            rq->n_internet_gateway_ids,
                            igw->internet_gateway_id)
            || !filter_match(rq->filters, rq->n_filters, igw_filters,
                             ARRAY_SIZE(igw_filters), igw, &igw->tags)) {
            continue;
        }
        if (rs->n_internet_gateways >= page.limit) {
            rs->next_token = op_page_token(igw->internet_gateway_id);
            break;
        }
        OP_APPEND(rs, internet_gateways, igw_to_msg(igw));
    }
    if (from) {
        plrec_internet_gateway_index_destroy_row(from);
    }
    op_page_destroy(&page);
}
