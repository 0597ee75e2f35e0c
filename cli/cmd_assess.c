/*
 * `smartpick assess PROFILE`: P(match) per specialty with its interval, the tier,
 * the factors behind it and the changes that would help most.
 */
#include "cli.h"

#include "render_assess.h"

#include "banned.h"

static int assess_run(struct sp_cli *c)
{
    struct sp_assessment a;
    struct sp_err err = SP_ERR_INIT;

    if (sp_assess(&a, &c->w.model, c->w.cat, c->w.q, &c->profile, &err))
        return sp_cli_fail_err(SP_EXIT_ERROR, &err);
    sp_render_assessment(&c->out, sp_out_format(c->format), &a, &c->profile);
    return SP_EXIT_OK;
}

const struct sp_cli_command sp_cmd_assess = {
    .name = "assess",
    .summary = "Your P(match) per specialty with an 80% interval, your tier, and what would help.",
    .synopsis = "PROFILE.json",
    .setup = SP_CLI_FORMAT | SP_CLI_OUT | SP_CLI_MODEL | SP_CLI_DB | SP_CLI_WORLD | SP_CLI_PROFILE,
    .formats = SP_OUT_BIT(SP_OUT_TEXT) | SP_OUT_BIT(SP_OUT_JSON) | SP_OUT_TABLE_WORD,
    .format_help = "text (default) or json",
    .format_rule = "must be text or json",
    .run = assess_run,
};
