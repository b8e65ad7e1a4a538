#include "store/q_mail.h"
#include "store/q_map.h"
#include "store/q_params.h"

#include <string.h>

#include "store/q_common.h"

enum store_rc q_outbox_add(struct store *s, const struct outbox_new *m, int64_t now, int64_t *id)
{
    return q_int(s,
        "INSERT INTO outbox (kind, recipient, subject, body, calendar, calendar_method, message_id, created_at, "
        "next_attempt_at) VALUES (?,?,?,?,?,?,?,?,?) RETURNING id",
        Q_PARAMS(QP_TEXT(m->kind), QP_TEXT(m->recipient), QP_TEXT(m->subject), QP_TEXT(m->body),
                 m->calendar ? QP_TEXT(m->calendar) : QP_NULL, m->calendar ? QP_TEXT(m->calendar_method) : QP_NULL,
                 QP_TEXT(m->message_id), QP_INT(now), QP_INT(now)), id);
}

enum store_rc q_meeting_invited(struct store *s, int64_t meeting_id)
{
    return q_exec_id(s, "UPDATE meetings SET invited_sequence = ics_sequence WHERE id = ?", meeting_id);
}

enum store_rc q_meetings_changed(struct store *s, size_t max, int64_t *ids, size_t *n)
{
    *n = 0;
    return q_rows(s,
        "SELECT id FROM meetings WHERE invited_sequence IS NOT NULL AND ics_sequence > invited_sequence "
        "ORDER BY id LIMIT ?",
        Q_PARAMS(QP_INT((int64_t)max)), q_read_id, &(struct q_ids){ids, max, n});
}

#define OUTBOX_COLS "id, kind, recipient, subject, body, message_id, created_at, attempts, next_attempt_at, " \
                    "coalesce(sent_at, 0), last_error, coalesce(calendar, ''), coalesce(calendar_method, '')"
Q_READER(read_outbox, struct outbox_row, id, kind, recipient, subject, body, message_id, created_at, attempts,
         next_attempt_at, sent_at, last_error, calendar, calendar_method)

Q_SINK(outbox, struct outbox_row, read_outbox)

enum store_rc q_outbox_due(struct store *s, int64_t now, int max_attempts, int limit,
                           void (*fn)(void *arg, const struct outbox_row *r), void *arg)
{
    return q_rows(s,
        "SELECT " OUTBOX_COLS " FROM outbox WHERE sent_at IS NULL AND next_attempt_at <= ? AND attempts < ? "
        "ORDER BY next_attempt_at, id LIMIT ?",
        Q_PARAMS(QP_INT(now), QP_INT(max_attempts), QP_INT(limit)), outbox_each, &(struct outbox_sink){fn, arg});
}

enum store_rc q_outbox_sent(struct store *s, int64_t id, int64_t now)
{
    return q_run(s,
        "UPDATE outbox SET sent_at = ?, attempts = attempts + 1, last_error = '', "
        "body = CASE WHEN kind = 'password_reset' THEN '' ELSE body END WHERE id = ? AND sent_at IS NULL",
        Q_PARAMS(QP_INT(now), QP_INT(id)));
}

enum store_rc q_outbox_failed(struct store *s, int64_t id, int64_t next_at, int give_up_at, const char *error)
{
    return q_run(s,
        "UPDATE outbox SET attempts = CASE WHEN attempts + 1 < ? THEN ? ELSE attempts + 1 END, "
        "next_attempt_at = ?, last_error = ? WHERE id = ? AND sent_at IS NULL",
        Q_PARAMS(QP_INT(give_up_at), QP_INT(give_up_at), QP_INT(next_at), QP_TEXT(error), QP_INT(id)));
}

enum store_rc q_outbox_purge(struct store *s, int64_t before, const char *before_day)
{
    enum store_rc rc = q_run(s, "DELETE FROM outbox WHERE sent_at IS NOT NULL AND sent_at < ?",
        Q_PARAMS(QP_INT(before)));
    if (rc == STORE_OK) {
        rc = q_run(s, "DELETE FROM password_resets WHERE expires_at < ?", Q_PARAMS(QP_INT(before)));
    }
    if (rc == STORE_OK) {
        rc = q_run(s, "DELETE FROM reminder_days WHERE day < ?", Q_PARAMS(QP_TEXT(before_day)));
    }
    return rc;
}

