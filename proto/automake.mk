# proto/automake.mk: the protobuf API (package privatelink.v1), compiled
# with protoc-c at build time.
EXTRA_DIST += proto/privatelink.proto

proto/privatelink.pb-c.c proto/privatelink.pb-c.h: proto/privatelink.proto
	$(AM_V_GEN)$(PROTOC_C) --proto_path=$(srcdir)/proto \
		--c_out=$(top_builddir)/proto $(srcdir)/proto/privatelink.proto
BUILT_SOURCES += proto/privatelink.pb-c.c proto/privatelink.pb-c.h
CLEANFILES += proto/privatelink.pb-c.c proto/privatelink.pb-c.h
