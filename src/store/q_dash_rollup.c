#include "store/q_dash_rollup.h"
#include "lib/count.h"
#include "store/q_params.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/calendar.h"
#include "store/q_common.h"
#include "store/q_groups.h"

#define IN_SLICE " t.authority_id = ? AND m.meeting_date >= ? AND m.meeting_date < ? "

/* ---- which queries it answers ---- */

static bool month_start(const char *s)
{
    int y, m, d;
    return s && strlen(s) == 10 && sscanf(s, "%4d-%2d-%2d", &y, &m, &d) == 3 && d == 1;
}

static bool month_end(const char *s)
{
    int y, m, d;
    if (!s || strlen(s) != 10 || sscanf(s, "%4d-%2d-%2d", &y, &m, &d) != 3 || m < 1 || m > 12)
        return false;
    int32_t first = day_from_ymd(y, m, 1);
    int32_t next = m == 12 ? day_from_ymd(y + 1, 1, 1) : day_from_ymd(y, m + 1, 1);
    return d == next - first;
}

bool q_rollup_answers(const struct dash_query *q)
{
    return q->team_id == 0 && q->school_id == 0 && q->vis && (q->vis->all || q->vis->nschools == 0) &&
           month_start(q->from) && month_end(q->to) && strcmp(q->from, q->to) < 0;
}

/* ---- reading ---- */

/* The filters of every reader, in this order: dim, authority range, months,
 * phase, visibility (authorities only: q_rollup_answers). */
#define R_WHERE \
    " WHERE r.dim = ? AND r.authority_id BETWEEN ? AND ? AND r.month >= ? AND r.month <= ?" \
    " AND (? = '' OR r.phase = ?) AND " VIS_FILTER("r.vis_authority_id", "-1")

/* England's own rows (authority 0, q_rollup_build_national) answer a
 * query over every authority by a viewer who sees them all. */
static bool national(const struct dash_query *q)
{
    return q->authority_id == 0 && q->vis && q->vis->all;
}

/* The authority range: England's own rows (0), the one authority asked
 * for, or every authority's (ids from 1). */
#define QP_R_AUTHORITIES(england, q) \
    QP_INT((england) ? 0 : (q)->authority_id ? (q)->authority_id : 1), \
    QP_INT((england) ? 0 : (q)->authority_id ? (q)->authority_id : INT64_MAX)

/* nat: the dimension has England's rows (DASH_NATIONAL_DIMS); otherwise
 * authorities' rows only. */
static int bind_r(struct store_stmt *st, int idx, const struct dash_query *q, const char *dim, bool nat)
{
    char from[8], to[8];
    snprintf(from, sizeof from, "%.7s", q->from);
    snprintf(to, sizeof to, "%.7s", q->to);
    const char *phase = q->phase ? q->phase : "";
    return q_bind_params(st, idx,
        Q_PARAMS(QP_TEXT(dim), QP_R_AUTHORITIES(nat && national(q), q), QP_TEXT(from), QP_TEXT(to),
                 QP_TEXT_TWICE(phase), QP_VIS(q->vis)));
}

/* The rows of one dimension (nat: as bind_r) through q_dash_rows. */
static enum store_rc read_dim(struct store *s, const char *sql, const struct dash_query *q, const char *dim, bool nat,
                              int nk, int nn, dash_fn fn, void *arg)
{
    struct store_stmt *st = store_prepare(s, sql);
    if (bind_r(st, 1, q, dim, nat) < 0)
        return q_refuse(st);
    return q_dash_rows(st, nk, nn, fn, arg);
}

enum store_rc q_rollup_meetings(struct store *s, const struct dash_query *q, dash_fn fn, void *arg)
{
    return read_dim(s,
        "SELECT r.authority_id, r.phase, sum(r.n1), sum(r.n2), sum(r.n3), sum(r.n4) FROM dash_rollup r"
        R_WHERE " GROUP BY r.authority_id, r.phase ORDER BY r.authority_id, r.phase",
        q, "meetings", false, 0, 4, fn, arg);
}

enum store_rc q_rollup_months(struct store *s, const struct dash_query *q, dash_fn fn, void *arg)
{
    return read_dim(s,
        "SELECT 0, r.phase, r.month, sum(r.n1), sum(r.n2) FROM dash_rollup r"
        R_WHERE " GROUP BY r.month, r.phase ORDER BY r.month, r.phase",
        q, "meetings", false, 1, 2, fn, arg);
}

enum store_rc q_rollup_planned_members(struct store *s, const struct dash_query *q, dash_fn fn, void *arg)
{
    return read_dim(s,
        "SELECT r.authority_id, r.phase, r.k1, r.k2, sum(r.n1) FROM dash_rollup r"
        R_WHERE " GROUP BY r.authority_id, r.phase, r.k1, r.k2 ORDER BY r.authority_id, r.phase, r.k1, r.k2",
        q, "planned", false, 2, 1, fn, arg);
}

