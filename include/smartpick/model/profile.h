/*
 * smartpick/model/profile.h - an applicant's profile (schema smartpick.profile/1).
 *
 * A plain value: the JSON reader (format/profile_json.c) fills it and marks which
 * fields the document gave (`given`); sp_profile_complete() fills every missing
 * optional field with the population median of the applicant type and records
 * each such default as an assumption that every output lists.
 *
 * Field names follow the JSON paths of docs/PROFILE.md (scores.step2_ck ->
 * step2_ck, research.publications -> publications, ...).
 */
#ifndef SMARTPICK_PROFILE_H
#define SMARTPICK_PROFILE_H

#include "smartpick/catalog/catalog.h"
#include "smartpick/error.h"
#include "smartpick/catalog/geo.h"
#include "smartpick/catalog/specialty.h"

#include <stdbool.h>
#include <stddef.h>

#define SP_PROFILE_SCHEMA "smartpick.profile/1"

enum sp_applicant_type {
    SP_APP_US_MD,
    SP_APP_US_DO,
    SP_APP_US_IMG,     /* US-citizen graduate of a non-US school */
    SP_APP_NON_US_IMG, /* non-US-citizen IMG */
    SP_APP_TYPE_COUNT
};

/* "us_md", "us_do", "us_img", "non_us_img" */
const char *sp_applicant_type_name(enum sp_applicant_type t);
/* Exact, lower-case names only; SP_ENOTFOUND otherwise. */
int sp_applicant_type_parse(enum sp_applicant_type *out, const char *name);

enum sp_visa { SP_VISA_NONE, SP_VISA_J1, SP_VISA_H1B };
enum sp_program_pref { SP_PREF_ANY, SP_PREF_ACADEMIC, SP_PREF_COMMUNITY };

/* "none", "j1", "h1b"; parse is exact, SP_ENOTFOUND otherwise. */
const char *sp_visa_name(enum sp_visa v);
int sp_visa_parse(enum sp_visa *out, const char *name);
/* "any", "academic", "community"; parse is exact, SP_ENOTFOUND otherwise. */
const char *sp_program_pref_name(enum sp_program_pref t);
int sp_program_pref_parse(enum sp_program_pref *out, const char *name);

/* Whether code is the upper-case two-letter code of one of the 50 states, DC or PR. */
bool sp_profile_state_valid(const char *code);

#define SP_PROFILE_MAX_AWAYS 8
#define SP_PROFILE_MAX_HOMES 8
#define SP_PROFILE_MAX_DIVISIONS 3
#define SP_PROFILE_MAX_STATES 16
#define SP_PROFILE_MAX_ASSUMPTIONS 32
#define SP_PROFILE_MAX_PATH 256

/* An away (audition) rotation: the specialty, and the program when known. */
struct sp_away {
    enum sp_specialty specialty;
    char acgme_id[SP_ACGME_ID_LEN + 1]; /* "" when not given */
};

/* Bit flags of the optional fields a document gave (sp_profile.given). */
enum sp_profile_field {
    SP_PF_STEP2 = 1u << 0,        /* scores.step2_ck or scores.comlex2 */
    SP_PF_FAILURES = 1u << 1,     /* scores.failures */
    SP_PF_HONORS = 1u << 2,       /* clinical.honors */
    SP_PF_AOA = 1u << 3,          /* clinical.aoa */
    SP_PF_RESEARCH = 1u << 4,     /* research.* (any) */
    SP_PF_LETTERS = 1u << 5,      /* letters */
    SP_PF_AWAYS = 1u << 6,        /* away_rotations */
    SP_PF_HOMES = 1u << 7,        /* home_programs */
    SP_PF_RED_FLAGS = 1u << 8,    /* red_flags.* (any) */
    SP_PF_VISA = 1u << 9,         /* visa */
    SP_PF_GRAD_YEAR = 1u << 10,   /* graduation_year */
    SP_PF_GEOGRAPHY = 1u << 11,   /* geography.* (any) */
    SP_PF_VALUES = 1u << 12,      /* values.* (any) */
    SP_PF_SPECIALTIES = 1u << 13, /* preferences.specialties */
    SP_PF_TARGET = 1u << 14,      /* preferences.target_p_match */
    SP_PF_BUDGET = 1u << 15,      /* preferences.budget_usd or budget_applications */
    SP_PF_STEP2_CK = 1u << 16,    /* scores.step2_ck itself (SP_PF_STEP2 is also set) */
};

/* A default the profile did not give, listed in every output. */
struct sp_assumption {
    char field[48]; /* JSON path: "scores.step2_ck" */
    char value[48]; /* as shown: "250" */
    char why[96];   /* "median Step 2 CK of US MD applicants (Charting Outcomes 2026)" */
};

