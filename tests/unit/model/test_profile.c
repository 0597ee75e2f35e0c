/*
 * The applicant profile: the strict JSON reader (every message names the path,
 * the value and the rule), the writer's round trip, the defaults a document may
 * leave out and the assumptions that record them, the rules between fields, and
 * the shipped examples.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "profile_json.h"
#include "smartpick/catalog/catalog.h"
#include "smartpick/model/profile.h"
#include "sp_buf.h"
#include "sp_str.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A document with the two required keys and body after them. */
#define DOC(type, body)                                                                            \
    "{\"schema\": \"smartpick.profile/1\", \"applicant_type\": \"" type "\"" body "}"
#define MD(body) DOC("us_md", body)

static int parse(struct sp_profile *p, const char *text, struct sp_err *err)
{
    return sp_profile_from_json(p, text, strlen(text), err);
}

static const struct sp_assumption *find_assumption(const struct sp_profile *p, const char *field)
{
    for (size_t i = 0; i < p->n_assumptions; i++) {
        if (strcmp(p->assumptions[i].field, field) == 0)
            return &p->assumptions[i];
    }
    return NULL;
}

static void profile_reads_every_key(void **state)
{
    const char *doc = DOC(
        "us_do",
        ", \"name\": \"Ana\", \"scores\": {\"step2_ck\": 252.5, \"comlex2\": 570, \"failures\": 0},"
        " \"clinical\": {\"honors\": 3, \"core_clerkships\": 6, \"aoa\": false},"
        " \"research\": {\"publications\": 2, \"abstracts\": 1, \"presentations\": 3,"
        " \"experiences\": 2, \"by_specialty\": {\"IR\": 2, \"DR\": 1}},"
        " \"letters\": {\"IR\": 2, \"IM\": 1},"
        " \"away_rotations\": [{\"specialty\": \"IR\", \"acgme_id\": \"4162500002\"},"
        " {\"specialty\": \"DR\"}],"
        " \"home_programs\": [\"4202521091\"],"
        " \"red_flags\": {\"gap_months\": 4, \"professionalism\": false, \"reapplicant\": true},"
        " \"visa\": \"h1b\", \"graduation_year\": 2026, \"application_year\": 2028,"
        " \"geography\": {\"home_state\": \"MI\", \"school_state\": \"OH\","
        " \"preferred_divisions\": [\"east_north_central\", \"pacific\"], \"ties\": [\"CA\", "
        "\"PR\"]},"
        " \"values\": {\"patient_contact\": 1, \"procedural\": 5, \"imaging\": 4, \"lifestyle\": 2,"
        " \"income\": 3},"
        " \"preferences\": {\"specialties\": [\"IR\", \"DR\", \"IM\"], \"target_p_match\": 0.85,"
        " \"budget_usd\": 1800.5, \"budget_applications\": 60, \"program_type\": \"academic\","
        " \"avoid_states\": [\"NY\"], \"esir_wanted\": true},"
        " \"partner\": {\"profile\": \"../b.json\"}");
    struct sp_profile p;
    struct sp_err err = SP_ERR_INIT;
    (void)state;

    if (parse(&p, doc, &err))
        fail_msg("%s", err.msg);
    assert_int_equal(p.applicant_type, SP_APP_US_DO);
    assert_string_equal(p.name, "Ana");
    assert_true(p.step2_ck == 252.5);
    assert_true(p.comlex2 == 570);
    assert_int_equal(p.honors, 3);
    assert_int_equal(p.core_clerkships, 6);
    assert_int_equal(p.presentations, 3);
    assert_int_equal(p.research_in[SP_SPEC_IR], 2);
    assert_int_equal(p.research_in[SP_SPEC_DR], 1);
    assert_int_equal(p.letters[SP_SPEC_IM], 1);
    assert_int_equal(p.n_aways, 2);
    assert_string_equal(p.aways[0].acgme_id, "4162500002");
    assert_int_equal(p.aways[1].specialty, SP_SPEC_DR);
    assert_string_equal(p.aways[1].acgme_id, "");
    assert_int_equal(p.n_home_programs, 1);
    assert_int_equal(p.gap_months, 4);
    assert_true(p.reapplicant);
    assert_int_equal(p.visa, SP_VISA_H1B);
    assert_int_equal(p.graduation_year, 2026);
    assert_int_equal(p.application_year, 2028);
    assert_string_equal(p.home_state, "MI");
    assert_string_equal(p.school_state, "OH");
    assert_int_equal(p.n_divisions, 2);
    assert_int_equal(p.divisions[1], SP_DIV_PACIFIC);
    assert_int_equal(p.n_tie_states, 2);
    assert_string_equal(p.tie_states[1], "PR");
    assert_int_equal(p.value_patient_contact, 1);
    assert_int_equal(p.value_lifestyle, 2);
    assert_int_equal(p.n_specialties, 3);
    assert_int_equal(p.specialties[0], SP_SPEC_IR);
    assert_true(p.target_p_match == 0.85);
    assert_true(p.budget_usd == 1800.5);
    assert_int_equal(p.budget_applications, 60);
    assert_int_equal(p.program_type, SP_PREF_ACADEMIC);
    assert_string_equal(p.avoid_states[0], "NY");
    assert_true(p.esir_wanted);
    assert_string_equal(p.partner_profile, "../b.json");
    assert_int_equal(p.given, SP_PF_STEP2 | SP_PF_STEP2_CK | SP_PF_FAILURES | SP_PF_HONORS |
                                  SP_PF_AOA | SP_PF_RESEARCH | SP_PF_LETTERS | SP_PF_AWAYS |
                                  SP_PF_HOMES | SP_PF_RED_FLAGS | SP_PF_VISA | SP_PF_GRAD_YEAR |
                                  SP_PF_GEOGRAPHY | SP_PF_VALUES | SP_PF_SPECIALTIES |
                                  SP_PF_TARGET | SP_PF_BUDGET);
    assert_int_equal(sp_profile_complete(&p, &err), 0);
    assert_int_equal(p.n_assumptions, 0); /* everything was given */
}

