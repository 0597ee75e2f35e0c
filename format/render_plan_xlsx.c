/*
 * The plan as an XLSX workbook (libxlsxwriter), for students who keep their
 * program lists in spreadsheets: a Summary sheet (P(match) with intervals, the
 * fee breakdown, the strategy, the assumptions), one sheet per specialty with its
 * programs (filterable, header frozen), the Checklist and the Curve.
 */
#include "render_plan.h"

#include "plan_prose.h"
#include "render_plan_internal.h"

#include <xlsxwriter.h>

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "banned.h"

struct book {
    lxw_workbook *wb;
    lxw_format *head, *pct, *usd, *num1, *num4, *wrap, *bold, *title;
    const struct sp_plan_prose *prose; /* the plan's words */
};

static void add_formats(struct book *b)
{
    b->head = workbook_add_format(b->wb);
    format_set_bold(b->head);
    format_set_bg_color(b->head, 0xDDE5F0);
    format_set_bottom(b->head, LXW_BORDER_THIN);
    b->pct = workbook_add_format(b->wb);
    format_set_num_format(b->pct, "0.0%");
    b->usd = workbook_add_format(b->wb);
    format_set_num_format(b->usd, "$#,##0.00");
    b->num1 = workbook_add_format(b->wb);
    format_set_num_format(b->num1, "0.0");
    b->num4 = workbook_add_format(b->wb);
    format_set_num_format(b->num4, "0.0000");
    b->wrap = workbook_add_format(b->wb);
    format_set_text_wrap(b->wrap);
    format_set_align(b->wrap, LXW_ALIGN_VERTICAL_TOP);
    b->bold = workbook_add_format(b->wb);
    format_set_bold(b->bold);
    b->title = workbook_add_format(b->wb);
    format_set_bold(b->title);
    format_set_font_size(b->title, 13);
}

static void str(lxw_worksheet *ws, lxw_row_t r, lxw_col_t c, const char *s, lxw_format *f)
{
    worksheet_write_string(ws, r, c, sp_render_plan__str(s), f);
}

static void header(lxw_worksheet *ws, const struct book *b, lxw_row_t r, const char *const *names,
                   lxw_col_t n)
{
    for (lxw_col_t c = 0; c < n; c++)
        str(ws, r, c, names[c], b->head);
}

/* Rows of text about this many characters wide fit a merged cell of width
 * cols; set the row height so the wrapped text shows. */
static void tall_row(lxw_worksheet *ws, lxw_row_t r, const char *text, double chars_per_line,
                     lxw_format *f)
{
    double lines = (double)strlen(text) / chars_per_line + 1.0;

    worksheet_set_row(ws, r, 15.0 * (lines < 1 ? 1 : (int)lines), f);
}

static lxw_row_t summary_specialties(lxw_worksheet *ws, const struct book *b,
                                     const struct sp_plan *plan, lxw_row_t r)
{
    static const char *const cols[] = {"Specialty", "Applications", "P(match)",
                                       "80% low",   "80% high",     "Expected interviews",
                                       "Cost",      "Gold signals", "Silver signals"};

    header(ws, b, r++, cols, 9);
    for (size_t i = 0; i < plan->n_spec; i++, r++) {
        const struct sp_plan_specialty *s = &plan->spec[i];
        str(ws, r, 0, sp_specialty_code(s->code), b->bold);
        worksheet_write_number(ws, r, 1, s->n_applications, NULL);
        worksheet_write_number(ws, r, 2, s->p_match, b->pct);
        worksheet_write_number(ws, r, 3, s->p_low, b->pct);
        worksheet_write_number(ws, r, 4, s->p_high, b->pct);
        worksheet_write_number(ws, r, 5, s->expected_interviews, b->num1);
        worksheet_write_number(ws, r, 6, s->cost_usd, b->usd);
        worksheet_write_number(ws, r, 7, s->signals_gold, NULL);
        worksheet_write_number(ws, r, 8, s->signals_silver, NULL);
    }
    return r;
}

