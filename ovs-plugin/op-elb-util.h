/*
 * op-elb-util.h: what the Elastic Load Balancing v2 operations share
 * (op-elb.c: load balancers, op-elb-listener.c: listeners,
 * op-elb-target.c: target groups and targets, op-elb-tags.c: tags).
 *
 * ELBv2 names its resources by ARN, and every ARN carries the account
 * that owns it:
 *
 *     arn:aws:elasticloadbalancing:REGION:ACCOUNT:loadbalancer/net/NAME/ID
 *     arn:aws:elasticloadbalancing:REGION:ACCOUNT:targetgroup/NAME/ID
 *     arn:aws:elasticloadbalancing:REGION:ACCOUNT:listener/net/NAME/LBID/ID
 *
 * ("gwy" instead of "net" for a Gateway Load Balancer), each ID being 16
 * lower-case hex digits.  Because the account comes right after the
 * region, the ARN index of Load_Balancer or Target_Group keeps the rows
 * of one account next to each other: the iterators below walk only the
 * caller's rows, from the page a Describe call starts at.
 *
 * Every lookup is made as the caller: a well-formed ARN of another
 * account is "not found", exactly like an ARN that does not exist.
 *
 * Errors are ELBv2's: a malformed or missing parameter is ValidationError,
 * not EC2's MissingParameter or InvalidParameterValue.
 */
#ifndef OP_ELB_UTIL_H
#define OP_ELB_UTIL_H 1

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "ovsdb-idl.h"
#include "privatelink.pb-c.h"

struct op_ctx;
struct plrec_listener;
struct plrec_load_balancer;
struct plrec_subnet;
struct plrec_target_group;
struct plrec_vpc;
struct smap;

/* Number of hex digits in the ids of load balancers, target groups and
 * listeners. */
enum { ELB_ID_LEN = 16 };

/* Most items a Describe call returns in one page (PageSize). */
enum { ELB_MAX_PAGE_SIZE = 400 };

/* Parameters, ARNs and names. */
bool elb_require(struct op_ctx *, bool present, const char *member);
char *elb_arn(const struct op_ctx *, const char *resource);
bool elb_arn_valid(const char *arn, const char *resource);
bool elb_arn_is_callers(const struct op_ctx *, const char *arn);
char *elb_random_id(void);
bool elb_check_name(struct op_ctx *, const char *name, bool load_balancer);
bool elb_is_gateway(const struct plrec_load_balancer *);

/* Finding resources as the caller (each fails 'ctx' and returns NULL if
 * the ARN is malformed or names nothing the caller owns). */
const struct plrec_load_balancer *elb_find_lb(struct op_ctx *,
                                              const char *arn);
const struct plrec_target_group *elb_find_tg(struct op_ctx *,
                                             const char *arn);
const struct plrec_listener *elb_find_listener(
    struct op_ctx *, const char *arn, const struct plrec_load_balancer **);

/* Iterating over the caller's load balancers or target groups in ARN
 * order, starting at ARN 'start' (NULL: at the first). */
struct elb_iter {
    struct ovsdb_idl_cursor cursor;     /* Position in the ARN index. */
    char prefix[128];                   /* ARN prefix of the caller's rows. */
};
const struct plrec_load_balancer *elb_lb_first(const struct op_ctx *,
                                               const char *start,
                                               struct elb_iter *);
const struct plrec_load_balancer *elb_lb_next(struct elb_iter *);
const struct plrec_target_group *elb_tg_first(const struct op_ctx *,
                                              const char *start,
                                              struct elb_iter *);
const struct plrec_target_group *elb_tg_next(struct elb_iter *);

#define ELB_LB_FOR_EACH(LB, CTX, START, ITER)                           \
    for ((LB) = elb_lb_first(CTX, START, ITER); (LB);                  \
         (LB) = elb_lb_next(ITER))
#define ELB_TG_FOR_EACH(TG, CTX, START, ITER)                           \
    for ((TG) = elb_tg_first(CTX, START, ITER); (TG);                  \
         (TG) = elb_tg_next(ITER))

/* Relations between the rows. */
const struct plrec_load_balancer *elb_tg_load_balancer(
    const struct op_ctx *, const struct plrec_target_group *);
bool elb_lb_in_use(const struct op_ctx *, const struct plrec_load_balancer *);
bool elb_lb_has_zone(const struct plrec_load_balancer *, const char *zone);
void elb_tg_refresh_health(struct op_ctx *, const struct plrec_target_group *,
                           const struct plrec_load_balancer *);
int elb_count_free_ips(const struct op_ctx *, const struct plrec_subnet *);

/* Paging with Marker and PageSize. */
struct elb_page {
    size_t limit;               /* Items to return at most. */
    char *start;                /* ARN the page starts at, or NULL. */
};
bool elb_page_init(struct op_ctx *, bool has_page_size, int32_t page_size,
                   const char *marker, struct elb_page *);
void elb_page_destroy(struct elb_page *);
char *elb_page_marker(const char *next_arn);
size_t elb_page_apply(const struct elb_page *, const char **arns, size_t n,
                      size_t *first, char **next_marker);
int elb_compare_strings(const void *, const void *);

/* ELBv2 tags: a Key and an optional Value. */
bool elb_tags_check(struct op_ctx *, Privatelink__V1__ElbTag **, size_t n);
void elb_tags_add(struct smap *, Privatelink__V1__ElbTag **, size_t n);
void elb_tags_to_msg(const struct smap *, Privatelink__V1__ElbTag ***tagsp,
                     size_t *np);

/* Attribute values. */
bool elb_parse_bool(const char *, bool *);
bool elb_parse_int(const char *, int min, int max, int *);

#endif /* op-elb-util.h */
