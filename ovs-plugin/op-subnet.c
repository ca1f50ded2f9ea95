/*
 * op-subnet.c: subnets: CreateSubnet, DescribeSubnets and DeleteSubnet.
 *
 * A subnet's block lies inside its VPC's, is /16 to /28, and overlaps no
 * other subnet of the VPC.  Its Availability Zone is given by name or by
 * zone id; without either it is the first zone of the region.  AWS
 * reserves five addresses of every subnet, so AvailableIpAddressCount is
 * the usable count minus the network interfaces in the subnet, whoever
 * manages them.  A subnet cannot be deleted while network interfaces,
 * endpoints or load balancers use it; deleting it removes its explicit
 * route table association.
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
#include "simap.h"
#include "smap.h"
#include "sset.h"
#include "util.h"

/* Returns the number of addresses of 'subnet' that a new network
 * interface could still get, given that 'n_enis' interfaces are in it. */
static int
subnet_available_ips(const struct plrec_subnet *subnet, unsigned int n_enis)
{
    struct cidr4 cidr;
    char *error = cidr4_parse(subnet->cidr_block, &cidr);
    if (error) {
        free(error);
        return 0;
    }
    uint32_t usable = cidr4_usable_count(&cidr);
    return usable > n_enis ? usable - n_enis : 0;
}

/* Counts, into 'counts', the network interfaces of each subnet, by
 * subnet id. */
static void
subnet_count_enis(struct ovsdb_idl *idl, struct simap *counts)
{
    const struct plrec_network_interface *eni;
    PLREC_NETWORK_INTERFACE_FOR_EACH (eni, idl) {
        simap_increase(counts, eni->subnet->subnet_id, 1);
    }
}

/* Returns the ARN of 'subnet'. */
static char *
subnet_arn(const struct plrec_subnet *subnet)
{
    return xasprintf("arn:aws:ec2:%s:%s:subnet/%s",
                     vpcu_idl_region(vpcu_row_idl(&subnet->header_)),
                     subnet->owner_id, subnet->subnet_id);
}

/* Builds the Subnet message of 'subnet', which has 'n_enis' network
 * interfaces. */
static Privatelink__V1__Subnet *
subnet_to_msg(const struct plrec_subnet *subnet, unsigned int n_enis)
{
    Privatelink__V1__Subnet *m
        = op_new_msg(&privatelink__v1__subnet__descriptor);
    m->subnet_id = xstrdup(subnet->subnet_id);
    m->subnet_arn = subnet_arn(subnet);
    m->vpc_id = xstrdup(subnet->vpc->vpc_id);
    m->owner_id = xstrdup(subnet->owner_id);
    m->state = xstrdup(subnet->state);
    m->cidr_block = xstrdup(subnet->cidr_block);
    m->availability_zone = xstrdup(subnet->availability_zone);
    m->availability_zone_id = xstrdup(subnet->availability_zone_id);
    OP_SET(m, available_ip_address_count,
           subnet_available_ips(subnet, n_enis));
    OP_SET(m, default_for_az, subnet->default_for_az);
    OP_SET(m, map_public_ip_on_launch, subnet->map_public_ip_on_launch);
    OP_SET(m, map_customer_owned_ip_on_launch, false);
    OP_SET(m, assign_ipv6_address_on_creation, false);
    OP_SET(m, enable_dns64, false);
    OP_SET(m, ipv6_native, false);
    op_tags_to_msg(&subnet->tags, &m->tags, &m->n_tags);

    Privatelink__V1__PrivateDnsNameOptionsOnLaunch *dns = op_new_msg(
        &privatelink__v1__private_dns_name_options_on_launch__descriptor);
    dns->hostname_type = xstrdup("ip-name");
    OP_SET(dns, enable_resource_name_dns_a_record, false);
    OP_SET(dns, enable_resource_name_dns_aaaa_record, false);
    m->private_dns_name_options_on_launch = dns;

    return m;
}

/* Filters of DescribeSubnets. */
static const struct plrec_subnet *
subnet_row(const void *row)
{
    return row;
}

