/*
 * op-elb-listener.c: Elastic Load Balancing v2 listeners (CreateListener,
 * DescribeListeners, DeleteListener).
 *
 * A listener says what its load balancer accepts and which target group
 * it forwards it to.  A Network Load Balancer's listeners are TCP, one per
 * port: a connection to port P of an interface endpoint goes to the
 * target group of the listener on port P.  A Gateway Load Balancer has
 * one listener, which takes all IP traffic and sends it GENEVE-
 * encapsulated (UDP port 6081) to the appliances of its target group; as
 * on AWS it is created without protocol or port and shown without them,
 * and the database records it as protocol GENEVE, port 0.
 *
 * A target group serves at most one load balancer and must be in its VPC
 * with the listener's protocol.  Creating or deleting a listener changes
 * whether the target group's targets can receive traffic, so their health
 * state follows ("unused" without a listener, "initial" again once one
 * forwards to them).
 */
#include <config.h>

#include <stdlib.h>
#include <string.h>

#include "lib/plink-idl.h"
#include "op-elb-util.h"
#include "op-util.h"
#include "ops.h"
#include "util.h"

/* A listener that CreateListener was asked for, validated. */
struct listener_spec {
    const struct plrec_load_balancer *lb;   /* Its load balancer. */
    const char *protocol;                   /* "TCP" or "GENEVE". */
    int port;                               /* TCP port, 0 for GENEVE. */
    const struct plrec_target_group *tg;    /* Its forward action's. */
};

/* Checks Protocol and Port of 'rq' for load balancer 'spec->lb'. */
static bool
listener_parse_protocol(struct op_ctx *ctx,
                        const Privatelink__V1__ElbCreateListenerRequest *rq,
                        struct listener_spec *spec)
{
    if (elb_is_gateway(spec->lb)) {
        spec->protocol = "GENEVE";
        spec->port = 0;
        if (rq->protocol && strcmp(rq->protocol, "GENEVE")) {
            op_error(ctx, "ValidationError", "Gateway Load Balancer "
                     "listeners take no protocol (they listen for GENEVE), "
                     "not '%s'", rq->protocol);
            return false;
        } else if (rq->has_port && rq->port != 6081) {
            op_error(ctx, "ValidationError", "Gateway Load Balancer "
                     "listeners take no port (they listen on port 6081), "
                     "not %d", rq->port);
            return false;
        }
        return true;
    }

    if (!elb_require(ctx, rq->protocol, "protocol")
        || !elb_require(ctx, rq->has_port, "port")) {
        return false;
    } else if (strcmp(rq->protocol, "TCP")) {
        op_error(ctx, "UnsupportedProtocol", "Protocol '%s' is not supported "
                 "for Network Load Balancer listeners here: only 'TCP'",
                 rq->protocol);
        return false;
    } else if (rq->port < 1 || rq->port > 65535) {
        op_error(ctx, "ValidationError", "1 validation error detected: "
                 "Value '%d' at 'port' failed to satisfy constraint: Member "
                 "must have value between 1 and 65535", rq->port);
        return false;
    }
    spec->protocol = "TCP";
    spec->port = rq->port;
    return true;
}

/* Returns the ARN of the one target group the forward action 'a' names,
 * or NULL after failing 'ctx'. */
static const char *
listener_action_tg(struct op_ctx *ctx, const Privatelink__V1__ElbAction *a)
{
    const char *arn = a->target_group_arn;
    const Privatelink__V1__ElbForwardActionConfig *fc = a->forward_config;

    if (!a->type_ || strcmp(a->type_, "forward")) {
        op_error(ctx, "InvalidLoadBalancerAction", "Action type '%s' is not "
                 "supported by Network and Gateway Load Balancers: only "
                 "'forward'", a->type_ ? a->type_ : "");
        return NULL;
    } else if (fc && fc->n_target_groups != 1) {
        op_error(ctx, "ValidationError", "A forward action must name exactly "
                 "one target group");
        return NULL;
    } else if (fc && arn && strcmp(fc->target_groups[0]->target_group_arn
                                   ? fc->target_groups[0]->target_group_arn
                                   : "", arn)) {
        op_error(ctx, "ValidationError", "TargetGroupArn and ForwardConfig "
                 "name different target groups");
        return NULL;
    }
    arn = arn ? arn : fc ? fc->target_groups[0]->target_group_arn : NULL;
    if (!arn) {
        op_error(ctx, "ValidationError", "A forward action must specify a "
                 "target group");
    }
    return arn;
}

