# tests/unit/automake.mk: cmocka unit tests for the pure modules in lib/.
# tests/run-tests.sh runs every tests/unit/test-* binary.

check_PROGRAMS += tests/unit/test-sigv4
tests_unit_test_sigv4_SOURCES = tests/unit/test-sigv4.c
tests_unit_test_sigv4_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
tests_unit_test_sigv4_LDADD = $(PLINK_LIBS) $(CMOCKA_LIBS)

check_PROGRAMS += tests/unit/test-ids
tests_unit_test_ids_SOURCES = tests/unit/test-ids.c
tests_unit_test_ids_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
tests_unit_test_ids_LDADD = $(PLINK_LIBS) $(CMOCKA_LIBS)

check_PROGRAMS += tests/unit/test-cidr
tests_unit_test_cidr_SOURCES = tests/unit/test-cidr.c
tests_unit_test_cidr_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
tests_unit_test_cidr_LDADD = $(PLINK_LIBS) $(CMOCKA_LIBS)

check_PROGRAMS += tests/unit/test-policy
tests_unit_test_policy_SOURCES = tests/unit/test-policy.c
tests_unit_test_policy_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
tests_unit_test_policy_LDADD = $(PLINKD_LIBS) $(CMOCKA_LIBS)

check_PROGRAMS += tests/unit/test-vpc-util
tests_unit_test_vpc_util_SOURCES = tests/unit/test-vpc-util.c
tests_unit_test_vpc_util_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
tests_unit_test_vpc_util_LDADD = $(PLINKD_LIBS) $(CMOCKA_LIBS)

check_PROGRAMS += tests/unit/test-ops
tests_unit_test_ops_SOURCES = tests/unit/test-ops.c
tests_unit_test_ops_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
tests_unit_test_ops_LDADD = $(PLINKD_LIBS) $(CMOCKA_LIBS)

check_PROGRAMS += tests/unit/test-policy-eval
tests_unit_test_policy_eval_SOURCES = tests/unit/test-policy-eval.c
tests_unit_test_policy_eval_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
tests_unit_test_policy_eval_LDADD = $(PLINK_LIBS) $(CMOCKA_LIBS)