enum store_rc q_rollup_attendance(struct store *s, const struct dash_query *q, dash_fn fn, void *arg)
{
    /* A meeting falls in one month, so meetings attended add up across
     * months as the distinct count they are. */
    return read_dim(s,
        "SELECT r.authority_id, r.phase, r.k1, r.k2, r.k3, r.n1, sum(r.n2), sum(r.n3) FROM dash_rollup r"
        R_WHERE " GROUP BY r.authority_id, r.phase, r.k1, r.k2, r.k3, r.n1 "
        "ORDER BY r.authority_id, r.phase, r.k1, r.k2, r.k3, r.n1",
        q, "attendance", false, 3, 3, fn, arg);
}

enum store_rc q_rollup_population(struct store *s, const struct dash_query *q, dash_fn fn, void *arg)
{
    /* As q_dash_population; no months (R_WHERE's month range is not used). */
    struct store_stmt *st = store_prepare(s,
        "SELECT 0, r.phase, r.k1, r.k2, sum(r.n1) FROM dash_rollup r WHERE r.dim = 'population' "
        "AND r.authority_id BETWEEN ? AND ? AND r.month = '" DASH_POPULATION_MONTH "' "
        "AND (? = '' OR r.phase = ?) AND " VIS_FILTER("r.vis_authority_id", "-1")
        " GROUP BY r.phase, r.k1, r.k2 ORDER BY r.phase, r.k1, r.k2");
    const char *phase = q->phase ? q->phase : "";
    if (q_bind_params(st, 1, Q_PARAMS(QP_R_AUTHORITIES(national(q), q), QP_TEXT_TWICE(phase), QP_VIS(q->vis))) < 0)
        return q_refuse(st);
    return q_dash_rows(st, 2, 1, fn, arg);
}

static enum store_rc read_dims(struct store *s, const struct dash_query *q, const char *const *dims, size_t n,
                               dash_fn fn, void *arg)
{
    enum store_rc rc = STORE_OK;
    for (size_t i = 0; rc == STORE_OK && i < n; i++)
        rc = read_dim(s, "SELECT 0, r.phase, r.dim, r.k1, r.k2, r.k3, r.n1, r.n2 FROM dash_rollup r" R_WHERE,
                      q, dims[i], true, 4, 2, fn, arg);
    return rc;
}

enum store_rc q_rollup_outcomes(struct store *s, const struct dash_query *q, const char *today, dash_fn fn,
                                void *arg)
{
    /* k1 the day the after window ends: counted once it is over. */
    struct store_stmt *st = store_prepare(s,
        "SELECT 0, r.phase, r.k2, sum(r.n1) FROM dash_rollup r" R_WHERE " AND r.k1 < ? "
        "GROUP BY r.phase, r.k2 ORDER BY r.phase, r.k2");
    int idx = bind_r(st, 1, q, "outcome", true);
    if (idx < 0)
        return q_refuse(st);
    store_bind_text(st, idx, today);
    return q_dash_rows(st, 1, 1, fn, arg);
}

enum store_rc q_rollup_outcome_cases(struct store *s, int64_t authority_id, const char *month, dash_fn fn,
                                     void *arg)
{
    char first[32], next[32];
    int y, m;
    if (!month || strlen(month) != 7 || sscanf(month, "%4d-%2d", &y, &m) != 2 || m < 1 || m > 12)
        return STORE_ERROR;
    snprintf(first, sizeof first, "%04d-%02d-01", y, m);
    snprintf(next, sizeof next, "%04d-%02d-01", m == 12 ? y + 1 : y, m == 12 ? 1 : m + 1);
    /* As q_dash_case_presented, for the slice, and only pupils with
     * outcome records (a pupil with none is never compared). */
    struct store_stmt *st = store_prepare(s,
        "SELECT ps.authority_id, ps.phase, "
        "(SELECT min(pm.meeting_date) FROM discussions pd JOIN meetings pm ON pm.id = pd.meeting_id "
        " WHERE pd.case_id = c.id AND pd.kind = 'new' AND pm.status = 'held'), c.id, c.pupil_id "
        "FROM cases c JOIN pupils p ON p.id = c.pupil_id JOIN schools ps ON ps.id = p.school_id "
        "WHERE c.id IN (SELECT d.case_id FROM discussions d JOIN meetings m ON m.id = d.meeting_id "
        "AND d.voided_at IS NULL AND m.voided_at IS NULL JOIN teams t ON t.id = m.team_id "
        "WHERE d.kind = 'new' AND m.status = 'held' AND" IN_SLICE "AND" DASH_FIRST_PRESENTATION("d", "m") ") "
        "AND EXISTS (SELECT 1 FROM outcome_records o WHERE o.pupil_id = c.pupil_id) "
        "ORDER BY ps.authority_id, 3, c.id");
    store_bind_int(st, 1, authority_id);
    store_bind_text(st, 2, first);
    store_bind_text(st, 3, next);
    return q_dash_rows(st, 1, 2, fn, arg);
}

