/*
 * The store: opening the database, WAL, schema migrations keyed by
 * PRAGMA user_version, and loading the catalog and facts into core structs.
 */
#include "store_internal.h"

#include "sp_alloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "banned.h"

/* migrations[v] takes a database from user_version v to v + 1. Append only. */
static const char *const migrations[] = {
    /* 0 -> 1: catalog, geography, specialty facts, fees. */
    "CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);"
    "CREATE TABLE state_division("
    "  state TEXT PRIMARY KEY, division TEXT NOT NULL, region TEXT NOT NULL);"
    "CREATE TABLE program("
    "  acgme_id TEXT PRIMARY KEY CHECK(length(acgme_id) = 10),"
    "  specialty TEXT NOT NULL, institution TEXT NOT NULL, city TEXT NOT NULL,"
    "  state TEXT NOT NULL, new_program INTEGER NOT NULL DEFAULT 0,"
    "  osteopathic_recognized INTEGER NOT NULL DEFAULT 0,"
    "  id_state_mismatch INTEGER NOT NULL DEFAULT 0,"
    "  latitude REAL NOT NULL, longitude REAL NOT NULL, geo_source TEXT NOT NULL,"
    "  source TEXT NOT NULL);"
    "CREATE INDEX program_specialty ON program(specialty);"
    "CREATE TABLE program_fact("
    "  acgme_id TEXT NOT NULL REFERENCES program(acgme_id) ON DELETE CASCADE,"
    "  fact TEXT NOT NULL, value REAL NOT NULL, source TEXT NOT NULL,"
    "  PRIMARY KEY(acgme_id, fact)) WITHOUT ROWID;"
    "CREATE TABLE zip(zip TEXT PRIMARY KEY, city TEXT NOT NULL, state TEXT NOT NULL,"
    "  latitude REAL NOT NULL, longitude REAL NOT NULL) WITHOUT ROWID;"
    "CREATE TABLE city(state TEXT NOT NULL, city TEXT NOT NULL COLLATE NOCASE,"
    "  latitude REAL NOT NULL, longitude REAL NOT NULL,"
    "  PRIMARY KEY(state, city)) WITHOUT ROWID;"
    "CREATE TABLE specialty(code TEXT PRIMARY KEY, acgme_code TEXT NOT NULL,"
    "  name TEXT NOT NULL, tracks TEXT NOT NULL, patient_contact INTEGER NOT NULL,"
    "  procedural INTEGER NOT NULL, imaging INTEGER NOT NULL, lifestyle INTEGER NOT NULL,"
    "  income INTEGER NOT NULL, ir_pathway TEXT NOT NULL, ir_pathway_note TEXT NOT NULL,"
    "  pros TEXT NOT NULL, cons TEXT NOT NULL);"
    "CREATE TABLE specialty_fact(code TEXT NOT NULL, metric TEXT NOT NULL,"
    "  value REAL NOT NULL, unit TEXT NOT NULL, applicant_type TEXT NOT NULL,"
    "  year INTEGER NOT NULL, source_url TEXT NOT NULL);"
    "CREATE TABLE fee(service TEXT NOT NULL, scope TEXT NOT NULL, from_n INTEGER NOT NULL,"
    "  to_n INTEGER, fee_usd REAL NOT NULL, season TEXT NOT NULL, effective TEXT NOT NULL,"
    "  source_url TEXT NOT NULL);",
    /* 1 -> 2: saved profiles and plans (the web app's history). AUTOINCREMENT: a
     * deleted item's id is never given to a new one, so an old link cannot open
     * someone else's plan. */
    "CREATE TABLE saved_profile("
    "  id INTEGER PRIMARY KEY AUTOINCREMENT,"
    "  name TEXT NOT NULL CHECK(length(name) BETWEEN 1 AND 120),"
    "  created_at TEXT NOT NULL, updated_at TEXT NOT NULL,"
    "  profile_json TEXT NOT NULL);"
    "CREATE TABLE saved_plan("
    "  id INTEGER PRIMARY KEY AUTOINCREMENT,"
    "  name TEXT NOT NULL CHECK(length(name) BETWEEN 1 AND 120),"
    "  created_at TEXT NOT NULL,"
    "  profile_json TEXT NOT NULL, options_json TEXT NOT NULL, plan_json TEXT NOT NULL,"
    "  p_match_any REAL NOT NULL, cost_usd REAL NOT NULL, n_programs INTEGER NOT NULL);",
    /* 2 -> 3: no table changes; the school NIH-funding facts (seed.c). */
    "SELECT 1;",
};

#define N_MIGRATIONS ((int)(sizeof(migrations) / sizeof(migrations[0])))

