/*
 * CLI plumbing: option tables into getopt_long and usage text, diagnostics,
 * database path resolution and output.
 */
#include "cli.h"

#include "smartpick/version.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "banned.h"

void sp_cli_parser_init(struct sp_cli_parser *p, const struct sp_cli_command *cmd)
{
    size_t n = 0, s = 0;

    memset(p, 0, sizeof(*p));
    p->cmd = cmd;
    p->shortopts[s++] = ':'; /* report a missing argument distinctly */
    for (const struct sp_cli_option *o = cmd->options; o && o->name; o++) {
        p->longopts[n].name = o->name;
        p->longopts[n].has_arg = o->arg ? required_argument : no_argument;
        p->longopts[n].val = o->key;
        n++;
        if (o->key < 256) {
            p->shortopts[s++] = (char)o->key;
            if (o->arg)
                p->shortopts[s++] = ':';
        }
    }
    p->longopts[n].name = "help";
    p->longopts[n].val = 'h';
    p->shortopts[s++] = 'h';
    optind = 1;
    opterr = 0;
}

int sp_cli_next(struct sp_cli_parser *p, int argc, char **argv, char **arg)
{
    int c = getopt_long(argc, argv, p->shortopts, p->longopts, NULL);

    *arg = optarg;
    if (c == 'h') {
        sp_cli_usage(p->cmd, stdout);
        return SP_CLI_HELP;
    }
    if (c == '?' || c == ':') {
        const char *bad = argv[optind - 1];
        if (c == ':')
            sp_cli_fail(SP_EXIT_USAGE, "%s: option '%s' needs a value", p->cmd->name, bad);
        else
            sp_cli_fail(SP_EXIT_USAGE, "%s: unknown option '%s'", p->cmd->name, bad);
        fprintf(stderr, "Try 'smartpick %s --help'.\n", p->cmd->name);
        return SP_CLI_BAD;
    }
    return c;
}

void sp_cli_usage(const struct sp_cli_command *cmd, FILE *to)
{
    fprintf(to, "usage: smartpick %s [options]%s%s\n\n%s\n", cmd->name,
            cmd->synopsis ? " " : "", cmd->synopsis ? cmd->synopsis : "", cmd->summary);
    fprintf(to, "\noptions:\n");
    for (const struct sp_cli_option *o = cmd->options; o && o->name; o++) {
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

int sp_cli_open_world(struct sp_world *w, const char *db, enum sp_model_choice choice,
                      const char *model_path)
{
    struct sp_err err = SP_ERR_INIT;
    int rc = sp_world_open(w, db, choice, model_path, &err);

    return rc ? sp_cli_fail_err(sp_cli_exit_for(rc), &err) : SP_EXIT_OK;
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
