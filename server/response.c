/*
 * Responses and errors as the API defines them (docs/HTTP_API.md): every 4xx and
 * 5xx carries {"error": {"code", "message", "field"}}. A library error becomes one
 * by its reason and field (struct sp_err), never by reading its English. Also the
 * small request helpers every handler uses (query parameters, the {id} segment).
 */
#include "api.h"

#include "sp_str.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "banned.h"

void sp_api_err_vset(struct sp_api_err *e, unsigned status, enum sp_why why, const char *field,
                     const char *fmt, va_list ap)
{
    e->status = status;
    e->why = why;
    snprintf(e->field, sizeof(e->field), "%s", field ? field : "");
    vsnprintf(e->message, sizeof(e->message), fmt, ap);
}

void sp_api_err_set(struct sp_api_err *e, unsigned status, enum sp_why why, const char *field,
                    const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    sp_api_err_vset(e, status, why, field, fmt, ap);
    va_end(ap);
}

/* Whether s[0..n) is a plain JSON path: research.by_specialty.IR, interviews[2].x */
static bool is_path(const char *s, size_t n)
{
    if (n == 0)
        return false;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '_' || c == '.' || c == '[' || c == ']' || c == '-'))
            return false;
    }
    return true;
}

/* How much of a library error's field the API reports: all of a plain path. A
 * user's key can make it less: the API has always cut a field at a ',' or a ": " (a
 * key "a, b" reports the path up to "a"), and reports none when what is left holds
 * anything else (a space). */
static size_t reported_len(const char *field)
{
    size_t n = 0;

    while (field[n] && field[n] != ',' && !(field[n] == ':' && field[n + 1] == ' '))
        n++;
    return is_path(field, n) ? n : 0;
}

/* Whether field already names the document prefix (a key "profile" in a profile). */
static bool under(const char *field, const char *prefix)
{
    size_t n = strlen(prefix);

    return strlen(field) >= n && memcmp(field, prefix, n) == 0 &&
           (field[n] == '\0' || field[n] == '.' || field[n] == '[');
}

void sp_api_err_from(struct sp_api_err *e, const struct sp_err *err, const char *prefix)
{
    const char *msg = err->msg[0] ? err->msg : sp_strerror(err->code);
    const char *rest = err->at <= strlen(msg) ? msg + err->at : msg;
    const char *sep;
    size_t n = reported_len(err->field);

    if (err->code == SP_EDB || err->code == SP_EIO || err->why == SP_WHY_MODEL ||
        err->why == SP_WHY_INTERNAL) {
        sp_api_err_set(e, 500, SP_WHY_INTERNAL, NULL, "%s", msg);
        return;
    }
    /* The body's syntax and size are the server's own checks (bad_json, too_large);
     * what a library refuses in a document that parsed is invalid input. */
    e->why = err->why == SP_WHY_UNKNOWN_FIELD ? SP_WHY_UNKNOWN_FIELD : SP_WHY_INVALID;
    e->status = 400;
    if (!prefix || (err->field[0] && under(err->field, prefix))) {
        snprintf(e->message, sizeof(e->message), "%s", msg);
        snprintf(e->field, sizeof(e->field), "%.*s", (int)n, err->field);
        return;
    }
    /* The field under the document's key: "profile" + "research.x", "options" +
     * "[0]"; the document itself (field "") is the key alone. */
    sep = err->field[0] == '[' ? "" : ".";
    if (err->field[0] || !err->at)
        snprintf(e->message, sizeof(e->message), "%s%s%s", prefix, sep, msg);
    else
        snprintf(e->message, sizeof(e->message), "%s%s", prefix, rest);
    if (n)
        snprintf(e->field, sizeof(e->field), "%s%s%.*s", prefix, sep, (int)n, err->field);
    else
        snprintf(e->field, sizeof(e->field), "%s", prefix);
}

void sp_api_error_json(struct sp_buf *out, const struct sp_api_err *e)
{
    json_t *doc = json_pack("{s:{s:s, s:s, s:o}}", "error", "code", sp_why_name(e->why), "message",
                            e->message, "field", e->field[0] ? json_string(e->field) : json_null());
    char *text = doc ? json_dumps(doc, JSON_COMPACT) : NULL;

    /* A message cut inside a UTF-8 character makes json_pack fail: say so plainly. */
    sp_buf_adds(out, text ? text
                          : "{\"error\":{\"code\":\"internal\",\"message\":\"error message not "
                            "UTF-8\",\"field\":null}}");
    sp_buf_addc(out, '\n');
    free(text);
    json_decref(doc);
}

