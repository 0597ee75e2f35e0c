/*
 * sim_draw.h - the vector loops of the simulated applications (sim_rep.c,
 * apply): each program's weight for one applicant, the sums of the capped scale,
 * and the Bernoulli draws. Private to the core.
 *
 * Every loop has three paths doing the same single-precision operations in the
 * same order, so they give the same bits and a replication's result does not
 * depend on the CPU: AVX2 (eight programs a step, where the CPU has it), SSE2
 * (four; every x86-64) and scalar. The caller picks the widest with
 * sim_isa_best() once; tests run every path.
 */
#ifndef SP_SIM_DRAW_H
#define SP_SIM_DRAW_H

#include "smartpick/model/utility.h"
#include "smartpick/sim/sim.h"

#include <stddef.h>
#include <stdint.h>

enum sim_isa { SIM_ISA_SCALAR, SIM_ISA_SSE2, SIM_ISA_AVX2 };

/* The widest path this build and CPU can run. */
enum sim_isa sim_isa_best(void);

/* One applicant's view of a specialty's programs: e^-(a_k + s), the factors of a
 * preferred division and of the applicant's state on it, in single precision; the
 * preferred divisions (a bit each) and the state. */
struct sim_weigh_in {
    float ef, fg, fi;
    uint32_t divs;
    int32_t state;
};

/* w[x] = utility pf[x] / (1 + ef fg fi eq[x]) for x in [0, N): the planner's
 * utility x P(interview) of each program times its prestige factor pf, where
 * utility is 0.88, + 0.05 in a preferred division (bit[x] & divs), + 0.03 in the
 * applicant's state (state[x] == state), and fg, fi apply where those hold. Returns
 * the sum of w (double, four partial sums over x mod 4); *wmax the largest w. */
double sim_weigh(enum sim_isa isa, const float *eq, const float *pf, const uint32_t *bit,
                 const int32_t *state, size_t N, const struct sim_weigh_in *in, float *w,
                 float *wmax);

/* Of w[0..N): how many have c w >= 1 (single precision), and the sum of the others
 * (as sim_weigh sums); *rest_max the largest of the others (0 if none). */
double sim_uncapped_sum(enum sim_isa isa, const float *w, size_t N, float c, size_t *capped,
                        float *rest_max);

/* The Bernoulli(min(1, c w[x])) draws, cf = c 2^16 in single precision: program x
 * takes 16 random bits u, four programs per xoshiro output in order, and with
 * t = min(cf w[x], 2^16) is drawn when u < floor(t), or, when u equals floor(t)
 * (1 in 65536), when a fresh uniform (drawn then) falls below t - floor(t):
 * probability t / 2^16 exactly. Writes the positions drawn to pick, rising (pick
 * has room for N + 4); returns their count. */
size_t sim_draw_programs(enum sim_isa isa, struct sp_rng *rng, const float *w, size_t N, float cf,
                         uint32_t *pick);

#endif
