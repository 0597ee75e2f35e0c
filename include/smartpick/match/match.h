/*
 * smartpick/match/match.h - the Match: deferred acceptance with couples (Roth & Peranson 1999).
 *
 * An instance is built through this API (or by one of the readers below), then frozen;
 * a frozen instance is read-only and may be matched from several threads at once, each
 * call with its own result. The algorithm, the stability definition and the meaning of
 * tracks and supplemental lists are written down in docs/MATCH.md.
 *
 * Building an instance:
 *   1. declare every program (sp_match_add_program) and applicant (sp_match_add_applicant);
 *   2. give the rank lists by index: sp_match_set_program_rol, sp_match_set_rol,
 *      sp_match_set_supplemental, sp_match_add_couple;
 *   3. sp_match_freeze() checks the whole instance and builds the compact layout.
 * Entities are indexed 0.. in declaration order; results use the same indices.
 *
 * Every function taking a `line` records it as the entity's source line (0: unknown) so
 * that errors found later, at freeze, still say "line N: ...".
 */
#ifndef SMARTPICK_MATCH_H
#define SMARTPICK_MATCH_H

#include "smartpick/error.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The kind of positions a program offers (NRMP track types). */
enum sp_track {
    SP_TRACK_CATEGORICAL, /* PGY-1 through completion */
    SP_TRACK_ADVANCED,    /* starts at PGY-2; needs a PGY-1 year elsewhere */
    SP_TRACK_PRELIMINARY, /* a one-year PGY-1 position (preliminary or transitional) */
};

/* "categorical", "advanced", "preliminary". */
const char *sp_track_name(enum sp_track t);
/* Accepts the names above and the letters C, A, P (any case); SP_EINVAL otherwise. */
int sp_track_parse(enum sp_track *out, const char *name);

/* The longest ID accepted for a program, applicant or couple, in bytes. */
#define SP_MATCH_ID_MAX 64

typedef struct sp_match_instance sp_match_instance;

/* A new, empty instance; free with sp_match_instance_free(). Never NULL. */
sp_match_instance *sp_match_instance_new(void);
void sp_match_instance_free(sp_match_instance *in);

/*
 * Declare a program; returns its index (>= 0) or a negative code. Rules: the ID is
 * 1..SP_MATCH_ID_MAX printable bytes without spaces or commas and unique among
 * programs; 0 <= capacity <= SP_MATCH_CAPACITY_MAX.
 */
#define SP_MATCH_CAPACITY_MAX 1000000
int sp_match_add_program(sp_match_instance *in, const char *id, long capacity, enum sp_track track,
                         unsigned line, struct sp_err *err);

/* Declare an applicant (a single, or a future couple member); returns its index. */
int sp_match_add_applicant(sp_match_instance *in, const char *id, unsigned line,
                           struct sp_err *err);

/* Index of the program/applicant with this ID, or SP_ENOTFOUND. */
int sp_match_find_program(const sp_match_instance *in, const char *id);
int sp_match_find_applicant(const sp_match_instance *in, const char *id);

/* A program's rank order list: applicant indices, best first. At most one per program;
 * an applicant may appear once. Applicants not listed are unacceptable to the program. */
int sp_match_set_program_rol(sp_match_instance *in, int program, const int32_t *applicants,
                             size_t n, unsigned line, struct sp_err *err);

/* A single applicant's rank order list: program indices, best first, no repeats. At most
 * one per applicant; couple members rank only through their couple. */
int sp_match_set_rol(sp_match_instance *in, int applicant, const int32_t *programs, size_t n,
                     unsigned line, struct sp_err *err);

/* A single applicant's supplemental PGY-1 list (preliminary programs only), used while
 * the applicant holds an advanced position. Not for couple members. */
int sp_match_set_supplemental(sp_match_instance *in, int applicant, const int32_t *programs,
                              size_t n, unsigned line, struct sp_err *err);

/* A couple of two distinct applicants without their own lists, and its rank order list of
 * program pairs: pairs[2k] for the first member, pairs[2k+1] for the second, -1 meaning
 * "unmatched" for that member (a pair of two -1 is not allowed: end the list instead). No
 * pair may repeat. Returns the couple's index. */
