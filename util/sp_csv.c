/*
 * Strict CSV reader (RFC 4180 plus BOM, bare LF and blank-line skipping).
 * One pass over the bytes; field text is copied unescaped into one buffer per
 * record so quoted and unquoted fields look the same to the caller.
 */
#include "sp_csv.h"

#include "sp_alloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "banned.h"

void sp_csv_init(struct sp_csv *r, const char *data, size_t len, size_t field_max)
{
    memset(r, 0, sizeof(*r));
    r->p = data;
    r->end = data + len;
    if (len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0)
        r->p += 3;
    r->line_start = r->p;
    r->line = 1;
    r->field_max = field_max ? field_max : SP_CSV_FIELD_MAX_DEFAULT;
}

void sp_csv_release(struct sp_csv *r)
{
    sp_buf_release(&r->text);
    free(r->fields);
    free(r->offsets);
    r->fields = NULL;
    r->offsets = NULL;
}

static unsigned column_of(const struct sp_csv *r, const char *at)
{
    return (unsigned)(at - r->line_start) + 1;
}

/* Consume a line end at r->p (LF, CRLF or lone CR); returns 1 if one was there. */
static int eat_newline(struct sp_csv *r)
{
    if (r->p < r->end && *r->p == '\r') {
        r->p++;
        if (r->p < r->end && *r->p == '\n')
            r->p++;
    } else if (r->p < r->end && *r->p == '\n') {
        r->p++;
    } else {
        return 0;
    }
    r->line++;
    r->line_start = r->p;
    return 1;
}

static int is_newline(char c)
{
    return c == '\n' || c == '\r';
}

static int fail(struct sp_err *err, unsigned line, unsigned col, const char *rule)
{
    return sp_err_set(err, SP_EINVAL, "%u:%u: %s", line, col, rule);
}

static int put(struct sp_csv *r, char c, unsigned line, unsigned col, struct sp_err *err,
               size_t start)
{
    if (r->text.len - start >= r->field_max) {
        char rule[64];
        snprintf(rule, sizeof(rule), "field longer than %zu bytes", r->field_max);
        return fail(err, line, col, rule);
    }
    sp_buf_addc(&r->text, c);
    return 0;
}

/* Read one field starting at r->p; leaves r->p on the separator, line end or end. */
static int read_field(struct sp_csv *r, struct sp_csv_field *f, struct sp_err *err)
{
    size_t start = r->text.len;
    int rc;

    f->line = r->line;
    f->col = column_of(r, r->p);
    if (r->p < r->end && *r->p == '"') {
        r->p++;
        for (;;) {
            if (r->p >= r->end)
                return fail(err, f->line, f->col, "unterminated quoted field");
            if (*r->p == '\0')
                return fail(err, r->line, column_of(r, r->p), "NUL byte in input");
            if (*r->p == '"') {
                if (r->p + 1 < r->end && r->p[1] == '"') {
                    rc = put(r, '"', f->line, f->col, err, start);
                    if (rc)
                        return rc;
                    r->p += 2;
                    continue;
                }
                r->p++;
                break;
            }
            if (is_newline(*r->p)) {
                int crlf = *r->p == '\r' && r->p + 1 < r->end && r->p[1] == '\n';
                rc = put(r, '\n', f->line, f->col, err, start);
                if (rc)
                    return rc;
                r->p += crlf ? 2 : 1;
                r->line++;
                r->line_start = r->p;
                continue;
            }
            rc = put(r, *r->p, f->line, f->col, err, start);
            if (rc)
                return rc;
            r->p++;
        }
        if (r->p < r->end && *r->p != ',' && !is_newline(*r->p))
            return fail(err, r->line, column_of(r, r->p), "text after closing quote");
    } else {
        while (r->p < r->end && *r->p != ',' && !is_newline(*r->p)) {
            if (*r->p == '"')
                return fail(err, r->line, column_of(r, r->p), "quote inside unquoted field");
            if (*r->p == '\0')
                return fail(err, r->line, column_of(r, r->p), "NUL byte in input");
            rc = put(r, *r->p, f->line, f->col, err, start);
            if (rc)
                return rc;
            r->p++;
        }
    }
    sp_buf_addc(&r->text, '\0');
    f->len = r->text.len - start - 1;
    return 0;
}

int sp_csv_next(struct sp_csv *r, struct sp_csv_record *out, struct sp_err *err)
{
    size_t n = 0;
    int rc;

    /* Skip blank lines. */
    while (r->p < r->end && is_newline(*r->p))
        eat_newline(r);
    if (r->p >= r->end)
        return 0;

    sp_buf_reset(&r->text);
    out->line = r->line;
    for (;;) {
        SP_GROW(r->fields, r->cap_fields, n + 1);
        SP_GROW(r->offsets, r->cap_offsets, n + 1);
        r->offsets[n] = r->text.len;
        rc = read_field(r, &r->fields[n], err);
        if (rc)
            return rc;
        n++;
        if (r->p < r->end && *r->p == ',') {
            r->p++;
            continue;
        }
        eat_newline(r);
        break;
    }
    /* The text buffer may have moved while growing: point fields at it now. */
    for (size_t i = 0; i < n; i++)
        r->fields[i].data = r->text.data + r->offsets[i];
    out->fields = r->fields;
    out->n_fields = n;
    return 1;
}
