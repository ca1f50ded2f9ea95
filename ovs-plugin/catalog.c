/*
 * catalog.c: the AWS services a lab offers (see catalog.h).
 */
#include <config.h>
#include "catalog.h"

#include <stdlib.h>
#include <string.h>

#include "cidr.h"
#include "lib/plink-idl.h"
#include "openvswitch/vlog.h"
#include "ovsdb-idl.h"
#include "packets.h"
#include "plink-id.h"
#include "smap.h"
#include "sset.h"
#include "util.h"

VLOG_DEFINE_THIS_MODULE(catalog);

/* One AWS service of the catalog. */
struct catalog_service {
    const char *name;           /* Short name: "s3", "ec2", ... */
    bool gateway;               /* Offered as a gateway endpoint. */
    bool interface;             /* Offered as an interface endpoint. */
    const char *private_dns;    /* Private DNS name ("%s" is the region),
                                 * or NULL if it has none. */
    const char *prefix_list_id; /* AWS-managed prefix list (gateways). */
    const char *cidrs;          /* Its default CIDRs, comma-separated. */
};

static const struct catalog_service services[] = {
    { "s3", true, true, NULL, "pl-63a5400a",
      "52.216.0.0/15,54.231.0.0/16" },
    { "dynamodb", true, false, NULL, "pl-02cd2c6b",
      "52.94.0.0/22,3.218.180.0/22" },
    { "ec2", false, true, "ec2.%s.amazonaws.com", NULL, NULL },
    { "ec2messages", false, true, "ec2messages.%s.amazonaws.com", NULL, NULL },
    { "sts", false, true, "sts.%s.amazonaws.com", NULL, NULL },
    { "kms", false, true, "kms.%s.amazonaws.com", NULL, NULL },
    { "sqs", false, true, "sqs.%s.amazonaws.com", NULL, NULL },
    { "sns", false, true, "sns.%s.amazonaws.com", NULL, NULL },
    { "ssm", false, true, "ssm.%s.amazonaws.com", NULL, NULL },
    { "ssmmessages", false, true, "ssmmessages.%s.amazonaws.com", NULL, NULL },
    { "logs", false, true, "logs.%s.amazonaws.com", NULL, NULL },
    { "monitoring", false, true, "monitoring.%s.amazonaws.com", NULL, NULL },
    { "events", false, true, "events.%s.amazonaws.com", NULL, NULL },
    { "secretsmanager", false, true, "secretsmanager.%s.amazonaws.com",
      NULL, NULL },
    { "lambda", false, true, "lambda.%s.amazonaws.com", NULL, NULL },
    { "elasticloadbalancing", false, true,
      "elasticloadbalancing.%s.amazonaws.com", NULL, NULL },
    { "ecr.api", false, true, "api.ecr.%s.amazonaws.com", NULL, NULL },
    { "ecr.dkr", false, true, "*.dkr.ecr.%s.amazonaws.com", NULL, NULL },
    { "ecs", false, true, "ecs.%s.amazonaws.com", NULL, NULL },
    { "execute-api", false, true, "*.execute-api.%s.amazonaws.com",
      NULL, NULL },
    { "kinesis-streams", false, true, "kinesis.%s.amazonaws.com", NULL,
      NULL },
    { "autoscaling", false, true, "autoscaling.%s.amazonaws.com", NULL,
      NULL },
    { "cloudformation", false, true, "cloudformation.%s.amazonaws.com",
      NULL, NULL },
};

/* Returns true if 'svc' is one of AWS's own services. */
bool
catalog_is_aws(const struct plrec_endpoint_service *svc)
{
    return !strcmp(svc->owner_id, CATALOG_OWNER);
}

/* Returns true if some service of the catalog is missing from 'idl'. */
bool
catalog_needs_seed(struct ovsdb_idl *idl)
{
    size_t n = 0;
    const struct plrec_endpoint_service *svc;
    PLREC_ENDPOINT_SERVICE_FOR_EACH (svc, idl) {
        n += catalog_is_aws(svc);
    }
    return n < ARRAY_SIZE(services);
}

/* Returns the CIDRs of gateway service 's': PrivateLink_Global
 * options:catalog_<name>_cidrs from 'options' (which may be NULL), else the
 * built-in default. */
static const char *
catalog_cidrs(const struct catalog_service *s, const struct smap *options)
{
    char *key = xasprintf("catalog_%s_cidrs", s->name);
    const char *cidrs = options ? smap_get_def(options, key, s->cidrs)
                                : s->cidrs;
    free(key);
    return cidrs;
}

/* Creates the prefix list of gateway service 's', if missing. */
static const struct plrec_prefix_list *
catalog_prefix_list(struct ovsdb_idl *idl, struct ovsdb_idl_txn *txn,
                    const struct catalog_service *s, const char *svc_name,
                    const struct smap *options)
{
    const struct plrec_prefix_list *pl;
    PLREC_PREFIX_LIST_FOR_EACH (pl, idl) {
        if (!strcmp(pl->prefix_list_id, s->prefix_list_id)) {
            return pl;
        }
    }

    const char *cidrs = catalog_cidrs(s, options);
    struct smap entries = SMAP_INITIALIZER(&entries);
    char *copy = xstrdup(cidrs), *save = NULL;
    for (char *c = strtok_r(copy, ", ", &save); c;
         c = strtok_r(NULL, ", ", &save)) {
        smap_replace(&entries, c, "");
    }
    free(copy);

    pl = plrec_prefix_list_insert(txn);
    plrec_prefix_list_set_prefix_list_id(pl, s->prefix_list_id);
    plrec_prefix_list_set_prefix_list_name(pl, svc_name);
    plrec_prefix_list_set_owner_id(pl, "AWS");
    plrec_prefix_list_set_address_family(pl, "IPv4");
    plrec_prefix_list_set_state(pl, "create-complete");
    plrec_prefix_list_set_max_entries(pl, smap_count(&entries));
    plrec_prefix_list_set_version(pl, 1);
    plrec_prefix_list_set_entries(pl, &entries);
    smap_destroy(&entries);
    return pl;
}

