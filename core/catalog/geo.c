/*
 * Census divisions and great-circle distance.
 */
#include "smartpick/catalog/geo.h"

#include "smartpick/error.h"
#include "sp_names.h"

#include <math.h>
#include <string.h>

#include "banned.h"

static const char *const division_names[SP_DIV_COUNT] = {
    [SP_DIV_UNKNOWN] = "unknown",
    [SP_DIV_NEW_ENGLAND] = "new_england",
    [SP_DIV_MIDDLE_ATLANTIC] = "middle_atlantic",
    [SP_DIV_EAST_NORTH_CENTRAL] = "east_north_central",
    [SP_DIV_WEST_NORTH_CENTRAL] = "west_north_central",
    [SP_DIV_SOUTH_ATLANTIC] = "south_atlantic",
    [SP_DIV_EAST_SOUTH_CENTRAL] = "east_south_central",
    [SP_DIV_WEST_SOUTH_CENTRAL] = "west_south_central",
    [SP_DIV_MOUNTAIN] = "mountain",
    [SP_DIV_PACIFIC] = "pacific",
    [SP_DIV_TERRITORY] = "territory",
};

/* sp_division_name() and sp_division_parse(), which takes no "unknown". */
SP_NAME_TABLE(sp_division, enum sp_division, division_names, SP_DIV_UNKNOWN + 1, SP_DIV_COUNT,
              "unknown")

double sp_distance_miles(struct sp_point a, struct sp_point b)
{
    /* Mean Earth radius (IUGG) 6371.0088 km in statute miles. */
    const double radius_miles = 3958.7613;
    const double rad = 0.017453292519943295; /* pi / 180 */
    double dlat = (b.lat - a.lat) * rad;
    double dlon = (b.lon - a.lon) * rad;
    double s1 = sin(dlat / 2);
    double s2 = sin(dlon / 2);
    double h = s1 * s1 + cos(a.lat * rad) * cos(b.lat * rad) * s2 * s2;

    if (h > 1.0)
        h = 1.0;
    return 2.0 * radius_miles * asin(sqrt(h));
}
