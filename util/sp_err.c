/*
 * Error records: formatting into a fixed buffer, never allocating.
 */
#include "smartpick/error.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "banned.h"

int sp_err_set(struct sp_err *err, int code, const char *fmt, ...)
{
    va_list ap;

    if (!err)
        return code;
    err->code = code;
    va_start(ap, fmt);
    vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
    va_end(ap);
    return code;
}

void sp_err_prefix(struct sp_err *err, const char *prefix, const char *sep)
{
    char tmp[SP_ERR_MSG_MAX];

    if (!err || !prefix)
        return;
    snprintf(tmp, sizeof(tmp), "%s%s%s", prefix, sep, err->msg);
    memcpy(err->msg, tmp, sizeof(tmp));
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
