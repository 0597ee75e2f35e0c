/*
 * Deferred acceptance for singles, both directions, on the compact layout.
 *
 * Applicant-proposing: each program keeps a max-heap of what it holds (its worst held
 * resident on top). An application reads one 8-byte entry (program, program's rank of the
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

static inline void heap64_push(uint64_t *h, int32_t n, uint64_t v)
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

static inline void heap64_replace_top(uint64_t *h, int32_t n, uint64_t v)
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

#define HELD_LAST 0x80000000u /* the held entry is the last of its resident's list */

/*
 * The heaps hold one 64-bit value per seat: the program's rank of the resident in the
 * high half (ranks are unique per program, so values order by rank), the resident's entry
 * index in the low half, with HELD_LAST set for the last entry of a list. A bumped
 * resident therefore goes on at entry + 1, or stops, without looking up who it is: one
 * cache miss per bump (its next entry), none per rejection beyond the program's record
 * and heap top. Who holds what is read off the heaps at the end.
 */
void sp_match__da_applicants(struct sp_m_state *s)
{
    const struct sp_m_layout *L = s->L;
    const struct sp_m_entry *e = L->e;
    const int32_t *eoff = L->eoff;
    const struct sp_m_pslot *ps = L->ps;
    int32_t *cnt = s->cnt;
    uint64_t *heap = sp_xmalloc((L->heap_total + 1) * sizeof(*heap));
    uint64_t steps = 0;
    size_t n_apps = L->n_res - L->n_heads;
    size_t n_progs = s->in->n_progs;

    for (size_t r0 = 0; r0 < n_apps; r0++) {
        if (L->kind[r0] != SP_RES_SINGLE || eoff[r0] == eoff[r0 + 1])
            continue;
        int32_t k = eoff[r0];
        for (;;) {
            int32_t q = e[k].prog;
            int32_t pr = e[k].prank;
            uint64_t v = (uint64_t)(uint32_t)(pr & SP_M_RANK_MASK) << 32 | (uint32_t)k |
                         ((pr & SP_M_LAST) ? HELD_LAST : 0u);
            const struct sp_m_pslot *p = &ps[q];
            uint64_t *h = heap + p->hoff;
            int32_t c = cnt[q];
            steps++;
            if (c < p->hcap) {
                heap64_push(h, c, v);
                cnt[q] = c + 1;
                break;
            }
            if (v < h[0]) {
                /* Take the worst held seat; the bumped resident goes on down its list. */
                uint64_t out = h[0];
                heap64_replace_top(h, c, v);
                if (out & HELD_LAST)
                    break;
                k = (int32_t)(out & 0x7fffffffu) + 1;
                continue;
            }
            if (pr & SP_M_LAST)
                break;
            k++;
        }
    }

    for (size_t r = 0; r < L->n_res; r++)
        s->cur[r] = eoff[r + 1];
    for (size_t q = 0; q < n_progs; q++) {
        const struct sp_m_pslot *p = &ps[q];
        for (int32_t i = 0; i < cnt[q]; i++) {
            uint64_t v = heap[p->hoff + i];
            int32_t rank = (int32_t)(v >> 32);
            s->heap[p->hoff + i] = rank;
            s->cur[L->pr_res[p->poff + rank]] = (int32_t)(v & 0x7fffffffu);
        }
    }
    free(heap);
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
