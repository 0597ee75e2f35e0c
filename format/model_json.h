/*
 * model_json.h - data/model.json (schema smartpick.model/1) to and from struct
 * sp_model. Every parameter has one JSON path; the writer's output is
 * deterministic (same model, same bytes).
 */
#ifndef SP_MODEL_JSON_H
#define SP_MODEL_JSON_H

#include "smartpick/model/model.h"

#define SP_MODEL_SCHEMA "smartpick.model/1"

/* Read every parameter; SP_EINVAL naming the path, the value and the rule: a
 * missing or non-number value, a count (applications, signals, quadrature nodes)
 * that is not a whole number in 0..100000, quadrature nodes outside 1..SP_GH_MAX or
 * a negative latent_sigma, reference geography shares not within
 * 0 <= share_in_state <= share_geo <= 1. */
int sp_model_from_json(struct sp_model *out, const char *text, size_t len, struct sp_err *err);

/* The model as JSON text (malloc'd, ends with a newline). */
char *sp_model_to_json(const struct sp_model *m);

#endif
