/*
 * eni.h: creating and deleting network interfaces (ENIs) inside an
 * operation's transaction.
 *
 * Instances' ENIs (CreateNetworkInterface), the requester-managed ENIs of
 * interface and GWLB endpoints and the ENIs of load balancers all come
 * from here, so that addresses and MACs are allocated in one place: the
 * lowest free address of the subnet that AWS does not reserve (the first
 * four and the last), and a random locally administered MAC.
 */
#ifndef ENI_H
#define ENI_H 1

#include <stdbool.h>
#include <stddef.h>

struct op_ctx;
struct ovsdb_idl;
struct plrec_network_interface;
struct plrec_security_group;
struct plrec_subnet;

/* What a new ENI should be. */
struct eni_spec {
    const struct plrec_subnet *subnet;  /* Its subnet. */
    const char *owner_id;               /* Owning account. */
    const char *interface_type;         /* "interface", "vpc_endpoint", ... */
    const char *description;            /* Description, may be NULL. */
    const char *private_ip;             /* Address asked for, or NULL. */
    bool requester_managed;             /* Managed by a service. */
    const char *requester_id;           /* Who manages it, or NULL. */
    struct plrec_security_group **groups; /* Security groups. */
    size_t n_groups;                    /* Number of 'groups'. */
};

void eni_init(struct ovsdb_idl *);
unsigned int eni_count_in_subnet(struct ovsdb_idl *,
                                 const struct plrec_subnet *);
const struct plrec_network_interface *eni_create(struct op_ctx *,
                                                 const struct eni_spec *);
void eni_delete(struct op_ctx *, const struct plrec_network_interface *);
bool eni_ip_in_use(struct ovsdb_idl *, const struct plrec_subnet *,
                   const char *ip);

#endif /* eni.h */
