/*
 * The application plan: candidates from the catalog under the student's
 * constraints, the optimizer engine (core/plan/optimize.c), and the plan's figures -
 * P(match) overall and per specialty with intervals, interviews, costs, the
 * diminishing-returns curves, and the per-program details.
 */
#include "smartpick/plan/plan.h"
#include "smartpick/model/market.h"

#include "optimize.h"

#include "sp_alloc.h"
#include "sp_names.h"
#include "sp_str.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "banned.h"

#define Z80 1.2815515655446004
/* Nodes of the student's latent term within each replication of the market: the
 * replications already average over the market's draws, so a short rule suffices. */
#define MARKET_NODES 4
#define CURVE_MIN 40       /* the overall curve runs to at least this many applications */
#define SPEC_CURVE_MAX 100 /* and each specialty's to at most this many */

void sp_plan_options_init(struct sp_plan_options *o)
{
    memset(o, 0, sizeof(*o));
    o->objective = SP_OBJ_UTILITY;
    /* Below this an application is waste whatever it costs. */
    o->min_gain = 0.0001;
    /* Preliminary/transitional applications for an advanced position's PGY-1 year:
     * SmartPick estimate of a typical count. */
    o->pgy1_applications = 15;
    /* An application is worth its fee when it adds fee / $50,000 of expected value:
     * a year without a residency position costs far more (SmartPick estimate). */
    o->match_value_usd = 50000;
}

static const char *const program_tier_names[] = {"reach", "target", "likely"};
static const char *const signal_names[] = {"none", "silver", "gold"};

const char *sp_program_tier_name(enum sp_program_tier t)
{
    return (unsigned)t <= SP_PT_LIKELY ? program_tier_names[t] : "?";
}

/* sp_signal_name() and sp_signal_parse(). */
SP_NAME_TABLE(sp_signal, enum sp_signal, signal_names, SP_SIGNAL_NONE, SP_SIGNAL_GOLD + 1, "?")

static const char *const objective_names[] = {
    [SP_OBJ_UTILITY] = "utility",
    [SP_OBJ_MATCH] = "match",
    [SP_OBJ_MIN_COST] = "min-cost",
};

/* sp_objective_name() and sp_objective_parse(). */
SP_NAME_TABLE(sp_objective, enum sp_objective, objective_names, SP_OBJ_UTILITY, SP_OBJ_MIN_COST + 1,
              "?")

static bool listed(const char (*ids)[SP_ACGME_ID_LEN + 1], size_t n, const char *id)
{
    for (size_t i = 0; i < n; i++) {
        if (strcmp(ids[i], id) == 0)
            return true;
    }
    return false;
}

static bool avoided(const struct sp_profile *p, const struct sp_program *prog)
{
    for (size_t i = 0; i < p->n_avoid_states; i++) {
        if (strcmp(p->avoid_states[i], prog->state) == 0)
            return true;
    }
    return false;
}

/* The program type the student wants rules a program out only when known. */
static bool wrong_type(const struct sp_profile *p, const struct sp_program *prog)
{
    const struct sp_fact *t = &prog->facts[SP_FACT_PROGRAM_TYPE];

    if (p->program_type == SP_PREF_ANY || t->source == SP_SRC_NONE)
        return false;
    return (p->program_type == SP_PREF_ACADEMIC) != (t->value > 0);
}

struct build {
    const struct sp_model *m;
    const sp_catalog *cat;
    const double *q;
    const struct sp_profile *p;
    const struct sp_plan_options *o;
    struct sp_quadrature quad;
    struct sp_opt_candidate *cands;
    const struct sp_program **progs; /* per candidate */
    double *strength_sd;             /* per candidate: its specialty's strength SD */
    double *p_app;                   /* per candidate, node, signal: sp_opt_problem.p_app */
    struct sp_market_app *mapp;      /* per candidate, with a market: as the market sees it */
    struct sp_quadrature mquad;      /* the student's latent term within a replication */
    /* With a market, the final list at the point estimate and both ends of the 80%
     * interval (zs), computed once: P(the plan ends at each candidate), P(match anywhere). */
    double *end_z[3];
    double any_z[3];
    size_t n;
    int group_of_spec[SP_SPEC_COUNT]; /* -1 when not in the plan's specialties */
    struct sp_strength strength[SP_SPEC_COUNT];
};

