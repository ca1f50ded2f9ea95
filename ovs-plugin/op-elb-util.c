/*
 * op-elb-util.c: what the Elastic Load Balancing v2 operations share (see
 * op-elb-util.h).
 */
#include <config.h>
#include "op-elb-util.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>

#include "cidr.h"
#include "lib/plink-idl.h"
#include "op-util.h"
#include "ops.h"
#include "plink-id.h"
#include "smap.h"
#include "util.h"

/* The part every ELBv2 ARN starts with. */
static const char elb_arn_head[] = "arn:aws:elasticloadbalancing:";

/* Fails 'ctx' with ValidationError unless 'present', naming the request
 * member 'member' as AWS's validation does. */
bool
elb_require(struct op_ctx *ctx, bool present, const char *member)
{
    if (!present) {
        op_error(ctx, "ValidationError", "1 validation error detected: "
                 "Value null at '%s' failed to satisfy constraint: Member "
                 "must not be null", member);
    }
    return present;
}

static const char *
elb_region(const struct op_ctx *ctx)
{
    return ctx->global && ctx->global->region[0] ? ctx->global->region
                                                 : "us-east-1";
}

/* Returns the ARN of the caller's resource 'resource' (e.g.
 * "targetgroup/NAME/ID") in this region. */
char *
elb_arn(const struct op_ctx *ctx, const char *resource)
{
    return xasprintf("%s%s:%s:%s", elb_arn_head, elb_region(ctx),
                     op_account_id(ctx), resource);
}

/* Returns true if 's' is 'n' lower-case hex digits. */
static bool
elb_is_hex(const char *s, size_t n)
{
    return strlen(s) == n && strspn(s, "0123456789abcdef") == n;
}

/* Returns true if the 'n' '/'-separated components 'parts' after the
 * resource type of an ARN of 'resource' are well formed. */
static bool
elb_arn_parts_valid(const char *resource, char **parts, size_t n)
{
    bool lb = !strcmp(resource, "loadbalancer");
    bool listener = !strcmp(resource, "listener");
    size_t expected = lb ? 3 : listener ? 4 : 2;
    if (n != expected) {
        return false;
    }
    size_t name = 0;
    if (lb || listener) {
        if (strcmp(parts[0], "net") && strcmp(parts[0], "gwy")
            && strcmp(parts[0], "app")) {
            return false;
        }
        name = 1;
    }
    if (!parts[name][0] || strlen(parts[name]) > 32) {
        return false;
    }
    for (size_t i = name + 1; i < n; i++) {
        if (!elb_is_hex(parts[i], ELB_ID_LEN)) {
            return false;
        }
    }
    return true;
}

/* Returns true if 'arn' is a well-formed ELBv2 ARN of a 'resource'
 * ("loadbalancer", "targetgroup" or "listener"). */
bool
elb_arn_valid(const char *arn, const char *resource)
{
    size_t head = strlen(elb_arn_head);
    if (!arn || strncmp(arn, elb_arn_head, head)) {
        return false;
    }
    const char *region = arn + head;
    const char *account = strchr(region, ':');
    if (!account || account == region || strspn(account + 1, "0123456789")
        != 12 || account[13] != ':') {
        return false;
    }
    const char *type = account + 14;
    size_t type_len = strlen(resource);
    if (strncmp(type, resource, type_len) || type[type_len] != '/') {
        return false;
    }

    char *copy = xstrdup(type + type_len + 1), *save = NULL;
    char *parts[5];
    size_t n = 0;
    bool ok = !strchr(copy, ':') && copy[0] && copy[strlen(copy) - 1] != '/';
    for (char *p = strtok_r(copy, "/", &save); p && ok;
         p = strtok_r(NULL, "/", &save)) {
        ok = n < ARRAY_SIZE(parts);
        if (ok) {
            parts[n++] = p;
        }
    }
    ok = ok && !strstr(type, "//") && elb_arn_parts_valid(resource, parts, n);
    free(copy);
    return ok;
}

/* Returns true if 'arn' (a well-formed ARN) names a resource of the
 * caller's account in this region. */
bool
elb_arn_is_callers(const struct op_ctx *ctx, const char *arn)
{
    char *prefix = elb_arn(ctx, "");
    bool callers = !strncmp(arn, prefix, strlen(prefix));
    free(prefix);
    return callers;
}

