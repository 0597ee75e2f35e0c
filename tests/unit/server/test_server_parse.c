/*
 * The server's parsers (server/http.c, server/body.c, server/response.c), table
 * driven: request-targets and their decoding, plan options from JSON with the
 * CLI's messages, and library errors turned into API errors by their reason and
 * field.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "api.h"
#include "router.h"

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
        assert_string_equal(sp_why_name(e.why), cases[i].code);
        assert_string_equal(e.field, cases[i].field);
        if (cases[i].message)
            assert_string_equal(e.message, cases[i].message);
    }
}

static void library_errors_become_api_errors(void **state)
{
    /* An error is made by sp_err_at (field, then rule), by sp_err_doc (doc names the
     * document as a whole) or by sp_err_set (no field); the API reads its reason and
     * field, never the text. */
    static const struct {
        int code;
        enum sp_why why;
        const char *field; /* sp_err_at; NULL: see doc */
        const char *doc;   /* sp_err_doc; NULL with field NULL: sp_err_set */
        const char *rule;
        const char *prefix;
        unsigned status;
        const char *api_code;
        const char *api_field;
        const char *message;
    } cases[] = {
        {SP_EINVAL, SP_WHY_INVALID, "research.publications", NULL, ": -2 must be >= 0", "profile",
         400, "invalid", "profile.research.publications",
         "profile.research.publications: -2 must be >= 0"},
        {SP_EINVAL, SP_WHY_UNKNOWN_FIELD, "reserch", NULL,
         ": unknown key (did you mean 'research'?)", "profile", 400, "unknown_field",
         "profile.reserch", "profile.reserch: unknown key (did you mean 'research'?)"},
        {SP_EINVAL, SP_WHY_INVALID, NULL, "profile", ": 5 must be an object", "profile", 400,
         "invalid", "profile", "profile: 5 must be an object"},
        {SP_EINVAL, SP_WHY_UNKNOWN_FIELD, NULL, "$", ": unknown key 'x'", "instance", 400,
         "unknown_field", "instance", "instance: unknown key 'x'"},
        {SP_EINVAL, SP_WHY_INVALID, "programs[0]", NULL, ": 'id' is missing", "instance", 400,
         "invalid", "instance.programs[0]", "instance.programs[0]: 'id' is missing"},
        {SP_EINVAL, SP_WHY_INVALID, "[2]", NULL, ": must be a string", "options", 400, "invalid",
         "options[2]", "options[2]: must be a string"},
        {SP_ENOTFOUND, SP_WHY_INVALID, "interviews[2].acgme_id", NULL,
         ": '1' is not in the catalog", NULL, 400, "invalid", "interviews[2].acgme_id",
         "interviews[2].acgme_id: '1' is not in the catalog"},
        {SP_EINVAL, SP_WHY_INVALID, "a", NULL, ", b: give one budget", NULL, 400, "invalid", "a",
         "a, b: give one budget"},
        {SP_EINVAL, SP_WHY_INVALID, "options.min.a b", NULL, ": not a specialty", NULL, 400,
         "invalid", "", NULL},
        {SP_EINVAL, SP_WHY_INVALID, "research.by_specialty.a, b", NULL, ": unknown code", "profile",
         400, "invalid", "profile.research.by_specialty.a",
         "profile.research.by_specialty.a, b: unknown code"},
        {SP_EINVAL, SP_WHY_NONE, NULL, NULL, "no path in this message", NULL, 400, "invalid", "",
         "no path in this message"},
        {SP_EINVAL, SP_WHY_NONE, NULL, NULL, "program 'p' is declared twice", "instance", 400,
         "invalid", "instance", "instance.program 'p' is declared twice"},
        {SP_EINVAL, SP_WHY_MODEL, "model", NULL, ": bad quadrature", "profile", 500, "internal", "",
         "model: bad quadrature"},
        {SP_EDB, SP_WHY_NONE, NULL, NULL, "sp.db: database is locked", NULL, 500, "internal", "",
         NULL},
    };

    (void)state;
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct sp_err err = SP_ERR_INIT;
        struct sp_api_err e;
        if (cases[i].field)
            sp_err_at(&err, cases[i].code, cases[i].why, cases[i].field, "%s", cases[i].rule);
        else if (cases[i].doc)
            sp_err_doc(&err, cases[i].code, cases[i].why, cases[i].doc, "%s", cases[i].rule);
        else
            sp_err_set(&err, cases[i].code, "%s", cases[i].rule);
        sp_api_err_from(&e, &err, cases[i].prefix);
        assert_int_equal(e.status, cases[i].status);
        assert_string_equal(sp_why_name(e.why), cases[i].api_code);
        assert_string_equal(e.field, cases[i].api_field);
        if (cases[i].message)
            assert_string_equal(e.message, cases[i].message);
    }
}

/* A nested field (a profile inside a rank document) and a budget that came from the
 * profile: the path and the message follow the field, not the text. */
