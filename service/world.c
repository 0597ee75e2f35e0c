/*
 * The app layer: database path, store, catalog, facts, model, selectivities and
 * fees, loaded once per process (CLI) or once per server; profiles.
 */
#include "world.h"

#include "market_build.h"

#include "bundled.h"
#include "model_json.h"
#include "profile_json.h"
#include "sp_alloc.h"
#include "sp_str.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "banned.h"

#define PROFILE_FILE_MAX (1u << 20)

static int mkdir_p(char *path, struct sp_err *err)
{
    for (char *p = path + 1; *p; p++) {
        if (*p != '/')
            continue;
        *p = '\0';
        if (mkdir(path, 0700) && errno != EEXIST) {
            int rc = sp_err_set(err, SP_EIO, "%s: %s", path, strerror(errno));
            *p = '/';
            return rc;
        }
        *p = '/';
    }
    if (mkdir(path, 0700) && errno != EEXIST)
        return sp_err_set(err, SP_EIO, "%s: %s", path, strerror(errno));
    return 0;
}

int sp_app_db_path(struct sp_buf *out, const char *db_opt, struct sp_err *err)
{
    const char *xdg = getenv("XDG_DATA_HOME");
    const char *home = getenv("HOME");
    struct sp_buf dir = SP_BUF_INIT;
    int rc;

    if (db_opt) {
        sp_buf_adds(out, db_opt);
        return 0;
    }
    if (xdg && xdg[0] == '/')
        sp_buf_addf(&dir, "%s/smartpick", xdg);
    else if (home && home[0])
        sp_buf_addf(&dir, "%s/.local/share/smartpick", home);
    else
        return sp_err_set(err, SP_EINVAL, "db: neither XDG_DATA_HOME nor HOME is set; use --db");
    rc = mkdir_p(dir.data, err);
    if (!rc)
        sp_buf_addf(out, "%s/smartpick.db", dir.data);
    sp_buf_release(&dir);
    return rc;
}

int sp_app_open_store(sp_store **out, const char *db_opt, struct sp_err *err)
{
    struct sp_buf path = SP_BUF_INIT;
    int rc = sp_app_db_path(&path, db_opt, err);

    if (!rc)
        rc = sp_store_open(out, path.data, err);
    sp_buf_release(&path);
    return rc;
}

int sp_world_open(struct sp_world *w, const char *db, enum sp_model_choice choice,
                  const char *model_path, struct sp_err *err)
{
    size_t n;
    int rc;
    bool no_market = (choice & SP_MODEL_NO_MARKET) != 0;

    choice = (enum sp_model_choice)(choice & ~SP_MODEL_NO_MARKET);
    memset(w, 0, sizeof(*w));
    if (choice == SP_MODEL_PRIORS) {
        sp_model_init_priors(&w->model);
    } else if (choice == SP_MODEL_FILE) {
        struct sp_buf text = {NULL, 0, 0, 16u << 20};
        rc = sp_read_file(&text, model_path, err);
        if (!rc && (rc = sp_model_from_json(&w->model, sp_buf_cstr(&text), text.len, err)))
            sp_err_prefix(err, model_path, ": "); /* a read error names the path already */
        sp_buf_release(&text);
        if (rc)
            return rc;
    } else {
        struct sp_bundled_file bundled;
        const struct sp_bundled_file *f =
            sp_bundled_find(&bundled, "model.json") ? NULL : &bundled;
        rc = f ? sp_model_from_json(&w->model, f->data, f->len, err)
               : sp_err_set(err, SP_EIO, "no bundled model.json (a broken build)");
        if (rc)
            return rc;
    }
    sp_model_cache_quadrature(&w->model);
    rc = sp_app_open_store(&w->store, db, err);
    if (!rc)
        rc = sp_store_load_catalog(w->store, &w->cat, err);
    if (!rc)
        rc = sp_store_load_facts(w->store, &w->facts, err);
    sp_fees_default(&w->fees);
    if (!rc)
        rc = sp_store_load_fees(w->store, &w->fees, err);
    if (rc) {
        sp_world_close(w);
        return rc;
    }
    sp_catalog_programs(w->cat, &n);
    w->q = sp_xcalloc(n ? n : 1, sizeof(*w->q));
    w->q_src = sp_xcalloc(n ? n : 1, sizeof(*w->q_src));
    sp_model_selectivity(w->q, w->q_src, &w->model, w->cat);
    /* Every probability is the market's; calibrate (the priors) builds it. */
    rc = choice == SP_MODEL_PRIORS || no_market ? 0
                                   : sp_world_load_market(w, choice == SP_MODEL_FILE ? model_path
                                                                                     : NULL,
                                                          err);
    if (rc)
        sp_world_close(w);
    return rc;
}

void sp_world_close(struct sp_world *w)
{
    sp_market_free(w->market);
    free(w->q);
    free(w->q_src);
    sp_facts_free(w->facts);
    sp_catalog_free(w->cat);
    sp_store_close(w->store);
    memset(w, 0, sizeof(*w));
}

int sp_app_profile_from_text(struct sp_profile *p, const char *text, size_t len,
                             struct sp_err *err)
{
    int rc = sp_profile_from_json(p, text, len, err);

    return rc ? rc : sp_profile_complete(p, err);
}

int sp_app_load_profile(struct sp_profile *p, const char *path, struct sp_err *err)
{
    struct sp_buf text = {NULL, 0, 0, PROFILE_FILE_MAX};
    int rc = sp_read_file(&text, path, err);

    if (!rc) {
        rc = sp_app_profile_from_text(p, sp_buf_cstr(&text), text.len, err);
        if (rc)
            sp_err_prefix(err, path, ": ");
    }
    sp_buf_release(&text);
    return rc;
}
