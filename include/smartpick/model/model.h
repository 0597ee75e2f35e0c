/*
 * smartpick/model/model.h - the calibrated match model (docs/MODEL.md).
 *
 * For an applicant and specialty k, strength s = beta_k * z + offset[type] +
 * sum_f c_f * (x_f - ref_f), where z = (Step 2 CK - 251) / 15 and ref is the
 * reference applicant the specialty's intercepts were calibrated on. The cycle
 * adds one latent term e ~ N(0, sigma^2) shared by every program. For program j:
 *
 *   P(interview_j | e)           = logistic(a_k + s + e - q_j + program effects)
 *   P(match_j | interview_j, e)  = logistic(b_k + lambda (s + e - q_j) + program effects)
 *
 * Conditional on e programs are independent; every probability shown integrates
 * over e by Gauss-Hermite quadrature (deterministic).
 *
 * All functions are pure; structs are plain values the caller owns.
 */
#ifndef SMARTPICK_MODEL_H
#define SMARTPICK_MODEL_H

#include "smartpick/catalog/catalog.h"
#include "smartpick/error.h"
#include "smartpick/model/profile.h"
#include "smartpick/catalog/specialty.h"

#include <stdbool.h>
#include <stddef.h>

#define SP_GH_MAX 32

/* A coefficient and the standard deviation of its prior (or fit). */
struct sp_coef {
    double value;
    double sd;
};

/* An effect on the interview and on the match-after-interview logits. */
struct sp_effect {
    double interview;
    double match;
};

/* Features of the strength score, in the order of sp_model.coef. */
enum sp_feature {
    SP_FEAT_HONORS,        /* per honored core clerkship */
    SP_FEAT_AOA,           /* AOA membership */
    SP_FEAT_RESEARCH,      /* per unit of log(1 + research products) */
    SP_FEAT_RESEARCH_SPEC, /* per unit of log(1 + products in the specialty) */
    SP_FEAT_LETTERS,       /* per letter from the specialty, up to 3 */
    SP_FEAT_AWAYS,         /* per away rotation in the specialty, up to 3 */
    SP_FEAT_FAILURES,      /* per failed exam attempt */
    SP_FEAT_GAP,           /* per unexplained gap month beyond 3 */
    SP_FEAT_PROFESSIONALISM,
    SP_FEAT_REAPPLICANT,
    SP_FEAT_YEARS_OUT,     /* per year since graduation beyond 1 */
    SP_FEAT_VISA,          /* needs a visa */
    SP_FEAT_COUNT
};

/* "honors", "aoa", ... (keys of model.json "coefficients"). */
const char *sp_feature_name(enum sp_feature f);

struct sp_model_specialty {
    double a;                   /* interview intercept (fitted) */
    double b;                   /* match-after-interview intercept (fitted) */
    double beta_step2;          /* strength per Step 2 SD (fitted) */
    double se_shift;            /* SE of the strength scale from calibration sampling */
    int typical_applications;   /* applications of a typical applicant */
    int signals_gold;           /* signals available (DR and IR share one pool) */
    int signals_silver;
    double ref_letters;         /* reference applicant's letters from the specialty */
    double ref_aways;           /* reference applicant's away rotations */
    double ref_research_spec;   /* reference specialty-specific products */
    double advanced_share;      /* share of positions that are PGY-2 advanced (need a
                                   separate PGY-1 year); 0 when not published */
    /* The market's applicants of k by type, as shares of its first-choice applicants
     * (sum 1): published where NRMP gives them (non-US IMGs, Charting Outcomes 2026),
     * fitted in the market to NRMP's shares of filled positions by type where those
     * are published (DOs, US IMGs; US MDs are the rest), else SmartPick estimates
     * (sp_calib_pool_init, service/market_pool.c, docs/CALIBRATION.md). */
    double pool_share[SP_APP_TYPE_COUNT];
    /* How k's programs see an applicant of type t beyond the strength the applicant
     * believes in (sp_model_strength): added to the programs' interview and rank keys
     * in the market only, never to the model's own logits. Fitted in the market to
     * the published rates by type (service/market_pool.c). */
    double market_shift[SP_APP_TYPE_COUNT];
    /* The signal's effects in k as multiples of the model's nine-specialty priors
     * (sp_model.signal_gold, signal_silver), on the interview and on the match
     * after an interview: fitted in the market where a specialty's own signal
     * figures are published (service/market_pool.c), 1 elsewhere. */
    struct sp_effect signal_scale;
};

