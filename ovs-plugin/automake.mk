# ovs-plugin/automake.mk: plinkd, the management plane that plugs
# PrivateLink into an OVS deployment: the HTTP server, the two API fronts,
# authentication and the operations.  Everything but main() is in
# libplinkd.a, which the unit tests link too.
noinst_LIBRARIES += ovs-plugin/libplinkd.a
ovs_plugin_libplinkd_a_SOURCES = \
	ovs-plugin/api.c \
	ovs-plugin/api.h \
	ovs-plugin/auth.c \
	ovs-plugin/auth.h \
	ovs-plugin/catalog.c \
	ovs-plugin/catalog.h \
	ovs-plugin/db.c \
	ovs-plugin/db.h \
	ovs-plugin/eni.c \
	ovs-plugin/eni.h \
	ovs-plugin/filter.c \
	ovs-plugin/filter.h \
	ovs-plugin/http-server.c \
	ovs-plugin/http-server.h \
	ovs-plugin/notify.c \
	ovs-plugin/notify.h \
	ovs-plugin/op-authorize.c \
	ovs-plugin/op-meta.c \
	ovs-plugin/op-util.c \
	ovs-plugin/op-util.h \
	ovs-plugin/ops.c \
	ovs-plugin/ops.h \
	ovs-plugin/verify.c \
	ovs-plugin/verify.h
ovs_plugin_libplinkd_a_CFLAGS = $(AM_CFLAGS) $(LIBEVENT_CFLAGS) \
	$(PROTOBUF_C_CFLAGS)

# The VPC substrate: VPCs, internet gateways, subnets, route tables and
# routes, security groups, network interfaces, tags, prefix lists.
ovs_plugin_libplinkd_a_SOURCES += \
	ovs-plugin/op-eni.c \
	ovs-plugin/op-igw.c \
	ovs-plugin/op-prefix.c \
	ovs-plugin/op-route.c \
	ovs-plugin/op-rtb.c \
	ovs-plugin/op-sg-rule.c \
	ovs-plugin/op-sg.c \
	ovs-plugin/op-subnet.c \
	ovs-plugin/op-tags.c \
	ovs-plugin/op-vpc-util.c \
	ovs-plugin/op-vpc-util.h \
	ovs-plugin/op-vpc.c \
	ovs-plugin/op-vpc.h

# Elastic Load Balancing v2: load balancers, target groups, listeners.
ovs_plugin_libplinkd_a_SOURCES += \
	ovs-plugin/op-elb-listener.c \
	ovs-plugin/op-elb-tags.c \
	ovs-plugin/op-elb-target.c \
	ovs-plugin/op-elb-util.c \
	ovs-plugin/op-elb-util.h \
	ovs-plugin/op-elb.c \
	ovs-plugin/op-elb.h

# PrivateLink: endpoint services, permissions, endpoints, connections,
# notifications, the AWS service catalog.
ovs_plugin_libplinkd_a_SOURCES += \
	ovs-plugin/op-connection.c \
	ovs-plugin/op-endpoint.c \
	ovs-plugin/op-endpoint.h \
	ovs-plugin/op-endpoint-read.c \
	ovs-plugin/op-notification.c \
	ovs-plugin/op-permission.c \
	ovs-plugin/op-service.c \
	ovs-plugin/pl-endpoint.c \
	ovs-plugin/pl-endpoint.h \
	ovs-plugin/pl-service.c \
	ovs-plugin/pl-service.h

PLINKD_LIBS = ovs-plugin/libplinkd.a $(PLINK_LIBS) $(PLINK_PROTO_LIBS) \
	$(LIBEVENT_LIBS) -lresolv

bin_PROGRAMS += ovs-plugin/plinkd
ovs_plugin_plinkd_SOURCES = ovs-plugin/plinkd.c
ovs_plugin_plinkd_CPPFLAGS = $(AM_CPPFLAGS) \
	-DPLINKD_DEFAULT_DB='"/var/run/plink/pl.sock"'
ovs_plugin_plinkd_CFLAGS = $(AM_CFLAGS) $(LIBEVENT_CFLAGS) \
	$(PROTOBUF_C_CFLAGS)
ovs_plugin_plinkd_LDADD = $(PLINKD_LIBS)
