/*
 * Request bodies: the JSON object itself (syntax errors with line and column),
 * its keys (an unknown key is an error with a suggestion, as in a profile), the
 * profile in it (read by the CLI's validator, so the messages are the CLI's),
 * the plan options (service/plan_options.c's table: its keys, kinds and rules) and a
 * saved item's name.
 *
 * Pure: no HTTP, no database; each function fills a struct sp_api_err on
 * failure, so fuzz/fuzz_plan_options.c can drive it directly.
 */
#include "api.h"

#include "profile_json.h"
#include "sp_str.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "banned.h"

#define SHOW_MAX 48

int sp_body_parse(json_t **out, const char *text, size_t len, struct sp_api_err *e)
{
    json_error_t jerr;
    json_t *root;

    *out = NULL;
    /* A UTF-8 byte-order mark is not JSON, but editors write it; the CLI allows it too. */
    if (len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0) {
        text += 3;
        len -= 3;
    }
    root = json_loadb(text, len, JSON_REJECT_DUPLICATES, &jerr);
    if (!root) {
        sp_api_err_set(e, 400, SP_WHY_BAD_JSON, NULL, "line %d, column %d: %s", jerr.line,
                       jerr.column, jerr.text);
        return SP_EINVAL;
    }
    if (!json_is_object(root)) {
        char shown[SHOW_MAX];
        sp_api_err_set(e, 400, SP_WHY_INVALID, NULL, "body: %s must be a JSON object",
                       sp_body_show(shown, sizeof(shown), root));
        json_decref(root);
        return SP_EINVAL;
    }
    *out = root;
    return 0;
}

/* The allowed key nearest to key (a typo or two), or NULL. */
static const char *nearest(const char *key, const char *const *allowed)
{
    const char *best = NULL;
    size_t best_d = 3;

    for (size_t i = 0; allowed[i]; i++) {
        size_t d = sp_str_distance(key, allowed[i], 8);
        if (d < best_d) {
            best_d = d;
            best = allowed[i];
        }
    }
    return best;
}

int sp_body_check_keys(const json_t *obj, const char *const *allowed, const char *prefix,
                       struct sp_api_err *e)
{
    const char *key;
    json_t *v;

    json_object_foreach((json_t *)obj, key, v)
    {
        char path[128], hint[160];
        bool ok = false;
        for (size_t i = 0; allowed[i] && !ok; i++)
            ok = strcmp(key, allowed[i]) == 0;
        if (ok)
            continue;
        snprintf(path, sizeof(path), "%s%s%.60s", prefix, prefix[0] ? "." : "", key);
        if (nearest(key, allowed)) {
            snprintf(hint, sizeof(hint), " (did you mean '%s'?)", nearest(key, allowed));
        } else {
            size_t len;
            snprintf(hint, sizeof(hint), " (expected one of: ");
            for (size_t i = 0; allowed[i]; i++) {
                len = strlen(hint);
                snprintf(hint + len, sizeof(hint) - len, "%s%s", i ? ", " : "", allowed[i]);
            }
            len = strlen(hint);
            snprintf(hint + len, sizeof(hint) - len, ")");
        }
        sp_api_err_set(e, 400, SP_WHY_UNKNOWN_FIELD, path, "%s: unknown key%s", path, hint);
        return SP_EINVAL;
    }
    return 0;
}

static int dump_cb(const char *data, size_t size, void *payload)
{
    return sp_buf_add(payload, data, size) ? -1 : 0;
}

int sp_body_profile(struct sp_profile *p, const json_t *body, struct sp_api_err *e)
{
    const json_t *v = json_object_get(body, "profile");
    struct sp_buf text = {NULL, 0, 0, SP_PROFILE_JSON_MAX};
    struct sp_err err = SP_ERR_INIT;
    int rc;

    if (!v) {
        sp_api_err_set(e, 400, SP_WHY_INVALID, "profile",
                       "profile: missing, must be a smartpick.profile/1 object");
        return SP_EINVAL;
    }
    if (!json_is_object(v)) {
        char shown[SHOW_MAX];
        sp_api_err_set(e, 400, SP_WHY_INVALID, "profile",
                       "profile: %s must be a smartpick.profile/1 object",
                       sp_body_show(shown, sizeof(shown), v));
        return SP_EINVAL;
    }
    /* The CLI's reader takes text: give it the object back as text. Keys keep
     * their order, so the first error reported is still the first in the body. */
    if (json_dump_callback(v, dump_cb, &text, JSON_COMPACT | JSON_REAL_PRECISION(17))) {
        sp_buf_release(&text);
        sp_api_err_set(e, 413, SP_WHY_TOO_LARGE, "profile", "profile: must be at most %d bytes",
                       SP_PROFILE_JSON_MAX);
        return SP_ERANGE;
    }
    rc = sp_app_profile_from_text(p, sp_buf_cstr(&text), text.len, &err);
    sp_buf_release(&text);
    if (rc)
        sp_api_err_from(e, &err, "profile");
    return rc;
}

/* A number as written: integers plainly, reals with the fewest digits that read
 * back the same. */
static void show_number(char *buf, size_t cap, const json_t *v)
{
    if (json_is_integer(v)) {
        snprintf(buf, cap, "%lld", (long long)json_integer_value(v));
        return;
    }
    double d = json_real_value(v);
    for (int prec = 15; prec <= 17; prec++) {
        snprintf(buf, cap, "%.*g", prec, d);
        if (strtod(buf, NULL) == d)
            return;
    }
}

