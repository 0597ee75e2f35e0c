/*
 * The plan options' table, rules and messages, shared by `smartpick plan` (flags
 * and --help), POST /api/v1/plan ("options") and GET /api/v1/plan-options: one row
 * per option with its names, kind, range, rule and help, so the edges cannot drift
 * apart.
 */
#include "plan_options.h"

#include "smartpick/catalog/specialty.h"
#include "sp_str.h"

#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "banned.h"

#define ID_RULE "must be a 10-digit ACGME ID"
#define SPEC_RULE "must be a count from 0 to 1000"

static const struct sp_plan_opt_info opts[SP_POPT_COUNT] = {
    [SP_POPT_BUDGET_USD] = {"budget_usd", "budget-usd", "N", SP_POPT_KIND_NUMBER, 0, 100000, true,
                            false, "must be a number of dollars in (0, 100000]",
                            "spend at most N dollars (default: the profile's)", false},
    [SP_POPT_MAX_APPLICATIONS] = {"max_applications", "max-applications", "N", SP_POPT_KIND_COUNT,
                                  1, 2000, false, false, "must be a count from 1 to 2000",
                                  "apply to at most N programs", false},
    [SP_POPT_TARGET] = {"target", "target", "P", SP_POPT_KIND_NUMBER, 0, 1, true, true,
                        "must be a probability in (0, 1)",
                        "target P(match), 0-1 (default: the profile's)", false},
    [SP_POPT_OBJECTIVE] = {"objective", "objective", "OBJ", SP_POPT_KIND_WORD, 0, 0, false, false,
                           "must be utility, match or min-cost",
                           "utility (default), match, or min-cost", false},
    [SP_POPT_INCLUDE] = {"include", "include", "ACGME_ID", SP_POPT_KIND_ID, 0, SP_PLAN_MAX_IDS,
                         false, false, ID_RULE, "always apply to this program (repeatable)", false},
    [SP_POPT_EXCLUDE] = {"exclude", "exclude", "ACGME_ID", SP_POPT_KIND_ID, 0, SP_PLAN_MAX_IDS,
                         false, false, ID_RULE, "never apply to this program (repeatable)", false},
    [SP_POPT_MIN] = {"min", "min", "SPEC=N", SP_POPT_KIND_SPEC_COUNT, 0, 1000, false, false,
                     SPEC_RULE, "at least N applications to a specialty (repeatable)", false},
    [SP_POPT_MAX] = {"max", "max", "SPEC=N", SP_POPT_KIND_SPEC_COUNT, 0, 1000, false, false,
                     SPEC_RULE, "at most N applications to a specialty (repeatable)", false},
    [SP_POPT_PER_CITY] = {"per_city", "per-city", "N", SP_POPT_KIND_COUNT, 1, 1000, false, false,
                          "must be a count from 1", "at most N programs in any one city", false},
    [SP_POPT_MIN_GAIN] = {"min_gain", "min-gain", "X", SP_POPT_KIND_NUMBER, 0, 1, false, false,
                          "must be in [0, 1]", "skip applications adding less expected value",
                          true},
    [SP_POPT_PGY1] = {"pgy1", "pgy1", "N", SP_POPT_KIND_COUNT, 0, 100, false, false,
                      "must be a count from 0 to 100",
                      "preliminary/transitional applications for advanced IR/DR", true},
};

/* Where a number or count option lives in struct sp_plan_options: a double for
 * SP_POPT_KIND_NUMBER, an int for SP_POPT_KIND_COUNT; NULL for the other kinds. */
static void *field_at(struct sp_plan_options *o, enum sp_plan_opt which)
{
    static const size_t off[SP_POPT_COUNT] = {
        [SP_POPT_BUDGET_USD] = offsetof(struct sp_plan_options, budget_usd),
        [SP_POPT_TARGET] = offsetof(struct sp_plan_options, target_p_match),
        [SP_POPT_MIN_GAIN] = offsetof(struct sp_plan_options, min_gain),
        [SP_POPT_MAX_APPLICATIONS] = offsetof(struct sp_plan_options, max_applications),
        [SP_POPT_PER_CITY] = offsetof(struct sp_plan_options, max_per_city),
        [SP_POPT_PGY1] = offsetof(struct sp_plan_options, pgy1_applications),
    };

    if ((unsigned)which >= SP_POPT_COUNT ||
        (opts[which].kind != SP_POPT_KIND_NUMBER && opts[which].kind != SP_POPT_KIND_COUNT))
        return NULL;
    return (char *)o + off[which];
}

