/*
 * The optimizer engine and fees: the AAMC worked example, greedy against the
 * exhaustive optimum on random small instances, monotonicity in the budget, and
 * signals never hurting. Seeds are printed on failure.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "smartpick/plan/plan.h"
#include "../../../core/plan/optimize.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void fees_match_published_examples(void **state)
{
    struct sp_fees f;
    (void)state;

    sp_fees_default(&f);
    /* AAMC's own example: 43 IM + 7 DR programs cost $797. */
    assert_true(sp_fee_cost(sp_fees_for(&f, SP_SPEC_IM), 43) +
                    sp_fee_cost(sp_fees_for(&f, SP_SPEC_DR), 7) == 797.0);
    assert_true(sp_fee_cost(&f.eras, 30) == 330.0);
    assert_true(sp_fee_marginal(&f.eras, 31) == 30.0);
    /* ResidencyCAS: $99 covers 1-18, then $18 each to 30, $23 after. */
    assert_true(sp_fee_cost(sp_fees_for(&f, SP_SPEC_EM), 1) == 99.0);
    assert_true(sp_fee_cost(&f.residencycas, 18) == 99.0);
    assert_true(sp_fee_cost(&f.residencycas, 19) == 117.0);
    assert_true(sp_fee_cost(&f.residencycas, 31) == 99.0 + 12 * 18 + 23);
    assert_true(sp_fee_cost(&f.residencycas, 0) == 0.0);
}

/* xorshift64*: a tiny deterministic generator for test instances. */
static double rnd(uint64_t *s)
{
    *s ^= *s >> 12;
    *s ^= *s << 25;
    *s ^= *s >> 27;
    return (double)((*s * 2685821657736338717ull) >> 11) / 9007199254740992.0;
}

struct instance {
    struct sp_model m;
    struct sp_quadrature q;
    struct sp_opt_candidate c[16];
    struct sp_fee_schedule tiered;
    struct sp_opt_problem pb;
};

static void make_instance(struct instance *in, uint64_t seed, size_t n, double sigma,
                          bool tiered, int groups)
{
    uint64_t s = seed * 0x9E3779B97F4A7C15ull + 1;

    memset(in, 0, sizeof(*in));
    sp_model_init_priors(&in->m);
    in->m.sigma = sigma;
    assert_int_equal(sp_quadrature_init(&in->q, 12, sigma), 0);
    for (size_t j = 0; j < n; j++) {
        struct sp_opt_candidate *c = &in->c[j];
        double li = -2.5 + 3.5 * rnd(&s), lm = -1.5 + 2.5 * rnd(&s);
        for (int g = 0; g < 3; g++) {
            c->logits[g].interview = li + 0.9 * g;
            c->logits[g].match = lm + 0.3 * g;
        }
        c->utility = 0.4 + 0.6 * rnd(&s);
        c->group = (int)(j % (size_t)groups);
        c->pool = -1;
        c->city = -1;
    }
    in->tiered.tiers[0] = (struct sp_fee_tier){1, 2, 1, false};
    in->tiered.tiers[1] = (struct sp_fee_tier){3, 0, 3, false};
    in->tiered.n_tiers = 2;
    in->pb.m = &in->m;
    in->pb.q = &in->q;
    in->pb.cands = in->c;
    in->pb.n = n;
    in->pb.n_groups = groups;
    for (int g = 0; g < groups; g++)
        in->pb.groups[g].fees = tiered ? &in->tiered : NULL;
    in->pb.objective = SP_OBJ_UTILITY;
    in->pb.min_gain = 0;
}

static double solve(struct instance *in, bool exact)
{
    struct sp_opt_result r;
    struct sp_err err = SP_ERR_INIT;
    double v;

    assert_int_equal(exact ? sp_opt_exact(&r, &in->pb, &err) : sp_opt_greedy(&r, &in->pb, &err),
                     0);
    v = r.value;
    sp_opt_result_release(&r);
    return v;
}

static void greedy_equals_brute_force_with_equal_costs(void **state)
{
    (void)state;
    for (uint64_t seed = 1; seed <= 60; seed++) {
        struct instance in;
        make_instance(&in, seed, 10, 0.0, false, 1);
        for (int budget = 1; budget <= 6; budget++) {
            double g, x;
            in.pb.budget_usd = budget;
            g = solve(&in, false);
            x = solve(&in, true);
            if (fabs(g - x) > 1e-12)
                fail_msg("seed %llu, budget %d: greedy %.15f, exact %.15f",
                         (unsigned long long)seed, budget, g, x);
        }
    }
}

