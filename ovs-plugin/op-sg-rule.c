/*
 * op-sg-rule.c: security group rules: AuthorizeSecurityGroupIngress,
 * AuthorizeSecurityGroupEgress, RevokeSecurityGroupIngress and
 * RevokeSecurityGroupEgress.
 *
 * A request gives IpPermissions (or, the old way, one rule as top-level
 * IpProtocol, FromPort, ToPort, CidrIp, SourceSecurityGroupName).  Each
 * peer of each IpPermission (a CIDR block, a security group of the same
 * VPC, a prefix list) is one rule, one Security_Group_Rule row with an
 * "sgr-" id.  Protocols are stored as EC2 canonicalizes them ("tcp" for
 * "6" or "TCP", "-1" for all), CIDR blocks in canonical form.  Authorizing
 * a rule that exists fails with InvalidPermission.Duplicate and revoking
 * one that does not with InvalidPermission.NotFound; either way the call
 * changes nothing.  Revoke also takes rule ids.
 */
#include <config.h>

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "cidr.h"
#include "lib/plink-idl.h"
#include "op-util.h"
#include "op-vpc-util.h"
#include "openvswitch/dynamic-string.h"
#include "ops.h"
#include "plink-id.h"
#include "util.h"

/* AWS's limit on the rules of one direction of a group. */
#define SGR_MAX_RULES 60

/* The rules that one request names. */
struct sgr_list {
    struct vpcu_sg_rule *rules; /* The rules. */
    size_t n;                   /* Number of 'rules'. */
};

/* A rule request, the parameters that the four operations share. */
struct sgr_request {
    bool egress;                /* Egress (true) or ingress operation. */
    const char *group_id;       /* GroupId. */
    const char *group_name;     /* GroupName (ingress only). */
    Privatelink__V1__IpPermission **perms;   /* IpPermissions. */
    size_t n_perms;

    /* One rule given the old way, with top-level parameters. */
    const char *ip_protocol;
    bool has_from_port;
    int32_t from_port;
    bool has_to_port;
    int32_t to_port;
    const char *cidr_ip;
    const char *source_group_name;
    const char *source_group_owner_id;

    size_t n_tag_specifications;    /* Authorize only. */
    char **rule_ids;                /* Revoke only: SecurityGroupRuleIds. */
    size_t n_rule_ids;
};

#define SGR_REQUEST(RQ, EGRESS, GROUP_NAME)                             \
    {                                                                   \
        .egress = (EGRESS),                                             \
        .group_id = (RQ)->group_id,                                     \
        .group_name = (GROUP_NAME),                                     \
        .perms = (RQ)->ip_permissions,                                  \
        .n_perms = (RQ)->n_ip_permissions,                              \
        .ip_protocol = (RQ)->ip_protocol,                               \
        .has_from_port = (RQ)->has_from_port,                           \
        .from_port = (RQ)->from_port,                                   \
        .has_to_port = (RQ)->has_to_port,                               \
        .to_port = (RQ)->to_port,                                       \
        .cidr_ip = (RQ)->cidr_ip,                                       \
        .source_group_name = (RQ)->source_security_group_name,          \
        .source_group_owner_id = (RQ)->source_security_group_owner_id,  \
    }

/* Inserts 'spec' as a new rule row (not yet in any group's rules) into
 * the call's transaction and returns it. */
const struct plrec_security_group_rule *
vpcu_sg_rule_insert(struct op_ctx *ctx, const struct vpcu_sg_rule *spec)
{
    char *id = plink_id_new("sgr");
    const struct plrec_security_group_rule *rule
        = plrec_security_group_rule_insert(op_txn(ctx));
    plrec_security_group_rule_set_rule_id(rule, id);
    plrec_security_group_rule_set_direction(rule, (spec->egress ? "egress"
                                                   : "ingress"));
    plrec_security_group_rule_set_ip_protocol(rule, spec->protocol);
    plrec_security_group_rule_set_from_port(rule, spec->from_port);
    plrec_security_group_rule_set_to_port(rule, spec->to_port);
    plrec_security_group_rule_set_cidr_ipv4(rule, spec->cidr);
    plrec_security_group_rule_set_referenced_group(rule, spec->group);
    plrec_security_group_rule_set_prefix_list(rule, spec->prefix_list);
    plrec_security_group_rule_set_description(rule, (spec->description
                                                     ? spec->description
                                                     : ""));
    free(id);
    return rule;
}

