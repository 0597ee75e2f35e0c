/*
 * The market as every probability sees it: R replications of each program's
 * interview threshold and match cutoff, and a student's list evaluated against them
 * (smartpick/model/market.h).
 */
#include "smartpick/model/market.h"

#include "sp_alloc.h"

#include <assert.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "banned.h"

/* Rows of n_programs 16-bit codes, replication-major; about 4.4 MB each for 500
 * replications of the bundled catalog. */
#define MARKET_MAX_CELLS ((size_t)1 << 28)

#define KEY_UNIT 256.0

struct sp_market {
    size_t n_reps, n_progs;
    struct sp_market_behaviour b;
    int16_t *thr; /* [r * n_progs + j], sp_market_key_code */
    int16_t *cut;
    double *counts;   /* [j * 3 + 0..2]: positions, filled, interviews */
    int16_t *thr_rep; /* [j * SP_MARKET_STRATA + m]: the fast form's representatives */
    int16_t *cut_rep;
    bool *known;
    /* sp_market_prepare: e^(key / noise) of every representative, so the fast form
     * takes one exp per program and node instead of one per stratum. */
    double *e_thr_rep, *e_cut_rep;
};

int16_t sp_market_key_code(float key)
{
    double x;

    if (key == HUGE_VALF)
        return INT16_MAX;
    if (key == -HUGE_VALF)
        return INT16_MIN;
    x = nearbyint((double)key * KEY_UNIT);
    /* Finite keys stay finite: +-127.99 is far outside any key the market makes. */
    if (!(x < INT16_MAX - 1))
        x = INT16_MAX - 1;
    if (!(x > INT16_MIN + 1))
        x = INT16_MIN + 1;
    return (int16_t)x;
}

float sp_market_key_of(int16_t code)
{
    if (code == INT16_MAX)
        return HUGE_VALF;
    if (code == INT16_MIN)
        return -HUGE_VALF;
    return (float)(code / KEY_UNIT);
}

int sp_market_new(sp_market **out, size_t n_reps, size_t n_programs,
                  const struct sp_market_behaviour *b, struct sp_err *err)
{
    sp_market *mk;

    *out = NULL;
    if (n_reps == 0 || n_programs == 0 || n_reps > MARKET_MAX_CELLS / n_programs)
        return sp_err_set(err, SP_ERANGE,
                          "market: %zu replications x %zu programs: must be 1 to %zu cells", n_reps,
                          n_programs, MARKET_MAX_CELLS);
    mk = sp_xcalloc(1, sizeof(*mk));
    mk->n_reps = n_reps;
    mk->n_progs = n_programs;
    mk->b = *b;
    mk->thr = sp_xmalloc(n_reps * n_programs * sizeof(int16_t));
    mk->cut = sp_xmalloc(n_reps * n_programs * sizeof(int16_t));
    for (size_t i = 0; i < n_reps * n_programs; i++) {
        mk->thr[i] = INT16_MAX;
        mk->cut[i] = INT16_MAX;
    }
    mk->counts = sp_xcalloc(n_programs * 3, sizeof(double));
    mk->known = sp_xmalloc(n_programs * sizeof(bool));
    for (size_t j = 0; j < n_programs; j++)
        mk->known[j] = true;
    mk->thr_rep = sp_xmalloc(n_programs * SP_MARKET_STRATA * sizeof(int16_t));
    mk->cut_rep = sp_xmalloc(n_programs * SP_MARKET_STRATA * sizeof(int16_t));
    for (size_t i = 0; i < n_programs * SP_MARKET_STRATA; i++) {
        mk->thr_rep[i] = INT16_MAX;
        mk->cut_rep[i] = INT16_MAX;
    }
    *out = mk;
    return 0;
}

void sp_market_free(sp_market *mk)
{
    if (!mk)
        return;
    free(mk->thr);
    free(mk->cut);
    free(mk->counts);
    free(mk->known);
    free(mk->e_thr_rep);
    free(mk->e_cut_rep);
    free(mk->thr_rep);
    free(mk->cut_rep);
    free(mk);
}

size_t sp_market_replications(const sp_market *mk)
{
    return mk->n_reps;
}

const struct sp_market_behaviour *sp_market_behaviour(const sp_market *mk)
{
    return &mk->b;
}

void sp_market_set_row(sp_market *mk, size_t r, const float *thresholds, const float *cutoffs)
{
    for (size_t j = 0; j < mk->n_progs; j++) {
        mk->thr[r * mk->n_progs + j] = sp_market_key_code(thresholds[j]);
        mk->cut[r * mk->n_progs + j] = sp_market_key_code(cutoffs[j]);
    }
}

