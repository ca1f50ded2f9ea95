/*
 * op-vpc.c: VPCs: CreateVpc, DescribeVpcs, DeleteVpc, ModifyVpcAttribute
 * and DescribeVpcAttribute.
 *
 * As on AWS, a new VPC comes with its main route table (with the local
 * route for the VPC's block) and its "default" security group, created
 * in the same transaction, and deleting the VPC deletes both.  Everything
 * else in the VPC (subnets, other groups and tables, an attached internet
 * gateway, endpoints, load balancers) must be gone first.  Each VPC gets
 * a unique 24-bit tunnel key, the GENEVE VNI of its traffic between
 * chassis.
 */
#include <config.h>

#include <stdlib.h>
#include <string.h>

#include "cidr.h"
#include "filter.h"
#include "lib/plink-idl.h"
#include "op-util.h"
#include "op-vpc-util.h"
#include "openvswitch/dynamic-string.h"
#include "ops.h"
#include "plink-id.h"
#include "smap.h"
#include "sset.h"
#include "util.h"

/* The largest tunnel key: GENEVE VNIs have 24 bits, and the last one,
 * 0xffffff, is the region's service network (PL_REGION_KEY in the
 * controller's pipeline.h). */
#define VPC_MAX_TUNNEL_KEY 16777214

/* Returns the id of the (only) IPv4 CIDR block association of 'vpc',
 * which AWS reports in CidrBlockAssociationSet.  It is derived from the
 * VPC id, so it never changes. */
static char *
vpc_cidr_assoc_id(const struct plrec_vpc *vpc)
{
    return xasprintf("vpc-cidr-assoc-%s", vpc->vpc_id + strlen("vpc-"));
}

/* Builds the Vpc message of 'vpc'. */
static Privatelink__V1__Vpc *
vpc_to_msg(const struct plrec_vpc *vpc)
{
    Privatelink__V1__Vpc *m = op_new_msg(&privatelink__v1__vpc__descriptor);
    m->vpc_id = xstrdup(vpc->vpc_id);
    m->owner_id = xstrdup(vpc->owner_id);
    m->state = xstrdup(vpc->state);
    m->cidr_block = xstrdup(vpc->cidr_block);
    m->dhcp_options_id = xstrdup("default");
    m->instance_tenancy = xstrdup(vpc->instance_tenancy);
    OP_SET(m, is_default, vpc->is_default);
    op_tags_to_msg(&vpc->tags, &m->tags, &m->n_tags);

    Privatelink__V1__VpcCidrBlockAssociation *a
        = op_new_msg(&privatelink__v1__vpc_cidr_block_association__descriptor);
    a->association_id = vpc_cidr_assoc_id(vpc);
    a->cidr_block = xstrdup(vpc->cidr_block);
    a->cidr_block_state
        = op_new_msg(&privatelink__v1__vpc_cidr_block_state__descriptor);
    a->cidr_block_state->state = xstrdup("associated");
    OP_APPEND(m, cidr_block_association_set, a);

    return m;
}

/* Filters of DescribeVpcs. */
static const struct plrec_vpc *
vpc_row(const void *row)
{
    return row;
}

static void
vpc_f_cidr(const void *row, struct sset *values)
{
    sset_add(values, vpc_row(row)->cidr_block);
}

static void
vpc_f_assoc_id(const void *row, struct sset *values)
{
    sset_add_and_free(values, vpc_cidr_assoc_id(vpc_row(row)));
}

static void
vpc_f_assoc_state(const void *row OVS_UNUSED, struct sset *values)
{
    sset_add(values, "associated");
}

static void
vpc_f_dhcp(const void *row OVS_UNUSED, struct sset *values)
{
    sset_add(values, "default");
}

static void
vpc_f_none(const void *row OVS_UNUSED, struct sset *values OVS_UNUSED)
{
    /* IPv6 is not supported: no VPC has an IPv6 block. */
}

static void
vpc_f_is_default(const void *row, struct sset *values)
{
    vpcu_add_bool(values, vpc_row(row)->is_default);
}

static void
vpc_f_owner(const void *row, struct sset *values)
{
    sset_add(values, vpc_row(row)->owner_id);
}

static void
vpc_f_state(const void *row, struct sset *values)
{
    sset_add(values, vpc_row(row)->state);
}

