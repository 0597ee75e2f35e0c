/*
 * The in-memory catalog: ID validation, duplicates, lookups, specialty index,
 * and the parsing/formatting of optional program facts.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "smartpick/catalog/catalog.h"

#include <stdio.h>
#include <string.h>

static struct sp_program program(const char *id, enum sp_specialty s, const char *name)
{
    struct sp_program p;

    memset(&p, 0, sizeof(p));
    snprintf(p.acgme_id, sizeof(p.acgme_id), "%s", id);
    p.specialty = s;
    p.institution = name;
    p.city = "Dallas";
    memcpy(p.state, "TX", 3);
    return p;
}

static void catalog_finds_programs_by_id_and_specialty(void **state)
{
    sp_catalog *cat = sp_catalog_new();
    struct sp_err err = SP_ERR_INIT;
    struct sp_program a = program("4204800001", SP_SPEC_DR, "B Hospital");
    struct sp_program b = program("4164800001", SP_SPEC_IR, "A Hospital");
    struct sp_program c = program("4204800002", SP_SPEC_DR, "C Hospital");
    size_t n;
    (void)state;

    assert_int_equal(sp_catalog_add(cat, &a, &err), 0);
    assert_int_equal(sp_catalog_add(cat, &b, &err), 0);
    assert_int_equal(sp_catalog_add(cat, &c, &err), 0);
    assert_int_equal(sp_catalog_freeze(cat, &err), 0);

    const struct sp_program *found = sp_catalog_find(cat, "4164800001");
    assert_non_null(found);
    assert_string_equal(found->institution, "A Hospital");
    assert_null(sp_catalog_find(cat, "4164800009"));
    assert_null(sp_catalog_find(cat, "416"));

    const struct sp_program *const *dr = sp_catalog_by_specialty(cat, SP_SPEC_DR, &n);
    assert_int_equal(n, 2);
    assert_string_equal(dr[0]->acgme_id, "4204800001");
    assert_string_equal(dr[1]->acgme_id, "4204800002");
    sp_catalog_by_specialty(cat, SP_SPEC_EM, &n);
    assert_int_equal(n, 0);

    const struct sp_program *all = sp_catalog_programs(cat, &n);
    assert_int_equal(n, 3);
    assert_string_equal(all[0].acgme_id, "4164800001"); /* ID order */

    /* Frozen means read-only. */
    assert_int_equal(sp_catalog_add(cat, &a, &err), SP_EINVAL);
    sp_catalog_free(cat);
}

static void catalog_rejects_bad_and_duplicate_ids(void **state)
{
    sp_catalog *cat = sp_catalog_new();
    struct sp_err err = SP_ERR_INIT;
    struct sp_program bad = program("42048A0001", SP_SPEC_DR, "X");
    struct sp_program dup = program("4204800001", SP_SPEC_DR, "X");
    (void)state;

    assert_int_equal(sp_catalog_add(cat, &bad, &err), SP_EINVAL);
    assert_string_equal(err.msg, "acgme_id: '42048A0001' must be 10 digits");
    assert_int_equal(sp_catalog_add(cat, &dup, &err), 0);
    assert_int_equal(sp_catalog_add(cat, &dup, &err), 0);
    assert_int_equal(sp_catalog_freeze(cat, &err), SP_EINVAL);
    assert_string_equal(err.msg, "acgme_id: '4204800001' appears twice");
    sp_catalog_free(cat);
    sp_catalog_free(NULL);
}

static void facts_parse_and_format_round_trip(void **state)
{
    struct {
        enum sp_program_fact f;
        const char *text;
        double value;
        const char *shown;
    } ok[] = {
        {SP_FACT_POSITIONS, "12", 12, "12"},
        {SP_FACT_PROGRAM_TYPE, "Academic", 1, "academic"},
        {SP_FACT_PROGRAM_TYPE, "community", 0, "community"},
        {SP_FACT_ESIR, "yes", 1, "yes"},
        {SP_FACT_ESIR, "0", 0, "no"},
        {SP_FACT_MEDIAN_STEP2, "251.5", 251.5, "251.5"},
        {SP_FACT_MEDIAN_STEP2, "251.123456", 251.123456, "251.123456"},
        {SP_FACT_VISA, "j1_h1b", 2, "j1_h1b"},
        {SP_FACT_SIGNALS, "TRUE", 1, "yes"},
        /* All nine digits back ("%g" gave 571.756, which an export/import round trip
         * turned into a different, user-labelled value). */
        {SP_FACT_SCHOOL_NIH, "571.755774", 571.755774, "571.755774"},
        {SP_FACT_SCHOOL_NIH, "0", 0, "0"},
    };
    char buf[32];
    (void)state;

    for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
        double v = -1;
        struct sp_err err = SP_ERR_INIT;
        if (sp_program_fact_parse(&v, ok[i].f, ok[i].text, &err) || v != ok[i].value)
            fail_msg("case %zu: '%s' -> %g (%s)", i, ok[i].text, v, err.msg);
        assert_string_equal(sp_program_fact_format(buf, sizeof(buf), ok[i].f, v), ok[i].shown);
    }
}

