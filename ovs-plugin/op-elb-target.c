/*
 * op-elb-target.c: Elastic Load Balancing v2 target groups and targets
 * (CreateTargetGroup, DescribeTargetGroups, DeleteTargetGroup, their
 * attributes, RegisterTargets, DeregisterTargets, DescribeTargetHealth).
 *
 * A target group is TCP (for a Network Load Balancer) or GENEVE (for a
 * Gateway Load Balancer, port 6081) and names its targets by IPv4 address
 * (target type "ip"): addresses in subnets of the target group's VPC.
 *
 * The health check settings and the attributes are stored complete, AWS's
 * defaults for the protocol filled in, in Target_Group.health_check and
 * Target_Group.attributes, so that the chassis that check targets and
 * balance flows read them without knowing the defaults.  A registered
 * target starts "initial" if its group serves a load balancer that has
 * its zone, "unused" otherwise; from there the health checker of the
 * chassis named by Target.health_checked_by moves it to "healthy" or
 * "unhealthy".
 */
#include <config.h>

#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>

#include "cidr.h"
#include "lib/plink-idl.h"
#include "op-elb-util.h"
#include "op-util.h"
#include "ops.h"
#include "packets.h"
#include "smap.h"
#include "util.h"

/* Most targets a target group may have. */
enum { TG_MAX_TARGETS = 1000 };

/* A target group that CreateTargetGroup was asked for, validated. */
struct tg_spec {
    const char *protocol;               /* "TCP" or "GENEVE". */
    int port;                           /* Port of the targets. */
    const struct plrec_vpc *vpc;        /* The targets' VPC. */
    struct smap health_check;           /* Complete health check settings. */
};

/* Checks TargetType, Protocol, Port and VpcId of 'rq'. */
static bool
tg_parse_basics(struct op_ctx *ctx,
                const Privatelink__V1__ElbCreateTargetGroupRequest *rq,
                struct tg_spec *spec)
{
    const char *type = rq->target_type ? rq->target_type : "instance";
    if (strcmp(type, "ip")) {
        op_error(ctx, "ValidationError", "Target type '%s'%s is not "
                 "supported here: only 'ip'", type,
                 rq->target_type ? "" : " (the default TargetType)");
        return false;
    } else if (!elb_require(ctx, rq->protocol, "protocol")
               || !elb_require(ctx, rq->has_port, "port")
               || !elb_require(ctx, rq->vpc_id, "vpcId")) {
        return false;
    } else if (strcmp(rq->protocol, "TCP") && strcmp(rq->protocol, "GENEVE")) {
        op_error(ctx, "ValidationError", "Protocol '%s' is not supported "
                 "here: only 'TCP' (Network Load Balancers) and 'GENEVE' "
                 "(Gateway Load Balancers)", rq->protocol);
        return false;
    } else if (rq->port < 1 || rq->port > 65535
               || (!strcmp(rq->protocol, "GENEVE") && rq->port != 6081)) {
        op_error(ctx, "ValidationError", "Port %d is not valid for a %s "
                 "target group%s", rq->port, rq->protocol,
                 !strcmp(rq->protocol, "GENEVE") ? ": it must be 6081" : "");
        return false;
    } else if (rq->protocol_version || rq->has_target_control_port
               || (rq->ip_address_type
                   && strcmp(rq->ip_address_type, "ipv4"))) {
        op_error(ctx, "ValidationError", "ProtocolVersion, "
                 "TargetControlPort and IP address types other than 'ipv4' "
                 "are not supported here");
        return false;
    }

    const struct plrec_vpc *vpc = op_find_vpc(rq->vpc_id);
    if (!vpc || !op_is_owner(ctx, vpc->owner_id)) {
        op_error(ctx, "ValidationError", "The VPC ID '%s' is not found",
                 rq->vpc_id);
        return false;
    }
    spec->protocol = rq->protocol;
    spec->port = rq->port;
    spec->vpc = vpc;
    return true;
}

/* Checks the integer health check setting 'member' ('has', 'value') and
 * stores it, or 'def' if absent, as 'key' in 'hc'. */
static bool
tg_hc_int(struct op_ctx *ctx, struct smap *hc, const char *key,
          const char *member, bool has, int value, int def, int min, int max)
{
    if (has && (value < min || value > max)) {
        op_error(ctx, "ValidationError", "1 validation error detected: "
                 "Value '%d' at '%s' failed to satisfy constraint: Member "
                 "must have value between %d and %d", value, member, min,
                 max);
        return false;
    }
    smap_add_format(hc, key, "%d", has ? value : def);
    return true;
}

/* Checks HealthCheckProtocol, HealthCheckPort, HealthCheckPath and
 * Matcher, stores them in 'hc'. */
