/*
 * The last resort for couples, after every Roth-Peranson try cycled: a depth-first search
 * over the agents' choices (each single: an entry of its list or none; each couple: a
 * pair of its list or none), best choice first, bounded by a node budget. It finds a
 * stable matching where one exists and the budget allows (smsuite/try3, where RP cycles),
 * and proves that none exists when it finishes the search within the budget.
 *
 * Pruning rests on one monotone fact: as agents are assigned, programs only gain
 * residents, so a program that is sure to admit someone now stays sure. A program is sure
 * to admit a resident of rank r when it already holds someone it ranks below r (that one
 * stays), or when it cannot fill up even if every unassigned resident who might go there
 * does. If an assigned agent prefers a choice that every program involved is sure to
 * admit, it will block whatever comes next: the branch is cut. A full assignment is
 * verified with sp_match_check() (the exact definition). Supplemental lists are not
 * searched (instances with them are left to Roth-Peranson).
 */
#include "match_internal.h"

#include "sp_alloc.h"

#include <stdlib.h>
#include <string.h>

#include "banned.h"

struct search {
    const sp_match_instance *in;
    const struct sp_m_layout *L;
    size_t n_agents;
    int32_t *agent;         /* >= 0: single resident; < 0: couple -(c + 1) */
    int32_t *choice;        /* per agent: chosen entry / pair (global index), or its list's end */
    int32_t *held;          /* per program, sorted ascending ranks, hcap slots each */
    int32_t *cnt;           /* per program */
    int32_t *future;        /* per program: unassigned residents that might still go there */
    int32_t *fut_off;       /* per agent id (couples c, then singles n_cpls + r): its programs */
    int32_t *fut_prog;      /* each program once per member that might go there */
    int32_t *mark;          /* scratch for distinct programs per agent */
    int32_t *sure1;         /* per program: it is sure to admit one resident of rank < sure1 */
    int32_t *sure2;         /* ... two residents whose worse rank is < sure2 */
    uint64_t nodes, budget; /* work: options examined, list entries updated */
    bool exhausted;
};

/* The k-th largest held rank at q (k = 1, 2), or -1. */
static int32_t worst(const struct search *s, int32_t q, int k)
{
    int32_t n = s->cnt[q];

    return n >= k ? s->held[s->L->ps[q].hoff + n - k] : -1;
}

static void refresh(struct search *s, int32_t q);

static void held_add(struct search *s, int32_t q, int32_t rank)
{
    int32_t *h = s->held + s->L->ps[q].hoff;
    int32_t n = s->cnt[q]++;

    while (n > 0 && h[n - 1] > rank) {
        h[n] = h[n - 1];
        n--;
    }
    h[n] = rank;
    refresh(s, q);
}

static void held_remove(struct search *s, int32_t q, int32_t rank)
{
    int32_t *h = s->held + s->L->ps[q].hoff;
    int32_t n = s->cnt[q]--;
    int32_t i = 0;

    while (h[i] != rank)
        i++;
    memmove(h + i, h + i + 1, (size_t)(n - i - 1) * sizeof(*h));
    refresh(s, q);
}

/*
 * Recompute q's thresholds after its held residents or its future changed. q is sure to
 * admit one resident of rank r when it holds one ranked below r, or cannot fill up; two
 * (the worse of rank r) when it holds two ranked below r, or one and cannot fill up, or
 * cannot come within two of full.
 */
static void refresh(struct search *s, int32_t q)
{
    int32_t cap = s->L->ps[q].hcap;
    int32_t most = s->cnt[q] + s->future[q];
    int32_t w1 = worst(s, q, 1), w2 = worst(s, q, 2);

    s->sure1[q] = cap < 1 ? -1 : most <= cap - 1 ? INT32_MAX : w1;
    if (cap < 2)
        s->sure2[q] = -1;
    else if (most <= cap - 2)
        s->sure2[q] = INT32_MAX;
    else
        s->sure2[q] = most <= cap - 1 && w1 > w2 ? w1 : w2;
}

