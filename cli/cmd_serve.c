/*
 * `smartpick serve`: the web app and the JSON API on 127.0.0.1 (docs/HTTP_API.md).
 * Prints "listening on http://ADDR:PORT" once it accepts connections, then runs
 * until SIGINT or SIGTERM, when it stops accepting, finishes the requests in
 * flight and exits 0.
 */
#include "cli.h"

#include "server.h"
#include "sp_str.h"

#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "banned.h"

enum {
    OPT_BIND = SP_OPT_FIRST_FREE,
    OPT_PORT,
    OPT_THREADS,
    OPT_WEB_ROOT,
};

static const struct sp_cli_option serve_options[] = {
    {"bind", OPT_BIND, "ADDR", "address to listen on (default 127.0.0.1; 0.0.0.0 exposes it)"},
    {"port", OPT_PORT, "N", "TCP port (default 8080; 0 picks a free one and prints it)"},
    {"threads", OPT_THREADS, "N", "worker threads (default: one per CPU)"},
    {"web-root", OPT_WEB_ROOT, "DIR", "serve the web app's files from DIR (development)"},
    SP_OPT_END,
};

static void serve_init(struct sp_cli *c)
{
    *(struct sp_server_options *)c->state = (struct sp_server_options)SP_SERVER_OPTIONS_INIT;
}

static int serve_option(struct sp_cli *c, int key, const char *arg)
{
    struct sp_server_options *o = c->state;
    long n;

    switch (key) {
    case OPT_BIND:
        o->bind = arg;
        return 0;
    case OPT_PORT:
        if (sp_cli_long(&n, "port", arg, 0, 65535, "a port"))
            return SP_EXIT_USAGE;
        o->port = (uint16_t)n;
        return 0;
    case OPT_THREADS:
        if (sp_cli_long(&n, "threads", arg, 1, 64, "a count"))
            return SP_EXIT_USAGE;
        o->threads = (int)n;
        return 0;
    case OPT_WEB_ROOT:
        o->web_root = arg;
        return 0;
    }
    return 0;
}

static int serve_run(struct sp_cli *c)
{
    struct sp_server_options *o = c->state;
    struct sp_err err = SP_ERR_INIT;
    sp_server *srv = NULL;
    sigset_t stop;
    int sig = 0;

    o->db = c->db;
    /* Block the stop signals before any thread starts, so every worker inherits
     * the mask and the main thread alone receives them, in sigwait(). */
    sigemptyset(&stop);
    sigaddset(&stop, SIGINT);
    sigaddset(&stop, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &stop, NULL);
    signal(SIGPIPE, SIG_IGN);
    if (sp_server_start(&srv, o, &err))
        return sp_cli_fail_err(err.code == SP_EINVAL ? SP_EXIT_USAGE : SP_EXIT_ERROR, &err);
    if (strchr(sp_server_bind(srv), ':'))
        printf("listening on http://[%s]:%u\n", sp_server_bind(srv), (unsigned)sp_server_port(srv));
    else
        printf("listening on http://%s:%u\n", sp_server_bind(srv), (unsigned)sp_server_port(srv));
    fflush(stdout);
    while (sigwait(&stop, &sig) != 0)
        ;
    fprintf(stderr, "smartpick: serve: %s, stopping\n", sig == SIGINT ? "SIGINT" : "SIGTERM");
    sp_server_stop(srv);
    return SP_EXIT_OK;
}

const struct sp_cli_command sp_cmd_serve = {
    .name = "serve",
    .summary = "The web app and JSON API on http://127.0.0.1:8080.",
    .options = serve_options,
    .details = "Open http://127.0.0.1:8080 in a browser. The JSON API is under /api/v1/\n"
               "(docs/HTTP_API.md). --web-root serves only the files this build embedded, read\n"
               "from DIR so edits show without a rebuild. Stop with Ctrl-C.\n"
               "Example:\n"
               "  smartpick serve --port 0 --db /tmp/sp.db\n",
    .setup = SP_CLI_DB,
    .state_size = sizeof(struct sp_server_options),
    .init = serve_init,
    .option = serve_option,
    .run = serve_run,
};
