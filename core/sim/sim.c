/*
 * The national Match simulator: market generation from the model, the catalog
 * and the published figures (sp_sim_new), and one replication - applicants,
 * applications and signals, interviews, rank lists, the Match - on its own RNG
 * stream (sp_sim_replicate). Every behavioural constant is a field of
 * struct sp_sim_params, tabulated with its source in docs/SIMULATION.md.
 */
#include "smartpick/sim/sim.h"

#include "smartpick/model/assess.h"
#include "smartpick/match/match.h"
#include "sim_internal.h"
#include "sp_alloc.h"

#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "banned.h"

void sp_sim_scenario_init(struct sp_sim_scenario *s)
{
    memset(s, 0, sizeof(*s));
    for (int k = 0; k < SP_SPEC_COUNT; k++) {
        s->positions_scale[k] = 1;
        s->applicants_scale[k] = 1;
        s->signals_gold[k] = -1;
        s->signals_silver[k] = -1;
    }
    s->applications_factor = 1;
    s->couples_share = -1;
}

void sp_sim_params_init(struct sp_sim_params *p)
{
    memset(p, 0, sizeof(*p));
    p->market_scale = 1;
    /* The calibration's estimate (calibration_targets: 12 per position), to which the
     * planner's interview intercepts a_k are fitted. */
    p->interviews_per_position = 12;
    /* Standard logistic noise: the model's P(interview) = logistic(a + s - q + e) and
     * P(match | interview) = logistic(b + lambda (s - q + e)) are exactly a threshold
     * crossed with noise of scale 1, so the market's P(match) has the planner's slope
     * in strength (docs/SIMULATION.md "The planner's calibration"). */
    p->interview_noise = 1.0;
    p->rank_noise = 1.0;
    /* Per specialty, tuned (docs/SIMULATION.md "Calibration results"; 0 = the global
     * value). IR: integrated programs weigh fit and commitment the profile does not show,
     * so their choices are noisier; VS: small programs (1-2 positions) interview
     * more per position and rank closer to strength. */
    p->interview_noise_spec[SP_SPEC_IR] = 2.5;
    p->rank_noise_spec[SP_SPEC_IR] = 2.5;
    p->interviews_per_position_spec[SP_SPEC_VS] = 28;
    /* IR programs interview ~56 for 3 positions (FREIDA 2025, UT Southwestern: the one
     * published program figure, market_facts.csv); with it matched IR applicants attend
     * ~16 IR interviews in the market, against 14.4 +/- 8.0 in the SIR 2023 survey. */
    p->interviews_per_position_spec[SP_SPEC_IR] = SP_IR_INTERVIEWS_PER_POSITION;
    p->interview_noise_spec[SP_SPEC_VS] = 2.5;
    p->rank_noise_spec[SP_SPEC_VS] = 0.1;
    p->applicant_rank_noise = 0.05;
    p->applicant_prestige = 0.05;
    /* Tuned (docs/SIMULATION.md "Demand"): applicants also weigh a program's prestige
     * when they choose where to apply, by e^(2 q_j), so that the competition for
     * interviews keeps the model's order of selectivity (an interview rate / the
     * model's P(interview) about flat in q, instead of 0.37 to 2.84 without it). */
    p->application_prestige = SP_APPLICATION_PRESTIGE;
    p->rank_share = 1.0;
    p->capacity_q = 0.5;
    /* The applicant mix is shared with the calibration (smartpick/model/calibrate.h). */
    for (int t = 0; t < SP_APP_TYPE_COUNT; t++)
        p->backup_share[t] = sp_mix_backup_share((enum sp_applicant_type)t);
    p->backup_applications = SP_BACKUP_APPLICATIONS;
    /* IR's real pool (issue 14): 87% of matched IR applicants also applied to DR (SIR
     * 2023 applicant survey, ../shared/facts/market_facts.csv), so IR-preferring
     * applicants of every type back up in DR at that share. */
    p->backup_share_spec[SP_SPEC_IR] = SP_IR_ALSO_DR_SHARE;
    p->couples_share = 0.02;
    p->prelim_per_advanced = 1.2;
    p->n_prelim_programs = 60;
    p->supplemental_len = 10;
    p->us_img_step2_shift = SP_US_IMG_STEP2_SHIFT;
    p->reliability = false;
}

