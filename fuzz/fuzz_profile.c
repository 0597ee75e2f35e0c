/*
 * Fuzz target: the profile reader and writer. Any input either fails with an
 * SP_EINVAL and a message, or reads into a profile that the writer turns into a
 * document which reads back into the same profile; completing it either fails
 * with a message or succeeds, and the completed profile survives the same round
 * trip. Never a crash, a leak or undefined behaviour.
 */
#include "profile_json.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "banned.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Write p, read it back into *back; trap unless that works. */
static void round_trip(const struct sp_profile *p, struct sp_profile *back)
{
    struct sp_err err = SP_ERR_INIT;
    char *text = sp_profile_to_json(p);

    if (!text)
        __builtin_trap();
    if (sp_profile_from_json(back, text, strlen(text), &err) != 0)
        __builtin_trap();
    free(text);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static struct sp_profile p, q, r; /* large; keep them off the fuzzer's stack */
    struct sp_err err = SP_ERR_INIT;
    int rc;

    rc = sp_profile_from_json(&p, (const char *)data, size, &err);
    if (rc != 0) {
        if (rc != SP_EINVAL || err.code != SP_EINVAL || !err.msg[0] ||
            !memchr(err.msg, '\0', sizeof(err.msg)))
            __builtin_trap();
        return 0;
    }
    round_trip(&p, &q);
    if (!sp_profile_equal(&p, &q))
        __builtin_trap();

    rc = sp_profile_complete(&p, &err);
    if (rc != 0) {
        if (rc != SP_EINVAL || !err.msg[0])
            __builtin_trap();
        /* The rules depend only on the profile, so its copy fails the same way. */
        if (sp_profile_complete(&q, &err) != rc)
            __builtin_trap();
        return 0;
    }
    if (sp_profile_complete(&q, &err) != 0 || !sp_profile_equal(&p, &q))
        __builtin_trap();
    round_trip(&p, &r);
    if (sp_profile_complete(&r, &err) != 0 || !sp_profile_equal(&p, &r))
        __builtin_trap();
    /* Completing twice changes nothing. */
    if (sp_profile_complete(&r, &err) != 0 || !sp_profile_equal(&p, &r))
        __builtin_trap();
    return 0;
}