static bool
tg_parse_hc_target(struct op_ctx *ctx,
                   const Privatelink__V1__ElbCreateTargetGroupRequest *rq,
                   bool gateway, struct smap *hc)
{
    const char *protocol = (rq->health_check_protocol
                            ? rq->health_check_protocol : "TCP");
    const char *port = (rq->health_check_port ? rq->health_check_port
                        : gateway ? "80" : "traffic-port");
    bool http = strcmp(protocol, "TCP");
    int n;

    if (strcmp(protocol, "TCP") && strcmp(protocol, "HTTP")
        && strcmp(protocol, "HTTPS")) {
        op_error(ctx, "ValidationError", "Health check protocol '%s' is not "
                 "valid: use TCP, HTTP or HTTPS", protocol);
    } else if (strcmp(port, "traffic-port")
               && !elb_parse_int(port, 1, 65535, &n)) {
        op_error(ctx, "ValidationError", "Health check port '%s' must be "
                 "'traffic-port' or a port number from 1 to 65535", port);
    } else if (!http && (rq->health_check_path || rq->matcher)) {
        op_error(ctx, "ValidationError", "Health check path and matcher are "
                 "only supported for HTTP and HTTPS health checks");
    } else if (rq->health_check_path
               && (rq->health_check_path[0] != '/'
                   || strlen(rq->health_check_path) > 1024)) {
        op_error(ctx, "ValidationError", "Health check path '%s' must start "
                 "with '/' and be at most 1024 characters long",
                 rq->health_check_path);
    } else if (rq->matcher && rq->matcher->grpc_code) {
        op_error(ctx, "ValidationError", "gRPC health check codes are not "
                 "supported");
    } else {
        smap_add(hc, "protocol", protocol);
        smap_add(hc, "port", port);
        if (http) {
            smap_add(hc, "path", (rq->health_check_path
                                  ? rq->health_check_path : "/"));
            smap_add(hc, "matcher", (rq->matcher && rq->matcher->http_code
                                     ? rq->matcher->http_code : "200-399"));
        }
        return true;
    }
    return false;
}

/* Checks the health check settings of 'rq' and stores them complete, with
 * AWS's defaults for Network and Gateway Load Balancer target groups, in
 * 'spec->health_check'. */
static bool
tg_parse_health_check(struct op_ctx *ctx,
                      const Privatelink__V1__ElbCreateTargetGroupRequest *rq,
                      struct tg_spec *spec)
{
    bool gateway = !strcmp(spec->protocol, "GENEVE");
    struct smap *hc = &spec->health_check;

    if (rq->has_health_check_enabled && !rq->health_check_enabled) {
        op_error(ctx, "ValidationError", "Health checks cannot be disabled "
                 "for target groups with target type 'ip'");
        return false;
    } else if (!tg_parse_hc_target(ctx, rq, gateway, hc)) {
        return false;
    }

    bool http = !strcmp(smap_get(hc, "protocol"), "HTTP");
    if (!tg_hc_int(ctx, hc, "interval_seconds", "healthCheckIntervalSeconds",
                   rq->has_health_check_interval_seconds,
                   rq->health_check_interval_seconds, gateway ? 10 : 30,
                   5, 300)
        || !tg_hc_int(ctx, hc, "timeout_seconds", "healthCheckTimeoutSeconds",
                      rq->has_health_check_timeout_seconds,
                      rq->health_check_timeout_seconds,
                      gateway ? 5 : http ? 6 : 10, 2, 120)
        || !tg_hc_int(ctx, hc, "healthy_threshold", "healthyThresholdCount",
                      rq->has_healthy_threshold_count,
                      rq->healthy_threshold_count, 5, 2, 10)
        || !tg_hc_int(ctx, hc, "unhealthy_threshold",
                      "unhealthyThresholdCount",
                      rq->has_unhealthy_threshold_count,
                      rq->unhealthy_threshold_count, 2, 2, 10)) {
        return false;
    }

    int interval = smap_get_int(hc, "interval_seconds", 0);
    int timeout = smap_get_int(hc, "timeout_seconds", 0);
    if (timeout > interval) {
        op_error(ctx, "ValidationError", "Health check timeout (%d seconds) "
                 "must not be greater than the health check interval (%d "
                 "seconds)", timeout, interval);
        return false;
    }
    return true;
}

/* Returns the caller's target group called 'name', or NULL. */
static const struct plrec_target_group *
tg_find_by_name(const struct op_ctx *ctx, const char *name)
{
    const struct plrec_target_group *tg;
    struct elb_iter iter;
    ELB_TG_FOR_EACH (tg, ctx, NULL, &iter) {
        if (!strcmp(tg->name, name)) {
            return tg;
        }
    }
    return NULL;
}

/* Target group attributes and their defaults for TCP target groups and
 * for GENEVE ones. */
static const struct {
    const char *key;
    const char *tcp;
    const char *geneve;
} tg_attrs[] = {
    { "deregistration_delay.timeout_seconds", "300", "300" },
    { "stickiness.enabled", "false", "false" },
    { "stickiness.type", "source_ip", "source_ip_dest_ip_proto" },
};

/* Inserts the target group 'spec' describes, with the name and tags of
 * 'rq'. */
