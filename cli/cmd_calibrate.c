/*
 * `smartpick calibrate`: fit the model to data/calibration_targets.csv and write
 * data/model.json and docs/CALIBRATION.md; with --check, only evaluate a model
 * against the targets (exit 1 if any is outside its tolerance).
 */
#include "cli.h"

#include "model_json.h"
#include "render_assess.h"
#include "smartpick/model/calibrate.h"
#include "sp_str.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "market_build.h"
#include "market_file.h"
#include "market_pool.h"
#include "sim_run.h"

#include <unistd.h>

#include "banned.h"

enum {
    OPT_TARGETS = SP_OPT_FIRST_FREE,
    OPT_MODEL_OUT,
    OPT_REPORT,
    OPT_CHECK,
    OPT_CHECKED,
    OPT_MARKET,
    OPT_MARKET_REPLICATIONS,
    OPT_THREADS,
};

/* --out and --model are this command's own: where the fitted model goes, and the
 * model that --check evaluates. */
static const struct sp_cli_option calibrate_options[] = {
    {"targets", OPT_TARGETS, "FILE", "targets (default data/calibration_targets.csv)"},
    {"out", OPT_MODEL_OUT, "FILE", "where to write the model (default data/model.json)"},
    {"report", OPT_REPORT, "FILE", "where to write the fit report (default docs/CALIBRATION.md)"},
    {"check", OPT_CHECK, NULL, "evaluate the model against the targets; fit nothing"},
    {"model", OPT_CHECKED, "FILE", "with --check: the model to check (default: bundled)"},
    {"market", OPT_MARKET, "FILE",
     "also build the stored market for the model (data/market.bin; docs/MODEL.md)"},
    {"market-replications", OPT_MARKET_REPLICATIONS, "N",
     "replications of the market (default 500, the least plan and assess accept)"},
    {"threads", OPT_THREADS, "T", "threads that build the market (default: all cores)"},
    SP_OPT_END,
};

static const char report_head[] =
    "# Calibration report\n\n"
    "Written by `smartpick calibrate` (do not edit): every target of\n"
    "`data/calibration_targets.csv`, the published value, the model's value for the\n"
    "reference population, and the residual. Fitted per specialty: the interview and match\n"
    "intercepts and the Step 2 slope (nlopt BOBYQA); then the applicant-type offsets\n"
    "(bisection), each against the type's overall rate over its first-choice applicants in\n"
    "the nine specialties (matched anywhere, backups counted; non-US IMGs against their\n"
    "nine-specialty rate pooled from Charting Outcomes 2026). Then, in the simulated market\n"
    "itself (rows `filled_share`, `market_*`, `*signal*`; 40 rounds of 8 replications of\n"
    "seed 1): each specialty's applicant mix (DOs and US IMGs to NRMP's shares of filled\n"
    "positions) and how its programs see each type (to the US MD and non-US IMG rates by\n"
    "specialty and the DO and US-IMG rates overall); a market US MD rate is held within its\n"
    "target's tolerance or the published figure's 95% sampling interval, the wider. The\n"
    "signals: a specialty's signal effects where its own figures are published (EM's odds\n"
    "ratio of an interview, DR's share matched where they signalled; the specialty's\n"
    "intercepts refitted with them) and the applicants' rank-list preference for the programs\n"
    "they signalled (to EM's odds ratio of a match after an interview). Rows marked \"check\n"
    "only\" are not held to a tolerance: the interviews per applicant implied by positions\n"
    "x 12 interviews per position / first-choice applicants (an estimate, fitted loosely),\n"
    "the all-specialty US MD rate (US MD seniors are the reference, offset 0), US MD\n"
    "seniors' share of filled positions (the market's US MDs include prior graduates),\n"
    "NRMP's all-specialty non-US IMG rate (it counts specialties outside the nine), and the\n"
    "specialties' fill rates (nothing is fitted to them: who fills what follows from demand).\n"
    "The method is in docs/MODEL.md.\n\n"
    "Reproduce: `smartpick calibrate` from the repository root (writes data/model.json, which\n"
    "must come out byte for byte the same).\n\n";

