/*
 * op-route.c: routes: CreateRoute, ReplaceRoute and DeleteRoute, and the
 * state of routes (active or blackhole) as their targets come and go.
 *
 * A route has one destination, a CIDR block or a prefix list, and one
 * target: an internet gateway attached to the table's VPC, a network
 * interface of the VPC, or a Gateway Load Balancer endpoint of the VPC
 * (AWS accepts no other endpoint as a route target).  Destinations inside
 * the VPC's block, more specific than the local route, may only target a
 * network interface or a Gateway Load Balancer endpoint: that is how
 * middlebox appliances are put in the path between subnets.  The local
 * route cannot be deleted or replaced.  Routes of gateway endpoints
 * (destination the service's AWS-managed prefix list, target the
 * endpoint, origin CreateRouteTable) belong to the endpoint: only
 * CreateVpcEndpoint, ModifyVpcEndpoint and DeleteVpcEndpoints change
 * them, so the route operations refuse to touch them, and an AWS-managed
 * prefix list is never the destination of a route made here.
 */
#include <config.h>

#include <stdlib.h>
#include <string.h>

#include "cidr.h"
#include "lib/plink-idl.h"
#include "op-util.h"
#include "op-vpc-util.h"
#include "ops.h"
#include "util.h"

/* What a route leads to, once resolved from a request. */
struct route_target {
    const char *type;           /* Route_Entry target_type. */
    const char *gateway_id;     /* "igw-..." or "vpce-...", or NULL. */
    const struct plrec_vpc_endpoint *endpoint;       /* Or NULL. */
    const struct plrec_network_interface *eni;       /* Or NULL. */
};

/* The targets a route request may name.  CreateRoute and ReplaceRoute
 * have the same target members; only some of them exist here. */
struct route_target_params {
    const char *gateway_id;
    const char *network_interface_id;
    const char *vpc_endpoint_id;

    /* Kinds of targets that do not exist in this deployment. */
    const char *nat_gateway_id;
    const char *transit_gateway_id;
    const char *instance_id;
    const char *vpc_peering_connection_id;
    const char *egress_only_internet_gateway_id;
    const char *local_gateway_id;
    const char *carrier_gateway_id;
    const char *core_network_arn;
    const char *odb_network_arn;
};

/* The destination of a route request. */
struct route_dest {
    char *cidr;                 /* Canonical CIDR block, or NULL. */
    const struct plrec_prefix_list *prefix_list;     /* Or NULL. */
    const char *name;           /* As given, for messages. */
};

/* Returns true if 'r' belongs to a gateway endpoint: only the endpoint
 * operations may change it. */
bool
vpcu_route_is_endpoint_managed(const struct plrec_route_entry *r)
{
    return (!strcmp(r->target_type, "vpc-endpoint")
            && !strcmp(r->origin, "CreateRouteTable"));
}

/* Returns true if route 'r' of 'rt' is active: its target exists (an
 * internet gateway attached to the table's VPC, a network interface, an
 * endpoint that is pending or available) and no one marked it
 * "blackhole". */
bool
vpcu_route_is_active(const struct plrec_route_entry *r,
                     const struct plrec_route_table *rt)
{
    if (!strcmp(r->target_type, "local")) {
        return true;
    } else if (!strcmp(r->state, "blackhole")) {
        return false;
    } else if (!strcmp(r->target_type, "gateway")) {
        const struct plrec_internet_gateway *igw
            = r->gateway_id ? op_find_internet_gateway(r->gateway_id) : NULL;
        return igw && igw->vpc == rt->vpc;
    } else if (!strcmp(r->target_type, "vpc-endpoint")) {
        return (r->vpc_endpoint
                && (!strcmp(r->vpc_endpoint->state, "available")
                    || !strcmp(r->vpc_endpoint->state, "pending")));
    } else {
        return r->network_interface != NULL;
    }
}