static const struct plrec_target_group *
tg_insert(struct op_ctx *ctx, const struct tg_spec *spec,
          const Privatelink__V1__ElbCreateTargetGroupRequest *rq)
{
    bool geneve = !strcmp(spec->protocol, "GENEVE");
    char *id = elb_random_id();
    char *resource = xasprintf("targetgroup/%s/%s", rq->name, id);
    char *arn = elb_arn(ctx, resource);
    struct smap attrs = SMAP_INITIALIZER(&attrs);
    struct smap tags = SMAP_INITIALIZER(&tags);

    for (size_t i = 0; i < ARRAY_SIZE(tg_attrs); i++) {
        smap_add(&attrs, tg_attrs[i].key,
                 geneve ? tg_attrs[i].geneve : tg_attrs[i].tcp);
    }
    elb_tags_add(&tags, rq->tags, rq->n_tags);

    const struct plrec_target_group *tg
        = plrec_target_group_insert(op_txn(ctx));
    plrec_target_group_set_arn(tg, arn);
    plrec_target_group_set_name(tg, rq->name);
    plrec_target_group_set_owner_id(tg, op_account_id(ctx));
    plrec_target_group_set_protocol(tg, spec->protocol);
    plrec_target_group_set_port(tg, spec->port);
    plrec_target_group_set_vpc(tg, spec->vpc);
    plrec_target_group_set_target_type(tg, "ip");
    plrec_target_group_set_health_check(tg, &spec->health_check);
    plrec_target_group_set_attributes(tg, &attrs);
    plrec_target_group_set_tags(tg, &tags);

    smap_destroy(&attrs);
    smap_destroy(&tags);
    free(arn);
    free(resource);
    free(id);
    return tg;
}

/* Returns the TargetGroup message of 'tg'. */
static Privatelink__V1__ElbTargetGroup *
tg_to_msg(const struct op_ctx *ctx, const struct plrec_target_group *tg)
{
    const struct smap *hc = &tg->health_check;
    Privatelink__V1__ElbTargetGroup *m
        = op_new_msg(&privatelink__v1__elb_target_group__descriptor);
    m->target_group_arn = xstrdup(tg->arn);
    m->target_group_name = xstrdup(tg->name);
    m->protocol = xstrdup(tg->protocol);
    OP_SET(m, port, tg->port);
    m->vpc_id = xstrdup(tg->vpc->vpc_id);
    m->health_check_protocol = xstrdup(smap_get_def(hc, "protocol", "TCP"));
    m->health_check_port = xstrdup(smap_get_def(hc, "port", "traffic-port"));
    OP_SET(m, health_check_enabled, true);
    OP_SET(m, health_check_interval_seconds,
           smap_get_int(hc, "interval_seconds", 30));
    OP_SET(m, health_check_timeout_seconds,
           smap_get_int(hc, "timeout_seconds", 10));
    OP_SET(m, healthy_threshold_count,
           smap_get_int(hc, "healthy_threshold", 5));
    OP_SET(m, unhealthy_threshold_count,
           smap_get_int(hc, "unhealthy_threshold", 2));
    if (smap_get(hc, "path")) {
        m->health_check_path = xstrdup(smap_get(hc, "path"));
        m->matcher = op_new_msg(&privatelink__v1__elb_matcher__descriptor);
        m->matcher->http_code = xstrdup(smap_get_def(hc, "matcher",
                                                     "200-399"));
    }
    const struct plrec_load_balancer *lb = elb_tg_load_balancer(ctx, tg);
    if (lb) {
        OP_APPEND(m, load_balancer_arns, xstrdup(lb->arn));
    }
    m->target_type = xstrdup(tg->target_type);
    m->ip_address_type = xstrdup("ipv4");
    return m;
}

/* CreateTargetGroup: an "ip" target group, TCP or GENEVE.  Idempotent like
 * CreateLoadBalancer. */
void
op_elb_create_target_group(struct op_ctx *ctx, const ProtobufCMessage *request,
                           ProtobufCMessage *response)
{
    const Privatelink__V1__ElbCreateTargetGroupRequest *rq
        = (const void *) request;
    Privatelink__V1__ElbCreateTargetGroupResponse *rs = (void *) response;
    struct tg_spec spec = { .health_check = SMAP_INITIALIZER(
                                &spec.health_check) };

    if (elb_require(ctx, rq->name, "name")
        && elb_check_name(ctx, rq->name, false)
        && tg_parse_basics(ctx, rq, &spec)
        && tg_parse_health_check(ctx, rq, &spec)
        && elb_tags_check(ctx, rq->tags, rq->n_tags)) {
        /* CreateTargetGroup is idempotent: the same target group again is
         * no change. */
        const struct plrec_target_group *tg = tg_find_by_name(ctx, rq->name);
        if (tg && (strcmp(tg->protocol, spec.protocol)
                   || tg->port != spec.port || tg->vpc != spec.vpc
                   || !smap_equal(&tg->health_check, &spec.health_check))) {
            op_error(ctx, "DuplicateTargetGroupName", "A target group with "
                     "the same name '%s' exists, but with different "
                     "settings", rq->name);
        } else {
            tg = tg ? tg : tg_insert(ctx, &spec, rq);
            OP_APPEND(rs, target_groups, tg_to_msg(ctx, tg));
        }
    }
    smap_destroy(&spec.health_check);
}

