/*
 * op-sg.c: security groups: CreateSecurityGroup, DescribeSecurityGroups
 * and DeleteSecurityGroup.  Their rules are added and removed in
 * op-sg-rule.c.
 *
 * A group's name is unique in its VPC (case-insensitively) and "default"
 * is reserved for the group that every VPC gets at creation, which allows
 * all traffic between its members and all outbound traffic and cannot be
 * deleted.  A new group starts with one rule allowing all outbound
 * traffic.  A group cannot be deleted while a network interface (an
 * endpoint's included) or an endpoint uses it, or while a rule of another
 * group refers to it.
 *
 * DescribeSecurityGroups shows the rules as AWS does, gathered into
 * IpPermissions: the rules of one direction with the same protocol and
 * port range make one IpPermission listing all their peers.
 */
#include <config.h>

#include <ctype.h>
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

/* The characters AWS allows in group names and descriptions. */
#define SG_NAME_CHARS                                                   \
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"    \
    " ._-:/()#,@[]+=&;{}!$*"

/* Inserts into the call's transaction a new security group of 'vpc' with
 * AWS's initial rules: all outbound traffic and, for the group named
 * "default", all traffic from the group's own members. */
const struct plrec_security_group *
vpcu_security_group_create(struct op_ctx *ctx, const struct plrec_vpc *vpc,
                           const char *name, const char *description,
                           const struct smap *tags)
{
    char *id = plink_id_new("sg");
    const struct plrec_security_group *sg
        = plrec_security_group_insert(op_txn(ctx));
    plrec_security_group_set_group_id(sg, id);
    plrec_security_group_set_group_name(sg, name);
    plrec_security_group_set_description(sg, description);
    plrec_security_group_set_vpc(sg, vpc);
    plrec_security_group_set_owner_id(sg, vpc->owner_id);
    if (tags) {
        plrec_security_group_set_tags(sg, tags);
    }
    free(id);

    struct vpcu_sg_rule egress = {
        .egress = true, .protocol = "-1", .from_port = -1, .to_port = -1,
        .cidr = "0.0.0.0/0",
    };
    struct vpcu_sg_rule self = {
        .egress = false, .protocol = "-1", .from_port = -1, .to_port = -1,
        .group = sg,
    };
    struct plrec_security_group_rule *rules[2];
    size_t n = 0;
    if (!strcmp(name, "default")) {
        rules[n++] = CONST_CAST(struct plrec_security_group_rule *,
                                vpcu_sg_rule_insert(ctx, &self));
    }
    rules[n++] = CONST_CAST(struct plrec_security_group_rule *,
                            vpcu_sg_rule_insert(ctx, &egress));
    plrec_security_group_set_rules(sg, rules, n);
    return sg;
}

/* Returns the default security group of 'vpc', or NULL. */
const struct plrec_security_group *
vpcu_default_security_group(struct ovsdb_idl *idl, const struct plrec_vpc *vpc)
{
    const struct plrec_security_group *sg;
    PLREC_SECURITY_GROUP_FOR_EACH (sg, idl) {
        if (sg->vpc == vpc && !strcmp(sg->group_name, "default")) {
            return sg;
        }
    }
    return NULL;
}

/* Returns the peer of 'rule' as a string for ordering: its CIDR block,
 * group id or prefix list id ("" if the peer is gone). */
static const char *
sg_peer_key(const struct plrec_security_group_rule *rule, int *kind)
{
    *kind = rule->cidr_ipv4 ? 0 : rule->referenced_group ? 1 : 2;
    return (rule->cidr_ipv4 ? rule->cidr_ipv4
            : rule->referenced_group ? rule->referenced_group->group_id
            : rule->prefix_list ? rule->prefix_list->prefix_list_id : "");
}

