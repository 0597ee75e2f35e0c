/*
 * One replication of the simulated Match: draw the applicants, their
 * applications and signals, let programs choose whom to interview, form both
 * sides' rank lists with noise, run the Match engine (couples, advanced
 * positions with supplemental PGY-1 lists) and count the outcomes. Everything
 * random comes from one Philox stream, in a fixed order.
 */
#include "sim_internal.h"

#include "smartpick/match.h"
#include "sp_alloc.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "banned.h"

#define MAX_PAIRS 60
#define COUPLE_TOP 10

struct applicant {
    double z;    /* Step 2 CK, standardised */
    double e;    /* what programs see that the profile does not */
    double s[2]; /* strength in the preferred and the backup specialty */
    int8_t k[2]; /* preferred and backup specialty (-1: none) */
    uint8_t type;
    uint8_t student;
    uint16_t state;
    uint16_t divs;    /* preferred divisions, a bit per enum sp_division */
    int32_t partner;  /* couple partner, -1 for a single */
    int32_t first, n; /* applications [first, first + n) */
};

struct application {
    int32_t applicant;
    int32_t prog; /* index in sim->progs */
    uint8_t signal;
    uint8_t slot; /* 0 preferred specialty, 1 backup */
    uint8_t geo, in_state;
    uint8_t home, away; /* the inserted student's own effects */
    uint8_t interviewed;
    double util; /* applicant's utility of the program (rank order) */
};

struct keyed {
    double key;
    int32_t idx;
};

/* Descending key, then ascending index: a total order, so results never depend
 * on qsort's handling of ties. */
static int by_key_desc(const void *va, const void *vb)
{
    const struct keyed *a = va, *b = vb;

    if (a->key != b->key)
        return a->key < b->key ? 1 : -1;
    return (a->idx > b->idx) - (a->idx < b->idx);
}

/* Partition so that the first k entries are the k largest (in any order):
 * quickselect with the middle element as pivot (Lomuto). */
static void select_top(struct keyed *a, size_t n, size_t k)
{
    size_t lo = 0, hi = n;

    if (k == 0 || k >= n)
        return;
    while (hi - lo > 1) {
        size_t mid = lo + (hi - lo) / 2, store = lo;
        struct keyed t = a[mid];
        a[mid] = a[hi - 1];
        a[hi - 1] = t;
        for (size_t x = lo; x < hi - 1; x++) {
            if (by_key_desc(&a[x], &a[hi - 1]) < 0) {
                t = a[x];
                a[x] = a[store];
                a[store] = t;
                store++;
            }
        }
        t = a[store];
        a[store] = a[hi - 1];
        a[hi - 1] = t;
        /* a[lo..store) are before the pivot, a[store] is the pivot */
        if (store == k || store + 1 == k)
            return;
        if (store < k)
            lo = store + 1;
        else
            hi = store;
    }
}

static double logistic(double x)
{
    return 1.0 / (1.0 + exp(-x));
}

struct rep {
    const struct sp_sim *sim;
    const struct sp_model *m;
    struct sp_rng rng;
    struct applicant *apps;
    size_t n_apps;   /* applicants, the student last */
    size_t n_market; /* applicants other than the student */
    struct application *appl;
    size_t n_appl, cap_appl;
    int32_t *perm;      /* per specialty: a permutation of its programs (partial Fisher-Yates) */
    struct keyed *keys; /* scratch, one per program */
};

static struct application *push_application(struct rep *r)
{
    if (r->n_appl == r->cap_appl)
        SP_GROW(r->appl, r->cap_appl, r->n_appl + 1);
    memset(&r->appl[r->n_appl], 0, sizeof(r->appl[0]));
    return &r->appl[r->n_appl++];
}

static double step2_draw(struct rep *r, const struct sim_step2 *d)
{
    double med = sp_rng_uniform(&r->rng) < d->p_matched ? d->med_matched : d->med_unmatched;
    double x = med + d->sd * sp_rng_normal(&r->rng);

    if (x > 300)
        x = 300;
    if (x < 214)
        x = 214; /* below the pass mark, applicants do not enter the Match */
    return (x - 251.0) / 15.0;
}

