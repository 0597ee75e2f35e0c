/*
 * The plan as one self-contained HTML page: inline CSS, no scripts and no
 * external references, so it can be saved, mailed and printed as is. Two inline
 * SVG charts: the diminishing-returns curve (P(match) and cost against the number
 * of applications, overall and per specialty) and the chosen programs on a map of
 * the contiguous US (Albers equal-area conic; a coarse national outline and a
 * graticule, no state borders; dots colored by specialty, sized by signal).
 * Every string from the plan or the profile is escaped.
 */
#include "render_plan.h"

#include "plan_prose.h"
#include "render_plan_internal.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "banned.h"

#define PI 3.14159265358979323846

/* ---- escaping ---- */

static void esc(struct sp_buf *out, const char *s)
{
    for (s = sp_render_plan__str(s); *s; s++) {
        switch (*s) {
        case '&':
            sp_buf_adds(out, "&amp;");
            break;
        case '<':
            sp_buf_adds(out, "&lt;");
            break;
        case '>':
            sp_buf_adds(out, "&gt;");
            break;
        case '"':
            sp_buf_adds(out, "&quot;");
            break;
        case '\'':
            sp_buf_adds(out, "&#39;");
            break;
        default:
            sp_buf_addc(out, *s);
        }
    }
}

/* Escape a printf-formatted string. */
__attribute__((format(printf, 2, 3))) static void escf(struct sp_buf *out, const char *fmt, ...)
{
    struct sp_buf tmp = SP_BUF_INIT;
    va_list ap;

    va_start(ap, fmt);
    sp_buf_vaddf(&tmp, fmt, ap);
    va_end(ap);
    esc(out, sp_buf_cstr(&tmp));
    sp_buf_release(&tmp);
}

/* ---- colors ---- */

static const char *spec_color(enum sp_specialty k)
{
    static const char *const colors[SP_SPEC_COUNT] = {
        "#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd",
        "#8c564b", "#e377c2", "#7f7f7f", "#17becf",
    };
    return (unsigned)k < SP_SPEC_COUNT ? colors[k] : "#444444";
}

static const char *signal_stroke(enum sp_signal s)
{
    return s == SP_SIGNAL_GOLD ? "#b8860b" : s == SP_SIGNAL_SILVER ? "#6b7b8c" : "#ffffff";
}

static double signal_radius(enum sp_signal s)
{
    return s == SP_SIGNAL_GOLD ? 7.5 : s == SP_SIGNAL_SILVER ? 5.5 : 3.5;
}

/* ---- page ---- */

static const char css[] =
    "*{box-sizing:border-box}"
    "body{font:15px/1.45 system-ui,-apple-system,'Segoe UI',Roboto,Helvetica,Arial,sans-serif;"
    "color:#1d2733;background:#f6f7f9;margin:0}"
    "main{max-width:1100px;margin:0 auto;padding:24px 20px 48px}"
    "h1{font-size:26px;margin:0 0 4px}h2{font-size:19px;margin:32px 0 10px;"
    "border-bottom:2px solid #d9dee5;padding-bottom:4px}h3{font-size:16px;margin:20px 0 6px}"
    ".sub{color:#56626f;margin:0 0 16px}"
    ".cards{display:flex;flex-wrap:wrap;gap:12px}"
    ".card{background:#fff;border:1px solid #d9dee5;border-radius:8px;padding:12px 16px;"
    "min-width:170px;flex:1}"
    ".card .v{font-size:26px;font-weight:650}.card .l{color:#56626f;font-size:13px}"
    "table{border-collapse:collapse;width:100%;background:#fff;font-size:13.5px}"
    "th,td{border:1px solid #e1e5ea;padding:4px 7px;text-align:left;vertical-align:top}"
    "th{background:#eef1f5;font-weight:600}td.n{text-align:right;white-space:nowrap}"
    ".why{color:#56626f;font-size:12.5px}"
    ".chart{background:#fff;border:1px solid #d9dee5;border-radius:8px;padding:8px}"
    "svg{width:100%;height:auto;display:block}"
    "svg text{font-family:system-ui,Helvetica,Arial,sans-serif}"
    ".sw{display:inline-block;width:11px;height:11px;border-radius:50%;margin-right:4px;"
    "vertical-align:-1px}"
    ".tag{display:inline-block;padding:0 6px;border-radius:9px;font-size:12px;background:#eef1f5}"
    ".gold{background:#f6e7b5}.silver{background:#e3e8ee}"
    ".reach{color:#a33}.target{color:#8a6d00}.likely{color:#2a7a2a}"
    "ul{padding-left:20px}li{margin:3px 0}.when{font-weight:600;white-space:nowrap}"
    ".note{color:#56626f;font-size:13px}"
    "footer{margin-top:36px;color:#56626f;font-size:12.5px}"
    "@media print{body{background:#fff}.chart,.card{border-color:#bbb}h2{break-after:avoid}"
    "table{page-break-inside:auto}tr{break-inside:avoid}}";

static void pct_cell(struct sp_buf *out, double p)
{
    char b[16];

    sp_buf_adds(out, "<td class=\"n\">");
    esc(out, sp_render_pct(b, sizeof(b), p));
    sp_buf_adds(out, "</td>");
}

