/*
 * The market's applicant mix fitted to NRMP's shares of filled positions by type.
 */
#include "market_pool.h"

#include "sim_run.h"
#include "sp_alloc.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "banned.h"

int sp_market_filled_shares(struct sp_filled_shares *fs, const struct sp_world *w,
                            const struct sp_model *m, int threads, struct sp_err *err)
{
    struct sp_model beliefs = *m;
    struct sp_calib_targets targets;
    struct sp_sim_params params;
    struct sp_sim_inputs in = {0};
    struct sp_sim_rep *reps = sp_xcalloc(SP_POOL_REPLICATIONS, sizeof(*reps));
    sp_sim *sim = NULL;
    int rc;

    /* The market's applicants act on the model's beliefs, never on a market. */
    beliefs.market = NULL;
    sp_sim_params_init(&params);
    in.m = &beliefs;
    in.params = &params;
    rc = sp_app_sim_from_world(&sim, &in, &targets, w, err);
    if (!rc)
        rc = sp_app_sim_run(reps, sim, 1, 0, SP_POOL_REPLICATIONS, threads, NULL, NULL, err);
    for (int ty = 0; ty < SP_APP_TYPE_COUNT && !rc; ty++) {
        double n = 0, matched = 0;
        for (size_t r = 0; r < SP_POOL_REPLICATIONS; r++) {
            n += reps[r].type_n[ty];
            matched += reps[r].type_matched[ty];
        }
        fs->type_rate[ty] = n > 0 ? matched / n : 0;
    }
    for (int k = 0; k < SP_SPEC_COUNT && !rc; k++) {
        double by[SP_APP_TYPE_COUNT] = {0}, pref[SP_APP_TYPE_COUNT] = {0};
        double matched[SP_APP_TYPE_COUNT] = {0}, all = 0;
        for (size_t r = 0; r < SP_POOL_REPLICATIONS; r++) {
            for (int ty = 0; ty < SP_APP_TYPE_COUNT; ty++) {
                by[ty] += reps[r].filled_by_type[k][ty];
                pref[ty] += reps[r].pref[k][ty];
                matched[ty] += reps[r].matched[k][ty];
            }
        }
        for (int ty = 0; ty < SP_APP_TYPE_COUNT; ty++)
            all += by[ty];
        for (int ty = 0; ty < SP_APP_TYPE_COUNT; ty++) {
            fs->share[k][ty] = all > 0 ? by[ty] / all : 0;
            fs->rate[k][ty] = pref[ty] > 0 ? matched[ty] / pref[ty] : 0;
        }
    }
    sp_sim_free(sim);
    free(reps);
    return rc;
}

static double clamp(double x, double lo, double hi)
{
    return x < lo ? lo : x > hi ? hi : x;
}

/* One step of the mix in specialty k: scale the DO and US-IMG applicants by
 * published over measured share of filled positions (a type's filled positions grow
 * about in proportion to its applicants); the non-US IMGs stay as published and US
 * MDs are the rest of the specialty's first-choice applicants (Charting Outcomes
 * counts only the seniors who consented to research use, fewer than apply; NRMP's
 * count also holds prior-year graduates, which the market takes as US MDs). */
static void update_pool(struct sp_model_specialty *ms, const struct sp_calib_specialty *ts,
                        const double *measured)
{
    double *p = ms->pool_share;

    for (int ty = SP_APP_US_DO; ty <= SP_APP_US_IMG; ty++) {
        if (measured[ty] > 0)
            p[ty] = clamp(p[ty] * ts->filled_share[ty] / measured[ty], 0.001, 0.6);
    }
    p[SP_APP_US_MD] = clamp(1 - p[SP_APP_US_DO] - p[SP_APP_US_IMG] - p[SP_APP_NON_US_IMG], 0, 1);
}

static double logit(double p)
{
    p = clamp(p, 0.005, 0.995);
    return log(p / (1 - p));
}

/* The published match rate of type ty in its preferred specialty: US MD seniors'
 * (Charting Outcomes) or the type's by specialty; 0 when not published. */
static double published_rate(const struct sp_calib_specialty *ts, int ty)
{
    return ty == SP_APP_US_MD ? ts->rate_us_md : ts->type_rate[ty];
}

/* One step of the type shifts in specialty k: move each type whose rate is published
 * by the gap in log-odds (a rate's slope in the shift is below one, so the steps
 * undershoot and converge). */
static void update_shift(struct sp_model_specialty *ms, const struct sp_calib_specialty *ts,
                         const double *measured)
{
    for (int ty = 0; ty < SP_APP_TYPE_COUNT; ty++) {
        double target = published_rate(ts, ty);
        if (target > 0 && measured[ty] > 0)
            ms->market_shift[ty] += logit(target) - logit(measured[ty]);
    }
}

/* Moving every applicant of k by the same amount changes nothing (programs keep
 * the best), so the shifts are relative: keep US MDs, the model's reference, at 0. */
static void recenter(struct sp_model_specialty *ms)
{
    double c = ms->market_shift[SP_APP_US_MD];

    for (int ty = 0; ty < SP_APP_TYPE_COUNT; ty++)
        ms->market_shift[ty] = clamp(ms->market_shift[ty] - c, -6, 6);
}

