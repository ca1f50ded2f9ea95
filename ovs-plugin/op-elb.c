/*
 * op-elb.c: Elastic Load Balancing v2 load balancers (CreateLoadBalancer,
 * DescribeLoadBalancers, DeleteLoadBalancer, their attributes).
 *
 * A load balancer is a Network Load Balancer ("network", the backend of
 * interface endpoint services) or a Gateway Load Balancer ("gateway", the
 * backend of Gateway Load Balancer endpoint services) in one VPC of its
 * owner, with one subnet in each of its Availability Zones.  In each of
 * those subnets it has a requester-managed network interface, created in
 * the same transaction and listed in Load_Balancer.network_interfaces:
 * that interface's address is the load balancer's address in the zone,
 * the address the interface-endpoint data plane translates consumer
 * traffic to, so providers' targets see it and never a consumer's.
 *
 * Load balancers are created "active" at once: there is nothing to
 * provision beyond the rows.
 */
#include <config.h>

#include <stdlib.h>
#include <string.h>

#include "cidr.h"
#include "eni.h"
#include "lib/plink-idl.h"
#include "op-elb-util.h"
#include "op-util.h"
#include "ops.h"
#include "packets.h"
#include "smap.h"
#include "util.h"

/* The Route 53 hosted zone of Network Load Balancers' DNS names, by
 * region (CanonicalHostedZoneId). */
static const struct {
    const char *region;
    const char *zone_id;
} elb_nlb_zones[] = {
    { "us-east-1", "Z26RNL4JYFTOTI" }, { "us-east-2", "ZLMOA37VPKANP" },
    { "us-west-1", "Z24FKFUX50B4VW" }, { "us-west-2", "Z18D5FSROUN65G" },
    { "ca-central-1", "Z2EPGBW3API2WT" }, { "eu-west-1", "Z2IFOLAFXWLO4F" },
    { "eu-west-2", "ZD4D7Y8KGAS4G" }, { "eu-central-1", "Z3F0SRJ5LGBH90" },
    { "ap-south-1", "ZVDDRBQ08TROA" },
    { "ap-northeast-1", "Z31USIVHYNEOWT" },
    { "ap-southeast-1", "ZKVM4W9LS7TM" },
    { "ap-southeast-2", "ZCT6FZBF4DROD" },
    { "sa-east-1", "ZTK26PT1VY4CU" },
};

/* Load balancer attributes and their defaults (AWS's), all booleans. */
static const struct {
    const char *key;
    const char *value;
} elb_lb_attrs[] = {
    { "deletion_protection.enabled", "false" },
    { "load_balancing.cross_zone.enabled", "false" },
};

/* One subnet of a new load balancer. */
struct lb_subnet {
    const struct plrec_subnet *subnet;  /* The subnet. */
    const char *private_ip;             /* Address asked for, or NULL. */
};

/* A load balancer that CreateLoadBalancer was asked for, validated. */
struct lb_spec {
    const char *name;                   /* LoadBalancerName. */
    const char *type;                   /* "network" or "gateway". */
    const char *scheme;                 /* "internal", "internet-facing". */
    const struct plrec_vpc *vpc;        /* The subnets' VPC. */
    struct lb_subnet *subnets;          /* One per zone. */
    size_t n_subnets;                   /* Number of 'subnets'. */
    struct plrec_security_group **groups; /* Its interfaces' groups. */
    size_t n_groups;                    /* Number of 'groups'. */
};

static void
lb_spec_destroy(struct lb_spec *spec)
{
    free(spec->subnets);
    free(spec->groups);
}

