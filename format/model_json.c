/*
 * model.json: a table of (path, field) pairs drives both the reader and the
 * writer, so the two cannot drift apart.
 */
#include "model_json.h"

#include "sp_alloc.h"
#include "sp_buf.h"

#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "banned.h"

#define MAX_PARAMS 320
#define MAX_COUNT 100000 /* applications, signals, quadrature nodes */

struct param {
    char path[64];
    double *value;
    int *ivalue;
};

struct table {
    struct param p[MAX_PARAMS];
    size_t n;
};

/* Path "a.b.c" from up to three parts (NULL parts are skipped). */
static struct param *add(struct table *t, const char *a, const char *b, const char *c)
{
    struct param *p = &t->p[t->n++];

    snprintf(p->path, sizeof(p->path), "%s%s%s%s%s", a, b ? "." : "", b ? b : "", c ? "." : "",
             c ? c : "");
    p->value = NULL;
    p->ivalue = NULL;
    return p;
}

static void add_d(struct table *t, double *v, const char *a, const char *b, const char *c)
{
    add(t, a, b, c)->value = v;
}

static void add_i(struct table *t, int *v, const char *a, const char *b, const char *c)
{
    add(t, a, b, c)->ivalue = v;
}

/* Keys under specialties.<code> of the per-type values. */
static const char *const pool_keys[SP_APP_TYPE_COUNT] = {
    [SP_APP_US_MD] = "pool_share.us_md", [SP_APP_US_DO] = "pool_share.us_do",
    [SP_APP_US_IMG] = "pool_share.us_img", [SP_APP_NON_US_IMG] = "pool_share.non_us_img"};
static const char *const shift_keys[SP_APP_TYPE_COUNT] = {
    [SP_APP_US_MD] = "market_shift.us_md", [SP_APP_US_DO] = "market_shift.us_do",
    [SP_APP_US_IMG] = "market_shift.us_img", [SP_APP_NON_US_IMG] = "market_shift.non_us_img"};

static void build(struct table *t, struct sp_model *m)
{
    static const char *const effects[] = {"signal_gold", "signal_silver", "geo",
                                          "in_state",    "home",          "away"};
    struct sp_effect *fx[] = {&m->signal_gold, &m->signal_silver, &m->geo,
                              &m->in_state,    &m->home,          &m->away};

    t->n = 0;
    add_d(t, &m->sigma, "latent_sigma", NULL, NULL);
    add_d(t, &m->lambda, "lambda", NULL, NULL);
    add_d(t, &m->se_floor, "se_floor", NULL, NULL);
    add_i(t, &m->gh_nodes, "quadrature_nodes", NULL, NULL);
    add_d(t, &m->tier_high, "tiers", "highly_competitive", NULL);
    add_d(t, &m->tier_moderate, "tiers", "moderately_competitive", NULL);
    add_d(t, &m->signal_rank, "signal_rank_preference", NULL, NULL);
    for (int ty = 0; ty < SP_APP_TYPE_COUNT; ty++)
        add_d(t, &m->type_offset[ty], "type_offset",
              sp_applicant_type_name((enum sp_applicant_type)ty), NULL);
    for (int ty = 0; ty < SP_APP_TYPE_COUNT; ty++)
        add_i(t, &m->type_applications[ty], "type_applications",
              sp_applicant_type_name((enum sp_applicant_type)ty), NULL);
    for (int f = 0; f < SP_FEAT_COUNT; f++) {
        add_d(t, &m->coef[f].value, "coefficients", sp_feature_name((enum sp_feature)f), "value");
        add_d(t, &m->coef[f].sd, "coefficients", sp_feature_name((enum sp_feature)f), "sd");
    }
    for (size_t e = 0; e < sizeof(effects) / sizeof(effects[0]); e++) {
        add_d(t, &fx[e]->interview, "effects", effects[e], "interview");
        add_d(t, &fx[e]->match, "effects", effects[e], "match");
    }
    add_d(t, &m->ref_honors, "reference", "honors", NULL);
    add_d(t, &m->ref_aoa, "reference", "aoa", NULL);
    add_d(t, &m->ref_research, "reference", "log1p_research", NULL);
    add_d(t, &m->ref_years_out, "reference", "years_out", NULL);
    add_d(t, &m->ref_share_geo, "reference", "share_geo", NULL);
    add_d(t, &m->ref_share_in_state, "reference", "share_in_state", NULL);
    add_d(t, &m->q_breadth, "selectivity", "per_specialty_of_institution", NULL);
    add_d(t, &m->q_per_nih_doubling, "selectivity", "per_nih_doubling", NULL);
    add_d(t, &m->q_new, "selectivity", "new_program", NULL);
    add_d(t, &m->q_coastal, "selectivity", "coastal_division", NULL);
    add_d(t, &m->q_academic, "selectivity", "academic_sponsor", NULL);
    add_d(t, &m->q_per_step2_point, "selectivity", "per_step2_point", NULL);
    for (int k = 0; k < SP_SPEC_COUNT; k++) {
        struct sp_model_specialty *s = &m->spec[k];
        const char *c = sp_specialty_code((enum sp_specialty)k);
        add_d(t, &s->a, "specialties", c, "a");
        add_d(t, &s->b, "specialties", c, "b");
        add_d(t, &s->beta_step2, "specialties", c, "beta_step2");
        add_d(t, &s->se_shift, "specialties", c, "se_shift");
        add_i(t, &s->typical_applications, "specialties", c, "typical_applications");
        add_i(t, &s->signals_gold, "specialties", c, "signals_gold");
        add_i(t, &s->signals_silver, "specialties", c, "signals_silver");
        add_d(t, &s->ref_letters, "specialties", c, "reference_letters");
        add_d(t, &s->ref_aways, "specialties", c, "reference_away_rotations");
        add_d(t, &s->ref_research_spec, "specialties", c, "reference_research");
        add_d(t, &s->advanced_share, "specialties", c, "advanced_share");
        add_d(t, &s->signal_scale.interview, "specialties", c, "signal_scale.interview");
        add_d(t, &s->signal_scale.match, "specialties", c, "signal_scale.match");
        for (int ty = 0; ty < SP_APP_TYPE_COUNT; ty++) {
            add_d(t, &s->pool_share[ty], "specialties", c, pool_keys[ty]);
            add_d(t, &s->market_shift[ty], "specialties", c, shift_keys[ty]);
        }
    }
}

