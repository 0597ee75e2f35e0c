/*
 * One replication of the simulated Match: draw the applicants, their
 * applications and signals, let programs choose whom to interview, form both
 * sides' rank lists with noise, run the Match engine (couples, advanced
 * positions with supplemental PGY-1 lists) and count the outcomes. Everything
 * random comes from the replication's one stream (smartpick/sim/sim.h: xoshiro256++
 * seeded by Philox), drawn in a fixed order, or, where a draw must not depend on
 * when it is made (the programs' interview and rank noise), from counter-based
 * draws keyed by that stream (sp_rng_at). docs/SIMULATION.md ("Speed") says how
 * the hot loops are arranged; the vector loops are in sim_draw.c.
 */
#include "sim_draw.h"
#include "sim_internal.h"

#include "smartpick/model/assess.h"
#include "smartpick/model/utility.h"
#include "smartpick/match/match.h"
#include "sp_alloc.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A hint to fetch *p into the caches ahead of its use. */
#if defined(__GNUC__)
#define SIM_PREFETCH(p) __builtin_prefetch(p)
#else
#define SIM_PREFETCH(p) ((void)(p))
#endif

#include "banned.h"

#define MAX_PAIRS 60
#define COUPLE_TOP 10
/* pool_cut_after's margin, in units of the interview noise's scale. */
#define SIM_CUT_MARGIN 1.0

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

/* One application, 8 bytes: a national replication holds ~2.7 million. */
struct application {
    int32_t applicant;
    uint16_t prog;  /* index in sim->progs (sp_sim_new caps the catalog at 65535) */
    uint8_t signal; /* enum sp_signal */
    uint8_t flags;  /* AP_* */
};

enum {
    AP_BACKUP = 1,   /* to the backup specialty */
    AP_GEO = 2,      /* in one of the applicant's preferred divisions */
    AP_IN_STATE = 4, /* in the applicant's state */
    AP_HOME = 8,     /* the inserted student's home program */
    AP_AWAY = 16,    /* ... or where they did an away rotation */
};

/* cand_id packs the flags in 5 bits and the signal in 2. */
_Static_assert(AP_AWAY < 32 && SP_SIGNAL_GOLD < 4, "cand_id's flag and signal fields");

#define HAS(ap, f) (((ap)->flags & (f)) != 0)

/* A candidate in a program's interview pool: its key and cand_id, all a program
 * needs of the application, so making the interviews reads no application. */
struct cand {
    float key;
    uint32_t id;
};

/* An application as its program sees it: applicant, signal and AP_* flags in 32
 * bits (the applicant in the top 25: sp_sim_new caps the market below 2^25).
 * Within a program, ids rise with the application index (an applicant applies
 * once to a program, and applicants apply in index order). */
static inline uint32_t cand_id(const struct application *ap)
{
    return (uint32_t)ap->applicant << 7 | (uint32_t)ap->signal << 5 | ap->flags;
}

static inline int32_t cand_applicant(uint32_t id)
{
    return (int32_t)(id >> 7);
}

static inline unsigned cand_signal(uint32_t id)
{
    return (id >> 5) & 3u;
}

static inline unsigned cand_flags(uint32_t id)
{
    return id & 31u;
}

/* An interview, with what the applicant's rank list needs (read once, when the
 * program makes it, rather than again at random). */
struct interview {
    uint16_t prog;
    uint8_t flags;
    uint8_t signal; /* enum sp_signal */
};

/* A sort key packed in 64 bits: the key in single precision, descending, in the
 * high half, an index ascending in the low half. Sorting the packed values
 * ascending puts a before b when a's key is larger, or equal with a lower index:
 * a total order, so no result depends on how a sort treats ties, and comparisons
 * are one integer compare. */
static inline uint64_t pack_desc(double key, uint32_t idx)
{
    float f = (float)key;
    uint32_t bits;

    memcpy(&bits, &f, sizeof(bits));
    bits = (bits & 0x80000000u) ? ~bits : bits | 0x80000000u; /* ascending as unsigned */
    return ((uint64_t)~bits << 32) | idx;
}

/* The key of a pack_desc value, in single precision. */
static inline float packed_key(uint64_t v)
{
    uint32_t bits = ~(uint32_t)(v >> 32);
    float f;

    bits = (bits & 0x80000000u) ? bits & 0x7fffffffu : ~bits;
    memcpy(&f, &bits, sizeof(f));
    return f;
}

static inline uint32_t packed_index(uint64_t v)
{
    return (uint32_t)v;
}

/* a[0..n) ascending: quicksort with a branch-free Lomuto partition around the
 * median of three (the comparisons are coin flips to a branch predictor), the
 * smaller side first, down to runs of 16, then insertion sort. */
static void sort_packed(uint64_t *a, size_t n)
{
    while (n > 16) {
        size_t mid = n / 2, store = 0;
        uint64_t t, pivot;
        if (a[mid] < a[0]) {
            t = a[mid];
            a[mid] = a[0];
            a[0] = t;
        }
        if (a[n - 1] < a[0]) {
            t = a[n - 1];
            a[n - 1] = a[0];
            a[0] = t;
        }
        if (a[n - 1] < a[mid]) {
            t = a[n - 1];
            a[n - 1] = a[mid];
            a[mid] = t;
        }
        pivot = a[mid];
        a[mid] = a[n - 1];
        for (size_t x = 0; x < n - 1; x++) {
            t = a[x];
            a[x] = a[store];
            a[store] = t;
            store += t < pivot;
        }
        a[n - 1] = a[store];
        a[store] = pivot;
        /* a[0..store) < pivot <= a(store..n): recurse on the smaller, loop on the larger. */
        if (store < n - store - 1) {
            sort_packed(a, store);
            a += store + 1;
            n -= store + 1;
        } else {
            sort_packed(a + store + 1, n - store - 1);
            n = store;
        }
    }
    for (size_t x = 1; x < n; x++) {
        uint64_t v = a[x];
        size_t y = x;
        while (y > 0 && v < a[y - 1]) {
            a[y] = a[y - 1];
            y--;
        }
        a[y] = v;
    }
}

/* Descending key, then ascending index. */
static inline bool cand_before(const struct cand *a, const struct cand *b)
{
    return (a->key > b->key) | ((a->key == b->key) & (a->id < b->id));
}

/* Partition a[0..n) so that its first k entries are the k best (cand_before),
 * in no particular order: quickselect, middle pivot, branch-free Lomuto
 * partition (the comparison is a coin flip to the branch predictor). */
static void select_top_cand(struct cand *a, size_t n, size_t k)
{
    size_t lo = 0, hi = n;

    if (k == 0 || k >= n)
        return;
    while (hi - lo > 1) {
        size_t mid = lo + (hi - lo) / 2, store = lo;
        struct cand t, pivot = a[mid];
        a[mid] = a[hi - 1];
        for (size_t x = lo; x < hi - 1; x++) {
            t = a[x];
            a[x] = a[store];
            a[store] = t;
            store += cand_before(&t, &pivot);
        }
        a[hi - 1] = a[store];
        a[store] = pivot;
        if (store == k || store + 1 == k)
            return;
        if (store < k)
            lo = store + 1;
        else
            hi = store;
    }
}

/* Partition a[0..n) around a key that need not be one of theirs: the entries
 * before {key, UINT32_MAX} (cand_before) first; returns their count. Branch-free. */
static size_t partition_at(struct cand *a, size_t n, float key)
{
    const struct cand pivot = {key, UINT32_MAX};
    size_t store = 0;

    for (size_t x = 0; x < n; x++) {
        struct cand t = a[x];
        a[x] = a[store];
        a[store] = t;
        store += cand_before(&t, &pivot);
    }
    return store;
}

/* select_top_cand with a guess of the k-th best key (a program's cut in the
 * worker's last replication): one partition at the guess, then a quickselect of
 * the side that holds the k-th, usually a small one. */