static void head(struct sp_buf *out, const struct sp_plan *plan, const struct sp_profile *p)
{
    sp_buf_adds(out, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
                     "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
                     "<title>SmartPick plan");
    if (p && p->name[0]) {
        sp_buf_adds(out, " - ");
        esc(out, p->name);
    }
    sp_buf_addf(out, "</title>\n<style>%s</style>\n</head>\n<body>\n<main>\n", css);
    sp_buf_adds(out, "<h1>Residency application plan");
    if (p && p->name[0]) {
        sp_buf_adds(out, " for ");
        esc(out, p->name);
    }
    sp_buf_adds(out, "</h1>\n<p class=\"sub\">");
    if (p)
        escf(out, "%s applicant", sp_applicant_type_name(p->applicant_type));
    if (plan->assessment.n_spec > 0) {
        sp_buf_adds(out, " &middot; ");
        escf(out, "primary %s: %s", sp_specialty_code(plan->assessment.spec[0].code),
             sp_tier_label(plan->assessment.spec[0].tier));
    }
    sp_buf_adds(out, " &middot; objective: ");
    esc(out, sp_render_plan__objective_text(plan->objective));
    sp_buf_adds(out, "</p>\n");
}

static void card(struct sp_buf *out, const char *value, const char *label)
{
    sp_buf_adds(out, "<div class=\"card\"><div class=\"v\">");
    esc(out, value);
    sp_buf_adds(out, "</div><div class=\"l\">");
    esc(out, label);
    sp_buf_adds(out, "</div></div>\n");
}

static void cards(struct sp_buf *out, const struct sp_plan *plan)
{
    char v[64], l[128], usd[32];
    double interviews = 0;

    for (size_t i = 0; i < plan->n_spec; i++)
        interviews += plan->spec[i].expected_interviews;
    sp_buf_adds(out, "<section class=\"cards\">\n");
    {
        char lo[16], hi[16], one[40];
        sp_render_pct(v, sizeof(v), plan->p_match_any);
        sp_render_pct(lo, sizeof(lo), plan->p_match_any_low);
        sp_render_pct(hi, sizeof(hi), plan->p_match_any_high);
        if (plan->p_match_any >= 0.9)
            snprintf(l, sizeof(l), "P(match anywhere), 80%% interval %s to %s; not matching %s", lo,
                     hi, sp_render_one_in(one, sizeof(one), plan->p_match_any));
        else
            snprintf(l, sizeof(l), "P(match anywhere), 80%% interval %s to %s", lo, hi);
    }
    card(out, v, l);
    snprintf(v, sizeof(v), "%zu", plan->n_programs);
    snprintf(l, sizeof(l), "applications (+%d PGY-1)", plan->pgy1_applications);
    card(out, v, plan->pgy1_applications > 0 ? l : "applications");
    snprintf(l, sizeof(l), "total cost%s%s", plan->budget_usd > 0 ? ", budget " : "",
             plan->budget_usd > 0 ? sp_render_plan__money(usd, sizeof(usd), plan->budget_usd, true)
                                  : "");
    card(out, sp_render_plan__money(v, sizeof(v), plan->cost_usd, true), l);
    snprintf(v, sizeof(v), "%.1f", interviews);
    card(out, v, "interviews expected");
    if (plan->target_p_match > 0) {
        snprintf(v, sizeof(v), "%.0f%%", 100 * plan->target_p_match);
        card(out, v, plan->target_met ? "target P(match): met" : "target P(match): not met");
    }
    sp_buf_adds(out, "</section>\n");
}

static void strategy(struct sp_buf *out, const struct sp_plan_prose *pr)
{
    const char *s = pr->strategy;

    if (!*s)
        return;
    sp_buf_adds(out, "<h2>Strategy</h2>\n");
    while (*s) {
        const char *end = strstr(s, "\n\n");
        size_t len = end ? (size_t)(end - s) : strlen(s);
        struct sp_buf para = SP_BUF_INIT;
        sp_buf_add(&para, s, len);
        sp_buf_adds(out, "<p>");
        esc(out, sp_buf_cstr(&para));
        sp_buf_adds(out, "</p>\n");
        sp_buf_release(&para);
        s += len;
        while (*s == '\n')
            s++;
    }
}

static void specialties(struct sp_buf *out, const struct sp_plan *plan)
{
    char usd[32];

    sp_buf_adds(out, "<h2>By specialty</h2>\n<table>\n<tr><th>Specialty</th><th>Applications"
                     "</th><th>P(match)</th><th>80% interval</th><th>Interviews expected</th>"
                     "<th>Gold signals</th><th>Silver signals</th><th>Cost</th></tr>\n");
    for (size_t i = 0; i < plan->n_spec; i++) {
        const struct sp_plan_specialty *s = &plan->spec[i];
        sp_buf_addf(out, "<tr><td><span class=\"sw\" style=\"background:%s\"></span>",
                    spec_color(s->code));
        escf(out, "%s - %s", sp_specialty_code(s->code), sp_specialty_name(s->code));
        sp_buf_addf(out, "</td><td class=\"n\">%d</td>", s->n_applications);
        pct_cell(out, s->p_match);
        {
            char lo[16], hi[16];
            sp_buf_adds(out, "<td class=\"n\">");
            escf(out, "%s to %s", sp_render_pct(lo, sizeof(lo), s->p_low),
                 sp_render_pct(hi, sizeof(hi), s->p_high));
            sp_buf_adds(out, "</td>");
            sp_buf_addf(out, "<td class=\"n\">%.1f</td>", s->expected_interviews);
        }
        sp_buf_addf(out, "<td class=\"n\">%d of %d</td><td class=\"n\">%d of %d</td>",
                    s->signals_gold, s->signals_gold_available, s->signals_silver,
                    s->signals_silver_available);
        sp_buf_adds(out, "<td class=\"n\">");
        esc(out, sp_render_plan__money(usd, sizeof(usd), s->cost_usd, true));
        sp_buf_adds(out, "</td></tr>\n");
    }
    sp_buf_adds(out, "</table>\n<p class=\"note\">P(match) of a specialty is the chance this "
                     "plan ends there: the first specialty's own odds, then each backup's share "
                     "when the ones above it do not work out.</p>\n");
}

