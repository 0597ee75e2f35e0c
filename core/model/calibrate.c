/*
 * Calibration: the reference applicant population of each specialty, its model
 * statistics (match rate, Step 2 quantiles of matched and unmatched, interviews),
 * and the fit of the free parameters to the published targets with nlopt.
 */
#include "smartpick/model/calibrate.h"

#include "smartpick/model/assess.h"
#include "smartpick/model/profile.h"
#include "sp_alloc.h"
#include "sp_csv.h"
#include "sp_str.h"

#include <math.h>
#include <nlopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "banned.h"

#define GRID_STEP 2.0 /* Step 2 points between evaluations of P(match | score) */

/* ---- targets file ---- */

static int col_index(const struct sp_csv_record *rec, const char *name)
{
    for (size_t i = 0; i < rec->n_fields; i++) {
        if (strcmp(rec->fields[i].data, name) == 0)
            return (int)i;
    }
    return -1;
}

static void set_spec_value(struct sp_calib_specialty *s, const char *name, const char *type,
                           double v, double tol)
{
    enum sp_applicant_type t;

    if (strcmp(name, "applicants_preferring") == 0 && sp_applicant_type_parse(&t, type) == 0) {
        s->type_applicants[t] = v;
    } else if (strcmp(name, "match_rate_preferred") == 0 &&
               sp_applicant_type_parse(&t, type) == 0) {
        s->type_rate[t] = v;
        s->tol_type_rate = tol;
    } else if (strcmp(name, "filled_share") == 0 && strcmp(type, "us_md+us_do") == 0) {
        s->us_senior_share = v;
    } else if (strcmp(name, "filled_share") == 0 && sp_applicant_type_parse(&t, type) == 0) {
        s->filled_share[t] = v;
        s->tol_filled_share = tol;
    } else if (strcmp(name, "fill_rate") == 0) {
        s->fill_rate = v;
        s->tol_fill_rate = tol;
    } else if (strcmp(name, "or_interview_signal") == 0) {
        s->signal_or_interview = v;
        s->tol_signal_or = tol;
    } else if (strcmp(name, "or_match_after_interview_signal") == 0) {
        s->signal_or_match = v;
        s->tol_signal_or = tol;
    } else if (strcmp(name, "share_matched_at_signalled") == 0) {
        s->signal_matched_share = v;
        s->tol_signal_share = tol;
    } else if (strcmp(name, "match_rate_us_md") == 0) {
        s->rate_us_md = v;
        s->tol_rate = tol;
    } else if (strcmp(name, "step2_matched_median") == 0) {
        s->med_matched = v;
        s->tol_median = tol;
    } else if (strcmp(name, "step2_unmatched_median") == 0) {
        s->med_unmatched = v;
    } else if (strcmp(name, "step2_matched_q1") == 0) {
        s->q1_matched = v;
        s->tol_quartile = tol;
    } else if (strcmp(name, "step2_matched_q3") == 0) {
        s->q3_matched = v;
    } else if (strcmp(name, "n_matched_us_md_senior") == 0) {
        s->n_matched = v;
    } else if (strcmp(name, "n_unmatched_us_md_senior") == 0) {
        s->n_unmatched = v;
    } else if (strcmp(name, "positions") == 0) {
        s->positions = v;
    } else if (strcmp(name, "applicants_first_choice") == 0) {
        s->applicants = v;
    } else if (strcmp(name, "pgy1_positions_offered") == 0) {
        s->pgy1_positions = v;
    } else if (strcmp(name, "pgy2_positions_offered") == 0) {
        s->pgy2_positions = v;
    }
}

int sp_calib_targets_parse(struct sp_calib_targets *out, const char *text, size_t len,
                           struct sp_err *err)
{
    static const char *const needed[] = {"kind", "code", "applicant_type", "name", "value",
                                         "tolerance"};
    int col[6];
    struct sp_csv csv;
    struct sp_csv_record rec;
    int rc;

