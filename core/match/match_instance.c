/*
 * Match instances: the builder (declarations, rank lists, the input rules), the name
 * index, and freeze, which checks the whole instance and lays it out for the
 * algorithms: mutually acceptable entries only, each carrying the program's rank of the
 * resident, and per-program lists carrying the resident's list index (match_internal.h).
 */
#include "match_internal.h"

#include "sp_alloc.h"

#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "banned.h"

int sp_match__fail(struct sp_err *err, int code, unsigned line, const char *fmt, ...)
{
    va_list ap;
    int n = 0;

    if (!err)
        return code;
    err->code = code;
    err->why = SP_WHY_INVALID;
    err->field[0] = '\0';
    err->at = 0;
    if (line)
        n = snprintf(err->msg, sizeof(err->msg), "line %u: ", line);
    if (n < 0 || (size_t)n >= sizeof(err->msg))
        n = 0;
    va_start(ap, fmt);
    vsnprintf(err->msg + n, sizeof(err->msg) - (size_t)n, fmt, ap);
    va_end(ap);
    return code;
}

static const char *const track_names[] = {
    [SP_TRACK_CATEGORICAL] = "categorical",
    [SP_TRACK_ADVANCED] = "advanced",
    [SP_TRACK_PRELIMINARY] = "preliminary",
};

const char *sp_track_name(enum sp_track t)
{
    return (unsigned)t <= SP_TRACK_PRELIMINARY ? track_names[t] : "?";
}

static bool eq_nocase(const char *a, const char *b)
{
    for (; *a && *b; a++, b++) {
        char x = *a >= 'A' && *a <= 'Z' ? (char)(*a - 'A' + 'a') : *a;
        char y = *b >= 'A' && *b <= 'Z' ? (char)(*b - 'A' + 'a') : *b;
        if (x != y)
            return false;
    }
    return *a == *b;
}

int sp_track_parse(enum sp_track *out, const char *name)
{
    static const char *const letters[] = {"c", "a", "p"};

    for (unsigned i = 0; i <= SP_TRACK_PRELIMINARY; i++) {
        if (eq_nocase(name, track_names[i]) || eq_nocase(name, letters[i])) {
            *out = (enum sp_track)i;
            return 0;
        }
    }
    return SP_EINVAL;
}

/* ---- name index ------------------------------------------------------------------------ */

static uint32_t hash_str(const char *s)
{
    uint32_t h = 2166136261u;

    for (; *s; s++) {
        h ^= (unsigned char)*s;
        h *= 16777619u;
    }
    return h;
}

static int names_find(const struct sp_m_names *t, const char *const *ids, const char *key)
{
    if (!t->cap)
        return SP_ENOTFOUND;
    uint32_t h = hash_str(key);
    size_t mask = t->cap - 1;
    for (size_t i = h & mask;; i = (i + 1) & mask) {
        int32_t s = t->slot[i];
        if (s == 0)
            return SP_ENOTFOUND;
        if (t->hash[i] == h && strcmp(ids[s - 1], key) == 0)
            return s - 1;
    }
}

static void names_put_raw(struct sp_m_names *t, uint32_t h, int32_t idx)
{
    size_t mask = t->cap - 1;
    size_t i = h & mask;

    while (t->slot[i] != 0)
        i = (i + 1) & mask;
    t->slot[i] = idx + 1;
    t->hash[i] = h;
}

/* Insert (the caller checked the key is absent). */
static void names_put(struct sp_m_names *t, const char *key, int32_t idx)
{
    if ((t->n + 1) * 2 > t->cap) {
        struct sp_m_names old = *t;
        t->cap = old.cap ? old.cap * 2 : 64;
        t->hash = sp_xcalloc(t->cap, sizeof(*t->hash));
        t->slot = sp_xcalloc(t->cap, sizeof(*t->slot));
        for (size_t i = 0; i < old.cap; i++) {
            if (old.slot[i])
                names_put_raw(t, old.hash[i], old.slot[i] - 1);
        }
        free(old.hash);
        free(old.slot);
    }
    names_put_raw(t, hash_str(key), idx);
    t->n++;
}

static void names_release(struct sp_m_names *t)
{
    free(t->hash);
    free(t->slot);
}

/* ---- builder --------------------------------------------------------------------------- */

sp_match_instance *sp_match_instance_new(void)
{
    sp_match_instance *in = sp_xcalloc(1, sizeof(*in));
    struct sp_arena init = SP_ARENA_INIT;

    in->strings = init;
    return in;
}

static void layout_release(struct sp_m_layout *L)
{
    free(L->kind);
    free(L->owner);
    free(L->eoff);
    free(L->e);
    free(L->e_pos);
    free(L->coff);
    free(L->cp);
    free(L->cp_pos);
    free(L->ps);
    free(L->pr_res);
    free(L->pr_arank);
}

