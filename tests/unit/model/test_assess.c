/*
 * The assessment (core/model/assess.c) on a synthetic catalog under the documented
 * priors: P(match) rises with Step 2 CK and with every added application on the
 * typical list; the 80% interval holds the point estimate and is P at the strength
 * shifted by -/+1.2816 SD; tiers change at 0.5 and 0.8; a red flag lowers P and is
 * listed as a factor; improvements raise P, best first; the list arithmetic of
 * docs/MODEL.md (a program on a share of the lists misses with 1 - share x p).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "smartpick/model/assess.h"
#include "synth_world.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define Z80 1.2815515655446004 /* 90th percentile of N(0, 1), docs/MODEL.md */
#define PER_SPEC 40

static const enum sp_specialty world_specs[] = {SP_SPEC_IR, SP_SPEC_DR, SP_SPEC_IM};

static int setup(void **state)
{
    struct synth_world *w = calloc(1, sizeof(*w));

    if (!w || synth_world_init(w, world_specs, 3, PER_SPEC))
        return -1;
    *state = w;
    return 0;
}

static struct sp_profile profile_for(enum sp_specialty k)
{
    struct sp_profile p;

    assert_int_equal(synth_profile(&p, &k, 1), 0);
    return p;
}

static int typical_n(const struct synth_world *w, enum sp_specialty k)
{
    size_t n;

    sp_catalog_by_specialty(w->cat, k, &n);
    return sp_model_typical_applications(&w->m, k, SP_APP_US_MD, (int)n);
}

static double p_at(const struct synth_world *w, const struct sp_profile *p, enum sp_specialty k,
                   int n_apps, double shift)
{
    return sp_assess_p_match(&w->m, w->cat, w->q, p, k, n_apps, shift);
}

static void p_match_rises_with_step2_ck(void **state)
{
    const struct synth_world *w = *state;

    for (size_t s = 0; s < 3; s++) {
        enum sp_specialty k = world_specs[s];
        struct sp_profile p = profile_for(k);
        double prev = -1;
        for (double step2 = 215; step2 <= 275; step2 += 5) {
            double v;
            p.step2_ck = step2;
            v = p_at(w, &p, k, typical_n(w, k), 0);
            if (!(v >= 0 && v <= 1))
                fail_msg("%s, Step 2 %.0f: P(match) %.6f outside [0, 1]", sp_specialty_code(k),
                         step2, v);
            /* 5 points move the strength by 1/6 SD: far more than the ~1e-3 by which
             * a signal's steps may dent the curve (docs/MODEL.md). */
            if (!(v > prev + 1e-3))
                fail_msg("%s: Step 2 %.0f gives %.6f, not above %.6f at 5 points less",
                         sp_specialty_code(k), step2, v, prev);
            prev = v;
        }
    }
}

static void p_match_rises_with_each_added_application(void **state)
{
    const struct synth_world *w = *state;

    for (size_t s = 0; s < 3; s++) {
        enum sp_specialty k = world_specs[s];
        struct sp_profile p = profile_for(k);
        double prev = 0;
        for (int n = 1; n <= PER_SPEC; n++) {
            double v = p_at(w, &p, k, n, 0);
            if (!(v > prev))
                fail_msg("%s: %d applications give P(match) %.9f, not above %.9f at %d",
                         sp_specialty_code(k), n, v, prev, n - 1);
            prev = v;
        }
        /* Past the catalog the list cannot grow. */
        assert_true(p_at(w, &p, k, PER_SPEC + 10, 0) == prev);
    }
}

static void interval_holds_the_estimate_at_the_shifted_strengths(void **state)
{
    const struct synth_world *w = *state;
    static const double step2[] = {215, 245, 275};

    for (size_t i = 0; i < 3; i++) {
        struct sp_profile p;
        struct sp_assessment a;
        struct sp_err err = SP_ERR_INIT;
        assert_int_equal(synth_profile(&p, world_specs, 3), 0);
        p.step2_ck = step2[i];
        p.failures = i == 0; /* a term far from the reference widens the interval */
        assert_int_equal(sp_assess(&a, &w->m, w->cat, w->q, &p, &err), 0);
        assert_int_equal(a.n_spec, 3);
        for (size_t s = 0; s < a.n_spec; s++) {
            const struct sp_assess_specialty *r = &a.spec[s];
            double sd = r->strength.sd;
            if (!(0 <= r->p_low && r->p_low < r->p_match && r->p_match < r->p_high &&
                  r->p_high <= 1))
                fail_msg("%s, Step 2 %.0f: %.6f not inside (%.6f, %.6f)",
                         sp_specialty_code(r->code), step2[i], r->p_match, r->p_low, r->p_high);
            /* The 10th and 90th percentiles of P are P at the strength's percentiles. */
            assert_true(sd > 0);
            assert_true(fabs(r->p_low - p_at(w, &p, r->code, r->n_applications, -Z80 * sd)) <
                        1e-12);
            assert_true(fabs(r->p_high - p_at(w, &p, r->code, r->n_applications, Z80 * sd)) <
                        1e-12);
            assert_true(fabs(r->p_match - p_at(w, &p, r->code, r->n_applications, 0)) < 1e-12);
        }
    }
}

