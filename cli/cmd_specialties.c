/*
 * `smartpick specialties`: the specialty figures and profiles, with sources.
 */
#include "cli.h"
#include "world.h"

#include "render.h"

#include "banned.h"

const struct sp_cli_option sp_specialties_options[] = {
    {"format", SP_OPT_FORMAT, "FMT", "table (default), csv, json"},
    {"out", SP_OPT_OUT, "FILE", "write to FILE instead of standard output"},
    {"db", SP_OPT_DB, "PATH", "database file (default under $XDG_DATA_HOME/smartpick)"},
    SP_OPT_END,
};

int sp_cmd_specialties(const struct sp_cli_command *cmd, int argc, char **argv)
{
    struct sp_cli_parser parser;
    struct sp_err err = SP_ERR_INIT;
    struct sp_buf out = SP_BUF_INIT;
    const char *db = NULL, *out_path = NULL;
    enum sp_format fmt = SP_FMT_TEXT;
    sp_store *st = NULL;
    sp_catalog *cat = NULL;
    sp_facts *facts = NULL;
    int rc = SP_EXIT_OK;
    int c;
    char *arg;

    sp_cli_parser_init(&parser, cmd);
    while ((c = sp_cli_next(&parser, argc, argv, &arg)) != -1) {
        switch (c) {
        case SP_CLI_HELP:
            return SP_EXIT_OK;
        case SP_CLI_BAD:
            return SP_EXIT_USAGE;
        case SP_OPT_FORMAT:
            if (sp_format_parse(&fmt, arg, &err))
                return sp_cli_fail_err(SP_EXIT_USAGE, &err);
            break;
        case SP_OPT_OUT:
            out_path = arg;
            break;
        case SP_OPT_DB:
            db = arg;
            break;
        }
    }
    if (optind < argc)
        return sp_cli_fail(SP_EXIT_USAGE, "specialties: unexpected argument '%s'", argv[optind]);
    if (sp_app_open_store(&st, db, &err) || sp_store_load_catalog(st, &cat, &err) ||
        sp_store_load_facts(st, &facts, &err)) {
        rc = sp_cli_fail_err(SP_EXIT_ERROR, &err);
        goto out;
    }
    sp_render_specialties(&out, fmt, facts, cat);
    if (sp_cli_write(&out, out_path, &err))
        rc = sp_cli_fail_err(SP_EXIT_ERROR, &err);
out:
    sp_facts_free(facts);
    sp_catalog_free(cat);
    sp_store_close(st);
    sp_buf_release(&out);
    return rc;
}
