/* SPDX-License-Identifier: Apache-2.0 */

/* plink-appliance: what AWS expects of a Gateway Load Balancer appliance,
 * for an appliance instance's network namespace.
 *
 * The Gateway Load Balancer sends each packet it steers through an
 * appliance as a GENEVE datagram (RFC 8926) to the appliance's UDP port
 * 6081: an 8-byte GENEVE header, the GWLB's options (class 0x0108: the
 * endpoint id, the attachment id and a flow cookie) and the inner IPv4
 * packet, without an Ethernet header.  An appliance that lets the packet
 * pass returns the datagram unchanged to the load balancer's port 6081;
 * one that drops it simply returns nothing.
 *
 * This program does exactly that, and counts what it saw per inner flow:
 *
 *   UDP 6081 --> appl_packet_parse() --> invalid: counted, dropped
 *                        |
 *                        v
 *               appl_flow_count() --> --drop-dport: counted, dropped
 *                        |
 *                        v
 *               sendto(sender, 6081), the same bytes
 *
 * and writes the counters to the --stats file every second.  Everything
 * runs in the OVS poll loop of one thread; SIGTERM ends the loop through a
 * self-pipe so that the last counters are written and the exit status is
 * 0. */

#include <config.h>

#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <limits.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "bitmap.h"
#include "command-line.h"
#include "daemon.h"
#include "dirs.h"
#include "fatal-signal.h"
#include "hash.h"
#include "openvswitch/dynamic-string.h"
#include "openvswitch/hmap.h"
#include "openvswitch/poll-loop.h"
#include "openvswitch/vlog.h"
#include "packets.h"
#include "signals.h"
#include "socket-util.h"
#include "timeval.h"
#include "util.h"

VLOG_DEFINE_THIS_MODULE(appliance);

/* Constants of the protocol and of this program. */
enum {
    APPL_GENEVE_PORT = 6081,       /* Where the GWLB sends and listens. */
    APPL_GENEVE_HDR_SIZE = 8,      /* The fixed GENEVE header. */
    APPL_GENEVE_OPT_HDR_SIZE = 4,  /* One option's class, type, length. */
    APPL_ETH_TYPE_IPV4 = 0x0800,   /* GENEVE Protocol Type of the GWLB. */
    APPL_GWLB_CLASS = 0x0108,      /* AWS's GENEVE option class. */
    APPL_GWLB_ENDPOINT = 1,        /* Option type: GWLB endpoint id. */
    APPL_GWLB_ATTACHMENT = 2,      /* Option type: attachment id. */
    APPL_GWLB_COOKIE = 3,          /* Option type: flow cookie. */
    APPL_OPT_CRITICAL = 0x80,      /* Critical bit of an option's type. */
    APPL_IPV4_MIN_HDR_SIZE = 20,   /* An IPv4 header without options. */
    APPL_BUF_SIZE = 65536,         /* Larger than any UDP payload. */
    APPL_BATCH = 64,               /* Datagrams read per main-loop turn. */
    APPL_MAX_FLOWS = 65536,        /* Flows counted one by one, at most. */
    APPL_STATS_INTERVAL = 1000,    /* Milliseconds between stats writes. */
};

/* The GWLB's metadata: the three options of class 0x0108 it adds to every
 * datagram, in host byte order. */
struct appl_gwlb_tlvs {
    uint64_t endpoint_id;       /* Type 1: the GWLB endpoint's id. */
    uint64_t attachment_id;     /* Type 2: the attachment's id. */
    uint32_t cookie;            /* Type 3: the flow cookie. */
};

/* An inner flow, as this program tells flows apart. */
struct appl_flow_key {
    uint8_t proto;              /* IPv4 protocol number. */
    ovs_be32 src;               /* IPv4 source address. */
    ovs_be32 dst;               /* IPv4 destination address. */
    uint16_t sport;             /* TCP/UDP source port, else 0. */
    uint16_t dport;             /* TCP/UDP destination port, else 0. */
};

/* What appl_packet_parse() finds in a valid datagram. */
struct appl_packet {
    uint32_t vni;               /* GENEVE Virtual Network Identifier. */
    struct appl_gwlb_tlvs tlvs; /* The GWLB's options. */
    struct appl_flow_key key;   /* The inner packet's flow. */
};

/* The counters of one inner flow, in 'struct appliance''s 'flows'. */
struct appl_flow {
    struct hmap_node node;      /* In 'flows', by appl_flow_hash(). */
    struct appl_flow_key key;   /* The flow. */
    uint64_t n_packets;         /* Valid packets of this flow seen. */
    uint64_t n_dropped;         /* Of those, dropped by --drop-dport. */
    struct appl_gwlb_tlvs tlvs; /* The GWLB options of its last packet. */
};

