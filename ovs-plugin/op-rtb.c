/*
 * op-rtb.c: route tables and their associations: CreateRouteTable,
 * DescribeRouteTables, DeleteRouteTable, AssociateRouteTable and
 * DisassociateRouteTable.  The routes themselves are in op-route.c.
 *
 * Every table starts with the local route for its VPC's block.  The
 * VPC's main table, created with the VPC, has the main association,
 * which routes every subnet without an explicit association; AWS does
 * not list those implicit subnets, and neither does DescribeRouteTables
 * here.  An explicit association ties a table to one subnet of its VPC
 * (a subnet has at most one) or, as an edge association, to an internet
 * gateway attached to the VPC, so that the table routes the traffic that
 * enters the VPC through the gateway.  A table cannot be deleted while
 * it has associations, and the main table never can.
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
#include "plink-id.h"
#include "smap.h"
#include "sset.h"
#include "util.h"

/* Inserts into the call's transaction a new route table for 'vpc', with
 * the local route and, if 'main', the main association, and returns it.
 * Used by CreateVpc (the main table) and CreateRouteTable. */
const struct plrec_route_table *
vpcu_route_table_create(struct op_ctx *ctx, const struct plrec_vpc *vpc,
                        bool main, const struct smap *tags)
{
    struct ovsdb_idl_txn *txn = op_txn(ctx);

    char *id = plink_id_new("rtb");
    const struct plrec_route_table *rt = plrec_route_table_insert(txn);
    plrec_route_table_set_route_table_id(rt, id);
    plrec_route_table_set_vpc(rt, vpc);
    plrec_route_table_set_owner_id(rt, vpc->owner_id);
    plrec_route_table_set_main(rt, main);
    if (tags) {
        plrec_route_table_set_tags(rt, tags);
    }
    free(id);

    const struct plrec_route_entry *local = plrec_route_entry_insert(txn);
    plrec_route_entry_set_destination_cidr_block(local, vpc->cidr_block);
    plrec_route_entry_set_target_type(local, "local");
    plrec_route_entry_set_gateway_id(local, "local");
    plrec_route_entry_set_origin(local, "CreateRouteTable");
    plrec_route_entry_set_state(local, "active");
    plrec_route_table_set_routes(rt, (struct plrec_route_entry **) &local, 1);

    if (main) {
        char *assoc_id = plink_id_new("rtbassoc");
        const struct plrec_route_table_association *a
            = plrec_route_table_association_insert(txn);
        plrec_route_table_association_set_association_id(a, assoc_id);
        plrec_route_table_association_set_main(a, true);
        plrec_route_table_association_set_state(a, "associated");
        plrec_route_table_set_associations(
            rt, (struct plrec_route_table_association **) &a, 1);
        free(assoc_id);
    }
    return rt;
}

/* Route order in DescribeRouteTables: the local route first, then the
 * CIDR routes by address and prefix length, then the prefix list routes
 * by list id. */
static int
rtb_route_rank(const struct plrec_route_entry *r)
{
    return (!strcmp(r->target_type, "local") ? 0
            : r->destination_cidr_block ? 1 : 2);
}

static int
rtb_compare_routes(const void *a_, const void *b_)
{
    const struct plrec_route_entry *const *ap = a_, *const *bp = b_;
    const struct plrec_route_entry *a = *ap, *b = *bp;
    int ra = rtb_route_rank(a), rb = rtb_route_rank(b);

    if (ra != rb) {
        return ra - rb;
    } else if (ra == 1) {
        struct cidr4 ca = { 0, 0 }, cb = { 0, 0 };
        free(cidr4_parse(a->destination_cidr_block, &ca));
        free(cidr4_parse(b->destination_cidr_block, &cb));
        uint32_t xa = ntohl(ca.addr), xb = ntohl(cb.addr);
        return (xa != xb ? (xa < xb ? -1 : 1)
                : (int) ca.plen - (int) cb.plen);
    } else if (ra == 2 && a->destination_prefix_list
               && b->destination_prefix_list) {
        return strcmp(a->destination_prefix_list->prefix_list_id,
                      b->destination_prefix_list->prefix_list_id);
    }
    return 0;
}

