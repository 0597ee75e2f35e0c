/*
 * render_plan_internal.h - helpers shared by the plan's writers (render_plan.c,
 * plan_json.c, render_plan_xlsx.c, render_plan_html.c). Private to the render layer.
 */
#ifndef SP_RENDER_PLAN_INTERNAL_H
#define SP_RENDER_PLAN_INTERNAL_H

#include "smartpick/plan/plan.h"

#include <stdbool.h>
#include <stddef.h>

/* ESIR at a program from its SP_FACT_ESIR: 1 offered, 0 not, -1 unknown. */
int sp_render_plan__esir(const struct sp_program *prog);

/* "utility", "match", "min-cost" (the CLI's --objective names). */
const char *sp_render_plan__objective(enum sp_objective o);
/* A sentence: what the objective maximises. */
const char *sp_render_plan__objective_text(enum sp_objective o);

/* The checklist sections in display order, with their titles; n_out set. */
struct sp_plan_section {
    const char *code;  /* "letters", ... (struct sp_checklist_item.section) */
    const char *title; /* "Letters of recommendation", ... */
};
const struct sp_plan_section *sp_render_plan__sections(size_t *n_out);

/* "$1,234.56" (cents) or "$1,235" (whole dollars) into buf, thousands separated,
 * "$?" when usd is not finite or beyond 1e15; returns buf. */
const char *sp_render_plan__money(char *buf, size_t cap, double usd, bool cents);

/* The service an application to specialty k goes through: "ResidencyCAS" (EM) or "ERAS". */
const char *sp_render_plan__service(enum sp_specialty k);
/* The cost row's label of a specialty, "IR (ERAS)", into label; false (label untouched)
 * when the plan has no application to it. */
bool sp_render_plan__cost_label(char *label, size_t cap, const struct sp_plan_specialty *s);

/* v rounded to 4 decimals (probabilities) and to cents (dollars), as written. */
double sp_render_plan__r4(double v);
double sp_render_plan__r2(double v);

/* s, or "" for NULL. */
const char *sp_render_plan__str(const char *s);

/* The plan's point on the overall curve: the last point at or below the plan's
 * number of applications (the curve runs past it), or NULL. */
const struct sp_curve_point *sp_render_plan__curve_at(const struct sp_plan *plan, int n);

#endif
