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

/* --format is this command's own: the Match has formats of its own (match). */
enum {
    OPT_FORMAT = SP_OPT_FIRST_FREE,
    OPT_PROPOSING,
    OPT_SEED,
    OPT_CHECK,
    OPT_TRIES,
};

static const struct sp_cli_option match_options[] = {
    {"format", OPT_FORMAT, "FMT", "text (default), match (peer .match format), json, csv"},
    {"proposing", OPT_PROPOSING, "SIDE", "applicants (default, as the NRMP) or programs"},
    {"seed", OPT_SEED, "N", "seed of the randomized retries when couples cycle (default 1)"},
    {"tries", OPT_TRIES, "N", "Roth-Peranson runs before giving up (default 40)"},
    {"check", OPT_CHECK, "MATCHFILE", "check the matching in MATCHFILE (.match) instead"},
    SP_OPT_END,
};

struct match_state {
    struct sp_match_options opts;
    enum sp_match_format fmt;
    const char *check_path;
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
        return sp_cli_fail_err(sp_cli_exit_for(err->code), err);
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
        rc = sp_cli_fail_err(sp_cli_exit_for(err->code), err);
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

static void match_init(struct sp_cli *c)
{
    struct match_state *s = c->state;

    s->opts = (struct sp_match_options)SP_MATCH_OPTIONS_INIT;
    s->fmt = SP_MATCH_FMT_TEXT;
}

static int match_option(struct sp_cli *c, int key, const char *arg)
{
    struct match_state *s = c->state;
    struct sp_err err = SP_ERR_INIT;
    long v;

    switch (key) {
    case OPT_FORMAT:
        if (sp_match_format_parse(&s->fmt, arg, &err))
            return sp_cli_fail_err(SP_EXIT_USAGE, &err);
        return 0;
    case OPT_PROPOSING:
        if (strcmp(arg, "applicants") == 0)
            s->opts.proposing = SP_PROPOSE_APPLICANTS;
        else if (strcmp(arg, "programs") == 0)
            s->opts.proposing = SP_PROPOSE_PROGRAMS;
        else
            return sp_cli_fail(SP_EXIT_USAGE, "proposing: '%s' must be applicants or programs",
                               arg);
        return 0;
    case OPT_SEED:
        if (sp_parse_long(&v, arg, 0, 0x7fffffffL))
            return sp_cli_fail(SP_EXIT_USAGE, "seed: '%s' must be an integer in [0, %ld]", arg,
                               0x7fffffffL);
        s->opts.seed = (uint64_t)v;
        return 0;
    case OPT_TRIES:
        if (sp_parse_long(&v, arg, 1, 100000))
            return sp_cli_fail(SP_EXIT_USAGE, "tries: '%s' must be an integer in [1, 100000]", arg);
        s->opts.max_tries = (unsigned)v;
        return 0;
    case OPT_CHECK:
        s->check_path = arg;
        return 0;
    }
    return 0;
}

static int match_prepare(struct sp_cli *c)
{
    if (c->argc < 1)
        return sp_cli_fail(SP_EXIT_USAGE, "match: needs an INPUT file (.rp, .json or .csv)");
    if (c->argc > 1)
        return sp_cli_fail(SP_EXIT_USAGE, "match: unexpected argument '%s'", c->argv[1]);
    return 0;
}

/* The Match on the instance; a result with no stable matching is written, and exits 1. */
static int run_match(struct sp_cli *c, const sp_match_instance *in)
{
    struct match_state *s = c->state;
    struct sp_match_result res = SP_MATCH_RESULT_INIT;
    struct sp_err err = SP_ERR_INIT;
    int rc = SP_EXIT_OK, mrc = sp_match_run(&res, in, &s->opts, &err);

    if (mrc && mrc != SP_ENOSTABLE) {
        rc = sp_cli_fail_err(sp_cli_exit_for(mrc), &err);
        goto out;
    }
    sp_render_match(&c->out, s->fmt, in, &res, s->opts.proposing);
    c->emit = true;
    if (mrc == SP_ENOSTABLE)
        rc = sp_cli_fail(SP_EXIT_ERROR, "%s", err.msg);
    else if (res.checked && !res.stable)
        rc = sp_cli_fail(SP_EXIT_ERROR, "the matching is not stable (%zu blocking pairs)",
                         res.n_blocking);
out:
    sp_match_result_release(&res);
    return rc;
}

static int match_run(struct sp_cli *c)
{
    struct match_state *s = c->state;
    struct sp_err err = SP_ERR_INIT;
    sp_match_instance *in = NULL;
    int rc = read_instance(&in, c->argv[0], &err);

    if (rc)
        return rc;
    if (s->check_path) {
        rc = run_check(in, s->check_path, s->fmt, &c->out, &err);
        c->emit = rc != SP_EXIT_USAGE;
    } else {
        rc = run_match(c, in);
    }
    sp_match_instance_free(in);
    return rc;
}

const struct sp_cli_command sp_cmd_match = {
    .name = "match",
    .summary = "Run the Match (Roth-Peranson with couples).",
    .synopsis = "INPUT",
    .options = match_options,
    .details = match_details,
    .setup = SP_CLI_OUT,
    .state_size = sizeof(struct match_state),
    .init = match_init,
    .option = match_option,
    .prepare = match_prepare,
    .run = match_run,
};