void sp_match_instance_free(sp_match_instance *in)
{
    if (!in)
        return;
    sp_arena_release(&in->strings);
    names_release(&in->prog_names);
    names_release(&in->app_names);
    names_release(&in->cpl_names);
    free(in->progs);
    free(in->apps);
    free(in->cpls);
    free(in->prog_ids);
    free(in->app_ids);
    free(in->cpl_ids);
    free(in->prol);
    free(in->alist);
    free(in->slist);
    free(in->cpairs);
    free(in->stamp);
    free(in->alist_prank); /* slist_prank and cpairs_prank point into it */
    layout_release(&in->L);
    free(in);
}

static int check_id(const char *what, const char *id, unsigned line, struct sp_err *err)
{
    size_t n = id ? strlen(id) : 0;

    if (n == 0)
        return sp_match__fail(err, SP_EINVAL, line, "%s ID is empty", what);
    if (n > SP_MATCH_ID_MAX)
        return sp_match__fail(err, SP_EINVAL, line, "%s ID '%.20s...' is longer than %d bytes",
                              what, id, SP_MATCH_ID_MAX);
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)id[i];
        if (c <= ' ' || c == ',' || c == '"' || c == 0x7f)
            return sp_match__fail(err, SP_EINVAL, line,
                                  "%s ID '%s' must not contain spaces, commas, quotes or "
                                  "control characters",
                                  what, id);
    }
    return 0;
}

static int frozen_fail(const sp_match_instance *in, struct sp_err *err)
{
    if (in->frozen)
        return sp_err_set(err, SP_EINVAL, "match instance: already frozen, cannot change");
    return 0;
}

int sp_match_add_program(sp_match_instance *in, const char *id, long capacity, enum sp_track track,
                         unsigned line, struct sp_err *err)
{
    int rc = frozen_fail(in, err);

    if (!rc)
        rc = check_id("program", id, line, err);
    if (rc)
        return rc;
    if (capacity < 0)
        return sp_match__fail(err, SP_EINVAL, line, "program '%s': capacity %ld must be >= 0", id,
                              capacity);
    if (capacity > SP_MATCH_CAPACITY_MAX)
        return sp_match__fail(err, SP_EINVAL, line, "program '%s': capacity %ld must be <= %d", id,
                              capacity, SP_MATCH_CAPACITY_MAX);
    if ((unsigned)track > SP_TRACK_PRELIMINARY)
        return sp_match__fail(err, SP_EINVAL, line, "program '%s': unknown track %d", id,
                              (int)track);
    int dup = names_find(&in->prog_names, in->prog_ids, id);
    if (dup >= 0)
        return sp_match__fail(err, SP_EINVAL, line,
                              "program '%s' is declared twice (first on line %u)", id,
                              in->progs[dup].line);
    if (in->n_progs >= INT32_MAX - 1)
        return sp_match__fail(err, SP_ERANGE, line, "too many programs");
    SP_GROW(in->progs, in->cap_progs, in->n_progs + 1);
    SP_GROW(in->prog_ids, in->cap_prog_ids, in->n_progs + 1);
    struct sp_m_program *p = &in->progs[in->n_progs];
    memset(p, 0, sizeof(*p));
    p->id = sp_arena_strdup(&in->strings, id);
    p->capacity = (int32_t)capacity;
    p->track = track;
    p->line = line;
    in->prog_ids[in->n_progs] = p->id;
    names_put(&in->prog_names, p->id, (int32_t)in->n_progs);
    return (int)in->n_progs++;
}

int sp_match_add_applicant(sp_match_instance *in, const char *id, unsigned line, struct sp_err *err)
{
    int rc = frozen_fail(in, err);

    if (!rc)
        rc = check_id("applicant", id, line, err);
    if (rc)
        return rc;
    int dup = names_find(&in->app_names, in->app_ids, id);
    if (dup >= 0)
        return sp_match__fail(err, SP_EINVAL, line,
                              "applicant '%s' is declared twice (first on line %u)", id,
                              in->apps[dup].line);
    if (in->n_apps >= INT32_MAX / 2 - 1)
        return sp_match__fail(err, SP_ERANGE, line, "too many applicants");
    SP_GROW(in->apps, in->cap_apps, in->n_apps + 1);
    SP_GROW(in->app_ids, in->cap_app_ids, in->n_apps + 1);
    struct sp_m_applicant *a = &in->apps[in->n_apps];
    memset(a, 0, sizeof(*a));
    a->id = sp_arena_strdup(&in->strings, id);
    a->line = line;
    a->couple = SP_M_NONE;
    in->app_ids[in->n_apps] = a->id;
    names_put(&in->app_names, a->id, (int32_t)in->n_apps);
    return (int)in->n_apps++;
}

int sp_match_find_program(const sp_match_instance *in, const char *id)
{
    return names_find(&in->prog_names, in->prog_ids, id);
}

int sp_match_find_applicant(const sp_match_instance *in, const char *id)
{
    return names_find(&in->app_names, in->app_ids, id);
}