float sp_market_threshold(const sp_market *mk, size_t r, size_t program)
{
    return sp_market_key_of(mk->thr[r * mk->n_progs + program]);
}

float sp_market_cutoff(const sp_market *mk, size_t r, size_t program)
{
    return sp_market_key_of(mk->cut[r * mk->n_progs + program]);
}

int16_t *sp_market_codes(sp_market *mk, bool cutoffs)
{
    return cutoffs ? mk->cut : mk->thr;
}

const int16_t *sp_market_codes_of(const sp_market *mk, bool cutoffs)
{
    return cutoffs ? mk->cut : mk->thr;
}

int16_t *sp_market_strata_codes(sp_market *mk, bool cutoffs)
{
    return cutoffs ? mk->cut_rep : mk->thr_rep;
}

const int16_t *sp_market_strata_codes_of(const sp_market *mk, bool cutoffs)
{
    return cutoffs ? mk->cut_rep : mk->thr_rep;
}

bool sp_market_knows(const sp_market *mk, size_t program)
{
    return program < mk->n_progs && mk->known[program];
}

void sp_market_set_known(sp_market *mk, size_t program, bool known)
{
    mk->known[program] = known;
}

void sp_market_set_counts(sp_market *mk, size_t program, double positions, double filled,
                          double interviews)
{
    mk->counts[program * 3] = positions;
    mk->counts[program * 3 + 1] = filled;
    mk->counts[program * 3 + 2] = interviews;
}

void sp_market_counts(double *positions, double *filled, double *interviews, const sp_market *mk,
                      size_t program)
{
    *positions = mk->counts[program * 3];
    *filled = mk->counts[program * 3 + 1];
    *interviews = mk->counts[program * 3 + 2];
}

void sp_market_app_init(struct sp_market_app *out, const struct sp_model *m, size_t program,
                        enum sp_specialty k, double strength, enum sp_applicant_type t,
                        const struct sp_program_effects *fx, enum sp_signal signal, double share)
{
    double s = strength + m->spec[k].market_shift[t];
    double gi = (fx->geo ? m->geo.interview : 0.0) + (fx->in_state ? m->in_state.interview : 0.0) +
                (fx->home ? m->home.interview : 0.0) + (fx->away ? m->away.interview : 0.0);
    double gm = (fx->geo ? m->geo.match : 0.0) + (fx->in_state ? m->in_state.match : 0.0) +
                (fx->home ? m->home.match : 0.0) + (fx->away ? m->away.match : 0.0);

    memset(out, 0, sizeof(*out));
    out->program = program;
    out->k = k;
    out->interview[SP_SIGNAL_NONE] = s + gi;
    out->match[SP_SIGNAL_NONE] = m->lambda * s + gm;
    for (int level = SP_SIGNAL_SILVER; level <= SP_SIGNAL_GOLD; level++) {
        struct sp_effect sig = sp_model_signal(m, k, (enum sp_signal)level);
        out->interview[level] = s + gi + sig.interview;
        out->match[level] = m->lambda * s + gm + sig.match;
    }
    out->f_signal[signal] = 1.0;
    out->share = share;
}

/* logistic((k - T) / scale) = 1 / (1 + e^(-k/scale) e^(T/scale)): the two factors
 * apart, so a key against many thresholds costs one exp for the key. Exponents are
 * clamped to +-700 (finite doubles); a coded infinity gives 0 or +inf. */
static double key_factor(double key, double scale)
{
    double x = -key / scale;

    return exp(x > 700 ? 700 : x < -700 ? -700 : x);
}

static double threshold_factor(int16_t code, double scale)
{
    double x;

    if (code == INT16_MAX)
        return INFINITY;
    if (code == INT16_MIN)
        return 0.0;
    x = code / KEY_UNIT / scale;
    return exp(x > 700 ? 700 : x < -700 ? -700 : x);
}

/* P from the two factors: 0 against an infinite threshold, 1 against none. */
static double clears_f(double a, double t)
{
    if (t == INFINITY)
        return 0.0;
    return 1.0 / (1.0 + a * t);
}

/* The factors of every application's keys at every node and signal:
 * f[((i * 3 + sg) * nq + x) * 2 + 0] for the interview key, + 1 for the rank key. */