    memset(out, 0, sizeof(*out));
    out->step2_sd = 15;
    out->us_img_step2_shift = SP_US_IMG_STEP2_SHIFT;
    out->interviews_per_position = 12;
    sp_csv_init(&csv, text, len, 0);
    rc = sp_csv_next(&csv, &rec, err);
    if (rc <= 0) {
        if (!rc)
            rc = sp_err_set(err, SP_EINVAL, "1:1: empty targets file");
        goto out;
    }
    for (int i = 0; i < 6; i++) {
        col[i] = col_index(&rec, needed[i]);
        if (col[i] < 0) {
            rc = sp_err_set(err, SP_EINVAL, "1:1: missing column '%s'", needed[i]);
            goto out;
        }
    }
    while ((rc = sp_csv_next(&csv, &rec, err)) == 1) {
        const char *code = rec.fields[col[1]].data, *type = rec.fields[col[2]].data;
        const char *name = rec.fields[col[3]].data;
        double v, tol = 0;
        enum sp_specialty k;
        enum sp_applicant_type t;
        if ((size_t)col[5] >= rec.n_fields || (size_t)col[4] >= rec.n_fields) {
            rc = sp_err_set(err, SP_EINVAL, "%u:1: too few fields", rec.line);
            goto out;
        }
        if (sp_parse_double(&v, rec.fields[col[4]].data)) {
            rc = sp_err_set(err, SP_EINVAL, "%u:%u: value: '%s' must be a number", rec.line,
                            rec.fields[col[4]].col, rec.fields[col[4]].data);
            goto out;
        }
        if (rec.fields[col[5]].len && sp_parse_double(&tol, rec.fields[col[5]].data)) {
            rc = sp_err_set(err, SP_EINVAL, "%u:%u: tolerance: '%s' must be a number", rec.line,
                            rec.fields[col[5]].col, rec.fields[col[5]].data);
            goto out;
        }
        if (sp_specialty_parse(&k, code) == 0) {
            out->spec[k].present = 1;
            set_spec_value(&out->spec[k], name, type, v, tol);
        } else if (strcmp(code, "ALL") == 0) {
            if (strcmp(name, "match_rate_overall") == 0 &&
                sp_applicant_type_parse(&t, type) == 0) {
                out->type_rate[t] = v;
                out->tol_type_rate = tol;
            } else if (strcmp(name, "applications_per_applicant") == 0) {
                if (strcmp(type, "img") == 0) {
                    out->apps_by_type[SP_APP_US_IMG] = (int)v;
                    out->apps_by_type[SP_APP_NON_US_IMG] = (int)v;
                } else if (sp_applicant_type_parse(&t, type) == 0) {
                    out->apps_by_type[t] = (int)v;
                }
            } else if (strcmp(name, "step2_matched_median") == 0) {
                out->img_med_matched = v;
            } else if (strcmp(name, "step2_unmatched_median") == 0) {
                out->img_med_unmatched = v;
            } else if (strcmp(name, "step2_national_sd") == 0) {
                out->step2_sd = v;
            }
        } else {
            rc = sp_err_set(err, SP_EINVAL, "%u:%u: code: '%s' is not a specialty or ALL",
                            rec.line, rec.fields[col[1]].col, code);
            goto out;
        }
    }
out:
    sp_csv_release(&csv);
    return rc < 0 ? rc : 0;
}

/* ---- the market's applicant mix ---- */

double sp_mix_backup_share(enum sp_applicant_type t)
{
    static const double share[SP_APP_TYPE_COUNT] = {
        [SP_APP_US_MD] = 0.15, [SP_APP_US_DO] = 1.0, [SP_APP_US_IMG] = 0.40,
        [SP_APP_NON_US_IMG] = 0.40,
    };

    return (unsigned)t < SP_APP_TYPE_COUNT ? share[t] : 0;
}

enum sp_specialty sp_mix_backup_of(enum sp_specialty k)
{
    static const enum sp_specialty backup[SP_SPEC_COUNT] = {
        [SP_SPEC_IR] = SP_SPEC_DR, [SP_SPEC_DR] = SP_SPEC_IM,    [SP_SPEC_IM] = SP_SPEC_COUNT,
        [SP_SPEC_GS] = SP_SPEC_IM, [SP_SPEC_VS] = SP_SPEC_GS,    [SP_SPEC_ANES] = SP_SPEC_IM,
        [SP_SPEC_EM] = SP_SPEC_IM, [SP_SPEC_NEURO] = SP_SPEC_IM, [SP_SPEC_PMR] = SP_SPEC_IM,
    };

    return (unsigned)k < SP_SPEC_COUNT ? backup[k] : SP_SPEC_COUNT;
}

double sp_mix_applicants(const struct sp_calib_specialty *s, const struct sp_model_specialty *ms,
                         enum sp_applicant_type t)
{
    return (unsigned)t < SP_APP_TYPE_COUNT ? s->applicants * ms->pool_share[t] : 0;
}