static void draw_applicants(struct rep *r)
{
    const struct sp_sim *sim = r->sim;
    const struct sp_sim_params *pp = &sim->params;
    size_t i = 0;

    for (int k = 0; k < SP_SPEC_COUNT; k++) {
        for (int ty = 0; ty < SP_APP_TYPE_COUNT; ty++) {
            for (size_t c = 0; c < sim->n_app[k][ty]; c++) {
                struct applicant *a = &r->apps[i++];
                double u = sp_rng_uniform(&r->rng) * sim->state_w[sim->n_states - 1];
                int st = 0;
                int kb = sp_sim__backup(k);
                a->type = (uint8_t)ty;
                a->z = step2_draw(r, &sim->step2[k][ty]);
                a->e = r->m->sigma * sp_rng_normal(&r->rng);
                a->k[0] = (int8_t)k;
                a->s[0] = sim->base[k][k][ty] + r->m->spec[k].beta_step2 * a->z;
                a->k[1] = -1;
                if (sp_rng_uniform(&r->rng) < pp->backup_share[ty] && kb < SP_SPEC_COUNT) {
                    a->k[1] = (int8_t)kb;
                    a->s[1] = sim->base[k][kb][ty] + r->m->spec[kb].beta_step2 * a->z;
                }
                while (st < sim->n_states - 1 && sim->state_w[st] < u)
                    st++;
                a->state = (uint16_t)st;
                /* Preferred divisions: home and, each with probability 1/2, one or two
                 * more (about a third of programs; the reference's 35%). */
                a->divs = (uint16_t)(1u << sim->state_div[st]);
                for (int extra = 0; extra < 2; extra++) {
                    if (sp_rng_uniform(&r->rng) < 0.5)
                        a->divs |= (uint16_t)(1u << (1 + sp_rng_below(&r->rng, 9)));
                }
                a->partner = -1;
            }
        }
    }
    r->n_market = i;
    if (sim->student) {
        struct applicant *a = &r->apps[i++];
        memset(a, 0, sizeof(*a));
        a->student = 1;
        a->type = (uint8_t)sim->student->type;
        a->e = r->m->sigma * sp_rng_normal(&r->rng);
        a->k[0] = a->k[1] = -1;
        a->partner = -1;
    }
    r->n_apps = i;
}

static void draw_couples(struct rep *r)
{
    double share =
        r->sim->scen.couples_share >= 0 ? r->sim->scen.couples_share : r->sim->params.couples_share;
    size_t pairs = (size_t)llround(share * (double)r->n_market / 2);

    if (r->n_market < 2)
        return;
    for (size_t c = 0; c < pairs; c++) {
        uint32_t a, b;
        int guard = 0;
        do {
            a = sp_rng_below(&r->rng, (uint32_t)r->n_market);
            b = sp_rng_below(&r->rng, (uint32_t)r->n_market);
        } while ((a == b || r->apps[a].partner >= 0 || r->apps[b].partner >= 0) && ++guard < 100);
        if (guard >= 100)
            break;
        r->apps[a].partner = (int32_t)b;
        r->apps[b].partner = (int32_t)a;
    }
}

static void effects_of(const struct sp_sim *sim, const struct applicant *a,
                       const struct sim_prog *p, uint8_t *geo, uint8_t *in_state)
{
    (void)sim;
    *geo = (uint8_t)((a->divs >> p->division) & 1u);
    *in_state = (uint8_t)(a->state == p->state);
}

/* Applications of applicant ai to specialty k: n programs drawn without
 * replacement with probability proportional to the planner's
 * utility x P(interview) (rejection sampling over a partial Fisher-Yates shuffle),
 * then the signals where they raise P(interview) most. */
