/*
 * smartpick-mpi-sim: `smartpick simulate` split across MPI ranks (built with
 * -DSP_MPI=ON; docs/SIMULATION.md "MPI"). Rank r of R plays a contiguous block
 * of the replications on its own threads (replication i always uses RNG stream i),
 * the blocks are gathered on rank 0 in index order, and rank 0 summarises and
 * writes the report: the bytes equal `smartpick simulate` with the same options.
 *
 *   mpirun -n 4 smartpick-mpi-sim [--replications N] [--seed S] [--threads T]
 *       [--scenario FILE] [--reliability] [--format text|json] [--out FILE]
 *       [--model FILE] [--db PATH]
 *
 * struct sp_sim_rep travels as bytes: ranks must share one ABI (one build).
 */
#include "names.h"
#include "sim_run.h"
#include "smartpick/sim/sim.h"
#include "sp_alloc.h"
#include "sp_buf.h"
#include "sp_str.h"
#include "world.h"

#include <errno.h>
#include <mpi.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "banned.h"

static int usage(int rank, const char *msg, const char *arg)
{
    if (rank == 0)
        fprintf(stderr, "smartpick-mpi-sim: %s%s%s\n", msg, arg ? ": " : "", arg ? arg : "");
    return 2;
}

static int parse_long(long *out, const char *s, long lo, long hi)
{
    char *end;
    long v;

    errno = 0;
    v = strtol(s, &end, 10);
    if (errno || end == s || *end || v < lo || v > hi)
        return -1;
    *out = v;
    return 0;
}

