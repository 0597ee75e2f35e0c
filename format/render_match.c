/*
 * Match results as text, the peer `.match` format, JSON (smartpick.match_result/1) or CSV,
 * and the checker's verdict. Formats are documented in docs/MATCH.md "Output".
 */
#include "render_match.h"

#include "render.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "banned.h"

#define JSON_FLAGS (JSON_INDENT(2) | JSON_PRESERVE_ORDER)

int sp_match_format_parse(enum sp_match_format *out, const char *name, struct sp_err *err)
{
    static const struct {
        const char *name;
        enum sp_match_format fmt;
    } names[] = {{"text", SP_MATCH_FMT_TEXT},
                 {"table", SP_MATCH_FMT_TEXT},
                 {"match", SP_MATCH_FMT_MATCH},
                 {"json", SP_MATCH_FMT_JSON},
                 {"csv", SP_MATCH_FMT_CSV}};

    for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
        if (strcmp(name, names[i].name) == 0) {
            *out = names[i].fmt;
            return 0;
        }
    }
    return sp_err_set(err, SP_EINVAL, "format: '%s' must be one of text, match, json, csv", name);
}

static const char *status_name(const struct sp_match_result *res)
{
    if (res->status == SP_ENOSTABLE)
        return "no_stable_matching";
    if (!res->checked)
        return "unchecked";
    return res->stable ? "stable" : "unstable";
}

/* Why a run ended, per enum sp_match_stop: the words of the text verdict (an
 * exhaustive search that proved none exists has its own sentence) and the JSON
 * "reason" of a result without a matching. */
static const struct {
    const char *text, *code;
} stops[] = {
    [SP_STOP_NONE] = {"cycled", "cycled"},
    [SP_STOP_CYCLE] = {"cycled", "cycled"},
    [SP_STOP_STEPS] = {"reached the work cap", "work_cap"},
    [SP_STOP_UNSTABLE] = {"ended in an unstable matching", "unstable"},
    [SP_STOP_NONE_EXISTS] = {"cycled", "none_exists"},
};

static unsigned stop_index(enum sp_match_stop stop)
{
    return (unsigned)stop < sizeof(stops) / sizeof(stops[0]) ? (unsigned)stop : SP_STOP_CYCLE;
}

/* root as JSON and a newline onto out; root is released. */
static void put_json(struct sp_buf *out, json_t *root)
{
    char *text = json_dumps(root, JSON_FLAGS);

    if (text) {
        sp_buf_adds(out, text);
        sp_buf_addc(out, '\n');
        free(text);
    }
    json_decref(root);
}

static const char *proposing_name(enum sp_proposing p)
{
    return p == SP_PROPOSE_PROGRAMS ? "programs" : "applicants";
}

/* End a text row: drop the padding after its last column. */
static void end_row(struct sp_buf *out)
{
    while (out->len > 0 && out->data[out->len - 1] == ' ')
        out->data[--out->len] = '\0';
    sp_buf_addc(out, '\n');
}

static const char *prog_or(const sp_match_instance *in, int32_t p, const char *none)
{
    return p >= 0 ? sp_match_program_id(in, (size_t)p) : none;
}

static long positions(const sp_match_instance *in)
{
    long n = 0;

    for (size_t q = 0; q < sp_match_n_programs(in); q++)
        n += sp_match_program_capacity(in, q);
    return n;
}

static bool any_supplemental(const sp_match_instance *in)
{
    for (size_t a = 0; a < sp_match_n_applicants(in); a++) {
        if (sp_match_applicant_has_supplemental(in, a))
            return true;
    }
    return false;
}

static bool any_pgy1(const struct sp_match_result *res)
{
    for (size_t a = 0; a < res->n_applicants; a++) {
        if (res->pgy1[a] >= 0)
            return true;
    }
    return false;
}

/* ---- peer .match ---------------------------------------------------------------------- */

