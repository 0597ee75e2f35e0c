/*
 * Formats and the CSV field writer shared by every renderer.
 */
#include "render.h"

#include "smartpick/model/profile.h"
#include "sp_str.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "banned.h"

int sp_format_parse(enum sp_format *out, const char *name, struct sp_err *err)
{
    if (strcmp(name, "text") == 0 || strcmp(name, "table") == 0)
        *out = SP_FMT_TEXT;
    else if (strcmp(name, "csv") == 0)
        *out = SP_FMT_CSV;
    else if (strcmp(name, "json") == 0)
        *out = SP_FMT_JSON;
    else
        return sp_err_set(err, SP_EINVAL, "format: '%s' must be one of table, csv, json", name);
    return 0;
}

void sp_render_csv_field(struct sp_buf *out, const char *s)
{
    if (!strpbrk(s, ",\"\r\n")) {
        sp_buf_adds(out, s);
        return;
    }
    sp_buf_addc(out, '"');
    for (; *s; s++) {
        if (*s == '"')
            sp_buf_addc(out, '"');
        sp_buf_addc(out, *s);
    }
    sp_buf_addc(out, '"');
}

/* Append at most width display columns of s (UTF-8 aware), padded with spaces. */
void sp_render_padded(struct sp_buf *out, const char *s, size_t width)
{
    size_t cols = 0, i = 0, len = strlen(s);

    while (i < len) {
        size_t n = sp_utf8_len((unsigned char)s[i]);
        if (i + n > len)
            break;
        if (cols + 1 == width && i + n < len) {
            sp_buf_adds(out, "~");
            cols++;
            break;
        }
        sp_buf_add(out, s + i, n);
        i += n;
        cols++;
        if (cols == width)
            break;
    }
    while (cols++ < width)
        sp_buf_addc(out, ' ');
}

const char *sp_render_pct(char *buf, size_t cap, double p)
{
    if (p > 0.995)
        snprintf(buf, cap, ">99%%");
    else if (p > 0 && p < 0.005)
        snprintf(buf, cap, "<1%%");
    else
        snprintf(buf, cap, "%.0f%%", 100 * p);
    return buf;
}

const char *sp_render_one_in(char *buf, size_t cap, double p)
{
    double n = 1.0 / (1.0 - p), mag;

    if (!(p < 1)) {
        snprintf(buf, cap, "under 1 in 10,000");
        return buf;
    }
    mag = pow(10.0, floor(log10(n)) - 1);
    n = mag >= 1 ? round(n / mag) * mag : round(n);
    if (n > 10000)
        snprintf(buf, cap, "under 1 in 10,000");
    else
        snprintf(buf, cap, "about 1 in %.0f", n);
    return buf;
}

void sp_render_assumptions(struct sp_buf *out, const struct sp_profile *p)
{
    for (size_t i = 0; i < p->n_assumptions; i++)
        sp_buf_addf(out, "  %s = %s (%s)\n", p->assumptions[i].field, p->assumptions[i].value,
                    p->assumptions[i].why);
}