enum store_rc q_rollup_put(struct store *s, int64_t authority_id, int64_t vis_authority_id, const char *phase,
                           const char *month, const char *dim, const char *k1, const char *k2, int64_t n1)
{
    return q_run(s,
        "INSERT INTO dash_rollup (authority_id, vis_authority_id, phase, month, dim, k1, k2, n1) "
        "VALUES (?,?,?,?,?,?,?,?)",
        Q_PARAMS(QP_INT(authority_id), QP_INT(vis_authority_id), QP_TEXT(phase), QP_TEXT(month), QP_TEXT(dim),
                 QP_TEXT(k1), QP_TEXT(k2), QP_INT(n1)));
}

enum store_rc q_rollup_action_dims(struct store *s, const struct dash_query *q, dash_fn fn, void *arg)
{
    static const char *const dims[] = {"act_kind", "act_owner", "act_resource"};
    return read_dims(s, q, dims, COUNT(dims), fn, arg);
}

enum store_rc q_rollup_case_dims(struct store *s, const struct dash_query *q, dash_fn fn, void *arg)
{
    static const char *const dims[] = {"cases", "gender", "nc_year", "ethnicity", "sen",
                                       "sen_gender", "flag", "fu3", "fu", "evidence"};
    return read_dims(s, q, dims, COUNT(dims), fn, arg);
}

/* ---- staleness ---- */

struct stale_sink {
    void (*fn)(void *arg, int64_t authority_id, const char *month);
    void *arg;
};

static void stale_each(struct store_stmt *st, void *sink)
{
    const struct stale_sink *k = sink;
    char month[8];
    store_col_copy(st, 1, month, sizeof month);
    k->fn(k->arg, store_col_int(st, 0), month);
}

/* The slices still to build, stale or being built (claimed), of every
 * authority (all) or one (authority_id; England's own is 0), months
 * from_month..to_month and the census, through fn. */
#define PENDING_WHERE \
    "(? = 1 OR authority_id = ?) AND ((month >= ? AND month <= ?) OR month = '" DASH_POPULATION_MONTH "')"
static enum store_rc read_pending(struct store *s, bool all, int64_t authority_id, const char *from_month,
                                  const char *to_month, void (*fn)(void *arg, int64_t authority_id, const char *month),
                                  void *arg)
{
    struct store_stmt *st = store_prepare(s,
        "SELECT authority_id, month FROM dash_rollup_stale WHERE " PENDING_WHERE
        " UNION SELECT authority_id, month FROM dash_rollup_building WHERE " PENDING_WHERE " ORDER BY 1, 2");
    for (int i = 0; i < 2; i++) {
        store_bind_int(st, 4 * i + 1, all);
        store_bind_int(st, 4 * i + 2, authority_id);
        store_bind_text(st, 4 * i + 3, from_month);
        store_bind_text(st, 4 * i + 4, to_month);
    }
    return store_each_row(st, stale_each, &(struct stale_sink){fn, arg});
}

enum store_rc q_rollup_stale(struct store *s, int64_t authority_id, const char *from_month, const char *to_month,
                             void (*fn)(void *arg, int64_t authority_id, const char *month), void *arg)
{
    return read_pending(s, authority_id == 0, authority_id, from_month, to_month, fn, arg);
}

enum store_rc q_rollup_mark_all(struct store *s)
{
    struct store_stmt *st = store_prepare(s,
        /* ON CONFLICT, not SQLite's OR IGNORE, so PostgreSQL runs it too;
         * the WHERE keeps SQLite's parser from reading ON CONFLICT as the
         * join's ON. */
        "INSERT INTO dash_rollup_stale (authority_id, month) "
        "SELECT DISTINCT t.authority_id, substr(m.meeting_date, 1, 7) FROM meetings m JOIN teams t ON t.id = m.team_id "
        "UNION SELECT DISTINCT s.authority_id, '" DASH_POPULATION_MONTH "' FROM school_population sp "
        "JOIN schools s ON s.id = sp.school_id WHERE 1 = 1 ON CONFLICT DO NOTHING");
    return store_exec_done(st);
}

/* The first and last month, into two char[8]. */
static void read_span(struct store_stmt *st, void *months)
{
    char *const *m = months;
    store_col_copy(st, 0, m[0], 8);
    store_col_copy(st, 1, m[1], 8);
}

enum store_rc q_rollup_span(struct store *s, char first[8], char last[8])
{
    struct store_stmt *st = store_prepare(s,
        "SELECT coalesce(min(substr(meeting_date, 1, 7)), ''), coalesce(max(substr(meeting_date, 1, 7)), '') "
        "FROM meetings");
    return store_get_row(st, read_span, (char *[]){first, last}) == STORE_ROW ? STORE_OK : STORE_ERROR;
}

/* ---- building ---- */

/* The slice being built: one authority, meetings from `first` (YYYY-MM-01)
 * to before `next` (the first of the next month). */
struct slice {
    int64_t authority_id;
    char month[32], first[32], next[32];   /* wider than the dates, so snprintf provably fits */
};

