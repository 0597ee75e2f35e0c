/*
 * `smartpick assess PROFILE`: P(match) per specialty with its interval, the tier,
 * the factors behind it and the changes that would help most.
 */
#include "cli.h"

#include "render_assess.h"
#include "world.h"

#include "banned.h"

enum { OPT_MODEL = SP_OPT_FIRST_FREE };

const struct sp_cli_option sp_assess_options[] = {
    {"format", SP_OPT_FORMAT, "FMT", "text (default) or json"},
    {"out", SP_OPT_OUT, "FILE", "write to FILE instead of standard output"},
    {"model", OPT_MODEL, "FILE", "model parameters (default: the bundled data/model.json)"},
    {"db", SP_OPT_DB, "PATH", "database file (default under $XDG_DATA_HOME/smartpick)"},
    SP_OPT_END,
};

int sp_cli_model_command(const struct sp_cli_command *cmd, int argc, char **argv,
                         struct sp_world *w, struct sp_profile *p, enum sp_format *fmt,
                         const char **out_path)
{
    struct sp_cli_parser parser;
    struct sp_err err = SP_ERR_INIT;
    const char *db = NULL, *model = NULL;
    int c, rc;
    char *arg;

    *fmt = SP_FMT_TEXT;
    *out_path = NULL;
    sp_cli_parser_init(&parser, cmd);
    while ((c = sp_cli_next(&parser, argc, argv, &arg)) != -1) {
        switch (c) {
        case SP_CLI_HELP:
            return -1;
        case SP_CLI_BAD:
            return SP_EXIT_USAGE;
        case SP_OPT_FORMAT:
            if (sp_format_parse(fmt, arg, &err) || *fmt == SP_FMT_CSV)
                return sp_cli_fail(SP_EXIT_USAGE, "format: '%s' must be text or json", arg);
            break;
        case SP_OPT_OUT:
            *out_path = arg;
            break;
        case OPT_MODEL:
            model = arg;
            break;
        case SP_OPT_DB:
            db = arg;
            break;
        }
    }
    if (optind != argc - 1)
        return sp_cli_fail(SP_EXIT_USAGE, "%s: name one profile file (see docs/PROFILE.md)",
                           cmd->name);
    rc = sp_cli_load_profile(p, argv[optind]);
    if (rc)
        return rc;
    rc = sp_cli_open_world(w, db, model ? SP_MODEL_FILE : SP_MODEL_BUNDLED, model);
    if (rc)
        return rc;
    /* Home and away programs must be real programs of the right specialty. */
    if (sp_profile_check_catalog(p, w->cat, &err)) {
        sp_err_prefix(&err, argv[optind], ": ");
        sp_world_close(w);
        return sp_cli_fail_err(SP_EXIT_USAGE, &err);
    }
    return SP_EXIT_OK;
}

int sp_cmd_assess(const struct sp_cli_command *cmd, int argc, char **argv)
{
    struct sp_world w;
    struct sp_profile p;
    struct sp_assessment a;
    struct sp_err err = SP_ERR_INIT;
    struct sp_buf out = SP_BUF_INIT;
    enum sp_format fmt;
    const char *out_path;
    int rc = sp_cli_model_command(cmd, argc, argv, &w, &p, &fmt, &out_path);

    if (rc)
        return rc < 0 ? SP_EXIT_OK : rc;
    if (sp_assess(&a, &w.model, w.cat, w.q, &p, &err)) {
        rc = sp_cli_fail_err(SP_EXIT_ERROR, &err);
        goto out;
    }
    sp_render_assessment(&out, fmt, &a, &p);
    if (sp_cli_write(&out, out_path, &err))
        rc = sp_cli_fail_err(SP_EXIT_ERROR, &err);
out:
    sp_buf_release(&out);
    sp_world_close(&w);
    return rc;
}
