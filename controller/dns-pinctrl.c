/* SPDX-License-Identifier: Apache-2.0 */

/* dns-pinctrl: the pinctrl thread's half of the VPC resolver (see dns.h).
 *
 * A query arrives as a packet-in of PINCTRL_OP_DNS, with the VPC's tunnel
 * key in the metadata and the instance's port as in_port.  We parse it,
 * look its name up in the table the main thread published (dns.c) and
 * either answer it or forward it upstream.  Forwarded queries wait in
 * 'dns_pendings', under an id of ours, until the upstream's answer comes
 * back on 'dns_fd' (then it goes to the instance with the instance's id)
 * or until their deadline (then the instance gets a SERVFAIL).
 *
 * Everything here belongs to the pinctrl thread. */

#include <config.h>

#include "dns.h"

#include <ctype.h>
#include <errno.h>
#include <poll.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "csum.h"
#include "dp-packet.h"
#include "flow.h"
#include "hash.h"
#include "openvswitch/hmap.h"
#include "openvswitch/match.h"
#include "openvswitch/ofp-actions.h"
#include "openvswitch/ofp-packet.h"
#include "openvswitch/ofp-protocol.h"
#include "openvswitch/ofpbuf.h"
#include "openvswitch/poll-loop.h"
#include "openvswitch/rconn.h"
#include "openvswitch/vlog.h"
#include "packets.h"
#include "pinctrl.h"
#include "random.h"
#include "socket-util.h"
#include "timeval.h"
#include "util.h"

VLOG_DEFINE_THIS_MODULE(dns_pinctrl);

/* DNS message format (RFC 1035, section 4.1), in addition to what
 * packets.h defines ('struct dns_header', DNS_HEADER_LEN, ...). */
enum {
    DNS_MAX_NAME = 255,         /* Longest name, in wire bytes. */
    DNS_MAX_LABEL = 63,         /* Longest label. */
    DNS_RCODE_NOERROR = 0,      /* Response codes... */
    DNS_RCODE_FORMERR = 1,
    DNS_RCODE_SERVFAIL = 2,
    DNS_RCODE_NOTIMP = 4,
    DNS_MAX_PENDING = 1024,     /* Most queries waiting for an upstream. */
};

/* Bits of 'lo_flag' and 'hi_flag' in struct dns_header. */
enum {
    DNS_LO_QR = 0x80,           /* A response. */
    DNS_LO_OPCODE = 0x78,       /* The kind of query (0: a query). */
    DNS_LO_RD = 0x01,           /* Recursion desired. */
    DNS_HI_RA = 0x80,           /* Recursion available. */
};

/* A parsed query, pointing into the message it came from. */
struct dns_query {
    ovs_be16 id;                /* Its id. */
    bool rd;                    /* Recursion desired? */
    const uint8_t *question;    /* Its question, as sent (NULL if it did
                                 * not parse). */
    size_t question_len;        /* Bytes of 'question', type and class
                                 * included. */
    char name[DNS_MAX_NAME + 1]; /* The name asked, lower case, dotted,
                                  * without the final dot. */
    uint16_t qtype;             /* The record type asked. */
    uint16_t qclass;            /* The class asked. */
};

/* Where an answer goes: the instance that asked, and who it asked. */
struct dns_client {
    ofp_port_t ofport;          /* The instance's port on br-int. */
    struct eth_addr mac;        /* The instance's MAC. */
    struct eth_addr router_mac; /* The query's destination MAC. */
    ovs_be32 ip;                /* The instance's address. */
    ovs_be32 resolver_ip;       /* The resolver's address (base + 2). */
    ovs_be16 port;              /* The instance's UDP port. */
};

/* A query forwarded upstream, waiting for the answer. */
struct dns_pending {
    struct hmap_node node;      /* In 'dns_pendings', by 'id'. */
    uint16_t id;                /* The id of our query upstream. */
    struct dns_client client;   /* Who asked. */
    uint8_t *query;             /* The instance's query, as it came. */
    size_t query_len;           /* Bytes of 'query'. */
    long long int deadline;     /* When to give up (SERVFAIL). */
};

