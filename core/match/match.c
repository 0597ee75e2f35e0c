/*
 * sp_match_run: the driver. Deferred acceptance for the singles; then, when there are
 * couples or supplemental lists, the Roth-Peranson phase with its bounded retries; then
 * the result arrays and the stability verdict.
 */
#include "match_internal.h"

#include "sp_alloc.h"

#include <stdlib.h>
#include <string.h>

#include "banned.h"

void sp_match_result_release(struct sp_match_result *res)
{
    if (!res)
        return;
    free(res->program);
    free(res->rank);
    free(res->pgy1);
    free(res->pgy1_rank);
    free(res->unfilled);
    memset(res, 0, sizeof(*res));
}

static void extract(struct sp_match_result *out, const struct sp_m_state *s, bool rp)
{
    const sp_match_instance *in = s->in;
    const struct sp_m_layout *L = s->L;
    size_t n_apps = in->n_apps;

    out->n_matched = 0;
    for (size_t q = 0; q < in->n_progs; q++)
        out->unfilled[q] = in->progs[q].capacity;
    for (size_t a = 0; a < n_apps; a++) {
        int32_t prog = SP_M_NONE, rank = 0, pgy1 = SP_M_NONE, pgy1_rank = 0;
        if (L->kind[a] == SP_RES_SINGLE) {
            int32_t k = s->cur[a];
            if (k < L->eoff[a + 1]) {
                prog = L->e[k].prog;
                rank = L->e_pos[k] + 1;
            }
            int32_t h = L->owner[a];
            if (rp && h >= 0 && s->active[h] && s->cur[h] < L->eoff[h + 1]) {
                pgy1 = L->e[s->cur[h]].prog;
                pgy1_rank = L->e_pos[s->cur[h]] + 1;
            }
        } else {
            int32_t c = L->owner[a];
            int32_t k = rp ? s->ccur[c] : L->coff[c + 1];
            if (k < L->coff[c + 1]) {
                prog = in->cpls[c].member[0] == (int32_t)a ? L->cp[k].p1 : L->cp[k].p2;
                rank = L->cp_pos[k] + 1;
            }
        }
        out->program[a] = prog;
        out->rank[a] = rank;
        out->pgy1[a] = pgy1;
        out->pgy1_rank[a] = pgy1_rank;
        if (prog >= 0) {
            out->n_matched++;
            out->unfilled[prog]--;
        }
        if (pgy1 >= 0)
            out->unfilled[pgy1]--;
    }
    out->n_unfilled = 0;
    for (size_t q = 0; q < in->n_progs; q++)
        out->n_unfilled += (size_t)out->unfilled[q];
}

static void verdict(struct sp_match_result *out, const sp_match_instance *in)
{
    struct sp_match_check chk;

    if (sp_match_check(&chk, in, out->program, out->pgy1, NULL) == 0) {
        out->checked = true;
        out->stable = chk.stable;
        out->n_blocking = chk.n_blocking;
    }
}

static uint64_t auto_steps(const sp_match_instance *in)
{
    const struct sp_m_layout *L = &in->L;
    uint64_t size = (uint64_t)L->eoff[L->n_res] + (uint64_t)L->coff[in->n_cpls] +
                    (uint64_t)L->n_res + in->n_progs + in->n_cpls;

    return 64 * size + 1000000;
}

static void result_alloc(struct sp_match_result *out, const sp_match_instance *in)
{
    size_t n_apps = in->n_apps, n_progs = in->n_progs;

    out->n_applicants = n_apps;
    out->n_programs = n_progs;
    out->program = sp_xmalloc((n_apps + 1) * sizeof(int32_t));
    out->rank = sp_xmalloc((n_apps + 1) * sizeof(int32_t));
    out->pgy1 = sp_xmalloc((n_apps + 1) * sizeof(int32_t));
    out->pgy1_rank = sp_xmalloc((n_apps + 1) * sizeof(int32_t));
    out->unfilled = sp_xmalloc((n_progs + 1) * sizeof(int32_t));
}

/* The Roth-Peranson phase from the singles' deferred acceptance in s: up to max_tries
 * tries; 0 with the matching in out, or SP_ENOSTABLE with the worst stop seen. */
static int rp_tries(struct sp_match_result *out, struct sp_m_state *s,
                    const struct sp_match_options *opts)
{
    const sp_match_instance *in = s->in;
    const struct sp_m_layout *L = s->L;
    int rc = SP_ENOSTABLE;

    s->seat = sp_xmalloc((L->n_res + 1) * sizeof(int32_t));
    s->hpos = sp_xmalloc((L->n_res + 1) * sizeof(int32_t));
    s->active = sp_xcalloc(L->n_res + 1, 1);
    s->ccur = sp_xmalloc((in->n_cpls + 1) * sizeof(int32_t));
    struct sp_m_rp *rp = sp_match__rp_new(s, opts->max_steps);
    out->stop = SP_STOP_CYCLE;
    for (unsigned t = 0; t < opts->max_tries; t++) {
        enum sp_match_stop stop = SP_STOP_NONE;
        out->tries = t + 1;
        if (sp_match__rp_try(rp, t, opts->seed, &stop)) {
            /* Report the worst reason seen: a work cap hides possible convergence. */
            if (stop == SP_STOP_STEPS || out->stop != SP_STOP_STEPS)
                out->stop = stop;
            continue;
        }
        extract(out, s, true);
        if (opts->check) {
            verdict(out, in);
            if (!out->stable) {
                out->stop = SP_STOP_UNSTABLE;
                continue;
            }
        }
        out->stop = SP_STOP_NONE;
        rc = 0;
        break;
    }
    sp_match__rp_free(rp);
    return rc;
}

