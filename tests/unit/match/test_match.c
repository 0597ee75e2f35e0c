/*
 * Unit tests of the match engine (core/match/match*.c): the builder's input rules, the `.rp`,
 * `.match` and CSV readers (table-driven, with the line each error names), deferred
 * acceptance in both directions, couples, supplemental PGY-1 lists, the stability
 * checker, and the bounded failure on an instance where Roth-Peranson cycles.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "smartpick/match/match.h"
#include "sp_buf.h"
#include "sp_str.h"

#include "banned.h"

#ifndef SP_FIXTURES
#define SP_FIXTURES "tests/fixtures"
#endif

static sp_match_instance *rp(const char *text)
{
    sp_match_instance *in = NULL;
    struct sp_err err = SP_ERR_INIT;
    int rc = sp_match_read_rp(&in, text, strlen(text), &err);

    if (rc)
        fail_msg("read_rp: %s", err.msg);
    return in;
}

static sp_match_instance *rp_file(const char *rel)
{
    struct sp_buf buf = SP_BUF_INIT;
    struct sp_err err = SP_ERR_INIT;
    char path[512];
    sp_match_instance *in = NULL;

    snprintf(path, sizeof(path), "%s/%s", SP_FIXTURES, rel);
    if (sp_read_file(&buf, path, &err))
        fail_msg("%s", err.msg);
    if (sp_match_read_rp(&in, buf.data, buf.len, &err))
        fail_msg("%s: %s", path, err.msg);
    sp_buf_release(&buf);
    return in;
}

/* Program ID of applicant a's match, "-" if unmatched. */
static const char *got(const sp_match_instance *in, const struct sp_match_result *res,
                       const char *applicant)
{
    int a = sp_match_find_applicant(in, applicant);

    assert_true(a >= 0);
    return res->program[a] >= 0 ? sp_match_program_id(in, (size_t)res->program[a]) : "-";
}

static const char *got_pgy1(const sp_match_instance *in, const struct sp_match_result *res,
                            const char *applicant)
{
    int a = sp_match_find_applicant(in, applicant);

    assert_true(a >= 0);
    return res->pgy1[a] >= 0 ? sp_match_program_id(in, (size_t)res->pgy1[a]) : "-";
}

static void run(struct sp_match_result *res, const sp_match_instance *in, enum sp_proposing side)
{
    struct sp_match_options opts = SP_MATCH_OPTIONS_INIT;
    struct sp_err err = SP_ERR_INIT;

    opts.proposing = side;
    if (sp_match_run(res, in, &opts, &err))
        fail_msg("match: %s", err.msg);
    assert_true(res->checked);
    assert_true(res->stable);
}

/* ---- readers: errors name the line and the rule ---------------------------------------- */

struct bad_case {
    const char *name;
    const char *text;
    const char *want; /* substring of the message, which starts with "line N:" */
};

static void check_bad(const struct bad_case *c,
                      int (*reader)(sp_match_instance **, const char *, size_t, struct sp_err *))
{
    sp_match_instance *in = (sp_match_instance *)1;
    struct sp_err err = SP_ERR_INIT;
    int rc = reader(&in, c->text, strlen(c->text), &err);

    if (rc != SP_EINVAL || in != NULL || !strstr(err.msg, c->want))
        fail_msg("%s: rc %d, message '%s', want '%s'", c->name, rc, err.msg, c->want);
}

