/*
 * Reader for the SmartPick match CSV (docs/MATCH.md "CSV input"): the peer format's
 * records with string IDs, one row each, so a spreadsheet can hold a mock match.
 *
 *   type,id,...                                    header (further cells ignored)
 *   program,ID,CAPACITY,TRACK,APPLICANT...         TRACK empty or "-" = categorical
 *   applicant,ID,PROGRAM...
 *   supplemental,APPLICANT,PGY1-PROGRAM...
 *   couple,ID,MEMBER1,MEMBER2,P1a,P1b,P2a,P2b...   "-" = unmatched for that member
 *
 * Empty cells at the end of a row are ignored (spreadsheets pad rows); an empty cell
 * before a non-empty one is an error. Applicants are declared by applicant rows and by
 * couples, in row order; programs in row order. Rows are read into memory first, since a
 * list may name an ID declared further down.
 */
#include "match_internal.h"

#include "sp_alloc.h"
#include "sp_arena.h"
#include "sp_csv.h"
#include "sp_str.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "banned.h"

enum row_type { ROW_PROGRAM, ROW_APPLICANT, ROW_SUPPLEMENTAL, ROW_COUPLE };

struct row {
    enum row_type type;
    unsigned line;
    size_t n;       /* fields after the type, trailing empties dropped */
    const char **f; /* f[0] is the ID */
};

static const char *const type_names[] = {"program", "applicant", "supplemental", "couple"};

static int parse_type(enum row_type *out, const char *s)
{
    for (unsigned i = 0; i < 4; i++) {
        if (sp_str_eqi(s, type_names[i])) {
            *out = (enum row_type)i;
            return 0;
        }
    }
    return SP_EINVAL;
}

/* Rewrite the CSV reader's "L:C: rule" as "line L, column C: rule". */
static int csv_fail(struct sp_err *err)
{
    unsigned line, col;
    int used = 0;
    char rule[SP_ERR_MSG_MAX];

    if (err && sscanf(err->msg, "%u:%u: %n", &line, &col, &used) == 2 && used > 0) {
        snprintf(rule, sizeof(rule), "%s", err->msg + used);
        sp_err_set(err, SP_EINVAL, "line %u, column %u: %s", line, col, rule);
    }
    return SP_EINVAL;
}

static int read_rows(struct row **rows_out, size_t *n_out, struct sp_arena *arena, const char *data,
                     size_t len, struct sp_err *err)
{
    struct sp_csv csv;
    struct sp_csv_record rec;
    struct row *rows = NULL;
    size_t n_rows = 0, cap_rows = 0;
    bool header = false;
    int rc;

    sp_csv_init(&csv, data, len, SP_MATCH_ID_MAX + 16);
    while ((rc = sp_csv_next(&csv, &rec, err)) == 1) {
        if (!header) {
            if (rec.n_fields < 2 || !sp_str_eqi(rec.fields[0].data, "type") ||
                !sp_str_eqi(rec.fields[1].data, "id")) {
                rc = sp_match__fail(err, SP_EINVAL, rec.line,
                                    "the first row must be the header 'type,id,...'");
                goto out;
            }
            header = true;
            continue;
        }
        size_t n = rec.n_fields;
        while (n > 0 && rec.fields[n - 1].len == 0)
            n--;
        if (n == 0)
            continue;
        struct row r;
        if (parse_type(&r.type, rec.fields[0].data)) {
            rc = sp_match__fail(err, SP_EINVAL, rec.line,
                                "type '%.40s' must be program, applicant, supplemental or couple",
                                rec.fields[0].data);
            goto out;
        }
        r.line = rec.line;
        r.n = n - 1;
        if (r.n == 0) {
            rc = sp_match__fail(err, SP_EINVAL, rec.line, "'%s' row needs an ID",
                                type_names[r.type]);
            goto out;
        }
        const char **f = sp_arena_alloc(arena, (r.n + 1) * sizeof(*f));
        for (size_t i = 1; i < n; i++) {
            const struct sp_csv_field *fl = &rec.fields[i];
            /* a program's track cell may be left empty (categorical) */
            if (fl->len == 0 && !(r.type == ROW_PROGRAM && i == 3)) {
                rc = sp_match__fail(err, SP_EINVAL, rec.line,
                                    "cell %zu is empty (only trailing cells may be empty)", i + 1);
                goto out;
            }
            if (strlen(fl->data) != fl->len) {
                rc = sp_match__fail(err, SP_EINVAL, rec.line, "cell %zu holds a NUL byte", i + 1);
                goto out;
            }
            f[i - 1] = sp_arena_strdup(arena, fl->data);
        }
        r.f = f;
        SP_GROW(rows, cap_rows, n_rows + 1);
        rows[n_rows++] = r;
    }
    if (rc < 0) {
        csv_fail(err);
        goto out;
    }
    if (!header) {
        rc = sp_err_set(err, SP_EINVAL, "line 1: empty file (expected the header 'type,id,...')");
        goto out;
    }
    rc = 0;
out:
    sp_csv_release(&csv);
    if (rc) {
        free(rows);
        rows = NULL;
        n_rows = 0;
    }
    *rows_out = rows;
    *n_out = n_rows;
    return rc;
}

