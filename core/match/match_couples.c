/*
 * The Roth-Peranson phase: couples and supplemental PGY-1 lists, added on top of the
 * singles' deferred acceptance (docs/MATCH.md "Algorithm").
 *
 * The singles' matching is stable among singles. Then each couple is added in turn, and
 * after each one the market is brought back to rest:
 *   - a couple applies down its list of program pairs from where it stands; a pair is
 *     taken when both programs would admit their member (a pair (q, q) needs two seats),
 *     the couple's own current seats counting as free;
 *   - residents bumped by an admission are re-entered: a single or a PGY-1 head continues
 *     down its list; a bumped couple member makes the couple withdraw its other member
 *     too, and the couple continues down its list;
 *   - every seat given up (a withdrawal, an upgrade, a couple moving) is a vacancy: the
 *     program's list is scanned and every resident the program would now admit and that
 *     prefers it to its current match is re-entered from that entry. This is what keeps
 *     the result stable when seats open up, which plain deferred acceptance never sees.
 * A single holding an advanced program activates its PGY-1 head, which then applies down
 * the supplemental list like a single; losing the advanced program (or trading it for a
 * non-advanced one) withdraws the head.
 *
 * Re-entered residents wait in two queues, singles (and heads) first, as in the paper.
 * The procedure can cycle. Every pop computes a 64-bit key of the state (a Zobrist hash
 * of all seats, and of the queued residents and couples with their start positions);
 * Brent's method finds a repeated key in O(1) memory, within twice the cycle's length
 * plus its start. A work cap bounds the rest. A cycling try is abandoned; the caller
 * retries with the couples (and heads) entered in a random order.
 */
#include "match_internal.h"

#include "sp_alloc.h"

#include <stdlib.h>
#include <string.h>

#include "banned.h"

#define NO_PEND INT32_MAX

struct sp_m_rp {
    struct sp_m_state *s;
    const sp_match_instance *in;
    const struct sp_m_layout *L;
    size_t n_res, n_progs, n_cpls;
    /* the state after the singles' deferred acceptance, restored by each try */
    int32_t *snap_cur, *snap_cnt, *snap_heap;
    /* queues: circular buffers, with per-item pending start and membership */
    int32_t *rq, *cq;
    size_t rq_head, rq_len, cq_head, cq_len;
    uint8_t *in_rq, *in_cq;
    int32_t *pend, *cpend;
    int32_t *order;
    uint64_t hash;  /* seats */
    uint64_t qhash; /* queued residents and couples, with their starts */
    uint64_t steps, max_steps;
    /* Brent's cycle detection */
    uint64_t saved_key, power, lam;
    uint64_t period, hits; /* a repeat seen: its period, and how often it recurred */
};