static void rp_reader_rejects_bad_input_with_line(void **state)
{
    static const struct bad_case cases[] = {
        {"unknown program", "r 0 1 7\np 1 1 0\n",
         "line 1: resident 0 ranks program 7, which is not declared"},
        {"unknown resident", "r 0 1\np 1 1 0 5\n",
         "line 2: program 1 ranks resident 5, which is not declared"},
        {"duplicate rank, resident", "r 0 1 1\np 1 1 0\n",
         "line 1: applicant '0' ranks program '1' twice"},
        {"duplicate rank, program", "r 0 1\np 1 2 0 0\n",
         "line 2: program '1' ranks applicant '0' twice"},
        {"capacity below zero", "r 0 1\n# c\np 1 -1 0\n",
         "line 3: program '1': capacity -1 must be >= 0"},
        {"couple member with its own list", "r 8 0\nc 0 8 9 0 0\np 0 2 8 9\n",
         "line 2: resident 8 is in a couple (line 2) and has its own r line (line 1)"},
        {"couple member listed first", "c 0 8 9 0 0\nr 9 0\np 0 2 8 9\n",
         "line 2: resident 9 is in a couple (line 1) and has its own r line (line 2)"},
        {"resident twice", "r 0 1\nr 0 1\np 1 1 0\n",
         "line 2: resident 0 is declared by an r line twice (first on line 1)"},
        {"program twice", "r 0 1\np 1 1 0\np 1 1 0\n",
         "line 3: program 1 is declared twice (first on line 2)"},
        {"odd couple list", "c 0 1 2 0\np 0 2 1 2\n", "line 1: couple 0 lists an odd number"},
        {"both unmatched", "c 0 1 2 -1 -1\np 0 2 1 2\n", "is (-1, -1)"},
        {"-1 for a single", "r 0 -1\np 1 1 0\n", "line 1: resident 0 ranks -1"},
        {"not a number", "r 0 x1\n", "line 1: 'x1' is not an integer"},
        {"unknown record", "r 0\nq 1 2\n", "line 2: unknown record 'q'"},
        {"too large", "r 99999999999 1\n", "too large"},
        {"quota missing", "p 1\n", "line 1: 'p' needs a program ID and a quota"},
    };

    (void)state;
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
        check_bad(&cases[i], sp_match_read_rp);
}

static void csv_reader_rejects_bad_input_with_line(void **state)
{
    static const struct bad_case cases[] = {
        {"no header", "program,P,1\n", "line 1: the first row must be the header"},
        {"unknown ID", "type,id\nprogram,P,1,,A\napplicant,A,Q\n",
         "line 3: applicant 'A' ranks program 'Q', which is not declared"},
        {"unknown applicant", "type,id\nprogram,P,1,,B\napplicant,A,P\n",
         "line 2: program 'P' ranks applicant 'B', which is not declared"},
        {"duplicate rank", "type,id\nprogram,P,1,,A\napplicant,A,P,P\n",
         "line 3: applicant 'A' ranks program 'P' twice"},
        {"capacity below zero", "type,id\nprogram,P,-3,,A\napplicant,A,P\n",
         "line 2: program 'P': capacity -3 must be >= 0"},
        {"capacity not a number", "type,id\nprogram,P,two\n", "capacity 'two' is not a whole"},
        {"couple member with own row",
         "type,id\napplicant,A,P\ncouple,C,A,B,P,P\nprogram,P,2,,A,B\n",
         "line 3: applicant 'A' is a couple member (line 3) and has its own applicant row (line "
         "2)"},
        {"bad track", "type,id\nprogram,P,1,surgical\n", "track 'surgical' must be"},
        {"supplemental not PGY-1",
         "type,id\nprogram,P,1,categorical,A\napplicant,A\n"
         "supplemental,A,P\n",
         "supplemental list program 'P' is categorical"},
        {"empty cell inside", "type,id\napplicant,A,,P\n", "line 2: cell 3 is empty"},
        {"unknown type", "type,id\nresident,A,P\n", "line 2: type 'resident' must be"},
        {"row without ID", "type,id\napplicant,,\n", "line 2: 'applicant' row needs an ID"},
        {"couple without members", "type,id\ncouple,C\n", "line 2: 'couple' row needs an ID"},
        {"broken quoting", "type,id\napplicant,\"A,P\n", "line 2, column"},
        {"odd couple list", "type,id\nprogram,P,2\ncouple,C,A,B,P\n",
         "line 3: couple 'C' lists an odd number"},
    };

    (void)state;
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
        check_bad(&cases[i], sp_match_read_csv);
}

