/*
 * op-service.c: the provider's operations on endpoint services:
 * CreateVpcEndpointServiceConfiguration, Modify..., Delete...,
 * DescribeVpcEndpointServiceConfigurations,
 * ModifyVpcEndpointServicePayerResponsibility and
 * StartVpcEndpointServicePrivateDnsVerification.
 */
#include <config.h>

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "filter.h"
#include "lib/plink-idl.h"
#include "op-util.h"
#include "ops.h"
#include "ovsdb-idl.h"
#include "pl-endpoint.h"
#include "pl-service.h"
#include "plink-id.h"
#include "smap.h"
#include "sset.h"
#include "util.h"

/* Endpoint states that keep a service from being deleted or its load
 * balancers from changing. */
static const char *const attached_states[] = {
    "available", "pendingAcceptance", "pending", NULL,
};

/* Checks a private DNS name: lower case, labels of 1 to 63 characters of
 * letters, digits and hyphens (a leading "*." wildcard allowed), at most
 * 255 characters in all. */
static bool
svc_check_dns_name(struct op_ctx *ctx, const char *name)
{
    size_t len = strlen(name);
    const char *p = !strncmp(name, "*.", 2) ? name + 2 : name;
    bool ok = len > 0 && len <= 255 && *p;

    while (ok && *p) {
        size_t n = strcspn(p, ".");
        ok = n >= 1 && n <= 63 && p[0] != '-' && p[n - 1] != '-';
        for (size_t i = 0; ok && i < n; i++) {
            ok = islower((unsigned char) p[i]) || isdigit((unsigned char) p[i])
                 || p[i] == '-';
        }
        p += n;
        if (*p == '.') {
            p++;
            ok = ok && *p;
        }
    }
    if (!ok || !strchr(name, '.')) {
        op_error(ctx, "InvalidParameter", "The private DNS name '%s' is not "
                 "valid: use a lower-case domain name whose labels have at "
                 "most 63 characters and whose length is at most 255.", name);
        return false;
    }
    return true;
}

/* Starts ownership verification of 'name' on 'svc': a new TXT record name
 * and value, state pendingVerification. */
static void
svc_set_private_dns(const struct plrec_endpoint_service *svc,
                    const char *name, long long int now)
{
    char *rnd = plink_id_random_alnum(20, false);
    char *vname = xasprintf("_%s", rnd);
    char *val = plink_id_random_alnum(20, true);
    char *vvalue = xasprintf("vpce:%s", val);

    /* Mixed case, as AWS's values are: a lower-cased copy must not match. */
    for (char *p = vvalue + 5; *p; p += 2) {
        *p = tolower((unsigned char) *p);
        if (!p[1]) {
            break;
        }
    }
    plrec_endpoint_service_set_private_dns_name(svc, name);
    plrec_endpoint_service_set_private_dns_state(svc, "pendingVerification");
    plrec_endpoint_service_set_private_dns_verification_name(svc, vname);
    plrec_endpoint_service_set_private_dns_verification_value(svc, vvalue);
    /* The first check comes after the verification interval, or at once
     * when StartVpcEndpointServicePrivateDnsVerification asks. */
    plrec_endpoint_service_set_private_dns_checked_at(svc, now);
    free(rnd);
    free(vname);
    free(val);
    free(vvalue);
}

/* Looks up the caller's load balancers 'arns' of 'type' ("network" or
 * "gateway") into 'lbs'.  Fails 'ctx' on an unknown or foreign one. */
