#include "store/q_teams.h"
#include "lib/count.h"
#include "store/q_map.h"
#include "store/q_params.h"
#include "store/q_reference.h"

#include <string.h>

#include "core/policy.h"

#define TEAM_COLS "t.id, t.authority_id, t.host_school_id, t.name, t.chair_name, " \
    "coalesce(t.strategic_lead_user_id, 0), coalesce(t.case_coordinator_user_id, 0), t.cadence, " \
    "t.weekday, t.start_time, t.duration_minutes, t.location, t.active, s.name, " \
    "coalesce(sl.display_name, ''), coalesce(cc.display_name, ''), " \
    "coalesce((SELECT min(m.meeting_date) FROM meetings m WHERE m.team_id = t.id " \
    "AND m.status = 'planned' AND m.meeting_date >= ?), '')"

#define TEAM_FROM " FROM teams t JOIN schools s ON s.id = t.host_school_id " \
    "LEFT JOIN users sl ON sl.id = t.strategic_lead_user_id " \
    "LEFT JOIN users cc ON cc.id = t.case_coordinator_user_id"

Q_READER(read_team, struct team_row, t.id, t.authority_id, t.host_school_id, t.name, t.chair_name,
         t.strategic_lead_user_id, t.case_coordinator_user_id, t.cadence, t.weekday, t.start_time,
         t.duration_minutes, t.location, t.active, host_school_name, strategic_lead_name, case_coordinator_name,
         next_meeting)

Q_BINDER(bind_team, struct team, Q_IN(authority_id), Q_IN(host_school_id), Q_IN(name), Q_IN(chair_name),
         Q_OPT(strategic_lead_user_id), Q_OPT(case_coordinator_user_id), Q_IN(cadence), Q_IN(weekday),
         Q_IN(start_time), Q_IN(duration_minutes), Q_IN(location), Q_IN(active))

static enum store_rc exec_ids(struct store *s, const char *sql, int64_t a, int64_t b)
{
    struct store_stmt *st = store_prepare(s, sql);
    store_bind_int(st, 1, a);
    if (b)
        store_bind_int(st, 2, b);
    return store_exec_done(st);
}

static bool has_id(const int64_t *ids, size_t n, int64_t id)
{
    for (size_t i = 0; i < n; i++)
        if (ids[i] == id)
            return true;
    return false;
}

/* Service ids currently in team_members. */
static enum store_rc member_ids(struct store *s, int64_t team_id, int64_t *ids, size_t max, size_t *n)
{
    *n = 0;
    return q_each_id(s,
        "SELECT service_id FROM team_members WHERE team_id = ?",
        team_id, q_read_id, &(struct q_ids){ids, max, n});
}

/* Schools are replaced outright; members are kept where the service stays,
 * so a practitioner named for a service is not forgotten on every save. */
static enum store_rc write_children(struct store *s, const struct team *t)
{
    enum store_rc rc = exec_ids(s, "DELETE FROM team_schools WHERE team_id = ?", t->id, 0);
    for (size_t i = 0; rc == STORE_OK && i < t->nschools; i++)
        rc = exec_ids(s, "INSERT INTO team_schools (team_id, school_id) VALUES (?, ?)", t->id,
                      t->school_ids[i]);
    if (rc != STORE_OK)
        return rc;
    int64_t cur[TEAM_MAX_SERVICES * 2];
    size_t ncur;
    rc = member_ids(s, t->id, cur, COUNT(cur), &ncur);
    for (size_t i = 0; rc == STORE_OK && i < ncur; i++)
        if (!has_id(t->service_ids, t->nservices, cur[i]))
            rc = exec_ids(s, "DELETE FROM team_members WHERE team_id = ? AND service_id = ?", t->id,
                          cur[i]);
    for (size_t i = 0; rc == STORE_OK && i < t->nservices; i++)
        if (!has_id(cur, ncur, t->service_ids[i]))
            rc = exec_ids(s, "INSERT INTO team_members (team_id, service_id) VALUES (?, ?)", t->id,
                          t->service_ids[i]);
    return rc;
}

enum store_rc q_team_insert(struct store *s, struct team *t, int64_t now)
{
    enum store_rc rc = q_insert_rec(s,
        "INSERT INTO teams (authority_id, host_school_id, name, chair_name, strategic_lead_user_id, "
        "case_coordinator_user_id, cadence, weekday, start_time, duration_minutes, location, active, "
        "created_at, updated_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?) RETURNING id", bind_team, t, now, &t->id);
    return rc != STORE_OK ? rc : write_children(s, t);
}

