#include "store/q_meetings.h"
#include "store/q_map.h"
#include "store/q_params.h"

#include <string.h>

#define MEETING_COLS "m.id, m.team_id, m.meeting_date, m.start_time, m.status, m.cancel_reason, " \
    "m.mode, m.notes, m.created_at, m.updated_at, t.authority_id, t.host_school_id, t.name, " \
    "(SELECT count(*) FROM attendance a WHERE a.meeting_id = m.id), coalesce(m.held_marked_on, ''), " \
    "coalesce(m.voided_at, 0), m.void_reason"
#define MEETING_FROM " FROM meetings m JOIN teams t ON t.id = m.team_id"

Q_READER(read_meeting, struct meeting_row, m.id, m.team_id, m.date, m.start_time, m.status, m.cancel_reason, m.mode,
         m.notes, m.created_at, m.updated_at, authority_id, host_school_id, team_name, attendance_count,
         m.held_marked_on, m.voided_at, m.void_reason)

enum store_rc q_meeting_insert(struct store *s, struct meeting *m, int64_t now)
{
    return q_int(s,
        "INSERT INTO meetings (team_id, meeting_date, start_time, status, cancel_reason, mode, notes, "
        "created_at, updated_at) VALUES (?,?,?,?,?,?,?,?,?) RETURNING id",
        Q_PARAMS(QP_INT(m->team_id), QP_TEXT(m->date), QP_TEXT(m->start_time),
                 QP_TEXT(m->status[0] ? m->status : "planned"), QP_TEXT(m->cancel_reason),
                 QP_TEXT(m->mode[0] ? m->mode : "in_person"), QP_TEXT(m->notes), QP_INT(now), QP_INT(now)), &m->id);
}

enum store_rc q_meeting_get(struct store *s, int64_t id, struct meeting_row *out)
{
    return q_get_id(s, "SELECT " MEETING_COLS MEETING_FROM " WHERE m.id = ?", id, read_meeting, out);
}

#define MEETING_WHERE " WHERE " VIS_TEAM_FILTER("t.id", "t.authority_id", "t.host_school_id") \
    " AND (? = 0 OR m.team_id = ?) AND (? = '' OR m.status = ?)" \
    " AND (? = '' OR m.meeting_date >= ?) AND (? = '' OR m.meeting_date <= ?)" \
    " AND (? = 0 OR EXISTS (SELECT 1 FROM team_schools ts WHERE ts.team_id = m.team_id AND ts.school_id = ?))" \
    " AND (? = '' OR lower(t.name) LIKE ? ESCAPE '\\')"

static bool upcoming_first(const struct meeting_filter *f)
{
    return f->order != MEETING_OLDEST_FIRST && f->order != MEETING_NEWEST_FIRST;
}

static int bind_meeting_filter(struct store_stmt *st, const struct visibility *v, const void *filter, bool page)
{
    const struct meeting_filter *f = filter;
    const char *status = f->status ? f->status : "";
    const char *from = f->from ? f->from : "";
    const char *to = f->to ? f->to : "";
    int idx = q_bind_params(st, 1,
        Q_PARAMS(QP_TEAM_VIS(v), QP_INT_TWICE(f->team_id), QP_TEXT_TWICE(status), QP_TEXT_TWICE(from),
                 QP_TEXT_TWICE(to), QP_INT_TWICE(f->school_id)));
    idx = q_bind_like_filter(st, idx, f->name, 160);
    if (page && upcoming_first(f))   /* the order's "today" */
        idx = q_bind_params(st, idx, Q_PARAMS(QP_TEXT_TWICE(f->today ? f->today : "")));
    return idx;
}

Q_SINK(meeting, struct meeting_row, read_meeting)