static int need_fields(const struct row *r, size_t n, const char *what, struct sp_err *err)
{
    if (r->n < n)
        return sp_match__fail(err, SP_EINVAL, r->line, "'%s' row needs %s", type_names[r->type],
                              what);
    return 0;
}

/* Declare the row's entities. owner_row[a] remembers where applicant a was declared. */
static int declare(sp_match_instance *in, const struct row *r, unsigned **decl_line,
                   enum row_type **decl_type, size_t *cap, struct sp_err *err)
{
    int rc;

    switch (r->type) {
    case ROW_PROGRAM: {
        long capacity;
        enum sp_track track = SP_TRACK_CATEGORICAL;
        if ((rc = need_fields(r, 2, "an ID and a capacity", err)))
            return rc;
        rc = sp_parse_long(&capacity, r->f[1], -1000000000L, 1000000000L);
        if (rc)
            return sp_match__fail(err, SP_EINVAL, r->line,
                                  "program '%s': capacity '%.20s' is not a whole number", r->f[0],
                                  r->f[1]);
        if (r->n >= 3 && r->f[2][0] && strcmp(r->f[2], "-") != 0 && sp_track_parse(&track, r->f[2]))
            return sp_match__fail(err, SP_EINVAL, r->line,
                                  "program '%s': track '%.20s' must be categorical, advanced or "
                                  "preliminary",
                                  r->f[0], r->f[2]);
        rc = sp_match_add_program(in, r->f[0], capacity, track, r->line, err);
        return rc < 0 ? rc : 0;
    }
    case ROW_APPLICANT:
    case ROW_COUPLE: {
        size_t first = r->type == ROW_APPLICANT ? 0 : 1;
        size_t last = r->type == ROW_APPLICANT ? 0 : 2;
        if (r->type == ROW_COUPLE && (rc = need_fields(r, 3, "an ID and two member IDs", err)))
            return rc;
        for (size_t i = first; i <= last; i++) {
            int a = sp_match_find_applicant(in, r->f[i]);
            if (a >= 0) {
                enum row_type was = (*decl_type)[a];
                unsigned at = (*decl_line)[a];
                if (was == ROW_COUPLE && r->type == ROW_COUPLE)
                    return sp_match__fail(err, SP_EINVAL, r->line,
                                          "applicant '%s' is in two couples (first on line %u)",
                                          r->f[i], at);
                if (was != r->type)
                    return sp_match__fail(err, SP_EINVAL, r->line,
                                          "applicant '%s' is a couple member (line %u) and has "
                                          "its own applicant row (line %u); couple members rank "
                                          "only through the couple",
                                          r->f[i], was == ROW_COUPLE ? at : r->line,
                                          was == ROW_COUPLE ? r->line : at);
            }
            rc = sp_match_add_applicant(in, r->f[i], r->line, err);
            if (rc < 0)
                return rc;
            size_t idx = (size_t)rc;
            if (idx >= *cap) {
                size_t c1 = *cap, c2 = *cap;
                SP_GROW(*decl_line, c1, idx + 1);
                SP_GROW(*decl_type, c2, idx + 1);
                *cap = c1 < c2 ? c1 : c2;
            }
            (*decl_line)[idx] = r->line;
            (*decl_type)[idx] = r->type;
        }
        return 0;
    }
    default:
        return 0;
    }
}