static void profile_marks_only_the_groups_given(void **state)
{
    static const struct {
        const char *doc;
        unsigned given;
    } cases[] = {
        {MD(""), 0},
        {MD(", \"scores\": {}, \"clinical\": {}, \"preferences\": {}"), 0},
        {MD(", \"scores\": {\"comlex2\": 600}"), SP_PF_STEP2},
        {MD(", \"scores\": {\"step2_ck\": 250}"), SP_PF_STEP2 | SP_PF_STEP2_CK},
        {MD(", \"clinical\": {\"core_clerkships\": 8}"), 0},
        {MD(", \"research\": {}"), SP_PF_RESEARCH},
        {MD(", \"away_rotations\": []"), SP_PF_AWAYS},
        {MD(", \"geography\": {}, \"values\": {\"income\": 5}"), SP_PF_GEOGRAPHY | SP_PF_VALUES},
        {MD(", \"preferences\": {\"budget_applications\": 40, \"esir_wanted\": false}"),
         SP_PF_BUDGET},
    };
    (void)state;

    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct sp_profile p;
        struct sp_err err = SP_ERR_INIT;
        if (parse(&p, cases[i].doc, &err))
            fail_msg("case %zu: %s", i, err.msg);
        if (p.given != cases[i].given)
            fail_msg("case %zu: given %#x, want %#x", i, p.given, cases[i].given);
    }
}

