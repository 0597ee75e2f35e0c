/*
 * The match model's structure: documented priors, Gauss-Hermite quadrature,
 * applicant strength, program selectivity and the per-application logits.
 * Fitted values (intercepts, Step 2 slopes, type offsets) come from
 * `smartpick calibrate` through data/model.json; see docs/MODEL.md.
 */
#include "smartpick/model/model.h"

#include "sp_alloc.h"
#include "sp_str.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "banned.h"

static const char *const feature_names[SP_FEAT_COUNT] = {
    [SP_FEAT_HONORS] = "honors",
    [SP_FEAT_AOA] = "aoa",
    [SP_FEAT_RESEARCH] = "research",
    [SP_FEAT_RESEARCH_SPEC] = "research_in_specialty",
    [SP_FEAT_LETTERS] = "letters",
    [SP_FEAT_AWAYS] = "away_rotations",
    [SP_FEAT_FAILURES] = "exam_failures",
    [SP_FEAT_GAP] = "gap_months",
    [SP_FEAT_PROFESSIONALISM] = "professionalism",
    [SP_FEAT_REAPPLICANT] = "reapplicant",
    [SP_FEAT_YEARS_OUT] = "years_since_graduation",
    [SP_FEAT_VISA] = "visa_needed",
};

const char *sp_feature_name(enum sp_feature f)
{
    return (unsigned)f < SP_FEAT_COUNT ? feature_names[f] : "?";
}

