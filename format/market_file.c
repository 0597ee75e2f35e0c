/*
 * data/market.bin, the stored national market, to and from bytes (market_file.h).
 * Little-endian whatever the host; every rule of the reader names itself.
 */
#include "market_file.h"

#include "sp_alloc.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "banned.h"

#define MAGIC "SPMARKET"
#define HEADER_LEN (8 + 4 * 4 + 8 + 8 + 3 * SP_SPEC_COUNT * 8)
#define PROGRAM_LEN (SP_ACGME_ID_LEN + 3 * 8)

uint64_t sp_market_checksum(const void *data, size_t len)
{
    const unsigned char *p = data;
    uint64_t h = SP_FNV1A64_INIT;
    size_t i = 0;

    /* FNV-1a over little-endian 64-bit words, then the tail's bytes: eight times
     * fewer multiplications than byte by byte, on a 4.6 MB file at every start. */
    for (; i + 8 <= len; i += 8) {
        uint64_t w = 0;
        for (int b = 7; b >= 0; b--)
            w = w << 8 | p[i + (size_t)b];
        h ^= w;
        h *= 0x100000001b3ull;
    }
    for (; i < len; i++) {
        h ^= p[i];
        h *= 0x100000001b3ull;
    }
    return h;
}

uint64_t sp_fnv1a64(const void *data, size_t len, uint64_t h)
{
    const unsigned char *p = data;

    for (size_t i = 0; i < len; i++) {
        h ^= p[i];
        h *= 0x100000001b3ull;
    }
    return h;
}

static void put_u32(struct sp_buf *b, uint32_t v)
{
    unsigned char x[4] = {(unsigned char)v, (unsigned char)(v >> 8), (unsigned char)(v >> 16),
                          (unsigned char)(v >> 24)};
    sp_buf_add(b, x, 4);
}

static void put_u64(struct sp_buf *b, uint64_t v)
{
    put_u32(b, (uint32_t)v);
    put_u32(b, (uint32_t)(v >> 32));
}

static void put_f64(struct sp_buf *b, double d)
{
    uint64_t v;

    memcpy(&v, &d, sizeof(v));
    put_u64(b, v);
}

static void put_codes(struct sp_buf *b, const int16_t *codes, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        uint16_t v = (uint16_t)codes[i];
        unsigned char x[2] = {(unsigned char)v, (unsigned char)(v >> 8)};
        sp_buf_add(b, x, 2);
    }
}

void sp_market_to_bytes(struct sp_buf *out, const sp_market *mk, const sp_catalog *cat,
                        uint64_t model_fingerprint)
{
    const struct sp_market_behaviour *b = sp_market_behaviour(mk);
    size_t n_progs, start = out->len;
    const struct sp_program *progs = sp_catalog_programs(cat, &n_progs);

    sp_buf_add(out, MAGIC, 8);
    put_u32(out, SP_MARKET_FILE_VERSION);
    put_u32(out, (uint32_t)sp_market_replications(mk));
    put_u32(out, (uint32_t)n_progs);
    put_u32(out, SP_MARKET_STRATA);
    put_u64(out, model_fingerprint);
    put_f64(out, b->lambda);
    for (int k = 0; k < SP_SPEC_COUNT; k++)
        put_f64(out, b->interview_noise[k]);
    for (int k = 0; k < SP_SPEC_COUNT; k++)
        put_f64(out, b->rank_noise[k]);
    for (int k = 0; k < SP_SPEC_COUNT; k++)
        put_f64(out, b->interviews_per_position[k]);
    for (size_t j = 0; j < n_progs; j++) {
        double pos, filled, ivw;
        char id[SP_ACGME_ID_LEN] = {0};
        memcpy(id, progs[j].acgme_id, strnlen(progs[j].acgme_id, SP_ACGME_ID_LEN));
        sp_buf_add(out, id, SP_ACGME_ID_LEN);
        sp_market_counts(&pos, &filled, &ivw, mk, j);
        put_f64(out, pos);
        put_f64(out, filled);
        put_f64(out, ivw);
    }
    put_codes(out, sp_market_codes_of(mk, false), sp_market_replications(mk) * n_progs);
    put_codes(out, sp_market_codes_of(mk, true), sp_market_replications(mk) * n_progs);
    put_codes(out, sp_market_strata_codes_of(mk, false), n_progs * SP_MARKET_STRATA);
    put_codes(out, sp_market_strata_codes_of(mk, true), n_progs * SP_MARKET_STRATA);
    put_u64(out, sp_market_checksum(out->data + start, out->len - start));
}

struct reader {
    const unsigned char *p;
    size_t len, at;
};

