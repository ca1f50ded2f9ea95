/*
 * catalog.h: the AWS services a lab offers through PrivateLink.
 *
 * AWS lists its own services in DescribeVpcEndpointServices
 * ("com.amazonaws.us-east-1.s3", owner "amazon"): S3 as a gateway and an
 * interface service, DynamoDB as a gateway service, and many interface
 * services (ec2, sts, kms, sqs, ...), with the AWS-managed prefix lists of
 * the gateway services.  plinkd creates those rows when it finds them
 * missing.  Which addresses a gateway service's prefix list holds (where
 * the lab's S3-like service lives) is configuration:
 * PrivateLink_Global:options:catalog_<svc>_cidrs overrides the defaults.
 */
#ifndef CATALOG_H
#define CATALOG_H 1

#include <stdbool.h>

struct ovsdb_idl;
struct ovsdb_idl_txn;
struct plrec_endpoint_service;

bool catalog_needs_seed(struct ovsdb_idl *);
void catalog_seed(struct ovsdb_idl *, struct ovsdb_idl_txn *,
                  const char *region);
bool catalog_is_aws(const struct plrec_endpoint_service *);

/* The owner AWS reports for its own services. */
#define CATALOG_OWNER "amazon"

#endif /* catalog.h */