enum store_rc q_outbox_count_since(struct store *s, const char *kind, int64_t since, int64_t *n)
{
    return q_count(s, "SELECT count(*) FROM outbox WHERE kind = ? AND created_at >= ?",
        Q_PARAMS(QP_TEXT(kind), QP_INT(since)), n);
}

enum store_rc q_reminder_claim(struct store *s, int64_t user_id, const char *day)
{
    int64_t got = 0;
    enum store_rc rc = q_int(s,
        "INSERT INTO reminder_days (user_id, day) VALUES (?, ?) ON CONFLICT DO NOTHING RETURNING user_id",
        Q_PARAMS(QP_INT(user_id), QP_TEXT(day)), &got);
    return rc == STORE_OK || rc == STORE_DONE ? rc : STORE_ERROR;
}

struct owner_sink {
    void (*fn)(void *arg, int64_t user_id, const char *email);
    void *arg;
};

static void owner_each(struct store_stmt *st, void *arg)
{
    struct owner_sink *k = arg;
    k->fn(k->arg, store_col_int(st, 0), store_col_text(st, 1));
}

enum store_rc q_reminder_owners(struct store *s, const char *by,
                                void (*fn)(void *arg, int64_t user_id, const char *email), void *arg)
{
    return q_rows(s,
        "SELECT u.id, u.email FROM users u "
        "JOIN practitioners pr ON pr.user_id = u.id AND pr.active = 1 "
        "JOIN actions a ON a.owner_practitioner_id = pr.id "
        "WHERE u.disabled = 0 AND coalesce(u.email, '') <> '' AND a.status = 'open' AND a.voided_at IS NULL "
        "AND a.due_on IS NOT NULL AND a.due_on <= ? "
        "UNION "
        "SELECT u.id, u.email FROM users u "
        "JOIN user_roles r ON r.user_id = u.id AND r.role = 'school_lead' AND r.scope_kind = 'school' "
        "JOIN pupils p ON p.school_id = r.scope_id JOIN cases c ON c.pupil_id = p.id "
        "JOIN actions a ON a.case_id = c.id JOIN services sv ON sv.id = a.owner_service_id AND sv.org_kind = 'school' "
        "WHERE u.disabled = 0 AND coalesce(u.email, '') <> '' AND a.status = 'open' AND a.voided_at IS NULL "
        "AND a.due_on IS NOT NULL AND a.due_on <= ? ORDER BY 1",
        Q_PARAMS(QP_TEXT(by), QP_TEXT(by)), owner_each, &(struct owner_sink){fn, arg});
}

struct addr_sink {
    void (*fn)(void *arg, const char *email);
    void *arg;
};

static void addr_each(struct store_stmt *st, void *arg)
{
    struct addr_sink *k = arg;
    k->fn(k->arg, store_col_text(st, 0));
}

enum store_rc q_invitation_recipients(struct store *s, int64_t team_id, int64_t host_school_id,
                                      void (*fn)(void *arg, const char *email), void *arg)
{
    return q_rows(s,
        "SELECT min(e) FROM ("
        " SELECT CASE WHEN pr.email <> '' THEN pr.email ELSE coalesce(u.email, '') END AS e "
        "  FROM team_members tm JOIN practitioners pr ON pr.id = tm.practitioner_id AND pr.active = 1 "
        "  LEFT JOIN users u ON u.id = pr.user_id AND u.disabled = 0 WHERE tm.team_id = ? "
        " UNION ALL "
        " SELECT coalesce(u.email, '') FROM teams t JOIN users u "
        "  ON (u.id = t.strategic_lead_user_id OR u.id = t.case_coordinator_user_id) AND u.disabled = 0 "
        "  WHERE t.id = ? "
        " UNION ALL "
        " SELECT coalesce(u.email, '') FROM user_roles r JOIN users u ON u.id = r.user_id AND u.disabled = 0 "
        "  WHERE r.role = 'school_lead' AND r.scope_kind = 'school' AND r.scope_id = ?"
        ") x WHERE e <> '' GROUP BY lower(e) ORDER BY lower(e)",
        Q_PARAMS(QP_INT(team_id), QP_INT(team_id), QP_INT(host_school_id)), addr_each, &(struct addr_sink){fn, arg});
}

