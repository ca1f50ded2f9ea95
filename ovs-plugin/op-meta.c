/*
 * op-meta.c: operations about the region itself: its Availability Zones
 * (DescribeAvailabilityZones) and the state of the deployment (Show,
 * plctl's view of the chassis and the configuration they realized).
 */
#include <config.h>

#include <stdlib.h>
#include <string.h>

#include "filter.h"
#include "lib/plink-idl.h"
#include "op-util.h"
#include "ops.h"
#include "privatelink.pb-c.h"
#include "sset.h"
#include "util.h"

FILTER_STRING_MEMBER(az_zone_name, struct plrec_availability_zone, zone_name)
FILTER_STRING_MEMBER(az_zone_id, struct plrec_availability_zone, zone_id)
FILTER_STRING_MEMBER(az_state, struct plrec_availability_zone, state)

static void
az_zone_type(const void *row OVS_UNUSED, struct sset *values)
{
    sset_add(values, "availability-zone");
}

static void
az_opt_in_status(const void *row OVS_UNUSED, struct sset *values)
{
    sset_add(values, "opt-in-not-required");
}

static const struct filter_def az_filters[] = {
    { "zone-name", az_zone_name },
    { "zone-id", az_zone_id },
    { "state", az_state },
    { "zone-type", az_zone_type },
    { "opt-in-status", az_opt_in_status },
    /* region-name and group-name depend on the region: matched below. */
};

/* Returns true if 'name' is in the 'n' strings of 'list', or 'n' is 0. */
static bool
in_list(char **list, size_t n, const char *name)
{
    for (size_t i = 0; i < n; i++) {
        if (!strcmp(list[i], name)) {
            return true;
        }
    }
    return !n;
}

/* Fails 'ctx' if a zone name or id asked for does not exist. */
static bool
az_check_requested(struct op_ctx *ctx,
                   const Privatelink__V1__DescribeAvailabilityZonesRequest *rq)
{
    for (size_t i = 0; i < rq->n_zone_names; i++) {
        if (!az_find(ctx->idl, rq->zone_names[i], NULL)) {
            op_error(ctx, "InvalidParameterValue", "The zone '%s' does not "
                     "exist in the current region.", rq->zone_names[i]);
            return false;
        }
    }
    for (size_t i = 0; i < rq->n_zone_ids; i++) {
        if (!az_find(ctx->idl, NULL, rq->zone_ids[i])) {
            op_error(ctx, "InvalidParameterValue", "The zone ID '%s' does "
                     "not exist in the current region.", rq->zone_ids[i]);
            return false;
        }
    }
    return true;
}

/* Builds the AvailabilityZone message of 'az' in 'region'. */
static Privatelink__V1__AvailabilityZone *
az_to_message(const struct plrec_availability_zone *az, const char *region)
{
    Privatelink__V1__AvailabilityZone *m = xmalloc(sizeof *m);
    privatelink__v1__availability_zone__init(m);
    m->zone_name = xstrdup(az->zone_name);
    m->zone_id = xstrdup(az->zone_id);
    m->state = xstrdup(az->state);
    m->region_name = xstrdup(region);
    m->group_name = xasprintf("%s-zg-1", region);
    m->network_border_group = xstrdup(region);
    m->opt_in_status = xstrdup("opt-in-not-required");
    m->zone_type = xstrdup("availability-zone");
    return m;
}

static int
az_compare(const void *a_, const void *b_)
{
    const Privatelink__V1__AvailabilityZone *const *a = a_, *const *b = b_;
    return strcmp((*a)->zone_name, (*b)->zone_name);
}

/* Returns true if 'az' in 'region' passes the region-level filters. */
static bool
az_match_region_filters(Privatelink__V1__Filter **filters, size_t n,
                        const char *region)
{
    char *group = xasprintf("%s-zg-1", region);
    bool match = true;
    for (size_t i = 0; i < n && match; i++) {
        const char *value = (!strcmp(filters[i]->name, "region-name") ? region
                             : !strcmp(filters[i]->name, "group-name") ? group
                             : NULL);
        if (value) {
            match = false;
            for (size_t j = 0; j < filters[i]->n_values; j++) {
                match |= filter_wildcard_match(filters[i]->values[j], value);
            }
        }
    }
    free(group);
    return match;
}

