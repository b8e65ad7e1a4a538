/* The dashboard at scale: times the full dashboard (svc_dashboard: every
 * table of the learning report, through SQL) for one authority and for
 * all of England, and prints each as a ratio to the same aggregates
 * computed in the same run by a plain C scan over arrays in memory (the
 * practical floor: no SQL, no joins, everything already loaded).
 *   dashboard_bench DB [AUTHORITY_ID [FROM TO [both|authority|national]]]
 * DB is made by `tas generate --db DB --scale national`.  With
 * BENCH_QUERIES set in the environment it also times each query alone;
 * with BENCH_SKIP_RECORDS it does not time the dashboard from the records. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/codes.h"
#include "lib/count.h"
#include "core/stats.h"
#include "service/svc_dashboard.h"
#include "store/q_dash_rollup.h"
#include "store/q_dashboard.h"
#include "store/store.h"
#include "web/dash_cache.h"
#include "web/page_cache.h"

static double clock_ms(clockid_t id)
{
    struct timespec t;
    clock_gettime(id, &t);
    return (double)t.tv_sec * 1000.0 + (double)t.tv_nsec / 1e6;
}

static double now_ms(void)
{
    return clock_ms(CLOCK_MONOTONIC);
}

/* CPU time of this process: on a shared machine, wall time also counts the
 * time other programs held the cores. */
static double cpu_ms(void)
{
    return clock_ms(CLOCK_PROCESS_CPUTIME_ID);
}

/* ---- the data, as arrays indexed by id ---- */

struct arrays {
    int64_t nschools, nteams, nmeetings, npupils, ncases, nservices, nresources;
    int8_t *school_col, *school_tas;
    int64_t *school_roll;                     /* pupils on roll (census, by gender) */
    int32_t *school_auth;
    int32_t *team_host, *team_auth;
    int32_t *m_team, *m_date;                 /* date as YYYYMMDD */
    int8_t *m_status, *m_online;              /* 0 held 1 cancelled 2 planned */
    size_t natt;
    int32_t *att_meeting, *att_service;
    int8_t *att_ok;                           /* present and not a guest */
    int32_t *p_school;
    int8_t *p_gender, *p_eth, *p_year, *p_sen;
    int32_t *c_pupil;
    int8_t *c_summary, *c_ect, *c_psen, *c_ppaed, *c_peh;
    size_t ndisc;
    int32_t *d_meeting, *d_case;
    int8_t *d_new;
    size_t nact;
    int32_t *a_case, *a_owner, *a_res;
    int8_t *a_setting, *a_nature;
};

static int64_t max_id(struct store *s, const char *sql)
{
    struct store_stmt *st = store_prepare(s, sql);
    int64_t n = st && store_step(st) == STORE_ROW ? store_col_int(st, 0) : 0;
    if (st)
        store_done(st);
    return n;
}

static void *zalloc(size_t n, size_t size)
{
    void *p = calloc(n ? n : 1, size);
    if (!p) {
        fprintf(stderr, "out of memory\n");
        exit(1);
    }
    return p;
}

static int index_of(const char *const *list, size_t n, const char *s)
{
    for (size_t i = 0; i < n; i++)
        if (!strcmp(list[i], s))
            return (int)i;
    return (int)n;
}

static const char *const genders[] = {"M", "F", "X"};
static const char *const years[] = {"N1", "N2", "R", "1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11",
                                    "12", "13", "14", "X"};
static const char *const sens[] = {"N", "K", "E"};
static const char *const groups[] = {"Asian / Asian British", "Black / African / Caribbean / Black British",
                                     "Mixed / Multiple ethnic groups", "White", "Other ethnic group"};
static const char *const settings[] = {"school", "home", "health", "social_care", "other"};
static const char *const natures[] = {"coordination", "signposting_school", "signposting_parents",
                                      "school_adjustment", "advice", "referral", "assessment", "other"};

static int flag(struct store_stmt *st, int col)
{
    return store_col_is_null(st, col) ? 2 : (int)store_col_int(st, col);
}

