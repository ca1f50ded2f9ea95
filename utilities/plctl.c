/*
 * plctl: the OVS PrivateLink admin CLI.
 *
 * plctl speaks plinkd's protobuf (Twirp) API.  Its commands are the API's
 * operations with the AWS CLI's names and flags ("plctl
 * describe-availability-zones --zone-names us-east-1a"), its credentials
 * come from where the AWS CLI takes them, and it prints JSON as the AWS
 * CLI does (or a table).  Like ovn-nbctl it adds conveniences: "show"
 * prints the deployment as a tree and "--wait=hv" returns only once every
 * chassis has realized the change.
 */
#include <config.h>

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "openvswitch/dynamic-string.h"
#include "pb-reflect.h"
#include "plctl-args.h"
#include "plctl-client.h"
#include "plctl-output.h"
#include "privatelink.pb-c.h"
#include "timeval.h"
#include "util.h"

/* Global options. */
struct plctl_options {
    const char *endpoint_url;   /* --endpoint-url, or NULL. */
    const char *profile;        /* --profile, or NULL. */
    const char *region;         /* --region, or NULL. */
    const char *output;         /* --output: json, table, text or NULL. */
    bool wait_hv;               /* --wait=hv. */
    bool print_wait_time;       /* --print-wait-time. */
    bool if_exists;             /* --if-exists: "not found" is no error. */
    bool may_exist;             /* --may-exist: "already exists" is none. */
    int timeout;                /* --timeout, in seconds. */
};

static const ProtobufCServiceDescriptor *service
    = &privatelink__v1__private_link__descriptor;

/* Appends the kebab-case form of 'name' ("DescribeVpcs") to 'out'. */
static void
plctl_kebab(const char *name, struct ds *out)
{
    for (const char *p = name; *p; p++) {
        if (isupper((unsigned char) *p) && p != name) {
            ds_put_char(out, '-');
        }
        ds_put_char(out, tolower((unsigned char) *p));
    }
}

/* Returns the name of method 'name' without the "Elb" prefix of the
 * Elastic Load Balancing v2 operations, or NULL if it is not one. */
static const char *
plctl_elb_name(const char *name)
{
    return (!strncmp(name, "Elb", 3) && isupper((unsigned char) name[3])
            ? name + 3 : NULL);
}

/* Returns true if the service has a method called 'name'. */
static bool
plctl_has_method(const char *name)
{
    for (unsigned int i = 0; i < service->n_methods; i++) {
        if (!strcmp(service->methods[i].name, name)) {
            return true;
        }
    }
    return false;
}

/* Appends the command name of method 'name' to 'out': its kebab-case
 * form, except that an ELBv2 operation ("ElbCreateLoadBalancer") drops
 * its prefix, as in "aws elbv2 create-load-balancer", unless that would
 * make it an EC2 command's name: ElbDescribeTags stays
 * "elb-describe-tags" ("plctl elbv2 describe-tags" names it too). */
static void
plctl_command_name(const char *name, struct ds *out)
{
    const char *elb = plctl_elb_name(name);
    plctl_kebab(elb && !plctl_has_method(elb) ? elb : name, out);
}

/* Returns the method that 'command' names: with 'elbv2' ("plctl elbv2
 * COMMAND"), the ELBv2 operation whose name without "Elb" is 'command';
 * otherwise the method whose command name is 'command' (the full
 * kebab-case name of an ELBv2 operation, "elb-create-listener", is
 * accepted too). */
static const ProtobufCMethodDescriptor *
plctl_find_method(const char *command, bool elbv2)
{
    struct ds name = DS_EMPTY_INITIALIZER;
    const ProtobufCMethodDescriptor *found = NULL;
    for (unsigned int i = 0; i < service->n_methods && !found; i++) {
        const char *method = service->methods[i].name;
        const char *elb = plctl_elb_name(method);
        ds_clear(&name);
        if (elbv2) {
            plctl_kebab(elb ? elb : "", &name);
        } else {
            plctl_command_name(method, &name);
        }
        if (!strcmp(ds_cstr(&name), command)) {
            found = &service->methods[i];
        } else if (!elbv2 && elb) {
            ds_clear(&name);
            plctl_kebab(method, &name);
            found = !strcmp(ds_cstr(&name), command) ? &service->methods[i]
                                                     : NULL;
        }
    }
    ds_destroy(&name);
    return found;
}