static double *key_factors(const sp_market *mk, const struct sp_market_app *apps, size_t n,
                           const struct sp_quadrature *q, double shift)
{
    size_t nq = (size_t)q->n;
    double *f = sp_xmalloc((n ? n : 1) * 3 * nq * 2 * sizeof(double));

    for (size_t i = 0; i < n; i++) {
        const struct sp_market_app *a = &apps[i];
        double si = mk->b.interview_noise[a->k], sm = mk->b.rank_noise[a->k];
        for (size_t sg = 0; sg < 3; sg++) {
            for (size_t x = 0; x < nq; x++) {
                double *at = &f[((i * 3 + sg) * nq + x) * 2];
                if (a->f_signal[sg] <= 0)
                    continue;
                at[0] = key_factor(a->interview[sg] + shift + q->e[x], si);
                at[1] = key_factor(a->match[sg] + mk->b.lambda * (shift + q->e[x]), sm);
            }
        }
    }
    return f;
}

void sp_market_list_variants(const struct sp_market_variant *v, size_t m, const sp_market *mk,
                             size_t n, const struct sp_market_eval *ev)
{
    size_t n_reps = ev->n_reps && ev->n_reps < mk->n_reps ? ev->n_reps : mk->n_reps;
    const struct sp_quadrature *q = ev->q;
    size_t nq = (size_t)q->n;
    double **f = sp_xcalloc(m ? m : 1, sizeof(double *));
    double *none = sp_xmalloc((m ? m : 1) * nq * sizeof(double));

    for (size_t u = 0; u < m; u++) {
        f[u] = key_factors(mk, v[u].apps, n, q, ev->shift);
        *v[u].any = 0;
        if (v[u].expected_interviews)
            *v[u].expected_interviews = 0;
        if (v[u].p_end)
            memset(v[u].p_end, 0, n * sizeof(double));
        if (v[u].p_interview)
            memset(v[u].p_interview, 0, n * sizeof(double));
    }
    for (size_t r = 0; r < n_reps; r++) {
        for (size_t x = 0; x < m * nq; x++)
            none[x] = 1.0;
        for (size_t i = 0; i < n; i++) {
            /* the replication's two thresholds, once for every variant, node and signal */
            const struct sp_market_app *a0 = &v[0].apps[i];
            size_t at = r * mk->n_progs + a0->program;
            double t = threshold_factor(mk->thr[at], mk->b.interview_noise[a0->k]);
            double c = threshold_factor(mk->cut[at], mk->b.rank_noise[a0->k]);
            for (size_t u = 0; u < m; u++) {
                const struct sp_market_app *a = &v[u].apps[i];
                for (size_t x = 0; x < nq; x++) {
                    double w = q->w[x] / (double)n_reps, p = 0, pi = 0, *nx = &none[u * nq + x];
                    for (size_t sg = 0; sg < 3; sg++) {
                        const double *k = &f[u][((i * 3 + sg) * nq + x) * 2];
                        double iv;
                        if (a->f_signal[sg] <= 0)
                            continue;
                        iv = clears_f(k[0], t);
                        pi += a->f_signal[sg] * iv;
                        p += a->f_signal[sg] * iv * clears_f(k[1], c);
                    }
                    p *= a->share;
                    pi *= a->share;
                    if (v[u].p_end)
                        v[u].p_end[i] += w * *nx * p;
                    if (v[u].p_interview)
                        v[u].p_interview[i] += w * pi;
                    if (v[u].expected_interviews)
                        *v[u].expected_interviews += w * pi;
                    *nx *= 1.0 - p;
                }
            }
        }
        for (size_t u = 0; u < m; u++) {
            for (size_t x = 0; x < nq; x++)
                *v[u].any += q->w[x] / (double)n_reps * (1.0 - none[u * nq + x]);
        }
    }
    for (size_t u = 0; u < m; u++)
        free(f[u]);
    free(f);
    free(none);
}

double sp_market_list(double *p_end, double *p_interview, const sp_market *mk,
                      const struct sp_market_app *apps, size_t n, const struct sp_market_eval *ev,
                      double *expected_interviews)
{
    double any;
    struct sp_market_variant v = {apps, p_end, p_interview, &any, expected_interviews};

    sp_market_list_variants(&v, 1, mk, n, ev);
    return any;
}

struct rep_key {
    int16_t thr, cut;
};