static void load(struct store *s, struct arrays *a)
{
    a->nschools = max_id(s, "SELECT max(id) FROM schools") + 1;
    a->nteams = max_id(s, "SELECT max(id) FROM teams") + 1;
    a->nmeetings = max_id(s, "SELECT max(id) FROM meetings") + 1;
    a->npupils = max_id(s, "SELECT max(id) FROM pupils") + 1;
    a->ncases = max_id(s, "SELECT max(id) FROM cases") + 1;
    a->natt = (size_t)max_id(s, "SELECT count(*) FROM attendance");
    a->ndisc = (size_t)max_id(s, "SELECT count(*) FROM discussions");
    a->nact = (size_t)max_id(s, "SELECT count(*) FROM actions");
    a->nservices = max_id(s, "SELECT max(id) FROM services") + 1;
    a->nresources = max_id(s, "SELECT max(id) FROM resources") + 1;
#define Z(f, n) a->f = zalloc((size_t)(n), sizeof *a->f)
    Z(school_col, a->nschools); Z(school_tas, a->nschools); Z(school_auth, a->nschools);
    Z(school_roll, a->nschools);
    Z(team_host, a->nteams); Z(team_auth, a->nteams);
    Z(m_team, a->nmeetings); Z(m_date, a->nmeetings); Z(m_status, a->nmeetings); Z(m_online, a->nmeetings);
    Z(att_meeting, a->natt); Z(att_service, a->natt); Z(att_ok, a->natt);
    Z(p_school, a->npupils); Z(p_gender, a->npupils); Z(p_eth, a->npupils); Z(p_year, a->npupils);
    Z(p_sen, a->npupils);
    Z(c_pupil, a->ncases); Z(c_summary, a->ncases); Z(c_ect, a->ncases); Z(c_psen, a->ncases);
    Z(c_ppaed, a->ncases); Z(c_peh, a->ncases);
    Z(d_meeting, a->ndisc); Z(d_case, a->ndisc); Z(d_new, a->ndisc);
    Z(a_case, a->nact); Z(a_owner, a->nact); Z(a_res, a->nact); Z(a_setting, a->nact); Z(a_nature, a->nact);
#undef Z
    struct store_stmt *st = store_prepare(s, "SELECT id, phase, tas_member, authority_id FROM schools");
    while (store_step(st) == STORE_ROW) {
        int64_t id = store_col_int(st, 0);
        a->school_col[id] = (int8_t)stat_col_of_phase(store_col_text(st, 1));
        a->school_tas[id] = (int8_t)store_col_int(st, 2);
        a->school_auth[id] = (int32_t)store_col_int(st, 3);
    }
    store_done(st);
    st = store_prepare(s, "SELECT school_id, pupils FROM school_population WHERE dimension = 'gender'");
    while (store_step(st) == STORE_ROW)
        a->school_roll[store_col_int(st, 0)] += store_col_int(st, 1);
    store_done(st);
    st = store_prepare(s, "SELECT id, host_school_id, authority_id FROM teams");
    while (store_step(st) == STORE_ROW) {
        int64_t id = store_col_int(st, 0);
        a->team_host[id] = (int32_t)store_col_int(st, 1);
        a->team_auth[id] = (int32_t)store_col_int(st, 2);
    }
    store_done(st);
    st = store_prepare(s, "SELECT id, team_id, meeting_date, status, mode FROM meetings");
    while (store_step(st) == STORE_ROW) {
        int64_t id = store_col_int(st, 0);
        int y = 0, m = 0, d = 0;
        sscanf(store_col_text(st, 2), "%d-%d-%d", &y, &m, &d);
        a->m_team[id] = (int32_t)store_col_int(st, 1);
        a->m_date[id] = y * 10000 + m * 100 + d;
        const char *status = store_col_text(st, 3);
        a->m_status[id] = (int8_t)(!strcmp(status, "held") ? 0 : !strcmp(status, "cancelled") ? 1 : 2);
        a->m_online[id] = (int8_t)!strcmp(store_col_text(st, 4), "online");
    }
    store_done(st);
    st = store_prepare(s, "SELECT meeting_id, coalesce(service_id, 0), status = 'present' AND guest = 0 "
                          "FROM attendance");
    for (size_t i = 0; i < a->natt && store_step(st) == STORE_ROW; i++) {
        a->att_meeting[i] = (int32_t)store_col_int(st, 0);
        a->att_service[i] = (int32_t)store_col_int(st, 1);
        a->att_ok[i] = (int8_t)store_col_int(st, 2);
    }
    store_done(st);
    st = store_prepare(s, "SELECT id, school_id, gender, ethnicity, nc_year, sen_provision FROM pupils");
    while (store_step(st) == STORE_ROW) {
        int64_t id = store_col_int(st, 0);
        a->p_school[id] = (int32_t)store_col_int(st, 1);
        a->p_gender[id] = (int8_t)index_of(genders, 3, store_col_text(st, 2));
        const char *main = ethnicity_main_code(store_col_text(st, 3));
        const struct code_entry *e = main ? code_find(&codes_ethnicity, main) : NULL;
        a->p_eth[id] = (int8_t)(e && e->group ? index_of(groups, 5, e->group) : 5);
        a->p_year[id] = (int8_t)index_of(years, 18, store_col_text(st, 4));
        a->p_sen[id] = (int8_t)index_of(sens, 3, store_col_text(st, 5));
    }
    store_done(st);
    st = store_prepare(s, "SELECT id, pupil_id, summary_before_meeting, ect_completed, prior_sen_support, "
                          "prior_paediatrics, prior_early_help FROM cases");
    while (store_step(st) == STORE_ROW) {
        int64_t id = store_col_int(st, 0);
        a->c_pupil[id] = (int32_t)store_col_int(st, 1);
        a->c_summary[id] = (int8_t)flag(st, 2);
        a->c_ect[id] = (int8_t)flag(st, 3);
        a->c_psen[id] = (int8_t)flag(st, 4);
        a->c_ppaed[id] = (int8_t)flag(st, 5);
        a->c_peh[id] = (int8_t)flag(st, 6);
    }
    store_done(st);
    st = store_prepare(s, "SELECT meeting_id, case_id, kind = 'new' FROM discussions");
    for (size_t i = 0; i < a->ndisc && store_step(st) == STORE_ROW; i++) {
        a->d_meeting[i] = (int32_t)store_col_int(st, 0);
        a->d_case[i] = (int32_t)store_col_int(st, 1);
        a->d_new[i] = (int8_t)store_col_int(st, 2);
    }
    store_done(st);
    st = store_prepare(s, "SELECT case_id, coalesce(owner_service_id, 0), coalesce(resource_id, 0), setting, nature "
                          "FROM actions");
    for (size_t i = 0; i < a->nact && store_step(st) == STORE_ROW; i++) {
        a->a_case[i] = (int32_t)store_col_int(st, 0);
        a->a_owner[i] = (int32_t)store_col_int(st, 1);
        a->a_res[i] = (int32_t)store_col_int(st, 2);
        a->a_setting[i] = (int8_t)index_of(settings, 5, store_col_text(st, 3));
        a->a_nature[i] = (int8_t)index_of(natures, 8, store_col_text(st, 4));
    }
    store_done(st);
}

