/*
 * The rank order list: true preference order, every acceptable program kept,
 * valued with the plan's Kapur-Hong routine under the model's P(match | interview).
 */
#include "smartpick/plan/rank.h"
#include "smartpick/model/market.h"

#include "optimize.h"
#include "sp_alloc.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "banned.h"

#define INTERVIEWED 40.0 /* interview logit of a program that did interview: P = 1 */

int sp_rank_resolve(struct sp_rank_input *in, const sp_catalog *cat, struct sp_err *err)
{
    for (size_t i = 0; i < in->n_entries; i++) {
        char field[48];
        in->entries[i].program = sp_catalog_find(cat, in->entries[i].acgme_id);
        if (in->entries[i].program)
            continue;
        snprintf(field, sizeof(field), "interviews[%zu].acgme_id", i);
        return sp_err_at(err, SP_ENOTFOUND, SP_WHY_INVALID, field, ": '%s' is not in the catalog",
                         in->entries[i].acgme_id);
    }
    return 0;
}

static int by_preference(const void *a, const void *b)
{
    const struct sp_rank_entry *x = *(const struct sp_rank_entry *const *)a;
    const struct sp_rank_entry *y = *(const struct sp_rank_entry *const *)b;

    return (x->preference > y->preference) - (x->preference < y->preference);
}

static void warn(struct sp_rank_result *out, const char *text)
{
    if (out->n_warnings < SP_RANK_MAX_WARNINGS)
        snprintf(out->warnings[out->n_warnings++], sizeof(out->warnings[0]), "%s", text);
}

static int validate(const struct sp_rank_input *in, struct sp_err *err)
{
    for (size_t i = 0; i < in->n_entries; i++) {
        const struct sp_rank_entry *e = &in->entries[i];
        char at[32], field[48];
        snprintf(at, sizeof(at), "interviews[%zu]", i);
        if (!e->program)
            return sp_err_at(err, SP_EINVAL, SP_WHY_INVALID, at, ": program not resolved");
        snprintf(field, sizeof(field), "%s.preference", at);
        if (e->preference < 1)
            return sp_err_at(err, SP_EINVAL, SP_WHY_INVALID, field, ": %d must be >= 1",
                             e->preference);
        snprintf(field, sizeof(field), "%s.utility", at);
        if (e->utility < 0 || e->utility > 1)
            return sp_err_at(err, SP_EINVAL, SP_WHY_INVALID, field, ": %g must be in [0, 1]",
                             e->utility);
        for (size_t k = 0; k < i; k++) {
            snprintf(field, sizeof(field), "%s.acgme_id", at);
            if (strcmp(in->entries[k].acgme_id, e->acgme_id) == 0)
                return sp_err_at(err, SP_EINVAL, SP_WHY_INVALID, field,
                                 ": '%s' is listed twice (also interviews[%zu])", e->acgme_id, k);
            snprintf(field, sizeof(field), "%s.preference", at);
            if (in->entries[k].preference == e->preference)
                return sp_err_at(err, SP_EINVAL, SP_WHY_INVALID, field,
                                 ": %d is also interviews[%zu]'s; preferences must be distinct",
                                 e->preference, k);
        }
    }
    return 0;
}

/* The acceptable programs in preference order into order (returned: how many);
 * each unacceptable one gets a warning. */
static size_t acceptable_order(const struct sp_rank_entry **order, struct sp_rank_result *out,
                               const struct sp_rank_input *in)
{
    char text[200];
    size_t n = 0;

    for (size_t i = 0; i < in->n_entries; i++) {
        const struct sp_rank_entry *e = &in->entries[i];
        if (e->acceptable) {
            order[n++] = e;
            continue;
        }
        snprintf(text, sizeof(text),
                 "%s (%s) is left off because you marked it unacceptable. Rank it if you would "
                 "rather train there than go unmatched: ranking it cannot cost you a program "
                 "you rank higher.",
                 e->acgme_id, e->program->institution);
        warn(out, text);
    }
    qsort(order, n, sizeof(order[0]), by_preference);
    return n;
}

