/*
 * Program filters: specialty, state, division, radius, flags and sort orders.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "smartpick/catalog/filter.h"

#include <stdlib.h>
#include <stdio.h>
#include <string.h>

static sp_catalog *fixture(void)
{
    static const struct {
        const char *id;
        enum sp_specialty s;
        const char *name, *city, *state;
        enum sp_division div;
        double lat, lon;
        bool is_new, osteo;
    } rows[] = {
        {"4164800001", SP_SPEC_IR, "Zeta Dallas", "Dallas", "TX", SP_DIV_WEST_SOUTH_CENTRAL,
         32.78, -96.79, false, false},
        {"4164800002", SP_SPEC_IR, "Alpha Houston", "Houston", "TX", SP_DIV_WEST_SOUTH_CENTRAL,
         29.76, -95.37, true, false},
        {"4203500001", SP_SPEC_DR, "Mid NYC", "New York", "NY", SP_DIV_MIDDLE_ATLANTIC, 40.71,
         -74.01, false, true},
        {"4200500001", SP_SPEC_DR, "Beta LA", "Los Angeles", "CA", SP_DIV_PACIFIC, 34.05,
         -118.24, false, false},
        {"1404800001", SP_SPEC_IM, "Gamma Fort Worth", "Fort Worth", "TX",
         SP_DIV_WEST_SOUTH_CENTRAL, 32.75, -97.33, false, true},
    };
    sp_catalog *cat = sp_catalog_new();
    struct sp_err err = SP_ERR_INIT;

    for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
        struct sp_program p;
        memset(&p, 0, sizeof(p));
        snprintf(p.acgme_id, sizeof(p.acgme_id), "%s", rows[i].id);
        p.specialty = rows[i].s;
        p.institution = rows[i].name;
        p.city = rows[i].city;
        snprintf(p.state, sizeof(p.state), "%s", rows[i].state);
        p.division = rows[i].div;
        p.where.lat = rows[i].lat;
        p.where.lon = rows[i].lon;
        p.new_program = rows[i].is_new;
        p.osteopathic_recognized = rows[i].osteo;
        if (i == 3) {
            p.facts[SP_FACT_ESIR].value = 1;
            p.facts[SP_FACT_ESIR].source = SP_SRC_DOCUMENTED;
        }
        assert_int_equal(sp_catalog_add(cat, &p, &err), 0);
    }
    assert_int_equal(sp_catalog_freeze(cat, &err), 0);
    return cat;
}

/* Run f and return the IDs joined by spaces. */
static const char *ids(const sp_catalog *cat, const struct sp_filter *f)
{
    static char out[256];
    struct sp_program_hit *hits;
    struct sp_err err = SP_ERR_INIT;
    size_t n, len = 0;

    out[0] = '\0';
    assert_int_equal(sp_filter_run(&hits, &n, cat, f, &err), 0);
    for (size_t i = 0; i < n; i++)
        len += (size_t)snprintf(out + len, sizeof(out) - len, "%s%s", i ? " " : "",
                                hits[i].program->acgme_id);
    free(hits);
    return out;
}

static void filter_by_specialty_state_and_division(void **state)
{
    sp_catalog *cat = fixture();
    struct sp_filter f = SP_FILTER_INIT;
    const char *states[] = {"tx"};
    (void)state;

    assert_string_equal(ids(cat, &f), "1404800001 4164800001 4164800002 4200500001 4203500001");
    f.specialties = 1u << SP_SPEC_DR;
    assert_string_equal(ids(cat, &f), "4200500001 4203500001");
    f.specialties |= 1u << SP_SPEC_IR;
    f.states = states;
    f.n_states = 1;
    assert_string_equal(ids(cat, &f), "4164800001 4164800002");
    f = (struct sp_filter)SP_FILTER_INIT;
    f.divisions = 1u << SP_DIV_PACIFIC | 1u << SP_DIV_MIDDLE_ATLANTIC;
    assert_string_equal(ids(cat, &f), "4200500001 4203500001");
    sp_catalog_free(cat);
}

static void filter_by_radius_sorts_by_distance(void **state)
{
    sp_catalog *cat = fixture();
    struct sp_filter f = SP_FILTER_INIT;
    struct sp_program_hit *hits;
    struct sp_err err = SP_ERR_INIT;
    size_t n;
    (void)state;

    f.has_origin = true;
    f.origin = (struct sp_point){32.7767, -96.7970}; /* Dallas */
    f.radius_miles = 100;
    f.sort = SP_SORT_DISTANCE;
    assert_int_equal(sp_filter_run(&hits, &n, cat, &f, &err), 0);
    assert_int_equal(n, 2); /* Dallas and Fort Worth, not Houston at ~225 miles */
    assert_string_equal(hits[0].program->acgme_id, "4164800001");
    assert_string_equal(hits[1].program->acgme_id, "1404800001");
    assert_true(hits[0].distance_miles < 1.0);
    assert_true(hits[1].distance_miles > 25 && hits[1].distance_miles < 35);
    free(hits);
    f.radius_miles = 300;
    assert_string_equal(ids(cat, &f), "4164800001 1404800001 4164800002");
    sp_catalog_free(cat);
}

static void filter_flags_and_sorts(void **state)
{
    sp_catalog *cat = fixture();
    struct sp_filter f = SP_FILTER_INIT;
    (void)state;

    f.esir_only = true;
    assert_string_equal(ids(cat, &f), "4200500001");
    f = (struct sp_filter)SP_FILTER_INIT;
    f.new_only = true;
    assert_string_equal(ids(cat, &f), "4164800002");
    f = (struct sp_filter)SP_FILTER_INIT;
    f.do_friendly = true;
    assert_string_equal(ids(cat, &f), "1404800001 4203500001");
    f = (struct sp_filter)SP_FILTER_INIT;
    f.sort = SP_SORT_NAME;
    assert_string_equal(ids(cat, &f), "4164800002 4200500001 1404800001 4203500001 4164800001");
    f.sort = SP_SORT_STATE;
    assert_string_equal(ids(cat, &f), "4200500001 4203500001 4164800001 1404800001 4164800002");
    sp_catalog_free(cat);
}

static void filter_rejects_radius_without_origin(void **state)
{
    sp_catalog *cat = fixture();
    struct sp_filter f = SP_FILTER_INIT;
    struct sp_program_hit *hits;
    struct sp_err err = SP_ERR_INIT;
    size_t n;
    (void)state;

    f.radius_miles = 50;
    assert_int_equal(sp_filter_run(&hits, &n, cat, &f, &err), SP_EINVAL);
    assert_string_equal(err.msg, "radius: needs a place to measure from");
    f.radius_miles = 0;
    f.sort = SP_SORT_DISTANCE;
    assert_int_equal(sp_filter_run(&hits, &n, cat, &f, &err), SP_EINVAL);
    sp_catalog_free(cat);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(filter_by_specialty_state_and_division),
        cmocka_unit_test(filter_by_radius_sorts_by_distance),
        cmocka_unit_test(filter_flags_and_sorts),
        cmocka_unit_test(filter_rejects_radius_without_origin),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
