/*
 * `smartpick plan PROFILE`: the optimized application plan, as text, JSON, CSV,
 * an XLSX workbook or a self-contained HTML report.
 */
#include "cli.h"

#include "render_plan.h"
#include "smartpick/plan.h"
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
    {"min-gain", OPT_MIN_GAIN, "X", "skip applications adding less expected value (0.0005)"},
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

static int parse_spec_count(int counts[SP_SPEC_COUNT], const char *arg, const char *opt)
{
    const char *eq = strchr(arg, '=');
    char code[16];
    enum sp_specialty k;
    long n;

    if (!eq || (size_t)(eq - arg) >= sizeof(code))
        return sp_cli_fail(SP_EXIT_USAGE, "%s: '%s' must be SPEC=N, e.g. DR=20", opt, arg);
    memcpy(code, arg, (size_t)(eq - arg));
    code[eq - arg] = '\0';
    if (sp_specialty_parse(&k, code))
        return sp_cli_fail(SP_EXIT_USAGE, "%s: '%s' is not a specialty (did you mean %s?)", opt,
                           code, sp_specialty_suggest(code));
    if (sp_parse_long(&n, eq + 1, 0, 1000))
        return sp_cli_fail(SP_EXIT_USAGE, "%s: '%s' must be a count from 0 to 1000", opt, eq + 1);
    counts[k] = (int)n;
    return 0;
}

static int add_id(char (*ids)[SP_ACGME_ID_LEN + 1], size_t *n, const char *arg, const char *opt)
{
    if (strlen(arg) != SP_ACGME_ID_LEN || strspn(arg, "0123456789") != SP_ACGME_ID_LEN)
        return sp_cli_fail(SP_EXIT_USAGE, "%s: '%s' must be a 10-digit ACGME ID", opt, arg);
    if (*n == SP_PLAN_MAX_IDS)
        return sp_cli_fail(SP_EXIT_USAGE, "%s: at most %d programs", opt, SP_PLAN_MAX_IDS);
    memcpy(ids[(*n)++], arg, SP_ACGME_ID_LEN + 1);
    return 0;
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
    long n;
    double d;

    sp_plan_options_init(&o);
    sp_cli_parser_init(&parser, cmd);
    while ((c = sp_cli_next(&parser, argc, argv, &arg)) != -1) {
        switch (c) {
        case SP_CLI_HELP:
            return SP_EXIT_OK;
        case SP_CLI_BAD:
            return SP_EXIT_USAGE;
        case OPT_BUDGET:
            if (sp_parse_double(&d, arg) || d <= 0 || d > 100000)
                return sp_cli_fail(SP_EXIT_USAGE,
                                   "budget-usd: '%s' must be a number of dollars in (0, 100000]",
                                   arg);
            o.budget_usd = d;
            break;
        case OPT_MAX_APPS:
            if (sp_parse_long(&n, arg, 1, 2000))
                return sp_cli_fail(SP_EXIT_USAGE,
                                   "max-applications: '%s' must be a count from 1 to 2000", arg);
            o.max_applications = (int)n;
            break;
        case OPT_TARGET:
            if (sp_parse_double(&d, arg) || d <= 0 || d >= 1)
                return sp_cli_fail(SP_EXIT_USAGE, "target: '%s' must be a probability in (0, 1)",
                                   arg);
            o.target_p_match = d;
            break;
        case OPT_OBJECTIVE:
            if (strcmp(arg, "utility") == 0)
                o.objective = SP_OBJ_UTILITY;
            else if (strcmp(arg, "match") == 0)
                o.objective = SP_OBJ_MATCH;
            else if (strcmp(arg, "min-cost") == 0)
                o.objective = SP_OBJ_MIN_COST;
            else
                return sp_cli_fail(SP_EXIT_USAGE,
                                   "objective: '%s' must be utility, match or min-cost", arg);
            break;
        case OPT_INCLUDE:
            if (add_id(o.include, &o.n_include, arg, "include"))
                return SP_EXIT_USAGE;
            break;
        case OPT_EXCLUDE:
            if (add_id(o.exclude, &o.n_exclude, arg, "exclude"))
                return SP_EXIT_USAGE;
            break;
        case OPT_MIN:
            if (parse_spec_count(o.min_per_specialty, arg, "min"))
                return SP_EXIT_USAGE;
            break;
        case OPT_MAX:
            if (parse_spec_count(o.max_per_specialty, arg, "max"))
                return SP_EXIT_USAGE;
            break;
        case OPT_PER_CITY:
            if (sp_parse_long(&n, arg, 1, 1000))
                return sp_cli_fail(SP_EXIT_USAGE, "per-city: '%s' must be a count from 1", arg);
            o.max_per_city = (int)n;
            break;
        case OPT_MIN_GAIN:
            if (sp_parse_double(&d, arg) || d < 0 || d > 1)
                return sp_cli_fail(SP_EXIT_USAGE, "min-gain: '%s' must be in [0, 1]", arg);
            o.min_gain = d;
            break;
        case OPT_PGY1:
            if (sp_parse_long(&n, arg, 0, 100))
                return sp_cli_fail(SP_EXIT_USAGE, "pgy1: '%s' must be a count from 0 to 100",
                                   arg);
            o.pgy1_applications = (int)n;
            break;
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
    if (o.budget_usd > 0 && o.max_applications > 0)
        return sp_cli_fail(SP_EXIT_USAGE, "budget-usd, max-applications: give one budget");

    rc = sp_app_load_profile(&p, argv[optind], &err);
    if (rc)
        return sp_cli_fail_err(rc == SP_EIO ? SP_EXIT_ERROR : SP_EXIT_USAGE, &err);
    rc = sp_world_open(&w, db, model ? SP_MODEL_FILE : SP_MODEL_BUNDLED, model, &err);
    if (rc)
        return sp_cli_fail_err(SP_EXIT_ERROR, &err);
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
