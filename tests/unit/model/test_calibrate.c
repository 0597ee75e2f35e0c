/*
 * Calibration (core/model/calibrate.c): the targets file's reader (every figure lands
 * where the fit reads it; a broken file is refused with line, column and field), the
 * applicant mix, and the fit itself on a synthetic specialty - internal medicine with
 * 24 programs and made-up targets - whose fitted model must reproduce every fitted
 * target within the file's tolerance (docs/MODEL.md: rates within 2 points, Step 2
 * medians within 3, quartiles within 4).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "smartpick/model/calibrate.h"
#include "synth_world.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define HEADER "kind,code,applicant_type,name,value,tolerance,unit\n"

/* A made-up specialty (IM) and the four applicant types' overall rates. */
static const char targets_csv[] =
    HEADER "target,IM,us_md,match_rate_us_md,0.75,0.02,fraction\n"
           "target,IM,us_md,step2_matched_median,252,3,score\n"
           "target,IM,us_md,step2_unmatched_median,236,3,score\n"
           "target,IM,us_md,step2_matched_q1,245,4,score\n"
           "target,IM,us_md,step2_matched_q3,259,4,score\n"
           "input,IM,us_md,n_matched_us_md_senior,750,,count\n"
           "input,IM,us_md,n_unmatched_us_md_senior,250,,count\n"
           "input,IM,all,positions,1000,,count\n"
           "input,IM,all,applicants_first_choice,1300,,count\n"
           "input,IM,all,pgy1_positions_offered,900,,count\n"
           "input,IM,all,pgy2_positions_offered,100,,count\n"
           "target,ALL,us_do,match_rate_overall,0.70,0.02,fraction\n"
           "target,ALL,us_img,match_rate_overall,0.60,0.02,fraction\n"
           "target,ALL,non_us_img,match_rate_overall,0.50,0.02,fraction\n"
           "check,ALL,us_md,match_rate_overall,0.75,0.02,fraction\n"
           "input,ALL,us_md,applications_per_applicant,30,,count\n"
           "input,ALL,us_do,applications_per_applicant,34,,count\n"
           "input,ALL,img,applications_per_applicant,40,,count\n"
           "input,ALL,non_us_img,step2_matched_median,245,,score\n"
           "input,ALL,non_us_img,step2_unmatched_median,238,,score\n"
           "input,ALL,all,step2_national_sd,15,,score\n";

static void parse(struct sp_calib_targets *t, const char *text)
{
    struct sp_err err = SP_ERR_INIT;

    if (sp_calib_targets_parse(t, text, strlen(text), &err))
        fail_msg("parse: %s", err.msg);
}

static void targets_file_puts_each_figure_where_the_fit_reads_it(void **state)
{
    struct sp_calib_targets t;
    const struct sp_calib_specialty *im = &t.spec[SP_SPEC_IM];
    (void)state;

    parse(&t, targets_csv);
    assert_true(im->present);
    assert_true(im->rate_us_md == 0.75 && im->tol_rate == 0.02);
    assert_true(im->med_matched == 252 && im->tol_median == 3);
    assert_true(im->med_unmatched == 236);
    assert_true(im->q1_matched == 245 && im->q3_matched == 259 && im->tol_quartile == 4);
    assert_true(im->n_matched == 750 && im->n_unmatched == 250);
    assert_true(im->positions == 1000 && im->applicants == 1300);
    assert_true(im->pgy1_positions == 900 && im->pgy2_positions == 100);
    for (int k = 0; k < SP_SPEC_COUNT; k++)
        assert_int_equal(t.spec[k].present, k == SP_SPEC_IM);
    assert_true(t.type_rate[SP_APP_US_DO] == 0.70 && t.type_rate[SP_APP_US_IMG] == 0.60);
    assert_true(t.type_rate[SP_APP_NON_US_IMG] == 0.50 && t.type_rate[SP_APP_US_MD] == 0.75);
    assert_true(t.tol_type_rate == 0.02);
    assert_int_equal(t.apps_by_type[SP_APP_US_MD], 30);
    assert_int_equal(t.apps_by_type[SP_APP_US_DO], 34);
    /* "img" is both IMG types. */
    assert_int_equal(t.apps_by_type[SP_APP_US_IMG], 40);
    assert_int_equal(t.apps_by_type[SP_APP_NON_US_IMG], 40);
    assert_true(t.img_med_matched == 245 && t.img_med_unmatched == 238);
    assert_true(t.step2_sd == 15);
    /* Estimates the file does not carry. */
    assert_true(t.us_img_step2_shift == SP_US_IMG_STEP2_SHIFT);
    assert_true(t.interviews_per_position == 12);
}