/* Each bad document and the message that names its field, value and rule. */
static const struct {
    const char *doc;
    const char *message;
} rejected_cases[] = {
    /* document shape */
    {"[1, 2]", "profile: [1,2] must be an object"},
    {"{\"schema\": \"smartpick.profile/1\",\n \"applicant_type\": tru}",
     "line 2, column 22: invalid token near 'tru'"},
    {"", "line 1, column 0: '[' or '{' expected near end of file"},
    {"{\"visa\": \"j1\", \"visa\": \"j1\"}",
     "line 1, column 21: duplicate object key near '\"visa\"'"},
    {"{}", "schema: missing, must be \"smartpick.profile/1\""},
    {"{\"schema\": \"smartpick.profile/2\", \"applicant_type\": \"us_md\"}",
     "schema: \"smartpick.profile/2\" must be \"smartpick.profile/1\""},
    {"{\"schema\": \"smartpick.profile/1\"}",
     "applicant_type: missing, must be one of us_md, us_do, us_img, non_us_img"},
    {DOC("us-md", ""),
     "applicant_type: \"us-md\" must be one of us_md, us_do, us_img, non_us_img (did you "
     "mean 'us_md'?)"},
    /* unknown keys, at every level */
    {MD(", \"scroes\": {}"), "scroes: unknown key (did you mean 'scores'?)"},
    {MD(", \"zzz\": 1"),
     "zzz: unknown key (expected one of: schema, name, applicant_type, scores, clinical, "
     "research, letters, away_rotations, home_programs, red_flags, visa, graduation_year, "
     "application_year, geography, values, preferences, partner)"},
    {MD(", \"scores\": {\"step2\": 250}"),
     "scores.step2: unknown key (did you mean 'step2_ck'?)"},
    {MD(", \"research\": {\"publication\": 2}"),
     "research.publication: unknown key (did you mean 'publications'?)"},
    {MD(", \"research\": {\"by_specialty\": {\"ir\": 2}}"),
     "research.by_specialty.ir: unknown specialty code (did you mean 'IR'?)"},
    {MD(", \"letters\": {\"XR\": 2}"),
     "letters.XR: unknown specialty code (did you mean 'IR'?)"},
    {MD(", \"away_rotations\": [{\"specialty\": \"IR\", \"acgme\": \"4162500002\"}]"),
     "away_rotations[0].acgme: unknown key (did you mean 'acgme_id'?)"},
    {MD(", \"values\": {\"lifestyles\": 3}"),
     "values.lifestyles: unknown key (did you mean 'lifestyle'?)"},
    {MD(", \"partner\": {\"path\": \"b.json\"}"),
     "partner.path: unknown key (expected one of: profile)"},
    /* types */
    {MD(", \"scores\": {\"step2_ck\": \"high\"}"),
     "scores.step2_ck: \"high\" must be a number"},
    {MD(", \"scores\": {\"step2_ck\": null}"), "scores.step2_ck: null must be a number"},
    {MD(", \"scores\": 250"), "scores: 250 must be an object"},
    {MD(", \"clinical\": {\"aoa\": \"yes\"}"), "clinical.aoa: \"yes\" must be true or false"},
    {MD(", \"clinical\": {\"honors\": 2.5}"), "clinical.honors: 2.5 must be a whole number"},
    {MD(", \"research\": {\"publications\": \"3\"}"),
     "research.publications: \"3\" must be a whole number"},
    {MD(", \"home_programs\": \"4164800001\""),
     "home_programs: \"4164800001\" must be an array"},
    {MD(", \"name\": \"\""), "name: \"\" must not be empty"},
    {MD(", \"name\": \"0123456789012345678901234567890123456789012345678901234567890123\""),
     "name: \"0123456789012345678901234567890123456789012... must be at most 63 bytes"},
    /* ranges */
    {MD(", \"research\": {\"publications\": -2}"), "research.publications: -2 must be >= 0"},
    {MD(", \"research\": {\"publications\": 501}"),
     "research.publications: 501 must be <= 500"},
    {MD(", \"scores\": {\"step2_ck\": 301}"), "scores.step2_ck: 301 must be between 1 and 300"},
    {MD(", \"scores\": {\"step2_ck\": 0}"), "scores.step2_ck: 0 must be between 1 and 300"},
    {MD(", \"scores\": {\"comlex2\": 1000}"), "scores.comlex2: 1000 must be between 9 and 999"},
    {MD(", \"values\": {\"lifestyle\": 7}"), "values.lifestyle: 7 must be between 1 and 5"},
    {MD(", \"preferences\": {\"target_p_match\": 1}"),
     "preferences.target_p_match: 1 must be between 0 and 1, exclusive (a probability)"},
    {MD(", \"preferences\": {\"target_p_match\": 0.0}"),
     "preferences.target_p_match: 0.0 must be between 0 and 1, exclusive (a probability)"},
    {MD(", \"preferences\": {\"budget_usd\": -5}"), "preferences.budget_usd: -5 must be >= 0"},
    {MD(", \"graduation_year\": 1890"), "graduation_year: 1890 must be between 1960 and 2040"},
    /* codes and lists */
    {MD(", \"visa\": \"f1\""), "visa: \"f1\" must be one of none, j1, h1b"},
    {MD(", \"preferences\": {\"program_type\": \"university\"}"),
     "preferences.program_type: \"university\" must be one of any, academic, community"},
    {MD(", \"geography\": {\"home_state\": \"tx\"}"),
     "geography.home_state: \"tx\" must be an upper-case state code (did you mean 'TX'?)"},
    {MD(", \"geography\": {\"school_state\": \"ZZ\"}"),
     "geography.school_state: \"ZZ\" must be the code of one of the 50 states, DC or PR"},
    {MD(", \"geography\": {\"ties\": [\"TX\", \"GU\"]}"),
     "geography.ties[1]: \"GU\" must be the code of one of the 50 states, DC or PR"},
    {MD(", \"preferences\": {\"avoid_states\": [\"NY\", \"NY\"]}"),
     "preferences.avoid_states[1]: \"NY\" appears twice"},
    {MD(", \"geography\": {\"preferred_divisions\": [\"pacfic\"]}"),
     "geography.preferred_divisions[0]: \"pacfic\" is not a Census division (did you mean "
     "'pacific'?)"},
    {MD(", \"geography\": {\"preferred_divisions\": [\"territory\"]}"),
     "geography.preferred_divisions[0]: \"territory\" is not a Census division (expected one "
     "of: new_england, middle_atlantic, east_north_central, west_north_central, "
     "south_atlantic, east_south_central, west_south_central, mountain, pacific)"},
    {MD(", \"geography\": {\"preferred_divisions\": [\"pacific\", \"mountain\", "
        "\"new_england\", \"south_atlantic\"]}"),
     "geography.preferred_divisions: [\"pacific\",\"mountain\",\"new_england\",\"south_a... "
     "must "
     "have at most 3 entries"},
    {MD(", \"preferences\": {\"specialties\": []}"),
     "preferences.specialties: [] must list at least one specialty (the primary first)"},
    {MD(", \"preferences\": {\"specialties\": [\"IR\", \"DR\", \"IR\"]}"),
     "preferences.specialties[2]: \"IR\" appears twice"},
    {MD(", \"preferences\": {\"specialties\": [\"ir\"]}"),
     "preferences.specialties[0]: \"ir\" is not a specialty code (did you mean 'IR'?)"},
    {MD(", \"preferences\": {\"specialties\": [\"420\"]}"),
     "preferences.specialties[0]: \"420\" is not a specialty code (did you mean 'DR'?)"},
    {MD(", \"preferences\": {\"specialties\": [\"OBGYN\"]}"),
     "preferences.specialties[0]: \"OBGYN\" is not a specialty code (expected one of: IR, "
     "DR, IM, GS, VS, ANES, EM, NEURO, PMR)"},
    {MD(", \"home_programs\": [\"41648\"]"),
     "home_programs[0]: \"41648\" must be a 10-digit ACGME program ID"},
    {MD(", \"home_programs\": [\"2204800001\"]"),
     "home_programs[0]: \"2204800001\" is not a program of the nine specialties (ACGME "
     "specialty code 220)"},
    {MD(", \"home_programs\": [\"4164800001\", \"4164800001\"]"),
     "home_programs[1]: \"4164800001\" appears twice"},
    {MD(", \"away_rotations\": [{\"specialty\": \"IR\", \"acgme_id\": \"4204821192\"}]"),
     "away_rotations[0].acgme_id: \"4204821192\" is a DR program, but the rotation's "
     "specialty is IR"},
    {MD(", \"away_rotations\": [{\"acgme_id\": \"4164800001\"}]"),
     "away_rotations[0].specialty: missing, an away rotation must name its specialty"},
    {MD(", \"away_rotations\": [{\"specialty\": \"IR\", \"acgme_id\": \"4164800001\"}, "
        "{\"specialty\": \"IR\", \"acgme_id\": \"4164800001\"}]"),
     "away_rotations[1].acgme_id: \"4164800001\" appears twice"},
    {MD(", \"partner\": {}"),
     "partner.profile: missing, partner needs the path of the partner's profile"},
};

