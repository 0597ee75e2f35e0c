/*
 * cli.h - the shape of every subcommand, as git's and tmux's: each cmd_<name>.c
 * defines its entry (struct sp_cli_command: name, summary, its own options, the
 * setup it needs, its hooks), and cli.c does what they share once - the option
 * parsing and --help from the tables, --db/--model/--format/--out, opening the store
 * or the world, loading the profile, writing the result - then calls the command's
 * run with all of it in struct sp_cli.
 */
#ifndef SP_CLI_H
#define SP_CLI_H

#include "names.h"
#include "smartpick/error.h"
#include "sp_buf.h"
#include "store.h"
#include "world.h"

#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>

enum { SP_EXIT_OK = 0, SP_EXIT_ERROR = 1, SP_EXIT_USAGE = 2 };

/* One option of a command. key is the short letter, or a value >= SP_OPT_FIRST_FREE
 * for long-only ones. */
struct sp_cli_option {
    const char *name;
    int key;
    const char *arg; /* NULL: a flag; else the argument's name in the usage text */
    const char *help;
};

#define SP_OPT_END {NULL, 0, NULL, NULL}

/* The shared options' keys; a command's own start at SP_OPT_FIRST_FREE. */
enum { SP_OPT_DB = 256, SP_OPT_MODEL, SP_OPT_FORMAT, SP_OPT_OUT, SP_OPT_FIRST_FREE = 300 };

/* What cli.c sets up for a command (struct sp_cli_command.setup). The shared
 * options follow the command's own in --help, in this order: --format, --out,
 * --model, --db. */
enum {
    SP_CLI_FORMAT = 1 << 0,  /* --format FMT among .formats, into c->format (default text) */
    SP_CLI_OUT = 1 << 1,     /* --out FILE: c->out is written there (or to stdout) after run */
    SP_CLI_MODEL = 1 << 2,   /* --model FILE for the world (default: the bundled model) */
    SP_CLI_DB = 1 << 3,      /* --db PATH */
    SP_CLI_STORE = 1 << 4,   /* open the store into c->store before run */
    SP_CLI_WORLD = 1 << 5,   /* open the world into c->w before run */
    SP_CLI_PROFILE = 1 << 6, /* one positional PROFILE.json into c->profile, checked against
                                the catalog of the world */
};

struct sp_cli;

struct sp_cli_command {
    const char *name;
    const char *summary;
    /* The positional arguments in the usage line; NULL: the command takes none. */
    const char *synopsis;
    /* The command's own options (NULL: none), or a function that makes them at run
     * time; the shared ones of setup follow them. */
    const struct sp_cli_option *options;
    const struct sp_cli_option *(*options_fn)(void);
    /* Extra help text, may be NULL. */
    const char *details;
    /* SP_CLI_*: what cli.c sets up. */
    unsigned setup;
    /* With SP_CLI_FORMAT: the formats taken (SP_OUT_BIT of each), the --format help
     * line and the rule a bad name breaks ("must be text or json"). */
    unsigned formats;
    const char *format_help;
    const char *format_rule;
    /* With SP_CLI_OUT: the --out help line (NULL: "write to FILE instead of standard
     * output"). */
    const char *out_help;
    /* Bytes of the command's own state, at c->state, zeroed; init sets its defaults
     * before the options. */
    size_t state_size;
    void (*init)(struct sp_cli *c);
    /* One of the command's own options; 0, or an exit code after saying why. */
    int (*option)(struct sp_cli *c, int key, const char *arg);
    /* After the options, before the store, the world and the profile: the positional
     * arguments and the checks between options. 0 or an exit code. */
    int (*prepare)(struct sp_cli *c);
    /* The work, its result appended to c->out. Returns an exit code. */
    int (*run)(struct sp_cli *c);
};

/* A command's run: what cli.c set up for it. */
struct sp_cli {
    const struct sp_cli_command *cmd;
    /* The positional arguments, after the options. */
    int argc;
    char **argv;
    /* The shared options; format is text unless --format says otherwise. */
    const char *db, *model, *out_path;
    enum sp_out format;
    /* SP_CLI_STORE; SP_CLI_WORLD (or a run that called sp_cli_open_world). */
    sp_store *store;
    struct sp_world w;
    bool world_open;
    /* SP_CLI_PROFILE: the profile file, loaded, completed and checked. */
    struct sp_profile profile;
    const char *profile_path;
    /* The result, written to --out or standard output after run (SP_CLI_OUT) when run
     * succeeded or set emit; not when run wrote its result itself (an XLSX file). */
    struct sp_buf out;
    bool emit;
    bool wrote;
    /* The command's own state (state_size bytes). */
    void *state;
};

/* Run cmd with argc/argv (argv[0] is the command's name): the whole of a subcommand. */
int sp_cli_run(const struct sp_cli_command *cmd, int argc, char **argv);

/* Diagnostics: "smartpick: ..." on stderr. Return the exit code given. */
int sp_cli_fail(int exit_code, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
int sp_cli_fail_err(int exit_code, const struct sp_err *err);
/* Option `name`'s whole number within [lo, hi] into *out, else the usage error
 * "NAME: 'ARG' must be WHAT from LO to HI" ("a count", "a port", ...). Returns 0 or the
 * exit code. */
int sp_cli_long(long *out, const char *name, const char *arg, long lo, long hi,
                const char *what);
/* Exit code for an SP_E* code: input problems are usage errors (2), the rest 1. */
int sp_cli_exit_for(int code);

/* Read, validate and complete the profile at path. On failure prints the error and
 * returns its exit code: SP_EXIT_USAGE for a profile that breaks a rule,
 * SP_EXIT_ERROR when the file cannot be read; else SP_EXIT_OK. */
int sp_cli_load_profile(struct sp_profile *p, const char *path);
/* Open c->w (sp_world_open with c->db) with the model of choice. On failure prints the
 * error and returns its exit code (SP_EXIT_USAGE for a model file that breaks a rule). */
int sp_cli_open_world(struct sp_cli *c, enum sp_model_choice choice, const char *model_path);

/* Write buf to path ("-" or NULL: stdout). */
int sp_cli_write(const struct sp_buf *buf, const char *path, struct sp_err *err);

/* The subcommands, in the order of `smartpick --help`. */
extern const struct sp_cli_command sp_cmd_plan;
extern const struct sp_cli_command sp_cmd_programs;
extern const struct sp_cli_command sp_cmd_specialties;
extern const struct sp_cli_command sp_cmd_import;
extern const struct sp_cli_command sp_cmd_assess;
extern const struct sp_cli_command sp_cmd_fit;
extern const struct sp_cli_command sp_cmd_rank;
extern const struct sp_cli_command sp_cmd_calibrate;
extern const struct sp_cli_command sp_cmd_match;
extern const struct sp_cli_command sp_cmd_serve;
extern const struct sp_cli_command sp_cmd_simulate;

#endif