static void apply(struct rep *r, int32_t ai, int slot, int n, int gold, int silver)
{
    const struct sp_sim *sim = r->sim;
    const struct sp_model *m = r->m;
    struct applicant *a = &r->apps[ai];
    int k = a->k[slot];
    size_t first = sim->spec_first[k], N = sim->spec_first[k + 1] - first;
    int32_t *perm = r->perm + first;
    double s = a->s[slot], qmin = 1e9, bound;
    size_t c = 0, start = r->n_appl;
    long tries = 0;

    if ((size_t)n > N)
        n = (int)N;
    for (size_t j = 0; j < N; j++) {
        if (sim->progs[first + j].q < qmin)
            qmin = sim->progs[first + j].q;
    }
    bound = 0.96 * logistic(m->spec[k].a + s - qmin + m->geo.interview + m->in_state.interview);
    while (c < (size_t)n) {
        size_t pick = c + sp_rng_below(&r->rng, (uint32_t)(N - c));
        const struct sim_prog *p = &sim->progs[first + (size_t)perm[pick]];
        uint8_t geo, ins;
        double util, score;
        effects_of(sim, a, p, &geo, &ins);
        util = 0.88 + 0.05 * geo + 0.03 * ins; /* sp_plan_utility's fit terms */
        score = util * logistic(m->spec[k].a + s - p->q + geo * m->geo.interview +
                                ins * m->in_state.interview);
        if (sp_rng_uniform(&r->rng) * bound < score || ++tries > 40L * n) {
            struct application *ap = push_application(r);
            int32_t t = perm[c];
            perm[c] = perm[pick];
            perm[pick] = t;
            ap->applicant = ai;
            ap->prog = (int32_t)(first + (size_t)perm[c]);
            ap->slot = (uint8_t)slot;
            ap->geo = geo;
            ap->in_state = ins;
            ap->util = util * (slot ? 0.8 : 1.0);
            c++;
        }
    }
    /* Signals: gold, then silver, each on the applications it helps most (the
     * gain of one signal does not depend on where the others go). */
    for (int level = 0; level < 2; level++) {
        int count = level == 0 ? gold : silver;
        double gamma = level == 0 ? m->signal_gold.interview : m->signal_silver.interview;
        size_t nk = 0;
        if (count <= 0)
            continue;
        for (size_t x = start; x < r->n_appl; x++) {
            const struct application *ap = &r->appl[x];
            double l;
            if (ap->signal)
                continue;
            l = m->spec[k].a + s - sim->progs[ap->prog].q + ap->geo * m->geo.interview +
                ap->in_state * m->in_state.interview;
            r->keys[nk].key = ap->util * (logistic(l + gamma) - logistic(l));
            r->keys[nk].idx = (int32_t)x;
            nk++;
        }
        if ((size_t)count > nk)
            count = (int)nk;
        select_top(r->keys, nk, (size_t)count);
        for (int g = 0; g < count; g++)
            r->appl[r->keys[g].idx].signal =
                (uint8_t)(level == 0 ? SP_SIGNAL_GOLD : SP_SIGNAL_SILVER);
    }
}

