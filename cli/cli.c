/*
 * What every subcommand shares, once: its options (the command's own table and the
 * shared --format/--out/--model/--db) into getopt_long and the usage text, the
 * setup its entry asks for (store, world, profile), the result written to --out or
 * standard output, diagnostics, and the clean-up. See cli.h.
 */
#include "cli.h"

#include "sp_alloc.h"
#include "sp_str.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "banned.h"

#define MAX_OPTIONS 48
#define PARSED (-1) /* the options are read: go on */

/* A command's options as --help lists them: its own, then the shared ones it takes. */
static void options_of(struct sp_cli_option *out, const struct sp_cli_command *cmd)
{
    const struct sp_cli_option *own = cmd->options_fn ? cmd->options_fn() : cmd->options;
    size_t n = 0;

    for (; own && own[n].name && n < MAX_OPTIONS - 5; n++)
        out[n] = own[n];
    if (cmd->setup & SP_CLI_FORMAT)
        out[n++] = (struct sp_cli_option){"format", SP_OPT_FORMAT, "FMT", cmd->format_help};
    if (cmd->setup & SP_CLI_OUT)
        out[n++] = (struct sp_cli_option){
            "out", SP_OPT_OUT, "FILE",
            cmd->out_help ? cmd->out_help : "write to FILE instead of standard output"};
    if (cmd->setup & SP_CLI_MODEL)
        out[n++] =
            (struct sp_cli_option){"model", SP_OPT_MODEL, "FILE",
                                   "model parameters (default: the bundled data/model.json)"};
    if (cmd->setup & SP_CLI_DB)
        out[n++] = (struct sp_cli_option){"db", SP_OPT_DB, "PATH",
                                          "database file (default under $XDG_DATA_HOME/smartpick)"};
    out[n] = (struct sp_cli_option)SP_OPT_END;
}

static void usage(const struct sp_cli_command *cmd, const struct sp_cli_option *opts, FILE *to)
{
    fprintf(to, "usage: smartpick %s [options]%s%s\n\n%s\n", cmd->name, cmd->synopsis ? " " : "",
            cmd->synopsis ? cmd->synopsis : "", cmd->summary);
    fprintf(to, "\noptions:\n");
    for (const struct sp_cli_option *o = opts; o->name; o++) {
        char left[64];
        if (o->key < 256)
            snprintf(left, sizeof(left), "-%c, --%s%s%s", o->key, o->name, o->arg ? " " : "",
                     o->arg ? o->arg : "");
        else
            snprintf(left, sizeof(left), "    --%s%s%s", o->name, o->arg ? " " : "",
                     o->arg ? o->arg : "");
        fprintf(to, "  %-30s %s\n", left, o->help);
    }
    fprintf(to, "  %-30s %s\n", "-h, --help", "show this help");
    if (cmd->details)
        fprintf(to, "\n%s", cmd->details);
}

/* getopt_long's tables for opts (and --help). */
static void getopt_tables(struct option *longopts, char *shortopts,
                          const struct sp_cli_option *opts)
{
    size_t n = 0, s = 0;

    shortopts[s++] = ':'; /* report a missing argument distinctly */
    for (const struct sp_cli_option *o = opts; o->name; o++, n++) {
        longopts[n] =
            (struct option){o->name, o->arg ? required_argument : no_argument, NULL, o->key};
        if (o->key < 256) {
            shortopts[s++] = (char)o->key;
            if (o->arg)
                shortopts[s++] = ':';
        }
    }
    longopts[n++] = (struct option){"help", no_argument, NULL, 'h'};
    longopts[n] = (struct option){NULL, 0, NULL, 0};
    shortopts[s++] = 'h';
    shortopts[s] = '\0';
}

/* One shared option, or the command's own. */
static int take(struct sp_cli *c, int key, const char *arg)
{
    switch (key) {
    case SP_OPT_FORMAT:
        if (sp_out_parse(&c->format, arg, c->cmd->formats))
            return sp_cli_fail(SP_EXIT_USAGE, "format: '%s' %s", arg, c->cmd->format_rule);
        return 0;
    case SP_OPT_OUT:
        c->out_path = arg;
        return 0;
    case SP_OPT_MODEL:
        c->model = arg;
        return 0;
    case SP_OPT_DB:
        c->db = arg;
        return 0;
    default:
        return c->cmd->option ? c->cmd->option(c, key, arg) : 0;
    }
}

/* The options: PARSED, or an exit code (SP_EXIT_OK after --help). */
static int parse(struct sp_cli *c, int argc, char **argv)
{
    struct sp_cli_option opts[MAX_OPTIONS];
    struct option longopts[MAX_OPTIONS + 1];
    char shortopts[2 * MAX_OPTIONS + 3];
    int key, rc;

    options_of(opts, c->cmd);
    getopt_tables(longopts, shortopts, opts);
    optind = 1;
    opterr = 0;
    while ((key = getopt_long(argc, argv, shortopts, longopts, NULL)) != -1) {
        if (key == 'h') {
            usage(c->cmd, opts, stdout);
            return SP_EXIT_OK;
        }
        if (key == '?' || key == ':') {
            const char *bad = argv[optind - 1];
            if (key == ':')
                sp_cli_fail(SP_EXIT_USAGE, "%s: option '%s' needs a value", c->cmd->name, bad);
            else
                sp_cli_fail(SP_EXIT_USAGE, "%s: unknown option '%s'", c->cmd->name, bad);
            fprintf(stderr, "Try 'smartpick %s --help'.\n", c->cmd->name);
            return SP_EXIT_USAGE;
        }
        rc = take(c, key, optarg);
        if (rc)
            return rc;
    }
    c->argc = argc - optind;
    c->argv = argv + optind;
    return PARSED;
}