static void
subnet_f_az(const void *row, struct sset *values)
{
    sset_add(values, subnet_row(row)->availability_zone);
}

static void
subnet_f_az_id(const void *row, struct sset *values)
{
    sset_add(values, subnet_row(row)->availability_zone_id);
}

static void
subnet_f_available(const void *row, struct sset *values)
{
    const struct plrec_subnet *subnet = subnet_row(row);
    unsigned int n = vpcu_subnet_eni_count(vpcu_row_idl(&subnet->header_),
                                           subnet);
    vpcu_add_int(values, subnet_available_ips(subnet, n));
}

static void
subnet_f_cidr(const void *row, struct sset *values)
{
    sset_add(values, subnet_row(row)->cidr_block);
}

static void
subnet_f_default_for_az(const void *row, struct sset *values)
{
    vpcu_add_bool(values, subnet_row(row)->default_for_az);
}

static void
subnet_f_false(const void *row OVS_UNUSED, struct sset *values)
{
    vpcu_add_bool(values, false);
}

static void
subnet_f_none(const void *row OVS_UNUSED, struct sset *values OVS_UNUSED)
{
    /* No subnet has this (IPv6, Outposts, customer-owned addresses). */
}

static void
subnet_f_hostname_type(const void *row OVS_UNUSED, struct sset *values)
{
    sset_add(values, "ip-name");
}

static void
subnet_f_map_public(const void *row, struct sset *values)
{
    vpcu_add_bool(values, subnet_row(row)->map_public_ip_on_launch);
}

static void
subnet_f_owner(const void *row, struct sset *values)
{
    sset_add(values, subnet_row(row)->owner_id);
}

static void
subnet_f_state(const void *row, struct sset *values)
{
    sset_add(values, subnet_row(row)->state);
}

static void
subnet_f_arn(const void *row, struct sset *values)
{
    sset_add_and_free(values, subnet_arn(subnet_row(row)));
}

static void
subnet_f_id(const void *row, struct sset *values)
{
    sset_add(values, subnet_row(row)->subnet_id);
}

static void
subnet_f_vpc(const void *row, struct sset *values)
{
    sset_add(values, subnet_row(row)->vpc->vpc_id);
}

static const struct filter_def subnet_filters[] = {
    { "availability-zone", subnet_f_az },
    { "availabilityZone", subnet_f_az },
    { "availability-zone-id", subnet_f_az_id },
    { "availabilityZoneId", subnet_f_az_id },
    { "available-ip-address-count", subnet_f_available },
    { "cidr-block", subnet_f_cidr },
    { "cidr", subnet_f_cidr },
    { "cidrBlock", subnet_f_cidr },
    { "customer-owned-ipv4-pool", subnet_f_none },
    { "default-for-az", subnet_f_default_for_az },
    { "defaultForAz", subnet_f_default_for_az },
    { "enable-dns64", subnet_f_false },
    { "enable-lni-at-device-index", subnet_f_none },
    { "ipv6-cidr-block-association.ipv6-cidr-block", subnet_f_none },
    { "ipv6-cidr-block-association.association-id", subnet_f_none },
    { "ipv6-cidr-block-association.state", subnet_f_none },
    { "ipv6-native", subnet_f_false },
    { "map-customer-owned-ip-on-launch", subnet_f_false },
    { "map-public-ip-on-launch", subnet_f_map_public },
    { "outpost-arn", subnet_f_none },
    { "owner-id", subnet_f_owner },
    { "private-dns-name-options-on-launch.hostname-type",
      subnet_f_hostname_type },
    { "private-dns-name-options-on-launch.enable-resource-name-dns-a-record",
      subnet_f_false },
    { "private-dns-name-options-on-launch."
      "enable-resource-name-dns-aaaa-record", subnet_f_false },
    { "state", subnet_f_state },
    { "subnet-arn", subnet_f_arn },
    { "subnet-id", subnet_f_id },
    { "vpc-id", subnet_f_vpc },
};

/* Returns the names of the region's zones, comma-separated, for error
 * messages. */