_Static_assert(N_MIGRATIONS == SP_STORE_SCHEMA_VERSION, "one migration per schema version");

int sp_store__fail(sp_store *st, struct sp_err *err, const char *what)
{
    return sp_err_set(err, SP_EDB, "%s: %s: %s", st->path, what, sqlite3_errmsg(st->db));
}

int sp_store__exec(sp_store *st, const char *sql, struct sp_err *err)
{
    char *msg = NULL;

    if (sqlite3_exec(st->db, sql, NULL, NULL, &msg) != SQLITE_OK) {
        sp_err_set(err, SP_EDB, "%s: %s", st->path, msg ? msg : sqlite3_errmsg(st->db));
        sqlite3_free(msg);
        return SP_EDB;
    }
    return 0;
}

int sp_store__prepare(sp_store *st, sqlite3_stmt **out, const char *sql, struct sp_err *err)
{
    if (sqlite3_prepare_v2(st->db, sql, -1, out, NULL) != SQLITE_OK)
        return sp_store__fail(st, err, "prepare");
    return 0;
}

int sp_store__bind_text_or_null(sqlite3_stmt *stmt, int idx, const char *s)
{
    if (!s || !*s)
        return sqlite3_bind_null(stmt, idx);
    return sqlite3_bind_text(stmt, idx, s, -1, SQLITE_TRANSIENT);
}

static int user_version(sp_store *st, int *out, struct sp_err *err)
{
    sqlite3_stmt *stmt = NULL;
    int rc = sp_store__prepare(st, &stmt, "PRAGMA user_version", err);

    if (rc)
        return rc;
    if (sqlite3_step(stmt) != SQLITE_ROW)
        rc = sp_store__fail(st, err, "read schema version");
    else
        *out = sqlite3_column_int(stmt, 0);
    sqlite3_finalize(stmt);
    return rc;
}

/* Bring the schema to SP_STORE_SCHEMA_VERSION, seeding a new database. */
static int migrate(sp_store *st, struct sp_err *err)
{
    char sql[64];
    int version = 0;
    int rc;

    rc = user_version(st, &version, err);
    if (rc)
        return rc;
    if (version == SP_STORE_SCHEMA_VERSION)
        return 0;
    /* Exclusive, and re-read inside: two first runs at once must not both seed. */
    rc = sp_store__exec(st, "BEGIN IMMEDIATE", err);
    if (rc)
        return rc;
    rc = user_version(st, &version, err);
    if (rc)
        goto out;
    if (version > SP_STORE_SCHEMA_VERSION) {
        rc = sp_err_set(err, SP_EDB,
                        "%s: schema version %d is newer than this smartpick's (%d); "
                        "upgrade smartpick",
                        st->path, version, SP_STORE_SCHEMA_VERSION);
        goto out;
    }
    for (int v = version; v < SP_STORE_SCHEMA_VERSION; v++) {
        rc = sp_store__exec(st, migrations[v], err);
        if (rc)
            goto out;
        rc = sp_store__seed(st, v + 1, err);
        if (rc)
            goto out;
    }
    snprintf(sql, sizeof(sql), "PRAGMA user_version = %d", SP_STORE_SCHEMA_VERSION);
    rc = sp_store__exec(st, sql, err);
out:
    if (rc) {
        sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
        return rc;
    }
    return sp_store__exec(st, "COMMIT", err);
}

int sp_store_open(sp_store **out, const char *path, struct sp_err *err)
{
    sp_store *st = sp_xcalloc(1, sizeof(*st));
    int rc;

    *out = NULL;
    st->path = sp_xstrdup(path);
    if (sqlite3_open_v2(path, &st->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) !=
        SQLITE_OK) {
        rc = sp_store__fail(st, err, "open");
        goto out;
    }
    sqlite3_busy_timeout(st->db, 5000);
    rc = sp_store__exec(st,
                        "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;"
                        "PRAGMA foreign_keys = ON;",
                        err);
    if (rc)
        goto out;
    rc = migrate(st, err);
out:
    if (rc) {
        sp_store_close(st);
        return rc;
    }
    *out = st;
    return 0;
}

void sp_store_close(sp_store *st)
{
    if (!st)
        return;
    sqlite3_close(st->db);
    free(st->path);
    free(st);
}

static const char *column_text(sqlite3_stmt *stmt, int i)
{
    const unsigned char *s = sqlite3_column_text(stmt, i);

    return s ? (const char *)s : "";
}

static int load_facts_into(sp_store *st, sp_catalog *cat, struct sp_program *programs,
                           size_t n, struct sp_err *err);

