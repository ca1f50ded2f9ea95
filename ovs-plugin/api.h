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
 * and encode the answer.
 *
 * Group commit.  The IDL has one transaction at a time, and a commit costs
 * a round trip to the database (and, clustered, a Raft log append).  So
 * while a transaction is in flight, requests queue up, and the write
 * calls among them then run one after another, in arrival order, into one
 * transaction that commits once (at most 64 calls, and none after an
 * operation that deletes rows, see enum op_access in ops.h).  Each call
 * sees the writes of the calls before it, so it gets the answer it would
 * get if the calls ran one at a time; all of them are answered when the
 * transaction completes.  A call that fails leaves nothing in the shared
 * transaction: if it wrote, the transaction is dropped and the other calls
 * run again into a new one.  A transaction that must be tried again runs
 * all its calls again; one that the database refuses is split into one
 * transaction per call.  Only what is queued is grouped: a lone request
 * never waits.
 *
 * Read-only calls never wait for a transaction of their own: those queued
 * with a batch run, and are answered, before the batch's writes start, so
 * they never see a write that is not committed yet; one that arrives while
 * a batch is in flight waits in the queue until the batch is answered, so
 * a client that got an answer for a write sees it in the reads it sends
 * afterward.
 *
 * api_get_status() counts the calls and the transactions ("transactions:
 * N (calls per transaction: max M; ...)").
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