enum store_rc q_meeting_list(struct store *s, const struct visibility *v, const struct meeting_filter *f,
                             const struct page_req *pg, int64_t *total,
                             void (*fn)(void *arg, const struct meeting_row *r), void *arg)
{
    const char *sql;
    if (f->order == MEETING_OLDEST_FIRST)
        sql = "SELECT " MEETING_COLS MEETING_FROM MEETING_WHERE
              " ORDER BY m.meeting_date, m.start_time, t.name, m.id LIMIT ? OFFSET ?";
    else if (f->order == MEETING_NEWEST_FIRST)
        sql = "SELECT " MEETING_COLS MEETING_FROM MEETING_WHERE
              " ORDER BY m.meeting_date DESC, m.start_time DESC, t.name, m.id LIMIT ? OFFSET ?";
    else   /* today and later, soonest first; then the past, latest first */
        sql = "SELECT " MEETING_COLS MEETING_FROM MEETING_WHERE
              " ORDER BY CASE WHEN m.meeting_date >= ? THEN 0 ELSE 1 END,"
              " CASE WHEN m.meeting_date >= ? THEN m.meeting_date ELSE '' END,"
              " m.meeting_date DESC, m.start_time, t.name, m.id LIMIT ? OFFSET ?";
    struct meeting_sink k = {fn, arg};
    struct q_list l = {"SELECT count(*)" MEETING_FROM MEETING_WHERE, sql, bind_meeting_filter, v, f, meeting_each, &k};
    return q_list_page(s, &l, pg, total);
}

enum store_rc q_meeting_count_between(struct store *s, int64_t team_id, const char *from,
                                      const char *to, int64_t *n)
{
    return q_count(s, "SELECT count(*) FROM meetings WHERE team_id = ? AND meeting_date >= ? AND meeting_date <= ?",
        Q_PARAMS(QP_INT(team_id), QP_TEXT(from), QP_TEXT(to)), n);
}

/* Adds one (status, mode) group to the counts. */
static void count_meetings(struct store_stmt *st, void *arg)
{
    struct meeting_counts *out = arg;
    const char *status = store_col_text(st, 0);
    bool online = strcmp(store_col_text(st, 1), "online") == 0;
    int64_t n = store_col_int(st, 2);
    if (strcmp(status, "planned") == 0) {
        out->planned += n;
        out->unrecorded += store_col_int(st, 3);
    }
    else if (strcmp(status, "held") == 0) {
        out->held += n;
        if (online)
            out->online += n;
    } else if (strcmp(status, "cancelled") == 0)
        out->cancelled += n;
}

enum store_rc q_meeting_counts(struct store *s, int64_t team_id, const char *today,
                               struct meeting_counts *out)
{
    memset(out, 0, sizeof *out);
    return q_rows(s,
        "SELECT status, mode, count(*), sum(CASE WHEN meeting_date < ? THEN 1 ELSE 0 END) "
        "FROM meetings WHERE team_id = ? GROUP BY status, mode",
        Q_PARAMS(QP_TEXT(today), QP_INT(team_id)), count_meetings, out);
}

enum store_rc q_meeting_set_status(struct store *s, int64_t id, const char *status, const char *mode,
                                   const char *cancel_reason, int64_t now)
{
    return q_run(s,
        "UPDATE meetings SET status = ?, mode = ?, cancel_reason = ?, updated_at = ? WHERE id = ?",
        Q_PARAMS(QP_TEXT(status), QP_TEXT(mode), QP_TEXT(cancel_reason), QP_INT(now), QP_INT(id)));
}

enum store_rc q_meeting_held_on(struct store *s, int64_t id, const char *on)
{
    return q_run(s, "UPDATE meetings SET held_marked_on = ? WHERE id = ?", Q_PARAMS(QP_TEXT(on), QP_INT(id)));
}

enum store_rc q_meeting_unhold(struct store *s, int64_t id, const char *reason, int64_t now)
{
    return q_run_changed(s,
        "UPDATE meetings SET status = 'planned', held_marked_on = NULL, held_undo_reason = ?, updated_at = ? "
        "WHERE id = ? AND status = 'held'",
        Q_PARAMS(QP_TEXT(reason), QP_INT(now), QP_INT(id)));
}

