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

/* Unit tests for lib/cidr.c: parsing, containment and overlap, and the
 * addresses AWS reserves in VPCs and subnets. */

#include <config.h>
#include "cidr.h"

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "openvswitch/dynamic-string.h"
#include "packets.h"
#include "util.h"

/* Parses 's', which must be valid, and returns the block. */
static struct cidr4
cidr(const char *s)
{
    struct cidr4 c;
    char *error = cidr4_parse(s, &c);
    if (error) {
        fail_msg("%s: %s", s, error);
    }
    return c;
}

/* Returns the address written as 'a.b.c.d'. */
static ovs_be32
ip(uint8_t a, uint8_t b, uint8_t c, uint8_t d)
{
    return htonl(((uint32_t) a << 24) | (b << 16) | (c << 8) | d);
}

static void
test_parse_good(void **state OVS_UNUSED)
{
    static const struct {
        const char *s;
        unsigned int plen;
    } cases[] = {
        { "10.0.0.0/16", 16 },
        { "0.0.0.0/0", 0 },
        { "192.168.1.7/32", 32 },
        { "172.31.255.240/28", 28 },
        { "100.64.0.0/10", 10 },
        { "255.255.255.255/32", 32 },
    };
    const ovs_be32 addrs[] = {
        ip(10, 0, 0, 0), ip(0, 0, 0, 0), ip(192, 168, 1, 7),
        ip(172, 31, 255, 240), ip(100, 64, 0, 0), ip(255, 255, 255, 255),
    };

    for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
        struct cidr4 c = cidr(cases[i].s);
        assert_int_equal(ntohl(c.addr), ntohl(addrs[i]));
        assert_int_equal(c.plen, cases[i].plen);

        /* Formatting gives back the same text. */
        char *s = cidr4_to_string(&c);
        assert_string_equal(s, cases[i].s);
        free(s);
    }
}

static void
test_parse_bad(void **state OVS_UNUSED)
{
    static const char *const bad[] = {
        "10.0.0.1/16",          /* Host bits set. */
        "10.0.0.0/33",          /* Prefix too long. */
        "10.0.0.0/-1",
        "10.0.0.0/",
        "10.0.0.0",             /* No prefix length. */
        "10.0.0/8",             /* Three octets. */
        "10.0.0.0.0/8",
        "256.0.0.0/8",
        "10.0.0.0/016",         /* Leading zeros. */
        "010.0.0.0/8",
        "10.0.0.0/16 ",         /* Trailing junk. */
        " 10.0.0.0/16",
        "10.0.0.0/16/16",
        "10.0.0.0/1x",
        "a.b.c.d/8",
        "garbage",
        "",
        "/16",
        "1000.0.0.0/8",
        "10..0.0/8",
    };

    for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
        struct cidr4 c;
        char *error = cidr4_parse(bad[i], &c);
        if (!error) {
            fail_msg("\"%s\" should not parse", bad[i]);
        }
        char *expected = xasprintf("The CIDR '%s' is invalid.", bad[i]);
        assert_string_equal(error, expected);
        free(expected);
        free(error);
    }
}

static void
test_format(void **state OVS_UNUSED)
{
    struct cidr4 c = { ip(10, 1, 0, 0), 16 };
    struct ds ds = DS_EMPTY_INITIALIZER;

    ds_put_cstr(&ds, "cidr ");
    cidr4_format(&c, &ds);
    assert_string_equal(ds_cstr(&ds), "cidr 10.1.0.0/16");
    ds_destroy(&ds);
}

static void
test_mask(void **state OVS_UNUSED)
{
    assert_int_equal(ntohl(cidr4_mask(0)), 0);
    assert_int_equal(ntohl(cidr4_mask(1)), 0x80000000);
    assert_int_equal(ntohl(cidr4_mask(16)), 0xffff0000);
    assert_int_equal(ntohl(cidr4_mask(28)), 0xfffffff0);
    assert_int_equal(ntohl(cidr4_mask(31)), 0xfffffffe);
    assert_int_equal(ntohl(cidr4_mask(32)), 0xffffffff);
}