struct calibrate_state {
    const char *targets_path, *model_out, *report_path, *checked, *market_out;
    long market_reps, threads;
    bool check;
    struct sp_calib_targets targets;
    struct sp_calib_report rep;
};

static void calibrate_init(struct sp_cli *c)
{
    struct calibrate_state *s = c->state;

    s->targets_path = "data/calibration_targets.csv";
    s->model_out = "data/model.json";
    s->report_path = "docs/CALIBRATION.md";
    s->market_reps = SP_MARKET_MIN_REPLICATIONS;
    s->threads = sysconf(_SC_NPROCESSORS_ONLN);
    if (s->threads < 1)
        s->threads = 1;
}

static int calibrate_option(struct sp_cli *c, int key, const char *arg)
{
    struct calibrate_state *s = c->state;
    long n;

    switch (key) {
    case OPT_TARGETS:
        s->targets_path = arg;
        break;
    case OPT_MODEL_OUT:
        s->model_out = arg;
        break;
    case OPT_REPORT:
        s->report_path = arg;
        break;
    case OPT_CHECK:
        s->check = true;
        break;
    case OPT_CHECKED:
        s->checked = arg;
        break;
    case OPT_MARKET:
        s->market_out = arg;
        break;
    case OPT_MARKET_REPLICATIONS:
        if (sp_cli_long(&n, "market-replications", arg, 1, 100000, "a count"))
            return SP_EXIT_USAGE;
        s->market_reps = n;
        break;
    case OPT_THREADS:
        if (sp_cli_long(&n, "threads", arg, 1, 256, "a count"))
            return SP_EXIT_USAGE;
        s->threads = n;
        break;
    }
    return 0;
}

/* The targets, read before the world. */
static int calibrate_prepare(struct sp_cli *c)
{
    struct calibrate_state *s = c->state;
    struct sp_buf text = SP_BUF_INIT;
    struct sp_err err = SP_ERR_INIT;
    int rc = SP_EXIT_OK;

    if (sp_read_file(&text, s->targets_path, &err)) {
        rc = sp_cli_fail_err(sp_cli_exit_for(err.code), &err); /* err names the file */
    } else if (sp_calib_targets_parse(&s->targets, sp_buf_cstr(&text), text.len, &err)) {
        sp_err_prefix(&err, s->targets_path, ":");
        rc = sp_cli_fail_err(SP_EXIT_USAGE, &err);
    }
    sp_buf_release(&text);
    return rc;
}

/* The stored market for model m: the baseline national market played
 * s->market_reps times, written to s->market_out. */
static int build_market(struct sp_cli *c, const struct sp_model *m)
{
    struct calibrate_state *s = c->state;
    struct sp_calib_targets targets;
    struct sp_sim_params params;
    struct sp_sim_inputs in = {0};
    struct sp_err err = SP_ERR_INIT;
    struct sp_buf bytes = SP_BUF_INIT;
    sp_sim *sim = NULL;
    sp_market *mk = NULL;
    size_t n;
    int rc;

    struct sp_model beliefs = *m;

    /* The market's applicants act on the model's beliefs, never on a market. */
    beliefs.market = NULL;
    sp_catalog_programs(c->w.cat, &n);
    sp_sim_params_init(&params);
    in.m = &beliefs;
    in.params = &params;
    sp_app_sim_keep_memory();
    rc = sp_app_sim_from_world(&sim, &in, &targets, &c->w, &err);
    if (!rc)
        rc = sp_market_build(&mk, sim, m, n, 1, (size_t)s->market_reps, (int)s->threads, NULL,
                             NULL, &err);
    if (!rc) {
        sp_market_to_bytes(&bytes, mk, c->w.cat, sp_model_fingerprint(m));
        rc = sp_cli_write(&bytes, s->market_out, &err);
    }
    sp_buf_release(&bytes);
    sp_market_free(mk);
    sp_sim_free(sim);
    if (rc)
        return sp_cli_fail_err(SP_EXIT_ERROR, &err);
    fprintf(stderr, "smartpick: wrote %s (%ld replications)\n", s->market_out, s->market_reps);
    return SP_EXIT_OK;
}