/* Gauss-Hermite rule for E[f(e)], e ~ N(0, sigma^2): nodes and weights (sum 1). */
struct sp_quadrature {
    double e[SP_GH_MAX];
    double w[SP_GH_MAX];
    int n;
};

struct sp_model {
    struct sp_model_specialty spec[SP_SPEC_COUNT];
    double type_offset[SP_APP_TYPE_COUNT]; /* fitted; us_md = 0 */
    int type_applications[SP_APP_TYPE_COUNT]; /* typical applications (all specialties) */
    struct sp_coef coef[SP_FEAT_COUNT];
    double sigma;           /* SD of the cycle's latent term */
    double lambda;          /* weight of strength in P(match | interview) */
    double se_floor;        /* model-form uncertainty added to every interval */

    struct sp_effect signal_gold, signal_silver, geo, in_state, home, away;
    /* How much the market's applicants prefer, on their rank lists, a program they
     * signalled (gold; silver half), in the rank key's units (utility, fit terms of
     * about 0.9): applicants signal the programs they most want. Fitted in the market
     * to EM's published odds ratio of a match after an interview (service/market_pool.c). */
    double signal_rank;

    /* Reference applicant (the intercepts are calibrated on it). */
    double ref_honors, ref_aoa, ref_research, ref_years_out;
    double ref_share_geo;      /* share of programs in the reference's preferred divisions */
    double ref_share_in_state; /* share of programs in the reference's home state */

    /* Selectivity proxies (q_j, strength scale), estimates (docs/MODEL.md). */
    double q_breadth;    /* per specialty of the nine the institution sponsors, centered */
    /* Where the catalog knows the NIH dollars of the sponsor's school (SP_FACT_SCHOOL_NIH,
     * a top-50 school): per doubling around SP_NIH_REFERENCE_MUSD; programs of one
     * school count as one institution for breadth. */
    double q_per_nih_doubling;
    double q_new;        /* new program */
    double q_coastal;    /* New England, Middle Atlantic, Pacific */
    double q_academic;   /* known academic sponsor (+), known community program (-) */
    double q_per_step2_point; /* when the program's median Step 2 is known */

    double tier_high;     /* P(match) >= this: highly competitive */
    double tier_moderate; /* >= this: moderately competitive; below: at-risk */
    int gh_nodes;

    /* sp_model_cache_quadrature(): the rule for quad_nodes and quad_sigma. */
    struct sp_quadrature quad;
    int quad_nodes; /* 0: none cached */
    double quad_sigma;

    /* The stored national market (smartpick/model/market.h), borrowed: when set,
     * every probability a plan, an assessment or a rank list reports is computed
     * against it; NULL leaves the logits above (the simulator's applicants' beliefs,
     * the calibration of those beliefs, and unit tests of synthetic worlds). */
    const struct sp_market *market;
};

/* The documented priors and fixed values, with fitted fields at neutral starts. */
void sp_model_init_priors(struct sp_model *m);

/* Typical applications of an applicant of type t to specialty k: the specialty's
 * typical count scaled by the type's over the US MD's (a DO sends 72/58 as many,
 * an IMG 129/58), at most the number of programs n_programs. */
int sp_model_typical_applications(const struct sp_model *m, enum sp_specialty k,
                                  enum sp_applicant_type t, int n_programs);

