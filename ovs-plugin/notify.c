/*
 * notify.c: delivery of connection notifications (see notify.h).
 */
#include <config.h>
#include "notify.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <event2/buffer.h>
#include <event2/event.h>
#include <event2/http.h>
#include <event2/thread.h>

#include "hmapx.h"
#include "lib/plink-idl.h"
#include "openvswitch/dynamic-string.h"
#include "openvswitch/json.h"
#include "openvswitch/list.h"
#include "openvswitch/poll-loop.h"
#include "openvswitch/vlog.h"
#include "ovs-thread.h"
#include "ovsdb-idl.h"
#include "seq.h"
#include "smap.h"
#include "sset.h"
#include "timeval.h"
#include "util.h"
#include "uuid.h"

VLOG_DEFINE_THIS_MODULE(notify);

/* Retries back off exponentially from 1 s up to this, in ms. */
#define NOTIFY_MAX_BACKOFF (60 * 1000)

/* How long a subscriber may take to answer, in seconds. */
#define NOTIFY_TIMEOUT 5

/* One delivery attempt of one outbox event to all its subscribers. */
struct notify_job {
    struct ovs_list node;       /* In a queue of 'struct notify'. */
    struct uuid row;            /* The outbox row. */
    char *endpoint_id;          /* Its endpoint (one job per endpoint). */
    char *body;                 /* The SNS document to POST. */
    char *message_id;           /* Its MessageId. */
    char *topic_arn;            /* Its topic. */
    struct sset urls;           /* Subscriber URLs. */

    /* Filled in by the HTTP thread. */
    size_t pending;             /* Requests still in flight. */
    char *error;                /* First failure, or NULL if all 2xx. */
    struct event_base *base;    /* The HTTP thread's loop. */
};

struct notify {
    struct ovsdb_idl *idl;      /* Outbox and topics only. */
    struct ovsdb_idl_txn *txn;  /* Results being written, or NULL. */
    struct sset busy;           /* Endpoints with a job in flight. */

    /* The HTTP thread. */
    pthread_t thread;           /* Runs 'base'. */
    struct event_base *base;    /* Its loop. */
    struct event *wake;         /* Makes it pick up new jobs. */
    struct ovs_mutex mutex;     /* Protects the two queues. */
    struct ovs_list todo OVS_GUARDED;  /* Jobs for the HTTP thread. */
    struct ovs_list done OVS_GUARDED;  /* Results for the main thread. */
    struct ovs_list posts;      /* HTTP thread's POSTs, done or not. */
    struct seq *done_seq;       /* Changes when 'done' grows. */

    /* Statistics. */
    unsigned long long int n_delivered; /* Events delivered. */
    unsigned long long int n_failed;    /* Failed attempts. */
};

static void
notify_job_free(struct notify_job *job)
{
    if (job) {
        free(job->endpoint_id);
        free(job->body);
        free(job->message_id);
        free(job->topic_arn);
        free(job->error);
        sset_destroy(&job->urls);
        free(job);
    }
}

/* The HTTP thread's end of a job: hands it back to the main thread. */
static void
notify_job_finished(struct notify *n, struct notify_job *job)
{
    ovs_mutex_lock(&n->mutex);
    ovs_list_push_back(&n->done, &job->node);
    ovs_mutex_unlock(&n->mutex);
    seq_change(n->done_seq);
}

/* State of one POST to one subscriber. */
struct notify_post {
    struct ovs_list node;       /* In 'posts' of 'struct notify'. */
    struct notify *n;           /* The notifier. */
    struct notify_job *job;     /* The job it is part of. */
    struct evhttp_connection *conn; /* Its connection. */
    bool done;                  /* Answered or failed: may be freed. */
};

/* Frees the POSTs that are done, or all of them with 'all' (once the HTTP
 * thread has stopped).  A connection cannot be freed from its own
 * request's callback, so this runs later, from the next wake-up. */
static void
notify_reap_posts(struct notify *n, bool all)
{
    struct notify_post *post;
    LIST_FOR_EACH_SAFE (post, node, &n->posts) {
        if (all || post->done) {
            ovs_list_remove(&post->node);
            evhttp_connection_free(post->conn);
            free(post);
        }
    }
}