/* Orders rules by protocol, port range, kind of peer and peer. */
static int
sg_compare_rules(const void *a_, const void *b_)
{
    const struct plrec_security_group_rule *a
        = *(const struct plrec_security_group_rule **) a_;
    const struct plrec_security_group_rule *b
        = *(const struct plrec_security_group_rule **) b_;
    int ka, kb, cmp = strcmp(a->ip_protocol, b->ip_protocol);
    const char *pa = sg_peer_key(a, &ka), *pb = sg_peer_key(b, &kb);

    return (cmp ? cmp
            : a->from_port != b->from_port ? (a->from_port < b->from_port
                                              ? -1 : 1)
            : a->to_port != b->to_port ? (a->to_port < b->to_port ? -1 : 1)
            : ka != kb ? ka - kb
            : strcmp(pa, pb));
}

/* Adds the peer of 'rule' to IpPermission 'perm'. */
static void
sg_add_peer(Privatelink__V1__IpPermission *perm,
            const struct plrec_security_group_rule *rule)
{
    const char *description = *rule->description ? rule->description : NULL;

    if (rule->cidr_ipv4) {
        Privatelink__V1__IpRange *r
            = op_new_msg(&privatelink__v1__ip_range__descriptor);
        r->cidr_ip = xstrdup(rule->cidr_ipv4);
        r->description = nullable_xstrdup(description);
        OP_APPEND(perm, ip_ranges, r);
    } else if (rule->referenced_group) {
        Privatelink__V1__UserIdGroupPair *p
            = op_new_msg(&privatelink__v1__user_id_group_pair__descriptor);
        p->group_id = xstrdup(rule->referenced_group->group_id);
        p->user_id = xstrdup(rule->referenced_group->owner_id);
        p->description = nullable_xstrdup(description);
        OP_APPEND(perm, user_id_group_pairs, p);
    } else if (rule->prefix_list) {
        Privatelink__V1__PrefixListId *p
            = op_new_msg(&privatelink__v1__prefix_list_id__descriptor);
        p->prefix_list_id = xstrdup(rule->prefix_list->prefix_list_id);
        p->description = nullable_xstrdup(description);
        OP_APPEND(perm, prefix_list_ids, p);
    }
}

/* Returns a new IpPermission for the protocol and ports of 'rule'. */
static Privatelink__V1__IpPermission *
sg_new_permission(const struct plrec_security_group_rule *rule)
{
    Privatelink__V1__IpPermission *perm
        = op_new_msg(&privatelink__v1__ip_permission__descriptor);
    perm->ip_protocol = xstrdup(rule->ip_protocol);
    if (vpcu_protocol_has_ports(rule->ip_protocol)) {
        OP_SET(perm, from_port, rule->from_port);
        OP_SET(perm, to_port, rule->to_port);
    }
    return perm;
}

/* Appends to '*perms' (with '*n' elements) the IpPermissions of the rules
 * of 'sg' in direction 'egress'. */
static void
sg_permissions_to_msg(const struct plrec_security_group *sg, bool egress,
                      Privatelink__V1__IpPermission ***perms, size_t *n)
{
    const struct plrec_security_group_rule **rules
        = xmalloc((sg->n_rules + 1) * sizeof *rules);
    size_t n_rules = 0;
    for (size_t i = 0; i < sg->n_rules; i++) {
        if (!strcmp(sg->rules[i]->direction, egress ? "egress" : "ingress")) {
            rules[n_rules++] = sg->rules[i];
        }
    }
    qsort(rules, n_rules, sizeof *rules, sg_compare_rules);

    Privatelink__V1__IpPermission *perm = NULL;
    for (size_t i = 0; i < n_rules; i++) {
        const struct plrec_security_group_rule *r = rules[i];
        if (!perm || strcmp(r->ip_protocol, rules[i - 1]->ip_protocol)
            || r->from_port != rules[i - 1]->from_port
            || r->to_port != rules[i - 1]->to_port) {
            perm = sg_new_permission(r);
            *perms = xrealloc(*perms, (*n + 1) * sizeof **perms);
            (*perms)[(*n)++] = perm;
        }
        sg_add_peer(perm, r);
    }
    free(rules);
}

