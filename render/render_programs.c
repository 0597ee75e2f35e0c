/*
 * Program lists as a table, CSV (re-importable: the columns of docs/DATA.md) or JSON
 * (every optional fact with its source, so each value can be traced).
 */
#include "render.h"

#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "banned.h"

#define JSON_FLAGS (JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(10))

static double round1(double v)
{
    return round(v * 10.0) / 10.0;
}

static void render_table(struct sp_buf *out, const struct sp_program_hit *hits, size_t n,
                         bool with_distance)
{
    sp_buf_addf(out, "%-10s  %-5s  %-46s  %-20s  %-2s", "ACGME ID", "SPEC", "PROGRAM", "CITY",
                "ST");
    if (with_distance)
        sp_buf_addf(out, "  %7s", "MILES");
    sp_buf_adds(out, "  NOTES\n");
    for (size_t i = 0; i < n; i++) {
        const struct sp_program *p = hits[i].program;
        sp_buf_addf(out, "%-10s  %-5s  ", p->acgme_id, sp_specialty_code(p->specialty));
        sp_render_padded(out, p->institution, 46);
        sp_buf_adds(out, "  ");
        sp_render_padded(out, p->city, 20);
        sp_buf_addf(out, "  %-2s", p->state);
        if (with_distance)
            sp_buf_addf(out, "  %7.1f", round1(hits[i].distance_miles));
        char notes[48] = "";
        snprintf(notes, sizeof(notes), "%s%s%s", p->new_program ? " new" : "",
                 p->osteopathic_recognized ? " DO-recognized" : "",
                 p->facts[SP_FACT_ESIR].source != SP_SRC_NONE && p->facts[SP_FACT_ESIR].value > 0
                     ? " ESIR"
                     : "");
        if (notes[0])
            sp_buf_addf(out, "  %s", notes + 1);
        sp_buf_addc(out, '\n');
    }
    sp_buf_addf(out, "%zu program%s\n", n, n == 1 ? "" : "s");
}

static void render_csv(struct sp_buf *out, const struct sp_program_hit *hits, size_t n,
                       bool with_distance)
{
    char v[32];

    sp_buf_adds(out, "acgme_id,specialty,specialty_name,institution,city,state,division,"
                     "latitude,longitude,new_program,osteopathic_recognized");
    for (int f = 0; f < SP_FACT_COUNT; f++)
        sp_buf_addf(out, ",%s,%s_source", sp_program_fact_name((enum sp_program_fact)f),
                    sp_program_fact_name((enum sp_program_fact)f));
    if (with_distance)
        sp_buf_adds(out, ",distance_miles");
    sp_buf_adds(out, "\n");
    for (size_t i = 0; i < n; i++) {
        const struct sp_program *p = hits[i].program;
        sp_buf_addf(out, "%s,%s,", p->acgme_id, sp_specialty_code(p->specialty));
        sp_render_csv_field(out, sp_specialty_name(p->specialty));
        sp_buf_addc(out, ',');
        sp_render_csv_field(out, p->institution);
        sp_buf_addc(out, ',');
        sp_render_csv_field(out, p->city);
        sp_buf_addf(out, ",%s,%s,%.5f,%.5f,%s,%s", p->state, sp_division_name(p->division),
                    p->where.lat, p->where.lon, p->new_program ? "yes" : "no",
                    p->osteopathic_recognized ? "yes" : "no");
        for (int f = 0; f < SP_FACT_COUNT; f++) {
            const struct sp_fact *fact = &p->facts[f];
            if (fact->source == SP_SRC_NONE)
                sp_buf_adds(out, ",,");
            else
                sp_buf_addf(out, ",%s,%s",
                            sp_program_fact_format(v, sizeof(v), (enum sp_program_fact)f,
                                                   fact->value),
                            sp_source_name(fact->source));
        }
        if (with_distance)
            sp_buf_addf(out, ",%.1f", round1(hits[i].distance_miles));
        sp_buf_adds(out, "\n");
    }
}

static json_t *fact_json(enum sp_program_fact f, const struct sp_fact *fact)
{
    json_t *value;
    char v[32];

    if (fact->source == SP_SRC_NONE)
        value = json_null();
    else if (sp_program_fact_is_bool(f))
        value = json_boolean(fact->value > 0);
    else if (f == SP_FACT_PROGRAM_TYPE || f == SP_FACT_VISA)
        value = json_string(sp_program_fact_format(v, sizeof(v), f, fact->value));
    else
        value = json_real(fact->value);
    return json_pack("{s:o, s:s}", "value", value, "source", sp_source_name(fact->source));
}

static void render_json(struct sp_buf *out, const struct sp_program_hit *hits, size_t n,
                        bool with_distance)
{
    json_t *root = json_object();
    json_t *list = json_array();
    char *text;

    json_object_set_new(root, "count", json_integer((json_int_t)n));
    for (size_t i = 0; i < n; i++) {
        const struct sp_program *p = hits[i].program;
        json_t *o = json_pack(
            "{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:f, s:f, s:b, s:b}", "acgme_id", p->acgme_id,
            "specialty", sp_specialty_code(p->specialty), "specialty_name",
            sp_specialty_name(p->specialty), "institution", p->institution, "city", p->city,
            "state", p->state, "division", sp_division_name(p->division), "latitude", p->where.lat,
            "longitude", p->where.lon, "new_program", p->new_program, "osteopathic_recognized",
            p->osteopathic_recognized);
        if (with_distance)
            json_object_set_new(o, "distance_miles", json_real(round1(hits[i].distance_miles)));
        json_t *facts = json_object();
        for (int f = 0; f < SP_FACT_COUNT; f++)
            json_object_set_new(facts, sp_program_fact_name((enum sp_program_fact)f),
                                fact_json((enum sp_program_fact)f, &p->facts[f]));
        json_object_set_new(o, "facts", facts);
        json_array_append_new(list, o);
    }
    json_object_set_new(root, "programs", list);
    text = json_dumps(root, JSON_FLAGS);
    sp_buf_adds(out, text);
    sp_buf_addc(out, '\n');
    free(text);
    json_decref(root);
}

void sp_render_programs(struct sp_buf *out, enum sp_format fmt, const struct sp_program_hit *hits,
                        size_t n, bool with_distance)
{
    switch (fmt) {
    case SP_FMT_TEXT:
        render_table(out, hits, n, with_distance);
        break;
    case SP_FMT_CSV:
        render_csv(out, hits, n, with_distance);
        break;
    case SP_FMT_JSON:
        render_json(out, hits, n, with_distance);
        break;
    }
}
