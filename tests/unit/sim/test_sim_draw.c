/*
 * The simulated applications' vector loops (core/sim/sim_draw.c): every path this CPU
 * can run (scalar, SSE2, AVX2) gives the same bits as the scalar one, at every
 * length (the wide paths hand their tails to the narrow ones), and the draws take
 * each program with its probability.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "../../../core/sim/sim_draw.h"

#include <math.h>
#include <string.h>

#include "banned.h"

#define N_MAX 203

/* Programs with selectivity, divisions and states varied enough to take every
 * branch: a preferred division on a third, the applicant's state on a fifth. */
static void inputs(struct sp_rng *rng, float *eq, float *pf, uint32_t *bit, int32_t *state,
                   size_t n)
{
    for (size_t x = 0; x < n; x++) {
        eq[x] = (float)exp(2.0 * sp_rng_uniform(rng) - 1.0);
        pf[x] = (float)exp(2.0 * (sp_rng_uniform(rng) - 0.5));
        bit[x] = 1u << (1 + sp_rng_below(rng, 9));
        state[x] = (int32_t)sp_rng_below(rng, 5);
    }
}

static void paths_give_the_same_bits(void **state)
{
    enum sim_isa best = sim_isa_best();
    float eq[N_MAX], pf[N_MAX], w0[N_MAX], w[N_MAX];
    uint32_t bit[N_MAX], pick0[N_MAX + 4], pick[N_MAX + 4];
    int32_t st[N_MAX];
    struct sp_rng rng;
    struct sim_weigh_in in = {0.7f, 0.62f, 0.47f, (1u << 2) | (1u << 5) | (1u << 7), 3};

    (void)state;
    sp_rng_init(&rng, 7, 0);
    inputs(&rng, eq, pf, bit, st, N_MAX);
    for (size_t n = 0; n <= N_MAX; n += (n < 20 ? 1 : 17)) {
        float top0, top;
        double sum0 = sim_weigh(SIM_ISA_SCALAR, eq, pf, bit, st, n, &in, w0, &top0);
        for (int isa = SIM_ISA_SSE2; isa <= (int)best; isa++) {
            size_t cap0, cap, k0, k;
            struct sp_rng r0, r1;
            double sum = sim_weigh((enum sim_isa)isa, eq, pf, bit, st, n, &in, w, &top);
            assert_memory_equal(&sum, &sum0, sizeof(sum));
            assert_memory_equal(&top, &top0, sizeof(top));
            if (n > 0)
                assert_memory_equal(w, w0, n * sizeof(float));
            for (float c = 0.5f; c < 9.0f; c *= 2) {
                float rmax0, rmax;
                double rest0 = sim_uncapped_sum(SIM_ISA_SCALAR, w0, n, c, &cap0, &rmax0);
                double rest = sim_uncapped_sum((enum sim_isa)isa, w0, n, c, &cap, &rmax);
                assert_memory_equal(&rest, &rest0, sizeof(rest));
                assert_true(cap == cap0);
                assert_memory_equal(&rmax, &rmax0, sizeof(rmax));
            }
            /* the draws, and where the stream stands after them; enough rounds
             * that ties (1 in 65536 programs) occur */
            sp_rng_init(&r0, 11, n);
            sp_rng_init(&r1, 11, n);
            for (int round = 0; round < 300; round++) {
                k0 = sim_draw_programs(SIM_ISA_SCALAR, &r0, w0, n, 0.9f * 65536.0f, pick0);
                k = sim_draw_programs((enum sim_isa)isa, &r1, w0, n, 0.9f * 65536.0f, pick);
                assert_true(k == k0);
                if (k > 0)
                    assert_memory_equal(pick, pick0, k * sizeof(uint32_t));
            }
            assert_true(sp_rng_u64(&r0) == sp_rng_u64(&r1));
        }
    }
}

/* Each program is drawn with probability min(1, c w): over many rounds, the count
 * of each is within 4.5 binomial SDs of its expectation, and the draws rise. */
static void draws_take_each_program_with_its_probability(void **state)
{
    static const float w[9] = {0.9f, 0.5f, 0.25f, 0.1f, 0.05f, 0.3f, 0.0f, 0.7f, 0.33f};
    const float c = 1.2f;
    uint32_t pick[9 + 4];
    int counts[9] = {0};
    const int rounds = 40000;
    struct sp_rng rng;

    (void)state;
    sp_rng_init(&rng, 3, 1);
    for (int t = 0; t < rounds; t++) {
        size_t k = sim_draw_programs(sim_isa_best(), &rng, w, 9, c * 65536.0f, pick);
        for (size_t y = 0; y < k; y++) {
            if (y > 0)
                assert_true(pick[y] > pick[y - 1]);
            counts[pick[y]]++;
        }
    }
    for (int x = 0; x < 9; x++) {
        double p = fmin(1.0, (double)(c * w[x]));
        double sd = sqrt(rounds * p * (1 - p));
        assert_true(fabs(counts[x] - rounds * p) <= 4.5 * sd + 1e-9);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(paths_give_the_same_bits),
        cmocka_unit_test(draws_take_each_program_with_its_probability),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