/* The object at the parent of path (creating it when create), and the last key. */
static json_t *walk(json_t *root, const char *path, const char **leaf, int create)
{
    char part[64];
    const char *p = path, *dot;
    json_t *cur = root;

    while ((dot = strchr(p, '.'))) {
        json_t *next;
        size_t len = (size_t)(dot - p);
        memcpy(part, p, len);
        part[len] = '\0';
        next = json_object_get(cur, part);
        if (!next) {
            if (!create)
                return NULL;
            next = json_object();
            json_object_set_new(cur, part, next);
        }
        if (!json_is_object(next))
            return NULL;
        cur = next;
        p = dot + 1;
    }
    *leaf = p;
    return cur;
}

/* A specialty's applicant mix: shares in [0, 1] that add up to 1. */
static int check_pool(const struct sp_model_specialty *s, const char *code, struct sp_err *err)
{
    char path[64];
    double sum = 0;

    for (int ty = 0; ty < SP_APP_TYPE_COUNT; ty++) {
        sum += s->pool_share[ty];
        if (s->pool_share[ty] >= 0 && s->pool_share[ty] <= 1)
            continue;
        snprintf(path, sizeof(path), "specialties.%s.%s", code, pool_keys[ty]);
        return sp_err_why(err, SP_EINVAL, SP_WHY_MODEL, path,
                          "model: %s: %g must be a share in 0..1", path, s->pool_share[ty]);
    }
    if (fabs(sum - 1) > 1e-6) {
        snprintf(path, sizeof(path), "specialties.%s.pool_share", code);
        return sp_err_why(err, SP_EINVAL, SP_WHY_MODEL, path,
                          "model: %s: the shares add up to %.8g, not 1", path, sum);
    }
    return 0;
}

/* A specialty's signal effects: multiples of the priors in (0, 10]. */
static int check_signal_scale(const struct sp_model_specialty *s, const char *code,
                              struct sp_err *err)
{
    const double v[2] = {s->signal_scale.interview, s->signal_scale.match};
    static const char *const leaf[2] = {"interview", "match"};
    char path[64];

    for (int i = 0; i < 2; i++) {
        if (v[i] > 0 && v[i] <= 10)
            continue;
        snprintf(path, sizeof(path), "specialties.%s.signal_scale.%s", code, leaf[i]);
        return sp_err_why(err, SP_EINVAL, SP_WHY_MODEL, path,
                          "model: %s: %g must be a multiple of the prior in (0, 10]", path, v[i]);
    }
    return 0;
}

