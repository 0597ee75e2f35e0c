/*
 * The optimizer engine: greedy by marginal gain per marginal cost over abstract
 * candidates, with every marginal gain computed incrementally from one forward
 * and one backward pass per quadrature node (no re-evaluation per candidate);
 * signals placed jointly, then moved while that helps; and an exhaustive solver
 * for small instances. docs/OPTIMIZER.md has the derivation.
 */
#include "smartpick/plan.h"

#include "sp_alloc.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "banned.h"

#define FREE_COST 1e-9 /* ratio denominator for actions that cost nothing */

struct state {
    const struct sp_opt_problem *pb;
    size_t n;
    int nq;
    size_t *order;    /* candidates by utility, best first (ties by index) */
    size_t *pos_of;   /* candidate -> its position in order */
    double *u;        /* effective utility per candidate */
    double *p;        /* by position: p[(pos * nq + e) * 3 + s], one row per candidate */
    bool *sel;
    enum sp_signal *sig;
    int group_count[SP_OPT_MAX_GROUPS];
    double fee_next[SP_OPT_MAX_GROUPS];  /* marginal fee of each group's next application */
    double rank_next[SP_OPT_MAX_GROUPS]; /* and the fee used to rank it */
    int gold_used[SP_OPT_MAX_GROUPS], silver_used[SP_OPT_MAX_GROUPS];
    int *city_count;  /* indexed by city id */
    int n_cities;
    size_t n_sel;
    double cost;
    double *w;        /* weight of each node (e, z) */
    double *prod;     /* per node: product of (1 - p) over the selection */
    double *gain_add;  /* n * 3 */
    double *gain_up;   /* n * 3 */
    size_t *selpos;    /* positions of the selection, ascending (compute_gains, state_value) */
    double *R;         /* (k, e): product of (1 - p) over the first k selected positions */
    double *S;         /* (k, e): value contributed by the selected positions from k on */
    unsigned char *levels; /* per candidate: signal levels to evaluate (bit mask) */
};

static double pval(const struct state *st, int e, size_t j, enum sp_signal s)
{
    return st->p[(st->pos_of[j] * (size_t)st->nq + (size_t)e) * 3 + s];
}


struct ranked {
    double u;
    size_t j;
};

static int cmp_ranked(const void *va, const void *vb)
{
    const struct ranked *a = va, *b = vb;

    if (a->u != b->u)
        return a->u > b->u ? -1 : 1;
    return a->j < b->j ? -1 : a->j > b->j;
}

static double marginal_fee(const struct sp_opt_group *g, int next)
{
    return g->fees ? sp_fee_marginal(g->fees, next) : 1.0;
}

/* Cost used to rank additions: a flat tier (ResidencyCAS's $99 for 1-18) is
 * spread over its applications, so the first one does not look 18 times dearer. */
static double ranking_fee(const struct sp_opt_group *g, int next)
{
    if (g->fees) {
        for (int i = 0; i < g->fees->n_tiers; i++) {
            const struct sp_fee_tier *t = &g->fees->tiers[i];
            if (t->flat && next >= t->from_n && (t->to_n == 0 || next <= t->to_n))
                return t->fee_usd / (t->to_n > 0 ? t->to_n - t->from_n + 1 : 1);
        }
    }
    return marginal_fee(g, next);
}

/* Keep the next application's fees of group g current (they change only when
 * the group's count does), so scans over every candidate need not recompute them. */
static void refresh_fees(struct state *st, int g)
{
    const struct sp_opt_group *grp = &st->pb->groups[g];
    int next = st->group_count[g] + 1;

    st->fee_next[g] = marginal_fee(grp, next);
    st->rank_next[g] = ranking_fee(grp, next);
}

static void set_group_count(struct state *st, int g, int count)
{
    st->group_count[g] = count;
    refresh_fees(st, g);
}

