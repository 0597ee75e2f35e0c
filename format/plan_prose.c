/*
 * The plan's words: the strategy in the terms of an IR advising guide (the
 * student's tier for the primary specialty, what the optimizer chose and why, in
 * the plan's own numbers), each program's "why" from its reasons, and the
 * checklists the guide asks for: letters, personal statements, signals, the PGY-1
 * year, interviews, a timeline from MS2 to Match Week, and the plan if unmatched.
 *
 * It describes the optimizer's result and never decides it: every statement
 * about specialties, counts and signals is read from the plan, which the core
 * returns as facts and numbers. The norms (letters per specialty, deadlines) are
 * the usual ones, phrased as guidance. Deterministic.
 */
#include "plan_prose.h"

#include "render.h"
#include "render_plan_internal.h"
#include "sp_alloc.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "banned.h"

/* ---- text assembly ---- */

/* A fixed-size text that takes whole sentences: one that does not fit is left
 * out rather than cut, so the strategy never ends mid-word. */
struct text {
    char *s;
    size_t cap;
    size_t len;
};

__attribute__((format(printf, 2, 3))) static void text_add(struct text *t, const char *fmt, ...)
{
    char piece[768];
    va_list ap;
    int n;

    va_start(ap, fmt);
    n = vsnprintf(piece, sizeof(piece), fmt, ap);
    va_end(ap);
    if (n < 0 || (size_t)n >= sizeof(piece) || t->len + (size_t)n + 1 > t->cap)
        return;
    memcpy(t->s + t->len, piece, (size_t)n + 1);
    t->len += (size_t)n;
}

struct list {
    struct sp_plan_prose_item *items;
    size_t n;
    size_t cap;
};

__attribute__((format(printf, 4, 5))) static void add_item(struct list *l, const char *section,
                                                           const char *when, const char *fmt, ...)
{
    struct sp_plan_prose_item *it;
    va_list ap;

    SP_GROW(l->items, l->cap, l->n + 1);
    it = &l->items[l->n++];
    memset(it, 0, sizeof(*it));
    snprintf(it->section, sizeof(it->section), "%s", section);
    snprintf(it->when, sizeof(it->when), "%s", when);
    va_start(ap, fmt);
    vsnprintf(it->text, sizeof(it->text), fmt, ap);
    va_end(ap);
}

static double pct(double p)
{
    return 100.0 * p;
}

/* "48-74%", or "74%" when both ends read the same; ">99%" and "<1%" at the ends
 * (sp_render_pct). */
static const char *interval(char *buf, size_t cap, double lo, double hi)
{
    char a[16], b[16];

    sp_render_pct(a, sizeof(a), lo);
    sp_render_pct(b, sizeof(b), hi);
    if (strcmp(a, b) == 0)
        snprintf(buf, cap, "%s", b);
    else if (a[0] == '<' || b[0] == '>')
        snprintf(buf, cap, "%s to %s", a, b);
    else
        snprintf(buf, cap, "%.*s-%s", (int)strlen(a) - 1, a, b);
    return buf;
}

static const char *plural(int n)
{
    return n == 1 ? "" : "s";
}

/* ---- reading the plan ---- */

struct view {
    const struct sp_plan *plan;
    const struct sp_profile *p;
    enum sp_specialty primary;
    bool has_primary;                                  /* assessment names a primary */
    int apps[SP_SPEC_COUNT];                           /* applications per specialty */
    const struct sp_plan_specialty *ps[SP_SPEC_COUNT]; /* plan entry or NULL */
    int total;
    int n_active;
};

static void view_init(struct view *v, const struct sp_plan *plan, const struct sp_profile *p)
{
    memset(v, 0, sizeof(*v));
    v->plan = plan;
    v->p = p;
    for (size_t i = 0; i < plan->n_spec && i < SP_SPEC_COUNT; i++) {
        const struct sp_plan_specialty *s = &plan->spec[i];
        if ((unsigned)s->code >= SP_SPEC_COUNT)
            continue;
        v->ps[s->code] = s;
        v->apps[s->code] = s->n_applications;
        v->total += s->n_applications;
        if (s->n_applications > 0)
            v->n_active++;
    }
    if (plan->assessment.n_spec > 0) {
        v->primary = plan->assessment.spec[0].code;
        v->has_primary = true;
    } else if (plan->n_spec > 0) {
        v->primary = plan->spec[0].code;
    } else if (p && p->n_specialties > 0) {
        v->primary = p->specialties[0];
    } else {
        v->primary = SP_SPEC_IR;
    }
}

static bool active(const struct view *v, enum sp_specialty k)
{
    return v->apps[k] > 0;
}

/* The specialties with applications, in the plan's order. */
static size_t active_list(const struct view *v, enum sp_specialty *out)
{
    size_t n = 0;

    for (size_t i = 0; i < v->plan->n_spec && i < SP_SPEC_COUNT; i++) {
        enum sp_specialty k = v->plan->spec[i].code;
        if ((unsigned)k < SP_SPEC_COUNT && v->apps[k] > 0)
            out[n++] = k;
    }
    return n;
}

