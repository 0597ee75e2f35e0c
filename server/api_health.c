/*
 * GET /healthz: the server is up and answering (a load balancer's or a test's
 * probe). Touches nothing shared.
 */
#include "router.h"

#include "banned.h"

void sp_api_health(struct sp_api *a)
{
    struct sp_buf buf = SP_BUF_INIT;

    /* Probes may add cache-busting parameters: any query is accepted here. */
    sp_buf_adds(&buf, "{\"status\":\"ok\"}\n");
    sp_api_reply(a, 200, "application/json", &buf);
}
