/*
 * The optimizer engine: greedy by marginal gain per marginal cost over abstract
 * candidates, each gain computed from the products and sums over the chosen
 * programs above and below it (no re-evaluation of the objective per candidate),
 * evaluated lazily against exact bounds; signals placed jointly, then moved while
 * that helps; a swap search pruned by bounds; and an exhaustive solver for small
 * instances. Every choice and number is the one a full evaluation of every action
 * at every step gives. docs/OPTIMIZER.md has the derivation.
 */
#include "optimize.h"

#include "sp_alloc.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "banned.h"

#define FREE_COST 1e-9 /* ratio denominator for actions that cost nothing */
/* Quadrature nodes fall into NSEG segments of neighbours for the swap bounds. */
#define NSEG 4
#define SEG(st, e) ((size_t)(e)*NSEG / (size_t)(st)->nq)

struct state {
    const struct sp_opt_problem *pb;
    size_t n;
    int nq;
    size_t *order;  /* candidates by utility, best first (ties by index) */
    size_t *pos_of; /* candidate -> its position in order */
    double *u;      /* effective utility per candidate */
    double *p;      /* by position and signal, nodes contiguous: p[(pos * 3 + s) * nq + e] */
    bool *sel;
    enum sp_signal *sig;
    int group_count[SP_OPT_MAX_GROUPS];
    double fee_next[SP_OPT_MAX_GROUPS];  /* marginal fee of each group's next application */
    double rank_next[SP_OPT_MAX_GROUPS]; /* and the fee used to rank it */
    int gold_used[SP_OPT_MAX_GROUPS], silver_used[SP_OPT_MAX_GROUPS];
    int *city_count; /* indexed by city id */
    int n_cities;
    size_t n_sel;
    double cost;
    double *w;       /* weight of each node (e, z) */
    double *prod;    /* per node: product of (1 - p) over the selection */
    double *gain_up; /* n * 3: improve_signals' gains of moving each chosen signal */
    size_t *selpos;  /* positions of the selection, ascending (prepare_rows, state_value) */
    size_t n_selpos;
    bool selpos_valid;
    double *R;                 /* (k, e): product of (1 - p) over the first k selected positions */
    double *S;                 /* (k, e): value contributed by the selected positions from k on */
    double *R2, *S2;           /* improve_swaps: R and S of the selection before a removal */
    size_t rows_cap;           /* rows allocated in R, S, R2, S2 */
    size_t *selpos2;           /* and its positions */
    double *static_bound;      /* per candidate: its best gain on an empty selection */
    double *bound;             /* per candidate: at least its best addition gain now */
    bool bounds_valid;         /* bound holds (false: reset to static_bound) */
    double *pseg;              /* (j, seg): j's largest p without a signal in each node segment */
    size_t seg_from[NSEG + 1]; /* the nodes of segment sg: seg_from[sg] .. seg_from[sg + 1] - 1 */
    double *gseg; /* improve_swaps: (a, seg) level-0 gain of adding unsel[a], by segment */
    double *add_cost, *add_denom; /* fee and ratio denominator of an addition evaluated */
    struct ranked *swap_cands;    /* improve_swaps: replacements by bound */
    size_t *unsel;                /* improve_swaps: the candidates not chosen, by position, */
    size_t *unsel_pos;            /* their positions, */
    double *unsel_gain;           /* their gains (sum of gseg), */
    double *pre, *suf;            /* and the running maxima of swap_tables() */
    size_t n_unsel;
    size_t *alive;       /* step: candidates that may still be added in this run */
    double *alive_ratio; /* their bound ratios this step */
    size_t n_alive;
    bool alive_valid; /* alive holds the run of steps with these parameters */
    int alive_group;
    bool alive_ignore_budget;
    double alive_min_gain;
    bool rank_monotone[SP_OPT_MAX_GROUPS]; /* the group's ranking fee never falls */
};

