/*
 * The simulator (core/sim/sim*.c, service/sim_run.c, format/scenario_json.c): the RNG's
 * known answers and stream independence, market generation, scenario parsing,
 * determinism across thread counts, and (test_sim_calibration) the baseline
 * market against the NRMP figures.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "scenario_json.h"
#include "sim_run.h"
#include "smartpick/sim/sim.h"
#include "world.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct fixture {
    char dir[64];
    struct sp_world w;
    struct sp_calib_targets t;
};

static int setup(void **state)
{
    struct fixture *f = calloc(1, sizeof(*f));
    struct sp_err err = SP_ERR_INIT;
    char path[96];

    snprintf(f->dir, sizeof(f->dir), "/tmp/sp-test-sim-XXXXXX");
    if (!mkdtemp(f->dir))
        return -1;
    snprintf(path, sizeof(path), "%s/sp.db", f->dir);
    if (sp_world_open(&f->w, path, SP_MODEL_BUNDLED, NULL, &err) ||
        sp_app_sim_targets(&f->t, f->w.facts, &err)) {
        fprintf(stderr, "setup: %s\n", err.msg);
        return -1;
    }
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fixture *f = *state;
    char path[96];

    sp_world_close(&f->w);
    snprintf(path, sizeof(path), "%s/sp.db", f->dir);
    unlink(path);
    rmdir(f->dir);
    free(f);
    return 0;
}

static sp_sim *new_sim(struct fixture *f, const struct sp_sim_scenario *sc,
                       const struct sp_sim_params *pp)
{
    struct sp_sim_inputs in = {&f->w.model, f->w.cat, f->w.q, &f->t, sc, pp, NULL};
    struct sp_err err = SP_ERR_INIT;
    sp_sim *sim = NULL;

    if (sp_sim_new(&sim, &in, &err))
        fail_msg("sp_sim_new: %s", err.msg);
    return sim;
}

/* Random123's known-answer vectors for Philox4x32-10. */
static void rng_philox_known_answers(void **state)
{
    static const uint32_t zero_ctr[4] = {0, 0, 0, 0}, zero_key[2] = {0, 0};
    static const uint32_t ones_ctr[4] = {~0u, ~0u, ~0u, ~0u}, ones_key[2] = {~0u, ~0u};
    static const uint32_t pi_ctr[4] = {0x243f6a88, 0x85a308d3, 0x13198a2e, 0x03707344};
    static const uint32_t pi_key[2] = {0xa4093822, 0x299f31d0};
    uint32_t out[4];

    (void)state;
    sp_philox4x32(out, zero_ctr, zero_key);
    assert_int_equal(out[0], 0x6627e8d5);
    assert_int_equal(out[1], 0xe169c58d);
    assert_int_equal(out[2], 0xbc57ac4c);
    assert_int_equal(out[3], 0x9b00dbd8);
    sp_philox4x32(out, ones_ctr, ones_key);
    assert_int_equal(out[0], 0x408f276d);
    assert_int_equal(out[1], 0x41c83b0e);
    assert_int_equal(out[2], 0xa20bc7c6);
    assert_int_equal(out[3], 0x6d5451fd);
    sp_philox4x32(out, pi_ctr, pi_key);
    assert_int_equal(out[0], 0xd16cfe09);
    assert_int_equal(out[1], 0x94fdcceb);
    assert_int_equal(out[2], 0x5001e420);
    assert_int_equal(out[3], 0x24126ea1);
}

/* xoshiro256++ from the state {1, 2, 3, 4}: the reference implementation's first
 * outputs (the same vectors as rand_xoshiro's tests). */
static void rng_xoshiro_known_answers(void **state)
{
    static const uint64_t expect[6] = {41943041ull,
                                       58720359ull,
                                       3588806011781223ull,
                                       3591011842654386ull,
                                       9228616714210784205ull,
                                       9973669472204895162ull};
    struct sp_rng r = {{1, 2, 3, 4}};

    (void)state;
    for (int i = 0; i < 6; i++)
        assert_true(sp_rng_u64(&r) == expect[i]);
}

/* sp_rng_at(1234567, n) is SplitMix64 seeded with 1234567: the reference
 * implementation's first outputs (the same vectors as rand_xoshiro's tests). */
