/*
 * render_assess.h - assessments, backup fit and calibration reports as text,
 * JSON or Markdown. Shared by the CLI and the server.
 */
#ifndef SP_RENDER_ASSESS_H
#define SP_RENDER_ASSESS_H

#include "render.h"
#include "smartpick/model/assess.h"
#include "smartpick/model/calibrate.h"
#include "smartpick/model/fit.h"
#include "smartpick/model/profile.h"

void sp_render_assessment(struct sp_buf *out, enum sp_format fmt, const struct sp_assessment *a,
                          const struct sp_profile *p);

void sp_render_fit(struct sp_buf *out, enum sp_format fmt, const struct sp_fit_row *rows,
                   size_t n, const struct sp_profile *p);

/* The calibration report: text table, or the Markdown of docs/CALIBRATION.md. */
void sp_render_calibration(struct sp_buf *out, const struct sp_calib_report *rep, bool markdown);

/* Append the profile's assumptions as a JSON array to obj under "assumptions"
 * (opaque json_t * to keep jansson out of this header). */
void sp_render_assumptions_json(void *obj, const struct sp_profile *p);

#endif
