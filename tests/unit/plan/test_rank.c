/*
 * The rank order list (core/plan/rank.c) on a synthetic catalog: the list follows the
 * student's preferences and keeps every acceptable program; P(match at each rank)
 * and P(unmatched) add up to 1; ranking one more acceptable program never lowers
 * P(match) and, at the bottom, leaves the ranks above alone; the expected utility
 * weighs each rank's P by its utility; the PGY-1 supplemental list is valued; bad
 * input is refused naming the entry and field.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "smartpick/plan/rank.h"
#include "synth_world.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PER_SPEC 20

static const enum sp_specialty world_specs[] = {SP_SPEC_IR, SP_SPEC_DR, SP_SPEC_IM};

struct fixture {
    struct synth_world w; /* first: synth_fixture_free releases it */
    struct sp_profile p;
};

static int setup(void **state)
{
    struct fixture *f = calloc(1, sizeof(*f));

    if (!f || synth_world_init(&f->w, world_specs, 3, PER_SPEC) ||
        synth_profile(&f->p, world_specs, 3))
        return -1;
    *state = f;
    return 0;
}

/* Append program i of specialty k with this preference to in (acceptable). */
static struct sp_rank_entry *add(struct sp_rank_input *in, enum sp_specialty k, size_t i,
                                 int preference)
{
    struct sp_rank_entry *e = &in->entries[in->n_entries++];

    memset(e, 0, sizeof(*e));
    synth_program_id(e->acgme_id, sizeof(e->acgme_id), k, i);
    e->preference = preference;
    e->acceptable = true;
    return e;
}

static void rank(struct sp_rank_result *r, const struct fixture *f, struct sp_rank_input *in)
{
    struct sp_err err = SP_ERR_INIT;

    if (sp_rank_resolve(in, f->w.cat, &err) ||
        sp_rank(r, &f->w.m, f->w.cat, f->w.q, &f->p, in, &err))
        fail_msg("rank: %s", err.msg);
}

static double p_match(const struct sp_rank_result *r)
{
    return 1.0 - r->p_unmatched;
}

/* Eight interviews given out of order: the list is in preference order, ranks
 * 1..8, and the probabilities at each rank and of going unmatched add up to 1. */
static void rank_probabilities_and_unmatched_add_up_to_one(void **state)
{
    const struct fixture *f = *state;
    static const int prefs[8] = {5, 2, 8, 1, 7, 3, 6, 4};
    struct sp_rank_input in;
    struct sp_rank_result r;
    double sum = 0;

    memset(&in, 0, sizeof(in));
    for (size_t i = 0; i < 8; i++)
        add(&in, world_specs[i % 3], 2 * i, prefs[i]);
    rank(&r, f, &in);
    assert_int_equal(r.n_lines, 8);
    for (size_t i = 0; i < r.n_lines; i++) {
        const struct sp_rank_line *l = &r.lines[i];
        assert_int_equal(l->rank, (int)i + 1);
        assert_int_equal(l->entry->preference, (int)i + 1);
        assert_true(l->p_match_here > 0 && l->p_match_here < 1);
        sum += l->p_match_here;
        assert_true(fabs(l->p_match_cumulative - sum) < 1e-15);
    }
    assert_true(r.p_unmatched > 0 && r.p_unmatched < 1);
    assert_true(fabs(sum + r.p_unmatched - 1) < 1e-12);
}

/* Never truncate: one more acceptable program, wherever it goes on the list, never
 * lowers P(match); at the bottom it leaves every rank above unchanged. */
static void ranking_one_more_acceptable_program_never_lowers_p_match(void **state)
{
    const struct fixture *f = *state;
    struct sp_rank_input base, in;
    struct sp_rank_result r0, r;

    memset(&base, 0, sizeof(base));
    add(&base, SP_SPEC_IR, 0, 10);
    add(&base, SP_SPEC_IR, 5, 20);
    add(&base, SP_SPEC_DR, 3, 30);
    rank(&r0, f, &base);
    for (size_t s = 0; s < 3; s++) {
        for (size_t i = 7; i < PER_SPEC; i += 4) {
            for (int pref = 5; pref <= 35; pref += 10) {
                in = base;
                add(&in, world_specs[s], i, pref);
                rank(&r, f, &in);
                assert_int_equal(r.n_lines, 4);
                if (!(p_match(&r) > p_match(&r0)))
                    fail_msg("%s program %zu at preference %d: P(match) %.9f, %.9f without",
                             sp_specialty_code(world_specs[s]), i, pref, p_match(&r), p_match(&r0));
                if (pref > 30) {
                    for (size_t j = 0; j < 3; j++)
                        assert_true(fabs(r.lines[j].p_match_here - r0.lines[j].p_match_here) <
                                    1e-15);
                }
            }
        }
    }
}

