/*
 * The simulator's edges (app layer): the published figures from the facts
 * store, the POSIX thread pool over replications, the student of a plan file,
 * and the text/JSON report. Replication work is the pure core's.
 */
#include "sim_run.h"

#include "smartpick/plan/plan.h"
#include "sp_alloc.h"

#include <jansson.h>
#if defined(__GLIBC__)
#include <malloc.h>
#endif
#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
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
    int rc = 0;

    memset(out, 0, sizeof(*out));
    for (int k = 0; k < SP_SPEC_COUNT && !rc; k++) {
        struct sp_calib_specialty *s = &out->spec[k];
        rc = need(&s->positions, f, k, "positions", NULL, err);
        if (!rc)
            rc = need(&s->applicants, f, k, "applicants_first_choice", NULL, err);
        if (!rc)
            rc = need(&s->n_matched, f, k, "n_matched_us_md_senior", "us_md", err);
        if (!rc)
            rc = need(&s->n_unmatched, f, k, "n_unmatched_us_md_senior", "us_md", err);
        if (!rc)
            rc = need(&s->q1_matched, f, k, "step2_matched_q1", "us_md", err);
        if (!rc)
            rc = need(&s->med_matched, f, k, "step2_matched_median", "us_md", err);
        if (!rc)
            rc = need(&s->q3_matched, f, k, "step2_matched_q3", "us_md", err);
        if (!rc)
            rc = need(&s->med_unmatched, f, k, "step2_unmatched_median", "us_md", err);
        if (!rc)
            rc = need(&s->rate_us_md, f, k, "match_rate_us_md_senior", "us_md", err);
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
};

/* Claim and play replications until none is left or one fails, with one work
 * area kept between them; after each, report progress when given one (the calling
 * thread's share, one replication at a time so the bar moves). */