static void profile_rejects_with_path_value_and_rule(void **state)
{
    (void)state;

    for (size_t i = 0; i < sizeof(rejected_cases) / sizeof(rejected_cases[0]); i++) {
        struct sp_profile p;
        struct sp_err err = SP_ERR_INIT;
        int rc = parse(&p, rejected_cases[i].doc, &err);
        if (rc != SP_EINVAL)
            fail_msg("case %zu: rc %d for %s", i, rc, rejected_cases[i].doc);
        if (strcmp(err.msg, rejected_cases[i].message) != 0)
            fail_msg("case %zu:\n got  %s\n want %s", i, err.msg, rejected_cases[i].message);
    }
}

static void profile_reports_the_first_error_in_document_order(void **state)
{
    struct sp_profile p;
    struct sp_err err = SP_ERR_INIT;
    (void)state;

    assert_int_equal(parse(&p, MD(", \"visa\": \"f1\", \"scroes\": {}"), &err), SP_EINVAL);
    assert_string_equal(err.msg, "visa: \"f1\" must be one of none, j1, h1b");
    /* ... but a wrong schema comes first wherever it is. */
    assert_int_equal(
        parse(&p, "{\"scroes\": {}, \"applicant_type\": \"us_md\", \"schema\": \"x\"}", &err),
        SP_EINVAL);
    assert_string_equal(err.msg, "schema: \"x\" must be \"smartpick.profile/1\"");
}

static void profile_checks_rules_between_fields(void **state)
{
    static const struct {
        const char *doc;
        const char *message;
    } cases[] = {
        {MD(", \"clinical\": {\"honors\": 9}"),
         "clinical.honors: 9 must be <= clinical.core_clerkships (7)"},
        {MD(", \"clinical\": {\"honors\": 6, \"core_clerkships\": 5}"),
         "clinical.honors: 6 must be <= clinical.core_clerkships (5)"},
        {MD(", \"research\": {\"publications\": 2, \"abstracts\": 1, \"by_specialty\": {\"IR\": "
            "4}}"),
         "research.by_specialty.IR: 4 must be <= research.publications + abstracts + "
         "presentations (3)"},
        {MD(", \"scores\": {\"comlex2\": 600}"),
         "scores.comlex2: 600 needs applicant_type us_do (COMLEX is the osteopathic exam), not "
         "us_md"},
        {MD(", \"scores\": {\"step2_ck\": 210, \"failures\": 0}"),
         "scores.failures: 0 must be >= 1 when scores.step2_ck (210) is below the pass mark 218"},
        {DOC("us_do", ", \"scores\": {\"comlex2\": 380, \"failures\": 0}"),
         "scores.failures: 0 must be >= 1 when scores.comlex2 (380) is below the pass mark 400"},
        {DOC("us_img", ", \"visa\": \"j1\""),
         "visa: j1 must be none for applicant_type us_img (a US citizen)"},
        {MD(", \"graduation_year\": 2029"),
         "graduation_year: 2029 must be <= application_year (2027), the Match year"},
        {MD(", \"preferences\": {\"specialties\": [\"IR\", \"IM\"], \"esir_wanted\": true}"),
         "preferences.esir_wanted: true needs DR in preferences.specialties (ESIR is a DR "
         "pathway)"},
    };
    (void)state;

    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct sp_profile p;
        struct sp_err err = SP_ERR_INIT;
        if (parse(&p, cases[i].doc, &err))
            fail_msg("case %zu: the reader refused: %s", i, err.msg);
        if (sp_profile_complete(&p, &err) != SP_EINVAL)
            fail_msg("case %zu: complete accepted %s", i, cases[i].doc);
        if (strcmp(err.msg, cases[i].message) != 0)
            fail_msg("case %zu:\n got  %s\n want %s", i, err.msg, cases[i].message);
    }
}

