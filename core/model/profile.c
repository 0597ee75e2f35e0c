/*
 * The applicant profile (smartpick.profile/1) in the core: names of its enums,
 * the defaults a document may leave out and where each comes from, the COMLEX
 * to Step 2 CK estimate, and the rules that tie fields together. Parsing and
 * writing the JSON document is the render layer's job (format/profile_json.c).
 *
 * A default is a population median of the applicant type when one is published
 * (the source is named in the assumption), and otherwise SmartPick's estimate,
 * labelled as such. Defaults never invent strengths: no letters outside the
 * primary specialty, no away rotations, no AOA, no specialty-specific research.
 */
#include "smartpick/model/profile.h"

#include "sp_names.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "banned.h"

#define MATCH_YEAR 2027    /* the catalog's Match year (ERAS 2026 season) */
#define STEP2_PASS 218.0   /* USMLE Step 2 CK passing score, 2026 */
#define COMLEX2_PASS 400.0 /* COMLEX Level 2-CE minimum passing score (NBOME) */
#define COMMON_LETTERS 3   /* letters most applicants send to a specialty */

/*
 * COMLEX -> Step 2 CK: equate z-scores. NBOME gives a first-taker mean of about
 * 520 and an SD of about 100 for Level 2-CE; the Step 2 CK SD is 15 (USMLE). The
 * centre is the DO Step 2 CK median, SmartPick's estimate (below), because the
 * people who sit COMLEX are DO students, not the US MD first takers behind 251.
 */
#define COMLEX2_MEAN 520.0
#define COMLEX2_SD 100.0
#define STEP2_SD 15.0
#define STEP2_DO_MEDIAN 245.0

static const char *const type_names[SP_APP_TYPE_COUNT] = {
    [SP_APP_US_MD] = "us_md",
    [SP_APP_US_DO] = "us_do",
    [SP_APP_US_IMG] = "us_img",
    [SP_APP_NON_US_IMG] = "non_us_img",
};

static const char *const visa_names[] = {
    [SP_VISA_NONE] = "none",
    [SP_VISA_J1] = "j1",
    [SP_VISA_H1B] = "h1b",
};

static const char *const pref_names[] = {
    [SP_PREF_ANY] = "any",
    [SP_PREF_ACADEMIC] = "academic",
    [SP_PREF_COMMUNITY] = "community",
};

/* The 50 states, DC and PR: the states of data/census_divisions.csv. */
static const char states[][3] = {
    "AK", "AL", "AR", "AZ", "CA", "CO", "CT", "DC", "DE", "FL", "GA", "HI", "IA",
    "ID", "IL", "IN", "KS", "KY", "LA", "MA", "MD", "ME", "MI", "MN", "MO", "MS",
    "MT", "NC", "ND", "NE", "NH", "NJ", "NM", "NV", "NY", "OH", "OK", "OR", "PA",
    "PR", "RI", "SC", "SD", "TN", "TX", "UT", "VA", "VT", "WA", "WI", "WV", "WY",
};

/*
 * Per applicant type: the figure a missing field takes and why. "why" names the
 * published source or says "SmartPick estimate"; docs/PROFILE.md has the table.
 */
