/*
 * POST /api/v1/assess {"profile": PROFILE}: P(match) per specialty with its
 * interval, the tier, the factors and the improvements - the document of
 * `smartpick assess --format json`, from the same renderer.
 */
#include "router.h"

#include "render_assess.h"

#include <stdlib.h>

#include "banned.h"

void sp_api_assess(struct sp_api *a)
{
    static const char *const keys[] = {"profile", NULL};
    const struct sp_world *w = &a->ctx->world;
    struct sp_profile *p = malloc(sizeof(*p));
    struct sp_assessment *as = malloc(sizeof(*as));
    struct sp_err err = SP_ERR_INIT;
    struct sp_buf out = SP_BUF_INIT;
    json_t *root = NULL;

    if (!p || !as) {
        sp_api_failf(a, 500, SP_WHY_INTERNAL, NULL, "out of memory");
        goto out;
    }
    if (sp_api_query_only(a, NULL) || sp_api_profile_body(a, keys, &root, p))
        goto out;
    if (sp_assess(as, &w->model, w->cat, w->q, p, &err)) {
        struct sp_api_err e;
        sp_api_err_from(&e, &err, NULL);
        sp_api_fail(a, &e);
        goto out;
    }
    sp_render_assessment(&out, SP_FMT_JSON, as, p);
    sp_api_reply(a, 200, "application/json", &out);
out:
    json_decref(root);
    free(as);
    free(p);
}
