/*
 * verify.c: ownership verification of private DNS names (see verify.h).
 */
#include <config.h>
#include "verify.h"

#include <arpa/inet.h>
#include <arpa/nameser.h>
#include <netinet/in.h>
#include <resolv.h>
#include <stdlib.h>
#include <string.h>

#include "lib/plink-idl.h"
#include "latch.h"
#include "openvswitch/dynamic-string.h"
#include "openvswitch/list.h"
#include "openvswitch/poll-loop.h"
#include "openvswitch/vlog.h"
#include "ovs-thread.h"
#include "ovsdb-idl.h"
#include "seq.h"
#include "smap.h"
#include "sset.h"
#include "timeval.h"
#include "util.h"

VLOG_DEFINE_THIS_MODULE(verify);

/* One check of one service's name. */
struct verify_job {
    struct ovs_list node;       /* In a queue of 'struct verify'. */
    struct uuid row;            /* The Endpoint_Service row. */
    char *dns_name;             /* The name to verify. */
    char *vname;                /* The verification record's name. */
    char *vvalue;               /* Its value. */
    char *resolver;             /* "ip[:port]", or NULL for the system's. */
    bool verified;              /* Result. */
};

struct verify {
    struct ovsdb_idl *idl;      /* Services' DNS columns, global options. */
    struct ovsdb_idl_txn *txn;  /* Results being written, or NULL. */
    struct sset busy;           /* Service ids being checked. */

    pthread_t thread;           /* Runs the DNS queries. */
    struct latch exit_latch;    /* Tells the thread to stop. */
    struct ovs_mutex mutex;     /* Protects the two queues. */
    struct ovs_list todo OVS_GUARDED;  /* Jobs for the thread. */
    struct ovs_list done OVS_GUARDED;  /* Results for the main thread. */
    struct seq *todo_seq;       /* Changes when 'todo' grows. */
    struct seq *done_seq;       /* Changes when 'done' grows. */

    unsigned long long int n_checks; /* Checks done. */
};

static void
verify_job_free(struct verify_job *job)
{
    if (job) {
        free(job->dns_name);
        free(job->vname);
        free(job->vvalue);
        free(job->resolver);
        free(job);
    }
}

/* Returns true if 'record_name' (where a TXT record with 'value' was
 * found) proves 'domain': the value is exactly 'vvalue', and the record is
 * at "vname.D" or at "D", where D is 'domain' or one of its parents (a
 * parent domain's record verifies its subdomains). */
bool
verify_record_matches(const char *domain, const char *vname,
                      const char *vvalue, const char *record_name,
                      const char *value)
{
    if (strcmp(value, vvalue)) {
        return false;
    }
    const char *d = !strncmp(domain, "*.", 2) ? domain + 2 : domain;
    for (; d; d = strchr(d, '.') ? strchr(d, '.') + 1 : NULL) {
        if (!strchr(d, '.')) {
            break;              /* Never a top-level domain alone. */
        }
        char *at_name = xasprintf("%s.%s", vname, d);
        bool match = (!strcasecmp(record_name, at_name)
                      || !strcasecmp(record_name, d));
        free(at_name);
        if (match) {
            return true;
        }
    }
    return false;
}

/* Sets up 'res' to ask 'resolver' ("ip[:port]"), or the system's resolver
 * if it is NULL.  Returns false if 'resolver' is not valid. */
static bool
verify_res_init(struct __res_state *res, const char *resolver)
{
    memset(res, 0, sizeof *res);
    if (res_ninit(res)) {
        return false;
    }
    res->retrans = 1;
    res->retry = 2;
    if (!resolver) {
        return true;
    }

    char *copy = xstrdup(resolver);
    char *colon = strchr(copy, ':');
    int port = colon ? atoi(colon + 1) : 53;
    if (colon) {
        *colon = '\0';
    }
    struct sockaddr_in sin = { .sin_family = AF_INET, .sin_port = htons(port) };
    bool ok = inet_pton(AF_INET, copy, &sin.sin_addr) == 1 && port > 0;
    free(copy);
    if (ok) {
        res->nsaddr_list[0] = sin;
        res->nscount = 1;
    }
    return ok;
}

/* Queries the TXT records of 'name' and returns true if one proves the
 * job's domain. */
static bool
verify_query(struct __res_state *res, const struct verify_job *job,
             const char *name)
{
    unsigned char answer[4096];
    int len = res_nquery(res, name, ns_c_in, ns_t_txt, answer, sizeof answer);
    ns_msg msg;
    if (len < 0 || ns_initparse(answer, len, &msg) < 0) {
        return false;
    }
    for (int i = 0; i < ns_msg_count(msg, ns_s_an); i++) {
        ns_rr rr;
        if (ns_parserr(&msg, ns_s_an, i, &rr) || ns_rr_type(rr) != ns_t_txt) {
            continue;
        }
        const unsigned char *p = ns_rr_rdata(rr);
        const unsigned char *end = p + ns_rr_rdlen(rr);
        while (p < end && p + 1 + *p <= end) {
            char *value = xmemdup0((const char *) p + 1, *p);
            bool match = verify_record_matches(job->dns_name, job->vname,
                                               job->vvalue, ns_rr_name(rr),
                                               value);
            free(value);
            if (match) {
                return true;
            }
            p += 1 + *p;
        }
    }
    return false;
}

