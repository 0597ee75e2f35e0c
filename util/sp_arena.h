/*
 * sp_arena.h - a bump allocator: many small allocations, one release.
 *
 * Caller storage (SP_ARENA_INIT). Allocations are 16-byte aligned and live until
 * sp_arena_release(). Not thread-safe: one arena per thread or per request.
 */
#ifndef SP_ARENA_H
#define SP_ARENA_H

#include <stddef.h>

struct sp_arena_block;

struct sp_arena {
    struct sp_arena_block *head;
    size_t used; /* bytes used in head */
    size_t size; /* capacity of head */
};

#define SP_ARENA_INIT {.head = NULL} /* empty; members not named are zero */

void *sp_arena_alloc(struct sp_arena *a, size_t size);
char *sp_arena_strdup(struct sp_arena *a, const char *s);
void sp_arena_release(struct sp_arena *a);

#endif