/* Checks Type, Scheme and the other scalar settings of 'rq'. */
static bool
lb_parse_settings(struct op_ctx *ctx,
                  const Privatelink__V1__ElbCreateLoadBalancerRequest *rq,
                  struct lb_spec *spec)
{
    spec->type = rq->type_ ? rq->type_ : "application";
    spec->scheme = rq->scheme ? rq->scheme : "internal";
    if (!strcmp(spec->type, "application")) {
        op_error(ctx, "ValidationError", "Load balancers of type "
                 "'application' (the default Type) are not supported here: "
                 "specify Type 'network' or 'gateway'");
    } else if (strcmp(spec->type, "network")
               && strcmp(spec->type, "gateway")) {
        op_error(ctx, "ValidationError", "Load balancer type '%s' is not "
                 "valid", spec->type);
    } else if (strcmp(spec->scheme, "internal")
               && strcmp(spec->scheme, "internet-facing")) {
        op_error(ctx, "ValidationError", "Scheme '%s' is not valid",
                 spec->scheme);
    } else if (!strcmp(spec->type, "gateway")
               && strcmp(spec->scheme, "internal")) {
        op_error(ctx, "ValidationError", "Gateway Load Balancers do not "
                 "support the scheme '%s'", spec->scheme);
    } else if (rq->ip_address_type && strcmp(rq->ip_address_type, "ipv4")) {
        op_error(ctx, "ValidationError", "IP address type '%s' is not "
                 "supported: only 'ipv4'", rq->ip_address_type);
    } else if (rq->customer_owned_ipv4_pool || rq->ipam_pools) {
        op_error(ctx, "ValidationError", "Customer-owned and IPAM address "
                 "pools are not supported");
    } else {
        return true;
    }
    return false;
}

/* Checks that a load balancer may have an interface with address 'ip' in
 * 'subnet'. */
static bool
lb_check_private_ip(struct op_ctx *ctx, const struct lb_spec *spec,
                    const struct plrec_subnet *subnet, const char *ip)
{
    struct cidr4 cidr;
    ovs_be32 addr;
    char *error = cidr4_parse(subnet->cidr_block, &cidr);
    bool bad_cidr = error != NULL;
    free(error);

    if (strcmp(spec->type, "network") || strcmp(spec->scheme, "internal")) {
        op_error(ctx, "ValidationError", "Private IPv4 addresses can only be "
                 "specified for internal Network Load Balancers");
    } else if (bad_cidr || !ip_parse(ip, &addr)
               || !cidr4_contains_ip(&cidr, addr)
               || cidr4_is_reserved(&cidr, addr)) {
        op_error(ctx, "InvalidConfigurationRequest", "Private IPv4 address "
                 "'%s' is not a usable address of subnet '%s'", ip,
                 subnet->subnet_id);
    } else if (eni_ip_in_use(ctx->idl, subnet, ip)) {
        op_error(ctx, "InvalidConfigurationRequest", "Private IPv4 address "
                 "'%s' is already in use", ip);
    } else {
        return true;
    }
    return false;
}

/* Adds subnet 'id' (with address 'ip', if nonnull) to 'spec': the
 * caller's, in the VPC of the others, in a zone of its own. */
static bool
lb_add_subnet(struct op_ctx *ctx, struct lb_spec *spec, const char *id,
              const char *ip)
{
    const struct plrec_subnet *subnet = id ? op_find_subnet(id) : NULL;
    if (!subnet || !op_is_owner(ctx, subnet->owner_id)) {
        op_error(ctx, "SubnetNotFound", "The subnet ID '%s' is not valid",
                 id ? id : "");
        return false;
    } else if (spec->vpc && subnet->vpc != spec->vpc) {
        op_error(ctx, "InvalidConfigurationRequest", "The subnets of a load "
                 "balancer must all be in the same VPC: '%s' is not in "
                 "'%s'", id, spec->vpc->vpc_id);
        return false;
    }
    for (size_t i = 0; i < spec->n_subnets; i++) {
        if (!strcmp(spec->subnets[i].subnet->availability_zone,
                    subnet->availability_zone)) {
            op_error(ctx, "InvalidConfigurationRequest", "A load balancer "
                     "cannot be attached to multiple subnets in the same "
                     "Availability Zone");
            return false;
        }
    }
    if (elb_count_free_ips(ctx, subnet) < 8) {
        op_error(ctx, "InvalidSubnet", "Not enough IP space available in "
                 "%s. ELB requires at least 8 free IP addresses in each "
                 "subnet.", id);
        return false;
    } else if (ip && !lb_check_private_ip(ctx, spec, subnet, ip)) {
        return false;
    }
    spec->vpc = subnet->vpc;
    spec->subnets = xrealloc(spec->subnets,
                             (spec->n_subnets + 1) * sizeof *spec->subnets);
    spec->subnets[spec->n_subnets++] = (struct lb_subnet) { subnet, ip };
    return true;
}

