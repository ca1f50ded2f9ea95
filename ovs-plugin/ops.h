/*
 * ops.h: the API operations of plinkd, one core function each, shared by
 * both fronts.
 *
 * An operation receives its decoded protobuf request and the caller, reads
 * the database through the IDL, and either fills in its protobuf response
 * or fails with an AWS error (op_error()).  An operation that changes the
 * database gets the one transaction of the call from op_txn() and writes
 * into it only after every check has passed (validate, then apply), so a
 * failed call writes nothing.  The front decodes, authenticates, runs the
 * operation, commits (retrying the whole operation when the IDL asks to)
 * and encodes.
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
    struct ovsdb_idl_txn *txn;  /* The call's transaction, or NULL. */
    char *error_code;           /* AWS error code, once failed. */
    char *error_message;        /* Its message. */
};

typedef void op_run_func(struct op_ctx *, const ProtobufCMessage *request,
                         ProtobufCMessage *response);

/* One API operation. */
struct op_def {
    const char *name;           /* AWS name, e.g. "DescribeVpcEndpoints". */
    const ProtobufCMessageDescriptor *request;   /* Its request message. */
    const ProtobufCMessageDescriptor *response;  /* Its response message. */
    op_run_func *run;           /* The core function. */
    bool writes;                /* May change the database. */
};

/* Every operation: OP(AwsName, snake_name, WRITES), one list per area,
 * each in the header of its area. */
#include "op-elb.h"
#include "op-endpoint.h"
#include "op-vpc.h"

#define PL_OPS_META                                                     \
    OP(DescribeAvailabilityZones, describe_availability_zones, false)   \
    OP(Show, show, false)                                               \
    OP(AuthorizeEndpointRequest, authorize_endpoint_request, false)

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
#define OP(NAME, SNAKE, WRITES) op_run_func op_##SNAKE;
PL_OPS
#undef OP

#endif /* ops.h */