static void greedy_is_near_exact_with_correlation_and_tiered_fees(void **state)
{
    double worst = 0;
    (void)state;

    for (uint64_t seed = 1; seed <= 40; seed++) {
        struct instance in;
        make_instance(&in, seed, 11, 0.8, true, 2);
        for (int budget = 2; budget <= 12; budget += 2) {
            double g, x;
            in.pb.budget_usd = budget;
            g = solve(&in, false);
            x = solve(&in, true);
            if (g > x + 1e-12)
                fail_msg("seed %llu: greedy %.6f above the optimum %.6f", (unsigned long long)seed,
                         g, x);
            if (x > 0 && (x - g) / x > worst)
                worst = (x - g) / x;
            if ((x - g) / x > 0.01)
                fail_msg("seed %llu, budget %d: greedy %.6f is %.2f%% below the optimum %.6f",
                         (unsigned long long)seed, budget, g, 100 * (x - g) / x, x);
        }
    }
    printf("worst greedy gap over 240 instances: %.4f%%\n", 100 * worst);
}

static void more_budget_never_lowers_the_value(void **state)
{
    (void)state;
    for (uint64_t seed = 100; seed < 130; seed++) {
        struct instance in;
        double prev_g = -1, prev_x = -1;
        make_instance(&in, seed, 10, 0.6, true, 2);
        for (int budget = 0; budget <= 20; budget++) {
            double g, x;
            in.pb.budget_usd = budget ? budget : 1e-6;
            g = solve(&in, false);
            x = solve(&in, true);
            if (g < prev_g - 1e-12 || x < prev_x - 1e-12)
                fail_msg("seed %llu: budget %d lowers the value (greedy %.6f < %.6f or exact "
                         "%.6f < %.6f)",
                         (unsigned long long)seed, budget, g, prev_g, x, prev_x);
            prev_g = g;
            prev_x = x;
        }
    }
}

static void signals_go_where_they_add_most_and_never_hurt(void **state)
{
    (void)state;
    for (uint64_t seed = 200; seed < 230; seed++) {
        struct instance in;
        struct sp_opt_result r;
        struct sp_err err = SP_ERR_INIT;
        double without, with;
        bool chosen[16];
        make_instance(&in, seed, 12, 0.8, false, 1);
        in.pb.budget_usd = 6;
        without = solve(&in, false);
        for (size_t j = 0; j < in.pb.n; j++)
            in.c[j].pool = 0;
        in.pb.n_pools = 1;
        in.pb.pools[0] = (struct sp_opt_pool){1, 2};
        assert_int_equal(sp_opt_greedy(&r, &in.pb, &err), 0);
        with = r.value;
        if (with < without - 1e-12)
            fail_msg("seed %llu: signals lower the value %.6f -> %.6f",
                     (unsigned long long)seed, without, with);
        int gold = 0, silver = 0;
        memset(chosen, 0, sizeof(chosen));
        for (size_t i = 0; i < r.n_chosen; i++)
            chosen[r.chosen[i]] = true;
        for (size_t j = 0; j < in.pb.n; j++) {
            if (r.signal[j] == SP_SIGNAL_GOLD)
                gold++;
            if (r.signal[j] == SP_SIGNAL_SILVER)
                silver++;
            if (r.signal[j] != SP_SIGNAL_NONE && !chosen[j])
                fail_msg("seed %llu: a signal on a program not applied to",
                         (unsigned long long)seed);
        }
        assert_true(gold <= 1 && silver <= 2);
        /* The value reported is the value of what was chosen. */
        assert_true(fabs(sp_opt_value(&in.pb, chosen, r.signal, NULL) - with) < 1e-12);
        sp_opt_result_release(&r);
    }
}

static void limits_are_respected(void **state)
{
    struct instance in;
    struct sp_opt_result r;
    struct sp_err err = SP_ERR_INIT;
    int count[2] = {0, 0};
    (void)state;

    make_instance(&in, 7, 12, 0.5, false, 2);
    in.pb.budget_usd = 10;
    in.pb.groups[0].max_count = 2;
    in.pb.groups[1].min_count = 5;
    for (size_t j = 0; j < in.pb.n; j++)
        in.c[j].city = (int)(j % 3);
    in.pb.max_per_city = 3;
    in.c[4].forced = true;
    assert_int_equal(sp_opt_greedy(&r, &in.pb, &err), 0);
    int city[3] = {0, 0, 0};
    bool has4 = false;
    for (size_t i = 0; i < r.n_chosen; i++) {
        count[in.c[r.chosen[i]].group]++;
        city[in.c[r.chosen[i]].city]++;
        has4 |= r.chosen[i] == 4;
    }
    assert_true(has4);
    assert_true(count[0] <= 2);
    assert_true(count[1] >= 5);
    assert_true(city[0] <= 3 && city[1] <= 3 && city[2] <= 3);
    assert_true(r.n_chosen <= 10);
    sp_opt_result_release(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(fees_match_published_examples),
        cmocka_unit_test(greedy_equals_brute_force_with_equal_costs),
        cmocka_unit_test(greedy_is_near_exact_with_correlation_and_tiered_fees),
        cmocka_unit_test(more_budget_never_lowers_the_value),
        cmocka_unit_test(signals_go_where_they_add_most_and_never_hurt),
        cmocka_unit_test(limits_are_respected),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