enum store_rc q_meeting_move(struct store *s, int64_t id, const char *date, const char *start_time,
                             int64_t now)
{
    return q_run(s,
        "UPDATE meetings SET meeting_date = ?, start_time = ?, updated_at = ? WHERE id = ?",
        Q_PARAMS(QP_TEXT(date), QP_TEXT(start_time), QP_INT(now), QP_INT(id)));
}

enum store_rc q_meeting_set_notes(struct store *s, int64_t id, const char *notes, int64_t now)
{
    return q_run(s, "UPDATE meetings SET notes = ?, updated_at = ? WHERE id = ?",
        Q_PARAMS(QP_TEXT(notes), QP_INT(now), QP_INT(id)));
}

Q_READER(read_attendance_list, struct attendance_row, id, meeting_id, service_id, practitioner_id, person_name,
         role, status, guest, service_name)

Q_LIST_OF_ID(q_attendance_list, struct attendance_row, read_attendance_list,
    "SELECT a.id, a.meeting_id, coalesce(a.service_id, 0), coalesce(a.practitioner_id, 0), "
    "a.person_name, a.role, a.status, a.guest, coalesce(sv.name, '') "
    "FROM attendance a LEFT JOIN services sv ON sv.id = a.service_id WHERE a.meeting_id = ? "
    "ORDER BY a.guest, CASE a.role WHEN 'school' THEN 0 WHEN 'strategic_lead' THEN 1 "
    "WHEN 'case_coordinator' THEN 2 ELSE 3 END, coalesce(sv.name, ''), a.id")

static enum store_rc attendance_insert(struct store *s, struct attendance_row *r)
{
    return q_int(s,
        "INSERT INTO attendance (meeting_id, service_id, practitioner_id, person_name, role, status, guest) "
        "VALUES (?,?,?,?,?,?,?) RETURNING id",
        Q_PARAMS(QP_INT(r->meeting_id), QP_INT_IF(r->service_id > 0, r->service_id),
                 QP_INT_IF(r->practitioner_id > 0, r->practitioner_id), QP_TEXT(r->person_name), QP_TEXT(r->role),
                 QP_TEXT(r->status), QP_INT(r->guest ? 1 : 0)), &r->id);
}

enum store_rc q_attendance_replace(struct store *s, int64_t meeting_id,
                                   const struct attendance_row *rows, size_t n)
{
    enum store_rc rc = q_run(s, "DELETE FROM attendance WHERE meeting_id = ? AND guest = 0",
        Q_PARAMS(QP_INT(meeting_id)));
    for (size_t i = 0; rc == STORE_OK && i < n; i++) {
        struct attendance_row r = rows[i];
        r.meeting_id = meeting_id;
        r.guest = false;
        rc = attendance_insert(s, &r);
    }
    return rc;
}

enum store_rc q_attendance_add(struct store *s, struct attendance_row *r)
{
    return attendance_insert(s, r);
}

enum store_rc q_attendance_remove_guest(struct store *s, int64_t meeting_id, int64_t id)
{
    return q_run_changed(s,
        "DELETE FROM attendance WHERE id = ? AND meeting_id = ? AND guest = 1",
        Q_PARAMS(QP_INT(id), QP_INT(meeting_id)));
}

enum store_rc q_meetings_on_closures(struct store *s, int64_t authority_id, const char *from, const char *to,
                                     void (*fn)(void *arg, const struct meeting_row *r), void *arg)
{
    return q_rows(s,
        "SELECT " MEETING_COLS MEETING_FROM
        " WHERE t.authority_id = ? AND m.status = 'planned' AND m.voided_at IS NULL"
        " AND m.meeting_date >= ? AND m.meeting_date <= ?"
        " AND m.meeting_date IN (SELECT x.closed_on FROM closure_days x WHERE x.authority_id = ?)"
        " ORDER BY m.meeting_date, m.start_time, t.name, m.id",
        Q_PARAMS(QP_INT(authority_id), QP_TEXT(from), QP_TEXT(to),
                 QP_INT(authority_id)), meeting_each, &(struct meeting_sink){fn, arg});
}
