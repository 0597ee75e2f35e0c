/*
 * `smartpick simulate`: the national Match simulator (docs/SIMULATION.md). Loads
 * the world, builds the market, runs the replications on a thread pool
 * (service/sim_run.c) and prints match rates by specialty and type next to the
 * NRMP figures; with a profile and its plan, that student's simulated P(match).
 */
#include "cli.h"

#include "names.h"
#include "sim_run.h"
#include "smartpick/sim/sim.h"
#include "sp_alloc.h"
#include "sp_str.h"
#include "world.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "banned.h"

enum {
    OPT_REPLICATIONS = SP_OPT_FIRST_FREE,
    OPT_THREADS,
    OPT_SEED,
    OPT_SCENARIO,
    OPT_PROFILE,
    OPT_PLAN,
    OPT_MODEL,
    OPT_RELIABILITY,
};

static const struct sp_cli_option simulate_options[] = {
    {"replications", OPT_REPLICATIONS, "N", "replications of the Match (default 20)"},
    {"threads", OPT_THREADS, "T", "worker threads (default: all cores); results do not change"},
    {"seed", OPT_SEED, "S", "RNG seed (default 1)"},
    {"scenario", OPT_SCENARIO, "FILE", "what-if changes, JSON (docs/SIMULATION.md)"},
    {"profile", OPT_PROFILE, "P", "insert this student (with --plan) into every replication"},
    {"plan", OPT_PLAN, "PLAN.json", "the student's `smartpick plan --format json` output"},
    {"reliability", OPT_RELIABILITY, NULL, "add the planner's reliability table (slower start)"},
    {"format", SP_OPT_FORMAT, "FMT", "text (default) or json"},
    {"out", SP_OPT_OUT, "FILE", "write to FILE"},
    {"model", OPT_MODEL, "FILE", "model parameters (default: the bundled data/model.json)"},
    {"db", SP_OPT_DB, "PATH", "database file (default under $XDG_DATA_HOME/smartpick)"},
    SP_OPT_END,
};

static const char simulate_details[] =
    "Each replication draws a national market (the nine specialties, NRMP applicant\n"
    "counts and positions), applications, interviews and rank lists, then runs the\n"
    "Match. Replication r uses RNG stream r of the seed, so results are the same for any\n"
    "--threads. Example:\n"
    "  smartpick simulate --replications 50 --scenario ir-plus-10.json --format json\n";

static void progress_bar(size_t done, size_t total, void *payload)
{
    (void)payload;
    if (!total)
        return;
    int width = 40, fill = (int)((size_t)width * done / total);
    fprintf(stderr, "\rsimulate [%.*s%*s] %zu/%zu", fill,
            "========================================", width - fill, "", done, total);
    if (done == total)
        fputc('\n', stderr);
    fflush(stderr);
}