static void builder_enforces_the_input_rules(void **state)
{
    sp_match_instance *in = sp_match_instance_new();
    struct sp_err err = SP_ERR_INIT;
    int32_t list[4];

    (void)state;
    int dr = sp_match_add_program(in, "DR", 2, SP_TRACK_ADVANCED, 0, &err);
    int pre = sp_match_add_program(in, "PRE", 2, SP_TRACK_PRELIMINARY, 0, &err);
    assert_int_equal(dr, 0);
    assert_int_equal(pre, 1);
    assert_int_equal(sp_match_add_program(in, "bad id", 1, SP_TRACK_CATEGORICAL, 4, &err),
                     SP_EINVAL);
    assert_non_null(strstr(err.msg, "line 4: program ID 'bad id' must not contain spaces"));
    assert_int_equal(sp_match_add_program(in, "", 1, SP_TRACK_CATEGORICAL, 0, &err), SP_EINVAL);
    int a = sp_match_add_applicant(in, "A", 0, &err);
    int b = sp_match_add_applicant(in, "B", 0, &err);
    int c = sp_match_add_applicant(in, "C", 0, &err);
    assert_int_equal(sp_match_add_applicant(in, "A", 9, &err), SP_EINVAL);
    assert_non_null(strstr(err.msg, "line 9: applicant 'A' is declared twice"));

    list[0] = dr;
    list[1] = pre;
    assert_int_equal(sp_match_set_rol(in, a, list, 1, 0, &err), 0);
    assert_int_equal(sp_match_set_supplemental(in, a, list, 1, 3, &err), SP_EINVAL);
    assert_non_null(strstr(err.msg, "supplemental list program 'DR' is advanced"));
    assert_int_equal(sp_match_set_supplemental(in, a, list + 1, 1, 0, &err), 0);
    list[0] = 5;
    assert_int_equal(sp_match_set_rol(in, b, list, 1, 0, &err), SP_EINVAL);
    /* couples: members without lists, no (-1, -1), no repeated pair */
    int32_t pairs[] = {dr, pre, -1, pre, dr, pre};
    assert_int_equal(sp_match_add_couple(in, "AB", a, b, pairs, 1, 7, &err), SP_EINVAL);
    assert_non_null(strstr(err.msg, "line 7: couple 'AB': member 'A' has its own rank list"));
    assert_int_equal(sp_match_add_couple(in, "BC", b, c, pairs, 3, 0, &err), SP_EINVAL);
    assert_non_null(strstr(err.msg, "ranks the pair (DR, PRE) twice"));
    assert_int_equal(sp_match_add_couple(in, "BB", b, b, pairs, 1, 0, &err), SP_EINVAL);
    assert_int_equal(sp_match_add_couple(in, "BC", b, c, pairs, 2, 0, &err), 0);
    assert_int_equal(sp_match_set_rol(in, b, list, 0, 8, &err), SP_EINVAL);
    assert_non_null(strstr(err.msg, "line 8: applicant 'B' is a member of couple 'BC'"));
    assert_int_equal(sp_match_freeze(in, &err), 0);
    assert_int_equal(sp_match_add_applicant(in, "D", 0, &err), SP_EINVAL);
    sp_match_instance_free(in);

    /* a program on both lists of one applicant */
    in = sp_match_instance_new();
    pre = sp_match_add_program(in, "PRE", 1, SP_TRACK_PRELIMINARY, 0, &err);
    a = sp_match_add_applicant(in, "A", 0, &err);
    list[0] = pre;
    assert_int_equal(sp_match_set_rol(in, a, list, 1, 0, &err), 0);
    assert_int_equal(sp_match_set_supplemental(in, a, list, 1, 6, &err), 0);
    assert_int_equal(sp_match_freeze(in, &err), SP_EINVAL);
    assert_non_null(strstr(err.msg, "line 6: applicant 'A' ranks program 'PRE' on both"));
    sp_match_instance_free(in);
    sp_match_instance_free(NULL);
}

/* ---- deferred acceptance --------------------------------------------------------------- */

