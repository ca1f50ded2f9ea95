/*
 * plinkd: the OVS PrivateLink management plane.
 *
 * plinkd serves the AWS EC2 operations of PrivateLink (and its own Twirp
 * API for plctl) over HTTP, authenticates and authorizes every call, runs
 * the AWS state machines and writes the result into the PrivateLink
 * database.  It never programs a switch: each chassis's plink-controller
 * turns the database into OpenFlow.  See DESIGN.md.
 *
 * Threads: the main thread runs the OVS poll loop (IDL, operations,
 * unixctl); the HTTP thread runs libevent (http-server.h).
 */
#include <config.h>

#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "api.h"
#include "command-line.h"
#include "daemon.h"
#include "db.h"
#include "eni.h"
#include "fatal-signal.h"
#include "http-server.h"
#include "lib/plink-idl.h"
#include "openvswitch/dynamic-string.h"
#include "openvswitch/poll-loop.h"
#include "openvswitch/vlog.h"
#include "notify.h"
#include "op-util.h"
#include "ovsdb-idl.h"
#include "unixctl.h"
#include "util.h"
#include "verify.h"

VLOG_DEFINE_THIS_MODULE(plinkd);

/* Command-line settings. */
struct plinkd_options {
    char *db;                   /* PrivateLink database remote. */
    char *listen;               /* HTTP listen address, "IP:PORT". */
    char *region;               /* Region of a new database. */
    char *unixctl_path;         /* Control socket, or NULL for default. */
};

/* What the unixctl commands need. */
struct plinkd_state {
    bool exiting;               /* Set by "exit". */
    struct ovsdb_idl *idl;      /* The PrivateLink database. */
    struct http_server *http;   /* The HTTP listener. */
    struct api *api;            /* The API fronts. */
    struct notify *notify;      /* Delivery of connection notifications. */
    struct verify *verify;      /* Private DNS name verification. */
    const struct plinkd_options *options; /* Settings. */
};

OVS_NO_RETURN static void
usage(void)
{
    printf("%s: OVS PrivateLink management plane\n"
"usage: %s [OPTIONS]\n"
"\n"
"Serves the AWS EC2 PrivateLink operations (EC2 Query protocol, signed\n"
"with AWS Signature Version 4) and the PrivateLink Twirp API on HTTP, and\n"
"keeps the PrivateLink database that every plink-controller follows.\n"
"\n"
"  POST /                                       EC2 Query (aws ec2 ...)\n"
"  POST /twirp/privatelink.v1.PrivateLink/M     protobuf API (plctl)\n"
"\n"
"Options:\n"
"  --db=REMOTE          PrivateLink database (default: %s);\n"
"                       a comma-separated list for a clustered database\n"
"  --listen=IP:PORT     HTTP listen address (default: 127.0.0.1:8780)\n"
"  --region=NAME        region of a new database (default: us-east-1)\n"
"  --unixctl=SOCKET     control socket (default: in the run directory)\n"
"  -h, --help           display this help message\n"
"  -V, --version        display version information\n",
           program_name, program_name, "unix:" PLINKD_DEFAULT_DB);
    daemon_usage();
    vlog_usage();
    printf("\nControl commands (ovs-appctl -t SOCKET CMD):\n"
           "  exit                 stop plinkd\n"
           "  status               database, listener, call and transaction\n"
"                       counters\n");
    exit(EXIT_SUCCESS);
}

static void
parse_options(int argc, char *argv[], struct plinkd_options *o)
{
    enum {
        OPT_DB = UCHAR_MAX + 1,
        OPT_LISTEN,
        OPT_REGION,
        OPT_UNIXCTL,
        VLOG_OPTION_ENUMS,
        DAEMON_OPTION_ENUMS,
    };
    static const struct option long_options[] = {
        {"db", required_argument, NULL, OPT_DB},
        {"listen", required_argument, NULL, OPT_LISTEN},
        {"region", required_argument, NULL, OPT_REGION},
        {"unixctl", required_argument, NULL, OPT_UNIXCTL},
        {"help", no_argument, NULL, 'h'},
        {"version", no_argument, NULL, 'V'},
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
        case OPT_DB: free(o->db); o->db = xstrdup(optarg); break;
        case OPT_LISTEN: free(o->listen); o->listen = xstrdup(optarg); break;
        case OPT_REGION: free(o->region); o->region = xstrdup(optarg); break;
        case OPT_UNIXCTL: o->unixctl_path = xstrdup(optarg); break;
        case 'h': usage();
        case 'V': ovs_print_version(0, 0); exit(EXIT_SUCCESS);
        VLOG_OPTION_HANDLERS
        DAEMON_OPTION_HANDLERS
        case '?': exit(EXIT_FAILURE);
        default: abort();
        }
    }
    free(short_options);
    if (optind != argc) {
        ovs_fatal(0, "unexpected argument %s (use --help for help)",
                  argv[optind]);
    }
}