/* The ranked programs as candidates (their logits and utilities), all interviewed,
 * in rank order. Returns whether any is an advanced position. */
static bool rank_candidates(struct sp_opt_candidate *cands, const struct sp_model *m,
                            const sp_catalog *cat, const double *q, const struct sp_profile *p,
                            const struct sp_rank_entry *const *order, size_t n)
{
    size_t n_all;
    const struct sp_program *base = sp_catalog_programs(cat, &n_all);
    bool any_advanced = false;

    for (size_t r = 0; r < n; r++) {
        const struct sp_rank_entry *e = order[r];
        enum sp_specialty k = e->program->specialty;
        struct sp_strength s;
        struct sp_program_effects fx;
        /* Without a stated utility, value falls evenly from 1 (first) to 0.5 (last). */
        double u =
            e->utility > 0 ? e->utility : 1.0 - 0.5 * (double)r / (double)(n > 1 ? n - 1 : 1);
        sp_model_strength(&s, m, p, k);
        sp_model_program_effects(&fx, p, e->program);
        /* The signal sent during the season still helps after the interview. */
        sp_model_logits(&cands[r].logits[0], m, k, s.value, q[e->program - base], &fx, e->signal);
        cands[r].logits[0].interview = INTERVIEWED;
        cands[r].logits[1] = cands[r].logits[0];
        cands[r].logits[2] = cands[r].logits[0];
        /* The stated order is the rank order: make utilities strictly follow it. */
        cands[r].utility = u - 1e-9 * (double)r;
        cands[r].group = 0;
        cands[r].pool = -1;
        cands[r].city = -1;
        cands[r].forced = true;
        any_advanced |= e->advanced;
    }
    return any_advanced;
}

/* P(match at rank r) = E_e[p_r(e) prod_{i<r} (1 - p_i(e))], cumulated, and
 * P(unmatched). */
static void rank_lines(struct sp_rank_result *out, const struct sp_model *m,
                       const struct sp_quadrature *quad, const struct sp_opt_candidate *cands,
                       const struct sp_rank_entry *const *order, size_t n)
{
    double rest[SP_GH_MAX];

    for (int e = 0; e < quad->n; e++)
        rest[e] = 1;
    for (size_t r = 0; r < n; r++) {
        struct sp_rank_line *line = &out->lines[out->n_lines++];
        double here = 0;
        for (int e = 0; e < quad->n; e++) {
            double pr = sp_model_p_app(m, &cands[r].logits[SP_SIGNAL_NONE], quad->e[e]);
            here += quad->w[e] * pr * rest[e];
            rest[e] *= 1 - pr;
        }
        line->entry = order[r];
        line->rank = (int)r + 1;
        line->p_match_here = here;
        line->p_match_cumulative = (r ? out->lines[r - 1].p_match_cumulative : 0) + here;
        if (order[r]->advanced)
            out->p_advanced += here;
    }
    out->p_unmatched = 0;
    for (int e = 0; e < quad->n; e++)
        out->p_unmatched += quad->w[e] * rest[e];
}

/* rank_lines against the market: after the interviews, each program's rank key
 * against its cutoff in every replication, the student's latent term integrated. */
