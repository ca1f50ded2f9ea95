# lib/automake.mk: code shared by plinkd, plink-controller and plctl.
noinst_LIBRARIES += lib/libplink.a
lib_libplink_a_SOURCES = \
	lib/cidr.c \
	lib/cidr.h \
	lib/plink-id.c \
	lib/plink-id.h \
	lib/plink-idl.c \
	lib/plink-idl.h \
	lib/sigv4.c \
	lib/sigv4.h
nodist_lib_libplink_a_SOURCES =
EXTRA_DIST += lib/automake.mk

# Generated sources must not be distributed.
PLINK_LIBS = lib/libplink.a $(OVS_LIBS)

# The API codecs: protobuf reflection, EC2 Query/XML, AWS error classes.
lib_libplink_a_SOURCES += \
	lib/aws-error.c \
	lib/aws-error.h \
	lib/ec2-query.c \
	lib/ec2-query.h \
	lib/pb-reflect.c \
	lib/pb-reflect.h
PLINK_PROTO_LIBS = proto/libplinkproto.a $(PROTOBUF_C_LIBS)

# IAM policy documents (endpoint policies).
lib_libplink_a_SOURCES += \
	lib/policy.c \
	lib/policy.h
