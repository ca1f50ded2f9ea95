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

/* Unit tests for lib/plink-id.c: the format, uniqueness and validation of
 * AWS-style ids, request ids and random alphanumeric strings. */

#include <config.h>
#include "plink-id.h"

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "sset.h"
#include "util.h"

/* How many ids the uniqueness tests make. */
#define N_IDS 10000

/* Asserts that 's' is made only of characters in 'chars'. */
static void
assert_only(const char *s, const char *chars)
{
    if (strspn(s, chars) != strlen(s)) {
        fail_msg("\"%s\" has characters outside \"%s\"", s, chars);
    }
}

static void
test_new_format(void **state OVS_UNUSED)
{
    static const char *const prefixes[] = {
        "vpce", "vpce-svc", "vpce-nfn", "vpc", "subnet", "eni", "sg",
    };

    for (size_t i = 0; i < ARRAY_SIZE(prefixes); i++) {
        const char *prefix = prefixes[i];
        size_t prefix_len = strlen(prefix);
        char *id = plink_id_new(prefix);

        assert_int_equal(strlen(id), prefix_len + 1 + PLINK_ID_HEX_LEN);
        assert_memory_equal(id, prefix, prefix_len);
        assert_int_equal(id[prefix_len], '-');
        assert_only(id + prefix_len + 1, "0123456789abcdef");
        assert_true(plink_id_valid(id, prefix));
        free(id);
    }
}

static void
test_new_unique(void **state OVS_UNUSED)
{
    struct sset ids = SSET_INITIALIZER(&ids);

    for (int i = 0; i < N_IDS; i++) {
        char *id = plink_id_new("vpce");
        assert_true(plink_id_valid(id, "vpce"));
        if (!sset_add(&ids, id)) {
            fail_msg("duplicate id %s after %d ids", id, i);
        }
        free(id);
    }
    assert_int_equal(sset_count(&ids), N_IDS);
    sset_destroy(&ids);
}

static void
test_valid(void **state OVS_UNUSED)
{
    /* 17 and 8 hex digits are both fine. */
    assert_true(plink_id_valid("vpce-0123456789abcdef0", "vpce"));
    assert_true(plink_id_valid("vpce-0123abcd", "vpce"));
    assert_true(plink_id_valid("vpce-svc-0123456789abcdef0", "vpce-svc"));
    assert_true(plink_id_valid("vpce-svc-0123abcd", "vpce-svc"));
    assert_true(plink_id_valid("vpce-nfn-0123456789abcdef0", "vpce-nfn"));
    assert_true(plink_id_valid("vpc-0123456789abcdef0", "vpc"));
    assert_true(plink_id_valid("subnet-fedcba9876543210f", "subnet"));
}

static void
test_invalid(void **state OVS_UNUSED)
{
    /* Wrong prefix. */
    assert_false(plink_id_valid("vpc-0123456789abcdef0", "vpce"));
    assert_false(plink_id_valid("vpce-0123456789abcdef0", "vpc"));
    assert_false(plink_id_valid("subnet-0123456789abcdef0", "vpce"));
    assert_false(plink_id_valid("VPCE-0123456789abcdef0", "vpce"));
    assert_false(plink_id_valid("xvpce-0123456789abcdef0", "vpce"));

    /* Prefixes that are prefixes of other prefixes. */
    assert_false(plink_id_valid("vpce-svc-0123456789abcdef0", "vpce"));
    assert_false(plink_id_valid("vpce-svc-0123abcd", "vpce"));
    assert_false(plink_id_valid("vpce-nfn-0123456789abcdef0", "vpce"));
    assert_false(plink_id_valid("vpce-0123456789abcdef0", "vpce-svc"));
    assert_false(plink_id_valid("vpce-svc-0123456789abcdef0", "vpce-nfn"));

    /* Upper-case or non-hex digits. */
    assert_false(plink_id_valid("vpce-0123456789ABCDEF0", "vpce"));
    assert_false(plink_id_valid("vpce-0123456789abcdeF0", "vpce"));
    assert_false(plink_id_valid("vpce-0123456789abcdeg0", "vpce"));
    assert_false(plink_id_valid("vpce-0123456789abcde 0", "vpce"));

    /* Wrong length. */
    assert_false(plink_id_valid("vpce-", "vpce"));
    assert_false(plink_id_valid("vpce", "vpce"));
    assert_false(plink_id_valid("vpce-0123abc", "vpce"));
    assert_false(plink_id_valid("vpce-0123abcd0", "vpce"));
    assert_false(plink_id_valid("vpce-0123456789abcdef", "vpce"));
    assert_false(plink_id_valid("vpce-0123456789abcdef01", "vpce"));

    /* Missing or doubled separator, trailing junk. */
    assert_false(plink_id_valid("vpce0123456789abcdef0", "vpce"));
    assert_false(plink_id_valid("vpce--0123456789abcdef", "vpce"));
    assert_false(plink_id_valid("vpce-0123456789abcdef0-", "vpce"));
    assert_false(plink_id_valid("", "vpce"));
    assert_false(plink_id_valid(NULL, "vpce"));
}

static void
test_request_id(void **state OVS_UNUSED)
{
    struct sset ids = SSET_INITIALIZER(&ids);

    for (int i = 0; i < N_IDS; i++) {
        char *id = plink_id_request_id();

        assert_int_equal(strlen(id), 36);
        for (int j = 0; j < 36; j++) {
            if (j == 8 || j == 13 || j == 18 || j == 23) {
                assert_int_equal(id[j], '-');
            } else if (!strchr("0123456789abcdef", id[j])) {
                fail_msg("bad character in request id %s", id);
            }
        }
        assert_int_equal(id[14], '4');              /* Version 4. */
        assert_non_null(strchr("89ab", id[19]));    /* RFC 4122 variant. */
        if (!sset_add(&ids, id)) {
            fail_msg("duplicate request id %s", id);
        }
        free(id);
    }
    sset_destroy(&ids);
}

static void
test_random_alnum(void **state OVS_UNUSED)
{
    struct sset seen = SSET_INITIALIZER(&seen);
    bool chars[256] = { false };

    for (int i = 0; i < N_IDS; i++) {
        char *s = plink_id_random_alnum(8, false);

        assert_int_equal(strlen(s), 8);
        assert_only(s, "0123456789abcdefghijklmnopqrstuvwxyz");
        for (const char *p = s; *p; p++) {
            chars[(unsigned char) *p] = true;
        }
        if (!sset_add(&seen, s)) {
            fail_msg("duplicate random string %s", s);
        }
        free(s);
    }
    sset_destroy(&seen);

    /* 80,000 draws from 36 characters use every one of them. */
    for (const char *p = "0123456789abcdefghijklmnopqrstuvwxyz"; *p; p++) {
        assert_true(chars[(unsigned char) *p]);
    }

    char *upper = plink_id_random_alnum(16, true);
    assert_int_equal(strlen(upper), 16);
    assert_only(upper, "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ");
    free(upper);

    char *empty = plink_id_random_alnum(0, false);
    assert_string_equal(empty, "");
    free(empty);

    char *longer = plink_id_random_alnum(200, true);
    assert_int_equal(strlen(longer), 200);
    assert_only(longer, "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ");
    free(longer);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_new_format),
        cmocka_unit_test(test_new_unique),
        cmocka_unit_test(test_valid),
        cmocka_unit_test(test_invalid),
        cmocka_unit_test(test_request_id),
        cmocka_unit_test(test_random_alnum),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
