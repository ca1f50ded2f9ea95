/*
 * Copyright (c) 2026 OVS PrivateLink authors.
 *
 * Licensed under the Apache License, Version 2.0 (the "License");
 * you may not use this file except in compliance with the License.
 * You may obtain a copy of the License at:
 *
 *     http://www.apache.org/licenses/LICENSE-2.0
 *
 * Unless required by applicable law or agreed to in writing, software
 * distributed under the License is distributed on an "AS IS" BASIS,
 * WITHOUT WARRANTIES OR CONDITIONS OF ANY KIND, either express or implied.
 * See the License for the specific language governing permissions and
 * limitations under the License.
 */

#ifndef SIGV4_H
#define SIGV4_H 1

/* AWS Signature Version 4.
 *
 * Every request to plinkd's EC2 API carries an "Authorization:
 * AWS4-HMAC-SHA256 ..." header computed by the client (the AWS CLI, an SDK
 * or plctl) from its secret access key.  plinkd parses that header with
 * sigv4_parse_authorization(), looks up the secret for the access key id,
 * and checks the request with sigv4_verify().  plctl goes the other way
 * with sigv4_sign().
 *
 * The canonicalization follows AWS's published rules for services other
 * than S3, as botocore implements them: the path has its dot segments and
 * empty segments removed and is then percent-encoded once more (so a path
 * that arrives already encoded ends up encoded twice, as the specification
 * requires); query parameters are decoded, re-encoded with only
 * "A-Za-z0-9-_.~" left alone, and sorted by key then value; header values
 * are trimmed with inner runs of white space squeezed to one space, and
 * repeated headers are joined with ','.
 *
 * This module is pure: it keeps no state, does no I/O, and takes the
 * current time as a parameter. */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>
#include "openvswitch/compiler.h"

struct ds;

/* One HTTP header, as received or as to be sent. */
struct sigv4_header {
    const char *name;           /* Header name, in any case. */
    const char *value;          /* Header value, untrimmed. */
};

/* An HTTP request to sign or to verify.  Nothing here is owned. */
struct sigv4_request {
    const char *method;         /* "POST", "GET", ... */
    const char *path;           /* Raw path as on the request line: "/". */
    const char *query;          /* Raw query string without '?', or "". */
    const struct sigv4_header *headers; /* All the request's headers. */
    size_t n_headers;           /* Number of elements in 'headers'. */
    const void *body;           /* The request body (may be NULL if empty). */
    size_t body_len;            /* Size of 'body' in bytes. */
};

/* A parsed "Authorization: AWS4-HMAC-SHA256 ..." header value.  Every
 * member is malloc'd and owned by the structure. */
struct sigv4_auth {
    char *access_key_id;        /* First element of the credential scope. */
    char *date;                 /* Scope date, "yyyymmdd". */
    char *region;               /* Scope region, e.g. "us-east-1". */
    char *service;              /* Scope service, e.g. "ec2". */
    char *signed_headers;       /* Sorted lower-case names joined by ';'. */
    char *signature;            /* 64 lower-case hex digits. */
};

char *sigv4_parse_authorization(const char *value, struct sigv4_auth *)
    OVS_WARN_UNUSED_RESULT;
void sigv4_auth_destroy(struct sigv4_auth *);

/* The outcome of sigv4_verify(). */
enum sigv4_status {
    SIGV4_OK,                   /* The signature is good. */
    SIGV4_MALFORMED,            /* The request cannot be checked at all. */
    SIGV4_EXPIRED,              /* Signed more than 15 minutes from now. */
    SIGV4_BAD_SIGNATURE         /* The signature does not match. */
};

/* How far, in seconds, a request's date may be from the server's clock. */
enum { SIGV4_MAX_SKEW = 15 * 60 };

enum sigv4_status sigv4_verify(const struct sigv4_request *,
                               const struct sigv4_auth *,
                               const char *secret, time_t now,
                               const char **errorp);
const char *sigv4_status_to_aws_code(enum sigv4_status);

void sigv4_format_amz_date(time_t, char buf[17]);
bool sigv4_parse_amz_date(const char *, time_t *);
bool sigv4_request_time(const struct sigv4_request *, time_t *);

char *sigv4_sign(const struct sigv4_request *, const char *access_key_id,
                 const char *secret, const char *region,
                 const char *service);

const char *sigv4_find_header(const struct sigv4_request *,
                              const char *name);

/* Building blocks, exposed for tests. */
void sigv4_canonical_uri(const char *path, struct ds *out);
void sigv4_canonical_query(const char *query, struct ds *out);
void sigv4_canonical_request(const struct sigv4_request *,
                             const char *signed_headers, struct ds *out);
void sigv4_string_to_sign(const char *amz_date, const char *scope,
                          const char *canonical_request, struct ds *out);
void sigv4_signing_key(const char *secret, const char *date,
                       const char *region, const char *service,
                       uint8_t key[32]);
void sigv4_sha256_hex(const void *, size_t, char hex[65]);

#endif /* sigv4.h */