static void
sgr_list_destroy(struct sgr_list *list)
{
    for (size_t i = 0; i < list->n; i++) {
        free(list->rules[i].protocol);
        free(list->rules[i].cidr);
        free(list->rules[i].description);
    }
    free(list->rules);
}

/* Appends a copy of 'base' with the peer given by 'cidr', 'group' or
 * 'prefix_list' and 'description' to 'list'. */
static void
sgr_list_add(struct sgr_list *list, const struct vpcu_sg_rule *base,
             const char *cidr, const struct plrec_security_group *group,
             const struct plrec_prefix_list *prefix_list,
             const char *description)
{
    list->rules = xrealloc(list->rules, (list->n + 1) * sizeof *list->rules);
    struct vpcu_sg_rule *r = &list->rules[list->n++];
    *r = *base;
    r->protocol = xstrdup(base->protocol);
    r->cidr = nullable_xstrdup(cidr);
    r->group = group;
    r->prefix_list = prefix_list;
    r->description = nullable_xstrdup(description);
}

/* Parses the protocol and ports of 'perm' into 'base'. */
static bool
sgr_parse_ports(struct op_ctx *ctx, const Privatelink__V1__IpPermission *perm,
                struct vpcu_sg_rule *base)
{
    char *protocol = vpcu_protocol_normalize(perm->ip_protocol);
    int from = perm->has_from_port ? perm->from_port : -1;
    int to = perm->has_to_port ? perm->to_port : -1;

    if (!protocol) {
        op_error(ctx, "InvalidParameterValue", "Invalid value '%s' for IP "
                 "protocol. Unknown protocol.",
                 perm->ip_protocol ? perm->ip_protocol : "null");
        return false;
    }
    if (!strcmp(protocol, "tcp") || !strcmp(protocol, "udp")) {
        if (!perm->has_from_port || !perm->has_to_port) {
            op_error(ctx, "InvalidParameterValue", "Invalid value for "
                     "portRange. Must specify both from and to ports with "
                     "TCP/UDP.");
        } else if (from < 0 || to > 65535 || from > to) {
            op_error(ctx, "InvalidParameterValue", "Invalid TCP/UDP port "
                     "range %d-%d.", from, to);
        }
    } else if (vpcu_protocol_has_ports(protocol)) {
        if (from < -1 || from > 255 || to < -1 || to > 255
            || (from == -1 && to != -1)) {
            op_error(ctx, "InvalidParameterValue", "Invalid ICMP type %d "
                     "and code %d.", from, to);
        }
    } else {
        from = to = -1;
    }
    if (op_failed(ctx)) {
        free(protocol);
        return false;
    }
    base->protocol = protocol;
    base->from_port = from;
    base->to_port = to;
    return true;
}

/* Checks rule description 'd' (may be NULL). */
static bool
sgr_check_description(struct op_ctx *ctx, const char *d)
{
    if (d && strlen(d) > 255) {
        op_error(ctx, "InvalidParameterValue", "Rule descriptions may be at "
                 "most 255 characters long.");
        return false;
    }
    return true;
}

/* Resolves the group that a rule of 'sg' names in 'pair': a group of the
 * caller's in the same VPC, by id or (in the default VPC) by name. */
static const struct plrec_security_group *
sgr_peer_group(struct op_ctx *ctx, const struct plrec_security_group *sg,
               const Privatelink__V1__UserIdGroupPair *pair)
{
    const struct plrec_security_group *peer
        = vpcu_get_security_group_by(ctx, pair->group_id, pair->group_name);
    if (!peer) {
        return NULL;
    } else if (peer->vpc != sg->vpc
               || (pair->user_id && strcmp(pair->user_id, peer->owner_id))) {
        op_error(ctx, "InvalidGroup.NotFound", "You have specified two "
                 "resources that belong to different networks.");
        return NULL;
    }
    return peer;
}

/* Parses IpPermission 'perm' of a rule request for 'sg' into rules,
 * one per peer, appended to 'list'. */
