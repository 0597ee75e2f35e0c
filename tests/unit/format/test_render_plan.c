/*
 * The plan's renderers and words (format/render_plan*.c, format/plan_json.c,
 * format/plan_prose.c), on a small plan built by hand: the JSON contract (every
 * key, the numbers, byte-identical output), CSV rows and quoting, the
 * self-contained HTML (two SVG charts, no scripts, no external references,
 * escaping), the XLSX file, each program's why, dollars, and the strategy and
 * checklists that describe whatever the optimizer chose.
 */

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "plan_prose.h"
#include "render_plan.h"
#include "render_plan_internal.h"
#include "smartpick/catalog/catalog.h"
#include "smartpick/plan/plan.h"
#include "smartpick/model/profile.h"
#include "sp_buf.h"

#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct fixture {
    sp_catalog *cat;
    struct sp_plan *plan;
    struct sp_profile p;
    struct sp_plan_prose pr; /* the plan's words, as the renderers write them */
};

/* Word the fixture's plan again (after a test changed it). */
static void reword(struct fixture *f)
{
    sp_plan_prose_release(&f->pr);
    sp_plan_prose_init(&f->pr, f->plan, &f->p);
}

struct prog_def {
    const char *id;
    enum sp_specialty spec;
    const char *name;
    const char *city;
    const char *state;
    double lat, lon;
    int esir; /* -1 unknown */
    enum sp_signal signal;
    double distance;
};

static const struct prog_def defs[] = {
    {"4160000001", SP_SPEC_IR, "A&B <Hospital>", "Boston", "MA", 42.36, -71.06, -1, SP_SIGNAL_GOLD,
     12.34},
    {"4160000002", SP_SPEC_IR, "University Hospital", "Chicago", "IL", 41.88, -87.63, -1,
     SP_SIGNAL_SILVER, -1},
    {"4200000001", SP_SPEC_DR, "Smith, Jones Medical Center", "Dallas", "TX", 32.78, -96.80, 1,
     SP_SIGNAL_GOLD, 250},
    {"4200000002", SP_SPEC_DR, "Mercy \"Quoted\" Hospital", "Denver", "CO", 39.74, -104.99, 0,
     SP_SIGNAL_NONE, 700},
    {"1400000001", SP_SPEC_IM, "County General", "Seattle", "WA", 47.61, -122.33, -1,
     SP_SIGNAL_NONE, 1500},
    {"1400000002", SP_SPEC_IM, "Island Medical", "Honolulu", "HI", 21.30, -157.86, -1,
     SP_SIGNAL_NONE, 3000},
};
#define N_DEFS (sizeof(defs) / sizeof(defs[0]))

static void add_spec(struct sp_plan *plan, enum sp_specialty k, int n, double p, double lo,
                     double hi)
{
    struct sp_plan_specialty *s = &plan->spec[plan->n_spec];

    s->code = k;
    s->n_applications = n;
    s->p_match = p;
    s->p_low = lo;
    s->p_high = hi;
    s->expected_interviews = 0.8 * n;
    s->cost_usd = 11.0 * n;
    s->signals_gold_available = k == SP_SPEC_IM ? 3 : 6;
    s->signals_silver_available = k == SP_SPEC_IM ? 12 : 6;
    for (int i = 0; i < 5; i++) {
        plan->spec_curve[plan->n_spec][i] =
            (struct sp_curve_point){2 * (i + 1), p * (1 - exp(-0.5 * (i + 1))), 22.0 * (i + 1)};
    }
    plan->n_spec_curve[plan->n_spec] = 5;
    plan->n_spec++;
}

