/*
 * Copyright (c) 2026 OVS PrivateLink authors.
 *
 * Licensed under the Apache License, Version 2.0 (the "License");
 * you may not use this file except in compliance with the License.
 * You may obtain a copy of the License at:
 *
 *     http://www.apache.org/licenses/LICENSE-2.0
 *
 * Unless required by applicable law or agreed to in writing, software
 * distributed under the License is distributed on an "AS IS" BASIS,
 * WITHOUT WARRANTIES OR CONDITIONS OF ANY KIND, either express or implied.
 * See the License for the specific language governing permissions and
 * limitations under the License.
 */

/* Unit tests for the policy engine of lib/policy.c: every endpoint policy
 * example of the AWS PrivateLink guide, with requests it must allow and
 * requests it must deny, then the evaluation logic (explicit deny wins,
 * implicit deny), the negated elements, wildcards and every condition
 * operator and qualifier.
 *
 * Policies are written with single quotes for readability; pol() turns
 * them into double quotes.  A request is "who action resource context":
 * 'who' is the caller's ARN (its account is the ARN's fifth field) or NULL
 * for an anonymous caller, 'context' is "key=value;key=value" with
 * comma-separated values for multi-valued keys.  Every check counts as one
 * policy case; the total is printed at the end. */

#include <config.h>
#include "policy.h"

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "smap.h"
#include "util.h"

/* The number of policy cases checked so far. */
static int n_cases;

/* A caller of account 111122223333 and one of another account. */
#define ROLE "arn:aws:iam::111122223333:role/SomeRole"
#define ALICE "arn:aws:iam::111122223333:user/alice"
#define ROOT "arn:aws:iam::111122223333:root"
#define OTHER "arn:aws:iam::444455556666:role/SomeRole"
#define ANON NULL

/* Compiles 'doc', with ' for ", and fails the test if it is refused. */
static struct policy *
pol(const char *doc)
{
    char *s = xstrdup(doc);
    for (char *p = s; *p; p++) {
        if (*p == '\'') {
            *p = '"';
        }
    }
    struct policy *p;
    char *error = policy_parse(s, &p);
    if (error) {
        fail_msg("refused %s: %s", s, error);
    }
    free(s);
    return p;
}

/* Parses "k=v;k=v" into 'context'. */
static void
parse_context(const char *s, struct smap *context)
{
    char *copy = xstrdup(s ? s : "");
    char *save = NULL;
    for (char *kv = strtok_r(copy, ";", &save); kv;
         kv = strtok_r(NULL, ";", &save)) {
        char *eq = strchr(kv, '=');
        assert_non_null(eq);
        *eq = '\0';
        smap_add(context, kv, eq + 1);
    }
    free(copy);
}

/* Evaluates the request of 'who' for 'action' on 'resource' with
 * 'context' against 'p', as for a gateway endpoint if 'gateway', and
 * checks that the decision is 'expect' (and the deciding Sid 'sid', if
 * nonnull). */
static void
check_full(const struct policy *p, bool gateway, const char *who,
           const char *action, const char *resource, const char *context,
           enum policy_decision expect, const char *sid)
{
    struct smap ctx = SMAP_INITIALIZER(&ctx);
    parse_context(context, &ctx);
    char *account = who ? xmemdup0(who + strlen("arn:aws:iam::"), 12) : NULL;
    struct policy_request rq = {
        .principal_account = account,
        .principal_arn = who,
        .action = action,
        .resource = resource,
        .context = &ctx,
        .account_is_root = gateway,
    };
    const char *got_sid;
    enum policy_decision d = policy_evaluate(p, &rq, &got_sid);
    if (d != expect) {
        fail_msg("%s %s %s [%s]: expected %s, got %s", who ? who : "anon",
                 action, resource ? resource : "*", context ? context : "",
                 policy_decision_to_string(expect),
                 policy_decision_to_string(d));
    }
    if (sid && (!got_sid || strcmp(sid, got_sid))) {
        fail_msg("%s %s: expected Sid %s, got %s", action, resource, sid,
                 got_sid ? got_sid : "(none)");
    }
    n_cases++;
    smap_destroy(&ctx);
    free(account);
}

#define ALLOW(P, WHO, A, R, CTX) \
    check_full(P, false, WHO, A, R, CTX, POLICY_ALLOW, NULL)
#define DENY(P, WHO, A, R, CTX) \
    check_full(P, false, WHO, A, R, CTX, POLICY_DENY_EXPLICIT, NULL)
#define IMPLICIT(P, WHO, A, R, CTX) \
    check_full(P, false, WHO, A, R, CTX, POLICY_DENY_IMPLICIT, NULL)

/* Asserts that 'doc' (with ' for ") is refused with a message containing
 * 'why'. */
static void
assert_refused(const char *doc, const char *why)
{
    char *s = xstrdup(doc);
    for (char *p = s; *p; p++) {
        if (*p == '\'') {
            *p = '"';
        }
    }
    char *error = policy_validate(s);
    if (!error) {
        fail_msg("accepted %s", s);
    } else if (!strstr(error, why)) {
        fail_msg("%s: expected '%s' in '%s'", s, why, error);
    }
    n_cases++;
    free(error);
    free(s);
}

/* The statement "allow everything", to show what a Deny statement
 * denies. */
#define ALLOW_ALL \
    "{'Effect':'Allow','Principal':'*','Action':'*','Resource':'*'}"

/* The guide's examples. */

