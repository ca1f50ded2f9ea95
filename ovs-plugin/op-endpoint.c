/*
 * op-endpoint.c: the consumer's operations on VPC endpoints:
 * CreateVpcEndpoint, ModifyVpcEndpoint and DeleteVpcEndpoints, with the
 * rules of the AWS PrivateLink guide for each endpoint type.
 *
 *   Gateway: route tables only; a route per table to the service's prefix
 *     list; available at once.
 *   Interface: one subnet per Availability Zone, each with a
 *     requester-managed ENI; security groups (the VPC's default when none
 *     is given); private DNS; pendingAcceptance or pending, then available
 *     once the chassis have realized it.
 *   GatewayLoadBalancer: exactly one subnet, never changed; no security
 *     groups, no policy, no private DNS.
 */
#include <config.h>

#include <stdlib.h>
#include <string.h>

#include "eni.h"
#include "lib/plink-idl.h"
#include "op-util.h"
#include "ops.h"
#include "ovsdb-idl.h"
#include "pl-endpoint.h"
#include "pl-service.h"
#include "plink-id.h"
#include "policy.h"
#include "smap.h"
#include "sset.h"
#include "util.h"

/* What a CreateVpcEndpoint or ModifyVpcEndpoint call has looked up. */
struct ept_plan {
    const char *type;           /* Interface, Gateway, GatewayLoadBalancer. */
    const struct plrec_vpc *vpc;
    const struct plrec_endpoint_service *svc;
    struct plrec_subnet **subnets;        /* Subnets (interface, GWLB). */
    size_t n_subnets;
    struct plrec_security_group **groups; /* Security groups. */
    size_t n_groups;
    struct plrec_route_table **rtbs;      /* Route tables (gateway). */
    size_t n_rtbs;
    bool private_dns;           /* Private DNS wanted. */
    const char *policy;         /* Policy document. */
};

static void
ept_plan_destroy(struct ept_plan *plan)
{
    free(plan->subnets);
    free(plan->groups);
    free(plan->rtbs);
}

/* Returns the quota named 'key' in PrivateLink_Global:options. */
static int
ept_quota(const struct op_ctx *ctx, const char *key, int def)
{
    return ctx->global ? smap_get_int(&ctx->global->options, key, def) : def;
}

/* Looks up the caller's subnets 'ids' in the VPC of 'plan'. */
static bool
ept_find_subnets(struct op_ctx *ctx, char **ids, size_t n,
                 struct ept_plan *plan)
{
    plan->subnets = xcalloc(n + 1, sizeof *plan->subnets);
    for (size_t i = 0; i < n; i++) {
        const struct plrec_subnet *s = op_find_subnet(ids[i]);
        if (!s || !op_is_owner(ctx, s->owner_id)) {
            op_error(ctx, "InvalidSubnetID.NotFound",
                     "The subnet ID '%s' does not exist", ids[i]);
            return false;
        } else if (s->vpc != plan->vpc) {
            op_error(ctx, "InvalidParameter", "The subnet %s does not belong "
                     "to the VPC %s.", ids[i], plan->vpc->vpc_id);
            return false;
        }
        plan->subnets[plan->n_subnets++] = CONST_CAST(struct plrec_subnet *,
                                                      s);
    }
    return true;
}

/* Checks that the subnets of 'plan' (with 'existing' ones of the endpoint)
 * are in distinct Availability Zones that the service supports. */
static bool
ept_check_azs(struct op_ctx *ctx, const struct ept_plan *plan,
              struct plrec_subnet **existing, size_t n_existing)
{
    struct sset azs = SSET_INITIALIZER(&azs);
    bool ok = true;
    for (size_t i = 0; i < n_existing; i++) {
        sset_add(&azs, existing[i]->availability_zone);
    }
    for (size_t i = 0; ok && i < plan->n_subnets; i++) {
        const struct plrec_subnet *s = plan->subnets[i];
        if (!sset_add(&azs, s->availability_zone)) {
            op_error(ctx, "DuplicateSubnetsInSameZone", "For an interface VPC "
                     "endpoint, you can specify only one subnet per "
                     "Availability Zone.");
            ok = false;
        } else if (!svc_has_az(plan->svc, s->availability_zone)) {
            op_error(ctx, "InvalidParameter", "The VPC endpoint service %s "
                     "does not support the availability zone of the subnet: "
                     "%s.", plan->svc->service_name, s->subnet_id);
            ok = false;
        }
    }
    sset_destroy(&azs);
    return ok;
}

/* Returns the default security group of 'vpc', or NULL. */
static const struct plrec_security_group *
ept_default_group(struct ovsdb_idl *idl, const struct plrec_vpc *vpc)
{
    const struct plrec_security_group *sg;
    PLREC_SECURITY_GROUP_FOR_EACH (sg, idl) {
        if (sg->vpc == vpc && !strcmp(sg->group_name, "default")) {
            return sg;
        }
    }
    return NULL;
}

/* Looks up the caller's security groups 'ids' in the VPC of 'plan'; none
 * means the VPC's default group. */