/* The whole appliance: its configuration, socket and counters. */
struct appliance {
    /* Configuration, from the command line. */
    ovs_be32 listen_ip;         /* --listen: address to bind. */
    uint16_t port;              /* --port: UDP port to bind. */
    unsigned long *drop_dports; /* --drop-dport: bitmap of 65536 ports. */
    char *stats_path;           /* --stats: absolute file name, or NULL. */

    /* Run-time state. */
    int fd;                     /* The bound UDP socket, or -1. */
    uint8_t *buf;               /* Receive buffer of APPL_BUF_SIZE bytes. */
    long long int next_stats;   /* When to write 'stats_path' next (ms). */
    struct hmap flows;          /* Contains "struct appl_flow"s. */

    /* Totals, over all flows. */
    uint64_t n_packets;         /* Valid packets received. */
    uint64_t n_dropped;         /* Valid packets dropped by a rule. */
    uint64_t n_invalid;         /* Datagrams that were not valid. */
};

/* Set by appl_signal_handler() on SIGTERM or SIGINT.  The handler also
 * writes a byte to 'appl_signal_fds[1]' to wake up poll_block(). */
static volatile sig_atomic_t appl_stopping;
static int appl_signal_fds[2] = { -1, -1 };

static void appl_signals_init(void);
static void parse_options(int argc, char *argv[], struct appliance *);
OVS_NO_RETURN static void usage(void);
static void appl_init(struct appliance *);
static void appl_open(struct appliance *);
static void appl_run(struct appliance *);
static void appl_wait(const struct appliance *);
static void appl_stats_write(const struct appliance *);
static void appl_destroy(struct appliance *);

int
main(int argc, char *argv[])
{
    struct appliance appl;

    set_program_name(argv[0]);
    appl_signals_init();
    fatal_ignore_sigpipe();
    appl_init(&appl);
    parse_options(argc, argv, &appl);

    daemonize_start(false);
    appl_open(&appl);
    daemonize_complete();
    VLOG_INFO("listening on "IP_FMT":%"PRIu16, IP_ARGS(appl.listen_ip),
              appl.port);

    while (!appl_stopping) {
        appl_run(&appl);
        appl_wait(&appl);
        poll_block();
    }

    VLOG_INFO("exiting on signal: %"PRIu64" packets, %"PRIu64" dropped, "
              "%"PRIu64" invalid", appl.n_packets, appl.n_dropped,
              appl.n_invalid);
    appl_stats_write(&appl);
    appl_destroy(&appl);
    return 0;
}

/* Signals.
 * ======== */

/* Records that the process was asked to stop and wakes up the main loop.
 * Async-signal-safe. */
static void
appl_signal_handler(int sig_nr OVS_UNUSED)
{
    appl_stopping = 1;
    ignore(write(appl_signal_fds[1], "", 1));
}

/* Makes SIGTERM and SIGINT stop the main loop, so that main() writes the
 * stats one last time and exits 0.  Must run before anything initializes
 * OVS's fatal-signal module, which leaves alone the signals that already
 * have a handler (its own handler would re-raise the signal and end the
 * process with it). */
static void
appl_signals_init(void)
{
    struct sigaction sa;

    xpipe_nonblocking(appl_signal_fds);
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = appl_signal_handler;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = SA_RESTART;
    xsigaction(SIGTERM, &sa, NULL);
    xsigaction(SIGINT, &sa, NULL);
}

/* Command line.
 * ============= */

/* Prints "plink-appliance: MESSAGE (use --help for usage)", one line on
 * stderr, and exits with status 2, the status of bad usage. */
OVS_NO_RETURN static void OVS_PRINTF_FORMAT(1, 2)
appl_usage_error(const char *format, ...)
{
    va_list args;

    va_start(args, format);
    fprintf(stderr, "%s: ", program_name);
    vfprintf(stderr, format, args);
    fprintf(stderr, " (use --help for usage)\n");
    va_end(args);
    exit(2);
}

/* Parses 'arg', the argument of option 'name', as a UDP port 1..65535;
 * exits with a usage error if it is not one. */
static uint16_t
appl_parse_port(const char *name, const char *arg)
{
    int port;

    if (!str_to_int(arg, 10, &port) || port < 1 || port > 65535) {
        appl_usage_error("%s: \"%s\" is not a port number (1 to 65535)",
                         name, arg);
    }
    return port;
}

