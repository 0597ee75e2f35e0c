/*
 * Fuzz target: the model file parser (render/model_json.c, `--model FILE`). Any
 * input either fails with SP_EINVAL and a non-empty message, or parses into a
 * model whose counts, quadrature and reference shares are inside the documented
 * ranges and which writes back and re-reads to the same model. Never a crash, a
 * leak or undefined behaviour.
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
        if (m.spec[k].typical_applications < 0 || m.spec[k].signals_gold < 0 ||
            m.spec[k].signals_silver < 0)
            __builtin_trap();
    }
    text = sp_model_to_json(&m);
    if (sp_model_from_json(&again, text, strlen(text), &err))
        __builtin_trap();
    free(text);
    return 0;
}