static void
vpc_f_id(const void *row, struct sset *values)
{
    sset_add(values, vpc_row(row)->vpc_id);
}

static const struct filter_def vpc_filters[] = {
    { "cidr", vpc_f_cidr },
    { "cidr-block-association.cidr-block", vpc_f_cidr },
    { "cidr-block-association.association-id", vpc_f_assoc_id },
    { "cidr-block-association.state", vpc_f_assoc_state },
    { "dhcp-options-id", vpc_f_dhcp },
    { "ipv6-cidr-block-association.ipv6-cidr-block", vpc_f_none },
    { "ipv6-cidr-block-association.ipv6-pool", vpc_f_none },
    { "ipv6-cidr-block-association.association-id", vpc_f_none },
    { "ipv6-cidr-block-association.state", vpc_f_none },
    { "is-default", vpc_f_is_default },
    { "owner-id", vpc_f_owner },
    { "state", vpc_f_state },
    { "vpc-id", vpc_f_id },
};

/* Fails 'ctx' if CreateVpc asks for something this deployment does not
 * offer: IPv6 blocks, IPAM pools, encryption control. */
static bool
vpc_check_unsupported(struct op_ctx *ctx,
                      const Privatelink__V1__CreateVpcRequest *rq)
{
    const char *param = (rq->ipv6_pool ? "Ipv6Pool"
                         : rq->ipv6_cidr_block ? "Ipv6CidrBlock"
                         : rq->ipv6_ipam_pool_id ? "Ipv6IpamPoolId"
                         : rq->has_ipv6_netmask_length ? "Ipv6NetmaskLength"
                         : rq->ipv4_ipam_pool_id ? "Ipv4IpamPoolId"
                         : rq->has_ipv4_netmask_length ? "Ipv4NetmaskLength"
                         : rq->ipv6_cidr_block_network_border_group
                         ? "Ipv6CidrBlockNetworkBorderGroup"
                         : rq->vpc_encryption_control ? "VpcEncryptionControl"
                         : (rq->has_amazon_provided_ipv6_cidr_block
                            && rq->amazon_provided_ipv6_cidr_block)
                         ? "AmazonProvidedIpv6CidrBlock" : NULL);
    if (param) {
        op_error(ctx, "InvalidParameterValue", "The parameter %s is not "
                 "supported: VPCs have one IPv4 CIDR block.", param);
        return false;
    }
    return true;
}

/* Validates CreateVpc: the block (canonicalized into '*cidr') must be
 * /16 to /28, the tenancy "default" or "dedicated", the tags valid (into
 * 'tags'). */
static bool
vpc_check_create(struct op_ctx *ctx,
                 const Privatelink__V1__CreateVpcRequest *rq,
                 struct cidr4 *cidr, struct smap *tags)
{
    if (!vpc_check_unsupported(ctx, rq)) {
        return false;
    } else if (!rq->cidr_block) {
        op_error(ctx, "MissingParameter", "Either 'cidrBlock' or "
                 "'ipv4IpamPoolId' should be provided.");
        return false;
    } else if (!vpcu_cidr_param(ctx, rq->cidr_block, "cidrBlock", cidr)) {
        return false;
    } else if (cidr->plen < 16 || cidr->plen > 28) {
        op_error(ctx, "InvalidVpc.Range", "The CIDR '%s' is invalid.",
                 rq->cidr_block);
        return false;
    } else if (rq->instance_tenancy
               && strcmp(rq->instance_tenancy, "default")
               && strcmp(rq->instance_tenancy, "dedicated")) {
        op_error(ctx, "InvalidParameterValue", "Value (%s) for parameter "
                 "instanceTenancy is invalid.", rq->instance_tenancy);
        return false;
    }
    return op_tags_from_specs(ctx, rq->tag_specifications,
                              rq->n_tag_specifications, "vpc", tags);
}

/* Returns a tunnel key that no VPC uses, or 0 if every one is taken. */
static int64_t
vpc_new_tunnel_key(struct ovsdb_idl *idl)
{
    for (int attempt = 0; attempt < 64; attempt++) {
        uint32_t r;
        plink_id_random_bytes(&r, sizeof r);
        int64_t key = 1 + r % VPC_MAX_TUNNEL_KEY;

        const struct plrec_vpc *vpc;
        bool used = false;
        PLREC_VPC_FOR_EACH (vpc, idl) {
            if (vpc->tunnel_key == key) {
                used = true;
                break;
            }
        }
        if (!used) {
            return key;
        }
    }
    return 0;
}

