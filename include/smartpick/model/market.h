/*
 * smartpick/model/market.h - the national market as every probability sees it
 * (docs/MODEL.md "One market").
 *
 * The simulated national Match (smartpick/sim/sim.h) is played R times; each
 * replication leaves, for every program, the key its last interviewee cleared (its
 * interview threshold) and the rank key of the last applicant it matched when it
 * filled (its match cutoff). A stable matching is described by such cutoffs
 * (Azevedo & Leshno 2016): a student added to replication r is interviewed at
 * program j when their interview key clears thr[r][j], and matches at the first
 * program of their rank list that interviewed them and whose cutoff their rank key
 * clears. The keys carry the programs' logistic noise, so with the student's
 * strength s, latent term e and application effects:
 *
 *   P(interview_j | r, e)            = logistic((s + e + g_j - thr[r][j]) / sigma_int,k)
 *   P(match_j | interview_j, r, e)   = logistic((lambda (s + e) + d_j - cut[r][j]) / sigma_rank,k)
 *
 * and a list's probabilities are averages over the replications and the nodes of
 * e of cheap products, with no re-run of the Match. Capacity holds because the
 * thresholds and cutoffs are the market's own.
 *
 * A market is an opaque handle built by the simulator (sp_market_new, then the rows
 * filled per replication) or read from a file (format/market_file.c); after that
 * it is read-only and may be shared by threads. Pure; no I/O.
 */
#ifndef SMARTPICK_MODEL_MARKET_H
#define SMARTPICK_MODEL_MARKET_H

#include "smartpick/catalog/catalog.h"
#include "smartpick/error.h"
#include "smartpick/model/model.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The smallest number of replications a market used for planning may hold. */
#define SP_MARKET_MIN_REPLICATIONS 500

typedef struct sp_market sp_market;

/* What the market's programs do, per specialty (the simulator's parameters). */
struct sp_market_behaviour {
    double lambda;                         /* weight of strength in the rank key (model's) */
    double interview_noise[SP_SPEC_COUNT]; /* scale of the interview keys' logistic noise */
    double rank_noise[SP_SPEC_COUNT];      /* ... of the programs' rank keys */
    double interviews_per_position[SP_SPEC_COUNT];
};

/* An empty market of n_reps replications over n_programs catalog programs (every
 * threshold and cutoff +inf: no program interviews). *out is owned by the caller
 * (sp_market_free). SP_ERANGE when a size is 0 or too large. */
int sp_market_new(sp_market **out, size_t n_reps, size_t n_programs,
                  const struct sp_market_behaviour *b, struct sp_err *err);
void sp_market_free(sp_market *mk);

size_t sp_market_replications(const sp_market *mk);
const struct sp_market_behaviour *sp_market_behaviour(const sp_market *mk);

/* Keys are stored in 1/256 units in 16 bits (a probability moves by less than 1e-3),
 * INT16_MAX for +inf and INT16_MIN for -inf: 9 MB for 500 replications of the
 * bundled catalog, and the same bits in memory as in data/market.bin. */
int16_t sp_market_key_code(float key);
float sp_market_key_of(int16_t code);

/* Set replication r's thresholds and cutoffs, indexed like sp_catalog_programs(). A
 * threshold is -inf where the program interviewed every applicant, +inf where it has
 * no positions; a cutoff -inf where the program (some track of it) did not fill,
 * +inf where it has no positions. */
void sp_market_set_row(sp_market *mk, size_t r, const float *thresholds, const float *cutoffs);
float sp_market_threshold(const sp_market *mk, size_t r, size_t program);
float sp_market_cutoff(const sp_market *mk, size_t r, size_t program);

/* The coded rows (replication-major) and representatives (program-major), for the
 * file codec: n_reps x n_programs and n_programs x SP_MARKET_STRATA codes. */
int16_t *sp_market_codes(sp_market *mk, bool cutoffs);
const int16_t *sp_market_codes_of(const sp_market *mk, bool cutoffs);
int16_t *sp_market_strata_codes(sp_market *mk, bool cutoffs);
const int16_t *sp_market_strata_codes_of(const sp_market *mk, bool cutoffs);

/* Whether program j was in the market when it was built (a program imported since is
 * not: every probability there is unknown, and a plan or an assessment that would
 * use it refuses, naming it). New markets know every program. */
bool sp_market_knows(const sp_market *mk, size_t program);
void sp_market_set_known(sp_market *mk, size_t program, bool known);