void sp_calib_pool_init(struct sp_model *m, const struct sp_calib_targets *t)
{
    /* DO share of the applicants who are neither US MD seniors nor published. */
    static const double do_share[SP_SPEC_COUNT] = {
        [SP_SPEC_IR] = 0.85, [SP_SPEC_DR] = 0.75,    [SP_SPEC_IM] = 0.22,
        [SP_SPEC_GS] = 0.60, [SP_SPEC_VS] = 0.30,    [SP_SPEC_ANES] = 0.70,
        [SP_SPEC_EM] = 0.80, [SP_SPEC_NEURO] = 0.35, [SP_SPEC_PMR] = 0.80,
    };
    const double us_img = 4587.0 / (4587.0 + 11465.0);

    for (int k = 0; k < SP_SPEC_COUNT; k++) {
        const struct sp_calib_specialty *s = &t->spec[k];
        struct sp_model_specialty *ms = &m->spec[k];
        double n[SP_APP_TYPE_COUNT], all = s->applicants, rest, w[SP_APP_TYPE_COUNT] = {0};
        double known = 0, wsum = 0;

        memset(ms->market_shift, 0, sizeof(ms->market_shift));
        if (!s->present || !(all > 0))
            continue;
        n[SP_APP_US_MD] = s->n_matched + s->n_unmatched;
        w[SP_APP_US_DO] = do_share[k];
        w[SP_APP_US_IMG] = (1 - do_share[k]) * us_img;
        w[SP_APP_NON_US_IMG] = (1 - do_share[k]) * (1 - us_img);
        for (int ty = SP_APP_US_DO; ty < SP_APP_TYPE_COUNT; ty++) {
            if (s->type_applicants[ty] > 0) {
                n[ty] = s->type_applicants[ty];
                known += n[ty];
                w[ty] = 0;
            }
            wsum += w[ty];
        }
        if (n[SP_APP_US_MD] + known > all)
            n[SP_APP_US_MD] = all - known > 0 ? all - known : 0;
        rest = all - n[SP_APP_US_MD] - known;
        for (int ty = SP_APP_US_DO; ty < SP_APP_TYPE_COUNT; ty++) {
            if (!(s->type_applicants[ty] > 0))
                n[ty] = wsum > 0 ? rest * w[ty] / wsum : 0;
        }
        for (int ty = 0; ty < SP_APP_TYPE_COUNT; ty++)
            ms->pool_share[ty] = n[ty] / all;
    }
}

double sp_calib_type_target(const struct sp_calib_targets *t, enum sp_applicant_type ty)
{
    double n = 0, matched = 0;

    if (!sp_calib_type_by_specialty(t, ty))
        return t->type_rate[ty];
    for (int k = 0; k < SP_SPEC_COUNT; k++) {
        const struct sp_calib_specialty *s = &t->spec[k];
        if (s->present && s->type_applicants[ty] > 0) {
            n += s->type_applicants[ty];
            matched += s->type_applicants[ty] * s->type_rate[ty];
        }
    }
    return n > 0 ? matched / n : t->type_rate[ty];
}

bool sp_calib_type_by_specialty(const struct sp_calib_targets *t, enum sp_applicant_type ty)
{
    int n = 0;

    for (int k = 0; k < SP_SPEC_COUNT; k++) {
        if (!t->spec[k].present)
            continue;
        if (!(t->spec[k].type_rate[ty] > 0))
            return false;
        n++;
    }
    return n > 0;
}

/* ---- the reference population ---- */

/* A two-component Step 2 pool: matched ~ N(mu_m, sd), unmatched ~ N(mu_u, sd). */
struct pool {
    double mu_m, mu_u, sd, w_m, w_u;
};

static double normal_pdf(double x, double mu, double sd)
{
    double z = (x - mu) / sd;
    return exp(-0.5 * z * z) / sd;
}

/* The Step 2 grid a pool is integrated on: GRID_STEP apart from *lo, 4 SDs beyond
 * both means; returns the number of points. */
static size_t pool_grid(const struct pool *p, double *lo)
{
    double hi = fmax(p->mu_m, p->mu_u) + 4 * p->sd;

    *lo = fmin(p->mu_m, p->mu_u) - 4 * p->sd;
    return (size_t)((hi - *lo) / GRID_STEP) + 1;
}