static bool
ept_find_groups(struct op_ctx *ctx, char **ids, size_t n,
                struct ept_plan *plan, bool use_default)
{
    plan->groups = xcalloc(n + 1, sizeof *plan->groups);
    for (size_t i = 0; i < n; i++) {
        const struct plrec_security_group *sg = op_find_security_group(ids[i]);
        if (!sg || !op_is_owner(ctx, sg->owner_id) || sg->vpc != plan->vpc) {
            op_error(ctx, "InvalidSecurityGroupID.NotFound", "The security "
                     "group '%s' does not exist in VPC '%s'", ids[i],
                     plan->vpc->vpc_id);
            return false;
        }
        plan->groups[plan->n_groups++]
            = CONST_CAST(struct plrec_security_group *, sg);
    }
    if (!n && use_default) {
        const struct plrec_security_group *sg
            = ept_default_group(ctx->idl, plan->vpc);
        if (sg) {
            plan->groups[plan->n_groups++]
                = CONST_CAST(struct plrec_security_group *, sg);
        }
    }
    return true;
}

/* Returns true if route table 'rt' has a route to 'svc''s prefix list
 * (another gateway endpoint to the same service). */
static bool
ept_rtb_has_service_route(const struct plrec_route_table *rt,
                          const struct plrec_endpoint_service *svc)
{
    for (size_t i = 0; i < rt->n_routes; i++) {
        const struct plrec_route_entry *r = rt->routes[i];
        if (svc->prefix_list && r->destination_prefix_list == svc->prefix_list) {
            return true;
        }
    }
    return false;
}

/* Looks up the caller's route tables 'ids' in the VPC of 'plan'. */
static bool
ept_find_rtbs(struct op_ctx *ctx, char **ids, size_t n, struct ept_plan *plan)
{
    plan->rtbs = xcalloc(n + 1, sizeof *plan->rtbs);
    for (size_t i = 0; i < n; i++) {
        const struct plrec_route_table *rt = op_find_route_table(ids[i]);
        if (!rt || !op_is_owner(ctx, rt->owner_id)) {
            op_error(ctx, "InvalidRouteTableID.NotFound", "The routeTable ID "
                     "'%s' does not exist", ids[i]);
            return false;
        } else if (rt->vpc != plan->vpc) {
            op_error(ctx, "InvalidParameter", "The route table %s does not "
                     "belong to the VPC %s.", ids[i], plan->vpc->vpc_id);
            return false;
        } else if (ept_rtb_has_service_route(rt, plan->svc)) {
            op_error(ctx, "RouteAlreadyExists", "The route table %s already "
                     "has a route to the prefix list of %s: two endpoints to "
                     "one service cannot share a route table.", ids[i],
                     plan->svc->service_name);
            return false;
        }
        plan->rtbs[plan->n_rtbs++] = CONST_CAST(struct plrec_route_table *,
                                                rt);
    }
    return true;
}

/* Returns true if another live endpoint of 'vpc' to 'svc' has private DNS
 * on (its names would conflict). */
static bool
ept_private_dns_conflict(struct ovsdb_idl *idl OVS_UNUSED,
                         const struct plrec_vpc *vpc,
                         const struct plrec_endpoint_service *svc,
                         const struct plrec_vpc_endpoint *self)
{
    const struct plrec_vpc_endpoint **epts;
    size_t n = op_vpc_endpoints_of_vpc(vpc, &epts);
    bool conflict = false;

    for (size_t i = 0; i < n && !conflict; i++) {
        const struct plrec_vpc_endpoint *e = epts[i];
        conflict = (e != self && e->service == svc && e->private_dns_enabled
                    && strcmp(e->state, "rejected")
                    && strcmp(e->state, "failed"));
    }
    free(epts);
    return conflict;
}

/* Checks that private DNS may be turned on for an endpoint of 'plan'. */
static bool
ept_check_private_dns(struct op_ctx *ctx, const struct ept_plan *plan,
                      const struct plrec_vpc_endpoint *self)
{
    if (strcmp(plan->type, "Interface")) {
        op_error(ctx, "InvalidParameter", "Private DNS is only supported for "
                 "Interface type VPC Endpoints.");
    } else if (!plan->svc->private_dns_name) {
        op_error(ctx, "InvalidParameter", "Private DNS can't be enabled "
                 "because the service %s does not provide a private DNS "
                 "name.", plan->svc->service_name);
    } else if (!plan->vpc->enable_dns_support
               || !plan->vpc->enable_dns_hostnames) {
        op_error(ctx, "InvalidParameter", "Enabling private DNS requires both "
                 "enableDnsSupport and enableDnsHostnames VPC attributes set "
                 "to true for %s", plan->vpc->vpc_id);
    } else if (ept_private_dns_conflict(ctx->idl, plan->vpc, plan->svc,
                                        self)) {
        op_error(ctx, "InvalidParameter", "private-dns-enabled cannot be set "
                 "because there is already a conflicting DNS domain for %s "
                 "in the VPC %s", plan->svc->private_dns_name,
                 plan->vpc->vpc_id);
    } else {
        return true;
    }
    return false;
}

/* Checks 'document' as the policy of an endpoint of 'plan'. */
static bool
ept_check_policy(struct op_ctx *ctx, const struct ept_plan *plan,
                 const char *document)
{
    if (!strcmp(plan->type, "GatewayLoadBalancer")) {
        op_error(ctx, "InvalidParameter", "Endpoint policies are not "
                 "supported for Gateway Load Balancer endpoints.");
        return false;
    } else if (!plan->svc->vpc_endpoint_policy_supported) {
        op_error(ctx, "InvalidParameter", "The service %s does not support "
                 "VPC endpoint policies.", plan->svc->service_name);
        return false;
    }
    char *error = policy_validate(document);
    if (error) {
        op_error(ctx, "InvalidPolicyDocument", "The specified policy document "
                 "is not a valid JSON policy document: %s.", error);
        free(error);
        return false;
    }
    return true;
}