int sp_store_load_catalog(sp_store *st, sp_catalog **out, struct sp_err *err)
{
    static const char sql[] =
        "SELECT p.acgme_id, p.specialty, p.institution, p.city, p.state, p.new_program,"
        " p.osteopathic_recognized, p.id_state_mismatch, p.latitude, p.longitude,"
        " coalesce(d.division, 'unknown')"
        " FROM program p LEFT JOIN state_division d ON d.state = p.state"
        " ORDER BY p.acgme_id";
    sqlite3_stmt *stmt = NULL;
    sp_catalog *cat = sp_catalog_new();
    struct sp_program *programs = NULL;
    size_t n = 0, cap = 0;
    int rc, step;

    *out = NULL;
    rc = sp_store__prepare(st, &stmt, sql, err);
    if (rc)
        goto out;
    while ((step = sqlite3_step(stmt)) == SQLITE_ROW) {
        struct sp_program *p;
        enum sp_division div = SP_DIV_UNKNOWN;
        SP_GROW(programs, cap, n + 1);
        p = &programs[n++];
        memset(p, 0, sizeof(*p));
        snprintf(p->acgme_id, sizeof(p->acgme_id), "%s", column_text(stmt, 0));
        if (sp_specialty_parse(&p->specialty, column_text(stmt, 1))) {
            rc = sp_err_set(err, SP_EDB, "%s: program %s: unknown specialty '%s'", st->path,
                            p->acgme_id, column_text(stmt, 1));
            goto out;
        }
        p->institution = sp_xstrdup(column_text(stmt, 2));
        p->city = sp_xstrdup(column_text(stmt, 3));
        snprintf(p->state, sizeof(p->state), "%s", column_text(stmt, 4));
        p->new_program = sqlite3_column_int(stmt, 5) != 0;
        p->osteopathic_recognized = sqlite3_column_int(stmt, 6) != 0;
        p->id_state_mismatch = sqlite3_column_int(stmt, 7) != 0;
        p->where.lat = sqlite3_column_double(stmt, 8);
        p->where.lon = sqlite3_column_double(stmt, 9);
        sp_division_parse(&div, column_text(stmt, 10));
        p->division = div;
    }
    if (step != SQLITE_DONE) {
        rc = sp_store__fail(st, err, "read programs");
        goto out;
    }
    rc = load_facts_into(st, cat, programs, n, err);
out:
    sqlite3_finalize(stmt);
    for (size_t i = 0; i < n; i++) {
        free((char *)programs[i].institution);
        free((char *)programs[i].city);
    }
    free(programs);
    if (rc) {
        sp_catalog_free(cat);
        return rc;
    }
    *out = cat;
    return 0;
}

static int fact_index(const char *name)
{
    for (int f = 0; f < SP_FACT_COUNT; f++) {
        if (strcmp(name, sp_program_fact_name((enum sp_program_fact)f)) == 0)
            return f;
    }
    return -1;
}

static int by_acgme(const void *key, const void *elem)
{
    return strcmp(key, ((const struct sp_program *)elem)->acgme_id);
}

/* Attach program_fact rows (both lists are in ID order), then add and freeze. */
static int load_facts_into(sp_store *st, sp_catalog *cat, struct sp_program *programs,
                           size_t n, struct sp_err *err)
{
    sqlite3_stmt *stmt = NULL;
    int rc, step;

    rc = sp_store__prepare(st, &stmt, "SELECT acgme_id, fact, value, source FROM program_fact",
                           err);
    if (rc)
        return rc;
    while ((step = sqlite3_step(stmt)) == SQLITE_ROW) {
        struct sp_program *p = bsearch(column_text(stmt, 0), programs, n, sizeof(*p), by_acgme);
        int f = fact_index(column_text(stmt, 1));
        enum sp_source src = SP_SRC_NONE;
        if (!p || f < 0 || sp_source_parse(&src, column_text(stmt, 3)))
            continue; /* a fact this build does not know; kept in the database */
        p->facts[f].value = sqlite3_column_double(stmt, 2);
        p->facts[f].source = src;
    }
    if (step != SQLITE_DONE)
        rc = sp_store__fail(st, err, "read program facts");
    sqlite3_finalize(stmt);
    for (size_t i = 0; !rc && i < n; i++)
        rc = sp_catalog_add(cat, &programs[i], err);
    if (!rc)
        rc = sp_catalog_freeze(cat, err);
    return rc;
}

