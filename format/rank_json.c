/*
 * The rank-list document: strict reading (every error names the path, the value
 * and the rule; unknown keys are errors) and the rank report.
 */
#include "rank_json.h"

#include "profile_json.h"
#include "render_assess.h"
#include "smartpick/plan/plan.h"
#include "sp_str.h"

#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "banned.h"

static int unknown_keys(json_t *obj, const char *path, const char *const *keys, size_t n,
                        struct sp_err *err)
{
    const char *key;
    json_t *v;

    json_object_foreach(obj, key, v) {
        bool known = false;
        const char *best = keys[0];
        size_t best_d = (size_t)-1;
        for (size_t i = 0; i < n; i++) {
            size_t d = sp_str_distance(key, keys[i], 64);
            known |= strcmp(key, keys[i]) == 0;
            if (d < best_d) {
                best_d = d;
                best = keys[i];
            }
        }
        if (!known) {
            char field[SP_ERR_FIELD_MAX];
            snprintf(field, sizeof(field), "%s%s%s", path, *path ? "." : "", key);
            return sp_err_at(err, SP_EINVAL, SP_WHY_UNKNOWN_FIELD, field,
                             ": unknown key (did you mean '%s'?)", best);
        }
    }
    return 0;
}

/* "interviews[i].key: rule" */
static int entry_bad(struct sp_err *err, const char *path, const char *key, const char *rule)
{
    char field[64];

    snprintf(field, sizeof(field), "%s.%s", path, key);
    return sp_err_at(err, SP_EINVAL, SP_WHY_INVALID, field, ": %s", rule);
}

static int read_entry(struct sp_rank_entry *e, json_t *obj, size_t i, struct sp_err *err)
{
    static const char *const keys[] = {"acgme_id", "preference", "acceptable", "utility",
                                       "signal", "advanced"};
    char path[48], field[64];
    json_t *id, *pref, *v;
    const char *s;

    snprintf(path, sizeof(path), "interviews[%zu]", i);
    if (!json_is_object(obj))
        return sp_err_at(err, SP_EINVAL, SP_WHY_INVALID, path, ": must be an object");
    if (unknown_keys(obj, path, keys, sizeof(keys) / sizeof(keys[0]), err))
        return SP_EINVAL;
    id = json_object_get(obj, "acgme_id");
    s = json_string_value(id);
    snprintf(field, sizeof(field), "%s.acgme_id", path);
    if (!s || strlen(s) != SP_ACGME_ID_LEN || strspn(s, "0123456789") != SP_ACGME_ID_LEN)
        return sp_err_at(err, SP_EINVAL, SP_WHY_INVALID, field,
                         ": %s must be a 10-digit ACGME ID string",
                         s ? s : "(missing or not a string)");
    memcpy(e->acgme_id, s, SP_ACGME_ID_LEN + 1);
    pref = json_object_get(obj, "preference");
    if (!json_is_integer(pref) || json_integer_value(pref) < 1 ||
        json_integer_value(pref) > 1000)
        return entry_bad(err, path, "preference",
                         "must be a whole number from 1 (most preferred) to 1000");
    e->preference = (int)json_integer_value(pref);
    e->acceptable = true;
    if ((v = json_object_get(obj, "acceptable"))) {
        if (!json_is_boolean(v))
            return entry_bad(err, path, "acceptable", "must be true or false");
        e->acceptable = json_is_true(v);
    }
    if ((v = json_object_get(obj, "advanced"))) {
        if (!json_is_boolean(v))
            return entry_bad(err, path, "advanced", "must be true or false");
        e->advanced = json_is_true(v);
    }
    if ((v = json_object_get(obj, "utility"))) {
        if (!json_is_number(v) || json_number_value(v) <= 0 || json_number_value(v) > 1)
            return entry_bad(err, path, "utility", "must be a number in (0, 1]");
        e->utility = json_number_value(v);
    }
    e->signal = SP_SIGNAL_NONE;
    if ((v = json_object_get(obj, "signal"))) {
        s = json_string_value(v);
        if (!s || sp_signal_parse(&e->signal, s))
            return entry_bad(err, path, "signal", "must be \"none\", \"silver\" or \"gold\"");
    }
    return 0;
}

