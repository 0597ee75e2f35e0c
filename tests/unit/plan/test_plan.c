/*
 * The plan (sp_plan_build, core/plan/plan.c) on a synthetic catalog of IR, DR, IM and
 * EM programs: the budget and the count cap are never exceeded, the costs add up
 * under the published fees, per-specialty minimums and maximums and the per-city cap
 * hold under every objective, an included program is applied to and an excluded or
 * avoided one is not, every probability lies within its bounds and the specialties'
 * shares add up to P(match anywhere) inside its interval, the curve passes through
 * the plan, the PGY-1 year is budgeted only with advanced positions, and the same
 * input gives the same plan.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "smartpick/plan/plan.h"
#include "synth_world.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PER_SPEC 30

static const enum sp_specialty world_specs[] = {SP_SPEC_IR, SP_SPEC_DR, SP_SPEC_IM, SP_SPEC_EM};
static const enum sp_specialty plan_specs[] = {SP_SPEC_IR, SP_SPEC_DR, SP_SPEC_IM};
static const enum sp_objective objectives[] = {SP_OBJ_UTILITY, SP_OBJ_MATCH, SP_OBJ_MIN_COST};

struct fixture {
    struct synth_world w; /* first: synth_fixture_free releases it */
    struct sp_fees fees;
    struct sp_profile p; /* IR, DR, IM */
};

static int setup(void **state)
{
    struct fixture *f = calloc(1, sizeof(*f));

    if (!f || synth_world_init(&f->w, world_specs, 4, PER_SPEC) ||
        synth_profile(&f->p, plan_specs, 3))
        return -1;
    sp_fees_default(&f->fees);
    *state = f;
    return 0;
}

static struct sp_plan *build(const struct fixture *f, const struct sp_model *m,
                             const struct sp_profile *p, const struct sp_plan_options *o)
{
    struct sp_plan *plan = NULL;
    struct sp_err err = SP_ERR_INIT;

    if (sp_plan_build(&plan, m, f->w.cat, f->w.q, &f->fees, p, o, &err))
        fail_msg("plan: %s", err.msg);
    return plan;
}

static const struct sp_plan_specialty *plan_spec(const struct sp_plan *plan, enum sp_specialty k)
{
    for (size_t i = 0; i < plan->n_spec; i++) {
        if (plan->spec[i].code == k)
            return &plan->spec[i];
    }
    fail_msg("%s is not in the plan's specialties", sp_specialty_code(k));
    return NULL;
}

static bool applies_to(const struct sp_plan *plan, const char *acgme_id)
{
    for (size_t i = 0; i < plan->n_programs; i++) {
        if (strcmp(plan->programs[i].program->acgme_id, acgme_id) == 0)
            return true;
    }
    return false;
}

/* The costs add up: each specialty's fee for its count (the count restarts per
 * specialty), their sum, the PGY-1 applications and the transcript. */
static void check_costs(const struct fixture *f, const struct sp_plan *plan)
{
    double apps = 0;
    int n = 0;

    for (size_t i = 0; i < plan->n_spec; i++) {
        const struct sp_plan_specialty *s = &plan->spec[i];
        double fee = sp_fee_cost(sp_fees_for(&f->fees, s->code), s->n_applications);
        assert_true(fabs(s->cost_usd - fee) < 1e-9);
        apps += fee;
        n += s->n_applications;
    }
    assert_int_equal(n, (int)plan->n_programs);
    assert_true(fabs(plan->cost_applications_usd - apps) < 1e-9);
    assert_true(plan->cost_transcript_usd == f->fees.transcript_usd);
    assert_true(fabs(plan->cost_usd - (apps + plan->cost_pgy1_usd + plan->cost_transcript_usd)) <
                1e-9);
}

