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

/* How many times a batch is run again when its transaction must be tried
 * again because another client changed what it read. */
#define API_MAX_ATTEMPTS 20

/* The most calls that share one transaction (group commit). */
#define API_MAX_BATCH 64

/* How long a batch may wait for the database (a cluster electing a new
 * leader, a restarting server) before its calls fail with a 503 that the
 * AWS CLI and SDKs retry. */
#define API_MAX_WAIT_MS 10000

/* The front a call came in on. */
enum api_front {
    API_EC2,                    /* EC2 Query, XML answers. */
    API_TWIRP,                  /* Twirp, protobuf answers. */
};

/* One API call, from its decoded request to its answer. */
struct api_call {
    struct ovs_list node;       /* In the batch or in the backlog. */
    struct http_exchange *ex;   /* The HTTP request and response. */
    enum api_front front;       /* How to encode the answer. */
    enum ec2q_dialect dialect;  /* EC2 or AWS Query (ELBv2), for API_EC2. */
    struct shash params;        /* Form parameters, for API_EC2. */
    char *params_error;         /* Why they could not be parsed, or NULL. */
    const struct op_def *op;    /* The operation. */
    ProtobufCMessage *request;  /* Its decoded request. */
    struct auth_caller caller;  /* Who is calling. */
    struct uuid account_uuid;   /* Its account, looked up at every run
                                 * (the IDL may run between two runs). */
    struct uuid principal_uuid; /* Its principal, likewise. */
    char request_id[UUID_LEN + 1]; /* EC2 requestId. */
    struct op_ctx ctx;          /* The operation's context. */
    ProtobufCMessage *response; /* Its response, while it runs. */
    bool settled;               /* It failed in this run of its batch, and
                                 * its error stands: the batch's other
                                 * calls run again without it. */
};

/* Group commit.  The write calls that are queued together run one after
 * another into one transaction, which the IDL commits once; every call of
 * the batch is answered when that transaction completes.  Each call sees
 * the rows of the calls before it, as it would if they ran one at a time
 * in arrival order, so conflicting calls get the answers they would get
 * one at a time.  A batch ends after API_MAX_BATCH calls or after an
 * OP_DELETES call (see enum op_access).  A lone request is never delayed:
 * a batch takes only what is already queued, which is what arrived while
 * the previous transaction was in flight. */
struct api_batch {
    struct ovs_list calls;      /* Its "struct api_call"s, in arrival
                                 * order. */
    size_t n_calls;             /* Length of 'calls'; 0 if there is no
                                 * batch in flight. */
    struct ovsdb_idl_txn *txn;  /* The shared transaction, or NULL if no
                                 * call wrote. */
    int attempts;               /* Runs of the batch so far. */
    long long int waiting_since; /* When it began waiting for the database
                                  * to come back (0 if it is not). */
};

/* The API fronts. */
struct api {
    struct ovsdb_idl *idl;      /* The PrivateLink database. */
    struct http_server *http;   /* Where requests come from. */
    struct pldb *db;            /* Housekeeping, which shares the IDL. */
    struct api_batch batch;     /* The calls whose transaction is pending. */
    struct ovs_list backlog;    /* Calls of a batch that the database
                                 * refused, to run again one per
                                 * transaction before new requests. */

    /* Statistics. */
    unsigned long long int n_calls;   /* Calls answered. */
    unsigned long long int n_errors;  /* Calls answered with an error. */
    unsigned long long int n_retries; /* Transactions retried. */
    unsigned long long int n_txns;    /* Transactions committed. */
    size_t max_txn_calls;             /* Most calls in one of them. */
    unsigned long long int n_rebuilds; /* Batches run again without a call
                                        * that failed after writing. */
    unsigned long long int n_splits;  /* Batches split after the database
                                       * refused their transaction. */
};