/* Adds 'tg' to the 'n' target groups of '*tgsp' unless it is there. */
static void
tg_add_unique(const struct plrec_target_group ***tgsp, size_t *np,
              const struct plrec_target_group *tg)
{
    for (size_t i = 0; i < *np; i++) {
        if ((*tgsp)[i] == tg) {
            return;
        }
    }
    *tgsp = xrealloc(*tgsp, (*np + 1) * sizeof **tgsp);
    (*tgsp)[(*np)++] = tg;
}

/* Collects the target groups that 'rq' asks for into '*tgsp': those of
 * a load balancer's listeners, those named by ARN or by name, or all of
 * the caller's from the page's start. */
static bool
tg_collect(struct op_ctx *ctx,
           const Privatelink__V1__ElbDescribeTargetGroupsRequest *rq,
           const struct elb_page *page,
           const struct plrec_target_group ***tgsp, size_t *np)
{
    const struct plrec_target_group *tg;
    struct elb_iter iter;

    *tgsp = NULL;
    *np = 0;
    if (rq->load_balancer_arn) {
        const struct plrec_load_balancer *lb
            = elb_find_lb(ctx, rq->load_balancer_arn);
        for (size_t i = 0; lb && i < lb->n_listeners; i++) {
            tg_add_unique(tgsp, np, lb->listeners[i]->target_group);
        }
    } else if (rq->n_target_group_arns) {
        for (size_t i = 0; i < rq->n_target_group_arns; i++) {
            tg = elb_find_tg(ctx, rq->target_group_arns[i]);
            if (!tg) {
                break;
            }
            tg_add_unique(tgsp, np, tg);
        }
    } else if (rq->n_names) {
        for (size_t i = 0; i < rq->n_names; i++) {
            tg = tg_find_by_name(ctx, rq->names[i]);
            if (!tg) {
                op_error(ctx, "TargetGroupNotFound", "Target groups '[%s]' "
                         "not found", rq->names[i]);
                break;
            }
            tg_add_unique(tgsp, np, tg);
        }
    } else {
        ELB_TG_FOR_EACH (tg, ctx, page->start, &iter) {
            if (*np > page->limit) {
                break;
            }
            tg_add_unique(tgsp, np, tg);
        }
    }
    return !op_failed(ctx);
}

static int
tg_compare(const void *a_, const void *b_)
{
    const struct plrec_target_group *const *a = a_, *const *b = b_;
    return strcmp((*a)->arn, (*b)->arn);
}

/* DescribeTargetGroups: all of the caller's, those of a load balancer, or
 * those named by ARN or by name. */
void
op_elb_describe_target_groups(struct op_ctx *ctx,
                              const ProtobufCMessage *request,
                              ProtobufCMessage *response)
{
    const Privatelink__V1__ElbDescribeTargetGroupsRequest *rq
        = (const void *) request;
    Privatelink__V1__ElbDescribeTargetGroupsResponse *rs = (void *) response;
    const struct plrec_target_group **tgs = NULL;
    struct elb_page page;
    size_t n;

    if ((rq->load_balancer_arn != NULL) + !!rq->n_target_group_arns
        + !!rq->n_names > 1) {
        op_error(ctx, "ValidationError", "Target group names, target group "
                 "ARNs, and a load balancer ARN cannot be specified at the "
                 "same time");
        return;
    } else if (!elb_page_init(ctx, rq->has_page_size, rq->page_size,
                              rq->marker, &page)) {
        return;
    }
    if (tg_collect(ctx, rq, &page, &tgs, &n)) {
        qsort(tgs, n, sizeof *tgs, tg_compare);
        const char **arns = xmalloc((n + 1) * sizeof *arns);
        for (size_t i = 0; i < n; i++) {
            arns[i] = tgs[i]->arn;
        }
        size_t first;
        size_t count = elb_page_apply(&page, arns, n, &first,
                                      &rs->next_marker);
        for (size_t i = first; i < first + count; i++) {
            OP_APPEND(rs, target_groups, tg_to_msg(ctx, tgs[i]));
        }
        free(arns);
    }
    free(tgs);
    elb_page_destroy(&page);
}

/* DeleteTargetGroup, refused while a listener uses the target group. */
void
op_elb_delete_target_group(struct op_ctx *ctx, const ProtobufCMessage *request,
                           ProtobufCMessage *response OVS_UNUSED)
{
    const Privatelink__V1__ElbDeleteTargetGroupRequest *rq
        = (const void *) request;
    const char *arn = rq->target_group_arn;

    if (!elb_require(ctx, arn, "targetGroupArn")) {
        return;
    } else if (elb_arn_valid(arn, "targetgroup")
               && elb_arn_is_callers(ctx, arn)
               && !op_find_target_group(arn)) {
        /* Like DeleteLoadBalancer, deleting a target group that does not
         * exist (any more) succeeds. */
        return;
    }

    const struct plrec_target_group *tg = elb_find_tg(ctx, arn);
    if (!tg) {
        return;
    } else if (elb_tg_load_balancer(ctx, tg)) {
        op_error(ctx, "ResourceInUse", "Target group '%s' is currently in "
                 "use by a listener or a rule", arn);
        return;
    }
    op_txn(ctx);
    plrec_target_group_delete(tg);
}