/* The pool's (unnormalized) density at Step 2 score s. */
static double pool_density(const struct pool *p, double s)
{
    return p->w_m * normal_pdf(s, p->mu_m, p->sd) + p->w_u * normal_pdf(s, p->mu_u, p->sd);
}

struct pop_stats {
    double rate;
    double med_m, q1_m, q3_m, med_u;
    double interviews;
};

/* Quantile prob of the discrete density dens[] on grid[] (linear within a step). */
static double quantile(const double *grid, const double *dens, size_t n, double prob)
{
    double total = 0, acc = 0;

    for (size_t i = 0; i < n; i++)
        total += dens[i];
    for (size_t i = 0; i < n; i++) {
        if (acc + dens[i] >= prob * total && dens[i] > 0) {
            double frac = (prob * total - acc) / dens[i];
            return grid[i] - GRID_STEP / 2 + frac * GRID_STEP;
        }
        acc += dens[i];
    }
    return grid[n - 1];
}

struct population {
    const struct sp_model *m;
    struct sp_quadrature quad;
    struct sp_list_item *items;
    size_t n_items;
    enum sp_specialty k;
    enum sp_applicant_type type;
    struct pool pool;
    double features; /* strength of the type's typical features (0: the reference) */
    const sp_catalog *cat;
    const double *q;
    int n_apps; /* applications on the typical list */
};

/* Rebuild the typical list of the reference applicant at this strength: the list
 * targets where an applicant of that strength is likelier to be interviewed
 * (sp_typical_list), so each strength has its own. signal_div 2: the signals are
 * halved (IR and DR share one pool, split by an applicant of both). */
static void population_list(struct population *pop, double strength, int signal_div)
{
    const struct sp_model_specialty *ms = &pop->m->spec[pop->k];

    pop->n_items = sp_typical_list(pop->items, pop->m, pop->cat, pop->q, NULL, pop->k, strength,
                                   pop->n_apps, ms->signals_gold / signal_div,
                                   ms->signals_silver / signal_div);
}

static void population_stats(struct pop_stats *st, struct population *pop,
                             bool with_interviews)
{
    const struct sp_model *m = pop->m;
    double lo;
    size_t n = pool_grid(&pop->pool, &lo);
    double *grid = sp_xcalloc(n, sizeof(double));
    double *dm = sp_xcalloc(n, sizeof(double));
    double *du = sp_xcalloc(n, sizeof(double));
    double matched = 0, total = 0, interviews = 0;

    for (size_t i = 0; i < n; i++) {
        double s = lo + GRID_STEP * (double)i;
        double w = pool_density(&pop->pool, s);
        double shift = m->spec[pop->k].beta_step2 * (s - 251.0) / 15.0 +
                       m->type_offset[pop->type] + pop->features;
        double p;
        population_list(pop, shift, 1);
        p = sp_list_p_match(m, &pop->quad, pop->items, pop->n_items, 0);
        grid[i] = s;
        dm[i] = w * p;
        du[i] = w * (1 - p);
        matched += w * p;
        total += w;
        if (with_interviews)
            interviews += w * sp_list_expected_interviews(m, &pop->quad, pop->items,
                                                          pop->n_items, 0);
    }
    st->rate = matched / total;
    st->med_m = quantile(grid, dm, n, 0.5);
    st->q1_m = quantile(grid, dm, n, 0.25);
    st->q3_m = quantile(grid, dm, n, 0.75);
    st->med_u = quantile(grid, du, n, 0.5);
    st->interviews = with_interviews ? interviews / total : 0;
    free(grid);
    free(dm);
    free(du);
}

static struct pool spec_pool(const struct sp_calib_specialty *s)
{
    struct pool p;

    p.mu_m = s->med_matched;
    p.mu_u = s->med_unmatched;
    p.sd = (s->q3_matched - s->q1_matched) / 1.349; /* IQR of a normal */
    p.w_m = s->n_matched;
    p.w_u = s->n_unmatched;
    return p;
}

static double target_interviews(const struct sp_calib_targets *t, enum sp_specialty k)
{
    const struct sp_calib_specialty *s = &t->spec[k];

    return s->applicants > 0 ? s->positions * t->interviews_per_position / s->applicants : 0;
}

/* ---- fitting ---- */

struct fit_ctx {
    struct population *pop;
    struct sp_model *m;
    const struct sp_calib_specialty *target;
    double interviews;
    double b_prior;
};

static double sq(double x)
{
    return x * x;
}

