#include "store/q_outcomes.h"
#include "store/q_map.h"
#include "store/q_params.h"

#include <string.h>

static void bind_opt_text(struct store_stmt *st, int idx, const char *v)
{
    if (v && *v)
        store_bind_text(st, idx, v);
    else
        store_bind_null(st, idx);
}

static void bind_opt_int(struct store_stmt *st, int idx, int64_t v, bool used)
{
    if (used)
        store_bind_int(st, idx, v);
    else
        store_bind_null(st, idx);
}

enum store_rc q_outcome_insert(struct store *s, struct outcome_row *r)
{
    struct store_stmt *st = store_prepare(s,
        "INSERT INTO outcome_records (pupil_id, kind, starts_on, ends_on, code, sessions_possible, "
        "sessions_missed, sessions, source, recorded_by, created_at) VALUES (?,?,?,?,?,?,?,?,?,?,?) RETURNING id");
    if (!st)
        return STORE_ERROR;
    bool att = strcmp(r->kind, "attendance") == 0;
    store_bind_int(st, 1, r->pupil_id);
    store_bind_text(st, 2, r->kind);
    store_bind_text(st, 3, r->starts_on);
    bind_opt_text(st, 4, r->ends_on);
    store_bind_text(st, 5, r->code);
    bind_opt_int(st, 6, r->sessions_possible, att);
    bind_opt_int(st, 7, r->sessions_missed, att);
    bind_opt_int(st, 8, r->sessions, r->sessions > 0);   /* a suspension's or lunchtime's (validated) */
    store_bind_text(st, 9, r->source);
    bind_opt_int(st, 10, r->recorded_by, r->recorded_by > 0);
    store_bind_int(st, 11, r->created_at);
    enum store_rc rc = store_step(st);
    if (rc == STORE_ROW)
        r->id = store_col_int(st, 0);
    store_done(st);
    return rc == STORE_ROW ? STORE_OK : rc;
}

#define OUTCOME_COLS "id, pupil_id, kind, starts_on, coalesce(ends_on, ''), code, coalesce(sessions_possible, 0), " \
                     "coalesce(sessions_missed, 0), coalesce(sessions, 0), source, coalesce(recorded_by, 0), created_at"

Q_READER(read_outcome, struct outcome_row, id, pupil_id, kind, starts_on, ends_on, code, sessions_possible,
         sessions_missed, sessions, source, recorded_by, created_at)

Q_SINK(outcome, struct outcome_row, read_outcome)

enum store_rc q_outcome_list(struct store *s, int64_t pupil_id,
                             void (*fn)(void *arg, const struct outcome_row *r), void *arg)
{
    struct store_stmt *st = store_prepare(s,
        "SELECT " OUTCOME_COLS " FROM outcome_records WHERE pupil_id = ? ORDER BY starts_on, id");
    store_bind_int(st, 1, pupil_id);
    struct outcome_sink k = {fn, arg};
    return store_each_row(st, outcome_each, &k);
}

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
    struct store_stmt *st = store_prepare(s,
        "UPDATE outcome_records SET sessions_possible = ?, sessions_missed = ?, ends_on = ? WHERE id = ?");
    store_bind_int(st, 1, r->sessions_possible);
    store_bind_int(st, 2, r->sessions_missed);
    bind_opt_text(st, 3, r->ends_on);
    store_bind_int(st, 4, r->id);
    return store_exec_done(st);
}

enum store_rc q_case_presented_on(struct store *s, int64_t case_id, char out[11])
{
    struct store_stmt *st = store_prepare(s,
        "SELECT coalesce(min(m.meeting_date), '') FROM discussions d JOIN meetings m ON m.id = d.meeting_id AND d.voided_at IS NULL AND m.voided_at IS NULL "
        "WHERE d.case_id = ? AND d.kind = 'new' AND m.status = 'held'");
    if (!st)
        return STORE_ERROR;
    store_bind_int(st, 1, case_id);
    enum store_rc rc = store_step(st);
    if (rc == STORE_ROW)
        store_col_copy(st, 0, out, 11);
    store_done(st);
    return rc == STORE_ROW ? STORE_OK : rc;
}

/* ---- work-list flags ---- */

#define FLAG_COLS "f.id, f.pupil_id, f.reason, coalesce(f.completion_id, 0), f.raised_on, " \
    "coalesce(f.cleared_on, ''), p.school_id, sc.authority_id, p.forenames || ' ' || p.surname, " \
    "coalesce(d.title, ''), coalesce(c.score, 0), coalesce(c.band, '')"