static int setup(void **state)
{
    struct fixture *f = calloc(1, sizeof(*f));
    struct sp_err err = SP_ERR_INIT;
    struct sp_plan *plan;

    f->cat = sp_catalog_new();
    for (size_t i = 0; i < N_DEFS; i++) {
        struct sp_program prog;
        memset(&prog, 0, sizeof(prog));
        snprintf(prog.acgme_id, sizeof(prog.acgme_id), "%s", defs[i].id);
        prog.specialty = defs[i].spec;
        prog.institution = defs[i].name;
        prog.city = defs[i].city;
        memcpy(prog.state, defs[i].state, 3);
        prog.where = (struct sp_point){defs[i].lat, defs[i].lon};
        if (defs[i].esir >= 0)
            prog.facts[SP_FACT_ESIR] = (struct sp_fact){defs[i].esir, SP_SRC_DOCUMENTED};
        assert_int_equal(sp_catalog_add(f->cat, &prog, &err), 0);
    }
    assert_int_equal(sp_catalog_freeze(f->cat, &err), 0);

    sp_profile_init(&f->p);
    snprintf(f->p.name, sizeof(f->p.name), "Test <Student>");
    f->p.letters[SP_SPEC_IR] = 1;
    f->p.letters[SP_SPEC_DR] = 2;
    f->p.specialties[0] = SP_SPEC_IR;
    f->p.specialties[1] = SP_SPEC_DR;
    f->p.specialties[2] = SP_SPEC_IM;
    f->p.n_specialties = 3;
    snprintf(f->p.assumptions[0].field, sizeof(f->p.assumptions[0].field), "scores.step2_ck");
    snprintf(f->p.assumptions[0].value, sizeof(f->p.assumptions[0].value), "250");
    snprintf(f->p.assumptions[0].why, sizeof(f->p.assumptions[0].why), "median of US MD");
    f->p.n_assumptions = 1;

    plan = calloc(1, sizeof(*plan));
    plan->objective = SP_OBJ_UTILITY;
    plan->programs = calloc(N_DEFS, sizeof(*plan->programs));
    for (size_t i = 0; i < N_DEFS; i++) {
        struct sp_plan_program *pp = &plan->programs[plan->n_programs++];
        pp->program = sp_catalog_find(f->cat, defs[i].id);
        assert_non_null(pp->program);
        pp->specialty = defs[i].spec;
        pp->p_interview = 0.123456 + 0.1 * (double)i;
        pp->p_match = 0.045678 + 0.05 * (double)i;
        pp->distance_miles = defs[i].distance;
        pp->signal = defs[i].signal;
        pp->tier = i < 2 ? SP_PT_REACH : i < 4 ? SP_PT_TARGET : SP_PT_LIKELY;
        pp->order = (int)i + 1;
        pp->gain = 0.01 * (double)(i + 1);
        pp->reasons = pp->signal != SP_SIGNAL_NONE ? SP_WHY_SIGNAL : 0;
        if (defs[i].esir > 0)
            pp->reasons |= SP_WHY_ESIR | SP_WHY_ESIR_WANTED;
    }
    add_spec(plan, SP_SPEC_IR, 2, 0.35, 0.22, 0.50);
    add_spec(plan, SP_SPEC_DR, 2, 0.40, 0.30, 0.52);
    add_spec(plan, SP_SPEC_IM, 2, 0.30, 0.20, 0.41);
    plan->spec[0].signals_gold = 1;
    plan->spec[0].signals_silver = 1;
    plan->spec[1].signals_gold = 1;
    plan->p_match_any = 0.7123456;
    plan->p_match_any_low = 0.61;
    plan->p_match_any_high = 0.80;
    plan->expected_utility = 0.555555;
    plan->cost_applications_usd = 66;
    plan->pgy1_applications = 15;
    plan->cost_pgy1_usd = 165;
    plan->cost_transcript_usd = 80;
    plan->cost_usd = 311;
    plan->budget_usd = 2500;
    plan->target_p_match = 0.9;
    plan->target_met = false;
    plan->tier_high = 0.80;
    plan->tier_moderate = 0.50;
    for (int i = 0; i < 12; i++)
        plan->curve[plan->n_curve++] =
            (struct sp_curve_point){i + 1, 0.8 * (1 - exp(-0.3 * (i + 1))), 11.0 * (i + 1) + 80};
    plan->assessment.n_spec = 3;
    plan->assessment.spec[0] = (struct sp_assess_specialty){.code = SP_SPEC_IR,
                                                            .p_match = 0.62,
                                                            .p_low = 0.48,
                                                            .p_high = 0.74,
                                                            .n_applications = 37,
                                                            .advanced_share = 0.4,
                                                            .tier = SP_TIER_MODERATE};
    plan->assessment.spec[1] = (struct sp_assess_specialty){
        .code = SP_SPEC_DR, .p_match = 0.8, .advanced_share = 0.8, .tier = SP_TIER_HIGH};
    plan->assessment.spec[2] = (struct sp_assess_specialty){.code = SP_SPEC_IM, .p_match = 0.9};
    plan->assessment.n_improvements = 1;
    snprintf(plan->assessment.improvements[0].what, sizeof(plan->assessment.improvements[0].what),
             "one more away rotation in IR");
    plan->assessment.improvements[0].p_after = 0.70;
    plan->assessment.improvements[0].delta_p = 0.08;
    f->plan = plan;
    sp_plan_prose_init(&f->pr, plan, &f->p);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fixture *f = *state;

    sp_plan_prose_release(&f->pr);
    free(f->plan->programs);
    free(f->plan);
    sp_catalog_free(f->cat);
    free(f);
    return 0;
}