static void broken_targets_are_refused_naming_line_column_and_field(void **state)
{
    static const struct {
        const char *text;
        const char *msg;
    } cases[] = {
        {"", "1:1: empty targets file"},
        {"kind,code,applicant_type,name,value\n", "1:1: missing column 'tolerance'"},
        {"code,applicant_type,name,value,tolerance\n", "1:1: missing column 'kind'"},
        {HEADER "target,IM,us_md,match_rate_us_md,high,0.02,fraction\n",
         "2:34: value: 'high' must be a number"},
        {HEADER "target,IM,us_md,match_rate_us_md,0.9,0.02,fraction\n"
                "target,IM,us_md,step2_matched_median,250,three,score\n",
         "3:42: tolerance: 'three' must be a number"},
        {HEADER "target,XX,us_md,match_rate_us_md,0.9,0.02,fraction\n",
         "2:8: code: 'XX' is not a specialty or ALL"},
        {HEADER "target,IM,us_md\n", "2:1: too few fields"},
    };
    (void)state;

    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct sp_calib_targets t;
        struct sp_err err = SP_ERR_INIT;
        int rc = sp_calib_targets_parse(&t, cases[i].text, strlen(cases[i].text), &err);
        if (rc != SP_EINVAL || strcmp(err.msg, cases[i].msg) != 0)
            fail_msg("case %zu: rc %d, '%s'; expected SP_EINVAL, '%s'", i, rc, err.msg,
                     cases[i].msg);
    }
}

/* The mix before the market's fit: every first-choice applicant counted once, the
 * US MD seniors of Charting Outcomes, a published count of a type as published, the
 * rest split by the estimates; more published than there are applicants leaves no
 * room for the others. */
static void applicant_mix_splits_every_applicant_once(void **state)
{
    struct sp_calib_targets t;
    struct sp_model m;
    (void)state;

    memset(&t, 0, sizeof(t));
    sp_model_init_priors(&m);
    for (int k = 0; k < SP_SPEC_COUNT; k++) {
        t.spec[k].present = 1;
        t.spec[k].n_matched = 600;
        t.spec[k].n_unmatched = 50;
        t.spec[k].applicants = 1000;
        t.spec[k].type_applicants[SP_APP_NON_US_IMG] = k == SP_SPEC_VS ? 0 : 100;
    }
    t.spec[SP_SPEC_PMR].n_matched = 1200; /* more US MD seniors than applicants */
    m.spec[SP_SPEC_IR].market_shift[SP_APP_NON_US_IMG] = 1;
    sp_calib_pool_init(&m, &t);
    for (int k = 0; k < SP_SPEC_COUNT; k++) {
        double sum = 0;
        for (int ty = 0; ty < SP_APP_TYPE_COUNT; ty++) {
            double n = sp_mix_applicants(&t.spec[k], &m.spec[k], (enum sp_applicant_type)ty);
            assert_true(n >= 0);
            sum += n;
            assert_true(m.spec[k].market_shift[ty] == 0);
        }
        assert_true(fabs(sum - 1000) < 1e-9);
        if (k == SP_SPEC_PMR) {
            assert_true(fabs(sp_mix_applicants(&t.spec[k], &m.spec[k], SP_APP_US_MD) - 900) < 1e-9);
            assert_true(sp_mix_applicants(&t.spec[k], &m.spec[k], SP_APP_US_DO) == 0);
        } else {
            assert_true(fabs(sp_mix_applicants(&t.spec[k], &m.spec[k], SP_APP_US_MD) - 650) < 1e-9);
        }
        if (k != SP_SPEC_VS)
            assert_true(fabs(sp_mix_applicants(&t.spec[k], &m.spec[k], SP_APP_NON_US_IMG) - 100) <
                        1e-9);
        /* A backup is another specialty, or none (IM). */
        assert_int_not_equal(sp_mix_backup_of((enum sp_specialty)k), k);
    }
    assert_int_equal(sp_mix_backup_of(SP_SPEC_IM), SP_SPEC_COUNT);
    for (int ty = 0; ty < SP_APP_TYPE_COUNT; ty++)
        assert_true(sp_mix_backup_share((enum sp_applicant_type)ty) >= 0 &&
                    sp_mix_backup_share((enum sp_applicant_type)ty) <= 1);
}