/* ---- the scan: the dashboard's aggregates, by phase column ---- */

struct scan_out {
    int64_t schools[4], roll[4], planned[4], held[4], online[4], cancelled[4];
    int64_t *attended;                        /* [service][col] */
    int64_t cases[4], reviews[5][4], summary[3][4], ect[3][4];
    int64_t gender[4][4], eth[6][4], year[19][4], sen[4][4], psen[3][4], ppaed[3][4], peh[3][4];
    int64_t actions[4], setting[6][4], nature[9][4];
    int64_t *owner, *resource;                /* [id][col] */
};

static void scan(const struct arrays *a, int32_t auth, int32_t from, int32_t to, struct scan_out *o,
                 int8_t *presented, int8_t *fu, int32_t *pd_date, int32_t *pd_meeting)
{
    int64_t *att = o->attended, *own = o->owner, *res = o->resource;
    memset(o, 0, sizeof *o);
    o->attended = att;
    o->owner = own;
    o->resource = res;
    memset(att, 0, (size_t)a->nservices * 4 * sizeof *att);
    memset(own, 0, (size_t)a->nservices * 4 * sizeof *own);
    memset(res, 0, (size_t)a->nresources * 4 * sizeof *res);
    memset(presented, 0, (size_t)a->ncases);
    memset(fu, 0, (size_t)a->ncases);
#define ADD(arr, col) ((arr)[col]++, (arr)[3]++)
    for (int64_t i = 1; i < a->nschools; i++)
        if (a->school_tas[i] && (!auth || a->school_auth[i] == auth)) {
            ADD(o->schools, a->school_col[i]);
            o->roll[a->school_col[i]] += a->school_roll[i];
            o->roll[3] += a->school_roll[i];
        }
    for (int64_t m = 1; m < a->nmeetings; m++) {
        int32_t t = a->m_team[m];
        if (!t || (auth && a->team_auth[t] != auth) || a->m_date[m] < from || a->m_date[m] > to)
            continue;
        int col = a->school_col[a->team_host[t]];
        ADD(o->planned, col);
        if (a->m_status[m] == 0) {
            ADD(o->held, col);
            if (a->m_online[m])
                ADD(o->online, col);
        } else if (a->m_status[m] == 1) {
            ADD(o->cancelled, col);
        }
    }
    for (size_t i = 0; i < a->natt; i++) {
        int32_t m = a->att_meeting[i], t = a->m_team[m];
        if (!a->att_ok[i] || a->m_status[m] != 0 || (auth && a->team_auth[t] != auth) || a->m_date[m] < from ||
            a->m_date[m] > to)
            continue;
        ADD(&att[a->att_service[i] * 4], a->school_col[a->team_host[t]]);
    }
    /* A case is presented at its first held 'new' discussion (earliest
     * date, then meeting id); its follow-ups are held reviews from that
     * date to the end of the range. */
    memset(pd_date, 0, (size_t)a->ncases * sizeof *pd_date);
    for (size_t i = 0; i < a->ndisc; i++) {
        int32_t m = a->d_meeting[i], c = a->d_case[i];
        if (!a->d_new[i] || a->m_status[m] != 0)
            continue;
        if (!pd_date[c] || a->m_date[m] < pd_date[c] || (a->m_date[m] == pd_date[c] && m < pd_meeting[c])) {
            pd_date[c] = a->m_date[m];
            pd_meeting[c] = m;
        }
    }
    for (int64_t c = 1; c < a->ncases; c++)
        if (pd_date[c] && pd_date[c] >= from && pd_date[c] <= to &&
            (!auth || a->team_auth[a->m_team[pd_meeting[c]]] == auth))
            presented[c] = 1;
    for (size_t i = 0; i < a->ndisc; i++) {
        int32_t m = a->d_meeting[i], c = a->d_case[i];
        if (a->d_new[i] || a->m_status[m] != 0 || !presented[c] || a->m_date[m] < pd_date[c] ||
            a->m_date[m] > to)
            continue;
        if (fu[c] < 100)
            fu[c]++;
    }
    for (int64_t c = 1; c < a->ncases; c++) {
        if (!presented[c])
            continue;
        int32_t p = a->c_pupil[c];
        int col = a->school_col[a->p_school[p]];
        ADD(o->cases, col);
        ADD(o->reviews[fu[c] > 3 ? 3 : fu[c]], col);
        ADD(o->summary[a->c_summary[c]], col);
        ADD(o->ect[a->c_ect[c]], col);
        ADD(o->gender[a->p_gender[p]], col);
        ADD(o->eth[a->p_eth[p]], col);
        ADD(o->year[a->p_year[p]], col);
        ADD(o->sen[a->p_sen[p]], col);
        ADD(o->psen[a->c_psen[c]], col);
        ADD(o->ppaed[a->c_ppaed[c]], col);
        ADD(o->peh[a->c_peh[c]], col);
    }
    for (size_t i = 0; i < a->nact; i++) {
        int32_t c = a->a_case[i];
        if (!presented[c])
            continue;
        int col = a->school_col[a->p_school[a->c_pupil[c]]];
        ADD(o->actions, col);
        ADD(o->setting[a->a_setting[i]], col);
        ADD(o->nature[a->a_nature[i]], col);
        ADD(&own[a->a_owner[i] * 4], col);
        if (a->a_nature[i] == 1 || a->a_nature[i] == 2)
            ADD(&res[a->a_res[i] * 4], col);
    }
#undef ADD
}