/* "IR, DR and IM" from a list of specialties. */
static void join_codes(char *buf, size_t cap, const enum sp_specialty *ks, size_t n)
{
    size_t len = 0;

    buf[0] = '\0';
    for (size_t i = 0; i < n && len < cap; i++) {
        const char *sep = i == 0 ? "" : i + 1 == n ? " and " : ", ";
        int w = snprintf(buf + len, cap - len, "%s%s", sep, sp_specialty_code(ks[i]));
        if (w < 0)
            break;
        len += (size_t)w;
    }
}

static const char *short_name(enum sp_specialty k)
{
    static const char *const names[SP_SPEC_COUNT] = {
        "interventional radiology",
        "diagnostic radiology",
        "internal medicine",
        "general surgery",
        "vascular surgery",
        "anesthesiology",
        "emergency medicine",
        "neurology",
        "PM&R",
    };
    return (unsigned)k < SP_SPEC_COUNT ? names[k] : "?";
}

/* How a backup keeps a path toward IR open (DESIGN.md §2.3, `smartpick fit`). */
static const char *ir_pathway(enum sp_specialty k)
{
    switch (k) {
    case SP_SPEC_DR:
        return "DR keeps IR open through ESIR or an independent IR residency after DR";
    case SP_SPEC_IM:
        return "IM leads to interventional cardiology and other procedural fellowships";
    case SP_SPEC_GS:
        return "GS leads to vascular and endovascular work";
    case SP_SPEC_VS:
        return "VS does endovascular procedures close to IR's";
    case SP_SPEC_NEURO:
        return "neurology leads to neurointerventional fellowships";
    default:
        return NULL;
    }
}

/* Programs of k in the plan that offer ESIR, and how many have a known ESIR status. */
static int count_esir(const struct sp_plan *plan, enum sp_specialty k, int *known)
{
    int n = 0;

    *known = 0;
    for (size_t i = 0; i < plan->n_programs; i++) {
        int esir = sp_render_plan__esir(plan->programs[i].program);
        if (plan->programs[i].specialty != k || esir < 0)
            continue;
        (*known)++;
        n += esir;
    }
    return n;
}

static double total_interviews(const struct view *v)
{
    double sum = 0;

    for (size_t i = 0; i < v->plan->n_spec; i++)
        sum += v->plan->spec[i].expected_interviews;
    return sum;
}

/* Specialties in the plan whose positions are partly PGY-2 advanced. */
static size_t advanced_list(const struct view *v, enum sp_specialty *out)
{
    const struct sp_assessment *a = &v->plan->assessment;
    size_t n = 0;

    for (size_t i = 0; i < a->n_spec && i < SP_SPEC_COUNT; i++) {
        enum sp_specialty k = a->spec[i].code;
        /* The assessment carries the model's share for each specialty. */
        if (a->spec[i].advanced_share > 0 && (unsigned)k < SP_SPEC_COUNT && active(v, k))
            out[n++] = k;
    }
    if (n == 0) {
        /* Without published shares, the radiology tracks are the advanced ones. */
        if (active(v, SP_SPEC_IR))
            out[n++] = SP_SPEC_IR;
        if (active(v, SP_SPEC_DR))
            out[n++] = SP_SPEC_DR;
    }
    return n;
}

/* ---- strategy ---- */

static const char *objective_text(enum sp_objective o)
{
    switch (o) {
    case SP_OBJ_MATCH:
        return "the chance of matching anywhere";
    case SP_OBJ_MIN_COST:
        return "reaching your target chance of matching at the least cost";
    case SP_OBJ_UTILITY:
    default:
        return "the expected value of the program you match, weighing your specialty order "
               "and program fit";
    }
}

static void strategy_tier(struct text *t, const struct view *v)
{
    const struct sp_assess_specialty *a = &v->plan->assessment.spec[0];
    double hi = v->plan->tier_high, mod = v->plan->tier_moderate;
    char pm[16], iv[40];

    text_add(t,
             "For %s you are %s in the guide's terms: applying to a typical %d %s programs "
             "alone, your P(match) would be %s (80%% interval %s). The guide calls "
             "%.0f%% or more highly competitive and below %.0f%% at-risk.",
             sp_specialty_code(a->code), sp_tier_label(a->tier), a->n_applications,
             sp_specialty_code(a->code), sp_render_pct(pm, sizeof(pm), a->p_match),
             interval(iv, sizeof(iv), a->p_low, a->p_high), pct(hi), pct(mod));
}

/* One sentence on the shape of the optimizer's list: a reach (most applications
 * in backups), concentrated (at least 60% in the primary), or a dual
 * application; the partner is the sibling specialty when the plan has it, else
 * the largest backup. */