static lxw_row_t summary_costs(lxw_worksheet *ws, const struct book *b, const struct sp_plan *plan,
                               lxw_row_t r)
{
    static const char *const cols[] = {"Cost", "Applications", "USD"};
    char label[64];

    header(ws, b, r++, cols, 3);
    for (size_t i = 0; i < plan->n_spec; i++) {
        const struct sp_plan_specialty *s = &plan->spec[i];
        if (!sp_render_plan__cost_label(label, sizeof(label), s))
            continue;
        str(ws, r, 0, label, NULL);
        worksheet_write_number(ws, r, 1, s->n_applications, NULL);
        worksheet_write_number(ws, r++, 2, s->cost_usd, b->usd);
    }
    str(ws, r, 0, "Applications, all specialties", NULL);
    worksheet_write_number(ws, r, 1, (double)plan->n_programs, NULL);
    worksheet_write_number(ws, r++, 2, plan->cost_applications_usd, b->usd);
    str(ws, r, 0, "PGY-1 (preliminary/transitional)", NULL);
    worksheet_write_number(ws, r, 1, plan->pgy1_applications, NULL);
    worksheet_write_number(ws, r++, 2, plan->cost_pgy1_usd, b->usd);
    str(ws, r, 0, "USMLE transcript", NULL);
    worksheet_write_number(ws, r++, 2, plan->cost_transcript_usd, b->usd);
    str(ws, r, 0, "Total", b->bold);
    worksheet_write_number(ws, r++, 2, plan->cost_usd, b->usd);
    return r;
}

static void summary_sheet(const struct book *b, const struct sp_plan *plan,
                          const struct sp_profile *p)
{
    lxw_worksheet *ws = workbook_add_worksheet(b->wb, "Summary");
    static const char *const cols[] = {"Measure", "Value", "80% low", "80% high", "Note"};
    lxw_row_t r = 0;

    if (!ws)
        return;
    worksheet_set_column(ws, 0, 0, 34, NULL);
    worksheet_set_column(ws, 1, 8, 14, NULL);
    header(ws, b, r++, cols, 5);
    str(ws, r, 0, "P(match anywhere)", b->bold);
    worksheet_write_number(ws, r, 1, plan->p_match_any, b->pct);
    worksheet_write_number(ws, r, 2, plan->p_match_any_low, b->pct);
    worksheet_write_number(ws, r++, 3, plan->p_match_any_high, b->pct);
    str(ws, r, 0, "Expected utility", NULL);
    worksheet_write_number(ws, r++, 1, plan->expected_utility, b->num4);
    str(ws, r, 0, "Objective", NULL);
    str(ws, r, 1, sp_render_plan__objective(plan->objective), NULL);
    str(ws, r++, 4, sp_render_plan__objective_text(plan->objective), NULL);
    if (plan->assessment.n_spec > 0) {
        str(ws, r, 0, "Primary specialty, tier", NULL);
        str(ws, r, 1, sp_specialty_code(plan->assessment.spec[0].code), NULL);
        str(ws, r++, 4, sp_tier_label(plan->assessment.spec[0].tier), NULL);
    }
    str(ws, r, 0, "Applications", NULL);
    worksheet_write_number(ws, r++, 1, (double)plan->n_programs, NULL);
    str(ws, r, 0, "Total cost", NULL);
    worksheet_write_number(ws, r++, 1, plan->cost_usd, b->usd);
    if (plan->budget_usd > 0) {
        str(ws, r, 0, "Budget", NULL);
        worksheet_write_number(ws, r++, 1, plan->budget_usd, b->usd);
    }
    if (plan->max_applications > 0) {
        str(ws, r, 0, "Budget (applications)", NULL);
        worksheet_write_number(ws, r++, 1, plan->max_applications, NULL);
    }
    if (plan->target_p_match > 0) {
        str(ws, r, 0, "Target P(match)", NULL);
        worksheet_write_number(ws, r, 1, plan->target_p_match, b->pct);
        str(ws, r++, 4, plan->target_met ? "met" : "not met", NULL);
    }

    r = summary_specialties(ws, b, plan, r + 1);
    r = summary_costs(ws, b, plan, r + 1);

    r++;
    str(ws, r++, 0, "Strategy", b->title);
    {
        /* One merged, wrapped cell per paragraph. */
        const char *s = b->prose->strategy;
        while (*s) {
            const char *end = strstr(s, "\n\n");
            size_t len = end ? (size_t)(end - s) : strlen(s);
            char para[SP_PLAN_PROSE_STRATEGY_MAX];
            memcpy(para, s, len);
            para[len] = '\0';
            worksheet_merge_range(ws, r, 0, r, 8, para, b->wrap);
            tall_row(ws, r++, para, 150, NULL);
            s += len;
            while (*s == '\n')
                s++;
        }
    }

    if (p && p->n_assumptions) {
        static const char *const acols[] = {"Assumed field", "Value", "Why"};
        r++;
        header(ws, b, r++, acols, 3);
        for (size_t i = 0; i < p->n_assumptions; i++, r++) {
            str(ws, r, 0, p->assumptions[i].field, NULL);
            str(ws, r, 1, p->assumptions[i].value, NULL);
            str(ws, r, 2, p->assumptions[i].why, NULL);
        }
    }
    worksheet_freeze_panes(ws, 1, 0);
}