static void
test_guide_default_policies(void **state OVS_UNUSED)
{
    struct policy *gw = pol(policy_default_gateway);
    struct policy *ifc = pol(policy_default_interface);
    ALLOW(gw, ROLE, "s3:GetObject", "arn:aws:s3:::any/key", NULL);
    ALLOW(gw, ANON, "s3:PutObject", "arn:aws:s3:::any/key", NULL);
    ALLOW(ifc, OTHER, "sqs:SendMessage", NULL, NULL);
    ALLOW(ifc, ANON, "dynamodb:GetItem",
          "arn:aws:dynamodb:us-east-1:123456789012:table/T", NULL);
    policy_destroy(gw);
    policy_destroy(ifc);
}

/* "Restricting access to a specific bucket" (with the Principal that an
 * endpoint policy needs). */
static void
test_guide_specific_bucket(void **state OVS_UNUSED)
{
    struct policy *p = pol(
        "{'Statement':[{'Effect':'Allow','Principal':'*','Action':"
        "['s3:ListBucket','s3:GetObject','s3:PutObject'],'Resource':"
        "['arn:aws:s3:::example-bucket','arn:aws:s3:::example-bucket/*']}]}");
    ALLOW(p, ROLE, "s3:ListBucket", "arn:aws:s3:::example-bucket", NULL);
    ALLOW(p, ROLE, "s3:GetObject", "arn:aws:s3:::example-bucket/a/b", NULL);
    ALLOW(p, ANON, "s3:PutObject", "arn:aws:s3:::example-bucket/k", NULL);
    ALLOW(p, ROLE, "S3:getobject", "arn:aws:s3:::example-bucket/k", NULL);
    IMPLICIT(p, ROLE, "s3:GetObject", "arn:aws:s3:::other-bucket/k", NULL);
    IMPLICIT(p, ROLE, "s3:DeleteObject", "arn:aws:s3:::example-bucket/k",
             NULL);
    IMPLICIT(p, ROLE, "s3:ListBucket", "arn:aws:s3:::example-bucket-2",
             NULL);
    IMPLICIT(p, ROLE, "s3:GetObject", "arn:aws:s3:::Example-Bucket/k", NULL);
    policy_destroy(p);
}

/* "Restricting use of this VPC endpoint to a specific IAM role". */
static void
test_guide_specific_role(void **state OVS_UNUSED)
{
    struct policy *p = pol(
        "{'Statement':{'Sid':'Restrict-access-to-specific-IAM-role',"
        "'Effect':'Allow','Principal':'*','Action':'*','Resource':'*',"
        "'Condition':{'ArnEquals':{'aws:PrincipalArn':"
        "'arn:aws:iam::111122223333:role/SomeRole'}}}}");
    check_full(p, false, ROLE, "s3:GetObject", "arn:aws:s3:::b/k", NULL,
               POLICY_ALLOW, "Restrict-access-to-specific-IAM-role");
    ALLOW(p, ROLE, "dynamodb:GetItem", NULL, NULL);
    IMPLICIT(p, ALICE, "s3:GetObject", "arn:aws:s3:::b/k", NULL);
    IMPLICIT(p, OTHER, "s3:GetObject", "arn:aws:s3:::b/k", NULL);
    IMPLICIT(p, ANON, "s3:GetObject", "arn:aws:s3:::b/k", NULL);
    IMPLICIT(p, "arn:aws:iam::111122223333:role/SomeRole2", "s3:GetObject",
             "arn:aws:s3:::b/k", NULL);
    policy_destroy(p);
}

/* "Restricting use of this VPC endpoint to users in a specific
 * account". */
static void
test_guide_specific_account(void **state OVS_UNUSED)
{
    struct policy *p = pol(
        "{'Statement':[{'Sid':'AllowCallersFromAccount111122223333',"
        "'Effect':'Allow','Principal':'*','Action':'*','Resource':'*',"
        "'Condition':{'StringEquals':{'aws:PrincipalAccount':"
        "'111122223333'}}}]}");
    ALLOW(p, ROLE, "s3:GetObject", "arn:aws:s3:::b/k", NULL);
    ALLOW(p, ALICE, "s3:PutObject", "arn:aws:s3:::b/k", NULL);
    ALLOW(p, ROOT, "s3:ListBucket", "arn:aws:s3:::b", NULL);
    IMPLICIT(p, OTHER, "s3:GetObject", "arn:aws:s3:::b/k", NULL);
    IMPLICIT(p, ANON, "s3:GetObject", "arn:aws:s3:::b/k", NULL);
    policy_destroy(p);
}

/* "Enabling access to the Amazon Linux AMI repositories", both policies,
 * for us-east-1. */
