#include "store/q_actions.h"
#include "store/q_map.h"
#include "store/q_params.h"

#include <stdio.h>
#include <string.h>

/* ---- the case ---- */

Q_READER(read_case_ref, struct case_ref, id, pupil_id, team_id, status, opened_on, closed_on, school_id,
         authority_id, pupil_name, team_name)

enum store_rc q_case_ref_get(struct store *s, int64_t case_id, struct case_ref *out)
{
    return q_get_id(s,
        "SELECT c.id, c.pupil_id, c.team_id, c.status, c.opened_on, coalesce(c.closed_on, ''), "
        "p.school_id, s.authority_id, p.forenames || ' ' || p.surname, t.name "
        "FROM cases c JOIN pupils p ON p.id = c.pupil_id JOIN schools s ON s.id = p.school_id "
        "JOIN teams t ON t.id = c.team_id WHERE c.id = ?", case_id, read_case_ref, out);
}

/* ---- actions ---- */

/* The columns a change may set, in the order of both statements. */
Q_BINDER(bind_action, struct action_row, Q_OPT(discussion_id), Q_IN(description), Q_OPT(owner_service_id),
         Q_OPT(owner_practitioner_id), Q_IN(owner_name), Q_IN(setting), Q_IN(nature), Q_OPT(resource_id),
         Q_OPT(due_on))

/* A new action also names its case. */
static int bind_new_action(struct store_stmt *st, const void *rec)
{
    int idx = bind_action(st, rec);
    store_bind_int(st, idx, ((const struct action_row *)rec)->case_id);
    return idx + 1;
}

enum store_rc q_action_insert(struct store *s, struct action_row *a, int64_t now)
{
    return q_insert_rec(s,
        "INSERT INTO actions (discussion_id, description, owner_service_id, owner_practitioner_id, owner_name, "
        "setting, nature, resource_id, due_on, case_id, status, created_at, updated_at) "
        "VALUES (?,?,?,?,?,?,?,?,?,?,'open',?,?) RETURNING id", bind_new_action, a, now, &a->id);
}

enum store_rc q_action_update(struct store *s, const struct action_row *a, int64_t now)
{
    return q_update_rec(s,
        "UPDATE actions SET discussion_id = ?, description = ?, owner_service_id = ?, "
        "owner_practitioner_id = ?, owner_name = ?, setting = ?, nature = ?, resource_id = ?, "
        "due_on = ?, updated_at = ? WHERE id = ?", bind_action, a, now, a->id);
}

enum store_rc q_action_set_status(struct store *s, int64_t id, const char *status, const char *reason,
                                  const char *outcome, const char *closed_on, int64_t now)
{
    return q_exec_status(s, Q_STATUS_SQL("actions"), id, status, reason, outcome, closed_on, now);
}

#define ACTION_SELECT \
    "SELECT a.id, a.case_id, coalesce(a.discussion_id, 0), a.description, " \
    "coalesce(a.owner_service_id, 0), coalesce(a.owner_practitioner_id, 0), a.owner_name, " \
    "a.setting, a.nature, coalesce(a.resource_id, 0), coalesce(a.due_on, ''), a.status, " \
    "a.not_done_reason, a.outcome, coalesce(a.closed_on, ''), a.created_at, a.updated_at, " \
    "coalesce(sv.name, ''), coalesce(pr.name, ''), coalesce(r.title, ''), coalesce(r.url, ''), " \
    "coalesce(d.meeting_id, 0), coalesce(m.meeting_date, ''), coalesce(a.voided_at, 0), a.void_reason " \
    "FROM actions a LEFT JOIN services sv ON sv.id = a.owner_service_id " \
    "LEFT JOIN practitioners pr ON pr.id = a.owner_practitioner_id " \
    "LEFT JOIN resources r ON r.id = a.resource_id " \
    "LEFT JOIN discussions d ON d.id = a.discussion_id " \
    "LEFT JOIN meetings m ON m.id = d.meeting_id "
