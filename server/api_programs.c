/*
 * GET /api/v1/programs?specialty=IR&state=TX&division=...&near=Dallas,%20TX&zip=
 * 75390&radius=300&esir=1&new=1&do_friendly=1&sort=distance[&format=csv]: the
 * catalog filtered and sorted - `smartpick programs --format json` (or csv), with
 * the CLI's rules and messages. The catalog is the shared read-only one; only a
 * place lookup (near, zip) asks this thread's database connection.
 */
#include "router.h"

#include "names.h"
#include "render.h"
#include "smartpick/catalog/filter.h"
#include "sp_str.h"

#include <stdlib.h>
#include <string.h>

#include "banned.h"

static int parse_flag(bool *out, const char *key, const char *v, struct sp_api_err *e)
{
    if (strcmp(v, "1") == 0 || strcmp(v, "true") == 0 || v[0] == '\0') {
        *out = true;
    } else if (strcmp(v, "0") == 0 || strcmp(v, "false") == 0) {
        *out = false;
    } else {
        sp_api_err_set(e, 400, SP_WHY_INVALID, key, "%s: '%.40s' must be 1 or 0", key, v);
        return SP_EINVAL;
    }
    return 0;
}

/* One query parameter into the filter; the CLI's rule for each. */
static int apply(struct sp_filter *f, const char **states, const struct sp_param *prm,
                 const char **near, const char **zip, bool *sort_given, enum sp_out *fmt,
                 struct sp_api_err *e)
{
    const char *k = prm->key, *v = prm->value;
    enum sp_specialty s;
    enum sp_division d;

    if (strcmp(k, "specialty") == 0) {
        if (sp_specialty_parse(&s, v)) {
            sp_api_err_set(e, 400, SP_WHY_INVALID, k,
                           "specialty: '%.40s' is not one of IR DR IM GS VS ANES EM NEURO PMR "
                           "(did you mean %s?)",
                           v, sp_specialty_suggest(v));
            return SP_EINVAL;
        }
        f->specialties |= 1u << s;
    } else if (strcmp(k, "state") == 0) {
        if (strlen(v) != 2) {
            sp_api_err_set(e, 400, SP_WHY_INVALID, k, "state: '%.40s' must be a two-letter code",
                           v);
            return SP_EINVAL;
        }
        states[f->n_states++] = v;
    } else if (strcmp(k, "division") == 0) {
        if (sp_division_parse(&d, v)) {
            sp_api_err_set(e, 400, SP_WHY_INVALID, k,
                           "division: '%.40s' is not a Census division (new_england, "
                           "middle_atlantic, east_north_central, west_north_central, "
                           "south_atlantic, east_south_central, west_south_central, mountain, "
                           "pacific)",
                           v);
            return SP_EINVAL;
        }
        f->divisions |= 1u << d;
    } else if (strcmp(k, "near") == 0) {
        *near = v;
    } else if (strcmp(k, "zip") == 0) {
        *zip = v;
    } else if (strcmp(k, "radius") == 0) {
        if (sp_parse_double(&f->radius_miles, v) || f->radius_miles <= 0 ||
            f->radius_miles > 10000) {
            sp_api_err_set(e, 400, SP_WHY_INVALID, k,
                           "radius: '%.40s' must be a number of miles in (0, 10000]", v);
            return SP_EINVAL;
        }
    } else if (strcmp(k, "esir") == 0) {
        return parse_flag(&f->esir_only, k, v, e);
    } else if (strcmp(k, "new") == 0) {
        return parse_flag(&f->new_only, k, v, e);
    } else if (strcmp(k, "do_friendly") == 0) {
        return parse_flag(&f->do_friendly, k, v, e);
    } else if (strcmp(k, "sort") == 0) {
        *sort_given = true;
        if (sp_sort_parse(&f->sort, v)) {
            sp_api_err_set(e, 400, SP_WHY_INVALID, "sort",
                           "sort: '%.40s' must be one of id, name, distance, state", v);
            return SP_EINVAL;
        }
    } else if (strcmp(k, "format") == 0) {
        if (sp_out_parse(fmt, v, SP_OUT_BIT(SP_OUT_JSON) | SP_OUT_BIT(SP_OUT_CSV))) {
            sp_api_err_set(e, 400, SP_WHY_INVALID, k, "format: '%.40s' must be json or csv", v);
            return SP_EINVAL;
        }
    }
    return 0;
}

void sp_api_programs(struct sp_api *a)
{
    static const char *const params[] = {"specialty",   "state",  "division", "near",
                                         "zip",         "radius", "esir",     "new",
                                         "do_friendly", "sort",   "format",   NULL};
    const char *states[SP_API_MAX_PARAMS];
    struct sp_filter f = SP_FILTER_INIT;
    struct sp_program_hit *hits = NULL;
    struct sp_err err = SP_ERR_INIT;
    struct sp_buf out = SP_BUF_INIT;
    struct sp_api_err e;
    enum sp_out fmt = SP_OUT_JSON;
    const char *near = NULL, *zip = NULL;
    bool sort_given = false;
    size_t n_hits = 0;

    if (sp_api_query_only(a, params))
        return;
    f.states = states;
    for (size_t i = 0; i < a->target->n_params; i++) {
        if (apply(&f, states, &a->target->params[i], &near, &zip, &sort_given, &fmt, &e))
            goto fail;
    }
    if (near && zip) {
        sp_api_err_set(&e, 400, SP_WHY_INVALID, "near", "near, zip: give one place, not both");
        goto fail;
    }
    if (f.radius_miles > 0 && !near && !zip) {
        sp_api_err_set(&e, 400, SP_WHY_INVALID, "radius",
                       "radius: needs near=City, ST or zip=NNNNN");
        goto fail;
    }
    for (size_t i = 0; i < f.n_states; i++) {
        sp_store *st = sp_api_store(a);
        if (!st)
            return;
        if (sp_store_check_state(st, "state", states[i], &err)) {
            sp_api_err_from(&e, &err, NULL);
            goto fail;
        }
    }
    if (near || zip) {
        sp_store *st = sp_api_store(a);
        if (!st)
            return;
        int rc = near ? sp_store_find_city(st, near, "zip", &f.origin, &err)
                      : sp_store_find_zip(st, zip, &f.origin, &err);
        if (rc) {
            sp_api_err_from(&e, &err, NULL);
            goto fail;
        }
        f.has_origin = true;
        if (!sort_given)
            f.sort = SP_SORT_DISTANCE;
    }
    if (sp_filter_run(&hits, &n_hits, a->ctx->world.cat, &f, &err)) {
        sp_api_err_from(&e, &err, NULL);
        goto fail;
    }
    sp_render_programs(&out, sp_out_format(fmt), hits, n_hits, f.has_origin);
    free(hits);
    if (fmt == SP_OUT_CSV)
        sp_api_header(a, "Content-Disposition", "attachment; filename=\"smartpick-programs.csv\"");
    sp_api_reply(a, 200, sp_out_content_type(fmt), &out);
    return;
fail:
    sp_api_fail(a, &e);
}
