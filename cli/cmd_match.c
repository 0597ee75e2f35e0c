/*
 * `smartpick match`: run the Match (Roth-Peranson with couples) on rank lists from a
 * `.rp`, `.json` or `.csv` file and print the matching, or check a given matching.
 */
#include "cli.h"

#include "render_match.h"
#include "smartpick/match/match.h"
#include "sp_str.h"

#include <stdlib.h>
#include <string.h>

#include "banned.h"

enum {
    OPT_PROPOSING = SP_OPT_FIRST_FREE,
    OPT_SEED,
    OPT_CHECK,
    OPT_TRIES,
};

/* The command table entry in main.c carries no option table (one line there); the
 * command fills in its own before parsing, so --help still shows every option. */
static const struct sp_cli_option match_options[] = {
    {"format", SP_OPT_FORMAT, "FMT", "text (default), match (peer .match format), json, csv"},
    {"proposing", OPT_PROPOSING, "SIDE", "applicants (default, as the NRMP) or programs"},
    {"seed", OPT_SEED, "N", "seed of the randomized retries when couples cycle (default 1)"},
    {"tries", OPT_TRIES, "N", "Roth-Peranson runs before giving up (default 40)"},
    {"check", OPT_CHECK, "MATCHFILE", "check the matching in MATCHFILE (.match) instead"},
    {"out", SP_OPT_OUT, "FILE", "write to FILE instead of standard output"},
    SP_OPT_END,
};

static const char match_details[] =
    "INPUT is read by its extension: .rp (the stable-matching-suite format), .json or .csv\n"
    "(docs/MATCH.md). The result is checked for stability; its verdict is printed.\n"
    "Exit status: 0 a stable matching; 1 no stable matching found (couples), or --check\n"
    "found the matching unstable; 2 bad input or usage (errors say FILE:LINE: rule).\n"
    "Examples:\n"
    "  smartpick match mock.csv\n"
    "  smartpick match case.rp --format match --out case.match\n"
    "  smartpick match case.rp --check case.match\n";

enum input_kind { IN_RP, IN_JSON, IN_CSV };

static bool ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), m = strlen(suffix);

    return n >= m && sp_str_eqi(s + n - m, suffix);
}

/* Rewrite a reader's "line N: rule" / "line N, column C: rule" as "FILE:N: rule" and
 * other messages as "FILE: message". */
static int fail_input(const char *path, const struct sp_err *err)
{
    unsigned line = 0, col = 0;
    int used = 0;

    if (sscanf(err->msg, "line %u, column %u: %n", &line, &col, &used) == 2 && used > 0)
        return sp_cli_fail(SP_EXIT_USAGE, "%s:%u:%u: %s", path, line, col, err->msg + used);
    used = 0;
    if (sscanf(err->msg, "line %u: %n", &line, &used) == 1 && used > 0)
        return sp_cli_fail(SP_EXIT_USAGE, "%s:%u: %s", path, line, err->msg + used);
    return sp_cli_fail(sp_cli_exit_for(err->code), "%s: %s", path,
                       err->msg[0] ? err->msg : sp_strerror(err->code));
}

static int read_instance(sp_match_instance **out, const char *path, struct sp_err *err)
{
    struct sp_buf buf = SP_BUF_INIT;
    enum input_kind kind;
    int rc;

    if (ends_with(path, ".rp"))
        kind = IN_RP;
    else if (ends_with(path, ".json"))
        kind = IN_JSON;
    else if (ends_with(path, ".csv"))
        kind = IN_CSV;
    else
        return sp_cli_fail(SP_EXIT_USAGE, "match: '%s' has no known extension (.rp, .json or .csv)",
                           path);
    if (sp_read_file(&buf, path, err)) {
        sp_buf_release(&buf);
        return sp_cli_fail_err(SP_EXIT_ERROR, err);
    }
    const char *data = buf.data ? buf.data : "";
    rc = kind == IN_RP     ? sp_match_read_rp(out, data, buf.len, err)
         : kind == IN_JSON ? sp_match_from_json(out, data, buf.len, err)
                           : sp_match_read_csv(out, data, buf.len, err);
    sp_buf_release(&buf);
    return rc ? fail_input(path, err) : SP_EXIT_OK;
}

static int run_check(const sp_match_instance *in, const char *path, enum sp_match_format fmt,
                     struct sp_buf *out, struct sp_err *err)
{
    struct sp_buf buf = SP_BUF_INIT;
    struct sp_match_check chk;
    int32_t *program = malloc((sp_match_n_applicants(in) + 1) * sizeof(*program));
    int32_t *pgy1 = malloc((sp_match_n_applicants(in) + 1) * sizeof(*pgy1));
    bool has_matching = false;
    int rc = SP_EXIT_OK;