static double objective(unsigned n, const double *x, double *grad, void *data)
{
    struct fit_ctx *c = data;
    struct sp_model_specialty *ms = &c->m->spec[c->pop->k];
    struct pop_stats st;
    (void)n;
    (void)grad;

    ms->a = x[0];
    ms->beta_step2 = x[1];
    ms->b = x[2];
    population_stats(&st, c->pop, true);
    return sq((st.rate - c->target->rate_us_md) / 0.005) +
           sq(st.med_m - c->target->med_matched) + sq(st.med_u - c->target->med_unmatched) +
           0.25 * sq(st.q1_m - c->target->q1_matched) +
           0.25 * sq(st.q3_m - c->target->q3_matched) +
           sq((st.interviews - c->interviews) / (0.25 * c->interviews)) +
           sq((ms->b - c->b_prior) / 0.5);
}

static int fit_specialty(struct sp_model *m, struct population *pop,
                         const struct sp_calib_targets *t, double b_prior, struct sp_err *err)
{
    enum sp_specialty k = pop->k;
    struct fit_ctx r;
    double x[3] = {m->spec[k].a, m->spec[k].beta_step2, m->spec[k].b};
    double lb[3] = {-8, 0, -4}, ub[3] = {6, 4, 4};
    double best;
    nlopt_opt opt = nlopt_create(NLOPT_LN_BOBYQA, 3);
    nlopt_result res;

    r.pop = pop;
    r.m = m;
    r.target = &t->spec[k];
    r.interviews = target_interviews(t, k);
    r.b_prior = b_prior;
    pop->n_apps = m->spec[k].typical_applications;
    nlopt_set_lower_bounds(opt, lb);
    nlopt_set_upper_bounds(opt, ub);
    nlopt_set_min_objective(opt, objective, &r);
    nlopt_set_xtol_abs1(opt, 1e-5);
    nlopt_set_ftol_abs(opt, 1e-7);
    nlopt_set_maxeval(opt, 800);
    res = nlopt_optimize(opt, x, &best);
    nlopt_destroy(opt);
    if (res < 0)
        return sp_err_set(err, SP_ERANGE, "calibrate %s: nlopt failed (%d)", sp_specialty_code(k),
                          (int)res);
    m->spec[k].a = x[0];
    m->spec[k].beta_step2 = x[1];
    m->spec[k].b = x[2];
    return 0;
}

/* Strength in k of the simulator's typical applicant of `type` who prefers pref
 * (sp_model_typical_profile, backing up in sp_mix_backup_of(pref)), less its Step 2
 * and type terms. Its honors, research, years out and visa are below the
 * reference's for the non-US-MD types, and the planner charges them on top of the
 * type offset, so the offset is fitted with them in place. */
static double typical_features(const struct sp_model *m, enum sp_applicant_type type,
                               enum sp_specialty pref, enum sp_specialty k)
{
    struct sp_profile p;
    struct sp_strength s;

    sp_model_typical_profile(&p, m, type, pref, sp_mix_backup_of(pref));
    sp_model_strength(&s, m, &p, k);
    return s.value - m->spec[k].beta_step2 * (p.step2_ck - 251.0) / 15.0 - m->type_offset[type];
}

/* The Step 2 pool of type's applicants preferring k, as the simulator draws it:
 * US MDs and DOs the specialty's Charting Outcomes pool; IMGs the published non-US
 * IMG medians (US IMGs shifted by the estimate the simulator uses), national SD,
 * weights from the type's rate. */
static struct pool type_pool(const struct sp_calib_targets *t, enum sp_applicant_type type,
                             enum sp_specialty k)
{
    struct pool p;
    double shift = type == SP_APP_US_IMG ? t->us_img_step2_shift : 0;

    if (type == SP_APP_US_MD || type == SP_APP_US_DO)
        return spec_pool(&t->spec[k]);
    p.mu_m = t->img_med_matched + shift;
    p.mu_u = t->img_med_unmatched + shift;
    p.sd = t->step2_sd;
    p.w_m = t->type_rate[type];
    p.w_u = 1 - t->type_rate[type];
    return p;
}

/* Make pop type's applicants who prefer pref, applying to k with the typical list
 * of n_apps applications. */
static void type_population(struct population *pop, const struct sp_calib_targets *t,
                            enum sp_applicant_type type, enum sp_specialty pref,
                            enum sp_specialty k, int n_apps)
{
    pop->k = k;
    pop->type = type;
    pop->features = typical_features(pop->m, type, pref, k);
    pop->pool = type_pool(t, type, pref);
    pop->n_apps = n_apps;
}

