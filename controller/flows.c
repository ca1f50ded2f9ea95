/* SPDX-License-Identifier: Apache-2.0 */

/* The skeleton pipeline: stage defaults and port classification.  See
 * flows.h for what each builder produces and pipeline.h for the stages and
 * registers. */

#include <config.h>

#include "flows.h"

#include <string.h>

#include "byte-order.h"
#include "encaps.h"
#include "flow.h"
#include "ofctrl.h"
#include "openvswitch/match.h"
#include "openvswitch/meta-flow.h"
#include "openvswitch/ofp-actions.h"
#include "openvswitch/ofpbuf.h"
#include "openvswitch/shash.h"
#include "ovsdb-idl.h"
#include "pipeline.h"
#include "smap.h"
#include "lib/plink-idl.h"
#include "lib/vswitch-idl.h"

/* Priority of the per-port flows in PL_IN_CLASSIFY. */
#define FLOWS_CLASSIFY_PRIORITY 100

/* Database rows the classification flows look up by name, indexed once
 * per computation. */
struct flows_lookup {
    struct shash chassis;       /* Chassis rows by name. */
    struct shash enis;          /* Network_Interface rows by
                                 * network_interface_id. */
};

/* Asks 'ovs_idl' to replicate the columns this module reads. */
void
flows_register_ovs_idl(struct ovsdb_idl *ovs_idl)
{
    ovsdb_idl_add_column(ovs_idl, &ovsrec_interface_col_ofport);
    ovsdb_idl_add_column(ovs_idl, &ovsrec_interface_col_external_ids);
}

/* Appends to 'ofpacts' a resubmit to the table of 'stage'. */
static void
put_resubmit(struct ofpbuf *ofpacts, enum pl_stage stage)
{
    struct ofpact_resubmit *resubmit = ofpact_put_RESUBMIT(ofpacts);

    resubmit->in_port = OFPP_IN_PORT;
    resubmit->table_id = pl_stage_table(stage);
}

/* Appends to 'ofpacts' an action that sets field 'id' to the
 * field-sized 'value' in the bits of 'mask' (NULL for all bits).
 *
 * Unlike ofpact_put_set_field() with a value, this leaves no uninitialized
 * padding behind narrow fields, so the same action always has the same
 * bytes: ofctrl compares actions byte for byte. */
static void
put_set_field(struct ofpbuf *ofpacts, enum mf_field_id id,
              const void *value, const void *mask)
{
    const struct mf_field *field = mf_from_id(id);
    struct ofpact_set_field *sf = ofpact_put_set_field(ofpacts, field,
                                                       NULL, NULL);

    memcpy(sf->value, value, field->n_bytes);
    if (mask) {
        memcpy(ofpact_set_field_mask(sf), mask, field->n_bytes);
    } else {
        memset(ofpact_set_field_mask(sf), 0xff, field->n_bytes);
    }
}

/* Appends to 'ofpacts' an action that sets 32-bit field 'id' to 'value'
 * in the bits of 'mask'. */
static void
put_load32(struct ofpbuf *ofpacts, enum mf_field_id id, uint32_t value,
           uint32_t mask)
{
    ovs_be32 v = htonl(value);
    ovs_be32 m = htonl(mask);

    put_set_field(ofpacts, id, &v, mask == UINT32_MAX ? NULL : &m);
}

/* Every stage: the priority-0 flow that implements its table-miss
 * behaviour (see PL_STAGES). */
static void
flows_build_stage_defaults(const struct uuid *source,
                           struct ofctrl_flow_table *table)
{
    uint64_t stub[64 / 8];
    struct ofpbuf ofpacts = OFPBUF_STUB_INITIALIZER(stub);
    struct match match;

    match_init_catchall(&match);
    for (int stage = 0; stage < PL_N_STAGES; stage++) {
        ofpbuf_clear(&ofpacts);
        if (pl_stage_miss(stage) == PL_MISS_NEXT) {
            ovs_assert(stage + 1 < PL_N_STAGES);
            put_resubmit(&ofpacts, stage + 1);
        }
        ofctrl_add_flow(table, pl_stage_table(stage), 0, source, &match,
                        &ofpacts);
    }
    ofpbuf_uninit(&ofpacts);
}

/* Returns the OpenFlow port number of 'iface', or 0 if it has none (yet). */
static ofp_port_t
iface_ofport(const struct ovsrec_interface *iface)
{
    if (iface->n_ofport != 1 || iface->ofport[0] <= 0
        || iface->ofport[0] >= ofp_to_u16(OFPP_MAX)) {
        return 0;
    }
    return u16_to_ofp(iface->ofport[0]);
}

/* PL_IN_CLASSIFY: packets from the local network interface 'eni' on
 * 'ofport' enter its VPC's pipeline at PL_IN_PORT_SEC. */