/* Capacity-feasible to add this choice? Adds it if so. */
static bool take(struct search *s, size_t i, int32_t k)
{
    const struct sp_m_layout *L = s->L;
    int32_t a = s->agent[i];

    if (a >= 0) {
        if (k == L->eoff[a + 1])
            return true;
        int32_t q = L->e[k].prog;
        if (s->cnt[q] >= L->ps[q].hcap)
            return false;
        held_add(s, q, L->e[k].prank & SP_M_RANK_MASK);
        return true;
    }
    int32_t c = -a - 1;
    if (k == L->coff[c + 1])
        return true;
    const struct sp_m_pair *P = &L->cp[k];
    if (P->p1 >= 0 && P->p1 == P->p2) {
        if (s->cnt[P->p1] + 2 > L->ps[P->p1].hcap)
            return false;
    } else if ((P->p1 >= 0 && s->cnt[P->p1] >= L->ps[P->p1].hcap) ||
               (P->p2 >= 0 && s->cnt[P->p2] >= L->ps[P->p2].hcap)) {
        return false;
    }
    if (P->p1 >= 0)
        held_add(s, P->p1, P->r1);
    if (P->p2 >= 0)
        held_add(s, P->p2, P->r2);
    return true;
}

static void untake(struct search *s, size_t i, int32_t k)
{
    const struct sp_m_layout *L = s->L;
    int32_t a = s->agent[i];

    if (a >= 0) {
        if (k < L->eoff[a + 1])
            held_remove(s, L->e[k].prog, L->e[k].prank & SP_M_RANK_MASK);
        return;
    }
    int32_t c = -a - 1;
    if (k == L->coff[c + 1])
        return;
    if (L->cp[k].p1 >= 0)
        held_remove(s, L->cp[k].p1, L->cp[k].r1);
    if (L->cp[k].p2 >= 0)
        held_remove(s, L->cp[k].p2, L->cp[k].r2);
}

static size_t agent_id(const struct search *s, int32_t a)
{
    return a < 0 ? (size_t)(-a - 1) : s->in->n_cpls + (size_t)a;
}

/* Add d to future[] of each program agent i might take (once per member). */
static void future_add(struct search *s, size_t i, int32_t d)
{
    size_t id = agent_id(s, s->agent[i]);

    for (int32_t k = s->fut_off[id]; k < s->fut_off[id + 1]; k++) {
        int32_t q = s->fut_prog[k];
        s->future[q] += d;
        refresh(s, q);
    }
    s->nodes += (uint64_t)(s->fut_off[id + 1] - s->fut_off[id]);
}

/* The distinct programs of each agent's list, per member. */
static void build_future_lists(struct search *s)
{
    const struct sp_m_layout *L = s->L;
    size_t nc = s->in->n_cpls, n_ids = nc + L->n_res;
    size_t n = 0, cap = 0;
    int32_t tag = 0;

    s->fut_off = sp_xmalloc((n_ids + 1) * sizeof(int32_t));
    for (size_t id = 0; id < n_ids; id++) {
        s->fut_off[id] = (int32_t)n;
        if (id < nc) {
            for (int m = 0; m < 2; m++) {
                tag++;
                for (int32_t k = L->coff[id]; k < L->coff[id + 1]; k++) {
                    int32_t q = m ? L->cp[k].p2 : L->cp[k].p1;
                    if (q < 0 || s->mark[q] == tag)
                        continue;
                    s->mark[q] = tag;
                    SP_GROW(s->fut_prog, cap, n + 1);
                    s->fut_prog[n++] = q;
                }
            }
        } else {
            size_t r = id - nc;
            if (L->kind[r] != SP_RES_SINGLE)
                continue;
            for (int32_t k = L->eoff[r]; k < L->eoff[r + 1]; k++) {
                SP_GROW(s->fut_prog, cap, n + 1);
                s->fut_prog[n++] = L->e[k].prog;
            }
        }
    }
    s->fut_off[n_ids] = (int32_t)n;
}

/* Does assigned agent i surely block, whatever the unassigned agents do? */
static bool sure_block(struct search *s, size_t i)
{
    const struct sp_m_layout *L = s->L;
    int32_t a = s->agent[i];
    int32_t k = s->choice[i];

    s->nodes += 1 + (uint64_t)(k - (a >= 0 ? L->eoff[a] : L->coff[-a - 1]));
    if (a >= 0) {
        for (int32_t j = L->eoff[a]; j < k; j++) {
            if ((L->e[j].prank & SP_M_RANK_MASK) < s->sure1[L->e[j].prog])
                return true;
        }
        return false;
    }
    int32_t c = -a - 1;
    for (int32_t j = L->coff[c]; j < k; j++) {
        const struct sp_m_pair *P = &L->cp[j];
        bool yes;
        if (P->p1 >= 0 && P->p1 == P->p2)
            yes = (P->r1 > P->r2 ? P->r1 : P->r2) < s->sure2[P->p1];
        else
            yes = (P->p1 < 0 || P->r1 < s->sure1[P->p1]) && (P->p2 < 0 || P->r2 < s->sure1[P->p2]);
        if (yes)
            return true;
    }
    return false;
}