/* P(matched) of pop's applicants (its Step 2 pool, its list): in pop's specialty,
 * or, for a share of them, in bk's (the same applicants - same Step 2, same
 * latent term - with their backup list; those who apply to both IR and DR split
 * the signals, as the simulator's do); share 0: pop's specialty only. */
static double population_rate_any(struct population *pop, struct population *bk,
                                  double share)
{
    const struct sp_model *m = pop->m;
    const struct sp_quadrature *quad = &pop->quad;
    double lo;
    size_t n = pool_grid(&pop->pool, &lo);
    double matched = 0, total = 0;
    bool split = share > 0 && (pop->k == SP_SPEC_IR || pop->k == SP_SPEC_DR) &&
                 (bk->k == SP_SPEC_IR || bk->k == SP_SPEC_DR);
    struct sp_quadrature one;

    memset(&one, 0, sizeof(one));
    one.n = 1;
    one.w[0] = 1;
    for (size_t g = 0; g < n; g++) {
        double s = lo + GRID_STEP * (double)g, z = (s - 251.0) / 15.0;
        double w = pool_density(&pop->pool, s);
        double sh =
            m->spec[pop->k].beta_step2 * z + m->type_offset[pop->type] + pop->features;
        double p_alone[SP_GH_MAX], p_with[SP_GH_MAX], p = 0;

        /* in pop's specialty: alone, and beside the backup (its signals split or not) */
        population_list(pop, sh, 1);
        for (int i = 0; i < quad->n; i++) {
            one.e[0] = quad->e[i];
            p_alone[i] = p_with[i] = sp_list_p_match(m, &one, pop->items, pop->n_items, 0);
        }
        if (split) {
            population_list(pop, sh, 2);
            for (int i = 0; i < quad->n; i++) {
                one.e[0] = quad->e[i];
                p_with[i] = sp_list_p_match(m, &one, pop->items, pop->n_items, 0);
            }
        }
        if (share > 0) {
            double shb =
                m->spec[bk->k].beta_step2 * z + m->type_offset[pop->type] +
                bk->features;
            population_list(bk, shb, split ? 2 : 1);
            for (int i = 0; i < quad->n; i++) {
                double pb;
                one.e[0] = quad->e[i];
                pb = sp_list_p_match(m, &one, bk->items, bk->n_items, 0);
                p += quad->w[i] * ((1 - share) * p_alone[i] +
                                   share * (p_with[i] + (1 - p_with[i]) * pb));
            }
        } else {
            for (int i = 0; i < quad->n; i++)
                p += quad->w[i] * p_alone[i];
        }
        matched += w * p;
        total += w;
    }
    return total > 0 ? matched / total : 0;
}

/* The typical applications of type t in k, times factor, within [1, k's programs]. */
static int type_applications(const struct sp_model *m, const sp_catalog *cat,
                             enum sp_applicant_type type, enum sp_specialty k, double factor)
{
    size_t n_prog;
    long n;

    sp_catalog_by_specialty(cat, k, &n_prog);
    n = lround(sp_model_typical_applications(m, k, type, 100000) * factor);
    if (n > (long)n_prog)
        n = (long)n_prog;
    return n < 1 ? 1 : (int)n;
}

/* The model's overall match rate of type: its first-choice applicants in the nine
 * specialties, weighted as the simulator splits them (sp_mix_applicants), each
 * with the type's typical profile, Step 2 pool and typical list in the preferred
 * specialty, matched anywhere: a share sp_mix_backup_share also applies to the
 * backup specialty, as in the simulator (NRMP's rate, like the simulator's by
 * type, counts any specialty). pop and bk are workspaces. */
static double type_rate(struct population *pop, struct population *bk,
                        const struct sp_calib_targets *t, enum sp_applicant_type type)
{
    double sum = 0, wsum = 0;

    for (int k = 0; k < SP_SPEC_COUNT; k++) {
        enum sp_specialty kp = (enum sp_specialty)k, kb = sp_mix_backup_of(kp);
        double w = sp_mix_applicants(&t->spec[k], &pop->m->spec[k], type);
        double share = 0;
        if (!t->spec[k].present || !(w > 0))
            continue;
        type_population(pop, t, type, kp, kp, type_applications(pop->m, pop->cat, type, kp, 1.0));
        if (kb < SP_SPEC_COUNT) {
            share = sp_mix_backup_share(type);
            type_population(bk, t, type, kp, kb,
                            type_applications(pop->m, pop->cat, type, kb, SP_BACKUP_APPLICATIONS));
        }
        sum += w * population_rate_any(pop, bk, share);
        wsum += w;
    }
    return wsum > 0 ? sum / wsum : 0;
}

