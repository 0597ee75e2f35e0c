/*
 * The embedded web assets: a table generated from web/ at configure time, looked
 * up by exact name. Nothing here touches the file system; `--web-root` (server.c)
 * reads only the names this table holds.
 */
#include "assets.h"

#include <stdio.h>
#include <string.h>

#include "banned.h"

#define SP_ASSET(i, name) extern const char sp_asset_##i##_start[], sp_asset_##i##_end[];
#include "asset_list.h"
#undef SP_ASSET

static struct sp_asset assets[] = {
#define SP_ASSET(i, name) {name, sp_asset_##i##_start, 0, NULL, {0}},
#include "asset_list.h"
#undef SP_ASSET
    {NULL, NULL, 0, NULL, {0}}, /* keeps the array non-empty when web/ is */
};

static const char *const ends[] = {
#define SP_ASSET(i, name) sp_asset_##i##_end,
#include "asset_list.h"
#undef SP_ASSET
    NULL,
};

#define N_ASSETS (sizeof(assets) / sizeof(assets[0]) - 1)

static const struct {
    const char *ext;
    const char *type;
} types[] = {
    {".html", "text/html; charset=utf-8"},
    {".js", "text/javascript; charset=utf-8"},
    {".mjs", "text/javascript; charset=utf-8"},
    {".css", "text/css; charset=utf-8"},
    {".json", "application/json"},
    {".webmanifest", "application/manifest+json"},
    {".svg", "image/svg+xml"},
    {".png", "image/png"},
    {".jpg", "image/jpeg"},
    {".jpeg", "image/jpeg"},
    {".gif", "image/gif"},
    {".webp", "image/webp"},
    {".ico", "image/x-icon"},
    {".woff2", "font/woff2"},
    {".woff", "font/woff"},
    {".txt", "text/plain; charset=utf-8"},
    {".md", "text/plain; charset=utf-8"},
    {".csv", "text/csv; charset=utf-8"},
};

const char *sp_assets_content_type(const char *name)
{
    const char *dot = strrchr(name, '.');

    for (size_t i = 0; dot && i < sizeof(types) / sizeof(types[0]); i++) {
        if (strcmp(dot, types[i].ext) == 0)
            return types[i].type;
    }
    return "application/octet-stream";
}

void sp_assets_etag(char out[24], const void *data, size_t len)
{
    const unsigned char *p = data;
    unsigned long long h = 0xcbf29ce484222325ULL;

    for (size_t i = 0; i < len; i++) {
        h ^= p[i];
        h *= 0x100000001b3ULL;
    }
    snprintf(out, 24, "\"%016llx\"", h);
}

void sp_assets_init(void)
{
    for (size_t i = 0; i < N_ASSETS; i++) {
        assets[i].len = (size_t)(ends[i] - assets[i].data);
        assets[i].content_type = sp_assets_content_type(assets[i].name);
        sp_assets_etag(assets[i].etag, assets[i].data, assets[i].len);
    }
}

const struct sp_asset *sp_assets_find(const char *name)
{
    for (size_t i = 0; i < N_ASSETS; i++) {
        if (strcmp(assets[i].name, name) == 0)
            return &assets[i];
    }
    return NULL;
}

size_t sp_assets_count(void)
{
    return N_ASSETS;
}
