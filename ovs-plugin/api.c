/*
 * api.c: plinkd's EC2 Query and Twirp fronts (see api.h).
 */
#include <config.h>
#include "api.h"

#include <stdlib.h>
#include <string.h>

#include "auth.h"
#include "aws-error.h"
#include "db.h"
#include "ec2-query.h"
#include "http-server.h"
#include "lib/plink-idl.h"
#include "openvswitch/dynamic-string.h"
#include "openvswitch/json.h"
#include "openvswitch/list.h"
#include "openvswitch/poll-loop.h"
#include "openvswitch/shash.h"
#include "openvswitch/vlog.h"
#include "op-util.h"
#include "ops.h"
#include "ovsdb-idl.h"
#include "timeval.h"
#include "util.h"
#include "uuid.h"

VLOG_DEFINE_THIS_MODULE(api);

#define TWIRP_PREFIX "/twirp/privatelink.v1.PrivateLink/"

/* How many times a call is retried when its transaction must be tried
 * again because another client changed what it read. */
#define API_MAX_ATTEMPTS 20

/* The front a call came in on. */
enum api_front {
    API_EC2,                    /* EC2 Query, XML answers. */
    API_TWIRP,                  /* Twirp, protobuf answers. */
};

/* One API call, from its decoded request to its answer. */
struct api_call {
    struct http_exchange *ex;   /* The HTTP request and response. */
    enum api_front front;       /* How to encode the answer. */
    enum ec2q_dialect dialect;  /* EC2 or AWS Query (ELBv2), for API_EC2. */
    struct shash params;        /* Form parameters, for API_EC2. */
    char *params_error;         /* Why they could not be parsed, or NULL. */
    const struct op_def *op;    /* The operation. */
    ProtobufCMessage *request;  /* Its decoded request. */
    struct auth_caller caller;  /* Who is calling. */
    char request_id[UUID_LEN + 1]; /* EC2 requestId. */
    struct op_ctx ctx;          /* The operation's context. */
    ProtobufCMessage *response; /* Its response, while it runs. */
    int attempts;               /* Runs so far. */
    long long int waiting_since; /* When it began waiting for the database
                                  * to come back (0 if it is not). */
};

/* How long a call may wait for the database (a cluster electing a new
 * leader, a restarting server) before it fails with a 503 that the AWS
 * CLI and SDKs retry. */
#define API_MAX_WAIT_MS 10000

struct api {
    struct ovsdb_idl *idl;      /* The PrivateLink database. */
    struct http_server *http;   /* Where requests come from. */
    struct pldb *db;            /* Housekeeping, which shares the IDL. */
    struct api_call *current;   /* The call whose transaction is pending. */
    unsigned long long int n_calls;   /* Calls answered. */
    unsigned long long int n_errors;  /* Calls answered with an error. */
    unsigned long long int n_retries; /* Transactions retried. */
};

struct api *
api_create(struct ovsdb_idl *idl, struct http_server *http, struct pldb *db)
{
    struct api *api = xzalloc(sizeof *api);
    api->idl = idl;
    api->http = http;
    api->db = db;
    return api;
}

/* Frees what 'call' holds, except its exchange. */
static void
api_call_free(struct api_call *call)
{
    if (call->request) {
        protobuf_c_message_free_unpacked(call->request, NULL);
    }
    if (call->response) {
        protobuf_c_message_free_unpacked(call->response, NULL);
    }
    if (call->ctx.txn) {
        ovsdb_idl_txn_destroy(call->ctx.txn);
    }
    free(call->ctx.error_code);
    free(call->ctx.error_message);
    auth_caller_destroy(&call->caller);
    shash_destroy_free_data(&call->params);
    free(call->params_error);
    free(call);
}

void
api_destroy(struct api *api)
{
    if (api) {
        if (api->current) {
            http_exchange_free(api->current->ex);
            api_call_free(api->current);
        }
        free(api);
    }
}