/* Sets backend:ip of the new row 'row' of gateway service 's': where the
 * lab runs it.  PrivateLink_Global options:catalog_<name>_ip, else the
 * tenth address of the first CIDR of its prefix list. */
static void
catalog_set_backend(const struct plrec_endpoint_service *row,
                    const struct catalog_service *s,
                    const struct smap *options)
{
    char *key = xasprintf("catalog_%s_ip", s->name);
    const char *ip = options ? smap_get(options, key) : NULL;
    free(key);

    char *first = xstrdup(catalog_cidrs(s, options));
    first[strcspn(first, ", ")] = '\0';
    struct cidr4 cidr;
    char *error = ip ? NULL : cidr4_parse(first, &cidr);
    char *address = NULL;
    if (!ip && !error && cidr.plen <= 28) {
        address = xasprintf(IP_FMT, IP_ARGS(cidr4_host(&cidr, 10)));
        ip = address;
    }
    if (ip) {
        plrec_endpoint_service_update_backend_setkey(row, "ip", ip);
    } else {
        VLOG_WARN("%s: no address for the lab's service (%s)", s->name,
                  error ? error : "prefix too long");
    }
    free(error);
    free(address);
    free(first);
}

/* Sets the columns of AWS service 's' on the new row 'row'. */
static void
catalog_fill(const struct plrec_endpoint_service *row,
             const struct catalog_service *s, const char *svc_name,
             const char *region)
{
    const char *types[2];
    size_t n_types = 0;
    if (s->interface) {
        types[n_types++] = "Interface";
    }
    if (s->gateway) {
        types[n_types++] = "Gateway";
    }

    char *id = plink_id_new("vpce-svc");
    plrec_endpoint_service_set_service_id(row, id);
    plrec_endpoint_service_set_service_name(row, svc_name);
    plrec_endpoint_service_set_owner_id(row, CATALOG_OWNER);
    plrec_endpoint_service_set_service_types(row, types, n_types);
    plrec_endpoint_service_set_service_state(row, "Available");
    plrec_endpoint_service_set_acceptance_required(row, false);
    plrec_endpoint_service_set_manages_vpc_endpoints(row, false);
    const char *ipv4 = "ipv4";
    plrec_endpoint_service_set_supported_ip_address_types(row, &ipv4, 1);
    plrec_endpoint_service_set_vpc_endpoint_policy_supported(row, true);
    plrec_endpoint_service_set_private_dns_by_default(row,
                                                      s->private_dns != NULL);
    char *base = xasprintf("%s.%s.vpce.amazonaws.com", s->name, region);
    const char *bases[] = { base };
    plrec_endpoint_service_set_base_endpoint_dns_names(row, bases, 1);
    if (s->private_dns) {
        char *dns = xasprintf(s->private_dns, region);
        plrec_endpoint_service_set_private_dns_name(row, dns);
        plrec_endpoint_service_set_private_dns_state(row, "verified");
        free(dns);
    }
    free(base);
    free(id);
}

/* Creates, in 'txn', every catalog service and prefix list missing from
 * 'idl', in every Availability Zone of the region. */
void
catalog_seed(struct ovsdb_idl *idl, struct ovsdb_idl_txn *txn,
             const char *region)
{
    const struct plrec_privatelink_global *g
        = plrec_privatelink_global_first(idl);
    struct sset have = SSET_INITIALIZER(&have);
    const struct plrec_endpoint_service *svc;
    PLREC_ENDPOINT_SERVICE_FOR_EACH (svc, idl) {
        sset_add(&have, svc->service_name);
    }

    struct sset zones = SSET_INITIALIZER(&zones);
    const struct plrec_availability_zone *az;
    PLREC_AVAILABILITY_ZONE_FOR_EACH (az, idl) {
        sset_add(&zones, az->zone_name);
    }
    const char **zone_names = sset_array(&zones);

    for (size_t i = 0; i < ARRAY_SIZE(services); i++) {
        const struct catalog_service *s = &services[i];
        char *name = xasprintf("com.amazonaws.%s.%s", region, s->name);
        if (!sset_contains(&have, name)) {
            const struct plrec_endpoint_service *row
                = plrec_endpoint_service_insert(txn);
            catalog_fill(row, s, name, region);
            plrec_endpoint_service_set_availability_zones(
                row, zone_names, sset_count(&zones));
            if (s->prefix_list_id) {
                catalog_set_backend(row, s, g ? &g->options : NULL);
                plrec_endpoint_service_set_prefix_list(
                    row, catalog_prefix_list(idl, txn, s, name,
                                             g ? &g->options : NULL));
            }
            VLOG_INFO("added AWS service %s to the catalog", name);
        }
        free(name);
    }
    free(zone_names);
    sset_destroy(&zones);
    sset_destroy(&have);
}