/* Builds the Route message of 'r', a route of 'rt'.  A route to an
 * endpoint (gateway or Gateway Load Balancer) shows the endpoint's id in
 * GatewayId, as AWS shows it. */
static Privatelink__V1__Route *
rtb_route_to_msg(const struct plrec_route_entry *r,
                 const struct plrec_route_table *rt)
{
    Privatelink__V1__Route *m
        = op_new_msg(&privatelink__v1__route__descriptor);
    m->destination_cidr_block = nullable_xstrdup(r->destination_cidr_block);
    if (r->destination_prefix_list) {
        m->destination_prefix_list_id
            = xstrdup(r->destination_prefix_list->prefix_list_id);
    }
    if (!strcmp(r->target_type, "network-interface")) {
        if (r->network_interface) {
            m->network_interface_id
                = xstrdup(r->network_interface->network_interface_id);
        }
    } else if (r->gateway_id && *r->gateway_id) {
        m->gateway_id = xstrdup(r->gateway_id);
    }
    m->origin = xstrdup(r->origin);
    m->state = xstrdup(vpcu_route_is_active(r, rt) ? "active" : "blackhole");
    return m;
}

/* Association order: the main association first, then by id. */
static int
rtb_compare_assocs(const void *a_, const void *b_)
{
    const struct plrec_route_table_association *a
        = *(const struct plrec_route_table_association **) a_;
    const struct plrec_route_table_association *b
        = *(const struct plrec_route_table_association **) b_;
    return (a->main != b->main ? (a->main ? -1 : 1)
            : strcmp(a->association_id, b->association_id));
}

/* Returns a new RouteTableAssociationState message with 'state'. */
static Privatelink__V1__RouteTableAssociationState *
rtb_assoc_state(const char *state)
{
    const ProtobufCMessageDescriptor *d
        = &privatelink__v1__route_table_association_state__descriptor;
    Privatelink__V1__RouteTableAssociationState *m = op_new_msg(d);
    m->state = xstrdup(state);
    return m;
}

/* Builds the RouteTableAssociation message of 'a', an association of
 * 'rt'. */
static Privatelink__V1__RouteTableAssociation *
rtb_assoc_to_msg(const struct plrec_route_table_association *a,
                 const struct plrec_route_table *rt)
{
    Privatelink__V1__RouteTableAssociation *m
        = op_new_msg(&privatelink__v1__route_table_association__descriptor);
    OP_SET(m, main, a->main);
    m->route_table_association_id = xstrdup(a->association_id);
    m->route_table_id = xstrdup(rt->route_table_id);
    if (a->subnet) {
        m->subnet_id = xstrdup(a->subnet->subnet_id);
    }
    m->gateway_id = nullable_xstrdup(a->gateway_id);
    m->association_state = rtb_assoc_state(a->state);
    return m;
}

/* Builds the RouteTable message of 'rt'. */
static Privatelink__V1__RouteTable *
rtb_to_msg(const struct plrec_route_table *rt)
{
    Privatelink__V1__RouteTable *m
        = op_new_msg(&privatelink__v1__route_table__descriptor);
    m->route_table_id = xstrdup(rt->route_table_id);
    m->vpc_id = xstrdup(rt->vpc->vpc_id);
    m->owner_id = xstrdup(rt->owner_id);
    op_tags_to_msg(&rt->tags, &m->tags, &m->n_tags);

    struct plrec_route_entry **routes
        = xmemdup(rt->routes, rt->n_routes * sizeof *routes);
    qsort(routes, rt->n_routes, sizeof *routes, rtb_compare_routes);
    for (size_t i = 0; i < rt->n_routes; i++) {
        OP_APPEND(m, routes, rtb_route_to_msg(routes[i], rt));
    }
    free(routes);

    struct plrec_route_table_association **assocs
        = xmemdup(rt->associations, rt->n_associations * sizeof *assocs);
    qsort(assocs, rt->n_associations, sizeof *assocs, rtb_compare_assocs);
    for (size_t i = 0; i < rt->n_associations; i++) {
        OP_APPEND(m, associations, rtb_assoc_to_msg(assocs[i], rt));
    }
    free(assocs);
    return m;
}