static void rng_counter_known_answers(void **state)
{
    static const uint64_t expect[5] = {6457827717110365317ull, 3203168211198807973ull,
                                       9817491932198370423ull, 4593380528125082431ull,
                                       16408922859458223821ull};

    (void)state;
    for (uint64_t n = 0; n < 5; n++)
        assert_true(sp_rng_at(1234567, n) == expect[n]);
}

/* Streams are a pure function of (seed, stream): the same stream repeats exactly,
 * neighbouring streams are uncorrelated and share no outputs. */
static void rng_streams_are_reproducible_and_independent(void **state)
{
    enum { N = 20000 };
    struct sp_rng a, b, c;
    double sxy = 0, sx = 0, sy = 0, sxx = 0, syy = 0, corr;
    int equal = 0;

    (void)state;
    sp_rng_init(&a, 42, 7);
    sp_rng_init(&b, 42, 7);
    for (int i = 0; i < 1000; i++)
        assert_int_equal(sp_rng_u32(&a), sp_rng_u32(&b));
    sp_rng_init(&a, 42, 7);
    sp_rng_init(&c, 42, 8);
    for (int i = 0; i < N; i++) {
        double x = sp_rng_uniform(&a), y = sp_rng_uniform(&c);
        assert_true(x > 0 && x < 1);
        equal += x == y;
        sx += x;
        sy += y;
        sxy += x * y;
        sxx += x * x;
        syy += y * y;
    }
    corr = (sxy / N - sx / N * sy / N) /
           sqrt((sxx / N - sx / N * sx / N) * (syy / N - sy / N * sy / N));
    /* |corr| < 4 / sqrt(N) fails by chance with probability ~6e-5 */
    assert_true(fabs(corr) < 4 / sqrt((double)N));
    assert_int_equal(equal, 0);
    /* the mean of uniforms: 0.5 within 4 standard errors */
    assert_true(fabs(sx / N - 0.5) < 4 * sqrt(1.0 / 12 / N));
}

static void rng_below_is_unbiased(void **state)
{
    struct sp_rng r;
    int counts[7] = {0};

    (void)state;
    sp_rng_init(&r, 1, 0);
    for (int i = 0; i < 70000; i++)
        counts[sp_rng_below(&r, 7)]++;
    for (int i = 0; i < 7; i++) /* 10000 expected, SD ~93 */
        assert_true(abs(counts[i] - 10000) < 450);
}

/* Capacities sum to each specialty's published positions; IR and DR carry the
 * published advanced (PGY-2) share; applicants per specialty are the published
 * ones, split by type as the model's fitted mix says, with at least the US MD
 * seniors Charting Outcomes counts (it counts only those who consented). */
static void market_capacities_sum_to_positions(void **state)
{
    struct fixture *f = *state;
    sp_sim *sim = new_sim(f, NULL, NULL);
    struct sp_sim_market mk;

    sp_sim_market_info(&mk, sim);
    for (int k = 0; k < SP_SPEC_COUNT; k++) {
        size_t total = 0;
        assert_int_equal(mk.positions[k], lround(f->t.spec[k].positions));
        for (int t = 0; t < SP_APP_TYPE_COUNT; t++)
            total += mk.applicants[k][t];
        /* rounding of four shares: within 2 of the published first-choice count */
        assert_true(labs((long)total - lround(f->t.spec[k].applicants)) <= 2);
        for (int t = 0; t < SP_APP_TYPE_COUNT; t++)
            assert_int_equal(mk.applicants[k][t],
                             lround(f->t.spec[k].applicants * f->w.model.spec[k].pool_share[t]));
        assert_true((double)mk.applicants[k][SP_APP_US_MD] + 1 >=
                    f->t.spec[k].n_matched + f->t.spec[k].n_unmatched);
    }
    /* IR: 150 of 202 PGY-2 (0.743); DR 1057 of 1208 (0.875) */
    assert_true(fabs((double)mk.positions_advanced[SP_SPEC_IR] / 245 - 0.7426) < 0.01);
    assert_true(fabs((double)mk.positions_advanced[SP_SPEC_DR] / 1268 - 0.875) < 0.01);
    assert_int_equal(mk.positions_advanced[SP_SPEC_IM], 0);
    assert_true(mk.prelim_positions >=
                mk.positions_advanced[SP_SPEC_IR] + mk.positions_advanced[SP_SPEC_DR]);
    sp_sim_free(sim);
}

