/* The dashboard's aggregate queries: a few GROUP BY statements over
 * meetings, attendance, cases and actions, with the same filters each time
 * (date range, authority, phase, team, school) and the caller's visibility.
 * Rows come back through a callback as generic rows; svc_dashboard.c says
 * what each column means and builds the tables.  Where millions of rows
 * fall into a few groups (attendance, actions) the grouping is done in C
 * with a hash table, since SQLite's GROUP BY sorts every row first.
 * Also the cost model and disclosure settings, and the school population
 * figures. */
#ifndef TAS_STORE_Q_DASHBOARD_H
#define TAS_STORE_Q_DASHBOARD_H

#include "core/policy.h"
#include "store/store.h"

struct dash_query {
    const char *from, *to;              /* YYYY-MM-DD, inclusive (meeting dates) */
    int64_t authority_id, team_id, school_id;  /* 0 = any */
    const char *phase;                  /* "" = any */
    const struct visibility *vis;
};

#define DASH_NS 20
struct dash_row {
    int64_t authority_id;
    char phase[16];
    char k[6][128];                     /* text keys, by query */
    int64_t n[DASH_NS];                 /* counts, by query */
};

typedef void (*dash_fn)(void *arg, const struct dash_row *r);

/* For the queries of the store (q_dashboard.c, q_refres.c): binds q's
 * filters from idx, in the order authority (a range), team, phase, school
 * (each twice: "? = 0 OR ..."), then the visibility's slots; returns the
 * next index, or -1 when the visibility cannot be bound. */
int q_dash_bind_by_team(struct store_stmt *st, int idx, const struct dash_query *q);

/* A case is presented at its first 'new' discussion at a held meeting
 * (earliest date, then lowest meeting id), by that meeting's team; its
 * follow-ups are the held review discussions on or after that date.
 * Shared by the queries here and the rollup (q_dash_rollup.c), which must
 * agree to the row.  D and M name the discussion and its meeting. */
#define DASH_FIRST_PRESENTATION(D, M) \
    " NOT EXISTS (SELECT 1 FROM discussions fd JOIN meetings fm ON fm.id = fd.meeting_id AND fd.voided_at IS NULL AND fm.voided_at IS NULL " \
    "WHERE fd.case_id = " D ".case_id AND fd.kind = 'new' AND fm.status = 'held' AND (fm.meeting_date < " \
    M ".meeting_date OR (fm.meeting_date = " M ".meeting_date AND fm.id < " M ".id))) "
/* The case facts the case tables count, for case C: summary before the
 * meeting, toolkit complete, then the DASH_PRIOR_FLAGS prior contact flags,
 * each 1, 0 or -1 (not recorded). */
#define DASH_CASE_FLAGS(C) \
    "coalesce(" C ".summary_before_meeting, -1), coalesce(" C ".ect_completed, -1), " \
    "coalesce(" C ".prior_paediatrics, -1), coalesce(" C ".prior_mhst_camhs, -1), " \
    "coalesce(" C ".prior_early_help, -1), " \
    "CASE WHEN " C ".prior_cin = 1 OR " C ".prior_cp = 1 OR " C ".prior_lac = 1 THEN 1 " \
    "WHEN " C ".prior_cin IS NULL OR " C ".prior_cp IS NULL OR " C ".prior_lac IS NULL THEN -1 ELSE 0 END, " \
    "coalesce(" C ".prior_sen_support, -1), coalesce(" C ".prior_ehcna, -1), coalesce(" C ".prior_ehcp, -1), " \
    "coalesce(" C ".prior_suspensions, -1), coalesce(" C ".risk_pex, -1)"
/* An action's owner service (named, or the owning practitioner's; 0 none)
 * and its resource (signposting only; 0 none), for action A and
 * practitioner PR. */
#define DASH_ACTION_OWNER(A, PR) "coalesce(" A ".owner_service_id, " PR ".service_id, 0)"
#define DASH_ACTION_RESOURCE(A) \
    "CASE WHEN " A ".nature IN ('signposting_school', 'signposting_parents') " \
    "THEN coalesce(" A ".resource_id, 0) ELSE 0 END"
/* Present attendance: the key (service code or standing role; a guest's
 * role), the service's name and kind of organisation, for attendance A
 * and service SV; named att_key, att_name, att_org. */
#define DASH_ATTENDANCE_KEY(A, SV) \
    "CASE WHEN " A ".guest = 1 THEN " A ".role ELSE coalesce(" SV ".code, " A ".role) END AS att_key, " \
    "coalesce(" SV ".name, '') AS att_name, coalesce(" SV ".org_kind, '') AS att_org"

/* Steps through a statement's rows as dash_rows: column 0 authority (or
 * 0), 1 phase, then nk text keys, then nn numbers; finishes with st. */
enum store_rc q_dash_rows(struct store_stmt *st, int nk, int nn, dash_fn fn, void *arg);

/* TAS member schools: phase; n0 schools. */
enum store_rc q_dash_schools(struct store *s, const struct dash_query *q, dash_fn fn, void *arg);
/* Meetings by authority and host school phase: n0 planned (every status),
 * n1 held, n2 held online, n3 cancelled. */
