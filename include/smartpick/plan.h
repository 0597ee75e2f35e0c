/*
 * smartpick/plan.h - the optimized application plan (docs/OPTIMIZER.md).
 *
 * Chooses which programs of which specialties to apply to, and where to place
 * the signals, to maximise the Kapur-Hong expected utility
 *
 *   V(A) = E_e[ sum_{j in A} t_j p_j(e) prod_{i in A, i ranked above j} (1 - p_i(e)) ]
 *
 * (or P(match anywhere), or the least cost reaching a target P(match)) under a
 * budget in dollars or applications, the ERAS / ResidencyCAS fee schedules and the
 * student's constraints. Pure: takes the model, catalog, selectivities, fees and
 * a completed profile; returns a plan the caller owns (sp_plan_free).
 */
#ifndef SMARTPICK_PLAN_H
#define SMARTPICK_PLAN_H

#include "smartpick/assess.h"
#include "smartpick/model.h"
#include "smartpick/profile.h"

#include <stdbool.h>
#include <stddef.h>

/* ---- fees ---- */

/* One tier of a fee schedule: applications from_n..to_n (to_n 0 = no upper bound)
 * cost fee_usd each, or fee_usd once for the whole tier when flat. */
struct sp_fee_tier {
    int from_n;
    int to_n;
    double fee_usd;
    bool flat;
};

#define SP_FEE_MAX_TIERS 6

struct sp_fee_schedule {
    struct sp_fee_tier tiers[SP_FEE_MAX_TIERS];
    int n_tiers;
    char service[16]; /* "eras", "residencycas" */
};

struct sp_fees {
    struct sp_fee_schedule eras;         /* per specialty, count restarts per specialty */
    struct sp_fee_schedule residencycas; /* EM */
    double transcript_usd;               /* USMLE transcript, once per season */
};

/* The published 2026 schedules (data/fees.csv): ERAS $11 for 1-30, $30 from 31;
 * ResidencyCAS $99 for 1-18, $18 each 19-30, $23 from 31; transcript $80. */
void sp_fees_default(struct sp_fees *f);
/* The schedule that applies to specialty k (EM: ResidencyCAS). */
const struct sp_fee_schedule *sp_fees_for(const struct sp_fees *f, enum sp_specialty k);
/* Cost of n applications to one specialty under s. */
double sp_fee_cost(const struct sp_fee_schedule *s, int n);
/* Cost of the n-th application (1-based) given n-1 already: cost(n) - cost(n-1). */
double sp_fee_marginal(const struct sp_fee_schedule *s, int n);

/* ---- options ---- */

enum sp_objective {
    SP_OBJ_UTILITY,  /* expected utility of the best program matched (default) */
    SP_OBJ_MATCH,    /* P(match anywhere) */
    SP_OBJ_MIN_COST, /* least cost reaching target_p_match */
};

#define SP_PLAN_MAX_IDS 32

struct sp_plan_options {
    enum sp_objective objective;
    double budget_usd;      /* > 0: spend at most this on applications (and PGY-1 ones) */
    int max_applications;   /* > 0: at most this many applications */
    double target_p_match;  /* for SP_OBJ_MIN_COST; 0 = the profile's */
    int min_per_specialty[SP_SPEC_COUNT]; /* 0 = none */
    int max_per_specialty[SP_SPEC_COUNT]; /* 0 = no limit */
    int max_per_city;       /* 0 = no limit */
    char include[SP_PLAN_MAX_IDS][SP_ACGME_ID_LEN + 1]; /* must apply */
    size_t n_include;
    char exclude[SP_PLAN_MAX_IDS][SP_ACGME_ID_LEN + 1]; /* never apply */
    size_t n_exclude;
    double min_gain;        /* stop adding when an application adds less (no waste) */
    double match_value_usd; /* an application is worth its fee if gain x this >= fee */
    int pgy1_applications;  /* preliminary/TY applications for advanced positions */
    bool has_origin;        /* distances are measured from origin (the home state) */
    struct sp_point origin;
};

