/*
 * Assessment: P(match) per specialty at the typical number of applications, the
 * 80% interval, the tier, the factors behind the number and the changes that
 * would raise it most.
 */
#include "smartpick/model/assess.h"
#include "smartpick/model/market.h"
#include "smartpick/model/utility.h"

#include "sp_alloc.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "banned.h"

#define Z80 1.2815515655446004 /* 90th percentile of N(0,1) */

static double p_item(const struct sp_model *m, const struct sp_list_item *it, double e,
                     double shift)
{
    struct sp_app_logits l;
    double f_none = 1.0 - it->f_gold - it->f_silver;
    double p = 0;

    l.interview = it->none.interview + shift;
    l.match = it->none.match + m->lambda * shift;
    if (f_none > 0)
        p += f_none * sp_model_p_app(m, &l, e);
    if (it->f_gold > 0) {
        l.interview = it->gold.interview + shift;
        l.match = it->gold.match + m->lambda * shift;
        p += it->f_gold * sp_model_p_app(m, &l, e);
    }
    if (it->f_silver > 0) {
        l.interview = it->silver.interview + shift;
        l.match = it->silver.match + m->lambda * shift;
        p += it->f_silver * sp_model_p_app(m, &l, e);
    }
    return p;
}

double sp_list_p_match(const struct sp_model *m, const struct sp_quadrature *q,
                       const struct sp_list_item *items, size_t n, double shift)
{
    double total = 0;

    for (int i = 0; i < q->n; i++) {
        double log_none = 0;
        for (size_t j = 0; j < n; j++) {
            if (items[j].weight <= 0)
                continue;
            double p = p_item(m, &items[j], q->e[i], shift), sh = items[j].share;
            p = p < 1 ? p : 1 - 1e-15;
            /* A program on the list with probability sh misses with 1 - sh p: the
             * mean over lists, not the geometric mean (1 - p)^sh. */
            if (sh > 0 && sh < 1)
                log_none += items[j].weight / sh * log1p(-sh * p);
            else
                log_none += items[j].weight * log1p(-p);
        }
        total += q->w[i] * (1.0 - exp(log_none));
    }
    return total;
}

static double logistic(double x)
{
    return 1.0 / (1.0 + exp(-x));
}

double sp_list_expected_interviews(const struct sp_model *m, const struct sp_quadrature *q,
                                   const struct sp_list_item *items, size_t n, double shift)
{
    double total = 0;

    for (int i = 0; i < q->n; i++) {
        double sum = 0;
        for (size_t j = 0; j < n; j++) {
            const struct sp_list_item *it = &items[j];
            double f_none = 1.0 - it->f_gold - it->f_silver;
            double e = q->e[i] + shift;
            sum += it->weight * (f_none * logistic(it->none.interview + e) +
                                 it->f_gold * logistic(it->gold.interview + e) +
                                 it->f_silver * logistic(it->silver.interview + e));
        }
        total += q->w[i] * sum;
    }
    (void)m;
    return total;
}

/* Order on what two items must share to merge: logits, signal shares, share. */
static int merge_order(const struct sp_list_item *a, const struct sp_list_item *b)
{
    const double ka[9] = {a->none.interview,   a->none.match, a->gold.interview,
                          a->gold.match,       a->silver.interview, a->silver.match,
                          a->f_gold,           a->f_silver,   a->share};
    const double kb[9] = {b->none.interview,   b->none.match, b->gold.interview,
                          b->gold.match,       b->silver.interview, b->silver.match,
                          b->f_gold,           b->f_silver,   b->share};

    for (int i = 0; i < 9; i++) {
        if (ka[i] != kb[i])
            return ka[i] < kb[i] ? -1 : 1;
    }
    return 0;
}

/* A total order (the weight last), so the merged sums do not depend on how the
 * C library's qsort places equal keys. */
static int item_order(const void *va, const void *vb)
{
    const struct sp_list_item *a = va, *b = vb;
    int c = merge_order(a, b);

    if (c)
        return c;
    return (a->weight > b->weight) - (a->weight < b->weight);
}

/* Merge items with identical logits, signal shares and list share by adding
 * their weights: the terms of sp_list_p_match and of the expected interviews are
 * linear in the weight. Many programs share a selectivity, so lists shrink
 * several-fold. */
