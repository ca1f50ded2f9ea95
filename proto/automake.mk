# proto/automake.mk: the protobuf API (package privatelink.v1), compiled
# with protoc-c at build time, and the table of EC2 wire names generated
# from the .proto's annotations.
EXTRA_DIST += proto/privatelink.proto build-aux/proto-names.py

proto/privatelink.pb-c.c proto/privatelink.pb-c.h: proto/privatelink.proto
	$(AM_V_GEN)$(PROTOC_C) --proto_path=$(srcdir)/proto \
		--c_out=$(top_builddir)/proto $(srcdir)/proto/privatelink.proto
proto/privatelink-names.c: proto/privatelink.proto build-aux/proto-names.py
	$(AM_V_GEN)$(PYTHON3) $(srcdir)/build-aux/proto-names.py \
		$(srcdir)/proto/privatelink.proto > $@.tmp && mv $@.tmp $@
BUILT_SOURCES += proto/privatelink.pb-c.c proto/privatelink.pb-c.h \
	proto/privatelink-names.c
CLEANFILES += proto/privatelink.pb-c.c proto/privatelink.pb-c.h \
	proto/privatelink-names.c

noinst_LIBRARIES += proto/libplinkproto.a
proto_libplinkproto_a_SOURCES = proto/privatelink-names.h
nodist_proto_libplinkproto_a_SOURCES = proto/privatelink.pb-c.c \
	proto/privatelink.pb-c.h proto/privatelink-names.c
proto_libplinkproto_a_CFLAGS = $(AM_CFLAGS) $(PROTOBUF_C_CFLAGS)
