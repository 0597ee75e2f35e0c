/*
 * server.h - `smartpick serve`: the web app and the JSON API (docs/HTTP_API.md)
 * over libmicrohttpd with a thread pool.
 *
 * The catalog, model, selectivities and fees are loaded once by sp_server_start()
 * and shared read-only by every worker thread. Saved profiles and plans go
 * through one SQLite connection per worker thread (docs/ARCHITECTURE.md).
 */
#ifndef SP_SERVER_H
#define SP_SERVER_H

#include "smartpick/error.h"

#include <stdint.h>

typedef struct sp_server sp_server;

struct sp_server_options {
    const char *bind;     /* IPv4 or IPv6 address; default "127.0.0.1" */
    uint16_t port;        /* 0: an ephemeral port (sp_server_port() says which) */
    int threads;          /* worker threads; <= 0: one per online CPU */
    const char *web_root; /* NULL: the assets embedded at build time */
    const char *db;       /* NULL: the default database path */
};

#define SP_SERVER_OPTIONS_INIT                                                                     \
    {                                                                                              \
        "127.0.0.1", 8080, 0, NULL, NULL                                                           \
    }

/* Load the world, bind and start serving on background threads. *out owned by
 * the caller (sp_server_stop). SP_EINVAL for a bad option, SP_EIO when the
 * address cannot be bound, SP_EDB when the database cannot be opened. */
int sp_server_start(sp_server **out, const struct sp_server_options *o, struct sp_err *err);

/* The port bound, and the address as given ("127.0.0.1", "::1"). */
uint16_t sp_server_port(const sp_server *s);
const char *sp_server_bind(const sp_server *s);

/* Stop accepting, finish the requests in flight, release everything. NULL is a
 * no-op. */
void sp_server_stop(sp_server *s);

#endif
