/*
 * pl-service.c: endpoint services as the operations see them (see
 * pl-service.h).
 */
#include <config.h>
#include "pl-service.h"

#include <stdlib.h>
#include <string.h>

#include "catalog.h"
#include "lib/plink-idl.h"
#include "op-util.h"
#include "ops.h"
#include "util.h"

/* Returns the service called 'name' ("com.amazonaws.vpce.us-east-1.vpce-
 * svc-..." or "com.amazonaws.us-east-1.s3"), or NULL. */
const struct plrec_endpoint_service *
svc_find_by_name(struct ovsdb_idl *idl, const char *name)
{
    const struct plrec_endpoint_service *svc;
    PLREC_ENDPOINT_SERVICE_FOR_EACH (svc, idl) {
        if (!strcmp(svc->service_name, name)) {
            return svc;
        }
    }
    return NULL;
}

/* Returns true if the caller owns 'svc'. */
bool
svc_is_owner(const struct op_ctx *ctx, const struct plrec_endpoint_service *svc)
{
    return op_is_owner(ctx, svc->owner_id);
}

/* Returns true if the caller may connect to 'svc', that is, create an
 * endpoint to it: AWS services admit everyone; a provider's service admits
 * its owner and the principals its permissions allow ("*", the caller's
 * account root ARN, which stands for the whole account, or the caller's
 * own principal ARN). */
bool
svc_may_connect(const struct op_ctx *ctx,
                const struct plrec_endpoint_service *svc)
{
    if (catalog_is_aws(svc) || svc_is_owner(ctx, svc)) {
        return true;
    }
    if (!ctx->account) {
        return false;
    }
    char *root = xasprintf("arn:aws:iam::%s:root", ctx->account->account_id);
    bool allowed = false;
    for (size_t i = 0; i < svc->n_permissions && !allowed; i++) {
        const char *p = svc->permissions[i]->principal;
        allowed = (!strcmp(p, "*") || !strcmp(p, root)
                   || (ctx->principal && !strcmp(p, ctx->principal->arn)));
    }
    free(root);
    return allowed;
}

/* Returns true if 'svc' offers endpoints of 'type'. */
bool
svc_has_type(const struct plrec_endpoint_service *svc, const char *type)
{
    for (size_t i = 0; i < svc->n_service_types; i++) {
        if (!strcmp(svc->service_types[i], type)) {
            return true;
        }
    }
    return false;
}

/* Returns true if 'svc' is available in Availability Zone 'az'. */
bool
svc_has_az(const struct plrec_endpoint_service *svc, const char *az)
{
    for (size_t i = 0; i < svc->n_availability_zones; i++) {
        if (!strcmp(svc->availability_zones[i], az)) {
            return true;
        }
    }
    return false;
}

/* Returns the label of 'svc' in endpoint DNS names: the short name of an
 * AWS service ("s3" of com.amazonaws.us-east-1.s3), the service id of a
 * provider's. */
const char *
svc_dns_label(const struct plrec_endpoint_service *svc)
{
    if (catalog_is_aws(svc)) {
        const char *dot = svc->service_name;
        for (int i = 0; i < 3 && dot; i++) {
            dot = strchr(dot, '.');
            dot = dot ? dot + 1 : NULL;
        }
        return dot ? dot : svc->service_name;
    }
    return svc->service_id;
}

/* Returns the number of endpoints connected to 'svc' whose state is one of
 * the NULL-terminated 'states' (all endpoints if 'states' is NULL). */
size_t
svc_count_endpoints(struct ovsdb_idl *idl,
                    const struct plrec_endpoint_service *svc,
                    const char *const *states)
{
    size_t n = 0;
    const struct plrec_vpc_endpoint *ept;
    PLREC_VPC_ENDPOINT_FOR_EACH (ept, idl) {
        if (ept->service != svc) {
            continue;
        }
        bool match = !states;
        for (const char *const *s = states; s && *s && !match; s++) {
            match = !strcmp(ept->state, *s);
        }
        n += match;
    }
    return n;
}