/* Each non-reference type's offset by bisection in [-6, 2], so that type_rate meets
 * the type's NRMP rate; pop and bk are workspaces. */
static void fit_type_offsets(struct sp_model *m, struct population *pop, struct population *bk,
                             const struct sp_calib_targets *t)
{
    for (int ty = SP_APP_US_DO; ty < SP_APP_TYPE_COUNT; ty++) {
        double lo = -6, hi = 2;
        for (int it = 0; it < 50; it++) {
            double mid = 0.5 * (lo + hi);
            m->type_offset[ty] = mid;
            if (type_rate(pop, bk, t, (enum sp_applicant_type)ty) <
                sp_calib_type_target(t, (enum sp_applicant_type)ty))
                lo = mid;
            else
                hi = mid;
        }
        m->type_offset[ty] = 0.5 * (lo + hi);
    }
}

/* se of the strength scale: the binomial SE of logit(rate) over the slope of
 * logit(rate) in a strength shift. */
static void fit_se(struct sp_model *m, struct population *pop, const struct sp_calib_targets *t)
{
    const struct sp_calib_specialty *s = &t->spec[pop->k];
    double n = s->n_matched + s->n_unmatched, p = s->rate_us_md;
    double se_logit = 1.0 / sqrt(n * p * (1 - p));
    struct pop_stats a, b;
    double h = 0.05, saved = m->type_offset[SP_APP_US_MD];

    m->type_offset[SP_APP_US_MD] = saved - h;
    population_stats(&a, pop, false);
    m->type_offset[SP_APP_US_MD] = saved + h;
    population_stats(&b, pop, false);
    m->type_offset[SP_APP_US_MD] = saved;
    double slope = (log(b.rate / (1 - b.rate)) - log(a.rate / (1 - a.rate))) / (2 * h);
    m->spec[pop->k].se_shift = slope > 0 ? se_logit / slope : m->spec[pop->k].se_shift;
}

void sp_calib_report_add(struct sp_calib_report *rep, const char *code, const char *name,
                         const char *type, double target, double model, double tol, int is_check)
{
    struct sp_calib_row *r;

    if (rep->n_rows == SP_CALIB_MAX_ROWS)
        return;
    r = &rep->rows[rep->n_rows++];
    snprintf(r->code, sizeof(r->code), "%s", code);
    snprintf(r->name, sizeof(r->name), "%s", name);
    snprintf(r->type, sizeof(r->type), "%s", type);
    r->target = target;
    r->model = model;
    r->tolerance = tol;
    r->is_check = is_check;
    if (!is_check && fabs(model - target) > tol)
        rep->n_failed++;
}

static struct population population_new(const struct sp_model *m, const sp_catalog *cat,
                                        const double *q)
{
    struct population pop;
    size_t max_prog = 1;

    memset(&pop, 0, sizeof(pop));
    pop.m = m;
    pop.cat = cat;
    pop.q = q;
    sp_quadrature_init(&pop.quad, m->gh_nodes, m->sigma);
    for (int k = 0; k < SP_SPEC_COUNT; k++) {
        size_t n;
        sp_catalog_by_specialty(cat, (enum sp_specialty)k, &n);
        if (n > max_prog)
            max_prog = n;
    }
    pop.items = sp_xcalloc(max_prog * SP_TYPICAL_CLASSES, sizeof(*pop.items));
    return pop;
}