void sp_api_fail(struct sp_api *a, const struct sp_api_err *e)
{
    struct sp_buf buf = SP_BUF_INIT;

    sp_api_error_json(&buf, e);
    sp_api_reply(a, e->status, "application/json", &buf);
}

void sp_api_failf(struct sp_api *a, unsigned status, enum sp_why why, const char *field,
                  const char *fmt, ...)
{
    struct sp_api_err e;
    va_list ap;

    va_start(ap, fmt);
    sp_api_err_vset(&e, status, why, field, fmt, ap);
    va_end(ap);
    sp_api_fail(a, &e);
}

void sp_api_reply(struct sp_api *a, unsigned status, const char *content_type, struct sp_buf *buf)
{
    sp_buf_release(&a->res.body);
    a->res.status = status;
    a->res.content_type = content_type;
    a->res.body = *buf;
    a->res.static_body = NULL;
    a->res.static_len = 0;
    memset(buf, 0, sizeof(*buf));
}

void sp_api_reply_json(struct sp_api *a, unsigned status, json_t *v)
{
    struct sp_buf buf = SP_BUF_INIT;
    /* Ten significant digits: 0.9875 stays 0.9875, not 0.98750000000000004. */
    char *text = v ? json_dumps(v, JSON_COMPACT | JSON_REAL_PRECISION(10)) : NULL;

    json_decref(v);
    if (!text) {
        sp_api_failf(a, 500, SP_WHY_INTERNAL, NULL, "could not encode the response");
        return;
    }
    sp_buf_adds(&buf, text);
    sp_buf_addc(&buf, '\n');
    free(text);
    sp_api_reply(a, status, "application/json", &buf);
}

void sp_api_header(struct sp_api *a, const char *name, const char *fmt, ...)
{
    struct sp_header *h;
    va_list ap;

    if (a->res.n_headers == SP_API_MAX_HEADERS)
        return;
    h = &a->res.headers[a->res.n_headers++];
    h->name = name;
    va_start(ap, fmt);
    vsnprintf(h->value, sizeof(h->value), fmt, ap);
    va_end(ap);
}

const char *sp_api_param(const struct sp_api *a, const char *key)
{
    for (size_t i = 0; i < a->target->n_params; i++) {
        if (strcmp(a->target->params[i].key, key) == 0)
            return a->target->params[i].value;
    }
    return NULL;
}

int sp_api_query_only(struct sp_api *a, const char *const *allowed)
{
    if (!a->target->query_ok) {
        sp_api_failf(a, 400, SP_WHY_INVALID, "query",
                     "query: must be key=value pairs, percent-encoded, at most %d",
                     SP_API_MAX_PARAMS);
        return SP_EINVAL;
    }
    for (size_t i = 0; i < a->target->n_params; i++) {
        const char *key = a->target->params[i].key;
        bool ok = false;
        for (size_t k = 0; allowed && allowed[k] && !ok; k++)
            ok = strcmp(key, allowed[k]) == 0;
        if (!ok) {
            char list[160] = "";
            size_t len;
            for (size_t k = 0; allowed && allowed[k]; k++) {
                len = strlen(list);
                snprintf(list + len, sizeof(list) - len, "%s%s", k ? ", " : "", allowed[k]);
            }
            sp_api_failf(a, 400, SP_WHY_UNKNOWN_FIELD, "query",
                         "query: unknown parameter '%.40s' (%s%s)", key,
                         list[0] ? "expected one of: " : "this endpoint takes none", list);
            return SP_EINVAL;
        }
    }
    return 0;
}

int sp_api_path_id(struct sp_api *a, int64_t *out, const char *what)
{
    long v;

    /* 2^53: ids stay exact in every JSON reader, JavaScript's included. */
    if (!a->path_id || sp_parse_long(&v, a->path_id, 1, 9007199254740992L) ||
        strspn(a->path_id, "0123456789") != strlen(a->path_id)) {
        sp_api_failf(a, 404, SP_WHY_NOT_FOUND, "id", "id: '%.40s' is not a saved %s",
                     a->path_id ? a->path_id : "", what);
        return SP_ENOTFOUND;
    }
    *out = v;
    return 0;
}