static void defaults_are_medians_of_the_type_with_sources(void **state)
{
    static const struct {
        const char *type;
        double step2;
        const char *step2_source; /* a word the why must hold */
        enum sp_visa visa;
        int graduation_year;
        int applications;
    } cases[] = {
        {"us_md", 251, "USMLE", SP_VISA_NONE, 2027, 58},
        {"us_do", 245, "SmartPick estimate", SP_VISA_NONE, 2027, 72},
        {"us_img", 240, "SmartPick estimate", SP_VISA_NONE, 2027, 129},
        {"non_us_img", 245, "NRMP 2026", SP_VISA_J1, 2025, 129},
    };
    (void)state;

    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        char doc[128];
        struct sp_profile p;
        struct sp_err err = SP_ERR_INIT;
        const struct sp_assumption *a;

        snprintf(doc, sizeof(doc),
                 "{\"schema\": \"smartpick.profile/1\", \"applicant_type\": \"%s\"}",
                 cases[i].type);
        assert_int_equal(parse(&p, doc, &err), 0);
        if (sp_profile_complete(&p, &err))
            fail_msg("%s: %s", cases[i].type, err.msg);
        assert_true(p.step2_ck == cases[i].step2);
        a = find_assumption(&p, "scores.step2_ck");
        assert_non_null(a);
        if (!strstr(a->why, cases[i].step2_source))
            fail_msg("%s: step2 why '%s' lacks '%s'", cases[i].type, a->why, cases[i].step2_source);
        assert_int_equal(p.visa, cases[i].visa);
        assert_int_equal(p.graduation_year, cases[i].graduation_year);
        assert_int_equal(p.budget_applications, cases[i].applications);
        assert_true(p.budget_usd == 0);
        assert_int_equal(p.failures, 0);
        /* Defaults never invent strengths. */
        assert_false(p.aoa);
        assert_int_equal(p.n_aways, 0);
        assert_int_equal(p.n_home_programs, 0);
        for (int s = 0; s < SP_SPEC_COUNT; s++) {
            assert_int_equal(p.letters[s], 0);
            assert_int_equal(p.research_in[s], 0);
        }
        assert_true(p.honors <= 2);
        assert_int_equal(p.n_specialties, SP_SPEC_COUNT);
        assert_true(p.target_p_match == 0.9);
        assert_int_equal(p.value_imaging, 3);
        /* Every default is listed, with its value and where it comes from. */
        assert_int_equal(p.n_assumptions, 20);
        for (size_t k = 0; k < p.n_assumptions; k++) {
            const struct sp_assumption *x = &p.assumptions[k];
            assert_true(x->field[0] && x->value[0] && x->why[0]);
            if (!strstr(x->why, "SmartPick") && !strstr(x->why, "not given") &&
                !strstr(x->why, "(") && !strstr(x->why, "by definition"))
                fail_msg("%s: assumption %s has no source: %s", cases[i].type, x->field, x->why);
        }
    }
}

static void defaults_give_the_primary_three_letters(void **state)
{
    struct sp_profile p;
    struct sp_err err = SP_ERR_INIT;
    const struct sp_assumption *a;
    (void)state;

    assert_int_equal(parse(&p, MD(", \"preferences\": {\"specialties\": [\"IR\", \"DR\"]}"), &err),
                     0);
    assert_int_equal(sp_profile_complete(&p, &err), 0);
    assert_int_equal(p.letters[SP_SPEC_IR], 3);
    assert_int_equal(p.letters[SP_SPEC_DR], 0);
    a = find_assumption(&p, "letters");
    assert_non_null(a);
    assert_string_equal(a->value, "IR 3, others 0");
    assert_non_null(strstr(a->why, "SmartPick estimate"));
    assert_null(find_assumption(&p, "preferences.specialties"));
}

static void given_groups_keep_their_values(void **state)
{
    struct sp_profile p;
    struct sp_err err = SP_ERR_INIT;
    (void)state;

    /* An empty research object means "none", not "the median". */
    assert_int_equal(
        parse(&p, MD(", \"research\": {}, \"letters\": {}, \"values\": {\"income\": 5}"), &err), 0);
    assert_int_equal(sp_profile_complete(&p, &err), 0);
    assert_int_equal(p.publications, 0);
    assert_int_equal(p.presentations, 0);
    assert_null(find_assumption(&p, "research.publications"));
    assert_null(find_assumption(&p, "letters"));
    assert_null(find_assumption(&p, "values"));
    assert_int_equal(p.value_income, 5);
    assert_int_equal(p.value_lifestyle, 3);
}