static char *
subnet_zone_list(struct ovsdb_idl *idl, bool ids)
{
    struct sset names = SSET_INITIALIZER(&names);
    const struct plrec_availability_zone *az;
    PLREC_AVAILABILITY_ZONE_FOR_EACH (az, idl) {
        sset_add(&names, ids ? az->zone_id : az->zone_name);
    }

    struct ds s = DS_EMPTY_INITIALIZER;
    const char **sorted = sset_sort(&names);
    for (size_t i = 0; i < sset_count(&names); i++) {
        ds_put_format(&s, "%s%s", i ? ", " : "", sorted[i]);
    }
    free(sorted);
    sset_destroy(&names);
    return ds_steal_cstr(&s);
}

/* Returns the Availability Zone that CreateSubnet request 'rq' asks for:
 * by name, by zone id (both must then agree), or else the region's first
 * zone.  Returns NULL and fails 'ctx' if there is no such zone. */
static const struct plrec_availability_zone *
subnet_choose_az(struct op_ctx *ctx,
                 const Privatelink__V1__CreateSubnetRequest *rq)
{
    const struct plrec_availability_zone *az = NULL;
    const char *param = NULL, *value = NULL;

    if (rq->availability_zone) {
        az = az_find(ctx->idl, rq->availability_zone, NULL);
        param = "availabilityZone";
        value = rq->availability_zone;
    }
    if (rq->availability_zone_id && (az || !param)) {
        const struct plrec_availability_zone *by_id
            = az_find(ctx->idl, NULL, rq->availability_zone_id);
        if (az && by_id && az != by_id) {
            op_error(ctx, "InvalidParameterCombination", "The Availability "
                     "Zone %s and the zone ID %s do not match.",
                     rq->availability_zone, rq->availability_zone_id);
            return NULL;
        }
        az = by_id;
        param = "availabilityZoneId";
        value = rq->availability_zone_id;
    }
    if (!param) {
        const struct plrec_availability_zone *first = NULL;
        PLREC_AVAILABILITY_ZONE_FOR_EACH (az, ctx->idl) {
            if (!first || strcmp(az->zone_name, first->zone_name) < 0) {
                first = az;
            }
        }
        az = first;
    }
    if (!az) {
        char *zones = subnet_zone_list(ctx->idl, rq->availability_zone_id
                                       && !rq->availability_zone);
        op_error(ctx, "InvalidParameterValue", "Value (%s) for parameter %s "
                 "is invalid. Subnets can currently only be created in the "
                 "following availability zones: %s.", value ? value : "",
                 param ? param : "availabilityZone", zones);
        free(zones);
    }
    return az;
}

/* Fails 'ctx' if CreateSubnet asks for something this deployment does not
 * offer: IPv6, Outposts, IPAM pools. */
static bool
subnet_check_unsupported(struct op_ctx *ctx,
                         const Privatelink__V1__CreateSubnetRequest *rq)
{
    const char *param = (rq->ipv6_cidr_block ? "Ipv6CidrBlock"
                         : rq->has_ipv6_native && rq->ipv6_native
                         ? "Ipv6Native"
                         : rq->outpost_arn ? "OutpostArn"
                         : rq->ipv4_ipam_pool_id ? "Ipv4IpamPoolId"
                         : rq->has_ipv4_netmask_length ? "Ipv4NetmaskLength"
                         : rq->ipv6_ipam_pool_id ? "Ipv6IpamPoolId"
                         : rq->has_ipv6_netmask_length ? "Ipv6NetmaskLength"
                         : NULL);
    if (param) {
        op_error(ctx, "InvalidParameterValue", "The parameter %s is not "
                 "supported: subnets have one IPv4 CIDR block.", param);
        return false;
    }
    return true;
}

/* Checks that 'cidr' (given as 's') may be a subnet of 'vpc': /16 to /28,
 * inside the VPC's block, overlapping no other subnet of it. */