static void draw_applications(struct rep *r)
{
    const struct sp_sim *sim = r->sim;
    const struct sp_model *m = r->m;
    double factor = sim->scen.applications_factor;

    for (size_t i = 0; i < r->n_market; i++) {
        struct applicant *a = &r->apps[i];
        a->first = (int32_t)r->n_appl;
        for (int slot = 0; slot < 2; slot++) {
            int k = a->k[slot];
            size_t n_prog;
            int n, gold, silver;
            if (k < 0)
                continue;
            n_prog = sim->spec_first[k + 1] - sim->spec_first[k];
            n = sp_model_typical_applications(m, (enum sp_specialty)k,
                                              (enum sp_applicant_type)a->type, 100000);
            n = (int)lround(n * factor * (slot ? sim->params.backup_applications : 1.0));
            if (n < 1)
                n = 1;
            if ((size_t)n > n_prog)
                n = (int)n_prog;
            gold = sp_sim__signals(sim, k, true);
            silver = sp_sim__signals(sim, k, false);
            /* DR and IR share one pool: split when applying to both. */
            if ((k == SP_SPEC_IR || k == SP_SPEC_DR) &&
                (a->k[1 - slot] == SP_SPEC_IR || a->k[1 - slot] == SP_SPEC_DR)) {
                gold /= 2;
                silver /= 2;
            }
            apply(r, (int32_t)i, slot, n, gold, silver);
        }
        a->n = (int32_t)(r->n_appl - (size_t)a->first);
    }
    if (sim->student) {
        const struct sp_sim_student *st = sim->student;
        struct applicant *a = &r->apps[r->n_market];
        size_t n_all;
        const struct sp_program *base = sp_catalog_programs(sim->cat, &n_all);
        a->first = (int32_t)r->n_appl;
        for (size_t x = 0; x < st->n_apps; x++) {
            const struct sp_sim_student_app *sa = &st->apps[x];
            const struct sp_program *cp = &base[sa->program];
            size_t lo = sim->spec_first[cp->specialty], hi = sim->spec_first[cp->specialty + 1];
            for (size_t j = lo; j < hi; j++) {
                if (sim->progs[j].cat == sa->program) {
                    struct application *ap = push_application(r);
                    ap->applicant = (int32_t)r->n_market;
                    ap->prog = (int32_t)j;
                    ap->signal = (uint8_t)sa->signal;
                    ap->geo = sa->fx.geo;
                    ap->in_state = sa->fx.in_state;
                    ap->home = sa->fx.home;
                    ap->away = sa->fx.away;
                    ap->util = sa->utility;
                    break;
                }
            }
        }
        a->n = (int32_t)(r->n_appl - (size_t)a->first);
    }
}

static double strength_at(const struct rep *r, const struct application *ap)
{
    const struct applicant *a = &r->apps[ap->applicant];

    if (a->student)
        return r->sim->student->strength[r->sim->progs[ap->prog].k];
    return a->s[ap->slot];
}

/* Programs interview their best applicants up to their slots, seen through the
 * model's interview logit with noise; they rank the best rank_share of those they
 * interviewed by the match logit with noise. rol_first/rol_n index into rol. */
struct slim {
    double li, lm; /* interview and match-stage logits before noise */
    int32_t applicant, x;
};

