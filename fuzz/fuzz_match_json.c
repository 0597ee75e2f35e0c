/*
 * Fuzz target: the match JSON reader (format/match_json.c) and, for small valid
 * instances, the engine and every output format. Properties: never a crash; failures
 * are SP_EINVAL with a message; a returned matching is verified stable.
 */
#include "render_match.h"
#include "smartpick/match/match.h"

#include <stdint.h>

#include "banned.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    sp_match_instance *in = NULL;
    struct sp_err err = SP_ERR_INIT;
    int rc = sp_match_from_json(&in, (const char *)data, size, &err);

    if (rc) {
        if ((rc != SP_EINVAL && rc != SP_ERANGE) || in != NULL || err.msg[0] == '\0')
            __builtin_trap();
        return 0;
    }
    if (sp_match_n_applicants(in) <= 300 && sp_match_n_programs(in) <= 100) {
        struct sp_match_options opts = SP_MATCH_OPTIONS_INIT;
        struct sp_match_result res = SP_MATCH_RESULT_INIT;
        opts.max_tries = 3;
        opts.search_budget = 200000;
        rc = sp_match_run(&res, in, &opts, &err);
        if ((rc != 0 && rc != SP_ENOSTABLE) || (rc == 0 && !res.stable))
            __builtin_trap();
        for (int f = SP_MATCH_FMT_TEXT; f <= SP_MATCH_FMT_CSV; f++) {
            struct sp_buf out = SP_BUF_INIT;
            sp_render_match(&out, (enum sp_match_format)f, in, &res, opts.proposing);
            sp_buf_release(&out);
        }
        sp_match_result_release(&res);
    }
    sp_match_instance_free(in);
    return 0;
}