/* Fit from the priors; write the model and the report. */
static int fit_and_write(struct sp_cli *c)
{
    struct calibrate_state *s = c->state;
    struct sp_err err = SP_ERR_INIT;
    struct sp_model fitted;
    char *json;
    int rc;

    struct sp_filled_shares fs;

    sp_model_init_priors(&fitted);
    /* Selectivity depends only on priors, not on what is fitted. Then the applicant
     * mix in the market, the type offsets refitted with it, and the report. */
    if (sp_calibrate(&fitted, &s->rep, c->w.cat, c->w.q, &s->targets, &err) ||
        sp_market_fit_pool(&fitted, &fs, &c->w, &s->targets, (int)s->threads, &err))
        return sp_cli_fail_err(SP_EXIT_ERROR, &err);
    sp_calib_evaluate(&s->rep, &fitted, c->w.cat, c->w.q, &s->targets);
    sp_market_pool_report(&s->rep, &fs, &s->targets);
    json = sp_model_to_json(&fitted);
    sp_buf_adds(&c->out, json);
    free(json);
    rc = sp_cli_write(&c->out, s->model_out, &err);
    sp_buf_reset(&c->out);
    sp_buf_adds(&c->out, report_head);
    sp_render_calibration(&c->out, &s->rep, true);
    if (!rc)
        rc = sp_cli_write(&c->out, s->report_path, &err);
    if (rc)
        return sp_cli_fail_err(SP_EXIT_ERROR, &err);
    fprintf(stderr, "smartpick: wrote %s and %s\n", s->model_out, s->report_path);
    sp_model_cache_quadrature(&fitted);
    return s->market_out ? build_market(c, &fitted) : SP_EXIT_OK;
}

static int calibrate_run(struct sp_cli *c)
{
    struct calibrate_state *s = c->state;
    struct sp_err err = SP_ERR_INIT;
    int rc = sp_cli_open_world(c,
                               !s->check    ? SP_MODEL_PRIORS
                               : s->checked ? SP_MODEL_FILE | SP_MODEL_NO_MARKET
                                            : SP_MODEL_BUNDLED | SP_MODEL_NO_MARKET,
                               s->checked);

    if (rc)
        return rc;
    if (s->check) {
        struct sp_filled_shares fs;
        sp_calib_evaluate(&s->rep, &c->w.model, c->w.cat, c->w.q, &s->targets);
        if (sp_market_filled_shares(&fs, &c->w, &c->w.model, (int)s->threads, &err))
            return sp_cli_fail_err(SP_EXIT_ERROR, &err);
        sp_market_pool_report(&s->rep, &fs, &s->targets);
        rc = s->market_out ? build_market(c, &c->w.model) : SP_EXIT_OK;
        if (rc)
            return rc;
    } else {
        rc = fit_and_write(c);
        if (rc)
            return rc;
    }
    sp_buf_reset(&c->out);
    sp_render_calibration(&c->out, &s->rep, false);
    if (sp_cli_write(&c->out, NULL, &err))
        return sp_cli_fail_err(SP_EXIT_ERROR, &err);
    if (s->rep.n_failed)
        return sp_cli_fail(SP_EXIT_ERROR, "%d calibration target%s outside tolerance",
                           s->rep.n_failed, s->rep.n_failed == 1 ? "" : "s");
    return SP_EXIT_OK;
}

const struct sp_cli_command sp_cmd_calibrate = {
    .name = "calibrate",
    .summary = "Fit the model to the published figures (writes data/model.json, "
               "docs/CALIBRATION.md).",
    .options = calibrate_options,
    .setup = SP_CLI_DB,
    .state_size = sizeof(struct calibrate_state),
    .init = calibrate_init,
    .option = calibrate_option,
    .prepare = calibrate_prepare,
    .run = calibrate_run,
};
