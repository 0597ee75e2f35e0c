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

struct sp_calib_specialty {
    double rate_us_md;            /* matched / (matched + unmatched), US MD seniors */
    double med_matched, q1_matched, q3_matched, med_unmatched;
    double n_matched, n_unmatched;
    double positions, applicants; /* first-choice applicants, all types */
    double pgy1_positions, pgy2_positions; /* categorical vs advanced, when published */
    double tol_rate, tol_median, tol_quartile;
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

/* ---- the market's applicant mix (SmartPick estimates) ----
 * Read by both the calibration's type populations (a type's offset is fitted over
 * its first-choice applicants in all nine specialties) and the simulator's market
 * (sp_sim_params_init), so that the two split the applicants alike. */

/* US-citizen IMGs among IMG applicants: 4,587 / (4,587 + 11,465), NRMP 2025. */
#define SP_US_IMG_SHARE (4587.0 / (4587.0 + 11465.0))
/* Backup applications of an applicant with a backup, over the typical count. */
#define SP_BACKUP_APPLICATIONS 0.5

/* DO share of the first-choice applicants of k who are not US MD seniors: DOs are a
 * large share of EM, PM&R, anesthesiology and radiology applicants; IM and
 * neurology draw most IMGs. */
double sp_mix_non_md_do_share(enum sp_specialty k);

/* Share of type t's applicants who also apply to a backup specialty (tuned with
 * the simulator, docs/SIMULATION.md). */
double sp_mix_backup_share(enum sp_applicant_type t);

/* Backup specialty of an applicant preferring k: the nearest specialty with more
 * positions; SP_SPEC_COUNT when it is outside the nine (IM backs up in family
 * medicine and pediatrics). */
enum sp_specialty sp_mix_backup_of(enum sp_specialty k);

/* First-choice applicants of type t preferring s's specialty, unscaled: the US MD
 * seniors of the Charting Outcomes counts (at most all applicants), the rest split
 * by do_share into DOs and IMGs, the IMGs by us_img_share. */
double sp_mix_applicants(const struct sp_calib_specialty *s, enum sp_applicant_type t,
                         double do_share, double us_img_share);

/* Parse data/calibration_targets.csv text. SP_EINVAL with "line:col: rule". */
int sp_calib_targets_parse(struct sp_calib_targets *out, const char *text, size_t len,
                           struct sp_err *err);

#define SP_CALIB_MAX_ROWS 96

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

/* The model's value for every target (no fitting). */
void sp_calib_evaluate(struct sp_calib_report *rep, const struct sp_model *m,
                       const sp_catalog *cat, const double *q, const struct sp_calib_targets *t);

/* Fit m's intercepts, slopes, type offsets and se_shift; then evaluate into rep. */
int sp_calibrate(struct sp_model *m, struct sp_calib_report *rep, const sp_catalog *cat,
                 const double *q, const struct sp_calib_targets *t, struct sp_err *err);

#endif