static bool
svc_find_lbs(struct op_ctx *ctx, char **arns, size_t n, const char *type,
             struct plrec_load_balancer **lbs)
{
    const char *kind = !strcmp(type, "network") ? "Network" : "Gateway";
    for (size_t i = 0; i < n; i++) {
        const struct plrec_load_balancer *lb = op_find_load_balancer(arns[i]);
        if (strncmp(arns[i], "arn:aws:elasticloadbalancing:", 29)) {
            op_error(ctx, kind[0] == 'N'
                     ? "InvalidNetworkLoadBalancerArn.Malformed"
                     : "InvalidGatewayLoadBalancerArn.Malformed",
                     "The %s Load Balancer ARN '%s' is malformed.", kind,
                     arns[i]);
            return false;
        } else if (!lb || !op_is_owner(ctx, lb->owner_id)
                   || strcmp(lb->lb_type, type)) {
            op_error(ctx, kind[0] == 'N'
                     ? "InvalidNetworkLoadBalancerArn.NotFound"
                     : "InvalidGatewayLoadBalancerArn.NotFound",
                     "The %s Load Balancer ARN '%s' does not exist.", kind,
                     arns[i]);
            return false;
        }
        lbs[i] = CONST_CAST(struct plrec_load_balancer *, lb);
    }
    return true;
}

/* Stores in 'azs' the Availability Zones of the subnets of 'lbs'. */
static void
svc_lb_azs(struct plrec_load_balancer **lbs, size_t n, struct sset *azs)
{
    for (size_t i = 0; i < n; i++) {
        for (size_t j = 0; j < lbs[i]->n_subnets; j++) {
            sset_add(azs, lbs[i]->subnets[j]->availability_zone);
        }
    }
}

/* Checks the supported IP address types and regions of a request. */
static bool
svc_check_ip_and_regions(struct op_ctx *ctx, char **types, size_t n_types,
                         char **regions, size_t n_regions)
{
    for (size_t i = 0; i < n_types; i++) {
        if (strcmp(types[i], "ipv4")) {
            op_error(ctx, "InvalidParameter", "Supported IP address type "
                     "'%s' is not supported: this deployment is IPv4 only.",
                     types[i]);
            return false;
        }
    }
    const char *home = ctx->global ? ctx->global->region : "us-east-1";
    for (size_t i = 0; i < n_regions; i++) {
        if (strcmp(regions[i], home)) {
            op_error(ctx, "InvalidParameter", "Region '%s' is not supported: "
                     "endpoints are supported within the same Region only.",
                     regions[i]);
            return false;
        }
    }
    return true;
}

/* Validates a CreateVpcEndpointServiceConfiguration request and finds its
 * load balancers.  Returns the number of load balancers, 0 on error. */
static size_t
svc_validate_create(struct op_ctx *ctx,
    const Privatelink__V1__CreateVpcEndpointServiceConfigurationRequest *rq,
    struct plrec_load_balancer **lbs, bool *gwlb)
{
    size_t n_nlb = rq->n_network_load_balancer_arns;
    size_t n_gwlb = rq->n_gateway_load_balancer_arns;

    *gwlb = n_gwlb > 0;
    if (!n_nlb == !n_gwlb) {
        op_error(ctx, "InvalidParameter", "Specify either network load "
                 "balancers or gateway load balancers, but not both.");
        return 0;
    } else if (*gwlb && rq->private_dns_name) {
        op_error(ctx, "InvalidParameter", "Private DNS names are not "
                 "supported for Gateway Load Balancer endpoint services.");
        return 0;
    } else if (rq->private_dns_name
               && !svc_check_dns_name(ctx, rq->private_dns_name)) {
        return 0;
    } else if (!svc_check_ip_and_regions(ctx, rq->supported_ip_address_types,
                                         rq->n_supported_ip_address_types,
                                         rq->supported_regions,
                                         rq->n_supported_regions)) {
        return 0;
    }
    bool ok = (*gwlb
               ? svc_find_lbs(ctx, rq->gateway_load_balancer_arns, n_gwlb,
                              "gateway", lbs)
               : svc_find_lbs(ctx, rq->network_load_balancer_arns, n_nlb,
                              "network", lbs));
    return ok ? n_nlb + n_gwlb : 0;
}