static int state_init(struct state *st, const struct sp_opt_problem *pb)
{
    size_t n = pb->n;

    memset(st, 0, sizeof(*st));
    st->pb = pb;
    st->n = n;
    st->nq = pb->q->n;
    st->order = sp_xcalloc(n ? n : 1, sizeof(size_t));
    st->pos_of = sp_xcalloc(n ? n : 1, sizeof(size_t));
    st->u = sp_xcalloc(n ? n : 1, sizeof(double));
    st->p = sp_xcalloc((n ? n : 1) * (size_t)st->nq * 3, sizeof(double));
    st->sel = sp_xcalloc(n ? n : 1, sizeof(bool));
    st->sig = sp_xcalloc(n ? n : 1, sizeof(enum sp_signal));
    st->gain_add = sp_xcalloc((n ? n : 1) * 3, sizeof(double));
    st->gain_up = sp_xcalloc((n ? n : 1) * 3, sizeof(double));
    st->selpos = sp_xcalloc(n ? n : 1, sizeof(size_t));
    st->R = sp_xcalloc((n + 1) * (size_t)st->nq, sizeof(double));
    st->S = sp_xcalloc((n + 1) * (size_t)st->nq, sizeof(double));
    st->levels = sp_xcalloc(n ? n : 1, 1);
    st->w = sp_xcalloc((size_t)st->nq, sizeof(double));
    st->prod = sp_xcalloc((size_t)st->nq, sizeof(double));
    for (int e = 0; e < st->nq; e++) {
        st->w[e] = pb->q->w[e];
        st->prod[e] = 1.0;
    }
    for (size_t j = 0; j < n; j++) {
        st->order[j] = j;
        st->u[j] = pb->objective == SP_OBJ_UTILITY ? pb->cands[j].utility : 1.0;
        if (pb->cands[j].city >= st->n_cities)
            st->n_cities = pb->cands[j].city + 1;
    }
    st->city_count = sp_xcalloc(st->n_cities ? (size_t)st->n_cities : 1, sizeof(int));
    if (n) {
        struct ranked *r = sp_xcalloc(n, sizeof(*r));
        for (size_t j = 0; j < n; j++)
            r[j] = (struct ranked){st->u[j], j};
        qsort(r, n, sizeof(*r), cmp_ranked);
        for (size_t j = 0; j < n; j++)
            st->order[j] = r[j].j;
        free(r);
    }
    /* Probabilities in rank order, so the passes over positions read memory in
     * sequence; from the caller's table when it has one (the same numbers). */
    for (size_t pos = 0; pos < n; pos++) {
        size_t j = st->order[pos];
        double *row = &st->p[pos * (size_t)st->nq * 3];
        st->pos_of[j] = pos;
        if (pb->p_app) {
            memcpy(row, &pb->p_app[j * (size_t)st->nq * 3], (size_t)st->nq * 3 * sizeof(double));
            continue;
        }
        for (int e = 0; e < st->nq; e++) {
            for (int sg = 0; sg < 3; sg++)
                row[e * 3 + sg] = sp_model_p_app(pb->m, &pb->cands[j].logits[sg], pb->q->e[e]);
        }
    }
    for (int g = 0; g < pb->n_groups; g++)
        refresh_fees(st, g);
    return 0;
}

static void state_release(struct state *st)
{
    free(st->order);
    free(st->pos_of);
    free(st->u);
    free(st->p);
    free(st->sel);
    free(st->sig);
    free(st->gain_add);
    free(st->gain_up);
    free(st->selpos);
    free(st->R);
    free(st->S);
    free(st->levels);
    free(st->city_count);
    free(st->w);
    free(st->prod);
}

/* Keep the per-node products of (1 - p) current when j's probability changes
 * from signal `from` (or absent) to `to` (or absent). */
static void update_prod(struct state *st, size_t j, int from, int to)
{
    for (int e = 0; e < st->nq; e++) {
        double f = from < 0 ? 1.0 : 1.0 - pval(st, e, j, (enum sp_signal)from);
        double t = to < 0 ? 1.0 : 1.0 - pval(st, e, j, (enum sp_signal)to);
        st->prod[e] *= t / f;
    }
}

static double state_p_any(const struct state *st)
{
    double any = 0;

    for (int e = 0; e < st->nq; e++)
        any += st->w[e] * (1 - st->prod[e]);
    return any;
}

/* The positions of the selection, ascending; returns how many. */
static size_t list_selected(struct state *st)
{
    size_t m = 0;

    for (size_t pos = 0; pos < st->n; pos++) {
        if (st->sel[st->order[pos]])
            st->selpos[m++] = pos;
    }
    return m;
}