/* ---- chart 1: the diminishing-returns curve ---- */

/* A round axis maximum at or above v: 1, 2, 2.5 or 5 times a power of ten. */
static double nice_max(double v)
{
    double p, f;

    if (v <= 0)
        return 1;
    p = pow(10, floor(log10(v)));
    f = v / p;
    if (f <= 1)
        return p;
    if (f <= 2)
        return 2 * p;
    if (f <= 2.5)
        return 2.5 * p;
    if (f <= 5)
        return 5 * p;
    return 10 * p;
}

struct frame {
    double x0, y0, w, h; /* plot area in SVG units */
    double xmax, ymax, y2max;
};

static double fx(const struct frame *f, double x)
{
    return f->x0 + f->w * x / f->xmax;
}

static double fy(const struct frame *f, double y)
{
    return f->y0 + f->h - f->h * y / f->ymax;
}

static double fy2(const struct frame *f, double y)
{
    return f->y0 + f->h - f->h * y / f->y2max;
}

static void polyline(struct sp_buf *out, const struct frame *f, const struct sp_curve_point *pts,
                     size_t n, bool cost, const char *color, double width, const char *dash)
{
    if (n == 0)
        return;
    sp_buf_addf(out, "<polyline fill=\"none\" stroke=\"%s\" stroke-width=\"%.1f\"%s%s%s points=\"",
                color, width, dash ? " stroke-dasharray=\"" : "", dash ? dash : "",
                dash ? "\"" : "");
    for (size_t i = 0; i < n; i++)
        sp_buf_addf(out, "%s%.1f,%.1f", i ? " " : "", fx(f, pts[i].n_applications),
                    cost ? fy2(f, pts[i].cost_usd) : fy(f, pts[i].p_match_any));
    sp_buf_adds(out, "\"/>\n");
}

static size_t spec_curve_len(const struct sp_plan *plan, size_t i)
{
    size_t n = plan->n_spec_curve[i];

    return n > SP_PLAN_MAX_CURVE / 4 ? SP_PLAN_MAX_CURVE / 4 : n;
}

/* The axes' range: the longest curve and the largest cost, rounded up. */
static void curve_frame(struct frame *f, const struct sp_plan *plan)
{
    double xmax = 0, cmax = 0;

    for (size_t i = 0; i < plan->n_curve; i++) {
        if (plan->curve[i].n_applications > xmax)
            xmax = plan->curve[i].n_applications;
        if (plan->curve[i].cost_usd > cmax)
            cmax = plan->curve[i].cost_usd;
    }
    for (size_t i = 0; i < plan->n_spec; i++) {
        for (size_t j = 0; j < spec_curve_len(plan, i); j++) {
            if (plan->spec_curve[i][j].n_applications > xmax)
                xmax = plan->spec_curve[i][j].n_applications;
        }
    }
    f->xmax = nice_max(xmax > 0 ? xmax : 10);
    f->y2max = nice_max(cmax > 0 ? cmax : 100);
}

/* The grid, P(match) on the left, cost on the right, applications below. */
static void curve_axes(struct sp_buf *out, const struct frame *f)
{
    /* grid and left axis: P(match) */
    for (int i = 0; i <= 5; i++) {
        double y = fy(f, i / 5.0);
        sp_buf_addf(out,
                    "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#e3e7ec\"/>"
                    "<text x=\"%.1f\" y=\"%.1f\" font-size=\"11\" text-anchor=\"end\" "
                    "fill=\"#56626f\">%d%%</text>\n",
                    f->x0, y, f->x0 + f->w, y, f->x0 - 6, y + 4, i * 20);
        char usd[32], *cents;
        sp_render_plan__money(usd, sizeof(usd), f->y2max * i / 5.0, true);
        cents = strchr(usd, '.');
        if (cents)
            *cents = '\0';
        sp_buf_addf(out,
                    "<text x=\"%.1f\" y=\"%.1f\" font-size=\"11\" fill=\"#8a8f96\">%s</text>\n",
                    f->x0 + f->w + 6, fy2(f, f->y2max * i / 5.0) + 4, usd);
    }
    /* x axis ticks */
    for (int i = 0; i <= 10; i++) {
        double xv = f->xmax * i / 10.0, x = fx(f, xv);
        sp_buf_addf(out,
                    "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#56626f\"/>"
                    "<text x=\"%.1f\" y=\"%.1f\" font-size=\"11\" text-anchor=\"middle\" "
                    "fill=\"#56626f\">%g</text>\n",
                    x, f->y0 + f->h, x, f->y0 + f->h + 4, x, f->y0 + f->h + 17, xv);
    }
    sp_buf_addf(out,
                "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#56626f\"/>\n"
                "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#56626f\"/>\n",
                f->x0, f->y0, f->x0, f->y0 + f->h, f->x0, f->y0 + f->h, f->x0 + f->w, f->y0 + f->h);
    sp_buf_addf(out,
                "<text x=\"%.1f\" y=\"%.1f\" font-size=\"12\" text-anchor=\"middle\" "
                "fill=\"#1d2733\">Number of applications</text>\n"
                "<text transform=\"translate(16 %.1f) rotate(-90)\" font-size=\"12\" "
                "text-anchor=\"middle\" fill=\"#1d2733\">P(match)</text>\n"
                "<text transform=\"translate(%.1f %.1f) rotate(90)\" font-size=\"12\" "
                "text-anchor=\"middle\" fill=\"#8a8f96\">Cost (USD), dashed</text>\n",
                f->x0 + f->w / 2, f->y0 + f->h + 34, f->y0 + f->h / 2, f->x0 + f->w + 62,
                f->y0 + f->h / 2);
}

