/*
 * Profiles: POST /api/v1/profile/validate (the CLI's validator over HTTP) and the
 * saved profiles, GET/POST /api/v1/profiles and GET/DELETE /api/v1/profiles/ID.
 * Also the body reader every profile-taking endpoint shares.
 *
 * A saved profile is stored as sp_profile_to_json() writes it: validated, in the
 * documented key order, holding what the user gave and not the defaults filled
 * in, so a later model's medians still apply when it is read back.
 */
#include "router.h"

#include "profile_json.h"
#include "render_assess.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "banned.h"

int sp_api_profile_body(struct sp_api *a, const char *const *allowed, json_t **root,
                        struct sp_profile *p)
{
    struct sp_api_err e;
    struct sp_err err = SP_ERR_INIT;

    *root = NULL;
    if (sp_body_parse(root, a->body, a->body_len, &e) ||
        sp_body_check_keys(*root, allowed, "", &e) || sp_body_profile(p, *root, &e))
        goto fail;
    /* Away and home programs must be real programs of the right specialty. */
    if (sp_profile_check_catalog(p, a->ctx->world.cat, &err)) {
        sp_api_err_from(&e, &err, "profile");
        goto fail;
    }
    return 0;
fail:
    json_decref(*root);
    *root = NULL;
    sp_api_fail(a, &e);
    return SP_EINVAL;
}

void sp_api_profile_validate(struct sp_api *a)
{
    static const char *const keys[] = {"profile", NULL};
    struct sp_profile *p = malloc(sizeof(*p));
    json_t *root = NULL, *doc;

    if (!p) {
        sp_api_failf(a, 500, SP_WHY_INTERNAL, NULL, "out of memory");
        return;
    }
    if (sp_api_query_only(a, NULL) == 0 && sp_api_profile_body(a, keys, &root, p) == 0) {
        doc = json_pack("{s:b}", "ok", 1);
        sp_render_assumptions_json(doc, p);
        sp_api_reply_json(a, 200, doc);
    }
    json_decref(root);
    free(p);
}

/* {"id", "name", "created_at", "updated_at"} of an item; plans add their figures. */
static json_t *item_json(const struct sp_saved_item *it, bool plan)
{
    json_t *o = json_pack("{s:I, s:s, s:s}", "id", (json_int_t)it->id, "name", it->name,
                          "created_at", it->created_at);

    if (!o)
        return NULL;
    if (plan) {
        /* As the plan document rounds them: probabilities to 4 decimals, dollars to cents. */
        json_object_set_new(o, "p_match_any", json_real(round(it->p_match_any * 1e4) / 1e4));
        json_object_set_new(o, "cost_usd", json_real(round(it->cost_usd * 100) / 100));
        json_object_set_new(o, "n_programs", json_integer(it->n_programs));
    } else {
        json_object_set_new(o, "updated_at", json_string(it->updated_at));
    }
    return o;
}

void sp_api_saved_list(struct sp_api *a, bool plan)
{
    sp_store *st = NULL;
    struct sp_saved_item *items = NULL;
    struct sp_err err = SP_ERR_INIT;
    size_t n = 0;
    json_t *list;

    if (sp_api_query_only(a, NULL) || !(st = sp_api_store(a)))
        return;
    if ((plan ? sp_store_plan_list : sp_store_profile_list)(st, &items, &n, &err)) {
        sp_api_failf(a, 500, SP_WHY_INTERNAL, NULL, "%s", err.msg);
        return;
    }
    list = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(list, item_json(&items[i], plan));
    free(items);
    sp_api_reply_json(a, 200, json_pack("{s:o}", plan ? "plans" : "profiles", list));
}

void sp_api_profiles_list(struct sp_api *a)
{
    sp_api_saved_list(a, false);
}

