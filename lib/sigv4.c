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

/* AWS Signature Version 4: see sigv4.h for how plinkd and plctl use it.
 *
 * The signature of a request is
 *
 *     hex(HMAC(signing-key, string-to-sign))
 *
 * where the string to sign names the algorithm, the request time and the
 * credential scope and ends with the SHA-256 of the canonical request, and
 * the signing key is derived from the secret and the scope by a chain of
 * HMACs.  The canonical request is the part that has to be bit-exact with
 * the client's idea of it, so each of its lines has its own function
 * below. */

#include <config.h>
#include "sigv4.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/sha.h>

#include "openvswitch/dynamic-string.h"
#include "util.h"

/* The only algorithm we speak. */
#define SIGV4_ALGORITHM "AWS4-HMAC-SHA256"

/* The fixed last element of every credential scope. */
#define SIGV4_TERMINATOR "aws4_request"

static const char sigv4_bad_signature_msg[] =
    "The request signature we calculated does not match the signature you "
    "provided. Check your AWS Secret Access Key and signing method. Consult "
    "the service documentation for details.";

static void sigv4_hmac(const void *key, size_t key_len,
                       const void *data, size_t data_len, uint8_t out[32]);
static void sigv4_hex(const uint8_t *, size_t, char *hex);
static bool sigv4_is_unreserved(unsigned char);
static void sigv4_uri_encode(const char *s, size_t n, bool keep_slash,
                             struct ds *out);
static char *sigv4_percent_decode(const char *s, size_t n);
static void sigv4_normalize_path(const char *path, struct ds *out);
static void sigv4_canonical_header_value(const struct sigv4_request *,
                                         const char *name, size_t name_len,
                                         struct ds *out);
static char *sigv4_all_signed_headers(const struct sigv4_request *);
static void sigv4_compute_signature(const struct sigv4_request *,
                                    const char *signed_headers,
                                    const char *amz_date,
                                    const char *secret, const char *date,
                                    const char *region, const char *service,
                                    char signature[65]);
static bool sigv4_parse_http_date(const char *, time_t *);
static bool sigv4_make_time(int year, int month, int day, int hour, int min,
                            int sec, time_t *);
static bool sigv4_signed_headers_has(const char *signed_headers,
                                     const char *name);

/* Parsing the Authorization header. */

/* Returns a copy of 'n' bytes at 's' with white space trimmed from both
 * ends. */
static char *
sigv4_xmemdup_trimmed(const char *s, size_t n)
{
    while (n && isspace((unsigned char) *s)) {
        s++;
        n--;
    }
    while (n && isspace((unsigned char) s[n - 1])) {
        n--;
    }
    return xmemdup0(s, n);
}

/* Parses the credential 'cred' ("AKID/yyyymmdd/region/service/aws4_request")
 * into 'auth'.  Returns NULL if successful, otherwise a malloc'd error
 * message. */
static char * OVS_WARN_UNUSED_RESULT
sigv4_parse_credential(const char *cred, struct sigv4_auth *auth)
{
    size_t n_slashes = 0;
    for (const char *s = cred; *s; s++) {
        n_slashes += *s == '/';
    }
    if (n_slashes != 4) {
        return xasprintf("Credential should be scoped correctly: "
                         "'<access key id>/<yyyymmdd>/<region>/<service>/"
                         SIGV4_TERMINATOR "', not '%s'.", cred);
    }

    char *parts[5];
    const char *p = cred;
    for (int i = 0; i < 5; i++) {
        size_t len = strcspn(p, "/");
        parts[i] = xmemdup0(p, len);
        p += len + 1;
    }

    char *error = NULL;
    if (!parts[0][0]) {
        error = xstrdup("Credential has an empty access key id.");
    } else if (strlen(parts[1]) != 8
               || strspn(parts[1], "0123456789") != 8) {
        error = xasprintf("Credential should be scoped to a valid date "
                          "(yyyymmdd), not '%s'.", parts[1]);
    } else if (!parts[2][0]) {
        error = xstrdup("Credential should be scoped to a valid region.");
    } else if (!parts[3][0]) {
        error = xstrdup("Credential should be scoped to a valid service.");
    } else if (strcmp(parts[4], SIGV4_TERMINATOR)) {
        error = xasprintf("Credential should be scoped with a valid "
                          "terminator: '" SIGV4_TERMINATOR "', not '%s'.",
                          parts[4]);
    }

    if (error) {
        for (int i = 0; i < 5; i++) {
            free(parts[i]);
        }
        return error;
    }
    auth->access_key_id = parts[0];
    auth->date = parts[1];
    auth->region = parts[2];
    auth->service = parts[3];
    free(parts[4]);
    return NULL;
}

