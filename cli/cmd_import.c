/*
 * `smartpick import FILE.csv...`: each file in its own transaction; a file with a
 * broken row changes nothing and is reported as file:line:column.
 */
#include "cli.h"

#include "sp_str.h"

#include <stdio.h>

#include "banned.h"

#define IMPORT_FILE_MAX (64u << 20)

static int import_prepare(struct sp_cli *c)
{
    if (c->argc < 1)
        return sp_cli_fail(SP_EXIT_USAGE, "import: name at least one CSV file");
    return 0;
}

static int import_run(struct sp_cli *c)
{
    struct sp_err err = SP_ERR_INIT;
    int rc = SP_EXIT_OK;

    for (int i = 0; i < c->argc; i++) {
        struct sp_buf data = {NULL, 0, 0, IMPORT_FILE_MAX};
        struct sp_import_stats stats;
        int frc = sp_read_file(&data, c->argv[i], &err);
        if (!frc)
            frc = sp_store_import_csv(c->store, c->argv[i], sp_buf_cstr(&data), data.len, &stats,
                                      &err);
        sp_buf_release(&data);
        if (frc) {
            rc = sp_cli_fail_err(frc == SP_EIO || frc == SP_EDB ? SP_EXIT_ERROR : SP_EXIT_USAGE,
                                 &err);
            fprintf(stderr, "smartpick: %s: nothing imported from this file\n", c->argv[i]);
            continue;
        }
        printf("%s: %zu rows: %zu programs added, %zu updated\n", c->argv[i], stats.rows,
               stats.added, stats.updated);
    }
    return rc;
}

const struct sp_cli_command sp_cmd_import = {
    .name = "import",
    .summary = "Load your own program CSV into the catalog (all or nothing).",
    .synopsis = "FILE.csv...",
    .details =
        "Columns (header names, any order): acgme_id (required); for a program new to the\n"
        "catalog also specialty, institution, city, state (latitude, longitude optional);\n"
        "optional values: positions, program_type (academic|community), esir (yes|no),\n"
        "median_step2, pct_img, pct_do, visa_sponsorship (none|j1|j1_h1b), signals_accepted\n"
        "(yes|no), school_nih_musd (school of medicine's NIH dollars, millions), new_program,\n"
        "osteopathic_recognized. Empty cells leave values unchanged. Imported values are\n"
        "labeled source 'user' and override bundled values and estimates. See docs/DATA.md.\n",
    .setup = SP_CLI_DB | SP_CLI_STORE,
    .prepare = import_prepare,
    .run = import_run,
};
