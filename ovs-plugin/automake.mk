# ovs-plugin/automake.mk: plinkd, the management plane that plugs
# PrivateLink into an OVS deployment: the HTTP server, the two API fronts,
# authentication and the operations.
bin_PROGRAMS += ovs-plugin/plinkd
ovs_plugin_plinkd_SOURCES = \
	ovs-plugin/api.c \
	ovs-plugin/api.h \
	ovs-plugin/auth.c \
	ovs-plugin/auth.h \
	ovs-plugin/db.c \
	ovs-plugin/db.h \
	ovs-plugin/filter.c \
	ovs-plugin/filter.h \
	ovs-plugin/http-server.c \
	ovs-plugin/http-server.h \
	ovs-plugin/op-meta.c \
	ovs-plugin/ops.c \
	ovs-plugin/ops.h \
	ovs-plugin/plinkd.c
ovs_plugin_plinkd_CPPFLAGS = $(AM_CPPFLAGS) \
	-DPLINKD_DEFAULT_DB='"/var/run/plink/pl.sock"'
ovs_plugin_plinkd_CFLAGS = $(AM_CFLAGS) $(LIBEVENT_CFLAGS) \
	$(PROTOBUF_C_CFLAGS)
ovs_plugin_plinkd_LDADD = $(PLINK_LIBS) $(PLINK_PROTO_LIBS) $(LIBEVENT_LIBS)