Q_READER(read_action, struct action_row, id, case_id, discussion_id, description, owner_service_id,
         owner_practitioner_id, owner_name, setting, nature, resource_id, due_on, status, not_done_reason, outcome,
         closed_on, created_at, updated_at, owner_service_name, owner_practitioner_name, resource_title,
         resource_url, meeting_id, meeting_date, voided_at, void_reason)

enum store_rc q_action_get(struct store *s, int64_t id, struct action_row *out)
{
    return q_get_id(s, ACTION_SELECT "WHERE a.id = ?", id, read_action, out);
}

/* Open first by due date (none last); closed ones most recent first. */
Q_LIST_OF_ID(q_action_list, struct action_row, read_action,
    ACTION_SELECT
    "WHERE a.case_id = ? ORDER BY CASE WHEN a.status = 'open' THEN 0 ELSE 1 END, "
    "CASE WHEN a.status = 'open' THEN coalesce(a.due_on, '9999-12-31') ELSE '' END, "
    "coalesce(a.closed_on, '') DESC, a.id")

/* ---- referrals ---- */

enum store_rc q_referral_insert(struct store *s, struct referral_row *r, int64_t now)
{
    return q_int(s,
        "INSERT INTO referrals (case_id, action_id, service_id, referred_on, outcome, notes, "
        "created_at, updated_at) VALUES (?,?,?,?,'pending',?,?,?) RETURNING id",
        Q_PARAMS(QP_INT(r->case_id), QP_ID(r->action_id), QP_INT(r->service_id), QP_TEXT(r->referred_on),
                 QP_TEXT(r->notes), QP_INT(now), QP_INT(now)), &r->id);
}

enum store_rc q_referral_set_outcome(struct store *s, int64_t id, const char *outcome,
                                     const char *outcome_on, const char *notes, int64_t now)
{
    return q_run(s,
        "UPDATE referrals SET outcome = ?, outcome_on = ?, notes = ?, updated_at = ? WHERE id = ?",
        Q_PARAMS(QP_TEXT(outcome), QP_OPT_TEXT(outcome_on), QP_TEXT(notes ? notes : ""), QP_INT(now), QP_INT(id)));
}

#define REFERRAL_SELECT \
    "SELECT f.id, f.case_id, coalesce(f.action_id, 0), f.service_id, f.referred_on, f.outcome, " \
    "coalesce(f.outcome_on, ''), f.notes, f.created_at, f.updated_at, sv.name, " \
    "coalesce(a.description, ''), coalesce(f.voided_at, 0), f.void_reason FROM referrals f JOIN services sv ON sv.id = f.service_id " \
    "LEFT JOIN actions a ON a.id = f.action_id "

Q_READER(read_referral, struct referral_row, id, case_id, action_id, service_id, referred_on, outcome, outcome_on,
         notes, created_at, updated_at, service_name, action_description, voided_at, void_reason)

enum store_rc q_referral_get(struct store *s, int64_t id, struct referral_row *out)
{
    return q_get_id(s, REFERRAL_SELECT "WHERE f.id = ?", id, read_referral, out);
}

Q_LIST_OF_ID(q_referral_list, struct referral_row, read_referral,
    REFERRAL_SELECT
    "WHERE f.case_id = ? ORDER BY f.referred_on DESC, f.id DESC")

/* A void leaves updated_at as it was. */
enum store_rc q_void(struct store *s, enum void_kind k, int64_t id, int64_t by, const char *reason, int64_t now)
{
    static const struct q_void_sql sql[VOID__COUNT] = {
        [VOID_ACTION] = Q_VOID_SQL_ONLY("actions"),
        [VOID_REFERRAL] = Q_VOID_SQL_ONLY("referrals"),
        [VOID_DISCUSSION] = Q_VOID_SQL_ONLY("discussions"),
        [VOID_MEETING] = Q_VOID_SQL_ONLY("meetings"),
    };
    return Q_EXEC_VOID_OF(s, sql, k, id, reason, by, now);
}

Q_READER(read_case_discussions, struct case_discussion, id, meeting_id, meeting_date, meeting_status, team_name)