void sp_model_init_priors(struct sp_model *m)
{
    /* Typical applications: IR 37, DR 72, EM 46 published (2024 Match); the others
     * use the US MD all-specialty average, 58 (ERAS 2025). */
    static const int typical[SP_SPEC_COUNT] = {37, 72, 58, 58, 58, 58, 46, 58, 58};
    /* ERAS 2025 signals (DR and IR share 6 + 6; single-tier pools are gold). */
    static const int gold[SP_SPEC_COUNT] = {6, 6, 3, 15, 0, 5, 5, 8, 8};
    static const int silver[SP_SPEC_COUNT] = {6, 6, 12, 0, 0, 10, 0, 0, 0};
    /* Reference applicant, SmartPick estimates: away rotations are the norm in IR,
     * VS and EM (SLOEs), common in DR/GS/ANES/PMR, rare in IM and neurology. */
    static const double ref_aways[SP_SPEC_COUNT] = {2, 1, 0, 1, 2, 1, 2, 0, 1};
    static const double ref_spec_research[SP_SPEC_COUNT] = {3, 2, 1, 2, 2, 1, 1, 1, 1};
    /* Neutral applicant mix before the calibration sets it (sp_calib_pool_init). */
    static const double pool[SP_APP_TYPE_COUNT] = {0.5, 0.3, 0.06, 0.14};

    memset(m, 0, sizeof(*m));
    for (int k = 0; k < SP_SPEC_COUNT; k++) {
        m->spec[k].a = -1.0;
        /* P(match | interview) of the reference applicant at an average program:
         * logistic(-0.85) = 0.30 - an interviewee ranks ~10-12 programs and
         * matches ~9 times in 10 (SmartPick estimate; b is not identified by the
         * calibration targets, so it is fixed). */
        m->spec[k].b = -0.85;
        m->spec[k].beta_step2 = 0.5;
        m->spec[k].se_shift = 0.2;
        m->spec[k].typical_applications = typical[k];
        m->spec[k].signals_gold = gold[k];
        m->spec[k].signals_silver = silver[k];
        m->spec[k].ref_letters = 3;
        m->spec[k].ref_aways = ref_aways[k];
        m->spec[k].ref_research_spec = ref_spec_research[k];
        for (int t = 0; t < SP_APP_TYPE_COUNT; t++)
            m->spec[k].pool_share[t] = pool[t];
        m->spec[k].signal_scale = (struct sp_effect){1.0, 1.0};
    }
    /* Priors on the strength scale (log-odds of an interview). Published odds
     * ratios are univariate, so they are halved on the log scale (shrunk). */
    m->coef[SP_FEAT_HONORS] = (struct sp_coef){0.14, 0.07};   /* IR OR 1.32 per honor, shrunk */
    m->coef[SP_FEAT_AOA] = (struct sp_coef){0.35, 0.20};
    m->coef[SP_FEAT_RESEARCH] = (struct sp_coef){0.15, 0.10};
    m->coef[SP_FEAT_RESEARCH_SPEC] = (struct sp_coef){0.15, 0.10};
    m->coef[SP_FEAT_LETTERS] = (struct sp_coef){0.20, 0.10};
    m->coef[SP_FEAT_AWAYS] = (struct sp_coef){0.31, 0.15};    /* IR OR 1.85 per away, shrunk */
    m->coef[SP_FEAT_FAILURES] = (struct sp_coef){-0.90, 0.40};
    m->coef[SP_FEAT_GAP] = (struct sp_coef){-0.04, 0.03};
    m->coef[SP_FEAT_PROFESSIONALISM] = (struct sp_coef){-1.50, 0.60};
    m->coef[SP_FEAT_REAPPLICANT] = (struct sp_coef){-0.50, 0.30};
    m->coef[SP_FEAT_YEARS_OUT] = (struct sp_coef){-0.15, 0.10};
    m->coef[SP_FEAT_VISA] = (struct sp_coef){-0.60, 0.30};
    /* ERAS 2025 averages: MD 58, DO 72, IMG 129 (calibration_targets.csv). */
    m->type_applications[SP_APP_US_MD] = 58;
    m->type_applications[SP_APP_US_DO] = 72;
    m->type_applications[SP_APP_US_IMG] = 129;
    m->type_applications[SP_APP_NON_US_IMG] = 129;
    m->sigma = 0.8;
    m->lambda = 0.8;
    m->se_floor = 0.2;
    /* Program effects: published interview ORs (geometric mean of the range),
     * shrunk by 0.6 on the log scale; match effects smaller (estimates), away from
     * the adjusted OR 3.22 shrunk by 0.75. */
    m->signal_gold = (struct sp_effect){0.96, 0.40};
    m->signal_silver = (struct sp_effect){0.48, 0.20};
    m->signal_rank = 0.05;
    m->geo = (struct sp_effect){0.48, 0.30};
    m->in_state = (struct sp_effect){0.76, 0.20};
    m->home = (struct sp_effect){1.50, 0.70};
    m->away = (struct sp_effect){1.50, 0.88};
    /* The reference applicant's profile-level features are the US MD defaults of
     * sp_profile_complete (2 honors, 4 research products), so a US MD profile that
     * gives nothing is the calibrated reference; AOA enters as its prevalence. */
    m->ref_honors = 2;
    m->ref_aoa = 0.16;
    m->ref_research = log1p(4.0);
    m->ref_years_out = 0;
    /* The simulator's applicants' (home state drawn by positions, home division and
     * up to two more): ~23% of a specialty's programs in a preferred division, ~5% in
     * the home state (measured over the catalog; docs/MODEL.md). */
    m->ref_share_geo = 0.23;
    m->ref_share_in_state = 0.05;
    m->q_breadth = 0.12;
    m->q_per_nih_doubling = 0.2;
    m->q_new = -0.4;
    m->q_coastal = 0.2;
    m->q_academic = 0.25;
    m->q_per_step2_point = 0.06;
    m->tier_high = 0.80;
    m->tier_moderate = 0.50;
    m->gh_nodes = 16;
}

/* Orthonormal Hermite functions at x: *pn = p_n(x), *pn1 = p_{n-1}(x), with
 * p_0 = pi^(-1/4), p_{j+1} = sqrt(2/(j+1)) x p_j - sqrt(j/(j+1)) p_{j-1}. */