static void plan_never_spends_more_than_the_budget(void **state)
{
    const struct fixture *f = *state;
    static const double budgets[] = {150, 250, 400, 700, 1200};

    for (size_t o = 0; o < 2; o++) {
        double prev = 0;
        for (size_t b = 0; b < sizeof(budgets) / sizeof(budgets[0]); b++) {
            struct sp_plan_options opt;
            struct sp_plan *plan;
            sp_plan_options_init(&opt);
            opt.objective = objectives[o];
            opt.budget_usd = budgets[b];
            plan = build(f, &f->w.m, &f->p, &opt);
            if (!(plan->cost_usd <= budgets[b] + 1e-9))
                fail_msg("objective %zu, budget $%.0f: the plan costs $%.2f", o, budgets[b],
                         plan->cost_usd);
            assert_true(plan->budget_usd == budgets[b]);
            assert_true(plan->n_programs > 0);
            check_costs(f, plan);
            /* More money never buys lower odds of matching. */
            if (objectives[o] == SP_OBJ_MATCH && !(plan->p_match_any >= prev - 1e-12))
                fail_msg("budget $%.0f: P(match anywhere) %.6f, %.6f with less", budgets[b],
                         plan->p_match_any, prev);
            prev = plan->p_match_any;
            sp_plan_free(plan);
        }
    }
}

static void plan_never_exceeds_the_application_cap(void **state)
{
    const struct fixture *f = *state;

    for (size_t o = 0; o < 3; o++) {
        for (int cap = 1; cap <= 25; cap += 6) {
            struct sp_plan_options opt;
            struct sp_plan *plan;
            sp_plan_options_init(&opt);
            opt.objective = objectives[o];
            opt.max_applications = cap;
            opt.target_p_match = 0.99;
            plan = build(f, &f->w.m, &f->p, &opt);
            if (!(plan->n_programs >= 1 && (int)plan->n_programs <= cap))
                fail_msg("objective %zu, at most %d applications: %zu", o, cap, plan->n_programs);
            assert_int_equal(plan->max_applications, cap);
            sp_plan_free(plan);
        }
    }
}

/* --min IM=8 and --max IR=2, DR=4 under each objective, with room in the budget. */
static void per_specialty_minimum_and_maximum_hold_under_every_objective(void **state)
{
    const struct fixture *f = *state;

    for (size_t o = 0; o < 3; o++) {
        struct sp_plan_options opt;
        struct sp_plan *plan;
        sp_plan_options_init(&opt);
        opt.objective = objectives[o];
        opt.budget_usd = 1500;
        opt.target_p_match = 0.5;
        opt.min_per_specialty[SP_SPEC_IM] = 8;
        opt.max_per_specialty[SP_SPEC_IR] = 2;
        opt.max_per_specialty[SP_SPEC_DR] = 4;
        plan = build(f, &f->w.m, &f->p, &opt);
        if (plan_spec(plan, SP_SPEC_IM)->n_applications < 8 ||
            plan_spec(plan, SP_SPEC_IR)->n_applications > 2 ||
            plan_spec(plan, SP_SPEC_DR)->n_applications > 4)
            fail_msg("objective %zu: IM %d (min 8), IR %d (max 2), DR %d (max 4)", o,
                     plan_spec(plan, SP_SPEC_IM)->n_applications,
                     plan_spec(plan, SP_SPEC_IR)->n_applications,
                     plan_spec(plan, SP_SPEC_DR)->n_applications);
        sp_plan_free(plan);
    }
}

static void per_city_cap_holds(void **state)
{
    const struct fixture *f = *state;
    struct sp_plan_options opt;
    struct sp_plan *plan;

    sp_plan_options_init(&opt);
    opt.objective = SP_OBJ_MATCH;
    opt.max_per_city = 2;
    plan = build(f, &f->w.m, &f->p, &opt);
    assert_true(plan->n_programs > 16); /* more than 2 per city on 8 cities: a real cap */
    for (size_t i = 0; i < plan->n_programs; i++) {
        const struct sp_program *a = plan->programs[i].program;
        int same = 0;
        for (size_t j = 0; j < plan->n_programs; j++) {
            const struct sp_program *b = plan->programs[j].program;
            same += strcmp(a->city, b->city) == 0 && strcmp(a->state, b->state) == 0;
        }
        if (same > 2)
            fail_msg("%d programs in %s, %s; the cap is 2", same, a->city, a->state);
    }
    sp_plan_free(plan);
}

/* The most selective IR program is not in a small plan; included, it is, beyond the
 * count cap's reach. The plan's first program, excluded, is gone. */
