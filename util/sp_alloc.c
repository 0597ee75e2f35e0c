/*
 * Allocation wrappers: abort on out-of-memory and on size overflow.
 */
#include "sp_alloc.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "banned.h"

static void die_oom(size_t size)
{
    fprintf(stderr, "smartpick: out of memory (%zu bytes)\n", size);
    abort();
}

void *sp_xmalloc(size_t size)
{
    void *p = malloc(size ? size : 1);

    if (!p)
        die_oom(size);
    return p;
}

void *sp_xcalloc(size_t n, size_t size)
{
    void *p = calloc(n ? n : 1, size ? size : 1);

    if (!p)
        die_oom(n * size);
    return p;
}

static void *sp_xrealloc(void *ptr, size_t size)
{
    void *p = realloc(ptr, size ? size : 1);

    if (!p)
        die_oom(size);
    return p;
}

void *sp_xreallocarray(void *ptr, size_t n, size_t size)
{
    if (size && n > SIZE_MAX / size)
        die_oom(SIZE_MAX);
    return sp_xrealloc(ptr, n * size);
}

static char *sp_xstrndup(const char *s, size_t len)
{
    char *p = sp_xmalloc(len + 1);

    memcpy(p, s, len);
    p[len] = '\0';
    return p;
}

char *sp_xstrdup(const char *s)
{
    return sp_xstrndup(s, strlen(s));
}

void *sp_grow(void *items, size_t *cap, size_t need, size_t size)
{
    size_t n = *cap;

    if (need <= n)
        return items;
    if (n < 8)
        n = 8;
    while (n < need) {
        if (n > SIZE_MAX / 2)
            die_oom(SIZE_MAX);
        n *= 2;
    }
    items = sp_xreallocarray(items, n, size);
    *cap = n;
    return items;
}
