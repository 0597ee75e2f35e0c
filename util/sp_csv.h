/*
 * sp_csv.h - a strict RFC 4180 CSV reader over a buffer in memory.
 *
 * Accepts: a UTF-8 byte-order mark at the start, LF or CRLF line ends, quoted
 * fields with "" escapes and embedded commas and newlines, a last line without a
 * line end. Skips lines that are entirely empty. Rejects, with "line:column: rule":
 * a quote inside an unquoted field, text after a closing quote, an unterminated
 * quoted field, a NUL byte, a field longer than the cap.
 *
 * The reader borrows the input buffer; it must outlive the reader. A record's
 * fields are valid until the next sp_csv_next() call.
 */
#ifndef SP_CSV_H
#define SP_CSV_H

#include "sp_buf.h"
#include "smartpick/error.h"

#include <stddef.h>

#define SP_CSV_FIELD_MAX_DEFAULT 4096

struct sp_csv_field {
    const char *data; /* NUL-terminated, quotes removed */
    size_t len;
    unsigned line; /* where the field starts, 1-based */
    unsigned col;  /* byte column where the field starts, 1-based */
};

struct sp_csv_record {
    const struct sp_csv_field *fields;
    size_t n_fields;
    unsigned line; /* line where the record starts */
};

struct sp_csv {
    const char *p;
    const char *end;
    const char *line_start;
    unsigned line;
    size_t field_max;
    struct sp_buf text;           /* field bytes of the current record */
    struct sp_csv_field *fields;
    size_t *offsets;              /* start of each field in text */
    size_t cap_fields;
    size_t cap_offsets;
};

/* Start reading data[0..len). field_max 0 means SP_CSV_FIELD_MAX_DEFAULT. */
void sp_csv_init(struct sp_csv *r, const char *data, size_t len, size_t field_max);

/* Read the next record into *out: 1 read, 0 end of input, SP_EINVAL with err set. */
int sp_csv_next(struct sp_csv *r, struct sp_csv_record *out, struct sp_err *err);

void sp_csv_release(struct sp_csv *r);

#endif
