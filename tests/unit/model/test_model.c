/*
 * The model: quadrature, list compaction, and monotonicity of P(match) in every
 * feature for every specialty, with the shipped model.json and the real catalog.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "model_json.h"
#include "smartpick/model/assess.h"
#include "smartpick/plan/plan.h"
#include "smartpick/plan/rank.h"
#include "sp_str.h"
#include "store.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct world {
    char dir[64];
    sp_store *st;
    sp_catalog *cat;
    struct sp_model m;
    double *q;
    enum sp_source *src;
};

static int setup(void **state)
{
    struct world *w = calloc(1, sizeof(*w));
    struct sp_err err = SP_ERR_INIT;
    struct sp_buf text = SP_BUF_INIT;
    char path[96];
    size_t n;

    snprintf(w->dir, sizeof(w->dir), "/tmp/sp-test-model-XXXXXX");
    if (!mkdtemp(w->dir))
        return -1;
    snprintf(path, sizeof(path), "%s/sp.db", w->dir);
    if (sp_store_open(&w->st, path, &err) || sp_store_load_catalog(w->st, &w->cat, &err) ||
        sp_read_file(&text, SP_SOURCE_DIR "/data/model.json", &err) ||
        sp_model_from_json(&w->m, text.data, text.len, &err)) {
        fprintf(stderr, "setup: %s\n", err.msg);
        return -1;
    }
    sp_buf_release(&text);
    sp_catalog_programs(w->cat, &n);
    w->q = calloc(n, sizeof(double));
    w->src = calloc(n, sizeof(*w->src));
    sp_model_selectivity(w->q, w->src, &w->m, w->cat);
    *state = w;
    return 0;
}

/* The selectivity proxy knows Johns Hopkins as one academic center (its IR program's
 * sponsor is listed as "... School of Medicine", its other programs as "Johns Hopkins
 * University"; the NIH table maps both to the school): its IR program is among the most
 * selective quarter of IR programs, not among the least. */
static void selectivity_counts_one_school_as_one_institution(void **state)
{
    const struct world *w = *state;
    size_t n_all, n_ir, above = 0;
    const struct sp_program *all = sp_catalog_programs(w->cat, &n_all);
    const struct sp_program *const *ir = sp_catalog_by_specialty(w->cat, SP_SPEC_IR, &n_ir);
    const struct sp_program *jh = sp_catalog_find(w->cat, "4162300001");

    assert_non_null(jh);
    assert_true(jh->facts[SP_FACT_SCHOOL_NIH].source == SP_SRC_PUBLISHED);
    for (size_t i = 0; i < n_ir; i++)
        above += w->q[ir[i] - all] > w->q[jh - all];
    assert_true(above < n_ir / 4);
}

static int teardown(void **state)
{
    struct world *w = *state;
    char cmd[128];

    free(w->q);
    free(w->src);
    sp_catalog_free(w->cat);
    sp_store_close(w->st);
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", w->dir);
    if (system(cmd) != 0)
        return -1;
    free(w);
    return 0;
}

static void quadrature_integrates_normal_moments(void **state)
{
    struct sp_quadrature q;
    (void)state;

    for (int n = 4; n <= SP_GH_MAX; n += 4) {
        double m0 = 0, m1 = 0, m2 = 0, m4 = 0;
        assert_int_equal(sp_quadrature_init(&q, n, 0.7), 0);
        assert_int_equal(q.n, n);
        for (int i = 0; i < n; i++) {
            m0 += q.w[i];
            m1 += q.w[i] * q.e[i];
            m2 += q.w[i] * q.e[i] * q.e[i];
            m4 += q.w[i] * pow(q.e[i], 4);
        }
        assert_true(fabs(m0 - 1) < 1e-12);
        assert_true(fabs(m1) < 1e-12);
        assert_true(fabs(m2 - 0.49) < 1e-10);
        assert_true(fabs(m4 - 3 * 0.49 * 0.49) < 1e-9);
    }
    assert_int_equal(sp_quadrature_init(&q, 0, 1), SP_EINVAL);
    assert_int_equal(sp_quadrature_init(&q, SP_GH_MAX + 1, 1), SP_EINVAL);
}