/* Filters of DescribeRouteTables.  Filters on routes and associations
 * see the values of all of a table's routes or associations. */
static const struct plrec_route_table *
rtb_row(const void *row)
{
    return row;
}

static void
rtb_f_assoc_gateway(const void *row, struct sset *values)
{
    const struct plrec_route_table *rt = rtb_row(row);
    for (size_t i = 0; i < rt->n_associations; i++) {
        if (rt->associations[i]->gateway_id) {
            sset_add(values, rt->associations[i]->gateway_id);
        }
    }
}

static void
rtb_f_assoc_id(const void *row, struct sset *values)
{
    const struct plrec_route_table *rt = rtb_row(row);
    for (size_t i = 0; i < rt->n_associations; i++) {
        sset_add(values, rt->associations[i]->association_id);
    }
}

static void
rtb_f_assoc_rtb(const void *row, struct sset *values)
{
    const struct plrec_route_table *rt = rtb_row(row);
    if (rt->n_associations) {
        sset_add(values, rt->route_table_id);
    }
}

static void
rtb_f_assoc_subnet(const void *row, struct sset *values)
{
    const struct plrec_route_table *rt = rtb_row(row);
    for (size_t i = 0; i < rt->n_associations; i++) {
        if (rt->associations[i]->subnet) {
            sset_add(values, rt->associations[i]->subnet->subnet_id);
        }
    }
}

static void
rtb_f_assoc_main(const void *row, struct sset *values)
{
    const struct plrec_route_table *rt = rtb_row(row);
    for (size_t i = 0; i < rt->n_associations; i++) {
        vpcu_add_bool(values, rt->associations[i]->main);
    }
}

static void
rtb_f_owner(const void *row, struct sset *values)
{
    sset_add(values, rtb_row(row)->owner_id);
}

static void
rtb_f_id(const void *row, struct sset *values)
{
    sset_add(values, rtb_row(row)->route_table_id);
}

static void
rtb_f_vpc(const void *row, struct sset *values)
{
    sset_add(values, rtb_row(row)->vpc->vpc_id);
}

static void
rtb_f_none(const void *row OVS_UNUSED, struct sset *values OVS_UNUSED)
{
    /* No route has this kind of destination or target. */
}

static void
rtb_f_route_cidr(const void *row, struct sset *values)
{
    const struct plrec_route_table *rt = rtb_row(row);
    for (size_t i = 0; i < rt->n_routes; i++) {
        if (rt->routes[i]->destination_cidr_block) {
            sset_add(values, rt->routes[i]->destination_cidr_block);
        }
    }
}

static void
rtb_f_route_pl(const void *row, struct sset *values)
{
    const struct plrec_route_table *rt = rtb_row(row);
    for (size_t i = 0; i < rt->n_routes; i++) {
        if (rt->routes[i]->destination_prefix_list) {
            sset_add(values,
                     rt->routes[i]->destination_prefix_list->prefix_list_id);
        }
    }
}

static void
rtb_f_route_gateway(const void *row, struct sset *values)
{
    const struct plrec_route_table *rt = rtb_row(row);
    for (size_t i = 0; i < rt->n_routes; i++) {
        const char *gw = rt->routes[i]->gateway_id;
        if (gw && *gw) {
            sset_add(values, gw);
        }
    }
}

static void
rtb_f_route_endpoint(const void *row, struct sset *values)
{
    const struct plrec_route_table *rt = rtb_row(row);
    for (size_t i = 0; i < rt->n_routes; i++) {
        const struct plrec_route_entry *r = rt->routes[i];
        if (!strcmp(r->target_type, "vpc-endpoint") && r->gateway_id) {
            sset_add(values, r->gateway_id);
        }
    }
}