Q_LIST_OF_ID(q_case_discussions, struct case_discussion, read_case_discussions,
    "SELECT d.id, m.id, m.meeting_date, m.status, t.name FROM discussions d "
    "JOIN meetings m ON m.id = d.meeting_id AND d.voided_at IS NULL AND m.voided_at IS NULL JOIN teams t ON t.id = m.team_id "
    "WHERE d.case_id = ? ORDER BY m.meeting_date DESC, d.id DESC")

/* ---- work lists ---- */

#define WORK_ACTION_SELECT \
    "SELECT a.id, a.case_id, c.pupil_id, p.forenames || ' ' || p.surname, t.name, a.description, " \
    "coalesce(sv.name, ''), coalesce(pr.name, ''), a.owner_name, coalesce(a.due_on, ''), c.status, " \
    "c.team_id, p.school_id " \
    "FROM actions a JOIN cases c ON c.id = a.case_id JOIN pupils p ON p.id = c.pupil_id " \
    "JOIN schools s ON s.id = p.school_id JOIN teams t ON t.id = c.team_id " \
    "LEFT JOIN services sv ON sv.id = a.owner_service_id " \
    "LEFT JOIN practitioners pr ON pr.id = a.owner_practitioner_id WHERE " \
    VIS_CASE_FILTER("c.team_id", "c.pupil_id", "s.authority_id", "p.school_id")

Q_READER(read_work_action, struct work_action, id, case_id, pupil_id, pupil_name, team_name, description,
         owner_service_name, owner_practitioner_name, owner_name, due_on, case_status, team_id, school_id)

Q_SINK(work_action, struct work_action, read_work_action)

enum store_rc q_work_overdue(struct store *s, const struct visibility *v, const char *today,
                             void (*fn)(void *arg, const struct work_action *a), void *arg)
{
    return q_rows(s, WORK_ACTION_SELECT
        " AND a.status = 'open' AND a.voided_at IS NULL AND a.due_on IS NOT NULL AND a.due_on < ? ORDER BY a.due_on, a.id",
        Q_PARAMS(QP_CASE_VIS(v, today), QP_TEXT(today)), work_action_each, &(struct work_action_sink){fn, arg});
}

/* Open actions on visible cases matching owner (one bound id or none),
 * earliest due first, no due date last. */
static enum store_rc work_open_owned(struct store *s, const char *owner, const struct visibility *v,
                                     const char *today, int64_t id, struct work_action_sink *sink)
{
    char sql[2048];
    snprintf(sql, sizeof sql, "%s AND a.status = 'open' AND a.voided_at IS NULL AND %s "
             "ORDER BY CASE WHEN a.due_on IS NULL THEN 1 ELSE 0 END, a.due_on, a.id", WORK_ACTION_SELECT, owner);
    if (id > 0)
        return q_rows(s, sql, Q_PARAMS(QP_CASE_VIS(v, today), QP_INT(id)), work_action_each, sink);
    return q_rows(s, sql, Q_PARAMS(QP_CASE_VIS(v, today)), work_action_each, sink);
}

enum store_rc q_work_owned(struct store *s, const struct visibility *v, const char *today, int64_t user_id,
                           void (*fn)(void *arg, const struct work_action *a), void *arg)
{
    return work_open_owned(s, "a.owner_practitioner_id IN "
                           "(SELECT x.id FROM practitioners x WHERE x.user_id = ? AND x.active = 1)",
                           v, today, user_id, &(struct work_action_sink){fn, arg});
}

enum store_rc q_work_school(struct store *s, const struct visibility *v, const char *today,
                            void (*fn)(void *arg, const struct work_action *a), void *arg)
{
    return work_open_owned(s, "sv.org_kind = 'school'", v, today, 0, &(struct work_action_sink){fn, arg});
}

enum store_rc q_practitioners_of_user(struct store *s, int64_t user_id, int64_t *n)
{
    return q_count(s, "SELECT count(*) FROM practitioners WHERE user_id = ? AND active = 1",
        Q_PARAMS(QP_INT(user_id)), n);
}

Q_READER(read_work_open_cases, struct work_case, case_id, pupil_id, pupil_name, team_name, opened_on, open_actions,
         overdue_actions, last_discussed, team_id, school_id)