static void select_top_cand_near(struct cand *a, size_t n, size_t k, float guess)
{
    size_t ahead;

    if (k == 0 || k >= n)
        return;
    ahead = partition_at(a, n, guess);
    if (ahead >= k)
        select_top_cand(a, ahead, k);
    else
        select_top_cand(a + ahead, n - ahead, k - ahead);
}

/* Signal placement scratch: one applicant's applications to one specialty by
 * kind, cl = in preferred division + 2 x in state: member[cl][0 .. n_member[cl])
 * are offsets from the first application, least selective program first. */
struct sig_scratch {
    int32_t *member[4];
    size_t n_member[4];
    size_t n_above[2][4]; /* members whose logit is at or above the gold [0] or silver [1]
                             signal's gain peak, -gamma / 2 (a prefix: the logits fall) */
};

struct pool_state {
    float cut;
    uint32_t n, cap, first;
};

/* Kept between the replications a worker plays: buffers, and each program's
 * starting cut (pool_cut_after). */
struct sp_sim_work {
    struct applicant *apps;
    struct application *appl;
    struct cand *pool;
    int32_t *rol;
    float *start_cut;
    size_t cap_apps, cap_appl, cap_pool, cap_rol, n_start_cut;
};

sp_sim_work *sp_sim_work_new(void)
{
    return sp_xcalloc(1, sizeof(struct sp_sim_work));
}

void sp_sim_work_free(sp_sim_work *work)
{
    if (!work)
        return;
    free(work->apps);
    free(work->appl);
    free(work->pool);
    free(work->rol);
    free(work->start_cut);
    free(work);
}

/* p with room for n entries of size bytes, reallocated (contents not kept)
 * only when it has less, then with an eighth more: the next replications' counts
 * vary a little, and a fresh buffer costs a page fault every 4 KiB. */
static void *reserve(void *p, size_t *cap, size_t n, size_t size)
{
    if (n == 0)
        n = 1;
    if (n <= *cap)
        return p;
    free(p);
    *cap = n + n / 8;
    return sp_xcalloc(*cap, size);
}

struct rep {
    const struct sp_sim *sim;
    sp_sim_work *work;
    const struct sp_model *m;
    struct sp_rng rng;
    uint64_t key_seed;      /* sp_rng_at key of the interview keys' noise (by application) */
    uint64_t rank_seed;     /* ... and of the programs' rank noise */
    struct applicant *apps;
    size_t n_apps;   /* applicants, the student last */
    size_t n_market; /* applicants other than the student */
    struct application *appl;
    size_t n_appl, cap_appl;
    double *student_util; /* the plan's utility of each program the student applied to */
    /* Scratch for apply, one entry per program: */
    float *w;       /* the current applicant's weight of each */
    uint32_t *pick; /* the programs drawn */
    double *lg;     /* the interview logit of each application drawn */
    /* Each program's best candidates so far (interview_key): pool[ps[j].first ..
     * + ps[j].n), room for ps[j].cap = twice its interview slots; at or below ps[j].cut
     * a candidate is not kept (a starting cut may be undone by refill_pools). One
     * 16-byte record per program: one cache line to touch per application. */
    struct cand *pool;
    struct pool_state *ps;
    struct interview *ivw; /* interviews grouped by applicant: */
    size_t *ivw_first;     /* applicant i's are ivw[ivw_first[i] .. ivw_first[i + 1]) */
    struct sig_scratch sig;
    size_t n_geo, n_in_state; /* market applications to a preferred division, own state */
    /* US MD and DO market applicants' applications and interviews by specialty and
     * enum sp_signal (sp_sim_rep.signal_apps, signal_interviews). */
    uint32_t signal_apps[SP_SPEC_COUNT][3], signal_interviews[SP_SPEC_COUNT][3];
    double spare;             /* Box-Muller's second normal, when has_spare */
    bool has_spare;
    const struct sp_sim_observer *obs; /* NULL: counts only */
    float *rank_key; /* with obs: the rank key of each program list entry (as work->rol) */
};

/* A standard normal: Box-Muller's pair, used one after the other (the stream
 * stays a pure function of (seed, replication): the pair is part of it). */
static double rep_normal(struct rep *r)
{
    double u1, u2, rad;

    if (r->has_spare) {
        r->has_spare = false;
        return r->spare;
    }
    u1 = sp_rng_uniform(&r->rng);
    u2 = sp_rng_uniform(&r->rng);
    rad = sqrt(-2.0 * log(u1));
    r->spare = rad * sin(6.283185307179586 * u2);
    r->has_spare = true;
    return rad * cos(6.283185307179586 * u2);
}

static struct application *push_application(struct rep *r)
{
    if (r->n_appl == r->cap_appl)
        SP_GROW(r->appl, r->cap_appl, r->n_appl + 1);
    return &r->appl[r->n_appl++];
}

/* A market applicant's utility of an application with these AP_* flags (the
 * order of their rank list): sp_utility_program's fit terms, x 0.8 in the backup
 * specialty. (The inserted student has the plan's own, student_util.) */
static double util_flags(unsigned flags)
{
    return (SP_FIT_BASE + SP_FIT_DIVISION * ((flags & AP_GEO) != 0) +
            SP_FIT_IN_STATE * ((flags & AP_IN_STATE) != 0)) *
           ((flags & AP_BACKUP) ? 0.8 : 1.0);
}

