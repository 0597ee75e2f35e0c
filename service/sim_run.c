/*
 * The simulator's driver (service layer): the published figures from the facts
 * store, the POSIX thread pool over replications, and the student of a plan file
 * (read by format/plan_json.c). Replication work is the pure core's; the report
 * is format/render_sim.c's.
 */
#include "sim_run.h"
#include "world.h"

#include "plan_json.h"
#include "sp_alloc.h"

#if defined(__GLIBC__)
#include <malloc.h>
#endif
#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <stddef.h>
#include <string.h>

#include "banned.h"

static int need(double *out, const sp_facts *f, int k, const char *metric, const char *type,
                struct sp_err *err)
{
    const struct sp_fact_row *r = sp_facts_find(f, k, metric, type);

    if (!r)
        return sp_err_set(err, SP_EINVAL, "specialty_facts: %s %s (%s) is missing",
                          k >= 0 ? sp_specialty_code((enum sp_specialty)k) : "ALL", metric,
                          type ? type : "any");
    *out = r->value;
    return 0;
}

static double optional(const sp_facts *f, int k, const char *metric, const char *type)
{
    const struct sp_fact_row *r = sp_facts_find(f, k, metric, type);

    return r ? r->value : 0;
}

int sp_app_sim_targets(struct sp_calib_targets *out, const sp_facts *f, struct sp_err *err)
{
    static const char *const type_names[SP_APP_TYPE_COUNT] = {"us_md", "us_do", "us_img",
                                                              "non_us_img"};
    /* The figures every specialty must have, in the order they are checked. */
    static const struct {
        size_t off;
        const char *metric, *type;
    } needed[] = {
        {offsetof(struct sp_calib_specialty, positions), "positions", NULL},
        {offsetof(struct sp_calib_specialty, applicants), "applicants_first_choice", NULL},
        {offsetof(struct sp_calib_specialty, n_matched), "n_matched_us_md_senior", "us_md"},
        {offsetof(struct sp_calib_specialty, n_unmatched), "n_unmatched_us_md_senior", "us_md"},
        {offsetof(struct sp_calib_specialty, q1_matched), "step2_matched_q1", "us_md"},
        {offsetof(struct sp_calib_specialty, med_matched), "step2_matched_median", "us_md"},
        {offsetof(struct sp_calib_specialty, q3_matched), "step2_matched_q3", "us_md"},
        {offsetof(struct sp_calib_specialty, med_unmatched), "step2_unmatched_median", "us_md"},
        {offsetof(struct sp_calib_specialty, rate_us_md), "match_rate_us_md_senior", "us_md"},
    };
    int rc = 0;

    memset(out, 0, sizeof(*out));
    for (int k = 0; k < SP_SPEC_COUNT && !rc; k++) {
        struct sp_calib_specialty *s = &out->spec[k];
        for (size_t i = 0; i < sizeof(needed) / sizeof(needed[0]) && !rc; i++)
            rc = need((double *)((char *)s + needed[i].off), f, k, needed[i].metric, needed[i].type,
                      err);
        s->pgy1_positions = optional(f, k, "pgy1_positions_offered", NULL);
        s->pgy2_positions = optional(f, k, "pgy2_positions_offered", NULL);
        s->present = 1;
    }
    for (int t = 0; t < SP_APP_TYPE_COUNT && !rc; t++)
        rc = need(&out->type_rate[t], f, SP_SPEC_ALL, "match_rate", type_names[t], err);
    if (rc)
        return rc;
    out->us_img_step2_shift = SP_US_IMG_STEP2_SHIFT;
    out->img_med_matched = optional(f, SP_SPEC_ALL, "step2_matched_median", "non_us_img");
    out->img_med_unmatched = optional(f, SP_SPEC_ALL, "step2_unmatched_median", "non_us_img");
    out->step2_sd = optional(f, SP_SPEC_ALL, "step2_national_sd", NULL);
    if (!(out->step2_sd > 0))
        out->step2_sd = 15;
    return 0;
}

int sp_app_sim_from_world(sp_sim **out, struct sp_sim_inputs *in,
                          struct sp_calib_targets *targets, const struct sp_world *w,
                          struct sp_err *err)
{
    int rc = sp_app_sim_targets(targets, w->facts, err);

    *out = NULL;
    if (rc)
        return rc;
    if (!in->m)
        in->m = &w->model;
    in->cat = w->cat;
    in->q = w->q;
    in->targets = targets;
    return sp_sim_new(out, in, err);
}

/* ---- the thread pool ---- */

struct pool {
    struct sp_sim_rep *reps;
    const sp_sim *sim;
    uint64_t seed;
    size_t first, n;
    atomic_size_t next; /* next replication to claim */
    atomic_size_t done;
    atomic_int rc;
    struct sp_err err; /* the first error; written by the thread that set rc */
    sp_app_sim_observe_fn observe; /* NULL: counts only */
    void *observe_payload;
};

