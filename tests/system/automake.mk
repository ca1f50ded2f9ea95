# tests/system/automake.mk
EXTRA_DIST += \
	tests/system/aws-service.sh \
	tests/system/dns-resolver.sh \
	tests/system/gateway-traffic.sh
