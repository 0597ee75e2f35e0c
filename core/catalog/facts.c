/*
 * Specialty facts: a flat table of published figures plus one qualitative
 * profile per specialty, owned in one arena.
 */
#include "smartpick/catalog/facts.h"

#include "sp_alloc.h"
#include "sp_arena.h"

#include <stdlib.h>
#include <string.h>

#include "banned.h"

struct sp_facts {
    struct sp_fact_row *rows;
    size_t n_rows;
    size_t cap_rows;
    struct sp_specialty_profile profiles[SP_SPEC_COUNT];
    struct sp_arena strings;
};

sp_facts *sp_facts_new(void)
{
    return sp_xcalloc(1, sizeof(sp_facts));
}

void sp_facts_free(sp_facts *f)
{
    if (!f)
        return;
    free(f->rows);
    sp_arena_release(&f->strings);
    free(f);
}

static const char *dup(sp_facts *f, const char *s)
{
    return sp_arena_strdup(&f->strings, s ? s : "");
}

void sp_facts_add(sp_facts *f, const struct sp_fact_row *row)
{
    struct sp_fact_row *r;

    SP_GROW(f->rows, f->cap_rows, f->n_rows + 1);
    r = &f->rows[f->n_rows++];
    *r = *row;
    r->metric = dup(f, row->metric);
    r->unit = dup(f, row->unit);
    r->applicant_type = dup(f, row->applicant_type);
    r->source_url = dup(f, row->source_url);
}

void sp_facts_set_profile(sp_facts *f, const struct sp_specialty_profile *p)
{
    struct sp_specialty_profile *dst;

    if ((unsigned)p->specialty >= SP_SPEC_COUNT)
        return;
    dst = &f->profiles[p->specialty];
    *dst = *p;
    dst->tracks = dup(f, p->tracks);
    dst->ir_pathway = dup(f, p->ir_pathway);
    dst->ir_pathway_note = dup(f, p->ir_pathway_note);
    dst->pros = dup(f, p->pros);
    dst->cons = dup(f, p->cons);
    dst->present = 1;
}

const struct sp_fact_row *sp_facts_rows(const sp_facts *f, size_t *n_out)
{
    *n_out = f->n_rows;
    return f->rows;
}

const struct sp_fact_row *sp_facts_find(const sp_facts *f, int specialty, const char *metric,
                                        const char *applicant_type)
{
    const struct sp_fact_row *best = NULL;

    for (size_t i = 0; i < f->n_rows; i++) {
        const struct sp_fact_row *r = &f->rows[i];
        if (r->specialty != specialty || strcmp(r->metric, metric) != 0)
            continue;
        if (applicant_type && strcmp(r->applicant_type, applicant_type) != 0)
            continue;
        if (!best || r->year > best->year)
            best = r;
    }
    return best;
}

const struct sp_specialty_profile *sp_facts_profile(const sp_facts *f, enum sp_specialty s)
{
    static const struct sp_specialty_profile none;

    return (unsigned)s < SP_SPEC_COUNT ? &f->profiles[s] : &none;
}