/* Sets the state of the routes to internet gateway 'gateway_id' in the
 * tables of 'vpc': active when the gateway is attached to the VPC,
 * blackhole when it is detached. */
void
vpcu_routes_set_gateway_state(struct op_ctx *ctx, const struct plrec_vpc *vpc,
                              const char *gateway_id, bool active)
{
    const struct plrec_route_table *rt;
    PLREC_ROUTE_TABLE_FOR_EACH (rt, ctx->idl) {
        for (size_t i = 0; rt->vpc == vpc && i < rt->n_routes; i++) {
            const struct plrec_route_entry *r = rt->routes[i];
            if (!strcmp(r->target_type, "gateway") && r->gateway_id
                && !strcmp(r->gateway_id, gateway_id)) {
                op_txn(ctx);
                plrec_route_entry_set_state(r, active ? "active"
                                            : "blackhole");
            }
        }
    }
}

/* Marks the routes to network interface 'eni', which is being deleted,
 * as blackhole routes. */
void
vpcu_routes_set_eni_blackhole(struct op_ctx *ctx,
                              const struct plrec_network_interface *eni)
{
    const struct plrec_route_entry *r;
    PLREC_ROUTE_ENTRY_FOR_EACH (r, ctx->idl) {
        if (r->network_interface == eni) {
            op_txn(ctx);
            plrec_route_entry_set_state(r, "blackhole");
        }
    }
}

/* Returns the route of 'rt' to 'dest', or NULL. */
static const struct plrec_route_entry *
route_find(const struct plrec_route_table *rt, const struct route_dest *dest)
{
    for (size_t i = 0; i < rt->n_routes; i++) {
        const struct plrec_route_entry *r = rt->routes[i];
        if (dest->cidr
            ? (r->destination_cidr_block
               && !strcmp(r->destination_cidr_block, dest->cidr))
            : r->destination_prefix_list == dest->prefix_list) {
            return r;
        }
    }
    return NULL;
}

/* Parses the destination of a route request: exactly one of 'cidr' and
 * 'prefix_list_id' ('ipv6', not supported, must be absent).  With
 * 'existing', the prefix list need only exist (DeleteRoute); otherwise it
 * must not be AWS-managed, as only gateway endpoints route to those. */
static bool
route_parse_dest(struct op_ctx *ctx, const char *cidr,
                 const char *prefix_list_id, const char *ipv6,
                 bool existing, struct route_dest *dest)
{
    memset(dest, 0, sizeof *dest);
    if (ipv6) {
        op_error(ctx, "InvalidParameterValue", "Value (%s) for parameter "
                 "destinationIpv6CidrBlock is invalid: the VPCs of this "
                 "deployment have no IPv6 blocks.", ipv6);
        return false;
    } else if (cidr && prefix_list_id) {
        op_error(ctx, "InvalidParameterCombination", "Only one of "
                 "destinationCidrBlock and destinationPrefixListId may be "
                 "specified.");
        return false;
    } else if (!cidr && !prefix_list_id) {
        op_error(ctx, "MissingParameter", "The request must contain the "
                 "parameter destinationCidrBlock or destinationIpv6CidrBlock "
                 "or destinationPrefixListId");
        return false;
    } else if (cidr) {
        struct cidr4 c;
        dest->name = cidr;
        if (!vpcu_cidr_param(ctx, cidr, "destinationCidrBlock", &c)) {
            return false;
        }
        dest->cidr = cidr4_to_string(&c);
        return true;
    }

    dest->name = prefix_list_id;
    dest->prefix_list = vpcu_get_prefix_list(ctx, prefix_list_id);
    if (!dest->prefix_list) {
        return false;
    } else if (!existing && !strcmp(dest->prefix_list->owner_id, "AWS")) {
        op_error(ctx, "InvalidParameterValue", "The prefix list %s is "
                 "managed by AWS: routes to it are added to route tables by "
                 "gateway endpoints (CreateVpcEndpoint, ModifyVpcEndpoint), "
                 "not with CreateRoute or ReplaceRoute.", prefix_list_id);
        return false;
    }
    return true;
}

