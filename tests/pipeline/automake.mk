# tests/pipeline/automake.mk: pipeline tests on the OVS dummy datapath.
# Each *.sh is one test (tests/run-tests.sh runs them); harness.bash is the
# chassis they share.
EXTRA_DIST += \
	tests/pipeline/harness.bash \
	tests/pipeline/reconnect.sh \
	tests/pipeline/skeleton.sh \
	tests/pipeline/tunnels.sh
