/*
 * `smartpick simulate`: the national Match simulator (docs/SIMULATION.md). Loads
 * the world, builds the market, runs the replications on a thread pool
 * (service/sim_run.c) and prints match rates by specialty and type next to the
 * NRMP figures; with a profile and its plan, that student's simulated P(match).
 */
#include "cli.h"

#include "render_sim.h"
#include "scenario_json.h"
#include "sim_records.h"
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
    OPT_RECORDS,
    OPT_RECORDS_SPECIALTIES,
};

static const struct sp_cli_option simulate_options[] = {
    {"replications", OPT_REPLICATIONS, "N", "replications of the Match (default 20)"},
    {"threads", OPT_THREADS, "T", "worker threads (default: all cores); results do not change"},
    {"seed", OPT_SEED, "S", "RNG seed (default 1)"},
    {"scenario", OPT_SCENARIO, "FILE", "what-if changes, JSON (docs/SIMULATION.md)"},
    {"profile", OPT_PROFILE, "P", "insert this student (with --plan) into every replication"},
    {"plan", OPT_PLAN, "PLAN.json", "the student's `smartpick plan --format json` output"},
    {"reliability", OPT_RELIABILITY, NULL, "add the planner's reliability table (slower start)"},
    {"records", OPT_RECORDS, "DIR", "write the market's applicants.csv and applications.csv"},
    {"records-specialties", OPT_RECORDS_SPECIALTIES, "LIST",
     "only applicants preferring these, e.g. IR,DR (default all)"},
    SP_OPT_END,
};

struct simulate_state {
    long replications, threads;
    const char *scenario_path, *profile_path, *plan_path, *records_dir;
    unsigned records_specialties;
    struct sp_sim_scenario scenario;
    struct sp_sim_params params;
    struct sp_render_sim_options ro;
    struct sp_profile profile;
};

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

static void simulate_init(struct sp_cli *c)
{
    struct simulate_state *s = c->state;

    s->replications = 20;
    s->threads = sysconf(_SC_NPROCESSORS_ONLN);
    if (s->threads < 1)
        s->threads = 1;
    s->ro.seed = 1;
    sp_sim_scenario_init(&s->scenario);
    sp_sim_params_init(&s->params);
}

/* "IR,DR": a bit per specialty. */
static int parse_specialties(unsigned *out, const char *arg)
{
    char code[16];
    const char *at = arg;

    *out = 0;
    while (*at) {
        size_t len = strcspn(at, ",");
        enum sp_specialty k;
        if (len == 0 || len >= sizeof(code))
            return sp_cli_fail(SP_EXIT_USAGE,
                               "records-specialties: '%s' must be specialty codes separated by "
                               "commas, e.g. IR,DR",
                               arg);
        memcpy(code, at, len);
        code[len] = 0;
        if (sp_specialty_parse(&k, code))
            return sp_cli_fail(SP_EXIT_USAGE,
                               "records-specialties: '%s' is not a specialty code (IR DR IM GS VS "
                               "ANES EM NEURO PMR)",
                               code);
        *out |= 1u << k;
        at += len + (at[len] == ',');
    }
    if (!*out)
        return sp_cli_fail(SP_EXIT_USAGE, "records-specialties: give at least one specialty code");
    return 0;
}

static int simulate_option(struct sp_cli *c, int key, const char *arg)
{
    struct simulate_state *s = c->state;
    long n;

    switch (key) {
    case OPT_REPLICATIONS:
        if (sp_cli_long(&n, "replications", arg, 1, 100000, "a count"))
            return SP_EXIT_USAGE;
        s->replications = n;
        break;
    case OPT_THREADS:
        if (sp_cli_long(&n, "threads", arg, 1, 256, "a count"))
            return SP_EXIT_USAGE;
        s->threads = n;
        break;
    case OPT_SEED:
        if (sp_cli_long(&n, "seed", arg, 0, 2147483647L, "a whole number"))
            return SP_EXIT_USAGE;
        s->ro.seed = (uint64_t)n;
        break;
    case OPT_SCENARIO:
        s->scenario_path = arg;
        break;
    case OPT_PROFILE:
        s->profile_path = arg;
        break;
    case OPT_PLAN:
        s->plan_path = arg;
        break;
    case OPT_RELIABILITY:
        s->ro.reliability = true;
        break;
    case OPT_RECORDS:
        s->records_dir = arg;
        break;
    case OPT_RECORDS_SPECIALTIES:
        return parse_specialties(&s->records_specialties, arg);
    }
    return 0;
}

/* A file of the run (the scenario, the student's plan) that breaks a rule is named
 * in the message; one that cannot be read is an error, not a usage error. */
/* A file that could not be read (err names it) or whose content is wrong (named here). */
static int fail_file(int rc, bool read_failed, const char *path, struct sp_err *err)
{
    if (read_failed)
        return sp_cli_fail_err(sp_cli_exit_for(rc), err);
    sp_err_prefix(err, path, ": ");
    return sp_cli_fail_err(SP_EXIT_USAGE, err);
}