static bool
sgr_parse_permission(struct op_ctx *ctx, const struct plrec_security_group *sg,
                     bool egress, const Privatelink__V1__IpPermission *perm,
                     struct sgr_list *list)
{
    struct vpcu_sg_rule base = { .egress = egress };
    if (perm->n_ipv6_ranges) {
        op_error(ctx, "InvalidParameterValue", "IPv6 rules (Ipv6Ranges) are "
                 "not supported: the VPCs of this deployment are IPv4 only.");
        return false;
    } else if (!perm->n_ip_ranges && !perm->n_user_id_group_pairs
               && !perm->n_prefix_list_ids) {
        op_error(ctx, "MissingParameter", "Each IpPermission must name at "
                 "least one peer: IpRanges, UserIdGroupPairs or "
                 "PrefixListIds.");
        return false;
    } else if (!sgr_parse_ports(ctx, perm, &base)) {
        return false;
    }

    for (size_t i = 0; i < perm->n_ip_ranges && !op_failed(ctx); i++) {
        const Privatelink__V1__IpRange *r = perm->ip_ranges[i];
        struct cidr4 cidr;
        if (op_require(ctx, r->cidr_ip, "CidrIp")
            && vpcu_cidr_param(ctx, r->cidr_ip, "cidrIp", &cidr)
            && sgr_check_description(ctx, r->description)) {
            char *s = cidr4_to_string(&cidr);
            sgr_list_add(list, &base, s, NULL, NULL, r->description);
            free(s);
        }
    }
    for (size_t i = 0; i < perm->n_user_id_group_pairs && !op_failed(ctx);
         i++) {
        const Privatelink__V1__UserIdGroupPair *p
            = perm->user_id_group_pairs[i];
        const struct plrec_security_group *peer = sgr_peer_group(ctx, sg, p);
        if (peer && sgr_check_description(ctx, p->description)) {
            sgr_list_add(list, &base, NULL, peer, NULL, p->description);
        }
    }
    for (size_t i = 0; i < perm->n_prefix_list_ids && !op_failed(ctx); i++) {
        const Privatelink__V1__PrefixListId *p = perm->prefix_list_ids[i];
        const struct plrec_prefix_list *pl
            = (op_require(ctx, p->prefix_list_id, "PrefixListId")
               ? vpcu_get_prefix_list(ctx, p->prefix_list_id) : NULL);
        if (pl && sgr_check_description(ctx, p->description)) {
            sgr_list_add(list, &base, NULL, NULL, pl, p->description);
        }
    }
    free(base.protocol);
    return !op_failed(ctx);
}

/* Parses the rule that 'rq' gives the old way, with top-level
 * parameters, into 'list'. */
static bool
sgr_parse_legacy(struct op_ctx *ctx, const struct plrec_security_group *sg,
                 const struct sgr_request *rq, struct sgr_list *list)
{
    Privatelink__V1__IpPermission perm;
    Privatelink__V1__IpRange range, *ranges[1] = { &range };
    Privatelink__V1__UserIdGroupPair pair, *pairs[1] = { &pair };

    privatelink__v1__ip_permission__init(&perm);
    privatelink__v1__ip_range__init(&range);
    privatelink__v1__user_id_group_pair__init(&pair);
    perm.ip_protocol = CONST_CAST(char *, (rq->ip_protocol ? rq->ip_protocol
                                           : rq->source_group_name ? "-1"
                                           : NULL));
    perm.has_from_port = rq->has_from_port;
    perm.from_port = rq->from_port;
    perm.has_to_port = rq->has_to_port;
    perm.to_port = rq->to_port;
    if (rq->cidr_ip) {
        range.cidr_ip = CONST_CAST(char *, rq->cidr_ip);
        perm.ip_ranges = ranges;
        perm.n_ip_ranges = 1;
    }
    if (rq->source_group_name) {
        pair.group_name = CONST_CAST(char *, rq->source_group_name);
        pair.user_id = CONST_CAST(char *, rq->source_group_owner_id);
        perm.user_id_group_pairs = pairs;
        perm.n_user_id_group_pairs = 1;
    }
    return sgr_parse_permission(ctx, sg, rq->egress, &perm, list);
}

/* Parses the rules that 'rq' names for 'sg' into 'list'. */
static bool
sgr_parse_request(struct op_ctx *ctx, const struct plrec_security_group *sg,
                  const struct sgr_request *rq, struct sgr_list *list)
{
    bool legacy = (rq->ip_protocol || rq->cidr_ip || rq->source_group_name
                   || rq->has_from_port || rq->has_to_port);

    if (legacy && rq->n_perms) {
        op_error(ctx, "InvalidParameterCombination", "The parameter "
                 "'ipPermissions' may not be used in combination with "
                 "'ipProtocol', 'fromPort', 'toPort', 'cidrIp' or "
                 "'sourceSecurityGroupName'.");
        return false;
    } else if (legacy) {
        return sgr_parse_legacy(ctx, sg, rq, list);
    } else if (!rq->n_perms) {
        op_error(ctx, "MissingParameter", "The request must contain the "
                 "parameter ipPermissions");
        return false;
    }
    for (size_t i = 0; i < rq->n_perms; i++) {
        if (!sgr_parse_permission(ctx, sg, rq->egress, rq->perms[i], list)) {
            return false;
        }
    }
    return true;
}

