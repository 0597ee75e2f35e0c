/*
 * The profile document (smartpick.profile/1): a strict reader and a writer.
 *
 * The reader walks each JSON object in document order against a table of the keys
 * it may hold, so the first error a user sees is the first one in their file, and
 * an unknown key at any depth is caught with the nearest known key as a
 * suggestion. Every message is "<json path>: <value as written> <rule>". The
 * reader only checks each value on its own; rules between fields are
 * sp_profile_complete()'s, so the CLI, the server and the tests apply the same.
 *
 * The writer emits only what the document gave (p->given), so defaults are
 * recomputed, and never frozen, when a saved profile is read back.
 */
#include "profile_json.h"

#include "sp_buf.h"
#include "sp_str.h"

#include <jansson.h>
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "banned.h"

#define PATH_MAX_LEN 160
#define SHOW_MAX 48 /* bytes of a value quoted in a message */

struct rd {
    struct sp_profile *p;
    struct sp_err *err;
    struct sp_away *away; /* the away rotation being read */
    bool away_specialty;  /* whether it named its specialty */
};

enum kind { K_INT, K_NUM, K_BOOL, K_FN };

typedef int (*field_fn)(struct rd *r, const char *path, json_t *v);

/* One key an object may hold. K_INT/K_NUM/K_BOOL store into the profile at off,
 * checking [min, max]; K_FN hands the value to fn. given is set once it passed. */
struct field {
    const char *key;
    enum kind kind;
    size_t off;
    double min, max;
    unsigned given;
    field_fn fn;
};

#define F_INT(k, m, lo, hi, g)                                                                     \
    {                                                                                              \
        k, K_INT, offsetof(struct sp_profile, m), lo, hi, g, NULL                                  \
    }
#define F_NUM(k, m, lo, hi, g)                                                                     \
    {                                                                                              \
        k, K_NUM, offsetof(struct sp_profile, m), lo, hi, g, NULL                                  \
    }
#define F_BOOL(k, m, g)                                                                            \
    {                                                                                              \
        k, K_BOOL, offsetof(struct sp_profile, m), 0, 1, g, NULL                                   \
    }
#define F_FN(k, fn, g)                                                                             \
    {                                                                                              \
        k, K_FN, 0, 0, 0, g, fn                                                                    \
    }
#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

/* ---- messages ---------------------------------------------------------- */

struct show_buf {
    char *buf;
    size_t cap; /* bytes for text, excluding the NUL */
    size_t len;
    bool cut;
};

static int show_cb(const char *data, size_t size, void *payload)
{
    struct show_buf *s = payload;
    size_t room = s->cap - s->len;

    if (size > room) {
        size = room;
        s->cut = true;
    }
    memcpy(s->buf + s->len, data, size);
    s->len += size;
    return 0;
}

/* The value as compact JSON, cut to fit with "..." (never inside a UTF-8
 * character). Writes into buf (cap > 4) without allocating. */
static const char *show(char *buf, size_t cap, const json_t *v)
{
    struct show_buf s = {buf, cap - 4, 0, false};

    json_dump_callback(v, show_cb, &s, JSON_ENCODE_ANY | JSON_COMPACT | JSON_REAL_PRECISION(10));
    if (s.cut && s.len > 0) {
        /* Drop a last character the cut left incomplete. */
        size_t start = s.len - 1;
        while (start > 0 && ((unsigned char)buf[start] & 0xC0) == 0x80)
            start--;
        if (start + sp_utf8_len((unsigned char)buf[start]) > s.len)
            s.len = start;
    }
    if (s.cut) {
        memcpy(buf + s.len, "...", 3);
        s.len += 3;
    }
    buf[s.len] = '\0';
    return buf;
}

static int bad(struct rd *r, const char *path, const json_t *v, const char *rule)
{
    char shown[SHOW_MAX];

    /* The document itself is called "profile" in messages; its field is "". */
    if (!path[0])
        return sp_err_doc(r->err, SP_EINVAL, SP_WHY_INVALID, "profile", ": %s %s",
                          show(shown, sizeof(shown), v), rule);
    return sp_err_at(r->err, SP_EINVAL, SP_WHY_INVALID, path, ": %s %s",
                     show(shown, sizeof(shown), v), rule);
}

static void join(char *out, const char *parent, const char *key)
{
    snprintf(out, PATH_MAX_LEN, "%s%s%s", parent, parent[0] ? "." : "", key);
}

static void join_index(char *out, const char *parent, size_t i)
{
    snprintf(out, PATH_MAX_LEN, "%s[%zu]", parent, i);
}

static bool prefix_of(const char *a, const char *b)
{
    size_t n = strlen(a);

    for (size_t i = 0; i < n; i++) {
        char x = a[i], y = b[i];
        if (x >= 'A' && x <= 'Z')
            x = (char)(x - 'A' + 'a');
        if (y >= 'A' && y <= 'Z')
            y = (char)(y - 'A' + 'a');
        if (x != y)
            return false;
    }
    return true;
}

/* Whether word is close enough to cand to suggest it: a typo or two, a case
 * difference, or a truncation ("step2" for "step2_ck"). */