static void
test_guide_amazon_linux(void **state OVS_UNUSED)
{
    struct policy *al1 = pol(
        "{'Statement':[{'Sid':'AmazonLinuxAMIRepositoryAccess',"
        "'Principal':'*','Action':['s3:GetObject'],'Effect':'Allow',"
        "'Resource':['arn:aws:s3:::packages.us-east-1.amazonaws.com/*',"
        "'arn:aws:s3:::repo.us-east-1.amazonaws.com/*']}]}");
    struct policy *al2 = pol(
        "{'Statement':[{'Sid':'AmazonLinux2AMIRepositoryAccess',"
        "'Principal':'*','Action':['s3:GetObject'],'Effect':'Allow',"
        "'Resource':['arn:aws:s3:::amazonlinux.us-east-1.amazonaws.com/*',"
        "'arn:aws:s3:::amazonlinux-2-repos-us-east-1/*']}]}");

    ALLOW(al1, ANON, "s3:GetObject",
          "arn:aws:s3:::packages.us-east-1.amazonaws.com/2018.03/x.rpm",
          NULL);
    ALLOW(al1, ROLE, "s3:GetObject",
          "arn:aws:s3:::repo.us-east-1.amazonaws.com/latest/repomd.xml",
          NULL);
    IMPLICIT(al1, ROLE, "s3:PutObject",
             "arn:aws:s3:::repo.us-east-1.amazonaws.com/x", NULL);
    IMPLICIT(al1, ROLE, "s3:GetObject",
             "arn:aws:s3:::packages.eu-west-1.amazonaws.com/x", NULL);
    IMPLICIT(al1, ROLE, "s3:ListBucket",
             "arn:aws:s3:::packages.us-east-1.amazonaws.com", NULL);

    ALLOW(al2, ANON, "s3:GetObject",
          "arn:aws:s3:::amazonlinux.us-east-1.amazonaws.com/2/core/x", NULL);
    ALLOW(al2, ANON, "s3:GetObject",
          "arn:aws:s3:::amazonlinux-2-repos-us-east-1/2/core/x", NULL);
    IMPLICIT(al2, ANON, "s3:GetObject",
             "arn:aws:s3:::amazonlinux-2-repos-us-west-2/x", NULL);
    IMPLICIT(al2, ANON, "s3:GetObject",
             "arn:aws:s3:::packages.us-east-1.amazonaws.com/x", NULL);
    policy_destroy(al1);
    policy_destroy(al2);
}

/* DynamoDB: "Read-only access" and "Restrict access to a specific
 * table". */
static void
test_guide_dynamodb(void **state OVS_UNUSED)
{
    const char *stock = "arn:aws:dynamodb:us-east-1:123456789012:"
                        "table/StockTable";
    const char *other = "arn:aws:dynamodb:us-east-1:123456789012:"
                        "table/OtherTable";
    struct policy *ro = pol(
        "{'Statement':[{'Sid':'ReadOnly','Principal':'*','Action':"
        "['dynamodb:DescribeTable','dynamodb:ListTables'],'Effect':'Allow',"
        "'Resource':'*'}]}");
    struct policy *table = pol(
        "{'Statement':[{'Sid':'AccessToSpecificTable','Principal':'*',"
        "'Action':['dynamodb:Batch*','dynamodb:Delete*',"
        "'dynamodb:DescribeTable','dynamodb:GetItem','dynamodb:PutItem',"
        "'dynamodb:Update*'],'Effect':'Allow','Resource':"
        "'arn:aws:dynamodb:us-east-1:123456789012:table/StockTable'}]}");

    ALLOW(ro, ROLE, "dynamodb:DescribeTable", stock, NULL);
    ALLOW(ro, ROLE, "dynamodb:ListTables", NULL, NULL);
    IMPLICIT(ro, ROLE, "dynamodb:GetItem", stock, NULL);
    IMPLICIT(ro, ROLE, "dynamodb:PutItem", stock, NULL);
    IMPLICIT(ro, ROLE, "dynamodb:DeleteTable", stock, NULL);

    ALLOW(table, ROLE, "dynamodb:BatchGetItem", stock, NULL);
    ALLOW(table, ROLE, "dynamodb:BatchWriteItem", stock, NULL);
    ALLOW(table, ROLE, "dynamodb:DeleteItem", stock, NULL);
    ALLOW(table, ROLE, "dynamodb:UpdateItem", stock, NULL);
    ALLOW(table, ROLE, "dynamodb:GetItem", stock, NULL);
    ALLOW(table, ROLE, "dynamodb:describetable", stock, NULL);
    IMPLICIT(table, ROLE, "dynamodb:Scan", stock, NULL);
    IMPLICIT(table, ROLE, "dynamodb:Query", stock, NULL);
    IMPLICIT(table, ROLE, "dynamodb:GetItem", other, NULL);
    IMPLICIT(table, ROLE, "dynamodb:ListTables", NULL, NULL);
    policy_destroy(ro);
    policy_destroy(table);
}

/* The guide's bucket policies, each with an allow-all statement so that
 * what they deny shows as an explicit deny: aws:sourceVpce, aws:sourceVpc,
 * aws:VpcSourceIp and s3:ResourceAccount. */
