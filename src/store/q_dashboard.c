#include "store/q_dashboard.h"
#include "store/q_map.h"
#include "store/q_params.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "store/q_common.h"
#include "store/q_groups.h"

/* The filters, in one fixed order of parameters: dates (meetings only),
 * authority, phase, team, school, then the visibility slots.  Each
 * fragment names its own columns. */
#define F_DATES " m.meeting_date >= ? AND m.meeting_date <= ? "
/* The authority as a range (one authority, or all of them), so the planner
 * can start from that authority's teams or schools. */
#define F_REST(auth, phase, team, school) \
    " AND " auth " BETWEEN ? AND ? AND (? = '' OR " phase ") AND (? = 0 OR " team ")" \
    " AND (? = 0 OR " school ")"

/* Meetings: the host school's phase; a school filter means meetings of a
 * team the school belongs to. */
#define MEETING_FROM \
    " FROM meetings m JOIN teams t ON t.id = m.team_id AND m.voided_at IS NULL JOIN schools hs ON hs.id = t.host_school_id "
#define MEETING_WHERE \
    " WHERE" F_DATES F_REST("t.authority_id", "hs.phase = ?", "t.id = ?", \
        "EXISTS (SELECT 1 FROM team_schools x WHERE x.team_id = t.id AND x.school_id = ?)") \
    " AND " VIS_FILTER("t.authority_id", "t.host_school_id")

/* Cases presented: first presented at a held meeting in the range; phase
 * and school are the pupil's.  The case ids come from an IN list (a set,
 * so no DISTINCT over the joined rows), and the cases are then read in id
 * order.  Parameters: dates, authority, team, then phase, school and the
 * visibility slots (bind_presented). */
#define PRESENTED_FROM \
    " FROM cases c JOIN pupils p ON p.id = c.pupil_id JOIN schools ps ON ps.id = p.school_id "
#define PRESENTED_WHERE \
    " WHERE c.id IN (SELECT d.case_id FROM discussions d JOIN meetings m ON m.id = d.meeting_id AND d.voided_at IS NULL AND m.voided_at IS NULL " \
    "JOIN teams t ON t.id = m.team_id WHERE d.kind = 'new' AND m.status = 'held' AND" F_DATES \
    "AND t.authority_id BETWEEN ? AND ? AND (? = 0 OR t.id = ?) AND" DASH_FIRST_PRESENTATION("d", "m") ") " \
    "AND (? = '' OR ps.phase = ?) AND (? = 0 OR ps.id = ?) AND " VIS_FILTER("ps.authority_id", "ps.id")

#define SCHOOL_WHERE \
    " WHERE s.tas_member = 1" \
    F_REST("s.authority_id", "s.phase = ?", \
        "s.id IN (SELECT x.school_id FROM team_schools x WHERE x.team_id = ?)", "s.id = ?") \
    " AND " VIS_FILTER("s.authority_id", "s.id")

/* The authority as F_REST's range: the one asked for, or all of them. */
#define QP_AUTHORITY_RANGE(q) \
    QP_INT((q)->authority_id ? (q)->authority_id : INT64_MIN), QP_INT((q)->authority_id ? (q)->authority_id : INT64_MAX)

static int bind_filters(struct store_stmt *st, int idx, const struct dash_query *q, bool dates)
{
    if (dates)
        idx = q_bind_params(st, idx, Q_PARAMS(QP_TEXT(q->from), QP_TEXT(q->to)));
    const char *phase = q->phase ? q->phase : "";
    return q_bind_params(st, idx,
        Q_PARAMS(QP_AUTHORITY_RANGE(q), QP_TEXT_TWICE(phase), QP_INT_TWICE(q->team_id), QP_INT_TWICE(q->school_id),
                 QP_VIS(q->vis)));
}

int q_dash_bind_by_team(struct store_stmt *st, int idx, const struct dash_query *q)
{
    const char *phase = q->phase ? q->phase : "";
    return q_bind_params(st, idx,
        Q_PARAMS(QP_AUTHORITY_RANGE(q), QP_INT_TWICE(q->team_id), QP_TEXT_TWICE(phase), QP_INT_TWICE(q->school_id),
                 QP_VIS(q->vis)));
}