/* Checks DefaultActions of 'rq': one forward action to a target group
 * that 'spec->lb' may use. */
static bool
listener_parse_action(struct op_ctx *ctx,
                      const Privatelink__V1__ElbCreateListenerRequest *rq,
                      struct listener_spec *spec)
{
    if (rq->n_default_actions != 1) {
        op_error(ctx, "ValidationError", "A listener must have exactly one "
                 "default action, not %"PRIuSIZE, rq->n_default_actions);
        return false;
    }
    const char *arn = listener_action_tg(ctx, rq->default_actions[0]);
    const struct plrec_target_group *tg = arn ? elb_find_tg(ctx, arn) : NULL;
    if (!tg) {
        return false;
    }

    const struct plrec_load_balancer *other = elb_tg_load_balancer(ctx, tg);
    if (tg->vpc != spec->lb->vpc) {
        op_error(ctx, "InvalidConfigurationRequest", "Target group '%s' is "
                 "not in the VPC of load balancer '%s'", tg->arn,
                 spec->lb->arn);
    } else if (strcmp(tg->protocol, spec->protocol)) {
        op_error(ctx, "IncompatibleProtocols", "Listener protocol '%s' is "
                 "not compatible with target group protocol '%s'",
                 spec->protocol, tg->protocol);
    } else if (other && other != spec->lb) {
        op_error(ctx, "TargetGroupAssociationLimit", "The following target "
                 "groups cannot be associated with more than one load "
                 "balancer: '%s'", tg->arn);
    } else {
        spec->tg = tg;
        return true;
    }
    return false;
}

/* Validates the whole request 'rq' into 'spec'. */
static bool
listener_spec_parse(struct op_ctx *ctx,
                    const Privatelink__V1__ElbCreateListenerRequest *rq,
                    struct listener_spec *spec)
{
    memset(spec, 0, sizeof *spec);
    if (!elb_require(ctx, rq->load_balancer_arn, "loadBalancerArn")
        || !(spec->lb = elb_find_lb(ctx, rq->load_balancer_arn))
        || !listener_parse_protocol(ctx, rq, spec)) {
        return false;
    } else if (rq->ssl_policy || rq->n_certificates || rq->n_alpn_policy
               || rq->mutual_authentication) {
        op_error(ctx, "ValidationError", "Certificates, SSL and ALPN "
                 "policies and mutual authentication apply to TLS listeners, "
                 "which are not supported here");
        return false;
    } else if (rq->n_tags) {
        op_error(ctx, "ValidationError", "Tags on listeners are not "
                 "supported here");
        return false;
    }
    return listener_parse_action(ctx, rq, spec);
}

/* Returns the listener of 'lb' on 'port' (any listener of a Gateway Load
 * Balancer, which has only one), or NULL. */
static const struct plrec_listener *
listener_find_port(const struct plrec_load_balancer *lb, int port)
{
    for (size_t i = 0; i < lb->n_listeners; i++) {
        if (elb_is_gateway(lb) || lb->listeners[i]->port == port) {
            return lb->listeners[i];
        }
    }
    return NULL;
}