static void
test_guide_bucket_policies(void **state OVS_UNUSED)
{
    const char *b = "arn:aws:s3:::example_bucket";
    const char *k = "arn:aws:s3:::example_bucket/key";
    const char *o = "arn:aws:s3:::other_bucket/key";
    struct policy *vpce = pol(
        "{'Version':'2012-10-17','Id':'Policy1415115909152','Statement':["
        ALLOW_ALL ",{'Sid':'Access-to-specific-VPCE-only','Principal':'*',"
        "'Action':'s3:*','Effect':'Deny','Resource':"
        "['arn:aws:s3:::example_bucket','arn:aws:s3:::example_bucket/*'],"
        "'Condition':{'StringNotEquals':{'aws:sourceVpce':"
        "'vpce-1a2b3c4d'}}}]}");
    ALLOW(vpce, ROLE, "s3:GetObject", k, "aws:sourceVpce=vpce-1a2b3c4d");
    ALLOW(vpce, ROLE, "s3:ListBucket", b, "aws:SourceVpce=vpce-1a2b3c4d");
    check_full(vpce, false, ROLE, "s3:GetObject", k,
               "aws:sourceVpce=vpce-99999999", POLICY_DENY_EXPLICIT,
               "Access-to-specific-VPCE-only");
    DENY(vpce, ROLE, "s3:PutObject", k, NULL);
    ALLOW(vpce, ROLE, "s3:GetObject", o, "aws:sourceVpce=vpce-99999999");

    struct policy *vpc = pol(
        "{'Version':'2012-10-17','Statement':[" ALLOW_ALL ",{'Sid':"
        "'Access-to-specific-VPC-only','Principal':'*','Action':'s3:*',"
        "'Effect':'Deny','Resource':['arn:aws:s3:::example_bucket',"
        "'arn:aws:s3:::example_bucket/*'],'Condition':{'StringNotEquals':"
        "{'aws:sourceVpc':'vpc-111bbb22'}}}]}");
    ALLOW(vpc, ROLE, "s3:GetObject", k, "aws:sourceVpc=vpc-111bbb22");
    DENY(vpc, ROLE, "s3:GetObject", k, "aws:sourceVpc=vpc-222ccc33");
    DENY(vpc, ROLE, "s3:GetObject", k, NULL);
    ALLOW(vpc, ROLE, "s3:GetObject", o, "aws:sourceVpc=vpc-222ccc33");

    struct policy *ip = pol(
        "{'Version':'2012-10-17','Statement':[" ALLOW_ALL ",{'Sid':"
        "'Access-to-specific-VPC-CIDR-only','Principal':'*','Action':'s3:*',"
        "'Effect':'Deny','Resource':['arn:aws:s3:::example_bucket',"
        "'arn:aws:s3:::example_bucket/*'],'Condition':{'NotIpAddress':"
        "{'aws:VpcSourceIp':'172.31.0.0/16'}}}]}");
    ALLOW(ip, ROLE, "s3:GetObject", k, "aws:VpcSourceIp=172.31.7.9");
    ALLOW(ip, ROLE, "s3:GetObject", k, "aws:VpcSourceIp=172.31.255.255");
    DENY(ip, ROLE, "s3:GetObject", k, "aws:VpcSourceIp=172.32.0.1");
    DENY(ip, ROLE, "s3:GetObject", k, "aws:VpcSourceIp=10.0.0.1");
    DENY(ip, ROLE, "s3:GetObject", k, NULL);
    ALLOW(ip, ROLE, "s3:GetObject", o, "aws:VpcSourceIp=10.0.0.1");

    struct policy *acct = pol(
        "{'Version':'2012-10-17','Statement':[" ALLOW_ALL ",{'Sid':"
        "'Access-to-bucket-in-specific-account-only','Principal':'*',"
        "'Action':['s3:GetObject','s3:PutObject'],'Effect':'Deny',"
        "'Resource':'arn:aws:s3:::*','Condition':{'StringNotEquals':"
        "{'s3:ResourceAccount':'111122223333'}}}]}");
    ALLOW(acct, ROLE, "s3:GetObject", k, "s3:ResourceAccount=111122223333");
    ALLOW(acct, OTHER, "s3:PutObject", o, "s3:ResourceAccount=111122223333");
    DENY(acct, ROLE, "s3:GetObject", k, "s3:ResourceAccount=444455556666");
    DENY(acct, ROLE, "s3:PutObject", o, "s3:ResourceAccount=444455556666");
    ALLOW(acct, ROLE, "s3:ListBucket", b, "s3:ResourceAccount=444455556666");

    policy_destroy(vpce);
    policy_destroy(vpc);
    policy_destroy(ip);
    policy_destroy(acct);
}

/* "Restrict access from a specific endpoint" (the guide's IAM policy for
 * DynamoDB, with Principal "*") and the organization condition that the
 * guide recommends (aws:PrincipalOrgId). */
static void
test_guide_dynamodb_endpoint_and_org(void **state OVS_UNUSED)
{
    const char *t = "arn:aws:dynamodb:us-east-1:123456789012:table/T";
    struct policy *p = pol(
        "{'Version':'2012-10-17','Statement':[" ALLOW_ALL ",{'Sid':"
        "'AccessFromSpecificEndpoint','Principal':'*','Action':'dynamodb:*',"
        "'Effect':'Deny','Resource':"
        "'arn:aws:dynamodb:us-east-1:123456789012:table/*','Condition':"
        "{'StringNotEquals':{'aws:sourceVpce':'vpce-11aa22bb'}}}]}");
    ALLOW(p, ROLE, "dynamodb:GetItem", t, "aws:sourceVpce=vpce-11aa22bb");
    DENY(p, ROLE, "dynamodb:GetItem", t, "aws:sourceVpce=vpce-1a2b3c4d");
    DENY(p, ROLE, "dynamodb:PutItem", t, NULL);
    ALLOW(p, ROLE, "s3:GetObject", "arn:aws:s3:::b/k", NULL);

    struct policy *org = pol(
        "{'Statement':[{'Sid':'OrgOnly','Effect':'Allow','Principal':'*',"
        "'Action':'*','Resource':'*','Condition':{'StringEquals':"
        "{'aws:PrincipalOrgId':'o-a1b2c3d4e5'}}}]}");
    ALLOW(org, ROLE, "s3:GetObject", "arn:aws:s3:::b/k",
          "aws:PrincipalOrgId=o-a1b2c3d4e5");
    IMPLICIT(org, OTHER, "s3:GetObject", "arn:aws:s3:::b/k",
             "aws:PrincipalOrgId=o-zzzzzzzzzz");
    IMPLICIT(org, ROLE, "s3:GetObject", "arn:aws:s3:::b/k", NULL);

    /* From the request's member rather than the context. */
    struct policy_request rq = {
        .principal_account = "111122223333", .principal_arn = ROLE,
        .principal_org_id = "o-a1b2c3d4e5", .action = "s3:GetObject",
        .resource = "arn:aws:s3:::b/k",
    };
    assert_int_equal(policy_evaluate(org, &rq, NULL), POLICY_ALLOW);
    n_cases++;
    policy_destroy(p);
    policy_destroy(org);
}

/* Evaluation logic. */

