/*
 * Readers for the peer formats of stable-matching-suite: instances (`.rp`) and matchings
 * (`.match`). Both are line-based: a record letter, then integers separated by spaces or
 * tabs; `#` starts a comment line; blank lines are skipped.
 *
 * The whole `.rp` buffer is tokenized first, because programs are usually declared after
 * the residents that rank them. Then residents (from `r` and `c` lines) are declared in
 * increasing ID order, programs likewise, couples in file order, and finally the lists,
 * each checked with the line it came from.
 */
#include "match_internal.h"

#include "sp_alloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "banned.h"

struct rp_line {
    char kind;
    unsigned line;
    size_t off, n; /* values in vals[off .. off + n) */
};

struct rp_parse {
    struct rp_line *lines;
    size_t n_lines, cap_lines;
    int32_t *vals;
    size_t n_vals, cap_vals;
};

/* One declared ID: where and how. */
struct decl {
    int32_t id;
    unsigned line;
    char kind;     /* 'r', 'c' (couple member), 'p' */
    int32_t owner; /* line record index */
};

/* IDs to entity indices: a direct table when the IDs are dense (the usual 0..n-1), else
 * binary search over the sorted declarations. */
struct id_index {
    struct decl *d; /* sorted by ID, duplicate-free */
    size_t n;
    int32_t *table; /* dense: table[id] = index or -1 */
    int32_t max_id;
};

static int decl_cmp(const void *x, const void *y)
{
    const struct decl *a = x, *b = y;

    if (a->id != b->id)
        return a->id < b->id ? -1 : 1;
    return a->line < b->line ? -1 : a->line > b->line;
}

static int32_t index_find(const struct id_index *ix, int32_t id)
{
    if (id < 0)
        return SP_M_NONE;
    if (ix->table)
        return id <= ix->max_id ? ix->table[id] : SP_M_NONE;
    size_t lo = 0, hi = ix->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (ix->d[mid].id < id)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < ix->n && ix->d[lo].id == id ? (int32_t)lo : SP_M_NONE;
}

static bool is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f';
}

/* Parse a token [start, end) as an int32. */
static int parse_int(int32_t *out, const char *p, const char *end)
{
    bool neg = false;
    int64_t v = 0;

    if (p < end && (*p == '-' || *p == '+')) {
        neg = *p == '-';
        p++;
    }
    if (p == end)
        return SP_EINVAL;
    for (; p < end; p++) {
        if (*p < '0' || *p > '9')
            return SP_EINVAL;
        v = v * 10 + (*p - '0');
        if (v > INT32_MAX)
            return SP_ERANGE;
    }
    *out = (int32_t)(neg ? -v : v);
    return 0;
}

/* Split data into lines of records; allowed: the letters in kinds. */
static int tokenize(struct rp_parse *ps, const char *data, size_t len, const char *kinds,
                    struct sp_err *err)
{
    const char *p = data, *end = data + len;
    unsigned line = 0;

    while (p < end) {
        const char *eol = memchr(p, '\n', (size_t)(end - p));
        if (!eol)
            eol = end;
        line++;
        const char *q = p;
        while (q < eol && is_space(*q))
            q++;
        if (q == eol || *q == '#') {
            p = eol + 1;
            continue;
        }
        if (memchr(q, '\0', (size_t)(eol - q)))
            return sp_match__fail(err, SP_EINVAL, line, "NUL byte in the line");
        char kind = *q++;
        if (!strchr(kinds, kind) || (q < eol && !is_space(*q))) {
            const char *w = q - 1;
            while (q < eol && !is_space(*q))
                q++;
            return sp_match__fail(err, SP_EINVAL, line,
                                  "unknown record '%.*s' (expected one of '%s' or a '#' "
                                  "comment)",
                                  (int)(q - w > 20 ? 20 : q - w), w, kinds);
        }
        if (ps->n_lines == ps->cap_lines)
            SP_GROW(ps->lines, ps->cap_lines, ps->n_lines + 1);
        struct rp_line *l = &ps->lines[ps->n_lines++];
        l->kind = kind;
        l->line = line;
        l->off = ps->n_vals;
        /* at most one value per two bytes of the line */
        SP_GROW(ps->vals, ps->cap_vals, ps->n_vals + (size_t)(eol - q) / 2 + 2);
        for (;;) {
            while (q < eol && is_space(*q))
                q++;
            if (q == eol)
                break;
            const char *t = q;
            while (q < eol && !is_space(*q))
                q++;
            int rc = parse_int(&ps->vals[ps->n_vals], t, q);
            if (rc)
                return sp_match__fail(
                    err, SP_EINVAL, line, "'%.*s' is not %s", (int)(q - t > 20 ? 20 : q - t), t,
                    rc == SP_ERANGE ? "a usable number (too large)" : "an integer");
            ps->n_vals++;
        }
        l->n = ps->n_vals - l->off;
        p = eol + 1;
    }
    return 0;
}