/* A fresh generation of the scratch stamps, sized for n entities. */
static uint32_t stamp_next(sp_match_instance *in, size_t n)
{
    if (in->cap_stamp < n) {
        size_t old = in->cap_stamp;
        SP_GROW(in->stamp, in->cap_stamp, n);
        memset(in->stamp + old, 0, (in->cap_stamp - old) * sizeof(*in->stamp));
    }
    if (++in->stamp_gen == 0) {
        memset(in->stamp, 0, in->cap_stamp * sizeof(*in->stamp));
        in->stamp_gen = 1;
    }
    return in->stamp_gen;
}

/* Append n values to a list store; returns the offset. */
static int32_t store_append(int32_t **items, size_t *n_items, size_t *cap, const int32_t *v,
                            size_t n)
{
    size_t off = *n_items;

    SP_GROW(*items, *cap, off + n + 1);
    if (n)
        memcpy(*items + off, v, n * sizeof(*v));
    *n_items = off + n;
    return (int32_t)off;
}

static int check_store_room(size_t used, size_t n, unsigned line, struct sp_err *err)
{
    if (n > (size_t)INT32_MAX / 4 || used + n > (size_t)INT32_MAX / 4)
        return sp_match__fail(err, SP_ERANGE, line, "rank lists are too long (over %d entries)",
                              INT32_MAX / 4);
    return 0;
}

int sp_match_set_program_rol(sp_match_instance *in, int program, const int32_t *applicants,
                             size_t n, unsigned line, struct sp_err *err)
{
    int rc = frozen_fail(in, err);

    if (rc)
        return rc;
    if (program < 0 || (size_t)program >= in->n_progs)
        return sp_err_set(err, SP_EINVAL, "program index %d does not exist", program);
    struct sp_m_program *p = &in->progs[program];
    if (p->has_rol)
        return sp_match__fail(err, SP_EINVAL, line,
                              "program '%s' has two rank lists (first on line %u)", p->id,
                              p->rol_line);
    if ((rc = check_store_room(in->n_prol, n, line, err)))
        return rc;
    uint32_t gen = stamp_next(in, in->n_apps);
    for (size_t i = 0; i < n; i++) {
        int32_t a = applicants[i];
        if (a < 0 || (size_t)a >= in->n_apps)
            return sp_match__fail(err, SP_EINVAL, line,
                                  "program '%s' ranks applicant index %d, which does not exist",
                                  p->id, (int)a);
        if (in->stamp[a] == gen)
            return sp_match__fail(err, SP_EINVAL, line, "program '%s' ranks applicant '%s' twice",
                                  p->id, in->apps[a].id);
        in->stamp[a] = gen;
    }
    p->rol_off = store_append(&in->prol, &in->n_prol, &in->cap_prol, applicants, n);
    p->rol_len = (int32_t)n;
    p->rol_line = line;
    p->has_rol = true;
    return 0;
}

/* The checks shared by primary and supplemental lists. */
static int check_program_list(sp_match_instance *in, const struct sp_m_applicant *a,
                              const char *which, const int32_t *programs, size_t n, unsigned line,
                              bool pgy1_only, struct sp_err *err)
{
    uint32_t gen = stamp_next(in, in->n_progs);

    for (size_t i = 0; i < n; i++) {
        int32_t p = programs[i];
        if (p < 0 || (size_t)p >= in->n_progs)
            return sp_match__fail(err, SP_EINVAL, line,
                                  "applicant '%s' ranks program index %d, which does not exist",
                                  a->id, (int)p);
        if (in->stamp[p] == gen)
            return sp_match__fail(err, SP_EINVAL, line,
                                  "applicant '%s' ranks program '%s' twice on the %s list", a->id,
                                  in->progs[p].id, which);
        in->stamp[p] = gen;
        if (pgy1_only && in->progs[p].track != SP_TRACK_PRELIMINARY)
            return sp_match__fail(err, SP_EINVAL, line,
                                  "applicant '%s': supplemental list program '%s' is %s; a "
                                  "supplemental list holds preliminary (PGY-1) programs only",
                                  a->id, in->progs[p].id, sp_track_name(in->progs[p].track));
    }
    return 0;
}

/* An applicant's primary (sup false) or supplemental list: the two differ only in
 * where they are stored, which programs they may hold and what the messages say. */