static bool
subnet_check_cidr(struct op_ctx *ctx, const struct plrec_vpc *vpc,
                  const char *s, const struct cidr4 *cidr)
{
    struct cidr4 vpc_cidr;
    char *error = cidr4_parse(vpc->cidr_block, &vpc_cidr);
    if (error || cidr->plen < 16 || cidr->plen > 28
        || !cidr4_contains(&vpc_cidr, cidr)) {
        free(error);
        op_error(ctx, "InvalidSubnet.Range", "The CIDR '%s' is invalid.", s);
        return false;
    }

    const struct plrec_subnet *other;
    PLREC_SUBNET_FOR_EACH (other, ctx->idl) {
        struct cidr4 other_cidr;
        if (other->vpc != vpc) {
            continue;
        }
        error = cidr4_parse(other->cidr_block, &other_cidr);
        if (!error && cidr4_overlaps(cidr, &other_cidr)) {
            op_error(ctx, "InvalidSubnet.Conflict", "The CIDR '%s' "
                     "conflicts with another subnet", s);
            return false;
        }
        free(error);
    }
    return true;
}

void
op_create_subnet(struct op_ctx *ctx, const ProtobufCMessage *request,
                 ProtobufCMessage *response)
{
    const Privatelink__V1__CreateSubnetRequest *rq = (const void *) request;
    Privatelink__V1__CreateSubnetResponse *rs = (void *) response;
    struct smap tags = SMAP_INITIALIZER(&tags);
    const struct plrec_availability_zone *az;
    const struct plrec_vpc *vpc;
    struct cidr4 cidr;

    if (!op_require(ctx, rq->vpc_id, "VpcId")
        || !subnet_check_unsupported(ctx, rq)
        || !op_require(ctx, rq->cidr_block, "CidrBlock")
        || !(vpc = vpcu_get_vpc(ctx, rq->vpc_id))
        || !vpcu_cidr_param(ctx, rq->cidr_block, "cidrBlock", &cidr)
        || !subnet_check_cidr(ctx, vpc, rq->cidr_block, &cidr)
        || !(az = subnet_choose_az(ctx, rq))
        || !op_tags_from_specs(ctx, rq->tag_specifications,
                               rq->n_tag_specifications, "subnet", &tags)) {
        smap_destroy(&tags);
        return;
    }

    char *id = plink_id_new("subnet");
    char *cidr_s = cidr4_to_string(&cidr);
    const struct plrec_subnet *subnet = plrec_subnet_insert(op_txn(ctx));
    plrec_subnet_set_subnet_id(subnet, id);
    plrec_subnet_set_vpc(subnet, vpc);
    plrec_subnet_set_owner_id(subnet, op_account_id(ctx));
    plrec_subnet_set_cidr_block(subnet, cidr_s);
    plrec_subnet_set_availability_zone(subnet, az->zone_name);
    plrec_subnet_set_availability_zone_id(subnet, az->zone_id);
    plrec_subnet_set_state(subnet, "available");
    plrec_subnet_set_map_public_ip_on_launch(subnet, false);
    plrec_subnet_set_default_for_az(subnet, false);
    plrec_subnet_set_tags(subnet, &tags);

    rs->subnet = subnet_to_msg(subnet, 0);
    free(cidr_s);
    free(id);
    smap_destroy(&tags);
}

void
op_describe_subnets(struct op_ctx *ctx, const ProtobufCMessage *request,
                    ProtobufCMessage *response)
{
    const Privatelink__V1__DescribeSubnetsRequest *rq
        = (const void *) request;
    Privatelink__V1__DescribeSubnetsResponse *rs = (void *) response;
    struct op_page page;

    if (!filter_check(ctx, rq->filters, rq->n_filters, subnet_filters,
                      ARRAY_SIZE(subnet_filters))
        || !vpcu_check_subnet_ids(ctx, rq->subnet_ids, rq->n_subnet_ids)
        || !op_page_init(ctx, rq->has_max_results, rq->max_results,
                         rq->next_token, 5, 1000, &page)) {
        return;
    }

    struct simap counts = SIMAP_INITIALIZER(&counts);
    subnet_count_enis(ctx->idl, &counts);

    struct ovsdb_idl_index *index = op_index_subnet();
    struct plrec_subnet *from = NULL;
    if (page.start_id) {
        from = plrec_subnet_index_init_row(index);
        plrec_subnet_index_set_subnet_id(from, page.start_id);
    }
    const struct plrec_subnet *subnet;
    PLREC_SUBNET_FOR_EACH_RANGE (subnet, from, NULL, index) {
        if (!op_is_owner(ctx, subnet->owner_id)
            || !vpcu_in_ids(rq->subnet_ids, rq->n_subnet_ids,
                            subnet->subnet_id)
            || !filter_match(rq->filters, rq->n_filters, subnet_filters,
                             ARRAY_SIZE(subnet_filters), subnet,
                             &subnet->tags)) {
            continue;
        }
        if (rs->n_subnets >= page.limit) {
            rs->next_token = op_page_token(subnet->subnet_id);
            break;
        }
        OP_APPEND(rs, subnets,
                  subnet_to_msg(subnet, simap_get(&counts,
                                                  subnet->subnet_id)));
    }
    if (from) {
        plrec_subnet_index_destroy_row(from);
    }
    simap_destroy(&counts);
    op_page_destroy(&page);
}