/* An unacceptable program is left off with a warning naming it; the acceptable
 * ones are all kept; none acceptable means unmatched. */
static void only_unacceptable_programs_are_left_off(void **state)
{
    const struct fixture *f = *state;
    struct sp_rank_input in;
    struct sp_rank_result r;

    memset(&in, 0, sizeof(in));
    add(&in, SP_SPEC_IR, 1, 1);
    add(&in, SP_SPEC_IR, 2, 2)->acceptable = false;
    add(&in, SP_SPEC_DR, 1, 3);
    rank(&r, f, &in);
    assert_int_equal(r.n_lines, 2);
    assert_string_equal(r.lines[0].entry->acgme_id, in.entries[0].acgme_id);
    assert_string_equal(r.lines[1].entry->acgme_id, in.entries[2].acgme_id);
    assert_true(r.n_warnings >= 1);
    assert_int_equal(strncmp(r.warnings[0], in.entries[1].acgme_id, SP_ACGME_ID_LEN), 0);
    assert_non_null(strstr(r.warnings[0], "unacceptable"));

    in.entries[0].acceptable = false;
    in.entries[2].acceptable = false;
    rank(&r, f, &in);
    assert_int_equal(r.n_lines, 0);
    assert_true(fabs(r.p_unmatched - 1) < 1e-12 && r.expected_utility == 0);
    assert_non_null(strstr(r.warnings[r.n_warnings - 1], "No acceptable program"));
}

/* The expected utility is the utilities weighted by P(match at each rank): stated
 * ones as given, unstated ones falling evenly from 1 (first) to 0.5 (last). */
static void expected_utility_weighs_each_rank_by_its_utility(void **state)
{
    const struct fixture *f = *state;
    static const double stated[4] = {0.9, 0.7, 0.65, 0.2};
    static const double unstated[4] = {1.0, 5.0 / 6.0, 4.0 / 6.0, 0.5};
    struct sp_rank_input in;
    struct sp_rank_result r;
    double eu = 0;

    memset(&in, 0, sizeof(in));
    for (size_t i = 0; i < 4; i++)
        add(&in, SP_SPEC_DR, 4 * i, (int)i + 1)->utility = stated[i];
    rank(&r, f, &in);
    for (size_t i = 0; i < 4; i++)
        eu += stated[i] * r.lines[i].p_match_here;
    assert_true(fabs(r.expected_utility - eu) < 1e-8);

    for (size_t i = 0; i < 4; i++)
        in.entries[i].utility = 0;
    rank(&r, f, &in);
    eu = 0;
    for (size_t i = 0; i < 4; i++)
        eu += unstated[i] * r.lines[i].p_match_here;
    assert_true(fabs(r.expected_utility - eu) < 1e-8);
}

/* Advanced positions need a PGY-1 year: without a supplemental list a warning says
 * so; with one, P(PGY-1) is valued and rises with every program on it. */
static void the_pgy1_supplemental_list_is_valued(void **state)
{
    const struct fixture *f = *state;
    struct sp_rank_input in;
    struct sp_rank_result r;
    double prev = 0, adv;
    bool warned = false;

    memset(&in, 0, sizeof(in));
    add(&in, SP_SPEC_DR, 0, 1)->advanced = true;
    add(&in, SP_SPEC_IM, 0, 2);
    add(&in, SP_SPEC_DR, 1, 3)->advanced = true;
    rank(&r, f, &in);
    adv = r.lines[0].p_match_here + r.lines[2].p_match_here;
    assert_true(fabs(r.p_advanced - adv) < 1e-15);
    assert_true(r.p_pgy1 == 0);
    for (size_t i = 0; i < r.n_warnings; i++)
        warned |= strstr(r.warnings[i], "supplemental list") != NULL;
    assert_true(warned);

    for (size_t n = 1; n <= 6; n++) {
        struct sp_rank_pgy1 *pg = &in.pgy1[in.n_pgy1++];
        snprintf(pg->name, sizeof(pg->name), "Transitional Year %zu", n);
        pg->preference = (int)n;
        rank(&r, f, &in);
        if (!(r.p_pgy1 > prev && r.p_pgy1 < 1))
            fail_msg("%zu PGY-1 programs: P(PGY-1) %.6f, %.6f with one fewer", n, r.p_pgy1, prev);
        prev = r.p_pgy1;
        for (size_t i = 0; i < r.n_warnings; i++)
            assert_null(strstr(r.warnings[i], "supplemental list"));
    }
}