static void hermite(double x, int n, double *pn, double *pn1)
{
    double prev = 0, cur = 0.7511255444649425; /* pi^(-1/4) */

    for (int j = 0; j < n; j++) {
        double next = x * sqrt(2.0 / (j + 1)) * cur - sqrt((double)j / (j + 1)) * prev;
        prev = cur;
        cur = next;
    }
    *pn = cur;
    *pn1 = prev;
}

int sp_model_quadrature(struct sp_quadrature *q, const struct sp_model *m)
{
    if (m->quad_nodes > 0 && m->quad_nodes == m->gh_nodes && m->quad_sigma == m->sigma) {
        *q = m->quad;
        return 0;
    }
    return sp_quadrature_init(q, m->gh_nodes, m->sigma);
}

void sp_model_cache_quadrature(struct sp_model *m)
{
    m->quad_nodes = 0;
    if (sp_quadrature_init(&m->quad, m->gh_nodes, m->sigma) == 0) {
        m->quad_nodes = m->gh_nodes;
        m->quad_sigma = m->sigma;
    }
}

/* Gauss-Hermite rule: the n roots of H_n, bracketed by a fine scan of
 * [-sqrt(2n+1)-1, sqrt(2n+1)+1] and refined by bisection; physicists' weights
 * 1 / (n p_{n-1}(x)^2). Mapped to N(0, sigma^2): e = sqrt(2) sigma x, w / sqrt(pi). */
int sp_quadrature_init(struct sp_quadrature *q, int n, double sigma)
{
    double limit = sqrt(2.0 * n + 1) + 1;
    int steps = 400 * n + 1, found = 0; /* odd: the scan never lands on 0 */
    double x0 = -limit, f0, f1, unused;

    if (n < 1 || n > SP_GH_MAX || !(sigma >= 0))
        return SP_EINVAL;
    hermite(x0, n, &f0, &unused);
    for (int i = 1; i <= steps && found < n; i++) {
        double x1 = -limit + 2 * limit * i / steps;
        hermite(x1, n, &f1, &unused);
        if ((f0 < 0) != (f1 < 0)) {
            double lo = x0, hi = x1, flo = f0;
            for (int it = 0; it < 200 && hi - lo > 1e-15; it++) {
                double mid = 0.5 * (lo + hi), fm;
                hermite(mid, n, &fm, &unused);
                if ((fm < 0) == (flo < 0)) {
                    lo = mid;
                    flo = fm;
                } else {
                    hi = mid;
                }
            }
            double root = 0.5 * (lo + hi), pn1;
            hermite(root, n, &unused, &pn1);
            q->e[found] = sqrt(2.0) * sigma * root;
            q->w[found] = 1.0 / (n * pn1 * pn1) / sqrt(3.14159265358979323846);
            found++;
        }
        x0 = x1;
        f0 = f1;
    }
    q->n = found;
    return found == n ? 0 : SP_ERANGE;
}

int sp_model_typical_applications(const struct sp_model *m, enum sp_specialty k,
                                  enum sp_applicant_type t, int n_programs)
{
    double md = m->type_applications[SP_APP_US_MD];
    double n = m->spec[k].typical_applications;

    if (md > 0 && (unsigned)t < SP_APP_TYPE_COUNT)
        n = n * m->type_applications[t] / md;
    n = floor(n + 0.5);
    return n < n_programs ? (int)n : n_programs;
}

static void add_term(struct sp_strength *s, const char *name, double delta, double sd)
{
    struct sp_strength_term *t = &s->terms[s->n_terms++];

    t->name = name;
    t->delta = delta;
    t->sd = sd;
    s->value += delta;
}

static double capped(double v, double cap)
{
    return v < cap ? v : cap;
}

void sp_model_typical_profile(struct sp_profile *out, const struct sp_model *m,
                              enum sp_applicant_type type, enum sp_specialty pref,
                              enum sp_specialty backup)
{
    int products;

