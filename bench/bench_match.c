/*
 * Benchmark of the Match engine: for each `.rp` instance given, the time to read and lay
 * out the instance, the match phase (sp_match_run without the checker: deferred
 * acceptance, the couples phase when there are couples, and the result arrays) over
 * repeated runs, and the stability checker. Prints one block per instance; bench/match.sh
 * runs it on the national-scale instances and docs/BENCHMARKS.md records the figures.
 *
 * usage: bench_match [-n RUNS] FILE.rp...
 */
#include "smartpick/match/match.h"
#include "sp_buf.h"
#include "sp_str.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "banned.h"

static double now_ms(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;

    return x < y ? -1 : x > y;
}

static int bench_file(const char *path, int runs)
{
    struct sp_buf buf = SP_BUF_INIT;
    struct sp_err err = SP_ERR_INIT;
    sp_match_instance *in = NULL;
    double *t = calloc((size_t)runs, sizeof(*t));
    double t0, t_read, t_check = 0;
    struct sp_match_result res = SP_MATCH_RESULT_INIT;
    struct sp_match_options opts = SP_MATCH_OPTIONS_INIT;
    int rc = 1;

    if (!t || sp_read_file(&buf, path, &err)) {
        fprintf(stderr, "bench_match: %s\n", err.msg);
        goto out;
    }
    t0 = now_ms();
    if (sp_match_read_rp(&in, buf.data, buf.len, &err)) {
        fprintf(stderr, "bench_match: %s: %s\n", path, err.msg);
        goto out;
    }
    t_read = now_ms() - t0;
    opts.check = false;
    for (int i = 0; i < runs; i++) {
        sp_match_result_release(&res);
        t0 = now_ms();
        int mrc = sp_match_run(&res, in, &opts, &err);
        t[i] = now_ms() - t0;
        if (mrc && mrc != SP_ENOSTABLE) {
            fprintf(stderr, "bench_match: %s: %s\n", path, err.msg);
            goto out;
        }
    }
    if (res.status == 0) {
        struct sp_match_check chk;
        t0 = now_ms();
        sp_match_check(&chk, in, res.program, res.pgy1, &err);
        t_check = now_ms() - t0;
        if (!chk.stable) {
            fprintf(stderr, "bench_match: %s: result is NOT stable\n", path);
            goto out;
        }
    }
    qsort(t, (size_t)runs, sizeof(*t), cmp_double);
    printf("%s\n", path);
    printf("  applicants %zu, couples %zu, programs %zu\n", sp_match_n_applicants(in),
           sp_match_n_couples(in), sp_match_n_programs(in));
    printf("  status %s, tries %u, applications %llu, matched %zu, unfilled %zu\n",
           res.status ? "no stable matching" : "stable", res.tries, (unsigned long long)res.steps,
           res.n_matched, res.n_unfilled);
    printf("  read + layout (sp_match_read_rp):   %8.2f ms\n", t_read);
    printf("  match phase (sp_match_run), n=%d:  min %.2f ms, median %.2f ms, max %.2f ms\n", runs,
           t[0], t[runs / 2], t[runs - 1]);
    printf("  stability check (sp_match_check):   %8.2f ms\n", t_check);
    rc = 0;
out:
    sp_match_result_release(&res);
    sp_match_instance_free(in);
    sp_buf_release(&buf);
    free(t);
    return rc;
}

int main(int argc, char **argv)
{
    int runs = 20, rc = 0, i = 1;
    struct rusage ru;

    if (argc > 2 && strcmp(argv[1], "-n") == 0) {
        long n;
        if (sp_parse_long(&n, argv[2], 1, 100000)) {
            fprintf(stderr, "bench_match: -n: '%s' must be in [1, 100000]\n", argv[2]);
            return 2;
        }
        runs = (int)n;
        i = 3;
    }
    if (i >= argc) {
        fprintf(stderr, "usage: bench_match [-n RUNS] FILE.rp...\n");
        return 2;
    }
    for (; i < argc; i++)
        rc |= bench_file(argv[i], runs);
    if (getrusage(RUSAGE_SELF, &ru) == 0)
        printf("peak memory (max RSS) of this process: %.1f MiB\n", (double)ru.ru_maxrss / 1024.0);
    return rc;
}
