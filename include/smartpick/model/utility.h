/*
 * smartpick/model/utility.h - what a program is worth to a student (docs/OPTIMIZER.md):
 * the specialty's weight in the student's order times the program's fit. The planner's
 * objective, the reference applicant's typical list and the simulator's applicants all
 * weigh programs by it. Pure; no allocation.
 */
#ifndef SMARTPICK_MODEL_UTILITY_H
#define SMARTPICK_MODEL_UTILITY_H

#include "smartpick/catalog/catalog.h"
#include "smartpick/model/model.h"
#include "smartpick/model/profile.h"

#include <stddef.h>

/* The geography part of a program's fit, named once: the simulator's vector loops
 * (core/sim/sim_draw.c) use the single-precision copies SP_FIT_*_F of the same values. */
#define SP_FIT_BASE 0.88     /* any program */
#define SP_FIT_DIVISION 0.05 /* in one of the student's preferred Census divisions */
#define SP_FIT_IN_STATE 0.03 /* in the student's home or school state */
#define SP_FIT_TIES 0.02     /* the home program or an away rotation */
#define SP_FIT_BASE_F 0.88f
#define SP_FIT_DIVISION_F 0.05f
#define SP_FIT_IN_STATE_F 0.03f

/* Utility of a program for this student (docs/OPTIMIZER.md): specialty preference
 * weight times program fit. */
double sp_utility_program(const struct sp_profile *p, const struct sp_program *prog,
                       size_t specialty_rank);

/* The part of a program's fit that geography sets (0.88, +0.05 in a preferred
 * division, +0.03 in state, +0.02 home or away): a student with no other
 * preference's fit, as the reference applicant's typical list weighs programs. The
 * simulator's vector loops (core/sim/sim_draw.c, core/sim/sim_rep.c) spell the same values in
 * single precision. */
double sp_utility_fit_geography(const struct sp_program_effects *fx);

#endif
