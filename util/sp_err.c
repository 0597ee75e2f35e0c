/*
 * Error records: formatting into a fixed buffer, never allocating; the field and
 * the reason kept beside the message, and the reasons' names (the HTTP API's
 * error codes).
 */
#include "smartpick/error.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "banned.h"

static const char *const why_names[SP_WHY_COUNT] = {
    [SP_WHY_NONE] = "internal",
    [SP_WHY_INVALID] = "invalid",
    [SP_WHY_UNKNOWN_FIELD] = "unknown_field",
    [SP_WHY_BAD_JSON] = "bad_json",
    [SP_WHY_NOT_FOUND] = "not_found",
    [SP_WHY_TOO_LARGE] = "too_large",
    [SP_WHY_MODEL] = "internal",
    [SP_WHY_INTERNAL] = "internal",
    [SP_WHY_METHOD_NOT_ALLOWED] = "method_not_allowed",
    [SP_WHY_UNSUPPORTED_MEDIA_TYPE] = "unsupported_media_type",
    [SP_WHY_FORBIDDEN] = "forbidden",
};

const char *sp_why_name(enum sp_why why)
{
    return (unsigned)why < SP_WHY_COUNT ? why_names[why] : "internal";
}

/* The message: head (may be "") then fmt; at counts the head's bytes kept. */
static void record(struct sp_err *err, int code, enum sp_why why, const char *field,
                   const char *head, const char *fmt, va_list ap)
{
    size_t n;

    err->code = code;
    err->why = why;
    snprintf(err->field, sizeof(err->field), "%s", field);
    n = (size_t)snprintf(err->msg, sizeof(err->msg), "%s", head);
    if (n >= sizeof(err->msg))
        n = sizeof(err->msg) - 1;
    err->at = (unsigned short)n;
    vsnprintf(err->msg + n, sizeof(err->msg) - n, fmt, ap);
}

int sp_err_set(struct sp_err *err, int code, const char *fmt, ...)
{
    va_list ap;

    if (!err)
        return code;
    va_start(ap, fmt);
    record(err, code, SP_WHY_NONE, "", "", fmt, ap);
    va_end(ap);
    return code;
}

int sp_err_at(struct sp_err *err, int code, enum sp_why why, const char *field, const char *fmt,
              ...)
{
    va_list ap;

    if (!err)
        return code;
    va_start(ap, fmt);
    record(err, code, why, field, field, fmt, ap);
    va_end(ap);
    return code;
}

int sp_err_doc(struct sp_err *err, int code, enum sp_why why, const char *name, const char *fmt,
               ...)
{
    va_list ap;

    if (!err)
        return code;
    va_start(ap, fmt);
    record(err, code, why, "", name, fmt, ap);
    va_end(ap);
    return code;
}

int sp_err_why(struct sp_err *err, int code, enum sp_why why, const char *field, const char *fmt,
               ...)
{
    va_list ap;

    if (!err)
        return code;
    va_start(ap, fmt);
    record(err, code, why, field, "", fmt, ap);
    va_end(ap);
    return code;
}

void sp_err_nest(struct sp_err *err, const char *parent)
{
    char tmp[SP_ERR_MSG_MAX];
    /* "parent.key", but "parent[0]" for an index; the document itself is parent. */
    const char *sep = err && err->field[0] == '[' ? "" : ".";
    size_t n;

    if (!err || !parent)
        return;
    snprintf(tmp, sizeof(tmp), "%s%s%s", parent, err->field[0] ? sep : "", err->field);
    snprintf(err->field, sizeof(err->field), "%.*s", (int)sizeof(err->field) - 1, tmp);
    n = strlen(parent) + (err->at > 0 ? strlen(sep) : 1);
    snprintf(tmp, sizeof(tmp), "%s%s%s", parent, err->at > 0 ? sep : ".", err->msg);
    memcpy(err->msg, tmp, sizeof(tmp));
    if (err->at > 0)
        err->at = (unsigned short)(err->at + n < sizeof(err->msg) ? err->at + n : 0);
}

void sp_err_prefix(struct sp_err *err, const char *prefix, const char *sep)
{
    char tmp[SP_ERR_MSG_MAX];

    if (!err || !prefix)
        return;
    snprintf(tmp, sizeof(tmp), "%s%s%s", prefix, sep, err->msg);
    memcpy(err->msg, tmp, sizeof(tmp));
    err->at = 0;
}
const char *sp_strerror(int code)
{
    switch (code) {
    case SP_OK:
        return "success";
    case SP_EINVAL:
        return "invalid input";
    case SP_ENOTFOUND:
        return "not found";
    case SP_ERANGE:
        return "out of range";
    case SP_EIO:
        return "input/output error";
    case SP_EDB:
        return "database error";
    case SP_ENOSTABLE:
        return "no stable matching found";
    default:
        return "unknown error";
    }
}