void
op_create_vpc(struct op_ctx *ctx, const ProtobufCMessage *request,
              ProtobufCMessage *response)
{
    const Privatelink__V1__CreateVpcRequest *rq = (const void *) request;
    Privatelink__V1__CreateVpcResponse *rs = (void *) response;
    struct smap tags = SMAP_INITIALIZER(&tags);
    struct cidr4 cidr;

    if (!vpc_check_create(ctx, rq, &cidr, &tags)) {
        smap_destroy(&tags);
        return;
    }
    int64_t tunnel_key = vpc_new_tunnel_key(ctx->idl);
    if (!tunnel_key) {
        op_error(ctx, "VpcLimitExceeded", "The maximum number of VPCs has "
                 "been reached.");
        smap_destroy(&tags);
        return;
    }

    char *id = plink_id_new("vpc");
    char *cidr_s = cidr4_to_string(&cidr);
    const struct plrec_vpc *vpc = plrec_vpc_insert(op_txn(ctx));
    plrec_vpc_set_vpc_id(vpc, id);
    plrec_vpc_set_owner_id(vpc, op_account_id(ctx));
    plrec_vpc_set_cidr_block(vpc, cidr_s);
    plrec_vpc_set_state(vpc, "available");
    plrec_vpc_set_is_default(vpc, false);
    plrec_vpc_set_instance_tenancy(vpc, (rq->instance_tenancy
                                         ? rq->instance_tenancy : "default"));
    plrec_vpc_set_enable_dns_support(vpc, true);
    plrec_vpc_set_enable_dns_hostnames(vpc, false);
    plrec_vpc_set_tunnel_key(vpc, tunnel_key);
    plrec_vpc_set_tags(vpc, &tags);

    vpcu_route_table_create(ctx, vpc, true, NULL);
    vpcu_security_group_create(ctx, vpc, "default",
                               "default VPC security group", NULL);

    rs->vpc = vpc_to_msg(vpc);
    free(cidr_s);
    free(id);
    smap_destroy(&tags);
}

void
op_describe_vpcs(struct op_ctx *ctx, const ProtobufCMessage *request,
                 ProtobufCMessage *response)
{
    const Privatelink__V1__DescribeVpcsRequest *rq = (const void *) request;
    Privatelink__V1__DescribeVpcsResponse *rs = (void *) response;
    struct op_page page;

    if (!filter_check(ctx, rq->filters, rq->n_filters, vpc_filters,
                      ARRAY_SIZE(vpc_filters))
        || !vpcu_check_vpc_ids(ctx, rq->vpc_ids, rq->n_vpc_ids)
        || !op_page_init(ctx, rq->has_max_results, rq->max_results,
                         rq->next_token, 5, 1000, &page)) {
        return;
    }

    struct ovsdb_idl_index *index = op_index_vpc();
    struct plrec_vpc *from = NULL;
    if (page.start_id) {
        from = plrec_vpc_index_init_row(index);
        plrec_vpc_index_set_vpc_id(from, page.start_id);
    }
    const struct plrec_vpc *vpc;
    PLREC_VPC_FOR_EACH_RANGE (vpc, from, NULL, index) {
        if (!op_is_owner(ctx, vpc->owner_id)
            || !vpcu_in_ids(rq->vpc_ids, rq->n_vpc_ids, vpc->vpc_id)
            || !filter_match(rq->filters, rq->n_filters, vpc_filters,
                             ARRAY_SIZE(vpc_filters), vpc, &vpc->tags)) {
            continue;
        }
        if (rs->n_vpcs >= page.limit) {
            rs->next_token = op_page_token(vpc->vpc_id);
            break;
        }
        OP_APPEND(rs, vpcs, vpc_to_msg(vpc));
    }
    if (from) {
        plrec_vpc_index_destroy_row(from);
    }
    op_page_destroy(&page);
}

/* Returns what keeps 'vpc' from being deleted, as a phrase for the
 * error message, or NULL if nothing does. */
