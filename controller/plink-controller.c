/* SPDX-License-Identifier: Apache-2.0 */

/* plink-controller: the PrivateLink chassis controller, one per chassis, in
 * the image of ovn-controller.
 *
 * It reads two databases and writes OpenFlow:
 *
 *   local Open_vSwitch DB ──► local-config (external_ids), br-int
 *   PrivateLink DB (plinkd's desired state) ──► chassis, encaps
 *   both ──► binding (Network_Interface:chassis of local interfaces)
 *   both ──► flows (desired table) ──► ofctrl ──► ovs-vswitchd br-int
 *            (a full recompute, or the tracked changes of the
 *            PrivateLink DB applied incrementally: flows-inc.c)
 *   ofctrl's realized cfg ──► Chassis:nb_cfg
 *   ofctrl's realized flows ──► Network_Interface:up
 *   PrivateLink DB ──► dns (names per VPC) ──► pinctrl (VPC resolver)
 *
 * This file is the wiring: options, the two IDLs, the main loop and the
 * unixctl commands.  Each box above is a module with its own header. */

#include <config.h>

#include <getopt.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "aws-service.h"
#include "binding.h"
#include "br-int.h"
#include "chassis.h"
#include "command-line.h"
#include "daemon.h"
#include "dirs.h"
#include "dns.h"
#include "encaps.h"
#include "fatal-signal.h"
#include "flows.h"
#include "health.h"
#include "idl-track.h"
#include "local-config.h"
#include "ofctrl.h"
#include "openvswitch/dynamic-string.h"
#include "openvswitch/poll-loop.h"
#include "openvswitch/vlog.h"
#include "ovsdb-idl.h"
#include "pinctrl.h"
#include "pipeline.h"
#include "timeval.h"
#include "unixctl.h"
#include "util.h"
#include "lib/plink-idl.h"
#include "lib/vswitch-idl.h"

VLOG_DEFINE_THIS_MODULE(main);

/* Everything the main loop and the unixctl commands share. */
struct controller {
    struct local_config cfg;            /* Open_vSwitch:external_ids. */
    struct ovsdb_idl_loop ovs_idl_loop; /* The local Open_vSwitch DB. */
    struct ovsdb_idl_loop pl_idl_loop;  /* The PrivateLink DB. */
    char *pl_remote;                    /* Remote 'pl_idl_loop' uses. */
    const struct plrec_chassis *chassis; /* Our Chassis row, or NULL. */

    /* The desired flow table and what it was computed from. */
    struct ofctrl_flow_table *desired;  /* Flows for ofctrl_put(). */
    struct flows_state *flows;          /* The flow builders' index. */
    bool desired_complete;              /* Computed from complete inputs? */
    int64_t desired_cfg;                /* PrivateLink_Global:cfg then. */
    unsigned int ovs_seqno;             /* Open_vSwitch IDL seqno then. */
    unsigned int pl_seqno;              /* PrivateLink IDL seqno then. */
    bool recompute;                     /* Recompute even if unchanged? */
    bool flows_realized;                /* Has the switch held a complete
                                         * desired table since we
                                         * started? */
    unsigned int n_recomputes;          /* Full recomputes so far. */
    unsigned int n_incremental;         /* Incremental computations. */
    long long int full_usec;            /* Duration of the last full
                                         * recompute, in microseconds. */
    long long int incremental_usec;     /* Duration of the last incremental
                                         * computation, in microseconds. */
    char *recompute_reason;             /* Why the last full recompute ran
                                         * (malloc'd), or NULL. */

    bool exiting;                       /* Leave the main loop? */
};

/* Tables of the PrivateLink database that a chassis has no business
 * replicating: credentials and management-plane bookkeeping. */
static const char *const private_tables[] = {
    "Account", "Principal", "Access_Key",
    "Connection_Notification", "Notification_Outbox", "Topic",
};

/* Columns of the replicated tables that no module of the controller reads:
 * not replicating them saves memory and start-up time at scale (an
 * endpoint's policy document, tags and bookkeeping, a service's
 * verification state, ...). */
