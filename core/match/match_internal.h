/*
 * match_internal.h - what the match modules (core/match/match*.c) share: the instance as built
 * (original lists) and the compact layout the algorithms run on. Private to core/match/.
 *
 * Two views of the same instance:
 *   - the original lists, exactly as given (applicant lists, supplemental lists, couple
 *     pairs, program lists), each entry with the rank the program gives the applicant
 *     ("orig_prank", -1 when the program does not rank them). The stability checker works
 *     on these, so it does not trust the layout the engine uses.
 *   - the layout: "residents" (applicants, plus one extra resident per supplemental list,
 *     its "PGY-1 head"), each with only the mutually acceptable entries of its list, and
 *     every entry carrying the program's rank of the resident (prank), so that an
 *     application needs no lookup. Program lists are filtered the same way and carry, per
 *     resident, the resident's best list index at the program (arank).
 */
#ifndef SP_MATCH_INTERNAL_H
#define SP_MATCH_INTERNAL_H

#include "smartpick/match/match.h"
#include "sp_arena.h"

#include <stdint.h>

#define SP_M_NONE (-1)

/* A hash index from ID strings to entity indices (open addressing, power-of-two size). */
struct sp_m_names {
    uint32_t *hash;
    int32_t *slot; /* index + 1; 0 = empty */
    size_t cap;
    size_t n;
};

struct sp_m_program {
    const char *id;
    int32_t capacity;
    enum sp_track track;
    unsigned line;
    int32_t rol_off, rol_len; /* in in->prol */
    unsigned rol_line;        /* 0: no list given */
    bool has_rol;
};

struct sp_m_applicant {
    const char *id;
    unsigned line;
    int32_t couple;             /* -1 for a single */
    int32_t list_off, list_len; /* in in->alist */
    int32_t sup_off, sup_len;   /* in in->slist */
    unsigned list_line, sup_line;
    bool has_list, has_sup;
};

struct sp_m_couple {
    const char *id;
    int32_t member[2];
    int32_t off, len; /* pairs in in->cpairs (2 values per pair) */
    unsigned line;
};

/* Resident kinds in the layout. */
enum { SP_RES_SINGLE = 0, SP_RES_MEMBER = 1, SP_RES_PGY1 = 2 };

/* One entry of a single's (or PGY-1 head's) filtered list. */
struct sp_m_entry {
    int32_t prog;
    int32_t prank; /* the program's rank of this resident, in the filtered program list;
                    * SP_M_LAST marks the last entry of the list: mask with SP_M_RANK_MASK */
};

#define SP_M_LAST 0x40000000
#define SP_M_RANK_MASK 0x3fffffff

/* One pair of a couple's filtered list; p = -1 is "unmatched", its rank then unused. */
struct sp_m_pair {
    int32_t p1, r1, p2, r2;
};

/* Per program: everything one application touches, in one 16-byte record. */
struct sp_m_pslot {
    int32_t hcap; /* min(capacity, filtered list length): the seats that can ever fill */
    int32_t poff; /* start of the filtered list in pr_res / pr_arank */
    int32_t plen;
    int32_t hoff; /* start of the program's heap of held ranks */
};

struct sp_m_layout {
    size_t n_res; /* n_applicants + n_heads */
    size_t n_heads;
    uint8_t *kind;  /* per resident, SP_RES_* */
    int32_t *owner; /* SINGLE: its PGY-1 head or -1; MEMBER: couple; PGY1: applicant */
    int32_t *eoff;  /* n_res + 1 */
    struct sp_m_entry *e;
    int32_t *e_pos; /* original 0-based position of each entry */
    int32_t *coff;  /* n_couples + 1 */
    struct sp_m_pair *cp;
    int32_t *cp_pos;
    struct sp_m_pslot *ps;
    int32_t *pr_res;   /* residents in the program's order */
    int32_t *pr_arank; /* SINGLE/PGY1: global index of the entry in e; MEMBER: best pair index */
    size_t heap_total;
    bool has_couples, has_heads;
};

struct sp_match_instance {
    struct sp_arena strings;
    struct sp_m_names prog_names, app_names, cpl_names;
    struct sp_m_program *progs;
    struct sp_m_applicant *apps;
    struct sp_m_couple *cpls;
    const char **prog_ids, **app_ids, **cpl_ids; /* for the name index */
    size_t n_progs, n_apps, n_cpls;
    size_t cap_progs, cap_apps, cap_cpls, cap_prog_ids, cap_app_ids, cap_cpl_ids;
    int32_t *prol, *alist, *slist, *cpairs;
    size_t n_prol, n_alist, n_slist, n_cpairs;
    size_t cap_prol, cap_alist, cap_slist, cap_cpairs;
    uint32_t *stamp; /* scratch for duplicate checks while building */
    size_t cap_stamp;
    uint32_t stamp_gen;
    bool frozen;
    /* from freeze */
    int32_t *alist_prank, *slist_prank, *cpairs_prank;
    struct sp_m_layout L;
};

/* The entries of a list store (prol, alist, slist) from off. A store nothing was
 * appended to is NULL, and NULL + 0 is undefined: an empty store gives NULL. */
static inline const int32_t *sp_m_list(const int32_t *store, int32_t off)
{
    return store ? store + off : NULL;
}

/* Record "line N: " + message (line 0: no prefix). Returns code. */
int sp_match__fail(struct sp_err *err, int code, unsigned line, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* The run state shared by deferred acceptance and the couples phase. */
struct sp_m_state {
    const sp_match_instance *in;
    const struct sp_m_layout *L;
    int32_t *cur;    /* per resident (SINGLE/PGY1): global entry index held, eoff[r+1] if none */
    int32_t *cnt;    /* per program: residents held */
    int32_t *heap;   /* max-heaps of held program ranks */
    int32_t *ccur;   /* per couple: global pair index held, coff[c+1] if none */
    int32_t *seat;   /* per resident: program held or -1 (couples phase) */
    int32_t *hpos;   /* per resident: position in its program's heap (couples phase) */
    uint8_t *active; /* per resident: PGY-1 head active (holds-advanced parent) */
    uint64_t steps;
};

/* Deferred acceptance for the SINGLE residents only (members and heads stay out). */
void sp_match__da_applicants(struct sp_m_state *s);
void sp_match__da_programs(struct sp_m_state *s);

/* The Roth-Peranson phase (match_couples.c): snapshot the singles' matching in s, then
 * each try restores it and adds heads and couples (in input order for try 0, in a random
 * order drawn from seed for later tries). A try returns 0 with the state in s, or
 * SP_ENOSTABLE with *stop saying why. */
struct sp_m_rp;
struct sp_m_rp *sp_match__rp_new(struct sp_m_state *s, uint64_t max_steps);
int sp_match__rp_try(struct sp_m_rp *x, unsigned try_no, uint64_t seed, enum sp_match_stop *stop);
void sp_match__rp_free(struct sp_m_rp *x);

/* The bounded exhaustive search (match_search.c), for couples when every Roth-Peranson
 * try failed. On success (0) the matching is in st->cur (singles) and st->ccur (couples);
 * SP_ENOSTABLE otherwise, with *proven_none when the search finished within the budget
 * (no stable matching exists). Not for instances with supplemental lists. */
int sp_match__search(struct sp_m_state *st, bool *proven_none, uint64_t budget, uint64_t seed);

#endif