static int bind_presented(struct store_stmt *st, int idx, const struct dash_query *q)
{
    return q_dash_bind_by_team(st, q_bind_params(st, idx, Q_PARAMS(QP_TEXT(q->from), QP_TEXT(q->to))), q);
}

struct dash_sink {
    int nk, nn;
    dash_fn fn;
    void *arg;
};

static void dash_each(struct store_stmt *st, void *sink)
{
    const struct dash_sink *k = sink;
    struct dash_row r;
    memset(&r, 0, sizeof r);
    r.authority_id = store_col_int(st, 0);
    store_col_copy(st, 1, r.phase, sizeof r.phase);
    for (int i = 0; i < k->nk; i++)
        store_col_copy(st, 2 + i, r.k[i], sizeof r.k[i]);
    for (int i = 0; i < k->nn && i < DASH_NS; i++)
        r.n[i] = store_col_is_null(st, 2 + k->nk + i) ? 0 : store_col_int(st, 2 + k->nk + i);
    k->fn(k->arg, &r);
}

enum store_rc q_dash_rows(struct store_stmt *st, int nk, int nn, dash_fn fn, void *arg)
{
    return store_each_row(st, dash_each, &(struct dash_sink){nk, nn, fn, arg});
}

static enum store_rc run(struct store *s, const char *sql, const struct dash_query *q, bool dates,
                         int nk, int nn, dash_fn fn, void *arg)
{
    struct store_stmt *st = store_prepare(s, sql);
    if (bind_filters(st, 1, q, dates) < 0)
        return q_refuse(st);
    return q_dash_rows(st, nk, nn, fn, arg);
}

enum store_rc q_dash_schools(struct store *s, const struct dash_query *q, dash_fn fn, void *arg)
{
    return run(s, "SELECT 0, s.phase, count(*) FROM schools s" SCHOOL_WHERE " GROUP BY s.phase",
               q, false, 0, 1, fn, arg);
}

enum store_rc q_dash_meetings(struct store *s, const struct dash_query *q, dash_fn fn, void *arg)
{
    return run(s,
        "SELECT t.authority_id, hs.phase, count(*), "
        "sum(CASE WHEN m.status = 'held' THEN 1 ELSE 0 END), "
        "sum(CASE WHEN m.status = 'held' AND m.mode = 'online' THEN 1 ELSE 0 END), "
        "sum(CASE WHEN m.status = 'cancelled' THEN 1 ELSE 0 END)"
        MEETING_FROM MEETING_WHERE " GROUP BY t.authority_id, hs.phase",
        q, true, 0, 4, fn, arg);
}

enum store_rc q_dash_months(struct store *s, const struct dash_query *q, dash_fn fn, void *arg)
{
    return run(s,
        "SELECT 0, hs.phase, substr(m.meeting_date, 1, 7), count(*), "
        "sum(CASE WHEN m.status = 'held' THEN 1 ELSE 0 END)"
        MEETING_FROM MEETING_WHERE " GROUP BY substr(m.meeting_date, 1, 7), hs.phase "
        "ORDER BY substr(m.meeting_date, 1, 7)",
        q, true, 1, 2, fn, arg);
}

/* Rows counted into groups in C (q_groups.h) by a row function that sets
 * failed when out of memory (the rows left are stepped over and the query
 * fails), then handed to fn in cmp's order, each made a row by to_row. */
struct grouping {
    struct q_groups groups;
    struct q_groups pairs;  /* attendance: the (group, meeting) pairs seen */
    bool failed;
};

static enum store_rc grouped_rows(struct store_stmt *st, struct grouping *k, store_row_fn count,
                                  int (*cmp)(const void *, const void *),
                                  void (*to_row)(const void *group, struct dash_row *r), dash_fn fn, void *arg)
{
    enum store_rc rc = store_each_row(st, count, k);
    if (rc == STORE_OK && k->failed)
        rc = STORE_ERROR;
    if (rc == STORE_OK) {
        q_groups_sort(&k->groups, cmp);
        for (size_t i = 0; i < k->groups.n; i++) {
            struct dash_row r;
            memset(&r, 0, sizeof r);
            to_row((const char *)k->groups.g + i * k->groups.size, &r);
            fn(arg, &r);
        }
    }
    q_groups_free(&k->groups);
    q_groups_free(&k->pairs);
    return rc;
}