static const char *
vpc_dependency(struct ovsdb_idl *idl, const struct plrec_vpc *vpc)
{
    const struct plrec_subnet *subnet;
    PLREC_SUBNET_FOR_EACH (subnet, idl) {
        if (subnet->vpc == vpc) {
            return "a subnet";
        }
    }
    const struct plrec_security_group *sg;
    PLREC_SECURITY_GROUP_FOR_EACH (sg, idl) {
        if (sg->vpc == vpc && strcmp(sg->group_name, "default")) {
            return "a security group";
        }
    }
    const struct plrec_route_table *rt;
    PLREC_ROUTE_TABLE_FOR_EACH (rt, idl) {
        if (rt->vpc == vpc && !rt->main) {
            return "a route table";
        }
    }
    const struct plrec_internet_gateway *igw;
    PLREC_INTERNET_GATEWAY_FOR_EACH (igw, idl) {
        if (igw->vpc == vpc) {
            return "an internet gateway";
        }
    }
    const struct plrec_vpc_endpoint *ep;
    PLREC_VPC_ENDPOINT_FOR_EACH (ep, idl) {
        if (ep->vpc == vpc && vpcu_endpoint_live(ep)) {
            return "a VPC endpoint";
        }
    }
    const struct plrec_load_balancer *lb;
    PLREC_LOAD_BALANCER_FOR_EACH (lb, idl) {
        if (lb->vpc == vpc) {
            return "a load balancer";
        }
    }
    const struct plrec_target_group *tg;
    PLREC_TARGET_GROUP_FOR_EACH (tg, idl) {
        if (tg->vpc == vpc) {
            return "a target group";
        }
    }
    return NULL;
}

/* Deletes the rows that go with 'vpc': its main route table, its default
 * security group and the rows of its deleted endpoints, which only
 * lingered for DescribeVpcEndpoints. */
static void
vpc_delete_contents(struct op_ctx *ctx, const struct plrec_vpc *vpc)
{
    const struct plrec_route_table *rt;
    PLREC_ROUTE_TABLE_FOR_EACH_SAFE (rt, ctx->idl) {
        if (rt->vpc == vpc) {
            plrec_route_table_delete(rt);
        }
    }
    const struct plrec_security_group *sg;
    PLREC_SECURITY_GROUP_FOR_EACH_SAFE (sg, ctx->idl) {
        if (sg->vpc == vpc) {
            plrec_security_group_delete(sg);
        }
    }
    const struct plrec_vpc_endpoint *ep;
    PLREC_VPC_ENDPOINT_FOR_EACH_SAFE (ep, ctx->idl) {
        if (ep->vpc == vpc) {
            plrec_vpc_endpoint_delete(ep);
        }
    }
}

void
op_delete_vpc(struct op_ctx *ctx, const ProtobufCMessage *request,
              ProtobufCMessage *response)
{
    const Privatelink__V1__DeleteVpcRequest *rq = (const void *) request;
    Privatelink__V1__DeleteVpcResponse *rs = (void *) response;

    if (!op_require(ctx, rq->vpc_id, "VpcId")) {
        return;
    }
    const struct plrec_vpc *vpc = vpcu_get_vpc(ctx, rq->vpc_id);
    if (!vpc) {
        return;
    }
    const char *dependency = vpc_dependency(ctx->idl, vpc);
    if (dependency) {
        op_error(ctx, "DependencyViolation", "The vpc '%s' has dependencies "
                 "and cannot be deleted (it still has %s).", vpc->vpc_id,
                 dependency);
        return;
    }

    op_txn(ctx);
    vpc_delete_contents(ctx, vpc);
    plrec_vpc_delete(vpc);
    OP_SET(rs, return_, true);
}

/* Returns the number of attributes set in ModifyVpcAttribute request
 * 'rq' and their names, comma-separated, in 'names'. */
static size_t
vpc_count_attributes(const Privatelink__V1__ModifyVpcAttributeRequest *rq,
                     struct ds *names)
{
    const struct {
        const Privatelink__V1__AttributeBooleanValue *value;
        const char *name;
    } attrs[] = {
        { rq->enable_dns_hostnames, "enableDnsHostnames" },
        { rq->enable_dns_support, "enableDnsSupport" },
        { rq->enable_network_address_usage_metrics,
          "enableNetworkAddressUsageMetrics" },
    };
    size_t n = 0;

    for (size_t i = 0; i < ARRAY_SIZE(attrs); i++) {
        if (attrs[i].value) {
            ds_put_format(names, "%s%s", n++ ? ", " : "", attrs[i].name);
        }
    }
    return n;
}

