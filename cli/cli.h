/*
 * cli.h - what the subcommands share: the command table entry, option tables
 * that feed getopt_long and the usage text, exit codes, and the store/output
 * plumbing every command needs.
 */
#ifndef SP_CLI_H
#define SP_CLI_H

#include "render.h"
#include "smartpick/error.h"
#include "sp_buf.h"
#include "store.h"
#include "world.h"

#include <getopt.h>
#include <stdio.h>
#include <stdbool.h>

enum { SP_EXIT_OK = 0, SP_EXIT_ERROR = 1, SP_EXIT_USAGE = 2 };

/* One option of a command. key is the short letter, or a value >= 256 for long-only. */
struct sp_cli_option {
    const char *name;
    int key;
    const char *arg; /* NULL: a flag; else the argument's name in the usage text */
    const char *help;
};

#define SP_OPT_END {NULL, 0, NULL, NULL}

struct sp_cli_command {
    const char *name;
    int (*run)(const struct sp_cli_command *cmd, int argc, char **argv);
    const char *summary;
    const char *synopsis; /* positional arguments, e.g. "FILE.csv..." */
    const struct sp_cli_option *options;
    const char *details;  /* extra help text, may be NULL */
};

/* Option parsing state over one command's table (adds --help). */
struct sp_cli_parser {
    const struct sp_cli_command *cmd;
    struct option longopts[48];
    char shortopts[96];
};

void sp_cli_parser_init(struct sp_cli_parser *p, const struct sp_cli_command *cmd);
/* Next option: its key; -1 at the end of options; SP_CLI_HELP after printing help
 * (exit 0); SP_CLI_BAD after printing a usage error (exit 2). */
int sp_cli_next(struct sp_cli_parser *p, int argc, char **argv, char **arg);
#define SP_CLI_HELP (-2)
#define SP_CLI_BAD (-3)

void sp_cli_usage(const struct sp_cli_command *cmd, FILE *to);

/* Diagnostics: "smartpick: ..." on stderr. Return the exit code given. */
int sp_cli_fail(int exit_code, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
int sp_cli_fail_err(int exit_code, const struct sp_err *err);

/* Read, validate and complete the profile at path. On failure prints the error and
 * returns its exit code: SP_EXIT_USAGE for a profile that breaks a rule,
 * SP_EXIT_ERROR when the file cannot be read; else SP_EXIT_OK. */
int sp_cli_load_profile(struct sp_profile *p, const char *path);

/* Open the database and the model (sp_world_open). On failure prints the error and
 * returns its exit code (sp_cli_exit_for: SP_EXIT_USAGE for a model file that breaks
 * a rule); else SP_EXIT_OK, and the caller closes w. */
int sp_cli_open_world(struct sp_world *w, const char *db, enum sp_model_choice choice,
                      const char *model_path);
/* Exit code for an SP_E* code: input problems are usage errors (2), the rest 1. */
int sp_cli_exit_for(int code);

/* For commands of the form `smartpick CMD PROFILE [--format text|json] [--out F]
 * [--model F] [--db P]` (options: sp_assess_options): parse, load the profile
 * and the world. Returns 0 when loaded, an exit code to return otherwise, or -1
 * after --help. */
struct sp_world;
struct sp_profile;
int sp_cli_model_command(const struct sp_cli_command *cmd, int argc, char **argv,
                         struct sp_world *w, struct sp_profile *p, enum sp_format *fmt,
                         const char **out_path);

/* Write buf to path ("-" or NULL: stdout). */
int sp_cli_write(const struct sp_buf *buf, const char *path, struct sp_err *err);

/* Common long-only option keys. */
enum { SP_OPT_DB = 256, SP_OPT_FORMAT, SP_OPT_OUT, SP_OPT_FIRST_FREE = 300 };

/* The subcommands. */
int sp_cmd_programs(const struct sp_cli_command *cmd, int argc, char **argv);
int sp_cmd_specialties(const struct sp_cli_command *cmd, int argc, char **argv);
int sp_cmd_import(const struct sp_cli_command *cmd, int argc, char **argv);
int sp_cmd_assess(const struct sp_cli_command *cmd, int argc, char **argv);
int sp_cmd_fit(const struct sp_cli_command *cmd, int argc, char **argv);
int sp_cmd_calibrate(const struct sp_cli_command *cmd, int argc, char **argv);
int sp_cmd_plan(const struct sp_cli_command *cmd, int argc, char **argv);
int sp_cmd_rank(const struct sp_cli_command *cmd, int argc, char **argv);
int sp_cmd_match(const struct sp_cli_command *cmd, int argc, char **argv);
int sp_cmd_serve(const struct sp_cli_command *cmd, int argc, char **argv);
int sp_cmd_simulate(const struct sp_cli_command *cmd, int argc, char **argv);

#endif