OVS_NO_RETURN static void
usage(void)
{
    struct ds name = DS_EMPTY_INITIALIZER;
    printf("%s: OVS PrivateLink admin CLI\n"
"usage: %s [GLOBAL-OPTIONS] COMMAND [OPTIONS]\n"
"\n"
"Calls plinkd's API as the AWS CLI would call EC2: the commands and their\n"
"options have the AWS CLI's names; '%s COMMAND --help' lists a command's\n"
"options.\n"
"\n"
"Commands:\n", program_name, program_name, program_name);
    for (unsigned int i = 0; i < service->n_methods; i++) {
        if (plctl_elb_name(service->methods[i].name)) {
            continue;
        }
        ds_clear(&name);
        plctl_command_name(service->methods[i].name, &name);
        printf("  %s%s\n", ds_cstr(&name),
               !strcmp(service->methods[i].name, "Show")
               ? "    chassis and the configuration each has realized" : "");
    }
    printf("\nElastic Load Balancing v2 commands, as '%s elbv2 COMMAND' "
           "(like 'aws elbv2'),\nor as '%s COMMAND' where no command above "
           "has the name:\n", program_name, program_name);
    for (unsigned int i = 0; i < service->n_methods; i++) {
        const char *elb = plctl_elb_name(service->methods[i].name);
        if (elb) {
            ds_clear(&name);
            plctl_kebab(elb, &name);
            if (plctl_has_method(elb)) {
                printf("  %s    (only as '%s elbv2 %s')\n", ds_cstr(&name),
                       program_name, ds_cstr(&name));
            } else {
                printf("  %s\n", ds_cstr(&name));
            }
        }
    }
    ds_destroy(&name);
    printf(
"\nGlobal options:\n"
"  --endpoint-url URL   plinkd's URL (default: $PLINK_ENDPOINT_URL,\n"
"                       $AWS_ENDPOINT_URL, or http://127.0.0.1:8780)\n"
"  --profile NAME       credentials profile (default: AWS_ACCESS_KEY_ID and\n"
"                       AWS_SECRET_ACCESS_KEY, else $AWS_PROFILE or default)\n"
"                       from $AWS_SHARED_CREDENTIALS_FILE or ~/.aws/credentials\n"
"  --region NAME        region to sign for (default: $AWS_REGION,\n"
"                       $AWS_DEFAULT_REGION, the profile's, us-east-1)\n"
"  --output FORMAT      json, table, or text (default: json, except\n"
"                       for show, whose default is a tree as text)\n"
"  --wait=hv            after the command, wait until every chassis has\n"
"                       realized the change\n"
"  --print-wait-time    with --wait=hv, print on stderr how long the call\n"
"                       took and how long after sending it every chassis\n"
"                       had realized it (as ovn-nbctl --print-wait-time)\n"
"  --timeout SECS       give up after SECS seconds (default: 30)\n"
"  --if-exists          an error saying the object does not exist\n"
"                       (\"...NotFound\") is not an error: for deletes\n"
"  --may-exist          an error saying the object exists already\n"
"                       (\"...Duplicate\", \"...AlreadyExists\") is not an\n"
"                       error: for creates with names\n"
"  -h, --help           display this help message\n"
"  -V, --version        display version information\n"
"\nExit status: 0 on success, 254 when plinkd answers with an error,\n"
"255 when it cannot be reached, 2 on a usage error.\n");
    exit(EXIT_SUCCESS);
}

