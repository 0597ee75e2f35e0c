/*
 * `smartpick import FILE.csv...`: each file in its own transaction; a file with a
 * broken row changes nothing and is reported as file:line:column.
 */
#include "cli.h"
#include "world.h"

#include "sp_str.h"

#include <stdio.h>

#include "banned.h"

#define IMPORT_FILE_MAX (64u << 20)

const struct sp_cli_option sp_import_options[] = {
    {"db", SP_OPT_DB, "PATH", "database file (default under $XDG_DATA_HOME/smartpick)"},
    SP_OPT_END,
};

const char sp_import_details[] =
    "Columns (header names, any order): acgme_id (required); for a program new to the\n"
    "catalog also specialty, institution, city, state (latitude, longitude optional);\n"
    "optional values: positions, program_type (academic|community), esir (yes|no),\n"
    "median_step2, pct_img, pct_do, visa_sponsorship (none|j1|j1_h1b), signals_accepted\n"
    "(yes|no), new_program, osteopathic_recognized. Empty cells leave values unchanged.\n"
    "Imported values are labeled source 'user' and override estimates. See docs/DATA.md.\n";

int sp_cmd_import(const struct sp_cli_command *cmd, int argc, char **argv)
{
    struct sp_cli_parser parser;
    struct sp_err err = SP_ERR_INIT;
    const char *db = NULL;
    sp_store *st = NULL;
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
        case SP_OPT_DB:
            db = arg;
            break;
        }
    }
    if (optind >= argc)
        return sp_cli_fail(SP_EXIT_USAGE, "import: name at least one CSV file");
    if (sp_app_open_store(&st, db, &err)) {
        rc = sp_cli_fail_err(SP_EXIT_ERROR, &err);
        goto out;
    }
    for (int i = optind; i < argc; i++) {
        struct sp_buf data = {NULL, 0, 0, IMPORT_FILE_MAX};
        struct sp_import_stats stats;
        int frc = sp_read_file(&data, argv[i], &err);
        if (!frc)
            frc = sp_store_import_csv(st, argv[i], sp_buf_cstr(&data), data.len, &stats, &err);
        sp_buf_release(&data);
        if (frc) {
            rc = sp_cli_fail_err(frc == SP_EIO || frc == SP_EDB ? SP_EXIT_ERROR : SP_EXIT_USAGE,
                                 &err);
            fprintf(stderr, "smartpick: %s: nothing imported from this file\n", argv[i]);
            continue;
        }
        printf("%s: %zu rows: %zu programs added, %zu updated\n", argv[i], stats.rows,
               stats.added, stats.updated);
    }
out:
    sp_store_close(st);
    return rc;
}