/* Checks that 'sh' is a valid SignedHeaders value: one or more non-empty
 * lower-case header names, separated by ';', in strictly ascending order.
 * Returns NULL if so, otherwise a malloc'd error message. */
static char * OVS_WARN_UNUSED_RESULT
sigv4_check_signed_headers(const char *sh)
{
    const char *prev = NULL;
    size_t prev_len = 0;
    const char *p = sh;

    for (;;) {
        size_t len = strcspn(p, ";");

        if (!len) {
            return xasprintf("SignedHeaders '%s' contains an empty header "
                             "name.", sh);
        }
        for (size_t i = 0; i < len; i++) {
            unsigned char c = p[i];
            if (c <= ' ' || c >= 0x7f || c == ':' || isupper(c)) {
                return xasprintf("SignedHeaders '%s' must be a list of "
                                 "lower-case header names.", sh);
            }
        }
        if (prev) {
            int cmp = memcmp(prev, p, MIN(prev_len, len));
            if (cmp > 0 || (!cmp && prev_len >= len)) {
                return xasprintf("SignedHeaders '%s' must be sorted and "
                                 "free of duplicates.", sh);
            }
        }
        prev = p;
        prev_len = len;
        if (!p[len]) {
            return NULL;
        }
        p += len + 1;
    }
}

/* Parses 'value', the value of an HTTP Authorization header of the form
 *
 *     AWS4-HMAC-SHA256 Credential=AKID/20150830/us-east-1/ec2/aws4_request,
 *         SignedHeaders=content-type;host;x-amz-date, Signature=<64 hex>
 *
 * into 'auth'.  The three components may come in any order.  Returns NULL
 * if successful, in which case the caller must eventually call
 * sigv4_auth_destroy(auth).  On failure, returns a malloc'd error message
 * and leaves 'auth' with all members null (destroying it is harmless). */
char *
sigv4_parse_authorization(const char *value, struct sigv4_auth *auth)
{
    size_t alg_len = strlen(SIGV4_ALGORITHM);
    char *credential = NULL;
    char *error = NULL;

    memset(auth, 0, sizeof *auth);

    value += strspn(value, " \t");
    if (strncmp(value, SIGV4_ALGORITHM, alg_len)
        || (value[alg_len] != ' ' && value[alg_len] != '\t')) {
        return xstrdup("Unsupported Authorization Type: only '"
                       SIGV4_ALGORITHM "' is supported.");
    }

    const char *p = value + alg_len;
    p += strspn(p, " \t");
    bool more = *p != '\0';        /* A comma promises one more. */
    while (more && !error) {
        size_t len = strcspn(p, ",");
        char *component = sigv4_xmemdup_trimmed(p, len);
        more = p[len] == ',';
        p += len + more;

        char *eq = strchr(component, '=');
        char **dst = NULL;
        if (eq) {
            *eq = '\0';
            if (!strcmp(component, "Credential")) {
                dst = &credential;
            } else if (!strcmp(component, "SignedHeaders")) {
                dst = &auth->signed_headers;
            } else if (!strcmp(component, "Signature")) {
                dst = &auth->signature;
            }
        }
        if (!dst) {
            error = (component[0]
                     ? xasprintf("Authorization header component '%s' is "
                                 "not of the form Key=Value with a known "
                                 "Key.", component)
                     : xstrdup("Authorization header has an empty "
                               "component."));
        } else if (*dst) {
            error = xasprintf("Authorization header has more than one "
                              "'%s' parameter.", component);
        } else {
            *dst = xstrdup(eq + 1);
        }
        free(component);
    }

    if (!error) {
        if (!credential) {
            error = xstrdup("Authorization header requires 'Credential' "
                            "parameter.");
        } else if (!auth->signed_headers) {
            error = xstrdup("Authorization header requires "
                            "'SignedHeaders' parameter.");
        } else if (!auth->signature) {
            error = xstrdup("Authorization header requires 'Signature' "
                            "parameter.");
        }
    }
    if (!error) {
        error = sigv4_parse_credential(credential, auth);
    }
    if (!error) {
        error = sigv4_check_signed_headers(auth->signed_headers);
    }
    if (!error) {
        char *sig = auth->signature;
        if (strlen(sig) != 64 || strspn(sig, "0123456789abcdefABCDEF") != 64) {
            error = xstrdup("Signature must be 64 hexadecimal digits.");
        } else {
            for (char *s = sig; *s; s++) {
                *s = tolower((unsigned char) *s);
            }
        }
    }

    free(credential);
    if (error) {
        sigv4_auth_destroy(auth);
    }
    return error;
}

