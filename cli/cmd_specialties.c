/*
 * `smartpick specialties`: the specialty figures and profiles, with sources.
 */
#include "cli.h"

#include "render.h"

#include "banned.h"

static int specialties_run(struct sp_cli *c)
{
    struct sp_err err = SP_ERR_INIT;
    sp_catalog *cat = NULL;
    sp_facts *facts = NULL;
    int rc = SP_EXIT_OK;

    if (sp_store_load_catalog(c->store, &cat, &err) || sp_store_load_facts(c->store, &facts, &err))
        rc = sp_cli_fail_err(SP_EXIT_ERROR, &err);
    else
        sp_render_specialties(&c->out, sp_out_format(c->format), facts, cat);
    sp_facts_free(facts);
    sp_catalog_free(cat);
    return rc;
}

const struct sp_cli_command sp_cmd_specialties = {
    .name = "specialties",
    .summary = "Show the published figures for the nine specialties, with their sources.",
    .setup = SP_CLI_FORMAT | SP_CLI_OUT | SP_CLI_DB | SP_CLI_STORE,
    .formats = SP_OUT_BIT(SP_OUT_TEXT) | SP_OUT_BIT(SP_OUT_CSV) | SP_OUT_BIT(SP_OUT_JSON) |
               SP_OUT_TABLE_WORD,
    .format_help = "table (default), csv, json",
    .format_rule = "must be one of table, csv, json",
    .run = specialties_run,
};