/* Inserts the listener 'spec' describes. */
static const struct plrec_listener *
listener_insert(struct op_ctx *ctx, const struct listener_spec *spec)
{
    const struct plrec_load_balancer *lb = spec->lb;
    const char *type = strstr(lb->arn, ":loadbalancer/");
    char *id = elb_random_id();
    char *arn = xasprintf("%.*s:listener/%s/%s", (int) (type - lb->arn),
                          lb->arn, type + strlen(":loadbalancer/"), id);

    const struct plrec_listener *l = plrec_listener_insert(op_txn(ctx));
    plrec_listener_set_arn(l, arn);
    plrec_listener_set_protocol(l, spec->protocol);
    plrec_listener_set_port(l, spec->port);
    plrec_listener_set_target_group(l, spec->tg);

    struct plrec_listener **ls = xmalloc((lb->n_listeners + 1) * sizeof *ls);
    memcpy(ls, lb->listeners, lb->n_listeners * sizeof *ls);
    ls[lb->n_listeners] = CONST_CAST(struct plrec_listener *, l);
    plrec_load_balancer_set_listeners(lb, ls, lb->n_listeners + 1);
    free(ls);

    elb_tg_refresh_health(ctx, spec->tg, lb);
    free(arn);
    free(id);
    return l;
}

/* Returns the Listener message of 'l', a listener of 'lb'.  A Gateway Load
 * Balancer's listener has no protocol or port to show. */
static Privatelink__V1__ElbListener *
listener_to_msg(const struct plrec_load_balancer *lb,
                const struct plrec_listener *l)
{
    Privatelink__V1__ElbListener *m
        = op_new_msg(&privatelink__v1__elb_listener__descriptor);
    m->listener_arn = xstrdup(l->arn);
    m->load_balancer_arn = xstrdup(lb->arn);
    if (!elb_is_gateway(lb)) {
        m->protocol = xstrdup(l->protocol);
        OP_SET(m, port, l->port);
    }

    Privatelink__V1__ElbAction *a
        = op_new_msg(&privatelink__v1__elb_action__descriptor);
    a->type_ = xstrdup("forward");
    a->target_group_arn = xstrdup(l->target_group->arn);
    a->forward_config
        = op_new_msg(&privatelink__v1__elb_forward_action_config__descriptor);
    Privatelink__V1__ElbTargetGroupTuple *t
        = op_new_msg(&privatelink__v1__elb_target_group_tuple__descriptor);
    t->target_group_arn = xstrdup(l->target_group->arn);
    OP_SET(t, weight, 1);
    OP_APPEND(a->forward_config, target_groups, t);
    a->forward_config->target_group_stickiness_config = op_new_msg(
        &privatelink__v1__elb_target_group_stickiness_config__descriptor);
    OP_SET(a->forward_config->target_group_stickiness_config, enabled, false);
    OP_APPEND(m, default_actions, a);
    return m;
}

/* CreateListener: one per port of a Network Load Balancer, one for a
 * Gateway Load Balancer. */
void
op_elb_create_listener(struct op_ctx *ctx, const ProtobufCMessage *request,
                       ProtobufCMessage *response)
{
    const Privatelink__V1__ElbCreateListenerRequest *rq
        = (const void *) request;
    Privatelink__V1__ElbCreateListenerResponse *rs = (void *) response;
    struct listener_spec spec;

    if (!listener_spec_parse(ctx, rq, &spec)) {
        return;
    }

    /* CreateListener is idempotent: the same listener again is no
     * change. */
    const struct plrec_listener *l = listener_find_port(spec.lb, spec.port);
    if (l && l->target_group != spec.tg) {
        op_error(ctx, "DuplicateListener", "A listener already exists on "
                 "this port for load balancer '%s'", spec.lb->arn);
        return;
    } else if (!l) {
        l = listener_insert(ctx, &spec);
    }
    OP_APPEND(rs, listeners, listener_to_msg(spec.lb, l));
}

/* A listener and its load balancer. */
struct listener_ref {
    const struct plrec_load_balancer *lb;
    const struct plrec_listener *l;
};

static int
listener_ref_compare(const void *a_, const void *b_)
{
    const struct listener_ref *a = a_, *b = b_;
    return strcmp(a->l->arn, b->l->arn);
}

