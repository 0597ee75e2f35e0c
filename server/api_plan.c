/*
 * POST /api/v1/plan {"profile": PROFILE, "options": OPTIONS}: the optimized
 * application plan, computed exactly as `smartpick plan` computes it (the same
 * option rules, the same home-state origin, the same fees, the same renderer),
 * so the JSON is the CLI's byte for byte. ?format=csv, xlsx or html returns that
 * export as a download.
 */
#include "router.h"

#include "render_plan.h"
#include "sp_str.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "banned.h"

#define XLSX_MAX (64u << 20)

/* The home state's centroid (distances in the plan), asked of SQLite once per
 * state and thread: it is reference data, the same for every request. */
static int home_origin(struct sp_api *a, const char *state, struct sp_point *out)
{
    struct sp_worker *w = a->worker;
    struct sp_err err = SP_ERR_INIT;
    sp_store *st;
    int rc;

    for (size_t i = 0; i < w->n_centroids; i++) {
        if (strcmp(w->centroids[i].state, state) == 0) {
            *out = w->centroids[i].where;
            return w->centroids[i].rc;
        }
    }
    st = sp_api_store(a);
    if (!st)
        return SP_EDB;
    rc = sp_store_state_centroid(st, state, out, &err);
    if ((rc == 0 || rc == SP_ENOTFOUND) && w->n_centroids < SP_WORKER_CENTROIDS) {
        snprintf(w->centroids[w->n_centroids].state, 3, "%s", state);
        w->centroids[w->n_centroids].rc = rc;
        w->centroids[w->n_centroids].where = *out;
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
    const struct sp_world *w = &a->ctx->world;
    struct sp_plan_options o;
    struct sp_api_err e;
    struct sp_err err = SP_ERR_INIT;
    int rc;

    *plan = NULL;
    if (sp_api_profile_body(a, with_name ? named : plain, root, p))
        return SP_EINVAL;
    sp_plan_options_init(&o);
    if (sp_body_plan_options(&o, json_object_get(*root, "options"), &e)) {
        sp_api_fail(a, &e);
        goto fail;
    }
    if (p->home_state[0]) {
        rc = home_origin(a, p->home_state, &o.origin);
        if (rc == SP_EDB)
            goto fail; /* the response is the error */
        o.has_origin = rc == 0;
    }
    if (sp_plan_build(plan, &w->model, w->cat, w->q, &a->ctx->fees, p, &o, &err)) {
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

/* The XLSX export: libxlsxwriter writes files, so one goes through a temporary
 * file (mkstemp: created 0600, never an existing name) removed at once. */
static int xlsx_bytes(struct sp_api *a, struct sp_buf *out, const struct sp_plan *plan,
                      const struct sp_profile *p)
{
    struct sp_buf path = SP_BUF_INIT;
    struct sp_err err = SP_ERR_INIT;
    int fd, rc;

    sp_buf_addf(&path, "%s/smartpick-plan-XXXXXX", a->ctx->tmpdir);
    fd = mkstemp(path.data);
    if (fd < 0) {
        sp_api_failf(a, 500, SP_WHY_INTERNAL, NULL, "export: %s", strerror(errno));
        sp_buf_release(&path);
        return SP_EIO;
    }
    close(fd);
    rc = sp_render_plan_xlsx(path.data, plan, p, &err);
    if (!rc) {
        out->max = XLSX_MAX;
        rc = sp_read_file(out, path.data, &err);
    }
    unlink(path.data);
    sp_buf_release(&path);
    if (rc)
        sp_api_failf(a, 500, SP_WHY_INTERNAL, NULL, "export: %s", err.msg);
    return rc;
}

void sp_api_plan(struct sp_api *a)
{
    static const char *const params[] = {"format", NULL};
    struct sp_profile *p = malloc(sizeof(*p));
    struct sp_plan *plan = NULL;
    struct sp_buf out = SP_BUF_INIT;
    const char *format;
    json_t *root = NULL;

    if (!p) {
        sp_api_failf(a, 500, SP_WHY_INTERNAL, NULL, "out of memory");
        return;
    }
    if (sp_api_query_only(a, params))
        goto out;
    format = sp_api_param(a, "format");
    if (!format)
        format = "json";
    if (strcmp(format, "json") && strcmp(format, "csv") && strcmp(format, "xlsx") &&
        strcmp(format, "html")) {
        sp_api_failf(a, 400, SP_WHY_INVALID, "format",
                     "format: '%.40s' must be json, csv, xlsx or html", format);
        goto out;
    }
    if (sp_api_compute_plan(a, false, &root, p, &plan))
        goto out;
    if (strcmp(format, "json") == 0) {
        sp_render_plan(&out, SP_FMT_JSON, plan, p);
        sp_api_reply(a, 200, "application/json", &out);
    } else if (strcmp(format, "csv") == 0) {
        sp_render_plan(&out, SP_FMT_CSV, plan, p);
        sp_api_header(a, "Content-Disposition", "attachment; filename=\"smartpick-plan.csv\"");
        sp_api_reply(a, 200, "text/csv; charset=utf-8", &out);
    } else if (strcmp(format, "html") == 0) {
        sp_render_plan_html(&out, plan, p);
        sp_api_header(a, "Content-Disposition", "attachment; filename=\"smartpick-plan.html\"");
        sp_api_reply(a, 200, "text/html; charset=utf-8", &out);
    } else if (xlsx_bytes(a, &out, plan, p) == 0) {
        sp_api_header(a, "Content-Disposition", "attachment; filename=\"smartpick-plan.xlsx\"");
        sp_api_reply(a, 200, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                     &out);
    }
out:
    sp_buf_release(&out);
    sp_plan_free(plan);
    json_decref(root);
    free(p);
}