static const struct ovsdb_idl_column *const unread_columns[] = {
    &plrec_vpc_endpoint_col_owner_id,
    &plrec_vpc_endpoint_col_policy_document,
    &plrec_vpc_endpoint_col_ip_address_type,
    &plrec_vpc_endpoint_col_dns_record_ip_type,
    &plrec_vpc_endpoint_col_subnets,
    &plrec_vpc_endpoint_col_connection_id,
    &plrec_vpc_endpoint_col_last_error_code,
    &plrec_vpc_endpoint_col_last_error_message,
    &plrec_vpc_endpoint_col_client_token,
    &plrec_vpc_endpoint_col_creation_timestamp,
    &plrec_vpc_endpoint_col_pending_cfg,
    &plrec_vpc_endpoint_col_tags,
    &plrec_network_interface_col_owner_id,
    &plrec_network_interface_col_description,
    &plrec_network_interface_col_requester_managed,
    &plrec_network_interface_col_requester_id,
    &plrec_network_interface_col_status,
    &plrec_network_interface_col_tags,
    &plrec_endpoint_service_col_owner_id,
    &plrec_endpoint_service_col_service_types,
    &plrec_endpoint_service_col_service_state,
    &plrec_endpoint_service_col_acceptance_required,
    &plrec_endpoint_service_col_manages_vpc_endpoints,
    &plrec_endpoint_service_col_supported_ip_address_types,
    &plrec_endpoint_service_col_availability_zones,
    &plrec_endpoint_service_col_base_endpoint_dns_names,
    &plrec_endpoint_service_col_private_dns_verification_name,
    &plrec_endpoint_service_col_private_dns_verification_value,
    &plrec_endpoint_service_col_private_dns_checked_at,
    &plrec_endpoint_service_col_private_dns_by_default,
    &plrec_endpoint_service_col_vpc_endpoint_policy_supported,
    &plrec_endpoint_service_col_payer_responsibility,
    &plrec_endpoint_service_col_permissions,
    &plrec_endpoint_service_col_client_token,
    &plrec_endpoint_service_col_creation_timestamp,
    &plrec_endpoint_service_col_tags,
};

static char *parse_options(int argc, char *argv[], char **unixctl_path);
OVS_NO_RETURN static void usage(void);
static void controller_init(struct controller *, const char *ovs_remote);
static void controller_run(struct controller *);
static void controller_wait(struct controller *);
static void controller_destroy(struct controller *);
static struct unixctl_server *controller_unixctl_create(const char *path,
                                                        struct controller *);

int
main(int argc, char *argv[])
{
    struct controller ctrl;
    char *unixctl_path = NULL;

    set_program_name(argv[0]);
    ovs_cmdl_proctitle_init(argc, argv);
    fatal_ignore_sigpipe();
    pl_stages_check();

    char *ovs_remote = parse_options(argc, argv, &unixctl_path);
    daemonize_start(false);
    struct unixctl_server *unixctl = controller_unixctl_create(unixctl_path,
                                                              &ctrl);
    controller_init(&ctrl, ovs_remote);
    daemonize_complete();

    while (!ctrl.exiting) {
        controller_run(&ctrl);
        unixctl_server_run(unixctl);
        controller_wait(&ctrl);
        unixctl_server_wait(unixctl);
        if (ctrl.exiting) {
            poll_immediate_wake();
        }
        poll_block();
    }

    VLOG_INFO("exiting");
    unixctl_server_destroy(unixctl);
    controller_destroy(&ctrl);
    free(unixctl_path);
    free(ovs_remote);
    return 0;
}

/* Command line.
 * ============= */

/* Parses the command line.  Returns the Open_vSwitch database remote
 * (malloc'd) and stores the --unixctl argument, if any, in
 * '*unixctl_path'. */
