/*
 * POST /api/v1/fit {"profile": PROFILE}: the backup specialties ranked by fit to
 * the student's values and to the road to IR, with their P(match) in each - the
 * document of `smartpick fit --format json`, computed the same way.
 */
#include "router.h"

#include "render_assess.h"

#include <stdlib.h>

#include "banned.h"

void sp_api_fit(struct sp_api *a)
{
    static const char *const keys[] = {"profile", NULL};
    const struct sp_world *w = &a->ctx->world;
    struct sp_profile *p = malloc(sizeof(*p)), *all = malloc(sizeof(*all));
    struct sp_assessment *as = malloc(sizeof(*as));
    struct sp_fit_row rows[SP_SPEC_COUNT];
    double p_match[SP_SPEC_COUNT] = {0};
    struct sp_err err = SP_ERR_INIT;
    struct sp_buf out = SP_BUF_INIT;
    json_t *root = NULL;
    size_t n;

    if (!p || !all || !as) {
        sp_api_failf(a, 500, SP_WHY_INTERNAL, NULL, "out of memory");
        goto out;
    }
    if (sp_api_query_only(a, NULL) || sp_api_profile_body(a, keys, &root, p))
        goto out;
    /* Every specialty's odds, whatever the profile lists (as cli/cmd_fit.c). */
    *all = *p;
    all->n_specialties = 0;
    if (sp_assess(as, &w->model, w->cat, w->q, all, &err)) {
        struct sp_api_err e;
        sp_api_err_from(&e, &err, NULL);
        sp_api_fail(a, &e);
        goto out;
    }
    for (size_t i = 0; i < as->n_spec; i++)
        p_match[as->spec[i].code] = as->spec[i].p_match;
    n = sp_fit(rows, w->facts, p, p_match);
    sp_render_fit(&out, SP_FMT_JSON, rows, n, p);
    sp_api_reply(a, 200, "application/json", &out);
out:
    json_decref(root);
    free(as);
    free(all);
    free(p);
}