/* Frees the members of 'auth' (but not 'auth' itself) and sets them to
 * null.  Accepts NULL. */
void
sigv4_auth_destroy(struct sigv4_auth *auth)
{
    if (auth) {
        free(auth->access_key_id);
        free(auth->date);
        free(auth->region);
        free(auth->service);
        free(auth->signed_headers);
        free(auth->signature);
        memset(auth, 0, sizeof *auth);
    }
}

/* Verification and signing. */

/* Verifies that 'req' was signed as 'auth' describes with the secret access
 * key 'secret'.  'now' is the server's clock.
 *
 * The request time comes from the X-Amz-Date header or, failing that, the
 * Date header, and must be within SIGV4_MAX_SKEW seconds of 'now'; the
 * credential scope date must be the request time's date; and "host" must
 * be among the signed headers.  The caller remains responsible for
 * checking that the scope's region and service are its own.
 *
 * On failure, if 'errorp' is nonnull, stores in '*errorp' a static
 * human-readable message suitable for an AWS error response's Message
 * element. */
enum sigv4_status
sigv4_verify(const struct sigv4_request *req, const struct sigv4_auth *auth,
             const char *secret, time_t now, const char **errorp)
{
    const char *dummy;
    if (!errorp) {
        errorp = &dummy;
    }
    *errorp = NULL;

    if (!auth->access_key_id || !auth->date || !auth->region
        || !auth->service || !auth->signed_headers || !auth->signature) {
        *errorp = "Authorization header is incomplete.";
        return SIGV4_MALFORMED;
    }
    if (!sigv4_signed_headers_has(auth->signed_headers, "host")) {
        *errorp = "'Host' or ':authority' must be a 'SignedHeader' in the "
                  "AWS Authorization.";
        return SIGV4_MALFORMED;
    }

    time_t t;
    if (!sigv4_find_header(req, "x-amz-date")
        && !sigv4_find_header(req, "date")) {
        *errorp = "Authorization header requires existence of either a "
                  "'X-Amz-Date' or a 'Date' header.";
        return SIGV4_MALFORMED;
    }
    if (!sigv4_request_time(req, &t)) {
        *errorp = "The request's X-Amz-Date or Date header is not a valid "
                  "date.";
        return SIGV4_MALFORMED;
    }
    if (t < now - SIGV4_MAX_SKEW || t > now + SIGV4_MAX_SKEW) {
        *errorp = "Signature expired: the request time is more than 15 "
                  "minutes away from the current time.";
        return SIGV4_EXPIRED;
    }

    char amz_date[17];
    sigv4_format_amz_date(t, amz_date);
    if (strncmp(auth->date, amz_date, 8)) {
        *errorp = "Date in Credential scope does not match YYYYMMDD from "
                  "ISO-8601 version of date from HTTP.";
        return SIGV4_MALFORMED;
    }
    if (strlen(auth->signature) != 64) {
        *errorp = sigv4_bad_signature_msg;
        return SIGV4_BAD_SIGNATURE;
    }

    char signature[65];
    sigv4_compute_signature(req, auth->signed_headers, amz_date, secret,
                            auth->date, auth->region, auth->service,
                            signature);
    if (CRYPTO_memcmp(signature, auth->signature, 64)) {
        *errorp = sigv4_bad_signature_msg;
        return SIGV4_BAD_SIGNATURE;
    }
    return SIGV4_OK;
}

/* Returns the AWS error code that corresponds to 'status', e.g.
 * "SignatureDoesNotMatch", or NULL for SIGV4_OK. */