static char *render(const struct fixture *f, enum sp_format fmt)
{
    struct sp_buf out = SP_BUF_INIT;

    sp_render_plan(&out, fmt, f->plan, &f->p);
    return sp_buf_detach(&out, NULL);
}

static size_t count(const char *hay, const char *needle)
{
    size_t n = 0;

    for (const char *s = strstr(hay, needle); s; s = strstr(s + 1, needle))
        n++;
    return n;
}

static double num(const json_t *o, const char *key)
{
    json_t *v = json_object_get(o, key);

    if (!json_is_number(v))
        fail_msg("key %s is not a number", key);
    return json_number_value(v);
}

static void plan_json_has_every_contract_key(void **state)
{
    const struct fixture *f = *state;
    static const char *const top[] = {"schema",
                                      "objective",
                                      "p_match_any",
                                      "p_match_any_low",
                                      "p_match_any_high",
                                      "expected_utility",
                                      "by_specialty",
                                      "programs",
                                      "cost_usd",
                                      "costs",
                                      "pgy1_applications",
                                      "budget_usd",
                                      "target_p_match",
                                      "target_met",
                                      "curve",
                                      "curves_by_specialty",
                                      "strategy",
                                      "checklist",
                                      "assumptions"};
    static const char *const spec_keys[] = {"code",        "n_applications", "p_match",
                                            "p_match_low", "p_match_high",   "expected_interviews",
                                            "cost_usd",    "signals_gold",   "signals_silver"};
    static const char *const prog_keys[] = {
        "acgme_id", "specialty", "institution", "city", "state", "distance_miles", "p_interview",
        "p_match",  "tier",      "signal",      "esir", "why",   "order"};
    char *text = render(f, SP_FMT_JSON);
    json_error_t jerr;
    json_t *root = json_loads(text, 0, &jerr);
    json_t *specs, *progs, *costs, *curves, *checklist;

    if (!root)
        fail_msg("JSON does not parse: %s (line %d)", jerr.text, jerr.line);
    for (size_t i = 0; i < sizeof(top) / sizeof(top[0]); i++) {
        if (!json_object_get(root, top[i]))
            fail_msg("missing top-level key %s", top[i]);
    }
    assert_string_equal(json_string_value(json_object_get(root, "schema")), "smartpick.plan/1");
    assert_string_equal(json_string_value(json_object_get(root, "objective")), "utility");
    assert_true(num(root, "p_match_any") == 0.7123);
    assert_true(num(root, "p_match_any_low") == 0.61);
    assert_true(num(root, "expected_utility") == 0.5556);
    assert_true(num(root, "cost_usd") == 311);
    assert_true(num(root, "budget_usd") == 2500);
    assert_true(num(root, "target_p_match") == 0.9);
    assert_true(json_is_false(json_object_get(root, "target_met")));
    assert_int_equal(json_integer_value(json_object_get(root, "pgy1_applications")), 15);

    specs = json_object_get(root, "by_specialty");
    assert_int_equal(json_array_size(specs), 3);
    for (size_t i = 0; i < json_array_size(specs); i++) {
        for (size_t k = 0; k < sizeof(spec_keys) / sizeof(spec_keys[0]); k++) {
            if (!json_object_get(json_array_get(specs, i), spec_keys[k]))
                fail_msg("by_specialty[%zu] lacks %s", i, spec_keys[k]);
        }
    }
    assert_string_equal(json_string_value(json_object_get(json_array_get(specs, 1), "code")), "DR");
    assert_true(num(json_array_get(specs, 0), "p_match_low") == 0.22);
    assert_int_equal(json_integer_value(json_object_get(json_array_get(specs, 0), "signals_gold")),
                     1);

    progs = json_object_get(root, "programs");
    assert_int_equal(json_array_size(progs), N_DEFS);
    for (size_t i = 0; i < json_array_size(progs); i++) {
        for (size_t k = 0; k < sizeof(prog_keys) / sizeof(prog_keys[0]); k++) {
            if (!json_object_get(json_array_get(progs, i), prog_keys[k]))
                fail_msg("programs[%zu] lacks %s", i, prog_keys[k]);
        }
    }
    {
        json_t *p0 = json_array_get(progs, 0), *p1 = json_array_get(progs, 1);
        assert_string_equal(json_string_value(json_object_get(p0, "institution")),
                            "A&B <Hospital>");
        assert_string_equal(json_string_value(json_object_get(p0, "acgme_id")), "4160000001");
        assert_true(num(p0, "distance_miles") == 12.3);
        assert_true(num(p0, "p_interview") == 0.1235);
        assert_string_equal(json_string_value(json_object_get(p0, "signal")), "gold");
        assert_string_equal(json_string_value(json_object_get(p0, "tier")), "reach");
        assert_true(json_is_null(json_object_get(p0, "esir")));
        assert_true(json_is_null(json_object_get(p1, "distance_miles")));
        assert_string_equal(json_string_value(json_object_get(p1, "signal")), "silver");
        assert_true(json_is_true(json_object_get(json_array_get(progs, 2), "esir")));
        assert_true(json_is_false(json_object_get(json_array_get(progs, 3), "esir")));
        assert_int_equal(json_integer_value(json_object_get(json_array_get(progs, 5), "order")), 6);
    }

    costs = json_object_get(root, "costs");
    assert_true(num(costs, "applications_usd") == 66);
    assert_true(num(costs, "pgy1_usd") == 165);
    assert_true(num(costs, "transcript_usd") == 80);
    assert_true(num(json_object_get(costs, "by_specialty"), "IM") == 22);

    assert_int_equal(json_array_size(json_object_get(root, "curve")), 12);
    assert_true(num(json_array_get(json_object_get(root, "curve"), 0), "cost_usd") == 91);
    curves = json_object_get(root, "curves_by_specialty");
    assert_int_equal(json_object_size(curves), 3);
    assert_int_equal(json_array_size(json_object_get(curves, "IR")), 5);
    assert_int_equal(json_integer_value(json_object_get(
                         json_array_get(json_object_get(curves, "DR"), 4), "n_applications")),
                     10);

    checklist = json_object_get(root, "checklist");
    assert_int_equal(json_array_size(checklist), f->pr.n_checklist);
    assert_true(json_array_size(checklist) > 10);
    assert_non_null(json_object_get(json_array_get(checklist, 0), "section"));
    assert_non_null(json_object_get(json_array_get(checklist, 0), "when"));
    assert_non_null(json_object_get(json_array_get(checklist, 0), "text"));
    assert_string_equal(json_string_value(json_object_get(root, "strategy")), f->pr.strategy);
    assert_int_equal(json_array_size(json_object_get(root, "assumptions")), 1);

    json_decref(root);
    free(text);
}

