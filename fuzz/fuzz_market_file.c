/*
 * Fuzz target: the market file reader (format/market_file.c, data/market.bin and the
 * market beside a --model). The input's last 8 bytes are replaced by the checksum of
 * the rest, so the fuzzer reaches past the checksum into the layout. Any input either
 * fails with SP_EINVAL and a non-empty message, or reads into a market over the fixed
 * three-program catalog whose keys are finite or infinite (never NaN) and whose list
 * probabilities stay within [0, 1]. Never a crash, a leak or undefined behaviour.
 */
#include "market_file.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "banned.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static sp_catalog *three_programs(void)
{
    static const char *const ids[] = {"4164800001", "4204800001", "1404800001"};
    static const enum sp_specialty ks[] = {SP_SPEC_IR, SP_SPEC_DR, SP_SPEC_IM};
    sp_catalog *cat = sp_catalog_new();
    struct sp_err err = SP_ERR_INIT;

    for (int i = 0; i < 3; i++) {
        struct sp_program p;
        memset(&p, 0, sizeof(p));
        snprintf(p.acgme_id, sizeof(p.acgme_id), "%s", ids[i]);
        p.specialty = ks[i];
        p.institution = "Hospital";
        p.city = "Dallas";
        memcpy(p.state, "TX", 3);
        if (sp_catalog_add(cat, &p, &err))
            __builtin_trap();
    }
    if (sp_catalog_freeze(cat, &err))
        __builtin_trap();
    return cat;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static sp_catalog *cat;
    struct sp_err err = SP_ERR_INIT;
    sp_market *mk = NULL;
    uint8_t *copy = malloc(size ? size : 1);
    int rc;

    if (!cat)
        cat = three_programs();
    if (size)
        memcpy(copy, data, size);
    if (size >= 8) {
        uint64_t h = sp_market_checksum(copy, size - 8);
        for (int i = 0; i < 8; i++)
            copy[size - 8 + (size_t)i] = (uint8_t)(h >> (8 * i));
    }
    rc = sp_market_from_bytes(&mk, copy, size, cat, 77, 1, &err);
    free(copy);
    if (rc) {
        if (rc != SP_EINVAL || !err.msg[0] || mk)
            __builtin_trap();
        return 0;
    }
    for (size_t r = 0; r < sp_market_replications(mk); r++) {
        for (size_t j = 0; j < 3; j++) {
            if (isnan(sp_market_threshold(mk, r, j)) || isnan(sp_market_cutoff(mk, r, j)))
                __builtin_trap();
        }
    }
    {
        struct sp_market_app apps[3];
        struct sp_quadrature q;
        struct sp_market_eval ev = {&q, 4, 0};
        double end[3], ivw[3], any;
        sp_quadrature_init(&q, 4, 0.8);
        for (size_t j = 0; j < 3; j++) {
            memset(&apps[j], 0, sizeof(apps[j]));
            apps[j].program = j;
            apps[j].k = SP_SPEC_IR;
            apps[j].f_signal[SP_SIGNAL_NONE] = 1;
            apps[j].share = 1;
        }
        any = sp_market_list(end, ivw, mk, apps, 3, &ev, NULL);
        if (!(any >= 0 && any <= 1 + 1e-9))
            __builtin_trap();
    }
    sp_market_free(mk);
    return 0;
}
