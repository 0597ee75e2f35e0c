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
/* realloc of n elements of size bytes, aborting on overflow. */
void *sp_xreallocarray(void *ptr, size_t n, size_t size);
char *sp_xstrdup(const char *s);

/*
 * items, an array of *cap elements of size bytes, grown (by doubling, at least 8) to hold at
 * least need elements; *cap is updated. Returns the (possibly moved) array; aborts when the
 * byte size would overflow. Call it through SP_GROW.
 */
void *sp_grow(void *items, size_t *cap, size_t need, size_t size);

/*
 * SP_GROW(items, cap, need): grow the array pointer items (a T * lvalue, evaluated twice:
 * no side effects) whose capacity is the size_t lvalue cap, to hold need elements. The
 * element size comes from items' own type and the result is assigned back to items, so a
 * wrong size cannot be passed: an array or a non-pointer does not compile, nor (under
 * -Wpedantic -Werror) a void *, nor a cap that is not a size_t.
 */
#define SP_GROW(items, cap, need) ((items) = sp_grow((items), &(cap), (need), sizeof(*(items))))

#endif