int sp_store_load_facts(sp_store *st, sp_facts **out, struct sp_err *err)
{
    sqlite3_stmt *stmt = NULL;
    sp_facts *f = sp_facts_new();
    int rc, step;

    *out = NULL;
    rc = sp_store__prepare(st, &stmt,
                           "SELECT code, metric, value, unit, applicant_type, year, source_url"
                           " FROM specialty_fact ORDER BY rowid",
                           err);
    if (rc)
        goto out;
    while ((step = sqlite3_step(stmt)) == SQLITE_ROW) {
        struct sp_fact_row row;
        enum sp_specialty s;
        if (strcmp(column_text(stmt, 0), "ALL") == 0)
            row.specialty = SP_SPEC_ALL;
        else if (sp_specialty_parse(&s, column_text(stmt, 0)) == 0)
            row.specialty = (int)s;
        else
            continue;
        row.metric = column_text(stmt, 1);
        row.value = sqlite3_column_double(stmt, 2);
        row.unit = column_text(stmt, 3);
        row.applicant_type = column_text(stmt, 4);
        row.year = sqlite3_column_int(stmt, 5);
        row.source_url = column_text(stmt, 6);
        sp_facts_add(f, &row);
    }
    if (step != SQLITE_DONE) {
        rc = sp_store__fail(st, err, "read specialty facts");
        goto out;
    }
    sqlite3_finalize(stmt);
    stmt = NULL;
    rc = sp_store__prepare(st, &stmt,
                           "SELECT code, tracks, patient_contact, procedural, imaging, lifestyle,"
                           " income, ir_pathway, ir_pathway_note, pros, cons FROM specialty",
                           err);
    if (rc)
        goto out;
    while ((step = sqlite3_step(stmt)) == SQLITE_ROW) {
        struct sp_specialty_profile p;
        if (sp_specialty_parse(&p.specialty, column_text(stmt, 0)))
            continue;
        p.tracks = column_text(stmt, 1);
        p.patient_contact = sqlite3_column_int(stmt, 2);
        p.procedural = sqlite3_column_int(stmt, 3);
        p.imaging = sqlite3_column_int(stmt, 4);
        p.lifestyle = sqlite3_column_int(stmt, 5);
        p.income = sqlite3_column_int(stmt, 6);
        p.ir_pathway = column_text(stmt, 7);
        p.ir_pathway_note = column_text(stmt, 8);
        p.pros = column_text(stmt, 9);
        p.cons = column_text(stmt, 10);
        sp_facts_set_profile(f, &p);
    }
    if (step != SQLITE_DONE)
        rc = sp_store__fail(st, err, "read specialties");
out:
    sqlite3_finalize(stmt);
    if (rc) {
        sp_facts_free(f);
        return rc;
    }
    *out = f;
    return 0;
}

int sp_store_load_fees(sp_store *st, struct sp_fees *out, struct sp_err *err)
{
    sqlite3_stmt *stmt = NULL;
    struct sp_fees f;
    int rc, step;

    memset(&f, 0, sizeof(f));
    rc = sp_store__prepare(st, &stmt,
                           "SELECT service, scope, from_n, coalesce(to_n, 0), fee_usd FROM fee"
                           " ORDER BY service, from_n",
                           err);
    if (rc)
        return rc;
    while ((step = sqlite3_step(stmt)) == SQLITE_ROW) {
        const char *service = column_text(stmt, 0), *scope = column_text(stmt, 1);
        struct sp_fee_schedule *s = NULL;
        if (strcmp(service, "usmle_transcript") == 0) {
            f.transcript_usd = sqlite3_column_double(stmt, 4);
            continue;
        }
        if (strcmp(service, "eras") == 0)
            s = &f.eras;
        else if (strcmp(service, "residencycas") == 0)
            s = &f.residencycas;
        if (!s || s->n_tiers == SP_FEE_MAX_TIERS)
            continue;
        snprintf(s->service, sizeof(s->service), "%s", service);
        s->tiers[s->n_tiers].from_n = sqlite3_column_int(stmt, 2);
        s->tiers[s->n_tiers].to_n = sqlite3_column_int(stmt, 3);
        s->tiers[s->n_tiers].fee_usd = sqlite3_column_double(stmt, 4);
        s->tiers[s->n_tiers].flat = strcmp(scope, "flat") == 0;
        s->n_tiers++;
    }
    if (step != SQLITE_DONE)
        rc = sp_store__fail(st, err, "read fees");
    sqlite3_finalize(stmt);
    if (!rc) {
        if (f.eras.n_tiers)
            out->eras = f.eras;
        if (f.residencycas.n_tiers)
            out->residencycas = f.residencycas;
        if (f.transcript_usd > 0)
            out->transcript_usd = f.transcript_usd;
    }
    return rc;
}