/* "profile": a file path, or a profile document inline. */
static int read_profile(struct sp_rank_doc *out, const json_t *v, struct sp_err *err)
{
    char *inner;
    int rc;

    if (json_is_string(v)) {
        if (json_string_length(v) == 0 || json_string_length(v) >= sizeof(out->profile_path))
            return sp_err_at(err, SP_EINVAL, SP_WHY_INVALID, "profile",
                             ": must be a file path of 1 to %zu bytes",
                             sizeof(out->profile_path) - 1);
        memcpy(out->profile_path, json_string_value(v), json_string_length(v) + 1);
        return 0;
    }
    if (!json_is_object(v))
        return sp_err_at(err, SP_EINVAL, SP_WHY_INVALID, "profile",
                         ": must be a profile file path or object");
    inner = json_dumps(v, JSON_COMPACT);
    rc = sp_profile_from_json(&out->profile, inner, strlen(inner), err);
    free(inner);
    if (rc) {
        sp_err_nest(err, "profile");
        return rc;
    }
    out->has_profile = true;
    return 0;
}

/* "pgy1" (optional): the supplemental list, [{name, preference}]. */
static int read_pgy1(struct sp_rank_doc *out, const json_t *v, struct sp_err *err)
{
    int rc;

    if (!v)
        return 0;
    if (!json_is_array(v) || json_array_size(v) > SP_RANK_MAX)
        return sp_err_at(err, SP_EINVAL, SP_WHY_INVALID, "pgy1",
                         ": must be a list of at most %d programs", SP_RANK_MAX);
    for (size_t i = 0; i < json_array_size(v); i++) {
        json_t *o = json_array_get(v, i), *name, *pref;
        static const char *const pkeys[] = {"name", "preference"};
        char path[32], field[48];
        snprintf(path, sizeof(path), "pgy1[%zu]", i);
        if (!json_is_object(o))
            return sp_err_at(err, SP_EINVAL, SP_WHY_INVALID, path, ": must be an object");
        rc = unknown_keys(o, path, pkeys, 2, err);
        if (rc)
            return rc;
        name = json_object_get(o, "name");
        pref = json_object_get(o, "preference");
        if (!json_is_string(name) || json_string_length(name) == 0 ||
            json_string_length(name) >= sizeof(out->input.pgy1[0].name)) {
            snprintf(field, sizeof(field), "%s.name", path);
            return sp_err_at(err, SP_EINVAL, SP_WHY_INVALID, field,
                             ": must be a name of 1 to 95 bytes");
        }
        if (!json_is_integer(pref) || json_integer_value(pref) < 1 ||
            json_integer_value(pref) > 1000) {
            snprintf(field, sizeof(field), "%s.preference", path);
            return sp_err_at(err, SP_EINVAL, SP_WHY_INVALID, field,
                             ": must be a whole number from 1");
        }
        memcpy(out->input.pgy1[i].name, json_string_value(name), json_string_length(name) + 1);
        out->input.pgy1[i].preference = (int)json_integer_value(pref);
        out->input.n_pgy1++;
    }
    return 0;
}

int sp_rank_from_json(struct sp_rank_doc *out, const char *text, size_t len, struct sp_err *err)
{
    static const char *const keys[] = {"schema", "profile", "interviews", "pgy1"};
    json_error_t jerr;
    json_t *root, *v;
    const char *schema;
    int rc = 0;

    memset(out, 0, sizeof(*out));
    root = json_loadb(text, len, JSON_REJECT_DUPLICATES, &jerr);
    if (!root)
        return sp_err_why(err, SP_EINVAL, SP_WHY_BAD_JSON, "", "line %d, column %d: %s", jerr.line,
                          jerr.column, jerr.text);
    if (!json_is_object(root)) {
        rc = sp_err_doc(err, SP_EINVAL, SP_WHY_INVALID, "(root)", ": must be an object");
        goto out;
    }
    rc = unknown_keys(root, "", keys, sizeof(keys) / sizeof(keys[0]), err);
    if (rc)
        goto out;
    schema = json_string_value(json_object_get(root, "schema"));
    if (!schema || strcmp(schema, SP_RANK_SCHEMA) != 0) {
        rc =
            sp_err_at(err, SP_EINVAL, SP_WHY_INVALID, "schema", ": must be \"%s\"", SP_RANK_SCHEMA);
        goto out;
    }
    rc = read_profile(out, json_object_get(root, "profile"), err);
    if (rc)
        goto out;
    v = json_object_get(root, "interviews");
    if (!json_is_array(v) || json_array_size(v) == 0 || json_array_size(v) > SP_RANK_MAX) {
        rc = sp_err_at(err, SP_EINVAL, SP_WHY_INVALID, "interviews",
                       ": must be a list of 1 to %d programs", SP_RANK_MAX);
        goto out;
    }
    for (size_t i = 0; i < json_array_size(v); i++) {
        rc = read_entry(&out->input.entries[i], json_array_get(v, i), i, err);
        if (rc)
            goto out;
        out->input.n_entries++;
    }
    rc = read_pgy1(out, json_object_get(root, "pgy1"), err);
out:
    json_decref(root);
    return rc;
}

