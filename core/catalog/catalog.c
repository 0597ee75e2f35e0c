/*
 * The in-memory program catalog: an array sorted by ACGME ID plus one index per
 * specialty. Built by the store layer, then frozen and shared read-only.
 */
#include "smartpick/catalog/catalog.h"

#include "sp_alloc.h"
#include "sp_arena.h"
#include "sp_names.h"
#include "sp_str.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "banned.h"

struct sp_catalog {
    struct sp_program *programs;
    size_t n_programs;
    size_t cap_programs;
    const struct sp_program **by_spec[SP_SPEC_COUNT];
    size_t n_by_spec[SP_SPEC_COUNT];
    struct sp_arena strings;
    bool frozen;
};

static const char *const source_names[] = {
    [SP_SRC_NONE] = "none",         [SP_SRC_ERAS2026] = "eras2026",
    [SP_SRC_DOCUMENTED] = "documented", [SP_SRC_ESTIMATED] = "estimated",
    [SP_SRC_USER] = "user",         [SP_SRC_PUBLISHED] = "published",
};

/* sp_source_name() and sp_source_parse(). */
SP_NAME_TABLE(sp_source, enum sp_source, source_names, 0, SP_SRC_PUBLISHED + 1, "none")

enum fact_kind { KIND_NUMBER, KIND_BOOL, KIND_LABEL };

static const struct {
    const char *name;
    enum fact_kind kind;
    double min, max;
    bool integer;
    const char *labels[3]; /* KIND_LABEL: value i is labels[i] */
} facts[SP_FACT_COUNT] = {
    [SP_FACT_POSITIONS] = {"positions", KIND_NUMBER, 0, 1000, true, {NULL}},
    [SP_FACT_PROGRAM_TYPE] = {"program_type", KIND_LABEL, 0, 1, true, {"community", "academic"}},
    [SP_FACT_ESIR] = {"esir", KIND_BOOL, 0, 1, true, {NULL}},
    [SP_FACT_MEDIAN_STEP2] = {"median_step2", KIND_NUMBER, 200, 300, false, {NULL}},
    [SP_FACT_PCT_IMG] = {"pct_img", KIND_NUMBER, 0, 100, false, {NULL}},
    [SP_FACT_PCT_DO] = {"pct_do", KIND_NUMBER, 0, 100, false, {NULL}},
    [SP_FACT_VISA] = {"visa_sponsorship", KIND_LABEL, 0, 2, true, {"none", "j1", "j1_h1b"}},
    [SP_FACT_SIGNALS] = {"signals_accepted", KIND_BOOL, 0, 1, true, {NULL}},
    [SP_FACT_SCHOOL_NIH] = {"school_nih_musd", KIND_NUMBER, 0, 5000, false, {NULL}},
};

const char *sp_program_fact_name(enum sp_program_fact f)
{
    return (unsigned)f < SP_FACT_COUNT ? facts[f].name : "?";
}

int sp_program_fact_lookup(enum sp_program_fact *out, const char *name)
{
    for (unsigned i = 0; i < SP_FACT_COUNT; i++) {
        if (strcmp(name, facts[i].name) == 0) {
            *out = (enum sp_program_fact)i;
            return 0;
        }
    }
    return SP_ENOTFOUND;
}

bool sp_program_fact_is_bool(enum sp_program_fact f)
{
    return (unsigned)f < SP_FACT_COUNT && facts[f].kind == KIND_BOOL;
}

int sp_program_fact_parse(double *out, enum sp_program_fact f, const char *text,
                          struct sp_err *err)
{
    const char *name = sp_program_fact_name(f);
    double v;

    if ((unsigned)f >= SP_FACT_COUNT)
        return sp_err_set(err, SP_EINVAL, "unknown fact %d", (int)f);
    switch (facts[f].kind) {
    case KIND_BOOL:
        if (sp_str_eqi(text, "yes") || sp_str_eqi(text, "true") || strcmp(text, "1") == 0) {
            *out = 1;
            return 0;
        }
        if (sp_str_eqi(text, "no") || sp_str_eqi(text, "false") || strcmp(text, "0") == 0) {
            *out = 0;
            return 0;
        }
        return sp_err_set(err, SP_EINVAL, "%s: '%s' must be yes or no", name, text);
    case KIND_LABEL:
        for (int i = 0; i < 3 && facts[f].labels[i]; i++) {
            if (sp_str_eqi(text, facts[f].labels[i])) {
                *out = i;
                return 0;
            }
        }
        return sp_err_set(err, SP_EINVAL, "%s: '%s' must be one of %s, %s%s%s", name, text,
                          facts[f].labels[0], facts[f].labels[1], facts[f].labels[2] ? ", " : "",
                          facts[f].labels[2] ? facts[f].labels[2] : "");
    case KIND_NUMBER:
        break;
    }
    if (sp_parse_double(&v, text))
        return sp_err_set(err, SP_EINVAL, "%s: '%s' must be a number", name, text);
    if (facts[f].integer && v != (double)(long)v)
        return sp_err_set(err, SP_EINVAL, "%s: '%s' must be a whole number", name, text);
    if (v < facts[f].min || v > facts[f].max)
        return sp_err_set(err, SP_ERANGE, "%s: '%s' must be between %g and %g", name, text,
                          facts[f].min, facts[f].max);
    *out = v;
    return 0;
}

