/*
 * world.h - the app layer: what the CLI and the server both load - the database
 * path, the store, the frozen catalog, the specialty facts, the model (bundled
 * data/model.json or a file), the program selectivities and the fee schedules -
 * and profiles.
 *
 * Layer service/ sits above store/ and format/ and below cli/ and server/ (it reads
 * the environment for the default database path, which the core may not).
 */
#ifndef SP_APP_WORLD_H
#define SP_APP_WORLD_H

#include "render.h"
#include "smartpick/model/model.h"
#include "smartpick/model/profile.h"
#include "smartpick/plan/fees.h"
#include "sp_buf.h"
#include "store.h"

struct sp_world {
    sp_store *store;
    sp_catalog *cat;
    sp_facts *facts;
    struct sp_model model;
    double *q;                /* selectivity per catalog program */
    enum sp_source *q_src;    /* where each came from */
    struct sp_fees fees;      /* the application fee schedules (defaults, then the fee table) */
    struct sp_market *market; /* the stored market (market_build.h); model.market borrows it */
};

/* Which model to load: the one bundled in the binary, a file, or the documented
 * priors alone (for `smartpick calibrate`, which fits the rest). */
enum sp_model_choice {
    SP_MODEL_BUNDLED,
    SP_MODEL_FILE,
    SP_MODEL_PRIORS,
    /* OR-ed into one of the above: do not load the market (for `calibrate`, which
     * checks the model itself and builds markets). */
    SP_MODEL_NO_MARKET = 0x10,
};

/* model_path is read only with SP_MODEL_FILE. */
int sp_world_open(struct sp_world *w, const char *db, enum sp_model_choice choice,
                  const char *model_path, struct sp_err *err);
void sp_world_close(struct sp_world *w);

/* The database path: db_opt if given, else $XDG_DATA_HOME/smartpick/smartpick.db,
 * else ~/.local/share/smartpick/smartpick.db. Creates the directory. */
int sp_app_db_path(struct sp_buf *out, const char *db_opt, struct sp_err *err);
/* Open the store at the resolved path (creating it on first use). */
int sp_app_open_store(sp_store **out, const char *db_opt, struct sp_err *err);

/* Parse, validate and complete a profile document (no prefix on errors). */
int sp_app_profile_from_text(struct sp_profile *p, const char *text, size_t len,
                             struct sp_err *err);
/* Read, validate and complete a profile file; errors are prefixed with the path. */
int sp_app_load_profile(struct sp_profile *p, const char *path, struct sp_err *err);

#endif