/* The checks between options, the scenario and the student's profile: before the world. */
static int simulate_prepare(struct sp_cli *c)
{
    struct simulate_state *s = c->state;
    struct sp_buf text = {NULL, 0, 0, 16u << 20};
    struct sp_err err = SP_ERR_INIT;
    int rc = 0;

    if (!s->profile_path != !s->plan_path)
        return sp_cli_fail(SP_EXIT_USAGE, "profile, plan: give both (the plan of that profile)");
    if (s->records_specialties && !s->records_dir)
        return sp_cli_fail(SP_EXIT_USAGE, "records-specialties: needs --records DIR");
    if (s->records_dir && !s->records_specialties)
        s->records_specialties = (1u << SP_SPEC_COUNT) - 1;
    s->params.reliability = s->ro.reliability;
    if (s->scenario_path) {
        bool read_failed = (rc = sp_read_file(&text, s->scenario_path, &err)) != 0;
        if (!rc)
            rc = sp_scenario_from_json(&s->scenario, sp_buf_cstr(&text), text.len, &err);
        sp_buf_release(&text);
        if (rc)
            return fail_file(rc, read_failed, s->scenario_path, &err);
    }
    return s->profile_path ? sp_cli_load_profile(&s->profile, s->profile_path) : 0;
}

/* The student of --profile with the applications of --plan, into in. */
static int read_student(struct sp_cli *c, struct sp_sim_student *student,
                        struct sp_sim_student_app **apps, struct sp_sim_inputs *in)
{
    struct simulate_state *s = c->state;
    struct sp_buf text = {NULL, 0, 0, 16u << 20};
    struct sp_err err = SP_ERR_INIT;
    int rc = sp_read_file(&text, s->plan_path, &err);
    bool read_failed = rc != 0;

    if (!rc)
        rc = sp_app_sim_student(student, apps, &s->ro.plan_p_match_any, &c->w.model, c->w.cat,
                                &s->profile, sp_buf_cstr(&text), text.len, &err);
    sp_buf_release(&text);
    if (rc)
        return fail_file(rc, read_failed, s->plan_path, &err);
    s->ro.has_plan = true;
    in->student = student;
    return 0;
}

/* The replications on the thread pool, summarised into c->out. */
static int replicate(struct sp_cli *c, const sp_sim *sim)
{
    struct simulate_state *s = c->state;
    struct sp_sim_rep *reps = sp_xcalloc((size_t)s->replications, sizeof(*reps));
    struct sp_sim_summary summary;
    struct sp_err err = SP_ERR_INIT;
    int rc = SP_EXIT_OK;

    struct sp_records *records = NULL;

    sp_app_sim_keep_memory();
    if (s->records_dir &&
        sp_records_open(&records, s->records_dir, s->records_specialties,
                        (size_t)s->replications, c->w.cat, &err)) {
        free(reps);
        return sp_cli_fail_err(SP_EXIT_ERROR, &err);
    }
    if (sp_app_sim_run_observed(reps, sim, s->ro.seed, 0, (size_t)s->replications,
                                (int)s->threads, records ? sp_records_observe : NULL, records,
                                isatty(STDERR_FILENO) ? progress_bar : NULL, NULL, &err) ||
        (records && sp_records_finish(records, &err))) {
        rc = sp_cli_fail_err(SP_EXIT_ERROR, &err);
    } else {
        sp_sim_summarize(&summary, sim, reps, (size_t)s->replications);
        s->ro.json = c->format == SP_OUT_JSON;
        sp_render_sim_report(&c->out, &summary, &s->ro);
    }
    sp_records_free(records);
    free(reps);
    return rc;
}

static int simulate_run(struct sp_cli *c)
{
    struct simulate_state *s = c->state;
    struct sp_calib_targets targets;
    struct sp_sim_inputs in = {0};
    struct sp_sim_student student;
    struct sp_sim_student_app *student_apps = NULL;
    struct sp_err err = SP_ERR_INIT;
    sp_sim *sim = NULL;
    int rc;

    in.scenario = &s->scenario;
    in.params = &s->params;
    rc = s->plan_path ? read_student(c, &student, &student_apps, &in) : 0;
    if (!rc && sp_app_sim_from_world(&sim, &in, &targets, &c->w, &err))
        rc = sp_cli_fail_err(SP_EXIT_ERROR, &err);
    if (!rc)
        rc = replicate(c, sim);
    sp_sim_free(sim);
    free(student_apps);
    return rc;
}

const struct sp_cli_command sp_cmd_simulate = {
    .name = "simulate",
    .summary = "Simulate the national Match; what-ifs.",
    .options = simulate_options,
    .details =
        "Each replication draws a national market (the nine specialties, NRMP applicant\n"
        "counts and positions), applications, interviews and rank lists, then runs the\n"
        "Match. Replication r uses RNG stream r of the seed, so results are the same for any\n"
        "--threads. Example:\n"
        "  smartpick simulate --replications 50 --scenario ir-plus-10.json --format json\n",
    .setup = SP_CLI_FORMAT | SP_CLI_OUT | SP_CLI_MODEL | SP_CLI_DB | SP_CLI_WORLD,
    .formats = SP_OUT_BIT(SP_OUT_TEXT) | SP_OUT_BIT(SP_OUT_JSON),
    .format_help = "text (default) or json",
    .format_rule = "must be text or json",
    .out_help = "write to FILE",
    .state_size = sizeof(struct simulate_state),
    .init = simulate_init,
    .option = simulate_option,
    .prepare = simulate_prepare,
    .run = simulate_run,
};