/* Answers 'ex' with AWS error 'code' in the form of 'front'. */
static void
api_encode_error(struct http_exchange *ex, const struct api_call *call,
                 const char *code, const char *message)
{
    ds_clear(&ex->response);
    if (call->front == API_EC2) {
        ex->status = aws_error_http_status(code);
        ex->content_type = "text/xml;charset=UTF-8";
        ec2q_encode_error(code, message, call->request_id, call->dialect,
                          &ex->response);
    } else {
        const char *twirp = aws_error_twirp_code(code);
        struct json *meta = json_object_create();
        json_object_put_string(meta, "aws_code", code);
        struct json *err = json_object_create();
        json_object_put_string(err, "code", twirp);
        json_object_put_string(err, "msg", message);
        json_object_put(err, "meta", meta);
        json_to_ds(err, 0, &ex->response);
        json_destroy(err);
        ex->status = aws_error_twirp_status(twirp);
        ex->content_type = "application/json";
    }
}

/* Sends the answer of 'call' (its response, or its error) and frees it. */
static void
api_finish(struct api *api, struct api_call *call)
{
    struct http_exchange *ex = call->ex;
    struct op_ctx *ctx = &call->ctx;

    if (ctx->error_code) {
        api->n_errors++;
        api_encode_error(ex, call, ctx->error_code, ctx->error_message);
    } else if (call->front == API_EC2) {
        ex->status = 200;
        ex->content_type = "text/xml;charset=UTF-8";
        const char *action = call->op->name;
        if (call->dialect == EC2Q_QUERY && !strncmp(action, "Elb", 3)) {
            action += 3;
        }
        ec2q_encode_response(action, call->response, call->request_id,
                             call->dialect, &ex->response);
    } else {
        size_t size = protobuf_c_message_get_packed_size(call->response);
        ds_reserve(&ex->response, size);
        protobuf_c_message_pack(call->response,
                                (uint8_t *) ex->response.string);
        ex->response.length = size;
        ex->status = 200;
        ex->content_type = "application/protobuf";
    }
    api->n_calls++;
    http_server_reply(api->http, ex);
    api_call_free(call);
}

/* Reads the DryRun field of a request, if it has one. */
static bool
api_request_dry_run(const ProtobufCMessage *request)
{
    const ProtobufCFieldDescriptor *fd
        = protobuf_c_message_descriptor_get_field_by_name(
            request->descriptor, "dry_run");
    return (fd && fd->type == PROTOBUF_C_TYPE_BOOL
            && *(const protobuf_c_boolean *) ((const char *) request
                                              + fd->offset));
}

/* Runs the operation of 'call' once, from a fresh response and context. */
static void
api_execute(struct api *api, struct api_call *call)
{
    struct op_ctx *ctx = &call->ctx;

    if (call->response) {
        protobuf_c_message_free_unpacked(call->response, NULL);
    }
    if (ctx->txn) {
        ovsdb_idl_txn_destroy(ctx->txn);
    }
    free(ctx->error_code);
    free(ctx->error_message);
    *ctx = (struct op_ctx) {
        .idl = api->idl,
        .global = plrec_privatelink_global_first(api->idl),
        .account = call->caller.account,
        .principal = call->caller.principal,
        .region = call->caller.region,
        .now = time_wall_msec(),
        .dry_run = api_request_dry_run(call->request),
    };
    op_set_region(ctx->global ? ctx->global->region : NULL);
    call->attempts++;
    call->response = xmalloc(call->op->response->sizeof_message);
    call->op->response->message_init(call->response);
    call->op->run(ctx, call->request, call->response);

    if (!ctx->error_code && ctx->dry_run) {
        op_error(ctx, "DryRunOperation",
                 "Request would have succeeded, but DryRun flag is set.");
    }
    if (ctx->error_code && ctx->txn) {
        ovsdb_idl_txn_abort(ctx->txn);
        ovsdb_idl_txn_destroy(ctx->txn);
        ctx->txn = NULL;
    }
}

/* Advances the transaction of the current call.  Returns true once the
 * call is answered. */
