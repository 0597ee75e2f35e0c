/*
 * smartpick: the command table and dispatch. Help is generated from the table.
 */
#include "cli.h"

#include "smartpick/version.h"

#include <stdio.h>
#include <string.h>

#include "banned.h"

extern const struct sp_cli_option sp_programs_options[];
extern const struct sp_cli_option sp_specialties_options[];
extern const struct sp_cli_option sp_import_options[];
extern const char sp_programs_details[];
extern const char sp_import_details[];
extern const struct sp_cli_option sp_assess_options[];
extern const struct sp_cli_option sp_calibrate_options[];
extern const char sp_plan_details[];
extern const struct sp_cli_option sp_rank_options[];
extern const char sp_rank_details[];

static const struct sp_cli_command commands[] = {
    {"plan", sp_cmd_plan,
     "Your optimized application plan: specialties, programs, signals, cost, odds.", "PROFILE.json",
     NULL, sp_plan_details},
    {"programs", sp_cmd_programs, "Browse and filter the program catalog.", NULL,
     sp_programs_options, sp_programs_details},
    {"specialties", sp_cmd_specialties,
     "Show the published figures for the nine specialties, with their sources.", NULL,
     sp_specialties_options, NULL},
    {"import", sp_cmd_import, "Load your own program CSV into the catalog (all or nothing).",
     "FILE.csv...", sp_import_options, sp_import_details},
    {"assess", sp_cmd_assess,
     "Your P(match) per specialty with an 80% interval, your tier, and what would help.",
     "PROFILE.json", sp_assess_options, NULL},
    {"fit", sp_cmd_fit, "Rank the backup specialties by fit to your values and the road to IR.",
     "PROFILE.json", sp_assess_options, NULL},
    {"rank", sp_cmd_rank,
     "After interviews: your rank order list with P(match at each rank) and P(unmatched).",
     "RANK.json", sp_rank_options, sp_rank_details},
    {"calibrate", sp_cmd_calibrate,
     "Fit the model to the published figures (writes data/model.json, docs/CALIBRATION.md).", NULL,
     sp_calibrate_options, NULL},
    {"match", sp_cmd_match, "Run the Match (Roth-Peranson with couples).", "INPUT", NULL, NULL},
    {"serve", sp_cmd_serve, "The web app and JSON API on http://127.0.0.1:8080.", NULL, NULL, NULL},
    {"simulate", sp_cmd_simulate, "Simulate the national Match; what-ifs.", NULL, NULL, NULL},
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
        fprintf(to, "  %-12s %s\n", commands[i].name, commands[i].summary);
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
        if (strcmp(argv[1], commands[i].name) == 0)
            return commands[i].run(&commands[i], argc - 1, argv + 1);
    }
    sp_cli_fail(SP_EXIT_USAGE, "'%s' is not a command", argv[1]);
    usage(stderr);
    return SP_EXIT_USAGE;
}
