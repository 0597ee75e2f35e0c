/*
 * Saved profiles and plans (store/saved.c): schema version 2 from a version-1
 * database, save/list/get/delete, newest first, names checked, missing ids.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "store.h"
#include "store_fixture.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int setup(void **state)
{
    return store_fixture_setup(state, "saved");
}

static int teardown(void **state)
{
    return store_fixture_teardown(state);
}

static void exec_raw(const char *path, const char *sql)
{
    sqlite3 *db;

    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    assert_int_equal(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(db);
}

static void version_1_database_gains_the_saved_tables(void **state)
{
    struct fixture *fx = *state;
    struct sp_err err = SP_ERR_INIT;
    struct sp_saved_item it;
    sp_store *st = NULL;

    /* Make the file a version-1 database, as an older smartpick left it. */
    sp_store_close(fx->st);
    fx->st = NULL;
    exec_raw(fx->path, "DROP TABLE saved_profile; DROP TABLE saved_plan; PRAGMA user_version = 1");
    assert_int_equal(sp_store_open(&st, fx->path, &err), 0);
    assert_int_equal(sp_store_profile_save(st, "after upgrade", "{}", &it, &err), 0);
    assert_true(it.id > 0);
    fx->st = st;
}

static void profiles_save_list_get_delete(void **state)
{
    struct fixture *fx = *state;
    struct sp_err err = SP_ERR_INIT;
    struct sp_saved_item a, b, got, *items = NULL;
    char *text = NULL;
    size_t n = 0;

    assert_int_equal(sp_store_profile_save(fx->st, "first", "{\"a\":1}", &a, &err), 0);
    assert_int_equal(sp_store_profile_save(fx->st, "second", "{\"b\":2}", &b, &err), 0);
    assert_true(b.id > a.id);
    assert_int_equal(strlen(a.created_at), 20); /* 2026-11-28T09:30:00Z */
    assert_string_equal(a.created_at, a.updated_at);
    assert_int_equal(sp_store_profile_list(fx->st, &items, &n, &err), 0);
    assert_int_equal(n, 2);
    assert_string_equal(items[0].name, "second"); /* newest first */
    assert_string_equal(items[1].name, "first");
    free(items);
    assert_int_equal(sp_store_profile_get(fx->st, a.id, &got, &text, &err), 0);
    assert_string_equal(got.name, "first");
    assert_string_equal(text, "{\"a\":1}");
    free(text);
    assert_int_equal(sp_store_profile_delete(fx->st, a.id, &err), 0);
    assert_int_equal(sp_store_profile_get(fx->st, a.id, &got, &text, &err), SP_ENOTFOUND);
    assert_null(text);
    assert_int_equal(sp_store_profile_delete(fx->st, a.id, &err), SP_ENOTFOUND);
    assert_non_null(strstr(err.msg, "is not a saved profile"));
}

static void plans_keep_their_texts_and_figures(void **state)
{
    struct fixture *fx = *state;
    struct sp_err err = SP_ERR_INIT;
    struct sp_saved_plan in = {
        "plan A", "{\"p\":1}", "{\"budget_usd\":2500}", "{\"plan\":true}", 0.9123, 1396.5, 77};
    struct sp_saved_item it, got, *items = NULL;
    char *p = NULL, *o = NULL, *doc = NULL;
    size_t n = 0;

    assert_int_equal(sp_store_plan_save(fx->st, &in, &it, &err), 0);
    assert_int_equal(sp_store_plan_list(fx->st, &items, &n, &err), 0);
    assert_int_equal(n, 1);
    assert_int_equal(items[0].id, it.id);
    assert_true(items[0].p_match_any == 0.9123);
    assert_true(items[0].cost_usd == 1396.5);
    assert_int_equal(items[0].n_programs, 77);
    free(items);
    assert_int_equal(sp_store_plan_get(fx->st, it.id, &got, &p, &o, &doc, &err), 0);
    assert_string_equal(p, "{\"p\":1}");
    assert_string_equal(o, "{\"budget_usd\":2500}");
    assert_string_equal(doc, "{\"plan\":true}");
    free(p);
    free(o);
    free(doc);
    assert_int_equal(sp_store_plan_delete(fx->st, it.id, &err), 0);
    assert_int_equal(sp_store_plan_get(fx->st, it.id, &got, &p, &o, &doc, &err), SP_ENOTFOUND);
}

static void ids_are_never_reused(void **state)
{
    struct fixture *fx = *state;
    struct sp_err err = SP_ERR_INIT;
    struct sp_saved_item a, b;

    assert_int_equal(sp_store_profile_save(fx->st, "a", "{}", &a, &err), 0);
    assert_int_equal(sp_store_profile_delete(fx->st, a.id, &err), 0);
    assert_int_equal(sp_store_profile_save(fx->st, "b", "{}", &b, &err), 0);
    assert_true(b.id > a.id);
}

static void names_must_be_1_to_120_bytes(void **state)
{
    struct fixture *fx = *state;
    struct sp_err err = SP_ERR_INIT;
    struct sp_saved_item it;
    struct sp_saved_plan in = {"", "{}", "{}", "{}", 0, 0, 0};
    char long_name[SP_SAVED_NAME_MAX + 2];

    memset(long_name, 'x', sizeof(long_name) - 1);
    long_name[sizeof(long_name) - 1] = '\0';
    assert_int_equal(sp_store_profile_save(fx->st, "", "{}", &it, &err), SP_EINVAL);
    assert_non_null(strstr(err.msg, "name: 0 bytes must be 1 to 120"));
    assert_int_equal(sp_store_profile_save(fx->st, long_name, "{}", &it, &err), SP_EINVAL);
    assert_int_equal(sp_store_plan_save(fx->st, &in, &it, &err), SP_EINVAL);
    long_name[SP_SAVED_NAME_MAX] = '\0';
    assert_int_equal(sp_store_profile_save(fx->st, long_name, "{}", &it, &err), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(version_1_database_gains_the_saved_tables, setup, teardown),
        cmocka_unit_test_setup_teardown(profiles_save_list_get_delete, setup, teardown),
        cmocka_unit_test_setup_teardown(plans_keep_their_texts_and_figures, setup, teardown),
        cmocka_unit_test_setup_teardown(ids_are_never_reused, setup, teardown),
        cmocka_unit_test_setup_teardown(names_must_be_1_to_120_bytes, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
