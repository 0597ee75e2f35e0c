/*
 * The plan options' rules and messages, shared by `smartpick plan` (flags) and
 * POST /api/v1/plan ("options"): one table of names and kinds, one range check
 * per option, so the two edges cannot drift apart.
 */
#include "plan_options.h"

#include "smartpick/catalog/specialty.h"
#include "sp_str.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "banned.h"

static const struct {
    const char *cli, *json;
    enum sp_plan_opt_kind kind;
} opts[SP_POPT_COUNT] = {
    [SP_POPT_BUDGET_USD] = {"budget-usd", "budget_usd", SP_POPT_KIND_NUMBER},
    [SP_POPT_MAX_APPLICATIONS] = {"max-applications", "max_applications", SP_POPT_KIND_COUNT},
    [SP_POPT_TARGET] = {"target", "target", SP_POPT_KIND_NUMBER},
    [SP_POPT_OBJECTIVE] = {"objective", "objective", SP_POPT_KIND_WORD},
    [SP_POPT_INCLUDE] = {"include", "include", SP_POPT_KIND_ID},
    [SP_POPT_EXCLUDE] = {"exclude", "exclude", SP_POPT_KIND_ID},
    [SP_POPT_MIN] = {"min", "min", SP_POPT_KIND_SPEC_COUNT},
    [SP_POPT_MAX] = {"max", "max", SP_POPT_KIND_SPEC_COUNT},
    [SP_POPT_PER_CITY] = {"per-city", "per_city", SP_POPT_KIND_COUNT},
    [SP_POPT_MIN_GAIN] = {"min-gain", "min_gain", SP_POPT_KIND_NUMBER},
    [SP_POPT_PGY1] = {"pgy1", "pgy1", SP_POPT_KIND_COUNT},
};

const char *sp_plan_opt_cli_name(enum sp_plan_opt which)
{
    return (unsigned)which < SP_POPT_COUNT ? opts[which].cli : "?";
}

const char *sp_plan_opt_json_name(enum sp_plan_opt which)
{
    return (unsigned)which < SP_POPT_COUNT ? opts[which].json : "?";
}

enum sp_plan_opt_kind sp_plan_opt_kind(enum sp_plan_opt which)
{
    return (unsigned)which < SP_POPT_COUNT ? opts[which].kind : SP_POPT_KIND_WORD;
}

int sp_plan_opt_from_json_name(enum sp_plan_opt *out, const char *key)
{
    for (int i = 0; i < SP_POPT_COUNT; i++) {
        if (strcmp(key, opts[i].json) == 0) {
            *out = (enum sp_plan_opt)i;
            return 0;
        }
    }
    return SP_ENOTFOUND;
}

/* The rule each numeric option's value breaks, in the CLI's words. */
static int number_error(enum sp_plan_opt which, const char *shown, const char *name,
                        struct sp_err *err)
{
    const char *rule;

    switch (which) {
    case SP_POPT_BUDGET_USD:
        rule = "must be a number of dollars in (0, 100000]";
        break;
    case SP_POPT_MAX_APPLICATIONS:
        rule = "must be a count from 1 to 2000";
        break;
    case SP_POPT_TARGET:
        rule = "must be a probability in (0, 1)";
        break;
    case SP_POPT_PER_CITY:
        rule = "must be a count from 1";
        break;
    case SP_POPT_MIN_GAIN:
        rule = "must be in [0, 1]";
        break;
    case SP_POPT_PGY1:
        rule = "must be a count from 0 to 100";
        break;
    default:
        rule = "must be a number";
        break;
    }
    return sp_err_at(err, SP_EINVAL, SP_WHY_INVALID, name, ": '%s' %s", shown, rule);
}

static bool whole_in(double v, double lo, double hi)
{
    return v >= lo && v <= hi && v == floor(v);
}

int sp_plan_opt_set_number(struct sp_plan_options *o, enum sp_plan_opt which, double v,
                           const char *shown, const char *name, struct sp_err *err)
{
    if (!isfinite(v))
        return number_error(which, shown, name, err);
    switch (which) {
    case SP_POPT_BUDGET_USD:
        if (v <= 0 || v > 100000)
            return number_error(which, shown, name, err);
        o->budget_usd = v;
        return 0;
    case SP_POPT_MAX_APPLICATIONS:
        if (!whole_in(v, 1, 2000))
            return number_error(which, shown, name, err);
        o->max_applications = (int)v;
        return 0;
    case SP_POPT_TARGET:
        if (v <= 0 || v >= 1)
            return number_error(which, shown, name, err);
        o->target_p_match = v;
        return 0;
    case SP_POPT_PER_CITY:
        if (!whole_in(v, 1, 1000))
            return number_error(which, shown, name, err);
        o->max_per_city = (int)v;
        return 0;
    case SP_POPT_MIN_GAIN:
        if (v < 0 || v > 1)
            return number_error(which, shown, name, err);
        o->min_gain = v;
        return 0;
    case SP_POPT_PGY1:
        if (!whole_in(v, 0, 100))
            return number_error(which, shown, name, err);
        o->pgy1_applications = (int)v;
        return 0;
    default:
        return sp_err_at(err, SP_EINVAL, SP_WHY_INVALID, name, ": '%s' is not a number option",
                         shown);
    }
}