static void interviews_and_program_lists(struct rep *r, int32_t **rol_out, size_t *rol_first,
                                         size_t *rol_n)
{
    const struct sp_sim *sim = r->sim;
    const struct sp_model *m = r->m;
    size_t np = sim->n_progs;
    size_t *count = sp_xcalloc(np + 1, sizeof(size_t));
    struct slim *by_prog = sp_xcalloc(r->n_appl ? r->n_appl : 1, sizeof(*by_prog));
    struct keyed *keys = NULL;
    size_t keys_cap = 0;
    int32_t *rol = sp_xcalloc(r->n_appl ? r->n_appl : 1, sizeof(int32_t));
    size_t n_rol = 0;

    for (size_t x = 0; x < r->n_appl; x++)
        count[r->appl[x].prog + 1]++;
    for (size_t j = 0; j < np; j++)
        count[j + 1] += count[j];
    {
        /* One pass in application (= applicant) order computes both logits and
         * scatters them by program, so the per-program loops read memory in order. */
        size_t *fill = sp_xcalloc(np, sizeof(size_t));
        for (size_t x = 0; x < r->n_appl; x++) {
            const struct application *ap = &r->appl[x];
            const struct applicant *a = &r->apps[ap->applicant];
            const struct sp_effect *sig = ap->signal == SP_SIGNAL_GOLD     ? &m->signal_gold
                                          : ap->signal == SP_SIGNAL_SILVER ? &m->signal_silver
                                                                           : NULL;
            double se = strength_at(r, ap) + a->e;
            size_t j = (size_t)ap->prog;
            struct slim *sl = &by_prog[count[j] + fill[j]++];
            sl->li = se + ap->geo * m->geo.interview + ap->in_state * m->in_state.interview +
                     ap->home * m->home.interview + ap->away * m->away.interview +
                     (sig ? sig->interview : 0);
            sl->lm = m->lambda * se + ap->geo * m->geo.match + ap->in_state * m->in_state.match +
                     ap->home * m->home.match + ap->away * m->away.match + (sig ? sig->match : 0);
            sl->applicant = ap->applicant;
            sl->x = (int32_t)x;
        }
        free(fill);
    }
    for (size_t j = 0; j < np; j++) {
        const struct sim_prog *p = &sim->progs[j];
        size_t lo = count[j], n = count[j + 1] - lo, take, ranked;
        double inoise = sim->params.interview_noise_spec[p->k] > 0
                            ? sim->params.interview_noise_spec[p->k]
                            : sim->params.interview_noise;
        double rnoise = sim->params.rank_noise_spec[p->k] > 0 ? sim->params.rank_noise_spec[p->k]
                                                              : sim->params.rank_noise;
        if (n > keys_cap)
            SP_GROW(keys, keys_cap, n);
        for (size_t x = 0; x < n; x++) {
            keys[x].key = by_prog[lo + x].li + inoise * sp_rng_logistic(&r->rng);
            keys[x].idx = (int32_t)(lo + x);
        }
        take = n < (size_t)p->slots ? n : (size_t)p->slots;
        select_top(keys, n, take);
        /* Rank the interviewees by the match-stage logit with noise. */
        for (size_t x = 0; x < take; x++) {
            const struct slim *sl = &by_prog[keys[x].idx];
            r->appl[sl->x].interviewed = 1;
            keys[x].key = sl->lm + rnoise * sp_rng_logistic(&r->rng);
            keys[x].idx = sl->applicant;
        }
        qsort(keys, take, sizeof(*keys), by_key_desc);
        ranked = (size_t)ceil(sim->params.rank_share * (double)take);
        if (ranked > take)
            ranked = take;
        rol_first[j] = n_rol;
        rol_n[j] = ranked;
        for (size_t x = 0; x < ranked; x++)
            rol[n_rol++] = keys[x].idx;
    }
    free(keys);
    free(count);
    free(by_prog);
    *rol_out = rol;
}

/* An applicant's rank order list: interviewed programs, preferred specialty
 * first, then by utility + prestige + noise; categorical before advanced. */
static size_t applicant_list(struct rep *r, size_t i, int32_t *out, bool *has_advanced,
                             struct keyed *keys)
{
    const struct sp_sim *sim = r->sim;
    const struct applicant *a = &r->apps[i];
    size_t n = 0, len = 0;

    for (int32_t x = a->first; x < a->first + a->n; x++) {
        const struct application *ap = &r->appl[x];
        double key;
        if (!ap->interviewed)
            continue;
        key = (ap->slot ? 0.0 : 10.0) + ap->util;
        if (!a->student)
            key += sim->params.applicant_prestige * sim->progs[ap->prog].q +
                   sim->params.applicant_rank_noise * sp_rng_normal(&r->rng);
        keys[n].key = key;
        keys[n].idx = ap->prog;
        n++;
    }
    qsort(keys, n, sizeof(*keys), by_key_desc);
    *has_advanced = false;
    for (size_t x = 0; x < n; x++) {
        const struct sim_prog *p = &sim->progs[keys[x].idx];
        if (p->mid_c >= 0)
            out[len++] = p->mid_c;
        if (p->mid_a >= 0) {
            out[len++] = p->mid_a;
            *has_advanced = true;
        }
    }
    return len;
}

struct pair_key {
    int rank;
    int32_t a, b;
};

static int by_pair(const void *va, const void *vb)
{
    const struct pair_key *x = va, *y = vb;

    if (x->rank != y->rank)
        return x->rank < y->rank ? -1 : 1;
    if (x->a != y->a)
        return x->a < y->a ? -1 : 1;
    return (x->b > y->b) - (x->b < y->b);
}