/* Returns the caller's service created with 'token', or NULL. */
static const struct plrec_endpoint_service *
svc_find_by_token(const struct op_ctx *ctx, const char *token)
{
    const struct plrec_endpoint_service *svc;
    PLREC_ENDPOINT_SERVICE_FOR_EACH (svc, ctx->idl) {
        if (svc->client_token && !strcmp(svc->client_token, token)
            && op_is_owner(ctx, svc->owner_id)) {
            return svc;
        }
    }
    return NULL;
}

/* Inserts the new service row. */
static const struct plrec_endpoint_service *
svc_insert(struct op_ctx *ctx,
    const Privatelink__V1__CreateVpcEndpointServiceConfigurationRequest *rq,
    struct plrec_load_balancer **lbs, size_t n_lbs, bool gwlb,
    const struct smap *tags)
{
    const char *region = ctx->global ? ctx->global->region : "us-east-1";
    char *id = plink_id_new("vpce-svc");
    char *name = xasprintf("com.amazonaws.vpce.%s.%s", region, id);
    char *base = xasprintf("%s.%s.vpce.amazonaws.com", id, region);
    const char *type = gwlb ? "GatewayLoadBalancer" : "Interface";
    const char *ipv4 = "ipv4";
    const char *bases[] = { base };

    const struct plrec_endpoint_service *svc
        = plrec_endpoint_service_insert(op_txn(ctx));
    plrec_endpoint_service_set_service_id(svc, id);
    plrec_endpoint_service_set_service_name(svc, name);
    plrec_endpoint_service_set_owner_id(svc, op_account_id(ctx));
    plrec_endpoint_service_set_service_types(svc, &type, 1);
    plrec_endpoint_service_set_service_state(svc, "Available");
    plrec_endpoint_service_set_acceptance_required(
        svc, rq->has_acceptance_required ? rq->acceptance_required : true);
    plrec_endpoint_service_set_manages_vpc_endpoints(svc, false);
    if (gwlb) {
        plrec_endpoint_service_set_gateway_load_balancers(svc, lbs, n_lbs);
    } else {
        plrec_endpoint_service_set_network_load_balancers(svc, lbs, n_lbs);
    }
    plrec_endpoint_service_set_supported_ip_address_types(svc, &ipv4, 1);
    plrec_endpoint_service_set_base_endpoint_dns_names(svc, bases, 1);
    plrec_endpoint_service_set_vpc_endpoint_policy_supported(svc, !gwlb);
    plrec_endpoint_service_set_payer_responsibility(svc, "ServiceOwner");
    plrec_endpoint_service_set_creation_timestamp(svc, ctx->now);
    plrec_endpoint_service_set_tags(svc, tags);
    if (rq->client_token) {
        plrec_endpoint_service_set_client_token(svc, rq->client_token);
    }
    if (rq->private_dns_name) {
        svc_set_private_dns(svc, rq->private_dns_name, ctx->now);
    }

    struct sset azs = SSET_INITIALIZER(&azs);
    svc_lb_azs(lbs, n_lbs, &azs);
    const char **az_names = sset_sort(&azs);
    plrec_endpoint_service_set_availability_zones(svc, az_names,
                                                  sset_count(&azs));
    free(az_names);
    sset_destroy(&azs);
    free(id);
    free(name);
    free(base);
    return svc;
}

