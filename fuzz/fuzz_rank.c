/*
 * Fuzz target: the rank-list reader (smartpick.rank/1). Any input either parses
 * into a bounded list or fails with a message; nothing crashes.
 */
#include "rank_json.h"

#include <stdint.h>
#include <string.h>

#include "banned.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static struct sp_rank_doc doc;
    struct sp_err err = SP_ERR_INIT;

    if (sp_rank_from_json(&doc, (const char *)data, size, &err) == 0) {
        if (doc.input.n_entries == 0 || doc.input.n_entries > SP_RANK_MAX)
            __builtin_trap();
        for (size_t i = 0; i < doc.input.n_entries; i++) {
            if (strlen(doc.input.entries[i].acgme_id) != SP_ACGME_ID_LEN ||
                doc.input.entries[i].preference < 1)
                __builtin_trap();
        }
    } else if (!err.msg[0]) {
        __builtin_trap();
    }
    return 0;
}