/* Dense ids for "city, state" so the optimizer can cap programs per city. */
static void assign_cities(struct build *b)
{
    const char **names = sp_xcalloc(b->n ? b->n : 1, sizeof(char *));
    const char **states = sp_xcalloc(b->n ? b->n : 1, sizeof(char *));
    int n_names = 0;

    for (size_t j = 0; j < b->n; j++) {
        int id = -1;
        for (int c = 0; c < n_names; c++) {
            if (strcmp(names[c], b->progs[j]->city) == 0 &&
                strcmp(states[c], b->progs[j]->state) == 0) {
                id = c;
                break;
            }
        }
        if (id < 0) {
            id = n_names++;
            names[id] = b->progs[j]->city;
            states[id] = b->progs[j]->state;
        }
        b->cands[j].city = id;
    }
    free(names);
    free(states);
}

static int build_candidates(struct build *b, struct sp_opt_problem *pb, struct sp_err *err)
{
    const struct sp_profile *p = b->p;
    size_t n_all;
    const struct sp_program *base = sp_catalog_programs(b->cat, &n_all);
    int dr_ir_pool = -1;

    for (int k = 0; k < SP_SPEC_COUNT; k++)
        b->group_of_spec[k] = -1;
    b->cands = sp_xcalloc(n_all ? n_all : 1, sizeof(*b->cands));
    b->progs = sp_xcalloc(n_all ? n_all : 1, sizeof(*b->progs));
    b->strength_sd = sp_xcalloc(n_all ? n_all : 1, sizeof(double));
    if (b->m->market) {
        b->mapp = sp_xcalloc(n_all ? n_all : 1, sizeof(*b->mapp));
        sp_quadrature_init(&b->mquad, MARKET_NODES, b->m->sigma);
    }
    for (size_t r = 0; r < p->n_specialties; r++) {
        enum sp_specialty k = p->specialties[r];
        int g = pb->n_groups++;
        size_t n_prog;
        const struct sp_program *const *progs = sp_catalog_by_specialty(b->cat, k, &n_prog);
        int pool;

        b->group_of_spec[k] = g;
        sp_model_strength(&b->strength[k], b->m, p, k);
        pb->groups[g].min_count = b->o->min_per_specialty[k];
        pb->groups[g].max_count = b->o->max_per_specialty[k];
        /* DR and IR draw on one pool of signals. */
        if (k == SP_SPEC_IR || k == SP_SPEC_DR) {
            if (dr_ir_pool < 0) {
                dr_ir_pool = pb->n_pools++;
                pb->pools[dr_ir_pool].gold = b->m->spec[k].signals_gold;
                pb->pools[dr_ir_pool].silver = b->m->spec[k].signals_silver;
            }
            pool = dr_ir_pool;
        } else {
            pool = pb->n_pools++;
            pb->pools[pool].gold = b->m->spec[k].signals_gold;
            pb->pools[pool].silver = b->m->spec[k].signals_silver;
        }
        for (size_t i = 0; i < n_prog; i++) {
            const struct sp_program *prog = progs[i];
            struct sp_opt_candidate *c;
            struct sp_program_effects fx;
            bool forced = listed(b->o->include, b->o->n_include, prog->acgme_id);
            if (!forced && (listed(b->o->exclude, b->o->n_exclude, prog->acgme_id) ||
                            avoided(p, prog) || wrong_type(p, prog)))
                continue;
            c = &b->cands[b->n];
            b->progs[b->n] = prog;
            b->strength_sd[b->n] = b->strength[k].sd;
            b->n++;
            sp_model_program_effects(&fx, p, prog);
            for (int s = 0; s < 3; s++)
                sp_model_logits(&c->logits[s], b->m, k, b->strength[k].value,
                                b->q[prog - base], &fx, (enum sp_signal)s);
            if (b->mapp)
                sp_market_app_init(&b->mapp[b->n - 1], b->m, (size_t)(prog - base), k,
                                   b->strength[k].value, p->applicant_type, &fx, SP_SIGNAL_NONE,
                                   1.0);
            c->utility = sp_utility_program(p, prog, r);
            c->group = g;
            c->pool = pool;
            c->city = -1;
            c->forced = forced;
        }
    }
    for (size_t i = 0; i < b->o->n_include; i++) {
        const struct sp_program *prog = sp_catalog_find(b->cat, b->o->include[i]);
        if (!prog)
            return sp_err_at(err, SP_EINVAL, SP_WHY_INVALID, "include",
                             ": '%s' is not in the catalog", b->o->include[i]);
        if (b->group_of_spec[prog->specialty] < 0)
            return sp_err_at(err, SP_EINVAL, SP_WHY_INVALID, "include",
                             ": '%s' is a %s program; add %s to "
                             "preferences.specialties to apply to it",
                             b->o->include[i], sp_specialty_code(prog->specialty),
                             sp_specialty_code(prog->specialty));
    }
    if (b->o->max_per_city > 0)
        assign_cities(b);
    pb->cands = b->cands;
    pb->n = b->n;
    return 0;
}

