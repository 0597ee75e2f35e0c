/*
 * smartpick/sim/sim.h - the national Match simulator (docs/SIMULATION.md).
 *
 * A synthetic Main Match for the nine specialties: applicants by type and
 * preferred specialty in NRMP proportions, programs from the catalog with the
 * published positions, applications by the planner's probabilities and
 * utilities, interviews, rank lists with noise, then the Match engine
 * (smartpick/match/match.h) with couples and advanced/preliminary tracks.
 *
 * Pure: sp_sim_new() takes the model, the catalog, the published figures and
 * the behaviour parameters and builds a read-only market description; each
 * sp_sim_replicate() call plays one replication on its own RNG stream and
 * writes plain counts. Calls on one sp_sim may run on several threads at once
 * (the driver that creates threads lives outside the core, service/sim_run.c).
 * Replication r of seed S always uses stream r, so merged results are the same
 * whatever the number of threads or MPI ranks.
 */
#ifndef SMARTPICK_SIM_H
#define SMARTPICK_SIM_H

#include "smartpick/model/calibrate.h"
#include "smartpick/catalog/catalog.h"
#include "smartpick/error.h"
#include "smartpick/model/model.h"
#include "smartpick/model/profile.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* ---- random numbers: Philox4x32-10 streams feeding xoshiro256++ ----------------- */

/* One replication's generator. sp_rng_init(seed, stream) fills the 256-bit state of
 * xoshiro256++ (Blackman and Vigna, 2019; period 2^256 - 1) with two blocks of the
 * counter-based Philox4x32-10 (Salmon et al., SC'11) keyed by the seed at counter
 * (block, 0, stream): the n-th output of stream r is a pure function of (seed, r, n),
 * with no jump-ahead, and the states of different streams are independent draws,
 * so two streams of 2^64 outputs overlap with probability below 2^-128. Philox
 * seeds, xoshiro generates: a Philox block costs ~15 ns, a xoshiro step ~1 ns,
 * and a replication draws tens of millions of numbers. Caller storage. */
struct sp_rng {
    uint64_t s[4];
};

/* The stream `stream` of `seed`. */
void sp_rng_init(struct sp_rng *r, uint64_t seed, uint64_t stream);
/* One Philox4x32-10 block: out = philox(ctr, key). Exposed for known-answer tests. */
void sp_philox4x32(uint32_t out[4], const uint32_t ctr[4], const uint32_t key[2]);

static inline uint64_t sp_rng__rotl(uint64_t x, int k)
{
    return (x << k) | (x >> (64 - k));
}

/* The next 64 bits (xoshiro256++). */
static inline uint64_t sp_rng_u64(struct sp_rng *r)
{
    uint64_t *s = r->s;
    uint64_t out = sp_rng__rotl(s[0] + s[3], 23) + s[0];
    uint64_t t = s[1] << 17;

    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = sp_rng__rotl(s[3], 45);
    return out;
}

/* The upper 32 bits of the next output (the better-mixed half). */
static inline uint32_t sp_rng_u32(struct sp_rng *r)
{
    return (uint32_t)(sp_rng_u64(r) >> 32);
}

/* Uniform in (0, 1): (k + 0.5) / 2^53, never 0 or 1. */
static inline double sp_rng_uniform(struct sp_rng *r)
{
    return ((double)(sp_rng_u64(r) >> 11) + 0.5) * 0x1.0p-53;
}

/* Uniform integer in [0, n), n > 0 (Lemire's multiply-and-reject, unbiased). */
static inline uint32_t sp_rng_below(struct sp_rng *r, uint32_t n)
{
    uint64_t m = (uint64_t)sp_rng_u32(r) * n;

    if ((uint32_t)m < n) {
        uint32_t threshold = (uint32_t)(-n) % n;
        while ((uint32_t)m < threshold)
            m = (uint64_t)sp_rng_u32(r) * n;
    }
    return (uint32_t)(m >> 32);
}

/* Counter-based draws: output n (n = 0, 1, ...) of SplitMix64 (Steele, Lea and Flood,
 * OOPSLA 2014) started at `key`, i.e. a mix of key + (n + 1) * 0x9E3779B97F4A7C15.
 * Where each of many items needs one draw that must not depend on the order in which
 * the items are visited, the item's index is the counter and `key` comes from the
 * replication's stream. */