static const struct sp_calib_row *find_row(const struct sp_calib_report *rep, const char *name,
                                           const char *type)
{
    for (size_t i = 0; i < rep->n_rows; i++) {
        if (strcmp(rep->rows[i].name, name) == 0 && strcmp(rep->rows[i].type, type) == 0)
            return &rep->rows[i];
    }
    return NULL;
}

/* From the priors' neutral start the fit reproduces every fitted target within its
 * tolerance, reports a row for each, and sets what the targets imply. */
static void fitted_model_reproduces_the_targets_within_tolerance(void **state)
{
    const enum sp_specialty im = SP_SPEC_IM;
    struct synth_world w;
    struct sp_calib_targets t;
    struct sp_calib_report rep, again;
    struct sp_err err = SP_ERR_INIT;
    struct sp_model before;
    static const char *const fitted[] = {"match_rate_us_md", "step2_matched_median",
                                         "step2_unmatched_median", "step2_matched_q1",
                                         "step2_matched_q3"};
    (void)state;

    assert_int_equal(synth_world_init(&w, &im, 1, 24), 0);
    parse(&t, targets_csv);
    before = w.m;
    /* The priors' neutral start misses: the fit has work to do. */
    sp_calib_evaluate(&again, &w.m, w.cat, w.q, &t);
    assert_true(again.n_failed >= 3);
    assert_int_equal(sp_calibrate(&w.m, &rep, w.cat, w.q, &t, &err), 0);
    for (size_t i = 0; i < rep.n_rows; i++) {
        const struct sp_calib_row *r = &rep.rows[i];
        if (!r->is_check && !(fabs(r->model - r->target) <= r->tolerance))
            fail_msg("%s %s %s: model %.4f, target %.4f, tolerance %.4f", r->code, r->name, r->type,
                     r->model, r->target, r->tolerance);
    }
    assert_int_equal(rep.n_failed, 0);
    /* One row per target: five for IM, the interviews check, four type rates. */
    assert_int_equal(rep.n_rows, 10);
    for (size_t i = 0; i < 5; i++)
        assert_non_null(find_row(&rep, fitted[i], "us_md"));
    assert_true(find_row(&rep, "interviews_per_applicant", "us_md")->is_check);
    assert_true(find_row(&rep, "match_rate_overall", "us_md")->is_check);
    assert_false(find_row(&rep, "match_rate_overall", "non_us_img")->is_check);

    /* The fit moved the intercept and slope; US MD stays the reference. */
    assert_true(w.m.spec[im].a != before.spec[im].a);
    assert_true(w.m.spec[im].beta_step2 > 0);
    assert_true(w.m.spec[im].se_shift > 0);
    assert_true(w.m.type_offset[SP_APP_US_MD] == 0);
    /* Implied by the file: the advanced share and the application counts. */
    assert_true(fabs(w.m.spec[im].advanced_share - 0.1) < 1e-15);
    assert_int_equal(w.m.type_applications[SP_APP_US_MD], 30);
    assert_int_equal(w.m.type_applications[SP_APP_NON_US_IMG], 40);
    /* What the fit reports is what evaluating the fitted model gives. */
    sp_calib_evaluate(&again, &w.m, w.cat, w.q, &t);
    assert_int_equal(again.n_rows, rep.n_rows);
    for (size_t i = 0; i < rep.n_rows; i++)
        assert_true(again.rows[i].model == rep.rows[i].model);
    synth_world_release(&w);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(targets_file_puts_each_figure_where_the_fit_reads_it),
        cmocka_unit_test(broken_targets_are_refused_naming_line_column_and_field),
        cmocka_unit_test(applicant_mix_splits_every_applicant_once),
        cmocka_unit_test(fitted_model_reproduces_the_targets_within_tolerance),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