static void rank_lines_market(struct sp_rank_result *out, const struct sp_model *m,
                              const sp_catalog *cat, const struct sp_profile *p,
                              const struct sp_rank_entry *const *order, size_t n)
{
    size_t n_all;
    const struct sp_program *base = sp_catalog_programs(cat, &n_all);
    struct sp_market_app apps[SP_RANK_MAX];
    double end[SP_RANK_MAX], any;
    struct sp_quadrature q;
    struct sp_market_eval ev = {&q, 0, 0};

    sp_quadrature_init(&q, 8, m->sigma);
    for (size_t r = 0; r < n; r++) {
        enum sp_specialty k = order[r]->program->specialty;
        struct sp_strength s;
        struct sp_program_effects fx;
        sp_model_strength(&s, m, p, k);
        sp_model_program_effects(&fx, p, order[r]->program);
        sp_market_app_init(&apps[r], m, (size_t)(order[r]->program - base), k, s.value,
                           p->applicant_type, &fx,
                           order[r]->signal, 1.0);
        /* interviewed: the interview is no longer in question */
        for (int g = 0; g < 3; g++)
            apps[r].interview[g] = INTERVIEWED;
    }
    any = sp_market_list(end, NULL, m->market, apps, n, &ev, NULL);
    for (size_t r = 0; r < n; r++) {
        struct sp_rank_line *line = &out->lines[out->n_lines++];
        line->entry = order[r];
        line->rank = (int)r + 1;
        line->p_match_here = end[r];
        line->p_match_cumulative = (r ? out->lines[r - 1].p_match_cumulative : 0) + end[r];
        if (order[r]->advanced)
            out->p_advanced += end[r];
    }
    out->p_unmatched = 1.0 - any;
}

/* The supplemental PGY-1 list: preliminary and transitional programs are not in
 * the catalog, so each of the n_pgy1 is valued as an average IM program for this
 * student. */
static double rank_pgy1(const struct sp_model *m, const struct sp_profile *p,
                        const struct sp_quadrature *quad, size_t n_pgy1)
{
    struct sp_strength s;
    struct sp_app_logits l;
    double p_pgy1 = 0;

    sp_model_strength(&s, m, p, SP_SPEC_IM);
    sp_model_logits(&l, m, SP_SPEC_IM, s.value, 0.0, NULL, SP_SIGNAL_NONE);
    l.interview = INTERVIEWED;
    for (int e = 0; e < quad->n; e++) {
        double pr = sp_model_p_app(m, &l, quad->e[e]);
        p_pgy1 += quad->w[e] * (1 - pow(1 - pr, (double)n_pgy1));
    }
    return p_pgy1;
}

int sp_rank(struct sp_rank_result *out, const struct sp_model *m, const sp_catalog *cat,
            const double *q, const struct sp_profile *p, const struct sp_rank_input *in,
            struct sp_err *err)
{
    const struct sp_rank_entry *order[SP_RANK_MAX];
    struct sp_opt_candidate cands[SP_RANK_MAX];
    struct sp_quadrature quad;
    size_t n;
    char text[200];
    int rc;
    bool any_advanced;

    memset(out, 0, sizeof(*out));
    rc = validate(in, err);
    if (rc)
        return rc;
    if (sp_quadrature_init(&quad, m->gh_nodes, m->sigma))
        return sp_err_at(err, SP_EINVAL, SP_WHY_MODEL, "model", ": bad quadrature");
    n = acceptable_order(order, out, in);

    any_advanced = rank_candidates(cands, m, cat, q, p, order, n);
    if (m->market)
        rank_lines_market(out, m, cat, p, order, n);
    else
        rank_lines(out, m, &quad, cands, order, n);
    /* The Kapur-Hong value of the list: each rank's utility times P(match there). */
    out->expected_utility = 0;
    for (size_t r = 0; r < n; r++)
        out->expected_utility += cands[r].utility * out->lines[r].p_match_here;
    if (in->n_pgy1)
        out->p_pgy1 = rank_pgy1(m, p, &quad, in->n_pgy1);

    if (any_advanced && !in->n_pgy1)
        warn(out, "You rank advanced (PGY-2) positions: add a supplemental list of preliminary "
                  "or transitional PGY-1 programs, or an advanced match leaves your intern year "
                  "open.");
    if (n && out->p_unmatched > 0.2) {
        snprintf(text, sizeof(text),
                 "P(unmatched) is %.0f%%: rank every program you interviewed at that you would "
                 "accept, and plan for SOAP.",
                 100 * out->p_unmatched);
        warn(out, text);
    }
    if (!n)
        warn(out, "No acceptable program to rank: you would go unmatched; see SOAP.");
    return 0;
}