/* A couple's list of program pairs from the members' own lists: pairs in one
 * Census division first (by the sum of the members' ranks), then pairs apart,
 * then one member matched alone (SmartPick estimate of couples' behaviour). */
static size_t couple_pairs(const struct sp_sim *sim, const int32_t *l1, size_t n1,
                           const int32_t *l2, size_t n2, int32_t *pairs)
{
    struct pair_key cand[(COUPLE_TOP + 1) * (COUPLE_TOP + 1)];
    size_t nc = 0, out = 0;

    if (n1 > COUPLE_TOP)
        n1 = COUPLE_TOP;
    if (n2 > COUPLE_TOP)
        n2 = COUPLE_TOP;
    for (size_t x = 0; x < n1; x++) {
        for (size_t y = 0; y < n2; y++) {
            bool near = sim->mprog_div[l1[x]] == sim->mprog_div[l2[y]];
            cand[nc++] = (struct pair_key){(int)(x + y) + (near ? 0 : 100), l1[x], l2[y]};
        }
    }
    for (size_t x = 0; x < n1; x++)
        cand[nc++] = (struct pair_key){1000 + (int)x, l1[x], -1};
    for (size_t y = 0; y < n2; y++)
        cand[nc++] = (struct pair_key){1000 + (int)y, -1, l2[y]};
    qsort(cand, nc, sizeof(cand[0]), by_pair);
    for (size_t c = 0; c < nc && out < MAX_PAIRS; c++) {
        pairs[2 * out] = cand[c].a;
        pairs[2 * out + 1] = cand[c].b;
        out++;
    }
    return out;
}

struct pre_entry {
    int32_t prog, applicant;
    double score;
};

static int by_pre(const void *va, const void *vb)
{
    const struct pre_entry *a = va, *b = vb;

    if (a->prog != b->prog)
        return a->prog < b->prog ? -1 : 1;
    if (a->score != b->score)
        return a->score < b->score ? 1 : -1;
    return (a->applicant > b->applicant) - (a->applicant < b->applicant);
}

static int run_match(struct rep *r, struct sp_match_result *res, const int32_t *prog_rol,
                     const size_t *rol_first, const size_t *rol_n, bool *no_stable,
                     struct sp_err *err)
{
    const struct sp_sim *sim = r->sim;
    sp_match_instance *in = sp_match_instance_new();
    char id[32];
    int32_t *list = sp_xcalloc(2 * sim->n_progs + 2, sizeof(int32_t));
    int32_t *list2 = sp_xcalloc(2 * sim->n_progs + 2, sizeof(int32_t));
    struct keyed *keys = sp_xcalloc(sim->n_progs + 1, sizeof(*keys));
    int32_t pairs[2 * MAX_PAIRS];
    /* Supplemental lists: who ranks which PGY-1 program, and how it ranks them. */
    struct pre_entry *pre = NULL;
    size_t n_pre = 0, cap_pre = 0;
    struct sp_match_options opts = SP_MATCH_OPTIONS_INIT;
    int rc = 0;

