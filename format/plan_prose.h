/*
 * plan_prose.h - the plan's words (plan_prose.c): the strategy in the terms of an
 * IR advising guide, each program's "why", and the checklists (letters, personal
 * statements, signals, the PGY-1 year, interviews, a timeline, the plan if
 * unmatched), worded at render time from the facts and numbers of a struct sp_plan.
 * Private to the format layer: the plan's writers (text, JSON, CSV, HTML, XLSX)
 * share it, so they say the same thing.
 */
#ifndef SP_PLAN_PROSE_H
#define SP_PLAN_PROSE_H

#include "smartpick/model/profile.h"
#include "smartpick/plan/plan.h"

#include <stddef.h>

/* Lengths of the words (with the NUL), as the plan's documents have always had
 * them: a strategy keeps whole sentences within its length; a checklist item and
 * a why are cut at theirs. */
#define SP_PLAN_PROSE_STRATEGY_MAX 2048
#define SP_PLAN_PROSE_ITEM_MAX 240
#define SP_PLAN_PROSE_WHY_MAX 160

/* One line of the checklists; section is "letters", "personal_statements",
 * "pgy1", "signals", "interviews", "timeline" or "if_unmatched"
 * (sp_render_plan__sections gives their order and titles). */
struct sp_plan_prose_item {
    char section[24];
    char when[24]; /* timeline: "MS2 spring", ... ; else "" */
    char text[SP_PLAN_PROSE_ITEM_MAX];
};

struct sp_plan_prose {
    char strategy[SP_PLAN_PROSE_STRATEGY_MAX]; /* paragraphs separated by "\n\n" */
    struct sp_plan_prose_item *checklist;      /* malloc'd */
    size_t n_checklist;
};

/* Word the finished plan for the profile it was built for (p may be NULL: no
 * letters or away rotations are then counted). It describes the optimizer's result
 * and never decides it: every statement about specialties, counts and signals is
 * read from the plan. Release with sp_plan_prose_release. Deterministic. */
void sp_plan_prose_init(struct sp_plan_prose *out, const struct sp_plan *plan,
                        const struct sp_profile *p);
void sp_plan_prose_release(struct sp_plan_prose *pr);

/* Why the program is in the plan, into buf (at most cap - 1 bytes; cap
 * SP_PLAN_PROSE_WHY_MAX for the documents): its tier and P(interview), its reasons
 * (enum sp_plan_reason) and what it adds. Returns buf. */
const char *sp_plan_prose_why(char *buf, size_t cap, const struct sp_plan_program *pp);

#endif
