/*
 * The stored market (core/model/market.c) and its file (format/market_file.c): a
 * list's probabilities against the thresholds and cutoffs of each replication, the
 * fast form against the full average, and the file's round trip and rules.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "market_file.h"
#include "smartpick/model/market.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define N_PROGS 6
#define N_REPS 600

static double logistic(double x)
{
    return 1.0 / (1.0 + exp(-x));
}

static struct sp_market_behaviour behaviour(void)
{
    struct sp_market_behaviour b;

    memset(&b, 0, sizeof(b));
    b.lambda = 0.8;
    for (int k = 0; k < SP_SPEC_COUNT; k++) {
        b.interview_noise[k] = k == SP_SPEC_IR ? 2.5 : 1.0;
        b.rank_noise[k] = 1.0;
        b.interviews_per_position[k] = 12;
    }
    return b;
}

/* A market whose thresholds and cutoffs wander around per-program levels, with a
 * program that interviews everyone (-inf) and one that never fills (-inf cutoff). */
static sp_market *synthetic_market(void)
{
    struct sp_market_behaviour b = behaviour();
    struct sp_err err = SP_ERR_INIT;
    sp_market *mk = NULL;
    uint64_t x = 12345;

    assert_int_equal(sp_market_new(&mk, N_REPS, N_PROGS, &b, &err), 0);
    for (size_t r = 0; r < N_REPS; r++) {
        float thr[N_PROGS], cut[N_PROGS];
        for (size_t j = 0; j < N_PROGS; j++) {
            double u1, u2;
            x = x * 6364136223846793005ull + 1442695040888963407ull;
            u1 = (double)(x >> 11) * 0x1.0p-53;
            x = x * 6364136223846793005ull + 1442695040888963407ull;
            u2 = (double)(x >> 11) * 0x1.0p-53;
            thr[j] = (float)(0.5 * (double)j - 1.0 + 0.6 * (u1 - 0.5));
            cut[j] = (float)(0.3 * (double)j - 0.5 + 0.8 * (u2 - 0.5));
        }
        thr[4] = -HUGE_VALF;
        cut[5] = -HUGE_VALF;
        sp_market_set_row(mk, r, thr, cut);
    }
    sp_market_finish(mk);
    return mk;
}

static struct sp_market_app app(size_t j, double s, enum sp_signal sig)
{
    struct sp_market_app a;

    memset(&a, 0, sizeof(a));
    a.program = j;
    a.k = j % 2 ? SP_SPEC_IR : SP_SPEC_DR;
    for (int g = 0; g < 3; g++) {
        a.interview[g] = s + 0.7 * g;
        a.match[g] = 0.8 * s + 0.3 * g;
    }
    a.f_signal[sig] = 1.0;
    a.share = 1.0;
    return a;
}

/* The synthetic market and the quadrature a list is priced with (fresh per test:
 * the fast form's test prepares the market). */
struct list_fixture {
    sp_market *mk;
    struct sp_quadrature q;
};

static int list_setup(void **state)
{
    struct list_fixture *f = calloc(1, sizeof(*f));

    if (!f || sp_quadrature_init(&f->q, 8, 0.8)) {
        free(f);
        return -1;
    }
    f->mk = synthetic_market();
    *state = f;
    return 0;
}

static int list_teardown(void **state)
{
    struct list_fixture *f = *state;

    sp_market_free(f->mk);
    free(f);
    return 0;
}

static void list_ends_add_up_to_p_any_and_follow_the_cutoffs(void **state)
{
    struct list_fixture *f = *state;
    struct sp_market_app apps[N_PROGS];
    struct sp_market_eval ev = {&f->q, 0, 0};
    double p_end[N_PROGS], p_ivw[N_PROGS], sum = 0, any, ivw, want_ivw0 = 0;

    for (size_t j = 0; j < N_PROGS; j++)
        apps[j] = app(j, 0.4, j == 1 ? SP_SIGNAL_GOLD : SP_SIGNAL_NONE);
    any = sp_market_list(p_end, p_ivw, f->mk, apps, N_PROGS, &ev, &ivw);
    for (size_t j = 0; j < N_PROGS; j++) {
        assert_true(p_end[j] >= 0 && p_end[j] <= p_ivw[j] + 1e-12);
        sum += p_end[j];
    }
    assert_true(fabs(sum - any) < 1e-12);
    assert_true(any > 0 && any < 1);
    /* P(interview) at the first program, by hand: the mean over replications and
     * nodes of logistic((s + e - thr) / noise). */
    for (size_t r = 0; r < N_REPS; r++) {
        for (int x = 0; x < f->q.n; x++)
            want_ivw0 +=
                f->q.w[x] / N_REPS *
                logistic((0.4 + f->q.e[x] - (double)sp_market_threshold(f->mk, r, 0)) / 1.0);
    }
    assert_true(fabs(p_ivw[0] - want_ivw0) < 1e-12);
    /* Interviewing everyone: P(interview) 1; never filling: P(match | interview) 1. */
    assert_true(fabs(p_ivw[4] - 1.0) < 1e-12);
}