/* Runs sql with (authority_id, month) bound as its two parameters. */
static enum store_rc exec_at(struct store *s, const char *sql, int64_t authority_id, const char *month)
{
    return q_run(s, sql, Q_PARAMS(QP_INT(authority_id), QP_TEXT(month)));
}

/* Runs sql with the slice bound n times as (authority, first, next). */
static enum store_rc exec_slice(struct store *s, const char *sql, const struct slice *sl, int n)
{
    struct store_stmt *st = store_prepare(s, sql);
    for (int i = 0; i < n; i++) {
        store_bind_int(st, 3 * i + 1, sl->authority_id);
        store_bind_text(st, 3 * i + 2, sl->first);
        store_bind_text(st, 3 * i + 3, sl->next);
    }
    return store_exec_done(st);
}

/* The case and action dimensions are counted in C (one pass over the
 * slice's presented cases, one over their actions: q_groups.h) and
 * written at the end. */
struct cell {
    int64_t vis;
    char phase[16], month[8], dim[16], k1[32], k2[32], k3[32];
    int64_t id;             /* a keying id (owner, resource), stored in n1: then n goes to n2 */
    bool by_id;
    int64_t n;
};

static uint64_t cell_hash(const void *g)
{
    const struct cell *k = g;
    uint64_t h = q_hash_int(q_hash_int(Q_HASH_START, k->vis), k->id);
    const char *parts[] = {k->phase, k->month, k->dim, k->k1, k->k2, k->k3};
    for (size_t i = 0; i < 6; i++)
        h = q_hash_str(h, parts[i]);
    return q_hash_end(h);
}

static bool cell_same(const void *x, const void *y)
{
    const struct cell *a = x, *b = y;
    return a->vis == b->vis && a->id == b->id && a->by_id == b->by_id && !strcmp(a->phase, b->phase) &&
           !strcmp(a->month, b->month) && !strcmp(a->dim, b->dim) && !strcmp(a->k1, b->k1) &&
           !strcmp(a->k2, b->k2) && !strcmp(a->k3, b->k3);
}

static bool cells_add(struct q_groups *t, const struct cell *k, int64_t n)
{
    bool added;
    size_t i = q_groups_find(t, k, &added);
    if (i == SIZE_MAX)
        return false;
    struct cell *c = (struct cell *)t->g + i;
    if (added)
        c->n = 0;
    c->n += n;
    return true;
}

/* Adds one to the cell (case's vis, phase, month; dim, keys). */
static bool count(struct q_groups *t, const struct cell *base, const char *dim, const char *k1, const char *k2,
                  const char *k3, int64_t n)
{
    struct cell k = *base;
    snprintf(k.dim, sizeof k.dim, "%s", dim);
    snprintf(k.k1, sizeof k.k1, "%s", k1);
    snprintf(k.k2, sizeof k.k2, "%s", k2);
    snprintf(k.k3, sizeof k.k3, "%s", k3);
    return cells_add(t, &k, n);
}

/* Adds n to the cell (vis, phase, month; dim, id). */
static bool count_id(struct q_groups *t, const struct cell *base, const char *dim, int64_t id, int64_t n)
{
    struct cell k = *base;
    snprintf(k.dim, sizeof k.dim, "%s", dim);
    k.k1[0] = k.k2[0] = k.k3[0] = '\0';
    k.id = id;
    k.by_id = true;
    return cells_add(t, &k, n);
}

/* Counting into the slice's cells; a failure (out of memory) stops the
 * counting, the rows left are stepped over, and the build fails. */
struct counting {
    const struct slice *sl;
    struct q_groups *t;
    bool ok;
};

static void count_action_group(struct store_stmt *st, void *arg)
{
    struct counting *k = arg;
    if (!k->ok)
        return;
    struct cell at = {.vis = store_col_int(st, 0)};
    store_col_copy(st, 1, at.phase, sizeof at.phase);
    snprintf(at.month, sizeof at.month, "%.7s", k->sl->month);
    char setting[32], nature[32];
    store_col_copy(st, 2, setting, sizeof setting);
    store_col_copy(st, 3, nature, sizeof nature);
    int64_t n = store_col_int(st, 6);
    k->ok = count(k->t, &at, "act_kind", setting, nature, "", n) &&
            count_id(k->t, &at, "act_owner", store_col_int(st, 4), n);
    if (k->ok && (!strcmp(nature, "signposting_school") || !strcmp(nature, "signposting_parents")))
        k->ok = count_id(k->t, &at, "act_resource", store_col_int(st, 5), n);
}

/* The actions of the cases presented in the slice, grouped once by every
 * key (as q_dash_actions), then counted one dimension at a time: the
 * tables count each apart, and the full cross would be many rows. */
