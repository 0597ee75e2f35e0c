/*
 * The simulator's report (`smartpick simulate`): match rates by specialty and
 * applicant type beside the NRMP figures, the inserted student's simulated
 * P(match), and the planner's reliability tables, as text or JSON (schema
 * smartpick.simulation/1, docs/SIMULATION.md). Same summary, same bytes.
 */
#include "render_sim.h"

#include <math.h>
#include <stdio.h>

#include "banned.h"

static void num(struct sp_buf *b, double v)
{
    if (isfinite(v))
        sp_buf_addf(b, "%.4f", v);
    else
        sp_buf_adds(b, "null");
}

/* "key": mean, "key_low": low, "key_high": high. */
static void rate(struct sp_buf *b, const char *key, const struct sp_sim_rate *r)
{
    sp_buf_addf(b, "\"%s\": ", key);
    num(b, r->mean);
    sp_buf_addf(b, ", \"%s_low\": ", key);
    num(b, r->low);
    sp_buf_addf(b, ", \"%s_high\": ", key);
    num(b, r->high);
}

static const char *const type_keys[SP_APP_TYPE_COUNT] = {"us_md", "us_do", "us_img", "non_us_img"};

static void reliability_json(struct sp_buf *b, const struct sp_sim_reliability *t)
{
    sp_buf_adds(b, "{\"brier\": ");
    num(b, t->brier);
    sp_buf_addf(b, ", \"applicants\": %.0f, \"bins\": [", t->total);
    for (int i = 0; i < SP_SIM_BINS; i++) {
        sp_buf_addf(b, "%s{\"from\": %.1f, \"to\": %.1f, \"n\": %.0f, \"predicted\": ",
                    i ? ", " : "", i / 10.0, (i + 1) / 10.0, t->n[i]);
        num(b, t->n[i] > 0 ? t->pred[i] : NAN);
        sp_buf_adds(b, ", \"observed\": ");
        num(b, t->n[i] > 0 ? t->obs[i] : NAN);
        sp_buf_adds(b, "}");
    }
    sp_buf_adds(b, "]}");
}

static void reliability_text(struct sp_buf *b, const char *title,
                             const struct sp_sim_reliability *t)
{
    sp_buf_addf(b, "\n%s: %.0f applicants, Brier %.4f\n", title, t->total, t->brier);
    sp_buf_addf(b, "%-9s %9s %9s %9s\n", "predicted", "n", "mean", "observed");
    for (int i = 0; i < SP_SIM_BINS; i++) {
        if (!(t->n[i] > 0))
            continue;
        sp_buf_addf(b, "%.1f-%.1f   %9.0f %8.1f%% %8.1f%%\n", i / 10.0, (i + 1) / 10.0, t->n[i],
                    100 * t->pred[i], 100 * t->obs[i]);
    }
}

static void report_json(struct sp_buf *b, const struct sp_sim_summary *s,
                        const struct sp_render_sim_options *o)
{
    sp_buf_adds(b, "{\n  \"schema\": \"smartpick.simulation/1\",\n");
    sp_buf_addf(b, "  \"replications\": %zu,\n  \"seed\": %llu,\n", s->replications,
                (unsigned long long)o->seed);
    sp_buf_adds(b, "  \"specialties\": [\n");
    for (int k = 0; k < SP_SPEC_COUNT; k++) {
        const struct sp_sim_spec_summary *sp = &s->spec[k];
        sp_buf_addf(b, "    {\"code\": \"%s\", ", sp_specialty_code(sp->code));
        rate(b, "match_rate_us_md", &sp->us_md);
        sp_buf_adds(b, ", \"nrmp_match_rate_us_md\": ");
        num(b, sp->nrmp_us_md);
        sp_buf_adds(b, ", \"match_rate_by_type\": {");
        for (int t = 0; t < SP_APP_TYPE_COUNT; t++) {
            sp_buf_addf(b, "%s\"%s\": ", t ? ", " : "", type_keys[t]);
            num(b, sp->by_type[t]);
        }
        sp_buf_adds(b, "}, \"unfilled_positions\": ");
        num(b, sp->unfilled_positions);
        sp_buf_adds(b, ", \"positions\": ");
        num(b, sp->positions);
        sp_buf_adds(b, ", \"first_choice_applicants\": ");
        num(b, sp->applicants);
        sp_buf_adds(b, ", \"mean_rank_matched\": ");
        num(b, sp->mean_rank_matched);
        sp_buf_addf(b, "}%s\n", k + 1 < SP_SPEC_COUNT ? "," : "");
    }
    sp_buf_adds(b, "  ],\n  \"by_type\": {\n");
    for (int t = 0; t < SP_APP_TYPE_COUNT; t++) {
        sp_buf_addf(b, "    \"%s\": {", type_keys[t]);
        rate(b, "match_rate", &s->by_type[t]);
        sp_buf_adds(b, ", \"nrmp_match_rate\": ");
        num(b, s->nrmp_by_type[t]);
        sp_buf_addf(b, "}%s\n", t + 1 < SP_APP_TYPE_COUNT ? "," : "");
    }
    sp_buf_adds(b, "  },\n  \"applications_per_applicant\": ");
    num(b, s->applications_per_applicant);
    sp_buf_adds(b, ",\n  \"interviews_per_position\": ");
    num(b, s->interviews_per_position);
    sp_buf_addf(b, ",\n  \"replications_without_stable_matching\": %zu", s->no_stable);
    if (s->has_student) {
        sp_buf_adds(b, ",\n  \"student\": {");
        rate(b, "p_match_simulated", &s->student);
        sp_buf_adds(b, ", \"p_match_any_plan\": ");
        num(b, o->has_plan ? o->plan_p_match_any : NAN);
        sp_buf_adds(b, "}");
    }
    if (o->reliability) {
        sp_buf_adds(b, ",\n  \"reliability\": ");
        reliability_json(b, &s->rel_typical);
        sp_buf_adds(b, ",\n  \"reliability_own_list\": ");
        reliability_json(b, &s->rel_own);
    }
    sp_buf_adds(b, "\n}\n");
}