static int64_t cell(const struct dashboard *d, const char *table, const char *group, const char *label)
{
    const struct stat_table *t = dashboard_table(d, table);
    for (size_t i = 0; t && i < t->nrows; i++)
        if (!strcmp(t->rows[i].label, label) && (!group || !strcmp(t->rows[i].group, group)))
            return t->rows[i].cells[COL_TOTAL].n;
    return -1;
}

static void count_row(void *arg, const struct dash_row *r)
{
    (void)r;
    ++*(int64_t *)arg;
}

/* Each of the dashboard's queries alone, as the system principal sees
 * it: where the dashboard's time goes. */
static void per_query(struct store *db, int64_t auth, const char *from, const char *to, const char *what)
{
    bool skip_records = false;
    struct visibility vis = {.all = true};
    struct dash_query q = {from, to, auth, 0, 0, "", &vis};
    if (getenv("BENCH_ROLLUP_ONLY"))
        skip_records = true;
    static const struct {
        const char *name;
        enum store_rc (*fn)(struct store *, const struct dash_query *, dash_fn, void *);
    } qs[] = {
        {"schools", q_dash_schools}, {"meetings", q_dash_meetings},
        {"planned_members", q_dash_planned_members}, {"months", q_dash_months},
        {"attendance", q_dash_attendance}, {"case_rows", q_dash_case_rows},
        {"actions", q_dash_actions}, {"population", q_dash_population},
        {"rollup_meetings", q_rollup_meetings}, {"rollup_months", q_rollup_months},
        {"rollup_planned", q_rollup_planned_members}, {"rollup_attendance", q_rollup_attendance},
        {"rollup_cases", q_rollup_case_dims}, {"rollup_actions", q_rollup_action_dims},
        {"rollup_population", q_rollup_population},
    };
    for (size_t i = 0; i < COUNT(qs); i++) {
        if (skip_records && strncmp(qs[i].name, "rollup", 6) != 0 && strcmp(qs[i].name, "schools") &&
            strcmp(qs[i].name, "population"))
            continue;
        int64_t n = 0;
        double t0 = now_ms();
        enum store_rc rc = qs[i].fn(db, &q, count_row, &n);
        printf("  %-9s %-16s %9.1f ms %8lld rows%s\n", what, qs[i].name, now_ms() - t0, (long long)n,
               rc == STORE_OK ? "" : " (FAILED)");
    }
}

