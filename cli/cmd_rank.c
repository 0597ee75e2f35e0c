/*
 * `smartpick rank FILE`: after interviews, the recommended rank order list with
 * P(match at each rank), P(unmatched) and the expected utility.
 */
#include "cli.h"

#include "rank_json.h"
#include "sp_str.h"
#include "world.h"

#include <stdio.h>
#include <string.h>

#include "banned.h"

enum { OPT_MODEL = SP_OPT_FIRST_FREE };

const struct sp_cli_option sp_rank_options[] = {
    {"format", SP_OPT_FORMAT, "FMT", "text (default) or json"},
    {"out", SP_OPT_OUT, "FILE", "write to FILE instead of standard output"},
    {"model", OPT_MODEL, "FILE", "model parameters (default: the bundled data/model.json)"},
    {"db", SP_OPT_DB, "PATH", "database file (default under $XDG_DATA_HOME/smartpick)"},
    SP_OPT_END,
};

const char sp_rank_details[] =
    "FILE (schema smartpick.rank/1, docs/MATCH.md):\n"
    "  {\"schema\": \"smartpick.rank/1\", \"profile\": \"ir-moderate.json\",\n"
    "   \"interviews\": [{\"acgme_id\": \"4163800004\", \"preference\": 1}, ...],\n"
    "   \"pgy1\": [{\"name\": \"City Hospital TY\", \"preference\": 1}]}\n"
    "A profile path is relative to FILE. Example: examples/ir-moderate.rank.json\n";

/* The profile path relative to the rank file's directory. */
static void resolve_path(char *out, size_t cap, const char *rank_file, const char *rel)
{
    const char *slash = strrchr(rank_file, '/');

    if (rel[0] == '/' || !slash)
        snprintf(out, cap, "%s", rel);
    else
        snprintf(out, cap, "%.*s/%s", (int)(slash - rank_file), rank_file, rel);
}

int sp_cmd_rank(const struct sp_cli_command *cmd, int argc, char **argv)
{
    struct sp_cli_parser parser;
    struct sp_err err = SP_ERR_INIT;
    struct sp_buf text = {NULL, 0, 0, 1u << 20}, out = SP_BUF_INIT;
    struct sp_rank_doc doc;
    struct sp_rank_result result;
    struct sp_world w;
    enum sp_format fmt = SP_FMT_TEXT;
    const char *db = NULL, *model = NULL, *out_path = NULL;
    bool world_open = false;
    int rc = SP_EXIT_OK, c;
    char *arg;

    sp_cli_parser_init(&parser, cmd);
    while ((c = sp_cli_next(&parser, argc, argv, &arg)) != -1) {
        switch (c) {
        case SP_CLI_HELP:
            return SP_EXIT_OK;
        case SP_CLI_BAD:
            return SP_EXIT_USAGE;
        case SP_OPT_FORMAT:
            if (sp_format_parse(&fmt, arg, &err) || fmt == SP_FMT_CSV)
                return sp_cli_fail(SP_EXIT_USAGE, "format: '%s' must be text or json", arg);
            break;
        case SP_OPT_OUT:
            out_path = arg;
            break;
        case OPT_MODEL:
            model = arg;
            break;
        case SP_OPT_DB:
            db = arg;
            break;
        }
    }
    if (optind != argc - 1)
        return sp_cli_fail(SP_EXIT_USAGE, "rank: name one rank-list file (see --help)");
    if (sp_read_file(&text, argv[optind], &err)) {
        rc = sp_cli_fail_err(SP_EXIT_ERROR, &err);
        goto out;
    }
    if (sp_rank_from_json(&doc, sp_buf_cstr(&text), text.len, &err)) {
        sp_err_prefix(&err, argv[optind], ": ");
        rc = sp_cli_fail_err(SP_EXIT_USAGE, &err);
        goto out;
    }
    if (doc.has_profile) {
        rc = sp_profile_complete(&doc.profile, &err);
        if (rc) {
            sp_err_prefix(&err, argv[optind], ": profile.");
            rc = sp_cli_fail_err(SP_EXIT_USAGE, &err);
            goto out;
        }
    } else {
        char path[2 * SP_PROFILE_MAX_PATH];
        resolve_path(path, sizeof(path), argv[optind], doc.profile_path);
        rc = sp_cli_load_profile(&doc.profile, path);
        if (rc)
            goto out;
    }
    rc = sp_cli_open_world(&w, db, model ? SP_MODEL_FILE : SP_MODEL_BUNDLED, model);
    if (rc)
        goto out;
    world_open = true;
    if (sp_rank_resolve(&doc.input, w.cat, &err) ||
        sp_rank(&result, &w.model, w.cat, w.q, &doc.profile, &doc.input, &err)) {
        sp_err_prefix(&err, argv[optind], ": ");
        rc = sp_cli_fail_err(SP_EXIT_USAGE, &err);
        goto out;
    }
    sp_render_rank(&out, fmt, &result, &doc.input, &doc.profile);
    if (sp_cli_write(&out, out_path, &err))
        rc = sp_cli_fail_err(SP_EXIT_ERROR, &err);
out:
    if (world_open)
        sp_world_close(&w);
    sp_buf_release(&text);
    sp_buf_release(&out);
    return rc;
}