/* Fails 'ctx' with the NotFound code of the first target of 'p' of a kind
 * that does not exist in this deployment, if any. */
static bool
route_check_absent_targets(struct op_ctx *ctx,
                           const struct route_target_params *p)
{
    const struct {
        const char *value;
        const char *code;
        const char *noun;
    } kinds[] = {
        { p->nat_gateway_id, "InvalidNatGatewayID.NotFound", "NAT gateway" },
        { p->transit_gateway_id, "InvalidTransitGatewayID.NotFound",
          "transit gateway" },
        { p->instance_id, "InvalidInstanceID.NotFound", "instance" },
        { p->vpc_peering_connection_id,
          "InvalidVpcPeeringConnectionID.NotFound",
          "VPC peering connection" },
        { p->egress_only_internet_gateway_id,
          "InvalidEgressOnlyInternetGatewayId.NotFound",
          "egress-only internet gateway" },
        { p->local_gateway_id, "InvalidLocalGatewayID.NotFound",
          "local gateway" },
        { p->carrier_gateway_id, "InvalidCarrierGatewayID.NotFound",
          "carrier gateway" },
        { p->core_network_arn, "InvalidParameterValue", "core network" },
        { p->odb_network_arn, "InvalidParameterValue", "ODB network" },
    };

    for (size_t i = 0; i < ARRAY_SIZE(kinds); i++) {
        if (kinds[i].value) {
            op_error(ctx, kinds[i].code, "The %s '%s' does not exist",
                     kinds[i].noun, kinds[i].value);
            return false;
        }
    }
    return true;
}

/* Resolves endpoint 'id' as the target of a route of 'rt': a Gateway
 * Load Balancer endpoint of the caller's in the table's VPC. */
static bool
route_target_endpoint(struct op_ctx *ctx, const struct plrec_route_table *rt,
                      const char *id, struct route_target *t)
{
    const struct plrec_vpc_endpoint *ep = vpcu_get_vpc_endpoint(ctx, id);
    if (!ep) {
        return false;
    } else if (!vpcu_endpoint_live(ep)) {
        op_error(ctx, "InvalidVpcEndpointId.NotFound", "The Vpc Endpoint Id "
                 "'%s' does not exist", id);
        return false;
    } else if (strcmp(ep->vpc_endpoint_type, "GatewayLoadBalancer")) {
        op_error(ctx, "InvalidParameterValue", "Route target %s is a %s "
                 "endpoint: only Gateway Load Balancer endpoints may be the "
                 "target of a route (the routes of gateway endpoints are "
                 "managed with ModifyVpcEndpoint).", id,
                 ep->vpc_endpoint_type);
        return false;
    } else if (ep->vpc != rt->vpc) {
        op_error(ctx, "InvalidParameterValue", "route table %s and VPC "
                 "endpoint %s belong to different networks",
                 rt->route_table_id, id);
        return false;
    }
    t->type = "vpc-endpoint";
    t->gateway_id = ep->vpc_endpoint_id;
    t->endpoint = ep;
    return true;
}

/* Resolves gateway 'id' as the target of a route of 'rt': an internet
 * gateway of the caller's attached to the table's VPC (or, as AWS also
 * accepts there, an endpoint id). */
static bool
route_target_gateway(struct op_ctx *ctx, const struct plrec_route_table *rt,
                     const char *id, struct route_target *t)
{
    if (!strncmp(id, "vpce-", 5)) {
        return route_target_endpoint(ctx, rt, id, t);
    }

    const struct plrec_internet_gateway *igw
        = op_find_internet_gateway(id);
    if (!igw || !op_is_owner(ctx, igw->owner_id)) {
        op_error(ctx, "InvalidGatewayID.NotFound", "The gateway ID '%s' "
                 "does not exist", id);
        return false;
    } else if (igw->vpc != rt->vpc) {
        op_error(ctx, "InvalidParameterValue", "route table %s and network "
                 "gateway %s belong to different networks",
                 rt->route_table_id, id);
        return false;
    }
    t->type = "gateway";
    t->gateway_id = igw->internet_gateway_id;
    return true;
}