int sp_cmd_simulate(const struct sp_cli_command *cmd, int argc, char **argv)
{
    struct sp_cli_command self = *cmd;
    struct sp_cli_parser parser;
    struct sp_err err = SP_ERR_INIT;
    struct sp_buf out = SP_BUF_INIT, text = {NULL, 0, 0, 16u << 20};
    struct sp_world w;
    struct sp_calib_targets targets;
    struct sp_sim_scenario scenario;
    struct sp_sim_params params;
    struct sp_sim_inputs in;
    struct sp_sim_student student;
    struct sp_sim_student_app *student_apps = NULL;
    struct sp_sim_summary summary;
    struct sp_sim_report_options ro = {.seed = 1};
    struct sp_sim_rep *reps = NULL;
    struct sp_profile profile;
    sp_sim *sim = NULL;
    const char *db = NULL, *model = NULL, *out_path = NULL, *scenario_path = NULL;
    const char *profile_path = NULL, *plan_path = NULL;
    long replications = 20, threads = sysconf(_SC_NPROCESSORS_ONLN);
    bool world_open = false;
    int rc = SP_EXIT_OK, c;
    enum sp_out fmt;
    char *arg;
    long n;

    /* The option table lives here; the command table names only the command. */
    self.options = simulate_options;
    self.details = simulate_details;
    self.synopsis = NULL;
    if (threads < 1)
        threads = 1;
    sp_sim_scenario_init(&scenario);
    sp_sim_params_init(&params);
    sp_cli_parser_init(&parser, &self);
    while ((c = sp_cli_next(&parser, argc, argv, &arg)) != -1) {
        switch (c) {
        case SP_CLI_HELP:
            return SP_EXIT_OK;
        case SP_CLI_BAD:
            return SP_EXIT_USAGE;
        case OPT_REPLICATIONS:
            if (sp_parse_long(&n, arg, 1, 100000))
                return sp_cli_fail(SP_EXIT_USAGE,
                                   "replications: '%s' must be a count from 1 to 100000", arg);
            replications = n;
            break;
        case OPT_THREADS:
            if (sp_parse_long(&n, arg, 1, 256))
                return sp_cli_fail(SP_EXIT_USAGE, "threads: '%s' must be a count from 1 to 256",
                                   arg);
            threads = n;
            break;
        case OPT_SEED:
            if (sp_parse_long(&n, arg, 0, 2147483647L))
                return sp_cli_fail(SP_EXIT_USAGE,
                                   "seed: '%s' must be a whole number from 0 to 2147483647", arg);
            ro.seed = (uint64_t)n;
            break;
        case OPT_SCENARIO:
            scenario_path = arg;
            break;
        case OPT_PROFILE:
            profile_path = arg;
            break;
        case OPT_PLAN:
            plan_path = arg;
            break;
        case OPT_RELIABILITY:
            ro.reliability = true;
            break;
        case SP_OPT_FORMAT:
            if (sp_out_parse(&fmt, arg, SP_OUT_BIT(SP_OUT_TEXT) | SP_OUT_BIT(SP_OUT_JSON)))
                return sp_cli_fail(SP_EXIT_USAGE, "format: '%s' must be text or json", arg);
            ro.json = fmt == SP_OUT_JSON;
            break;
        case SP_OPT_OUT:
            out_path = arg;
            break;
        case OPT_MODEL:
            model = arg;
            break;
        case SP_OPT_DB:
            db = arg;
            break;
        }
    }
    if (optind != argc)
        return sp_cli_fail(SP_EXIT_USAGE, "simulate: unexpected argument '%s'", argv[optind]);
    if (!profile_path != !plan_path)
        return sp_cli_fail(SP_EXIT_USAGE, "profile, plan: give both (the plan of that profile)");
    params.reliability = ro.reliability;

    if (scenario_path) {
        rc = sp_read_file(&text, scenario_path, &err);
        if (!rc)
            rc = sp_sim_scenario_parse(&scenario, sp_buf_cstr(&text), text.len, &err);
        if (rc) {
            if (rc != SP_EIO)
                sp_err_prefix(&err, scenario_path, ": ");
            rc = sp_cli_fail_err(rc == SP_EIO ? SP_EXIT_ERROR : SP_EXIT_USAGE, &err);
            goto out;
        }
        sp_buf_reset(&text);
    }
    if (profile_path) {
        rc = sp_cli_load_profile(&profile, profile_path);
        if (rc)
            goto out;
    }
    rc = sp_cli_open_world(&w, db, model ? SP_MODEL_FILE : SP_MODEL_BUNDLED, model);
    if (rc)
        goto out;
    world_open = true;
    rc = sp_app_sim_targets(&targets, w.facts, &err);
    if (rc) {
        rc = sp_cli_fail_err(SP_EXIT_ERROR, &err);
        goto out;
    }
    memset(&in, 0, sizeof(in));
    in.m = &w.model;
    in.cat = w.cat;
    in.q = w.q;
    in.targets = &targets;
    in.scenario = &scenario;
    in.params = &params;
    if (plan_path) {
        rc = sp_read_file(&text, plan_path, &err);
        if (!rc)
            rc = sp_app_sim_student(&student, &student_apps, &ro.plan_p_match_any, &w.model, w.cat,
                                    &profile, sp_buf_cstr(&text), text.len, &err);
        if (rc) {
            if (rc != SP_EIO)
                sp_err_prefix(&err, plan_path, ": ");
            rc = sp_cli_fail_err(rc == SP_EIO ? SP_EXIT_ERROR : SP_EXIT_USAGE, &err);
            goto out;
        }
        ro.has_plan = true;
        for (size_t i = 0; i < student.n_apps; i++) {
            size_t n_all;
            const struct sp_program *base = sp_catalog_programs(w.cat, &n_all);
            ro.plan_applies_ir |= base[student.apps[i].program].specialty == SP_SPEC_IR;
        }
        in.student = &student;
    }
    rc = sp_sim_new(&sim, &in, &err);
    if (rc) {
        rc = sp_cli_fail_err(SP_EXIT_ERROR, &err);
        goto out;
    }
    reps = sp_xcalloc((size_t)replications, sizeof(*reps));
    sp_app_sim_keep_memory();
    rc = sp_app_sim_run(reps, sim, ro.seed, 0, (size_t)replications, (int)threads,
                        isatty(STDERR_FILENO) ? progress_bar : NULL, NULL, &err);
    if (rc) {
        rc = sp_cli_fail_err(SP_EXIT_ERROR, &err);
        goto out;
    }
    sp_sim_summarize(&summary, sim, reps, (size_t)replications);
    sp_sim_report(&out, &summary, &ro);
    if (sp_cli_write(&out, out_path, &err))
        rc = sp_cli_fail_err(SP_EXIT_ERROR, &err);
out:
    free(reps);
    free(student_apps);
    sp_sim_free(sim);
    if (world_open)
        sp_world_close(&w);
    sp_buf_release(&text);
    sp_buf_release(&out);
    return rc;
}
