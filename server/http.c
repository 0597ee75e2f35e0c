/*
 * The request-target parser: "/path?query" as it came off the wire, split and
 * percent-decoded by rules of our own rather than libmicrohttpd's, so that what
 * the router compares is exactly what this file produced.
 *
 * The path is decoded once. A path with a bad escape or an encoded NUL is not a
 * path (it matches nothing: 404); "%2e%2e" becomes ".." and then matches nothing
 * either, because the router compares whole paths with a fixed table and never
 * builds a file name from them. A double-encoded "%252e" decodes to "%2e", which
 * is not decoded again. In the query, '+' is a space and every part is decoded
 * the same way; a bad escape or more than SP_API_MAX_PARAMS parts makes the query
 * invalid (400), never silently truncated.
 */
#include "api.h"

#include "sp_alloc.h"

#include <stdlib.h>
#include <string.h>

#include "banned.h"

#define TARGET_MAX 8192

static int hexval(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* Decode s[0..len) into a new string; NULL on a bad escape or an encoded NUL. */
static char *decode(const char *s, size_t len, bool plus_is_space)
{
    char *out = sp_xmalloc(len + 1), *o = out;

    for (size_t i = 0; i < len; i++) {
        char c = s[i];
        if (c == '%') {
            int hi = len - i >= 3 ? hexval(s[i + 1]) : -1;
            int lo = hi >= 0 ? hexval(s[i + 2]) : -1;
            /* "%", "%4", "%zz" and "%00" (a NUL would cut the name short) */
            if (lo < 0 || (hi == 0 && lo == 0)) {
                free(out);
                return NULL;
            }
            *o++ = (char)(hi * 16 + lo);
            i += 2;
        } else if (c == '+' && plus_is_space) {
            *o++ = ' ';
        } else if (c == '\0') {
            free(out);
            return NULL;
        } else {
            *o++ = c;
        }
    }
    *o = '\0';
    return out;
}

static bool parse_query(struct sp_target *t, const char *q)
{
    const char *p = q;

    while (*p) {
        const char *amp = strchr(p, '&');
        size_t len = amp ? (size_t)(amp - p) : strlen(p);
        const char *eq = memchr(p, '=', len);
        struct sp_param *prm;
        if (len > 0) {
            if (t->n_params == SP_API_MAX_PARAMS)
                return false;
            prm = &t->params[t->n_params];
            prm->key = decode(p, eq ? (size_t)(eq - p) : len, true);
            prm->value = eq ? decode(eq + 1, len - (size_t)(eq - p) - 1, true) : sp_xstrdup("");
            if (!prm->key || !prm->value) {
                free(prm->key);
                free(prm->value);
                prm->key = prm->value = NULL;
                return false;
            }
            t->n_params++;
        }
        if (!amp)
            break;
        p = amp + 1;
    }
    return true;
}

void sp_target_parse(struct sp_target *out, const char *raw)
{
    size_t len = raw ? strlen(raw) : 0, path_len;
    const char *q;

    memset(out, 0, sizeof(*out));
    out->query_ok = true;
    if (len == 0 || len > TARGET_MAX || raw[0] != '/')
        return;
    q = strchr(raw, '?');
    path_len = q ? (size_t)(q - raw) : len;
    out->path = decode(raw, path_len, false);
    if (q) {
        out->params = sp_xcalloc(SP_API_MAX_PARAMS, sizeof(*out->params));
        out->query_ok = parse_query(out, q + 1);
    }
}

void sp_target_release(struct sp_target *t)
{
    if (!t)
        return;
    free(t->path);
    for (size_t i = 0; i < t->n_params; i++) {
        free(t->params[i].key);
        free(t->params[i].value);
    }
    free(t->params);
    memset(t, 0, sizeof(*t));
}
