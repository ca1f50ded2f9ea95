/*
 * plctl-client.c: credentials and signed Twirp calls (see plctl-client.h).
 */
#include <config.h>
#include "plctl-client.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <event2/buffer.h>
#include <event2/event.h>
#include <event2/http.h>

#include "openvswitch/dynamic-string.h"
#include "openvswitch/json.h"
#include "openvswitch/shash.h"
#include "sigv4.h"
#include "util.h"

#define TWIRP_PREFIX "/twirp/privatelink.v1.PrivateLink/"

/* Reads 'key' of section 'section' of the INI file 'path' (AWS CLI's
 * credentials and config files).  Returns a malloc'd value or NULL. */
static char *
plctl_ini_get(const char *path, const char *section, const char *key)
{
    FILE *f = path ? fopen(path, "r") : NULL;
    if (!f) {
        return NULL;
    }
    struct ds line = DS_EMPTY_INITIALIZER;
    char *value = NULL;
    bool in_section = false;

    while (!value && !ds_get_line(&line, f)) {
        char *s = ds_cstr(&line);
        s += strspn(s, " \t");
        if (*s == '[') {
            char *end = strchr(s, ']');
            in_section = end && (size_t) (end - s - 1) == strlen(section)
                         && !strncmp(s + 1, section, end - s - 1);
        } else if (in_section && !strncmp(s, key, strlen(key))) {
            char *p = s + strlen(key);
            p += strspn(p, " \t");
            if (*p == '=') {
                p++;
                p += strspn(p, " \t");
                value = xstrdup(p);
                size_t n = strlen(value);
                while (n && isspace((unsigned char) value[n - 1])) {
                    value[--n] = '\0';
                }
            }
        }
    }
    ds_destroy(&line);
    fclose(f);
    return value;
}

/* Returns the AWS CLI file named by environment variable 'var', or
 * ~/.aws/'name'. */
static char *
plctl_aws_file(const char *var, const char *name)
{
    const char *path = getenv(var);
    const char *home = getenv("HOME");
    return (path ? xstrdup(path)
            : home ? xasprintf("%s/.aws/%s", home, name) : NULL);
}

/* Finds credentials and region as the AWS CLI does: the environment when
 * no profile is named, otherwise (or when the environment has none) the
 * profile of the shared credentials file. */
char *
plctl_client_init(struct plctl_client *c, const char *endpoint_url,
                  const char *profile, const char *region)
{
    memset(c, 0, sizeof *c);
    c->timeout = 30;
    const char *url = (endpoint_url ? endpoint_url
                       : getenv("PLINK_ENDPOINT_URL") ? getenv("PLINK_ENDPOINT_URL")
                       : getenv("AWS_ENDPOINT_URL") ? getenv("AWS_ENDPOINT_URL")
                       : "http://127.0.0.1:8780");
    c->endpoint_url = xstrdup(url);

    if (!profile && getenv("AWS_ACCESS_KEY_ID")
        && getenv("AWS_SECRET_ACCESS_KEY")) {
        c->access_key_id = xstrdup(getenv("AWS_ACCESS_KEY_ID"));
        c->secret_access_key = xstrdup(getenv("AWS_SECRET_ACCESS_KEY"));
    } else {
        profile = profile ? profile
                  : getenv("AWS_PROFILE") ? getenv("AWS_PROFILE") : "default";
        char *creds = plctl_aws_file("AWS_SHARED_CREDENTIALS_FILE",
                                     "credentials");
        c->access_key_id = plctl_ini_get(creds, profile, "aws_access_key_id");
        c->secret_access_key = plctl_ini_get(creds, profile,
                                             "aws_secret_access_key");
        free(creds);
        if (!c->access_key_id || !c->secret_access_key) {
            return xasprintf("no credentials for profile %s (set "
                             "AWS_SHARED_CREDENTIALS_FILE or "
                             "AWS_ACCESS_KEY_ID)", profile);
        }
    }

    if (region) {
        c->region = xstrdup(region);
    } else if (getenv("AWS_REGION") || getenv("AWS_DEFAULT_REGION")) {
        c->region = xstrdup(getenv("AWS_REGION") ? getenv("AWS_REGION")
                                                 : getenv("AWS_DEFAULT_REGION"));
    } else {
        char *config = plctl_aws_file("AWS_CONFIG_FILE", "config");
        char *section = (profile && strcmp(profile, "default")
                         ? xasprintf("profile %s", profile)
                         : xstrdup("default"));
        c->region = plctl_ini_get(config, section, "region");
        free(section);
        free(config);
        if (!c->region) {
            c->region = xstrdup("us-east-1");
        }
    }
    return NULL;
}

void
plctl_client_destroy(struct plctl_client *c)
{
    free(c->endpoint_url);
    free(c->region);
    free(c->access_key_id);
    free(c->secret_access_key);
}

void
plctl_error_destroy(struct plctl_error *e)
{
    free(e->code);
    free(e->message);
    e->code = e->message = NULL;
}

/* The outcome of one HTTP exchange. */
struct plctl_http {
    struct event_base *base;    /* The client's event loop. */
    int status;                 /* HTTP status, 0 if none. */
    struct ds body;             /* Response body. */
    char *content_type;         /* Response Content-Type. */
};

