#include "store/q_agenda.h"
#include "store/q_map.h"
#include "store/q_params.h"
#include "store/q_common.h"

#include <string.h>

Q_READER(read_meeting_brief, struct meeting_brief, id, team_id, authority_id, host_school_id, meeting_date,
         start_time, status, team_name)

enum store_rc q_meeting_brief(struct store *s, int64_t id, struct meeting_brief *out)
{
    return q_get_id(s,
        "SELECT m.id, m.team_id, t.authority_id, t.host_school_id, m.meeting_date, m.start_time, "
        "m.status, t.name FROM meetings m JOIN teams t ON t.id = m.team_id WHERE m.id = ?",
                    id, read_meeting_brief, out);
}

/* today binds twice (overdue), the meeting date once (earlier discussions). */
#define AGENDA_SELECT \
    "SELECT d.id, d.meeting_id, d.case_id, d.kind, d.minutes, coalesce(d.feedback_on, ''), " \
    "d.feedback_method, d.feedback_by, d.parent_said, d.child_said, c.pupil_id, p.forenames || ' ' || p.surname, p.school_id, " \
    "s.authority_id, c.status, c.created_at, " \
    "(SELECT count(*) FROM actions a WHERE a.case_id = c.id AND a.status = 'open' AND a.voided_at IS NULL), " \
    "(SELECT count(*) FROM actions a WHERE a.case_id = c.id AND a.status = 'open' AND a.voided_at IS NULL " \
    "   AND a.due_on IS NOT NULL AND a.due_on < ?), " \
    "coalesce((SELECT min(m2.meeting_date) FROM discussions d2 JOIN meetings m2 ON m2.id = d2.meeting_id " \
    "   WHERE d2.case_id = c.id AND m2.meeting_date < m.meeting_date), ''), m.meeting_date, t.name, " \
    "coalesce(d.voided_at, 0), d.void_reason " \
    "FROM discussions d JOIN meetings m ON m.id = d.meeting_id JOIN teams t ON t.id = m.team_id " \
    "JOIN cases c ON c.id = d.case_id JOIN pupils p ON p.id = c.pupil_id " \
    "JOIN schools s ON s.id = p.school_id "

Q_READER(read_agenda, struct agenda_row, id, meeting_id, case_id, kind, minutes, feedback_on, feedback_method,
         feedback_by, parent_said, child_said, pupil_id, pupil_name, school_id, authority_id, case_status,
         case_created, open_actions, overdue_actions, first_discussed, meeting_date, team_name, voided_at,
         void_reason)

Q_SINK(agenda, struct agenda_row, read_agenda)

enum store_rc q_agenda_list(struct store *s, int64_t meeting_id, const char *today,
                            void (*fn)(void *arg, const struct agenda_row *r), void *arg)
{
    return q_rows(s, AGENDA_SELECT "WHERE d.meeting_id = ?",
        Q_PARAMS(QP_TEXT(today), QP_INT(meeting_id)), agenda_each, &(struct agenda_sink){fn, arg});
}

enum store_rc q_discussion_get(struct store *s, int64_t id, const char *today, struct agenda_row *out)
{
    return q_row(s, AGENDA_SELECT "WHERE d.id = ?", Q_PARAMS(QP_TEXT(today), QP_INT(id)), read_agenda, out);
}

enum store_rc q_discussion_add(struct store *s, int64_t meeting_id, int64_t case_id, const char *kind,
                               int64_t now, int64_t *id)
{
    return q_int(s,
        "INSERT INTO discussions (meeting_id, case_id, kind, position, created_at, updated_at) "
        "VALUES (?, ?, ?, 0, ?, ?) RETURNING id",
        Q_PARAMS(QP_INT(meeting_id), QP_INT(case_id), QP_TEXT(kind), QP_INT(now), QP_INT(now)), id);
}

enum store_rc q_discussion_save(struct store *s, int64_t id, const char *minutes,
                                const struct discussion_feedback *fb, int64_t now)
{
    return q_run(s,
        "UPDATE discussions SET minutes = ?, feedback_on = ?, feedback_method = ?, feedback_by = ?, "
        "parent_said = ?, child_said = ?, updated_at = ? WHERE id = ?",
        Q_PARAMS(QP_TEXT(minutes), QP_TEXT(fb->on && *fb->on ? fb->on : NULL), QP_TEXT(fb->method), QP_TEXT(fb->by),
                 QP_TEXT(fb->parent_said), QP_TEXT(fb->child_said), QP_INT(now), QP_INT(id)));
}

enum store_rc q_discussion_remove(struct store *s, int64_t id)
{
    return q_exec_id(s,
        "DELETE FROM discussions WHERE id = ? AND minutes = '' "
        "AND NOT EXISTS (SELECT 1 FROM actions a WHERE a.discussion_id = discussions.id)", id);
}

static void read_agenda_candidates(struct store_stmt *st, void *row)
{
    struct agenda_candidate *c = row;
    memset(c, 0, sizeof *c);
    c->case_id = store_col_int(st, 0);
    c->pupil_id = store_col_int(st, 1);
    store_col_copy(st, 2, c->pupil_name, sizeof c->pupil_name);
    c->school_id = store_col_int(st, 3);
    c->authority_id = store_col_int(st, 4);
    store_col_copy(st, 5, c->last_discussed, sizeof c->last_discussed);
    c->discussed_before = c->last_discussed[0] != '\0';
    c->open_actions = store_col_int(st, 6);
    c->overdue_actions = store_col_int(st, 7);
}

Q_SINK(agenda_candidates, struct agenda_candidate, read_agenda_candidates)

enum store_rc q_agenda_candidates(struct store *s, int64_t meeting_id, const char *today,
                                  void (*fn)(void *arg, const struct agenda_candidate *c), void *arg)
{
    return q_rows(s,
        "SELECT c.id, c.pupil_id, p.forenames || ' ' || p.surname, p.school_id, s.authority_id, "
        "coalesce((SELECT max(m2.meeting_date) FROM discussions d2 JOIN meetings m2 ON m2.id = d2.meeting_id "
        "   WHERE d2.case_id = c.id AND m2.meeting_date < m.meeting_date), ''), "
        "(SELECT count(*) FROM actions a WHERE a.case_id = c.id AND a.status = 'open' AND a.voided_at IS NULL), "
        "(SELECT count(*) FROM actions a WHERE a.case_id = c.id AND a.status = 'open' AND a.voided_at IS NULL "
        "   AND a.due_on IS NOT NULL AND a.due_on < ?) "
        "FROM meetings m JOIN cases c ON c.team_id = m.team_id AND c.status = 'open' "
        "JOIN pupils p ON p.id = c.pupil_id JOIN schools s ON s.id = p.school_id "
        "WHERE m.id = ? AND NOT EXISTS (SELECT 1 FROM discussions d WHERE d.meeting_id = m.id "
        "   AND d.case_id = c.id) ORDER BY p.surname, p.forenames, c.id",
        Q_PARAMS(QP_TEXT(today),
                 QP_INT(meeting_id)), agenda_candidates_each, &(struct agenda_candidates_sink){fn, arg});
}

enum store_rc q_case_discussions_before(struct store *s, int64_t case_id, const char *date, int64_t *n)
{
    return q_int(s,
        "SELECT count(*) FROM discussions d JOIN meetings m2 ON m2.id = d.meeting_id "
        "WHERE d.case_id = ? AND m2.meeting_date < ?",
        Q_PARAMS(QP_INT(case_id), QP_TEXT(date)), n);
}
