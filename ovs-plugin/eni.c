/*
 * eni.c: network interface allocation (see eni.h).
 */
#include <config.h>
#include "eni.h"

#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>

#include "cidr.h"
#include "lib/plink-idl.h"
#include "op-util.h"
#include "ops.h"
#include "packets.h"
#include "plink-id.h"
#include "sset.h"
#include "util.h"

/* Network_Interface by subnet, so that allocating an address looks at the
 * subnet's ENIs only, not at every ENI of the region. */
static struct ovsdb_idl_index *eni_by_subnet;

/* Creates the index this module reads in 'idl' (at start-up). */
void
eni_init(struct ovsdb_idl *idl)
{
    eni_by_subnet = ovsdb_idl_index_create1(
        idl, &plrec_network_interface_col_subnet);
}

/* Adds to 'used' the addresses of the ENIs in 'subnet'. */
static void
eni_used_ips(const struct plrec_subnet *subnet, struct sset *used,
             struct ovsdb_idl *idl OVS_UNUSED)
{
    struct plrec_network_interface *key
        = plrec_network_interface_index_init_row(eni_by_subnet);
    const struct plrec_network_interface *eni;

    plrec_network_interface_index_set_subnet(key, subnet);
    PLREC_NETWORK_INTERFACE_FOR_EACH_EQUAL (eni, key, eni_by_subnet) {
        sset_add(used, eni->private_ip_address);
    }
    plrec_network_interface_index_destroy_row(key);
}

/* Returns the number of network interfaces in 'subnet'. */
unsigned int
eni_count_in_subnet(struct ovsdb_idl *idl, const struct plrec_subnet *subnet)
{
    struct sset used = SSET_INITIALIZER(&used);
    unsigned int n;

    eni_used_ips(subnet, &used, idl);
    n = sset_count(&used);
    sset_destroy(&used);
    return n;
}

/* Returns true if an ENI of 'subnet' has address 'ip'. */
bool
eni_ip_in_use(struct ovsdb_idl *idl, const struct plrec_subnet *subnet,
              const char *ip)
{
    struct sset used = SSET_INITIALIZER(&used);
    eni_used_ips(subnet, &used, idl);
    bool in_use = sset_contains(&used, ip);
    sset_destroy(&used);
    return in_use;
}

/* Chooses the address of a new ENI in 'subnet': 'wanted' if it is free
 * and usable, otherwise the lowest free usable address.  Returns NULL and
 * fails 'ctx' if there is none. */
static char *
eni_choose_ip(struct op_ctx *ctx, const struct plrec_subnet *subnet,
              const char *wanted)
{
    struct cidr4 cidr;
    char *error = cidr4_parse(subnet->cidr_block, &cidr);
    if (error) {
        free(error);
        op_error(ctx, "InternalError", "subnet %s has a bad CIDR",
                 subnet->subnet_id);
        return NULL;
    }

    struct sset used = SSET_INITIALIZER(&used);
    eni_used_ips(subnet, &used, ctx->idl);
    char *ip = NULL;
    if (wanted) {
        ovs_be32 addr;
        if (!ip_parse(wanted, &addr) || !cidr4_contains_ip(&cidr, addr)
            || cidr4_is_reserved(&cidr, addr)) {
            op_error(ctx, "InvalidParameterValue", "Address %s does not fall "
                     "within the subnet's address range or is reserved",
                     wanted);
        } else if (sset_contains(&used, wanted)) {
            op_error(ctx, "InvalidIPAddress.InUse", "The specified address "
                     "%s is already in use.", wanted);
        } else {
            ip = xstrdup(wanted);
        }
    } else {
        uint64_t size = cidr4_size(&cidr);
        for (uint64_t i = 0; i < size && !ip; i++) {
            ovs_be32 addr = cidr4_host(&cidr, i);
            char buf[INET_ADDRSTRLEN];
            inet_ntop(AF_INET, &addr, buf, sizeof buf);
            if (!cidr4_is_reserved(&cidr, addr) && !sset_contains(&used, buf)) {
                ip = xstrdup(buf);
            }
        }
        if (!ip) {
            op_error(ctx, "InsufficientFreeAddressesInSubnet", "There are "
                     "not enough free addresses in subnet '%s' to satisfy "
                     "the requested number of instances.", subnet->subnet_id);
        }
    }
    sset_destroy(&used);
    return ip;
}

/* Returns a random locally administered unicast MAC address. */
static char *
eni_random_mac(void)
{
    uint8_t b[6];
    plink_id_random_bytes(b, sizeof b);
    b[0] = (b[0] & 0xfc) | 0x02;
    return xasprintf("%02x:%02x:%02x:%02x:%02x:%02x",
                     b[0], b[1], b[2], b[3], b[4], b[5]);
}

/* Inserts a new ENI as 'spec' says into the call's transaction.  Returns
 * NULL, with 'ctx' failed, if the subnet has no address for it. */
const struct plrec_network_interface *
eni_create(struct op_ctx *ctx, const struct eni_spec *spec)
{
    char *ip = eni_choose_ip(ctx, spec->subnet, spec->private_ip);
    if (!ip) {
        return NULL;
    }
    char *id = plink_id_new("eni");
    char *mac = eni_random_mac();
    const struct plrec_network_interface *eni
        = plrec_network_interface_insert(op_txn(ctx));
    plrec_network_interface_set_network_interface_id(eni, id);
    plrec_network_interface_set_subnet(eni, spec->subnet);
    plrec_network_interface_set_owner_id(eni, spec->owner_id);
    plrec_network_interface_set_mac_address(eni, mac);
    plrec_network_interface_set_private_ip_address(eni, ip);
    plrec_network_interface_set_security_groups(eni, spec->groups,
                                                spec->n_groups);
    plrec_network_interface_set_description(eni, spec->description
                                            ? spec->description : "");
    plrec_network_interface_set_interface_type(eni, spec->interface_type);
    plrec_network_interface_set_requester_managed(eni,
                                                  spec->requester_managed);
    if (spec->requester_id) {
        plrec_network_interface_set_requester_id(eni, spec->requester_id);
    }
    plrec_network_interface_set_source_dest_check(eni, true);
    plrec_network_interface_set_status(eni, spec->requester_managed
                                       ? "in-use" : "available");
    free(ip);
    free(id);
    free(mac);
    return eni;
}

/* Deletes 'eni' in the call's transaction. */
void
eni_delete(struct op_ctx *ctx, const struct plrec_network_interface *eni)
{
    op_txn(ctx);
    plrec_network_interface_delete(eni);
}