static size_t compact(struct sp_list_item *items, size_t n)
{
    size_t out = 0;

    if (!n)
        return 0;
    qsort(items, n, sizeof(*items), item_order);
    for (size_t i = 1; i < n; i++) {
        if (merge_order(&items[out], &items[i]) == 0)
            items[out].weight += items[i].weight;
        else
            items[++out] = items[i];
    }
    return out + 1;
}

/* A program of a typical list while it is built (for the reference applicant,
 * the programs of one selectivity in one of its geography classes): the programs
 * it stands for (mass), the applicant's weight for it in choosing where to apply
 * (0 for a home or away program, which is always on the list), its fit term, what
 * a signal adds to fit x P(interview) at e = 0 (gold's, then silver's: the key
 * signals are placed by), and its item. */
struct pick {
    double mass, w, fit, gain;
    double p_none; /* P(interview) at e = 0 without a signal */
    bool fixed;
    struct sp_list_item *item;
};

/* The scale c with sum_j mass_j min(1, c w_j) = target over the picks with
 * w_j > 0 (0 < target < their mass): the fixed point of c = (target - capped
 * mass) / (sum of the uncapped mass x w), which rises from target / sum mass x w
 * and stops when the capped set no longer changes (as core/sim/sim_rep.c's
 * capped_scale, in double). The capped set only grows, so n + 1 rounds suffice. */
static double capped_scale(const struct pick *pk, size_t n, double target)
{
    double c = 0;

    for (size_t round = 0; round <= n; round++) {
        double rest = 0, capped = 0, next;
        for (size_t j = 0; j < n; j++) {
            if (pk[j].w <= 0)
                continue;
            if (c > 0 && c * pk[j].w >= 1)
                capped += pk[j].mass;
            else
                rest += pk[j].mass * pk[j].w;
        }
        if (!(rest > 0) || capped >= target)
            break;
        next = (target - capped) / rest;
        if (next == c)
            break;
        c = next;
    }
    return c;
}

/* Largest gain first; ties in list order. */
static int by_signal_gain(const void *va, const void *vb)
{
    const struct pick *a = va, *b = vb;

    if (a->gain != b->gain)
        return a->gain < b->gain ? 1 : -1;
    return (a->item > b->item) - (a->item < b->item);
}

/* Each pick's gain from a signal with these logits (item's gold or silver). */
static void signal_gains(struct pick *pk, size_t n, bool gold)
{
    for (size_t j = 0; j < n; j++) {
        const struct sp_list_item *it = pk[j].item;
        double with = gold ? it->gold.interview : it->silver.interview;
        pk[j].gain = pk[j].fit * (logistic(with) - pk[j].p_none);
    }
}

/* A binary max-heap of picks in signal order (by_signal_gain: largest gain first,
 * ties in list order): the signals take the first few picks, so they are popped in
 * order instead of sorting every pick. */
static void sift_down(struct pick **h, size_t n, size_t i)
{
    for (;;) {
        size_t l = 2 * i + 1, r = l + 1, top = i;
        if (l < n && by_signal_gain(h[l], h[top]) < 0)
            top = l;
        if (r < n && by_signal_gain(h[r], h[top]) < 0)
            top = r;
        if (top == i)
            return;
        struct pick *t = h[i];
        h[i] = h[top];
        h[top] = t;
        i = top;
    }
}

static void heap_make(struct pick **h, struct pick *pk, size_t n)
{
    for (size_t j = 0; j < n; j++)
        h[j] = &pk[j];
    for (size_t j = n / 2; j-- > 0;)
        sift_down(h, n, j);
}

static struct pick *heap_pop(struct pick **h, size_t *n)
{
    struct pick *top = h[0];

    h[0] = h[--*n];
    sift_down(h, *n, 0);
    return top;
}

/* Signals as the simulator's applicants place them (core/sim/sim_rep.c place_signals):
 * gold where a gold signal adds most to fit x P(interview), then silver where
 * silver does among the rest. On an expected list an item takes a signal on all
 * its expected applications (f = 1) down the order of gain until the expected
 * signals reach the count; the last one takes a share. */
