/*
 * op-eni.c: network interfaces: CreateNetworkInterface,
 * DescribeNetworkInterfaces and DeleteNetworkInterface.
 *
 * CreateNetworkInterface makes an ordinary interface (InterfaceType
 * "interface") through eni_create(), which allocates its address and MAC;
 * without groups it gets its VPC's default security group.
 * DescribeNetworkInterfaces shows the caller's interfaces of every kind,
 * including the requester-managed ones of its endpoints and load
 * balancers.  Those belong to their endpoint or load balancer: as on AWS,
 * DeleteNetworkInterface refuses them ("currently in use") and they go
 * away with their owner.  Deleting an interface turns the routes to it
 * into blackhole routes.
 */
#include <config.h>

#include <stdlib.h>
#include <string.h>

#include "eni.h"
#include "filter.h"
#include "lib/plink-idl.h"
#include "op-util.h"
#include "op-vpc-util.h"
#include "ops.h"
#include "smap.h"
#include "sset.h"
#include "util.h"

/* AWS's default limit on the security groups of one interface. */
#define ENI_MAX_GROUPS 5

/* Returns the private DNS name of 'eni'. */
static char *
eni_dns_name(const struct plrec_network_interface *eni)
{
    return vpcu_private_dns_name(vpcu_idl_region(vpcu_row_idl(&eni->header_)),
                                 eni->private_ip_address);
}

/* Builds the NetworkInterface message of 'eni'. */
static Privatelink__V1__NetworkInterface *
eni_to_msg(const struct plrec_network_interface *eni)
{
    Privatelink__V1__NetworkInterface *m
        = op_new_msg(&privatelink__v1__network_interface__descriptor);
    m->network_interface_id = xstrdup(eni->network_interface_id);
    m->subnet_id = xstrdup(eni->subnet->subnet_id);
    m->vpc_id = xstrdup(eni->subnet->vpc->vpc_id);
    m->availability_zone = xstrdup(eni->subnet->availability_zone);
    m->owner_id = xstrdup(eni->owner_id);
    m->description = xstrdup(eni->description);
    m->interface_type = xstrdup(eni->interface_type);
    m->mac_address = xstrdup(eni->mac_address);
    m->private_ip_address = xstrdup(eni->private_ip_address);
    m->private_dns_name = eni_dns_name(eni);
    m->requester_id = nullable_xstrdup(eni->requester_id);
    OP_SET(m, requester_managed, eni->requester_managed);
    OP_SET(m, source_dest_check, eni->source_dest_check);
    m->status = xstrdup(eni->status);
    op_tags_to_msg(&eni->tags, &m->tag_set, &m->n_tag_set);

    for (size_t i = 0; i < eni->n_security_groups; i++) {
        Privatelink__V1__GroupIdentifier *g
            = op_new_msg(&privatelink__v1__group_identifier__descriptor);
        g->group_id = xstrdup(eni->security_groups[i]->group_id);
        g->group_name = xstrdup(eni->security_groups[i]->group_name);
        OP_APPEND(m, groups, g);
    }

    Privatelink__V1__NetworkInterfacePrivateIpAddress *a = op_new_msg(
        &privatelink__v1__network_interface_private_ip_address__descriptor);
    OP_SET(a, primary, true);
    a->private_ip_address = xstrdup(eni->private_ip_address);
    a->private_dns_name = xstrdup(m->private_dns_name);
    OP_APPEND(m, private_ip_addresses, a);
    return m;
}

/* Filters of DescribeNetworkInterfaces. */
static const struct plrec_network_interface *
eni_row(const void *row)
{
    return row;
}

static void
eni_f_ip(const void *row, struct sset *values)
{
    sset_add(values, eni_row(row)->private_ip_address);
}

static void
eni_f_true(const void *row OVS_UNUSED, struct sset *values)
{
    vpcu_add_bool(values, true);
}

static void
eni_f_false(const void *row OVS_UNUSED, struct sset *values)
{
    vpcu_add_bool(values, false);
}

static void
eni_f_none(const void *row OVS_UNUSED, struct sset *values OVS_UNUSED)
{
    /* No attachments, Elastic IPs, IPv6 addresses or operators here. */
}

static void
eni_f_az(const void *row, struct sset *values)
{
    sset_add(values, eni_row(row)->subnet->availability_zone);
}

static void
eni_f_az_id(const void *row, struct sset *values)
{
    sset_add(values, eni_row(row)->subnet->availability_zone_id);
}

