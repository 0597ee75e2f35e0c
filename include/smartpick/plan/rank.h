/*
 * smartpick/plan/rank.h - the rank order list after interviews.
 *
 * The Match is applicant-proposing and strategy-proof for applicants: ranking
 * every acceptable program in true preference order is optimal. SmartPick orders
 * the interviews by the student's preference, never drops an acceptable one, and
 * values the list with the same Kapur-Hong routine as the plan (sp_opt_value):
 * P(match at each rank), P(unmatched) and the expected utility, integrated over
 * the cycle's latent term with P(match | interview) from the model.
 */
#ifndef SMARTPICK_RANK_H
#define SMARTPICK_RANK_H

#include "smartpick/model/model.h"
#include "smartpick/model/profile.h"

#define SP_RANK_MAX 64
#define SP_RANK_MAX_WARNINGS 16

struct sp_rank_entry {
    char acgme_id[SP_ACGME_ID_LEN + 1];
    const struct sp_program *program; /* borrowed from the catalog (sp_rank_resolve) */
    int preference;         /* 1 = most preferred; distinct */
    double utility;         /* given, or from the preference (docs/MATCH.md) */
    bool acceptable;        /* false: the student would rather not match there */
    enum sp_signal signal;  /* signal sent to it during the season */
    bool advanced;          /* a PGY-2 position that needs a PGY-1 year */
};

/* A preliminary or transitional PGY-1 program on the supplemental list; such
 * programs are not in the catalog, so only the name and preference are known. */
struct sp_rank_pgy1 {
    char name[96];
    int preference;
};

struct sp_rank_input {
    struct sp_rank_entry entries[SP_RANK_MAX];
    size_t n_entries;
    struct sp_rank_pgy1 pgy1[SP_RANK_MAX];
    size_t n_pgy1;
};

struct sp_rank_line {
    const struct sp_rank_entry *entry; /* into the input */
    int rank;                          /* position on the list, 1-based */
    double p_match_here;
    double p_match_cumulative;
};

struct sp_rank_result {
    struct sp_rank_line lines[SP_RANK_MAX];
    size_t n_lines;
    double p_unmatched;
    double expected_utility;
    double p_pgy1;        /* P(matching a PGY-1 on the supplemental list | an advanced match) */
    double p_advanced;    /* P(matching an advanced position) */
    char warnings[SP_RANK_MAX_WARNINGS][200];
    size_t n_warnings;
};

/* Look every entry's program up in the catalog. SP_ENOTFOUND naming the entry. */
int sp_rank_resolve(struct sp_rank_input *in, const sp_catalog *cat, struct sp_err *err);

/* Build the recommended list for a completed profile. SP_EINVAL (err naming the
 * entry) for duplicate programs or preferences, or a program outside the nine. */
int sp_rank(struct sp_rank_result *out, const struct sp_model *m, const sp_catalog *cat,
            const double *q, const struct sp_profile *p, const struct sp_rank_input *in,
            struct sp_err *err);

#endif