enum store_rc q_team_update(struct store *s, const struct team *t, int64_t now)
{
    enum store_rc rc = q_update_rec(s,
        "UPDATE teams SET authority_id = ?, host_school_id = ?, name = ?, chair_name = ?, "
        "strategic_lead_user_id = ?, case_coordinator_user_id = ?, cadence = ?, weekday = ?, "
        "start_time = ?, duration_minutes = ?, location = ?, active = ?, updated_at = ? WHERE id = ?",
        bind_team, t, now, t->id);
    return rc != STORE_OK ? rc : write_children(s, t);
}

static void add_school_id(void *arg, const struct team_school *r)
{
    struct team *t = arg;
    if (t->nschools < TEAM_MAX_SCHOOLS)
        t->school_ids[t->nschools++] = r->id;
}

static void add_service_id(void *arg, const struct team_member *m)
{
    struct team *t = arg;
    if (t->nservices < TEAM_MAX_SERVICES)
        t->service_ids[t->nservices++] = m->service_id;
}

enum store_rc q_team_get(struct store *s, int64_t id, const char *today, struct team_row *out)
{
    struct store_stmt *st = store_prepare(s, "SELECT " TEAM_COLS TEAM_FROM " WHERE t.id = ?");
    store_bind_text(st, 1, today ? today : "");
    store_bind_int(st, 2, id);
    enum store_rc rc = store_get_row(st, read_team, out);
    if (rc != STORE_ROW)
        return rc;
    enum store_rc r2 = q_team_schools(s, id, add_school_id, &out->t);
    if (r2 == STORE_OK)
        r2 = q_team_members(s, id, add_service_id, &out->t);
    return r2 == STORE_OK ? STORE_ROW : r2;
}

#define TEAM_WHERE " WHERE " VIS_TEAM_FILTER("t.id", "t.authority_id", "t.host_school_id") \
    " AND (? = -1 OR t.active = ?)"

static int bind_team_filter(struct store_stmt *st, const struct visibility *v, const void *filter, bool page)
{
    const struct team_filter *f = filter;
    int idx = 1;
    if (page)   /* the columns' "today" comes first */
        idx = q_bind_params(st, idx, Q_PARAMS(QP_TEXT(f->today ? f->today : "")));
    return q_bind_params(st, idx, Q_PARAMS(QP_TEAM_VIS(v), QP_INT_TWICE(f->active)));
}

Q_SINK(team, struct team_row, read_team)

enum store_rc q_team_list(struct store *s, const struct visibility *v, const struct team_filter *f,
                          const struct page_req *pg, int64_t *total,
                          void (*fn)(void *arg, const struct team_row *r), void *arg)
{
    struct team_sink k = {fn, arg};
    struct q_list l = {"SELECT count(*) FROM teams t" TEAM_WHERE,
                       "SELECT " TEAM_COLS TEAM_FROM TEAM_WHERE
                       " ORDER BY t.active DESC, t.name, t.id LIMIT ? OFFSET ?",
                       bind_team_filter, v, f, team_each, &k};
    return q_list_page(s, &l, pg, total);
}

Q_READER(read_team_schools, struct team_school, id, name, phase, host)

Q_LIST_OF_ID(q_team_schools, struct team_school, read_team_schools,
    "SELECT s.id, s.name, s.phase, CASE WHEN s.id = t.host_school_id THEN 1 ELSE 0 END "
    "FROM team_schools ts JOIN teams t ON t.id = ts.team_id JOIN schools s ON s.id = ts.school_id "
    "WHERE ts.team_id = ? "
    "ORDER BY CASE WHEN s.id = t.host_school_id THEN 0 ELSE 1 END, s.name, s.id")

Q_READER(read_team_members, struct team_member, service_id, service_name, practitioner_id, practitioner_name)

Q_LIST_OF_ID(q_team_members, struct team_member, read_team_members,
    "SELECT tm.service_id, sv.name, coalesce(tm.practitioner_id, 0), coalesce(p.name, '') "
    "FROM team_members tm JOIN services sv ON sv.id = tm.service_id "
    "LEFT JOIN practitioners p ON p.id = tm.practitioner_id "
    "WHERE tm.team_id = ? ORDER BY sv.name, sv.id")

Q_READER(read_team_authority_schools, struct team_school, id, name, phase)

Q_LIST_OF_ID(q_team_authority_schools, struct team_school, read_team_authority_schools,
    "SELECT id, name, phase FROM schools WHERE authority_id = ? ORDER BY name, id")

