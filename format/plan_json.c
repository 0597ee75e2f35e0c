/*
 * The plan document (smartpick.plan/1): the writer behind `smartpick plan --format
 * json` and the API's plans, and the reader of the programs `smartpick simulate
 * --plan` inserts into the market. Probabilities are rounded to 4 decimals and
 * dollars to cents before they are written, so the same plan gives the same bytes.
 */
#include "plan_json.h"

#include "plan_prose.h"
#include "render.h"
#include "render_assess.h"
#include "render_plan_internal.h"
#include "sp_alloc.h"

#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "banned.h"

#define JSON_FLAGS (JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(10))

/* ---- writer ---- */

/* A number, or null when it is not finite (jansson refuses NaN and infinity). */
static json_t *jnum(double v)
{
    return isfinite(v) ? json_real(v) : json_null();
}

/* A string; bytes that are not UTF-8 become '?' (jansson refuses them). */
static json_t *jstr(const char *s)
{
    json_t *j;
    char *copy;

    s = sp_render_plan__str(s);
    j = json_string(s);
    if (j)
        return j;
    copy = sp_xstrdup(s);
    for (unsigned char *c = (unsigned char *)copy; *c; c++) {
        if (*c >= 0x80)
            *c = '?';
    }
    j = json_string(copy);
    free(copy);
    return j ? j : json_null();
}

static void set(json_t *o, const char *key, json_t *v)
{
    json_object_set_new(o, key, v ? v : json_null());
}

static json_t *curve_json(const struct sp_curve_point *pts, size_t n)
{
    json_t *a = json_array();

    for (size_t i = 0; i < n; i++) {
        json_t *o = json_object();
        set(o, "n_applications", json_integer(pts[i].n_applications));
        set(o, "p_match_any", jnum(sp_render_plan__r4(pts[i].p_match_any)));
        set(o, "cost_usd", jnum(sp_render_plan__r2(pts[i].cost_usd)));
        json_array_append_new(a, o);
    }
    return a;
}

static json_t *specialty_json(const struct sp_plan_specialty *s)
{
    json_t *o = json_object();

    set(o, "code", jstr(sp_specialty_code(s->code)));
    set(o, "name", jstr(sp_specialty_name(s->code)));
    set(o, "n_applications", json_integer(s->n_applications));
    set(o, "p_match", jnum(sp_render_plan__r4(s->p_match)));
    set(o, "p_match_low", jnum(sp_render_plan__r4(s->p_low)));
    set(o, "p_match_high", jnum(sp_render_plan__r4(s->p_high)));
    set(o, "expected_interviews", jnum(sp_render_plan__r4(s->expected_interviews)));
    set(o, "cost_usd", jnum(sp_render_plan__r2(s->cost_usd)));
    set(o, "signals_gold", json_integer(s->signals_gold));
    set(o, "signals_silver", json_integer(s->signals_silver));
    set(o, "signals_gold_available", json_integer(s->signals_gold_available));
    set(o, "signals_silver_available", json_integer(s->signals_silver_available));
    return o;
}

static json_t *program_json(const struct sp_plan_program *pp)
{
    const struct sp_program *prog = pp->program;
    json_t *o = json_object();
    int esir = sp_render_plan__esir(prog);
    char why[SP_PLAN_PROSE_WHY_MAX];

    set(o, "acgme_id", jstr(prog ? prog->acgme_id : ""));
    set(o, "specialty", jstr(sp_specialty_code(pp->specialty)));
    set(o, "institution", jstr(prog ? prog->institution : ""));
    set(o, "city", jstr(prog ? prog->city : ""));
    set(o, "state", jstr(prog ? prog->state : ""));
    set(o, "distance_miles",
        pp->distance_miles < 0 ? json_null() : jnum(round(pp->distance_miles * 10.0) / 10.0));
    set(o, "p_interview", jnum(sp_render_plan__r4(pp->p_interview)));
    set(o, "p_match", jnum(sp_render_plan__r4(pp->p_match)));
    set(o, "tier", jstr(sp_program_tier_name(pp->tier)));
    set(o, "signal", jstr(sp_signal_name(pp->signal)));
    set(o, "esir", esir < 0 ? json_null() : json_boolean(esir));
    set(o, "why", jstr(sp_plan_prose_why(why, sizeof(why), pp)));
    set(o, "order", json_integer(pp->order));
    return o;
}

/* The strategy and the checklists, worded for the plan (plan_prose.c). */
static void prose_json(json_t *root, const struct sp_plan *plan, const struct sp_profile *p)
{
    struct sp_plan_prose pr;
    json_t *checklist = json_array();

    sp_plan_prose_init(&pr, plan, p);
    set(root, "strategy", jstr(pr.strategy));
    for (size_t i = 0; i < pr.n_checklist; i++) {
        const struct sp_plan_prose_item *it = &pr.checklist[i];
        json_t *o = json_object();
        set(o, "section", jstr(it->section));
        set(o, "when", jstr(it->when));
        set(o, "text", jstr(it->text));
        json_array_append_new(checklist, o);
    }
    set(root, "checklist", checklist);
    sp_plan_prose_release(&pr);
}