static void tiers_change_at_one_half_and_four_fifths(void **state)
{
    const struct synth_world *w = *state;
    struct sp_model m = w->m;

    assert_int_equal(sp_model_tier(&m, 1.0), SP_TIER_HIGH);
    assert_int_equal(sp_model_tier(&m, 0.8), SP_TIER_HIGH);
    assert_int_equal(sp_model_tier(&m, nextafter(0.8, 0)), SP_TIER_MODERATE);
    assert_int_equal(sp_model_tier(&m, 0.5), SP_TIER_MODERATE);
    assert_int_equal(sp_model_tier(&m, nextafter(0.5, 0)), SP_TIER_AT_RISK);
    assert_int_equal(sp_model_tier(&m, 0.0), SP_TIER_AT_RISK);
    assert_string_equal(sp_tier_code(SP_TIER_HIGH), "highly_competitive");
    assert_string_equal(sp_tier_code(SP_TIER_MODERATE), "moderately_competitive");
    assert_string_equal(sp_tier_code(SP_TIER_AT_RISK), "at_risk");
    assert_string_equal(sp_tier_label(SP_TIER_HIGH), "highly competitive");
    assert_string_equal(sp_tier_label(SP_TIER_MODERATE), "moderately competitive");
    assert_string_equal(sp_tier_label(SP_TIER_AT_RISK), "at-risk");
    /* The thresholds are the model's (model.json), not constants. */
    m.tier_high = 0.9;
    m.tier_moderate = 0.6;
    assert_int_equal(sp_model_tier(&m, 0.85), SP_TIER_MODERATE);
    assert_int_equal(sp_model_tier(&m, 0.55), SP_TIER_AT_RISK);
}

/* Every specialty's tier is the tier of its own P(match), over strengths that
 * reach all three. */
static void assessment_tier_follows_its_p_match(void **state)
{
    const struct synth_world *w = *state;
    bool seen[3] = {false, false, false};

    for (double step2 = 200; step2 <= 290; step2 += 10) {
        struct sp_profile p;
        struct sp_assessment a;
        struct sp_err err = SP_ERR_INIT;
        assert_int_equal(synth_profile(&p, world_specs, 3), 0);
        p.step2_ck = step2;
        assert_int_equal(sp_assess(&a, &w->m, w->cat, w->q, &p, &err), 0);
        for (size_t s = 0; s < a.n_spec; s++) {
            assert_int_equal(a.spec[s].tier, sp_model_tier(&w->m, a.spec[s].p_match));
            seen[a.spec[s].tier] = true;
        }
    }
    assert_true(seen[SP_TIER_HIGH] && seen[SP_TIER_MODERATE] && seen[SP_TIER_AT_RISK]);
}

static const struct sp_factor *find_factor(const struct sp_assessment *a, const char *name)
{
    for (size_t i = 0; i < a->n_factors; i++) {
        if (strcmp(a->factors[i].name, name) == 0)
            return &a->factors[i];
    }
    return NULL;
}