void
op_create_vpc_endpoint_service_configuration(struct op_ctx *ctx,
                                             const ProtobufCMessage *request,
                                             ProtobufCMessage *response)
{
    const Privatelink__V1__CreateVpcEndpointServiceConfigurationRequest *rq
        = (const void *) request;
    Privatelink__V1__CreateVpcEndpointServiceConfigurationResponse *rs
        = (void *) response;
    size_t n = (rq->n_network_load_balancer_arns
                + rq->n_gateway_load_balancer_arns);
    struct plrec_load_balancer **lbs = xcalloc(n + 1, sizeof *lbs);
    struct smap tags = SMAP_INITIALIZER(&tags);
    bool gwlb;

    const struct plrec_endpoint_service *svc
        = rq->client_token ? svc_find_by_token(ctx, rq->client_token) : NULL;
    if (!svc && svc_validate_create(ctx, rq, lbs, &gwlb)
        && op_tags_from_specs(ctx, rq->tag_specifications,
                              rq->n_tag_specifications,
                              "vpc-endpoint-service", &tags)
        && !ctx->dry_run) {
        svc = svc_insert(ctx, rq, lbs, n, gwlb, &tags);
    }
    if (svc && !op_failed(ctx)) {
        rs->service_configuration = svc_to_configuration(ctx, svc);
        rs->client_token = op_strdup(rq->client_token);
    }
    smap_destroy(&tags);
    free(lbs);
}

/* Returns the caller's service 'id', or NULL after failing 'ctx' with
 * InvalidVpcEndpointServiceId.NotFound (another account's service is not
 * found either). */
static const struct plrec_endpoint_service *
svc_find_owned(struct op_ctx *ctx, const char *id)
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

/* Applies the load balancer changes of a Modify request to 'svc'. */
static bool
svc_modify_lbs(struct op_ctx *ctx, const struct plrec_endpoint_service *svc,
               char **add, size_t n_add, char **remove, size_t n_remove,
               bool gwlb)
{
    if (!n_add && !n_remove) {
        return true;
    }
    bool svc_gwlb = svc->n_gateway_load_balancers > 0;
    if (gwlb != svc_gwlb) {
        op_error(ctx, "InvalidParameter", "A service's load balancers are "
                 "either network or gateway load balancers, not both.");
        return false;
    } else if (svc_count_endpoints(ctx->idl, svc, attached_states)) {
        op_error(ctx, "ExistingVpcEndpointConnections", "You cannot delete a "
                 "VPC endpoint service configuration or change the load "
                 "balancers for the endpoint service if there are endpoints "
                 "attached to the service.");
        return false;
    }

    struct plrec_load_balancer **adds = xcalloc(n_add + 1, sizeof *adds);
    struct plrec_load_balancer **rems = xcalloc(n_remove + 1, sizeof *rems);
    const char *type = gwlb ? "gateway" : "network";
    bool ok = (svc_find_lbs(ctx, add, n_add, type, adds)
               && svc_find_lbs(ctx, remove, n_remove, type, rems));
    size_t n_have = gwlb ? svc->n_gateway_load_balancers
                         : svc->n_network_load_balancers;
    if (ok && n_have + n_add <= n_remove) {
        op_error(ctx, "InvalidParameter", "A service needs at least one load "
                 "balancer.");
        ok = false;
    }
    for (size_t i = 0; ok && !ctx->dry_run && i < n_add; i++) {
        (gwlb ? plrec_endpoint_service_update_gateway_load_balancers_addvalue
              : plrec_endpoint_service_update_network_load_balancers_addvalue)
            (svc, adds[i]);
    }
    for (size_t i = 0; ok && !ctx->dry_run && i < n_remove; i++) {
        (gwlb ? plrec_endpoint_service_update_gateway_load_balancers_delvalue
              : plrec_endpoint_service_update_network_load_balancers_delvalue)
            (svc, rems[i]);
    }
    free(adds);
    free(rems);
    return ok;
}

