/*
 * smartpick/model/assess.h - an applicant's chances per specialty, and why.
 *
 * Evaluates application lists under the model (smartpick/model/model.h): a list item
 * stands for programs with the same logits; it has the probability share that
 * each of them is on the list (1 for a list applied to; pi_j on a typical list),
 * a weight = programs x share, and signal probabilities. The probability of
 * matching somewhere integrates over the cycle's latent term:
 * P = E_e[1 - prod_j (1 - share_j p_j(e))^(weight_j / share_j)], each program on
 * the list independently with its share (docs/MODEL.md).
 */
#ifndef SMARTPICK_ASSESS_H
#define SMARTPICK_ASSESS_H

#include "smartpick/model/model.h"

struct sp_list_item {
    struct sp_app_logits none, silver, gold;
    double weight;   /* programs this item stands for x share */
    double share;    /* probability each of them is on the list (0 or 1: it is) */
    double f_gold;   /* probability the application carries a gold signal */
    double f_silver; /* ... a silver one */
};

/* P(match at one or more items), strength shifted by shift (0 = as given). */
double sp_list_p_match(const struct sp_model *m, const struct sp_quadrature *q,
                       const struct sp_list_item *items, size_t n, double shift);
/* Expected number of interviews. */
double sp_list_expected_interviews(const struct sp_model *m, const struct sp_quadrature *q,
                                   const struct sp_list_item *items, size_t n, double shift);

/* Room a typical list needs per program: the reference applicant (p == NULL)
 * takes one item per program and geography class. */
#define SP_TYPICAL_CLASSES 3

/* The typical list for specialty k at this strength, as the simulator's applicants
 * choose (docs/MODEL.md): each program j is on the list with probability
 * pi_j = min(1, c w_j), w_j = fit_j (sp_utility_program's) x e^(SP_APPLICATION_PRESTIGE
 * q_j) x P(interview at e = 0 with the program's effects); the applicant's home and
 * away programs (p != NULL) have pi = 1, and c makes sum pi_j = min(n_apps, the
 * programs of k), or 0 when the home and away programs alone reach that (the list
 * is then just them). Signals go where they add most to fit x P(interview), on
 * whole expected applications, in order down the programs; a program's share of a
 * signal changes in steps as the strength moves, so P(match) at this list is
 * increasing in strength only up to ~1e-3. p == NULL is the reference applicant:
 * its programs split into geography classes by the reference's shares (in state,
 * in a preferred division, neither), one item per selectivity and class. items
 * needs room for every program of k (SP_TYPICAL_CLASSES x that when p == NULL); q
 * is indexed like sp_catalog_programs(). Items with identical logits, shares and
 * signals are merged (weights added), so the count returned is usually much
 * smaller. */
size_t sp_typical_list(struct sp_list_item *items, const struct sp_model *m,
                       const sp_catalog *cat, const double *q, const struct sp_profile *p,
                       enum sp_specialty k, double strength, int n_apps, int signals_gold,
                       int signals_silver);

struct sp_market_app;
/* sp_typical_list for a profile (p != NULL) as the market sees it: one application per
 * program of k (apps has room for them all), each with its share of being on the
 * list and its signal probabilities, unmerged. Returns the count. */
size_t sp_typical_market_list(struct sp_market_app *apps, const struct sp_model *m,
                              const sp_catalog *cat, const double *q, const struct sp_profile *p,
                              enum sp_specialty k, double strength, int n_apps, int signals_gold,
                              int signals_silver);

enum sp_tier { SP_TIER_HIGH, SP_TIER_MODERATE, SP_TIER_AT_RISK };
/* "highly_competitive", "moderately_competitive", "at_risk" */
const char *sp_tier_code(enum sp_tier t);
/* "highly competitive", ... */
const char *sp_tier_label(enum sp_tier t);
enum sp_tier sp_model_tier(const struct sp_model *m, double p_match);

struct sp_assess_specialty {
    enum sp_specialty code;
    double p_match, p_low, p_high; /* point and 80% interval */
    int n_applications;
    int n_programs;
    int signals_gold, signals_silver; /* assumed used on the typical list */
    double expected_interviews;
    double advanced_share; /* of the specialty's positions that are PGY-2 advanced */
    enum sp_tier tier;
    struct sp_strength strength;
};

struct sp_factor {
    const char *name;     /* term of the strength score */
    double delta_strength;
    double delta_p;       /* P(match) with the term minus without it (primary) */
};

struct sp_improvement {
    char what[96];
    double p_after;
    double delta_p;
};

#define SP_MAX_IMPROVEMENTS 8

struct sp_assessment {
    struct sp_assess_specialty spec[SP_SPEC_COUNT]; /* in the profile's order */
    size_t n_spec;
    struct sp_factor factors[SP_FEAT_COUNT + 2];     /* primary specialty, by |delta_p| */
    size_t n_factors;
    struct sp_improvement improvements[SP_MAX_IMPROVEMENTS]; /* best first */
    size_t n_improvements;
};

/* Assess a completed profile for each of its specialties (all nine when it lists
 * none). q: selectivity per catalog program (sp_model_selectivity). */
int sp_assess(struct sp_assessment *out, const struct sp_model *m, const sp_catalog *cat,
              const double *q, const struct sp_profile *p, struct sp_err *err);

/* P(match) of a profile in specialty k at n_apps typical applications, its strength
 * shifted by shift (0: as given), on the typical list sent at that strength. */
double sp_assess_p_match(const struct sp_model *m, const sp_catalog *cat, const double *q,
                         const struct sp_profile *p, enum sp_specialty k, int n_apps,
                         double shift);

#endif
