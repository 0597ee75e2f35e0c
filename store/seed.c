/*
 * Seeding: the bundled CSVs (data/ files, embedded in the binary) into the tables,
 * each with the schema migration that brings it (a database made before a file was
 * bundled gets it when it migrates). Columns are matched by header name, so the
 * files may gain columns without breaking older builds.
 */
#include "store_internal.h"

#include "bundled.h"
#include "sp_csv.h"

#include <stdio.h>
#include <string.h>

#include "banned.h"

#define SEED_MAX_COLUMNS 16

struct seed_table {
    int version; /* seeded by the migration to this schema version */
    const char *file;
    const char *sql; /* parameters ?1..?n bound from columns[] in order */
    const char *columns[SEED_MAX_COLUMNS];
};

/* Order matters: programs look their specialty up in the specialty table. */
static const struct seed_table seeds[] = {
    {1, "census_divisions.csv",
     "INSERT INTO state_division(state, division, region) VALUES (?1, ?2, ?3)",
     {"state", "division", "region"}},
    {1, "specialties.csv",
     "INSERT INTO specialty(code, acgme_code, name, tracks, patient_contact, procedural,"
     " imaging, lifestyle, income, ir_pathway, ir_pathway_note, pros, cons)"
     " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
     {"code", "acgme_code", "name", "tracks", "patient_contact", "procedural", "imaging",
      "lifestyle", "income", "ir_pathway", "ir_pathway_note", "pros", "cons"}},
    {1, "specialty_facts.csv",
     "INSERT INTO specialty_fact(code, metric, value, unit, applicant_type, year, source_url)"
     " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
     {"code", "metric", "value", "unit", "applicant_type", "year", "source_url"}},
    {1, "fees.csv",
     "INSERT INTO fee(service, scope, from_n, to_n, fee_usd, season, effective, source_url)"
     " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
     {"service", "scope", "from_n", "to_n", "fee_usd", "season", "effective", "source_url"}},
    {1, "programs.csv",
     "INSERT INTO program(acgme_id, specialty, institution, city, state, new_program,"
     " osteopathic_recognized, id_state_mismatch, latitude, longitude, geo_source, source)"
     " VALUES (?1, (SELECT code FROM specialty WHERE acgme_code = ?2), ?3, ?4, ?5, ?6, ?7,"
     " ?8, ?9, ?10, ?11, 'eras2026')",
     {"acgme_id", "specialty_code", "institution", "city", "state", "new_program",
      "osteopathic_recognized", "id_state_code_mismatch", "latitude", "longitude", "geo_source"}},
    {1, "esir.csv",
     "INSERT INTO program_fact(acgme_id, fact, value, source)"
     " VALUES (?1, 'esir', ?2, 'documented')",
     {"acgme_id", "esir"}},
    /* Dollars in the file, millions in the fact; CAST, since every column is bound as text.
     * The program must exist (foreign key), so a stray ID fails the seed. OR IGNORE: a
     * database migrating to 3 keeps a value its user imported. */
    {3, "school_nih.csv",
     "INSERT OR IGNORE INTO program_fact(acgme_id, fact, value, source)"
     " VALUES (?1, 'school_nih_musd', CAST(?2 AS REAL) / 1e6, 'published')",
     {"acgme_id", "school_nih_usd_fy2024"}},
    {1, "zip_centroids.csv",
     "INSERT INTO zip(zip, city, state, latitude, longitude) VALUES (?1, ?2, ?3, ?4, ?5)",
     {"zip", "city", "state", "latitude", "longitude"}},
    {1, "city_centroids.csv",
     "INSERT INTO city(city, state, latitude, longitude) VALUES (?1, ?2, ?3, ?4)",
     {"city", "state", "latitude", "longitude"}},
};

static int seed_one(sp_store *st, const struct seed_table *t, struct sp_err *err)
{
    struct sp_bundled_file bundled;
    const struct sp_bundled_file *file = sp_bundled_find(&bundled, t->file) ? NULL : &bundled;
    struct sp_csv csv;
    struct sp_csv_record rec;
    sqlite3_stmt *stmt = NULL;
    int map[SEED_MAX_COLUMNS];
    int n_cols = 0;
    int rc;

    if (!file)
        return sp_err_set(err, SP_EIO, "bundled %s: missing from this build", t->file);
    sp_csv_init(&csv, file->data, file->len, 0);
    rc = sp_csv_next(&csv, &rec, err);
    if (rc <= 0) {
        if (rc == 0)
            rc = sp_err_set(err, SP_EINVAL, "1:1: empty file");
        goto out;
    }
    for (; n_cols < SEED_MAX_COLUMNS && t->columns[n_cols]; n_cols++) {
        map[n_cols] = -1;
        for (size_t i = 0; i < rec.n_fields; i++) {
            if (strcmp(rec.fields[i].data, t->columns[n_cols]) == 0)
                map[n_cols] = (int)i;
        }
        if (map[n_cols] < 0) {
            rc = sp_err_set(err, SP_EINVAL, "1:1: missing column '%s'", t->columns[n_cols]);
            goto out;
        }
    }
    size_t width = rec.n_fields;
    rc = sp_store__prepare(st, &stmt, t->sql, err);
    if (rc)
        goto out;
    while ((rc = sp_csv_next(&csv, &rec, err)) == 1) {
        if (rec.n_fields != width) {
            rc = sp_err_set(err, SP_EINVAL, "%u:1: %zu fields, header has %zu", rec.line,
                            rec.n_fields, width);
            goto out;
        }
        sqlite3_reset(stmt);
        for (int c = 0; c < n_cols; c++)
            sp_store__bind_text_or_null(stmt, c + 1, rec.fields[map[c]].data);
        if (sqlite3_step(stmt) != SQLITE_DONE) {
            rc = sp_err_set(err, SP_EDB, "%u:1: %s", rec.line, sqlite3_errmsg(st->db));
            goto out;
        }
    }
out:
    if (rc < 0) {
        char prefix[64];
        snprintf(prefix, sizeof(prefix), "bundled data/%s", t->file);
        sp_err_prefix(err, prefix, ":");
    }
    sqlite3_finalize(stmt);
    sp_csv_release(&csv);
    return rc < 0 ? rc : 0;
}

int sp_store__seed(sp_store *st, int version, struct sp_err *err)
{
    for (size_t i = 0; i < sizeof(seeds) / sizeof(seeds[0]); i++) {
        int rc = seeds[i].version == version ? seed_one(st, &seeds[i], err) : 0;
        if (rc)
            return rc;
    }
    if (version != 1)
        return 0;
    return sp_store__exec(st,
                          "INSERT INTO meta(key, value) VALUES ('seeded_at',"
                          " strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))",
                          err);
}
