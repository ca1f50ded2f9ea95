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

/* IPv4 CIDR arithmetic: see cidr.h.  Everything here works on host-order
 * copies of the addresses internally and returns network order. */

#include <config.h>
#include "cidr.h"

#include <ctype.h>
#include <string.h>

#include "openvswitch/dynamic-string.h"
#include "packets.h"
#include "util.h"

/* Parses a decimal number of at most 'max_digits' digits, without leading
 * zeros, at '*sp' into '*valuep' and advances '*sp' past it.  Returns true
 * if successful. */
static bool
cidr4_parse_number(const char **sp, int max_digits, unsigned int *valuep)
{
    const char *s = *sp;
    unsigned int value = 0;
    int n = 0;

    while (isdigit((unsigned char) s[n])) {
        if (n >= max_digits) {
            return false;
        }
        value = value * 10 + (s[n] - '0');
        n++;
    }
    if (!n || (n > 1 && s[0] == '0')) {
        return false;
    }
    *sp = s + n;
    *valuep = value;
    return true;
}

/* Parses 's', which must be exactly of the form "a.b.c.d/n" with each of
 * a, b, c, d in 0...255 and n in 0...32 (decimal, no leading zeros, no
 * white space), and with no address bits set beyond the first n, into
 * '*cidr'.  Returns NULL if successful, otherwise a malloc'd error message
 * in AWS's words ("The CIDR '10.0.0.1/16' is invalid.") and sets '*cidr'
 * to 0.0.0.0/0. */
char *
cidr4_parse(const char *s, struct cidr4 *cidr)
{
    const char *p = s;
    uint32_t addr = 0;
    unsigned int plen;

    cidr->addr = htonl(0);
    cidr->plen = 0;

    for (int i = 0; i < 4; i++) {
        unsigned int octet;

        if (!cidr4_parse_number(&p, 3, &octet) || octet > 255
            || *p++ != (i < 3 ? '.' : '/')) {
            goto error;
        }
        addr = (addr << 8) | octet;
    }
    if (!cidr4_parse_number(&p, 2, &plen) || plen > 32 || *p
        || addr & ~ntohl(cidr4_mask(plen))) {
        goto error;
    }

    cidr->addr = htonl(addr);
    cidr->plen = plen;
    return NULL;

error:
    return xasprintf("The CIDR '%s' is invalid.", s);
}

/* Appends 'cidr' to 'ds' as "a.b.c.d/n". */
void
cidr4_format(const struct cidr4 *cidr, struct ds *ds)
{
    ds_put_format(ds, IP_FMT "/%u", IP_ARGS(cidr->addr), cidr->plen);
}

/* Returns 'cidr' as a malloc'd "a.b.c.d/n" string. */
char *
cidr4_to_string(const struct cidr4 *cidr)
{
    struct ds ds = DS_EMPTY_INITIALIZER;

    cidr4_format(cidr, &ds);
    return ds_steal_cstr(&ds);
}

/* Returns the netmask for prefix length 'plen' (0...32; larger values are
 * treated as 32), e.g. 255.255.0.0 for 16. */
ovs_be32
cidr4_mask(unsigned int plen)
{
    return (!plen ? htonl(0)
            : plen >= 32 ? htonl(UINT32_MAX)
            : htonl(UINT32_MAX << (32 - plen)));
}

/* Returns true if 'a' and 'b' are the same block. */
bool
cidr4_equals(const struct cidr4 *a, const struct cidr4 *b)
{
    return a->addr == b->addr && a->plen == b->plen;
}

/* Returns true if every address in 'inner' is also in 'outer' (which
 * includes the case where they are equal). */
bool
cidr4_contains(const struct cidr4 *outer, const struct cidr4 *inner)
{
    return (outer->plen <= inner->plen
            && cidr4_contains_ip(outer, inner->addr));
}

/* Returns true if 'ip' is within 'cidr'. */
bool
cidr4_contains_ip(const struct cidr4 *cidr, ovs_be32 ip)
{
    ovs_be32 mask = cidr4_mask(cidr->plen);
    return !((ip ^ cidr->addr) & mask);
}

/* Returns true if 'a' and 'b' have at least one address in common, that
 * is, if one of them contains the other. */
bool
cidr4_overlaps(const struct cidr4 *a, const struct cidr4 *b)
{
    ovs_be32 mask = cidr4_mask(MIN(a->plen, b->plen));
    return !((a->addr ^ b->addr) & mask);
}

/* Returns the number of addresses in 'cidr', from 1 for a /32 to 2**32 for
 * a /0. */
uint64_t
cidr4_size(const struct cidr4 *cidr)
{
    return UINT64_C(1) << (32 - MIN(cidr->plen, 32));
}

/* Returns the address 'index' places after the network address of 'cidr'.
 * 'index' should be less than cidr4_size(cidr); larger values wrap
 * around. */
ovs_be32
cidr4_host(const struct cidr4 *cidr, uint32_t index)
{
    return htonl(ntohl(cidr->addr) + index);
}

/* Returns the last address of 'cidr' (its broadcast address). */
ovs_be32
cidr4_last(const struct cidr4 *cidr)
{
    return cidr->addr | ~cidr4_mask(cidr->plen);
}

/* Returns true if 'ip' is one of the addresses AWS reserves in 'subnet':
 * the first CIDR4_RESERVED_HEAD addresses and the last one.  Returns false
 * if 'ip' is not in 'subnet' at all.  In subnets too small to have usable
 * addresses (/30 and longer), every address is reserved. */
bool
cidr4_is_reserved(const struct cidr4 *subnet, ovs_be32 ip)
{
    if (!cidr4_contains_ip(subnet, ip)) {
        return false;
    }

    uint32_t offset = ntohl(ip) - ntohl(subnet->addr);
    return offset < CIDR4_RESERVED_HEAD || ip == cidr4_last(subnet);
}

/* Returns the number of addresses in 'subnet' that AWS lets instances and
 * interfaces use: all of them but the five reserved ones, e.g. 11 for a
 * /28, or 0 for blocks too small to have any. */
uint32_t
cidr4_usable_count(const struct cidr4 *subnet)
{
    uint64_t size = cidr4_size(subnet);
    return size > CIDR4_RESERVED_HEAD + 1 ? size - CIDR4_RESERVED_HEAD - 1 : 0;
}

/* Returns the gateway (VPC router) address of 'cidr', a VPC or subnet: its
 * network address plus one. */
ovs_be32
cidr4_gateway(const struct cidr4 *cidr)
{
    return cidr4_host(cidr, 1);
}

/* Returns the address of the Amazon-provided DNS resolver for 'vpc': the
 * VPC's network address plus two. */
ovs_be32
cidr4_vpc_resolver(const struct cidr4 *vpc)
{
    return cidr4_host(vpc, 2);
}
