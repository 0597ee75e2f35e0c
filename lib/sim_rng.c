/*
 * The simulator's random numbers: Philox4x32-10 (Salmon, Moraes, Dror, Shaw,
 * "Parallel random numbers: as easy as 1, 2, 3", SC 2011), a counter-based
 * generator. The key is the seed; the counter's upper 64 bits are the stream
 * (the replication), its lower 64 bits count blocks of four 32-bit outputs. A
 * stream is thus a pure function of (seed, replication), which is what makes
 * results identical whatever the number of threads or ranks.
 */
#include "smartpick/sim.h"

#include <math.h>

#include "banned.h"

#define PHILOX_M0 0xD2511F53u
#define PHILOX_M1 0xCD9E8D57u
#define PHILOX_W0 0x9E3779B9u
#define PHILOX_W1 0xBB67AE85u

static void mulhilo(uint32_t a, uint32_t b, uint32_t *hi, uint32_t *lo)
{
    uint64_t p = (uint64_t)a * b;

    *hi = (uint32_t)(p >> 32);
    *lo = (uint32_t)p;
}

void sp_philox4x32(uint32_t out[4], const uint32_t ctr[4], const uint32_t key[2])
{
    uint32_t c0 = ctr[0], c1 = ctr[1], c2 = ctr[2], c3 = ctr[3];
    uint32_t k0 = key[0], k1 = key[1];

    for (int round = 0; round < 10; round++) {
        uint32_t hi0, lo0, hi1, lo1;
        if (round > 0) {
            k0 += PHILOX_W0;
            k1 += PHILOX_W1;
        }
        mulhilo(PHILOX_M0, c0, &hi0, &lo0);
        mulhilo(PHILOX_M1, c2, &hi1, &lo1);
        c0 = hi1 ^ c1 ^ k0;
        c1 = lo1;
        c2 = hi0 ^ c3 ^ k1;
        c3 = lo0;
    }
    out[0] = c0;
    out[1] = c1;
    out[2] = c2;
    out[3] = c3;
}

void sp_rng_init(struct sp_rng *r, uint64_t seed, uint64_t stream)
{
    r->key[0] = (uint32_t)seed;
    r->key[1] = (uint32_t)(seed >> 32);
    r->ctr[0] = 0;
    r->ctr[1] = 0;
    r->ctr[2] = (uint32_t)stream;
    r->ctr[3] = (uint32_t)(stream >> 32);
    r->used = 4;
}

uint32_t sp_rng_u32(struct sp_rng *r)
{
    if (r->used == 4) {
        sp_philox4x32(r->out, r->ctr, r->key);
        /* 2^64 blocks per stream: the carry into ctr[1] is all a run can need. */
        if (++r->ctr[0] == 0)
            r->ctr[1]++;
        r->used = 0;
    }
    return r->out[r->used++];
}

uint64_t sp_rng_u64(struct sp_rng *r)
{
    uint64_t hi = sp_rng_u32(r);

    return hi << 32 | sp_rng_u32(r);
}

double sp_rng_uniform(struct sp_rng *r)
{
    /* (k + 0.5) / 2^53 for k in [0, 2^53): strictly inside (0, 1). */
    return ((double)(sp_rng_u64(r) >> 11) + 0.5) * 0x1.0p-53;
}

uint32_t sp_rng_below(struct sp_rng *r, uint32_t n)
{
    uint64_t m = (uint64_t)sp_rng_u32(r) * n;
    uint32_t low = (uint32_t)m;

    if (low < n) {
        uint32_t threshold = (uint32_t)(-n) % n;
        while (low < threshold) {
            m = (uint64_t)sp_rng_u32(r) * n;
            low = (uint32_t)m;
        }
    }
    return (uint32_t)(m >> 32);
}

double sp_rng_normal(struct sp_rng *r)
{
    double u1 = sp_rng_uniform(r), u2 = sp_rng_uniform(r);

    return sqrt(-2.0 * log(u1)) * cos(6.283185307179586 * u2);
}

double sp_rng_logistic(struct sp_rng *r)
{
    double u = sp_rng_uniform(r);

    return log(u / (1.0 - u));
}