/* Gusfield & Irving 1989 §1.6.5 as in the peer cases, with both stored answers. */
static const char gi_165[] = "r 0 2 0 4 3\nr 1 0 2 3 1 4\nr 2 3 4 2 0 1\nr 3 2 3 0 4\n"
                             "r 4 0 3 1\nr 5 3 2 1 0 4\nr 6 1 4 0 2\nr 7 0 2 1 4 3\n"
                             "r 8 3 0 4\nr 9 2 0 4 1 3\nr 10 4 3 0 2 1\n"
                             "p 0 4 2 6 8 10 4 3 9 7 5 0 1\np 1 1 4 6 9 5 7 1 2 10\n"
                             "p 2 3 10 5 7 2 1 3 6 0 9\np 3 2 9 0 1 10 3 8 4 2 5 7\n"
                             "p 4 1 1 3 9 6 5 0 7 2 10 8\n";

static void applicant_and_program_proposing_give_both_optima(void **state)
{
    static const int ropt[] = {2, 0, 3, 2, 0, 2, 1, 0, 3, 0, 4};
    static const int hopt[] = {3, 4, 2, 0, 0, 2, 1, 2, 0, 3, 0};
    sp_match_instance *in = rp(gi_165);
    struct sp_match_result res = SP_MATCH_RESULT_INIT;

    (void)state;
    run(&res, in, SP_PROPOSE_APPLICANTS);
    for (size_t a = 0; a < 11; a++)
        assert_int_equal(res.program[a], ropt[a]); /* PIDs 0..4 are indices 0..4 */
    assert_int_equal(res.n_matched, 11);
    assert_int_equal(res.n_unfilled, 0);
    assert_int_equal(res.rank[0], 1); /* resident 0 got its first choice, program 2 */
    assert_int_equal(res.rank[1], 1);
    assert_int_equal(res.rank[2], 1);
    sp_match_result_release(&res);
    run(&res, in, SP_PROPOSE_PROGRAMS);
    for (size_t a = 0; a < 11; a++)
        assert_int_equal(res.program[a], hopt[a]);
    sp_match_result_release(&res);
    sp_match_instance_free(in);
}

static void unacceptable_and_zero_capacity_entries_never_match(void **state)
{
    /* 0 ranks 1 (which does not rank 0) and 2 (capacity 0); 1 ranks 1 */
    sp_match_instance *in = rp("r 0 1 2\nr 1 1\np 1 1 1\np 2 0 0\n");
    struct sp_match_result res = SP_MATCH_RESULT_INIT;

    (void)state;
    run(&res, in, SP_PROPOSE_APPLICANTS);
    assert_string_equal(got(in, &res, "0"), "-");
    assert_string_equal(got(in, &res, "1"), "1");
    assert_int_equal(res.rank[0], 0);
    assert_int_equal(res.unfilled[1], 0); /* program 2 is index 1 */
    assert_int_equal(res.n_unfilled, 0);
    sp_match_result_release(&res);
    sp_match_instance_free(in);
}

static void program_proposing_refuses_couples(void **state)
{
    sp_match_instance *in = rp("c 0 0 1 0 0\np 0 2 0 1\n");
    struct sp_match_options opts = SP_MATCH_OPTIONS_INIT;
    struct sp_match_result res = SP_MATCH_RESULT_INIT;
    struct sp_err err = SP_ERR_INIT;

    (void)state;
    opts.proposing = SP_PROPOSE_PROGRAMS;
    assert_int_equal(sp_match_run(&res, in, &opts, &err), SP_EINVAL);
    assert_non_null(strstr(err.msg, "singles only"));
    sp_match_result_release(&res);
    sp_match_instance_free(in);
}

/* ---- couples --------------------------------------------------------------------------- */