static double logistic(double x)
{
    return 1.0 / (1.0 + exp(-x));
}


/* The chosen list against the market, in rank order (order[0..n)): P(ends at each)
 * and P(interview at each) by candidate index (either may be NULL), every strength
 * shifted by z times its specialty's SD. Returns P(match anywhere). */
/* The chosen list against the market, in rank order (order[0..n)), once per shift z[u]
 * of every strength by z times its specialty's SD (u < m <= 3), in one pass over the
 * replications: P(ends at each) into end_of[u] and P(interview at each) into ivw_of[u]
 * by candidate index (either NULL), P(match anywhere) into any[u]. */
static void market_lists(const struct build *b, const struct sp_opt_result *r,
                         const size_t *order, size_t n, const double *z, size_t m,
                         double *const *end_of, double *const *ivw_of, double *any)
{
    struct sp_market_variant v[3];
    struct sp_market_eval ev = {&b->mquad, 0, 0};

    for (size_t u = 0; u < m; u++) {
        struct sp_market_app *apps = sp_xcalloc(n ? n : 1, sizeof(*apps));
        for (size_t i = 0; i < n; i++) {
            size_t j = order[i];
            double shift = z[u] * b->strength_sd[j];
            apps[i] = b->mapp[j];
            for (int s = 0; s < 3; s++) {
                apps[i].interview[s] += shift;
                apps[i].match[s] += b->m->lambda * shift;
                apps[i].f_signal[s] = (int)r->signal[j] == s ? 1.0 : 0.0;
            }
        }
        v[u] = (struct sp_market_variant){apps, sp_xcalloc(n ? n : 1, sizeof(double)),
                                          sp_xcalloc(n ? n : 1, sizeof(double)), &any[u], NULL};
    }
    sp_market_list_variants(v, m, b->m->market, n, &ev);
    for (size_t u = 0; u < m; u++) {
        for (size_t i = 0; i < n; i++) {
            if (end_of && end_of[u])
                end_of[u][order[i]] = v[u].p_end[i];
            if (ivw_of && ivw_of[u])
                ivw_of[u][order[i]] = v[u].p_interview[i];
        }
        free((void *)v[u].apps);
        free(v[u].p_end);
        free(v[u].p_interview);
    }
}

static double market_list(const struct build *b, const struct sp_opt_result *r,
                          const size_t *order, size_t n, double z, double *end_of,
                          double *ivw_of)
{
    double any;

    market_lists(b, r, order, n, &z, 1, &end_of, &ivw_of, &any);
    return any;
}

/* The chosen candidates in rank order: utility, then index (the optimizer's order). */
static size_t *rank_order(const struct sp_opt_problem *pb, const struct sp_opt_result *r)
{
    size_t n_sel = r->n_chosen;
    size_t *order = sp_xcalloc(n_sel ? n_sel : 1, sizeof(size_t));

    memcpy(order, r->chosen, n_sel * sizeof(size_t));
    for (size_t i = 1; i < n_sel; i++) {
        size_t v = order[i], k = i;
        while (k > 0 && (pb->cands[order[k - 1]].utility < pb->cands[v].utility ||
                         (pb->cands[order[k - 1]].utility == pb->cands[v].utility &&
                          order[k - 1] > v))) {
            order[k] = order[k - 1];
            k--;
        }
        order[k] = v;
    }
    return order;
}

/* evaluate() against the market: each group's P(the plan ends in it). */
static double evaluate_market(const struct build *b, const struct sp_opt_problem *pb,
                              const struct sp_opt_result *r, double z, double *by_group)
{
    size_t *order = rank_order(pb, r);
    double *end = sp_xcalloc(pb->n ? pb->n : 1, sizeof(double));
    double any;

    /* the final list's three evaluations were made together for its programs */
    int u = !b->end_z[0] ? -1 : z == 0 ? 0 : z == -Z80 ? 1 : z == Z80 ? 2 : -1;
    if (u >= 0) {
        memcpy(end, b->end_z[u], pb->n * sizeof(double));
        any = b->any_z[u];
    } else {
        any = market_list(b, r, order, r->n_chosen, z, end, NULL);
    }

    if (by_group) {
        memset(by_group, 0, SP_OPT_MAX_GROUPS * sizeof(double));
        for (size_t i = 0; i < r->n_chosen; i++)
            by_group[pb->cands[r->chosen[i]].group] += end[r->chosen[i]];
    }
    free(end);
    free(order);
    return any;
}