static int run(int rank, int size, int argc, char **argv)
{
    struct sp_err err = SP_ERR_INIT;
    struct sp_buf out = SP_BUF_INIT, text = SP_BUF_INIT;
    struct sp_world w;
    struct sp_calib_targets targets;
    struct sp_sim_scenario scenario;
    struct sp_sim_params params;
    struct sp_sim_inputs in;
    struct sp_sim_summary summary;
    struct sp_sim_report_options ro = {.seed = 1};
    struct sp_sim_rep *reps = NULL;
    sp_sim *sim = NULL;
    const char *db = NULL, *model = NULL, *out_path = NULL, *scenario_path = NULL;
    long replications = 20, threads = sysconf(_SC_NPROCESSORS_ONLN), v;
    int rc = 0, any = 0, failed, world_rc = 0;
    int *counts = NULL, *displs = NULL;
    size_t first, n;

    if (threads < 1)
        threads = 1;
    sp_sim_scenario_init(&scenario);
    sp_sim_params_init(&params);
    for (int i = 1; i < argc; i++) {
        const char *o = argv[i], *a = i + 1 < argc ? argv[i + 1] : NULL;
        if (!strcmp(o, "--reliability")) {
            ro.reliability = true;
            continue;
        }
        if (!a)
            return usage(rank, "missing value or unknown option", o);
        i++;
        if (!strcmp(o, "--replications")) {
            if (parse_long(&v, a, 1, 100000))
                return usage(rank, "replications must be a count from 1 to 100000", a);
            replications = v;
        } else if (!strcmp(o, "--threads")) {
            if (parse_long(&v, a, 1, 256))
                return usage(rank, "threads must be a count from 1 to 256", a);
            threads = v;
        } else if (!strcmp(o, "--seed")) {
            if (parse_long(&v, a, 0, 2147483647L))
                return usage(rank, "seed must be a whole number from 0 to 2147483647", a);
            ro.seed = (uint64_t)v;
        } else if (!strcmp(o, "--format")) {
            enum sp_out fmt;
            if (sp_out_parse(&fmt, a, SP_OUT_BIT(SP_OUT_TEXT) | SP_OUT_BIT(SP_OUT_JSON)))
                return usage(rank, "format must be text or json", a);
            ro.json = fmt == SP_OUT_JSON;
        } else if (!strcmp(o, "--scenario")) {
            scenario_path = a;
        } else if (!strcmp(o, "--out")) {
            out_path = a;
        } else if (!strcmp(o, "--model")) {
            model = a;
        } else if (!strcmp(o, "--db")) {
            db = a;
        } else {
            return usage(rank, "unknown option", o);
        }
    }
    params.reliability = ro.reliability;
    if (scenario_path) {
        rc = sp_read_file(&text, scenario_path, &err);
        if (!rc)
            rc = sp_sim_scenario_parse(&scenario, sp_buf_cstr(&text), text.len, &err);
        sp_buf_release(&text);
        if (rc) {
            if (rank == 0)
                fprintf(stderr, "smartpick-mpi-sim: %s: %s\n", scenario_path, err.msg);
            return 2;
        }
    }
    /* Rank 0 opens (and, the first time, creates) the database before the others. */
    if (rank == 0)
        world_rc = sp_world_open(&w, db, model ? SP_MODEL_FILE : SP_MODEL_BUNDLED, model, &err);
    MPI_Barrier(MPI_COMM_WORLD);
    if (rank != 0)
        world_rc = sp_world_open(&w, db, model ? SP_MODEL_FILE : SP_MODEL_BUNDLED, model, &err);
    if (!world_rc) {
        rc = sp_app_sim_targets(&targets, w.facts, &err);
        if (!rc) {
            memset(&in, 0, sizeof(in));
            in.m = &w.model;
            in.cat = w.cat;
            in.q = w.q;
            in.targets = &targets;
            in.scenario = &scenario;
            in.params = &params;
            rc = sp_sim_new(&sim, &in, &err);
        }
    } else {
        rc = world_rc;
    }
    /* Contiguous blocks: rank r plays [first, first + n). */
    counts = sp_xcalloc((size_t)size, sizeof(int));
    displs = sp_xcalloc((size_t)size, sizeof(int));
    for (int r = 0, at = 0; r < size; r++) {
        long c = replications / size + (r < replications % size);
        counts[r] = (int)(c * (long)sizeof(struct sp_sim_rep));
        displs[r] = at;
        at += counts[r];
    }
    first = (size_t)displs[rank] / sizeof(struct sp_sim_rep);
    n = (size_t)counts[rank] / sizeof(struct sp_sim_rep);
    reps = sp_xcalloc((size_t)replications, sizeof(*reps));
    sp_app_sim_keep_memory();
    if (!rc && n > 0)
        rc = sp_app_sim_run(reps + first, sim, ro.seed, first, n, (int)threads, NULL, NULL, &err);
    if (rc)
        fprintf(stderr, "smartpick-mpi-sim: rank %d: %s\n", rank, err.msg);
    /* Any rank's failure stops every rank (error codes are negative: reduce a flag). */
    failed = rc != 0;
    MPI_Allreduce(&failed, &any, 1, MPI_INT, MPI_MAX, MPI_COMM_WORLD);
    if (!any) {
        if (rank == 0)
            MPI_Gatherv(MPI_IN_PLACE, 0, MPI_BYTE, reps, counts, displs, MPI_BYTE, 0,
                        MPI_COMM_WORLD);
        else
            MPI_Gatherv(reps + first, counts[rank], MPI_BYTE, NULL, NULL, NULL, MPI_BYTE, 0,
                        MPI_COMM_WORLD);
        if (rank == 0) {
            FILE *f = stdout;
            sp_sim_summarize(&summary, sim, reps, (size_t)replications);
            sp_sim_report(&out, &summary, &ro);
            if (out_path && strcmp(out_path, "-")) {
                f = fopen(out_path, "wb");
                if (!f) {
                    fprintf(stderr, "smartpick-mpi-sim: out: %s: %s\n", out_path, strerror(errno));
                    any = 1;
                }
            }
            if (f) {
                if (out.len && fwrite(out.data, 1, out.len, f) != out.len)
                    any = 1;
                if (f != stdout ? fclose(f) != 0 : fflush(f) != 0)
                    any = 1;
            }
        }
    }
    free(counts);
    free(displs);
    free(reps);
    sp_sim_free(sim);
    if (!world_rc)
        sp_world_close(&w);
    sp_buf_release(&out);
    /* 2 for bad input (a model file that breaks a rule), as smartpick's commands */
    if (world_rc == SP_EINVAL || world_rc == SP_ENOTFOUND || world_rc == SP_ERANGE)
        return 2;
    return any ? 1 : 0;
}

int main(int argc, char **argv)
{
    int rank = 0, size = 1, rc;

    MPI_Init(&argc, &argv);
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    MPI_Comm_size(MPI_COMM_WORLD, &size);
    rc = run(rank, size, argc, argv);
    MPI_Finalize();
    return rc;
}