static void strategy_shape(struct text *t, const struct view *v)
{
    enum sp_specialty ks[SP_SPEC_COUNT], others[SP_SPEC_COUNT], rest[SP_SPEC_COUNT];
    size_t n = active_list(v, ks), n_others = 0, n_rest = 0;
    enum sp_specialty k0 = v->primary, big = k0, partner;
    int big_apps = 0, sib = sp_specialty_sibling(k0), rest_apps;
    bool concentrated;
    const char *c0 = sp_specialty_code(k0);
    char list[160], rest_list[160];

    for (size_t i = 0; i < n; i++) {
        if (ks[i] == k0)
            continue;
        others[n_others++] = ks[i];
        if (v->apps[ks[i]] > big_apps) {
            big = ks[i];
            big_apps = v->apps[ks[i]];
        }
    }
    join_codes(list, sizeof(list), others, n_others);
    if (v->total == 0) {
        text_add(t, " The plan has no applications: the budget and constraints left no "
                    "application worth its cost.");
        return;
    }
    if (!active(v, k0)) {
        text_add(t,
                 " The optimizer sent no applications to %s: within this budget each one added "
                 "less than the alternatives, so the plan applies to %s instead (%d "
                 "application%s).",
                 c0, list, v->total, plural(v->total));
        return;
    }
    if (n_others == 0) {
        text_add(t,
                 " The plan concentrates all %d application%s on %s, with no backup "
                 "specialty: a backup did not add enough P(match) for its cost.",
                 v->total, plural(v->total), c0);
        return;
    }
    if (v->total - v->apps[k0] > v->apps[k0]) {
        if (n_others == 1)
            text_add(t,
                     " In this plan %s is a reach: most applications (%d of %d) go to the %s "
                     "backup, and %s gets %d.",
                     c0, big_apps, v->total, list, c0, v->apps[k0]);
        else
            text_add(t,
                     " In this plan %s is a reach: most applications (%d of %d) go to the "
                     "backups %s, %d of them to %s, and %s gets %d.",
                     c0, v->total - v->apps[k0], v->total, list, big_apps, sp_specialty_code(big),
                     c0, v->apps[k0]);
        return;
    }
    partner = sib >= 0 && active(v, (enum sp_specialty)sib) ? (enum sp_specialty)sib : big;
    for (size_t i = 0; i < n_others; i++) {
        if (others[i] != partner)
            rest[n_rest++] = others[i];
    }
    join_codes(rest_list, sizeof(rest_list), rest, n_rest);
    rest_apps = v->total - v->apps[k0] - v->apps[partner];
    concentrated = 2 * v->apps[k0] >= v->total + v->total / 5; /* >= 60% in the primary */
    if (concentrated)
        text_add(t,
                 " The plan concentrates on %s (%d of %d applications) with a focused %s "
                 "backup (%d)",
                 c0, v->apps[k0], v->total, sp_specialty_code(partner), v->apps[partner]);
    else
        text_add(t, " The plan dual-applies to %s and %s (%d and %d applications)", c0,
                 sp_specialty_code(partner), v->apps[k0], v->apps[partner]);
    if (n_rest)
        text_add(t, " %s a broader backup in %s (%d).", concentrated ? "and" : "and adds",
                 rest_list, rest_apps);
    else
        text_add(t, ".");
}

static void strategy_specialties(struct text *t, const struct view *v)
{
    const struct sp_plan *plan = v->plan;
    enum sp_specialty none[SP_SPEC_COUNT];
    size_t n_none = 0;

    for (size_t i = 0; i < plan->n_spec; i++) {
        const struct sp_plan_specialty *s = &plan->spec[i];
        const char *code = sp_specialty_code(s->code);
        char iv[40], usd[32], pm[16];
        if (s->n_applications <= 0) {
            none[n_none++] = s->code;
            continue;
        }
        /* For the primary, P(match in it); for a backup, the chance that this plan
         * ends there (when the specialties above it do not work out). With many
         * specialties, short sentences keep the rest of the strategy in its field. */
        if (v->n_active > 3)
            text_add(t, " %s: %d application%s, %s %s (%s), %d gold + %d silver signals, %s.",
                     code, s->n_applications, plural(s->n_applications),
                     s->code == v->primary ? "P(match)" : "P(ends here)", sp_render_pct(pm, sizeof(pm), s->p_match),
                     interval(iv, sizeof(iv), s->p_low, s->p_high), s->signals_gold,
                     s->signals_silver,
                     sp_render_plan__money(usd, sizeof(usd), s->cost_usd, false));
        else if (s->code == v->primary)
            text_add(t,
                     " %s: %d application%s, P(match in %s) %s (80%% interval %s), about "
                     "%.1f interviews expected, %d gold and %d silver signal%s, %s.",
                     code, s->n_applications, plural(s->n_applications), code, sp_render_pct(pm, sizeof(pm), s->p_match),
                     interval(iv, sizeof(iv), s->p_low, s->p_high), s->expected_interviews,
                     s->signals_gold, s->signals_silver, plural(s->signals_silver),
                     sp_render_plan__money(usd, sizeof(usd), s->cost_usd, false));
        else
            text_add(t,
                     " %s: %d application%s, P(this plan ends in %s) %s (80%% interval %s), "
                     "about %.1f interviews expected, %d gold and %d silver signal%s, %s.",
                     code, s->n_applications, plural(s->n_applications), code, sp_render_pct(pm, sizeof(pm), s->p_match),
                     interval(iv, sizeof(iv), s->p_low, s->p_high), s->expected_interviews,
                     s->signals_gold, s->signals_silver, plural(s->signals_silver),
                     sp_render_plan__money(usd, sizeof(usd), s->cost_usd, false));
    }
    if (n_none) {
        char list[96];
        join_codes(list, sizeof(list), none, n_none);
        text_add(t,
                 " %s get%s no applications: at this budget they added less than the "
                 "alternatives.",
                 list, n_none == 1 ? "s" : "");
    }
}