static void
plctl_on_response(struct evhttp_request *req, void *h_)
{
    struct plctl_http *h = h_;
    if (req) {
        h->status = evhttp_request_get_response_code(req);
        struct evbuffer *buf = evhttp_request_get_input_buffer(req);
        size_t n = evbuffer_get_length(buf);
        ds_reserve(&h->body, n);
        evbuffer_remove(buf, h->body.string, n);
        h->body.length = n;
        h->body.string[n] = '\0';
        const char *ct = evhttp_find_header(
            evhttp_request_get_input_headers(req), "Content-Type");
        h->content_type = nullable_xstrdup(ct);
    }
    event_base_loopbreak(h->base);
}

/* Signs and sends 'body' to 'path' of the endpoint; fills in 'h'. */
static char *
plctl_http_post(const struct plctl_client *c, const char *path,
                const void *body, size_t len, struct plctl_http *h)
{
    struct evhttp_uri *uri = evhttp_uri_parse(c->endpoint_url);
    if (!uri || !evhttp_uri_get_host(uri)) {
        if (uri) {
            evhttp_uri_free(uri);
        }
        return xasprintf("%s: not a valid endpoint URL", c->endpoint_url);
    }
    const char *host = evhttp_uri_get_host(uri);
    int port = evhttp_uri_get_port(uri) > 0 ? evhttp_uri_get_port(uri) : 80;
    char *hostport = xasprintf("%s:%d", host, port);
    char amz_date[17];
    sigv4_format_amz_date(time(NULL), amz_date);

    struct sigv4_header headers[] = {
        { "Content-Type", "application/protobuf" },
        { "Host", hostport },
        { "X-Amz-Date", amz_date },
    };
    struct sigv4_request req = {
        .method = "POST", .path = path, .query = "",
        .headers = headers, .n_headers = ARRAY_SIZE(headers),
        .body = body, .body_len = len,
    };
    char *authorization = sigv4_sign(&req, c->access_key_id,
                                     c->secret_access_key, c->region, "ec2");

    h->base = event_base_new();
    struct evhttp_connection *conn = evhttp_connection_base_new(
        h->base, NULL, host, port);
    evhttp_connection_set_timeout(conn, c->timeout);
    struct evhttp_request *r = evhttp_request_new(plctl_on_response, h);
    struct evkeyvalq *out = evhttp_request_get_output_headers(r);
    for (size_t i = 0; i < ARRAY_SIZE(headers); i++) {
        evhttp_add_header(out, headers[i].name, headers[i].value);
    }
    evhttp_add_header(out, "Authorization", authorization);
    evbuffer_add(evhttp_request_get_output_buffer(r), body, len);
    evhttp_make_request(conn, r, EVHTTP_REQ_POST, path);
    event_base_dispatch(h->base);

    evhttp_connection_free(conn);
    event_base_free(h->base);
    free(authorization);
    free(hostport);
    evhttp_uri_free(uri);
    return h->status ? NULL : xasprintf("%s: no answer from plinkd",
                                        c->endpoint_url);
}

/* Reads a Twirp error body into 'e'. */
static void
plctl_parse_twirp_error(const struct plctl_http *h, struct plctl_error *e)
{
    struct json *j = json_from_string(ds_cstr_ro(&h->body));
    const struct json *code = NULL, *msg = NULL, *aws = NULL;
    if (j->type == JSON_OBJECT) {
        code = shash_find_data(j->object, "code");
        msg = shash_find_data(j->object, "msg");
        const struct json *meta = shash_find_data(j->object, "meta");
        aws = meta && meta->type == JSON_OBJECT
              ? shash_find_data(meta->object, "aws_code") : NULL;
    }
    e->code = xstrdup(aws && aws->type == JSON_STRING ? aws->string
                      : code && code->type == JSON_STRING ? code->string
                      : "InternalError");
    e->message = xstrdup(msg && msg->type == JSON_STRING ? msg->string
                         : ds_cstr_ro(&h->body));
    json_destroy(j);
}

/* Calls 'method' with 'request'.  Returns NULL if plinkd answered: either
 * '*responsep' is the response, or it is NULL and 'e' holds the AWS error.
 * Returns an error message if plinkd could not be reached. */
char *
plctl_client_call(const struct plctl_client *c, const char *method,
                  const ProtobufCMessage *request,
                  const ProtobufCMessageDescriptor *response_md,
                  ProtobufCMessage **responsep, struct plctl_error *e)
{
    size_t len = protobuf_c_message_get_packed_size(request);
    uint8_t *body = xmalloc(len + 1);
    protobuf_c_message_pack(request, body);

    char *path = xasprintf(TWIRP_PREFIX "%s", method);
    struct plctl_http h = { .body = DS_EMPTY_INITIALIZER };
    char *error = plctl_http_post(c, path, body, len, &h);
    free(path);
    free(body);

    *responsep = NULL;
    memset(e, 0, sizeof *e);
    if (!error) {
        if (h.status == 200) {
            *responsep = protobuf_c_message_unpack(
                response_md, NULL, h.body.length,
                (const uint8_t *) h.body.string);
            if (!*responsep) {
                error = xstrdup("plinkd sent a response that does not "
                                "decode");
            }
        } else {
            plctl_parse_twirp_error(&h, e);
        }
    }
    ds_destroy(&h.body);
    free(h.content_type);
    return error;
}
