/*
 * market_pool.h - the market's applicant mix per specialty, fitted in the simulated
 * market itself: NRMP publishes, for some specialties, the shares of filled positions
 * taken by US MD seniors, US DO seniors and US-citizen IMGs. Who fills a program
 * depends on competition, so the shares are measured by playing the Match, not by the
 * model's capacity-free logits. Borrowed inputs only; the model is updated in place.
 */
#ifndef SP_SERVICE_MARKET_POOL_H
#define SP_SERVICE_MARKET_POOL_H

#include "world.h"
#include "smartpick/model/calibrate.h"

/* Replications per measurement and rounds of the fit (docs/CALIBRATION.md). */
#define SP_POOL_REPLICATIONS 8
#define SP_POOL_ROUNDS 40
#define SP_POOL_REFIT_EVERY 5

/* What the market is fitted to, measured: each specialty's filled positions by
 * applicant type (shares), and each type's match rate in its preferred specialty. */
struct sp_filled_shares {
    double share[SP_SPEC_COUNT][SP_APP_TYPE_COUNT];
    double rate[SP_SPEC_COUNT][SP_APP_TYPE_COUNT];
    double type_rate[SP_APP_TYPE_COUNT]; /* matched anywhere */
    /* Signals in each specialty, as published (struct sp_calib_specialty): the odds
     * ratios of an interview and of a match after one, signalled vs not, among US MD
     * and DO applicants; the share of matched applicants matched where they signalled. */
    double signal_or_interview[SP_SPEC_COUNT], signal_or_match[SP_SPEC_COUNT];
    double signal_matched_share[SP_SPEC_COUNT];
    double fill_rate[SP_SPEC_COUNT]; /* positions filled / offered */
};

/* Shares of the filled positions of each specialty by applicant type in the market
 * of model m (the world's catalog and facts), over SP_POOL_REPLICATIONS replications
 * of seed 1. */
int sp_market_filled_shares(struct sp_filled_shares *fs, const struct sp_world *w,
                            const struct sp_model *m, int threads, struct sp_err *err);

/* Fit, in the market, each specialty's signal effects (signal_scale) where t
 * publishes its signal figures, refitting that specialty's capacity-free intercepts
 * with them; m's applicant mix (pool_share) in every specialty whose DO
 * and US-IMG shares of filled positions t publishes (US MDs are the rest); the type
 * shifts where t publishes a type's match rate in its preferred specialty (US MD
 * seniors in all nine, non-US IMGs); and the overall offsets of the other types
 * (DOs, US IMGs) to NRMP's rates by type: a damped step of each a round. fs
 * receives the final round's measurement. */
int sp_market_fit_pool(struct sp_model *m, struct sp_filled_shares *fs, const struct sp_world *w,
                       const struct sp_calib_targets *t, int threads, struct sp_err *err);

/* The report's rows: every published share and rate by type next to the market's
 * (DO and US-IMG shares and the rates by type are targets; US MD seniors' share
 * and US seniors' together are checks). */
void sp_market_pool_report(struct sp_calib_report *rep, const struct sp_filled_shares *fs,
                           const struct sp_calib_targets *t);

#endif
