/*
 * http-server.h: plinkd's HTTP listener, on its own thread.
 *
 * libevent's evhttp runs in a thread of its own; the OVSDB IDL and every
 * API operation run in plinkd's main thread (the OVS poll loop).  The two
 * meet only here: the HTTP thread copies each request into a struct
 * http_exchange and queues it for the main thread, which wakes up through
 * a seq; the main thread fills in the response and hands the exchange
 * back, which wakes the HTTP thread through a libevent event.  Neither
 * thread ever touches the other's loop.
 */
#ifndef HTTP_SERVER_H
#define HTTP_SERVER_H 1

#include <stdbool.h>
#include <stddef.h>
#include "openvswitch/dynamic-string.h"
#include "openvswitch/list.h"
#include "compiler.h"

struct http_server;

/* One HTTP header of a request. */
struct http_header {
    char *name;                 /* As received (case preserved). */
    char *value;                /* As received. */
};

/* A request and, once the main thread has handled it, its response.  The
 * main thread owns it between http_server_next() and http_server_reply();
 * the HTTP thread owns it otherwise. */
struct http_exchange {
    struct ovs_list node;       /* In a queue of the server. */

    /* The request, filled in by the HTTP thread. */
    char *method;               /* "GET", "POST", ... */
    char *path;                 /* Raw path, without the query. */
    char *query;                /* Raw query string, "" if none. */
    struct http_header *headers; /* All request headers. */
    size_t n_headers;           /* Number of 'headers'. */
    char *body;                 /* Request body, null-terminated. */
    size_t body_len;            /* Body length in bytes. */
    long long int received;     /* Time of arrival (ms, time_wall_msec). */

    /* The response, filled in by the main thread. */
    int status;                 /* HTTP status code. */
    const char *content_type;   /* Content-Type of 'response'. */
    struct ds response;         /* Response body. */

    /* Private to the HTTP thread. */
    void *evreq;                /* The libevent request. */
    void *evcon;                /* Its connection. */
    bool cancelled;             /* The client went away. */
};

char *http_server_start(const char *listen, struct http_server **)
    OVS_WARN_UNUSED_RESULT;
void http_server_destroy(struct http_server *);

struct http_exchange *http_server_next(struct http_server *);
void http_server_reply(struct http_server *, struct http_exchange *);
void http_server_wait(struct http_server *);

void http_exchange_free(struct http_exchange *);
const char *http_exchange_header(const struct http_exchange *,
                                 const char *name);

/* Statistics. */
unsigned long long int http_server_n_requests(const struct http_server *);
const char *http_server_listen_address(const struct http_server *);

#endif /* http-server.h */