static enum store_rc build_actions(struct store *s, const struct slice *sl, struct q_groups *t)
{
    struct store_stmt *st = store_prepare(s,
        "SELECT ps.authority_id, ps.phase, a.setting, a.nature, " DASH_ACTION_OWNER("a", "pr") ", "
        DASH_ACTION_RESOURCE("a") ", count(*) "
        "FROM discussions d JOIN meetings m ON m.id = d.meeting_id AND d.voided_at IS NULL AND m.voided_at IS NULL JOIN teams t ON t.id = m.team_id "
        "JOIN cases c ON c.id = d.case_id JOIN pupils p ON p.id = c.pupil_id "
        "JOIN schools ps ON ps.id = p.school_id JOIN actions a ON a.case_id = c.id AND a.voided_at IS NULL "
        "LEFT JOIN practitioners pr ON pr.id = a.owner_practitioner_id "
        "WHERE" IN_SLICE "AND d.kind = 'new' AND m.status = 'held' AND" DASH_FIRST_PRESENTATION("d", "m")
        "GROUP BY ps.authority_id, ps.phase, a.setting, a.nature, " DASH_ACTION_OWNER("a", "pr") ", "
        DASH_ACTION_RESOURCE("a"));
    store_bind_int(st, 1, sl->authority_id);
    store_bind_text(st, 2, sl->first);
    store_bind_text(st, 3, sl->next);
    struct counting k = {sl, t, true};
    enum store_rc rc = store_each_row(st, count_action_group, &k);
    return k.ok ? rc : STORE_ERROR;
}

struct presented {
    int64_t id;
    char date[11];
    struct cell at;         /* vis, phase, month of presentation */
    int nfu;
    char fu[3][8];          /* months of the first three follow-ups */
    char evidence[2][8];    /* "<closed><feedback>" and "<ei> <referral>" (q_dash_evidence's n0, n2; n3 n4) */
};

static int presented_cmp(const void *key, const void *elem)
{
    int64_t id = *(const int64_t *)key, e = ((const struct presented *)elem)->id;
    return id < e ? -1 : id > e;
}

/* The cases presented in a slice, counted as they are read and kept (in
 * id order) for their follow-ups; a failure (out of memory) stops the
 * counting, the rows left are stepped over, and the build fails. */
struct presenting {
    struct q_groups *t;
    struct presented *cs;
    size_t n, cap;
    bool ok;
};

static struct presented *presented_add(struct presenting *p)
{
    if (p->n == p->cap) {
        size_t nc = p->cap ? p->cap * 2 : 1024;
        struct presented *x = realloc(p->cs, nc * sizeof *x);
        if (!x)
            return NULL;
        p->cs = x;
        p->cap = nc;
    }
    struct presented *c = &p->cs[p->n++];
    memset(c, 0, sizeof *c);
    return c;
}

static void count_presented(struct store_stmt *st, void *arg)
{
    struct presenting *p = arg;
    struct presented *c = p->ok ? presented_add(p) : NULL;
    if (!c) {
        p->ok = false;
        return;
    }
    struct q_groups *t = p->t;
    c->id = store_col_int(st, 0);
    store_col_copy(st, 1, c->date, sizeof c->date);
    c->at.vis = store_col_int(st, 2);
    store_col_copy(st, 3, c->at.phase, sizeof c->at.phase);
    snprintf(c->at.month, sizeof c->at.month, "%.7s", c->date);
    char gender[32], year[32], eth[32], sen[32], v[24], idx[12];
    store_col_copy(st, 4, gender, sizeof gender);
    store_col_copy(st, 5, year, sizeof year);
    store_col_copy(st, 6, eth, sizeof eth);
    store_col_copy(st, 7, sen, sizeof sen);
    p->ok = count(t, &c->at, "cases", "", "", "", 1) && count(t, &c->at, "gender", gender, "", "", 1) &&
            count(t, &c->at, "nc_year", year, "", "", 1) && count(t, &c->at, "ethnicity", eth, "", "", 1) &&
            count(t, &c->at, "sen", sen, "", "", 1);
    int ev = 8 + 2 + DASH_PRIOR_FLAGS;   /* DASH_CASE_EVIDENCE's columns */
    snprintf(c->evidence[0], sizeof c->evidence[0], "%d%d", (int)store_col_int(st, ev), (int)store_col_int(st, ev + 1));
    snprintf(c->evidence[1], sizeof c->evidence[1], "%d %d", (int)store_col_int(st, ev + 2),
             (int)store_col_int(st, ev + 3));
    for (int i = 0; p->ok && i < 2 + DASH_PRIOR_FLAGS; i++) {
        snprintf(idx, sizeof idx, "%d", i);
        snprintf(v, sizeof v, "%lld", (long long)store_col_int(st, 8 + i));
        p->ok = count(t, &c->at, "flag", idx, v, "", 1);
        if (p->ok && i == 2 + 4)   /* in-school SEN support, crossed with gender */
            p->ok = count(t, &c->at, "sen_gender", gender, v, "", 1);
    }
}

