/*
 * Growable byte buffer with an optional size cap.
 */
#include "sp_buf.h"

#include "sp_alloc.h"
#include "smartpick/error.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "banned.h"

static int reserve(struct sp_buf *b, size_t extra)
{
    if (b->max && (extra > b->max || b->len > b->max - extra))
        return SP_ERANGE;
    SP_GROW(b->data, b->cap, b->len + extra + 1);
    return 0;
}

int sp_buf_add(struct sp_buf *b, const void *data, size_t len)
{
    if (reserve(b, len))
        return SP_ERANGE;
    if (len)
        memcpy(b->data + b->len, data, len);
    b->len += len;
    b->data[b->len] = '\0';
    return 0;
}

int sp_buf_adds(struct sp_buf *b, const char *s)
{
    return sp_buf_add(b, s, strlen(s));
}

int sp_buf_addc(struct sp_buf *b, char c)
{
    return sp_buf_add(b, &c, 1);
}

int sp_buf_vaddf(struct sp_buf *b, const char *fmt, va_list ap)
{
    va_list cp;
    int n;

    va_copy(cp, ap);
    n = vsnprintf(NULL, 0, fmt, cp);
    va_end(cp);
    if (n < 0)
        return SP_EINVAL;
    if (reserve(b, (size_t)n))
        return SP_ERANGE;
    vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
    b->len += (size_t)n;
    return 0;
}

int sp_buf_addf(struct sp_buf *b, const char *fmt, ...)
{
    va_list ap;
    int rc;

    va_start(ap, fmt);
    rc = sp_buf_vaddf(b, fmt, ap);
    va_end(ap);
    return rc;
}

void sp_buf_reset(struct sp_buf *b)
{
    b->len = 0;
    if (b->data)
        b->data[0] = '\0';
}

const char *sp_buf_cstr(const struct sp_buf *b)
{
    return b->data ? b->data : "";
}

char *sp_buf_detach(struct sp_buf *b, size_t *len_out)
{
    char *p = b->data ? b->data : sp_xstrdup("");

    if (len_out)
        *len_out = b->len;
    b->data = NULL;
    b->len = 0;
    b->cap = 0;
    return p;
}

void sp_buf_release(struct sp_buf *b)
{
    free(b->data);
    b->data = NULL;
    b->len = 0;
    b->cap = 0;
}
