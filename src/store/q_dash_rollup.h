/* The dashboard's rollup (migrations 0007, 0008): its figures per authority
 * and month, an (authority, month) rebuilt when something its figures
 * depend on changed (triggers mark it stale).  An authority's or England's
 * dashboard over whole months reads these few thousand rows instead of
 * every case and action; anything narrower reads the records
 * (q_dashboard.c).  The two must give the same figures, row for row: the
 * rebuild uses the same definitions (q_dashboard.h's DASH_* fragments), and
 * tests compare them.
 *
 * Rows (dim): "meetings" (n1 planned, n2 held, n3 held online, n4
 * cancelled); "planned" places of core members (k1 service code, k2 its
 * name, n1 places: meetings times the team's members); "attendance" (k1
 * key, k2 service name, k3 organisation kind, n1 guest, n2 meetings
 * attended, n3 people); the actions of the cases presented, one dimension
 * at a time: "act_kind" (k1 setting, k2 nature, n1 actions), "act_owner"
 * (n1 owner service or 0, n2 actions), "act_resource" (signposting only:
 * n1 resource or 0, n2 actions); and the case
 * dimensions, month being the month the case was presented: "cases",
 * "gender" k1, "nc_year" k1, "ethnicity" k1, "sen" k1, "sen_gender" (k1
 * gender, k2 the in-school SEN support flag), "flag" (k1 the flag's index:
 * 0 summary, 1 toolkit, 2.. the prior contact flags; k2 its value), "fu3"
 * (k1..k3 the months of the case's first three follow-ups, '' none) and
 * "fu" (k1 a month, n1 follow-ups in it); "evidence" (migration 0016: k1
 * closed and feedback recorded, "10"; k2 early intervention appropriate and
 * referral made, "1 0", -1 not classified; k3 the month of the first
 * follow-up, '' none); n1 cases unless said.  And
 * "population" (migration 0009): the TAS schools' census (k1 dimension,
 * k2 category, n1 pupils), in the month DASH_POPULATION_MONTH. */
#ifndef TAS_STORE_Q_DASH_ROLLUP_H
#define TAS_STORE_Q_DASH_ROLLUP_H

#include <stdbool.h>

#include "store/q_dashboard.h"

/* The census of the TAS schools has no month: its rows carry this one. */
#define DASH_POPULATION_MONTH "0000-00"

/* True when q can be answered from the rollup: whole calendar months, no
 * team or school, and a visibility of whole authorities. */
bool q_rollup_answers(const struct dash_query *q);

/* The (authority, month) pairs whose rows are stale (marked so, or being
 * rebuilt: claimed), for one authority (0: all) and the months
 * from_month..to_month (YYYY-MM), through fn. */
enum store_rc q_rollup_stale(struct store *s, int64_t authority_id, const char *from_month, const char *to_month,
                             void (*fn)(void *arg, int64_t authority_id, const char *month), void *arg);
/* The first and last months (YYYY-MM) holding a meeting; "" when none. */
enum store_rc q_rollup_span(struct store *s, char first[8], char last[8]);
/* Marks every month of every authority stale (`tas rollup rebuild`). */
enum store_rc q_rollup_mark_all(struct store *s);
/* Rebuilds one authority's rows for one month (YYYY-MM), or the census
 * (DASH_POPULATION_MONTH), or England's month (authority 0).  Call inside
 * a write transaction, between q_rollup_claim and q_rollup_release. */
enum store_rc q_rollup_build(struct store *s, int64_t authority_id, const char *month);
/* Claims a slice for a rebuild (migration 0037), inside a write
 * transaction: *claimed false when another rebuild claimed it less than
 * abandoned_after seconds before now; otherwise its stale mark goes and
 * the claim is made (a writer changing the slice from here on marks it
 * stale again). */
enum store_rc q_rollup_claim(struct store *s, int64_t authority_id, const char *month, int64_t now,
                             int64_t abandoned_after, bool *claimed);