/* Per-specialty share of P(match) and P(match any), with every candidate's
 * strength shifted by z times its specialty's SD (0 for the point estimate). */
static double evaluate(const struct build *b, const struct sp_opt_problem *pb,
                       const struct sp_opt_result *r, double z, double *by_group)
{
    size_t n_sel = r->n_chosen, *order;
    double any = 0;

    if (b->mapp)
        return evaluate_market(b, pb, r, z, by_group);
    order = rank_order(pb, r);
    if (by_group)
        memset(by_group, 0, SP_OPT_MAX_GROUPS * sizeof(double));
    for (int e = 0; e < b->quad.n; e++) {
        double rest = 1;
        for (size_t i = 0; i < n_sel; i++) {
            size_t j = order[i];
            struct sp_app_logits l = pb->cands[j].logits[r->signal[j]];
            double shift = z * b->strength_sd[j], pj;
            l.interview += shift;
            l.match += b->m->lambda * shift;
            pj = sp_model_p_app(b->m, &l, b->quad.e[e]);
            if (by_group)
                by_group[pb->cands[j].group] += b->quad.w[e] * pj * rest;
            rest *= 1 - pj;
        }
        any += b->quad.w[e] * (1 - rest);
    }
    free(order);
    return any;
}

/* A program's P(interview) and P(match), and its tier: reach below 0.25 P(interview),
 * target below 0.55, else likely. */
static void program_details(struct sp_plan_program *pp, double p_interview, double p_match)
{
    pp->p_interview = p_interview;
    pp->p_match = p_match;
    pp->tier = p_interview < 0.25   ? SP_PT_REACH
               : p_interview < 0.55 ? SP_PT_TARGET
                                    : SP_PT_LIKELY;
}

/* Without a market: the model's P(interview) and P(match | applied) at one program,
 * integrated over e. */
static void analytic_details(double *pi, double *pm, const struct build *b,
                             const struct sp_opt_candidate *c, enum sp_signal sig)
{
    *pi = 0;
    *pm = 0;
    for (int e = 0; e < b->quad.n; e++) {
        *pi += b->quad.w[e] * logistic(c->logits[sig].interview + b->quad.e[e]);
        *pm += b->quad.w[e] * sp_model_p_app(b->m, &c->logits[sig], b->quad.e[e]);
    }
}

/* Why the program is in the plan (enum sp_plan_reason): its signal, the student's
 * ties to it, the geography preference it meets (in state before a preferred
 * region), and ESIR at a DR program. */
static unsigned explain(const struct sp_plan_program *pp, const struct sp_profile *p)
{
    unsigned why = 0;

    if (pp->signal != SP_SIGNAL_NONE)
        why |= SP_WHY_SIGNAL;
    if (pp->effects.away)
        why |= SP_WHY_AWAY;
    if (pp->effects.home)
        why |= SP_WHY_HOME;
    if (pp->effects.in_state)
        why |= SP_WHY_IN_STATE;
    else if (pp->effects.geo)
        why |= SP_WHY_REGION;
    if (pp->specialty == SP_SPEC_DR && pp->program->facts[SP_FACT_ESIR].source != SP_SRC_NONE &&
        pp->program->facts[SP_FACT_ESIR].value > 0)
        why |= p->esir_wanted ? SP_WHY_ESIR | SP_WHY_ESIR_WANTED : SP_WHY_ESIR;
    return why;
}

/* Every candidate's P(interview and match) at every node and signal level,
 * p[(j * nodes + e) * 3 + s]. Programs with the same selectivity and effects have
 * the same logits, hence the same row: each distinct row is computed once (a
 * hash of the logits' bits) and copied, with the same numbers as computing it. */