static void market_scenario_scales_positions_and_applicants(void **state)
{
    struct fixture *f = *state;
    struct sp_sim_scenario sc;
    struct sp_sim_market mk;
    sp_sim *sim;

    sp_sim_scenario_init(&sc);
    sc.positions_scale[SP_SPEC_IR] = 1.1;
    sc.applicants_scale[SP_SPEC_EM] = 0.5;
    sim = new_sim(f, &sc, NULL);
    sp_sim_market_info(&mk, sim);
    assert_int_equal(mk.positions[SP_SPEC_IR], lround(245 * 1.1));
    assert_int_equal(mk.applicants[SP_SPEC_EM][SP_APP_US_MD],
                     lround(f->t.spec[SP_SPEC_EM].applicants *
                            f->w.model.spec[SP_SPEC_EM].pool_share[SP_APP_US_MD] * 0.5));
    sp_sim_free(sim);
}

/* One replication's type proportions follow the market; the whole run gives the
 * same reps whatever the thread count. */
static void replications_identical_for_any_thread_count(void **state)
{
    struct fixture *f = *state;
    struct sp_sim_params pp;
    struct sp_sim_rep r1[3], r2[3];
    struct sp_err err = SP_ERR_INIT;
    struct sp_sim_market mk;
    sp_sim *sim;

    sp_sim_params_init(&pp);
    pp.market_scale = 0.1; /* a down-scaled market keeps this test fast */
    sim = new_sim(f, NULL, &pp);
    sp_sim_market_info(&mk, sim);
    assert_int_equal(sp_app_sim_run(r1, sim, 99, 0, 3, 1, NULL, NULL, &err), 0);
    assert_int_equal(sp_app_sim_run(r2, sim, 99, 0, 3, 2, NULL, NULL, &err), 0);
    assert_memory_equal(r1, r2, sizeof(r1));
    /* replication 2 alone, as an MPI rank would run it, equals the third slot */
    assert_int_equal(sp_app_sim_run(r2, sim, 99, 2, 1, 1, NULL, NULL, &err), 0);
    assert_memory_equal(&r1[2], &r2[0], sizeof(r1[2]));
    for (int k = 0; k < SP_SPEC_COUNT; k++) {
        for (int t = 0; t < SP_APP_TYPE_COUNT; t++)
            assert_true(r1[0].pref[k][t] == (double)mk.applicants[k][t]);
    }
    assert_true(r1[0].type_n[SP_APP_US_MD] > 0 && r1[0].type_matched[SP_APP_US_MD] > 0);
    /* a different seed gives a different market */
    assert_int_equal(sp_app_sim_run(r2, sim, 100, 0, 1, 1, NULL, NULL, &err), 0);
    assert_true(memcmp(&r1[0], &r2[0], sizeof(r1[0])) != 0);
    sp_sim_free(sim);
}

/* A worker keeps buffers and each program's starting cut between replications:
 * only speed may depend on them. A replication played by a fresh worker equals the
 * same replication played after others, and after a market with twice the
 * applicants (whose higher cuts turn away candidates the baseline's programs
 * need, so their pools must be refilled). */
static void replications_independent_of_the_worker_history(void **state)
{
    struct fixture *f = *state;
    struct sp_sim_params pp;
    struct sp_sim_scenario crowded;
    struct sp_sim_rep fresh, after, scratch;
    struct sp_err err = SP_ERR_INIT;
    sp_sim *sim, *sim2;
    sp_sim_work *w;

    sp_sim_params_init(&pp);
    pp.market_scale = 0.1;
    sim = new_sim(f, NULL, &pp);
    sp_sim_scenario_init(&crowded);
    for (int k = 0; k < SP_SPEC_COUNT; k++)
        crowded.applicants_scale[k] = 2.0;
    sim2 = new_sim(f, &crowded, &pp);
    w = sp_sim_work_new();
    assert_int_equal(sp_sim_replicate(&fresh, sim, w, 11, 4, &err), 0);
    sp_sim_work_free(w);
    w = sp_sim_work_new();
    for (uint64_t rep = 0; rep < 4; rep++)
        assert_int_equal(sp_sim_replicate(&scratch, sim, w, 11, rep, &err), 0);
    assert_int_equal(sp_sim_replicate(&after, sim, w, 11, 4, &err), 0);
    assert_memory_equal(&fresh, &after, sizeof(fresh));
    assert_int_equal(sp_sim_replicate(&scratch, sim2, w, 11, 0, &err), 0);
    assert_int_equal(sp_sim_replicate(&after, sim, w, 11, 4, &err), 0);
    assert_memory_equal(&fresh, &after, sizeof(fresh));
    sp_sim_work_free(w);
    sp_sim_free(sim2);
    sp_sim_free(sim);
}