static const struct type_defaults {
    const char *label; /* as used in "why" */
    double step2;
    const char *step2_why;
    int honors;
    int publications, abstracts, presentations, experiences;
    int years_since_graduation;
    const char *graduation_why;
    enum sp_visa visa;
    const char *visa_why;
    int applications;
    const char *applications_why;
} type_defaults[SP_APP_TYPE_COUNT] = {
    [SP_APP_US_MD] = {"US MD", 251,
                      "mean of US MD first takers, SD 15 (USMLE score guidelines 2025-26)", 2, 1, 1,
                      2, 2, 0, "SmartPick estimate: a senior graduates in the Match year",
                      SP_VISA_NONE, "SmartPick estimate: a US citizen or permanent resident", 58,
                      "mean ERAS applications per US MD applicant, 2025 season (AAMC)"},
    [SP_APP_US_DO] = {"US DO", STEP2_DO_MEDIAN,
                      "SmartPick estimate: no published US DO median; US MD mean 251 less 6", 1, 0,
                      1, 1, 1, 0, "SmartPick estimate: a senior graduates in the Match year",
                      SP_VISA_NONE, "SmartPick estimate: a US citizen or permanent resident", 72,
                      "mean ERAS applications per US DO applicant, 2025 season (AAMC)"},
    [SP_APP_US_IMG] = {"US IMG", 240,
                       "SmartPick estimate: no published US-IMG median; US MD mean 251 less 11", 1,
                       0, 0, 1, 1, 0, "SmartPick estimate: graduates in the Match year",
                       SP_VISA_NONE, "by definition: a US-citizen IMG needs no visa", 129,
                       "mean ERAS applications per IMG applicant, 2025 season (AAMC)"},
    [SP_APP_NON_US_IMG] = {"non-US IMG", 245,
                           "SmartPick estimate between NRMP 2026 non-US IMG medians: 248 matched, "
                           "242 not",
                           0, 1, 0, 1, 1, 2,
                           "SmartPick estimate: applies a median 2 years after graduating",
                           SP_VISA_J1, "SmartPick estimate: most non-US IMGs train on a J-1", 129,
                           "mean ERAS applications per IMG applicant, 2025 season (AAMC)"},
};

/* sp_applicant_type_name/_parse, sp_visa_name/_parse, sp_program_pref_name/_parse. */
SP_NAME_TABLE(sp_applicant_type, enum sp_applicant_type, type_names, 0, SP_APP_TYPE_COUNT, "?")
SP_NAME_TABLE(sp_visa, enum sp_visa, visa_names, 0, SP_VISA_H1B + 1, "?")
SP_NAME_TABLE(sp_program_pref, enum sp_program_pref, pref_names, 0, SP_PREF_COMMUNITY + 1, "?")

bool sp_profile_state_valid(const char *code)
{
    if (!code || strlen(code) != 2)
        return false;
    for (size_t i = 0; i < sizeof(states) / sizeof(states[0]); i++) {
        if (strcmp(code, states[i]) == 0)
            return true;
    }
    return false;
}

void sp_profile_init(struct sp_profile *p)
{
    memset(p, 0, sizeof(*p));
    p->applicant_type = SP_APP_US_MD;
    p->core_clerkships = 7;
    p->aoa = false;
    p->visa = SP_VISA_NONE;
    p->application_year = MATCH_YEAR;
    p->value_patient_contact = 3;
    p->value_procedural = 3;
    p->value_imaging = 3;
    p->value_lifestyle = 3;
    p->value_income = 3;
    p->target_p_match = 0.9;
    p->program_type = SP_PREF_ANY;
}

double sp_comlex_to_step2(double comlex2)
{
    double v = STEP2_DO_MEDIAN + STEP2_SD / COMLEX2_SD * (comlex2 - COMLEX2_MEAN);

    v = round(v);
    if (v < 1)
        v = 1;
    if (v > 300)
        v = 300;
    return v;
}