/* Diminishing returns, from the overall curve around the plan's own size (the
 * curve runs past it). */
static void strategy_returns(struct text *t, const struct view *v)
{
    const struct sp_plan *plan = v->plan;
    const struct sp_curve_point *at = sp_render_plan__curve_at(plan, v->total);
    const struct sp_curve_point *before = sp_render_plan__curve_at(plan, v->total - 10);
    const struct sp_curve_point *after = sp_render_plan__curve_at(plan, v->total + 10);
    char usd[32];

    if (v->total < 10 || !at || at->n_applications != v->total)
        return;
    if (before && before->n_applications == v->total - 10)
        text_add(t, " The plan's last 10 applications added %.1f points of P(match anywhere)",
                 pct(at->p_match_any - before->p_match_any));
    else
        return;
    if (after && after->n_applications == v->total + 10)
        text_add(t, "; 10 more would add %.1f points for %s, %s.",
                 pct(after->p_match_any - at->p_match_any),
                 sp_render_plan__money(usd, sizeof(usd), after->cost_usd - at->cost_usd, false),
                 plan->budget_usd > 0 &&
                         plan->cost_usd + (after->cost_usd - at->cost_usd) > plan->budget_usd
                     ? "more than the budget has left"
                     : "which is why the list stops here");
    else
        text_add(t, ".");
}

static void strategy_why(struct text *t, const struct view *v)
{
    const struct sp_plan *plan = v->plan;
    const struct sp_plan_specialty *s0 = v->ps[v->primary];

    char iv[32], a[32], b[32];

    text_add(t,
             "The optimizer maximised %s. Together the plan's P(match anywhere) is %s "
             "(80%% interval %s).",
             objective_text(plan->objective), sp_render_pct(a, sizeof(a), plan->p_match_any),
             interval(iv, sizeof(iv), plan->p_match_any_low, plan->p_match_any_high));
    if (s0 && s0->n_applications > 0 && v->n_active > 1) {
        double add = plan->p_match_any - s0->p_match;
        const char *backups = v->n_active > 2 ? "the backups add" : "the backup adds";
        if (add >= 0.005)
            text_add(t,
                     " %s by itself gives %.0f%%; %s %.0f point%s, because a second specialty "
                     "still pays off in a cycle that goes badly in the first.",
                     sp_specialty_code(v->primary), pct(s0->p_match), backups, pct(add),
                     pct(add) < 1.5 ? "" : "s");
        else
            text_add(t,
                     " %s by itself gives %.0f%%; %s under half a point: at these odds it is "
                     "insurance against a very bad cycle rather than a second route.",
                     sp_specialty_code(v->primary), pct(s0->p_match), backups);
    }
    if (plan->target_p_match > 0) {
        if (plan->target_met)
            text_add(t, " That meets your target of %.0f%%", pct(plan->target_p_match));
        else
            text_add(t, " That falls short of your target of %.0f%%", pct(plan->target_p_match));
        if (plan->budget_usd > 0)
            text_add(t, " within a budget of %s (the plan costs %s).",
                     sp_render_plan__money(a, sizeof(a), plan->budget_usd, false),
                     sp_render_plan__money(b, sizeof(b), plan->cost_usd, false));
        else if (plan->max_applications > 0)
            text_add(t, " within at most %d applications (the plan costs %s).",
                     plan->max_applications,
                     sp_render_plan__money(b, sizeof(b), plan->cost_usd, false));
        else
            text_add(t, " (the plan costs %s).",
                     sp_render_plan__money(b, sizeof(b), plan->cost_usd, false));
        if (!plan->target_met && plan->assessment.n_improvements > 0)
            text_add(t, " More budget, or %s, would close part of the gap.",
                     plan->assessment.improvements[0].what);
    } else {
        text_add(t, " The plan costs %s.",
                 sp_render_plan__money(b, sizeof(b), plan->cost_usd, false));
    }
    strategy_returns(t, v);
}

static void strategy_pathways(struct text *t, const struct view *v)
{
    enum sp_specialty ks[SP_SPEC_COUNT];
    size_t n = active_list(v, ks);
    bool first = true;

    if (v->primary != SP_SPEC_IR)
        return;
    for (size_t i = 0; i < n; i++) {
        const char *path = ir_pathway(ks[i]);
        if (ks[i] == SP_SPEC_IR || !path)
            continue;
        if (first)
            text_add(t, "\n\nEach backup keeps a path toward IR: ");
        text_add(t, "%s%s", first ? "" : "; ", path);
        if (ks[i] == SP_SPEC_DR) {
            int known, n_esir = count_esir(v->plan, SP_SPEC_DR, &known);
            if (known > 0)
                text_add(t,
                         " (%d of the %d DR programs in the plan with a known ESIR status "
                         "offer it)",
                         n_esir, known);
        }
        first = false;
    }
    if (!first)
        text_add(t, ".");
}