static int set_applicant_list(sp_match_instance *in, int applicant, const int32_t *programs,
                              size_t n, unsigned line, bool sup, struct sp_err *err)
{
    int rc = frozen_fail(in, err);

    if (rc)
        return rc;
    if (applicant < 0 || (size_t)applicant >= in->n_apps)
        return sp_err_set(err, SP_EINVAL, "applicant index %d does not exist", applicant);
    struct sp_m_applicant *a = &in->apps[applicant];
    if (a->couple != SP_M_NONE)
        return sp_match__fail(err, SP_EINVAL, line,
                              sup ? "applicant '%s' is a member of couple '%s'; couple members "
                                    "have no supplemental list"
                                  : "applicant '%s' is a member of couple '%s' and cannot have "
                                    "its own rank list (couple members rank through the couple)",
                              a->id, in->cpls[a->couple].id);
    if (sup ? a->has_sup : a->has_list)
        return sp_match__fail(err, SP_EINVAL, line, "applicant '%s' has two %s (first on line %u)",
                              a->id, sup ? "supplemental lists" : "rank lists",
                              sup ? a->sup_line : a->list_line);
    if ((rc = check_store_room(sup ? in->n_slist : in->n_alist, n, line, err)) ||
        (rc = check_program_list(in, a, sup ? "supplemental" : "primary", programs, n, line, sup,
                                 err)))
        return rc;
    if (sup) {
        a->sup_off = store_append(&in->slist, &in->n_slist, &in->cap_slist, programs, n);
        a->sup_len = (int32_t)n;
        a->sup_line = line;
        a->has_sup = true;
    } else {
        a->list_off = store_append(&in->alist, &in->n_alist, &in->cap_alist, programs, n);
        a->list_len = (int32_t)n;
        a->list_line = line;
        a->has_list = true;
    }
    return 0;
}

int sp_match_set_rol(sp_match_instance *in, int applicant, const int32_t *programs, size_t n,
                     unsigned line, struct sp_err *err)
{
    return set_applicant_list(in, applicant, programs, n, line, false, err);
}

int sp_match_set_supplemental(sp_match_instance *in, int applicant, const int32_t *programs,
                              size_t n, unsigned line, struct sp_err *err)
{
    return set_applicant_list(in, applicant, programs, n, line, true, err);
}

static int pair_cmp(const void *x, const void *y)
{
    const int32_t *a = x, *b = y;

    if (a[0] != b[0])
        return a[0] < b[0] ? -1 : 1;
    if (a[1] != b[1])
        return a[1] < b[1] ? -1 : 1;
    return 0;
}

static const char *prog_name(const sp_match_instance *in, int32_t p)
{
    return p < 0 ? "-1" : in->progs[p].id;
}

int sp_match_add_couple(sp_match_instance *in, const char *id, int member1, int member2,
                        const int32_t *pairs, size_t n_pairs, unsigned line, struct sp_err *err)
{
    int rc = frozen_fail(in, err);
    int members[2] = {member1, member2};

    if (!rc)
        rc = check_id("couple", id, line, err);
    if (rc)
        return rc;
    int dup = names_find(&in->cpl_names, in->cpl_ids, id);
    if (dup >= 0)
        return sp_match__fail(err, SP_EINVAL, line,
                              "couple '%s' is declared twice (first on line %u)", id,
                              in->cpls[dup].line);
    for (int i = 0; i < 2; i++) {
        int m = members[i];
        if (m < 0 || (size_t)m >= in->n_apps)
            return sp_match__fail(err, SP_EINVAL, line,
                                  "couple '%s': member index %d does not exist", id, m);
        const struct sp_m_applicant *a = &in->apps[m];
        if (a->couple != SP_M_NONE)
            return sp_match__fail(err, SP_EINVAL, line,
                                  "couple '%s': applicant '%s' is already in couple '%s'", id,
                                  a->id, in->cpls[a->couple].id);
        if (a->has_list || a->has_sup)
            return sp_match__fail(err, SP_EINVAL, line,
                                  "couple '%s': member '%s' has its own rank list (line %u); "
                                  "couple members rank only through the couple",
                                  id, a->id, a->has_list ? a->list_line : a->sup_line);
    }
    if (member1 == member2)
        return sp_match__fail(err, SP_EINVAL, line, "couple '%s': both members are '%s'", id,
                              in->apps[member1].id);
    if (n_pairs > (size_t)INT32_MAX / 8 ||
        (rc = check_store_room(in->n_cpairs, 2 * n_pairs, line, err)))
        return rc ? rc : sp_match__fail(err, SP_ERANGE, line, "couple '%s': list too long", id);
    for (size_t k = 0; k < n_pairs; k++) {
        for (int i = 0; i < 2; i++) {
            int32_t p = pairs[2 * k + (size_t)i];
            if (p < -1 || (p >= 0 && (size_t)p >= in->n_progs))
                return sp_match__fail(err, SP_EINVAL, line,
                                      "couple '%s' ranks program index %d, which does not exist",
                                      id, (int)p);
        }
        if (pairs[2 * k] < 0 && pairs[2 * k + 1] < 0)
            return sp_match__fail(err, SP_EINVAL, line,
                                  "couple '%s': pair %zu is (-1, -1), both unmatched; end the "
                                  "list instead",
                                  id, k + 1);
    }
    if (n_pairs > 1) {
        int32_t *sorted = sp_xmalloc(2 * n_pairs * sizeof(*sorted));
        memcpy(sorted, pairs, 2 * n_pairs * sizeof(*sorted));
        qsort(sorted, n_pairs, 2 * sizeof(*sorted), pair_cmp);
        for (size_t k = 1; k < n_pairs; k++) {
            if (pair_cmp(sorted + 2 * k, sorted + 2 * (k - 1)) == 0) {
                rc = sp_match__fail(err, SP_EINVAL, line,
                                    "couple '%s' ranks the pair (%s, %s) twice", id,
                                    prog_name(in, sorted[2 * k]), prog_name(in, sorted[2 * k + 1]));
                break;
            }
        }
        free(sorted);
        if (rc)
            return rc;
    }
    if (in->n_cpls >= INT32_MAX / 2)
        return sp_match__fail(err, SP_ERANGE, line, "too many couples");
    SP_GROW(in->cpls, in->cap_cpls, in->n_cpls + 1);
    SP_GROW(in->cpl_ids, in->cap_cpl_ids, in->n_cpls + 1);
    struct sp_m_couple *c = &in->cpls[in->n_cpls];
    c->id = sp_arena_strdup(&in->strings, id);
    c->member[0] = member1;
    c->member[1] = member2;
    c->line = line;
    c->off = store_append(&in->cpairs, &in->n_cpairs, &in->cap_cpairs, pairs, 2 * n_pairs);
    c->len = (int32_t)n_pairs;
    in->cpl_ids[in->n_cpls] = c->id;
    names_put(&in->cpl_names, c->id, (int32_t)in->n_cpls);
    in->apps[member1].couple = (int32_t)in->n_cpls;
    in->apps[member2].couple = (int32_t)in->n_cpls;
    return (int)in->n_cpls++;
}