/* Every figure of every table (label, group, each cell), hashed: two
 * versions of the queries give the same figures when "figures" agrees
 * (the rows' order aside), the same page when "rows" agrees too. */
static void checksum(const struct dashboard *d, uint64_t *figures, uint64_t *rows)
{
    *figures = 0;
    *rows = 1469598103934665603ULL;
    for (int t = 0; t < DT__COUNT; t++)
        for (size_t i = 0; i < d->t[t].nrows; i++) {
            const struct stat_row *r = &d->t[t].rows[i];
            uint64_t h = 1469598103934665603ULL ^ (uint64_t)t;
            for (const char *c = r->label; *c; c++)
                h = (h ^ (unsigned char)*c) * 1099511628211ULL;
            for (const char *c = r->group; *c; c++)
                h = (h ^ (unsigned char)*c) * 1099511628211ULL;
            for (int k = 0; k < STAT_NCOLS; k++)
                h = (h ^ (uint64_t)r->cells[k].n) * 1099511628211ULL;
            *figures += h;
            *rows = (*rows ^ h) * 1099511628211ULL;
        }
}

/* Best of RUNS: the dashboard, wall and CPU milliseconds. */
static int time_dashboard(struct svc_ctx *c, const struct dash_filter_form *in, struct dashboard *d, double *wall,
                          double *cpu)
{
    enum { RUNS = 3 };
    struct field_errors errs = {0};
    *wall = *cpu = 1e30;
    for (int i = 0; i < RUNS; i++) {
        double t0 = now_ms(), c0 = cpu_ms();
        if (svc_dashboard(c, in, ACT_VIEW, d, &errs) != SVC_OK) {
            fprintf(stderr, "dashboard failed\n");
            return -1;
        }
        double t = now_ms() - t0, ct = cpu_ms() - c0;
        if (t < *wall)
            *wall = t;
        if (ct < *cpu)
            *cpu = ct;
    }
    return 0;
}