/* Parses the command line into 'appl''s configuration.  Exits 2 on bad
 * usage, 0 after --help or --version. */
static void
parse_options(int argc, char *argv[], struct appliance *appl)
{
    enum {
        OPT_LISTEN = UCHAR_MAX + 1,
        OPT_PORT,
        OPT_DROP_DPORT,
        OPT_STATS,
        OPT_PIDFILE,
        OPT_OVERWRITE_PIDFILE,
        OPT_DETACH,
        OPT_NO_CHDIR,
        VLOG_OPTION_ENUMS,
    };
    static const struct option long_options[] = {
        {"listen", required_argument, NULL, OPT_LISTEN},
        {"port", required_argument, NULL, OPT_PORT},
        {"drop-dport", required_argument, NULL, OPT_DROP_DPORT},
        {"stats", required_argument, NULL, OPT_STATS},
        {"pidfile", optional_argument, NULL, OPT_PIDFILE},
        {"overwrite-pidfile", no_argument, NULL, OPT_OVERWRITE_PIDFILE},
        {"detach", no_argument, NULL, OPT_DETACH},
        {"no-chdir", no_argument, NULL, OPT_NO_CHDIR},
        {"help", no_argument, NULL, 'h'},
        {"version", no_argument, NULL, 'V'},
        VLOG_LONG_OPTIONS,
        {NULL, 0, NULL, 0},
    };
    char *short_options = ovs_cmdl_long_options_to_short_options(long_options);

    for (;;) {
        int c = getopt_long(argc, argv, short_options, long_options, NULL);
        if (c == -1) {
            break;
        }
        switch (c) {
        case OPT_LISTEN:
            if (!ip_parse(optarg, &appl->listen_ip)) {
                appl_usage_error("--listen: \"%s\" is not an IPv4 address",
                                 optarg);
            }
            break;
        case OPT_PORT:
            appl->port = appl_parse_port("--port", optarg);
            break;
        case OPT_DROP_DPORT:
            bitmap_set1(appl->drop_dports,
                        appl_parse_port("--drop-dport", optarg));
            break;
        case OPT_STATS:
            free(appl->stats_path);
            appl->stats_path = abs_file_name(NULL, optarg);
            break;
        case OPT_PIDFILE:
            set_pidfile(optarg);
            break;
        case OPT_OVERWRITE_PIDFILE:
            ignore_existing_pidfile();
            break;
        case OPT_DETACH:
            set_detach();
            break;
        case OPT_NO_CHDIR:
            set_no_chdir();
            break;
        case 'h':
            usage();
        case 'V':
            printf("%s (OVS PrivateLink) %s\n", program_name, PLINK_VERSION);
            exit(EXIT_SUCCESS);
        VLOG_OPTION_HANDLERS
        case '?':
            /* getopt_long() has printed the one line that says why. */
            exit(2);
        default:
            OVS_NOT_REACHED();
        }
    }
    free(short_options);

    if (optind < argc) {
        appl_usage_error("unexpected argument \"%s\"", argv[optind]);
    }
}

