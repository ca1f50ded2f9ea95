/* SPDX-License-Identifier: Apache-2.0 */

#ifndef PLINK_OFCTRL_H
#define PLINK_OFCTRL_H 1

/* ofctrl: the OpenFlow connection to the integration bridge and the flow
 * table synchronisation.
 *
 * The flow builders (flows.c) fill a *desired* flow table, a struct
 * ofctrl_flow_table, from the databases.  ofctrl keeps an *installed* table
 * that mirrors what the switch holds, and ofctrl_put() sends the switch the
 * difference between the two as one atomic OpenFlow bundle followed by a
 * barrier.  When the barrier's reply arrives, the PrivateLink_Global:cfg
 * that the desired table was computed from is realized on this chassis:
 * ofctrl_get_cur_cfg() returns it and the controller reports it in its
 * Chassis row.
 *
 * Cookies: every flow carries the first 32 bits of the UUID of the database
 * row that made it (uuid->parts[0]) in the LOW 32 bits of its 64-bit
 * cookie; the high 32 bits are zero, reserved for later use.  So
 * "cookie=0x1a2b3c4d" in 'ovs-ofctl dump-flows' names the row whose UUID
 * starts with 1a2b3c4d.
 *
 * The desired table also holds OpenFlow groups (ofctrl_add_group()), which
 * ofctrl_put() installs in the same bundle as the flows that use them.
 *
 * Incremental processing: a desired table remembers which row made each
 * flow and group, so ofctrl_remove_owner() takes one row's flows out (to
 * be built again) without a full recompute, and which flows changed since
 * the last ofctrl_put(), which then compares only those with the switch.
 * After ofctrl_flow_table_clear() (a full recompute) the next push
 * compares everything.
 *
 * On (re)connection ofctrl never clears the switch.  It reads the switch's
 * flows back into the installed table first, so the first push after a
 * restart of the controller only changes what differs (usually nothing),
 * and flows keep their statistics. */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct ds;
struct match;
struct ofpbuf;
struct ofctrl_flow_table;
struct uuid;

/* Interface for the main loop. */
void ofctrl_init(void);
void ofctrl_run(const char *bridge_name);
void ofctrl_wait(void);
void ofctrl_destroy(void);

bool ofctrl_can_put(void);
void ofctrl_put(struct ofctrl_flow_table *desired, int64_t cfg);
int64_t ofctrl_get_cur_cfg(void);
uint64_t ofctrl_get_realized_seqno(void);

bool ofctrl_is_connected(void);
const char *ofctrl_get_state_name(void);
size_t ofctrl_installed_count(void);
void ofctrl_format_status(struct ds *);

/* Flow tables, for the flow builders. */
struct ofctrl_flow_table *ofctrl_flow_table_create(void);
void ofctrl_flow_table_destroy(struct ofctrl_flow_table *);
void ofctrl_flow_table_clear(struct ofctrl_flow_table *);
size_t ofctrl_flow_table_count(const struct ofctrl_flow_table *);
uint64_t ofctrl_flow_table_seqno(const struct ofctrl_flow_table *);
void ofctrl_flow_table_format(const struct ofctrl_flow_table *, struct ds *);

void ofctrl_add_flow(struct ofctrl_flow_table *, uint8_t table_id,
                     uint16_t priority, const struct uuid *source,
                     const struct uuid *owner, const struct match *,
                     const struct ofpbuf *ofpacts);
uint64_t ofctrl_cookie_from_uuid(const struct uuid *);
void ofctrl_add_group(struct ofctrl_flow_table *, uint32_t group_id,
                      const struct uuid *source, const char *spec);
void ofctrl_remove_owner(struct ofctrl_flow_table *, const struct uuid *);
size_t ofctrl_group_count(const struct ofctrl_flow_table *);

#endif /* controller/ofctrl.h */