/* Whether a rebuild claimed the slice after since (Unix seconds). */
enum store_rc q_rollup_claimed(struct store *s, int64_t authority_id, const char *month, int64_t since,
                               bool *held);
/* Ends a claim, inside a write transaction: built, the slice is fresh
 * (unless marked stale meanwhile) and, for an authority, England's month
 * is marked stale; not built, the slice is marked stale again. */
enum store_rc q_rollup_release(struct store *s, int64_t authority_id, const char *month, bool built);

/* England's rows (authority_id 0, vis_authority_id 0): these dimensions,
 * added up over the authorities month by month, so a national view by a
 * viewer who sees every authority reads a few thousand rows instead of
 * every authority's.  Rebuilding an authority's month marks England's
 * month stale; q_rollup_build(s, 0, month) rebuilds it from the
 * authorities' rows (build those first). */
#define DASH_NATIONAL_DIMS \
    "('cases', 'gender', 'nc_year', 'ethnicity', 'sen', 'sen_gender', 'flag', 'fu3', 'fu', 'evidence', " \
    "'act_kind', 'act_owner', 'act_resource', 'population', 'outcome')"
/* England's stale months only (authority 0), as q_rollup_stale. */
enum store_rc q_rollup_stale_national(struct store *s, const char *from_month, const char *to_month,
                                      void (*fn)(void *arg, int64_t authority_id, const char *month), void *arg);

/* "outcome" rows (DASH_OUTCOME rows of the outcomes table): per presented
 * case whose windows are complete and hold outcome records, k1 the day its
 * after window ends (YYYY-MM-DD), k2 what changed ("<attendance known>
 * <rose><suspensions fell><stayed in mainstream>", four 0/1), n1 cases.
 * Read: phase, k0 the flags, n0 the cases whose window ended before today. */
enum store_rc q_rollup_outcomes(struct store *s, const struct dash_query *q, const char *today, dash_fn fn,
                                void *arg);
/* The slice's presented cases whose pupil has outcome records, shaped as
 * q_dash_case_presented's rows (for the service to compare). */
enum store_rc q_rollup_outcome_cases(struct store *s, int64_t authority_id, const char *month, dash_fn fn,
                                     void *arg);
/* One row as given (the service's counted cells, after q_rollup_build). */
enum store_rc q_rollup_put(struct store *s, int64_t authority_id, int64_t vis_authority_id, const char *phase,
                           const char *month, const char *dim, const char *k1, const char *k2, int64_t n1);

/* The dashboard's generation (migration 0027, table dash_generation):
 * changes whenever a month of the rollup goes stale or is rebuilt, and
 * when the TAS schools, services, resources, cost rates or disclosure
 * settings change.  0 when it cannot be read. */
enum store_rc q_rollup_generation(struct store *s, int64_t *n);

/* Readers, their rows shaped as the q_dash_* function of the same name. */
enum store_rc q_rollup_meetings(struct store *s, const struct dash_query *q, dash_fn fn, void *arg);
enum store_rc q_rollup_months(struct store *s, const struct dash_query *q, dash_fn fn, void *arg);
enum store_rc q_rollup_planned_members(struct store *s, const struct dash_query *q, dash_fn fn, void *arg);
enum store_rc q_rollup_attendance(struct store *s, const struct dash_query *q, dash_fn fn, void *arg);
/* "population" rows (k1 dimension, k2 category, n1 pupils), shaped as
 * q_dash_population's. */
enum store_rc q_rollup_population(struct store *s, const struct dash_query *q, dash_fn fn, void *arg);
/* The actions' and the cases' dimensions, row by row as stored (the
 * caller adds them up): phase, k0 dim, k1..k3, n0..n1 (n1..n2 above). */
enum store_rc q_rollup_action_dims(struct store *s, const struct dash_query *q, dash_fn fn, void *arg);
enum store_rc q_rollup_case_dims(struct store *s, const struct dash_query *q, dash_fn fn, void *arg);

#endif