static void strategy_pgy1(struct text *t, const struct view *v)
{
    enum sp_specialty ks[SP_SPEC_COUNT];
    size_t n = advanced_list(v, ks);
    char list[64], usd[32];

    if (v->plan->pgy1_applications <= 0)
        return;
    join_codes(list, sizeof(list), ks, n);
    text_add(t,
             "\n\nAdvanced %s%spositions start at PGY-2, so the plan adds %d preliminary or "
             "transitional-year application%s (%s) for the PGY-1 year.",
             list, n ? " " : "", v->plan->pgy1_applications, plural(v->plan->pgy1_applications),
             sp_render_plan__money(usd, sizeof(usd), v->plan->cost_pgy1_usd, false));
}

static void write_strategy(struct view *v, char *buf, size_t cap)
{
    struct text t = {buf, cap, 0};

    buf[0] = '\0';
    if (v->has_primary) {
        strategy_tier(&t, v);
        strategy_shape(&t, v);
    } else {
        text_add(&t, "The plan sends %d application%s.", v->total, plural(v->total));
    }
    strategy_specialties(&t, v);
    text_add(&t, "\n\n");
    strategy_why(&t, v);
    strategy_pathways(&t, v);
    strategy_pgy1(&t, v);
}

/* ---- checklists ---- */

/* The usual letter norms per specialty, as guidance, and the fewest letters from
 * the specialty's own faculty an application is usually expected to carry. */
static const struct {
    const char *norm;
    int need;
} letter_norms[SP_SPEC_COUNT] = {
    [SP_SPEC_IR] = {"IR: 3-4 letters, 2-3 of them from IR faculty (one from the IR program "
                    "director or division chief if you can)",
                    2},
    [SP_SPEC_DR] = {"DR: 3 letters (ERAS takes up to 4 per program), at least 1-2 from "
                    "radiologists; one may come from IR",
                    2},
    [SP_SPEC_IM] = {"IM: 3 letters from internal medicine faculty who saw you on the wards, "
                    "plus a department of medicine (chair) letter, which most programs expect",
                    3},
    [SP_SPEC_GS] = {"GS: 3 letters from surgeons who saw you in the OR and on the wards, plus "
                    "a chair letter from the department of surgery, which many programs "
                    "require",
                    3},
    [SP_SPEC_VS] = {"VS: 3 letters, at least 2 from vascular surgeons (one from a VS program "
                    "director if you can), plus a surgery chair letter where a program asks",
                    2},
    [SP_SPEC_ANES] = {"ANES: 3 letters, at least 2 from anesthesiologists; many programs also "
                      "want one from the chair or program director",
                      2},
    [SP_SPEC_EM] = {"EM: 2 SLOEs (Standardized Letters of Evaluation) from EM rotations, "
                    "ideally one home and one away; a third letter may be from another "
                    "specialty",
                    2},
    [SP_SPEC_NEURO] = {"NEURO: 3 letters, at least 2 from neurologists; a medicine letter "
                       "helps for the preliminary year",
                       2},
    [SP_SPEC_PMR] = {"PMR: 3 letters, at least 1-2 from PM&R physicians, the others from "
                     "rotations where you worked closely with faculty",
                     2},
};

static void letters(struct list *l, const struct view *v)
{
    static const int zero[SP_SPEC_COUNT];
    const int *have = v->p ? v->p->letters : zero;
    enum sp_specialty ks[SP_SPEC_COUNT];
    size_t n = active_list(v, ks);
    bool ir = active(v, SP_SPEC_IR), dr = active(v, SP_SPEC_DR);

    for (size_t i = 0; i < n; i++) {
        enum sp_specialty k = ks[i];
        const char *code = sp_specialty_code(k);
        const char *extra = "";
        char count[96], ask[48] = "";
        int h = have[k];
        /* An IR letter counts toward a DR application (and is read by DR programs). */
        int toward = k == SP_SPEC_DR ? h + (have[SP_SPEC_IR] > 0) : h;
        if (k == SP_SPEC_IR && dr)
            extra = ", and at least one from DR since you also apply to DR";
        else if (k == SP_SPEC_DR && ir)
            extra = " (the same IR letter can serve both lists)";
        if (k == SP_SPEC_DR && have[SP_SPEC_IR] > 0)
            snprintf(count, sizeof(count), "You have %d DR and %d IR letter%s", h, have[SP_SPEC_IR],
                     plural(have[SP_SPEC_IR]));
        else
            snprintf(count, sizeof(count), "You have %d %s letter%s", h, code, plural(h));
        if (toward < letter_norms[k].need)
            snprintf(ask, sizeof(ask), ": ask for %d more by MS4 June",
                     letter_norms[k].need - toward);
        add_item(l, "letters", "", "%s%s. %s%s.", letter_norms[k].norm, extra, count, ask);
    }
    add_item(l, "letters", "",
             "Ask each writer in person by MS4 June, with your CV and a draft statement; "
             "waive your right to see the letter; confirm every letter is in the ERAS Letter "
             "of Recommendation Portal before you submit in September.");
}

