/*
 * Fuzz target: the server's request-body readers (server/body.c) on the body of
 * POST /api/v1/plans - the JSON object, its keys, the plan options (the CLI's
 * rules, service/plan_options.c) and the name. Any input is accepted or refused with
 * a 400 error that has a code and a message; nothing crashes, and accepted
 * options are within their documented ranges.
 */
#include "api.h"

#include <stdint.h>
#include <string.h>

#include "banned.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_refusal(int rc, const struct sp_api_err *e)
{
    if (rc && (e->status < 400 || e->status > 499 || e->why == SP_WHY_NONE || !e->message[0]))
        __builtin_trap();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char *const keys[] = {"name", "profile", "options", NULL};
    struct sp_plan_options o;
    struct sp_api_err e;
    char name[SP_SAVED_NAME_MAX + 1];
    json_t *root = NULL;
    int rc;

    memset(&e, 0, sizeof(e));
    rc = sp_body_parse(&root, (const char *)data, size, &e);
    check_refusal(rc, &e);
    if (rc)
        return 0;
    check_refusal(sp_body_check_keys(root, keys, "", &e), &e);
    sp_plan_options_init(&o);
    rc = sp_body_plan_options(&o, json_object_get(root, "options"), &e);
    check_refusal(rc, &e);
    if (rc == 0) {
        if (o.budget_usd < 0 || o.budget_usd > 100000 || o.max_applications < 0 ||
            o.max_applications > 2000 || o.target_p_match < 0 || o.target_p_match >= 1 ||
            o.n_include > SP_PLAN_MAX_IDS || o.n_exclude > SP_PLAN_MAX_IDS ||
            o.pgy1_applications < 0 || o.pgy1_applications > 100 ||
            (o.budget_usd > 0 && o.max_applications > 0))
            __builtin_trap();
        for (int k = 0; k < SP_SPEC_COUNT; k++) {
            if (o.min_per_specialty[k] < 0 || o.min_per_specialty[k] > 1000 ||
                o.max_per_specialty[k] < 0 || o.max_per_specialty[k] > 1000)
                __builtin_trap();
        }
    }
    rc = sp_body_name(name, sizeof(name), root, &e);
    check_refusal(rc, &e);
    if (rc == 0 && (strlen(name) < 1 || strlen(name) > SP_SAVED_NAME_MAX))
        __builtin_trap();
    json_decref(root);
    return 0;
}