void sp_plan_to_json(struct sp_buf *out, const struct sp_plan *plan, const struct sp_profile *p)
{
    json_t *root = json_object(), *specs = json_array(), *progs = json_array();
    json_t *costs = json_object(), *cost_by = json_object(), *curves = json_object();
    char *text;

    set(root, "schema", jstr(SP_PLAN_JSON_SCHEMA));
    if (p && p->name[0])
        set(root, "name", jstr(p->name));
    if (p)
        set(root, "applicant_type", jstr(sp_applicant_type_name(p->applicant_type)));
    set(root, "objective", jstr(sp_render_plan__objective(plan->objective)));
    if (plan->assessment.n_spec > 0) {
        set(root, "primary", jstr(sp_specialty_code(plan->assessment.spec[0].code)));
        set(root, "tier", jstr(sp_tier_code(plan->assessment.spec[0].tier)));
    }
    set(root, "p_match_any", jnum(sp_render_plan__r4(plan->p_match_any)));
    set(root, "p_match_any_low", jnum(sp_render_plan__r4(plan->p_match_any_low)));
    set(root, "p_match_any_high", jnum(sp_render_plan__r4(plan->p_match_any_high)));
    set(root, "expected_utility", jnum(sp_render_plan__r4(plan->expected_utility)));
    for (size_t i = 0; i < plan->n_spec; i++)
        json_array_append_new(specs, specialty_json(&plan->spec[i]));
    set(root, "by_specialty", specs);
    for (size_t i = 0; i < plan->n_programs; i++)
        json_array_append_new(progs, program_json(&plan->programs[i]));
    set(root, "programs", progs);
    set(root, "cost_usd", jnum(sp_render_plan__r2(plan->cost_usd)));
    set(costs, "applications_usd", jnum(sp_render_plan__r2(plan->cost_applications_usd)));
    set(costs, "pgy1_usd", jnum(sp_render_plan__r2(plan->cost_pgy1_usd)));
    set(costs, "transcript_usd", jnum(sp_render_plan__r2(plan->cost_transcript_usd)));
    for (size_t i = 0; i < plan->n_spec; i++)
        set(cost_by, sp_specialty_code(plan->spec[i].code),
            jnum(sp_render_plan__r2(plan->spec[i].cost_usd)));
    set(costs, "by_specialty", cost_by);
    set(root, "costs", costs);
    set(root, "pgy1_applications", json_integer(plan->pgy1_applications));
    set(root, "budget_usd", jnum(sp_render_plan__r2(plan->budget_usd)));
    set(root, "max_applications", json_integer(plan->max_applications));
    set(root, "target_p_match", jnum(sp_render_plan__r4(plan->target_p_match)));
    set(root, "target_met", json_boolean(plan->target_met));
    set(root, "curve", curve_json(plan->curve, plan->n_curve));
    for (size_t i = 0; i < plan->n_spec; i++) {
        size_t n = plan->n_spec_curve[i];
        if (n > SP_PLAN_MAX_CURVE / 4)
            n = SP_PLAN_MAX_CURVE / 4;
        set(curves, sp_specialty_code(plan->spec[i].code), curve_json(plan->spec_curve[i], n));
    }
    set(root, "curves_by_specialty", curves);
    prose_json(root, plan, p);
    if (p)
        sp_render_assumptions_json(root, p);
    else
        set(root, "assumptions", json_array());

    text = json_dumps(root, JSON_FLAGS);
    if (text) {
        sp_buf_adds(out, text);
        sp_buf_addc(out, '\n');
        free(text);
    }
    json_decref(root);
}

/* ---- reader ---- */

static enum sp_signal signal_of(const json_t *sig)
{
    const char *s = json_is_string(sig) ? json_string_value(sig) : "none";

    return strcmp(s, "gold") == 0     ? SP_SIGNAL_GOLD
           : strcmp(s, "silver") == 0 ? SP_SIGNAL_SILVER
                                      : SP_SIGNAL_NONE;
}

int sp_plan_from_json(struct sp_plan_doc *out, const char *text, size_t len, const sp_catalog *cat,
                      struct sp_err *err)
{
    json_error_t jerr;
    json_t *root = json_loadb(text, len, JSON_REJECT_DUPLICATES, &jerr);
    json_t *progs, *pm, *item;
    size_t n_all, idx;
    const struct sp_program *base = sp_catalog_programs(cat, &n_all);
    struct sp_sim_student_app *a = NULL;
    size_t n = 0;
    int rc = 0;

    memset(out, 0, sizeof(*out));
    if (!root)
        return sp_err_set(err, SP_EINVAL, "%d:%d: %s", jerr.line, jerr.column, jerr.text);
    progs = json_object_get(root, "programs");
    pm = json_object_get(root, "p_match_any");
    if (!json_is_array(progs)) {
        rc = sp_err_set(err, SP_EINVAL,
                        "programs: must be an array (a `smartpick plan "
                        "--format json` document)");
        goto out;
    }
    if (!json_is_number(pm)) {
        rc = sp_err_set(err, SP_EINVAL, "p_match_any: must be a number");
        goto out;
    }
    a = sp_xcalloc(json_array_size(progs) + 1, sizeof(*a));
    json_array_foreach(progs, idx, item)
    {
        json_t *id = json_object_get(item, "acgme_id");
        json_t *util = json_object_get(item, "utility");
        const struct sp_program *prog;
        if (!json_is_string(id)) {
            rc = sp_err_set(err, SP_EINVAL, "programs[%zu].acgme_id: must be a string", idx);
            goto out;
        }
        prog = sp_catalog_find(cat, json_string_value(id));
        if (!prog) {
            rc = sp_err_set(err, SP_EINVAL, "programs[%zu].acgme_id: '%s' is not in the catalog",
                            idx, json_string_value(id));
            goto out;
        }
        a[n].program = (size_t)(prog - base);
        a[n].signal = signal_of(json_object_get(item, "signal"));
        /* The plan ranks by utility; without one, in the plan's order. */
        a[n].utility = json_is_number(util) ? json_number_value(util) : 1.0 - (double)idx * 1e-6;
        n++;
    }
    out->p_match_any = json_number_value(pm);
    out->apps = a;
    out->n_apps = n;
    a = NULL;
out:
    free(a);
    json_decref(root);
    return rc;
}