static void an_included_program_is_applied_to_and_an_excluded_one_is_not(void **state)
{
    const struct fixture *f = *state;
    struct sp_plan_options opt;
    struct sp_plan *plan;
    const char *reach = NULL;
    char first[SP_ACGME_ID_LEN + 1];
    size_t n_all;
    const struct sp_program *all = sp_catalog_programs(f->w.cat, &n_all);
    double q_max = -HUGE_VAL;

    for (size_t j = 0; j < n_all; j++) {
        if (all[j].specialty == SP_SPEC_IR && f->w.q[j] > q_max) {
            q_max = f->w.q[j];
            reach = all[j].acgme_id;
        }
    }
    sp_plan_options_init(&opt);
    opt.max_applications = 6;
    plan = build(f, &f->w.m, &f->p, &opt);
    assert_false(applies_to(plan, reach));
    snprintf(first, sizeof(first), "%s", plan->programs[0].program->acgme_id);
    sp_plan_free(plan);

    snprintf(opt.include[opt.n_include++], sizeof(opt.include[0]), "%s", reach);
    snprintf(opt.exclude[opt.n_exclude++], sizeof(opt.exclude[0]), "%s", first);
    plan = build(f, &f->w.m, &f->p, &opt);
    assert_true(applies_to(plan, reach));
    assert_false(applies_to(plan, first));
    sp_plan_free(plan);
}

static void an_include_outside_the_plan_is_refused_naming_the_option(void **state)
{
    const struct fixture *f = *state;
    struct sp_plan_options opt;
    struct sp_plan *plan = NULL;
    struct sp_err err = SP_ERR_INIT;
    char em[SP_ACGME_ID_LEN + 1], want[160];

    sp_plan_options_init(&opt);
    synth_program_id(em, sizeof(em), SP_SPEC_EM, 0);
    snprintf(opt.include[opt.n_include++], sizeof(opt.include[0]), "%s", em);
    assert_int_equal(sp_plan_build(&plan, &f->w.m, f->w.cat, f->w.q, &f->fees, &f->p, &opt, &err),
                     SP_EINVAL);
    snprintf(want, sizeof(want),
             "include: '%s' is a EM program; add EM to preferences.specialties to apply to it", em);
    assert_string_equal(err.msg, want);

    snprintf(opt.include[0], sizeof(opt.include[0]), "9999999999");
    assert_int_equal(sp_plan_build(&plan, &f->w.m, f->w.cat, f->w.q, &f->fees, &f->p, &opt, &err),
                     SP_EINVAL);
    assert_string_equal(err.msg, "include: '9999999999' is not in the catalog");
}

static void avoided_states_are_never_applied_to(void **state)
{
    const struct fixture *f = *state;
    struct sp_profile p = f->p;
    struct sp_plan_options opt;
    struct sp_plan *plan;

    memcpy(p.avoid_states[p.n_avoid_states++], "CA", 3);
    memcpy(p.avoid_states[p.n_avoid_states++], "OH", 3);
    sp_plan_options_init(&opt);
    opt.objective = SP_OBJ_MATCH;
    plan = build(f, &f->w.m, &p, &opt);
    assert_true(plan->n_programs > 10);
    for (size_t i = 0; i < plan->n_programs; i++) {
        assert_string_not_equal(plan->programs[i].program->state, "CA");
        assert_string_not_equal(plan->programs[i].program->state, "OH");
    }
    sp_plan_free(plan);
}

/* Per program P(match) <= P(interview) within [0, 1] and the tier from P(interview);
 * per specialty P within its interval; the specialties' shares add up to P(match
 * anywhere), which lies within its own interval; signals within their pools. */
