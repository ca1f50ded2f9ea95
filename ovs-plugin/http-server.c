/*
 * http-server.c: plinkd's HTTP listener thread (see http-server.h).
 */
#include <config.h>
#include "http-server.h"

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <event2/buffer.h>
#include <event2/event.h>
#include <event2/http.h>
#include <event2/keyvalq_struct.h>
#include <event2/thread.h>

#include "openvswitch/poll-loop.h"
#include "openvswitch/vlog.h"
#include "ovs-atomic.h"
#include "ovs-thread.h"
#include "seq.h"
#include "timeval.h"
#include "util.h"

VLOG_DEFINE_THIS_MODULE(http_server);

/* The largest request body accepted (an endpoint policy is at most 20,480
 * characters; other requests are small). */
#define HTTP_MAX_BODY (1024 * 1024)

struct http_server {
    char *listen;               /* "IP:PORT" as configured. */
    struct event_base *base;    /* The HTTP thread's event loop. */
    struct evhttp *http;        /* The listener. */
    struct event *reply_ev;     /* Wakes the HTTP thread for replies. */
    pthread_t thread;           /* The HTTP thread. */

    struct ovs_mutex mutex;     /* Protects the two queues below. */
    struct ovs_list requests OVS_GUARDED;  /* For the main thread. */
    struct ovs_list replies OVS_GUARDED;   /* For the HTTP thread. */
    struct seq *request_seq;    /* Changes when 'requests' grows. */

    /* Owned by the HTTP thread. */
    struct ovs_list in_flight;  /* Exchanges handed to the main thread. */
    atomic_ullong n_requests;   /* Requests received so far. */
};

/* Frees 'ex' and everything it holds. */
void
http_exchange_free(struct http_exchange *ex)
{
    if (ex) {
        for (size_t i = 0; i < ex->n_headers; i++) {
            free(ex->headers[i].name);
            free(ex->headers[i].value);
        }
        free(ex->headers);
        free(ex->method);
        free(ex->path);
        free(ex->query);
        free(ex->body);
        ds_destroy(&ex->response);
        free(ex);
    }
}

/* Returns the value of header 'name' (case-insensitive) of 'ex', or NULL. */
const char *
http_exchange_header(const struct http_exchange *ex, const char *name)
{
    for (size_t i = 0; i < ex->n_headers; i++) {
        if (!strcasecmp(ex->headers[i].name, name)) {
            return ex->headers[i].value;
        }
    }
    return NULL;
}

static const char *
http_method_name(enum evhttp_cmd_type type)
{
    switch (type) {
    case EVHTTP_REQ_GET: return "GET";
    case EVHTTP_REQ_POST: return "POST";
    case EVHTTP_REQ_HEAD: return "HEAD";
    case EVHTTP_REQ_PUT: return "PUT";
    case EVHTTP_REQ_DELETE: return "DELETE";
    case EVHTTP_REQ_OPTIONS: return "OPTIONS";
    case EVHTTP_REQ_TRACE: return "TRACE";
    case EVHTTP_REQ_CONNECT: return "CONNECT";
    case EVHTTP_REQ_PATCH: return "PATCH";
    }
    return "UNKNOWN";
}

/* Copies libevent's request 'req' into a new exchange. */
static struct http_exchange *
http_exchange_from_evreq(struct evhttp_request *req)
{
    struct http_exchange *ex = xzalloc(sizeof *ex);
    const char *uri = evhttp_request_get_uri(req);
    const char *q = strchr(uri, '?');

    ex->method = xstrdup(http_method_name(evhttp_request_get_command(req)));
    ex->path = q ? xmemdup0(uri, q - uri) : xstrdup(uri);
    ex->query = xstrdup(q ? q + 1 : "");
    ex->received = time_wall_msec();

    struct evkeyvalq *in = evhttp_request_get_input_headers(req);
    for (struct evkeyval *kv = in->tqh_first; kv; kv = kv->next.tqe_next) {
        ex->headers = xrealloc(ex->headers,
                               (ex->n_headers + 1) * sizeof *ex->headers);
        ex->headers[ex->n_headers].name = xstrdup(kv->key);
        ex->headers[ex->n_headers].value = xstrdup(kv->value);
        ex->n_headers++;
    }

    struct evbuffer *buf = evhttp_request_get_input_buffer(req);
    ex->body_len = evbuffer_get_length(buf);
    ex->body = xmalloc(ex->body_len + 1);
    evbuffer_remove(buf, ex->body, ex->body_len);
    ex->body[ex->body_len] = '\0';

    ds_init(&ex->response);
    ex->evreq = req;
    ex->evcon = evhttp_request_get_connection(req);
    return ex;
}