/* Checks the endpoint quotas of the caller for one more endpoint of
 * 'plan'. */
static bool
ept_check_quota(struct op_ctx *ctx, const struct ept_plan *plan)
{
    bool gateway = !strcmp(plan->type, "Gateway");
    size_t in_vpc = 0, in_region = 0;
    const struct plrec_vpc_endpoint *e;
    if (gateway) {
        /* The region-wide quota of gateway endpoints needs a walk. */
        PLREC_VPC_ENDPOINT_FOR_EACH (e, ctx->idl) {
            if (!strcmp(e->vpc_endpoint_type, "Gateway")
                && op_is_owner(ctx, e->owner_id)) {
                in_region++;
                in_vpc += e->vpc == plan->vpc;
            }
        }
    } else {
        const struct plrec_vpc_endpoint **epts;
        size_t n = op_vpc_endpoints_of_vpc(plan->vpc, &epts);

        for (size_t i = 0; i < n; i++) {
            in_vpc += ept_counts_toward_quota(epts[i]);
        }
        free(epts);
    }
    int vpc_max = (gateway
                   ? ept_quota(ctx, "gateway_endpoints_per_vpc", 255)
                   : ept_quota(ctx, "interface_endpoints_per_vpc", 50));
    int region_max = ept_quota(ctx, "gateway_endpoints_per_region", 20);
    if (in_vpc >= vpc_max || (gateway && in_region >= region_max)) {
        op_error(ctx, "VpcEndpointLimitExceeded", "You've reached the limit "
                 "on the number of VPC endpoints that you can create in the "
                 "%s (%d).", in_vpc >= vpc_max ? "VPC" : "Region",
                 in_vpc >= vpc_max ? vpc_max : region_max);
        return false;
    }
    return true;
}

/* Validates the parts of a create request that depend on the type. */
static bool
ept_validate_by_type(struct op_ctx *ctx,
                     const Privatelink__V1__CreateVpcEndpointRequest *rq,
                     struct ept_plan *plan)
{
    bool gateway = !strcmp(plan->type, "Gateway");
    bool gwlb = !strcmp(plan->type, "GatewayLoadBalancer");

    if (gateway && (rq->n_subnet_ids || rq->n_security_group_ids)) {
        op_error(ctx, "InvalidParameter", rq->n_subnet_ids
                 ? "Subnet IDs are only supported for Interface and "
                   "GatewayLoadBalancer type VPC Endpoints."
                 : "Security group IDs are only supported for Interface "
                   "type VPC Endpoints.");
        return false;
    } else if (!gateway && rq->n_route_table_ids) {
        op_error(ctx, "InvalidParameter", "Route table IDs are only "
                 "supported for Gateway type VPC Endpoint.");
        return false;
    } else if (gwlb && rq->n_subnet_ids != 1) {
        op_error(ctx, "InvalidParameter", "A Gateway Load Balancer endpoint "
                 "must have exactly one subnet.");
        return false;
    } else if (gwlb && rq->n_security_group_ids) {
        op_error(ctx, "InvalidParameter", "Security groups are not supported "
                 "for Gateway Load Balancer endpoints.");
        return false;
    } else if (!gateway && !gwlb && !rq->n_subnet_ids) {
        op_error(ctx, "InvalidParameter", "An Interface endpoint needs at "
                 "least one subnet.");
        return false;
    }
    return (gateway
            ? ept_find_rtbs(ctx, rq->route_table_ids, rq->n_route_table_ids,
                            plan)
            : (ept_find_subnets(ctx, rq->subnet_ids, rq->n_subnet_ids, plan)
               && ept_check_azs(ctx, plan, NULL, 0)
               && ept_find_groups(ctx, rq->security_group_ids,
                                  rq->n_security_group_ids, plan, !gwlb)));
}

/* Looks up the VPC and the service of a create request. */
static bool
ept_find_vpc_and_service(struct op_ctx *ctx,
                         const Privatelink__V1__CreateVpcEndpointRequest *rq,
                         struct ept_plan *plan)
{
    static const char *const types[] = {
        "Interface", "Gateway", "GatewayLoadBalancer", NULL,
    };
    plan->type = rq->vpc_endpoint_type ? rq->vpc_endpoint_type : "Gateway";
    if (!op_require(ctx, rq->vpc_id != NULL, "VpcId")
        || !op_require(ctx, rq->service_name != NULL, "ServiceName")
        || !op_check_enum(ctx, plan->type, "VpcEndpointType", types)) {
        return false;
    }
    plan->vpc = op_find_vpc(rq->vpc_id);
    if (!plan->vpc || !op_is_owner(ctx, plan->vpc->owner_id)) {
        op_error(ctx, "InvalidVpcId.NotFound", "The Vpc Id '%s' does not "
                 "exist", rq->vpc_id);
        return false;
    }
    plan->svc = svc_find_by_name(ctx->idl, rq->service_name);
    if (!plan->svc || !svc_may_connect(ctx, plan->svc)
        || strcmp(plan->svc->service_state, "Available")) {
        op_error(ctx, "InvalidServiceName", "The Vpc Endpoint Service '%s' "
                 "does not exist", rq->service_name);
        return false;
    } else if (!svc_has_type(plan->svc, plan->type)) {
        op_error(ctx, "InvalidVpcEndpointType", "The Vpc Endpoint Service "
                 "'%s' does not support the endpoint type %s.",
                 rq->service_name, plan->type);
        return false;
    }
    return true;
}