static void couple_takes_two_seats_of_one_program_or_falls_back(void **state)
{
    /* Program 0 (cap 2) ranks single 2 first, then the couple. The couple wants (0,0),
     * then (1,-1): member 0 to program 1, member 1 unmatched. */
    sp_match_instance *in = rp("r 2 0\nc 0 0 1 0 0 1 -1\np 0 2 2 0 1\np 1 1 0\n");
    struct sp_match_result res = SP_MATCH_RESULT_INIT;

    (void)state;
    run(&res, in, SP_PROPOSE_APPLICANTS);
    assert_string_equal(got(in, &res, "2"), "0");
    assert_string_equal(got(in, &res, "0"), "1");
    assert_string_equal(got(in, &res, "1"), "-");
    assert_int_equal(res.rank[0], 2); /* the couple's second pair */
    assert_int_equal(res.rank[1], 2);
    sp_match_result_release(&res);
    sp_match_instance_free(in);

    /* With capacity 3 both fit. */
    in = rp("r 2 0\nc 0 0 1 0 0 1 -1\np 0 3 2 0 1\np 1 1 0\n");
    run(&res, in, SP_PROPOSE_APPLICANTS);
    assert_string_equal(got(in, &res, "0"), "0");
    assert_string_equal(got(in, &res, "1"), "0");
    assert_int_equal(res.unfilled[1], 1);
    sp_match_result_release(&res);
    sp_match_instance_free(in);
}

static void couple_displacement_reenters_the_bumped_single(void **state)
{
    /* Single 2 holds program 0 after the singles' round; the couple (0,1) wants
     * (0, 1) and program 0 prefers member 0: single 2 is bumped to program 2. */
    sp_match_instance *in = rp("r 2 0 2\nc 0 0 1 0 1\np 0 1 0 2\np 1 1 1\np 2 1 2\n");
    struct sp_match_result res = SP_MATCH_RESULT_INIT;

    (void)state;
    run(&res, in, SP_PROPOSE_APPLICANTS);
    assert_string_equal(got(in, &res, "0"), "0");
    assert_string_equal(got(in, &res, "1"), "1");
    assert_string_equal(got(in, &res, "2"), "2");
    assert_int_equal(res.tries, 1);
    sp_match_result_release(&res);
    sp_match_instance_free(in);
}

static void vacancy_from_a_withdrawn_partner_goes_to_the_waiting_single(void **state)
{
    /* Couple A (0,1) takes (0,1), bumping single 4 from program 1 to program 3. Couple B
     * (2,3) then takes (0,2): program 0 prefers 2 to 0, so A loses member 0 and withdraws
     * member 1 from program 1. Single 4 must get that seat back (else 4 and program 1
     * would block), and A ends unmatched. */
    sp_match_instance *in = rp("c 0 0 1 0 1\nc 1 2 3 0 2\nr 4 1 3\n"
                               "p 0 1 2 0\np 1 1 1 4\np 2 1 3\np 3 1 4\n");
    struct sp_match_result res = SP_MATCH_RESULT_INIT;

    (void)state;
    run(&res, in, SP_PROPOSE_APPLICANTS);
    assert_string_equal(got(in, &res, "4"), "1");
    assert_string_equal(got(in, &res, "2"), "0");
    assert_string_equal(got(in, &res, "3"), "2");
    assert_string_equal(got(in, &res, "0"), "-");
    assert_string_equal(got(in, &res, "1"), "-");
    assert_int_equal(res.rank[0], 0);
    sp_match_result_release(&res);
    sp_match_instance_free(in);
}

static void instance_without_stable_matching_is_reported(void **state)
{
    /* No stable matching exists (checked by hand and by the brute force of
     * test_match_props): with the couple at (0,1), single 3 blocks with program 0 or 4
     * with program 2; with the couple unmatched, it blocks with (0,1) or 4 with 1. */
    sp_match_instance *in = rp("c 0 0 1 0 1\nr 3 2 0\nr 4 1 2\np 0 1 3 0\np 1 1 1 4\np 2 1 4 3\n");
    struct sp_match_options opts = SP_MATCH_OPTIONS_INIT;
    struct sp_match_result res = SP_MATCH_RESULT_INIT;
    struct sp_err err = SP_ERR_INIT;

    (void)state;
    assert_int_equal(sp_match_run(&res, in, &opts, &err), SP_ENOSTABLE);
    assert_int_equal(res.status, SP_ENOSTABLE);
    assert_false(res.stable);
    assert_int_equal(res.tries, opts.max_tries);
    assert_int_equal(res.stop, SP_STOP_NONE_EXISTS); /* the search covered every matching */
    assert_non_null(strstr(err.msg, "none exists"));
    sp_match_result_release(&res);
    sp_match_instance_free(in);
}