/* The curves (cost on the right axis, each specialty alone, then all together) and
 * the plan's own point on the overall one (mine, when there is one). */
static void curve_lines(struct sp_buf *out, const struct frame *f, const struct sp_plan *plan,
                        const struct sp_curve_point *mine)
{
    polyline(out, f, plan->curve, plan->n_curve, true, "#9aa1a9", 1.5, "5 4");
    for (size_t i = 0; i < plan->n_spec; i++)
        polyline(out, f, plan->spec_curve[i], spec_curve_len(plan, i), false,
                 spec_color(plan->spec[i].code), 1.8, NULL);
    polyline(out, f, plan->curve, plan->n_curve, false, "#1d2733", 3, NULL);
    if (mine) {
        double x = fx(f, mine->n_applications), y = fy(f, mine->p_match_any);
        sp_buf_addf(out,
                    "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#1d2733\" "
                    "stroke-dasharray=\"2 3\"/>"
                    "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"5\" fill=\"#1d2733\"/>"
                    "<text x=\"%.1f\" y=\"%.1f\" font-size=\"12\" fill=\"#1d2733\" "
                    "text-anchor=\"%s\">this plan: %d applications, %.0f%%</text>\n",
                    x, f->y0, x, f->y0 + f->h, x, y, x + (x > f->x0 + f->w * 0.7 ? -8 : 8), y + 18,
                    x > f->x0 + f->w * 0.7 ? "end" : "start", mine->n_applications,
                    100 * mine->p_match_any);
    }
}

/* The legend, inside the plot at the bottom right. */
static void curve_legend(struct sp_buf *out, const struct frame *f, const struct sp_plan *plan)
{
    double ly = f->y0 + f->h - 16.0 * (double)(plan->n_spec + 2) - 6;

    sp_buf_addf(out,
                "<rect x=\"%.1f\" y=\"%.1f\" width=\"170\" height=\"%.1f\" fill=\"#ffffff\" "
                "fill-opacity=\"0.9\" stroke=\"#d9dee5\"/>\n",
                f->x0 + f->w - 178, ly - 4, 16.0 * (double)(plan->n_spec + 2) + 4);
    sp_buf_addf(out,
                "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#1d2733\" "
                "stroke-width=\"3\"/><text x=\"%.1f\" y=\"%.1f\" font-size=\"11\">"
                "P(match anywhere)</text>\n",
                f->x0 + f->w - 170, ly + 8, f->x0 + f->w - 150, ly + 8, f->x0 + f->w - 144,
                ly + 12);
    for (size_t i = 0; i < plan->n_spec; i++) {
        double yy = ly + 16.0 * (double)(i + 1) + 8;
        sp_buf_addf(out,
                    "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\" "
                    "stroke-width=\"2\"/><text x=\"%.1f\" y=\"%.1f\" font-size=\"11\">",
                    f->x0 + f->w - 170, yy, f->x0 + f->w - 150, yy, spec_color(plan->spec[i].code),
                    f->x0 + f->w - 144, yy + 4);
        escf(out, "%s alone", sp_specialty_code(plan->spec[i].code));
        sp_buf_adds(out, "</text>\n");
    }
    {
        double yy = ly + 16.0 * (double)(plan->n_spec + 1) + 8;
        sp_buf_addf(out,
                    "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#9aa1a9\" "
                    "stroke-width=\"1.5\" stroke-dasharray=\"5 4\"/><text x=\"%.1f\" y=\"%.1f\" "
                    "font-size=\"11\">cost (right axis)</text>\n",
                    f->x0 + f->w - 170, yy, f->x0 + f->w - 150, yy, f->x0 + f->w - 144, yy + 4);
    }
}

static void curve_chart(struct sp_buf *out, const struct sp_plan *plan)
{
    struct frame f = {64, 24, 600, 280, 1, 1, 1};

    curve_frame(&f, plan);
    sp_buf_adds(out, "<h2>Diminishing returns</h2>\n<div class=\"chart\">\n");
    sp_buf_adds(out, "<svg viewBox=\"0 0 740 360\" role=\"img\" aria-labelledby=\"curve-t\">\n"
                     "<title id=\"curve-t\">P(match) and cost against the number of "
                     "applications</title>\n");
    curve_axes(out, &f);
    curve_lines(out, &f, plan, sp_render_plan__curve_at(plan, (int)plan->n_programs));
    curve_legend(out, &f, plan);
    if (plan->n_curve == 0)
        sp_buf_addf(out,
                    "<text x=\"%.1f\" y=\"%.1f\" font-size=\"13\" text-anchor=\"middle\" "
                    "fill=\"#56626f\">no curve in this plan</text>\n",
                    f.x0 + f.w / 2, f.y0 + f.h / 2);
    sp_buf_adds(out, "</svg>\n</div>\n<p class=\"note\">Each point is the best plan of that "
                     "size: the curve flattens where one more application adds little. "
                     "Specialty curves are for applying to that specialty alone.</p>\n");
}