/* Recomputes the AZs of 'svc' from its (new) load balancers. */
static void
svc_update_azs(const struct plrec_endpoint_service *svc,
               char **add_arns, size_t n_add)
{
    struct sset azs = SSET_INITIALIZER(&azs);
    svc_lb_azs(svc->network_load_balancers, svc->n_network_load_balancers,
               &azs);
    svc_lb_azs(svc->gateway_load_balancers, svc->n_gateway_load_balancers,
               &azs);
    for (size_t i = 0; i < n_add; i++) {
        const struct plrec_load_balancer *lb = op_find_load_balancer(
            add_arns[i]);
        if (lb) {
            struct plrec_load_balancer *l = CONST_CAST(
                struct plrec_load_balancer *, lb);
            svc_lb_azs(&l, 1, &azs);
        }
    }
    const char **names = sset_sort(&azs);
    plrec_endpoint_service_set_availability_zones(svc, names,
                                                  sset_count(&azs));
    free(names);
    sset_destroy(&azs);
}

/* Applies the private DNS name changes of a Modify request. */
static bool
svc_modify_private_dns(struct op_ctx *ctx,
    const struct plrec_endpoint_service *svc,
    const Privatelink__V1__ModifyVpcEndpointServiceConfigurationRequest *rq)
{
    bool remove = (rq->has_remove_private_dns_name
                   && rq->remove_private_dns_name);
    if (remove && rq->private_dns_name) {
        op_error(ctx, "InvalidParameterCombination", "PrivateDnsName and "
                 "RemovePrivateDnsName cannot be given together.");
        return false;
    } else if (rq->private_dns_name) {
        if (svc->n_gateway_load_balancers) {
            op_error(ctx, "InvalidParameter", "Private DNS names are not "
                     "supported for Gateway Load Balancer endpoint "
                     "services.");
            return false;
        } else if (!svc_check_dns_name(ctx, rq->private_dns_name)) {
            return false;
        }
        if (!ctx->dry_run && (!svc->private_dns_name
                              || strcmp(svc->private_dns_name,
                                        rq->private_dns_name))) {
            svc_set_private_dns(svc, rq->private_dns_name, ctx->now);
        }
    } else if (remove && svc->private_dns_name) {
        if (svc_count_endpoints(ctx->idl, svc, attached_states)) {
            op_error(ctx, "InvalidParameter", "The private DNS name cannot "
                     "be removed while the service has endpoint "
                     "connections.");
            return false;
        }
        plrec_endpoint_service_set_private_dns_name(svc, NULL);
        plrec_endpoint_service_set_private_dns_state(svc, NULL);
        plrec_endpoint_service_set_private_dns_verification_name(svc, NULL);
        plrec_endpoint_service_set_private_dns_verification_value(svc, NULL);
    }
    return true;
}

void
op_modify_vpc_endpoint_service_configuration(struct op_ctx *ctx,
                                             const ProtobufCMessage *request,
                                             ProtobufCMessage *response)
{
    const Privatelink__V1__ModifyVpcEndpointServiceConfigurationRequest *rq
        = (const void *) request;
    Privatelink__V1__ModifyVpcEndpointServiceConfigurationResponse *rs
        = (void *) response;

    const struct plrec_endpoint_service *svc
        = svc_find_owned(ctx, rq->service_id);
    if (!svc
        || !svc_check_ip_and_regions(ctx, rq->add_supported_ip_address_types,
                                     rq->n_add_supported_ip_address_types,
                                     rq->add_supported_regions,
                                     rq->n_add_supported_regions)) {
        return;
    }
    op_txn(ctx);
    if (!svc_modify_lbs(ctx, svc, rq->add_network_load_balancer_arns,
                        rq->n_add_network_load_balancer_arns,
                        rq->remove_network_load_balancer_arns,
                        rq->n_remove_network_load_balancer_arns, false)
        || !svc_modify_lbs(ctx, svc, rq->add_gateway_load_balancer_arns,
                           rq->n_add_gateway_load_balancer_arns,
                           rq->remove_gateway_load_balancer_arns,
                           rq->n_remove_gateway_load_balancer_arns, true)
        || !svc_modify_private_dns(ctx, svc, rq)) {
        return;
    }
    for (size_t i = 0; i < rq->n_remove_supported_ip_address_types; i++) {
        if (!strcmp(rq->remove_supported_ip_address_types[i], "ipv4")) {
            op_error(ctx, "InvalidParameter", "A service must support at "
                     "least one IP address type.");
            return;
        }
    }
    if (rq->n_add_network_load_balancer_arns
        || rq->n_add_gateway_load_balancer_arns
        || rq->n_remove_network_load_balancer_arns
        || rq->n_remove_gateway_load_balancer_arns) {
        svc_update_azs(svc, NULL, 0);
    }
    if (rq->has_acceptance_required) {
        plrec_endpoint_service_set_acceptance_required(
            svc, rq->acceptance_required);
    }
    OP_SET(rs, return_, true);
}

