/*
 * assets.h - the web app's files (web/), embedded in the binary at build time
 * (server/CMakeLists.txt generates the table), with their content types and
 * entity tags.
 */
#ifndef SP_SERVER_ASSETS_H
#define SP_SERVER_ASSETS_H

#include <stddef.h>

struct sp_asset {
    const char *name; /* "index.html", "js/app.js": the path under web/ */
    const char *data; /* embedded bytes (NUL after the last) */
    size_t len;
    const char *content_type; /* from the extension */
    char etag[24];            /* "\"<16 hex digits>\"" of the embedded bytes */
};

/* Fill in lengths and entity tags; once, before any thread looks anything up. */
void sp_assets_init(void);
/* The asset with exactly this name (no leading '/'), or NULL. */
const struct sp_asset *sp_assets_find(const char *name);
/* How many there are (0 when web/ was empty at build time). */
size_t sp_assets_count(void);
/* The content type for a file name's extension. */
const char *sp_assets_content_type(const char *name);
/* The entity tag of len bytes ("\"%016llx\"", FNV-1a 64) into out[24]. */
void sp_assets_etag(char out[24], const void *data, size_t len);

#endif