static void a_stronger_student_or_a_signal_never_does_worse(void **state)
{
    struct list_fixture *f = *state;
    struct sp_market_app apps[N_PROGS];
    struct sp_market_eval ev = {&f->q, 0, 0};
    double prev = -1;

    for (double s = -3; s <= 3; s += 0.5) {
        double p;
        for (size_t j = 0; j < N_PROGS; j++)
            apps[j] = app(j, s, SP_SIGNAL_NONE);
        p = sp_market_list(NULL, NULL, f->mk, apps, N_PROGS, &ev, NULL);
        assert_true(p >= prev);
        apps[2] = app(2, s, SP_SIGNAL_GOLD);
        assert_true(sp_market_list(NULL, NULL, f->mk, apps, N_PROGS, &ev, NULL) >= p);
        prev = p;
    }
}

static struct sp_program program(const char *id, enum sp_specialty k)
{
    struct sp_program p;

    memset(&p, 0, sizeof(p));
    snprintf(p.acgme_id, sizeof(p.acgme_id), "%s", id);
    p.specialty = k;
    p.institution = "Hospital";
    p.city = "Dallas";
    memcpy(p.state, "TX", 3);
    return p;
}

static sp_catalog *catalog(size_t n)
{
    static const char *ids[N_PROGS + 1] = {"4204800001", "4164800001", "4204800002", "4164800002",
                                           "4204800003", "4164800003", "4204800004"};
    sp_catalog *cat = sp_catalog_new();
    struct sp_err err = SP_ERR_INIT;

    for (size_t j = 0; j < n; j++) {
        struct sp_program p = program(ids[j], j % 2 ? SP_SPEC_IR : SP_SPEC_DR);
        assert_int_equal(sp_catalog_add(cat, &p, &err), 0);
    }
    assert_int_equal(sp_catalog_freeze(cat, &err), 0);
    return cat;
}

static void the_fast_form_agrees_with_the_full_average(void **state)
{
    struct list_fixture *f = *state;
    struct sp_market_app apps[N_PROGS];
    struct sp_market_eval ev = {&f->q, 0, 0};

    sp_catalog *cat = catalog(N_PROGS);
    size_t n_cat;
    const struct sp_program *progs = sp_catalog_programs(cat, &n_cat);

    /* the fast form's factors take each program's specialty from the catalog */
    sp_market_prepare(f->mk, cat);
    for (double s = -2; s <= 2; s += 1) {
        double full, fast, ivw_full, ivw_fast;
        for (size_t j = 0; j < N_PROGS; j++) {
            apps[j] = app(j, s, SP_SIGNAL_NONE);
            apps[j].k = progs[j].specialty;
        }
        full = sp_market_list(NULL, NULL, f->mk, apps, N_PROGS, &ev, &ivw_full);
        fast = sp_market_list_fast(f->mk, apps, N_PROGS, &f->q, 0, &ivw_fast);
        /* Independent programs here, so only the strata's summary differs. */
        assert_true(fabs(full - fast) < 0.01);
        assert_true(fabs(ivw_full - ivw_fast) < 0.03);
    }
    sp_catalog_free(cat);
}

static void the_file_round_trips_within_its_key_unit(void **state)
{
    sp_market *mk = synthetic_market(), *back = NULL;
    sp_catalog *cat = catalog(N_PROGS);
    struct sp_buf bytes = SP_BUF_INIT;
    struct sp_err err = SP_ERR_INIT;
    (void)state;

    sp_market_set_counts(mk, 3, 2, 1.9, 25);
    sp_market_to_bytes(&bytes, mk, cat, 77);
    assert_int_equal(sp_market_from_bytes(&back, bytes.data, bytes.len, cat, 77, 500, &err), 0);
    assert_int_equal(sp_market_replications(back), N_REPS);
    for (size_t r = 0; r < N_REPS; r++) {
        for (size_t j = 0; j < N_PROGS; j++) {
            /* the same codes in memory and in the file */
            assert_true(sp_market_threshold(mk, r, j) == sp_market_threshold(back, r, j));
            assert_true(sp_market_cutoff(mk, r, j) == sp_market_cutoff(back, r, j));
        }
    }
    {
        double pos, filled, ivw;
        sp_market_counts(&pos, &filled, &ivw, back, 3);
        assert_true(pos == 2 && filled == 1.9 && ivw == 25);
    }
    sp_market_free(back);
    sp_market_free(mk);
    sp_catalog_free(cat);
    sp_buf_release(&bytes);
}