int sp_plan_opt_set_spec_count(struct sp_plan_options *o, enum sp_plan_opt which, const char *code,
                               double n, const char *shown_n, const char *name, struct sp_err *err)
{
    enum sp_specialty k;

    if (which != SP_POPT_MIN && which != SP_POPT_MAX)
        return sp_err_at(err, SP_EINVAL, SP_WHY_INVALID, name, ": not a per-specialty option");
    if (sp_specialty_parse(&k, code))
        return sp_err_at(err, SP_EINVAL, SP_WHY_INVALID, name,
                         ": '%s' is not a specialty (did you mean %s?)", code,
                         sp_specialty_suggest(code));
    if (!whole_in(n, 0, 1000))
        return sp_err_at(err, SP_EINVAL, SP_WHY_INVALID, name,
                         ": '%s' must be a count from 0 to 1000", shown_n);
    (which == SP_POPT_MIN ? o->min_per_specialty : o->max_per_specialty)[k] = (int)n;
    return 0;
}

static int add_id(char (*ids)[SP_ACGME_ID_LEN + 1], size_t *n, const char *text, const char *name,
                  struct sp_err *err)
{
    if (strlen(text) != SP_ACGME_ID_LEN || strspn(text, "0123456789") != SP_ACGME_ID_LEN)
        return sp_err_at(err, SP_EINVAL, SP_WHY_INVALID, name, ": '%s' must be a 10-digit ACGME ID",
                         text);
    if (*n == SP_PLAN_MAX_IDS)
        return sp_err_at(err, SP_EINVAL, SP_WHY_INVALID, name, ": at most %d programs",
                         SP_PLAN_MAX_IDS);
    memcpy(ids[(*n)++], text, SP_ACGME_ID_LEN + 1);
    return 0;
}

int sp_plan_opt_set_text(struct sp_plan_options *o, enum sp_plan_opt which, const char *text,
                         const char *name, struct sp_err *err)
{
    const char *eq;
    char code[16];
    double d;
    long n;

    switch (sp_plan_opt_kind(which)) {
    case SP_POPT_KIND_NUMBER:
        if (sp_parse_double(&d, text))
            return number_error(which, text, name, err);
        return sp_plan_opt_set_number(o, which, d, text, name, err);
    case SP_POPT_KIND_COUNT:
        /* Whole numbers only: "2.5" is refused here, not rounded. */
        if (sp_parse_long(&n, text, -1000000, 1000000))
            return number_error(which, text, name, err);
        return sp_plan_opt_set_number(o, which, (double)n, text, name, err);
    case SP_POPT_KIND_WORD:
        if (sp_objective_parse(&o->objective, text))
            return sp_err_at(err, SP_EINVAL, SP_WHY_INVALID, name,
                             ": '%s' must be utility, match or min-cost", text);
        return 0;
    case SP_POPT_KIND_ID:
        if (which == SP_POPT_INCLUDE)
            return add_id(o->include, &o->n_include, text, name, err);
        return add_id(o->exclude, &o->n_exclude, text, name, err);
    case SP_POPT_KIND_SPEC_COUNT:
        eq = strchr(text, '=');
        if (!eq || (size_t)(eq - text) >= sizeof(code))
            return sp_err_at(err, SP_EINVAL, SP_WHY_INVALID, name,
                             ": '%s' must be SPEC=N, e.g. DR=20", text);
        memcpy(code, text, (size_t)(eq - text));
        code[eq - text] = '\0';
        /* The code first, as before: "XX=abc" names the specialty. */
        {
            enum sp_specialty k;
            if (sp_specialty_parse(&k, code))
                return sp_err_at(err, SP_EINVAL, SP_WHY_INVALID, name,
                                 ": '%s' is not a specialty (did you mean %s?)", code,
                                 sp_specialty_suggest(code));
        }
        if (sp_parse_long(&n, eq + 1, 0, 1000))
            return sp_err_at(err, SP_EINVAL, SP_WHY_INVALID, name,
                             ": '%s' must be a count from 0 to 1000", eq + 1);
        return sp_plan_opt_set_spec_count(o, which, code, (double)n, eq + 1, name, err);
    }
    return SP_EINVAL;
}

int sp_plan_options_check(const struct sp_plan_options *o, const char *budget_name,
                          const char *max_name, struct sp_err *err)
{
    if (o->budget_usd > 0 && o->max_applications > 0)
        return sp_err_at(err, SP_EINVAL, SP_WHY_INVALID, budget_name, ", %s: give one budget",
                         max_name);
    return 0;
}