static void
test_contains(void **state OVS_UNUSED)
{
    struct cidr4 all = cidr("0.0.0.0/0");
    struct cidr4 vpc = cidr("10.0.0.0/16");
    struct cidr4 sub = cidr("10.0.1.0/24");
    struct cidr4 host = cidr("10.0.1.5/32");
    struct cidr4 other = cidr("10.1.0.0/16");
    struct cidr4 wide = cidr("10.0.0.0/8");

    /* Everything is in /0, and a block contains itself. */
    assert_true(cidr4_contains(&all, &vpc));
    assert_true(cidr4_contains(&all, &host));
    assert_true(cidr4_contains(&all, &all));
    assert_true(cidr4_contains(&vpc, &vpc));
    assert_true(cidr4_contains(&host, &host));

    assert_true(cidr4_contains(&vpc, &sub));
    assert_true(cidr4_contains(&vpc, &host));
    assert_true(cidr4_contains(&sub, &host));
    assert_true(cidr4_contains(&wide, &vpc));
    assert_true(cidr4_contains(&wide, &other));

    /* Containment is not symmetric. */
    assert_false(cidr4_contains(&sub, &vpc));
    assert_false(cidr4_contains(&host, &sub));
    assert_false(cidr4_contains(&vpc, &all));
    assert_false(cidr4_contains(&vpc, &other));
    assert_false(cidr4_contains(&other, &sub));

    assert_true(cidr4_contains_ip(&vpc, ip(10, 0, 0, 0)));
    assert_true(cidr4_contains_ip(&vpc, ip(10, 0, 255, 255)));
    assert_false(cidr4_contains_ip(&vpc, ip(10, 1, 0, 0)));
    assert_false(cidr4_contains_ip(&vpc, ip(9, 255, 255, 255)));
    assert_true(cidr4_contains_ip(&all, ip(255, 255, 255, 255)));
    assert_true(cidr4_contains_ip(&host, ip(10, 0, 1, 5)));
    assert_false(cidr4_contains_ip(&host, ip(10, 0, 1, 4)));
}

static void
test_overlaps(void **state OVS_UNUSED)
{
    struct cidr4 all = cidr("0.0.0.0/0");
    struct cidr4 a = cidr("10.0.0.0/24");
    struct cidr4 b = cidr("10.0.1.0/24");       /* Adjacent to 'a'. */
    struct cidr4 ab = cidr("10.0.0.0/23");      /* Covers both. */
    struct cidr4 a_hi = cidr("10.0.0.128/25");
    struct cidr4 a_last = cidr("10.0.0.255/32");
    struct cidr4 b_first = cidr("10.0.1.0/32");

    assert_false(cidr4_overlaps(&a, &b));
    assert_false(cidr4_overlaps(&b, &a));
    assert_true(cidr4_overlaps(&a, &ab));
    assert_true(cidr4_overlaps(&ab, &b));
    assert_true(cidr4_overlaps(&a, &a));
    assert_true(cidr4_overlaps(&a, &a_hi));
    assert_true(cidr4_overlaps(&a_hi, &a));
    assert_false(cidr4_overlaps(&a_hi, &b));

    /* /32 at the boundary between adjacent blocks. */
    assert_true(cidr4_overlaps(&a_last, &a));
    assert_false(cidr4_overlaps(&a_last, &b));
    assert_false(cidr4_overlaps(&a_last, &b_first));
    assert_true(cidr4_overlaps(&b_first, &b));

    /* /0 overlaps everything. */
    assert_true(cidr4_overlaps(&all, &a_last));
    assert_true(cidr4_overlaps(&b, &all));
    assert_true(cidr4_overlaps(&all, &all));
}

static void
test_equals(void **state OVS_UNUSED)
{
    struct cidr4 a = cidr("10.0.0.0/16");
    struct cidr4 b = cidr("10.0.0.0/16");
    struct cidr4 c = cidr("10.0.0.0/17");

    assert_true(cidr4_equals(&a, &b));
    assert_false(cidr4_equals(&a, &c));
}

static void
test_size_and_host(void **state OVS_UNUSED)
{
    struct cidr4 all = cidr("0.0.0.0/0");
    struct cidr4 vpc = cidr("10.0.0.0/16");
    struct cidr4 sub = cidr("10.0.1.16/28");
    struct cidr4 host = cidr("10.0.1.5/32");

    assert_true(cidr4_size(&all) == UINT64_C(1) << 32);
    assert_true(cidr4_size(&vpc) == 65536);
    assert_true(cidr4_size(&sub) == 16);
    assert_true(cidr4_size(&host) == 1);

    assert_int_equal(ntohl(cidr4_host(&sub, 0)), ntohl(ip(10, 0, 1, 16)));
    assert_int_equal(ntohl(cidr4_host(&sub, 5)), ntohl(ip(10, 0, 1, 21)));
    assert_int_equal(ntohl(cidr4_host(&vpc, 256)), ntohl(ip(10, 0, 1, 0)));
    assert_int_equal(ntohl(cidr4_host(&vpc, 65535)),
                     ntohl(ip(10, 0, 255, 255)));
    assert_int_equal(ntohl(cidr4_last(&sub)), ntohl(ip(10, 0, 1, 31)));
    assert_int_equal(ntohl(cidr4_last(&host)), ntohl(ip(10, 0, 1, 5)));
    assert_int_equal(ntohl(cidr4_last(&all)), 0xffffffff);
}