int sp_match_add_couple(sp_match_instance *in, const char *id, int member1, int member2,
                        const int32_t *pairs, size_t n_pairs, unsigned line, struct sp_err *err);

/* Check the instance and build the matching layout. After this the instance is read-only;
 * the add/set functions return SP_EINVAL. Errors: a program on both the primary and the
 * supplemental list of an applicant. Idempotent. */
int sp_match_freeze(sp_match_instance *in, struct sp_err *err);

/* Read-only views (valid for the instance's lifetime). */
size_t sp_match_n_programs(const sp_match_instance *in);
size_t sp_match_n_applicants(const sp_match_instance *in);
size_t sp_match_n_couples(const sp_match_instance *in);
const char *sp_match_program_id(const sp_match_instance *in, size_t program);
long sp_match_program_capacity(const sp_match_instance *in, size_t program);
enum sp_track sp_match_program_track(const sp_match_instance *in, size_t program);
const char *sp_match_applicant_id(const sp_match_instance *in, size_t applicant);
/* The couple the applicant belongs to, or -1 for a single. */
int sp_match_applicant_couple(const sp_match_instance *in, size_t applicant);
/* Whether the applicant has a supplemental PGY-1 list. */
bool sp_match_applicant_has_supplemental(const sp_match_instance *in, size_t applicant);
const char *sp_match_couple_id(const sp_match_instance *in, size_t couple);

/* ---- Running the match ---------------------------------------------------------------- */

enum sp_proposing {
    SP_PROPOSE_APPLICANTS, /* the NRMP's side: the applicant-optimal stable matching */
    SP_PROPOSE_PROGRAMS,   /* the program-optimal one (singles only) */
};

struct sp_match_options {
    enum sp_proposing proposing;
    uint64_t seed;          /* RNG seed for the randomized couple orders of retries */
    unsigned max_tries;     /* Roth-Peranson runs before giving up (first one in input order) */
    uint64_t max_steps;     /* work cap per run (applications); 0 = automatic, see docs/MATCH.md */
    uint64_t search_budget; /* work cap of the exhaustive search after RP fails; 0 = skip */
    bool check;             /* verify the result with sp_match_check() (sets verdict fields) */
};

#define SP_MATCH_SEARCH_BUDGET 200000000ULL
#define SP_MATCH_OPTIONS_INIT                                                                      \
    {                                                                                              \
        .proposing = SP_PROPOSE_APPLICANTS, .seed = 1, .max_tries = 40, .max_steps = 0,            \
        .search_budget = SP_MATCH_SEARCH_BUDGET, .check = true                                     \
    }

/* Why a run ended without a matching. */
enum sp_match_stop {
    SP_STOP_NONE,        /* a matching was found */
    SP_STOP_CYCLE,       /* every try repeated a state (Roth-Peranson cycled) */
    SP_STOP_STEPS,       /* a try hit the work cap */
    SP_STOP_UNSTABLE,    /* a try ended in a matching the checker rejected (a bug) */
    SP_STOP_NONE_EXISTS, /* the exhaustive search proved that no stable matching exists */
};

/*
 * A match result: caller storage, filled by sp_match_run(), released with
 * sp_match_result_release(). Arrays are owned by the result.
 *
 * program[a] is the program applicant a is matched to, or -1. rank[a] is the 1-based
 * position of that program on a's list (for a couple member: of the couple's pair), 0 if
 * unmatched. pgy1[a] / pgy1_rank[a] are the same for the supplemental PGY-1 list (-1 / 0
 * when not used). unfilled[p] is the number of program p's positions left empty.
 */
struct sp_match_result {
    int status; /* 0, or SP_ENOSTABLE: no matching (the arrays then hold the last state) */
    enum sp_match_stop stop;
    bool checked;      /* the checker ran */
    bool stable;       /* its verdict (false when not checked) */
    size_t n_blocking; /* blocking pairs the checker found */
    size_t n_applicants, n_programs;
    int32_t *program;
    int32_t *rank;
    int32_t *pgy1;
    int32_t *pgy1_rank;
    int32_t *unfilled;
    size_t n_matched;  /* applicants with a program */
    size_t n_unfilled; /* positions left empty, all programs */
    unsigned tries;    /* Roth-Peranson runs made (1 when there are no couples) */
    bool by_search;    /* found by the exhaustive search after every RP try cycled */
    uint64_t steps;    /* applications made, over all tries */
};

