/*
 * op-permission.c: who may connect to an endpoint service:
 * ModifyVpcEndpointServicePermissions and
 * DescribeVpcEndpointServicePermissions.
 *
 * A permission names a principal: "*" (everyone), an account's root ARN
 * ("arn:aws:iam::123456789012:root", the whole account), or a user or role
 * ARN.  CreateVpcEndpoint checks them (pl-service.c, svc_may_connect()).
 */
#include <config.h>

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "filter.h"
#include "lib/plink-idl.h"
#include "op-util.h"
#include "ops.h"
#include "pl-service.h"
#include "plink-id.h"
#include "smap.h"
#include "sset.h"
#include "util.h"

/* Returns the PrincipalType of 'principal', or NULL if it is not a
 * principal AWS accepts here. */
static const char *
perm_principal_type(const char *principal)
{
    if (!strcmp(principal, "*")) {
        return "All";
    }
    const char *prefix = "arn:aws:iam::";
    size_t n = strlen(prefix);
    if (strncmp(principal, prefix, n) || strlen(principal) < n + 13
        || principal[n + 12] != ':') {
        return NULL;
    }
    for (size_t i = 0; i < 12; i++) {
        if (!isdigit((unsigned char) principal[n + i])) {
            return NULL;
        }
    }
    const char *rest = principal + n + 13;
    if (!strcmp(rest, "root")) {
        return "Account";
    } else if (!strncmp(rest, "user/", 5) && rest[5]) {
        return "User";
    } else if (!strncmp(rest, "role/", 5) && rest[5]) {
        return "Role";
    }
    return NULL;
}

/* Returns the permission of 'svc' for 'principal', or NULL. */
static const struct plrec_service_permission *
perm_find(const struct plrec_endpoint_service *svc, const char *principal)
{
    for (size_t i = 0; i < svc->n_permissions; i++) {
        if (!strcmp(svc->permissions[i]->principal, principal)) {
            return svc->permissions[i];
        }
    }
    return NULL;
}

/* Checks the principals a Modify request adds and removes. */
static bool
perm_check(struct op_ctx *ctx, const struct plrec_endpoint_service *svc,
           char **add, size_t n_add, char **remove, size_t n_remove)
{
    for (size_t i = 0; i < n_add; i++) {
        if (!perm_principal_type(add[i])) {
            op_error(ctx, "InvalidPrincipal",
                     "Invalid principal %s: use \"*\" "
                     "or an IAM ARN (arn:aws:iam::ACCOUNT:root, "
                     ":user/NAME or :role/NAME).", add[i]);
            return false;
        }
    }
    for (size_t i = 0; i < n_remove; i++) {
        if (!perm_find(svc, remove[i])) {
            op_error(ctx, "InvalidPrincipal", "The principal %s is not "
                     "allowed to use the service %s.", remove[i],
                     svc->service_id);
            return false;
        }
    }
    return true;
}

/* Adds 'principal' to 'svc' and to the response. */
static void
perm_add(struct op_ctx *ctx, const struct plrec_endpoint_service *svc,
         const char *principal,
         Privatelink__V1__ModifyVpcEndpointServicePermissionsResponse *rs)
{
    const struct plrec_service_permission *p = perm_find(svc, principal);
    if (!p) {
        char *id = plink_id_new("vpce-svc-perm");
        p = plrec_service_permission_insert(op_txn(ctx));
        plrec_service_permission_set_permission_id(p, id);
        plrec_service_permission_set_principal(p, principal);
        plrec_service_permission_set_principal_type(
            p, perm_principal_type(principal));
        plrec_endpoint_service_update_permissions_addvalue(svc, p);
        free(id);
    }
    Privatelink__V1__AddedPrincipal *a
        = op_new_msg(&privatelink__v1__added_principal__descriptor);
    a->principal_type = xstrdup(p->principal_type);
    a->principal = xstrdup(principal);
    a->service_permission_id = xstrdup(p->permission_id);
    a->service_id = xstrdup(svc->service_id);
    OP_APPEND(rs, added_principals, a);
}

