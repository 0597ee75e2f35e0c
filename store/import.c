/*
 * `smartpick import`: a user's program CSV into the catalog, all or nothing.
 *
 * Every row is checked before anything is kept: one transaction per file, rolled
 * back at the first broken rule, which is reported as "file:line:column: rule".
 * Imported values carry source 'user' and override estimates and bundled values;
 * a value equal to the stored one keeps its source, so re-importing an exported
 * file does not relabel documented facts as the user's.
 */
#include "store_internal.h"

#include "sp_csv.h"
#include "sp_str.h"

#include <stdio.h>
#include <string.h>

#include "banned.h"

enum core_col {
    COL_ACGME_ID,
    COL_SPECIALTY,
    COL_INSTITUTION,
    COL_CITY,
    COL_STATE,
    COL_LATITUDE,
    COL_LONGITUDE,
    COL_NEW_PROGRAM,
    COL_OSTEOPATHIC,
    COL_CORE_COUNT
};

static const char *const core_names[COL_CORE_COUNT] = {
    "acgme_id", "specialty", "institution", "city", "state",
    "latitude", "longitude", "new_program", "osteopathic_recognized",
};

/* Columns that `smartpick programs --format csv` writes but import does not take,
 * accepted and ignored so an exported file can be edited and imported again. */
static const char *const ignored_names[] = {
    "specialty_name", "division", "distance_miles", "id_state_mismatch", "geo_source",
};

struct columns {
    int core[COL_CORE_COUNT];  /* field index, -1 if absent */
    int fact[SP_FACT_COUNT];
    size_t width;
};

struct import {
    sp_store *st;
    const char *name;
    struct columns cols;
    sqlite3_stmt *seen, *find, *insert, *update, *put_fact;
    struct sp_import_stats *stats;
};

static bool ignored_column(const char *name)
{
    size_t len = strlen(name);

    for (size_t i = 0; i < sizeof(ignored_names) / sizeof(ignored_names[0]); i++) {
        if (strcmp(name, ignored_names[i]) == 0)
            return true;
    }
    return len > 7 && strcmp(name + len - 7, "_source") == 0;
}

static const char *suggest_column(const char *name)
{
    const char *best = core_names[0];
    size_t best_d = (size_t)-1;

    for (int i = 0; i < COL_CORE_COUNT + SP_FACT_COUNT; i++) {
        const char *c = i < COL_CORE_COUNT ? core_names[i]
                                           : sp_program_fact_name((enum sp_program_fact)(i - COL_CORE_COUNT));
        size_t d = sp_str_distance(name, c, 64);
        if (d < best_d) {
            best_d = d;
            best = c;
        }
    }
    return best;
}

static int map_header(struct columns *cols, const struct sp_csv_record *rec, struct sp_err *err)
{
    for (int i = 0; i < COL_CORE_COUNT; i++)
        cols->core[i] = -1;
    for (int i = 0; i < SP_FACT_COUNT; i++)
        cols->fact[i] = -1;
    cols->width = rec->n_fields;
    for (size_t i = 0; i < rec->n_fields; i++) {
        const struct sp_csv_field *f = &rec->fields[i];
        enum sp_program_fact fact;
        int *slot = NULL;
        for (int c = 0; c < COL_CORE_COUNT; c++) {
            if (strcmp(f->data, core_names[c]) == 0)
                slot = &cols->core[c];
        }
        if (!slot && sp_program_fact_lookup(&fact, f->data) == 0)
            slot = &cols->fact[fact];
        if (!slot && ignored_column(f->data))
            continue;
        if (!slot)
            return sp_err_set(err, SP_EINVAL, "%u:%u: unknown column '%s' (did you mean '%s'?)",
                              f->line, f->col, f->data, suggest_column(f->data));
        if (*slot >= 0)
            return sp_err_set(err, SP_EINVAL, "%u:%u: column '%s' appears twice", f->line,
                              f->col, f->data);
        *slot = (int)i;
    }
    if (cols->core[COL_ACGME_ID] < 0)
        return sp_err_set(err, SP_EINVAL, "1:1: missing column 'acgme_id'");
    return 0;
}