/* Objective and P(match any) of the current selection. */
static double state_value(struct state *st, double *p_any)
{
    double v = 0, any = 0;
    size_t m = list_selected(st), nq = (size_t)st->nq;

    for (int e = 0; e < st->nq; e++) {
        double r = 1, ve = 0;
        for (size_t k = 0; k < m; k++) {
            size_t pos = st->selpos[k], j = st->order[pos];
            double pj = st->p[(pos * nq + (size_t)e) * 3 + st->sig[j]];
            ve += st->u[j] * pj * r;
            r *= 1 - pj;
        }
        v += st->w[e] * ve;
        any += st->w[e] * (1 - r);
    }
    if (p_any)
        *p_any = any;
    return v;
}

/* Marginal gains of every addition and every signal upgrade, from one forward
 * pass (prefix products of 1 - p over the selection above each position) and one
 * backward pass (the value contributed below it) per node:
 *   add j with p:                   p (u_j R_j - S_j)
 *   change j's signal, p to p':     (p' - p) (u_j R_j - S_j / (1 - p))             */
static bool signal_available(const struct state *st, size_t j, enum sp_signal s);

/* all_levels: also every lower signal level of chosen programs (signal moves);
 * otherwise only the levels a pool can still pay for, which after the signals
 * are spent is the no-signal addition alone - a third of the work. */
static void compute_gains(struct state *st, bool all_levels)
{
    size_t n = st->n, nq = (size_t)st->nq, m;
    unsigned char *levels = st->levels;
    double *R = st->R, *S = st->S;

    for (size_t j = 0; j < n; j++) {
        unsigned char mask = 1; /* bit s: level s is worth computing */
        if (signal_available(st, j, SP_SIGNAL_SILVER))
            mask |= 2;
        if (signal_available(st, j, SP_SIGNAL_GOLD))
            mask |= 4;
        if (st->sel[j] && all_levels)
            mask = 7;
        levels[j] = mask;
    }
    /* The forward and backward passes change only at selected positions: do them
     * over the selection alone. R row k is the product of (1 - p) over the first
     * k selected positions (the prefix of every position after the k-th selected
     * and up to the next), S row k the value below the k-th selected on. The
     * products and sums are taken in the same order as over all positions, so
     * every number is the same as a pass over all n would give. */
    m = list_selected(st);
    for (size_t e = 0; e < nq; e++)
        R[e] = 1;
    for (size_t k = 0; k < m; k++) {
        size_t pos = st->selpos[k], j = st->order[pos];
        const double *pj = &st->p[pos * nq * 3];
        for (size_t e = 0; e < nq; e++)
            R[(k + 1) * nq + e] = R[k * nq + e] * (1 - pj[e * 3 + st->sig[j]]);
    }
    for (size_t e = 0; e < nq; e++)
        S[m * nq + e] = 0;
    for (size_t k = m; k-- > 0;) {
        size_t pos = st->selpos[k], j = st->order[pos];
        const double *pj = &st->p[pos * nq * 3];
        for (size_t e = 0; e < nq; e++)
            S[k * nq + e] = S[(k + 1) * nq + e] + st->u[j] * pj[e * 3 + st->sig[j]] * R[k * nq + e];
    }
    /* One pass over positions, the nodes inside: each gain is summed over the
     * nodes in node order, as before. */
    size_t k = 0; /* selected positions before pos */
    for (size_t pos = 0; pos < n; pos++) {
        size_t j = st->order[pos];
        const double *p3 = &st->p[pos * nq * 3];
        double *ga = &st->gain_add[j * 3], *gu = &st->gain_up[j * 3];
        double u = st->u[j];
        unsigned char lv = levels[j];
        if (!st->sel[j]) {
            const double *Rk = &R[k * nq], *Sk = &S[k * nq];
            double g0 = 0, g1 = 0, g2 = 0;
            if (lv == 1) {
                for (size_t e = 0; e < nq; e++) {
                    double kk = st->w[e] * (u * Rk[e] - Sk[e]);
                    g0 += kk * p3[e * 3];
                }
            } else {
                for (size_t e = 0; e < nq; e++) {
                    double kk = st->w[e] * (u * Rk[e] - Sk[e]);
                    g0 += kk * p3[e * 3];
                    if (lv & 2)
                        g1 += kk * p3[e * 3 + 1];
                    if (lv & 4)
                        g2 += kk * p3[e * 3 + 2];
                }
            }
            ga[0] = g0;
            ga[1] = g1;
            ga[2] = g2;
            gu[0] = gu[1] = gu[2] = 0;
        } else {
            /* Other signal levels: upgrades gain, downgrades lose. The value
             * below a selected position excludes itself: row k + 1 of S. */
            const double *Rk = &R[k * nq], *Sk = &S[(k + 1) * nq];
            double g[3] = {0, 0, 0};
            enum sp_signal sj = st->sig[j];
            for (size_t e = 0; e < nq; e++) {
                double pj = p3[e * 3 + sj];
                double kk = st->w[e] * (u * Rk[e] - Sk[e] / (1 - pj));
                for (int sg = 0; sg < 3; sg++) {
                    if (lv & (1u << sg))
                        g[sg] += kk * (p3[e * 3 + (size_t)sg] - pj);
                }
            }
            gu[0] = g[0];
            gu[1] = g[1];
            gu[2] = g[2];
            ga[0] = ga[1] = ga[2] = 0;
            k++;
        }
    }
}

