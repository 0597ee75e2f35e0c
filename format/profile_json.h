/*
 * profile_json.h - the applicant profile document (smartpick.profile/1) to and from
 * struct sp_profile. The keys, types, ranges and defaults are in docs/PROFILE.md.
 */
#ifndef SP_PROFILE_JSON_H
#define SP_PROFILE_JSON_H

#include "smartpick/error.h"
#include "smartpick/model/profile.h"

#include <stddef.h>

/* Largest document accepted, in bytes (a real profile is a few kilobytes). */
#define SP_PROFILE_JSON_MAX (1024 * 1024)

/*
 * Parse and validate the document text[0..len) (need not be NUL-terminated) into
 * *out, marking in out->given each optional group the document gave. Strict:
 * unknown keys at any level, wrong types, values out of range, duplicates and
 * malformed JSON are all errors. Does not fill defaults or check the rules between
 * fields: call sp_profile_complete() next.
 *
 * Returns 0, or SP_EINVAL with err->msg naming the JSON path, the value and the
 * rule ("research.publications: -2 must be >= 0"; malformed JSON gives "line L,
 * column C: ..."). On error *out is initialised but partly filled; do not use it.
 */
int sp_profile_from_json(struct sp_profile *out, const char *text, size_t len, struct sp_err *err);

/*
 * The document for p: the keys of the groups in p->given (plus name, the
 * non-default preferences and partner), never the defaults sp_profile_complete()
 * filled in, so sp_profile_from_json() of the result gives p back exactly when p
 * came from sp_profile_from_json(), and gives p back after sp_profile_complete()
 * when p was completed. Two-space indented, keys in docs/PROFILE.md order, ends
 * with a newline.
 *
 * Returns malloc'd text the caller frees, or NULL when a string of p is not valid
 * UTF-8 (a profile from sp_profile_from_json() always is).
 */
char *sp_profile_to_json(const struct sp_profile *p);

#endif