/* Numbers get 10 significant digits, as the JSON renderer's reals: "%g" (6) cut 571.755774
 * to 571.756, so an exported CSV imported back changed the value and relabelled it 'user'. */
const char *sp_program_fact_format(char *buf, size_t cap, enum sp_program_fact f, double value)
{
    long i = (long)value;

    if ((unsigned)f >= SP_FACT_COUNT)
        snprintf(buf, cap, "?");
    else if (facts[f].kind == KIND_BOOL)
        snprintf(buf, cap, "%s", value > 0 ? "yes" : "no");
    else if (facts[f].kind == KIND_LABEL && i >= 0 && i < 3 && facts[f].labels[i])
        snprintf(buf, cap, "%s", facts[f].labels[i]);
    else
        snprintf(buf, cap, "%.10g", value);
    return buf;
}

sp_catalog *sp_catalog_new(void)
{
    return sp_xcalloc(1, sizeof(sp_catalog));
}

void sp_catalog_free(sp_catalog *cat)
{
    if (!cat)
        return;
    for (int s = 0; s < SP_SPEC_COUNT; s++)
        free(cat->by_spec[s]);
    free(cat->programs);
    sp_arena_release(&cat->strings);
    free(cat);
}

static bool valid_id(const char *id)
{
    size_t i;

    for (i = 0; id[i]; i++) {
        if (!isdigit((unsigned char)id[i]))
            return false;
    }
    return i == SP_ACGME_ID_LEN;
}

int sp_catalog_add(sp_catalog *cat, const struct sp_program *p, struct sp_err *err)
{
    struct sp_program *dst;

    if (cat->frozen)
        return sp_err_set(err, SP_EINVAL, "catalog is frozen");
    if (!valid_id(p->acgme_id))
        return sp_err_set(err, SP_EINVAL, "acgme_id: '%s' must be 10 digits", p->acgme_id);
    if ((unsigned)p->specialty >= SP_SPEC_COUNT)
        return sp_err_set(err, SP_EINVAL, "specialty: %d is not one of the nine",
                          (int)p->specialty);
    SP_GROW(cat->programs, cat->cap_programs, cat->n_programs + 1);
    dst = &cat->programs[cat->n_programs++];
    *dst = *p;
    dst->institution = sp_arena_strdup(&cat->strings, p->institution ? p->institution : "");
    dst->city = sp_arena_strdup(&cat->strings, p->city ? p->city : "");
    return 0;
}

static int by_id(const void *a, const void *b)
{
    return strcmp(((const struct sp_program *)a)->acgme_id,
                  ((const struct sp_program *)b)->acgme_id);
}

int sp_catalog_freeze(sp_catalog *cat, struct sp_err *err)
{
    if (cat->frozen)
        return 0;
    if (cat->n_programs)
        qsort(cat->programs, cat->n_programs, sizeof(*cat->programs), by_id);
    for (size_t i = 1; i < cat->n_programs; i++) {
        if (strcmp(cat->programs[i - 1].acgme_id, cat->programs[i].acgme_id) == 0)
            return sp_err_set(err, SP_EINVAL, "acgme_id: '%s' appears twice",
                              cat->programs[i].acgme_id);
    }
    for (size_t i = 0; i < cat->n_programs; i++)
        cat->n_by_spec[cat->programs[i].specialty]++;
    for (int s = 0; s < SP_SPEC_COUNT; s++) {
        cat->by_spec[s] = sp_xcalloc(cat->n_by_spec[s], sizeof(*cat->by_spec[s]));
        cat->n_by_spec[s] = 0;
    }
    for (size_t i = 0; i < cat->n_programs; i++) {
        const struct sp_program *p = &cat->programs[i];
        cat->by_spec[p->specialty][cat->n_by_spec[p->specialty]++] = p;
    }
    cat->frozen = true;
    return 0;
}

const struct sp_program *sp_catalog_programs(const sp_catalog *cat, size_t *n_out)
{
    *n_out = cat->frozen ? cat->n_programs : 0;
    return cat->programs;
}

const struct sp_program *const *sp_catalog_by_specialty(const sp_catalog *cat,
                                                        enum sp_specialty s, size_t *n_out)
{
    if (!cat->frozen || (unsigned)s >= SP_SPEC_COUNT) {
        *n_out = 0;
        return NULL;
    }
    *n_out = cat->n_by_spec[s];
    return cat->by_spec[s];
}

const struct sp_program *sp_catalog_find(const sp_catalog *cat, const char *acgme_id)
{
    struct sp_program key;
    size_t len = strlen(acgme_id);

    if (!cat->frozen || len != SP_ACGME_ID_LEN)
        return NULL;
    memcpy(key.acgme_id, acgme_id, len + 1);
    return bsearch(&key, cat->programs, cat->n_programs, sizeof(key), by_id);
}
