/*
 * Output of `smartpick plan` as a text report and CSV (the JSON document is
 * plan_json.c's), plus the helpers the JSON, XLSX and HTML writers share.
 * Probabilities are rounded to 4 decimals and dollars to cents before they are
 * written, so the same plan gives the same bytes.
 */
#include "render_plan.h"

#include "plan_prose.h"
#include "render_plan_internal.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "banned.h"

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

const char *sp_render_plan__service(enum sp_specialty k)
{
    return k == SP_SPEC_EM ? "ResidencyCAS" : "ERAS";
}

bool sp_render_plan__cost_label(char *label, size_t cap, const struct sp_plan_specialty *s)
{
    if (s->n_applications <= 0)
        return false;
    snprintf(label, cap, "%s (%s)", sp_specialty_code(s->code), sp_render_plan__service(s->code));
    return true;
}

const char *sp_render_plan__money(char *buf, size_t cap, double usd, bool cents)
{
    char digits[32];
    long long c, whole;
    size_t n, len = 0, lead;

    if (!isfinite(usd) || fabs(usd) > 1e15) {
        snprintf(buf, cap, "$?");
        return buf;
    }
    if (cap == 0)
        return buf;
    /* Cents round half away from zero; whole dollars round the cents, which are
     * rounded half up, half up again (what every plan document has shown). */
    c = cents ? llround(fabs(usd) * 100.0) : (long long)(fabs(usd) * 100.0 + 0.5);
    whole = cents ? c / 100 : (c + 50) / 100;
    snprintf(digits, sizeof(digits), "%lld", whole);
    n = strlen(digits);
    lead = n % 3 ? n % 3 : 3;
    if (usd < 0 && c > 0 && len + 1 < cap)
        buf[len++] = '-';
    if (len + 1 < cap)
        buf[len++] = '$';
    for (size_t i = 0; i < n && len + 1 < cap; i++) {
        if (i >= lead && (i - lead) % 3 == 0 && len + 2 < cap)
            buf[len++] = ',';
        buf[len++] = digits[i];
    }
    buf[len] = '\0';
    if (cents)
        snprintf(buf + len, cap - len, ".%02lld", c % 100);
    return buf;
}

const char *sp_render_plan__str(const char *s)
{
    return s ? s : "";
}

double sp_render_plan__r4(double v)
{
    return round(v * 10000.0) / 10000.0;
}