static void
test_reserved(void **state OVS_UNUSED)
{
    struct cidr4 sub = cidr("10.0.1.0/24");

    /* The first four and the last address are reserved. */
    assert_true(cidr4_is_reserved(&sub, ip(10, 0, 1, 0)));
    assert_true(cidr4_is_reserved(&sub, ip(10, 0, 1, 1)));
    assert_true(cidr4_is_reserved(&sub, ip(10, 0, 1, 2)));
    assert_true(cidr4_is_reserved(&sub, ip(10, 0, 1, 3)));
    assert_true(cidr4_is_reserved(&sub, ip(10, 0, 1, 255)));

    assert_false(cidr4_is_reserved(&sub, ip(10, 0, 1, 4)));
    assert_false(cidr4_is_reserved(&sub, ip(10, 0, 1, 100)));
    assert_false(cidr4_is_reserved(&sub, ip(10, 0, 1, 254)));

    /* Addresses outside the subnet are not "reserved" in it. */
    assert_false(cidr4_is_reserved(&sub, ip(10, 0, 2, 0)));
    assert_false(cidr4_is_reserved(&sub, ip(10, 0, 0, 255)));

    /* A /28, the smallest subnet AWS allows. */
    struct cidr4 small = cidr("192.168.0.16/28");
    int n_free = 0;
    for (uint32_t i = 0; i < cidr4_size(&small); i++) {
        ovs_be32 addr = cidr4_host(&small, i);
        bool reserved = cidr4_is_reserved(&small, addr);
        assert_int_equal(reserved, i < 4 || i == 15);
        n_free += !reserved;
    }
    assert_int_equal(n_free, 11);
    assert_int_equal(n_free, cidr4_usable_count(&small));
}

static void
test_usable_count(void **state OVS_UNUSED)
{
    static const struct {
        const char *s;
        uint32_t usable;
    } cases[] = {
        { "10.0.0.0/16", 65531 },
        { "10.0.0.0/24", 251 },
        { "10.0.0.0/28", 11 },
        { "10.0.0.0/29", 3 },
        { "10.0.0.0/30", 0 },
        { "10.0.0.0/31", 0 },
        { "10.0.0.1/32", 0 },
        { "0.0.0.0/0", UINT32_MAX - 4 },
    };

    for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
        struct cidr4 c = cidr(cases[i].s);
        assert_int_equal(cidr4_usable_count(&c), cases[i].usable);
    }
}

static void
test_gateway_resolver(void **state OVS_UNUSED)
{
    struct cidr4 vpc = cidr("10.0.0.0/16");
    struct cidr4 vpc2 = cidr("172.31.0.0/16");
    struct cidr4 sub = cidr("10.0.128.0/20");

    assert_int_equal(ntohl(cidr4_vpc_resolver(&vpc)), ntohl(ip(10, 0, 0, 2)));
    assert_int_equal(ntohl(cidr4_vpc_resolver(&vpc2)),
                     ntohl(ip(172, 31, 0, 2)));
    assert_int_equal(ntohl(cidr4_gateway(&vpc)), ntohl(ip(10, 0, 0, 1)));
    assert_int_equal(ntohl(cidr4_gateway(&sub)), ntohl(ip(10, 0, 128, 1)));

    /* Both are reserved addresses of their block. */
    assert_true(cidr4_is_reserved(&sub, cidr4_gateway(&sub)));
    assert_true(cidr4_is_reserved(&vpc, cidr4_vpc_resolver(&vpc)));
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse_good),
        cmocka_unit_test(test_parse_bad),
        cmocka_unit_test(test_format),
        cmocka_unit_test(test_mask),
        cmocka_unit_test(test_contains),
        cmocka_unit_test(test_overlaps),
        cmocka_unit_test(test_equals),
        cmocka_unit_test(test_size_and_host),
        cmocka_unit_test(test_reserved),
        cmocka_unit_test(test_usable_count),
        cmocka_unit_test(test_gateway_resolver),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