/* The exhaustive search after the tries failed: 0 with a stable matching in out, else
 * SP_ENOSTABLE (out->stop says when none exists). */
static int rp_search(struct sp_match_result *out, struct sp_m_state *s,
                     const struct sp_match_options *opts)
{
    bool none = false;

    if (sp_match__search(s, &none, opts->search_budget, opts->seed) == 0) {
        memset(s->active, 0, s->L->n_res + 1);
        extract(out, s, true);
        verdict(out, s->in);
        if (out->stable) {
            out->stop = SP_STOP_NONE;
            out->by_search = true;
            return 0;
        }
    } else if (none) {
        out->stop = SP_STOP_NONE_EXISTS;
    }
    return SP_ENOSTABLE;
}

/* No stable matching: out keeps the last matching, unchecked, and err says why. */
static void no_stable(struct sp_match_result *out, const struct sp_m_state *s,
                      const struct sp_match_options *opts, struct sp_err *err)
{
    bool searched = opts->search_budget && !s->L->has_heads;

    extract(out, s, true);
    out->status = SP_ENOSTABLE;
    out->checked = false;
    out->stable = false;
    if (out->stop == SP_STOP_NONE_EXISTS)
        sp_err_set(err, SP_ENOSTABLE,
                   "no stable matching found: none exists (Roth-Peranson cycled in %u "
                   "tries; the exhaustive search covered every matching)",
                   out->tries);
    else
        sp_err_set(err, SP_ENOSTABLE,
                   "no stable matching found: Roth-Peranson %s in each of %u tries (seed "
                   "%llu)%s",
                   out->stop == SP_STOP_STEPS      ? "reached the work cap"
                   : out->stop == SP_STOP_UNSTABLE ? "ended in an unstable matching"
                                                   : "cycled",
                   out->tries, (unsigned long long)opts->seed,
                   searched ? ", and the exhaustive search ran out of its budget" : "");
}

int sp_match_run(struct sp_match_result *out, const sp_match_instance *in,
                 const struct sp_match_options *opts_in, struct sp_err *err)
{
    struct sp_match_options opts = SP_MATCH_OPTIONS_INIT;
    struct sp_m_state s;
    int rc = 0;

    memset(out, 0, sizeof(*out));
    if (opts_in)
        opts = *opts_in;
    if (!in->frozen)
        return sp_err_set(err, SP_EINVAL, "match: the instance is not frozen");
    const struct sp_m_layout *L = &in->L;
    if (opts.proposing == SP_PROPOSE_PROGRAMS && (L->has_couples || L->has_heads))
        return sp_err_at(err, SP_EINVAL, SP_WHY_INVALID, "proposing",
                         ": program-proposing is defined for singles only; this "
                         "instance has %s",
                         L->has_couples ? "couples" : "supplemental lists");
    if (opts.max_tries == 0)
        opts.max_tries = 1;
    if (opts.max_steps == 0)
        opts.max_steps = auto_steps(in);

    result_alloc(out, in);
    memset(&s, 0, sizeof(s));
    s.in = in;
    s.L = L;
    s.cur = sp_xmalloc((L->n_res + 1) * sizeof(int32_t));
    s.cnt = sp_xcalloc(in->n_progs + 1, sizeof(int32_t));
    s.heap = sp_xmalloc((L->heap_total + 1) * sizeof(int32_t));

    if (opts.proposing == SP_PROPOSE_PROGRAMS) {
        sp_match__da_programs(&s);
        extract(out, &s, false);
        out->tries = 1;
        goto done;
    }
    sp_match__da_applicants(&s);
    if (!L->has_couples && !L->has_heads) {
        extract(out, &s, false);
        out->tries = 1;
        goto done;
    }
    rc = rp_tries(out, &s, &opts);
    if (rc && opts.search_budget && !L->has_heads)
        rc = rp_search(out, &s, &opts);
    if (rc) {
        no_stable(out, &s, &opts, err);
        goto out;
    }

done:
    if (opts.check && !out->checked)
        verdict(out, in);
out:
    out->steps = s.steps;
    free(s.cur);
    free(s.cnt);
    free(s.heap);
    free(s.seat);
    free(s.hpos);
    free(s.active);
    free(s.ccur);
    return rc;
}
