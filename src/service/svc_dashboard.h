/* The TAS dashboard and learning report: every table of the report's
 * sections 2 to 5, built from the records for a date range, authority,
 * phase, team or school.  Policy: RES_AGGREGATE (ACT_VIEW to see it,
 * ACT_EXPORT for CSV/XLSX).  Exact counts are shown only to those who may
 * list the cases the figures count, and never in anything marked for
 * publication: there, counts below the authority's threshold are "c".
 * SQL: store/q_dashboard.c. */
#ifndef TAS_SERVICE_SVC_DASHBOARD_H
#define TAS_SERVICE_SVC_DASHBOARD_H

#include <stdbool.h>
#include <stddef.h>

#include "core/errors.h"
#include "core/stats.h"
#include "service/svc.h"
#include "store/q_dashboard.h"

#define DASH_DEFAULT_THRESHOLD 5
#define DASH_MISSING_RATES_LEN 512
/* Whole school terms either side of the day a case was presented, for
 * the outcomes table (as on the case page). */
#define DASH_OUTCOME_TERMS 2

struct dash_filter_form {
    const char *from, *to;              /* YYYY-MM-DD; empty: this academic year */
    const char *authority_id, *team_id, *school_id, *phase;
    const char *publish;                /* "yes": mark for publication */
    bool from_records;                  /* never the rollup (tests and benchmarks compare the two) */
};

struct dash_filter {
    char from[11], to[11];
    int64_t authority_id, team_id, school_id;
    char phase[16];
    bool publish;
};

/* In the learning report's order: section 2 (delivery, costs), 3 (who is
 * reached), 4 (what is done), 5 (who does it); then 6, the evidence Annex A
 * plans (families' voice, the outcomes matrix). */
enum dash_table {
    DT_MEETINGS = 0, DT_CASES, DT_PROCEDURES, DT_ATTENDANCE, DT_MONTHS,
    DT_COST_SUMMARY, DT_COST_PLANNED, DT_COST_ACTUAL,
    DT_GENDER, DT_GENDER_POP, DT_YEAR, DT_YEAR_POP, DT_ETHNICITY, DT_ETHNICITY_POP,
    DT_SEN, DT_SEN_POP, DT_PRIOR, DT_SEN_BY_GENDER,
    DT_SETTING, DT_NATURE, DT_RESOURCES, DT_OWNER, DT_OWNER_GROUP,
    DT_OUTCOMES, DT_FEEDBACK, DT_OUTCOMES_MATRIX,
    DT__COUNT
};
/* Which report section a table belongs to (2..7) and its heading. */
int dashboard_section(enum dash_table t);
const char *dashboard_section_title(int section);

struct dashboard {
    struct dash_filter f;
    bool exact;                         /* counts not suppressed */
    bool may_see_exact;                 /* the viewer could have them unmarked */
    int threshold;
    bool population_recorded;           /* some school in scope has census figures */
    char missing_rates[DASH_MISSING_RATES_LEN];   /* roles attending without a cost rate */
    int disclosed;                      /* hidden cells a reader could work out (stat_audit): 0 */
    struct stat_table t[DT__COUNT];
};

/* Whether replica (a streaming replica of primary: tas serve --read-db)
 * holds every change primary does that a dashboard may show: the same
 * records' and rollup's generations, read from primary first (a replica
 * is never ahead).  A dashboard computed on it then has the primary's
 * figures exactly; false on any error (a replica unreachable). */
bool svc_dashboard_replica_current(struct store *primary, struct store *replica);
/* Validates the filters (errs), checks the policy and builds everything.
 * SVC_INVALID with field errors; SVC_FORBIDDEN when aggregates may not be
 * seen (or a filter names something outside the viewer's scope). */
enum svc_status svc_dashboard(struct svc_ctx *c, const struct dash_filter_form *in, enum action a,
                              struct dashboard *out, struct field_errors *errs);
/* Brings the rollup (store/q_dash_rollup.h) up to date for one authority
 * (0: all): what the next dashboard over whole months would do first.  No
 * policy check: the rollup holds counts only and is never shown as such. */
enum svc_status svc_dashboard_refresh(struct svc_ctx *c, int64_t authority_id);
/* The same for every authority, one month at a time, starting no month
 * after budget_ms: what `tas serve` does between requests.  *left: the
 * stale months it did not reach. */