static bool close_to(const char *word, const char *cand, size_t *dist)
{
    size_t lw = strlen(word), lc = strlen(cand);

    *dist = sp_str_distance(word, cand, 8);
    if (*dist <= 1 || (*dist <= 2 && lw >= 4))
        return true;
    if (lw >= 3 && lc >= 3 && (lw < lc ? prefix_of(word, cand) : prefix_of(cand, word))) {
        *dist = 3;
        return true;
    }
    return false;
}

/* The candidate nearest to word, or NULL when none is close. */
static const char *nearest(const char *word, const char *const *cands, size_t n)
{
    const char *best = NULL;
    size_t best_d = (size_t)-1, d;

    for (size_t i = 0; i < n; i++) {
        if (close_to(word, cands[i], &d) && d < best_d) {
            best = cands[i];
            best_d = d;
        }
    }
    return best;
}

/* " (did you mean 'x'?)" or " (expected one of: a, b, c)" into buf. */
static const char *hint(char *buf, size_t cap, const char *word, const char *const *cands, size_t n)
{
    const char *near = nearest(word, cands, n);
    size_t len;

    if (near) {
        snprintf(buf, cap, " (did you mean '%s'?)", near);
        return buf;
    }
    snprintf(buf, cap, " (expected one of: ");
    for (size_t i = 0; i < n; i++) {
        len = strlen(buf);
        snprintf(buf + len, cap - len, "%s%s", i ? ", " : "", cands[i]);
    }
    len = strlen(buf);
    snprintf(buf + len, cap - len, ")");
    return buf;
}

/* ---- scalar readers ---------------------------------------------------- */

static int range_error(struct rd *r, const char *path, const json_t *v, double lo, double hi,
                       double x)
{
    char rule[64];

    if (lo == 0 && x < lo)
        snprintf(rule, sizeof(rule), "must be >= 0");
    else if (lo == 0)
        snprintf(rule, sizeof(rule), "must be <= %g", hi);
    else
        snprintf(rule, sizeof(rule), "must be between %g and %g", lo, hi);
    return bad(r, path, v, rule);
}

static int read_int(struct rd *r, const char *path, json_t *v, double lo, double hi, int *out)
{
    double x;

    if (!json_is_number(v))
        return bad(r, path, v, "must be a whole number");
    if (json_is_integer(v)) {
        json_int_t i = json_integer_value(v);
        if ((double)i < lo || (double)i > hi)
            return range_error(r, path, v, lo, hi, (double)i);
        *out = (int)i;
        return 0;
    }
    x = json_real_value(v);
    if (x != floor(x))
        return bad(r, path, v, "must be a whole number");
    if (x < lo || x > hi)
        return range_error(r, path, v, lo, hi, x);
    *out = (int)x;
    return 0;
}

static int read_num(struct rd *r, const char *path, json_t *v, double lo, double hi, double *out)
{
    double x;

    if (!json_is_number(v))
        return bad(r, path, v, "must be a number");
    x = json_number_value(v);
    if (x < lo || x > hi)
        return range_error(r, path, v, lo, hi, x);
    *out = x;
    return 0;
}

static int read_bool(struct rd *r, const char *path, json_t *v, bool *out)
{
    if (!json_is_boolean(v))
        return bad(r, path, v, "must be true or false");
    *out = json_is_true(v);
    return 0;
}

/* A string of at most max bytes (and at least one), copied into out. */
static int read_string(struct rd *r, const char *path, json_t *v, char *out, size_t max)
{
    char rule[48];
    size_t len;

    if (!json_is_string(v))
        return bad(r, path, v, "must be a string");
    len = json_string_length(v);
    if (len == 0)
        return bad(r, path, v, "must not be empty");
    if (len > max) {
        snprintf(rule, sizeof(rule), "must be at most %zu bytes", max);
        return bad(r, path, v, rule);
    }
    memcpy(out, json_string_value(v), len);
    out[len] = '\0';
    return 0;
}

static const char *const spec_codes[SP_SPEC_COUNT] = {"IR",   "DR", "IM",    "GS", "VS",
                                                      "ANES", "EM", "NEURO", "PMR"};

/* A SmartPick specialty code, exactly as written in docs/PROFILE.md. */
static int parse_code(struct rd *r, const char *path, const json_t *v, const char *text,
                      enum sp_specialty *out, const char *what)
{
    char h[160], rule[224];
    enum sp_specialty s;

    for (int i = 0; i < SP_SPEC_COUNT; i++) {
        if (strcmp(text, spec_codes[i]) == 0) {
            *out = (enum sp_specialty)i;
            return 0;
        }
    }
    /* "ir" or "416": the reader is strict, but names the code that was meant. */
    if (sp_specialty_parse(&s, text) == 0)
        snprintf(h, sizeof(h), " (did you mean '%s'?)", sp_specialty_code(s));
    else
        hint(h, sizeof(h), text, spec_codes, SP_SPEC_COUNT);
    snprintf(rule, sizeof(rule), "%s%s", what, h);
    return bad(r, path, v, rule);
}

