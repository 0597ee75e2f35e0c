/*
 * smartpick/catalog/catalog.h - the program catalog, in memory.
 *
 * A catalog is built once (by the store layer, from SQLite) with sp_catalog_add(),
 * then frozen; after sp_catalog_freeze() it is read-only and may be shared between
 * threads. Lookups by ACGME ID are O(log n); by specialty, an array in ID order.
 *
 * Optional program facts carry where they came from (enum sp_source), so every
 * figure shown can be traced: a user's import overrides an estimate.
 */
#ifndef SMARTPICK_CATALOG_H
#define SMARTPICK_CATALOG_H

#include "smartpick/error.h"
#include "smartpick/catalog/geo.h"
#include "smartpick/catalog/specialty.h"

#include <stdbool.h>
#include <stddef.h>

enum sp_source {
    SP_SRC_NONE,       /* unknown */
    SP_SRC_ERAS2026,   /* the ERAS 2026 participating-programs list */
    SP_SRC_DOCUMENTED, /* the program's own published page (e.g. ESIR) */
    SP_SRC_ESTIMATED,  /* SmartPick's estimate, documented in docs/DATA.md */
    SP_SRC_USER,       /* imported by the user */
    SP_SRC_PUBLISHED,  /* a public dataset named in docs/DATA.md (e.g. BRIMR's NIH ranking) */
};

/* "none", "eras2026", "documented", "estimated", "user", "published" */
const char *sp_source_name(enum sp_source s);
int sp_source_parse(enum sp_source *out, const char *name);

/* An optional numeric fact and its provenance; source SP_SRC_NONE means unknown. */
struct sp_fact {
    double value;
    enum sp_source source;
};

#define SP_ACGME_ID_LEN 10

/* Optional facts of a program, indexed for uniform handling (import, render). */
enum sp_program_fact {
    SP_FACT_POSITIONS,     /* PGY-1 + PGY-2 positions per year */
    SP_FACT_PROGRAM_TYPE,  /* 1 academic (university), 0 community */
    SP_FACT_ESIR,          /* 1 offers ESIR (DR), 0 does not */
    SP_FACT_MEDIAN_STEP2,  /* median Step 2 CK of matched residents */
    SP_FACT_PCT_IMG,       /* % of residents who are IMGs, 0-100 */
    SP_FACT_PCT_DO,        /* % of residents who are DOs, 0-100 */
    SP_FACT_VISA,          /* 0 none, 1 J-1, 2 J-1 and H-1B */
    SP_FACT_SIGNALS,       /* 1 accepts preference signals, 0 not */
    SP_FACT_SCHOOL_NIH,    /* NIH award dollars of the sponsor's school of medicine, federal
                            * FY2024, millions of USD: a proxy for academic selectivity; unknown
                            * (not low) where the sponsor is not mapped to a school */
    SP_FACT_COUNT
};

/* Column name of a fact in CSV/JSON/SQL ("positions", "program_type", ...). */
const char *sp_program_fact_name(enum sp_program_fact f);

/* The fact whose column name is name; SP_ENOTFOUND if none. */
int sp_program_fact_lookup(enum sp_program_fact *out, const char *name);

/* Parse a user's text for fact f ("academic", "yes", "245", "j1") into *out.
 * SP_EINVAL with err naming the column, the value and the rule. */
int sp_program_fact_parse(double *out, enum sp_program_fact f, const char *text,
                          struct sp_err *err);

/* Format value for display and CSV ("academic", "yes", "245", "571.755774"; numbers to 10
 * significant digits, so an exported CSV imports back unchanged); returns buf. */
const char *sp_program_fact_format(char *buf, size_t cap, enum sp_program_fact f, double value);

/* Whether fact f is yes/no valued (JSON renders it as a boolean). */
bool sp_program_fact_is_bool(enum sp_program_fact f);

struct sp_program {
    char acgme_id[SP_ACGME_ID_LEN + 1];
    enum sp_specialty specialty;
    const char *institution; /* owned by the catalog once added */
    const char *city;
    char state[3];
    enum sp_division division;
    bool new_program;
    bool osteopathic_recognized;
    bool id_state_mismatch;
    struct sp_point where; /* city-level centroid */
    struct sp_fact facts[SP_FACT_COUNT];
};

typedef struct sp_catalog sp_catalog;

sp_catalog *sp_catalog_new(void);
void sp_catalog_free(sp_catalog *cat);

/* Copy *p (and its strings) into the catalog. SP_EINVAL if frozen, or if the ID is
 * not 10 digits; duplicate IDs are caught by sp_catalog_freeze(). */
int sp_catalog_add(sp_catalog *cat, const struct sp_program *p, struct sp_err *err);

/* Build the indexes and make the catalog read-only. SP_EINVAL on a duplicate ID. */
int sp_catalog_freeze(sp_catalog *cat, struct sp_err *err);

/* All programs in ACGME ID order (frozen catalogs only). */
const struct sp_program *sp_catalog_programs(const sp_catalog *cat, size_t *n_out);
/* Programs of one specialty, in ACGME ID order; borrowed pointers. */
const struct sp_program *const *sp_catalog_by_specialty(const sp_catalog *cat,
                                                        enum sp_specialty s, size_t *n_out);
/* The program with this ID, or NULL. */
const struct sp_program *sp_catalog_find(const sp_catalog *cat, const char *acgme_id);

#endif
