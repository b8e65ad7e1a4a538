#include "store/q_outcomes.h"
#include "store/q_map.h"
#include "store/q_params.h"

#include <string.h>

enum store_rc q_outcome_insert(struct store *s, struct outcome_row *r)
{
    bool att = strcmp(r->kind, "attendance") == 0;
    return q_int(s,
        "INSERT INTO outcome_records (pupil_id, kind, starts_on, ends_on, code, sessions_possible, "
        "sessions_missed, sessions, source, recorded_by, created_at) VALUES (?,?,?,?,?,?,?,?,?,?,?) RETURNING id",
        Q_PARAMS(QP_INT(r->pupil_id), QP_TEXT(r->kind), QP_TEXT(r->starts_on), QP_OPT_TEXT(r->ends_on),
                 QP_TEXT(r->code), QP_INT_IF(att, r->sessions_possible), QP_INT_IF(att, r->sessions_missed),
                 /* a suspension's or lunchtime's sessions (validated) */
                 QP_INT_IF(r->sessions > 0, r->sessions), QP_TEXT(r->source),
                 QP_INT_IF(r->recorded_by > 0, r->recorded_by), QP_INT(r->created_at)),
        &r->id);
}

#define OUTCOME_COLS "id, pupil_id, kind, starts_on, coalesce(ends_on, ''), code, coalesce(sessions_possible, 0), " \
                     "coalesce(sessions_missed, 0), coalesce(sessions, 0), source, coalesce(recorded_by, 0), created_at"

Q_READER(read_outcome, struct outcome_row, id, pupil_id, kind, starts_on, ends_on, code, sessions_possible,
         sessions_missed, sessions, source, recorded_by, created_at)

Q_LIST_OF_ID(q_outcome_list, struct outcome_row, read_outcome,
    "SELECT " OUTCOME_COLS " FROM outcome_records WHERE pupil_id = ? ORDER BY starts_on, id")

enum store_rc q_outcome_find(struct store *s, int64_t pupil_id, const char *kind, const char *starts_on,
                             const char *code, struct outcome_row *out)
{
    return q_row(s,
        "SELECT " OUTCOME_COLS " FROM outcome_records WHERE pupil_id = ? AND kind = ? AND starts_on = ? AND code = ? "
        "ORDER BY id LIMIT 1",
        Q_PARAMS(QP_INT(pupil_id), QP_TEXT(kind), QP_TEXT(starts_on), QP_TEXT(code)), read_outcome, out);
}

enum store_rc q_outcome_update_sessions(struct store *s, const struct outcome_row *r)
{
    return q_run(s, "UPDATE outcome_records SET sessions_possible = ?, sessions_missed = ?, ends_on = ? WHERE id = ?",
        Q_PARAMS(QP_INT(r->sessions_possible), QP_INT(r->sessions_missed), QP_OPT_TEXT(r->ends_on), QP_INT(r->id)));
}

enum store_rc q_case_presented_on(struct store *s, int64_t case_id, char out[11])
{
    /* min() answers one row, "" when the case was never presented */
    enum store_rc rc = q_row(s,
        "SELECT coalesce(min(m.meeting_date), '') FROM discussions d "
        "JOIN meetings m ON m.id = d.meeting_id AND d.voided_at IS NULL AND m.voided_at IS NULL "
        "WHERE d.case_id = ? AND d.kind = 'new' AND m.status = 'held'",
        Q_PARAMS(QP_INT(case_id)), q_read_text, &(struct q_text){out, 11});
    return rc == STORE_ROW ? STORE_OK : rc;
}

/* ---- work-list flags ---- */

#define FLAG_COLS "f.id, f.pupil_id, f.reason, coalesce(f.completion_id, 0), f.raised_on, " \
    "coalesce(f.cleared_on, ''), p.school_id, sc.authority_id, p.forenames || ' ' || p.surname, " \
    "coalesce(d.title, ''), coalesce(c.score, 0), coalesce(c.band, '')"
#define FLAG_FROM " FROM worklist_flags f JOIN pupils p ON p.id = f.pupil_id " \
    "JOIN schools sc ON sc.id = p.school_id LEFT JOIN toolkit_completions c ON c.id = f.completion_id " \
    "LEFT JOIN toolkit_definitions d ON d.id = c.definition_id "

Q_READER(read_flag, struct worklist_flag_row, id, pupil_id, reason, completion_id, raised_on, cleared_on,
         school_id, authority_id, pupil_name, toolkit_title, score, band)
Q_SINK(flag, struct worklist_flag_row, read_flag)

enum store_rc q_worklist_flag_insert(struct store *s, struct worklist_flag_row *r, int64_t now)
{
    return q_int(s,
        "INSERT INTO worklist_flags (pupil_id, reason, completion_id, raised_on, created_at) "
        "VALUES (?,?,?,?,?) RETURNING id",
        Q_PARAMS(QP_INT(r->pupil_id), QP_TEXT(r->reason), QP_INT_IF(r->completion_id > 0, r->completion_id),
                 QP_TEXT(r->raised_on), QP_INT(now)), &r->id);
}

enum store_rc q_worklist_flag_get(struct store *s, int64_t id, struct worklist_flag_row *out)
{
    return q_get_id(s, "SELECT " FLAG_COLS FLAG_FROM "WHERE f.id = ?", id, read_flag, out);
}

enum store_rc q_worklist_flags_open(struct store *s, const struct visibility *v,
                                    void (*fn)(void *arg, const struct worklist_flag_row *r), void *arg)
{
    return q_rows(s,
        "SELECT " FLAG_COLS FLAG_FROM "WHERE f.cleared_on IS NULL AND "
        VIS_FILTER("sc.authority_id", "p.school_id") " ORDER BY f.raised_on, f.id",
        Q_PARAMS(QP_VIS(v)), flag_each, &(struct flag_sink){fn, arg});
}

enum store_rc q_worklist_flag_clear(struct store *s, int64_t id, const char *on, int64_t by)
{
    return q_run(s, "UPDATE worklist_flags SET cleared_on = ?, cleared_by = ? WHERE id = ? AND cleared_on IS NULL",
                 Q_PARAMS(QP_TEXT(on), QP_INT_IF(by > 0, by), QP_INT(id)));
}