static void
usage(void)
{
    printf("\
NAME\n\
    %s - a Gateway Load Balancer appliance: GENEVE in, the same out\n\
\n\
SYNOPSIS\n\
    %s [--listen IP] [--port PORT] [--drop-dport PORT]...\n\
                    [--stats FILE] [--pidfile[=FILE]] [--detach]\n\
                    [--log-file[=FILE]] [-v[SPEC]]\n\
    %s --help | --version\n\
\n", program_name, program_name, program_name);
    printf("\
DESCRIPTION\n\
    Plays an appliance behind a Gateway Load Balancer (GWLB), as AWS\n\
    expects one to behave, in the network namespace of an appliance\n\
    instance.  It receives the GENEVE datagrams (RFC 8926) that the GWLB\n\
    sends to UDP port 6081 and checks each one: GENEVE version 0, a\n\
    complete header and options, Protocol Type 0x0800 (the inner packet\n\
    is IPv4, without an Ethernet header), the three GWLB options of class\n\
    0x0108 (type 1: the GWLB endpoint id, 8 bytes; type 2: the attachment\n\
    id, 8 bytes; type 3: the flow cookie, 4 bytes), no unknown critical\n\
    option, and a well-formed inner IPv4 packet (with at least the ports\n\
    of a TCP or UDP header).  A datagram that fails a check is counted as\n\
    invalid and dropped.\n\
\n\
    A valid packet is counted for its inner flow: protocol, source\n\
    address and port, destination address and port (ports are 0 for\n\
    protocols other than TCP and UDP, and for non-first fragments).  If\n\
    its destination port is one of the --drop-dport ports, it is counted\n\
    as dropped and nothing is returned: the GWLB never delivers it.\n\
    Otherwise the datagram is sent back unchanged (the same GENEVE\n\
    header, options and inner packet) from the receiving socket to the\n\
    sender's address, on port 6081 whatever the sender's source port,\n\
    because that is where the GWLB listens.\n\
\n\
    SIGTERM or SIGINT writes the stats one last time and exits 0.\n\
\n");
    printf("\
OPTIONS\n\
    --listen IP       the IPv4 address to receive on (default 0.0.0.0)\n\
    --port PORT       the UDP port to receive on (default 6081)\n\
    --drop-dport PORT drop inner TCP and UDP packets to destination port\n\
                      PORT; may be given several times\n\
    --stats FILE      write the counters to FILE every second, replacing\n\
                      it atomically (FILE.tmp, then rename)\n\
    --pidfile[=FILE]  write the process id to FILE (default\n\
                      %s.pid; a relative FILE is in\n\
                      %s)\n\
    --overwrite-pidfile\n\
                      with --pidfile, replace a pidfile that another\n\
                      running process holds\n\
    --detach          run in the background once the socket is bound\n\
    --no-chdir        with --detach, do not change to /\n\
    --log-file[=FILE] log to FILE (default %s.log in\n\
                      %s)\n\
    -v, --verbose[=SPEC]\n\
                      set log levels, as in ovs-appctl vlog/set\n\
    -h, --help        print this manual\n\
    -V, --version     print the version\n\
\n", program_name, ovs_rundir(), program_name, ovs_logdir());
    printf("\
FILES\n\
    The --stats FILE has a first line with the totals, then one line per\n\
    inner flow, sorted by protocol, source and destination:\n\
\n\
        total packets=N dropped=M invalid=K\n\
        PROTO SRC:SPORT DST:DPORT packets=N dropped=M endpoint=0x<16 hex>\n\
            attachment=0x<16 hex> cookie=0x<8 hex>\n\
\n\
    (each flow on one line).  PROTO is tcp, udp, icmp or the protocol\n\
    number.  packets counts every valid packet of the flow, dropped\n\
    those of them dropped by --drop-dport; the options shown are those\n\
    of the flow's last packet.  At most %d flows are listed; packets of\n\
    further flows count in the totals only.\n\
\n\
EXIT STATUS\n\
    0 when stopped by SIGTERM or SIGINT, 1 when it cannot start (e.g. the\n\
    port is in use), 2 on bad usage.\n\
\n\
EXAMPLES\n\
    In an appliance instance's namespace, pass everything but telnet:\n\
\n\
        ip netns exec appliance1 %s --drop-dport 23 \\\n\
            --stats /tmp/appliance1.stats --pidfile=/tmp/appliance1.pid \\\n\
            --log-file=/tmp/appliance1.log --detach\n\
        cat /tmp/appliance1.stats\n\
        kill $(cat /tmp/appliance1.pid)\n",
           APPL_MAX_FLOWS, program_name);
    exit(EXIT_SUCCESS);
}

/* Life cycle.
 * =========== */

/* Initializes 'appl' with the defaults of every option. */
static void
appl_init(struct appliance *appl)
{
    memset(appl, 0, sizeof *appl);
    appl->listen_ip = htonl(INADDR_ANY);
    appl->port = APPL_GENEVE_PORT;
    appl->drop_dports = bitmap_allocate(65536);
    appl->fd = -1;
    hmap_init(&appl->flows);
}

/* Opens and binds 'appl''s socket.  Exits 1 with a message if it cannot
 * (with --detach, the foreground process exits 1 too). */
static void
appl_open(struct appliance *appl)
{
    struct sockaddr_in sin;

    appl->fd = socket(AF_INET, SOCK_DGRAM, 0);
    if (appl->fd < 0) {
        ovs_fatal(errno, "socket");
    }
    memset(&sin, 0, sizeof sin);
    sin.sin_family = AF_INET;
    sin.sin_addr.s_addr = appl->listen_ip;
    sin.sin_port = htons(appl->port);
    if (bind(appl->fd, (struct sockaddr *) &sin, sizeof sin) < 0) {
        ovs_fatal(errno, "bind "IP_FMT":%"PRIu16, IP_ARGS(appl->listen_ip),
                  appl->port);
    }
    xset_nonblocking(appl->fd);
    appl->buf = xmalloc(APPL_BUF_SIZE);
    appl->next_stats = time_msec();
}