/* Stores the attributes of 'tg' (with defaults) in a repeated
 * TargetGroupAttribute field. */
static void
tg_attrs_to_msg(const struct plrec_target_group *tg, const struct smap *attrs,
                Privatelink__V1__ElbTargetGroupAttribute ***msgsp, size_t *np)
{
    bool geneve = !strcmp(tg->protocol, "GENEVE");
    *np = ARRAY_SIZE(tg_attrs);
    *msgsp = xmalloc(*np * sizeof **msgsp);
    for (size_t i = 0; i < *np; i++) {
        Privatelink__V1__ElbTargetGroupAttribute *a = op_new_msg(
            &privatelink__v1__elb_target_group_attribute__descriptor);
        a->key = xstrdup(tg_attrs[i].key);
        a->value = xstrdup(smap_get_def(attrs, tg_attrs[i].key, geneve
                                        ? tg_attrs[i].geneve
                                        : tg_attrs[i].tcp));
        (*msgsp)[i] = a;
    }
}

/* DescribeTargetGroupAttributes. */
void
op_elb_describe_target_group_attributes(struct op_ctx *ctx,
                                        const ProtobufCMessage *request,
                                        ProtobufCMessage *response)
{
    const Privatelink__V1__ElbDescribeTargetGroupAttributesRequest *rq
        = (const void *) request;
    Privatelink__V1__ElbDescribeTargetGroupAttributesResponse *rs
        = (void *) response;

    const struct plrec_target_group *tg
        = (elb_require(ctx, rq->target_group_arn, "targetGroupArn")
           ? elb_find_tg(ctx, rq->target_group_arn) : NULL);
    if (tg) {
        tg_attrs_to_msg(tg, &tg->attributes, &rs->attributes,
                        &rs->n_attributes);
    }
}

/* Checks that attribute 'key' of 'tg' may be set to 'value'.  Flow
 * stickiness of a TCP target group is by source address; a GENEVE target
 * group's is by 3-tuple (source, destination, protocol) or 2-tuple. */
static bool
tg_check_attr(struct op_ctx *ctx, const struct plrec_target_group *tg,
              const char *key, const char *value)
{
    bool geneve = !strcmp(tg->protocol, "GENEVE");
    bool b;
    int n;

    if (!key || !value) {
        op_error(ctx, "ValidationError", "A target group attribute needs a "
                 "Key and a Value");
    } else if (!strcmp(key, "deregistration_delay.timeout_seconds")) {
        if (elb_parse_int(value, 0, 3600, &n)) {
            return true;
        }
        op_error(ctx, "ValidationError", "Deregistration delay '%s' must be "
                 "an integer from 0 to 3600", value);
    } else if (!strcmp(key, "stickiness.enabled")) {
        if (elb_parse_bool(value, &b)) {
            return true;
        }
        op_error(ctx, "ValidationError", "Stickiness enabled '%s' must be "
                 "'true' or 'false'", value);
    } else if (!strcmp(key, "stickiness.type")) {
        if (geneve ? (!strcmp(value, "source_ip_dest_ip_proto")
                      || !strcmp(value, "source_ip_dest_ip"))
            : !strcmp(value, "source_ip")) {
            return true;
        }
        op_error(ctx, "ValidationError", "Stickiness type '%s' is not "
                 "supported for target groups with the %s protocol: use %s",
                 value, tg->protocol, geneve
                 ? "'source_ip_dest_ip_proto' or 'source_ip_dest_ip'"
                 : "'source_ip'");
    } else {
        op_error(ctx, "ValidationError", "Target group attribute key '%s' is "
                 "not recognized", key);
    }
    return false;
}

/* ModifyTargetGroupAttributes: answers with all the attributes. */
void
op_elb_modify_target_group_attributes(struct op_ctx *ctx,
                                      const ProtobufCMessage *request,
                                      ProtobufCMessage *response)
{
    const Privatelink__V1__ElbModifyTargetGroupAttributesRequest *rq
        = (const void *) request;
    Privatelink__V1__ElbModifyTargetGroupAttributesResponse *rs
        = (void *) response;

    const struct plrec_target_group *tg
        = (elb_require(ctx, rq->target_group_arn, "targetGroupArn")
           && elb_require(ctx, rq->n_attributes, "attributes")
           ? elb_find_tg(ctx, rq->target_group_arn) : NULL);
    for (size_t i = 0; tg && i < rq->n_attributes; i++) {
        if (!tg_check_attr(ctx, tg, rq->attributes[i]->key,
                           rq->attributes[i]->value)) {
            return;
        }
    }
    if (!tg) {
        return;
    }

    struct smap attrs;
    smap_clone(&attrs, &tg->attributes);
    for (size_t i = 0; i < rq->n_attributes; i++) {
        smap_replace(&attrs, rq->attributes[i]->key,
                     rq->attributes[i]->value);
    }
    if (!smap_equal(&attrs, &tg->attributes)) {
        op_txn(ctx);
        plrec_target_group_set_attributes(tg, &attrs);
    }
    tg_attrs_to_msg(tg, &attrs, &rs->attributes, &rs->n_attributes);
    smap_destroy(&attrs);
}

