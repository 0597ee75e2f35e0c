/*
 * Reader for the SmartPick match JSON (schema smartpick.match/1, docs/MATCH.md "JSON
 * input"): programs, applicants and couples with string IDs. Declarations first (all
 * three arrays), then the lists, so a list may name anything in the document. Errors
 * carry the JSON path of the offending value; unknown keys are errors, with the nearest
 * known key suggested.
 */
#include "render_match.h"

#include "sp_alloc.h"
#include "sp_str.h"

#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "banned.h"

#define SCHEMA "smartpick.match/1"

/* "PATH: msg" into err, with why and the field (the document itself for the root,
 * "$"); returns SP_EINVAL. */
static int path_msg(struct sp_err *err, enum sp_why why, const char *path, const char *msg)
{
    if (strcmp(path, "$") == 0)
        return sp_err_doc(err, SP_EINVAL, why, path, ": %s", msg);
    return sp_err_at(err, SP_EINVAL, why, path, ": %s", msg);
}

static int path_fail(struct sp_err *err, const char *path, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int path_fail(struct sp_err *err, const char *path, const char *fmt, ...)
{
    char msg[SP_ERR_MSG_MAX];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    return path_msg(err, SP_WHY_INVALID, path, msg);
}

/* Prefix a builder's error with the path. */
static int path_wrap(struct sp_err *err, const char *path, int code)
{
    if (err) {
        char msg[SP_ERR_MSG_MAX];
        snprintf(msg, sizeof(msg), "%s", err->msg);
        sp_err_at(err, code, SP_WHY_INVALID, path, ": %s", msg);
    }
    return code;
}

static int check_keys(const json_t *obj, const char *path, const char *const *known,
                      struct sp_err *err)
{
    const char *key;
    json_t *value;

    json_object_foreach((json_t *)obj, key, value)
    {
        bool ok = false;
        const char *best = NULL;
        size_t best_d = 3;
        (void)value;
        for (const char *const *k = known; *k; k++) {
            if (strcmp(key, *k) == 0)
                ok = true;
            size_t d = sp_str_distance(key, *k, 3);
            if (d < best_d) {
                best_d = d;
                best = *k;
            }
        }
        if (!ok) {
            char msg[SP_ERR_MSG_MAX];
            if (best)
                snprintf(msg, sizeof(msg), "unknown key '%s' (did you mean '%s'?)", key, best);
            else
                snprintf(msg, sizeof(msg), "unknown key '%s'", key);
            return path_msg(err, SP_WHY_UNKNOWN_FIELD, path, msg);
        }
    }
    return 0;
}

static const json_t *get_array(const json_t *obj, const char *key, const char *path, bool required,
                               struct sp_err *err, int *rc)
{
    const json_t *v = json_object_get(obj, key);

    *rc = 0;
    if (!v) {
        if (required)
            *rc = path_fail(err, path, "'%s' is missing", key);
        return NULL;
    }
    if (!json_is_array(v)) {
        *rc = path_fail(err, path, "'%s' must be an array", key);
        return NULL;
    }
    return v;
}

static int get_id(const char **out, const json_t *obj, const char *path, struct sp_err *err)
{
    const json_t *v = json_object_get(obj, "id");

    if (!v)
        return path_fail(err, path, "'id' is missing");
    if (!json_is_string(v))
        return path_fail(err, path, "'id' must be a string (IDs are strings, e.g. \"1405021001\")");
    *out = json_string_value(v);
    return 0;
}

/* Entry i of the array what: path set to "what[i]", the entry an object with only
 * known keys and a string "id" (into *id). */
static int open_entry(const char **id, char *path, size_t cap, const char *what, size_t i,
                      const json_t *o, const char *const *known, struct sp_err *err)
{
    int rc;

    snprintf(path, cap, "%s[%zu]", what, i);
    if (!json_is_object(o))
        return path_fail(err, path, "must be an object");
    rc = check_keys(o, path, known, err);
    return rc ? rc : get_id(id, o, path, err);
}

struct ctx {
    sp_match_instance *in;
    int32_t *buf;
    size_t cap_buf;
    uint8_t *is_member_decl; /* per applicant: declared by a couple */
    size_t cap_member;
};

static int declare_all(struct ctx *cx, const json_t *programs, const json_t *applicants,
                       const json_t *couples, struct sp_err *err)
{
    static const char *const prog_keys[] = {"id", "capacity", "track", "ranks", NULL};
    static const char *const app_keys[] = {"id", "ranks", "supplemental", NULL};
    static const char *const cpl_keys[] = {"id", "members", "ranks", NULL};
    char path[96];
    size_t i;
    json_t *o;
    int rc;

    json_array_foreach(programs, i, o)
    {
        const char *id = NULL;
        enum sp_track track = SP_TRACK_CATEGORICAL;
        if ((rc = open_entry(&id, path, sizeof(path), "programs", i, o, prog_keys, err)))
            return rc;
        const json_t *cap = json_object_get(o, "capacity");
        if (!cap)
            return path_fail(err, path, "'capacity' is missing");
        if (!json_is_integer(cap))
            return path_fail(err, path, "capacity must be a whole number");
        json_int_t c = json_integer_value(cap);
        if (c < -1000000000 || c > 1000000000)
            c = c < 0 ? -1000000000 : 1000000000;
        const json_t *tr = json_object_get(o, "track");
        if (tr && (!json_is_string(tr) || sp_track_parse(&track, json_string_value(tr))))
            return path_fail(err, path,
                             "track must be \"categorical\", \"advanced\" or \"preliminary\"");
        rc = sp_match_add_program(cx->in, id, (long)c, track, 0, err);
        if (rc < 0)
            return path_wrap(err, path, rc);
    }
    json_array_foreach(applicants, i, o)
    {
        const char *id = NULL;
        if ((rc = open_entry(&id, path, sizeof(path), "applicants", i, o, app_keys, err)))
            return rc;
        rc = sp_match_add_applicant(cx->in, id, 0, err);
        if (rc < 0)
            return path_wrap(err, path, rc);
    }
    json_array_foreach(couples, i, o)
    {
        const char *id = NULL;
        if ((rc = open_entry(&id, path, sizeof(path), "couples", i, o, cpl_keys, err)))
            return rc;
        const json_t *m = json_object_get(o, "members");
        if (!json_is_array(m) || json_array_size(m) != 2 || !json_is_string(json_array_get(m, 0)) ||
            !json_is_string(json_array_get(m, 1)))
            return path_fail(err, path, "'members' must be an array of two applicant IDs");
        for (size_t k = 0; k < 2; k++) {
            const char *mid = json_string_value(json_array_get(m, k));
            int a = sp_match_find_applicant(cx->in, mid);
            if (a >= 0) {
                snprintf(path, sizeof(path), "couples[%zu].members[%zu]", i, k);
                if ((size_t)a < cx->cap_member && cx->is_member_decl[a])
                    return path_fail(err, path, "applicant '%s' is in two couples", mid);
                return path_fail(err, path,
                                 "applicant '%s' is a couple member and also has its own "
                                 "entry in applicants; couple members rank only through the "
                                 "couple",
                                 mid);
            }
            rc = sp_match_add_applicant(cx->in, mid, 0, err);
            if (rc < 0)
                return path_wrap(err, path, rc);
            size_t old = cx->cap_member;
            SP_GROW(cx->is_member_decl, cx->cap_member, (size_t)rc + 1);
            memset(cx->is_member_decl + old, 0, cx->cap_member - old);
            cx->is_member_decl[rc] = 1;
        }
    }
    return 0;
}

/* Resolve an array of IDs into cx->buf. programs: look up programs, else applicants. */
static int resolve(struct ctx *cx, const json_t *arr, const char *path, bool programs,
                   const char *owner_what, const char *owner, size_t *n_out, struct sp_err *err)
{
    size_t i, n = json_array_size(arr);
    json_t *v;
    char p[128];

    SP_GROW(cx->buf, cx->cap_buf, n + 1);
    json_array_foreach(arr, i, v)
    {
        snprintf(p, sizeof(p), "%s[%zu]", path, i);
        if (!json_is_string(v))
            return path_fail(err, p, "must be a %s ID (a string)",
                             programs ? "program" : "applicant");
        const char *id = json_string_value(v);
        int idx =
            programs ? sp_match_find_program(cx->in, id) : sp_match_find_applicant(cx->in, id);
        if (idx < 0)
            return path_fail(err, p, "%s '%s' ranks %s '%s', which is not declared", owner_what,
                             owner, programs ? "program" : "applicant", id);
        cx->buf[i] = idx;
    }
    *n_out = n;
    return 0;
}

static int lists_all(struct ctx *cx, const json_t *programs, const json_t *applicants,
                     const json_t *couples, struct sp_err *err)
{
    char path[96];
    size_t i, n = 0;
    json_t *o;
    int rc;

    json_array_foreach(programs, i, o)
    {
        const char *id = json_string_value(json_object_get(o, "id"));
        snprintf(path, sizeof(path), "programs[%zu]", i);
        const json_t *ranks = get_array(o, "ranks", path, false, err, &rc);
        if (rc)
            return rc;
        if (!ranks)
            continue;
        snprintf(path, sizeof(path), "programs[%zu].ranks", i);
        if ((rc = resolve(cx, ranks, path, false, "program", id, &n, err)))
            return rc;
        if ((rc = sp_match_set_program_rol(cx->in, sp_match_find_program(cx->in, id), cx->buf, n, 0,
                                           err)))
            return path_wrap(err, path, rc);
    }
    json_array_foreach(applicants, i, o)
    {
        const char *id = json_string_value(json_object_get(o, "id"));
        int a = sp_match_find_applicant(cx->in, id);
        static const char *const keys[] = {"ranks", "supplemental"};
        for (int k = 0; k < 2; k++) {
            snprintf(path, sizeof(path), "applicants[%zu]", i);
            const json_t *ranks = get_array(o, keys[k], path, false, err, &rc);
            if (rc)
                return rc;
            if (!ranks)
                continue;
            snprintf(path, sizeof(path), "applicants[%zu].%s", i, keys[k]);
            if ((rc = resolve(cx, ranks, path, true, "applicant", id, &n, err)))
                return rc;
            rc = k == 0 ? sp_match_set_rol(cx->in, a, cx->buf, n, 0, err)
                        : sp_match_set_supplemental(cx->in, a, cx->buf, n, 0, err);
            if (rc)
                return path_wrap(err, path, rc);
        }
    }
    json_array_foreach(couples, i, o)
    {
        const char *id = json_string_value(json_object_get(o, "id"));
        const json_t *m = json_object_get(o, "members");
        snprintf(path, sizeof(path), "couples[%zu]", i);
        const json_t *ranks = get_array(o, "ranks", path, false, err, &rc);
        if (rc)
            return rc;
        size_t np = ranks ? json_array_size(ranks) : 0;
        SP_GROW(cx->buf, cx->cap_buf, 2 * np + 1);
        for (size_t k = 0; k < np; k++) {
            const json_t *pair = json_array_get(ranks, k);
            snprintf(path, sizeof(path), "couples[%zu].ranks[%zu]", i, k);
            if (!json_is_array(pair) || json_array_size(pair) != 2)
                return path_fail(err, path,
                                 "must be a pair [program ID or null, program ID or null]");
            for (size_t s = 0; s < 2; s++) {
                const json_t *v = json_array_get(pair, s);
                if (json_is_null(v)) {
                    cx->buf[2 * k + s] = -1;
                    continue;
                }
                if (!json_is_string(v))
                    return path_fail(err, path,
                                     "element %zu must be a program ID (a string) or null "
                                     "(unmatched)",
                                     s);
                int q = sp_match_find_program(cx->in, json_string_value(v));
                if (q < 0)
                    return path_fail(err, path,
                                     "couple '%s' ranks program '%s', which is not "
                                     "declared",
                                     id, json_string_value(v));
                cx->buf[2 * k + s] = q;
            }
        }
        snprintf(path, sizeof(path), "couples[%zu]", i);
        rc = sp_match_add_couple(
            cx->in, id, sp_match_find_applicant(cx->in, json_string_value(json_array_get(m, 0))),
            sp_match_find_applicant(cx->in, json_string_value(json_array_get(m, 1))), cx->buf, np,
            0, err);
        if (rc < 0)
            return path_wrap(err, path, rc);
    }
    return 0;
}

int sp_match_from_json(sp_match_instance **out, const char *data, size_t len, struct sp_err *err)
{
    static const char *const root_keys[] = {"schema", "programs", "applicants", "couples", NULL};
    struct ctx cx = {0};
    json_error_t jerr;
    json_t *root;
    int rc;

    *out = NULL;
    root = json_loadb(data, len, JSON_REJECT_DUPLICATES, &jerr);
    if (!root)
        return sp_err_why(err, SP_EINVAL, SP_WHY_BAD_JSON, "", "line %d, column %d: %s", jerr.line,
                          jerr.column, jerr.text);
    if (!json_is_object(root)) {
        rc = path_fail(err, "$",
                       "the document must be an object with programs, applicants and couples");
        goto out;
    }
    if ((rc = check_keys(root, "$", root_keys, err)))
        goto out;
    const json_t *schema = json_object_get(root, "schema");
    if (schema && (!json_is_string(schema) || strcmp(json_string_value(schema), SCHEMA) != 0)) {
        rc = path_fail(err, "schema", "must be \"%s\"", SCHEMA);
        goto out;
    }
    const json_t *programs = get_array(root, "programs", "$", true, err, &rc);
    if (rc)
        goto out;
    const json_t *applicants = get_array(root, "applicants", "$", false, err, &rc);
    if (rc)
        goto out;
    const json_t *couples = get_array(root, "couples", "$", false, err, &rc);
    if (rc)
        goto out;
    json_t *empty = json_array();
    if (!applicants)
        applicants = empty;
    if (!couples)
        couples = empty;
    cx.in = sp_match_instance_new();
    rc = declare_all(&cx, programs, applicants, couples, err);
    if (!rc)
        rc = lists_all(&cx, programs, applicants, couples, err);
    if (!rc)
        rc = sp_match_freeze(cx.in, err);
    json_decref(empty);
    if (!rc) {
        *out = cx.in;
        cx.in = NULL;
    }
out:
    sp_match_instance_free(cx.in);
    free(cx.buf);
    free(cx.is_member_decl);
    json_decref(root);
    return rc;
}