/* Frees everything 'appl' holds and closes its socket. */
static void
appl_destroy(struct appliance *appl)
{
    struct appl_flow *flow;

    HMAP_FOR_EACH_POP (flow, node, &appl->flows) {
        free(flow);
    }
    hmap_destroy(&appl->flows);
    if (appl->fd >= 0) {
        close(appl->fd);
    }
    free(appl->buf);
    free(appl->stats_path);
    bitmap_free(appl->drop_dports);
}

/* Parsing.
 * ======== */

/* Returns the big-endian 16-bit value at 'p', in host byte order. */
static uint16_t
appl_get_16(const uint8_t *p)
{
    return ((uint16_t) p[0] << 8) | p[1];
}

/* Returns the big-endian 32-bit value at 'p', in host byte order. */
static uint32_t
appl_get_32(const uint8_t *p)
{
    return ((uint32_t) appl_get_16(p) << 16) | appl_get_16(p + 2);
}

/* Returns the big-endian 64-bit value at 'p', in host byte order. */
static uint64_t
appl_get_64(const uint8_t *p)
{
    return ((uint64_t) appl_get_32(p) << 32) | appl_get_32(p + 4);
}

/* Stores in 'tlvs' the GWLB option of 'type' whose data is the 'size'
 * bytes at 'data', and sets the bit (1 << type) in '*seen'.  Returns NULL,
 * or a static string that says why the option is invalid. */
static const char *
appl_gwlb_option_parse(uint8_t type, const uint8_t *data, size_t size,
                       struct appl_gwlb_tlvs *tlvs, unsigned int *seen)
{
    switch (type) {
    case APPL_GWLB_ENDPOINT:
        if (size != 8) {
            return "GWLB endpoint option is not 8 bytes";
        }
        tlvs->endpoint_id = appl_get_64(data);
        break;
    case APPL_GWLB_ATTACHMENT:
        if (size != 8) {
            return "GWLB attachment option is not 8 bytes";
        }
        tlvs->attachment_id = appl_get_64(data);
        break;
    case APPL_GWLB_COOKIE:
        if (size != 4) {
            return "GWLB cookie option is not 4 bytes";
        }
        tlvs->cookie = appl_get_32(data);
        break;
    default:
        if (type & APPL_OPT_CRITICAL) {
            return "unknown critical GWLB option";
        }
        return NULL;
    }
    *seen |= 1u << type;
    return NULL;
}

/* Parses the 'size' bytes of GENEVE options at 'opts' into 'tlvs'.
 * Returns NULL if all three GWLB options are there and the options are
 * well-formed, otherwise a static string that says why not. */
static const char *
appl_options_parse(const uint8_t *opts, size_t size,
                   struct appl_gwlb_tlvs *tlvs)
{
    const unsigned int all = ((1u << APPL_GWLB_ENDPOINT)
                              | (1u << APPL_GWLB_ATTACHMENT)
                              | (1u << APPL_GWLB_COOKIE));
    unsigned int seen = 0;
    size_t ofs = 0;

    while (ofs < size) {
        if (size - ofs < APPL_GENEVE_OPT_HDR_SIZE) {
            return "truncated GENEVE option header";
        }
        const uint8_t *opt = opts + ofs;
        uint16_t class = appl_get_16(opt);
        uint8_t type = opt[2];
        size_t data_size = (opt[3] & 0x1f) * 4;
        ofs += APPL_GENEVE_OPT_HDR_SIZE;
        if (data_size > size - ofs) {
            return "GENEVE option overruns the options";
        }

        const char *error = NULL;
        if (class == APPL_GWLB_CLASS) {
            error = appl_gwlb_option_parse(type, opts + ofs, data_size,
                                           tlvs, &seen);
        } else if (type & APPL_OPT_CRITICAL) {
            error = "unknown critical GENEVE option";
        }
        if (error) {
            return error;
        }
        ofs += data_size;
    }
    return seen == all ? NULL : "GWLB option missing";
}

/* Parses the inner IPv4 packet of 'size' bytes at 'ip' into 'key'.
 * Returns NULL if it is well-formed, otherwise a static string that says
 * why not. */