static void place_signals(struct pick *pk, size_t n, double gold, double silver)
{
    struct pick **h = sp_xcalloc(n + 1, sizeof(*h));
    size_t left;

    for (size_t j = 0; j < n; j++) {
        pk[j].item->f_gold = 0;
        pk[j].item->f_silver = 0;
    }
    signal_gains(pk, n, true);
    heap_make(h, pk, left = n);
    while (left > 0 && gold > 0) {
        struct sp_list_item *it = heap_pop(h, &left)->item;
        double take = fmin(it->weight, gold);
        if (it->weight <= 0)
            continue;
        it->f_gold = take / it->weight;
        gold -= take;
    }
    signal_gains(pk, n, false);
    heap_make(h, pk, left = n);
    while (left > 0 && silver > 0) {
        struct sp_list_item *it = heap_pop(h, &left)->item;
        double room = it->weight * (1.0 - it->f_gold), take = fmin(room, silver);
        if (room <= 0)
            continue;
        it->f_silver = take / it->weight;
        silver -= take;
    }
    free(h);
}

/* One item of program prog (selectivity qj) with effects fx standing for mass
 * programs: its logits, its fit (the profile's, or the reference's from fx), and
 * its weight in choosing (0 when it is always applied to: home or away).
 * Returns whether it is always applied to. */
static bool fill_pick(struct pick *pk, struct sp_list_item *it, const struct sp_model *m,
                      const struct sp_profile *p, const struct sp_program *prog,
                      enum sp_specialty k, double strength, double qj,
                      const struct sp_program_effects *fx, double mass)
{
    sp_model_logits(&it->none, m, k, strength, qj, fx, SP_SIGNAL_NONE);
    sp_model_logits(&it->silver, m, k, strength, qj, fx, SP_SIGNAL_SILVER);
    sp_model_logits(&it->gold, m, k, strength, qj, fx, SP_SIGNAL_GOLD);
    pk->item = it;
    pk->mass = mass;
    pk->fit = p ? sp_utility_program(p, prog, 0) : sp_utility_fit_geography(fx);
    double den = 1.0 + exp(-it->none.interview);
    /* logistic(none.interview), bit for bit where doubles are evaluated in double
     * precision (FLT_EVAL_METHOD 0: x86-64, aarch64) */
    pk->p_none = 1.0 / den;
    pk->w = 0;
    pk->fixed = fx->home || fx->away;
    it->weight = mass;
    it->share = 1;
    if (pk->fixed)
        return true;
    /* fit x prestige x P(interview at e = 0), as the simulator's applicants weigh */
    pk->w = pk->fit * exp(SP_APPLICATION_PRESTIGE * qj) / den;
    return false;
}

/* The reference applicant's geography classes: in a preferred division and in
 * state (the home state lies in a preferred division), in a preferred division
 * only, neither; each with its share of programs. */
static size_t reference_classes(struct sp_program_effects *fx, double *share,
                                const struct sp_model *m)
{
    const struct sp_program_effects in_state = {true, true, false, false},
                                     geo = {true, false, false, false},
                                     none = {false, false, false, false};

    fx[0] = in_state;
    share[0] = m->ref_share_in_state;
    fx[1] = geo;
    share[1] = fmax(0.0, m->ref_share_geo - share[0]);
    fx[2] = none;
    share[2] = 1.0 - share[0] - share[1];
    return SP_TYPICAL_CLASSES;
}

static int by_value(const void *va, const void *vb)
{
    double a = *(const double *)va, b = *(const double *)vb;

    return (a > b) - (a < b);
}

/* Add the pick of program prog (NULL: a group of the reference's) to pk. */
static void add_pick(struct pick *pk, size_t *n_pick, double *fixed, double *free_mass,
                     struct sp_list_item *items, const struct sp_model *m,
                     const struct sp_profile *p, const struct sp_program *prog,
                     enum sp_specialty k, double strength, double qj,
                     const struct sp_program_effects *fx, double mass)
{
    if (mass <= 0)
        return;
    if (fill_pick(&pk[*n_pick], &items[*n_pick], m, p, prog, k, strength, qj, fx, mass))
        *fixed += mass;
    else
        *free_mass += mass;
    (*n_pick)++;
}

/* sp_typical_list before merging: one item per program of k in catalog order when p
 * is given (per selectivity and class for the reference). Returns the count. */