static void
eni_f_description(const void *row, struct sset *values)
{
    sset_add(values, eni_row(row)->description);
}

static void
eni_f_group_id(const void *row, struct sset *values)
{
    const struct plrec_network_interface *eni = eni_row(row);
    for (size_t i = 0; i < eni->n_security_groups; i++) {
        sset_add(values, eni->security_groups[i]->group_id);
    }
}

static void
eni_f_group_name(const void *row, struct sset *values)
{
    const struct plrec_network_interface *eni = eni_row(row);
    for (size_t i = 0; i < eni->n_security_groups; i++) {
        sset_add(values, eni->security_groups[i]->group_name);
    }
}

static void
eni_f_type(const void *row, struct sset *values)
{
    sset_add(values, eni_row(row)->interface_type);
}

static void
eni_f_mac(const void *row, struct sset *values)
{
    sset_add(values, eni_row(row)->mac_address);
}

static void
eni_f_id(const void *row, struct sset *values)
{
    sset_add(values, eni_row(row)->network_interface_id);
}

static void
eni_f_owner(const void *row, struct sset *values)
{
    sset_add(values, eni_row(row)->owner_id);
}

static void
eni_f_dns_name(const void *row, struct sset *values)
{
    sset_add_and_free(values, eni_dns_name(eni_row(row)));
}

static void
eni_f_requester_id(const void *row, struct sset *values)
{
    if (eni_row(row)->requester_id) {
        sset_add(values, eni_row(row)->requester_id);
    }
}

static void
eni_f_requester_managed(const void *row, struct sset *values)
{
    vpcu_add_bool(values, eni_row(row)->requester_managed);
}

static void
eni_f_source_dest_check(const void *row, struct sset *values)
{
    vpcu_add_bool(values, eni_row(row)->source_dest_check);
}

static void
eni_f_status(const void *row, struct sset *values)
{
    sset_add(values, eni_row(row)->status);
}

static void
eni_f_subnet(const void *row, struct sset *values)
{
    sset_add(values, eni_row(row)->subnet->subnet_id);
}

static void
eni_f_vpc(const void *row, struct sset *values)
{
    sset_add(values, eni_row(row)->subnet->vpc->vpc_id);
}

static const struct filter_def eni_filters[] = {
    { "addresses.private-ip-address", eni_f_ip },
    { "addresses.primary", eni_f_true },
    { "addresses.association.owner-id", eni_f_none },
    { "addresses.association.public-ip", eni_f_none },
    { "association.allocation-id", eni_f_none },
    { "association.association-id", eni_f_none },
    { "association.ip-owner-id", eni_f_none },
    { "association.public-ip", eni_f_none },
    { "association.public-dns-name", eni_f_none },
    { "attachment.attach-time", eni_f_none },
    { "attachment.attachment-id", eni_f_none },
    { "attachment.delete-on-termination", eni_f_none },
    { "attachment.device-index", eni_f_none },
    { "attachment.instance-id", eni_f_none },
    { "attachment.instance-owner-id", eni_f_none },
    { "attachment.status", eni_f_none },
    { "availability-zone", eni_f_az },
    { "availability-zone-id", eni_f_az_id },
    { "description", eni_f_description },
    { "group-id", eni_f_group_id },
    { "group-name", eni_f_group_name },
    { "ipv6-addresses.ipv6-address", eni_f_none },
    { "interface-type", eni_f_type },
    { "mac-address", eni_f_mac },
    { "network-interface-id", eni_f_id },
    { "operator.managed", eni_f_false },
    { "operator.principal", eni_f_none },
    { "owner-id", eni_f_owner },
    { "private-dns-name", eni_f_dns_name },
    { "private-ip-address", eni_f_ip },
    { "requester-id", eni_f_requester_id },
    { "requester-managed", eni_f_requester_managed },
    { "source-dest-check", eni_f_source_dest_check },
    { "status", eni_f_status },
    { "subnet-id", eni_f_subnet },
    { "vpc-id", eni_f_vpc },
};

/* Fails 'ctx' if CreateNetworkInterface asks for something this
 * deployment does not offer: IPv6, prefixes, secondary addresses, other
 * interface types. */