/* Returns a new random id of ELB_ID_LEN lower-case hex digits. */
char *
elb_random_id(void)
{
    uint8_t bytes[ELB_ID_LEN / 2];
    char *id = xmalloc(ELB_ID_LEN + 1);

    plink_id_random_bytes(bytes, sizeof bytes);
    for (size_t i = 0; i < sizeof bytes; i++) {
        snprintf(&id[2 * i], 3, "%02x", bytes[i]);
    }
    return id;
}

/* Checks the name of a new load balancer (if 'load_balancer') or target
 * group: 1 to 32 letters, digits and hyphens, not starting or ending with
 * a hyphen; a load balancer's may not start with "internal-". */
bool
elb_check_name(struct op_ctx *ctx, const char *name, bool load_balancer)
{
    const char *what = load_balancer ? "Load balancer" : "Target group";
    size_t len = strlen(name);

    if (!len || len > 32) {
        op_error(ctx, "ValidationError", "%s name '%s' must be between 1 "
                 "and 32 characters long", what, name);
    } else if (strspn(name, "abcdefghijklmnopqrstuvwxyz"
                      "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-") != len) {
        op_error(ctx, "ValidationError", "%s name '%s' can only contain "
                 "characters that are alphanumeric characters or hyphens(-)",
                 what, name);
    } else if (name[0] == '-' || name[len - 1] == '-') {
        op_error(ctx, "ValidationError", "%s name '%s' cannot begin or end "
                 "with a hyphen", what, name);
    } else if (load_balancer && !strncmp(name, "internal-", 9)) {
        op_error(ctx, "ValidationError", "Load balancer name '%s' cannot "
                 "begin with 'internal-'", name);
    } else {
        return true;
    }
    return false;
}

/* Returns true if 'lb' is a Gateway Load Balancer. */
bool
elb_is_gateway(const struct plrec_load_balancer *lb)
{
    return !strcmp(lb->lb_type, "gateway");
}

/* Finds the caller's load balancer 'arn'. */
const struct plrec_load_balancer *
elb_find_lb(struct op_ctx *ctx, const char *arn)
{
    if (!elb_arn_valid(arn, "loadbalancer")) {
        op_error(ctx, "ValidationError", "'%s' is not a valid load balancer "
                 "ARN", arn ? arn : "");
        return NULL;
    }
    const struct plrec_load_balancer *lb = op_find_load_balancer(arn);
    if (!lb || !op_is_owner(ctx, lb->owner_id)) {
        op_error(ctx, "LoadBalancerNotFound", "Load balancer '%s' not found",
                 arn);
        return NULL;
    }
    return lb;
}

/* Finds the caller's target group 'arn'. */
const struct plrec_target_group *
elb_find_tg(struct op_ctx *ctx, const char *arn)
{
    if (!elb_arn_valid(arn, "targetgroup")) {
        op_error(ctx, "ValidationError", "'%s' is not a valid target group "
                 "ARN", arn ? arn : "");
        return NULL;
    }
    const struct plrec_target_group *tg = op_find_target_group(arn);
    if (!tg || !op_is_owner(ctx, tg->owner_id)) {
        op_error(ctx, "TargetGroupNotFound", "Target group '%s' not found",
                 arn);
        return NULL;
    }
    return tg;
}

/* Finds the caller's listener 'arn' and stores its load balancer in
 * '*lbp'.  A listener's ARN is its load balancer's with "listener"
 * instead of "loadbalancer" and the listener's id appended, so the load
 * balancer is found by its index and the listener among its own. */
const struct plrec_listener *
elb_find_listener(struct op_ctx *ctx, const char *arn,
                  const struct plrec_load_balancer **lbp)
{
    *lbp = NULL;
    if (!elb_arn_valid(arn, "listener")) {
        op_error(ctx, "ValidationError", "'%s' is not a valid listener ARN",
                 arn ? arn : "");
        return NULL;
    }

    const char *type = strstr(arn, ":listener/");
    const char *last = strrchr(arn, '/');
    char *lb_arn = xasprintf("%.*s:loadbalancer/%.*s", (int) (type - arn),
                             arn, (int) (last - type - 10), type + 10);
    const struct plrec_load_balancer *lb = op_find_load_balancer(lb_arn);
    free(lb_arn);

    for (size_t i = 0; lb && op_is_owner(ctx, lb->owner_id)
                       && i < lb->n_listeners; i++) {
        if (!strcmp(lb->listeners[i]->arn, arn)) {
            *lbp = lb;
            return lb->listeners[i];
        }
    }
    op_error(ctx, "ListenerNotFound", "Listener '%s' not found", arn);
    return NULL;
}