    sp_profile_init(out);
    out->applicant_type = type;
    out->specialties[0] = pref;
    out->specialties[1] = backup;
    out->n_specialties = backup < SP_SPEC_COUNT ? 2 : 1;
    out->given = SP_PF_SPECIALTIES;
    (void)sp_profile_complete(out, NULL);
    for (int a = 0; a < (int)m->spec[pref].ref_aways && a < SP_PROFILE_MAX_AWAYS; a++) {
        out->aways[out->n_aways].specialty = pref;
        out->aways[out->n_aways].acgme_id[0] = '\0';
        out->n_aways++;
    }
    products = out->publications + out->abstracts + out->presentations;
    out->research_in[pref] = (int)m->spec[pref].ref_research_spec;
    if (out->research_in[pref] > products)
        out->research_in[pref] = products;
}

void sp_model_strength(struct sp_strength *out, const struct sp_model *m,
                       const struct sp_profile *p, enum sp_specialty k)
{
    const struct sp_model_specialty *ms = &m->spec[k];
    const struct sp_coef *c = m->coef;
    int sib = sp_specialty_sibling(k);
    double z = (p->step2_ck - 251.0) / 15.0;
    double letters = p->letters[k], spec_research = p->research_in[k];
    double products = (double)(p->publications + p->abstracts + p->presentations);
    double years_out = p->graduation_year > 0
                           ? (double)(p->application_year - 1 - p->graduation_year)
                           : 0.0;
    int aways = 0;
    double var;

    memset(out, 0, sizeof(*out));
    double away_credit;

    for (size_t i = 0; i < p->n_aways; i++) {
        if (p->aways[i].specialty == k)
            aways++;
    }
    away_credit = aways;
    if (sib >= 0) {
        letters += 0.5 * p->letters[sib];
        spec_research += 0.5 * p->research_in[sib];
        for (size_t i = 0; i < p->n_aways; i++) {
            if ((int)p->aways[i].specialty == sib)
                away_credit += 0.5;
        }
    }
    if (years_out < 0)
        years_out = 0;
    /* The Step 2 slope is fitted; its SD is folded into se_shift. */
    add_term(out, "step2_ck", ms->beta_step2 * z, 0);
    add_term(out, "applicant_type", m->type_offset[p->applicant_type], 0);
    add_term(out, sp_feature_name(SP_FEAT_HONORS),
             c[SP_FEAT_HONORS].value * (p->honors - m->ref_honors),
             c[SP_FEAT_HONORS].sd * fabs(p->honors - m->ref_honors));
#define TERM(f, dx) add_term(out, sp_feature_name(f), c[f].value * (dx), c[f].sd * fabs(dx))
    TERM(SP_FEAT_AOA, (p->aoa ? 1.0 : 0.0) - m->ref_aoa);
    TERM(SP_FEAT_RESEARCH, log1p(products) - m->ref_research);
    TERM(SP_FEAT_RESEARCH_SPEC, log1p(spec_research) - log1p(ms->ref_research_spec));
    TERM(SP_FEAT_LETTERS, capped(letters, 3) - ms->ref_letters);
    TERM(SP_FEAT_AWAYS, capped(away_credit, 3) - ms->ref_aways);
    TERM(SP_FEAT_FAILURES, (double)p->failures);
    TERM(SP_FEAT_GAP, p->gap_months > 3 ? (double)(p->gap_months - 3) : 0.0);
    TERM(SP_FEAT_PROFESSIONALISM, p->professionalism ? 1.0 : 0.0);
    TERM(SP_FEAT_REAPPLICANT, p->reapplicant ? 1.0 : 0.0);
    TERM(SP_FEAT_YEARS_OUT, years_out - m->ref_years_out);
    /* The reference needs no visa; the type offsets are fitted at each type's typical
     * profile, visa included, so needing one lowers odds on top of them (docs/MODEL.md). */
    TERM(SP_FEAT_VISA, p->visa != SP_VISA_NONE ? 1.0 : 0.0);
#undef TERM
    var = ms->se_shift * ms->se_shift + m->se_floor * m->se_floor;
    for (size_t i = 0; i < out->n_terms; i++)
        var += out->terms[i].sd * out->terms[i].sd;
    out->sd = sqrt(var);
}