static double step2_draw(struct rep *r, const struct sim_step2 *d)
{
    double med = sp_rng_uniform(&r->rng) < d->p_matched ? d->med_matched : d->med_unmatched;
    double x = med + d->sd * rep_normal(r);

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
                a->e = r->m->sigma * rep_normal(r);
                a->k[0] = (int8_t)k;
                a->s[0] = sim->base[k][k][ty] + r->m->spec[k].beta_step2 * a->z;
                a->k[1] = -1;
                double share = pp->backup_share_spec[k] > 0 ? pp->backup_share_spec[k]
                                                            : pp->backup_share[ty];
                if (sp_rng_uniform(&r->rng) < share && kb < SP_SPEC_COUNT) {
                    a->k[1] = (int8_t)kb;
                    a->s[1] = sim->base[k][kb][ty] + r->m->spec[kb].beta_step2 * a->z;
                }
                while (st < sim->n_states - 1 && sim->state_w[st] < u)
                    st++;
                a->state = (uint16_t)st;
                /* Preferred divisions: home and, each with probability 1/2, one or two
                 * more (~23% of a specialty's programs, ~5% in the home state: the reference's
                 * shares, docs/MODEL.md). */
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
        a->e = r->m->sigma * rep_normal(r);
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

/* The interview logit of an application with these AP_* flags but before its
 * signal: strength se (including what only programs see) plus the effects. */
static inline double interview_logit_base(const struct sp_model *m, double se, unsigned flags)
{
    return (se + ((flags & AP_GEO) ? m->geo.interview : 0.0) +
            ((flags & AP_IN_STATE) ? m->in_state.interview : 0.0)) +
           (((flags & AP_HOME) ? m->home.interview : 0.0) +
            ((flags & AP_AWAY) ? m->away.interview : 0.0));
}

/* The interview logit of an application to specialty k: interview_logit_base plus
 * its signal's effect there. */
static inline double interview_logit(const struct rep *r, int k, double se, unsigned flags,
                                     unsigned signal)
{
    return interview_logit_base(r->m, se, flags) + r->sim->signal[k][signal].interview;
}

/* The program's view of application x of interview logit li: li plus the
 * program's logistic noise, a counter-based draw at x (sp_rng_at), so the key does
 * not depend on when or where it is computed: apply's loop and refill_pools get
 * the same bits. */
static inline float interview_key(const struct sp_sim *sim, uint64_t key_seed, size_t x, double li,
                                  double noise)
{
    return (float)(li + noise * sim_logistic_noise(sim, (uint32_t)(sp_rng_at(key_seed, x) >> 32)));
}

/* interview_key for application x of strength se, from its flags and signal. */
static inline float interview_key_of(const struct rep *r, size_t x, double se, double noise)
{
    const struct application *ap = &r->appl[x];

    return interview_key(r->sim, r->key_seed, x,
                         interview_logit(r, r->sim->progs[ap->prog].k, se, ap->flags, ap->signal),
                         noise);
}

/* Offer application ap with this key to its program's pool: streaming selection
 * of the best. Applications arrive in index order (cand_id rising), so one that
 * only ties the cut loses the tie, as in cand_before. The candidate is written in any case and
 * counted only when it passes (no branch to mispredict); a full pool keeps its
 * better half and raises the cut to the worst kept. */
static inline void pool_offer(struct rep *r, const struct application *ap, float key)
{
    struct pool_state *st = &r->ps[ap->prog];
    struct cand *pool = r->pool + st->first;
    uint32_t n = st->n;

    pool[n] = (struct cand){key, cand_id(ap)};
    n += key > st->cut;
    st->n = n;
    if (n == st->cap) {
        uint32_t slots = n / 2;
        float cut = HUGE_VALF;
        select_top_cand(pool, n, slots);
        for (uint32_t y = 0; y < slots; y++)
            cut = pool[y].key < cut ? pool[y].key : cut;
        st->cut = cut;
        st->n = slots;
    }
}

/* One source of candidates for the best-gain search: a cursor walking one kind's
 * applications away from the peak of the gain. */
struct sig_head {
    const int32_t *member;
    int32_t at, end, step; /* next member index, one past the last, +1 or -1 */
    double util, key;
};

static double signal_gain(const struct rep *r, int k, int level, double l)
{
    double g = sim_tab(r->sim->gain[k][level], l);

    if (isnan(g)) {
        double gamma =
            r->sim->signal[k][level == 0 ? SP_SIGNAL_GOLD : SP_SIGNAL_SILVER].interview;
        g = 1.0 / (1.0 + exp(-(l + gamma))) - 1.0 / (1.0 + exp(-l));
    }
    return g;
}

/* Move h to its next member not already signalled and compute its key; key =
 * -1 when it is exhausted. */
static void head_settle(const struct rep *r, struct sig_head *h, size_t start, int k, int level)
{
    while (h->at != h->end && r->appl[start + (size_t)h->member[h->at]].signal)
        h->at += h->step;
    h->key = h->at == h->end ? -1.0 : h->util * signal_gain(r, k, level, r->lg[h->member[h->at]]);
}

/* Gold signals on the applications where a gold signal raises utility x
 * P(interview) most, then silver where silver does among the rest (the gain of
 * one signal does not depend on where the others go). The gain
 * logistic(l + gamma) - logistic(l) of an interview logit l peaks at -gamma / 2.
 * Within one kind of application the utility is one value and the logits fall
 * (least selective first), so each kind is two sequences of falling gain walking
 * away from the peak: the best come from repeatedly taking the best of (at most)
 * eight sequence heads. Work in the signal count, not in the applications. Ties
 * go to the lower head (kind, then the side towards the less selective). */
static void place_signals(struct rep *r, size_t start, int k, int gold, int silver, double backup)
{
    const struct sig_scratch *sg = &r->sig;

    for (int level = 0; level < 2; level++) {
        int count = level == 0 ? gold : silver;
        struct sig_head heads[8];
        size_t nh = 0;
        if (count <= 0)
            continue;
        for (int cl = 0; cl < 4; cl++) {
            const int32_t *mem = sg->member[cl];
            int32_t lo = (int32_t)sg->n_above[level][cl]; /* the first logit below the peak */
            double util = (SP_FIT_BASE + SP_FIT_DIVISION * (cl & 1) + SP_FIT_IN_STATE * (cl >> 1)) * backup;
            if (sg->n_member[cl] == 0)
                continue;
            heads[nh++] = (struct sig_head){mem, lo - 1, -1, -1, util, 0};
            heads[nh++] = (struct sig_head){mem, lo, (int32_t)sg->n_member[cl], +1, util, 0};
        }
        for (size_t h = 0; h < nh; h++)
            head_settle(r, &heads[h], start, k, level);
        for (int c = 0; c < count; c++) {
            size_t best = nh;
            for (size_t h = 0; h < nh; h++) {
                if (heads[h].key >= 0 && (best == nh || heads[h].key > heads[best].key))
                    best = h;
            }
            if (best == nh)
                break; /* fewer applications than signals */
            r->appl[start + (size_t)heads[best].member[heads[best].at]].signal =
                (uint8_t)(level == 0 ? SP_SIGNAL_GOLD : SP_SIGNAL_SILVER);
            heads[best].at += heads[best].step;
            head_settle(r, &heads[best], start, k, level);
        }
    }
}

/* The scale c with sum_j min(1, c w_j) = n (0 < n <= number of w_j > 0): the
 * fixed point of c = (n - #capped) / (sum of the uncapped w), which rises
 * monotonically from n / sum w and settles in a few rounds. A round whose new c
 * caps none of the uncapped (c times their largest stays below 1) is the last:
 * the next would find the same capped set and the same c. */
static double capped_scale(enum sim_isa isa, const float *w, size_t N, int n, double c)
{
    for (int round = 0; round < 64; round++) {
        size_t capped;
        float rest_max;
        double rest = sim_uncapped_sum(isa, w, N, (float)c, &capped, &rest_max), next;
        if (!(rest > 0) || capped >= (size_t)n)
            break;
        next = ((double)n - (double)capped) / rest;
        if (next == c)
            break;
        if (next > c && (float)next * rest_max < 1.0f)
            return next;
        c = next;
    }
    return c;
}

/* Applications of applicant ai to specialty k, then the signals where they raise
 * P(interview) most.
 *
 * Poisson sampling: the applicant applies to each program j of k independently
 * with probability pi_j = min(1, c w_j), where w_j is the planner's utility x
 * P(interview) for this applicant (sp_utility_program's fit terms x logistic(a_k +
 * s - q_j + geography and in-state effects)) x the prestige factor
 * e^(application_prestige q_j) (sim_weigh), and c makes sum_j pi_j = n, the
 * typical count: n applications on average, each program the more likely the more
 * the applicant values it. */
static void apply(struct rep *r, int32_t ai, int slot, int n, int gold, int silver)
{
    const struct sp_sim *sim = r->sim;
    const struct sp_model *m = r->m;
    struct applicant *a = &r->apps[ai];
    int k = a->k[slot];
    size_t lo = sim->spec_first[k], N = sim->spec_first[k + 1] - lo, picked;
    double gi = m->geo.interview, ii = m->in_state.interview;
    double base = m->spec[k].a + a->s[slot];
    double backup = slot ? 0.8 : 1.0;
    double sum, c, ea = exp(-base), noise = sim->interview_noise[k],
                   se = a->s[slot] + m->spec[k].market_shift[a->type] + a->e,
                   li[4][3];
    float wmax;
    struct sim_weigh_in in = {(float)ea, (float)sim->exp_neg_geo, (float)sim->exp_neg_in_state,
                              a->divs, a->state};
    struct sig_scratch *sg = &r->sig;
    size_t start = r->n_appl;

    if ((size_t)n > N)
        n = (int)N;
    sum = sim_weigh(sim->isa, sim->eqf + lo, sim->pqf + lo, sim->xbit + lo, sim->xstate + lo, N,
                    &in, r->w, &wmax);
    c = sum > 0 ? n / sum : 0;
    if (c * wmax > 1)
        c = capped_scale(sim->isa, r->w, N, n, c);
    picked = sim_draw_programs(sim->isa, &r->rng, r->w, N, (float)(c * 65536.0), r->pick);
    /* The applications, least selective first; by kind (in a preferred division,
     * in state) they form runs of one utility and falling logit (place_signals).
     * Counters in locals: through r, each would be a load and a store a program. */
    if (r->n_appl + picked > r->cap_appl)
        SP_GROW(r->appl, r->cap_appl, r->n_appl + picked);
    {
        struct application *ap = r->appl + start;
        uint32_t divs = a->divs;
        int32_t state = a->state;
        size_t n_member[4] = {0, 0, 0, 0}, n_above[2][4] = {{0}}, n_geo = 0, n_in_state = 0;
        double peak_gold = -sim->signal[k][SP_SIGNAL_GOLD].interview / 2,
               peak_silver = -sim->signal[k][SP_SIGNAL_SILVER].interview / 2;
        uint8_t backup_flag = slot ? AP_BACKUP : 0;
        for (size_t p = 0; p < picked; p++, ap++) {
            size_t x = lo + r->pick[p];
            unsigned geo = (sim->xbit[x] & divs) != 0, ins = sim->xstate[x] == state;
            unsigned cl = geo + 2 * ins;
            *ap = (struct application){
                ai, sim->dprog[x], SP_SIGNAL_NONE,
                (uint8_t)(backup_flag | (geo ? AP_GEO : 0) | (ins ? AP_IN_STATE : 0))};
            double l = base - sim->xq[x] + geo * gi + ins * ii;
            r->lg[p] = l;
            sg->member[cl][n_member[cl]++] = (int32_t)p;
            n_above[0][cl] += l >= peak_gold;
            n_above[1][cl] += l >= peak_silver;
            n_geo += geo;
            n_in_state += ins;
        }
        memcpy(sg->n_member, n_member, sizeof(n_member));
        memcpy(sg->n_above, n_above, sizeof(n_above));
        r->n_appl += picked;
        r->n_geo += n_geo;
        r->n_in_state += n_in_state;
    }
    place_signals(r, start, k, gold, silver, backup);
    /* The keys: the interview logit takes one of twelve values (kind, signal). */
    for (unsigned cl = 0; cl < 4; cl++) {
        for (unsigned sig = 0; sig < 3; sig++)
            li[cl][sig] =
                interview_logit(r, k, se, (cl & 1 ? AP_GEO : 0u) | (cl & 2 ? AP_IN_STATE : 0u), sig);
    }
    {
        const size_t end = r->n_appl;
        const uint64_t key_seed = r->key_seed;
        for (size_t x = start; x < end; x++) {
            const struct application *ap = &r->appl[x];
            pool_offer(
                r, ap,
                interview_key(sim, key_seed, x, li[(ap->flags >> 1) & 3][ap->signal], noise));
        }
        if (a->type <= SP_APP_US_DO && !a->student) {
            for (size_t x = start; x < end; x++)
                r->signal_apps[k][r->appl[x].signal]++;
        }
    }
}

static void draw_applications(struct rep *r)
{
    const struct sp_sim *sim = r->sim;
    size_t total = 0;

    /* The expected count, plus 8 standard deviations (the count of a Poisson
     * sample has variance below its mean): growth is a fallback, never the rule. */
    for (size_t i = 0; i < r->n_market; i++) {
        const struct applicant *a = &r->apps[i];
        for (int slot = 0; slot < 2; slot++) {
            if (a->k[slot] >= 0)
                total += (size_t)sim->n_apply[a->k[slot]][a->type][slot];
        }
    }
    total += (size_t)(8 * sqrt((double)total)) + sim->n_progs;
    if (sim->student)
        total += sim->student->n_apps;
    r->work->appl = reserve(r->work->appl, &r->work->cap_appl, total, sizeof(*r->appl));
    r->appl = r->work->appl;
    r->cap_appl = r->work->cap_appl;
    for (size_t i = 0; i < r->n_market; i++) {
        struct applicant *a = &r->apps[i];
        a->first = (int32_t)r->n_appl;
        for (int slot = 0; slot < 2; slot++) {
            int k = a->k[slot], gold, silver;
            if (k < 0)
                continue;
            gold = sp_sim__signals(sim, k, true);
            silver = sp_sim__signals(sim, k, false);
            /* DR and IR share one pool: split when applying to both. */
            if ((k == SP_SPEC_IR || k == SP_SPEC_DR) &&
                (a->k[1 - slot] == SP_SPEC_IR || a->k[1 - slot] == SP_SPEC_DR)) {
                gold /= 2;
                silver /= 2;
            }
            apply(r, (int32_t)i, slot, sim->n_apply[k][a->type][slot], gold, silver);
        }
        a->n = (int32_t)(r->n_appl - (size_t)a->first);
    }
    if (sim->student) {
        const struct sp_sim_student *st = sim->student;
        struct applicant *a = &r->apps[r->n_market];
        size_t n_all;
        const struct sp_program *base = sp_catalog_programs(sim->cat, &n_all);
        a->first = (int32_t)r->n_appl;
        r->student_util = sp_xcalloc(sim->n_progs ? sim->n_progs : 1, sizeof(double));
        for (size_t x = 0; x < st->n_apps; x++) {
            const struct sp_sim_student_app *sa = &st->apps[x];
            const struct sp_program *cp = &base[sa->program];
            size_t lo = sim->spec_first[cp->specialty], hi = sim->spec_first[cp->specialty + 1];
            for (size_t j = lo; j < hi; j++) {
                if (sim->progs[j].cat == sa->program) {
                    struct application *ap = push_application(r);
                    r->student_util[j] = sa->utility;
                    ap->applicant = (int32_t)r->n_market;
                    ap->prog = (uint16_t)j;
                    ap->signal = (uint8_t)sa->signal;
                    ap->flags =
                        (uint8_t)((sa->fx.geo ? AP_GEO : 0) | (sa->fx.in_state ? AP_IN_STATE : 0) |
                                  (sa->fx.home ? AP_HOME : 0) | (sa->fx.away ? AP_AWAY : 0));
                    pool_offer(r, ap,
                               interview_key_of(r, r->n_appl - 1,
                                                st->strength[sim->progs[j].k] +
                                                    r->m->spec[sim->progs[j].k]
                                                        .market_shift[st->type] +
                                                    a->e,
                                                sim->interview_noise[sim->progs[j].k]));
                    break;
                }
            }
        }
        a->n = (int32_t)(r->n_appl - (size_t)a->first);
    }
}

/* How k's programs see applicant a, applying there as a backup or not: the
 * applicant's strength (the inserted student has one per specialty, from the plan)
 * and the market's shift of its type in k. */
static double programs_view(const struct rep *r, const struct applicant *a, int k, bool backup)
{
    return (a->student ? r->sim->student->strength[k] : a->s[backup]) +
           r->m->spec[k].market_shift[a->type];
}

/* The pools that started above a cut (pool_cut_after) and took fewer candidates
 * than their slots may have turned away some of their best: refill those from all
 * the applications (their keys are counter-based, so the same). Rare: the cut has
 * a margin. */
static void refill_pools(struct rep *r)
{
    const struct sp_sim *sim = r->sim;
    uint8_t *redo = NULL;
    size_t n_redo = 0;

    for (size_t j = 0; j < sim->n_progs; j++) {
        if (r->ps[j].n < (uint32_t)sim->progs[j].slots && r->ps[j].cut > -HUGE_VALF) {
            if (!redo)
                redo = sp_xcalloc(sim->n_progs, 1);
            redo[j] = 1;
            r->ps[j].cut = -HUGE_VALF;
            r->ps[j].n = 0;
            n_redo++;
        }
    }
    for (size_t x = 0; n_redo > 0 && x < r->n_appl; x++) {
        const struct application *ap = &r->appl[x];
        if (redo[ap->prog]) {
            const struct applicant *a = &r->apps[ap->applicant];
            double se = programs_view(r, a, sim->progs[ap->prog].k, HAS(ap, AP_BACKUP)) + a->e;
            pool_offer(r, ap,
                       interview_key_of(r, x, se, sim->interview_noise[sim->progs[ap->prog].k]));
        }
    }
    free(redo);
}

/* The cut a program's pool starts from in the worker's next replication: the key of
 * its last interviewee in this one, less a margin of SIM_CUT_MARGIN x its noise
 * scale (-inf when it had fewer applicants than slots). Only speed depends on it:
 * a pool that fills keeps the same best candidates with or without it, and
 * refill_pools catches one that does not. */
static float pool_cut_after(const struct rep *r, size_t j, const struct cand *best, size_t take)
{
    const struct sim_prog *p = &r->sim->progs[j];
    float cut = HUGE_VALF;

    if (take < (size_t)p->slots)
        return -HUGE_VALF;
    for (size_t x = 0; x < take; x++)
        cut = best[x].key < cut ? best[x].key : cut;
    return cut - (float)(SIM_CUT_MARGIN * r->sim->interview_noise[p->k]);
}

/* The interviews of one replication, in program order, while the lists are formed. */
struct ivw_scratch {
    size_t *prog;          /* program j's interviews are [prog[j], prog[j + 1]) */
    int32_t *applicant;    /* per interview: its applicant */
    uint32_t *id;          /* ... and its cand_id */
    struct interview *ivx; /* interviews as made */
    uint64_t *keys;        /* ... and their rank keys */
    size_t n;
};

/* The market's interview threshold of program j, and its interviews. */
static void observe_interviews(struct rep *r, size_t j, const struct cand *best, size_t take)
{
    const struct sim_prog *p = &r->sim->progs[j];
    float thr = HUGE_VALF;

    if (p->slots <= 0 || p->cap_c + p->cap_a <= 0)
        thr = HUGE_VALF;
    else if (take < (size_t)p->slots)
        thr = -HUGE_VALF;
    else {
        for (size_t x = 0; x < take; x++)
            thr = best[x].key < thr ? best[x].key : thr;
    }
    if (r->obs->threshold)
        r->obs->threshold[p->cat] = thr;
    if (r->obs->interviews)
        r->obs->interviews[p->cat] += (double)take;
}

/* Pass 1: each program's interviewees, the best of its pool up to its slots; records
 * the cut its pool starts from in the worker's next replication. */
static void select_interviewees(struct rep *r, struct ivw_scratch *s)
{
    const struct sp_sim *sim = r->sim;
    size_t np = sim->n_progs, n_ivw = 0;
    size_t *ivw_prog = s->prog;
    uint32_t *ivid = s->id;

    for (size_t j = 0; j < np; j++) {
        size_t n = r->ps[j].n,
               take = n < (size_t)sim->progs[j].slots ? n : (size_t)sim->progs[j].slots;
        struct cand *best = r->pool + r->ps[j].first;
        float start = r->work->start_cut[j];
        if (start > -HUGE_VALF)
            select_top_cand_near(
                best, n, take,
                start + (float)(SIM_CUT_MARGIN * sim->interview_noise[sim->progs[j].k]));
        else
            select_top_cand(best, n, take);
        r->work->start_cut[j] = pool_cut_after(r, j, best, take);
        if (r->obs)
            observe_interviews(r, j, best, take);
        ivw_prog[j] = n_ivw;
        for (size_t x = 0; x < take; x++)
            ivid[n_ivw++] = best[x].id;
    }
    ivw_prog[np] = n_ivw;
}

/* Pass 2: the match-stage logit with noise of every interview; the rank noise a
 * counter-based draw at (applicant, program). Counts each applicant's interviews. */
static void interview_rank_keys(struct rep *r, const struct ivw_scratch *s)
{
    const struct sp_sim *sim = r->sim;
    const struct sp_model *m = r->m;
    size_t np = sim->n_progs, n_ivw = s->n;
    const size_t *ivw_prog = s->prog;
    const uint32_t *ivid = s->id;
    int32_t *iva = s->applicant;
    struct interview *ivx = s->ivx;
    uint64_t *keys = s->keys;
    for (size_t j = 0; j < np; j++) {
        const struct sim_prog *p = &sim->progs[j];
        double rnoise = sim->rank_noise[p->k];
        for (size_t y = ivw_prog[j]; y < ivw_prog[j + 1]; y++) {
            uint32_t id = ivid[y];
            int32_t ai = cand_applicant(id);
            unsigned flags = cand_flags(id);
            const struct applicant *a = &r->apps[ai];
            double s_k = programs_view(r, a, p->k, (flags & AP_BACKUP) != 0);
            double lm;
            if (y + 16 < n_ivw)
                SIM_PREFETCH(&r->apps[cand_applicant(ivid[y + 16])]);
            lm = m->lambda * (s_k + a->e) + ((flags & AP_GEO) ? m->geo.match : 0.0) +
                 ((flags & AP_IN_STATE) ? m->in_state.match : 0.0) +
                 ((flags & AP_HOME) ? m->home.match : 0.0) +
                 ((flags & AP_AWAY) ? m->away.match : 0.0) +
                 sim->signal[p->k][cand_signal(id)].match;
            ivx[y] = (struct interview){(uint16_t)j, (uint8_t)flags, (uint8_t)cand_signal(id)};
            if (a->type <= SP_APP_US_DO && !a->student)
                r->signal_interviews[p->k][cand_signal(id)]++;
            iva[y] = ai;
            r->ivw_first[ai + 1]++;
            keys[y] = pack_desc(
                lm + rnoise *
                         sim_logistic_noise(
                             sim, (uint32_t)(sp_rng_at(r->rank_seed, (uint64_t)ai * np + j) >> 32)),
                (uint32_t)ai);
        }
    }
}

/* Pass 3: each program ranks the best rank_share of its interviewees. */
static void program_lists(const struct rep *r, const struct ivw_scratch *s, int32_t *rol,
                          size_t *rol_first, size_t *rol_n)
{
    const struct sp_sim *sim = r->sim;
    size_t np = sim->n_progs, n_rol = 0;
    const size_t *ivw_prog = s->prog;

    for (size_t j = 0; j < np; j++) {
        size_t take = ivw_prog[j + 1] - ivw_prog[j];
        size_t ranked = (size_t)ceil(sim->params.rank_share * (double)take);
        uint64_t *kj = s->keys + ivw_prog[j];
        sort_packed(kj, take);
        if (ranked > take)
            ranked = take;
        rol_first[j] = n_rol;
        rol_n[j] = ranked;
        if (r->rank_key) {
            for (size_t x = 0; x < ranked; x++)
                r->rank_key[n_rol + x] = packed_key(kj[x]);
        }
        for (size_t x = 0; x < ranked; x++)
            rol[n_rol++] = (int32_t)packed_index(kj[x]);
    }
}

/* Group the interviews by applicant (counting sort, stable) into r->ivw. */
static void group_interviews(struct rep *r, const struct ivw_scratch *s)
{
    size_t n_ivw = s->n;
    const int32_t *iva = s->applicant;
    const struct interview *ivx = s->ivx;

    r->ivw = sp_xmalloc((n_ivw ? n_ivw : 1) * sizeof(*r->ivw));
    for (size_t i = 0; i < r->n_apps; i++)
        r->ivw_first[i + 1] += r->ivw_first[i];
    size_t *fill_a = sp_xcalloc(r->n_apps + 1, sizeof(size_t));
    for (size_t y = 0; y < n_ivw; y++) {
        size_t i = (size_t)iva[y];
        r->ivw[r->ivw_first[i] + fill_a[i]++] = ivx[y];
    }
    free(fill_a);
}

/* Programs interview their best applicants up to their slots, seen through the
 * model's interview logit with noise; they rank the best rank_share of those they
 * interviewed by the match logit with noise. rol_first/rol_n index into rol.
 * Three passes, so that the scattered reads of applications and applicants
 * overlap (prefetched a few interviews ahead) instead of waiting one by one:
 * select each program's interviewees, compute every interview's rank key, then
 * sort each program's list. */
static void interviews_and_program_lists(struct rep *r, int32_t **rol_out, size_t *rol_first,
                                         size_t *rol_n)
{
    const struct sp_sim *sim = r->sim;
    size_t np = sim->n_progs, n_ivw = 0;
    struct ivw_scratch s;

    refill_pools(r);
    s.prog = sp_xcalloc(np + 1, sizeof(size_t));
    for (size_t j = 0; j < np; j++) {
        size_t n = r->ps[j].n;
        n_ivw += n < (size_t)sim->progs[j].slots ? n : (size_t)sim->progs[j].slots;
    }
    r->work->rol = reserve(r->work->rol, &r->work->cap_rol, n_ivw, sizeof(*r->work->rol));
    /* written in full before they are read: no zeroing */
    s.ivx = sp_xmalloc((n_ivw ? n_ivw : 1) * sizeof(*s.ivx));
    s.applicant = sp_xmalloc((n_ivw ? n_ivw : 1) * sizeof(int32_t));
    s.id = sp_xmalloc((n_ivw ? n_ivw : 1) * sizeof(uint32_t));
    s.keys = sp_xmalloc((n_ivw ? n_ivw : 1) * sizeof(*s.keys));
    s.n = n_ivw;
    if (r->obs)
        r->rank_key = sp_xmalloc((n_ivw ? n_ivw : 1) * sizeof(float));
    select_interviewees(r, &s);
    interview_rank_keys(r, &s);
    program_lists(r, &s, r->work->rol, rol_first, rol_n);
    group_interviews(r, &s);
    free(s.ivx);
    free(s.applicant);
    free(s.id);
    free(s.keys);
    free(s.prog);
    *rol_out = r->work->rol;
}

/* An applicant's rank order list: interviewed programs, preferred specialty
 * first, then by utility + prestige + the preference for a program signalled
 * (sp_model.signal_rank) + noise; categorical before advanced. */
static size_t applicant_list(struct rep *r, size_t i, int32_t *out, bool *has_advanced,
                             uint64_t *keys)
{
    const struct sp_sim *sim = r->sim;
    const struct applicant *a = &r->apps[i];
    const double signal_rank[3] = {[SP_SIGNAL_NONE] = 0.0,
                                   [SP_SIGNAL_SILVER] = 0.5 * r->m->signal_rank,
                                   [SP_SIGNAL_GOLD] = r->m->signal_rank};
    size_t n = 0, len = 0;

    for (size_t y = r->ivw_first[i]; y < r->ivw_first[i + 1]; y++) {
        const struct interview *iv = &r->ivw[y];
        double key = (iv->flags & AP_BACKUP) ? 0.0 : 10.0;
        if (a->student) {
            key += r->student_util[iv->prog];
        } else {
            /* utility + prestige + logistic noise with SD applicant_rank_noise
             * (scale SD * sqrt(3) / pi) */
            key += signal_rank[iv->signal] + util_flags(iv->flags) +
                   sim->params.applicant_prestige * sim->progs[iv->prog].q +
                   sim->params.applicant_rank_noise * 0.5513288954217921 *
                       sim_logistic_noise(sim, sp_rng_u32(&r->rng));
        }
        keys[n++] = pack_desc(key, iv->prog);
    }
    sort_packed(keys, n);
    *has_advanced = false;
    for (size_t x = 0; x < n; x++) {
        const struct sim_prog *p = &sim->progs[packed_index(keys[x])];
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

/* A supplemental-list entry: the PGY-1 program, who listed it, their score there. */
struct pre_entry {
    int32_t prog, applicant;
    double score;
};

/* Each PGY-1 program ranks those who listed it, by score (then applicant index):
 * the entries grouped by program (counting sort), each group sorted as packed
 * keys. */
static int pgy1_lists(sp_match_instance *in, const struct sp_sim *sim, const struct pre_entry *pre,
                      size_t n_pre, struct sp_err *err)
{
    size_t *first = sp_xcalloc((size_t)sim->n_prelim + 1, sizeof(size_t));
    uint64_t *keys = sp_xmalloc(n_pre * sizeof(uint64_t));
    int32_t *ids = sp_xmalloc(n_pre * sizeof(int32_t));
    int rc = 0;

    for (size_t e = 0; e < n_pre; e++)
        first[pre[e].prog - sim->prelim_first + 1]++;
    for (int p = 0; p < sim->n_prelim; p++)
        first[p + 1] += first[p];
    for (size_t e = 0; e < n_pre; e++)
        keys[first[pre[e].prog - sim->prelim_first]++] =
            pack_desc(pre[e].score, (uint32_t)pre[e].applicant);
    for (int p = sim->n_prelim; p > 0; p--) /* back to each group's start */
        first[p] = first[p - 1];
    first[0] = 0;
    for (int p = 0; p < sim->n_prelim && !rc; p++) {
        size_t lo = first[p], n = first[p + 1] - lo;
        if (n == 0)
            continue;
        sort_packed(keys + lo, n);
        for (size_t x = 0; x < n; x++)
            ids[x] = (int32_t)packed_index(keys[lo + x]);
        rc = sp_match_set_program_rol(in, sim->prelim_first + p, ids, n, 0, err);
    }
    free(first);
    free(keys);
    free(ids);
    return rc;
}

/* buf = tag then the decimal digits of i ("P12"): the Match engine's IDs for the
 * market's programs, applicants and couples, made ~30,000 times a replication
 * (snprintf would cost ~3 ms of it). buf has room for 22 bytes. */
static void entity_id(char *buf, char tag, size_t i)
{
    char digits[20];
    int n = 0;

    do {
        digits[n++] = (char)('0' + i % 10);
        i /= 10;
    } while (i > 0);
    *buf++ = tag;
    while (n > 0)
        *buf++ = digits[--n];
    *buf = '\0';
}

/* The supplemental-list entries of a replication, grown as lists are drawn. */
struct pre_list {
    struct pre_entry *items;
    size_t n, cap;
};

/* The market's programs (categorical, advanced, then the preliminary pool) and its
 * applicants, declared to the Match engine. */
static int declare_entities(sp_match_instance *in, const struct rep *r, struct sp_err *err)
{
    const struct sp_sim *sim = r->sim;
    char id[32];
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
        entity_id(id, 'P', (size_t)p);
        rc = sp_match_add_program(in, id, cap, track, 0, err) < 0 ? SP_EINVAL : 0;
    }
    for (size_t i = 0; i < r->n_apps && !rc; i++) {
        entity_id(id, 'A', i);
        rc = sp_match_add_applicant(in, id, 0, err) < 0 ? SP_EINVAL : 0;
    }
    return rc;
}

/* Applicant i, holding an advanced program on its list, ranks supplemental_len
 * preliminary programs drawn at random; each will rank it by score with noise. */
static int supplemental_list(sp_match_instance *in, struct rep *r, size_t i, struct pre_list *pre,
                             struct sp_err *err)
{
    const struct sp_sim *sim = r->sim;
    const struct applicant *a = &r->apps[i];
    int len = sim->params.supplemental_len;
    int32_t supp[64];
    int ns = 0;
    int rc;

    if (len > sim->n_prelim)
        len = sim->n_prelim;
    if (len > 64)
        len = 64;
    while (ns < len) {
        int32_t pick = sim->prelim_first + (int32_t)sp_rng_below(&r->rng, (uint32_t)sim->n_prelim);
        bool dup = false;
        for (int x = 0; x < ns; x++)
            dup |= supp[x] == pick;
        if (!dup)
            supp[ns++] = pick;
    }
    rc = sp_match_set_supplemental(in, (int)i, supp, (size_t)ns, 0, err);
    for (int x = 0; x < ns && !rc; x++) {
        if (pre->n == pre->cap)
            SP_GROW(pre->items, pre->cap, pre->n + 1);
        struct pre_entry *e = &pre->items[pre->n];
        e->prog = supp[x];
        e->applicant = (int32_t)i;
        e->score =
            a->s[0] + a->e + sim->params.rank_noise * sim_logistic_noise(sim, sp_rng_u32(&r->rng));
        pre->n++;
    }
    return rc;
}

/* Every applicant's rank order list, each couple's list of pairs (added with its first
 * member), and the supplemental lists. */
static int applicant_lists(sp_match_instance *in, struct rep *r, struct pre_list *pre,
                           struct sp_err *err)
{
    const struct sp_sim *sim = r->sim;
    char id[32];
    int32_t *list = sp_xcalloc(2 * sim->n_progs + 2, sizeof(int32_t));
    int32_t *list2 = sp_xcalloc(2 * sim->n_progs + 2, sizeof(int32_t));
    uint64_t *keys = sp_xcalloc(sim->n_progs + 1, sizeof(*keys));
    int32_t pairs[2 * MAX_PAIRS];
    int rc = 0;

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
            entity_id(id, 'C', i);
            if (np > 0)
                rc = sp_match_add_couple(in, id, (int)i, a->partner, pairs, np, 0, err) < 0
                         ? SP_EINVAL
                         : 0;
            continue;
        }
        if (n > 0)
            rc = sp_match_set_rol(in, (int)i, list, n, 0, err);
        if (!rc && adv && sim->n_prelim > 0)
            rc = supplemental_list(in, r, i, pre, err);
    }
    free(keys);
    free(list);
    free(list2);
    return rc;
}