/* Returns true if consumers may use the private DNS name of 'svc': it has
 * one and it is verified. */
bool
svc_private_dns_usable(const struct plrec_endpoint_service *svc)
{
    return (svc->private_dns_name && svc->private_dns_state
            && !strcmp(svc->private_dns_state, "verified"));
}

/* Fills the ServiceType list of a message. */
static void
svc_types(const struct plrec_endpoint_service *svc,
          Privatelink__V1__ServiceTypeDetail ***typesp, size_t *np)
{
    *np = svc->n_service_types;
    *typesp = xmalloc(*np * sizeof **typesp);
    for (size_t i = 0; i < *np; i++) {
        Privatelink__V1__ServiceTypeDetail *t
            = op_new_msg(&privatelink__v1__service_type_detail__descriptor);
        t->service_type = xstrdup(svc->service_types[i]);
        (*typesp)[i] = t;
    }
}

/* Copies the 'n' strings of 'src' into a new array in '*dstp'. */
static void
svc_strings(char **src, size_t n, char ***dstp, size_t *np)
{
    *np = n;
    *dstp = n ? xmalloc(n * sizeof **dstp) : NULL;
    for (size_t i = 0; i < n; i++) {
        (*dstp)[i] = xstrdup(src[i]);
    }
}

/* Copies the ARNs of the 'n' load balancers 'lbs' into '*dstp'. */
static void
svc_lb_arns(struct plrec_load_balancer **lbs, size_t n, char ***dstp,
            size_t *np)
{
    *np = n;
    *dstp = n ? xmalloc(n * sizeof **dstp) : NULL;
    for (size_t i = 0; i < n; i++) {
        (*dstp)[i] = xstrdup(lbs[i]->arn);
    }
}

/* Returns the AZ ids of the AZ names of 'svc'. */
static void
svc_az_ids(const struct op_ctx *ctx, const struct plrec_endpoint_service *svc,
           char ***idsp, size_t *np)
{
    *np = 0;
    *idsp = xmalloc((svc->n_availability_zones + 1) * sizeof **idsp);
    for (size_t i = 0; i < svc->n_availability_zones; i++) {
        const struct plrec_availability_zone *az
            = az_find(ctx->idl, svc->availability_zones[i], NULL);
        if (az) {
            (*idsp)[(*np)++] = xstrdup(az->zone_id);
        }
    }
}