/* Resolves network interface 'id' as the target of a route of 'rt'. */
static bool
route_target_eni(struct op_ctx *ctx, const struct plrec_route_table *rt,
                 const char *id, struct route_target *t)
{
    const struct plrec_network_interface *eni
        = vpcu_get_network_interface(ctx, id);
    if (!eni) {
        return false;
    } else if (eni->subnet->vpc != rt->vpc) {
        op_error(ctx, "InvalidParameterValue", "route table %s and "
                 "interface %s belong to different networks",
                 rt->route_table_id, id);
        return false;
    }
    t->type = "network-interface";
    t->eni = eni;
    return true;
}

/* Resolves the one target that 'p' names for a route of 'rt'. */
static bool
route_parse_target(struct op_ctx *ctx, const struct plrec_route_table *rt,
                   const struct route_target_params *p,
                   struct route_target *t)
{
    int n = (!!p->gateway_id + !!p->network_interface_id
             + !!p->vpc_endpoint_id + !!p->nat_gateway_id
             + !!p->transit_gateway_id + !!p->instance_id
             + !!p->vpc_peering_connection_id
             + !!p->egress_only_internet_gateway_id + !!p->local_gateway_id
             + !!p->carrier_gateway_id + !!p->core_network_arn
             + !!p->odb_network_arn);

    memset(t, 0, sizeof *t);
    if (n > 1) {
        op_error(ctx, "InvalidParameterCombination", "More than one target "
                 "specified: a route has exactly one target.");
        return false;
    } else if (!n) {
        op_error(ctx, "MissingParameter", "The request must contain exactly "
                 "one of gatewayId, natGatewayId, networkInterfaceId, "
                 "vpcPeeringConnectionId, egressOnlyInternetGatewayId, "
                 "transitGatewayId, localGatewayId, carrierGatewayId, "
                 "vpcEndpointId or coreNetworkArn");
        return false;
    } else if (!route_check_absent_targets(ctx, p)) {
        return false;
    }
    return (p->gateway_id ? route_target_gateway(ctx, rt, p->gateway_id, t)
            : p->vpc_endpoint_id
            ? route_target_endpoint(ctx, rt, p->vpc_endpoint_id, t)
            : route_target_eni(ctx, rt, p->network_interface_id, t));
}

/* Checks destination 'dest' against the block of 'rt''s VPC: a route to
 * exactly the VPC's block would duplicate the local route, and a more
 * specific one may only target a network interface or a Gateway Load
 * Balancer endpoint. */
static bool
route_check_vpc_block(struct op_ctx *ctx, const struct plrec_route_table *rt,
                      const struct route_dest *dest,
                      const struct route_target *t)
{
    struct cidr4 vpc_cidr, cidr;
    if (!dest->cidr) {
        return true;
    }
    free(cidr4_parse(rt->vpc->cidr_block, &vpc_cidr));
    free(cidr4_parse(dest->cidr, &cidr));
    if (cidr4_equals(&cidr, &vpc_cidr)) {
        op_error(ctx, "RouteAlreadyExists", "The route identified by %s "
                 "already exists.", dest->cidr);
        return false;
    } else if (cidr4_contains(&vpc_cidr, &cidr) && !t->eni && !t->endpoint) {
        op_error(ctx, "InvalidParameterValue", "The destination CIDR block "
                 "%s is equal to or more specific than one of this VPC's "
                 "CIDR blocks. This route can target only a network "
                 "interface or a Gateway Load Balancer endpoint.",
                 dest->cidr);
        return false;
    }
    return true;
}

