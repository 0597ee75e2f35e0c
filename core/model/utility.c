/*
 * What a program is worth to a student: the specialty's weight in the student's order
 * times the program's fit (geography, program type, ESIR). docs/OPTIMIZER.md.
 */
#include "smartpick/model/utility.h"

#include "banned.h"

/* Weight of the specialty ranked r in the student's order (docs/OPTIMIZER.md). */
static double rank_weight(size_t r)
{
    static const double w[] = {1.0, 0.8, 0.65, 0.55};

    return r < sizeof(w) / sizeof(w[0]) ? w[r] : 0.5;
}

double sp_utility_fit_geography(const struct sp_program_effects *fx)
{
    double fit = SP_FIT_BASE;

    if (fx->geo)
        fit += SP_FIT_DIVISION;
    if (fx->in_state)
        fit += SP_FIT_IN_STATE;
    if (fx->home || fx->away)
        fit += SP_FIT_TIES;
    return fit;
}

double sp_utility_program(const struct sp_profile *p, const struct sp_program *prog,
                       size_t specialty_rank)
{
    struct sp_program_effects fx;
    const struct sp_fact *type = &prog->facts[SP_FACT_PROGRAM_TYPE];
    const struct sp_fact *esir = &prog->facts[SP_FACT_ESIR];
    double fit;

    sp_model_program_effects(&fx, p, prog);
    fit = sp_utility_fit_geography(&fx);
    if (p->program_type != SP_PREF_ANY && type->source != SP_SRC_NONE)
        fit += ((p->program_type == SP_PREF_ACADEMIC) == (type->value > 0)) ? 0.02 : -0.05;
    if (prog->specialty == SP_SPEC_DR && p->esir_wanted && esir->source != SP_SRC_NONE &&
        esir->value > 0)
        fit += 0.03;
    return rank_weight(specialty_rank) * (fit < 1.0 ? fit : 1.0);
}
