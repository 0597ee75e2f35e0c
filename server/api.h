/*
 * api.h - what the server's files share: a request as the handlers see it, the
 * response they fill, the read-only world, the per-thread worker, the route
 * table's handler type and the helpers for JSON bodies and errors.
 *
 * A handler runs on one worker thread with its request; it reads the shared
 * world (never writes it), uses its worker's database connection, fills
 * a->res and returns. Errors are responses too: sp_api_fail() and friends.
 */
#ifndef SP_SERVER_API_H
#define SP_SERVER_API_H

#include "plan_options.h"
#include "smartpick/plan/plan.h"
#include "smartpick/model/profile.h"
#include "sp_buf.h"
#include "store.h"
#include "world.h"

#include <jansson.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define SP_API_BODY_MAX (1u << 20) /* request bodies: 1 MiB, else 413 */
#define SP_API_MAX_PARAMS 64       /* query parameters per request */

/* ---- the shared, read-only world ---- */

struct sp_server_ctx {
    struct sp_world world; /* catalog, facts, model, selectivities, fees: immutable after load */
    char *db;       /* database path, for the workers' own connections */
    char *web_root; /* NULL: serve the embedded assets */
    char *tmpdir;   /* directory for XLSX exports ($TMPDIR or /tmp; files 0600, unlinked) */
};

/* ---- per worker thread ---- */

#define SP_WORKER_CENTROIDS 80

struct sp_worker {
    sp_store *store; /* this thread's connection, opened on first use */
    /* State centroids already looked up (the plan's distances): reference data,
     * the same for every request, so a thread asks SQLite once per state. */
    struct {
        char state[3];
        int rc;
        struct sp_point where;
    } centroids[SP_WORKER_CENTROIDS];
    size_t n_centroids;
};

/* ---- a request and its response ---- */

struct sp_param {
    char *key;   /* decoded */
    char *value; /* decoded; "" for a bare key */
};

/* A request-target split and percent-decoded (server/http.c). */
struct sp_target {
    char *path;              /* decoded path; NULL when it was not valid */
    struct sp_param *params; /* decoded query parameters, in order */
    size_t n_params;
    bool query_ok; /* false: the query had a bad escape or too many parts */
};

struct sp_header {
    const char *name;
    char value[192];
};

#define SP_API_MAX_HEADERS 4

struct sp_response {
    unsigned status;
    const char *content_type;
    struct sp_buf body;      /* owned; handed to MHD */
    const void *static_body; /* or: borrowed bytes that outlive the server (assets) */
    size_t static_len;
    struct sp_header headers[SP_API_MAX_HEADERS];
    size_t n_headers;
};

struct sp_api {
    const struct sp_server_ctx *ctx;
    struct sp_worker *worker;
    const char *method; /* "GET", "POST", ... */
    const struct sp_target *target;
    const char *path_id; /* the {id} segment of the route, or NULL */
    const char *body;    /* NUL-terminated */
    size_t body_len;
    const char *if_none_match; /* request header, or NULL */
    struct sp_response res;
};

typedef void (*sp_api_handler)(struct sp_api *a);

/* ---- errors (docs/HTTP_API.md "Errors") ---- */

/* A failure as the API reports it: status, reason (its name is the JSON "code",
 * sp_why_name), JSON path of the field (empty: null) and message. */
struct sp_api_err {
    unsigned status;
    enum sp_why why;
    char field[128];
    char message[SP_ERR_MSG_MAX + 64];
};

/* Fill e. field may be NULL. */
void sp_api_err_vset(struct sp_api_err *e, unsigned status, enum sp_why why, const char *field,
                     const char *fmt, va_list ap) __attribute__((format(printf, 5, 0)));
void sp_api_err_set(struct sp_api_err *e, unsigned status, enum sp_why why, const char *field,
                    const char *fmt, ...) __attribute__((format(printf, 5, 6)));

/*
 * From a library error, by its code, reason and field, never its text: the field
 * goes under prefix (the request's key for the document the library read,
 * "profile", "instance"; NULL: none) and so does the message, whose first err->at
 * bytes name the field. SP_WHY_UNKNOWN_FIELD is unknown_field; SP_WHY_MODEL,
 * SP_EDB and SP_EIO are 500 internal with no field; the rest is 400 invalid. A
 * field that is not a plain JSON path (a user's key with spaces) is reported as
 * its document (prefix, or null).
 */
void sp_api_err_from(struct sp_api_err *e, const struct sp_err *err, const char *prefix);

/* The response for e: {"error": {"code", "message", "field"}}. */
void sp_api_fail(struct sp_api *a, const struct sp_api_err *e);
/* Shorthand for sp_api_err_set + sp_api_fail. */
void sp_api_failf(struct sp_api *a, unsigned status, enum sp_why why, const char *field,
                  const char *fmt, ...) __attribute__((format(printf, 5, 6)));
