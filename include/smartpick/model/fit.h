/*
 * smartpick/model/fit.h - ranking backup specialties for an IR applicant.
 *
 * A good backup serves two goals: a satisfying standalone career (the student's
 * values against SmartPick's profile of the specialty) and a launchpad toward IR
 * (the pathway). fit = 0.4 standalone + 0.3 pathway + 0.3 P(match), all in [0,1].
 */
#ifndef SMARTPICK_FIT_H
#define SMARTPICK_FIT_H

#include "smartpick/catalog/facts.h"
#include "smartpick/model/profile.h"

#define SP_FIT_W_STANDALONE 0.4
#define SP_FIT_W_PATHWAY 0.3
#define SP_FIT_W_MATCH 0.3

struct sp_fit_row {
    enum sp_specialty code;
    double fit_score;
    double standalone_score; /* values met, 0..1 */
    double ir_pathway_score; /* 0..1, SmartPick's encoding of the pathway */
    double p_match;          /* this student's P(match) there */
    const struct sp_specialty_profile *profile; /* borrowed from facts */
};

/* Score of an IR pathway name ("esir_independent" 0.9, ..., "tangential" 0.1). */
double sp_fit_pathway_score(const char *pathway);
double sp_fit_standalone_score(const struct sp_profile *p, const struct sp_specialty_profile *s);

/* The eight backups (every specialty but IR), best fit first. out has room for
 * SP_SPEC_COUNT rows; p_match is indexed by specialty. Returns the count. */
size_t sp_fit(struct sp_fit_row *out, const sp_facts *facts, const struct sp_profile *p,
              const double p_match[SP_SPEC_COUNT]);

#endif