static void comlex_only_is_converted_and_said_so(void **state)
{
    struct sp_profile p;
    struct sp_err err = SP_ERR_INIT;
    const struct sp_assumption *a;
    (void)state;

    assert_true(sp_comlex_to_step2(520) == 245);
    assert_true(sp_comlex_to_step2(400) == 227);
    assert_true(sp_comlex_to_step2(600) == 257);
    assert_true(sp_comlex_to_step2(9) == 168);
    assert_true(sp_comlex_to_step2(999) == 300); /* clamped to the scale */
    for (double c = 9; c < 999; c += 10)
        assert_true(sp_comlex_to_step2(c) <= sp_comlex_to_step2(c + 10));

    assert_int_equal(parse(&p, DOC("us_do", ", \"scores\": {\"comlex2\": 600}"), &err), 0);
    assert_int_equal(sp_profile_complete(&p, &err), 0);
    assert_true(p.step2_ck == 257);
    assert_true(p.comlex2 == 600);
    a = find_assumption(&p, "scores.step2_ck");
    assert_non_null(a);
    assert_string_equal(a->value, "257");
    assert_non_null(strstr(a->why, "not an official concordance"));

    /* Both given: the student's own Step 2 CK stands. */
    assert_int_equal(
        parse(&p, DOC("us_do", ", \"scores\": {\"comlex2\": 600, \"step2_ck\": 240}"), &err), 0);
    assert_int_equal(sp_profile_complete(&p, &err), 0);
    assert_true(p.step2_ck == 240);
    assert_null(find_assumption(&p, "scores.step2_ck"));
}

static void a_failing_score_implies_a_failure(void **state)
{
    struct sp_profile p;
    struct sp_err err = SP_ERR_INIT;
    const struct sp_assumption *a;
    (void)state;

    assert_int_equal(parse(&p, MD(", \"scores\": {\"step2_ck\": 210}"), &err), 0);
    assert_int_equal(sp_profile_complete(&p, &err), 0);
    assert_int_equal(p.failures, 1);
    a = find_assumption(&p, "scores.failures");
    assert_non_null(a);
    assert_string_equal(a->why, "scores.step2_ck 210 is below the USMLE pass mark 218");
}

static void complete_is_idempotent(void **state)
{
    struct sp_profile p, q;
    struct sp_err err = SP_ERR_INIT;
    (void)state;

    assert_int_equal(parse(&p, DOC("us_do", ", \"scores\": {\"comlex2\": 610}"), &err), 0);
    assert_int_equal(sp_profile_complete(&p, &err), 0);
    q = p;
    assert_int_equal(sp_profile_complete(&q, &err), 0);
    assert_true(sp_profile_equal(&p, &q));
}

/* parse(to_json(p)) == p, and the same after completing both. */
static void assert_round_trip(const char *what, const char *text)
{
    struct sp_profile p, q;
    struct sp_err err = SP_ERR_INIT;
    char *json, *again;

    if (parse(&p, text, &err))
        fail_msg("%s: %s", what, err.msg);
    json = sp_profile_to_json(&p);
    assert_non_null(json);
    if (parse(&q, json, &err))
        fail_msg("%s: the writer's output does not read back: %s\n%s", what, err.msg, json);
    if (!sp_profile_equal(&p, &q))
        fail_msg("%s: round trip changed the profile:\n%s", what, json);
    again = sp_profile_to_json(&q);
    assert_string_equal(json, again);
    free(again);
    free(json);

    if (sp_profile_complete(&p, &err))
        fail_msg("%s: %s", what, err.msg);
    json = sp_profile_to_json(&p);
    assert_non_null(json);
    assert_int_equal(parse(&q, json, &err), 0);
    assert_int_equal(sp_profile_complete(&q, &err), 0);
    if (!sp_profile_equal(&p, &q))
        fail_msg("%s: round trip of the completed profile changed it:\n%s", what, json);
    free(json);
}

static void writer_round_trips(void **state)
{
    (void)state;

    assert_round_trip("minimal", MD(""));
    assert_round_trip("comlex only", DOC("us_do", ", \"scores\": {\"comlex2\": 600}"));
    assert_round_trip("budget 0", MD(", \"preferences\": {\"budget_usd\": 0}"));
    assert_round_trip(
        "empty groups",
        MD(", \"research\": {}, \"letters\": {}, \"geography\": {}, \"away_rotations\": [],"
           " \"home_programs\": [], \"values\": {}, \"red_flags\": {}"));
    assert_round_trip("odd reals",
                      MD(", \"scores\": {\"step2_ck\": 250.123456789012345},"
                         " \"preferences\": {\"target_p_match\": 0.1234567890123456789,"
                         " \"budget_usd\": 1e-300}"));
    assert_round_trip(
        "non-defaults",
        MD(", \"clinical\": {\"core_clerkships\": 8}, \"application_year\": 2030,"
           " \"preferences\": {\"program_type\": \"community\", \"avoid_states\": [\"DC\"]}"));
}

