#include "web/router.h"

#include <stdlib.h>
#include <string.h>

#include "web/handlers.h"

/* HTML pages use GET and POST (what forms can send); the JSON API under
 * /api/v1/ uses POST to create and PUT to replace. */
static const struct route core_routes[] = {
    {"GET", "/assets/tas.css", h_asset_css, ROUTE_PUBLIC | ROUTE_NO_DB},
    {"GET", "/healthz", h_healthz, ROUTE_PUBLIC | ROUTE_NO_DB},
    {"GET", "/favicon.ico", h_no_content, ROUTE_PUBLIC | ROUTE_NO_DB},
    {"GET", "/accessibility", h_accessibility, ROUTE_PUBLIC},
    {"GET", "/privacy", h_privacy, ROUTE_PUBLIC},

    {"GET", "/sign-in", h_sign_in_form, ROUTE_PUBLIC},
    {"POST", "/sign-in", h_sign_in, ROUTE_PUBLIC},
    {"POST", "/sign-out", h_sign_out, ROUTE_ENROL},
    {"GET", "/", h_home, 0},

    {"GET", "/authorities", h_authority_list, 0},
    {"GET", "/authorities/new", h_authority_new, 0},
    {"POST", "/authorities", h_authority_create, 0},
    {"GET", "/authorities/:id", h_authority_view, 0},
    {"GET", "/authorities/:id/edit", h_authority_edit, 0},
    {"POST", "/authorities/:id/edit", h_authority_update, 0},

    {"GET", "/schools", h_school_list, 0},
    {"GET", "/schools/new", h_school_new, 0},
    {"POST", "/schools", h_school_create, 0},
    {"GET", "/schools/:id", h_school_view, 0},
    {"GET", "/schools/:id/edit", h_school_edit, 0},
    {"POST", "/schools/:id/edit", h_school_update, 0},

    {"GET", "/pupils", h_pupil_list, 0},
    {"GET", "/pupils/new", h_pupil_new, 0},
    {"POST", "/pupils", h_pupil_create, 0},
    {"GET", "/pupils/:id", h_pupil_view, 0},
    {"GET", "/pupils/:id/edit", h_pupil_edit, 0},
    {"POST", "/pupils/:id/edit", h_pupil_update, 0},

    {"POST", "/api/v1/sign-in", h_api_sign_in, ROUTE_PUBLIC},
    {"POST", "/api/v1/sign-out", h_sign_out, ROUTE_ENROL},
    {"GET", "/api/v1/me", h_api_me, ROUTE_ENROL},
    {"GET", "/api/v1/authorities", h_authority_list, 0},
    {"POST", "/api/v1/authorities", h_authority_create, 0},
    {"GET", "/api/v1/authorities/:id", h_authority_view, 0},
    {"PUT", "/api/v1/authorities/:id", h_authority_update, 0},
    {"GET", "/api/v1/schools", h_school_list, 0},
    {"POST", "/api/v1/schools", h_school_create, 0},
    {"GET", "/api/v1/schools/:id", h_school_view, 0},
    {"PUT", "/api/v1/schools/:id", h_school_update, 0},
    {"GET", "/api/v1/pupils", h_pupil_list, 0},
    {"POST", "/api/v1/pupils", h_pupil_create, 0},
    {"GET", "/api/v1/pupils/:id", h_pupil_view, 0},
    {"PUT", "/api/v1/pupils/:id", h_pupil_update, 0},
};

/* Matches one path against one pattern; ":id" takes a positive integer of
 * at most 15 digits. */
static bool match(const char *pat, const char *path, int64_t *id)
{
    while (*pat && *path) {
        if (pat[0] == ':' && strncmp(pat, ":id", 3) == 0) {
            const char *p = path;
            int64_t v = 0;
            int n = 0;
            while (*p >= '0' && *p <= '9' && n < 16) {
                v = v * 10 + (*p - '0');
                p++, n++;
            }
            if (n == 0 || n > 15 || v <= 0 || path[0] == '0')
                return false;
            *id = v;
            path = p;
            pat += 3;
            continue;
        }
        if (*pat != *path)
            return false;
        pat++, path++;
    }
    return *pat == '\0' && *path == '\0';
}

static ROUTE_TABLE(core_table, core_routes);

extern const struct route_table cases_table;
extern const struct route_table actions_table;
extern const struct route_table worklist_table;
extern const struct route_table agenda_table;
extern const struct route_table reference_table;
extern const struct route_table teams_table;
extern const struct route_table meetings_table;
extern const struct route_table break_glass_table;
extern const struct route_table audit_table;
extern const struct route_table dashboard_table_routes;
extern const struct route_table costs_table;
extern const struct route_table account_table;
extern const struct route_table users_table;
extern const struct route_table extract_table;

/* Every area's table.  Add a line here for a new h_<area>.c. */
static const struct route_table *const tables[] = {
    &core_table,
    &reference_table,
    &cases_table,
    &actions_table,
    &worklist_table,
    &agenda_table,
    &teams_table,
    &meetings_table,
    &break_glass_table,
    &audit_table,
    &dashboard_table_routes,
    &costs_table,
    &account_table,
    &users_table,
    &extract_table,
};

const struct route *route_find(const char *method, const char *path, int64_t *id,
                               bool *method_mismatch)
{
    *method_mismatch = false;
    for (size_t t = 0; t < sizeof tables / sizeof tables[0]; t++) {
        const struct route *routes = tables[t]->routes;
        for (size_t i = 0; i < tables[t]->count; i++) {
            int64_t v = 0;
            if (!match(routes[i].pattern, path, &v))
                continue;
            if (strcmp(routes[i].method, method) == 0 ||
                (strcmp(method, "HEAD") == 0 && strcmp(routes[i].method, "GET") == 0)) {
                *id = v;
                return &routes[i];
            }
            *method_mismatch = true;
        }
    }
    return NULL;
}

void route_allowed(const char *path, char *out, size_t outsz)
{
    size_t o = 0;
    out[0] = '\0';
    for (size_t t = 0; t < sizeof tables / sizeof tables[0]; t++) {
        for (size_t i = 0; i < tables[t]->count; i++) {
            const struct route *r = &tables[t]->routes[i];
            int64_t v;
            if (!match(r->pattern, path, &v) || strstr(out, r->method))
                continue;
            const char *extra = strcmp(r->method, "GET") == 0 ? ", HEAD" : "";
            int n = snprintf(out + o, outsz - o, "%s%s%s", o ? ", " : "", r->method, extra);
            if (n < 0 || (size_t)n >= outsz - o)
                return;
            o += (size_t)n;
        }
    }
}
