/*
 * filter.c: EC2 filter matching (see filter.h).
 */
#include <config.h>
#include "filter.h"

#include <string.h>

#include "ops.h"
#include "privatelink.pb-c.h"
#include "smap.h"
#include "sset.h"
#include "util.h"

/* Returns true if 's' matches 'pattern', where '*' matches any run of
 * characters and '?' any one character. */
bool
filter_wildcard_match(const char *pattern, const char *s)
{
    const char *star = NULL, *resume = NULL;

    while (*s) {
        if (*pattern == '*') {
            star = pattern++;
            resume = s;
        } else if (*pattern == '?' || *pattern == *s) {
            pattern++;
            s++;
        } else if (star) {
            pattern = star + 1;
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

static const struct filter_def *
filter_find(const char *name, const struct filter_def *defs, size_t n_defs)
{
    for (size_t i = 0; i < n_defs; i++) {
        if (!strcmp(defs[i].name, name)) {
            return &defs[i];
        }
    }
    return NULL;
}

static bool
filter_is_tag(const char *name)
{
    return !strncmp(name, "tag:", 4) || !strcmp(name, "tag-key");
}

/* Checks that every filter in 'filters' is known ('defs' or a tag filter)
 * and has values; otherwise fails 'ctx' and returns false. */
bool
filter_check(struct op_ctx *ctx, Privatelink__V1__Filter **filters, size_t n,
             const struct filter_def *defs, size_t n_defs)
{
    for (size_t i = 0; i < n; i++) {
        const char *name = filters[i]->name;
        if (!name) {
            op_error(ctx, "MissingParameter",
                     "The request must contain the parameter Filter.%"
                     PRIuSIZE".Name", i + 1);
            return false;
        }
        if (!filter_is_tag(name) && !filter_find(name, defs, n_defs)) {
            op_error(ctx, "InvalidParameterValue",
                     "The filter '%s' is invalid", name);
            return false;
        }
        if (!filters[i]->n_values) {
            op_error(ctx, "InvalidParameterValue",
                     "The filter '%s' has no values", name);
            return false;
        }
    }
    return true;
}

/* Returns true if any value of 'f' matches any of 'values'. */
static bool
filter_any_value(const Privatelink__V1__Filter *f, const struct sset *values)
{
    const char *v;
    SSET_FOR_EACH (v, values) {
        for (size_t i = 0; i < f->n_values; i++) {
            if (filter_wildcard_match(f->values[i], v)) {
                return true;
            }
        }
    }
    return false;
}

/* Returns true if 'row', whose tags are 'tags' (may be NULL), passes every
 * filter. */
bool
filter_match(Privatelink__V1__Filter **filters, size_t n,
             const struct filter_def *defs, size_t n_defs, const void *row,
             const struct smap *tags)
{
    struct sset values = SSET_INITIALIZER(&values);
    bool match = true;

    for (size_t i = 0; i < n && match; i++) {
        const char *name = filters[i]->name;
        sset_clear(&values);
        if (!strncmp(name, "tag:", 4)) {
            const char *value = tags ? smap_get(tags, name + 4) : NULL;
            if (value) {
                sset_add(&values, value);
            }
        } else if (!strcmp(name, "tag-key")) {
            struct smap_node *node;
            SMAP_FOR_EACH (node, tags) {
                sset_add(&values, node->key);
            }
        } else {
            filter_find(name, defs, n_defs)->values(row, &values);
        }
        match = filter_any_value(filters[i], &values);
    }
    sset_destroy(&values);
    return match;
}