/* Validates a whole create request into 'plan'. */
static bool
ept_validate_create(struct op_ctx *ctx,
                    const Privatelink__V1__CreateVpcEndpointRequest *rq,
                    struct ept_plan *plan)
{
    if (!ept_find_vpc_and_service(ctx, rq, plan)
        || !ept_validate_by_type(ctx, rq, plan)) {
        return false;
    }
    bool is_interface = !strcmp(plan->type, "Interface");
    plan->private_dns = (rq->has_private_dns_enabled
                         ? rq->private_dns_enabled
                         : is_interface && svc_private_dns_usable(plan->svc)
                           && plan->svc->private_dns_by_default);
    if (rq->ip_address_type && strcmp(rq->ip_address_type, "ipv4")) {
        op_error(ctx, "InvalidParameter", "IP address type %s is not "
                 "supported: endpoints support IPv4 only.",
                 rq->ip_address_type);
        return false;
    }
    plan->policy = (rq->policy_document ? rq->policy_document
                    : !strcmp(plan->type, "Gateway") ? policy_default_gateway
                    : is_interface ? policy_default_interface : NULL);
    return ((!plan->private_dns || ept_check_private_dns(ctx, plan, NULL))
            && (!rq->policy_document
                || ept_check_policy(ctx, plan, rq->policy_document))
            && ept_check_quota(ctx, plan));
}

/* Adds to 'rt' the route of gateway endpoint 'ept' to its service. */
static void
ept_add_route(struct op_ctx *ctx, const struct plrec_vpc_endpoint *ept,
              const struct plrec_endpoint_service *svc,
              const struct plrec_route_table *rt)
{
    const struct plrec_route_entry *r = plrec_route_entry_insert(op_txn(ctx));
    plrec_route_entry_set_destination_prefix_list(r, svc->prefix_list);
    plrec_route_entry_set_target_type(r, "vpc-endpoint");
    plrec_route_entry_set_gateway_id(r, ept->vpc_endpoint_id);
    plrec_route_entry_set_vpc_endpoint(r, ept);
    plrec_route_entry_set_origin(r, "CreateRouteTable");
    plrec_route_entry_set_state(r, "active");
    plrec_route_table_update_routes_addvalue(rt, r);
}

/* Removes from 'rt' the route of gateway endpoint 'ept'. */
static void
ept_remove_route(const struct plrec_vpc_endpoint *ept,
                 const struct plrec_route_table *rt)
{
    for (size_t i = 0; i < rt->n_routes; i++) {
        if (rt->routes[i]->vpc_endpoint == ept) {
            plrec_route_table_update_routes_delvalue(rt, rt->routes[i]);
        }
    }
}

/* Creates the requester-managed ENIs of 'ept' in 'subnets'. */
static bool
ept_create_enis(struct op_ctx *ctx, const struct plrec_vpc_endpoint *ept,
                struct plrec_subnet **subnets, size_t n_subnets,
                struct plrec_security_group **groups, size_t n_groups)
{
    bool gwlb = !strcmp(ept->vpc_endpoint_type, "GatewayLoadBalancer");
    char *desc = xasprintf("VPC Endpoint %s %s", gwlb
                           ? "Gateway Load Balancer" : "Interface",
                           ept->vpc_endpoint_id);
    bool ok = true;
    for (size_t i = 0; ok && i < n_subnets; i++) {
        struct eni_spec spec = {
            .subnet = subnets[i],
            .owner_id = ept->owner_id,
            .interface_type = gwlb ? "gateway_load_balancer_endpoint"
                                   : "vpc_endpoint",
            .description = desc,
            .requester_managed = true,
            .requester_id = "amazon-vpce",
            .groups = groups,
            .n_groups = n_groups,
        };
        const struct plrec_network_interface *eni = eni_create(ctx, &spec);
        if (eni) {
            plrec_vpc_endpoint_update_network_interfaces_addvalue(ept, eni);
        }
        ok = eni != NULL;
    }
    free(desc);
    return ok;
}

/* Recomputes the DNS entries of interface endpoint 'ept' for 'subnets'. */
static void
ept_update_dns(const struct op_ctx *ctx, const struct plrec_vpc_endpoint *ept,
               const struct plrec_endpoint_service *svc,
               struct plrec_subnet **subnets, size_t n_subnets,
               bool private_dns)
{
    struct smap entries = SMAP_INITIALIZER(&entries);
    if (!strcmp(ept->vpc_endpoint_type, "Interface")) {
        struct sset azs = SSET_INITIALIZER(&azs);
        for (size_t i = 0; i < n_subnets; i++) {
            sset_add(&azs, subnets[i]->availability_zone);
        }
        const char **names = sset_sort(&azs);
        ept_compute_dns_entries(ctx, ept->vpc_endpoint_id, ept->dns_suffix,
                                svc, names, sset_count(&azs), private_dns,
                                &entries);
        free(names);
        sset_destroy(&azs);
    }
    plrec_vpc_endpoint_set_dns_entries(ept, &entries);
    smap_destroy(&entries);
}

