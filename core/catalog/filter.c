/*
 * Program selection for the browser and the planner: specialty, state, division,
 * radius, flags; then a stable, deterministic sort.
 */
#include "smartpick/catalog/filter.h"

#include "sp_alloc.h"
#include "sp_str.h"

#include <stdlib.h>
#include <string.h>

#include "banned.h"

static bool state_wanted(const struct sp_filter *f, const char *state)
{
    if (!f->n_states)
        return true;
    for (size_t i = 0; i < f->n_states; i++) {
        if (sp_str_eqi(f->states[i], state))
            return true;
    }
    return false;
}

static bool known_true(const struct sp_fact *fact)
{
    return fact->source != SP_SRC_NONE && fact->value > 0;
}

static bool wanted(const struct sp_filter *f, const struct sp_program *p)
{
    if (f->specialties && !(f->specialties & (1u << p->specialty)))
        return false;
    if (!state_wanted(f, p->state))
        return false;
    if (f->divisions && !(f->divisions & (1u << p->division)))
        return false;
    if (f->esir_only && !known_true(&p->facts[SP_FACT_ESIR]))
        return false;
    if (f->new_only && !p->new_program)
        return false;
    if (f->do_friendly && !p->osteopathic_recognized && !known_true(&p->facts[SP_FACT_PCT_DO]))
        return false;
    return true;
}

static int cmp_id(const struct sp_program_hit *a, const struct sp_program_hit *b)
{
    return strcmp(a->program->acgme_id, b->program->acgme_id);
}

static int cmp_name(const void *va, const void *vb)
{
    const struct sp_program_hit *a = va, *b = vb;
    int c = sp_str_casecmp(a->program->institution, b->program->institution);

    return c ? c : cmp_id(a, b);
}

static int cmp_distance(const void *va, const void *vb)
{
    const struct sp_program_hit *a = va, *b = vb;

    if (a->distance_miles != b->distance_miles)
        return a->distance_miles < b->distance_miles ? -1 : 1;
    return cmp_id(a, b);
}

static int cmp_state(const void *va, const void *vb)
{
    const struct sp_program_hit *a = va, *b = vb;
    int c = strcmp(a->program->state, b->program->state);

    if (!c)
        c = sp_str_casecmp(a->program->city, b->program->city);
    if (!c)
        c = sp_str_casecmp(a->program->institution, b->program->institution);
    return c ? c : cmp_id(a, b);
}

int sp_filter_run(struct sp_program_hit **hits_out, size_t *n_out, const sp_catalog *cat,
                  const struct sp_filter *f, struct sp_err *err)
{
    size_t n_all, n = 0;
    const struct sp_program *all = sp_catalog_programs(cat, &n_all);
    struct sp_program_hit *hits;

    *hits_out = NULL;
    *n_out = 0;
    if (f->radius_miles < 0)
        return sp_err_at(err, SP_EINVAL, SP_WHY_INVALID, "radius", ": %g must be >= 0",
                         f->radius_miles);
    if (f->radius_miles > 0 && !f->has_origin)
        return sp_err_at(err, SP_EINVAL, SP_WHY_INVALID, "radius",
                         ": needs a place to measure from");
    if (f->sort == SP_SORT_DISTANCE && !f->has_origin)
        return sp_err_at(err, SP_EINVAL, SP_WHY_INVALID, "sort",
                         ": 'distance' needs a place to measure from");

    hits = sp_xcalloc(n_all, sizeof(*hits));
    for (size_t i = 0; i < n_all; i++) {
        const struct sp_program *p = &all[i];
        double d = -1;
        if (!wanted(f, p))
            continue;
        if (f->has_origin) {
            d = sp_distance_miles(f->origin, p->where);
            if (f->radius_miles > 0 && d > f->radius_miles)
                continue;
        }
        hits[n].program = p;
        hits[n].distance_miles = d;
        n++;
    }
    /* The catalog is already in ID order. */
    if (f->sort == SP_SORT_NAME)
        qsort(hits, n, sizeof(*hits), cmp_name);
    else if (f->sort == SP_SORT_DISTANCE)
        qsort(hits, n, sizeof(*hits), cmp_distance);
    else if (f->sort == SP_SORT_STATE)
        qsort(hits, n, sizeof(*hits), cmp_state);
    *hits_out = hits;
    *n_out = n;
    return 0;
}