struct api *
api_create(struct ovsdb_idl *idl, struct http_server *http, struct pldb *db)
{
    struct api *api = xzalloc(sizeof *api);
    api->idl = idl;
    api->http = http;
    api->db = db;
    ovs_list_init(&api->batch.calls);
    ovs_list_init(&api->backlog);
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

/* Frees the calls in 'list', with their exchanges, unanswered. */
static void
api_free_calls(struct ovs_list *list)
{
    struct api_call *call;
    LIST_FOR_EACH_POP (call, node, list) {
        http_exchange_free(call->ex);
        api_call_free(call);
    }
}

/* Destroys the transaction of 'b', if it has one. */
static void
api_batch_drop_txn(struct api_batch *b)
{
    if (b->txn) {
        ovsdb_idl_txn_destroy(b->txn);
        b->txn = NULL;
    }
}

void
api_destroy(struct api *api)
{
    if (api) {
        api_batch_drop_txn(&api->batch);
        api_free_calls(&api->batch.calls);
        api_free_calls(&api->backlog);
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

/* Runs the operation of 'call' once, from a fresh response and context,
 * into 'txn': the transaction that the earlier calls of its batch share,
 * or NULL.  Afterward call->ctx.txn is that transaction or, if the call
 * was the first to write, a new one. */
static void
api_execute(struct api *api, struct api_call *call, struct ovsdb_idl_txn *txn)
{
    struct op_ctx *ctx = &call->ctx;

    if (call->response) {
        protobuf_c_message_free_unpacked(call->response, NULL);
    }
    free(ctx->error_code);
    free(ctx->error_message);
    *ctx = (struct op_ctx) {
        .idl = api->idl,
        .global = plrec_privatelink_global_first(api->idl),
        .account = plrec_account_get_for_uuid(api->idl,
                                              &call->account_uuid),
        .principal = plrec_principal_get_for_uuid(api->idl,
                                                  &call->principal_uuid),
        .region = call->caller.region,
        .now = time_wall_msec(),
        .dry_run = api_request_dry_run(call->request),
        .txn = txn,
    };
    op_set_region(ctx->global ? ctx->global->region : NULL);
    call->response = xmalloc(call->op->response->sizeof_message);
    call->op->response->message_init(call->response);
    if (!ctx->account || !ctx->principal) {
        /* A call that waited while the IDL ran (for the database to come
         * back, or to run alone) finds that its caller is gone. */
        op_error(ctx, "AuthFailure", "AWS was not able to validate the "
                 "provided access credentials.");
        return;
    }
    call->op->run(ctx, call->request, call->response);

    if (!ctx->error_code && ctx->dry_run) {
        op_error(ctx, "DryRunOperation",
                 "Request would have succeeded, but DryRun flag is set.");
    }
}

/* Replaces the answer of 'call', whatever it was, with AWS error 'code'. */
static void
api_call_fail(struct api_call *call, const char *code, const char *message)
{
    free(call->ctx.error_code);
    free(call->ctx.error_message);
    call->ctx.error_code = call->ctx.error_message = NULL;
    op_error(&call->ctx, code, "%s", message);
}

/* Runs read-only 'call' and answers it.  It runs while no transaction is
 * open (before the writes of the batch being gathered, see api_gather()),
 * so it sees only committed rows. */
static void
api_answer_read(struct api *api, struct api_call *call)
{
    api_execute(api, call, NULL);
    if (call->ctx.txn) {
        /* An OP_READS operation that writes has a wrong OP() row. */
        VLOG_WARN("%s: a read-only operation wrote", call->op->name);
        ovsdb_idl_txn_abort(call->ctx.txn);
        ovsdb_idl_txn_destroy(call->ctx.txn);
        call->ctx.txn = NULL;
        api_call_fail(call, "InternalError", "The operation failed.");
    }
    api_finish(api, call);
}

/* Answers every call of the batch and ends it. */
static void
api_batch_finish(struct api *api)
{
    struct api_batch *b = &api->batch;
    struct api_call *call;

    api_batch_drop_txn(b);
    LIST_FOR_EACH_POP (call, node, &b->calls) {
        api_finish(api, call);
    }
    b->n_calls = 0;
    b->attempts = 0;
    b->waiting_since = 0;
}

/* Runs 'call' into the batch's transaction.  A call that fails leaves no
 * write behind: if it may have written (it called op_txn()), the
 * transaction is aborted, since the IDL cannot undo part of one.  Returns
 * false if that also undid the writes of earlier calls, which must then
 * run again. */
static bool
api_batch_run_call(struct api *api, struct api_call *call)
{
    struct api_batch *b = &api->batch;
    struct op_ctx *ctx = &call->ctx;
    bool shared = b->txn != NULL;

    api_execute(api, call, b->txn);
    b->txn = ctx->txn;
    ctx->txn = NULL;
    if (!ctx->error_code) {
        return true;
    }

    call->settled = true;
    if (!ctx->used_txn || !b->txn) {
        return true;
    }
    ovsdb_idl_txn_abort(b->txn);
    api_batch_drop_txn(b);
    if (shared) {
        VLOG_DBG("%s failed (%s) after writing into a shared transaction: "
                 "running the other calls of its batch again",
                 call->op->name, ctx->error_code);
        api->n_rebuilds++;
    }
    return !shared;
}

/* Runs the calls of the batch, in arrival order, into one transaction.  A
 * call that fails after writing is answered with its error, and the others
 * run again, without it, into a new transaction.  (Its error stands: the
 * calls before it run again just as before, since the IDL does not change
 * in the meantime.) */
static void
api_batch_execute(struct api *api)
{
    struct api_batch *b = &api->batch;
    struct api_call *call;
    bool complete;

    b->attempts++;
    api_batch_drop_txn(b);
    LIST_FOR_EACH (call, node, &b->calls) {
        call->settled = false;
    }
    do {
        complete = true;
        LIST_FOR_EACH (call, node, &b->calls) {
            if (!call->settled && !api_batch_run_call(api, call)) {
                complete = false;
                break;
            }
        }
    } while (!complete);
}

/* Handles a batch whose transaction the database did not accept.  The
 * calls of a batch of several go back, in order, to run one per
 * transaction, so that only a call that the database refuses by itself
 * fails; a lone call fails. */
static void
api_batch_refused(struct api *api, enum ovsdb_idl_txn_status status)
{
    struct api_batch *b = &api->batch;
    const char *error = b->txn ? ovsdb_idl_txn_get_error(b->txn) : "";

    if (b->n_calls > 1) {
        VLOG_INFO("a transaction of %"PRIuSIZE" calls failed (%s, %s): "
                  "running them one by one", b->n_calls,
                  ovsdb_idl_txn_status_to_string(status), error);
        api->n_splits++;
        api_batch_drop_txn(b);
        ovs_list_splice(api->backlog.next, b->calls.next, &b->calls);
        b->n_calls = 0;
        b->attempts = 0;
        return;
    }

    struct api_call *call = CONTAINER_OF(ovs_list_front(&b->calls),
                                         struct api_call, node);
    VLOG_WARN("%s: transaction failed: %s (%s)", call->op->name,
              ovsdb_idl_txn_status_to_string(status), error);
    api_call_fail(call, "InternalError", "The database did not accept the "
                  "change; try again.");
    api_batch_finish(api);
}

/* Advances the transaction of the batch.  Returns true once the batch is
 * over: its calls answered, or put back to run one by one. */
static bool
api_batch_commit(struct api *api)
{
    struct api_batch *b = &api->batch;
    enum ovsdb_idl_txn_status status;

    if (!b->txn) {
        api_batch_finish(api);
        return true;
    }
    status = ovsdb_idl_txn_commit(b->txn);
    switch (status) {
    case TXN_INCOMPLETE:
        return false;
    case TXN_SUCCESS:
    case TXN_UNCHANGED:
        api->n_txns++;
        api->max_txn_calls = MAX(api->max_txn_calls, b->n_calls);
        api_batch_finish(api);
        return true;
    case TXN_TRY_AGAIN:
        api->n_retries++;
        if (!ovsdb_idl_is_connected(api->idl)) {
            /* The database is away (a cluster is electing a leader): wait
             * for it rather than spend the attempts. */
            api_batch_drop_txn(b);
            b->waiting_since = time_msec();
            return false;
        }
        if (b->attempts < API_MAX_ATTEMPTS) {
            /* The IDL may not run with a transaction open, so the new
             * one is committed at once. */
            api_batch_execute(api);
            return api_batch_commit(api);
        }
        break;
    case TXN_UNCOMMITTED:
    case TXN_ABORTED:
    case TXN_NOT_LOCKED:
    case TXN_ERROR:
    default:
        break;
    }
    api_batch_refused(api, status);
    return true;
}

/* Runs the batch again, once the database is back, if it was waiting for
 * it; fails its calls with a 503 after API_MAX_WAIT_MS.  Returns true once
 * the batch is over. */
static bool
api_batch_resume(struct api *api)
{
    struct api_batch *b = &api->batch;

    if (!ovsdb_idl_is_connected(api->idl)
        || !plrec_privatelink_global_first(api->idl)) {
        if (time_msec() - b->waiting_since < API_MAX_WAIT_MS) {
            return false;
        }
        struct api_call *call;
        LIST_FOR_EACH (call, node, &b->calls) {
            api_call_fail(call, "Unavailable", "The database is "
                          "unavailable; try again.");
        }
        api_batch_finish(api);
        return true;
    }
    b->waiting_since = 0;
    api_batch_execute(api);
    return api_batch_commit(api);
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

/* Starts handling the request 'ex': decodes and authenticates it.
 * Returns the call, ready to run, or NULL if it has been answered (with an
 * error). */
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
    call->account_uuid = call->caller.account->header_.uuid;
    call->principal_uuid = call->caller.principal->header_.uuid;
    if (!(is_twirp ? api_decode_twirp(call) : api_decode_ec2(call))) {
        api_finish(api, call);
        return NULL;
    }
    return call;
}

/* Adds 'call' to the batch. */
static void
api_batch_add(struct api_batch *b, struct api_call *call)
{
    ovs_list_push_back(&b->calls, &call->node);
    b->n_calls++;
}

/* Gathers the next batch: the first call of the backlog, alone, or else
 * the write calls queued in the HTTP server, in arrival order, up to
 * API_MAX_BATCH of them and up to the first OP_DELETES one.  Answers at
 * once the requests that fail to decode and the read-only calls: these
 * run before the batch's writes, so a read that arrives together with
 * writes does not see them (neither has been answered, so either order
 * is one the clients may observe), and one that arrives while a batch is
 * in flight waits in the queue until the batch is answered.  Returns false
 * if there was nothing to take. */
static bool
api_gather(struct api *api)
{
    struct api_batch *b = &api->batch;
    struct http_exchange *ex;
    bool took = false;

    if (!ovs_list_is_empty(&api->backlog)) {
        api_batch_add(b, CONTAINER_OF(ovs_list_pop_front(&api->backlog),
                                      struct api_call, node));
        return true;
    }
    while (b->n_calls < API_MAX_BATCH
           && (ex = http_server_next(api->http))) {
        struct api_call *call = api_start(api, ex);
        took = true;
        if (!call) {
            continue;
        } else if (call->op->access == OP_READS) {
            api_answer_read(api, call);
        } else {
            api_batch_add(b, call);
            if (call->op->access == OP_DELETES) {
                break;
            }
        }
    }
    return took;
}

/* Advances the batch in flight, then serves requests until a batch leaves
 * a transaction pending. */
void
api_run(struct api *api)
{
    struct api_batch *b = &api->batch;

    if (b->n_calls && !(b->waiting_since ? api_batch_resume(api)
                                         : api_batch_commit(api))) {
        return;
    }
    if (pldb_has_txn(api->db) || !plrec_privatelink_global_first(api->idl)) {
        /* Housekeeping owns the transaction, or the database is not ready:
         * requests wait in the queue. */
        return;
    }
    while (api_gather(api)) {
        if (b->n_calls) {
            api_batch_execute(api);
            if (!api_batch_commit(api)) {
                return;
            }
        }
    }
}

void
api_wait(struct api *api)
{
    const struct api_batch *b = &api->batch;

    if (b->n_calls && b->waiting_since) {
        poll_timer_wait_until(b->waiting_since + API_MAX_WAIT_MS);
    } else if (b->n_calls) {
        ovsdb_idl_txn_wait(b->txn);
    } else if (!pldb_has_txn(api->db)
               && plrec_privatelink_global_first(api->idl)) {
        if (!ovs_list_is_empty(&api->backlog)) {
            poll_immediate_wake();
        }
        http_server_wait(api->http);
    }
}

bool
api_has_txn(const struct api *api)
{
    return api->batch.n_calls != 0;
}

void
api_get_status(const struct api *api, struct ds *out)
{
    ds_put_format(out, "operations: %"PRIuSIZE"\n", op_count());
    ds_put_format(out, "calls: %llu (errors: %llu, retried transactions: "
                  "%llu)\n", api->n_calls, api->n_errors, api->n_retries);
    ds_put_format(out, "transactions: %llu (calls per transaction: max "
                  "%"PRIuSIZE"; rebuilt without a failed call: %llu; "
                  "split: %llu)\n", api->n_txns, api->max_txn_calls,
                  api->n_rebuilds, api->n_splits);
}
