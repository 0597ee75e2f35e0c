/*
 * The store: first-use creation from the bundled data, migrations by
 * user_version, refusal of newer schemas, place lookups, and all-or-nothing import.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "store.h"
#include "store_fixture.h"

#include <math.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int setup(void **state)
{
    return store_fixture_setup(state, "store");
}

static int teardown(void **state)
{
    return store_fixture_teardown(state);
}

/* One integer from a query on the raw database file. */
static long long query_int(const char *path, const char *sql)
{
    sqlite3 *db;
    sqlite3_stmt *stmt;
    long long v = -1;

    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &stmt, NULL), SQLITE_OK);
    if (sqlite3_step(stmt) == SQLITE_ROW)
        v = sqlite3_column_int64(stmt, 0);
    sqlite3_finalize(stmt);
    sqlite3_close(db);
    return v;
}

/* A text digest of every user-visible table: equal digests mean equal contents. */
static char *digest(const char *path)
{
    static const char sql[] =
        "SELECT (SELECT count(*) || ':' || total(latitude) || ':' ||"
        "        group_concat(acgme_id || institution || city || state || geo_source, ',')"
        "        FROM program) || '|' ||"
        "       (SELECT count(*) || ':' || group_concat(acgme_id || fact || value || source, ',')"
        "        FROM program_fact)";
    sqlite3 *db;
    sqlite3_stmt *stmt;
    char *out;

    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &stmt, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(stmt), SQLITE_ROW);
    out = strdup((const char *)sqlite3_column_text(stmt, 0));
    sqlite3_finalize(stmt);
    sqlite3_close(db);
    return out;
}

static void store_is_created_from_bundled_data(void **state)
{
    struct fixture *fx = *state;
    struct sp_err err = SP_ERR_INIT;
    sp_catalog *cat;
    size_t n;

    assert_int_equal(query_int(fx->path, "PRAGMA user_version"), SP_STORE_SCHEMA_VERSION);
    assert_int_equal(query_int(fx->path, "SELECT count(*) FROM program"), 2207);
    assert_int_equal(query_int(fx->path, "SELECT count(*) FROM zip"), 40979);
    assert_int_equal(query_int(fx->path, "SELECT count(*) FROM city"), 29542);
    assert_int_equal(query_int(fx->path, "SELECT count(*) FROM specialty"), 9);
    assert_int_equal(query_int(fx->path, "SELECT count(*) FROM program_fact WHERE fact = 'esir'"
                                         " AND source = 'documented'"),
                     9);
    assert_int_equal(sp_store_load_catalog(fx->st, &cat, &err), 0);
    sp_catalog_programs(cat, &n);
    assert_int_equal(n, 2207);
    sp_catalog_by_specialty(cat, SP_SPEC_IR, &n);
    assert_int_equal(n, 103);
    sp_catalog_by_specialty(cat, SP_SPEC_DR, &n);
    assert_int_equal(n, 193);
    const struct sp_program *p = sp_catalog_find(cat, "4164800001");
    assert_non_null(p);
    assert_string_equal(p->state, "TX");
    assert_int_equal(p->division, SP_DIV_WEST_SOUTH_CENTRAL);
    sp_catalog_free(cat);
}

/* data/school_nih.csv: 421 programs get their school's NIH dollars in millions, source
 * 'published'; a program the file leaves out stays unknown (not zero). */
static void store_seeds_school_nih_funding_as_published(void **state)
{
    struct fixture *fx = *state;
    struct sp_err err = SP_ERR_INIT;
    const struct sp_program *progs, *p;
    const struct sp_program *const *ir;
    size_t n, n_known = 0, n_ir = 0, n_ir_known = 0;
    sp_catalog *cat;

    assert_int_equal(query_int(fx->path, "SELECT count(*) FROM program_fact"
                                         " WHERE fact = 'school_nih_musd' AND source = 'published'"
                                         " AND typeof(value) = 'real'"),
                     421);
    assert_int_equal(sp_store_load_catalog(fx->st, &cat, &err), 0);
    progs = sp_catalog_programs(cat, &n);
    for (size_t i = 0; i < n; i++) {
        const struct sp_fact *f = &progs[i].facts[SP_FACT_SCHOOL_NIH];
        if (f->source == SP_SRC_NONE)
            continue;
        assert_int_equal(f->source, SP_SRC_PUBLISHED);
        /* Millions: the file's dollars run from 119,218,642 to 726,020,299. */
        assert_true(f->value > 119 && f->value < 727);
        n_known++;
    }
    assert_int_equal(n_known, 421);
    ir = sp_catalog_by_specialty(cat, SP_SPEC_IR, &n_ir);
    for (size_t i = 0; i < n_ir; i++)
        n_ir_known += ir[i]->facts[SP_FACT_SCHOOL_NIH].source != SP_SRC_NONE;
    assert_int_equal(n_ir_known, 47);

    p = sp_catalog_find(cat, "4162300001"); /* Johns Hopkins IR: $571,755,774 */
    assert_non_null(p);
    assert_int_equal(p->facts[SP_FACT_SCHOOL_NIH].source, SP_SRC_PUBLISHED);
    assert_true(fabs(p->facts[SP_FACT_SCHOOL_NIH].value - 571.755774) < 1e-9);
    /* MGH IR: Harvard's hospitals are left out on purpose. */
    p = sp_catalog_find(cat, "4162400001");
    assert_non_null(p);
    assert_int_equal(p->facts[SP_FACT_SCHOOL_NIH].source, SP_SRC_NONE);
    sp_catalog_free(cat);
}

