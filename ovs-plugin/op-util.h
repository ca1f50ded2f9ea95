/*
 * op-util.h: what the API operations share: looking rows up by their AWS
 * id, checking ids and required parameters, tags, and paging through
 * Describe results.
 *
 * Every table with an AWS id has an IDL index on it (op_util_init()
 * creates them on the IDL before its first run), so op_find_<table>()
 * costs O(log n) and Describe calls walk rows in id order from the page
 * they start at: a page of 100 costs O(page), not O(table).
 */
#ifndef OP_UTIL_H
#define OP_UTIL_H 1

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "compiler.h"
#include "privatelink.pb-c.h"

struct op_ctx;
struct ovsdb_idl;
struct ovsdb_idl_index;
struct smap;

/* Tables indexed by their AWS id: T(table, id column). */
#define OP_INDEXED_TABLES                                \
    T(account, account_id)                               \
    T(vpc, vpc_id)                                       \
    T(internet_gateway, internet_gateway_id)             \
    T(subnet, subnet_id)                                 \
    T(route_table, route_table_id)                       \
    T(security_group, group_id)                          \
    T(network_interface, network_interface_id)           \
    T(prefix_list, prefix_list_id)                       \
    T(load_balancer, arn)                                \
    T(target_group, arn)                                 \
    T(endpoint_service, service_id)                      \
    T(vpc_endpoint, vpc_endpoint_id)                     \
    T(connection_notification, connection_notification_id)

void op_util_init(struct ovsdb_idl *);
struct plrec_vpc;
struct plrec_vpc_endpoint;
size_t op_vpc_endpoints_of_vpc(const struct plrec_vpc *,
                               const struct plrec_vpc_endpoint ***);
const struct plrec_vpc_endpoint *op_vpc_endpoint_by_token(const char *token,
                                                          const char *owner);

#define T(TABLE, COLUMN)                                                 \
    struct plrec_##TABLE;                                                \
    const struct plrec_##TABLE *op_find_##TABLE(const char *id);         \
    struct ovsdb_idl_index *op_index_##TABLE(void);
OP_INDEXED_TABLES
#undef T

/* The region. */
void op_set_region(const char *);
const char *op_region(void);

/* The caller. */
const char *op_account_id(const struct op_ctx *);
bool op_is_owner(const struct op_ctx *, const char *owner_id);

/* Parameters. */
bool op_require(struct op_ctx *, bool present, const char *name);
bool op_check_id(struct op_ctx *, const char *id, const char *prefix,
                 const char *code);
bool op_check_enum(struct op_ctx *, const char *value, const char *name,
                   const char *const *allowed);
bool op_in_list(char **list, size_t n, const char *s);

/* Building responses. */
void *op_new_msg(const ProtobufCMessageDescriptor *);
char *op_strdup(const char *);

/* Appends 'ELEM' to the repeated field 'FIELD' of message 'MSG'. */
#define OP_APPEND(MSG, FIELD, ELEM)                                     \
    ((MSG)->FIELD = xrealloc((MSG)->FIELD, ((MSG)->n_##FIELD + 1)       \
                             * sizeof *(MSG)->FIELD),                   \
     (MSG)->FIELD[(MSG)->n_##FIELD++] = (ELEM))

/* Sets the proto2 optional scalar 'FIELD' of 'MSG'. */
#define OP_SET(MSG, FIELD, VALUE)                                       \
    ((MSG)->has_##FIELD = true, (MSG)->FIELD = (VALUE))

Privatelink__V1__UnsuccessfulItem *op_unsuccessful_item(
    const char *resource_id, const char *code, char *message);

/* Tags. */
bool op_tags_from_specs(struct op_ctx *, Privatelink__V1__TagSpecification **,
                        size_t n, const char *resource_type,
                        struct smap *tags);
bool op_tags_check(struct op_ctx *, Privatelink__V1__Tag **, size_t n,
                   bool need_values);
void op_tags_to_msg(const struct smap *, Privatelink__V1__Tag ***tagsp,
                    size_t *np);

/* Paging: MaxResults and NextToken. */
struct op_page {
    size_t limit;               /* Items to return at most. */
    char *start_id;             /* First id of the page, or NULL. */
};
bool op_page_init(struct op_ctx *, bool has_max, int32_t max_results,
                  const char *next_token, int min, int max,
                  struct op_page *);
char *op_page_token(const char *next_id);
void op_page_destroy(struct op_page *);

#endif /* op-util.h */