static void assume(struct sp_profile *p, const char *field, const char *why, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static void assume(struct sp_profile *p, const char *field, const char *why, const char *fmt, ...)
{
    struct sp_assumption *a;
    va_list ap;

    /* The defaults below add at most 20; the cap is a programming error, not input. */
    if (p->n_assumptions >= SP_PROFILE_MAX_ASSUMPTIONS)
        return;
    a = &p->assumptions[p->n_assumptions++];
    memset(a, 0, sizeof(*a));
    snprintf(a->field, sizeof(a->field), "%s", field);
    snprintf(a->why, sizeof(a->why), "%s", why);
    va_start(ap, fmt);
    vsnprintf(a->value, sizeof(a->value), fmt, ap);
    va_end(ap);
}

/* Whether step2_ck is converted from COMLEX rather than the student's own. */
static bool step2_from_comlex(const struct sp_profile *p)
{
    return (p->given & SP_PF_STEP2) && !(p->given & SP_PF_STEP2_CK) && p->comlex2 > 0;
}

/* Whether the document gave a Step 2 CK score below the pass mark. */
static bool step2_failing(const struct sp_profile *p)
{
    return (p->given & SP_PF_STEP2) && !step2_from_comlex(p) && p->step2_ck > 0 &&
           p->step2_ck < STEP2_PASS;
}

static bool comlex2_failing(const struct sp_profile *p)
{
    return p->comlex2 > 0 && p->comlex2 < COMLEX2_PASS;
}

static void complete_scores(struct sp_profile *p, const struct type_defaults *d)
{
    char why[96];

    if (!(p->given & SP_PF_STEP2) || (p->step2_ck <= 0 && p->comlex2 <= 0)) {
        p->step2_ck = d->step2;
        assume(p, "scores.step2_ck", d->step2_why, "%g", p->step2_ck);
    } else if (step2_from_comlex(p)) {
        p->step2_ck = sp_comlex_to_step2(p->comlex2);
        snprintf(why, sizeof(why),
                 "SmartPick estimate from COMLEX 2-CE %g, not an official concordance", p->comlex2);
        assume(p, "scores.step2_ck", why, "%g", p->step2_ck);
    }

    if (p->given & SP_PF_FAILURES)
        return;
    /* A failing score is a failed attempt; do not default it away. */
    if (step2_failing(p)) {
        p->failures = 1;
        snprintf(why, sizeof(why), "scores.step2_ck %g is below the USMLE pass mark %g",
                 p->step2_ck, STEP2_PASS);
        assume(p, "scores.failures", why, "1");
    } else if (comlex2_failing(p)) {
        p->failures = 1;
        snprintf(why, sizeof(why), "scores.comlex2 %g is below the COMLEX pass mark %g", p->comlex2,
                 COMLEX2_PASS);
        assume(p, "scores.failures", why, "1");
    } else {
        p->failures = 0;
        assume(p, "scores.failures", "SmartPick estimate: the median applicant passed first time",
               "0");
    }
}

static void complete_clinical(struct sp_profile *p, const struct type_defaults *d)
{
    char why[96];

    if (!(p->given & SP_PF_HONORS)) {
        p->honors = d->honors < p->core_clerkships ? d->honors : p->core_clerkships;
        snprintf(why, sizeof(why), "SmartPick estimate of the %s median (no published figure)",
                 d->label);
        assume(p, "clinical.honors", why, "%d of %d", p->honors, p->core_clerkships);
    }
    if (!(p->given & SP_PF_AOA)) {
        p->aoa = false;
        assume(p, "clinical.aoa", "SmartPick estimate: the median applicant is not in AOA",
               "false");
    }
}

static void complete_research(struct sp_profile *p, const struct type_defaults *d)
{
    char why[96];

    if (p->given & SP_PF_RESEARCH)
        return;
    snprintf(why, sizeof(why),
             "SmartPick estimate of the %s median (Charting Outcomes gives means only)", d->label);
    p->publications = d->publications;
    p->abstracts = d->abstracts;
    p->presentations = d->presentations;
    p->research_experiences = d->experiences;
    memset(p->research_in, 0, sizeof(p->research_in));
    assume(p, "research.publications", why, "%d", p->publications);
    assume(p, "research.abstracts", why, "%d", p->abstracts);
    assume(p, "research.presentations", why, "%d", p->presentations);
    assume(p, "research.experiences", why, "%d", p->research_experiences);
    assume(p, "research.by_specialty", "SmartPick estimate: no specialty-specific research",
           "0 in every specialty");
}

static void complete_letters(struct sp_profile *p)
{
    memset(p->letters, 0, sizeof(p->letters));
    if ((p->given & SP_PF_SPECIALTIES) && p->n_specialties > 0) {
        enum sp_specialty primary = p->specialties[0];
        p->letters[primary] = COMMON_LETTERS;
        assume(p, "letters",
               "SmartPick estimate: the usual 3 letters, all from the primary specialty",
               "%s %d, others 0", sp_specialty_code(primary), COMMON_LETTERS);
    } else {
        assume(p, "letters", "SmartPick estimate: no specialty letters without a primary",
               "0 in every specialty");
    }
}

static void complete_rest(struct sp_profile *p, const struct type_defaults *d)
{
    char why[96];

    if (!(p->given & SP_PF_AWAYS)) {
        p->n_aways = 0;
        assume(p, "away_rotations", "SmartPick estimate: no away rotation assumed", "none");
    }
    if (!(p->given & SP_PF_HOMES)) {
        p->n_home_programs = 0;
        assume(p, "home_programs", "not given: no home program assumed", "none");
    }
    if (!(p->given & SP_PF_RED_FLAGS)) {
        p->gap_months = 0;
        p->professionalism = false;
        p->reapplicant = false;
        assume(p, "red_flags", "SmartPick estimate: the median applicant has none", "none");
    }
    if (!(p->given & SP_PF_VISA)) {
        p->visa = d->visa;
        assume(p, "visa", d->visa_why, "%s", sp_visa_name(p->visa));
    }
    if (!(p->given & SP_PF_GRAD_YEAR)) {
        p->graduation_year = p->application_year - d->years_since_graduation;
        assume(p, "graduation_year", d->graduation_why, "%d", p->graduation_year);
    }
    if (!(p->given & SP_PF_GEOGRAPHY)) {
        p->home_state[0] = '\0';
        p->school_state[0] = '\0';
        p->n_divisions = 0;
        p->n_tie_states = 0;
        assume(p, "geography", "not given: no geographic preference or ties assumed", "none");
    }
    if (!(p->given & SP_PF_VALUES)) {
        p->value_patient_contact = 3;
        p->value_procedural = 3;
        p->value_imaging = 3;
        p->value_lifestyle = 3;
        p->value_income = 3;
        assume(p, "values", "SmartPick default: neutral, 3 of 5 for each", "3 each");
    }
    if (!(p->given & SP_PF_SPECIALTIES)) {
        for (int s = 0; s < SP_SPEC_COUNT; s++)
            p->specialties[s] = (enum sp_specialty)s;
        p->n_specialties = SP_SPEC_COUNT;
        assume(p, "preferences.specialties", "not given: every specialty is assessed",
               "all nine, no primary");
    }
    if (!(p->given & SP_PF_TARGET)) {
        p->target_p_match = 0.9;
        assume(p, "preferences.target_p_match",
               "SmartPick default, near the US MD senior match rate 93.5% (NRMP 2025)", "0.9");
    }
    if (!(p->given & SP_PF_BUDGET)) {
        p->budget_usd = 0;
        p->budget_applications = d->applications;
        snprintf(why, sizeof(why), "%s", d->applications_why);
        assume(p, "preferences.budget_applications", why, "%d", p->budget_applications);
    }
}

static bool lists_specialty(const struct sp_profile *p, enum sp_specialty s)
{
    for (size_t i = 0; i < p->n_specialties; i++) {
        if (p->specialties[i] == s)
            return true;
    }
    return false;
}

/* Rules between fields; each message names the field, its value and the rule. */
static int check_rules(const struct sp_profile *p, struct sp_err *err)
{
    int products = p->publications + p->abstracts + p->presentations;

    if (p->comlex2 > 0 && p->applicant_type != SP_APP_US_DO)
        return sp_err_at(err, SP_EINVAL, SP_WHY_INVALID, "scores.comlex2",
                         ": %g needs applicant_type us_do (COMLEX is the "
                         "osteopathic exam), not %s",
                         p->comlex2, sp_applicant_type_name(p->applicant_type));
    if ((p->given & SP_PF_FAILURES) && p->failures == 0) {
        if (step2_failing(p))
            return sp_err_at(err, SP_EINVAL, SP_WHY_INVALID, "scores.failures",
                             ": 0 must be >= 1 when scores.step2_ck (%g) is below "
                             "the pass mark %g",
                             p->step2_ck, STEP2_PASS);
        if (comlex2_failing(p))
            return sp_err_at(err, SP_EINVAL, SP_WHY_INVALID, "scores.failures",
                             ": 0 must be >= 1 when scores.comlex2 (%g) is below "
                             "the pass mark %g",
                             p->comlex2, COMLEX2_PASS);
    }
    if (p->honors > p->core_clerkships)
        return sp_err_at(err, SP_EINVAL, SP_WHY_INVALID, "clinical.honors",
                         ": %d must be <= clinical.core_clerkships (%d)", p->honors,
                         p->core_clerkships);
    for (int s = 0; s < SP_SPEC_COUNT; s++) {
        char field[48];
        if (p->research_in[s] <= products)
            continue;
        snprintf(field, sizeof(field), "research.by_specialty.%s",
                 sp_specialty_code((enum sp_specialty)s));
        return sp_err_at(err, SP_EINVAL, SP_WHY_INVALID, field,
                         ": %d must be <= research.publications + "
                         "abstracts + presentations (%d)",
                         p->research_in[s], products);
    }
    if (p->applicant_type == SP_APP_US_IMG && p->visa != SP_VISA_NONE)
        return sp_err_at(err, SP_EINVAL, SP_WHY_INVALID, "visa",
                         ": %s must be none for applicant_type us_img (a US citizen)",
                         sp_visa_name(p->visa));
    if (p->graduation_year > p->application_year)
        return sp_err_at(err, SP_EINVAL, SP_WHY_INVALID, "graduation_year",
                         ": %d must be <= application_year (%d), the Match year",
                         p->graduation_year, p->application_year);
    if (p->esir_wanted && !lists_specialty(p, SP_SPEC_DR))
        return sp_err_at(err, SP_EINVAL, SP_WHY_INVALID, "preferences.esir_wanted",
                         ": true needs DR in preferences.specialties "
                         "(ESIR is a DR pathway)");
    return 0;
}

int sp_profile_complete(struct sp_profile *p, struct sp_err *err)
{
    const struct type_defaults *d;

    if ((unsigned)p->applicant_type >= SP_APP_TYPE_COUNT)
        return sp_err_at(err, SP_EINVAL, SP_WHY_INVALID, "applicant_type",
                         ": %d is not an applicant type", (int)p->applicant_type);
    d = &type_defaults[p->applicant_type];
    p->n_assumptions = 0;
    memset(p->assumptions, 0, sizeof(p->assumptions));
    complete_scores(p, d);
    complete_clinical(p, d);
    complete_research(p, d);
    if (!(p->given & SP_PF_LETTERS))
        complete_letters(p);
    complete_rest(p, d);
    return check_rules(p, err);
}

int sp_profile_check_catalog(const struct sp_profile *p, const sp_catalog *cat, struct sp_err *err)
{
    for (size_t i = 0; i < p->n_aways; i++) {
        const struct sp_away *a = &p->aways[i];
        const struct sp_program *prog;
        char field[64];
        if (!a->acgme_id[0])
            continue;
        prog = sp_catalog_find(cat, a->acgme_id);
        snprintf(field, sizeof(field), "away_rotations[%zu].acgme_id", i);
        if (!prog)
            return sp_err_at(err, SP_ENOTFOUND, SP_WHY_INVALID, field,
                             ": \"%s\" is not in the catalog", a->acgme_id);
        if (prog->specialty != a->specialty)
            return sp_err_at(err, SP_EINVAL, SP_WHY_INVALID, field,
                             ": \"%s\" is a %s program, not %s", a->acgme_id,
                             sp_specialty_code(prog->specialty), sp_specialty_code(a->specialty));
    }
    for (size_t i = 0; i < p->n_home_programs; i++) {
        char field[32];
        if (sp_catalog_find(cat, p->home_programs[i]))
            continue;
        snprintf(field, sizeof(field), "home_programs[%zu]", i);
        return sp_err_at(err, SP_ENOTFOUND, SP_WHY_INVALID, field, ": \"%s\" is not in the catalog",
                         p->home_programs[i]);
    }
    return 0;
}

static bool same_states(const char (*a)[3], const char (*b)[3], size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (strcmp(a[i], b[i]) != 0)
            return false;
    }
    return true;
}