static bool signal_available(const struct state *st, size_t j, enum sp_signal s)
{
    int pool = st->pb->cands[j].pool;

    if (s == SP_SIGNAL_NONE)
        return true;
    if (pool < 0 || pool >= st->pb->n_pools)
        return false;
    if (s == SP_SIGNAL_GOLD)
        return st->gold_used[pool] < st->pb->pools[pool].gold;
    return st->silver_used[pool] < st->pb->pools[pool].silver;
}

static void take_signal(struct state *st, size_t j, enum sp_signal s, int delta)
{
    int pool = st->pb->cands[j].pool;

    if (s == SP_SIGNAL_GOLD)
        st->gold_used[pool] += delta;
    else if (s == SP_SIGNAL_SILVER)
        st->silver_used[pool] += delta;
}

/* Whether j may be added now, and at what actual and ranking cost. */
static bool can_add(const struct state *st, size_t j, bool ignore_budget, double *cost,
                    double *rank_cost)
{
    const struct sp_opt_problem *pb = st->pb;
    const struct sp_opt_candidate *c = &pb->cands[j];
    const struct sp_opt_group *g = &pb->groups[c->group];
    int next = st->group_count[c->group] + 1;

    if (st->sel[j])
        return false;
    if (g->max_count > 0 && next > g->max_count)
        return false;
    if (pb->max_per_city > 0 && c->city >= 0 && st->city_count[c->city] >= pb->max_per_city)
        return false;
    if (!ignore_budget && pb->max_count > 0 && (int)st->n_sel >= pb->max_count)
        return false;
    *cost = st->fee_next[c->group];
    *rank_cost = st->rank_next[c->group];
    if (!ignore_budget && pb->budget_usd > 0 && st->cost + *cost > pb->budget_usd + 1e-9)
        return false;
    return true;
}

static void add(struct state *st, struct sp_opt_result *out, size_t j, enum sp_signal s,
                double cost, double gain)
{
    const struct sp_opt_candidate *c = &st->pb->cands[j];

    st->sel[j] = true;
    st->sig[j] = s;
    update_prod(st, j, -1, (int)s);
    take_signal(st, j, s, 1);
    set_group_count(st, c->group, st->group_count[c->group] + 1);
    if (c->city >= 0)
        st->city_count[c->city]++;
    st->n_sel++;
    st->cost += cost;
    out->chosen[out->n_chosen++] = j;
    out->gain[j] = gain;
}

static void record_curve(struct state *st, struct sp_opt_result *out)
{
    struct sp_curve_point *pt = &out->curve[out->n_chosen - 1];

    out->n_curve = out->n_chosen;

    pt->n_applications = (int)st->n_sel;
    pt->p_match_any = state_p_any(st);
    pt->cost_usd = st->cost;
}

/* One greedy step restricted to group (or any group when group < 0). Returns
 * whether something was added or upgraded. */
