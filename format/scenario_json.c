/*
 * Scenario documents for `smartpick simulate --scenario FILE` (schema
 * smartpick.scenario/1, docs/SIMULATION.md): what-if changes to the baseline
 * market. Strict: every error names the JSON path, the value and the rule.
 */
#include "scenario_json.h"

#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "banned.h"

#define SCALE_MAX 10.0

/* The value as text for messages ("0.5", "\"x\"", "true", "an object"). */
static const char *show(char *buf, size_t cap, const json_t *v)
{
    if (json_is_number(v))
        snprintf(buf, cap, "%g", json_number_value(v));
    else if (json_is_string(v))
        snprintf(buf, cap, "\"%.40s\"", json_string_value(v));
    else if (json_is_true(v))
        snprintf(buf, cap, "true");
    else if (json_is_false(v))
        snprintf(buf, cap, "false");
    else if (json_is_null(v))
        snprintf(buf, cap, "null");
    else if (json_is_array(v))
        snprintf(buf, cap, "an array");
    else
        snprintf(buf, cap, "an object");
    return buf;
}

static int number_in(double *out, const json_t *v, const char *path, double lo, bool lo_open,
                     double hi, struct sp_err *err)
{
    char buf[64];
    double d;

    if (!json_is_number(v))
        return sp_err_set(err, SP_EINVAL, "%s: %s must be a number", path,
                          show(buf, sizeof(buf), v));
    d = json_number_value(v);
    if (!isfinite(d) || (lo_open ? !(d > lo) : !(d >= lo)) || !(d <= hi))
        return sp_err_set(err, SP_EINVAL, "%s: %s must be %s %g and <= %g", path,
                          show(buf, sizeof(buf), v), lo_open ? ">" : ">=", lo, hi);
    *out = d;
    return 0;
}

static int count_in(int *out, const json_t *v, const char *path, int hi, struct sp_err *err)
{
    char buf[64];
    json_int_t n;

    if (!json_is_integer(v))
        return sp_err_set(err, SP_EINVAL, "%s: %s must be a whole number", path,
                          show(buf, sizeof(buf), v));
    n = json_integer_value(v);
    if (n < 0 || n > hi)
        return sp_err_set(err, SP_EINVAL, "%s: %s must be from 0 to %d", path,
                          show(buf, sizeof(buf), v), hi);
    *out = (int)n;
    return 0;
}

static int specialty_key(enum sp_specialty *k, const char *key, const char *path,
                         struct sp_err *err)
{
    /* Codes only (not ACGME numbers), upper case as everywhere in SmartPick's JSON. */
    for (int i = 0; i < SP_SPEC_COUNT; i++) {
        if (strcmp(sp_specialty_code((enum sp_specialty)i), key) == 0) {
            *k = (enum sp_specialty)i;
            return 0;
        }
    }
    return sp_err_set(err, SP_EINVAL, "%s.%s: '%s' is not a specialty code (did you mean %s?)",
                      path, key, key, sp_specialty_suggest(key));
}

static int scales(double *out, const json_t *obj, const char *name, struct sp_err *err)
{
    const char *key;
    json_t *v;
    char path[96];

    if (!json_is_object(obj)) {
        char buf[64];
        return sp_err_set(err, SP_EINVAL, "%s: %s must be an object of specialty: factor", name,
                          show(buf, sizeof(buf), obj));
    }
    json_object_foreach((json_t *)obj, key, v)
    {
        enum sp_specialty k = SP_SPEC_IR;
        int rc = specialty_key(&k, key, name, err);
        if (rc)
            return rc;
        snprintf(path, sizeof(path), "%s.%s", name, key);
        rc = number_in(&out[k], v, path, 0, true, SCALE_MAX, err);
        if (rc)
            return rc;
    }
    return 0;
}

static int signals(struct sp_sim_scenario *out, const json_t *obj, struct sp_err *err)
{
    const char *key;
    json_t *v;
    char path[96], buf[64];

    if (!json_is_object(obj))
        return sp_err_set(err, SP_EINVAL,
                          "signals: %s must be an object of specialty: "
                          "{gold, silver}",
                          show(buf, sizeof(buf), obj));
    json_object_foreach((json_t *)obj, key, v)
    {
        enum sp_specialty k = SP_SPEC_IR;
        const char *field;
        json_t *c;
        int rc = specialty_key(&k, key, "signals", err);
        if (rc)
            return rc;
        if (!json_is_object(v))
            return sp_err_set(err, SP_EINVAL,
                              "signals.%s: %s must be an object with gold "
                              "and/or silver",
                              key, show(buf, sizeof(buf), v));
        json_object_foreach(v, field, c)
        {
            snprintf(path, sizeof(path), "signals.%s.%s", key, field);
            if (strcmp(field, "gold") == 0)
                rc = count_in(&out->signals_gold[k], c, path, 50, err);
            else if (strcmp(field, "silver") == 0)
                rc = count_in(&out->signals_silver[k], c, path, 50, err);
            else
                rc = sp_err_set(err, SP_EINVAL, "%s: unknown key (expected gold or silver)", path);
            if (rc)
                return rc;
        }
    }
    return 0;
}

int sp_scenario_from_json(struct sp_sim_scenario *out, const char *text, size_t len,
                          struct sp_err *err)
{
    json_error_t jerr;
    json_t *root = json_loadb(text, len, JSON_REJECT_DUPLICATES, &jerr);
    const char *key;
    json_t *v;
    char buf[64];
    int rc = 0;

    sp_sim_scenario_init(out);
    if (!root)
        return sp_err_set(err, SP_EINVAL, "%d:%d: %s", jerr.line, jerr.column, jerr.text);
    if (!json_is_object(root)) {
        rc = sp_err_set(err, SP_EINVAL, "(root): %s must be an object",
                        show(buf, sizeof(buf), root));
        goto out;
    }
    json_object_foreach(root, key, v)
    {
        if (strcmp(key, "schema") == 0) {
            if (!json_is_string(v) || strcmp(json_string_value(v), SP_SCENARIO_SCHEMA) != 0)
                rc = sp_err_set(err, SP_EINVAL, "schema: %s must be \"%s\"",
                                show(buf, sizeof(buf), v), SP_SCENARIO_SCHEMA);
        } else if (strcmp(key, "description") == 0) {
            if (!json_is_string(v))
                rc = sp_err_set(err, SP_EINVAL, "description: %s must be a string",
                                show(buf, sizeof(buf), v));
        } else if (strcmp(key, "positions") == 0) {
            rc = scales(out->positions_scale, v, "positions", err);
        } else if (strcmp(key, "applicants") == 0) {
            rc = scales(out->applicants_scale, v, "applicants", err);
        } else if (strcmp(key, "signals") == 0) {
            rc = signals(out, v, err);
        } else if (strcmp(key, "applications_factor") == 0) {
            rc = number_in(&out->applications_factor, v, "applications_factor", 0, true, 5, err);
        } else if (strcmp(key, "couples_share") == 0) {
            rc = number_in(&out->couples_share, v, "couples_share", 0, false, 0.5, err);
        } else {
            rc = sp_err_set(err, SP_EINVAL,
                            "%s: unknown key (expected schema, description, positions, "
                            "applicants, signals, applications_factor, couples_share)",
                            key);
        }
        if (rc)
            break;
    }
out:
    json_decref(root);
    if (rc)
        sp_sim_scenario_init(out);
    return rc;
}