static const char *
appl_inner_parse(const uint8_t *ip, size_t size, struct appl_flow_key *key)
{
    if (size < APPL_IPV4_MIN_HDR_SIZE) {
        return "truncated inner IPv4 header";
    }
    if (ip[0] >> 4 != 4) {
        return "inner packet is not IPv4";
    }
    size_t hdr_size = (ip[0] & 0x0f) * 4;
    size_t tot_len = appl_get_16(ip + 2);
    if (hdr_size < APPL_IPV4_MIN_HDR_SIZE || hdr_size > size) {
        return "bad inner IPv4 header length";
    }
    if (tot_len < hdr_size || tot_len > size) {
        return "bad inner IPv4 total length";
    }

    memset(key, 0, sizeof *key);
    key->proto = ip[9];
    memcpy(&key->src, ip + 12, sizeof key->src);
    memcpy(&key->dst, ip + 16, sizeof key->dst);

    bool first_fragment = !(appl_get_16(ip + 6) & 0x1fff);
    if (first_fragment
        && (key->proto == IPPROTO_TCP || key->proto == IPPROTO_UDP)) {
        if (tot_len - hdr_size < 4) {
            return "truncated inner TCP or UDP header";
        }
        key->sport = appl_get_16(ip + hdr_size);
        key->dport = appl_get_16(ip + hdr_size + 2);
    }
    return NULL;
}

/* Parses the GENEVE datagram of 'size' bytes at 'data' into 'pkt'.
 * Returns NULL if it is valid, otherwise a static string that says why
 * not.  Reads nothing outside 'data'. */
static const char *
appl_packet_parse(const uint8_t *data, size_t size, struct appl_packet *pkt)
{
    if (size < APPL_GENEVE_HDR_SIZE) {
        return "truncated GENEVE header";
    }
    if (data[0] >> 6 != 0) {
        return "unknown GENEVE version";
    }
    size_t opts_size = (data[0] & 0x3f) * 4;
    if (opts_size > size - APPL_GENEVE_HDR_SIZE) {
        return "truncated GENEVE options";
    }
    if (appl_get_16(data + 2) != APPL_ETH_TYPE_IPV4) {
        return "GENEVE protocol type is not IPv4";
    }
    pkt->vni = appl_get_32(data + 4) >> 8;

    memset(&pkt->tlvs, 0, sizeof pkt->tlvs);
    const uint8_t *opts = data + APPL_GENEVE_HDR_SIZE;
    const char *error = appl_options_parse(opts, opts_size, &pkt->tlvs);
    if (error) {
        return error;
    }
    size_t inner_ofs = APPL_GENEVE_HDR_SIZE + opts_size;
    return appl_inner_parse(data + inner_ofs, size - inner_ofs, &pkt->key);
}

/* Flow table.
 * =========== */

/* Returns the hash of 'key' in 'struct appliance''s 'flows'. */
static uint32_t
appl_flow_hash(const struct appl_flow_key *key)
{
    uint32_t ports = ((uint32_t) key->sport << 16) | key->dport;
    return hash_add(hash_3words((OVS_FORCE uint32_t) key->src,
                                (OVS_FORCE uint32_t) key->dst, ports),
                    key->proto);
}

/* Returns true if 'a' and 'b' are the same flow. */
static bool
appl_flow_key_equals(const struct appl_flow_key *a,
                     const struct appl_flow_key *b)
{
    return (a->proto == b->proto && a->src == b->src && a->dst == b->dst
            && a->sport == b->sport && a->dport == b->dport);
}

/* Returns the counters of the flow 'key' in 'appl', created if needed, or
 * NULL if the flow is new and 'appl' already counts APPL_MAX_FLOWS flows. */
static struct appl_flow *
appl_flow_lookup(struct appliance *appl, const struct appl_flow_key *key)
{
    uint32_t hash = appl_flow_hash(key);
    struct appl_flow *flow;

    HMAP_FOR_EACH_WITH_HASH (flow, node, hash, &appl->flows) {
        if (appl_flow_key_equals(&flow->key, key)) {
            return flow;
        }
    }
    if (hmap_count(&appl->flows) >= APPL_MAX_FLOWS) {
        static struct vlog_rate_limit rl = VLOG_RATE_LIMIT_INIT(1, 5);
        VLOG_WARN_RL(&rl, "%d flows: further flows count in totals only",
                     APPL_MAX_FLOWS);
        return NULL;
    }
    flow = xzalloc(sizeof *flow);
    flow->key = *key;
    hmap_insert(&appl->flows, &flow->node, hash);
    return flow;
}

/* Counts 'pkt' in 'appl', as dropped if 'dropped'. */
static void
appl_flow_count(struct appliance *appl, const struct appl_packet *pkt,
                bool dropped)
{
    struct appl_flow *flow = appl_flow_lookup(appl, &pkt->key);

    appl->n_packets++;
    appl->n_dropped += dropped;
    if (flow) {
        flow->n_packets++;
        flow->n_dropped += dropped;
        flow->tlvs = pkt->tlvs;
    }
}

