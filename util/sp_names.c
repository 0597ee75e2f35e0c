/*
 * The name tables of the small vocabularies (sp_names.h).
 */
#include "sp_names.h"

#include <string.h>

#include "banned.h"

const char *sp_name_of(const char *const *names, size_t n, unsigned v, const char *unknown)
{
    return v < n ? names[v] : unknown;
}

int sp_name_find(const char *const *names, size_t first, size_t n, const char *name)
{
    for (size_t i = first; i < n; i++) {
        if (strcmp(name, names[i]) == 0)
            return (int)i;
    }
    return -1;
}