static int run_match(struct rep *r, struct sp_match_result *res, const int32_t *prog_rol,
                     const size_t *rol_first, const size_t *rol_n, bool *no_stable,
                     struct sp_err *err)
{
    const struct sp_sim *sim = r->sim;
    sp_match_instance *in = sp_match_instance_new();
    /* Supplemental lists: who ranks which PGY-1 program, and how it ranks them. */
    struct pre_list pre = {0};
    struct sp_match_options opts = SP_MATCH_OPTIONS_INIT;
    int rc;

    rc = declare_entities(in, r, err);
    for (size_t j = 0; j < sim->n_progs && !rc; j++) {
        const struct sim_prog *sp = &sim->progs[j];
        if (sp->mid_c >= 0)
            rc = sp_match_set_program_rol(in, sp->mid_c, prog_rol + rol_first[j], rol_n[j], 0, err);
        if (!rc && sp->mid_a >= 0)
            rc = sp_match_set_program_rol(in, sp->mid_a, prog_rol + rol_first[j], rol_n[j], 0, err);
    }
    if (!rc)
        rc = applicant_lists(in, r, &pre, err);
    if (!rc && pre.n > 0)
        rc = pgy1_lists(in, sim, pre.items, pre.n, err);
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
    free(pre.items);
    sp_match_instance_free(in);
    return rc;
}