static struct hmap dns_pendings = HMAP_INITIALIZER(&dns_pendings);
static int dns_fd = -1;         /* Our socket towards the upstreams. */

/* Parsing and composing messages.
 * =============================== */

/* Parses the question name at 'p' (at most 'end'), as a lower-case dotted
 * string into 'q->name'.  Returns the first byte after the name, or NULL
 * if it is malformed (or compressed: a question has nothing to point
 * to). */
static const uint8_t *
dns_parse_name(const uint8_t *p, const uint8_t *end, struct dns_query *q)
{
    size_t len = 0;

    for (;;) {
        if (p >= end || *p > DNS_MAX_LABEL) {
            return NULL;
        }
        uint8_t label = *p++;
        if (!label) {
            break;
        }
        if (end - p < label || len + label + 1 > DNS_MAX_NAME) {
            return NULL;
        }
        if (len) {
            q->name[len++] = '.';
        }
        for (size_t i = 0; i < label; i++) {
            q->name[len++] = tolower(p[i]);
        }
        p += label;
    }
    q->name[len] = '\0';
    return p;
}

/* Parses the 'len'-byte message 'msg' into 'q'.  Returns 0 if it is a
 * well-formed query, a DNS_RCODE_* to answer it with (then 'q->question'
 * may be NULL), or -1 if it deserves no answer at all. */
static int
dns_parse_query(const uint8_t *msg, size_t len, struct dns_query *q)
{
    const struct dns_header *h = (const struct dns_header *) msg;

    memset(q, 0, sizeof *q);
    if (len < DNS_HEADER_LEN || h->lo_flag & DNS_LO_QR) {
        return -1;
    }
    q->id = h->id;
    q->rd = (h->lo_flag & DNS_LO_RD) != 0;
    if (h->lo_flag & DNS_LO_OPCODE) {
        return DNS_RCODE_NOTIMP;
    }

    const uint8_t *end = msg + len;
    const uint8_t *p = msg + DNS_HEADER_LEN;
    if (ntohs(h->qdcount) != 1 || !(p = dns_parse_name(p, end, q))
        || end - p < 4) {
        return DNS_RCODE_FORMERR;
    }
    q->qtype = (p[0] << 8) | p[1];
    q->qclass = (p[2] << 8) | p[3];
    q->question = msg + DNS_HEADER_LEN;
    q->question_len = p + 4 - q->question;
    return 0;
}

/* Appends to 'out' the answer to 'q' with 'rcode' and the 'n_ips' A
 * records of 'ips' (TTL DNS_TTL, the name as a pointer to the
 * question). */
static void
dns_compose_answer(const struct dns_query *q, int rcode,
                   const ovs_be32 *ips, size_t n_ips, struct ofpbuf *out)
{
    struct dns_header *h = ofpbuf_put_zeros(out, sizeof *h);

    h->id = q->id;
    h->lo_flag = DNS_LO_QR | (q->rd ? DNS_LO_RD : 0);
    h->hi_flag = DNS_HI_RA | rcode;
    if (q->question) {
        h->qdcount = htons(1);
        ofpbuf_put(out, q->question, q->question_len);
    }
    h = out->data;
    h->ancount = htons(n_ips);

    for (size_t i = 0; i < n_ips; i++) {
        static const uint8_t rr[] = {
            0xc0, DNS_HEADER_LEN,        /* Name: pointer to the question. */
            0, DNS_QUERY_TYPE_A, 0, DNS_CLASS_IN,
            0, 0, 0, DNS_TTL,            /* TTL, 32 bits. */
            0, 4,                        /* Length of the address. */
        };
        BUILD_ASSERT_DECL(DNS_TTL < 256);

        ofpbuf_put(out, rr, sizeof rr);
        ofpbuf_put(out, &ips[i], sizeof ips[i]);
    }
}