/* A middling US MD applicant: P(match) well inside (0, 1) everywhere. */
static struct sp_profile base_profile(void)
{
    struct sp_profile p;
    struct sp_err err = SP_ERR_INIT;

    sp_profile_init(&p);
    p.applicant_type = SP_APP_US_MD;
    p.step2_ck = 242;
    p.honors = 2;
    p.publications = 1;
    p.abstracts = 1;
    for (int k = 0; k < SP_SPEC_COUNT; k++)
        p.letters[k] = 1;
    snprintf(p.home_state, sizeof(p.home_state), "OH");
    snprintf(p.school_state, sizeof(p.school_state), "OH");
    p.given = ~0u;
    assert_int_equal(sp_profile_complete(&p, &err), 0);
    return p;
}

static double pm(const struct world *w, const struct sp_profile *p, enum sp_specialty k)
{
    size_t n;

    sp_catalog_by_specialty(w->cat, k, &n);
    return sp_assess_p_match(&w->m, w->cat, w->q, p, k,
                             sp_model_typical_applications(&w->m, k, SP_APP_US_MD, (int)n), 0);
}

#define EXPECT_GT(a, b, what, k)                                                              \
    do {                                                                                      \
        if (!((a) > (b) + 1e-6))                                                              \
            fail_msg("%s in %s: %.6f is not above %.6f", what, sp_specialty_code(k), (a), (b)); \
    } while (0)

static void p_match_rises_with_strengths_in_every_specialty(void **state)
{
    const struct world *w = *state;
    struct sp_profile base = base_profile(), c;

    for (int ki = 0; ki < SP_SPEC_COUNT; ki++) {
        enum sp_specialty k = (enum sp_specialty)ki;
        double p0 = pm(w, &base, k);
        if (!(p0 > 0.02 && p0 < 0.98))
            fail_msg("base P(match) in %s is %.3f: not a useful base", sp_specialty_code(k), p0);
        c = base;
        c.step2_ck += 10;
        EXPECT_GT(pm(w, &c, k), p0, "Step 2 +10", k);
        c = base;
        c.publications += 4;
        EXPECT_GT(pm(w, &c, k), p0, "research +4", k);
        c = base;
        c.research_in[k] += 2;
        EXPECT_GT(pm(w, &c, k), p0, "specialty research +2", k);
        c = base;
        c.honors += 2;
        EXPECT_GT(pm(w, &c, k), p0, "honors +2", k);
        c = base;
        c.aoa = true;
        EXPECT_GT(pm(w, &c, k), p0, "AOA", k);
        c = base;
        c.letters[k] += 1;
        EXPECT_GT(pm(w, &c, k), p0, "one more letter", k);
        c = base;
        c.aways[c.n_aways].specialty = k;
        c.n_aways++;
        EXPECT_GT(pm(w, &c, k), p0, "one more away rotation", k);
        c = base;
        c.failures = 1;
        EXPECT_GT(p0, pm(w, &c, k), "an exam failure lowers", k);
        c = base;
        c.gap_months = 12;
        EXPECT_GT(p0, pm(w, &c, k), "a 12-month gap lowers", k);
        c = base;
        c.professionalism = true;
        EXPECT_GT(p0, pm(w, &c, k), "a professionalism flag lowers", k);
        c = base;
        c.reapplicant = true;
        EXPECT_GT(p0, pm(w, &c, k), "reapplying lowers", k);
    }
}