static void id_str(char *buf, size_t cap, long long id)
{
    snprintf(buf, cap, "%lld", id);
}

static const char *res_what(char kind)
{
    return kind == 'c' ? "in a couple" : "declared by an r line";
}

/* The error for two declarations of one ID (first is the earlier line). */
static int dup_fail(const struct decl *first, const struct decl *second, const char *what,
                    struct sp_err *err)
{
    if (first->line > second->line) {
        const struct decl *t = first;
        first = second;
        second = t;
    }
    if (*what == 'r' && (first->kind == 'c') != (second->kind == 'c')) {
        const struct decl *cl = first->kind == 'c' ? first : second;
        const struct decl *rl = first->kind == 'c' ? second : first;
        return sp_match__fail(err, SP_EINVAL, second->line,
                              "resident %d is in a couple (line %u) and has its own r line "
                              "(line %u); couple members rank only through the couple",
                              (int)first->id, cl->line, rl->line);
    }
    if (*what == 'r')
        return sp_match__fail(err, SP_EINVAL, second->line,
                              "resident %d is %s twice (first on line %u)", (int)first->id,
                              res_what(second->kind), first->line);
    return sp_match__fail(err, SP_EINVAL, second->line,
                          "%s %d is declared twice (first on line %u)", what, (int)first->id,
                          first->line);
}

/* Order d by ID (rejecting duplicates) and index it. */
static int build_index(struct id_index *ix, struct decl *d, size_t n, const char *what,
                       struct sp_err *err)
{
    int32_t max_id = -1;

    ix->d = d;
    ix->n = n;
    for (size_t i = 0; i < n; i++)
        max_id = d[i].id > max_id ? d[i].id : max_id;
    ix->max_id = max_id;
    if (n && (size_t)max_id < 4 * n + 1024) {
        /* dense: a table from ID to declaration, then to its rank among the IDs */
        ix->table = sp_xmalloc(((size_t)max_id + 1) * sizeof(*ix->table));
        for (int32_t i = 0; i <= max_id; i++)
            ix->table[i] = SP_M_NONE;
        for (size_t i = 0; i < n; i++) {
            int32_t *t = &ix->table[d[i].id];
            if (*t >= 0)
                return dup_fail(&d[*t], &d[i], what, err);
            *t = (int32_t)i;
        }
        struct decl *sorted = sp_xmalloc((n + 1) * sizeof(*sorted));
        size_t k = 0;
        for (int32_t i = 0; i <= max_id; i++) {
            if (ix->table[i] >= 0) {
                sorted[k] = d[ix->table[i]];
                ix->table[i] = (int32_t)k++;
            }
        }
        memcpy(d, sorted, n * sizeof(*d));
        free(sorted);
        return 0;
    }
    qsort(d, n, sizeof(*d), decl_cmp);
    for (size_t i = 1; i < n; i++) {
        if (d[i].id == d[i - 1].id)
            return dup_fail(&d[i - 1], &d[i], what, err);
    }
    return 0;
}

/* One .rp read: the tokenized lines, the declarations and their indexes by ID. */
struct rp_read {
    struct rp_parse ps;
    struct decl *res, *prg, *cpl;
    size_t n_res, n_prg, n_cpl;
    struct id_index rix, pix, cix;
};