static void a_red_flag_lowers_p_match_and_is_listed_as_a_factor(void **state)
{
    const struct synth_world *w = *state;
    struct sp_profile base = profile_for(SP_SPEC_IR);
    struct sp_assessment a0, a;
    struct sp_err err = SP_ERR_INIT;
    static const char *const flags[] = {"professionalism", "exam_failures", "gap_months",
                                        "reapplicant"};

    assert_int_equal(sp_assess(&a0, &w->m, w->cat, w->q, &base, &err), 0);
    assert_null(find_factor(&a0, "professionalism"));
    for (size_t i = 0; i < 4; i++) {
        struct sp_profile p = base;
        const struct sp_factor *f;
        p.professionalism = i == 0;
        p.failures = i == 1 ? 1 : 0;
        p.gap_months = i == 2 ? 12 : 0;
        p.reapplicant = i == 3;
        assert_int_equal(sp_assess(&a, &w->m, w->cat, w->q, &p, &err), 0);
        if (!(a.spec[0].p_match < a0.spec[0].p_match - 1e-3))
            fail_msg("%s: P(match) %.6f is not below %.6f without it", flags[i], a.spec[0].p_match,
                     a0.spec[0].p_match);
        f = find_factor(&a, flags[i]);
        if (!f)
            fail_msg("%s is not among the factors", flags[i]);
        assert_true(f->delta_strength < 0 && f->delta_p < 0);
        /* P with the term minus P without it (docs/MODEL.md). */
        assert_true(
            fabs(f->delta_p - (a.spec[0].p_match - p_at(w, &p, SP_SPEC_IR, a.spec[0].n_applications,
                                                        -f->delta_strength))) < 1e-12);
        for (size_t j = 1; j < a.n_factors; j++)
            assert_true(fabs(a.factors[j].delta_p) <= fabs(a.factors[j - 1].delta_p));
    }
}

static void improvements_raise_p_match_best_first(void **state)
{
    const struct synth_world *w = *state;
    struct sp_profile p = profile_for(SP_SPEC_IR), higher;
    struct sp_assessment a;
    struct sp_err err = SP_ERR_INIT;
    double now;
    bool step2_listed = false;

    assert_int_equal(sp_assess(&a, &w->m, w->cat, w->q, &p, &err), 0);
    now = a.spec[0].p_match;
    assert_true(a.n_improvements >= 3);
    higher = p;
    higher.step2_ck += 10;
    for (size_t i = 0; i < a.n_improvements; i++) {
        const struct sp_improvement *imp = &a.improvements[i];
        assert_true(imp->p_after > now);
        assert_true(fabs(imp->delta_p - (imp->p_after - now)) < 1e-15);
        if (i)
            assert_true(imp->delta_p <= a.improvements[i - 1].delta_p);
        if (strcmp(imp->what, "a Step 2 CK 10 points higher (255)") == 0) {
            step2_listed = true;
            assert_true(fabs(imp->p_after -
                             p_at(w, &higher, SP_SPEC_IR, a.spec[0].n_applications, 0)) < 1e-12);
        }
    }
    assert_true(step2_listed);
}

static void assessment_follows_the_profile_order_or_takes_all_nine(void **state)
{
    const struct synth_world *w = *state;
    const enum sp_specialty order[2] = {SP_SPEC_IM, SP_SPEC_IR};
    struct sp_profile p;
    struct sp_assessment a;
    struct sp_err err = SP_ERR_INIT;

    assert_int_equal(synth_profile(&p, order, 2), 0);
    assert_int_equal(sp_assess(&a, &w->m, w->cat, w->q, &p, &err), 0);
    assert_int_equal(a.n_spec, 2);
    assert_int_equal(a.spec[0].code, SP_SPEC_IM);
    assert_int_equal(a.spec[1].code, SP_SPEC_IR);
    for (size_t s = 0; s < 2; s++) {
        enum sp_specialty k = a.spec[s].code;
        int typical = w->m.spec[k].typical_applications;
        assert_int_equal(a.spec[s].n_programs, PER_SPEC);
        /* the typical count (IR 37, IM 58), at most the programs there are */
        assert_int_equal(a.spec[s].n_applications, typical < PER_SPEC ? typical : PER_SPEC);
    }

    p.n_specialties = 0;
    assert_int_equal(sp_assess(&a, &w->m, w->cat, w->q, &p, &err), 0);
    assert_int_equal(a.n_spec, SP_SPEC_COUNT);
    for (int k = 0; k < SP_SPEC_COUNT; k++)
        assert_int_equal(a.spec[k].code, k);
    /* No program of GS in this catalog: no applications, no match. */
    assert_int_equal(a.spec[SP_SPEC_GS].n_programs, 0);
    assert_true(a.spec[SP_SPEC_GS].p_match == 0);
}