static void p_match_orders_applicant_types(void **state)
{
    const struct world *w = *state;
    struct sp_profile p = base_profile();

    for (int ki = 0; ki < SP_SPEC_COUNT; ki++) {
        enum sp_specialty k = (enum sp_specialty)ki;
        double prev = 2;
        for (int t = SP_APP_US_MD; t < SP_APP_TYPE_COUNT; t++) {
            double v;
            p.applicant_type = (enum sp_applicant_type)t;
            v = pm(w, &p, k);
            if (!(v < prev))
                fail_msg("%s: %s %.4f is not below the type before it (%.4f)",
                         sp_specialty_code(k), sp_applicant_type_name(p.applicant_type), v, prev);
            prev = v;
        }
    }
}

static void signals_and_more_applications_raise_p_match(void **state)
{
    const struct world *w = *state;
    struct sp_profile p = base_profile();
    size_t n_prog;
    struct sp_quadrature q;
    struct sp_strength s;

    assert_int_equal(sp_quadrature_init(&q, w->m.gh_nodes, w->m.sigma), 0);
    for (int ki = 0; ki < SP_SPEC_COUNT; ki++) {
        enum sp_specialty k = (enum sp_specialty)ki;
        struct sp_list_item *items;
        double prev = -1;
        sp_catalog_by_specialty(w->cat, k, &n_prog);
        items = calloc(n_prog, sizeof(*items));
        sp_model_strength(&s, &w->m, &p, k);
        for (int g = 0; g <= 8; g += 4) {
            size_t n = sp_typical_list(items, &w->m, w->cat, w->q, &p, k, s.value, 30, g, 0);
            double v = sp_list_p_match(&w->m, &q, items, n, 0);
            if (!(v > prev))
                fail_msg("%s: %d gold signals give %.4f, not above %.4f", sp_specialty_code(k),
                         g, v, prev);
            prev = v;
        }
        prev = -1;
        for (int apps = 10; apps <= 40; apps += 10) {
            double v = pm(w, &p, k);
            v = sp_assess_p_match(&w->m, w->cat, w->q, &p, k, apps, 0);
            if (!(v > prev))
                fail_msg("%s: %d applications give %.4f, not above %.4f", sp_specialty_code(k),
                         apps, v, prev);
            prev = v;
        }
        free(items);
    }
}

/* Sum over the programs of min(1, c w_j): what sets the typical list's scale c. */
static double included(const double *wt, size_t n, double c)
{
    double sum = 0;

    for (size_t j = 0; j < n; j++)
        sum += fmin(1.0, c * wt[j]);
    return sum;
}

static void merged_list_equals_program_by_program_sum(void **state)
{
    const struct world *w = *state;
    struct sp_profile p = base_profile();
    struct sp_quadrature q;
    struct sp_strength s;
    size_t n_prog, n_all;
    const struct sp_program *base = sp_catalog_programs(w->cat, &n_all);
    const struct sp_program *const *progs = sp_catalog_by_specialty(w->cat, SP_SPEC_DR, &n_prog);
    struct sp_list_item *items = calloc(n_prog, sizeof(*items));
    struct sp_app_logits *lg = calloc(n_prog, sizeof(*lg));
    double *wt = calloc(n_prog, sizeof(*wt));
    double manual = 0, merged, lo = 0, hi = 1, sum_w = 0;

    assert_int_equal(sp_quadrature_init(&q, w->m.gh_nodes, w->m.sigma), 0);
    sp_model_strength(&s, &w->m, &p, SP_SPEC_DR);
    size_t n = sp_typical_list(items, &w->m, w->cat, w->q, &p, SP_SPEC_DR, s.value, 40, 0, 0);
    assert_true(n < n_prog); /* programs share selectivities */
    merged = sp_list_p_match(&w->m, &q, items, n, 0);
    for (size_t j = 0; j < n; j++)
        sum_w += items[j].weight;
    assert_true(fabs(sum_w - 40.0) < 1e-9);
    /* The same expectation, program by program: each on the list with probability
     * pi_j = min(1, c w_j), w_j = fit x e^(phi q_j) x P(interview at e = 0), c
     * (by bisection here) making sum pi_j = 40; a miss with probability 1 - pi_j p_j. */
    for (size_t j = 0; j < n_prog; j++) {
        struct sp_program_effects fx;
        double qj = w->q[progs[j] - base];
        sp_model_program_effects(&fx, &p, progs[j]);
        assert_false(fx.home || fx.away);
        sp_model_logits(&lg[j], &w->m, SP_SPEC_DR, s.value, qj, &fx, SP_SIGNAL_NONE);
        wt[j] = sp_utility_program(&p, progs[j], 0) * exp(SP_APPLICATION_PRESTIGE * qj) /
                (1.0 + exp(-lg[j].interview));
    }
    while (included(wt, n_prog, hi) < 40.0)
        hi *= 2;
    for (int it = 0; it < 200; it++) {
        double mid = 0.5 * (lo + hi);
        if (included(wt, n_prog, mid) < 40.0)
            lo = mid;
        else
            hi = mid;
    }
    for (int i = 0; i < q.n; i++) {
        double log_none = 0;
        for (size_t j = 0; j < n_prog; j++) {
            double pi = fmin(1.0, hi * wt[j]);
            log_none += log1p(-pi * sp_model_p_app(&w->m, &lg[j], q.e[i]));
        }
        manual += q.w[i] * (1 - exp(log_none));
    }
    assert_true(fabs(manual - merged) < 1e-9);
    free(wt);
    free(lg);
    free(items);
}