const struct sp_plan_opt_info *sp_plan_opt_info(enum sp_plan_opt which)
{
    return &opts[(unsigned)which < SP_POPT_COUNT ? which : 0];
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

const char *sp_plan_opt_kind_name(enum sp_plan_opt_kind kind)
{
    static const char *const names[] = {
        [SP_POPT_KIND_NUMBER] = "number",
        [SP_POPT_KIND_COUNT] = "integer",
        [SP_POPT_KIND_WORD] = "enum",
        [SP_POPT_KIND_ID] = "ids",
        [SP_POPT_KIND_SPEC_COUNT] = "spec_count",
    };

    return (unsigned)kind <= SP_POPT_KIND_SPEC_COUNT ? names[kind] : "?";
}

const char *sp_plan_opt_word(enum sp_plan_opt which, int i)
{
    if (which != SP_POPT_OBJECTIVE || i < 0 || i > SP_OBJ_MIN_COST)
        return NULL;
    return sp_objective_name((enum sp_objective)i);
}

static bool in_range(const struct sp_plan_opt_info *info, double v)
{
    if (!isfinite(v) || v < info->min || v > info->max)
        return false;
    if ((info->min_open && v == info->min) || (info->max_open && v == info->max))
        return false;
    return info->kind != SP_POPT_KIND_COUNT || v == floor(v);
}

bool sp_plan_opt_number(const struct sp_plan_options *o, enum sp_plan_opt which, double *out)
{
    struct sp_plan_options copy = *o;
    const void *f = field_at(&copy, which);

    if (!f)
        return false;
    *out = opts[which].kind == SP_POPT_KIND_NUMBER ? *(const double *)f : *(const int *)f;
    /* Outside the range is "none": 0 dollars is the profile's budget, 0 per city no limit. */
    return in_range(&opts[which], *out);
}

const char *sp_plan_opt_help(char *buf, size_t cap, enum sp_plan_opt which)
{
    struct sp_plan_options o;
    double v;

    sp_plan_options_init(&o);
    if (opts[which].help_default && sp_plan_opt_number(&o, which, &v))
        snprintf(buf, cap, "%s (%g)", opts[which].help, v);
    else
        snprintf(buf, cap, "%s", opts[which].help);
    return buf;
}

static int rule_error(enum sp_plan_opt which, const char *shown, const char *name,
                      struct sp_err *err)
{
    return sp_err_at(err, SP_EINVAL, SP_WHY_INVALID, name, ": '%s' %s", shown, opts[which].rule);
}

int sp_plan_opt_set_number(struct sp_plan_options *o, enum sp_plan_opt which, double v,
                           const char *shown, const char *name, struct sp_err *err)
{
    void *f = field_at(o, which);

    if (!f)
        return sp_err_at(err, SP_EINVAL, SP_WHY_INVALID, name, ": '%s' is not a number option",
                         shown);
    if (!in_range(&opts[which], v))
        return rule_error(which, shown, name, err);
    if (opts[which].kind == SP_POPT_KIND_NUMBER)
        *(double *)f = v;
    else
        *(int *)f = (int)v;
    return 0;
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
    if (!in_range(&opts[which], n) || n != floor(n))
        return rule_error(which, shown_n, name, err);
    (which == SP_POPT_MIN ? o->min_per_specialty : o->max_per_specialty)[k] = (int)n;
    return 0;
}

static int add_id(char (*ids)[SP_ACGME_ID_LEN + 1], size_t *n, const char *text, const char *name,
                  struct sp_err *err)
{
    if (strlen(text) != SP_ACGME_ID_LEN || strspn(text, "0123456789") != SP_ACGME_ID_LEN)
        return sp_err_at(err, SP_EINVAL, SP_WHY_INVALID, name, ": '%s' %s", text, ID_RULE);
    if (*n == SP_PLAN_MAX_IDS)
        return sp_err_at(err, SP_EINVAL, SP_WHY_INVALID, name, ": at most %d programs",
                         SP_PLAN_MAX_IDS);
    memcpy(ids[(*n)++], text, SP_ACGME_ID_LEN + 1);
    return 0;
}

/* "DR=20": the code first, as before ("XX=abc" names the specialty), then the count. */
static int set_spec_text(struct sp_plan_options *o, enum sp_plan_opt which, const char *text,
                         const char *name, struct sp_err *err)
{
    const char *eq = strchr(text, '=');
    enum sp_specialty k;
    char code[16];
    long n;

    if (!eq || (size_t)(eq - text) >= sizeof(code))
        return sp_err_at(err, SP_EINVAL, SP_WHY_INVALID, name, ": '%s' must be SPEC=N, e.g. DR=20",
                         text);
    memcpy(code, text, (size_t)(eq - text));
    code[eq - text] = '\0';
    if (sp_specialty_parse(&k, code))
        return sp_err_at(err, SP_EINVAL, SP_WHY_INVALID, name,
                         ": '%s' is not a specialty (did you mean %s?)", code,
                         sp_specialty_suggest(code));
    if (sp_parse_long(&n, eq + 1, 0, 1000))
        return rule_error(which, eq + 1, name, err);
    return sp_plan_opt_set_spec_count(o, which, code, (double)n, eq + 1, name, err);
}

int sp_plan_opt_set_text(struct sp_plan_options *o, enum sp_plan_opt which, const char *text,
                         const char *name, struct sp_err *err)
{
    double d;
    long n;

    switch (sp_plan_opt_info(which)->kind) {
    case SP_POPT_KIND_NUMBER:
        if (sp_parse_double(&d, text))
            return rule_error(which, text, name, err);
        return sp_plan_opt_set_number(o, which, d, text, name, err);
    case SP_POPT_KIND_COUNT:
        /* Whole numbers only: "2.5" is refused here, not rounded. */
        if (sp_parse_long(&n, text, -1000000, 1000000))
            return rule_error(which, text, name, err);
        return sp_plan_opt_set_number(o, which, (double)n, text, name, err);
    case SP_POPT_KIND_WORD:
        if (sp_objective_parse(&o->objective, text))
            return rule_error(which, text, name, err);
        return 0;
    case SP_POPT_KIND_ID:
        if (which == SP_POPT_INCLUDE)
            return add_id(o->include, &o->n_include, text, name, err);
        return add_id(o->exclude, &o->n_exclude, text, name, err);
    case SP_POPT_KIND_SPEC_COUNT:
        return set_spec_text(o, which, text, name, err);
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
