/*
 * What is fitted in the simulated market itself: the applicant mix (NRMP's shares of
 * filled positions by type), how programs see each type (rates by type), and the
 * signals (a specialty's own published signal figures).
 */
#include "market_pool.h"

#include "sim_run.h"
#include "sp_alloc.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "banned.h"

/* The odds of a over b; 0 when either count is empty. */
static double odds(double a, double b)
{
    return a > 0 && b > 0 ? a / b : 0;
}

/* Specialty k's signal figures and fill rate over n replications (struct
 * sp_filled_shares). */
static void measure_signals(struct sp_filled_shares *fs, const struct sp_sim_rep *reps, size_t n,
                            int k)
{
    double apps[2] = {0}, ivw[2] = {0}, match[2] = {0}, signalled = 0, matched = 0;
    double positions = 0, unfilled = 0;

    for (size_t r = 0; r < n; r++) {
        for (int sig = 0; sig < 3; sig++) {
            int s = sig != SP_SIGNAL_NONE;
            apps[s] += reps[r].signal_apps[k][sig];
            ivw[s] += reps[r].signal_interviews[k][sig];
            match[s] += reps[r].signal_matches[k][sig];
        }
        signalled += reps[r].matched_signalled[k];
        matched += reps[r].n_in[k];
        positions += reps[r].positions[k];
        unfilled += reps[r].unfilled[k];
    }
    fs->fill_rate[k] = positions > 0 ? 1 - unfilled / positions : 0;
    fs->signal_or_interview[k] =
        odds(odds(ivw[1], apps[1] - ivw[1]), odds(ivw[0], apps[0] - ivw[0]));
    fs->signal_or_match[k] = odds(odds(match[1], ivw[1] - match[1]), odds(match[0], ivw[0] - match[0]));
    fs->signal_matched_share[k] = matched > 0 ? signalled / matched : 0;
}

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
    for (int k = 0; k < SP_SPEC_COUNT && !rc; k++)
        measure_signals(fs, reps, SP_POOL_REPLICATIONS, k);
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

/* One step of the type shifts in specialty k: move each type whose rate is published
 * by the gap in log-odds (a rate's slope in the shift is below one, so the steps
 * undershoot and converge). US MDs, the reference every other shift is relative to,
 * are left alone within half their tolerance (us_md_tolerance): the market fills a
 * little more than the published rates allow together (no applicant from outside the
 * nine competes for the nine's positions), and chasing US MDs' last points would push
 * every other type up by recentering, round after round. */