/* Fails with a usage error: one line on stderr, exit status 2. */
OVS_NO_RETURN OVS_PRINTF_FORMAT(1, 2) static void
plctl_usage_error(const char *format, ...)
{
    va_list args;
    va_start(args, format);
    fprintf(stderr, "%s: ", program_name);
    vfprintf(stderr, format, args);
    fputc('\n', stderr);
    va_end(args);
    exit(2);
}

/* Takes the global options out of 'argv', wherever they are, leaving the
 * command and its options.  Returns the new argc. */
static int
plctl_parse_global(int argc, char *argv[], struct plctl_options *o)
{
    int n = 0;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char *next = i + 1 < argc ? argv[i + 1] : NULL;
        if (!strcmp(a, "--endpoint-url") || !strcmp(a, "--profile")
            || !strcmp(a, "--region") || !strcmp(a, "--output")
            || !strcmp(a, "--timeout")) {
            if (!next) {
                plctl_usage_error("option %s needs a value", a);
            }
            const char **slot = (a[2] == 'e' ? &o->endpoint_url
                                 : a[2] == 'p' ? &o->profile
                                 : a[2] == 'r' ? &o->region
                                 : a[2] == 'o' ? &o->output : NULL);
            if (slot) {
                *slot = next;
            } else if ((o->timeout = atoi(next)) <= 0) {
                plctl_usage_error("--timeout needs a positive number");
            }
            i++;
        } else if (!strcmp(a, "--if-exists")) {
            o->if_exists = true;
        } else if (!strcmp(a, "--may-exist")) {
            o->may_exist = true;
        } else if (!strcmp(a, "--wait=hv") || !strcmp(a, "--wait=none")) {
            o->wait_hv = !strcmp(a, "--wait=hv");
        } else if (!strcmp(a, "--print-wait-time")) {
            o->print_wait_time = true;
        } else if (!strcmp(a, "--version") || !strcmp(a, "-V")) {
            ovs_print_version(0, 0);
            exit(EXIT_SUCCESS);
        } else if ((!strcmp(a, "--help") || !strcmp(a, "-h")) && !n) {
            usage();
        } else {
            argv[n++] = argv[i];
        }
    }
    if (o->output && strcmp(o->output, "json") && strcmp(o->output, "table")
        && strcmp(o->output, "text")) {
        plctl_usage_error("--output must be json, table or text");
    }
    return n;
}

/* Prints one endpoint line of the "show" tree. */
static void
plctl_print_show_endpoint(const Privatelink__V1__ShowEndpoint *e,
                          int indent, bool owner, struct ds *out)
{
    ds_put_char_multiple(out, ' ', indent);
    ds_put_format(out, "endpoint %s (%s) %s: %s", e->vpc_endpoint_id,
                  e->vpc_endpoint_type, owner ? e->owner_id : e->service_name,
                  e->state);
    ds_put_char(out, '\n');
}

/* Prints the caller's VPCs and services in the "show" tree. */
static void
plctl_print_show_vpcs(const Privatelink__V1__ShowResponse *s, struct ds *out)
{
    for (size_t i = 0; i < s->n_vpcs; i++) {
        const Privatelink__V1__ShowVpc *v = s->vpcs[i];
        ds_put_format(out, "vpc %s (%s)\n", v->vpc_id, v->cidr_block);
        for (size_t j = 0; j < v->n_subnets; j++) {
            const Privatelink__V1__ShowSubnet *sn = v->subnets[j];
            ds_put_format(out, "    subnet %s (%s, %s)\n", sn->subnet_id,
                          sn->cidr_block, sn->availability_zone);
            for (size_t k = 0; k < sn->n_network_interfaces; k++) {
                const Privatelink__V1__ShowNetworkInterface *e
                    = sn->network_interfaces[k];
                ds_put_format(out, "        eni %s %s %s%s%s\n",
                              e->network_interface_id, e->private_ip_address,
                              e->interface_type, e->chassis ? " on " : "",
                              e->chassis ? e->chassis : "");
            }
        }
        for (size_t j = 0; j < v->n_endpoints; j++) {
            plctl_print_show_endpoint(v->endpoints[j], 4, false, out);
        }
    }
    for (size_t i = 0; i < s->n_services; i++) {
        const Privatelink__V1__ShowService *sv = s->services[i];
        ds_put_format(out, "service %s (%s)%s\n", sv->service_id,
                      sv->service_state, sv->acceptance_required
                      ? " acceptance required" : "");
        for (size_t j = 0; j < sv->n_connections; j++) {
            plctl_print_show_endpoint(sv->connections[j], 4, true, out);
        }
    }
}