/* Initializes 'iter' for the caller's rows of resource type 'resource'
 * and returns the key to start at: 'start' if it is within the caller's
 * range, otherwise the range's beginning. */
static const char *
elb_iter_init(const struct op_ctx *ctx, const char *resource,
              const char *start, struct elb_iter *iter)
{
    char *prefix = elb_arn(ctx, resource);
    ovs_strzcpy(iter->prefix, prefix, sizeof iter->prefix);
    free(prefix);
    return start && strcmp(start, iter->prefix) > 0 ? start : iter->prefix;
}

/* Returns true if the row at 'iter''s cursor, whose ARN is 'arn', is
 * still one of the caller's. */
static bool
elb_iter_in_range(const struct elb_iter *iter, const char *arn)
{
    return !strncmp(arn, iter->prefix, strlen(iter->prefix));
}

/* Starts 'iter' at the caller's first load balancer from ARN 'start' on
 * (NULL: from the first) and returns it, or NULL if there is none. */
const struct plrec_load_balancer *
elb_lb_first(const struct op_ctx *ctx, const char *start,
             struct elb_iter *iter)
{
    const char *from = elb_iter_init(ctx, "loadbalancer/", start, iter);
    struct ovsdb_idl_index *index = op_index_load_balancer();
    struct plrec_load_balancer *key
        = plrec_load_balancer_index_init_row(index);
    plrec_load_balancer_index_set_arn(key, from);
    iter->cursor = plrec_load_balancer_cursor_first_ge(index, key);
    plrec_load_balancer_index_destroy_row(key);

    const struct plrec_load_balancer *lb
        = (iter->cursor.position
           ? plrec_load_balancer_cursor_data(&iter->cursor) : NULL);
    return lb && elb_iter_in_range(iter, lb->arn) ? lb : NULL;
}

/* Advances 'iter' to the caller's next load balancer and returns it, or
 * NULL at the end. */
const struct plrec_load_balancer *
elb_lb_next(struct elb_iter *iter)
{
    ovsdb_idl_cursor_next(&iter->cursor);
    const struct plrec_load_balancer *lb
        = (iter->cursor.position
           ? plrec_load_balancer_cursor_data(&iter->cursor) : NULL);
    return lb && elb_iter_in_range(iter, lb->arn) ? lb : NULL;
}

/* Like elb_lb_first(), for target groups. */
const struct plrec_target_group *
elb_tg_first(const struct op_ctx *ctx, const char *start,
             struct elb_iter *iter)
{
    const char *from = elb_iter_init(ctx, "targetgroup/", start, iter);
    struct ovsdb_idl_index *index = op_index_target_group();
    struct plrec_target_group *key = plrec_target_group_index_init_row(index);
    plrec_target_group_index_set_arn(key, from);
    iter->cursor = plrec_target_group_cursor_first_ge(index, key);
    plrec_target_group_index_destroy_row(key);

    const struct plrec_target_group *tg
        = (iter->cursor.position
           ? plrec_target_group_cursor_data(&iter->cursor) : NULL);
    return tg && elb_iter_in_range(iter, tg->arn) ? tg : NULL;
}

/* Like elb_lb_next(), for target groups. */
const struct plrec_target_group *
elb_tg_next(struct elb_iter *iter)
{
    ovsdb_idl_cursor_next(&iter->cursor);
    const struct plrec_target_group *tg
        = (iter->cursor.position
           ? plrec_target_group_cursor_data(&iter->cursor) : NULL);
    return tg && elb_iter_in_range(iter, tg->arn) ? tg : NULL;
}

/* Returns the load balancer one of whose listeners forwards to 'tg', or
 * NULL if no listener uses it.  A target group serves at most one load
 * balancer (CreateListener makes sure of it), as on AWS for Network and
 * Gateway Load Balancers. */
const struct plrec_load_balancer *
elb_tg_load_balancer(const struct op_ctx *ctx,
                     const struct plrec_target_group *tg)
{
    const struct plrec_load_balancer *lb;
    struct elb_iter iter;

    ELB_LB_FOR_EACH (lb, ctx, NULL, &iter) {
        for (size_t i = 0; i < lb->n_listeners; i++) {
            if (lb->listeners[i]->target_group == tg) {
                return lb;
            }
        }
    }
    return NULL;
}