/* Returns true if a --drop-dport rule of 'appl' matches 'key'. */
static bool
appl_drop_matches(const struct appliance *appl,
                  const struct appl_flow_key *key)
{
    return ((key->proto == IPPROTO_TCP || key->proto == IPPROTO_UDP)
            && key->dport
            && bitmap_is_set(appl->drop_dports, key->dport));
}

/* Datagrams.
 * ========== */

/* Returns the --stats name of IPv4 protocol 'proto' in 'buf' (of at least
 * 4 bytes) or a static string. */
static const char *
appl_proto_name(uint8_t proto, char buf[4])
{
    switch (proto) {
    case IPPROTO_TCP:
        return "tcp";
    case IPPROTO_UDP:
        return "udp";
    case IPPROTO_ICMP:
        return "icmp";
    default:
        snprintf(buf, 4, "%"PRIu8, proto);
        return buf;
    }
}

/* Returns the datagram of 'size' bytes at 'data', unchanged, from 'appl''s
 * socket to 'sender''s address, on the GWLB's port. */
static void
appl_reflect(const struct appliance *appl, const uint8_t *data, size_t size,
             const struct sockaddr_in *sender)
{
    struct sockaddr_in to = *sender;

    to.sin_port = htons(APPL_GENEVE_PORT);
    if (sendto(appl->fd, data, size, 0, (struct sockaddr *) &to,
               sizeof to) < 0) {
        static struct vlog_rate_limit rl = VLOG_RATE_LIMIT_INIT(1, 5);
        VLOG_WARN_RL(&rl, "send to "IP_FMT":%d failed (%s)",
                     IP_ARGS(to.sin_addr.s_addr), APPL_GENEVE_PORT,
                     ovs_strerror(errno));
    }
}

/* Handles one received datagram of 'size' bytes at 'data' from 'sender':
 * counts it, then drops or returns it. */
static void
appl_handle_datagram(struct appliance *appl, const uint8_t *data,
                     size_t size, const struct sockaddr_in *sender)
{
    struct appl_packet pkt;
    const char *error = appl_packet_parse(data, size, &pkt);

    if (error) {
        static struct vlog_rate_limit rl = VLOG_RATE_LIMIT_INIT(20, 20);
        appl->n_invalid++;
        VLOG_INFO_RL(&rl, "invalid datagram of %"PRIuSIZE" bytes from "
                     IP_FMT":%"PRIu16": %s", size,
                     IP_ARGS(sender->sin_addr.s_addr),
                     ntohs(sender->sin_port), error);
        return;
    }

    bool drop = appl_drop_matches(appl, &pkt.key);
    appl_flow_count(appl, &pkt, drop);
    if (VLOG_IS_DBG_ENABLED()) {
        char buf[4];
        VLOG_DBG("vni %"PRIu32" %s "IP_FMT":%"PRIu16" -> "IP_FMT":%"PRIu16
                 " cookie 0x%08"PRIx32": %s", pkt.vni,
                 appl_proto_name(pkt.key.proto, buf), IP_ARGS(pkt.key.src),
                 pkt.key.sport, IP_ARGS(pkt.key.dst), pkt.key.dport,
                 pkt.tlvs.cookie, drop ? "dropped" : "returned");
    }
    if (!drop) {
        appl_reflect(appl, data, size, sender);
    }
}

/* Reads and handles up to APPL_BATCH datagrams from 'appl''s socket. */
static void
appl_recv(struct appliance *appl)
{
    for (int i = 0; i < APPL_BATCH; i++) {
        struct sockaddr_in sender;
        socklen_t sender_len = sizeof sender;
        ssize_t n = recvfrom(appl->fd, appl->buf, APPL_BUF_SIZE, MSG_TRUNC,
                             (struct sockaddr *) &sender, &sender_len);
        if (n < 0) {
            if (errno != EAGAIN && errno != EINTR) {
                static struct vlog_rate_limit rl = VLOG_RATE_LIMIT_INIT(1, 5);
                VLOG_WARN_RL(&rl, "receive failed (%s)", ovs_strerror(errno));
            }
            return;
        }
        if (n > APPL_BUF_SIZE || sender_len < sizeof sender) {
            appl->n_invalid++;
            continue;
        }
        appl_handle_datagram(appl, appl->buf, n, &sender);
    }
}

/* Stats file.
 * =========== */

/* qsort() comparator of two "struct appl_flow *"s: by protocol, source,
 * source port, destination, destination port. */
