/*
 * sp_str.h - strict number parsing, UTF-8 lengths, string distance and file reading.
 */
#ifndef SP_STR_H
#define SP_STR_H

#include "sp_buf.h"
#include "smartpick/error.h"

#include <stdbool.h>
#include <stddef.h>

/* Parse all of s as a finite decimal number; SP_EINVAL on junk, empty or inf/nan. */
int sp_parse_double(double *out, const char *s);
/* Parse all of s as a base-10 integer in [min, max]; SP_EINVAL or SP_ERANGE. */
int sp_parse_long(long *out, const char *s, long min, long max);

/* Case-insensitive ASCII comparison. */
int sp_str_casecmp(const char *a, const char *b);
bool sp_str_eqi(const char *a, const char *b);

/* The bytes of the UTF-8 character whose first byte is lead: 2 to 4 for a lead
 * byte, else 1 (ASCII, or a stray continuation byte taken alone). */
size_t sp_utf8_len(unsigned char lead);

/* Levenshtein distance between a and b, ASCII case-insensitive, capped at cap. */
size_t sp_str_distance(const char *a, const char *b, size_t cap);

/* Read a whole file into out (appending). SP_EIO with err naming path and reason when it
 * cannot be read; SP_EINVAL for a directory; SP_ERANGE when it holds more than out->max. */
int sp_read_file(struct sp_buf *out, const char *path, struct sp_err *err);

#endif