static void reliability_count(struct sp_sim_reliability *t, double pred, double y)
{
    int bin = (int)(pred * SP_SIM_BINS);

    if (bin >= SP_SIM_BINS)
        bin = SP_SIM_BINS - 1;
    if (bin < 0)
        bin = 0;
    t->n[bin] += 1;
    t->pred[bin] += pred;
    t->obs[bin] += y;
    t->brier += (pred - y) * (pred - y);
}

/* The planner's P(match) for market applicant i's own applications and signals
 * (sp_list_p_match over the list, the latent term integrated as the planner does). */
static double planner_p_list(struct rep *r, size_t i)
{
    const struct sp_sim *sim = r->sim;
    const struct applicant *a = &r->apps[i];
    struct sp_list_item *items = sp_xcalloc(a->n ? (size_t)a->n : 1, sizeof(*items));
    double p;

    for (int32_t y = 0; y < a->n; y++) {
        const struct application *ap = &r->appl[a->first + y];
        struct sp_program_effects fx = {HAS(ap, AP_GEO), HAS(ap, AP_IN_STATE), false, false};
        struct sp_list_item *it = &items[y];
        sp_model_logits(&it->none, r->m, (enum sp_specialty)a->k[0], a->s[0],
                        sim->progs[ap->prog].q, &fx, (enum sp_signal)ap->signal);
        it->silver = it->gold = it->none;
        it->weight = 1;
    }
    p = sp_list_p_match(r->m, &sim->quad, items, (size_t)a->n, 0);
    free(items);
    return p;
}

