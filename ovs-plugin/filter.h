/*
 * filter.h: EC2 "Filter.N.Name / Filter.N.Value.M" matching for the
 * Describe operations.
 *
 * Values of one filter are OR-ed, different filters are AND-ed, values may
 * use the '*' and '?' wildcards, "tag:KEY" matches a tag's value and
 * "tag-key" a tag's presence (reference/ec2-api.md §2.7).  Each Describe
 * operation names its filters in a table of struct filter_def; a filter
 * not in the table fails the call with InvalidParameterValue.
 */
#ifndef FILTER_H
#define FILTER_H 1

#include <stdbool.h>
#include <stddef.h>

struct op_ctx;
struct smap;
struct sset;
typedef struct Privatelink__V1__Filter Privatelink__V1__Filter;

/* Adds to 'values' the values that filter 'name' sees on 'row'. */
typedef void filter_values_func(const void *row, struct sset *values);

/* One filter a Describe operation supports. */
struct filter_def {
    const char *name;           /* e.g. "vpc-id". */
    filter_values_func *values; /* Its values on a row. */
};

/* Defines the filter function NAME, whose value on a row of type TYPE is
 * its string member MEMBER.  (Most filters are just that.) */
#define FILTER_STRING_MEMBER(NAME, TYPE, MEMBER)                        \
    static void                                                         \
    NAME(const void *row_, struct sset *values)                         \
    {                                                                   \
        const TYPE *row = row_;                                         \
        sset_add(values, row->MEMBER);                                  \
    }

bool filter_check(struct op_ctx *, Privatelink__V1__Filter **, size_t n,
                  const struct filter_def *, size_t n_defs);
bool filter_match(Privatelink__V1__Filter **, size_t n,
                  const struct filter_def *, size_t n_defs,
                  const void *row, const struct smap *tags);
bool filter_wildcard_match(const char *pattern, const char *s);

#endif /* filter.h */