static size_t typical_items(struct sp_list_item *items, const struct sp_model *m,
                            const sp_catalog *cat, const double *q, const struct sp_profile *p,
                            enum sp_specialty k, double strength, int n_apps, int signals_gold,
                            int signals_silver)
{
    size_t n_all, n_prog, n_pick = 0;
    const struct sp_program *base = sp_catalog_programs(cat, &n_all);
    const struct sp_program *const *progs = sp_catalog_by_specialty(cat, k, &n_prog);
    double fixed = 0, free_mass = 0, c;
    double apps = n_apps < (int)n_prog ? n_apps : (double)n_prog;
    struct pick *pk = sp_xcalloc(n_prog * SP_TYPICAL_CLASSES + 1, sizeof(*pk));

    if (p) {
        for (size_t j = 0; j < n_prog; j++) {
            struct sp_program_effects fx;
            sp_model_program_effects(&fx, p, progs[j]);
            add_pick(pk, &n_pick, &fixed, &free_mass, items, m, p, progs[j], k, strength,
                     q[progs[j] - base], &fx, 1.0);
        }
    } else {
        /* The reference sees a program through its selectivity and geography class
         * only: one pick per distinct selectivity and class, its mass the programs
         * of that selectivity times the class's share. */
        struct sp_program_effects cls[SP_TYPICAL_CLASSES];
        double cls_share[SP_TYPICAL_CLASSES];
        size_t n_cls = reference_classes(cls, cls_share, m);
        double *qs = sp_xcalloc(n_prog + 1, sizeof(*qs));
        for (size_t j = 0; j < n_prog; j++)
            qs[j] = q[progs[j] - base];
        qsort(qs, n_prog, sizeof(*qs), by_value);
        for (size_t j = 0, r; j < n_prog; j = r) {
            for (r = j + 1; r < n_prog && qs[r] == qs[j]; r++)
                ;
            for (size_t x = 0; x < n_cls; x++)
                add_pick(pk, &n_pick, &fixed, &free_mass, items, m, NULL, NULL, k, strength,
                         qs[j], &cls[x], (double)(r - j) * cls_share[x]);
        }
        free(qs);
    }
    if (fixed > apps)
        apps = fixed;
    c = apps - fixed >= free_mass ? HUGE_VAL
        : apps > fixed            ? capped_scale(pk, n_pick, apps - fixed)
                                  : 0;
    for (size_t j = 0; j < n_pick; j++) {
        struct sp_list_item *it = pk[j].item;
        double pi = pk[j].fixed ? 1.0 : pk[j].w > 0 ? fmin(1.0, c * pk[j].w) : 0;
        it->share = pi;
        it->weight = pk[j].mass * pi;
    }
    place_signals(pk, n_pick, fmin((double)signals_gold, apps), fmin((double)signals_silver, apps));
    free(pk);
    return n_pick;
}

size_t sp_typical_list(struct sp_list_item *items, const struct sp_model *m,
                       const sp_catalog *cat, const double *q, const struct sp_profile *p,
                       enum sp_specialty k, double strength, int n_apps, int signals_gold,
                       int signals_silver)
{
    return compact(items, typical_items(items, m, cat, q, p, k, strength, n_apps, signals_gold,
                                        signals_silver));
}

size_t sp_typical_market_list(struct sp_market_app *apps, const struct sp_model *m,
                              const sp_catalog *cat, const double *q, const struct sp_profile *p,
                              enum sp_specialty k, double strength, int n_apps, int signals_gold,
                              int signals_silver)
{
    size_t n_all, n_prog, n;
    const struct sp_program *base = sp_catalog_programs(cat, &n_all);
    const struct sp_program *const *progs = sp_catalog_by_specialty(cat, k, &n_prog);
    struct sp_list_item *items = sp_xcalloc(n_prog ? n_prog : 1, sizeof(*items));

    n = typical_items(items, m, cat, q, p, k, strength, n_apps, signals_gold, signals_silver);
    for (size_t j = 0; j < n; j++) {
        struct sp_program_effects fx;
        sp_model_program_effects(&fx, p, progs[j]);
        sp_market_app_init(&apps[j], m, (size_t)(progs[j] - base), k, strength, p->applicant_type, &fx,
                           SP_SIGNAL_NONE, items[j].share);
        apps[j].f_signal[SP_SIGNAL_GOLD] = items[j].f_gold;
        apps[j].f_signal[SP_SIGNAL_SILVER] = items[j].f_silver;
        apps[j].f_signal[SP_SIGNAL_NONE] = 1.0 - items[j].f_gold - items[j].f_silver;
    }
    free(items);
    return n;
}