    for (int p = 0; p < sim->n_mprogs && !rc; p++) {
        long cap;
        enum sp_track track;
        if (p >= sim->prelim_first) {
            cap = sim->prelim_cap[p - sim->prelim_first];
            track = SP_TRACK_PRELIMINARY;
        } else {
            const struct sim_prog *sp = &sim->progs[sim->mprog_prog[p]];
            bool adv = sp->mid_a == p;
            cap = adv ? sp->cap_a : sp->cap_c;
            track = adv ? SP_TRACK_ADVANCED : SP_TRACK_CATEGORICAL;
        }
        snprintf(id, sizeof(id), "P%d", p);
        rc = sp_match_add_program(in, id, cap, track, 0, err) < 0 ? SP_EINVAL : 0;
    }
    for (size_t i = 0; i < r->n_apps && !rc; i++) {
        snprintf(id, sizeof(id), "A%zu", i);
        rc = sp_match_add_applicant(in, id, 0, err) < 0 ? SP_EINVAL : 0;
    }
    for (size_t j = 0; j < sim->n_progs && !rc; j++) {
        const struct sim_prog *sp = &sim->progs[j];
        if (sp->mid_c >= 0)
            rc = sp_match_set_program_rol(in, sp->mid_c, prog_rol + rol_first[j], rol_n[j], 0, err);
        if (!rc && sp->mid_a >= 0)
            rc = sp_match_set_program_rol(in, sp->mid_a, prog_rol + rol_first[j], rol_n[j], 0, err);
    }
    for (size_t i = 0; i < r->n_apps && !rc; i++) {
        const struct applicant *a = &r->apps[i];
        bool adv, adv2;
        size_t n = applicant_list(r, i, list, &adv, keys);
        if (a->partner >= 0) {
            size_t n2, np;
            if ((size_t)a->partner < i)
                continue; /* the couple was added with its first member */
            n2 = applicant_list(r, (size_t)a->partner, list2, &adv2, keys);
            np = couple_pairs(sim, list, n, list2, n2, pairs);
            snprintf(id, sizeof(id), "C%zu", i);
            if (np > 0)
                rc = sp_match_add_couple(in, id, (int)i, a->partner, pairs, np, 0, err) < 0
                         ? SP_EINVAL
                         : 0;
            continue;
        }
        if (n > 0)
            rc = sp_match_set_rol(in, (int)i, list, n, 0, err);
        if (!rc && adv && sim->n_prelim > 0) {
            int len = sim->params.supplemental_len;
            int32_t supp[64];
            int ns = 0;
            if (len > sim->n_prelim)
                len = sim->n_prelim;
            if (len > 64)
                len = 64;
            while (ns < len) {
                int32_t pick =
                    sim->prelim_first + (int32_t)sp_rng_below(&r->rng, (uint32_t)sim->n_prelim);
                bool dup = false;
                for (int x = 0; x < ns; x++)
                    dup |= supp[x] == pick;
                if (!dup)
                    supp[ns++] = pick;
            }
            rc = sp_match_set_supplemental(in, (int)i, supp, (size_t)ns, 0, err);
            for (int x = 0; x < ns && !rc; x++) {
                if (n_pre == cap_pre)
                    SP_GROW(pre, cap_pre, n_pre + 1);
                pre[n_pre].prog = supp[x];
                pre[n_pre].applicant = (int32_t)i;
                pre[n_pre].score =
                    a->s[0] + a->e + sim->params.rank_noise * sp_rng_logistic(&r->rng);
                n_pre++;
            }
        }
    }
    if (!rc && n_pre > 0) {
        /* Each PGY-1 program ranks those who listed it by strength with noise. */
        int32_t *ids = sp_xcalloc(n_pre, sizeof(int32_t));
        qsort(pre, n_pre, sizeof(*pre), by_pre);
        for (size_t lo = 0; lo < n_pre && !rc;) {
            size_t hi = lo, n = 0;
            while (hi < n_pre && pre[hi].prog == pre[lo].prog)
                ids[n++] = pre[hi++].applicant;
            rc = sp_match_set_program_rol(in, pre[lo].prog, ids, n, 0, err);
            lo = hi;
        }
        free(ids);
    }
    if (!rc)
        rc = sp_match_freeze(in, err);
    if (!rc) {
        opts.check = false;
        opts.search_budget = 0;
        opts.max_tries = 8;
        opts.seed = sp_rng_u64(&r->rng);
        rc = sp_match_run(res, in, &opts, err);
        if (rc == SP_ENOSTABLE) {
            /* The arrays hold the last state: count it, and say so. */
            *no_stable = true;
            rc = 0;
        }
    }
    free(pre);
    free(keys);
    free(list);
    free(list2);
    sp_match_instance_free(in);
    return rc;
}