static void report_text(struct sp_buf *b, const struct sp_sim_summary *s,
                        const struct sp_render_sim_options *o)
{
    sp_buf_addf(b, "Simulated Main Match: %zu replication%s, seed %llu\n\n", s->replications,
                s->replications == 1 ? "" : "s", (unsigned long long)o->seed);
    sp_buf_adds(b, "US MD seniors matched in their preferred specialty (95% Monte Carlo "
                   "interval)\n");
    sp_buf_addf(b, "%-6s %20s %7s  %6s %6s %6s %6s  %9s %9s\n", "", "simulated", "NRMP", "us_md",
                "us_do", "us_img", "nonus", "unfilled", "mean rank");
    for (int k = 0; k < SP_SPEC_COUNT; k++) {
        const struct sp_sim_spec_summary *sp = &s->spec[k];
        sp_buf_addf(b, "%-6s %5.1f%% (%4.1f-%5.1f) %6.1f%% ", sp_specialty_code(sp->code),
                    100 * sp->us_md.mean, 100 * sp->us_md.low, 100 * sp->us_md.high,
                    100 * sp->nrmp_us_md);
        for (int t = 0; t < SP_APP_TYPE_COUNT; t++)
            sp_buf_addf(b, " %5.1f%%", 100 * sp->by_type[t]);
        sp_buf_addf(b, "  %9.1f %9.2f\n", sp->unfilled_positions, sp->mean_rank_matched);
    }
    sp_buf_adds(b, "\nMatched anywhere, by applicant type\n");
    for (int t = 0; t < SP_APP_TYPE_COUNT; t++)
        sp_buf_addf(b, "%-11s %5.1f%% (%4.1f-%5.1f)  NRMP %5.1f%%\n", type_keys[t],
                    100 * s->by_type[t].mean, 100 * s->by_type[t].low, 100 * s->by_type[t].high,
                    100 * s->nrmp_by_type[t]);
    sp_buf_addf(b, "\n%.1f applications per applicant, %.1f interviews per position",
                s->applications_per_applicant, s->interviews_per_position);
    if (s->no_stable)
        sp_buf_addf(b, "; %zu replication(s) without a stable matching (couples)", s->no_stable);
    sp_buf_adds(b, "\n");
    if (s->has_student) {
        sp_buf_addf(b, "\nYour plan in the simulated market: P(match) %.1f%% (95%%: %.1f-%.1f)",
                    100 * s->student.mean, 100 * s->student.low, 100 * s->student.high);
        if (o->has_plan)
            sp_buf_addf(b, "; the planner's estimate %.1f%%", 100 * o->plan_p_match_any);
        sp_buf_adds(b, "\n");
        if (o->has_plan && (o->plan_p_match_any < s->student.low - 0.02 ||
                            o->plan_p_match_any > s->student.high + 0.02))
            sp_buf_adds(b,
                        "The two differ by more than this run's interval: both are the one market "
                        "(the planner's\nstored replications, this run's own), so please report "
                        "it (docs/SIMULATION.md, \"Agreement\").\n");
    }
    if (o->reliability) {
        reliability_text(b, "Planner reliability, the type's typical list (as `assess`)",
                         &s->rel_typical);
        reliability_text(b, "Planner reliability, the applicant's own list (as a plan)",
                         &s->rel_own);
    }
}

void sp_render_sim_report(struct sp_buf *out, const struct sp_sim_summary *s,
                          const struct sp_render_sim_options *o)
{
    if (o->json)
        report_json(out, s, o);
    else
        report_text(out, s, o);
}
