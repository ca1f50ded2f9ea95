/*
 * op-vpc-util.c: what the operations of the VPC substrate share (see
 * op-vpc-util.h).
 */
#include <config.h>
#include "op-vpc-util.h"
#include "eni.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cidr.h"
#include "lib/plink-idl.h"
#include "op-util.h"
#include "ops.h"
#include "ovsdb-idl-provider.h"
#include "packets.h"
#include "sset.h"
#include "util.h"

#define K(TABLE, PREFIX, MALFORMED, NOT_FOUND, MESSAGE)                  \
    const struct plrec_##TABLE *                                         \
    vpcu_get_##TABLE(struct op_ctx *ctx, const char *id)                 \
    {                                                                    \
        if (!op_check_id(ctx, id, PREFIX, MALFORMED)) {                  \
            return NULL;                                                 \
        }                                                                \
        const struct plrec_##TABLE *row = op_find_##TABLE(id);           \
        if (!row || !op_is_owner(ctx, row->owner_id)) {                  \
            op_error(ctx, NOT_FOUND, MESSAGE, id);                       \
            return NULL;                                                 \
        }                                                                \
        return row;                                                      \
    }                                                                    \
                                                                         \
    bool                                                                 \
    vpcu_check_##TABLE##_ids(struct op_ctx *ctx, char **ids, size_t n)   \
    {                                                                    \
        for (size_t i = 0; i < n; i++) {                                 \
            if (!vpcu_get_##TABLE(ctx, ids[i])) {                        \
                return false;                                            \
            }                                                            \
        }                                                                \
        return true;                                                     \
    }
VPCU_KINDS
#undef K

/* Returns true if the caller may see prefix list 'pl': the AWS-managed
 * lists and its own. */
bool
vpcu_prefix_list_visible(const struct op_ctx *ctx,
                         const struct plrec_prefix_list *pl)
{
    return !strcmp(pl->owner_id, "AWS") || op_is_owner(ctx, pl->owner_id);
}

/* Returns the prefix list 'id' if the caller may see it; otherwise fails
 * 'ctx' and returns NULL. */
const struct plrec_prefix_list *
vpcu_get_prefix_list(struct op_ctx *ctx, const char *id)
{
    if (!op_check_id(ctx, id, "pl", "InvalidPrefixListId.Malformed")) {
        return NULL;
    }
    const struct plrec_prefix_list *pl = op_find_prefix_list(id);
    if (!pl || !vpcu_prefix_list_visible(ctx, pl)) {
        op_error(ctx, "InvalidPrefixListID.NotFound",
                 "The prefix list ID '%s' does not exist", id);
        return NULL;
    }
    return pl;
}

/* Returns the caller's default VPC.  Security group names (GroupName
 * parameters) refer to groups of the default VPC only; without one, AWS
 * fails such calls with VPCIdNotSpecified, and so does this function. */
const struct plrec_vpc *
vpcu_require_default_vpc(struct op_ctx *ctx)
{
    const struct plrec_vpc *vpc;
    PLREC_VPC_FOR_EACH (vpc, ctx->idl) {
        if (vpc->is_default && op_is_owner(ctx, vpc->owner_id)) {
            return vpc;
        }
    }
    op_error(ctx, "VPCIdNotSpecified", "No default VPC for this user. "
             "GroupName is only supported for EC2-Classic and default "
             "VPC.");
    return NULL;
}

/* Returns true if 'n' is 0 (no id list) or 'id' is one of 'ids'. */
bool
vpcu_in_ids(char **ids, size_t n, const char *id)
{
    return !n || op_in_list(ids, n, id);
}

/* Parses 's', an IPv4 CIDR block "a.b.c.d/n", into '*cidr' with the
 * address bits beyond the prefix cleared, as EC2 canonicalizes blocks
 * ("100.68.0.18/18" becomes 100.68.0.0/18).  Returns NULL if successful,
 * otherwise a malloc'd message. */
char *
vpcu_cidr_parse(const char *s, struct cidr4 *cidr)
{
    const char *slash = s ? strchr(s, '/') : NULL;
    char *error = NULL;

    if (!slash || slash - s > 15 || !slash[1] || strlen(slash + 1) > 2
        || strspn(slash + 1, "0123456789") != strlen(slash + 1)) {
        return xasprintf("The CIDR '%s' is invalid.", s ? s : "");
    }

    char *addr_s = xmemdup0(s, slash - s);
    ovs_be32 addr;
    unsigned int plen = atoi(slash + 1);
    if (!ip_parse(addr_s, &addr) || plen > 32
        || (slash[1] == '0' && slash[2])) {
        error = xasprintf("The CIDR '%s' is invalid.", s);
    } else {
        cidr->addr = addr & cidr4_mask(plen);
        cidr->plen = plen;
    }
    free(addr_s);
    return error;
}

/* Parses parameter 'param', whose value is 's', as an IPv4 CIDR block
 * into '*cidr'; fails 'ctx' with InvalidParameterValue if it is not
 * one. */