static const char *const tier_codes[] = {"highly_competitive", "moderately_competitive",
                                         "at_risk"};
static const char *const tier_labels[] = {"highly competitive", "moderately competitive",
                                          "at-risk"};

const char *sp_tier_code(enum sp_tier t)
{
    return (unsigned)t <= SP_TIER_AT_RISK ? tier_codes[t] : "?";
}

const char *sp_tier_label(enum sp_tier t)
{
    return (unsigned)t <= SP_TIER_AT_RISK ? tier_labels[t] : "?";
}

enum sp_tier sp_model_tier(const struct sp_model *m, double p_match)
{
    if (p_match >= m->tier_high)
        return SP_TIER_HIGH;
    if (p_match >= m->tier_moderate)
        return SP_TIER_MODERATE;
    return SP_TIER_AT_RISK;
}

/* Signals this profile can put on specialty k: DR and IR share one pool, split
 * evenly when the student applies to both. */
static void signals_for(int *gold, int *silver, const struct sp_model *m,
                        const struct sp_profile *p, enum sp_specialty k)
{
    bool ir = false, dr = false;

    *gold = m->spec[k].signals_gold;
    *silver = m->spec[k].signals_silver;
    for (size_t i = 0; i < p->n_specialties; i++) {
        ir |= p->specialties[i] == SP_SPEC_IR;
        dr |= p->specialties[i] == SP_SPEC_DR;
    }
    if ((k == SP_SPEC_IR || k == SP_SPEC_DR) && ir && dr) {
        *gold /= 2;
        *silver /= 2;
    }
}

struct evaluator {
    const struct sp_model *m;
    const sp_catalog *cat;
    const double *q;
    struct sp_quadrature quad;
    struct sp_list_item *items;
    /* The list in items was built for this profile, specialty, count and shift
     * (only for calls that may reuse it: the same unchanged profile). */
    const struct sp_profile *list_p;
    enum sp_specialty list_k;
    int list_apps;
    double list_shift;
    size_t n_items;
    struct sp_market_app *apps; /* with a market: the typical list as the market sees it */
};

/* The rule over the student's latent term: the model's, or with a market 8 nodes (the
 * fast form already averages 16 representative replications at every node; 8 nodes move
 * the examples' P(match) by at most 0.02 points and halve the work). */
static int market_quadrature(struct sp_quadrature *q, const struct sp_model *m)
{
    return m->market ? sp_quadrature_init(q, 8, m->sigma) : sp_model_quadrature(q, m);
}

/* eval_p_list against the market: the typical list program by program, each on it
 * with its share, evaluated by the market's fast form. */
static double eval_p_market(struct evaluator *ev, const struct sp_profile *p, enum sp_specialty k,
                            int n_apps, double shift, double *interviews)
{
    struct sp_strength s;
    int gold, silver;
    size_t n;

    sp_model_strength(&s, ev->m, p, k);
    signals_for(&gold, &silver, ev->m, p, k);
    n = sp_typical_market_list(ev->apps, ev->m, ev->cat, ev->q, p, k, s.value + shift, n_apps,
                               gold, silver);
    return sp_market_list_fast(ev->m->market, ev->apps, n, &ev->quad, 0, interviews);
}

/* P(match) in k with n_apps applications when the profile's strength is shifted
 * by shift, on the typical list a student of that strength sends (the list
 * targets by strength, so a shifted strength has its own list, as in the
 * calibration). reuse: p is the caller's unchanged profile, so a list built for
 * the same p, k, n_apps and shift can serve again; the numbers are those of a
 * fresh list. */