/* Largest-remainder apportionment of total into n integer parts proportional to w. */
static void apportion(long *out, const double *w, size_t n, long total)
{
    double sum = 0;
    long given = 0;
    double *frac;

    for (size_t i = 0; i < n; i++)
        sum += w[i];
    if (n == 0)
        return;
    frac = sp_xcalloc(n, sizeof(*frac));
    for (size_t i = 0; i < n; i++) {
        double quota = sum > 0 ? (double)total * w[i] / sum : 0;
        out[i] = (long)floor(quota);
        frac[i] = quota - (double)out[i];
        given += out[i];
    }
    while (given < total) {
        size_t best = 0;
        for (size_t i = 1; i < n; i++) {
            if (frac[i] > frac[best])
                best = i;
        }
        out[best]++;
        frac[best] = -1;
        given++;
    }
    free(frac);
}

static int state_index(struct sp_sim *sim, const char *code, enum sp_division div)
{
    for (int i = 0; i < sim->n_states; i++) {
        if (memcmp(sim->state_code[i], code, 2) == 0)
            return i;
    }
    if (sim->n_states == SIM_MAX_STATES)
        return 0;
    memcpy(sim->state_code[sim->n_states], code, 2);
    sim->state_div[sim->n_states] = (uint8_t)div;
    return sim->n_states++;
}

/* Each program's positions: a program's own figure where the catalog has one (an import:
 * docs/DATA.md), scaled like the specialty's; the specialty's published positions left
 * over apportioned among the others by estimated size, e^(capacity_q q) (bigger programs
 * are the more selective, academic, broad ones: estimate). w is scratch of n. */
static void known_positions(long *cap, double *w, const struct sp_program *const *progs, size_t n,
                            const struct sp_sim *sim, int k, long total)
{
    const struct sp_program *base = NULL;
    double scale = sim->scen.positions_scale[k] * sim->params.market_scale;
    long known = 0, *part = sp_xcalloc(n ? n : 1, sizeof(long));
    size_t *other = sp_xcalloc(n ? n : 1, sizeof(size_t)), n_other = 0;
    size_t n_all;

    base = sp_catalog_programs(sim->cat, &n_all);
    for (size_t i = 0; i < n; i++) {
        const struct sp_fact *f = &progs[i]->facts[SP_FACT_POSITIONS];
        if (f->source != SP_SRC_NONE) {
            cap[i] = lround(f->value * scale);
            known += cap[i];
        } else {
            w[n_other] = exp(sim->params.capacity_q * sim->q[progs[i] - base]);
            other[n_other++] = i;
        }
    }
    if (n_other > 0) {
        apportion(part, w, n_other, total > known ? total - known : 0);
        for (size_t x = 0; x < n_other; x++)
            cap[other[x]] = part[x];
    }
    free(part);
    free(other);
}

/* Specialty k's programs: positions apportioned by estimated size, the categorical share
 * apportioned within them; adds k's advanced positions to *adv_total. */