static void cycling_instance_is_solved_by_the_search_or_stops(void **state)
{
    sp_match_instance *in = rp_file("peer-cases/smsuite/try3.rp");
    struct sp_match_options opts = SP_MATCH_OPTIONS_INIT;
    struct sp_match_result res = SP_MATCH_RESULT_INIT;
    struct sp_err err = SP_ERR_INIT;

    (void)state;
    /* Roth-Peranson alone cycles on try3, in every order. */
    opts.max_tries = 5;
    opts.search_budget = 0;
    assert_int_equal(sp_match_run(&res, in, &opts, &err), SP_ENOSTABLE);
    assert_int_equal(res.status, SP_ENOSTABLE);
    assert_int_equal(res.stop, SP_STOP_CYCLE);
    assert_int_equal(res.tries, 5);
    assert_false(res.stable);
    assert_non_null(strstr(err.msg, "no stable matching found"));
    sp_match_result_release(&res);
    /* The exhaustive search behind it finds the stable matching that exists. */
    opts.search_budget = SP_MATCH_SEARCH_BUDGET;
    assert_int_equal(sp_match_run(&res, in, &opts, &err), 0);
    assert_true(res.stable);
    assert_true(res.by_search);
    sp_match_result_release(&res);
    /* A tiny work cap stops a try too, and says so (without the search behind it). */
    opts.max_tries = 2;
    opts.max_steps = 10;
    opts.search_budget = 0;
    assert_int_equal(sp_match_run(&res, in, &opts, &err), SP_ENOSTABLE);
    assert_int_equal(res.stop, SP_STOP_STEPS);
    assert_non_null(strstr(err.msg, "work cap"));
    sp_match_result_release(&res);
    sp_match_instance_free(in);
}

static void same_seed_gives_same_result_on_couples(void **state)
{
    sp_match_instance *in = rp_file("peer-cases/smsuite/try1.rp");
    struct sp_match_result a = SP_MATCH_RESULT_INIT, b = SP_MATCH_RESULT_INIT;

    (void)state;
    run(&a, in, SP_PROPOSE_APPLICANTS);
    run(&b, in, SP_PROPOSE_APPLICANTS);
    assert_memory_equal(a.program, b.program, a.n_applicants * sizeof(int32_t));
    assert_int_equal(a.tries, b.tries);
    sp_match_result_release(&a);
    sp_match_result_release(&b);
    sp_match_instance_free(in);
}

/* ---- supplemental PGY-1 lists ---------------------------------------------------------- */

static const char tracks_csv[] = "type,id,capacity,track,ranks\n"
                                 "program,DR,1,advanced,zed,ana\n"
                                 "program,IM,1,categorical,ana,fay\n"
                                 "program,TY,1,preliminary,ana,fay\n"
                                 "program,PRE,1,preliminary,fay,ana\n"
                                 "applicant,ana,DR,IM\n"
                                 "supplemental,ana,TY,PRE\n"
                                 "applicant,fay,TY,IM\n"
                                 "applicant,zed,DR\n";

static void supplemental_list_is_used_only_with_an_advanced_position(void **state)
{
    sp_match_instance *in = NULL;
    struct sp_err err = SP_ERR_INIT;
    struct sp_match_result res = SP_MATCH_RESULT_INIT;

    (void)state;
    /* zed takes DR (DR prefers zed); ana goes to IM (categorical), so her supplemental
     * list is not used and fay gets TY. */
    assert_int_equal(sp_match_read_csv(&in, tracks_csv, sizeof(tracks_csv) - 1, &err), 0);
    run(&res, in, SP_PROPOSE_APPLICANTS);
    assert_string_equal(got(in, &res, "zed"), "DR");
    assert_string_equal(got(in, &res, "ana"), "IM");
    assert_string_equal(got_pgy1(in, &res, "ana"), "-");
    assert_string_equal(got(in, &res, "fay"), "TY");
    assert_true(
        sp_match_applicant_has_supplemental(in, (size_t)sp_match_find_applicant(in, "ana")));
    sp_match_result_release(&res);
    sp_match_instance_free(in);
}

