/*
 * router.h - the API's route table: {method, path pattern, handler}. A pattern
 * is a literal path whose segments may be "{id}" (any one non-empty segment).
 */
#ifndef SP_SERVER_ROUTER_H
#define SP_SERVER_ROUTER_H

#include "api.h"

struct sp_route_match {
    sp_api_handler handler; /* NULL: no route for this method */
    bool compute;           /* runs the model: queued for the compute threads */
    char id[64];            /* the {id} segment, "" when none */
    char allow[64];         /* when the path is known but not with this method:
                               the methods it takes, for a 405's Allow header */
};

/* Look up method and a decoded path. Returns 0 with m->handler set, SP_EINVAL
 * when the path is an API route with other methods (m->allow set), SP_ENOTFOUND
 * when no route has this path. HEAD is served by a GET route. */
int sp_route_find(struct sp_route_match *m, const char *method, const char *path);

/* The handlers, one file per resource (server/api_*.c). */
void sp_api_health(struct sp_api *a);
void sp_api_profile_validate(struct sp_api *a);
void sp_api_assess(struct sp_api *a);
void sp_api_fit(struct sp_api *a);
void sp_api_plan(struct sp_api *a);
void sp_api_plan_options(struct sp_api *a);
void sp_api_rank(struct sp_api *a);
void sp_api_match(struct sp_api *a);
void sp_api_programs(struct sp_api *a);
void sp_api_specialties(struct sp_api *a);
void sp_api_profiles_list(struct sp_api *a);
void sp_api_profiles_create(struct sp_api *a);
void sp_api_profiles_get(struct sp_api *a);
void sp_api_profiles_delete(struct sp_api *a);
void sp_api_plans_list(struct sp_api *a);
void sp_api_plans_create(struct sp_api *a);
void sp_api_plans_get(struct sp_api *a);
void sp_api_plans_delete(struct sp_api *a);

#endif