/* r for replication rep_index of seed: its stream, seeds, signal effects and buffers
 * (the worker's, grown as needed; work->start_cut reset when the market changed). */
static void rep_init(struct rep *r, const sp_sim *sim, sp_sim_work *work, uint64_t seed,
                     uint64_t rep_index)
{
    size_t total = 0;

    memset(r, 0, sizeof(*r));
    r->sim = sim;
    r->m = sim->m;
    r->work = work;
    sp_rng_init(&r->rng, seed, rep_index);
    for (int k = 0; k < SP_SPEC_COUNT; k++) {
        for (int ty = 0; ty < SP_APP_TYPE_COUNT; ty++)
            total += sim->n_app[k][ty];
    }
    r->key_seed = sp_rng_u64(&r->rng);
    r->rank_seed = sp_rng_u64(&r->rng);
    if (work->n_start_cut != sim->n_progs) {
        free(work->start_cut);
        work->start_cut = sp_xcalloc(sim->n_progs ? sim->n_progs : 1, sizeof(float));
        work->n_start_cut = sim->n_progs;
        for (size_t j = 0; j < sim->n_progs; j++)
            work->start_cut[j] = -HUGE_VALF;
    }
    work->apps = reserve(work->apps, &work->cap_apps, total + 1, sizeof(*r->apps));
    r->apps = work->apps;
    memset(r->apps, 0, (total + 1) * sizeof(*r->apps));
    r->w = sp_xcalloc(sim->n_progs ? sim->n_progs : 1, sizeof(float));
    r->ps = sp_xcalloc(sim->n_progs + 1, sizeof(*r->ps));
    size_t room = 0;
    for (size_t j = 0; j < sim->n_progs; j++) {
        r->ps[j] = (struct pool_state){work->start_cut[j], 0, 2 * (uint32_t)sim->progs[j].slots,
                                       (uint32_t)room};
        room += r->ps[j].cap;
    }
    work->pool = reserve(work->pool, &work->cap_pool, room, sizeof(*r->pool));
    r->pool = work->pool;
    r->pick = sp_xcalloc(sim->n_progs + 4, sizeof(uint32_t));
    r->lg = sp_xcalloc(sim->n_progs ? sim->n_progs : 1, sizeof(double));
    for (int cl = 0; cl < 4; cl++)
        r->sig.member[cl] = sp_xcalloc(sim->n_progs ? sim->n_progs : 1, sizeof(int32_t));
}

