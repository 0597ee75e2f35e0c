/*
 * render_sim.h - the simulator's report (`smartpick simulate`) as text or JSON
 * (schema smartpick.simulation/1, docs/SIMULATION.md). Appends to a caller-owned
 * sp_buf and never prints.
 */
#ifndef SP_RENDER_SIM_H
#define SP_RENDER_SIM_H

#include "smartpick/sim/sim.h"
#include "sp_buf.h"

#include <stdbool.h>
#include <stdint.h>

struct sp_render_sim_options {
    uint64_t seed;
    bool json;
    bool reliability;        /* add the planner's reliability table */
    bool has_plan;           /* the student's plan P(match) is known */
    double plan_p_match_any; /* analytical, from the plan */
};

/* Render the summary (deterministic bytes for the same summary). */
void sp_render_sim_report(struct sp_buf *out, const struct sp_sim_summary *s,
                          const struct sp_render_sim_options *o);

#endif
