/*
 * sim_internal.h - the simulator's market description, shared by lib/sim*.c.
 * Private to the core.
 */
#ifndef SP_SIM_INTERNAL_H
#define SP_SIM_INTERNAL_H

#include "smartpick/sim.h"

#include <stdint.h>

#define SIM_MAX_STATES 64
#define SIM_GRID 121
#define SIM_GRID_LO (-6.0)
#define SIM_GRID_STEP 0.1

/* A catalog program with positions in the market. */
struct sim_prog {
    size_t cat; /* index in sp_catalog_programs() */
    enum sp_specialty k;
    double q;
    int cap_c; /* categorical positions (all of them outside IR/DR) */
    int cap_a; /* advanced (PGY-2) positions */
    int slots; /* interviews offered */
    uint8_t division;
    uint16_t state;
    int mid_c, mid_a; /* Match-engine program index of each track, -1 if none */
};

struct sim_step2 {
    double p_matched, med_matched, med_unmatched, sd;
};

struct sp_sim {
    const struct sp_model *m;
    const sp_catalog *cat;
    const double *q;
    const struct sp_calib_targets *targets;
    const struct sp_sim_student *student;
    struct sp_sim_scenario scen;
    struct sp_sim_params params;

    struct sim_prog *progs; /* grouped by specialty */
    size_t n_progs;
    size_t spec_first[SP_SPEC_COUNT + 1];
    long positions[SP_SPEC_COUNT];
    long positions_adv[SP_SPEC_COUNT];

    int n_mprogs;     /* Match-engine programs */
    int prelim_first; /* first pooled PGY-1 program */
    int n_prelim;
    long *prelim_cap;
    long prelim_total;
    int8_t *mprog_spec; /* per Match program: specialty, -1 for the PGY-1 pool */
    uint8_t *mprog_div;
    int32_t *mprog_prog; /* index in progs, -1 for the PGY-1 pool */

    char state_code[SIM_MAX_STATES][2];
    uint8_t state_div[SIM_MAX_STATES];
    double state_w[SIM_MAX_STATES]; /* cumulative weights */
    int n_states;

    size_t n_app[SP_SPEC_COUNT][SP_APP_TYPE_COUNT];
    struct sim_step2 step2[SP_SPEC_COUNT][SP_APP_TYPE_COUNT];
    double base[SP_SPEC_COUNT][SP_SPEC_COUNT][SP_APP_TYPE_COUNT]; /* [pref][applied][type] */
    double *grid; /* planner P(match) by [k][type][strength], or NULL */
};

double sp_sim__planner_p(const struct sp_sim *sim, int k, int ty, double s);
int sp_sim__signals(const struct sp_sim *sim, int k, bool gold);
enum sp_specialty sp_sim__backup(int k);

#endif
