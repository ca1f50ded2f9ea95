/*
 * pl-endpoint.c: VPC endpoints as the operations see them (see
 * pl-endpoint.h).
 */
#include <config.h>
#include "pl-endpoint.h"

#include <stdlib.h>
#include <string.h>

#include "eni.h"
#include "lib/plink-idl.h"
#include "op-util.h"
#include "openvswitch/json.h"
#include "ops.h"
#include "ovsdb-idl.h"
#include "pl-service.h"
#include "smap.h"
#include "util.h"

/* The DNS zone of endpoint names: "<region>.vpce.amazonaws.com". */
static char *
ept_zone(const struct op_ctx *ctx)
{
    return xasprintf("%s.vpce.amazonaws.com",
                     ctx->global ? ctx->global->region : "us-east-1");
}

/* Fills 'entries' (DNS name -> hosted zone id) with the names of endpoint
 * 'ept_id' of 'svc' in the 'n_azs' zones 'azs': the regional name, one
 * zonal name per zone, and, with 'private_dns', the service's private
 * name. */
void
ept_compute_dns_entries(const struct op_ctx *ctx, const char *ept_id,
                        const char *suffix,
                        const struct plrec_endpoint_service *svc,
                        const char **azs, size_t n_azs, bool private_dns,
                        struct smap *entries)
{
    char *zone = ept_zone(ctx);
    const char *label = svc_dns_label(svc);

    char *regional = xasprintf("%s-%s.%s.%s", ept_id, suffix, label, zone);
    smap_replace(entries, regional, EPT_VPCE_ZONE);
    free(regional);
    for (size_t i = 0; i < n_azs; i++) {
        char *name = xasprintf("%s-%s-%s.%s.%s", ept_id, suffix, azs[i],
                               label, zone);
        smap_replace(entries, name, EPT_VPCE_ZONE);
        free(name);
    }
    if (private_dns && svc->private_dns_name) {
        smap_replace(entries, svc->private_dns_name, EPT_PRIVATE_ZONE);
    }
    free(zone);
}

/* Returns the sort class of DNS entry 'name' of an endpoint: regional
 * names first, then zonal ones, then private names, as AWS lists them. */
static int
ept_dns_class(const struct smap_node *node)
{
    if (strcmp(node->value, EPT_VPCE_ZONE)) {
        return 2;
    }
    const char *dot = strchr(node->key, '.');
    const char *dash = strchr(node->key, '-');
    dash = dash ? strchr(dash + 1, '-') : NULL;
    return dash && dash < dot && strchr(dash + 1, '-') < dot ? 1 : 0;
}

static int
ept_dns_compare(const void *a_, const void *b_)
{
    const struct smap_node *const *a = a_, *const *b = b_;
    int ca = ept_dns_class(*a), cb = ept_dns_class(*b);
    return ca != cb ? ca - cb : strcmp((*a)->key, (*b)->key);
}

/* Stores the DNS entries of 'ept' as a DnsEntry list, in AWS's order. */
void
ept_dns_entries_to_msg(const struct plrec_vpc_endpoint *ept,
                       Privatelink__V1__DnsEntry ***entriesp, size_t *np)
{
    size_t n = smap_count(&ept->dns_entries);
    const struct smap_node **nodes = smap_sort(&ept->dns_entries);
    qsort(nodes, n, sizeof *nodes, ept_dns_compare);

    *np = n;
    *entriesp = n ? xmalloc(n * sizeof **entriesp) : NULL;
    for (size_t i = 0; i < n; i++) {
        Privatelink__V1__DnsEntry *e
            = op_new_msg(&privatelink__v1__dns_entry__descriptor);
        e->dns_name = xstrdup(nodes[i]->key);
        e->hosted_zone_id = xstrdup(nodes[i]->value);
        (*entriesp)[i] = e;
    }
    free(nodes);
}

/* Adds the ids of 'ept''s route tables, subnets and ENIs to 'm'. */
static void
ept_ids_to_msg(const struct plrec_vpc_endpoint *ept,
               Privatelink__V1__VpcEndpoint *m)
{
    for (size_t i = 0; i < ept->n_route_tables; i++) {
        OP_APPEND(m, route_table_ids,
                  xstrdup(ept->route_tables[i]->route_table_id));
    }
    for (size_t i = 0; i < ept->n_subnets; i++) {
        OP_APPEND(m, subnet_ids, xstrdup(ept->subnets[i]->subnet_id));
    }
    for (size_t i = 0; i < ept->n_network_interfaces; i++) {
        OP_APPEND(m, network_interface_ids,
                  xstrdup(ept->network_interfaces[i]->network_interface_id));
    }
    for (size_t i = 0; i < ept->n_security_groups; i++) {
        Privatelink__V1__SecurityGroupIdentifier *g = op_new_msg(
            &privatelink__v1__security_group_identifier__descriptor);
        g->group_id = xstrdup(ept->security_groups[i]->group_id);
        g->group_name = xstrdup(ept->security_groups[i]->group_name);
        OP_APPEND(m, groups, g);
    }
}