static uint32_t get_u32(struct reader *r)
{
    const unsigned char *x = r->p + r->at;

    r->at += 4;
    return (uint32_t)x[0] | (uint32_t)x[1] << 8 | (uint32_t)x[2] << 16 | (uint32_t)x[3] << 24;
}

static uint64_t get_u64(struct reader *r)
{
    uint64_t lo = get_u32(r);

    return lo | (uint64_t)get_u32(r) << 32;
}

static double get_f64(struct reader *r)
{
    uint64_t v = get_u64(r);
    double d;

    memcpy(&d, &v, sizeof(d));
    return d;
}

static int read_header(struct reader *r, struct sp_market_behaviour *b, uint32_t *n_reps,
                       uint32_t *n_progs, uint64_t model_fingerprint, struct sp_err *err)
{
    uint32_t version;

    if (r->len < 8 || memcmp(r->p, MAGIC, 8) != 0)
        return sp_err_set(err, SP_EINVAL, "not a SmartPick market file (it must start with %s)",
                          MAGIC);
    if (r->len < HEADER_LEN + 8)
        return sp_err_set(err, SP_EINVAL, "truncated: %zu bytes, shorter than the header", r->len);
    r->at = 8;
    version = get_u32(r);
    if (version != SP_MARKET_FILE_VERSION)
        return sp_err_set(err, SP_EINVAL, "version %u: this SmartPick reads version %d", version,
                          SP_MARKET_FILE_VERSION);
    *n_reps = get_u32(r);
    *n_progs = get_u32(r);
    if (get_u32(r) != SP_MARKET_STRATA)
        return sp_err_set(err, SP_EINVAL, "strata per program must be %d", SP_MARKET_STRATA);
    if (get_u64(r) != model_fingerprint)
        return sp_err_set(err, SP_EINVAL,
                          "built for another model: a market must be built with the model "
                          "in use (smartpick calibrate rebuilds both)");
    b->lambda = get_f64(r);
    for (int k = 0; k < SP_SPEC_COUNT; k++)
        b->interview_noise[k] = get_f64(r);
    for (int k = 0; k < SP_SPEC_COUNT; k++)
        b->rank_noise[k] = get_f64(r);
    for (int k = 0; k < SP_SPEC_COUNT; k++)
        b->interviews_per_position[k] = get_f64(r);
    for (int k = 0; k < SP_SPEC_COUNT; k++) {
        if (!(b->interview_noise[k] > 0 && b->rank_noise[k] > 0 && isfinite(b->rank_noise[k]) &&
              isfinite(b->interview_noise[k])))
            return sp_err_set(err, SP_EINVAL, "%s's noise scales must be finite and > 0",
                              sp_specialty_code((enum sp_specialty)k));
    }
    if (!isfinite(b->lambda))
        return sp_err_set(err, SP_EINVAL, "lambda must be finite");
    return 0;
}

/* Map each program row of the file to its catalog index (-1: not in the catalog). */
static int map_programs(struct reader *r, long *row_of, uint32_t n_progs, const sp_catalog *cat,
                        double *counts, bool *known, struct sp_err *err)
{
    size_t n_cat;
    const struct sp_program *progs = sp_catalog_programs(cat, &n_cat);
    long *cat_row = sp_xmalloc((n_cat ? n_cat : 1) * sizeof(long));
    int rc = 0;

    for (size_t j = 0; j < n_cat; j++)
        cat_row[j] = -1;
    for (uint32_t x = 0; x < n_progs && !rc; x++) {
        char id[SP_ACGME_ID_LEN + 1] = {0};
        const struct sp_program *p;
        memcpy(id, r->p + r->at, SP_ACGME_ID_LEN);
        r->at += SP_ACGME_ID_LEN;
        p = sp_catalog_find(cat, id);
        row_of[x] = p ? (long)(p - progs) : -1;
        if (p && cat_row[p - progs] >= 0)
            rc = sp_err_set(err, SP_EINVAL, "program %s is listed twice", id);
        else if (p)
            cat_row[p - progs] = x;
        for (int c = 0; c < 3; c++) {
            double v = get_f64(r);
            if (p)
                counts[(size_t)(p - progs) * 3 + (size_t)c] = v;
        }
    }
    for (size_t j = 0; j < n_cat && !rc; j++)
        known[j] = cat_row[j] >= 0;
    free(cat_row);
    return rc;
}

static int16_t code_at(const unsigned char *p)
{
    return (int16_t)(uint16_t)(p[0] | p[1] << 8);
}

/* n rows of n_progs codes from the file into dst (rows of n_cat), each file column
 * to its catalog index; in file order when that is the catalog's. */
