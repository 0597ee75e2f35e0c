/*
 * The simulator's random numbers. Philox4x32-10 (Salmon, Moraes, Dror, Shaw,
 * "Parallel random numbers: as easy as 1, 2, 3", SC 2011), a counter-based
 * generator keyed by the seed, turns (seed, replication) into the 256-bit state
 * of xoshiro256++ (Blackman, Vigna, "Scrambled linear pseudorandom number
 * generators", 2019), which then generates the replication's numbers (the
 * inline functions in smartpick/sim/sim.h). A stream is thus a pure function of
 * (seed, replication), which is what makes results identical whatever the
 * number of threads or ranks.
 */
#include "smartpick/sim/sim.h"

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
    uint32_t key[2] = {(uint32_t)seed, (uint32_t)(seed >> 32)};
    uint32_t ctr[4] = {0, 0, (uint32_t)stream, (uint32_t)(stream >> 32)};
    uint32_t out[4];

    for (int block = 0; block < 2; block++) {
        ctr[0] = (uint32_t)block;
        sp_philox4x32(out, ctr, key);
        r->s[2 * block] = (uint64_t)out[0] << 32 | out[1];
        r->s[2 * block + 1] = (uint64_t)out[2] << 32 | out[3];
    }
    /* xoshiro's one forbidden state; Philox gives it with probability 2^-256. */
    if ((r->s[0] | r->s[1] | r->s[2] | r->s[3]) == 0)
        r->s[0] = 1;
}
