/*
 * Deferred acceptance for singles, both directions, on the compact layout.
 *
 * Applicant-proposing: each program keeps a max-heap of the program ranks it holds (its
 * worst held resident on top; the resident is pr_res[poff + rank], so the heap is one
 * int32 per seat). An application reads one 8-byte entry (program, program's rank of the
 * applicant), the program's 16-byte slot and the heap top; a rejected or bumped resident
 * continues down its own list at once, so the loop walks one chain at a time and needs
 * no queue. The order of applications does not change the outcome (the applicant-optimal
 * stable matching; Gale & Shapley 1962, Dubins & Freedman 1981).
 *
 * Program-proposing: programs offer down their filtered lists; a resident keeps the best
 * offer (lowest index on its own list); a program that loses a resident offers again.
 */
#include "match_internal.h"

#include "sp_alloc.h"

#include <stdlib.h>

#include "banned.h"

static inline void heap_push(int32_t *h, int32_t n, int32_t v)
{
    int32_t i = n;

    while (i > 0) {
        int32_t parent = (i - 1) >> 1;
        if (h[parent] >= v)
            break;
        h[i] = h[parent];
        i = parent;
    }
    h[i] = v;
}

/* Replace the top of a full heap of n with v (smaller than the top). */
static inline void heap_replace_top(int32_t *h, int32_t n, int32_t v)
{
    int32_t i = 0;

    for (;;) {
        int32_t c = 2 * i + 1;
        if (c >= n)
            break;
        if (c + 1 < n && h[c + 1] > h[c])
            c++;
        if (h[c] <= v)
            break;
        h[i] = h[c];
        i = c;
    }
    h[i] = v;
}

void sp_match__da_applicants(struct sp_m_state *s)
{
    const struct sp_m_layout *L = s->L;
    const struct sp_m_entry *e = L->e;
    const int32_t *eoff = L->eoff;
    const struct sp_m_pslot *ps = L->ps;
    const int32_t *pr_res = L->pr_res;
    int32_t *cur = s->cur, *cnt = s->cnt, *heap = s->heap;
    uint64_t steps = 0;
    size_t n_apps = L->n_res - L->n_heads;

    for (size_t r = 0; r < L->n_res; r++)
        cur[r] = eoff[r + 1];
    for (size_t r0 = 0; r0 < n_apps; r0++) {
        if (L->kind[r0] != SP_RES_SINGLE)
            continue;
        int32_t r = (int32_t)r0;
        int32_t k = eoff[r];
        int32_t end = eoff[r + 1];
        while (k < end) {
            int32_t q = e[k].prog;
            int32_t rank = e[k].prank;
            const struct sp_m_pslot *p = &ps[q];
            int32_t c = cnt[q];
            int32_t *h = heap + p->hoff;
            steps++;
            if (c < p->hcap) {
                heap_push(h, c, rank);
                cnt[q] = c + 1;
                cur[r] = k;
                break;
            }
            int32_t top = h[0];
            if (rank < top) {
                /* Take the worst held seat; the bumped resident goes on down its list. */
                heap_replace_top(h, c, rank);
                cur[r] = k;
                r = pr_res[p->poff + top];
                k = cur[r] + 1;
                end = eoff[r + 1];
                cur[r] = end;
                continue;
            }
            k++;
        }
    }
    s->steps += steps;
}

void sp_match__da_programs(struct sp_m_state *s)
{
    const struct sp_m_layout *L = s->L;
    const struct sp_m_entry *e = L->e;
    const int32_t *eoff = L->eoff;
    const struct sp_m_pslot *ps = L->ps;
    size_t n_progs = s->in->n_progs;
    int32_t *cur = s->cur, *cnt = s->cnt;
    int32_t *next = sp_xmalloc((n_progs + 1) * sizeof(*next));
    int32_t *stack = sp_xmalloc((n_progs + 1) * sizeof(*stack));
    uint8_t *queued = sp_xmalloc(n_progs + 1);
    size_t top = 0;
    uint64_t steps = 0;

    for (size_t r = 0; r < L->n_res; r++)
        cur[r] = eoff[r + 1];
    for (size_t q = n_progs; q-- > 0;) {
        next[q] = 0;
        stack[top++] = (int32_t)q;
        queued[q] = 1;
    }
    while (top) {
        int32_t q = stack[--top];
        const struct sp_m_pslot *p = &ps[q];
        queued[q] = 0;
        while (cnt[q] < p->hcap && next[q] < p->plen) {
            int32_t j = p->poff + next[q]++;
            int32_t r = L->pr_res[j];
            int32_t k = L->pr_arank[j];
            steps++;
            if (k >= cur[r])
                continue;
            int32_t old = cur[r];
            cur[r] = k;
            cnt[q]++;
            if (old < eoff[r + 1]) {
                int32_t q2 = e[old].prog;
                cnt[q2]--;
                if (!queued[q2]) {
                    queued[q2] = 1;
                    stack[top++] = q2;
                }
            }
        }
    }
    s->steps += steps;
    free(next);
    free(stack);
    free(queued);
}
