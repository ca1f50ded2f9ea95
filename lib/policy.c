/*
 * policy.c: IAM policy documents: validation, compilation and evaluation
 * (see policy.h).
 *
 * The parser walks the JSON document once and builds a struct policy; every
 * element it does not understand is an error, which is how
 * policy_validate() stays consistent with the engine.  Evaluation only
 * compares strings: it never touches the JSON again.
 */
#include <config.h>
#include "policy.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cidr.h"
#include "openvswitch/json.h"
#include "openvswitch/shash.h"
#include "packets.h"
#include "smap.h"
#include "svec.h"
#include "util.h"

const char policy_default_gateway[] =
    "{\"Version\":\"2008-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
    "\"Principal\":\"*\",\"Action\":\"*\",\"Resource\":\"*\"}]}";
const char policy_default_interface[] =
    "{\"Statement\":[{\"Action\":\"*\",\"Effect\":\"Allow\","
    "\"Principal\":\"*\",\"Resource\":\"*\"}]}";

/* The condition operators, from POLICY_CONDITION_OPS. */
enum policy_op {
#define POLICY_COND(NAME, ENUM, NEGATED) POLICY_OP_##ENUM,
    POLICY_CONDITION_OPS
#undef POLICY_COND
};

/* One row of the operator table. */
struct policy_op_def {
    const char *name;           /* "StringEquals", ... */
    enum policy_op op;          /* Its enum value. */
    bool negated;               /* True if none of the values may match. */
};

static const struct policy_op_def policy_ops[] = {
#define POLICY_COND(NAME, ENUM, NEGATED) { #NAME, POLICY_OP_##ENUM, NEGATED },
    POLICY_CONDITION_OPS
#undef POLICY_COND
};

/* The set qualifier of a condition on a multi-valued key. */
enum policy_qualifier {
    POLICY_QUAL_NONE,           /* No qualifier. */
    POLICY_QUAL_ANY,            /* "ForAnyValue:": one value must match. */
    POLICY_QUAL_ALL,            /* "ForAllValues:": every value must. */
};

/* One key of one condition operator: "StringEquals": {"key": values}. */
struct policy_condition {
    const struct policy_op_def *def; /* The operator. */
    enum policy_qualifier qualifier; /* Its ForAnyValue/ForAllValues. */
    bool if_exists;             /* "...IfExists": true when key missing. */
    char *key;                  /* The condition key, e.g. aws:sourceVpce. */
    struct svec values;         /* The policy's values, as strings. */
    struct cidr4 *cidrs;        /* IP operators: 'values' parsed, else
                                 * NULL. */
};

/* One compiled statement. */
struct policy_statement {
    char *sid;                  /* Sid, or NULL. */
    bool deny;                  /* Effect: true for Deny, false for Allow. */

    /* Principal or NotPrincipal. */
    bool not_principal;         /* True for NotPrincipal. */
    bool any_principal;         /* "*" or {"AWS": "*"} was given. */
    struct svec principals;     /* Account ids and ARNs otherwise. */

    /* Action or NotAction, Resource or NotResource. */
    bool not_action;            /* True for NotAction. */
    struct svec actions;        /* Action patterns. */
    bool not_resource;          /* True for NotResource. */
    struct svec resources;      /* Resource patterns. */

    /* Condition: every one must hold. */
    struct policy_condition *conditions; /* The conditions. */
    size_t n_conditions;        /* Their number. */
};

/* A compiled policy document. */
struct policy {
    struct policy_statement *statements; /* In document order. */
    size_t n_statements;        /* Their number. */
};

/* Parsing. */

/* Returns true if 'j' is a string or a non-empty array of strings. */
static bool
policy_is_string_or_list(const struct json *j)
{
    if (j->type == JSON_STRING) {
        return true;
    } else if (j->type != JSON_ARRAY || !j->array.n) {
        return false;
    }
    for (size_t i = 0; i < j->array.n; i++) {
        if (j->array.elems[i]->type != JSON_STRING) {
            return false;
        }
    }
    return true;
}

/* Appends the string or strings of 'j', which policy_is_string_or_list()
 * accepted, to 'out'. */
static void
policy_add_strings(const struct json *j, struct svec *out)
{
    if (j->type == JSON_STRING) {
        svec_add(out, j->string);
        return;
    }
    for (size_t i = 0; i < j->array.n; i++) {
        svec_add(out, j->array.elems[i]->string);
    }
}

