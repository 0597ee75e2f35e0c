/*
 * `smartpick fit PROFILE`: the backup specialties ranked by fit to the student's
 * values and to the road toward IR, with the student's P(match) in each.
 */
#include "cli.h"

#include "render_assess.h"
#include "world.h"

#include "banned.h"

int sp_cmd_fit(const struct sp_cli_command *cmd, int argc, char **argv)
{
    struct sp_world w;
    struct sp_profile p, all;
    struct sp_assessment a;
    struct sp_fit_row rows[SP_SPEC_COUNT];
    double p_match[SP_SPEC_COUNT] = {0};
    struct sp_err err = SP_ERR_INIT;
    struct sp_buf out = SP_BUF_INIT;
    enum sp_format fmt;
    const char *out_path;
    size_t n;
    int rc = sp_cli_model_command(cmd, argc, argv, &w, &p, &fmt, &out_path);

    if (rc)
        return rc < 0 ? SP_EXIT_OK : rc;
    /* Every specialty's odds, whatever the profile lists. */
    all = p;
    all.n_specialties = 0;
    if (sp_assess(&a, &w.model, w.cat, w.q, &all, &err)) {
        rc = sp_cli_fail_err(SP_EXIT_ERROR, &err);
        goto out;
    }
    for (size_t i = 0; i < a.n_spec; i++)
        p_match[a.spec[i].code] = a.spec[i].p_match;
    n = sp_fit(rows, w.facts, &p, p_match);
    sp_render_fit(&out, fmt, rows, n, &p);
    if (sp_cli_write(&out, out_path, &err))
        rc = sp_cli_fail_err(SP_EXIT_ERROR, &err);
out:
    sp_buf_release(&out);
    sp_world_close(&w);
    return rc;
}
