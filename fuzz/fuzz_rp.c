/*
 * Fuzz target: the match readers of the core (peer `.rp`, SmartPick CSV) and, when the
 * input is a small valid instance, the engine and the checker on it. Properties: never a
 * crash; every failure is SP_EINVAL with a message; a matching the engine returns is
 * verified stable; the peer `.match` reader accepts what the engine wrote.
 */
#include "render_match.h"
#include "smartpick/match/match.h"

#include <stdint.h>
#include <string.h>

#include "banned.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void exercise(sp_match_instance *in)
{
    struct sp_match_options opts = SP_MATCH_OPTIONS_INIT;
    struct sp_match_result res = SP_MATCH_RESULT_INIT;
    struct sp_err err = SP_ERR_INIT;
    struct sp_buf out = SP_BUF_INIT;

    if (sp_match_n_applicants(in) > 300 || sp_match_n_programs(in) > 100)
        return;
    opts.max_tries = 3;
    opts.search_budget = 200000;
    int rc = sp_match_run(&res, in, &opts, &err);
    if (rc != 0 && rc != SP_ENOSTABLE)
        __builtin_trap();
    if (rc == 0 && !res.stable)
        __builtin_trap();
    sp_render_match(&out, SP_MATCH_FMT_MATCH, in, &res, opts.proposing);
    if (rc == 0) {
        int32_t program[301], pgy1[301];
        bool has = false;
        size_t n = sp_match_n_applicants(in) * sizeof(int32_t);
        if (sp_match_read_assignment(program, pgy1, &has, in, out.data, out.len, &err) || !has)
            __builtin_trap();
        if (memcmp(program, res.program, n) != 0 || memcmp(pgy1, res.pgy1, n) != 0)
            __builtin_trap();
    }
    sp_match_result_release(&res);
    /* program-proposing: fine for singles, SP_EINVAL with couples or supplemental lists */
    opts.proposing = SP_PROPOSE_PROGRAMS;
    rc = sp_match_run(&res, in, &opts, &err);
    if (rc == 0 && !res.stable)
        __builtin_trap();
    sp_match_result_release(&res);
    sp_buf_release(&out);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    sp_match_instance *in = NULL;
    struct sp_err err = SP_ERR_INIT;
    int (*readers[])(sp_match_instance **, const char *, size_t,
                     struct sp_err *) = {sp_match_read_rp, sp_match_read_csv};

    for (size_t i = 0; i < 2; i++) {
        int rc = readers[i](&in, (const char *)data, size, &err);
        if (rc == 0) {
            exercise(in);
            sp_match_instance_free(in);
            in = NULL;
        } else if (rc != SP_EINVAL && rc != SP_ERANGE) {
            __builtin_trap();
        } else if (in != NULL || err.msg[0] == '\0') {
            __builtin_trap();
        }
    }
    return 0;
}
