# utilities/automake.mk: plctl (the admin CLI), plink-lab (lab clusters in
# network namespaces), the demo script and small test peers.
bin_PROGRAMS += utilities/plctl
utilities_plctl_SOURCES = \
	utilities/plctl.c \
	utilities/plctl-args.c \
	utilities/plctl-args.h \
	utilities/plctl-client.c \
	utilities/plctl-client.h \
	utilities/plctl-output.c \
	utilities/plctl-output.h
utilities_plctl_CFLAGS = $(AM_CFLAGS) $(LIBEVENT_CFLAGS) $(PROTOBUF_C_CFLAGS)
utilities_plctl_LDADD = $(PLINK_LIBS) $(PLINK_PROTO_LIBS) $(LIBEVENT_LIBS)

# plink-appliance: a Gateway Load Balancer appliance (GENEVE on UDP 6081).
bin_PROGRAMS += utilities/plink-appliance
utilities_plink_appliance_SOURCES = utilities/plink-appliance.c
utilities_plink_appliance_CPPFLAGS = $(AM_CPPFLAGS) \
	-DPLINK_VERSION='"$(VERSION)"'
utilities_plink_appliance_LDADD = $(PLINK_LIBS)

dist_bin_SCRIPTS += utilities/plink-lab utilities/plink-trace utilities/plink-aws-service
EXTRA_DIST += utilities/plink-demo.sh