static void ir_and_dr_split_their_one_signal_pool(void **state)
{
    const struct synth_world *w = *state;
    const enum sp_specialty both[2] = {SP_SPEC_IR, SP_SPEC_DR};
    struct sp_profile p;
    struct sp_assessment a;
    struct sp_err err = SP_ERR_INIT;

    assert_int_equal(synth_profile(&p, both, 1), 0);
    assert_int_equal(sp_assess(&a, &w->m, w->cat, w->q, &p, &err), 0);
    assert_int_equal(a.spec[0].signals_gold, w->m.spec[SP_SPEC_IR].signals_gold);
    assert_int_equal(a.spec[0].signals_silver, w->m.spec[SP_SPEC_IR].signals_silver);
    assert_int_equal(synth_profile(&p, both, 2), 0);
    assert_int_equal(sp_assess(&a, &w->m, w->cat, w->q, &p, &err), 0);
    for (size_t s = 0; s < 2; s++) {
        assert_int_equal(a.spec[s].signals_gold, w->m.spec[SP_SPEC_IR].signals_gold / 2);
        assert_int_equal(a.spec[s].signals_silver, w->m.spec[SP_SPEC_IR].signals_silver / 2);
    }
}

static struct sp_list_item item(double weight, double share, double f_gold)
{
    struct sp_list_item it;

    memset(&it, 0, sizeof(it));
    it.none = (struct sp_app_logits){0, 0};      /* P(interview) 1/2, P(match | it) 1/2 */
    it.gold = (struct sp_app_logits){log(3), 0}; /* P(interview) 3/4 */
    it.silver = it.none;
    it.weight = weight;
    it.share = share;
    it.f_gold = f_gold;
    return it;
}

/* Without the cycle term (sigma 0) the list's P(match) is 1 - prod_j (1 - share_j
 * p_j)^(programs_j): checked item by item against that formula. */
static void a_program_on_part_of_the_lists_misses_with_one_minus_share_times_p(void **state)
{
    const struct synth_world *w = *state;
    struct sp_quadrature q;
    struct sp_list_item it[3];
    const double p = 0.25, p_gold = 0.375;

    assert_int_equal(sp_quadrature_init(&q, 1, 0.0), 0);
    it[0] = item(1, 1, 0);
    assert_true(fabs(sp_list_p_match(&w->m, &q, it, 1, 0) - p) < 1e-15);
    assert_true(fabs(sp_list_expected_interviews(&w->m, &q, it, 1, 0) - 0.5) < 1e-15);
    /* Six programs, each on half the lists: weight 3. */
    it[1] = item(3, 0.5, 0);
    assert_true(fabs(sp_list_p_match(&w->m, &q, &it[1], 1, 0) - (1 - pow(1 - 0.5 * p, 6))) < 1e-15);
    assert_true(fabs(sp_list_p_match(&w->m, &q, it, 2, 0) - (1 - (1 - p) * pow(1 - 0.5 * p, 6))) <
                1e-15);
    /* A gold signal on half of a program's applications. */
    it[2] = item(1, 1, 0.5);
    assert_true(fabs(sp_list_p_match(&w->m, &q, &it[2], 1, 0) - (0.5 * p + 0.5 * p_gold)) < 1e-15);
    assert_true(fabs(sp_list_expected_interviews(&w->m, &q, &it[2], 1, 0) - 0.625) < 1e-15);
    /* Weight 0: not on the list at all. */
    it[0].weight = 0;
    assert_true(fabs(sp_list_p_match(&w->m, &q, it, 2, 0) - (1 - pow(1 - 0.5 * p, 6))) < 1e-15);
}

static void a_model_without_quadrature_is_refused_naming_the_model(void **state)
{
    const struct synth_world *w = *state;
    struct sp_model m = w->m;
    struct sp_profile p = profile_for(SP_SPEC_IR);
    struct sp_assessment a;
    struct sp_err err = SP_ERR_INIT;

    m.gh_nodes = 0;
    assert_int_equal(sp_assess(&a, &m, w->cat, w->q, &p, &err), SP_EINVAL);
    assert_int_equal(strncmp(err.msg, "model: gh_nodes", 15), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(p_match_rises_with_step2_ck),
        cmocka_unit_test(p_match_rises_with_each_added_application),
        cmocka_unit_test(interval_holds_the_estimate_at_the_shifted_strengths),
        cmocka_unit_test(tiers_change_at_one_half_and_four_fifths),
        cmocka_unit_test(assessment_tier_follows_its_p_match),
        cmocka_unit_test(a_red_flag_lowers_p_match_and_is_listed_as_a_factor),
        cmocka_unit_test(improvements_raise_p_match_best_first),
        cmocka_unit_test(assessment_follows_the_profile_order_or_takes_all_nine),
        cmocka_unit_test(ir_and_dr_split_their_one_signal_pool),
        cmocka_unit_test(a_program_on_part_of_the_lists_misses_with_one_minus_share_times_p),
        cmocka_unit_test(a_model_without_quadrature_is_refused_naming_the_model),
    };
    return cmocka_run_group_tests(tests, setup, synth_fixture_free);
}
