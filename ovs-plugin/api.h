/*
 * api.h: plinkd's two API fronts over the operations of ops.h.
 *
 *   POST /   (or GET /?...)  EC2 Query: Action=X&Version=2016-11-15&...,
 *                            answered in EC2 XML (the AWS CLI and SDKs).
 *   POST /twirp/privatelink.v1.PrivateLink/<Method>
 *                            Twirp: a protobuf request, a protobuf answer,
 *                            errors as JSON {"code","msg","meta"}.
 *
 * Both authenticate the request (SigV4, auth.h), decode it into the
 * operation's protobuf request, run the operation, commit its transaction
 * and encode the answer.  Calls are run one at a time, in arrival order:
 * the IDL has one transaction at a time, and a reader must never see a
 * write that is not committed yet.
 */
#ifndef API_H
#define API_H 1

#include <stdbool.h>

struct http_server;
struct ovsdb_idl;
struct pldb;
struct ds;

struct api *api_create(struct ovsdb_idl *, struct http_server *,
                       struct pldb *);
void api_destroy(struct api *);
void api_run(struct api *);
void api_wait(struct api *);
bool api_has_txn(const struct api *);
void api_get_status(const struct api *, struct ds *);

#endif /* api.h */