/* ---- freeze ---------------------------------------------------------------------------- */

/*
 * An incidence is one (program, resident) pair of an applicant-side list. They are
 * grouped by program into two parallel arrays (resident, source), where the source
 * indexes the concatenation of alist, slist and cpairs: [0, n_alist) primary entries,
 * [n_alist, n_alist + n_slist) supplemental entries, then couple pair sides (the side is
 * the parity of the offset within the couple's pairs, which start at even offsets).
 */

static int check_overlap(sp_match_instance *in, struct sp_err *err)
{
    for (size_t a = 0; a < in->n_apps; a++) {
        const struct sp_m_applicant *ap = &in->apps[a];
        if (!ap->has_sup || !ap->sup_len || !ap->list_len)
            continue;
        uint32_t gen = stamp_next(in, in->n_progs);
        for (int32_t k = 0; k < ap->list_len; k++)
            in->stamp[in->alist[ap->list_off + k]] = gen;
        for (int32_t k = 0; k < ap->sup_len; k++) {
            int32_t p = in->slist[ap->sup_off + k];
            if (in->stamp[p] == gen)
                return sp_match__fail(err, SP_EINVAL, ap->sup_line,
                                      "applicant '%s' ranks program '%s' on both the primary "
                                      "and the supplemental list",
                                      ap->id, in->progs[p].id);
        }
    }
    return 0;
}

/* The scratch of one freeze: the incidences grouped by program, and per-resident marks. */
struct freeze {
    size_t n_apps, n_progs, n_cpls;
    size_t n_alist, n_slist, n_cpairs, n_src;
    size_t n_heads, n_res, n_inc;
    int32_t *head_of;       /* applicant -> its PGY-1 head resident, or SP_M_NONE */
    int32_t *pstart;        /* program p's incidences are [pstart[p], pstart[p + 1]) */
    int32_t *g_res, *g_src; /* incidence -> resident, source */
    int32_t *oprank;        /* source -> the program's rank of it, or SP_M_NONE */
    int32_t *mark, *val;    /* resident -> the program last seen, a value there */
    int32_t *slot;          /* source -> index in L->e or L->cp, or SP_M_NONE */
};

/* Residents: applicants, then one PGY-1 head per non-empty supplemental list. */
static void freeze_residents(sp_match_instance *in, struct freeze *f)
{
    struct sp_m_layout *L = &in->L;
    size_t n_apps = f->n_apps;
    size_t n_heads = 0;

    int32_t *head_of = sp_xmalloc((n_apps + 1) * sizeof(*head_of));
    for (size_t a = 0; a < n_apps; a++) {
        head_of[a] = SP_M_NONE;
        if (in->apps[a].has_sup && in->apps[a].sup_len > 0)
            head_of[a] = (int32_t)(n_apps + n_heads++);
    }
    size_t n_res = n_apps + n_heads;
    L->n_res = n_res;
    L->n_heads = n_heads;
    L->kind = sp_xcalloc(n_res + 1, sizeof(*L->kind));
    L->owner = sp_xmalloc((n_res + 1) * sizeof(*L->owner));
    for (size_t a = 0; a < n_apps; a++) {
        int32_t c = in->apps[a].couple;
        L->kind[a] = c != SP_M_NONE ? SP_RES_MEMBER : SP_RES_SINGLE;
        L->owner[a] = c != SP_M_NONE ? c : head_of[a];
        if (head_of[a] >= 0) {
            L->kind[head_of[a]] = SP_RES_PGY1;
            L->owner[head_of[a]] = (int32_t)a;
        }
    }
    f->head_of = head_of;
    f->n_heads = n_heads;
    f->n_res = n_res;
}