static void render_peer(struct sp_buf *out, const sp_match_instance *in,
                        const struct sp_match_result *res)
{
    if (res->status == SP_ENOSTABLE) {
        sp_buf_adds(out, "m 0\n");
        return;
    }
    sp_buf_adds(out, "m 1\n");
    for (size_t a = 0; a < res->n_applicants; a++)
        sp_buf_addf(out, "r %s %s\n", sp_match_applicant_id(in, a),
                    prog_or(in, res->program[a], "-1"));
    /* SmartPick's extension: supplemental PGY-1 matches (never in peer instances) */
    for (size_t a = 0; a < res->n_applicants; a++) {
        if (res->pgy1[a] >= 0)
            sp_buf_addf(out, "s %s %s\n", sp_match_applicant_id(in, a),
                        sp_match_program_id(in, (size_t)res->pgy1[a]));
    }
}

/* ---- text ----------------------------------------------------------------------------- */

static int width_of(const char *s, int min, int max)
{
    int n = (int)strlen(s);

    return n < min ? min : n > max ? max : n;
}

/* The result's first lines: how it was found and whether it is stable, or why
 * there is no matching. Returns whether there is one to list. */
static bool text_status(struct sp_buf *out, const sp_match_instance *in,
                        const struct sp_match_result *res, enum sp_proposing proposing)
{
    size_t n_apps = res->n_applicants;

    if (res->status == SP_ENOSTABLE && res->stop == SP_STOP_NONE_EXISTS) {
        sp_buf_addf(out,
                    "Match: no stable matching exists (Roth-Peranson cycled in each of %u "
                    "tries; the exhaustive search covered every matching)\n",
                    res->tries);
        return false;
    }
    if (res->status == SP_ENOSTABLE) {
        sp_buf_addf(out,
                    "Match: no stable matching found (Roth-Peranson %s in each of %u tries; "
                    "%llu steps)\n",
                    stops[stop_index(res->stop)].text, res->tries, (unsigned long long)res->steps);
        return false;
    }
    if (res->by_search)
        sp_buf_addf(out,
                    "Match: %s (found by the exhaustive search after %u Roth-Peranson tries "
                    "cycled; %llu steps)\n",
                    res->checked && res->stable ? "stable, no blocking pair" : "not checked",
                    res->tries, (unsigned long long)res->steps);
    else
        sp_buf_addf(out, "Match: %s (%s-proposing, %u %s, %llu applications)\n",
                    res->checked ? (res->stable ? "stable, no blocking pair"
                                                : "UNSTABLE, blocking pairs found")
                                 : "not checked",
                    proposing == SP_PROPOSE_PROGRAMS ? "program" : "applicant", res->tries,
                    res->tries == 1 ? "try" : "tries", (unsigned long long)res->steps);
    if (res->checked && !res->stable)
        sp_buf_addf(out, "Blocking pairs: %zu\n", res->n_blocking);
    sp_buf_addf(out,
                "Applicants: %zu (%zu matched, %zu unmatched). Positions: %ld (%zu unfilled).\n\n",
                n_apps, res->n_matched, n_apps - res->n_matched, positions(in), res->n_unfilled);
    return true;
}

/* The programs with unfilled positions, the program column wp wide. */
static void text_unfilled(struct sp_buf *out, const sp_match_instance *in,
                          const struct sp_match_result *res, int wp)
{
    sp_buf_addf(out, "\nPrograms with unfilled positions (%zu positions):\n", res->n_unfilled);
    if (res->n_unfilled == 0) {
        sp_buf_adds(out, "  none\n");
        return;
    }
    sp_buf_addf(out, "  %-*s  %-11s  %8s  %6s  %8s\n", wp, "PROGRAM", "TRACK", "CAPACITY", "FILLED",
                "UNFILLED");
    for (size_t q = 0; q < res->n_programs; q++) {
        if (res->unfilled[q] <= 0)
            continue;
        long cap = sp_match_program_capacity(in, q);
        sp_buf_addf(out, "  %-*s  %-11s  %8ld  %6ld  %8d\n", wp, sp_match_program_id(in, q),
                    sp_track_name(sp_match_program_track(in, q)), cap, cap - (long)res->unfilled[q],
                    (int)res->unfilled[q]);
    }
}

