/*
 * Application fees (core/plan/fees.c): what n applications cost under the published
 * 2026 schedules, checked for every count against the tiers as docs/OPTIMIZER.md
 * states them (ERAS $11 each for 1-30, $30 from 31; ResidencyCAS $99 for 1-18, then
 * $18 each for 19-30, $23 from 31), which specialty pays which service, and how a
 * schedule with a flat tier in the middle adds up.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "smartpick/plan/fees.h"

#include <string.h>

/* The published tiers, written out independently of the schedule tables. */
static double eras_published(int n)
{
    return n <= 30 ? 11.0 * n : 11.0 * 30 + 30.0 * (n - 30);
}

static double residencycas_published(int n)
{
    if (n <= 0)
        return 0;
    if (n <= 18)
        return 99;
    if (n <= 30)
        return 99 + 18.0 * (n - 18);
    return 99 + 18.0 * 12 + 23.0 * (n - 30);
}

/* Schedule s costs what the published tiers say for every count from 0 to 120, and
 * names its service. */
static void check_schedule(const struct sp_fee_schedule *s, double (*published)(int),
                           const char *label, const char *service)
{
    for (int n = 0; n <= 120; n++) {
        double got = sp_fee_cost(s, n);
        if (got != published(n))
            fail_msg("%s, %d applications: $%.2f, published $%.2f", label, n, got, published(n));
    }
    assert_string_equal(s->service, service);
}

static void eras_costs_eleven_dollars_each_to_thirty_then_thirty(void **state)
{
    struct sp_fees f;
    (void)state;

    sp_fees_default(&f);
    check_schedule(&f.eras, eras_published, "ERAS", "eras");
}

static void residencycas_costs_99_to_eighteen_then_18_then_23(void **state)
{
    struct sp_fees f;
    (void)state;

    sp_fees_default(&f);
    check_schedule(&f.residencycas, residencycas_published, "ResidencyCAS", "residencycas");
}

static void marginal_fee_is_what_one_more_application_adds(void **state)
{
    struct sp_fees f;
    (void)state;

    sp_fees_default(&f);
    for (int n = 1; n <= 80; n++) {
        assert_true(sp_fee_marginal(&f.eras, n) ==
                    sp_fee_cost(&f.eras, n) - sp_fee_cost(&f.eras, n - 1));
        assert_true(sp_fee_marginal(&f.residencycas, n) ==
                    sp_fee_cost(&f.residencycas, n) - sp_fee_cost(&f.residencycas, n - 1));
        assert_true(sp_fee_marginal(&f.eras, n) >= 0 && sp_fee_marginal(&f.residencycas, n) >= 0);
    }
    /* The tier edges a student sees when adding programs one by one. */
    assert_true(sp_fee_marginal(&f.eras, 1) == 11 && sp_fee_marginal(&f.eras, 30) == 11);
    assert_true(sp_fee_marginal(&f.eras, 31) == 30);
    assert_true(sp_fee_marginal(&f.residencycas, 1) == 99);
    assert_true(sp_fee_marginal(&f.residencycas, 2) == 0);
    assert_true(sp_fee_marginal(&f.residencycas, 18) == 0);
    assert_true(sp_fee_marginal(&f.residencycas, 19) == 18);
    assert_true(sp_fee_marginal(&f.residencycas, 30) == 18);
    assert_true(sp_fee_marginal(&f.residencycas, 31) == 23);
    assert_true(sp_fee_marginal(&f.eras, 0) == 0);
}

static void emergency_medicine_pays_residencycas_and_the_rest_eras(void **state)
{
    struct sp_fees f;
    (void)state;

    sp_fees_default(&f);
    for (int k = 0; k < SP_SPEC_COUNT; k++) {
        const struct sp_fee_schedule *s = sp_fees_for(&f, (enum sp_specialty)k);
        if (k == SP_SPEC_EM)
            assert_ptr_equal(s, &f.residencycas);
        else
            assert_ptr_equal(s, &f.eras);
    }
    assert_true(f.transcript_usd == 80);
}

/* A schedule of any shape: per-application tiers around a flat one, and an open end. */
static void a_flat_tier_is_charged_once_for_the_whole_tier(void **state)
{
    struct sp_fee_schedule s;
    static const struct {
        int n;
        double cost;
    } cases[] = {
        {0, 0}, {1, 2}, {5, 10}, {6, 17}, {8, 17}, {10, 17}, {11, 18}, {14, 21},
    };
    (void)state;

    memset(&s, 0, sizeof(s));
    s.tiers[0] = (struct sp_fee_tier){1, 5, 2, false};
    s.tiers[1] = (struct sp_fee_tier){6, 10, 7, true};
    s.tiers[2] = (struct sp_fee_tier){11, 0, 1, false};
    s.n_tiers = 3;
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        double got = sp_fee_cost(&s, cases[i].n);
        if (got != cases[i].cost)
            fail_msg("%d applications: $%.2f, expected $%.2f", cases[i].n, got, cases[i].cost);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(eras_costs_eleven_dollars_each_to_thirty_then_thirty),
        cmocka_unit_test(residencycas_costs_99_to_eighteen_then_18_then_23),
        cmocka_unit_test(marginal_fee_is_what_one_more_application_adds),
        cmocka_unit_test(emergency_medicine_pays_residencycas_and_the_rest_eras),
        cmocka_unit_test(a_flat_tier_is_charged_once_for_the_whole_tier),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
