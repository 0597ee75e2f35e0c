/*
 * Backup-specialty fit: how well each specialty serves the student's values as a
 * standalone career, and how well it leads toward IR, with the student's odds.
 */
#include "smartpick/model/fit.h"

#include <stdlib.h>
#include <string.h>

#include "banned.h"

/* SmartPick's encoding of each IR pathway's strength (docs/MODEL.md). */
static const struct {
    const char *pathway;
    double score;
} pathways[] = {
    {"direct", 1.0},         {"esir_independent", 0.9}, {"endovascular", 0.6},
    {"neurointerventional", 0.5}, {"fellowship", 0.4},  {"tangential", 0.1},
};

double sp_fit_pathway_score(const char *pathway)
{
    for (size_t i = 0; i < sizeof(pathways) / sizeof(pathways[0]); i++) {
        if (strcmp(pathway, pathways[i].pathway) == 0)
            return pathways[i].score;
    }
    return 0;
}

double sp_fit_standalone_score(const struct sp_profile *p, const struct sp_specialty_profile *s)
{
    const int want[5] = {p->value_patient_contact, p->value_procedural, p->value_imaging,
                         p->value_lifestyle, p->value_income};
    const int have[5] = {s->patient_contact, s->procedural, s->imaging, s->lifestyle, s->income};
    double num = 0, den = 0;

    /* Weighted mean of what the specialty offers (1-5 -> 0-1) on each dimension,
     * weighted by how much the student cares about it. */
    for (int d = 0; d < 5; d++) {
        num += want[d] * (have[d] - 1) / 4.0;
        den += want[d];
    }
    return den > 0 ? num / den : 0;
}

static int by_fit(const void *a, const void *b)
{
    const struct sp_fit_row *x = a, *y = b;

    if (x->fit_score != y->fit_score)
        return x->fit_score < y->fit_score ? 1 : -1;
    return (int)x->code - (int)y->code;
}

size_t sp_fit(struct sp_fit_row *out, const sp_facts *facts, const struct sp_profile *p,
              const double p_match[SP_SPEC_COUNT])
{
    size_t n = 0;

    for (int k = 0; k < SP_SPEC_COUNT; k++) {
        const struct sp_specialty_profile *sp = sp_facts_profile(facts, (enum sp_specialty)k);
        struct sp_fit_row *r;
        if (k == SP_SPEC_IR || !sp->present)
            continue;
        r = &out[n++];
        r->code = (enum sp_specialty)k;
        r->profile = sp;
        r->standalone_score = sp_fit_standalone_score(p, sp);
        r->ir_pathway_score = sp_fit_pathway_score(sp->ir_pathway);
        r->p_match = p_match[k];
        r->fit_score = SP_FIT_W_STANDALONE * r->standalone_score +
                       SP_FIT_W_PATHWAY * r->ir_pathway_score + SP_FIT_W_MATCH * r->p_match;
    }
    qsort(out, n, sizeof(*out), by_fit);
    return n;
}