/* Appends the condition value 'j' (a string, a boolean or an integer) to
 * 'out' as a string.  Returns false if 'j' is none of these. */
static bool
policy_add_condition_scalar(const struct json *j, struct svec *out)
{
    switch (j->type) {
    case JSON_STRING:
        svec_add(out, j->string);
        return true;
    case JSON_TRUE:
    case JSON_FALSE:
        svec_add(out, j->type == JSON_TRUE ? "true" : "false");
        return true;
    case JSON_INTEGER:
        svec_add_nocopy(out, xasprintf("%lld", j->integer));
        return true;
    case JSON_NULL:
    case JSON_OBJECT:
    case JSON_ARRAY:
    case JSON_REAL:
    case JSON_N_TYPES:
    default:
        return false;
    }
}

/* Compiles a Principal or NotPrincipal, 'j', into 'st'.  Accepts "*" or an
 * object whose members ("AWS", "Service", ...) are strings or lists of
 * strings. */
static char *
policy_parse_principal(const char *name, const struct json *j,
                       struct policy_statement *st)
{
    if (j->type == JSON_STRING) {
        st->any_principal = !strcmp(j->string, "*");
        return (st->any_principal ? NULL
                : xasprintf("%s must be \"*\" or an object", name));
    } else if (j->type != JSON_OBJECT || shash_is_empty(j->object)) {
        return xasprintf("%s must be \"*\" or an object", name);
    }
    struct shash_node *node;
    SHASH_FOR_EACH (node, j->object) {
        if (strcmp(node->name, "AWS") && strcmp(node->name, "Service")
            && strcmp(node->name, "Federated")
            && strcmp(node->name, "CanonicalUser")) {
            return xasprintf("%s has an unknown member %s", name, node->name);
        } else if (!policy_is_string_or_list(node->data)) {
            return xasprintf("%s.%s must be a string or a list of strings",
                             name, node->name);
        }
        policy_add_strings(node->data, &st->principals);
    }
    st->any_principal = svec_contains_unsorted(&st->principals, "*");
    return NULL;
}

/* Finds the operator named 'name' (a full Condition member name such as
 * "ForAnyValue:StringLikeIfExists") and fills in 'c''s operator,
 * qualifier and IfExists flag. */
static char *
policy_parse_operator(const char *name, struct policy_condition *c)
{
    const char *base = name;
    if (!strncmp(base, "ForAnyValue:", 12)) {
        c->qualifier = POLICY_QUAL_ANY;
        base += 12;
    } else if (!strncmp(base, "ForAllValues:", 13)) {
        c->qualifier = POLICY_QUAL_ALL;
        base += 13;
    }

    size_t len = strlen(base);
    const size_t suffix = strlen("IfExists");
    c->if_exists = len > suffix && !strcmp(base + len - suffix, "IfExists");
    if (c->if_exists) {
        len -= suffix;
    }
    for (size_t i = 0; i < ARRAY_SIZE(policy_ops); i++) {
        const struct policy_op_def *def = &policy_ops[i];
        if (strlen(def->name) == len && !strncmp(base, def->name, len)) {
            if (def->op == POLICY_OP_NULL_CHECK
                && (c->if_exists || c->qualifier != POLICY_QUAL_NONE)) {
                break;
            }
            c->def = def;
            return NULL;
        }
    }
    return xasprintf("Condition has an unknown operator %s", name);
}

/* Checks the values of condition 'c' for its operator, parsing the
 * addresses of the IP operators. */
static char *
policy_check_condition_values(struct policy_condition *c, const char *op)
{
    enum policy_op code = c->def->op;
    if (code == POLICY_OP_IP_ADDRESS || code == POLICY_OP_NOT_IP_ADDRESS) {
        c->cidrs = xcalloc(c->values.n, sizeof *c->cidrs);
        for (size_t i = 0; i < c->values.n; i++) {
            ovs_be32 ip;
            unsigned int plen;
            char *error = ip_parse_cidr(c->values.names[i], &ip, &plen);
            if (error) {
                free(error);
                return xasprintf("Condition %s: %s is not an IPv4 address "
                                 "or CIDR block", op, c->values.names[i]);
            }
            c->cidrs[i].addr = ip & cidr4_mask(plen);
            c->cidrs[i].plen = plen;
        }
    } else if (code == POLICY_OP_BOOL || code == POLICY_OP_NULL_CHECK) {
        for (size_t i = 0; i < c->values.n; i++) {
            if (strcasecmp(c->values.names[i], "true")
                && strcasecmp(c->values.names[i], "false")) {
                return xasprintf("Condition %s: %s must be true or false",
                                 op, c->key);
            }
        }
    }
    return NULL;
}

