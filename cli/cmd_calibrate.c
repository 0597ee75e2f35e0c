/*
 * `smartpick calibrate`: fit the model to data/calibration_targets.csv and write
 * data/model.json and docs/CALIBRATION.md; with --check, only evaluate a model
 * against the targets (exit 1 if any is outside its tolerance).
 */
#include "cli.h"

#include "model_json.h"
#include "render_assess.h"
#include "smartpick/model/calibrate.h"
#include "sp_alloc.h"
#include "sp_str.h"
#include "world.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "banned.h"

enum { OPT_TARGETS = SP_OPT_FIRST_FREE, OPT_REPORT, OPT_CHECK, OPT_MODEL };

const struct sp_cli_option sp_calibrate_options[] = {
    {"targets", OPT_TARGETS, "FILE", "targets (default data/calibration_targets.csv)"},
    {"out", SP_OPT_OUT, "FILE", "where to write the model (default data/model.json)"},
    {"report", OPT_REPORT, "FILE", "where to write the fit report (default docs/CALIBRATION.md)"},
    {"check", OPT_CHECK, NULL, "evaluate the model against the targets; fit nothing"},
    {"model", OPT_MODEL, "FILE", "with --check: the model to check (default: bundled)"},
    {"db", SP_OPT_DB, "PATH", "database file (default under $XDG_DATA_HOME/smartpick)"},
    SP_OPT_END,
};

static const char report_head[] =
    "# Calibration report\n\n"
    "Written by `smartpick calibrate` (do not edit): every target of\n"
    "`data/calibration_targets.csv`, the published value, the model's value for the\n"
    "reference population, and the residual. Fitted per specialty: the interview and match\n"
    "intercepts and the Step 2 slope (nlopt BOBYQA); then the applicant-type offsets\n"
    "(bisection), each against the type's overall rate over its first-choice applicants in\n"
    "the nine specialties (matched anywhere, backups counted). Rows marked \"check only\" are\n"
    "not held to a tolerance: the interviews per applicant implied by positions x 12\n"
    "interviews per position / first-choice applicants (an estimate, fitted loosely), and the\n"
    "all-specialty US MD rate (US MD seniors are the reference, offset 0). The method is in\n"
    "docs/MODEL.md.\n\n"
    "Reproduce: `smartpick calibrate` from the repository root (writes data/model.json, which\n"
    "must come out byte for byte the same).\n\n";

int sp_cmd_calibrate(const struct sp_cli_command *cmd, int argc, char **argv)
{
    struct sp_cli_parser parser;
    struct sp_err err = SP_ERR_INIT;
    const char *targets_path = "data/calibration_targets.csv", *out_path = "data/model.json";
    const char *report_path = "docs/CALIBRATION.md", *model = NULL, *db = NULL;
    bool check = false;
    struct sp_buf text = SP_BUF_INIT, out = SP_BUF_INIT;
    struct sp_calib_targets targets;
    struct sp_calib_report *rep = sp_xcalloc(1, sizeof(*rep));
    struct sp_world w;
    int rc = SP_EXIT_OK, c;
    char *arg;

    memset(&w, 0, sizeof(w));
    sp_cli_parser_init(&parser, cmd);
    while ((c = sp_cli_next(&parser, argc, argv, &arg)) != -1) {
        switch (c) {
        case SP_CLI_HELP:
            goto out;
        case SP_CLI_BAD:
            rc = SP_EXIT_USAGE;
            goto out;
        case OPT_TARGETS:
            targets_path = arg;
            break;
        case SP_OPT_OUT:
            out_path = arg;
            break;
        case OPT_REPORT:
            report_path = arg;
            break;
        case OPT_CHECK:
            check = true;
            break;
        case OPT_MODEL:
            model = arg;
            break;
        case SP_OPT_DB:
            db = arg;
            break;
        }
    }
    if (optind < argc) {
        rc = sp_cli_fail(SP_EXIT_USAGE, "calibrate: unexpected argument '%s'", argv[optind]);
        goto out;
    }
    if (sp_read_file(&text, targets_path, &err) ||
        sp_calib_targets_parse(&targets, sp_buf_cstr(&text), text.len, &err)) {
        sp_err_prefix(&err, targets_path, err.code == SP_EIO ? ": " : ":");
        rc = sp_cli_fail_err(SP_EXIT_USAGE, &err);
        goto out;
    }
    rc = sp_cli_open_world(&w, db,
                           !check ? SP_MODEL_PRIORS : model ? SP_MODEL_FILE : SP_MODEL_BUNDLED,
                           model);
    if (rc)
        goto out;
    if (check) {
        sp_calib_evaluate(rep, &w.model, w.cat, w.q, &targets);
    } else {
        struct sp_model fitted;
        char *json;
        sp_model_init_priors(&fitted);
        /* Selectivity depends only on priors, not on what is fitted. */
        if (sp_calibrate(&fitted, rep, w.cat, w.q, &targets, &err)) {
            rc = sp_cli_fail_err(SP_EXIT_ERROR, &err);
            goto out;
        }
        json = sp_model_to_json(&fitted);
        sp_buf_adds(&out, json);
        free(json);
        if (sp_cli_write(&out, out_path, &err)) {
            rc = sp_cli_fail_err(SP_EXIT_ERROR, &err);
            goto out;
        }
        sp_buf_reset(&out);
        sp_buf_adds(&out, report_head);
        sp_render_calibration(&out, rep, true);
        if (sp_cli_write(&out, report_path, &err)) {
            rc = sp_cli_fail_err(SP_EXIT_ERROR, &err);
            goto out;
        }
        fprintf(stderr, "smartpick: wrote %s and %s\n", out_path, report_path);
    }
    sp_buf_reset(&out);
    sp_render_calibration(&out, rep, false);
    if (sp_cli_write(&out, NULL, &err))
        rc = sp_cli_fail_err(SP_EXIT_ERROR, &err);
    else if (rep->n_failed)
        rc = sp_cli_fail(SP_EXIT_ERROR, "%d calibration target%s outside tolerance",
                         rep->n_failed, rep->n_failed == 1 ? "" : "s");
out:
    sp_world_close(&w);
    sp_buf_release(&text);
    sp_buf_release(&out);
    free(rep);
    return rc;
}