static double r4(double v)
{
    return round(v * 10000.0) / 10000.0;
}

void sp_rank_to_json(struct sp_buf *out, const struct sp_rank_result *r,
                     const struct sp_rank_input *in, const struct sp_profile *p)
{
    json_t *root = json_object(), *ranks = json_array(), *warnings = json_array(),
           *pgy1 = json_array();
    char *text;

    for (size_t i = 0; i < r->n_lines; i++) {
        const struct sp_rank_line *l = &r->lines[i];
        json_array_append_new(
            ranks, json_pack("{s:i, s:s, s:s, s:s, s:f, s:f, s:b}", "rank", l->rank,
                             "acgme_id", l->entry->acgme_id, "specialty",
                             sp_specialty_code(l->entry->program->specialty), "institution",
                             l->entry->program->institution, "p_match_here",
                             r4(l->p_match_here), "p_match_cumulative",
                             r4(l->p_match_cumulative), "advanced", l->entry->advanced));
    }
    for (size_t i = 0; i < r->n_warnings; i++)
        json_array_append_new(warnings, json_string(r->warnings[i]));
    for (int pref = 1; pref <= 1000 && json_array_size(pgy1) < in->n_pgy1; pref++) {
        for (size_t i = 0; i < in->n_pgy1; i++) {
            if (in->pgy1[i].preference == pref)
                json_array_append_new(pgy1, json_string(in->pgy1[i].name));
        }
    }
    json_object_set_new(root, "schema", json_string("smartpick.rank-result/1"));
    json_object_set_new(root, "ranks", ranks);
    json_object_set_new(root, "p_unmatched", json_real(r4(r->p_unmatched)));
    json_object_set_new(root, "expected_utility", json_real(r4(r->expected_utility)));
    json_object_set_new(root, "p_advanced", json_real(r4(r->p_advanced)));
    json_object_set_new(root, "supplemental_pgy1", pgy1);
    json_object_set_new(root, "p_pgy1_if_advanced", json_real(r4(r->p_pgy1)));
    json_object_set_new(root, "warnings", warnings);
    sp_render_assumptions_json(root, p);
    text = json_dumps(root, JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(6));
    sp_buf_adds(out, text);
    sp_buf_addc(out, '\n');
    free(text);
    json_decref(root);
}

void sp_render_rank(struct sp_buf *out, enum sp_format fmt, const struct sp_rank_result *r,
                    const struct sp_rank_input *in, const struct sp_profile *p)
{
    if (fmt == SP_FMT_JSON) {
        sp_rank_to_json(out, r, in, p);
        return;
    }
    sp_buf_adds(out, "Recommended rank order list (your true preference order):\n\n");
    sp_buf_addf(out, "%4s  %-10s %-5s %-44s %9s %11s\n", "RANK", "ACGME ID", "SPEC", "PROGRAM",
                "P(HERE)", "CUMULATIVE");
    for (size_t i = 0; i < r->n_lines; i++) {
        const struct sp_rank_line *l = &r->lines[i];
        sp_buf_addf(out, "%4d  %-10s %-5s %-44.44s %8.1f%% %10.1f%%%s\n", l->rank,
                    l->entry->acgme_id, sp_specialty_code(l->entry->program->specialty),
                    l->entry->program->institution, 100 * l->p_match_here,
                    100 * l->p_match_cumulative, l->entry->advanced ? "  (PGY-2)" : "");
    }
    sp_buf_addf(out, "\nP(unmatched) %.1f%%   expected utility %.3f\n", 100 * r->p_unmatched,
                r->expected_utility);
    if (in->n_pgy1)
        sp_buf_addf(out, "Supplemental PGY-1 list: %zu programs; P(a PGY-1 position | an "
                         "advanced match) %.0f%% (estimate)\n",
                    in->n_pgy1, 100 * r->p_pgy1);
    for (size_t i = 0; i < r->n_warnings; i++)
        sp_buf_addf(out, "\nnote: %s\n", r->warnings[i]);
}