/* The error document alone (for responses made outside a handler). */
void sp_api_error_json(struct sp_buf *out, const struct sp_api_err *e);

/* ---- responses ---- */

/* Reply with the bytes of buf (taken over: buf is reset) as content_type. */
void sp_api_reply(struct sp_api *a, unsigned status, const char *content_type, struct sp_buf *buf);
/* Reply with a JSON value (stolen: decref'd here), compact, with a newline. */
void sp_api_reply_json(struct sp_api *a, unsigned status, json_t *v);
/* Add a response header (at most SP_API_MAX_HEADERS). */
void sp_api_header(struct sp_api *a, const char *name, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* ---- request helpers ---- */

/* Fails with 400 unknown_field unless every query parameter is one of allowed
 * (NULL-terminated). Returns 0 when the query is acceptable. */
int sp_api_query_only(struct sp_api *a, const char *const *allowed);
/* The value of the first parameter named key, or NULL. */
const char *sp_api_param(const struct sp_api *a, const char *key);
/* This thread's database connection; fails with 500 (and returns NULL) if it
 * cannot be opened. */
sp_store *sp_api_store(struct sp_api *a);
/* The {id} of the route as a positive integer; fails with 404 otherwise. */
int sp_api_path_id(struct sp_api *a, int64_t *out, const char *what);

/* ---- JSON bodies (server/body.c; pure: no HTTP, fuzzed) ---- */

/* Parse text as a JSON object (duplicates refused). 400 bad_json with line and
 * column, or 400 invalid when it is not an object. *out owned by the caller. */
int sp_body_parse(json_t **out, const char *text, size_t len, struct sp_api_err *e);
/* 400 unknown_field naming the first key of obj not in allowed (NULL-terminated),
 * with the nearest allowed key as a suggestion. prefix: the object's JSON path
 * ("" at the root). */
int sp_body_check_keys(const json_t *obj, const char *const *allowed, const char *prefix,
                       struct sp_api_err *e);
/* The profile under key "profile": required, an object, read by the CLI's
 * validator (errors under "profile."). */
int sp_body_profile(struct sp_profile *p, const json_t *body, struct sp_api_err *e);
/* The plan options object (NULL or absent: the defaults), by the CLI's rules
 * (service/plan_options.c), errors under "options.". o must be initialised. */
int sp_body_plan_options(struct sp_plan_options *o, const json_t *options, struct sp_api_err *e);
/* A saved item's name under key "name": a string of 1 to SP_SAVED_NAME_MAX bytes
 * without control characters. */
int sp_body_name(char *out, size_t cap, const json_t *body, struct sp_api_err *e);
/* The value as the user wrote it, for messages: a string's text, else compact
 * JSON, cut to cap. */
const char *sp_body_show(char *buf, size_t cap, const json_t *v);

/* ---- the request-target parser (server/http.c; pure, fuzzed) ---- */

/* Split raw ("/path?query") and percent-decode both parts. The path is NULL
 * when it is not a valid one (a bad escape, an encoded NUL, not starting with
 * '/'); query_ok is false when the query is not valid. Never fails otherwise. */
void sp_target_parse(struct sp_target *out, const char *raw);
void sp_target_release(struct sp_target *t);

/* ---- bodies holding a profile (assess, fit, validate, profiles, plan) ---- */

/* Parse the body as an object with a "profile" and no keys but allowed
 * (NULL-terminated, "profile" among them); validate the profile as the CLI does
 * and check its programs against the catalog. On failure the response is the
 * error, *root is NULL and the return is nonzero. *root owned by the caller. */
int sp_api_profile_body(struct sp_api *a, const char *const *allowed, json_t **root,
                        struct sp_profile *p);

/* ---- saved items (api_profiles.c; used by api_plans.c too) ---- */

void sp_api_saved_list(struct sp_api *a, bool plan);
void sp_api_saved_delete(struct sp_api *a, bool plan);
/* status with the item's fields and, under keys[i], the stored JSON texts[i]. */
void sp_api_reply_item(struct sp_api *a, unsigned status, const struct sp_saved_item *it, bool plan,
                       const char *const *keys, const char *const *texts, size_t n);

/* ---- plan computation shared by /plan and /plans ---- */

/* The body {"profile", "options"} (plus "name" when with_name) parsed and the
 * plan computed exactly as `smartpick plan` does. On failure the response is the
 * error and the return is nonzero; otherwise *root, *p and *plan are the
 * caller's (json_decref, sp_plan_free). */
int sp_api_compute_plan(struct sp_api *a, bool with_name, json_t **root, struct sp_profile *p,
                        struct sp_plan **plan);

#endif
