/*
 * The stability checker (docs/MATCH.md "Stability"). It reads the instance's original
 * lists, not the engine's layout, so it checks the engine rather than repeating it:
 *
 *   - validity: every assignment is mutually acceptable (on the applicant's list, the
 *     couple's list or the active supplemental list, and on the program's list), a
 *     supplemental PGY-1 program is held only with an advanced program, no program is
 *     over capacity;
 *   - a single (or an active supplemental list) blocks with a program it ranks above its
 *     match if the program ranks it and has a free seat or prefers it to its worst held
 *     resident;
 *   - a couple blocks with a pair ranked above its current pair (all pairs if unmatched):
 *     p1 == p2: the program has 2 free seats, or 1 free seat and prefers both members to
 *     its worst held resident, or prefers both to its second-worst; otherwise each side is
 *     -1 or a program with a free seat or that prefers the member to its worst held
 *     resident. Seats the couple itself would free are not credited (the stable-matching-
 *     suite definition).
 */
#include "match_internal.h"

#include "sp_alloc.h"

#include <stdlib.h>
#include <string.h>

#include "banned.h"

struct held {
    int32_t cnt;
    int32_t worst, second; /* largest and second-largest held ranks, -1 if none */
};

static void held_add(struct held *h, int32_t rank)
{
    h->cnt++;
    if (rank > h->worst) {
        h->second = h->worst;
        h->worst = rank;
    } else if (rank > h->second) {
        h->second = rank;
    }
}

static void note(struct sp_match_check *out, enum sp_block_kind kind, int applicant, int couple,
                 int program, int program2, int position)
{
    out->n_blocking++;
    if (out->n_examples < SP_MATCH_CHECK_EXAMPLES)
        out->examples[out->n_examples++] =
            (struct sp_match_blocking){kind, applicant, couple, program, program2, position};
}

/* Would program q (held state h) admit one more resident of rank r? */
static bool admits(const sp_match_instance *in, const struct held *h, int32_t q, int32_t r)
{
    int32_t cap = in->progs[q].capacity;

    if (r < 0 || cap == 0)
        return false;
    return h[q].cnt < cap || r < h[q].worst;
}

/* Position of q on an applicant list, or -1. */
static int32_t find_on(const int32_t *list, int32_t len, int32_t q)
{
    for (int32_t k = 0; k < len; k++) {
        if (list[k] == q)
            return k;
    }
    return SP_M_NONE;
}

/* The held state of a matching: per program, per applicant and per couple. */
struct check_state {
    struct held *h;
    int32_t *pos;  /* position of a's match on a's list (list length if none or invalid) */
    int32_t *spos; /* likewise on a's supplemental list */
    int32_t *cpos; /* position of c's pair on c's list (list length if none or invalid) */
};

/* Validity of the singles' assignments; fills the held state. */
static void held_singles(struct sp_match_check *out, const sp_match_instance *in,
                         const int32_t *program, const int32_t *pgy1, struct check_state *st)
{
    struct held *h = st->h;

    for (size_t a = 0; a < in->n_apps; a++) {
        const struct sp_m_applicant *ap = &in->apps[a];
        int32_t q = program[a];
        int32_t s = pgy1 ? pgy1[a] : SP_M_NONE;
        st->pos[a] = ap->list_len;
        st->spos[a] = ap->sup_len;
        if (ap->couple != SP_M_NONE) {
            if (s >= 0)
                note(out, SP_BLOCK_INVALID, (int)a, ap->couple, s, -1, 0);
            continue;
        }
        if (q >= 0) {
            int32_t k = find_on(sp_m_list(in->alist, ap->list_off), ap->list_len, q);
            if (k < 0 || in->alist_prank[ap->list_off + k] < 0) {
                note(out, SP_BLOCK_INVALID, (int)a, -1, q, -1, 0);
            } else {
                st->pos[a] = k;
                held_add(&h[q], in->alist_prank[ap->list_off + k]);
            }
        }
        if (s >= 0) {
            int32_t k = find_on(sp_m_list(in->slist, ap->sup_off), ap->sup_len, s);
            if (q < 0 || in->progs[q].track != SP_TRACK_ADVANCED || k < 0 ||
                in->slist_prank[ap->sup_off + k] < 0) {
                note(out, SP_BLOCK_INVALID, (int)a, -1, s, -1, 0);
            } else {
                st->spos[a] = k;
                held_add(&h[s], in->slist_prank[ap->sup_off + k]);
            }
        }
    }
}

/* Validity of the couples' assignments; fills the held state. */
static void held_couples(struct sp_match_check *out, const sp_match_instance *in,
                         const int32_t *program, struct check_state *st)
{
    struct held *h = st->h;

    for (size_t c = 0; c < in->n_cpls; c++) {
        const struct sp_m_couple *cp = &in->cpls[c];
        int32_t m1 = cp->member[0], m2 = cp->member[1];
        int32_t q1 = program[m1], q2 = program[m2];
        st->cpos[c] = cp->len;
        if (q1 < 0 && q2 < 0)
            continue;
        int32_t k = 0;
        for (; k < cp->len; k++) {
            if (in->cpairs[cp->off + 2 * k] == q1 && in->cpairs[cp->off + 2 * k + 1] == q2)
                break;
        }
        const int32_t *pr = in->cpairs_prank + cp->off + 2 * k;
        if (k == cp->len || (q1 >= 0 && pr[0] < 0) || (q2 >= 0 && pr[1] < 0)) {
            note(out, SP_BLOCK_INVALID, m1, (int)c, q1, q2, 0);
            continue;
        }
        st->cpos[c] = k;
        if (q1 >= 0)
            held_add(&h[q1], pr[0]);
        if (q2 >= 0)
            held_add(&h[q2], pr[1]);
    }
}