/* Returns the VpcEndpoint message of 'ept', as DescribeVpcEndpoints shows
 * it to its owner. */
Privatelink__V1__VpcEndpoint *
ept_to_msg(const struct op_ctx *ctx, const struct plrec_vpc_endpoint *ept)
{
    Privatelink__V1__VpcEndpoint *m
        = op_new_msg(&privatelink__v1__vpc_endpoint__descriptor);
    m->vpc_endpoint_id = xstrdup(ept->vpc_endpoint_id);
    m->vpc_endpoint_type = xstrdup(ept->vpc_endpoint_type);
    m->vpc_id = xstrdup(ept->vpc->vpc_id);
    m->service_name = xstrdup(ept->service_name);
    m->state = xstrdup(ept->state);
    m->policy_document = op_strdup(ept->policy_document);
    ept_ids_to_msg(ept, m);
    m->ip_address_type = xstrdup(ept->ip_address_type);

    Privatelink__V1__DnsOptions *dns
        = op_new_msg(&privatelink__v1__dns_options__descriptor);
    dns->dns_record_ip_type = xstrdup(ept->dns_record_ip_type);
    OP_SET(dns, private_dns_only_for_inbound_resolver_endpoint, false);
    m->dns_options = dns;

    OP_SET(m, private_dns_enabled, ept->private_dns_enabled);
    OP_SET(m, requester_managed, false);
    ept_dns_entries_to_msg(ept, &m->dns_entries, &m->n_dns_entries);
    m->creation_timestamp = op_format_timestamp(ept->creation_timestamp);
    op_tags_to_msg(&ept->tags, &m->tags, &m->n_tags);
    m->owner_id = xstrdup(ept->owner_id);
    if (ept->last_error_code) {
        Privatelink__V1__LastError *e
            = op_new_msg(&privatelink__v1__last_error__descriptor);
        e->code = xstrdup(ept->last_error_code);
        e->message = op_strdup(ept->last_error_message);
        m->last_error = e;
    }
    m->service_region = xstrdup(ctx->global ? ctx->global->region
                                            : "us-east-1");
    return m;
}

/* Returns the VpcEndpointConnection message of 'ept', as the provider of
 * its service sees it. */
Privatelink__V1__VpcEndpointConnection *
ept_to_connection(const struct op_ctx *ctx,
                  const struct plrec_vpc_endpoint *ept)
{
    Privatelink__V1__VpcEndpointConnection *c
        = op_new_msg(&privatelink__v1__vpc_endpoint_connection__descriptor);
    const struct plrec_endpoint_service *svc = ept->service;

    c->service_id = xstrdup(svc ? svc->service_id : "");
    c->vpc_endpoint_id = xstrdup(ept->vpc_endpoint_id);
    c->vpc_endpoint_owner = xstrdup(ept->owner_id);
    c->vpc_endpoint_state = xstrdup(ept->state);
    c->creation_timestamp = op_format_timestamp(ept->creation_timestamp);
    ept_dns_entries_to_msg(ept, &c->dns_entries, &c->n_dns_entries);
    for (size_t i = 0; svc && i < svc->n_network_load_balancers; i++) {
        OP_APPEND(c, network_load_balancer_arns,
                  xstrdup(svc->network_load_balancers[i]->arn));
    }
    for (size_t i = 0; svc && i < svc->n_gateway_load_balancers; i++) {
        OP_APPEND(c, gateway_load_balancer_arns,
                  xstrdup(svc->gateway_load_balancers[i]->arn));
    }
    c->ip_address_type = xstrdup(ept->ip_address_type);
    c->vpc_endpoint_connection_id = xstrdup(ept->connection_id);
    c->vpc_endpoint_region = xstrdup(ctx->global ? ctx->global->region
                                                 : "us-east-1");
    return c;
}

/* Returns the next sequence number of the notification outbox. */
static int64_t
ept_next_outbox_seq(struct ovsdb_idl *idl)
{
    int64_t seq = 0;
    const struct plrec_notification_outbox *o;
    PLREC_NOTIFICATION_OUTBOX_FOR_EACH (o, idl) {
        seq = MAX(seq, o->seq);
    }
    return seq + 1;
}

/* Returns the message AWS publishes to a topic for connection event
 * 'event' of 'ept', now in 'state'. */
static char *
ept_event_message(const struct op_ctx *ctx,
                  const struct plrec_vpc_endpoint *ept,
                  const struct plrec_endpoint_service *svc,
                  const char *event, const char *state)
{
    struct json *j = json_object_create();
    json_object_put_string(j, "eventType", event);
    json_object_put_string(j, "vpcEndpointId", ept->vpc_endpoint_id);
    json_object_put_string(j, "vpcEndpointOwner", ept->owner_id);
    json_object_put_string(j, "vpcEndpointState", state);
    json_object_put_string(j, "serviceId", svc ? svc->service_id : "");
    json_object_put_string(j, "serviceName", ept->service_name);
    json_object_put_string(j, "region", ctx->global ? ctx->global->region
                                                    : "us-east-1");
    json_object_put(j, "timestamp",
                    json_string_create_nocopy(op_format_timestamp(ctx->now)));
    char *s = json_to_string(j, JSSF_SORT);
    json_destroy(j);
    return s;
}