static void facts_reject_values_with_field_value_and_rule(void **state)
{
    struct {
        enum sp_program_fact f;
        const char *text;
        const char *message;
    } bad[] = {
        {SP_FACT_POSITIONS, "-1", "positions: '-1' must be between 0 and 1000"},
        {SP_FACT_POSITIONS, "2.5", "positions: '2.5' must be a whole number"},
        {SP_FACT_MEDIAN_STEP2, "high", "median_step2: 'high' must be a number"},
        {SP_FACT_PCT_IMG, "101", "pct_img: '101' must be between 0 and 100"},
        {SP_FACT_ESIR, "maybe", "esir: 'maybe' must be yes or no"},
        {SP_FACT_VISA, "h1b", "visa_sponsorship: 'h1b' must be one of none, j1, j1_h1b"},
        {SP_FACT_SCHOOL_NIH, "571755774",
         "school_nih_musd: '571755774' must be between 0 and 5000"},
        {SP_FACT_SCHOOL_NIH, "-1", "school_nih_musd: '-1' must be between 0 and 5000"},
    };
    (void)state;

    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        double v;
        struct sp_err err = SP_ERR_INIT;
        assert_true(sp_program_fact_parse(&v, bad[i].f, bad[i].text, &err) < 0);
        assert_string_equal(err.msg, bad[i].message);
    }
}

/* Names are the database's and the output's: appended values keep the old ordinals. */
static void facts_and_sources_have_stable_names(void **state)
{
    enum sp_program_fact f;
    enum sp_source src;
    (void)state;

    assert_string_equal(sp_program_fact_name(SP_FACT_SCHOOL_NIH), "school_nih_musd");
    assert_int_equal(sp_program_fact_lookup(&f, "school_nih_musd"), 0);
    assert_int_equal(f, SP_FACT_SCHOOL_NIH);
    assert_false(sp_program_fact_is_bool(SP_FACT_SCHOOL_NIH));
    assert_int_equal(sp_source_parse(&src, "published"), 0);
    assert_int_equal(src, SP_SRC_PUBLISHED);
    assert_string_equal(sp_source_name(SP_SRC_PUBLISHED), "published");
    assert_int_equal(sp_source_parse(&src, "user"), 0);
    assert_int_equal(src, SP_SRC_USER);
    assert_int_equal(SP_SRC_USER, 4);
    assert_int_not_equal(sp_source_parse(&src, "publish"), 0);
}

static void specialty_codes_parse_both_ways(void **state)
{
    enum sp_specialty s;
    (void)state;

    assert_int_equal(sp_specialty_parse(&s, "ir"), 0);
    assert_int_equal(s, SP_SPEC_IR);
    assert_int_equal(sp_specialty_parse(&s, "040"), 0);
    assert_int_equal(s, SP_SPEC_ANES);
    assert_int_equal(sp_specialty_parse(&s, "IRR"), SP_ENOTFOUND);
    assert_string_equal(sp_specialty_suggest("NEUR"), "NEURO");
    assert_string_equal(sp_specialty_suggest("Neurology"), "NEURO");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(catalog_finds_programs_by_id_and_specialty),
        cmocka_unit_test(catalog_rejects_bad_and_duplicate_ids),
        cmocka_unit_test(facts_parse_and_format_round_trip),
        cmocka_unit_test(facts_reject_values_with_field_value_and_rule),
        cmocka_unit_test(facts_and_sources_have_stable_names),
        cmocka_unit_test(specialty_codes_parse_both_ways),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