static void
plinkd_unixctl_exit(struct unixctl_conn *conn, int argc OVS_UNUSED,
                    const char *argv[] OVS_UNUSED, void *state_)
{
    struct plinkd_state *state = state_;
    state->exiting = true;
    unixctl_command_reply(conn, NULL);
}

static void
plinkd_unixctl_status(struct unixctl_conn *conn, int argc OVS_UNUSED,
                      const char *argv[] OVS_UNUSED, void *state_)
{
    struct plinkd_state *state = state_;
    const struct plrec_privatelink_global *g
        = plrec_privatelink_global_first(state->idl);
    struct ds s = DS_EMPTY_INITIALIZER;

    ds_put_format(&s, "database: %s (%s)\n", state->options->db,
                  ovsdb_idl_is_connected(state->idl) ? "connected"
                                                     : "not connected");
    ds_put_format(&s, "listening: %s\n",
                  http_server_listen_address(state->http));
    ds_put_format(&s, "requests: %llu\n",
                  http_server_n_requests(state->http));
    api_get_status(state->api, &s);
    notify_get_status(state->notify, &s);
    verify_get_status(state->verify, &s);
    if (g) {
        ds_put_format(&s, "region: %s\ncfg: %"PRId64"\nhv_cfg: %"PRId64"\n",
                      g->region, g->cfg, g->hv_cfg);
    }
    unixctl_command_reply(conn, ds_cstr(&s));
    ds_destroy(&s);
}

int
main(int argc, char *argv[])
{
    struct plinkd_options options = {
        .db = xstrdup("unix:" PLINKD_DEFAULT_DB),
        .listen = xstrdup("127.0.0.1:8780"),
        .region = xstrdup("us-east-1"),
    };
    struct plinkd_state state = { .options = &options };

    set_program_name(argv[0]);
    service_start(&argc, &argv);
    fatal_ignore_sigpipe();
    parse_options(argc, argv, &options);
    daemonize_start(false);

    struct unixctl_server *unixctl;
    int error = unixctl_server_create(options.unixctl_path, &unixctl);
    if (error) {
        exit(EXIT_FAILURE);
    }
    unixctl_command_register("exit", "", 0, 0, plinkd_unixctl_exit, &state);
    unixctl_command_register("status", "", 0, 0, plinkd_unixctl_status,
                             &state);

    state.idl = ovsdb_idl_create(options.db, &plrec_idl_class, true, true);
    ovsdb_idl_set_leader_only(state.idl, true);
    op_util_init(state.idl);
    eni_init(state.idl);
    char *msg = http_server_start(options.listen, &state.http);
    if (msg) {
        ovs_fatal(0, "%s", msg);
    }
    struct pldb *db = pldb_create(state.idl, options.region, options.db);
    state.notify = notify_create(options.db);
    state.verify = verify_create(options.db);
    state.api = api_create(state.idl, state.http, db);
    daemonize_complete();
    VLOG_INFO("listening on http://%s/, database %s", options.listen,
              options.db);

    while (!state.exiting) {
        ovsdb_idl_run(state.idl);
        unixctl_server_run(unixctl);
        api_run(state.api);
        pldb_run(db, !api_has_txn(state.api));
        notify_run(state.notify);
        verify_run(state.verify);

        ovsdb_idl_wait(state.idl);
        unixctl_server_wait(unixctl);
        api_wait(state.api);
        pldb_wait(db);
        notify_wait(state.notify);
        verify_wait(state.verify);
        if (state.exiting) {
            poll_immediate_wake();
        }
        poll_block();
    }

    http_server_destroy(state.http);
    notify_destroy(state.notify);
    verify_destroy(state.verify);
    api_destroy(state.api);
    pldb_destroy(db);
    ovsdb_idl_destroy(state.idl);
    unixctl_server_destroy(unixctl);
    free(options.db);
    free(options.listen);
    free(options.region);
    free(options.unixctl_path);
    service_stop();
    return 0;
}