/* Check the shape of every line and count the declarations each makes. */
static int rp_count(struct rp_read *rd, struct sp_err *err)
{
    const struct rp_parse *ps = &rd->ps;

    for (size_t i = 0; i < ps->n_lines; i++) {
        const struct rp_line *l = &ps->lines[i];
        const int32_t *v = ps->vals + l->off;
        if (l->kind == 'r') {
            if (l->n < 1)
                return sp_match__fail(err, SP_EINVAL, l->line, "'r' needs a resident ID");
            rd->n_res++;
        } else if (l->kind == 'p') {
            if (l->n < 2)
                return sp_match__fail(err, SP_EINVAL, l->line,
                                      "'p' needs a program ID and a quota");
            rd->n_prg++;
        } else {
            if (l->n < 3)
                return sp_match__fail(err, SP_EINVAL, l->line,
                                      "'c' needs a couple ID and two resident IDs");
            if ((l->n - 3) % 2)
                return sp_match__fail(err, SP_EINVAL, l->line,
                                      "couple %d lists an odd number of program IDs (its list "
                                      "is pairs)",
                                      (int)v[0]);
            rd->n_res += 2;
            rd->n_cpl++;
        }
        size_t n_ids = l->kind == 'c' ? 3 : 1;
        for (size_t k = 0; k < n_ids; k++) {
            if (v[k] < 0)
                return sp_match__fail(err, SP_EINVAL, l->line, "ID %d must be >= 0", (int)v[k]);
        }
    }
    return 0;
}

/* Collect the declarations in file order, then order and index them by ID. */
static int rp_declare(struct rp_read *rd, struct sp_err *err)
{
    const struct rp_parse *ps = &rd->ps;
    struct decl *res, *prg, *cpl;
    size_t n_res = 0, n_prg = 0, n_cpl = 0;
    int rc;

    res = rd->res = sp_xmalloc((rd->n_res + 1) * sizeof(*res));
    prg = rd->prg = sp_xmalloc((rd->n_prg + 1) * sizeof(*prg));
    cpl = rd->cpl = sp_xmalloc((rd->n_cpl + 1) * sizeof(*cpl));
    for (size_t i = 0; i < ps->n_lines; i++) {
        const struct rp_line *l = &ps->lines[i];
        const int32_t *v = ps->vals + l->off;
        if (l->kind == 'r') {
            res[n_res++] = (struct decl){v[0], l->line, 'r', (int32_t)i};
        } else if (l->kind == 'p') {
            prg[n_prg++] = (struct decl){v[0], l->line, 'p', (int32_t)i};
        } else {
            res[n_res++] = (struct decl){v[1], l->line, 'c', (int32_t)i};
            res[n_res++] = (struct decl){v[2], l->line, 'c', (int32_t)i};
            cpl[n_cpl++] = (struct decl){v[0], l->line, 'c', (int32_t)i};
        }
    }
    /* Couples keep file order: their index only checks for duplicate IDs. */
    if ((rc = build_index(&rd->rix, res, n_res, "r", err)) ||
        (rc = build_index(&rd->pix, prg, n_prg, "program", err)) ||
        (rc = build_index(&rd->cix, cpl, n_cpl, "couple", err)))
        return rc;
    return 0;
}

/* Declare the programs, then the residents, each in increasing ID order. */
static int rp_add_entities(sp_match_instance *in, const struct rp_read *rd, struct sp_err *err)
{
    const struct rp_parse *ps = &rd->ps;
    char id[32];
    int rc;

    for (size_t i = 0; i < rd->n_prg; i++) {
        const struct rp_line *l = &ps->lines[rd->prg[i].owner];
        id_str(id, sizeof(id), rd->prg[i].id);
        if ((rc = sp_match_add_program(in, id, ps->vals[l->off + 1], SP_TRACK_CATEGORICAL, l->line,
                                       err)) < 0)
            return rc;
    }
    for (size_t i = 0; i < rd->n_res; i++) {
        id_str(id, sizeof(id), rd->res[i].id);
        if ((rc = sp_match_add_applicant(in, id, rd->res[i].line, err)) < 0)
            return rc;
    }
    return 0;
}

