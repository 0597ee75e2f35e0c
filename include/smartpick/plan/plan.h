/*
 * smartpick/plan/plan.h - the optimized application plan (docs/OPTIMIZER.md).
 *
 * Chooses which programs of which specialties to apply to, and where to place
 * the signals, to maximise the Kapur-Hong expected utility
 *
 *   V(A) = E_e[ sum_{j in A} t_j p_j(e) prod_{i in A, i ranked above j} (1 - p_i(e)) ]
 *
 * (or P(match anywhere), or the least cost reaching a target P(match)) under a
 * budget in dollars or applications, the ERAS / ResidencyCAS fee schedules and the
 * student's constraints. Pure: takes the model, catalog, selectivities, fees and
 * a completed profile; returns a plan the caller owns (sp_plan_free). The plan
 * holds facts and numbers only: its words (the strategy, each program's "why",
 * the checklists) are the format layer's (format/plan_prose.c).
 */
#ifndef SMARTPICK_PLAN_H
#define SMARTPICK_PLAN_H

#include "smartpick/model/assess.h"
#include "smartpick/model/model.h"
#include "smartpick/model/profile.h"
#include "smartpick/model/utility.h"

#include <stdbool.h>
#include <stddef.h>

#include "smartpick/plan/fees.h"

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

/* objective utility, no budget (the profile's), min_gain 0.0001, 15 PGY-1 apps. */
void sp_plan_options_init(struct sp_plan_options *o);

/* The objective's name: "utility", "match", "min-cost" (the --objective words);
 * "?" for a value out of range. */
const char *sp_objective_name(enum sp_objective o);
/* The objective called name (exactly); SP_ENOTFOUND otherwise. */
int sp_objective_parse(enum sp_objective *out, const char *name);

/* ---- result ---- */

enum sp_program_tier { SP_PT_REACH, SP_PT_TARGET, SP_PT_LIKELY };
/* "reach", "target", "likely": from P(interview) < 0.25, < 0.55, else. */
const char *sp_program_tier_name(enum sp_program_tier t);
const char *sp_signal_name(enum sp_signal s); /* "none", "silver", "gold" */
/* The signal called name (exactly: "none", "silver", "gold"); SP_ENOTFOUND otherwise. */
int sp_signal_parse(enum sp_signal *out, const char *name);

/* Why a program is in the plan, beside its tier, P(interview) and gain: bits of
 * sp_plan_program.reasons, each a fact the format layer words. */
enum sp_plan_reason {
    SP_WHY_SIGNAL = 1u << 0,      /* it carries a signal (.signal says which) */
    SP_WHY_AWAY = 1u << 1,        /* the student rotated here */
    SP_WHY_HOME = 1u << 2,        /* the student's home program */
    SP_WHY_IN_STATE = 1u << 3,    /* in the home or school state */
    SP_WHY_REGION = 1u << 4,      /* in a preferred region (and not in state) */
    SP_WHY_ESIR = 1u << 5,        /* a DR program that offers ESIR */
    SP_WHY_ESIR_WANTED = 1u << 6, /* ... which the student wants (with SP_WHY_ESIR) */
};

struct sp_plan_program {
    const struct sp_program *program; /* borrowed from the catalog */
    enum sp_specialty specialty;
    double utility;          /* t_j */
    double p_interview;      /* P(interview), integrated over e (the market's with one) */
    /* With a market: P(this plan ends here), which adds up over the programs to
     * p_match_any; without one, P(match here | applied). Integrated over e. */
    double p_match;
    double distance_miles;   /* from the home state's programs' centroid; -1 unknown */
    double gain;             /* marginal gain when it was added */
    enum sp_signal signal;
    enum sp_program_tier tier;
    struct sp_program_effects effects;
    int order;               /* 1-based order in which it was chosen */
    unsigned reasons;        /* enum sp_plan_reason bits */
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
    double tier_high, tier_moderate; /* the model's tier thresholds on P(match) */
};

/* Build the plan. SP_EINVAL (err names the option) for impossible constraints,
 * e.g. a must-include program outside the profile's specialties. */
int sp_plan_build(struct sp_plan **out, const struct sp_model *m, const sp_catalog *cat,
                  const double *q, const struct sp_fees *fees, const struct sp_profile *p,
                  const struct sp_plan_options *o, struct sp_err *err);
void sp_plan_free(struct sp_plan *plan);

#endif