/* Group the incidences by program (counting sort). */
static void freeze_group(const sp_match_instance *in, struct freeze *f)
{
    size_t n_apps = f->n_apps, n_progs = f->n_progs, n_cpls = f->n_cpls;
    size_t n_alist = f->n_alist, n_slist = f->n_slist, n_cpairs = f->n_cpairs;
    const int32_t *head_of = f->head_of;

    int32_t *pstart = sp_xcalloc(n_progs + 2, sizeof(*pstart));
    for (size_t i = 0; i < n_alist; i++)
        pstart[in->alist[i] + 2]++;
    for (size_t i = 0; i < n_slist; i++)
        pstart[in->slist[i] + 2]++;
    for (size_t i = 0; i < n_cpairs; i++) {
        if (in->cpairs[i] >= 0)
            pstart[in->cpairs[i] + 2]++;
    }
    for (size_t p = 0; p < n_progs; p++)
        pstart[p + 2] += pstart[p + 1];
    size_t n_inc = (size_t)pstart[n_progs + 1];
    int32_t *g_res = sp_xmalloc((n_inc + 1) * sizeof(*g_res));
    int32_t *g_src = sp_xmalloc((n_inc + 1) * sizeof(*g_src));
    /* pstart[p + 1] is the fill cursor of p; after filling, pstart[p] is p's start. */
    for (size_t a = 0; a < n_apps; a++) {
        const struct sp_m_applicant *ap = &in->apps[a];
        for (int32_t k = 0; k < ap->list_len; k++) {
            int32_t i = pstart[in->alist[ap->list_off + k] + 1]++;
            g_res[i] = (int32_t)a;
            g_src[i] = ap->list_off + k;
        }
        for (int32_t k = 0; k < ap->sup_len; k++) {
            int32_t i = pstart[in->slist[ap->sup_off + k] + 1]++;
            g_res[i] = head_of[a];
            g_src[i] = (int32_t)n_alist + ap->sup_off + k;
        }
    }
    for (size_t c = 0; c < n_cpls; c++) {
        const struct sp_m_couple *cp = &in->cpls[c];
        for (int32_t k = 0; k < 2 * cp->len; k++) {
            int32_t p = in->cpairs[cp->off + k];
            if (p < 0)
                continue;
            int32_t i = pstart[p + 1]++;
            g_res[i] = cp->member[k & 1];
            g_src[i] = (int32_t)(n_alist + n_slist) + cp->off + k;
        }
    }
    f->pstart = pstart;
    f->g_res = g_res;
    f->g_src = g_src;
    f->n_inc = n_inc;
}

/* Pass A: the program's rank of every incidence, from the program's own list. */
static void freeze_rank(sp_match_instance *in, struct freeze *f)
{
    const struct sp_m_layout *L = &in->L;
    size_t n_apps = f->n_apps, n_progs = f->n_progs, n_res = f->n_res;
    size_t n_alist = f->n_alist, n_slist = f->n_slist, n_cpairs = f->n_cpairs;
    const int32_t *pstart = f->pstart, *g_res = f->g_res, *g_src = f->g_src;

    int32_t *oprank = sp_xmalloc((f->n_src + 1) * sizeof(*oprank));
    in->alist_prank = oprank;
    in->slist_prank = oprank + n_alist;
    in->cpairs_prank = oprank + n_alist + n_slist;
    for (size_t i = 0; i < n_cpairs; i++)
        in->cpairs_prank[i] = SP_M_NONE;
    int32_t *mark = sp_xmalloc((n_res + 1) * sizeof(*mark));
    int32_t *val = sp_xmalloc((n_res + 1) * sizeof(*val));
    for (size_t r = 0; r < n_res; r++)
        mark[r] = SP_M_NONE;
    for (size_t p = 0; p < n_progs; p++) {
        const struct sp_m_program *pg = &in->progs[p];
        const int32_t *rol = sp_m_list(in->prol, pg->rol_off);
        for (int32_t j = 0; j < pg->rol_len; j++) {
            mark[rol[j]] = (int32_t)p;
            val[rol[j]] = j;
        }
        for (int32_t i = pstart[p]; i < pstart[p + 1]; i++) {
            int32_t r = g_res[i];
            int32_t a = (size_t)r < n_apps ? r : L->owner[r];
            oprank[g_src[i]] = mark[a] == (int32_t)p ? val[a] : SP_M_NONE;
        }
    }
    f->oprank = oprank;
    f->mark = mark;
    f->val = val;
}

