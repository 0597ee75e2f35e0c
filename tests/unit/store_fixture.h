/*
 * store_fixture.h - a fresh database in its own temporary directory, for cmocka
 * group setup/teardown in the store tests. Header-only: each test program
 * includes it once.
 */
#ifndef SP_TEST_STORE_FIXTURE_H
#define SP_TEST_STORE_FIXTURE_H

#include "store.h"

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

struct fixture {
    char dir[64];
    char path[96];
    sp_store *st;
};

/* A new database under /tmp/sp-test-TAG-XXXXXX/sp.db, opened (and so seeded). */
static inline int store_fixture_setup(void **state, const char *tag)
{
    struct fixture *fx = calloc(1, sizeof(*fx));
    struct sp_err err = SP_ERR_INIT;

    if (!fx)
        return -1;
    snprintf(fx->dir, sizeof(fx->dir), "/tmp/sp-test-%s-XXXXXX", tag);
    if (!mkdtemp(fx->dir))
        return -1;
    snprintf(fx->path, sizeof(fx->path), "%s/sp.db", fx->dir);
    if (sp_store_open(&fx->st, fx->path, &err)) {
        fprintf(stderr, "open: %s\n", err.msg);
        return -1;
    }
    *state = fx;
    return 0;
}

static inline int store_fixture_teardown(void **state)
{
    struct fixture *fx = *state;
    char cmd[128];

    sp_store_close(fx->st);
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", fx->dir);
    if (system(cmd) != 0)
        return -1;
    free(fx);
    return 0;
}

#endif