static bool step(struct state *st, struct sp_opt_result *out, int group, bool ignore_budget,
                 double min_gain)
{
    size_t best_j = (size_t)-1;
    enum sp_signal best_s = SP_SIGNAL_NONE;
    double best_ratio = 0, best_gain = 0, best_cost = 0;
    bool best_is_upgrade = false;

    compute_gains(st, false);
    for (size_t j = 0; j < st->n; j++) {
        const struct sp_opt_candidate *c = &st->pb->cands[j];
        if (group >= 0 && c->group != group)
            continue;
        if (st->sel[j]) {
            for (int s = (int)st->sig[j] + 1; s < 3; s++) {
                double gain = st->gain_up[j * 3 + (size_t)s];
                /* Signals are free: any gain at all is worth taking. */
                if (gain > 1e-12 && signal_available(st, j, (enum sp_signal)s) &&
                    gain / FREE_COST > best_ratio) {
                    best_ratio = gain / FREE_COST;
                    best_j = j;
                    best_s = (enum sp_signal)s;
                    best_gain = gain;
                    best_cost = 0;
                    best_is_upgrade = true;
                }
            }
            continue;
        }
        double cost, rank_cost;
        if (!can_add(st, j, ignore_budget, &cost, &rank_cost))
            continue;
        for (int s = 0; s < 3; s++) {
            double gain = st->gain_add[j * 3 + (size_t)s];
            double ratio = gain / (rank_cost > FREE_COST ? rank_cost : FREE_COST);
            if (!signal_available(st, j, (enum sp_signal)s) || gain < min_gain || gain <= 0)
                continue;
            /* No waste: an application must be worth its fee at the match's value. */
            if (st->pb->value_usd > 0 && min_gain > -INFINITY &&
                gain * st->pb->value_usd < rank_cost)
                continue;
            if (ratio > best_ratio) {
                best_ratio = ratio;
                best_j = j;
                best_s = (enum sp_signal)s;
                best_gain = gain;
                best_cost = cost;
                best_is_upgrade = false;
            }
        }
    }
    if (best_j == (size_t)-1)
        return false;
    if (best_is_upgrade) {
        take_signal(st, best_j, st->sig[best_j], -1);
        update_prod(st, best_j, (int)st->sig[best_j], (int)best_s);
        st->sig[best_j] = best_s;
        take_signal(st, best_j, best_s, 1);
        if (out->n_chosen)
            record_curve(st, out);
        return true;
    }
    add(st, out, best_j, best_s, best_cost, best_gain);
    record_curve(st, out);
    return true;
}

static void remove_choice(struct state *st, size_t i, double cost)
{
    const struct sp_opt_candidate *c = &st->pb->cands[i];

    take_signal(st, i, st->sig[i], -1);
    update_prod(st, i, (int)st->sig[i], -1);
    st->sel[i] = false;
    st->sig[i] = SP_SIGNAL_NONE;
    set_group_count(st, c->group, st->group_count[c->group] - 1);
    if (c->city >= 0)
        st->city_count[c->city]--;
    st->n_sel--;
    st->cost -= cost;
}

/* Swap one chosen application for one not chosen while that raises the objective
 * within the budget: greedy by ratio can strand budget under tiered fees or miss
 * pairs under correlation. For each chosen i, the gains of every replacement come
 * from one compute_gains() after removing i. */
static bool improve_swaps(struct state *st, struct sp_opt_result *out)
{
    bool improved = false;

    for (size_t k = 0; k < out->n_chosen; k++) {
        size_t i = out->chosen[k];
        const struct sp_opt_candidate *ci = &st->pb->cands[i];
        double before = state_value(st, NULL), fee_i, best_gain = 0, best_cost = 0;
        size_t best_j = (size_t)-1;
        enum sp_signal sig_i = st->sig[i];

        if (ci->forced)
            continue;
        fee_i = marginal_fee(&st->pb->groups[ci->group], st->group_count[ci->group]);
        remove_choice(st, i, fee_i);
        compute_gains(st, false);
        for (size_t j = 0; j < st->n; j++) {
            double cost, rank_cost, gain;
            if (j == i || !can_add(st, j, false, &cost, &rank_cost))
                continue;
            gain = st->gain_add[j * 3];
            if (gain > best_gain) {
                best_gain = gain;
                best_j = j;
                best_cost = cost;
            }
        }
        if (best_j != (size_t)-1 && state_value(st, NULL) + best_gain > before + 1e-12) {
            out->n_chosen--; /* add() appends; put j in i's place instead */
            memmove(&out->chosen[k], &out->chosen[k + 1], (out->n_chosen - k) * sizeof(size_t));
            add(st, out, best_j, SP_SIGNAL_NONE, best_cost, best_gain);
            memmove(&out->chosen[k + 1], &out->chosen[k], (out->n_chosen - 1 - k) * sizeof(size_t));
            out->chosen[k] = best_j;
            improved = true;
        } else {
            /* Put i back as it was. */
            st->sel[i] = true;
            st->sig[i] = sig_i;
            update_prod(st, i, -1, (int)sig_i);
            take_signal(st, i, sig_i, 1);
            set_group_count(st, ci->group, st->group_count[ci->group] + 1);
            if (ci->city >= 0)
                st->city_count[ci->city]++;
            st->n_sel++;
            st->cost += fee_i;
        }
    }
    return improved;
}

