/* SPDX-License-Identifier: Apache-2.0 */

#ifndef PLINK_OFCTRL_TABLE_H
#define PLINK_OFCTRL_TABLE_H 1

/* ofctrl-table: the flow tables of ofctrl, for ofctrl.c only.
 *
 * ofctrl-table.c implements the tables behind ofctrl.h's
 * ofctrl_flow_table_*() and ofctrl_add_flow()/ofctrl_add_group()/
 * ofctrl_remove_owner(): a desired table (what the builders want, who
 * wants each flow, what changed since the last push) or the installed
 * table (what the switch holds).  ofctrl.c, which reconciles the two with
 * the switch, uses the structures and the functions below. */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "openvswitch/hmap.h"
#include "openvswitch/list.h"
#include "openvswitch/match.h"

struct ds;
struct ofpact;

/* One OpenFlow flow: what the builders want (in a desired table) or what
 * the switch holds (in the installed table).  A flow's identity is its
 * table, priority and match, as in OpenFlow: two flows with the same
 * identity are the same flow on the switch, whatever their actions. */
struct ofctrl_flow {
    struct hmap_node hmap_node; /* In a table's 'flows', hashed on identity. */
    uint8_t table_id;           /* OpenFlow table number. */
    uint16_t priority;          /* OpenFlow priority. */
    struct minimatch match;     /* What the flow matches. */
    uint64_t cookie;            /* See "Cookies" in ofctrl.h. */
    struct ofpact *ofpacts;     /* Actions (owned, malloc'd), or NULL in an
                                 * identity of a table's 'dirty' set. */
    size_t ofpacts_len;         /* Size of 'ofpacts' in bytes. */
    bool from_switch;           /* Actions were decoded from a flow dump,
                                 * so compare them as text (see
                                 * flow_actions_equal()). */
    struct ovs_list refs;       /* In a desired table, the "struct
                                 * ofctrl_ref"s of the rows that want this
                                 * flow (never empty); empty elsewhere. */
};

/* One OpenFlow group.  A group's identity is its group_id; what it does is
 * the rest of its ovs-ofctl description, "type=select,...,bucket=...",
 * which is how we compare a desired group with an installed one. */
struct ofctrl_group {
    struct hmap_node hmap_node; /* In a table's 'groups', by group_id. */
    uint32_t group_id;          /* OpenFlow group number. */
    char *spec;                 /* Everything but "group_id=N,". */
    struct ovs_list owner_node; /* In a desired table, in its owner's
                                 * 'groups'; unused elsewhere. */
};

/* A group id in a table's 'dirty_groups'. */
struct ofctrl_group_id {
    struct hmap_node hmap_node; /* In 'dirty_groups', by group_id. */
    uint32_t group_id;          /* The group that may have changed. */
};

/* A set of flows with distinct identities, and the groups they use.
 *
 * A desired table also knows which row made each flow and group
 * ('owners'), so that ofctrl_remove_owner() can take out one row's flows
 * (incremental processing), and which flow identities and group ids
 * changed since the last ofctrl_put() ('dirty', 'dirty_groups'), so that
 * ofctrl_put() compares only those with the switch.  After
 * ofctrl_flow_table_clear() everything is 'all_dirty': the next put
 * compares the whole tables. */
struct ofctrl_flow_table {
    struct hmap flows;          /* Contains "struct ofctrl_flow"s. */
    struct hmap groups;         /* Contains "struct ofctrl_group"s. */
    uint64_t change_seqno;      /* Changes whenever 'flows' or 'groups'
                                 * change. */
    struct hmap owners;         /* Contains "struct ofctrl_owner"s. */
    bool all_dirty;             /* Compare everything at the next put? */
    struct hmap dirty;          /* Unless 'all_dirty', identities (flows
                                 * without actions) of the flows added,
                                 * changed or removed since the last put. */
    struct hmap dirty_groups;   /* Unless 'all_dirty', "struct
                                 * ofctrl_group_id"s of the groups added,
                                 * changed or removed since then. */
};

/* Flows. */
struct ofctrl_flow *ofctrl_flow_create(uint8_t table_id, uint16_t priority,
                                       uint64_t cookie, const struct match *,
                                       const struct ofpact *ofpacts,
                                       size_t ofpacts_len);
struct ofctrl_flow *ofctrl_flow_clone(const struct ofctrl_flow *);
void ofctrl_flow_destroy(struct ofctrl_flow *);
void ofctrl_flow_copy_actions(struct ofctrl_flow *dst,
                              const struct ofctrl_flow *src);
bool ofctrl_flow_actions_equal(const struct ofctrl_flow *,
                               const struct ofctrl_flow *);
void ofctrl_flow_format(const struct ofctrl_flow *, struct ds *);

/* Tables. */
void ofctrl_table_init(struct ofctrl_flow_table *);
struct ofctrl_flow *ofctrl_table_find(const struct ofctrl_flow_table *,
                                      const struct ofctrl_flow *target);
void ofctrl_table_insert(struct ofctrl_flow_table *, struct ofctrl_flow *);
void ofctrl_table_remove(struct ofctrl_flow_table *, struct ofctrl_flow *);
void ofctrl_table_clear_dirty(struct ofctrl_flow_table *);

/* Groups. */
struct ofctrl_group *ofctrl_group_find(const struct ofctrl_flow_table *,
                                       uint32_t group_id);
struct ofctrl_group *ofctrl_group_put(struct ofctrl_flow_table *,
                                      uint32_t group_id, const char *spec);
void ofctrl_group_destroy(struct ofctrl_group *);

#endif /* controller/ofctrl-table.h */