/* Deletes service 'id' for DeleteVpcEndpointServiceConfigurations, or
 * returns the error of its item. */
static Privatelink__V1__UnsuccessfulItem *
svc_delete_one(struct op_ctx *ctx, const char *id)
{
    const struct plrec_endpoint_service *svc = op_find_endpoint_service(id);
    const char *code = NULL;
    char *message = NULL;

    if (!svc || !svc_is_owner(ctx, svc)) {
        code = "InvalidVpcEndpointService.NotFound";
        message = xasprintf("The VpcEndpointService Id '%s' does not exist",
                            id);
    } else if (svc_count_endpoints(ctx->idl, svc, attached_states)) {
        code = "ExistingVpcEndpointConnections";
        message = xstrdup("Service has existing active VPC Endpoint "
                          "connections! Reject them before deleting the "
                          "service.");
    } else {
        if (!ctx->dry_run) {
            op_txn(ctx);
            const struct plrec_connection_notification *n;
            PLREC_CONNECTION_NOTIFICATION_FOR_EACH (n, ctx->idl) {
                if (n->service == svc) {
                    plrec_connection_notification_delete(n);
                }
            }
            plrec_endpoint_service_delete(svc);
        }
        return NULL;
    }

    return op_unsuccessful_item(id, code, message);
}

void
op_delete_vpc_endpoint_service_configurations(struct op_ctx *ctx,
                                              const ProtobufCMessage *request,
                                              ProtobufCMessage *response)
{
    const Privatelink__V1__DeleteVpcEndpointServiceConfigurationsRequest *rq
        = (const void *) request;
    Privatelink__V1__DeleteVpcEndpointServiceConfigurationsResponse *rs
        = (void *) response;

    if (!op_require(ctx, rq->n_service_ids > 0, "ServiceIds")) {
        return;
    }
    for (size_t i = 0; i < rq->n_service_ids; i++) {
        Privatelink__V1__UnsuccessfulItem *item
            = svc_delete_one(ctx, rq->service_ids[i]);
        if (item) {
            OP_APPEND(rs, unsuccessful, item);
        }
    }
}

FILTER_STRING_MEMBER(svc_f_name, struct plrec_endpoint_service, service_name)
FILTER_STRING_MEMBER(svc_f_id, struct plrec_endpoint_service, service_id)
FILTER_STRING_MEMBER(svc_f_state, struct plrec_endpoint_service, service_state)

static void
svc_f_ip_types(const void *row, struct sset *v)
{
    const struct plrec_endpoint_service *svc = row;
    for (size_t i = 0; i < svc->n_supported_ip_address_types; i++) {
        sset_add(v, svc->supported_ip_address_types[i]);
    }
}

static const struct filter_def svc_config_filters[] = {
    { "service-name", svc_f_name },
    { "service-id", svc_f_id },
    { "service-state", svc_f_state },
    { "supported-ip-address-types", svc_f_ip_types },
};