static void writer_prints_plain_numbers(void **state)
{
    struct sp_profile p;
    struct sp_err err = SP_ERR_INIT;
    char *json;
    (void)state;

    assert_int_equal(parse(&p,
                           MD(", \"scores\": {\"step2_ck\": 265.0},"
                              " \"preferences\": {\"target_p_match\": 0.85}"),
                           &err),
                     0);
    json = sp_profile_to_json(&p);
    assert_non_null(strstr(json, "\"step2_ck\": 265\n"));
    assert_non_null(strstr(json, "\"target_p_match\": 0.85\n"));
    assert_non_null(strstr(json, "\"schema\": \"smartpick.profile/1\""));
    assert_int_equal(json[strlen(json) - 1], '\n');
    free(json);
}

static void writer_refuses_invalid_utf8(void **state)
{
    struct sp_profile p;
    (void)state;

    sp_profile_init(&p);
    memcpy(p.name, "\xff\xfe", 3);
    assert_null(sp_profile_to_json(&p));
}

static void reader_skips_a_byte_order_mark(void **state)
{
    struct sp_profile p;
    struct sp_err err = SP_ERR_INIT;
    (void)state;

    assert_int_equal(parse(&p, "\xEF\xBB\xBF" MD(""), &err), 0);
    assert_int_equal(parse(&p, "\xEF\xBB\xBF", &err), SP_EINVAL);
    assert_string_equal(err.msg, "line 1, column 0: '[' or '{' expected near end of file");
}

static void reader_caps_the_document_size(void **state)
{
    struct sp_profile p;
    struct sp_err err = SP_ERR_INIT;
    (void)state;

    assert_int_equal(sp_profile_from_json(&p, "{}", SP_PROFILE_JSON_MAX + 1, &err), SP_EINVAL);
    assert_string_equal(err.msg, "profile: 1048577 bytes must be at most 1048576");
}

static void catalog_check_finds_unknown_and_mismatched_programs(void **state)
{
    sp_catalog *cat = sp_catalog_new();
    struct sp_program prog;
    struct sp_profile p;
    struct sp_err err = SP_ERR_INIT;
    (void)state;

    memset(&prog, 0, sizeof(prog));
    snprintf(prog.acgme_id, sizeof(prog.acgme_id), "4164800001");
    prog.specialty = SP_SPEC_IR;
    prog.institution = "UTSW";
    prog.city = "Dallas";
    memcpy(prog.state, "TX", 3);
    assert_int_equal(sp_catalog_add(cat, &prog, &err), 0);
    assert_int_equal(sp_catalog_freeze(cat, &err), 0);

    assert_int_equal(parse(&p,
                           MD(", \"away_rotations\": [{\"specialty\": \"IR\", \"acgme_id\": "
                              "\"4164800001\"}], \"home_programs\": [\"4164800001\"]"),
                           &err),
                     0);
    assert_int_equal(sp_profile_check_catalog(&p, cat, &err), 0);
    assert_int_equal(parse(&p,
                           MD(", \"away_rotations\": [{\"specialty\": \"IR\"}, {\"specialty\": "
                              "\"IR\", \"acgme_id\": \"4164800009\"}]"),
                           &err),
                     0);
    assert_int_equal(sp_profile_check_catalog(&p, cat, &err), SP_ENOTFOUND);
    assert_string_equal(err.msg,
                        "away_rotations[1].acgme_id: \"4164800009\" is not in the catalog");
    assert_int_equal(parse(&p, MD(", \"home_programs\": [\"4204821192\"]"), &err), 0);
    assert_int_equal(sp_profile_check_catalog(&p, cat, &err), SP_ENOTFOUND);
    assert_string_equal(err.msg, "home_programs[0]: \"4204821192\" is not in the catalog");
    sp_catalog_free(cat);
}

static void names_parse_and_print(void **state)
{
    enum sp_applicant_type t;
    enum sp_visa v;
    enum sp_program_pref pt;
    (void)state;

    for (int i = 0; i < SP_APP_TYPE_COUNT; i++) {
        assert_int_equal(
            sp_applicant_type_parse(&t, sp_applicant_type_name((enum sp_applicant_type)i)), 0);
        assert_int_equal(t, i);
    }
    assert_int_equal(sp_applicant_type_parse(&t, "US_MD"), SP_ENOTFOUND);
    assert_int_equal(sp_visa_parse(&v, "j1"), 0);
    assert_int_equal(v, SP_VISA_J1);
    assert_string_equal(sp_visa_name(SP_VISA_H1B), "h1b");
    assert_int_equal(sp_program_pref_parse(&pt, "community"), 0);
    assert_string_equal(sp_program_pref_name(pt), "community");
    assert_true(sp_profile_state_valid("DC"));
    assert_true(sp_profile_state_valid("PR"));
    assert_false(sp_profile_state_valid("GU"));
    assert_false(sp_profile_state_valid("tx"));
    assert_false(sp_profile_state_valid("TXX"));
}