/* The rollup made stale for one authority (or all: 0) and every month, or
 * one month, then rebuilt: the cost a dashboard (or the server's
 * refresher) pays after changes there. */
static double time_rebuild(struct svc_ctx *c, int64_t auth, const char *month)
{
    struct store_stmt *st = store_prepare(c->db,
        "INSERT INTO dash_rollup_stale (authority_id, month) SELECT DISTINCT t.authority_id, "
        "substr(m.meeting_date, 1, 7) FROM meetings m JOIN teams t ON t.id = m.team_id "
        "WHERE (? = 0 OR t.authority_id = ?) AND (? = '' OR substr(m.meeting_date, 1, 7) = ?) "
        "ON CONFLICT DO NOTHING");
    store_bind_int(st, 1, auth);
    store_bind_int(st, 2, auth);
    store_bind_text(st, 3, month);
    store_bind_text(st, 4, month);
    /* Portable SQL (both backends): a failure here would time a rebuild of nothing. */
    if (store_exec_stmt(st) != STORE_OK)
        fprintf(stderr, "rollup: could not mark months stale: %s\n", store_errmsg(c->db));
    store_done(st);
    double t0 = now_ms();
    if (svc_dashboard_refresh(c, auth) != SVC_OK)
        fprintf(stderr, "rollup rebuild failed\n");
    return now_ms() - t0;
}

