/*
 * names.h - the edges' small vocabularies, one name table each: the output formats
 * (--format, ?format=) and the catalog's sort keys (--sort, ?sort=). Every command
 * and endpoint parses and prints these names here; each offers the subset it can
 * render and words its own message for a name it does not take.
 */
#ifndef SP_APP_NAMES_H
#define SP_APP_NAMES_H

#include "render.h"
#include "smartpick/catalog/filter.h"

/* Every output format a command or an endpoint writes. */
enum sp_out { SP_OUT_TEXT, SP_OUT_CSV, SP_OUT_JSON, SP_OUT_XLSX, SP_OUT_HTML, SP_OUT_COUNT };

/* A set of formats: SP_OUT_BIT(SP_OUT_TEXT) | SP_OUT_BIT(SP_OUT_JSON). */
#define SP_OUT_BIT(o) (1u << (o))
/* In a set: "table" names text too (the word of the catalog's tables). */
#define SP_OUT_TABLE_WORD (1u << 8)

/* The format called name ("text", "csv", "json", "xlsx", "html"; "table" for text
 * when allowed has SP_OUT_TABLE_WORD) among allowed. SP_EINVAL otherwise, with no
 * message: the caller names its choices. */
int sp_out_parse(enum sp_out *out, const char *name, unsigned allowed);
/* "text", "csv", "json", "xlsx", "html"; "?" out of range. Also the file extension. */
const char *sp_out_name(enum sp_out o);
/* The renderers' enum for text, CSV and JSON (the others have renderers of their own). */
enum sp_format sp_out_format(enum sp_out o);
/* The HTTP Content-Type of a response in this format. */
const char *sp_out_content_type(enum sp_out o);

/* The sort key called name ("id", "name", "distance", "state"); SP_EINVAL otherwise. */
int sp_sort_parse(enum sp_sort *out, const char *name);
const char *sp_sort_name(enum sp_sort s);

#endif