/* Attendance grouped in C, as the actions are: the groups are few, the
 * rows many, and count(DISTINCT) made SQLite sort them twice.  A group
 * counts each meeting once: the (group, meeting) pairs seen are kept. */
struct att_group {
    int64_t authority_id;
    char phase[16], key[128], name[128], org[128];  /* as wide as struct dash_row's */
    int64_t guest, meetings, people;
};

struct att_pair {
    size_t group;
    int64_t meeting;
};

static uint64_t att_hash(const void *g)
{
    const struct att_group *k = g;
    uint64_t h = q_hash_int(Q_HASH_START, k->authority_id);
    h = q_hash_str(q_hash_str(q_hash_str(q_hash_str(h, k->phase), k->key), k->name), k->org);
    return q_hash_end(q_hash_int(h, k->guest));
}

static bool att_same(const void *x, const void *y)
{
    const struct att_group *a = x, *b = y;
    return a->authority_id == b->authority_id && a->guest == b->guest && !strcmp(a->phase, b->phase) &&
           !strcmp(a->key, b->key) && !strcmp(a->name, b->name) && !strcmp(a->org, b->org);
}

static uint64_t pair_hash(const void *g)
{
    const struct att_pair *p = g;
    return q_hash_end(q_hash_int(q_hash_int(Q_HASH_START, (int64_t)p->group), p->meeting));
}

static bool pair_same(const void *x, const void *y)
{
    const struct att_pair *a = x, *b = y;
    return a->group == b->group && a->meeting == b->meeting;
}

/* The groups in GROUP BY's order (authority, phase, key, name, org kind,
 * guest), so the tables list their rows as they always have. */
static int att_cmp(const void *x, const void *y)
{
    const struct att_group *a = x, *b = y;
    int c;
    if (a->authority_id != b->authority_id)
        return a->authority_id < b->authority_id ? -1 : 1;
    if ((c = strcmp(a->phase, b->phase)) || (c = strcmp(a->key, b->key)) || (c = strcmp(a->name, b->name)) ||
        (c = strcmp(a->org, b->org)))
        return c;
    return a->guest < b->guest ? -1 : a->guest > b->guest;
}

Q_READER(read_att_key, struct att_group, authority_id, phase, key, name, org, guest)

/* One present attendee: a person of the group, and the meeting (column
 * 6) counted for the group if new. */
static void count_attendee(struct store_stmt *st, void *arg)
{
    struct grouping *a = arg;
    if (a->failed)
        return;
    struct att_group k;
    read_att_key(st, &k);
    size_t g = q_groups_find(&a->groups, &k, NULL);
    bool new_meeting = false;
    if (g == SIZE_MAX ||
        q_groups_find(&a->pairs, &(struct att_pair){g, store_col_int(st, 6)}, &new_meeting) == SIZE_MAX) {
        a->failed = true;
        return;
    }
    struct att_group *group = (struct att_group *)a->groups.g + g;
    group->meetings += new_meeting;
    group->people++;
}

static void att_row(const void *group, struct dash_row *r)
{
    const struct att_group *g = group;
    r->authority_id = g->authority_id;
    memcpy(r->phase, g->phase, sizeof r->phase);
    memcpy(r->k[0], g->key, sizeof g->key);
    memcpy(r->k[1], g->name, sizeof g->name);
    memcpy(r->k[2], g->org, sizeof g->org);
    r->n[0] = g->guest;
    r->n[1] = g->meetings;
    r->n[2] = g->people;
}

enum store_rc q_dash_attendance(struct store *s, const struct dash_query *q, dash_fn fn, void *arg)
{
    struct store_stmt *st = store_prepare(s,
        "SELECT t.authority_id, hs.phase, " DASH_ATTENDANCE_KEY("a", "sv") ", a.guest, m.id"
        " FROM attendance a JOIN meetings m ON m.id = a.meeting_id AND m.voided_at IS NULL JOIN teams t ON t.id = m.team_id "
        "JOIN schools hs ON hs.id = t.host_school_id LEFT JOIN services sv ON sv.id = a.service_id"
        MEETING_WHERE " AND m.status = 'held' AND a.status = 'present'");
    if (bind_filters(st, 1, q, true) < 0)
        return q_refuse(st);
    struct grouping k = {Q_GROUPS(struct att_group, att_hash, att_same),
                         Q_GROUPS(struct att_pair, pair_hash, pair_same), false};
    return grouped_rows(st, &k, count_attendee, att_cmp, att_row, fn, arg);
}