/* Sending.
 * ======== */

/* Sends the 'len'-byte DNS message 'msg' to 'client' in a UDP datagram
 * from the resolver, with a packet-out straight to the client's port. */
static void
dns_send(struct rconn *swconn, const struct dns_client *client,
         const void *msg, size_t len)
{
    uint64_t packet_stub[1024 / 8];
    struct dp_packet packet;

    dp_packet_use_stub(&packet, packet_stub, sizeof packet_stub);
    struct ip_header *ip = eth_compose(&packet, client->mac,
                                       client->router_mac, ETH_TYPE_IP,
                                       IP_HEADER_LEN + UDP_HEADER_LEN + len);
    struct udp_header *udp = (struct udp_header *) (ip + 1);

    ip->ip_ihl_ver = IP_IHL_VER(5, IP_VERSION);
    ip->ip_tos = 0;
    ip->ip_tot_len = htons(IP_HEADER_LEN + UDP_HEADER_LEN + len);
    ip->ip_id = 0;
    ip->ip_frag_off = htons(IP_DONT_FRAGMENT);
    ip->ip_ttl = 64;
    ip->ip_proto = IPPROTO_UDP;
    ip->ip_csum = 0;
    put_16aligned_be32(&ip->ip_src, client->resolver_ip);
    put_16aligned_be32(&ip->ip_dst, client->ip);
    ip->ip_csum = csum(ip, IP_HEADER_LEN);

    udp->udp_src = htons(DNS_PORT);
    udp->udp_dst = client->port;
    udp->udp_len = htons(UDP_HEADER_LEN + len);
    udp->udp_csum = 0;
    memcpy(udp + 1, msg, len);
    udp->udp_csum = csum_finish(csum_continue(packet_csum_pseudoheader(ip),
                                              udp, UDP_HEADER_LEN + len));
    if (!udp->udp_csum) {
        udp->udp_csum = htons(0xffff);
    }

    uint64_t ofpacts_stub[64 / 8];
    struct ofpbuf ofpacts = OFPBUF_STUB_INITIALIZER(ofpacts_stub);
    ofpact_put_OUTPUT(&ofpacts)->port = client->ofport;
    pinctrl_send_packet_out(swconn, dp_packet_data(&packet),
                            dp_packet_size(&packet), &ofpacts);
    ofpbuf_uninit(&ofpacts);
    dp_packet_uninit(&packet);
}

/* Answers 'q' from 'client' with 'rcode' and the 'n_ips' addresses
 * 'ips'. */
static void
dns_reply(struct rconn *swconn, const struct dns_client *client,
          const struct dns_query *q, int rcode, const ovs_be32 *ips,
          size_t n_ips)
{
    uint64_t stub[512 / 8];
    struct ofpbuf answer = OFPBUF_STUB_INITIALIZER(stub);

    dns_compose_answer(q, rcode, ips, n_ips, &answer);
    dns_send(swconn, client, answer.data, answer.size);
    ofpbuf_uninit(&answer);
}

/* Forwarding upstream.
 * ==================== */

/* Opens 'dns_fd' if it is not open.  Returns false on failure. */
static bool
dns_open_socket(void)
{
    if (dns_fd >= 0) {
        return true;
    }
    dns_fd = socket(AF_INET, SOCK_DGRAM, 0);
    if (dns_fd < 0 || set_nonblocking(dns_fd)) {
        static struct vlog_rate_limit rl = VLOG_RATE_LIMIT_INIT(1, 5);
        VLOG_WARN_RL(&rl, "cannot open a socket for the upstream "
                     "resolvers: %s", ovs_strerror(errno));
        if (dns_fd >= 0) {
            close(dns_fd);
            dns_fd = -1;
        }
        return false;
    }
    return true;
}