/* Collects the listeners that 'rq' asks for into '*refsp'. */
static bool
listener_collect(struct op_ctx *ctx,
                 const Privatelink__V1__ElbDescribeListenersRequest *rq,
                 struct listener_ref **refsp, size_t *np)
{
    struct listener_ref *refs = NULL;
    size_t n = 0;

    if (rq->load_balancer_arn) {
        const struct plrec_load_balancer *lb
            = elb_find_lb(ctx, rq->load_balancer_arn);
        if (lb) {
            refs = xmalloc((lb->n_listeners + 1) * sizeof *refs);
            for (; n < lb->n_listeners; n++) {
                refs[n] = (struct listener_ref) { lb, lb->listeners[n] };
            }
        }
    } else {
        refs = xmalloc(rq->n_listener_arns * sizeof *refs);
        for (size_t i = 0; i < rq->n_listener_arns && !op_failed(ctx); i++) {
            struct listener_ref r;
            r.l = elb_find_listener(ctx, rq->listener_arns[i], &r.lb);
            size_t j = 0;
            while (r.l && j < n && refs[j].l != r.l) {
                j++;
            }
            if (r.l && j == n) {
                refs[n++] = r;
            }
        }
    }
    qsort(refs, n, sizeof *refs, listener_ref_compare);
    *refsp = refs;
    *np = n;
    return !op_failed(ctx);
}

/* DescribeListeners: the listeners of a load balancer or those named by
 * ARN. */
void
op_elb_describe_listeners(struct op_ctx *ctx, const ProtobufCMessage *request,
                          ProtobufCMessage *response)
{
    const Privatelink__V1__ElbDescribeListenersRequest *rq
        = (const void *) request;
    Privatelink__V1__ElbDescribeListenersResponse *rs = (void *) response;
    struct listener_ref *refs = NULL;
    struct elb_page page;
    size_t n;

    if (!rq->load_balancer_arn == !rq->n_listener_arns) {
        op_error(ctx, "ValidationError", "You must specify either listener "
                 "ARNs or a load balancer ARN, not both");
        return;
    } else if (!elb_page_init(ctx, rq->has_page_size, rq->page_size,
                              rq->marker, &page)) {
        return;
    }
    if (listener_collect(ctx, rq, &refs, &n)) {
        const char **arns = xmalloc((n + 1) * sizeof *arns);
        for (size_t i = 0; i < n; i++) {
            arns[i] = refs[i].l->arn;
        }
        size_t first;
        size_t count = elb_page_apply(&page, arns, n, &first,
                                      &rs->next_marker);
        for (size_t i = first; i < first + count; i++) {
            OP_APPEND(rs, listeners, listener_to_msg(refs[i].lb, refs[i].l));
        }
        free(arns);
    }
    free(refs);
    elb_page_destroy(&page);
}

/* DeleteListener. */
void
op_elb_delete_listener(struct op_ctx *ctx, const ProtobufCMessage *request,
                       ProtobufCMessage *response OVS_UNUSED)
{
    const Privatelink__V1__ElbDeleteListenerRequest *rq
        = (const void *) request;
    const struct plrec_load_balancer *lb;
    const struct plrec_listener *l
        = (elb_require(ctx, rq->listener_arn, "listenerArn")
           ? elb_find_listener(ctx, rq->listener_arn, &lb) : NULL);
    if (!l) {
        return;
    }

    const struct plrec_target_group *tg = l->target_group;
    struct plrec_listener **ls = xmalloc(lb->n_listeners * sizeof *ls);
    size_t n = 0;
    for (size_t i = 0; i < lb->n_listeners; i++) {
        if (lb->listeners[i] != l) {
            ls[n++] = lb->listeners[i];
        }
    }
    op_txn(ctx);
    plrec_load_balancer_set_listeners(lb, ls, n);
    plrec_listener_delete(l);
    free(ls);

    /* The target group may still serve another listener of 'lb'. */
    elb_tg_refresh_health(ctx, tg, elb_tg_load_balancer(ctx, tg));
}
