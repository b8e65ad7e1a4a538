#include "store/q_dashboard.h"
#include "store/q_map.h"
#include "store/q_params.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "store/q_common.h"

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

static int bind_filters(struct store_stmt *st, int idx, const struct dash_query *q, bool dates)
{
    if (dates) {
        store_bind_text(st, idx++, q->from);
        store_bind_text(st, idx++, q->to);
    }
    const char *phase = q->phase ? q->phase : "";
    store_bind_int(st, idx++, q->authority_id ? q->authority_id : INT64_MIN);
    store_bind_int(st, idx++, q->authority_id ? q->authority_id : INT64_MAX);
    store_bind_text(st, idx++, phase);
    store_bind_text(st, idx++, phase);
    store_bind_int(st, idx++, q->team_id);
    store_bind_int(st, idx++, q->team_id);
    store_bind_int(st, idx++, q->school_id);
    store_bind_int(st, idx++, q->school_id);
    return q_bind_visibility(st, idx, q->vis);
}

int q_dash_bind_by_team(struct store_stmt *st, int idx, const struct dash_query *q)
{
    const char *phase = q->phase ? q->phase : "";
    store_bind_int(st, idx++, q->authority_id ? q->authority_id : INT64_MIN);
    store_bind_int(st, idx++, q->authority_id ? q->authority_id : INT64_MAX);
    store_bind_int(st, idx++, q->team_id);
    store_bind_int(st, idx++, q->team_id);
    store_bind_text(st, idx++, phase);
    store_bind_text(st, idx++, phase);
    store_bind_int(st, idx++, q->school_id);
    store_bind_int(st, idx++, q->school_id);
    return q_bind_visibility(st, idx, q->vis);
}

