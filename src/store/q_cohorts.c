#include "store/q_cohorts.h"
#include "store/q_map.h"
#include "store/q_params.h"

#include <string.h>

/* ---- running order ---- */

Q_READER(read_running, struct running_slot, id, position, slot_minutes)

Q_LIST_OF_ID(q_running_discussions, struct running_slot, read_running,
    "SELECT id, position, coalesce(slot_minutes, 0) FROM discussions WHERE meeting_id = ? ORDER BY id")

enum store_rc q_running_set_position(struct store *s, int cohort, int64_t meeting_id, int64_t id, int position)
{
    return q_run(s,
        cohort
        ? "UPDATE cohort_discussions SET position = ? WHERE id = ? AND meeting_id = ?"
        : "UPDATE discussions SET position = ? WHERE id = ? AND meeting_id = ?",
        Q_PARAMS(QP_INT(position), QP_INT(id), QP_INT(meeting_id)));
}

enum store_rc q_running_set_minutes(struct store *s, int cohort, int64_t meeting_id, int64_t id, int minutes,
                                    int64_t now)
{
    return q_run(s,
        cohort
        ? "UPDATE cohort_discussions SET slot_minutes = ?, updated_at = ? WHERE id = ? AND meeting_id = ?"
        : "UPDATE discussions SET slot_minutes = ?, updated_at = ? WHERE id = ? AND meeting_id = ?",
        Q_PARAMS(QP_INT_IF(minutes > 0, minutes), QP_INT(now), QP_INT(id), QP_INT(meeting_id)));
}

struct location_out {
    char *out;
    size_t outsz;
    bool *own;
};

static void read_location(struct store_stmt *st, void *arg)
{
    struct location_out *lo = arg;
    const char *own = store_col_text(st, 0);
    *lo->own = own[0] != '\0';
    store_col_copy(st, *lo->own ? 0 : 1, lo->out, lo->outsz);
}

enum store_rc q_meeting_location(struct store *s, int64_t meeting_id, char *out, size_t outsz, bool *own)
{
    out[0] = '\0';
    *own = false;
    struct store_stmt *st = store_prepare(s,
        "SELECT m.location, t.location FROM meetings m JOIN teams t ON t.id = m.team_id WHERE m.id = ?");
    store_bind_int(st, 1, meeting_id);
    struct location_out lo = {out, outsz, own};
    return store_get_row(st, read_location, &lo);
}

enum store_rc q_meeting_set_location(struct store *s, int64_t meeting_id, const char *location, int64_t now)
{
    /* A new place raises the meeting's iCalendar SEQUENCE (migration 0018),
     * so calendars replace the event. */
    return q_run(s,
        "UPDATE meetings SET location = ?, ics_sequence = ics_sequence + CASE WHEN location <> ? THEN 1 ELSE 0 END, "
        "updated_at = ? WHERE id = ?",
        Q_PARAMS(QP_TEXT(location ? location : ""), QP_TEXT(location ? location : ""), QP_INT(now),
                 QP_INT(meeting_id)));
}

/* ---- cohort discussions ---- */

#define COHORT_SELECT \
    "SELECT k.id, k.meeting_id, k.year_group, coalesce(k.school_id, 0), coalesce(sc.name, ''), k.description, " \
    "k.minutes, k.position, coalesce(k.slot_minutes, 0), k.created_at, coalesce(k.voided_at, 0), k.void_reason, " \
    "m.team_id, t.authority_id, t.host_school_id, m.meeting_date, m.status, t.name, " \
    "(SELECT count(*) FROM cohort_actions a WHERE a.cohort_discussion_id = k.id AND a.status = 'open' " \
    "   AND a.voided_at IS NULL) " \
    "FROM cohort_discussions k JOIN meetings m ON m.id = k.meeting_id JOIN teams t ON t.id = m.team_id " \
    "LEFT JOIN schools sc ON sc.id = k.school_id "

Q_READER(read_cohort, struct cohort_row, id, meeting_id, year_group, school_id, school_name, description, minutes,
         position, slot_minutes, created_at, voided_at, void_reason, team_id, authority_id, host_school_id,
         meeting_date, meeting_status, team_name, open_actions)