/* ---- chart 2: the map ---- */

/* Albers equal-area conic for the contiguous US (standard parallels 29.5 and
 * 45.5 N, origin 37.5 N 96 W); x east, y north, in Earth radii. */
static void albers(double lat, double lon, double *x, double *y)
{
    const double p1 = 29.5 * PI / 180, p2 = 45.5 * PI / 180, p0 = 37.5 * PI / 180;
    const double l0 = -96.0 * PI / 180;
    double n = (sin(p1) + sin(p2)) / 2;
    double c = cos(p1) * cos(p1) + 2 * n * sin(p1);
    double r0 = sqrt(c - 2 * n * sin(p0)) / n;
    double r = sqrt(c - 2 * n * sin(lat * PI / 180)) / n;
    double t = n * (lon * PI / 180 - l0);

    *x = r * sin(t);
    *y = r0 - r * cos(t);
}

/* The map's box and its fit into the SVG. */
#define MAP_W 740.0
#define MAP_H 460.0
#define LAT_MIN 24.0
#define LAT_MAX 50.0
#define LON_MIN (-125.0)
#define LON_MAX (-66.0)

struct mapfit {
    double xmin, ymax, scale, ox, oy;
};

static void map_fit(struct mapfit *m)
{
    double xmin = 1e9, xmax = -1e9, ymin = 1e9, ymax = -1e9, x, y;

    /* The projected box is bounded by its edges. */
    for (double lon = LON_MIN; lon <= LON_MAX + 1e-9; lon += 1) {
        for (int e = 0; e < 2; e++) {
            albers(e ? LAT_MAX : LAT_MIN, lon, &x, &y);
            xmin = fmin(xmin, x), xmax = fmax(xmax, x), ymin = fmin(ymin, y), ymax = fmax(ymax, y);
        }
    }
    m->scale = fmin((MAP_W - 60) / (xmax - xmin), (MAP_H - 70) / (ymax - ymin));
    m->xmin = xmin;
    m->ymax = ymax;
    m->ox = 30 + ((MAP_W - 60) - m->scale * (xmax - xmin)) / 2;
    m->oy = 20 + ((MAP_H - 70) - m->scale * (ymax - ymin)) / 2;
}

static void map_xy(const struct mapfit *m, double lat, double lon, double *sx, double *sy)
{
    double x, y;

    albers(lat, lon, &x, &y);
    *sx = m->ox + (x - m->xmin) * m->scale;
    *sy = m->oy + (m->ymax - y) * m->scale;
}

/* A coarse outline of the contiguous US (lon, lat), clockwise from Cape
 * Flattery; the Canadian border runs through the Great Lakes. For orientation
 * only: accurate to a few tens of miles. */
static const double us_outline[][2] = {
    {-124.7, 48.4}, {-124.1, 46.9}, {-124.0, 46.2}, {-124.1, 44.0}, {-124.5, 42.8}, {-124.2, 42.0},
    {-124.4, 40.4}, {-123.8, 39.3}, {-122.5, 37.8}, {-121.9, 36.6}, {-120.6, 34.6}, {-118.5, 34.0},
    {-117.1, 32.5}, {-114.7, 32.7}, {-111.1, 31.3}, {-108.2, 31.3}, {-108.2, 31.8}, {-106.5, 31.8},
    {-104.4, 29.6}, {-103.3, 29.0}, {-102.4, 29.8}, {-101.4, 29.8}, {-100.5, 28.7}, {-99.5, 27.5},
    {-99.1, 26.4},  {-97.2, 25.9},  {-97.4, 27.0},  {-97.2, 27.8},  {-96.0, 28.6},  {-94.8, 29.3},
    {-93.8, 29.7},  {-92.3, 29.5},  {-91.2, 29.2},  {-90.1, 29.1},  {-89.4, 28.9},  {-89.6, 30.2},
    {-88.9, 30.4},  {-88.0, 30.3},  {-87.2, 30.4},  {-86.5, 30.4},  {-85.4, 29.7},  {-84.3, 30.0},
    {-83.0, 29.2},  {-82.7, 28.0},  {-82.2, 26.8},  {-81.8, 26.1},  {-81.1, 25.2},  {-80.4, 25.2},
    {-80.2, 25.6},  {-80.1, 26.7},  {-80.6, 28.4},  {-81.3, 29.9},  {-81.5, 30.7},  {-81.1, 31.9},
    {-80.5, 32.4},  {-79.9, 32.8},  {-79.0, 33.6},  {-78.0, 33.9},  {-76.6, 34.7},  {-75.5, 35.3},
    {-75.8, 36.2},  {-76.0, 36.9},  {-75.6, 37.6},  {-75.2, 38.3},  {-75.1, 38.8},  {-74.9, 38.9},
    {-74.1, 39.8},  {-74.0, 40.5},  {-72.9, 40.7},  {-71.9, 41.1},  {-71.3, 41.5},  {-70.0, 41.6},
    {-70.1, 42.1},  {-71.0, 42.4},  {-70.6, 42.7},  {-70.7, 43.1},  {-70.2, 43.7},  {-69.0, 44.1},
    {-68.2, 44.4},  {-67.0, 44.9},  {-67.8, 45.7},  {-67.8, 47.1},  {-68.3, 47.4},  {-69.2, 47.5},
    {-70.0, 46.7},  {-70.3, 46.0},  {-71.1, 45.3},  {-71.5, 45.0},  {-74.7, 45.0},  {-75.8, 44.4},
    {-76.4, 44.1},  {-79.2, 43.5},  {-79.0, 42.9},  {-81.5, 42.3},  {-82.7, 41.7},  {-83.1, 42.1},
    {-82.5, 42.6},  {-82.4, 43.0},  {-82.2, 44.0},  {-82.5, 45.3},  {-83.6, 45.9},  {-84.1, 46.5},
    {-84.8, 46.8},  {-86.5, 47.4},  {-88.4, 48.3},  {-89.6, 48.0},  {-90.8, 48.1},  {-92.0, 48.4},
    {-93.4, 48.6},  {-94.6, 48.7},  {-95.2, 49.4},  {-95.2, 49.0},  {-100.0, 49.0}, {-105.0, 49.0},
    {-110.0, 49.0}, {-115.0, 49.0}, {-120.0, 49.0}, {-123.3, 49.0}, {-122.8, 48.9}, {-123.2, 48.2},
};