void
op_describe_availability_zones(struct op_ctx *ctx,
                               const ProtobufCMessage *request,
                               ProtobufCMessage *response)
{
    const Privatelink__V1__DescribeAvailabilityZonesRequest *rq
        = (const void *) request;
    Privatelink__V1__DescribeAvailabilityZonesResponse *rs = (void *) response;
    const char *region = ctx->global ? ctx->global->region : "us-east-1";
    static const struct filter_def region_filters[] = {
        { "region-name", NULL }, { "group-name", NULL },
    };

    /* Filters: the per-zone ones and the two region-level ones. */
    struct filter_def defs[ARRAY_SIZE(az_filters) + 2];
    memcpy(defs, az_filters, sizeof az_filters);
    memcpy(&defs[ARRAY_SIZE(az_filters)], region_filters,
           sizeof region_filters);
    if (!filter_check(ctx, rq->filters, rq->n_filters, defs, ARRAY_SIZE(defs))
        || !az_check_requested(ctx, rq)) {
        return;
    }

    /* Per-zone filters only: region-level ones are matched separately. */
    size_t n_zone_filters = 0;
    Privatelink__V1__Filter **zone_filters
        = xmalloc((rq->n_filters + 1) * sizeof *zone_filters);
    for (size_t i = 0; i < rq->n_filters; i++) {
        if (strcmp(rq->filters[i]->name, "region-name")
            && strcmp(rq->filters[i]->name, "group-name")) {
            zone_filters[n_zone_filters++] = rq->filters[i];
        }
    }

    const struct plrec_availability_zone *az;
    PLREC_AVAILABILITY_ZONE_FOR_EACH (az, ctx->idl) {
        if (in_list(rq->zone_names, rq->n_zone_names, az->zone_name)
            && in_list(rq->zone_ids, rq->n_zone_ids, az->zone_id)
            && filter_match(zone_filters, n_zone_filters, az_filters,
                            ARRAY_SIZE(az_filters), az, NULL)
            && az_match_region_filters(rq->filters, rq->n_filters, region)) {
            OP_APPEND(rs, availability_zones, az_to_message(az, region));
        }
    }
    free(zone_filters);
    qsort(rs->availability_zones, rs->n_availability_zones,
          sizeof *rs->availability_zones, az_compare);
}

/* Returns the "show" view of endpoint 'ept'. */
static Privatelink__V1__ShowEndpoint *
show_endpoint(const struct plrec_vpc_endpoint *ept)
{
    Privatelink__V1__ShowEndpoint *m
        = op_new_msg(&privatelink__v1__show_endpoint__descriptor);
    m->vpc_endpoint_id = xstrdup(ept->vpc_endpoint_id);
    m->vpc_endpoint_type = xstrdup(ept->vpc_endpoint_type);
    m->service_name = xstrdup(ept->service_name);
    m->state = xstrdup(ept->state);
    m->owner_id = xstrdup(ept->owner_id);
    return m;
}

/* Returns the "show" view of subnet 's' with its network interfaces. */
static Privatelink__V1__ShowSubnet *
show_subnet(const struct op_ctx *ctx, const struct plrec_subnet *s)
{
    Privatelink__V1__ShowSubnet *m
        = op_new_msg(&privatelink__v1__show_subnet__descriptor);
    m->subnet_id = xstrdup(s->subnet_id);
    m->cidr_block = xstrdup(s->cidr_block);
    m->availability_zone = xstrdup(s->availability_zone);

    const struct plrec_network_interface *eni;
    PLREC_NETWORK_INTERFACE_FOR_EACH (eni, ctx->idl) {
        if (eni->subnet != s) {
            continue;
        }
        Privatelink__V1__ShowNetworkInterface *e
            = op_new_msg(&privatelink__v1__show_network_interface__descriptor);
        e->network_interface_id = xstrdup(eni->network_interface_id);
        e->private_ip_address = xstrdup(eni->private_ip_address);
        e->interface_type = xstrdup(eni->interface_type);
        e->description = xstrdup(eni->description);
        if (eni->chassis) {
            e->chassis = xstrdup(eni->chassis->name);
        }
        OP_APPEND(m, network_interfaces, e);
    }
    return m;
}

