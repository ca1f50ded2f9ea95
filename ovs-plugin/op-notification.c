/*
 * op-notification.c: connection notifications:
 * CreateVpcEndpointConnectionNotification, Modify..., Delete... and
 * DescribeVpcEndpointConnectionNotifications.
 *
 * A notification watches one endpoint (its owner's) or one service (its
 * provider's) for the events Connect, Accept, Reject and Delete, and names
 * an SNS topic.  The events are queued in Notification_Outbox with the
 * state change that raises them (pl-endpoint.c, ept_notify()).
 */
#include <config.h>

#include <stdlib.h>
#include <string.h>

#include "filter.h"
#include "lib/plink-idl.h"
#include "op-util.h"
#include "ops.h"
#include "ovsdb-idl.h"
#include "pl-service.h"
#include "plink-id.h"
#include "sset.h"
#include "util.h"

static const char *const events[] = {
    "Accept", "Connect", "Delete", "Reject", NULL,
};

/* Checks an SNS topic ARN: arn:aws:sns:REGION:ACCOUNT:NAME. */
static bool
nfn_check_arn(struct op_ctx *ctx, const char *arn)
{
    const char *prefix = "arn:aws:sns:";
    const char *p = arn + strlen(prefix);
    const char *colon = strncmp(arn, prefix, strlen(prefix)) ? NULL
                        : strchr(p, ':');
    const char *colon2 = colon ? strchr(colon + 1, ':') : NULL;
    if (!colon || colon == p || !colon2 || colon2 - colon != 13
        || !colon2[1] || strchr(colon2 + 1, ':')) {
        op_error(ctx, "InvalidParameter", "The connection notification ARN "
                 "'%s' is not a valid SNS topic ARN.", arn);
        return false;
    }
    return true;
}

/* Checks the events of a request. */
static bool
nfn_check_events(struct op_ctx *ctx, char **list, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (!op_check_enum(ctx, list[i], "ConnectionEvents", events)) {
            return false;
        }
    }
    return true;
}

/* Stores the events 'list' (deduplicated) in 'nfn'. */
static void
nfn_set_events(const struct plrec_connection_notification *nfn, char **list,
               size_t n)
{
    struct sset set = SSET_INITIALIZER(&set);
    for (size_t i = 0; i < n; i++) {
        sset_add(&set, list[i]);
    }
    const char **sorted = sset_sort(&set);
    plrec_connection_notification_set_events(nfn, sorted, sset_count(&set));
    free(sorted);
    sset_destroy(&set);
}

/* Returns the ConnectionNotification message of 'nfn'. */
static Privatelink__V1__ConnectionNotification *
nfn_to_msg(const struct plrec_connection_notification *nfn)
{
    Privatelink__V1__ConnectionNotification *m
        = op_new_msg(&privatelink__v1__connection_notification__descriptor);
    m->connection_notification_id = xstrdup(nfn->connection_notification_id);
    if (nfn->service) {
        m->service_id = xstrdup(nfn->service->service_id);
    }
    if (nfn->vpc_endpoint) {
        m->vpc_endpoint_id = xstrdup(nfn->vpc_endpoint->vpc_endpoint_id);
    }
    m->connection_notification_type = xstrdup("Topic");
    m->connection_notification_arn = xstrdup(nfn->topic_arn);
    for (size_t i = 0; i < nfn->n_events; i++) {
        OP_APPEND(m, connection_events, xstrdup(nfn->events[i]));
    }
    m->connection_notification_state = xstrdup(nfn->state);
    m->service_region = xstrdup(op_region());
    return m;
}

/* Looks up the target of a create request: the caller's service or the
 * caller's endpoint, exactly one of them. */
static bool
nfn_find_target(struct op_ctx *ctx,
    const Privatelink__V1__CreateVpcEndpointConnectionNotificationRequest *rq,
    const struct plrec_endpoint_service **svcp,
    const struct plrec_vpc_endpoint **eptp)
{
    *svcp = NULL;
    *eptp = NULL;
    if (!rq->service_id == !rq->vpc_endpoint_id) {
        op_error(ctx, "InvalidParameterCombination", "Specify either a "
                 "service ID or a VPC endpoint ID.");
        return false;
    } else if (rq->service_id) {
        *svcp = op_find_endpoint_service(rq->service_id);
        if (!*svcp || !svc_is_owner(ctx, *svcp)) {
            op_error(ctx, "InvalidVpcEndpointServiceId.NotFound",
                     "The VpcEndpointService Id '%s' does not exist",
                     rq->service_id);
            return false;
        }
    } else {
        *eptp = op_find_vpc_endpoint(rq->vpc_endpoint_id);
        if (!*eptp || !op_is_owner(ctx, (*eptp)->owner_id)) {
            op_error(ctx, "InvalidVpcEndpointId.NotFound", "The Vpc Endpoint "
                     "Id '%s' does not exist", rq->vpc_endpoint_id);
            return false;
        } else if (strcmp((*eptp)->vpc_endpoint_type, "Interface")) {
            op_error(ctx, "InvalidParameter", "You can create a connection "
                     "notification for interface endpoints only.");
            return false;
        }
    }
    return true;
}