static int read_specialty(struct rd *r, const char *path, json_t *v, enum sp_specialty *out)
{
    if (!json_is_string(v))
        return bad(r, path, v, "must be a specialty code (IR DR IM GS VS ANES EM NEURO PMR)");
    return parse_code(r, path, v, json_string_value(v), out, "is not a specialty code");
}

static int read_state(struct rd *r, const char *path, json_t *v, char out[3])
{
    char up[3] = "";
    const char *s;

    if (!json_is_string(v))
        return bad(r, path, v, "must be a two-letter state code");
    s = json_string_value(v);
    if (sp_profile_state_valid(s)) {
        memcpy(out, s, 3);
        return 0;
    }
    if (strlen(s) == 2) {
        for (int i = 0; i < 2; i++)
            up[i] = (char)(s[i] >= 'a' && s[i] <= 'z' ? s[i] - 'a' + 'A' : s[i]);
        up[2] = '\0';
    }
    if (up[0] && sp_profile_state_valid(up)) {
        char rule[96];
        snprintf(rule, sizeof(rule), "must be an upper-case state code (did you mean '%s'?)", up);
        return bad(r, path, v, rule);
    }
    return bad(r, path, v, "must be the code of one of the 50 states, DC or PR");
}

/* An ACGME program ID: 10 digits whose first 3 are one of the nine specialties. */
static int read_acgme(struct rd *r, const char *path, json_t *v, char out[SP_ACGME_ID_LEN + 1],
                      enum sp_specialty *spec)
{
    char rule[96], code[4];
    const char *s;
    size_t len;

    if (!json_is_string(v))
        return bad(r, path, v, "must be a 10-digit ACGME program ID");
    s = json_string_value(v);
    len = json_string_length(v);
    if (len != SP_ACGME_ID_LEN || strspn(s, "0123456789") != SP_ACGME_ID_LEN)
        return bad(r, path, v, "must be a 10-digit ACGME program ID");
    memcpy(code, s, 3);
    code[3] = '\0';
    for (int i = 0; i < SP_SPEC_COUNT; i++) {
        if (strcmp(code, sp_specialty_acgme((enum sp_specialty)i)) == 0) {
            memcpy(out, s, SP_ACGME_ID_LEN + 1);
            *spec = (enum sp_specialty)i;
            return 0;
        }
    }
    snprintf(rule, sizeof(rule),
             "is not a program of the nine specialties (ACGME specialty code %s)", code);
    return bad(r, path, v, rule);
}

static int read_array(struct rd *r, const char *path, json_t *v, size_t max)
{
    char rule[48];

    if (!json_is_array(v))
        return bad(r, path, v, "must be an array");
    if (json_array_size(v) > max) {
        snprintf(rule, sizeof(rule), "must have at most %zu entries", max);
        return bad(r, path, v, rule);
    }
    return 0;
}

/* Reads one element of a list into its slot (see read_list). */
typedef int (*read_slot_fn)(struct rd *r, const char *path, json_t *v, void *slot);

/*
 * An array of at most max distinct elements into slots of size bytes each: read_slot reads
 * element i into slot i, and a slot equal byte for byte to an earlier one is a repeat. *n
 * counts the elements read, so it stays right when reading stops at an error.
 */
static int read_list(struct rd *r, const char *path, json_t *v, size_t max, void *slots,
                     size_t size, size_t *n, read_slot_fn read_slot)
{
    char sub[PATH_MAX_LEN];
    unsigned char *at = slots;
    int rc;

    rc = read_array(r, path, v, max);
    if (rc)
        return rc;
    *n = 0;
    for (size_t i = 0; i < json_array_size(v); i++) {
        json_t *e = json_array_get(v, i);
        join_index(sub, path, i);
        rc = read_slot(r, sub, e, at + i * size);
        if (rc)
            return rc;
        for (size_t j = 0; j < i; j++) {
            if (memcmp(at + j * size, at + i * size, size) == 0)
                return bad(r, sub, e, "appears twice");
        }
        *n = i + 1;
    }
    return 0;
}

/* ---- objects ----------------------------------------------------------- */

static int walk(struct rd *r, const char *path, json_t *obj, const struct field *fields, size_t n)
{
    const char *names[24];
    char sub[PATH_MAX_LEN], h[SP_ERR_MSG_MAX];
    const char *key;
    json_t *v;
    int rc;

    if (!json_is_object(obj))
        return bad(r, path, obj, "must be an object");
    json_object_foreach(obj, key, v)
    {
        const struct field *f = NULL;
        for (size_t i = 0; i < n; i++) {
            if (strcmp(key, fields[i].key) == 0) {
                f = &fields[i];
                break;
            }
        }
        join(sub, path, key);
        if (!f) {
            for (size_t i = 0; i < n && i < COUNT(names); i++)
                names[i] = fields[i].key;
            return sp_err_at(r->err, SP_EINVAL, SP_WHY_UNKNOWN_FIELD, sub, ": unknown key%s",
                             hint(h, sizeof(h), key, names, n));
        }
        switch (f->kind) {
        case K_INT:
            rc = read_int(r, sub, v, f->min, f->max, (int *)((char *)r->p + f->off));
            break;
        case K_NUM:
            rc = read_num(r, sub, v, f->min, f->max, (double *)((char *)r->p + f->off));
            break;
        case K_BOOL:
            rc = read_bool(r, sub, v, (bool *)((char *)r->p + f->off));
            break;
        default:
            rc = f->fn(r, sub, v);
            break;
        }
        if (rc)
            return rc;
        r->p->given |= f->given;
    }
    return 0;
}