/* Inserts the endpoint that 'plan' describes. */
static const struct plrec_vpc_endpoint *
ept_insert(struct op_ctx *ctx,
           const Privatelink__V1__CreateVpcEndpointRequest *rq,
           const struct ept_plan *plan, const struct smap *tags)
{
    char *id = plink_id_new("vpce");
    char *con = plink_id_new("vpce-con");
    char *suffix = plink_id_random_alnum(8, false);
    const struct plrec_vpc_endpoint *ept
        = plrec_vpc_endpoint_insert(op_txn(ctx));

    plrec_vpc_endpoint_set_vpc_endpoint_id(ept, id);
    plrec_vpc_endpoint_set_vpc_endpoint_type(ept, plan->type);
    plrec_vpc_endpoint_set_owner_id(ept, op_account_id(ctx));
    plrec_vpc_endpoint_set_vpc(ept, plan->vpc);
    plrec_vpc_endpoint_set_service(ept, plan->svc);
    plrec_vpc_endpoint_set_service_name(ept, plan->svc->service_name);
    plrec_vpc_endpoint_set_policy_document(ept, plan->policy);
    plrec_vpc_endpoint_set_private_dns_enabled(ept, plan->private_dns);
    plrec_vpc_endpoint_set_ip_address_type(ept, "ipv4");
    plrec_vpc_endpoint_set_dns_record_ip_type(ept, "ipv4");
    plrec_vpc_endpoint_set_subnets(ept, plan->subnets, plan->n_subnets);
    plrec_vpc_endpoint_set_security_groups(ept, plan->groups,
                                           plan->n_groups);
    plrec_vpc_endpoint_set_route_tables(ept, plan->rtbs, plan->n_rtbs);
    plrec_vpc_endpoint_set_dns_suffix(ept, suffix);
    plrec_vpc_endpoint_set_connection_id(ept, con);
    plrec_vpc_endpoint_set_creation_timestamp(ept, ctx->now);
    plrec_vpc_endpoint_set_tags(ept, tags);
    if (rq->client_token) {
        plrec_vpc_endpoint_set_client_token(ept, rq->client_token);
    }
    free(id);
    free(con);
    free(suffix);
    return ept;
}

/* Sets up what a new endpoint needs beyond its row: routes, ENIs, DNS
 * names, its first state and the events it raises. */
static bool
ept_realize_new(struct op_ctx *ctx, const struct plrec_vpc_endpoint *ept,
                const struct ept_plan *plan)
{
    if (!strcmp(plan->type, "Gateway")) {
        for (size_t i = 0; i < plan->n_rtbs; i++) {
            ept_add_route(ctx, ept, plan->svc, plan->rtbs[i]);
        }
        plrec_vpc_endpoint_set_state(ept, "available");
        ept_notify(ctx, ept, plan->svc, "Connect", "available");
        return true;
    }
    if (!ept_create_enis(ctx, ept, plan->subnets, plan->n_subnets,
                         plan->groups, plan->n_groups)) {
        return false;
    }
    ept_update_dns(ctx, ept, plan->svc, plan->subnets, plan->n_subnets,
                   plan->private_dns);
    if (plan->svc->acceptance_required) {
        ept_set_state(ctx, ept, "pendingAcceptance");
        ept_notify(ctx, ept, plan->svc, "Connect", "pendingAcceptance");
    } else {
        ept_set_state(ctx, ept, "pending");
        ept_notify(ctx, ept, plan->svc, "Connect", "pending");
        ept_notify(ctx, ept, plan->svc, "Accept", "pending");
    }
    return true;
}

/* Returns the caller's endpoint created with client token 'token'. */
static const struct plrec_vpc_endpoint *
ept_find_by_token(const struct op_ctx *ctx, const char *token)
{
    return op_vpc_endpoint_by_token(token, op_account_id(ctx));
}

/* Handles a repeated ClientToken: the same request returns the endpoint
 * it made; another request with the same token is an error. */
static bool
ept_idempotent(struct op_ctx *ctx,
               const Privatelink__V1__CreateVpcEndpointRequest *rq,
               const struct plrec_vpc_endpoint **eptp)
{
    *eptp = rq->client_token ? ept_find_by_token(ctx, rq->client_token)
                             : NULL;
    if (*eptp && (!rq->vpc_id || strcmp((*eptp)->vpc->vpc_id, rq->vpc_id)
                  || !rq->service_name
                  || strcmp((*eptp)->service_name, rq->service_name))) {
        op_error(ctx, "IdempotentParameterMismatch", "The client token %s "
                 "was used for another request.", rq->client_token);
        *eptp = NULL;
        return false;
    }
    return true;
}

