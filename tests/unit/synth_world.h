/*
 * synth_world.h - a small world built in memory for the model and plan tests: a
 * catalog of n programs in each chosen specialty spread over eight states and two
 * cities per state, a selectivity per program spread over [-1, 1], the documented
 * priors as the model (sp_model_init_priors), and a middling US MD profile from
 * Ohio. No database and no data files, so the numbers depend only on the code under
 * test. Header-only: each test program includes it once.
 */
#ifndef SP_TEST_SYNTH_WORLD_H
#define SP_TEST_SYNTH_WORLD_H

#include "smartpick/catalog/catalog.h"
#include "smartpick/model/model.h"
#include "smartpick/model/profile.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct synth_world {
    sp_catalog *cat;
    struct sp_model m;
    double *q; /* per program, indexed like sp_catalog_programs() */
    size_t n_all;
};

static const struct {
    const char *state;
    enum sp_division division;
    const char *city[2];
    double lat, lon;
} synth_places[8] = {
    {"OH", SP_DIV_EAST_NORTH_CENTRAL, {"Columbus", "Cleveland"}, 40.0, -83.0},
    {"MA", SP_DIV_NEW_ENGLAND, {"Boston", "Worcester"}, 42.4, -71.1},
    {"NY", SP_DIV_MIDDLE_ATLANTIC, {"New York", "Rochester"}, 40.7, -74.0},
    {"TX", SP_DIV_WEST_SOUTH_CENTRAL, {"Dallas", "Houston"}, 32.8, -96.8},
    {"CA", SP_DIV_PACIFIC, {"Los Angeles", "San Diego"}, 34.1, -118.2},
    {"FL", SP_DIV_SOUTH_ATLANTIC, {"Miami", "Tampa"}, 25.8, -80.2},
    {"IL", SP_DIV_EAST_NORTH_CENTRAL, {"Chicago", "Peoria"}, 41.9, -87.6},
    {"CO", SP_DIV_MOUNTAIN, {"Denver", "Aurora"}, 39.7, -105.0},
};

/* The i-th program of specialty k: ID "<ACGME code>00<5 digits>", in state i mod 8,
 * city (i / 8) mod 2 of that state. */
static inline void synth_program_id(char *out, size_t cap, enum sp_specialty k, size_t i)
{
    snprintf(out, cap, "%s%07zu", sp_specialty_acgme(k), i + 1);
}

/* per_spec programs in each of specs[0..n_specs). The selectivity of the i-th
 * program of a specialty is spread over [-1, 1] by a stride coprime to eight, so
 * that selectivity and state are not aligned. */
static inline int synth_world_init(struct synth_world *w, const enum sp_specialty *specs,
                                   size_t n_specs, size_t per_spec)
{
    struct sp_err err = SP_ERR_INIT;
    const struct sp_program *all;

    memset(w, 0, sizeof(*w));
    w->cat = sp_catalog_new();
    for (size_t s = 0; s < n_specs; s++) {
        for (size_t i = 0; i < per_spec; i++) {
            struct sp_program prog;
            size_t at = i % 8;
            memset(&prog, 0, sizeof(prog));
            synth_program_id(prog.acgme_id, sizeof(prog.acgme_id), specs[s], i);
            prog.specialty = specs[s];
            prog.institution = "Synthetic Medical Center";
            prog.city = synth_places[at].city[(i / 8) % 2];
            memcpy(prog.state, synth_places[at].state, 3);
            prog.division = synth_places[at].division;
            prog.where = (struct sp_point){synth_places[at].lat, synth_places[at].lon};
            if (sp_catalog_add(w->cat, &prog, &err))
                goto fail;
        }
    }
    if (sp_catalog_freeze(w->cat, &err))
        goto fail;
    all = sp_catalog_programs(w->cat, &w->n_all);
    w->q = calloc(w->n_all ? w->n_all : 1, sizeof(double));
    for (size_t s = 0; s < n_specs; s++) {
        size_t n;
        const struct sp_program *const *progs = sp_catalog_by_specialty(w->cat, specs[s], &n);
        for (size_t i = 0; i < n; i++)
            w->q[progs[i] - all] =
                n > 1 ? -1.0 + 2.0 * (double)((i * 7) % n) / (double)(n - 1) : 0.0;
    }
    sp_model_init_priors(&w->m);
    sp_model_cache_quadrature(&w->m);
    return 0;
fail:
    fprintf(stderr, "synth_world: %s\n", err.msg);
    return -1;
}

static inline void synth_world_release(struct synth_world *w)
{
    sp_catalog_free(w->cat);
    free(w->q);
    memset(w, 0, sizeof(*w));
}

/* A cmocka group teardown: releases the world at *state, or the world that is the
 * first member of the calloc'ed fixture there, and frees it. */
static inline int synth_fixture_free(void **state)
{
    struct synth_world *w = *state;

    synth_world_release(w);
    free(w);
    return 0;
}

/* The i-th program of specialty k in w's catalog. */
static inline const struct sp_program *synth_program(const struct synth_world *w,
                                                     enum sp_specialty k, size_t i)
{
    char id[SP_ACGME_ID_LEN + 1];

    synth_program_id(id, sizeof(id), k, i);
    return sp_catalog_find(w->cat, id);
}

/* A middling US MD from Ohio (East North Central) applying to specs in that order:
 * Step 2 CK 245, 2 honors, a few research products, one letter from each specialty;
 * completed, so every other field has its documented default. */
static inline int synth_profile(struct sp_profile *p, const enum sp_specialty *specs,
                                size_t n_specs)
{
    struct sp_err err = SP_ERR_INIT;

    sp_profile_init(p);
    p->applicant_type = SP_APP_US_MD;
    p->step2_ck = 245;
    p->honors = 2;
    p->publications = 2;
    p->abstracts = 1;
    p->presentations = 1;
    for (int k = 0; k < SP_SPEC_COUNT; k++)
        p->letters[k] = 1;
    memcpy(p->home_state, "OH", 3);
    memcpy(p->school_state, "OH", 3);
    p->divisions[0] = SP_DIV_EAST_NORTH_CENTRAL;
    p->n_divisions = 1;
    for (size_t i = 0; i < n_specs; i++)
        p->specialties[i] = specs[i];
    p->n_specialties = n_specs;
    p->given = ~0u;
    if (sp_profile_complete(p, &err)) {
        fprintf(stderr, "synth_profile: %s\n", err.msg);
        return -1;
    }
    return 0;
}

#endif