/* Checks Subnets or SubnetMappings (exactly one of them). */
static bool
lb_parse_subnets(struct op_ctx *ctx,
                 const Privatelink__V1__ElbCreateLoadBalancerRequest *rq,
                 struct lb_spec *spec)
{
    if (!rq->n_subnets == !rq->n_subnet_mappings) {
        op_error(ctx, "ValidationError", "Exactly one of Subnets and "
                 "SubnetMappings must be specified");
        return false;
    }
    for (size_t i = 0; i < rq->n_subnets; i++) {
        if (!lb_add_subnet(ctx, spec, rq->subnets[i], NULL)) {
            return false;
        }
    }
    for (size_t i = 0; i < rq->n_subnet_mappings; i++) {
        const Privatelink__V1__ElbSubnetMapping *m = rq->subnet_mappings[i];
        if (m->allocation_id || m->i_pv6_address) {
            op_error(ctx, "ValidationError", "Elastic IP allocations and "
                     "IPv6 addresses are not supported in subnet mappings");
            return false;
        } else if (!lb_add_subnet(ctx, spec, m->subnet_id,
                                  m->private_i_pv4_address)) {
            return false;
        }
    }
    return true;
}

/* Checks SecurityGroups: the caller's groups in the load balancer's VPC,
 * for a Network Load Balancer only. */
static bool
lb_parse_groups(struct op_ctx *ctx,
                const Privatelink__V1__ElbCreateLoadBalancerRequest *rq,
                struct lb_spec *spec)
{
    if (rq->n_security_groups && !strcmp(spec->type, "gateway")) {
        op_error(ctx, "ValidationError", "Security groups are not supported "
                 "for load balancers with type 'gateway'");
        return false;
    }
    for (size_t i = 0; i < rq->n_security_groups; i++) {
        const struct plrec_security_group *sg
            = op_find_security_group(rq->security_groups[i]);
        if (!sg || !op_is_owner(ctx, sg->owner_id) || sg->vpc != spec->vpc) {
            op_error(ctx, "InvalidSecurityGroup", "Security group '%s' does "
                     "not exist in VPC '%s'", rq->security_groups[i],
                     spec->vpc->vpc_id);
            return false;
        }
        spec->groups = xrealloc(spec->groups,
                                (spec->n_groups + 1) * sizeof *spec->groups);
        spec->groups[spec->n_groups++] = CONST_CAST(
            struct plrec_security_group *, sg);
    }
    return true;
}

/* Returns true if 'vpc' has an internet gateway attached. */
static bool
lb_vpc_has_igw(const struct op_ctx *ctx, const struct plrec_vpc *vpc)
{
    const struct plrec_internet_gateway *igw;
    PLREC_INTERNET_GATEWAY_FOR_EACH (igw, ctx->idl) {
        if (igw->vpc == vpc) {
            return true;
        }
    }
    return false;
}

/* Validates the whole request 'rq' into 'spec'. */
static bool
lb_spec_parse(struct op_ctx *ctx,
              const Privatelink__V1__ElbCreateLoadBalancerRequest *rq,
              struct lb_spec *spec)
{
    memset(spec, 0, sizeof *spec);
    spec->name = rq->name;
    if (!elb_require(ctx, rq->name, "name")
        || !elb_check_name(ctx, rq->name, true)
        || !lb_parse_settings(ctx, rq, spec)
        || !lb_parse_subnets(ctx, rq, spec)
        || !lb_parse_groups(ctx, rq, spec)
        || !elb_tags_check(ctx, rq->tags, rq->n_tags)) {
        return false;
    }
    if (!strcmp(spec->scheme, "internet-facing")
        && !lb_vpc_has_igw(ctx, spec->vpc)) {
        op_error(ctx, "InvalidSubnet", "VPC %s has no internet gateway",
                 spec->vpc->vpc_id);
        return false;
    }
    return true;
}

/* Returns the caller's load balancer called 'name', or NULL. */
static const struct plrec_load_balancer *
lb_find_by_name(const struct op_ctx *ctx, const char *name)
{
    const struct plrec_load_balancer *lb;
    struct elb_iter iter;
    ELB_LB_FOR_EACH (lb, ctx, NULL, &iter) {
        if (!strcmp(lb->name, name)) {
            return lb;
        }
    }
    return NULL;
}

/* Returns true if 'lb' is what 'spec' asks for, so that creating it again
 * succeeds without a change (CreateLoadBalancer is idempotent). */
