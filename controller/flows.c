/* SPDX-License-Identifier: Apache-2.0 */

/* flows_run(): indexing the database for one computation, the helpers the
 * builders share, and the stage defaults.  See flows.h for what is built
 * and flows-private.h for who builds it. */

#include <config.h>

#include "flows.h"

#include <string.h>
#include <sys/socket.h>

#include "binding.h"
#include "byte-order.h"
#include "flow.h"
#include "encaps.h"
#include "flows-private.h"
#include "hash.h"
#include "ofctrl.h"
#include "openvswitch/match.h"
#include "openvswitch/ofp-actions.h"
#include "openvswitch/ofpbuf.h"
#include "openvswitch/uuid.h"
#include "openvswitch/vlog.h"
#include "ovsdb-idl.h"
#include "packets.h"
#include "smap.h"
#include "util.h"
#include "lib/plink-idl.h"
#include "lib/vswitch-idl.h"

VLOG_DEFINE_THIS_MODULE(flows);

/* Asks 'ovs_idl' to replicate the columns this module reads. */
void
flows_register_ovs_idl(struct ovsdb_idl *ovs_idl)
{
    ovsdb_idl_add_column(ovs_idl, &ovsrec_interface_col_ofport);
    ovsdb_idl_add_column(ovs_idl, &ovsrec_interface_col_external_ids);
}

/* Adding flows.
 * ============= */

/* Adds to the table being computed a flow in the table of 'stage', whose
 * cookie names the row 'source'.  It belongs to 'ctx->owner' if that is
 * set, else to 'source' (see ofctrl_remove_owner()). */
void
flows_add(struct flows_ctx *ctx, enum pl_stage stage, uint16_t priority,
          const struct uuid *source, const struct match *match,
          const struct ofpbuf *ofpacts)
{
    ofctrl_add_flow(ctx->table, pl_stage_table(stage), priority, source,
                    ctx->owner, match, ofpacts);
}

/* Makes 'match' match packets of 'vpc' (the low PL_VPC_KEY_BITS of
 * PL_MFF_VPC). */
void
flows_match_vpc(struct match *match, const struct plrec_vpc *vpc)
{
    match_set_metadata_masked(match, htonll(vpc->tunnel_key),
                              htonll((1u << PL_VPC_KEY_BITS) - 1));
}

