/*
 * render_match.h - the Match's output formats and its JSON documents (docs/MATCH.md):
 * the instance read (sp_match_from_json, match_json.c) and the result written
 * (sp_match_to_json).
 *
 * Writers append to a caller-owned sp_buf and never print. The JSON reader is here, not
 * in the core, because it uses jansson.
 */
#ifndef SP_RENDER_MATCH_H
#define SP_RENDER_MATCH_H

#include "smartpick/match/match.h"
#include "sp_buf.h"

enum sp_match_format {
    SP_MATCH_FMT_TEXT,  /* a table for people */
    SP_MATCH_FMT_MATCH, /* the peer `.match` format: `m 1` then `r RID PID` */
    SP_MATCH_FMT_JSON,  /* schema smartpick.match_result/1 */
    SP_MATCH_FMT_CSV,   /* one table with a `record` column */
};

/* "text", "match", "json", "csv"; SP_EINVAL with err naming the value otherwise. */
int sp_match_format_parse(enum sp_match_format *out, const char *name, struct sp_err *err);

/* A match result in the chosen format. res->status SP_ENOSTABLE renders "no stable
 * matching found" (`m 0` in the peer format). proposing is only reported. */
void sp_render_match(struct sp_buf *out, enum sp_match_format fmt, const sp_match_instance *in,
                     const struct sp_match_result *res, enum sp_proposing proposing);

/* A checker's verdict on a given matching, as text or JSON (other formats: text). */
void sp_render_match_check(struct sp_buf *out, enum sp_match_format fmt,
                           const sp_match_instance *in, const struct sp_match_check *chk,
                           bool has_matching);

/*
 * The SmartPick match JSON (schema smartpick.match/1, docs/MATCH.md "JSON input"):
 *   {"programs":   [{"id", "capacity", "track"?, "ranks": [applicant IDs]}],
 *    "applicants": [{"id", "ranks": [program IDs], "supplemental"?: [program IDs]}],
 *    "couples":    [{"id", "members": [ID, ID], "ranks": [[ID|null, ID|null], ...]}]}
 * Errors name the JSON path ("couples[1].ranks[0][1]: ...") or, for syntax, the line and
 * column. On success *out is a frozen instance owned by the caller.
 */
int sp_match_from_json(sp_match_instance **out, const char *data, size_t len, struct sp_err *err);

/* The result as JSON (schema smartpick.match_result/1, two-space indented, ends with
 * a newline): what sp_render_match writes for SP_MATCH_FMT_JSON. */
void sp_match_to_json(struct sp_buf *out, const sp_match_instance *in,
                      const struct sp_match_result *res, enum sp_proposing proposing);

#endif
