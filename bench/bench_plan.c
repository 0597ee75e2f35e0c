/*
 * bench_plan: time and memory of sp_plan_build as the catalog grows (synthetic
 * copies of every program with new IDs), for one profile and budget.
 *
 * usage: bench_plan DB MODEL.json PROFILE.json BUDGET_USD [REPEATS]
 */
#include "model_json.h"
#include "profile_json.h"
#include "smartpick/plan/plan.h"
#include "sp_str.h"
#include "store.h"

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

/* A catalog with `copies` copies of every program of base (IDs made unique). */
static sp_catalog *grow(const sp_catalog *base, int copies)
{
    size_t n;
    const struct sp_program *all = sp_catalog_programs(base, &n);
    sp_catalog *cat = sp_catalog_new();
    struct sp_err err = SP_ERR_INIT;

    for (int c = 0; c < copies; c++) {
        for (size_t i = 0; i < n; i++) {
            struct sp_program p = all[i];
            char prefix[4];
            /* Keep the specialty prefix; number the copies uniquely. */
            memcpy(prefix, p.acgme_id, 3);
            prefix[3] = '\0';
            snprintf(p.acgme_id, sizeof(p.acgme_id), "%s%07zu", prefix, (size_t)c * n + i);
            if (sp_catalog_add(cat, &p, &err))
                return NULL;
        }
    }
    if (sp_catalog_freeze(cat, &err)) {
        fprintf(stderr, "bench_plan: %s\n", err.msg);
        sp_catalog_free(cat);
        return NULL;
    }
    return cat;
}

int main(int argc, char **argv)
{
    struct sp_err err = SP_ERR_INIT;
    struct sp_buf text = SP_BUF_INIT, ptext = SP_BUF_INIT;
    struct sp_model m;
    struct sp_profile p;
    struct sp_fees fees;
    struct sp_plan_options o;
    sp_store *st;
    sp_catalog *base;
    long repeats = 5;

    if (argc < 5 || (argc > 5 && sp_parse_long(&repeats, argv[5], 1, 64))) {
        fprintf(stderr, "usage: bench_plan DB MODEL.json PROFILE.json BUDGET_USD [REPEATS 1-64]\n");
        return 2;
    }
    if (sp_store_open(&st, argv[1], &err) || sp_store_load_catalog(st, &base, &err) ||
        sp_read_file(&text, argv[2], &err) ||
        sp_model_from_json(&m, text.data, text.len, &err) ||
        sp_read_file(&ptext, argv[3], &err) ||
        sp_profile_from_json(&p, ptext.data, ptext.len, &err) ||
        sp_profile_complete(&p, &err)) {
        fprintf(stderr, "bench_plan: %s\n", err.msg);
        return 1;
    }
    sp_fees_default(&fees);
    sp_plan_options_init(&o);
    if (sp_parse_double(&o.budget_usd, argv[4])) {
        fprintf(stderr, "bench_plan: BUDGET_USD '%s' must be a number\n", argv[4]);
        return 2;
    }
    printf("%-8s %10s %12s %12s %12s %14s\n", "catalog", "programs", "best ms", "median ms",
           "applications", "max RSS KiB");
    for (int copies = 1; copies <= 16; copies *= 4) {
        sp_catalog *cat = grow(base, copies);
        size_t n;
        double *q, times[64];
        enum sp_source *src;
        struct rusage ru;
        size_t apps = 0;

        if (!cat)
            return 1;
        sp_catalog_programs(cat, &n);
        q = calloc(n, sizeof(double));
        src = calloc(n, sizeof(*src));
        sp_model_selectivity(q, src, &m, cat);
        for (long r = 0; r < repeats; r++) {
            struct sp_plan *plan;
            double t0 = now_ms();
            if (sp_plan_build(&plan, &m, cat, q, &fees, &p, &o, &err)) {
                fprintf(stderr, "bench_plan: %s\n", err.msg);
                return 1;
            }
            times[r] = now_ms() - t0;
            apps = plan->n_programs;
            sp_plan_free(plan);
        }
        for (long i = 1; i < repeats; i++) {
            for (long k = i; k > 0 && times[k] < times[k - 1]; k--) {
                double t = times[k];
                times[k] = times[k - 1];
                times[k - 1] = t;
            }
        }
        getrusage(RUSAGE_SELF, &ru);
        printf("%-8s %10zu %12.1f %12.1f %12zu %14ld\n",
               copies == 1 ? "1x" : copies == 4 ? "4x" : "16x", n, times[0],
               times[repeats / 2], apps, ru.ru_maxrss);
        free(q);
        free(src);
        sp_catalog_free(cat);
    }
    sp_catalog_free(base);
    sp_store_close(st);
    sp_buf_release(&text);
    sp_buf_release(&ptext);
    return 0;
}