/* A held review of a presented case, on or after its presentation. */
static void count_follow_up(struct store_stmt *st, void *arg)
{
    struct presenting *p = arg;
    if (!p->ok)
        return;
    int64_t id = store_col_int(st, 0);
    char date[11], month[8];
    store_col_copy(st, 1, date, sizeof date);
    struct presented *c = p->n ? bsearch(&id, p->cs, p->n, sizeof *p->cs, presented_cmp) : NULL;
    if (!c || strcmp(date, c->date) < 0)
        return;
    snprintf(month, sizeof month, "%.7s", date);
    p->ok = count(p->t, &c->at, "fu", month, "", "", 1);
    if (c->nfu < 3)
        memcpy(c->fu[c->nfu], month, sizeof month);
    c->nfu++;
}

static enum store_rc build_cases(struct store *s, const struct slice *sl, struct q_groups *t)
{
    struct store_stmt *st = store_prepare(s,
        "SELECT c.id, m.meeting_date, ps.authority_id, ps.phase, p.gender, p.nc_year, p.ethnicity, "
        "p.sen_provision, " DASH_CASE_FLAGS("c") ", " DASH_CASE_EVIDENCE("c")
        " FROM discussions d JOIN meetings m ON m.id = d.meeting_id AND d.voided_at IS NULL AND m.voided_at IS NULL "
        "JOIN teams t ON t.id = m.team_id JOIN cases c ON c.id = d.case_id JOIN pupils p ON p.id = c.pupil_id "
        "JOIN schools ps ON ps.id = p.school_id WHERE" IN_SLICE "AND d.kind = 'new' "
        "AND m.status = 'held' AND" DASH_FIRST_PRESENTATION("d", "m") "ORDER BY c.id");
    store_bind_int(st, 1, sl->authority_id);
    store_bind_text(st, 2, sl->first);
    store_bind_text(st, 3, sl->next);
    struct presenting p = {t, NULL, 0, 0, true};
    enum store_rc rc = store_each_row(st, count_presented, &p);
    if (rc == STORE_OK && p.ok) {
        /* Follow-ups: held reviews on or after the presentation, by month. */
        st = store_prepare(s,
            "SELECT r.case_id, r.meeting_date FROM (SELECT rd.case_id AS case_id, rm.meeting_date AS meeting_date "
            "FROM discussions rd JOIN meetings rm ON rm.id = rd.meeting_id AND rd.voided_at IS NULL AND rm.voided_at IS NULL WHERE rd.kind = 'review' "
            "AND rm.status = 'held' AND rd.case_id IN (SELECT d.case_id FROM discussions d "
            "JOIN meetings m ON m.id = d.meeting_id AND d.voided_at IS NULL AND m.voided_at IS NULL JOIN teams t ON t.id = m.team_id "
            "WHERE" IN_SLICE "AND d.kind = 'new' AND m.status = 'held')) r "
            "ORDER BY r.case_id, r.meeting_date");
        store_bind_int(st, 1, sl->authority_id);
        store_bind_text(st, 2, sl->first);
        store_bind_text(st, 3, sl->next);
        rc = store_each_row(st, count_follow_up, &p);
    }
    for (size_t i = 0; rc == STORE_OK && p.ok && i < p.n; i++)
        p.ok = count(t, &p.cs[i].at, "fu3", p.cs[i].fu[0], p.cs[i].fu[1], p.cs[i].fu[2], 1) &&
               count(t, &p.cs[i].at, "evidence", p.cs[i].evidence[0], p.cs[i].evidence[1], p.cs[i].fu[0], 1);
    free(p.cs);
    return p.ok ? rc : STORE_ERROR;
}

static enum store_rc write_cells(struct store *s, const struct slice *sl, const struct q_groups *t)
{
    enum store_rc rc = STORE_OK;
    for (size_t i = 0; rc == STORE_OK && i < t->n; i++) {
        const struct cell *c = (const struct cell *)t->g + i;
        if (!c->n)
            continue;
        rc = q_run(s,
            "INSERT INTO dash_rollup (authority_id, vis_authority_id, phase, month, dim, k1, k2, k3, n1, n2) "
            "VALUES (?,?,?,?,?,?,?,?,?,?)",
            Q_PARAMS(QP_INT(sl->authority_id), QP_INT(c->vis), QP_TEXT(c->phase), QP_TEXT(c->month), QP_TEXT(c->dim),
                     QP_TEXT(c->k1), QP_TEXT(c->k2), QP_TEXT(c->k3), QP_INT(c->by_id ? c->id : c->n),
                     QP_INT(c->by_id ? c->n : 0)));
    }
    return rc;
}

/* The population month: the census of the authority's TAS schools. */
static enum store_rc build_population(struct store *s, int64_t authority_id)
{
    enum store_rc rc = q_run(s,
        "DELETE FROM dash_rollup WHERE authority_id = ? AND month = '" DASH_POPULATION_MONTH "'",
        Q_PARAMS(QP_INT(authority_id)));
    if (rc != STORE_OK)
        return rc;
    return q_run(s,
        "INSERT INTO dash_rollup (authority_id, vis_authority_id, phase, month, dim, k1, k2, n1) "
        "SELECT s.authority_id, s.authority_id, s.phase, '" DASH_POPULATION_MONTH "', 'population', "
        "sp.dimension, sp.category, sum(sp.pupils) FROM school_population sp JOIN schools s ON s.id = sp.school_id "
        "WHERE s.tas_member = 1 AND s.authority_id = ? GROUP BY s.authority_id, s.phase, sp.dimension, sp.category",
        Q_PARAMS(QP_INT(authority_id)));
}

