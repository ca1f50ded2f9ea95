/* Unit tests for the pure helpers of ovs-plugin/op-vpc-util.c: CIDR
 * blocks as EC2 canonicalizes them, IP protocols as security group rules
 * store them, and the private DNS names of network interfaces. */

#include <config.h>
#include "ovs-plugin/op-vpc-util.h"

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "cidr.h"
#include "util.h"

/* Asserts that 's' parses into the canonical block 'expected'. */
static void
assert_cidr(const char *s, const char *expected)
{
    struct cidr4 cidr;
    char *error = vpcu_cidr_parse(s, &cidr);
    if (error) {
        fail_msg("%s: %s", s, error);
    }
    char *canonical = cidr4_to_string(&cidr);
    assert_string_equal(canonical, expected);
    free(canonical);
}

/* Asserts that 's' is not a CIDR block, with AWS's message. */
static void
assert_bad_cidr(const char *s)
{
    struct cidr4 cidr;
    char *error = vpcu_cidr_parse(s, &cidr);
    if (!error) {
        fail_msg("accepted '%s'", s ? s : "(null)");
    }
    assert_non_null(strstr(error, "is invalid"));
    free(error);
}

static void
test_cidr_canonical(void **state OVS_UNUSED)
{
    assert_cidr("10.0.0.0/16", "10.0.0.0/16");
    assert_cidr("100.68.0.18/18", "100.68.0.0/18");
    assert_cidr("10.0.3.5/24", "10.0.3.0/24");
    assert_cidr("192.168.1.77/32", "192.168.1.77/32");
    assert_cidr("8.8.8.8/0", "0.0.0.0/0");
}

static void
test_cidr_invalid(void **state OVS_UNUSED)
{
    static const char *const bad[] = {
        "", "10.0.0.0", "10.0.0.0/", "10.0.0.0/33", "10.0.0/16",
        "10.0.0.256/16", "10.0.0.0/1a", "10.0.0.0/016", "10.0.0.0/-1",
        " 10.0.0.0/16", "10.0.0.0/16 ", "010.0.0.0/16", "::/0",
        "1.2.3.4.5/8",
    };
    for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
        assert_bad_cidr(bad[i]);
    }
    assert_bad_cidr(NULL);
}

/* Asserts that 'protocol' normalizes to 'expected' (NULL: invalid). */
static void
assert_protocol(const char *protocol, const char *expected)
{
    char *p = vpcu_protocol_normalize(protocol);
    if (!expected) {
        if (p) {
            fail_msg("'%s' accepted as '%s'", protocol ? protocol : "", p);
        }
        return;
    }
    if (!p) {
        fail_msg("'%s' refused", protocol ? protocol : "");
    }
    assert_string_equal(p, expected);
    free(p);
}

static void
test_protocols(void **state OVS_UNUSED)
{
    assert_protocol("tcp", "tcp");
    assert_protocol("TCP", "tcp");
    assert_protocol("6", "tcp");
    assert_protocol("17", "udp");
    assert_protocol("1", "icmp");
    assert_protocol("58", "icmpv6");
    assert_protocol("-1", "-1");
    assert_protocol("all", "-1");
    assert_protocol("47", "47");
    assert_protocol("0", "0");
    assert_protocol("255", "255");
    assert_protocol("256", NULL);
    assert_protocol("06", NULL);
    assert_protocol("-2", NULL);
    assert_protocol("gre", NULL);
    assert_protocol("", NULL);
    assert_protocol(NULL, NULL);

    assert_true(vpcu_protocol_has_ports("tcp"));
    assert_true(vpcu_protocol_has_ports("udp"));
    assert_true(vpcu_protocol_has_ports("icmp"));
    assert_true(vpcu_protocol_has_ports("icmpv6"));
    assert_false(vpcu_protocol_has_ports("-1"));
    assert_false(vpcu_protocol_has_ports("47"));
}

static void
test_private_dns_names(void **state OVS_UNUSED)
{
    char *name = vpcu_private_dns_name("us-east-1", "10.0.1.4");
    assert_string_equal(name, "ip-10-0-1-4.ec2.internal");
    free(name);

    name = vpcu_private_dns_name("eu-west-3", "172.31.255.254");
    assert_string_equal(name, "ip-172-31-255-254.eu-west-3.compute.internal");
    free(name);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_cidr_canonical),
        cmocka_unit_test(test_cidr_invalid),
        cmocka_unit_test(test_protocols),
        cmocka_unit_test(test_private_dns_names),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