/* The field of core column c in this row, or NULL when absent or empty. */
static const struct sp_csv_field *core_field(const struct import *im,
                                             const struct sp_csv_record *rec, enum core_col c)
{
    int i = im->cols.core[c];

    if (i < 0 || rec->fields[i].len == 0)
        return NULL;
    return &rec->fields[i];
}

static int field_fail(struct sp_err *err, const struct sp_csv_field *f, const char *column,
                      const char *rule)
{
    return sp_err_set(err, SP_EINVAL, "%u:%u: %s: '%s' %s", f->line, f->col, column, f->data,
                      rule);
}

static int parse_flag(int *out, const struct sp_csv_field *f, const char *column,
                      struct sp_err *err)
{
    if (strcmp(f->data, "1") == 0 || sp_str_eqi(f->data, "yes") || sp_str_eqi(f->data, "true"))
        *out = 1;
    else if (strcmp(f->data, "0") == 0 || sp_str_eqi(f->data, "no") ||
             sp_str_eqi(f->data, "false"))
        *out = 0;
    else
        return field_fail(err, f, column, "must be yes or no (or 1 or 0)");
    return 0;
}

static int parse_coord(double *out, const struct sp_csv_field *f, const char *column, double lim,
                       struct sp_err *err)
{
    char rule[48];

    if (sp_parse_double(out, f->data) || *out < -lim || *out > lim) {
        snprintf(rule, sizeof(rule), "must be a number between %g and %g", -lim, lim);
        return field_fail(err, f, column, rule);
    }
    return 0;
}

static int step_done(struct import *im, sqlite3_stmt *stmt, unsigned line, struct sp_err *err)
{
    int rc = sqlite3_step(stmt);

    sqlite3_reset(stmt);
    if (rc != SQLITE_DONE)
        return sp_err_set(err, SP_EDB, "%u:1: %s", line, sqlite3_errmsg(im->st->db));
    return 0;
}

/* Whether the state code is one of the 50 states, DC or a territory we know. */
static bool state_exists(struct import *im, const char *state)
{
    sqlite3_stmt *stmt = NULL;
    bool ok;

    if (sqlite3_prepare_v2(im->st->db, "SELECT 1 FROM state_division WHERE state = ?1", -1,
                           &stmt, NULL))
        return false;
    sqlite3_bind_text(stmt, 1, state, -1, SQLITE_STATIC);
    ok = sqlite3_step(stmt) == SQLITE_ROW;
    sqlite3_finalize(stmt);
    return ok;
}

/* A row's core columns: the fields it gives (NULL when absent) and their values. */
struct core_row {
    const struct sp_csv_field *spec, *inst, *city, *state, *lat, *lon, *newp, *osteo;
    enum sp_specialty s;
    double vlat, vlon;
    int vnew, vosteo;
};

/* Check the row's core values against the rules and parse them into c. */
static int core_check(struct import *im, struct core_row *c, const char *id, bool exists,
                      const char *old_specialty, struct sp_err *err)
{
    int rc;

    if (c->spec) {
        if (sp_specialty_parse(&c->s, c->spec->data)) {
            char rule[64];
            snprintf(rule, sizeof(rule), "is not a specialty code (did you mean %s?)",
                     sp_specialty_suggest(c->spec->data));
            return field_fail(err, c->spec, "specialty", rule);
        }
        if (strncmp(id, sp_specialty_acgme(c->s), 3) != 0) {
            char rule[96];
            snprintf(rule, sizeof(rule), "does not match acgme_id %s (%s IDs start with %s)", id,
                     sp_specialty_code(c->s), sp_specialty_acgme(c->s));
            return field_fail(err, c->spec, "specialty", rule);
        }
        if (exists && strcmp(old_specialty, sp_specialty_code(c->s)) != 0)
            return field_fail(err, c->spec, "specialty", "differs from the catalog's for this ID");
    }
    if (c->state) {
        if (c->state->len != 2 || !state_exists(im, c->state->data))
            return field_fail(err, c->state, "state", "must be a 2-letter US state code");
    }
    if ((c->lat == NULL) != (c->lon == NULL)) {
        const struct sp_csv_field *f = c->lat ? c->lat : c->lon;
        return field_fail(err, f, c->lat ? "latitude" : "longitude",
                          "needs both latitude and longitude");
    }
    if (c->lat && ((rc = parse_coord(&c->vlat, c->lat, "latitude", 90, err)) ||
                   (rc = parse_coord(&c->vlon, c->lon, "longitude", 180, err))))
        return rc;
    if (c->newp && (rc = parse_flag(&c->vnew, c->newp, "new_program", err)))
        return rc;
    if (c->osteo && (rc = parse_flag(&c->vosteo, c->osteo, "osteopathic_recognized", err)))
        return rc;
    return 0;
}