const char *sp_body_show(char *buf, size_t cap, const json_t *v)
{
    char *dumped;
    size_t n;

    if (json_is_string(v)) {
        snprintf(buf, cap, "%s", json_string_value(v));
    } else if (json_is_number(v)) {
        show_number(buf, cap, v);
    } else {
        dumped = json_dumps(v, JSON_ENCODE_ANY | JSON_COMPACT);
        snprintf(buf, cap, "%s", dumped ? dumped : "?");
        free(dumped);
    }
    n = strlen(buf);
    if (n + 1 == cap && cap > 4) {
        /* cut: end on a whole UTF-8 character, then "..." */
        size_t end = cap - 4;
        while (end > 0 && ((unsigned char)buf[end] & 0xC0) == 0x80)
            end--;
        memcpy(buf + end, "...", 4);
    }
    return buf;
}

/* One option's value by its kind; name is "options.<key>". */
static int read_option(struct sp_plan_options *o, enum sp_plan_opt which, const json_t *v,
                       const char *name, struct sp_err *err)
{
    char shown[SHOW_MAX], label[96];
    const char *key;
    json_t *item;
    size_t i;

    sp_body_show(shown, sizeof(shown), v);
    switch (sp_plan_opt_info(which)->kind) {
    case SP_POPT_KIND_NUMBER:
    case SP_POPT_KIND_COUNT:
        /* Not a number (a string, true, null...) breaks the same rule. */
        return sp_plan_opt_set_number(o, which, json_is_number(v) ? json_number_value(v) : NAN,
                                      shown, name, err);
    case SP_POPT_KIND_WORD:
        return sp_plan_opt_set_text(o, which, json_is_string(v) ? json_string_value(v) : shown,
                                    name, err);
    case SP_POPT_KIND_ID:
        if (!json_is_array(v))
            return sp_err_at(err, SP_EINVAL, SP_WHY_INVALID, name,
                             ": '%s' must be a list of 10-digit ACGME IDs", shown);
        json_array_foreach(v, i, item)
        {
            snprintf(label, sizeof(label), "%s[%zu]", name, i);
            if (!json_is_string(item)) {
                sp_body_show(shown, sizeof(shown), item);
                return sp_err_at(err, SP_EINVAL, SP_WHY_INVALID, label,
                                 ": '%s' must be a 10-digit ACGME ID", shown);
            }
            if (sp_plan_opt_set_text(o, which, json_string_value(item), label, err))
                return SP_EINVAL;
        }
        return 0;
    case SP_POPT_KIND_SPEC_COUNT:
        if (!json_is_object(v))
            return sp_err_at(err, SP_EINVAL, SP_WHY_INVALID, name,
                             ": '%s' must be an object of counts by specialty, e.g. {\"DR\": 20}",
                             shown);
        json_object_foreach((json_t *)v, key, item)
        {
            sp_body_show(shown, sizeof(shown), item);
            snprintf(label, sizeof(label), "%s.%.16s", name, key);
            if (sp_plan_opt_set_spec_count(o, which, key,
                                           json_is_number(item) ? json_number_value(item) : NAN,
                                           shown, label, err))
                return SP_EINVAL;
        }
        return 0;
    }
    return SP_EINVAL;
}

int sp_body_plan_options(struct sp_plan_options *o, const json_t *options, struct sp_api_err *e)
{
    const char *keys[SP_POPT_COUNT + 1];
    struct sp_err err = SP_ERR_INIT;
    const char *key;
    json_t *v;

    if (!options || json_is_null(options))
        return 0;
    if (!json_is_object(options)) {
        char shown[SHOW_MAX];
        sp_api_err_set(e, 400, SP_WHY_INVALID, "options", "options: '%s' must be an object",
                       sp_body_show(shown, sizeof(shown), options));
        return SP_EINVAL;
    }
    for (int i = 0; i < SP_POPT_COUNT; i++)
        keys[i] = sp_plan_opt_info((enum sp_plan_opt)i)->json;
    keys[SP_POPT_COUNT] = NULL;
    if (sp_body_check_keys(options, keys, "options", e))
        return SP_EINVAL;
    json_object_foreach((json_t *)options, key, v)
    {
        enum sp_plan_opt which;
        char name[64];
        if (sp_plan_opt_from_json_name(&which, key))
            continue; /* checked above */
        snprintf(name, sizeof(name), "options.%s", key);
        if (read_option(o, which, v, name, &err)) {
            sp_api_err_from(e, &err, NULL);
            return SP_EINVAL;
        }
    }
    if (sp_plan_options_check(o, "options.budget_usd", "options.max_applications", &err)) {
        sp_api_err_from(e, &err, NULL);
        return SP_EINVAL;
    }
    return 0;
}

int sp_body_name(char *out, size_t cap, const json_t *body, struct sp_api_err *e)
{
    const json_t *v = json_object_get(body, "name");
    char shown[SHOW_MAX];
    const char *s;
    size_t len;

    if (!v) {
        sp_api_err_set(e, 400, SP_WHY_INVALID, "name",
                       "name: missing, must be a string of 1 to %d bytes", SP_SAVED_NAME_MAX);
        return SP_EINVAL;
    }
    s = json_string_value(v);
    len = s ? json_string_length(v) : 0;
    if (!s || len < 1 || len > SP_SAVED_NAME_MAX || len >= cap || strlen(s) != len) {
        sp_api_err_set(e, 400, SP_WHY_INVALID, "name",
                       "name: '%s' must be a string of 1 to %d bytes",
                       sp_body_show(shown, sizeof(shown), v), SP_SAVED_NAME_MAX);
        return SP_EINVAL;
    }
    for (size_t i = 0; i < len; i++) {
        if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f) {
            sp_api_err_set(e, 400, SP_WHY_INVALID, "name",
                           "name: '%s' must not hold control characters",
                           sp_body_show(shown, sizeof(shown), v));
            return SP_EINVAL;
        }
    }
    memcpy(out, s, len + 1);
    return 0;
}
