# lib/automake.mk: code shared by plinkd, plink-controller and plctl.
noinst_LIBRARIES += lib/libplink.a
lib_libplink_a_SOURCES = \
	lib/plink-idl.c \
	lib/plink-idl.h
nodist_lib_libplink_a_SOURCES =
EXTRA_DIST += lib/automake.mk

# Generated sources must not be distributed.
PLINK_LIBS = lib/libplink.a $(OVS_LIBS)