/* objective utility, no budget (the profile's), min_gain 0.0005, 15 PGY-1 apps. */
void sp_plan_options_init(struct sp_plan_options *o);

/* ---- result ---- */

enum sp_program_tier { SP_PT_REACH, SP_PT_TARGET, SP_PT_LIKELY };
/* "reach", "target", "likely": from P(interview) < 0.25, < 0.55, else. */
const char *sp_program_tier_name(enum sp_program_tier t);
const char *sp_signal_name(enum sp_signal s); /* "none", "silver", "gold" */

struct sp_plan_program {
    const struct sp_program *program; /* borrowed from the catalog */
    enum sp_specialty specialty;
    double utility;          /* t_j */
    double p_interview;      /* integrated over e */
    double p_match;          /* P(match here | applied), integrated over e */
    double distance_miles;   /* from the home state's programs' centroid; -1 unknown */
    double gain;             /* marginal gain when it was added */
    enum sp_signal signal;
    enum sp_program_tier tier;
    struct sp_program_effects effects;
    int order;               /* 1-based order in which it was chosen */
    char why[160];
};

struct sp_plan_specialty {
    enum sp_specialty code;
    int n_applications;
    double p_match, p_low, p_high; /* P(matching in this specialty with the plan) */
    double expected_interviews;
    double cost_usd;
    int signals_gold, signals_silver; /* used */
    int signals_gold_available, signals_silver_available;
};

struct sp_curve_point {
    int n_applications;
    double p_match_any;
    double cost_usd;
};

#define SP_PLAN_MAX_CURVE 400

/* One line of the plan's checklists; section is "letters", "personal_statements",
 * "pgy1", "signals", "interviews", "timeline", "if_unmatched". */
struct sp_checklist_item {
    char section[24];
    char when[24]; /* timeline: "MS2 spring", ... ; else "" */
    char text[240];
};

struct sp_plan {
    enum sp_objective objective;
    struct sp_plan_program *programs; /* in the order chosen */
    size_t n_programs;
    struct sp_plan_specialty spec[SP_SPEC_COUNT]; /* the profile's specialties, in order */
    size_t n_spec;
    double p_match_any, p_match_any_low, p_match_any_high;
    double expected_utility;
    double cost_usd;              /* applications + PGY-1 applications + transcript */
    double cost_applications_usd;
    double cost_pgy1_usd;
    double cost_transcript_usd;
    int pgy1_applications;        /* 0 when no advanced positions are in the plan */
    double budget_usd;            /* the budget used (0 = none) */
    int max_applications;
    double target_p_match;
    bool target_met;
    struct sp_curve_point curve[SP_PLAN_MAX_CURVE]; /* overall, by number of applications */
    size_t n_curve;
    /* Per specialty, indexed like spec[] (the profile's order): P(match in that
     * specialty alone) against its number of applications. */
    struct sp_curve_point spec_curve[SP_SPEC_COUNT][SP_PLAN_MAX_CURVE / 4];
    size_t n_spec_curve[SP_SPEC_COUNT];
    struct sp_assessment assessment; /* the per-specialty assessment behind the plan */
    char strategy[2048];
    struct sp_checklist_item *checklist; /* malloc'd */
    size_t n_checklist;
};

/* Build the plan. SP_EINVAL (err names the option) for impossible constraints,
 * e.g. a must-include program outside the profile's specialties. */
int sp_plan_build(struct sp_plan **out, const struct sp_model *m, const sp_catalog *cat,
                  const double *q, const struct sp_fees *fees, const struct sp_profile *p,
                  const struct sp_plan_options *o, struct sp_err *err);
void sp_plan_free(struct sp_plan *plan);

/* Fill plan->strategy and plan->checklist from the finished plan: the strategy in
 * the guide's terms for this student's tier (which specialties, why, how many),
 * letters per specialty, personal statements, signals, the PGY-1 year, interview
 * notes, a timeline from MS2 to MS4, and the plan if unmatched. lib/advice.c. */
void sp_plan_advise(struct sp_plan *plan, const struct sp_profile *p, const struct sp_model *m);

/* Utility of a program for this student (docs/OPTIMIZER.md): specialty preference
 * weight times program fit. */