static inline uint64_t mix64(uint64_t z)
{
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

static inline uint64_t zseat(int32_t r, int32_t q)
{
    return mix64(((uint64_t)(uint32_t)r << 32 | (uint32_t)q) + 0x9e3779b97f4a7c15ULL);
}

static inline uint64_t zres(int32_t r, int32_t start)
{
    return mix64(((uint64_t)(uint32_t)r << 32 | (uint32_t)start) ^ 0x5851f42d4c957f2dULL);
}

static inline uint64_t zcpl(int32_t c, int32_t start)
{
    return mix64(((uint64_t)(uint32_t)c << 32 | (uint32_t)start) ^ 0x2545f4914f6cdd1dULL);
}

static uint64_t rng_next(uint64_t *state)
{
    *state += 0x9e3779b97f4a7c15ULL;
    return mix64(*state);
}

/* ---- seats: per-program max-heaps of held ranks, with each resident's position ----------- */

static inline void hp_set(struct sp_m_rp *x, int32_t *h, int32_t poff, int32_t i, int32_t v)
{
    h[i] = v;
    x->s->hpos[x->L->pr_res[poff + v]] = i;
}

static void hp_up(struct sp_m_rp *x, int32_t q, int32_t i)
{
    const struct sp_m_pslot *p = &x->L->ps[q];
    int32_t *h = x->s->heap + p->hoff;
    int32_t v = h[i];

    while (i > 0) {
        int32_t parent = (i - 1) >> 1;
        if (h[parent] >= v)
            break;
        hp_set(x, h, p->poff, i, h[parent]);
        i = parent;
    }
    hp_set(x, h, p->poff, i, v);
}

static void hp_down(struct sp_m_rp *x, int32_t q, int32_t i)
{
    const struct sp_m_pslot *p = &x->L->ps[q];
    int32_t *h = x->s->heap + p->hoff;
    int32_t n = x->s->cnt[q];
    int32_t v = h[i];

    for (;;) {
        int32_t c = 2 * i + 1;
        if (c >= n)
            break;
        if (c + 1 < n && h[c + 1] > h[c])
            c++;
        if (h[c] <= v)
            break;
        hp_set(x, h, p->poff, i, h[c]);
        i = c;
    }
    hp_set(x, h, p->poff, i, v);
}

static void seat_insert(struct sp_m_rp *x, int32_t r, int32_t q, int32_t rank)
{
    struct sp_m_state *s = x->s;
    int32_t n = s->cnt[q]++;

    s->heap[x->L->ps[q].hoff + n] = rank;
    hp_up(x, q, n);
    s->seat[r] = q;
    x->hash ^= zseat(r, q);
}

static void seat_remove(struct sp_m_rp *x, int32_t r)
{
    struct sp_m_state *s = x->s;
    int32_t q = s->seat[r];
    int32_t i = s->hpos[r];
    int32_t n = --s->cnt[q];
    int32_t *h = s->heap + x->L->ps[q].hoff;

    if (i != n) {
        int32_t moved = h[n];
        int32_t was = h[i];
        h[i] = moved;
        if (moved > was)
            hp_up(x, q, i);
        else
            hp_down(x, q, i);
    }
    s->seat[r] = SP_M_NONE;
    x->hash ^= zseat(r, q);
}

/* Remove the worst held resident of q (the program is full); returns it. */
static int32_t seat_evict_top(struct sp_m_rp *x, int32_t q)
{
    const struct sp_m_pslot *p = &x->L->ps[q];
    int32_t r = x->L->pr_res[p->poff + x->s->heap[p->hoff]];

    seat_remove(x, r);
    return r;
}

/* The k (1 or 2) largest held ranks at q other than the ranks in own[0..n_own). The k-th
 * largest value of a max-heap lies in its first 2^k - 1 slots; with up to two own values
 * to skip, the first 15 slots hold the answer. out[i] = INT32_MAX when there is none. */
static void top_others(const struct sp_m_rp *x, int32_t q, const int32_t *own, int n_own,
                       int32_t *out, int k)
{
    const int32_t *h = x->s->heap + x->L->ps[q].hoff;
    int32_t n = x->s->cnt[q] < 15 ? x->s->cnt[q] : 15;
    int32_t best[2] = {-1, -1};

    for (int32_t i = 0; i < n; i++) {
        int32_t v = h[i];
        bool skip = false;
        for (int j = 0; j < n_own; j++)
            skip |= own[j] == v;
        if (skip)
            continue;
        if (v > best[0]) {
            best[1] = best[0];
            best[0] = v;
        } else if (v > best[1]) {
            best[1] = v;
        }
    }
    for (int i = 0; i < k; i++)
        out[i] = best[i] < 0 ? INT32_MAX : best[i];
}

/* ---- queues ---------------------------------------------------------------------------- */

static void enqueue_res(struct sp_m_rp *x, int32_t r, int32_t start)
{
    if (x->in_rq[r]) {
        if (start < x->pend[r]) {
            x->qhash ^= zres(r, x->pend[r]) ^ zres(r, start);
            x->pend[r] = start;
        }
        return;
    }
    x->in_rq[r] = 1;
    x->pend[r] = start;
    x->qhash ^= zres(r, start);
    x->rq[(x->rq_head + x->rq_len++) % x->n_res] = r;
}

static void enqueue_cpl(struct sp_m_rp *x, int32_t c, int32_t start)
{
    if (x->in_cq[c]) {
        if (start < x->cpend[c]) {
            x->qhash ^= zcpl(c, x->cpend[c]) ^ zcpl(c, start);
            x->cpend[c] = start;
        }
        return;
    }
    x->in_cq[c] = 1;
    x->cpend[c] = start;
    x->qhash ^= zcpl(c, start);
    x->cq[(x->cq_head + x->cq_len++) % x->n_cpls] = c;
}

/* A seat at q was given up: re-enter everyone q would now admit who prefers q. */
static void vacancy(struct sp_m_rp *x, int32_t q)
{
    const struct sp_m_layout *L = x->L;
    const struct sp_m_pslot *p = &L->ps[q];
    struct sp_m_state *s = x->s;
    int32_t lim = s->cnt[q] >= p->hcap ? s->heap[p->hoff] : p->plen;

    x->steps += (uint64_t)lim;
    for (int32_t j = 0; j < lim; j++) {
        int32_t r = L->pr_res[p->poff + j];
        int32_t g = L->pr_arank[p->poff + j];
        switch (L->kind[r]) {
        case SP_RES_SINGLE:
            if (g < s->cur[r])
                enqueue_res(x, r, g);
            break;
        case SP_RES_PGY1:
            if (s->active[r] && g < s->cur[r])
                enqueue_res(x, r, g);
            break;
        default: {
            int32_t c = L->owner[r];
            if (g < s->ccur[c])
                enqueue_cpl(x, c, g);
            break;
        }
        }
    }
}

static void head_deactivate(struct sp_m_rp *x, int32_t h)
{
    struct sp_m_state *s = x->s;

    if (!s->active[h])
        return;
    s->active[h] = 0;
    s->cur[h] = x->L->eoff[h + 1];
    if (s->seat[h] >= 0) {
        int32_t q = s->seat[h];
        seat_remove(x, h);
        vacancy(x, q);
    }
}

/* Single r now holds q: its PGY-1 head is active exactly while q is advanced. */
static void head_update(struct sp_m_rp *x, int32_t r, int32_t q)
{
    struct sp_m_state *s = x->s;
    int32_t h = x->L->owner[r];

    if (h < 0)
        return;
    if (x->in->progs[q].track != SP_TRACK_ADVANCED) {
        head_deactivate(x, h);
        return;
    }
    if (!s->active[h]) {
        s->active[h] = 1;
        s->cur[h] = x->L->eoff[h + 1];
        enqueue_res(x, h, x->L->eoff[h]);
    }
}

static int32_t partner_of(const struct sp_m_rp *x, int32_t m)
{
    const struct sp_m_couple *c = &x->in->cpls[x->L->owner[m]];

    return c->member[0] == m ? c->member[1] : c->member[0];
}

/* Resident v was bumped from its seat (already removed). */
static void on_bumped(struct sp_m_rp *x, int32_t v)
{
    const struct sp_m_layout *L = x->L;
    struct sp_m_state *s = x->s;

    if (L->kind[v] != SP_RES_MEMBER) {
        int32_t k = s->cur[v];
        s->cur[v] = L->eoff[v + 1];
        enqueue_res(x, v, k + 1);
        if (L->kind[v] == SP_RES_SINGLE && L->owner[v] >= 0)
            head_deactivate(x, L->owner[v]);
        return;
    }
    int32_t c = L->owner[v];
    int32_t y = partner_of(x, v);
    if (s->seat[y] >= 0) {
        int32_t q = s->seat[y];
        seat_remove(x, y);
        vacancy(x, q);
    }
    int32_t k = s->ccur[c];
    if (k < L->coff[c + 1]) {
        s->ccur[c] = L->coff[c + 1];
        enqueue_cpl(x, c, k + 1);
    }
}

static void process_res(struct sp_m_rp *x, int32_t r, int32_t k)
{
    const struct sp_m_layout *L = x->L;
    struct sp_m_state *s = x->s;
    int32_t end = s->cur[r];

    if (L->kind[r] == SP_RES_PGY1 && !s->active[r])
        return;
    if (k < L->eoff[r])
        k = L->eoff[r];
    for (; k < end; k++) {
        int32_t q = L->e[k].prog;
        int32_t rank = L->e[k].prank & SP_M_RANK_MASK;
        const struct sp_m_pslot *p = &L->ps[q];
        x->steps++;
        if (s->cnt[q] < p->hcap || rank < s->heap[p->hoff]) {
            int32_t old = s->seat[r];
            int32_t bumped = SP_M_NONE;
            if (old >= 0)
                seat_remove(x, r);
            if (s->cnt[q] >= p->hcap)
                bumped = seat_evict_top(x, q);
            seat_insert(x, r, q, rank);
            s->cur[r] = k;
            if (old >= 0)
                vacancy(x, old);
            if (bumped >= 0)
                on_bumped(x, bumped);
            if (L->kind[r] == SP_RES_SINGLE)
                head_update(x, r, q);
            return;
        }
    }
}

/* Would the couple get pair k, its own seats counting as free? */
static bool couple_fits(const struct sp_m_rp *x, int32_t m1, int32_t m2, const struct sp_m_pair *P)
{
    const struct sp_m_state *s = x->s;
    const struct sp_m_layout *L = x->L;
    int32_t seat[2] = {s->seat[m1], s->seat[m2]};
    int32_t mine[2];

    for (int i = 0; i < 2; i++) {
        int32_t m = i ? m2 : m1;
        mine[i] = seat[i] >= 0 ? s->heap[L->ps[seat[i]].hoff + s->hpos[m]] : -1;
    }
    if (P->p1 >= 0 && P->p1 == P->p2) {
        int32_t q = P->p1, own[2], w[2];
        int n_own = 0;
        for (int i = 0; i < 2; i++) {
            if (seat[i] == q)
                own[n_own++] = mine[i];
        }
        int32_t room = L->ps[q].hcap - (s->cnt[q] - n_own);
        if (room >= 2)
            return true;
        top_others(x, q, own, n_own, w, 2);
        int32_t bar = room == 1 ? w[0] : w[1];
        return P->r1 < bar && P->r2 < bar;
    }
    for (int i = 0; i < 2; i++) {
        int32_t q = i ? P->p2 : P->p1;
        int32_t rank = i ? P->r2 : P->r1;
        int32_t own[2], w;
        int n_own = 0;
        if (q < 0)
            continue;
        for (int j = 0; j < 2; j++) {
            if (seat[j] == q)
                own[n_own++] = mine[j];
        }
        if (L->ps[q].hcap - (s->cnt[q] - n_own) >= 1)
            continue;
        top_others(x, q, own, n_own, &w, 1);
        if (rank >= w)
            return false;
    }
    return true;
}

static void couple_take(struct sp_m_rp *x, int32_t c, int32_t k)
{
    const struct sp_m_layout *L = x->L;
    struct sp_m_state *s = x->s;
    const struct sp_m_couple *cp = &x->in->cpls[c];
    const struct sp_m_pair *P = &L->cp[k];
    int32_t old[2], bumped[2];
    int n_bumped = 0;

    for (int i = 0; i < 2; i++) {
        old[i] = s->seat[cp->member[i]];
        if (old[i] >= 0)
            seat_remove(x, cp->member[i]);
    }
    for (int i = 0; i < 2; i++) {
        int32_t q = i ? P->p2 : P->p1;
        if (q < 0)
            continue;
        if (s->cnt[q] >= L->ps[q].hcap)
            bumped[n_bumped++] = seat_evict_top(x, q);
        seat_insert(x, cp->member[i], q, i ? P->r2 : P->r1);
    }
    s->ccur[c] = k;
    for (int i = 0; i < 2; i++) {
        if (old[i] >= 0 && (i == 0 || old[1] != old[0]))
            vacancy(x, old[i]);
    }
    for (int i = 0; i < n_bumped; i++)
        on_bumped(x, bumped[i]);
}

static void process_cpl(struct sp_m_rp *x, int32_t c, int32_t k)
{
    const struct sp_m_layout *L = x->L;
    const struct sp_m_couple *cp = &x->in->cpls[c];
    int32_t end = x->s->ccur[c];

    if (k < L->coff[c])
        k = L->coff[c];
    for (; k < end; k++) {
        x->steps++;
        if (couple_fits(x, cp->member[0], cp->member[1], &L->cp[k])) {
            couple_take(x, c, k);
            return;
        }
    }
}

/*
 * Brent's method over the keys of successive pops. A repeat of the saved key is taken as
 * a cycle only when it recurs with the same period twice more: the key hashes the seats
 * and the queued items but not the queue's order, so one repeat alone could be chance.
 */
static bool cycle_seen(struct sp_m_rp *x, uint64_t key)
{
    if (x->period) {
        x->lam++;
        if (x->lam < x->period)
            return false;
        if (key != x->saved_key) {
            x->period = 0; /* not periodic: back to plain Brent from here */
            x->saved_key = key;
            x->power = 1;
            x->lam = 1;
            return false;
        }
        x->lam = 0;
        return ++x->hits >= 3;
    }
    if (key == x->saved_key && x->lam > 0) {
        x->period = x->lam;
        x->hits = 1;
        x->lam = 0;
        return false;
    }
    if (x->lam == x->power) {
        x->saved_key = key;
        x->power *= 2;
        x->lam = 0;
    }
    x->lam++;
    return false;
}

/* Run the queues to rest. */
static int settle(struct sp_m_rp *x, enum sp_match_stop *stop)
{
    for (;;) {
        int32_t item, start;
        uint64_t key;
        bool couple;
        if (x->rq_len) {
            item = x->rq[x->rq_head];
            x->rq_head = (x->rq_head + 1) % x->n_res;
            x->rq_len--;
            x->in_rq[item] = 0;
            start = x->pend[item];
            x->pend[item] = NO_PEND;
            x->qhash ^= zres(item, start);
            key = zres(item, start);
            couple = false;
        } else if (x->cq_len) {
            item = x->cq[x->cq_head];
            x->cq_head = (x->cq_head + 1) % x->n_cpls;
            x->cq_len--;
            x->in_cq[item] = 0;
            start = x->cpend[item];
            x->cpend[item] = NO_PEND;
            x->qhash ^= zcpl(item, start);
            key = ~zcpl(item, start);
            couple = true;
        } else {
            return 0;
        }
        if (cycle_seen(x, key ^ x->hash ^ x->qhash)) {
            *stop = SP_STOP_CYCLE;
            return SP_ENOSTABLE;
        }
        if (couple)
            process_cpl(x, item, start);
        else
            process_res(x, item, start);
        if (x->steps > x->max_steps) {
            *stop = SP_STOP_STEPS;
            return SP_ENOSTABLE;
        }
    }
}

struct sp_m_rp *sp_match__rp_new(struct sp_m_state *s, uint64_t max_steps)
{
    struct sp_m_rp *x = sp_xcalloc(1, sizeof(*x));
    const struct sp_m_layout *L = s->L;

    x->s = s;
    x->in = s->in;
    x->L = L;
    x->n_res = L->n_res;
    x->n_progs = s->in->n_progs;
    x->n_cpls = s->in->n_cpls;
    x->max_steps = max_steps;
    x->snap_cur = sp_xmalloc((x->n_res + 1) * sizeof(int32_t));
    x->snap_cnt = sp_xmalloc((x->n_progs + 1) * sizeof(int32_t));
    x->snap_heap = sp_xmalloc((L->heap_total + 1) * sizeof(int32_t));
    memcpy(x->snap_cur, s->cur, x->n_res * sizeof(int32_t));
    memcpy(x->snap_cnt, s->cnt, x->n_progs * sizeof(int32_t));
    memcpy(x->snap_heap, s->heap, L->heap_total * sizeof(int32_t));
    x->rq = sp_xmalloc((x->n_res + 1) * sizeof(int32_t));
    x->cq = sp_xmalloc((x->n_cpls + 1) * sizeof(int32_t));
    x->in_rq = sp_xcalloc(x->n_res + 1, 1);
    x->in_cq = sp_xcalloc(x->n_cpls + 1, 1);
    x->pend = sp_xmalloc((x->n_res + 1) * sizeof(int32_t));
    x->cpend = sp_xmalloc((x->n_cpls + 1) * sizeof(int32_t));
    x->order = sp_xmalloc((x->n_cpls + L->n_heads + 1) * sizeof(int32_t));
    return x;
}

void sp_match__rp_free(struct sp_m_rp *x)
{
    if (!x)
        return;
    free(x->snap_cur);
    free(x->snap_cnt);
    free(x->snap_heap);
    free(x->rq);
    free(x->cq);
    free(x->in_rq);
    free(x->in_cq);
    free(x->pend);
    free(x->cpend);
    free(x->order);
    free(x);
}

static void shuffle(int32_t *v, size_t n, uint64_t *rng)
{
    for (size_t i = n; i > 1; i--) {
        size_t j = (size_t)(rng_next(rng) % i);
        int32_t t = v[i - 1];
        v[i - 1] = v[j];
        v[j] = t;
    }
}

/* Restore the singles' matching and rebuild seats, positions and the hash. */
static void restore(struct sp_m_rp *x)
{
    struct sp_m_state *s = x->s;
    const struct sp_m_layout *L = x->L;

    memcpy(s->cur, x->snap_cur, x->n_res * sizeof(int32_t));
    memcpy(s->cnt, x->snap_cnt, x->n_progs * sizeof(int32_t));
    memcpy(s->heap, x->snap_heap, L->heap_total * sizeof(int32_t));
    x->hash = 0;
    x->qhash = 0;
    for (size_t r = 0; r < x->n_res; r++) {
        s->seat[r] = SP_M_NONE;
        s->active[r] = 0;
        x->in_rq[r] = 0;
        x->pend[r] = NO_PEND;
    }
    for (size_t q = 0; q < x->n_progs; q++) {
        const struct sp_m_pslot *p = &L->ps[q];
        for (int32_t i = 0; i < s->cnt[q]; i++) {
            int32_t r = L->pr_res[p->poff + s->heap[p->hoff + i]];
            s->seat[r] = (int32_t)q;
            s->hpos[r] = i;
            x->hash ^= zseat(r, (int32_t)q);
        }
    }
    for (size_t c = 0; c < x->n_cpls; c++) {
        s->ccur[c] = L->coff[c + 1];
        x->in_cq[c] = 0;
        x->cpend[c] = NO_PEND;
    }
    x->rq_head = x->rq_len = x->cq_head = x->cq_len = 0;
    x->saved_key = 0;
    x->power = 1;
    x->lam = 0;
    x->period = 0;
    x->hits = 0;
}

int sp_match__rp_try(struct sp_m_rp *x, unsigned try_no, uint64_t seed, enum sp_match_stop *stop)
{
    struct sp_m_state *s = x->s;
    const struct sp_m_layout *L = x->L;
    uint64_t rng = seed ^ mix64(try_no + 1);
    size_t n_act = 0;
    int rc;

    restore(x);
    x->steps = 0;
    /* Heads of singles holding an advanced program become active. */
    for (size_t r = 0; r < x->n_res; r++) {
        if (L->kind[r] == SP_RES_SINGLE && L->owner[r] >= 0 && s->seat[r] >= 0 &&
            x->in->progs[s->seat[r]].track == SP_TRACK_ADVANCED)
            x->order[n_act++] = L->owner[r];
    }
    if (try_no > 0)
        shuffle(x->order, n_act, &rng);
    for (size_t i = 0; i < n_act; i++) {
        int32_t h = x->order[i];
        s->active[h] = 1;
        s->cur[h] = L->eoff[h + 1];
        enqueue_res(x, h, L->eoff[h]);
    }
    if ((rc = settle(x, stop)))
        goto out;
    for (size_t c = 0; c < x->n_cpls; c++)
        x->order[c] = (int32_t)c;
    if (try_no > 0)
        shuffle(x->order, x->n_cpls, &rng);
    for (size_t i = 0; i < x->n_cpls; i++) {
        int32_t c = x->order[i];
        enqueue_cpl(x, c, L->coff[c]);
        if ((rc = settle(x, stop)))
            goto out;
    }
    *stop = SP_STOP_NONE;
out:
    s->steps += x->steps;
    return rc;
}