/* Returns what keeps 'subnet' from being deleted, as a phrase for the
 * error message, or NULL if nothing does. */
static const char *
subnet_dependency(struct ovsdb_idl *idl, const struct plrec_subnet *subnet)
{
    if (vpcu_subnet_eni_count(idl, subnet)) {
        return "network interfaces";
    }
    const struct plrec_vpc_endpoint *ep;
    PLREC_VPC_ENDPOINT_FOR_EACH (ep, idl) {
        for (size_t i = 0; i < ep->n_subnets; i++) {
            if (ep->subnets[i] == subnet && vpcu_endpoint_live(ep)) {
                return "a VPC endpoint";
            }
        }
    }
    const struct plrec_load_balancer *lb;
    PLREC_LOAD_BALANCER_FOR_EACH (lb, idl) {
        for (size_t i = 0; i < lb->n_subnets; i++) {
            if (lb->subnets[i] == subnet) {
                return "a load balancer";
            }
        }
    }
    return NULL;
}

/* Removes the references to 'subnet' that go away with it: its explicit
 * route table association, and its place in the subnet list of deleted
 * endpoints (whose rows only linger for DescribeVpcEndpoints). */
static void
subnet_unlink(struct op_ctx *ctx, const struct plrec_subnet *subnet)
{
    const struct plrec_route_table *rt;
    PLREC_ROUTE_TABLE_FOR_EACH (rt, ctx->idl) {
        for (size_t i = 0; rt->vpc == subnet->vpc && i < rt->n_associations;
             i++) {
            if (rt->associations[i]->subnet == subnet) {
                plrec_route_table_update_associations_delvalue(
                    rt, rt->associations[i]);
            }
        }
    }
    const struct plrec_vpc_endpoint *ep;
    PLREC_VPC_ENDPOINT_FOR_EACH (ep, ctx->idl) {
        for (size_t i = 0; i < ep->n_subnets; i++) {
            if (ep->subnets[i] == subnet) {
                plrec_vpc_endpoint_update_subnets_delvalue(ep, subnet);
            }
        }
    }
}

void
op_delete_subnet(struct op_ctx *ctx, const ProtobufCMessage *request,
                 ProtobufCMessage *response)
{
    const Privatelink__V1__DeleteSubnetRequest *rq = (const void *) request;
    Privatelink__V1__DeleteSubnetResponse *rs = (void *) response;

    if (!op_require(ctx, rq->subnet_id, "SubnetId")) {
        return;
    }
    const struct plrec_subnet *subnet = vpcu_get_subnet(ctx, rq->subnet_id);
    if (!subnet) {
        return;
    }
    const char *dependency = subnet_dependency(ctx->idl, subnet);
    if (dependency) {
        op_error(ctx, "DependencyViolation", "The subnet '%s' has "
                 "dependencies and cannot be deleted (in use by %s).",
                 subnet->subnet_id, dependency);
        return;
    }

    op_txn(ctx);
    subnet_unlink(ctx, subnet);
    plrec_subnet_delete(subnet);
    OP_SET(rs, return_, true);
}