/* Compiles the key 'key' of the operator 'op', with value(s) 'v', into a
 * new condition of 'st'. */
static char *
policy_parse_condition_key(const char *op, const char *key,
                           const struct json *v, struct policy_statement *st)
{
    st->conditions = xrealloc(st->conditions,
                              (st->n_conditions + 1) * sizeof *st->conditions);
    struct policy_condition *c = &st->conditions[st->n_conditions++];
    memset(c, 0, sizeof *c);
    c->key = xstrdup(key);
    svec_init(&c->values);

    char *error = policy_parse_operator(op, c);
    if (error) {
        return error;
    }
    bool ok;
    if (v->type == JSON_ARRAY) {
        ok = v->array.n > 0;
        for (size_t i = 0; ok && i < v->array.n; i++) {
            ok = policy_add_condition_scalar(v->array.elems[i], &c->values);
        }
    } else {
        ok = policy_add_condition_scalar(v, &c->values);
    }
    if (!ok) {
        return xasprintf("Condition %s: %s has a bad value", op, key);
    }
    return policy_check_condition_values(c, op);
}

/* Compiles a Condition block, 'j': operator -> { key -> value(s) }. */
static char *
policy_parse_condition(const struct json *j, struct policy_statement *st)
{
    if (j->type != JSON_OBJECT) {
        return xstrdup("Condition must be an object");
    }
    struct shash_node *op;
    SHASH_FOR_EACH (op, j->object) {
        const struct json *block = op->data;
        if (block->type != JSON_OBJECT || shash_is_empty(block->object)) {
            return xasprintf("Condition operator %s needs an object of "
                             "keys", op->name);
        }
        struct shash_node *key;
        SHASH_FOR_EACH (key, block->object) {
            char *error = policy_parse_condition_key(op->name, key->name,
                                                     key->data, st);
            if (error) {
                return error;
            }
        }
    }
    return NULL;
}

/* Compiles the one of 'a' and 'b' that is a member of 's' (exactly one must
 * be) into 'list', setting '*negatedp' if it is 'b'. */
static char *
policy_parse_pair(const struct shash *s, const char *a, const char *b,
                  bool *negatedp, struct svec *list)
{
    bool has_a = shash_find(s, a) != NULL;
    bool has_b = shash_find(s, b) != NULL;
    if (has_a == has_b) {
        return xasprintf("a statement needs exactly one of %s and %s", a, b);
    }
    const struct json *v = shash_find_data(s, has_a ? a : b);
    if (!policy_is_string_or_list(v)) {
        return xasprintf("%s must be a string or a list of strings",
                         has_a ? a : b);
    }
    *negatedp = has_b;
    policy_add_strings(v, list);
    return NULL;
}

/* Compiles Principal or NotPrincipal (exactly one) of 's' into 'st'. */
static char *
policy_parse_principals(const struct shash *s, struct policy_statement *st)
{
    const struct json *p = shash_find_data(s, "Principal");
    const struct json *np = shash_find_data(s, "NotPrincipal");
    if (!p == !np) {
        return xstrdup("a statement needs exactly one of Principal and "
                       "NotPrincipal");
    }
    st->not_principal = np != NULL;
    return policy_parse_principal(p ? "Principal" : "NotPrincipal",
                                  p ? p : np, st);
}

/* Checks that every member of statement 'st' is one IAM knows. */
static char *
policy_check_statement_members(const struct json *st)
{
    static const char *const known[] = {
        "Sid", "Effect", "Principal", "NotPrincipal", "Action", "NotAction",
        "Resource", "NotResource", "Condition",
    };

    struct shash_node *node;
    SHASH_FOR_EACH (node, st->object) {
        bool ok = false;
        for (size_t i = 0; i < ARRAY_SIZE(known) && !ok; i++) {
            ok = !strcmp(node->name, known[i]);
        }
        if (!ok) {
            return xasprintf("unknown statement element %s", node->name);
        }
    }
    return NULL;
}

