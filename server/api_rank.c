/*
 * POST /api/v1/rank: a smartpick.rank/1 document with the profile inline (the
 * server reads no files, so a profile path is refused): the recommended rank
 * order list with P(match at each rank) - `smartpick rank --format json`.
 */
#include "router.h"

#include "rank_json.h"

#include <stdlib.h>

#include "banned.h"

void sp_api_rank(struct sp_api *a)
{
    const struct sp_world *w = &a->ctx->world;
    struct sp_rank_doc *doc = malloc(sizeof(*doc));
    struct sp_rank_result *res = malloc(sizeof(*res));
    struct sp_err err = SP_ERR_INIT;
    struct sp_buf out = SP_BUF_INIT;
    struct sp_api_err e;
    json_t *root = NULL;

    if (!doc || !res) {
        sp_api_failf(a, 500, SP_WHY_INTERNAL, NULL, "out of memory");
        goto out;
    }
    if (sp_api_query_only(a, NULL))
        goto out;
    /* Syntax first, with this API's bad_json; then the rank reader's own rules. */
    if (sp_body_parse(&root, a->body, a->body_len, &e))
        goto fail;
    if (sp_rank_from_json(doc, a->body, a->body_len, &err)) {
        sp_api_err_from(&e, &err, NULL);
        goto fail;
    }
    if (!doc->has_profile) {
        sp_api_err_set(&e, 400, SP_WHY_INVALID, "profile",
                       "profile: '%.60s' must be an inline smartpick.profile/1 object (the "
                       "server reads no files)",
                       doc->profile_path);
        goto fail;
    }
    if (sp_profile_complete(&doc->profile, &err) ||
        sp_profile_check_catalog(&doc->profile, w->cat, &err)) {
        sp_api_err_from(&e, &err, "profile");
        goto fail;
    }
    if (sp_rank_resolve(&doc->input, w->cat, &err) ||
        sp_rank(res, &w->model, w->cat, w->q, &doc->profile, &doc->input, &err)) {
        sp_api_err_from(&e, &err, NULL);
        goto fail;
    }
    sp_render_rank(&out, SP_FMT_JSON, res, &doc->input, &doc->profile);
    sp_api_reply(a, 200, "application/json", &out);
    goto out;
fail:
    sp_api_fail(a, &e);
out:
    json_decref(root);
    free(res);
    free(doc);
}