static void
test_explicit_deny_wins(void **state OVS_UNUSED)
{
    const char *k = "arn:aws:s3:::bucket-a/k";
    struct policy *p = pol(
        "{'Statement':[{'Sid':'DenyPut','Effect':'Deny','Principal':'*',"
        "'Action':'s3:PutObject','Resource':'*'},{'Sid':'AllowAll',"
        "'Effect':'Allow','Principal':'*','Action':'s3:*','Resource':'*'}]}");
    check_full(p, false, ROLE, "s3:PutObject", k, NULL,
               POLICY_DENY_EXPLICIT, "DenyPut");
    check_full(p, false, ROLE, "s3:GetObject", k, NULL, POLICY_ALLOW,
               "AllowAll");
    IMPLICIT(p, ROLE, "sqs:SendMessage", k, NULL);

    /* The order of the statements does not matter. */
    struct policy *q = pol(
        "{'Statement':[{'Effect':'Allow','Principal':'*','Action':'*',"
        "'Resource':'*'},{'Sid':'DenyB','Effect':'Deny','Principal':'*',"
        "'Action':'*','Resource':'arn:aws:s3:::bucket-b/*'}]}");
    check_full(q, false, ROLE, "s3:GetObject", "arn:aws:s3:::bucket-b/k",
               NULL, POLICY_DENY_EXPLICIT, "DenyB");
    ALLOW(q, ROLE, "s3:GetObject", k, NULL);

    /* A Deny alone never allows. */
    struct policy *d = pol(
        "{'Statement':{'Effect':'Deny','Principal':'*','Action':'s3:*',"
        "'Resource':'arn:aws:s3:::bucket-b/*'}}");
    IMPLICIT(d, ROLE, "s3:GetObject", k, NULL);
    DENY(d, ROLE, "s3:GetObject", "arn:aws:s3:::bucket-b/k", NULL);
    policy_destroy(p);
    policy_destroy(q);
    policy_destroy(d);
}

static void
test_principals(void **state OVS_UNUSED)
{
    const char *k = "arn:aws:s3:::b/k";
    struct policy *acct = pol(
        "{'Statement':{'Effect':'Allow','Principal':{'AWS':'111122223333'},"
        "'Action':'*','Resource':'*'}}");
    struct policy *root = pol(
        "{'Statement':{'Effect':'Allow','Principal':{'AWS':"
        "'arn:aws:iam::111122223333:root'},'Action':'*','Resource':'*'}}");
    struct policy *arns = pol(
        "{'Statement':{'Effect':'Allow','Principal':{'AWS':["
        "'arn:aws:iam::111122223333:user/alice','" OTHER "']},"
        "'Action':'*','Resource':'*'}}");
    struct policy *aws_any = pol(
        "{'Statement':{'Effect':'Allow','Principal':{'AWS':'*'},"
        "'Action':'*','Resource':'*'}}");

    /* An account means the whole account, except for gateway endpoints
     * where it means the root user only. */
    ALLOW(acct, ROLE, "s3:GetObject", k, NULL);
    ALLOW(acct, ROOT, "s3:GetObject", k, NULL);
    IMPLICIT(acct, OTHER, "s3:GetObject", k, NULL);
    IMPLICIT(acct, ANON, "s3:GetObject", k, NULL);
    check_full(acct, true, ROLE, "s3:GetObject", k, NULL,
               POLICY_DENY_IMPLICIT, NULL);
    check_full(acct, true, ROOT, "s3:GetObject", k, NULL, POLICY_ALLOW,
               NULL);
    ALLOW(root, ALICE, "s3:GetObject", k, NULL);
    check_full(root, true, ALICE, "s3:GetObject", k, NULL,
               POLICY_DENY_IMPLICIT, NULL);
    check_full(root, true, ROOT, "s3:GetObject", k, NULL, POLICY_ALLOW,
               NULL);

    ALLOW(arns, ALICE, "s3:GetObject", k, NULL);
    ALLOW(arns, OTHER, "s3:GetObject", k, NULL);
    IMPLICIT(arns, ROLE, "s3:GetObject", k, NULL);
    IMPLICIT(arns, ROOT, "s3:GetObject", k, NULL);

    ALLOW(aws_any, ANON, "s3:GetObject", k, NULL);
    ALLOW(aws_any, OTHER, "s3:GetObject", k, NULL);

    policy_destroy(acct);
    policy_destroy(root);
    policy_destroy(arns);
    policy_destroy(aws_any);
}

static void
test_not_elements(void **state OVS_UNUSED)
{
    struct policy *na = pol(
        "{'Statement':{'Effect':'Allow','Principal':'*','NotAction':"
        "['s3:Delete*','s3:PutBucketPolicy'],'Resource':'*'}}");
    ALLOW(na, ROLE, "s3:GetObject", "arn:aws:s3:::b/k", NULL);
    IMPLICIT(na, ROLE, "s3:DeleteObject", "arn:aws:s3:::b/k", NULL);
    IMPLICIT(na, ROLE, "s3:deletebucket", "arn:aws:s3:::b", NULL);
    IMPLICIT(na, ROLE, "s3:PutBucketPolicy", "arn:aws:s3:::b", NULL);

    struct policy *nr = pol(
        "{'Statement':{'Effect':'Allow','Principal':'*','Action':'s3:*',"
        "'NotResource':['arn:aws:s3:::secret','arn:aws:s3:::secret/*']}}");
    ALLOW(nr, ROLE, "s3:GetObject", "arn:aws:s3:::public/k", NULL);
    IMPLICIT(nr, ROLE, "s3:GetObject", "arn:aws:s3:::secret/k", NULL);
    IMPLICIT(nr, ROLE, "s3:ListBucket", "arn:aws:s3:::secret", NULL);

    struct policy *np = pol(
        "{'Statement':[" ALLOW_ALL ",{'Effect':'Deny','NotPrincipal':"
        "{'AWS':['" ROLE "','111122223333']},'Action':'*','Resource':"
        "'*'}]}");
    ALLOW(np, ROLE, "s3:GetObject", "arn:aws:s3:::b/k", NULL);
    ALLOW(np, ALICE, "s3:GetObject", "arn:aws:s3:::b/k", NULL);
    DENY(np, OTHER, "s3:GetObject", "arn:aws:s3:::b/k", NULL);
    DENY(np, ANON, "s3:GetObject", "arn:aws:s3:::b/k", NULL);
    policy_destroy(na);
    policy_destroy(nr);
    policy_destroy(np);
}