static void plan_json_is_byte_identical(void **state)
{
    const struct fixture *f = *state;
    char *a = render(f, SP_FMT_JSON), *b = render(f, SP_FMT_JSON);

    assert_string_equal(a, b);
    free(a);
    free(b);
}

static void plan_json_writes_null_for_numbers_that_are_not_finite(void **state)
{
    struct fixture *f = *state;
    double saved = f->plan->expected_utility;
    char *text;
    json_t *root;

    f->plan->expected_utility = NAN;
    text = render(f, SP_FMT_JSON);
    f->plan->expected_utility = saved;
    root = json_loads(text, 0, NULL);
    assert_non_null(root);
    assert_true(json_is_null(json_object_get(root, "expected_utility")));
    json_decref(root);
    free(text);
}

static void plan_csv_has_one_row_per_program_and_quotes(void **state)
{
    const struct fixture *f = *state;
    char *text = render(f, SP_FMT_CSV);

    assert_int_equal(count(text, "\n"), N_DEFS + 1);
    assert_true(strncmp(text,
                        "acgme_id,specialty,institution,city,state,distance_miles,"
                        "p_interview,p_match,tier,signal,esir,why,order\n",
                        strlen("acgme_id")) == 0);
    assert_non_null(strstr(text, "\n4160000001,IR,A&B <Hospital>,Boston,MA,12.3,0.1235,"));
    assert_non_null(strstr(text, ",\"Smith, Jones Medical Center\",Dallas,TX,"));
    assert_non_null(strstr(text, ",\"Mercy \"\"Quoted\"\" Hospital\","));
    assert_non_null(strstr(text, "\n4160000002,IR,University Hospital,Chicago,IL,,"));
    /* The why, worded from the program's reasons, has a comma: quoted. */
    assert_non_null(strstr(text, ",target,gold,true,\"target (P(interview) 32%); gold signal; "
                                 "offers ESIR, which you want; adds 3.00 points of expected "
                                 "value\",3\n"));
    assert_non_null(strstr(text, ",target,none,false,"));
    free(text);
}