int sp_model_from_json(struct sp_model *out, const char *text, size_t len, struct sp_err *err)
{
    struct table *t = sp_xcalloc(1, sizeof(*t));
    json_error_t jerr;
    json_t *root = json_loadb(text, len, 0, &jerr);
    const char *schema;
    int rc = 0;

    sp_model_init_priors(out);
    if (!root) {
        rc = sp_err_why(err, SP_EINVAL, SP_WHY_MODEL, "", "model: line %d, column %d: %s",
                        jerr.line, jerr.column, jerr.text);
        goto out;
    }
    schema = json_string_value(json_object_get(root, "schema"));
    if (!schema || strcmp(schema, SP_MODEL_SCHEMA) != 0) {
        rc = sp_err_why(err, SP_EINVAL, SP_WHY_MODEL, "schema", "model: schema must be \"%s\"",
                        SP_MODEL_SCHEMA);
        goto out;
    }
    build(t, out);
    for (size_t i = 0; i < t->n; i++) {
        const char *leaf;
        json_t *parent = walk(root, t->p[i].path, &leaf, 0);
        json_t *v = parent ? json_object_get(parent, leaf) : NULL;
        if (!v || !json_is_number(v)) {
            rc = sp_err_why(err, SP_EINVAL, SP_WHY_MODEL, t->p[i].path, "model: %s: %s",
                            t->p[i].path, v ? "must be a number" : "is missing");
            goto out;
        }
        if (t->p[i].value) {
            *t->p[i].value = json_number_value(v);
        } else {
            double x = json_number_value(v);
            if (!(x >= 0 && x <= MAX_COUNT) || x != floor(x)) {
                rc = sp_err_why(err, SP_EINVAL, SP_WHY_MODEL, t->p[i].path,
                                "model: %s: %.17g must be a whole number in 0..%d", t->p[i].path, x,
                                MAX_COUNT);
                goto out;
            }
            *t->p[i].ivalue = (int)x;
        }
    }
    if (out->gh_nodes < 1 || out->gh_nodes > SP_GH_MAX || !(out->sigma >= 0))
        rc = sp_err_why(err, SP_EINVAL, SP_WHY_MODEL, "quadrature_nodes",
                        "model: quadrature_nodes %d must be in 1..%d and "
                        "latent_sigma >= 0",
                        out->gh_nodes, SP_GH_MAX);
    else if (!(out->ref_share_in_state >= 0 && out->ref_share_in_state <= out->ref_share_geo &&
               out->ref_share_geo <= 1))
        rc = sp_err_why(err, SP_EINVAL, SP_WHY_MODEL, "reference.share_in_state",
                        "model: reference.share_in_state %g and reference.share_geo %g must "
                        "satisfy 0 <= share_in_state <= share_geo <= 1 (shares of programs)",
                        out->ref_share_in_state, out->ref_share_geo);
    else if (!(out->signal_rank >= 0 && out->signal_rank <= 1))
        rc = sp_err_why(err, SP_EINVAL, SP_WHY_MODEL, "signal_rank_preference",
                        "model: signal_rank_preference %g must be in 0..1 (rank-key units)",
                        out->signal_rank);
    for (int k = 0; k < SP_SPEC_COUNT && !rc; k++)
        rc = check_pool(&out->spec[k], sp_specialty_code((enum sp_specialty)k), err);
    for (int k = 0; k < SP_SPEC_COUNT && !rc; k++)
        rc = check_signal_scale(&out->spec[k], sp_specialty_code((enum sp_specialty)k), err);
out:
    json_decref(root);
    free(t);
    return rc;
}

char *sp_model_to_json(const struct sp_model *m)
{
    struct sp_model copy = *m;
    struct table *t = sp_xcalloc(1, sizeof(*t));
    json_t *root = json_object();
    char *text, *out;
    size_t len;

    json_object_set_new(root, "schema", json_string(SP_MODEL_SCHEMA));
    json_object_set_new(root, "about",
                        json_string("Written by `smartpick calibrate`. Fitted: specialties.*.a, "
                                    ".b, .beta_step2, .se_shift and type_offset (docs/"
                                    "CALIBRATION.md). Everything else is a documented prior or "
                                    "estimate (docs/MODEL.md)."));
    build(t, &copy);
    for (size_t i = 0; i < t->n; i++) {
        const char *leaf = NULL;
        json_t *parent = walk(root, t->p[i].path, &leaf, 1);
        if (t->p[i].value)
            json_object_set_new(parent, leaf, json_real(*t->p[i].value));
        else
            json_object_set_new(parent, leaf, json_integer(*t->p[i].ivalue));
    }
    text = json_dumps(root, JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(8));
    len = strlen(text);
    out = sp_xmalloc(len + 2);
    memcpy(out, text, len);
    out[len] = '\n';
    out[len + 1] = '\0';
    free(text);
    json_decref(root);
    free(t);
    return out;
}