    if (!program || !pgy1) {
        free(program);
        free(pgy1);
        return sp_cli_fail(SP_EXIT_ERROR, "out of memory");
    }
    if (sp_read_file(&buf, path, err)) {
        rc = sp_cli_fail_err(SP_EXIT_ERROR, err);
        goto out;
    }
    if (sp_match_read_assignment(program, pgy1, &has_matching, in, buf.data ? buf.data : "",
                                 buf.len, err)) {
        rc = fail_input(path, err);
        goto out;
    }
    memset(&chk, 0, sizeof(chk));
    if (has_matching && sp_match_check(&chk, in, program, pgy1, err)) {
        rc = sp_cli_fail_err(SP_EXIT_ERROR, err);
        goto out;
    }
    sp_render_match_check(out, fmt, in, &chk, has_matching);
    if (has_matching && !chk.stable)
        rc = SP_EXIT_ERROR;
out:
    free(program);
    free(pgy1);
    sp_buf_release(&buf);
    return rc;
}

int sp_cmd_match(const struct sp_cli_command *cmd_in, int argc, char **argv)
{
    struct sp_cli_command self = *cmd_in;
    const struct sp_cli_command *cmd = &self;
    struct sp_cli_parser parser;
    struct sp_err err = SP_ERR_INIT;
    struct sp_buf out = SP_BUF_INIT;
    struct sp_match_options opts = SP_MATCH_OPTIONS_INIT;
    struct sp_match_result res = SP_MATCH_RESULT_INIT;
    enum sp_match_format fmt = SP_MATCH_FMT_TEXT;
    const char *out_path = NULL, *check_path = NULL;
    sp_match_instance *in = NULL;
    int rc = SP_EXIT_OK;
    int c;
    char *arg;

    self.options = match_options;
    self.details = match_details;
    if (!self.synopsis)
        self.synopsis = "INPUT";
    sp_cli_parser_init(&parser, cmd);
    while ((c = sp_cli_next(&parser, argc, argv, &arg)) != -1) {
        long v;
        switch (c) {
        case SP_CLI_HELP:
            return SP_EXIT_OK;
        case SP_CLI_BAD:
            return SP_EXIT_USAGE;
        case SP_OPT_FORMAT:
            if (sp_match_format_parse(&fmt, arg, &err))
                return sp_cli_fail_err(SP_EXIT_USAGE, &err);
            break;
        case OPT_PROPOSING:
            if (strcmp(arg, "applicants") == 0)
                opts.proposing = SP_PROPOSE_APPLICANTS;
            else if (strcmp(arg, "programs") == 0)
                opts.proposing = SP_PROPOSE_PROGRAMS;
            else
                return sp_cli_fail(SP_EXIT_USAGE, "proposing: '%s' must be applicants or programs",
                                   arg);
            break;
        case OPT_SEED:
            if (sp_parse_long(&v, arg, 0, 0x7fffffffL))
                return sp_cli_fail(SP_EXIT_USAGE, "seed: '%s' must be an integer in [0, %ld]", arg,
                                   0x7fffffffL);
            opts.seed = (uint64_t)v;
            break;
        case OPT_TRIES:
            if (sp_parse_long(&v, arg, 1, 100000))
                return sp_cli_fail(SP_EXIT_USAGE, "tries: '%s' must be an integer in [1, 100000]",
                                   arg);
            opts.max_tries = (unsigned)v;
            break;
        case OPT_CHECK:
            check_path = arg;
            break;
        case SP_OPT_OUT:
            out_path = arg;
            break;
        }
    }
    if (optind >= argc)
        return sp_cli_fail(SP_EXIT_USAGE, "match: needs an INPUT file (.rp, .json or .csv)");
    if (optind + 1 < argc)
        return sp_cli_fail(SP_EXIT_USAGE, "match: unexpected argument '%s'", argv[optind + 1]);
    const char *input = argv[optind];

    if ((rc = read_instance(&in, input, &err)))
        goto out;
    if (check_path) {
        rc = run_check(in, check_path, fmt, &out, &err);
        if (rc == SP_EXIT_USAGE)
            goto out;
    } else {
        int mrc = sp_match_run(&res, in, &opts, &err);
        if (mrc && mrc != SP_ENOSTABLE) {
            rc = sp_cli_fail_err(sp_cli_exit_for(mrc), &err);
            goto out;
        }
        sp_render_match(&out, fmt, in, &res, opts.proposing);
        if (mrc == SP_ENOSTABLE) {
            sp_cli_fail(SP_EXIT_ERROR, "%s", err.msg);
            rc = SP_EXIT_ERROR;
        } else if (res.checked && !res.stable) {
            sp_cli_fail(SP_EXIT_ERROR, "the matching is not stable (%zu blocking pairs)",
                        res.n_blocking);
            rc = SP_EXIT_ERROR;
        }
    }
    {
        struct sp_err werr = SP_ERR_INIT;
        if (sp_cli_write(&out, out_path, &werr))
            rc = sp_cli_fail_err(SP_EXIT_ERROR, &werr);
    }
out:
    sp_match_result_release(&res);
    sp_match_instance_free(in);
    sp_buf_release(&out);
    return rc;
}
