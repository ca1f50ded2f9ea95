# ovs-plugin/automake.mk: plinkd, the management plane.
bin_PROGRAMS += ovs-plugin/plinkd
ovs_plugin_plinkd_SOURCES = ovs-plugin/plinkd.c
ovs_plugin_plinkd_CFLAGS = $(AM_CFLAGS) $(LIBEVENT_CFLAGS) $(PROTOBUF_C_CFLAGS)
ovs_plugin_plinkd_LDADD = $(PLINK_LIBS) $(LIBEVENT_LIBS) $(PROTOBUF_C_LIBS)
