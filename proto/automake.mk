# proto/automake.mk: the protobuf API (package privatelink.v1), compiled
# with protoc-c at build time, and the table of EC2 wire names generated
# from the .proto's annotations.  ec2.proto and elbv2.proto are generated
# from the AWS CLI's service models by "make proto-regen" and committed.
PROTO_FILES = proto/privatelink.proto proto/ec2.proto proto/elbv2.proto
PROTO_C = proto/privatelink.pb-c.c proto/ec2.pb-c.c proto/elbv2.pb-c.c
PROTO_H = proto/privatelink.pb-c.h proto/ec2.pb-c.h proto/elbv2.pb-c.h
EXTRA_DIST += $(PROTO_FILES) build-aux/proto-names.py build-aux/gen-proto.py

# One protoc-c run makes every .pb-c.[ch]; the stamp keeps it to one run.
proto/stamp-protoc: $(PROTO_FILES)
	$(AM_V_GEN)$(PROTOC_C) --proto_path=$(srcdir)/proto \
		--c_out=$(top_builddir)/proto $(PROTO_FILES:%=$(srcdir)/%) && \
		touch $@
$(PROTO_C) $(PROTO_H): proto/stamp-protoc
proto/privatelink-names.c: $(PROTO_FILES) build-aux/proto-names.py
	$(AM_V_GEN)$(PYTHON3) $(srcdir)/build-aux/proto-names.py \
		$(PROTO_FILES:%=$(srcdir)/%) > $@.tmp && mv $@.tmp $@
BUILT_SOURCES += proto/stamp-protoc $(PROTO_C) $(PROTO_H) \
	proto/privatelink-names.c
CLEANFILES += proto/stamp-protoc $(PROTO_C) $(PROTO_H) \
	proto/privatelink-names.c

noinst_LIBRARIES += proto/libplinkproto.a
proto_libplinkproto_a_SOURCES = proto/privatelink-names.h
nodist_proto_libplinkproto_a_SOURCES = $(PROTO_C) $(PROTO_H) \
	proto/privatelink-names.c
proto_libplinkproto_a_CFLAGS = $(AM_CFLAGS) $(PROTOBUF_C_CFLAGS)

# Regenerates ec2.proto, elbv2.proto and the rpc list from the botocore
# models on this machine.
proto-regen:
	$(PYTHON3) $(srcdir)/build-aux/gen-proto.py $(srcdir)
.PHONY: proto-regen