static void every_probability_lies_within_its_bounds(void **state)
{
    const struct fixture *f = *state;

    for (size_t o = 0; o < 3; o++) {
        struct sp_plan_options opt;
        struct sp_plan *plan;
        double sum = 0;
        int gold_rad = 0, silver_rad = 0;
        sp_plan_options_init(&opt);
        opt.objective = objectives[o];
        opt.budget_usd = 900;
        plan = build(f, &f->w.m, &f->p, &opt);
        for (size_t i = 0; i < plan->n_programs; i++) {
            const struct sp_plan_program *pp = &plan->programs[i];
            enum sp_program_tier tier = pp->p_interview < 0.25   ? SP_PT_REACH
                                        : pp->p_interview < 0.55 ? SP_PT_TARGET
                                                                 : SP_PT_LIKELY;
            assert_true(pp->p_match > 0 && pp->p_match <= pp->p_interview && pp->p_interview < 1);
            assert_int_equal(pp->tier, tier);
            assert_int_equal(pp->order, (int)i + 1);
            assert_true(pp->distance_miles == -1); /* no origin given */
        }
        for (size_t s = 0; s < plan->n_spec; s++) {
            const struct sp_plan_specialty *ps = &plan->spec[s];
            double interviews = 0;
            assert_true(0 <= ps->p_low && ps->p_low <= ps->p_match && ps->p_match <= ps->p_high &&
                        ps->p_high <= 1);
            sum += ps->p_match;
            /* a specialty's share comes from its own applications */
            assert_true(ps->n_applications > 0 ? ps->p_match > 0 : ps->p_match == 0);
            for (size_t i = 0; i < plan->n_programs; i++) {
                if (plan->programs[i].specialty == ps->code)
                    interviews += plan->programs[i].p_interview;
            }
            assert_true(fabs(ps->expected_interviews - interviews) < 1e-9);
            if (ps->code == SP_SPEC_IR || ps->code == SP_SPEC_DR) {
                gold_rad += ps->signals_gold;
                silver_rad += ps->signals_silver;
            } else {
                assert_true(ps->signals_gold <= ps->signals_gold_available);
                assert_true(ps->signals_silver <= ps->signals_silver_available);
            }
        }
        /* DR and IR draw on one pool of 6 + 6. */
        assert_true(gold_rad <= f->w.m.spec[SP_SPEC_IR].signals_gold);
        assert_true(silver_rad <= f->w.m.spec[SP_SPEC_IR].signals_silver);
        assert_true(fabs(sum - plan->p_match_any) < 1e-12);
        assert_true(0 < plan->p_match_any_low && plan->p_match_any_low < plan->p_match_any &&
                    plan->p_match_any < plan->p_match_any_high && plan->p_match_any_high < 1);
        assert_true(plan->target_met == (plan->p_match_any >= plan->target_p_match));
        sp_plan_free(plan);
    }
}

/* A backup's share of P(match) can fall as the student gets stronger (the specialties
 * ranked above it take more of the matches): its interval still holds its share
 * strictly inside, low end first. Here IM is made all but certain. */
static void a_backup_interval_holds_its_share_when_the_share_falls_with_strength(void **state)
{
    const struct fixture *f = *state;
    struct sp_model m = f->w.m;
    struct sp_plan_options opt;
    struct sp_plan *plan;
    const struct sp_plan_specialty *im;

    m.spec[SP_SPEC_IM].a = 5;
    m.spec[SP_SPEC_IM].b = 3;
    sp_plan_options_init(&opt);
    opt.min_per_specialty[SP_SPEC_IR] = 15; /* many IR programs ranked above IM */
    plan = build(f, &m, &f->p, &opt);
    im = plan_spec(plan, SP_SPEC_IM);
    assert_true(im->n_applications > 0);
    /* IM is all but certain, so its share is P(no IR or DR match), which falls with
     * strength: the interval's low end comes from the stronger shift. */
    if (!(im->p_low < im->p_match && im->p_match < im->p_high))
        fail_msg("IM: %.6f not inside (%.6f, %.6f)", im->p_match, im->p_low, im->p_high);
    sp_plan_free(plan);
}

/* The diminishing-returns curve counts one application per point, never falls, and
 * passes through the plan itself (P and cost), then goes on past it. */
static void the_curve_rises_through_the_plan(void **state)
{
    const struct fixture *f = *state;
    struct sp_plan_options opt;
    struct sp_plan *plan;
    const struct sp_curve_point *at;

    sp_plan_options_init(&opt);
    opt.budget_usd = 500;
    plan = build(f, &f->w.m, &f->p, &opt);
    assert_true(plan->n_curve > plan->n_programs);
    for (size_t i = 0; i < plan->n_curve; i++) {
        assert_int_equal(plan->curve[i].n_applications, (int)i + 1);
        if (i)
            assert_true(plan->curve[i].p_match_any >= plan->curve[i - 1].p_match_any - 1e-12);
    }
    at = &plan->curve[plan->n_programs - 1];
    assert_true(fabs(at->p_match_any - plan->p_match_any) < 1e-12);
    assert_true(fabs(at->cost_usd - plan->cost_applications_usd) < 1e-9);
    for (size_t s = 0; s < plan->n_spec; s++) {
        assert_true(plan->n_spec_curve[s] > 0);
        for (size_t i = 1; i < plan->n_spec_curve[s]; i++)
            assert_true(plan->spec_curve[s][i].p_match_any >=
                        plan->spec_curve[s][i - 1].p_match_any - 1e-12);
    }
    sp_plan_free(plan);
}

