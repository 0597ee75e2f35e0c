/*
 * `smartpick rank FILE`: after interviews, the recommended rank order list with
 * P(match at each rank), P(unmatched) and the expected utility.
 */
#include "cli.h"

#include "rank_json.h"
#include "sp_str.h"

#include <stdio.h>
#include <string.h>

#include "banned.h"

struct rank_state {
    struct sp_rank_doc doc;
    const char *path;
};

/* The profile path relative to the rank file's directory. */
static void resolve_path(char *out, size_t cap, const char *rank_file, const char *rel)
{
    const char *slash = strrchr(rank_file, '/');

    if (rel[0] == '/' || !slash)
        snprintf(out, cap, "%s", rel);
    else
        snprintf(out, cap, "%.*s/%s", (int)(slash - rank_file), rank_file, rel);
}

/* The rank list and its profile (inline, or a file next to it), before the world. */
static int rank_prepare(struct sp_cli *c)
{
    struct rank_state *s = c->state;
    struct sp_buf text = {NULL, 0, 0, 1u << 20};
    struct sp_err err = SP_ERR_INIT;
    char path[2 * SP_PROFILE_MAX_PATH];
    int rc;

    if (c->argc != 1)
        return sp_cli_fail(SP_EXIT_USAGE, "rank: name one rank-list file (see --help)");
    s->path = c->argv[0];
    rc = sp_read_file(&text, s->path, &err);
    if (rc) {
        rc = sp_cli_fail_err(sp_cli_exit_for(rc), &err);
    } else if (sp_rank_from_json(&s->doc, sp_buf_cstr(&text), text.len, &err)) {
        sp_err_prefix(&err, s->path, ": ");
        rc = sp_cli_fail_err(SP_EXIT_USAGE, &err);
    } else if (s->doc.has_profile && sp_profile_complete(&s->doc.profile, &err)) {
        sp_err_prefix(&err, s->path, ": profile.");
        rc = sp_cli_fail_err(SP_EXIT_USAGE, &err);
    } else if (!s->doc.has_profile) {
        resolve_path(path, sizeof(path), s->path, s->doc.profile_path);
        rc = sp_cli_load_profile(&s->doc.profile, path);
    }
    sp_buf_release(&text);
    return rc;
}

static int rank_run(struct sp_cli *c)
{
    struct rank_state *s = c->state;
    struct sp_rank_result result;
    struct sp_err err = SP_ERR_INIT;

    if (sp_rank_resolve(&s->doc.input, c->w.cat, &err) ||
        sp_rank(&result, &c->w.model, c->w.cat, c->w.q, &s->doc.profile, &s->doc.input, &err)) {
        sp_err_prefix(&err, s->path, ": ");
        return sp_cli_fail_err(SP_EXIT_USAGE, &err);
    }
    sp_render_rank(&c->out, sp_out_format(c->format), &result, &s->doc.input, &s->doc.profile);
    return SP_EXIT_OK;
}

const struct sp_cli_command sp_cmd_rank = {
    .name = "rank",
    .summary = "After interviews: your rank order list with P(match at each rank) and "
               "P(unmatched).",
    .synopsis = "RANK.json",
    .details = "FILE (schema smartpick.rank/1, docs/MATCH.md):\n"
               "  {\"schema\": \"smartpick.rank/1\", \"profile\": \"ir-moderate.json\",\n"
               "   \"interviews\": [{\"acgme_id\": \"4163800004\", \"preference\": 1}, ...],\n"
               "   \"pgy1\": [{\"name\": \"City Hospital TY\", \"preference\": 1}]}\n"
               "A profile path is relative to FILE. Example: examples/ir-moderate.rank.json\n",
    .setup = SP_CLI_FORMAT | SP_CLI_OUT | SP_CLI_MODEL | SP_CLI_DB | SP_CLI_WORLD,
    .formats = SP_OUT_BIT(SP_OUT_TEXT) | SP_OUT_BIT(SP_OUT_JSON) | SP_OUT_TABLE_WORD,
    .format_help = "text (default) or json",
    .format_rule = "must be text or json",
    .state_size = sizeof(struct rank_state),
    .prepare = rank_prepare,
    .run = rank_run,
};