static int
appl_flow_compare(const void *a_, const void *b_)
{
    const struct appl_flow_key *a = &(*(const struct appl_flow **) a_)->key;
    const struct appl_flow_key *b = &(*(const struct appl_flow **) b_)->key;
    uint64_t x[] = { a->proto, ntohl(a->src), a->sport, ntohl(a->dst),
                     a->dport };
    uint64_t y[] = { b->proto, ntohl(b->src), b->sport, ntohl(b->dst),
                     b->dport };

    for (size_t i = 0; i < ARRAY_SIZE(x); i++) {
        if (x[i] != y[i]) {
            return x[i] < y[i] ? -1 : 1;
        }
    }
    return 0;
}

/* Appends to 's' the --stats line of 'flow'. */
static void
appl_flow_format(const struct appl_flow *flow, struct ds *s)
{
    const struct appl_flow_key *key = &flow->key;
    char buf[4];

    ds_put_format(s, "%s "IP_FMT":%"PRIu16" "IP_FMT":%"PRIu16
                  " packets=%"PRIu64" dropped=%"PRIu64
                  " endpoint=0x%016"PRIx64" attachment=0x%016"PRIx64
                  " cookie=0x%08"PRIx32"\n",
                  appl_proto_name(key->proto, buf),
                  IP_ARGS(key->src), key->sport,
                  IP_ARGS(key->dst), key->dport,
                  flow->n_packets, flow->n_dropped,
                  flow->tlvs.endpoint_id, flow->tlvs.attachment_id,
                  flow->tlvs.cookie);
}

/* Appends to 's' the whole --stats file of 'appl': the totals, then the
 * flows in appl_flow_compare() order. */
static void
appl_stats_format(const struct appliance *appl, struct ds *s)
{
    size_t n = hmap_count(&appl->flows);
    const struct appl_flow **flows = xmalloc((n ? n : 1) * sizeof *flows);
    const struct appl_flow *flow;
    size_t i = 0;

    ds_put_format(s, "total packets=%"PRIu64" dropped=%"PRIu64
                  " invalid=%"PRIu64"\n",
                  appl->n_packets, appl->n_dropped, appl->n_invalid);
    HMAP_FOR_EACH (flow, node, &appl->flows) {
        flows[i++] = flow;
    }
    qsort(flows, n, sizeof *flows, appl_flow_compare);
    for (i = 0; i < n; i++) {
        appl_flow_format(flows[i], s);
    }
    free(flows);
}

/* Writes 's' to a new file 'file_name'.  Returns 0 or a positive errno. */
static int
appl_write_file(const char *file_name, const struct ds *s)
{
    FILE *file = fopen(file_name, "w");
    if (!file) {
        return errno;
    }
    size_t n = fwrite(s->string, 1, s->length, file);
    int error = n < s->length ? (errno ? errno : EIO) : 0;
    if (fclose(file) && !error) {
        error = errno;
    }
    return error;
}

/* Replaces 'appl''s --stats file, if any, with its current counters:
 * writes FILE.tmp, then renames it over FILE, so that readers never see a
 * partial file. */
static void
appl_stats_write(const struct appliance *appl)
{
    if (!appl->stats_path) {
        return;
    }

    struct ds s = DS_EMPTY_INITIALIZER;
    char *tmp = xasprintf("%s.tmp", appl->stats_path);
    appl_stats_format(appl, &s);
    int error = appl_write_file(tmp, &s);
    if (!error && rename(tmp, appl->stats_path)) {
        error = errno;
    }
    if (error) {
        static struct vlog_rate_limit rl = VLOG_RATE_LIMIT_INIT(1, 5);
        VLOG_WARN_RL(&rl, "%s: write failed (%s)", appl->stats_path,
                     ovs_strerror(error));
        unlink(tmp);
    }
    free(tmp);
    ds_destroy(&s);
}

/* Main loop.
 * ========== */

/* Handles the datagrams that have arrived and writes the stats when they
 * are due. */
static void
appl_run(struct appliance *appl)
{
    appl_recv(appl);

    long long int now = time_msec();
    if (now >= appl->next_stats) {
        appl_stats_write(appl);
        appl->next_stats = now + APPL_STATS_INTERVAL;
    }
}

/* Makes poll_block() wake up for the next datagram, the next stats write
 * or a stopping signal. */
static void
appl_wait(const struct appliance *appl)
{
    poll_fd_wait(appl->fd, POLLIN);
    poll_fd_wait(appl_signal_fds[0], POLLIN);
    if (appl->stats_path) {
        poll_timer_wait_until(appl->next_stats);
    }
}