/* Pass B, singles and PGY-1 heads: the entries of L->e, mutually acceptable ones only. */
static void freeze_entries(sp_match_instance *in, struct freeze *f)
{
    struct sp_m_layout *L = &in->L;
    size_t n_apps = f->n_apps, n_res = f->n_res, n_alist = f->n_alist;
    const int32_t *oprank = f->oprank;
    int32_t *slot = f->slot;

    int32_t ne = 0;
    for (size_t r = 0; r < n_res; r++) {
        bool head = r >= n_apps;
        const struct sp_m_applicant *ap = &in->apps[head ? L->owner[r] : (int32_t)r];
        int32_t off = head ? ap->sup_off : ap->list_off;
        int32_t len = head ? ap->sup_len : ap->list_len;
        const int32_t *list = head ? in->slist : in->alist;
        int32_t base = head ? (int32_t)n_alist : 0;
        L->eoff[r] = ne;
        if (L->kind[r] == SP_RES_MEMBER)
            continue;
        for (int32_t k = 0; k < len; k++) {
            int32_t src = base + off + k;
            int32_t p = list[off + k];
            slot[src] = SP_M_NONE;
            if (oprank[src] < 0 || in->progs[p].capacity == 0)
                continue;
            slot[src] = ne;
            L->e[ne].prog = p;
            L->e[ne].prank = 0; /* set in pass C */
            L->e_pos[ne++] = k;
        }
    }
    L->eoff[n_res] = ne;
    for (size_t r = 0; r < n_res; r++) {
        if (L->eoff[r + 1] > L->eoff[r])
            L->e[L->eoff[r + 1] - 1].prank = SP_M_LAST;
    }
}

/* Pass B, couples: the pairs of L->cp whose every side is mutually acceptable and fits. */
static void freeze_pairs(sp_match_instance *in, struct freeze *f)
{
    struct sp_m_layout *L = &in->L;
    size_t n_cpls = f->n_cpls, n_alist = f->n_alist, n_slist = f->n_slist;
    int32_t *slot = f->slot;

    int32_t npairs = 0;
    for (size_t c = 0; c < n_cpls; c++) {
        const struct sp_m_couple *cp = &in->cpls[c];
        L->coff[c] = npairs;
        for (int32_t k = 0; k < cp->len; k++) {
            int32_t i = cp->off + 2 * k;
            int32_t p1 = in->cpairs[i], p2 = in->cpairs[i + 1];
            int32_t src = (int32_t)(n_alist + n_slist) + i;
            bool ok = true;
            for (int s = 0; s < 2; s++) {
                int32_t p = in->cpairs[i + s];
                if (p >= 0 && (in->cpairs_prank[i + s] < 0 || in->progs[p].capacity == 0))
                    ok = false;
            }
            if (p1 >= 0 && p1 == p2 && in->progs[p1].capacity < 2)
                ok = false;
            slot[src] = slot[src + 1] = ok ? npairs : SP_M_NONE;
            if (!ok)
                continue;
            L->cp[npairs] = (struct sp_m_pair){p1, SP_M_NONE, p2, SP_M_NONE};
            L->cp_pos[npairs++] = k;
        }
    }
    L->coff[n_cpls] = npairs;
}

/* Pass B: the layout's lists, mutually acceptable entries only. slot[src] is the entry's
 * index in L->e, or its pair's index in L->cp; -1 when filtered out. */
static void freeze_filter(sp_match_instance *in, struct freeze *f)
{
    struct sp_m_layout *L = &in->L;
    size_t n_res = f->n_res, n_cpls = f->n_cpls, n_cpairs = f->n_cpairs;

    f->slot = sp_xmalloc((f->n_src + 1) * sizeof(*f->slot));
    size_t n_entries = f->n_alist + f->n_slist;
    L->eoff = sp_xmalloc((n_res + 1) * sizeof(*L->eoff));
    L->e = sp_xmalloc((n_entries + 1) * sizeof(*L->e));
    L->e_pos = sp_xmalloc((n_entries + 1) * sizeof(*L->e_pos));
    L->coff = sp_xmalloc((n_cpls + 1) * sizeof(*L->coff));
    L->cp = sp_xmalloc((n_cpairs / 2 + 1) * sizeof(*L->cp));
    L->cp_pos = sp_xmalloc((n_cpairs / 2 + 1) * sizeof(*L->cp_pos));
    L->has_couples = n_cpls > 0;
    L->has_heads = f->n_heads > 0;
    freeze_entries(in, f);
    freeze_pairs(in, f);
}

/* Pass C: filtered program lists (residents with a surviving entry there) with each
 * resident's best index at the program, and the filtered rank of every entry. */