void
op_create_vpc_endpoint(struct op_ctx *ctx, const ProtobufCMessage *request,
                       ProtobufCMessage *response)
{
    const Privatelink__V1__CreateVpcEndpointRequest *rq
        = (const void *) request;
    Privatelink__V1__CreateVpcEndpointResponse *rs = (void *) response;
    struct ept_plan plan = { .type = NULL };
    struct smap tags = SMAP_INITIALIZER(&tags);
    const struct plrec_vpc_endpoint *ept;

    if (ept_idempotent(ctx, rq, &ept) && !ept
        && ept_validate_create(ctx, rq, &plan)
        && op_tags_from_specs(ctx, rq->tag_specifications,
                              rq->n_tag_specifications, "vpc-endpoint",
                              &tags)
        && !ctx->dry_run) {
        ept = ept_insert(ctx, rq, &plan, &tags);
        if (!ept_realize_new(ctx, ept, &plan)) {
            ept = NULL;
        }
    }
    if (ept && !op_failed(ctx)) {
        rs->vpc_endpoint = ept_to_msg(ctx, ept);
        rs->client_token = op_strdup(rq->client_token);
    }
    smap_destroy(&tags);
    ept_plan_destroy(&plan);
}

/* Returns the caller's endpoint 'id', or NULL after failing 'ctx'. */
static const struct plrec_vpc_endpoint *
ept_find_owned(struct op_ctx *ctx, const char *id)
{
    if (!op_require(ctx, id != NULL, "VpcEndpointId")) {
        return NULL;
    } else if (!plink_id_valid(id, "vpce")) {
        op_error(ctx, "InvalidVpcEndpointId.Malformed", "Use the full VPC "
                 "endpoint ID in the form vpce-xxxxxxxx: '%s'", id);
        return NULL;
    }
    const struct plrec_vpc_endpoint *ept = op_find_vpc_endpoint(id);
    if (!ept || !op_is_owner(ctx, ept->owner_id)) {
        op_error(ctx, "InvalidVpcEndpointId.NotFound", "The Vpc Endpoint Id "
                 "'%s' does not exist", id);
        return NULL;
    }
    return ept;
}

/* Fills 'plan' with what 'ept' is now, for the checks of a Modify. */
static void
ept_plan_from_endpoint(const struct plrec_vpc_endpoint *ept,
                       struct ept_plan *plan)
{
    plan->type = ept->vpc_endpoint_type;
    plan->vpc = ept->vpc;
    plan->svc = ept->service;
}

/* Applies the route table changes of a Modify to gateway endpoint 'ept'. */
static bool
ept_modify_rtbs(struct op_ctx *ctx, const struct plrec_vpc_endpoint *ept,
                const Privatelink__V1__ModifyVpcEndpointRequest *rq,
                struct ept_plan *plan)
{
    if (!rq->n_add_route_table_ids && !rq->n_remove_route_table_ids) {
        return true;
    } else if (strcmp(plan->type, "Gateway")) {
        op_error(ctx, "InvalidParameter", "Route table IDs are only "
                 "supported for Gateway type VPC Endpoint.");
        return false;
    } else if (!plan->svc) {
        op_error(ctx, "IncorrectState", "The service of %s no longer "
                 "exists.", ept->vpc_endpoint_id);
        return false;
    }
    for (size_t i = 0; i < rq->n_remove_route_table_ids; i++) {
        const struct plrec_route_table *rt
            = op_find_route_table(rq->remove_route_table_ids[i]);
        bool found = false;
        for (size_t j = 0; rt && j < ept->n_route_tables; j++) {
            found |= ept->route_tables[j] == rt;
        }
        if (!found) {
            op_error(ctx, "InvalidRouteTableID.NotFound", "The route table "
                     "'%s' is not associated with %s",
                     rq->remove_route_table_ids[i], ept->vpc_endpoint_id);
            return false;
        }
        ept_remove_route(ept, rt);
        plrec_vpc_endpoint_update_route_tables_delvalue(ept, rt);
    }
    if (!ept_find_rtbs(ctx, rq->add_route_table_ids,
                       rq->n_add_route_table_ids, plan)) {
        return false;
    }
    for (size_t i = 0; i < plan->n_rtbs; i++) {
        ept_add_route(ctx, ept, plan->svc, plan->rtbs[i]);
        plrec_vpc_endpoint_update_route_tables_addvalue(ept, plan->rtbs[i]);
    }
    return true;
}

/* Deletes the ENI of 'ept' in 'subnet'. */
static void
ept_remove_subnet(struct op_ctx *ctx, const struct plrec_vpc_endpoint *ept,
                  const struct plrec_subnet *subnet)
{
    for (size_t i = 0; i < ept->n_network_interfaces; i++) {
        const struct plrec_network_interface *eni
            = ept->network_interfaces[i];
        if (eni->subnet == subnet) {
            plrec_vpc_endpoint_update_network_interfaces_delvalue(ept, eni);
            eni_delete(ctx, eni);
        }
    }
    plrec_vpc_endpoint_update_subnets_delvalue(ept, subnet);
}

/* Returns the subnets 'ept' will have after removing 'remove'. */
static struct plrec_subnet **
ept_subnets_after(const struct plrec_vpc_endpoint *ept, char **remove,
                  size_t n_remove, size_t *np)
{
    struct plrec_subnet **keep = xcalloc(ept->n_subnets + 1, sizeof *keep);
    *np = 0;
    for (size_t i = 0; i < ept->n_subnets; i++) {
        if (!op_in_list(remove, n_remove, ept->subnets[i]->subnet_id)) {
            keep[(*np)++] = ept->subnets[i];
        }
    }
    return keep;
}