const char *
sigv4_status_to_aws_code(enum sigv4_status status)
{
    switch (status) {
    case SIGV4_OK:
        return NULL;
    case SIGV4_MALFORMED:
        return "IncompleteSignature";
    case SIGV4_EXPIRED:
        return "RequestExpired";
    case SIGV4_BAD_SIGNATURE:
        return "SignatureDoesNotMatch";
    }
    OVS_NOT_REACHED();
}

/* Formats 't' as an X-Amz-Date value such as "20150830T123600Z" into 'buf'
 * (16 characters plus a null terminator). */
void
sigv4_format_amz_date(time_t t, char buf[17])
{
    struct tm tm;

    if (!gmtime_r(&t, &tm)
        || strftime(buf, 17, "%Y%m%dT%H%M%SZ", &tm) != 16) {
        ovs_strlcpy(buf, "19700101T000000Z", 17);
    }
}

/* Parses 's', an X-Amz-Date value of the exact form "yyyymmddThhmmssZ",
 * into '*tp'.  Returns true if successful, false if 's' is malformed. */
bool
sigv4_parse_amz_date(const char *s, time_t *tp)
{
    int v[6];
    static const int widths[6] = { 4, 2, 2, 2, 2, 2 };

    if (strlen(s) != 16 || s[8] != 'T' || s[15] != 'Z') {
        return false;
    }
    const char *p = s;
    for (int i = 0; i < 6; i++) {
        if (i == 3) {
            p++;                /* Skip 'T'. */
        }
        v[i] = 0;
        for (int j = 0; j < widths[i]; j++, p++) {
            if (!isdigit((unsigned char) *p)) {
                return false;
            }
            v[i] = v[i] * 10 + (*p - '0');
        }
    }
    return sigv4_make_time(v[0], v[1], v[2], v[3], v[4], v[5], tp);
}

/* Determines the time at which 'req' was signed, from its X-Amz-Date header
 * or, if it has none, its Date header (in the RFC 7231 IMF-fixdate form
 * "Sun, 30 Aug 2015 12:36:00 GMT").  Returns true and stores the time in
 * '*tp' if successful, false if there is no such header or it is
 * malformed. */
bool
sigv4_request_time(const struct sigv4_request *req, time_t *tp)
{
    const char *amz_date = sigv4_find_header(req, "x-amz-date");
    if (amz_date) {
        char *s = sigv4_xmemdup_trimmed(amz_date, strlen(amz_date));
        bool ok = sigv4_parse_amz_date(s, tp);
        free(s);
        return ok;
    }

    const char *date = sigv4_find_header(req, "date");
    return date && sigv4_parse_http_date(date, tp);
}

/* Signs 'req', which must already contain every header to be signed,
 * including "host" and "x-amz-date" (or "date"), with 'secret' for the
 * given access key, region and service.  Every header in 'req' is signed.
 * Returns the value for the Authorization header as a malloc'd string, or
 * NULL if 'req' has no valid X-Amz-Date or Date header. */
char *
sigv4_sign(const struct sigv4_request *req, const char *access_key_id,
           const char *secret, const char *region, const char *service)
{
    time_t t;
    if (!sigv4_request_time(req, &t)) {
        return NULL;
    }

    char amz_date[17];
    sigv4_format_amz_date(t, amz_date);
    char date[9];
    memcpy(date, amz_date, 8);
    date[8] = '\0';

    char *signed_headers = sigv4_all_signed_headers(req);
    char signature[65];
    sigv4_compute_signature(req, signed_headers, amz_date, secret, date,
                            region, service, signature);

    char *auth = xasprintf(SIGV4_ALGORITHM " Credential=%s/%s/%s/%s/"
                           SIGV4_TERMINATOR ", SignedHeaders=%s, "
                           "Signature=%s", access_key_id, date, region,
                           service, signed_headers, signature);
    free(signed_headers);
    return auth;
}

/* Returns the value of the first header in 'req' named 'name' (compared
 * case-insensitively), or NULL if there is none. */
const char *
sigv4_find_header(const struct sigv4_request *req, const char *name)
{
    for (size_t i = 0; i < req->n_headers; i++) {
        if (!strcasecmp(req->headers[i].name, name)) {
            return req->headers[i].value;
        }
    }
    return NULL;
}

/* Canonicalization. */