static bool
lb_spec_matches(const struct plrec_load_balancer *lb,
                const struct lb_spec *spec)
{
    if (strcmp(lb->lb_type, spec->type) || lb->n_subnets != spec->n_subnets
        || (strcmp(lb->scheme, spec->scheme) && !elb_is_gateway(lb))) {
        return false;
    }
    for (size_t i = 0; i < spec->n_subnets; i++) {
        bool found = false;
        for (size_t j = 0; j < lb->n_subnets && !found; j++) {
            found = lb->subnets[j] == spec->subnets[i].subnet;
        }
        if (!found) {
            return false;
        }
    }
    return true;
}

/* Creates the network interface of new load balancer 'lb' (whose
 * description is "ELB net/NAME/ID") in subnet 'ls'. */
static const struct plrec_network_interface *
lb_create_eni(struct op_ctx *ctx, const struct lb_spec *spec,
              const struct lb_subnet *ls, const char *description)
{
    struct eni_spec eni = {
        .subnet = ls->subnet,
        .owner_id = op_account_id(ctx),
        .interface_type = (!strcmp(spec->type, "gateway")
                           ? "gateway_load_balancer"
                           : "network_load_balancer"),
        .description = description,
        .private_ip = ls->private_ip,
        .requester_managed = true,
        .requester_id = "amazon-elb",
        .groups = spec->groups,
        .n_groups = spec->n_groups,
    };
    return eni_create(ctx, &eni);
}

/* Creates the network interfaces of the new load balancer 'spec', whose
 * description is 'description', into 'enis' (one per subnet).  Returns
 * false if a subnet had no address left. */
static bool
lb_create_enis(struct op_ctx *ctx, const struct lb_spec *spec,
               const char *description, struct plrec_network_interface **enis)
{
    for (size_t i = 0; i < spec->n_subnets; i++) {
        enis[i] = CONST_CAST(struct plrec_network_interface *,
                             lb_create_eni(ctx, spec, &spec->subnets[i],
                                           description));
        if (!enis[i]) {
            return false;
        }
    }
    return true;
}

/* Sets the columns of the new load balancer 'lb' whose id is 'id' and
 * whose ARN is 'arn', as 'spec' and the tags of 'rq' say. */
static void
lb_set_columns(struct op_ctx *ctx, const struct plrec_load_balancer *lb,
               const struct lb_spec *spec, const char *id, const char *arn,
               const Privatelink__V1__ElbCreateLoadBalancerRequest *rq)
{
    bool gateway = !strcmp(spec->type, "gateway");
    struct smap attrs = SMAP_INITIALIZER(&attrs);
    struct smap tags = SMAP_INITIALIZER(&tags);
    for (size_t i = 0; i < ARRAY_SIZE(elb_lb_attrs); i++) {
        smap_add(&attrs, elb_lb_attrs[i].key, elb_lb_attrs[i].value);
    }
    elb_tags_add(&tags, rq->tags, rq->n_tags);

    struct plrec_subnet **subnets = xmalloc(spec->n_subnets * sizeof *subnets);
    for (size_t i = 0; i < spec->n_subnets; i++) {
        subnets[i] = CONST_CAST(struct plrec_subnet *,
                                spec->subnets[i].subnet);
    }

    plrec_load_balancer_set_arn(lb, arn);
    plrec_load_balancer_set_name(lb, spec->name);
    plrec_load_balancer_set_lb_type(lb, spec->type);
    plrec_load_balancer_set_scheme(lb, gateway ? "" : spec->scheme);
    plrec_load_balancer_set_owner_id(lb, op_account_id(ctx));
    plrec_load_balancer_set_vpc(lb, spec->vpc);
    plrec_load_balancer_set_subnets(lb, subnets, spec->n_subnets);
    plrec_load_balancer_set_state(lb, "active");
    plrec_load_balancer_set_created_time(lb, ctx->now);
    plrec_load_balancer_set_attributes(lb, &attrs);
    plrec_load_balancer_set_tags(lb, &tags);
    if (!gateway) {
        char *dns = xasprintf("%s%s-%s.elb.%s.amazonaws.com",
                              !strcmp(spec->scheme, "internal")
                              ? "internal-" : "", spec->name, id,
                              ctx->global ? ctx->global->region
                                          : "us-east-1");
        plrec_load_balancer_set_dns_name(lb, dns);
        free(dns);
    }
    free(subnets);
    smap_destroy(&attrs);
    smap_destroy(&tags);
}