/* Returns true if rules 'a' and 'b' are the same rule (descriptions
 * aside). */
static bool
sgr_equal(const struct vpcu_sg_rule *a, const struct vpcu_sg_rule *b)
{
    return (a->egress == b->egress && !strcmp(a->protocol, b->protocol)
            && a->from_port == b->from_port && a->to_port == b->to_port
            && nullable_string_is_equal(a->cidr, b->cidr)
            && a->group == b->group && a->prefix_list == b->prefix_list);
}

/* Returns true if row 'rule' is rule 'spec'. */
static bool
sgr_row_matches(const struct plrec_security_group_rule *rule,
                const struct vpcu_sg_rule *spec)
{
    return (!strcmp(rule->direction, spec->egress ? "egress" : "ingress")
            && !strcmp(rule->ip_protocol, spec->protocol)
            && rule->from_port == spec->from_port
            && rule->to_port == spec->to_port
            && nullable_string_is_equal(rule->cidr_ipv4, spec->cidr)
            && rule->referenced_group == spec->group
            && rule->prefix_list == spec->prefix_list);
}

/* Returns the rule of 'sg' that is 'spec', or NULL. */
static const struct plrec_security_group_rule *
sgr_find(const struct plrec_security_group *sg,
         const struct vpcu_sg_rule *spec)
{
    for (size_t i = 0; i < sg->n_rules; i++) {
        if (sgr_row_matches(sg->rules[i], spec)) {
            return sg->rules[i];
        }
    }
    return NULL;
}

/* Returns 'r' as AWS describes a rule in errors: "peer: 10.0.0.0/8, TCP,
 * from port: 22, to port: 22, ALLOW". */
static char *
sgr_describe(const struct vpcu_sg_rule *r)
{
    struct ds s = DS_EMPTY_INITIALIZER;
    ds_put_format(&s, "peer: %s, ", (r->cidr ? r->cidr
                                     : r->group ? r->group->group_id
                                     : r->prefix_list->prefix_list_id));
    if (!strcmp(r->protocol, "-1")) {
        ds_put_cstr(&s, "ALL");
    } else {
        for (const char *p = r->protocol; *p; p++) {
            ds_put_char(&s, toupper((unsigned char) *p));
        }
    }
    if (vpcu_protocol_has_ports(r->protocol)) {
        ds_put_format(&s, ", from port: %d, to port: %d", r->from_port,
                      r->to_port);
    }
    ds_put_cstr(&s, ", ALLOW");
    return ds_steal_cstr(&s);
}

/* Checks that none of the rules of 'list' exists in 'sg' or twice in the
 * list, and that the group stays within AWS's rule limit. */
static bool
sgr_check_new(struct op_ctx *ctx, const struct plrec_security_group *sg,
              bool egress, const struct sgr_list *list)
{
    for (size_t i = 0; i < list->n; i++) {
        bool dup = sgr_find(sg, &list->rules[i]) != NULL;
        for (size_t j = 0; j < i && !dup; j++) {
            dup = sgr_equal(&list->rules[i], &list->rules[j]);
        }
        if (dup) {
            char *s = sgr_describe(&list->rules[i]);
            op_error(ctx, "InvalidPermission.Duplicate", "the specified rule "
                     "\"%s\" already exists", s);
            free(s);
            return false;
        }
    }

    size_t n = list->n;
    for (size_t i = 0; i < sg->n_rules; i++) {
        n += !strcmp(sg->rules[i]->direction, egress ? "egress" : "ingress");
    }
    if (n > SGR_MAX_RULES) {
        op_error(ctx, "RulesPerSecurityGroupLimitExceeded", "The maximum "
                 "number of rules per security group has been reached.");
        return false;
    }
    return true;
}

