/*
 * plan_options.h - the `smartpick plan` options (budget, objective, limits...) as
 * one table, for both edges: the CLI's flags and their --help lines
 * (--budget-usd 2500), the API's "options" object ({"budget_usd": 2500}) and GET
 * /api/v1/plan-options all come from it, and every value is checked here by the
 * same rule with the same message, "<name>: '<value>' <rule>", where name is
 * whatever the caller calls the option ("budget-usd" on the command line,
 * "options.budget_usd" in the API) and is also the error's field.
 */
#ifndef SP_APP_PLAN_OPTIONS_H
#define SP_APP_PLAN_OPTIONS_H

#include "smartpick/error.h"
#include "smartpick/plan/plan.h"

#include <stdbool.h>

enum sp_plan_opt {
    SP_POPT_BUDGET_USD,
    SP_POPT_MAX_APPLICATIONS,
    SP_POPT_TARGET,
    SP_POPT_OBJECTIVE,
    SP_POPT_INCLUDE,
    SP_POPT_EXCLUDE,
    SP_POPT_MIN,
    SP_POPT_MAX,
    SP_POPT_PER_CITY,
    SP_POPT_MIN_GAIN,
    SP_POPT_PGY1,
    SP_POPT_COUNT
};

/* What kind of value an option takes. */
enum sp_plan_opt_kind {
    SP_POPT_KIND_NUMBER,     /* a decimal number (dollars, probability) */
    SP_POPT_KIND_COUNT,      /* a whole number */
    SP_POPT_KIND_WORD,       /* one of a few words (objective) */
    SP_POPT_KIND_ID,         /* a 10-digit ACGME ID, repeatable */
    SP_POPT_KIND_SPEC_COUNT, /* SPEC=N, repeatable */
};

/* One option of the table. Ranges: a number or count must lie in [min, max] (open
 * at an end marked so); a SPEC=N count in [min, max]; at most max IDs. */
struct sp_plan_opt_info {
    const char *json; /* API key: "budget_usd" */
    const char *cli;  /* flag, without the dashes: "budget-usd" */
    const char *arg;  /* the value in the usage text: "N" */
    enum sp_plan_opt_kind kind;
    double min, max;
    bool min_open, max_open;
    const char *rule;  /* what a bad value breaks: "must be a count from 1 to 2000" */
    const char *help;  /* the --help line */
    bool help_default; /* append the default, " (15)", to the help line */
};

/* The option's entry (static storage); which must be < SP_POPT_COUNT. */
const struct sp_plan_opt_info *sp_plan_opt_info(enum sp_plan_opt which);
/* The option whose API key is key; SP_ENOTFOUND otherwise. */
int sp_plan_opt_from_json_name(enum sp_plan_opt *out, const char *key);
/* The kind's name in GET /api/v1/plan-options: "number", "integer", "enum", "ids",
 * "spec_count". */
const char *sp_plan_opt_kind_name(enum sp_plan_opt_kind kind);
/* The i-th word a SP_POPT_KIND_WORD option takes, or NULL past the last. */
const char *sp_plan_opt_word(enum sp_plan_opt which, int i);
/* The value of a number or count option in o (after sp_plan_options_init: its
 * default) into *out; false for other kinds and for a value outside the option's
 * range, which means none (a budget of 0 is the profile's, 0 per city no limit). */
bool sp_plan_opt_number(const struct sp_plan_options *o, enum sp_plan_opt which, double *out);
/* The option's --help line into buf: the help text, with the default of
 * sp_plan_options_init when help_default. Returns buf. */
const char *sp_plan_opt_help(char *buf, size_t cap, enum sp_plan_opt which);

/*
 * Set an option from its text as typed on a command line: "2500", "utility",
 * "4164800001", "DR=10". name labels the option in messages. SP_EINVAL with
 * err->msg "<name>: '<text>' <rule>".
 */
int sp_plan_opt_set_text(struct sp_plan_options *o, enum sp_plan_opt which, const char *text,
                         const char *name, struct sp_err *err);

/*
 * Set a SP_POPT_KIND_NUMBER or SP_POPT_KIND_COUNT option from a number already parsed (an
 * API value). shown is the value as the user wrote it, for the message. A count
 * must be whole. SP_EINVAL as above.
 */
int sp_plan_opt_set_number(struct sp_plan_options *o, enum sp_plan_opt which, double v,
                           const char *shown, const char *name, struct sp_err *err);

/*
 * Set SP_POPT_MIN or SP_POPT_MAX for one specialty code (as written) to n.
 * shown_n is n as the user wrote it. SP_EINVAL as above (an unknown code gets a
 * suggestion).
 */
int sp_plan_opt_set_spec_count(struct sp_plan_options *o, enum sp_plan_opt which, const char *code,
                               double n, const char *shown_n, const char *name, struct sp_err *err);

/* The rules between options, after all are set: one budget, not two. budget_name
 * and max_name label the two options (the field is budget_name). */
int sp_plan_options_check(const struct sp_plan_options *o, const char *budget_name,
                          const char *max_name, struct sp_err *err);

#endif
