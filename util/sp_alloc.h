/*
 * sp_alloc.h - allocation that never returns NULL.
 *
 * Out of memory is not an expected failure: these abort with a message. Sizes are
 * overflow-checked. Free with free().
 */
#ifndef SP_ALLOC_H
#define SP_ALLOC_H

#include <stddef.h>

void *sp_xmalloc(size_t size);
void *sp_xcalloc(size_t n, size_t size);
void *sp_xrealloc(void *ptr, size_t size);
/* realloc of n elements of size bytes, aborting on overflow. */
void *sp_xreallocarray(void *ptr, size_t n, size_t size);
char *sp_xstrdup(const char *s);
char *sp_xstrndup(const char *s, size_t len);

/* Grow *items (of *cap elements of size bytes) to hold at least need elements. */
void sp_grow(void **items, size_t *cap, size_t need, size_t size);
#define SP_GROW(items, cap, need) sp_grow((void **)&(items), &(cap), (need), sizeof(*(items)))

#endif