static double *p_table(const struct sp_opt_problem *pb, const struct sp_model *m,
                       const struct sp_quadrature *quad, const struct sp_market_app *mapp)
{
    size_t nq = (size_t)quad->n, row = nq * 3, cap = 16;
    double *p = sp_xreallocarray(NULL, (pb->n ? pb->n : 1) * row, sizeof(double));
    size_t *slot;

    if (mapp) {
        /* The market's fast form: every program has its own thresholds. */
        for (size_t j = 0; j < pb->n; j++) {
            for (size_t e = 0; e < nq; e++) {
                for (int sg = 0; sg < 3; sg++)
                    p[j * row + e * 3 + (size_t)sg] = sp_market_app_p_fast(
                        NULL, m->market, &mapp[j], quad->e[e], (enum sp_signal)sg, 0);
            }
        }
        return p;
    }
    while (cap < 2 * pb->n)
        cap *= 2;
    slot = sp_xreallocarray(NULL, cap, sizeof(size_t));
    for (size_t i = 0; i < cap; i++)
        slot[i] = (size_t)-1;
    for (size_t j = 0; j < pb->n; j++) {
        const struct sp_app_logits *l = pb->cands[j].logits;
        unsigned long long h = 1469598103934665603ULL;
        const unsigned char *bytes = (const unsigned char *)l;
        size_t at;
        for (size_t i = 0; i < 3 * sizeof(*l); i++) {
            h ^= bytes[i];
            h *= 1099511628211ULL;
        }
        for (at = (size_t)h & (cap - 1); slot[at] != (size_t)-1; at = (at + 1) & (cap - 1)) {
            if (memcmp(pb->cands[slot[at]].logits, l, 3 * sizeof(*l)) == 0)
                break;
        }
        if (slot[at] != (size_t)-1) {
            memcpy(&p[j * row], &p[slot[at] * row], row * sizeof(double));
            continue;
        }
        slot[at] = j;
        for (size_t e = 0; e < nq; e++) {
            for (int sg = 0; sg < 3; sg++)
                p[j * row + e * 3 + (size_t)sg] = sp_model_p_app(m, &l[sg], quad->e[e]);
        }
    }
    free(slot);
    return p;
}

/* Greedy path of one problem without budget, for a diminishing-returns curve. */
static size_t run_curve(struct sp_curve_point *out, size_t cap, const struct sp_opt_problem *src,
                        int group, int max_count)
{
    struct sp_opt_problem pb = *src;
    struct sp_opt_candidate *cands = NULL;
    struct sp_opt_result r;
    double *p_app = NULL;
    size_t n = 0;

    if (group >= 0) {
        size_t row = (size_t)src->q->n * 3;
        cands = sp_xcalloc(src->n ? src->n : 1, sizeof(*cands));
        if (src->p_app)
            p_app = sp_xreallocarray(NULL, (src->n ? src->n : 1) * row, sizeof(double));
        for (size_t j = 0; j < src->n; j++) {
            if (src->cands[j].group == group) {
                cands[n] = src->cands[j];
                cands[n].forced = false;
                if (p_app)
                    memcpy(&p_app[n * row], &src->p_app[j * row], row * sizeof(double));
                n++;
            }
        }
        pb.cands = cands;
        pb.n = n;
        pb.p_app = p_app;
    }
    pb.budget_usd = 0;
    pb.max_count = max_count < (int)cap ? max_count : (int)cap;
    pb.min_gain = 1e-9;
    pb.value_usd = 0;
    pb.curve_factor = 0;
    pb.curve_min = 0;
    pb.objective = SP_OBJ_MATCH;
    pb.no_local_search = true;
    for (int g = 0; g < pb.n_groups; g++)
        pb.groups[g].min_count = 0;
    if (sp_opt_greedy(&r, &pb, NULL)) {
        free(cands);
        free(p_app);
        return 0;
    }
    n = 0;
    for (size_t i = 0; i < r.n_curve && n < cap; i++) {
        /* Keep the first point of each application count (upgrades repeat it). */
        if (n && r.curve[i].n_applications == out[n - 1].n_applications)
            out[n - 1] = r.curve[i];
        else
            out[n++] = r.curve[i];
    }
    sp_opt_result_release(&r);
    free(cands);
    free(p_app);
    return n;
}

/* The curve up to the plan: P(match any) and cost of the first n chosen programs
 * (with their final signals), so it rises with n and ends exactly at the plan. */
static void prefix_curve(struct sp_plan *plan, const struct build *b,
                         const struct sp_opt_problem *pb, const struct sp_opt_result *r)
{
    double prod[SP_GH_MAX];
    int count[SP_OPT_MAX_GROUPS] = {0};

    for (int e = 0; e < b->quad.n; e++)
        prod[e] = 1;
    for (size_t i = 0; i < r->n_chosen && plan->n_curve < SP_PLAN_MAX_CURVE; i++) {
        size_t j = r->chosen[i];
        struct sp_curve_point *pt = &plan->curve[plan->n_curve++];
        double any = 0, cost = 0;
        count[pb->cands[j].group]++;
        for (int e = 0; e < b->quad.n; e++) {
            prod[e] *= 1 - sp_model_p_app(b->m, &pb->cands[j].logits[r->signal[j]], b->quad.e[e]);
            any += b->quad.w[e] * (1 - prod[e]);
        }
        for (int g = 0; g < pb->n_groups; g++)
            cost += sp_fee_cost(pb->groups[g].fees, count[g]);
        pt->n_applications = (int)i + 1;
        pt->p_match_any = any;
        pt->cost_usd = cost;
    }
}

