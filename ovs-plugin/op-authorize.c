/*
 * op-authorize.c: AuthorizeEndpointRequest, the question that a service
 * behind a VPC endpoint asks before it serves a request.
 *
 * AWS enforces endpoint policies at the service: the lab's S3-like and
 * DynamoDB-like services (and any service behind an endpoint) call this
 * operation with what they know of a request (the endpoint, or the VPC and
 * private source address of the packet; the principal; the action and the
 * resource) and answer 403 unless the decision is "Allow".
 *
 * Who may ask: any authenticated caller.  The question belongs to the
 * service, not to the endpoint's owner, and the answer only says what the
 * endpoint's policy decides (the lab's S3-like service signs with a lab
 * account).
 *
 * Finding the endpoint without its id, from the VPC and the source
 * address: the subnet of the VPC that holds
 * the source address, the route table that routes it (its explicit
 * association, else the VPC's main table), and the available gateway
 * endpoint whose route tables include it and whose service matches the
 * action's prefix ("s3:GetObject" -> "com.amazonaws.REGION.s3"); failing
 * that, an available interface endpoint of the VPC to that service.  No
 * endpoint: InvalidVpcEndpointId.NotFound.
 *
 * From the source address alone (what a service behind a gateway endpoint
 * sees: the instance's private address, and no VPC): every network
 * interface with that address, the table that routes its subnet, and the
 * available gateway endpoint of that table to the action's service.  When
 * VPCs with overlapping addresses make that more than one endpoint, every
 * one's policy must allow the request (fail closed).
 *
 * The request context: aws:sourceVpce (the endpoint id), aws:sourceVpc
 * (its VPC), aws:VpcSourceIp (the source address, if given),
 * aws:PrincipalAccount / aws:PrincipalArn / aws:PrincipalOrgId (from the
 * request; the account is taken from the ARN and the organization from the
 * Account table when not given), s3:ResourceAccount and
 * aws:SecureTransport when given.
 */
#include <config.h>

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cidr.h"
#include "lib/plink-idl.h"
#include "op-util.h"
#include "ops.h"
#include "packets.h"
#include "policy.h"
#include "privatelink.pb-c.h"
#include "smap.h"
#include "util.h"

/* Returns true if the service of endpoint 'ept' is the one that 'action'
 * ("s3:GetObject") belongs to: its name's last dot-separated part is the
 * action's prefix. */
static bool
authz_service_matches(const struct plrec_vpc_endpoint *ept,
                      const char *action)
{
    const char *colon = strchr(action, ':');
    const char *dot = strrchr(ept->service_name, '.');
    const char *service = dot ? dot + 1 : ept->service_name;
    return (colon && strlen(service) == colon - action
            && !strncasecmp(service, action, colon - action));
}

/* Returns the subnet of 'vpc' whose CIDR block holds 'ip', or NULL. */
static const struct plrec_subnet *
authz_find_subnet(const struct op_ctx *ctx, const struct plrec_vpc *vpc,
                  ovs_be32 ip)
{
    const struct plrec_subnet *s;
    PLREC_SUBNET_FOR_EACH (s, ctx->idl) {
        struct cidr4 cidr;
        char *error;
        if (s->vpc != vpc) {
            continue;
        } else if ((error = cidr4_parse(s->cidr_block, &cidr))) {
            free(error);
        } else if (cidr4_contains_ip(&cidr, ip)) {
            return s;
        }
    }
    return NULL;
}

/* Returns the route table that routes 'subnet': its explicit association,
 * else its VPC's main table, else NULL. */
static const struct plrec_route_table *
authz_subnet_route_table(const struct op_ctx *ctx,
                         const struct plrec_subnet *subnet)
{
    const struct plrec_route_table *main_rtb = NULL;
    const struct plrec_route_table *rtb;

    PLREC_ROUTE_TABLE_FOR_EACH (rtb, ctx->idl) {
        if (rtb->vpc != subnet->vpc) {
            continue;
        }
        for (size_t i = 0; i < rtb->n_associations; i++) {
            const struct plrec_route_table_association *a
                = rtb->associations[i];
            if (a->subnet == subnet && !a->main
                && (!strcmp(a->state, "associated")
                    || !strcmp(a->state, "associating"))) {
                return rtb;
            }
        }
        if (rtb->main) {
            main_rtb = rtb;
        }
    }
    return main_rtb;
}

