/*
 * `smartpick fit PROFILE`: the backup specialties ranked by fit to the student's
 * values and to the road toward IR, with the student's P(match) in each.
 */
#include "cli.h"

#include "render_assess.h"

#include "banned.h"

static int fit_run(struct sp_cli *c)
{
    struct sp_profile all = c->profile;
    struct sp_assessment a;
    struct sp_fit_row rows[SP_SPEC_COUNT];
    double p_match[SP_SPEC_COUNT] = {0};
    struct sp_err err = SP_ERR_INIT;
    size_t n;

    /* Every specialty's odds, whatever the profile lists. */
    all.n_specialties = 0;
    if (sp_assess(&a, &c->w.model, c->w.cat, c->w.q, &all, &err))
        return sp_cli_fail_err(SP_EXIT_ERROR, &err);
    for (size_t i = 0; i < a.n_spec; i++)
        p_match[a.spec[i].code] = a.spec[i].p_match;
    n = sp_fit(rows, c->w.facts, &c->profile, p_match);
    sp_render_fit(&c->out, sp_out_format(c->format), rows, n, &c->profile);
    return SP_EXIT_OK;
}

const struct sp_cli_command sp_cmd_fit = {
    .name = "fit",
    .summary = "Rank the backup specialties by fit to your values and the road to IR.",
    .synopsis = "PROFILE.json",
    .setup = SP_CLI_FORMAT | SP_CLI_OUT | SP_CLI_MODEL | SP_CLI_DB | SP_CLI_WORLD | SP_CLI_PROFILE,
    .formats = SP_OUT_BIT(SP_OUT_TEXT) | SP_OUT_BIT(SP_OUT_JSON) | SP_OUT_TABLE_WORD,
    .format_help = "text (default) or json",
    .format_rule = "must be text or json",
    .run = fit_run,
};
