/*
 * Output of `smartpick assess`, `smartpick fit` and `smartpick calibrate`.
 */
#include "render_assess.h"

#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "banned.h"

#define JSON_FLAGS (JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(6))

static double r4(double v)
{
    return round(v * 10000.0) / 10000.0;
}

static void dump(struct sp_buf *out, json_t *root)
{
    char *text = json_dumps(root, JSON_FLAGS);

    sp_buf_adds(out, text);
    sp_buf_addc(out, '\n');
    free(text);
    json_decref(root);
}

void sp_render_assumptions_json(void *obj, const struct sp_profile *p)
{
    json_t *list = json_array();

    for (size_t i = 0; i < p->n_assumptions; i++)
        json_array_append_new(list, json_pack("{s:s, s:s, s:s}", "field", p->assumptions[i].field,
                                              "value", p->assumptions[i].value, "why",
                                              p->assumptions[i].why));
    json_object_set_new(obj, "assumptions", list);
}

static const char *factor_label(const char *name)
{
    static const struct {
        const char *name, *label;
    } labels[] = {
        {"step2_ck", "Step 2 CK score"},
        {"applicant_type", "applicant type"},
        {"honors", "clerkship honors"},
        {"aoa", "AOA"},
        {"research", "research output"},
        {"research_in_specialty", "research in the specialty"},
        {"letters", "letters from the specialty"},
        {"away_rotations", "away rotations in the specialty"},
        {"exam_failures", "exam failures"},
        {"gap_months", "gap in training"},
        {"professionalism", "professionalism flag"},
        {"reapplicant", "reapplicant"},
        {"years_since_graduation", "years since graduation"},
        {"visa_needed", "visa need"},
    };

    for (size_t i = 0; i < sizeof(labels) / sizeof(labels[0]); i++) {
        if (strcmp(name, labels[i].name) == 0)
            return labels[i].label;
    }
    return name;
}

static void assessment_json(struct sp_buf *out, const struct sp_assessment *a,
                            const struct sp_profile *p)
{
    json_t *root = json_object(), *specs = json_array(), *factors = json_array(),
           *imps = json_array();

    json_object_set_new(root, "schema", json_string("smartpick.assessment/1"));
    if (p->name[0])
        json_object_set_new(root, "name", json_string(p->name));
    json_object_set_new(root, "applicant_type",
                        json_string(sp_applicant_type_name(p->applicant_type)));
    json_object_set_new(root, "primary", json_string(sp_specialty_code(a->spec[0].code)));
    json_object_set_new(root, "tier", json_string(sp_tier_code(a->spec[0].tier)));
    for (size_t i = 0; i < a->n_spec; i++) {
        const struct sp_assess_specialty *s = &a->spec[i];
        json_array_append_new(
            specs, json_pack("{s:s, s:s, s:f, s:f, s:f, s:s, s:i, s:i, s:f, s:i, s:i, s:f}",
                             "code", sp_specialty_code(s->code), "name",
                             sp_specialty_name(s->code), "p_match", r4(s->p_match), "p_match_low",
                             r4(s->p_low), "p_match_high", r4(s->p_high), "tier",
                             sp_tier_code(s->tier), "n_applications", s->n_applications,
                             "n_programs", s->n_programs, "expected_interviews",
                             r4(s->expected_interviews), "signals_gold", s->signals_gold,
                             "signals_silver", s->signals_silver, "strength",
                             r4(s->strength.value)));
    }
    for (size_t i = 0; i < a->n_spec; i++) {
        json_t *o = json_array_get(specs, i);
        json_object_set_new(o, "advanced_share", json_real(r4(a->spec[i].advanced_share)));
    }
    json_object_set_new(root, "specialties", specs);
    for (size_t i = 0; i < a->n_factors; i++) {
        const struct sp_factor *f = &a->factors[i];
        json_array_append_new(
            factors, json_pack("{s:s, s:s, s:s, s:f, s:f}", "name", f->name, "label",
                               factor_label(f->name), "direction",
                               f->delta_p >= 0 ? "helps" : "hurts", "effect_on_strength",
                               r4(f->delta_strength), "effect_on_p_match", r4(f->delta_p)));
    }
    json_object_set_new(root, "factors", factors);
    for (size_t i = 0; i < a->n_improvements && i < 3; i++) {
        const struct sp_improvement *m = &a->improvements[i];
        json_array_append_new(imps, json_pack("{s:s, s:f, s:f}", "change", m->what,
                                              "p_match_after", r4(m->p_after), "gain",
                                              r4(m->delta_p)));
    }
    json_object_set_new(root, "improvements", imps);
    sp_render_assumptions_json(root, p);
    json_object_set_new(root, "method",
                        json_string("P(match) at the typical number of applications, integrated "
                                    "over the cycle's latent term; 80% interval from parameter "
                                    "uncertainty (docs/MODEL.md)"));
    dump(out, root);
}

