/*
 * smartpick/model/calibrate.h - fitting the model to published figures.
 *
 * Targets come from data/calibration_targets.csv (each with source and year).
 * Per specialty, the interview intercept a_k, the Step 2 slope beta_k and the
 * match-after-interview intercept b_k (held near its prior, which the targets
 * cannot separate from a_k) are fitted with nlopt BOBYQA (deterministic) so that
 * the reference US MD population reproduces the US MD match rate, the Step 2
 * quartiles of matched and the median of unmatched applicants, and loosely the
 * interviews implied by positions per applicant. Then the applicant-type offsets
 * are found by bisection against the overall match rates by type. docs/MODEL.md.
 */
#ifndef SMARTPICK_CALIBRATE_H
#define SMARTPICK_CALIBRATE_H

#include "smartpick/catalog/catalog.h"
#include "smartpick/model/model.h"

#include <stdbool.h>

struct sp_calib_specialty {
    double rate_us_md;            /* matched / (matched + unmatched), US MD seniors */
    double med_matched, q1_matched, q3_matched, med_unmatched;
    double n_matched, n_unmatched;
    double positions, applicants; /* first-choice applicants, all types */
    double pgy1_positions, pgy2_positions; /* categorical vs advanced, when published */
    double tol_rate, tol_median, tol_quartile;
    /* Shares of the filled positions by applicant type (NRMP; 0 when not published)
     * and of US MD and DO seniors together (a check). */
    double filled_share[SP_APP_TYPE_COUNT];
    double us_senior_share;
    double tol_filled_share;
    /* By type, preferring k (NRMP Charting Outcomes; 0 when not published): the
     * first-choice applicants and their match rate in k. */
    double type_applicants[SP_APP_TYPE_COUNT];
    double type_rate[SP_APP_TYPE_COUNT];
    double tol_type_rate;
    /* The specialty's own signal figures (0 when not published): among US MD and DO
     * applicants, the unadjusted odds ratio of an interview, signalled vs not, and of
     * a match after an interview; the share of matched applicants who matched at a
     * program they signalled. Fitted in the market (service/market_pool.c). */
    double signal_or_interview, signal_or_match, signal_matched_share;
    double tol_signal_or, tol_signal_share;
    double fill_rate, tol_fill_rate; /* NRMP's share of k's positions filled; 0 unpublished */
    int present;
};

struct sp_calib_targets {
    struct sp_calib_specialty spec[SP_SPEC_COUNT];
    double type_rate[SP_APP_TYPE_COUNT]; /* overall PGY-1 match rate; us_md a check */
    double tol_type_rate;
    int apps_by_type[SP_APP_TYPE_COUNT];
    double img_med_matched, img_med_unmatched; /* non-US IMG Step 2 medians */
    double us_img_step2_shift;                 /* estimate: US IMGs' Step 2 relative to them */
    double step2_sd;                           /* national SD */
    double interviews_per_position;            /* estimate: programs interview ~12 per position */
};

/* US IMGs' Step 2 CK relative to non-US IMGs' (no published US-IMG figure; SmartPick
 * estimate): the calibration's US IMG population and the simulator's use the same. */
#define SP_US_IMG_STEP2_SHIFT (-12.0)

/* ---- the market's applicant mix ----
 * Read by both the calibration's type populations (a type's offset is fitted over
 * its first-choice applicants in all nine specialties) and the simulator's market,
 * so that the two split the applicants alike; the DO and US-IMG shares are the
 * model's (sp_model_specialty.pool_*). */

/* Backup applications of an applicant with a backup, over the typical count. */
#define SP_BACKUP_APPLICATIONS 0.5

/* Share of type t's applicants who also apply to a backup specialty (tuned with
 * the simulator, docs/SIMULATION.md). */
double sp_mix_backup_share(enum sp_applicant_type t);

/* Backup specialty of an applicant preferring k: the nearest specialty with more
 * positions; SP_SPEC_COUNT when it is outside the nine (IM backs up in family
 * medicine and pediatrics). */
enum sp_specialty sp_mix_backup_of(enum sp_specialty k);

/* First-choice applicants of type t preferring s's specialty, unscaled: all of
 * them times the model's share of the type (ms->pool_share). */
double sp_mix_applicants(const struct sp_calib_specialty *s, const struct sp_model_specialty *ms,
                         enum sp_applicant_type t);

/* The applicant mix before the market's fit, in every specialty t has: published
 * counts by type where given (t->spec[k].type_applicants), the US MD seniors of the
 * Charting Outcomes counts, and the rest split between DOs and IMGs by SmartPick's
 * estimates (DOs are a large share of EM, PM&R, anesthesiology and radiology
 * applicants, IM and neurology draw most IMGs; US citizens are 4,587 of 16,052 IMG
 * applicants, NRMP 2025). Clears the type shifts. */
void sp_calib_pool_init(struct sp_model *m, const struct sp_calib_targets *t);

/* True when t publishes type ty's match rate in every specialty it has: the type
 * is then fitted per specialty in the market (market_shift) and its overall rate in
 * the market is a check. */
bool sp_calib_type_by_specialty(const struct sp_calib_targets *t, enum sp_applicant_type ty);

/* The rate the type's offset is fitted to: NRMP's overall rate, or for a type
 * fitted per specialty its rates in the nine pooled over its published applicants
 * (NRMP's overall rate also counts specialties the market does not hold). */
double sp_calib_type_target(const struct sp_calib_targets *t, enum sp_applicant_type ty);

/* Parse data/calibration_targets.csv text. SP_EINVAL with "line:col: rule". */
int sp_calib_targets_parse(struct sp_calib_targets *out, const char *text, size_t len,
                           struct sp_err *err);

#define SP_CALIB_MAX_ROWS 128

struct sp_calib_row {
    char code[8];     /* "IR" ... or "ALL" */
    char name[40];    /* "match_rate_us_md", "step2_matched_median", ... */
    char type[12];    /* applicant type */
    double target;
    double model;
    double tolerance; /* |model - target| <= tolerance passes */
    int is_check;     /* shown for comparison, not fitted */
};

struct sp_calib_report {
    struct sp_calib_row rows[SP_CALIB_MAX_ROWS];
    size_t n_rows;
    int n_failed; /* fitted targets outside tolerance */
};

/* The capacity-free model's value for every target it is fitted to (no fitting). */
void sp_calib_evaluate(struct sp_calib_report *rep, const struct sp_model *m,
                       const sp_catalog *cat, const double *q, const struct sp_calib_targets *t);

/* Refit specialty k's intercepts and slope (a, b, beta_step2, se_shift) to its
 * targets, from m's values, with b held near its prior as in sp_calibrate (after
 * something the capacity-free model sees changed in k, such as its signal effects). */
int sp_calib_refit_specialty(struct sp_model *m, const sp_catalog *cat, const double *q,
                             const struct sp_calib_targets *t, enum sp_specialty k,
                             struct sp_err *err);

/* Refit the type offsets (after the applicant mix of m changed). */
void sp_calib_fit_type_offsets(struct sp_model *m, const sp_catalog *cat, const double *q,
                               const struct sp_calib_targets *t);

/* Add a row to the report ; a fitted target outside tol counts in n_failed, a check (is_check) never. */
void sp_calib_report_add(struct sp_calib_report *rep, const char *code, const char *name,
                         const char *type, double target, double model, double tol, int is_check);

/* Fit m's intercepts, slopes, type offsets and se_shift; then evaluate into rep. */
int sp_calibrate(struct sp_model *m, struct sp_calib_report *rep, const sp_catalog *cat,
                 const double *q, const struct sp_calib_targets *t, struct sp_err *err);

#endif