/* Builds the SecurityGroupRule message of 'rule', a rule of 'sg'. */
static Privatelink__V1__SecurityGroupRule *
sgr_rule_to_msg(const struct plrec_security_group *sg,
                const struct plrec_security_group_rule *rule)
{
    Privatelink__V1__SecurityGroupRule *m
        = op_new_msg(&privatelink__v1__security_group_rule__descriptor);
    m->security_group_rule_id = xstrdup(rule->rule_id);
    m->group_id = xstrdup(sg->group_id);
    m->group_owner_id = xstrdup(sg->owner_id);
    OP_SET(m, is_egress, !strcmp(rule->direction, "egress"));
    m->ip_protocol = xstrdup(rule->ip_protocol);
    OP_SET(m, from_port, rule->from_port);
    OP_SET(m, to_port, rule->to_port);
    m->cidr_ipv4 = nullable_xstrdup(rule->cidr_ipv4);
    if (rule->prefix_list) {
        m->prefix_list_id = xstrdup(rule->prefix_list->prefix_list_id);
    }
    if (rule->referenced_group) {
        const ProtobufCMessageDescriptor *d
            = &privatelink__v1__referenced_security_group__descriptor;
        m->referenced_group_info = op_new_msg(d);
        m->referenced_group_info->group_id
            = xstrdup(rule->referenced_group->group_id);
        m->referenced_group_info->user_id
            = xstrdup(rule->referenced_group->owner_id);
    }
    m->description = *rule->description ? xstrdup(rule->description) : NULL;
    return m;
}

/* Authorizes the rules of 'rq'; on success, sets '*rulesp' and '*np' to
 * the SecurityGroupRule messages of the new rules. */
static void
sgr_authorize(struct op_ctx *ctx, const struct sgr_request *rq,
              Privatelink__V1__SecurityGroupRule ***rulesp, size_t *np)
{
    const struct plrec_security_group *sg
        = vpcu_get_security_group_by(ctx, rq->group_id, rq->group_name);
    struct sgr_list list = { NULL, 0 };

    if (!sg) {
        return;
    } else if (rq->n_tag_specifications) {
        op_error(ctx, "InvalidParameterValue", "Tags on security group rules "
                 "are not supported by this deployment.");
        return;
    } else if (sgr_parse_request(ctx, sg, rq, &list)
               && sgr_check_new(ctx, sg, rq->egress, &list)) {
        for (size_t i = 0; i < list.n; i++) {
            const struct plrec_security_group_rule *rule
                = vpcu_sg_rule_insert(ctx, &list.rules[i]);
            plrec_security_group_update_rules_addvalue(sg, rule);
            *rulesp = xrealloc(*rulesp, (*np + 1) * sizeof **rulesp);
            (*rulesp)[(*np)++] = sgr_rule_to_msg(sg, rule);
        }
    }
    sgr_list_destroy(&list);
}

/* Finds the rules of 'sg' that revoke request 'rq' names by id. */
static bool
sgr_find_ids(struct op_ctx *ctx, const struct plrec_security_group *sg,
             const struct sgr_request *rq,
             const struct plrec_security_group_rule **found)
{
    for (size_t i = 0; i < rq->n_rule_ids; i++) {
        const char *id = rq->rule_ids[i];
        if (!op_check_id(ctx, id, "sgr",
                         "InvalidSecurityGroupRuleId.Malformed")) {
            return false;
        }
        found[i] = NULL;
        for (size_t j = 0; j < sg->n_rules && !found[i]; j++) {
            const struct plrec_security_group_rule *r = sg->rules[j];
            if (!strcmp(r->rule_id, id)
                && !strcmp(r->direction, rq->egress ? "egress" : "ingress")) {
                found[i] = r;
            }
        }
        if (!found[i]) {
            op_error(ctx, "InvalidSecurityGroupRuleId.NotFound", "The "
                     "security group rule ID '%s' does not exist", id);
            return false;
        }
    }
    return true;
}

/* Finds the rules of 'sg' that the revoke request 'rq' names: by id or
 * as IpPermissions.  Returns them in '*foundp' and their number in '*np',
 * or false with 'ctx' failed if any of them does not exist. */