static void advanced_match_activates_the_supplemental_list(void **state)
{
    /* Without zed, ana holds DR (advanced) and takes TY from her supplemental list,
     * which TY prefers to fay: fay falls to IM. */
    static const char text[] = "type,id\n"
                               "program,DR,1,advanced,ana\n"
                               "program,IM,1,,ana,fay\n"
                               "program,TY,1,preliminary,ana,fay\n"
                               "applicant,ana,DR,IM\n"
                               "supplemental,ana,TY\n"
                               "applicant,fay,TY,IM\n";
    sp_match_instance *in = NULL;
    struct sp_err err = SP_ERR_INIT;
    struct sp_match_result res = SP_MATCH_RESULT_INIT;

    (void)state;
    assert_int_equal(sp_match_read_csv(&in, text, sizeof(text) - 1, &err), 0);
    run(&res, in, SP_PROPOSE_APPLICANTS);
    assert_string_equal(got(in, &res, "ana"), "DR");
    assert_string_equal(got_pgy1(in, &res, "ana"), "TY");
    assert_int_equal(res.pgy1_rank[sp_match_find_applicant(in, "ana")], 1);
    assert_string_equal(got(in, &res, "fay"), "IM");
    assert_int_equal(res.n_unfilled, 0);
    sp_match_result_release(&res);
    sp_match_instance_free(in);
}

/* ---- the stability checker ------------------------------------------------------------- */

static const char hold_list[] = "r 0 0 1\nr 1 1 0\nr 2 1 0\nr 3 1 0\nr 4 0 1\n"
                                "p 0 2 4 2 1 0 3\np 1 2 3 1 2 0 4\n";

static void checker_flags_the_unsorted_hold_list_matching(void **state)
{
    /* J-DM/Roth-Peranson's output for regression/unsorted_hold_list: resident 2 is
     * unmatched while program 0 holds resident 0, whom it likes less. */
    static const char jdm[] = "# UNSTABLE\nm 1\nr 0 0\nr 1 1\nr 2 -1\nr 3 1\nr 4 0\n";
    static const char ropt[] = "m 1\nr 0 -1\nr 1 1\nr 2 0\nr 3 1\nr 4 0\n";
    sp_match_instance *in = rp(hold_list);
    struct sp_match_check chk;
    struct sp_err err = SP_ERR_INIT;
    int32_t program[5];
    bool has;

    (void)state;
    assert_int_equal(sp_match_read_assignment(program, NULL, &has, in, jdm, sizeof(jdm) - 1, &err),
                     0);
    assert_true(has);
    assert_int_equal(sp_match_check(&chk, in, program, NULL, &err), 0);
    assert_false(chk.stable);
    assert_int_equal(chk.n_blocking, 1);
    assert_int_equal(chk.examples[0].kind, SP_BLOCK_SINGLE);
    assert_string_equal(sp_match_applicant_id(in, (size_t)chk.examples[0].applicant), "2");
    assert_string_equal(sp_match_program_id(in, (size_t)chk.examples[0].program), "0");
    assert_int_equal(chk.examples[0].position, 2);

    assert_int_equal(
        sp_match_read_assignment(program, NULL, &has, in, ropt, sizeof(ropt) - 1, &err), 0);
    assert_int_equal(sp_match_check(&chk, in, program, NULL, &err), 0);
    assert_true(chk.stable);
    sp_match_instance_free(in);
}

static void checker_rejects_invalid_matchings(void **state)
{
    sp_match_instance *in = rp(hold_list);
    struct sp_match_check chk;
    struct sp_err err = SP_ERR_INIT;
    int32_t over[5] = {0, 0, 0, 1, 1}; /* program 0 holds 3 with capacity 2 */
    int32_t bad_index[5] = {7, -1, -1, -1, -1};

    (void)state;
    assert_int_equal(sp_match_check(&chk, in, over, NULL, &err), 0);
    assert_false(chk.stable);
    bool saw_capacity = false;
    for (size_t i = 0; i < chk.n_examples; i++)
        saw_capacity |= chk.examples[i].kind == SP_BLOCK_INVALID && chk.examples[i].applicant < 0;
    assert_true(saw_capacity);
    assert_int_equal(sp_match_check(&chk, in, bad_index, NULL, &err), SP_EINVAL);
    sp_match_instance_free(in);

    /* resident 0 ranks program 1, which does not rank it */
    in = rp("r 0 1\nr 1 1\np 1 1 1\n");
    int32_t unranked[2] = {0, -1};
    assert_int_equal(sp_match_check(&chk, in, unranked, NULL, &err), 0);
    assert_false(chk.stable);
    assert_int_equal(chk.examples[0].kind, SP_BLOCK_INVALID);
    assert_int_equal(chk.examples[0].applicant, 0);
    sp_match_instance_free(in);
}