/* Returns true if gateway endpoint 'ept' has route table 'rtb'. */
static bool
authz_endpoint_has_rtb(const struct plrec_vpc_endpoint *ept,
                       const struct plrec_route_table *rtb)
{
    for (size_t i = 0; i < ept->n_route_tables; i++) {
        if (ept->route_tables[i] == rtb) {
            return true;
        }
    }
    return false;
}

/* Returns the available endpoint of type 'type' in 'vpc' to the service of
 * 'action', restricted to gateway endpoints of route table 'rtb' if 'rtb'
 * is nonnull, or NULL. */
static const struct plrec_vpc_endpoint *
authz_find_in_vpc(const struct op_ctx *ctx, const struct plrec_vpc *vpc,
                  const char *type, const struct plrec_route_table *rtb,
                  const char *action)
{
    const struct plrec_vpc_endpoint *ept;
    PLREC_VPC_ENDPOINT_FOR_EACH (ept, ctx->idl) {
        if (ept->vpc == vpc && !strcmp(ept->vpc_endpoint_type, type)
            && !strcmp(ept->state, "available")
            && (!rtb || authz_endpoint_has_rtb(ept, rtb))
            && authz_service_matches(ept, action)) {
            return ept;
        }
    }
    return NULL;
}

/* Finds the endpoint that carries a request of 'rq' from its VPC and
 * source address (see the top of the file), or fails 'ctx'. */
static const struct plrec_vpc_endpoint *
authz_find_by_source(struct op_ctx *ctx,
                     const Privatelink__V1__AuthorizeEndpointRequestRequest
                     *rq)
{
    const struct plrec_vpc *vpc = op_find_vpc(rq->vpc_id);
    ovs_be32 ip;
    if (!vpc) {
        op_error(ctx, "InvalidVpcID.NotFound", "The vpc ID '%s' does not "
                 "exist", rq->vpc_id);
        return NULL;
    } else if (!ip_parse(rq->source_ip, &ip)) {
        op_error(ctx, "InvalidParameterValue", "Value (%s) for parameter "
                 "SourceIp is invalid: not an IPv4 address.", rq->source_ip);
        return NULL;
    }

    const struct plrec_subnet *subnet = authz_find_subnet(ctx, vpc, ip);
    const struct plrec_route_table *rtb
        = subnet ? authz_subnet_route_table(ctx, subnet) : NULL;
    const struct plrec_vpc_endpoint *ept
        = (rtb ? authz_find_in_vpc(ctx, vpc, "Gateway", rtb, rq->action)
           : NULL);
    if (!ept && subnet) {
        ept = authz_find_in_vpc(ctx, vpc, "Interface", NULL, rq->action);
    }
    if (!ept) {
        op_error(ctx, "InvalidVpcEndpointId.NotFound", "No VPC endpoint of "
                 "VPC '%s' serves '%s' from source address %s.",
                 rq->vpc_id, rq->action, rq->source_ip);
    }
    return ept;
}

/* Appends to 'epts' (with '*n' members, room for 'max') each available
 * gateway endpoint that carries traffic from a network interface whose
 * address is 'ip' to the service of 'action': the endpoint of the table
 * that routes the interface's subnet.  Endpoint ENIs do not count. */
static void
authz_find_by_address(const struct op_ctx *ctx, ovs_be32 ip,
                      const char *action,
                      const struct plrec_vpc_endpoint **epts, size_t *n,
                      size_t max)
{
    const struct plrec_network_interface *eni;
    PLREC_NETWORK_INTERFACE_FOR_EACH (eni, ctx->idl) {
        ovs_be32 eni_ip;
        if (!eni->subnet || strcmp(eni->interface_type, "interface")
            || !ip_parse(eni->private_ip_address, &eni_ip) || eni_ip != ip) {
            continue;
        }
        const struct plrec_route_table *rtb
            = authz_subnet_route_table(ctx, eni->subnet);
        const struct plrec_vpc_endpoint *ept
            = rtb ? authz_find_in_vpc(ctx, eni->subnet->vpc, "Gateway", rtb,
                                      action)
                  : NULL;
        bool dup = false;
        for (size_t i = 0; i < *n; i++) {
            dup |= epts[i] == ept;
        }
        if (ept && !dup && *n < max) {
            epts[(*n)++] = ept;
        }
    }
}

/* The most endpoints that one source address may lead to. */
#define AUTHZ_MAX_CANDIDATES 16

/* Finds, for a request 'rq' that gives a source address but no VPC, the
 * gateway endpoints it may have come through (see the top of the file)
 * into 'epts' (room for AUTHZ_MAX_CANDIDATES).  Returns their number, or
 * 0 after failing 'ctx'. */