/* Compiles the statement 'j' into 'st', which is zeroed with empty
 * lists. */
static char *
policy_parse_statement(const struct json *j, struct policy_statement *st)
{
    if (j->type != JSON_OBJECT) {
        return xstrdup("a statement must be an object");
    }
    char *error = policy_check_statement_members(j);
    if (error) {
        return error;
    }

    const struct shash *s = j->object;
    const struct json *effect = shash_find_data(s, "Effect");
    const struct json *sid = shash_find_data(s, "Sid");
    const struct json *cond = shash_find_data(s, "Condition");
    if (!effect || effect->type != JSON_STRING
        || (strcmp(effect->string, "Allow")
            && strcmp(effect->string, "Deny"))) {
        return xstrdup("a statement needs an Effect of Allow or Deny");
    } else if (sid && sid->type != JSON_STRING) {
        return xstrdup("Sid must be a string");
    }
    st->deny = !strcmp(effect->string, "Deny");
    st->sid = sid ? xstrdup(sid->string) : NULL;

    if ((error = policy_parse_principals(s, st))
        || (error = policy_parse_pair(s, "Action", "NotAction",
                                      &st->not_action, &st->actions))
        || (error = policy_parse_pair(s, "Resource", "NotResource",
                                      &st->not_resource, &st->resources))) {
        return error;
    }
    return cond ? policy_parse_condition(cond, st) : NULL;
}

/* Adds a new, empty statement to 'p' and returns it. */
static struct policy_statement *
policy_add_statement(struct policy *p)
{
    p->statements = xrealloc(p->statements,
                             (p->n_statements + 1) * sizeof *p->statements);
    struct policy_statement *st = &p->statements[p->n_statements++];
    memset(st, 0, sizeof *st);
    svec_init(&st->principals);
    svec_init(&st->actions);
    svec_init(&st->resources);
    return st;
}

/* Checks the top-level members and the Version of document 'j'. */
static char *
policy_check_top(const struct json *j)
{
    if (j->type != JSON_OBJECT) {
        return xstrdup("the policy must be a JSON object");
    }
    struct shash_node *node;
    SHASH_FOR_EACH (node, j->object) {
        if (strcmp(node->name, "Version") && strcmp(node->name, "Id")
            && strcmp(node->name, "Statement")) {
            return xasprintf("unknown policy element %s", node->name);
        }
    }
    const struct json *version = shash_find_data(j->object, "Version");
    if (version && (version->type != JSON_STRING
                    || (strcmp(version->string, "2012-10-17")
                        && strcmp(version->string, "2008-10-17")))) {
        return xstrdup("Version must be 2012-10-17 or 2008-10-17");
    }
    return NULL;
}

/* Compiles the parsed document 'j' into 'p'. */
static char *
policy_compile(const struct json *j, struct policy *p)
{
    char *error = policy_check_top(j);
    if (error) {
        return error;
    }

    const struct json *st = shash_find_data(j->object, "Statement");
    if (!st) {
        return xstrdup("the policy has no Statement");
    } else if (st->type != JSON_ARRAY) {
        return policy_parse_statement(st, policy_add_statement(p));
    } else if (!st->array.n) {
        return xstrdup("the policy's Statement is empty");
    }
    for (size_t i = 0; i < st->array.n; i++) {
        error = policy_parse_statement(st->array.elems[i],
                                       policy_add_statement(p));
        if (error) {
            return error;
        }
    }
    return NULL;
}

/* Returns NULL if 'document' is an endpoint policy AWS would accept (and
 * that policy_evaluate() understands entirely), otherwise a malloc'd
 * message saying what is wrong. */
char *
policy_validate(const char *document)
{
    struct policy *p;
    char *error = policy_parse(document, &p);
    policy_destroy(p);
    return error;
}

/* Parses and compiles 'document'.  On success, returns NULL and stores the
 * policy in '*policyp', which the caller frees with policy_destroy(); on
 * failure, returns a malloc'd message and stores NULL. */
