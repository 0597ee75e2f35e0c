/*
 * Output of `smartpick plan` as a text report, JSON (smartpick.plan/1) and CSV,
 * plus the helpers the XLSX and HTML writers share. Probabilities are rounded to
 * 4 decimals and dollars to cents before they are written, so the same plan gives
 * the same bytes.
 */
#include "render_plan.h"

#include "render_assess.h"
#include "render_plan_internal.h"
#include "sp_alloc.h"

#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "banned.h"

#define JSON_FLAGS (JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(10))

/* ---- shared helpers ---- */

int sp_render_plan__esir(const struct sp_program *prog)
{
    if (!prog || prog->facts[SP_FACT_ESIR].source == SP_SRC_NONE)
        return -1;
    return prog->facts[SP_FACT_ESIR].value > 0;
}

const char *sp_render_plan__objective(enum sp_objective o)
{
    return sp_objective_name(o);
}

const char *sp_render_plan__objective_text(enum sp_objective o)
{
    switch (o) {
    case SP_OBJ_MATCH:
        return "maximise P(match anywhere)";
    case SP_OBJ_MIN_COST:
        return "reach the target P(match) at the least cost";
    case SP_OBJ_UTILITY:
    default:
        return "maximise the expected value of the program matched";
    }
}

static const struct sp_plan_section sections[] = {
    {"letters", "Letters of recommendation"},
    {"personal_statements", "Personal statements"},
    {"signals", "Signals"},
    {"pgy1", "PGY-1 year (advanced positions)"},
    {"interviews", "Interviews"},
    {"timeline", "Timeline"},
    {"if_unmatched", "If you do not match"},
};

const struct sp_plan_section *sp_render_plan__sections(size_t *n_out)
{
    *n_out = sizeof(sections) / sizeof(sections[0]);
    return sections;
}

const char *sp_render_plan__usd(char *buf, size_t cap, double usd)
{
    char digits[64];
    long long cents, whole;
    size_t n, len = 0, lead;

    if (!isfinite(usd) || fabs(usd) > 1e15) {
        snprintf(buf, cap, "$?");
        return buf;
    }
    cents = llround(fabs(usd) * 100.0);
    whole = cents / 100;
    snprintf(digits, sizeof(digits), "%lld", whole);
    n = strlen(digits);
    lead = n % 3 ? n % 3 : 3;
    if (cap == 0)
        return buf;
    if (usd < 0 && cents > 0 && len + 1 < cap)
        buf[len++] = '-';
    if (len + 1 < cap)
        buf[len++] = '$';
    for (size_t i = 0; i < n && len + 1 < cap; i++) {
        if (i >= lead && (i - lead) % 3 == 0 && len + 2 < cap)
            buf[len++] = ',';
        buf[len++] = digits[i];
    }
    buf[len] = '\0';
    snprintf(buf + len, cap - len, ".%02lld", cents % 100);
    return buf;
}

const char *sp_render_plan__str(const char *s)
{
    return s ? s : "";
}

const struct sp_curve_point *sp_render_plan__curve_at(const struct sp_plan *plan, int n)
{
    const struct sp_curve_point *best = NULL;

    for (size_t i = 0; i < plan->n_curve; i++) {
        if (plan->curve[i].n_applications <= n)
            best = &plan->curve[i];
    }
    return best;
}

/* ---- JSON ---- */

static double r4(double v)
{
    return round(v * 10000.0) / 10000.0;
}

static double r2(double v)
{
    return round(v * 100.0) / 100.0;
}

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
        set(o, "p_match_any", jnum(r4(pts[i].p_match_any)));
        set(o, "cost_usd", jnum(r2(pts[i].cost_usd)));
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
    set(o, "p_match", jnum(r4(s->p_match)));
    set(o, "p_match_low", jnum(r4(s->p_low)));
    set(o, "p_match_high", jnum(r4(s->p_high)));
    set(o, "expected_interviews", jnum(r4(s->expected_interviews)));
    set(o, "cost_usd", jnum(r2(s->cost_usd)));
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

    set(o, "acgme_id", jstr(prog ? prog->acgme_id : ""));
    set(o, "specialty", jstr(sp_specialty_code(pp->specialty)));
    set(o, "institution", jstr(prog ? prog->institution : ""));
    set(o, "city", jstr(prog ? prog->city : ""));
    set(o, "state", jstr(prog ? prog->state : ""));
    set(o, "distance_miles",
        pp->distance_miles < 0 ? json_null() : jnum(round(pp->distance_miles * 10.0) / 10.0));
    set(o, "p_interview", jnum(r4(pp->p_interview)));
    set(o, "p_match", jnum(r4(pp->p_match)));
    set(o, "tier", jstr(sp_program_tier_name(pp->tier)));
    set(o, "signal", jstr(sp_signal_name(pp->signal)));
    set(o, "esir", esir < 0 ? json_null() : json_boolean(esir));
    set(o, "why", jstr(pp->why));
    set(o, "order", json_integer(pp->order));
    return o;
}

