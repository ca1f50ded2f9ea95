# controller/automake.mk: plink-controller, the per-chassis controller that
# turns the PrivateLink database into OpenFlow on the integration bridge.
bin_PROGRAMS += controller/plink-controller
controller_plink_controller_SOURCES = \
	controller/aws-service.c \
	controller/aws-service.h \
	controller/binding.c \
	controller/binding.h \
	controller/br-int.c \
	controller/br-int.h \
	controller/chassis.c \
	controller/chassis.h \
	controller/dns.c \
	controller/dns.h \
	controller/dns-pinctrl.c \
	controller/encaps.c \
	controller/encaps.h \
	controller/flows.c \
	controller/flows.h \
	controller/flows-arp.c \
	controller/flows-dns.c \
	controller/flows-ept.c \
	controller/flows-gw.c \
	controller/flows-inc.c \
	controller/flows-gwlb.c \
	controller/flows-igw.c \
	controller/flows-port.c \
	controller/flows-private.h \
	controller/flows-route.c \
	controller/flows-sg.c \
	controller/gwlb-pinctrl.c \
	controller/gwlb-pinctrl.h \
	controller/health.c \
	controller/health.h \
	controller/idl-track.c \
	controller/idl-track.h \
	controller/local-config.c \
	controller/local-config.h \
	controller/ofctrl.c \
	controller/ofctrl.h \
	controller/ofctrl-table.c \
	controller/ofctrl-table.h \
	controller/pinctrl.c \
	controller/pinctrl.h \
	controller/pipeline.c \
	controller/pipeline.h \
	controller/plink-controller.c
controller_plink_controller_CPPFLAGS = $(AM_CPPFLAGS) \
	-DPLINK_VERSION='"$(VERSION)"'
controller_plink_controller_LDADD = $(PLINK_LIBS)
EXTRA_DIST += controller/automake.mk