char *
policy_parse(const char *document, struct policy **policyp)
{
    *policyp = NULL;
    if (strlen(document) > POLICY_MAX_LEN) {
        return xasprintf("the policy is longer than %d characters",
                         POLICY_MAX_LEN);
    }

    struct json *j = json_from_string(document);
    if (j->type == JSON_STRING) {
        char *error = xasprintf("the policy is not valid JSON: %s",
                                j->string);
        json_destroy(j);
        return error;
    }

    struct policy *p = xzalloc(sizeof *p);
    char *error = policy_compile(j, p);
    json_destroy(j);
    if (error) {
        policy_destroy(p);
        return error;
    }
    *policyp = p;
    return NULL;
}

/* Frees 'st''s members. */
static void
policy_statement_destroy(struct policy_statement *st)
{
    free(st->sid);
    svec_destroy(&st->principals);
    svec_destroy(&st->actions);
    svec_destroy(&st->resources);
    for (size_t i = 0; i < st->n_conditions; i++) {
        free(st->conditions[i].key);
        svec_destroy(&st->conditions[i].values);
        free(st->conditions[i].cidrs);
    }
    free(st->conditions);
}

/* Frees 'p'.  Accepts NULL. */
void
policy_destroy(struct policy *p)
{
    if (p) {
        for (size_t i = 0; i < p->n_statements; i++) {
            policy_statement_destroy(&p->statements[i]);
        }
        free(p->statements);
        free(p);
    }
}

/* Evaluation. */

/* Returns true if 'c' and 'd' are the same character, ignoring case if
 * 'nocase'. */
static bool
policy_char_eq(char c, char d, bool nocase)
{
    return (nocase
            ? tolower((unsigned char) c) == tolower((unsigned char) d)
            : c == d);
}

/* Returns true if 's' matches 'pattern', in which '*' matches any run of
 * characters and '?' any one character, ignoring case if 'nocase'. */
static bool
policy_wildcard_match(const char *pattern, const char *s, bool nocase)
{
    const char *star = NULL;    /* Just after the last '*' seen. */
    const char *resume = NULL;  /* Where in 's' that '*' matched up to. */

    while (*s) {
        if (*pattern == '*') {
            star = ++pattern;
            resume = s;
        } else if (*pattern == '?' || policy_char_eq(*pattern, *s, nocase)) {
            pattern++;
            s++;
        } else if (star) {
            pattern = star;
            s = ++resume;
        } else {
            return false;
        }
    }
    while (*pattern == '*') {
        pattern++;
    }
    return !*pattern;
}

/* Returns true if 's' matches one of the patterns of 'patterns'. */
static bool
policy_match_any(const struct svec *patterns, const char *s, bool nocase)
{
    for (size_t i = 0; i < patterns->n; i++) {
        if (policy_wildcard_match(patterns->names[i], s, nocase)) {
            return true;
        }
    }
    return false;
}

/* Splits 'arn' into its six components "arn:partition:service:region:
 * account:resource" (the resource keeps any further colons).  Returns the
 * number of components stored in 'parts', each malloc'd. */
static size_t
policy_arn_split(const char *arn, char *parts[6])
{
    size_t n = 0;
    const char *p = arn;
    while (n < 5) {
        const char *colon = strchr(p, ':');
        if (!colon) {
            break;
        }
        parts[n++] = xmemdup0(p, colon - p);
        p = colon + 1;
    }
    parts[n++] = xstrdup(p);
    return n;
}

/* Returns true if ARN 'value' matches ARN pattern 'pattern' as ArnLike and
 * ArnEquals do: component by component, each with wildcards, case
 * sensitively.  A pattern that is not an ARN is matched as a whole. */
static bool
policy_arn_match(const char *pattern, const char *value)
{
    char *pp[6], *vp[6];
    size_t np = policy_arn_split(pattern, pp);
    size_t nv = policy_arn_split(value, vp);
    bool match;
    if (np < 6) {
        match = policy_wildcard_match(pattern, value, false);
    } else {
        match = nv == 6;
        for (size_t i = 0; match && i < 6; i++) {
            match = policy_wildcard_match(pp[i], vp[i], false);
        }
    }
    for (size_t i = 0; i < np; i++) {
        free(pp[i]);
    }
    for (size_t i = 0; i < nv; i++) {
        free(vp[i]);
    }
    return match;
}

/* Returns true if the request value 'v' matches the 'i'th value of
 * condition 'c', before any negation. */