static void render_text(struct sp_buf *out, const sp_match_instance *in,
                        const struct sp_match_result *res, enum sp_proposing proposing)
{
    size_t n_apps = res->n_applicants, n_progs = res->n_programs;

    if (!text_status(out, in, res, proposing))
        return;

    int wa = 9, wp = 7;
    bool pgy1 = any_pgy1(res), couples = sp_match_n_couples(in) > 0;
    for (size_t a = 0; a < n_apps; a++)
        wa = width_of(sp_match_applicant_id(in, a), wa, 40);
    for (size_t q = 0; q < n_progs; q++)
        wp = width_of(sp_match_program_id(in, q), wp, 40);

    sp_buf_addf(out, "%-*s  %-*s  %4s", wa, "APPLICANT", wp, "PROGRAM", "RANK");
    if (pgy1)
        sp_buf_addf(out, "  %-*s  %4s", wp, "PGY-1", "RANK");
    if (couples)
        sp_buf_adds(out, "  COUPLE");
    end_row(out);
    for (size_t a = 0; a < n_apps; a++) {
        char rank[16] = "-";
        if (res->program[a] >= 0 || res->rank[a] > 0)
            snprintf(rank, sizeof(rank), "%d", (int)res->rank[a]);
        sp_buf_addf(out, "%-*s  %-*s  %4s", wa, sp_match_applicant_id(in, a), wp,
                    prog_or(in, res->program[a], "(unmatched)"), rank);
        if (pgy1) {
            char r2[16] = "";
            if (res->pgy1[a] >= 0)
                snprintf(r2, sizeof(r2), "%d", (int)res->pgy1_rank[a]);
            sp_buf_addf(out, "  %-*s  %4s", wp, prog_or(in, res->pgy1[a], ""), r2);
        }
        if (couples) {
            int c = sp_match_applicant_couple(in, a);
            if (c >= 0)
                sp_buf_addf(out, "  %s", sp_match_couple_id(in, (size_t)c));
        }
        end_row(out);
    }

    sp_buf_addf(out, "\nUnmatched applicants (%zu):", n_apps - res->n_matched);
    size_t col = 0;
    for (size_t a = 0; a < n_apps; a++) {
        if (res->program[a] >= 0)
            continue;
        const char *id = sp_match_applicant_id(in, a);
        if (col && col + strlen(id) > 90) {
            sp_buf_adds(out, "\n ");
            col = 0;
        }
        sp_buf_addf(out, " %s", id);
        col += strlen(id) + 1;
    }
    sp_buf_adds(out, n_apps == res->n_matched ? " none\n" : "\n");
    text_unfilled(out, in, res, wp);
}

/* ---- JSON ----------------------------------------------------------------------------- */

static json_t *str_or_null(const char *s)
{
    return s ? json_string(s) : json_null();
}