/* Runs the DNS queries of 'job': "vname.D" and "D" for D the name and
 * each of its parent domains. */
static void
verify_check(struct verify_job *job)
{
    struct __res_state res;
    job->verified = false;
    if (!verify_res_init(&res, job->resolver)) {
        return;
    }
    const char *d = !strncmp(job->dns_name, "*.", 2) ? job->dns_name + 2
                                                      : job->dns_name;
    for (; d && strchr(d, '.') && !job->verified; d = strchr(d, '.') + 1) {
        char *at_name = xasprintf("%s.%s", job->vname, d);
        job->verified = (verify_query(&res, job, at_name)
                         || verify_query(&res, job, d));
        free(at_name);
    }
    res_nclose(&res);
}

/* The DNS thread. */
static void *
verify_thread(void *v_)
{
    struct verify *v = v_;
    while (!latch_is_set(&v->exit_latch)) {
        uint64_t seqno = seq_read(v->todo_seq);
        struct ovs_list todo;
        ovs_mutex_lock(&v->mutex);
        ovs_list_move(&todo, &v->todo);
        ovs_list_init(&v->todo);
        ovs_mutex_unlock(&v->mutex);

        struct verify_job *job;
        LIST_FOR_EACH_POP (job, node, &todo) {
            verify_check(job);
            ovs_mutex_lock(&v->mutex);
            ovs_list_push_back(&v->done, &job->node);
            ovs_mutex_unlock(&v->mutex);
            seq_change(v->done_seq);
        }
        seq_wait(v->todo_seq, seqno);
        latch_wait(&v->exit_latch);
        poll_block();
    }
    return NULL;
}

/* Creates the verifier, with its own connection to 'db_remote'. */
struct verify *
verify_create(const char *db_remote)
{
    static const struct ovsdb_idl_column *cols[] = {
        &plrec_endpoint_service_col_service_id,
        &plrec_endpoint_service_col_private_dns_name,
        &plrec_endpoint_service_col_private_dns_state,
        &plrec_endpoint_service_col_private_dns_verification_name,
        &plrec_endpoint_service_col_private_dns_verification_value,
        &plrec_endpoint_service_col_private_dns_checked_at,
        &plrec_endpoint_service_col_owner_id,
    };
    struct verify *v = xzalloc(sizeof *v);

    v->idl = ovsdb_idl_create(db_remote, &plrec_idl_class, false, true);
    ovsdb_idl_set_leader_only(v->idl, true);
    ovsdb_idl_add_table(v->idl, &plrec_table_endpoint_service);
    for (size_t i = 0; i < ARRAY_SIZE(cols); i++) {
        ovsdb_idl_add_column(v->idl, cols[i]);
    }
    ovsdb_idl_add_table(v->idl, &plrec_table_privatelink_global);
    ovsdb_idl_add_column(v->idl, &plrec_privatelink_global_col_options);
    sset_init(&v->busy);

    latch_init(&v->exit_latch);
    ovs_mutex_init(&v->mutex);
    ovs_list_init(&v->todo);
    ovs_list_init(&v->done);
    v->todo_seq = seq_create();
    v->done_seq = seq_create();
    v->thread = ovs_thread_create("verify", verify_thread, v);
    return v;
}

void
verify_destroy(struct verify *v)
{
    if (!v) {
        return;
    }
    latch_set(&v->exit_latch);
    xpthread_join(v->thread, NULL);

    struct verify_job *job;
    LIST_FOR_EACH_POP (job, node, &v->todo) {
        verify_job_free(job);
    }
    LIST_FOR_EACH_POP (job, node, &v->done) {
        verify_job_free(job);
    }
    latch_destroy(&v->exit_latch);
    seq_destroy(v->todo_seq);
    seq_destroy(v->done_seq);
    ovs_mutex_destroy(&v->mutex);
    if (v->txn) {
        ovsdb_idl_txn_destroy(v->txn);
    }
    sset_destroy(&v->busy);
    ovsdb_idl_destroy(v->idl);
    free(v);
}

/* Writes the result of 'job' into the transaction, unless the name
 * changed while it was checked (then the next check decides). */
