/*
 * The HTTP server: libmicrohttpd with a pool of I/O threads, each running its own
 * event loop (epoll where available) over the connections it accepted, a pool of
 * compute threads for the requests that run the model, and the glue from a
 * libmicrohttpd request to a route handler or a web asset.
 *
 * A request goes through three steps: the raw request-target is captured before
 * libmicrohttpd decodes it (URI log callback) and parsed by http.c; once the
 * headers are in, everything that can be refused without the body is (unknown
 * path 404, wrong method 405, Host not this server 403, Content-Length over the
 * cap 413, a body that is not JSON 415); then the body is collected up to 1 MiB
 * and the handler runs. Every response, errors included, carries the security
 * headers. Time limits: a connection idle for IDLE_TIMEOUT_S is closed, and so is
 * one whose request body has not arrived REQUEST_DEADLINE_S after the request
 * line (a slow-body client cannot hold a worker's connection slot forever).
 *
 * Requests that run the model go to a FIFO served by compute threads (below).
 *
 * Shared state is read-only after sp_server_start(): the world (catalog, model,
 * selectivities), the fees and the asset table. Each thread that touches the
 * database has its own SQLite connection (pthread key, opened on first use,
 * closed when the thread ends); see docs/ARCHITECTURE.md for why not one guarded
 * connection.
 */
#include "server.h"

#include "api.h"
#include "assets.h"
#include "router.h"

#include "sp_alloc.h"
#include "sp_str.h"

#include <arpa/inet.h>
#include <errno.h>
#include <malloc.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "banned.h"

#define IDLE_TIMEOUT_S 15     /* a connection silent this long is closed */
#define REQUEST_DEADLINE_S 30 /* a request body must arrive within this */
#define MAX_CONNECTIONS 512
#define CONNECTION_MEMORY (64u << 10) /* per connection: request line, headers, buffers */
#define MAX_THREADS 64
#define ASSET_FILE_MAX (32u << 20)
#define DISCARD_MAX (16u << 20) /* a chunked body this far over the cap: hang up */

static const char csp[] = "default-src 'self'; script-src 'self'; style-src 'self'; "
                          "img-src 'self' data:; object-src 'none'; frame-ancestors 'none'";

struct request;

struct sp_server {
    struct MHD_Daemon *d;
    struct sp_server_ctx ctx;
    bool world_open;
    /* The compute threads and their FIFO of requests (suspended connections). */
    pthread_t *compute;
    unsigned n_compute;
    pthread_mutex_t qlock;
    pthread_cond_t qcond;
    struct request *qhead, *qtail;
    bool stopping; /* set at stop: requests run where they arrive */
    bool queue_ready;
    int fd;
    uint16_t port;
    char bind[64];
    bool any_host; /* bound to every interface: no Host check */
    pthread_key_t worker_key;
    bool key_made;
};

/* One request, from the URI log callback to the completion callback. */
struct request {
    char *raw_target;
    struct sp_target target;
    struct timespec start;
    bool started;
    bool is_asset;
    const struct sp_asset *asset;
    struct sp_route_match route;
    struct sp_buf body;
    bool too_large;   /* the body passed the cap: the rest is drained */
    size_t discarded; /* bytes drained */
    /* Queued for a compute thread: the connection is suspended until done. */
    struct MHD_Connection *conn;
    char method[16];
    struct request *next;
    bool done;
    struct sp_response res;
};

/* ---- logging ---- */

static void log_mhd(void *cls, const char *fmt, va_list ap)
{
    (void)cls;
    fputs("smartpick: serve: ", stderr);
    vfprintf(stderr, fmt, ap);
    if (!strchr(fmt, '\n'))
        fputc('\n', stderr);
}

/* ---- workers ---- */

static void worker_free(void *p)
{
    struct sp_worker *w = p;

    if (!w)
        return;
    sp_store_close(w->store);
    free(w);
}