static int by_name(const void *a, const void *b)
{
    const struct sp_program *const *pa = a, *const *pb = b;

    return strcmp((*pa)->institution, (*pb)->institution);
}

/* A program's school NIH dollars, 0 when unknown. */
static double school_nih(const struct sp_program *p)
{
    const struct sp_fact *f = &p->facts[SP_FACT_SCHOOL_NIH];

    return f->source != SP_SRC_NONE && f->value > 0 ? f->value : 0;
}

static int by_school(const void *a, const void *b)
{
    double x = school_nih(*(const struct sp_program *const *)a),
           y = school_nih(*(const struct sp_program *const *)b);

    return (x > y) - (x < y);
}

/* OR together the masks of each run of programs that cmp calls equal (with known_only,
 * only runs of programs whose school is known). sorted is scratch for n. */
static void merge_runs(unsigned *mask, const struct sp_program **sorted,
                       const struct sp_program *all, size_t n,
                       int (*cmp)(const void *, const void *), bool known_only)
{
    for (size_t i = 0; i < n; i++)
        sorted[i] = &all[i];
    qsort(sorted, n, sizeof(*sorted), cmp);
    for (size_t i = 0, j; i < n; i = j) {
        unsigned bits = 0;
        for (j = i; j < n && cmp(&sorted[j], &sorted[i]) == 0; j++)
            bits |= mask[sorted[j] - all];
        for (size_t t = i; t < j && !(known_only && school_nih(sorted[i]) == 0); t++)
            mask[sorted[t] - all] = bits;
    }
}

/* mask[i]: the specialties of the nine that program i's sponsoring institution runs,
 * an institution being the same listed name or, where the NIH table maps programs to a
 * school of medicine (the same dollars), the same school: "Johns Hopkins University" and
 * "Johns Hopkins University School of Medicine" are one. sorted is scratch for n. */
static void institution_masks(unsigned *mask, const struct sp_program **sorted,
                              const struct sp_program *all, size_t n)
{
    for (size_t i = 0; i < n; i++)
        mask[i] = 1u << all[i].specialty;
    merge_runs(mask, sorted, all, n, by_name, false);
    merge_runs(mask, sorted, all, n, by_school, true);
}

static bool coastal(enum sp_division d)
{
    return d == SP_DIV_NEW_ENGLAND || d == SP_DIV_MIDDLE_ATLANTIC || d == SP_DIV_PACIFIC;
}

void sp_model_selectivity(double *q_out, enum sp_source *src_out, const struct sp_model *m,
                          const sp_catalog *cat)
{
    size_t n;
    const struct sp_program *all = sp_catalog_programs(cat, &n);
    const struct sp_program **sorted = sp_xcalloc(n, sizeof(*sorted));
    unsigned *mask = sp_xcalloc(n, sizeof(*mask));
    double sum[SP_SPEC_COUNT] = {0};
    size_t count[SP_SPEC_COUNT] = {0};

    /* Institution breadth: how many of the nine specialties the sponsoring institution
     * runs - a proxy for an academic center; and where known, the school's NIH dollars
     * around the top 50's median, in quarter doublings (a coarse proxy; programs of one
     * selectivity share one item of a typical list) - a proxy for research selectivity
     * (unknown: 0, not low). */
    institution_masks(mask, sorted, all, n);
    for (size_t i = 0; i < n; i++) {
        const struct sp_program *p = &all[i];
        double breadth = (double)__builtin_popcount(mask[i]), nih = school_nih(p);
        const struct sp_fact *type = &p->facts[SP_FACT_PROGRAM_TYPE];
        q_out[i] = m->q_breadth * breadth +
                   (nih > 0 ? m->q_per_nih_doubling * round(4 * log2(nih / SP_NIH_REFERENCE_MUSD)) / 4
                            : 0) +
                   (p->new_program ? m->q_new : 0) + (coastal(p->division) ? m->q_coastal : 0);
        if (type->source != SP_SRC_NONE)
            q_out[i] += type->value > 0 ? m->q_academic : -m->q_academic;
        src_out[i] = SP_SRC_ESTIMATED;
        sum[p->specialty] += q_out[i];
        count[p->specialty]++;
    }
    for (size_t i = 0; i < n; i++) {
        const struct sp_program *p = &all[i];
        const struct sp_fact *med = &p->facts[SP_FACT_MEDIAN_STEP2];
        q_out[i] -= sum[p->specialty] / (double)count[p->specialty];
        if (med->source != SP_SRC_NONE) {
            /* Relative to 251 (national mean); a program whose residents score
             * 15 points higher is 0.9 harder on the strength scale. */
            q_out[i] = m->q_per_step2_point * (med->value - 255.0);
            src_out[i] = med->source;
        }
    }
    free(mask);
    free(sorted);
}