/* {"IR": 3, "DR": 1}: a count per specialty code. */
static int read_spec_map(struct rd *r, const char *path, json_t *obj, int *counts, double max)
{
    char sub[PATH_MAX_LEN], h[160];
    enum sp_specialty s;
    const char *key;
    json_t *v;
    int rc;

    if (!json_is_object(obj))
        return bad(r, path, obj, "must be an object of specialty code: count");
    json_object_foreach(obj, key, v)
    {
        int found = -1;
        join(sub, path, key);
        for (int i = 0; i < SP_SPEC_COUNT; i++) {
            if (strcmp(key, spec_codes[i]) == 0)
                found = i;
        }
        if (found < 0) {
            if (sp_specialty_parse(&s, key) == 0)
                snprintf(h, sizeof(h), " (did you mean '%s'?)", sp_specialty_code(s));
            else
                hint(h, sizeof(h), key, spec_codes, SP_SPEC_COUNT);
            return sp_err_at(r->err, SP_EINVAL, SP_WHY_INVALID, sub, ": unknown specialty code%s",
                             h);
        }
        rc = read_int(r, sub, v, 0, max, &counts[found]);
        if (rc)
            return rc;
    }
    return 0;
}

static int f_schema(struct rd *r, const char *path, json_t *v)
{
    if (!json_is_string(v) || strcmp(json_string_value(v), SP_PROFILE_SCHEMA) != 0)
        return bad(r, path, v, "must be \"" SP_PROFILE_SCHEMA "\"");
    return 0;
}

static int f_applicant_type(struct rd *r, const char *path, json_t *v)
{
    static const char *const types[] = {"us_md", "us_do", "us_img", "non_us_img"};
    char rule[160], h[120];
    const char *near;

    if (json_is_string(v) &&
        sp_applicant_type_parse(&r->p->applicant_type, json_string_value(v)) == 0)
        return 0;
    near = json_is_string(v) ? nearest(json_string_value(v), types, COUNT(types)) : NULL;
    if (near)
        snprintf(h, sizeof(h), " (did you mean '%s'?)", near);
    else
        h[0] = '\0';
    snprintf(rule, sizeof(rule), "must be one of us_md, us_do, us_img, non_us_img%s", h);
    return bad(r, path, v, rule);
}

static int f_name(struct rd *r, const char *path, json_t *v)
{
    return read_string(r, path, v, r->p->name, sizeof(r->p->name) - 1);
}

static const struct field scores_fields[] = {
    F_NUM("step2_ck", step2_ck, 1, 300, SP_PF_STEP2 | SP_PF_STEP2_CK),
    F_NUM("comlex2", comlex2, 9, 999, SP_PF_STEP2),
    F_INT("failures", failures, 0, 10, SP_PF_FAILURES),
};

static int f_scores(struct rd *r, const char *path, json_t *v)
{
    return walk(r, path, v, scores_fields, COUNT(scores_fields));
}

static const struct field clinical_fields[] = {
    F_INT("honors", honors, 0, 20, SP_PF_HONORS),
    F_INT("core_clerkships", core_clerkships, 1, 20, 0),
    F_BOOL("aoa", aoa, SP_PF_AOA),
};

static int f_clinical(struct rd *r, const char *path, json_t *v)
{
    return walk(r, path, v, clinical_fields, COUNT(clinical_fields));
}

static int f_by_specialty(struct rd *r, const char *path, json_t *v)
{
    return read_spec_map(r, path, v, r->p->research_in, 500);
}

static const struct field research_fields[] = {
    F_INT("publications", publications, 0, 500, 0),
    F_INT("abstracts", abstracts, 0, 500, 0),
    F_INT("presentations", presentations, 0, 500, 0),
    F_INT("experiences", research_experiences, 0, 100, 0),
    F_FN("by_specialty", f_by_specialty, 0),
};

static int f_research(struct rd *r, const char *path, json_t *v)
{
    return walk(r, path, v, research_fields, COUNT(research_fields));
}

static int f_letters(struct rd *r, const char *path, json_t *v)
{
    return read_spec_map(r, path, v, r->p->letters, 10);
}

static int f_away_specialty(struct rd *r, const char *path, json_t *v)
{
    r->away_specialty = true;
    return read_specialty(r, path, v, &r->away->specialty);
}

static int f_away_acgme(struct rd *r, const char *path, json_t *v)
{
    enum sp_specialty s;

    return read_acgme(r, path, v, r->away->acgme_id, &s);
}

static const struct field away_fields[] = {
    F_FN("specialty", f_away_specialty, 0),
    F_FN("acgme_id", f_away_acgme, 0),
};

