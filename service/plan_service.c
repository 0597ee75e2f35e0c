/*
 * The plan, as the CLI and the server both make and write it (plan_service.h):
 * one way from a profile and its options to the plan, and one way from the plan
 * to each format.
 */
#include "plan_service.h"

#include "render_plan.h"
#include "sp_str.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "banned.h"

#define XLSX_MAX (64u << 20)

int sp_app_plan_origin(struct sp_plan_options *o, sp_store *st, const struct sp_profile *p,
                       struct sp_err *err)
{
    int rc;

    if (!p->home_state[0])
        return SP_ENOTFOUND;
    rc = sp_store_state_centroid(st, p->home_state, &o->origin, err);
    o->has_origin = rc == 0;
    return rc;
}

int sp_app_plan_build(struct sp_plan **out, const struct sp_world *w, const struct sp_profile *p,
                      const struct sp_plan_options *o, struct sp_err *err)
{
    return sp_plan_build(out, &w->model, w->cat, w->q, &w->fees, p, o, err);
}

int sp_app_plan_render(struct sp_buf *out, enum sp_out fmt, const struct sp_plan *plan,
                       const struct sp_profile *p, const char *xlsx_path, struct sp_err *err)
{
    switch (fmt) {
    case SP_OUT_XLSX:
        return sp_render_plan_xlsx(xlsx_path, plan, p, err);
    case SP_OUT_HTML:
        sp_render_plan_html(out, plan, p);
        return 0;
    default:
        sp_render_plan(out, sp_out_format(fmt), plan, p);
        return 0;
    }
}

int sp_app_plan_xlsx_bytes(struct sp_buf *out, const struct sp_plan *plan,
                           const struct sp_profile *p, const char *tmpdir, struct sp_err *err)
{
    struct sp_buf path = SP_BUF_INIT;
    int fd, rc;

    sp_buf_addf(&path, "%s/smartpick-plan-XXXXXX", tmpdir);
    fd = mkstemp(path.data);
    if (fd < 0) {
        rc = sp_err_set(err, SP_EIO, "%s", strerror(errno));
        goto out;
    }
    close(fd);
    rc = sp_render_plan_xlsx(path.data, plan, p, err);
    if (!rc) {
        out->max = XLSX_MAX;
        rc = sp_read_file(out, path.data, err);
    }
    unlink(path.data);
out:
    sp_buf_release(&path);
    return rc;
}