static void update_shift(struct sp_model_specialty *ms, const struct sp_calib_specialty *ts,
                         const double *measured)
{
    for (int ty = 0; ty < SP_APP_TYPE_COUNT; ty++) {
        double target = published_rate(ts, ty);
        if (ty == SP_APP_US_MD && fabs(measured[ty] - target) <= 0.5 * us_md_tolerance(ts))
            continue;
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

/* log(published) / log(measured) of an odds ratio: the factor on a signal effect
 * that moves the market's odds ratio to the published one, were the ratio e^effect
 * (the applicants' choice of where to signal bends it a little; the rounds absorb
 * that). 1 when either is missing or not above 1. */
static double or_factor(double published, double measured)
{
    return published > 1 && measured > 1 ? log(published) / log(measured) : 1.0;
}

/* One step of k's signal effects to its published figures: the odds ratio of an
 * interview moves the interview effect; the share matched where they signalled
 * moves both effects alike (one figure, one degree of freedom). Whether anything
 * moved. */
static bool update_signals(struct sp_model_specialty *ms, const struct sp_calib_specialty *ts,
                           const struct sp_filled_shares *fs, int k)
{
    struct sp_effect *sc = &ms->signal_scale;
    struct sp_effect before = *sc;

    if (ts->signal_or_interview > 0)
        sc->interview *= or_factor(ts->signal_or_interview, fs->signal_or_interview[k]);
    if (ts->signal_matched_share > 0 && fs->signal_matched_share[k] > 0) {
        double f = exp(logit(ts->signal_matched_share) - logit(fs->signal_matched_share[k]));
        sc->interview *= f;
        sc->match *= f;
    }
    sc->interview = clamp(sc->interview, 0.2, 5);
    sc->match = clamp(sc->match, 0.2, 5);
    return sc->interview != before.interview || sc->match != before.match;
}

/* One step of the applicants' preference for the programs they signalled: the gap
 * to the published odds ratios of a match after an interview (EM's), in log, over
 * about twice the ratio's slope in the preference (18 in log per unit). */
static void update_signal_rank(struct sp_model *m, const struct sp_calib_targets *t,
                               const struct sp_filled_shares *fs)
{
    double gap = 0;
    int n = 0;

    for (int k = 0; k < SP_SPEC_COUNT; k++) {
        if (t->spec[k].signal_or_match > 1 && fs->signal_or_match[k] > 1) {
            gap += log(t->spec[k].signal_or_match) - log(fs->signal_or_match[k]);
            n++;
        }
    }
    if (n)
        m->signal_rank = clamp(m->signal_rank + 0.03 * gap / n, 0, 1);
}

int sp_market_fit_pool(struct sp_model *m, struct sp_filled_shares *fs, const struct sp_world *w,
                       const struct sp_calib_targets *t, int threads, struct sp_err *err)
{
    bool signals_moved[SP_SPEC_COUNT] = {false};

    for (int round = 0;; round++) {
        int rc = sp_market_filled_shares(fs, w, m, threads, err);
        bool refit = round % SP_POOL_REFIT_EVERY == SP_POOL_REFIT_EVERY - 1 &&
                     round < SP_POOL_ROUNDS - SP_POOL_REFIT_EVERY;
        /* the signals settle first, refitted with the beliefs twice more before the end */
        bool fit_signals = round < SP_POOL_ROUNDS - 2 * SP_POOL_REFIT_EVERY;
        if (rc || round == SP_POOL_ROUNDS)
            return rc;
        if (fit_signals)
            update_signal_rank(m, t, fs);
        for (int k = 0; k < SP_SPEC_COUNT; k++) {
            if (fit_signals)
                signals_moved[k] |= update_signals(&m->spec[k], &t->spec[k], fs, k);
            if (refit && signals_moved[k]) {
                rc = sp_calib_refit_specialty(m, w->cat, w->q, t, (enum sp_specialty)k, err);
                if (rc)
                    return rc;
                signals_moved[k] = false;
            }
        }
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
        if (refit)
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
        /* A check: nothing in the market is fitted to it (programs interview 12 per
         * position and rank every interviewee; who fills what follows from demand). */
        if (ts->fill_rate > 0)
            sp_calib_report_add(rep, code, "fill_rate", "all", ts->fill_rate, fs->fill_rate[k],
                                ts->tol_fill_rate, 1);
        if (ts->signal_or_interview > 0)
            sp_calib_report_add(rep, code, "or_interview_signal", "us_md+us_do",
                                ts->signal_or_interview, fs->signal_or_interview[k],
                                ts->tol_signal_or, 0);
        if (ts->signal_or_match > 0)
            sp_calib_report_add(rep, code, "or_match_after_interview_signal", "us_md+us_do",
                                ts->signal_or_match, fs->signal_or_match[k], ts->tol_signal_or, 0);
        if (ts->signal_matched_share > 0)
            sp_calib_report_add(rep, code, "share_matched_at_signalled", "all",
                                ts->signal_matched_share, fs->signal_matched_share[k],
                                ts->tol_signal_share, 0);
        if (ts->us_senior_share > 0)
            sp_calib_report_add(rep, code, "filled_share", "us_md+us_do", ts->us_senior_share,
                                fs->share[k][SP_APP_US_MD] + fs->share[k][SP_APP_US_DO], 0, 1);
    }
}
