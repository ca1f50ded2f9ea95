/*
 * policy.c: IAM policy document validation (see policy.h).
 */
#include <config.h>
#include "policy.h"

#include <string.h>

#include "openvswitch/json.h"
#include "openvswitch/shash.h"
#include "util.h"

const char policy_default_gateway[] =
    "{\"Version\":\"2008-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
    "\"Principal\":\"*\",\"Action\":\"*\",\"Resource\":\"*\"}]}";
const char policy_default_interface[] =
    "{\"Statement\":[{\"Action\":\"*\",\"Effect\":\"Allow\","
    "\"Principal\":\"*\",\"Resource\":\"*\"}]}";

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

/* Checks a Principal or NotPrincipal: "*" or an object whose members
 * ("AWS", "Service", ...) are strings or lists of strings. */
static char *
policy_check_principal(const char *name, const struct json *j)
{
    if (j->type == JSON_STRING) {
        return strcmp(j->string, "*")
               ? xasprintf("%s must be \"*\" or an object", name) : NULL;
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
    }
    return NULL;
}

/* Checks a Condition block: operator -> { key -> value(s) }. */
static char *
policy_check_condition(const struct json *j)
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
            const struct json *v = key->data;
            bool ok = (v->type == JSON_STRING || v->type == JSON_TRUE
                       || v->type == JSON_FALSE || v->type == JSON_INTEGER
                       || policy_is_string_or_list(v));
            if (!ok) {
                return xasprintf("Condition %s: %s has a bad value",
                                 op->name, key->name);
            }
        }
    }
    return NULL;
}

/* Checks that exactly one of 'a' and 'b' is a member of 's'. */
static char *
policy_one_of(const struct shash *s, const char *a, const char *b)
{
    bool has_a = shash_find(s, a) != NULL;
    bool has_b = shash_find(s, b) != NULL;
    if (has_a == has_b) {
        return xasprintf("a statement needs exactly one of %s and %s", a, b);
    }
    const struct json *v = shash_find_data(s, has_a ? a : b);
    if (strstr(a, "Principal")) {
        return policy_check_principal(has_a ? a : b, v);
    }
    return (policy_is_string_or_list(v) ? NULL
            : xasprintf("%s must be a string or a list of strings",
                        has_a ? a : b));
}

/* Checks one statement. */
static char *
policy_check_statement(const struct json *st)
{
    static const char *const known[] = {
        "Sid", "Effect", "Principal", "NotPrincipal", "Action", "NotAction",
        "Resource", "NotResource", "Condition",
    };

    if (st->type != JSON_OBJECT) {
        return xstrdup("a statement must be an object");
    }
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

    const struct json *effect = shash_find_data(st->object, "Effect");
    const struct json *sid = shash_find_data(st->object, "Sid");
    const struct json *cond = shash_find_data(st->object, "Condition");
    char *error;
    if (!effect || effect->type != JSON_STRING
        || (strcmp(effect->string, "Allow")
            && strcmp(effect->string, "Deny"))) {
        return xstrdup("a statement needs an Effect of Allow or Deny");
    } else if (sid && sid->type != JSON_STRING) {
        return xstrdup("Sid must be a string");
    } else if ((error = policy_one_of(st->object, "Principal",
                                      "NotPrincipal"))
               || (error = policy_one_of(st->object, "Action", "NotAction"))
               || (error = policy_one_of(st->object, "Resource",
                                         "NotResource"))) {
        return error;
    }
    return cond ? policy_check_condition(cond) : NULL;
}

/* Checks the parsed document 'j'. */
static char *
policy_check(const struct json *j)
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

    const struct json *st = shash_find_data(j->object, "Statement");
    if (!st) {
        return xstrdup("the policy has no Statement");
    } else if (st->type == JSON_ARRAY) {
        if (!st->array.n) {
            return xstrdup("the policy's Statement is empty");
        }
        for (size_t i = 0; i < st->array.n; i++) {
            char *error = policy_check_statement(st->array.elems[i]);
            if (error) {
                return error;
            }
        }
        return NULL;
    }
    return policy_check_statement(st);
}

/* Returns NULL if 'document' is an endpoint policy AWS would accept,
 * otherwise a malloc'd message saying what is wrong. */
char *
policy_validate(const char *document)
{
    if (strlen(document) > POLICY_MAX_LEN) {
        return xasprintf("the policy is longer than %d characters",
                         POLICY_MAX_LEN);
    }
    struct json *j = json_from_string(document);
    char *error = (j->type == JSON_STRING
                   ? xasprintf("the policy is not valid JSON: %s", j->string)
                   : policy_check(j));
    json_destroy(j);
    return error;
}