bool sp_profile_equal(const struct sp_profile *a, const struct sp_profile *b)
{
    if (a->applicant_type != b->applicant_type || strcmp(a->name, b->name) != 0)
        return false;
    if (a->step2_ck != b->step2_ck || a->comlex2 != b->comlex2 || a->failures != b->failures)
        return false;
    if (a->honors != b->honors || a->core_clerkships != b->core_clerkships || a->aoa != b->aoa)
        return false;
    if (a->publications != b->publications || a->abstracts != b->abstracts ||
        a->presentations != b->presentations || a->research_experiences != b->research_experiences)
        return false;
    for (int s = 0; s < SP_SPEC_COUNT; s++) {
        if (a->research_in[s] != b->research_in[s] || a->letters[s] != b->letters[s])
            return false;
    }
    if (a->n_aways != b->n_aways || a->n_home_programs != b->n_home_programs)
        return false;
    for (size_t i = 0; i < a->n_aways; i++) {
        if (a->aways[i].specialty != b->aways[i].specialty ||
            strcmp(a->aways[i].acgme_id, b->aways[i].acgme_id) != 0)
            return false;
    }
    for (size_t i = 0; i < a->n_home_programs; i++) {
        if (strcmp(a->home_programs[i], b->home_programs[i]) != 0)
            return false;
    }
    if (a->gap_months != b->gap_months || a->professionalism != b->professionalism ||
        a->reapplicant != b->reapplicant)
        return false;
    if (a->visa != b->visa || a->graduation_year != b->graduation_year ||
        a->application_year != b->application_year)
        return false;
    if (strcmp(a->home_state, b->home_state) != 0 || strcmp(a->school_state, b->school_state) != 0)
        return false;
    if (a->n_divisions != b->n_divisions || a->n_tie_states != b->n_tie_states ||
        a->n_avoid_states != b->n_avoid_states)
        return false;
    for (size_t i = 0; i < a->n_divisions; i++) {
        if (a->divisions[i] != b->divisions[i])
            return false;
    }
    if (!same_states(a->tie_states, b->tie_states, a->n_tie_states) ||
        !same_states(a->avoid_states, b->avoid_states, a->n_avoid_states))
        return false;
    if (a->value_patient_contact != b->value_patient_contact ||
        a->value_procedural != b->value_procedural || a->value_imaging != b->value_imaging ||
        a->value_lifestyle != b->value_lifestyle || a->value_income != b->value_income)
        return false;
    if (a->n_specialties != b->n_specialties)
        return false;
    for (size_t i = 0; i < a->n_specialties; i++) {
        if (a->specialties[i] != b->specialties[i])
            return false;
    }
    if (a->target_p_match != b->target_p_match || a->budget_usd != b->budget_usd ||
        a->budget_applications != b->budget_applications || a->program_type != b->program_type ||
        a->esir_wanted != b->esir_wanted)
        return false;
    if (strcmp(a->partner_profile, b->partner_profile) != 0 || a->given != b->given)
        return false;
    if (a->n_assumptions != b->n_assumptions)
        return false;
    for (size_t i = 0; i < a->n_assumptions; i++) {
        const struct sp_assumption *x = &a->assumptions[i], *y = &b->assumptions[i];
        if (strcmp(x->field, y->field) != 0 || strcmp(x->value, y->value) != 0 ||
            strcmp(x->why, y->why) != 0)
            return false;
    }
    return true;
}