sp_store *sp_api_store(struct sp_api *a)
{
    struct sp_err err = SP_ERR_INIT;

    if (!a->worker->store && sp_app_open_store(&a->worker->store, a->ctx->db, &err)) {
        sp_api_failf(a, 500, SP_WHY_INTERNAL, NULL, "database: %s", err.msg);
        return NULL;
    }
    return a->worker->store;
}

static struct sp_worker *worker_get(struct sp_server *s)
{
    struct sp_worker *w = pthread_getspecific(s->worker_key);

    if (!w) {
        w = sp_xcalloc(1, sizeof(*w));
        pthread_setspecific(s->worker_key, w);
    }
    return w;
}

/* ---- requests ---- */

static void *on_uri(void *cls, const char *uri, struct MHD_Connection *c)
{
    struct request *r = sp_xcalloc(1, sizeof(*r));

    (void)cls;
    (void)c;
    r->raw_target = sp_xstrdup(uri ? uri : "");
    r->body.max = SP_API_BODY_MAX;
    clock_gettime(CLOCK_MONOTONIC, &r->start);
    return r;
}

static void on_completed(void *cls, struct MHD_Connection *c, void **con_cls,
                         enum MHD_RequestTerminationCode toe)
{
    struct request *r = *con_cls;

    (void)cls;
    (void)c;
    (void)toe;
    if (!r)
        return;
    sp_target_release(&r->target);
    sp_buf_release(&r->body);
    sp_buf_release(&r->res.body);
    free(r->raw_target);
    free(r);
    *con_cls = NULL;
}

static void add_header(struct MHD_Response *mr, const char *name, const char *value)
{
    if (MHD_add_response_header(mr, name, value) != MHD_YES)
        fprintf(stderr, "smartpick: serve: could not add header %s\n", name);
}

static enum MHD_Result queue(struct MHD_Connection *c, struct sp_response *res)
{
    struct MHD_Response *mr;
    enum MHD_Result ret;

    if (res->static_body) {
        mr = MHD_create_response_from_buffer(res->static_len, (void *)res->static_body,
                                             MHD_RESPMEM_PERSISTENT);
    } else {
        size_t len;
        char *data = sp_buf_detach(&res->body, &len);
        mr = MHD_create_response_from_buffer(len, data, MHD_RESPMEM_MUST_FREE);
        if (!mr)
            free(data);
    }
    if (!mr)
        return MHD_NO;
    if (res->content_type && res->status != 204 && res->status != 304)
        add_header(mr, MHD_HTTP_HEADER_CONTENT_TYPE, res->content_type);
    add_header(mr, "Content-Security-Policy", csp);
    add_header(mr, "X-Content-Type-Options", "nosniff");
    add_header(mr, "X-Frame-Options", "DENY");
    add_header(mr, "Referrer-Policy", "no-referrer");
    add_header(mr, "Cross-Origin-Resource-Policy", "same-origin");
    bool has_cache = false;
    for (size_t i = 0; i < res->n_headers; i++) {
        add_header(mr, res->headers[i].name, res->headers[i].value);
        has_cache |= strcmp(res->headers[i].name, "Cache-Control") == 0;
    }
    /* Plans and profiles are personal: no cache keeps them. */
    if (!has_cache)
        add_header(mr, "Cache-Control", "no-store");
    ret = MHD_queue_response(c, res->status, mr);
    MHD_destroy_response(mr);
    return ret;
}

/* An error response outside a handler (before the body is read). */
static enum MHD_Result queue_error(struct MHD_Connection *c, unsigned status, enum sp_why why,
                                   const char *field, const char *allow, const char *fmt, ...)
    __attribute__((format(printf, 6, 7)));

static enum MHD_Result queue_error(struct MHD_Connection *c, unsigned status, enum sp_why why,
                                   const char *field, const char *allow, const char *fmt, ...)
{
    struct sp_response res;
    struct sp_api_err e;
    va_list ap;

    memset(&res, 0, sizeof(res));
    va_start(ap, fmt);
    sp_api_err_vset(&e, status, why, field, fmt, ap);
    va_end(ap);
    sp_api_error_json(&res.body, &e);
    res.status = status;
    res.content_type = "application/json";
    if (allow) {
        res.headers[0].name = "Allow";
        snprintf(res.headers[0].value, sizeof(res.headers[0].value), "%s", allow);
        res.n_headers = 1;
    }
    return queue(c, &res);
}

