/*
 * Program lists as a table, CSV (re-importable: the columns of docs/DATA.md) or JSON
 * (every optional fact with its source, so each value can be traced).
 */
#include "render.h"

#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "banned.h"

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

/* ---- JSON ----
 *
 * Written directly, not through a jansson tree: a specialty's list is about
 * 1 KiB per program, and the program browser asks for it thousands of times a
 * second. The bytes are those json_dumps() gave for the same document with
 * JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(10): two-space
 * indentation, keys in this order, strings escaped as jansson escapes them, reals
 * as "%.10g" with ".0" added to a whole number and the exponent without '+' or
 * leading zeros (jansson's formatting). */

static void j_indent(struct sp_buf *out, int depth)
{
    static const char spaces[] = "                                ";

    sp_buf_addc(out, '\n');
    sp_buf_add(out, spaces, (size_t)depth * 2);
}

/* Whether s is valid UTF-8 (jansson refuses a string that is not). */
static bool j_utf8(const char *s)
{
    const unsigned char *p = (const unsigned char *)s;

    while (*p) {
        int n = *p < 0x80             ? 0
                : (*p & 0xE0) == 0xC0 ? 1
                : (*p & 0xF0) == 0xE0 ? 2
                : (*p & 0xF8) == 0xF0 ? 3
                                      : -1;
        unsigned cp;
        if (n < 0 || (n == 1 && *p < 0xC2))
            return false;
        cp = n == 0 ? *p : n == 1 ? (*p & 0x1Fu) : n == 2 ? (*p & 0x0Fu) : (*p & 0x07u);
        for (int i = 1; i <= n; i++) {
            if ((p[i] & 0xC0) != 0x80)
                return false;
            cp = (cp << 6) | (p[i] & 0x3Fu);
        }
        if ((n == 2 && cp < 0x800) || (n == 3 && (cp < 0x10000 || cp > 0x10FFFF)) ||
            (cp >= 0xD800 && cp <= 0xDFFF))
            return false;
        p += n + 1;
    }
    return true;
}

static void j_string(struct sp_buf *out, const char *s)
{
    const char *run = s;

    sp_buf_addc(out, '"');
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        const char *esc = NULL;
        char u[8];
        if (c != '\\' && c != '"' && c >= 0x20)
            continue;
        sp_buf_add(out, run, (size_t)(s - run));
        switch (c) {
        case '\\':
            esc = "\\\\";
            break;
        case '"':
            esc = "\\\"";
            break;
        case '\b':
            esc = "\\b";
            break;
        case '\f':
            esc = "\\f";
            break;
        case '\n':
            esc = "\\n";
            break;
        case '\r':
            esc = "\\r";
            break;
        case '\t':
            esc = "\\t";
            break;
        default:
            snprintf(u, sizeof(u), "\\u%04X", (unsigned)c);
            esc = u;
            break;
        }
        sp_buf_adds(out, esc);
        run = s + 1;
    }
    sp_buf_add(out, run, (size_t)(s - run));
    sp_buf_addc(out, '"');
}

static void j_real(struct sp_buf *out, double v)
{
    char buf[64];
    int len = snprintf(buf, sizeof(buf), "%.10g", v);
    char *e;

    if (len < 0 || (size_t)len >= sizeof(buf) - 3)
        return;
    if (!strchr(buf, '.') && !strchr(buf, 'e')) {
        memcpy(buf + len, ".0", 3);
        len += 2;
    }
    e = strchr(buf, 'e');
    if (e) {
        char *start = e + 1, *end = start + 1;
        if (*start == '-')
            start++;
        while (*end == '0')
            end++;
        if (end != start) {
            memmove(start, end, (size_t)len - (size_t)(end - buf) + 1);
            len -= (int)(end - start);
        }
    }
    sp_buf_add(out, buf, (size_t)len);
}

/* "key": at depth (the caller writes the value). first: no comma before. */
static void j_key(struct sp_buf *out, int depth, bool first, const char *key)
{
    if (!first)
        sp_buf_addc(out, ',');
    j_indent(out, depth);
    j_string(out, key);
    sp_buf_adds(out, ": ");
}

