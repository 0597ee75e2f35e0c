/*
 * The route table. Paths are compared segment by segment with fixed patterns;
 * nothing here builds a file name, so "/../../etc/passwd" is simply a path no
 * route has (404). The web assets are not routes: server.c looks them up by
 * exact name in the embedded table when no route matches.
 */
#include "router.h"

#include <stdio.h>
#include <string.h>

#include "banned.h"

struct route {
    const char *method;
    const char *pattern;
    sp_api_handler handler;
    bool compute; /* milliseconds of model work: FIFO on the compute threads */
};

static const struct route routes[] = {
    {"GET", "/healthz", sp_api_health, false},
    {"POST", "/api/v1/profile/validate", sp_api_profile_validate, false},
    {"POST", "/api/v1/assess", sp_api_assess, true},
    {"POST", "/api/v1/fit", sp_api_fit, true},
    {"POST", "/api/v1/plan", sp_api_plan, true},
    {"GET", "/api/v1/plan-options", sp_api_plan_options, false},
    {"POST", "/api/v1/rank", sp_api_rank, true},
    {"POST", "/api/v1/match", sp_api_match, true},
    {"GET", "/api/v1/programs", sp_api_programs, false},
    {"GET", "/api/v1/specialties", sp_api_specialties, false},
    {"GET", "/api/v1/profiles", sp_api_profiles_list, false},
    {"POST", "/api/v1/profiles", sp_api_profiles_create, false},
    {"GET", "/api/v1/profiles/{id}", sp_api_profiles_get, false},
    {"DELETE", "/api/v1/profiles/{id}", sp_api_profiles_delete, false},
    {"GET", "/api/v1/plans", sp_api_plans_list, false},
    {"POST", "/api/v1/plans", sp_api_plans_create, true},
    {"GET", "/api/v1/plans/{id}", sp_api_plans_get, false},
    {"DELETE", "/api/v1/plans/{id}", sp_api_plans_delete, false},
};

#define N_ROUTES (sizeof(routes) / sizeof(routes[0]))

/* Whether path matches pattern; the {id} segment goes to id. */
static bool match(const char *pattern, const char *path, char *id, size_t id_cap)
{
    while (*pattern && *path) {
        if (strncmp(pattern, "{id}", 4) == 0) {
            size_t n = strcspn(path, "/");
            if (n == 0 || n >= id_cap)
                return false;
            memcpy(id, path, n);
            id[n] = '\0';
            pattern += 4;
            path += n;
            continue;
        }
        if (*pattern != *path)
            return false;
        pattern++;
        path++;
    }
    return *pattern == '\0' && *path == '\0';
}

static void add_allow(char *allow, size_t cap, const char *method)
{
    size_t len = strlen(allow);

    if (strstr(allow, method))
        return;
    snprintf(allow + len, cap - len, "%s%s", len ? ", " : "", method);
}

int sp_route_find(struct sp_route_match *m, const char *method, const char *path)
{
    const char *want = strcmp(method, "HEAD") == 0 ? "GET" : method;
    bool known = false;
    char id[sizeof(m->id)];

    memset(m, 0, sizeof(*m));
    for (size_t i = 0; i < N_ROUTES; i++) {
        id[0] = '\0';
        if (!match(routes[i].pattern, path, id, sizeof(id)))
            continue;
        if (strcmp(routes[i].method, want) == 0) {
            m->handler = routes[i].handler;
            m->compute = routes[i].compute;
            memcpy(m->id, id, sizeof(m->id));
            return 0;
        }
        known = true;
        add_allow(m->allow, sizeof(m->allow), routes[i].method);
        if (strcmp(routes[i].method, "GET") == 0)
            add_allow(m->allow, sizeof(m->allow), "HEAD");
    }
    return known ? SP_EINVAL : SP_ENOTFOUND;
}
