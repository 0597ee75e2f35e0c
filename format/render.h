/*
 * render.h - output of core results as text, CSV or JSON.
 *
 * Shared by the CLI and the server so both produce the same documents. Every
 * function appends to a caller-owned sp_buf and never prints.
 */
#ifndef SP_RENDER_H
#define SP_RENDER_H

#include "smartpick/catalog/catalog.h"
#include "smartpick/catalog/facts.h"
#include "smartpick/catalog/filter.h"
#include "sp_buf.h"

#include <stdbool.h>

enum sp_format {
    SP_FMT_TEXT,
    SP_FMT_CSV,
    SP_FMT_JSON,
};

/* Parse "text"/"table", "csv", "json". SP_EINVAL (err names the value) otherwise. */
int sp_format_parse(enum sp_format *out, const char *name, struct sp_err *err);

/* A probability as people read it: "43%"; ">99%" above 99.5% and "<1%" below 0.5%
 * (but above 0), so a near-certain outcome never reads "100%". Returns buf. */
const char *sp_render_pct(char *buf, size_t cap, double p);

/* The chance 1 - p of an outcome p as "about 1 in N" (N rounded to two significant
 * digits), for p >= 0.9. Returns buf. */
const char *sp_render_one_in(char *buf, size_t cap, double p);

/* Append at most width display columns of s (UTF-8 aware; a cut is marked '~'),
 * padded with spaces: table cells. */
void sp_render_padded(struct sp_buf *out, const char *s, size_t width);

struct sp_profile;
/* The fields the profile left out and the values assumed for them, a line each:
 * "  field = value (why)". */
void sp_render_assumptions(struct sp_buf *out, const struct sp_profile *p);

/* Append s as one CSV field (quoted when it holds a comma, quote or line end). */
void sp_render_csv_field(struct sp_buf *out, const char *s);

/* Programs found by a filter; distances shown when with_distance. */
void sp_render_programs(struct sp_buf *out, enum sp_format fmt, const struct sp_program_hit *hits,
                        size_t n, bool with_distance);

/* The specialty table: published figures with sources and SmartPick's profile. */
void sp_render_specialties(struct sp_buf *out, enum sp_format fmt, const sp_facts *facts,
                           const sp_catalog *cat);

#endif