/* Prints the "show" tree: the region's configuration, each chassis, and
 * the caller's VPCs (subnets, network interfaces, endpoints) and services
 * (connections). */
static void
plctl_print_show(const Privatelink__V1__ShowResponse *s, struct ds *out)
{
    ds_put_format(out, "region %s: cfg %"PRId64", realized by every "
                  "chassis: %"PRId64"\n", s->region, s->cfg, s->hv_cfg);
    for (size_t i = 0; i < s->n_chassis; i++) {
        const Privatelink__V1__ChassisStatus *c = s->chassis[i];
        ds_put_format(out, "chassis \"%s\"\n", c->name);
        ds_put_format(out, "    hostname: %s\n", c->hostname);
        ds_put_format(out, "    encap %s ip: \"%s\"\n", c->encap_type,
                      c->encap_ip);
        ds_put_format(out, "    nb_cfg: %"PRId64, c->nb_cfg);
        if (c->nb_cfg_timestamp) {
            ds_put_format(out, " (%s)", c->nb_cfg_timestamp);
        }
        ds_put_char(out, '\n');
    }
    plctl_print_show_vpcs(s, out);
}

/* Returns true if AWS error 'code' is no error under --if-exists or
 * --may-exist. */
static bool
plctl_error_ignored(const struct plctl_options *o, const char *code)
{
    size_t n = strlen(code);
    bool not_found = ((n >= 8 && !strcmp(code + n - 8, "NotFound"))
                      || !strcmp(code, "InvalidConnectionNotification"));
    bool exists = (strstr(code, "Duplicate") || strstr(code, "AlreadyExists")
                   || strstr(code, "AlreadyAssociated"));
    return (o->if_exists && not_found) || (o->may_exist && exists);
}

/* Calls 'method' and prints the response or the error.  Returns the exit
 * status. */
static int
plctl_run(const struct plctl_client *client, const struct plctl_options *o,
          const ProtobufCMethodDescriptor *method, ProtobufCMessage *request)
{
    ProtobufCMessage *response;
    struct plctl_error e;
    char *error = plctl_client_call(client, method->name, request,
                                    method->output, &response, &e);
    if (error) {
        fprintf(stderr, "%s: %s\n", program_name, error);
        free(error);
        return 255;
    } else if (!response) {
        bool ignore = plctl_error_ignored(o, e.code);
        if (!ignore) {
            fprintf(stderr, "An error occurred (%s) when calling the %s "
                    "operation: %s\n", e.code, method->name, e.message);
        }
        plctl_error_destroy(&e);
        return ignore ? 0 : 254;
    }

    struct ds out = DS_EMPTY_INITIALIZER;
    const char *output = (o->output ? o->output
                          : !strcmp(method->name, "Show") ? "text" : "json");
    if (!strcmp(method->name, "Show") && !strcmp(output, "text")) {
        plctl_print_show((const void *) response, &out);
    } else if (!strcmp(output, "table")) {
        plctl_output_table(response, method->name, &out);
    } else {
        plctl_output_json(response, &out);
    }
    fputs(ds_cstr(&out), stdout);
    ds_destroy(&out);
    protobuf_c_message_free_unpacked(response, NULL);
    return 0;
}