/* Called by libevent when a client connection closes: exchanges still in
 * flight on it must not be answered, because libevent frees their
 * requests. */
static void
http_server_conn_closed(struct evhttp_connection *evcon, void *server_)
{
    struct http_server *server = server_;
    struct http_exchange *ex;

    LIST_FOR_EACH (ex, node, &server->in_flight) {
        if (ex->evcon == evcon) {
            ex->cancelled = true;
        }
    }
}

/* libevent's callback for every request: queue it for the main thread. */
static void
http_server_on_request(struct evhttp_request *req, void *server_)
{
    struct http_server *server = server_;
    struct http_exchange *ex = http_exchange_from_evreq(req);

    atomic_add_relaxed(&server->n_requests, 1, &(unsigned long long) {0});
    evhttp_connection_set_closecb(ex->evcon, http_server_conn_closed, server);

    /* 'in_flight' is the HTTP thread's record of what it handed out; the
     * main thread only sees the exchange through the 'requests' queue. */
    struct http_exchange *marker = xzalloc(sizeof *marker);
    marker->evcon = ex->evcon;
    marker->evreq = ex;
    ovs_list_push_back(&server->in_flight, &marker->node);

    ovs_mutex_lock(&server->mutex);
    ovs_list_push_back(&server->requests, &ex->node);
    ovs_mutex_unlock(&server->mutex);
    seq_change(server->request_seq);
}

/* Finds, removes and returns the in-flight marker of 'ex'. */
static struct http_exchange *
http_server_take_marker(struct http_server *server, struct http_exchange *ex)
{
    struct http_exchange *marker;
    LIST_FOR_EACH (marker, node, &server->in_flight) {
        if (marker->evreq == ex) {
            ovs_list_remove(&marker->node);
            return marker;
        }
    }
    return NULL;
}

/* Sends the response of 'ex' to its client, unless the client is gone. */
static void
http_server_send(struct http_server *server, struct http_exchange *ex)
{
    struct http_exchange *marker = http_server_take_marker(server, ex);
    bool cancelled = !marker || marker->cancelled;
    free(marker);
    if (cancelled) {
        return;
    }

    struct evhttp_request *req = ex->evreq;
    struct evkeyvalq *out = evhttp_request_get_output_headers(req);
    evhttp_add_header(out, "Content-Type", ex->content_type
                      ? ex->content_type : "text/plain");
    evhttp_add_header(out, "Server", "plinkd");

    struct evbuffer *buf = evbuffer_new();
    evbuffer_add(buf, ex->response.string, ex->response.length);
    evhttp_send_reply(req, ex->status, NULL, buf);
    evbuffer_free(buf);
}

/* The reply event: send every response the main thread has finished. */
static void
http_server_on_replies(evutil_socket_t fd OVS_UNUSED, short what OVS_UNUSED,
                       void *server_)
{
    struct http_server *server = server_;
    struct ovs_list replies;

    ovs_mutex_lock(&server->mutex);
    ovs_list_move(&replies, &server->replies);
    ovs_list_init(&server->replies);
    ovs_mutex_unlock(&server->mutex);

    struct http_exchange *ex;
    LIST_FOR_EACH_POP (ex, node, &replies) {
        http_server_send(server, ex);
        http_exchange_free(ex);
    }
}

/* The HTTP thread: runs libevent's loop until http_server_destroy(). */
static void *
http_server_thread(void *server_)
{
    struct http_server *server = server_;
    event_base_loop(server->base, EVLOOP_NO_EXIT_ON_EMPTY);
    return NULL;
}

/* Parses "IP:PORT" in 'listen'. */
static char *
http_server_parse_listen(const char *listen, char **ip, int *port)
{
    const char *colon = strrchr(listen, ':');
    char *end;
    long p = colon ? strtol(colon + 1, &end, 10) : -1;
    if (!colon || colon == listen || *end || p <= 0 || p > 65535) {
        return xasprintf("%s: listen address must be IP:PORT", listen);
    }
    *ip = xmemdup0(listen, colon - listen);
    *port = p;
    return NULL;
}