/* Returns true if notification 'n' wants 'event'. */
static bool
ept_wants_event(const struct plrec_connection_notification *n,
                const char *event)
{
    if (strcmp(n->state, "Enabled")) {
        return false;
    }
    for (size_t i = 0; i < n->n_events; i++) {
        if (!strcmp(n->events[i], event)) {
            return true;
        }
    }
    return false;
}

/* Queues connection event 'event' of 'ept' (now in 'state') for every
 * enabled notification on the endpoint or on its service 'svc' that wants
 * it, in the call's transaction: the event is written with the state
 * change or not at all. */
void
ept_notify(struct op_ctx *ctx, const struct plrec_vpc_endpoint *ept,
           const struct plrec_endpoint_service *svc, const char *event,
           const char *state)
{
    int64_t seq = 0;
    const struct plrec_connection_notification *n;
    PLREC_CONNECTION_NOTIFICATION_FOR_EACH (n, ctx->idl) {
        bool mine = (n->vpc_endpoint == ept || (svc && n->service == svc));
        if (!mine || !ept_wants_event(n, event)) {
            continue;
        }
        if (!seq) {
            seq = ept_next_outbox_seq(ctx->idl);
        }
        char *message = ept_event_message(ctx, ept, svc, event, state);
        const struct plrec_notification_outbox *o
            = plrec_notification_outbox_insert(op_txn(ctx));
        plrec_notification_outbox_set_seq(o, seq++);
        plrec_notification_outbox_set_connection_notification_id(
            o, n->connection_notification_id);
        plrec_notification_outbox_set_topic_arn(o, n->topic_arn);
        plrec_notification_outbox_set_event_type(o, event);
        plrec_notification_outbox_set_vpc_endpoint_id(o,
                                                      ept->vpc_endpoint_id);
        plrec_notification_outbox_set_message(o, message);
        plrec_notification_outbox_set_created_at(o, ctx->now);
        plrec_notification_outbox_set_next_attempt_at(o, ctx->now);
        free(message);
    }
}

/* Moves 'ept' to 'state'.  An endpoint that becomes "pending" waits for
 * the cfg of this transaction to be realized by the chassis: plinkd's
 * housekeeping then makes it "available". */
void
ept_set_state(struct op_ctx *ctx, const struct plrec_vpc_endpoint *ept,
              const char *state)
{
    op_txn(ctx);
    plrec_vpc_endpoint_set_state(ept, state);
    if (!strcmp(state, "pending") && ctx->global) {
        /* op_txn() increments cfg by one; verifying it makes the commit
         * fail (and the call run again) if another writer got there
         * first, so pending_cfg is exactly this transaction's cfg. */
        plrec_privatelink_global_verify_cfg(ctx->global);
        plrec_vpc_endpoint_set_pending_cfg(ept, ctx->global->cfg + 1);
    }
}

/* Returns true if 'ept' counts toward the per-VPC quota of interface and
 * GWLB endpoints. */
bool
ept_counts_toward_quota(const struct plrec_vpc_endpoint *ept)
{
    return (strcmp(ept->vpc_endpoint_type, "Gateway")
            && strcmp(ept->state, "rejected") && strcmp(ept->state, "deleted")
            && strcmp(ept->state, "failed"));
}

/* Removes from every route table the routes whose target is 'ept'. */
static void
ept_delete_routes(struct op_ctx *ctx, const struct plrec_vpc_endpoint *ept)
{
    const struct plrec_route_table *rt;
    PLREC_ROUTE_TABLE_FOR_EACH (rt, ctx->idl) {
        for (size_t i = 0; i < rt->n_routes; i++) {
            if (rt->routes[i]->vpc_endpoint == ept
                && !strcmp(rt->routes[i]->origin, "CreateRouteTable")) {
                plrec_route_table_update_routes_delvalue(rt, rt->routes[i]);
            }
        }
    }
}

/* Deletes 'ept' with its gateway routes and its network interfaces, and
 * raises the Delete event. */
void
ept_delete(struct op_ctx *ctx, const struct plrec_vpc_endpoint *ept)
{
    op_txn(ctx);
    ept_notify(ctx, ept, ept->service, "Delete", "deleted");
    ept_delete_routes(ctx, ept);
    for (size_t i = 0; i < ept->n_network_interfaces; i++) {
        eni_delete(ctx, ept->network_interfaces[i]);
    }
    const struct plrec_connection_notification *n;
    PLREC_CONNECTION_NOTIFICATION_FOR_EACH (n, ctx->idl) {
        if (n->vpc_endpoint == ept) {
            plrec_connection_notification_delete(n);
        }
    }
    plrec_vpc_endpoint_delete(ept);
}
