/*
 * plan_service.h - what `smartpick plan` and POST /api/v1/plan both do, once: the
 * formats a plan is written in, the home state's centroid as the plan's origin,
 * the plan built from the world (its model, catalog, selectivities and fees) and
 * the renderer for a format. The options come from plan_options.h's table; the
 * edges only read them (flags, JSON), choose a format and deliver the bytes.
 */
#ifndef SP_APP_PLAN_SERVICE_H
#define SP_APP_PLAN_SERVICE_H

#include "names.h"
#include "plan_options.h"
#include "world.h"

/* The formats of a plan: text, JSON, CSV, an XLSX workbook, a self-contained HTML
 * report. */
#define SP_PLAN_OUTS                                                                               \
    (SP_OUT_BIT(SP_OUT_TEXT) | SP_OUT_BIT(SP_OUT_JSON) | SP_OUT_BIT(SP_OUT_CSV) |                  \
     SP_OUT_BIT(SP_OUT_XLSX) | SP_OUT_BIT(SP_OUT_HTML))

/* The centroid of the home state of p as o's origin (distances in the plan), when
 * p names one the store knows; returns the store's code (SP_ENOTFOUND: no origin,
 * not an error for a plan). */
int sp_app_plan_origin(struct sp_plan_options *o, sp_store *st, const struct sp_profile *p,
                       struct sp_err *err);

/* The plan of p under o in w. The options must have passed sp_plan_options_check.
 * *out owned by the caller (sp_plan_free). Errors name a plan option by its API key
 * ("include", "budget_usd") or a profile field ("preferences.specialties"); the
 * model's are SP_WHY_MODEL. */
int sp_app_plan_build(struct sp_plan **out, const struct sp_world *w, const struct sp_profile *p,
                      const struct sp_plan_options *o, struct sp_err *err);

/* The plan in fmt appended to out. SP_OUT_XLSX writes the workbook to xlsx_path
 * (a file; out is not touched). */
int sp_app_plan_render(struct sp_buf *out, enum sp_out fmt, const struct sp_plan *plan,
                       const struct sp_profile *p, const char *xlsx_path, struct sp_err *err);

/* The XLSX workbook's bytes into out, by way of a temporary file in tmpdir (created
 * 0600 under a fresh name, removed at once): libxlsxwriter writes files only. */
int sp_app_plan_xlsx_bytes(struct sp_buf *out, const struct sp_plan *plan,
                           const struct sp_profile *p, const char *tmpdir, struct sp_err *err);

#endif