/* Called by libevent when a subscriber answered or failed. */
static void
notify_on_response(struct evhttp_request *req, void *post_)
{
    struct notify_post *post = post_;
    struct notify_job *job = post->job;
    int status = req ? evhttp_request_get_response_code(req) : 0;

    if ((status < 200 || status > 299) && !job->error) {
        job->error = (status ? xasprintf("HTTP status %d", status)
                      : xstrdup("no answer"));
    }
    post->done = true;
    post->job = NULL;
    if (!--job->pending) {
        notify_job_finished(post->n, job);
    }
}

/* Starts the POST of 'job' to 'url'.  Returns false if it could not. */
static bool
notify_post(struct notify *n, struct notify_job *job, const char *url)
{
    struct evhttp_uri *uri = evhttp_uri_parse(url);
    const char *host = uri ? evhttp_uri_get_host(uri) : NULL;
    if (!host) {
        if (uri) {
            evhttp_uri_free(uri);
        }
        return false;
    }
    int port = evhttp_uri_get_port(uri) > 0 ? evhttp_uri_get_port(uri) : 80;
    const char *path = evhttp_uri_get_path(uri);

    struct notify_post *post = xzalloc(sizeof *post);
    post->n = n;
    post->job = job;
    post->conn = evhttp_connection_base_new(n->base, NULL, host, port);
    ovs_list_push_back(&n->posts, &post->node);
    evhttp_connection_set_timeout(post->conn, NOTIFY_TIMEOUT);
    struct evhttp_request *req = evhttp_request_new(notify_on_response, post);
    struct evkeyvalq *h = evhttp_request_get_output_headers(req);
    evhttp_add_header(h, "Host", host);
    evhttp_add_header(h, "Content-Type", "text/plain; charset=UTF-8");
    evhttp_add_header(h, "x-amz-sns-message-type", "Notification");
    evhttp_add_header(h, "x-amz-sns-message-id", job->message_id);
    evhttp_add_header(h, "x-amz-sns-topic-arn", job->topic_arn);
    evbuffer_add(evhttp_request_get_output_buffer(req), job->body,
                 strlen(job->body));
    job->pending++;
    evhttp_make_request(post->conn, req, EVHTTP_REQ_POST,
                        path && *path ? path : "/");
    evhttp_uri_free(uri);
    return true;
}

/* The HTTP thread: starts every queued job. */
static void
notify_on_wake(evutil_socket_t fd OVS_UNUSED, short what OVS_UNUSED,
               void *n_)
{
    struct notify *n = n_;
    struct ovs_list todo;

    notify_reap_posts(n, false);
    ovs_mutex_lock(&n->mutex);
    ovs_list_move(&todo, &n->todo);
    ovs_list_init(&n->todo);
    ovs_mutex_unlock(&n->mutex);

    struct notify_job *job;
    LIST_FOR_EACH_POP (job, node, &todo) {
        const char *url;
        job->pending = 1;       /* Held until every POST is started. */
        SSET_FOR_EACH (url, &job->urls) {
            if (!notify_post(n, job, url) && !job->error) {
                job->error = xasprintf("%s: not a valid URL", url);
            }
        }
        if (!--job->pending) {
            notify_job_finished(n, job);
        }
    }
}

static void *
notify_thread(void *n_)
{
    struct notify *n = n_;
    event_base_loop(n->base, EVLOOP_NO_EXIT_ON_EMPTY);
    return NULL;
}

/* Creates the notifier, with its own connection to 'db_remote'. */
struct notify *
notify_create(const char *db_remote)
{
    struct notify *n = xzalloc(sizeof *n);

    n->idl = ovsdb_idl_create(db_remote, &plrec_idl_class, false, true);
    ovsdb_idl_set_leader_only(n->idl, true);
    ovsdb_idl_add_table(n->idl, &plrec_table_notification_outbox);
    for (size_t i = 0; i < PLREC_NOTIFICATION_OUTBOX_N_COLUMNS; i++) {
        ovsdb_idl_add_column(n->idl, &plrec_notification_outbox_columns[i]);
    }
    ovsdb_idl_add_table(n->idl, &plrec_table_topic);
    ovsdb_idl_add_column(n->idl, &plrec_topic_col_topic_arn);
    ovsdb_idl_add_column(n->idl, &plrec_topic_col_subscriber_urls);
    sset_init(&n->busy);

    evthread_use_pthreads();
    n->base = event_base_new();
    n->wake = event_new(n->base, -1, EV_PERSIST, notify_on_wake, n);
    event_add(n->wake, NULL);
    ovs_mutex_init(&n->mutex);
    ovs_list_init(&n->todo);
    ovs_list_init(&n->done);
    ovs_list_init(&n->posts);
    n->done_seq = seq_create();
    n->thread = ovs_thread_create("notify", notify_thread, n);
    return n;
}