/* Builds the SecurityGroup message of 'sg'. */
static Privatelink__V1__SecurityGroup *
sg_to_msg(const struct plrec_security_group *sg)
{
    Privatelink__V1__SecurityGroup *m
        = op_new_msg(&privatelink__v1__security_group__descriptor);
    m->group_id = xstrdup(sg->group_id);
    m->group_name = xstrdup(sg->group_name);
    m->description = xstrdup(sg->description);
    m->vpc_id = xstrdup(sg->vpc->vpc_id);
    m->owner_id = xstrdup(sg->owner_id);
    op_tags_to_msg(&sg->tags, &m->tags, &m->n_tags);
    sg_permissions_to_msg(sg, false, &m->ip_permissions,
                          &m->n_ip_permissions);
    sg_permissions_to_msg(sg, true, &m->ip_permissions_egress,
                          &m->n_ip_permissions_egress);
    return m;
}

/* Filters of DescribeSecurityGroups.  The ip-permission.* filters see the
 * ingress rules, the egress.ip-permission.* filters the egress rules; a
 * group matches if any rule has a matching value. */
static const struct plrec_security_group *
sg_row(const void *row)
{
    return row;
}

/* What a rule filter looks at. */
enum sg_rule_field {
    SG_CIDR, SG_FROM_PORT, SG_GROUP_ID, SG_GROUP_NAME, SG_IPV6_CIDR,
    SG_PREFIX_LIST_ID, SG_PROTOCOL, SG_TO_PORT, SG_USER_ID,
};

/* Adds to 'values' the 'field' of each rule of 'sg' in direction
 * 'egress'. */
static void
sg_rule_values(const struct plrec_security_group *sg, bool egress,
               enum sg_rule_field field, struct sset *values)
{
    for (size_t i = 0; i < sg->n_rules; i++) {
        const struct plrec_security_group_rule *r = sg->rules[i];
        const struct plrec_security_group *peer = r->referenced_group;

        if (strcmp(r->direction, egress ? "egress" : "ingress")) {
            continue;
        }
        switch (field) {
        case SG_CIDR:
            if (r->cidr_ipv4) {
                sset_add(values, r->cidr_ipv4);
            }
            break;
        case SG_FROM_PORT:
            vpcu_add_int(values, r->from_port);
            break;
        case SG_TO_PORT:
            vpcu_add_int(values, r->to_port);
            break;
        case SG_GROUP_ID:
        case SG_GROUP_NAME:
        case SG_USER_ID:
            if (peer) {
                sset_add(values, (field == SG_GROUP_ID ? peer->group_id
                                  : field == SG_GROUP_NAME
                                  ? peer->group_name : peer->owner_id));
            }
            break;
        case SG_PREFIX_LIST_ID:
            if (r->prefix_list) {
                sset_add(values, r->prefix_list->prefix_list_id);
            }
            break;
        case SG_PROTOCOL:
            sset_add(values, r->ip_protocol);
            break;
        case SG_IPV6_CIDR:
            break;
        }
    }
}

/* The rule filters: F(function suffix, filter name suffix, field). */
#define SG_RULE_FILTERS                                 \
    F(cidr, "cidr", SG_CIDR)                            \
    F(from_port, "from-port", SG_FROM_PORT)             \
    F(group_id, "group-id", SG_GROUP_ID)                \
    F(group_name, "group-name", SG_GROUP_NAME)          \
    F(ipv6_cidr, "ipv6-cidr", SG_IPV6_CIDR)             \
    F(prefix_list_id, "prefix-list-id", SG_PREFIX_LIST_ID) \
    F(protocol, "protocol", SG_PROTOCOL)                \
    F(to_port, "to-port", SG_TO_PORT)                   \
    F(user_id, "user-id", SG_USER_ID)

#define F(NAME, FILTER, FIELD)                                          \
    static void                                                         \
    sg_f_in_##NAME(const void *row, struct sset *values)                \
    {                                                                   \
        sg_rule_values(sg_row(row), false, FIELD, values);              \
    }                                                                   \
                                                                        \
    static void                                                         \
    sg_f_eg_##NAME(const void *row, struct sset *values)                \
    {                                                                   \
        sg_rule_values(sg_row(row), true, FIELD, values);               \
    }
