/*
 * The simulated applications' vector loops (sim_draw.h). Each loop runs its
 * widest path first, then hands what is left (under eight or four programs, and
 * the partial sums) to the narrower one; all paths keep the same four partial
 * sums in the same order.
 */
#include "sim_draw.h"

#include <stdbool.h>

#if defined(__x86_64__) && defined(__GNUC__)
#include <immintrin.h>
#define SIM_X86 1
#define SIM_AVX2 __attribute__((target("avx2")))
#else
#define SIM_X86 0
#endif

#include "banned.h"

enum sim_isa sim_isa_best(void)
{
#if SIM_X86
    if (__builtin_cpu_supports("avx2"))
        return SIM_ISA_AVX2;
    return SIM_ISA_SSE2;
#else
    return SIM_ISA_SCALAR;
#endif
}

/* A loop's state between paths: the next x, four partial sums, a maximum or a count. */
struct part {
    size_t x;
    double s[4];
    float top;
    size_t count;
};

static double part_sum(const struct part *p)
{
    return (p->s[0] + p->s[1]) + (p->s[2] + p->s[3]);
}

/* ---- sim_weigh --------------------------------------------------------------------- */

static void weigh_scalar(struct part *p, const float *eq, const float *pf, const uint32_t *bit,
                         const int32_t *state, size_t N, const struct sim_weigh_in *in, float *w)
{
    for (size_t x = p->x; x < N; x++) {
        bool g = (bit[x] & in->divs) != 0, i = state[x] == in->state;
        float gf = g ? in->fg : 1.0f, sf = i ? in->fi : 1.0f;
        float util = (SP_FIT_BASE_F + (g ? SP_FIT_DIVISION_F : 0.0f)) + (i ? SP_FIT_IN_STATE_F : 0.0f);
        float wx = (util * pf[x]) / (1.0f + in->ef * gf * sf * eq[x]);
        w[x] = wx;
        p->top = wx > p->top ? wx : p->top;
        p->s[x & 3] += wx;
    }
    p->x = N;
}

#if SIM_X86
static void weigh_sse2(struct part *p, const float *eq, const float *pf, const uint32_t *bit,
                       const int32_t *state, size_t N, const struct sim_weigh_in *in, float *w)
{
    const __m128 one = _mm_set1_ps(1.0f), fg = _mm_set1_ps(in->fg), fi = _mm_set1_ps(in->fi);
    const __m128 ef = _mm_set1_ps(in->ef), u0 = _mm_set1_ps(SP_FIT_BASE_F);
    const __m128 ug = _mm_set1_ps(SP_FIT_DIVISION_F), ui = _mm_set1_ps(SP_FIT_IN_STATE_F);
    const __m128i divs = _mm_set1_epi32((int)in->divs), st = _mm_set1_epi32(in->state);
    __m128 top = _mm_set1_ps(p->top);
    __m128d s01 = _mm_loadu_pd(p->s), s23 = _mm_loadu_pd(p->s + 2);
    float m4[4];
    size_t x = p->x;

    for (; x + 4 <= N; x += 4) {
        __m128i b = _mm_loadu_si128((const __m128i *)(const void *)(bit + x));
        __m128i si = _mm_loadu_si128((const __m128i *)(const void *)(state + x));
        /* not_g: all ones where the program is NOT in a preferred division */
        __m128 not_g =
            _mm_castsi128_ps(_mm_cmpeq_epi32(_mm_and_si128(b, divs), _mm_setzero_si128()));
        __m128 is_i = _mm_castsi128_ps(_mm_cmpeq_epi32(si, st));
        __m128 gf = _mm_or_ps(_mm_and_ps(not_g, one), _mm_andnot_ps(not_g, fg));
        __m128 sf = _mm_or_ps(_mm_and_ps(is_i, fi), _mm_andnot_ps(is_i, one));
        __m128 util = _mm_add_ps(_mm_add_ps(u0, _mm_andnot_ps(not_g, ug)), _mm_and_ps(is_i, ui));
        __m128 e = _mm_mul_ps(_mm_mul_ps(_mm_mul_ps(ef, gf), sf), _mm_loadu_ps(eq + x));
        __m128 wx = _mm_div_ps(_mm_mul_ps(util, _mm_loadu_ps(pf + x)), _mm_add_ps(one, e));
        _mm_storeu_ps(w + x, wx);
        top = _mm_max_ps(top, wx);
        s01 = _mm_add_pd(s01, _mm_cvtps_pd(wx));
        s23 = _mm_add_pd(s23, _mm_cvtps_pd(_mm_movehl_ps(wx, wx)));
    }
    _mm_storeu_ps(m4, top);
    _mm_storeu_pd(p->s, s01);
    _mm_storeu_pd(p->s + 2, s23);
    for (int l = 0; l < 4; l++)
        p->top = m4[l] > p->top ? m4[l] : p->top;
    p->x = x;
}