static int lists(sp_match_instance *in, const struct row *r, int32_t **buf, size_t *cap,
                 struct sp_err *err)
{
    size_t first = r->type == ROW_PROGRAM ? 3 : r->type == ROW_COUPLE ? 3 : 1;
    size_t n = r->n > first ? r->n - first : 0;
    int rc;

    /* A program row's track cell is optional: with 3+ cells, the third is the track. */
    if (r->type == ROW_PROGRAM && r->n < 3)
        n = 0;
    SP_GROW(*buf, *cap, n + 1);
    for (size_t i = 0; i < n; i++) {
        const char *name = r->f[first + i];
        int idx;
        if (r->type == ROW_PROGRAM) {
            idx = sp_match_find_applicant(in, name);
            if (idx < 0)
                return sp_match__fail(err, SP_EINVAL, r->line,
                                      "program '%s' ranks applicant '%s', which is not declared",
                                      r->f[0], name);
        } else if (r->type == ROW_COUPLE && strcmp(name, "-") == 0) {
            idx = -1;
        } else {
            idx = sp_match_find_program(in, name);
            if (idx < 0)
                return sp_match__fail(
                    err, SP_EINVAL, r->line, "%s '%s' ranks program '%s', which is not declared",
                    r->type == ROW_COUPLE ? "couple" : "applicant", r->f[0], name);
        }
        (*buf)[i] = idx;
    }
    switch (r->type) {
    case ROW_PROGRAM:
        return sp_match_set_program_rol(in, sp_match_find_program(in, r->f[0]), *buf, n, r->line,
                                        err);
    case ROW_APPLICANT:
        return sp_match_set_rol(in, sp_match_find_applicant(in, r->f[0]), *buf, n, r->line, err);
    case ROW_SUPPLEMENTAL: {
        int a = sp_match_find_applicant(in, r->f[0]);
        if (a < 0)
            return sp_match__fail(err, SP_EINVAL, r->line,
                                  "supplemental list for applicant '%s', which is not declared",
                                  r->f[0]);
        return sp_match_set_supplemental(in, a, *buf, n, r->line, err);
    }
    default:
        if (n % 2)
            return sp_match__fail(err, SP_EINVAL, r->line,
                                  "couple '%s' lists an odd number of programs (its list is "
                                  "pairs)",
                                  r->f[0]);
        rc = sp_match_add_couple(in, r->f[0], sp_match_find_applicant(in, r->f[1]),
                                 sp_match_find_applicant(in, r->f[2]), *buf, n / 2, r->line, err);
        return rc < 0 ? rc : 0;
    }
}

int sp_match_read_csv(sp_match_instance **out, const char *data, size_t len, struct sp_err *err)
{
    struct sp_arena arena = SP_ARENA_INIT;
    struct row *rows = NULL;
    size_t n_rows = 0, cap_decl = 0, cap_buf = 0;
    unsigned *decl_line = NULL;
    enum row_type *decl_type = NULL;
    int32_t *buf = NULL;
    sp_match_instance *in = NULL;
    int rc;

    *out = NULL;
    if ((rc = read_rows(&rows, &n_rows, &arena, data, len, err)))
        goto out;
    in = sp_match_instance_new();
    for (size_t i = 0; i < n_rows; i++) {
        if ((rc = declare(in, &rows[i], &decl_line, &decl_type, &cap_decl, err)))
            goto out;
    }
    for (size_t i = 0; i < n_rows; i++) {
        if ((rc = lists(in, &rows[i], &buf, &cap_buf, err)))
            goto out;
    }
    if ((rc = sp_match_freeze(in, err)))
        goto out;
    *out = in;
    in = NULL;
out:
    sp_match_instance_free(in);
    sp_arena_release(&arena);
    free(rows);
    free(decl_line);
    free(decl_type);
    free(buf);
    return rc;
}