static void personal_statements(struct list *l, const struct view *v)
{
    enum sp_specialty ks[SP_SPEC_COUNT];
    size_t n = active_list(v, ks);
    bool ir = active(v, SP_SPEC_IR);

    for (size_t i = 0; i < n; i++) {
        enum sp_specialty k = ks[i];
        switch (k) {
        case SP_SPEC_IR:
            add_item(l, "personal_statements", "",
                     "IR: a statement for IR programs only: why IR (image-guided procedures "
                     "and your own patients), the experiences that show it, your IR research "
                     "and what you want to build; one page.");
            break;
        case SP_SPEC_DR:
            add_item(l, "personal_statements", "",
                     "DR: its own statement for DR programs: why diagnostic radiology "
                     "(imaging, consultation, breadth)%s; never reuse the IR text or present "
                     "DR as a fallback.",
                     ir ? ", and ESIR if you want to keep IR open" : "");
            break;
        default:
            add_item(l, "personal_statements", "",
                     "%s: a statement tailored to %s: why this specialty, the clinical "
                     "experiences behind the choice, and what you want to do in it%s; not an "
                     "edited radiology statement.",
                     sp_specialty_code(k), short_name(k),
                     v->primary == SP_SPEC_IR && ir_pathway(k) ? " (procedural interests "
                                                                 "are fine to name)"
                                                               : "");
            break;
        }
    }
    if (n > 1)
        add_item(l, "personal_statements", "",
                 "You apply to %zu specialties: write %zu statements, assign each one to the "
                 "programs of its specialty in ERAS, and check every assignment before you "
                 "submit.",
                 n, n);
}

/* Institutions of the programs of k carrying signal s, "A; B; C and 2 more". */
static void signal_names(char *buf, size_t cap, const struct sp_plan *plan, enum sp_specialty k,
                         enum sp_signal s, int *count)
{
    size_t len = 0;
    int shown = 0, total = 0;

    buf[0] = '\0';
    for (size_t i = 0; i < plan->n_programs; i++) {
        const struct sp_plan_program *pp = &plan->programs[i];
        if (pp->specialty != k || pp->signal != s)
            continue;
        total++;
    }
    for (size_t i = 0; i < plan->n_programs; i++) {
        const struct sp_plan_program *pp = &plan->programs[i];
        const char *name;
        size_t need;
        if (pp->specialty != k || pp->signal != s)
            continue;
        name = pp->program && pp->program->institution ? pp->program->institution : "?";
        need = strlen(name) + (shown ? 2 : 0);
        /* keep room for " and NN more" */
        if (len + need + 14 >= cap)
            break;
        len += (size_t)snprintf(buf + len, cap - len, "%s%s", shown ? "; " : "", name);
        shown++;
    }
    if (shown < total)
        snprintf(buf + len, cap - len, "%sand %d more", shown ? " " : "", total - shown);
    *count = total;
}

static void signals(struct list *l, const struct view *v)
{
    const struct sp_plan *plan = v->plan;
    bool ir = active(v, SP_SPEC_IR), dr = active(v, SP_SPEC_DR);
    int used = 0, at_known = 0;

    if (ir && dr) {
        const struct sp_plan_specialty *a = v->ps[SP_SPEC_IR], *b = v->ps[SP_SPEC_DR];
        /* The pool is IR's (and DR's): the model's signals per applicant. */
        add_item(l, "signals", "",
                 "DR and IR share one pool of %d gold and %d silver signals: the plan puts "
                 "%d gold and %d silver on IR and %d gold and %d silver on DR, where each "
                 "added the most.",
                 a->signals_gold_available, a->signals_silver_available, a->signals_gold,
                 a->signals_silver, b->signals_gold, b->signals_silver);
    }
    for (size_t i = 0; i < plan->n_spec; i++) {
        const struct sp_plan_specialty *s = &plan->spec[i];
        for (int lv = SP_SIGNAL_GOLD; lv >= SP_SIGNAL_SILVER; lv--) {
            char names[200];
            int count;
            int avail =
                lv == SP_SIGNAL_GOLD ? s->signals_gold_available : s->signals_silver_available;
            if (s->n_applications <= 0)
                continue;
            signal_names(names, sizeof(names), plan, s->code, (enum sp_signal)lv, &count);
            used += count;
            if (count == 0)
                continue;
            add_item(l, "signals", "", "%s %s (%d of %d): %s.", sp_specialty_code(s->code),
                     lv == SP_SIGNAL_GOLD ? "gold" : "silver", count, avail, names);
        }
    }
    for (size_t i = 0; i < plan->n_programs; i++) {
        const struct sp_plan_program *pp = &plan->programs[i];
        if (pp->signal != SP_SIGNAL_NONE && (pp->effects.home || pp->effects.away))
            at_known++;
    }
    if (used == 0) {
        add_item(l, "signals", "",
                 "The plan places no signals: none of the specialties in it has a signal pool "
                 "with room, or no signal added enough.");
        return;
    }
    add_item(l, "signals", "",
             "Signals go in with the ERAS application (ResidencyCAS for EM) and cannot be "
             "changed after you submit; a signal says the program is among your top choices, "
             "so place them only where you would gladly train.");
    if (at_known > 0)
        add_item(l, "signals", "",
                 "%d signal%s went to your home program or where you rotated: the model "
                 "credits them, but many advisors save signals for programs that do not "
                 "know you yet. Decide with your advisor.",
                 at_known, plural(at_known));
}