static void
test_wildcards(void **state OVS_UNUSED)
{
    struct policy *p = pol(
        "{'Statement':{'Effect':'Allow','Principal':'*','Action':"
        "['s3:Get?bject','ec2:Describe*'],'Resource':"
        "['arn:aws:s3:::logs-*/2026/*.gz','*:ec2:*']}}");
    ALLOW(p, ROLE, "s3:GetObject", "arn:aws:s3:::logs-a/2026/01/x.gz", NULL);
    ALLOW(p, ROLE, "S3:GETOBJECT", "arn:aws:s3:::logs-/2026/.gz", NULL);
    IMPLICIT(p, ROLE, "s3:GetObjectAcl", "arn:aws:s3:::logs-a/2026/x.gz",
             NULL);
    IMPLICIT(p, ROLE, "s3:GetObject", "arn:aws:s3:::logs-a/2025/x.gz", NULL);
    IMPLICIT(p, ROLE, "s3:GetObject", "arn:aws:s3:::logs-a/2026/x.gzip",
             NULL);
    IMPLICIT(p, ROLE, "s3:GetObject", "arn:aws:s3:::LOGS-a/2026/x.gz", NULL);
    ALLOW(p, ROLE, "ec2:DescribeVpcs", "arn:aws:ec2:us-east-1:1:vpc/v",
          NULL);
    IMPLICIT(p, ROLE, "ec2:CreateVpc", "arn:aws:ec2:us-east-1:1:vpc/v",
             NULL);
    policy_destroy(p);
}

/* Condition operators and qualifiers. */

/* Returns a policy allowing everything under 'condition' (with '). */
static struct policy *
cond_policy(const char *condition)
{
    char *doc = xasprintf("{'Statement':{'Effect':'Allow','Principal':'*',"
                          "'Action':'*','Resource':'*','Condition':%s}}",
                          condition);
    struct policy *p = pol(doc);
    free(doc);
    return p;
}

/* Checks that 'p' allows (if 'allow') or denies implicitly the request of
 * ROLE with 'context'. */
static void
check_cond(const struct policy *p, const char *context, bool allow)
{
    check_full(p, false, ROLE, "s3:GetObject", "arn:aws:s3:::b/k", context,
               allow ? POLICY_ALLOW : POLICY_DENY_IMPLICIT, NULL);
}

static void
test_string_operators(void **state OVS_UNUSED)
{
    struct policy *eq = cond_policy(
        "{'StringEquals':{'aws:sourceVpc':['vpc-1','vpc-2']}}");
    check_cond(eq, "aws:sourceVpc=vpc-2", true);
    check_cond(eq, "aws:sourceVpc=VPC-2", false);
    check_cond(eq, "aws:sourceVpc=vpc-3", false);
    check_cond(eq, NULL, false);

    struct policy *ne = cond_policy(
        "{'StringNotEquals':{'aws:sourceVpc':['vpc-1','vpc-2']}}");
    check_cond(ne, "aws:sourceVpc=vpc-3", true);
    check_cond(ne, "aws:sourceVpc=vpc-1", false);
    check_cond(ne, NULL, true);

    struct policy *ic = cond_policy(
        "{'StringEqualsIgnoreCase':{'aws:sourceVpc':'VPC-1'}}");
    check_cond(ic, "aws:sourceVpc=vpc-1", true);
    check_cond(ic, "aws:sourceVpc=vpc-2", false);

    struct policy *like = cond_policy(
        "{'StringLike':{'aws:PrincipalArn':'arn:aws:iam::*:role/Some*'}}");
    check_cond(like, NULL, true);
    check_full(like, false, ALICE, "s3:GetObject", "arn:aws:s3:::b/k", NULL,
               POLICY_DENY_IMPLICIT, NULL);

    struct policy *nlike = cond_policy(
        "{'StringNotLike':{'aws:sourceVpce':['vpce-1*','vpce-2*']}}");
    check_cond(nlike, "aws:sourceVpce=vpce-3abc", true);
    check_cond(nlike, "aws:sourceVpce=vpce-2abc", false);

    /* Two keys in one operator, and two operators: all must hold. */
    struct policy *both = cond_policy(
        "{'StringEquals':{'aws:sourceVpc':'vpc-1','aws:sourceVpce':"
        "'vpce-1'},'StringLike':{'s3:ResourceAccount':'1111*'}}");
    check_cond(both, "aws:sourceVpc=vpc-1;aws:sourceVpce=vpce-1;"
               "s3:ResourceAccount=111122223333", true);
    check_cond(both, "aws:sourceVpc=vpc-1;aws:sourceVpce=vpce-2;"
               "s3:ResourceAccount=111122223333", false);
    check_cond(both, "aws:sourceVpc=vpc-1;aws:sourceVpce=vpce-1;"
               "s3:ResourceAccount=444455556666", false);
    check_cond(both, "aws:sourceVpc=vpc-1;aws:sourceVpce=vpce-1", false);

    policy_destroy(eq);
    policy_destroy(ne);
    policy_destroy(ic);
    policy_destroy(like);
    policy_destroy(nlike);
    policy_destroy(both);
}