/* Claim and play replications until none is left or one fails, with one work
 * area kept between them; after each, report progress when given one (the calling
 * thread's share, one replication at a time so the bar moves). */
static void play(struct pool *pl, sp_app_sim_progress_fn progress, void *payload)
{
    sp_sim_work *work = sp_sim_work_new();

    for (;;) {
        size_t i = atomic_fetch_add(&pl->next, 1);
        struct sp_err err = SP_ERR_INIT;
        int rc;
        if (i >= pl->n || atomic_load(&pl->rc) != 0)
            break;
        struct sp_sim_observer obs = {0};
        if (pl->observe)
            pl->observe(&obs, i, pl->observe_payload);
        rc = sp_sim_replicate_observed(&pl->reps[i], pl->sim, work, pl->seed, pl->first + i,
                                       pl->observe ? &obs : NULL, &err);
        if (rc) {
            int zero = 0;
            if (atomic_compare_exchange_strong(&pl->rc, &zero, rc))
                pl->err = err;
            break;
        }
        atomic_fetch_add(&pl->done, 1);
        if (progress)
            progress(atomic_load(&pl->done), pl->n, payload);
    }
    sp_sim_work_free(work);
}

static void *worker(void *arg)
{
    play(arg, NULL, NULL);
    return NULL;
}

void sp_app_sim_keep_memory(void)
{
#if defined(__GLIBC__)
    /* Blocks up to 32 MiB (glibc's largest threshold) from the heap, not mmap;
     * and the heap trimmed only when 256 MiB at its top are free. */
    mallopt(M_MMAP_THRESHOLD, 32 * 1024 * 1024);
    mallopt(M_TRIM_THRESHOLD, 256 * 1024 * 1024);
#endif
}

int sp_app_sim_run(struct sp_sim_rep *reps, const sp_sim *sim, uint64_t seed, size_t first,
                   size_t n, int threads, sp_app_sim_progress_fn progress, void *payload,
                   struct sp_err *err)
{
    return sp_app_sim_run_observed(reps, sim, seed, first, n, threads, NULL, NULL, progress,
                                   payload, err);
}

int sp_app_sim_run_observed(struct sp_sim_rep *reps, const sp_sim *sim, uint64_t seed,
                            size_t first, size_t n, int threads, sp_app_sim_observe_fn observe,
                            void *observe_payload, sp_app_sim_progress_fn progress,
                            void *payload, struct sp_err *err)
{
    struct pool pl = {.reps = reps,
                      .sim = sim,
                      .seed = seed,
                      .first = first,
                      .n = n,
                      .observe = observe,
                      .observe_payload = observe_payload};
    pthread_t *tids;

    atomic_init(&pl.next, 0);
    atomic_init(&pl.done, 0);
    atomic_init(&pl.rc, 0);
    if (threads < 1)
        threads = 1;
    if ((size_t)threads > n)
        threads = n ? (int)n : 1;
    tids = sp_xcalloc((size_t)threads, sizeof(*tids));
    /* threads - 1 helpers; the calling thread reports progress, then joins. */
    for (int t = 1; t < threads; t++) {
        if (pthread_create(&tids[t], NULL, worker, &pl) != 0)
            tids[t] = 0; /* one helper fewer: the others take its share */
    }
    play(&pl, progress, payload);
    for (int t = 1; t < threads; t++) {
        if (tids[t])
            pthread_join(tids[t], NULL);
    }
    free(tids);
    if (progress)
        progress(atomic_load(&pl.done), n, payload);
    if (atomic_load(&pl.rc)) {
        if (err)
            *err = pl.err;
        return atomic_load(&pl.rc);
    }
    return 0;
}

/* ---- the student of a plan ---- */

int sp_app_sim_student(struct sp_sim_student *out, struct sp_sim_student_app **apps,
                       double *p_match_any, const struct sp_model *m, const sp_catalog *cat,
                       const struct sp_profile *p, const char *plan_json, size_t len,
                       struct sp_err *err)
{
    struct sp_plan_doc doc;
    size_t n_all;
    const struct sp_program *base = sp_catalog_programs(cat, &n_all);
    int rc;

    *apps = NULL;
    memset(out, 0, sizeof(*out));
    rc = sp_plan_from_json(&doc, plan_json, len, cat, err);
    if (rc)
        return rc;
    for (size_t i = 0; i < doc.n_apps; i++)
        sp_model_program_effects(&doc.apps[i].fx, p, &base[doc.apps[i].program]);
    *p_match_any = doc.p_match_any;
    out->type = p->applicant_type;
    for (int k = 0; k < SP_SPEC_COUNT; k++) {
        struct sp_strength s;
        sp_model_strength(&s, m, p, (enum sp_specialty)k);
        out->strength[k] = s.value;
    }
    out->apps = doc.apps;
    out->n_apps = doc.n_apps;
    *apps = doc.apps;
    return 0;
}