enum svc_status svc_dashboard_refresh_some(struct svc_ctx *c, int budget_ms, size_t *left);
/* Marks every month stale and rebuilds them all (`tas rollup rebuild`).
 * No policy check: an operator's command. */
enum svc_status svc_dashboard_rebuild(struct svc_ctx *c);
/* For a cache of the dashboard's pages (web/page_cache.c): when these
 * filters are answered from the rollup, brings it up to date for them and
 * sets *generation to its generation (q_rollup_generation), which changes
 * with anything such a dashboard reads; 0 when the dashboard would read
 * the records (or the filters are not valid): not to be cached.  The
 * figures a later svc_dashboard gives are at least as new as *generation.
 * A cached page must also be keyed by the filters, the viewer's grants
 * (the scope) and c->today. */
enum svc_status svc_dashboard_generation(struct svc_ctx *c, const struct dash_filter_form *in, enum action a,
                                         int64_t *generation);
/* True when two dashboards hold the same tables, rows and figures;
 * otherwise where the first difference is, in words. */
bool dashboard_same(const struct dashboard *a, const struct dashboard *b, char *where, size_t wherelen);
/* The table and row holding a cell (a base a row adds up to); false when
 * it is in none of d's tables (or c is NULL). */
bool dashboard_cell_at(const struct dashboard *d, const struct stat_cell *c, const struct stat_table **t,
                       const struct stat_row **r);
/* Table by key ("meetings", "gender", ...), or NULL. */
const struct stat_table *dashboard_table(const struct dashboard *d, const char *key);

/* Pick lists for the filter form: what the viewer's aggregates cover
 * (authorities; teams and TAS schools, first 200 of each by name). */
struct dash_choices_sink {
    void *arg;
    void (*authority)(void *arg, int64_t id, const char *name);
    void (*team)(void *arg, int64_t id, const char *name);
    void (*school)(void *arg, int64_t id, const char *name, const char *phase);
};
/* SVC_FORBIDDEN when the viewer may see no aggregates. */
enum svc_status svc_dashboard_choices(struct svc_ctx *c, const struct dash_choices_sink *sink);

/* The dashboard's filters and disclosure decision, for another statistics
 * page (svc_refres.c): validates the filters as svc_dashboard does (blank
 * dates: the dashboard's default year), and says whether counts are exact
 * (the viewer may list the cases counted, and nothing is marked for
 * publication) and the authority's threshold.  Same answers as
 * svc_dashboard. */
struct dash_scope {
    struct dash_filter f;
    bool exact, may_see_exact;
    int threshold;
};
enum svc_status svc_dashboard_scope(struct svc_ctx *c, const struct dash_filter_form *in, enum action a,
                                    struct dash_scope *out, struct field_errors *errs);

/* The cost model's "Planned programme cost" (the dashboard's cost summary,
 * DT_COST_SUMMARY) for the filters alone, without building the rest: every
 * meeting in the schedule of a team in scope (any status; phase: the host
 * school's), each with the school, the Strategic Lead, the Case
 * Coordinator and the team's other core members present, at the direct
 * staff cost of each role (hourly cost with on-costs times the minutes of
 * preparation, meeting, follow-up and travel).  The same checks as
 * svc_dashboard with ACT_VIEW (SVC_INVALID with field errors,
 * SVC_FORBIDDEN); meetings is how many were counted and missing_rates the
 * roles counted without a rate (their time not in pence). */
struct dash_planned_cost {
    int64_t pence, meetings;
    char missing_rates[DASH_MISSING_RATES_LEN];
};
enum svc_status svc_dashboard_planned_cost(struct svc_ctx *c, const struct dash_filter_form *in,
                                           struct dash_planned_cost *out, struct field_errors *errs);

/* Would svc_dashboard with these filters and action a be allowed (the
 * same checks, without building anything)?  What the pages ask before
 * offering an export link, so a link is shown exactly when it works. */
bool svc_dashboard_may(struct svc_ctx *c, const struct dash_filter_form *in, enum action a);
/* The heading of report table t (its key, title, figure, chart and
 * description: static strings), one way for the dashboard's tables and
 * the referral results' (svc_refres.c); answers t. */
struct stat_table *svc_stat_table_head(struct stat_table *t, const char *key, const char *title, const char *figure,
                                       enum chart_kind chart, const char *description);

#endif