/* Replace the IDs of line l's list (values from first on) by indices, in place. */
static int rp_resolve(const struct rp_read *rd, const struct rp_line *l, int32_t *v, size_t first,
                      struct sp_err *err)
{
    size_t n = l->n - first;
    int32_t *list = v + first;

    for (size_t k = 0; k < n; k++) {
        int32_t x = list[k];
        int32_t idx;
        if (l->kind == 'p') {
            idx = index_find(&rd->rix, x);
            if (idx < 0)
                return sp_match__fail(err, SP_EINVAL, l->line,
                                      "program %d ranks resident %d, which is not declared "
                                      "(no r or c line names it)",
                                      (int)v[0], (int)x);
        } else if (l->kind == 'c' && x == -1) {
            idx = SP_M_NONE;
        } else {
            idx = index_find(&rd->pix, x);
            if (idx < 0) {
                if (x == -1)
                    return sp_match__fail(err, SP_EINVAL, l->line,
                                          "resident %d ranks -1; 'unmatched' (-1) is only "
                                          "allowed in couple pairs",
                                          (int)v[0]);
                return sp_match__fail(err, SP_EINVAL, l->line,
                                      "%s %d ranks program %d, which is not declared "
                                      "(no 'p %d' line)",
                                      l->kind == 'r' ? "resident" : "couple", (int)v[0], (int)x,
                                      (int)x);
            }
        }
        list[k] = idx;
    }
    return 0;
}

/* The lists, in file order; IDs are replaced by indices in place. */
static int rp_set_lists(sp_match_instance *in, struct rp_read *rd, struct sp_err *err)
{
    const struct rp_parse *ps = &rd->ps;
    char id[32];
    int rc;

    for (size_t i = 0; i < ps->n_lines; i++) {
        const struct rp_line *l = &ps->lines[i];
        int32_t *v = ps->vals + l->off;
        size_t first = l->kind == 'r' ? 1 : l->kind == 'p' ? 2 : 3;
        size_t n = l->n - first;
        int32_t *list = v + first;
        if ((rc = rp_resolve(rd, l, v, first, err)))
            return rc;
        if (l->kind == 'p') {
            rc = sp_match_set_program_rol(in, index_find(&rd->pix, v[0]), list, n, l->line, err);
        } else if (l->kind == 'r') {
            rc = sp_match_set_rol(in, index_find(&rd->rix, v[0]), list, n, l->line, err);
        } else {
            id_str(id, sizeof(id), v[0]);
            rc = sp_match_add_couple(in, id, index_find(&rd->rix, v[1]), index_find(&rd->rix, v[2]),
                                     list, n / 2, l->line, err);
        }
        if (rc < 0)
            return rc;
    }
    return 0;
}

int sp_match_read_rp(sp_match_instance **out, const char *data, size_t len, struct sp_err *err)
{
    struct rp_read rd = {0};
    sp_match_instance *in = NULL;
    int rc;

    *out = NULL;
    if ((rc = tokenize(&rd.ps, data, len, "rcp", err)))
        goto out;
    if ((rc = rp_count(&rd, err)) || (rc = rp_declare(&rd, err)))
        goto out;
    in = sp_match_instance_new();
    if ((rc = rp_add_entities(in, &rd, err)) || (rc = rp_set_lists(in, &rd, err)))
        goto out;
    if ((rc = sp_match_freeze(in, err)))
        goto out;
    *out = in;
    in = NULL;
    rc = 0;
out:
    sp_match_instance_free(in);
    free(rd.ps.lines);
    free(rd.ps.vals);
    free(rd.res);
    free(rd.prg);
    free(rd.cpl);
    free(rd.rix.table);
    free(rd.pix.table);
    free(rd.cix.table);
    return rc < 0 ? rc : 0;
}

/* Split [p, eol) into at most max whitespace-separated tokens; returns the count, or
 * max + 1 when there are more. */
static size_t split_tokens(const char *p, const char *eol, const char **tok, size_t *tlen,
                           size_t max)
{
    size_t n = 0;

    for (;;) {
        while (p < eol && is_space(*p))
            p++;
        if (p == eol)
            return n;
        if (n == max)
            return max + 1;
        tok[n] = p;
        while (p < eol && !is_space(*p))
            p++;
        tlen[n] = (size_t)(p - tok[n]);
        n++;
    }
}