static void
test_arn_and_ip_operators(void **state OVS_UNUSED)
{
    struct policy *al = cond_policy(
        "{'ArnLike':{'aws:PrincipalArn':'arn:aws:iam::111122223333:*'}}");
    check_cond(al, NULL, true);
    check_full(al, false, OTHER, "s3:GetObject", "arn:aws:s3:::b/k", NULL,
               POLICY_DENY_IMPLICIT, NULL);

    /* A wildcard does not cross an ARN's colons but does its slashes. */
    struct policy *al2 = cond_policy(
        "{'ArnLike':{'aws:PrincipalArn':'arn:aws:iam::*:role/*'}}");
    check_cond(al2, NULL, true);
    check_full(al2, false, ALICE, "s3:GetObject", "arn:aws:s3:::b/k", NULL,
               POLICY_DENY_IMPLICIT, NULL);

    struct policy *ane = cond_policy(
        "{'ArnNotEquals':{'aws:PrincipalArn':'" ROLE "'}}");
    check_cond(ane, NULL, false);
    check_full(ane, false, ALICE, "s3:GetObject", "arn:aws:s3:::b/k", NULL,
               POLICY_ALLOW, NULL);

    struct policy *anl = cond_policy(
        "{'ArnNotLike':{'aws:PrincipalArn':'arn:aws:iam::4444*'}}");
    check_cond(anl, NULL, true);
    check_full(anl, false, OTHER, "s3:GetObject", "arn:aws:s3:::b/k", NULL,
               POLICY_DENY_IMPLICIT, NULL);

    struct policy *ip = cond_policy(
        "{'IpAddress':{'aws:VpcSourceIp':['10.1.1.0/24','192.0.2.7']}}");
    check_cond(ip, "aws:VpcSourceIp=10.1.1.200", true);
    check_cond(ip, "aws:VpcSourceIp=192.0.2.7", true);
    check_cond(ip, "aws:VpcSourceIp=192.0.2.8", false);
    check_cond(ip, "aws:VpcSourceIp=10.1.2.1", false);
    check_cond(ip, "aws:VpcSourceIp=not-an-ip", false);
    check_cond(ip, NULL, false);

    struct policy *nip = cond_policy(
        "{'NotIpAddress':{'aws:VpcSourceIp':'10.0.0.0/8'}}");
    check_cond(nip, "aws:VpcSourceIp=192.168.1.1", true);
    check_cond(nip, "aws:VpcSourceIp=10.9.9.9", false);

    policy_destroy(al);
    policy_destroy(al2);
    policy_destroy(ane);
    policy_destroy(anl);
    policy_destroy(ip);
    policy_destroy(nip);
}

static void
test_bool_null_ifexists(void **state OVS_UNUSED)
{
    struct policy *tls = pol(
        "{'Statement':[" ALLOW_ALL ",{'Effect':'Deny','Principal':'*',"
        "'Action':'*','Resource':'*','Condition':{'Bool':"
        "{'aws:SecureTransport':false}}}]}");
    check_full(tls, false, ROLE, "s3:GetObject", "arn:aws:s3:::b/k",
               "aws:SecureTransport=false", POLICY_DENY_EXPLICIT, NULL);
    check_full(tls, false, ROLE, "s3:GetObject", "arn:aws:s3:::b/k",
               "aws:SecureTransport=true", POLICY_ALLOW, NULL);
    check_full(tls, false, ROLE, "s3:GetObject", "arn:aws:s3:::b/k", NULL,
               POLICY_ALLOW, NULL);

    struct policy *btrue = cond_policy(
        "{'Bool':{'aws:SecureTransport':'true'}}");
    check_cond(btrue, "aws:SecureTransport=TRUE", true);
    check_cond(btrue, "aws:SecureTransport=false", false);

    /* Null: true asks for a missing key, false for a present one. */
    struct policy *missing = cond_policy(
        "{'Null':{'aws:sourceVpce':'true'}}");
    check_cond(missing, NULL, true);
    check_cond(missing, "aws:sourceVpce=vpce-1", false);
    struct policy *present = cond_policy(
        "{'Null':{'aws:sourceVpce':false}}");
    check_cond(present, "aws:sourceVpce=vpce-1", true);
    check_cond(present, NULL, false);

    /* IfExists: true when the key is missing, the operator otherwise. */
    struct policy *ie = cond_policy(
        "{'StringEqualsIfExists':{'aws:sourceVpce':'vpce-1'}}");
    check_cond(ie, NULL, true);
    check_cond(ie, "aws:sourceVpce=vpce-1", true);
    check_cond(ie, "aws:sourceVpce=vpce-2", false);
    struct policy *ipie = cond_policy(
        "{'IpAddressIfExists':{'aws:VpcSourceIp':'10.0.0.0/8'}}");
    check_cond(ipie, NULL, true);
    check_cond(ipie, "aws:VpcSourceIp=11.0.0.1", false);
    struct policy *neie = cond_policy(
        "{'StringNotEqualsIfExists':{'aws:sourceVpce':'vpce-1'}}");
    check_cond(neie, NULL, true);
    check_cond(neie, "aws:sourceVpce=vpce-1", false);

    policy_destroy(tls);
    policy_destroy(btrue);
    policy_destroy(missing);
    policy_destroy(present);
    policy_destroy(ie);
    policy_destroy(ipie);
    policy_destroy(neie);
}

