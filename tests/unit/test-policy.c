/* Unit tests for lib/policy.c (endpoint policy validation) and for the
 * EC2 filter wildcards of ovs-plugin/filter.c. */

#include <config.h>
#include "policy.h"

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "ovs-plugin/filter.h"
#include "util.h"

/* Asserts that 'doc' is accepted. */
static void
assert_valid(const char *doc)
{
    char *error = policy_validate(doc);
    if (error) {
        fail_msg("rejected %s: %s", doc, error);
    }
}

/* Asserts that 'doc' is refused with a message containing 'why'. */
static void
assert_invalid(const char *doc, const char *why)
{
    char *error = policy_validate(doc);
    if (!error) {
        fail_msg("accepted %s", doc);
    }
    if (!strstr(error, why)) {
        fail_msg("%s: expected '%s' in '%s'", doc, why, error);
    }
    free(error);
}

static void
test_defaults_are_valid(void **state OVS_UNUSED)
{
    assert_valid(policy_default_gateway);
    assert_valid(policy_default_interface);
}

/* The endpoint policy examples of the AWS PrivateLink guide. */
static void
test_guide_examples(void **state OVS_UNUSED)
{
    assert_valid("{\"Statement\":[{\"Sid\":\"Access-to-specific-bucket-only\","
                 "\"Principal\":\"*\",\"Action\":[\"s3:GetObject\","
                 "\"s3:PutObject\"],\"Effect\":\"Allow\",\"Resource\":"
                 "[\"arn:aws:s3:::my_secure_bucket\","
                 "\"arn:aws:s3:::my_secure_bucket/*\"]}]}");
    assert_valid("{\"Version\":\"2012-10-17\",\"Statement\":[{\"Sid\":"
                 "\"AllowRole\",\"Effect\":\"Allow\",\"Principal\":{\"AWS\":"
                 "\"arn:aws:iam::111122223333:role/MyRole\"},\"Action\":"
                 "\"s3:*\",\"Resource\":\"*\"}]}");
    assert_valid("{\"Statement\":[{\"Sid\":\"ReadOnly\",\"Principal\":\"*\","
                 "\"Action\":[\"dynamodb:DescribeTable\","
                 "\"dynamodb:ListTables\"],\"Effect\":\"Allow\","
                 "\"Resource\":\"*\"}]}");
    assert_valid("{\"Version\":\"2012-10-17\",\"Statement\":[{\"Sid\":"
                 "\"Access-to-specific-VPCE-only\",\"Principal\":\"*\","
                 "\"Action\":\"s3:*\",\"Effect\":\"Deny\",\"Resource\":"
                 "[\"arn:aws:s3:::example_bucket\","
                 "\"arn:aws:s3:::example_bucket/*\"],\"Condition\":"
                 "{\"StringNotEquals\":{\"aws:sourceVpce\":"
                 "\"vpce-1a2b3c4d\"}}}]}");
    assert_valid("{\"Statement\":{\"Effect\":\"Allow\",\"Principal\":\"*\","
                 "\"NotAction\":\"s3:DeleteBucket\",\"NotResource\":"
                 "\"arn:aws:s3:::x\",\"Condition\":{\"Bool\":"
                 "{\"aws:SecureTransport\":true}}}}");
}

static void
test_bad_documents(void **state OVS_UNUSED)
{
    assert_invalid("{\"Statement\":[", "not valid JSON");
    assert_invalid("[]", "JSON object");
    assert_invalid("{\"Version\":\"2012-10-17\"}", "no Statement");
    assert_invalid("{\"Statement\":[]}", "empty");
    assert_invalid("{\"Statement\":[{\"Effect\":\"Maybe\",\"Principal\":\"*\","
                   "\"Action\":\"*\",\"Resource\":\"*\"}]}", "Effect");
    assert_invalid("{\"Statement\":[{\"Principal\":\"*\",\"Action\":\"*\","
                   "\"Resource\":\"*\"}]}", "Effect");
    assert_invalid("{\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":"
                   "\"*\",\"Resource\":\"*\"}]}", "Action");
    assert_invalid("{\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":"
                   "\"*\",\"Action\":\"*\",\"NotAction\":\"s3:x\","
                   "\"Resource\":\"*\"}]}", "exactly one");
    assert_invalid("{\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"*\","
                   "\"Resource\":\"*\"}]}", "Principal");
    assert_invalid("{\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":"
                   "\"me\",\"Action\":\"*\",\"Resource\":\"*\"}]}",
                   "Principal");
    assert_invalid("{\"Version\":\"2020-01-01\",\"Statement\":[]}",
                   "Version");
    assert_invalid("{\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":"
                   "\"*\",\"Action\":\"*\",\"Resource\":\"*\",\"Colour\":"
                   "\"red\"}]}", "unknown statement element");
    assert_invalid("{\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":"
                   "\"*\",\"Action\":\"*\",\"Resource\":\"*\",\"Condition\":"
                   "{\"StringEquals\":[]}}]}", "Condition");
    assert_invalid("{\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":"
                   "\"*\",\"Action\":[],\"Resource\":\"*\"}]}", "Action");
}

static void
test_size_limit(void **state OVS_UNUSED)
{
    const char *head = "{\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":"
                       "\"*\",\"Action\":\"*\",\"Resource\":\"";
    const char *tail = "\"}]}";
    size_t fixed = strlen(head) + strlen(tail);
    char *doc = xmalloc(POLICY_MAX_LEN + 2);

    /* Exactly 20,480 characters: accepted. */
    memset(doc, 'a', POLICY_MAX_LEN);
    memcpy(doc, head, strlen(head));
    memcpy(doc + POLICY_MAX_LEN - strlen(tail), tail, strlen(tail));
    doc[POLICY_MAX_LEN] = '\0';
    assert_true(strlen(doc) == POLICY_MAX_LEN && fixed < POLICY_MAX_LEN);
    assert_valid(doc);

    /* One more: refused. */
    memmove(doc + strlen(head) + 1, doc + strlen(head),
            POLICY_MAX_LEN - strlen(head) + 1);
    doc[strlen(head)] = 'a';
    assert_invalid(doc, "longer than 20480");
    free(doc);
}

static void
test_filter_wildcards(void **state OVS_UNUSED)
{
    assert_true(filter_wildcard_match("vpc-*", "vpc-0123"));
    assert_true(filter_wildcard_match("*", ""));
    assert_true(filter_wildcard_match("us-east-1?", "us-east-1a"));
    assert_true(filter_wildcard_match("a*b*c", "aXXbYYc"));
    assert_true(filter_wildcard_match("exact", "exact"));
    assert_false(filter_wildcard_match("us-east-1?", "us-east-1"));
    assert_false(filter_wildcard_match("a*b", "aXXc"));
    assert_false(filter_wildcard_match("Exact", "exact"));
    assert_false(filter_wildcard_match("", "x"));
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_defaults_are_valid),
        cmocka_unit_test(test_guide_examples),
        cmocka_unit_test(test_bad_documents),
        cmocka_unit_test(test_size_limit),
        cmocka_unit_test(test_filter_wildcards),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