static int specialty_programs(struct sp_sim *sim, int k, const struct sp_program *base,
                              long *adv_total, struct sp_err *err)
{
    size_t n;
    const struct sp_program *const *progs =
        sp_catalog_by_specialty(sim->cat, (enum sp_specialty)k, &n);
    const struct sp_calib_specialty *ct = &sim->targets->spec[k];
    double *w = sp_xcalloc(n ? n : 1, sizeof(double));
    long *cap = sp_xcalloc(n ? n : 1, sizeof(long));
    long *cap_c = sp_xcalloc(n ? n : 1, sizeof(long));
    double adv = sim->m->spec[k].advanced_share;
    long total;
    double ipp = sim->params.interviews_per_position_spec[k] > 0
                     ? sim->params.interviews_per_position_spec[k]
                     : sim->params.interviews_per_position;

    if (!ct->present || !(ct->positions > 0) || n == 0) {
        free(w);
        free(cap);
        free(cap_c);
        return sp_err_set(err, SP_EINVAL,
                          "%s: positions: the market needs the published "
                          "positions and catalog programs",
                          sp_specialty_code((enum sp_specialty)k));
    }
    total = lround(ct->positions * sim->scen.positions_scale[k] * sim->params.market_scale);
    known_positions(cap, w, progs, n, sim, k, total);
    if (adv > 0) {
        long total_c = lround((double)total * (1 - adv));
        double *wc = sp_xcalloc(n, sizeof(double));
        for (size_t i = 0; i < n; i++)
            wc[i] = (double)cap[i];
        apportion(cap_c, wc, n, total_c);
        free(wc);
    } else {
        memcpy(cap_c, cap, n * sizeof(long));
    }
    sim->spec_first[k] = sim->n_progs;
    for (size_t i = 0; i < n; i++) {
        struct sim_prog *sp;
        if (cap[i] <= 0)
            continue;
        sp = &sim->progs[sim->n_progs++];
        sp->cat = (size_t)(progs[i] - base);
        sp->k = (enum sp_specialty)k;
        sp->q = sim->q[sp->cat];
        sp->cap_c = (int)cap_c[i];
        sp->cap_a = (int)(cap[i] - cap_c[i]);
        sp->slots = (int)lround(ipp * (double)cap[i]);
        if (sp->slots < 1)
            sp->slots = 1;
        sp->division = (uint8_t)progs[i]->division;
        sp->state = (uint16_t)state_index(sim, progs[i]->state, progs[i]->division);
        sim->positions[k] += cap[i];
        sim->positions_adv[k] += sp->cap_a;
        *adv_total += sp->cap_a;
    }
    sim->spec_first[k + 1] = sim->n_progs;
    free(w);
    free(cap);
    free(cap_c);
    return 0;
}

/* Match programs: categorical (or the whole program), advanced, then the pooled
 * preliminary/transitional PGY-1 track. */
static void match_programs(struct sp_sim *sim, long adv_total)
{
    sim->n_mprogs = 0;
    for (size_t j = 0; j < sim->n_progs; j++) {
        struct sim_prog *sp = &sim->progs[j];
        sp->mid_c = sp->cap_c > 0 ? sim->n_mprogs++ : -1;
        sp->mid_a = sp->cap_a > 0 ? sim->n_mprogs++ : -1;
    }
    sim->prelim_first = sim->n_mprogs;
    sim->n_prelim = adv_total > 0 ? sim->params.n_prelim_programs : 0;
    if (sim->n_prelim > 0) {
        long total = (long)ceil(sim->params.prelim_per_advanced * (double)adv_total);
        double *w = sp_xcalloc((size_t)sim->n_prelim, sizeof(double));
        sim->prelim_cap = sp_xcalloc((size_t)sim->n_prelim, sizeof(long));
        for (int i = 0; i < sim->n_prelim; i++)
            w[i] = 1;
        apportion(sim->prelim_cap, w, (size_t)sim->n_prelim, total);
        free(w);
        for (int i = 0; i < sim->n_prelim; i++)
            sim->prelim_total += sim->prelim_cap[i];
    }
    sim->n_mprogs += sim->n_prelim;
    sim->mprog_spec = sp_xcalloc((size_t)sim->n_mprogs, sizeof(int8_t));
    sim->mprog_div = sp_xcalloc((size_t)sim->n_mprogs, sizeof(uint8_t));
    sim->mprog_prog = sp_xcalloc((size_t)sim->n_mprogs, sizeof(int32_t));
    for (size_t j = 0; j < sim->n_progs; j++) {
        const struct sim_prog *sp = &sim->progs[j];
        if (sp->mid_c >= 0) {
            sim->mprog_spec[sp->mid_c] = (int8_t)sp->k;
            sim->mprog_div[sp->mid_c] = sp->division;
            sim->mprog_prog[sp->mid_c] = (int32_t)j;
        }
        if (sp->mid_a >= 0) {
            sim->mprog_spec[sp->mid_a] = (int8_t)sp->k;
            sim->mprog_div[sp->mid_a] = sp->division;
            sim->mprog_prog[sp->mid_a] = (int32_t)j;
        }
    }
    for (int i = 0; i < sim->n_prelim; i++) {
        int id = sim->prelim_first + i;
        sim->mprog_spec[id] = -1;
        sim->mprog_div[id] = (uint8_t)(1 + i % 9);
        sim->mprog_prog[id] = -1;
    }
}