/* The plan's settings: the objective, the target and budget (the options', else
 * the profile's), the transcript, and the PGY-1 applications when a specialty of
 * the profile has advanced positions. */
static void plan_settings(struct sp_plan *plan, const struct sp_model *m,
                          const struct sp_fees *fees, const struct sp_profile *p,
                          const struct sp_plan_options *o)
{
    bool advanced = false;

    plan->objective = o->objective;
    plan->target_p_match = o->target_p_match > 0 ? o->target_p_match : p->target_p_match;
    plan->budget_usd = o->budget_usd > 0 ? o->budget_usd : p->budget_usd;
    plan->max_applications = o->max_applications > 0 ? o->max_applications : p->budget_applications;
    for (size_t i = 0; i < p->n_specialties; i++)
        advanced |= m->spec[p->specialties[i]].advanced_share > 0;
    plan->cost_transcript_usd = fees->transcript_usd;
    if (advanced) {
        plan->pgy1_applications = o->pgy1_applications;
        plan->cost_pgy1_usd = sp_fee_cost(&fees->eras, o->pgy1_applications);
    }
}

/* The optimizer's problem beyond the candidates: fees per group, the objective and
 * its limits, the budget left for applications, and the table of P(interview and
 * match). SP_EINVAL when the budget does not cover the fixed costs. */
static int problem_setup(struct sp_opt_problem *pb, struct build *b, const struct sp_plan *plan,
                         const struct sp_fees *fees, struct sp_err *err)
{
    const struct sp_plan_options *o = b->o;

    pb->m = b->m;
    pb->q = &b->quad;
    for (int g = 0; g < pb->n_groups; g++)
        pb->groups[g].fees = sp_fees_for(fees, b->p->specialties[g]);
    pb->objective = o->objective;
    pb->max_count = plan->max_applications;
    pb->max_per_city = o->max_per_city;
    pb->min_gain = o->min_gain;
    pb->value_usd = o->match_value_usd;
    pb->target = plan->target_p_match;
    if (plan->budget_usd > 0) {
        /* The budget pays for the transcript and the PGY-1 applications too. */
        pb->budget_usd = plan->budget_usd - plan->cost_transcript_usd - plan->cost_pgy1_usd;
        if (pb->budget_usd <= 0)
            return sp_err_at(err, SP_EINVAL, SP_WHY_INVALID, "budget_usd",
                             ": %.0f does not cover the USMLE transcript and the "
                             "PGY-1 applications ($%.0f)",
                             plan->budget_usd, plan->cost_transcript_usd + plan->cost_pgy1_usd);
    }
    /* Every candidate's P(interview and match) at every node and signal, once:
     * the plan's run, the curves' runs and the utility all start from them. */
    b->p_app = p_table(pb, b->m, &b->quad, b->mapp);
    pb->p_app = b->p_app;
    /* The overall diminishing-returns curve comes from the same run: it follows the
     * greedy path to the plan, then keeps going past the budget. */
    pb->curve_factor = 2;
    pb->curve_min = CURVE_MIN;
    return 0;
}

/* The programs, in the order chosen, with their figures and reasons. */
static void plan_programs(struct sp_plan *plan, struct build *b,
                          const struct sp_opt_problem *pb, const struct sp_opt_result *r)
{
    const struct sp_plan_options *o = b->o;

    double *end = NULL, *ivw = NULL;

    plan->programs = sp_xcalloc(r->n_chosen ? r->n_chosen : 1, sizeof(*plan->programs));
    if (b->mapp) {
        size_t *order = rank_order(pb, r);
        static const double zs[3] = {0, -Z80, Z80};
        double *ivws[3] = {NULL, NULL, NULL};
        for (int u = 0; u < 3; u++)
            b->end_z[u] = sp_xcalloc(b->n ? b->n : 1, sizeof(double));
        ivw = ivws[0] = sp_xcalloc(b->n ? b->n : 1, sizeof(double));
        market_lists(b, r, order, r->n_chosen, zs, 3, b->end_z, ivws, b->any_z);
        end = b->end_z[0];
        free(order);
    }
    for (size_t i = 0; i < r->n_chosen; i++) {
        size_t j = r->chosen[i];
        struct sp_plan_program *pp = &plan->programs[plan->n_programs++];
        pp->program = b->progs[j];
        pp->specialty = b->progs[j]->specialty;
        pp->utility = b->cands[j].utility;
        pp->signal = r->signal[j];
        pp->gain = r->gain[j];
        pp->order = (int)i + 1;
        pp->distance_miles = o->has_origin ? sp_distance_miles(o->origin, b->progs[j]->where) : -1;
        sp_model_program_effects(&pp->effects, b->p, b->progs[j]);
        if (b->mapp) {
            /* The market's: P(interview), and P(this plan ends here), which add up
             * over the list to P(match anywhere). */
            program_details(pp, ivw[j], end[j]);
        } else {
            double pi, pm;
            analytic_details(&pi, &pm, b, &b->cands[j], pp->signal);
            program_details(pp, pi, pm);
        }
        pp->reasons = explain(pp, b->p);
    }
    free(ivw); /* the end_z stay for the plan's totals; freed with the build */
}