static inline uint64_t sp_rng_at(uint64_t key, uint64_t n)
{
    uint64_t z = key + (n + 1) * 0x9E3779B97F4A7C15ull;

    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}


/* ---- scenario: what-if changes to the baseline market ----------------------------- */

struct sp_sim_scenario {
    double positions_scale[SP_SPEC_COUNT];  /* x positions (1 = baseline) */
    double applicants_scale[SP_SPEC_COUNT]; /* x first-choice applicants */
    int signals_gold[SP_SPEC_COUNT];        /* -1 = the model's */
    int signals_silver[SP_SPEC_COUNT];      /* -1 = the model's */
    double applications_factor;             /* x applications per applicant */
    double couples_share;                   /* share of applicants in couples; < 0 = default */
};

/* The baseline: every scale 1, signals and couples as in the parameters. */
void sp_sim_scenario_init(struct sp_sim_scenario *s);

/* ---- behaviour parameters (docs/SIMULATION.md tabulates each and its source) ----- */

/* Published IR market figures (../shared/facts/market_facts.csv, carried into
 * data/specialty_facts.csv with their sources): the share of matched IR applicants who
 * also applied to DR (SIR 2023 survey), and one IR program's interviews per position
 * (56 for 3, FREIDA 2025, UT Southwestern). */
#define SP_IR_ALSO_DR_SHARE 0.87
#define SP_IR_INTERVIEWS_PER_POSITION (56.0 / 3.0)

struct sp_sim_params {
    double market_scale;            /* 1 = the national market; < 1 a down-scaled copy */
    double interviews_per_position; /* interview slots a program offers per position */
    double interview_noise;         /* scale of the logistic noise in interview choices */
    double rank_noise;              /* scale of the logistic noise in programs' rank lists */
    double applicant_rank_noise;    /* SD of the noise in applicants' rank lists */
    double applicant_prestige;      /* weight of selectivity q in applicants' rank lists */
    double application_prestige;    /* phi: programs applied to weigh exp(phi * q_j) */
    double rank_share;              /* share of its interviewees a program ranks */
    double capacity_q;              /* capacity weight exp(capacity_q * q_j) */
    /* Per specialty, overriding the global value where > 0 (0 = the global; tuned for
     * IR and VS, docs/SIMULATION.md "Parameters"). */
    double interviews_per_position_spec[SP_SPEC_COUNT];
    double interview_noise_spec[SP_SPEC_COUNT];
    double rank_noise_spec[SP_SPEC_COUNT];
    double backup_share[SP_APP_TYPE_COUNT]; /* share also applying to a backup specialty */
    /* ... by preferred specialty, overriding the type's where > 0 */
    double backup_share_spec[SP_SPEC_COUNT];
    double backup_applications;             /* backup applications / typical count */
    double couples_share;                   /* share of applicants in couples */
    double prelim_per_advanced;             /* pooled PGY-1 positions per advanced position */
    int n_prelim_programs;                  /* programs of the pooled PGY-1 track */
    int supplemental_len;                   /* preliminary programs on a supplemental list */
    double us_img_step2_shift;              /* US IMGs' Step 2 CK relative to non-US IMGs' */
    bool reliability;                       /* collect the planner's calibration table */
};

void sp_sim_params_init(struct sp_sim_params *p);

/* ---- a student inserted into every replication ------------------------------------- */

struct sp_sim_student_app {
    size_t program; /* index in sp_catalog_programs() order */
    enum sp_signal signal;
    double utility; /* the plan's utility (rank order: higher first) */
    struct sp_program_effects fx;
};

struct sp_sim_student {
    enum sp_applicant_type type;
    double strength[SP_SPEC_COUNT];        /* sp_model_strength for each specialty applied to */
    const struct sp_sim_student_app *apps; /* borrowed */
    size_t n_apps;
};

/* ---- the market ------------------------------------------------------------------- */

struct sp_sim_inputs {
    const struct sp_model *m;
    const sp_catalog *cat;
    const double *q;                        /* selectivity per catalog program */
    const struct sp_calib_targets *targets; /* positions, applicants, Step 2, rates */
    const struct sp_sim_scenario *scenario; /* NULL = baseline */
    const struct sp_sim_params *params;     /* NULL = sp_sim_params_init() */
    const struct sp_sim_student *student;   /* NULL = none; borrowed for sp_sim's life */
};