static bool in_box(const struct sp_program *prog)
{
    double lat = prog->where.lat, lon = prog->where.lon;

    return lat >= LAT_MIN && lat <= LAT_MAX && lon >= LON_MIN && lon <= LON_MAX;
}

static void map_base(struct sp_buf *out, const struct mapfit *m)
{
    double x, y;
    size_t n = sizeof(us_outline) / sizeof(us_outline[0]);

    /* frame: the box's outline */
    sp_buf_adds(out, "<path fill=\"#f3f6fa\" stroke=\"#c5ccd5\" d=\"");
    for (double lon = LON_MIN; lon <= LON_MAX + 1e-9; lon += 1) {
        map_xy(m, LAT_MIN, lon, &x, &y);
        sp_buf_addf(out, "%s%.1f,%.1f", lon == LON_MIN ? "M" : "L", x, y);
    }
    for (double lon = LON_MAX; lon >= LON_MIN - 1e-9; lon -= 1) {
        map_xy(m, LAT_MAX, lon, &x, &y);
        sp_buf_addf(out, "L%.1f,%.1f", x, y);
    }
    sp_buf_adds(out, "Z\"/>\n");
    /* the outline */
    sp_buf_adds(out, "<path fill=\"#ffffff\" stroke=\"#9fb0c3\" stroke-width=\"1.2\" "
                     "stroke-linejoin=\"round\" d=\"");
    for (size_t i = 0; i < n; i++) {
        map_xy(m, us_outline[i][1], us_outline[i][0], &x, &y);
        sp_buf_addf(out, "%s%.1f,%.1f", i ? "L" : "M", x, y);
    }
    sp_buf_adds(out, "Z\"/>\n");
    /* graticule every 5 degrees, labelled on the bottom and left edges */
    sp_buf_adds(out, "<g stroke=\"#d3dae3\" stroke-width=\"0.7\" fill=\"none\">\n");
    for (int lat = 25; lat <= 50; lat += 5) {
        sp_buf_adds(out, "<path d=\"");
        for (double lon = LON_MIN; lon <= LON_MAX + 1e-9; lon += 1) {
            map_xy(m, lat, lon, &x, &y);
            sp_buf_addf(out, "%s%.1f,%.1f", lon == LON_MIN ? "M" : "L", x, y);
        }
        sp_buf_adds(out, "\"/>\n");
    }
    for (int lon = -125; lon <= -70; lon += 5) {
        sp_buf_adds(out, "<path d=\"");
        for (double lat = LAT_MIN; lat <= LAT_MAX + 1e-9; lat += 1) {
            map_xy(m, lat, lon, &x, &y);
            sp_buf_addf(out, "%s%.1f,%.1f", lat == LAT_MIN ? "M" : "L", x, y);
        }
        sp_buf_adds(out, "\"/>\n");
    }
    sp_buf_adds(out, "</g>\n<g font-size=\"10\" fill=\"#8a8f96\">\n");
    for (int lat = 25; lat <= 50; lat += 5) {
        map_xy(m, lat, LON_MIN, &x, &y);
        sp_buf_addf(out, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"end\">%d&#176;N</text>\n",
                    x - 4, y + 3, lat);
    }
    for (int lon = -120; lon <= -70; lon += 10) {
        map_xy(m, LAT_MIN, lon, &x, &y);
        sp_buf_addf(out, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">%d&#176;W</text>\n", x,
                    y + 13, -lon);
    }
    sp_buf_adds(out, "</g>\n");
}

static void map_dots(struct sp_buf *out, const struct mapfit *m, const struct sp_plan *plan)
{
    /* Gold under silver under none, so the large dots do not hide the small. */
    for (int lv = SP_SIGNAL_GOLD; lv >= SP_SIGNAL_NONE; lv--) {
        for (size_t i = 0; i < plan->n_programs; i++) {
            const struct sp_plan_program *pp = &plan->programs[i];
            const struct sp_program *prog = pp->program;
            double x, y;
            if ((int)pp->signal != lv || !prog || !in_box(prog))
                continue;
            map_xy(m, prog->where.lat, prog->where.lon, &x, &y);
            sp_buf_addf(out,
                        "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"%.1f\" fill=\"%s\" "
                        "fill-opacity=\"0.85\" stroke=\"%s\" stroke-width=\"%s\"><title>",
                        x, y, signal_radius(pp->signal), spec_color(pp->specialty),
                        signal_stroke(pp->signal), lv == SP_SIGNAL_NONE ? "0.8" : "2");
            escf(out, "%s - %s, %s (%s", sp_render_plan__str(prog->institution),
                 sp_render_plan__str(prog->city), prog->state, sp_specialty_code(pp->specialty));
            if (pp->signal != SP_SIGNAL_NONE)
                escf(out, ", %s signal", sp_signal_name(pp->signal));
            escf(out, "; P(interview) %.0f%%, P(match) %.0f%%)", 100 * pp->p_interview,
                 100 * pp->p_match);
            sp_buf_adds(out, "</title></circle>\n");
        }
    }
}

