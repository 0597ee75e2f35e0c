/*
 * Great-circle distance against known city pairs, and Census division names.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "smartpick/error.h"
#include "smartpick/catalog/geo.h"

#include <math.h>

static void distance_matches_known_city_pairs(void **state)
{
    /* Reference values: haversine on a 3958.76-mile sphere, cross-checked with
     * published great-circle distances (within 0.5%). */
    struct {
        struct sp_point a, b;
        double miles;
    } cases[] = {
        {{32.7767, -96.7970}, {29.7604, -95.3698}, 224.7},  /* Dallas - Houston */
        {{40.7128, -74.0060}, {34.0522, -118.2437}, 2445.6}, /* New York - Los Angeles */
        {{41.8781, -87.6298}, {41.8781, -87.6298}, 0.0},    /* same point */
        {{21.3069, -157.8583}, {61.2181, -149.9003}, 2780.0}, /* Honolulu - Anchorage */
    };
    (void)state;

    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        double d = sp_distance_miles(cases[i].a, cases[i].b);
        double tol = cases[i].miles * 0.005 + 0.01;
        if (fabs(d - cases[i].miles) > tol)
            fail_msg("pair %zu: %.1f miles, want %.1f", i, d, cases[i].miles);
    }
}

static void distance_is_symmetric_and_bounded(void **state)
{
    struct sp_point a = {25.7617, -80.1918}, b = {47.6062, -122.3321};
    struct sp_point antipode = {-25.7617, 99.8082};
    (void)state;

    assert_true(fabs(sp_distance_miles(a, b) - sp_distance_miles(b, a)) < 1e-9);
    /* Half the circumference is the farthest two points can be. */
    assert_true(fabs(sp_distance_miles(a, antipode) - 3.14159265358979323846 * 3958.7613) < 0.01);
}

static void division_names_round_trip(void **state)
{
    (void)state;
    for (int d = SP_DIV_NEW_ENGLAND; d < SP_DIV_COUNT; d++) {
        enum sp_division back;
        assert_int_equal(sp_division_parse(&back, sp_division_name((enum sp_division)d)), 0);
        assert_int_equal(back, d);
    }
    enum sp_division x;
    assert_int_equal(sp_division_parse(&x, "south"), SP_ENOTFOUND);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(distance_matches_known_city_pairs),
        cmocka_unit_test(distance_is_symmetric_and_bounded),
        cmocka_unit_test(division_names_round_trip),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
