/*
 * optimize.h - the optimizer engine, private to core/plan (and its tests): greedy
 * by marginal gain with signals placed jointly, an exhaustive search to check it, and
 * the Kapur-Hong value of a selection that the plan and the rank list share
 * (docs/OPTIMIZER.md). Results are owned by the caller (sp_opt_result_release).
 */
#ifndef SP_PLAN_OPTIMIZE_H
#define SP_PLAN_OPTIMIZE_H

#include "smartpick/plan/plan.h"

#include <stdbool.h>
#include <stddef.h>

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
