# tests/system/automake.mk
EXTRA_DIST += \
	tests/system/appliance.sh \
	tests/system/aws-service.sh \
	tests/system/dns-private-name.sh \
	tests/system/dns-resolver.sh \
	tests/system/four-chassis.sh \
	tests/system/gateway-traffic.sh \
	tests/system/scale-endpoints.py \
	tests/system/scale-restart.sh \
	tests/system/geneve-send.py
