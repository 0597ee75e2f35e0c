/*
 * store_internal.h - what the store's files share: the handle and SQL helpers.
 */
#ifndef SP_STORE_INTERNAL_H
#define SP_STORE_INTERNAL_H

#include "store.h"

#include <sqlite3.h>

struct sp_store {
    sqlite3 *db;
    char *path;
};

/* Run SQL with no result rows; SP_EDB with the statement's error in err. */
int sp_store__exec(sp_store *st, const char *sql, struct sp_err *err);
/* Prepare sql; SP_EDB with detail in err. */
int sp_store__prepare(sp_store *st, sqlite3_stmt **out, const char *sql, struct sp_err *err);
/* Record SQLite's current error message in err; returns SP_EDB. */
int sp_store__fail(sp_store *st, struct sp_err *err, const char *what);

/* Seed the bundled CSVs that the migration to schema `version` brings (inside the
 * caller's transaction; version 1 also records when the database was seeded). */
int sp_store__seed(sp_store *st, int version, struct sp_err *err);

/* Bind a text column; NULL for an empty string. */
int sp_store__bind_text_or_null(sqlite3_stmt *stmt, int idx, const char *s);

#endif