Q_READER(read_team_person, struct team_person, id, display_name)

Q_SINK(team_person, struct team_person, read_team_person)

enum store_rc q_team_people(struct store *s, int64_t authority_id, const char *role,
                            void (*fn)(void *arg, const struct team_person *r), void *arg)
{
    return q_rows(s,
        "SELECT DISTINCT u.id, u.display_name FROM users u JOIN user_roles r ON r.user_id = u.id "
        "WHERE r.role = ? AND r.authority_id = ? AND u.disabled = 0 ORDER BY u.display_name, u.id",
        Q_PARAMS(QP_TEXT(role), QP_INT(authority_id)), team_person_each, &(struct team_person_sink){fn, arg});
}

enum store_rc q_team_person_get(struct store *s, int64_t authority_id, const char *role,
                                int64_t user_id, struct team_person *out)
{
    return q_row(s,
        "SELECT u.id, u.display_name FROM users u WHERE u.id = ? AND u.disabled = 0 AND EXISTS "
        "(SELECT 1 FROM user_roles r WHERE r.user_id = u.id AND r.role = ? AND r.authority_id = ?)",
        Q_PARAMS(QP_INT(user_id), QP_TEXT(role), QP_INT(authority_id)), read_team_person, out);
}

enum store_rc q_team_scope(struct store *s, int64_t team_id, int64_t *authority_id,
                           int64_t *school_ids, size_t max, size_t *n)
{
    *n = 0;
    *authority_id = 0;
    /* An inactive team no longer opens its schools to its members. */
    struct store_stmt *st = store_prepare(s, "SELECT authority_id, active FROM teams WHERE id = ?");
    store_bind_int(st, 1, team_id);
    int64_t active = 0;
    enum store_rc rc = store_get_row(st, q_read_ints, (int64_t *[]){authority_id, &active, NULL});
    if (rc != STORE_ROW || !active)
        return rc;
    st = store_prepare(s, "SELECT school_id FROM team_schools WHERE team_id = ? ORDER BY school_id");
    store_bind_int(st, 1, team_id);
    rc = store_each_row(st, q_read_id, &(struct q_ids){school_ids, max, n});
    return rc == STORE_OK ? STORE_ROW : rc;
}

/* q_terms_get's half terms as days; one with a date that does not parse
 * is left out. */
enum store_rc q_team_terms(struct store *s, int64_t authority_id, int academic_year,
                           struct half_term out[6], size_t *n)
{
    struct term_row rows[6];
    size_t got = 0;
    *n = 0;
    enum store_rc rc = q_terms_get(s, authority_id, academic_year, rows, &got);
    for (size_t i = 0; rc == STORE_OK && i < got; i++) {
        struct half_term h = {.number = rows[i].half_term};
        if (day_parse(rows[i].starts_on, &h.starts) == 0 && day_parse(rows[i].ends_on, &h.ends) == 0)
            out[(*n)++] = h;
    }
    return rc;
}

struct closures {
    int32_t *out;
    size_t max, *n;
};

static void read_closure(struct store_stmt *st, void *arg)
{
    const struct closures *c = arg;
    int32_t d;
    if (*c->n < c->max && day_parse(store_col_text(st, 0), &d) == 0)
        c->out[(*c->n)++] = d;
}

enum store_rc q_team_closures(struct store *s, int64_t authority_id, const char *from,
                              const char *to, int32_t *out, size_t max, size_t *n)
{
    *n = 0;
    return q_rows(s,
        "SELECT closed_on FROM closure_days WHERE authority_id = ? AND closed_on >= ? "
        "AND closed_on <= ? ORDER BY closed_on",
        Q_PARAMS(QP_INT(authority_id), QP_TEXT(from), QP_TEXT(to)), read_closure, &(struct closures){out, max, n});
}

struct team_id_sink {
    void (*fn)(void *arg, int64_t id);
    void *arg;
};

static void team_id_each(struct store_stmt *st, void *sink)
{
    const struct team_id_sink *k = sink;
    k->fn(k->arg, store_col_int(st, 0));
}

enum store_rc q_teams_serving_school(struct store *s, int64_t school_id, void (*fn)(void *arg, int64_t id),
                                     void *arg)
{
    return q_each_id(s,
        "SELECT team_id FROM team_schools WHERE school_id = ? ORDER BY team_id",
        school_id, team_id_each, &(struct team_id_sink){fn, arg});
}