/* Adds the caller's VPCs to the "show" answer: subnets, their ENIs, and
 * the endpoints in each VPC. */
static void
show_vpcs(const struct op_ctx *ctx, Privatelink__V1__ShowResponse *rs)
{
    const struct plrec_vpc *vpc;
    PLREC_VPC_FOR_EACH_BYINDEX (vpc, op_index_vpc()) {
        if (!op_is_owner(ctx, vpc->owner_id)) {
            continue;
        }
        Privatelink__V1__ShowVpc *v
            = op_new_msg(&privatelink__v1__show_vpc__descriptor);
        v->vpc_id = xstrdup(vpc->vpc_id);
        v->cidr_block = xstrdup(vpc->cidr_block);
        const struct plrec_subnet *s;
        PLREC_SUBNET_FOR_EACH_BYINDEX (s, op_index_subnet()) {
            if (s->vpc == vpc) {
                OP_APPEND(v, subnets, show_subnet(ctx, s));
            }
        }
        const struct plrec_vpc_endpoint *ept;
        PLREC_VPC_ENDPOINT_FOR_EACH_BYINDEX (ept, op_index_vpc_endpoint()) {
            if (ept->vpc == vpc) {
                OP_APPEND(v, endpoints, show_endpoint(ept));
            }
        }
        OP_APPEND(rs, vpcs, v);
    }
}

/* Adds the caller's endpoint services and their connections. */
static void
show_services(const struct op_ctx *ctx, Privatelink__V1__ShowResponse *rs)
{
    const struct plrec_endpoint_service *svc;
    PLREC_ENDPOINT_SERVICE_FOR_EACH_BYINDEX (svc,
                                             op_index_endpoint_service()) {
        if (!op_is_owner(ctx, svc->owner_id)) {
            continue;
        }
        Privatelink__V1__ShowService *m
            = op_new_msg(&privatelink__v1__show_service__descriptor);
        m->service_id = xstrdup(svc->service_id);
        m->service_name = xstrdup(svc->service_name);
        m->service_state = xstrdup(svc->service_state);
        OP_SET(m, acceptance_required, svc->acceptance_required);
        const struct plrec_vpc_endpoint *ept;
        PLREC_VPC_ENDPOINT_FOR_EACH_BYINDEX (ept, op_index_vpc_endpoint()) {
            if (ept->service == svc) {
                OP_APPEND(m, connections, show_endpoint(ept));
            }
        }
        OP_APPEND(rs, services, m);
    }
}

void
op_show(struct op_ctx *ctx, const ProtobufCMessage *request,
        ProtobufCMessage *response)
{
    const Privatelink__V1__ShowRequest *rq = (const void *) request;
    Privatelink__V1__ShowResponse *rs = (void *) response;

    if (ctx->global) {
        rs->region = xstrdup(ctx->global->region);
        rs->has_cfg = rs->has_hv_cfg = true;
        rs->cfg = ctx->global->cfg;
        rs->hv_cfg = ctx->global->hv_cfg;
    }
    if (rq->has_cfg_only && rq->cfg_only) {
        return;
    }

    const struct plrec_chassis *ch;
    PLREC_CHASSIS_FOR_EACH (ch, ctx->idl) {
        Privatelink__V1__ChassisStatus *m = xmalloc(sizeof *m);
        privatelink__v1__chassis_status__init(m);
        m->name = xstrdup(ch->name);
        m->hostname = xstrdup(ch->hostname);
        m->encap_type = xstrdup(ch->encap_type);
        m->encap_ip = xstrdup(ch->encap_ip);
        m->has_nb_cfg = true;
        m->nb_cfg = ch->nb_cfg;
        if (ch->nb_cfg_timestamp) {
            m->nb_cfg_timestamp = op_format_timestamp(ch->nb_cfg_timestamp);
        }
        OP_APPEND(rs, chassis, m);
    }
    show_vpcs(ctx, rs);
    show_services(ctx, rs);
}
