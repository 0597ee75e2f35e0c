/*
 * market_build.h - building the stored market (smartpick/model/market.h) by playing
 * the simulated national Match, and loading it: from the file data/market.bin
 * bundled in the binary, or from a path (--market FILE).
 */
#ifndef SP_SERVICE_MARKET_BUILD_H
#define SP_SERVICE_MARKET_BUILD_H

#include "sim_run.h"
#include "world.h"
#include "smartpick/model/market.h"
#include "smartpick/sim/sim.h"

/* Play replications 0 .. n_reps - 1 of seed of the market sim (the baseline, no
 * student) on `threads` threads and keep every program's threshold and cutoff; the
 * market's positions, mean positions filled and mean interviews per program. *out is
 * owned by the caller. */
int sp_market_build(sp_market **out, const sp_sim *sim, const struct sp_model *m,
                    size_t n_programs, uint64_t seed, size_t n_reps, int threads,
                    sp_app_sim_progress_fn progress, void *payload, struct sp_err *err);

/* The market built with the world's model: beside the model file when the model
 * came from model_path (DIR/market.bin for DIR/model.json), else the one bundled in
 * the binary (data/market.bin). Sets w->market and w->model.market. Errors name the
 * file and the rule (SP_EINVAL: not a market, damaged, built for another model, fewer
 * than SP_MARKET_MIN_REPLICATIONS replications; SP_EIO: missing or unreadable). */
int sp_world_load_market(struct sp_world *w, const char *model_path, struct sp_err *err);

/* The model's fingerprint a market is built for: FNV-1a of its canonical JSON. */
uint64_t sp_model_fingerprint(const struct sp_model *m);

#endif