/* IR and DR positions are mostly advanced: a plan with them budgets 15 PGY-1 ERAS
 * applications ($165), which the budget must cover with the transcript; a plan
 * without advanced positions does not. */
static void the_pgy1_year_is_budgeted_only_with_advanced_positions(void **state)
{
    const struct fixture *f = *state;
    struct sp_model m = f->w.m;
    struct sp_profile im_only;
    const enum sp_specialty im = SP_SPEC_IM;
    struct sp_plan_options opt;
    struct sp_plan *plan;
    struct sp_err err = SP_ERR_INIT;

    m.spec[SP_SPEC_IR].advanced_share = 0.4;
    m.spec[SP_SPEC_DR].advanced_share = 0.8;
    sp_plan_options_init(&opt);
    opt.budget_usd = 600;
    plan = build(f, &m, &f->p, &opt);
    assert_true(plan_spec(plan, SP_SPEC_IR)->n_applications +
                    plan_spec(plan, SP_SPEC_DR)->n_applications >
                0);
    assert_int_equal(plan->pgy1_applications, 15);
    assert_true(plan->cost_pgy1_usd == 15 * 11.0);
    assert_true(plan->cost_usd <= 600);
    check_costs(f, plan);
    sp_plan_free(plan);

    assert_int_equal(synth_profile(&im_only, &im, 1), 0);
    plan = build(f, &m, &im_only, &opt);
    assert_int_equal(plan->pgy1_applications, 0);
    assert_true(plan->cost_pgy1_usd == 0);
    check_costs(f, plan);
    sp_plan_free(plan);

    opt.budget_usd = 200; /* under $80 + $165 */
    assert_int_equal(sp_plan_build(&plan, &m, f->w.cat, f->w.q, &f->fees, &f->p, &opt, &err),
                     SP_EINVAL);
    assert_int_equal(strncmp(err.msg, "budget_usd: 200 does not cover", 30), 0);
}

/* EM applications go through ResidencyCAS: the first costs $99. */
static void emergency_medicine_is_charged_residencycas_fees(void **state)
{
    const struct fixture *f = *state;
    const enum sp_specialty specs[2] = {SP_SPEC_EM, SP_SPEC_IM};
    struct sp_profile p;
    struct sp_plan_options opt;
    struct sp_plan *plan;
    const struct sp_plan_specialty *em;

    assert_int_equal(synth_profile(&p, specs, 2), 0);
    sp_plan_options_init(&opt);
    opt.budget_usd = 700;
    opt.min_per_specialty[SP_SPEC_EM] = 1;
    plan = build(f, &f->w.m, &p, &opt);
    em = plan_spec(plan, SP_SPEC_EM);
    assert_true(em->n_applications >= 1);
    assert_true(em->cost_usd >= 99);
    check_costs(f, plan);
    sp_plan_free(plan);
}

static void min_cost_meets_a_reachable_target_and_says_when_it_cannot(void **state)
{
    const struct fixture *f = *state;
    struct sp_plan_options opt;
    struct sp_plan *plan;

    sp_plan_options_init(&opt);
    opt.objective = SP_OBJ_MIN_COST;
    opt.target_p_match = 0.8;
    plan = build(f, &f->w.m, &f->p, &opt);
    assert_true(plan->target_met && plan->p_match_any >= 0.8);
    assert_true(plan->target_p_match == 0.8);
    sp_plan_free(plan);

    opt.target_p_match = 0.999999;
    opt.max_applications = 5;
    plan = build(f, &f->w.m, &f->p, &opt);
    assert_false(plan->target_met);
    assert_true(plan->p_match_any < 0.999999);
    sp_plan_free(plan);
}

/* target_met says whether P(match anywhere) reaches the target: the same plan (the
 * match objective does not read the target) meets a target at its P, not one just
 * above. */
