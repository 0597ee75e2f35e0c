/*
 * render_plan.h - the application plan (smartpick/plan/plan.h) as a text report, JSON,
 * CSV, an XLSX workbook or one self-contained HTML page with SVG charts.
 *
 * Shared by the CLI and the server. Writers that produce text append to a
 * caller-owned sp_buf and never print; the XLSX writer writes the file it is
 * given. The plan and the profile are borrowed. Same plan, same bytes (text,
 * JSON, CSV and HTML).
 */
#ifndef SP_RENDER_PLAN_H
#define SP_RENDER_PLAN_H

#include "plan_json.h"
#include "render.h"
#include "smartpick/model/profile.h"
#include "smartpick/plan/plan.h"

/* The plan as SP_FMT_TEXT (a readable report: summary, strategy, specialties,
 * programs by specialty, costs, the curve, checklists, assumptions), SP_FMT_JSON
 * (sp_plan_to_json, plan_json.h) or SP_FMT_CSV (a header and one row per program with the
 * JSON program fields). */
void sp_render_plan(struct sp_buf *out, enum sp_format fmt, const struct sp_plan *plan,
                    const struct sp_profile *p);

/* Write the plan to path as an XLSX workbook: a "Summary" sheet (P(match) overall
 * and per specialty with intervals, costs with the fee breakdown, strategy,
 * assumptions), one sheet per specialty with its programs, "Checklist" and
 * "Curve". SP_EIO with err naming the path when the file cannot be written. */
int sp_render_plan_xlsx(const char *path, const struct sp_plan *plan, const struct sp_profile *p,
                        struct sp_err *err);

/* The plan as one self-contained HTML page: inline CSS, no scripts, no external
 * references; inline SVG charts of the diminishing-returns curve and of the
 * chosen programs on a map of the contiguous US. Every string is escaped. */
void sp_render_plan_html(struct sp_buf *out, const struct sp_plan *plan,
                         const struct sp_profile *p);

#endif
