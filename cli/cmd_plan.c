/*
 * `smartpick plan PROFILE`: the optimized application plan, as text, JSON, CSV,
 * an XLSX workbook or a self-contained HTML report.
 */
#include "cli.h"

#include "plan_service.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "banned.h"

/* The plan options' flags are keys OPT_PLAN + enum sp_plan_opt. */
enum { OPT_MODEL = SP_OPT_FIRST_FREE, OPT_PLAN };

/* The flags and help lines of service/plan_options.c's table, then the common ones. */
static const struct sp_cli_option *plan_flags(void)
{
    static struct sp_cli_option flags[SP_POPT_COUNT + 5];
    static char help[SP_POPT_COUNT][160];
    static const struct sp_cli_option tail[] = {
        {"format", SP_OPT_FORMAT, "FMT", "text (default), json, csv, xlsx, html"},
        {"out", SP_OPT_OUT, "FILE", "write to FILE (required for xlsx)"},
        {"model", OPT_MODEL, "FILE", "model parameters (default: the bundled data/model.json)"},
        {"db", SP_OPT_DB, "PATH", "database file (default under $XDG_DATA_HOME/smartpick)"},
        SP_OPT_END,
    };

    for (int i = 0; i < SP_POPT_COUNT; i++) {
        const struct sp_plan_opt_info *info = sp_plan_opt_info((enum sp_plan_opt)i);
        flags[i] =
            (struct sp_cli_option){info->cli, OPT_PLAN + i, info->arg,
                                   sp_plan_opt_help(help[i], sizeof(help[i]), (enum sp_plan_opt)i)};
    }
    memcpy(flags + SP_POPT_COUNT, tail, sizeof(tail));
    return flags;
}

const char sp_plan_details[] =
    "The plan maximises the expected value of the best program you match (objective\n"
    "utility), or P(match anywhere) (match), or reaches the target P(match) at the least\n"
    "cost (min-cost), within the budget, with ERAS/ResidencyCAS fees and your signals.\n"
    "See docs/OPTIMIZER.md. Example:\n"
    "  smartpick plan examples/ir-moderate.json --budget-usd 2500\n";

int sp_cmd_plan(const struct sp_cli_command *cmd, int argc, char **argv)
{
    struct sp_cli_command self = *cmd;
    struct sp_cli_parser parser;
    struct sp_plan_options o;
    struct sp_err err = SP_ERR_INIT;
    struct sp_buf out = SP_BUF_INIT;
    struct sp_profile p;
    struct sp_world w;
    struct sp_plan *plan = NULL;
    const char *db = NULL, *model = NULL, *out_path = NULL;
    enum sp_out fmt = SP_OUT_TEXT;
    bool world_open = false;
    int rc = SP_EXIT_OK, c;
    char *arg;

    self.options = plan_flags();
    sp_plan_options_init(&o);
    sp_cli_parser_init(&parser, &self);
    while ((c = sp_cli_next(&parser, argc, argv, &arg)) != -1) {
        if (c >= OPT_PLAN && c < OPT_PLAN + SP_POPT_COUNT) {
            enum sp_plan_opt which = (enum sp_plan_opt)(c - OPT_PLAN);
            if (sp_plan_opt_set_text(&o, which, arg, sp_plan_opt_info(which)->cli, &err))
                return sp_cli_fail_err(SP_EXIT_USAGE, &err);
            continue;
        }
        switch (c) {
        case SP_CLI_HELP:
            return SP_EXIT_OK;
        case SP_CLI_BAD:
            return SP_EXIT_USAGE;
        case SP_OPT_FORMAT:
            if (sp_out_parse(&fmt, arg, SP_PLAN_OUTS))
                return sp_cli_fail(SP_EXIT_USAGE,
                                   "format: '%s' must be text, json, csv, xlsx or html", arg);
            break;
        case SP_OPT_OUT:
            out_path = arg;
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
        return sp_cli_fail(SP_EXIT_USAGE, "plan: name one profile file (see docs/PROFILE.md)");
    if (fmt == SP_OUT_XLSX && (!out_path || strcmp(out_path, "-") == 0))
        return sp_cli_fail(SP_EXIT_USAGE, "format: xlsx needs --out FILE.xlsx");
    if (sp_plan_options_check(&o, "budget-usd", "max-applications", &err))
        return sp_cli_fail_err(SP_EXIT_USAGE, &err);

    rc = sp_cli_load_profile(&p, argv[optind]);
    if (rc)
        return rc;
    rc = sp_cli_open_world(&w, db, model ? SP_MODEL_FILE : SP_MODEL_BUNDLED, model);
    if (rc)
        return rc;
    world_open = true;
    if (sp_profile_check_catalog(&p, w.cat, &err)) {
        sp_err_prefix(&err, argv[optind], ": ");
        rc = sp_cli_fail_err(SP_EXIT_USAGE, &err);
        goto out;
    }
    sp_app_plan_origin(&o, w.store, &p, NULL);
    rc = sp_app_plan_build(&plan, &w, &p, &o, &err);
    if (rc) {
        rc = sp_cli_fail_err(sp_cli_exit_for(rc), &err);
        goto out;
    }
    if (sp_app_plan_render(&out, fmt, plan, &p, out_path, &err)) {
        rc = sp_cli_fail_err(SP_EXIT_ERROR, &err);
        goto out;
    }
    if (fmt != SP_OUT_XLSX && sp_cli_write(&out, out_path, &err))
        rc = sp_cli_fail_err(SP_EXIT_ERROR, &err);
out:
    sp_plan_free(plan);
    if (world_open)
        sp_world_close(&w);
    sp_buf_release(&out);
    return rc;
}
