/*
 * model_json.h - data/model.json (schema smartpick.model/1) to and from struct
 * sp_model. Every parameter has one JSON path; the writer's output is
 * deterministic (same model, same bytes).
 */
#ifndef SP_MODEL_JSON_H
#define SP_MODEL_JSON_H

#include "smartpick/model.h"

#define SP_MODEL_SCHEMA "smartpick.model/1"

/* Read every parameter; SP_EINVAL naming the missing or mistyped path. */
int sp_model_from_json(struct sp_model *out, const char *text, size_t len, struct sp_err *err);

/* The model as JSON text (malloc'd, ends with a newline). */
char *sp_model_to_json(const struct sp_model *m);

#endif
