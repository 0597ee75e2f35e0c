/*
 * POST /api/v1/plan {"profile": PROFILE, "options": OPTIONS}: the optimized
 * application plan, computed as `smartpick plan` computes it (service/plan_service.c:
 * the same option table, the same home-state origin, the same fees, the same
 * renderers), so the JSON is the CLI's byte for byte. ?format=csv, xlsx or html
 * returns that export as a download. GET /api/v1/plan-options: the option table.
 */
#include "router.h"

#include "plan_service.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "banned.h"

/* The formats of POST /api/v1/plan: the CLI's, but text. */
#define API_OUTS (SP_PLAN_OUTS & ~SP_OUT_BIT(SP_OUT_TEXT))

/* The home state's centroid (distances in the plan), asked of SQLite once per
 * state and thread: it is reference data, the same for every request. */
static int home_origin(struct sp_api *a, const struct sp_profile *p, struct sp_plan_options *o)
{
    struct sp_worker *w = a->worker;
    struct sp_err err = SP_ERR_INIT;
    sp_store *st;
    int rc;

    for (size_t i = 0; i < w->n_centroids; i++) {
        if (strcmp(w->centroids[i].state, p->home_state) == 0) {
            o->origin = w->centroids[i].where;
            o->has_origin = w->centroids[i].rc == 0;
            return w->centroids[i].rc;
        }
    }
    st = sp_api_store(a);
    if (!st)
        return SP_EDB;
    rc = sp_app_plan_origin(o, st, p, &err);
    if ((rc == 0 || rc == SP_ENOTFOUND) && w->n_centroids < SP_WORKER_CENTROIDS) {
        snprintf(w->centroids[w->n_centroids].state, 3, "%s", p->home_state);
        w->centroids[w->n_centroids].rc = rc;
        w->centroids[w->n_centroids].where = o->origin;
        w->n_centroids++;
    }
    return rc;
}

/* A plan error's field is a plan option ("include") or a profile field
 * ("preferences.specialties"); say which document it is in. The budget may have
 * come from the profile's preferences rather than the options. */
static void plan_error(struct sp_api_err *e, const struct sp_err *err,
                       const struct sp_plan_options *o)
{
    enum sp_plan_opt which;
    struct sp_err copy;

    if (sp_plan_opt_from_json_name(&which, err->field) != 0) {
        sp_api_err_from(e, err, "profile");
    } else if (which == SP_POPT_BUDGET_USD && !(o->budget_usd > 0)) {
        copy = *err;
        sp_err_nest(&copy, "preferences");
        sp_api_err_from(e, &copy, "profile");
    } else {
        sp_api_err_from(e, err, "options");
    }
}

int sp_api_compute_plan(struct sp_api *a, bool with_name, json_t **root, struct sp_profile *p,
                        struct sp_plan **plan)
{
    static const char *const plain[] = {"profile", "options", NULL};
    static const char *const named[] = {"name", "profile", "options", NULL};
    struct sp_plan_options o;
    struct sp_api_err e;
    struct sp_err err = SP_ERR_INIT;

    *plan = NULL;
    if (sp_api_profile_body(a, with_name ? named : plain, root, p))
        return SP_EINVAL;
    sp_plan_options_init(&o);
    if (sp_body_plan_options(&o, json_object_get(*root, "options"), &e)) {
        sp_api_fail(a, &e);
        goto fail;
    }
    if (p->home_state[0] && home_origin(a, p, &o) == SP_EDB)
        goto fail; /* the response is the error */
    if (sp_app_plan_build(plan, &a->ctx->world, p, &o, &err)) {
        plan_error(&e, &err, &o);
        sp_api_fail(a, &e);
        goto fail;
    }
    return 0;
fail:
    json_decref(*root);
    *root = NULL;
    return SP_EINVAL;
}