void
op_modify_vpc_endpoint_service_permissions(struct op_ctx *ctx,
                                           const ProtobufCMessage *request,
                                           ProtobufCMessage *response)
{
    const Privatelink__V1__ModifyVpcEndpointServicePermissionsRequest *rq
        = (const void *) request;
    Privatelink__V1__ModifyVpcEndpointServicePermissionsResponse *rs
        = (void *) response;

    if (!op_require(ctx, rq->service_id != NULL, "ServiceId")) {
        return;
    }
    const struct plrec_endpoint_service *svc
        = op_find_endpoint_service(rq->service_id);
    if (!svc || !svc_is_owner(ctx, svc)) {
        op_error(ctx, "InvalidVpcEndpointServiceId.NotFound",
                 "The VpcEndpointService Id '%s' does not exist",
                 rq->service_id);
        return;
    } else if (!perm_check(ctx, svc, rq->add_allowed_principals,
                           rq->n_add_allowed_principals,
                           rq->remove_allowed_principals,
                           rq->n_remove_allowed_principals)) {
        return;
    }
    op_txn(ctx);
    for (size_t i = 0; i < rq->n_remove_allowed_principals; i++) {
        plrec_endpoint_service_update_permissions_delvalue(
            svc, perm_find(svc, rq->remove_allowed_principals[i]));
    }
    for (size_t i = 0; i < rq->n_add_allowed_principals; i++) {
        perm_add(ctx, svc, rq->add_allowed_principals[i], rs);
    }
    OP_SET(rs, return_value, true);
}

FILTER_STRING_MEMBER(perm_f_principal, struct plrec_service_permission,
                     principal)
FILTER_STRING_MEMBER(perm_f_type, struct plrec_service_permission,
                     principal_type)

static const struct filter_def perm_filters[] = {
    { "principal", perm_f_principal },
    { "principal-type", perm_f_type },
};

static int
perm_compare(const void *a_, const void *b_)
{
    const struct plrec_service_permission *const *a = a_, *const *b = b_;
    return strcmp((*a)->permission_id, (*b)->permission_id);
}

void
op_describe_vpc_endpoint_service_permissions(struct op_ctx *ctx,
                                             const ProtobufCMessage *request,
                                             ProtobufCMessage *response)
{
    const Privatelink__V1__DescribeVpcEndpointServicePermissionsRequest *rq
        = (const void *) request;
    Privatelink__V1__DescribeVpcEndpointServicePermissionsResponse *rs
        = (void *) response;
    struct op_page page;

    if (!op_require(ctx, rq->service_id != NULL, "ServiceId")
        || !filter_check(ctx, rq->filters, rq->n_filters, perm_filters,
                         ARRAY_SIZE(perm_filters))
        || !op_page_init(ctx, rq->has_max_results, rq->max_results,
                         rq->next_token, 5, 1000, &page)) {
        return;
    }
    const struct plrec_endpoint_service *svc
        = op_find_endpoint_service(rq->service_id);
    if (!svc || !svc_is_owner(ctx, svc)) {
        op_error(ctx, "InvalidVpcEndpointServiceId.NotFound",
                 "The VpcEndpointService Id '%s' does not exist",
                 rq->service_id);
        op_page_destroy(&page);
        return;
    }

    size_t n = svc->n_permissions;
    struct plrec_service_permission **perms = xmemdup(
        svc->permissions, (n + 1) * sizeof *perms);
    qsort(perms, n, sizeof *perms, perm_compare);
    for (size_t i = 0; i < n; i++) {
        const struct plrec_service_permission *p = perms[i];
        if ((page.start_id && strcmp(p->permission_id, page.start_id) < 0)
            || !filter_match(rq->filters, rq->n_filters, perm_filters,
                             ARRAY_SIZE(perm_filters), p, &p->tags)) {
            continue;
        }
        if (rs->n_allowed_principals >= page.limit) {
            rs->next_token = op_page_token(p->permission_id);
            break;
        }
        Privatelink__V1__AllowedPrincipal *a
            = op_new_msg(&privatelink__v1__allowed_principal__descriptor);
        a->principal_type = xstrdup(p->principal_type);
        a->principal = xstrdup(p->principal);
        a->service_permission_id = xstrdup(p->permission_id);
        a->service_id = xstrdup(svc->service_id);
        op_tags_to_msg(&p->tags, &a->tags, &a->n_tags);
        OP_APPEND(rs, allowed_principals, a);
    }
    free(perms);
    op_page_destroy(&page);
}