static void specialty_sheet(const struct book *b, const struct sp_plan *plan,
                            const struct sp_plan_specialty *s)
{
    static const char *const cols[] = {"Order", "ACGME ID",      "Institution",  "City",
                                       "State", "Distance (mi)", "P(interview)", "P(match)",
                                       "Tier",  "Signal",        "ESIR",         "Why"};
    lxw_worksheet *ws = workbook_add_worksheet(b->wb, sp_specialty_code(s->code));
    lxw_row_t r = 0;

    if (!ws)
        return;
    worksheet_set_column(ws, 0, 0, 7, NULL);
    worksheet_set_column(ws, 1, 1, 12, NULL);
    worksheet_set_column(ws, 2, 2, 44, NULL);
    worksheet_set_column(ws, 3, 3, 18, NULL);
    worksheet_set_column(ws, 4, 4, 6, NULL);
    worksheet_set_column(ws, 5, 7, 13, NULL);
    worksheet_set_column(ws, 8, 10, 8, NULL);
    worksheet_set_column(ws, 11, 11, 70, NULL);
    header(ws, b, r++, cols, 12);
    for (size_t i = 0; i < plan->n_programs; i++) {
        const struct sp_plan_program *pp = &plan->programs[i];
        const struct sp_program *prog = pp->program;
        char why[SP_PLAN_PROSE_WHY_MAX];
        int esir;
        if (pp->specialty != s->code)
            continue;
        esir = sp_render_plan__esir(prog);
        worksheet_write_number(ws, r, 0, pp->order, NULL);
        str(ws, r, 1, prog ? prog->acgme_id : "", NULL);
        str(ws, r, 2, prog ? prog->institution : "", NULL);
        str(ws, r, 3, prog ? prog->city : "", NULL);
        str(ws, r, 4, prog ? prog->state : "", NULL);
        if (pp->distance_miles >= 0)
            worksheet_write_number(ws, r, 5, pp->distance_miles, b->num1);
        worksheet_write_number(ws, r, 6, pp->p_interview, b->pct);
        worksheet_write_number(ws, r, 7, pp->p_match, b->pct);
        str(ws, r, 8, sp_program_tier_name(pp->tier), NULL);
        str(ws, r, 9, sp_signal_name(pp->signal), NULL);
        str(ws, r, 10, esir < 0 ? "" : esir ? "yes" : "no", NULL);
        str(ws, r++, 11, sp_plan_prose_why(why, sizeof(why), pp), NULL);
    }
    worksheet_freeze_panes(ws, 1, 0);
    worksheet_autofilter(ws, 0, 0, r > 1 ? r - 1 : 1, 11);
}