/* Returns the ServiceConfiguration of 'svc', as its owner sees it. */
Privatelink__V1__ServiceConfiguration *
svc_to_configuration(const struct op_ctx *ctx,
                     const struct plrec_endpoint_service *svc)
{
    Privatelink__V1__ServiceConfiguration *c
        = op_new_msg(&privatelink__v1__service_configuration__descriptor);
    svc_types(svc, &c->service_type, &c->n_service_type);
    c->service_id = xstrdup(svc->service_id);
    c->service_name = xstrdup(svc->service_name);
    c->service_state = xstrdup(svc->service_state);
    svc_strings(svc->availability_zones, svc->n_availability_zones,
                &c->availability_zones, &c->n_availability_zones);
    svc_az_ids(ctx, svc, &c->availability_zone_ids,
               &c->n_availability_zone_ids);
    OP_SET(c, acceptance_required, svc->acceptance_required);
    OP_SET(c, manages_vpc_endpoints, svc->manages_vpc_endpoints);
    OP_SET(c, remote_access_enabled, false);
    svc_lb_arns(svc->network_load_balancers, svc->n_network_load_balancers,
                &c->network_load_balancer_arns,
                &c->n_network_load_balancer_arns);
    svc_lb_arns(svc->gateway_load_balancers, svc->n_gateway_load_balancers,
                &c->gateway_load_balancer_arns,
                &c->n_gateway_load_balancer_arns);
    svc_strings(svc->supported_ip_address_types,
                svc->n_supported_ip_address_types,
                &c->supported_ip_address_types,
                &c->n_supported_ip_address_types);
    svc_strings(svc->base_endpoint_dns_names,
                svc->n_base_endpoint_dns_names,
                &c->base_endpoint_dns_names, &c->n_base_endpoint_dns_names);
    if (svc->private_dns_name) {
        c->private_dns_name = xstrdup(svc->private_dns_name);
        Privatelink__V1__PrivateDnsNameConfiguration *p = op_new_msg(
            &privatelink__v1__private_dns_name_configuration__descriptor);
        p->state = op_strdup(svc->private_dns_state);
        p->type_ = xstrdup("TXT");
        p->value = op_strdup(svc->private_dns_verification_value);
        p->name = op_strdup(svc->private_dns_verification_name);
        c->private_dns_name_configuration = p;
    }
    c->payer_responsibility = xstrdup(svc->payer_responsibility[0]
                                      ? svc->payer_responsibility
                                      : "ServiceOwner");
    op_tags_to_msg(&svc->tags, &c->tags, &c->n_tags);

    Privatelink__V1__SupportedRegionDetail *r
        = op_new_msg(&privatelink__v1__supported_region_detail__descriptor);
    r->region = xstrdup(ctx->global ? ctx->global->region : "us-east-1");
    r->service_state = xstrdup(svc->service_state);
    OP_APPEND(c, supported_regions, r);
    return c;
}

/* Returns the ServiceDetail of 'svc', as DescribeVpcEndpointServices shows
 * it to the caller. */
Privatelink__V1__ServiceDetail *
svc_to_detail(const struct op_ctx *ctx,
              const struct plrec_endpoint_service *svc)
{
    Privatelink__V1__ServiceDetail *d
        = op_new_msg(&privatelink__v1__service_detail__descriptor);
    d->service_name = xstrdup(svc->service_name);
    d->service_id = xstrdup(svc->service_id);
    svc_types(svc, &d->service_type, &d->n_service_type);
    d->service_region = xstrdup(ctx->global ? ctx->global->region
                                            : "us-east-1");
    svc_strings(svc->availability_zones, svc->n_availability_zones,
                &d->availability_zones, &d->n_availability_zones);
    svc_az_ids(ctx, svc, &d->availability_zone_ids,
               &d->n_availability_zone_ids);
    d->owner = xstrdup(svc->owner_id);
    svc_strings(svc->base_endpoint_dns_names,
                svc->n_base_endpoint_dns_names,
                &d->base_endpoint_dns_names, &d->n_base_endpoint_dns_names);
    if (svc->private_dns_name) {
        d->private_dns_name = xstrdup(svc->private_dns_name);
        Privatelink__V1__PrivateDnsDetails *p
            = op_new_msg(&privatelink__v1__private_dns_details__descriptor);
        p->private_dns_name = xstrdup(svc->private_dns_name);
        OP_APPEND(d, private_dns_names, p);
        d->private_dns_name_verification_state
            = op_strdup(svc->private_dns_state);
    }
    OP_SET(d, vpc_endpoint_policy_supported,
           svc->vpc_endpoint_policy_supported);
    OP_SET(d, acceptance_required, svc->acceptance_required);
    OP_SET(d, manages_vpc_endpoints, svc->manages_vpc_endpoints);
    if (!catalog_is_aws(svc)) {
        d->payer_responsibility = xstrdup("ServiceOwner");
    }
    if (svc_is_owner(ctx, svc)) {
        op_tags_to_msg(&svc->tags, &d->tags, &d->n_tags);
    }
    svc_strings(svc->supported_ip_address_types,
                svc->n_supported_ip_address_types,
                &d->supported_ip_address_types,
                &d->n_supported_ip_address_types);
    return d;
}