static size_t
authz_find_by_source_only(
    struct op_ctx *ctx,
    const Privatelink__V1__AuthorizeEndpointRequestRequest *rq,
    const struct plrec_vpc_endpoint **epts)
{
    size_t n = 0;
    ovs_be32 ip;
    if (!ip_parse(rq->source_ip, &ip)) {
        op_error(ctx, "InvalidParameterValue", "Value (%s) for parameter "
                 "SourceIp is invalid: not an IPv4 address.", rq->source_ip);
        return 0;
    }
    authz_find_by_address(ctx, ip, rq->action, epts, &n,
                          AUTHZ_MAX_CANDIDATES);
    if (!n) {
        op_error(ctx, "InvalidVpcEndpointId.NotFound", "No VPC endpoint "
                 "serves '%s' from source address %s.", rq->action,
                 rq->source_ip);
    }
    return n;
}

/* Finds the endpoint that 'rq' names, by id or by source, or fails
 * 'ctx'. */
static const struct plrec_vpc_endpoint *
authz_find_endpoint(struct op_ctx *ctx,
                    const Privatelink__V1__AuthorizeEndpointRequestRequest
                    *rq)
{
    if (!rq->vpc_endpoint_id) {
        if (!rq->source_ip) {
            op_error(ctx, "MissingParameter", "The request must contain "
                     "the parameter VpcEndpointId or SourceIp.");
            return NULL;
        }
        return authz_find_by_source(ctx, rq);
    }

    const struct plrec_vpc_endpoint *ept
        = op_find_vpc_endpoint(rq->vpc_endpoint_id);
    if (!ept || !strcmp(ept->state, "deleted")) {
        op_error(ctx, "InvalidVpcEndpointId.NotFound", "The Vpc Endpoint "
                 "Id '%s' does not exist", rq->vpc_endpoint_id);
        return NULL;
    } else if (rq->vpc_id && strcmp(rq->vpc_id, ept->vpc->vpc_id)) {
        op_error(ctx, "InvalidParameterValue", "The Vpc Endpoint '%s' is "
                 "not in VPC '%s'.", rq->vpc_endpoint_id, rq->vpc_id);
        return NULL;
    }
    return ept;
}

/* Returns the account id of 'rq''s principal, malloc'd: the given one,
 * else the fifth field of its ARN, else NULL. */
static char *
authz_principal_account(
    const Privatelink__V1__AuthorizeEndpointRequestRequest *rq)
{
    if (rq->principal_account) {
        return xstrdup(rq->principal_account);
    } else if (!rq->principal_arn) {
        return NULL;
    }
    const char *p = rq->principal_arn;
    for (int i = 0; i < 4 && p; i++) {
        p = strchr(p, ':');
        p = p ? p + 1 : NULL;
    }
    const char *end = p ? strchr(p, ':') : NULL;
    return end && end > p ? xmemdup0(p, end - p) : NULL;
}

/* Fills 'context' with the condition keys of a request of 'rq' through
 * 'ept'. */
static void
authz_fill_context(const struct plrec_vpc_endpoint *ept,
                   const Privatelink__V1__AuthorizeEndpointRequestRequest *rq,
                   struct smap *context)
{
    smap_add(context, "aws:sourceVpce", ept->vpc_endpoint_id);
    smap_add(context, "aws:sourceVpc", ept->vpc->vpc_id);
    if (rq->source_ip) {
        smap_add(context, "aws:VpcSourceIp", rq->source_ip);
    }
    if (rq->resource_account) {
        smap_add(context, "s3:ResourceAccount", rq->resource_account);
    }
    if (rq->has_secure_transport) {
        smap_add(context, "aws:SecureTransport",
                 rq->secure_transport ? "true" : "false");
    }
}

/* Returns the policy document that applies to 'ept': its own, else the
 * default of its type, else NULL (no policy: full access). */
static const char *
authz_policy_document(const struct plrec_vpc_endpoint *ept)
{
    return (ept->policy_document ? ept->policy_document
            : !strcmp(ept->vpc_endpoint_type, "Gateway")
            ? policy_default_gateway
            : !strcmp(ept->vpc_endpoint_type, "Interface")
            ? policy_default_interface : NULL);
}

/* Evaluates 'rq' against the policy of 'ept' into 'rs', or fails 'ctx' if
 * the stored policy cannot be parsed. */