static void checker_applies_the_couples_definition(void **state)
{
    /* Program 0 (cap 2) holds singles 2 and 3; couple (0,1) ranks (0,0) first and is
     * unmatched. Program 0 ranks 0, 1 above 3 but below 2: with one seat to free the
     * couple cannot fit both members, so it does not block. If 0 and 1 both beat the
     * second-worst (here: 2), it does. */
    sp_match_instance *in = rp("r 2 0\nr 3 0\nc 0 0 1 0 0\np 0 2 2 0 1 3\n");
    struct sp_match_check chk;
    struct sp_err err = SP_ERR_INIT;
    int32_t m[4] = {-1, -1, 0, 0};

    (void)state;
    assert_int_equal(sp_match_check(&chk, in, m, NULL, &err), 0);
    assert_true(chk.stable);
    sp_match_instance_free(in);

    in = rp("r 2 0\nr 3 0\nc 0 0 1 0 0\np 0 2 0 1 2 3\n");
    assert_int_equal(sp_match_check(&chk, in, m, NULL, &err), 0);
    assert_false(chk.stable);
    assert_int_equal(chk.examples[0].kind, SP_BLOCK_COUPLE);
    assert_int_equal(chk.examples[0].position, 1);
    sp_match_instance_free(in);
}

static void assignment_reader_rejects_unknown_ids(void **state)
{
    sp_match_instance *in = rp(hold_list);
    struct sp_err err = SP_ERR_INIT;
    int32_t program[5];
    bool has;
    static const char *const bad[] = {"m 1\nr 9 0\n", "m 1\nr 0 9\n", "m 1\nr 0 0\nr 0 1\n",
                                      "r 0 0\n",      "m 2\n",        "x 1\n"};

    (void)state;
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
        assert_int_equal(
            sp_match_read_assignment(program, NULL, &has, in, bad[i], strlen(bad[i]), &err),
            SP_EINVAL);
    assert_int_equal(sp_match_read_assignment(program, NULL, &has, in, "m 0\n", 4, &err), 0);
    assert_false(has);
    sp_match_instance_free(in);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(rp_reader_rejects_bad_input_with_line),
        cmocka_unit_test(csv_reader_rejects_bad_input_with_line),
        cmocka_unit_test(builder_enforces_the_input_rules),
        cmocka_unit_test(applicant_and_program_proposing_give_both_optima),
        cmocka_unit_test(unacceptable_and_zero_capacity_entries_never_match),
        cmocka_unit_test(program_proposing_refuses_couples),
        cmocka_unit_test(couple_takes_two_seats_of_one_program_or_falls_back),
        cmocka_unit_test(couple_displacement_reenters_the_bumped_single),
        cmocka_unit_test(vacancy_from_a_withdrawn_partner_goes_to_the_waiting_single),
        cmocka_unit_test(instance_without_stable_matching_is_reported),
        cmocka_unit_test(cycling_instance_is_solved_by_the_search_or_stops),
        cmocka_unit_test(same_seed_gives_same_result_on_couples),
        cmocka_unit_test(supplemental_list_is_used_only_with_an_advanced_position),
        cmocka_unit_test(advanced_match_activates_the_supplemental_list),
        cmocka_unit_test(checker_flags_the_unsorted_hold_list_matching),
        cmocka_unit_test(checker_rejects_invalid_matchings),
        cmocka_unit_test(checker_applies_the_couples_definition),
        cmocka_unit_test(assignment_reader_rejects_unknown_ids),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