/* Totals, with the 80% interval from the strength uncertainty; by_group, lo_group
 * and hi_group get each group's share at the point and at the ends. */
static void plan_totals(struct sp_plan *plan, const struct build *b,
                        const struct sp_opt_problem *pb, const struct sp_opt_result *r,
                        double *by_group, double *lo_group, double *hi_group)
{
    struct sp_opt_problem util = *pb;
    bool *chosen = sp_xcalloc(pb->n ? pb->n : 1, sizeof(bool));

    plan->p_match_any = evaluate(b, pb, r, 0, by_group);
    plan->p_match_any_low = evaluate(b, pb, r, -Z80, lo_group);
    plan->p_match_any_high = evaluate(b, pb, r, Z80, hi_group);
    util.objective = SP_OBJ_UTILITY;
    for (size_t i = 0; i < r->n_chosen; i++)
        chosen[r->chosen[i]] = true;
    plan->expected_utility = sp_opt_value(&util, chosen, r->signal, NULL);
    free(chosen);
    plan->cost_applications_usd = r->cost;
    plan->cost_usd = r->cost + plan->cost_pgy1_usd + plan->cost_transcript_usd;
    plan->target_met = plan->p_match_any >= plan->target_p_match;
}

/* One entry per specialty of the profile: its applications, P(match) with the
 * interval ordered, interviews, signals and cost. */
static void plan_specialties(struct sp_plan *plan, const struct build *b,
                             const struct sp_opt_problem *pb, const double *by_group,
                             const double *lo_group, const double *hi_group)
{
    for (int g = 0; g < pb->n_groups; g++) {
        struct sp_plan_specialty *s = &plan->spec[plan->n_spec++];
        enum sp_specialty k = b->p->specialties[g];
        s->code = k;
        s->p_match = by_group[g];
        s->p_low = lo_group[g];
        s->p_high = hi_group[g];
        s->signals_gold_available = b->m->spec[k].signals_gold;
        s->signals_silver_available = b->m->spec[k].signals_silver;
        for (size_t i = 0; i < plan->n_programs; i++) {
            const struct sp_plan_program *pp = &plan->programs[i];
            if (pp->specialty != k)
                continue;
            s->n_applications++;
            s->expected_interviews += pp->p_interview;
            s->signals_gold += pp->signal == SP_SIGNAL_GOLD;
            s->signals_silver += pp->signal == SP_SIGNAL_SILVER;
        }
        s->cost_usd = sp_fee_cost(pb->groups[g].fees, s->n_applications);
        /* The P(match in k) interval comes from shifting strength: the share of a
         * lower specialty can rise when the higher ones fall, so order the ends. */
        if (s->p_low > s->p_high) {
            double t = s->p_low;
            s->p_low = s->p_high;
            s->p_high = t;
        }
        if (s->p_match < s->p_low)
            s->p_low = s->p_match;
        if (s->p_match > s->p_high)
            s->p_high = s->p_match;
    }
}

/* The PGY-1 year was budgeted for; drop it if no advanced specialty was chosen. */
static void drop_unused_pgy1(struct sp_plan *plan, const struct sp_model *m)
{
    bool any_adv = false;

    for (size_t i = 0; i < plan->n_programs; i++)
        any_adv |= m->spec[plan->programs[i].specialty].advanced_share > 0;
    if (!any_adv) {
        plan->cost_usd -= plan->cost_pgy1_usd;
        plan->pgy1_applications = 0;
        plan->cost_pgy1_usd = 0;
    }
}

/* Diminishing returns: overall (to twice the plan's size, at least CURVE_MIN) and
 * per specialty alone. */
