/* SPDX-License-Identifier: Apache-2.0 */

#ifndef PLINK_AWS_SERVICE_H
#define PLINK_AWS_SERVICE_H 1

/* AWS service ports: where the region's gateway services run.
 *
 * AWS's gateway services (S3, DynamoDB) live in no VPC.  In a lab, each
 * runs in a network namespace plugged into br-int of one chassis by a port
 * whose interface has
 *
 *   external_ids:plink-aws-service  the service's short name, the last
 *                                   label of its name ("s3" for
 *                                   com.amazonaws.us-east-1.s3);
 *   external_ids:attached-mac       the MAC of the namespace's side.
 *
 * The namespace has the address Endpoint_Service:backend:ip (/32) and an
 * on-link default route: the pipeline answers every ARP request from the
 * port with the region network's router MAC (pipeline.h, "Gateway
 * endpoints and the region network").
 *
 * The chassis claims the service as it claims an ENI: it writes its own
 * name into the Endpoint_Service row's backend:chassis, and removes it
 * when the port goes, so that every chassis knows where to send gateway
 * endpoint traffic.
 *
 * Internet gateway stand-ins work the same way: a port whose interface
 * has external_ids:plink-igw=<igw-id> (and attached-mac) is "the
 * internet" behind that internet gateway: its namespace has public-looking
 * addresses and an on-link default route, and reaches the instances of
 * the gateway's VPC by their private addresses (no NAT: a stand-in).  The
 * chassis lists the stand-ins it has in its Chassis row's
 * other_config:plink-igws, so that the others know where to send traffic
 * routed to the gateway. */

#include <stdbool.h>
#include "openvswitch/shash.h"
#include "openvswitch/types.h"
#include "packets.h"

struct ovsdb_idl;
struct ovsdb_idl_txn;
struct ovsrec_bridge;
struct plrec_chassis;
struct plrec_endpoint_service;

/* One AWS service port of br-int. */
struct aws_service_port {
    ofp_port_t ofport;          /* Its OpenFlow port number. */
    struct eth_addr mac;        /* external_ids:attached-mac. */
};

void aws_service_register_ovs_idl(struct ovsdb_idl *);
void aws_service_local_ports(const struct ovsrec_bridge *br_int,
                             struct shash *ports);
void aws_service_run(struct ovsdb_idl_txn *, const struct ovsdb_idl *pl_idl,
                     const struct ovsrec_bridge *br_int,
                     const struct plrec_chassis *);
const char *aws_service_short_name(const struct plrec_endpoint_service *);
void aws_service_local_igws(const struct ovsrec_bridge *br_int,
                            struct shash *ports);
const struct plrec_chassis *aws_service_igw_chassis(
    const struct ovsdb_idl *pl_idl, const char *igw_id);

#endif /* controller/aws-service.h */
