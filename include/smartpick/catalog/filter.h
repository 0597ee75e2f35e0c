/*
 * smartpick/catalog/filter.h - selecting and ordering catalog programs.
 *
 * Used by `smartpick programs`, the program browser and the planner's candidate
 * list. Pure: takes a frozen catalog and returns a new array the caller frees.
 */
#ifndef SMARTPICK_FILTER_H
#define SMARTPICK_FILTER_H

#include "smartpick/catalog/catalog.h"

enum sp_sort {
    SP_SORT_ID,
    SP_SORT_NAME,
    SP_SORT_DISTANCE,
    SP_SORT_STATE,
};

struct sp_filter {
    unsigned specialties;   /* bit mask of 1u << enum sp_specialty; 0 = all */
    const char *const *states; /* 2-letter codes; n_states 0 = all */
    size_t n_states;
    unsigned divisions;     /* bit mask of 1u << enum sp_division; 0 = all */
    bool has_origin;        /* compute distances from origin */
    struct sp_point origin;
    double radius_miles;    /* > 0: only programs within it (needs has_origin) */
    bool esir_only;         /* ESIR known to be offered */
    bool new_only;          /* flagged new in ERAS 2026 */
    bool do_friendly;       /* osteopathic recognition, or known %DO > 0 */
    enum sp_sort sort;
};

/* No filter: every program, ordered by ID; members not named are zero. */
#define SP_FILTER_INIT {.sort = SP_SORT_ID}

struct sp_program_hit {
    const struct sp_program *program; /* borrowed from the catalog */
    double distance_miles;            /* -1 without an origin */
};

/* Select and sort. *hits_out is malloc'd (free() it); *n_out may be 0. */
int sp_filter_run(struct sp_program_hit **hits_out, size_t *n_out, const sp_catalog *cat,
                  const struct sp_filter *f, struct sp_err *err);

#endif