double sp_plan_utility(const struct sp_profile *p, const struct sp_program *prog,
                       size_t specialty_rank);

/* The part of a program's fit that geography sets (0.88, +0.05 in a preferred
 * division, +0.03 in state, +0.02 home or away): a student with no other
 * preference's fit, as the reference applicant's typical list weighs programs. The
 * simulator's vector loops (lib/sim_draw.c, lib/sim_rep.c) spell the same values in
 * single precision. */
double sp_plan_fit_geography(const struct sp_program_effects *fx);

/* ---- the optimizer engine (used by sp_plan_build; exposed for tests) ---- */

/* A candidate application: its logits with each signal level, its utility, its
 * fee/count group (a specialty), its signal pool, and its city for the spread cap. */
struct sp_opt_candidate {
    struct sp_app_logits logits[3]; /* indexed by enum sp_signal */
    double utility;
    int group;  /* 0 .. n_groups-1 */
    int pool;   /* signal pool, -1 = takes no signals */
    int city;   /* -1 = none */
    bool forced;
};

struct sp_opt_group {
    const struct sp_fee_schedule *fees; /* NULL: each application costs 1 */
    int min_count;
    int max_count; /* 0 = no limit */
};

struct sp_opt_pool {
    int gold;
    int silver;
};

#define SP_OPT_MAX_GROUPS SP_SPEC_COUNT

struct sp_opt_problem {
    const struct sp_model *m;
    const struct sp_quadrature *q;  /* over the cycle term e */
    const struct sp_opt_candidate *cands;
    size_t n;
    struct sp_opt_group groups[SP_OPT_MAX_GROUPS];
    int n_groups;
    struct sp_opt_pool pools[SP_OPT_MAX_GROUPS];
    int n_pools;
    enum sp_objective objective;
    double budget_usd;  /* <= 0: none */
    int max_count;      /* <= 0: none */
    int max_per_city;   /* <= 0: none */
    double min_gain;    /* stop when the best action adds less */
    double value_usd;   /* > 0: an application must add at least fee / value_usd */
    double target;      /* SP_OBJ_MIN_COST: stop once P(match any) reaches it */
    bool no_local_search; /* skip the swap phase */
    double curve_factor;  /* after solving, keep adding (no budget, for the curve
                             only) to curve_factor x the plan's size ... */
    int curve_min;        /* ... and at least this many applications; 0 = stop */
    /* Optional: P(interview and match) of each candidate at each node and signal,
     * p_app[(j * q->n + e) * 3 + s] = sp_model_p_app(m, &cands[j].logits[s], q->e[e]),
     * when the caller has them already (NULL: computed here). */
    const double *p_app;
};

struct sp_opt_result {
    size_t *chosen;          /* candidate indices in the order added (malloc'd) */
    size_t n_chosen;
    enum sp_signal *signal;  /* per candidate (malloc'd, n entries) */
    double *gain;            /* per candidate: marginal gain when added */
    double value;            /* the objective */
    double p_any;            /* P(match anywhere) */
    double cost;
    struct sp_curve_point *curve; /* P(match any) and cost by applications (malloc'd) */
    size_t n_curve;               /* n_chosen, or more with curve_factor/curve_min */
};

/* The objective of a selection (mask of chosen candidates, their signals). */
double sp_opt_value(const struct sp_opt_problem *pb, const bool *chosen,
                    const enum sp_signal *signal, double *p_any_out);

/* Greedy by marginal gain per marginal cost, with incremental gains (O(n) per
 * quadrature node and step), signals placed jointly (add-with-signal and upgrade
 * actions) and then improved by moving signals while that gains. */
int sp_opt_greedy(struct sp_opt_result *out, const struct sp_opt_problem *pb,
                  struct sp_err *err);
/* Exhaustive search over subsets (no signals, n <= 22): the optimum to check
 * the greedy against. */
int sp_opt_exact(struct sp_opt_result *out, const struct sp_opt_problem *pb,
                 struct sp_err *err);
void sp_opt_result_release(struct sp_opt_result *r);

#endif
