/*
 * auth.h: who is calling.  Every API request must carry an AWS Signature
 * Version 4 made with an access key of the Account table; this module
 * checks it and names the principal and account the request runs as.
 */
#ifndef AUTH_H
#define AUTH_H 1

#include <stdbool.h>

struct http_exchange;
struct ovsdb_idl;
struct plrec_account;
struct plrec_principal;

/* The caller of a request, once authenticated. */
struct auth_caller {
    const struct plrec_account *account;     /* The caller's account. */
    const struct plrec_principal *principal; /* The signing principal. */
    char *region;               /* Region of the credential scope. */
};

/* Checks the signature of 'ex' against the keys in 'idl'.  On success
 * returns true and fills in 'caller' (free its region with
 * auth_caller_destroy()).  On failure returns false and stores the AWS
 * error code and a static message in '*codep' and '*msgp'. */
bool auth_authenticate(struct ovsdb_idl *idl, const struct http_exchange *ex,
                       struct auth_caller *caller, const char **codep,
                       const char **msgp);
void auth_caller_destroy(struct auth_caller *);

#endif /* auth.h */