/* Returns true if an endpoint service uses 'lb'. */
bool
elb_lb_in_use(const struct op_ctx *ctx, const struct plrec_load_balancer *lb)
{
    const struct plrec_endpoint_service *svc;
    PLREC_ENDPOINT_SERVICE_FOR_EACH (svc, ctx->idl) {
        for (size_t i = 0; i < svc->n_network_load_balancers; i++) {
            if (svc->network_load_balancers[i] == lb) {
                return true;
            }
        }
        for (size_t i = 0; i < svc->n_gateway_load_balancers; i++) {
            if (svc->gateway_load_balancers[i] == lb) {
                return true;
            }
        }
    }
    return false;
}

/* Returns true if 'lb' has a subnet in Availability Zone 'zone'. */
bool
elb_lb_has_zone(const struct plrec_load_balancer *lb, const char *zone)
{
    for (size_t i = 0; i < lb->n_subnets; i++) {
        if (!strcmp(lb->subnets[i]->availability_zone, zone)) {
            return true;
        }
    }
    return false;
}

/* Brings the health state of the targets of 'tg', whose listeners belong
 * to 'lb' (NULL if no listener uses it), in line with how the target group
 * is used.  A target that cannot receive traffic, because no listener
 * forwards to its group or because its zone is not one of the load
 * balancer's, is "unused" (Target.NotInUse); a target that becomes usable
 * starts over as "initial" (Elb.RegistrationInProgress) until the
 * chassis that checks it writes "healthy" or "unhealthy". */
void
elb_tg_refresh_health(struct op_ctx *ctx, const struct plrec_target_group *tg,
                      const struct plrec_load_balancer *lb)
{
    for (size_t i = 0; i < tg->n_targets; i++) {
        const struct plrec_target *t = tg->targets[i];
        bool usable = lb && elb_lb_has_zone(lb, t->availability_zone);
        const char *state = NULL, *reason = NULL;

        if (!usable && strcmp(t->health_state, "unused")) {
            state = "unused";
            reason = "Target.NotInUse";
        } else if (usable && !strcmp(t->health_state, "unused")) {
            state = "initial";
            reason = "Elb.RegistrationInProgress";
        }
        if (state) {
            op_txn(ctx);
            plrec_target_set_health_state(t, state);
            plrec_target_set_health_reason(t, reason);
        }
    }
}

/* Returns the number of addresses of 'subnet' that no network interface
 * uses and AWS does not reserve. */
int
elb_count_free_ips(const struct op_ctx *ctx, const struct plrec_subnet *subnet)
{
    struct cidr4 cidr;
    char *error = cidr4_parse(subnet->cidr_block, &cidr);
    if (error) {
        free(error);
        return 0;
    }
    int n = cidr4_usable_count(&cidr);
    const struct plrec_network_interface *eni;
    PLREC_NETWORK_INTERFACE_FOR_EACH (eni, ctx->idl) {
        if (eni->subnet == subnet) {
            n--;
        }
    }
    return n;
}

/* Sets up paging: 'page_size' (if 'has_page_size') must be 1 to
 * ELB_MAX_PAGE_SIZE, which is also the default; 'marker', if any, must be
 * one elb_page_marker() made. */
bool
elb_page_init(struct op_ctx *ctx, bool has_page_size, int32_t page_size,
              const char *marker, struct elb_page *page)
{
    page->limit = ELB_MAX_PAGE_SIZE;
    page->start = NULL;
    if (has_page_size) {
        if (page_size < 1 || page_size > ELB_MAX_PAGE_SIZE) {
            op_error(ctx, "ValidationError", "1 validation error detected: "
                     "Value '%d' at 'pageSize' failed to satisfy "
                     "constraint: Member must have value between 1 and %d",
                     page_size, ELB_MAX_PAGE_SIZE);
            return false;
        }
        page->limit = page_size;
    }
    if (marker) {
        size_t len = strlen(marker);
        unsigned char *raw = xmalloc(len + 1);
        int n = len % 4 || !len ? -1 : EVP_DecodeBlock(
            raw, (const unsigned char *) marker, len);
        if (n < 4 || memcmp(raw, "pl1:", 4)) {
            free(raw);
            op_error(ctx, "ValidationError", "The marker '%s' is not valid",
                     marker);
            return false;
        }
        page->start = xmemdup0((char *) raw + 4,
                               strnlen((char *) raw + 4, n - 4));
        free(raw);
    }
    return true;
}