void sp_model_program_effects(struct sp_program_effects *out, const struct sp_profile *p,
                              const struct sp_program *prog)
{
    memset(out, 0, sizeof(*out));
    for (size_t i = 0; i < p->n_divisions; i++) {
        if (p->divisions[i] == prog->division)
            out->geo = true;
    }
    for (size_t i = 0; i < p->n_tie_states; i++) {
        if (strcmp(p->tie_states[i], prog->state) == 0)
            out->geo = true;
    }
    out->in_state = strcmp(p->home_state, prog->state) == 0 ||
                    strcmp(p->school_state, prog->state) == 0;
    for (size_t i = 0; i < p->n_home_programs; i++) {
        if (strcmp(p->home_programs[i], prog->acgme_id) == 0)
            out->home = true;
    }
    for (size_t i = 0; i < p->n_aways; i++) {
        if (strcmp(p->aways[i].acgme_id, prog->acgme_id) == 0)
            out->away = true;
    }
}

/* Add effect e to both logits when it applies. */
static inline void add_effect(struct sp_app_logits *out, bool applies, const struct sp_effect *e)
{
    if (applies) {
        out->interview += e->interview;
        out->match += e->match;
    }
}

struct sp_effect sp_model_signal(const struct sp_model *m, enum sp_specialty k,
                                 enum sp_signal signal)
{
    const struct sp_effect *e = signal == SP_SIGNAL_GOLD     ? &m->signal_gold
                                : signal == SP_SIGNAL_SILVER ? &m->signal_silver
                                                             : NULL;
    const struct sp_effect *scale = &m->spec[k].signal_scale;

    if (!e)
        return (struct sp_effect){0, 0};
    return (struct sp_effect){e->interview * scale->interview, e->match * scale->match};
}

void sp_model_logits(struct sp_app_logits *out, const struct sp_model *m, enum sp_specialty k,
                     double strength, double q, const struct sp_program_effects *fx,
                     enum sp_signal signal)
{
    /* Summed in a local and stored once (out is written, m only read). */
    struct sp_app_logits l = {m->spec[k].a + strength - q,
                              m->spec[k].b + m->lambda * (strength - q)};
    struct sp_effect sig = sp_model_signal(m, k, signal);

    add_effect(&l, signal != SP_SIGNAL_NONE, &sig);
    if (fx) {
        add_effect(&l, fx->geo, &m->geo);
        add_effect(&l, fx->in_state, &m->in_state);
        add_effect(&l, fx->home, &m->home);
        add_effect(&l, fx->away, &m->away);
    }
    *out = l;
}

static double logistic(double x)
{
    return 1.0 / (1.0 + exp(-x));
}

double sp_model_p_app(const struct sp_model *m, const struct sp_app_logits *l, double e)
{
    return logistic(l->interview + e) * logistic(l->match + m->lambda * e);
}
