/*
 * Backup-specialty fit (core/model/fit.c) on specialty profiles made up here:
 * fit = 0.4 standalone + 0.3 pathway + 0.3 P(match) (docs/MODEL.md), the standalone
 * score weighting what the student values, every score within [0, 1], the pathway
 * encoding, and the backups (every specialty but IR) ranked best fit first.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "smartpick/model/fit.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

/* A specialty's encoding: patient contact, procedural, imaging, lifestyle, income. */
static struct sp_specialty_profile spec_profile(enum sp_specialty k, const int dims[5],
                                                const char *pathway)
{
    struct sp_specialty_profile s;

    memset(&s, 0, sizeof(s));
    s.specialty = k;
    s.tracks = "categorical";
    s.patient_contact = dims[0];
    s.procedural = dims[1];
    s.imaging = dims[2];
    s.lifestyle = dims[3];
    s.income = dims[4];
    s.ir_pathway = pathway;
    s.ir_pathway_note = "";
    s.pros = "";
    s.cons = "";
    s.present = 1;
    return s;
}

static void set_values(struct sp_profile *p, const int v[5])
{
    sp_profile_init(p);
    p->value_patient_contact = v[0];
    p->value_procedural = v[1];
    p->value_imaging = v[2];
    p->value_lifestyle = v[3];
    p->value_income = v[4];
}

/* Every specialty with the same middling encoding and the "fellowship" pathway. */
static sp_facts *uniform_facts(void)
{
    static const int mid[5] = {3, 3, 3, 3, 3};
    sp_facts *f = sp_facts_new();

    for (int k = 0; k < SP_SPEC_COUNT; k++) {
        struct sp_specialty_profile s = spec_profile((enum sp_specialty)k, mid, "fellowship");
        sp_facts_set_profile(f, &s);
    }
    return f;
}

static void fit_is_the_documented_weighted_sum(void **state)
{
    static const int all5[5] = {5, 5, 5, 5, 5}, all3[5] = {3, 3, 3, 3, 3};
    sp_facts *f = uniform_facts();
    struct sp_specialty_profile best = spec_profile(SP_SPEC_DR, all5, "direct");
    struct sp_profile p;
    struct sp_fit_row rows[SP_SPEC_COUNT];
    double pm[SP_SPEC_COUNT] = {0};
    size_t n;
    (void)state;

    sp_facts_set_profile(f, &best);
    set_values(&p, all3);
    pm[SP_SPEC_DR] = 0.5;
    n = sp_fit(rows, f, &p, pm);
    assert_int_equal(n, SP_SPEC_COUNT - 1);
    /* DR offers everything (standalone 1), leads straight to IR (1), P(match) 0.5:
     * 0.4 + 0.3 + 0.15. */
    assert_int_equal(rows[0].code, SP_SPEC_DR);
    assert_true(fabs(rows[0].standalone_score - 1.0) < 1e-15);
    assert_true(fabs(rows[0].ir_pathway_score - 1.0) < 1e-15);
    assert_true(fabs(rows[0].fit_score - 0.85) < 1e-15);
    for (size_t i = 0; i < n; i++) {
        const struct sp_fit_row *r = &rows[i];
        assert_true(fabs(r->fit_score - (0.4 * r->standalone_score + 0.3 * r->ir_pathway_score +
                                         0.3 * r->p_match)) < 1e-15);
        assert_true(r->p_match == pm[r->code]);
        assert_ptr_equal(r->profile, sp_facts_profile(f, r->code));
    }
    sp_facts_free(f);
}

/* standalone = sum_d v_d (p_d - 1) / 4 / sum_d v_d: a student who cares most about
 * procedures gets 5/9 from a procedural specialty that offers nothing else and 4/9
 * from its opposite, and ranks the procedural one higher; the opposite student the
 * reverse. */
static void standalone_score_weighs_what_the_student_values(void **state)
{
    static const int procedural[5] = {1, 5, 1, 1, 1}, rest[5] = {5, 1, 5, 5, 5};
    static const int wants_procedures[5] = {1, 5, 1, 1, 1}, wants_rest[5] = {5, 1, 5, 5, 5};
    sp_facts *f = uniform_facts();
    struct sp_specialty_profile a = spec_profile(SP_SPEC_GS, procedural, "tangential");
    struct sp_specialty_profile b = spec_profile(SP_SPEC_NEURO, rest, "tangential");
    struct sp_profile p;
    struct sp_fit_row rows[SP_SPEC_COUNT];
    double pm[SP_SPEC_COUNT] = {0};
    size_t n, at_gs = 0, at_neuro = 0;
    (void)state;

    sp_facts_set_profile(f, &a);
    sp_facts_set_profile(f, &b);
    set_values(&p, wants_procedures);
    assert_true(fabs(sp_fit_standalone_score(&p, &a) - 5.0 / 9.0) < 1e-15);
    assert_true(fabs(sp_fit_standalone_score(&p, &b) - 16.0 / 36.0) < 1e-15);
    n = sp_fit(rows, f, &p, pm);
    for (size_t i = 0; i < n; i++) {
        at_gs = rows[i].code == SP_SPEC_GS ? i : at_gs;
        at_neuro = rows[i].code == SP_SPEC_NEURO ? i : at_neuro;
    }
    assert_true(at_gs < at_neuro);

    set_values(&p, wants_rest);
    n = sp_fit(rows, f, &p, pm);
    for (size_t i = 0; i < n; i++) {
        at_gs = rows[i].code == SP_SPEC_GS ? i : at_gs;
        at_neuro = rows[i].code == SP_SPEC_NEURO ? i : at_neuro;
    }
    assert_true(at_neuro < at_gs);
    sp_facts_free(f);
}

