/* SPDX-License-Identifier: Apache-2.0 */

#ifndef PLINK_GWLB_PINCTRL_H
#define PLINK_GWLB_PINCTRL_H 1

/* The GENEVE encapsulation of Gateway Load Balancer endpoints, done by the
 * pinctrl thread: see gwlb-pinctrl.c and pipeline.h ("Gateway Load
 * Balancer endpoints"). */

struct ofputil_packet_in;
struct rconn;

void gwlb_pinctrl_encap(struct rconn *, const struct ofputil_packet_in *);
void gwlb_pinctrl_decap(struct rconn *, const struct ofputil_packet_in *);

#endif /* controller/gwlb-pinctrl.h */