static double pval(const struct state *st, int e, size_t j, enum sp_signal s)
{
    return st->p[(st->pos_of[j] * 3 + s) * (size_t)st->nq + (size_t)e];
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
    st->p = sp_xreallocarray(NULL, (n ? n : 1) * (size_t)st->nq * 3, sizeof(double));
    st->sel = sp_xcalloc(n ? n : 1, sizeof(bool));
    st->sig = sp_xcalloc(n ? n : 1, sizeof(enum sp_signal));
    st->gain_up = sp_xcalloc((n ? n : 1) * 3, sizeof(double));
    st->selpos = sp_xcalloc(n ? n : 1, sizeof(size_t));
    /* Rows grow with the selection (prepare_rows); written before they are read. */
    st->rows_cap = 0;
    st->selpos2 = sp_xcalloc(n ? n : 1, sizeof(size_t));
    st->static_bound = sp_xcalloc(n ? n : 1, sizeof(double));
    st->bound = sp_xcalloc(n ? n : 1, sizeof(double));
    st->pseg = sp_xcalloc((n ? n : 1) * NSEG, sizeof(double));
    st->gseg = sp_xcalloc((n ? n : 1) * NSEG, sizeof(double));
    st->add_cost = sp_xcalloc(n ? n : 1, sizeof(double));
    st->add_denom = sp_xcalloc(n ? n : 1, sizeof(double));
    st->swap_cands = sp_xcalloc(n ? n : 1, sizeof(*st->swap_cands));
    st->unsel = sp_xcalloc(n ? n : 1, sizeof(size_t));
    st->unsel_gain = sp_xcalloc(n ? n : 1, sizeof(double));
    st->unsel_pos = sp_xcalloc(n ? n : 1, sizeof(size_t));
    st->pre = sp_xcalloc((n + 1) * (1 + NSEG), sizeof(double));
    st->suf = sp_xcalloc((n + 1) * NSEG, sizeof(double));
    st->alive = sp_xcalloc(n ? n : 1, sizeof(size_t));
    st->alive_ratio = sp_xcalloc(n ? n : 1, sizeof(double));
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
        bool sorted = true;
        for (size_t j = 0; j < n; j++) {
            r[j] = (struct ranked){st->u[j], j};
            sorted = sorted && (j == 0 || cmp_ranked(&r[j - 1], &r[j]) < 0);
        }
        /* Equal utilities (objective match) leave the candidates in their order. */
        if (!sorted)
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
        for (int e = 0; e < st->nq; e++) {
            for (int sg = 0; sg < 3; sg++)
                row[sg * st->nq + e] =
                    pb->p_app ? pb->p_app[(j * (size_t)st->nq + (size_t)e) * 3 + (size_t)sg]
                              : sp_model_p_app(pb->m, &pb->cands[j].logits[sg], pb->q->e[e]);
        }
    }
    for (size_t sg = 0; sg <= NSEG; sg++)
        st->seg_from[sg] = (sg * (size_t)st->nq + NSEG - 1) / NSEG;
    for (int g = 0; g < pb->n_groups; g++) {
        refresh_fees(st, g);
        /* Past its last tier a schedule's fee is constant: check up to there. */
        int last = 1;
        const struct sp_fee_schedule *fs = pb->groups[g].fees;
        for (int t = 0; fs && t < fs->n_tiers; t++)
            last = fs->tiers[t].from_n > last ? fs->tiers[t].from_n : last;
        for (int t = 0; fs && t < fs->n_tiers; t++)
            last = fs->tiers[t].to_n > last ? fs->tiers[t].to_n : last;
        st->rank_monotone[g] = true;
        for (int k = 2; k <= last + 2 && st->rank_monotone[g]; k++)
            st->rank_monotone[g] =
                ranking_fee(&pb->groups[g], k) >= ranking_fee(&pb->groups[g], k - 1);
    }
    for (size_t pos = 0; pos < n; pos++) {
        double *ps = &st->pseg[st->order[pos] * NSEG];
        for (int e = 0; e < st->nq; e++)
            ps[SEG(st, e)] = fmax(ps[SEG(st, e)], st->p[pos * 3 * (size_t)st->nq + (size_t)e]);
    }
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
    free(st->gain_up);
    free(st->selpos);
    free(st->R);
    free(st->S);
    free(st->R2);
    free(st->S2);
    free(st->selpos2);
    free(st->static_bound);
    free(st->bound);
    free(st->pseg);
    free(st->gseg);
    free(st->add_cost);
    free(st->add_denom);
    free(st->swap_cands);
    free(st->unsel);
    free(st->unsel_gain);
    free(st->unsel_pos);
    free(st->pre);
    free(st->suf);
    free(st->alive);
    free(st->alive_ratio);
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

/* The positions of the selection, ascending; returns how many. Kept up to date
 * by mark_selected(); rebuilt from sel[] when someone set it directly. */
static size_t list_selected(struct state *st)
{
    if (!st->selpos_valid) {
        size_t m = 0;
        for (size_t pos = 0; pos < st->n; pos++) {
            if (st->sel[st->order[pos]])
                st->selpos[m++] = pos;
        }
        st->n_selpos = m;
        st->selpos_valid = true;
    }
    return st->n_selpos;
}

