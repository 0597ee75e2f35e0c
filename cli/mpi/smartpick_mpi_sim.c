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
#include "render_sim.h"
#include "scenario_json.h"
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

/* The options, as `smartpick simulate` takes them. */
struct mpi_opts {
    const char *db, *model, *out_path, *scenario_path;
    long replications, threads;
    struct sp_render_sim_options ro;
};

/* One option with its value a. 0, or the exit status of a usage error. */
static int parse_option(struct mpi_opts *o, int rank, const char *opt, const char *a)
{
    long v;

    if (!strcmp(opt, "--replications")) {
        if (parse_long(&v, a, 1, 100000))
            return usage(rank, "replications must be a count from 1 to 100000", a);
        o->replications = v;
    } else if (!strcmp(opt, "--threads")) {
        if (parse_long(&v, a, 1, 256))
            return usage(rank, "threads must be a count from 1 to 256", a);
        o->threads = v;
    } else if (!strcmp(opt, "--seed")) {
        if (parse_long(&v, a, 0, 2147483647L))
            return usage(rank, "seed must be a whole number from 0 to 2147483647", a);
        o->ro.seed = (uint64_t)v;
    } else if (!strcmp(opt, "--format")) {
        enum sp_out fmt;
        if (sp_out_parse(&fmt, a, SP_OUT_BIT(SP_OUT_TEXT) | SP_OUT_BIT(SP_OUT_JSON)))
            return usage(rank, "format must be text or json", a);
        o->ro.json = fmt == SP_OUT_JSON;
    } else if (!strcmp(opt, "--scenario")) {
        o->scenario_path = a;
    } else if (!strcmp(opt, "--out")) {
        o->out_path = a;
    } else if (!strcmp(opt, "--model")) {
        o->model = a;
    } else if (!strcmp(opt, "--db")) {
        o->db = a;
    } else {
        return usage(rank, "unknown option", opt);
    }
    return 0;
}

static int parse_args(struct mpi_opts *o, int rank, int argc, char **argv)
{
    int rc;

    memset(o, 0, sizeof(*o));
    o->replications = 20;
    o->threads = sysconf(_SC_NPROCESSORS_ONLN);
    if (o->threads < 1)
        o->threads = 1;
    o->ro.seed = 1;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--reliability")) {
            o->ro.reliability = true;
            continue;
        }
        if (i + 1 >= argc)
            return usage(rank, "missing value or unknown option", argv[i]);
        rc = parse_option(o, rank, argv[i], argv[i + 1]);
        if (rc)
            return rc;
        i++;
    }
    return 0;
}

static int read_scenario(struct sp_sim_scenario *scenario, const char *path, int rank)
{
    struct sp_buf text = SP_BUF_INIT;
    struct sp_err err = SP_ERR_INIT;
    int rc = sp_read_file(&text, path, &err);

    if (!rc)
        rc = sp_scenario_from_json(scenario, sp_buf_cstr(&text), text.len, &err);
    sp_buf_release(&text);
    if (rc && rank == 0)
        fprintf(stderr, "smartpick-mpi-sim: %s: %s\n", path, err.msg);
    return rc ? 2 : 0;
}

/* The world and the market on every rank; rank 0 opens (and, the first time,
 * creates) the database before the others. *world_rc is the world's code. */
static int open_sim(sp_sim **sim, struct sp_world *w, int *world_rc, struct sp_sim_inputs *in,
                    struct sp_calib_targets *targets, const struct mpi_opts *o, int rank,
                    struct sp_err *err)
{
    enum sp_model_choice choice = o->model ? SP_MODEL_FILE : SP_MODEL_BUNDLED;

    if (rank == 0)
        *world_rc = sp_world_open(w, o->db, choice, o->model, err);
    MPI_Barrier(MPI_COMM_WORLD);
    if (rank != 0)
        *world_rc = sp_world_open(w, o->db, choice, o->model, err);
    if (*world_rc)
        return *world_rc;
    return sp_app_sim_from_world(sim, in, targets, w, err);
}