/* Writes target 't' into route 'r'. */
static void
route_set_target(const struct plrec_route_entry *r,
                 const struct route_target *t)
{
    plrec_route_entry_set_target_type(r, t->type);
    plrec_route_entry_set_gateway_id(r, t->gateway_id);
    plrec_route_entry_set_vpc_endpoint(r, t->endpoint);
    plrec_route_entry_set_network_interface(r, t->eni);
    plrec_route_entry_set_state(r, "active");
}

#define ROUTE_TARGET_PARAMS(RQ)                                         \
    {                                                                   \
        .gateway_id = (RQ)->gateway_id,                                 \
        .network_interface_id = (RQ)->network_interface_id,             \
        .vpc_endpoint_id = (RQ)->vpc_endpoint_id,                       \
        .nat_gateway_id = (RQ)->nat_gateway_id,                         \
        .transit_gateway_id = (RQ)->transit_gateway_id,                 \
        .instance_id = (RQ)->instance_id,                               \
        .vpc_peering_connection_id = (RQ)->vpc_peering_connection_id,   \
        .egress_only_internet_gateway_id                                \
            = (RQ)->egress_only_internet_gateway_id,                    \
        .local_gateway_id = (RQ)->local_gateway_id,                     \
        .carrier_gateway_id = (RQ)->carrier_gateway_id,                 \
        .core_network_arn = (RQ)->core_network_arn,                     \
        .odb_network_arn = (RQ)->odb_network_arn,                       \
    }

void
op_create_route(struct op_ctx *ctx, const ProtobufCMessage *request,
                ProtobufCMessage *response)
{
    const Privatelink__V1__CreateRouteRequest *rq = (const void *) request;
    Privatelink__V1__CreateRouteResponse *rs = (void *) response;
    const struct route_target_params params = ROUTE_TARGET_PARAMS(rq);
    const struct plrec_route_table *rt;
    struct route_dest dest = { .cidr = NULL };
    struct route_target t;

    if (!op_require(ctx, rq->route_table_id, "RouteTableId")
        || !(rt = vpcu_get_route_table(ctx, rq->route_table_id))
        || !route_parse_dest(ctx, rq->destination_cidr_block,
                             rq->destination_prefix_list_id,
                             rq->destination_ipv6_cidr_block, false, &dest)
        || !route_parse_target(ctx, rt, &params, &t)
        || !route_check_vpc_block(ctx, rt, &dest, &t)) {
        free(dest.cidr);
        return;
    }
    if (route_find(rt, &dest)) {
        op_error(ctx, "RouteAlreadyExists", "The route identified by %s "
                 "already exists.", dest.cidr ? dest.cidr : dest.name);
        free(dest.cidr);
        return;
    }

    const struct plrec_route_entry *r = plrec_route_entry_insert(op_txn(ctx));
    plrec_route_entry_set_destination_cidr_block(r, dest.cidr);
    plrec_route_entry_set_destination_prefix_list(r, dest.prefix_list);
    plrec_route_entry_set_origin(r, "CreateRoute");
    route_set_target(r, &t);
    plrec_route_table_update_routes_addvalue(rt, r);
    OP_SET(rs, return_, true);
    free(dest.cidr);
}

/* Finds the route of 'rt' to 'dest' that ReplaceRoute or DeleteRoute
 * ('verb': "replace" or "remove") may change: it must exist and be
 * neither the local route nor a gateway endpoint's. */