/* Move a signal from one chosen program to another while the objective rises.
 * Candidate moves are ranked by the first-order change from one gain pass, and the
 * best is kept only if the exact objective confirms it. */
static void improve_signals(struct state *st)
{
    for (int round = 0; round < 64; round++) {
        double now = state_value(st, NULL), best = 1e-12, v;
        size_t best_a = 0, best_b = 0;
        enum sp_signal sa, sb;
        bool found = false;

        compute_gains(st, true);
        for (size_t a = 0; a < st->n; a++) {
            if (!st->sel[a] || st->sig[a] == SP_SIGNAL_NONE)
                continue;
            for (size_t b = 0; b < st->n; b++) {
                double est;
                if (!st->sel[b] || b == a || st->sig[b] >= st->sig[a] ||
                    st->pb->cands[b].pool != st->pb->cands[a].pool)
                    continue;
                est = st->gain_up[b * 3 + (size_t)st->sig[a]] +
                      st->gain_up[a * 3 + (size_t)st->sig[b]];
                if (est > best) {
                    best = est;
                    best_a = a;
                    best_b = b;
                    found = true;
                }
            }
        }
        if (!found)
            return;
        sa = st->sig[best_a];
        sb = st->sig[best_b];
        update_prod(st, best_a, (int)sa, (int)sb);
        update_prod(st, best_b, (int)sb, (int)sa);
        st->sig[best_a] = sb;
        st->sig[best_b] = sa;
        v = state_value(st, NULL);
        if (v <= now + 1e-12) {
            update_prod(st, best_a, (int)sb, (int)sa);
            update_prod(st, best_b, (int)sa, (int)sb);
            st->sig[best_a] = sa;
            st->sig[best_b] = sb;
            return;
        }
    }
}

static void result_alloc(struct sp_opt_result *out, size_t n)
{
    memset(out, 0, sizeof(*out));
    out->chosen = sp_xcalloc(n ? n : 1, sizeof(size_t));
    out->signal = sp_xcalloc(n ? n : 1, sizeof(enum sp_signal));
    out->gain = sp_xcalloc(n ? n : 1, sizeof(double));
    out->curve = sp_xcalloc(n ? n : 1, sizeof(struct sp_curve_point));
}

void sp_opt_result_release(struct sp_opt_result *r)
{
    free(r->chosen);
    free(r->signal);
    free(r->gain);
    free(r->curve);
    memset(r, 0, sizeof(*r));
}

int sp_opt_greedy(struct sp_opt_result *out, const struct sp_opt_problem *pb,
                  struct sp_err *err)
{
    struct state st;
    int rc = 0;

