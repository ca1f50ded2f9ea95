/*
 * aws-error.c: AWS error codes and their HTTP and Twirp forms.
 */
#include <config.h>
#include "aws-error.h"

#include <string.h>

#include "util.h"

/* An AWS error code whose HTTP status or Twirp class is not the default
 * (400, "invalid_argument"). */
struct aws_error_class {
    const char *code;           /* AWS error code. */
    int http_status;            /* Status on the EC2 Query front. */
    const char *twirp;          /* Twirp error class. */
};

static const struct aws_error_class classes[] = {
    { "AuthFailure", 401, "unauthenticated" },
    { "SignatureDoesNotMatch", 403, "unauthenticated" },
    { "IncompleteSignature", 400, "unauthenticated" },
    { "RequestExpired", 400, "unauthenticated" },
    { "InvalidClientTokenId", 403, "unauthenticated" },
    { "UnauthorizedOperation", 403, "permission_denied" },
    { "DryRunOperation", 412, "failed_precondition" },
    { "DependencyViolation", 400, "failed_precondition" },
    { "IncorrectState", 400, "failed_precondition" },
    { "InvalidState", 400, "failed_precondition" },
    { "ExistingVpcEndpointConnections", 400, "failed_precondition" },
    { "VpcEndpointLimitExceeded", 400, "resource_exhausted" },
    { "RouteAlreadyExists", 400, "already_exists" },
    { "InvalidAction", 400, "bad_route" },
    /* Elastic Load Balancing v2 (its *NotFound, Duplicate* and TooMany*
     * codes are classed by aws_error_twirp_code() below). */
    { "ResourceInUse", 400, "failed_precondition" },
    { "OperationNotPermitted", 400, "failed_precondition" },
    { "TargetGroupAssociationLimit", 400, "resource_exhausted" },
    { "DuplicateTagKeys", 400, "invalid_argument" },
    { "InternalError", 500, "internal" },
    { "RequestLimitExceeded", 503, "unavailable" },
    { "Unavailable", 503, "unavailable" },
};

static const struct aws_error_class *
aws_error_find(const char *code)
{
    for (size_t i = 0; i < ARRAY_SIZE(classes); i++) {
        if (!strcmp(classes[i].code, code)) {
            return &classes[i];
        }
    }
    return NULL;
}

int
aws_error_http_status(const char *code)
{
    const struct aws_error_class *c = aws_error_find(code);
    return c ? c->http_status : 400;
}

const char *
aws_error_twirp_code(const char *code)
{
    const struct aws_error_class *c = aws_error_find(code);
    if (c) {
        return c->twirp;
    }
    /* EC2 names its codes "InvalidVpcID.NotFound", "InvalidGroup.Duplicate";
     * ELBv2 "LoadBalancerNotFound", "DuplicateListener", "TooManyTargets". */
    size_t n = strlen(code);
    if (n > 8 && !strcmp(code + n - 8, "NotFound")) {
        return "not_found";
    } else if ((n > 9 && !strcmp(code + n - 9, "Duplicate"))
               || (!strncmp(code, "Duplicate", 9) && code[9])) {
        return "already_exists";
    } else if (strstr(code, "LimitExceeded") || !strncmp(code, "TooMany", 7)) {
        return "resource_exhausted";
    }
    return "invalid_argument";
}

/* The HTTP status Twirp specifies for each error class. */
int
aws_error_twirp_status(const char *twirp_code)
{
    static const struct {
        const char *code;
        int status;
    } statuses[] = {
        { "invalid_argument", 400 }, { "bad_route", 404 },
        { "not_found", 404 }, { "already_exists", 409 },
        { "unauthenticated", 401 }, { "permission_denied", 403 },
        { "failed_precondition", 412 }, { "resource_exhausted", 429 },
        { "internal", 500 }, { "unavailable", 503 },
    };
    for (size_t i = 0; i < ARRAY_SIZE(statuses); i++) {
        if (!strcmp(statuses[i].code, twirp_code)) {
            return statuses[i].status;
        }
    }
    return 500;
}
