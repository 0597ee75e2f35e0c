/*
 * Unit tests of the match JSON reader and the writers (format/match_json.c,
 * format/render_match.c): errors name the JSON path and the rule; a valid document
 * gives the same instance as its CSV twin; every format carries the verdict.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "render_match.h"
#include "smartpick/match/match.h"

#include "banned.h"

static void json_reader_names_the_path_of_bad_input(void **state)
{
    static const struct {
        const char *text, *want;
    } cases[] = {
        {"{\"programs\": [{\"id\": \"P\", \"capacity\": -1}]}",
         "programs[0]: program 'P': capacity -1 must be >= 0"},
        {"{\"programs\": [{\"id\": \"P\", \"capcity\": 1}]}",
         "programs[0]: unknown key 'capcity' (did you mean 'capacity'?)"},
        {"{\"programs\": [{\"id\": 7, \"capacity\": 1}]}", "programs[0]: 'id' must be a string"},
        {"{\"programs\": [{\"id\": \"P\", \"capacity\": 1.5}]}",
         "programs[0]: capacity must be a whole number"},
        {"{\"programs\": [{\"id\": \"P\", \"capacity\": 1, \"ranks\": [\"A\"]}], "
         "\"applicants\": [{\"id\": \"A\", \"ranks\": [\"P\", \"Q\"]}]}",
         "applicants[0].ranks[1]: applicant 'A' ranks program 'Q', which is not declared"},
        {"{\"programs\": [{\"id\": \"P\", \"capacity\": 1, \"ranks\": [\"A\", \"A\"]}], "
         "\"applicants\": [{\"id\": \"A\"}]}",
         "programs[0].ranks: program 'P' ranks applicant 'A' twice"},
        {"{\"programs\": [{\"id\": \"P\", \"capacity\": 2}], \"applicants\": [{\"id\": \"A\"}],"
         " \"couples\": [{\"id\": \"C\", \"members\": [\"A\", \"B\"]}]}",
         "couples[0].members[0]: applicant 'A' is a couple member and also has its own entry"},
        {"{\"programs\": [{\"id\": \"P\", \"capacity\": 2}], \"couples\": [{\"id\": \"C\", "
         "\"members\": [\"A\", \"B\"], \"ranks\": [[null, null]]}]}",
         "couples[0]: couple 'C': pair 1 is (-1, -1)"},
        {"{\"programs\": [{\"id\": \"P\", \"capacity\": 1, \"track\": \"pgy3\"}]}",
         "programs[0]: track must be"},
        {"{\"programs\": [{\"id\": \"P\", \"capacity\": 1}], \"schema\": \"other/1\"}",
         "schema: must be \"smartpick.match/1\""},
        {"{\"applicants\": []}", "$: 'programs' is missing"},
        {"[]", "$: the document must be an object"},
        {"{\"programs\": [\n{\"id\": \"P\",, }]}", "line 2, column"},
    };

    (void)state;
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        sp_match_instance *in = NULL;
        struct sp_err err = SP_ERR_INIT;
        int rc = sp_match_from_json(&in, cases[i].text, strlen(cases[i].text), &err);
        if (rc != SP_EINVAL || in || !strstr(err.msg, cases[i].want))
            fail_msg("case %zu: rc %d, '%s', want '%s'", i, rc, err.msg, cases[i].want);
    }
}

static const char doc[] =
    "{\"schema\": \"smartpick.match/1\", \"programs\": ["
    "{\"id\": \"DR\", \"capacity\": 1, \"track\": \"advanced\", \"ranks\": [\"ana\", \"m1\"]},"
    "{\"id\": \"IM\", \"capacity\": 2, \"ranks\": [\"m2\", \"ana\"]},"
    "{\"id\": \"TY\", \"capacity\": 1, \"track\": \"preliminary\", \"ranks\": [\"ana\"]}],"
    "\"applicants\": [{\"id\": \"ana\", \"ranks\": [\"DR\", \"IM\"], \"supplemental\": [\"TY\"]}],"
    "\"couples\": [{\"id\": \"C\", \"members\": [\"m1\", \"m2\"], "
    "\"ranks\": [[\"DR\", \"IM\"], [null, \"IM\"]]}]}";

static const char twin[] = "type,id\n"
                           "program,DR,1,advanced,ana,m1\n"
                           "program,IM,2,,m2,ana\n"
                           "program,TY,1,preliminary,ana\n"
                           "applicant,ana,DR,IM\n"
                           "supplemental,ana,TY\n"
                           "couple,C,m1,m2,DR,IM,-,IM\n";

static void json_and_csv_twins_match_alike_in_every_format(void **state)
{
    sp_match_instance *a = NULL, *b = NULL;
    struct sp_err err = SP_ERR_INIT;
    struct sp_match_options opts = SP_MATCH_OPTIONS_INIT;
    struct sp_match_result ra = SP_MATCH_RESULT_INIT, rb = SP_MATCH_RESULT_INIT;

    (void)state;
    assert_int_equal(sp_match_from_json(&a, doc, sizeof(doc) - 1, &err), 0);
    assert_int_equal(sp_match_read_csv(&b, twin, sizeof(twin) - 1, &err), 0);
    assert_int_equal(sp_match_run(&ra, a, &opts, &err), 0);
    assert_int_equal(sp_match_run(&rb, b, &opts, &err), 0);
    assert_true(ra.stable);
    for (int f = SP_MATCH_FMT_TEXT; f <= SP_MATCH_FMT_CSV; f++) {
        struct sp_buf x = SP_BUF_INIT, y = SP_BUF_INIT;
        sp_render_match(&x, (enum sp_match_format)f, a, &ra, SP_PROPOSE_APPLICANTS);
        sp_render_match(&y, (enum sp_match_format)f, b, &rb, SP_PROPOSE_APPLICANTS);
        assert_string_equal(x.data, y.data);
        if (f == SP_MATCH_FMT_MATCH)
            assert_string_equal(x.data, "m 1\nr ana DR\nr m1 -1\nr m2 IM\ns ana TY\n");
        sp_buf_release(&x);
        sp_buf_release(&y);
    }
    sp_match_result_release(&ra);
    sp_match_result_release(&rb);
    sp_match_instance_free(a);
    sp_match_instance_free(b);
}

static void no_stable_matching_renders_m0_and_the_status(void **state)
{
    static const char none[] = "c 0 0 1 0 1\nr 3 2 0\nr 4 1 2\np 0 1 3 0\np 1 1 1 4\np 2 1 4 3\n";
    sp_match_instance *in = NULL;
    struct sp_err err = SP_ERR_INIT;
    struct sp_match_options opts = SP_MATCH_OPTIONS_INIT;
    struct sp_match_result res = SP_MATCH_RESULT_INIT;
    struct sp_buf out = SP_BUF_INIT;
    enum sp_match_format fmt;

    (void)state;
    assert_int_equal(sp_match_read_rp(&in, none, sizeof(none) - 1, &err), 0);
    assert_int_equal(sp_match_run(&res, in, &opts, &err), SP_ENOSTABLE);
    sp_render_match(&out, SP_MATCH_FMT_MATCH, in, &res, opts.proposing);
    assert_string_equal(out.data, "m 0\n");
    sp_buf_reset(&out);
    sp_render_match(&out, SP_MATCH_FMT_CSV, in, &res, opts.proposing);
    assert_string_equal(out.data, "record,id,program,rank,couple,pgy1_program,pgy1_rank,capacity,"
                                  "filled,unfilled\nstatus,no_stable_matching,,,,,,,,\n");
    sp_buf_reset(&out);
    sp_render_match(&out, SP_MATCH_FMT_TEXT, in, &res, opts.proposing);
    assert_non_null(strstr(out.data, "no stable matching exists"));
    assert_int_equal(sp_match_format_parse(&fmt, "match", &err), 0);
    assert_int_equal(fmt, SP_MATCH_FMT_MATCH);
    assert_int_equal(sp_match_format_parse(&fmt, "xml", &err), SP_EINVAL);
    sp_buf_release(&out);
    sp_match_result_release(&res);
    sp_match_instance_free(in);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(json_reader_names_the_path_of_bad_input),
        cmocka_unit_test(json_and_csv_twins_match_alike_in_every_format),
        cmocka_unit_test(no_stable_matching_renders_m0_and_the_status),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