static void plan_json(struct sp_buf *out, const struct sp_plan *plan, const struct sp_profile *p)
{
    json_t *root = json_object(), *specs = json_array(), *progs = json_array();
    json_t *costs = json_object(), *cost_by = json_object(), *curves = json_object();
    json_t *checklist = json_array();
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
    set(root, "p_match_any", jnum(r4(plan->p_match_any)));
    set(root, "p_match_any_low", jnum(r4(plan->p_match_any_low)));
    set(root, "p_match_any_high", jnum(r4(plan->p_match_any_high)));
    set(root, "expected_utility", jnum(r4(plan->expected_utility)));
    for (size_t i = 0; i < plan->n_spec; i++)
        json_array_append_new(specs, specialty_json(&plan->spec[i]));
    set(root, "by_specialty", specs);
    for (size_t i = 0; i < plan->n_programs; i++)
        json_array_append_new(progs, program_json(&plan->programs[i]));
    set(root, "programs", progs);
    set(root, "cost_usd", jnum(r2(plan->cost_usd)));
    set(costs, "applications_usd", jnum(r2(plan->cost_applications_usd)));
    set(costs, "pgy1_usd", jnum(r2(plan->cost_pgy1_usd)));
    set(costs, "transcript_usd", jnum(r2(plan->cost_transcript_usd)));
    for (size_t i = 0; i < plan->n_spec; i++)
        set(cost_by, sp_specialty_code(plan->spec[i].code), jnum(r2(plan->spec[i].cost_usd)));
    set(costs, "by_specialty", cost_by);
    set(root, "costs", costs);
    set(root, "pgy1_applications", json_integer(plan->pgy1_applications));
    set(root, "budget_usd", jnum(r2(plan->budget_usd)));
    set(root, "max_applications", json_integer(plan->max_applications));
    set(root, "target_p_match", jnum(r4(plan->target_p_match)));
    set(root, "target_met", json_boolean(plan->target_met));
    set(root, "curve", curve_json(plan->curve, plan->n_curve));
    for (size_t i = 0; i < plan->n_spec; i++) {
        size_t n = plan->n_spec_curve[i];
        if (n > SP_PLAN_MAX_CURVE / 4)
            n = SP_PLAN_MAX_CURVE / 4;
        set(curves, sp_specialty_code(plan->spec[i].code), curve_json(plan->spec_curve[i], n));
    }
    set(root, "curves_by_specialty", curves);
    set(root, "strategy", jstr(plan->strategy));
    for (size_t i = 0; i < plan->n_checklist; i++) {
        const struct sp_checklist_item *it = &plan->checklist[i];
        json_t *o = json_object();
        set(o, "section", jstr(it->section));
        set(o, "when", jstr(it->when));
        set(o, "text", jstr(it->text));
        json_array_append_new(checklist, o);
    }
    set(root, "checklist", checklist);
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

/* ---- CSV ---- */

static void plan_csv(struct sp_buf *out, const struct sp_plan *plan)
{
    sp_buf_adds(out, "acgme_id,specialty,institution,city,state,distance_miles,p_interview,"
                     "p_match,tier,signal,esir,why,order\n");
    for (size_t i = 0; i < plan->n_programs; i++) {
        const struct sp_plan_program *pp = &plan->programs[i];
        const struct sp_program *prog = pp->program;
        int esir = sp_render_plan__esir(prog);

        sp_render_csv_field(out, prog ? prog->acgme_id : "");
        sp_buf_addc(out, ',');
        sp_render_csv_field(out, sp_specialty_code(pp->specialty));
        sp_buf_addc(out, ',');
        sp_render_csv_field(out, sp_render_plan__str(prog ? prog->institution : NULL));
        sp_buf_addc(out, ',');
        sp_render_csv_field(out, sp_render_plan__str(prog ? prog->city : NULL));
        sp_buf_addc(out, ',');
        sp_render_csv_field(out, prog ? prog->state : "");
        sp_buf_addc(out, ',');
        if (pp->distance_miles >= 0)
            sp_buf_addf(out, "%.1f", pp->distance_miles);
        sp_buf_addf(out, ",%.4f,%.4f,%s,%s,%s,", r4(pp->p_interview), r4(pp->p_match),
                    sp_program_tier_name(pp->tier), sp_signal_name(pp->signal),
                    esir < 0 ? ""
                    : esir   ? "true"
                             : "false");
        sp_render_csv_field(out, pp->why);
        sp_buf_addf(out, ",%d\n", pp->order);
    }
}

/* ---- text ---- */

/* Append text wrapped at width columns, each line indented by indent spaces, the
 * first by lead when given (it should be indent columns wide); paragraph breaks
 * ("\n\n") are kept. */
static void wrap(struct sp_buf *out, const char *text, int indent, int width, const char *lead)
{
    const char *s = text;

    while (*s) {
        int col = indent;
        const char *line_end;
        if (lead) {
            sp_buf_adds(out, lead);
            lead = NULL;
        } else {
            sp_buf_addf(out, "%*s", indent, "");
        }
        for (;;) {
            const char *word = s;
            size_t len;
            while (*s && *s != ' ' && *s != '\n')
                s++;
            len = (size_t)(s - word);
            if (col > indent && col + 1 + (int)len > width) {
                sp_buf_addc(out, '\n');
                sp_buf_addf(out, "%*s", indent, "");
                col = indent;
            } else if (col > indent) {
                sp_buf_addc(out, ' ');
                col++;
            }
            sp_buf_add(out, word, len);
            col += (int)len;
            while (*s == ' ')
                s++;
            if (!*s || *s == '\n')
                break;
        }
        line_end = s;
        sp_buf_addc(out, '\n');
        while (*line_end == '\n') {
            if (line_end != s)
                sp_buf_addc(out, '\n');
            line_end++;
        }
        s = line_end;
    }
}

static void heading(struct sp_buf *out, const char *title)
{
    size_t n = strlen(title);

    sp_buf_addf(out, "\n%s\n", title);
    for (size_t i = 0; i < n; i++)
        sp_buf_addc(out, '-');
    sp_buf_addc(out, '\n');
}

static void text_summary(struct sp_buf *out, const struct sp_plan *plan, const struct sp_profile *p)
{
    char a[32], b[32], c[32], d[32];

    sp_buf_addf(out, "SmartPick application plan%s%s", p && p->name[0] ? " for " : "",
                p && p->name[0] ? p->name : "");
    if (p)
        sp_buf_addf(out, " (%s)", sp_applicant_type_name(p->applicant_type));
    sp_buf_addc(out, '\n');
    if (plan->assessment.n_spec > 0)
        sp_buf_addf(out, "Primary specialty: %s, %s\n",
                    sp_specialty_code(plan->assessment.spec[0].code),
                    sp_tier_label(plan->assessment.spec[0].tier));
    sp_buf_addf(out, "Objective: %s (%s)\n\n", sp_render_plan__objective(plan->objective),
                sp_render_plan__objective_text(plan->objective));
    sp_buf_addf(out, "  P(match anywhere)   %.0f%% (80%% interval %.0f%% - %.0f%%)\n",
                100 * plan->p_match_any, 100 * plan->p_match_any_low, 100 * plan->p_match_any_high);
    sp_buf_addf(out, "  Expected utility    %.4f\n", plan->expected_utility);
    sp_buf_addf(out, "  Applications        %zu\n", plan->n_programs);
    sp_buf_addf(out, "  Total cost          %s (applications %s, PGY-1 %s, transcript %s)\n",
                sp_render_plan__usd(a, sizeof(a), plan->cost_usd),
                sp_render_plan__usd(b, sizeof(b), plan->cost_applications_usd),
                sp_render_plan__usd(c, sizeof(c), plan->cost_pgy1_usd),
                sp_render_plan__usd(d, sizeof(d), plan->cost_transcript_usd));
    if (plan->budget_usd > 0)
        sp_buf_addf(out, "  Budget              %s\n",
                    sp_render_plan__usd(a, sizeof(a), plan->budget_usd));
    if (plan->max_applications > 0)
        sp_buf_addf(out, "  Budget              at most %d applications\n", plan->max_applications);
    if (plan->target_p_match > 0)
        sp_buf_addf(out, "  Target P(match)     %.0f%% (%s)\n", 100 * plan->target_p_match,
                    plan->target_met ? "met" : "not met");
}

static void text_specialties(struct sp_buf *out, const struct sp_plan *plan)
{
    heading(out, "By specialty");
    sp_buf_addf(out, "%-6s %5s %9s  %-13s %10s %5s %7s %11s\n", "SPEC", "APPS", "P(MATCH)",
                "80% INTERVAL", "INTERVIEWS", "GOLD", "SILVER", "COST");
    for (size_t i = 0; i < plan->n_spec; i++) {
        const struct sp_plan_specialty *s = &plan->spec[i];
        char interval[32], usd[32];
        snprintf(interval, sizeof(interval), "%.0f%% - %.0f%%", 100 * s->p_low, 100 * s->p_high);
        sp_buf_addf(out, "%-6s %5d %8.0f%%  %-13s %10.1f %5d %7d %11s\n",
                    sp_specialty_code(s->code), s->n_applications, 100 * s->p_match, interval,
                    s->expected_interviews, s->signals_gold, s->signals_silver,
                    sp_render_plan__usd(usd, sizeof(usd), s->cost_usd));
    }
    sp_buf_adds(out, "P(MATCH) of a specialty is the chance this plan ends there: the first "
                     "one's own odds, then each\nbackup's share when the ones above it do not "
                     "work out.\n");
}

static void text_programs(struct sp_buf *out, const struct sp_plan *plan)
{
    for (size_t i = 0; i < plan->n_spec; i++) {
        enum sp_specialty k = plan->spec[i].code;
        char title[96];
        if (plan->spec[i].n_applications <= 0)
            continue;
        snprintf(title, sizeof(title), "Programs: %s (%d)", sp_specialty_code(k),
                 plan->spec[i].n_applications);
        heading(out, title);
        sp_buf_addf(out, "%4s  %-10s  %-34s %-22s %6s %7s %8s  %-6s %-6s %s\n", "#", "ACGME ID",
                    "INSTITUTION", "CITY, STATE", "MILES", "P(INT)", "P(MATCH)", "TIER", "SIGNAL",
                    "ESIR");
        for (size_t j = 0; j < plan->n_programs; j++) {
            const struct sp_plan_program *pp = &plan->programs[j];
            const struct sp_program *prog = pp->program;
            char where[96], miles[16];
            int esir;
            if (pp->specialty != k)
                continue;
            esir = sp_render_plan__esir(prog);
            snprintf(where, sizeof(where), "%s, %s", sp_render_plan__str(prog ? prog->city : NULL),
                     prog ? prog->state : "");
            if (pp->distance_miles >= 0)
                snprintf(miles, sizeof(miles), "%.0f", pp->distance_miles);
            else
                snprintf(miles, sizeof(miles), "-");
            sp_buf_addf(out, "%4d  %-10s  ", pp->order, prog ? prog->acgme_id : "");
            sp_render_padded(out, sp_render_plan__str(prog ? prog->institution : NULL), 34);
            sp_buf_addc(out, ' ');
            sp_render_padded(out, where, 22);
            sp_buf_addf(out, " %6s %6.0f%% %7.0f%%  %-6s %-6s %s\n", miles, 100 * pp->p_interview,
                        100 * pp->p_match, sp_program_tier_name(pp->tier),
                        sp_signal_name(pp->signal),
                        esir < 0 ? "?"
                        : esir   ? "yes"
                                 : "no");
            if (pp->why[0])
                sp_buf_addf(out, "%4s  why: %s\n", "", pp->why);
        }
    }
}

static void text_costs(struct sp_buf *out, const struct sp_plan *plan)
{
    char usd[32];

    heading(out, "Costs");
    for (size_t i = 0; i < plan->n_spec; i++) {
        const struct sp_plan_specialty *s = &plan->spec[i];
        char label[64];
        if (s->n_applications <= 0)
            continue;
        snprintf(label, sizeof(label), "%s: %d application%s (%s)", sp_specialty_code(s->code),
                 s->n_applications, s->n_applications == 1 ? "" : "s",
                 s->code == SP_SPEC_EM ? "ResidencyCAS" : "ERAS");
        sp_buf_addf(out, "  %-40s %12s\n", label,
                    sp_render_plan__usd(usd, sizeof(usd), s->cost_usd));
    }
    {
        char label[64];
        snprintf(label, sizeof(label), "PGY-1: %d application%s", plan->pgy1_applications,
                 plan->pgy1_applications == 1 ? "" : "s");
        sp_buf_addf(out, "  %-40s %12s\n", label,
                    sp_render_plan__usd(usd, sizeof(usd), plan->cost_pgy1_usd));
    }
    sp_buf_addf(out, "  %-40s %12s\n", "USMLE transcript",
                sp_render_plan__usd(usd, sizeof(usd), plan->cost_transcript_usd));
    sp_buf_addf(out, "  %-40s %12s\n", "Total",
                sp_render_plan__usd(usd, sizeof(usd), plan->cost_usd));
}

/* About ten rows of the overall curve, always with the plan's own point. */
static void text_curve(struct sp_buf *out, const struct sp_plan *plan)
{
    const struct sp_curve_point *mine = sp_render_plan__curve_at(plan, (int)plan->n_programs);
    size_t step = plan->n_curve > 10 ? (plan->n_curve + 9) / 10 : 1;
    char usd[32];

    if (plan->n_curve == 0)
        return;
    heading(out, "Diminishing returns (P(match anywhere) by number of applications)");
    sp_buf_addf(out, "%6s %12s %12s\n", "APPS", "P(MATCH)", "COST");
    for (size_t i = 0; i < plan->n_curve; i++) {
        const struct sp_curve_point *c = &plan->curve[i];
        if (i % step != step - 1 && i + 1 != plan->n_curve && c != mine)
            continue;
        sp_buf_addf(out, "%6d %11.1f%% %12s%s\n", c->n_applications, 100 * c->p_match_any,
                    sp_render_plan__usd(usd, sizeof(usd), c->cost_usd),
                    c == mine ? "  <- this plan" : "");
    }
}

static void text_checklist(struct sp_buf *out, const struct sp_plan *plan)
{
    size_t n_sec;
    const struct sp_plan_section *sec = sp_render_plan__sections(&n_sec);

    for (size_t s = 0; s < n_sec; s++) {
        bool any = false;
        for (size_t i = 0; i < plan->n_checklist; i++) {
            const struct sp_checklist_item *it = &plan->checklist[i];
            struct sp_buf line = SP_BUF_INIT;
            if (strcmp(it->section, sec[s].code) != 0)
                continue;
            if (!any)
                heading(out, sec[s].title);
            any = true;
            if (it->when[0])
                sp_buf_addf(&line, "[%s] %s", it->when, it->text);
            else
                sp_buf_adds(&line, it->text);
            wrap(out, sp_buf_cstr(&line), 4, 92, "  - ");
            sp_buf_release(&line);
        }
    }
}

static void plan_text(struct sp_buf *out, const struct sp_plan *plan, const struct sp_profile *p)
{
    text_summary(out, plan, p);
    if (plan->strategy[0]) {
        heading(out, "Strategy");
        wrap(out, plan->strategy, 2, 92, NULL);
    }
    text_specialties(out, plan);
    text_programs(out, plan);
    text_costs(out, plan);
    text_curve(out, plan);
    text_checklist(out, plan);
    if (p && p->n_assumptions) {
        heading(out, "Assumed (not in your profile)");
        for (size_t i = 0; i < p->n_assumptions; i++)
            sp_buf_addf(out, "  %s = %s (%s)\n", p->assumptions[i].field, p->assumptions[i].value,
                        p->assumptions[i].why);
    }
    sp_buf_adds(out, "\nProbabilities are model estimates with 80% intervals (docs/MODEL.md); "
                     "the optimizer is described in docs/OPTIMIZER.md.\n");
}

void sp_render_plan(struct sp_buf *out, enum sp_format fmt, const struct sp_plan *plan,
                    const struct sp_profile *p)
{
    switch (fmt) {
    case SP_FMT_JSON:
        plan_json(out, plan, p);
        break;
    case SP_FMT_CSV:
        plan_csv(out, plan);
        break;
    case SP_FMT_TEXT:
    default:
        plan_text(out, plan, p);
        break;
    }
}