static bool
policy_compare(const struct policy_condition *c, size_t i, const char *v)
{
    const char *p = c->values.names[i];
    switch (c->def->op) {
    case POLICY_OP_STRING_EQUALS:
    case POLICY_OP_STRING_NOT_EQUALS:
        return !strcmp(p, v);
    case POLICY_OP_STRING_EQUALS_IC:
    case POLICY_OP_STRING_NOT_EQUALS_IC:
    case POLICY_OP_BOOL:
        return !strcasecmp(p, v);
    case POLICY_OP_STRING_LIKE:
    case POLICY_OP_STRING_NOT_LIKE:
        return policy_wildcard_match(p, v, false);
    case POLICY_OP_ARN_EQUALS:
    case POLICY_OP_ARN_LIKE:
    case POLICY_OP_ARN_NOT_EQUALS:
    case POLICY_OP_ARN_NOT_LIKE:
        return policy_arn_match(p, v);
    case POLICY_OP_IP_ADDRESS:
    case POLICY_OP_NOT_IP_ADDRESS: {
        ovs_be32 ip;
        return ip_parse(v, &ip) && cidr4_contains_ip(&c->cidrs[i], ip);
    }
    case POLICY_OP_NULL_CHECK:
    default:
        return false;
    }
}

/* Returns true if the request value 'v' satisfies condition 'c': it
 * matches one of the policy's values, or, for a negated operator, none of
 * them. */
static bool
policy_value_matches(const struct policy_condition *c, const char *v)
{
    bool any = false;
    for (size_t i = 0; i < c->values.n && !any; i++) {
        any = policy_compare(c, i, v);
    }
    return c->def->negated ? !any : any;
}

/* Looks up condition key 'key' (case-insensitively) for 'rq' and appends
 * its values to 'values'.  Returns false if the request has no such key. */
static bool
policy_lookup_key(const struct policy_request *rq, const char *key,
                  struct svec *values)
{
    const char *value = NULL;
    if (rq->context) {
        struct smap_node *node;
        SMAP_FOR_EACH (node, rq->context) {
            if (!strcasecmp(node->key, key)) {
                value = node->value;
                break;
            }
        }
    }
    if (!value) {
        value = (!strcasecmp(key, "aws:PrincipalAccount")
                 ? rq->principal_account
                 : !strcasecmp(key, "aws:PrincipalArn") ? rq->principal_arn
                 : !strcasecmp(key, "aws:PrincipalOrgId")
                 ? rq->principal_org_id
                 : NULL);
    }
    if (!value) {
        return false;
    }

    const char *p = value;
    for (;;) {
        const char *comma = strchr(p, ',');
        if (!comma) {
            svec_add(values, p);
            return true;
        }
        svec_add_nocopy(values, xmemdup0(p, comma - p));
        p = comma + 1;
    }
}

/* Returns the outcome of a Null condition 'c' on a key that is 'present'
 * or not: "true" asks for a missing key, "false" for a present one. */
static bool
policy_null_holds(const struct policy_condition *c, bool present)
{
    for (size_t i = 0; i < c->values.n; i++) {
        bool want_missing = !strcasecmp(c->values.names[i], "true");
        if (want_missing != present) {
            return true;
        }
    }
    return false;
}

/* Returns true if condition 'c' holds for the key's 'values'. */
static bool
policy_values_hold(const struct policy_condition *c,
                   const struct svec *values)
{
    /* Without a qualifier, a negated operator needs every value to match
     * none of the policy's values, a positive one any value to match. */
    bool all = (c->qualifier == POLICY_QUAL_ALL
                || (c->qualifier == POLICY_QUAL_NONE && c->def->negated));
    for (size_t i = 0; i < values->n; i++) {
        bool match = policy_value_matches(c, values->names[i]);
        if (match != all) {
            return match;
        }
    }
    return all;
}

/* Returns true if condition 'c' holds for request 'rq'. */
static bool
policy_condition_holds(const struct policy_condition *c,
                       const struct policy_request *rq)
{
    struct svec values = SVEC_EMPTY_INITIALIZER;
    bool present = policy_lookup_key(rq, c->key, &values);
    bool holds;

    if (c->def->op == POLICY_OP_NULL_CHECK) {
        holds = policy_null_holds(c, present);
    } else if (!present) {
        holds = (c->if_exists ? true
                 : c->qualifier == POLICY_QUAL_ANY ? false
                 : c->qualifier == POLICY_QUAL_ALL ? true
                 : c->def->negated);
    } else {
        holds = policy_values_hold(c, &values);
    }
    svec_destroy(&values);
    return holds;
}