static void j_fact(struct sp_buf *out, int depth, enum sp_program_fact f,
                   const struct sp_fact *fact)
{
    char v[32];

    sp_buf_addc(out, '{');
    j_key(out, depth + 1, true, "value");
    if (fact->source == SP_SRC_NONE)
        sp_buf_adds(out, "null");
    else if (sp_program_fact_is_bool(f))
        sp_buf_adds(out, fact->value > 0 ? "true" : "false");
    else if (f == SP_FACT_PROGRAM_TYPE || f == SP_FACT_VISA)
        j_string(out, sp_program_fact_format(v, sizeof(v), f, fact->value));
    else
        j_real(out, fact->value);
    j_key(out, depth + 1, false, "source");
    j_string(out, sp_source_name(fact->source));
    j_indent(out, depth);
    sp_buf_addc(out, '}');
}

/* Whether jansson would have built this program's object: its strings UTF-8,
 * its reals finite (json_real() refuses NaN and infinity). */
static bool j_program_ok(const struct sp_program_hit *h, bool with_distance)
{
    const struct sp_program *p = h->program;

    if (!j_utf8(p->institution) || !j_utf8(p->city) || !j_utf8(p->state) || !j_utf8(p->acgme_id) ||
        !isfinite(p->where.lat) || !isfinite(p->where.lon))
        return false;
    if (with_distance && !isfinite(round1(h->distance_miles)))
        return false;
    for (int f = 0; f < SP_FACT_COUNT; f++) {
        const struct sp_fact *fact = &p->facts[f];
        if (fact->source != SP_SRC_NONE && !sp_program_fact_is_bool((enum sp_program_fact)f) &&
            f != SP_FACT_PROGRAM_TYPE && f != SP_FACT_VISA && !isfinite(fact->value))
            return false;
    }
    return true;
}

static void render_json(struct sp_buf *out, const struct sp_program_hit *hits, size_t n,
                        bool with_distance)
{
    bool first = true;

    sp_buf_adds(out, "{");
    j_key(out, 1, true, "count");
    sp_buf_addf(out, "%lld", (long long)n);
    j_key(out, 1, false, "programs");
    sp_buf_addc(out, '[');
    for (size_t i = 0; i < n; i++) {
        const struct sp_program *p = hits[i].program;
        /* A program jansson could not have built was left out of the list. */
        if (!j_program_ok(&hits[i], with_distance))
            continue;
        if (!first)
            sp_buf_addc(out, ',');
        first = false;
        j_indent(out, 2);
        sp_buf_addc(out, '{');
        j_key(out, 3, true, "acgme_id");
        j_string(out, p->acgme_id);
        j_key(out, 3, false, "specialty");
        j_string(out, sp_specialty_code(p->specialty));
        j_key(out, 3, false, "specialty_name");
        j_string(out, sp_specialty_name(p->specialty));
        j_key(out, 3, false, "institution");
        j_string(out, p->institution);
        j_key(out, 3, false, "city");
        j_string(out, p->city);
        j_key(out, 3, false, "state");
        j_string(out, p->state);
        j_key(out, 3, false, "division");
        j_string(out, sp_division_name(p->division));
        j_key(out, 3, false, "latitude");
        j_real(out, p->where.lat);
        j_key(out, 3, false, "longitude");
        j_real(out, p->where.lon);
        j_key(out, 3, false, "new_program");
        sp_buf_adds(out, p->new_program ? "true" : "false");
        j_key(out, 3, false, "osteopathic_recognized");
        sp_buf_adds(out, p->osteopathic_recognized ? "true" : "false");
        if (with_distance) {
            j_key(out, 3, false, "distance_miles");
            j_real(out, round1(hits[i].distance_miles));
        }
        j_key(out, 3, false, "facts");
        sp_buf_addc(out, '{');
        for (int f = 0; f < SP_FACT_COUNT; f++) {
            j_key(out, 4, f == 0, sp_program_fact_name((enum sp_program_fact)f));
            j_fact(out, 4, (enum sp_program_fact)f, &p->facts[f]);
        }
        j_indent(out, 3);
        sp_buf_addc(out, '}');
        j_indent(out, 2);
        sp_buf_addc(out, '}');
    }
    if (!first)
        j_indent(out, 1);
    sp_buf_addc(out, ']');
    j_indent(out, 0);
    sp_buf_adds(out, "}\n");
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
