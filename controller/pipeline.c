/* SPDX-License-Identifier: Apache-2.0 */

/* Accessors generated from the PL_STAGES X-macro in pipeline.h.  Nothing
 * here knows a stage by name: every table below is expanded from the one
 * list, so they cannot drift apart. */

#include <config.h>

#include "pipeline.h"

#include <string.h>

#include "hash.h"
#include "openvswitch/dynamic-string.h"
#include "openvswitch/uuid.h"
#include "packets.h"
#include "util.h"

/* Everything the X-macro says about one stage. */
struct pl_stage_info {
    uint8_t table;              /* OpenFlow table number. */
    enum pl_stage_miss miss;    /* Behaviour of the default flow. */
    const char *name;           /* "in_classify", ... */
    const char *purpose;        /* One line for tools and docs. */
};

static const struct pl_stage_info pl_stage_infos[PL_N_STAGES] = {
#define PL_STAGE(ENUM, TABLE, MISS, NAME, PURPOSE) \
    [ENUM] = { TABLE, PL_MISS_##MISS, NAME, PURPOSE },
    PL_STAGES
#undef PL_STAGE
};

static const struct pl_stage_info *
pl_stage_info(enum pl_stage stage)
{
    ovs_assert(stage < PL_N_STAGES);
    return &pl_stage_infos[stage];
}

/* Returns the OpenFlow table number of 'stage'. */
uint8_t
pl_stage_table(enum pl_stage stage)
{
    return pl_stage_info(stage)->table;
}

/* Returns the name of 'stage', e.g. "in_classify". */
const char *
pl_stage_name(enum pl_stage stage)
{
    return pl_stage_info(stage)->name;
}

/* Returns the one-line purpose of 'stage'. */
const char *
pl_stage_purpose(enum pl_stage stage)
{
    return pl_stage_info(stage)->purpose;
}

/* Returns what the default flow of 'stage' does with unmatched packets. */
enum pl_stage_miss
pl_stage_miss(enum pl_stage stage)
{
    return pl_stage_info(stage)->miss;
}

/* Stores in '*stage' the stage that owns OpenFlow table 'table_id' and
 * returns true, or returns false if no stage uses that table. */
bool
pl_stage_from_table(uint8_t table_id, enum pl_stage *stage)
{
    for (int i = 0; i < PL_N_STAGES; i++) {
        if (pl_stage_infos[i].table == table_id) {
            *stage = i;
            return true;
        }
    }
    return false;
}

/* Stores in '*stage' the stage called 'name' and returns true, or returns
 * false if there is no such stage. */
bool
pl_stage_from_name(const char *name, enum pl_stage *stage)
{
    for (int i = 0; i < PL_N_STAGES; i++) {
        if (!strcmp(pl_stage_infos[i].name, name)) {
            *stage = i;
            return true;
        }
    }
    return false;
}

/* Returns true if 'stage' belongs to the ingress half of the pipeline. */
bool
pl_stage_is_ingress(enum pl_stage stage)
{
    return !strncmp(pl_stage_name(stage), "in_", 3);
}

/* Aborts if PL_STAGES breaks its rules: table numbers must increase from
 * row to row, names must start with "in_" or "out_", and the ingress rows
 * must all come before the egress rows.  Called once at startup, so a bad
 * edit of pipeline.h fails the first test that starts the controller. */
void
pl_stages_check(void)
{
    for (int i = 0; i < PL_N_STAGES; i++) {
        const char *name = pl_stage_infos[i].name;

        ovs_assert(!strncmp(name, "in_", 3) || !strncmp(name, "out_", 4));
        if (i > 0) {
            ovs_assert(pl_stage_infos[i - 1].table < pl_stage_infos[i].table);
            ovs_assert(pl_stage_is_ingress(i - 1)
                       || !pl_stage_is_ingress(i));
        }
    }
}

/* Appends to 's' one line per stage: table number, name, table-miss
 * behaviour and purpose.  This is the output of the 'flow-table-list'
 * unixctl command, which tests and tools parse: keep the columns. */
void
pl_stages_format(struct ds *s)
{
    for (int i = 0; i < PL_N_STAGES; i++) {
        const struct pl_stage_info *info = &pl_stage_infos[i];

        ds_put_format(s, "%3"PRIu8" %-12s %-4s %s\n", info->table, info->name,
                      info->miss == PL_MISS_DROP ? "drop" : "next",
                      info->purpose);
    }
}

/* Returns the MAC of the router of the VPC with tunnel key
 * 'vpc_tunnel_key': 0a:00 followed by the key in 32 bits (see "Addresses
 * the pipeline answers for" in pipeline.h). */
struct eth_addr
pl_router_mac(int64_t vpc_tunnel_key)
{
    uint32_t key = vpc_tunnel_key & ((1u << PL_VPC_KEY_BITS) - 1);

    return (struct eth_addr) { .ea = { 0x0a, 0x00, key >> 24, key >> 16,
                                       key >> 8, key } };
}

/* Returns the value of PL_MFF_RTB for the route table whose row has UUID
 * 'route_table': the first 32 bits of the UUID, as for cookies. */
uint32_t
pl_rtb_key(const struct uuid *route_table)
{
    return route_table->parts[0];
}

/* Returns the key of the endpoint ENI whose Network_Interface row has UUID
 * 'eni': the first 32 bits of the UUID (see PL_MFF_EPT). */
uint32_t
pl_ept_key(const struct uuid *eni)
{
    return eni->parts[0];
}

/* Returns the DNAT conntrack zone of the endpoint ENI with row UUID 'eni'
 * (see "Conntrack zones" in pipeline.h). */
uint16_t
pl_ept_dnat_zone(const struct uuid *eni)
{
    return 0x8000 | (pl_ept_key(eni) & 0x3fff);
}

/* Returns the SNAT conntrack zone of the load balancer with row UUID
 * 'load_balancer' (see "Conntrack zones" in pipeline.h). */
uint16_t
pl_ept_snat_zone(const struct uuid *load_balancer)
{
    uint16_t zone = 0xc000 | (load_balancer->parts[0] & 0x3fff);

    return zone == 0xffff ? 0xfffe : zone;
}

/* Returns the first port of the block of 1024 SNAT source ports that the
 * chassis named 'chassis_name' owns (see "Interface endpoints" in
 * pipeline.h). */
uint16_t
pl_ept_port_block(const char *chassis_name)
{
    return 2048 + 1024 * (hash_string(chassis_name, 0) % 62);
}