static char *
parse_options(int argc, char *argv[], char **unixctl_path)
{
    enum {
        OPT_UNIXCTL = UCHAR_MAX + 1,
        VLOG_OPTION_ENUMS,
        DAEMON_OPTION_ENUMS,
    };
    static const struct option long_options[] = {
        {"help", no_argument, NULL, 'h'},
        {"version", no_argument, NULL, 'V'},
        {"unixctl", required_argument, NULL, OPT_UNIXCTL},
        VLOG_LONG_OPTIONS,
        DAEMON_LONG_OPTIONS,
        {NULL, 0, NULL, 0},
    };
    char *short_options = ovs_cmdl_long_options_to_short_options(long_options);

    for (;;) {
        int c = getopt_long(argc, argv, short_options, long_options, NULL);
        if (c == -1) {
            break;
        }
        switch (c) {
        case 'h':
            usage();
        case 'V':
            printf("%s (OVS PrivateLink) %s\n", program_name, PLINK_VERSION);
            exit(EXIT_SUCCESS);
        case OPT_UNIXCTL:
            free(*unixctl_path);
            *unixctl_path = xstrdup(optarg);
            break;
        VLOG_OPTION_HANDLERS
        DAEMON_OPTION_HANDLERS
        case '?':
            exit(EXIT_FAILURE);
        default:
            OVS_NOT_REACHED();
        }
    }
    free(short_options);

    argc -= optind;
    argv += optind;
    if (argc > 1) {
        ovs_fatal(0, "at most one non-option argument (the Open_vSwitch "
                  "database) allowed; use --help for usage");
    }
    return (argc
            ? xstrdup(argv[0])
            : xasprintf("unix:%s/db.sock", ovs_rundir()));
}

static void
usage(void)
{
    printf("\
%s: OVS PrivateLink chassis controller\n\
usage: %s [OPTIONS] [OVS-DATABASE]\n\
\n\
Turns the desired state in the PrivateLink database into OpenFlow flows\n\
on this chassis's integration bridge, registers the chassis in that\n\
database, keeps a GENEVE tunnel port per other chassis, and reports in\n\
Chassis:nb_cfg the PrivateLink_Global:cfg it has installed.\n\
\n\
OVS-DATABASE is the local Open_vSwitch database\n\
(default: \"unix:%s/db.sock\").\n\
\n\
Configuration, read from Open_vSwitch:external_ids in OVS-DATABASE:\n\
  system-id                   chassis name (required)\n\
  hostname                    Chassis:hostname (default: the host name)\n\
  plink-remote                PrivateLink database, e.g. unix:/run/pl.sock,\n\
                              or a comma-separated list of cluster members\n\
  plink-encap-ip              this chassis's underlay (tunnel) IP\n\
  plink-encap-type            tunnel type (default and only: geneve)\n\
  plink-bridge                integration bridge (default: br-int)\n\
  plink-bridge-datapath-type  its datapath type (default: netdev)\n\
Interface:external_ids:iface-id on br-int names the Network_Interface\n\
(network_interface_id) an OVS interface attaches; the controller binds it\n\
(Network_Interface:chassis) and sets Network_Interface:up once its flows\n\
are installed.\n\
\n\
Commands (ovs-appctl -t plink-controller COMMAND, or -t SOCKET):\n\
  exit                        exit (the Chassis row and flows stay)\n\
  status                      chassis, connections, cfg, flow counts\n\
  recompute                   recompute every flow from scratch (changes to\n\
                              endpoints, their ENIs and targets are\n\
                              otherwise applied incrementally)\n\
  flow-table-list             the pipeline stages and their tables\n\
  debug/dump-desired-flows    the desired flow table\n\
  debug/dump-bindings         local interfaces and their binding\n\
\n\
Options:\n\
  --unixctl=SOCKET            override the default control socket name\n\
  -h, --help                  display this help message\n\
  -V, --version               display version information\n",
           program_name, program_name, ovs_rundir());
    daemon_usage();
    vlog_usage();
    exit(EXIT_SUCCESS);
}

/* The databases.
 * ============== */

static bool
is_private_table(const char *name)
{
    for (size_t i = 0; i < ARRAY_SIZE(private_tables); i++) {
        if (!strcmp(name, private_tables[i])) {
            return true;
        }
    }
    return false;
}

/* Creates the PrivateLink IDL, not connected yet (controller_run()
 * connects it once plink-remote is known).  It replicates every table
 * except 'private_tables', every column except 'unread_columns', tracks
 * their changes for incremental processing, and reads from any member of
 * a cluster. */