Q_SINK(work_open_cases, struct work_case, read_work_open_cases)

enum store_rc q_work_open_cases(struct store *s, const struct visibility *v, const char *today,
                                void (*fn)(void *arg, const struct work_case *c), void *arg)
{
    /* The parameters in the select list come before the filter's. */
    return q_rows(s,
        "SELECT c.id, c.pupil_id, p.forenames || ' ' || p.surname, t.name, c.opened_on, "
        "(SELECT count(*) FROM actions a WHERE a.case_id = c.id AND a.status = 'open' AND a.voided_at IS NULL), "
        "(SELECT count(*) FROM actions a WHERE a.case_id = c.id AND a.status = 'open' AND a.voided_at IS NULL "
        " AND a.due_on IS NOT NULL AND a.due_on < ?), "
        "coalesce((SELECT max(m.meeting_date) FROM discussions d JOIN meetings m ON m.id = d.meeting_id AND d.voided_at IS NULL AND m.voided_at IS NULL "
        " WHERE d.case_id = c.id AND m.status = 'held' AND m.meeting_date <= ?), ''), c.team_id, p.school_id "
        "FROM cases c JOIN pupils p ON p.id = c.pupil_id JOIN schools s ON s.id = p.school_id "
        "JOIN teams t ON t.id = c.team_id WHERE "
        VIS_CASE_FILTER("c.team_id", "c.pupil_id", "s.authority_id", "p.school_id")
        " AND c.status = 'open' AND EXISTS (SELECT 1 FROM actions a WHERE a.case_id = c.id "
        "AND a.status = 'open' AND a.voided_at IS NULL) ORDER BY c.id",
        Q_PARAMS(QP_TEXT_TWICE(today), QP_CASE_VIS(v, today)), work_open_cases_each,
        &(struct work_open_cases_sink){fn, arg});
}

Q_READER(read_work_minutes, struct work_meeting, meeting_id, team_id, team_name, meeting_date, discussions,
         without_minutes)

Q_SINK(work_minutes, struct work_meeting, read_work_minutes)

enum store_rc q_work_minutes(struct store *s, const struct visibility *teams, const char *today,
                             void (*fn)(void *arg, const struct work_meeting *m), void *arg)
{
    return q_rows(s,
        "SELECT m.id, m.team_id, t.name, m.meeting_date, "
        "(SELECT count(*) FROM discussions d WHERE d.meeting_id = m.id AND d.voided_at IS NULL), "
        "(SELECT count(*) FROM discussions d WHERE d.meeting_id = m.id AND d.voided_at IS NULL AND trim(d.minutes) = '') "
        "FROM meetings m JOIN teams t ON t.id = m.team_id AND m.voided_at IS NULL WHERE "
        VIS_TEAM_FILTER("t.id", "t.authority_id", "t.host_school_id")
        " AND m.status = 'held' AND m.meeting_date < ? "
        "AND (NOT EXISTS (SELECT 1 FROM discussions d WHERE d.meeting_id = m.id AND d.voided_at IS NULL) "
        "OR EXISTS (SELECT 1 FROM discussions d WHERE d.meeting_id = m.id AND d.voided_at IS NULL AND trim(d.minutes) = '')) "
        "ORDER BY m.meeting_date, m.id",
        Q_PARAMS(QP_TEAM_VIS(teams), QP_TEXT(today)), work_minutes_each, &(struct work_minutes_sink){fn, arg});
}

Q_READER(read_work_feedback, struct work_feedback, discussion_id, meeting_id, meeting_date, team_name, case_id,
         pupil_id, pupil_name, team_id, school_id)

Q_SINK(work_feedback, struct work_feedback, read_work_feedback)