void sp_calib_evaluate(struct sp_calib_report *rep, const struct sp_model *fitted,
                       const sp_catalog *cat, const double *q, const struct sp_calib_targets *t)
{
    const struct sp_model *m = fitted;
    struct population pop = population_new(m, cat, q), bk = population_new(m, cat, q);

    memset(rep, 0, sizeof(*rep));
    for (int k = 0; k < SP_SPEC_COUNT; k++) {
        const struct sp_calib_specialty *s = &t->spec[k];
        const char *code = sp_specialty_code((enum sp_specialty)k);
        struct pop_stats st;
        if (!s->present)
            continue;
        pop.k = (enum sp_specialty)k;
        pop.type = SP_APP_US_MD;
        pop.features = 0;
        pop.pool = spec_pool(s);
        pop.n_apps = m->spec[k].typical_applications;
        population_stats(&st, &pop, true);
        sp_calib_report_add(rep, code, "match_rate_us_md", "us_md", s->rate_us_md, st.rate, s->tol_rate, 0);
        sp_calib_report_add(rep, code, "step2_matched_median", "us_md", s->med_matched, st.med_m,
                s->tol_median, 0);
        sp_calib_report_add(rep, code, "step2_unmatched_median", "us_md", s->med_unmatched, st.med_u,
                s->tol_median, 0);
        sp_calib_report_add(rep, code, "step2_matched_q1", "us_md", s->q1_matched, st.q1_m, s->tol_quartile,
                0);
        sp_calib_report_add(rep, code, "step2_matched_q3", "us_md", s->q3_matched, st.q3_m, s->tol_quartile,
                0);
        sp_calib_report_add(rep, code, "interviews_per_applicant", "us_md",
                target_interviews(t, (enum sp_specialty)k), st.interviews,
                0.3 * target_interviews(t, (enum sp_specialty)k), 1);
    }
    for (int ty = SP_APP_US_MD; ty < SP_APP_TYPE_COUNT; ty++) {
        enum sp_applicant_type type = (enum sp_applicant_type)ty;
        bool pooled = sp_calib_type_by_specialty(t, type);
        /* A type fitted per specialty: its offset meets the nine's pooled rate, and
         * NRMP's overall rate is a check. */
        sp_calib_report_add(rep, "ALL", pooled ? "match_rate_nine_pooled" : "match_rate_overall",
                            sp_applicant_type_name(type), sp_calib_type_target(t, type),
                            type_rate(&pop, &bk, t, type), t->tol_type_rate, ty == SP_APP_US_MD);
    }
    free(pop.items);
    free(bk.items);
}

int sp_calib_refit_specialty(struct sp_model *m, const sp_catalog *cat, const double *q,
                             const struct sp_calib_targets *t, enum sp_specialty k,
                             struct sp_err *err)
{
    struct population pop = population_new(m, cat, q);
    struct sp_model priors;
    int rc = 0;

    sp_model_init_priors(&priors);
    if (t->spec[k].present) {
        pop.k = k;
        pop.type = SP_APP_US_MD;
        pop.features = 0;
        pop.pool = spec_pool(&t->spec[k]);
        rc = fit_specialty(m, &pop, t, priors.spec[k].b, err);
        if (!rc)
            fit_se(m, &pop, t);
    }
    free(pop.items);
    return rc;
}

void sp_calib_fit_type_offsets(struct sp_model *m, const sp_catalog *cat, const double *q,
                               const struct sp_calib_targets *t)
{
    struct population pop = population_new(m, cat, q), bk = population_new(m, cat, q);

    fit_type_offsets(m, &pop, &bk, t);
    free(pop.items);
    free(bk.items);
}

int sp_calibrate(struct sp_model *m, struct sp_calib_report *rep, const sp_catalog *cat,
                 const double *q, const struct sp_calib_targets *t, struct sp_err *err)
{
    struct population pop = population_new(m, cat, q), bk = population_new(m, cat, q);
    int rc = 0;

    m->type_offset[SP_APP_US_MD] = 0;
    sp_calib_pool_init(m, t);
    for (int ty = 0; ty < SP_APP_TYPE_COUNT; ty++) {
        if (t->apps_by_type[ty] > 0)
            m->type_applications[ty] = t->apps_by_type[ty];
    }
    for (int k = 0; k < SP_SPEC_COUNT && !rc; k++) {
        if (!t->spec[k].present)
            continue;
        pop.k = (enum sp_specialty)k;
        pop.type = SP_APP_US_MD;
        pop.features = 0;
        pop.pool = spec_pool(&t->spec[k]);
        if (t->spec[k].pgy1_positions + t->spec[k].pgy2_positions > 0)
            m->spec[k].advanced_share =
                t->spec[k].pgy2_positions / (t->spec[k].pgy1_positions + t->spec[k].pgy2_positions);
        rc = fit_specialty(m, &pop, t, m->spec[k].b, err);
        if (!rc)
            fit_se(m, &pop, t);
    }
    if (!rc)
        fit_type_offsets(m, &pop, &bk, t);
    free(pop.items);
    free(bk.items);
    if (!rc)
        sp_calib_evaluate(rep, m, cat, q, t);
    return rc;
}