enum store_rc q_dash_meetings(struct store *s, const struct dash_query *q, dash_fn fn, void *arg);
/* By month: k0 "YYYY-MM", phase; n0 planned, n1 held. */
enum store_rc q_dash_months(struct store *s, const struct dash_query *q, dash_fn fn, void *arg);
/* Present attendance at held meetings: authority, phase, k0 key (service
 * code or standing role; a guest's role), k1 service name, k2 org kind,
 * n0 guest (0/1), n1 meetings attended, n2 people present. */
enum store_rc q_dash_attendance(struct store *s, const struct dash_query *q, dash_fn fn, void *arg);
/* Core members expected at every meeting in the range (every status):
 * authority, phase, k0 service code (not the standing roles), k1 its name, n0 places. */
enum store_rc q_dash_planned_members(struct store *s, const struct dash_query *q, dash_fn fn, void *arg);

/* "Cases presented": cases presented (DASH_FIRST_PRESENTATION) at a held
 * meeting in the range.  One row per case: phase of the pupil's school, k0 gender, k1 NC year,
 * k2 ethnicity, k3 SEN provision; n0 summary before the meeting, n1 toolkit
 * complete, then the DASH_PRIOR_FLAGS prior contact flags (paediatrics,
 * MHST/CAMHS, Early Help, children's social care (CIN, CP or LAC), SEN
 * support, EHC needs assessment, EHC plan, suspensions, risk of permanent
 * exclusion): each 1, 0, or -1 not recorded; then the number of its
 * follow-ups up to the end of the range. */
#define DASH_PRIOR_FLAGS 9
enum store_rc q_dash_case_rows(struct store *s, const struct dash_query *q, dash_fn fn, void *arg);
/* The evidence the dashboard counts for case C: closed (0/1), feedback to
 * the family recorded at any discussion (0/1), early intervention
 * appropriate and referral made (1, 0, -1 not classified).  Shared with
 * the rollup, as DASH_CASE_FLAGS. */
#define DASH_CASE_EVIDENCE(C) \
    "CASE WHEN " C ".status = 'closed' THEN 1 ELSE 0 END, " \
    "CASE WHEN EXISTS (SELECT 1 FROM discussions fbd WHERE fbd.case_id = " C ".id AND fbd.feedback_on IS NOT NULL " \
    "AND fbd.voided_at IS NULL) " \
    "THEN 1 ELSE 0 END, coalesce(" C ".ei_appropriate, -1), coalesce(" C ".referral_made, -1)"
/* The evidence of those cases (one row per case presented): phase; n0
 * follow-ups up to the end of the range (as q_dash_case_rows), then
 * DASH_CASE_EVIDENCE: n1 closed, n2 feedback recorded, n3 early
 * intervention appropriate, n4 referral made. */
enum store_rc q_dash_evidence(struct store *s, const struct dash_query *q, dash_fn fn, void *arg);
/* One row per case presented, for its before and after: the pupil's
 * school's authority and phase; k0 the day presented; n0 the case, n1 the
 * pupil.  By authority, then day (so each school year's terms are read once). */
enum store_rc q_dash_case_presented(struct store *s, const struct dash_query *q, dash_fn fn, void *arg);
/* Actions of those cases: phase, k0 setting, k1 nature; n0 owner service
 * id (0 none), n1 resource id (signposting only; 0 none), n2 actions. */
enum store_rc q_dash_actions(struct store *s, const struct dash_query *q, dash_fn fn, void *arg);
/* Names for those ids, services then resources, by id: authority_id holds
 * the id, phase "service" or "resource", k0 code or kind, k1 name or
 * title, k2 org kind. */
enum store_rc q_dash_names(struct store *s, int64_t authority_id, dash_fn fn, void *arg);
/* Pupils on roll of the TAS schools in scope: phase, k0 dimension,
 * k1 category, n0 pupils. */
enum store_rc q_dash_population(struct store *s, const struct dash_query *q, dash_fn fn, void *arg);

/* ---- settings ---- */

struct cost_rate {
    int64_t authority_id;
    char role_key[32];
    char label[128];
    char org_group[8];                  /* school la health other */
    int64_t hourly_pence;
    int64_t prep_minutes, meeting_minutes, followup_minutes, travel_minutes;
};

/* Rates of one authority (0: every authority). */
enum store_rc q_cost_rates(struct store *s, int64_t authority_id,
                           void (*fn)(void *arg, const struct cost_rate *r), void *arg);
enum store_rc q_cost_rate_put(struct store *s, const struct cost_rate *r, int64_t now);
/* The highest threshold set for the authority (0: any authority); *out 0 when none. */
enum store_rc q_disclosure_get(struct store *s, int64_t authority_id, int64_t *out);
enum store_rc q_disclosure_put(struct store *s, int64_t authority_id, int64_t suppress_below, int64_t now);
/* A school's census figures: k0 dimension, k1 category, n0 pupils. */
enum store_rc q_population_list(struct store *s, int64_t school_id, dash_fn fn, void *arg);
/* Replaces one dimension of a school's population. */
enum store_rc q_population_put(struct store *s, int64_t school_id, const char *dimension,
                               const char *const *categories, const int64_t *pupils, size_t n);

#endif
