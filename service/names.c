/*
 * The name tables of the output formats and the sort keys (names.h): one place
 * for each word the CLI's flags and the API's parameters share.
 */
#include "names.h"

#include <string.h>

#include "banned.h"

static const struct {
    const char *name;
    const char *content_type;
} outs[SP_OUT_COUNT] = {
    [SP_OUT_TEXT] = {"text", "text/plain; charset=utf-8"},
    [SP_OUT_CSV] = {"csv", "text/csv; charset=utf-8"},
    [SP_OUT_JSON] = {"json", "application/json"},
    [SP_OUT_XLSX] = {"xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"},
    [SP_OUT_HTML] = {"html", "text/html; charset=utf-8"},
};

int sp_out_parse(enum sp_out *out, const char *name, unsigned allowed)
{
    if ((allowed & SP_OUT_TABLE_WORD) && strcmp(name, "table") == 0)
        name = outs[SP_OUT_TEXT].name;
    for (int i = 0; i < SP_OUT_COUNT; i++) {
        if ((allowed & SP_OUT_BIT(i)) && strcmp(name, outs[i].name) == 0) {
            *out = (enum sp_out)i;
            return 0;
        }
    }
    return SP_EINVAL;
}

const char *sp_out_name(enum sp_out o)
{
    return (unsigned)o < SP_OUT_COUNT ? outs[o].name : "?";
}

enum sp_format sp_out_format(enum sp_out o)
{
    return o == SP_OUT_JSON ? SP_FMT_JSON : o == SP_OUT_CSV ? SP_FMT_CSV : SP_FMT_TEXT;
}

const char *sp_out_content_type(enum sp_out o)
{
    return (unsigned)o < SP_OUT_COUNT ? outs[o].content_type : "application/octet-stream";
}

static const char *const sorts[] = {
    [SP_SORT_ID] = "id",
    [SP_SORT_NAME] = "name",
    [SP_SORT_DISTANCE] = "distance",
    [SP_SORT_STATE] = "state",
};

int sp_sort_parse(enum sp_sort *out, const char *name)
{
    for (size_t i = 0; i < sizeof(sorts) / sizeof(sorts[0]); i++) {
        if (strcmp(name, sorts[i]) == 0) {
            *out = (enum sp_sort)i;
            return 0;
        }
    }
    return SP_EINVAL;
}

const char *sp_sort_name(enum sp_sort s)
{
    return (unsigned)s < sizeof(sorts) / sizeof(sorts[0]) ? sorts[s] : "?";
}
