/*
 * Bump allocator over a chain of blocks.
 */
#include "sp_arena.h"

#include "sp_alloc.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "banned.h"

#define ARENA_BLOCK_MIN (64 * 1024)
#define ARENA_ALIGN 16

struct sp_arena_block {
    struct sp_arena_block *next;
    max_align_t align_; /* payload starts aligned */
};

static size_t payload_offset(void)
{
    return (sizeof(struct sp_arena_block) + ARENA_ALIGN - 1) & ~(size_t)(ARENA_ALIGN - 1);
}

void *sp_arena_alloc(struct sp_arena *a, size_t size)
{
    size_t need = (size + ARENA_ALIGN - 1) & ~(size_t)(ARENA_ALIGN - 1);

    if (need < size)
        abort();
    if (!a->head || a->size - a->used < need) {
        size_t cap = need > ARENA_BLOCK_MIN ? need : ARENA_BLOCK_MIN;
        struct sp_arena_block *b = sp_xmalloc(payload_offset() + cap);
        b->next = a->head;
        a->head = b;
        a->used = 0;
        a->size = cap;
    }
    void *p = (char *)a->head + payload_offset() + a->used;
    a->used += need;
    return p;
}

char *sp_arena_strdup(struct sp_arena *a, const char *s)
{
    size_t len = strlen(s) + 1;
    char *p = sp_arena_alloc(a, len);

    memcpy(p, s, len);
    return p;
}

void sp_arena_release(struct sp_arena *a)
{
    struct sp_arena_block *b = a->head;

    while (b) {
        struct sp_arena_block *next = b->next;
        free(b);
        b = next;
    }
    a->head = NULL;
    a->used = 0;
    a->size = 0;
}