/* Inserts the load balancer 'spec' describes, with its interfaces and the
 * tags of 'rq'.  Returns NULL if an interface could not be made. */
static const struct plrec_load_balancer *
lb_insert(struct op_ctx *ctx, const struct lb_spec *spec,
          const Privatelink__V1__ElbCreateLoadBalancerRequest *rq)
{
    char *id = elb_random_id();
    char *path = xasprintf("%s/%s/%s", !strcmp(spec->type, "gateway")
                           ? "gwy" : "net", spec->name, id);
    char *resource = xasprintf("loadbalancer/%s", path);
    char *arn = elb_arn(ctx, resource);
    char *description = xasprintf("ELB %s", path);
    struct plrec_network_interface **enis
        = xmalloc(spec->n_subnets * sizeof *enis);
    const struct plrec_load_balancer *lb = NULL;

    if (lb_create_enis(ctx, spec, description, enis)) {
        lb = plrec_load_balancer_insert(op_txn(ctx));
        lb_set_columns(ctx, lb, spec, id, arn, rq);
        plrec_load_balancer_set_network_interfaces(lb, enis, spec->n_subnets);
    }
    free(enis);
    free(description);
    free(arn);
    free(resource);
    free(path);
    free(id);
    return lb;
}

/* Returns the interface of 'lb' in 'subnet', or NULL. */
static const struct plrec_network_interface *
lb_subnet_eni(const struct plrec_load_balancer *lb,
              const struct plrec_subnet *subnet)
{
    for (size_t i = 0; i < lb->n_network_interfaces; i++) {
        if (lb->network_interfaces[i]->subnet == subnet) {
            return lb->network_interfaces[i];
        }
    }
    return NULL;
}

/* Returns the AvailabilityZone message for 'lb''s subnet 'subnet'. */
static Privatelink__V1__ElbAvailabilityZone *
lb_zone_to_msg(const struct plrec_load_balancer *lb,
               const struct plrec_subnet *subnet)
{
    Privatelink__V1__ElbAvailabilityZone *z
        = op_new_msg(&privatelink__v1__elb_availability_zone__descriptor);
    z->zone_name = xstrdup(subnet->availability_zone);
    z->subnet_id = xstrdup(subnet->subnet_id);

    const struct plrec_network_interface *eni = lb_subnet_eni(lb, subnet);
    if (eni) {
        Privatelink__V1__ElbLoadBalancerAddress *a = op_new_msg(
            &privatelink__v1__elb_load_balancer_address__descriptor);
        a->ip_address = xstrdup(eni->private_ip_address);
        a->private_i_pv4_address = xstrdup(eni->private_ip_address);
        OP_APPEND(z, load_balancer_addresses, a);
    }
    return z;
}

static int
lb_zone_compare(const void *a_, const void *b_)
{
    const Privatelink__V1__ElbAvailabilityZone *const *a = a_, *const *b = b_;
    return strcmp((*a)->zone_name, (*b)->zone_name);
}

/* Returns the CanonicalHostedZoneId of Network Load Balancers in
 * 'region', or NULL if we do not know it. */
static const char *
lb_hosted_zone(const char *region)
{
    for (size_t i = 0; i < ARRAY_SIZE(elb_nlb_zones); i++) {
        if (!strcmp(elb_nlb_zones[i].region, region)) {
            return elb_nlb_zones[i].zone_id;
        }
    }
    return NULL;
}

/* Returns the LoadBalancer message for 'lb'.  A Gateway Load Balancer has
 * no DNS name and no scheme, and AWS shows neither. */