static struct ovsdb_idl *
create_pl_idl(void)
{
    struct ovsdb_idl *idl = ovsdb_idl_create_unconnected(&plrec_idl_class,
                                                         false);

    for (size_t i = 0; i < plrec_idl_class.n_tables; i++) {
        const struct ovsdb_idl_table_class *tc = &plrec_idl_class.tables[i];

        if (!is_private_table(tc->name)) {
            for (size_t j = 0; j < tc->n_columns; j++) {
                if (!idl_track_column_in(&tc->columns[j], unread_columns,
                                         ARRAY_SIZE(unread_columns))) {
                    ovsdb_idl_add_column(idl, &tc->columns[j]);
                    ovsdb_idl_track_add_column(idl, &tc->columns[j]);
                }
            }
        }
    }
    ovsdb_idl_set_leader_only(idl, false);
    chassis_register_pl_idl(idl);
    binding_register_pl_idl(idl);

    /* Columns that no flow depends on and that change after every
     * realized change (hv_cfg, which plinkd writes when every chassis has
     * caught up; 'up', which we write ourselves once an ENI's flows are
     * in) or periodically (health check times): their
     * changes must not wake the flow computation, or every change would
     * cost two or three computations.  (Omitting the alert also stops
     * tracking them for incremental processing.) */
    ovsdb_idl_omit_alert(idl, &plrec_privatelink_global_col_hv_cfg);
    ovsdb_idl_omit_alert(idl, &plrec_privatelink_global_col_hv_cfg_timestamp);
    ovsdb_idl_omit_alert(idl, &plrec_network_interface_col_up);
    ovsdb_idl_omit_alert(idl, &plrec_target_col_health_checked_by);
    return idl;
}

/* Creates the Open_vSwitch IDL for 'remote', replicating only the columns
 * the modules ask for. */
static struct ovsdb_idl *
create_ovs_idl(const char *remote)
{
    struct ovsdb_idl *idl = ovsdb_idl_create(remote, &ovsrec_idl_class,
                                             false, true);

    br_int_register_ovs_idl(idl);
    binding_register_ovs_idl(idl);
    aws_service_register_ovs_idl(idl);
    encaps_register_ovs_idl(idl);
    flows_register_ovs_idl(idl);
    return idl;
}

/* Points the PrivateLink IDL at external_ids:plink-remote when that
 * changes. */
static void
controller_update_pl_remote(struct controller *ctrl)
{
    const char *remote = ctrl->cfg.pl_remote;

    if (!nullable_string_is_equal(remote, ctrl->pl_remote)) {
        VLOG_INFO("PrivateLink database: %s", remote ? remote : "(none)");
        free(ctrl->pl_remote);
        ctrl->pl_remote = nullable_xstrdup(remote);
        ovsdb_idl_set_remote(ctrl->pl_idl_loop.idl, remote, true);
    }
}

static void
controller_init(struct controller *ctrl, const char *ovs_remote)
{
    memset(ctrl, 0, sizeof *ctrl);
    local_config_init(&ctrl->cfg);
    ctrl->ovs_idl_loop = (struct ovsdb_idl_loop)
        OVSDB_IDL_LOOP_INITIALIZER(create_ovs_idl(ovs_remote));
    ctrl->pl_idl_loop = (struct ovsdb_idl_loop)
        OVSDB_IDL_LOOP_INITIALIZER(create_pl_idl());
    ctrl->desired = ofctrl_flow_table_create();
    ctrl->flows = flows_state_create();
    ofctrl_init();
    pinctrl_init();
    binding_init();
}

/* The main loop.
 * ============== */

/* Brings the desired flow table up to date if its inputs changed (or a
 * recompute was requested) and they are complete: the integration bridge
 * exists and the PrivateLink database has been read and knows our
 * chassis.  With incomplete inputs the previous table, if any, stays in
 * force: pushing a table computed from half the truth would delete working
 * flows.
 *
 * Changes to the PrivateLink database alone are applied incrementally when
 * flows-inc.c handles them all; anything else (the local Open_vSwitch
 * database, a "recompute" command, changes left over from a pass that
 * computed nothing) costs a full recompute. */