void sp_match_to_json(struct sp_buf *out, const sp_match_instance *in,
                      const struct sp_match_result *res, enum sp_proposing proposing)
{
    json_t *root = json_object();
    bool ok = res->status != SP_ENOSTABLE;

    json_object_set_new(root, "schema", json_string("smartpick.match_result/1"));
    json_object_set_new(root, "status", json_string(status_name(res)));
    json_object_set_new(root, "stable", res->checked ? json_boolean(res->stable) : json_null());
    if (!ok)
        json_object_set_new(root, "reason", json_string(stops[stop_index(res->stop)].code));
    json_object_set_new(root, "proposing", json_string(proposing_name(proposing)));
    json_object_set_new(root, "found_by",
                        !ok              ? json_null()
                        : res->by_search ? json_string("exhaustive_search")
                        : sp_match_n_couples(in) || res->tries > 1 || any_supplemental(in)
                            ? json_string("roth_peranson")
                            : json_string("deferred_acceptance"));
    json_object_set_new(root, "tries", json_integer(res->tries));
    json_object_set_new(root, "applications", json_integer((json_int_t)res->steps));

    json_t *sum = json_object();
    size_t n_apps = res->n_applicants;
    json_object_set_new(sum, "applicants", json_integer((json_int_t)n_apps));
    json_object_set_new(sum, "matched", json_integer(ok ? (json_int_t)res->n_matched : 0));
    json_object_set_new(sum, "unmatched",
                        json_integer(ok ? (json_int_t)(n_apps - res->n_matched) : 0));
    json_object_set_new(sum, "positions", json_integer(positions(in)));
    json_object_set_new(sum, "unfilled", json_integer(ok ? (json_int_t)res->n_unfilled : 0));
    json_object_set_new(sum, "blocking_pairs", json_integer((json_int_t)res->n_blocking));
    json_object_set_new(root, "summary", sum);

    json_t *as = json_array(), *un = json_array(), *ps = json_array();
    for (size_t a = 0; ok && a < n_apps; a++) {
        int c = sp_match_applicant_couple(in, a);
        json_t *o = json_object();
        json_object_set_new(o, "applicant", json_string(sp_match_applicant_id(in, a)));
        json_object_set_new(o, "program", str_or_null(prog_or(in, res->program[a], NULL)));
        json_object_set_new(o, "rank", res->rank[a] > 0 ? json_integer(res->rank[a]) : json_null());
        json_object_set_new(o, "couple",
                            str_or_null(c >= 0 ? sp_match_couple_id(in, (size_t)c) : NULL));
        json_object_set_new(o, "pgy1_program", str_or_null(prog_or(in, res->pgy1[a], NULL)));
        json_object_set_new(o, "pgy1_rank",
                            res->pgy1[a] >= 0 ? json_integer(res->pgy1_rank[a]) : json_null());
        json_array_append_new(as, o);
        if (res->program[a] < 0)
            json_array_append_new(un, json_string(sp_match_applicant_id(in, a)));
    }
    for (size_t q = 0; ok && q < res->n_programs; q++) {
        long cap = sp_match_program_capacity(in, q);
        json_t *o = json_object();
        json_object_set_new(o, "program", json_string(sp_match_program_id(in, q)));
        json_object_set_new(o, "track", json_string(sp_track_name(sp_match_program_track(in, q))));
        json_object_set_new(o, "capacity", json_integer(cap));
        json_object_set_new(o, "filled", json_integer(cap - res->unfilled[q]));
        json_object_set_new(o, "unfilled", json_integer(res->unfilled[q]));
        json_array_append_new(ps, o);
    }
    json_object_set_new(root, "assignments", as);
    json_object_set_new(root, "unmatched", un);
    json_object_set_new(root, "programs", ps);

    put_json(out, root);
}

/* ---- CSV ------------------------------------------------------------------------------ */

static void render_csv(struct sp_buf *out, const sp_match_instance *in,
                       const struct sp_match_result *res)
{
    sp_buf_adds(out, "record,id,program,rank,couple,pgy1_program,pgy1_rank,capacity,filled,"
                     "unfilled\n");
    sp_buf_addf(out, "status,%s,,,,,,,,\n", status_name(res));
    if (res->status == SP_ENOSTABLE)
        return;
    for (size_t a = 0; a < res->n_applicants; a++) {
        int c = sp_match_applicant_couple(in, a);
        sp_buf_adds(out, "applicant,");
        sp_render_csv_field(out, sp_match_applicant_id(in, a));
        sp_buf_addc(out, ',');
        sp_render_csv_field(out, prog_or(in, res->program[a], ""));
        if (res->rank[a] > 0)
            sp_buf_addf(out, ",%d,", (int)res->rank[a]);
        else
            sp_buf_adds(out, ",,");
        if (c >= 0)
            sp_render_csv_field(out, sp_match_couple_id(in, (size_t)c));
        sp_buf_addc(out, ',');
        sp_render_csv_field(out, prog_or(in, res->pgy1[a], ""));
        if (res->pgy1[a] >= 0)
            sp_buf_addf(out, ",%d", (int)res->pgy1_rank[a]);
        else
            sp_buf_addc(out, ',');
        sp_buf_adds(out, ",,,\n");
    }
    for (size_t q = 0; q < res->n_programs; q++) {
        long cap = sp_match_program_capacity(in, q);
        sp_buf_adds(out, "program,");
        sp_render_csv_field(out, sp_match_program_id(in, q));
        sp_buf_addf(out, ",,,,,,%ld,%ld,%d\n", cap, cap - (long)res->unfilled[q],
                    (int)res->unfilled[q]);
    }
}

