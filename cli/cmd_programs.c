/*
 * `smartpick programs`: filter the catalog by specialty, place and flags; print
 * as a table, CSV or JSON.
 */
#include "cli.h"
#include "world.h"

#include "names.h"
#include "render.h"
#include "smartpick/catalog/filter.h"
#include "sp_str.h"

#include <stdlib.h>
#include <string.h>

#include "banned.h"

enum {
    OPT_SPECIALTY = 's',
    OPT_STATE = SP_OPT_FIRST_FREE,
    OPT_DIVISION,
    OPT_NEAR,
    OPT_ZIP,
    OPT_RADIUS,
    OPT_ESIR,
    OPT_NEW,
    OPT_DO_FRIENDLY,
    OPT_SORT,
};

#define MAX_STATES 64

const struct sp_cli_option sp_programs_options[] = {
    {"specialty", OPT_SPECIALTY, "CODE", "IR DR IM GS VS ANES EM NEURO PMR (repeatable)"},
    {"state", OPT_STATE, "ST", "two-letter state code (repeatable)"},
    {"division", OPT_DIVISION, "NAME", "Census division, e.g. west_south_central (repeatable)"},
    {"near", OPT_NEAR, "\"CITY, ST\"", "measure distances from this city"},
    {"zip", OPT_ZIP, "NNNNN", "measure distances from this ZIP code"},
    {"radius", OPT_RADIUS, "MILES", "only programs within MILES of --near/--zip"},
    {"esir", OPT_ESIR, NULL, "only DR programs known to offer ESIR"},
    {"new", OPT_NEW, NULL, "only programs new in ERAS 2026"},
    {"do-friendly", OPT_DO_FRIENDLY, NULL, "only osteopathic-recognized (or known DO) programs"},
    {"sort", OPT_SORT, "KEY", "id (default), name, distance (default with a place), state"},
    {"format", SP_OPT_FORMAT, "FMT", "table (default), csv, json"},
    {"out", SP_OPT_OUT, "FILE", "write to FILE instead of standard output"},
    {"db", SP_OPT_DB, "PATH", "database file (default under $XDG_DATA_HOME/smartpick)"},
    SP_OPT_END,
};

const char sp_programs_details[] =
    "Distances are great-circle miles between city centroids (GeoNames, CC BY 4.0).\n"
    "Examples:\n"
    "  smartpick programs --specialty IR --near \"Dallas, TX\" --radius 300\n"
    "  smartpick programs --zip 75390 --radius 50 --specialty IR --format csv\n";

int sp_cmd_programs(const struct sp_cli_command *cmd, int argc, char **argv)
{
    struct sp_filter f = SP_FILTER_INIT;
    struct sp_cli_parser parser;
    struct sp_err err = SP_ERR_INIT;
    struct sp_buf out = SP_BUF_INIT;
    const char *states[MAX_STATES];
    const char *db = NULL, *near = NULL, *zip = NULL, *out_path = NULL;
    enum sp_format fmt = SP_FMT_TEXT;
    bool sort_given = false;
    sp_store *st = NULL;
    sp_catalog *cat = NULL;
    struct sp_program_hit *hits = NULL;
    size_t n_hits = 0;
    int rc = SP_EXIT_OK;
    int c;
    char *arg;

    f.states = states;
    sp_cli_parser_init(&parser, cmd);
    while ((c = sp_cli_next(&parser, argc, argv, &arg)) != -1) {
        enum sp_specialty s;
        enum sp_division d;
        switch (c) {
        case SP_CLI_HELP:
            return SP_EXIT_OK;
        case SP_CLI_BAD:
            return SP_EXIT_USAGE;
        case OPT_SPECIALTY:
            if (sp_specialty_parse(&s, arg))
                return sp_cli_fail(SP_EXIT_USAGE,
                                   "specialty: '%s' is not one of IR DR IM GS VS ANES EM NEURO "
                                   "PMR (did you mean %s?)",
                                   arg, sp_specialty_suggest(arg));
            f.specialties |= 1u << s;
            break;
        case OPT_STATE:
            if (strlen(arg) != 2)
                return sp_cli_fail(SP_EXIT_USAGE, "state: '%s' must be a two-letter code", arg);
            if (f.n_states == MAX_STATES)
                return sp_cli_fail(SP_EXIT_USAGE, "state: at most %d states", MAX_STATES);
            states[f.n_states++] = arg;
            break;
        case OPT_DIVISION:
            if (sp_division_parse(&d, arg))
                return sp_cli_fail(SP_EXIT_USAGE,
                                   "division: '%s' is not a Census division (new_england, "
                                   "middle_atlantic, east_north_central, west_north_central, "
                                   "south_atlantic, east_south_central, west_south_central, "
                                   "mountain, pacific)",
                                   arg);
            f.divisions |= 1u << d;
            break;
        case OPT_NEAR:
            near = arg;
            break;
        case OPT_ZIP:
            zip = arg;
            break;
        case OPT_RADIUS:
            if (sp_parse_double(&f.radius_miles, arg) || f.radius_miles <= 0 ||
                f.radius_miles > 10000)
                return sp_cli_fail(SP_EXIT_USAGE,
                                   "radius: '%s' must be a number of miles in (0, 10000]", arg);
            break;
        case OPT_ESIR:
            f.esir_only = true;
            break;
        case OPT_NEW:
            f.new_only = true;
            break;
        case OPT_DO_FRIENDLY:
            f.do_friendly = true;
            break;
        case OPT_SORT:
            if (sp_sort_parse(&f.sort, arg))
                return sp_cli_fail(SP_EXIT_USAGE,
                                   "sort: '%s' must be one of id, name, distance, state", arg);
            sort_given = true;
            break;
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
        return sp_cli_fail(SP_EXIT_USAGE, "programs: unexpected argument '%s'", argv[optind]);
    if (near && zip)
        return sp_cli_fail(SP_EXIT_USAGE, "near, zip: give one place, not both");
    if (f.radius_miles > 0 && !near && !zip)
        return sp_cli_fail(SP_EXIT_USAGE, "radius: needs --near \"City, ST\" or --zip NNNNN");

    if (sp_app_open_store(&st, db, &err)) {
        rc = sp_cli_fail_err(SP_EXIT_ERROR, &err);
        goto out;
    }
    if (near || zip) {
        int frc = near ? sp_store_find_city(st, near, "--zip", &f.origin, &err)
                       : sp_store_find_zip(st, zip, &f.origin, &err);
        if (frc) {
            rc = sp_cli_fail_err(sp_cli_exit_for(frc), &err);
            goto out;
        }
        f.has_origin = true;
        if (!sort_given)
            f.sort = SP_SORT_DISTANCE;
    }
    if (sp_store_load_catalog(st, &cat, &err) || sp_filter_run(&hits, &n_hits, cat, &f, &err)) {
        rc = sp_cli_fail_err(sp_cli_exit_for(err.code), &err);
        goto out;
    }
    sp_render_programs(&out, fmt, hits, n_hits, f.has_origin);
    if (sp_cli_write(&out, out_path, &err))
        rc = sp_cli_fail_err(SP_EXIT_ERROR, &err);
out:
    free(hits);
    sp_catalog_free(cat);
    sp_store_close(st);
    sp_buf_release(&out);
    return rc;
}