static void
controller_compute_flows(struct controller *ctrl,
                         const struct ovsrec_bridge *br_int)
{
    struct ovsdb_idl *ovs_idl = ctrl->ovs_idl_loop.idl;
    struct ovsdb_idl *pl_idl = ctrl->pl_idl_loop.idl;

    if (!br_int || !ctrl->chassis) {
        return;
    }

    unsigned int ovs_seqno = ovsdb_idl_get_seqno(ovs_idl);
    unsigned int pl_seqno = ovsdb_idl_get_seqno(pl_idl);
    if (ctrl->desired_complete && !ctrl->recompute
        && ovs_seqno == ctrl->ovs_seqno && pl_seqno == ctrl->pl_seqno) {
        return;
    }

    const struct flows_input in = {
        .pl_idl = pl_idl,
        .br_int = br_int,
        .chassis = ctrl->chassis,
    };
    const struct plrec_privatelink_global *global
        = plrec_privatelink_global_first(pl_idl);

    struct ds why = DS_EMPTY_INITIALIZER;
    long long int start = time_usec();
    if (!ctrl->desired_complete || ctrl->recompute) {
        ds_put_cstr(&why, ctrl->desired_complete ? "requested" : "start");
    } else if (ovs_seqno != ctrl->ovs_seqno) {
        ds_put_cstr(&why, "Open_vSwitch database changed");
    } else if (flows_handle_changes(&in, ctrl->flows, ctrl->desired, &why)) {
        ctrl->n_incremental++;
        ctrl->incremental_usec = time_usec() - start;
    }
    if (why.length) {
        VLOG_DBG("full recompute: %s", ds_cstr(&why));
        flows_run(&in, ctrl->flows, ctrl->desired);
        ctrl->n_recomputes++;
        ctrl->full_usec = time_usec() - start;
        free(ctrl->recompute_reason);
        ctrl->recompute_reason = ds_steal_cstr(&why);
    }
    ds_destroy(&why);
    ctrl->desired_cfg = global ? global->cfg : 0;
    ctrl->desired_complete = true;
    ctrl->ovs_seqno = ovs_seqno;
    ctrl->pl_seqno = pl_seqno;
    ctrl->recompute = false;
}

/* One pass of the main loop: read both databases, bring br-int, the
 * Chassis row, the tunnels and the bindings in line, recompute the desired
 * flows if needed, push them, and report the realized cfg and the
 * interfaces that are up.  Database writes made here are committed by
 * controller_wait(). */