static void target_met_says_whether_p_match_reaches_the_target(void **state)
{
    const struct fixture *f = *state;
    struct sp_plan_options opt;
    struct sp_plan *plan;
    double p;

    sp_plan_options_init(&opt);
    opt.objective = SP_OBJ_MATCH;
    opt.max_applications = 5;
    plan = build(f, &f->w.m, &f->p, &opt);
    p = plan->p_match_any;
    sp_plan_free(plan);
    opt.target_p_match = p;
    plan = build(f, &f->w.m, &f->p, &opt);
    assert_true(plan->p_match_any == p && plan->target_met);
    sp_plan_free(plan);
    opt.target_p_match = p + 1e-9;
    plan = build(f, &f->w.m, &f->p, &opt);
    assert_true(plan->p_match_any == p && !plan->target_met);
    sp_plan_free(plan);
}

/* With one application, P(match anywhere) is P(match) at that program, whatever
 * signal it carries. */
static void one_application_matches_with_its_own_p_match(void **state)
{
    const struct fixture *f = *state;

    for (size_t o = 0; o < 3; o++) {
        struct sp_plan_options opt;
        struct sp_plan *plan;
        sp_plan_options_init(&opt);
        opt.objective = objectives[o];
        opt.max_applications = 1;
        plan = build(f, &f->w.m, &f->p, &opt);
        assert_int_equal(plan->n_programs, 1);
        if (!(fabs(plan->programs[0].p_match - plan->p_match_any) < 1e-12))
            fail_msg("objective %zu: the program's P(match) %.12f, the plan's %.12f (signal %s)", o,
                     plan->programs[0].p_match, plan->p_match_any,
                     sp_signal_name(plan->programs[0].signal));
        sp_plan_free(plan);
    }
}

static void a_plan_without_specialties_is_refused(void **state)
{
    const struct fixture *f = *state;
    struct sp_profile p = f->p;
    struct sp_plan_options opt;
    struct sp_plan *plan;
    struct sp_err err = SP_ERR_INIT;

    p.n_specialties = 0;
    sp_plan_options_init(&opt);
    assert_int_equal(sp_plan_build(&plan, &f->w.m, f->w.cat, f->w.q, &f->fees, &p, &opt, &err),
                     SP_EINVAL);
    assert_int_equal(strncmp(err.msg, "preferences.specialties:", 24), 0);
}

static void the_same_input_gives_the_same_plan(void **state)
{
    const struct fixture *f = *state;
    struct sp_plan_options opt;
    struct sp_plan *a, *b;

    sp_plan_options_init(&opt);
    opt.budget_usd = 800;
    a = build(f, &f->w.m, &f->p, &opt);
    b = build(f, &f->w.m, &f->p, &opt);
    assert_int_equal(a->n_programs, b->n_programs);
    for (size_t i = 0; i < a->n_programs; i++) {
        assert_ptr_equal(a->programs[i].program, b->programs[i].program);
        assert_int_equal(a->programs[i].signal, b->programs[i].signal);
        assert_true(a->programs[i].p_match == b->programs[i].p_match);
    }
    assert_true(a->p_match_any == b->p_match_any && a->cost_usd == b->cost_usd);
    sp_plan_free(a);
    sp_plan_free(b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(plan_never_spends_more_than_the_budget),
        cmocka_unit_test(plan_never_exceeds_the_application_cap),
        cmocka_unit_test(per_specialty_minimum_and_maximum_hold_under_every_objective),
        cmocka_unit_test(per_city_cap_holds),
        cmocka_unit_test(an_included_program_is_applied_to_and_an_excluded_one_is_not),
        cmocka_unit_test(an_include_outside_the_plan_is_refused_naming_the_option),
        cmocka_unit_test(avoided_states_are_never_applied_to),
        cmocka_unit_test(every_probability_lies_within_its_bounds),
        cmocka_unit_test(a_backup_interval_holds_its_share_when_the_share_falls_with_strength),
        cmocka_unit_test(the_curve_rises_through_the_plan),
        cmocka_unit_test(the_pgy1_year_is_budgeted_only_with_advanced_positions),
        cmocka_unit_test(emergency_medicine_is_charged_residencycas_fees),
        cmocka_unit_test(min_cost_meets_a_reachable_target_and_says_when_it_cannot),
        cmocka_unit_test(target_met_says_whether_p_match_reaches_the_target),
        cmocka_unit_test(one_application_matches_with_its_own_p_match),
        cmocka_unit_test(a_plan_without_specialties_is_refused),
        cmocka_unit_test(the_same_input_gives_the_same_plan),
    };
    return cmocka_run_group_tests(tests, setup, synth_fixture_free);
}