enum store_rc q_work_feedback(struct store *s, const struct visibility *v, const char *today,
                              void (*fn)(void *arg, const struct work_feedback *f), void *arg)
{
    return q_rows(s,
        "SELECT d.id, m.id, m.meeting_date, t.name, c.id, c.pupil_id, p.forenames || ' ' || p.surname, m.team_id, p.school_id "
        "FROM discussions d JOIN meetings m ON m.id = d.meeting_id AND d.voided_at IS NULL AND m.voided_at IS NULL JOIN teams t ON t.id = m.team_id "
        "JOIN cases c ON c.id = d.case_id JOIN pupils p ON p.id = c.pupil_id "
        "JOIN schools s ON s.id = p.school_id WHERE "
        VIS_CASE_FILTER("c.team_id", "c.pupil_id", "s.authority_id", "p.school_id")
        " AND m.status = 'held' AND d.feedback_on IS NULL ORDER BY m.meeting_date, d.id",
        Q_PARAMS(QP_CASE_VIS(v, today)), work_feedback_each, &(struct work_feedback_sink){fn, arg});
}

/* ---- chronology ---- */

/* One query over every source, each branch giving (on_date, kind, seq,
 * ref_id, case_id, meeting_id, text1, text2, text3).  seq orders events of
 * one day by the step of the workflow, so newest-first reads back from the
 * last step.  Texts by kind:
 *   consent_given      given_by, relationship, covers discussion yes/no
 *   consent_withdrawn  given_by, withdrawal reason
 *   case_opened        team name
 *   case_closed        team name, closure reason
 *   discussed          team name, kind (new/review)
 *   action_agreed      description, owner (practitioner or name), owner service
 *   action_done        description, outcome
 *   action_not_done    description, reason
 *   referral_made      service name, notes
 *   referral_outcome   service name, outcome code
 *   action_voided      description, the reason it was voided
 *   referral_voided    service name, the reason it was voided
 *   discussion_voided  team name, the reason it was voided
 * An action is agreed on the day of the meeting it came from, else on the
 * day it was recorded.  date(x, 'unixepoch') is SQLite's; a PostgreSQL
 * backend spells it to_char(to_timestamp(x) AT TIME ZONE 'UTC', 'YYYY-MM-DD'). */