static void plan_text_has_every_part(void **state)
{
    struct fixture *f = *state;
    char *text = render(f, SP_FMT_TEXT);
    static const char *const parts[] = {"Strategy",
                                        "By specialty",
                                        "Programs: IR (2)",
                                        "Programs: DR (2)",
                                        "Costs",
                                        "Diminishing returns",
                                        "Letters of recommendation",
                                        "Timeline",
                                        "If you do not match",
                                        "PGY-1 year",
                                        "scores.step2_ck = 250",
                                        "$311.00",
                                        "<- this plan"};

    for (size_t i = 0; i < sizeof(parts) / sizeof(parts[0]); i++) {
        if (!strstr(text, parts[i]))
            fail_msg("text report lacks '%s'", parts[i]);
    }
    free(text);
    /* Dollars have thousands separators. */
    f->plan->cost_usd = 12345.6;
    text = render(f, SP_FMT_TEXT);
    f->plan->cost_usd = 311;
    assert_non_null(strstr(text, "$12,345.60"));
    free(text);
}

static void plan_html_is_self_contained_and_escaped(void **state)
{
    const struct fixture *f = *state;
    struct sp_buf out = SP_BUF_INIT, again = SP_BUF_INIT;
    const char *html;

    sp_render_plan_html(&out, f->plan, &f->p);
    html = sp_buf_cstr(&out);
    assert_true(strncmp(html, "<!DOCTYPE html>", 15) == 0);
    assert_int_equal(count(html, "<svg"), 2);
    assert_int_equal(count(html, "</svg>"), 2);
    assert_null(strstr(html, "<script"));
    assert_null(strstr(html, "http://"));
    assert_null(strstr(html, "https://"));
    assert_null(strstr(html, "<link"));
    assert_null(strstr(html, "url("));
    assert_null(strstr(html, "A&B <Hospital>"));
    assert_non_null(strstr(html, "A&amp;B &lt;Hospital&gt;"));
    assert_non_null(strstr(html, "Test &lt;Student&gt;"));
    assert_non_null(strstr(html, "Mercy &quot;Quoted&quot; Hospital"));
    /* a dot per program in the contiguous US; Honolulu is noted, not drawn */
    assert_int_equal(count(html, "<circle") - 1 /* plan point on the curve */ - 3 /* legend */
                         - 3 /* specialty legend */,
                     N_DEFS - 1);
    assert_non_null(strstr(html, "1 program outside the contiguous US"));
    assert_non_null(strstr(html, "</html>\n"));
    sp_render_plan_html(&again, f->plan, &f->p);
    assert_string_equal(html, sp_buf_cstr(&again));
    sp_buf_release(&out);
    sp_buf_release(&again);
}