void sp_render_match(struct sp_buf *out, enum sp_match_format fmt, const sp_match_instance *in,
                     const struct sp_match_result *res, enum sp_proposing proposing)
{
    switch (fmt) {
    case SP_MATCH_FMT_MATCH:
        render_peer(out, in, res);
        break;
    case SP_MATCH_FMT_JSON:
        sp_match_to_json(out, in, res, proposing);
        break;
    case SP_MATCH_FMT_CSV:
        render_csv(out, in, res);
        break;
    default:
        render_text(out, in, res, proposing);
        break;
    }
}

/* ---- checker verdict ------------------------------------------------------------------ */

static void describe(char *buf, size_t cap, const sp_match_instance *in,
                     const struct sp_match_blocking *b)
{
    const char *p1 = prog_or(in, b->program, "-1"), *p2 = prog_or(in, b->program2, "-1");

    switch (b->kind) {
    case SP_BLOCK_SINGLE:
        snprintf(buf, cap,
                 "applicant %s and program %s (its choice %d) block: both prefer each other "
                 "to their matches",
                 sp_match_applicant_id(in, (size_t)b->applicant), p1, b->position);
        break;
    case SP_BLOCK_PGY1:
        snprintf(buf, cap, "applicant %s and PGY-1 program %s (supplemental choice %d) block",
                 sp_match_applicant_id(in, (size_t)b->applicant), p1, b->position);
        break;
    case SP_BLOCK_COUPLE:
        snprintf(buf, cap, "couple %s and the pair (%s, %s) (its choice %d) block",
                 sp_match_couple_id(in, (size_t)b->couple), p1, p2, b->position);
        break;
    default:
        if (b->applicant < 0)
            snprintf(buf, cap, "program %s holds more residents than its capacity", p1);
        else if (b->couple >= 0)
            snprintf(buf, cap,
                     "couple %s is matched to (%s, %s), not a mutually acceptable pair of its "
                     "list",
                     sp_match_couple_id(in, (size_t)b->couple), p1, p2);
        else
            snprintf(buf, cap, "applicant %s is matched to %s, not a mutually acceptable choice",
                     sp_match_applicant_id(in, (size_t)b->applicant), p1);
        break;
    }
}

void sp_render_match_check(struct sp_buf *out, enum sp_match_format fmt,
                           const sp_match_instance *in, const struct sp_match_check *chk,
                           bool has_matching)
{
    char line[512];

    if (fmt == SP_MATCH_FMT_JSON) {
        json_t *root = json_object();
        json_t *ex = json_array();
        json_object_set_new(root, "schema", json_string("smartpick.match_check/1"));
        json_object_set_new(root, "has_matching", json_boolean(has_matching));
        json_object_set_new(root, "stable", has_matching ? json_boolean(chk->stable) : json_null());
        json_object_set_new(root, "blocking_pairs", json_integer((json_int_t)chk->n_blocking));
        for (size_t i = 0; has_matching && i < chk->n_examples; i++) {
            describe(line, sizeof(line), in, &chk->examples[i]);
            json_array_append_new(ex, json_string(line));
        }
        json_object_set_new(root, "examples", ex);
        put_json(out, root);
        return;
    }
    if (!has_matching) {
        sp_buf_adds(out, "no matching to check: the file says 'm 0' (no stable matching found)\n");
        return;
    }
    if (chk->stable) {
        sp_buf_adds(out, "stable: a valid matching with no blocking pair\n");
        return;
    }
    sp_buf_addf(out, "unstable: %zu blocking pair%s or invalid assignment%s\n", chk->n_blocking,
                chk->n_blocking == 1 ? "" : "s", chk->n_blocking == 1 ? "" : "s");
    for (size_t i = 0; i < chk->n_examples; i++) {
        describe(line, sizeof(line), in, &chk->examples[i]);
        sp_buf_addf(out, "  %s\n", line);
    }
    if (chk->n_blocking > chk->n_examples)
        sp_buf_addf(out, "  ... and %zu more\n", chk->n_blocking - chk->n_examples);
}