void sp_api_profiles_create(struct sp_api *a)
{
    static const char *const keys[] = {"name", "profile", NULL};
    struct sp_profile *p = malloc(sizeof(*p));
    struct sp_saved_item item;
    struct sp_err err = SP_ERR_INIT;
    struct sp_api_err e;
    char name[SP_SAVED_NAME_MAX + 1];
    json_t *root = NULL;
    char *text = NULL;
    sp_store *st;

    if (!p) {
        sp_api_failf(a, 500, SP_WHY_INTERNAL, NULL, "out of memory");
        return;
    }
    if (sp_api_query_only(a, NULL) || sp_api_profile_body(a, keys, &root, p))
        goto out;
    if (sp_body_name(name, sizeof(name), root, &e)) {
        sp_api_fail(a, &e);
        goto out;
    }
    text = sp_profile_to_json(p);
    if (!text) {
        sp_api_failf(a, 500, SP_WHY_INTERNAL, NULL, "profile: could not be written back as JSON");
        goto out;
    }
    if (!(st = sp_api_store(a)))
        goto out;
    if (sp_store_profile_save(st, name, text, &item, &err)) {
        sp_api_err_from(&e, &err, NULL);
        sp_api_fail(a, &e);
        goto out;
    }
    sp_api_header(a, "Location", "/api/v1/profiles/%lld", (long long)item.id);
    sp_api_reply_json(a, 201, item_json(&item, false));
out:
    free(text);
    json_decref(root);
    free(p);
}

/* The item's fields, then each raw JSON text under its key: the stored documents
 * are spliced in as they are, not parsed and written again. */
void sp_api_reply_item(struct sp_api *a, unsigned status, const struct sp_saved_item *it, bool plan,
                       const char *const *keys, const char *const *texts, size_t n)
{
    json_t *meta = json_pack("{s:I, s:s, s:s}", "id", (json_int_t)it->id, "name", it->name,
                             "created_at", it->created_at);
    struct sp_buf buf = SP_BUF_INIT;
    char *head;

    if (!plan && meta)
        json_object_set_new(meta, "updated_at", json_string(it->updated_at));
    head = meta ? json_dumps(meta, JSON_COMPACT) : NULL;
    json_decref(meta);
    if (!head) {
        sp_api_failf(a, 500, SP_WHY_INTERNAL, NULL, "could not encode the response");
        return;
    }
    sp_buf_add(&buf, head, strlen(head) - 1); /* without the closing brace */
    for (size_t i = 0; i < n; i++) {
        size_t len = strlen(texts[i]);
        while (len && (texts[i][len - 1] == '\n' || texts[i][len - 1] == ' '))
            len--;
        sp_buf_addf(&buf, ",\"%s\":", keys[i]);
        sp_buf_add(&buf, texts[i], len);
    }
    sp_buf_adds(&buf, "}\n");
    free(head);
    sp_api_reply(a, status, "application/json", &buf);
}

void sp_api_profiles_get(struct sp_api *a)
{
    static const char *const keys[] = {"profile"};
    struct sp_saved_item item;
    struct sp_err err = SP_ERR_INIT;
    char *text = NULL;
    int64_t id;
    sp_store *st;
    int rc;

    if (sp_api_query_only(a, NULL) || sp_api_path_id(a, &id, "profile") || !(st = sp_api_store(a)))
        return;
    rc = sp_store_profile_get(st, id, &item, &text, &err);
    if (rc == SP_ENOTFOUND)
        sp_api_failf(a, 404, SP_WHY_NOT_FOUND, "id", "%s", err.msg);
    else if (rc)
        sp_api_failf(a, 500, SP_WHY_INTERNAL, NULL, "%s", err.msg);
    else
        sp_api_reply_item(a, 200, &item, false, keys, (const char *const *)&text, 1);
    free(text);
}

void sp_api_saved_delete(struct sp_api *a, bool plan)
{
    struct sp_err err = SP_ERR_INIT;
    struct sp_buf none = SP_BUF_INIT;
    int64_t id;
    sp_store *st;
    int rc;

    if (sp_api_query_only(a, NULL) || sp_api_path_id(a, &id, plan ? "plan" : "profile") ||
        !(st = sp_api_store(a)))
        return;
    rc = (plan ? sp_store_plan_delete : sp_store_profile_delete)(st, id, &err);
    if (rc == SP_ENOTFOUND)
        sp_api_failf(a, 404, SP_WHY_NOT_FOUND, "id", "%s", err.msg);
    else if (rc)
        sp_api_failf(a, 500, SP_WHY_INTERNAL, NULL, "%s", err.msg);
    else
        sp_api_reply(a, 204, NULL, &none);
}

void sp_api_profiles_delete(struct sp_api *a)
{
    sp_api_saved_delete(a, false);
}