typedef struct sp_sim sp_sim;

/* Build the market: programs with capacities (summing to each specialty's scaled
 * positions), tracks, the applicant mix. SP_EINVAL (err names the figure) when a
 * figure the market needs is missing. *out is owned by the caller (sp_sim_free). */
int sp_sim_new(sp_sim **out, const struct sp_sim_inputs *in, struct sp_err *err);
void sp_sim_free(sp_sim *sim);

/* Market size (for tests and the progress of long runs). */
struct sp_sim_market {
    size_t n_applicants;
    size_t applicants[SP_SPEC_COUNT][SP_APP_TYPE_COUNT]; /* by preferred specialty */
    long positions[SP_SPEC_COUNT];                       /* sum of program capacities */
    long positions_advanced[SP_SPEC_COUNT];
    long prelim_positions;
    size_t n_programs[SP_SPEC_COUNT]; /* with a capacity > 0 */
    /* The programs' behaviour per specialty (the parameters with their overrides). */
    double interview_noise[SP_SPEC_COUNT];
    double rank_noise[SP_SPEC_COUNT];
    double interviews_per_position[SP_SPEC_COUNT];
};
void sp_sim_market_info(struct sp_sim_market *out, const sp_sim *sim);

/* Positions of each catalog program in the market (out indexed like
 * sp_catalog_programs(), n entries; 0 for a program not in it). */
void sp_sim_program_positions(double *out, size_t n, const sp_sim *sim);

#define SP_SIM_BINS 10

/* A reliability table: predicted P(match) in deciles against outcomes. In a
 * replication n, pred and obs are counts and sums; in a summary pred and obs are
 * the bins' means, total the count, brier the mean squared error. */
struct sp_sim_reliability {
    double n[SP_SIM_BINS], pred[SP_SIM_BINS], obs[SP_SIM_BINS];
    double brier, total;
};

/* One replication's outcome: plain counts (doubles so sums merge exactly in order). */
struct sp_sim_rep {
    double pref[SP_SPEC_COUNT][SP_APP_TYPE_COUNT];    /* applicants preferring k */
    double matched[SP_SPEC_COUNT][SP_APP_TYPE_COUNT]; /* ... matched in k */
    double unfilled[SP_SPEC_COUNT];
    double positions[SP_SPEC_COUNT];
    double rank_sum[SP_SPEC_COUNT]; /* rank of the match, applicants matched in k */
    double n_in[SP_SPEC_COUNT];     /* applicants matched in k (any preference) */
    double filled_by_type[SP_SPEC_COUNT][SP_APP_TYPE_COUNT]; /* ... by type */
    double type_n[SP_APP_TYPE_COUNT];
    double type_matched[SP_APP_TYPE_COUNT];
    double applications; /* total applications */
    double applications_geo, applications_in_state; /* ... to a preferred division, own state */
    double interviews;   /* total interviews */
    /* Signals in k, among US MD and DO applicants (the population of the published
     * signal figures): applications, interviews, and matches at a program that
     * interviewed them, by enum sp_signal; and applicants of any type matched in k at
     * a program they signalled. */
    double signal_apps[SP_SPEC_COUNT][3], signal_interviews[SP_SPEC_COUNT][3];
    double signal_matches[SP_SPEC_COUNT][3];
    double matched_signalled[SP_SPEC_COUNT];
    int student_matched; /* 1/0; -1 without a student */
    bool no_stable;      /* the engine found no stable matching (couples) */
    /* The planner's reliability over applicants without a backup specialty, not in a
     * couple: P(match) at the type's typical list (what `assess` reports), and for
     * the applicant's own applications and signals (what a plan reports). */
    struct sp_sim_reliability rel_typical, rel_own;
};

/* Scratch memory for replications on one thread: its buffers (~30 MB for the
 * national market) are kept between calls, so a run does not map, fault in and
 * free them once per replication. Owned by the caller; one per thread. */
typedef struct sp_sim_work sp_sim_work;
sp_sim_work *sp_sim_work_new(void);
void sp_sim_work_free(sp_sim_work *work);

