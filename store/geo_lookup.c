/*
 * Place lookups for "within N miles of": "City, ST" and 5-digit ZIP centroids
 * (GeoNames, CC BY 4.0), with suggestions when a name is not found.
 */
#include "store_internal.h"

#include "sp_str.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "banned.h"

#define CITY_MAX 96

static void trim(char *s)
{
    size_t len = strlen(s), start = 0;

    while (len && isspace((unsigned char)s[len - 1]))
        s[--len] = '\0';
    while (isspace((unsigned char)s[start]))
        start++;
    memmove(s, s + start, len - start + 1);
}

static int strncasecmp_ascii(const char *a, const char *b, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        int ca = tolower((unsigned char)a[i]), cb = tolower((unsigned char)b[i]);
        if (ca != cb || !ca)
            return ca - cb;
    }
    return 0;
}

/* The other common spelling of city, for the GeoNames list: "St. Louis" and
 * "St Louis" -> "Saint Louis", "Ft Worth" -> "Fort Worth", "Mt Vernon" -> "Mount
 * Vernon", and back. Returns 0 when there is no other spelling. */
static int respell_city(char *out, size_t cap, const char *in)
{
    static const struct {
        const char *abbr, *full;
    } words[] = {{"St ", "Saint "}, {"Ft ", "Fort "}, {"Mt ", "Mount "}};
    char plain[CITY_MAX];
    size_t n = 0;
    int changed = 0;

    for (; *in && n + 1 < sizeof(plain); in++) {
        if (*in != '.')
            plain[n++] = *in;
        else
            changed = 1;
    }
    plain[n] = '\0';
    for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++) {
        size_t la = strlen(words[i].abbr), lf = strlen(words[i].full);
        if (strncasecmp_ascii(plain, words[i].abbr, la) == 0) {
            snprintf(out, cap, "%s%s", words[i].full, plain + la);
            return 1;
        }
        if (strncasecmp_ascii(plain, words[i].full, lf) == 0) {
            snprintf(out, cap, "%s%s", words[i].abbr, plain + lf);
            return 1;
        }
    }
    snprintf(out, cap, "%s", plain);
    return changed;
}

static int lookup_city(sp_store *st, const char *city, const char *state, struct sp_point *out,
                       struct sp_err *err)
{
    sqlite3_stmt *stmt = NULL;
    int rc = sp_store__prepare(
        st, &stmt, "SELECT latitude, longitude FROM city WHERE state = ?1 AND city = ?2", err);

    if (rc)
        return rc;
    sqlite3_bind_text(stmt, 1, state, -1, SQLITE_STATIC);
    sqlite3_bind_text(stmt, 2, city, -1, SQLITE_STATIC);
    rc = sqlite3_step(stmt);
    if (rc == SQLITE_ROW) {
        out->lat = sqlite3_column_double(stmt, 0);
        out->lon = sqlite3_column_double(stmt, 1);
        rc = 0;
    } else {
        rc = rc == SQLITE_DONE ? SP_ENOTFOUND : sp_store__fail(st, err, "find city");
    }
    sqlite3_finalize(stmt);
    return rc;
}

static int state_known(sp_store *st, const char *state, struct sp_err *err)
{
    sqlite3_stmt *stmt = NULL;
    int rc = sp_store__prepare(st, &stmt, "SELECT 1 FROM city WHERE state = ?1 LIMIT 1", err);

    if (rc)
        return rc;
    sqlite3_bind_text(stmt, 1, state, -1, SQLITE_STATIC);
    rc = sqlite3_step(stmt) == SQLITE_ROW ? 0 : SP_ENOTFOUND;
    sqlite3_finalize(stmt);
    return rc;
}

int sp_store_check_state(sp_store *st, const char *field, const char *state, struct sp_err *err)
{
    sqlite3_stmt *stmt = NULL;
    int rc = sp_store__prepare(st, &stmt,
                               "SELECT 1 FROM state_division WHERE state = upper(?1) LIMIT 1", err);

    if (rc)
        return rc;
    sqlite3_bind_text(stmt, 1, state, -1, SQLITE_STATIC);
    rc = sqlite3_step(stmt) == SQLITE_ROW ? 0 : SP_EINVAL;
    sqlite3_finalize(stmt);
    if (rc)
        return sp_err_at(err, SP_EINVAL, SP_WHY_INVALID, field,
                         ": '%.40s' is not a US state code (e.g. TX)", state);
    return 0;
}

/* Whether a is a case-insensitive prefix of b ("Dal" of "Dallas"). */
static int is_prefix_i(const char *a, const char *b)
{
    for (; *a; a++, b++) {
        if (tolower((unsigned char)*a) != tolower((unsigned char)*b))
            return 0;
    }
    return 1;
}