static void
flows_build_classify_eni(const struct plrec_network_interface *eni,
                         ofp_port_t ofport, struct ofctrl_flow_table *table)
{
    if (!eni->subnet || !eni->subnet->vpc) {
        return;
    }

    uint64_t stub[256 / 8];
    struct ofpbuf ofpacts = OFPBUF_STUB_INITIALIZER(stub);
    ovs_be64 vpc_key = htonll(eni->subnet->vpc->tunnel_key);
    struct match match;

    match_init_catchall(&match);
    match_set_in_port(&match, ofport);
    put_set_field(&ofpacts, PL_MFF_VPC, &vpc_key, NULL);
    put_load32(&ofpacts, PL_MFF_INPORT, ofp_to_u16(ofport), UINT32_MAX);
    put_resubmit(&ofpacts, PL_IN_PORT_SEC);
    ofctrl_add_flow(table, pl_stage_table(PL_IN_CLASSIFY),
                    FLOWS_CLASSIFY_PRIORITY, &eni->header_.uuid, &match,
                    &ofpacts);
    ofpbuf_uninit(&ofpacts);
}

/* PL_IN_CLASSIFY: packets from the tunnel to 'chassis' on 'ofport' carry
 * their VPC in the VNI; the sender ran the ingress half, so they enter the
 * egress half at PL_OUT_SG. */
static void
flows_build_classify_tunnel(const struct plrec_chassis *chassis,
                            ofp_port_t ofport,
                            struct ofctrl_flow_table *table)
{
    uint64_t stub[256 / 8];
    struct ofpbuf ofpacts = OFPBUF_STUB_INITIALIZER(stub);
    struct match match;

    match_init_catchall(&match);
    match_set_in_port(&match, ofport);

    struct ofpact_reg_move *move = ofpact_put_REG_MOVE(&ofpacts);
    move->src.field = mf_from_id(MFF_TUN_ID);
    move->src.ofs = 0;
    move->src.n_bits = PL_VPC_KEY_BITS;
    move->dst.field = mf_from_id(PL_MFF_VPC);
    move->dst.ofs = 0;
    move->dst.n_bits = PL_VPC_KEY_BITS;
    put_load32(&ofpacts, PL_MFF_FLAGS, PL_FLAG_FROM_TUNNEL,
               PL_FLAG_FROM_TUNNEL);
    put_resubmit(&ofpacts, PL_OUT_SG);

    ofctrl_add_flow(table, pl_stage_table(PL_IN_CLASSIFY),
                    FLOWS_CLASSIFY_PRIORITY, &chassis->header_.uuid, &match,
                    &ofpacts);
    ofpbuf_uninit(&ofpacts);
}

/* Classifies one interface of a port of br-int. */
static void
flows_build_classify_iface(const struct flows_lookup *lookup,
                           const struct ovsrec_port *port,
                           const struct ovsrec_interface *iface,
                           struct ofctrl_flow_table *table)
{
    ofp_port_t ofport = iface_ofport(iface);
    if (!ofport) {
        return;
    }

    const char *chassis_name = encaps_port_get_chassis(port);
    if (chassis_name) {
        const struct plrec_chassis *chassis
            = shash_find_data(&lookup->chassis, chassis_name);
        if (chassis) {
            flows_build_classify_tunnel(chassis, ofport, table);
        }
        return;
    }

    const char *iface_id = smap_get(&iface->external_ids, "iface-id");
    if (iface_id) {
        const struct plrec_network_interface *eni
            = shash_find_data(&lookup->enis, iface_id);
        if (eni) {
            flows_build_classify_eni(eni, ofport, table);
        }
    }
}

static void
flows_lookup_init(struct flows_lookup *lookup, const struct ovsdb_idl *pl_idl)
{
    const struct plrec_chassis *chassis;
    const struct plrec_network_interface *eni;

    shash_init(&lookup->chassis);
    PLREC_CHASSIS_FOR_EACH (chassis, pl_idl) {
        shash_add_once(&lookup->chassis, chassis->name, chassis);
    }
    shash_init(&lookup->enis);
    PLREC_NETWORK_INTERFACE_FOR_EACH (eni, pl_idl) {
        shash_add_once(&lookup->enis, eni->network_interface_id, eni);
    }
}

static void
flows_lookup_destroy(struct flows_lookup *lookup)
{
    shash_destroy(&lookup->chassis);
    shash_destroy(&lookup->enis);
}

/* PL_IN_CLASSIFY: one flow per local network interface and per tunnel. */
static void
flows_build_classify(const struct flows_input *in,
                     struct ofctrl_flow_table *table)
{
    struct flows_lookup lookup;

    flows_lookup_init(&lookup, in->pl_idl);
    for (size_t i = 0; i < in->br_int->n_ports; i++) {
        const struct ovsrec_port *port = in->br_int->ports[i];

        for (size_t j = 0; j < port->n_interfaces; j++) {
            flows_build_classify_iface(&lookup, port, port->interfaces[j],
                                       table);
        }
    }
    flows_lookup_destroy(&lookup);
}

/* Replaces the contents of 'table' by the desired flows for 'in'. */
void
flows_run(const struct flows_input *in, struct ofctrl_flow_table *table)
{
    const struct plrec_privatelink_global *global
        = plrec_privatelink_global_first(in->pl_idl);

    ofctrl_flow_table_clear(table);
    flows_build_stage_defaults(global ? &global->header_.uuid : NULL, table);
    flows_build_classify(in, table);
}