static void expect_refused(const struct sp_buf *b, size_t len, const sp_catalog *cat, uint64_t fp,
                           const char *rule)
{
    struct sp_err err = SP_ERR_INIT;
    sp_market *mk = NULL;
    char *copy = malloc(len ? len : 1);

    memcpy(copy, b->data, len < b->len ? len : b->len);
    if (len > b->len)
        memset(copy + b->len, 0, len - b->len);
    assert_int_equal(sp_market_from_bytes(&mk, copy, len, cat, fp, 500, &err), SP_EINVAL);
    assert_null(mk);
    if (!strstr(err.msg, rule))
        fail_msg("message '%s' does not name the rule '%s'", err.msg, rule);
    free(copy);
}

static void keys_are_coded_within_half_a_unit_and_infinities_exactly(void **state)
{
    (void)state;
    for (float k = -20.0f; k <= 20.0f; k += 0.037f)
        assert_true(fabsf(sp_market_key_of(sp_market_key_code(k)) - k) <= 0.5f / 256);
    assert_true(sp_market_key_of(sp_market_key_code(HUGE_VALF)) == HUGE_VALF);
    assert_true(sp_market_key_of(sp_market_key_code(-HUGE_VALF)) == -HUGE_VALF);
    /* far keys stay finite, and NaN never passes for a key */
    assert_true(isfinite(sp_market_key_of(sp_market_key_code(1e9f))));
    assert_true(isfinite(sp_market_key_of(sp_market_key_code(NAN))));
}

static void a_bad_file_is_refused_naming_the_rule(void **state)
{
    sp_market *mk = synthetic_market();
    sp_catalog *cat = catalog(N_PROGS), *bigger = catalog(N_PROGS + 1);
    struct sp_buf bytes = SP_BUF_INIT;
    (void)state;

    sp_market_to_bytes(&bytes, mk, cat, 77);
    expect_refused(&bytes, 4, cat, 77, "must start with SPMARKET");
    expect_refused(&bytes, bytes.len - 1, cat, 77, "truncated");
    expect_refused(&bytes, bytes.len + 3, cat, 77, "trailing bytes");
    expect_refused(&bytes, bytes.len, cat, 78, "built for another model");
    {
        struct sp_err err = SP_ERR_INIT;
        sp_market *got = NULL;
        const struct sp_program *extra = sp_catalog_find(bigger, "4204800004");
        size_t n;
        const struct sp_program *base = sp_catalog_programs(bigger, &n);
        assert_int_equal(sp_market_from_bytes(&got, bytes.data, bytes.len, bigger, 77, 500, &err),
                         0);
        /* the program the file does not hold is unknown, the others known */
        for (size_t j = 0; j < n; j++)
            assert_true(sp_market_knows(got, j) == (&base[j] != extra));
        sp_market_free(got);
    }
    bytes.data[200] ^= 1;
    expect_refused(&bytes, bytes.len, cat, 77, "checksum");
    bytes.data[200] ^= 1;
    bytes.data[8] = 9;
    expect_refused(&bytes, bytes.len, cat, 77, "version 9");
    sp_market_free(mk);
    sp_catalog_free(cat);
    sp_catalog_free(bigger);
    sp_buf_release(&bytes);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(list_ends_add_up_to_p_any_and_follow_the_cutoffs,
                                        list_setup, list_teardown),
        cmocka_unit_test_setup_teardown(a_stronger_student_or_a_signal_never_does_worse, list_setup,
                                        list_teardown),
        cmocka_unit_test_setup_teardown(the_fast_form_agrees_with_the_full_average, list_setup,
                                        list_teardown),
        cmocka_unit_test(the_file_round_trips_within_its_key_unit),
        cmocka_unit_test(keys_are_coded_within_half_a_unit_and_infinities_exactly),
        cmocka_unit_test(a_bad_file_is_refused_naming_the_rule),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