static int f_aways(struct rd *r, const char *path, json_t *v)
{
    char sub[PATH_MAX_LEN], at[PATH_MAX_LEN], rule[96];
    struct sp_profile *p = r->p;
    int rc;

    rc = read_array(r, path, v, SP_PROFILE_MAX_AWAYS);
    if (rc)
        return rc;
    p->n_aways = 0;
    for (size_t i = 0; i < json_array_size(v); i++) {
        json_t *e = json_array_get(v, i);
        struct sp_away *a = &p->aways[i];

        join_index(sub, path, i);
        r->away = a;
        r->away_specialty = false;
        rc = walk(r, sub, e, away_fields, COUNT(away_fields));
        if (rc)
            return rc;
        if (!r->away_specialty) {
            join(at, sub, "specialty");
            return sp_err_at(r->err, SP_EINVAL, SP_WHY_INVALID, at,
                             ": missing, an away rotation must name its specialty");
        }
        p->n_aways = i + 1;
        if (!a->acgme_id[0])
            continue;
        join(at, sub, "acgme_id");
        if (strncmp(a->acgme_id, sp_specialty_acgme(a->specialty), 3) != 0) {
            enum sp_specialty s = SP_SPEC_IR;
            for (int k = 0; k < SP_SPEC_COUNT; k++) {
                if (strncmp(a->acgme_id, sp_specialty_acgme((enum sp_specialty)k), 3) == 0)
                    s = (enum sp_specialty)k;
            }
            snprintf(rule, sizeof(rule), "is a %s program, but the rotation's specialty is %s",
                     sp_specialty_code(s), sp_specialty_code(a->specialty));
            return bad(r, at, json_object_get(e, "acgme_id"), rule);
        }
        for (size_t j = 0; j < i; j++) {
            if (strcmp(p->aways[j].acgme_id, a->acgme_id) == 0)
                return bad(r, at, json_object_get(e, "acgme_id"), "appears twice");
        }
    }
    return 0;
}

static int read_home_slot(struct rd *r, const char *path, json_t *v, void *slot)
{
    enum sp_specialty s;

    return read_acgme(r, path, v, slot, &s);
}

static int f_homes(struct rd *r, const char *path, json_t *v)
{
    return read_list(r, path, v, SP_PROFILE_MAX_HOMES, r->p->home_programs,
                     sizeof(r->p->home_programs[0]), &r->p->n_home_programs, read_home_slot);
}

static const struct field red_flag_fields[] = {
    F_INT("gap_months", gap_months, 0, 240, 0),
    F_BOOL("professionalism", professionalism, 0),
    F_BOOL("reapplicant", reapplicant, 0),
};

static int f_red_flags(struct rd *r, const char *path, json_t *v)
{
    return walk(r, path, v, red_flag_fields, COUNT(red_flag_fields));
}

static int f_visa(struct rd *r, const char *path, json_t *v)
{
    if (json_is_string(v) && sp_visa_parse(&r->p->visa, json_string_value(v)) == 0)
        return 0;
    return bad(r, path, v, "must be one of none, j1, h1b");
}

static int read_state_slot(struct rd *r, const char *path, json_t *v, void *slot)
{
    return read_state(r, path, v, slot);
}

/* A list of distinct state codes into states[max][3]. */
static int read_states(struct rd *r, const char *path, json_t *v, char (*states)[3], size_t *n,
                       size_t max)
{
    return read_list(r, path, v, max, states, sizeof(states[0]), n, read_state_slot);
}

static int f_home_state(struct rd *r, const char *path, json_t *v)
{
    return read_state(r, path, v, r->p->home_state);
}

static int f_school_state(struct rd *r, const char *path, json_t *v)
{
    return read_state(r, path, v, r->p->school_state);
}

/* A preferred Census division; a near miss gets a hint. */
static int read_division_slot(struct rd *r, const char *path, json_t *v, void *slot)
{
    static const char *const names[] = {
        "new_england",        "middle_atlantic", "east_north_central",
        "west_north_central", "south_atlantic",  "east_south_central",
        "west_south_central", "mountain",        "pacific",
    };
    char h[224], rule[240];
    enum sp_division d;

    if (!json_is_string(v) || sp_division_parse(&d, json_string_value(v)) != 0 ||
        d < SP_DIV_NEW_ENGLAND || d > SP_DIV_PACIFIC) {
        if (json_is_string(v))
            hint(h, sizeof(h), json_string_value(v), names, COUNT(names));
        else
            h[0] = '\0';
        snprintf(rule, sizeof(rule), "is not a Census division%s", h);
        return bad(r, path, v, rule);
    }
    memcpy(slot, &d, sizeof(d));
    return 0;
}

static int f_divisions(struct rd *r, const char *path, json_t *v)
{
    return read_list(r, path, v, SP_PROFILE_MAX_DIVISIONS, r->p->divisions,
                     sizeof(r->p->divisions[0]), &r->p->n_divisions, read_division_slot);
}

static int f_ties(struct rd *r, const char *path, json_t *v)
{
    return read_states(r, path, v, r->p->tie_states, &r->p->n_tie_states, SP_PROFILE_MAX_STATES);
}

static const struct field geography_fields[] = {
    F_FN("home_state", f_home_state, 0),
    F_FN("school_state", f_school_state, 0),
    F_FN("preferred_divisions", f_divisions, 0),
    F_FN("ties", f_ties, 0),
};