/* Up to three cities of the state closest in spelling to city, into msg. */
static void suggest_cities(sp_store *st, const char *city, const char *state, char *msg,
                           size_t cap)
{
    struct {
        char name[CITY_MAX];
        size_t d;
    } best[3] = {{"", (size_t)-1}, {"", (size_t)-1}, {"", (size_t)-1}};
    sqlite3_stmt *stmt = NULL;
    size_t n = 0;

    msg[0] = '\0';
    if (sqlite3_prepare_v2(st->db, "SELECT city FROM city WHERE state = ?1", -1, &stmt, NULL))
        return;
    sqlite3_bind_text(stmt, 1, state, -1, SQLITE_STATIC);
    while (sqlite3_step(stmt) == SQLITE_ROW) {
        const char *name = (const char *)sqlite3_column_text(stmt, 0);
        size_t d = sp_str_distance(city, name, 8);
        if (d >= 4 && is_prefix_i(city, name))
            d = 3;
        for (int i = 0; i < 3; i++) {
            if (d < best[i].d) {
                memmove(&best[i + 1], &best[i], sizeof(best[0]) * (size_t)(2 - i));
                snprintf(best[i].name, sizeof(best[i].name), "%s", name);
                best[i].d = d;
                break;
            }
        }
    }
    sqlite3_finalize(stmt);
    for (int i = 0; i < 3 && best[i].d < 4; i++) {
        int w = snprintf(msg + n, cap - n, "%s'%s, %s'", i ? ", " : "", best[i].name, state);
        if (w < 0 || (size_t)w >= cap - n)
            break;
        n += (size_t)w;
    }
}

int sp_store_find_city(sp_store *st, const char *city_state, const char *zip_name,
                       struct sp_point *out, struct sp_err *err)
{
    char city[CITY_MAX], norm[CITY_MAX], state[8], hint[200];
    const char *comma = strrchr(city_state, ',');
    size_t len;
    int rc;

    if (!comma)
        return sp_err_at(err, SP_EINVAL, SP_WHY_INVALID, "near",
                         ": '%s' must be \"City, ST\" (e.g. \"Dallas, TX\")", city_state);
    len = (size_t)(comma - city_state);
    if (len >= sizeof(city) || strlen(comma + 1) >= sizeof(state))
        return sp_err_at(err, SP_EINVAL, SP_WHY_INVALID, "near",
                         ": '%s' is too long for \"City, ST\"", city_state);
    memcpy(city, city_state, len);
    city[len] = '\0';
    snprintf(state, sizeof(state), "%s", comma + 1);
    trim(city);
    trim(state);
    for (char *p = state; *p; p++)
        *p = (char)toupper((unsigned char)*p);
    if (strlen(state) != 2 || state_known(st, state, NULL))
        return sp_err_at(err, SP_ENOTFOUND, SP_WHY_INVALID, "near",
                         ": '%s' is not a US state code (e.g. TX)", state);
    rc = lookup_city(st, city, state, out, err);
    if (rc != SP_ENOTFOUND)
        return rc;
    if (respell_city(norm, sizeof(norm), city)) {
        rc = lookup_city(st, norm, state, out, err);
        if (rc != SP_ENOTFOUND)
            return rc;
    }
    suggest_cities(st, city, state, hint, sizeof(hint));
    if (hint[0])
        return sp_err_at(err, SP_ENOTFOUND, SP_WHY_INVALID, "near",
                         ": no city '%s, %s' in the catalog; did you mean %s?", city, state, hint);
    return sp_err_at(err, SP_ENOTFOUND, SP_WHY_INVALID, "near",
                     ": no city '%s, %s' in the catalog; try %s with a ZIP code", city, state,
                     zip_name);
}

int sp_store_find_zip(sp_store *st, const char *zip, struct sp_point *out, struct sp_err *err)
{
    sqlite3_stmt *stmt = NULL;
    char hint[64] = "";
    int rc;

    if (strlen(zip) != 5 || strspn(zip, "0123456789") != 5)
        return sp_err_at(err, SP_EINVAL, SP_WHY_INVALID, "zip", ": '%s' must be 5 digits", zip);
    rc = sp_store__prepare(st, &stmt,
                           "SELECT zip, latitude, longitude FROM zip WHERE zip >= ?1"
                           " ORDER BY zip LIMIT 1",
                           err);
    if (rc)
        return rc;
    sqlite3_bind_text(stmt, 1, zip, -1, SQLITE_STATIC);
    if (sqlite3_step(stmt) == SQLITE_ROW) {
        const char *found = (const char *)sqlite3_column_text(stmt, 0);
        if (strcmp(found, zip) == 0) {
            out->lat = sqlite3_column_double(stmt, 1);
            out->lon = sqlite3_column_double(stmt, 2);
            sqlite3_finalize(stmt);
            return 0;
        }
        snprintf(hint, sizeof(hint), "; the next ZIP in the data is %s", found);
    }
    sqlite3_finalize(stmt);
    return sp_err_at(err, SP_ENOTFOUND, SP_WHY_INVALID, "zip",
                     ": '%s' is not in the GeoNames ZIP list%s", zip, hint);
}

int sp_store_state_centroid(sp_store *st, const char *state, struct sp_point *out,
                            struct sp_err *err)
{
    sqlite3_stmt *stmt = NULL;
    int rc = sp_store__prepare(st, &stmt,
                               "SELECT avg(latitude), avg(longitude), count(*) FROM zip"
                               " WHERE state = ?1",
                               err);

    if (rc)
        return rc;
    sqlite3_bind_text(stmt, 1, state, -1, SQLITE_STATIC);
    if (sqlite3_step(stmt) == SQLITE_ROW && sqlite3_column_int(stmt, 2) > 0) {
        out->lat = sqlite3_column_double(stmt, 0);
        out->lon = sqlite3_column_double(stmt, 1);
    } else {
        rc = sp_err_at(err, SP_ENOTFOUND, SP_WHY_INVALID, "state",
                       ": '%s' has no ZIP codes in the GeoNames list", state);
    }
    sqlite3_finalize(stmt);
    return rc;
}