/* England's month stale: an authority's month (or census) was rebuilt. */
static enum store_rc national_stale(struct store *s, const char *month)
{
    /* ON CONFLICT, not SQLite's OR IGNORE: PostgreSQL runs it too. */
    return q_run(s,
        "INSERT INTO dash_rollup_stale (authority_id, month) "
        "VALUES (0, ?) ON CONFLICT DO NOTHING",
        Q_PARAMS(QP_TEXT(month)));
}

/* England's rows for one month: the authorities' rows of the dimensions a
 * national view reads row by row, added up by key (n1 is a key for the
 * owners and resources, a count elsewhere).  A key n1 is one value in its
 * group (it is grouped by), read as max(n1): PostgreSQL refuses a bare
 * r.n1 that only appears grouped inside the CASE. */
static enum store_rc build_national(struct store *s, const char *month)
{
    enum store_rc rc = q_run(s, "DELETE FROM dash_rollup WHERE authority_id = 0 AND month = ?",
        Q_PARAMS(QP_TEXT(month)));
    if (rc == STORE_OK) {
        rc = q_run(s,
            "INSERT INTO dash_rollup (authority_id, vis_authority_id, phase, month, dim, k1, k2, k3, n1, n2) "
            "SELECT 0, 0, r.phase, r.month, r.dim, r.k1, r.k2, r.k3, "
            "CASE WHEN r.dim IN ('act_owner', 'act_resource') THEN max(r.n1) ELSE sum(r.n1) END, sum(r.n2) "
            "FROM dash_rollup r WHERE r.month = ? AND r.authority_id > 0 AND r.dim IN " DASH_NATIONAL_DIMS
            " GROUP BY r.dim, r.phase, r.month, r.k1, r.k2, r.k3, "
            "CASE WHEN r.dim IN ('act_owner', 'act_resource') THEN r.n1 ELSE 0 END",
            Q_PARAMS(QP_TEXT(month)));
    }
    return rc;
}

enum store_rc q_rollup_build(struct store *s, int64_t authority_id, const char *month)
{
    if (authority_id == 0)
        return month ? build_national(s, month) : STORE_ERROR;
    if (month && !strcmp(month, DASH_POPULATION_MONTH))
        return build_population(s, authority_id);
    struct slice sl = {.authority_id = authority_id};
    int y, m;
    if (!month || strlen(month) != 7 || sscanf(month, "%4d-%2d", &y, &m) != 2 || y < 1 || y > 9998 || m < 1 ||
        m > 12)
        return STORE_ERROR;
    snprintf(sl.month, sizeof sl.month, "%04d-%02d", y, m);
    snprintf(sl.first, sizeof sl.first, "%04d-%02d-01", y, m);
    snprintf(sl.next, sizeof sl.next, "%04d-%02d-01", m == 12 ? y + 1 : y, m == 12 ? 1 : m + 1);
    enum store_rc rc = exec_at(s, "DELETE FROM dash_rollup WHERE authority_id = ? AND month = ?", authority_id,
                               sl.month);
    /* Meetings per host school phase and month (as q_dash_meetings). */
    if (rc == STORE_OK)
        rc = exec_slice(s,
            "INSERT INTO dash_rollup (authority_id, vis_authority_id, phase, month, dim, n1, n2, n3, n4) "
            "SELECT t.authority_id, t.authority_id, hs.phase, substr(m.meeting_date, 1, 7), 'meetings', "
            "count(*), sum(CASE WHEN m.status = 'held' THEN 1 ELSE 0 END), "
            "sum(CASE WHEN m.status = 'held' AND m.mode = 'online' THEN 1 ELSE 0 END), "
            "sum(CASE WHEN m.status = 'cancelled' THEN 1 ELSE 0 END) "
            "FROM meetings m JOIN teams t ON t.id = m.team_id AND m.voided_at IS NULL JOIN schools hs ON hs.id = t.host_school_id "
            "WHERE" IN_SLICE "GROUP BY t.authority_id, hs.phase, substr(m.meeting_date, 1, 7)",
            &sl, 1);
    /* Core members' places: each team's meetings times its members (as
     * q_dash_planned_members). */
    if (rc == STORE_OK)
        rc = exec_slice(s,
            "INSERT INTO dash_rollup (authority_id, vis_authority_id, phase, month, dim, k1, k2, n1) "
            "SELECT x.authority_id, x.authority_id, x.phase, x.month, 'planned', sv.code, sv.name, sum(x.n) FROM ("
            "SELECT t.id AS team_id, t.authority_id AS authority_id, hs.phase AS phase, "
            "substr(m.meeting_date, 1, 7) AS month, count(*) AS n "
            "FROM meetings m JOIN teams t ON t.id = m.team_id AND m.voided_at IS NULL JOIN schools hs ON hs.id = t.host_school_id "
            "WHERE" IN_SLICE "GROUP BY t.id, t.authority_id, hs.phase, substr(m.meeting_date, 1, 7)) x "
            "JOIN team_members tm ON tm.team_id = x.team_id JOIN services sv ON sv.id = tm.service_id "
            "WHERE sv.code NOT IN ('school', 'strategic_lead', 'case_coordinator') "
            "GROUP BY x.authority_id, x.phase, x.month, sv.code, sv.name",
            &sl, 1);
    /* Present attendance at held meetings (as q_dash_attendance). */
    if (rc == STORE_OK)
        rc = exec_slice(s,
            "INSERT INTO dash_rollup (authority_id, vis_authority_id, phase, month, dim, k1, k2, k3, n1, n2, n3) "
            "SELECT x.authority_id, x.authority_id, x.phase, x.month, 'attendance', x.att_key, x.att_name, x.att_org, "
            "x.guest, count(DISTINCT x.meeting_id), count(*) FROM (SELECT t.authority_id AS authority_id, "
            "hs.phase AS phase, substr(m.meeting_date, 1, 7) AS month, " DASH_ATTENDANCE_KEY("a", "sv")
            ", a.guest AS guest, m.id AS meeting_id "
            "FROM attendance a JOIN meetings m ON m.id = a.meeting_id AND m.voided_at IS NULL JOIN teams t ON t.id = m.team_id "
            "JOIN schools hs ON hs.id = t.host_school_id LEFT JOIN services sv ON sv.id = a.service_id "
            "WHERE" IN_SLICE "AND m.status = 'held' AND a.status = 'present') x "
            "GROUP BY x.authority_id, x.phase, x.month, x.att_key, x.att_name, x.att_org, x.guest",
            &sl, 1);
    struct q_groups t = Q_GROUPS(struct cell, cell_hash, cell_same);
    if (rc == STORE_OK)
        rc = build_actions(s, &sl, &t);
    if (rc == STORE_OK)
        rc = build_cases(s, &sl, &t);
    if (rc == STORE_OK)
        rc = write_cells(s, &sl, &t);
    q_groups_free(&t);
    return rc;
}