static int f_geography(struct rd *r, const char *path, json_t *v)
{
    return walk(r, path, v, geography_fields, COUNT(geography_fields));
}

static const struct field values_fields[] = {
    F_INT("patient_contact", value_patient_contact, 1, 5, 0),
    F_INT("procedural", value_procedural, 1, 5, 0),
    F_INT("imaging", value_imaging, 1, 5, 0),
    F_INT("lifestyle", value_lifestyle, 1, 5, 0),
    F_INT("income", value_income, 1, 5, 0),
};

static int f_values(struct rd *r, const char *path, json_t *v)
{
    return walk(r, path, v, values_fields, COUNT(values_fields));
}

static int read_specialty_slot(struct rd *r, const char *path, json_t *v, void *slot)
{
    return read_specialty(r, path, v, slot);
}

static int f_specialties(struct rd *r, const char *path, json_t *v)
{
    int rc;

    rc = read_list(r, path, v, SP_SPEC_COUNT, r->p->specialties, sizeof(r->p->specialties[0]),
                   &r->p->n_specialties, read_specialty_slot);
    if (rc == 0 && json_array_size(v) == 0)
        return bad(r, path, v, "must list at least one specialty (the primary first)");
    return rc;
}

static int f_target(struct rd *r, const char *path, json_t *v)
{
    double x;

    if (!json_is_number(v))
        return bad(r, path, v, "must be a number");
    x = json_number_value(v);
    if (!(x > 0 && x < 1))
        return bad(r, path, v, "must be between 0 and 1, exclusive (a probability)");
    r->p->target_p_match = x;
    return 0;
}

static int f_program_type(struct rd *r, const char *path, json_t *v)
{
    if (json_is_string(v) && sp_program_pref_parse(&r->p->program_type, json_string_value(v)) == 0)
        return 0;
    return bad(r, path, v, "must be one of any, academic, community");
}

static int f_avoid_states(struct rd *r, const char *path, json_t *v)
{
    return read_states(r, path, v, r->p->avoid_states, &r->p->n_avoid_states,
                       SP_PROFILE_MAX_STATES);
}

static const struct field preferences_fields[] = {
    F_FN("specialties", f_specialties, SP_PF_SPECIALTIES),
    F_FN("target_p_match", f_target, SP_PF_TARGET),
    F_NUM("budget_usd", budget_usd, 0, 1000000, SP_PF_BUDGET),
    F_INT("budget_applications", budget_applications, 0, 1000, SP_PF_BUDGET),
    F_FN("program_type", f_program_type, 0),
    F_FN("avoid_states", f_avoid_states, 0),
    F_BOOL("esir_wanted", esir_wanted, 0),
};

static int f_preferences(struct rd *r, const char *path, json_t *v)
{
    return walk(r, path, v, preferences_fields, COUNT(preferences_fields));
}

static int f_partner_profile(struct rd *r, const char *path, json_t *v)
{
    return read_string(r, path, v, r->p->partner_profile, sizeof(r->p->partner_profile) - 1);
}

static const struct field partner_fields[] = {
    F_FN("profile", f_partner_profile, 0),
};

static int f_partner(struct rd *r, const char *path, json_t *v)
{
    char at[PATH_MAX_LEN];
    int rc = walk(r, path, v, partner_fields, COUNT(partner_fields));

    if (rc == 0 && !r->p->partner_profile[0]) {
        join(at, path, "profile");
        return sp_err_at(r->err, SP_EINVAL, SP_WHY_INVALID, at,
                         ": missing, partner needs the path of the partner's profile");
    }
    return rc;
}

static const struct field top_fields[] = {
    F_FN("schema", f_schema, 0),
    F_FN("name", f_name, 0),
    F_FN("applicant_type", f_applicant_type, 0),
    F_FN("scores", f_scores, 0),
    F_FN("clinical", f_clinical, 0),
    F_FN("research", f_research, SP_PF_RESEARCH),
    F_FN("letters", f_letters, SP_PF_LETTERS),
    F_FN("away_rotations", f_aways, SP_PF_AWAYS),
    F_FN("home_programs", f_homes, SP_PF_HOMES),
    F_FN("red_flags", f_red_flags, SP_PF_RED_FLAGS),
    F_FN("visa", f_visa, SP_PF_VISA),
    F_INT("graduation_year", graduation_year, 1960, 2040, SP_PF_GRAD_YEAR),
    F_INT("application_year", application_year, 2024, 2040, 0),
    F_FN("geography", f_geography, SP_PF_GEOGRAPHY),
    F_FN("values", f_values, SP_PF_VALUES),
    F_FN("preferences", f_preferences, 0),
    F_FN("partner", f_partner, 0),
};