/* Can choice k of agent a still be taken (its programs not full)? Full stays full. */
static bool fits(const struct search *s, int32_t a, int32_t k)
{
    const struct sp_m_layout *L = s->L;

    if (a >= 0)
        return s->cnt[L->e[k].prog] < L->ps[L->e[k].prog].hcap;
    const struct sp_m_pair *P = &L->cp[k];
    if (P->p1 >= 0 && P->p1 == P->p2)
        return s->cnt[P->p1] + 2 <= L->ps[P->p1].hcap;
    return (P->p1 < 0 || s->cnt[P->p1] < L->ps[P->p1].hcap) &&
           (P->p2 < 0 || s->cnt[P->p2] < L->ps[P->p2].hcap);
}

/*
 * Forward check of unassigned agent i: whatever it takes must not be worse than its
 * first choice that a program is already sure to admit (else it would block). Returns
 * how many choices remain open (0: the branch is dead); "unmatched" counts when no
 * choice is sure.
 */
static int32_t open_choices(struct search *s, size_t i)
{
    const struct sp_m_layout *L = s->L;
    int32_t a = s->agent[i];
    int32_t first = a >= 0 ? L->eoff[a] : L->coff[-a - 1];
    int32_t end = a >= 0 ? L->eoff[a + 1] : L->coff[-a];
    int32_t n = 0;

    for (int32_t k = first; k < end; k++) {
        bool sure;
        s->nodes++;
        n += fits(s, a, k);
        if (a >= 0) {
            sure = (L->e[k].prank & SP_M_RANK_MASK) < s->sure1[L->e[k].prog];
        } else {
            const struct sp_m_pair *P = &L->cp[k];
            if (P->p1 >= 0 && P->p1 == P->p2)
                sure = (P->r1 > P->r2 ? P->r1 : P->r2) < s->sure2[P->p1];
            else
                sure = (P->p1 < 0 || P->r1 < s->sure1[P->p1]) &&
                       (P->p2 < 0 || P->r2 < s->sure1[P->p2]);
        }
        if (sure)
            return n;
    }
    return n + 1;
}

static bool assignment_stable(const struct search *s, int32_t *program)
{
    const struct sp_m_layout *L = s->L;
    const sp_match_instance *in = s->in;
    struct sp_match_check chk;

    for (size_t r = 0; r < in->n_apps; r++)
        program[r] = SP_M_NONE;
    for (size_t i = 0; i < s->n_agents; i++) {
        int32_t a = s->agent[i], k = s->choice[i];
        if (a >= 0) {
            if (k < L->eoff[a + 1])
                program[a] = L->e[k].prog;
        } else {
            int32_t c = -a - 1;
            if (k < L->coff[c + 1]) {
                program[in->cpls[c].member[0]] = L->cp[k].p1;
                program[in->cpls[c].member[1]] = L->cp[k].p2;
            }
        }
    }
    return sp_match_check(&chk, in, program, NULL, NULL) == 0 && chk.stable;
}

static bool dfs(struct search *s, size_t i, int32_t *program)
{
    const struct sp_m_layout *L = s->L;

    if (i == s->n_agents)
        return assignment_stable(s, program);
    if (s->nodes > s->budget) {
        s->exhausted = true;
        return false;
    }
    /* Branch on the unassigned agent with the fewest open choices (fail first). */
    size_t best = i;
    int32_t best_n = INT32_MAX;
    for (size_t j = i; j < s->n_agents; j++) {
        int32_t n = open_choices(s, j);
        if (n < best_n) {
            best_n = n;
            best = j;
            if (n == 0)
                return false;
        }
    }
    int32_t a = s->agent[best];
    s->agent[best] = s->agent[i];
    s->agent[i] = a;
    int32_t first = a >= 0 ? L->eoff[a] : L->coff[-a - 1];
    int32_t end = a >= 0 ? L->eoff[a + 1] : L->coff[-a];
    future_add(s, i, -1);
    for (int32_t k = first; k <= end && !s->exhausted; k++) {
        if (!take(s, i, k))
            continue;
        s->choice[i] = k;
        bool cut = false;
        for (size_t j = 0; j <= i && !cut; j++)
            cut = sure_block(s, j);
        if (!cut && dfs(s, i + 1, program))
            return true;
        untake(s, i, k);
    }
    future_add(s, i, +1);
    return false;
}