static Privatelink__V1__ElbLoadBalancer *
lb_to_msg(const struct op_ctx *ctx, const struct plrec_load_balancer *lb)
{
    Privatelink__V1__ElbLoadBalancer *m
        = op_new_msg(&privatelink__v1__elb_load_balancer__descriptor);
    m->load_balancer_arn = xstrdup(lb->arn);
    m->load_balancer_name = xstrdup(lb->name);
    m->created_time = op_format_timestamp(lb->created_time);
    m->vpc_id = xstrdup(lb->vpc->vpc_id);
    m->type_ = xstrdup(lb->lb_type);
    m->ip_address_type = xstrdup("ipv4");
    m->state = op_new_msg(
        &privatelink__v1__elb_load_balancer_state__descriptor);
    m->state->code = xstrdup(lb->state);
    if (!elb_is_gateway(lb)) {
        m->dns_name = xstrdup(lb->dns_name);
        m->scheme = xstrdup(lb->scheme);
        m->canonical_hosted_zone_id = op_strdup(lb_hosted_zone(
            ctx->global ? ctx->global->region : "us-east-1"));
    }
    for (size_t i = 0; i < lb->n_subnets; i++) {
        OP_APPEND(m, availability_zones, lb_zone_to_msg(lb, lb->subnets[i]));
    }
    qsort(m->availability_zones, m->n_availability_zones,
          sizeof *m->availability_zones, lb_zone_compare);
    if (lb->n_network_interfaces) {
        const struct plrec_network_interface *eni = lb->network_interfaces[0];
        for (size_t i = 0; i < eni->n_security_groups; i++) {
            OP_APPEND(m, security_groups,
                      xstrdup(eni->security_groups[i]->group_id));
        }
    }
    return m;
}

/* CreateLoadBalancer: a Network or Gateway Load Balancer with an interface
 * in each of its subnets.  Idempotent: the same load balancer again is
 * returned as it is. */
void
op_elb_create_load_balancer(struct op_ctx *ctx,
                            const ProtobufCMessage *request,
                            ProtobufCMessage *response)
{
    const Privatelink__V1__ElbCreateLoadBalancerRequest *rq
        = (const void *) request;
    Privatelink__V1__ElbCreateLoadBalancerResponse *rs = (void *) response;
    struct lb_spec spec;

    if (lb_spec_parse(ctx, rq, &spec)) {
        const struct plrec_load_balancer *lb = lb_find_by_name(ctx, rq->name);
        if (lb && !lb_spec_matches(lb, &spec)) {
            op_error(ctx, "DuplicateLoadBalancerName", "A load balancer with "
                     "the same name '%s' exists, but with different "
                     "settings", rq->name);
        } else if (!lb) {
            lb = lb_insert(ctx, &spec, rq);
        }
        if (lb && !op_failed(ctx)) {
            OP_APPEND(rs, load_balancers, lb_to_msg(ctx, lb));
        }
    }
    lb_spec_destroy(&spec);
}

/* Collects into '*lbsp' the load balancers named by 'rq' (all of the
 * caller's from the page's start if none), sorted by ARN. */
static bool
lb_collect(struct op_ctx *ctx,
           const Privatelink__V1__ElbDescribeLoadBalancersRequest *rq,
           const struct elb_page *page,
           const struct plrec_load_balancer ***lbsp, size_t *np)
{
    const struct plrec_load_balancer **lbs = NULL, *lb;
    size_t n = 0;
    struct elb_iter iter;

    if (rq->n_load_balancer_arns) {
        lbs = xmalloc(rq->n_load_balancer_arns * sizeof *lbs);
        for (size_t i = 0; i < rq->n_load_balancer_arns; i++) {
            lb = elb_find_lb(ctx, rq->load_balancer_arns[i]);
            if (!lb) {
                break;
            }
            size_t j = 0;
            while (j < n && lbs[j] != lb) {
                j++;
            }
            if (j == n) {
                lbs[n++] = lb;
            }
        }
    } else if (rq->n_names) {
        lbs = xmalloc(rq->n_names * sizeof *lbs);
        for (size_t i = 0; i < rq->n_names; i++) {
            lb = lb_find_by_name(ctx, rq->names[i]);
            if (!lb) {
                op_error(ctx, "LoadBalancerNotFound", "Load balancers '[%s]' "
                         "not found", rq->names[i]);
                break;
            }
            lbs[n++] = lb;
        }
    } else {
        ELB_LB_FOR_EACH (lb, ctx, page->start, &iter) {
            if (n > page->limit) {
                break;
            }
            lbs = xrealloc(lbs, (n + 1) * sizeof *lbs);
            lbs[n++] = lb;
        }
    }
    *lbsp = lbs;
    *np = n;
    return !op_failed(ctx);
}

static int
lb_compare(const void *a_, const void *b_)
{
    const struct plrec_load_balancer *const *a = a_, *const *b = b_;
    return strcmp((*a)->arn, (*b)->arn);
}

