/*
 * policy.h: IAM policy documents as VPC endpoint policies use them.
 *
 * An endpoint policy is a resource policy attached to a VPC endpoint: it
 * decides which principals may perform which actions on which resources
 * through the endpoint.  This module checks that a document is one AWS
 * would accept (valid JSON, at most 20,480 characters, the elements a
 * policy needs, nothing it does not know) and evaluates requests against
 * it.
 *
 * A document is parsed once, by policy_parse(), into a compiled form
 * (struct policy); policy_validate() is the same parse with the result
 * thrown away, so a document is valid exactly when the engine understands
 * all of it.  policy_evaluate() then applies IAM's evaluation logic to a
 * request: a matching statement with Effect "Deny" wins, otherwise a
 * matching "Allow" statement is needed, otherwise the request is denied
 * implicitly.
 *
 * What the engine understands:
 *
 *   - Version ("2012-10-17" or "2008-10-17"), Id, Statement (an object or
 *     a non-empty array), and in each statement Sid, Effect, exactly one of
 *     Principal/NotPrincipal, of Action/NotAction and of
 *     Resource/NotResource, and Condition.
 *
 *   - Principal: "*", or an object whose "AWS" member is "*", a 12-digit
 *     account id, "arn:aws:iam::ACCOUNT:root" (both mean the account: any
 *     principal of it, or only its root user when the request says
 *     'account_is_root' as gateway endpoints do), or the ARN of a user or
 *     role (exact match).  "Service", "Federated" and "CanonicalUser"
 *     members match the request's principal ARN exactly.
 *
 *   - Action: "service:Name" patterns with '*' and '?' wildcards, matched
 *     case-insensitively; Resource: ARN patterns with '*' and '?'
 *     wildcards, matched case-sensitively.
 *
 *   - Condition operators (see POLICY_CONDITION_OPS below), each with an
 *     optional "IfExists" suffix (except Null) and an optional
 *     "ForAnyValue:" or "ForAllValues:" prefix.  Several keys under one
 *     operator, and several operators, are AND-ed; several values of one
 *     key are OR-ed, and for the negated operators (StringNotEquals, ...)
 *     none of them may match.  Condition key names are case-insensitive.
 *
 * When a condition key is missing from the request: the condition is false
 * for the positive operators and true for the negated ones (as IAM
 * documents: "If the policy condition requires that the key is not
 * matched, such as StringNotLike or ArnNotLike, and the right key is not
 * present, the condition is true"), true with "IfExists", false with
 * "ForAnyValue:" and true with "ForAllValues:"; Null tests the presence
 * itself.
 */
#ifndef POLICY_H
#define POLICY_H 1

#include <stdbool.h>
#include "compiler.h"

struct policy;
struct smap;

/* The longest endpoint policy AWS accepts, in characters. */
#define POLICY_MAX_LEN 20480

/* The policies AWS attaches when none is given: gateway endpoints get the
 * 2008 form, interface endpoints the one without a Version. */
extern const char policy_default_gateway[];
extern const char policy_default_interface[];

/* The condition operators, without their IfExists suffix:
 * POLICY_COND(Name, ENUM, NEGATED). */
#define POLICY_CONDITION_OPS                                            \
    POLICY_COND(StringEquals, STRING_EQUALS, false)                     \
    POLICY_COND(StringNotEquals, STRING_NOT_EQUALS, true)               \
    POLICY_COND(StringEqualsIgnoreCase, STRING_EQUALS_IC, false)        \
    POLICY_COND(StringNotEqualsIgnoreCase, STRING_NOT_EQUALS_IC, true)  \
    POLICY_COND(StringLike, STRING_LIKE, false)                         \
    POLICY_COND(StringNotLike, STRING_NOT_LIKE, true)                   \
    POLICY_COND(ArnEquals, ARN_EQUALS, false)                           \
    POLICY_COND(ArnLike, ARN_LIKE, false)                               \
    POLICY_COND(ArnNotEquals, ARN_NOT_EQUALS, true)                     \
    POLICY_COND(ArnNotLike, ARN_NOT_LIKE, true)                         \
    POLICY_COND(IpAddress, IP_ADDRESS, false)                           \
    POLICY_COND(NotIpAddress, NOT_IP_ADDRESS, true)                     \
    POLICY_COND(Bool, BOOL, false)                                      \
    POLICY_COND(Null, NULL_CHECK, false)

/* The outcome of evaluating a request. */
enum policy_decision {
    POLICY_ALLOW,               /* A statement allows, none denies. */
    POLICY_DENY_EXPLICIT,       /* A statement with Effect "Deny" matches. */
    POLICY_DENY_IMPLICIT,       /* No statement matches. */
};

/* A request to evaluate.
 *
 * 'context' holds the condition keys of the request (aws:sourceVpce,
 * aws:sourceVpc, aws:VpcSourceIp, s3:ResourceAccount, aws:SecureTransport,
 * ...), looked up case-insensitively.  A multi-valued key lists its values
 * separated by commas ("a,b,c"), so a value cannot contain a comma; an
 * empty string is one empty value.  aws:PrincipalAccount, aws:PrincipalArn
 * and aws:PrincipalOrgId come from the members below when 'context' does
 * not have them. */
struct policy_request {
    const char *principal_account; /* Caller's account id, NULL if anon. */
    const char *principal_arn;     /* Caller's ARN, NULL if anonymous. */
    const char *principal_org_id;  /* Caller's organization, or NULL. */
    const char *action;            /* "s3:GetObject", ... */
    const char *resource;          /* Resource ARN, NULL for "*". */
    const struct smap *context;    /* Condition keys, or NULL. */
    bool account_is_root;          /* Account principals name only the
                                    * account's root user (gateway
                                    * endpoints, as the AWS guide says). */
};

char *policy_validate(const char *document) OVS_WARN_UNUSED_RESULT;

char *policy_parse(const char *document, struct policy **)
    OVS_WARN_UNUSED_RESULT;
void policy_destroy(struct policy *);
enum policy_decision policy_evaluate(const struct policy *,
                                     const struct policy_request *,
                                     const char **sidp);
const char *policy_decision_to_string(enum policy_decision);

#endif /* policy.h */
