/*
 * Fuzz target: the model file parser (format/model_json.c, `--model FILE`). Any
 * input either fails with SP_EINVAL and a non-empty message, or parses into a
 * model whose counts, quadrature and reference shares are inside the documented
 * ranges, which writes back and re-reads without error with the same counts. Never
 * a crash, a leak or undefined behaviour.
 */
#include "model_json.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "banned.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct sp_model m, again;
    struct sp_err err = SP_ERR_INIT;
    char *text;
    int rc = sp_model_from_json(&m, (const char *)data, size, &err);

    if (rc) {
        if (rc != SP_EINVAL || !err.msg[0])
            __builtin_trap();
        return 0;
    }
    if (m.gh_nodes < 1 || m.gh_nodes > SP_GH_MAX || !(m.sigma >= 0) ||
        !(m.ref_share_in_state >= 0 && m.ref_share_in_state <= m.ref_share_geo &&
          m.ref_share_geo <= 1))
        __builtin_trap();
    for (int k = 0; k < SP_SPEC_COUNT; k++) {
        const struct sp_model_specialty *s = &m.spec[k];
        if (s->typical_applications < 0 || s->typical_applications > 100000 ||
            s->signals_gold < 0 || s->signals_gold > 100000 || s->signals_silver < 0 ||
            s->signals_silver > 100000)
            __builtin_trap();
    }
    text = sp_model_to_json(&m);
    if (sp_model_from_json(&again, text, strlen(text), &err) || again.gh_nodes != m.gh_nodes)
        __builtin_trap();
    for (int k = 0; k < SP_SPEC_COUNT; k++) {
        if (again.spec[k].typical_applications != m.spec[k].typical_applications ||
            again.spec[k].signals_gold != m.spec[k].signals_gold ||
            again.spec[k].signals_silver != m.spec[k].signals_silver)
            __builtin_trap();
    }
    free(text);
    return 0;
}