int sp_quadrature_init(struct sp_quadrature *q, int n, double sigma);
/* The rule for the model's (gh_nodes, sigma): a copy of the one cached by
 * sp_model_cache_quadrature() while both still match, else computed. */
int sp_model_quadrature(struct sp_quadrature *q, const struct sp_model *m);
/* Compute the rule once and keep it in m (the root finding takes about a
 * millisecond, and every assessment and plan needs it). */
void sp_model_cache_quadrature(struct sp_model *m);

/* One term of an applicant's strength relative to the reference applicant. */
struct sp_strength_term {
    const char *name;  /* "step2_ck", "honors", ..., "applicant_type" */
    double delta;      /* contribution to the strength scale */
    double sd;         /* prior SD of that contribution */
};

struct sp_strength {
    double value;                                /* s */
    double sd;                                   /* SD of s from coefficient priors + se */
    struct sp_strength_term terms[SP_FEAT_COUNT + 2];
    size_t n_terms;
};

/* Strength of a completed profile in specialty k. */
void sp_model_strength(struct sp_strength *out, const struct sp_model *m,
                       const struct sp_profile *p, enum sp_specialty k);

/* The typical applicant of a type who prefers `pref` (and backs up in `backup`,
 * SP_SPEC_COUNT for none): the sp_profile_complete defaults (the type's medians)
 * with pref's usual away rotations and specialty research, as the calibration's
 * reference applicant has. The simulator gives its applicants this profile, and
 * the calibration fits the type offsets at it. */
void sp_model_typical_profile(struct sp_profile *out, const struct sp_model *m,
                              enum sp_applicant_type type, enum sp_specialty pref,
                              enum sp_specialty backup);

/* Program selectivity for every catalog program (index = position in
 * sp_catalog_programs order): from the median Step 2 CK of matched residents when
 * the catalog has it, else estimated from proxies (src says which). Centered to
 * mean 0 within each specialty. q_out and src_out have room for all programs. */
void sp_model_selectivity(double *q_out, enum sp_source *src_out, const struct sp_model *m,
                          const sp_catalog *cat);

enum sp_signal { SP_SIGNAL_NONE, SP_SIGNAL_SILVER, SP_SIGNAL_GOLD };

/* The median NIH dollars (millions, FY2024) of the 50 most-funded schools of medicine
 * (BRIMR; ../shared/data/nih_top50_schools_fy2024.csv): the selectivity proxy's center. */
#define SP_NIH_REFERENCE_MUSD 290.17

/* phi: applicants weigh a program's prestige by e^(phi q_j) when they choose where
 * to apply (docs/SIMULATION.md "Demand"; tuned so that the market's interview rate
 * over the model's P(interview) is about flat in q). One value for the simulator's
 * applicants and the planner's typical list (sp_typical_list). */
#define SP_APPLICATION_PRESTIGE 2.0

/* The two logits of one application before the latent term is added. */
struct sp_app_logits {
    double interview; /* P(interview | e) = logistic(interview + e) */
    double match;     /* P(match | interview, e) = logistic(match + lambda e) */
};

/* Program-specific effects of an applicant at a program (geography, home, away). */
struct sp_program_effects {
    bool geo;      /* in a preferred division or a tie state */
    bool in_state; /* home or school state */
    bool home;     /* a home program */
    bool away;     /* the applicant rotated there */
};
void sp_model_program_effects(struct sp_program_effects *out, const struct sp_profile *p,
                              const struct sp_program *prog);

/* The effect of a signal of this level in specialty k (zero without a signal). */
struct sp_effect sp_model_signal(const struct sp_model *m, enum sp_specialty k,
                                 enum sp_signal signal);

void sp_model_logits(struct sp_app_logits *out, const struct sp_model *m, enum sp_specialty k,
                     double strength, double q, const struct sp_program_effects *fx,
                     enum sp_signal signal);

/* P(match | e) at one application. */
double sp_model_p_app(const struct sp_model *m, const struct sp_app_logits *l, double e);

#endif
