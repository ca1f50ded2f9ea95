/*
 * pl-endpoint.h: VPC endpoints as the operations see them: their AWS
 * shapes, their DNS names, their state changes and the connection events
 * those raise, and what deleting one takes with it.
 */
#ifndef PL_ENDPOINT_H
#define PL_ENDPOINT_H 1

#include <stdbool.h>
#include "privatelink.pb-c.h"

struct op_ctx;
struct plrec_endpoint_service;
struct plrec_vpc_endpoint;
struct smap;

/* The hosted zone of the regional and zonal endpoint names, and the one
 * AWS reports for private DNS names (a private hosted zone per VPC). */
#define EPT_VPCE_ZONE "Z7HUB22UULQXV"
#define EPT_PRIVATE_ZONE "ZPLINKPRIVATEDNS"

Privatelink__V1__VpcEndpoint *ept_to_msg(const struct op_ctx *,
                                         const struct plrec_vpc_endpoint *);
Privatelink__V1__VpcEndpointConnection *ept_to_connection(
    const struct op_ctx *, const struct plrec_vpc_endpoint *);
void ept_dns_entries_to_msg(const struct plrec_vpc_endpoint *,
                            Privatelink__V1__DnsEntry ***, size_t *);
void ept_compute_dns_entries(const struct op_ctx *, const char *ept_id,
                             const char *suffix,
                             const struct plrec_endpoint_service *,
                             const char **azs, size_t n_azs,
                             bool private_dns, struct smap *entries);

void ept_set_state(struct op_ctx *, const struct plrec_vpc_endpoint *,
                   const char *state);
void ept_notify(struct op_ctx *, const struct plrec_vpc_endpoint *,
                const struct plrec_endpoint_service *, const char *event,
                const char *state);
void ept_delete(struct op_ctx *, const struct plrec_vpc_endpoint *);
bool ept_counts_toward_quota(const struct plrec_vpc_endpoint *);

#endif /* pl-endpoint.h */
