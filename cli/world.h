/*
 * world.h - what the model commands load: the store, the frozen catalog, the
 * specialty facts, the model (bundled data/model.json or --model FILE) and the
 * program selectivities. Also reading a profile file.
 */
#ifndef SP_CLI_WORLD_H
#define SP_CLI_WORLD_H

#include "cli.h"
#include "render.h"
#include "smartpick/model.h"
#include "smartpick/profile.h"

struct sp_world {
    sp_store *store;
    sp_catalog *cat;
    sp_facts *facts;
    struct sp_model model;
    double *q;              /* selectivity per catalog program */
    enum sp_source *q_src;  /* where each came from */
};

/* Which model to load: the one bundled in the binary, a file, or the documented
 * priors alone (for `smartpick calibrate`, which fits the rest). */
enum sp_model_choice { SP_MODEL_BUNDLED, SP_MODEL_FILE, SP_MODEL_PRIORS };

/* model_path is read only with SP_MODEL_FILE. */
int sp_world_open(struct sp_world *w, const char *db, enum sp_model_choice choice,
                  const char *model_path, struct sp_err *err);
void sp_world_close(struct sp_world *w);

/* For commands of the form `smartpick CMD PROFILE [--format text|json] [--out F]
 * [--model F] [--db P]` (options: sp_assess_options): parse, load the profile
 * and the world. Returns 0 when loaded, an exit code to return otherwise, or -1
 * after --help. */
int sp_cli_model_command(const struct sp_cli_command *cmd, int argc, char **argv,
                         struct sp_world *w, struct sp_profile *p, enum sp_format *fmt,
                         const char **out_path);

/* Read, validate and complete a profile; errors are prefixed with the path. */
int sp_cli_load_profile(struct sp_profile *p, const char *path, struct sp_err *err);

#endif