static int by_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The examples named in the issue, plus whatever else is in examples/. */
static void examples_parse_complete_and_round_trip(void **state)
{
    static const char *const required[] = {
        "ir-highly-competitive.json",
        "ir-moderate.json",
        "ir-at-risk.json",
        "do-applicant.json",
        "img-visa.json",
        "couple-a.json",
        "couple-b.json",
    };
    char *names[64];
    size_t n = 0;
    DIR *dir = opendir(SP_SOURCE_DIR "/examples");
    struct dirent *e;
    (void)state;

    assert_non_null(dir);
    while ((e = readdir(dir)) && n < 64) {
        size_t len = strlen(e->d_name);
        /* Profiles only: rank lists (*.rank.json) are another schema. */
        if (len > 5 && strcmp(e->d_name + len - 5, ".json") == 0 &&
            !(len > 10 && strcmp(e->d_name + len - 10, ".rank.json") == 0))
            names[n++] = strdup(e->d_name);
    }
    closedir(dir);
    qsort(names, n, sizeof(names[0]), by_name);
    for (size_t i = 0; i < sizeof(required) / sizeof(required[0]); i++)
        assert_non_null(bsearch(&required[i], names, n, sizeof(names[0]), by_name));

    for (size_t i = 0; i < n; i++) {
        char path[512];
        struct sp_buf text = SP_BUF_INIT;
        struct sp_profile p;
        struct sp_err err = SP_ERR_INIT;

        snprintf(path, sizeof(path), "%s/examples/%s", SP_SOURCE_DIR, names[i]);
        assert_int_equal(sp_read_file(&text, path, &err), 0);
        if (parse(&p, sp_buf_cstr(&text), &err))
            fail_msg("%s: %s", names[i], err.msg);
        if (sp_profile_complete(&p, &err))
            fail_msg("%s: %s", names[i], err.msg);
        assert_round_trip(names[i], sp_buf_cstr(&text));
        /* The examples state the primary and the whole scores. */
        assert_true(p.given & SP_PF_SPECIALTIES);
        assert_true(p.given & SP_PF_STEP2_CK);
        if (strncmp(names[i], "ir-", 3) == 0 || strncmp(names[i], "couple-a", 8) == 0 ||
            strncmp(names[i], "do-", 3) == 0) {
            assert_int_equal(p.specialties[0], SP_SPEC_IR);
            assert_int_equal(p.specialties[1], SP_SPEC_DR);
        }
        sp_buf_release(&text);
    }

    /* The couple point at each other. */
    {
        struct sp_buf a = SP_BUF_INIT, b = SP_BUF_INIT;
        struct sp_profile pa, pb;
        struct sp_err err = SP_ERR_INIT;
        assert_int_equal(sp_read_file(&a, SP_SOURCE_DIR "/examples/couple-a.json", &err), 0);
        assert_int_equal(sp_read_file(&b, SP_SOURCE_DIR "/examples/couple-b.json", &err), 0);
        assert_int_equal(parse(&pa, sp_buf_cstr(&a), &err), 0);
        assert_int_equal(parse(&pb, sp_buf_cstr(&b), &err), 0);
        assert_string_equal(pa.partner_profile, "couple-b.json");
        assert_string_equal(pb.partner_profile, "couple-a.json");
        sp_buf_release(&a);
        sp_buf_release(&b);
    }
    for (size_t i = 0; i < n; i++)
        free(names[i]);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(profile_reads_every_key),
        cmocka_unit_test(profile_marks_only_the_groups_given),
        cmocka_unit_test(profile_rejects_with_path_value_and_rule),
        cmocka_unit_test(profile_reports_the_first_error_in_document_order),
        cmocka_unit_test(profile_checks_rules_between_fields),
        cmocka_unit_test(defaults_are_medians_of_the_type_with_sources),
        cmocka_unit_test(defaults_give_the_primary_three_letters),
        cmocka_unit_test(given_groups_keep_their_values),
        cmocka_unit_test(comlex_only_is_converted_and_said_so),
        cmocka_unit_test(a_failing_score_implies_a_failure),
        cmocka_unit_test(complete_is_idempotent),
        cmocka_unit_test(writer_round_trips),
        cmocka_unit_test(writer_prints_plain_numbers),
        cmocka_unit_test(writer_refuses_invalid_utf8),
        cmocka_unit_test(reader_skips_a_byte_order_mark),
        cmocka_unit_test(reader_caps_the_document_size),
        cmocka_unit_test(catalog_check_finds_unknown_and_mismatched_programs),
        cmocka_unit_test(names_parse_and_print),
        cmocka_unit_test(examples_parse_complete_and_round_trip),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