void
op_create_vpc_endpoint_connection_notification(
    struct op_ctx *ctx, const ProtobufCMessage *request,
    ProtobufCMessage *response)
{
    const Privatelink__V1__CreateVpcEndpointConnectionNotificationRequest *rq
        = (const void *) request;
    Privatelink__V1__CreateVpcEndpointConnectionNotificationResponse *rs
        = (void *) response;
    const struct plrec_endpoint_service *svc;
    const struct plrec_vpc_endpoint *ept;

    if (!op_require(ctx, rq->connection_notification_arn != NULL,
                    "ConnectionNotificationArn")
        || !op_require(ctx, rq->n_connection_events > 0, "ConnectionEvents")
        || !nfn_check_arn(ctx, rq->connection_notification_arn)
        || !nfn_check_events(ctx, rq->connection_events,
                             rq->n_connection_events)
        || !nfn_find_target(ctx, rq, &svc, &ept)) {
        return;
    }

    char *id = plink_id_new("vpce-nfn");
    const struct plrec_connection_notification *nfn
        = plrec_connection_notification_insert(op_txn(ctx));
    plrec_connection_notification_set_connection_notification_id(nfn, id);
    plrec_connection_notification_set_owner_id(nfn, op_account_id(ctx));
    plrec_connection_notification_set_topic_arn(
        nfn, rq->connection_notification_arn);
    nfn_set_events(nfn, rq->connection_events, rq->n_connection_events);
    plrec_connection_notification_set_service(nfn, svc);
    plrec_connection_notification_set_vpc_endpoint(nfn, ept);
    plrec_connection_notification_set_state(nfn, "Enabled");
    if (rq->client_token) {
        plrec_connection_notification_set_client_token(nfn, rq->client_token);
    }
    rs->connection_notification = nfn_to_msg(nfn);
    rs->client_token = op_strdup(rq->client_token);
    free(id);
}

/* Returns the caller's notification 'id', or fails 'ctx'. */
static const struct plrec_connection_notification *
nfn_find_owned(struct op_ctx *ctx, const char *id)
{
    const struct plrec_connection_notification *nfn
        = id ? op_find_connection_notification(id) : NULL;
    if (!nfn || !op_is_owner(ctx, nfn->owner_id)) {
        op_error(ctx, "InvalidConnectionNotification", "The connection "
                 "notification '%s' does not exist", id ? id : "");
        return NULL;
    }
    return nfn;
}

void
op_modify_vpc_endpoint_connection_notification(
    struct op_ctx *ctx, const ProtobufCMessage *request,
    ProtobufCMessage *response)
{
    const Privatelink__V1__ModifyVpcEndpointConnectionNotificationRequest *rq
        = (const void *) request;
    Privatelink__V1__ModifyVpcEndpointConnectionNotificationResponse *rs
        = (void *) response;

    if (!op_require(ctx, rq->connection_notification_id != NULL,
                    "ConnectionNotificationId")) {
        return;
    }
    const struct plrec_connection_notification *nfn
        = nfn_find_owned(ctx, rq->connection_notification_id);
    if (!nfn
        || (rq->connection_notification_arn
            && !nfn_check_arn(ctx, rq->connection_notification_arn))
        || !nfn_check_events(ctx, rq->connection_events,
                             rq->n_connection_events)) {
        return;
    }
    op_txn(ctx);
    if (rq->connection_notification_arn) {
        plrec_connection_notification_set_topic_arn(
            nfn, rq->connection_notification_arn);
    }
    if (rq->n_connection_events) {
        nfn_set_events(nfn, rq->connection_events, rq->n_connection_events);
    }
    OP_SET(rs, return_value, true);
}