static bool
eni_check_unsupported(struct op_ctx *ctx,
                      const Privatelink__V1__CreateNetworkInterfaceRequest *rq)
{
    const char *param
        = (rq->n_ipv4_prefixes || rq->has_ipv4_prefix_count
           ? "Ipv4Prefix"
           : rq->n_ipv6_prefixes || rq->has_ipv6_prefix_count ? "Ipv6Prefix"
           : rq->n_ipv6_addresses || rq->has_ipv6_address_count
           ? "Ipv6Addresses"
           : rq->has_enable_primary_ipv6 && rq->enable_primary_ipv6
           ? "EnablePrimaryIpv6"
           : rq->n_private_ip_addresses ? "PrivateIpAddresses"
           : (rq->has_secondary_private_ip_address_count
              && rq->secondary_private_ip_address_count)
           ? "SecondaryPrivateIpAddressCount"
           : rq->connection_tracking_specification
           ? "ConnectionTrackingSpecification"
           : rq->operator_ ? "Operator" : NULL);

    if (param) {
        op_error(ctx, "InvalidParameterValue", "The parameter %s is not "
                 "supported: network interfaces have one private IPv4 "
                 "address.", param);
    } else if (rq->interface_type) {
        op_error(ctx, "InvalidParameterValue", "Value (%s) for parameter "
                 "InterfaceType is invalid: only ordinary interfaces can be "
                 "created.", rq->interface_type);
    } else if (rq->description && strlen(rq->description) > 255) {
        op_error(ctx, "InvalidParameterValue", "Descriptions may be at "
                 "most 255 characters long.");
    }
    return !op_failed(ctx);
}

/* Resolves the security groups of a new interface in 'subnet' into
 * '*groupsp' and '*np': 'ids', which must be groups of the subnet's VPC,
 * or else the VPC's default group. */
static bool
eni_get_groups(struct op_ctx *ctx, const struct plrec_subnet *subnet,
               char **ids, size_t n_ids,
               struct plrec_security_group ***groupsp, size_t *np)
{
    struct plrec_security_group **groups
        = xmalloc((n_ids + 1) * sizeof *groups);
    size_t n = 0;

    for (size_t i = 0; i < n_ids; i++) {
        const struct plrec_security_group *sg
            = vpcu_get_security_group(ctx, ids[i]);
        if (!sg) {
            break;
        } else if (sg->vpc != subnet->vpc) {
            op_error(ctx, "InvalidParameter", "Security group %s and subnet "
                     "%s belong to different networks.", sg->group_id,
                     subnet->subnet_id);
            break;
        }
        bool dup = false;
        for (size_t j = 0; j < n; j++) {
            dup |= groups[j] == sg;
        }
        if (!dup) {
            groups[n++] = CONST_CAST(struct plrec_security_group *, sg);
        }
    }
    if (!op_failed(ctx) && n > ENI_MAX_GROUPS) {
        op_error(ctx, "SecurityGroupsPerInterfaceLimitExceeded", "You have "
                 "exceeded the maximum number of security groups (%d) "
                 "allowed per network interface.", ENI_MAX_GROUPS);
    }
    if (!op_failed(ctx) && !n_ids) {
        const struct plrec_security_group *sg
            = vpcu_default_security_group(ctx->idl, subnet->vpc);
        if (sg) {
            groups[n++] = CONST_CAST(struct plrec_security_group *, sg);
        }
    }
    *groupsp = groups;
    *np = n;
    return !op_failed(ctx);
}

void
op_create_network_interface(struct op_ctx *ctx,
                            const ProtobufCMessage *request,
                            ProtobufCMessage *response)
{
    const Privatelink__V1__CreateNetworkInterfaceRequest *rq
        = (const void *) request;
    Privatelink__V1__CreateNetworkInterfaceResponse *rs = (void *) response;
    struct smap tags = SMAP_INITIALIZER(&tags);
    struct plrec_security_group **groups = NULL;
    const struct plrec_subnet *subnet;
    size_t n_groups = 0;

    if (op_require(ctx, rq->subnet_id, "SubnetId")
        && eni_check_unsupported(ctx, rq)
        && (subnet = vpcu_get_subnet(ctx, rq->subnet_id))
        && eni_get_groups(ctx, subnet, rq->groups, rq->n_groups,
                          &groups, &n_groups)
        && op_tags_from_specs(ctx, rq->tag_specifications,
                              rq->n_tag_specifications, "network-interface",
                              &tags)) {
        const struct eni_spec spec = {
            .subnet = subnet,
            .owner_id = op_account_id(ctx),
            .interface_type = "interface",
            .description = rq->description,
            .private_ip = rq->private_ip_address,
            .requester_managed = false,
            .groups = groups,
            .n_groups = n_groups,
        };
        const struct plrec_network_interface *eni = eni_create(ctx, &spec);
        if (eni) {
            plrec_network_interface_set_tags(eni, &tags);
            rs->network_interface = eni_to_msg(eni);
            rs->client_token = nullable_xstrdup(rq->client_token);
        }
    }
    free(groups);
    smap_destroy(&tags);
}

