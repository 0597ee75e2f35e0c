/*
 * plan_options.h - the `smartpick plan` options (budget, objective, limits...),
 * validated in one place for both edges: the CLI's flags (--budget-usd 2500) and
 * the API's "options" object ({"budget_usd": 2500}) obey the same rules and give
 * the same messages, "<name>: '<value>' <rule>", where name is whatever the caller
 * calls the option ("budget-usd" on the command line, "options.budget_usd" in
 * the API).
 */
#ifndef SP_APP_PLAN_OPTIONS_H
#define SP_APP_PLAN_OPTIONS_H

#include "smartpick/error.h"
#include "smartpick/plan/plan.h"

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

/* The option's command-line name ("budget-usd") and API key ("budget_usd"). */
const char *sp_plan_opt_cli_name(enum sp_plan_opt which);
const char *sp_plan_opt_json_name(enum sp_plan_opt which);
enum sp_plan_opt_kind sp_plan_opt_kind(enum sp_plan_opt which);
/* The option whose API key is key; SP_ENOTFOUND otherwise. */
int sp_plan_opt_from_json_name(enum sp_plan_opt *out, const char *key);

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
 * and max_name label the two options. */
int sp_plan_options_check(const struct sp_plan_options *o, const char *budget_name,
                          const char *max_name, struct sp_err *err);

#endif
