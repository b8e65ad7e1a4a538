#include "store/q_retention.h"
#include "lib/count.h"
#include "store/q_map.h"
#include "store/q_params.h"
#include "store/q_common.h"

#include <stdio.h>
#include <string.h>

/* A rule into its slot of the RET__COUNT rules; unknown types are skipped. */
static void read_rule(struct store_stmt *st, void *arg)
{
    struct retention_rule *rules = arg;
    enum retention_type t;
    if (retention_from_code(store_col_text(st, 0), &t) != 0)
        return;
    rules[t].months = (int)store_col_int(st, 1);
    rules[t].until_age = (int)store_col_int(st, 2);
}

enum store_rc q_retention_rules(struct store *s, struct retention_rule rules[RET__COUNT])
{
    struct store_stmt *st = store_prepare(s, "SELECT record_type, months, until_age FROM retention_settings");
    return store_each_row(st, read_rule, rules);
}

enum store_rc q_retention_set(struct store *s, enum retention_type t, const struct retention_rule *r,
                              int64_t now, int64_t user_id)
{
    return q_run(s,
        "UPDATE retention_settings SET months = ?, until_age = ?, updated_at = ?, updated_by = ?"
        " WHERE record_type = ?",
        Q_PARAMS(QP_INT(r->months), QP_INT(r->until_age), QP_INT(now), QP_INT(user_id), QP_TEXT(retention_code(t))));
}

Q_READER(read_candidate, struct retention_candidate, id, pupil_id, anchor, anchor_at, dob)

Q_SINK(candidate, struct retention_candidate, read_candidate)

static enum store_rc each(struct store *s, const char *sql, retention_fn fn, void *arg)
{
    struct store_stmt *st = store_prepare(s, sql);
    return store_each_row(st, candidate_each, &(struct candidate_sink){fn, arg});
}

enum store_rc q_retention_cases(struct store *s, retention_fn fn, void *arg)
{
    return each(s, "SELECT c.id, c.pupil_id, c.closed_on, 0, p.date_of_birth FROM cases c"
                   " JOIN pupils p ON p.id = c.pupil_id"
                   " WHERE c.status = 'closed' AND c.closed_on IS NOT NULL"
                   " AND NOT EXISTS (SELECT 1 FROM retention_done d WHERE d.record_type = 'case' AND d.record_id = c.id)"
                   " ORDER BY c.id", fn, arg);
}

/* Pupils with an open case are never due: the work is still going on. */
#define NO_OPEN_CASE " NOT EXISTS (SELECT 1 FROM cases o WHERE o.pupil_id = p.id AND o.status = 'open')"
#define LAST_CLOSURE "(SELECT max(z.closed_on) FROM cases z WHERE z.pupil_id = p.id)"

enum store_rc q_retention_consents(struct store *s, retention_fn fn, void *arg)
{
    return each(s, "SELECT x.id, p.id, coalesce(" LAST_CLOSURE ", x.withdrawn_on, x.given_on), 0,"
                   " p.date_of_birth FROM consents x JOIN pupils p ON p.id = x.pupil_id"
                   " WHERE" NO_OPEN_CASE " ORDER BY x.id", fn, arg);
}

enum store_rc q_retention_pupils(struct store *s, retention_fn fn, void *arg)
{
    return each(s, "SELECT p.id, p.id, coalesce(" LAST_CLOSURE ", ''), p.created_at, p.date_of_birth"
                   " FROM pupils p WHERE" NO_OPEN_CASE
                   " AND NOT EXISTS (SELECT 1 FROM retention_done d WHERE d.record_type = 'pupil' AND d.record_id = p.id)"
                   " ORDER BY p.id", fn, arg);
}

/* Pupils with outcome records or toolkit completions and no open case;
 * erased rows leave nothing to find again, so no retention_done mark. */
enum store_rc q_retention_outcomes(struct store *s, retention_fn fn, void *arg)
{
    return each(s, "SELECT p.id, p.id, coalesce(" LAST_CLOSURE ", ''), p.created_at, p.date_of_birth"
                   " FROM pupils p WHERE" NO_OPEN_CASE
                   " AND (EXISTS (SELECT 1 FROM outcome_records o WHERE o.pupil_id = p.id)"
                   " OR EXISTS (SELECT 1 FROM toolkit_completions t WHERE t.pupil_id = p.id))"
                   " ORDER BY p.id", fn, arg);
}

static enum store_rc mark_done(struct store *s, const char *type, int64_t id, int64_t now)
{
    return q_run(s, "INSERT INTO retention_done (record_type, record_id, done_at) VALUES (?, ?, ?)",
        Q_PARAMS(QP_TEXT(type), QP_INT(id), QP_INT(now)));
}