static void
rtb_f_route_origin(const void *row, struct sset *values)
{
    const struct plrec_route_table *rt = rtb_row(row);
    for (size_t i = 0; i < rt->n_routes; i++) {
        sset_add(values, rt->routes[i]->origin);
    }
}

static void
rtb_f_route_state(const void *row, struct sset *values)
{
    const struct plrec_route_table *rt = rtb_row(row);
    for (size_t i = 0; i < rt->n_routes; i++) {
        sset_add(values, (vpcu_route_is_active(rt->routes[i], rt)
                          ? "active" : "blackhole"));
    }
}

static const struct filter_def rtb_filters[] = {
    { "association.gateway-id", rtb_f_assoc_gateway },
    { "association.route-table-association-id", rtb_f_assoc_id },
    { "association.route-table-id", rtb_f_assoc_rtb },
    { "association.subnet-id", rtb_f_assoc_subnet },
    { "association.main", rtb_f_assoc_main },
    { "owner-id", rtb_f_owner },
    { "route-table-id", rtb_f_id },
    { "route.destination-cidr-block", rtb_f_route_cidr },
    { "route.destination-ipv6-cidr-block", rtb_f_none },
    { "route.destination-prefix-list-id", rtb_f_route_pl },
    { "route.egress-only-internet-gateway-id", rtb_f_none },
    { "route.gateway-id", rtb_f_route_gateway },
    { "route.instance-id", rtb_f_none },
    { "route.nat-gateway-id", rtb_f_none },
    { "route.transit-gateway-id", rtb_f_none },
    { "route.origin", rtb_f_route_origin },
    { "route.state", rtb_f_route_state },
    { "route.vpc-endpoint-id", rtb_f_route_endpoint },
    { "route.vpc-peering-connection-id", rtb_f_none },
    { "vpc-id", rtb_f_vpc },
};

void
op_create_route_table(struct op_ctx *ctx, const ProtobufCMessage *request,
                      ProtobufCMessage *response)
{
    const Privatelink__V1__CreateRouteTableRequest *rq
        = (const void *) request;
    Privatelink__V1__CreateRouteTableResponse *rs = (void *) response;
    struct smap tags = SMAP_INITIALIZER(&tags);
    const struct plrec_vpc *vpc;

    if (op_require(ctx, rq->vpc_id, "VpcId")
        && (vpc = vpcu_get_vpc(ctx, rq->vpc_id))
        && op_tags_from_specs(ctx, rq->tag_specifications,
                              rq->n_tag_specifications, "route-table",
                              &tags)) {
        rs->route_table = rtb_to_msg(vpcu_route_table_create(ctx, vpc, false,
                                                             &tags));
        rs->client_token = nullable_xstrdup(rq->client_token);
    }
    smap_destroy(&tags);
}

void
op_describe_route_tables(struct op_ctx *ctx, const ProtobufCMessage *request,
                         ProtobufCMessage *response)
{
    const Privatelink__V1__DescribeRouteTablesRequest *rq
        = (const void *) request;
    Privatelink__V1__DescribeRouteTablesResponse *rs = (void *) response;
    struct op_page page;

    if (!filter_check(ctx, rq->filters, rq->n_filters, rtb_filters,
                      ARRAY_SIZE(rtb_filters))
        || !vpcu_check_route_table_ids(ctx, rq->route_table_ids,
                                       rq->n_route_table_ids)
        || !op_page_init(ctx, rq->has_max_results, rq->max_results,
                         rq->next_token, 5, 100, &page)) {
        return;
    }

    struct ovsdb_idl_index *index = op_index_route_table();
    struct plrec_route_table *from = NULL;
    if (page.start_id) {
        from = plrec_route_table_index_init_row(index);
        plrec_route_table_index_set_route_table_id(from, page.start_id);
    }
    const struct plrec_route_table *rt;
    PLREC_ROUTE_TABLE_FOR_EACH_RANGE (rt, from, NULL, index) {
        if (!op_is_owner(ctx, rt->owner_id)
            || !vpcu_in_ids(rq->route_table_ids, rq->n_route_table_ids,
                            rt->route_table_id)
            || !filter_match(rq->filters, rq->n_filters, rtb_filters,
                             ARRAY_SIZE(rtb_filters), rt, &rt->tags)) {
            continue;
        }
        if (rs->n_route_tables >= page.limit) {
            rs->next_token = op_page_token(rt->route_table_id);
            break;
        }
        OP_APPEND(rs, route_tables, rtb_to_msg(rt));
    }
    if (from) {
        plrec_route_table_index_destroy_row(from);
    }
    op_page_destroy(&page);
}