static int build_programs(struct sp_sim *sim, struct sp_err *err)
{
    size_t n_all;
    const struct sp_program *base = sp_catalog_programs(sim->cat, &n_all);
    long adv_total = 0;
    int rc;

    if (n_all > UINT16_MAX)
        return sp_err_set(err, SP_EINVAL,
                          "catalog: %zu programs; the simulator handles at most 65535", n_all);
    sim->progs = sp_xcalloc(n_all ? n_all : 1, sizeof(*sim->progs));
    for (int k = 0; k < SP_SPEC_COUNT; k++) {
        if ((rc = specialty_programs(sim, k, base, &adv_total, err)))
            return rc;
    }
    match_programs(sim, adv_total);
    /* Where applicants come from: states weighted by positions (estimate). */
    for (size_t j = 0; j < sim->n_progs; j++)
        sim->state_w[sim->progs[j].state] += (double)(sim->progs[j].cap_c + sim->progs[j].cap_a);
    for (int i = 1; i < sim->n_states; i++)
        sim->state_w[i] += sim->state_w[i - 1];
    return 0;
}

/* Applicant mix and Step 2 distributions per preferred specialty and type. */
static int build_applicants(struct sp_sim *sim, struct sp_err *err)
{
    const struct sp_calib_targets *t = sim->targets;
    const struct sp_sim_params *pp = &sim->params;

    for (int k = 0; k < SP_SPEC_COUNT; k++) {
        const struct sp_calib_specialty *ct = &t->spec[k];
        double scale = sim->scen.applicants_scale[k] * pp->market_scale;
        double md = ct->n_matched + ct->n_unmatched;
        double sd_m = (ct->q3_matched - ct->q1_matched) / 1.349;

        if (!(ct->applicants > 0) || !(md > 0) || !(sd_m > 0))
            return sp_err_set(err, SP_EINVAL,
                              "%s: applicants_first_choice, US MD counts and Step 2 quartiles "
                              "are needed",
                              sp_specialty_code((enum sp_specialty)k));
        for (int ty = 0; ty < SP_APP_TYPE_COUNT; ty++)
            sim->n_app[k][ty] = (size_t)lround(
                sp_mix_applicants(ct, &sim->m->spec[k], (enum sp_applicant_type)ty) *
                scale);
        for (int ty = 0; ty < SP_APP_TYPE_COUNT; ty++) {
            struct sim_step2 *d = &sim->step2[k][ty];
            if (ty == SP_APP_US_MD || ty == SP_APP_US_DO) {
                /* Charting Outcomes: matched ~ N(median, IQR/1.349), unmatched ~
                 * N(unmatched median, same SD), mixed at the published counts. DOs:
                 * the US MD distribution of the specialty (estimate). */
                d->p_matched = ct->n_matched / (ct->n_matched + ct->n_unmatched);
                d->med_matched = ct->med_matched;
                d->med_unmatched = ct->med_unmatched;
                d->sd = sd_m;
            } else {
                /* Non-US IMG medians 248 matched / 242 unmatched, national SD, mixed
                 * at the type's match rate; US IMGs the same shifted by
                 * us_img_step2_shift (estimate). */
                double shift = ty == SP_APP_US_IMG ? pp->us_img_step2_shift : 0;
                d->p_matched = t->type_rate[ty] > 0 ? t->type_rate[ty] : 0.6;
                d->med_matched = (t->img_med_matched > 0 ? t->img_med_matched : 248) + shift;
                d->med_unmatched = (t->img_med_unmatched > 0 ? t->img_med_unmatched : 242) + shift;
                d->sd = t->step2_sd > 0 ? t->step2_sd : 15;
            }
        }
    }
    {
        /* sim_rep.c packs an applicant's index in 25 bits (cand_id) and counts
         * applications in 32-bit ints: at most two specialties' programs each. */
        size_t total = 0, widest = 0;
        for (int k = 0; k < SP_SPEC_COUNT; k++) {
            size_t n_prog = sim->spec_first[k + 1] - sim->spec_first[k];
            widest = n_prog > widest ? n_prog : widest;
            for (int ty = 0; ty < SP_APP_TYPE_COUNT; ty++)
                total += sim->n_app[k][ty];
        }
        if (total >= ((size_t)1 << 25) - 1 || (double)total * 2.0 * (double)widest >= INT32_MAX)
            return sp_err_set(err, SP_EINVAL,
                              "market: %zu applicants over specialties of up to %zu programs; the "
                              "simulator handles fewer than %zu applicants and %d applications",
                              total, widest, ((size_t)1 << 25) - 1, INT32_MAX);
    }
    return 0;
}