static int run(struct store *db, const struct arrays *a, int64_t auth, const char *from, const char *to,
               const char *what)
{
    struct svc_ctx c;
    svc_ctx_init(&c, db, svc_system_principal(), (int64_t)time(NULL));
    char auth_s[24] = "";
    if (auth)
        snprintf(auth_s, sizeof auth_s, "%lld", (long long)auth);
    struct dash_filter_form in = {from, to, auth_s, NULL, NULL, NULL, NULL, false};
    struct dash_filter_form in_records = in;
    in_records.from_records = true;
    struct dashboard *d = malloc(sizeof *d), *dr = malloc(sizeof *dr);
    double best_dash, cpu_dash, best_rec, cpu_rec, best_scan = 1e30, cpu_scan = 1e30;
    /* The rollup brought up to date first (as a dashboard view would),
     * then timed warm; the records' path timed as it always was. */
    /* The month with the most meetings in scope: a typical change's cost. */
    char month[8] = "";
    struct store_stmt *busiest = store_prepare(db,
        "SELECT substr(m.meeting_date, 1, 7) FROM meetings m JOIN teams t ON t.id = m.team_id "
        "WHERE (? = 0 OR t.authority_id = ?) GROUP BY substr(m.meeting_date, 1, 7) ORDER BY count(*) DESC LIMIT 1");
    store_bind_int(busiest, 1, auth);
    store_bind_int(busiest, 2, auth);
    if (store_step(busiest) == STORE_ROW)
        store_col_copy(busiest, 0, month, sizeof month);
    store_done(busiest);
    double rebuild_month = time_rebuild(&c, auth, month);
    double rebuild = time_rebuild(&c, auth, "");
    /* BENCH_SKIP_RECORDS: the records' path not run (England's takes many
     * minutes on PostgreSQL); the rollup is still checked against the scan. */
    bool records = !getenv("BENCH_SKIP_RECORDS");
    if (time_dashboard(&c, &in, d, &best_dash, &cpu_dash) ||
        (records && time_dashboard(&c, &in_records, dr, &best_rec, &cpu_rec)))
        return -1;
    struct scan_out o;
    o.attended = zalloc((size_t)a->nservices * 4, sizeof(int64_t));
    o.owner = zalloc((size_t)a->nservices * 4, sizeof(int64_t));
    o.resource = zalloc((size_t)a->nresources * 4, sizeof(int64_t));
    int8_t *presented = zalloc((size_t)a->ncases, 1), *fu = zalloc((size_t)a->ncases, 1);
    int32_t *pd_date = zalloc((size_t)a->ncases, sizeof(int32_t)), *pd_meeting = zalloc((size_t)a->ncases, sizeof(int32_t));
    int y1, m1, d1, y2, m2, d2;
    sscanf(from, "%d-%d-%d", &y1, &m1, &d1);
    sscanf(to, "%d-%d-%d", &y2, &m2, &d2);
    for (int i = 0; i < 3; i++) {
        double t0 = now_ms(), c0 = cpu_ms();
        scan(a, (int32_t)auth, y1 * 10000 + m1 * 100 + d1, y2 * 10000 + m2 * 100 + d2, &o, presented, fu, pd_date,
             pd_meeting);
        double t = now_ms() - t0, ct = cpu_ms() - c0;
        if (t < best_scan)
            best_scan = t;
        if (ct < cpu_scan)
            cpu_scan = ct;
    }
    /* The two must agree, or the comparison means nothing. */
    struct { const char *table, *group, *label; int64_t want; } checks[] = {
        {"meetings", NULL, "Meetings planned", o.planned[3]},
        {"gender_population", NULL, "All pupils on roll", o.roll[3]},
        {"meetings", NULL, "Meetings held", o.held[3]},
        {"meetings", NULL, "Meetings held online", o.online[3]},
        {"cases", NULL, "Pupils' cases presented", o.cases[3]},
        {"cases", NULL, "3 or more reviews", o.reviews[3][3]},
        {"procedures", NULL, "Actions recorded", o.actions[3]},
        {"gender", NULL, "Male", o.gender[0][3]},
        {"ethnicity", NULL, "White", o.eth[3][3]},
        {"action_setting", NULL, "At home", o.setting[1][3]},
        {"action_nature", NULL, "Formal referral", o.nature[5][3]},
    };
    int bad = 0;
    for (size_t i = 0; i < COUNT(checks); i++) {
        int64_t got = cell(d, checks[i].table, checks[i].group, checks[i].label);
        if (got != checks[i].want) {
            fprintf(stderr, "MISMATCH %s/%s: dashboard %lld, scan %lld\n", checks[i].table, checks[i].label,
                    (long long)got, (long long)checks[i].want);
            bad = 1;
        }
    }
    /* The rollup and the records must agree on every figure and row. */
    uint64_t figures, rows, rfigures = 0, rrows = 0;
    checksum(d, &figures, &rows);
    if (records)
        checksum(dr, &rfigures, &rrows);
    if (records && (figures != rfigures || rows != rrows)) {
        fprintf(stderr, "MISMATCH %s: rollup and records differ (figures %016llx/%016llx, rows %016llx/%016llx)\n",
                what, (unsigned long long)figures, (unsigned long long)rfigures, (unsigned long long)rows,
                (unsigned long long)rrows);
        bad = 1;
    }
    printf("%-9s %8lld cases, %8lld actions | C scan %6.1f ms (cpu %6.1f)\n", what, (long long)o.cases[3],
           (long long)o.actions[3], best_scan, cpu_scan);
    printf("%-9s   dashboard from the rollup  %8.1f ms, ratio to scan %6.2f (cpu %8.1f ms, ratio %6.2f)\n", what,
           best_dash, best_dash / best_scan, cpu_dash, cpu_dash / cpu_scan);
    if (records) {
        printf("%-9s   dashboard from the records %8.1f ms, ratio to scan %6.2f (cpu %8.1f ms, ratio %6.2f)\n", what,
               best_rec, best_rec / best_scan, cpu_rec, cpu_rec / cpu_scan);
        printf("%-9s   rollup rebuilt for %s: one month (%s) %.1f ms, every month %.1f ms "
               "(%.2f x the dashboard from the records)%s\n", what, auth ? "this authority" : "every authority",
               month, rebuild_month, rebuild, rebuild / best_rec, bad ? " (FIGURES DIFFER)" : " (figures agree)");
    } else {
        printf("%-9s   dashboard from the records not timed (BENCH_SKIP_RECORDS)\n", what);
        printf("%-9s   rollup rebuilt for %s: one month (%s) %.1f ms, every month %.1f ms%s\n", what,
               auth ? "this authority" : "every authority", month, rebuild_month, rebuild,
               bad ? " (FIGURES DIFFER from the scan)" : " (figures agree with the scan)");
    }
    printf("%-9s checksums: figures %016llx, rows %016llx\n", what, (unsigned long long)figures,
           (unsigned long long)rows);
    /* The JSON answer as /api/v1/dashboard gives it: computed (the
     * rollup's generation looked up, the dashboard built and written out)
     * against kept in memory (web/page_cache.c: the generation looked up,
     * the text copied out), best of 5 each, same run. */
    {
        struct buf out = BUF_INIT, fresh = BUF_INIT;
        struct field_errors errs = {0};
        const char *from_where = NULL, *read_from = NULL;
        double computed = 1e30, kept = 1e30;
        page_cache_clear();
        for (int i = 0; i < 5; i++) {
            double t0 = now_ms();
            if (dash_answer_json(&c, NULL, &in, false, false, &fresh, &from_where, &read_from, &errs) != SVC_OK)
                bad = 1;
            double t = now_ms() - t0;
            computed = t < computed ? t : computed;
        }
        if (dash_answer_json(&c, NULL, &in, false, true, &out, &from_where, &read_from, &errs) != SVC_OK)
            bad = 1;
        for (int i = 0; i < 5; i++) {
            double t0 = now_ms();
            if (dash_answer_json(&c, NULL, &in, false, true, &out, &from_where, &read_from, &errs) != SVC_OK ||
                !from_where || strcmp(from_where, "cache"))
                bad = 1;
            double t = now_ms() - t0;
            kept = t < kept ? t : kept;
        }
        bool same = out.len == fresh.len && out.len && !memcmp(out.data, fresh.data, out.len);
        if (!same)
            bad = 1;
        printf("%-9s   JSON answer computed %8.2f ms, kept in memory %8.3f ms: kept / computed %.4f, "
               "ratio to scan %.3f (%zu bytes, %s)\n", what, computed, kept, kept / computed, kept / best_scan,
               out.len, same ? "the same bytes" : "DIFFERENT BYTES");
        buf_free(&out);
        buf_free(&fresh);
    }
    free(o.attended);
    free(o.owner);
    free(o.resource);
    free(presented);
    free(fu);
    free(pd_date);
    free(pd_meeting);
    free(d);
    free(dr);
    return bad;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: dashboard_bench DB [AUTHORITY_ID [FROM TO [both|authority|national]]]\n");
        return 2;
    }
    char err[256];
    struct store *db = store_open(argv[1], err, sizeof err);
    /* A database generated by an older tas: brought to this one's schema. */
    if (!db || store_migrate(db, err, sizeof err) != STORE_OK) {
        fprintf(stderr, "%s\n", err);
        store_close(db);
        return 1;
    }
    int64_t auth = argc > 2 ? strtoll(argv[2], NULL, 10) : 1;
    const char *from = argc > 4 ? argv[3] : "2024-09-01", *to = argc > 4 ? argv[4] : "2025-08-31";
    struct arrays a = {0};
    double t0 = now_ms();
    load(db, &a);
    printf("loaded %lld schools, %lld meetings, %lld cases, %zu discussions, %zu actions into arrays in %.0f ms\n",
           (long long)a.nschools - 1, (long long)a.nmeetings - 1, (long long)a.ncases - 1, a.ndisc, a.nact,
           now_ms() - t0);
    /* Whatever is stale (a database from before the rollup, or changed
     * since) is built first, so the timings below start from a current
     * rollup. */
    {
        struct svc_ctx c;
        svc_ctx_init(&c, db, svc_system_principal(), (int64_t)time(NULL));
        t0 = now_ms();
        if (svc_dashboard_refresh(&c, 0) != SVC_OK) {
            fprintf(stderr, "rollup could not be built\n");
            return 1;
        }
        printf("rollup brought up to date in %.0f ms\n", now_ms() - t0);
    }
    const char *which = argc > 5 ? argv[5] : "both";
    int bad = 0;
    if (strcmp(which, "national") != 0 && strcmp(which, "queries") != 0)
        bad |= run(db, &a, auth, from, to, "authority");
    if (strcmp(which, "authority") != 0 && strcmp(which, "queries") != 0)
        bad |= run(db, &a, 0, from, to, "national");
    if (getenv("BENCH_QUERIES")) {
        per_query(db, auth, from, to, "authority");
        per_query(db, 0, from, to, "national");
        per_query(db, 0, from, to, "national");
    }
    store_close(db);
    return bad;
}