static void
verify_apply(struct verify *v, const struct verify_job *job)
{
    const struct plrec_endpoint_service *svc
        = plrec_endpoint_service_get_for_uuid(v->idl, &job->row);
    if (!svc || !svc->private_dns_name || !svc->private_dns_verification_value
        || strcmp(svc->private_dns_name, job->dns_name)
        || strcmp(svc->private_dns_verification_value, job->vvalue)) {
        return;
    }
    const char *state = job->verified ? "verified" : "failed";
    if (!v->txn) {
        v->txn = ovsdb_idl_txn_create(v->idl);
    }
    plrec_endpoint_service_verify_private_dns_name(svc);
    plrec_endpoint_service_verify_private_dns_verification_value(svc);
    if (!svc->private_dns_state || strcmp(svc->private_dns_state, state)) {
        VLOG_INFO("%s: private DNS name %s is %s", svc->service_id,
                  job->dns_name, state);
        plrec_endpoint_service_set_private_dns_state(svc, state);
    }
    plrec_endpoint_service_set_private_dns_checked_at(svc,
                                                      time_wall_msec());
    v->n_checks++;
}

/* Takes the results of the DNS thread. */
static void
verify_collect(struct verify *v)
{
    struct ovs_list done;
    ovs_mutex_lock(&v->mutex);
    ovs_list_move(&done, &v->done);
    ovs_list_init(&v->done);
    ovs_mutex_unlock(&v->mutex);

    struct verify_job *job;
    LIST_FOR_EACH_POP (job, node, &done) {
        verify_apply(v, job);
        char *key = xasprintf(UUID_FMT, UUID_ARGS(&job->row));
        sset_find_and_delete(&v->busy, key);
        free(key);
        verify_job_free(job);
    }
}

/* Hands the DNS thread every provider service whose check is due.
 * Returns the wall-clock time the next one is due, or LLONG_MAX. */
static long long int
verify_dispatch(struct verify *v)
{
    const struct plrec_privatelink_global *g
        = plrec_privatelink_global_first(v->idl);
    const struct smap *opts = g ? &g->options : NULL;
    long long int interval = 1000LL * (opts ? smap_get_int(
        opts, "verification_interval", 300) : 300);
    const char *resolver = opts ? smap_get(opts, "verification_resolver")
                                : NULL;
    long long int now = time_wall_msec(), next = LLONG_MAX;
    bool queued = false;

    const struct plrec_endpoint_service *svc;
    PLREC_ENDPOINT_SERVICE_FOR_EACH (svc, v->idl) {
        if (!svc->private_dns_name || !svc->private_dns_verification_name
            || !svc->private_dns_verification_value) {
            continue;           /* AWS services: verified by definition. */
        }
        long long int due = (svc->private_dns_checked_at
                             ? svc->private_dns_checked_at + interval : 0);
        char *key = xasprintf(UUID_FMT, UUID_ARGS(&svc->header_.uuid));
        if (due > now) {
            next = MIN(next, due);
        } else if (sset_add(&v->busy, key)) {
            struct verify_job *job = xzalloc(sizeof *job);
            job->row = svc->header_.uuid;
            job->dns_name = xstrdup(svc->private_dns_name);
            job->vname = xstrdup(svc->private_dns_verification_name);
            job->vvalue = xstrdup(svc->private_dns_verification_value);
            job->resolver = nullable_xstrdup(resolver);
            ovs_mutex_lock(&v->mutex);
            ovs_list_push_back(&v->todo, &job->node);
            ovs_mutex_unlock(&v->mutex);
            queued = true;
        }
        free(key);
    }
    if (queued) {
        seq_change(v->todo_seq);
    }
    return next;
}

void
verify_run(struct verify *v)
{
    ovsdb_idl_run(v->idl);
    if (v->txn) {
        if (ovsdb_idl_txn_commit(v->txn) == TXN_INCOMPLETE) {
            return;
        }
        ovsdb_idl_txn_destroy(v->txn);
        v->txn = NULL;
    }
    if (!ovsdb_idl_is_connected(v->idl)) {
        return;
    }
    verify_collect(v);
    if (v->txn) {
        ovsdb_idl_txn_commit(v->txn);
        return;
    }
    long long int next = verify_dispatch(v);
    if (next != LLONG_MAX) {
        poll_timer_wait_until(time_msec() + (next - time_wall_msec()));
    }
}

void
verify_wait(struct verify *v)
{
    uint64_t seqno = seq_read(v->done_seq);
    ovsdb_idl_wait(v->idl);
    if (v->txn) {
        ovsdb_idl_txn_wait(v->txn);
    }
    ovs_mutex_lock(&v->mutex);
    bool done = !ovs_list_is_empty(&v->done);
    ovs_mutex_unlock(&v->mutex);
    if (done) {
        poll_immediate_wake();
    } else {
        seq_wait(v->done_seq, seqno);
    }
}

void
verify_get_status(const struct verify *v, struct ds *out)
{
    ds_put_format(out, "private DNS checks: %llu, %"PRIuSIZE" in flight\n",
                  v->n_checks, sset_count(&v->busy));
}