/* A target of a RegisterTargets, DeregisterTargets or DescribeTargetHealth
 * request, validated. */
struct tg_target {
    char ip[INET_ADDRSTRLEN];           /* Its address (Id). */
    int port;                           /* Its port, 0 if not given. */
    const char *zone;                   /* Its zone, for registration. */
};

/* Parses the Id and Port of 'd', a target of 'tg'. */
static bool
tg_parse_target(struct op_ctx *ctx, const struct plrec_target_group *tg,
                const Privatelink__V1__ElbTargetDescription *d,
                struct tg_target *t)
{
    ovs_be32 addr;
    if (!d->id || !ip_parse(d->id, &addr)) {
        op_error(ctx, "ValidationError", "The IP address '%s' is not a valid "
                 "IPv4 address", d->id ? d->id : "");
        return false;
    } else if (d->has_port && (d->port < 1 || d->port > 65535)) {
        op_error(ctx, "ValidationError", "Port %d of target '%s' is not "
                 "valid", d->port, d->id);
        return false;
    } else if (d->has_port && !strcmp(tg->protocol, "GENEVE")
               && d->port != 6081) {
        op_error(ctx, "ValidationError", "The targets of a GENEVE target "
                 "group receive traffic on port 6081, not %d", d->port);
        return false;
    }
    inet_ntop(AF_INET, &addr, t->ip, sizeof t->ip);
    t->port = d->has_port ? d->port : 0;
    t->zone = NULL;
    return true;
}

/* Returns true if 'subnet' holds address 'addr'. */
static bool
tg_subnet_contains(const struct plrec_subnet *subnet, ovs_be32 addr)
{
    struct cidr4 cidr;
    char *error = cidr4_parse(subnet->cidr_block, &cidr);
    bool contains = !error && cidr4_contains_ip(&cidr, addr);
    free(error);
    return contains;
}

/* Finds the zone of target 't' of 'tg': the zone of the subnet of the
 * target group's VPC that holds its address. */
static bool
tg_locate_target(struct op_ctx *ctx, const struct plrec_target_group *tg,
                 const Privatelink__V1__ElbTargetDescription *d,
                 struct tg_target *t)
{
    struct cidr4 cidr;
    ovs_be32 addr;
    ip_parse(t->ip, &addr);
    char *error = cidr4_parse(tg->vpc->cidr_block, &cidr);
    if (error || !cidr4_contains_ip(&cidr, addr)) {
        free(error);
        op_error(ctx, "InvalidTarget", "The following targets are not in "
                 "the target group's VPC '%s': '%s'", tg->vpc->vpc_id, t->ip);
        return false;
    }

    const struct plrec_subnet *subnet;
    PLREC_SUBNET_FOR_EACH (subnet, ctx->idl) {
        if (subnet->vpc == tg->vpc
            && tg_subnet_contains(subnet, addr)) {
            t->zone = subnet->availability_zone;
        }
    }
    if (!t->zone) {
        op_error(ctx, "InvalidTarget", "The following targets are not in a "
                 "subnet of VPC '%s': '%s'", tg->vpc->vpc_id, t->ip);
    } else if (d->availability_zone
               && strcmp(d->availability_zone, t->zone)) {
        op_error(ctx, "ValidationError", "Target '%s' is in Availability "
                 "Zone '%s', not '%s'", t->ip, t->zone,
                 d->availability_zone);
    } else {
        return true;
    }
    return false;
}

/* Returns the target of 'tg' with address 'ip' and 'port', or NULL. */
static const struct plrec_target *
tg_find_target(const struct plrec_target_group *tg, const char *ip, int port)
{
    for (size_t i = 0; i < tg->n_targets; i++) {
        const struct plrec_target *t = tg->targets[i];
        if (!strcmp(t->ip, ip) && t->port == port) {
            return t;
        }
    }
    return NULL;
}

/* Parses the 'n' targets 'ds' of a request on 'tg' into a new array;
 * 'locate' also finds their zones.  A target without a port gets the
 * target group's. */
static struct tg_target *
tg_parse_targets(struct op_ctx *ctx, const struct plrec_target_group *tg,
                 Privatelink__V1__ElbTargetDescription **ds, size_t n,
                 bool locate)
{
    struct tg_target *ts = xmalloc((n + 1) * sizeof *ts);
    for (size_t i = 0; i < n; i++) {
        if (!tg_parse_target(ctx, tg, ds[i], &ts[i])
            || (locate && !tg_locate_target(ctx, tg, ds[i], &ts[i]))) {
            free(ts);
            return NULL;
        }
        ts[i].port = ts[i].port ? ts[i].port : tg->port;
    }
    return ts;
}

/* Inserts target 't' of 'tg', which serves 'lb' (or no load balancer). */
static struct plrec_target *
tg_insert_target(struct op_ctx *ctx, const struct plrec_load_balancer *lb,
                 const struct tg_target *t)
{
    bool usable = lb && elb_lb_has_zone(lb, t->zone);
    const struct plrec_target *row = plrec_target_insert(op_txn(ctx));
    plrec_target_set_ip(row, t->ip);
    plrec_target_set_port(row, t->port);
    plrec_target_set_availability_zone(row, t->zone);
    plrec_target_set_health_state(row, usable ? "initial" : "unused");
    plrec_target_set_health_reason(row, (usable ? "Elb.RegistrationInProgress"
                                         : "Target.NotInUse"));
    return CONST_CAST(struct plrec_target *, row);
}