/* Returns the pending query with our id 'id', or NULL. */
static struct dns_pending *
dns_pending_find(uint16_t id)
{
    struct dns_pending *p;

    HMAP_FOR_EACH_WITH_HASH (p, node, hash_int(id, 0), &dns_pendings) {
        if (p->id == id) {
            return p;
        }
    }
    return NULL;
}

static void
dns_pending_destroy(struct dns_pending *p)
{
    hmap_remove(&dns_pendings, &p->node);
    free(p->query);
    free(p);
}

/* Sends the 'len'-byte query 'msg' from 'client' to every upstream
 * resolver under a new id of ours and remembers it.  Returns false if it
 * could not be sent anywhere. */
static bool
dns_forward(const struct dns_client *client, const uint8_t *msg, size_t len)
{
    struct sockaddr_storage *upstreams;
    size_t n = dns_get_upstreams(&upstreams);
    bool sent = false;

    if (n && hmap_count(&dns_pendings) < DNS_MAX_PENDING
        && dns_open_socket()) {
        uint16_t id;
        do {
            id = random_uint16();
        } while (dns_pending_find(id));

        uint8_t *query = xmemdup(msg, len);
        struct dns_header *h = (struct dns_header *) query;
        h->id = htons(id);
        for (size_t i = 0; i < n; i++) {
            socklen_t sa_len = sizeof(struct sockaddr_in);
            if (sendto(dns_fd, query, len, 0,
                       (struct sockaddr *) &upstreams[i], sa_len) >= 0) {
                sent = true;
            }
        }
        if (sent) {
            struct dns_pending *p = xzalloc(sizeof *p);
            p->id = id;
            p->client = *client;
            p->query = xmemdup(msg, len);
            p->query_len = len;
            p->deadline = time_msec() + DNS_UPSTREAM_TIMEOUT_MS;
            hmap_insert(&dns_pendings, &p->node, hash_int(id, 0));
        }
        free(query);
    }
    free(upstreams);
    return sent;
}

/* Returns true if 'from' is one of the upstream resolvers. */
static bool
dns_from_upstream(const struct sockaddr_in *from)
{
    struct sockaddr_storage *upstreams;
    size_t n = dns_get_upstreams(&upstreams);
    bool found = false;

    for (size_t i = 0; i < n && !found; i++) {
        const struct sockaddr_in *u = (struct sockaddr_in *) &upstreams[i];
        found = (u->sin_addr.s_addr == from->sin_addr.s_addr
                 && u->sin_port == from->sin_port);
    }
    free(upstreams);
    return found;
}

/* Relays to their instances the upstream answers that have arrived. */
static void
dns_receive(struct rconn *swconn)
{
    uint8_t buf[65536];

    for (int i = 0; dns_fd >= 0 && i < 50; i++) {
        struct sockaddr_in from;
        socklen_t from_len = sizeof from;
        ssize_t len = recvfrom(dns_fd, buf, sizeof buf, 0,
                               (struct sockaddr *) &from, &from_len);
        if (len < 0) {
            break;
        }

        struct dns_header *h = (struct dns_header *) buf;
        struct dns_pending *p;
        if (len < DNS_HEADER_LEN || !(h->lo_flag & DNS_LO_QR)
            || !dns_from_upstream(&from)
            || !(p = dns_pending_find(ntohs(h->id)))) {
            continue;
        }
        h->id = ((struct dns_header *) p->query)->id;
        dns_send(swconn, &p->client, buf, len);
        dns_pending_destroy(p);
    }
}

/* Answers with SERVFAIL the forwarded queries whose time is up. */
static void
dns_expire(struct rconn *swconn)
{
    long long int now = time_msec();
    struct dns_pending *p;

    HMAP_FOR_EACH_SAFE (p, node, &dns_pendings) {
        if (now >= p->deadline) {
            struct dns_query q;

            if (dns_parse_query(p->query, p->query_len, &q) >= 0) {
                dns_reply(swconn, &p->client, &q, DNS_RCODE_SERVFAIL,
                          NULL, 0);
            }
            dns_pending_destroy(p);
        }
    }
}

