/*
 * sp_buf.h - a growable, always NUL-terminated byte buffer.
 *
 * Caller storage: initialise with SP_BUF_INIT, release with sp_buf_release().
 * max (0 = unlimited) caps the length: an append that would pass it appends
 * nothing and returns SP_ERANGE, so a buffer fed by untrusted input stays bounded.
 */
#ifndef SP_BUF_H
#define SP_BUF_H

#include <stdarg.h>
#include <stddef.h>

struct sp_buf {
    char *data; /* NUL-terminated once anything was appended; NULL before */
    size_t len;
    size_t cap;
    size_t max;
};

#define SP_BUF_INIT {.data = NULL} /* empty, unlimited; members not named are zero */

int sp_buf_add(struct sp_buf *b, const void *data, size_t len);
int sp_buf_adds(struct sp_buf *b, const char *s);
int sp_buf_addc(struct sp_buf *b, char c);
int sp_buf_addf(struct sp_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
int sp_buf_vaddf(struct sp_buf *b, const char *fmt, va_list ap);
/* Empty the buffer, keep its memory. */
void sp_buf_reset(struct sp_buf *b);
/* The contents as a C string ("" when empty); valid until the next append. */
const char *sp_buf_cstr(const struct sp_buf *b);
/* Hand the contents to the caller (free() it) and reset b. */
char *sp_buf_detach(struct sp_buf *b, size_t *len_out);
void sp_buf_release(struct sp_buf *b);

#endif