double sp_render_plan__r2(double v)
{
    return round(v * 100.0) / 100.0;
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

/* ---- CSV ---- */

static void plan_csv(struct sp_buf *out, const struct sp_plan *plan)
{
    sp_buf_adds(out, "acgme_id,specialty,institution,city,state,distance_miles,p_interview,"
                     "p_match,tier,signal,esir,why,order\n");
    for (size_t i = 0; i < plan->n_programs; i++) {
        const struct sp_plan_program *pp = &plan->programs[i];
        const struct sp_program *prog = pp->program;
        int esir = sp_render_plan__esir(prog);
        char why[SP_PLAN_PROSE_WHY_MAX];

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
        sp_buf_addf(out, ",%.4f,%.4f,%s,%s,%s,", sp_render_plan__r4(pp->p_interview),
                    sp_render_plan__r4(pp->p_match), sp_program_tier_name(pp->tier),
                    sp_signal_name(pp->signal),
                    esir < 0 ? ""
                    : esir   ? "true"
                             : "false");
        sp_render_csv_field(out, sp_plan_prose_why(why, sizeof(why), pp));
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
    char a[32], b[32], c[32], d[32], pa[32], pl[16], ph[16];

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
    sp_render_pct(pl, sizeof(pl), plan->p_match_any_low);
    sp_render_pct(ph, sizeof(ph), plan->p_match_any_high);
    if (strcmp(pl, ph) == 0)
        sp_buf_addf(out, "  P(match anywhere)   %s (80%% interval %s)\n",
                    sp_render_pct(pa, sizeof(pa), plan->p_match_any), ph);
    else
        sp_buf_addf(out, "  P(match anywhere)   %s (80%% interval %s - %s)\n",
                    sp_render_pct(pa, sizeof(pa), plan->p_match_any), pl, ph);
    if (plan->p_match_any >= 0.9)
        sp_buf_addf(out, "  Not matching        %s\n",
                    sp_render_one_in(pa, sizeof(pa), plan->p_match_any));
    sp_buf_addf(out, "  Expected utility    %.4f\n", plan->expected_utility);
    sp_buf_addf(out, "  Applications        %zu\n", plan->n_programs);
    sp_buf_addf(out, "  Total cost          %s (applications %s, PGY-1 %s, transcript %s)\n",
                sp_render_plan__money(a, sizeof(a), plan->cost_usd, true),
                sp_render_plan__money(b, sizeof(b), plan->cost_applications_usd, true),
                sp_render_plan__money(c, sizeof(c), plan->cost_pgy1_usd, true),
                sp_render_plan__money(d, sizeof(d), plan->cost_transcript_usd, true));
    if (plan->budget_usd > 0)
        sp_buf_addf(out, "  Budget              %s\n",
                    sp_render_plan__money(a, sizeof(a), plan->budget_usd, true));
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
        char interval[32], usd[32], lo[16], hi[16], pm[16];
        snprintf(interval, sizeof(interval), "%s - %s", sp_render_pct(lo, sizeof(lo), s->p_low),
                 sp_render_pct(hi, sizeof(hi), s->p_high));
        sp_buf_addf(out, "%-6s %5d %9s  %-13s %10.1f %5d %7d %11s\n",
                    sp_specialty_code(s->code), s->n_applications,
                    sp_render_pct(pm, sizeof(pm), s->p_match), interval,
                    s->expected_interviews, s->signals_gold, s->signals_silver,
                    sp_render_plan__money(usd, sizeof(usd), s->cost_usd, true));
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
            char where[96], miles[16], why[SP_PLAN_PROSE_WHY_MAX];
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
            sp_buf_addf(out, "%4s  why: %s\n", "", sp_plan_prose_why(why, sizeof(why), pp));
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
                 sp_render_plan__service(s->code));
        sp_buf_addf(out, "  %-40s %12s\n", label,
                    sp_render_plan__money(usd, sizeof(usd), s->cost_usd, true));
    }
    {
        char label[64];
        snprintf(label, sizeof(label), "PGY-1: %d application%s", plan->pgy1_applications,
                 plan->pgy1_applications == 1 ? "" : "s");
        sp_buf_addf(out, "  %-40s %12s\n", label,
                    sp_render_plan__money(usd, sizeof(usd), plan->cost_pgy1_usd, true));
    }
    sp_buf_addf(out, "  %-40s %12s\n", "USMLE transcript",
                sp_render_plan__money(usd, sizeof(usd), plan->cost_transcript_usd, true));
    sp_buf_addf(out, "  %-40s %12s\n", "Total",
                sp_render_plan__money(usd, sizeof(usd), plan->cost_usd, true));
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
                    sp_render_plan__money(usd, sizeof(usd), c->cost_usd, true),
                    c == mine ? "  <- this plan" : "");
    }
}

static void text_checklist(struct sp_buf *out, const struct sp_plan_prose *pr)
{
    size_t n_sec;
    const struct sp_plan_section *sec = sp_render_plan__sections(&n_sec);

    for (size_t s = 0; s < n_sec; s++) {
        bool any = false;
        for (size_t i = 0; i < pr->n_checklist; i++) {
            const struct sp_plan_prose_item *it = &pr->checklist[i];
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
    struct sp_plan_prose pr;

    sp_plan_prose_init(&pr, plan, p);
    text_summary(out, plan, p);
    if (pr.strategy[0]) {
        heading(out, "Strategy");
        wrap(out, pr.strategy, 2, 92, NULL);
    }
    text_specialties(out, plan);
    text_programs(out, plan);
    text_costs(out, plan);
    text_curve(out, plan);
    text_checklist(out, &pr);
    if (p && p->n_assumptions) {
        heading(out, "Assumed (not in your profile)");
        sp_render_assumptions(out, p);
    }
    sp_buf_adds(out, "\nProbabilities are model estimates with 80% intervals (docs/MODEL.md); "
                     "the optimizer is described in docs/OPTIMIZER.md.\n");
    sp_plan_prose_release(&pr);
}

void sp_render_plan(struct sp_buf *out, enum sp_format fmt, const struct sp_plan *plan,
                    const struct sp_profile *p)
{
    switch (fmt) {
    case SP_FMT_JSON:
        sp_plan_to_json(out, plan, p);
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