int sp_profile_from_json(struct sp_profile *out, const char *text, size_t len, struct sp_err *err)
{
    struct rd r = {out, err, NULL, false};
    json_error_t jerr;
    json_t *root, *v;
    int rc;

    sp_profile_init(out);
    if (len > SP_PROFILE_JSON_MAX)
        return sp_err_doc(err, SP_EINVAL, SP_WHY_TOO_LARGE, "profile",
                          ": %zu bytes must be at most %d", len, SP_PROFILE_JSON_MAX);
    /* Editors on Windows save a UTF-8 byte-order mark; it is not JSON, but harmless. */
    if (len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0) {
        text += 3;
        len -= 3;
    }
    root = json_loadb(text, len, JSON_REJECT_DUPLICATES, &jerr);
    if (!root)
        return sp_err_why(err, SP_EINVAL, SP_WHY_BAD_JSON, "", "line %d, column %d: %s", jerr.line,
                          jerr.column, jerr.text);
    if (!json_is_object(root)) {
        rc = bad(&r, "", root, "must be an object");
        goto out;
    }
    /* The schema and the applicant type first: other errors mean little without them. */
    v = json_object_get(root, "schema");
    if (!v) {
        rc = sp_err_at(err, SP_EINVAL, SP_WHY_INVALID, "schema", ": missing, must be \"%s\"",
                       SP_PROFILE_SCHEMA);
        goto out;
    }
    rc = f_schema(&r, "schema", v);
    if (rc)
        goto out;
    v = json_object_get(root, "applicant_type");
    if (!v) {
        rc = sp_err_at(err, SP_EINVAL, SP_WHY_INVALID, "applicant_type",
                       ": missing, must be one of us_md, us_do, us_img, non_us_img");
        goto out;
    }
    rc = f_applicant_type(&r, "applicant_type", v);
    if (rc)
        goto out;
    rc = walk(&r, "", root, top_fields, COUNT(top_fields));
out:
    json_decref(root);
    return rc;
}

/* ---- writer ------------------------------------------------------------ */

struct wr {
    bool ok; /* false once a value could not be made (a string not UTF-8) */
};

static void put(struct wr *w, json_t *obj, const char *key, json_t *v)
{
    if (!v || json_object_set_new(obj, key, v) != 0)
        w->ok = false;
}

static void push(struct wr *w, json_t *arr, json_t *v)
{
    if (!v || json_array_append_new(arr, v) != 0)
        w->ok = false;
}

/* Whole numbers as JSON integers ("265", not "265.0"). */
static json_t *number(double x)
{
    if (x == floor(x) && fabs(x) < 1e15)
        return json_integer((json_int_t)x);
    return json_real(x);
}

/* Put an object or array only when it holds something. */
static void put_nonempty(struct wr *w, json_t *obj, const char *key, json_t *v)
{
    if ((json_is_object(v) && json_object_size(v) == 0) ||
        (json_is_array(v) && json_array_size(v) == 0)) {
        json_decref(v);
        return;
    }
    put(w, obj, key, v);
}

static json_t *spec_map(struct wr *w, const int *counts)
{
    json_t *o = json_object();

    for (int s = 0; s < SP_SPEC_COUNT; s++) {
        if (counts[s])
            put(w, o, spec_codes[s], json_integer(counts[s]));
    }
    return o;
}

static json_t *state_list(struct wr *w, const char (*states)[3], size_t n)
{
    json_t *a = json_array();

    for (size_t i = 0; i < n; i++)
        push(w, a, json_string(states[i]));
    return a;
}

static json_t *scores_json(struct wr *w, const struct sp_profile *p)
{
    json_t *o = json_object();

    if (p->given & SP_PF_STEP2_CK)
        put(w, o, "step2_ck", number(p->step2_ck));
    if ((p->given & SP_PF_STEP2) && p->comlex2 > 0)
        put(w, o, "comlex2", number(p->comlex2));
    if (p->given & SP_PF_FAILURES)
        put(w, o, "failures", json_integer(p->failures));
    return o;
}

static json_t *clinical_json(struct wr *w, const struct sp_profile *p)
{
    json_t *o = json_object();

    if (p->given & SP_PF_HONORS)
        put(w, o, "honors", json_integer(p->honors));
    if (p->core_clerkships != 7)
        put(w, o, "core_clerkships", json_integer(p->core_clerkships));
    if (p->given & SP_PF_AOA)
        put(w, o, "aoa", json_boolean(p->aoa));
    return o;
}

static json_t *research_json(struct wr *w, const struct sp_profile *p)
{
    json_t *o = json_object();

    put(w, o, "publications", json_integer(p->publications));
    put(w, o, "abstracts", json_integer(p->abstracts));
    put(w, o, "presentations", json_integer(p->presentations));
    put(w, o, "experiences", json_integer(p->research_experiences));
    put_nonempty(w, o, "by_specialty", spec_map(w, p->research_in));
    return o;
}

static json_t *aways_json(struct wr *w, const struct sp_profile *p)
{
    json_t *a = json_array();

    for (size_t i = 0; i < p->n_aways; i++) {
        json_t *o = json_object();
        put(w, o, "specialty", json_string(sp_specialty_code(p->aways[i].specialty)));
        if (p->aways[i].acgme_id[0])
            put(w, o, "acgme_id", json_string(p->aways[i].acgme_id));
        push(w, a, o);
    }
    return a;
}