void sp_api_plan(struct sp_api *a)
{
    static const char *const params[] = {"format", NULL};
    struct sp_profile *p = malloc(sizeof(*p));
    struct sp_plan *plan = NULL;
    struct sp_buf out = SP_BUF_INIT;
    struct sp_err err = SP_ERR_INIT;
    enum sp_out fmt = SP_OUT_JSON;
    const char *format;
    json_t *root = NULL;
    int rc;

    if (!p) {
        sp_api_failf(a, 500, SP_WHY_INTERNAL, NULL, "out of memory");
        return;
    }
    if (sp_api_query_only(a, params))
        goto out;
    format = sp_api_param(a, "format");
    if (format && sp_out_parse(&fmt, format, API_OUTS)) {
        sp_api_failf(a, 400, SP_WHY_INVALID, "format",
                     "format: '%.40s' must be json, csv, xlsx or html", format);
        goto out;
    }
    if (sp_api_compute_plan(a, false, &root, p, &plan))
        goto out;
    if (fmt == SP_OUT_XLSX)
        rc = sp_app_plan_xlsx_bytes(&out, plan, p, a->ctx->tmpdir, &err);
    else
        rc = sp_app_plan_render(&out, fmt, plan, p, NULL, &err);
    if (rc) {
        sp_api_failf(a, 500, SP_WHY_INTERNAL, NULL, "export: %s", err.msg);
        goto out;
    }
    if (fmt != SP_OUT_JSON)
        sp_api_header(a, "Content-Disposition", "attachment; filename=\"smartpick-plan.%s\"",
                      sp_out_name(fmt));
    sp_api_reply(a, 200, sp_out_content_type(fmt), &out);
out:
    sp_buf_release(&out);
    sp_plan_free(plan);
    json_decref(root);
    free(p);
}

/* A whole number as a JSON integer (2000, not 2000.0). */
static json_t *number(double v)
{
    return v == (double)(long long)v ? json_integer((json_int_t)v) : json_real(v);
}

/* One option of the table as JSON; the defaults are sp_plan_options_init's. */
static json_t *option_json(enum sp_plan_opt which, const struct sp_plan_options *defaults)
{
    const struct sp_plan_opt_info *info = sp_plan_opt_info(which);
    json_t *o = json_object(), *values;
    char cli[48], help[160];
    double v;

    snprintf(cli, sizeof(cli), "--%s", info->cli);
    json_object_set_new(o, "json", json_string(info->json));
    json_object_set_new(o, "cli", json_string(cli));
    json_object_set_new(o, "kind", json_string(sp_plan_opt_kind_name(info->kind)));
    if (info->kind != SP_POPT_KIND_WORD) {
        json_object_set_new(o, "min", number(info->min));
        json_object_set_new(o, "max", number(info->max));
        json_object_set_new(o, "min_exclusive", json_boolean(info->min_open));
        json_object_set_new(o, "max_exclusive", json_boolean(info->max_open));
    }
    if (info->kind == SP_POPT_KIND_WORD) {
        values = json_array();
        for (int i = 0; sp_plan_opt_word(which, i); i++)
            json_array_append_new(values, json_string(sp_plan_opt_word(which, i)));
        json_object_set_new(o, "default", json_string(sp_objective_name(defaults->objective)));
        json_object_set_new(o, "values", values);
    } else if (sp_plan_opt_number(defaults, which, &v)) {
        json_object_set_new(o, "default", number(v));
    } else {
        json_object_set_new(o, "default", json_null());
    }
    json_object_set_new(o, "rule", json_string(info->rule));
    json_object_set_new(o, "help", json_string(sp_plan_opt_help(help, sizeof(help), which)));
    return o;
}

void sp_api_plan_options(struct sp_api *a)
{
    struct sp_plan_options defaults;
    json_t *list;

    if (sp_api_query_only(a, NULL))
        return;
    sp_plan_options_init(&defaults);
    list = json_array();
    for (int i = 0; i < SP_POPT_COUNT; i++)
        json_array_append_new(list, option_json((enum sp_plan_opt)i, &defaults));
    sp_api_reply_json(a, 200, json_pack("{s:o}", "options", list));
}
