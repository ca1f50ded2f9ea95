/*
 * ops.h: the API operations of plinkd, one core function each, shared by
 * both fronts.
 *
 * An operation receives its decoded protobuf request and the caller, reads
 * the database through the IDL, and either fills in its protobuf response
 * or fails with an AWS error (op_error()).  An operation that changes the
 * database gets the transaction from op_txn() and writes into it once its
 * checks have passed (validate, then apply); whatever a call that fails
 * (or a DryRun) wrote all the same, the front drops.  The front decodes,
 * authenticates, runs the operation, commits (retrying the whole operation
 * when the IDL asks to) and encodes.
 *
 * The transaction may be shared: the front runs write calls that arrive
 * together one after another into one transaction (group commit, api.h).
 * An operation therefore never assumes that the transaction is empty
 * when it starts, and it declares in its OP() row what it does to the
 * database (enum op_access), which tells the front what may follow it in
 * a shared transaction.
 */
#ifndef OPS_H
#define OPS_H 1

#include <stdbool.h>
#include <protobuf-c/protobuf-c.h>
#include "compiler.h"

struct ovsdb_idl;
struct ovsdb_idl_txn;
struct plrec_account;
struct plrec_availability_zone;
struct plrec_principal;
struct plrec_privatelink_global;

/* Everything an operation may use while it runs. */
struct op_ctx {
    struct ovsdb_idl *idl;      /* The PrivateLink database. */
    const struct plrec_privatelink_global *global; /* Its global row. */
    const struct plrec_account *account;      /* The caller's account. */
    const struct plrec_principal *principal;  /* The signing principal. */
    const char *region;         /* The region the request was signed for. */
    long long int now;          /* Wall clock at the start, in ms. */
    bool dry_run;               /* DryRun=true: check, do not change. */
    struct ovsdb_idl_txn *txn;  /* The transaction, which earlier calls
                                 * may share, or NULL. */
    bool used_txn;              /* op_txn() was called during this run. */
    char *error_code;           /* AWS error code, once failed. */
    char *error_message;        /* Its message. */
};

/* What an operation does to the database.  The IDL shows the writes of
 * a transaction to later reads of the same transaction, so a call that
 * runs after others in a shared transaction sees their rows as if they
 * were committed, except in two ways: a row deleted in the transaction is
 * still reached through weak references to it, and a row that lost its
 * last strong reference is still there, until the server commits and
 * cleans up both.  An operation that may cause either one is OP_DELETES,
 * and no call runs after it in its transaction. */
enum op_access {
    OP_READS,                   /* Only reads: never calls op_txn(). */
    OP_WRITES,                  /* Inserts rows and changes columns, never
                                 * deletes a row or drops a strong
                                 * reference to a non-root row. */
    OP_DELETES,                 /* May also delete rows or orphan them. */
};

typedef void op_run_func(struct op_ctx *, const ProtobufCMessage *request,
                         ProtobufCMessage *response);

/* One API operation. */
struct op_def {
    const char *name;           /* AWS name, e.g. "DescribeVpcEndpoints". */
    const ProtobufCMessageDescriptor *request;   /* Its request message. */
    const ProtobufCMessageDescriptor *response;  /* Its response message. */
    op_run_func *run;           /* The core function. */
    enum op_access access;      /* What it may do to the database. */
};

/* Every operation: OP(AwsName, snake_name, ACCESS), where ACCESS is
 * READS, WRITES or DELETES (enum op_access), one list per area, each in
 * the header of its area. */
#include "op-elb.h"
#include "op-endpoint.h"
#include "op-vpc.h"

#define PL_OPS_META                                                         \
    OP(DescribeAvailabilityZones, describe_availability_zones, READS)       \
    OP(Show, show, READS)                                                   \
    OP(AuthorizeEndpointRequest, authorize_endpoint_request, READS)

#define PL_OPS PL_OPS_META PL_OPS_VPC PL_OPS_ELB PL_OPS_ENDPOINT

const struct op_def *op_find(const char *name);
size_t op_count(void);

void op_error(struct op_ctx *, const char *code, const char *format, ...)
    OVS_PRINTF_FORMAT(3, 4);
bool op_failed(const struct op_ctx *);
struct ovsdb_idl_txn *op_txn(struct op_ctx *);
char *op_format_timestamp(long long int msec);
const struct plrec_availability_zone *az_find(struct ovsdb_idl *,
                                              const char *name,
                                              const char *id);

/* Core functions (one file per area: op-meta.c, ...). */
#define OP(NAME, SNAKE, ACCESS) op_run_func op_##SNAKE;
PL_OPS
#undef OP

#endif /* ops.h */