static void checklist_sheet(const struct book *b)
{
    static const char *const cols[] = {"Section", "When", "Item", "Done"};
    lxw_worksheet *ws = workbook_add_worksheet(b->wb, "Checklist");
    size_t n_sec;
    const struct sp_plan_section *sec = sp_render_plan__sections(&n_sec);
    lxw_row_t r = 0;

    if (!ws)
        return;
    worksheet_set_column(ws, 0, 0, 28, NULL);
    worksheet_set_column(ws, 1, 1, 20, NULL);
    worksheet_set_column(ws, 2, 2, 100, b->wrap);
    worksheet_set_column(ws, 3, 3, 8, NULL);
    header(ws, b, r++, cols, 4);
    /* In the sections' order; items keep the plan's order within a section. */
    for (size_t s = 0; s < n_sec; s++) {
        for (size_t i = 0; i < b->prose->n_checklist; i++) {
            const struct sp_plan_prose_item *it = &b->prose->checklist[i];
            if (strcmp(it->section, sec[s].code) != 0)
                continue;
            str(ws, r, 0, sec[s].title, NULL);
            str(ws, r, 1, it->when, NULL);
            str(ws, r, 2, it->text, b->wrap);
            tall_row(ws, r++, it->text, 110, NULL);
        }
    }
    worksheet_freeze_panes(ws, 1, 0);
}

static lxw_row_t curve_rows(lxw_worksheet *ws, const struct book *b, const char *name,
                            const struct sp_curve_point *pts, size_t n, lxw_row_t r)
{
    for (size_t i = 0; i < n; i++, r++) {
        str(ws, r, 0, name, NULL);
        worksheet_write_number(ws, r, 1, pts[i].n_applications, NULL);
        worksheet_write_number(ws, r, 2, pts[i].p_match_any, b->pct);
        worksheet_write_number(ws, r, 3, pts[i].cost_usd, b->usd);
    }
    return r;
}

static void curve_sheet(const struct book *b, const struct sp_plan *plan)
{
    static const char *const cols[] = {"Curve", "Applications", "P(match)", "Cost"};
    lxw_worksheet *ws = workbook_add_worksheet(b->wb, "Curve");
    lxw_row_t r = 0;

    if (!ws)
        return;
    worksheet_set_column(ws, 0, 3, 14, NULL);
    header(ws, b, r++, cols, 4);
    r = curve_rows(ws, b, "all", plan->curve, plan->n_curve, r);
    for (size_t i = 0; i < plan->n_spec; i++) {
        size_t n = plan->n_spec_curve[i];
        if (n > SP_PLAN_MAX_CURVE / 4)
            n = SP_PLAN_MAX_CURVE / 4;
        r = curve_rows(ws, b, sp_specialty_code(plan->spec[i].code), plan->spec_curve[i], n, r);
    }
    worksheet_freeze_panes(ws, 1, 0);
    worksheet_autofilter(ws, 0, 0, r > 1 ? r - 1 : 1, 3);
}

int sp_render_plan_xlsx(const char *path, const struct sp_plan *plan, const struct sp_profile *p,
                        struct sp_err *err)
{
    struct book b;
    struct sp_plan_prose pr;
    lxw_error rc;
    FILE *fp;

    /* Check the path first: libxlsxwriter reports a failed close on stderr, and
     * errno says more than its message. */
    fp = fopen(path, "wb");
    if (!fp)
        return sp_err_set(err, SP_EIO, "%s: %s", path, strerror(errno));
    fclose(fp);
    memset(&b, 0, sizeof(b));
    b.wb = workbook_new(path);
    if (!b.wb)
        return sp_err_set(err, SP_EIO, "%s: cannot create the workbook", path);
    add_formats(&b);
    sp_plan_prose_init(&pr, plan, p);
    b.prose = &pr;
    summary_sheet(&b, plan, p);
    for (size_t i = 0; i < plan->n_spec; i++) {
        if (plan->spec[i].n_applications > 0)
            specialty_sheet(&b, plan, &plan->spec[i]);
    }
    checklist_sheet(&b);
    curve_sheet(&b, plan);
    rc = workbook_close(b.wb);
    sp_plan_prose_release(&pr);
    if (rc != LXW_NO_ERROR)
        return sp_err_set(err, SP_EIO, "%s: %s", path, lxw_strerror(rc));
    return 0;
}