/* Calls Show for the cfg and hv_cfg only; returns false if it fails. */
static bool
plctl_get_cfg(const struct plctl_client *client, int64_t *cfg,
              int64_t *hv_cfg)
{
    Privatelink__V1__ShowRequest rq = PRIVATELINK__V1__SHOW_REQUEST__INIT;
    ProtobufCMessage *response;
    struct plctl_error e;

    rq.has_cfg_only = rq.cfg_only = true;
    char *error = plctl_client_call(client, "Show", &rq.base,
                                    &privatelink__v1__show_response__descriptor,
                                    &response, &e);
    if (error || !response) {
        free(error);
        plctl_error_destroy(&e);
        return false;
    }
    const Privatelink__V1__ShowResponse *s = (const void *) response;
    *cfg = s->cfg;
    *hv_cfg = s->hv_cfg;
    protobuf_c_message_free_unpacked(response, NULL);
    return true;
}

/* --wait=hv: waits until every chassis has realized the cfg that is
 * current now, which includes the command's change. */
static int
plctl_wait_hv(const struct plctl_client *client, int timeout)
{
    long long int deadline = time_msec() + timeout * 1000LL;
    int64_t target, cfg, hv_cfg;

    if (!plctl_get_cfg(client, &target, &hv_cfg)) {
        fprintf(stderr, "%s: --wait=hv: cannot read the cfg\n",
                program_name);
        return 255;
    }
    while (hv_cfg < target) {
        if (time_msec() > deadline) {
            fprintf(stderr, "%s: --wait=hv: timed out after %d s waiting "
                    "for the chassis to realize cfg %"PRId64"\n",
                    program_name, timeout, target);
            return 255;
        }
        /* A cfg-only Show costs the server a few microseconds: poll
         * often, so that the wait adds little to what it measures. */
        xnanosleep(2 * 1000 * 1000);
        if (!plctl_get_cfg(client, &cfg, &hv_cfg)) {
            return 255;
        }
    }
    return 0;
}

int
main(int argc, char *argv[])
{
    struct plctl_options o = { .timeout = 30 };

    set_program_name(argv[0]);
    argc = plctl_parse_global(argc, argv, &o);
    if (!argc) {
        plctl_usage_error("missing command (use --help for help)");
    }
    bool elbv2 = !strcmp(argv[0], "elbv2") && argc > 1;
    if (elbv2) {
        argc--, argv++;         /* "plctl elbv2 COMMAND", like "aws elbv2". */
    }
    const ProtobufCMethodDescriptor *method = plctl_find_method(argv[0],
                                                                elbv2);
    if (!method) {
        plctl_usage_error("unknown command '%s' (use --help for help)",
                          argv[0]);
    }
    if (argc > 1 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))) {
        printf("usage: %s %s [OPTIONS]\n\nOptions:\n", program_name, argv[0]);
        plctl_args_usage(method->input);
        return 0;
    }

    ProtobufCMessage *request;
    char *error = plctl_args_parse(method->input, argc - 1, argv + 1,
                                   &request);
    if (error) {
        plctl_usage_error("%s: %s", argv[0], error);
    }

    struct plctl_client client;
    error = plctl_client_init(&client, o.endpoint_url, o.profile, o.region);
    if (error) {
        fprintf(stderr, "%s: %s\n", program_name, error);
        return 255;
    }
    client.timeout = o.timeout;
    long long int sent = time_usec();
    int status = plctl_run(&client, &o, method, request);
    long long int answered = time_usec();
    if (!status && o.wait_hv) {
        status = plctl_wait_hv(&client, o.timeout);
        if (!status && o.print_wait_time) {
            fprintf(stderr, "Time spent on the call: %.1f ms; realized on "
                    "every chassis %.1f ms after it was sent\n",
                    (answered - sent) / 1000.0,
                    (time_usec() - sent) / 1000.0);
        }
    }
    protobuf_c_message_free_unpacked(request, NULL);
    plctl_client_destroy(&client);
    return status;
}