/* Contiguous blocks of replications, in bytes: rank r plays counts[r] from displs[r]. */
static void split_blocks(int *counts, int *displs, int size, long replications)
{
    for (int r = 0, at = 0; r < size; r++) {
        long c = replications / size + (r < replications % size);
        counts[r] = (int)(c * (long)sizeof(struct sp_sim_rep));
        displs[r] = at;
        at += counts[r];
    }
}

/* On rank 0: the summary of every replication, written to --out or stdout. Returns
 * nonzero when the report could not be written. */
static int write_report(const sp_sim *sim, const struct sp_sim_rep *reps, const struct mpi_opts *o)
{
    struct sp_buf out = SP_BUF_INIT;
    struct sp_sim_summary summary;
    FILE *f = stdout;
    int failed = 0;

    sp_sim_summarize(&summary, sim, reps, (size_t)o->replications);
    sp_render_sim_report(&out, &summary, &o->ro);
    if (o->out_path && strcmp(o->out_path, "-")) {
        f = fopen(o->out_path, "wb");
        if (!f) {
            fprintf(stderr, "smartpick-mpi-sim: out: %s: %s\n", o->out_path, strerror(errno));
            failed = 1;
        }
    }
    if (f) {
        if (out.len && fwrite(out.data, 1, out.len, f) != out.len)
            failed = 1;
        if (f != stdout ? fclose(f) != 0 : fflush(f) != 0)
            failed = 1;
    }
    sp_buf_release(&out);
    return failed;
}

static int run(int rank, int size, int argc, char **argv)
{
    struct sp_err err = SP_ERR_INIT;
    struct mpi_opts o;
    struct sp_world w;
    struct sp_calib_targets targets;
    struct sp_sim_scenario scenario;
    struct sp_sim_params params;
    struct sp_sim_inputs in = {.targets = &targets, .scenario = &scenario, .params = &params};
    struct sp_sim_rep *reps = NULL;
    sp_sim *sim = NULL;
    int rc, any = 0, failed, world_rc = 0;
    int *counts = sp_xcalloc((size_t)size, sizeof(int));
    int *displs = sp_xcalloc((size_t)size, sizeof(int));
    size_t first, n;

    sp_sim_scenario_init(&scenario);
    sp_sim_params_init(&params);
    rc = parse_args(&o, rank, argc, argv);
    params.reliability = o.ro.reliability;
    if (!rc && o.scenario_path)
        rc = read_scenario(&scenario, o.scenario_path, rank);
    if (rc)
        goto out;
    rc = open_sim(&sim, &w, &world_rc, &in, &targets, &o, rank, &err);
    split_blocks(counts, displs, size, o.replications);
    first = (size_t)displs[rank] / sizeof(struct sp_sim_rep);
    n = (size_t)counts[rank] / sizeof(struct sp_sim_rep);
    reps = sp_xcalloc((size_t)o.replications, sizeof(*reps));
    sp_app_sim_keep_memory();
    if (!rc && n > 0)
        rc = sp_app_sim_run(reps + first, sim, o.ro.seed, first, n, (int)o.threads, NULL, NULL,
                            &err);
    if (rc)
        fprintf(stderr, "smartpick-mpi-sim: rank %d: %s\n", rank, err.msg);
    /* Any rank's failure stops every rank (error codes are negative: reduce a flag). */
    failed = rc != 0;
    MPI_Allreduce(&failed, &any, 1, MPI_INT, MPI_MAX, MPI_COMM_WORLD);
    if (!any && rank == 0)
        MPI_Gatherv(MPI_IN_PLACE, 0, MPI_BYTE, reps, counts, displs, MPI_BYTE, 0, MPI_COMM_WORLD);
    else if (!any)
        MPI_Gatherv(reps + first, counts[rank], MPI_BYTE, NULL, NULL, NULL, MPI_BYTE, 0,
                    MPI_COMM_WORLD);
    if (!any && rank == 0)
        any = write_report(sim, reps, &o);
    free(reps);
    sp_sim_free(sim);
    if (!world_rc)
        sp_world_close(&w);
    /* 2 for bad input (a model file that breaks a rule), as smartpick's commands */
    rc = world_rc == SP_EINVAL || world_rc == SP_ENOTFOUND || world_rc == SP_ERANGE ? 2
         : any                                                                      ? 1
                                                                                    : 0;
out:
    free(counts);
    free(displs);
    return rc;
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
