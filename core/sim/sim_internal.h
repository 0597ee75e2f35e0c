/*
 * sim_internal.h - the simulator's market description, shared by core/sim/sim*.c.
 * Private to the core.
 */
#ifndef SP_SIM_INTERNAL_H
#define SP_SIM_INTERNAL_H

#include "sim_draw.h"
#include "smartpick/sim/sim.h"

#include <math.h>
#include <stdint.h>

#define SIM_MAX_STATES 64
#define SIM_GRID 121
#define SIM_GRID_LO (-6.0)
#define SIM_GRID_STEP 0.1
/* The grid of the signal-gain tables: [-SIM_LGT_HALF, SIM_LGT_HALF] in SIM_LGT_N
 * intervals (step 1/32: linear interpolation of a difference of logistics is
 * within ~1e-5 of the exact value). */
#define SIM_LGT_N 1024
#define SIM_LGT_HALF 16.0
/* Intervals of the logistic quantile table; the outer SIM_QNT_TAIL intervals on
 * each side are computed exactly. */
#define SIM_QNT_N 4096
#define SIM_QNT_TAIL 64
/* sim_logistic_noise splits 32 bits as 12 (interval) + 20 (offset). */
_Static_assert(SIM_QNT_N == 1 << 12, "sim_logistic_noise assumes 4096 intervals");

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
    struct sp_quadrature quad; /* the model's, for the planner's P of an actual list */

    /* Precomputed for the replications' inner loops. */
    enum sim_isa isa; /* the vector loops' widest path here (sim_draw.h) */
    int n_apply[SP_SPEC_COUNT][SP_APP_TYPE_COUNT][2]; /* applications: preferred, backup */
    double interview_noise[SP_SPEC_COUNT], rank_noise[SP_SPEC_COUNT];
    /* Gain in P(interview) of a gold [0] or silver [1] signal in specialty k at
     * interview logit l, logistic(l + gamma) - logistic(l), on the SIM_LGT grid,
     * and the signal's effects gamma (sp_model_signal) by enum sp_signal. */
    double gain[SP_SPEC_COUNT][2][SIM_LGT_N + 1];
    struct sp_effect signal[SP_SPEC_COUNT][3];
    /* The applications' loops (sim_rep.c, apply) walk each specialty's programs at
     * positions [spec_first[k], spec_first[k + 1]), least selective first: dprog[x]
     * is the program at position x, and by position: xq its selectivity, eqf e^q in
     * single precision, pqf the applicants' prestige factor e^(application_prestige q)
     * in single precision, xbit 1 << its division, xstate its state. */
    uint16_t *dprog;
    double *xq;
    float *eqf;
    float *pqf;
    uint32_t *xbit;
    int32_t *xstate;
    double exp_neg_geo, exp_neg_in_state; /* e^-effect of the interview logit */
    /* The logistic quantile log(u / (1 - u)) at u = i / SIM_QNT_N, for the noise
     * draws (sim_logistic_noise). */
    double qnt[SIM_QNT_N + 1];
    double qnt_step[SIM_QNT_N]; /* qnt[i + 1] - qnt[i] */
};

/* Linear interpolation in a table on the logistic grid; NAN outside it. */
static inline double sim_tab(const double *tab, double x)
{
    double t = (x + SIM_LGT_HALF) * (SIM_LGT_N / (2 * SIM_LGT_HALF));
    int i;

    if (!(t >= 0 && t < SIM_LGT_N))
        return NAN;
    i = (int)t;
    return tab[i] + (t - i) * (tab[i + 1] - tab[i]);
}

/* A standard logistic draw from 32 random bits: the quantile function at
 * u = (bits + 0.5) / 2^32, interpolated in the table between the tails (within
 * 3.1e-5 of the exact value: |Q''| h^2 / 8 is largest at the tails' edge) and
 * computed exactly in the outer 1/64 on each side. In the table, the interval is
 * the top 12 bits and the offset in it the other 20. */
static inline double sim_logistic_noise(const struct sp_sim *sim, uint32_t bits)
{
    uint32_t i = bits >> 20;

    if (i - SIM_QNT_TAIL >= SIM_QNT_N - 2 * SIM_QNT_TAIL) { /* unsigned: both tails */
        double u = ((double)bits + 0.5) * 0x1.0p-32;
        return log(u / (1.0 - u));
    }
    return sim->qnt[i] + ((double)(bits & 0xfffffu) + 0.5) * 0x1.0p-20 * sim->qnt_step[i];
}

double sp_sim__planner_p(const struct sp_sim *sim, int k, int ty, double s);
int sp_sim__signals(const struct sp_sim *sim, int k, bool gold);
enum sp_specialty sp_sim__backup(int k);

#endif