/* "Dallas" in a message: the path as received, cut and made printable. */
static const char *shown_path(char *buf, size_t cap, const char *raw)
{
    size_t n = 0;

    for (; *raw && *raw != '?' && n + 1 < cap; raw++)
        buf[n++] = (*raw >= 0x20 && *raw < 0x7f && *raw != '"' && *raw != '\\') ? *raw : '?';
    buf[n] = '\0';
    return buf;
}

/* Whether the Host header names this server: a page on another origin whose
 * name was pointed at 127.0.0.1 (DNS rebinding) must not read the API. */
static bool host_ok(const struct sp_server *s, struct MHD_Connection *c)
{
    const char *host = MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_HOST);
    char want[96];
    const char *names[] = {"127.0.0.1", "localhost", "[::1]", s->bind};

    if (s->any_host || !host)
        return true;
    for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
        if (strchr(names[i], ':') && names[i][0] != '[')
            snprintf(want, sizeof(want), "[%s]:%u", names[i], (unsigned)s->port);
        else
            snprintf(want, sizeof(want), "%s:%u", names[i], (unsigned)s->port);
        if (sp_str_eqi(host, want))
            return true;
        if (s->port == 80 && sp_str_eqi(host, names[i]))
            return true;
    }
    return false;
}

/* "application/json", optionally with parameters ("; charset=utf-8"). */
static bool is_json_type(const char *ct)
{
    static const char want[] = "application/json";
    size_t n = sizeof(want) - 1;

    if (!ct)
        return false;
    while (*ct == ' ')
        ct++;
    for (size_t i = 0; i < n; i++) {
        char x = ct[i];
        if (x >= 'A' && x <= 'Z')
            x = (char)(x - 'A' + 'a');
        if (x != want[i])
            return false;
    }
    return ct[n] == '\0' || ct[n] == ';' || ct[n] == ' ';
}

/* The checks that need only the request line and headers. Returns MHD_YES to
 * go on reading the body, or the result of queueing an error. *done says which. */
static enum MHD_Result first_call(struct sp_server *s, struct MHD_Connection *c, struct request *r,
                                  const char *method, bool *done)
{
    char shown[96];
    const char *len_hdr;
    int rc;

    *done = true;
    sp_target_parse(&r->target, r->raw_target);
    if (!host_ok(s, c))
        return queue_error(c, 403, SP_WHY_FORBIDDEN, NULL, NULL,
                           "host: '%.60s' is not this server; use http://127.0.0.1:%u/",
                           MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Host"),
                           (unsigned)s->port);
    if (!r->target.path)
        return queue_error(c, 404, SP_WHY_NOT_FOUND, NULL, NULL, "%s: no such resource",
                           shown_path(shown, sizeof(shown), r->raw_target));
    rc = sp_route_find(&r->route, method, r->target.path);
    if (rc == SP_EINVAL)
        return queue_error(c, 405, SP_WHY_METHOD_NOT_ALLOWED, NULL, r->route.allow,
                           "%s: method %.16s is not allowed (allowed: %s)",
                           shown_path(shown, sizeof(shown), r->raw_target), method, r->route.allow);
    if (rc) {
        const char *name = strcmp(r->target.path, "/") == 0 ? "index.html" : r->target.path + 1;
        r->asset = sp_assets_find(name);
        if (!r->asset)
            return queue_error(c, 404, SP_WHY_NOT_FOUND, NULL, NULL, "%s: no such resource",
                               shown_path(shown, sizeof(shown), r->raw_target));
        if (strcmp(method, "GET") && strcmp(method, "HEAD"))
            return queue_error(c, 405, SP_WHY_METHOD_NOT_ALLOWED, NULL, "GET, HEAD",
                               "%s: method %.16s is not allowed (allowed: GET, HEAD)",
                               shown_path(shown, sizeof(shown), r->raw_target), method);
        r->is_asset = true;
    }
    len_hdr = MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_LENGTH);
    if (len_hdr) {
        long n;
        if (sp_parse_long(&n, len_hdr, 0, 0x7fffffffffffffffL) || n > (long)SP_API_BODY_MAX)
            return queue_error(c, 413, SP_WHY_TOO_LARGE, NULL, NULL,
                               "body: %.24s bytes must be at most %u (1 MiB)", len_hdr,
                               SP_API_BODY_MAX);
    }
    if (strcmp(method, "POST") == 0 && !is_json_type(MHD_lookup_connection_value(
                                           c, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_TYPE))) {
        const char *ct =
            MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_TYPE);
        return queue_error(c, 415, SP_WHY_UNSUPPORTED_MEDIA_TYPE, NULL, NULL,
                           "Content-Type: '%.60s' must be application/json", ct ? ct : "");
    }
    *done = false;
    return MHD_YES;
}