SIM_AVX2 static void weigh_avx2(struct part *p, const float *eq, const float *pf,
                                const uint32_t *bit, const int32_t *state, size_t N,
                                const struct sim_weigh_in *in, float *w)
{
    const __m256 one = _mm256_set1_ps(1.0f), fg = _mm256_set1_ps(in->fg);
    const __m256 fi = _mm256_set1_ps(in->fi), ef = _mm256_set1_ps(in->ef);
    const __m256 u0 = _mm256_set1_ps(SP_FIT_BASE_F), ug = _mm256_set1_ps(SP_FIT_DIVISION_F),
                 ui = _mm256_set1_ps(SP_FIT_IN_STATE_F);
    const __m256i divs = _mm256_set1_epi32((int)in->divs), st = _mm256_set1_epi32(in->state);
    __m256 top = _mm256_set1_ps(p->top);
    __m256d s = _mm256_loadu_pd(p->s);
    float m8[8];
    size_t x = p->x;

    for (; x + 8 <= N; x += 8) {
        __m256i b = _mm256_loadu_si256((const __m256i *)(const void *)(bit + x));
        __m256i si = _mm256_loadu_si256((const __m256i *)(const void *)(state + x));
        __m256 not_g = _mm256_castsi256_ps(
            _mm256_cmpeq_epi32(_mm256_and_si256(b, divs), _mm256_setzero_si256()));
        __m256 is_i = _mm256_castsi256_ps(_mm256_cmpeq_epi32(si, st));
        __m256 gf = _mm256_or_ps(_mm256_and_ps(not_g, one), _mm256_andnot_ps(not_g, fg));
        __m256 sf = _mm256_or_ps(_mm256_and_ps(is_i, fi), _mm256_andnot_ps(is_i, one));
        __m256 util =
            _mm256_add_ps(_mm256_add_ps(u0, _mm256_andnot_ps(not_g, ug)), _mm256_and_ps(is_i, ui));
        __m256 e = _mm256_mul_ps(_mm256_mul_ps(_mm256_mul_ps(ef, gf), sf), _mm256_loadu_ps(eq + x));
        __m256 wx =
            _mm256_div_ps(_mm256_mul_ps(util, _mm256_loadu_ps(pf + x)), _mm256_add_ps(one, e));
        _mm256_storeu_ps(w + x, wx);
        top = _mm256_max_ps(top, wx);
        /* programs x .. x + 3 then x + 4 .. x + 7 into the sums of x mod 4 */
        s = _mm256_add_pd(s, _mm256_cvtps_pd(_mm256_castps256_ps128(wx)));
        s = _mm256_add_pd(s, _mm256_cvtps_pd(_mm256_extractf128_ps(wx, 1)));
    }
    _mm256_storeu_ps(m8, top);
    _mm256_storeu_pd(p->s, s);
    for (int l = 0; l < 8; l++)
        p->top = m8[l] > p->top ? m8[l] : p->top;
    p->x = x;
}
#endif

double sim_weigh(enum sim_isa isa, const float *eq, const float *pf, const uint32_t *bit,
                 const int32_t *state, size_t N, const struct sim_weigh_in *in, float *w,
                 float *wmax)
{
    struct part p = {0, {0, 0, 0, 0}, 0.0f, 0};

#if SIM_X86
    if (isa >= SIM_ISA_AVX2)
        weigh_avx2(&p, eq, pf, bit, state, N, in, w);
    if (isa >= SIM_ISA_SSE2)
        weigh_sse2(&p, eq, pf, bit, state, N, in, w);
#else
    (void)isa;
#endif
    weigh_scalar(&p, eq, pf, bit, state, N, in, w);
    *wmax = p.top;
    return part_sum(&p);
}

/* ---- sim_uncapped_sum -------------------------------------------------------------- */

static void uncapped_scalar(struct part *p, const float *w, size_t N, float c)
{
    for (size_t x = p->x; x < N; x++) {
        bool cap = c * w[x] >= 1.0f;
        float rest = cap ? 0.0f : w[x];
        p->count += cap;
        p->s[x & 3] += rest;
        p->top = rest > p->top ? rest : p->top;
    }
    p->x = N;
}