static void pgy1(struct list *l, const struct view *v)
{
    enum sp_specialty ks[SP_SPEC_COUNT];
    size_t n = advanced_list(v, ks);
    char list[64];
    int napps = v->plan->pgy1_applications;

    if (napps <= 0)
        return;
    join_codes(list, sizeof(list), ks, n);
    add_item(l, "pgy1", "",
             "Apply to %d preliminary medicine or surgery or transitional-year programs for "
             "the PGY-1 year before your advanced %s positions; estimated cost $%.2f.",
             napps, n ? list : "IR/DR", v->plan->cost_pgy1_usd);
    add_item(l, "pgy1", "",
             "Rank them on a supplemental rank order list attached to your advanced programs: "
             "it is used only if you match an advanced position, and you can attach different "
             "lists to different advanced programs.");
    add_item(l, "pgy1", "",
             "Choose PGY-1 programs in the cities or institutions of your advanced programs; "
             "transitional years are more competitive than preliminary medicine, so apply to "
             "both.");
    add_item(l, "pgy1", "",
             "Check each program's track in ERAS (categorical C vs advanced A): categorical "
             "programs include the PGY-1 year, so they need no separate preliminary "
             "application.");
}

static void interviews(struct list *l, const struct view *v)
{
    const struct sp_plan *plan = v->plan;
    char per[160];
    size_t len = 0;

    per[0] = '\0';
    for (size_t i = 0; i < plan->n_spec && len < sizeof(per); i++) {
        const struct sp_plan_specialty *s = &plan->spec[i];
        int w;
        if (s->n_applications <= 0)
            continue;
        w = snprintf(per + len, sizeof(per) - len, "%s%s %.1f", len ? ", " : "",
                     sp_specialty_code(s->code), s->expected_interviews);
        if (w < 0)
            break;
        len += (size_t)w;
    }
    add_item(l, "interviews", "",
             "Expect about %.0f interviews (%s). Invitations come in waves from October: "
             "answer within hours and keep your calendar open.",
             total_interviews(v), per);
    add_item(l, "interviews", "",
             "Prepare: why this specialty and this program, every item on your ERAS "
             "application, your research in depth, a case you learned from, and questions for "
             "residents and faculty.");
    if (active(v, SP_SPEC_IR))
        add_item(l, "interviews", "",
                 "For IR: be ready to discuss procedures you saw and their indications, IR "
                 "clinic and inpatient care, and the integrated, ESIR and independent "
                 "pathways.");
    add_item(l, "interviews", "",
             "Thank-you notes: follow each program's stated policy (many ask for none). Under "
             "the NRMP agreement no program may ask how you will rank it, and no promise "
             "either way binds you.");
    add_item(l, "interviews", "",
             "Track every invitation, date, interviewer and impression the same day (the XLSX "
             "export has one sheet per specialty): your notes become the rank list in "
             "February.");
}

static void timeline(struct list *l, const struct view *v)
{
    enum sp_specialty ks[SP_SPEC_COUNT];
    size_t n = active_list(v, ks);
    const char *k0 = sp_specialty_code(v->primary);
    char all[96];
    int gold = 0, silver = 0, aways = 0;

    join_codes(all, sizeof(all), ks, n);
    for (size_t i = 0; i < v->plan->n_spec; i++) {
        gold += v->plan->spec[i].signals_gold;
        silver += v->plan->spec[i].signals_silver;
    }
    if (v->p) {
        for (size_t i = 0; i < v->p->n_aways && i < SP_PROFILE_MAX_AWAYS; i++)
            aways += v->p->aways[i].specialty == v->primary;
    }
    add_item(l, "timeline", "MS2 spring",
             "Explore %s: shadow, join the interest group%s, and start a research project "
             "with %s faculty that can become an abstract by MS4.",
             k0, v->primary == SP_SPEC_IR ? " (and SIR's medical student section)" : "", k0);
    add_item(l, "timeline", "MS3 fall",
             "Core clerkships: aim for honors, since each one helps; meet %s faculty who could "
             "write your letters; keep the research moving.",
             k0);
    add_item(l, "timeline", "MS3 spring",
             "Book away rotations in %s through VSLO (you list %d so far); schedule Step 2 CK "
             "for MS4 June-July so the score is in your application; confirm your specialties "
             "with this plan.",
             k0, aways);
    add_item(l, "timeline", "MS4 June",
             "MyERAS opens: start the application; ask letter writers; take Step 2 CK now if "
             "you can, so programs see the score when they review in late September.");
    add_item(l, "timeline",
             "MS4 July\xe2\x80\x93"
             "August",
             "Away rotations; finish one personal statement per specialty (%s); check that "
             "every letter is uploaded.",
             all[0] ? all : k0);
    add_item(l, "timeline", "MS4 September",
             "Submit ERAS%s as soon as submission opens, before programs start reviewing later "
             "in the month, with %d gold and %d silver signals and the %d applications of this "
             "plan; register for the NRMP Match.",
             active(v, SP_SPEC_EM) ? " and ResidencyCAS (EM)" : "", gold, silver, v->total);
    add_item(l, "timeline", "MS4 Oct\xe2\x80\x93Jan",
             "Interviews (about %.0f expected): take notes the same day, follow each program's "
             "thank-you policy, and send programs a new score or paper once if you have one.",
             total_interviews(v));
    add_item(l, "timeline", "MS4 February",
             "Certify your rank order list before the NRMP deadline: true preference order, "
             "every program you would accept%s.",
             v->plan->pgy1_applications > 0
                 ? ", and supplemental PGY-1 lists for the advanced programs"
                 : "");
    add_item(l, "timeline", "Match Week (March)",
             "Monday: you learn whether you matched; if not, SOAP runs that week (below). "
             "Friday: Match Day, when you learn where.");
}