/* DescribeLoadBalancers: the caller's load balancers, all of them or those
 * named by ARN or by name, in pages of PageSize. */
void
op_elb_describe_load_balancers(struct op_ctx *ctx,
                               const ProtobufCMessage *request,
                               ProtobufCMessage *response)
{
    const Privatelink__V1__ElbDescribeLoadBalancersRequest *rq
        = (const void *) request;
    Privatelink__V1__ElbDescribeLoadBalancersResponse *rs = (void *) response;
    const struct plrec_load_balancer **lbs = NULL;
    struct elb_page page;
    size_t n = 0;

    if (rq->n_load_balancer_arns && rq->n_names) {
        op_error(ctx, "ValidationError", "Load balancer names and load "
                 "balancer ARNs cannot be specified at the same time");
        return;
    } else if (rq->n_load_balancer_arns > 20) {
        op_error(ctx, "ValidationError", "At most 20 load balancer ARNs can "
                 "be specified");
        return;
    } else if (!elb_page_init(ctx, rq->has_page_size, rq->page_size,
                              rq->marker, &page)) {
        return;
    }
    if (lb_collect(ctx, rq, &page, &lbs, &n)) {
        qsort(lbs, n, sizeof *lbs, lb_compare);
        const char **arns = xmalloc((n + 1) * sizeof *arns);
        for (size_t i = 0; i < n; i++) {
            arns[i] = lbs[i]->arn;
        }
        size_t first;
        size_t count = elb_page_apply(&page, arns, n, &first,
                                      &rs->next_marker);
        for (size_t i = first; i < first + count; i++) {
            OP_APPEND(rs, load_balancers, lb_to_msg(ctx, lbs[i]));
        }
        free(arns);
    }
    free(lbs);
    elb_page_destroy(&page);
}

/* Returns true if deletion protection is on for 'lb'. */
static bool
lb_is_protected(const struct plrec_load_balancer *lb)
{
    return !strcmp(smap_get_def(&lb->attributes,
                                "deletion_protection.enabled", "false"),
                   "true");
}

/* Deletes 'lb' with its listeners and network interfaces.  The targets of
 * the target groups its listeners used become "unused". */
static void
lb_delete(struct op_ctx *ctx, const struct plrec_load_balancer *lb)
{
    size_t n_tgs = lb->n_listeners;
    const struct plrec_target_group **tgs = xmalloc((n_tgs + 1)
                                                    * sizeof *tgs);
    for (size_t i = 0; i < lb->n_listeners; i++) {
        tgs[i] = lb->listeners[i]->target_group;
    }

    op_txn(ctx);
    size_t n_enis = lb->n_network_interfaces;
    const struct plrec_network_interface **enis
        = xmalloc((n_enis + 1) * sizeof *enis);
    memcpy(enis, lb->network_interfaces, n_enis * sizeof *enis);
    for (size_t i = 0; i < n_enis; i++) {
        eni_delete(ctx, enis[i]);
    }
    plrec_load_balancer_delete(lb);
    for (size_t i = 0; i < n_tgs; i++) {
        elb_tg_refresh_health(ctx, tgs[i], NULL);
    }
    free(enis);
    free(tgs);
}

/* DeleteLoadBalancer, refused while deletion protection is on or an
 * endpoint service uses the load balancer. */
void
op_elb_delete_load_balancer(struct op_ctx *ctx,
                            const ProtobufCMessage *request,
                            ProtobufCMessage *response OVS_UNUSED)
{
    const Privatelink__V1__ElbDeleteLoadBalancerRequest *rq
        = (const void *) request;
    const char *arn = rq->load_balancer_arn;

    if (!elb_require(ctx, arn, "loadBalancerArn")) {
        return;
    } else if (elb_arn_valid(arn, "loadbalancer")
               && elb_arn_is_callers(ctx, arn)
               && !op_find_load_balancer(arn)) {
        /* AWS: "If the load balancer does not exist or has already been
         * deleted, the call succeeds." */
        return;
    }

    const struct plrec_load_balancer *lb = elb_find_lb(ctx, arn);
    if (!lb) {
        return;
    } else if (lb_is_protected(lb)) {
        op_error(ctx, "OperationNotPermitted", "Load balancer '%s' cannot be "
                 "deleted because deletion protection is enabled", arn);
    } else if (elb_lb_in_use(ctx, lb)) {
        op_error(ctx, "ResourceInUse", "Load balancer '%s' cannot be deleted "
                 "because it is currently associated with another service",
                 arn);
    } else {
        lb_delete(ctx, lb);
    }
}

