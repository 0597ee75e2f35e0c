/*
 * GET /api/v1/specialties[?format=csv]: the published figures for the nine
 * specialties with their sources and SmartPick's profile of each -
 * `smartpick specialties --format json`, from the shared read-only facts.
 */
#include "router.h"

#include "names.h"
#include "render.h"

#include <string.h>

#include "banned.h"

void sp_api_specialties(struct sp_api *a)
{
    static const char *const params[] = {"format", NULL};
    const char *format;
    enum sp_out fmt = SP_OUT_JSON;
    struct sp_buf out = SP_BUF_INIT;

    if (sp_api_query_only(a, params))
        return;
    format = sp_api_param(a, "format");
    if (format && sp_out_parse(&fmt, format, SP_OUT_BIT(SP_OUT_JSON) | SP_OUT_BIT(SP_OUT_CSV))) {
        sp_api_failf(a, 400, SP_WHY_INVALID, "format", "format: '%.40s' must be json or csv",
                     format);
        return;
    }
    sp_render_specialties(&out, sp_out_format(fmt), a->ctx->world.facts, a->ctx->world.cat);
    if (fmt == SP_OUT_CSV)
        sp_api_header(a, "Content-Disposition",
                      "attachment; filename=\"smartpick-specialties.csv\"");
    sp_api_reply(a, 200, sp_out_content_type(fmt), &out);
}