SG_RULE_FILTERS
#undef F

static void
sg_f_description(const void *row, struct sset *values)
{
    sset_add(values, sg_row(row)->description);
}

static void
sg_f_group_id(const void *row, struct sset *values)
{
    sset_add(values, sg_row(row)->group_id);
}

static void
sg_f_group_name(const void *row, struct sset *values)
{
    sset_add(values, sg_row(row)->group_name);
}

static void
sg_f_owner(const void *row, struct sset *values)
{
    sset_add(values, sg_row(row)->owner_id);
}

static void
sg_f_vpc(const void *row, struct sset *values)
{
    sset_add(values, sg_row(row)->vpc->vpc_id);
}

static const struct filter_def sg_filters[] = {
    { "description", sg_f_description },
    { "group-id", sg_f_group_id },
    { "group-name", sg_f_group_name },
    { "owner-id", sg_f_owner },
    { "vpc-id", sg_f_vpc },
#define F(NAME, FILTER, FIELD)                          \
    { "ip-permission." FILTER, sg_f_in_##NAME },        \
    { "egress.ip-permission." FILTER, sg_f_eg_##NAME },
    SG_RULE_FILTERS
#undef F
};

/* Returns true if 's' has only the characters AWS allows in group names
 * and descriptions, and at most 255 of them. */
static bool
sg_valid_text(const char *s)
{
    return strlen(s) <= 255 && strspn(s, SG_NAME_CHARS) == strlen(s);
}

/* Returns the group named 'name' (case-insensitively) in 'vpc', or
 * NULL. */
static const struct plrec_security_group *
sg_find_by_name(struct ovsdb_idl *idl, const struct plrec_vpc *vpc,
                const char *name)
{
    const struct plrec_security_group *sg;
    PLREC_SECURITY_GROUP_FOR_EACH (sg, idl) {
        if (sg->vpc == vpc && !strcasecmp(sg->group_name, name)) {
            return sg;
        }
    }
    return NULL;
}

/* Checks the name and description of a new group in 'vpc'. */
static bool
sg_check_create(struct op_ctx *ctx, const struct plrec_vpc *vpc,
                const char *name, const char *description)
{
    if (!*name || !sg_valid_text(name)) {
        op_error(ctx, "InvalidParameterValue", "Value (%s) for parameter "
                 "GroupName is invalid. Group names may be up to 255 "
                 "characters from a-z, A-Z, 0-9, spaces and "
                 "._-:/()#,@[]+=&;{}!$*", name);
    } else if (!strncasecmp(name, "sg-", 3)) {
        op_error(ctx, "InvalidParameterValue", "Value (%s) for parameter "
                 "GroupName is invalid. Group names may not be in the "
                 "format sg-*.", name);
    } else if (!*description || !sg_valid_text(description)) {
        op_error(ctx, "InvalidParameterValue", "Value (%s) for parameter "
                 "GroupDescription is invalid. Descriptions may be up to "
                 "255 characters from a-z, A-Z, 0-9, spaces and "
                 "._-:/()#,@[]+=&;{}!$*", description);
    } else if (!strcasecmp(name, "default")) {
        op_error(ctx, "InvalidGroup.Reserved", "The security group "
                 "'default' is reserved");
    } else if (sg_find_by_name(ctx->idl, vpc, name)) {
        op_error(ctx, "InvalidGroup.Duplicate", "The security group '%s' "
                 "already exists for VPC '%s'", name, vpc->vpc_id);
    }
    return !op_failed(ctx);
}

void
op_create_security_group(struct op_ctx *ctx, const ProtobufCMessage *request,
                         ProtobufCMessage *response)
{
    const Privatelink__V1__CreateSecurityGroupRequest *rq
        = (const void *) request;
    Privatelink__V1__CreateSecurityGroupResponse *rs = (void *) response;
    struct smap tags = SMAP_INITIALIZER(&tags);
    const struct plrec_vpc *vpc;

    if (op_require(ctx, rq->group_name, "GroupName")
        && op_require(ctx, rq->description, "GroupDescription")
        && (vpc = (rq->vpc_id ? vpcu_get_vpc(ctx, rq->vpc_id)
                   : vpcu_require_default_vpc(ctx)))
        && sg_check_create(ctx, vpc, rq->group_name, rq->description)
        && op_tags_from_specs(ctx, rq->tag_specifications,
                              rq->n_tag_specifications, "security-group",
                              &tags)) {
        const struct plrec_security_group *sg = vpcu_security_group_create(
            ctx, vpc, rq->group_name, rq->description, &tags);
        rs->group_id = xstrdup(sg->group_id);
        op_tags_to_msg(&tags, &rs->tags, &rs->n_tags);
    }
    smap_destroy(&tags);
}

/* Checks the GroupName list of DescribeSecurityGroups: names of groups of
 * the caller's default VPC, which must exist. */
static bool
sg_check_names(struct op_ctx *ctx, char **names, size_t n,
               const struct plrec_vpc **default_vpcp)
{
    *default_vpcp = NULL;
    if (!n) {
        return true;
    }
    const struct plrec_vpc *vpc = vpcu_require_default_vpc(ctx);
    for (size_t i = 0; vpc && i < n; i++) {
        if (!sg_find_by_name(ctx->idl, vpc, names[i])) {
            op_error(ctx, "InvalidGroup.NotFound", "The security group '%s' "
                     "does not exist in default VPC '%s'", names[i],
                     vpc->vpc_id);
            return false;
        }
    }
    *default_vpcp = vpc;
    return vpc != NULL;
}

/* Returns true if 'sg' is one of the groups that DescribeSecurityGroups
 * request 'rq' lists by id or by name (in 'default_vpc'), or if it lists
 * none. */
static bool
sg_is_listed(const struct plrec_security_group *sg,
             const Privatelink__V1__DescribeSecurityGroupsRequest *rq,
             const struct plrec_vpc *default_vpc)
{
    if (!rq->n_group_ids && !rq->n_group_names) {
        return true;
    }
    if (op_in_list(rq->group_ids, rq->n_group_ids, sg->group_id)) {
        return true;
    }
    for (size_t i = 0; i < rq->n_group_names; i++) {
        if (sg->vpc == default_vpc
            && !strcasecmp(sg->group_name, rq->group_names[i])) {
            return true;
        }
    }
    return false;
}

void
op_describe_security_groups(struct op_ctx *ctx,
                            const ProtobufCMessage *request,
                            ProtobufCMessage *response)
{
    const Privatelink__V1__DescribeSecurityGroupsRequest *rq
        = (const void *) request;
    Privatelink__V1__DescribeSecurityGroupsResponse *rs = (void *) response;
    const struct plrec_vpc *default_vpc;
    struct op_page page;

    if (!filter_check(ctx, rq->filters, rq->n_filters, sg_filters,
                      ARRAY_SIZE(sg_filters))
        || !vpcu_check_security_group_ids(ctx, rq->group_ids,
                                          rq->n_group_ids)
        || !sg_check_names(ctx, rq->group_names, rq->n_group_names,
                           &default_vpc)
        || !op_page_init(ctx, rq->has_max_results, rq->max_results,
                         rq->next_token, 5, 1000, &page)) {
        return;
    }

    struct ovsdb_idl_index *index = op_index_security_group();
    struct plrec_security_group *from = NULL;
    if (page.start_id) {
        from = plrec_security_group_index_init_row(index);
        plrec_security_group_index_set_group_id(from, page.start_id);
    }
    const struct plrec_security_group *sg;
    PLREC_SECURITY_GROUP_FOR_EACH_RANGE (sg, from, NULL, index) {
        if (!op_is_owner(ctx, sg->owner_id)
            || !sg_is_listed(sg, rq, default_vpc)
            || !filter_match(rq->filters, rq->n_filters, sg_filters,
                             ARRAY_SIZE(sg_filters), sg, &sg->tags)) {
            continue;
        }
        if (rs->n_security_groups >= page.limit) {
            rs->next_token = op_page_token(sg->group_id);
            break;
        }
        OP_APPEND(rs, security_groups, sg_to_msg(sg));
    }
    if (from) {
        plrec_security_group_index_destroy_row(from);
    }
    op_page_destroy(&page);
}

/* Returns the group that a request names by 'id' or, in the caller's
 * default VPC, by 'name'; NULL, with 'ctx' failed, if there is none. */
const struct plrec_security_group *
vpcu_get_security_group_by(struct op_ctx *ctx, const char *id,
                           const char *name)
{
    if (id) {
        return vpcu_get_security_group(ctx, id);
    } else if (!op_require(ctx, name, "GroupId")) {
        return NULL;
    }

    const struct plrec_vpc *vpc = vpcu_require_default_vpc(ctx);
    const struct plrec_security_group *sg
        = vpc ? sg_find_by_name(ctx->idl, vpc, name) : NULL;
    if (vpc && !sg) {
        op_error(ctx, "InvalidGroup.NotFound", "The security group '%s' "
                 "does not exist in default VPC '%s'", name, vpc->vpc_id);
    }
    return sg;
}

/* Returns true if 'sg' is one of the 'n' groups in 'groups'. */
static bool
sg_in(struct plrec_security_group **groups, size_t n,
      const struct plrec_security_group *sg)
{
    for (size_t i = 0; i < n; i++) {
        if (groups[i] == sg) {
            return true;
        }
    }
    return false;
}

/* Returns true if something keeps 'sg' from being deleted: a network
 * interface or an endpoint that uses it, or a rule of another group that
 * refers to it. */
static bool
sg_in_use(struct ovsdb_idl *idl, const struct plrec_security_group *sg)
{
    const struct plrec_network_interface *eni;
    PLREC_NETWORK_INTERFACE_FOR_EACH (eni, idl) {
        if (sg_in(eni->security_groups, eni->n_security_groups, sg)) {
            return true;
        }
    }
    const struct plrec_vpc_endpoint *ep;
    PLREC_VPC_ENDPOINT_FOR_EACH (ep, idl) {
        if (vpcu_endpoint_live(ep)
            && sg_in(ep->security_groups, ep->n_security_groups, sg)) {
            return true;
        }
    }
    const struct plrec_security_group *other;
    PLREC_SECURITY_GROUP_FOR_EACH (other, idl) {
        for (size_t i = 0; other != sg && i < other->n_rules; i++) {
            if (other->rules[i]->referenced_group == sg) {
                return true;
            }
        }
    }
    return false;
}

void
op_delete_security_group(struct op_ctx *ctx, const ProtobufCMessage *request,
                         ProtobufCMessage *response)
{
    const Privatelink__V1__DeleteSecurityGroupRequest *rq
        = (const void *) request;
    Privatelink__V1__DeleteSecurityGroupResponse *rs = (void *) response;

    const struct plrec_security_group *sg
        = vpcu_get_security_group_by(ctx, rq->group_id, rq->group_name);
    if (!sg) {
        return;
    } else if (!strcmp(sg->group_name, "default")) {
        op_error(ctx, "CannotDelete", "the specified group: \"%s\" name: "
                 "\"default\" cannot be deleted by a user", sg->group_id);
        return;
    } else if (sg_in_use(ctx->idl, sg)) {
        op_error(ctx, "DependencyViolation", "resource %s has a dependent "
                 "object", sg->group_id);
        return;
    }

    op_txn(ctx);
    const struct plrec_vpc_endpoint *ep;
    PLREC_VPC_ENDPOINT_FOR_EACH (ep, ctx->idl) {
        if (sg_in(ep->security_groups, ep->n_security_groups, sg)) {
            plrec_vpc_endpoint_update_security_groups_delvalue(ep, sg);
        }
    }
    rs->group_id = xstrdup(sg->group_id);
    plrec_security_group_delete(sg);
    OP_SET(rs, return_, true);
}