static json_t *geography_json(struct wr *w, const struct sp_profile *p)
{
    json_t *o = json_object();
    json_t *d = json_array();

    if (p->home_state[0])
        put(w, o, "home_state", json_string(p->home_state));
    if (p->school_state[0])
        put(w, o, "school_state", json_string(p->school_state));
    for (size_t i = 0; i < p->n_divisions; i++)
        push(w, d, json_string(sp_division_name(p->divisions[i])));
    put_nonempty(w, o, "preferred_divisions", d);
    put_nonempty(w, o, "ties", state_list(w, p->tie_states, p->n_tie_states));
    return o;
}

static json_t *values_json(struct wr *w, const struct sp_profile *p)
{
    json_t *o = json_object();

    put(w, o, "patient_contact", json_integer(p->value_patient_contact));
    put(w, o, "procedural", json_integer(p->value_procedural));
    put(w, o, "imaging", json_integer(p->value_imaging));
    put(w, o, "lifestyle", json_integer(p->value_lifestyle));
    put(w, o, "income", json_integer(p->value_income));
    return o;
}

static json_t *preferences_json(struct wr *w, const struct sp_profile *p)
{
    json_t *o = json_object();

    if (p->given & SP_PF_SPECIALTIES) {
        json_t *a = json_array();
        for (size_t i = 0; i < p->n_specialties; i++)
            push(w, a, json_string(sp_specialty_code(p->specialties[i])));
        put(w, o, "specialties", a);
    }
    if (p->given & SP_PF_TARGET)
        put(w, o, "target_p_match", number(p->target_p_match));
    if (p->given & SP_PF_BUDGET) {
        /* A document that gave only "budget_usd": 0 keeps its bit through a round trip. */
        if (p->budget_usd > 0 || p->budget_applications == 0)
            put(w, o, "budget_usd", number(p->budget_usd));
        if (p->budget_applications > 0)
            put(w, o, "budget_applications", json_integer(p->budget_applications));
    }
    if (p->program_type != SP_PREF_ANY)
        put(w, o, "program_type", json_string(sp_program_pref_name(p->program_type)));
    put_nonempty(w, o, "avoid_states", state_list(w, p->avoid_states, p->n_avoid_states));
    if (p->esir_wanted)
        put(w, o, "esir_wanted", json_true());
    return o;
}

static json_t *profile_tree(struct wr *w, const struct sp_profile *p)
{
    json_t *root = json_object();

    put(w, root, "schema", json_string(SP_PROFILE_SCHEMA));
    if (p->name[0])
        put(w, root, "name", json_string(p->name));
    put(w, root, "applicant_type", json_string(sp_applicant_type_name(p->applicant_type)));
    put_nonempty(w, root, "scores", scores_json(w, p));
    put_nonempty(w, root, "clinical", clinical_json(w, p));
    if (p->given & SP_PF_RESEARCH)
        put(w, root, "research", research_json(w, p));
    if (p->given & SP_PF_LETTERS)
        put(w, root, "letters", spec_map(w, p->letters));
    if (p->given & SP_PF_AWAYS)
        put(w, root, "away_rotations", aways_json(w, p));
    if (p->given & SP_PF_HOMES) {
        json_t *a = json_array();
        for (size_t i = 0; i < p->n_home_programs; i++)
            push(w, a, json_string(p->home_programs[i]));
        put(w, root, "home_programs", a);
    }
    if (p->given & SP_PF_RED_FLAGS)
        put(w, root, "red_flags",
            json_pack("{s:i, s:b, s:b}", "gap_months", p->gap_months, "professionalism",
                      p->professionalism, "reapplicant", p->reapplicant));
    if (p->given & SP_PF_VISA)
        put(w, root, "visa", json_string(sp_visa_name(p->visa)));
    if (p->given & SP_PF_GRAD_YEAR)
        put(w, root, "graduation_year", json_integer(p->graduation_year));
    if (p->application_year != 2027)
        put(w, root, "application_year", json_integer(p->application_year));
    if (p->given & SP_PF_GEOGRAPHY)
        put(w, root, "geography", geography_json(w, p));
    if (p->given & SP_PF_VALUES)
        put(w, root, "values", values_json(w, p));
    put_nonempty(w, root, "preferences", preferences_json(w, p));
    if (p->partner_profile[0])
        put(w, root, "partner", json_pack("{s:s}", "profile", p->partner_profile));
    return root;
}

char *sp_profile_to_json(const struct sp_profile *p)
{
    const size_t flags = JSON_INDENT(2) | JSON_PRESERVE_ORDER;
    struct wr w = {true};
    struct sp_buf out = SP_BUF_INIT;
    json_t *root = profile_tree(&w, p), *back;
    char *text = NULL;

    if (!w.ok)
        goto out;
    /* 15 significant digits read best ("0.85"); use 17, which always reads back
     * the same double, only when 15 would not. */
    text = json_dumps(root, flags | JSON_REAL_PRECISION(15));
    back = text ? json_loads(text, 0, NULL) : NULL;
    if (!back || !json_equal(root, back)) {
        free(text);
        text = json_dumps(root, flags | JSON_REAL_PRECISION(17));
    }
    json_decref(back);
    if (!text)
        goto out;
    sp_buf_adds(&out, text);
    sp_buf_addc(&out, '\n');
    free(text);
    text = sp_buf_detach(&out, NULL);
out:
    json_decref(root);
    return text;
}
