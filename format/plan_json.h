/*
 * plan_json.h - the plan document (schema smartpick.plan/1, docs/OPTIMIZER.md):
 * the writer of `smartpick plan --format json` and `POST /api/v1/plan`, and the
 * reader of the parts `smartpick simulate --plan` takes back from it.
 */
#ifndef SP_PLAN_JSON_H
#define SP_PLAN_JSON_H

#include "smartpick/catalog/catalog.h"
#include "smartpick/model/profile.h"
#include "smartpick/plan/plan.h"
#include "smartpick/sim/sim.h"
#include "sp_buf.h"

#include <stddef.h>

#define SP_PLAN_JSON_SCHEMA "smartpick.plan/1"

/* Append the plan as JSON (schema smartpick.plan/1; probabilities to 4 decimals,
 * dollars to cents, two-space indented, ends with a newline). p is the profile the
 * plan was built for (its name, applicant type and assumptions are written; NULL
 * writes none). Same plan, same bytes. */
void sp_plan_to_json(struct sp_buf *out, const struct sp_plan *plan, const struct sp_profile *p);

/* What a plan document gives the simulator's student: its programs, resolved in
 * the catalog, with their signals and rank utilities, and the plan's P(match
 * anywhere). */
struct sp_plan_doc {
    struct sp_sim_student_app *apps; /* malloc'd (free()); fx zero: it is the profile's */
    size_t n_apps;
    double p_match_any;
};

/* Read text[0..len), a `smartpick plan --format json` document: "p_match_any" and
 * each program's "acgme_id" (in cat), "signal" (none when absent) and "utility" (the
 * plan's order when absent). SP_EINVAL with err naming the JSON path and the rule;
 * on error out->apps is NULL. */
int sp_plan_from_json(struct sp_plan_doc *out, const char *text, size_t len, const sp_catalog *cat,
                      struct sp_err *err);

#endif