int sp_sim_replicate(struct sp_sim_rep *out, const sp_sim *sim, uint64_t seed, uint64_t rep_index,
                     struct sp_err *err)
{
    struct rep r;
    size_t total = 0;
    int32_t *prog_rol = NULL;
    size_t *rol_first = NULL, *rol_n = NULL;
    struct sp_match_result res = SP_MATCH_RESULT_INIT;
    bool no_stable = false;
    int rc;

    memset(out, 0, sizeof(*out));
    memset(&r, 0, sizeof(r));
    r.sim = sim;
    r.m = sim->m;
    sp_rng_init(&r.rng, seed, rep_index);
    for (int k = 0; k < SP_SPEC_COUNT; k++) {
        for (int ty = 0; ty < SP_APP_TYPE_COUNT; ty++)
            total += sim->n_app[k][ty];
    }
    r.apps = sp_xcalloc(total + 1, sizeof(*r.apps));
    r.perm = sp_xcalloc(sim->n_progs ? sim->n_progs : 1, sizeof(int32_t));
    r.keys = sp_xcalloc(sim->n_progs + 1, sizeof(*r.keys));
    for (int k = 0; k < SP_SPEC_COUNT; k++) {
        for (size_t j = sim->spec_first[k]; j < sim->spec_first[k + 1]; j++)
            r.perm[j] = (int32_t)(j - sim->spec_first[k]);
    }
    draw_applicants(&r);
    draw_couples(&r);
    draw_applications(&r);
    rol_first = sp_xcalloc(sim->n_progs + 1, sizeof(size_t));
    rol_n = sp_xcalloc(sim->n_progs + 1, sizeof(size_t));
    interviews_and_program_lists(&r, &prog_rol, rol_first, rol_n);
    rc = run_match(&r, &res, prog_rol, rol_first, rol_n, &no_stable, err);
    if (rc)
        goto out;

    out->no_stable = no_stable;
    out->student_matched = -1;
    out->applications = (double)r.n_appl;
    for (size_t x = 0; x < r.n_appl; x++)
        out->interviews += r.appl[x].interviewed;
    for (int p = 0; p < sim->n_mprogs; p++) {
        int k = sim->mprog_spec[p];
        if (k < 0)
            continue;
        out->unfilled[k] += res.unfilled[p];
    }
    for (int k = 0; k < SP_SPEC_COUNT; k++)
        out->positions[k] = (double)sim->positions[k];
    for (size_t i = 0; i < r.n_apps; i++) {
        const struct applicant *a = &r.apps[i];
        int32_t p = res.program[i];
        int km = p >= 0 ? sim->mprog_spec[p] : -1;
        if (a->student) {
            out->student_matched = p >= 0;
            continue;
        }
        out->type_n[a->type] += 1;
        out->pref[a->k[0]][a->type] += 1;
        if (p >= 0)
            out->type_matched[a->type] += 1;
        if (km >= 0) {
            out->rank_sum[km] += res.rank[i];
            out->n_in[km] += 1;
            if (km == a->k[0])
                out->matched[km][a->type] += 1;
        }
        if (sim->grid && a->k[1] < 0 && a->partner < 0) {
            double pred = sp_sim__planner_p(sim, a->k[0], a->type, a->s[0]);
            double y = km == a->k[0] ? 1.0 : 0.0;
            int bin = (int)(pred * SP_SIM_BINS);
            if (bin >= SP_SIM_BINS)
                bin = SP_SIM_BINS - 1;
            if (bin < 0)
                bin = 0;
            out->rel_n[bin] += 1;
            out->rel_pred[bin] += pred;
            out->rel_obs[bin] += y;
            out->brier += (pred - y) * (pred - y);
        }
    }
out:
    sp_match_result_release(&res);
    free(prog_rol);
    free(rol_first);
    free(rol_n);
    free(r.apps);
    free(r.appl);
    free(r.perm);
    free(r.keys);
    return rc;
}