static void
controller_run(struct controller *ctrl)
{
    struct ovsdb_idl_txn *ovs_txn = ovsdb_idl_loop_run(&ctrl->ovs_idl_loop);
    struct ovsdb_idl *ovs_idl = ctrl->ovs_idl_loop.idl;

    local_config_read(&ctrl->cfg, ovsrec_open_vswitch_first(ovs_idl));
    controller_update_pl_remote(ctrl);

    struct ovsdb_idl_txn *pl_txn = ovsdb_idl_loop_run(&ctrl->pl_idl_loop);
    struct ovsdb_idl *pl_idl = ctrl->pl_idl_loop.idl;
    bool pl_ready = ctrl->pl_remote && ovsdb_idl_has_ever_connected(pl_idl);

    const struct ovsrec_bridge *br_int = br_int_run(ovs_txn, ovs_idl,
                                                    &ctrl->cfg);
    ctrl->chassis = pl_ready ? chassis_run(pl_txn, pl_idl, &ctrl->cfg) : NULL;
    if (pl_ready) {
        encaps_run(ovs_txn, br_int, pl_idl, &ctrl->cfg);
    }

    /* The IDL shows a transaction's writes as soon as they are made, and
     * forgets them again when it commits until the server echoes them.
     * So the flows, and 'up', are computed before binding_run() claims
     * anything: they follow only committed bindings, and a claim costs
     * one flow computation, not three. */
    ofctrl_run(br_int ? br_int->name : NULL);
    /* pinctrl connects only while ofctrl is connected: then ovs-vswitchd
     * surely listens on the management socket. */
    pinctrl_run(br_int && ofctrl_is_connected() ? br_int->name : NULL);
    controller_compute_flows(ctrl, br_int);
    if (ctrl->desired_complete) {
        ofctrl_put(ctrl->desired, ctrl->desired_cfg);
        if (ofctrl_get_realized_seqno()
            == ofctrl_flow_table_seqno(ctrl->desired)) {
            ctrl->flows_realized = true;
        }
        binding_report_up(pl_txn, pl_idl, br_int, ctrl->chassis,
                          ofctrl_flow_table_seqno(ctrl->desired),
                          ofctrl_get_realized_seqno());
    }
    if (pl_ready) {
        binding_run(pl_txn, pl_idl, br_int, ctrl->chassis);
        aws_service_run(pl_txn, pl_idl, br_int, ctrl->chassis);
        /* No health check before our flows are on the switch: while a
         * large table is being installed after a (re)start, the checks'
         * answers could not come back, and every target would be marked
         * unhealthy for nothing. */
        if (ctrl->flows_realized) {
            health_run(pl_txn, pl_idl, ctrl->chassis);
        }
        dns_run(pl_idl);
    }
    chassis_update_nb_cfg(pl_txn, ctrl->chassis, ofctrl_get_cur_cfg());

    /* The tracked changes are consumed now.  If no computation used them
     * (incomplete inputs), only a full recompute can catch up. */
    if (ovsdb_idl_get_seqno(pl_idl) != ctrl->pl_seqno) {
        ctrl->recompute = true;
    }
    ovsdb_idl_track_clear(pl_idl);
}

/* Commits this pass's database changes and arranges for poll_block() to
 * wake up when any input changes. */
static void
controller_wait(struct controller *ctrl)
{
    ovsdb_idl_loop_commit_and_wait(&ctrl->ovs_idl_loop);
    ovsdb_idl_loop_commit_and_wait(&ctrl->pl_idl_loop);
    ofctrl_wait();
    pinctrl_wait();
}

static void
controller_destroy(struct controller *ctrl)
{
    binding_destroy();
    pinctrl_destroy();
    dns_destroy();
    ofctrl_destroy();
    ofctrl_flow_table_destroy(ctrl->desired);
    flows_state_destroy(ctrl->flows);
    free(ctrl->recompute_reason);
    ovsdb_idl_loop_destroy(&ctrl->ovs_idl_loop);
    ovsdb_idl_loop_destroy(&ctrl->pl_idl_loop);
    local_config_destroy(&ctrl->cfg);
    free(ctrl->pl_remote);
}

/* unixctl commands.
 * ================= */

static void
controller_unixctl_exit(struct unixctl_conn *conn, int argc OVS_UNUSED,
                        const char *argv[] OVS_UNUSED, void *ctrl_)
{
    struct controller *ctrl = ctrl_;

    ctrl->exiting = true;
    unixctl_command_reply(conn, NULL);
}

static const char *
idl_state(const struct ovsdb_idl *idl)
{
    return ovsdb_idl_is_connected(idl) ? "connected" : "not connected";
}

/* "status": one "key: value" line per fact; tests grep these lines. */
static void
controller_unixctl_status(struct unixctl_conn *conn, int argc OVS_UNUSED,
                          const char *argv[] OVS_UNUSED, void *ctrl_)
{
    struct controller *ctrl = ctrl_;
    struct ds s = DS_EMPTY_INITIALIZER;

    local_config_format(&ctrl->cfg, &s);
    ds_put_format(&s, "ovs-db: %s\n", idl_state(ctrl->ovs_idl_loop.idl));
    ds_put_format(&s, "privatelink-db: %s (%s)\n",
                  idl_state(ctrl->pl_idl_loop.idl),
                  ctrl->pl_remote ? ctrl->pl_remote : "no plink-remote");
    ds_put_format(&s, "chassis row: %s\n",
                  ctrl->chassis ? "registered" : "not registered");
    ds_put_format(&s, "cfg: desired %"PRId64", realized %"PRId64"\n",
                  ctrl->desired_cfg, ofctrl_get_cur_cfg());
    ds_put_format(&s, "desired flows: %"PRIuSIZE"%s\n",
                  ofctrl_flow_table_count(ctrl->desired),
                  ctrl->desired_complete ? "" : " (incomplete inputs)");
    ds_put_format(&s, "recomputes: %u\n", ctrl->n_recomputes);
    ds_put_format(&s, "incremental computations: %u\n",
                  ctrl->n_incremental);
    ds_put_format(&s, "last computation time: full %lld us, "
                  "incremental %lld us\n",
                  ctrl->full_usec, ctrl->incremental_usec);
    ds_put_format(&s, "last recompute reason: %s\n",
                  ctrl->recompute_reason ? ctrl->recompute_reason : "none");
    dns_format_status(&s);
    ofctrl_format_status(&s);
    unixctl_command_reply(conn, ds_cstr(&s));
    ds_destroy(&s);
}