/* Hand the buffers back to the worker; free the rest. */
static void rep_release(struct rep *r)
{
    r->work->appl = r->appl; /* push_application may have grown it */
    r->work->cap_appl = r->cap_appl;
    free(r->student_util);
    free(r->w);
    free(r->ps);
    free(r->ivw);
    free(r->ivw_first);
    free(r->pick);
    free(r->lg);
    free(r->rank_key);
    for (int cl = 0; cl < 4; cl++)
        free(r->sig.member[cl]);
}

/* Applicant i matched at Match program p of specialty km: the signal it sent there. */
static void count_signal_match(struct sp_sim_rep *out, const struct rep *r, size_t i, int32_t p,
                               int km)
{
    int32_t prog = r->sim->mprog_prog[p];
    const struct applicant *a = &r->apps[i];

    if (prog < 0)
        return;
    for (size_t v = r->ivw_first[i]; v < r->ivw_first[i + 1]; v++) {
        if (r->ivw[v].prog != (uint16_t)prog)
            continue;
        out->matched_signalled[km] += r->ivw[v].signal != SP_SIGNAL_NONE;
        if (a->type <= SP_APP_US_DO)
            out->signal_matches[km][r->ivw[v].signal] += 1;
        return;
    }
}

/* Count the replication's outcomes from the Match's result. */
static void count_outcomes(struct sp_sim_rep *out, struct rep *r, const struct sp_match_result *res)
{
    const struct sp_sim *sim = r->sim;

    out->student_matched = -1;
    out->applications = (double)r->n_appl;
    out->applications_geo = (double)r->n_geo;
    out->applications_in_state = (double)r->n_in_state;
    out->interviews = (double)r->ivw_first[r->n_apps];
    for (int k = 0; k < SP_SPEC_COUNT; k++) {
        for (int sig = 0; sig < 3; sig++) {
            out->signal_apps[k][sig] = r->signal_apps[k][sig];
            out->signal_interviews[k][sig] = r->signal_interviews[k][sig];
        }
    }
    for (int p = 0; p < sim->n_mprogs; p++) {
        int k = sim->mprog_spec[p];
        if (k < 0)
            continue;
        out->unfilled[k] += res->unfilled[p];
    }
    for (int k = 0; k < SP_SPEC_COUNT; k++)
        out->positions[k] = (double)sim->positions[k];
    for (size_t i = 0; i < r->n_apps; i++) {
        const struct applicant *a = &r->apps[i];
        int32_t p = res->program[i];
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
            out->rank_sum[km] += res->rank[i];
            out->n_in[km] += 1;
            out->filled_by_type[km][a->type] += 1;
            if (km == a->k[0])
                out->matched[km][a->type] += 1;
            count_signal_match(out, r, i, p, km);
        }
        if (sim->grid && a->k[1] < 0 && a->partner < 0) {
            double y = km == a->k[0] ? 1.0 : 0.0;
            reliability_count(&out->rel_typical, sp_sim__planner_p(sim, a->k[0], a->type, a->s[0]),
                              y);
            reliability_count(&out->rel_own, planner_p_list(r, i), y);
        }
    }
}

