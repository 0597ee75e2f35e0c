/*
 * smartpick/catalog/facts.h - published specialty figures and SmartPick's qualitative
 * profile of each specialty, with their sources.
 *
 * Built by the store layer from data/specialty_facts.csv and data/specialties.csv;
 * read-only afterwards. All strings are owned by the sp_facts handle.
 */
#ifndef SMARTPICK_FACTS_H
#define SMARTPICK_FACTS_H

#include "smartpick/error.h"
#include "smartpick/catalog/specialty.h"

#include <stddef.h>

#define SP_SPEC_ALL (-1) /* a figure about all specialties */

struct sp_fact_row {
    int specialty;              /* enum sp_specialty, or SP_SPEC_ALL */
    const char *metric;         /* "positions", "step2_matched_median", ... */
    double value;
    const char *unit;           /* "count", "fraction", "score", "odds_ratio", ... */
    const char *applicant_type; /* "all", "us_md", "us_do", "us_img", "non_us_img" */
    int year;
    const char *source_url;
};

/* SmartPick's encoding of a specialty as a career and as a path toward IR. */
struct sp_specialty_profile {
    enum sp_specialty specialty;
    const char *tracks;     /* "categorical", "categorical+advanced", ... */
    int patient_contact;    /* 1..5 */
    int procedural;         /* 1..5 */
    int imaging;            /* 1..5 */
    int lifestyle;          /* 1..5, 5 = best hours */
    int income;             /* 1..5 */
    const char *ir_pathway; /* "direct", "esir_independent", "fellowship", ... */
    const char *ir_pathway_note;
    const char *pros;       /* items separated by "; " */
    const char *cons;
    int present;            /* 0 until loaded */
};

typedef struct sp_facts sp_facts;

sp_facts *sp_facts_new(void);
void sp_facts_free(sp_facts *f);

/* Copy a row (strings included). */
void sp_facts_add(sp_facts *f, const struct sp_fact_row *row);
/* Copy a profile; a second profile for the same specialty replaces the first. */
void sp_facts_set_profile(sp_facts *f, const struct sp_specialty_profile *p);

/* Rows in insertion order. */
const struct sp_fact_row *sp_facts_rows(const sp_facts *f, size_t *n_out);
/* The row for (specialty, metric, applicant_type), or NULL. applicant_type NULL
 * matches any. When several years match, the latest wins. */
const struct sp_fact_row *sp_facts_find(const sp_facts *f, int specialty, const char *metric,
                                        const char *applicant_type);
/* The profile of a specialty (present == 0 if none was loaded). */
const struct sp_specialty_profile *sp_facts_profile(const sp_facts *f, enum sp_specialty s);

#endif