static void
controller_unixctl_recompute(struct unixctl_conn *conn, int argc OVS_UNUSED,
                             const char *argv[] OVS_UNUSED, void *ctrl_)
{
    struct controller *ctrl = ctrl_;

    ctrl->recompute = true;
    poll_immediate_wake();
    unixctl_command_reply(conn, NULL);
}

static void
controller_unixctl_flow_table_list(struct unixctl_conn *conn,
                                   int argc OVS_UNUSED,
                                   const char *argv[] OVS_UNUSED,
                                   void *ctrl_ OVS_UNUSED)
{
    struct ds s = DS_EMPTY_INITIALIZER;

    pl_stages_format(&s);
    unixctl_command_reply(conn, ds_cstr(&s));
    ds_destroy(&s);
}

static void
controller_unixctl_dump_desired_flows(struct unixctl_conn *conn,
                                      int argc OVS_UNUSED,
                                      const char *argv[] OVS_UNUSED,
                                      void *ctrl_)
{
    struct controller *ctrl = ctrl_;
    struct ds s = DS_EMPTY_INITIALIZER;

    ofctrl_flow_table_format(ctrl->desired, &s);
    unixctl_command_reply(conn, ds_cstr(&s));
    ds_destroy(&s);
}

/* "debug/dump-bindings": one line per local interface (binding.h). */
static void
controller_unixctl_dump_bindings(struct unixctl_conn *conn,
                                 int argc OVS_UNUSED,
                                 const char *argv[] OVS_UNUSED, void *ctrl_)
{
    struct controller *ctrl = ctrl_;
    const struct ovsrec_bridge *br;
    struct ds s = DS_EMPTY_INITIALIZER;

    OVSREC_BRIDGE_FOR_EACH (br, ctrl->ovs_idl_loop.idl) {
        if (ctrl->cfg.bridge && !strcmp(br->name, ctrl->cfg.bridge)) {
            binding_format(ctrl->pl_idl_loop.idl, br, ctrl->chassis, &s);
        }
    }
    unixctl_command_reply(conn, ds_cstr(&s));
    ds_destroy(&s);
}

/* Creates the unixctl server on 'path' (NULL for the default
 * $OVS_RUNDIR/plink-controller.<pid>.ctl) and registers the commands, or
 * exits on failure. */
static struct unixctl_server *
controller_unixctl_create(const char *path, struct controller *ctrl)
{
    struct unixctl_server *server;
    int error = unixctl_server_create(path, &server);

    if (error) {
        ovs_fatal(error, "failed to create unixctl server");
    }
    unixctl_command_register("exit", "", 0, 0, controller_unixctl_exit, ctrl);
    unixctl_command_register("status", "", 0, 0, controller_unixctl_status,
                             ctrl);
    unixctl_command_register("recompute", "", 0, 0,
                             controller_unixctl_recompute, ctrl);
    unixctl_command_register("flow-table-list", "", 0, 0,
                             controller_unixctl_flow_table_list, ctrl);
    unixctl_command_register("debug/dump-desired-flows", "", 0, 0,
                             controller_unixctl_dump_desired_flows, ctrl);
    unixctl_command_register("debug/dump-bindings", "", 0, 0,
                             controller_unixctl_dump_bindings, ctrl);
    return server;
}
