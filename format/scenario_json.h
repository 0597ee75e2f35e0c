/*
 * scenario_json.h - the simulator's scenario document (schema smartpick.scenario/1,
 * docs/SIMULATION.md "Scenarios"): what-if changes to the baseline market, read
 * into struct sp_sim_scenario (smartpick/sim/sim.h).
 */
#ifndef SP_SCENARIO_JSON_H
#define SP_SCENARIO_JSON_H

#include "smartpick/error.h"
#include "smartpick/sim/sim.h"

#include <stddef.h>

#define SP_SCENARIO_SCHEMA "smartpick.scenario/1"

/* Parse the document text[0..len) into *out, which starts from
 * sp_sim_scenario_init() (and is reset to it on error). Strict: unknown keys,
 * wrong types and out-of-range values are SP_EINVAL with err naming the JSON path,
 * the value and the rule ("positions.IR: 0 must be > 0 and <= 10"). */
int sp_scenario_from_json(struct sp_sim_scenario *out, const char *text, size_t len,
                          struct sp_err *err);

#endif