static double elapsed_s(const struct timespec *since)
{
    struct timespec now;

    clock_gettime(CLOCK_MONOTONIC, &now);
    return (double)(now.tv_sec - since->tv_sec) + (double)(now.tv_nsec - since->tv_nsec) * 1e-9;
}

/* GET of a web asset: the embedded bytes, or with --web-root the file of the
 * same name under it (the name comes from the table, never from the URL). */
static void serve_asset(struct sp_server *s, struct sp_api *a, const struct sp_asset *as)
{
    struct sp_buf file = {NULL, 0, 0, ASSET_FILE_MAX};
    struct sp_err err = SP_ERR_INIT;
    char etag[24];

    if (s->ctx.web_root) {
        struct sp_buf path = SP_BUF_INIT;
        sp_buf_addf(&path, "%s/%s", s->ctx.web_root, as->name);
        int rc = sp_read_file(&file, path.data, &err);
        sp_buf_release(&path);
        if (rc) {
            sp_buf_release(&file);
            sp_api_failf(a, 404, SP_WHY_NOT_FOUND, NULL, "%s: not in --web-root %s", as->name,
                         s->ctx.web_root);
            return;
        }
        sp_assets_etag(etag, sp_buf_cstr(&file), file.len);
    } else {
        memcpy(etag, as->etag, sizeof(etag));
    }
    sp_api_header(a, "ETag", "%s", etag);
    sp_api_header(a, "Cache-Control", "no-cache");
    if (a->if_none_match && strstr(a->if_none_match, etag)) {
        sp_buf_release(&file);
        a->res.status = 304;
        return;
    }
    if (s->ctx.web_root) {
        sp_api_reply(a, 200, as->content_type, &file);
        return;
    }
    a->res.status = 200;
    a->res.content_type = as->content_type;
    a->res.static_body = as->data;
    a->res.static_len = as->len;
}

/* Run the route's handler (or serve the asset) for r into res. c is the
 * connection when called on its libmicrohttpd thread (headers readable), NULL on
 * a compute thread. */
static void run_request(struct sp_server *s, struct request *r, const char *method,
                        struct MHD_Connection *c, struct sp_response *res)
{
    struct sp_api a;

    memset(&a, 0, sizeof(a));
    a.ctx = &s->ctx;
    a.worker = worker_get(s);
    a.method = method;
    a.target = &r->target;
    a.path_id = r->route.id[0] ? r->route.id : NULL;
    a.body = sp_buf_cstr(&r->body);
    a.body_len = r->body.len;
    a.if_none_match =
        c ? MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_IF_NONE_MATCH) : NULL;
    a.res.status = 500;
    if (r->is_asset)
        serve_asset(s, &a, r->asset);
    else
        r->route.handler(&a);
    if (a.res.status >= 500) {
        char shown[96];
        fprintf(stderr, "smartpick: serve: %s %s: %u %.*s\n", method,
                shown_path(shown, sizeof(shown), r->raw_target), a.res.status, (int)a.res.body.len,
                sp_buf_cstr(&a.res.body));
    }
    *res = a.res;
}