/* Runs each statement with the one id, stopping at the first failure. */
static enum store_rc exec_each(struct store *s, const char *const *sql, size_t n, int64_t id)
{
    for (size_t i = 0; i < n; i++) {
        enum store_rc rc = q_exec_id(s, sql[i], id);
        if (rc != STORE_OK)
            return rc;
    }
    return STORE_OK;
}

/* Anonymising a case keeps what the evaluation counts (dates, codes,
 * yes/no flags, statuses, services) and blanks every free text, where
 * names and circumstances are written. */
enum store_rc q_retention_anonymise_case(struct store *s, int64_t case_id, int64_t now)
{
    static const char *const sql[] = {
        "UPDATE cases SET closure_reason = '', strengths = '', tried = '', child_voice = '',"
        " parent_voice = '', hoped_outcomes = '' WHERE id = ?",
        "UPDATE case_needs SET description = '' WHERE case_id = ?",
        "UPDATE discussions SET minutes = '', feedback_by = '', parent_said = '', child_said = '' WHERE case_id = ?",
        /* a change story is free text about the child, approved or not */
        "DELETE FROM change_stories WHERE case_id = ?",
        "UPDATE actions SET description = 'Removed under the retention schedule', owner_name = '',"
        " not_done_reason = '', outcome = '' WHERE case_id = ?",
        "UPDATE referrals SET notes = '' WHERE case_id = ?",
    };
    enum store_rc rc = exec_each(s, sql, COUNT(sql), case_id);
    return rc == STORE_OK ? mark_done(s, "case", case_id, now) : rc;
}

enum store_rc q_retention_erase_consent(struct store *s, int64_t consent_id)
{
    static const char *const sql[] = {"DELETE FROM consent_services WHERE consent_id = ?",
                                      "DELETE FROM consents WHERE id = ?"};
    return exec_each(s, sql, COUNT(sql), consent_id);
}

/* A work-list flag raised by a completion goes with it: it says which
 * pupil scored over a threshold. */
enum store_rc q_retention_erase_outcomes(struct store *s, int64_t pupil_id)
{
    static const char *const sql[] = {
        "DELETE FROM worklist_flags WHERE pupil_id = ? AND completion_id IS NOT NULL",
        "DELETE FROM toolkit_completions WHERE pupil_id = ?",
        "DELETE FROM outcome_records WHERE pupil_id = ?",
    };
    return exec_each(s, sql, COUNT(sql), pupil_id);
}

/* The row stays (cases and statistics point at it) but nothing in it
 * identifies the child: names and UPN replaced, the former UPN emptied,
 * date of birth reduced to the 1st of January of the year (age bands still
 * work). */
enum store_rc q_retention_anonymise_pupil(struct store *s, int64_t pupil_id, int64_t now)
{
    struct store_stmt *st = store_prepare(
        s, "UPDATE pupils SET forenames = 'Anonymised', surname = 'Pupil', upn = ?, former_upn = '',"
           " date_of_birth = substr(date_of_birth, 1, 4) || '-01-01', updated_at = ? WHERE id = ?");
    char upn[32];
    snprintf(upn, sizeof upn, "ANON%lld", (long long)pupil_id);
    store_bind_text(st, 1, upn);
    store_bind_int(st, 2, now);
    store_bind_int(st, 3, pupil_id);
    enum store_rc rc = store_exec_done(st);
    return rc == STORE_OK ? mark_done(s, "pupil", pupil_id, now) : rc;
}

enum store_rc q_retention_sessions(struct store *s, int64_t cutoff, bool erase, int64_t *count)
{
    struct store_stmt *st = store_prepare(s, "SELECT count(*) FROM sessions WHERE last_seen_at < ?");
    store_bind_int(st, 1, cutoff);
    *count = 0;
    if (store_get_int(st, count) != STORE_OK)
        return STORE_ERROR;
    if (!erase || *count == 0)
        return STORE_OK;
    st = store_prepare(s, "DELETE FROM sessions WHERE last_seen_at < ?");
    store_bind_int(st, 1, cutoff);
    return store_exec_done(st);
}

enum store_rc q_retention_audit_count(struct store *s, int64_t cutoff, int64_t *count, int64_t *up_to_id)
{
    struct store_stmt *st = store_prepare(
        s, "SELECT count(*), coalesce(max(id), 0) FROM audit_log WHERE at < ?");
    store_bind_int(st, 1, cutoff);
    enum store_rc rc = store_get_row(st, q_read_ints, (int64_t *[]){count, up_to_id, NULL});
    return rc == STORE_ROW ? STORE_OK : STORE_ERROR;
}