static void play(struct pool *pl, sp_sim_progress_fn progress, void *payload)
{
    sp_sim_work *work = sp_sim_work_new();

    for (;;) {
        size_t i = atomic_fetch_add(&pl->next, 1);
        struct sp_err err = SP_ERR_INIT;
        int rc;
        if (i >= pl->n || atomic_load(&pl->rc) != 0)
            break;
        rc = sp_sim_replicate(&pl->reps[i], pl->sim, work, pl->seed, pl->first + i, &err);
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
                   size_t n, int threads, sp_sim_progress_fn progress, void *payload,
                   struct sp_err *err)
{
    struct pool pl;
    pthread_t *tids;

    memset(&pl, 0, sizeof(pl));
    pl.reps = reps;
    pl.sim = sim;
    pl.seed = seed;
    pl.first = first;
    pl.n = n;
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
    json_error_t jerr;
    json_t *root = json_loadb(plan_json, len, JSON_REJECT_DUPLICATES, &jerr);
    json_t *progs, *pm, *item;
    size_t n_all, idx;
    const struct sp_program *base = sp_catalog_programs(cat, &n_all);
    struct sp_sim_student_app *a = NULL;
    size_t n = 0;
    int rc = 0;

    *apps = NULL;
    memset(out, 0, sizeof(*out));
    if (!root)
        return sp_err_set(err, SP_EINVAL, "%d:%d: %s", jerr.line, jerr.column, jerr.text);
    progs = json_object_get(root, "programs");
    pm = json_object_get(root, "p_match_any");
    if (!json_is_array(progs)) {
        rc = sp_err_set(err, SP_EINVAL,
                        "programs: must be an array (a `smartpick plan "
                        "--format json` document)");
        goto out;
    }
    if (!json_is_number(pm)) {
        rc = sp_err_set(err, SP_EINVAL, "p_match_any: must be a number");
        goto out;
    }
    *p_match_any = json_number_value(pm);
    a = sp_xcalloc(json_array_size(progs) + 1, sizeof(*a));
    json_array_foreach(progs, idx, item)
    {
        json_t *id = json_object_get(item, "acgme_id");
        json_t *sig = json_object_get(item, "signal");
        json_t *util = json_object_get(item, "utility");
        const struct sp_program *prog;
        const char *s;
        if (!json_is_string(id)) {
            rc = sp_err_set(err, SP_EINVAL, "programs[%zu].acgme_id: must be a string", idx);
            goto out;
        }
        prog = sp_catalog_find(cat, json_string_value(id));
        if (!prog) {
            rc = sp_err_set(err, SP_EINVAL, "programs[%zu].acgme_id: '%s' is not in the catalog",
                            idx, json_string_value(id));
            goto out;
        }
        s = json_is_string(sig) ? json_string_value(sig) : "none";
        a[n].program = (size_t)(prog - base);
        /* A plan names only signals it sent; anything else is none (lenient: the
         * plan is SmartPick's own document). */
        if (sp_signal_parse(&a[n].signal, s))
            a[n].signal = SP_SIGNAL_NONE;
        /* The plan ranks by utility; without one, in the plan's order. */
        a[n].utility = json_is_number(util) ? json_number_value(util) : 1.0 - (double)idx * 1e-6;
        sp_model_program_effects(&a[n].fx, p, prog);
        n++;
    }
    out->type = p->applicant_type;
    for (int k = 0; k < SP_SPEC_COUNT; k++) {
        struct sp_strength s;
        sp_model_strength(&s, m, p, (enum sp_specialty)k);
        out->strength[k] = s.value;
    }
    out->apps = a;
    out->n_apps = n;
    *apps = a;
    a = NULL;
out:
    free(a);
    json_decref(root);
    return rc;
}

/* ---- the report ---- */

static void num(struct sp_buf *b, double v)
{
    if (isfinite(v))
        sp_buf_addf(b, "%.4f", v);
    else
        sp_buf_adds(b, "null");
}

static const char *const type_keys[SP_APP_TYPE_COUNT] = {"us_md", "us_do", "us_img", "non_us_img"};

static void reliability_json(struct sp_buf *b, const struct sp_sim_reliability *t)
{
    sp_buf_adds(b, "{\"brier\": ");
    num(b, t->brier);
    sp_buf_addf(b, ", \"applicants\": %.0f, \"bins\": [", t->total);
    for (int i = 0; i < SP_SIM_BINS; i++) {
        sp_buf_addf(b, "%s{\"from\": %.1f, \"to\": %.1f, \"n\": %.0f, \"predicted\": ",
                    i ? ", " : "", i / 10.0, (i + 1) / 10.0, t->n[i]);
        num(b, t->n[i] > 0 ? t->pred[i] : NAN);
        sp_buf_adds(b, ", \"observed\": ");
        num(b, t->n[i] > 0 ? t->obs[i] : NAN);
        sp_buf_adds(b, "}");
    }
    sp_buf_adds(b, "]}");
}

static void reliability_text(struct sp_buf *b, const char *title,
                             const struct sp_sim_reliability *t)
{
    sp_buf_addf(b, "\n%s: %.0f applicants, Brier %.4f\n", title, t->total, t->brier);
    sp_buf_addf(b, "%-9s %9s %9s %9s\n", "predicted", "n", "mean", "observed");
    for (int i = 0; i < SP_SIM_BINS; i++) {
        if (!(t->n[i] > 0))
            continue;
        sp_buf_addf(b, "%.1f-%.1f   %9.0f %8.1f%% %8.1f%%\n", i / 10.0, (i + 1) / 10.0, t->n[i],
                    100 * t->pred[i], 100 * t->obs[i]);
    }
}

static void report_json(struct sp_buf *b, const struct sp_sim_summary *s,
                        const struct sp_sim_report_options *o)
{
    sp_buf_adds(b, "{\n  \"schema\": \"smartpick.simulation/1\",\n");
    sp_buf_addf(b, "  \"replications\": %zu,\n  \"seed\": %llu,\n", s->replications,
                (unsigned long long)o->seed);
    sp_buf_adds(b, "  \"specialties\": [\n");
    for (int k = 0; k < SP_SPEC_COUNT; k++) {
        const struct sp_sim_spec_summary *sp = &s->spec[k];
        sp_buf_addf(b,
                    "    {\"code\": \"%s\", \"match_rate_us_md\": ", sp_specialty_code(sp->code));
        num(b, sp->us_md.mean);
        sp_buf_adds(b, ", \"match_rate_us_md_low\": ");
        num(b, sp->us_md.low);
        sp_buf_adds(b, ", \"match_rate_us_md_high\": ");
        num(b, sp->us_md.high);
        sp_buf_adds(b, ", \"nrmp_match_rate_us_md\": ");
        num(b, sp->nrmp_us_md);
        sp_buf_adds(b, ", \"match_rate_by_type\": {");
        for (int t = 0; t < SP_APP_TYPE_COUNT; t++) {
            sp_buf_addf(b, "%s\"%s\": ", t ? ", " : "", type_keys[t]);
            num(b, sp->by_type[t]);
        }
        sp_buf_adds(b, "}, \"unfilled_positions\": ");
        num(b, sp->unfilled_positions);
        sp_buf_adds(b, ", \"positions\": ");
        num(b, sp->positions);
        sp_buf_adds(b, ", \"first_choice_applicants\": ");
        num(b, sp->applicants);
        sp_buf_adds(b, ", \"mean_rank_matched\": ");
        num(b, sp->mean_rank_matched);
        sp_buf_addf(b, "}%s\n", k + 1 < SP_SPEC_COUNT ? "," : "");
    }
    sp_buf_adds(b, "  ],\n  \"by_type\": {\n");
    for (int t = 0; t < SP_APP_TYPE_COUNT; t++) {
        sp_buf_addf(b, "    \"%s\": {\"match_rate\": ", type_keys[t]);
        num(b, s->by_type[t].mean);
        sp_buf_adds(b, ", \"match_rate_low\": ");
        num(b, s->by_type[t].low);
        sp_buf_adds(b, ", \"match_rate_high\": ");
        num(b, s->by_type[t].high);
        sp_buf_adds(b, ", \"nrmp_match_rate\": ");
        num(b, s->nrmp_by_type[t]);
        sp_buf_addf(b, "}%s\n", t + 1 < SP_APP_TYPE_COUNT ? "," : "");
    }
    sp_buf_adds(b, "  },\n  \"applications_per_applicant\": ");
    num(b, s->applications_per_applicant);
    sp_buf_adds(b, ",\n  \"interviews_per_position\": ");
    num(b, s->interviews_per_position);
    sp_buf_addf(b, ",\n  \"replications_without_stable_matching\": %zu", s->no_stable);
    if (s->has_student) {
        sp_buf_adds(b, ",\n  \"student\": {\"p_match_simulated\": ");
        num(b, s->student.mean);
        sp_buf_adds(b, ", \"p_match_simulated_low\": ");
        num(b, s->student.low);
        sp_buf_adds(b, ", \"p_match_simulated_high\": ");
        num(b, s->student.high);
        sp_buf_adds(b, ", \"p_match_any_plan\": ");
        num(b, o->has_plan ? o->plan_p_match_any : NAN);
        sp_buf_adds(b, "}");
    }
    if (o->reliability) {
        sp_buf_adds(b, ",\n  \"reliability\": ");
        reliability_json(b, &s->rel_typical);
        sp_buf_adds(b, ",\n  \"reliability_own_list\": ");
        reliability_json(b, &s->rel_own);
    }
    sp_buf_adds(b, "\n}\n");
}

static void report_text(struct sp_buf *b, const struct sp_sim_summary *s,
                        const struct sp_sim_report_options *o)
{
    sp_buf_addf(b, "Simulated Main Match: %zu replication%s, seed %llu\n\n", s->replications,
                s->replications == 1 ? "" : "s", (unsigned long long)o->seed);
    sp_buf_adds(b, "US MD seniors matched in their preferred specialty (95% Monte Carlo "
                   "interval)\n");
    sp_buf_addf(b, "%-6s %20s %7s  %6s %6s %6s %6s  %9s %9s\n", "", "simulated", "NRMP", "us_md",
                "us_do", "us_img", "nonus", "unfilled", "mean rank");
    for (int k = 0; k < SP_SPEC_COUNT; k++) {
        const struct sp_sim_spec_summary *sp = &s->spec[k];
        sp_buf_addf(b, "%-6s %5.1f%% (%4.1f-%5.1f) %6.1f%% ", sp_specialty_code(sp->code),
                    100 * sp->us_md.mean, 100 * sp->us_md.low, 100 * sp->us_md.high,
                    100 * sp->nrmp_us_md);
        for (int t = 0; t < SP_APP_TYPE_COUNT; t++)
            sp_buf_addf(b, " %5.1f%%", 100 * sp->by_type[t]);
        sp_buf_addf(b, "  %9.1f %9.2f\n", sp->unfilled_positions, sp->mean_rank_matched);
    }
    sp_buf_adds(b, "\nMatched anywhere, by applicant type\n");
    for (int t = 0; t < SP_APP_TYPE_COUNT; t++)
        sp_buf_addf(b, "%-11s %5.1f%% (%4.1f-%5.1f)  NRMP %5.1f%%\n", type_keys[t],
                    100 * s->by_type[t].mean, 100 * s->by_type[t].low, 100 * s->by_type[t].high,
                    100 * s->nrmp_by_type[t]);
    sp_buf_addf(b, "\n%.1f applications per applicant, %.1f interviews per position",
                s->applications_per_applicant, s->interviews_per_position);
    if (s->no_stable)
        sp_buf_addf(b, "; %zu replication(s) without a stable matching (couples)", s->no_stable);
    sp_buf_adds(b, "\n");
    if (s->has_student) {
        sp_buf_addf(b, "\nYour plan in the simulated market: P(match) %.1f%% (95%%: %.1f-%.1f)",
                    100 * s->student.mean, 100 * s->student.low, 100 * s->student.high);
        if (o->has_plan)
            sp_buf_addf(b, "; the planner's estimate %.1f%%", 100 * o->plan_p_match_any);
        sp_buf_adds(b, "\n");
        if (o->has_plan && o->plan_applies_ir &&
            (o->plan_p_match_any < s->student.low || o->plan_p_match_any > s->student.high))
            sp_buf_adds(b, "The two differ: in IR the simulated market is flatter in strength than "
                           "the planner\n(docs/SIMULATION.md, \"The inserted student\"); read "
                           "them as a range.\n");
    }
    if (o->reliability) {
        reliability_text(b, "Planner reliability, the type's typical list (as `assess`)",
                         &s->rel_typical);
        reliability_text(b, "Planner reliability, the applicant's own list (as a plan)",
                         &s->rel_own);
    }
}

void sp_sim_report(struct sp_buf *out, const struct sp_sim_summary *s,
                   const struct sp_sim_report_options *o)
{
    if (o->json)
        report_json(out, s, o);
    else
        report_text(out, s, o);
}
