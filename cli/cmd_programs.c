/*
 * `smartpick programs`: filter the catalog by specialty, place and flags; print
 * as a table, CSV or JSON.
 */
#include "cli.h"

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

struct programs_state {
    struct sp_filter f;
    const char *states[MAX_STATES];
    const char *near, *zip;
    bool sort_given;
};

static const struct sp_cli_option programs_options[] = {
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
    SP_OPT_END,
};

static void programs_init(struct sp_cli *c)
{
    struct programs_state *s = c->state;

    s->f = (struct sp_filter)SP_FILTER_INIT;
    s->f.states = s->states;
}

/* The filters that name a value: a specialty, a state, a Census division. */
static int take_place(struct programs_state *s, int key, const char *arg)
{
    enum sp_specialty k;
    enum sp_division d;

    switch (key) {
    case OPT_SPECIALTY:
        if (sp_specialty_parse(&k, arg))
            return sp_cli_fail(SP_EXIT_USAGE,
                               "specialty: '%s' is not one of IR DR IM GS VS ANES EM NEURO PMR "
                               "(did you mean %s?)",
                               arg, sp_specialty_suggest(arg));
        s->f.specialties |= 1u << k;
        return 0;
    case OPT_STATE:
        if (strlen(arg) != 2)
            return sp_cli_fail(SP_EXIT_USAGE, "state: '%s' must be a two-letter code", arg);
        if (s->f.n_states == MAX_STATES)
            return sp_cli_fail(SP_EXIT_USAGE, "state: at most %d states", MAX_STATES);
        s->states[s->f.n_states++] = arg;
        return 0;
    default: /* OPT_DIVISION */
        if (sp_division_parse(&d, arg))
            return sp_cli_fail(SP_EXIT_USAGE,
                               "division: '%s' is not a Census division (new_england, "
                               "middle_atlantic, east_north_central, west_north_central, "
                               "south_atlantic, east_south_central, west_south_central, "
                               "mountain, pacific)",
                               arg);
        s->f.divisions |= 1u << d;
        return 0;
    }
}

static int programs_option(struct sp_cli *c, int key, const char *arg)
{
    struct programs_state *s = c->state;

    switch (key) {
    case OPT_SPECIALTY:
    case OPT_STATE:
    case OPT_DIVISION:
        return take_place(s, key, arg);
    case OPT_NEAR:
        s->near = arg;
        return 0;
    case OPT_ZIP:
        s->zip = arg;
        return 0;
    case OPT_RADIUS:
        if (sp_parse_double(&s->f.radius_miles, arg) || s->f.radius_miles <= 0 ||
            s->f.radius_miles > 10000)
            return sp_cli_fail(SP_EXIT_USAGE,
                               "radius: '%s' must be a number of miles in (0, 10000]", arg);
        return 0;
    case OPT_ESIR:
        s->f.esir_only = true;
        return 0;
    case OPT_NEW:
        s->f.new_only = true;
        return 0;
    case OPT_DO_FRIENDLY:
        s->f.do_friendly = true;
        return 0;
    case OPT_SORT:
        if (sp_sort_parse(&s->f.sort, arg))
            return sp_cli_fail(SP_EXIT_USAGE, "sort: '%s' must be one of id, name, distance, state",
                               arg);
        s->sort_given = true;
        return 0;
    }
    return 0;
}

static int programs_prepare(struct sp_cli *c)
{
    struct programs_state *s = c->state;

    if (s->near && s->zip)
        return sp_cli_fail(SP_EXIT_USAGE, "near, zip: give one place, not both");
    if (s->f.radius_miles > 0 && !s->near && !s->zip)
        return sp_cli_fail(SP_EXIT_USAGE, "radius: needs --near \"City, ST\" or --zip NNNNN");
    return 0;
}

static int programs_run(struct sp_cli *c)
{
    struct programs_state *s = c->state;
    struct sp_err err = SP_ERR_INIT;
    struct sp_program_hit *hits = NULL;
    sp_catalog *cat = NULL;
    size_t n_hits = 0;
    int rc = SP_EXIT_OK;

    for (size_t i = 0; i < s->f.n_states; i++) {
        if (sp_store_check_state(c->store, "state", s->states[i], &err))
            return sp_cli_fail_err(SP_EXIT_USAGE, &err);
    }
    if (s->near || s->zip) {
        int frc = s->near ? sp_store_find_city(c->store, s->near, "--zip", &s->f.origin, &err)
                          : sp_store_find_zip(c->store, s->zip, &s->f.origin, &err);
        if (frc)
            return sp_cli_fail_err(sp_cli_exit_for(frc), &err);
        s->f.has_origin = true;
        if (!s->sort_given)
            s->f.sort = SP_SORT_DISTANCE;
    }
    if (sp_store_load_catalog(c->store, &cat, &err) ||
        sp_filter_run(&hits, &n_hits, cat, &s->f, &err))
        rc = sp_cli_fail_err(sp_cli_exit_for(err.code), &err);
    else
        sp_render_programs(&c->out, sp_out_format(c->format), hits, n_hits, s->f.has_origin);
    free(hits);
    sp_catalog_free(cat);
    return rc;
}

const struct sp_cli_command sp_cmd_programs = {
    .name = "programs",
    .summary = "Browse and filter the program catalog.",
    .options = programs_options,
    .details = "Distances are great-circle miles between city centroids (GeoNames, CC BY 4.0).\n"
               "Examples:\n"
               "  smartpick programs --specialty IR --near \"Dallas, TX\" --radius 300\n"
               "  smartpick programs --zip 75390 --radius 50 --specialty IR --format csv\n",
    .setup = SP_CLI_FORMAT | SP_CLI_OUT | SP_CLI_DB | SP_CLI_STORE,
    .formats = SP_OUT_BIT(SP_OUT_TEXT) | SP_OUT_BIT(SP_OUT_CSV) | SP_OUT_BIT(SP_OUT_JSON) |
               SP_OUT_TABLE_WORD,
    .format_help = "table (default), csv, json",
    .format_rule = "must be one of table, csv, json",
    .state_size = sizeof(struct programs_state),
    .init = programs_init,
    .option = programs_option,
    .prepare = programs_prepare,
    .run = programs_run,
};
