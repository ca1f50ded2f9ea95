# ovsdb-schema/automake.mk: the PrivateLink database schema, its IDL (C
# bindings generated with OVS's ovsdb-idlc) and its documentation.
EXTRA_DIST += \
	ovsdb-schema/privatelink.ovsschema \
	ovsdb-schema/privatelink.xml \
	ovsdb-schema/plink-idl.ann

OVSDB_IDLC = $(PYTHON3) $(OVSDIR)/ovsdb/ovsdb-idlc.in

# The IDL: annotate the schema, then generate the C source and header.
lib/plink-idl.ovsidl: ovsdb-schema/privatelink.ovsschema ovsdb-schema/plink-idl.ann
	$(AM_V_GEN)$(OVSDB_IDLC) annotate $(srcdir)/ovsdb-schema/privatelink.ovsschema \
		$(srcdir)/ovsdb-schema/plink-idl.ann > $@.tmp && mv $@.tmp $@
lib/plink-idl.c: lib/plink-idl.ovsidl
	$(AM_V_GEN)$(OVSDB_IDLC) c-idl-source $< > $@.tmp && mv $@.tmp $@
lib/plink-idl.h: lib/plink-idl.ovsidl
	$(AM_V_GEN)$(OVSDB_IDLC) c-idl-header $< > $@.tmp && mv $@.tmp $@
BUILT_SOURCES += lib/plink-idl.h lib/plink-idl.c
CLEANFILES += lib/plink-idl.h lib/plink-idl.c lib/plink-idl.ovsidl
