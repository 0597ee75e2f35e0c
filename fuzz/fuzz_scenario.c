/*
 * Fuzz target: the scenario reader (format/scenario_json.c). Any input either
 * fails with SP_EINVAL and a non-empty message, leaving the baseline scenario,
 * or parses into values inside the documented ranges. Never a crash, a leak or
 * undefined behaviour.
 */
#include "scenario_json.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "banned.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct sp_sim_scenario sc, base;
    struct sp_err err = SP_ERR_INIT;
    int rc = sp_scenario_from_json(&sc, (const char *)data, size, &err);

    sp_sim_scenario_init(&base);
    if (rc) {
        if (rc != SP_EINVAL || !err.msg[0] || memcmp(&sc, &base, sizeof(sc)) != 0)
            __builtin_trap();
        return 0;
    }
    for (int k = 0; k < SP_SPEC_COUNT; k++) {
        if (!(sc.positions_scale[k] > 0 && sc.positions_scale[k] <= 10) ||
            !(sc.applicants_scale[k] > 0 && sc.applicants_scale[k] <= 10) ||
            sc.signals_gold[k] < -1 || sc.signals_gold[k] > 50 || sc.signals_silver[k] < -1 ||
            sc.signals_silver[k] > 50)
            __builtin_trap();
    }
    if (!(sc.applications_factor > 0 && sc.applications_factor <= 5) ||
        !(sc.couples_share == -1 || (sc.couples_share >= 0 && sc.couples_share <= 0.5)))
        __builtin_trap();
    return 0;
}
