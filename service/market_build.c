/*
 * The stored market, built by playing the simulated national Match: each
 * replication writes its own row of thresholds and cutoffs, so any number of
 * threads gives the same market.
 */
#include "market_build.h"

#include "bundled.h"
#include "market_file.h"
#include "model_json.h"
#include "sp_alloc.h"
#include "sp_str.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "banned.h"

struct rows {
    sp_market *mk;
    float *thr, *cut;   /* [i * n + j], coded into the market after the run */
    double *filled;     /* [i * n + j] */
    double *interviews; /* [i * n + j] */
    size_t n;
};

static void observe(struct sp_sim_observer *out, size_t i, void *payload)
{
    struct rows *w = payload;

    out->threshold = w->thr + i * w->n;
    out->cutoff = w->cut + i * w->n;
    out->filled = w->filled + i * w->n;
    out->interviews = w->interviews + i * w->n;
}

int sp_market_build(sp_market **out, const sp_sim *sim, const struct sp_model *m, size_t n_programs,
                    uint64_t seed, size_t n_reps, int threads, sp_app_sim_progress_fn progress,
                    void *payload, struct sp_err *err)
{
    struct sp_sim_market info;
    struct sp_market_behaviour b;
    struct sp_sim_rep *reps = NULL;
    struct rows w = {0};
    double *positions = NULL;
    int rc;

    *out = NULL;
    sp_sim_market_info(&info, sim);
    memset(&b, 0, sizeof(b));
    b.lambda = m->lambda;
    for (int k = 0; k < SP_SPEC_COUNT; k++) {
        b.interview_noise[k] = info.interview_noise[k];
        b.rank_noise[k] = info.rank_noise[k];
        b.interviews_per_position[k] = info.interviews_per_position[k];
    }
    rc = sp_market_new(&w.mk, n_reps, n_programs, &b, err);
    if (rc)
        goto out;
    w.n = n_programs;
    w.thr = sp_xmalloc(n_reps * n_programs * sizeof(float));
    w.cut = sp_xmalloc(n_reps * n_programs * sizeof(float));
    for (size_t i = 0; i < n_reps * n_programs; i++)
        w.thr[i] = w.cut[i] = HUGE_VALF; /* a program the market leaves out: no positions */
    w.filled = sp_xcalloc(n_reps * n_programs, sizeof(double));
    w.interviews = sp_xcalloc(n_reps * n_programs, sizeof(double));
    reps = sp_xcalloc(n_reps, sizeof(*reps));
    rc = sp_app_sim_run_observed(reps, sim, seed, 0, n_reps, threads, observe, &w, progress,
                                 payload, err);
    if (rc)
        goto out;
    for (size_t i = 0; i < n_reps; i++)
        sp_market_set_row(w.mk, i, w.thr + i * n_programs, w.cut + i * n_programs);
    positions = sp_xcalloc(n_programs, sizeof(double));
    sp_sim_program_positions(positions, n_programs, sim);
    for (size_t j = 0; j < n_programs; j++) {
        double filled = 0, ivw = 0;
        for (size_t i = 0; i < n_reps; i++) {
            filled += w.filled[i * n_programs + j];
            ivw += w.interviews[i * n_programs + j];
        }
        sp_market_set_counts(w.mk, j, positions[j], filled / (double)n_reps, ivw / (double)n_reps);
    }
    sp_market_finish(w.mk);
    *out = w.mk;
    w.mk = NULL;
out:
    sp_market_free(w.mk);
    free(w.thr);
    free(w.cut);
    free(w.filled);
    free(w.interviews);
    free(positions);
    free(reps);
    return rc;
}

uint64_t sp_model_fingerprint(const struct sp_model *m)
{
    char *text = sp_model_to_json(m);
    uint64_t h = sp_fnv1a64(text, strlen(text), SP_FNV1A64_INIT);

    free(text);
    return h;
}

/* DIR/market.bin beside DIR/model.json ("market.bin" for a bare file name). */
static void market_beside(struct sp_buf *out, const char *model_path)
{
    const char *slash = strrchr(model_path, '/');

    if (slash)
        sp_buf_add(out, model_path, (size_t)(slash - model_path + 1));
    sp_buf_adds(out, "market.bin");
}

/* The market was built for this catalog: every program in it, with the positions an
 * import gave it. A catalog changed since is refused, naming the program, never used
 * with a market that does not know it. */
static int market_fits_catalog(const sp_market *mk, const sp_catalog *cat, struct sp_err *err)
{
    size_t n;
    const struct sp_program *progs = sp_catalog_programs(cat, &n);

    for (size_t j = 0; j < n; j++) {
        const struct sp_fact *f = &progs[j].facts[SP_FACT_POSITIONS];
        double pos, filled, ivw;
        if (!sp_market_knows(mk, j))
            return sp_err_set(err, SP_EINVAL,
                              "program %s is in the catalog but not in the market (imported "
                              "since it was built); build one with `smartpick calibrate --check "
                              "--market DIR/market.bin` and pass --model DIR/model.json",
                              progs[j].acgme_id);
        sp_market_counts(&pos, &filled, &ivw, mk, j);
        if (f->source != SP_SRC_NONE && lround(f->value) != lround(pos))
            return sp_err_set(err, SP_EINVAL,
                              "program %s has %.0f positions in the catalog but %.0f in the "
                              "market built before that figure; build one with `smartpick "
                              "calibrate --check --market DIR/market.bin` and pass --model "
                              "DIR/model.json",
                              progs[j].acgme_id, f->value, pos);
    }
    return 0;
}

int sp_world_load_market(struct sp_world *w, const char *model_path, struct sp_err *err)
{
    struct sp_buf path = SP_BUF_INIT, bytes = {.max = 256u << 20};
    struct sp_bundled_file bundled;
    const char *data, *name;
    size_t len;
    int rc = 0;

    if (model_path) {
        market_beside(&path, model_path);
        name = sp_buf_cstr(&path);
        rc = sp_read_file(&bytes, name, err);
        if (rc) {
            /* A model of the user's without its market is bad input, said once. */
            struct sp_err why = *err;
            rc = sp_err_set(err, SP_EINVAL,
                            "%s (the market a --model needs beside it; `smartpick calibrate "
                            "--market %s` builds it)",
                            why.msg, name);
            goto out;
        }
        data = bytes.data;
        len = bytes.len;
    } else {
        name = "bundled market.bin";
        if (sp_bundled_find(&bundled, "market.bin")) {
            rc = sp_err_set(err, SP_EIO, "no bundled market.bin (a broken build)");
            goto out;
        }
        data = bundled.data;
        len = bundled.len;
    }
    rc = sp_market_from_bytes(&w->market, data, len, w->cat, sp_model_fingerprint(&w->model),
                              SP_MARKET_MIN_REPLICATIONS, err);
    if (!rc)
        rc = market_fits_catalog(w->market, w->cat, err);
    if (rc) {
        sp_err_prefix(err, name, ": ");
        goto out;
    }
    w->model.market = w->market;
out:
    sp_buf_release(&path);
    sp_buf_release(&bytes);
    return rc;
}