/* Blocking pairs of the singles, and of the active supplemental lists. */
static void block_singles(struct sp_match_check *out, const sp_match_instance *in,
                          const int32_t *program, const struct check_state *st)
{
    const struct held *h = st->h;
    const int32_t *pos = st->pos, *spos = st->spos;

    for (size_t a = 0; a < in->n_apps; a++) {
        const struct sp_m_applicant *ap = &in->apps[a];
        if (ap->couple != SP_M_NONE)
            continue;
        for (int32_t k = 0; k < pos[a]; k++) {
            int32_t q = in->alist[ap->list_off + k];
            if (admits(in, h, q, in->alist_prank[ap->list_off + k]))
                note(out, SP_BLOCK_SINGLE, (int)a, -1, q, -1, k + 1);
        }
        /* The supplemental list is active while the applicant holds an advanced program. */
        int32_t q = program[a];
        if (q < 0 || in->progs[q].track != SP_TRACK_ADVANCED || pos[a] == ap->list_len)
            continue;
        for (int32_t k = 0; k < spos[a]; k++) {
            int32_t s = in->slist[ap->sup_off + k];
            if (admits(in, h, s, in->slist_prank[ap->sup_off + k]))
                note(out, SP_BLOCK_PGY1, (int)a, -1, s, -1, k + 1);
        }
    }
}

/* Does the pair (q1, q2), ranked r1 and r2 by its programs, block? */
static bool pair_blocks(const sp_match_instance *in, const struct held *h, int32_t q1, int32_t q2,
                        int32_t r1, int32_t r2)
{
    if (q1 >= 0 && q1 == q2) {
        int32_t cap = in->progs[q1].capacity;
        int32_t room = cap - h[q1].cnt;
        if (cap < 2 || r1 < 0 || r2 < 0)
            return false;
        if (room >= 2)
            return true;
        if (room == 1)
            return r1 < h[q1].worst && r2 < h[q1].worst;
        return r1 < h[q1].second && r2 < h[q1].second;
    }
    return (q1 < 0 || admits(in, h, q1, r1)) && (q2 < 0 || admits(in, h, q2, r2));
}

/* Blocking pairs of the couples. */
static void block_couples(struct sp_match_check *out, const sp_match_instance *in,
                          const struct check_state *st)
{
    for (size_t c = 0; c < in->n_cpls; c++) {
        const struct sp_m_couple *cp = &in->cpls[c];
        for (int32_t k = 0; k < st->cpos[c]; k++) {
            int32_t q1 = in->cpairs[cp->off + 2 * k], q2 = in->cpairs[cp->off + 2 * k + 1];
            int32_t r1 = in->cpairs_prank[cp->off + 2 * k];
            int32_t r2 = in->cpairs_prank[cp->off + 2 * k + 1];
            if (pair_blocks(in, st->h, q1, q2, r1, r2))
                note(out, SP_BLOCK_COUPLE, cp->member[0], (int)c, q1, q2, k + 1);
        }
    }
}

int sp_match_check(struct sp_match_check *out, const sp_match_instance *in, const int32_t *program,
                   const int32_t *pgy1, struct sp_err *err)
{
    size_t n_apps = in->n_apps, n_progs = in->n_progs;
    struct check_state st;

    memset(out, 0, sizeof(*out));
    if (!in->frozen)
        return sp_err_set(err, SP_EINVAL, "check: the instance is not frozen");
    for (size_t a = 0; a < n_apps; a++) {
        if (program[a] < -1 || (program[a] >= 0 && (size_t)program[a] >= n_progs) ||
            (pgy1 && (pgy1[a] < -1 || (pgy1[a] >= 0 && (size_t)pgy1[a] >= n_progs))))
            return sp_err_set(err, SP_EINVAL,
                              "check: applicant %zu has a program index out "
                              "of range",
                              a);
    }

    st.h = sp_xmalloc((n_progs + 1) * sizeof(*st.h));
    for (size_t q = 0; q < n_progs; q++)
        st.h[q] = (struct held){0, -1, -1};
    st.pos = sp_xmalloc((n_apps + 1) * sizeof(*st.pos));
    st.spos = sp_xmalloc((n_apps + 1) * sizeof(*st.spos));
    st.cpos = sp_xmalloc((in->n_cpls + 1) * sizeof(*st.cpos));

    held_singles(out, in, program, pgy1, &st);
    held_couples(out, in, program, &st);
    for (size_t q = 0; q < n_progs; q++) {
        if (st.h[q].cnt > in->progs[q].capacity)
            note(out, SP_BLOCK_INVALID, -1, -1, (int)q, -1, 0);
    }
    block_singles(out, in, program, &st);
    block_couples(out, in, &st);
    out->stable = out->n_blocking == 0;
    free(st.h);
    free(st.pos);
    free(st.spos);
    free(st.cpos);
    return 0;
}
