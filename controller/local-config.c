/* SPDX-License-Identifier: Apache-2.0 */

/* Reading the chassis's configuration from Open_vSwitch:external_ids.  See
 * local-config.h for the keys. */

#include <config.h>

#include "local-config.h"

#include <string.h>
#include <unistd.h>

#include "openvswitch/dynamic-string.h"
#include "openvswitch/vlog.h"
#include "smap.h"
#include "util.h"
#include "lib/vswitch-idl.h"

VLOG_DEFINE_THIS_MODULE(local_config);

/* Initializes 'cfg' with no system-id and every default. */
void
local_config_init(struct local_config *cfg)
{
    memset(cfg, 0, sizeof *cfg);
    local_config_read(cfg, NULL);
}

/* Frees the strings in 'cfg'. */
void
local_config_destroy(struct local_config *cfg)
{
    free(cfg->system_id);
    free(cfg->hostname);
    free(cfg->pl_remote);
    free(cfg->encap_ip);
    free(cfg->encap_type);
    free(cfg->bridge);
    free(cfg->datapath_type);
}

/* Replaces '*dst' by a copy of 'src' (either may be NULL) and returns true
 * if that changed it. */
static bool
update_string(char **dst, const char *src)
{
    if (nullable_string_is_equal(*dst, src)) {
        return false;
    }
    free(*dst);
    *dst = nullable_xstrdup(src);
    return true;
}

/* Returns the value of 'key' in 'ids', or NULL if it is missing or
 * empty. */
static const char *
get_nonempty(const struct smap *ids, const char *key)
{
    const char *value = smap_get(ids, key);
    return value && value[0] ? value : NULL;
}

static const char *
default_hostname(void)
{
    static char hostname[256];

    if (!hostname[0] && gethostname(hostname, sizeof hostname - 1)) {
        ovs_strlcpy(hostname, "localhost", sizeof hostname);
    }
    return hostname;
}

/* Returns the tunnel type in 'ids'.  GENEVE is the only type PrivateLink
 * supports (GWLB needs its options), so anything else is a configuration
 * error that we report and override. */
static const char *
get_encap_type(const struct smap *ids)
{
    const char *type = get_nonempty(ids, "plink-encap-type");

    if (type && strcmp(type, "geneve")) {
        static struct vlog_rate_limit rl = VLOG_RATE_LIMIT_INIT(1, 60);
        VLOG_WARN_RL(&rl, "plink-encap-type=%s is not supported, "
                     "using geneve", type);
    }
    return "geneve";
}

/* Updates 'cfg' from the external_ids of 'ovs' (which may be NULL if the
 * database has no Open_vSwitch row yet).  Returns true if anything
 * changed. */
bool
local_config_read(struct local_config *cfg,
                  const struct ovsrec_open_vswitch *ovs)
{
    static struct smap empty = SMAP_INITIALIZER(&empty);
    const struct smap *ids = ovs ? &ovs->external_ids : &empty;
    const char *hostname = get_nonempty(ids, "hostname");
    const char *bridge = get_nonempty(ids, "plink-bridge");
    const char *dp_type = get_nonempty(ids, "plink-bridge-datapath-type");
    bool changed = false;

    changed |= update_string(&cfg->system_id, get_nonempty(ids, "system-id"));
    changed |= update_string(&cfg->hostname,
                             hostname ? hostname : default_hostname());
    changed |= update_string(&cfg->pl_remote,
                             get_nonempty(ids, "plink-remote"));
    changed |= update_string(&cfg->encap_ip,
                             get_nonempty(ids, "plink-encap-ip"));
    changed |= update_string(&cfg->encap_type, get_encap_type(ids));
    changed |= update_string(&cfg->bridge, bridge ? bridge : "br-int");
    changed |= update_string(&cfg->datapath_type,
                             dp_type ? dp_type : "netdev");
    return changed;
}

/* Appends 'cfg' to 's', one "key: value" line per member. */
void
local_config_format(const struct local_config *cfg, struct ds *s)
{
    ds_put_format(s, "chassis: %s\n",
                  cfg->system_id ? cfg->system_id : "(no system-id)");
    ds_put_format(s, "hostname: %s\n", cfg->hostname);
    ds_put_format(s, "encap: %s %s\n", cfg->encap_type,
                  cfg->encap_ip ? cfg->encap_ip : "(no plink-encap-ip)");
    ds_put_format(s, "bridge: %s (datapath %s)\n", cfg->bridge,
                  cfg->datapath_type);
}