/* Checks that ModifyVpcAttribute request 'rq' sets exactly one attribute,
 * with a value, as AWS requires; returns that value. */
static const Privatelink__V1__AttributeBooleanValue *
vpc_check_modify(struct op_ctx *ctx,
                 const Privatelink__V1__ModifyVpcAttributeRequest *rq)
{
    struct ds names = DS_EMPTY_INITIALIZER;
    size_t n = vpc_count_attributes(rq, &names);
    const Privatelink__V1__AttributeBooleanValue *value
        = (rq->enable_dns_hostnames ? rq->enable_dns_hostnames
           : rq->enable_dns_support ? rq->enable_dns_support
           : rq->enable_network_address_usage_metrics);

    if (n > 1) {
        op_error(ctx, "InvalidParameterCombination", "Fields for multiple "
                 "attribute types specified: %s", ds_cstr(&names));
        value = NULL;
    } else if (!n || !value->has_value) {
        op_error(ctx, "MissingParameter", "The request must contain exactly "
                 "one of the parameters EnableDnsHostnames, "
                 "EnableDnsSupport or EnableNetworkAddressUsageMetrics, "
                 "with a Value.");
        value = NULL;
    } else if (rq->enable_network_address_usage_metrics && value->value) {
        op_error(ctx, "InvalidParameterValue", "Network Address Usage "
                 "metrics are not supported by this deployment.");
        value = NULL;
    }
    ds_destroy(&names);
    return value;
}

void
op_modify_vpc_attribute(struct op_ctx *ctx, const ProtobufCMessage *request,
                        ProtobufCMessage *response)
{
    const Privatelink__V1__ModifyVpcAttributeRequest *rq
        = (const void *) request;
    Privatelink__V1__ModifyVpcAttributeResponse *rs = (void *) response;

    if (!op_require(ctx, rq->vpc_id, "VpcId")) {
        return;
    }
    const struct plrec_vpc *vpc = vpcu_get_vpc(ctx, rq->vpc_id);
    const Privatelink__V1__AttributeBooleanValue *value
        = vpc ? vpc_check_modify(ctx, rq) : NULL;
    if (!value) {
        return;
    }

    op_txn(ctx);
    if (rq->enable_dns_hostnames) {
        plrec_vpc_set_enable_dns_hostnames(vpc, value->value);
    } else if (rq->enable_dns_support) {
        plrec_vpc_set_enable_dns_support(vpc, value->value);
    }
    OP_SET(rs, return_, true);
}

/* Returns a new AttributeBooleanValue message with 'b'. */
static Privatelink__V1__AttributeBooleanValue *
vpc_attr_value(bool b)
{
    Privatelink__V1__AttributeBooleanValue *m
        = op_new_msg(&privatelink__v1__attribute_boolean_value__descriptor);
    OP_SET(m, value, b);
    return m;
}

void
op_describe_vpc_attribute(struct op_ctx *ctx, const ProtobufCMessage *request,
                          ProtobufCMessage *response)
{
    const Privatelink__V1__DescribeVpcAttributeRequest *rq
        = (const void *) request;
    Privatelink__V1__DescribeVpcAttributeResponse *rs = (void *) response;
    static const char *const attributes[] = {
        "enableDnsSupport", "enableDnsHostnames",
        "enableNetworkAddressUsageMetrics", NULL,
    };

    if (!op_require(ctx, rq->attribute, "Attribute")
        || !op_require(ctx, rq->vpc_id, "VpcId")
        || !op_check_enum(ctx, rq->attribute, "attribute", attributes)) {
        return;
    }
    const struct plrec_vpc *vpc = vpcu_get_vpc(ctx, rq->vpc_id);
    if (!vpc) {
        return;
    }

    rs->vpc_id = xstrdup(vpc->vpc_id);
    if (!strcmp(rq->attribute, "enableDnsSupport")) {
        rs->enable_dns_support = vpc_attr_value(vpc->enable_dns_support);
    } else if (!strcmp(rq->attribute, "enableDnsHostnames")) {
        rs->enable_dns_hostnames = vpc_attr_value(vpc->enable_dns_hostnames);
    } else {
        rs->enable_network_address_usage_metrics = vpc_attr_value(false);
    }
}
