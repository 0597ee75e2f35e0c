/*
 * Fuzz target: the request-target parser (server/http.c) that every request goes
 * through before routing. Any bytes (up to the first NUL) give either no path or
 * a decoded path that starts with '/' and holds no NUL, and at most
 * SP_API_MAX_PARAMS decoded parameters; nothing crashes or leaks.
 */
#include "api.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "banned.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *raw = malloc(size + 1);
    struct sp_target t;

    if (!raw)
        return 0;
    memcpy(raw, data, size);
    raw[size] = '\0';
    sp_target_parse(&t, raw);
    if (t.path && t.path[0] != '/')
        __builtin_trap();
    if (t.n_params > SP_API_MAX_PARAMS)
        __builtin_trap();
    for (size_t i = 0; i < t.n_params; i++) {
        if (!t.params[i].key || !t.params[i].value)
            __builtin_trap();
    }
    sp_target_release(&t);
    free(raw);
    return 0;
}