enum store_rc q_cohort_insert(struct store *s, const struct cohort_row *r, int64_t by, int64_t now, int64_t *id)
{
    return q_int(s,
        "INSERT INTO cohort_discussions (meeting_id, year_group, school_id, description, created_by, "
        "created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id",
        Q_PARAMS(QP_INT(r->meeting_id), QP_TEXT(r->year_group), QP_ID(r->school_id), QP_TEXT(r->description),
                 QP_ID(by), QP_INT(now), QP_INT(now)), id);
}

enum store_rc q_cohort_get(struct store *s, int64_t id, struct cohort_row *out)
{
    return q_get_id(s, COHORT_SELECT "WHERE k.id = ?", id, read_cohort, out);
}

Q_LIST_OF_ID(q_cohort_list, struct cohort_row, read_cohort,
    COHORT_SELECT "WHERE k.meeting_id = ? ORDER BY k.id")

enum store_rc q_cohort_save_minutes(struct store *s, int64_t id, const char *minutes, int64_t now)
{
    return q_run(s, "UPDATE cohort_discussions SET minutes = ?, updated_at = ? WHERE id = ?",
        Q_PARAMS(QP_TEXT(minutes), QP_INT(now), QP_INT(id)));
}

/* A void leaves updated_at as it was. */
enum store_rc q_cohort_void(struct store *s, enum cohort_voidable kind, int64_t id, int64_t by, const char *reason,
                            int64_t now)
{
    static const struct q_void_sql sql[] = {
        [COHORT_VOID_DISCUSSION] = Q_VOID_SQL_ONLY("cohort_discussions"),
        [COHORT_VOID_ACTION] = Q_VOID_SQL_ONLY("cohort_actions"),
    };
    return Q_EXEC_VOID_OF(s, sql, kind, id, reason, by, now);
}

struct names_sink {
    void (*fn)(void *arg, const char *forenames, const char *surname);
    void *arg;
};

static void names_each(struct store_stmt *st, void *arg)
{
    struct names_sink *ns = arg;
    ns->fn(ns->arg, store_col_text(st, 0), store_col_text(st, 1));
}

enum store_rc q_cohort_pupil_names(struct store *s, int64_t team_id, int64_t school_id,
                                   void (*fn)(void *arg, const char *forenames, const char *surname), void *arg)
{
    return q_rows(s,
        "SELECT p.forenames, p.surname FROM pupils p JOIN team_schools ts ON ts.school_id = p.school_id "
        "WHERE ts.team_id = ? AND (? = 0 OR p.school_id = ?)",
        Q_PARAMS(QP_INT(team_id), QP_INT(school_id), QP_INT(school_id)), names_each, &(struct names_sink){fn, arg});
}

enum store_rc q_cohort_team_school(struct store *s, int64_t team_id, int64_t school_id, bool *yes)
{
    int64_t n = 0;
    enum store_rc rc = q_int(s, "SELECT count(*) FROM team_schools WHERE team_id = ? AND school_id = ?",
        Q_PARAMS(QP_INT(team_id), QP_INT(school_id)), &n);
    *yes = n > 0;
    return rc == STORE_DONE ? STORE_OK : rc;
}

enum store_rc q_cohort_count(struct store *s, int64_t team_id, const char *from, const char *to, int64_t *n)
{
    return q_count(s,
        "SELECT count(*) FROM cohort_discussions k JOIN meetings m ON m.id = k.meeting_id "
        "WHERE m.team_id = ? AND m.meeting_date >= ? AND m.meeting_date <= ? AND m.status = 'held' "
        "AND k.voided_at IS NULL AND m.voided_at IS NULL",
        Q_PARAMS(QP_INT(team_id), QP_TEXT(from), QP_TEXT(to)), n);
}

/* ---- cohort actions ---- */