enum store_rc q_dash_planned_members(struct store *s, const struct dash_query *q, dash_fn fn, void *arg)
{
    /* Meetings counted per team first, then times each team's members:
     * the same sum as one row per meeting and member, without making
     * (and sorting) those rows. */
    return run(s,
        "SELECT x.authority_id, x.phase, sv.code, sv.name, sum(x.n) FROM ("
        "SELECT t.id AS team_id, t.authority_id AS authority_id, hs.phase AS phase, count(*) AS n"
        MEETING_FROM MEETING_WHERE " GROUP BY t.id, t.authority_id, hs.phase) x "
        "JOIN team_members tm ON tm.team_id = x.team_id JOIN services sv ON sv.id = tm.service_id "
        "WHERE sv.code NOT IN ('school', 'strategic_lead', 'case_coordinator') "
        "GROUP BY x.authority_id, x.phase, sv.code, sv.name",
        q, true, 2, 1, fn, arg);
}

/* The follow-ups of case c up to the range's end (bound first): held
 * reviews on or after its presentation. */
#define FOLLOW_UPS \
    "(SELECT count(*) FROM discussions r JOIN meetings rm ON rm.id = r.meeting_id " \
    "   AND r.voided_at IS NULL AND rm.voided_at IS NULL " \
    " WHERE r.case_id = c.id AND r.kind = 'review' AND rm.status = 'held' AND rm.meeting_date <= ? " \
    " AND rm.meeting_date >= (SELECT min(pm.meeting_date) FROM discussions pd " \
    "   JOIN meetings pm ON pm.id = pd.meeting_id AND pd.voided_at IS NULL AND pm.voided_at IS NULL " \
    "   WHERE pd.case_id = c.id AND pd.kind = 'new' AND pm.status = 'held'))"

/* A statement over the presented cases whose select list binds the range's
 * end first (follow-ups, reviews up to then), then PRESENTED_WHERE. */
static enum store_rc presented_rows(struct store_stmt *st, const struct dash_query *q, int nk, int nn, dash_fn fn,
                                    void *arg)
{
    store_bind_text(st, 1, q->to);
    if (bind_presented(st, 2, q) < 0)
        return q_refuse(st);
    return q_dash_rows(st, nk, nn, fn, arg);
}

/* One row per case presented: what the case tables need, counted in C
 * (one pass over the presented cases instead of one per table). */
enum store_rc q_dash_case_rows(struct store *s, const struct dash_query *q, dash_fn fn, void *arg)
{
    struct store_stmt *st = store_prepare(s,
        "SELECT 0, ps.phase, p.gender, p.nc_year, p.ethnicity, p.sen_provision, " DASH_CASE_FLAGS("c") ", "
        FOLLOW_UPS
        PRESENTED_FROM PRESENTED_WHERE);
    return presented_rows(st, q, 4, 3 + DASH_PRIOR_FLAGS, fn, arg);
}

enum store_rc q_dash_evidence(struct store *s, const struct dash_query *q, dash_fn fn, void *arg)
{
    struct store_stmt *st = store_prepare(s,
        "SELECT 0, ps.phase, " FOLLOW_UPS ", " DASH_CASE_EVIDENCE("c") PRESENTED_FROM PRESENTED_WHERE);
    return presented_rows(st, q, 0, 5, fn, arg);
}

enum store_rc q_dash_case_presented(struct store *s, const struct dash_query *q, dash_fn fn, void *arg)
{
    struct store_stmt *st = store_prepare(s,
        "SELECT ps.authority_id, ps.phase, "
        "(SELECT min(pm.meeting_date) FROM discussions pd JOIN meetings pm ON pm.id = pd.meeting_id "
        " WHERE pd.case_id = c.id AND pd.kind = 'new' AND pm.status = 'held'), c.id, c.pupil_id"
        PRESENTED_FROM PRESENTED_WHERE " ORDER BY ps.authority_id, 3, c.id");
    if (bind_presented(st, 1, q) < 0)
        return q_refuse(st);
    return q_dash_rows(st, 1, 2, fn, arg);
}

/* One key of the actions' grouping, counted in C: SQLite has no hash
 * aggregate, and a GROUP BY over millions of actions spends most of its
 * time sorting them; the groups themselves are few. */
