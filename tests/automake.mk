# tests/automake.mk: the test suite.  "make check" builds the test programs
# and runs tests/run-tests.sh, which ends with "N passed, N failed".
EXTRA_DIST += tests/lib.sh tests/run-tests.sh tests/sigv4.py
include tests/unit/automake.mk
include tests/pipeline/automake.mk
include tests/system/automake.mk

check-local: all $(check_PROGRAMS)
	@$(srcdir)/tests/run-tests.sh $(TESTS_PATTERN)