/* Applies the subnet changes of a Modify to interface endpoint 'ept'. */
static bool
ept_modify_subnets(struct op_ctx *ctx, const struct plrec_vpc_endpoint *ept,
                   const Privatelink__V1__ModifyVpcEndpointRequest *rq,
                   struct ept_plan *plan, bool *changed)
{
    if (!rq->n_add_subnet_ids && !rq->n_remove_subnet_ids) {
        return true;
    } else if (strcmp(plan->type, "Interface")) {
        op_error(ctx, "InvalidParameter", strcmp(plan->type, "Gateway")
                 ? "The subnet of a Gateway Load Balancer endpoint cannot "
                   "be changed."
                 : "Subnet IDs are only supported for Interface and "
                   "GatewayLoadBalancer type VPC Endpoints.");
        return false;
    }
    for (size_t i = 0; i < rq->n_remove_subnet_ids; i++) {
        bool found = false;
        for (size_t j = 0; j < ept->n_subnets; j++) {
            found |= !strcmp(ept->subnets[j]->subnet_id,
                             rq->remove_subnet_ids[i]);
        }
        if (!found) {
            op_error(ctx, "InvalidSubnetID.NotFound", "The subnet '%s' is "
                     "not a subnet of %s", rq->remove_subnet_ids[i],
                     ept->vpc_endpoint_id);
            return false;
        }
    }
    size_t n_keep;
    struct plrec_subnet **keep = ept_subnets_after(
        ept, rq->remove_subnet_ids, rq->n_remove_subnet_ids, &n_keep);
    bool ok = (ept_find_subnets(ctx, rq->add_subnet_ids,
                                rq->n_add_subnet_ids, plan)
               && ept_check_azs(ctx, plan, keep, n_keep));
    if (ok && !n_keep && !plan->n_subnets) {
        op_error(ctx, "InvalidParameter", "An Interface endpoint needs at "
                 "least one subnet.");
        ok = false;
    }
    free(keep);
    if (!ok) {
        return false;
    }
    for (size_t i = 0; i < ept->n_subnets; i++) {
        if (op_in_list(rq->remove_subnet_ids, rq->n_remove_subnet_ids,
                       ept->subnets[i]->subnet_id)) {
            ept_remove_subnet(ctx, ept, ept->subnets[i]);
        }
    }
    for (size_t i = 0; i < plan->n_subnets; i++) {
        plrec_vpc_endpoint_update_subnets_addvalue(ept, plan->subnets[i]);
    }
    *changed = true;
    return ept_create_enis(ctx, ept, plan->subnets, plan->n_subnets,
                           ept->security_groups, ept->n_security_groups);
}

/* Applies the security group changes of a Modify to 'ept' and its ENIs. */
static bool
ept_modify_groups(struct op_ctx *ctx, const struct plrec_vpc_endpoint *ept,
                  const Privatelink__V1__ModifyVpcEndpointRequest *rq,
                  struct ept_plan *plan, bool *changed)
{
    if (!rq->n_add_security_group_ids && !rq->n_remove_security_group_ids) {
        return true;
    } else if (strcmp(plan->type, "Interface")) {
        op_error(ctx, "InvalidParameter", "Security group IDs are only "
                 "supported for Interface type VPC Endpoints.");
        return false;
    } else if (!ept_find_groups(ctx, rq->add_security_group_ids,
                                rq->n_add_security_group_ids, plan, false)) {
        return false;
    }
    struct sset ids = SSET_INITIALIZER(&ids);
    for (size_t i = 0; i < ept->n_security_groups; i++) {
        sset_add(&ids, ept->security_groups[i]->group_id);
    }
    for (size_t i = 0; i < rq->n_remove_security_group_ids; i++) {
        if (!sset_find_and_delete(&ids, rq->remove_security_group_ids[i])) {
            op_error(ctx, "InvalidSecurityGroupID.NotFound", "The security "
                     "group '%s' is not a group of %s",
                     rq->remove_security_group_ids[i], ept->vpc_endpoint_id);
            sset_destroy(&ids);
            return false;
        }
    }
    for (size_t i = 0; i < plan->n_groups; i++) {
        sset_add(&ids, plan->groups[i]->group_id);
    }
    if (sset_is_empty(&ids)) {
        op_error(ctx, "InvalidParameter", "An Interface endpoint needs at "
                 "least one security group.");
        sset_destroy(&ids);
        return false;
    }

    size_t n = 0;
    struct plrec_security_group **groups = xcalloc(sset_count(&ids),
                                                   sizeof *groups);
    const char *id;
    SSET_FOR_EACH (id, &ids) {
        groups[n++] = CONST_CAST(struct plrec_security_group *,
                                 op_find_security_group(id));
    }
    plrec_vpc_endpoint_set_security_groups(ept, groups, n);
    for (size_t i = 0; i < ept->n_network_interfaces; i++) {
        plrec_network_interface_set_security_groups(
            ept->network_interfaces[i], groups, n);
    }
    free(groups);
    sset_destroy(&ids);
    *changed = true;
    return true;
}

