/*
 * The server's parsers (server/http.c, server/body.c, server/response.c), table
 * driven: request-targets and their decoding, plan options from JSON with the
 * CLI's messages, and library errors turned into API errors.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "api.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void targets_decode_once_and_refuse_bad_escapes(void **state)
{
    static const struct {
        const char *raw;
        const char *path; /* NULL: not a path */
        bool query_ok;
        size_t n_params;
    } cases[] = {
        {"/", "/", true, 0},
        {"/api/v1/plan", "/api/v1/plan", true, 0},
        {"/../../etc/passwd", "/../../etc/passwd", true, 0},
        {"/%2e%2e/%2e%2e/etc/passwd", "/../../etc/passwd", true, 0},
        {"/..%2f..%2fetc/passwd", "/../../etc/passwd", true, 0},
        {"/%252e%252e/etc", "/%2e%2e/etc", true, 0}, /* decoded once only */
        {"/a+b", "/a+b", true, 0},                   /* '+' is a space in queries only */
        {"/index.html%00.js", NULL, true, 0},
        {"/%zz", NULL, true, 0},
        {"/%4", NULL, true, 0},
        {"/%", NULL, true, 0},
        {"", NULL, true, 0},
        {"index.html", NULL, true, 0},
        {"http://evil/", NULL, true, 0},
        {"/p?specialty=IR&specialty=DR", "/p", true, 2},
        {"/p?near=Dallas,%20TX&x", "/p", true, 2},
        {"/p?&&a=1&", "/p", true, 1},
        {"/p?a=%zz", "/p", false, 0},
        {"/p?a=%00", "/p", false, 0},
    };

    (void)state;
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct sp_target t;
        sp_target_parse(&t, cases[i].raw);
        if (cases[i].path)
            assert_string_equal(t.path, cases[i].path);
        else
            assert_null(t.path);
        assert_int_equal(t.query_ok, cases[i].query_ok);
        if (cases[i].query_ok)
            assert_int_equal(t.n_params, cases[i].n_params);
        sp_target_release(&t);
    }
}

static void query_values_are_decoded(void **state)
{
    struct sp_target t;
    char raw[1200];
    size_t n;

    (void)state;
    sp_target_parse(&t, "/p?near=Dallas,+TX&zip=75390&k%3Dy=a%26b&flag");
    assert_int_equal(t.n_params, 4);
    assert_string_equal(t.params[0].key, "near");
    assert_string_equal(t.params[0].value, "Dallas, TX");
    assert_string_equal(t.params[2].key, "k=y");
    assert_string_equal(t.params[2].value, "a&b");
    assert_string_equal(t.params[3].key, "flag");
    assert_string_equal(t.params[3].value, "");
    sp_target_release(&t);
    /* More than SP_API_MAX_PARAMS parts: refused, not cut short. */
    n = (size_t)snprintf(raw, sizeof(raw), "/p?");
    for (int i = 0; i <= SP_API_MAX_PARAMS; i++)
        n += (size_t)snprintf(raw + n, sizeof(raw) - n, "a=%d&", i);
    sp_target_parse(&t, raw);
    assert_false(t.query_ok);
    sp_target_release(&t);
}

