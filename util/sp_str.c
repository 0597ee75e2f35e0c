/*
 * Small string helpers: strict parsing (no atoi), the length of a UTF-8
 * character, edit distance for "did you mean" suggestions, and whole-file reading.
 */
#include "sp_str.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "banned.h"

int sp_parse_double(double *out, const char *s)
{
    char *end;
    double v;

    /* Decimal only: strtod would also read hexadecimal ("0x10" is 16), inf and nan. */
    if (!s || !*s || s[strspn(s, "+-.0123456789eE")] != '\0')
        return SP_EINVAL;
    errno = 0;
    v = strtod(s, &end);
    if (*end != '\0' || errno == ERANGE || !isfinite(v))
        return SP_EINVAL;
    *out = v;
    return 0;
}

int sp_parse_long(long *out, const char *s, long min, long max)
{
    char *end;
    long v;

    if (!s || !*s || isspace((unsigned char)*s))
        return SP_EINVAL;
    errno = 0;
    v = strtol(s, &end, 10);
    if (*end != '\0')
        return SP_EINVAL;
    if (errno == ERANGE || v < min || v > max)
        return SP_ERANGE;
    *out = v;
    return 0;
}

int sp_str_casecmp(const char *a, const char *b)
{
    for (;; a++, b++) {
        int ca = tolower((unsigned char)*a);
        int cb = tolower((unsigned char)*b);
        if (ca != cb || !ca)
            return ca - cb;
    }
}

bool sp_str_eqi(const char *a, const char *b)
{
    return sp_str_casecmp(a, b) == 0;
}

size_t sp_utf8_len(unsigned char lead)
{
    if (lead >= 0xF0)
        return 4;
    if (lead >= 0xE0)
        return 3;
    if (lead >= 0xC0)
        return 2;
    return 1;
}

size_t sp_str_distance(const char *a, const char *b, size_t cap)
{
    size_t la = strlen(a), lb = strlen(b);
    size_t row[64];

    /* Names we compare are short; longer ones are simply "far". */
    if (lb >= 64 || la >= 64)
        return cap;
    for (size_t j = 0; j <= lb; j++)
        row[j] = j;
    for (size_t i = 1; i <= la; i++) {
        size_t diag = row[0];
        size_t best;
        row[0] = i;
        best = row[0];
        for (size_t j = 1; j <= lb; j++) {
            size_t up = row[j];
            size_t cost = tolower((unsigned char)a[i - 1]) != tolower((unsigned char)b[j - 1]);
            size_t v = diag + cost;
            if (row[j - 1] + 1 < v)
                v = row[j - 1] + 1;
            if (up + 1 < v)
                v = up + 1;
            row[j] = v;
            diag = up;
            if (v < best)
                best = v;
        }
        if (best >= cap)
            return cap;
    }
    return row[lb] < cap ? row[lb] : cap;
}

int sp_read_file(struct sp_buf *out, const char *path, struct sp_err *err)
{
    char chunk[65536];
    FILE *f = fopen(path, "rb");
    struct stat st;
    int rc = 0;

    if (!f)
        return sp_err_set(err, SP_EIO, "%s: %s", path, strerror(errno));
    /* Bad input, not a failure to read: a directory, or more than the caller takes. */
    if (fstat(fileno(f), &st) == 0 && S_ISDIR(st.st_mode)) {
        rc = sp_err_set(err, SP_EINVAL, "%s: is a directory, not a file", path);
        goto out;
    }
    if (out->max && S_ISREG(st.st_mode) && (uintmax_t)st.st_size > out->max) {
        rc = sp_err_set(err, SP_ERANGE, "%s: too large (%ju > %zu bytes)", path,
                        (uintmax_t)st.st_size, out->max);
        goto out;
    }
    for (;;) {
        size_t n = fread(chunk, 1, sizeof(chunk), f);
        if (n && sp_buf_add(out, chunk, n)) {
            rc = sp_err_set(err, SP_ERANGE, "%s: too large (more than %zu bytes)", path, out->max);
            goto out;
        }
        if (n < sizeof(chunk))
            break;
    }
    if (ferror(f))
        rc = sp_err_set(err, SP_EIO, "%s: read failed", path);
out:
    fclose(f);
    return rc;
}
