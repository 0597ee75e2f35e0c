/*
 * GET /api/v1/specialties[?format=csv]: the published figures for the nine
 * specialties with their sources and SmartPick's profile of each -
 * `smartpick specialties --format json`, from the shared read-only facts.
 */
#include "router.h"

#include "render.h"

#include <string.h>

#include "banned.h"

void sp_api_specialties(struct sp_api *a)
{
    static const char *const params[] = {"format", NULL};
    const char *format;
    struct sp_buf out = SP_BUF_INIT;

    if (sp_api_query_only(a, params))
        return;
    format = sp_api_param(a, "format");
    if (format && strcmp(format, "json") && strcmp(format, "csv")) {
        sp_api_failf(a, 400, SP_WHY_INVALID, "format", "format: '%.40s' must be json or csv",
                     format);
        return;
    }
    if (format && strcmp(format, "csv") == 0) {
        sp_render_specialties(&out, SP_FMT_CSV, a->ctx->world.facts, a->ctx->world.cat);
        sp_api_header(a, "Content-Disposition",
                      "attachment; filename=\"smartpick-specialties.csv\"");
        sp_api_reply(a, 200, "text/csv; charset=utf-8", &out);
        return;
    }
    sp_render_specialties(&out, SP_FMT_JSON, a->ctx->world.facts, a->ctx->world.cat);
    sp_api_reply(a, 200, "application/json", &out);
}
