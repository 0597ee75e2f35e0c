/*
 * CSV reader: quoting, embedded separators and newlines, CRLF, BOM, empty and
 * over-long fields, and the position reported for each broken rule.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "sp_csv.h"

#include <stdio.h>
#include <string.h>

/* Read all records of text; join fields with '|' and records with '/'. */
static int read_all(const char *text, size_t len, size_t field_max, char *out, size_t cap,
                    struct sp_err *err)
{
    struct sp_csv csv;
    struct sp_csv_record rec;
    size_t n = 0;
    int rc;

    out[0] = '\0';
    sp_csv_init(&csv, text, len, field_max);
    while ((rc = sp_csv_next(&csv, &rec, err)) == 1) {
        for (size_t i = 0; i < rec.n_fields; i++)
            n += (size_t)snprintf(out + n, cap - n, "%s%s", i ? "|" : "", rec.fields[i].data);
        n += (size_t)snprintf(out + n, cap - n, "/");
    }
    sp_csv_release(&csv);
    return rc;
}

struct good_case {
    const char *name;
    const char *input;
    const char *expect;
};

static void csv_reads_valid_files(void **state)
{
    static const struct good_case cases[] = {
        {"plain", "a,b,c\n1,2,3\n", "a|b|c/1|2|3/"},
        {"no final newline", "a,b\n1,2", "a|b/1|2/"},
        {"crlf", "a,b\r\n1,2\r\n", "a|b/1|2/"},
        {"bom", "\xEF\xBB\xBF" "id\n7\n", "id/7/"},
        {"quoted comma", "\"x,y\",z\n", "x,y|z/"},
        {"escaped quote", "\"say \"\"hi\"\"\"\n", "say \"hi\"/"},
        {"embedded newline", "\"line1\nline2\",b\n", "line1\nline2|b/"},
        {"embedded crlf becomes lf", "\"l1\r\nl2\"\r\n", "l1\nl2/"},
        {"empty fields", ",,\n", "||/"},
        {"empty quoted", "\"\",x\n", "|x/"},
        {"blank lines skipped", "\n\na\n\r\n\nb\n", "a/b/"},
        {"trailing empty field", "a,\n", "a|/"},
        {"utf8 kept", "Bogot\xC3\xA1,x\n", "Bogot\xC3\xA1|x/"},
    };
    char out[256];
    (void)state;

    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct sp_err err = SP_ERR_INIT;
        int rc = read_all(cases[i].input, strlen(cases[i].input), 0, out, sizeof(out), &err);
        if (rc != 0 || strcmp(out, cases[i].expect) != 0)
            fail_msg("case '%s': rc %d, got '%s', want '%s' (%s)", cases[i].name, rc, out,
                     cases[i].expect, err.msg);
    }
}

struct bad_case {
    const char *name;
    const char *input;
    size_t field_max;
    const char *message;
};

static void csv_rejects_broken_rules_with_position(void **state)
{
    static const struct bad_case cases[] = {
        {"quote in unquoted", "ab,c\"d\n", 0, "1:5: quote inside unquoted field"},
        {"text after quote", "\"ab\"c\n", 0, "1:5: text after closing quote"},
        {"unterminated", "a\n\"open,\nstill open\n", 0, "2:1: unterminated quoted field"},
        {"over-long field", "abcdef,g\n", 5, "1:1: field longer than 5 bytes"},
        {"over-long quoted", "x\n\"abcdef\"\n", 5, "2:1: field longer than 5 bytes"},
        {"position after multiline", "\"a\nb\",c\nd,e\"\n", 0, "3:4: quote inside unquoted field"},
    };
    char out[256];
    (void)state;

    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct sp_err err = SP_ERR_INIT;
        int rc = read_all(cases[i].input, strlen(cases[i].input), cases[i].field_max, out,
                          sizeof(out), &err);
        if (rc != SP_EINVAL || strcmp(err.msg, cases[i].message) != 0)
            fail_msg("case '%s': rc %d, message '%s', want '%s'", cases[i].name, rc, err.msg,
                     cases[i].message);
    }
}

static void csv_rejects_nul_byte(void **state)
{
    static const char input[] = {'a', ',', 'b', '\0', 'c', '\n'};
    struct sp_err err = SP_ERR_INIT;
    char out[64];
    (void)state;

    assert_int_equal(read_all(input, sizeof(input), 0, out, sizeof(out), &err), SP_EINVAL);
    assert_string_equal(err.msg, "1:4: NUL byte in input");
}

static void csv_reports_field_positions(void **state)
{
    const char *text = "id,name\n12,\"A, B\"\n";
    struct sp_csv csv;
    struct sp_csv_record rec;
    struct sp_err err = SP_ERR_INIT;
    (void)state;

    sp_csv_init(&csv, text, strlen(text), 0);
    assert_int_equal(sp_csv_next(&csv, &rec, &err), 1);
    assert_int_equal(sp_csv_next(&csv, &rec, &err), 1);
    assert_int_equal(rec.line, 2);
    assert_int_equal(rec.n_fields, 2);
    assert_int_equal(rec.fields[1].col, 4);
    assert_int_equal(rec.fields[1].len, 4);
    assert_int_equal(sp_csv_next(&csv, &rec, &err), 0);
    sp_csv_release(&csv);
}

static void csv_handles_many_fields_and_long_records(void **state)
{
    char text[8192];
    size_t n = 0;
    struct sp_csv csv;
    struct sp_csv_record rec;
    struct sp_err err = SP_ERR_INIT;
    (void)state;

    for (int i = 0; i < 1000; i++)
        n += (size_t)snprintf(text + n, sizeof(text) - n, "%s%d", i ? "," : "", i);
    sp_csv_init(&csv, text, n, 0);
    assert_int_equal(sp_csv_next(&csv, &rec, &err), 1);
    assert_int_equal(rec.n_fields, 1000);
    assert_string_equal(rec.fields[999].data, "999");
    assert_string_equal(rec.fields[0].data, "0");
    sp_csv_release(&csv);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(csv_reads_valid_files),
        cmocka_unit_test(csv_rejects_broken_rules_with_position),
        cmocka_unit_test(csv_rejects_nul_byte),
        cmocka_unit_test(csv_reports_field_positions),
        cmocka_unit_test(csv_handles_many_fields_and_long_records),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