/* The scale c with sum_j mass_j min(1, c w_j) = target, by bisection. */
static double scale_for(const double *wt, const double *mass, size_t n, double target)
{
    double lo = 0, hi = 1;

    for (;;) {
        double sum = 0;
        for (size_t j = 0; j < n; j++)
            sum += mass[j] * fmin(1.0, hi * wt[j]);
        if (sum >= target)
            break;
        hi *= 2;
    }
    for (int it = 0; it < 200; it++) {
        double mid = 0.5 * (lo + hi), sum = 0;
        for (size_t j = 0; j < n; j++)
            sum += mass[j] * fmin(1.0, mid * wt[j]);
        if (sum < target)
            lo = mid;
        else
            hi = mid;
    }
    return hi;
}

/* The reference applicant's list in k (no profile, no signals) against the same
 * expectation computed program by program and class by class; returns the number
 * of items with share 1 (programs the scale caps). */
static size_t check_reference_list(const struct world *w, enum sp_specialty k, double strength,
                                   double apps)
{
    const struct sp_program_effects cls[3] = {
        {true, true, false, false}, {true, false, false, false}, {false, false, false, false}};
    const double share[3] = {w->m.ref_share_in_state, w->m.ref_share_geo - w->m.ref_share_in_state,
                             1 - w->m.ref_share_geo};
    const double fit[3] = {0.96, 0.93, 0.88}; /* the reference's, by class */
    struct sp_quadrature q;
    size_t n_prog, n_all, capped = 0;
    const struct sp_program *base = sp_catalog_programs(w->cat, &n_all);
    const struct sp_program *const *progs = sp_catalog_by_specialty(w->cat, k, &n_prog);
    size_t n_pick = 3 * n_prog, n;
    struct sp_list_item *items = calloc(n_pick, sizeof(*items));
    struct sp_app_logits *lg = calloc(n_pick, sizeof(*lg));
    double *wt = calloc(n_pick, sizeof(*wt)), *mass = calloc(n_pick, sizeof(*mass));
    double manual = 0, merged, c, sum_w = 0;

    assert_int_equal(sp_quadrature_init(&q, w->m.gh_nodes, w->m.sigma), 0);
    n = sp_typical_list(items, &w->m, w->cat, w->q, NULL, k, strength, (int)apps, 0, 0);
    assert_true(n > 0 && n <= n_pick);
    for (size_t j = 0; j < n; j++) {
        sum_w += items[j].weight;
        capped += items[j].share == 1.0;
    }
    assert_true(fabs(sum_w - apps) < 1e-9);
    merged = sp_list_p_match(&w->m, &q, items, n, 0);
    for (size_t j = 0; j < n_prog; j++) {
        for (size_t x = 0; x < 3; x++) {
            size_t i = 3 * j + x;
            double qj = w->q[progs[j] - base];
            sp_model_logits(&lg[i], &w->m, k, strength, qj, &cls[x], SP_SIGNAL_NONE);
            wt[i] = fit[x] * exp(SP_APPLICATION_PRESTIGE * qj) / (1.0 + exp(-lg[i].interview));
            mass[i] = share[x];
        }
    }
    c = scale_for(wt, mass, n_pick, apps);
    for (int i = 0; i < q.n; i++) {
        double log_none = 0;
        for (size_t j = 0; j < n_pick; j++)
            log_none += mass[j] * log1p(-fmin(1.0, c * wt[j]) * sp_model_p_app(&w->m, &lg[j], q.e[i]));
        manual += q.w[i] * (1 - exp(log_none));
    }
    if (!(fabs(manual - merged) < 1e-9))
        fail_msg("%s at strength %.1f, %.0f applications: grouped %.12f, by program %.12f",
                 sp_specialty_code(k), strength, apps, merged, manual);
    free(mass);
    free(wt);
    free(lg);
    free(items);
    return capped;
}