void
op_delete_route_table(struct op_ctx *ctx, const ProtobufCMessage *request,
                      ProtobufCMessage *response)
{
    const Privatelink__V1__DeleteRouteTableRequest *rq
        = (const void *) request;
    Privatelink__V1__DeleteRouteTableResponse *rs = (void *) response;

    if (!op_require(ctx, rq->route_table_id, "RouteTableId")) {
        return;
    }
    const struct plrec_route_table *rt
        = vpcu_get_route_table(ctx, rq->route_table_id);
    if (!rt) {
        return;
    }
    if (rt->main || rt->n_associations) {
        op_error(ctx, "DependencyViolation", "The routeTable '%s' has "
                 "dependencies and cannot be deleted.", rt->route_table_id);
        return;
    }

    op_txn(ctx);
    plrec_route_table_delete(rt);
    OP_SET(rs, return_, true);
}

/* Returns the explicit association of 'subnet', in any table, or NULL. */
static const struct plrec_route_table_association *
rtb_subnet_association(struct ovsdb_idl *idl,
                       const struct plrec_subnet *subnet)
{
    const struct plrec_route_table *rt;
    PLREC_ROUTE_TABLE_FOR_EACH (rt, idl) {
        for (size_t i = 0; i < rt->n_associations; i++) {
            if (rt->associations[i]->subnet == subnet) {
                return rt->associations[i];
            }
        }
    }
    return NULL;
}

/* Returns the edge association of gateway 'gateway_id' in the tables of
 * 'vpc', or NULL. */
static const struct plrec_route_table_association *
rtb_gateway_association(struct ovsdb_idl *idl, const struct plrec_vpc *vpc,
                        const char *gateway_id)
{
    const struct plrec_route_table *rt;
    PLREC_ROUTE_TABLE_FOR_EACH (rt, idl) {
        for (size_t i = 0; rt->vpc == vpc && i < rt->n_associations; i++) {
            const char *gw = rt->associations[i]->gateway_id;
            if (gw && !strcmp(gw, gateway_id)) {
                return rt->associations[i];
            }
        }
    }
    return NULL;
}

/* Checks that 'subnet_id' may be associated with 'rt'. */
static bool
rtb_check_subnet(struct op_ctx *ctx, const struct plrec_route_table *rt,
                 const char *subnet_id, const struct plrec_subnet **subnetp)
{
    const struct plrec_subnet *subnet = vpcu_get_subnet(ctx, subnet_id);
    if (!subnet) {
        return false;
    } else if (subnet->vpc != rt->vpc) {
        op_error(ctx, "InvalidParameterValue", "Route table %s and subnet "
                 "%s belong to different networks", rt->route_table_id,
                 subnet->subnet_id);
        return false;
    } else if (rtb_subnet_association(ctx->idl, subnet)) {
        op_error(ctx, "Resource.AlreadyAssociated", "the specified "
                 "association for route table %s conflicts with an "
                 "existing association", rt->route_table_id);
        return false;
    }
    *subnetp = subnet;
    return true;
}

/* Checks that gateway 'gateway_id' may be associated with 'rt' (an edge
 * association): an internet gateway of the caller's, attached to the
 * table's VPC, without another edge association. */