int sp_match_read_assignment(int32_t *program, int32_t *pgy1, bool *has_matching,
                             const sp_match_instance *in, const char *data, size_t len,
                             struct sp_err *err)
{
    const char *p = data, *end = data + len;
    uint8_t *seen = NULL;
    bool saw_m = false;
    unsigned line = 0;
    int rc = 0;

    *has_matching = false;
    if (!in->frozen)
        return sp_err_set(err, SP_EINVAL, "matching: the instance is not frozen");
    for (size_t a = 0; a < in->n_apps; a++) {
        program[a] = SP_M_NONE;
        if (pgy1)
            pgy1[a] = SP_M_NONE;
    }
    seen = sp_xcalloc(in->n_apps + 1, 1);
    for (; p < end; p = p + 1) {
        const char *eol = memchr(p, '\n', (size_t)(end - p));
        const char *tok[3];
        size_t tlen[3];
        char a_id[SP_MATCH_ID_MAX + 1], p_id[SP_MATCH_ID_MAX + 1];
        if (!eol)
            eol = end;
        line++;
        size_t n = split_tokens(p, eol, tok, tlen, 3);
        const char *here = p;
        p = eol;
        if (n == 0 || *tok[0] == '#')
            continue;
        if (memchr(here, '\0', (size_t)(eol - here))) {
            rc = sp_match__fail(err, SP_EINVAL, line, "NUL byte in the line");
            goto out;
        }
        if (tlen[0] == 1 && *tok[0] == 'm') {
            if (n != 2 || tlen[1] != 1 || (*tok[1] != '0' && *tok[1] != '1')) {
                rc = sp_match__fail(err, SP_EINVAL, line, "'m' takes one value, 0 or 1");
                goto out;
            }
            if (saw_m) {
                rc = sp_match__fail(err, SP_EINVAL, line, "a second 'm' line");
                goto out;
            }
            saw_m = true;
            *has_matching = *tok[1] == '1';
            continue;
        }
        bool supp = tlen[0] == 1 && *tok[0] == 's' && pgy1;
        if (tlen[0] != 1 || (*tok[0] != 'r' && !supp)) {
            rc = sp_match__fail(err, SP_EINVAL, line,
                                "unknown record '%.*s' (expected m, r%s or a '#' comment)",
                                (int)(tlen[0] > 20 ? 20 : tlen[0]), tok[0], pgy1 ? ", s" : "");
            goto out;
        }
        if (n != 3) {
            rc = sp_match__fail(err, SP_EINVAL, line, "'%c' takes a resident and a program",
                                *tok[0]);
            goto out;
        }
        if (tlen[1] > SP_MATCH_ID_MAX || tlen[2] > SP_MATCH_ID_MAX) {
            rc = sp_match__fail(err, SP_EINVAL, line, "ID longer than %d bytes", SP_MATCH_ID_MAX);
            goto out;
        }
        memcpy(a_id, tok[1], tlen[1]);
        a_id[tlen[1]] = '\0';
        memcpy(p_id, tok[2], tlen[2]);
        p_id[tlen[2]] = '\0';
        int a = sp_match_find_applicant(in, a_id);
        if (a < 0) {
            rc = sp_match__fail(err, SP_EINVAL, line, "resident %s is not in the instance", a_id);
            goto out;
        }
        uint8_t bit = supp ? 2 : 1;
        if (seen[a] & bit) {
            rc = sp_match__fail(err, SP_EINVAL, line, "resident %s is listed twice", a_id);
            goto out;
        }
        seen[a] |= bit;
        if (strcmp(p_id, "-1") == 0)
            continue;
        int q = sp_match_find_program(in, p_id);
        if (q < 0) {
            rc = sp_match__fail(err, SP_EINVAL, line, "program %s is not in the instance", p_id);
            goto out;
        }
        if (supp)
            pgy1[a] = q;
        else
            program[a] = q;
    }
    if (!saw_m)
        rc = sp_err_set(err, SP_EINVAL, "matching: no 'm 0' or 'm 1' line");
out:
    free(seen);
    return rc;
}