void
notify_destroy(struct notify *n)
{
    if (!n) {
        return;
    }
    event_base_loopbreak(n->base);
    xpthread_join(n->thread, NULL);

    /* Jobs still in flight belong to their POSTs: collect them first. */
    struct hmapx jobs = HMAPX_INITIALIZER(&jobs);
    struct notify_post *post;
    LIST_FOR_EACH (post, node, &n->posts) {
        if (post->job) {
            hmapx_add(&jobs, post->job);
        }
    }
    notify_reap_posts(n, true);
    struct hmapx_node *hn;
    HMAPX_FOR_EACH (hn, &jobs) {
        notify_job_free(hn->data);
    }
    hmapx_destroy(&jobs);

    struct notify_job *job;
    LIST_FOR_EACH_POP (job, node, &n->todo) {
        notify_job_free(job);
    }
    LIST_FOR_EACH_POP (job, node, &n->done) {
        notify_job_free(job);
    }
    event_free(n->wake);
    event_base_free(n->base);
    seq_destroy(n->done_seq);
    ovs_mutex_destroy(&n->mutex);
    if (n->txn) {
        ovsdb_idl_txn_destroy(n->txn);
    }
    sset_destroy(&n->busy);
    ovsdb_idl_destroy(n->idl);
    free(n);
}

/* Returns the SNS "Notification" document of outbox row 'o'. */
static char *
notify_sns_document(const struct plrec_notification_outbox *o,
                    const char *message_id)
{
    long long int ms = o->created_at;
    time_t secs = ms / 1000;
    struct tm tm;
    char when[32];
    gmtime_r(&secs, &tm);
    strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%S", &tm);

    struct json *j = json_object_create();
    json_object_put_string(j, "Type", "Notification");
    json_object_put_string(j, "MessageId", message_id);
    json_object_put_string(j, "TopicArn", o->topic_arn);
    json_object_put_string(j, "Subject", "VPC Endpoint Connection Event");
    json_object_put_string(j, "Message", o->message);
    json_object_put_nocopy(j, xstrdup("Timestamp"), json_string_create_nocopy(
                               xasprintf("%s.%03lldZ", when, ms % 1000)));
    json_object_put_string(j, "SignatureVersion", "1");
    char *s = json_to_string(j, JSSF_SORT);
    json_destroy(j);
    return s;
}

/* Returns the subscriber URLs of 'topic_arn' into 'urls'; false if there
 * is no such topic. */
static bool
notify_find_topic(struct notify *n, const char *topic_arn, struct sset *urls)
{
    const struct plrec_topic *t;
    PLREC_TOPIC_FOR_EACH (t, n->idl) {
        if (!strcmp(t->topic_arn, topic_arn)) {
            for (size_t i = 0; i < t->n_subscriber_urls; i++) {
                sset_add(urls, t->subscriber_urls[i]);
            }
            return true;
        }
    }
    return false;
}

/* Returns, per endpoint, the oldest event of the outbox (by seq) in
 * 'first', a map from endpoint id to row. */
static void
notify_first_events(struct notify *n, struct shash *first)
{
    const struct plrec_notification_outbox *o;
    PLREC_NOTIFICATION_OUTBOX_FOR_EACH (o, n->idl) {
        const struct plrec_notification_outbox *cur
            = shash_find_data(first, o->vpc_endpoint_id);
        if (!cur || o->seq < cur->seq) {
            shash_replace(first, o->vpc_endpoint_id, o);
        }
    }
}

/* Hands to the HTTP thread every event that is due and first in line for
 * its endpoint.  Returns the earliest time a waiting event is due, or
 * LLONG_MAX. */