/* Total order on (threshold, cutoff), infinities included. */
static int by_keys(const void *va, const void *vb)
{
    const struct rep_key *a = va, *b = vb;

    if (a->thr != b->thr)
        return a->thr < b->thr ? -1 : 1;
    if (a->cut != b->cut)
        return a->cut < b->cut ? -1 : 1;
    return 0;
}

void sp_market_finish(sp_market *mk)
{
    struct rep_key *keys = sp_xmalloc(mk->n_reps * sizeof(*keys));

    for (size_t j = 0; j < mk->n_progs; j++) {
        for (size_t r = 0; r < mk->n_reps; r++)
            keys[r] = (struct rep_key){mk->thr[r * mk->n_progs + j], mk->cut[r * mk->n_progs + j]};
        qsort(keys, mk->n_reps, sizeof(*keys), by_keys);
        for (size_t m = 0; m < SP_MARKET_STRATA; m++) {
            /* the middle of stratum m of n_reps / SP_MARKET_STRATA replications */
            size_t at = ((2 * m + 1) * mk->n_reps) / (2 * SP_MARKET_STRATA);
            mk->thr_rep[j * SP_MARKET_STRATA + m] = keys[at].thr;
            mk->cut_rep[j * SP_MARKET_STRATA + m] = keys[at].cut;
        }
    }
    free(keys);
}

void sp_market_prepare(sp_market *mk, const sp_catalog *cat)
{
    size_t n;
    const struct sp_program *progs = sp_catalog_programs(cat, &n);

    free(mk->e_thr_rep);
    free(mk->e_cut_rep);
    mk->e_thr_rep = sp_xmalloc(mk->n_progs * SP_MARKET_STRATA * sizeof(double));
    mk->e_cut_rep = sp_xmalloc(mk->n_progs * SP_MARKET_STRATA * sizeof(double));
    for (size_t j = 0; j < mk->n_progs; j++) {
        enum sp_specialty k = j < n ? progs[j].specialty : SP_SPEC_IM;
        for (size_t m = 0; m < SP_MARKET_STRATA; m++) {
            size_t at = j * SP_MARKET_STRATA + m;
            mk->e_thr_rep[at] = threshold_factor(mk->thr_rep[at], mk->b.interview_noise[k]);
            mk->e_cut_rep[at] = threshold_factor(mk->cut_rep[at], mk->b.rank_noise[k]);
        }
    }
}

double sp_market_app_p_fast(double *p_interview, const sp_market *mk, const struct sp_market_app *a,
                            double e, enum sp_signal s, double shift)
{
    /* one exp per key, the representatives' factors from sp_market_prepare's table */
    const double *t = mk->e_thr_rep + a->program * SP_MARKET_STRATA;
    const double *c = mk->e_cut_rep + a->program * SP_MARKET_STRATA;
    double ai = key_factor(a->interview[s] + shift + e, mk->b.interview_noise[a->k]);
    double am = key_factor(a->match[s] + mk->b.lambda * (shift + e), mk->b.rank_noise[a->k]);
    double pi = 0, p = 0;

    assert(mk->e_thr_rep); /* sp_market_prepare ran */
    for (size_t m = 0; m < SP_MARKET_STRATA; m++) {
        double i = clears_f(ai, t[m]);
        pi += i;
        p += i * clears_f(am, c[m]);
    }
    if (p_interview)
        *p_interview = pi / SP_MARKET_STRATA;
    return p / SP_MARKET_STRATA;
}

double sp_market_list_fast(const sp_market *mk, const struct sp_market_app *apps, size_t n,
                           const struct sp_quadrature *q, double shift, double *expected_interviews)
{
    double any = 0, ivw = 0;

    for (int x = 0; x < q->n; x++) {
        double log_none = 0;
        for (size_t i = 0; i < n; i++) {
            const struct sp_market_app *a = &apps[i];
            double p = 0, pi = 0, sh = a->share;
            for (int s = 0; s < 3; s++) {
                double ps, pis;
                if (a->f_signal[s] <= 0)
                    continue;
                ps = sp_market_app_p_fast(&pis, mk, a, q->e[x], (enum sp_signal)s, shift);
                p += a->f_signal[s] * ps;
                pi += a->f_signal[s] * pis;
            }
            p = p < 1 ? p : 1 - 1e-15;
            /* A program on the list with probability sh misses with 1 - sh p. */
            if (sh > 0)
                log_none += log1p(-sh * p);
            ivw += q->w[x] * sh * pi;
        }
        any += q->w[x] * (1.0 - exp(log_none));
    }
    if (expected_interviews)
        *expected_interviews = ivw;
    return any;
}