/* Strength of the type's typical profile preferring kp (sp_model_typical_profile),
 * applying to ka, without its Step 2 term: the applicant adds beta_ka * z. */
static void build_strengths(struct sp_sim *sim)
{
    for (int kp = 0; kp < SP_SPEC_COUNT; kp++) {
        for (int ty = 0; ty < SP_APP_TYPE_COUNT; ty++) {
            struct sp_profile p;
            struct sp_strength s;
            sp_model_typical_profile(&p, sim->m, (enum sp_applicant_type)ty,
                                     (enum sp_specialty)kp,
                                     sp_mix_backup_of((enum sp_specialty)kp));
            for (int ka = 0; ka < SP_SPEC_COUNT; ka++) {
                double z = (p.step2_ck - 251.0) / 15.0;
                sp_model_strength(&s, sim->m, &p, (enum sp_specialty)ka);
                sim->base[kp][ka][ty] = s.value - sim->m->spec[ka].beta_step2 * z;
            }
        }
    }
}

static int signals_of(const struct sp_sim *sim, int k, bool gold)
{
    int v = gold ? sim->scen.signals_gold[k] : sim->scen.signals_silver[k];

    if (v >= 0)
        return v;
    return gold ? sim->m->spec[k].signals_gold : sim->m->spec[k].signals_silver;
}

/* The planner's P(match in k) for a reference-population applicant of strength s
 * and type ty at the typical list (sp_typical_list + sp_list_p_match). */
static void build_planner_grid(struct sp_sim *sim)
{
    struct sp_quadrature quad;
    size_t max_n = 1;
    struct sp_list_item *items;

    if (sp_quadrature_init(&quad, sim->m->gh_nodes, sim->m->sigma))
        return;
    for (int k = 0; k < SP_SPEC_COUNT; k++) {
        size_t n;
        sp_catalog_by_specialty(sim->cat, (enum sp_specialty)k, &n);
        if (n > max_n)
            max_n = n;
    }
    items = sp_xcalloc(max_n * SP_TYPICAL_CLASSES, sizeof(*items));
    sim->grid = sp_xcalloc((size_t)SP_SPEC_COUNT * SP_APP_TYPE_COUNT * SIM_GRID, sizeof(double));
    for (int k = 0; k < SP_SPEC_COUNT; k++) {
        size_t n_prog;
        sp_catalog_by_specialty(sim->cat, (enum sp_specialty)k, &n_prog);
        for (int ty = 0; ty < SP_APP_TYPE_COUNT; ty++) {
            int n_apps = sp_model_typical_applications(sim->m, (enum sp_specialty)k,
                                                       (enum sp_applicant_type)ty, (int)n_prog);
            for (int g = 0; g < SIM_GRID; g++) {
                double s = SIM_GRID_LO + SIM_GRID_STEP * g;
                size_t n = sp_typical_list(
                    items, sim->m, sim->cat, sim->q, NULL, (enum sp_specialty)k, s, n_apps,
                    sim->m->spec[k].signals_gold, sim->m->spec[k].signals_silver);
                sim->grid[((size_t)k * SP_APP_TYPE_COUNT + (size_t)ty) * SIM_GRID + (size_t)g] =
                    sp_list_p_match(sim->m, &quad, items, n, 0);
            }
        }
    }
    free(items);
}

