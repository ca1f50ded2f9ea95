# tests/pipeline/automake.mk: pipeline tests on the OVS dummy datapath.
# Each *.sh is one test (tests/run-tests.sh runs them); harness.bash is the
# chassis they share, vpc.bash the VPC topology of the vpc-*.sh tests,
# endpoint.bash the interface endpoint on top of it, dns.bash the DNS
# messages of dns.sh.
EXTRA_DIST += \
	tests/pipeline/dns.bash \
	tests/pipeline/dns.sh \
	tests/pipeline/endpoint.bash \
	tests/pipeline/endpoint-nat.sh \
	tests/pipeline/gateway.sh \
	tests/pipeline/harness.bash \
	tests/pipeline/incremental.sh \
	tests/pipeline/reconnect.sh \
	tests/pipeline/skeleton.sh \
	tests/pipeline/tunnels.sh \
	tests/pipeline/vpc.bash \
	tests/pipeline/vpc-arp.sh \
	tests/pipeline/vpc-binding.sh \
	tests/pipeline/vpc-route.sh \
	tests/pipeline/vpc-sg.sh \
	tests/pipeline/vpc-tunnel.sh