/* Stores the load balancer attributes 'attrs' (all of them, defaults
 * filled in) as a repeated LoadBalancerAttribute field. */
static void
lb_attrs_to_msg(const struct smap *attrs,
                Privatelink__V1__ElbLoadBalancerAttribute ***msgsp,
                size_t *np)
{
    *np = ARRAY_SIZE(elb_lb_attrs);
    *msgsp = xmalloc(*np * sizeof **msgsp);
    for (size_t i = 0; i < *np; i++) {
        Privatelink__V1__ElbLoadBalancerAttribute *a = op_new_msg(
            &privatelink__v1__elb_load_balancer_attribute__descriptor);
        a->key = xstrdup(elb_lb_attrs[i].key);
        a->value = xstrdup(smap_get_def(attrs, elb_lb_attrs[i].key,
                                        elb_lb_attrs[i].value));
        (*msgsp)[i] = a;
    }
}

/* DescribeLoadBalancerAttributes. */
void
op_elb_describe_load_balancer_attributes(struct op_ctx *ctx,
                                         const ProtobufCMessage *request,
                                         ProtobufCMessage *response)
{
    const Privatelink__V1__ElbDescribeLoadBalancerAttributesRequest *rq
        = (const void *) request;
    Privatelink__V1__ElbDescribeLoadBalancerAttributesResponse *rs
        = (void *) response;

    const struct plrec_load_balancer *lb
        = (elb_require(ctx, rq->load_balancer_arn, "loadBalancerArn")
           ? elb_find_lb(ctx, rq->load_balancer_arn) : NULL);
    if (lb) {
        lb_attrs_to_msg(&lb->attributes, &rs->attributes, &rs->n_attributes);
    }
}

/* Checks that attribute 'key' may be set to 'value' on a load balancer. */
static bool
lb_check_attr(struct op_ctx *ctx, const char *key, const char *value)
{
    bool b;
    for (size_t i = 0; key && i < ARRAY_SIZE(elb_lb_attrs); i++) {
        if (!strcmp(key, elb_lb_attrs[i].key)) {
            if (!elb_parse_bool(value, &b)) {
                op_error(ctx, "ValidationError", "Load balancer attribute "
                         "value '%s' is not valid for key '%s': it must be "
                         "'true' or 'false'", value ? value : "", key);
                return false;
            }
            return true;
        }
    }
    op_error(ctx, "ValidationError", "Load balancer attribute key '%s' is "
             "not recognized", key ? key : "");
    return false;
}

/* ModifyLoadBalancerAttributes: answers with all the attributes. */
void
op_elb_modify_load_balancer_attributes(struct op_ctx *ctx,
                                       const ProtobufCMessage *request,
                                       ProtobufCMessage *response)
{
    const Privatelink__V1__ElbModifyLoadBalancerAttributesRequest *rq
        = (const void *) request;
    Privatelink__V1__ElbModifyLoadBalancerAttributesResponse *rs
        = (void *) response;

    const struct plrec_load_balancer *lb
        = (elb_require(ctx, rq->load_balancer_arn, "loadBalancerArn")
           && elb_require(ctx, rq->n_attributes, "attributes")
           ? elb_find_lb(ctx, rq->load_balancer_arn) : NULL);
    for (size_t i = 0; lb && i < rq->n_attributes; i++) {
        if (!lb_check_attr(ctx, rq->attributes[i]->key,
                           rq->attributes[i]->value)) {
            return;
        }
    }
    if (!lb) {
        return;
    }

    struct smap attrs;
    smap_clone(&attrs, &lb->attributes);
    for (size_t i = 0; i < rq->n_attributes; i++) {
        smap_replace(&attrs, rq->attributes[i]->key,
                     rq->attributes[i]->value);
    }
    if (!smap_equal(&attrs, &lb->attributes)) {
        op_txn(ctx);
        plrec_load_balancer_set_attributes(lb, &attrs);
    }
    lb_attrs_to_msg(&attrs, &rs->attributes, &rs->n_attributes);
    smap_destroy(&attrs);
}