struct act_group {
    char phase[16], setting[16], nature[24];
    int64_t owner, resource, n;
};

static uint64_t act_hash(const void *g)
{
    const struct act_group *k = g;
    uint64_t h = q_hash_str(q_hash_str(q_hash_str(Q_HASH_START, k->phase), k->setting), k->nature);
    return q_hash_end(q_hash_int(q_hash_int(h, k->owner), k->resource));
}

static bool act_same(const void *x, const void *y)
{
    const struct act_group *a = x, *b = y;
    return a->owner == b->owner && a->resource == b->resource && !strcmp(a->phase, b->phase) &&
           !strcmp(a->setting, b->setting) && !strcmp(a->nature, b->nature);
}

/* The groups in GROUP BY's order (phase, setting, nature, owner,
 * resource). */
static int act_cmp(const void *x, const void *y)
{
    const struct act_group *a = x, *b = y;
    int c;
    if ((c = strcmp(a->phase, b->phase)) || (c = strcmp(a->setting, b->setting)) ||
        (c = strcmp(a->nature, b->nature)))
        return c;
    if (a->owner != b->owner)
        return a->owner < b->owner ? -1 : 1;
    return a->resource < b->resource ? -1 : a->resource > b->resource;
}

Q_READER(read_act_key, struct act_group, phase, setting, nature, owner, resource)

static void count_action(struct store_stmt *st, void *arg)
{
    struct grouping *a = arg;
    if (a->failed)
        return;
    struct act_group k;
    read_act_key(st, &k);
    size_t g = q_groups_find(&a->groups, &k, NULL);
    if (g == SIZE_MAX)
        a->failed = true;
    else
        ((struct act_group *)a->groups.g)[g].n++;
}

static void act_row(const void *group, struct dash_row *r)
{
    const struct act_group *g = group;
    memcpy(r->phase, g->phase, sizeof g->phase);
    memcpy(r->k[0], g->setting, sizeof g->setting);
    memcpy(r->k[1], g->nature, sizeof g->nature);
    r->n[0] = g->owner;
    r->n[1] = g->resource;
    r->n[2] = g->n;
}

enum store_rc q_dash_actions(struct store *s, const struct dash_query *q, dash_fn fn, void *arg)
{
    /* Grouped by ids (names are looked up once, by q_dash_names): the
     * owner's service is the one named on the action, or the owning
     * practitioner's; the resource counts only for signposting.  One row
     * per action from SQL, grouped here (count_action). */
    struct store_stmt *st = store_prepare(s,
        "SELECT ps.phase, a.setting, a.nature, " DASH_ACTION_OWNER("a", "pr") ", " DASH_ACTION_RESOURCE("a") " "
        PRESENTED_FROM "JOIN actions a ON a.case_id = c.id AND a.voided_at IS NULL "
        "LEFT JOIN practitioners pr ON pr.id = a.owner_practitioner_id" PRESENTED_WHERE);
    if (bind_presented(st, 1, q) < 0)
        return q_refuse(st);
    struct grouping k = {Q_GROUPS(struct act_group, act_hash, act_same), {0}, false};
    return grouped_rows(st, &k, count_action, act_cmp, act_row, fn, arg);
}

enum store_rc q_dash_names(struct store *s, int64_t authority_id, dash_fn fn, void *arg)
{
    struct store_stmt *st = store_prepare(s,
        "SELECT id, 'service', code, name, org_kind FROM services WHERE (? = 0 OR authority_id = ?) "
        "UNION ALL SELECT id, 'resource', kind, title, '' FROM resources WHERE (? = 0 OR authority_id = ?) "
        "ORDER BY 2, 1");
    for (int i = 1; i <= 4; i++)
        store_bind_int(st, i, authority_id);
    /* column 0 is the id, read as "authority_id"; 1 the kind, as "phase" */
    return q_dash_rows(st, 3, 0, fn, arg);
}

enum store_rc q_dash_population(struct store *s, const struct dash_query *q, dash_fn fn, void *arg)
{
    return run(s,
        "SELECT 0, s.phase, sp.dimension, sp.category, sum(sp.pupils) "
        "FROM school_population sp JOIN schools s ON s.id = sp.school_id" SCHOOL_WHERE
        " GROUP BY s.phase, sp.dimension, sp.category",
        q, false, 2, 1, fn, arg);
}