/* Applications are a Poisson sample scaled to the typical count: over the market
 * the mean per applicant is the typical count of each applicant's specialties
 * (with the backup share), within the sampling error. */
static void applications_average_the_typical_count(void **state)
{
    struct fixture *f = *state;
    struct sp_sim_params pp;
    struct sp_sim_rep reps[3];
    struct sp_err err = SP_ERR_INIT;
    struct sp_sim_market mk;
    struct sp_sim_summary s;
    static const int backup_of[SP_SPEC_COUNT] = {SP_SPEC_DR,    SP_SPEC_IM, -1,
                                                 SP_SPEC_IM,    SP_SPEC_GS, SP_SPEC_IM,
                                                 SP_SPEC_IM,    SP_SPEC_IM, SP_SPEC_IM};
    double expect = 0, applicants = 0;
    sp_sim *sim;

    sp_sim_params_init(&pp);
    pp.market_scale = 0.1;
    sim = new_sim(f, NULL, &pp);
    sp_sim_market_info(&mk, sim);
    for (int k = 0; k < SP_SPEC_COUNT; k++) {
        for (int t = 0; t < SP_APP_TYPE_COUNT; t++) {
            double n = mk.applicants[k][t];
            int kb = backup_of[k];
            int typ = sp_model_typical_applications(&f->w.model, (enum sp_specialty)k,
                                                    (enum sp_applicant_type)t, 100000);
            double own = typ < (int)mk.n_programs[k] ? typ : (double)mk.n_programs[k];
            expect += n * own;
            if (kb >= 0) {
                int tb = sp_model_typical_applications(&f->w.model, (enum sp_specialty)kb,
                                                       (enum sp_applicant_type)t, 100000);
                double nb = lround(tb * pp.backup_applications);
                expect += n * pp.backup_share[t] * (nb < 1 ? 1 : nb);
            }
            applicants += n;
        }
    }
    assert_int_equal(sp_app_sim_run(reps, sim, 5, 0, 3, 1, NULL, NULL, &err), 0);
    sp_sim_summarize(&s, sim, reps, 3);
    printf("applications per applicant %.2f, expected %.2f\n", s.applications_per_applicant,
           expect / applicants);
    assert_true(fabs(s.applications_per_applicant / (expect / applicants) - 1) < 0.015);
    sp_sim_free(sim);
}

/* Applications follow the planner's P(interview), geography and home state
 * included: without the model's geography and in-state interview effects, the
 * share of applications to a preferred division and to the applicant's own state
 * falls clearly. */
static void applications_favour_geography_and_home_state(void **state)
{
    struct fixture *f = *state;
    struct sp_sim_params pp;
    struct sp_model flat = f->w.model;
    struct sp_sim_inputs in = {&f->w.model, f->w.cat, f->w.q, &f->t, NULL, &pp, NULL};
    struct sp_err err = SP_ERR_INIT;
    struct sp_sim_rep with, without;
    double geo[2], home[2];
    sp_sim *sim;

    sp_sim_params_init(&pp);
    pp.market_scale = 0.1;
    flat.geo.interview = 0;
    flat.in_state.interview = 0;
    for (int v = 0; v < 2; v++) {
        struct sp_sim_rep *rp = v == 0 ? &with : &without;
        in.m = v == 0 ? &f->w.model : &flat;
        if (sp_sim_new(&sim, &in, &err))
            fail_msg("sp_sim_new: %s", err.msg);
        assert_int_equal(sp_app_sim_run(rp, sim, 11, 0, 1, 1, NULL, NULL, &err), 0);
        geo[v] = rp->applications_geo / rp->applications;
        home[v] = rp->applications_in_state / rp->applications;
        sp_sim_free(sim);
    }
    printf("preferred division %.3f vs %.3f without the effect; own state %.3f vs %.3f\n", geo[0],
           geo[1], home[0], home[1]);
    assert_true(f->w.model.geo.interview > 0 && f->w.model.in_state.interview > 0);
    /* e^0.48 on the odds in a preferred division; e^0.76 more in the home state,
     * whose programs lie in a preferred division too: measured ~1.45x and ~2.2x. */
    assert_true(geo[0] > geo[1] * 1.2);
    assert_true(home[0] > home[1] * 1.7);
}