/* If 'principal' names a whole account (a 12-digit account id or
 * "arn:aws:iam::ACCOUNT:root"), returns the account id, malloc'd;
 * otherwise NULL. */
static char *
policy_principal_account(const char *principal)
{
    size_t len = strlen(principal);
    const char *prefix = "arn:aws:iam::";
    const char *suffix = ":root";
    const char *id = principal;
    if (!strncmp(principal, prefix, strlen(prefix))
        && len == strlen(prefix) + 12 + strlen(suffix)
        && !strcmp(principal + len - strlen(suffix), suffix)) {
        id = principal + strlen(prefix);
    } else if (len != 12) {
        return NULL;
    }
    for (size_t i = 0; i < 12; i++) {
        if (!isdigit((unsigned char) id[i])) {
            return NULL;
        }
    }
    return xmemdup0(id, 12);
}

/* Returns true if the policy principal 'principal' names the caller of
 * 'rq'. */
static bool
policy_principal_is(const char *principal, const struct policy_request *rq)
{
    char *account = policy_principal_account(principal);
    if (!account) {
        return rq->principal_arn && !strcmp(principal, rq->principal_arn);
    }

    bool match = (rq->principal_account
                  && !strcmp(account, rq->principal_account));
    if (match && rq->account_is_root) {
        char *root = xasprintf("arn:aws:iam::%s:root", account);
        match = rq->principal_arn && !strcmp(root, rq->principal_arn);
        free(root);
    }
    free(account);
    return match;
}

/* Returns true if statement 'st''s Principal or NotPrincipal applies to
 * the caller of 'rq'. */
static bool
policy_principal_applies(const struct policy_statement *st,
                         const struct policy_request *rq)
{
    bool match = st->any_principal;
    for (size_t i = 0; !match && i < st->principals.n; i++) {
        match = policy_principal_is(st->principals.names[i], rq);
    }
    return match != st->not_principal;
}

/* Returns true if statement 'st' applies to request 'rq'. */
static bool
policy_statement_applies(const struct policy_statement *st,
                         const struct policy_request *rq)
{
    const char *action = rq->action ? rq->action : "";
    const char *resource = rq->resource ? rq->resource : "*";
    if (!policy_principal_applies(st, rq)
        || policy_match_any(&st->actions, action, true) == st->not_action
        || (policy_match_any(&st->resources, resource, false)
            == st->not_resource)) {
        return false;
    }
    for (size_t i = 0; i < st->n_conditions; i++) {
        if (!policy_condition_holds(&st->conditions[i], rq)) {
            return false;
        }
    }
    return true;
}

/* Evaluates request 'rq' against policy 'p' with IAM's logic: a matching
 * Deny statement wins, otherwise a matching Allow statement allows,
 * otherwise the request is denied implicitly.  If 'sidp' is nonnull,
 * stores in it the Sid of the deciding statement (the first matching Deny,
 * or else the first matching Allow), or NULL if there is none or it has no
 * Sid; the string belongs to 'p'. */
enum policy_decision
policy_evaluate(const struct policy *p, const struct policy_request *rq,
                const char **sidp)
{
    const struct policy_statement *allow = NULL;
    const struct policy_statement *deny = NULL;

    for (size_t i = 0; i < p->n_statements && !deny; i++) {
        const struct policy_statement *st = &p->statements[i];
        if ((st->deny || !allow) && policy_statement_applies(st, rq)) {
            if (st->deny) {
                deny = st;
            } else {
                allow = st;
            }
        }
    }

    const struct policy_statement *decider = deny ? deny : allow;
    if (sidp) {
        *sidp = decider ? decider->sid : NULL;
    }
    return (deny ? POLICY_DENY_EXPLICIT
            : allow ? POLICY_ALLOW
            : POLICY_DENY_IMPLICIT);
}

/* Returns the name of 'decision' as the AuthorizeEndpointRequest rpc
 * gives it: "Allow", "ExplicitDeny" or "ImplicitDeny". */
const char *
policy_decision_to_string(enum policy_decision decision)
{
    switch (decision) {
    case POLICY_ALLOW:
        return "Allow";
    case POLICY_DENY_EXPLICIT:
        return "ExplicitDeny";
    case POLICY_DENY_IMPLICIT:
    default:
        return "ImplicitDeny";
    }
}
