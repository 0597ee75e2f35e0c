/*
 * Saved profiles and plans: the rows behind the web app's history. Every write
 * is one transaction (BEGIN IMMEDIATE ... COMMIT), taken up front so that two
 * writers on two connections queue on the busy timeout instead of failing to
 * upgrade a read lock; with WAL, a process killed at any point leaves each row
 * whole or absent. Statements are prepared; no SQL is built from input.
 */
#include "store_internal.h"

#include "sp_alloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "banned.h"

#define NOW_SQL "strftime('%Y-%m-%dT%H:%M:%SZ', 'now')"

static int check_name(const char *name, struct sp_err *err)
{
    size_t len = name ? strlen(name) : 0;

    if (len < 1 || len > SP_SAVED_NAME_MAX)
        return sp_err_at(err, SP_EINVAL, SP_WHY_INVALID, "name", ": %zu bytes must be 1 to %d", len,
                         SP_SAVED_NAME_MAX);
    return 0;
}

static void copy_text(char *out, size_t cap, sqlite3_stmt *stmt, int col)
{
    const unsigned char *s = sqlite3_column_text(stmt, col);

    snprintf(out, cap, "%s", s ? (const char *)s : "");
}

static char *dup_text(sqlite3_stmt *stmt, int col)
{
    const unsigned char *s = sqlite3_column_text(stmt, col);

    return sp_xstrdup(s ? (const char *)s : "");
}

/* Run one prepared write inside BEGIN IMMEDIATE ... COMMIT. The statement may
 * return one row (RETURNING), handed to row_fn; want_change: SP_ENOTFOUND when
 * no row changed. Finalizes stmt. */
static int write_one(sp_store *st, sqlite3_stmt *stmt, void (*row_fn)(sqlite3_stmt *, void *),
                     void *payload, bool want_change, const char *what, struct sp_err *err)
{
    int rc = sp_store__exec(st, "BEGIN IMMEDIATE", err);
    int step;

    if (rc) {
        sqlite3_finalize(stmt);
        return rc;
    }
    step = sqlite3_step(stmt);
    if (step == SQLITE_ROW) {
        if (row_fn)
            row_fn(stmt, payload);
        step = sqlite3_step(stmt);
    }
    if (step != SQLITE_DONE)
        rc = sp_store__fail(st, err, what);
    else if (want_change && sqlite3_changes(st->db) == 0)
        rc = sp_err_set(err, SP_ENOTFOUND, "%s: no such item", what);
    sqlite3_finalize(stmt);
    if (rc) {
        sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
        return rc;
    }
    return sp_store__exec(st, "COMMIT", err);
}

static void read_inserted(sqlite3_stmt *stmt, void *payload)
{
    struct sp_saved_item *out = payload;

    out->id = sqlite3_column_int64(stmt, 0);
    copy_text(out->created_at, sizeof(out->created_at), stmt, 1);
    memcpy(out->updated_at, out->created_at, sizeof(out->updated_at));
}

int sp_store_profile_save(sp_store *st, const char *name, const char *profile_json,
                          struct sp_saved_item *out, struct sp_err *err)
{
    sqlite3_stmt *stmt = NULL;
    int rc = check_name(name, err);

    memset(out, 0, sizeof(*out));
    if (rc)
        return rc;
    rc = sp_store__prepare(st, &stmt,
                           "INSERT INTO saved_profile(name, created_at, updated_at, profile_json)"
                           " VALUES (?1, " NOW_SQL ", " NOW_SQL ", ?2) RETURNING id, created_at",
                           err);
    if (rc)
        return rc;
    sqlite3_bind_text(stmt, 1, name, -1, SQLITE_STATIC);
    sqlite3_bind_text(stmt, 2, profile_json, -1, SQLITE_STATIC);
    rc = write_one(st, stmt, read_inserted, out, false, "save profile", err);
    if (!rc)
        snprintf(out->name, sizeof(out->name), "%s", name);
    return rc;
}

int sp_store_plan_save(sp_store *st, const struct sp_saved_plan *in, struct sp_saved_item *out,
                       struct sp_err *err)
{
    sqlite3_stmt *stmt = NULL;
    int rc = check_name(in->name, err);

    memset(out, 0, sizeof(*out));
    if (rc)
        return rc;
    rc = sp_store__prepare(st, &stmt,
                           "INSERT INTO saved_plan(name, created_at, profile_json, options_json,"
                           " plan_json, p_match_any, cost_usd, n_programs)"
                           " VALUES (?1, " NOW_SQL ", ?2, ?3, ?4, ?5, ?6, ?7)"
                           " RETURNING id, created_at",
                           err);
    if (rc)
        return rc;
    sqlite3_bind_text(stmt, 1, in->name, -1, SQLITE_STATIC);
    sqlite3_bind_text(stmt, 2, in->profile_json, -1, SQLITE_STATIC);
    sqlite3_bind_text(stmt, 3, in->options_json, -1, SQLITE_STATIC);
    sqlite3_bind_text(stmt, 4, in->plan_json, -1, SQLITE_STATIC);
    sqlite3_bind_double(stmt, 5, in->p_match_any);
    sqlite3_bind_double(stmt, 6, in->cost_usd);
    sqlite3_bind_int(stmt, 7, in->n_programs);
    rc = write_one(st, stmt, read_inserted, out, false, "save plan", err);
    if (!rc) {
        snprintf(out->name, sizeof(out->name), "%s", in->name);
        out->p_match_any = in->p_match_any;
        out->cost_usd = in->cost_usd;
        out->n_programs = in->n_programs;
    }
    return rc;
}

