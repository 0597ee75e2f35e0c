/*
 * sim_run.h - the simulator's driver: published figures from the facts store,
 * the thread pool that runs replications, and the student of a plan file. The
 * per-replication work is the pure core (smartpick/sim/sim.h); threads live here
 * so the core never creates any. The scenario and plan documents are read by
 * format/ (scenario_json.h, plan_json.h), the report written by render_sim.h.
 */
#ifndef SP_APP_SIM_RUN_H
#define SP_APP_SIM_RUN_H

#include "smartpick/model/calibrate.h"
#include "smartpick/catalog/facts.h"
#include "smartpick/sim/sim.h"

#include <stdbool.h>
#include <stdint.h>

/* The market's published figures (positions, first-choice applicants, US MD
 * counts and Step 2 quartiles, PGY-1/PGY-2 offers, rates by type) from the facts
 * of data/specialty_facts.csv. SP_EINVAL when a needed figure is missing. */
int sp_app_sim_targets(struct sp_calib_targets *out, const sp_facts *f, struct sp_err *err);

/* Build the market of world w: in's model (the world's when NULL), catalog and
 * selectivities from w, the published figures into *targets, which in borrows for the
 * market's life; in's scenario, params and student are the caller's. */
struct sp_world;
int sp_app_sim_from_world(sp_sim **out, struct sp_sim_inputs *in,
                          struct sp_calib_targets *targets, const struct sp_world *w,
                          struct sp_err *err);

/* Ask the C library to keep the memory a replication frees for the next one
 * rather than return it to the kernel: a replication allocates and frees the same
 * few tens of megabytes (the Match instance, interview lists), and with glibc's
 * defaults they come back as ~6,000 fresh zeroed pages each time (~9 ms of a
 * ~100 ms replication). Process-wide (glibc's M_MMAP_THRESHOLD and
 * M_TRIM_THRESHOLD); a no-op elsewhere. For programs that run the simulator. */
void sp_app_sim_keep_memory(void);

/* Progress: called from the calling thread only, done of total replications. */
typedef void (*sp_app_sim_progress_fn)(size_t done, size_t total, void *payload);

/* Play replications first .. first + n - 1 of seed into reps[0..n) on `threads`
 * POSIX threads (1 = the calling thread only). The results do not depend on
 * threads: replication r always uses RNG stream r and its own slot. */
int sp_app_sim_run(struct sp_sim_rep *reps, const sp_sim *sim, uint64_t seed, size_t first,
                   size_t n, int threads, sp_app_sim_progress_fn progress, void *payload,
                   struct sp_err *err);

/* The observer of replication i (0-based within the run), filled by the caller:
 * called on the worker thread that plays it, so what it hands out must be that
 * replication's own (rows of a market, a file of records). */
typedef void (*sp_app_sim_observe_fn)(struct sp_sim_observer *out, size_t i, void *payload);

/* sp_app_sim_run, each replication observed as observe says (NULL: none). */
int sp_app_sim_run_observed(struct sp_sim_rep *reps, const sp_sim *sim, uint64_t seed,
                            size_t first, size_t n, int threads, sp_app_sim_observe_fn observe,
                            void *observe_payload, sp_app_sim_progress_fn progress,
                            void *payload, struct sp_err *err);

/* The student of a `smartpick plan --format json` document (sp_plan_from_json)
 * and a completed profile: the plan's programs (by ACGME ID) with their signals,
 * utilities and the profile's effects, and the profile's strength in each
 * specialty. apps is malloc'd (free()); out->apps borrows it. */
int sp_app_sim_student(struct sp_sim_student *out, struct sp_sim_student_app **apps,
                       double *p_match_any, const struct sp_model *m, const sp_catalog *cat,
                       const struct sp_profile *p, const char *plan_json, size_t len,
                       struct sp_err *err);

#endif
