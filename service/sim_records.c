/*
 * The simulated market's records as two CSV files, written part by part per
 * replication and joined in replication order (sim_records.h).
 */
#include "sim_records.h"

#include "sp_alloc.h"
#include "sp_buf.h"

#include <errno.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "banned.h"

#define APPLICANTS_HEADER                                                                          \
    "replication,applicant_id,type,preferred_specialty,step2_ck,n_applications,n_interviews,"      \
    "n_ranked,matched_specialty,matched_acgme_id,matched_rank\n"
#define APPLICATIONS_HEADER                                                                        \
    "replication,applicant_id,acgme_id,specialty,signal,geographic_connection,interviewed,"        \
    "ranked,matched\n"

/* One replication's part files, open while it plays. */
struct part {
    struct sp_records *owner;
    size_t rep;
    FILE *applicants, *applications;
};

struct sp_records {
    char *dir;
    unsigned specialties;
    size_t n_reps;
    const struct sp_program *progs;
    struct part *parts;
    atomic_int failed; /* errno of the first write that failed, 0 none */
};

static void part_path(char *buf, size_t cap, const struct sp_records *r, size_t rep,
                      const char *what)
{
    snprintf(buf, cap, "%s/.part-%zu.%s.csv", r->dir, rep, what);
}

int sp_records_open(struct sp_records **out, const char *dir, unsigned specialties, size_t n_reps,
                    const sp_catalog *cat, struct sp_err *err)
{
    struct sp_records *r;
    size_t n;

    *out = NULL;
    if (mkdir(dir, 0777) != 0 && errno != EEXIST)
        return sp_err_set(err, SP_EIO, "%s: cannot make the directory: %s", dir, strerror(errno));
    r = sp_xcalloc(1, sizeof(*r));
    r->dir = sp_xstrdup(dir);
    r->specialties = specialties;
    r->n_reps = n_reps;
    r->progs = sp_catalog_programs(cat, &n);
    r->parts = sp_xcalloc(n_reps ? n_reps : 1, sizeof(*r->parts));
    atomic_init(&r->failed, 0);
    *out = r;
    return 0;
}

static void fail(struct sp_records *r, int e)
{
    int zero = 0;

    atomic_compare_exchange_strong(&r->failed, &zero, e ? e : EIO);
}

static const char *const type_codes[] = {"us_md", "us_do", "us_img", "non_us_img"};
static const char *const geo_codes[] = {"none", "division", "in_state"};

static int close_part(struct part *pt)
{
    int bad = 0;

    if (pt->applicants && fclose(pt->applicants) != 0)
        bad = errno;
    if (pt->applications && fclose(pt->applications) != 0)
        bad = errno;
    pt->applicants = pt->applications = NULL;
    return bad;
}

/* sp_sim_record_fn: one applicant's rows; a == NULL ends the replication. */
static int write_applicant(const struct sp_sim_applicant_record *a,
                           const struct sp_sim_application_record *apps, size_t n, void *payload)
{
    struct part *pt = payload;
    struct sp_records *r = pt->owner;
    int bad;

    if (!a) {
        bad = close_part(pt);
        if (bad)
            fail(r, bad);
        return 0;
    }
    if (!pt->applicants || !pt->applications)
        return 0;
    fprintf(pt->applicants, "%zu,%zu,%s,%s,%.0f,%d,%d,%d,%s,%s,", pt->rep, a->applicant,
            type_codes[a->type], sp_specialty_code(a->preferred), a->step2_ck, a->n_applications,
            a->n_interviews, a->n_ranked,
            a->matched_specialty >= 0 ? sp_specialty_code((enum sp_specialty)a->matched_specialty)
                                      : "",
            a->matched_program != SIZE_MAX ? r->progs[a->matched_program].acgme_id : "");
    if (a->matched_rank > 0)
        fprintf(pt->applicants, "%d", a->matched_rank);
    fputc('\n', pt->applicants);
    for (size_t i = 0; i < n; i++) {
        const struct sp_sim_application_record *x = &apps[i];
        fprintf(pt->applications, "%zu,%zu,%s,%s,%s,%s,%d,%d,%d\n", pt->rep, a->applicant,
                r->progs[x->program].acgme_id, sp_specialty_code(x->specialty),
                x->signal == SP_SIGNAL_GOLD     ? "gold"
                : x->signal == SP_SIGNAL_SILVER ? "silver"
                                                : "none",
                geo_codes[x->geo], x->interviewed, x->ranked, x->matched);
    }
    if (ferror(pt->applicants) || ferror(pt->applications))
        fail(r, errno);
    return 0;
}

void sp_records_observe(struct sp_sim_observer *out, size_t i, void *payload)
{
    struct sp_records *r = payload;
    struct part *pt = &r->parts[i];
    char path[4096];

    pt->owner = r;
    pt->rep = i;
    part_path(path, sizeof(path), r, i, "applicants");
    pt->applicants = fopen(path, "w");
    part_path(path, sizeof(path), r, i, "applications");
    pt->applications = fopen(path, "w");
    if (!pt->applicants || !pt->applications)
        fail(r, errno);
    out->record_specialties = r->specialties;
    out->record = write_applicant;
    out->payload = pt;
}

/* Append the parts of `what` to dir/what.csv under its header. */
static int join(struct sp_records *r, const char *what, const char *header, struct sp_err *err)
{
    char path[4096], part[4096];
    char buf[1 << 16];
    FILE *out;
    int rc = 0;

    snprintf(path, sizeof(path), "%s/%s.csv", r->dir, what);
    out = fopen(path, "w");
    if (!out)
        return sp_err_set(err, SP_EIO, "%s: %s", path, strerror(errno));
    fputs(header, out);
    for (size_t i = 0; i < r->n_reps && !rc; i++) {
        FILE *in;
        size_t got;
        part_path(part, sizeof(part), r, i, what);
        in = fopen(part, "r");
        if (!in) {
            rc = sp_err_set(err, SP_EIO, "%s: %s", part, strerror(errno));
            break;
        }
        while ((got = fread(buf, 1, sizeof(buf), in)) > 0) {
            if (fwrite(buf, 1, got, out) != got) {
                rc = sp_err_set(err, SP_EIO, "%s: %s", path, strerror(errno));
                break;
            }
        }
        fclose(in);
        remove(part);
    }
    if (fclose(out) != 0 && !rc)
        rc = sp_err_set(err, SP_EIO, "%s: %s", path, strerror(errno));
    return rc;
}

int sp_records_finish(struct sp_records *r, struct sp_err *err)
{
    int bad = atomic_load(&r->failed), rc;

    if (bad)
        return sp_err_set(err, SP_EIO, "%s: writing the records failed: %s", r->dir, strerror(bad));
    rc = join(r, "applicants", APPLICANTS_HEADER, err);
    if (!rc)
        rc = join(r, "applications", APPLICATIONS_HEADER, err);
    return rc;
}

void sp_records_free(struct sp_records *r)
{
    char path[4096];

    if (!r)
        return;
    for (size_t i = 0; i < r->n_reps; i++) {
        close_part(&r->parts[i]);
        part_path(path, sizeof(path), r, i, "applicants");
        remove(path);
        part_path(path, sizeof(path), r, i, "applications");
        remove(path);
    }
    free(r->parts);
    free(r->dir);
    free(r);
}