/* Appends to 'out' the canonical URI for 'path': 'path' with its empty and
 * "." segments removed and its ".." segments resolved (keeping a trailing
 * slash), then percent-encoded with '/' and "A-Za-z0-9-_.~" left as is.
 * An empty path becomes "/". */
void
sigv4_canonical_uri(const char *path, struct ds *out)
{
    struct ds normalized = DS_EMPTY_INITIALIZER;

    sigv4_normalize_path(path ? path : "", &normalized);
    sigv4_uri_encode(normalized.string, normalized.length, true, out);
    ds_destroy(&normalized);
}

/* One query string parameter, both parts encoded canonically. */
struct sigv4_param {
    char *key;                  /* Encoded parameter name. */
    char *value;                /* Encoded parameter value, possibly "". */
};

/* qsort() comparison function for struct sigv4_param: by key, then by
 * value, comparing bytes. */
static int
sigv4_param_compare(const void *a_, const void *b_)
{
    const struct sigv4_param *a = a_;
    const struct sigv4_param *b = b_;
    int cmp = strcmp(a->key, b->key);
    return cmp ? cmp : strcmp(a->value, b->value);
}

/* Encodes the 'n' bytes at 's', which are percent-decoded first, in the
 * canonical form and returns the result as a malloc'd string. */
static char *
sigv4_reencode(const char *s, size_t n)
{
    struct ds out = DS_EMPTY_INITIALIZER;
    char *decoded = sigv4_percent_decode(s, n);

    ds_put_cstr(&out, "");
    sigv4_uri_encode(decoded, strlen(decoded), false, &out);
    free(decoded);
    return ds_steal_cstr(&out);
}

/* Appends to 'out' the canonical form of 'query', a raw query string
 * without the leading '?': every "key=value" (or bare "key") parameter is
 * percent-decoded and re-encoded with only "A-Za-z0-9-_.~" left as is, and
 * the parameters are sorted by key, then value, and joined with '&'. */
void
sigv4_canonical_query(const char *query, struct ds *out)
{
    struct sigv4_param *params = NULL;
    size_t n = 0, allocated = 0;

    const char *p = query ? query : "";
    while (*p) {
        size_t len = strcspn(p, "&");
        if (len) {
            const char *eq = memchr(p, '=', len);
            size_t key_len = eq ? eq - p : len;

            if (n >= allocated) {
                params = x2nrealloc(params, &allocated, sizeof *params);
            }
            params[n].key = sigv4_reencode(p, key_len);
            params[n].value = (eq
                               ? sigv4_reencode(eq + 1, len - key_len - 1)
                               : xstrdup(""));
            n++;
        }
        p += len + (p[len] == '&');
    }

    qsort(params, n, sizeof *params, sigv4_param_compare);
    for (size_t i = 0; i < n; i++) {
        ds_put_format(out, "%s%s=%s", i ? "&" : "",
                      params[i].key, params[i].value);
        free(params[i].key);
        free(params[i].value);
    }
    free(params);
}

/* Appends to 'out' the canonical request for 'req', covering the headers
 * named in 'signed_headers' (lower-case names separated by ';', in the
 * order they are to appear, which must be sorted):
 *
 *     METHOD
 *     canonical URI
 *     canonical query string
 *     name1:value1
 *     ...
 *     (empty line)
 *     signed_headers
 *     hex SHA-256 of the body, or the x-amz-content-sha256 header's value
 *
 * with no newline at the end.  A signed header missing from 'req' appears
 * with an empty value (and so the signature will not match). */
void
sigv4_canonical_request(const struct sigv4_request *req,
                        const char *signed_headers, struct ds *out)
{
    ds_put_format(out, "%s\n", req->method);
    sigv4_canonical_uri(req->path, out);
    ds_put_char(out, '\n');
    sigv4_canonical_query(req->query, out);
    ds_put_char(out, '\n');

    const char *p = signed_headers;
    while (*p) {
        size_t len = strcspn(p, ";");
        if (len) {
            for (size_t i = 0; i < len; i++) {
                ds_put_char(out, tolower((unsigned char) p[i]));
            }
            ds_put_char(out, ':');
            sigv4_canonical_header_value(req, p, len, out);
            ds_put_char(out, '\n');
        }
        p += len + (p[len] == ';');
    }
    ds_put_format(out, "\n%s\n", signed_headers);

    const char *content_sha256 = sigv4_find_header(req,
                                                   "x-amz-content-sha256");
    if (content_sha256) {
        char *trimmed = sigv4_xmemdup_trimmed(content_sha256,
                                              strlen(content_sha256));
        ds_put_cstr(out, trimmed);
        free(trimmed);
    } else {
        char hex[65];
        sigv4_sha256_hex(req->body ? req->body : "", req->body_len, hex);
        ds_put_cstr(out, hex);
    }
}