static uint64_t mix(uint64_t *state)
{
    uint64_t z = (*state += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

/* Agent order of restart t: couples first, in input order (t = 0), reversed (t = 1), or
 * shuffled; then the singles in the same manner. */
static void order_agents(struct search *s, unsigned t, uint64_t *rng)
{
    const struct sp_m_layout *L = s->L;
    size_t nc = s->in->n_cpls, n = 0;

    for (size_t c = 0; c < nc; c++)
        s->agent[n++] = -(int32_t)c - 1;
    for (size_t r = 0; r < L->n_res; r++) {
        if (L->kind[r] == SP_RES_SINGLE)
            s->agent[n++] = (int32_t)r;
    }
    s->n_agents = n;
    for (int part = 0; part < 2; part++) {
        int32_t *v = part ? s->agent + nc : s->agent;
        size_t m = part ? n - nc : nc;
        if (t == 1) {
            for (size_t i = 0; i < m / 2; i++) {
                int32_t x = v[i];
                v[i] = v[m - 1 - i];
                v[m - 1 - i] = x;
            }
        } else if (t > 1) {
            for (size_t i = m; i > 1; i--) {
                size_t j = (size_t)(mix(rng) % i);
                int32_t x = v[i - 1];
                v[i - 1] = v[j];
                v[j] = x;
            }
        }
    }
}

/*
 * Restarts: the search's run time varies by orders of magnitude with the order of the
 * agents, so it runs with a budget that doubles from restart to restart, each with
 * another order, until a matching is found, one restart finishes (then none exists), or
 * the total budget is spent.
 */
int sp_match__search(struct sp_m_state *st, bool *proven_none, uint64_t budget, uint64_t seed)
{
    const sp_match_instance *in = st->in;
    const struct sp_m_layout *L = st->L;
    struct search s;
    bool found = false;
    uint64_t used = 0, rng = seed ^ 0x5eed5eed5eedULL;

    *proven_none = false;
    if (L->has_heads)
        return SP_ENOSTABLE;
    memset(&s, 0, sizeof(s));
    s.in = in;
    s.L = L;
    s.agent = sp_xmalloc((L->n_res + in->n_cpls + 1) * sizeof(int32_t));
    s.choice = sp_xmalloc((L->n_res + in->n_cpls + 1) * sizeof(int32_t));
    s.held = sp_xmalloc((L->heap_total + 1) * sizeof(int32_t));
    s.cnt = sp_xcalloc(in->n_progs + 1, sizeof(int32_t));
    s.future = sp_xcalloc(in->n_progs + 1, sizeof(int32_t));
    s.mark = sp_xmalloc((in->n_progs + 1) * sizeof(int32_t));
    s.sure1 = sp_xmalloc((in->n_progs + 1) * sizeof(int32_t));
    s.sure2 = sp_xmalloc((in->n_progs + 1) * sizeof(int32_t));
    int32_t *program = sp_xmalloc((in->n_apps + 1) * sizeof(int32_t));
    for (size_t q = 0; q < in->n_progs; q++)
        s.mark[q] = 0;
    build_future_lists(&s);

    for (unsigned t = 0; used < budget && !found && !*proven_none; t++) {
        uint64_t slice = (uint64_t)1000000 << (t < 40 ? t : 40);
        order_agents(&s, t, &rng);
        memset(s.cnt, 0, (in->n_progs + 1) * sizeof(int32_t));
        memset(s.future, 0, (in->n_progs + 1) * sizeof(int32_t));
        for (size_t i = 0; i < s.n_agents; i++)
            future_add(&s, i, +1);
        for (size_t q = 0; q < in->n_progs; q++)
            refresh(&s, (int32_t)q);
        s.nodes = 0;
        s.exhausted = false;
        s.budget = slice < budget - used ? slice : budget - used;
        found = dfs(&s, 0, program);
        used += s.nodes;
        *proven_none = !found && !s.exhausted;
    }
    if (found) {
        for (size_t i = 0; i < s.n_agents; i++) {
            if (s.agent[i] >= 0)
                st->cur[s.agent[i]] = s.choice[i];
            else
                st->ccur[-s.agent[i] - 1] = s.choice[i];
        }
    }
    st->steps += used;
    free(s.agent);
    free(s.choice);
    free(s.held);
    free(s.cnt);
    free(s.future);
    free(s.mark);
    free(s.fut_off);
    free(s.fut_prog);
    free(s.sure1);
    free(s.sure2);
    free(program);
    return found ? 0 : SP_ENOSTABLE;
}
