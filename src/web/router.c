#include "web/router.h"
#include "lib/count.h"

#include <stdlib.h>
#include <stdio.h>
#include <string.h>

/* Matches one path against one pattern; ":id" takes a positive integer of
 * at most 15 digits; ":token" one to 128 letters, digits, '-' or '_' (the
 * handler reads it from the path). */
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
        if (pat[0] == ':' && strncmp(pat, ":token", 6) == 0) {
            size_t n = 0;
            while (n < 129 && ((path[n] >= '0' && path[n] <= '9') || (path[n] >= 'a' && path[n] <= 'z') ||
                               (path[n] >= 'A' && path[n] <= 'Z') || path[n] == '-' || path[n] == '_'))
                n++;
            if (n == 0 || n > 128)
                return false;
            path += n;
            pat += 6;
            continue;
        }
        if (*pat != *path)
            return false;
        pat++, path++;
    }
    return *pat == '\0' && *path == '\0';
}

/* Every area's table, in the order paths are tried.  Add a line here (and
 * one in router.h) for a new h_<area>.c. */
static const struct route_table *const tables[] = {
    &static_table,
    &auth_table,
    &home_table,
    &authorities_table,
    &schools_table,
    &pupils_table,
    &outcomes_table,
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
    &evidence_table,
    &survey_table,
    &toolkits_table,
    &evaluation_table,
    &meeting_pack_table,
    &cohorts_table,
    &budget_table,
    &apst_table,
    &mail_table,
    &refres_table,
    &gias_table,
    &calendar_table,
    &ctf_table,
    &tokens_table,
};

void route_each(void (*fn)(const struct route *r, void *arg), void *arg)
{
    for (size_t t = 0; t < COUNT(tables); t++)
        for (size_t i = 0; i < tables[t]->count; i++)
            fn(&tables[t]->routes[i], arg);
}

const struct route *route_find(const char *method, const char *path, int64_t *id,
                               bool *method_mismatch)
{
    *method_mismatch = false;
    for (size_t t = 0; t < COUNT(tables); t++) {
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
    for (size_t t = 0; t < COUNT(tables); t++) {
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