enum store_rc q_reset_add(struct store *s, int64_t user_id, const char *token_hash, int64_t now,
                          int64_t expires_at)
{
    enum store_rc rc = q_run(s,
        "UPDATE password_resets SET used_at = ? WHERE user_id = ? AND used_at IS NULL",
        Q_PARAMS(QP_INT(now), QP_INT(user_id)));
    if (rc != STORE_OK)
        return rc;
    return q_run(s,
        "INSERT INTO password_resets (user_id, token_hash, created_at, expires_at) VALUES (?,?,?,?)",
        Q_PARAMS(QP_INT(user_id), QP_TEXT(token_hash), QP_INT(now), QP_INT(expires_at)));
}

enum store_rc q_reset_find(struct store *s, const char *token_hash, int64_t now, int64_t *user_id)
{
    enum store_rc rc = q_int(s,
        "SELECT user_id FROM password_resets WHERE token_hash = ? AND used_at IS NULL AND expires_at > ?",
        Q_PARAMS(QP_TEXT(token_hash), QP_INT(now)), user_id);
    return rc == STORE_OK ? STORE_ROW : rc;
}

enum store_rc q_reset_use(struct store *s, const char *token_hash, int64_t now)
{
    int64_t user_id = 0;
    enum store_rc rc = q_int(s,
        "UPDATE password_resets SET used_at = ? WHERE token_hash = ? AND used_at IS NULL AND expires_at > ? "
        "RETURNING user_id",
        Q_PARAMS(QP_INT(now), QP_TEXT(token_hash), QP_INT(now)), &user_id);
    if (rc != STORE_OK)
        return rc;
    return q_run(s, "UPDATE password_resets SET used_at = ? WHERE user_id = ? AND used_at IS NULL",
        Q_PARAMS(QP_INT(now), QP_INT(user_id)));
}

enum store_rc q_reset_count_since(struct store *s, int64_t user_id, int64_t since, int64_t *n)
{
    return q_count(s, "SELECT count(*) FROM password_resets WHERE user_id = ? AND created_at >= ?",
        Q_PARAMS(QP_INT(user_id), QP_INT(since)), n);
}

enum store_rc q_user_set_email(struct store *s, int64_t user_id, const char *email, int64_t now)
{
    return q_run(s, "UPDATE users SET email = ?, updated_at = ? WHERE id = ?",
        Q_PARAMS(QP_TEXT(email && *email ? email : NULL), QP_INT(now), QP_INT(user_id)));
}

enum store_rc q_outbox_counts(struct store *s, int max_attempts, int64_t *waiting, int64_t *sent,
                              int64_t *given_up)
{
    struct store_stmt *st = store_prepare(s,
        "SELECT coalesce(sum(CASE WHEN sent_at IS NULL AND attempts < ? THEN 1 ELSE 0 END), 0), "
        "coalesce(sum(CASE WHEN sent_at IS NOT NULL THEN 1 ELSE 0 END), 0), "
        "coalesce(sum(CASE WHEN sent_at IS NULL AND attempts >= ? THEN 1 ELSE 0 END), 0) FROM outbox");
    store_bind_int(st, 1, max_attempts);
    store_bind_int(st, 2, max_attempts);
    *waiting = *sent = *given_up = 0;
    enum store_rc rc = store_get_row(st, q_read_ints, (int64_t *[]){waiting, sent, given_up, NULL});
    return rc == STORE_ROW ? STORE_OK : STORE_ERROR;
}

enum store_rc q_reset_request_add(struct store *s, const char *username, int64_t now)
{
    return q_run(s, "INSERT INTO password_reset_requests (username, created_at) VALUES (?, ?)",
        Q_PARAMS(QP_TEXT(username), QP_INT(now)));
}

enum store_rc q_reset_request_count(struct store *s, int64_t since, int64_t *n)
{
    return q_count(s, "SELECT count(*) FROM password_reset_requests WHERE created_at >= ?",
        Q_PARAMS(QP_INT(since)), n);
}

enum store_rc q_reset_request_take(struct store *s, char username[64])
{
    struct store_stmt *st = store_prepare(s,
        "DELETE FROM password_reset_requests WHERE id = (SELECT min(id) FROM password_reset_requests) "
        "RETURNING username");
    return store_get_row(st, q_read_text, &(struct q_text){username, 64});
}