/* What the replications' inner loops look up instead of recomputing. */
static void build_tables(struct sp_sim *sim)
{
    const struct sp_sim_params *pp = &sim->params;
    size_t np = sim->n_progs ? sim->n_progs : 1;

    sim->isa = sim_isa_best();
    sim->dprog = sp_xcalloc(np, sizeof(uint16_t));
    sim->xq = sp_xcalloc(np, sizeof(double));
    sim->eqf = sp_xcalloc(np, sizeof(float));
    sim->pqf = sp_xcalloc(np, sizeof(float));
    sim->xbit = sp_xcalloc(np, sizeof(uint32_t));
    sim->xstate = sp_xcalloc(np, sizeof(int32_t));
    sim->exp_neg_geo = exp(-sim->m->geo.interview);
    sim->exp_neg_in_state = exp(-sim->m->in_state.interview);
    for (int k = 0; k < SP_SPEC_COUNT; k++) {
        size_t pos = sim->spec_first[k];
        /* Positions: the specialty's programs least selective first (then by index),
         * so an applicant's applications to one kind of program (in a preferred
         * division or not, in state or not) come in falling interview logit. */
        for (size_t j = sim->spec_first[k]; j < sim->spec_first[k + 1]; j++) {
            size_t y = pos++;
            while (y > sim->spec_first[k] &&
                   (sim->progs[sim->dprog[y - 1]].q > sim->progs[j].q ||
                    (sim->progs[sim->dprog[y - 1]].q == sim->progs[j].q && sim->dprog[y - 1] > j))) {
                sim->dprog[y] = sim->dprog[y - 1];
                y--;
            }
            sim->dprog[y] = (uint16_t)j;
        }
        for (size_t x = sim->spec_first[k]; x < pos; x++) {
            const struct sim_prog *p = &sim->progs[sim->dprog[x]];
            sim->xq[x] = p->q;
            sim->eqf[x] = (float)exp(p->q);
            sim->pqf[x] = (float)exp(pp->application_prestige * p->q);
            sim->xbit[x] = 1u << p->division;
            sim->xstate[x] = p->state;
        }
    }
    for (int i = 1; i < SIM_QNT_N; i++) {
        double u = (double)i / SIM_QNT_N;
        sim->qnt[i] = log(u / (1.0 - u));
    }
    for (int i = 1; i + 1 < SIM_QNT_N; i++)
        sim->qnt_step[i] = sim->qnt[i + 1] - sim->qnt[i];
    for (int k = 0; k < SP_SPEC_COUNT; k++) {
        for (int level = 0; level < 3; level++)
            sim->signal[k][level] = sp_model_signal(sim->m, (enum sp_specialty)k, (enum sp_signal)level);
        for (int i = 0; i <= SIM_LGT_N; i++) {
            double x = -SIM_LGT_HALF + (2 * SIM_LGT_HALF) * i / SIM_LGT_N;
            double lx = 1.0 / (1.0 + exp(-x));
            sim->gain[k][0][i] =
                1.0 / (1.0 + exp(-(x + sim->signal[k][SP_SIGNAL_GOLD].interview))) - lx;
            sim->gain[k][1][i] =
                1.0 / (1.0 + exp(-(x + sim->signal[k][SP_SIGNAL_SILVER].interview))) - lx;
        }
    }
    for (int k = 0; k < SP_SPEC_COUNT; k++) {
        size_t n_prog = sim->spec_first[k + 1] - sim->spec_first[k];
        sim->interview_noise[k] =
            pp->interview_noise_spec[k] > 0 ? pp->interview_noise_spec[k] : pp->interview_noise;
        sim->rank_noise[k] = pp->rank_noise_spec[k] > 0 ? pp->rank_noise_spec[k] : pp->rank_noise;
        for (int ty = 0; ty < SP_APP_TYPE_COUNT; ty++) {
            for (int slot = 0; slot < 2; slot++) {
                int n = sp_model_typical_applications(sim->m, (enum sp_specialty)k,
                                                      (enum sp_applicant_type)ty, 100000);
                n = (int)lround(n * sim->scen.applications_factor *
                                (slot ? pp->backup_applications : 1.0));
                if (n < 1)
                    n = 1;
                if ((size_t)n > n_prog)
                    n = (int)n_prog;
                sim->n_apply[k][ty][slot] = n;
            }
        }
    }
}