/* Appends to 'out' the string to sign for a request signed at 'amz_date'
 * ("yyyymmddThhmmssZ") within credential scope 'scope'
 * ("yyyymmdd/region/service/aws4_request") whose canonical request is
 * 'canonical_request'. */
void
sigv4_string_to_sign(const char *amz_date, const char *scope,
                     const char *canonical_request, struct ds *out)
{
    char hex[65];

    sigv4_sha256_hex(canonical_request, strlen(canonical_request), hex);
    ds_put_format(out, SIGV4_ALGORITHM "\n%s\n%s\n%s", amz_date, scope, hex);
}

/* Derives into 'key' the signing key for secret access key 'secret' and
 * the credential scope given by 'date' ("yyyymmdd"), 'region' and
 * 'service'. */
void
sigv4_signing_key(const char *secret, const char *date, const char *region,
                  const char *service, uint8_t key[32])
{
    char *k_secret = xasprintf("AWS4%s", secret);
    uint8_t k_date[32], k_region[32], k_service[32];

    sigv4_hmac(k_secret, strlen(k_secret), date, strlen(date), k_date);
    sigv4_hmac(k_date, 32, region, strlen(region), k_region);
    sigv4_hmac(k_region, 32, service, strlen(service), k_service);
    sigv4_hmac(k_service, 32, SIGV4_TERMINATOR, strlen(SIGV4_TERMINATOR),
               key);

    OPENSSL_cleanse(k_secret, strlen(k_secret));
    OPENSSL_cleanse(k_date, sizeof k_date);
    OPENSSL_cleanse(k_region, sizeof k_region);
    OPENSSL_cleanse(k_service, sizeof k_service);
    free(k_secret);
}

/* Stores in 'hex' the SHA-256 of the 'n' bytes at 'data' as 64 lower-case
 * hex digits and a null terminator. */
void
sigv4_sha256_hex(const void *data, size_t n, char hex[65])
{
    uint8_t md[SHA256_DIGEST_LENGTH];

    SHA256(data, n, md);
    sigv4_hex(md, sizeof md, hex);
}

/* Helpers. */

/* Stores HMAC-SHA256('key', 'data') into 'out'. */
static void
sigv4_hmac(const void *key, size_t key_len, const void *data,
           size_t data_len, uint8_t out[32])
{
    unsigned int out_len = 32;

    if (!HMAC(EVP_sha256(), key, key_len, data, data_len, out, &out_len)
        || out_len != 32) {
        ovs_abort(0, "HMAC-SHA256 failed");
    }
}

/* Writes the 'n' bytes at 'data' into 'hex' as 2 * 'n' lower-case hex
 * digits and a null terminator. */
static void
sigv4_hex(const uint8_t *data, size_t n, char *hex)
{
    static const char digits[] = "0123456789abcdef";

    for (size_t i = 0; i < n; i++) {
        hex[2 * i] = digits[data[i] >> 4];
        hex[2 * i + 1] = digits[data[i] & 15];
    }
    hex[2 * n] = '\0';
}

/* Returns true if 'c' is an RFC 3986 unreserved character, which SigV4
 * never percent-encodes. */
static bool
sigv4_is_unreserved(unsigned char c)
{
    return isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~';
}

/* Appends the 'n' bytes at 's' to 'out', percent-encoding with upper-case
 * hex digits every byte that is not unreserved (and, if 'keep_slash' is
 * true, not '/'). */
static void
sigv4_uri_encode(const char *s, size_t n, bool keep_slash, struct ds *out)
{
    for (size_t i = 0; i < n; i++) {
        unsigned char c = s[i];
        if (c < 0x80 && (sigv4_is_unreserved(c) || (keep_slash && c == '/'))) {
            ds_put_char(out, c);
        } else {
            ds_put_format(out, "%%%02X", c);
        }
    }
}