/* ---- settings ---- */

Q_READER(read_cost_rate, struct cost_rate, authority_id, role_key, label, org_group, hourly_pence, prep_minutes,
         meeting_minutes, followup_minutes, travel_minutes)

Q_SINK(cost_rate, struct cost_rate, read_cost_rate)

enum store_rc q_cost_rates(struct store *s, int64_t authority_id,
                           void (*fn)(void *arg, const struct cost_rate *r), void *arg)
{
    return q_rows(s,
        "SELECT authority_id, role_key, label, org_group, hourly_pence, prep_minutes, meeting_minutes, "
        "followup_minutes, travel_minutes FROM cost_rates WHERE (? = 0 OR authority_id = ?) "
        "ORDER BY authority_id, label",
        Q_PARAMS(QP_INT(authority_id), QP_INT(authority_id)), cost_rate_each, &(struct cost_rate_sink){fn, arg});
}

enum store_rc q_cost_rate_put(struct store *s, const struct cost_rate *r, int64_t now)
{
    return q_run(s,
        "INSERT INTO cost_rates (authority_id, role_key, label, org_group, hourly_pence, prep_minutes, "
        "meeting_minutes, followup_minutes, travel_minutes, updated_at) VALUES (?,?,?,?,?,?,?,?,?,?) "
        "ON CONFLICT (authority_id, role_key) DO UPDATE SET label = excluded.label, "
        "org_group = excluded.org_group, hourly_pence = excluded.hourly_pence, "
        "prep_minutes = excluded.prep_minutes, meeting_minutes = excluded.meeting_minutes, "
        "followup_minutes = excluded.followup_minutes, travel_minutes = excluded.travel_minutes, "
        "updated_at = excluded.updated_at",
        Q_PARAMS(QP_INT(r->authority_id), QP_TEXT(r->role_key), QP_TEXT(r->label), QP_TEXT(r->org_group),
                 QP_INT(r->hourly_pence), QP_INT(r->prep_minutes), QP_INT(r->meeting_minutes),
                 QP_INT(r->followup_minutes), QP_INT(r->travel_minutes), QP_INT(now)));
}

enum store_rc q_disclosure_get(struct store *s, int64_t authority_id, int64_t *out)
{
    *out = 0;
    return q_int(s,
        "SELECT coalesce(max(suppress_below), 0) FROM disclosure_settings WHERE (? = 0 OR authority_id = ?)",
        Q_PARAMS(QP_INT(authority_id), QP_INT(authority_id)), out);
}

enum store_rc q_disclosure_put(struct store *s, int64_t authority_id, int64_t suppress_below, int64_t now)
{
    return q_run(s,
        "INSERT INTO disclosure_settings (authority_id, suppress_below, updated_at) VALUES (?,?,?) "
        "ON CONFLICT (authority_id) DO UPDATE SET suppress_below = excluded.suppress_below, "
        "updated_at = excluded.updated_at",
        Q_PARAMS(QP_INT(authority_id), QP_INT(suppress_below), QP_INT(now)));
}

enum store_rc q_population_list(struct store *s, int64_t school_id, dash_fn fn, void *arg)
{
    struct store_stmt *st = store_prepare(s,
        "SELECT school_id, '', dimension, category, pupils FROM school_population WHERE school_id = ? "
        "ORDER BY dimension, category");
    store_bind_int(st, 1, school_id);
    return q_dash_rows(st, 2, 1, fn, arg);
}

enum store_rc q_population_put(struct store *s, int64_t school_id, const char *dimension,
                               const char *const *categories, const int64_t *pupils, size_t n)
{
    enum store_rc rc = q_run(s, "DELETE FROM school_population WHERE school_id = ? AND dimension = ?",
        Q_PARAMS(QP_INT(school_id), QP_TEXT(dimension)));
    for (size_t i = 0; rc == STORE_OK && i < n; i++) {
        rc = q_run(s,
            "INSERT INTO school_population (school_id, dimension, category, pupils) "
            "VALUES (?,?,?,?)",
            Q_PARAMS(QP_INT(school_id), QP_TEXT(dimension), QP_TEXT(categories[i]), QP_INT(pupils[i])));
    }
    return rc;
}