#define CACTION_SELECT \
    "SELECT a.id, a.cohort_discussion_id, a.description, coalesce(a.owner_service_id, 0), " \
    "coalesce(a.owner_practitioner_id, 0), a.owner_name, coalesce(a.due_on, ''), a.status, a.not_done_reason, " \
    "a.outcome, coalesce(a.closed_on, ''), a.created_at, coalesce(a.voided_at, 0), a.void_reason, " \
    "coalesce(sv.name, ''), coalesce(sv.org_kind, ''), coalesce(pr.name, ''), coalesce(pr.user_id, 0), " \
    "k.description, coalesce(k.school_id, 0), m.id, m.meeting_date, t.id, t.authority_id, t.host_school_id, t.name " \
    "FROM cohort_actions a JOIN cohort_discussions k ON k.id = a.cohort_discussion_id " \
    "JOIN meetings m ON m.id = k.meeting_id JOIN teams t ON t.id = m.team_id " \
    "LEFT JOIN services sv ON sv.id = a.owner_service_id " \
    "LEFT JOIN practitioners pr ON pr.id = a.owner_practitioner_id "

Q_READER(read_caction, struct cohort_action_row, id, cohort_id, description, owner_service_id,
         owner_practitioner_id, owner_name, due_on, status, not_done_reason, outcome, closed_on, created_at,
         voided_at, void_reason, owner_service_name, owner_service_kind, owner_practitioner_name, owner_user_id,
         cohort_description, cohort_school_id, meeting_id, meeting_date, team_id, authority_id, host_school_id,
         team_name)

Q_SINK(caction, struct cohort_action_row, read_caction)

/* The columns a change may set, in the order of both statements. */
Q_BINDER(bind_caction, struct cohort_action_row, Q_IN(description), Q_OPT(owner_service_id),
         Q_OPT(owner_practitioner_id), Q_IN(owner_name), Q_OPT(due_on))

/* A new action also names its cohort discussion. */
static int bind_new_caction(struct store_stmt *st, const void *rec)
{
    int idx = bind_caction(st, rec);
    store_bind_int(st, idx, ((const struct cohort_action_row *)rec)->cohort_id);
    return idx + 1;
}

enum store_rc q_cohort_action_insert(struct store *s, const struct cohort_action_row *a, int64_t now, int64_t *id)
{
    return q_insert_rec(s,
        "INSERT INTO cohort_actions (description, owner_service_id, owner_practitioner_id, owner_name, due_on, "
        "cohort_discussion_id, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
        bind_new_caction, a, now, id);
}

enum store_rc q_cohort_action_get(struct store *s, int64_t id, struct cohort_action_row *out)
{
    return q_get_id(s, CACTION_SELECT "WHERE a.id = ?", id, read_caction, out);
}

Q_LIST_OF_ID(q_cohort_action_list, struct cohort_action_row, read_caction,
    CACTION_SELECT
    "WHERE a.cohort_discussion_id = ? ORDER BY a.status <> 'open', coalesce(a.due_on, '9999'), a.id")

enum store_rc q_cohort_action_set_status(struct store *s, int64_t id, const char *status, const char *reason,
                                         const char *outcome, const char *closed_on, int64_t now)
{
    return q_exec_status(s, Q_STATUS_SQL("cohort_actions"), id, status, reason, outcome, closed_on, now);
}

enum store_rc q_cohort_action_update(struct store *s, int64_t id, const struct cohort_action_row *a, int64_t now)
{
    return q_update_rec(s,
        "UPDATE cohort_actions SET description = ?, owner_service_id = ?, owner_practitioner_id = ?, owner_name = ?, "
        "due_on = ?, updated_at = ? WHERE id = ? AND voided_at IS NULL",
        bind_caction, a, now, id);
}

enum store_rc q_cohort_work(struct store *s, int64_t authority_id, int64_t user_id, const char *today,
                            void (*fn)(void *arg, const struct cohort_action_row *a), void *arg)
{
    return q_rows(s,
        CACTION_SELECT
        "WHERE a.status = 'open' AND a.voided_at IS NULL AND k.voided_at IS NULL AND m.voided_at IS NULL "
        "AND (? = 0 OR t.authority_id = ?) "
        "AND ((? > 0 AND pr.user_id = ?) OR sv.org_kind = 'school' OR (a.due_on IS NOT NULL AND a.due_on < ?)) "
        "ORDER BY coalesce(a.due_on, '9999'), a.id",
        Q_PARAMS(QP_INT(authority_id), QP_INT(authority_id), QP_INT(user_id), QP_INT(user_id),
                 QP_TEXT(today)), caction_each, &(struct caction_sink){fn, arg});
}