#if SIM_X86
/* Add the vector lanes' capped counts and largest uncapped weights to p. */
static void fold_lanes(struct part *p, const int32_t *count, const float *top, int lanes)
{
    for (int l = 0; l < lanes; l++) {
        p->count += (size_t)count[l];
        p->top = top[l] > p->top ? top[l] : p->top;
    }
}

static void uncapped_sse2(struct part *p, const float *w, size_t N, float c)
{
    const __m128 vc = _mm_set1_ps(c), one = _mm_set1_ps(1.0f);
    __m128i cnt = _mm_setzero_si128();
    __m128d s01 = _mm_loadu_pd(p->s), s23 = _mm_loadu_pd(p->s + 2);
    __m128 top = _mm_set1_ps(p->top);
    int32_t c4[4];
    float m4[4];
    size_t x = p->x;

    for (; x + 4 <= N; x += 4) {
        __m128 wx = _mm_loadu_ps(w + x);
        __m128 cap = _mm_cmpge_ps(_mm_mul_ps(vc, wx), one);
        __m128 rest = _mm_andnot_ps(cap, wx);
        cnt = _mm_sub_epi32(cnt, _mm_castps_si128(cap)); /* -1 where capped */
        s01 = _mm_add_pd(s01, _mm_cvtps_pd(rest));
        s23 = _mm_add_pd(s23, _mm_cvtps_pd(_mm_movehl_ps(rest, rest)));
        top = _mm_max_ps(top, rest);
    }
    _mm_storeu_si128((__m128i *)(void *)c4, cnt);
    _mm_storeu_pd(p->s, s01);
    _mm_storeu_pd(p->s + 2, s23);
    _mm_storeu_ps(m4, top);
    fold_lanes(p, c4, m4, 4);
    p->x = x;
}

SIM_AVX2 static void uncapped_avx2(struct part *p, const float *w, size_t N, float c)
{
    const __m256 vc = _mm256_set1_ps(c), one = _mm256_set1_ps(1.0f);
    __m256i cnt = _mm256_setzero_si256();
    __m256d s = _mm256_loadu_pd(p->s);
    __m256 top = _mm256_set1_ps(p->top);
    int32_t c8[8];
    float m8[8];
    size_t x = p->x;

    for (; x + 8 <= N; x += 8) {
        __m256 wx = _mm256_loadu_ps(w + x);
        __m256 cap = _mm256_cmp_ps(_mm256_mul_ps(vc, wx), one, _CMP_GE_OQ);
        __m256 rest = _mm256_andnot_ps(cap, wx);
        cnt = _mm256_sub_epi32(cnt, _mm256_castps_si256(cap));
        s = _mm256_add_pd(s, _mm256_cvtps_pd(_mm256_castps256_ps128(rest)));
        s = _mm256_add_pd(s, _mm256_cvtps_pd(_mm256_extractf128_ps(rest, 1)));
        top = _mm256_max_ps(top, rest);
    }
    _mm256_storeu_si256((__m256i *)(void *)c8, cnt);
    _mm256_storeu_pd(p->s, s);
    _mm256_storeu_ps(m8, top);
    fold_lanes(p, c8, m8, 8);
    p->x = x;
}
#endif

double sim_uncapped_sum(enum sim_isa isa, const float *w, size_t N, float c, size_t *capped,
                        float *rest_max)
{
    struct part p = {0, {0, 0, 0, 0}, 0.0f, 0};

#if SIM_X86
    if (isa >= SIM_ISA_AVX2)
        uncapped_avx2(&p, w, N, c);
    if (isa >= SIM_ISA_SSE2)
        uncapped_sse2(&p, w, N, c);
#else
    (void)isa;
#endif
    uncapped_scalar(&p, w, N, c);
    *capped = p.count;
    *rest_max = p.top;
    return part_sum(&p);
}

/* ---- sim_draw_programs ------------------------------------------------------------- */

/* Four programs from x0 (fewer at the end, n): one xoshiro output, then the ties. */
static size_t draw_scalar(struct sp_rng *rng, const float *w, size_t x0, size_t N, float cf,
                          uint32_t *pick, size_t picked)
{
    for (; x0 < N; x0 += 4) {
        uint64_t bits = sp_rng_u64(rng);
        size_t end = x0 + 4 < N ? x0 + 4 : N;
        for (size_t x = x0; x < end; x++, bits >>= 16) {
            float t = cf * w[x];
            int32_t u = (int32_t)(bits & 0xffffu), ti;
            t = t < 65536.0f ? t : 65536.0f;
            ti = (int32_t)t;
            pick[picked] = (uint32_t)x;
            if (u == ti) /* a tie: 1 in 65536 */
                picked += sp_rng_uniform(rng) < (double)(t - (float)ti);
            else
                picked += u < ti;
        }
    }
    return picked;
}