/* Marks the database (a changed meta row, a removed ZIP), reopens it, and checks the
 * marks survive: a reseed or a rerun migration would undo them. */
static void store_reopen_does_not_reseed(void **state)
{
    struct fixture *fx = *state;
    struct sp_err err = SP_ERR_INIT;
    sp_store *again;
    sqlite3 *db;
    long long zips = query_int(fx->path, "SELECT count(*) FROM zip");

    assert_int_equal(sqlite3_open(fx->path, &db), SQLITE_OK);
    assert_int_equal(sqlite3_exec(db,
                                  "UPDATE meta SET value = 'marker' WHERE key = 'seeded_at';"
                                  "DELETE FROM zip WHERE zip = '99553';",
                                  NULL, NULL, NULL),
                     SQLITE_OK);
    sqlite3_close(db);

    assert_int_equal(sp_store_open(&again, fx->path, &err), 0);
    sp_store_close(again);
    assert_int_equal(query_int(fx->path, "SELECT count(*) FROM meta WHERE key = 'seeded_at'"
                                         " AND value = 'marker'"),
                     1);
    assert_int_equal(query_int(fx->path, "SELECT count(*) FROM zip"), zips - 1);
    assert_int_equal(query_int(fx->path, "SELECT count(*) FROM program"), 2207);
    assert_int_equal(query_int(fx->path, "PRAGMA user_version"), SP_STORE_SCHEMA_VERSION);
    assert_int_equal(query_int(fx->path, "SELECT journal_mode = 'wal' FROM pragma_journal_mode"), 1);
}

/* A database an older smartpick made (schema 2, no school NIH facts, a user's own value
 * for one program) gains the published facts when it opens, and keeps the user's. */
static void store_migration_adds_school_nih_and_keeps_user_values(void **state)
{
    struct fixture *fx = *state;
    struct sp_err err = SP_ERR_INIT;
    char path[128];
    sqlite3 *db;
    sp_store *st = NULL;

    snprintf(path, sizeof(path), "%s/older.db", fx->dir);
    assert_int_equal(sp_store_open(&st, path, &err), 0);
    sp_store_close(st);
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    assert_int_equal(sqlite3_exec(db,
                                  "DELETE FROM program_fact WHERE fact = 'school_nih_musd';"
                                  "INSERT INTO program_fact VALUES ('4162300001', 'school_nih_musd',"
                                  " 12.5, 'user');"
                                  "PRAGMA user_version = 2;",
                                  NULL, NULL, NULL),
                     SQLITE_OK);
    sqlite3_close(db);
    assert_int_equal(sp_store_open(&st, path, &err), 0);
    sp_store_close(st);
    assert_int_equal(query_int(path, "PRAGMA user_version"), 3);
    assert_int_equal(query_int(path, "SELECT count(*) FROM program_fact"
                                     " WHERE fact = 'school_nih_musd'"),
                     421);
    assert_int_equal(query_int(path, "SELECT count(*) FROM program_fact WHERE fact ="
                                     " 'school_nih_musd' AND source = 'user' AND value = 12.5"
                                     " AND acgme_id = '4162300001'"),
                     1);
    assert_int_equal(query_int(path, "SELECT count(*) FROM program_fact WHERE fact ="
                                     " 'school_nih_musd' AND source = 'published'"),
                     420);
}