/* Over every student value and specialty level (1..5) on two dimensions, the
 * extremes on the rest: each score within [0, 1], 0 and 1 reached exactly. */
static void scores_stay_within_zero_and_one(void **state)
{
    static const char *const paths[] = {
        "direct",     "esir_independent", "endovascular", "neurointerventional",
        "fellowship", "tangential",       "unknown"};
    double lo = 1, hi = 0;
    (void)state;

    for (int v = 1; v <= 5; v++) {
        for (int h = 1; h <= 5; h++) {
            for (int ext = 1; ext <= 5; ext += 4) {
                const int want[5] = {v, 6 - v, ext, 3, ext};
                const int have[5] = {h, ext, 6 - h, ext, 1};
                const int flat[5] = {ext, ext, ext, ext, ext};
                struct sp_profile p;
                struct sp_specialty_profile s = spec_profile(SP_SPEC_IM, have, "fellowship");
                struct sp_specialty_profile e = spec_profile(SP_SPEC_IM, flat, "fellowship");
                double sc, se;
                set_values(&p, want);
                sc = sp_fit_standalone_score(&p, &s);
                se = sp_fit_standalone_score(&p, &e);
                assert_true(sc >= 0 && sc <= 1);
                assert_true(se == (ext - 1) / 4.0); /* a flat specialty scores its level */
                lo = fmin(lo, fmin(sc, se));
                hi = fmax(hi, fmax(sc, se));
            }
        }
    }
    assert_true(lo == 0 && hi == 1);
    for (size_t i = 0; i < sizeof(paths) / sizeof(paths[0]); i++) {
        double s = sp_fit_pathway_score(paths[i]);
        assert_true(s >= 0 && s <= 1);
    }
}

static void pathway_scores_follow_the_documented_encoding(void **state)
{
    static const struct {
        const char *pathway;
        double score;
    } table[] = {
        {"direct", 1.0},
        {"esir_independent", 0.9},
        {"endovascular", 0.6},
        {"neurointerventional", 0.5},
        {"fellowship", 0.4},
        {"tangential", 0.1},
        {"", 0},
        {"Direct", 0},
        {"none", 0},
    };
    (void)state;

    for (size_t i = 0; i < sizeof(table) / sizeof(table[0]); i++) {
        double got = sp_fit_pathway_score(table[i].pathway);
        if (got != table[i].score)
            fail_msg("pathway '%s': %.2f, documented %.2f", table[i].pathway, got, table[i].score);
    }
}

/* The backups are the other eight specialties that have a profile, best fit first,
 * equal fits in specialty order; better odds move a backup up. */
static void backups_are_the_other_specialties_best_fit_first(void **state)
{
    sp_facts *f = uniform_facts();
    sp_facts *partial = sp_facts_new();
    struct sp_profile p;
    struct sp_fit_row rows[SP_SPEC_COUNT];
    double pm[SP_SPEC_COUNT];
    static const int mid[5] = {3, 3, 3, 3, 3};
    size_t n;
    (void)state;

    sp_profile_init(&p);
    for (int k = 0; k < SP_SPEC_COUNT; k++)
        pm[k] = 0.5;
    n = sp_fit(rows, f, &p, pm);
    assert_int_equal(n, SP_SPEC_COUNT - 1);
    for (size_t i = 0; i < n; i++) {
        assert_int_not_equal(rows[i].code, SP_SPEC_IR);
        if (i)
            assert_true(rows[i].code > rows[i - 1].code); /* all equal: specialty order */
    }
    pm[SP_SPEC_PMR] = 0.6;
    pm[SP_SPEC_IM] = 0.55;
    n = sp_fit(rows, f, &p, pm);
    assert_int_equal(rows[0].code, SP_SPEC_PMR);
    assert_int_equal(rows[1].code, SP_SPEC_IM);
    for (size_t i = 1; i < n; i++)
        assert_true(rows[i].fit_score <= rows[i - 1].fit_score);

    /* Only specialties with a profile are scored. */
    for (int k = SP_SPEC_IR; k <= SP_SPEC_IM; k++) {
        struct sp_specialty_profile s = spec_profile((enum sp_specialty)k, mid, "direct");
        sp_facts_set_profile(partial, &s);
    }
    n = sp_fit(rows, partial, &p, pm);
    assert_int_equal(n, 2);
    assert_true((rows[0].code == SP_SPEC_IM && rows[1].code == SP_SPEC_DR));
    sp_facts_free(partial);
    sp_facts_free(f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(fit_is_the_documented_weighted_sum),
        cmocka_unit_test(standalone_score_weighs_what_the_student_values),
        cmocka_unit_test(scores_stay_within_zero_and_one),
        cmocka_unit_test(pathway_scores_follow_the_documented_encoding),
        cmocka_unit_test(backups_are_the_other_specialties_best_fit_first),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
