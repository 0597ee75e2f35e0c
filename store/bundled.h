/*
 * bundled.h - the data/ files (CSVs and model.json), embedded in the binary at build time so the
 * database can be created on first use with no setup step and no path lookup.
 */
#ifndef SP_BUNDLED_H
#define SP_BUNDLED_H

#include <stddef.h>

struct sp_bundled_file {
    const char *name; /* "programs.csv" */
    const char *data;
    size_t len;
};

/* Fill *out with the file of this name: 0, or SP_ENOTFOUND. Thread-safe (the
 * table is read-only). */
int sp_bundled_find(struct sp_bundled_file *out, const char *name);

#endif