    result_alloc(out, pb->n);
    state_init(&st, pb);
    /* 1. Must-include programs, whatever they cost. */
    for (size_t j = 0; j < pb->n; j++) {
        double cost, rank_cost;
        if (!pb->cands[j].forced)
            continue;
        if (!can_add(&st, j, true, &cost, &rank_cost)) {
            rc = sp_err_set(err, SP_EINVAL, "include: a must-include program breaks a "
                                            "per-specialty or per-city limit");
            goto out;
        }
        add(&st, out, j, SP_SIGNAL_NONE, cost, 0);
        record_curve(&st, out);
    }
    /* 2. Per-specialty minimums, best first within the group. */
    for (int g = 0; g < pb->n_groups; g++) {
        while (st.group_count[g] < pb->groups[g].min_count) {
            if (!step(&st, out, g, false, -INFINITY))
                break; /* the budget or a limit stops it; the plan reports the shortfall */
        }
    }
    /* 3. The budget, best ratio first; upgrades (signals) whenever they gain. */
    for (;;) {
        double p_any;
        if (pb->objective == SP_OBJ_MIN_COST) {
            p_any = state_p_any(&st);
            if (p_any >= pb->target)
                break;
        }
        if (!step(&st, out, -1, false,
                  pb->objective == SP_OBJ_MIN_COST ? 1e-12 : pb->min_gain))
            break;
    }
    /* 4. Local search: swaps, then spend what they freed, until nothing helps. */
    if (pb->objective != SP_OBJ_MIN_COST && !pb->no_local_search) {
        for (int pass = 0; pass < 4 && improve_swaps(&st, out); pass++) {
            while (step(&st, out, -1, false, pb->min_gain))
                ;
        }
    }
    improve_signals(&st);
    out->value = state_value(&st, &out->p_any);
    out->cost = st.cost;
    memcpy(out->signal, st.sig, pb->n * sizeof(enum sp_signal));
    /* The curve ends at the plan as finally chosen, then goes on without a budget. */
    if (out->n_chosen) {
        size_t n_final = out->n_chosen;
        record_curve(&st, out);
        double to = pb->curve_factor * (double)n_final;
        if (to < pb->curve_min)
            to = pb->curve_min;
        if (pb->curve_min <= 0 && pb->curve_factor <= 0)
            to = 0;
        while ((double)st.n_sel < to && step(&st, out, -1, true, -INFINITY))
            ;
        out->n_curve = out->n_chosen;
        out->n_chosen = n_final;
    }
out:
    state_release(&st);
    if (rc)
        sp_opt_result_release(out);
    return rc;
}

double sp_opt_value(const struct sp_opt_problem *pb, const bool *chosen,
                    const enum sp_signal *signal, double *p_any_out)
{
    struct state st;
    double v;

    state_init(&st, pb);
    for (size_t j = 0; j < pb->n; j++) {
        st.sel[j] = chosen[j];
        st.sig[j] = signal ? signal[j] : SP_SIGNAL_NONE;
    }
    v = state_value(&st, p_any_out);
    state_release(&st);
    return v;
}

double sp_opt_cost(const struct sp_opt_problem *pb, const bool *chosen)
{
    int count[SP_OPT_MAX_GROUPS] = {0};
    double cost = 0;

    for (size_t j = 0; j < pb->n; j++) {
        if (chosen[j])
            count[pb->cands[j].group]++;
    }
    for (int g = 0; g < pb->n_groups; g++)
        cost += pb->groups[g].fees ? sp_fee_cost(pb->groups[g].fees, count[g]) : count[g];
    return cost;
}

int sp_opt_exact(struct sp_opt_result *out, const struct sp_opt_problem *pb,
                 struct sp_err *err)
{
    struct state st;
    unsigned long long best_mask = 0, limit;
    double best = -1, best_cost = 0;

    if (pb->n > 22)
        return sp_err_set(err, SP_ERANGE, "exact: %zu candidates, at most 22", pb->n);
    result_alloc(out, pb->n);
    state_init(&st, pb);
    limit = 1ull << pb->n;
    for (unsigned long long mask = 0; mask < limit; mask++) {
        int count[SP_OPT_MAX_GROUPS] = {0};
        int total = 0;
        bool ok = true;
        double cost = 0, v;
        for (size_t j = 0; j < pb->n; j++) {
            st.sel[j] = (mask >> j) & 1;
            if (st.sel[j]) {
                count[pb->cands[j].group]++;
                total++;
            } else if (pb->cands[j].forced) {
                ok = false;
            }
        }
        for (int g = 0; g < pb->n_groups && ok; g++) {
            const struct sp_opt_group *grp = &pb->groups[g];
            cost += grp->fees ? sp_fee_cost(grp->fees, count[g]) : count[g];
            ok = count[g] >= grp->min_count && (grp->max_count <= 0 || count[g] <= grp->max_count);
        }
        if (!ok || (pb->budget_usd > 0 && cost > pb->budget_usd + 1e-9) ||
            (pb->max_count > 0 && total > pb->max_count))
            continue;
        v = state_value(&st, NULL);
        if (v > best + 1e-12 || (fabs(v - best) <= 1e-12 && cost < best_cost)) {
            best = v;
            best_mask = mask;
            best_cost = cost;
        }
    }
    for (size_t j = 0; j < pb->n; j++) {
        st.sel[j] = (best_mask >> j) & 1;
        if (st.sel[j])
            out->chosen[out->n_chosen++] = j;
    }
    out->value = state_value(&st, &out->p_any);
    out->cost = best_cost;
    state_release(&st);
    return 0;
}