/* Positions and interviews the market gave a program (means over replications),
 * recorded by the builder: filled positions and interviews offered per program. */
void sp_market_set_counts(sp_market *mk, size_t program, double positions, double filled,
                          double interviews);
void sp_market_counts(double *positions, double *filled, double *interviews, const sp_market *mk,
                      size_t program);

/* ---- the fast form ------------------------------------------------------------------

 * Replications move a program's threshold and cutoff together with the draws of its
 * own applicants far more than with the market's (a specialty's applicant counts are
 * fixed; their mean strength moves by ~0.07 logits in IR, less elsewhere), so for the
 * optimizer's inner loop and the typical lists of `assess` a program is summarised by
 * SP_MARKET_STRATA representative replications (its replications sorted by
 * threshold, then cutoff, in equal strata; each stratum's middle one) and programs
 * are taken as independent given the student's latent term. tests/unit/test_market.c
 * holds this form against the full average. */
#define SP_MARKET_STRATA 16

/* Choose every program's representatives from its rows (after the rows are filled). */
void sp_market_finish(sp_market *mk);
/* Tabulate the representatives' factors for the fast form with the programs'
 * specialties (cat's order). The fast form needs it; sp_market_from_bytes does it.
 * Not thread-safe: before sharing the market. */
void sp_market_prepare(sp_market *mk, const sp_catalog *cat);

/* ---- a student's list in the market ----------------------------------------------- */

/* One application as the market sees it, the latent term e not yet added: */
struct sp_market_app {
    size_t program;      /* index in sp_catalog_programs() */
    enum sp_specialty k; /* the program's specialty */
    /* interview key before noise and e: s + geography/home/away effects + signal's */
    double interview[3]; /* indexed by enum sp_signal */
    /* rank key before noise and e: lambda s + effects + signal's */
    double match[3];
    double f_signal[3]; /* probability of each signal (sum 1); a chosen signal is 1 */
    double share;       /* probability the application is on the list (1: it is) */
};

/* Fill an application of a student of type t and strength s (sp_model_strength in
 * k) with these effects, signal and list share: the keys as k's programs see them
 * (s plus the market's shift of t in k, sp_model_specialty.market_shift). */
void sp_market_app_init(struct sp_market_app *out, const struct sp_model *m, size_t program,
                        enum sp_specialty k, double s, enum sp_applicant_type t,
                        const struct sp_program_effects *fx, enum sp_signal signal, double share);

/* How to integrate: the student's latent term e by a Gauss-Hermite rule within each
 * replication, over the first n_reps replications (0 = all of them). */
struct sp_market_eval {
    const struct sp_quadrature *q;
    size_t n_reps;
    double shift; /* added to the student's strength (intervals) */
};

/* A list in the student's rank order (apps[0] first). p_end[i] is P(the list ends
 * at i) (they add up to the return value, P(match anywhere)); p_interview[i] is
 * P(interview at i); either may be NULL. Items with share < 1 stand for a typical
 * list: each is on it independently with its share. */
double sp_market_list(double *p_end, double *p_interview, const sp_market *mk,
                      const struct sp_market_app *apps, size_t n, const struct sp_market_eval *ev,
                      double *expected_interviews);

/* Variants of one list — the same programs in the same order, their keys shifted
 * differently (an interval's ends) — evaluated together, each replication's thresholds
 * computed once for all: per variant its applications and where its results go (p_end,
 * p_interview and expected_interviews may be NULL; any may not). The same numbers as
 * sp_market_list on each. */
struct sp_market_variant {
    const struct sp_market_app *apps;
    double *p_end, *p_interview, *any, *expected_interviews;
};
void sp_market_list_variants(const struct sp_market_variant *v, size_t m, const sp_market *mk,
                             size_t n, const struct sp_market_eval *ev);

/* The fast form of one application at latent term e with signal s: P(interview and
 * match), and P(interview) in *p_interview (may be NULL). */
double sp_market_app_p_fast(double *p_interview, const sp_market *mk, const struct sp_market_app *a,
                            double e, enum sp_signal s, double shift);

/* The fast form of a list's P(match anywhere) (order does not matter for it), with
 * its expected interviews in *expected_interviews (may be NULL). */
double sp_market_list_fast(const sp_market *mk, const struct sp_market_app *apps, size_t n,
                           const struct sp_quadrature *q, double shift,
                           double *expected_interviews);

#endif