static void options_follow_the_cli_rules(void **state)
{
    static const struct {
        const char *json;
        const char *code; /* NULL: accepted */
        const char *field;
        const char *message;
    } cases[] = {
        {"{}", NULL, NULL, NULL},
        {"null", NULL, NULL, NULL},
        {"{\"budget_usd\": 2500, \"objective\": \"match\", \"min\": {\"DR\": 10}}", NULL, NULL,
         NULL},
        {"{\"budget_usd\": -5}", "invalid", "options.budget_usd",
         "options.budget_usd: '-5' must be a number of dollars in (0, 100000]"},
        {"{\"budget_usd\": 1e400}", "bad_json", NULL, NULL},
        {"{\"budget_usd\": true}", "invalid", "options.budget_usd",
         "options.budget_usd: 'true' must be a number of dollars in (0, 100000]"},
        {"{\"max_applications\": 20.0}", NULL, NULL, NULL},
        {"{\"max_applications\": 20.5}", "invalid", "options.max_applications",
         "options.max_applications: '20.5' must be a count from 1 to 2000"},
        {"{\"target\": 0.9}", NULL, NULL, NULL},
        {"{\"target\": 0}", "invalid", "options.target",
         "options.target: '0' must be a probability in (0, 1)"},
        {"{\"objective\": 3}", "invalid", "options.objective",
         "options.objective: '3' must be utility, match or min-cost"},
        {"{\"include\": \"4164800001\"}", "invalid", "options.include",
         "options.include: '4164800001' must be a list of 10-digit ACGME IDs"},
        {"{\"include\": [\"4164800001\", 5]}", "invalid", "options.include[1]",
         "options.include[1]: '5' must be a 10-digit ACGME ID"},
        {"{\"exclude\": [\"41648000\"]}", "invalid", "options.exclude[0]",
         "options.exclude[0]: '41648000' must be a 10-digit ACGME ID"},
        {"{\"min\": {\"dr\": 3}}", NULL, NULL, NULL},
        {"{\"min\": {\"ZZ\": 3}}", "invalid", "options.min.ZZ", NULL},
        {"{\"max\": {\"IM\": \"5\"}}", "invalid", "options.max.IM",
         "options.max.IM: '5' must be a count from 0 to 1000"},
        {"{\"min\": [1]}", "invalid", "options.min", NULL},
        {"{\"per_city\": 3, \"pgy1\": 0, \"min_gain\": 0.001}", NULL, NULL, NULL},
        {"{\"min_gain\": 1.5}", "invalid", "options.min_gain",
         "options.min_gain: '1.5' must be in [0, 1]"},
        {"{\"budget_usd\": 10, \"max_applications\": 3}", "invalid", "options.budget_usd",
         "options.budget_usd, options.max_applications: give one budget"},
        {"{\"objectiv\": \"match\"}", "unknown_field", "options.objectiv",
         "options.objectiv: unknown key (did you mean 'objective'?)"},
        {"[]", "invalid", "options", "options: '[]' must be an object"},
    };

    (void)state;
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct sp_plan_options o;
        struct sp_api_err e;
        json_error_t jerr;
        json_t *v = json_loads(cases[i].json, JSON_DECODE_ANY, &jerr);
        int rc;

        memset(&e, 0, sizeof(e));
        sp_plan_options_init(&o);
        if (!v) {
            assert_string_equal(cases[i].code, "bad_json"); /* jansson refuses it first */
            continue;
        }
        rc = sp_body_plan_options(&o, v, &e);
        json_decref(v);
        if (!cases[i].code) {
            if (rc)
                fail_msg("%s: %s", cases[i].json, e.message);
            continue;
        }
        assert_int_not_equal(rc, 0);
        assert_int_equal(e.status, 400);
        assert_string_equal(e.code, cases[i].code);
        assert_string_equal(e.field, cases[i].field);
        if (cases[i].message)
            assert_string_equal(e.message, cases[i].message);
    }
}

static void library_errors_become_api_errors(void **state)
{
    static const struct {
        int code;
        const char *msg;
        const char *prefix;
        unsigned status;
        const char *api_code;
        const char *field;
        const char *message;
    } cases[] = {
        {SP_EINVAL, "research.publications: -2 must be >= 0", "profile", 400, "invalid",
         "profile.research.publications", "profile.research.publications: -2 must be >= 0"},
        {SP_EINVAL, "reserch: unknown key (did you mean 'research'?)", "profile", 400,
         "unknown_field", "profile.reserch", NULL},
        {SP_EINVAL, "profile: 5 must be an object", "profile", 400, "invalid", "profile",
         "profile: 5 must be an object"},
        {SP_EINVAL, "$.programs[0].id: must be a string", "instance", 400, "invalid",
         "instance.programs[0].id", "instance.programs[0].id: must be a string"},
        {SP_EINVAL, "interviews[2].acgme_id: '1' is not in the catalog", NULL, 400, "invalid",
         "interviews[2].acgme_id", NULL},
        {SP_EINVAL, "a, b: give one budget", NULL, 400, "invalid", "a", NULL},
        {SP_EINVAL, "no path in this message", NULL, 400, "invalid", "", NULL},
        {SP_EDB, "sp.db: database is locked", NULL, 500, "internal", "", NULL},
    };

    (void)state;
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct sp_err err = SP_ERR_INIT;
        struct sp_api_err e;
        sp_err_set(&err, cases[i].code, "%s", cases[i].msg);
        sp_api_err_from(&e, &err, cases[i].prefix);
        assert_int_equal(e.status, cases[i].status);
        assert_string_equal(e.code, cases[i].api_code);
        assert_string_equal(e.field, cases[i].field);
        if (cases[i].message)
            assert_string_equal(e.message, cases[i].message);
    }
}

static void error_documents_are_json(void **state)
{
    struct sp_api_err e;
    struct sp_buf out = SP_BUF_INIT;
    json_error_t jerr;
    json_t *doc;

    (void)state;
    sp_api_err_set(&e, 400, "invalid", NULL, "name: '\"quoted\" \\ \t' must be ok");
    sp_api_error_json(&out, &e);
    doc = json_loads(out.data, 0, &jerr);
    assert_non_null(doc);
    assert_true(json_is_null(json_object_get(json_object_get(doc, "error"), "field")));
    assert_string_equal(
        json_string_value(json_object_get(json_object_get(doc, "error"), "message")),
        "name: '\"quoted\" \\ \t' must be ok");
    json_decref(doc);
    sp_buf_release(&out);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(targets_decode_once_and_refuse_bad_escapes),
        cmocka_unit_test(query_values_are_decoded),
        cmocka_unit_test(options_follow_the_cli_rules),
        cmocka_unit_test(library_errors_become_api_errors),
        cmocka_unit_test(error_documents_are_json),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