/* Returns a malloc'd copy of the 'n' bytes at 's' with each valid "%XX"
 * escape replaced by the byte it stands for.  A '%' not followed by two hex
 * digits stands for itself, and '+' is not treated as a space. */
static char *
sigv4_percent_decode(const char *s, size_t n)
{
    char *out = xmalloc(n + 1);
    size_t j = 0;

    for (size_t i = 0; i < n; i++) {
        if (s[i] == '%' && i + 2 < n
            && isxdigit((unsigned char) s[i + 1])
            && isxdigit((unsigned char) s[i + 2])) {
            out[j++] = hexit_value(s[i + 1]) * 16 + hexit_value(s[i + 2]);
            i += 2;
        } else {
            out[j++] = s[i];
        }
    }
    out[j] = '\0';
    return out;
}

/* Appends to 'out' the normalized form of 'path': empty and "." segments
 * are dropped, each ".." drops the segment before it (if any), a leading
 * slash is kept, and a trailing slash is kept unless nothing else remains.
 * An empty result becomes "/".  These are the rules botocore applies to
 * every service but S3. */
static void
sigv4_normalize_path(const char *path, struct ds *out)
{
    size_t path_len = strlen(path);
    const char **segs = xmalloc((path_len / 2 + 2) * sizeof *segs);
    size_t *lens = xmalloc((path_len / 2 + 2) * sizeof *lens);
    size_t n = 0;

    const char *p = path;
    for (;;) {
        size_t len = strcspn(p, "/");
        if (!len || (len == 1 && p[0] == '.')) {
            /* Skip empty and "." segments. */
        } else if (len == 2 && p[0] == '.' && p[1] == '.') {
            if (n) {
                n--;
            }
        } else {
            segs[n] = p;
            lens[n] = len;
            n++;
        }
        if (!p[len]) {
            break;
        }
        p += len + 1;
    }

    size_t start = out->length;
    if (path[0] == '/') {
        ds_put_char(out, '/');
    }
    for (size_t i = 0; i < n; i++) {
        if (i) {
            ds_put_char(out, '/');
        }
        ds_put_buffer(out, segs[i], lens[i]);
    }
    if (n && path_len && path[path_len - 1] == '/') {
        ds_put_char(out, '/');
    }
    if (out->length == start) {
        ds_put_char(out, '/');
    }
    free(segs);
    free(lens);
}

/* Appends to 'out' the canonical value of the header named by the
 * 'name_len' bytes at 'name': the values of every header in 'req' with
 * that name (case-insensitively), in order, each with leading and trailing
 * white space removed and inner runs of white space replaced by one space,
 * joined by ','. */
static void
sigv4_canonical_header_value(const struct sigv4_request *req,
                             const char *name, size_t name_len,
                             struct ds *out)
{
    bool first = true;

    for (size_t i = 0; i < req->n_headers; i++) {
        const struct sigv4_header *h = &req->headers[i];
        if (strlen(h->name) != name_len
            || strncasecmp(h->name, name, name_len)) {
            continue;
        }

        if (!first) {
            ds_put_char(out, ',');
        }
        first = false;

        bool space = false;
        bool any = false;
        for (const char *v = h->value ? h->value : ""; *v; v++) {
            if (isspace((unsigned char) *v)) {
                space = true;
            } else {
                if (space && any) {
                    ds_put_char(out, ' ');
                }
                ds_put_char(out, *v);
                space = false;
                any = true;
            }
        }
    }
}

/* qsort() comparison function for an array of strings. */
static int
sigv4_strptr_compare(const void *a, const void *b)
{
    return strcmp(*(char *const *) a, *(char *const *) b);
}

/* Returns the malloc'd SignedHeaders value that covers every header in
 * 'req': their names in lower case, sorted, without duplicates, joined by
 * ';'. */
static char *
sigv4_all_signed_headers(const struct sigv4_request *req)
{
    char **names = xmalloc((req->n_headers + 1) * sizeof *names);
    size_t n = 0;

    for (size_t i = 0; i < req->n_headers; i++) {
        char *name = xstrdup(req->headers[i].name);
        for (char *s = name; *s; s++) {
            *s = tolower((unsigned char) *s);
        }
        names[n++] = name;
    }
    qsort(names, n, sizeof *names, sigv4_strptr_compare);

    struct ds out = DS_EMPTY_INITIALIZER;
    for (size_t i = 0; i < n; i++) {
        if (!i || strcmp(names[i], names[i - 1])) {
            if (out.length) {
                ds_put_char(&out, ';');
            }
            ds_put_cstr(&out, names[i]);
        }
    }
    for (size_t i = 0; i < n; i++) {
        free(names[i]);
    }
    free(names);
    ds_put_cstr(&out, "");
    return ds_steal_cstr(&out);
}