/* The reference applicant's list (no profile) groups programs by selectivity and
 * geography class: the same expectation program by program and class by class,
 * also when the scale caps programs at 1; its signals add up to the count and
 * raise P(match). */
static void reference_list_equals_program_by_program_classes(void **state)
{
    const struct world *w = *state;
    const enum sp_specialty k = SP_SPEC_IM;
    const double strength = -2.5, apps = 60;
    struct sp_quadrature q;
    size_t n_prog, n;
    struct sp_list_item *items;
    double plain, gold = 0, silver = 0;

    assert_int_equal(check_reference_list(w, k, strength, apps), 0);
    sp_catalog_by_specialty(w->cat, SP_SPEC_IR, &n_prog);
    assert_true(check_reference_list(w, SP_SPEC_IR, 2.0, (double)(n_prog / 2)) > 0); /* capped */

    sp_catalog_by_specialty(w->cat, k, &n_prog);
    items = calloc(3 * n_prog, sizeof(*items));
    assert_int_equal(sp_quadrature_init(&q, w->m.gh_nodes, w->m.sigma), 0);
    n = sp_typical_list(items, &w->m, w->cat, w->q, NULL, k, strength, (int)apps, 0, 0);
    assert_true(n < n_prog / 4); /* grouped: IM's programs share few selectivities */
    plain = sp_list_p_match(&w->m, &q, items, n, 0);
    n = sp_typical_list(items, &w->m, w->cat, w->q, NULL, k, strength, (int)apps, 3, 7);
    for (size_t j = 0; j < n; j++) {
        assert_true(items[j].f_gold >= 0 && items[j].f_silver >= 0 &&
                    items[j].f_gold + items[j].f_silver <= 1 + 1e-12);
        gold += items[j].weight * items[j].f_gold;
        silver += items[j].weight * items[j].f_silver;
    }
    assert_true(fabs(gold - 3) < 1e-9 && fabs(silver - 7) < 1e-9);
    assert_true(sp_list_p_match(&w->m, &q, items, n, 0) > plain + 0.05);
    free(items);
}

/* Home programs are always on a profile's typical list (share 1), and the rest
 * fill the count. */