static int bind_presented(struct store_stmt *st, int idx, const struct dash_query *q)
{
    store_bind_text(st, idx++, q->from);
    store_bind_text(st, idx++, q->to);
    return q_dash_bind_by_team(st, idx, q);
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

/* Attendance grouped in C, as the actions are (see act_add): the groups
 * are few, the rows many, and count(DISTINCT) made SQLite sort them
 * twice.  A group counts each meeting once: the (group, meeting) pairs
 * seen are kept in a set. */
struct att_group {
    int64_t authority_id;
    char phase[16], key[128], name[128], org[128];  /* as wide as struct dash_row's */
    int64_t guest, meetings, people;
};

struct att_pair {
    int64_t meeting;
    size_t group;       /* index + 1; 0 = free slot */
};

struct att_groups {
    struct att_group *g;
    size_t n, cap;
    size_t *slot, nslots;           /* group index + 1 */
    struct att_pair *pair;
    size_t npairs, pcap;
};

static uint64_t mix(uint64_t h, uint64_t v)
{
    return (h ^ v) * 1099511628211ULL;
}

static uint64_t str_hash(uint64_t h, const char *s)
{
    for (; *s; s++)
        h = mix(h, (unsigned char)*s);
    return mix(h, 0xff);
}

static uint64_t att_hash(const struct att_group *k)
{
    uint64_t h = mix(1469598103934665603ULL, (uint64_t)k->authority_id);
    h = str_hash(str_hash(str_hash(str_hash(h, k->phase), k->key), k->name), k->org);
    h = mix(h, (uint64_t)k->guest);
    return h ^ (h >> 29);
}

static bool att_same(const struct att_group *a, const struct att_group *b)
{
    return a->authority_id == b->authority_id && a->guest == b->guest && !strcmp(a->phase, b->phase) &&
           !strcmp(a->key, b->key) && !strcmp(a->name, b->name) && !strcmp(a->org, b->org);
}

/* The index of k's group, made if new; SIZE_MAX when out of memory. */
static size_t att_group_of(struct att_groups *t, const struct att_group *k)
{
    if ((t->n + 1) * 2 > t->nslots) {
        size_t ns = t->nslots ? t->nslots * 2 : 256;
        size_t *slot = calloc(ns, sizeof *slot);
        if (!slot)
            return SIZE_MAX;
        for (size_t i = 0; i < t->n; i++) {
            size_t j = att_hash(&t->g[i]) & (ns - 1);
            while (slot[j])
                j = (j + 1) & (ns - 1);
            slot[j] = i + 1;
        }
        free(t->slot);
        t->slot = slot;
        t->nslots = ns;
    }
    size_t j = att_hash(k) & (t->nslots - 1);
    while (t->slot[j] && !att_same(&t->g[t->slot[j] - 1], k))
        j = (j + 1) & (t->nslots - 1);
    if (t->slot[j])
        return t->slot[j] - 1;
    if (t->n == t->cap) {
        size_t cap = t->cap ? t->cap * 2 : 128;
        struct att_group *g = realloc(t->g, cap * sizeof *g);
        if (!g)
            return SIZE_MAX;
        t->g = g;
        t->cap = cap;
    }
    t->g[t->n] = *k;
    t->slot[j] = ++t->n;
    return t->n - 1;
}

/* True when (group, meeting) is new; false when seen before or out of memory (*oom). */
static bool att_pair_new(struct att_groups *t, size_t group, int64_t meeting, bool *oom)
{
    if ((t->npairs + 1) * 2 > t->pcap) {
        size_t cap = t->pcap ? t->pcap * 2 : 4096;
        struct att_pair *p = calloc(cap, sizeof *p);
        if (!p) {
            *oom = true;
            return false;
        }
        for (size_t i = 0; i < t->pcap; i++) {
            if (!t->pair[i].group)
                continue;
            size_t j = mix(mix(0, t->pair[i].group), (uint64_t)t->pair[i].meeting) & (cap - 1);
            while (p[j].group)
                j = (j + 1) & (cap - 1);
            p[j] = t->pair[i];
        }
        free(t->pair);
        t->pair = p;
        t->pcap = cap;
    }
    size_t j = mix(mix(0, group + 1), (uint64_t)meeting) & (t->pcap - 1);
    while (t->pair[j].group && !(t->pair[j].group == group + 1 && t->pair[j].meeting == meeting))
        j = (j + 1) & (t->pcap - 1);
    if (t->pair[j].group)
        return false;
    t->pair[j].group = group + 1;
    t->pair[j].meeting = meeting;
    t->npairs++;
    return true;
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

/* Counting present attendees into groups; out of memory stops the
 * counting (the rows left are stepped over) and fails the query. */
struct att_count {
    struct att_groups *t;
    bool oom, failed;
};

static void count_attendee(struct store_stmt *st, void *arg)
{
    struct att_count *a = arg;
    if (a->failed)
        return;
    struct att_group k;
    memset(&k, 0, sizeof k);
    k.authority_id = store_col_int(st, 0);
    store_col_copy(st, 1, k.phase, sizeof k.phase);
    store_col_copy(st, 2, k.key, sizeof k.key);
    store_col_copy(st, 3, k.name, sizeof k.name);
    store_col_copy(st, 4, k.org, sizeof k.org);
    k.guest = store_col_int(st, 5);
    size_t g = att_group_of(a->t, &k);
    if (g == SIZE_MAX) {
        a->failed = true;
        return;
    }
    if (att_pair_new(a->t, g, store_col_int(st, 6), &a->oom))
        a->t->g[g].meetings++;
    if (a->oom) {
        a->failed = true;
        return;
    }
    a->t->g[g].people++;
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
    struct att_count a = {0};
    struct att_groups t = {0};
    a.t = &t;
    enum store_rc rc = store_each_row(st, count_attendee, &a);
    if (rc == STORE_OK && a.failed)
        rc = STORE_ERROR;
    if (rc == STORE_OK) {
        struct dash_row r;
        if (t.n)
            qsort(t.g, t.n, sizeof *t.g, att_cmp);
        for (size_t i = 0; i < t.n; i++) {
            memset(&r, 0, sizeof r);
            r.authority_id = t.g[i].authority_id;
            memcpy(r.phase, t.g[i].phase, sizeof r.phase);
            memcpy(r.k[0], t.g[i].key, sizeof t.g[i].key);
            memcpy(r.k[1], t.g[i].name, sizeof t.g[i].name);
            memcpy(r.k[2], t.g[i].org, sizeof t.g[i].org);
            r.n[0] = t.g[i].guest;
            r.n[1] = t.g[i].meetings;
            r.n[2] = t.g[i].people;
            fn(arg, &r);
        }
    }
    free(t.g);
    free(t.slot);
    free(t.pair);
    return rc;
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

struct act_groups {
    struct act_group *g;
    size_t cap, used;
};

static uint64_t act_hash(const struct act_group *k)
{
    uint64_t h = 1469598103934665603ULL;
    const char *parts[] = {k->phase, k->setting, k->nature};
    for (size_t i = 0; i < 3; i++) {
        for (const char *c = parts[i]; *c; c++)
            h = (h ^ (unsigned char)*c) * 1099511628211ULL;
        h = (h ^ 0xff) * 1099511628211ULL;
    }
    h = (h ^ (uint64_t)k->owner) * 1099511628211ULL;
    h = (h ^ (uint64_t)k->resource) * 1099511628211ULL;
    return h ^ (h >> 29);
}

static bool act_same(const struct act_group *a, const struct act_group *b)
{
    return a->owner == b->owner && a->resource == b->resource && !strcmp(a->phase, b->phase) &&
           !strcmp(a->setting, b->setting) && !strcmp(a->nature, b->nature);
}

/* Open addressing; a slot with n == 0 is free.  Adds n to k's group. */
static bool act_add(struct act_groups *t, const struct act_group *k)
{
    if ((t->used + 1) * 2 > t->cap) {
        size_t cap = t->cap ? t->cap * 2 : 1024;
        struct act_group *g = calloc(cap, sizeof *g);
        if (!g)
            return false;
        for (size_t i = 0; i < t->cap; i++) {
            if (!t->g[i].n)
                continue;
            size_t j = act_hash(&t->g[i]) & (cap - 1);
            while (g[j].n)
                j = (j + 1) & (cap - 1);
            g[j] = t->g[i];
        }
        free(t->g);
        t->g = g;
        t->cap = cap;
    }
    size_t j = act_hash(k) & (t->cap - 1);
    while (t->g[j].n && !act_same(&t->g[j], k))
        j = (j + 1) & (t->cap - 1);
    if (!t->g[j].n) {
        t->g[j] = *k;
        t->used++;
    } else
        t->g[j].n += k->n;
    return true;
}

/* The groups in GROUP BY's order (phase, setting, nature, owner,
 * resource), the used slots first. */
static int act_cmp(const void *x, const void *y)
{
    const struct act_group *a = x, *b = y;
    int c;
    if (!a->n || !b->n)
        return !a->n - !b->n;
    if ((c = strcmp(a->phase, b->phase)) || (c = strcmp(a->setting, b->setting)) ||
        (c = strcmp(a->nature, b->nature)))
        return c;
    if (a->owner != b->owner)
        return a->owner < b->owner ? -1 : 1;
    return a->resource < b->resource ? -1 : a->resource > b->resource;
}

/* Counting actions into groups; out of memory stops the counting (the
 * rows left are stepped over) and fails the query. */
struct act_count {
    struct act_groups *t;
    bool failed;
};

static void count_action(struct store_stmt *st, void *arg)
{
    struct act_count *a = arg;
    if (a->failed)
        return;
    struct act_group k;
    memset(&k, 0, sizeof k);
    store_col_copy(st, 0, k.phase, sizeof k.phase);
    store_col_copy(st, 1, k.setting, sizeof k.setting);
    store_col_copy(st, 2, k.nature, sizeof k.nature);
    k.owner = store_col_int(st, 3);
    k.resource = store_col_int(st, 4);
    k.n = 1;
    a->failed = !act_add(a->t, &k);
}

enum store_rc q_dash_actions(struct store *s, const struct dash_query *q, dash_fn fn, void *arg)
{
    /* Grouped by ids (names are looked up once, by q_dash_names): the
     * owner's service is the one named on the action, or the owning
     * practitioner's; the resource counts only for signposting.  One row
     * per action from SQL, grouped here (act_add). */
    struct store_stmt *st = store_prepare(s,
        "SELECT ps.phase, a.setting, a.nature, " DASH_ACTION_OWNER("a", "pr") ", " DASH_ACTION_RESOURCE("a") " "
        PRESENTED_FROM "JOIN actions a ON a.case_id = c.id AND a.voided_at IS NULL "
        "LEFT JOIN practitioners pr ON pr.id = a.owner_practitioner_id" PRESENTED_WHERE);
    if (bind_presented(st, 1, q) < 0)
        return q_refuse(st);
    struct act_groups t = {0};
    struct act_count a = {&t, false};
    enum store_rc rc = store_each_row(st, count_action, &a);
    if (rc == STORE_OK && a.failed)
        rc = STORE_ERROR;
    if (rc == STORE_OK) {
        struct dash_row r;
        if (t.cap)
            qsort(t.g, t.cap, sizeof *t.g, act_cmp);
        for (size_t i = 0; i < t.used; i++) {
            memset(&r, 0, sizeof r);
            memcpy(r.phase, t.g[i].phase, sizeof t.g[i].phase);
            memcpy(r.k[0], t.g[i].setting, sizeof t.g[i].setting);
            memcpy(r.k[1], t.g[i].nature, sizeof t.g[i].nature);
            r.n[0] = t.g[i].owner;
            r.n[1] = t.g[i].resource;
            r.n[2] = t.g[i].n;
            fn(arg, &r);
        }
    }
    free(t.g);
    return rc;
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

enum store_rc q_cost_rate_delete(struct store *s, int64_t authority_id, const char *role_key)
{
    return q_run(s, "DELETE FROM cost_rates WHERE authority_id = ? AND role_key = ?",
        Q_PARAMS(QP_INT(authority_id), QP_TEXT(role_key)));
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
