/*
 * rank_json.h - the rank-list input (schema smartpick.rank/1, sp_rank_from_json) and
 * the rank output (sp_rank_to_json, sp_render_rank).
 *
 *   {"schema": "smartpick.rank/1",
 *    "profile": "ir-moderate.json" | { ...a smartpick.profile/1 document... },
 *    "interviews": [{"acgme_id": "4163800004", "preference": 1, "acceptable": true,
 *                    "utility": 0.95, "signal": "gold", "advanced": true}, ...],
 *    "pgy1": [{"name": "Riverside Transitional Year", "preference": 1}, ...]}
 *
 * preference is required (1 = most preferred); the rest are optional (acceptable
 * true, utility from the preference, signal none, advanced false). docs/MATCH.md.
 */
#ifndef SP_RANK_JSON_H
#define SP_RANK_JSON_H

#include "render.h"
#include "smartpick/plan/rank.h"

#define SP_RANK_SCHEMA "smartpick.rank/1"

struct sp_rank_doc {
    struct sp_rank_input input;   /* programs not yet resolved */
    struct sp_profile profile;    /* parsed when inline (has_profile) */
    bool has_profile;
    char profile_path[SP_PROFILE_MAX_PATH]; /* when given as a path */
};

/* Parse and validate; errors name the JSON path, the value and the rule. */
int sp_rank_from_json(struct sp_rank_doc *out, const char *text, size_t len, struct sp_err *err);

/* The recommended rank list as JSON (schema smartpick.rank-result/1: ranks
 * [{acgme_id, p_match_here, p_match_cumulative}], p_unmatched, expected_utility,
 * the supplemental PGY-1 list, warnings, the profile's assumptions). */
void sp_rank_to_json(struct sp_buf *out, const struct sp_rank_result *r,
                     const struct sp_rank_input *in, const struct sp_profile *p);

/* text, or json (sp_rank_to_json). */
void sp_render_rank(struct sp_buf *out, enum sp_format fmt, const struct sp_rank_result *r,
                    const struct sp_rank_input *in, const struct sp_profile *p);

#endif