static void map_legend(struct sp_buf *out, const struct sp_plan *plan)
{
    double x = 40, y = MAP_H - 22;

    for (size_t i = 0; i < plan->n_spec; i++) {
        if (plan->spec[i].n_applications <= 0)
            continue;
        sp_buf_addf(out,
                    "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"5\" fill=\"%s\"/>"
                    "<text x=\"%.1f\" y=\"%.1f\" font-size=\"11\">",
                    x, y, spec_color(plan->spec[i].code), x + 9, y + 4);
        esc(out, sp_specialty_code(plan->spec[i].code));
        sp_buf_adds(out, "</text>\n");
        x += 62;
    }
    x += 20;
    for (int lv = SP_SIGNAL_NONE; lv <= SP_SIGNAL_GOLD; lv++) {
        enum sp_signal s = (enum sp_signal)lv;
        sp_buf_addf(out,
                    "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"%.1f\" fill=\"#c9d1db\" stroke=\"%s\" "
                    "stroke-width=\"%s\"/><text x=\"%.1f\" y=\"%.1f\" font-size=\"11\">%s</text>\n",
                    x, y, signal_radius(s), lv == SP_SIGNAL_NONE ? "#9aa1a9" : signal_stroke(s),
                    lv == SP_SIGNAL_NONE ? "0.8" : "2", x + 11, y + 4,
                    lv == SP_SIGNAL_NONE   ? "no signal"
                    : lv == SP_SIGNAL_GOLD ? "gold signal"
                                           : "silver signal");
        x += 92;
    }
}

static void map_chart(struct sp_buf *out, const struct sp_plan *plan)
{
    struct mapfit m;
    size_t outside = 0, unknown = 0;

    for (size_t i = 0; i < plan->n_programs; i++) {
        const struct sp_program *prog = plan->programs[i].program;
        if (!prog || (prog->where.lat == 0 && prog->where.lon == 0))
            unknown++;
        else if (!in_box(prog))
            outside++;
    }
    map_fit(&m);
    sp_buf_adds(out, "<h2>Where the programs are</h2>\n<div class=\"chart\">\n");
    sp_buf_addf(out,
                "<svg viewBox=\"0 0 %.0f %.0f\" role=\"img\" aria-labelledby=\"map-t\">\n"
                "<title id=\"map-t\">Map of the %zu programs in the plan</title>\n",
                MAP_W, MAP_H, plan->n_programs);
    map_base(out, &m);
    map_dots(out, &m, plan);
    map_legend(out, plan);
    sp_buf_adds(out, "</svg>\n</div>\n<p class=\"note\">Albers equal-area projection of the "
                     "contiguous US; the outline is approximate and city-level locations are "
                     "used. Hover a dot for the program.");
    if (outside)
        sp_buf_addf(out,
                    " %zu program%s outside the contiguous US (Alaska, Hawaii, Puerto Rico) "
                    "%s not shown.",
                    outside, outside == 1 ? "" : "s", outside == 1 ? "is" : "are");
    if (unknown)
        sp_buf_addf(out, " %zu program%s without a known location %s not shown.", unknown,
                    unknown == 1 ? "" : "s", unknown == 1 ? "is" : "are");
    sp_buf_adds(out, "</p>\n");
}

/* ---- tables ---- */

static void programs(struct sp_buf *out, const struct sp_plan *plan)
{
    sp_buf_adds(out, "<h2>Programs</h2>\n");
    for (size_t i = 0; i < plan->n_spec; i++) {
        enum sp_specialty k = plan->spec[i].code;
        if (plan->spec[i].n_applications <= 0)
            continue;
        sp_buf_addf(out, "<h3><span class=\"sw\" style=\"background:%s\"></span>", spec_color(k));
        escf(out, "%s - %s (%d)", sp_specialty_code(k), sp_specialty_name(k),
             plan->spec[i].n_applications);
        sp_buf_adds(out, "</h3>\n<table>\n<tr><th>#</th><th>Program</th><th>City</th>"
                         "<th>Miles</th><th>P(interview)</th><th>P(match)</th><th>Tier</th>"
                         "<th>Signal</th><th>ESIR</th></tr>\n");
        for (size_t j = 0; j < plan->n_programs; j++) {
            const struct sp_plan_program *pp = &plan->programs[j];
            const struct sp_program *prog = pp->program;
            char why[SP_PLAN_PROSE_WHY_MAX];
            int esir;
            if (pp->specialty != k)
                continue;
            esir = sp_render_plan__esir(prog);
            sp_buf_addf(out, "<tr><td class=\"n\">%d</td><td>", pp->order);
            esc(out, prog ? prog->institution : "");
            sp_buf_adds(out, "<br><span class=\"why\">");
            escf(out, "ACGME %s", prog ? prog->acgme_id : "");
            sp_buf_adds(out, " &middot; ");
            esc(out, sp_plan_prose_why(why, sizeof(why), pp));
            sp_buf_adds(out, "</span></td><td>");
            escf(out, "%s, %s", sp_render_plan__str(prog ? prog->city : NULL),
                 prog ? prog->state : "");
            if (pp->distance_miles >= 0)
                sp_buf_addf(out, "</td><td class=\"n\">%.0f</td>", pp->distance_miles);
            else
                sp_buf_adds(out, "</td><td class=\"n\">-</td>");
            pct_cell(out, pp->p_interview);
            pct_cell(out, pp->p_match);
            sp_buf_addf(out, "<td class=\"%s\">%s</td>", sp_program_tier_name(pp->tier),
                        sp_program_tier_name(pp->tier));
            if (pp->signal == SP_SIGNAL_NONE)
                sp_buf_adds(out, "<td></td>");
            else
                sp_buf_addf(out, "<td><span class=\"tag %s\">%s</span></td>",
                            sp_signal_name(pp->signal), sp_signal_name(pp->signal));
            sp_buf_addf(out, "<td>%s</td></tr>\n", esir < 0 ? "-" : esir ? "yes" : "no");
        }
        sp_buf_adds(out, "</table>\n");
    }
}

