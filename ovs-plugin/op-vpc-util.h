/*
 * op-vpc-util.h: what the operations of the VPC substrate share.
 *
 * The VPC operations (op-vpc.c, op-igw.c, op-subnet.c, op-rtb.c,
 * op-route.c, op-sg.c, op-sg-rule.c, op-eni.c, op-tags.c, op-prefix.c)
 * look rows up by id with AWS's error codes, parse CIDR blocks and IP
 * protocols as EC2 does, name things (the region, private DNS names),
 * and create or check rows of one another's kinds: a new VPC gets its
 * main route table and its default security group in the same
 * transaction, deletes refuse while something depends on the row, and
 * routes turn to "blackhole" when their target goes away.  Those shared
 * pieces are declared here.
 *
 * Visibility: a caller sees only the rows its account owns.  The lookup
 * functions below answer another account's id exactly as an unknown one,
 * with the kind's ".NotFound" code, as AWS does.
 */
#ifndef OP_VPC_UTIL_H
#define OP_VPC_UTIL_H 1

#include <stdbool.h>
#include <stddef.h>
#include "compiler.h"

struct cidr4;
struct op_ctx;
struct ovsdb_idl;
struct ovsdb_idl_row;
struct plrec_internet_gateway;
struct plrec_network_interface;
struct plrec_prefix_list;
struct plrec_route_entry;
struct plrec_route_table;
struct plrec_security_group;
struct plrec_security_group_rule;
struct plrec_subnet;
struct plrec_vpc;
struct plrec_vpc_endpoint;
struct smap;
struct sset;

/* The kinds of rows looked up by id, with AWS's codes for a malformed
 * and an unknown id: K(table, id prefix, malformed code, not found code,
 * not found message).  The message takes the id. */
#define VPCU_KINDS                                                      \
    K(vpc, "vpc", "InvalidVpcID.Malformed", "InvalidVpcID.NotFound",    \
      "The vpc ID '%s' does not exist")                                 \
    K(subnet, "subnet", "InvalidSubnetID.Malformed",                    \
      "InvalidSubnetID.NotFound", "The subnet ID '%s' does not exist")  \
    K(route_table, "rtb", "InvalidRouteTableId.Malformed",              \
      "InvalidRouteTableID.NotFound",                                   \
      "The routeTable ID '%s' does not exist")                          \
    K(security_group, "sg", "InvalidGroupId.Malformed",                 \
      "InvalidGroup.NotFound", "The security group '%s' does not exist") \
    K(network_interface, "eni", "InvalidNetworkInterfaceId.Malformed",  \
      "InvalidNetworkInterfaceID.NotFound",                             \
      "The networkInterface ID '%s' does not exist")                    \
    K(internet_gateway, "igw", "InvalidInternetGatewayId.Malformed",    \
      "InvalidInternetGatewayID.NotFound",                              \
      "The internetGateway ID '%s' does not exist")                     \
    K(vpc_endpoint, "vpce", "InvalidVpcEndpointId.Malformed",           \
      "InvalidVpcEndpointId.NotFound",                                  \
      "The Vpc Endpoint Id '%s' does not exist")

/* vpcu_get_<kind>(ctx, id): the caller's row with 'id', or NULL with
 * 'ctx' failed (Malformed or NotFound).
 * vpcu_check_<kind>_ids(ctx, ids, n): true if every one of 'ids' names
 * one of the caller's rows, as the explicit id list of a Describe call
 * must; otherwise fails 'ctx'. */
#define K(TABLE, PREFIX, MALFORMED, NOT_FOUND, MESSAGE)                  \
    const struct plrec_##TABLE *vpcu_get_##TABLE(struct op_ctx *,        \
                                                 const char *id);        \
    bool vpcu_check_##TABLE##_ids(struct op_ctx *, char **ids, size_t n);
VPCU_KINDS
#undef K

const struct plrec_prefix_list *vpcu_get_prefix_list(struct op_ctx *,
                                                     const char *id);
bool vpcu_prefix_list_visible(const struct op_ctx *,
                              const struct plrec_prefix_list *);
const struct plrec_vpc *vpcu_require_default_vpc(struct op_ctx *);
bool vpcu_in_ids(char **ids, size_t n, const char *id);

/* Parsing, as EC2 does it. */
char *vpcu_cidr_parse(const char *, struct cidr4 *) OVS_WARN_UNUSED_RESULT;
bool vpcu_cidr_param(struct op_ctx *, const char *s, const char *param,
                     struct cidr4 *);
char *vpcu_protocol_normalize(const char *protocol);
bool vpcu_protocol_has_ports(const char *protocol);

/* Names. */
const char *vpcu_region(const struct op_ctx *);
const char *vpcu_idl_region(struct ovsdb_idl *);
char *vpcu_private_dns_name(const char *region, const char *ip);

/* Filters: helpers for filter_values_func implementations. */
struct ovsdb_idl *vpcu_row_idl(const struct ovsdb_idl_row *);
void vpcu_add_bool(struct sset *, bool);
void vpcu_add_int(struct sset *, long long int);

/* Rows of one kind that the operations of another create or check. */
bool vpcu_endpoint_live(const struct plrec_vpc_endpoint *);
unsigned int vpcu_subnet_eni_count(struct ovsdb_idl *,
                                   const struct plrec_subnet *);
const struct plrec_route_table *vpcu_route_table_create(
    struct op_ctx *, const struct plrec_vpc *, bool main,
    const struct smap *tags);
const struct plrec_security_group *vpcu_security_group_create(
    struct op_ctx *, const struct plrec_vpc *, const char *name,
    const char *description, const struct smap *tags);
const struct plrec_security_group *vpcu_get_security_group_by(
    struct op_ctx *, const char *id, const char *name);
const struct plrec_security_group *vpcu_default_security_group(
    struct ovsdb_idl *, const struct plrec_vpc *);

/* A security group rule, as the operations parse, compare and insert
 * them (one peer each). */
struct vpcu_sg_rule {
    bool egress;                /* Egress (true) or ingress rule. */
    char *protocol;             /* As vpcu_protocol_normalize() gives it. */
    int from_port;              /* First port or ICMP type, or -1. */
    int to_port;                /* Last port or ICMP code, or -1. */
    char *cidr;                 /* Canonical CIDR block peer, or NULL. */
    const struct plrec_security_group *group;    /* Group peer, or NULL. */
    const struct plrec_prefix_list *prefix_list; /* List peer, or NULL. */
    char *description;          /* Description, or NULL. */
};

const struct plrec_security_group_rule *vpcu_sg_rule_insert(
    struct op_ctx *, const struct vpcu_sg_rule *);
void vpcu_routes_set_gateway_state(struct op_ctx *, const struct plrec_vpc *,
                                   const char *gateway_id, bool active);
void vpcu_routes_set_eni_blackhole(struct op_ctx *,
                                   const struct plrec_network_interface *);
bool vpcu_route_is_active(const struct plrec_route_entry *,
                          const struct plrec_route_table *);
bool vpcu_route_is_endpoint_managed(const struct plrec_route_entry *);

#endif /* op-vpc-util.h */