static void if_unmatched(struct list *l, const struct view *v)
{
    const struct sp_assessment *a = &v->plan->assessment;
    bool radiology = active(v, SP_SPEC_IR) || active(v, SP_SPEC_DR) || v->primary == SP_SPEC_IR ||
                     v->primary == SP_SPEC_DR;

    add_item(l, "if_unmatched", "Match Week (March)",
             "SOAP: if you are unmatched or only partially matched (an advanced position "
             "without a PGY-1), apply through ERAS to up to 45 unfilled programs; meet your "
             "dean's office before Monday with a list ready.");
    add_item(l, "if_unmatched", "",
             "Preliminary or transitional year: if SOAP offers no %s position, a prelim "
             "medicine/surgery or TY year keeps you training%s.",
             sp_specialty_code(v->primary),
             radiology ? " and serves as the PGY-1 for advanced DR or IR positions you "
                         "reapply to"
                       : " while you reapply");
    add_item(l, "if_unmatched", "",
             "Research year: a year of %s research with faculty who know you adds "
             "publications and specialty letters, a common route for %s reapplicants.",
             radiology ? "IR or radiology" : short_name(v->primary), sp_specialty_code(v->primary));
    if (a->n_improvements > 0)
        add_item(l, "if_unmatched", "",
                 "Strengthen and reapply: get feedback from programs and your advisor, and fix "
                 "the weakest point first; the assessment's best single change is %s (%.0f%% "
                 "-> %.0f%%).",
                 a->improvements[0].what,
                 pct(a->improvements[0].p_after - a->improvements[0].delta_p),
                 pct(a->improvements[0].p_after));
    else
        add_item(l, "if_unmatched", "",
                 "Strengthen and reapply: get feedback from programs and your advisor, fix the "
                 "weakest point first, and show what changed since the last cycle.");
    if (active(v, SP_SPEC_IR) && active(v, SP_SPEC_DR)) {
        int known, n_esir = count_esir(v->plan, SP_SPEC_DR, &known);
        char status[96];
        if (known > 0)
            snprintf(status, sizeof(status),
                     "%d of the %d DR programs with a known status offer it", n_esir, known);
        else
            snprintf(status, sizeof(status), "check which of your DR programs offer it");
        add_item(l, "if_unmatched", "",
                 "If you match DR but not IR, IR stays open: ESIR during DR residency (%s) or "
                 "an independent IR residency after DR.",
                 status);
    }
}

void sp_plan_prose_init(struct sp_plan_prose *out, const struct sp_plan *plan,
                        const struct sp_profile *p)
{
    struct view v;
    struct list l = {NULL, 0, 0};

    view_init(&v, plan, p);
    write_strategy(&v, out->strategy, sizeof(out->strategy));

    letters(&l, &v);
    personal_statements(&l, &v);
    signals(&l, &v);
    pgy1(&l, &v);
    interviews(&l, &v);
    timeline(&l, &v);
    if_unmatched(&l, &v);

    out->checklist = l.items;
    out->n_checklist = l.n;
}

void sp_plan_prose_release(struct sp_plan_prose *pr)
{
    free(pr->checklist);
    pr->checklist = NULL;
    pr->n_checklist = 0;
}

/* ---- a program's why ---- */

const char *sp_plan_prose_why(char *buf, size_t cap, const struct sp_plan_program *pp)
{
    size_t n = 0;
    unsigned why = pp->reasons;

    /* Each piece appends where the last ended; past cap they only count, so the
     * text is cut at cap - 1 bytes. */
#define WHY(...) n += (size_t)snprintf(buf + (n < cap ? n : 0), n < cap ? cap - n : 0, __VA_ARGS__)
    WHY("%s (P(interview) %.0f%%)", sp_program_tier_name(pp->tier), 100 * pp->p_interview);
    if (why & SP_WHY_SIGNAL)
        WHY("; %s signal", sp_signal_name(pp->signal));
    if (why & SP_WHY_AWAY)
        WHY("; you rotated here");
    if (why & SP_WHY_HOME)
        WHY("; your home program");
    if (why & SP_WHY_IN_STATE)
        WHY("; in your home or school state");
    else if (why & SP_WHY_REGION)
        WHY("; in a region you prefer");
    if (why & SP_WHY_ESIR)
        WHY("; offers ESIR%s", why & SP_WHY_ESIR_WANTED ? ", which you want" : "");
    WHY("; adds %.2f points of expected value", 100 * pp->gain);
#undef WHY
    return buf;
}
