/*
 * `smartpick plan PROFILE`: the optimized application plan, as text, JSON, CSV,
 * an XLSX workbook or a self-contained HTML report.
 */
#include "cli.h"

#include "plan_options.h"
#include "render_plan.h"
#include "smartpick/plan/plan.h"
#include "sp_str.h"
#include "world.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "banned.h"

enum {
    OPT_BUDGET = SP_OPT_FIRST_FREE,
    OPT_MAX_APPS,
    OPT_TARGET,
    OPT_OBJECTIVE,
    OPT_INCLUDE,
    OPT_EXCLUDE,
    OPT_MIN,
    OPT_MAX,
    OPT_PER_CITY,
    OPT_MIN_GAIN,
    OPT_PGY1,
    OPT_MODEL,
};

const struct sp_cli_option sp_plan_options[] = {
    {"budget-usd", OPT_BUDGET, "N", "spend at most N dollars (default: the profile's)"},
    {"max-applications", OPT_MAX_APPS, "N", "apply to at most N programs"},
    {"target", OPT_TARGET, "P", "target P(match), 0-1 (default: the profile's)"},
    {"objective", OPT_OBJECTIVE, "OBJ", "utility (default), match, or min-cost"},
    {"include", OPT_INCLUDE, "ACGME_ID", "always apply to this program (repeatable)"},
    {"exclude", OPT_EXCLUDE, "ACGME_ID", "never apply to this program (repeatable)"},
    {"min", OPT_MIN, "SPEC=N", "at least N applications to a specialty (repeatable)"},
    {"max", OPT_MAX, "SPEC=N", "at most N applications to a specialty (repeatable)"},
    {"per-city", OPT_PER_CITY, "N", "at most N programs in any one city"},
    {"min-gain", OPT_MIN_GAIN, "X", "skip applications adding less expected value (0.0001)"},
    {"pgy1", OPT_PGY1, "N", "preliminary/transitional applications for advanced IR/DR (15)"},
    {"format", SP_OPT_FORMAT, "FMT", "text (default), json, csv, xlsx, html"},
    {"out", SP_OPT_OUT, "FILE", "write to FILE (required for xlsx)"},
    {"model", OPT_MODEL, "FILE", "model parameters (default: the bundled data/model.json)"},
    {"db", SP_OPT_DB, "PATH", "database file (default under $XDG_DATA_HOME/smartpick)"},
    SP_OPT_END,
};

const char sp_plan_details[] =
    "The plan maximises the expected value of the best program you match (objective\n"
    "utility), or P(match anywhere) (match), or reaches the target P(match) at the least\n"
    "cost (min-cost), within the budget, with ERAS/ResidencyCAS fees and your signals.\n"
    "See docs/OPTIMIZER.md. Example:\n"
    "  smartpick plan examples/ir-moderate.json --budget-usd 2500\n";

/* The plan options behind each flag (service/plan_options.c holds their rules). */
static int plan_opt_of(int key)
{
    switch (key) {
    case OPT_BUDGET:
        return SP_POPT_BUDGET_USD;
    case OPT_MAX_APPS:
        return SP_POPT_MAX_APPLICATIONS;
    case OPT_TARGET:
        return SP_POPT_TARGET;
    case OPT_OBJECTIVE:
        return SP_POPT_OBJECTIVE;
    case OPT_INCLUDE:
        return SP_POPT_INCLUDE;
    case OPT_EXCLUDE:
        return SP_POPT_EXCLUDE;
    case OPT_MIN:
        return SP_POPT_MIN;
    case OPT_MAX:
        return SP_POPT_MAX;
    case OPT_PER_CITY:
        return SP_POPT_PER_CITY;
    case OPT_MIN_GAIN:
        return SP_POPT_MIN_GAIN;
    case OPT_PGY1:
        return SP_POPT_PGY1;
    default:
        return -1;
    }
}

int sp_cmd_plan(const struct sp_cli_command *cmd, int argc, char **argv)
{
    struct sp_cli_parser parser;
    struct sp_plan_options o;
    struct sp_err err = SP_ERR_INIT;
    struct sp_buf out = SP_BUF_INIT;
    struct sp_profile p;
    struct sp_world w;
    struct sp_fees fees;
    struct sp_plan *plan = NULL;
    const char *db = NULL, *model = NULL, *out_path = NULL, *format = "text";
    bool world_open = false;
    int rc = SP_EXIT_OK, c;
    char *arg;

    sp_plan_options_init(&o);
    sp_cli_parser_init(&parser, cmd);
    while ((c = sp_cli_next(&parser, argc, argv, &arg)) != -1) {
        int which = plan_opt_of(c);
        if (which >= 0) {
            if (sp_plan_opt_set_text(&o, (enum sp_plan_opt)which, arg,
                                     sp_plan_opt_cli_name((enum sp_plan_opt)which), &err))
                return sp_cli_fail_err(SP_EXIT_USAGE, &err);
            continue;
        }
        switch (c) {
        case SP_CLI_HELP:
            return SP_EXIT_OK;
        case SP_CLI_BAD:
            return SP_EXIT_USAGE;
        case SP_OPT_FORMAT:
            format = arg;
            if (strcmp(arg, "text") && strcmp(arg, "json") && strcmp(arg, "csv") &&
                strcmp(arg, "xlsx") && strcmp(arg, "html"))
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
    if (strcmp(format, "xlsx") == 0 && (!out_path || strcmp(out_path, "-") == 0))
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
    if (p.home_state[0] && sp_store_state_centroid(w.store, p.home_state, &o.origin, NULL) == 0)
        o.has_origin = true;
    sp_fees_default(&fees);
    if (sp_store_load_fees(w.store, &fees, &err)) {
        rc = sp_cli_fail_err(SP_EXIT_ERROR, &err);
        goto out;
    }
    rc = sp_plan_build(&plan, &w.model, w.cat, w.q, &fees, &p, &o, &err);
    if (rc) {
        rc = sp_cli_fail_err(sp_cli_exit_for(rc), &err);
        goto out;
    }
    if (strcmp(format, "xlsx") == 0) {
        if (sp_render_plan_xlsx(out_path, plan, &p, &err))
            rc = sp_cli_fail_err(SP_EXIT_ERROR, &err);
        goto out;
    }
    if (strcmp(format, "html") == 0)
        sp_render_plan_html(&out, plan, &p);
    else
        sp_render_plan(&out, strcmp(format, "json") == 0  ? SP_FMT_JSON
                             : strcmp(format, "csv") == 0 ? SP_FMT_CSV
                                                          : SP_FMT_TEXT,
                       plan, &p);
    if (sp_cli_write(&out, out_path, &err))
        rc = sp_cli_fail_err(SP_EXIT_ERROR, &err);
out:
    sp_plan_free(plan);
    if (world_open)
        sp_world_close(&w);
    sp_buf_release(&out);
    return rc;
}