/* Binds 'listen' ("IP:PORT") and starts the HTTP thread.  Returns NULL
 * and stores the server in '*serverp', or returns an error message. */
char *
http_server_start(const char *listen, struct http_server **serverp)
{
    char *ip = NULL;
    int port = 0;
    char *error = http_server_parse_listen(listen, &ip, &port);
    if (error) {
        return error;
    }

    evthread_use_pthreads();
    struct http_server *server = xzalloc(sizeof *server);
    server->listen = xstrdup(listen);
    server->base = event_base_new();
    server->http = evhttp_new(server->base);
    evhttp_set_max_body_size(server->http, HTTP_MAX_BODY);
    evhttp_set_allowed_methods(server->http, EVHTTP_REQ_GET | EVHTTP_REQ_POST
                               | EVHTTP_REQ_HEAD);
    evhttp_set_gencb(server->http, http_server_on_request, server);
    if (!evhttp_bind_socket_with_handle(server->http, ip, port)) {
        error = xasprintf("%s: cannot listen (%s)", listen,
                          ovs_strerror(errno));
        free(ip);
        evhttp_free(server->http);
        event_base_free(server->base);
        free(server->listen);
        free(server);
        return error;
    }
    free(ip);

    ovs_mutex_init(&server->mutex);
    ovs_list_init(&server->requests);
    ovs_list_init(&server->replies);
    ovs_list_init(&server->in_flight);
    server->request_seq = seq_create();
    server->reply_ev = event_new(server->base, -1, EV_PERSIST,
                                 http_server_on_replies, server);
    event_add(server->reply_ev, NULL);
    server->thread = ovs_thread_create("http", http_server_thread, server);
    *serverp = server;
    return NULL;
}

/* Stops the HTTP thread and frees 'server'. */
void
http_server_destroy(struct http_server *server)
{
    if (!server) {
        return;
    }
    event_base_loopbreak(server->base);
    xpthread_join(server->thread, NULL);

    struct http_exchange *ex;
    LIST_FOR_EACH_POP (ex, node, &server->requests) {
        http_exchange_free(ex);
    }
    LIST_FOR_EACH_POP (ex, node, &server->replies) {
        http_exchange_free(ex);
    }
    LIST_FOR_EACH_POP (ex, node, &server->in_flight) {
        free(ex);
    }
    event_free(server->reply_ev);
    evhttp_free(server->http);
    event_base_free(server->base);
    seq_destroy(server->request_seq);
    ovs_mutex_destroy(&server->mutex);
    free(server->listen);
    free(server);
}

/* Returns the next request for the main thread, or NULL. */
struct http_exchange *
http_server_next(struct http_server *server)
{
    struct http_exchange *ex = NULL;
    ovs_mutex_lock(&server->mutex);
    if (!ovs_list_is_empty(&server->requests)) {
        ex = CONTAINER_OF(ovs_list_pop_front(&server->requests),
                          struct http_exchange, node);
    }
    ovs_mutex_unlock(&server->mutex);
    return ex;
}

/* Hands 'ex', with its response filled in, back to the HTTP thread. */
void
http_server_reply(struct http_server *server, struct http_exchange *ex)
{
    ovs_mutex_lock(&server->mutex);
    ovs_list_push_back(&server->replies, &ex->node);
    ovs_mutex_unlock(&server->mutex);
    event_active(server->reply_ev, EV_WRITE, 0);
}

/* Makes the main thread's poll_block() wake up when a request arrives. */
void
http_server_wait(struct http_server *server)
{
    uint64_t seqno = seq_read(server->request_seq);
    ovs_mutex_lock(&server->mutex);
    bool pending = !ovs_list_is_empty(&server->requests);
    ovs_mutex_unlock(&server->mutex);
    if (pending) {
        poll_immediate_wake();
    } else {
        seq_wait(server->request_seq, seqno);
    }
}

unsigned long long int
http_server_n_requests(const struct http_server *server)
{
    unsigned long long int n;
    atomic_read_relaxed(&CONST_CAST(struct http_server *, server)->n_requests,
                        &n);
    return n;
}

const char *
http_server_listen_address(const struct http_server *server)
{
    return server->listen;
}
