/* The route table: which handler answers which method and path, and what
 * it needs (a signed-in user; nothing else is decided here: access is the
 * policy's job, inside the services). */
#ifndef TAS_WEB_ROUTER_H
#define TAS_WEB_ROUTER_H

#include "web/http.h"

enum route_flags {
    ROUTE_PUBLIC = 1,      /* no sign-in needed */
    ROUTE_NO_DB = 2,       /* static: no database connection, no session */
    ROUTE_ENROL = 4,       /* open to a session that must first set up a second
                              factor (setting it up, signing out) */
};

struct route {
    const char *method;
    const char *pattern;   /* "/pupils/:id/edit"; :id matches a positive integer */
    handler_fn fn;
    unsigned flags;
};

/* Each area's handler file exports its routes as one table; router.c
 * lists the tables.  A new area adds its file and one line there. */
struct route_table {
    const struct route *routes;
    size_t count;
};
#define ROUTE_TABLE(name, arr) const struct route_table name = {arr, sizeof arr / sizeof arr[0]}

/* The areas' tables (defined in their h_<area>.c files). */

/* Finds the route for method and path, filling *id.  Returns NULL, and
 * sets *method_mismatch when the path exists for another method. */
const struct route *route_find(const char *method, const char *path, int64_t *id,
                               bool *method_mismatch);

/* The methods a path accepts, comma-separated ("GET, HEAD, POST"), for
 * the Allow header of a 405. */
void route_allowed(const char *path, char *out, size_t outsz);

#endif
