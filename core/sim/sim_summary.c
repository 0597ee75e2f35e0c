/*
 * Summaries over replications: rates with 95% Monte Carlo intervals, unfilled
 * positions, mean ranks, the inserted student's P(match), and the planner's
 * reliability table. Replications are merged in index order, so the summary is
 * a function of the replication results alone (not of who computed them).
 */
#include "sim_internal.h"

#include "sp_alloc.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "banned.h"

#define Z95 1.959963984540054

/* Rate of sum(num)/sum(den) with the interval of the mean: between-replication
 * spread of the per-replication rates when there are several, else binomial. */
static struct sp_sim_rate rate_of(const double *num, const double *den, size_t n)
{
    struct sp_sim_rate r = {0, 0, 0};
    double sn = 0, sd = 0, se;

    for (size_t i = 0; i < n; i++) {
        sn += num[i];
        sd += den[i];
    }
    if (!(sd > 0))
        return r;
    r.mean = sn / sd;
    se = sqrt(r.mean * (1 - r.mean) / sd);
    if (n >= 2) {
        double ss = 0, m = 0;
        size_t used = 0;
        for (size_t i = 0; i < n; i++) {
            if (den[i] > 0) {
                m += num[i] / den[i];
                used++;
            }
        }
        if (used >= 2) {
            m /= (double)used;
            for (size_t i = 0; i < n; i++) {
                if (den[i] > 0) {
                    double d = num[i] / den[i] - m;
                    ss += d * d;
                }
            }
            double between = sqrt(ss / (double)(used - 1) / (double)used);
            if (between > se)
                se = between;
        }
    }
    r.low = fmax(0, r.mean - Z95 * se);
    r.high = fmin(1, r.mean + Z95 * se);
    return r;
}

/* Wilson score interval of k successes in n. */
static struct sp_sim_rate wilson(double k, double n)
{
    struct sp_sim_rate r = {0, 0, 0};
    double z2 = Z95 * Z95, p, c, h;

    if (!(n > 0))
        return r;
    p = k / n;
    c = (p + z2 / (2 * n)) / (1 + z2 / n);
    h = Z95 * sqrt(p * (1 - p) / n + z2 / (4 * n * n)) / (1 + z2 / n);
    r.mean = p;
    r.low = fmax(0, c - h);
    r.high = fmin(1, c + h);
    return r;
}

static void reliability_add(struct sp_sim_reliability *sum, const struct sp_sim_reliability *r)
{
    for (int b = 0; b < SP_SIM_BINS; b++) {
        sum->n[b] += r->n[b];
        sum->pred[b] += r->pred[b];
        sum->obs[b] += r->obs[b];
    }
    sum->brier += r->brier;
}

/* Sums to means. */
static void reliability_finish(struct sp_sim_reliability *t)
{
    for (int b = 0; b < SP_SIM_BINS; b++) {
        t->total += t->n[b];
        if (t->n[b] > 0) {
            t->pred[b] /= t->n[b];
            t->obs[b] /= t->n[b];
        }
    }
    if (t->total > 0)
        t->brier /= t->total;
}

void sp_sim_summarize(struct sp_sim_summary *out, const sp_sim *sim, const struct sp_sim_rep *reps,
                      size_t n)
{
    double *num = sp_xcalloc(n ? n : 1, sizeof(double));
    double *den = sp_xcalloc(n ? n : 1, sizeof(double));
    double st_k = 0, st_n = 0, apps = 0, interviews = 0, pos_total = 0, type_total = 0;

    memset(out, 0, sizeof(*out));
    out->replications = n;
    for (int k = 0; k < SP_SPEC_COUNT; k++) {
        struct sp_sim_spec_summary *s = &out->spec[k];
        double unfilled = 0, positions = 0, rank = 0, n_in = 0, applicants = 0;
        s->code = (enum sp_specialty)k;
        for (size_t i = 0; i < n; i++) {
            num[i] = reps[i].matched[k][SP_APP_US_MD];
            den[i] = reps[i].pref[k][SP_APP_US_MD];
        }
        s->us_md = rate_of(num, den, n);
        for (int ty = 0; ty < SP_APP_TYPE_COUNT; ty++) {
            double matched = 0, pref = 0;
            for (size_t i = 0; i < n; i++) {
                matched += reps[i].matched[k][ty];
                pref += reps[i].pref[k][ty];
            }
            s->by_type[ty] = pref > 0 ? matched / pref : NAN;
        }
        for (size_t i = 0; i < n; i++) {
            unfilled += reps[i].unfilled[k];
            positions += reps[i].positions[k];
            rank += reps[i].rank_sum[k];
            n_in += reps[i].n_in[k];
            for (int ty = 0; ty < SP_APP_TYPE_COUNT; ty++)
                applicants += reps[i].pref[k][ty];
        }
        s->unfilled_positions = n ? unfilled / (double)n : 0;
        s->positions = n ? positions / (double)n : 0;
        s->mean_rank_matched = n_in > 0 ? rank / n_in : NAN;
        s->applicants = n ? applicants / (double)n : 0;
        s->nrmp_us_md = sim->targets->spec[k].rate_us_md;
        pos_total += s->positions;
    }
    for (int ty = 0; ty < SP_APP_TYPE_COUNT; ty++) {
        for (size_t i = 0; i < n; i++) {
            num[i] = reps[i].type_matched[ty];
            den[i] = reps[i].type_n[ty];
        }
        out->by_type[ty] = rate_of(num, den, n);
        out->nrmp_by_type[ty] = sim->targets->type_rate[ty];
    }
    for (size_t i = 0; i < n; i++) {
        apps += reps[i].applications;
        interviews += reps[i].interviews;
        out->no_stable += reps[i].no_stable;
        for (int ty = 0; ty < SP_APP_TYPE_COUNT; ty++)
            type_total += reps[i].type_n[ty];
        if (reps[i].student_matched >= 0) {
            st_n += 1;
            st_k += reps[i].student_matched;
        }
        reliability_add(&out->rel_typical, &reps[i].rel_typical);
        reliability_add(&out->rel_own, &reps[i].rel_own);
    }
    reliability_finish(&out->rel_typical);
    reliability_finish(&out->rel_own);
    out->applications_per_applicant = type_total > 0 ? apps / type_total : 0;
    out->interviews_per_position = pos_total > 0 && n ? interviews / (double)n / pos_total : 0;
    out->has_student = st_n > 0;
    if (out->has_student)
        out->student = wilson(st_k, st_n);
    free(num);
    free(den);
}
