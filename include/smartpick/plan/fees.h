/*
 * smartpick/plan/fees.h - application fee schedules (ERAS, ResidencyCAS) and what a
 * number of applications costs under them (docs/OPTIMIZER.md, data/fees.csv).
 * Plain values; no allocation.
 */
#ifndef SMARTPICK_PLAN_FEES_H
#define SMARTPICK_PLAN_FEES_H

#include "smartpick/catalog/specialty.h"

#include <stdbool.h>

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

#endif