static const struct plrec_route_entry *
route_find_changeable(struct op_ctx *ctx, const struct plrec_route_table *rt,
                      const struct route_dest *dest, const char *verb)
{
    const struct plrec_route_entry *r = route_find(rt, dest);
    const char *name = dest->cidr ? dest->cidr : dest->name;

    if (!r) {
        if (!strcmp(verb, "replace")) {
            op_error(ctx, "InvalidParameterValue", "There is no route "
                     "defined for '%s' in the route table. Use CreateRoute "
                     "instead.", name);
        } else {
            op_error(ctx, "InvalidRoute.NotFound", "no route with "
                     "destination-%s %s in route table %s",
                     dest->cidr ? "cidr-block" : "prefix-list-id", name,
                     rt->route_table_id);
        }
        return NULL;
    } else if (!strcmp(r->target_type, "local")) {
        op_error(ctx, "InvalidParameterValue", "cannot %s local route %s "
                 "in route table %s", verb, name, rt->route_table_id);
        return NULL;
    } else if (vpcu_route_is_endpoint_managed(r)) {
        op_error(ctx, "InvalidParameterValue", "cannot %s VPC endpoint "
                 "route %s in route table %s, please use ModifyVpcEndpoint "
                 "API instead", verb, name, rt->route_table_id);
        return NULL;
    }
    return r;
}

/* Handles ReplaceRoute's LocalTarget: true only restores the local
 * route's own target, which is always local here.  Returns true if the
 * call is done (successfully or not). */
static bool
route_replace_local(struct op_ctx *ctx, const struct plrec_route_table *rt,
                    const struct route_dest *dest,
                    const Privatelink__V1__ReplaceRouteRequest *rq)
{
    if (!rq->has_local_target || !rq->local_target) {
        return false;
    }
    const struct plrec_route_entry *r = route_find(rt, dest);
    if (!r || strcmp(r->target_type, "local")) {
        op_error(ctx, "InvalidParameterValue", "LocalTarget may only be "
                 "used with the local route (%s) of route table %s.",
                 rt->vpc->cidr_block, rt->route_table_id);
    }
    return true;
}

void
op_replace_route(struct op_ctx *ctx, const ProtobufCMessage *request,
                 ProtobufCMessage *response)
{
    const Privatelink__V1__ReplaceRouteRequest *rq = (const void *) request;
    Privatelink__V1__ReplaceRouteResponse *rs = (void *) response;
    const struct route_target_params params = ROUTE_TARGET_PARAMS(rq);
    const struct plrec_route_entry *r = NULL;
    const struct plrec_route_table *rt;
    struct route_dest dest = { .cidr = NULL };
    struct route_target t;

    if (!op_require(ctx, rq->route_table_id, "RouteTableId")
        || !(rt = vpcu_get_route_table(ctx, rq->route_table_id))
        || !route_parse_dest(ctx, rq->destination_cidr_block,
                             rq->destination_prefix_list_id,
                             rq->destination_ipv6_cidr_block, true, &dest)) {
        free(dest.cidr);
        return;
    }
    if (route_replace_local(ctx, rt, &dest, rq)) {
        if (!op_failed(ctx)) {
            OP_SET(rs, return_, true);
        }
    } else if ((r = route_find_changeable(ctx, rt, &dest, "replace"))
               && route_parse_target(ctx, rt, &params, &t)
               && route_check_vpc_block(ctx, rt, &dest, &t)) {
        op_txn(ctx);
        route_set_target(r, &t);
        OP_SET(rs, return_, true);
    }
    free(dest.cidr);
}

void
op_delete_route(struct op_ctx *ctx, const ProtobufCMessage *request,
                ProtobufCMessage *response)
{
    const Privatelink__V1__DeleteRouteRequest *rq = (const void *) request;
    Privatelink__V1__DeleteRouteResponse *rs = (void *) response;
    const struct plrec_route_entry *r;
    const struct plrec_route_table *rt;
    struct route_dest dest = { .cidr = NULL };

    if (op_require(ctx, rq->route_table_id, "RouteTableId")
        && (rt = vpcu_get_route_table(ctx, rq->route_table_id))
        && route_parse_dest(ctx, rq->destination_cidr_block,
                            rq->destination_prefix_list_id,
                            rq->destination_ipv6_cidr_block, true, &dest)
        && (r = route_find_changeable(ctx, rt, &dest, "remove"))) {
        op_txn(ctx);
        plrec_route_table_update_routes_delvalue(rt, r);
        OP_SET(rs, return_, true);
    }
    free(dest.cidr);
}