static void assessment_text(struct sp_buf *out, const struct sp_assessment *a,
                            const struct sp_profile *p)
{
    sp_buf_addf(out, "%s%s%s (%s)\n\n", p->name[0] ? "Assessment for " : "Assessment",
                p->name[0] ? p->name : "", "", sp_applicant_type_name(p->applicant_type));
    sp_buf_addf(out, "%-6s %9s  %-15s %5s %11s  %s\n", "SPEC", "P(MATCH)", "80% INTERVAL", "APPS",
                "INTERVIEWS", "TIER");
    for (size_t i = 0; i < a->n_spec; i++) {
        const struct sp_assess_specialty *s = &a->spec[i];
        char interval[40], lo[16], hi[16], pm[16];
        snprintf(interval, sizeof(interval), "%s - %s", sp_render_pct(lo, sizeof(lo), s->p_low),
                 sp_render_pct(hi, sizeof(hi), s->p_high));
        sp_buf_addf(out, "%-6s %9s  %-15s %5d %11.1f  %s\n", sp_specialty_code(s->code),
                    sp_render_pct(pm, sizeof(pm), s->p_match), interval, s->n_applications,
                    s->expected_interviews, sp_tier_label(s->tier));
    }
    sp_buf_addf(out, "\nFor %s you are %s.\n", sp_specialty_code(a->spec[0].code),
                sp_tier_label(a->spec[0].tier));
    for (size_t i = 0; i < a->n_spec; i++) {
        if (a->spec[i].advanced_share > 0)
            sp_buf_addf(out, "%s: %.0f%% of positions are PGY-2 (advanced): they start after a "
                             "separate preliminary or transitional PGY-1 year you apply to too.\n",
                        sp_specialty_code(a->spec[i].code), 100 * a->spec[i].advanced_share);
    }
    if (a->n_factors) {
        sp_buf_adds(out, "\nWhat moves your odds (vs. a typical US MD applicant):\n");
        for (size_t i = 0; i < a->n_factors; i++) {
            const struct sp_factor *f = &a->factors[i];
            sp_buf_addf(out, "  %-5s %-34s %+6.1f points of P(match)\n",
                        f->delta_p >= 0 ? "helps" : "hurts", factor_label(f->name),
                        100 * f->delta_p);
        }
    }
    if (a->n_improvements) {
        sp_buf_adds(out, "\nWhat would raise them most:\n");
        for (size_t i = 0; i < a->n_improvements && i < 3; i++)
            sp_buf_addf(out, "  %zu. %s: %.0f%% -> %.0f%%\n", i + 1, a->improvements[i].what,
                        100 * (a->improvements[i].p_after - a->improvements[i].delta_p),
                        100 * a->improvements[i].p_after);
    }
    if (p->n_assumptions) {
        sp_buf_adds(out, "\nAssumed (not in your profile):\n");
        sp_render_assumptions(out, p);
    }
    sp_buf_adds(out, "\nP(match) is for applying to the typical number of programs of that "
                     "specialty alone; the plan combines specialties.\n");
}

void sp_render_assessment(struct sp_buf *out, enum sp_format fmt, const struct sp_assessment *a,
                          const struct sp_profile *p)
{
    if (fmt == SP_FMT_JSON)
        assessment_json(out, a, p);
    else
        assessment_text(out, a, p);
}

