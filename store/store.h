/*
 * store.h - SmartPick's SQLite store: the catalog, geography, specialty facts,
 * and (later) saved profiles and plans.
 *
 * sp_store_open() creates the database on first use from the CSVs bundled in the
 * binary, and brings older schemas up to date (PRAGMA user_version migrations,
 * each in one transaction). WAL mode. One handle per thread.
 */
#ifndef SP_STORE_H
#define SP_STORE_H

#include "smartpick/catalog/catalog.h"
#include "smartpick/error.h"
#include "smartpick/catalog/facts.h"
#include "smartpick/catalog/geo.h"
#include "smartpick/plan/fees.h"

#include <stddef.h>
#include <stdint.h>

typedef struct sp_store sp_store;

/* The schema version this build writes. */
#define SP_STORE_SCHEMA_VERSION 3

/* Open (creating and filling if new) the database at path. *out owned by the caller. */
int sp_store_open(sp_store **out, const char *path, struct sp_err *err);
void sp_store_close(sp_store *st);

/* The whole catalog, frozen. *out owned by the caller (sp_catalog_free). */
int sp_store_load_catalog(sp_store *st, sp_catalog **out, struct sp_err *err);

/* Specialty figures and profiles. *out owned by the caller (sp_facts_free). */
int sp_store_load_facts(sp_store *st, sp_facts **out, struct sp_err *err);

/* Centroid of "City, ST" (case-insensitive). SP_ENOTFOUND with suggestions in err;
 * when no city is close, the message points to the ZIP option, named zip_name as the
 * caller spells it ("--zip" on the command line, "zip" in the API). */
int sp_store_find_city(sp_store *st, const char *city_state, const char *zip_name,
                       struct sp_point *out, struct sp_err *err);
/* Whether state is a US state code (case-insensitive; the census table: 50 states, DC, PR);
 * SP_EINVAL naming field and the value otherwise. */
int sp_store_check_state(sp_store *st, const char *field, const char *state, struct sp_err *err);
/* Centroid of a 5-digit ZIP. SP_ENOTFOUND (with nearby ZIPs suggested) or SP_EINVAL. */
int sp_store_find_zip(sp_store *st, const char *zip, struct sp_point *out, struct sp_err *err);

/* Fee schedules from the fee table (data/fees.csv) into *out, which should hold
 * sp_fees_default() first: rows present replace the defaults. */
int sp_store_load_fees(sp_store *st, struct sp_fees *out, struct sp_err *err);

/* Centroid of a state's ZIP centroids (a stand-in for "home" when measuring). */
int sp_store_state_centroid(sp_store *st, const char *state, struct sp_point *out,
                            struct sp_err *err);

struct sp_import_stats {
    size_t rows;    /* data rows read */
    size_t added;   /* programs new to the catalog */
    size_t updated; /* existing programs whose values were overridden */
};

/* Import a user's program CSV (schema in docs/DATA.md) in one transaction: either
 * every row is applied or none is. name is used in messages ("name:line:col: ..."). */
int sp_store_import_csv(sp_store *st, const char *name, const char *data, size_t len,
                        struct sp_import_stats *stats, struct sp_err *err);

/* ---- saved profiles and plans (store/saved.c) ----
 *
 * Rows with timestamps; each write is one transaction, so a process killed
 * mid-write leaves either the whole row or none of it. The JSON texts are stored
 * as given (the caller validated them). Lists are newest first. */

#define SP_SAVED_NAME_MAX 120 /* bytes */

struct sp_saved_item {
    int64_t id;
    char name[SP_SAVED_NAME_MAX + 1];
    char created_at[24]; /* UTC, "2026-11-28T09:30:00Z" */
    char updated_at[24]; /* profiles; a plan's is its created_at */
    double p_match_any;  /* plans only */
    double cost_usd;     /* plans only */
    int n_programs;      /* plans only */
};

/* A plan to save: every pointer borrowed for the call. */
struct sp_saved_plan {
    const char *name;
    const char *profile_json;
    const char *options_json;
    const char *plan_json;
    double p_match_any;
    double cost_usd;
    int n_programs;
};

/* Save a profile; *out gets its id, name and timestamps. SP_EINVAL when name is
 * not 1 to SP_SAVED_NAME_MAX bytes, SP_EDB when the database refuses. */
int sp_store_profile_save(sp_store *st, const char *name, const char *profile_json,
                          struct sp_saved_item *out, struct sp_err *err);
/* Every saved profile, newest first. *out malloc'd (free() it; NULL when none). */
int sp_store_profile_list(sp_store *st, struct sp_saved_item **out, size_t *n_out,
                          struct sp_err *err);
/* One profile; *profile_json malloc'd, owned by the caller. SP_ENOTFOUND. */
int sp_store_profile_get(sp_store *st, int64_t id, struct sp_saved_item *item, char **profile_json,
                         struct sp_err *err);
/* Delete one profile. SP_ENOTFOUND when there is no such id. */
int sp_store_profile_delete(sp_store *st, int64_t id, struct sp_err *err);

/* Save a plan with the profile and options it was computed from, in one
 * transaction. Same errors as sp_store_profile_save(). */
int sp_store_plan_save(sp_store *st, const struct sp_saved_plan *in, struct sp_saved_item *out,
                       struct sp_err *err);
/* Every saved plan (no texts), newest first. *out malloc'd (free() it). */
int sp_store_plan_list(sp_store *st, struct sp_saved_item **out, size_t *n_out, struct sp_err *err);
/* One plan; the three texts malloc'd, owned by the caller. SP_ENOTFOUND. */
int sp_store_plan_get(sp_store *st, int64_t id, struct sp_saved_item *item, char **profile_json,
                      char **options_json, char **plan_json, struct sp_err *err);
/* Delete one plan. SP_ENOTFOUND when there is no such id. */
int sp_store_plan_delete(sp_store *st, int64_t id, struct sp_err *err);

#endif