/* Applies the policy and private DNS changes of a Modify to 'ept'. */
static bool
ept_modify_policy_and_dns(struct op_ctx *ctx,
                          const struct plrec_vpc_endpoint *ept,
                          const Privatelink__V1__ModifyVpcEndpointRequest *rq,
                          struct ept_plan *plan)
{
    bool reset = rq->has_reset_policy && rq->reset_policy;
    if (reset && rq->policy_document) {
        op_error(ctx, "InvalidParameterCombination", "PolicyDocument and "
                 "ResetPolicy cannot be given together.");
        return false;
    } else if ((reset || rq->policy_document) && plan->svc
               && !ept_check_policy(ctx, plan, rq->policy_document
                                    ? rq->policy_document
                                    : policy_default_interface)) {
        return false;
    }
    if (reset || rq->policy_document) {
        plrec_vpc_endpoint_set_policy_document(
            ept, rq->policy_document ? rq->policy_document
                 : !strcmp(plan->type, "Gateway") ? policy_default_gateway
                 : policy_default_interface);
    }
    if (rq->has_private_dns_enabled
        && rq->private_dns_enabled != ept->private_dns_enabled) {
        if (rq->private_dns_enabled
            && (!plan->svc || !ept_check_private_dns(ctx, plan, ept))) {
            return false;
        } else if (strcmp(plan->type, "Interface")) {
            op_error(ctx, "InvalidParameter", "Private DNS is only supported "
                     "for Interface type VPC Endpoints.");
            return false;
        }
        plrec_vpc_endpoint_set_private_dns_enabled(ept,
                                                   rq->private_dns_enabled);
    }
    return true;
}

void
op_modify_vpc_endpoint(struct op_ctx *ctx, const ProtobufCMessage *request,
                       ProtobufCMessage *response)
{
    const Privatelink__V1__ModifyVpcEndpointRequest *rq
        = (const void *) request;
    Privatelink__V1__ModifyVpcEndpointResponse *rs = (void *) response;
    struct ept_plan plan = { .type = NULL };
    bool changed = false;

    const struct plrec_vpc_endpoint *ept = ept_find_owned(ctx,
                                                          rq->vpc_endpoint_id);
    if (!ept) {
        return;
    }
    ept_plan_from_endpoint(ept, &plan);
    op_txn(ctx);
    if (ept_modify_rtbs(ctx, ept, rq, &plan)
        && ept_modify_subnets(ctx, ept, rq, &plan, &changed)
        && ept_modify_groups(ctx, ept, rq, &plan, &changed)
        && ept_modify_policy_and_dns(ctx, ept, rq, &plan)) {
        if (plan.svc && !strcmp(plan.type, "Interface")) {
            ept_update_dns(ctx, ept, plan.svc, ept->subnets, ept->n_subnets,
                           ept->private_dns_enabled);
        }
        if (changed && !strcmp(ept->state, "available")) {
            /* Until every chassis has the new ENIs and groups. */
            ept_set_state(ctx, ept, "pending");
        }
        OP_SET(rs, return_, true);
    }
    ept_plan_destroy(&plan);
}

/* Returns the route table of a route (other than the endpoint's own
 * gateway routes) whose target is 'ept', or NULL. */
static const struct plrec_route_table *
ept_route_target_of(struct ovsdb_idl *idl, const struct plrec_vpc_endpoint *ept)
{
    const struct plrec_route_table *rt;
    PLREC_ROUTE_TABLE_FOR_EACH (rt, idl) {
        for (size_t i = 0; i < rt->n_routes; i++) {
            if (rt->routes[i]->vpc_endpoint == ept
                && strcmp(rt->routes[i]->origin, "CreateRouteTable")) {
                return rt;
            }
        }
    }
    return NULL;
}

/* Deletes endpoint 'id' for DeleteVpcEndpoints, or returns the error of
 * its item. */
static Privatelink__V1__UnsuccessfulItem *
ept_delete_one(struct op_ctx *ctx, const char *id)
{
    const struct plrec_vpc_endpoint *ept = op_find_vpc_endpoint(id);
    const struct plrec_route_table *rt = NULL;
    char *message = NULL;
    const char *code = NULL;

    if (!ept || !op_is_owner(ctx, ept->owner_id)) {
        code = "InvalidVpcEndpoint.NotFound";
        message = xasprintf("The VPC endpoint '%s' does not exist.", id);
    } else if ((rt = ept_route_target_of(ctx->idl, ept))) {
        code = "DependencyViolation";
        message = xasprintf("The VPC endpoint %s is the target of a route in "
                            "%s: delete the route first.", id,
                            rt->route_table_id);
    } else {
        ept_delete(ctx, ept);
        return NULL;
    }

    return op_unsuccessful_item(id, code, message);
}

void
op_delete_vpc_endpoints(struct op_ctx *ctx, const ProtobufCMessage *request,
                        ProtobufCMessage *response)
{
    const Privatelink__V1__DeleteVpcEndpointsRequest *rq
        = (const void *) request;
    Privatelink__V1__DeleteVpcEndpointsResponse *rs = (void *) response;

    if (!op_require(ctx, rq->n_vpc_endpoint_ids > 0, "VpcEndpointIds")) {
        return;
    }
    for (size_t i = 0; i < rq->n_vpc_endpoint_ids; i++) {
        Privatelink__V1__UnsuccessfulItem *item
            = ept_delete_one(ctx, rq->vpc_endpoint_ids[i]);
        if (item) {
            OP_APPEND(rs, unsuccessful, item);
        }
    }
}