void
op_delete_vpc_endpoint_connection_notifications(
    struct op_ctx *ctx, const ProtobufCMessage *request,
    ProtobufCMessage *response)
{
    const Privatelink__V1__DeleteVpcEndpointConnectionNotificationsRequest
        *rq = (const void *) request;
    Privatelink__V1__DeleteVpcEndpointConnectionNotificationsResponse *rs
        = (void *) response;

    if (!op_require(ctx, rq->n_connection_notification_ids > 0,
                    "ConnectionNotificationIds")) {
        return;
    }
    for (size_t i = 0; i < rq->n_connection_notification_ids; i++) {
        const char *id = rq->connection_notification_ids[i];
        const struct plrec_connection_notification *nfn
            = op_find_connection_notification(id);
        if (!nfn || !op_is_owner(ctx, nfn->owner_id)) {
            OP_APPEND(rs, unsuccessful, op_unsuccessful_item(
                          id, "InvalidConnectionNotification",
                          xasprintf("The connection notification '%s' does "
                                    "not exist", id)));
        } else {
            op_txn(ctx);
            plrec_connection_notification_delete(nfn);
        }
    }
}

FILTER_STRING_MEMBER(nfn_f_arn, struct plrec_connection_notification,
                     topic_arn)
FILTER_STRING_MEMBER(nfn_f_id, struct plrec_connection_notification,
                     connection_notification_id)
FILTER_STRING_MEMBER(nfn_f_state, struct plrec_connection_notification, state)

static void
nfn_f_type(const void *row OVS_UNUSED, struct sset *v)
{
    sset_add(v, "Topic");
}

static void
nfn_f_service_id(const void *row, struct sset *v)
{
    const struct plrec_connection_notification *nfn = row;
    if (nfn->service) {
        sset_add(v, nfn->service->service_id);
    }
}

static void
nfn_f_endpoint_id(const void *row, struct sset *v)
{
    const struct plrec_connection_notification *nfn = row;
    if (nfn->vpc_endpoint) {
        sset_add(v, nfn->vpc_endpoint->vpc_endpoint_id);
    }
}

static const struct filter_def nfn_filters[] = {
    { "connection-notification-arn", nfn_f_arn },
    { "connection-notification-id", nfn_f_id },
    { "connection-notification-state", nfn_f_state },
    { "connection-notification-type", nfn_f_type },
    { "service-id", nfn_f_service_id },
    { "vpc-endpoint-id", nfn_f_endpoint_id },
};

void
op_describe_vpc_endpoint_connection_notifications(
    struct op_ctx *ctx, const ProtobufCMessage *request,
    ProtobufCMessage *response)
{
    const Privatelink__V1__DescribeVpcEndpointConnectionNotificationsRequest
        *rq = (const void *) request;
    Privatelink__V1__DescribeVpcEndpointConnectionNotificationsResponse *rs
        = (void *) response;
    struct op_page page;

    if (!filter_check(ctx, rq->filters, rq->n_filters, nfn_filters,
                      ARRAY_SIZE(nfn_filters))
        || !op_page_init(ctx, rq->has_max_results, rq->max_results,
                         rq->next_token, 1, 1000, &page)) {
        return;
    }
    if (rq->connection_notification_id
        && !nfn_find_owned(ctx, rq->connection_notification_id)) {
        op_page_destroy(&page);
        return;
    }

    const struct plrec_connection_notification *nfn;
    struct plrec_connection_notification *from = NULL;
    struct ovsdb_idl_index *index = op_index_connection_notification();
    if (page.start_id) {
        from = plrec_connection_notification_index_init_row(index);
        plrec_connection_notification_index_set_connection_notification_id(
            from, page.start_id);
    }
    PLREC_CONNECTION_NOTIFICATION_FOR_EACH_RANGE (nfn, from, NULL, index) {
        if (!op_is_owner(ctx, nfn->owner_id)
            || (rq->connection_notification_id
                && strcmp(rq->connection_notification_id,
                          nfn->connection_notification_id))
            || !filter_match(rq->filters, rq->n_filters, nfn_filters,
                             ARRAY_SIZE(nfn_filters), nfn, NULL)) {
            continue;
        }
        if (rs->n_connection_notification_set >= page.limit) {
            rs->next_token = op_page_token(nfn->connection_notification_id);
            break;
        }
        OP_APPEND(rs, connection_notification_set, nfn_to_msg(nfn));
    }
    if (from) {
        plrec_connection_notification_index_destroy_row(from);
    }
    op_page_destroy(&page);
}