static void plan_xlsx_writes_a_zip_file(void **state)
{
    const struct fixture *f = *state;
    char dir[] = "/tmp/sp_render_plan_XXXXXX";
    char path[256];
    unsigned char magic[2] = {0, 0};
    struct sp_err err = SP_ERR_INIT;
    FILE *fp;
    long size;

    assert_non_null(mkdtemp(dir));
    snprintf(path, sizeof(path), "%s/plan.xlsx", dir);
    if (sp_render_plan_xlsx(path, f->plan, &f->p, &err))
        fail_msg("%s", err.msg);
    fp = fopen(path, "rb");
    assert_non_null(fp);
    assert_int_equal(fread(magic, 1, 2, fp), 2);
    fseek(fp, 0, SEEK_END);
    size = ftell(fp);
    fclose(fp);
    assert_true(magic[0] == 'P' && magic[1] == 'K');
    assert_true(size > 1000);
    unlink(path);

    /* An unwritable path is an error that names it. */
    snprintf(path, sizeof(path), "%s/missing/plan.xlsx", dir);
    assert_int_equal(sp_render_plan_xlsx(path, f->plan, &f->p, &err), SP_EIO);
    assert_non_null(strstr(err.msg, "missing/plan.xlsx"));
    rmdir(dir);
}

static size_t section_count(const struct sp_plan_prose *pr, const char *section)
{
    size_t n = 0;

    for (size_t i = 0; i < pr->n_checklist; i++)
        n += strcmp(pr->checklist[i].section, section) == 0;
    return n;
}

static void advise_fills_strategy_and_every_section(void **state)
{
    const struct fixture *f = *state;
    const struct sp_plan_prose *pr = &f->pr;
    static const char *const sections[] = {
        "letters",  "personal_statements", "signals", "interviews",
        "timeline", "if_unmatched",        "pgy1"};
    static const char *const whens[] = {"MS2 spring",        "MS3 fall",      "MS3 spring",
                                        "MS4 June",          "MS4 September", "MS4 February",
                                        "Match Week (March)"};

    assert_true(strlen(pr->strategy) > 200);
    assert_non_null(strstr(pr->strategy, "moderately competitive"));
    assert_non_null(strstr(pr->strategy, "IR"));
    assert_non_null(strstr(pr->strategy, "DR"));
    assert_non_null(strstr(pr->strategy, "IM"));
    assert_non_null(strstr(pr->strategy, "71%")); /* P(match anywhere) */
    assert_non_null(strstr(pr->strategy, "15 preliminary"));
    for (size_t i = 0; i < sizeof(sections) / sizeof(sections[0]); i++) {
        if (section_count(pr, sections[i]) == 0)
            fail_msg("no checklist items in section %s", sections[i]);
    }
    /* one letters item and one statement per specialty in the plan */
    assert_true(section_count(pr, "letters") >= 3);
    assert_true(section_count(pr, "personal_statements") >= 3);
    for (size_t i = 0; i < sizeof(whens) / sizeof(whens[0]); i++) {
        bool found = false;
        for (size_t j = 0; j < pr->n_checklist; j++)
            found |= strcmp(pr->checklist[j].section, "timeline") == 0 &&
                     strcmp(pr->checklist[j].when, whens[i]) == 0;
        if (!found)
            fail_msg("timeline lacks %s", whens[i]);
    }
    for (size_t i = 0; i < pr->n_checklist; i++) {
        size_t len = strlen(pr->checklist[i].text);
        /* Nothing reaches the field's end: no text was cut. */
        if (len == 0 || len + 1 >= sizeof(pr->checklist[i].text))
            fail_msg("checklist item %zu (%s) is empty or cut: %s", i, pr->checklist[i].section,
                     pr->checklist[i].text);
    }
    /* The student's letter counts are read from the profile. */
    {
        bool found = false;
        for (size_t i = 0; i < pr->n_checklist; i++)
            found |= strncmp(pr->checklist[i].text, "IR:", 3) == 0 &&
                     strcmp(pr->checklist[i].section, "letters") == 0 &&
                     strstr(pr->checklist[i].text, "You have 1 IR letter") != NULL;
        assert_true(found);
    }
}