static bool
rtb_check_gateway(struct op_ctx *ctx, const struct plrec_route_table *rt,
                  const char *gateway_id)
{
    if (strncmp(gateway_id, "igw-", 4)) {
        op_error(ctx, "InvalidGatewayID.NotFound", "The gateway ID '%s' "
                 "does not exist", gateway_id);
        return false;
    }
    const struct plrec_internet_gateway *igw
        = vpcu_get_internet_gateway(ctx, gateway_id);
    if (!igw) {
        return false;
    } else if (igw->vpc != rt->vpc) {
        op_error(ctx, "InvalidParameterValue", "route table %s and network "
                 "gateway %s belong to different networks",
                 rt->route_table_id, gateway_id);
        return false;
    } else if (rtb_gateway_association(ctx->idl, rt->vpc, gateway_id)) {
        op_error(ctx, "Resource.AlreadyAssociated", "the specified "
                 "association for route table %s conflicts with an "
                 "existing association", rt->route_table_id);
        return false;
    }
    return true;
}

void
op_associate_route_table(struct op_ctx *ctx, const ProtobufCMessage *request,
                         ProtobufCMessage *response)
{
    const Privatelink__V1__AssociateRouteTableRequest *rq
        = (const void *) request;
    Privatelink__V1__AssociateRouteTableResponse *rs = (void *) response;
    const struct plrec_subnet *subnet = NULL;
    const struct plrec_route_table *rt;

    if (!op_require(ctx, rq->route_table_id, "RouteTableId")) {
        return;
    } else if (rq->subnet_id && rq->gateway_id) {
        op_error(ctx, "InvalidParameterCombination", "Only one of SubnetId "
                 "and GatewayId may be specified.");
        return;
    } else if (rq->public_ipv4_pool) {
        op_error(ctx, "InvalidParameterValue", "The parameter "
                 "PublicIpv4Pool is not supported.");
        return;
    } else if (!op_require(ctx, rq->subnet_id || rq->gateway_id,
                           "SubnetId or GatewayId")
               || !(rt = vpcu_get_route_table(ctx, rq->route_table_id))
               || (rq->subnet_id
                   && !rtb_check_subnet(ctx, rt, rq->subnet_id, &subnet))
               || (rq->gateway_id
                   && !rtb_check_gateway(ctx, rt, rq->gateway_id))) {
        return;
    }

    char *id = plink_id_new("rtbassoc");
    const struct plrec_route_table_association *a
        = plrec_route_table_association_insert(op_txn(ctx));
    plrec_route_table_association_set_association_id(a, id);
    plrec_route_table_association_set_main(a, false);
    plrec_route_table_association_set_subnet(a, subnet);
    if (rq->gateway_id) {
        plrec_route_table_association_set_gateway_id(a, rq->gateway_id);
    }
    plrec_route_table_association_set_state(a, "associated");
    plrec_route_table_update_associations_addvalue(rt, a);

    rs->association_id = id;
    rs->association_state = rtb_assoc_state("associated");
}

void
op_disassociate_route_table(struct op_ctx *ctx,
                            const ProtobufCMessage *request,
                            ProtobufCMessage *response)
{
    const Privatelink__V1__DisassociateRouteTableRequest *rq
        = (const void *) request;
    Privatelink__V1__DisassociateRouteTableResponse *rs = (void *) response;

    if (!op_require(ctx, rq->association_id, "AssociationId")) {
        return;
    }

    const struct plrec_route_table *rt;
    PLREC_ROUTE_TABLE_FOR_EACH (rt, ctx->idl) {
        for (size_t i = 0; i < rt->n_associations; i++) {
            const struct plrec_route_table_association *a
                = rt->associations[i];
            if (strcmp(a->association_id, rq->association_id)
                || !op_is_owner(ctx, rt->owner_id)) {
                continue;
            } else if (a->main) {
                op_error(ctx, "InvalidParameterValue", "cannot disassociate "
                         "the main route table association %s",
                         a->association_id);
                return;
            }
            op_txn(ctx);
            plrec_route_table_update_associations_delvalue(rt, a);
            OP_SET(rs, return_, true);
            return;
        }
    }
    op_error(ctx, "InvalidAssociationID.NotFound", "The association ID '%s' "
             "does not exist", rq->association_id);
}
