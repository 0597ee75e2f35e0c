/*
 * `smartpick specialties`: the published figures behind every estimate, each
 * with its year and source, and SmartPick's profile of each specialty.
 */
#include "render.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "banned.h"

#define JSON_FLAGS (JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(10))

static json_t *row_json(const struct sp_fact_row *r)
{
    return json_pack("{s:s, s:f, s:s, s:s, s:i, s:s}", "metric", r->metric, "value", r->value,
                     "unit", r->unit, "applicant_type", r->applicant_type, "year", r->year,
                     "source_url", r->source_url);
}

static json_t *profile_json(const struct sp_specialty_profile *p)
{
    if (!p->present)
        return json_null();
    return json_pack("{s:s, s:i, s:i, s:i, s:i, s:i, s:s, s:s, s:s, s:s}", "tracks", p->tracks,
                     "patient_contact", p->patient_contact, "procedural", p->procedural,
                     "imaging", p->imaging, "lifestyle", p->lifestyle, "income", p->income,
                     "ir_pathway", p->ir_pathway, "ir_pathway_note", p->ir_pathway_note, "pros",
                     p->pros, "cons", p->cons);
}

static void render_json(struct sp_buf *out, const sp_facts *facts, const sp_catalog *cat)
{
    json_t *root = json_object();
    json_t *list = json_array();
    json_t *all = json_array();
    size_t n_rows;
    const struct sp_fact_row *rows = sp_facts_rows(facts, &n_rows);
    char *text;

    for (int s = 0; s < SP_SPEC_COUNT; s++) {
        size_t n_programs;
        json_t *figures = json_array();
        sp_catalog_by_specialty(cat, (enum sp_specialty)s, &n_programs);
        for (size_t i = 0; i < n_rows; i++) {
            if (rows[i].specialty == s)
                json_array_append_new(figures, row_json(&rows[i]));
        }
        json_array_append_new(
            list, json_pack("{s:s, s:s, s:s, s:I, s:o, s:o}", "code",
                            sp_specialty_code((enum sp_specialty)s), "name",
                            sp_specialty_name((enum sp_specialty)s), "acgme_code",
                            sp_specialty_acgme((enum sp_specialty)s), "programs_in_catalog",
                            (json_int_t)n_programs, "figures", figures, "profile",
                            profile_json(sp_facts_profile(facts, (enum sp_specialty)s))));
    }
    for (size_t i = 0; i < n_rows; i++) {
        if (rows[i].specialty == SP_SPEC_ALL)
            json_array_append_new(all, row_json(&rows[i]));
    }
    json_object_set_new(root, "specialties", list);
    json_object_set_new(root, "all_specialties", all);
    text = json_dumps(root, JSON_FLAGS);
    sp_buf_adds(out, text);
    sp_buf_addc(out, '\n');
    free(text);
    json_decref(root);
}

static void render_csv(struct sp_buf *out, const sp_facts *facts)
{
    size_t n_rows;
    const struct sp_fact_row *rows = sp_facts_rows(facts, &n_rows);

    sp_buf_adds(out, "code,metric,value,unit,applicant_type,year,source_url\n");
    for (size_t i = 0; i < n_rows; i++) {
        const struct sp_fact_row *r = &rows[i];
        sp_buf_addf(out, "%s,%s,%g,%s,%s,%d,", r->specialty == SP_SPEC_ALL ? "ALL"
                    : sp_specialty_code((enum sp_specialty)r->specialty),
                    r->metric, r->value, r->unit, r->applicant_type, r->year);
        sp_render_csv_field(out, r->source_url);
        sp_buf_addc(out, '\n');
    }
}

/* Index of url in the footnote list, adding it if new (1-based). */
static size_t footnote(const char **urls, size_t *n, size_t cap, const char *url)
{
    for (size_t i = 0; i < *n; i++) {
        if (strcmp(urls[i], url) == 0)
            return i + 1;
    }
    if (*n == cap)
        return 0;
    urls[(*n)++] = url;
    return *n;
}

static void add_figure(struct sp_buf *out, const sp_facts *facts, int s, const char *metric,
                       const char *type, int decimals, double scale, const char **urls,
                       size_t *n_urls, size_t cap)
{
    const struct sp_fact_row *r = sp_facts_find(facts, s, metric, type);
    char cell[32];

    if (!r) {
        sp_buf_addf(out, " %12s", "-");
        return;
    }
    snprintf(cell, sizeof(cell), "%.*f", decimals, r->value * scale);
    sp_buf_addf(out, " %8s [%zu]", cell, footnote(urls, n_urls, cap, r->source_url));
}

static void render_text(struct sp_buf *out, const sp_facts *facts, const sp_catalog *cat)
{
    const char *urls[64];
    size_t n_urls = 0;

    sp_buf_addf(out, "%-5s %8s %12s %12s %12s %12s %12s\n", "CODE", "PROGRAMS", "POSITIONS",
                "APPLICANTS", "PER POS", "MD MATCH %", "STEP2 MED");
    for (int s = 0; s < SP_SPEC_COUNT; s++) {
        size_t n_programs;
        sp_catalog_by_specialty(cat, (enum sp_specialty)s, &n_programs);
        sp_buf_addf(out, "%-5s %8zu", sp_specialty_code((enum sp_specialty)s), n_programs);
        add_figure(out, facts, s, "positions", NULL, 0, 1, urls, &n_urls, 64);
        add_figure(out, facts, s, "applicants_first_choice", NULL, 0, 1, urls, &n_urls, 64);
        add_figure(out, facts, s, "applicants_per_position", NULL, 2, 1, urls, &n_urls, 64);
        add_figure(out, facts, s, "match_rate_us_md_senior", NULL, 1, 100, urls, &n_urls,
                   64);
        add_figure(out, facts, s, "step2_matched_median", NULL, 0, 1, urls, &n_urls, 64);
        sp_buf_addc(out, '\n');
    }
    sp_buf_adds(out, "\nAs a career and as a path toward IR (SmartPick's encoding, 1-5):\n");
    sp_buf_addf(out, "%-5s %7s %6s %6s %6s %6s  %s\n", "CODE", "PATIENT", "PROC", "IMAG",
                "LIFE", "INCOME", "IR PATHWAY");
    for (int s = 0; s < SP_SPEC_COUNT; s++) {
        const struct sp_specialty_profile *p = sp_facts_profile(facts, (enum sp_specialty)s);
        if (!p->present)
            continue;
        sp_buf_addf(out, "%-5s %7d %6d %6d %6d %6d  %s\n", sp_specialty_code((enum sp_specialty)s),
                    p->patient_contact, p->procedural, p->imaging, p->lifestyle, p->income,
                    p->ir_pathway);
    }
    sp_buf_adds(out, "\nSources:\n");
    for (size_t i = 0; i < n_urls; i++)
        sp_buf_addf(out, "  [%zu] %s\n", i + 1, urls[i]);
    sp_buf_adds(out, "Match rate of US MD seniors is derived from Charting Outcomes counts "
                     "(matched / all); see --format json for every figure.\n");
}

void sp_render_specialties(struct sp_buf *out, enum sp_format fmt, const sp_facts *facts,
                           const sp_catalog *cat)
{
    switch (fmt) {
    case SP_FMT_TEXT:
        render_text(out, facts, cat);
        break;
    case SP_FMT_CSV:
        render_csv(out, facts);
        break;
    case SP_FMT_JSON:
        render_json(out, facts, cat);
        break;
    }
}