static void advise_has_no_pgy1_section_without_pgy1_applications(void **state)
{
    struct fixture *f = *state;

    f->plan->pgy1_applications = 0;
    f->plan->cost_pgy1_usd = 0;
    reword(f);
    assert_int_equal(section_count(&f->pr, "pgy1"), 0);
    assert_true(section_count(&f->pr, "letters") > 0);
    assert_true(section_count(&f->pr, "if_unmatched") > 0);
    assert_null(strstr(f->pr.strategy, "preliminary"));
}

static void advise_is_deterministic(void **state)
{
    struct fixture *f = *state;
    char strategy[sizeof(f->pr.strategy)];
    size_t n = f->pr.n_checklist;
    struct sp_plan_prose_item *copy = malloc(n * sizeof(*copy));

    memcpy(strategy, f->pr.strategy, sizeof(strategy));
    memcpy(copy, f->pr.checklist, n * sizeof(*copy));
    reword(f);
    assert_string_equal(strategy, f->pr.strategy);
    assert_int_equal(n, f->pr.n_checklist);
    assert_memory_equal(copy, f->pr.checklist, n * sizeof(*copy));
    free(copy);
}

/* The strategy worded for ir, dr and third applications to the plan's three specialties. */
static const char *strategy_for(struct fixture *f, int ir, int dr, int third)
{
    f->plan->spec[0].n_applications = ir;
    f->plan->spec[1].n_applications = dr;
    f->plan->spec[2].n_applications = third;
    reword(f);
    return f->pr.strategy;
}

/* The strategy describes the list the optimizer chose, whatever it is. */
static void advise_describes_the_optimizers_choice(void **state)
{
    struct fixture *f = *state;
    const char *s;

    /* Most applications to the backup: IR is a reach. */
    s = strategy_for(f, 5, 0, 30);
    assert_non_null(strstr(s, "IR is a reach"));
    assert_non_null(strstr(s, "DR gets no applications"));

    /* IR and DR about equal: dual application. */
    s = strategy_for(f, 20, 18, 0);
    assert_non_null(strstr(s, "dual-applies to IR and DR"));
    assert_null(strstr(s, "reach"));

    /* Mostly IR with a small DR list: concentrates. */
    s = strategy_for(f, 30, 8, 0);
    assert_non_null(strstr(s, "concentrates on IR"));

    strategy_for(f, 2, 2, 2);
}

/* With every specialty in the plan the strategy still fits its field, and the
 * totals paragraph (the most important) is not the part that is dropped. */
static void advise_fits_a_plan_with_every_specialty(void **state)
{
    struct fixture *f = *state;
    struct sp_plan *plan = f->plan;

    plan->n_spec = 0;
    for (int k = 0; k < SP_SPEC_COUNT; k++)
        add_spec(plan, (enum sp_specialty)k, 10 + k, 0.1, 0.05, 0.2);
    reword(f);
    assert_true(strlen(f->pr.strategy) < sizeof(f->pr.strategy) - 1);
    for (int k = 0; k < SP_SPEC_COUNT; k++) {
        char needle[16];
        snprintf(needle, sizeof(needle), " %s:", sp_specialty_code((enum sp_specialty)k));
        if (!strstr(f->pr.strategy, needle))
            fail_msg("strategy does not name %s", needle);
    }
    assert_non_null(strstr(f->pr.strategy, "P(match anywhere) is 71%"));
    assert_int_equal(section_count(&f->pr, "personal_statements"), SP_SPEC_COUNT + 1);
    for (size_t i = 0; i < f->pr.n_checklist; i++)
        assert_true(strlen(f->pr.checklist[i].text) + 1 < sizeof(f->pr.checklist[i].text));
}