/* ---- claiming a slice ---- */

enum store_rc q_rollup_claimed(struct store *s, int64_t authority_id, const char *month, int64_t since,
                               bool *held)
{
    int64_t n = 0;
    enum store_rc rc = q_int(s,
        "SELECT count(*) FROM dash_rollup_building WHERE authority_id = ? AND month = ? AND claimed_at > ?",
        Q_PARAMS(QP_INT(authority_id), QP_TEXT(month), QP_INT(since)), &n);
    *held = n > 0;
    return rc;
}

enum store_rc q_rollup_claim(struct store *s, int64_t authority_id, const char *month, int64_t now,
                             int64_t abandoned_after, bool *claimed)
{
    *claimed = false;
    bool busy = false;
    enum store_rc rc = q_rollup_claimed(s, authority_id, month, now - abandoned_after, &busy);
    if (rc != STORE_OK || busy)
        return rc;
    rc = exec_at(s, "DELETE FROM dash_rollup_stale WHERE authority_id = ? AND month = ?", authority_id, month);
    if (rc == STORE_OK) {
        rc = q_run(s,
            "INSERT INTO dash_rollup_building (authority_id, month, claimed_at) VALUES (?,?,?) "
            "ON CONFLICT (authority_id, month) DO UPDATE SET claimed_at = excluded.claimed_at",
            Q_PARAMS(QP_INT(authority_id), QP_TEXT(month), QP_INT(now)));
    }
    *claimed = rc == STORE_OK;
    return rc;
}

enum store_rc q_rollup_release(struct store *s, int64_t authority_id, const char *month, bool built)
{
    enum store_rc rc =
        exec_at(s, "DELETE FROM dash_rollup_building WHERE authority_id = ? AND month = ?", authority_id, month);
    if (rc != STORE_OK)
        return rc;
    if (!built)   /* stale again, to be built another time */
        return exec_at(s, "INSERT INTO dash_rollup_stale (authority_id, month) VALUES (?, ?) ON CONFLICT DO NOTHING",
                       authority_id, month);
    return authority_id != 0 ? national_stale(s, month) : STORE_OK;
}

enum store_rc q_rollup_stale_national(struct store *s, const char *from_month, const char *to_month,
                                      void (*fn)(void *arg, int64_t authority_id, const char *month), void *arg)
{
    return read_pending(s, false, 0, from_month, to_month, fn, arg);
}

enum store_rc q_rollup_generation(struct store *s, int64_t *n)
{
    *n = 0;
    struct store_stmt *st = store_prepare(s, "SELECT n FROM dash_generation WHERE id = 1");
    return store_get_int(st, n);
}
