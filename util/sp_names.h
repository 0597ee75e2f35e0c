/*
 * sp_names.h - the name tables of the small vocabularies: an enum whose values
 * 0..n-1 are spelled by an array of n strings (applicant types, visas, sources,
 * divisions, signals, objectives, ...). One lookup each way instead of a loop per
 * enum.
 */
#ifndef SP_NAMES_H
#define SP_NAMES_H

#include "smartpick/error.h"

#include <stddef.h>

/* names[v], or unknown when v is not below n. */
const char *sp_name_of(const char *const *names, size_t n, unsigned v, const char *unknown);
/* The index of name among names[first..n) (exact, case-sensitive), or -1. */
int sp_name_find(const char *const *names, size_t first, size_t n, const char *name);

/*
 * Defines the pair of an enum's name table:
 *   const char *PREFIX_name(TYPE v)    names[v], or unknown out of the table;
 *   int PREFIX_parse(TYPE *out, const char *name)
 *                                      the value spelled name among names[first..n),
 *                                      else SP_ENOTFOUND (out untouched).
 * Their prototypes stay in the enum's public header.
 */
#define SP_NAME_TABLE(prefix, type, names, first, n, unknown)                                      \
    const char *prefix##_name(type v)                                                              \
    {                                                                                              \
        return sp_name_of(names, n, (unsigned)v, unknown);                                         \
    }                                                                                              \
                                                                                                   \
    int prefix##_parse(type *out, const char *name)                                                \
    {                                                                                              \
        int i = sp_name_find(names, first, n, name);                                               \
                                                                                                   \
        if (i < 0)                                                                                 \
            return SP_ENOTFOUND;                                                                   \
        *out = (type)i;                                                                            \
        return 0;                                                                                  \
    }

#endif