void
op_describe_vpc_endpoint_service_configurations(
    struct op_ctx *ctx, const ProtobufCMessage *request,
    ProtobufCMessage *response)
{
    const Privatelink__V1__DescribeVpcEndpointServiceConfigurationsRequest *rq
        = (const void *) request;
    Privatelink__V1__DescribeVpcEndpointServiceConfigurationsResponse *rs
        = (void *) response;
    struct op_page page;

    if (!filter_check(ctx, rq->filters, rq->n_filters, svc_config_filters,
                      ARRAY_SIZE(svc_config_filters))
        || !op_page_init(ctx, rq->has_max_results, rq->max_results,
                         rq->next_token, 5, 1000, &page)) {
        return;
    }
    for (size_t i = 0; i < rq->n_service_ids; i++) {
        if (!svc_find_owned(ctx, rq->service_ids[i])) {
            op_page_destroy(&page);
            return;
        }
    }

    const struct plrec_endpoint_service *svc;
    struct plrec_endpoint_service *from = NULL;
    struct ovsdb_idl_index *index = op_index_endpoint_service();
    if (page.start_id) {
        from = plrec_endpoint_service_index_init_row(index);
        plrec_endpoint_service_index_set_service_id(from, page.start_id);
    }
    PLREC_ENDPOINT_SERVICE_FOR_EACH_RANGE (svc, from, NULL, index) {
        if (!svc_is_owner(ctx, svc)
            || (rq->n_service_ids && !op_in_list(rq->service_ids,
                                                 rq->n_service_ids,
                                                 svc->service_id))
            || !filter_match(rq->filters, rq->n_filters, svc_config_filters,
                             ARRAY_SIZE(svc_config_filters), svc,
                             &svc->tags)) {
            continue;
        }
        if (rs->n_service_configurations >= page.limit) {
            rs->next_token = op_page_token(svc->service_id);
            break;
        }
        OP_APPEND(rs, service_configurations, svc_to_configuration(ctx, svc));
    }
    if (from) {
        plrec_endpoint_service_index_destroy_row(from);
    }
    op_page_destroy(&page);
}

void
op_modify_vpc_endpoint_service_payer_responsibility(
    struct op_ctx *ctx, const ProtobufCMessage *request,
    ProtobufCMessage *response)
{
    const Privatelink__V1__ModifyVpcEndpointServicePayerResponsibilityRequest
        *rq = (const void *) request;
    Privatelink__V1__ModifyVpcEndpointServicePayerResponsibilityResponse *rs
        = (void *) response;
    static const char *const payers[] = { "ServiceOwner", NULL };

    const struct plrec_endpoint_service *svc
        = svc_find_owned(ctx, rq->service_id);
    if (svc && op_require(ctx, rq->payer_responsibility != NULL,
                          "PayerResponsibility")
        && op_check_enum(ctx, rq->payer_responsibility,
                         "PayerResponsibility", payers)) {
        op_txn(ctx);
        plrec_endpoint_service_set_payer_responsibility(
            svc, rq->payer_responsibility);
        OP_SET(rs, return_value, true);
    }
}

void
op_start_vpc_endpoint_service_private_dns_verification(
    struct op_ctx *ctx, const ProtobufCMessage *request,
    ProtobufCMessage *response)
{
    const Privatelink__V1__StartVpcEndpointServicePrivateDnsVerificationRequest
        *rq = (const void *) request;
    Privatelink__V1__StartVpcEndpointServicePrivateDnsVerificationResponse
        *rs = (void *) response;

    const struct plrec_endpoint_service *svc
        = svc_find_owned(ctx, rq->service_id);
    if (!svc) {
        return;
    } else if (!svc->private_dns_name) {
        op_error(ctx, "InvalidParameter", "The service %s has no private "
                 "DNS name to verify.", svc->service_id);
        return;
    }
    /* The DNS check itself runs in plinkd's verifier, which looks at
     * services whose private_dns_checked_at is 0. */
    op_txn(ctx);
    plrec_endpoint_service_set_private_dns_state(svc, "pendingVerification");
    plrec_endpoint_service_set_private_dns_checked_at(svc, 0);
    OP_SET(rs, return_value, true);
}