static void
test_set_qualifiers(void **state OVS_UNUSED)
{
    struct policy *any = cond_policy(
        "{'ForAnyValue:StringEquals':{'aws:TagKeys':['env','team']}}");
    check_cond(any, "aws:TagKeys=cost,team", true);
    check_cond(any, "aws:TagKeys=env", true);
    check_cond(any, "aws:TagKeys=cost,owner", false);
    check_cond(any, NULL, false);

    struct policy *all = cond_policy(
        "{'ForAllValues:StringEquals':{'aws:TagKeys':['env','team']}}");
    check_cond(all, "aws:TagKeys=env,team", true);
    check_cond(all, "aws:TagKeys=team", true);
    check_cond(all, "aws:TagKeys=env,cost", false);
    check_cond(all, NULL, true);

    struct policy *all_like = cond_policy(
        "{'ForAllValues:StringLike':{'aws:TagKeys':'app-*'}}");
    check_cond(all_like, "aws:TagKeys=app-a,app-b", true);
    check_cond(all_like, "aws:TagKeys=app-a,db-b", false);

    struct policy *any_ne = cond_policy(
        "{'ForAnyValue:StringNotEquals':{'aws:TagKeys':'env'}}");
    check_cond(any_ne, "aws:TagKeys=env,cost", true);
    check_cond(any_ne, "aws:TagKeys=env", false);

    /* Without a qualifier: one value matching is enough for a positive
     * operator, and none may match for a negated one. */
    struct policy *plain = cond_policy(
        "{'StringEquals':{'aws:TagKeys':'env'}}");
    check_cond(plain, "aws:TagKeys=cost,env", true);
    struct policy *plain_ne = cond_policy(
        "{'StringNotEquals':{'aws:TagKeys':'env'}}");
    check_cond(plain_ne, "aws:TagKeys=cost,env", false);
    check_cond(plain_ne, "aws:TagKeys=cost,team", true);

    struct policy *any_ie = cond_policy(
        "{'ForAnyValue:StringLikeIfExists':{'aws:TagKeys':'app-*'}}");
    check_cond(any_ie, NULL, true);
    check_cond(any_ie, "aws:TagKeys=db", false);

    policy_destroy(any);
    policy_destroy(all);
    policy_destroy(all_like);
    policy_destroy(any_ne);
    policy_destroy(plain);
    policy_destroy(plain_ne);
    policy_destroy(any_ie);
}

/* Validation agrees with the engine: what it cannot evaluate is
 * refused. */
static void
test_refused(void **state OVS_UNUSED)
{
    assert_refused("{'Statement':{'Effect':'Allow','Principal':'*',"
                   "'Action':'*','Resource':'*','Condition':"
                   "{'NumericLessThan':{'s3:max-keys':'10'}}}}",
                   "unknown operator NumericLessThan");
    assert_refused("{'Statement':{'Effect':'Allow','Principal':'*',"
                   "'Action':'*','Resource':'*','Condition':"
                   "{'StringEqualz':{'aws:sourceVpc':'v'}}}}",
                   "unknown operator StringEqualz");
    assert_refused("{'Statement':{'Effect':'Allow','Principal':'*',"
                   "'Action':'*','Resource':'*','Condition':"
                   "{'NullIfExists':{'aws:sourceVpc':'true'}}}}",
                   "unknown operator NullIfExists");
    assert_refused("{'Statement':{'Effect':'Allow','Principal':'*',"
                   "'Action':'*','Resource':'*','Condition':"
                   "{'ForSomeValues:StringEquals':{'aws:sourceVpc':'v'}}}}",
                   "unknown operator");
    assert_refused("{'Statement':{'Effect':'Allow','Principal':'*',"
                   "'Action':'*','Resource':'*','Condition':"
                   "{'IpAddress':{'aws:VpcSourceIp':'10.0.0.0/33'}}}}",
                   "not an IPv4 address");
    assert_refused("{'Statement':{'Effect':'Allow','Principal':'*',"
                   "'Action':'*','Resource':'*','Condition':"
                   "{'Bool':{'aws:SecureTransport':'maybe'}}}}",
                   "true or false");
    assert_refused("{'Statement':{'Effect':'Allow','Principal':'*',"
                   "'Action':'*','Resource':'*','Condition':"
                   "{'StringEquals':{'aws:sourceVpc':{'a':'b'}}}}}",
                   "bad value");
    assert_refused("{'Statement':{'Effect':'Allow','Principal':'*',"
                   "'Action':'*','Resource':'*','Condition':"
                   "{'StringEquals':{'aws:sourceVpc':[]}}}}",
                   "bad value");
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_guide_default_policies),
        cmocka_unit_test(test_guide_specific_bucket),
        cmocka_unit_test(test_guide_specific_role),
        cmocka_unit_test(test_guide_specific_account),
        cmocka_unit_test(test_guide_amazon_linux),
        cmocka_unit_test(test_guide_dynamodb),
        cmocka_unit_test(test_guide_bucket_policies),
        cmocka_unit_test(test_guide_dynamodb_endpoint_and_org),
        cmocka_unit_test(test_explicit_deny_wins),
        cmocka_unit_test(test_principals),
        cmocka_unit_test(test_not_elements),
        cmocka_unit_test(test_wildcards),
        cmocka_unit_test(test_string_operators),
        cmocka_unit_test(test_arn_and_ip_operators),
        cmocka_unit_test(test_bool_null_ifexists),
        cmocka_unit_test(test_set_qualifiers),
        cmocka_unit_test(test_refused),
    };
    int failures = cmocka_run_group_tests(tests, NULL, NULL);
    printf("policy cases checked: %d\n", n_cases);
    return failures;
}