static void cost_row(struct sp_buf *out, const char *label, int n, double usd, bool bold)
{
    char buf[32];

    sp_buf_addf(out, "<tr%s><td>", bold ? " style=\"font-weight:600\"" : "");
    esc(out, label);
    if (n >= 0)
        sp_buf_addf(out, "</td><td class=\"n\">%d</td><td class=\"n\">", n);
    else
        sp_buf_adds(out, "</td><td></td><td class=\"n\">");
    esc(out, sp_render_plan__money(buf, sizeof(buf), usd, true));
    sp_buf_adds(out, "</td></tr>\n");
}

static void costs(struct sp_buf *out, const struct sp_plan *plan)
{
    char label[64];

    sp_buf_adds(out, "<h2>Costs</h2>\n<table style=\"max-width:560px\">\n<tr><th>Item</th>"
                     "<th>Applications</th><th>Cost</th></tr>\n");
    for (size_t i = 0; i < plan->n_spec; i++) {
        const struct sp_plan_specialty *s = &plan->spec[i];
        if (!sp_render_plan__cost_label(label, sizeof(label), s))
            continue;
        cost_row(out, label, s->n_applications, s->cost_usd, false);
    }
    cost_row(out, "PGY-1 (preliminary/transitional)", plan->pgy1_applications, plan->cost_pgy1_usd,
             false);
    cost_row(out, "USMLE transcript", -1, plan->cost_transcript_usd, false);
    cost_row(out, "Total", (int)plan->n_programs + plan->pgy1_applications, plan->cost_usd, true);
    sp_buf_adds(out, "</table>\n");
}

static void checklist(struct sp_buf *out, const struct sp_plan_prose *pr)
{
    size_t n_sec;
    const struct sp_plan_section *sec = sp_render_plan__sections(&n_sec);

    if (pr->n_checklist == 0)
        return;
    sp_buf_adds(out, "<h2>Checklist</h2>\n");
    for (size_t s = 0; s < n_sec; s++) {
        bool any = false;
        for (size_t i = 0; i < pr->n_checklist; i++) {
            const struct sp_plan_prose_item *it = &pr->checklist[i];
            if (strcmp(it->section, sec[s].code) != 0)
                continue;
            if (!any) {
                sp_buf_adds(out, "<h3>");
                esc(out, sec[s].title);
                sp_buf_adds(out, "</h3>\n<ul>\n");
            }
            any = true;
            sp_buf_adds(out, "<li>");
            if (it->when[0]) {
                sp_buf_adds(out, "<span class=\"when\">");
                esc(out, it->when);
                sp_buf_adds(out, ":</span> ");
            }
            esc(out, it->text);
            sp_buf_adds(out, "</li>\n");
        }
        if (any)
            sp_buf_adds(out, "</ul>\n");
    }
}

static void assumptions(struct sp_buf *out, const struct sp_profile *p)
{
    if (!p || p->n_assumptions == 0)
        return;
    sp_buf_adds(out, "<h2>Assumed (not in your profile)</h2>\n<table>\n<tr><th>Field</th>"
                     "<th>Value</th><th>Why</th></tr>\n");
    for (size_t i = 0; i < p->n_assumptions; i++) {
        sp_buf_adds(out, "<tr><td>");
        esc(out, p->assumptions[i].field);
        sp_buf_adds(out, "</td><td>");
        esc(out, p->assumptions[i].value);
        sp_buf_adds(out, "</td><td>");
        esc(out, p->assumptions[i].why);
        sp_buf_adds(out, "</td></tr>\n");
    }
    sp_buf_adds(out, "</table>\n");
}

void sp_render_plan_html(struct sp_buf *out, const struct sp_plan *plan, const struct sp_profile *p)
{
    struct sp_plan_prose pr;

    sp_plan_prose_init(&pr, plan, p);
    head(out, plan, p);
    cards(out, plan);
    strategy(out, &pr);
    specialties(out, plan);
    curve_chart(out, plan);
    map_chart(out, plan);
    programs(out, plan);
    costs(out, plan);
    checklist(out, &pr);
    assumptions(out, p);
    sp_buf_adds(out, "<footer>Made by SmartPick on your computer; nothing was sent anywhere. "
                     "Probabilities are model estimates with 80% intervals (docs/MODEL.md in "
                     "the SmartPick sources); fees are the published 2026 ERAS and "
                     "ResidencyCAS schedules.</footer>\n</main>\n</body>\n</html>\n");
    sp_plan_prose_release(&pr);
}