static bool enqueue(struct sp_server *s, struct MHD_Connection *c, struct request *r,
                    const char *method);

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c, const char *url,
                                  const char *method, const char *version, const char *upload_data,
                                  size_t *upload_data_size, void **con_cls)
{
    struct sp_server *s = cls;
    struct request *r = *con_cls;
    enum MHD_Result ret;

    (void)url;
    (void)version;
    if (!r) {
        /* No URI callback ran (cannot happen with ours installed): start here. */
        r = on_uri(NULL, url, c);
        *con_cls = r;
    }
    if (!r->started) {
        bool done;
        r->started = true;
        ret = first_call(s, c, r, method, &done);
        return ret;
    }
    if (*upload_data_size) {
        /* libmicrohttpd takes no response while a body is arriving: a body too
         * slow is cut off (the connection closed); a body too large (chunked, so
         * its size was not known up front) is drained and answered 413 at its
         * end, unless it goes on far past the cap. */
        if (elapsed_s(&r->start) > REQUEST_DEADLINE_S)
            return MHD_NO;
        if (!r->too_large && sp_buf_add(&r->body, upload_data, *upload_data_size))
            r->too_large = true;
        if (r->too_large) {
            r->discarded += *upload_data_size;
            if (r->discarded > DISCARD_MAX)
                return MHD_NO;
        }
        *upload_data_size = 0;
        return MHD_YES;
    }
    if (r->too_large)
        return queue_error(c, 413, SP_WHY_TOO_LARGE, NULL, NULL,
                           "body: must be at most %u bytes (1 MiB)", SP_API_BODY_MAX);

    if (r->done) {
        /* Back from a compute thread: send what it made. */
        ret = queue(c, &r->res);
        sp_buf_release(&r->res.body);
        return ret;
    }
    if (r->route.compute && !r->is_asset && enqueue(s, c, r, method))
        return MHD_YES;
    run_request(s, r, method, c, &r->res);
    ret = queue(c, &r->res);
    sp_buf_release(&r->res.body);
    return ret;
}

/* ---- compute threads ----
 *
 * Requests that run the model (plans, assessments, the Match) take milliseconds
 * of CPU. They go through one FIFO to a pool of compute threads, so that they
 * are served in the order they came whichever connection brought them (the
 * libmicrohttpd threads each own a subset of the connections, and would
 * otherwise serve theirs unevenly), and so that the I/O threads stay free for
 * the quick requests (health, assets, the program browser) while plans queue. */

/* Queue r and suspend its connection; false when the pool is stopping (then
 * the request runs where it is). Called from the access handler. */
static bool enqueue(struct sp_server *s, struct MHD_Connection *c, struct request *r,
                    const char *method)
{
    bool queued = false;

    if (!s->queue_ready)
        return false;
    pthread_mutex_lock(&s->qlock);
    if (!s->stopping) {
        /* Suspend before a compute thread can see it: it resumes when done. */
        MHD_suspend_connection(c);
        r->conn = c;
        snprintf(r->method, sizeof(r->method), "%s", method);
        r->next = NULL;
        if (s->qtail)
            s->qtail->next = r;
        else
            s->qhead = r;
        s->qtail = r;
        pthread_cond_signal(&s->qcond);
        queued = true;
    }
    pthread_mutex_unlock(&s->qlock);
    return queued;
}

static void *compute_main(void *arg)
{
    struct sp_server *s = arg;

    for (;;) {
        struct request *r;
        struct MHD_Connection *c;
        pthread_mutex_lock(&s->qlock);
        while (!s->qhead && !s->stopping)
            pthread_cond_wait(&s->qcond, &s->qlock);
        r = s->qhead;
        if (r) {
            s->qhead = r->next;
            if (!s->qhead)
                s->qtail = NULL;
        }
        pthread_mutex_unlock(&s->qlock);
        if (!r)
            return NULL; /* stopping, and nothing left */
        run_request(s, r, r->method, NULL, &r->res);
        c = r->conn;
        r->done = true;
        /* After this the request belongs to libmicrohttpd again (it may be freed). */
        MHD_resume_connection(c);
    }
}
/* ---- start and stop ---- */

