/* SPDX-License-Identifier: Apache-2.0 */

#ifndef PLINK_PINCTRL_H
#define PLINK_PINCTRL_H 1

/* pinctrl: packets the pipeline hands to the controller.
 *
 * A thread of its own (the main loop never waits for it, nor it for the
 * main loop) keeps a second OpenFlow connection to the integration bridge,
 * with controller id PINCTRL_CONTROLLER_ID so that only it receives the
 * packet-ins of "controller(id=PINCTRL_CONTROLLER_ID)" actions (ofctrl's
 * connection has id 0).  Each such action pauses the packet
 * (controller(pause)): pinctrl does what the action's userdata asks, then
 * resumes the packet's pipeline where it stopped.  The userdata is a
 * struct pinctrl_op (opcode first), so the flows carry everything pinctrl
 * needs and pinctrl reads no database.
 *
 * Target health checks (the way OVN's service monitor works): the main
 * thread gives pinctrl the targets bound to this chassis
 * (pinctrl_set_health_targets()); every interval pinctrl sends each one a
 * TCP SYN from its load balancer's address and a port in
 * PINCTRL_HEALTH_PORT_MIN..+1023, as a packet-out into the egress half of
 * the pipeline (so the target's security groups apply); the target's
 * SYN-ACK comes back as a packet-in (PINCTRL_OP_HEALTH), pinctrl answers
 * it with a RST.  A target is healthy after 'healthy_threshold' answered
 * SYNs in a row, unhealthy after 'unhealthy_threshold' unanswered ones;
 * the main thread reads the verdicts (pinctrl_get_health()) and writes
 * Target:health_state.
 *
 * Opcodes:
 *
 *   PINCTRL_OP_HEALTH a SYN-ACK from a target to a health check (no
 *                    pause: the packet ends here).
 *   PINCTRL_OP_MSS   clamp the MSS option of a TCP SYN (or SYN-ACK) to the
 *                    op's 'arg', fixing the TCP checksum; a segment without
 *                    the option, or with a smaller MSS, goes on unchanged.
 *                    (Interface endpoints: pipeline.h, "MTU and MSS".)
 *   PINCTRL_OP_DNS   a UDP query to a VPC's resolver (no pause: pinctrl
 *                    answers it with a packet-out to the instance's port,
 *                    itself or from an upstream resolver; dns.h).
 *   PINCTRL_OP_GWLB_ENCAP  a packet routed to a Gateway Load Balancer
 *                    endpoint: pinctrl sends it to its appliance in GENEVE
 *                    with AWS's options (gwlb-pinctrl.c; no pause: the
 *                    original ends here).
 *   PINCTRL_OP_GWLB_DECAP  what an appliance sent back: pinctrl sends the
 *                    inner packet on into the endpoint's VPC.
 *
 * The threads share the bridge name, the health targets and verdicts
 * (under pinctrl's mutex) and the resolver's table of names (under dns.c's
 * mutex). */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "openvswitch/types.h"
#include "openvswitch/uuid.h"
#include "packets.h"

struct ofpbuf;

enum {
    PINCTRL_CONTROLLER_ID = 1,  /* Controller id of pinctrl's connection. */
};

/* What a controller action asks of pinctrl (its userdata). */
enum pinctrl_opcode {
    PINCTRL_OP_MSS = 1,         /* Clamp a SYN's MSS to 'arg'. */
    PINCTRL_OP_HEALTH = 2,      /* A health check's answer. */
    PINCTRL_OP_DNS = 3,         /* A query to the VPC resolver. */
    PINCTRL_OP_GWLB_ENCAP = 4,  /* To a GWLB appliance, in GENEVE. */
    PINCTRL_OP_GWLB_DECAP = 5,  /* From a GWLB appliance, in GENEVE. */
};

enum {
    PINCTRL_HEALTH_PORT_MIN = 1024, /* First source port of the checks. */
};

/* A target to check. */
struct pinctrl_health_target {
    struct uuid uuid;           /* The Target row. */
    ovs_be32 ip;                /* Target address. */
    uint16_t port;              /* Port to check. */
    struct eth_addr mac;        /* Target's ENI's MAC. */
    ovs_be32 lb_ip;             /* Load balancer address to check from. */
    struct eth_addr router_mac; /* The VPC's router MAC. */
    uint32_t vpc_key;           /* The VPC's tunnel key. */
    int interval_ms;            /* Between two checks. */
    int healthy_threshold;      /* Answers in a row to become healthy. */
    int unhealthy_threshold;    /* Silences in a row to become unhealthy. */
};

/* A verdict. */
struct pinctrl_health_result {
    struct uuid uuid;           /* The Target row. */
    bool healthy;               /* Healthy, else unhealthy. */
};

struct pinctrl_op {
    ovs_be16 opcode;            /* enum pinctrl_opcode. */
    ovs_be16 arg;               /* The opcode's argument. */
};

void pinctrl_init(void);
void pinctrl_run(const char *bridge_name);
void pinctrl_wait(void);
void pinctrl_destroy(void);

void pinctrl_put_op(struct ofpbuf *ofpacts, enum pinctrl_opcode,
                    uint16_t arg, bool pause);

struct rconn;
void pinctrl_send_packet_out(struct rconn *, const void *packet, size_t size,
                             const struct ofpbuf *ofpacts);

void pinctrl_set_health_targets(const struct pinctrl_health_target *,
                                size_t n);
size_t pinctrl_get_health(struct pinctrl_health_result **);

/* For tests and the MSS logic itself. */
bool pinctrl_clamp_mss(void *packet, size_t size, uint16_t mss);

#endif /* controller/pinctrl.h */