void
op_describe_network_interfaces(struct op_ctx *ctx,
                               const ProtobufCMessage *request,
                               ProtobufCMessage *response)
{
    const Privatelink__V1__DescribeNetworkInterfacesRequest *rq
        = (const void *) request;
    Privatelink__V1__DescribeNetworkInterfacesResponse *rs
        = (void *) response;
    struct op_page page;

    if (rq->has_max_results && rq->n_network_interface_ids) {
        op_error(ctx, "InvalidParameterCombination", "The parameter "
                 "NetworkInterfaceIds cannot be used with the parameter "
                 "MaxResults");
        return;
    }
    if (!filter_check(ctx, rq->filters, rq->n_filters, eni_filters,
                      ARRAY_SIZE(eni_filters))
        || !vpcu_check_network_interface_ids(ctx, rq->network_interface_ids,
                                             rq->n_network_interface_ids)
        || !op_page_init(ctx, rq->has_max_results, rq->max_results,
                         rq->next_token, 5, 1000, &page)) {
        return;
    }

    struct ovsdb_idl_index *index = op_index_network_interface();
    struct plrec_network_interface *from = NULL;
    if (page.start_id) {
        from = plrec_network_interface_index_init_row(index);
        plrec_network_interface_index_set_network_interface_id(
            from, page.start_id);
    }
    const struct plrec_network_interface *eni;
    PLREC_NETWORK_INTERFACE_FOR_EACH_RANGE (eni, from, NULL, index) {
        if (!op_is_owner(ctx, eni->owner_id)
            || !vpcu_in_ids(rq->network_interface_ids,
                            rq->n_network_interface_ids,
                            eni->network_interface_id)
            || !filter_match(rq->filters, rq->n_filters, eni_filters,
                             ARRAY_SIZE(eni_filters), eni, &eni->tags)) {
            continue;
        }
        if (rs->n_network_interfaces >= page.limit) {
            rs->next_token = op_page_token(eni->network_interface_id);
            break;
        }
        OP_APPEND(rs, network_interfaces, eni_to_msg(eni));
    }
    if (from) {
        plrec_network_interface_index_destroy_row(from);
    }
    op_page_destroy(&page);
}

/* Returns true if 'eni' belongs to an endpoint or a load balancer, or is
 * otherwise in use, so that its owner may not delete it. */
static bool
eni_in_use(struct ovsdb_idl *idl, const struct plrec_network_interface *eni)
{
    if (eni->requester_managed || strcmp(eni->status, "available")) {
        return true;
    }
    const struct plrec_vpc_endpoint *ep;
    PLREC_VPC_ENDPOINT_FOR_EACH (ep, idl) {
        for (size_t i = 0; i < ep->n_network_interfaces; i++) {
            if (ep->network_interfaces[i] == eni) {
                return true;
            }
        }
    }
    const struct plrec_load_balancer *lb;
    PLREC_LOAD_BALANCER_FOR_EACH (lb, idl) {
        for (size_t i = 0; i < lb->n_network_interfaces; i++) {
            if (lb->network_interfaces[i] == eni) {
                return true;
            }
        }
    }
    return false;
}

void
op_delete_network_interface(struct op_ctx *ctx,
                            const ProtobufCMessage *request,
                            ProtobufCMessage *response)
{
    const Privatelink__V1__DeleteNetworkInterfaceRequest *rq
        = (const void *) request;
    Privatelink__V1__DeleteNetworkInterfaceResponse *rs = (void *) response;

    if (!op_require(ctx, rq->network_interface_id, "NetworkInterfaceId")) {
        return;
    }
    const struct plrec_network_interface *eni
        = vpcu_get_network_interface(ctx, rq->network_interface_id);
    if (!eni) {
        return;
    } else if (eni_in_use(ctx->idl, eni)) {
        op_error(ctx, "InvalidParameterValue", "Network interface '%s' is "
                 "currently in use.", eni->network_interface_id);
        return;
    }

    vpcu_routes_set_eni_blackhole(ctx, eni);
    eni_delete(ctx, eni);
    OP_SET(rs, return_, true);
}