/* Empty: no arrays, nothing to release; members not named are zero. */
#define SP_MATCH_RESULT_INIT {.status = 0}

/*
 * Match a frozen instance. Returns 0 with a matching in *out, SP_ENOSTABLE (also in
 * out->status, and err says why) when no stable matching was found within the tries, or
 * SP_EINVAL (not frozen; program-proposing with couples or supplemental lists). *out is
 * filled in both the 0 and SP_ENOSTABLE cases and must be released.
 */
int sp_match_run(struct sp_match_result *out, const sp_match_instance *in,
                 const struct sp_match_options *opts, struct sp_err *err);

void sp_match_result_release(struct sp_match_result *res);

/* ---- Stability ------------------------------------------------------------------------- */

enum sp_block_kind {
    SP_BLOCK_SINGLE,  /* applicant and program prefer each other to their matches */
    SP_BLOCK_PGY1,    /* the same over an active supplemental list */
    SP_BLOCK_COUPLE,  /* a couple and a pair of programs */
    SP_BLOCK_INVALID, /* not a matching: over capacity, or a pair nobody ranked */
};

struct sp_match_blocking {
    enum sp_block_kind kind;
    int applicant; /* the applicant (SINGLE, PGY1, INVALID) or first member (COUPLE) */
    int couple;    /* the couple, or -1 */
    int program;   /* the program (first of the pair for a couple), -1 for "unmatched" */
    int program2;  /* second program of a couple's pair, else -1 */
    int position;  /* 1-based position of that choice on the list, 0 for INVALID */
};

#define SP_MATCH_CHECK_EXAMPLES 8

struct sp_match_check {
    bool stable;       /* a valid matching with no blocking pair */
    size_t n_blocking; /* blocking pairs (and invalid assignments) found */
    size_t n_examples;
    struct sp_match_blocking examples[SP_MATCH_CHECK_EXAMPLES];
};

/*
 * Check an assignment for validity and stability (docs/MATCH.md "Stability").
 * program[a] is applicant a's program or -1; pgy1 may be NULL (no supplemental
 * assignments) or hold each applicant's supplemental PGY-1 program or -1.
 * Returns 0 (the verdict is in *out) or SP_EINVAL (not frozen, or an index out of range).
 */
int sp_match_check(struct sp_match_check *out, const sp_match_instance *in, const int32_t *program,
                   const int32_t *pgy1, struct sp_err *err);

/* ---- Readers (buffer in, instance out; errors "line N: rule") --------------------------- */

/*
 * The peer `.rp` format (stable-matching-suite): `r RID P...`, `c CID R1 R2 P1a P1b ...`,
 * `p PID QUOTA R...`, `#` comments. IDs are integers >= 0, kept as decimal strings;
 * applicants are indexed in increasing RID order, programs in increasing PID order,
 * couples in file order. On success *out is a frozen instance owned by the caller.
 */
int sp_match_read_rp(sp_match_instance **out, const char *data, size_t len, struct sp_err *err);

/*
 * The SmartPick match CSV (docs/MATCH.md "CSV input"): a header `type,id,...` then one
 * row per program, applicant, supplemental list or couple, with string IDs.
 */
int sp_match_read_csv(sp_match_instance **out, const char *data, size_t len, struct sp_err *err);

/*
 * A peer `.match` file (`m 1` / `m 0`, `r RID PID` lines, `#` comments) against a frozen
 * instance: program[] (n_applicants entries) receives each applicant's program, -1 for
 * those not listed. IDs are any IDs of the instance. SmartPick's extension `s RID PID`
 * gives a supplemental PGY-1 program; pgy1[] (may be NULL: then `s` lines are errors)
 * receives them, -1 elsewhere. *has_matching is false for `m 0`.
 */
int sp_match_read_assignment(int32_t *program, int32_t *pgy1, bool *has_matching,
                             const sp_match_instance *in, const char *data, size_t len,
                             struct sp_err *err);

#endif