static double eval_p_list(struct evaluator *ev, const struct sp_profile *p, enum sp_specialty k,
                          int n_apps, double shift, double *interviews, bool reuse)
{
    struct sp_strength s;
    int gold, silver;
    size_t n;

    if (ev->m->market)
        return eval_p_market(ev, p, k, n_apps, shift, interviews);
    if (reuse && ev->list_p == p && ev->list_k == k && ev->list_apps == n_apps &&
        ev->list_shift == shift) {
        n = ev->n_items;
    } else {
        sp_model_strength(&s, ev->m, p, k);
        signals_for(&gold, &silver, ev->m, p, k);
        n = sp_typical_list(ev->items, ev->m, ev->cat, ev->q, p, k, s.value + shift, n_apps, gold,
                            silver);
        ev->list_p = reuse ? p : NULL;
        ev->list_k = k;
        ev->list_apps = n_apps;
        ev->list_shift = shift;
        ev->n_items = n;
    }
    if (interviews)
        *interviews = sp_list_expected_interviews(ev->m, &ev->quad, ev->items, n, 0);
    return sp_list_p_match(ev->m, &ev->quad, ev->items, n, 0);
}

static double eval_p(struct evaluator *ev, const struct sp_profile *p, enum sp_specialty k,
                     int n_apps, double shift, double *interviews)
{
    return eval_p_list(ev, p, k, n_apps, shift, interviews, false);
}

double sp_assess_p_match(const struct sp_model *m, const sp_catalog *cat, const double *q,
                         const struct sp_profile *p, enum sp_specialty k, int n_apps,
                         double shift)
{
    size_t n_prog;
    struct evaluator ev = {.m = m, .cat = cat, .q = q, .list_k = SP_SPEC_IR};
    double r;

    sp_catalog_by_specialty(cat, k, &n_prog);
    if (market_quadrature(&ev.quad, m))
        return NAN;
    ev.items = sp_xcalloc(n_prog ? n_prog : 1, sizeof(*ev.items));
    ev.apps = sp_xcalloc(n_prog ? n_prog : 1, sizeof(*ev.apps));
    r = eval_p(&ev, p, k, n_apps, shift, NULL);
    free(ev.items);
    free(ev.apps);
    return r;
}

static void add_improvement(struct sp_assessment *out, struct evaluator *ev,
                            const struct sp_profile *changed, enum sp_specialty k, int n_apps,
                            double p_now, const char *what)
{
    double p_after = eval_p(ev, changed, k, n_apps, 0, NULL);
    struct sp_improvement *imp;

    if (out->n_improvements == SP_MAX_IMPROVEMENTS || !(p_after > p_now + 1e-4))
        return;
    imp = &out->improvements[out->n_improvements++];
    snprintf(imp->what, sizeof(imp->what), "%s", what);
    imp->p_after = p_after;
    imp->delta_p = p_after - p_now;
}

static int by_gain(const void *a, const void *b)
{
    const struct sp_improvement *x = a, *y = b;

    return (x->delta_p < y->delta_p) - (x->delta_p > y->delta_p);
}

static int by_size(const void *a, const void *b)
{
    const struct sp_factor *x = a, *y = b;
    double ax = fabs(x->delta_p), ay = fabs(y->delta_p);

    return (ax < ay) - (ax > ay);
}

static void improvements(struct sp_assessment *out, struct evaluator *ev,
                         const struct sp_profile *p, enum sp_specialty k, int n_apps, double now)
{
    struct sp_profile c;
    char what[96];

    if (p->step2_ck <= 290) {
        c = *p;
        c.step2_ck += 10;
        snprintf(what, sizeof(what), "a Step 2 CK 10 points higher (%.0f)", c.step2_ck);
        add_improvement(out, ev, &c, k, n_apps, now, what);
    }
    if (p->n_aways < SP_PROFILE_MAX_AWAYS) {
        c = *p;
        c.aways[c.n_aways].specialty = k;
        c.aways[c.n_aways].acgme_id[0] = '\0';
        c.n_aways++;
        snprintf(what, sizeof(what), "one more %s away rotation", sp_specialty_code(k));
        add_improvement(out, ev, &c, k, n_apps, now, what);
    }
    if (p->letters[k] < 3) {
        c = *p;
        c.letters[k]++;
        snprintf(what, sizeof(what), "one more letter from %s faculty", sp_specialty_code(k));
        add_improvement(out, ev, &c, k, n_apps, now, what);
    }
    c = *p;
    c.research_in[k] += 2;
    c.publications += 2;
    snprintf(what, sizeof(what), "two more %s publications or abstracts", sp_specialty_code(k));
    add_improvement(out, ev, &c, k, n_apps, now, what);
    if (p->honors < p->core_clerkships) {
        c = *p;
        c.honors++;
        add_improvement(out, ev, &c, k, n_apps, now, "one more honored core clerkship");
    }
    snprintf(what, sizeof(what), "applying to 20 more %s programs (%d)", sp_specialty_code(k),
             n_apps + 20);
    {
        double after = eval_p(ev, p, k, n_apps + 20, 0, NULL);
        if (after > now + 1e-4 && out->n_improvements < SP_MAX_IMPROVEMENTS) {
            struct sp_improvement *imp = &out->improvements[out->n_improvements++];
            snprintf(imp->what, sizeof(imp->what), "%s", what);
            imp->p_after = after;
            imp->delta_p = after - now;
        }
    }
    qsort(out->improvements, out->n_improvements, sizeof(out->improvements[0]), by_gain);
}