static void home_programs_are_always_on_the_typical_list(void **state)
{
    const struct world *w = *state;
    struct sp_profile p = base_profile();
    struct sp_strength s;
    size_t n_prog, n;
    const struct sp_program *const *progs = sp_catalog_by_specialty(w->cat, SP_SPEC_IM, &n_prog);
    struct sp_list_item *items = calloc(n_prog, sizeof(*items));
    double always = 0, sum_w = 0;

    for (size_t i = 0; i < 3; i++)
        snprintf(p.home_programs[i], sizeof(p.home_programs[i]), "%s", progs[i * 100]->acgme_id);
    p.n_home_programs = 3;
    sp_model_strength(&s, &w->m, &p, SP_SPEC_IM);
    /* weak and few: no program other than a home one reaches share 1 */
    n = sp_typical_list(items, &w->m, w->cat, w->q, &p, SP_SPEC_IM, s.value - 3, 10, 0, 0);
    for (size_t j = 0; j < n; j++) {
        sum_w += items[j].weight;
        if (items[j].share == 1.0)
            always += items[j].weight;
    }
    assert_true(fabs(sum_w - 10) < 1e-9);
    assert_true(fabs(always - 3) < 1e-12);
    free(items);
}

/* Rank lists: true order, probabilities that add up, and an extra acceptable
 * program at the bottom never hurting. */
static void rank_list_keeps_order_and_adds_up(void **state)
{
    const struct world *w = *state;
    struct sp_profile p = base_profile();
    static const char *const ids[] = {"4164800001", "4164800003", "4204800001", "1404800001"};
    struct sp_rank_input in;
    struct sp_rank_result r, r_short;
    struct sp_err err = SP_ERR_INIT;

    memset(&in, 0, sizeof(in));
    for (size_t i = 0; i < 4; i++) {
        snprintf(in.entries[i].acgme_id, sizeof(in.entries[i].acgme_id), "%s", ids[i]);
        in.entries[i].preference = (int)(4 - i); /* listed in reverse preference */
        in.entries[i].acceptable = true;
    }
    in.n_entries = 4;
    assert_int_equal(sp_rank_resolve(&in, w->cat, &err), 0);
    assert_int_equal(sp_rank(&r, &w->m, w->cat, w->q, &p, &in, &err), 0);
    assert_int_equal(r.n_lines, 4);
    for (size_t i = 0; i < 4; i++)
        assert_string_equal(r.lines[i].entry->acgme_id, ids[3 - i]);
    assert_true(fabs(r.lines[3].p_match_cumulative + r.p_unmatched - 1) < 1e-12);
    assert_true(r.expected_utility > 0 && r.expected_utility < 1);

    /* Without the last program: higher ranks unchanged, P(unmatched) no lower. */
    in.entries[0].acceptable = false;
    assert_int_equal(sp_rank(&r_short, &w->m, w->cat, w->q, &p, &in, &err), 0);
    assert_int_equal(r_short.n_lines, 3);
    for (size_t i = 0; i < 3; i++)
        assert_true(fabs(r_short.lines[i].p_match_here - r.lines[i].p_match_here) < 1e-12);
    assert_true(r_short.p_unmatched > r.p_unmatched);
    assert_true(r_short.n_warnings >= 1);
    assert_non_null(strstr(r_short.warnings[0], "left off because you marked it unacceptable"));

    /* Preferences must be distinct. */
    in.entries[0].acceptable = true;
    in.entries[1].preference = in.entries[0].preference;
    assert_int_equal(sp_rank(&r, &w->m, w->cat, w->q, &p, &in, &err), SP_EINVAL);
    assert_string_equal(err.msg, "interviews[1].preference: 4 is also interviews[0]'s; "
                                 "preferences must be distinct");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(quadrature_integrates_normal_moments),
        cmocka_unit_test(selectivity_counts_one_school_as_one_institution),
        cmocka_unit_test(p_match_rises_with_strengths_in_every_specialty),
        cmocka_unit_test(p_match_orders_applicant_types),
        cmocka_unit_test(signals_and_more_applications_raise_p_match),
        cmocka_unit_test(merged_list_equals_program_by_program_sum),
        cmocka_unit_test(reference_list_equals_program_by_program_classes),
        cmocka_unit_test(home_programs_are_always_on_the_typical_list),
        cmocka_unit_test(rank_list_keeps_order_and_adds_up),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
