/*
 * smartpick: the list of commands and the dispatch. Each command's entry lives in
 * its own cmd_<name>.c (cli.h); `smartpick --help` is made from the list.
 */
#include "cli.h"

#include "smartpick/version.h"

#include <stdio.h>
#include <string.h>

#include "banned.h"

static const struct sp_cli_command *const commands[] = {
    &sp_cmd_plan,   &sp_cmd_programs, &sp_cmd_specialties, &sp_cmd_import,
    &sp_cmd_assess, &sp_cmd_fit,      &sp_cmd_rank,        &sp_cmd_calibrate,
    &sp_cmd_match,  &sp_cmd_serve,    &sp_cmd_simulate,
};

#define N_COMMANDS (sizeof(commands) / sizeof(commands[0]))

static void usage(FILE *to)
{
    fprintf(to, "usage: smartpick <command> [options] [args]\n"
                "       smartpick --version\n\n"
                "SmartPick plans residency applications: which specialties, which programs,\n"
                "how many, where to signal, what it costs, and how likely it is to match.\n\n"
                "commands:\n");
    for (size_t i = 0; i < N_COMMANDS; i++)
        fprintf(to, "  %-12s %s\n", commands[i]->name, commands[i]->summary);
    fprintf(to, "\n'smartpick <command> --help' shows a command's options.\n");
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        usage(stderr);
        return SP_EXIT_USAGE;
    }
    if (strcmp(argv[1], "--version") == 0 || strcmp(argv[1], "version") == 0) {
        printf("smartpick %s\n", SP_VERSION);
        return SP_EXIT_OK;
    }
    if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
        strcmp(argv[1], "help") == 0) {
        usage(stdout);
        return SP_EXIT_OK;
    }
    for (size_t i = 0; i < N_COMMANDS; i++) {
        if (strcmp(argv[1], commands[i]->name) == 0)
            return sp_cli_run(commands[i], argc - 1, argv + 1);
    }
    sp_cli_fail(SP_EXIT_USAGE, "'%s' is not a command", argv[1]);
    usage(stderr);
    return SP_EXIT_USAGE;
}
