/*
 * pl-service.h: endpoint services as the operations see them: who may see
 * and connect to a service, its DNS names, and its AWS shapes
 * (ServiceConfiguration for its owner, ServiceDetail for consumers).
 */
#ifndef PL_SERVICE_H
#define PL_SERVICE_H 1

#include <stdbool.h>
#include "privatelink.pb-c.h"

struct op_ctx;
struct ovsdb_idl;
struct plrec_endpoint_service;
struct plrec_vpc_endpoint;

const struct plrec_endpoint_service *svc_find_by_name(struct ovsdb_idl *,
                                                      const char *name);
bool svc_is_owner(const struct op_ctx *,
                  const struct plrec_endpoint_service *);
bool svc_may_connect(const struct op_ctx *,
                     const struct plrec_endpoint_service *);
bool svc_has_type(const struct plrec_endpoint_service *, const char *type);
bool svc_has_az(const struct plrec_endpoint_service *, const char *az);
const char *svc_dns_label(const struct plrec_endpoint_service *);
size_t svc_count_endpoints(struct ovsdb_idl *,
                           const struct plrec_endpoint_service *,
                           const char *const *states);
bool svc_private_dns_usable(const struct plrec_endpoint_service *);

Privatelink__V1__ServiceConfiguration *svc_to_configuration(
    const struct op_ctx *, const struct plrec_endpoint_service *);
Privatelink__V1__ServiceDetail *svc_to_detail(
    const struct op_ctx *, const struct plrec_endpoint_service *);

#endif /* pl-service.h */
