/*
 * Loading what the model commands share, once per process.
 */
#include "world.h"

#include "bundled.h"
#include "model_json.h"
#include "profile_json.h"
#include "sp_alloc.h"
#include "sp_str.h"

#include <stdlib.h>
#include <string.h>

#include "banned.h"

#define PROFILE_FILE_MAX (1u << 20)

int sp_world_open(struct sp_world *w, const char *db, enum sp_model_choice choice,
                  const char *model_path, struct sp_err *err)
{
    size_t n;
    int rc;

    memset(w, 0, sizeof(*w));
    if (choice == SP_MODEL_PRIORS) {
        sp_model_init_priors(&w->model);
    } else if (choice == SP_MODEL_FILE) {
        struct sp_buf text = {NULL, 0, 0, 16u << 20};
        rc = sp_read_file(&text, model_path, err);
        if (!rc)
            rc = sp_model_from_json(&w->model, sp_buf_cstr(&text), text.len, err);
        sp_buf_release(&text);
        if (rc) {
            sp_err_prefix(err, model_path, ": ");
            return rc;
        }
    } else {
        const struct sp_bundled_file *f = sp_bundled_find("model.json");
        rc = f ? sp_model_from_json(&w->model, f->data, f->len, err)
               : sp_err_set(err, SP_EINVAL, "no bundled model.json");
        if (rc)
            return rc;
    }
    rc = sp_cli_open_store(&w->store, db, err);
    if (!rc)
        rc = sp_store_load_catalog(w->store, &w->cat, err);
    if (!rc)
        rc = sp_store_load_facts(w->store, &w->facts, err);
    if (rc) {
        sp_world_close(w);
        return rc;
    }
    sp_catalog_programs(w->cat, &n);
    w->q = sp_xcalloc(n ? n : 1, sizeof(*w->q));
    w->q_src = sp_xcalloc(n ? n : 1, sizeof(*w->q_src));
    sp_model_selectivity(w->q, w->q_src, &w->model, w->cat);
    return 0;
}

void sp_world_close(struct sp_world *w)
{
    free(w->q);
    free(w->q_src);
    sp_facts_free(w->facts);
    sp_catalog_free(w->cat);
    sp_store_close(w->store);
    memset(w, 0, sizeof(*w));
}

int sp_cli_load_profile(struct sp_profile *p, const char *path, struct sp_err *err)
{
    struct sp_buf text = {NULL, 0, 0, PROFILE_FILE_MAX};
    int rc = sp_read_file(&text, path, err);

    if (!rc) {
        rc = sp_profile_from_json(p, sp_buf_cstr(&text), text.len, err);
        if (!rc)
            rc = sp_profile_complete(p, err);
        if (rc)
            sp_err_prefix(err, path, ": ");
    }
    sp_buf_release(&text);
    return rc;
}