/* A signal sent during the season still helps after the interview. */
static void a_signal_sent_raises_p_match_at_that_program(void **state)
{
    const struct fixture *f = *state;
    struct sp_rank_input in;
    struct sp_rank_result none, silver, gold;

    memset(&in, 0, sizeof(in));
    add(&in, SP_SPEC_IR, 3, 1);
    rank(&none, f, &in);
    in.entries[0].signal = SP_SIGNAL_SILVER;
    rank(&silver, f, &in);
    in.entries[0].signal = SP_SIGNAL_GOLD;
    rank(&gold, f, &in);
    assert_true(none.lines[0].p_match_here < silver.lines[0].p_match_here);
    assert_true(silver.lines[0].p_match_here < gold.lines[0].p_match_here);
}

static void bad_rank_input_is_refused_naming_the_entry(void **state)
{
    const struct fixture *f = *state;
    struct sp_rank_input in, bad;
    struct sp_rank_result r;
    struct sp_err err = SP_ERR_INIT;
    static const struct {
        int what;
        const char *prefix;
    } cases[] = {
        {0, "interviews[1].acgme_id: '"}, /* the same program twice */
        {1, "interviews[1].preference: 1 is also interviews[0]'s"},
        {2, "interviews[1].preference: 0 must be >= 1"},
        {3, "interviews[1].utility: 1.5 must be in [0, 1]"},
        {4, "interviews[1]: program not resolved"},
    };

    memset(&in, 0, sizeof(in));
    add(&in, SP_SPEC_IR, 0, 1);
    add(&in, SP_SPEC_IR, 1, 2);
    assert_int_equal(sp_rank_resolve(&in, f->w.cat, &err), 0);
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        int rc;
        bad = in;
        switch (cases[i].what) {
        case 0:
            bad.entries[1] = bad.entries[0];
            bad.entries[1].preference = 2;
            break;
        case 1:
            bad.entries[1].preference = 1;
            break;
        case 2:
            bad.entries[1].preference = 0;
            break;
        case 3:
            bad.entries[1].utility = 1.5;
            break;
        default:
            bad.entries[1].program = NULL;
            break;
        }
        rc = sp_rank(&r, &f->w.m, f->w.cat, f->w.q, &f->p, &bad, &err);
        if (rc != SP_EINVAL || strncmp(err.msg, cases[i].prefix, strlen(cases[i].prefix)) != 0)
            fail_msg("case %zu: rc %d, '%s'; expected SP_EINVAL, '%s...'", i, rc, err.msg,
                     cases[i].prefix);
    }
    snprintf(in.entries[1].acgme_id, sizeof(in.entries[1].acgme_id), "9999999999");
    assert_int_equal(sp_rank_resolve(&in, f->w.cat, &err), SP_ENOTFOUND);
    assert_string_equal(err.msg, "interviews[1].acgme_id: '9999999999' is not in the catalog");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(rank_probabilities_and_unmatched_add_up_to_one),
        cmocka_unit_test(ranking_one_more_acceptable_program_never_lowers_p_match),
        cmocka_unit_test(only_unacceptable_programs_are_left_off),
        cmocka_unit_test(expected_utility_weighs_each_rank_by_its_utility),
        cmocka_unit_test(the_pgy1_supplemental_list_is_valued),
        cmocka_unit_test(a_signal_sent_raises_p_match_at_that_program),
        cmocka_unit_test(bad_rank_input_is_refused_naming_the_entry),
    };
    return cmocka_run_group_tests(tests, setup, synth_fixture_free);
}