static bool
sgr_find_revoked(struct op_ctx *ctx, const struct plrec_security_group *sg,
                 const struct sgr_request *rq,
                 const struct plrec_security_group_rule ***foundp, size_t *np)
{
    struct sgr_list list = { NULL, 0 };
    bool ok;

    if (rq->n_rule_ids) {
        if (rq->n_perms || rq->ip_protocol || rq->cidr_ip) {
            op_error(ctx, "InvalidParameterCombination", "The parameter "
                     "'SecurityGroupRuleIds' may not be used in combination "
                     "with 'ipPermissions'.");
            return false;
        }
        *np = rq->n_rule_ids;
        *foundp = xmalloc(*np * sizeof **foundp);
        return sgr_find_ids(ctx, sg, rq, *foundp);
    }

    ok = sgr_parse_request(ctx, sg, rq, &list);
    *np = list.n;
    *foundp = xmalloc((list.n + 1) * sizeof **foundp);
    for (size_t i = 0; ok && i < list.n; i++) {
        (*foundp)[i] = sgr_find(sg, &list.rules[i]);
        if (!(*foundp)[i]) {
            op_error(ctx, "InvalidPermission.NotFound", "The specified rule "
                     "does not exist in this security group.");
            ok = false;
        }
    }
    sgr_list_destroy(&list);
    return ok;
}

/* Revokes the rules of 'rq'. */
static void
sgr_revoke(struct op_ctx *ctx, const struct sgr_request *rq)
{
    const struct plrec_security_group *sg
        = vpcu_get_security_group_by(ctx, rq->group_id, rq->group_name);
    const struct plrec_security_group_rule **found = NULL;
    size_t n = 0;

    if (sg && sgr_find_revoked(ctx, sg, rq, &found, &n)) {
        op_txn(ctx);
        for (size_t i = 0; i < n; i++) {
            plrec_security_group_update_rules_delvalue(sg, found[i]);
        }
    }
    free(found);
}

void
op_authorize_security_group_ingress(struct op_ctx *ctx,
                                    const ProtobufCMessage *request,
                                    ProtobufCMessage *response)
{
    const Privatelink__V1__AuthorizeSecurityGroupIngressRequest *rq
        = (const void *) request;
    Privatelink__V1__AuthorizeSecurityGroupIngressResponse *rs
        = (void *) response;
    struct sgr_request r = SGR_REQUEST(rq, false, rq->group_name);
    r.n_tag_specifications = rq->n_tag_specifications;

    sgr_authorize(ctx, &r, &rs->security_group_rules,
                  &rs->n_security_group_rules);
    if (!op_failed(ctx)) {
        OP_SET(rs, return_, true);
    }
}

void
op_authorize_security_group_egress(struct op_ctx *ctx,
                                   const ProtobufCMessage *request,
                                   ProtobufCMessage *response)
{
    const Privatelink__V1__AuthorizeSecurityGroupEgressRequest *rq
        = (const void *) request;
    Privatelink__V1__AuthorizeSecurityGroupEgressResponse *rs
        = (void *) response;
    struct sgr_request r = SGR_REQUEST(rq, true, NULL);
    r.n_tag_specifications = rq->n_tag_specifications;

    sgr_authorize(ctx, &r, &rs->security_group_rules,
                  &rs->n_security_group_rules);
    if (!op_failed(ctx)) {
        OP_SET(rs, return_, true);
    }
}

void
op_revoke_security_group_ingress(struct op_ctx *ctx,
                                 const ProtobufCMessage *request,
                                 ProtobufCMessage *response)
{
    const Privatelink__V1__RevokeSecurityGroupIngressRequest *rq
        = (const void *) request;
    Privatelink__V1__RevokeSecurityGroupIngressResponse *rs
        = (void *) response;
    struct sgr_request r = SGR_REQUEST(rq, false, rq->group_name);
    r.rule_ids = rq->security_group_rule_ids;
    r.n_rule_ids = rq->n_security_group_rule_ids;

    sgr_revoke(ctx, &r);
    if (!op_failed(ctx)) {
        OP_SET(rs, return_, true);
    }
}

void
op_revoke_security_group_egress(struct op_ctx *ctx,
                                const ProtobufCMessage *request,
                                ProtobufCMessage *response)
{
    const Privatelink__V1__RevokeSecurityGroupEgressRequest *rq
        = (const void *) request;
    Privatelink__V1__RevokeSecurityGroupEgressResponse *rs
        = (void *) response;
    struct sgr_request r = SGR_REQUEST(rq, true, NULL);
    r.rule_ids = rq->security_group_rule_ids;
    r.n_rule_ids = rq->n_security_group_rule_ids;

    sgr_revoke(ctx, &r);
    if (!op_failed(ctx)) {
        OP_SET(rs, return_, true);
    }
}