static void
authz_evaluate(struct op_ctx *ctx, const struct plrec_vpc_endpoint *ept,
               const Privatelink__V1__AuthorizeEndpointRequestRequest *rq,
               Privatelink__V1__AuthorizeEndpointRequestResponse *rs)
{
    const char *document = authz_policy_document(ept);
    if (!document) {
        rs->decision = xstrdup(policy_decision_to_string(POLICY_ALLOW));
        return;
    }
    struct policy *policy;
    char *error = policy_parse(document, &policy);
    if (error) {
        op_error(ctx, "InvalidPolicyDocument", "The policy of Vpc Endpoint "
                 "'%s' cannot be evaluated: %s.", ept->vpc_endpoint_id,
                 error);
        free(error);
        return;
    }

    char *account = authz_principal_account(rq);
    const struct plrec_account *acct = account ? op_find_account(account)
                                               : NULL;
    struct smap context = SMAP_INITIALIZER(&context);
    authz_fill_context(ept, rq, &context);
    struct policy_request prq = {
        .principal_account = account,
        .principal_arn = rq->principal_arn,
        .principal_org_id = (rq->principal_org_id ? rq->principal_org_id
                             : acct ? acct->org_id : NULL),
        .action = rq->action,
        .resource = rq->resource,
        .context = &context,
        .account_is_root = !strcmp(ept->vpc_endpoint_type, "Gateway"),
    };
    const char *sid;
    enum policy_decision d = policy_evaluate(policy, &prq, &sid);
    rs->decision = xstrdup(policy_decision_to_string(d));
    rs->matched_statement_sid = op_strdup(sid);

    smap_destroy(&context);
    free(account);
    policy_destroy(policy);
}

/* Ranks decisions: the combined decision of several endpoints is the
 * highest-ranked one. */
static int
authz_decision_rank(const char *decision)
{
    return (!strcmp(decision, "ExplicitDeny") ? 2
            : !strcmp(decision, "ImplicitDeny") ? 1 : 0);
}

/* Evaluates 'rq', which gives a source address but no VPC, into 'rs': by
 * the policy of every gateway endpoint the address may have come through
 * (more than one only when VPCs with overlapping address ranges have
 * gateway endpoints to the same service and an interface with that
 * address).  The request is allowed only if every one of them allows it:
 * an explicit deny anywhere wins, then an implicit one. */
static void
authz_evaluate_by_source(
    struct op_ctx *ctx,
    const Privatelink__V1__AuthorizeEndpointRequestRequest *rq,
    Privatelink__V1__AuthorizeEndpointRequestResponse *rs)
{
    const struct plrec_vpc_endpoint *epts[AUTHZ_MAX_CANDIDATES];
    size_t n = authz_find_by_source_only(ctx, rq, epts);

    for (size_t i = 0; i < n && !ctx->error_code; i++) {
        Privatelink__V1__AuthorizeEndpointRequestResponse one
            = PRIVATELINK__V1__AUTHORIZE_ENDPOINT_REQUEST_RESPONSE__INIT;
        authz_evaluate(ctx, epts[i], rq, &one);
        if (one.decision
            && (!rs->decision || (authz_decision_rank(one.decision)
                                  > authz_decision_rank(rs->decision)))) {
            free(rs->decision);
            free(rs->vpc_endpoint_id);
            free(rs->matched_statement_sid);
            rs->decision = one.decision;
            rs->vpc_endpoint_id = xstrdup(epts[i]->vpc_endpoint_id);
            rs->matched_statement_sid = one.matched_statement_sid;
        } else {
            free(one.decision);
            free(one.matched_statement_sid);
        }
    }
}

void
op_authorize_endpoint_request(struct op_ctx *ctx,
                              const ProtobufCMessage *request,
                              ProtobufCMessage *response)
{
    const Privatelink__V1__AuthorizeEndpointRequestRequest *rq
        = (const void *) request;
    Privatelink__V1__AuthorizeEndpointRequestResponse *rs = (void *) response;

    if (!op_require(ctx, rq->action != NULL, "Action")) {
        return;
    }
    if (!rq->vpc_endpoint_id && !rq->vpc_id && rq->source_ip) {
        authz_evaluate_by_source(ctx, rq, rs);
        return;
    }
    const struct plrec_vpc_endpoint *ept = authz_find_endpoint(ctx, rq);
    if (!ept) {
        return;
    }
    rs->vpc_endpoint_id = xstrdup(ept->vpc_endpoint_id);
    authz_evaluate(ctx, ept, rq, rs);
}