/* How many of the first m selected positions come before pos. */
static size_t rank_before(const struct state *st, size_t m, size_t pos)
{
    size_t lo = 0, hi = m;

    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (st->selpos[mid] < pos)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* Set sel[j], keeping the list of selected positions sorted. */
static void mark_selected(struct state *st, size_t j, bool on)
{
    size_t lo;

    st->sel[j] = on;
    if (!st->selpos_valid)
        return;
    lo = rank_before(st, st->n_selpos, st->pos_of[j]);
    if (on) {
        memmove(&st->selpos[lo + 1], &st->selpos[lo], (st->n_selpos - lo) * sizeof(size_t));
        st->selpos[lo] = st->pos_of[j];
        st->n_selpos++;
    } else {
        memmove(&st->selpos[lo], &st->selpos[lo + 1], (st->n_selpos - lo - 1) * sizeof(size_t));
        st->n_selpos--;
    }
}

/* Objective and P(match any) of the current selection. */
static double state_value(struct state *st, double *p_any)
{
    double v = 0, any = 0;
    size_t m = list_selected(st), nq = (size_t)st->nq;

    double r[SP_GH_MAX], ve[SP_GH_MAX];

    /* Each node's sum and product run over the selection in order, as they
     * would node by node; the nodes side by side. */
    for (size_t e = 0; e < nq; e++) {
        r[e] = 1;
        ve[e] = 0;
    }
    for (size_t k = 0; k < m; k++) {
        size_t pos = st->selpos[k], j = st->order[pos];
        const double *pj = &st->p[(pos * 3 + st->sig[j]) * nq];
        double u = st->u[j];
        for (size_t e = 0; e < nq; e++) {
            ve[e] += u * pj[e] * r[e];
            r[e] *= 1 - pj[e];
        }
    }
    for (size_t e = 0; e < nq; e++) {
        v += st->w[e] * ve[e];
        any += st->w[e] * (1 - r[e]);
    }
    if (p_any)
        *p_any = any;
    return v;
}

/* ---- gains ----
 *
 * Marginal gains of an addition and of a signal change at node e, from the
 * product of (1 - p) over the selection above a position (R) and the value the
 * selection contributes below it (S):
 *   add j with p:                   p (u_j R_j - S_j)
 *   change j's signal, p to p':     (p' - p) (u_j R_j - S_j / (1 - p))
 * summed over the nodes with their weights, in node order.
 *
 * R and S change only at selected positions, so they are kept per selected rank
 * k (prepare_rows), and a candidate's gains cost O(nodes) given its rank. Every
 * gain is computed by the same two functions below, in the same order of
 * operations, so a gain is the same number whichever caller asks for it.
 *
 * The greedy evaluates lazily: gains only fall while programs and signals are
 * added (each addition or upgrade lowers R below it or raises S above it), so a
 * gain once computed, plus a margin for rounding (BOUND_SLACK), bounds the gain
 * of every later step, and a candidate whose bound cannot beat the best exact
 * ratio of this step is not evaluated. The choice is the one a full evaluation
 * makes (the largest ratio, ties to the lowest candidate and signal); removing
 * or moving anything (swaps, signal moves) resets the bounds to the gains on
 * an empty selection, which bound every gain exactly. */

#define BOUND_SLACK(g) (1e-12 + 1e-9 * fabs(g))

/* fmax without its NaN handling (none arise here): a compare, not a call. */
static double dmax(double a, double b)
{
    return a > b ? a : b;
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

/* Signal levels worth evaluating for an addition of j: bit s for level s. */
static unsigned add_levels(const struct state *st, size_t j)
{
    unsigned mask = 1;

    if (signal_available(st, j, SP_SIGNAL_SILVER))
        mask |= 2;
    if (signal_available(st, j, SP_SIGNAL_GOLD))
        mask |= 4;
    return mask;
}

/* Rebuild the selection's positions and the R and S rows; returns its size m. */
static size_t prepare_rows(struct state *st)
{
    size_t nq = (size_t)st->nq, m = list_selected(st);
    double *R, *S;

    if (m + 1 > st->rows_cap) {
        st->rows_cap = 2 * (m + 1) > 64 ? 2 * (m + 1) : 64;
        st->R = sp_xreallocarray(st->R, st->rows_cap * nq, sizeof(double));
        st->S = sp_xreallocarray(st->S, st->rows_cap * nq, sizeof(double));
        st->R2 = sp_xreallocarray(st->R2, st->rows_cap * nq, sizeof(double));
        st->S2 = sp_xreallocarray(st->S2, st->rows_cap * nq, sizeof(double));
    }
    R = st->R;
    S = st->S;

    for (size_t e = 0; e < nq; e++)
        R[e] = 1;
    for (size_t k = 0; k < m; k++) {
        size_t pos = st->selpos[k], j = st->order[pos];
        const double *pj = &st->p[(pos * 3 + st->sig[j]) * nq];
        for (size_t e = 0; e < nq; e++)
            R[(k + 1) * nq + e] = R[k * nq + e] * (1 - pj[e]);
    }
    for (size_t e = 0; e < nq; e++)
        S[m * nq + e] = 0;
    for (size_t k = m; k-- > 0;) {
        size_t pos = st->selpos[k], j = st->order[pos];
        const double *pj = &st->p[(pos * 3 + st->sig[j]) * nq];
        double u = st->u[j];
        for (size_t e = 0; e < nq; e++)
            S[k * nq + e] = S[(k + 1) * nq + e] + u * pj[e] * R[k * nq + e];
    }
    return m;
}

/* Gains of adding the unselected candidate at pos (k selected above it) at the
 * levels in mask; g[s] = 0 for the others. Rk and Sk: rows k of R and S. */
static void add_gains(const struct state *st, size_t pos, const double *Rk, const double *Sk,
                      unsigned mask, double g[3])
{
    size_t nq = (size_t)st->nq;
    const double *p0 = &st->p[pos * nq * 3], *p1 = p0 + nq, *p2 = p1 + nq;
    double u = st->u[st->order[pos]], g0 = 0, g1 = 0, g2 = 0, kk[SP_GH_MAX];

    /* The factors node by node, then each sum in node order (as always). */
    for (size_t e = 0; e < nq; e++)
        kk[e] = st->w[e] * (u * Rk[e] - Sk[e]);
    if (mask == 1) {
        for (size_t e = 0; e < nq; e++)
            g0 += kk[e] * p0[e];
    } else {
        /* The levels' sums side by side: independent, so they overlap. */
        for (size_t e = 0; e < nq; e++) {
            g0 += kk[e] * p0[e];
            if (mask & 2)
                g1 += kk[e] * p1[e];
            if (mask & 4)
                g2 += kk[e] * p2[e];
        }
    }
    g[0] = g0;
    g[1] = g1;
    g[2] = g2;
}

/* Gains of moving the selected candidate at pos (the k-th selected) to each
 * signal level in mask (upgrades gain, downgrades lose); g[s] = 0 for others. */
static void move_gains(const struct state *st, size_t pos, size_t k, unsigned mask, double g[3])
{
    size_t nq = (size_t)st->nq, j = st->order[pos];
    const double *p0 = &st->p[pos * nq * 3], *pj = p0 + (size_t)st->sig[j] * nq;
    const double *Rk = &st->R[k * nq], *Sk = &st->S[(k + 1) * nq]; /* below: excludes itself */
    double u = st->u[j], kk[SP_GH_MAX];

    g[0] = g[1] = g[2] = 0;
    for (size_t e = 0; e < nq; e++)
        kk[e] = st->w[e] * (u * Rk[e] - Sk[e] / (1 - pj[e]));
    for (int sg = 0; sg < 3; sg++) {
        const double *ps = p0 + (size_t)sg * nq;
        double acc = 0;
        if (!(mask & (1u << sg)))
            continue;
        for (size_t e = 0; e < nq; e++)
            acc += kk[e] * (ps[e] - pj[e]);
        g[sg] = acc;
    }
}

/* Exact gains of adding j now, at the levels in mask (rows ready, m selected). */
static void gains_of(const struct state *st, size_t m, size_t j, unsigned mask, double g[3])
{
    size_t nq = (size_t)st->nq, pos = st->pos_of[j], k = rank_before(st, m, pos);

    add_gains(st, pos, &st->R[k * nq], &st->S[k * nq], mask, g);
}

/* The gains on an empty selection (R = 1, S = 0): computed by add_gains, so each
 * is at least the gain of the same addition to any selection, to the last bit
 * (every rounding step is monotone). */
static void init_static_bounds(struct state *st)
{
    size_t nq = (size_t)st->nq;
    double *ones = sp_xcalloc(nq ? nq : 1, sizeof(double));
    double *zeros = sp_xcalloc(nq ? nq : 1, sizeof(double));

    for (size_t e = 0; e < nq; e++)
        ones[e] = 1;
    for (size_t pos = 0; pos < st->n; pos++) {
        size_t j = st->order[pos];
        double g[3];
        add_gains(st, pos, ones, zeros, 7, g);
        st->static_bound[j] = fmax(g[0], fmax(g[1], g[2]));
    }
    free(ones);
    free(zeros);
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

/* can_add() for many candidates at once: what depends only on the group (its
 * limit, its next fee against the budget, the count cap) once per group. */
static void open_groups(const struct state *st, bool ignore_budget, bool open[SP_OPT_MAX_GROUPS])
{
    const struct sp_opt_problem *pb = st->pb;
    bool full = !ignore_budget && pb->max_count > 0 && (int)st->n_sel >= pb->max_count;

    for (int g = 0; g < pb->n_groups; g++) {
        const struct sp_opt_group *grp = &pb->groups[g];
        open[g] = !full && !(grp->max_count > 0 && st->group_count[g] + 1 > grp->max_count) &&
                  !(!ignore_budget && pb->budget_usd > 0 &&
                    st->cost + st->fee_next[g] > pb->budget_usd + 1e-9);
    }
}

/* can_add(j) given open_groups(): the same answer. */
static bool can_add_open(const struct state *st, size_t j, const bool *open)
{
    const struct sp_opt_candidate *c = &st->pb->cands[j];

    return !st->sel[j] && open[c->group] &&
           !(st->pb->max_per_city > 0 && c->city >= 0 &&
             st->city_count[c->city] >= st->pb->max_per_city);
}

/* Select j with signal s at cost: mark it, take its signal, count it in its group
 * and city. After remove_choice(), the same operations undo the removal. */
static void select_one(struct state *st, size_t j, enum sp_signal s, double cost)
{
    const struct sp_opt_candidate *c = &st->pb->cands[j];

    mark_selected(st, j, true);
    st->sig[j] = s;
    update_prod(st, j, -1, (int)s);
    take_signal(st, j, s, 1);
    set_group_count(st, c->group, st->group_count[c->group] + 1);
    if (c->city >= 0)
        st->city_count[c->city]++;
    st->n_sel++;
    st->cost += cost;
}

static void add(struct state *st, struct sp_opt_result *out, size_t j, enum sp_signal s,
                double cost, double gain)
{
    select_one(st, j, s, cost);
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

/* The best action of a step so far: the largest ratio, ties to the lowest
 * (candidate, signal) - the first a scan in candidate order would keep. */
struct best {
    size_t j;
    enum sp_signal s;
    double ratio, gain, cost;
    bool upgrade;
};

static void consider(struct best *b, size_t j, enum sp_signal s, double ratio, double gain,
                     double cost, bool upgrade)
{
    bool better = b->j == (size_t)-1 ? ratio > 0
                                     : ratio > b->ratio || (ratio == b->ratio &&
                                                            (j < b->j || (j == b->j && s < b->s)));

    if (better)
        *b = (struct best){j, s, ratio, gain, cost, upgrade};
}

static double denom_of(const struct state *st, int g)
{
    return st->rank_next[g] > FREE_COST ? st->rank_next[g] : FREE_COST;
}

/* Evaluate adding j (may be added, rows ready) unless its bound cannot reach the best
 * ratio so far; tighten its bound to what it gains now. */
/* Take the gains g of adding j (levels in mask) into the step's best, and
 * tighten j's bound to them. */
static void take_gains(struct state *st, size_t j, unsigned mask, const double g[3],
                       double min_gain, struct best *b)
{
    double denom = st->add_denom[j], gmax = -INFINITY;
    double rank_cost = st->rank_next[st->pb->cands[j].group];

    for (int s = 0; s < 3; s++) {
        double gain = g[s], ratio = gain / denom;
        if (!(mask & (1u << s)))
            continue;
        gmax = dmax(gmax, gain);
        if (gain < min_gain || gain <= 0)
            continue;
        /* No waste: an application must be worth its fee at the match's value. */
        if (st->pb->value_usd > 0 && min_gain > -INFINITY && gain * st->pb->value_usd < rank_cost)
            continue;
        consider(b, j, (enum sp_signal)s, ratio, gain, st->add_cost[j], false);
    }
    st->bound[j] = gmax + BOUND_SLACK(gmax);
}

static void evaluate_addition(struct state *st, size_t m, size_t j, double min_gain, struct best *b)
{
    double g[3];
    unsigned mask;

    if (st->bound[j] / st->add_denom[j] < b->ratio)
        return;
    mask = add_levels(st, j);
    gains_of(st, m, j, mask, g);
    take_gains(st, j, mask, g, min_gain, b);
}

/* Four additions without signals at once: the same sums, in the same order,
 * as add_gains(); side by side so that the four chains of additions overlap. */
static void evaluate_four(struct state *st, size_t m, const size_t js[4], double min_gain,
                          struct best *b)
{
    size_t nq = (size_t)st->nq;
    const double *R[4], *S[4], *P[4];
    double u[4], g[4] = {0, 0, 0, 0};

    for (int c = 0; c < 4; c++) {
        size_t pos = st->pos_of[js[c]], k = rank_before(st, m, pos);
        R[c] = &st->R[k * nq];
        S[c] = &st->S[k * nq];
        P[c] = &st->p[pos * nq * 3];
        u[c] = st->u[js[c]];
    }
    for (size_t e = 0; e < nq; e++) {
        double w = st->w[e];
        double k0 = w * (u[0] * R[0][e] - S[0][e]);
        double k1 = w * (u[1] * R[1][e] - S[1][e]);
        double k2 = w * (u[2] * R[2][e] - S[2][e]);
        double k3 = w * (u[3] * R[3][e] - S[3][e]);
        g[0] += k0 * P[0][e];
        g[1] += k1 * P[1][e];
        g[2] += k2 * P[2][e];
        g[3] += k3 * P[3][e];
    }
    for (int c = 0; c < 4; c++) {
        double gg[3] = {g[c], 0, 0};
        take_gains(st, js[c], 1, gg, min_gain, b);
    }
}

/* Upgrades of the m chosen programs in group (any when < 0) into b: few,
 * evaluated exactly. Signals are free: any gain at all is worth taking. */
static void step_upgrades(struct state *st, size_t m, int group, struct best *b)
{
    for (size_t k = 0; k < m; k++) {
        size_t pos = st->selpos[k], j = st->order[pos];
        unsigned mask = 0;
        double g[3];
        if (group >= 0 && st->pb->cands[j].group != group)
            continue;
        for (int s = (int)st->sig[j] + 1; s < 3; s++) {
            if (signal_available(st, j, (enum sp_signal)s))
                mask |= 1u << s;
        }
        if (!mask)
            continue;
        move_gains(st, pos, k, mask, g);
        for (int s = (int)st->sig[j] + 1; s < 3; s++) {
            if ((mask & (1u << s)) && g[s] > 1e-12)
                consider(b, j, (enum sp_signal)s, g[s] / FREE_COST, g[s], 0, true);
        }
    }
}

/* The candidates in the running for an addition: rebuilt (every unchosen one of
 * group) when the run of additions changes; kept and only narrowed otherwise. */
static void alive_reset(struct state *st, int group, bool ignore_budget, double min_gain)
{
    if (st->alive_valid && st->alive_group == group && st->alive_ignore_budget == ignore_budget &&
        st->alive_min_gain == min_gain)
        return;
    st->n_alive = 0;
    for (size_t j = 0; j < st->n; j++) {
        if (!st->sel[j] && (group < 0 || st->pb->cands[j].group == group))
            st->alive[st->n_alive++] = j;
    }
    st->alive_valid = true;
    st->alive_group = group;
    st->alive_ignore_budget = ignore_budget;
    st->alive_min_gain = min_gain;
}

/* One pass over the candidates still in the running: drops, for the rest of this
 * run of additions, those that can no longer be added (chosen, city full, group
 * closed, bound below the filters), keeps each one's bound ratio, and returns the
 * one with the largest (or (size_t)-1). */
static size_t alive_narrow(struct state *st, const bool *open, double min_gain)
{
    size_t kept = 0, top = (size_t)-1;
    double top_ratio = -INFINITY, inv[SP_OPT_MAX_GROUPS];

    for (int g = 0; g < st->pb->n_groups; g++)
        inv[g] = 1 / denom_of(st, g);
    for (size_t a = 0; a < st->n_alive; a++) {
        size_t j = st->alive[a];
        const struct sp_opt_candidate *c = &st->pb->cands[j];
        double bound = st->bound[j], ratio;
        if (st->sel[j] || !open[c->group] ||
            (st->pb->max_per_city > 0 && c->city >= 0 &&
             st->city_count[c->city] >= st->pb->max_per_city) ||
            bound <= 0 || bound < min_gain)
            continue;
        if (st->pb->value_usd > 0 && min_gain > -INFINITY &&
            bound * st->pb->value_usd < st->rank_next[c->group]) {
            /* The fee to beat falls only with a schedule whose ranking fee falls. */
            if (!st->rank_monotone[c->group]) {
                st->alive_ratio[kept] = -INFINITY;
                st->alive[kept++] = j;
            }
            continue;
        }
        ratio = bound * inv[c->group];
        st->alive_ratio[kept] = ratio;
        st->alive[kept++] = j;
        if (ratio > top_ratio) {
            top_ratio = ratio;
            top = j;
        }
    }
    st->n_alive = kept;
    return top;
}

/* Additions into b: the top one is evaluated, then every one whose bound ratio
 * reaches the best exact ratio so far. Every addition that could win or tie is
 * evaluated; the others cannot be chosen. */
static void step_additions(struct state *st, size_t m, size_t top, double min_gain, struct best *b)
{
    size_t four[4], n_four = 0;

    if (top != (size_t)-1) {
        int g = st->pb->cands[top].group;
        st->add_cost[top] = st->fee_next[g];
        st->add_denom[top] = denom_of(st, g);
        evaluate_addition(st, m, top, min_gain, b);
    }
    for (size_t a = 0; a < st->n_alive; a++) {
        size_t j = st->alive[a];
        int g;
        /* A little below the best: the exact test is below. */
        if (j == top || st->alive_ratio[a] < b->ratio * (1 - 1e-12))
            continue;
        g = st->pb->cands[j].group;
        st->add_cost[j] = st->fee_next[g];
        st->add_denom[j] = denom_of(st, g);
        if (st->bound[j] / st->add_denom[j] < b->ratio)
            continue;
        /* Without signals to place (the common case), four at a time. */
        if (add_levels(st, j) != 1) {
            evaluate_addition(st, m, j, min_gain, b);
            continue;
        }
        four[n_four++] = j;
        if (n_four == 4) {
            evaluate_four(st, m, four, min_gain, b);
            n_four = 0;
        }
    }
    for (size_t c = 0; c < n_four; c++)
        evaluate_addition(st, m, four[c], min_gain, b);
}

/* One greedy step restricted to group (or any group when group < 0). Returns
 * whether something was added or upgraded. */
static bool step(struct state *st, struct sp_opt_result *out, int group, bool ignore_budget,
                 double min_gain)
{
    struct best b = {(size_t)-1, SP_SIGNAL_NONE, 0, 0, 0, false};
    size_t m = prepare_rows(st);
    bool open[SP_OPT_MAX_GROUPS];

    if (!st->bounds_valid) {
        memcpy(st->bound, st->static_bound, st->n * sizeof(double));
        st->bounds_valid = true;
        st->alive_valid = false;
    }
    step_upgrades(st, m, group, &b);
    open_groups(st, ignore_budget, open);
    alive_reset(st, group, ignore_budget, min_gain);
    step_additions(st, m, alive_narrow(st, open, min_gain), min_gain, &b);
    if (b.j == (size_t)-1)
        return false;
    if (b.upgrade) {
        take_signal(st, b.j, st->sig[b.j], -1);
        update_prod(st, b.j, (int)st->sig[b.j], (int)b.s);
        st->sig[b.j] = b.s;
        take_signal(st, b.j, b.s, 1);
        if (out->n_chosen)
            record_curve(st, out);
        return true;
    }
    add(st, out, b.j, b.s, b.cost, b.gain);
    record_curve(st, out);
    return true;
}

static void remove_choice(struct state *st, size_t i, double cost)
{
    const struct sp_opt_candidate *c = &st->pb->cands[i];

    take_signal(st, i, st->sig[i], -1);
    update_prod(st, i, (int)st->sig[i], -1);
    mark_selected(st, i, false);
    st->sig[i] = SP_SIGNAL_NONE;
    set_group_count(st, c->group, st->group_count[c->group] - 1);
    if (c->city >= 0)
        st->city_count[c->city]--;
    st->n_sel--;
    st->cost -= cost;
    st->bounds_valid = false; /* gains rise when something leaves */
}

/* Swap one chosen application for one not chosen while that raises the objective
 * within the budget: greedy by ratio can strand budget under tiered fees or miss
 * pairs under correlation. For each chosen i, the best replacement is the
 * addition with the largest gain once i is out, taken if it gains more than i
 * gave.
 *
 * Most replacements are ruled out without evaluating them, from the gains g_j of
 * the selection with i (computed once per selection) and what removing i can do
 * to them: below i every term divides by 1 - p_i, so g_j' <= g_j / (1 - max p_i);
 * above i the rise is p_j p_i (u_i R_i - S_i / (1 - p_i)) per node, at most
 * max p_j times the value i adds, L_i. A candidate whose bound (plus rounding
 * slack) cannot pass the acceptance test is skipped; the rest are evaluated
 * exactly, in candidate order, so the swap made is the one a full evaluation
 * makes. */

/* Per selection (fresh): each unchosen candidate's level-0 gain by node segment,
 * in position order, with running maxima from above (prefix: gain, largest p by
 * segment) and from below (suffix: gain by segment), so that one removal's
 * bound over every candidate above or below it costs O(segments). */
static void swap_tables(struct state *st, size_t m)
{
    size_t nq = (size_t)st->nq, na = 0;

    for (size_t pos = 0; pos < st->n; pos++) {
        size_t j = st->order[pos], kj;
        const double *p0, *Rk, *Sk;
        double *gs, u, total = 0;
        if (st->sel[j])
            continue;
        kj = rank_before(st, m, pos);
        p0 = &st->p[pos * nq * 3];
        Rk = &st->R[kj * nq];
        Sk = &st->S[kj * nq];
        gs = &st->gseg[na * NSEG];
        u = st->u[j];
        for (size_t sg = 0; sg < NSEG; sg++) {
            double acc = 0;
            for (size_t e = st->seg_from[sg]; e < st->seg_from[sg + 1]; e++)
                acc += st->w[e] * (u * Rk[e] - Sk[e]) * p0[e];
            gs[sg] = acc;
            total += acc;
        }
        st->unsel[na] = j;
        st->unsel_pos[na] = pos;
        st->unsel_gain[na] = total;
        na++;
    }
    st->n_unsel = na;
    /* pre row a: over candidates 0 .. a-1; suf row a: over a .. na-1. */
    st->pre[0] = -INFINITY;
    for (size_t sg = 0; sg < NSEG; sg++)
        st->pre[1 + sg] = -INFINITY;
    for (size_t a = 0; a < na; a++) {
        const double *ps = &st->pseg[st->unsel[a] * NSEG];
        double *row = &st->pre[a * (1 + NSEG)], *next = row + 1 + NSEG;
        next[0] = dmax(row[0], st->unsel_gain[a]);
        for (size_t sg = 0; sg < NSEG; sg++)
            next[1 + sg] = dmax(row[1 + sg], ps[sg]);
    }
    for (size_t sg = 0; sg < NSEG; sg++)
        st->suf[na * NSEG + sg] = -INFINITY;
    for (size_t a = na; a-- > 0;) {
        for (size_t sg = 0; sg < NSEG; sg++)
            st->suf[a * NSEG + sg] = dmax(st->suf[(a + 1) * NSEG + sg], st->gseg[a * NSEG + sg]);
    }
}

/* What removing chosen program i does, per segment of nodes: below i each node's
 * gain divides by 1 - p_i (at most grow[seg]); above i it rises by p_j w p_i (u_i
 * R_i - S_i / (1 - p_i)), at most pseg[j][seg] * rise[seg]. The value i adds, L_i
 * (loss), is the sum of those terms without p_j. The candidates that could replace
 * i are unsel[from .. to); those before split are above i. */
struct removal {
    double grow[NSEG], rise[NSEG], slack_below, loss;
    bool inf_below;
    size_t split, from, to;
};

static void removal_bounds(struct removal *rm, const struct state *st, size_t i)
{
    size_t nq = (size_t)st->nq, pos_i = st->pos_of[i], ki;
    enum sp_signal sig_i = st->sig[i];
    double ub_above = -INFINITY, ub_below = -INFINITY, cut;

    memset(rm, 0, sizeof(*rm));
    for (ki = 0; st->selpos2[ki] != pos_i; ki++)
        ;
    for (size_t e = 0; e < nq; e++) {
        double pi = st->p[(pos_i * 3 + sig_i) * nq + e];
        double mi = st->u[i] * st->R2[ki * nq + e] - st->S2[(ki + 1) * nq + e] / (1 - pi);
        double term = st->w[e] * pi * mi;
        size_t sg = SEG(st, e);
        if (pi < 1 - 1e-6)
            rm->grow[sg] = dmax(rm->grow[sg], 1 / (1 - pi));
        else
            rm->inf_below = true;
        rm->rise[sg] += dmax(term, 0);
        rm->loss += term;
    }
    for (size_t sg = 0; sg < NSEG; sg++)
        rm->slack_below = dmax(rm->slack_below, 1e-12 * rm->grow[sg]);
    /* The bounds over every candidate above i and every one below. */
    for (rm->split = 0; rm->split < st->n_unsel && st->unsel_pos[rm->split] < pos_i; rm->split++)
        ;
    if (rm->split > 0) {
        const double *row = &st->pre[rm->split * (1 + NSEG)];
        ub_above = row[0];
        for (size_t sg = 0; sg < NSEG; sg++)
            ub_above += row[1 + sg] * rm->rise[sg];
        ub_above += BOUND_SLACK(ub_above);
    }
    if (rm->split < st->n_unsel) {
        const double *row = &st->suf[rm->split * NSEG];
        ub_below = rm->slack_below;
        for (size_t sg = 0; sg < NSEG; sg++)
            ub_below += row[sg] * rm->grow[sg];
        ub_below = rm->inf_below ? INFINITY : ub_below + BOUND_SLACK(ub_below);
    }
    /* A replacement must gain more than L_i (computed two ways, which agree
     * to far less than the margin). */
    cut = rm->loss - 1e-13 + 0.5e-12;
    rm->from = ub_above > cut ? 0 : rm->split;
    rm->to = ub_below > cut ? st->n_unsel : rm->split;
}

/* With i removed (value after, before it: before), the candidates whose bound
 * could make up what i gave, into swap_cands; returns how many. */
static size_t swap_candidates(struct state *st, const struct removal *rm, double before,
                              double after, int must_group)
{
    bool open[SP_OPT_MAX_GROUPS];
    size_t n_cand = 0;

    open_groups(st, false, open);
    for (size_t a = rm->from; a < rm->to; a++) {
        size_t j = st->unsel[a];
        double cost, ub = 0;
        const double *gs = &st->gseg[a * NSEG], *ps = &st->pseg[j * NSEG];
        if (!can_add_open(st, j, open))
            continue;
        /* A removal that leaves its group below its minimum is made up in that group. */
        if (must_group >= 0 && st->pb->cands[j].group != must_group)
            continue;
        cost = st->fee_next[st->pb->cands[j].group];
        if (a >= rm->split) {
            for (size_t sg = 0; sg < NSEG; sg++)
                ub += gs[sg] * rm->grow[sg];
            ub = rm->inf_below ? INFINITY : ub + rm->slack_below;
        } else {
            for (size_t sg = 0; sg < NSEG; sg++)
                ub += gs[sg] + ps[sg] * rm->rise[sg];
        }
        ub += BOUND_SLACK(ub);
        /* Cannot be taken: it cannot gain what i gave. */
        if (!(after + ub > before + 1e-12))
            continue;
        st->swap_cands[n_cand++] = (struct ranked){ub, j};
        st->add_cost[j] = cost;
    }
    return n_cand;
}

/* The best of the n_cand swap candidates (exact gains over the m rows), or
 * (size_t)-1 when none gains; its gain and cost into *gain, *cost. */
static size_t best_swap(struct state *st, size_t m, size_t n_cand, double *gain, double *cost)
{
    size_t best_j = (size_t)-1;

    *gain = 0;
    *cost = 0;
    /* Largest bound first, so the best found early rules most out; ties in
     * gain keep the lowest candidate, as a scan in candidate order would. */
    qsort(st->swap_cands, n_cand, sizeof(*st->swap_cands), cmp_ranked);
    for (size_t c = 0; c < n_cand; c++) {
        size_t j = st->swap_cands[c].j;
        double g[3];
        if (st->swap_cands[c].u < *gain)
            break;
        gains_of(st, m, j, 1, g);
        if (best_j == (size_t)-1 ? g[0] > 0 : g[0] > *gain || (g[0] == *gain && j < best_j)) {
            *gain = g[0];
            best_j = j;
            *cost = st->add_cost[j];
        }
    }
    return best_j;
}

/* Try to replace each unforced chosen program by one not chosen; a swap is taken
 * when it raises the value. Returns whether one was. */
static bool improve_swaps(struct state *st, struct sp_opt_result *out)
{
    size_t nq = (size_t)st->nq, m_fresh = 0;
    bool improved = false, fresh = false;
    double before_fresh = 0;

    for (size_t k = 0; k < out->n_chosen; k++) {
        size_t i = out->chosen[k], m, best_j;
        const struct sp_opt_candidate *ci = &st->pb->cands[i];
        double before, fee_i, best_gain, best_cost, after;
        enum sp_signal sig_i = st->sig[i];
        struct removal rm;

        if (ci->forced)
            continue;
        if (!fresh) {
            /* The selection's value and rows, kept while it stays the same (a
             * removal put back restores it exactly). */
            before_fresh = state_value(st, NULL);
            m_fresh = prepare_rows(st);
            memcpy(st->R2, st->R, (m_fresh + 1) * nq * sizeof(double));
            memcpy(st->S2, st->S, (m_fresh + 1) * nq * sizeof(double));
            memcpy(st->selpos2, st->selpos, m_fresh * sizeof(size_t));
            swap_tables(st, m_fresh);
            fresh = true;
        }
        before = before_fresh;
        removal_bounds(&rm, st, i);
        fee_i = marginal_fee(&st->pb->groups[ci->group], st->group_count[ci->group]);
        remove_choice(st, i, fee_i);
        if (rm.from >= rm.to) {
            /* No candidate can replace i: put it back, as after a failed search. */
            select_one(st, i, sig_i, fee_i);
            continue;
        }
        after = state_value(st, NULL);
        m = prepare_rows(st);
        best_j = best_swap(st, m,
                           swap_candidates(st, &rm, before, after,
                                           st->group_count[ci->group] <
                                                   st->pb->groups[ci->group].min_count
                                               ? ci->group
                                               : -1),
                           &best_gain, &best_cost);
        if (best_j != (size_t)-1 && after + best_gain > before + 1e-12) {
            out->n_chosen--; /* add() appends; put j in i's place instead */
            memmove(&out->chosen[k], &out->chosen[k + 1], (out->n_chosen - k) * sizeof(size_t));
            add(st, out, best_j, SP_SIGNAL_NONE, best_cost, best_gain);
            memmove(&out->chosen[k + 1], &out->chosen[k], (out->n_chosen - 1 - k) * sizeof(size_t));
            out->chosen[k] = best_j;
            improved = true;
            fresh = false;
        } else {
            select_one(st, i, sig_i, fee_i);
        }
    }
    return improved;
}

/* The gains of moving each chosen program's signal to every level (gain_up). */
static void compute_moves(struct state *st)
{
    size_t m = prepare_rows(st);

    for (size_t k = 0; k < m; k++) {
        size_t pos = st->selpos[k], j = st->order[pos];
        move_gains(st, pos, k, 7, &st->gain_up[j * 3]);
    }
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

        compute_moves(st);
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
        st->bounds_valid = false; /* a signal moves down: gains may rise */
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

int sp_opt_greedy(struct sp_opt_result *out, const struct sp_opt_problem *pb, struct sp_err *err)
{
    struct state st;
    int rc = 0;

    result_alloc(out, pb->n);
    state_init(&st, pb);
    init_static_bounds(&st);
    /* 1. Must-include programs, whatever they cost. */
    for (size_t j = 0; j < pb->n; j++) {
        double cost, rank_cost;
        if (!pb->cands[j].forced)
            continue;
        if (!can_add(&st, j, true, &cost, &rank_cost)) {
            rc = sp_err_at(err, SP_EINVAL, SP_WHY_INVALID, "include",
                           ": a must-include program breaks a "
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
        if (!step(&st, out, -1, false, pb->objective == SP_OBJ_MIN_COST ? 1e-12 : pb->min_gain))
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

/* As state_value() on a state holding this selection (the same order, the same
 * numbers, the same operations), without building one. */
double sp_opt_value(const struct sp_opt_problem *pb, const bool *chosen,
                    const enum sp_signal *signal, double *p_any_out)
{
    size_t nq = (size_t)pb->q->n, m = 0;
    struct ranked *sel = sp_xcalloc(pb->n ? pb->n : 1, sizeof(*sel));
    double r[SP_GH_MAX], ve[SP_GH_MAX], v = 0, any = 0;

    for (size_t j = 0; j < pb->n; j++) {
        if (chosen[j])
            sel[m++] =
                (struct ranked){pb->objective == SP_OBJ_UTILITY ? pb->cands[j].utility : 1.0, j};
    }
    qsort(sel, m, sizeof(*sel), cmp_ranked);
    for (size_t e = 0; e < nq; e++) {
        r[e] = 1;
        ve[e] = 0;
    }
    for (size_t k = 0; k < m; k++) {
        size_t j = sel[k].j;
        enum sp_signal s = signal ? signal[j] : SP_SIGNAL_NONE;
        double u = sel[k].u;
        for (size_t e = 0; e < nq; e++) {
            double pj = pb->p_app ? pb->p_app[(j * nq + e) * 3 + s]
                                  : sp_model_p_app(pb->m, &pb->cands[j].logits[s], pb->q->e[e]);
            ve[e] += u * pj * r[e];
            r[e] *= 1 - pj;
        }
    }
    for (size_t e = 0; e < nq; e++) {
        v += pb->q->w[e] * ve[e];
        any += pb->q->w[e] * (1 - r[e]);
    }
    free(sel);
    if (p_any_out)
        *p_any_out = any;
    return v;
}

int sp_opt_exact(struct sp_opt_result *out, const struct sp_opt_problem *pb, struct sp_err *err)
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
            st.selpos_valid = false;
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
        st.selpos_valid = false;
        if (st.sel[j])
            out->chosen[out->n_chosen++] = j;
    }
    out->value = state_value(&st, &out->p_any);
    out->cost = best_cost;
    state_release(&st);
    return 0;
}