bool
vpcu_cidr_param(struct op_ctx *ctx, const char *s, const char *param,
                struct cidr4 *cidr)
{
    char *error = vpcu_cidr_parse(s, cidr);
    if (error) {
        free(error);
        op_error(ctx, "InvalidParameterValue", "Value (%s) for parameter "
                 "%s is invalid. This is not a valid CIDR block.", s, param);
        return false;
    }
    return true;
}

/* Returns the canonical form of IP protocol 'protocol' as EC2 stores it
 * in security group rules: "tcp", "udp", "icmp" and "icmpv6" for those
 * protocols whether named (in any case) or numbered, "-1" for all
 * protocols ("-1" or "all"), otherwise the protocol number 0 to 255 in
 * decimal.  Returns NULL if 'protocol' is none of these.  The caller
 * must free the result. */
char *
vpcu_protocol_normalize(const char *protocol)
{
    static const struct {
        const char *name;
        int number;
    } names[] = {
        { "tcp", 6 }, { "udp", 17 }, { "icmp", 1 }, { "icmpv6", 58 },
        { "-1", -1 }, { "all", -1 },
    };

    if (!protocol || !*protocol) {
        return NULL;
    }

    int number;
    if (strspn(protocol, "0123456789") == strlen(protocol)) {
        if (strlen(protocol) > 3 || (protocol[0] == '0' && protocol[1])) {
            return NULL;
        }
        number = atoi(protocol);
        if (number > 255) {
            return NULL;
        }
    } else {
        size_t i;
        for (i = 0; i < ARRAY_SIZE(names); i++) {
            if (!strcasecmp(names[i].name, protocol)) {
                break;
            }
        }
        if (i == ARRAY_SIZE(names)) {
            return NULL;
        }
        number = names[i].number;
    }

    for (size_t i = 0; i < ARRAY_SIZE(names); i++) {
        if (names[i].number == number) {
            return xstrdup(names[i].name);
        }
    }
    return xasprintf("%d", number);
}

/* Returns true if rules for canonical protocol 'protocol' have a port
 * range (TCP, UDP) or an ICMP type and code (ICMP, ICMPv6). */
bool
vpcu_protocol_has_ports(const char *protocol)
{
    return (!strcmp(protocol, "tcp") || !strcmp(protocol, "udp")
            || !strcmp(protocol, "icmp") || !strcmp(protocol, "icmpv6"));
}

/* Returns the region that the deployment whose global row is 'global'
 * (may be NULL) serves. */
static const char *
vpcu_global_region(const struct plrec_privatelink_global *global)
{
    return (global && global->region && *global->region
            ? global->region : "us-east-1");
}

/* Returns the region the deployment serves. */
const char *
vpcu_region(const struct op_ctx *ctx)
{
    return vpcu_global_region(ctx->global);
}

/* Returns the region of the deployment that 'idl' holds, for code that
 * has a row but no call context (filters). */
const char *
vpcu_idl_region(struct ovsdb_idl *idl)
{
    return vpcu_global_region(plrec_privatelink_global_first(idl));
}

/* Returns the private DNS name EC2 gives address 'ip' in 'region':
 * "ip-10-0-1-5.ec2.internal" in us-east-1,
 * "ip-10-0-1-5.REGION.compute.internal" elsewhere. */
char *
vpcu_private_dns_name(const char *region, const char *ip)
{
    char *host = xasprintf("ip-%s", ip);

    for (char *p = host; *p; p++) {
        if (*p == '.') {
            *p = '-';
        }
    }

    char *name = (!strcmp(region, "us-east-1")
                  ? xasprintf("%s.ec2.internal", host)
                  : xasprintf("%s.%s.compute.internal", host, region));
    free(host);
    return name;
}

/* Returns the IDL that 'row' belongs to, for filter functions, which are
 * given only the row. */
struct ovsdb_idl *
vpcu_row_idl(const struct ovsdb_idl_row *row)
{
    return row->table->idl;
}

/* Adds 'b' to 'values' as a filter sees it: "true" or "false". */
void
vpcu_add_bool(struct sset *values, bool b)
{
    sset_add(values, b ? "true" : "false");
}

/* Adds 'n' to 'values' in decimal. */
void
vpcu_add_int(struct sset *values, long long int n)
{
    sset_add_and_free(values, xasprintf("%lld", n));
}

/* Returns true if endpoint 'ep' still exists for AWS: every state but
 * "deleted", in which the row only lingers for DescribeVpcEndpoints. */
bool
vpcu_endpoint_live(const struct plrec_vpc_endpoint *ep)
{
    return strcmp(ep->state, "deleted");
}

/* Returns the number of network interfaces in 'subnet', of every kind
 * (requester-managed ones included). */
unsigned int
vpcu_subnet_eni_count(struct ovsdb_idl *idl, const struct plrec_subnet *subnet)
{
    return eni_count_in_subnet(idl, subnet);
}