/* The pinctrl thread's interface.
 * =============================== */

/* Fills 'client' from the query in 'flow' that came in on 'ofport'. */
static void
dns_client_init(struct dns_client *client, const struct flow *flow,
                ofp_port_t ofport)
{
    client->ofport = ofport;
    client->mac = flow->dl_src;
    client->router_mac = flow->dl_dst;
    client->ip = flow->nw_src;
    client->resolver_ip = flow->nw_dst;
    client->port = flow->tp_src;
}

/* Answers the 'len'-byte query 'msg' from 'client' to the resolver of the
 * VPC with tunnel key 'vpc_key': from the table, or upstream. */
static void
dns_answer(struct rconn *swconn, const struct dns_client *client,
           uint32_t vpc_key, const uint8_t *msg, size_t len)
{
    struct dns_query q;
    int rcode = dns_parse_query(msg, len, &q);

    if (rcode) {
        if (rcode > 0) {
            dns_reply(swconn, client, &q, rcode, NULL, 0);
        }
        return;
    }

    ovs_be32 *ips;
    bool found;
    size_t n_ips = dns_lookup(vpc_key, q.name, &ips, &found);
    if (found) {
        bool a = q.qtype == DNS_QUERY_TYPE_A && q.qclass == DNS_CLASS_IN;
        dns_reply(swconn, client, &q, DNS_RCODE_NOERROR, ips,
                  a ? n_ips : 0);
    } else if (!dns_forward(client, msg, len)) {
        dns_reply(swconn, client, &q, DNS_RCODE_SERVFAIL, NULL, 0);
    }
    free(ips);
}

/* Handles the packet-in 'pin' of PINCTRL_OP_DNS: a UDP query from an
 * instance to its VPC's resolver. */
void
dns_pinctrl_handle(struct rconn *swconn, const struct ofputil_packet_in *pin)
{
    struct dp_packet packet;
    struct flow flow;

    dp_packet_use_const(&packet, pin->packet, pin->packet_len);
    flow_extract(&packet, &flow);
    if (flow.dl_type != htons(ETH_TYPE_IP) || flow.nw_proto != IPPROTO_UDP
        || flow.tp_dst != htons(DNS_PORT)
        || !dp_packet_get_udp_payload(&packet)) {
        return;
    }

    struct dns_client client;
    dns_client_init(&client, &flow, pin->flow_metadata.flow.in_port.ofp_port);
    uint32_t vpc_key = ntohll(pin->flow_metadata.flow.metadata) & 0xffffff;
    dns_answer(swconn, &client, vpc_key, dp_packet_get_udp_payload(&packet),
               dp_packet_l4_size(&packet) - UDP_HEADER_LEN);
}

/* Relays upstream answers and answers SERVFAIL to the queries that waited
 * too long. */
void
dns_pinctrl_run(struct rconn *swconn)
{
    dns_receive(swconn);
    dns_expire(swconn);
}

/* Wakes the thread when an upstream answer arrives or a query times
 * out. */
void
dns_pinctrl_wait(void)
{
    struct dns_pending *p;

    if (dns_fd >= 0) {
        poll_fd_wait(dns_fd, POLLIN);
    }
    HMAP_FOR_EACH (p, node, &dns_pendings) {
        poll_timer_wait_until(p->deadline);
    }
}

/* Forgets the pending queries and closes the socket. */
void
dns_pinctrl_destroy(void)
{
    struct dns_pending *p;

    HMAP_FOR_EACH_SAFE (p, node, &dns_pendings) {
        dns_pending_destroy(p);
    }
    if (dns_fd >= 0) {
        close(dns_fd);
        dns_fd = -1;
    }
}