static int listen_on(struct sp_server *s, const char *addr, uint16_t port, bool *v6,
                     struct sp_err *err)
{
    struct sockaddr_storage ss;
    struct sockaddr_in *in4 = (struct sockaddr_in *)&ss;
    struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)&ss;
    socklen_t len;
    int one = 1;

    memset(&ss, 0, sizeof(ss));
    if (inet_pton(AF_INET, addr, &in4->sin_addr) == 1) {
        in4->sin_family = AF_INET;
        in4->sin_port = htons(port);
        len = sizeof(*in4);
        *v6 = false;
    } else if (inet_pton(AF_INET6, addr, &in6->sin6_addr) == 1) {
        in6->sin6_family = AF_INET6;
        in6->sin6_port = htons(port);
        len = sizeof(*in6);
        *v6 = true;
    } else {
        return sp_err_set(err, SP_EINVAL, "bind: '%s' must be an IPv4 or IPv6 address", addr);
    }
    s->fd = socket(ss.ss_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (s->fd < 0)
        return sp_err_set(err, SP_EIO, "socket: %s", strerror(errno));
    setsockopt(s->fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
    if (*v6)
        setsockopt(s->fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof(one));
    if (bind(s->fd, (struct sockaddr *)&ss, len) || listen(s->fd, 511)) {
        int e = errno;
        close(s->fd);
        s->fd = -1;
        return sp_err_set(err, SP_EIO, "bind %s:%u: %s", addr, (unsigned)port, strerror(e));
    }
    len = sizeof(ss);
    getsockname(s->fd, (struct sockaddr *)&ss, &len);
    s->port = ntohs(*v6 ? in6->sin6_port : in4->sin_port);
    s->any_host = (!*v6 && in4->sin_addr.s_addr == htonl(INADDR_ANY)) ||
                  (*v6 && memcmp(&in6->sin6_addr, &in6addr_any, sizeof(in6addr_any)) == 0);
    return 0;
}

static int load_world(struct sp_server *s, const struct sp_server_options *o, struct sp_err *err)
{
    struct sp_buf db = SP_BUF_INIT;
    const char *tmp = getenv("TMPDIR");
    int rc;

    rc = sp_app_db_path(&db, o->db, err);
    if (rc) {
        sp_buf_release(&db);
        return rc;
    }
    s->ctx.db = sp_buf_detach(&db, NULL);
    rc = sp_world_open(&s->ctx.world, s->ctx.db, SP_MODEL_BUNDLED, NULL, err);
    if (rc)
        return rc;
    s->world_open = true;
    if (o->web_root)
        s->ctx.web_root = sp_xstrdup(o->web_root);
    /* Where an XLSX export is written for a moment (libxlsxwriter writes files). */
    s->ctx.tmpdir = sp_xstrdup(tmp && tmp[0] == '/' ? tmp : "/tmp");
    return 0;
}

int sp_server_start(sp_server **out, const struct sp_server_options *o, struct sp_err *err)
{
    struct sp_server *s = sp_xcalloc(1, sizeof(*s));
    unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_ITC | MHD_USE_ERROR_LOG |
                     MHD_ALLOW_SUSPEND_RESUME;
    long cpus = sysconf(_SC_NPROCESSORS_ONLN);
    unsigned threads = o->threads > 0 ? (unsigned)o->threads : (unsigned)(cpus > 0 ? cpus : 1);
    bool v6 = false;
    int rc;

    *out = NULL;
    s->fd = -1;
    pthread_mutex_init(&s->qlock, NULL);
    pthread_cond_init(&s->qcond, NULL);
    if (threads > MAX_THREADS)
        threads = MAX_THREADS;
    snprintf(s->bind, sizeof(s->bind), "%s", o->bind ? o->bind : "127.0.0.1");
    if (o->web_root && !sp_assets_count()) {
        rc = sp_err_set(err, SP_EINVAL, "web-root: this build embedded no web assets");
        goto fail;
    }
    rc = load_world(s, o, err);
    if (rc)
        goto fail;
    sp_assets_init();
    /* A plan allocates a few MiB of short-lived tables. Keep freed memory in the
     * process (each worker's malloc arena reuses it) instead of returning it to
     * the kernel and faulting it back in on the next request: the resident size
     * stays flat at its high-water mark. */
    mallopt(M_MMAP_THRESHOLD, 32 << 20);
    mallopt(M_TRIM_THRESHOLD, 128 << 20);
    /* jansson seeds its hash function on first use; do it before the threads do. */
    json_object_seed(0);
    if (pthread_key_create(&s->worker_key, worker_free)) {
        rc = sp_err_set(err, SP_EIO, "pthread_key_create failed");
        goto fail;
    }
    s->key_made = true;
    rc = listen_on(s, s->bind, o->port, &v6, err);
    if (rc)
        goto fail;
    /* The compute threads first: they wait for the first queued request. */
    s->compute = sp_xcalloc(threads, sizeof(*s->compute));
    for (unsigned t = 0; t < threads; t++) {
        if (pthread_create(&s->compute[t], NULL, compute_main, s)) {
            rc = sp_err_set(err, SP_EIO, "could not start compute thread %u", t);
            goto fail;
        }
        s->n_compute++;
    }
    s->queue_ready = true;
    if (MHD_is_feature_supported(MHD_FEATURE_EPOLL) == MHD_YES)
        flags |= MHD_USE_EPOLL;
    if (v6)
        flags |= MHD_USE_IPv6;
    /* The logger must come first, or MHD logs the options' own errors itself. */
    s->d = MHD_start_daemon(flags, 0, NULL, NULL, on_request, s, MHD_OPTION_EXTERNAL_LOGGER,
                            log_mhd, s, MHD_OPTION_LISTEN_SOCKET, s->fd,
                            MHD_OPTION_THREAD_POOL_SIZE, threads, MHD_OPTION_CONNECTION_TIMEOUT,
                            (unsigned)IDLE_TIMEOUT_S, MHD_OPTION_CONNECTION_LIMIT,
                            (unsigned)MAX_CONNECTIONS, MHD_OPTION_CONNECTION_MEMORY_LIMIT,
                            (size_t)CONNECTION_MEMORY, MHD_OPTION_URI_LOG_CALLBACK, on_uri, s,
                            MHD_OPTION_NOTIFY_COMPLETED, on_completed, s, MHD_OPTION_END);
    if (!s->d) {
        rc = sp_err_set(err, SP_EIO, "%s:%u: the HTTP server did not start", s->bind,
                        (unsigned)s->port);
        goto fail;
    }
    *out = s;
    return 0;
fail:
    sp_server_stop(s);
    return rc;
}

uint16_t sp_server_port(const sp_server *s)
{
    return s->port;
}

const char *sp_server_bind(const sp_server *s)
{
    return s->bind;
}

void sp_server_stop(sp_server *s)
{
    if (!s)
        return;
    /* Stop accepting first; let the compute threads finish the queue (each
     * resumes its connection), then finish the connections in flight. */
    MHD_socket fd = s->d ? MHD_quiesce_daemon(s->d) : MHD_INVALID_SOCKET;
    pthread_mutex_lock(&s->qlock);
    s->stopping = true;
    pthread_cond_broadcast(&s->qcond);
    pthread_mutex_unlock(&s->qlock);
    for (unsigned t = 0; t < s->n_compute; t++)
        pthread_join(s->compute[t], NULL);
    if (s->d) {
        MHD_stop_daemon(s->d);
        /* Quiesced, the socket is ours to close; otherwise MHD closed it. */
        s->fd = fd != MHD_INVALID_SOCKET ? fd : -1;
    }
    free(s->compute);
    pthread_mutex_destroy(&s->qlock);
    pthread_cond_destroy(&s->qcond);
    if (s->fd >= 0)
        close(s->fd);
    if (s->key_made)
        pthread_key_delete(s->worker_key);
    if (s->world_open)
        sp_world_close(&s->ctx.world);
    free(s->ctx.tmpdir);
    free(s->ctx.web_root);
    free(s->ctx.db);
    free(s);
}