static void plan_curves(struct sp_plan *plan, const struct build *b,
                        const struct sp_opt_problem *pb, const struct sp_opt_result *r)
{
    size_t max_overall = r->n_chosen * 2 > CURVE_MIN ? r->n_chosen * 2 : CURVE_MIN;

    prefix_curve(plan, b, pb, r);
    for (size_t i = r->n_chosen;
         i < r->n_curve && plan->n_curve < max_overall && plan->n_curve < SP_PLAN_MAX_CURVE; i++) {
        if (plan->n_curve &&
            r->curve[i].n_applications == plan->curve[plan->n_curve - 1].n_applications)
            plan->curve[plan->n_curve - 1] = r->curve[i];
        else
            plan->curve[plan->n_curve++] = r->curve[i];
    }
    for (int g = 0; g < pb->n_groups; g++)
        plan->n_spec_curve[g] =
            run_curve(plan->spec_curve[g], SP_PLAN_MAX_CURVE / 4, pb, g, SPEC_CURVE_MAX);
}

/* Least cost to a target against the market: the optimizer stops on its fast form,
 * which can sit a little above the exact figure; while the exact one falls short,
 * set the optimizer's target the shortfall above what its fast form gave the last
 * selection (raising it from the old target alone may leave that selection
 * standing) and solve again (a few rounds). */
static int meet_target_exactly(const struct build *b, struct sp_opt_problem *pb,
                               struct sp_opt_result *r, double target, struct sp_err *err)
{
    for (int round = 0; b->mapp && pb->objective == SP_OBJ_MIN_COST && round < 4; round++) {
        double exact = evaluate(b, pb, r, 0, NULL);
        int rc;
        if (exact >= target || pb->target >= 0.9999)
            break;
        pb->target = fmin(0.9999, fmax(pb->target, r->p_any) + (target - exact) + 1e-3);
        sp_opt_result_release(r);
        rc = sp_opt_greedy(r, pb, err);
        if (rc) {
            memset(r, 0, sizeof(*r));
            return rc;
        }
    }
    return 0;
}

int sp_plan_build(struct sp_plan **out, const struct sp_model *m, const sp_catalog *cat,
                  const double *q, const struct sp_fees *fees, const struct sp_profile *p,
                  const struct sp_plan_options *o, struct sp_err *err)
{
    struct sp_plan *plan = sp_xcalloc(1, sizeof(*plan));
    struct build b = {.m = m, .cat = cat, .q = q, .p = p, .o = o};
    struct sp_opt_problem pb = {0};
    struct sp_opt_result r = {0};
    double by_group[SP_OPT_MAX_GROUPS], lo_group[SP_OPT_MAX_GROUPS], hi_group[SP_OPT_MAX_GROUPS];
    bool have_result = false;
    int rc;

    *out = NULL;
    if (!p->n_specialties) {
        rc = sp_err_at(err, SP_EINVAL, SP_WHY_INVALID, "preferences.specialties",
                       ": a plan needs at least one specialty");
        goto out;
    }
    /* With a market the optimizer's fast form averages 16 representative replications
     * at every node, so 8 nodes suffice, as in assess; the plan's figures are exact. */
    rc = m->market ? sp_quadrature_init(&b.quad, 8, m->sigma) : sp_model_quadrature(&b.quad, m);
    if (rc) {
        rc = sp_err_at(err, SP_EINVAL, SP_WHY_MODEL, "model", ": bad quadrature");
        goto out;
    }
    rc = sp_assess(&plan->assessment, m, cat, q, p, err);
    if (rc)
        goto out;
    plan->tier_high = m->tier_high;
    plan->tier_moderate = m->tier_moderate;
    rc = build_candidates(&b, &pb, err);
    if (rc)
        goto out;
    plan_settings(plan, m, fees, p, o);
    rc = problem_setup(&pb, &b, plan, fees, err);
    if (rc)
        goto out;
    rc = sp_opt_greedy(&r, &pb, err);
    if (rc)
        goto out;
    have_result = true;
    rc = meet_target_exactly(&b, &pb, &r, plan->target_p_match, err);
    if (rc)
        goto out;

    plan_programs(plan, &b, &pb, &r);
    plan_totals(plan, &b, &pb, &r, by_group, lo_group, hi_group);
    plan_specialties(plan, &b, &pb, by_group, lo_group, hi_group);
    drop_unused_pgy1(plan, m);
    plan_curves(plan, &b, &pb, &r);
out:
    if (have_result)
        sp_opt_result_release(&r);
    free(b.cands);
    free(b.p_app);
    free(b.progs);
    free(b.strength_sd);
    free(b.mapp);
    for (int u = 0; u < 3; u++)
        free(b.end_z[u]);
    if (rc) {
        sp_plan_free(plan);
        return rc;
    }
    *out = plan;
    return 0;
}

void sp_plan_free(struct sp_plan *plan)
{
    if (!plan)
        return;
    free(plan->programs);
    free(plan);
}