/* One track's cutoff: the rank key of its last match when it filled its cap. */
static float track_cutoff(int cap, int n_matched, float last)
{
    if (cap <= 0)
        return HUGE_VALF;
    return n_matched >= cap ? last : -HUGE_VALF;
}

/* Each program's match cutoff and positions filled, walking its list in rank order. */
static void observe_cutoffs(const struct rep *r, const struct sp_match_result *res,
                            const int32_t *rol, const size_t *rol_first, const size_t *rol_n)
{
    const struct sp_sim *sim = r->sim;

    for (size_t j = 0; j < sim->n_progs; j++) {
        const struct sim_prog *p = &sim->progs[j];
        int n_c = 0, n_a = 0;
        float last_c = HUGE_VALF, last_a = HUGE_VALF, cut_c, cut_a;
        for (size_t x = rol_first[j]; x < rol_first[j] + rol_n[j]; x++) {
            int32_t at = res->program[rol[x]];
            if (at >= 0 && at == p->mid_c) {
                n_c++;
                last_c = r->rank_key[x];
            } else if (at >= 0 && at == p->mid_a) {
                n_a++;
                last_a = r->rank_key[x];
            }
        }
        cut_c = track_cutoff(p->mid_c >= 0 ? p->cap_c : 0, n_c, last_c);
        cut_a = track_cutoff(p->mid_a >= 0 ? p->cap_a : 0, n_a, last_a);
        if (r->obs->cutoff)
            r->obs->cutoff[p->cat] = cut_c < cut_a ? cut_c : cut_a;
        if (r->obs->filled)
            r->obs->filled[p->cat] += n_c + n_a;
    }
}

/* Where an application stands geographically, for the records. */
static enum sp_sim_geo record_geo(unsigned flags)
{
    return (flags & AP_IN_STATE) ? SP_SIM_GEO_IN_STATE
           : (flags & AP_GEO)    ? SP_SIM_GEO_DIVISION
                                 : SP_SIM_GEO_NONE;
}

/* Hand the recorded applicants and their applications to obs->record. */
static int observe_records(const struct rep *r, const struct sp_match_result *res)
{
    const struct sp_sim *sim = r->sim;
    struct sp_sim_application_record *apps = NULL;
    size_t cap = 0;
    int rc = 0;

    for (size_t i = 0; i < r->n_apps && !rc; i++) {
        const struct applicant *a = &r->apps[i];
        struct sp_sim_applicant_record ar;
        int32_t mp = res->program[i];
        int32_t matched_prog = mp >= 0 ? sim->mprog_prog[mp] : -1;
        if (a->student || !(r->obs->record_specialties >> a->k[0] & 1u))
            continue;
        if ((size_t)a->n > cap) {
            cap = (size_t)a->n;
            apps = sp_xreallocarray(apps, cap, sizeof(*apps));
        }
        for (int32_t y = 0; y < a->n; y++) {
            const struct application *ap = &r->appl[a->first + y];
            const struct sim_prog *p = &sim->progs[ap->prog];
            bool ivw = false;
            for (size_t v = r->ivw_first[i]; v < r->ivw_first[i + 1] && !ivw; v++)
                ivw = r->ivw[v].prog == ap->prog;
            apps[y] = (struct sp_sim_application_record){
                .program = p->cat,
                .specialty = p->k,
                .signal = (enum sp_signal)ap->signal,
                .geo = record_geo(ap->flags),
                .interviewed = ivw,
                .ranked = ivw, /* applicants rank every program that interviewed them */
                .matched = matched_prog == (int32_t)ap->prog,
            };
        }
        ar = (struct sp_sim_applicant_record){
            .applicant = i,
            .type = (enum sp_applicant_type)a->type,
            .preferred = (enum sp_specialty)a->k[0],
            .step2_ck = 251.0 + 15.0 * a->z, /* step2_draw's standardisation, undone */
            .n_applications = a->n,
            .n_interviews = (int)(r->ivw_first[i + 1] - r->ivw_first[i]),
            .n_ranked = (int)(r->ivw_first[i + 1] - r->ivw_first[i]),
            .matched_specialty = mp >= 0 ? sim->mprog_spec[mp] : -1,
            .matched_program = matched_prog >= 0 ? sim->progs[matched_prog].cat : SIZE_MAX,
            .matched_rank = mp >= 0 ? res->rank[i] : 0,
        };
        rc = r->obs->record(&ar, apps, (size_t)a->n, r->obs->payload);
    }
    free(apps);
    if (!rc)
        rc = r->obs->record(NULL, NULL, 0, r->obs->payload); /* the replication ends */
    return rc;
}

int sp_sim_replicate(struct sp_sim_rep *out, const sp_sim *sim, sp_sim_work *work, uint64_t seed,
                     uint64_t rep_index, struct sp_err *err)
{
    return sp_sim_replicate_observed(out, sim, work, seed, rep_index, NULL, err);
}

int sp_sim_replicate_observed(struct sp_sim_rep *out, const sp_sim *sim, sp_sim_work *work,
                              uint64_t seed, uint64_t rep_index,
                              const struct sp_sim_observer *obs, struct sp_err *err)
{
    sp_sim_work *own = work ? NULL : sp_sim_work_new();
    struct rep r;
    int32_t *prog_rol = NULL;
    size_t *rol_first = NULL, *rol_n = NULL;
    struct sp_match_result res = SP_MATCH_RESULT_INIT;
    bool no_stable = false;
    int rc;

    memset(out, 0, sizeof(*out));
    rep_init(&r, sim, work ? work : own, seed, rep_index);
    r.obs = obs;
    draw_applicants(&r);
    draw_couples(&r);
    draw_applications(&r);
    rol_first = sp_xcalloc(sim->n_progs + 1, sizeof(size_t));
    rol_n = sp_xcalloc(sim->n_progs + 1, sizeof(size_t));
    r.ivw_first = sp_xcalloc(r.n_apps + 1, sizeof(size_t));
    interviews_and_program_lists(&r, &prog_rol, rol_first, rol_n);
    rc = run_match(&r, &res, prog_rol, rol_first, rol_n, &no_stable, err);
    if (rc)
        goto out;
    out->no_stable = no_stable;
    count_outcomes(out, &r, &res);
    if (obs && (obs->cutoff || obs->filled))
        observe_cutoffs(&r, &res, prog_rol, rol_first, rol_n);
    if (obs && obs->record && obs->record_specialties)
        rc = observe_records(&r, &res);
out:
    sp_match_result_release(&res);
    free(rol_first);
    free(rol_n);
    rep_release(&r);
    sp_sim_work_free(own);
    return rc;
}