#define CHRON_SQL \
    "SELECT * FROM (" \
    "SELECT k.given_on AS on_date, 'consent_given' AS kind, 1 AS seq, k.id AS ref_id, 0 AS case_id, " \
    " 0 AS meeting_id, k.given_by AS text1, k.relationship AS text2, " \
    " CASE WHEN k.covers_discussion = 1 THEN 'yes' ELSE 'no' END AS text3 " \
    " FROM consents k WHERE k.pupil_id = ? " \
    "UNION ALL SELECT k.withdrawn_on, 'consent_withdrawn', 10, k.id, 0, 0, k.given_by, " \
    " k.withdrawal_reason, '' FROM consents k WHERE k.pupil_id = ? AND k.withdrawn_on IS NOT NULL " \
    "UNION ALL SELECT c.opened_on, 'case_opened', 2, c.id, c.id, 0, t.name, '', '' " \
    " FROM cases c JOIN teams t ON t.id = c.team_id WHERE c.pupil_id = ? " \
    "UNION ALL SELECT c.closed_on, 'case_closed', 9, c.id, c.id, 0, t.name, c.closure_reason, '' " \
    " FROM cases c JOIN teams t ON t.id = c.team_id WHERE c.pupil_id = ? AND c.closed_on IS NOT NULL " \
    "UNION ALL SELECT m.meeting_date, 'discussed', 3, d.id, d.case_id, m.id, t.name, d.kind, '' " \
    " FROM discussions d JOIN meetings m ON m.id = d.meeting_id JOIN teams t ON t.id = m.team_id " \
    " JOIN cases c ON c.id = d.case_id WHERE c.pupil_id = ? AND m.status = 'held' " \
    "UNION ALL SELECT CASE WHEN m.status = 'held' THEN m.meeting_date " \
    "  ELSE date(a.created_at, 'unixepoch') END, 'action_agreed', 4, a.id, a.case_id, " \
    " CASE WHEN m.status = 'held' THEN m.id ELSE 0 END, a.description, " \
    " coalesce(pr.name, a.owner_name), coalesce(sv.name, '') " \
    " FROM actions a JOIN cases c ON c.id = a.case_id " \
    " LEFT JOIN discussions d ON d.id = a.discussion_id LEFT JOIN meetings m ON m.id = d.meeting_id " \
    " LEFT JOIN services sv ON sv.id = a.owner_service_id " \
    " LEFT JOIN practitioners pr ON pr.id = a.owner_practitioner_id WHERE c.pupil_id = ? " \
    "UNION ALL SELECT a.closed_on, CASE WHEN a.status = 'done' THEN 'action_done' " \
    "  ELSE 'action_not_done' END, 7, a.id, a.case_id, 0, a.description, " \
    " CASE WHEN a.status = 'done' THEN a.outcome ELSE a.not_done_reason END, '' " \
    " FROM actions a JOIN cases c ON c.id = a.case_id " \
    " WHERE c.pupil_id = ? AND a.status <> 'open' AND a.closed_on IS NOT NULL " \
    "UNION ALL SELECT f.referred_on, 'referral_made', 5, f.id, f.case_id, 0, sv.name, f.notes, '' " \
    " FROM referrals f JOIN cases c ON c.id = f.case_id JOIN services sv ON sv.id = f.service_id " \
    " WHERE c.pupil_id = ? " \
    "UNION ALL SELECT f.outcome_on, 'referral_outcome', 6, f.id, f.case_id, 0, sv.name, f.outcome, '' " \
    " FROM referrals f JOIN cases c ON c.id = f.case_id JOIN services sv ON sv.id = f.service_id " \
    " WHERE c.pupil_id = ? AND f.outcome <> 'pending' AND f.outcome_on IS NOT NULL " \
    "UNION ALL SELECT date(a.voided_at, 'unixepoch'), 'action_voided', 11, a.id, a.case_id, 0, a.description, " \
    " a.void_reason, '' FROM actions a JOIN cases c ON c.id = a.case_id " \
    " WHERE c.pupil_id = ? AND a.voided_at IS NOT NULL " \
    "UNION ALL SELECT date(f.voided_at, 'unixepoch'), 'referral_voided', 11, f.id, f.case_id, 0, sv.name, " \
    " f.void_reason, '' FROM referrals f JOIN cases c ON c.id = f.case_id JOIN services sv ON sv.id = f.service_id " \
    " WHERE c.pupil_id = ? AND f.voided_at IS NOT NULL " \
    "UNION ALL SELECT date(d.voided_at, 'unixepoch'), 'discussion_voided', 11, d.id, d.case_id, m.id, t.name, " \
    " d.void_reason, '' FROM discussions d JOIN meetings m ON m.id = d.meeting_id JOIN teams t ON t.id = m.team_id " \
    " JOIN cases c ON c.id = d.case_id WHERE c.pupil_id = ? AND d.voided_at IS NOT NULL" \
    ") ev ORDER BY ev.on_date DESC, ev.seq DESC, ev.ref_id DESC LIMIT ?"

static void read_chron(struct store_stmt *st, void *row)
{
    struct chron_event *e = row;
    memset(e, 0, sizeof *e);
    store_col_copy(st, 0, e->on, sizeof e->on);
    store_col_copy(st, 1, e->kind, sizeof e->kind);
    e->ref_id = store_col_int(st, 3);
    e->case_id = store_col_int(st, 4);
    e->meeting_id = store_col_int(st, 5);
    store_col_copy(st, 6, e->text1, sizeof e->text1);
    store_col_copy(st, 7, e->text2, sizeof e->text2);
    store_col_copy(st, 8, e->text3, sizeof e->text3);
}

Q_SINK(chron, struct chron_event, read_chron)

enum store_rc q_chronology(struct store *s, int64_t pupil_id,
                           void (*fn)(void *arg, const struct chron_event *e), void *arg)
{
    struct store_stmt *st = store_prepare(s, CHRON_SQL);
    for (int i = 1; i <= 12; i++)
        store_bind_int(st, i, pupil_id);
    store_bind_int(st, 13, CHRONOLOGY_MAX);
    return store_each_row(st, chron_each, &(struct chron_sink){fn, arg});
}
