/*
 * smartpick/catalog/geo.h - US Census divisions and great-circle distance.
 */
#ifndef SMARTPICK_GEO_H
#define SMARTPICK_GEO_H

/* The nine Census divisions ERAS uses for geographic preferences, plus territories. */
enum sp_division {
    SP_DIV_UNKNOWN,
    SP_DIV_NEW_ENGLAND,
    SP_DIV_MIDDLE_ATLANTIC,
    SP_DIV_EAST_NORTH_CENTRAL,
    SP_DIV_WEST_NORTH_CENTRAL,
    SP_DIV_SOUTH_ATLANTIC,
    SP_DIV_EAST_SOUTH_CENTRAL,
    SP_DIV_WEST_SOUTH_CENTRAL,
    SP_DIV_MOUNTAIN,
    SP_DIV_PACIFIC,
    SP_DIV_TERRITORY,
    SP_DIV_COUNT
};

/* "new_england", ... ("unknown" for SP_DIV_UNKNOWN). */
const char *sp_division_name(enum sp_division d);
/* Parse a division name; SP_ENOTFOUND if it is not one. */
int sp_division_parse(enum sp_division *out, const char *name);

struct sp_point {
    double lat; /* degrees */
    double lon; /* degrees */
};

/* Great-circle (haversine) distance in statute miles on a sphere of mean Earth radius. */
double sp_distance_miles(struct sp_point a, struct sp_point b);

#endif