#if SIM_X86
/* For each 4-bit mask of lanes drawn: their indices, packed, and their count. */
static const _Alignas(16) int32_t lanes[16][4] = {
    {0, 0, 0, 0}, {0, 0, 0, 0}, {1, 0, 0, 0}, {0, 1, 0, 0}, {2, 0, 0, 0}, {0, 2, 0, 0},
    {1, 2, 0, 0}, {0, 1, 2, 0}, {3, 0, 0, 0}, {0, 3, 0, 0}, {1, 3, 0, 0}, {0, 1, 3, 0},
    {2, 3, 0, 0}, {0, 2, 3, 0}, {1, 2, 3, 0}, {0, 1, 2, 3}};
static const uint8_t lane_count[16] = {0, 1, 1, 2, 1, 2, 2, 3, 1, 2, 2, 3, 2, 3, 3, 4};

/* The draws of programs x0 .. x0 + 3 given their thresholds ti = floor(t): the
 * next xoshiro output's four 16-bit fields against them, ties settled by fresh
 * uniforms in lane order; the drawn lanes' positions packed onto pick. */
static inline size_t draw_four(struct sp_rng *rng, const float *w, size_t x0, float cf, __m128i ti,
                               uint32_t *pick, size_t picked)
{
    uint64_t bits = sp_rng_u64(rng);
    __m128i u = _mm_unpacklo_epi16(_mm_cvtsi64_si128((long long)bits), _mm_setzero_si128());
    unsigned take = (unsigned)_mm_movemask_ps(_mm_castsi128_ps(_mm_cmplt_epi32(u, ti)));
    unsigned tie = (unsigned)_mm_movemask_ps(_mm_castsi128_ps(_mm_cmpeq_epi32(u, ti)));

    for (unsigned l = 0; tie && l < 4; l++) {
        if ((tie >> l) & 1u) {
            float tl = cf * w[x0 + l];
            tl = tl < 65536.0f ? tl : 65536.0f;
            take |= (unsigned)(sp_rng_uniform(rng) < (double)(tl - (float)(int32_t)tl)) << l;
        }
    }
    _mm_storeu_si128((__m128i *)(void *)(pick + picked),
                     _mm_add_epi32(_mm_set1_epi32((int)x0),
                                   _mm_load_si128((const __m128i *)(const void *)lanes[take])));
    return picked + lane_count[take];
}

static size_t draw_sse2(struct sp_rng *rng, const float *w, size_t *x0, size_t N, float cf,
                        uint32_t *pick, size_t picked)
{
    const __m128 vcf = _mm_set1_ps(cf), cap = _mm_set1_ps(65536.0f);
    size_t x = *x0;

    for (; x + 4 <= N; x += 4) {
        __m128 t = _mm_min_ps(_mm_mul_ps(vcf, _mm_loadu_ps(w + x)), cap);
        picked = draw_four(rng, w, x, cf, _mm_cvttps_epi32(t), pick, picked);
    }
    *x0 = x;
    return picked;
}

SIM_AVX2 static size_t draw_avx2(struct sp_rng *rng, const float *w, size_t *x0, size_t N, float cf,
                                 uint32_t *pick, size_t picked)
{
    const __m256 vcf = _mm256_set1_ps(cf), cap = _mm256_set1_ps(65536.0f);
    size_t x = *x0;

    for (; x + 8 <= N; x += 8) {
        __m256 t = _mm256_min_ps(_mm256_mul_ps(vcf, _mm256_loadu_ps(w + x)), cap);
        __m256i ti = _mm256_cvttps_epi32(t);
        picked = draw_four(rng, w, x, cf, _mm256_castsi256_si128(ti), pick, picked);
        picked = draw_four(rng, w, x + 4, cf, _mm256_extracti128_si256(ti, 1), pick, picked);
    }
    *x0 = x;
    return picked;
}
#endif

size_t sim_draw_programs(enum sim_isa isa, struct sp_rng *rng, const float *w, size_t N, float cf,
                         uint32_t *pick)
{
    size_t picked = 0, x0 = 0;

#if SIM_X86
    if (isa >= SIM_ISA_AVX2)
        picked = draw_avx2(rng, w, &x0, N, cf, pick, picked);
    if (isa >= SIM_ISA_SSE2)
        picked = draw_sse2(rng, w, &x0, N, cf, pick, picked);
#else
    (void)isa;
#endif
    return draw_scalar(rng, w, x0, N, cf, pick, picked);
}