/* The market's US MD rate in k is held to the published one within the target's
 * tolerance or the published figure's own 95% sampling interval, the wider: the
 * market's capacity ties the types' rates together, so it cannot meet every
 * figure more closely than they were measured. */
static double us_md_tolerance(const struct sp_calib_specialty *ts)
{
    double n = ts->n_matched + ts->n_unmatched, p = ts->rate_us_md;
    double sampling = n > 0 ? 1.96 * sqrt(p * (1 - p) / n) : 0;

    return sampling > ts->tol_rate ? sampling : ts->tol_rate;
}

static bool has_pool_targets(const struct sp_calib_specialty *ts)
{
    return ts->present && ts->filled_share[SP_APP_US_DO] > 0 && ts->filled_share[SP_APP_US_IMG] > 0;
}

/* One step of the market's shift of the types not fitted per specialty (DOs, US
 * IMGs), the same in every specialty: the gap between NRMP's rate by type and the
 * market's, matched anywhere, in log-odds. */
static void update_type_shifts(struct sp_model *m, const struct sp_calib_targets *t,
                               const double *measured)
{
    for (int ty = SP_APP_US_DO; ty < SP_APP_TYPE_COUNT; ty++) {
        double step;
        if (!(t->type_rate[ty] > 0 && measured[ty] > 0) ||
            sp_calib_type_by_specialty(t, (enum sp_applicant_type)ty))
            continue;
        step = logit(t->type_rate[ty]) - logit(measured[ty]);
        for (int k = 0; k < SP_SPEC_COUNT; k++)
            m->spec[k].market_shift[ty] += step;
    }
}

int sp_market_fit_pool(struct sp_model *m, struct sp_filled_shares *fs, const struct sp_world *w,
                       const struct sp_calib_targets *t, int threads, struct sp_err *err)
{
    for (int round = 0;; round++) {
        int rc = sp_market_filled_shares(fs, w, m, threads, err);
        if (rc || round == SP_POOL_ROUNDS)
            return rc;
        for (int k = 0; k < SP_SPEC_COUNT; k++) {
            if (has_pool_targets(&t->spec[k]))
                update_pool(&m->spec[k], &t->spec[k], fs->share[k]);
            if (t->spec[k].present)
                update_shift(&m->spec[k], &t->spec[k], fs->rate[k]);
        }
        update_type_shifts(m, t, fs->type_rate);
        for (int k = 0; k < SP_SPEC_COUNT; k++)
            recenter(&m->spec[k]);
        /* The applicants' beliefs: the type offsets over the new mix, which settles
         * in the first rounds (a refit costs ~7 s, a round ~1 s); the last rounds
         * converge on fixed beliefs. */
        if (round % SP_POOL_REFIT_EVERY == SP_POOL_REFIT_EVERY - 1 &&
            round < SP_POOL_ROUNDS - SP_POOL_REFIT_EVERY)
            sp_calib_fit_type_offsets(m, w->cat, w->q, t);
    }
}

void sp_market_pool_report(struct sp_calib_report *rep, const struct sp_filled_shares *fs,
                           const struct sp_calib_targets *t)
{
    for (int ty = 0; ty < SP_APP_TYPE_COUNT; ty++) {
        if (t->type_rate[ty] > 0)
            sp_calib_report_add(rep, "ALL", "market_match_rate_overall",
                                sp_applicant_type_name((enum sp_applicant_type)ty),
                                t->type_rate[ty], fs->type_rate[ty], t->tol_type_rate,
                                ty == SP_APP_US_MD ||
                                    sp_calib_type_by_specialty(t, (enum sp_applicant_type)ty));
    }
    for (int k = 0; k < SP_SPEC_COUNT; k++) {
        const struct sp_calib_specialty *ts = &t->spec[k];
        const char *code = sp_specialty_code((enum sp_specialty)k);
        for (int ty = 0; ty < SP_APP_TYPE_COUNT; ty++) {
            if (ts->filled_share[ty] > 0)
                sp_calib_report_add(rep, code, "filled_share",
                                    sp_applicant_type_name((enum sp_applicant_type)ty),
                                    ts->filled_share[ty], fs->share[k][ty], ts->tol_filled_share,
                                    ty == SP_APP_US_MD || !has_pool_targets(ts));
        }
        for (int ty = 0; ty < SP_APP_TYPE_COUNT; ty++) {
            if (published_rate(ts, ty) > 0)
                sp_calib_report_add(rep, code, "market_match_rate",
                                    sp_applicant_type_name((enum sp_applicant_type)ty),
                                    published_rate(ts, ty), fs->rate[k][ty],
                                    ty == SP_APP_US_MD ? us_md_tolerance(ts) : ts->tol_type_rate,
                                    0);
        }
        if (ts->us_senior_share > 0)
            sp_calib_report_add(rep, code, "filled_share", "us_md+us_do", ts->us_senior_share,
                                fs->share[k][SP_APP_US_MD] + fs->share[k][SP_APP_US_DO], 0, 1);
    }
}
