/*
 * ops.c: the table of API operations and the helpers they share.
 */
#include <config.h>
#include "ops.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "lib/plink-idl.h"
#include "ovsdb-idl.h"
#include "privatelink.pb-c.h"
#include "util.h"

static const struct op_def ops[] = {
#define OP(NAME, SNAKE, ACCESS)                                         \
    { #NAME, &privatelink__v1__##SNAKE##_request__descriptor,           \
      &privatelink__v1__##SNAKE##_response__descriptor,                 \
      op_##SNAKE, OP_##ACCESS },
    PL_OPS
#undef OP
};

/* Returns the operation called 'name', or NULL. */
const struct op_def *
op_find(const char *name)
{
    for (size_t i = 0; i < ARRAY_SIZE(ops); i++) {
        if (!strcmp(ops[i].name, name)) {
            return &ops[i];
        }
    }
    return NULL;
}

/* Returns the number of operations plinkd serves. */
size_t
op_count(void)
{
    return ARRAY_SIZE(ops);
}

/* Fails the running operation with AWS error 'code'.  Only the first error
 * of a call is kept. */
void
op_error(struct op_ctx *ctx, const char *code, const char *format, ...)
{
    if (ctx->error_code) {
        return;
    }
    va_list args;
    va_start(args, format);
    ctx->error_code = xstrdup(code);
    ctx->error_message = xvasprintf(format, args);
    va_end(args);
}

bool
op_failed(const struct op_ctx *ctx)
{
    return ctx->error_code != NULL;
}

/* Returns the transaction of the call, creating it on first use (the
 * front passes in the transaction that earlier calls of a group commit
 * share).  Every transaction bumps PrivateLink_Global's cfg once, which
 * the chassis report back once they have realized it.  Notes that the
 * call used the transaction, so that the front knows that a failed call
 * may have written into it. */
struct ovsdb_idl_txn *
op_txn(struct op_ctx *ctx)
{
    ctx->used_txn = true;
    if (!ctx->txn) {
        ctx->txn = ovsdb_idl_txn_create(ctx->idl);
        if (ctx->global) {
            ovsdb_idl_txn_increment(ctx->txn, &ctx->global->header_,
                                    &plrec_privatelink_global_col_cfg,
                                    false);
        }
    }
    return ctx->txn;
}

/* Returns 'msec' (wall clock, in ms) as AWS formats timestamps: ISO-8601
 * UTC with milliseconds, "2024-01-02T03:04:05.000Z". */
char *
op_format_timestamp(long long int msec)
{
    time_t secs = msec / 1000;
    struct tm tm;
    char buf[32];

    gmtime_r(&secs, &tm);
    strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S", &tm);
    return xasprintf("%s.%03lldZ", buf, msec % 1000);
}

/* Returns the Availability Zone with 'name' or, if 'name' is NULL, with
 * zone id 'id'; NULL if there is none. */
const struct plrec_availability_zone *
az_find(struct ovsdb_idl *idl, const char *name, const char *id)
{
    const struct plrec_availability_zone *az;
    PLREC_AVAILABILITY_ZONE_FOR_EACH (az, idl) {
        if (name ? !strcmp(az->zone_name, name) : !strcmp(az->zone_id, id)) {
            return az;
        }
    }
    return NULL;
}