static void fit_json(struct sp_buf *out, const struct sp_fit_row *rows, size_t n,
                     const struct sp_profile *p)
{
    json_t *root = json_object(), *list = json_array();

    json_object_set_new(root, "schema", json_string("smartpick.fit/1"));
    for (size_t i = 0; i < n; i++) {
        const struct sp_fit_row *r = &rows[i];
        json_array_append_new(
            list, json_pack("{s:s, s:s, s:f, s:f, s:f, s:f, s:s, s:s, s:s, s:s}", "code",
                            sp_specialty_code(r->code), "name", sp_specialty_name(r->code),
                            "fit_score", r4(r->fit_score), "standalone_score",
                            r4(r->standalone_score), "ir_pathway_score", r4(r->ir_pathway_score),
                            "p_match", r4(r->p_match), "ir_pathway", r->profile->ir_pathway,
                            "ir_pathway_note", r->profile->ir_pathway_note, "pros",
                            r->profile->pros, "cons", r->profile->cons));
    }
    json_object_set_new(root, "specialties", list);
    json_object_set_new(root, "weights", json_pack("{s:f, s:f, s:f}", "standalone",
                                                   SP_FIT_W_STANDALONE, "ir_pathway",
                                                   SP_FIT_W_PATHWAY, "p_match", SP_FIT_W_MATCH));
    sp_render_assumptions_json(root, p);
    dump(out, root);
}

/* Print "a; b; c" as indented bullet lines. */
static void bullets(struct sp_buf *out, const char *label, const char *items)
{
    const char *p = items;

    sp_buf_addf(out, "    %s:\n", label);
    while (*p) {
        const char *semi = strstr(p, "; ");
        size_t len = semi ? (size_t)(semi - p) : strlen(p);
        sp_buf_adds(out, "      - ");
        sp_buf_add(out, p, len);
        sp_buf_addc(out, '\n');
        p += len + (semi ? 2 : 0);
    }
}

static void fit_text(struct sp_buf *out, const struct sp_fit_row *rows, size_t n)
{
    sp_buf_adds(out, "Backup specialties, best fit first (fit = 0.4 values + 0.3 IR pathway + "
                     "0.3 P(match)):\n\n");
    sp_buf_addf(out, "%-6s %5s %8s %9s %9s  %s\n", "SPEC", "FIT", "VALUES", "PATHWAY", "P(MATCH)",
                "IR PATHWAY");
    for (size_t i = 0; i < n; i++)
        sp_buf_addf(out, "%-6s %5.2f %8.2f %9.2f %8.0f%%  %s\n", sp_specialty_code(rows[i].code),
                    rows[i].fit_score, rows[i].standalone_score, rows[i].ir_pathway_score,
                    100 * rows[i].p_match, rows[i].profile->ir_pathway);
    for (size_t i = 0; i < n; i++) {
        sp_buf_addf(out, "\n%s - %s\n    %s\n", sp_specialty_code(rows[i].code),
                    sp_specialty_name(rows[i].code), rows[i].profile->ir_pathway_note);
        bullets(out, "pros", rows[i].profile->pros);
        bullets(out, "cons", rows[i].profile->cons);
    }
}

void sp_render_fit(struct sp_buf *out, enum sp_format fmt, const struct sp_fit_row *rows,
                   size_t n, const struct sp_profile *p)
{
    if (fmt == SP_FMT_JSON)
        fit_json(out, rows, n, p);
    else
        fit_text(out, rows, n);
}

void sp_render_calibration(struct sp_buf *out, const struct sp_calib_report *rep, bool markdown)
{
    if (markdown) {
        sp_buf_adds(out, "| specialty | target | applicant type | published | model | residual "
                         "| tolerance | |\n|---|---|---|---|---|---|---|---|\n");
    } else {
        sp_buf_addf(out, "%-5s %-26s %-11s %10s %10s %9s %9s\n", "SPEC", "TARGET", "TYPE",
                    "PUBLISHED", "MODEL", "RESIDUAL", "TOL");
    }
    for (size_t i = 0; i < rep->n_rows; i++) {
        const struct sp_calib_row *r = &rep->rows[i];
        double res = r->model - r->target;
        const char *verdict = r->is_check ? "check only" : fabs(res) <= r->tolerance ? "ok"
                                                                                  : "FAIL";
        if (markdown)
            sp_buf_addf(out, "| %s | %s | %s | %.4g | %.4g | %+.3f | %.3g | %s |\n", r->code,
                        r->name, r->type, r->target, r->model, res, r->tolerance, verdict);
        else
            sp_buf_addf(out, "%-5s %-26s %-11s %10.4g %10.4g %+9.3f %9.3g  %s\n", r->code,
                        r->name, r->type, r->target, r->model, res, r->tolerance, verdict);
    }
    if (!markdown)
        sp_buf_addf(out, "%d of the fitted targets outside tolerance\n", rep->n_failed);
}