/* A program new to the catalog: every required column, a place, then the insert. */
static int core_insert(struct import *im, const struct sp_csv_record *rec, struct core_row *c,
                       const char *id, struct sp_err *err)
{
    static const enum core_col required[] = {COL_SPECIALTY, COL_INSTITUTION, COL_CITY, COL_STATE};

    for (size_t i = 0; i < sizeof(required) / sizeof(required[0]); i++) {
        if (!core_field(im, rec, required[i]))
            return sp_err_set(err, SP_EINVAL,
                              "%u:1: %s: missing; a program new to the catalog (%s) needs "
                              "specialty, institution, city and state",
                              rec->line, core_names[required[i]], id);
    }
    if (!c->lat) {
        char place[160];
        struct sp_point where;
        snprintf(place, sizeof(place), "%s, %s", c->city->data, c->state->data);
        if (sp_store_find_city(im->st, place, "zip", &where, NULL))
            return field_fail(err, c->city, "city",
                              "is not in the GeoNames city list; give latitude and longitude");
        c->vlat = where.lat;
        c->vlon = where.lon;
    }
    sqlite3_bind_text(im->insert, 1, id, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(im->insert, 2, sp_specialty_code(c->s), -1, SQLITE_STATIC);
    sqlite3_bind_text(im->insert, 3, c->inst->data, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(im->insert, 4, c->city->data, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(im->insert, 5, c->state->data, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int(im->insert, 6, c->vnew);
    sqlite3_bind_int(im->insert, 7, c->vosteo);
    sqlite3_bind_double(im->insert, 9, c->vlat);
    sqlite3_bind_double(im->insert, 10, c->vlon);
    sqlite3_bind_text(im->insert, 11, c->lat ? "user" : "geonames_city_centroid", -1,
                      SQLITE_STATIC);
    im->stats->added++;
    return step_done(im, im->insert, rec->line, err);
}

/* An existing program: override only what the row gives. */
static int core_update(struct import *im, const struct sp_csv_record *rec, const struct core_row *c,
                       const char *id, bool *changed, struct sp_err *err)
{
    int rc;

    if (!c->inst && !c->city && !c->state && !c->lat && !c->newp && !c->osteo)
        return 0;
    sqlite3_bind_text(im->update, 1, id, -1, SQLITE_TRANSIENT);
    sp_store__bind_text_or_null(im->update, 2, c->inst ? c->inst->data : NULL);
    sp_store__bind_text_or_null(im->update, 3, c->city ? c->city->data : NULL);
    sp_store__bind_text_or_null(im->update, 4, c->state ? c->state->data : NULL);
    if (c->lat) {
        sqlite3_bind_double(im->update, 5, c->vlat);
        sqlite3_bind_double(im->update, 6, c->vlon);
    } else {
        sqlite3_bind_null(im->update, 5);
        sqlite3_bind_null(im->update, 6);
    }
    if (c->newp)
        sqlite3_bind_int(im->update, 7, c->vnew);
    else
        sqlite3_bind_null(im->update, 7);
    if (c->osteo)
        sqlite3_bind_int(im->update, 8, c->vosteo);
    else
        sqlite3_bind_null(im->update, 8);
    rc = step_done(im, im->update, rec->line, err);
    if (!rc && sqlite3_changes(im->st->db) > 0)
        *changed = true;
    return rc;
}

static int import_core(struct import *im, const struct sp_csv_record *rec, const char *id,
                       bool exists, const char *old_specialty, bool *changed,
                       struct sp_err *err)
{
    struct core_row c = {
        .spec = core_field(im, rec, COL_SPECIALTY),
        .inst = core_field(im, rec, COL_INSTITUTION),
        .city = core_field(im, rec, COL_CITY),
        .state = core_field(im, rec, COL_STATE),
        .lat = core_field(im, rec, COL_LATITUDE),
        .lon = core_field(im, rec, COL_LONGITUDE),
        .newp = core_field(im, rec, COL_NEW_PROGRAM),
        .osteo = core_field(im, rec, COL_OSTEOPATHIC),
        .s = SP_SPEC_IR,
    };
    int rc;

    if ((rc = core_check(im, &c, id, exists, old_specialty, err)))
        return rc;
    if (!exists)
        return core_insert(im, rec, &c, id, err);
    return core_update(im, rec, &c, id, changed, err);
}

static int import_row(struct import *im, const struct sp_csv_record *rec, struct sp_err *err)
{
    const struct sp_csv_field *idf = &rec->fields[im->cols.core[COL_ACGME_ID]];
    char old_specialty[16] = "";
    bool exists, touched = false;
    int rc;

    if (rec->n_fields != im->cols.width)
        return sp_err_set(err, SP_EINVAL, "%u:1: %zu fields, the header has %zu", rec->line,
                          rec->n_fields, im->cols.width);
    if (idf->len != SP_ACGME_ID_LEN || strspn(idf->data, "0123456789") != SP_ACGME_ID_LEN)
        return field_fail(err, idf, "acgme_id", "must be 10 digits");

    sqlite3_bind_text(im->seen, 1, idf->data, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int(im->seen, 2, (int)rec->line);
    rc = sqlite3_step(im->seen);
    sqlite3_reset(im->seen);
    if (rc == SQLITE_CONSTRAINT)
        return field_fail(err, idf, "acgme_id", "appears twice in this file");
    if (rc != SQLITE_DONE)
        return sp_err_set(err, SP_EDB, "%u:1: %s", rec->line, sqlite3_errmsg(im->st->db));

    sqlite3_bind_text(im->find, 1, idf->data, -1, SQLITE_TRANSIENT);
    exists = sqlite3_step(im->find) == SQLITE_ROW;
    if (exists)
        snprintf(old_specialty, sizeof(old_specialty), "%s",
                 (const char *)sqlite3_column_text(im->find, 0));
    sqlite3_reset(im->find);

    rc = import_core(im, rec, idf->data, exists, old_specialty, &touched, err);
    if (rc)
        return rc;
    for (int f = 0; f < SP_FACT_COUNT; f++) {
        const struct sp_csv_field *field;
        double value;
        if (im->cols.fact[f] < 0 || rec->fields[im->cols.fact[f]].len == 0)
            continue;
        field = &rec->fields[im->cols.fact[f]];
        rc = sp_program_fact_parse(&value, (enum sp_program_fact)f, field->data, err);
        if (rc) {
            char detail[SP_ERR_MSG_MAX];
            snprintf(detail, sizeof(detail), "%s", err ? err->msg : "");
            return sp_err_set(err, SP_EINVAL, "%u:%u: %s", field->line, field->col, detail);
        }
        sqlite3_bind_text(im->put_fact, 1, idf->data, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(im->put_fact, 2, sp_program_fact_name((enum sp_program_fact)f), -1,
                          SQLITE_STATIC);
        sqlite3_bind_double(im->put_fact, 3, value);
        rc = step_done(im, im->put_fact, rec->line, err);
        if (rc)
            return rc;
        if (sqlite3_changes(im->st->db) > 0)
            touched = true;
    }
    if (exists && touched)
        im->stats->updated++;
    return 0;
}

int sp_store_import_csv(sp_store *st, const char *name, const char *data, size_t len,
                        struct sp_import_stats *stats, struct sp_err *err)
{
    struct import im = {.st = st, .name = name, .stats = stats};
    struct sp_csv csv;
    struct sp_csv_record rec;
    bool in_tx = false;
    int rc;

    memset(stats, 0, sizeof(*stats));
    sp_csv_init(&csv, data, len, 0);
    rc = sp_csv_next(&csv, &rec, err);
    if (rc == 0)
        rc = sp_err_set(err, SP_EINVAL, "1:1: empty file; the first line must name the columns");
    if (rc < 0)
        goto out;
    rc = map_header(&im.cols, &rec, err);
    if (rc)
        goto out;

    rc = sp_store__exec(st, "BEGIN IMMEDIATE", err);
    if (rc)
        goto out;
    in_tx = true;
    rc = sp_store__exec(st,
                        "CREATE TEMP TABLE IF NOT EXISTS import_seen(acgme_id TEXT PRIMARY KEY,"
                        " line INTEGER); DELETE FROM import_seen;",
                        err);
    if (rc ||
        (rc = sp_store__prepare(st, &im.seen, "INSERT INTO import_seen VALUES (?1, ?2)", err)) ||
        (rc = sp_store__prepare(st, &im.find, "SELECT specialty FROM program WHERE acgme_id = ?1",
                                err)) ||
        (rc = sp_store__prepare(
             st, &im.insert,
             "INSERT INTO program(acgme_id, specialty, institution, city, state, new_program,"
             " osteopathic_recognized, id_state_mismatch, latitude, longitude, geo_source,"
             " source) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, 0, ?9, ?10, ?11, 'user')",
             err)) ||
        (rc = sp_store__prepare(
             st, &im.update,
             "UPDATE program SET institution = coalesce(?2, institution),"
             " city = coalesce(?3, city), state = coalesce(?4, state),"
             " latitude = coalesce(?5, latitude), longitude = coalesce(?6, longitude),"
             " geo_source = CASE WHEN ?5 IS NULL THEN geo_source ELSE 'user' END,"
             " new_program = coalesce(?7, new_program),"
             " osteopathic_recognized = coalesce(?8, osteopathic_recognized)"
             " WHERE acgme_id = ?1 AND (institution != coalesce(?2, institution)"
             "  OR city != coalesce(?3, city) OR state != coalesce(?4, state)"
             "  OR abs(latitude - coalesce(?5, latitude)) > 1e-6"
             "  OR abs(longitude - coalesce(?6, longitude)) > 1e-6"
             "  OR new_program != coalesce(?7, new_program)"
             "  OR osteopathic_recognized != coalesce(?8, osteopathic_recognized))",
             err)) ||
        (rc = sp_store__prepare(st, &im.put_fact,
                                "INSERT INTO program_fact(acgme_id, fact, value, source)"
                                " VALUES (?1, ?2, ?3, 'user') ON CONFLICT(acgme_id, fact)"
                                " DO UPDATE SET value = excluded.value, source = 'user'"
                                " WHERE value != excluded.value",
                                err)))
        goto out;
    while ((rc = sp_csv_next(&csv, &rec, err)) == 1) {
        stats->rows++;
        rc = import_row(&im, &rec, err);
        if (rc)
            goto out;
    }
    if (rc == 0)
        rc = sp_store__exec(st, "COMMIT", err);
    if (rc == 0)
        in_tx = false;
out:
    sqlite3_finalize(im.seen);
    sqlite3_finalize(im.find);
    sqlite3_finalize(im.insert);
    sqlite3_finalize(im.update);
    sqlite3_finalize(im.put_fact);
    if (in_tx)
        sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
    sp_csv_release(&csv);
    if (rc < 0) {
        sp_err_prefix(err, name, ":");
        return rc;
    }
    return 0;
}