#define FLAG_FROM " FROM worklist_flags f JOIN pupils p ON p.id = f.pupil_id " \
    "JOIN schools sc ON sc.id = p.school_id LEFT JOIN toolkit_completions c ON c.id = f.completion_id " \
    "LEFT JOIN toolkit_definitions d ON d.id = c.definition_id "

static void read_flag(struct store_stmt *st, struct worklist_flag_row *r)
{
    memset(r, 0, sizeof *r);
    r->id = store_col_int(st, 0);
    r->pupil_id = store_col_int(st, 1);
    store_col_copy(st, 2, r->reason, sizeof r->reason);
    r->completion_id = store_col_int(st, 3);
    store_col_copy(st, 4, r->raised_on, sizeof r->raised_on);
    store_col_copy(st, 5, r->cleared_on, sizeof r->cleared_on);
    r->school_id = store_col_int(st, 6);
    r->authority_id = store_col_int(st, 7);
    store_col_copy(st, 8, r->pupil_name, sizeof r->pupil_name);
    store_col_copy(st, 9, r->toolkit_title, sizeof r->toolkit_title);
    r->score = store_col_int(st, 10);
    store_col_copy(st, 11, r->band, sizeof r->band);
}

static enum store_rc each_flag(struct store_stmt *st, void (*fn)(void *arg, const struct worklist_flag_row *r),
                               void *arg)
{
    enum store_rc rc;
    while ((rc = store_step(st)) == STORE_ROW) {
        struct worklist_flag_row r;
        read_flag(st, &r);
        fn(arg, &r);
    }
    store_done(st);
    return rc == STORE_DONE ? STORE_OK : rc;
}

enum store_rc q_worklist_flag_insert(struct store *s, struct worklist_flag_row *r, int64_t now)
{
    struct store_stmt *st = store_prepare(s,
        "INSERT INTO worklist_flags (pupil_id, reason, completion_id, raised_on, created_at) "
        "VALUES (?,?,?,?,?) RETURNING id");
    if (!st)
        return STORE_ERROR;
    store_bind_int(st, 1, r->pupil_id);
    store_bind_text(st, 2, r->reason);
    bind_opt_int(st, 3, r->completion_id, r->completion_id > 0);
    store_bind_text(st, 4, r->raised_on);
    store_bind_int(st, 5, now);
    enum store_rc rc = store_step(st);
    if (rc == STORE_ROW)
        r->id = store_col_int(st, 0);
    store_done(st);
    return rc == STORE_ROW ? STORE_OK : rc;
}

enum store_rc q_worklist_flag_get(struct store *s, int64_t id, struct worklist_flag_row *out)
{
    struct store_stmt *st = store_prepare(s, "SELECT " FLAG_COLS FLAG_FROM "WHERE f.id = ?");
    if (!st)
        return STORE_ERROR;
    store_bind_int(st, 1, id);
    enum store_rc rc = store_step(st);
    if (rc == STORE_ROW)
        read_flag(st, out);
    store_done(st);
    return rc;
}

enum store_rc q_worklist_flags_open(struct store *s, const struct visibility *v,
                                    void (*fn)(void *arg, const struct worklist_flag_row *r), void *arg)
{
    struct store_stmt *st = store_prepare(s,
        "SELECT " FLAG_COLS FLAG_FROM "WHERE f.cleared_on IS NULL AND "
        VIS_FILTER("sc.authority_id", "p.school_id") " ORDER BY f.raised_on, f.id");
    if (!st)
        return STORE_ERROR;
    if (q_bind_visibility(st, 1, v) < 0) {
        store_done(st);
        return STORE_ERROR;
    }
    return each_flag(st, fn, arg);
}

enum store_rc q_worklist_flags_of_pupil(struct store *s, int64_t pupil_id,
                                        void (*fn)(void *arg, const struct worklist_flag_row *r), void *arg)
{
    struct store_stmt *st = store_prepare(s,
        "SELECT " FLAG_COLS FLAG_FROM "WHERE f.cleared_on IS NULL AND f.pupil_id = ? ORDER BY f.raised_on, f.id");
    if (!st)
        return STORE_ERROR;
    store_bind_int(st, 1, pupil_id);
    return each_flag(st, fn, arg);
}

enum store_rc q_worklist_flag_clear(struct store *s, int64_t id, const char *on, int64_t by)
{
    struct store_stmt *st = store_prepare(s,
        "UPDATE worklist_flags SET cleared_on = ?, cleared_by = ? WHERE id = ? AND cleared_on IS NULL");
    if (!st)
        return STORE_ERROR;
    store_bind_text(st, 1, on);
    bind_opt_int(st, 2, by, by > 0);
    store_bind_int(st, 3, id);
    return store_exec_done(st);
}
