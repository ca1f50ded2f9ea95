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

# Schema checksum: the build fails when privatelink.ovsschema changes
# without its "version" being bumped and its "cksum" updated, as OVN's and
# OVS's cksum-schema-check do.  build-aux/cksum-schema-check --calculate
# prints the value to put in the schema.
EXTRA_DIST += build-aux/cksum-schema-check
ovsdb-schema/privatelink.ovsschema.stamp: ovsdb-schema/privatelink.ovsschema \
		build-aux/cksum-schema-check
	$(AM_V_GEN)$(SHELL) $(srcdir)/build-aux/cksum-schema-check \
		$(srcdir)/ovsdb-schema/privatelink.ovsschema $@
BUILT_SOURCES += ovsdb-schema/privatelink.ovsschema.stamp
CLEANFILES += ovsdb-schema/privatelink.ovsschema.stamp

# Schema documentation: privatelink.5, generated from privatelink.xml with
# OVS's ovsdb-doc, which fails on any table or column that the XML does not
# document, and so does the build.  ovsdb-doc writes "Open vSwitch" in the
# page footer; the sed puts our name there.
OVSDB_DOC = PYTHONPATH=$(OVSDIR)/python$${PYTHONPATH:+:$$PYTHONPATH} \
	PYTHONDONTWRITEBYTECODE=yes $(PYTHON3) $(OVSDIR)/ovsdb/ovsdb-doc
ovsdb-schema/privatelink.5: ovsdb-schema/privatelink.ovsschema \
		ovsdb-schema/privatelink.xml $(OVSDIR)/ovsdb/ovsdb-doc
	$(AM_V_GEN)if $(OVSDB_DOC) --version=$(VERSION) \
		$(srcdir)/ovsdb-schema/privatelink.ovsschema \
		$(srcdir)/ovsdb-schema/privatelink.xml > $@.tmp; then \
	  sed -e '/^\.TH /s/"Open vSwitch \([^"]*\)" "Open vSwitch Manual"/"OVS PrivateLink \1" "OVS PrivateLink Manual"/' \
		$@.tmp > $@.tmp2 && mv $@.tmp2 $@; status=$$?; \
	else \
	  status=1; \
	fi; \
	rm -f $@.tmp $@.tmp2; exit $$status
BUILT_SOURCES += ovsdb-schema/privatelink.5
CLEANFILES += ovsdb-schema/privatelink.5
