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

#include "smartpick/catalog.h"
#include "smartpick/error.h"
#include "smartpick/facts.h"
#include "smartpick/geo.h"
#include "smartpick/plan.h"

#include <stddef.h>

typedef struct sp_store sp_store;

/* The schema version this build writes. */
#define SP_STORE_SCHEMA_VERSION 1

/* Open (creating and filling if new) the database at path. *out owned by the caller. */
int sp_store_open(sp_store **out, const char *path, struct sp_err *err);
void sp_store_close(sp_store *st);

/* The whole catalog, frozen. *out owned by the caller (sp_catalog_free). */
int sp_store_load_catalog(sp_store *st, sp_catalog **out, struct sp_err *err);

/* Specialty figures and profiles. *out owned by the caller (sp_facts_free). */
int sp_store_load_facts(sp_store *st, sp_facts **out, struct sp_err *err);

/* Centroid of "City, ST" (case-insensitive). SP_ENOTFOUND with suggestions in err. */
int sp_store_find_city(sp_store *st, const char *city_state, struct sp_point *out,
                       struct sp_err *err);
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

#endif
