/* Unit tests for the helpers the API operations share
 * (ovs-plugin/op-util.c): paging with MaxResults and NextToken, required
 * parameters and enumerations, and the AWS error classes
 * (lib/aws-error.c). */

#include <config.h>

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "aws-error.h"
#include "ovs-plugin/op-util.h"
#include "ovs-plugin/ops.h"
#include "ovs-plugin/verify.h"
#include "util.h"

/* Frees what a test's context holds. */
static void
ctx_clear(struct op_ctx *ctx)
{
    free(ctx->error_code);
    free(ctx->error_message);
    memset(ctx, 0, sizeof *ctx);
}

static void
test_page_defaults(void **state OVS_UNUSED)
{
    struct op_ctx ctx = { .idl = NULL };
    struct op_page page;

    /* No MaxResults: everything, from the start. */
    assert_true(op_page_init(&ctx, false, 0, NULL, 5, 1000, &page));
    assert_int_equal(page.limit, SIZE_MAX);
    assert_null(page.start_id);

    /* Above the maximum: capped, as AWS does. */
    assert_true(op_page_init(&ctx, true, 5000, NULL, 5, 1000, &page));
    assert_int_equal(page.limit, 1000);

    /* Below the minimum: InvalidParameterValue. */
    assert_false(op_page_init(&ctx, true, 4, NULL, 5, 1000, &page));
    assert_string_equal(ctx.error_code, "InvalidParameterValue");
    ctx_clear(&ctx);
}

static void
test_page_tokens(void **state OVS_UNUSED)
{
    struct op_ctx ctx = { .idl = NULL };
    struct op_page page;
    const char *ids[] = { "vpce-0123456789abcdef0", "a", "com.amazonaws.x" };

    for (size_t i = 0; i < ARRAY_SIZE(ids); i++) {
        char *token = op_page_token(ids[i]);
        /* Opaque: the id does not appear in the token as it is. */
        assert_null(strstr(token, ids[i]));
        assert_true(op_page_init(&ctx, true, 5, token, 5, 1000, &page));
        assert_string_equal(page.start_id, ids[i]);
        op_page_destroy(&page);
        free(token);
    }

    static const char *bad[] = { "garbage", "", "cGwxOg", "eHh4eHh4eHg=" };
    for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
        assert_false(op_page_init(&ctx, false, 0, bad[i], 5, 1000, &page));
        assert_string_equal(ctx.error_code, "InvalidNextToken");
        ctx_clear(&ctx);
    }
}

static void
test_require_and_enum(void **state OVS_UNUSED)
{
    struct op_ctx ctx = { .idl = NULL };
    static const char *const types[] = { "Interface", "Gateway", NULL };

    assert_true(op_require(&ctx, true, "VpcId"));
    assert_null(ctx.error_code);
    assert_false(op_require(&ctx, false, "VpcId"));
    assert_string_equal(ctx.error_code, "MissingParameter");
    assert_non_null(strstr(ctx.error_message, "VpcId"));
    ctx_clear(&ctx);

    assert_true(op_check_enum(&ctx, "Gateway", "VpcEndpointType", types));
    assert_false(op_check_enum(&ctx, "gateway", "VpcEndpointType", types));
    assert_string_equal(ctx.error_code, "InvalidParameterValue");
    ctx_clear(&ctx);

    /* Only the first error of a call is kept. */
    op_error(&ctx, "First", "one");
    op_error(&ctx, "Second", "two");
    assert_string_equal(ctx.error_code, "First");
    ctx_clear(&ctx);
}

static void
test_error_classes(void **state OVS_UNUSED)
{
    assert_int_equal(aws_error_http_status("DryRunOperation"), 412);
    assert_int_equal(aws_error_http_status("UnauthorizedOperation"), 403);
    assert_int_equal(aws_error_http_status("AuthFailure"), 401);
    assert_int_equal(aws_error_http_status("InvalidVpcID.NotFound"), 400);
    assert_int_equal(aws_error_http_status("InternalError"), 500);
    assert_string_equal(aws_error_twirp_code("InvalidVpcID.NotFound"),
                        "not_found");
    assert_string_equal(aws_error_twirp_code("VpcEndpointLimitExceeded"),
                        "resource_exhausted");
    assert_string_equal(aws_error_twirp_code("InvalidParameter"),
                        "invalid_argument");
    assert_int_equal(aws_error_twirp_status("not_found"), 404);
    assert_int_equal(aws_error_twirp_status("unauthenticated"), 401);
}

/* The AWS guide's verification rules: the record at _name.domain or at
 * the domain, a parent domain's record verifies a subdomain, the value
 * compares exactly, never a top-level domain alone. */
static void
test_verify_rules(void **state OVS_UNUSED)
{
    const char *n = "_abc", *v = "vpce:AbCd";

    assert_true(verify_record_matches("api.example.com", n, v,
                                      "_abc.api.example.com", v));
    assert_true(verify_record_matches("api.example.com", n, v,
                                      "api.example.com", v));
    assert_true(verify_record_matches("a.b.example.com", n, v,
                                      "_abc.example.com", v));
    assert_true(verify_record_matches("*.example.com", n, v,
                                      "_abc.example.com", v));
    assert_true(verify_record_matches("api.example.com", n, v,
                                      "_ABC.API.example.com", v));
    assert_false(verify_record_matches("api.example.com", n, v,
                                       "_abc.api.example.com", "vpce:abcd"));
    assert_false(verify_record_matches("api.example.com", n, v,
                                       "_abc.other.example.com", v));
    assert_false(verify_record_matches("example.com", n, v, "_abc.com", v));
    assert_false(verify_record_matches("example.com", n, v, "com", v));
    assert_false(verify_record_matches("api.example.com", n, v,
                                       "_xyz.api.example.com", v));
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_page_defaults),
        cmocka_unit_test(test_page_tokens),
        cmocka_unit_test(test_require_and_enum),
        cmocka_unit_test(test_error_classes),
        cmocka_unit_test(test_verify_rules),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