/* RegisterTargets: addresses in subnets of the target group's VPC. */
void
op_elb_register_targets(struct op_ctx *ctx, const ProtobufCMessage *request,
                        ProtobufCMessage *response OVS_UNUSED)
{
    const Privatelink__V1__ElbRegisterTargetsRequest *rq
        = (const void *) request;
    const struct plrec_target_group *tg
        = (elb_require(ctx, rq->target_group_arn, "targetGroupArn")
           && elb_require(ctx, rq->n_targets, "targets")
           ? elb_find_tg(ctx, rq->target_group_arn) : NULL);
    struct tg_target *ts = (tg ? tg_parse_targets(ctx, tg, rq->targets,
                                                  rq->n_targets, true)
                            : NULL);
    if (!ts) {
        return;
    }

    /* Registering a registered target again changes nothing. */
    size_t n = tg->n_targets;
    struct plrec_target **rows = xmalloc((n + rq->n_targets) * sizeof *rows);
    memcpy(rows, tg->targets, n * sizeof *rows);
    const struct plrec_load_balancer *lb = elb_tg_load_balancer(ctx, tg);
    for (size_t i = 0; i < rq->n_targets; i++) {
        bool seen = tg_find_target(tg, ts[i].ip, ts[i].port);
        for (size_t j = 0; j < i && !seen; j++) {
            seen = !strcmp(ts[i].ip, ts[j].ip) && ts[i].port == ts[j].port;
        }
        if (!seen && n >= TG_MAX_TARGETS) {
            op_error(ctx, "TooManyTargets", "You've reached the limit of %d "
                     "targets in target group '%s'", TG_MAX_TARGETS, tg->arn);
            break;
        } else if (!seen) {
            rows[n++] = tg_insert_target(ctx, lb, &ts[i]);
        }
    }
    if (!op_failed(ctx) && n > tg->n_targets) {
        plrec_target_group_set_targets(tg, rows, n);
    }
    free(rows);
    free(ts);
}

/* DeregisterTargets. */
void
op_elb_deregister_targets(struct op_ctx *ctx, const ProtobufCMessage *request,
                          ProtobufCMessage *response OVS_UNUSED)
{
    const Privatelink__V1__ElbDeregisterTargetsRequest *rq
        = (const void *) request;
    const struct plrec_target_group *tg
        = (elb_require(ctx, rq->target_group_arn, "targetGroupArn")
           && elb_require(ctx, rq->n_targets, "targets")
           ? elb_find_tg(ctx, rq->target_group_arn) : NULL);
    struct tg_target *ts = (tg ? tg_parse_targets(ctx, tg, rq->targets,
                                                  rq->n_targets, false)
                            : NULL);
    if (!ts) {
        return;
    }
    for (size_t i = 0; i < rq->n_targets; i++) {
        if (!tg_find_target(tg, ts[i].ip, ts[i].port)) {
            op_error(ctx, "InvalidTarget", "The following targets are not "
                     "registered in target group '%s': 'Id=%s,Port=%d'",
                     tg->arn, ts[i].ip, ts[i].port);
            free(ts);
            return;
        }
    }

    /* Targets leave at once: there is no draining here. */
    struct plrec_target **rows = xmalloc((tg->n_targets + 1) * sizeof *rows);
    size_t n = 0;
    for (size_t i = 0; i < tg->n_targets; i++) {
        const struct plrec_target *t = tg->targets[i];
        bool drop = false;
        for (size_t j = 0; j < rq->n_targets && !drop; j++) {
            drop = !strcmp(t->ip, ts[j].ip) && t->port == ts[j].port;
        }
        if (!drop) {
            rows[n++] = tg->targets[i];
        }
    }
    op_txn(ctx);
    plrec_target_group_set_targets(tg, rows, n);
    free(rows);
    free(ts);
}

/* Returns AWS's description of health reason 'reason' of a target of
 * target group 'tg', which serves 'lb' (or no load balancer). */
static const char *
tg_reason_description(const char *reason,
                      const struct plrec_load_balancer *lb)
{
    static const struct {
        const char *reason;
        const char *description;
    } reasons[] = {
        { "Elb.RegistrationInProgress", "Target registration is in progress" },
        { "Elb.InitialHealthChecking", "Initial health checks in progress" },
        { "Elb.InternalError", "Health checks failed due to an internal "
          "error" },
        { "Target.Timeout", "Connection to target timed out" },
        { "Target.FailedHealthChecks", "Health checks failed" },
        { "Target.ResponseCodeMismatch", "Health checks failed with "
          "unexpected response codes" },
        { "Target.DeregistrationInProgress", "Target deregistration is in "
          "progress" },
        { "Target.NotRegistered", "Target is not registered to the target "
          "group" },
        { "Target.HealthCheckDisabled", "Health checks are disabled" },
    };
    if (reason && !strcmp(reason, "Target.NotInUse")) {
        return (lb ? "Target is in an Availability Zone that is not enabled "
                "for the load balancer"
                : "Target group is not configured to receive traffic from "
                "the load balancer");
    }
    for (size_t i = 0; reason && i < ARRAY_SIZE(reasons); i++) {
        if (!strcmp(reasons[i].reason, reason)) {
            return reasons[i].description;
        }
    }
    return NULL;
}