/* Play replication `rep` of `seed` (RNG stream rep) in `work` (NULL: a temporary
 * one). Thread-safe on a const sim, each thread with its own work. */
int sp_sim_replicate(struct sp_sim_rep *out, const sp_sim *sim, sp_sim_work *work, uint64_t seed,
                     uint64_t rep, struct sp_err *err);

/* ---- what a replication leaves behind: the market's cutoffs and its records ---------- */

/* One market applicant of a replication (docs/SIMULATION.md "Records"). */
struct sp_sim_applicant_record {
    size_t applicant; /* index within the replication */
    enum sp_applicant_type type;
    enum sp_specialty preferred;
    double step2_ck;
    int n_applications, n_interviews, n_ranked;
    int matched_specialty;  /* enum sp_specialty, -1 unmatched or matched outside the nine */
    size_t matched_program; /* index in sp_catalog_programs(); SIZE_MAX when none */
    int matched_rank;       /* 1-based position on the applicant's list; 0 unmatched */
};

enum sp_sim_geo { SP_SIM_GEO_NONE, SP_SIM_GEO_DIVISION, SP_SIM_GEO_IN_STATE };

/* One application of that applicant. */
struct sp_sim_application_record {
    size_t program; /* index in sp_catalog_programs() */
    enum sp_specialty specialty;
    enum sp_signal signal;
    enum sp_sim_geo geo;
    bool interviewed, ranked, matched;
};

/* Called once per recorded applicant with its applications, then once with a ==
 * NULL when the replication's records end; a nonzero return stops the replication
 * with that code. */
typedef int (*sp_sim_record_fn)(const struct sp_sim_applicant_record *a,
                                const struct sp_sim_application_record *apps, size_t n,
                                void *payload);

/* What sp_sim_replicate_observed writes besides the counts. Arrays are indexed like
 * sp_catalog_programs(), owned by the caller; NULL skips them. */
struct sp_sim_observer {
    /* The market's cutoffs (smartpick/model/market.h): per program, the interview key
     * its last interviewee cleared (-inf: it interviewed every applicant; +inf: no
     * positions), and the rank key of the last applicant it matched, lowest over its
     * tracks (-inf: a track did not fill; +inf: no positions). */
    float *threshold;
    float *cutoff;
    double *filled;     /* positions filled, added to */
    double *interviews; /* interviews offered, added to */
    /* Records of the market applicants who prefer a specialty in record_specialties
     * (a bit per enum sp_specialty; 0 records none). */
    unsigned record_specialties;
    sp_sim_record_fn record;
    void *payload;
};

/* sp_sim_replicate, also filling what obs asks for (obs may be NULL). */
int sp_sim_replicate_observed(struct sp_sim_rep *out, const sp_sim *sim, sp_sim_work *work,
                              uint64_t seed, uint64_t rep, const struct sp_sim_observer *obs,
                              struct sp_err *err);

/* ---- summary over replications ----------------------------------------------------- */

struct sp_sim_rate {
    double mean, low, high; /* 95% Monte Carlo interval of the mean */
};

struct sp_sim_spec_summary {
    enum sp_specialty code;
    struct sp_sim_rate us_md;
    double by_type[SP_APP_TYPE_COUNT];
    double nrmp_us_md;         /* published figure the market is calibrated to */
    double unfilled_positions; /* mean per replication */
    double positions;
    double mean_rank_matched;
    double applicants; /* mean first-choice applicants */
};

struct sp_sim_summary {
    size_t replications;
    struct sp_sim_spec_summary spec[SP_SPEC_COUNT];
    struct sp_sim_rate by_type[SP_APP_TYPE_COUNT];
    double nrmp_by_type[SP_APP_TYPE_COUNT];
    double applications_per_applicant;
    double interviews_per_position;
    size_t no_stable;
    bool has_student;
    struct sp_sim_rate student; /* Wilson 95% interval over replications */
    struct sp_sim_reliability rel_typical, rel_own; /* as in struct sp_sim_rep */
};

/* Merge reps[0..n) in index order (so the result depends only on the reps). */
void sp_sim_summarize(struct sp_sim_summary *out, const sp_sim *sim, const struct sp_sim_rep *reps,
                      size_t n);

#endif
