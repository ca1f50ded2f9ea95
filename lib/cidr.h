/*
 * Copyright (c) 2026 OVS PrivateLink authors.
 *
 * Licensed under the Apache License, Version 2.0 (the "License");
 * you may not use this file except in compliance with the License.
 * You may obtain a copy of the License at:
 *
 *     http://www.apache.org/licenses/LICENSE-2.0
 *
 * Unless required by applicable law or agreed to in writing, software
 * distributed under the License is distributed on an "AS IS" BASIS,
 * WITHOUT WARRANTIES OR CONDITIONS OF ANY KIND, either express or implied.
 * See the License for the specific language governing permissions and
 * limitations under the License.
 */

#ifndef CIDR_H
#define CIDR_H 1

/* IPv4 CIDR blocks, as VPCs, subnets and routes use them.
 *
 * plinkd validates every CidrBlock it is given with cidr4_parse(), checks
 * that subnets fit in their VPC and do not overlap one another, and hands
 * out interface addresses.  AWS reserves five addresses in every subnet:
 * the network address, base + 1 (the VPC router, our gateway), base + 2
 * (the DNS resolver), base + 3 (reserved for future use) and the last
 * address, so a /28 has 11 usable addresses.
 *
 * Addresses are in network byte order, as everywhere in OVS. */

#include <stdbool.h>
#include <stdint.h>
#include "openvswitch/compiler.h"
#include "openvswitch/types.h"

struct ds;

/* An IPv4 CIDR block "addr/plen".  'addr' has no bits set beyond the first
 * 'plen'. */
struct cidr4 {
    ovs_be32 addr;              /* Network address. */
    unsigned int plen;          /* Prefix length, 0 to 32. */
};

/* Number of addresses AWS reserves at the start of every subnet. */
enum { CIDR4_RESERVED_HEAD = 4 };

char *cidr4_parse(const char *, struct cidr4 *) OVS_WARN_UNUSED_RESULT;
void cidr4_format(const struct cidr4 *, struct ds *);
char *cidr4_to_string(const struct cidr4 *);

ovs_be32 cidr4_mask(unsigned int plen);
bool cidr4_equals(const struct cidr4 *, const struct cidr4 *);
bool cidr4_contains(const struct cidr4 *outer, const struct cidr4 *inner);
bool cidr4_contains_ip(const struct cidr4 *, ovs_be32 ip);
bool cidr4_overlaps(const struct cidr4 *, const struct cidr4 *);

uint64_t cidr4_size(const struct cidr4 *);
ovs_be32 cidr4_host(const struct cidr4 *, uint32_t index);
ovs_be32 cidr4_last(const struct cidr4 *);

bool cidr4_is_reserved(const struct cidr4 *subnet, ovs_be32 ip);
uint32_t cidr4_usable_count(const struct cidr4 *);
ovs_be32 cidr4_gateway(const struct cidr4 *);
ovs_be32 cidr4_vpc_resolver(const struct cidr4 *vpc);

#endif /* cidr.h */
