/*
 * auth.c: SigV4 authentication of API requests against the Account table.
 */
#include <config.h>
#include "auth.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "http-server.h"
#include "lib/plink-idl.h"
#include "openvswitch/vlog.h"
#include "sigv4.h"
#include "util.h"

VLOG_DEFINE_THIS_MODULE(auth);

/* Finds the active access key 'key_id' and the principal and account that
 * hold it.  Returns the key's secret, or NULL. */
static const char *
auth_find_key(struct ovsdb_idl *idl, const char *key_id,
              struct auth_caller *caller)
{
    const struct plrec_account *account;
    PLREC_ACCOUNT_FOR_EACH (account, idl) {
        for (size_t i = 0; i < account->n_principals; i++) {
            const struct plrec_principal *p = account->principals[i];
            for (size_t j = 0; j < p->n_access_keys; j++) {
                const struct plrec_access_key *k = p->access_keys[j];
                if (!strcmp(k->access_key_id, key_id)
                    && !strcmp(k->status, "Active")) {
                    caller->account = account;
                    caller->principal = p;
                    return k->secret_access_key;
                }
            }
        }
    }
    return NULL;
}

/* Builds the sigv4 view of 'ex' in 'req', with 'headers' as storage. */
static void
auth_sigv4_request(const struct http_exchange *ex,
                   struct sigv4_header *headers, struct sigv4_request *req)
{
    for (size_t i = 0; i < ex->n_headers; i++) {
        headers[i].name = ex->headers[i].name;
        headers[i].value = ex->headers[i].value;
    }
    *req = (struct sigv4_request) {
        .method = ex->method,
        .path = ex->path,
        .query = ex->query,
        .headers = headers,
        .n_headers = ex->n_headers,
        .body = ex->body,
        .body_len = ex->body_len,
    };
}

bool
auth_authenticate(struct ovsdb_idl *idl, const struct http_exchange *ex,
                  struct auth_caller *caller, const char **codep,
                  const char **msgp)
{
    static struct vlog_rate_limit rl = VLOG_RATE_LIMIT_INIT(5, 5);
    const char *header = http_exchange_header(ex, "Authorization");
    struct sigv4_auth auth;
    bool ok = false;

    memset(caller, 0, sizeof *caller);
    if (!header) {
        *codep = "AuthFailure";
        *msgp = "AWS was not able to validate the provided access "
                "credentials: the request is not signed.";
        return false;
    }
    char *error = sigv4_parse_authorization(header, &auth);
    if (error) {
        VLOG_INFO_RL(&rl, "malformed Authorization header: %s", error);
        free(error);
        *codep = "IncompleteSignature";
        *msgp = "The request signature does not conform to AWS standards.";
        return false;
    }

    const struct plrec_privatelink_global *g
        = plrec_privatelink_global_first(idl);
    if (g && strcmp(auth.region, g->region)) {
        *codep = "SignatureDoesNotMatch";
        *msgp = "Credential should be scoped to a valid region.";
        goto out;
    }

    const char *secret = auth_find_key(idl, auth.access_key_id, caller);
    if (!secret) {
        *codep = "AuthFailure";
        *msgp = "AWS was not able to validate the provided access "
                "credentials.";
        goto out;
    }

    struct sigv4_header *headers = xmalloc((ex->n_headers + 1)
                                           * sizeof *headers);
    struct sigv4_request req;
    auth_sigv4_request(ex, headers, &req);
    enum sigv4_status status = sigv4_verify(&req, &auth, secret,
                                            ex->received / 1000, msgp);
    free(headers);
    if (status == SIGV4_OK) {
        caller->region = xstrdup(auth.region);
        ok = true;
    } else {
        *codep = sigv4_status_to_aws_code(status);
        caller->account = NULL;
        caller->principal = NULL;
    }

out:
    sigv4_auth_destroy(&auth);
    return ok;
}

void
auth_caller_destroy(struct auth_caller *caller)
{
    if (caller) {
        free(caller->region);
        caller->region = NULL;
    }
}