struct scenario_case {
    const char *json;
    const char *error; /* NULL: valid */
};

static void scenario_parse_messages(void **state)
{
    static const struct scenario_case cases[] = {
        {"{}", NULL},
        {"{\"schema\": \"smartpick.scenario/1\", \"positions\": {\"IR\": 1.1}, "
         "\"applicants\": {\"EM\": 0.9}, \"signals\": {\"IM\": {\"gold\": 5, \"silver\": 10}}, "
         "\"applications_factor\": 1.2, \"couples_share\": 0.04}",
         NULL},
        {"[]", "(root): an array must be an object"},
        {"{\"positions\": {\"IR\": 0}}", "positions.IR: 0 must be > 0 and <= 10"},
        {"{\"positions\": {\"XR\": 1}}",
         "positions.XR: 'XR' is not a specialty code (did you mean IR?)"},
        {"{\"applicants\": {\"IM\": \"x\"}}", "applicants.IM: \"x\" must be a number"},
        {"{\"applications_factor\": 6}", "applications_factor: 6 must be > 0 and <= 5"},
        {"{\"couples_share\": -0.1}", "couples_share: -0.1 must be >= 0 and <= 0.5"},
        {"{\"signals\": {\"IR\": {\"gold\": 2.5}}}", "signals.IR.gold: 2.5 must be a whole number"},
        {"{\"signals\": {\"IR\": {\"bronze\": 1}}}",
         "signals.IR.bronze: unknown key (expected gold or silver)"},
        {"{\"signals\": {\"IR\": 3}}", "signals.IR: 3 must be an object with gold and/or silver"},
        {"{\"schema\": \"x\"}", "schema: \"x\" must be \"smartpick.scenario/1\""},
        {"{\"positoins\": {}}",
         "positoins: unknown key (expected schema, description, positions, applicants, "
         "signals, applications_factor, couples_share)"},
        {"{\"positions\": {\"IR\": 1}, \"positions\": {\"IR\": 2}}",
         NULL /* syntax: checked below */},
    };

    (void)state;
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct sp_sim_scenario sc;
        struct sp_err err = SP_ERR_INIT;
        int rc = sp_scenario_from_json(&sc, cases[i].json, strlen(cases[i].json), &err);
        if (i == sizeof(cases) / sizeof(cases[0]) - 1) {
            assert_int_equal(rc, SP_EINVAL); /* duplicate keys are rejected */
            assert_non_null(strstr(err.msg, "duplicate"));
            continue;
        }
        if (!cases[i].error) {
            if (rc)
                fail_msg("case %zu: %s", i, err.msg);
            continue;
        }
        assert_int_equal(rc, SP_EINVAL);
        assert_string_equal(err.msg, cases[i].error);
    }
    {
        struct sp_sim_scenario sc;
        const char *j = "{\"positions\": {\"IR\": 1.1}, \"signals\": {\"DR\": {\"silver\": 0}}, "
                        "\"couples_share\": 0}";
        assert_int_equal(sp_scenario_from_json(&sc, j, strlen(j), NULL), 0);
        assert_true(sc.positions_scale[SP_SPEC_IR] == 1.1);
        assert_true(sc.positions_scale[SP_SPEC_DR] == 1);
        assert_int_equal(sc.signals_silver[SP_SPEC_DR], 0);
        assert_int_equal(sc.signals_gold[SP_SPEC_DR], -1);
        assert_true(sc.couples_share == 0);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(rng_philox_known_answers),
        cmocka_unit_test(rng_xoshiro_known_answers),
        cmocka_unit_test(rng_counter_known_answers),
        cmocka_unit_test(rng_streams_are_reproducible_and_independent),
        cmocka_unit_test(rng_below_is_unbiased),
        cmocka_unit_test(scenario_parse_messages),
        cmocka_unit_test(market_capacities_sum_to_positions),
        cmocka_unit_test(market_scenario_scales_positions_and_applicants),
        cmocka_unit_test(applications_average_the_typical_count),
        cmocka_unit_test(applications_favour_geography_and_home_state),
        cmocka_unit_test(replications_identical_for_any_thread_count),
        cmocka_unit_test(replications_independent_of_the_worker_history),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