static void read_codes(struct reader *r, int16_t *dst, size_t n_rows, const long *row_of,
                       uint32_t n_progs, size_t n_cat, bool same_order)
{
    const unsigned char *p = r->p + r->at;

    for (size_t i = 0; i < n_rows; i++) {
        int16_t *row = dst + i * n_cat;
        if (same_order) {
            for (uint32_t x = 0; x < n_progs; x++)
                row[x] = code_at(p + 2 * x);
        } else {
            for (uint32_t x = 0; x < n_progs; x++) {
                if (row_of[x] >= 0)
                    row[row_of[x]] = code_at(p + 2 * x);
            }
        }
        p += 2 * (size_t)n_progs;
    }
    r->at = (size_t)(p - r->p);
}

/* The representatives: program-major, so a program's block moves as one. */
static void read_strata(struct reader *r, int16_t *dst, const long *row_of, uint32_t n_progs)
{
    for (uint32_t x = 0; x < n_progs; x++) {
        const unsigned char *p = r->p + r->at + (size_t)x * 2 * SP_MARKET_STRATA;
        if (row_of[x] < 0)
            continue;
        for (int m = 0; m < SP_MARKET_STRATA; m++)
            dst[(size_t)row_of[x] * SP_MARKET_STRATA + (size_t)m] = code_at(p + 2 * m);
    }
    r->at += (size_t)n_progs * 2 * SP_MARKET_STRATA;
}

int sp_market_from_bytes(sp_market **out, const void *data, size_t len, const sp_catalog *cat,
                         uint64_t model_fingerprint, size_t min_reps, struct sp_err *err)
{
    struct reader r = {data, len, 0};
    struct sp_market_behaviour b;
    uint32_t n_reps = 0, n_progs = 0;
    size_t n_cat, need;
    bool same;
    long *row_of = NULL;
    double *counts = NULL;
    bool *known = NULL;
    sp_market *mk = NULL;
    int rc;

    *out = NULL;
    sp_catalog_programs(cat, &n_cat);
    rc = read_header(&r, &b, &n_reps, &n_progs, model_fingerprint, err);
    if (rc)
        goto out;
    if (n_reps < (min_reps ? min_reps : 1) || n_progs == 0) {
        rc = sp_err_set(err, SP_EINVAL,
                        "%u replications of %u programs: needs at least %zu "
                        "replications",
                        n_reps, n_progs, min_reps ? min_reps : 1);
        goto out;
    }
    need = HEADER_LEN + (size_t)n_progs * PROGRAM_LEN + 2 * 2 * (size_t)n_reps * n_progs +
           2 * 2 * (size_t)SP_MARKET_STRATA * n_progs + 8;
    if (len != need) {
        rc = sp_err_set(err, SP_EINVAL,
                        "%zu bytes where %u replications of %u programs take %zu "
                        "(truncated or with trailing bytes)",
                        len, n_reps, n_progs, need);
        goto out;
    }
    r.at = len - 8;
    if (get_u64(&r) != sp_market_checksum(data, len - 8)) {
        rc = sp_err_set(err, SP_EINVAL, "checksum mismatch (the file is damaged)");
        goto out;
    }
    rc = sp_market_new(&mk, n_reps, n_cat ? n_cat : 1, &b, err);
    if (rc)
        goto out;
    row_of = sp_xmalloc(n_progs * sizeof(long));
    counts = sp_xcalloc((n_cat ? n_cat : 1) * 3, sizeof(double));
    known = sp_xcalloc(n_cat ? n_cat : 1, sizeof(bool));
    r.at = HEADER_LEN;
    rc = map_programs(&r, row_of, n_progs, cat, counts, known, err);
    if (rc)
        goto out;
    for (size_t j = 0; j < n_cat; j++) {
        sp_market_set_counts(mk, j, counts[j * 3], counts[j * 3 + 1], counts[j * 3 + 2]);
        sp_market_set_known(mk, j, known[j]);
    }
    same = n_progs == n_cat;
    for (uint32_t x = 0; x < n_progs && same; x++)
        same = row_of[x] == (long)x;
    read_codes(&r, sp_market_codes(mk, false), n_reps, row_of, n_progs, n_cat, same);
    read_codes(&r, sp_market_codes(mk, true), n_reps, row_of, n_progs, n_cat, same);
    read_strata(&r, sp_market_strata_codes(mk, false), row_of, n_progs);
    read_strata(&r, sp_market_strata_codes(mk, true), row_of, n_progs);
    sp_market_prepare(mk, cat);
    *out = mk;
    mk = NULL;
out:
    sp_market_free(mk);
    free(row_of);
    free(counts);
    free(known);
    return rc;
}