static bool
api_commit(struct api *api, struct api_call *call)
{
    struct op_ctx *ctx = &call->ctx;
    enum ovsdb_idl_txn_status status = ovsdb_idl_txn_commit(ctx->txn);

    switch (status) {
    case TXN_INCOMPLETE:
        return false;
    case TXN_SUCCESS:
    case TXN_UNCHANGED:
        api_finish(api, call);
        return true;
    case TXN_TRY_AGAIN:
        api->n_retries++;
        if (!ovsdb_idl_is_connected(api->idl)) {
            /* The database is away (a cluster is electing a leader): wait
             * for it rather than spend the attempts. */
            ovsdb_idl_txn_destroy(ctx->txn);
            ctx->txn = NULL;
            call->waiting_since = time_msec();
            return false;
        }
        if (call->attempts < API_MAX_ATTEMPTS) {
            /* The IDL may not run with a transaction open, so the new
             * one is committed at once. */
            api_execute(api, call);
            if (ctx->txn) {
                return api_commit(api, call);
            }
            api_finish(api, call);
            return true;
        }
        /* Fall through. */
    case TXN_UNCOMMITTED:
    case TXN_ABORTED:
    case TXN_NOT_LOCKED:
    case TXN_ERROR:
    default:
        VLOG_WARN("%s: transaction failed: %s (%s)", call->op->name,
                  ovsdb_idl_txn_status_to_string(status),
                  ovsdb_idl_txn_get_error(ctx->txn));
        op_error(ctx, "InternalError", "The database did not accept the "
                 "change; try again.");
        api_finish(api, call);
        return true;
    }
}

/* Reads the form parameters of an EC2 Query or AWS Query call (the query
 * string and, for a POST, the body) and tells the two protocols apart by
 * their Version: 2015-12-01 is Elastic Load Balancing v2. */
static void
api_parse_params(struct api_call *call)
{
    struct http_exchange *ex = call->ex;
    call->params_error = ec2q_parse_form(ex->query, &call->params);
    if (!call->params_error && !strcmp(ex->method, "POST")) {
        call->params_error = ec2q_parse_form(ex->body, &call->params);
    }
    const char *version = shash_find_data(&call->params, "Version");
    call->dialect = (version && !strcmp(version, EC2Q_ELBV2_VERSION)
                     ? EC2Q_QUERY : EC2Q_EC2);
}

/* Finds the operation an EC2 Query or AWS Query call names. */
static const struct op_def *
api_find_action(const struct api_call *call, const char *action)
{
    if (call->dialect == EC2Q_QUERY) {
        char *name = xasprintf("Elb%s", action);
        const struct op_def *op = op_find(name);
        free(name);
        return op;
    }
    return strncmp(action, "Elb", 3) ? op_find(action) : NULL;
}

/* Decodes the request of an EC2 Query call.  Returns false, with the error
 * in 'call', if it cannot be. */
static bool
api_decode_ec2(struct api_call *call)
{
    const char *code = "MissingParameter";
    const char *action = shash_find_data(&call->params, "Action");
    char *error = NULL;

    if (call->params_error) {
        code = "InvalidParameterValue";
        error = xstrdup(call->params_error);
    } else if (!action) {
        error = xstrdup("The request must contain the parameter Action");
    } else if (!(call->op = api_find_action(call, action))) {
        code = "InvalidAction";
        error = xasprintf("The action %s is not valid for this web service.",
                          action);
    } else {
        error = ec2q_decode(call->op->request, &call->params, call->dialect,
                            &call->request, &code);
    }
    if (error) {
        op_error(&call->ctx, code, "%s", error);
        free(error);
        return false;
    }
    return true;
}

/* Decodes the request of a Twirp call. */
static bool
api_decode_twirp(struct api_call *call)
{
    struct http_exchange *ex = call->ex;
    const char *method = ex->path + strlen(TWIRP_PREFIX);
    const char *ctype = http_exchange_header(ex, "Content-Type");

    call->op = op_find(method);
    if (!call->op) {
        op_error(&call->ctx, "InvalidAction", "no such method: %s", method);
        return false;
    }
    if (strcmp(ex->method, "POST")
        || !ctype || strncmp(ctype, "application/protobuf", 20)) {
        op_error(&call->ctx, "InvalidAction", "Twirp calls are POSTs of "
                 "application/protobuf");
        return false;
    }
    call->request = protobuf_c_message_unpack(call->op->request, NULL,
                                              ex->body_len,
                                              (const uint8_t *) ex->body);
    if (!call->request) {
        op_error(&call->ctx, "InvalidParameterValue",
                 "the request is not a valid %s", call->op->request->name);
        return false;
    }
    return true;
}