/* Returns the TargetHealthDescription of target 'ip':'port' in zone 'zone'
 * (NULL if unknown), whose health is 'state' with 'reason' (may be NULL). */
static Privatelink__V1__ElbTargetHealthDescription *
tg_health_to_msg(const struct plrec_target_group *tg,
                 const struct plrec_load_balancer *lb, const char *ip,
                 int port, const char *zone, const char *state,
                 const char *reason)
{
    Privatelink__V1__ElbTargetHealthDescription *m = op_new_msg(
        &privatelink__v1__elb_target_health_description__descriptor);
    m->target = op_new_msg(
        &privatelink__v1__elb_target_description__descriptor);
    m->target->id = xstrdup(ip);
    OP_SET(m->target, port, port);
    m->target->availability_zone = op_strdup(zone);
    if (strcmp(state, "unused")) {
        const char *hc_port = smap_get_def(&tg->health_check, "port",
                                           "traffic-port");
        m->health_check_port = (!strcmp(hc_port, "traffic-port")
                                ? xasprintf("%d", port) : xstrdup(hc_port));
    }
    m->target_health
        = op_new_msg(&privatelink__v1__elb_target_health__descriptor);
    m->target_health->state = xstrdup(state);
    if (strcmp(state, "healthy")) {
        m->target_health->reason = op_strdup(reason);
        m->target_health->description
            = op_strdup(tg_reason_description(reason, lb));
    }
    return m;
}

/* Returns the health description of registered target 't' of 'tg'.  What
 * the target's health checker wrote applies only while the target can
 * receive traffic; otherwise it is "unused". */
static Privatelink__V1__ElbTargetHealthDescription *
tg_target_health(const struct plrec_target_group *tg,
                 const struct plrec_load_balancer *lb,
                 const struct plrec_target *t)
{
    bool usable = lb && elb_lb_has_zone(lb, t->availability_zone);
    const char *state = t->health_state;
    const char *reason = t->health_reason;
    if (!usable) {
        state = "unused";
        reason = "Target.NotInUse";
    } else if (!strcmp(state, "unused")) {
        state = "initial";
        reason = "Elb.RegistrationInProgress";
    }
    return tg_health_to_msg(tg, lb, t->ip, t->port, t->availability_zone,
                            state, reason);
}

static int
tg_target_compare(const void *a_, const void *b_)
{
    const struct plrec_target *const *a = a_, *const *b = b_;
    ovs_be32 x, y;
    ip_parse((*a)->ip, &x);
    ip_parse((*b)->ip, &y);
    return (ntohl(x) != ntohl(y) ? (ntohl(x) < ntohl(y) ? -1 : 1)
            : (*a)->port < (*b)->port ? -1 : (*a)->port > (*b)->port);
}

/* DescribeTargetHealth: every target of the group, sorted by address and
 * port, or the targets asked for (an unregistered one is "unused",
 * Target.NotRegistered). */
void
op_elb_describe_target_health(struct op_ctx *ctx,
                              const ProtobufCMessage *request,
                              ProtobufCMessage *response)
{
    const Privatelink__V1__ElbDescribeTargetHealthRequest *rq
        = (const void *) request;
    Privatelink__V1__ElbDescribeTargetHealthResponse *rs = (void *) response;
    const struct plrec_target_group *tg
        = (elb_require(ctx, rq->target_group_arn, "targetGroupArn")
           ? elb_find_tg(ctx, rq->target_group_arn) : NULL);
    struct tg_target *ts = (tg ? tg_parse_targets(ctx, tg, rq->targets,
                                                  rq->n_targets, false)
                            : NULL);
    if (!ts) {
        return;
    }

    const struct plrec_load_balancer *lb = elb_tg_load_balancer(ctx, tg);
    struct plrec_target **rows = xmalloc((tg->n_targets + 1) * sizeof *rows);
    memcpy(rows, tg->targets, tg->n_targets * sizeof *rows);
    qsort(rows, tg->n_targets, sizeof *rows, tg_target_compare);
    for (size_t i = 0; i < rq->n_targets; i++) {
        const struct plrec_target *t = tg_find_target(tg, ts[i].ip,
                                                      ts[i].port);
        OP_APPEND(rs, target_health_descriptions,
                  (t ? tg_target_health(tg, lb, t)
                   : tg_health_to_msg(tg, lb, ts[i].ip, ts[i].port, NULL,
                                      "unused", "Target.NotRegistered")));
    }
    for (size_t i = 0; !rq->n_targets && i < tg->n_targets; i++) {
        OP_APPEND(rs, target_health_descriptions,
                  tg_target_health(tg, lb, rows[i]));
    }
    free(rows);
    free(ts);
}
