/*
 * POST /api/v1/match {"instance": OBJECT, "proposing": "applicants"|"programs"}:
 * the Match (Roth-Peranson with couples) on an instance in the JSON format of
 * docs/MATCH.md - `smartpick match --format json`. A result with no stable
 * matching is still a result (200); its document says so.
 */
#include "router.h"

#include "render_match.h"

#include <stdlib.h>
#include <string.h>

#include "banned.h"

static int dump_cb(const char *data, size_t size, void *payload)
{
    return sp_buf_add(payload, data, size) ? -1 : 0;
}

void sp_api_match(struct sp_api *a)
{
    static const char *const keys[] = {"instance", "proposing", NULL};
    struct sp_match_options opts = SP_MATCH_OPTIONS_INIT;
    struct sp_match_result res = SP_MATCH_RESULT_INIT;
    struct sp_buf text = {NULL, 0, 0, SP_API_BODY_MAX}, out = SP_BUF_INIT;
    struct sp_err err = SP_ERR_INIT;
    struct sp_api_err e;
    sp_match_instance *in = NULL;
    const json_t *inst, *prop;
    json_t *root = NULL;
    int mrc;

    if (sp_api_query_only(a, NULL))
        return;
    if (sp_body_parse(&root, a->body, a->body_len, &e) || sp_body_check_keys(root, keys, "", &e))
        goto fail;
    prop = json_object_get(root, "proposing");
    if (prop) {
        const char *s = json_string_value(prop);
        char shown[48];
        if (s && strcmp(s, "applicants") == 0) {
            opts.proposing = SP_PROPOSE_APPLICANTS;
        } else if (s && strcmp(s, "programs") == 0) {
            opts.proposing = SP_PROPOSE_PROGRAMS;
        } else {
            sp_api_err_set(&e, 400, SP_WHY_INVALID, "proposing",
                           "proposing: '%s' must be applicants or programs",
                           sp_body_show(shown, sizeof(shown), prop));
            goto fail;
        }
    }
    inst = json_object_get(root, "instance");
    if (!json_is_object(inst)) {
        sp_api_err_set(&e, 400, SP_WHY_INVALID, "instance",
                       "instance: %s, must be a match instance object (docs/MATCH.md)",
                       inst ? "not an object" : "missing");
        goto fail;
    }
    /* The reader takes text; the object goes back as text with its keys in order. */
    if (json_dump_callback(inst, dump_cb, &text, JSON_COMPACT)) {
        sp_api_err_set(&e, 413, SP_WHY_TOO_LARGE, "instance", "instance: must be at most %u bytes",
                       SP_API_BODY_MAX);
        goto fail;
    }
    if (sp_match_from_json(&in, sp_buf_cstr(&text), text.len, &err)) {
        sp_api_err_from(&e, &err, "instance");
        goto fail;
    }
    mrc = sp_match_run(&res, in, &opts, &err);
    if (mrc && mrc != SP_ENOSTABLE) {
        sp_api_err_from(&e, &err, NULL);
        goto fail;
    }
    sp_render_match(&out, SP_MATCH_FMT_JSON, in, &res, opts.proposing);
    sp_api_reply(a, 200, "application/json", &out);
    goto out;
fail:
    sp_api_fail(a, &e);
out:
    sp_match_result_release(&res);
    sp_match_instance_free(in);
    sp_buf_release(&text);
    json_decref(root);
}