/* A program's why names its tier and P(interview), each reason the core gave (in
 * state before a preferred region), and what it adds; it is cut at the length the
 * documents give it. */
static void why_words_each_reason(void **state)
{
    const struct fixture *f = *state;
    struct sp_plan_program pp = f->plan->programs[0];
    char why[SP_PLAN_PROSE_WHY_MAX], small[24];

    pp.reasons = SP_WHY_AWAY | SP_WHY_HOME | SP_WHY_IN_STATE | SP_WHY_REGION;
    pp.gain = 0.00456;
    assert_string_equal(sp_plan_prose_why(why, sizeof(why), &pp),
                        "reach (P(interview) 12%); you rotated here; your home program; in "
                        "your home or school state; adds 0.46 points of expected value");
    pp.reasons = SP_WHY_SIGNAL | SP_WHY_REGION | SP_WHY_ESIR;
    assert_string_equal(sp_plan_prose_why(why, sizeof(why), &pp),
                        "reach (P(interview) 12%); gold signal; in a region you prefer; offers "
                        "ESIR; adds 0.46 points of expected value");
    assert_string_equal(sp_plan_prose_why(small, sizeof(small), &pp), "reach (P(interview) 12%");
}

/* Dollars: cents round half away from zero, whole dollars round up from half;
 * thousands are separated and what is not a number is "$?". */
static void money_writes_cents_and_whole_dollars(void **state)
{
    char buf[32];

    (void)state;
    assert_string_equal(sp_render_plan__money(buf, sizeof(buf), 1234567.891, true),
                        "$1,234,567.89");
    assert_string_equal(sp_render_plan__money(buf, sizeof(buf), 2.5, true), "$2.50");
    assert_string_equal(sp_render_plan__money(buf, sizeof(buf), 2.5, false), "$3");
    assert_string_equal(sp_render_plan__money(buf, sizeof(buf), 1234.49, false), "$1,234");
    assert_string_equal(sp_render_plan__money(buf, sizeof(buf), -12.25, true), "-$12.25");
    assert_string_equal(sp_render_plan__money(buf, sizeof(buf), -0.001, true), "$0.00");
    assert_string_equal(sp_render_plan__money(buf, sizeof(buf), NAN, false), "$?");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(plan_json_has_every_contract_key, setup, teardown),
        cmocka_unit_test_setup_teardown(plan_json_is_byte_identical, setup, teardown),
        cmocka_unit_test_setup_teardown(plan_json_writes_null_for_numbers_that_are_not_finite,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(plan_csv_has_one_row_per_program_and_quotes, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(plan_text_has_every_part, setup, teardown),
        cmocka_unit_test_setup_teardown(plan_html_is_self_contained_and_escaped, setup, teardown),
        cmocka_unit_test_setup_teardown(plan_xlsx_writes_a_zip_file, setup, teardown),
        cmocka_unit_test_setup_teardown(advise_fills_strategy_and_every_section, setup, teardown),
        cmocka_unit_test_setup_teardown(advise_has_no_pgy1_section_without_pgy1_applications, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(advise_is_deterministic, setup, teardown),
        cmocka_unit_test_setup_teardown(advise_describes_the_optimizers_choice, setup, teardown),
        cmocka_unit_test_setup_teardown(advise_fits_a_plan_with_every_specialty, setup, teardown),
        cmocka_unit_test_setup_teardown(why_words_each_reason, setup, teardown),
        cmocka_unit_test(money_writes_cents_and_whole_dollars),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