static void nested_errors_keep_their_field(void **state)
{
    struct sp_err err = SP_ERR_INIT;
    struct sp_api_err e;

    (void)state;
    sp_err_at(&err, SP_EINVAL, SP_WHY_UNKNOWN_FIELD, "reserch", ": unknown key");
    sp_err_nest(&err, "profile");
    assert_string_equal(err.field, "profile.reserch");
    assert_string_equal(err.msg, "profile.reserch: unknown key");
    sp_api_err_from(&e, &err, NULL);
    assert_string_equal(sp_why_name(e.why), "unknown_field");
    assert_string_equal(e.field, "profile.reserch");
    sp_err_at(&err, SP_EINVAL, SP_WHY_INVALID, "budget_usd", ": 100 does not cover it");
    sp_err_nest(&err, "preferences");
    sp_api_err_from(&e, &err, "profile");
    assert_string_equal(e.field, "profile.preferences.budget_usd");
    assert_string_equal(e.message, "profile.preferences.budget_usd: 100 does not cover it");
    /* An index goes under its list without a dot. */
    sp_err_at(&err, SP_EINVAL, SP_WHY_INVALID, "[2]", ": must be a string");
    sp_err_nest(&err, "include");
    assert_string_equal(err.field, "include[2]");
    assert_string_equal(err.msg, "include[2]: must be a string");
    sp_err_nest(&err, "options");
    assert_string_equal(err.field, "options.include[2]");
    assert_int_equal(err.at, strlen("options.include[2]"));
    sp_err_at(&err, SP_EINVAL, SP_WHY_INVALID, "budget_usd", ": 100 does not cover it");
    sp_err_nest(&err, "preferences");
    /* A file name before the message (the CLI's): the field stays, the head is gone. */
    sp_err_prefix(&err, "p.json", ": ");
    assert_string_equal(err.field, "preferences.budget_usd");
    assert_int_equal(err.at, 0);
}

/* GET /api/v1/plan-options: every option of the table, in --help order, with the
 * defaults of sp_plan_options_init (min_gain 0.0001, pgy1 15) and the rules the
 * server applies. */
static void plan_options_are_listed_from_the_table(void **state)
{
    struct sp_target target = {NULL, NULL, 0, true};
    struct sp_api a;
    json_error_t jerr;
    json_t *doc, *list, *o;
    char help[160];

    (void)state;
    memset(&a, 0, sizeof(a));
    a.target = &target;
    sp_api_plan_options(&a);
    assert_int_equal(a.res.status, 200);
    doc = json_loadb(a.res.body.data, a.res.body.len, 0, &jerr);
    assert_non_null(doc);
    list = json_object_get(doc, "options");
    assert_int_equal(json_array_size(list), SP_POPT_COUNT);
    for (int i = 0; i < SP_POPT_COUNT; i++) {
        const struct sp_plan_opt_info *info = sp_plan_opt_info((enum sp_plan_opt)i);
        o = json_array_get(list, (size_t)i);
        assert_string_equal(json_string_value(json_object_get(o, "json")), info->json);
        assert_string_equal(json_string_value(json_object_get(o, "help")),
                            sp_plan_opt_help(help, sizeof(help), (enum sp_plan_opt)i));
    }
    o = json_array_get(list, SP_POPT_MIN_GAIN);
    assert_string_equal(json_string_value(json_object_get(o, "cli")), "--min-gain");
    assert_true(json_number_value(json_object_get(o, "default")) == 0.0001);
    assert_string_equal(json_string_value(json_object_get(o, "help")),
                        "skip applications adding less expected value (0.0001)");
    o = json_array_get(list, SP_POPT_PGY1);
    assert_int_equal(json_integer_value(json_object_get(o, "default")), 15);
    o = json_array_get(list, SP_POPT_BUDGET_USD);
    assert_true(json_is_null(json_object_get(o, "default")));
    assert_true(json_is_true(json_object_get(o, "min_exclusive")));
    o = json_array_get(list, SP_POPT_OBJECTIVE);
    assert_string_equal(json_string_value(json_object_get(o, "kind")), "enum");
    assert_int_equal(json_array_size(json_object_get(o, "values")), 3);
    assert_string_equal(json_string_value(json_array_get(json_object_get(o, "values"), 2)),
                        "min-cost");
    json_decref(doc);
    sp_buf_release(&a.res.body);
}

static void error_documents_are_json(void **state)
{
    struct sp_api_err e;
    struct sp_buf out = SP_BUF_INIT;
    json_error_t jerr;
    json_t *doc;

    (void)state;
    sp_api_err_set(&e, 400, SP_WHY_INVALID, NULL, "name: '\"quoted\" \\ \t' must be ok");
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
        cmocka_unit_test(nested_errors_keep_their_field),
        cmocka_unit_test(plan_options_are_listed_from_the_table),
        cmocka_unit_test(error_documents_are_json),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