/* Appends to 'ofpacts' a resubmit to the table of 'stage'. */
void
flows_put_resubmit(struct ofpbuf *ofpacts, enum pl_stage stage)
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
void
flows_put_set_field(struct ofpbuf *ofpacts, enum mf_field_id id,
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
void
flows_put_load32(struct ofpbuf *ofpacts, enum mf_field_id id, uint32_t value,
                 uint32_t mask)
{
    ovs_be32 v = htonl(value);
    ovs_be32 m = htonl(mask);

    flows_put_set_field(ofpacts, id, &v, mask == UINT32_MAX ? NULL : &m);
}

/* Appends to 'ofpacts' a copy of 'n_bits' bits of field 'src' from bit
 * 'src_ofs' into field 'dst' at bit 'dst_ofs'. */
void
flows_put_move(struct ofpbuf *ofpacts, enum mf_field_id src, int src_ofs,
               enum mf_field_id dst, int dst_ofs, int n_bits)
{
    struct ofpact_reg_move *move = ofpact_put_REG_MOVE(ofpacts);

    move->src.field = mf_from_id(src);
    move->src.ofs = src_ofs;
    move->src.n_bits = n_bits;
    move->dst.field = mf_from_id(dst);
    move->dst.ofs = dst_ofs;
    move->dst.n_bits = n_bits;
}

/* Appends to 'ofpacts' an output to 'port' (OFPP_IN_PORT for the port the
 * packet came in on). */
void
flows_put_output(struct ofpbuf *ofpacts, ofp_port_t port)
{
    ofpact_put_OUTPUT(ofpacts)->port = port;
}

/* Appends to 'ofpacts' a ct() action in the conntrack zone held in the low
 * 16 bits of 'zone', committing the connection if 'commit', and
 * recirculating the packet to the table of '*recirc' unless 'recirc' is
 * NULL (then the packet goes on with the next action). */
void
flows_put_ct(struct ofpbuf *ofpacts, enum mf_field_id zone, bool commit,
             const enum pl_stage *recirc)
{
    struct ofpact_conntrack *ct = ofpact_put_CT(ofpacts);

    ct->flags = commit ? NX_CT_F_COMMIT : 0;
    ct->zone_src.field = mf_from_id(zone);
    ct->zone_src.ofs = 0;
    ct->zone_src.n_bits = 16;
    ct->recirc_table = recirc ? pl_stage_table(*recirc) : NX_CT_RECIRC_NONE;
    ct->alg = 0;
    ofpact_finish_CT(ofpacts, &ct);
}

/* Appends to 'ofpacts' a ct() action in the conntrack zone 'zone' with a
 * nat(): committing the connection if 'commit', with 'nat' = NULL for a
 * bare "nat" (undo or redo the NAT of a known connection), setting ct_mark
 * to 'mark' if 'commit', and recirculating to the table of 'recirc'. */
void
flows_put_ct_nat(struct ofpbuf *ofpacts, uint16_t zone, bool commit,
                 const struct flows_nat *nat, uint32_t mark,
                 enum pl_stage recirc)
{
    size_t ct_offset = ofpacts->size;
    struct ofpact_conntrack *ct = ofpact_put_CT(ofpacts);

    ct->flags = commit ? NX_CT_F_COMMIT : 0;
    ct->zone_imm = zone;
    ct->zone_src.field = NULL;
    ct->recirc_table = pl_stage_table(recirc);
    ct->alg = 0;

    struct ofpact_nat *on = ofpact_put_NAT(ofpacts);
    if (nat) {
        on->flags = nat->snat ? NX_NAT_F_SRC : NX_NAT_F_DST;
        on->range_af = AF_INET;
        on->range.addr.ipv4.min = nat->ip;
        if (nat->port_min) {
            /* A random port of the range, rather than the first free one,
             * so that a port is not reused at once while the peer may
             * still hold the last connection in TIME_WAIT. */
            on->flags |= NX_NAT_F_PROTO_RANDOM;
            on->range.proto.min = nat->port_min;
            on->range.proto.max = nat->port_max;
        }
    }
    if (commit) {
        ovs_be32 value = htonl(mark);
        flows_put_set_field(ofpacts, MFF_CT_MARK, &value, NULL);
    }

    ct = ofpbuf_at_assert(ofpacts, ct_offset, sizeof *ct);
    ofpacts->header = ct;
    ofpact_finish_CT(ofpacts, &ct);
}

/* Appends to 'ofpacts' a dec_ttl (a packet whose TTL runs out is
 * dropped: ofctrl does not ask for invalid-TTL packet-ins). */
void
flows_put_dec_ttl(struct ofpbuf *ofpacts)
{
    struct ofpact_cnt_ids *ids;
    uint16_t id = 0;

    ofpact_put_DEC_TTL(ofpacts);
    ofpbuf_put(ofpacts, &id, sizeof id);
    ids = ofpacts->header;
    ids->n_controllers++;
    ofpact_finish_DEC_TTL(ofpacts, &ids);
}

/* Reference counts.
 * ================= */

static struct flows_ref *
flows_ref_find(const struct hmap *refs, const void *row)
{
    struct flows_ref *ref;

    HMAP_FOR_EACH_WITH_HASH (ref, node, hash_pointer(row, 0), refs) {
        if (ref->row == row) {
            return ref;
        }
    }
    return NULL;
}

/* Returns the number of references to 'row' in 'refs' (0 if none). */
unsigned int
flows_ref_count(const struct hmap *refs, const void *row)
{
    const struct flows_ref *ref = flows_ref_find(refs, row);

    return ref ? ref->n : 0;
}

/* Adds a reference to 'row' in 'refs'. */
void
flows_ref_add(struct hmap *refs, const void *row)
{
    struct flows_ref *ref = flows_ref_find(refs, row);

    if (!ref) {
        ref = xmalloc(sizeof *ref);
        ref->row = row;
        ref->n = 0;
        hmap_insert(refs, &ref->node, hash_pointer(row, 0));
    }
    ref->n++;
}

/* Removes a reference to 'row' from 'refs'; the last one takes 'row'
 * out. */
void
flows_ref_del(struct hmap *refs, const void *row)
{
    struct flows_ref *ref = flows_ref_find(refs, row);

    if (ref && !--ref->n) {
        hmap_remove(refs, &ref->node);
        free(ref);
    }
}

/* Frees 'refs' and its references. */
void
flows_refs_destroy(struct hmap *refs)
{
    struct flows_ref *ref;

    HMAP_FOR_EACH_POP (ref, node, refs) {
        free(ref);
    }
    hmap_destroy(refs);
}

/* The index.
 * ========== */

/* Parses the IPv4 CIDR block 's' ("10.0.0.0/16"; a bare address is a /32)
 * into its network address '*addr' (host bits cleared) and '*plen'.
 * Returns false, with a (rate-limited) complaint, if it does not parse:
 * plinkd never writes such a block. */
bool
flows_parse_cidr(const char *s, ovs_be32 *addr, unsigned int *plen)
{
    char *error = ip_parse_cidr(s, addr, plen);

    if (error) {
        static struct vlog_rate_limit rl = VLOG_RATE_LIMIT_INIT(1, 5);
        VLOG_WARN_RL(&rl, "bad CIDR block \"%s\" ignored: %s", s, error);
        free(error);
        return false;
    }
    *addr &= be32_prefix_mask(*plen);
    return true;
}

/* Returns the entry of 'row' in 'ctx->enis', or NULL if the pipeline cannot
 * use 'row'. */
const struct flows_eni *
flows_eni_find(const struct flows_ctx *ctx,
               const struct plrec_network_interface *row)
{
    const struct flows_eni *eni;

    HMAP_FOR_EACH_WITH_HASH (eni, node, uuid_hash(&row->header_.uuid),
                             &ctx->enis) {
        if (eni->row == row) {
            return eni;
        }
    }
    return NULL;
}

/* Returns true if 'vpc' has an ENI bound to this chassis. */
bool
flows_vpc_is_local(const struct flows_ctx *ctx, const struct plrec_vpc *vpc)
{
    return hmapx_contains(&ctx->local_vpcs, vpc);
}

/* Returns the members of the security group with UUID 'group', or NULL if
 * it has none. */
const struct flows_sg_members *
flows_sg_members_find(const struct flows_ctx *ctx, const struct uuid *group)
{
    const struct flows_sg_members *m;

    HMAP_FOR_EACH_WITH_HASH (m, node, uuid_hash(group), &ctx->sg_members) {
        if (uuid_equals(m->group, group)) {
            return m;
        }
    }
    return NULL;
}

/* Removes one 'ip' from the members of the security group with UUID
 * 'group'. */
static void
flows_sg_members_del(struct flows_ctx *ctx, const struct uuid *group,
                     ovs_be32 ip)
{
    struct flows_sg_members *m
        = CONST_CAST(struct flows_sg_members *,
                     flows_sg_members_find(ctx, group));

    for (size_t i = 0; m && i < m->n_ips; i++) {
        if (m->ips[i] == ip) {
            m->ips[i] = m->ips[--m->n_ips];
            return;
        }
    }
}

/* Adds 'ip' to the members of the security group with UUID 'group'. */
static void
flows_sg_members_add(struct flows_ctx *ctx, const struct uuid *group,
                     ovs_be32 ip)
{
    struct flows_sg_members *m
        = CONST_CAST(struct flows_sg_members *,
                     flows_sg_members_find(ctx, group));

    if (!m) {
        m = xzalloc(sizeof *m);
        m->group = group;
        hmap_insert(&ctx->sg_members, &m->node, uuid_hash(group));
    }
    if (m->n_ips >= m->allocated_ips) {
        m->ips = x2nrealloc(m->ips, &m->allocated_ips, sizeof *m->ips);
    }
    m->ips[m->n_ips++] = ip;
}

/* Fills in the addresses of 'eni' from 'row'.  Returns false, with a
 * (rate-limited) complaint, if they do not parse: plinkd never writes
 * such a row. */
static bool
flows_eni_parse(const struct plrec_network_interface *row,
                struct flows_eni *eni)
{
    if (!eth_addr_from_string(row->mac_address, &eni->mac)
        || !ip_parse(row->private_ip_address, &eni->ip)) {
        static struct vlog_rate_limit rl = VLOG_RATE_LIMIT_INIT(1, 5);
        VLOG_WARN_RL(&rl, "%s: bad MAC \"%s\" or IP \"%s\", no flows",
                     row->network_interface_id, row->mac_address,
                     row->private_ip_address);
        return false;
    }
    return true;
}

/* Adds to 'ctx->enis' the network interface 'row', if usable, with its
 * location: 'ifaces' holds the local interfaces (binding.h).  Its address
 * goes into the members of its security groups. */
static void
flows_index_eni(struct flows_ctx *ctx,
                const struct plrec_network_interface *row,
                const struct simap *ifaces)
{
    struct flows_eni eni = { .row = row };

    if (!row->subnet || !row->subnet->vpc || !flows_eni_parse(row, &eni)) {
        return;
    }
    eni.vpc = row->subnet->vpc;

    const struct plrec_chassis *bound = row->chassis;
    if (bound && bound == ctx->in->chassis) {
        eni.ofport = u16_to_ofp(simap_get(ifaces, row->network_interface_id));
        if (eni.ofport) {
            hmapx_add(&ctx->local_vpcs, CONST_CAST(struct plrec_vpc *,
                                                   eni.vpc));
            hmapx_add(&ctx->bound_vpcs, CONST_CAST(struct plrec_vpc *,
                                                   eni.vpc));
        }
    } else if (bound) {
        eni.tunnel = u16_to_ofp(simap_get(&ctx->tunnels, bound->name));
    }

    struct flows_eni *copy = xmemdup(&eni, sizeof eni);
    hmap_insert(&ctx->enis, &copy->node, uuid_hash(&row->header_.uuid));
    if (copy->ofport) {
        hmapx_add(&ctx->bound_enis, copy);
    }
    copy->n_sgs = row->n_security_groups;
    copy->sgs = xmalloc(copy->n_sgs * sizeof *copy->sgs);
    for (size_t i = 0; i < row->n_security_groups; i++) {
        copy->sgs[i] = row->security_groups[i]->header_.uuid;
        flows_sg_members_add(ctx, &row->security_groups[i]->header_.uuid,
                             eni.ip);
    }
}

/* Fills 'ctx->tunnels' with the tunnel ports of br-int that have a port
 * number. */
static void
flows_index_tunnels(struct flows_ctx *ctx)
{
    const struct ovsrec_bridge *br_int = ctx->in->br_int;

    for (size_t i = 0; i < br_int->n_ports; i++) {
        const struct ovsrec_port *port = br_int->ports[i];
        const char *chassis = encaps_port_get_chassis(port);

        if (chassis && port->n_interfaces == 1) {
            const struct ovsrec_interface *iface = port->interfaces[0];

            if (iface->n_ofport == 1 && iface->ofport[0] > 0
                && iface->ofport[0] < ofp_to_u16(OFPP_MAX)) {
                simap_put(&ctx->tunnels, chassis, iface->ofport[0]);
            }
        }
    }
}

/* Initializes 'ctx' for computing 'table' from 'in': indexes the tunnel
 * ports, every usable ENI with its location, and the members of every
 * security group. */
static void
flows_ctx_init(struct flows_ctx *ctx, const struct flows_input *in,
               struct ofctrl_flow_table *table)
{
    const struct plrec_privatelink_global *global
        = plrec_privatelink_global_first(in->pl_idl);
    const struct plrec_network_interface *row;
    struct simap ifaces = SIMAP_INITIALIZER(&ifaces);

    ctx->in = in;
    ctx->table = table;
    ctx->global = global ? &global->header_.uuid : NULL;
    ctx->owner = NULL;
    hmap_init(&ctx->enis);
    hmapx_init(&ctx->local_vpcs);
    hmapx_init(&ctx->bound_vpcs);
    hmapx_init(&ctx->bound_enis);
    hmapx_init(&ctx->referenced_sgs);
    hmap_init(&ctx->ept_recs);
    hmapx_init(&ctx->ept_holders);
    hmap_init(&ctx->lb_refs);
    hmap_init(&ctx->vpc_refs);
    hmapx_init(&ctx->ept_enis);
    hmapx_init(&ctx->epts);
    hmapx_init(&ctx->ept_lbs);
    shash_init(&ctx->aws_ports);
    shash_init(&ctx->igw_ports);
    shash_init(&ctx->igws);
    hmapx_init(&ctx->gwlb_epts);
    hmapx_init(&ctx->gwlb_backs);
    hmapx_init(&ctx->gw_epts);
    simap_init(&ctx->tunnels);
    hmap_init(&ctx->sg_members);

    flows_index_tunnels(ctx);
    binding_local_ifaces(in->br_int, &ifaces);
    PLREC_NETWORK_INTERFACE_FOR_EACH (row, in->pl_idl) {
        flows_index_eni(ctx, row, &ifaces);
    }
    simap_destroy(&ifaces);

    const struct plrec_security_group_rule *rule;
    PLREC_SECURITY_GROUP_RULE_FOR_EACH (rule, in->pl_idl) {
        if (rule->referenced_group) {
            hmapx_add(&ctx->referenced_sgs,
                      CONST_CAST(struct plrec_security_group *,
                                 rule->referenced_group));
        }
    }
}

/* Frees the indexes of 'ctx' (not the table it filled). */
static void
flows_ctx_destroy(struct flows_ctx *ctx)
{
    struct flows_sg_members *m;
    struct flows_eni *eni;

    HMAP_FOR_EACH_POP (eni, node, &ctx->enis) {
        free(eni->sgs);
        free(eni);
    }
    hmap_destroy(&ctx->enis);
    hmapx_destroy(&ctx->local_vpcs);
    hmapx_destroy(&ctx->bound_vpcs);
    hmapx_destroy(&ctx->bound_enis);
    hmapx_destroy(&ctx->referenced_sgs);
    flows_ept_index_destroy(ctx);
    hmapx_destroy(&ctx->ept_holders);
    hmapx_destroy(&ctx->ept_enis);
    hmapx_destroy(&ctx->epts);
    hmapx_destroy(&ctx->ept_lbs);
    shash_destroy_free_data(&ctx->aws_ports);
    shash_destroy_free_data(&ctx->igw_ports);
    shash_destroy_free_data(&ctx->igws);
    hmapx_destroy(&ctx->gwlb_epts);
    hmapx_destroy(&ctx->gwlb_backs);
    hmapx_destroy(&ctx->gw_epts);
    simap_destroy(&ctx->tunnels);
    HMAP_FOR_EACH_POP (m, node, &ctx->sg_members) {
        free(m->ips);
        free(m);
    }
    hmap_destroy(&ctx->sg_members);
}

/* Calls 'build' for each address of load balancer 'lb' (its network
 * interfaces in its own VPC that the pipeline can use). */
void
flows_for_each_lb_address(struct flows_ctx *ctx,
                          const struct plrec_load_balancer *lb,
                          flows_lb_address_cb *build)
{
    for (size_t i = 0; i < lb->n_network_interfaces; i++) {
        const struct flows_eni *addr
            = flows_eni_find(ctx, lb->network_interfaces[i]);
        if (addr && addr->vpc == lb->vpc) {
            build(ctx, lb, addr);
        }
    }
}

/* Building.
 * ========= */

/* Every stage: the priority-0 flow that implements its table-miss
 * behaviour (see PL_STAGES). */
static void
flows_build_stage_defaults(struct flows_ctx *ctx)
{
    uint64_t stub[64 / 8];
    struct ofpbuf ofpacts = OFPBUF_STUB_INITIALIZER(stub);
    struct match match;

    match_init_catchall(&match);
    for (int stage = 0; stage < PL_N_STAGES; stage++) {
        ofpbuf_clear(&ofpacts);
        if (pl_stage_miss(stage) == PL_MISS_NEXT) {
            ovs_assert(stage + 1 < PL_N_STAGES);
            flows_put_resubmit(&ofpacts, stage + 1);
        }
        flows_add(ctx, stage, 0, ctx->global, &match, &ofpacts);
    }
    ofpbuf_uninit(&ofpacts);
}

/* Replaces the contents of 'table' by the desired flows for 'in', and
 * keeps the index it made in 'state' for flows_handle_changes(). */
void
flows_run(const struct flows_input *in, struct flows_state *state,
          struct ofctrl_flow_table *table)
{
    struct flows_ctx *ctx = &state->ctx;

    if (state->valid) {
        flows_ctx_destroy(ctx);
    }
    state->in = *in;
    ofctrl_flow_table_clear(table);
    flows_ctx_init(ctx, &state->in, table);

    flows_igw_index(ctx);
    flows_gwlb_index(ctx);
    flows_ept_index(ctx);
    flows_gw_index(ctx);
    flows_build_stage_defaults(ctx);
    flows_build_classify(ctx);
    flows_build_port_sec(ctx);
    flows_build_arp(ctx);
    flows_build_dns(ctx);
    flows_build_sg(ctx);
    flows_build_route(ctx);
    flows_build_dest(ctx);
    flows_build_out_port(ctx);
    flows_build_deliver(ctx);
    flows_build_ept(ctx);
    flows_build_gw(ctx);
    flows_build_igw(ctx);
    flows_build_gwlb(ctx);
    state->valid = true;
}

/* Creates the state that flows_run() and flows_handle_changes() keep
 * between calls. */
struct flows_state *
flows_state_create(void)
{
    return xzalloc(sizeof(struct flows_state));
}

/* Frees 'state'.  Accepts NULL. */
void
flows_state_destroy(struct flows_state *state)
{
    if (state) {
        if (state->valid) {
            flows_ctx_destroy(&state->ctx);
        }
        free(state);
    }
}

/* Incremental processing.
 * ======================= */

/* Returns the entry of the ENI with UUID 'uuid' in 'ctx->enis', or
 * NULL. */
static struct flows_eni *
flows_eni_find_uuid(const struct flows_ctx *ctx, const struct uuid *uuid)
{
    struct flows_eni *eni;

    HMAP_FOR_EACH_WITH_HASH (eni, node, uuid_hash(uuid), &ctx->enis) {
        if (uuid_equals(&eni->row->header_.uuid, uuid)) {
            return eni;
        }
    }
    return NULL;
}

/* Returns true if a rule of one of the 'n' security groups 'sgs' (of
 * 'direction' "ingress" or "egress", NULL for both) names one of the
 * groups in 'groups' as its peer. */
bool
flows_sgs_reference(struct plrec_security_group *const *sgs, size_t n,
                    const char *direction, const struct hmapx *groups)
{
    for (size_t i = 0; i < n; i++) {
        for (size_t j = 0; j < sgs[i]->n_rules; j++) {
            const struct plrec_security_group_rule *rule = sgs[i]->rules[j];

            if (rule->referenced_group
                && (!direction || !strcmp(rule->direction, direction))
                && hmapx_contains(groups, rule->referenced_group)) {
                return true;
            }
        }
    }
    return false;
}

/* Builds again the flows of the holders of rules that name one of the
 * security groups 'groups' (whose members changed): bound ENIs at once,
 * endpoints realized here by adding them to 'build' (their flows are taken
 * out now).  A walk over the bound ENIs and the endpoints realized here
 * that hold such rules, with a few pointer comparisons each. */
static void
flows_rebuild_holders(struct flows_ctx *ctx, const struct hmapx *groups,
                      struct hmapx *build)
{
    const struct hmapx_node *node;

    HMAPX_FOR_EACH (node, &ctx->bound_enis) {
        const struct flows_eni *eni = node->data;
        const struct plrec_network_interface *row = eni->row;

        if (flows_sgs_reference(row->security_groups, row->n_security_groups,
                                NULL, groups)) {
            ofctrl_remove_owner(ctx->table, &row->header_.uuid);
            flows_build_port_eni(ctx, eni);
            flows_build_arp_eni(ctx, eni);
            flows_build_dest_eni(ctx, eni);
            flows_build_sg_eni(ctx, eni);
        }
    }
    HMAPX_FOR_EACH (node, &ctx->ept_holders) {
        const struct plrec_vpc_endpoint *ept = node->data;

        if (flows_sgs_reference(ept->security_groups, ept->n_security_groups,
                                "ingress", groups)) {
            ofctrl_remove_owner(ctx->table, &ept->header_.uuid);
            hmapx_add(build, node->data);
        }
    }
}

/* Adds to 'groups' those of the 'n' security groups 'sgs' that a rule
 * names as its peer. */
static void
flows_referenced_of(const struct flows_ctx *ctx, const struct uuid *sgs,
                    size_t n, struct hmapx *groups)
{
    for (size_t i = 0; i < n; i++) {
        const struct plrec_security_group *sg
            = plrec_security_group_get_for_uuid(ctx->in->pl_idl, &sgs[i]);
        if (sg && hmapx_contains(&ctx->referenced_sgs,
                                 CONST_CAST(struct plrec_security_group *,
                                            sg))) {
            hmapx_add(groups, CONST_CAST(struct plrec_security_group *, sg));
        }
    }
}

/* Incremental processing of the changed (perhaps deleted) network
 * interface 'row', which is bound nowhere (an endpoint's): indexes it
 * again and replaces its own flows (ARP, destination).  If it is or was a
 * member of a security group that a rule names, the flows of that rule's
 * holders are built again too (endpoints: added to 'build').
 *
 * Returns false, with the reason in 'why', if it is or was bound here or
 * elsewhere (its location is in other rows' flows): then only a full
 * recompute will do. */
bool
flows_eni_update(struct flows_ctx *ctx,
                 const struct plrec_network_interface *row,
                 struct hmapx *build, struct ds *why)
{
    struct flows_eni *old = flows_eni_find_uuid(ctx, &row->header_.uuid);
    struct hmapx groups = HMAPX_INITIALIZER(&groups);

    if (row->chassis || (old && (old->ofport || old->tunnel))) {
        ds_put_format(why, "bound network interface %s changed",
                      row->network_interface_id);
        return false;
    }

    if (old) {
        for (size_t i = 0; i < old->n_sgs; i++) {
            flows_sg_members_del(ctx, &old->sgs[i], old->ip);
        }
        flows_referenced_of(ctx, old->sgs, old->n_sgs, &groups);
        hmap_remove(&ctx->enis, &old->node);
        free(old->sgs);
        free(old);
    }
    ofctrl_remove_owner(ctx->table, &row->header_.uuid);
    if (!plrec_network_interface_is_deleted(row)) {
        struct simap none = SIMAP_INITIALIZER(&none);
        const struct flows_eni *eni;

        flows_index_eni(ctx, row, &none);
        eni = flows_eni_find(ctx, row);
        if (eni) {
            flows_build_arp_eni(ctx, eni);
            flows_build_dest_eni(ctx, eni);
            flows_referenced_of(ctx, eni->sgs, eni->n_sgs, &groups);
        }
        simap_destroy(&none);
    }
    if (!hmapx_is_empty(&groups)) {
        flows_rebuild_holders(ctx, &groups, build);
    }
    hmapx_destroy(&groups);
    return true;
}