/* What the entry asks for before run, in the order errors are reported: the
 * arguments, the command's own checks, the profile, the store, the world. */
static int setup(struct sp_cli *c)
{
    const struct sp_cli_command *cmd = c->cmd;
    struct sp_err err = SP_ERR_INIT;
    int rc;

    if (!cmd->synopsis && c->argc > 0)
        return sp_cli_fail(SP_EXIT_USAGE, "%s: unexpected argument '%s'", cmd->name, c->argv[0]);
    if (cmd->setup & SP_CLI_PROFILE) {
        if (c->argc != 1)
            return sp_cli_fail(SP_EXIT_USAGE, "%s: name one profile file (see docs/PROFILE.md)",
                               cmd->name);
        c->profile_path = c->argv[0];
    }
    rc = cmd->prepare ? cmd->prepare(c) : 0;
    if (!rc && (cmd->setup & SP_CLI_PROFILE))
        rc = sp_cli_load_profile(&c->profile, c->profile_path);
    if (rc)
        return rc;
    if ((cmd->setup & SP_CLI_STORE) && sp_app_open_store(&c->store, c->db, &err))
        return sp_cli_fail_err(SP_EXIT_ERROR, &err);
    if (cmd->setup & SP_CLI_WORLD) {
        rc = sp_cli_open_world(c, c->model ? SP_MODEL_FILE : SP_MODEL_BUNDLED, c->model);
        if (rc)
            return rc;
    }
    /* Home and away programs must be real programs of the right specialty. */
    if ((cmd->setup & SP_CLI_PROFILE) && c->world_open &&
        sp_profile_check_catalog(&c->profile, c->w.cat, &err)) {
        sp_err_prefix(&err, c->profile_path, ": ");
        return sp_cli_fail_err(SP_EXIT_USAGE, &err);
    }
    return SP_EXIT_OK;
}

int sp_cli_run(const struct sp_cli_command *cmd, int argc, char **argv)
{
    struct sp_cli *c = sp_xcalloc(1, sizeof(*c));
    struct sp_err err = SP_ERR_INIT;
    int rc;

    c->cmd = cmd;
    c->format = SP_OUT_TEXT;
    c->state = cmd->state_size ? sp_xcalloc(1, cmd->state_size) : NULL;
    if (cmd->init)
        cmd->init(c);
    rc = parse(c, argc, argv);
    if (rc != PARSED)
        goto out;
    rc = setup(c);
    if (rc)
        goto out;
    rc = cmd->run(c);
    if ((cmd->setup & SP_CLI_OUT) && !c->wrote && (rc == SP_EXIT_OK || c->emit) &&
        sp_cli_write(&c->out, c->out_path, &err))
        rc = sp_cli_fail_err(SP_EXIT_ERROR, &err);
out:
    if (c->world_open)
        sp_world_close(&c->w);
    sp_store_close(c->store);
    sp_buf_release(&c->out);
    free(c->state);
    free(c);
    return rc;
}

int sp_cli_fail(int exit_code, const char *fmt, ...)
{
    va_list ap;

    fputs("smartpick: ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    return exit_code;
}

int sp_cli_exit_for(int code)
{
    return code == SP_EINVAL || code == SP_ENOTFOUND || code == SP_ERANGE ? SP_EXIT_USAGE
                                                                          : SP_EXIT_ERROR;
}

int sp_cli_long(long *out, const char *name, const char *arg, long lo, long hi,
                const char *what)
{
    if (sp_parse_long(out, arg, lo, hi))
        return sp_cli_fail(SP_EXIT_USAGE, "%s: '%s' must be %s from %ld to %ld", name, arg, what,
                           lo, hi);
    return 0;
}

int sp_cli_fail_err(int exit_code, const struct sp_err *err)
{
    return sp_cli_fail(exit_code, "%s", err->msg[0] ? err->msg : sp_strerror(err->code));
}

int sp_cli_load_profile(struct sp_profile *p, const char *path)
{
    struct sp_err err = SP_ERR_INIT;
    int rc = sp_app_load_profile(p, path, &err);

    return rc ? sp_cli_fail_err(rc == SP_EIO ? SP_EXIT_ERROR : SP_EXIT_USAGE, &err) : SP_EXIT_OK;
}

int sp_cli_open_world(struct sp_cli *c, enum sp_model_choice choice, const char *model_path)
{
    struct sp_err err = SP_ERR_INIT;
    int rc = sp_world_open(&c->w, c->db, choice, model_path, &err);

    if (rc)
        return sp_cli_fail_err(sp_cli_exit_for(rc), &err);
    c->world_open = true;
    return SP_EXIT_OK;
}

int sp_cli_write(const struct sp_buf *buf, const char *path, struct sp_err *err)
{
    FILE *f = stdout;
    int rc = 0;

    if (path && strcmp(path, "-") != 0) {
        f = fopen(path, "wb");
        if (!f)
            return sp_err_set(err, SP_EIO, "out: %s: %s", path, strerror(errno));
    }
    if (buf->len && fwrite(buf->data, 1, buf->len, f) != buf->len)
        rc = sp_err_set(err, SP_EIO, "write: %s", strerror(errno));
    if (f != stdout) {
        if (fclose(f) && !rc)
            rc = sp_err_set(err, SP_EIO, "out: %s: %s", path, strerror(errno));
    } else if (fflush(f) && !rc) {
        rc = sp_err_set(err, SP_EIO, "write: %s", strerror(errno));
    }
    return rc;
}