int sp_sim_new(sp_sim **out, const struct sp_sim_inputs *in, struct sp_err *err)
{
    struct sp_sim *sim = sp_xcalloc(1, sizeof(*sim));
    int rc;

    *out = NULL;
    sim->m = in->m;
    sim->cat = in->cat;
    sim->q = in->q;
    sim->targets = in->targets;
    sim->student = in->student;
    if (in->scenario)
        sim->scen = *in->scenario;
    else
        sp_sim_scenario_init(&sim->scen);
    if (in->params)
        sim->params = *in->params;
    else
        sp_sim_params_init(&sim->params);
    if (!(sim->params.market_scale > 0) || sim->params.market_scale > 1) {
        rc = sp_err_set(err, SP_EINVAL, "market_scale: %g must be in (0, 1]",
                        sim->params.market_scale);
        goto fail;
    }
    rc = build_programs(sim, err);
    if (!rc)
        rc = build_applicants(sim, err);
    if (rc)
        goto fail;
    build_strengths(sim);
    build_tables(sim);
    if (sim->params.reliability) {
        build_planner_grid(sim);
        if (sp_quadrature_init(&sim->quad, sim->m->gh_nodes, sim->m->sigma))
            sim->quad.n = 0;
    }
    *out = sim;
    return 0;
fail:
    sp_sim_free(sim);
    return rc;
}

void sp_sim_free(sp_sim *sim)
{
    if (!sim)
        return;
    free(sim->progs);
    free(sim->prelim_cap);
    free(sim->mprog_spec);
    free(sim->mprog_div);
    free(sim->mprog_prog);
    free(sim->grid);
    free(sim->dprog);
    free(sim->xq);
    free(sim->eqf);
    free(sim->pqf);
    free(sim->xbit);
    free(sim->xstate);
    free(sim);
}

void sp_sim_market_info(struct sp_sim_market *out, const sp_sim *sim)
{
    memset(out, 0, sizeof(*out));
    for (int k = 0; k < SP_SPEC_COUNT; k++) {
        out->positions[k] = sim->positions[k];
        out->positions_advanced[k] = sim->positions_adv[k];
        out->n_programs[k] = sim->spec_first[k + 1] - sim->spec_first[k];
        for (int ty = 0; ty < SP_APP_TYPE_COUNT; ty++) {
            out->applicants[k][ty] = sim->n_app[k][ty];
            out->n_applicants += sim->n_app[k][ty];
        }
    }
    out->prelim_positions = sim->prelim_total;
    for (int k = 0; k < SP_SPEC_COUNT; k++) {
        const struct sp_sim_params *pp = &sim->params;
        out->interview_noise[k] = sim->interview_noise[k];
        out->rank_noise[k] = sim->rank_noise[k];
        out->interviews_per_position[k] = pp->interviews_per_position_spec[k] > 0
                                              ? pp->interviews_per_position_spec[k]
                                              : pp->interviews_per_position;
    }
}

void sp_sim_program_positions(double *out, size_t n, const sp_sim *sim)
{
    for (size_t j = 0; j < n; j++)
        out[j] = 0;
    for (size_t j = 0; j < sim->n_progs; j++) {
        if (sim->progs[j].cat < n)
            out[sim->progs[j].cat] = sim->progs[j].cap_c + sim->progs[j].cap_a;
    }
}

double sp_sim__planner_p(const struct sp_sim *sim, int k, int ty, double s)
{
    const double *g;
    double x;
    int i;

    if (!sim->grid)
        return NAN;
    g = sim->grid + ((size_t)k * SP_APP_TYPE_COUNT + (size_t)ty) * SIM_GRID;
    x = (s - SIM_GRID_LO) / SIM_GRID_STEP;
    if (x <= 0)
        return g[0];
    if (x >= SIM_GRID - 1)
        return g[SIM_GRID - 1];
    i = (int)x;
    return g[i] + (x - i) * (g[i + 1] - g[i]);
}

int sp_sim__signals(const struct sp_sim *sim, int k, bool gold)
{
    return signals_of(sim, k, gold);
}

enum sp_specialty sp_sim__backup(int k)
{
    return sp_mix_backup_of((enum sp_specialty)k);
}