static long long int
notify_dispatch(struct notify *n)
{
    struct shash first = SHASH_INITIALIZER(&first);
    long long int now = time_wall_msec();
    long long int next = LLONG_MAX;
    struct ovs_list jobs = OVS_LIST_INITIALIZER(&jobs);

    notify_first_events(n, &first);
    struct shash_node *node;
    SHASH_FOR_EACH (node, &first) {
        const struct plrec_notification_outbox *o = node->data;
        if (sset_contains(&n->busy, o->vpc_endpoint_id)) {
            continue;
        } else if (o->next_attempt_at > now) {
            next = MIN(next, o->next_attempt_at);
            continue;
        }
        struct notify_job *job = xzalloc(sizeof *job);
        job->row = o->header_.uuid;
        job->endpoint_id = xstrdup(o->vpc_endpoint_id);
        job->message_id = xasprintf(UUID_FMT, UUID_ARGS(&o->header_.uuid));
        job->topic_arn = xstrdup(o->topic_arn);
        job->body = notify_sns_document(o, job->message_id);
        sset_init(&job->urls);
        if (!notify_find_topic(n, o->topic_arn, &job->urls)) {
            job->error = xasprintf("no topic %s", o->topic_arn);
        }
        sset_add(&n->busy, o->vpc_endpoint_id);
        ovs_list_push_back(&jobs, &job->node);
    }
    shash_destroy(&first);

    if (!ovs_list_is_empty(&jobs)) {
        ovs_mutex_lock(&n->mutex);
        ovs_list_splice(&n->todo, ovs_list_front(&jobs), &jobs);
        ovs_mutex_unlock(&n->mutex);
        event_active(n->wake, EV_WRITE, 0);
    }
    return next;
}

/* Writes the outcome of 'job' into the transaction: delivered events
 * leave the outbox, failed ones wait longer each time. */
static void
notify_apply(struct notify *n, const struct notify_job *job)
{
    const struct plrec_notification_outbox *o
        = plrec_notification_outbox_get_for_uuid(n->idl, &job->row);
    if (!o) {
        return;
    }
    if (!n->txn) {
        n->txn = ovsdb_idl_txn_create(n->idl);
    }
    if (!job->error) {
        n->n_delivered++;
        plrec_notification_outbox_delete(o);
        return;
    }

    static struct vlog_rate_limit rl = VLOG_RATE_LIMIT_INIT(5, 5);
    long long int backoff = MIN(NOTIFY_MAX_BACKOFF,
                                1000LL << MIN(o->attempts, 16));
    n->n_failed++;
    VLOG_INFO_RL(&rl, "%s event of %s to %s: %s (retry in %lld ms)",
                 o->event_type, o->vpc_endpoint_id, o->topic_arn,
                 job->error, backoff);
    plrec_notification_outbox_set_attempts(o, o->attempts + 1);
    plrec_notification_outbox_set_next_attempt_at(o, time_wall_msec()
                                                  + backoff);
    plrec_notification_outbox_set_last_error(o, job->error);
}

/* Takes the results of finished jobs from the HTTP thread. */
static void
notify_collect(struct notify *n)
{
    struct ovs_list done;
    ovs_mutex_lock(&n->mutex);
    ovs_list_move(&done, &n->done);
    ovs_list_init(&n->done);
    ovs_mutex_unlock(&n->mutex);

    struct notify_job *job;
    LIST_FOR_EACH_POP (job, node, &done) {
        notify_apply(n, job);
        sset_find_and_delete(&n->busy, job->endpoint_id);
        notify_job_free(job);
    }
}

void
notify_run(struct notify *n)
{
    ovsdb_idl_run(n->idl);
    if (n->txn) {
        enum ovsdb_idl_txn_status status = ovsdb_idl_txn_commit(n->txn);
        if (status == TXN_INCOMPLETE) {
            return;
        }
        ovsdb_idl_txn_destroy(n->txn);
        n->txn = NULL;
    }
    if (!ovsdb_idl_is_connected(n->idl)) {
        return;
    }
    notify_collect(n);
    if (n->txn) {
        ovsdb_idl_txn_commit(n->txn);
        return;
    }
    long long int next = notify_dispatch(n);
    if (next != LLONG_MAX) {
        poll_timer_wait_until(time_msec() + (next - time_wall_msec()));
    }
}

void
notify_wait(struct notify *n)
{
    ovsdb_idl_wait(n->idl);
    if (n->txn) {
        ovsdb_idl_txn_wait(n->txn);
    }
    uint64_t seqno = seq_read(n->done_seq);
    ovs_mutex_lock(&n->mutex);
    bool done = !ovs_list_is_empty(&n->done);
    ovs_mutex_unlock(&n->mutex);
    if (done) {
        poll_immediate_wake();
    } else {
        seq_wait(n->done_seq, seqno);
    }
}

void
notify_get_status(const struct notify *n, struct ds *out)
{
    ds_put_format(out, "notifications: %llu delivered, %llu failed "
                  "attempts, %"PRIuSIZE" in flight\n", n->n_delivered,
                  n->n_failed, sset_count(&n->busy));
}
