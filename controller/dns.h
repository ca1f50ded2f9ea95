/* SPDX-License-Identifier: Apache-2.0 */

#ifndef PLINK_DNS_H
#define PLINK_DNS_H 1

/* dns: the VPC DNS resolver, at the base address + 2 of every VPC with
 * enable_dns_support (pipeline.h, "The VPC resolver").
 *
 * Two halves, like the health checks (health.h, pinctrl.h):
 *
 *   - The main thread (dns.c, dns_run()) turns the PrivateLink database
 *     into a table of names per VPC tunnel key and hands it to the pinctrl
 *     thread under a mutex, each time the IDL's seqno changes: so a change
 *     in the database changes the answers at once.  The names:
 *
 *       the regional name of every interface endpoint (its dns_entries
 *       "<vpce-id>-<suffix>.<service base name>") -> the addresses of all
 *       its ENIs;
 *
 *       each zonal name ("<vpce-id>-<suffix>-<az>.<base>") -> the address
 *       of its ENI in that availability zone;
 *
 *       with private_dns_enabled on the endpoint and both enable_dns_support
 *       and enable_dns_hostnames on its VPC, the service's private DNS name
 *       while its private_dns_state is "verified" (AWS services are born
 *       verified; a provider's name must prove ownership first) -> the
 *       addresses of all the endpoint's ENIs.  A wildcard "*.example.com"
 *       answers any name of one or more labels under example.com, as a
 *       Route 53 wildcard does; an exact name wins over a wildcard, a
 *       longer wildcard over a shorter one.
 *
 *     Only endpoints that are pending or available count, and only in
 *     their own VPC.  Names compare case-insensitively.
 *
 *   - The pinctrl thread (dns-pinctrl.c) gets each query as a packet-in
 *     (PINCTRL_OP_DNS) and answers it with a packet-out to the instance's
 *     port: a known name gets NOERROR with its A records (TTL 60, RA on,
 *     AA off, RD copied) or, for AAAA and every other type, no record at
 *     all; any other name goes to the upstream resolvers
 *     (PrivateLink_Global options:dns_upstream) from a UDP socket of the
 *     controller, with a query id of ours, and the upstream's answer goes
 *     back to the instance with the instance's id.  No upstream, or no
 *     answer within DNS_UPSTREAM_TIMEOUT_MS: SERVFAIL. */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "openvswitch/types.h"

struct ofputil_packet_in;
struct ovsdb_idl;
struct rconn;
struct sockaddr_storage;

enum {
    DNS_PORT = 53,                     /* The resolver's UDP port. */
    DNS_TTL = 60,                      /* TTL of the records we answer. */
    DNS_UPSTREAM_TIMEOUT_MS = 2000,    /* Wait for an upstream answer. */
};

/* Main thread. */
struct ds;
void dns_run(struct ovsdb_idl *pl_idl);
void dns_format_status(struct ds *);
void dns_destroy(void);

/* The pinctrl thread: the table the main thread published. */
size_t dns_lookup(uint32_t vpc_key, const char *name, ovs_be32 **ips,
                  bool *found);
size_t dns_get_upstreams(struct sockaddr_storage **);

/* The pinctrl thread: queries and answers (dns-pinctrl.c). */
void dns_pinctrl_handle(struct rconn *swconn,
                        const struct ofputil_packet_in *);
void dns_pinctrl_run(struct rconn *swconn);
void dns_pinctrl_wait(void);
void dns_pinctrl_destroy(void);

#endif /* controller/dns.h */