static int delete_row(sp_store *st, const char *sql, int64_t id, const char *what,
                      struct sp_err *err)
{
    sqlite3_stmt *stmt = NULL;
    int rc = sp_store__prepare(st, &stmt, sql, err);

    if (rc)
        return rc;
    sqlite3_bind_int64(stmt, 1, id);
    rc = write_one(st, stmt, NULL, NULL, true, what, err);
    if (rc == SP_ENOTFOUND)
        sp_err_at(err, SP_ENOTFOUND, SP_WHY_NOT_FOUND, "id", ": %lld is not a saved %s",
                  (long long)id, strstr(what, "plan") ? "plan" : "profile");
    return rc;
}

int sp_store_profile_delete(sp_store *st, int64_t id, struct sp_err *err)
{
    return delete_row(st, "DELETE FROM saved_profile WHERE id = ?1", id, "delete profile", err);
}

int sp_store_plan_delete(sp_store *st, int64_t id, struct sp_err *err)
{
    return delete_row(st, "DELETE FROM saved_plan WHERE id = ?1", id, "delete plan", err);
}

/* Columns 0..3 are id, name, created_at, updated_at; plans add 4..6. */
static void read_item(struct sp_saved_item *it, sqlite3_stmt *stmt, bool plan)
{
    memset(it, 0, sizeof(*it));
    it->id = sqlite3_column_int64(stmt, 0);
    copy_text(it->name, sizeof(it->name), stmt, 1);
    copy_text(it->created_at, sizeof(it->created_at), stmt, 2);
    copy_text(it->updated_at, sizeof(it->updated_at), stmt, 3);
    if (plan) {
        it->p_match_any = sqlite3_column_double(stmt, 4);
        it->cost_usd = sqlite3_column_double(stmt, 5);
        it->n_programs = sqlite3_column_int(stmt, 6);
    }
}

static int list_rows(sp_store *st, const char *sql, bool plan, struct sp_saved_item **out,
                     size_t *n_out, struct sp_err *err)
{
    sqlite3_stmt *stmt = NULL;
    struct sp_saved_item *items = NULL;
    size_t n = 0, cap = 0;
    int rc = sp_store__prepare(st, &stmt, sql, err), step;

    *out = NULL;
    *n_out = 0;
    if (rc)
        return rc;
    while ((step = sqlite3_step(stmt)) == SQLITE_ROW) {
        SP_GROW(items, cap, n + 1);
        read_item(&items[n++], stmt, plan);
    }
    if (step != SQLITE_DONE) {
        rc = sp_store__fail(st, err, plan ? "list plans" : "list profiles");
        free(items);
        items = NULL;
        n = 0;
    }
    sqlite3_finalize(stmt);
    *out = items;
    *n_out = n;
    return rc;
}

int sp_store_profile_list(sp_store *st, struct sp_saved_item **out, size_t *n_out,
                          struct sp_err *err)
{
    return list_rows(st,
                     "SELECT id, name, created_at, updated_at FROM saved_profile"
                     " ORDER BY id DESC",
                     false, out, n_out, err);
}

int sp_store_plan_list(sp_store *st, struct sp_saved_item **out, size_t *n_out, struct sp_err *err)
{
    return list_rows(st,
                     "SELECT id, name, created_at, created_at, p_match_any, cost_usd, n_programs"
                     " FROM saved_plan ORDER BY id DESC",
                     true, out, n_out, err);
}

/* One saved row by id: its item (plan: the plan's columns) and then the n_texts
 * text columns after them into texts[], each owned by the caller (NULL on failure).
 * what is "profile" or "plan", for the messages. */
static int get_row(sp_store *st, const char *sql, bool plan, int64_t id, struct sp_saved_item *item,
                   char **texts[], int n_texts, const char *what, struct sp_err *err)
{
    sqlite3_stmt *stmt = NULL;
    int first = plan ? 7 : 4;
    int rc = sp_store__prepare(st, &stmt, sql, err), step;

    for (int i = 0; i < n_texts; i++)
        *texts[i] = NULL;
    if (rc)
        return rc;
    sqlite3_bind_int64(stmt, 1, id);
    step = sqlite3_step(stmt);
    if (step == SQLITE_ROW) {
        read_item(item, stmt, plan);
        for (int i = 0; i < n_texts; i++)
            *texts[i] = dup_text(stmt, first + i);
    } else if (step == SQLITE_DONE) {
        rc = sp_err_at(err, SP_ENOTFOUND, SP_WHY_NOT_FOUND, "id", ": %lld is not a saved %s",
                       (long long)id, what);
    } else {
        char op[16];
        snprintf(op, sizeof(op), "get %s", what);
        rc = sp_store__fail(st, err, op);
    }
    sqlite3_finalize(stmt);
    return rc;
}

int sp_store_profile_get(sp_store *st, int64_t id, struct sp_saved_item *item, char **profile_json,
                         struct sp_err *err)
{
    char **texts[] = {profile_json};

    return get_row(st,
                   "SELECT id, name, created_at, updated_at, profile_json"
                   " FROM saved_profile WHERE id = ?1",
                   false, id, item, texts, 1, "profile", err);
}

int sp_store_plan_get(sp_store *st, int64_t id, struct sp_saved_item *item, char **profile_json,
                      char **options_json, char **plan_json, struct sp_err *err)
{
    char **texts[] = {profile_json, options_json, plan_json};

    return get_row(st,
                   "SELECT id, name, created_at, created_at, p_match_any, cost_usd,"
                   " n_programs, profile_json, options_json, plan_json"
                   " FROM saved_plan WHERE id = ?1",
                   true, id, item, texts, 3, "plan", err);
}