/* Computes into 'signature' (64 hex digits and a null terminator) the
 * signature of 'req' over 'signed_headers', signed at 'amz_date' with
 * 'secret' in the scope given by 'date', 'region' and 'service'. */
static void
sigv4_compute_signature(const struct sigv4_request *req,
                        const char *signed_headers, const char *amz_date,
                        const char *secret, const char *date,
                        const char *region, const char *service,
                        char signature[65])
{
    struct ds creq = DS_EMPTY_INITIALIZER;
    struct ds sts = DS_EMPTY_INITIALIZER;
    uint8_t key[32], mac[32];

    sigv4_canonical_request(req, signed_headers, &creq);
    char *scope = xasprintf("%s/%s/%s/" SIGV4_TERMINATOR,
                            date, region, service);
    sigv4_string_to_sign(amz_date, scope, ds_cstr(&creq), &sts);

    sigv4_signing_key(secret, date, region, service, key);
    sigv4_hmac(key, sizeof key, sts.string, sts.length, mac);
    sigv4_hex(mac, sizeof mac, signature);

    OPENSSL_cleanse(key, sizeof key);
    free(scope);
    ds_destroy(&creq);
    ds_destroy(&sts);
}

/* Parses 's', an HTTP Date header value in the IMF-fixdate form "Sun, 30
 * Aug 2015 12:36:00 GMT", into '*tp'.  Returns true if successful. */
static bool
sigv4_parse_http_date(const char *s, time_t *tp)
{
    static const char months[12][4] = {
        "Jan", "Feb", "Mar", "Apr", "May", "Jun",
        "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"
    };
    char wday[4], mon[4], zone[4];
    int day, year, hour, min, sec;
    int n = 0;

    if (sscanf(s, " %3[A-Za-z], %2d %3[A-Za-z] %4d %2d:%2d:%2d %3[A-Z]%n",
               wday, &day, mon, &year, &hour, &min, &sec, zone, &n) != 8
        || strcmp(zone, "GMT") || s[n + strspn(s + n, " \t")]) {
        return false;
    }
    for (int i = 0; i < 12; i++) {
        if (!strcmp(mon, months[i])) {
            return sigv4_make_time(year, i + 1, day, hour, min, sec, tp);
        }
    }
    return false;
}

/* Converts the given UTC calendar date and time to '*tp', after checking
 * that each field is in range.  Returns true if successful. */
static bool
sigv4_make_time(int year, int month, int day, int hour, int min, int sec,
                time_t *tp)
{
    static const int mdays[12] = { 31, 29, 31, 30, 31, 30,
                                   31, 31, 30, 31, 30, 31 };
    bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;

    if (year < 1970 || year > 9999 || month < 1 || month > 12 || day < 1
        || day > mdays[month - 1] || (month == 2 && day == 29 && !leap)
        || hour > 23 || min > 59 || sec > 60 || hour < 0 || min < 0
        || sec < 0) {
        return false;
    }

    /* Days since 1970-01-01, by Howard Hinnant's days_from_civil(). */
    int y = year - (month <= 2);
    int era = y / 400;
    int yoe = y - era * 400;
    int doy = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1;
    int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    long long days = (long long) era * 146097 + doe - 719468;

    *tp = (time_t) (days * 86400 + hour * 3600 + min * 60 + sec);
    return true;
}

/* Returns true if 'signed_headers', a ';'-separated list of header names,
 * includes 'name' (compared case-insensitively). */
static bool
sigv4_signed_headers_has(const char *signed_headers, const char *name)
{
    size_t name_len = strlen(name);

    const char *p = signed_headers;
    while (*p) {
        size_t len = strcspn(p, ";");
        if (len == name_len && !strncasecmp(p, name, len)) {
            return true;
        }
        p += len + (p[len] == ';');
    }
    return false;
}
