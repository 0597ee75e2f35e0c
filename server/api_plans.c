/*
 * Saved plans: GET/POST /api/v1/plans, GET/DELETE /api/v1/plans/ID. POST computes
 * the plan (as POST /api/v1/plan does) and stores the profile, the options and
 * the plan document in one transaction; only then does it answer 201, so a
 * client that saw 201 knows the plan is on disk.
 */
#include "router.h"

#include "profile_json.h"
#include "render_plan.h"
#include "sp_alloc.h"

#include <stdlib.h>
#include <string.h>

#include "banned.h"

void sp_api_plans_list(struct sp_api *a)
{
    sp_api_saved_list(a, true);
}

void sp_api_plans_create(struct sp_api *a)
{
    static const char *const keys[] = {"plan"};
    struct sp_profile *p = malloc(sizeof(*p));
    struct sp_plan *plan = NULL;
    struct sp_buf doc = SP_BUF_INIT;
    struct sp_saved_item item;
    struct sp_err err = SP_ERR_INIT;
    struct sp_api_err e;
    char name[SP_SAVED_NAME_MAX + 1];
    char *profile_text = NULL, *options_text = NULL;
    const json_t *options;
    json_t *root = NULL;
    sp_store *st;

    if (!p) {
        sp_api_failf(a, 500, SP_WHY_INTERNAL, NULL, "out of memory");
        return;
    }
    if (sp_api_query_only(a, NULL) || sp_api_compute_plan(a, true, &root, p, &plan))
        goto out;
    if (sp_body_name(name, sizeof(name), root, &e)) {
        sp_api_fail(a, &e);
        goto out;
    }
    sp_render_plan(&doc, SP_FMT_JSON, plan, p);
    profile_text = sp_profile_to_json(p);
    options = json_object_get(root, "options");
    options_text =
        options && !json_is_null(options) ? json_dumps(options, JSON_COMPACT) : sp_xstrdup("{}");
    if (!profile_text || !options_text) {
        sp_api_failf(a, 500, SP_WHY_INTERNAL, NULL, "plan: could not be written as JSON");
        goto out;
    }
    if (!(st = sp_api_store(a)))
        goto out;
    struct sp_saved_plan in = {
        name,           profile_text,         options_text, sp_buf_cstr(&doc), plan->p_match_any,
        plan->cost_usd, (int)plan->n_programs};
    if (sp_store_plan_save(st, &in, &item, &err)) {
        sp_api_err_from(&e, &err, NULL);
        sp_api_fail(a, &e);
        goto out;
    }
    sp_api_header(a, "Location", "/api/v1/plans/%lld", (long long)item.id);
    {
        const char *texts[] = {sp_buf_cstr(&doc)};
        sp_api_reply_item(a, 201, &item, true, keys, texts, 1);
    }
out:
    free(profile_text);
    free(options_text);
    sp_buf_release(&doc);
    sp_plan_free(plan);
    json_decref(root);
    free(p);
}

void sp_api_plans_get(struct sp_api *a)
{
    static const char *const keys[] = {"profile", "options", "plan"};
    struct sp_saved_item item;
    struct sp_err err = SP_ERR_INIT;
    char *texts[3] = {NULL, NULL, NULL};
    int64_t id;
    sp_store *st;
    int rc;

    if (sp_api_query_only(a, NULL) || sp_api_path_id(a, &id, "plan") || !(st = sp_api_store(a)))
        return;
    rc = sp_store_plan_get(st, id, &item, &texts[0], &texts[1], &texts[2], &err);
    if (rc == SP_ENOTFOUND)
        sp_api_failf(a, 404, SP_WHY_NOT_FOUND, "id", "%s", err.msg);
    else if (rc)
        sp_api_failf(a, 500, SP_WHY_INTERNAL, NULL, "%s", err.msg);
    else
        sp_api_reply_item(a, 200, &item, true, keys, (const char *const *)texts, 3);
    for (int i = 0; i < 3; i++)
        free(texts[i]);
}

void sp_api_plans_delete(struct sp_api *a)
{
    sp_api_saved_delete(a, true);
}
