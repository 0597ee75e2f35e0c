/*
 * `smartpick plan PROFILE`: the optimized application plan, as text, JSON, CSV,
 * an XLSX workbook or a self-contained HTML report. The options are
 * service/plan_options.c's table and the work service/plan_service.c's, which
 * POST /api/v1/plan shares.
 */
#include "cli.h"

#include "plan_service.h"

#include <stdio.h>
#include <string.h>

#include "banned.h"

/* A plan option's flag has the key OPT_PLAN + its enum sp_plan_opt. */
enum { OPT_PLAN = SP_OPT_FIRST_FREE };

struct plan_state {
    struct sp_plan_options o;
};

/* The flags and --help lines of the plan options' table. */
static const struct sp_cli_option *plan_flags(void)
{
    static struct sp_cli_option flags[SP_POPT_COUNT + 1];
    static char help[SP_POPT_COUNT][160];

    for (int i = 0; i < SP_POPT_COUNT; i++) {
        const struct sp_plan_opt_info *info = sp_plan_opt_info((enum sp_plan_opt)i);
        sp_plan_opt_help(help[i], sizeof(help[i]), (enum sp_plan_opt)i);
        flags[i] = (struct sp_cli_option){info->cli, OPT_PLAN + i, info->arg, help[i]};
    }
    flags[SP_POPT_COUNT] = (struct sp_cli_option)SP_OPT_END;
    return flags;
}

static struct sp_plan_options *options(struct sp_cli *c)
{
    return &((struct plan_state *)c->state)->o;
}

static void plan_init(struct sp_cli *c)
{
    sp_plan_options_init(options(c));
}

static int plan_option(struct sp_cli *c, int key, const char *arg)
{
    enum sp_plan_opt which = (enum sp_plan_opt)(key - OPT_PLAN);
    struct sp_err err = SP_ERR_INIT;

    if (sp_plan_opt_set_text(options(c), which, arg, sp_plan_opt_info(which)->cli, &err))
        return sp_cli_fail_err(SP_EXIT_USAGE, &err);
    return 0;
}

static int plan_prepare(struct sp_cli *c)
{
    struct sp_err err = SP_ERR_INIT;

    if (c->format == SP_OUT_XLSX && (!c->out_path || strcmp(c->out_path, "-") == 0))
        return sp_cli_fail(SP_EXIT_USAGE, "format: xlsx needs --out FILE.xlsx");
    if (sp_plan_options_check(options(c), "budget-usd", "max-applications", &err))
        return sp_cli_fail_err(SP_EXIT_USAGE, &err);
    return 0;
}

static int plan_run(struct sp_cli *c)
{
    struct sp_plan_options *o = options(c);
    struct sp_err err = SP_ERR_INIT;
    struct sp_plan *plan = NULL;
    int rc;

    sp_app_plan_origin(o, c->w.store, &c->profile, NULL);
    rc = sp_app_plan_build(&plan, &c->w, &c->profile, o, &err);
    if (rc) {
        rc = sp_cli_fail_err(sp_cli_exit_for(rc), &err);
        goto out;
    }
    if (sp_app_plan_render(&c->out, c->format, plan, &c->profile, c->out_path, &err))
        rc = sp_cli_fail_err(SP_EXIT_ERROR, &err);
    c->wrote = c->format == SP_OUT_XLSX;
out:
    sp_plan_free(plan);
    return rc;
}

const struct sp_cli_command sp_cmd_plan = {
    .name = "plan",
    .summary = "Your optimized application plan: specialties, programs, signals, cost, odds.",
    .synopsis = "PROFILE.json",
    .options_fn = plan_flags,
    .details =
        "The plan maximises the expected value of the best program you match (objective\n"
        "utility), or P(match anywhere) (match), or reaches the target P(match) at the least\n"
        "cost (min-cost), within the budget, with ERAS/ResidencyCAS fees and your signals.\n"
        "See docs/OPTIMIZER.md. Example:\n"
        "  smartpick plan examples/ir-moderate.json --budget-usd 2500\n",
    .setup = SP_CLI_FORMAT | SP_CLI_OUT | SP_CLI_MODEL | SP_CLI_DB | SP_CLI_WORLD | SP_CLI_PROFILE,
    .formats = SP_PLAN_OUTS,
    .format_help = "text (default), json, csv, xlsx, html",
    .format_rule = "must be text, json, csv, xlsx or html",
    .out_help = "write to FILE (required for xlsx)",
    .state_size = sizeof(struct plan_state),
    .init = plan_init,
    .option = plan_option,
    .prepare = plan_prepare,
    .run = plan_run,
};