struct sp_profile {
    enum sp_applicant_type applicant_type;
    char name[64]; /* optional display name */

    /* scores */
    double step2_ck; /* USMLE Step 2 CK scale; from COMLEX when only that is given */
    double comlex2;  /* COMLEX Level 2-CE as given, 0 when absent */
    int failures;    /* failed USMLE/COMLEX attempts */

    /* clinical */
    int honors;          /* honors in core clerkships */
    int core_clerkships; /* out of how many (default 7) */
    bool aoa;

    /* research */
    int publications;
    int abstracts;
    int presentations;
    int research_experiences;
    int research_in[SP_SPEC_COUNT]; /* specialty-specific products (pubs+abstracts+talks) */

    /* letters of recommendation written by faculty of each specialty */
    int letters[SP_SPEC_COUNT];

    struct sp_away aways[SP_PROFILE_MAX_AWAYS];
    size_t n_aways;
    /* programs at the student's own school (ACGME IDs) */
    char home_programs[SP_PROFILE_MAX_HOMES][SP_ACGME_ID_LEN + 1];
    size_t n_home_programs;

    /* red flags */
    int gap_months;
    bool professionalism;
    bool reapplicant;

    enum sp_visa visa; /* visa the applicant needs */
    int graduation_year;
    int application_year; /* the Match year planned for (default: the catalog's, 2027) */

    /* geography */
    char home_state[3];
    char school_state[3];
    enum sp_division divisions[SP_PROFILE_MAX_DIVISIONS]; /* preferred, in order */
    size_t n_divisions;
    char tie_states[SP_PROFILE_MAX_STATES][3]; /* family, partner, prior residence */
    size_t n_tie_states;

    /* values, 1 (does not matter) .. 5 (matters most) */
    int value_patient_contact;
    int value_procedural;
    int value_imaging;
    int value_lifestyle;
    int value_income;

    /* preferences */
    enum sp_specialty specialties[SP_SPEC_COUNT]; /* ordered; [0] is the primary */
    size_t n_specialties;
    double target_p_match;   /* in (0, 1) */
    double budget_usd;       /* 0 = none given */
    int budget_applications; /* 0 = none given */
    enum sp_program_pref program_type;
    char avoid_states[SP_PROFILE_MAX_STATES][3];
    size_t n_avoid_states;
    bool esir_wanted;

    /* couples: the partner's profile file, relative to this one ("" = single) */
    char partner_profile[SP_PROFILE_MAX_PATH];

    unsigned given; /* enum sp_profile_field bits */
    struct sp_assumption assumptions[SP_PROFILE_MAX_ASSUMPTIONS];
    size_t n_assumptions;
};

/* A zeroed profile with the defaults that are not population figures
 * (core_clerkships 7, target 0.9, values 3, application year 2027). */
void sp_profile_init(struct sp_profile *p);

/* Fill the optional fields the document did not give (p->given) with the
 * population medians of the applicant type, recording each as an assumption.
 * Then check cross-field rules (honors <= core_clerkships, ...).
 * SP_EINVAL with err naming the field, the value and the rule.
 *
 * Scores: with SP_PF_STEP2_CK, step2_ck is the student's; with SP_PF_STEP2 alone
 * and comlex2 > 0, step2_ck becomes sp_comlex_to_step2(comlex2) (an assumption);
 * without SP_PF_STEP2, the type's median. A group that was given keeps its values
 * (members the document left out are 0/false, values 3). When SP_PF_SPECIALTIES
 * is not given, specialties becomes all nine in enum order and [0] is not a stated
 * primary. Idempotent: the assumptions are rebuilt on every call. The defaults and
 * their sources are tabulated in docs/PROFILE.md. */
int sp_profile_complete(struct sp_profile *p, struct sp_err *err);

/* COMLEX Level 2-CE to the Step 2 CK scale, rounded to a whole point and clamped
 * to 1..300. SmartPick's estimate, not an official concordance: it equates
 * z-scores, 245 + 0.15 * (comlex2 - 520), where 520 and 100 are the NBOME's
 * approximate first-taker mean and SD and 245 / 15 SmartPick's estimate of the DO
 * Step 2 CK median and the USMLE SD (docs/PROFILE.md). */
double sp_comlex_to_step2(double comlex2);

/* Check the programs a profile names against the catalog: every away rotation's
 * and home program's ACGME ID must be in cat, and an away's program must be of
 * the away's specialty. SP_ENOTFOUND / SP_EINVAL with err naming the path. */
int sp_profile_check_catalog(const struct sp_profile *p, const sp_catalog *cat, struct sp_err *err);

/* Whether a and b hold the same profile: every field, the given bits and the
 * assumptions (numbers compared with ==, strings up to their NUL). */
bool sp_profile_equal(const struct sp_profile *a, const struct sp_profile *b);

#endif