/* Starts handling the request 'ex'.  Returns the call if its transaction
 * is now pending, otherwise answers it and returns NULL. */
static struct api_call *
api_start(struct api *api, struct http_exchange *ex)
{
    struct api_call *call = xzalloc(sizeof *call);
    struct uuid id;
    uuid_generate(&id);
    snprintf(call->request_id, sizeof call->request_id, UUID_FMT,
             UUID_ARGS(&id));
    call->ex = ex;
    shash_init(&call->params);

    bool is_twirp = !strncmp(ex->path, TWIRP_PREFIX, strlen(TWIRP_PREFIX));
    call->front = is_twirp ? API_TWIRP : API_EC2;
    if (!is_twirp) {
        api_parse_params(call);
    }
    if (!is_twirp && strcmp(ex->path, "/")) {
        op_error(&call->ctx, "InvalidAction", "no such path: %s", ex->path);
        api_finish(api, call);
        return NULL;
    }

    const char *code, *msg;
    if (!auth_authenticate(api->idl, ex, &call->caller, &code, &msg)) {
        op_error(&call->ctx, code, "%s", msg);
        api_finish(api, call);
        return NULL;
    }
    if (!(is_twirp ? api_decode_twirp(call) : api_decode_ec2(call))) {
        api_finish(api, call);
        return NULL;
    }

    api_execute(api, call);
    if (!call->ctx.txn) {
        api_finish(api, call);
        return NULL;
    }
    return api_commit(api, call) ? NULL : call;
}

/* Serves requests until one leaves a transaction pending. */
/* Runs again, once the database is back, a call that was waiting for it;
 * fails it with a 503 after API_MAX_WAIT_MS.  Returns true once the call
 * is answered. */
static bool
api_resume(struct api *api, struct api_call *call)
{
    if (!ovsdb_idl_is_connected(api->idl)
        || !plrec_privatelink_global_first(api->idl)) {
        if (time_msec() - call->waiting_since < API_MAX_WAIT_MS) {
            return false;
        }
        op_error(&call->ctx, "Unavailable", "The database is unavailable; "
                 "try again.");
        api_finish(api, call);
        return true;
    }
    call->waiting_since = 0;
    api_execute(api, call);
    if (!call->ctx.txn) {
        api_finish(api, call);
        return true;
    }
    return api_commit(api, call);
}

void
api_run(struct api *api)
{
    if (api->current) {
        struct api_call *call = api->current;
        if (!(call->waiting_since ? api_resume(api, call)
                                  : api_commit(api, call))) {
            return;
        }
        api->current = NULL;
    }
    if (pldb_has_txn(api->db) || !plrec_privatelink_global_first(api->idl)) {
        /* Housekeeping owns the transaction, or the database is not ready:
         * requests wait in the queue. */
        return;
    }

    struct http_exchange *ex;
    while (!api->current && (ex = http_server_next(api->http))) {
        api->current = api_start(api, ex);
    }
}

void
api_wait(struct api *api)
{
    if (api->current && api->current->waiting_since) {
        poll_timer_wait_until(api->current->waiting_since + API_MAX_WAIT_MS);
    } else if (api->current) {
        ovsdb_idl_txn_wait(api->current->ctx.txn);
    } else if (!pldb_has_txn(api->db)
               && plrec_privatelink_global_first(api->idl)) {
        http_server_wait(api->http);
    }
}

bool
api_has_txn(const struct api *api)
{
    return api->current != NULL;
}

void
api_get_status(const struct api *api, struct ds *out)
{
    ds_put_format(out, "operations: %"PRIuSIZE"\n", op_count());
    ds_put_format(out, "calls: %llu (errors: %llu, retried transactions: "
                  "%llu)\n", api->n_calls, api->n_errors, api->n_retries);
}
