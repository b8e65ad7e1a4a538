/* The route table: which handler answers which method and path, and what
 * it needs (a signed-in user; nothing else is decided here: access is the
 * policy's job, inside the services). */
#ifndef TAS_WEB_ROUTER_H
#define TAS_WEB_ROUTER_H

#include "core/policy.h"
#include "lib/count.h"
#include "web/http.h"

enum route_flags {
    ROUTE_PUBLIC = 1,      /* no sign-in needed */
    ROUTE_NO_DB = 2,       /* static: no database connection, no session */
    ROUTE_ENROL = 4,       /* open to a session that must first set up a second
                              factor (setting it up, signing out) */
    ROUTE_CSV = 8,         /* a list under /api/v1/ that GET /<list>.csv also answers,
                              as CSV; set with ROUTE_CSV_OF */
    ROUTE_UPLOAD = 16,     /* takes a file (multipart/form-data, web/upload.h) of up
                              to app.max_upload bytes; read with req_upload */
};

/* A list route that also answers as CSV to those the policy lets export
 * resource k (the kind is kept in the flags' high bits). */
#define ROUTE_CSV_OF(k) (ROUTE_CSV | (((unsigned)(k) + 1u) << 8))
#define ROUTE_CSV_RES(flags) ((enum resource_kind)(((flags) >> 8) - 1u))

struct route {
    const char *method;
    const char *pattern;   /* "/pupils/:id/edit"; :id matches a positive integer */
    handler_fn fn;
    unsigned flags;
};

/* The ten routes of a kind of record that people list, add, view and
 * change at base ("/schools"), in a route table: list, the blank form
 * (base/new), create (POST base), view (base/:id), the filled form
 * (base/:id/edit) and update (POST there); the API's list, create, view
 * and update (PUT) at /api/v1 + base, its list answering as CSV to those
 * who may export resource kind res.  One handler may both create and
 * update (rq->id is 0 when it creates). */
#define RECORD_ROUTES(base, list, blank, create, view, edit, update, res)                                      \
    {"GET", base, list, 0}, {"GET", base "/new", blank, 0}, {"POST", base, create, 0},                         \
    {"GET", base "/:id", view, 0}, {"GET", base "/:id/edit", edit, 0}, {"POST", base "/:id/edit", update, 0},  \
    {"GET", "/api/v1" base, list, ROUTE_CSV_OF(res)}, {"POST", "/api/v1" base, create, 0},                    \
    {"GET", "/api/v1" base "/:id", view, 0}, {"PUT", "/api/v1" base "/:id", update, 0}

/* Each area's handler file exports its routes as one table; router.c
 * lists the tables.  A new area adds its file and one line there. */
struct route_table {
    const struct route *routes;
    size_t count;
};
#define ROUTE_TABLE(name, arr) const struct route_table name = {arr, COUNT(arr)}

/* The areas' tables, each defined at the end of its h_<area>.c: the
 * handlers are static there, so a route is registered in one place.
 * HTML pages use GET and POST (what forms can send); the JSON API under
 * /api/v1/ uses POST to create and PUT to replace. */
extern const struct route_table static_table;      /* h_static.c: assets, health, fixed pages */
extern const struct route_table auth_table;        /* h_auth.c: sign in and out */
extern const struct route_table home_table;        /* h_home.c */
extern const struct route_table authorities_table; /* h_authorities.c */
extern const struct route_table schools_table;     /* h_schools.c */
extern const struct route_table pupils_table;      /* h_pupils.c */
extern const struct route_table outcomes_table;    /* h_outcomes.c: outcome records and their import */
extern const struct route_table reference_table;   /* h_reference.c: services, practitioners, playbook, term dates */
extern const struct route_table cases_table;       /* h_cases.c */
extern const struct route_table actions_table;     /* h_actions.c: actions and referrals */
extern const struct route_table worklist_table;    /* h_worklist.c */
extern const struct route_table agenda_table;      /* h_agenda.c */
extern const struct route_table teams_table;       /* h_teams.c */
extern const struct route_table meetings_table;    /* h_meetings.c */
extern const struct route_table break_glass_table; /* h_break_glass.c */
extern const struct route_table audit_table;       /* h_audit.c */
extern const struct route_table dashboard_table_routes; /* h_dashboard.c */
extern const struct route_table costs_table;       /* h_costs.c */
extern const struct route_table account_table;     /* h_account.c */
extern const struct route_table users_table;       /* h_users.c */
extern const struct route_table extract_table;     /* h_extract.c */
extern const struct route_table evidence_table;    /* h_evidence.c: outcomes matrix, change stories */
extern const struct route_table survey_table;      /* h_survey.c: fast feedback questionnaires */
extern const struct route_table toolkits_table;    /* h_toolkits.c: screening toolkits */
extern const struct route_table evaluation_table;  /* h_evaluation.c: did it work? */
extern const struct route_table meeting_pack_table;  /* h_meeting_pack.c: running order, location, packs */
extern const struct route_table cohorts_table;     /* h_cohorts.c: cohort discussions and their actions */
extern const struct route_table budget_table;      /* h_budget.c: the pooled budget and commissioning */
extern const struct route_table apst_table;        /* h_apst.c: AP specialist taskforces */
extern const struct route_table mail_table;        /* h_mail.c: password reset, invitations, e-mail addresses */
extern const struct route_table refres_table;      /* h_refres.c: referral results */
extern const struct route_table gias_table;        /* h_gias.c: schools from GIAS */
extern const struct route_table calendar_table;    /* h_calendar.c: invitations and calendar feeds */
extern const struct route_table tokens_table;      /* h_tokens.c: API tokens (the account's page) */
extern const struct route_table ctf_table;         /* h_ctf.c: pupils from a Common Transfer File */

/* Finds the route for method and path, filling *id.  Returns NULL, and
 * sets *method_mismatch when the path exists for another method. */
const struct route *route_find(const char *method, const char *path, int64_t *id,
                               bool *method_mismatch);

/* Calls fn for every route of every table, in the order paths are tried
 * (tests/web/test_openapi.c checks the API's description against them). */
void route_each(void (*fn)(const struct route *r, void *arg), void *arg);

/* The methods a path accepts, comma-separated ("GET, HEAD, POST"), for
 * the Allow header of a 405. */
void route_allowed(const char *path, char *out, size_t outsz);

#endif