static void store_refuses_a_newer_schema(void **state)
{
    struct fixture *fx = *state;
    struct sp_err err = SP_ERR_INIT;
    char path[128];
    sqlite3 *db;
    sp_store *st = NULL;

    snprintf(path, sizeof(path), "%s/newer.db", fx->dir);
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    assert_int_equal(sqlite3_exec(db, "PRAGMA user_version = 99", NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(db);
    assert_int_equal(sp_store_open(&st, path, &err), SP_EDB);
    assert_null(st);
    assert_non_null(strstr(err.msg, "schema version 99 is newer than this smartpick's (3)"));
}

static void store_finds_cities_and_zips(void **state)
{
    struct fixture *fx = *state;
    struct sp_err err = SP_ERR_INIT;
    struct sp_point p;

    assert_int_equal(sp_store_find_city(fx->st, "Dallas, TX", "--zip", &p, &err), 0);
    assert_true(p.lat > 32.5 && p.lat < 33.1 && p.lon > -97.1 && p.lon < -96.5);
    assert_int_equal(sp_store_find_city(fx->st, "  dallas ,tx ", "--zip", &p, &err), 0);
    assert_int_equal(sp_store_find_city(fx->st, "Saint Louis, MO", "--zip", &p, &err), 0);
    assert_int_equal(sp_store_find_city(fx->st, "St. Louis, MO", "--zip", &p, &err), 0);
    assert_int_equal(sp_store_find_city(fx->st, "Dalas, TX", "--zip", &p, &err), SP_ENOTFOUND);
    assert_non_null(strstr(err.msg, "did you mean 'Dallas, TX'"));
    assert_int_equal(sp_store_find_city(fx->st, "Dallas, XX", "--zip", &p, &err), SP_ENOTFOUND);
    assert_string_equal(err.msg, "near: 'XX' is not a US state code (e.g. TX)");
    assert_int_equal(sp_store_find_city(fx->st, "Dallas", "--zip", &p, &err), SP_EINVAL);

    assert_int_equal(sp_store_find_zip(fx->st, "75390", &p, &err), 0);
    assert_true(p.lat > 32.5 && p.lat < 33.1);
    assert_int_equal(sp_store_find_zip(fx->st, "7539", &p, &err), SP_EINVAL);
    assert_string_equal(err.msg, "zip: '7539' must be 5 digits");
    assert_int_equal(sp_store_find_zip(fx->st, "00000", &p, &err), SP_ENOTFOUND);
}

static void import_applies_user_values_over_bundled_ones(void **state)
{
    struct fixture *fx = *state;
    struct sp_err err = SP_ERR_INIT;
    struct sp_import_stats stats;
    sp_catalog *cat;
    static const char csv_ok[] =
        "acgme_id,positions,esir,program_type,median_step2\n"
        "4200121006,8,no,academic,252\n";
    static const char csv[] =
        "acgme_id,positions,esir,program_type,median_step2\n"
        "4200121006,8,no,academic,252\n"
        "4209999001,,,,\n";
    static const char csv_new[] =
        "acgme_id,specialty,institution,city,state,positions,visa_sponsorship\n"
        "4164899999,IR,\"My Hospital, Main Campus\",Austin,TX,2,j1\n";

    /* A row for an unknown ID without the core columns is refused, naming them. */
    assert_int_equal(sp_store_import_csv(fx->st, "u.csv", csv, sizeof(csv) - 1, &stats, &err),
                     SP_EINVAL);
    assert_string_equal(err.msg, "u.csv:3:1: specialty: missing; a program new to the catalog "
                                 "(4209999001) needs specialty, institution, city and state");

    assert_int_equal(sp_store_import_csv(fx->st, "u.csv", csv_ok, sizeof(csv_ok) - 1, &stats, &err), 0);
    assert_int_equal(stats.rows, 1);
    assert_int_equal(stats.updated, 1);
    assert_int_equal(sp_store_import_csv(fx->st, "n.csv", csv_new, sizeof(csv_new) - 1, &stats,
                                         &err),
                     0);
    assert_int_equal(stats.added, 1);

    assert_int_equal(sp_store_load_catalog(fx->st, &cat, &err), 0);
    const struct sp_program *p = sp_catalog_find(cat, "4200121006");
    assert_non_null(p);
    assert_int_equal(p->facts[SP_FACT_POSITIONS].source, SP_SRC_USER);
    assert_true(p->facts[SP_FACT_POSITIONS].value == 8);
    assert_int_equal(p->facts[SP_FACT_ESIR].source, SP_SRC_USER);
    assert_true(p->facts[SP_FACT_ESIR].value == 0);
    p = sp_catalog_find(cat, "4164899999");
    assert_non_null(p);
    assert_string_equal(p->institution, "My Hospital, Main Campus");
    assert_int_equal(p->division, SP_DIV_WEST_SOUTH_CENTRAL);
    assert_true(p->where.lat > 30 && p->where.lat < 30.6); /* Austin's centroid */
    assert_true(p->facts[SP_FACT_VISA].value == 1);
    sp_catalog_free(cat);
}

/* A user's figure replaces the published one; the published figure imported back (as an
 * exported CSV carries it) keeps its source. */
static void import_overrides_the_published_school_nih(void **state)
{
    struct fixture *fx = *state;
    struct sp_err err = SP_ERR_INIT;
    struct sp_import_stats stats;
    const struct sp_program *p;
    sp_catalog *cat;
    static const char same[] = "acgme_id,school_nih_musd\n4162300001,571.755774\n";
    static const char mine[] = "acgme_id,school_nih_musd\n4162300001,600.5\n4162400001,12\n";

    assert_int_equal(sp_store_import_csv(fx->st, "s.csv", same, sizeof(same) - 1, &stats, &err),
                     0);
    assert_int_equal(stats.updated, 0);
    assert_int_equal(sp_store_load_catalog(fx->st, &cat, &err), 0);
    p = sp_catalog_find(cat, "4162300001");
    assert_int_equal(p->facts[SP_FACT_SCHOOL_NIH].source, SP_SRC_PUBLISHED);
    sp_catalog_free(cat);

    assert_int_equal(sp_store_import_csv(fx->st, "m.csv", mine, sizeof(mine) - 1, &stats, &err),
                     0);
    assert_int_equal(stats.updated, 2);
    assert_int_equal(sp_store_load_catalog(fx->st, &cat, &err), 0);
    p = sp_catalog_find(cat, "4162300001");
    assert_int_equal(p->facts[SP_FACT_SCHOOL_NIH].source, SP_SRC_USER);
    assert_true(p->facts[SP_FACT_SCHOOL_NIH].value == 600.5);
    p = sp_catalog_find(cat, "4162400001");
    assert_int_equal(p->facts[SP_FACT_SCHOOL_NIH].source, SP_SRC_USER);
    assert_true(p->facts[SP_FACT_SCHOOL_NIH].value == 12);
    sp_catalog_free(cat);
}

static void import_with_one_bad_row_changes_nothing(void **state)
{
    struct fixture *fx = *state;
    struct sp_err err = SP_ERR_INIT;
    struct sp_import_stats stats;
    static const struct {
        const char *csv;
        const char *message;
    } cases[] = {
        {"acgme_id,positions\n4200121006,9\n4200111007,many\n",
         "bad.csv:3:12: positions: 'many' must be a number"},
        {"acgme_id,positions\n4200121006,9\n4200121006,10\n",
         "bad.csv:3:1: acgme_id: '4200121006' appears twice in this file"},
        {"acgme_id,postions\n4200121006,9\n",
         "bad.csv:1:10: unknown column 'postions' (did you mean 'positions'?)"},
        {"acgme_id,pct_img\n4200121006,5\n42048211,5\n",
         "bad.csv:3:1: acgme_id: '42048211' must be 10 digits"},
        {"acgme_id,specialty\n4200121006,IR\n",
         "bad.csv:2:12: specialty: 'IR' does not match acgme_id 4200121006 (IR IDs start with "
         "416)"},
        {"acgme_id,positions\n4200121006,9\n4200111007,\"1\n", "bad.csv:3:12: unterminated quoted "
                                                               "field"},
        {"acgme_id,positions\n4200121006,9,extra\n", "bad.csv:2:1: 3 fields, the header has 2"},
        {"", "bad.csv:1:1: empty file; the first line must name the columns"},
    };

    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        char *before = digest(fx->path);
        int rc = sp_store_import_csv(fx->st, "bad.csv", cases[i].csv, strlen(cases[i].csv),
                                     &stats, &err);
        char *after = digest(fx->path);
        if (rc == 0 || strcmp(err.msg, cases[i].message) != 0)
            fail_msg("case %zu: rc %d, message '%s', want '%s'", i, rc, err.msg,
                     cases[i].message);
        assert_string_equal(before, after);
        free(before);
        free(after);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(store_is_created_from_bundled_data),
        cmocka_unit_test(store_seeds_school_nih_funding_as_published),
        cmocka_unit_test(store_reopen_does_not_reseed),
        cmocka_unit_test(store_migration_adds_school_nih_and_keeps_user_values),
        cmocka_unit_test(store_refuses_a_newer_schema),
        cmocka_unit_test(store_finds_cities_and_zips),
        cmocka_unit_test(import_applies_user_values_over_bundled_ones),
        cmocka_unit_test(import_overrides_the_published_school_nih),
        cmocka_unit_test(import_with_one_bad_row_changes_nothing),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