static void freeze_programs(sp_match_instance *in, struct freeze *f)
{
    struct sp_m_layout *L = &in->L;
    size_t n_progs = f->n_progs, n_res = f->n_res, n_inc = f->n_inc;
    size_t n_entries = f->n_alist + f->n_slist;
    const int32_t *head_of = f->head_of, *pstart = f->pstart;
    const int32_t *g_res = f->g_res, *g_src = f->g_src, *slot = f->slot;
    int32_t *mark = f->mark, *val = f->val;

    L->ps = sp_xcalloc(n_progs + 1, sizeof(*L->ps));
    L->pr_res = sp_xmalloc((n_inc + 1) * sizeof(*L->pr_res));
    L->pr_arank = sp_xmalloc((n_inc + 1) * sizeof(*L->pr_arank));
    for (size_t r = 0; r < n_res; r++)
        mark[r] = SP_M_NONE;
    int32_t npr = 0;
    size_t heap_total = 0;
    for (size_t p = 0; p < n_progs; p++) {
        const struct sp_m_program *pg = &in->progs[p];
        const int32_t *rol = sp_m_list(in->prol, pg->rol_off);
        int32_t tag = (int32_t)p;
        for (int32_t i = pstart[p]; i < pstart[p + 1]; i++) {
            int32_t r = g_res[i];
            int32_t g = slot[g_src[i]];
            if (g < 0)
                continue;
            if (mark[r] != tag) {
                mark[r] = tag;
                val[r] = g;
            } else if (g < val[r]) {
                val[r] = g;
            }
        }
        struct sp_m_pslot *ps = &L->ps[p];
        ps->poff = npr;
        for (int32_t j = 0; j < pg->rol_len; j++) {
            int32_t r = rol[j];
            if (mark[r] != tag) {
                if (head_of[r] >= 0 && mark[head_of[r]] == tag)
                    r = head_of[r];
                else
                    continue;
            }
            L->pr_res[npr] = r;
            L->pr_arank[npr] = val[r];
            val[r] = npr - ps->poff; /* from here on: r's filtered rank at p */
            npr++;
        }
        ps->plen = npr - ps->poff;
        for (int32_t i = pstart[p]; i < pstart[p + 1]; i++) {
            int32_t src = g_src[i];
            int32_t g = slot[src];
            if (g < 0)
                continue;
            if ((size_t)src < n_entries)
                L->e[g].prank = val[g_res[i]] | (L->e[g].prank & SP_M_LAST);
            else if (((src - (int32_t)n_entries) & 1) == 0)
                L->cp[g].r1 = val[g_res[i]];
            else
                L->cp[g].r2 = val[g_res[i]];
        }
        ps->hcap = pg->capacity < ps->plen ? pg->capacity : ps->plen;
        ps->hoff = (int32_t)heap_total;
        heap_total += (size_t)ps->hcap;
    }
    L->heap_total = heap_total;
}

int sp_match_freeze(sp_match_instance *in, struct sp_err *err)
{
    struct freeze f = {0};
    int rc;

    if (in->frozen)
        return 0;
    if ((rc = check_overlap(in, err)))
        return rc;

    f.n_apps = in->n_apps;
    f.n_progs = in->n_progs;
    f.n_cpls = in->n_cpls;
    f.n_alist = in->n_alist;
    f.n_slist = in->n_slist;
    f.n_cpairs = in->n_cpairs;
    f.n_src = f.n_alist + f.n_slist + f.n_cpairs;
    freeze_residents(in, &f);
    freeze_group(in, &f);
    freeze_rank(in, &f);
    freeze_filter(in, &f);
    freeze_programs(in, &f);
    in->frozen = true;

    free(f.head_of);
    free(f.pstart);
    free(f.g_res);
    free(f.g_src);
    free(f.mark);
    free(f.val);
    free(f.slot);
    return 0;
}

/* ---- views ----------------------------------------------------------------------------- */

size_t sp_match_n_programs(const sp_match_instance *in)
{
    return in->n_progs;
}

size_t sp_match_n_applicants(const sp_match_instance *in)
{
    return in->n_apps;
}

size_t sp_match_n_couples(const sp_match_instance *in)
{
    return in->n_cpls;
}

const char *sp_match_program_id(const sp_match_instance *in, size_t program)
{
    return in->progs[program].id;
}

long sp_match_program_capacity(const sp_match_instance *in, size_t program)
{
    return in->progs[program].capacity;
}

enum sp_track sp_match_program_track(const sp_match_instance *in, size_t program)
{
    return in->progs[program].track;
}

const char *sp_match_applicant_id(const sp_match_instance *in, size_t applicant)
{
    return in->apps[applicant].id;
}

int sp_match_applicant_couple(const sp_match_instance *in, size_t applicant)
{
    return in->apps[applicant].couple;
}

bool sp_match_applicant_has_supplemental(const sp_match_instance *in, size_t applicant)
{
    return in->apps[applicant].has_sup && in->apps[applicant].sup_len > 0;
}

const char *sp_match_couple_id(const sp_match_instance *in, size_t couple)
{
    return in->cpls[couple].id;
}