void
elb_page_destroy(struct elb_page *page)
{
    free(page->start);
    page->start = NULL;
}

/* Returns the opaque Marker of a page that starts at 'next_arn'. */
char *
elb_page_marker(const char *next_arn)
{
    return op_page_token(next_arn);
}

/* Applies 'page' to the 'n' ARNs 'arns', sorted: stores in '*first' the
 * index of the first item of the page and returns how many items it has.
 * Sets '*next_marker' to the Marker of the next page if there is one. */
size_t
elb_page_apply(const struct elb_page *page, const char **arns, size_t n,
               size_t *first, char **next_marker)
{
    size_t i = 0;
    while (page->start && i < n && strcmp(arns[i], page->start) < 0) {
        i++;
    }
    *first = i;
    size_t count = MIN(n - i, page->limit);
    if (i + count < n) {
        *next_marker = elb_page_marker(arns[i + count]);
    }
    return count;
}

/* qsort() comparison of two 'const char *'. */
int
elb_compare_strings(const void *a_, const void *b_)
{
    const char *const *a = a_, *const *b = b_;
    return strcmp(*a, *b);
}

/* Checks the tags 'tags[0..n-1]' of a request: keys of 1 to 128
 * characters that do not start with "aws:", each given once, values of at
 * most 256 characters, at most 50 tags. */
bool
elb_tags_check(struct op_ctx *ctx, Privatelink__V1__ElbTag **tags, size_t n)
{
    if (n > 50) {
        op_error(ctx, "TooManyTags", "You've reached the limit on the "
                 "number of tags for this resource.");
        return false;
    }
    for (size_t i = 0; i < n; i++) {
        const char *key = tags[i]->key;
        if (!key || !*key || strlen(key) > 128) {
            op_error(ctx, "ValidationError", "Tag keys must be between 1 "
                     "and 128 characters long");
            return false;
        } else if (!strncmp(key, "aws:", 4)) {
            op_error(ctx, "ValidationError", "Tag key '%s' is invalid: the "
                     "'aws:' prefix is reserved for AWS use", key);
            return false;
        } else if (tags[i]->value && strlen(tags[i]->value) > 256) {
            op_error(ctx, "ValidationError", "Tag values can be at most 256 "
                     "characters long");
            return false;
        }
        for (size_t j = 0; j < i; j++) {
            if (!strcmp(tags[j]->key, key)) {
                op_error(ctx, "DuplicateTagKeys", "Tag key '%s' is "
                         "specified more than once", key);
                return false;
            }
        }
    }
    return true;
}

/* Adds (or replaces) the 'n' tags 'tags' in 'smap'; a tag without a value
 * has the empty value. */
void
elb_tags_add(struct smap *smap, Privatelink__V1__ElbTag **tags, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        smap_replace(smap, tags[i]->key,
                     tags[i]->value ? tags[i]->value : "");
    }
}

/* Stores the tags in 'smap', sorted by key, as a repeated ElbTag field. */
void
elb_tags_to_msg(const struct smap *smap, Privatelink__V1__ElbTag ***tagsp,
                size_t *np)
{
    const struct smap_node **nodes = smap_sort(smap);
    size_t n = smap_count(smap);

    *tagsp = n ? xmalloc(n * sizeof **tagsp) : NULL;
    *np = n;
    for (size_t i = 0; i < n; i++) {
        Privatelink__V1__ElbTag *t
            = op_new_msg(&privatelink__v1__elb_tag__descriptor);
        t->key = xstrdup(nodes[i]->key);
        t->value = xstrdup(nodes[i]->value);
        (*tagsp)[i] = t;
    }
    free(nodes);
}

/* Parses "true" or "false" (the only forms ELBv2 attribute values take)
 * into '*b'. */
bool
elb_parse_bool(const char *s, bool *b)
{
    if (s && (!strcmp(s, "true") || !strcmp(s, "false"))) {
        *b = s[0] == 't';
        return true;
    }
    return false;
}

/* Parses the decimal integer 's', which must be between 'min' and 'max',
 * into '*value'. */
bool
elb_parse_int(const char *s, int min, int max, int *value)
{
    return (s && s[0] && isdigit((unsigned char) s[strlen(s) - 1])
            && str_to_int(s, 10, value) && *value >= min && *value <= max);
}
