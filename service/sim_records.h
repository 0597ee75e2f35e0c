/*
 * sim_records.h - the simulated market's records (`smartpick simulate --records DIR`,
 * docs/SIMULATION.md "Records"): DIR/applicants.csv, one row per market applicant
 * of every replication, and DIR/applications.csv, one row per application.
 *
 * Streamed: each replication writes its own part files as it plays (on whichever
 * worker thread), which sp_records_finish concatenates in replication order and
 * removes, so the files are the same bytes for any number of threads and memory
 * holds one applicant's rows at a time.
 */
#ifndef SP_SERVICE_SIM_RECORDS_H
#define SP_SERVICE_SIM_RECORDS_H

#include "smartpick/catalog/catalog.h"
#include "smartpick/error.h"
#include "smartpick/sim/sim.h"

#include <stddef.h>

struct sp_records;

/* Records of n_reps replications of applicants preferring a specialty in
 * specialties (a bit per enum sp_specialty) into dir, created if missing. SP_EIO
 * (err names the path) when dir cannot be made or written. */
int sp_records_open(struct sp_records **out, const char *dir, unsigned specialties,
                    size_t n_reps, const sp_catalog *cat, struct sp_err *err);

/* The observer of replication i (an sp_app_sim_observe_fn; payload: the records). */
void sp_records_observe(struct sp_sim_observer *out, size_t i, void *payload);

/* Concatenate the parts under the headers and remove them. SP_EIO on a write error
 * (also one met while the replications played). */
int sp_records_finish(struct sp_records *r, struct sp_err *err);

/* Remove what is left of the parts and free. NULL is a no-op. */
void sp_records_free(struct sp_records *r);

#endif