int sp_assess(struct sp_assessment *out, const struct sp_model *m, const sp_catalog *cat,
              const double *q, const struct sp_profile *p, struct sp_err *err)
{
    enum sp_specialty order[SP_SPEC_COUNT];
    size_t n_order = p->n_specialties, max_prog = 1;
    struct evaluator ev = {.m = m, .cat = cat, .q = q, .list_k = SP_SPEC_IR};

    memset(out, 0, sizeof(*out));
    if (market_quadrature(&ev.quad, m))
        return sp_err_at(err, SP_EINVAL, SP_WHY_MODEL, "model", ": gh_nodes %d must be in 1..%d",
                         m->gh_nodes, SP_GH_MAX);
    for (size_t i = 0; i < n_order; i++)
        order[i] = p->specialties[i];
    if (!n_order) {
        for (int k = 0; k < SP_SPEC_COUNT; k++)
            order[n_order++] = (enum sp_specialty)k;
    }
    for (int k = 0; k < SP_SPEC_COUNT; k++) {
        size_t n;
        sp_catalog_by_specialty(cat, (enum sp_specialty)k, &n);
        if (n > max_prog)
            max_prog = n;
    }
    ev.items = sp_xcalloc(max_prog, sizeof(*ev.items));
    ev.apps = sp_xcalloc(max_prog, sizeof(*ev.apps));

    for (size_t i = 0; i < n_order; i++) {
        struct sp_assess_specialty *r = &out->spec[out->n_spec++];
        enum sp_specialty k = order[i];
        size_t n_prog;
        sp_catalog_by_specialty(cat, k, &n_prog);
        r->code = k;
        r->n_programs = (int)n_prog;
        r->n_applications = sp_model_typical_applications(m, k, p->applicant_type, (int)n_prog);
        signals_for(&r->signals_gold, &r->signals_silver, m, p, k);
        sp_model_strength(&r->strength, m, p, k);
        r->p_match = eval_p_list(&ev, p, k, r->n_applications, 0, &r->expected_interviews, true);
        /* P is increasing in the strength shift, so the percentiles of P are P at
         * the percentiles of the (normal) shift. */
        r->p_low = eval_p_list(&ev, p, k, r->n_applications, -Z80 * r->strength.sd, NULL, true);
        r->p_high = eval_p_list(&ev, p, k, r->n_applications, Z80 * r->strength.sd, NULL, true);
        r->tier = sp_model_tier(m, r->p_match);
        r->advanced_share = m->spec[k].advanced_share;
    }

    /* Why, and what would help: for the primary specialty. */
    {
        const struct sp_assess_specialty *prim = &out->spec[0];
        for (size_t t = 0; t < prim->strength.n_terms; t++) {
            const struct sp_strength_term *term = &prim->strength.terms[t];
            struct sp_factor *f;
            if (fabs(term->delta) < 1e-9)
                continue;
            f = &out->factors[out->n_factors++];
            f->name = term->name;
            f->delta_strength = term->delta;
            f->delta_p = prim->p_match - eval_p_list(&ev, p, prim->code, prim->n_applications,
                                                     -term->delta, NULL, true);
        }
        qsort(out->factors, out->n_factors, sizeof(out->factors[0]), by_size);
        improvements(out, &ev, p, prim->code, prim->n_applications, prim->p_match);
    }
    free(ev.items);
    free(ev.apps);
    return 0;
}
