#include "store/q_sessions.h"
#include "store/q_map.h"
#include "store/q_params.h"

#include <string.h>

#include "store/q_common.h"

enum store_rc q_session_insert(struct store *s, const struct session_row *r, const char *remote_addr)
{
    return q_run(s,
        "INSERT INTO sessions (id_hash, user_id, csrf_token, created_at, last_seen_at, remote_addr, "
        "handle) VALUES (?,?,?,?,?,?,?)",
        Q_PARAMS(QP_TEXT(r->id_hash), QP_INT(r->user_id), QP_TEXT(r->csrf_token), QP_INT(r->created_at),
                 QP_INT(r->last_seen_at), QP_TEXT(remote_addr ? remote_addr : ""), QP_TEXT(r->handle)));
}

Q_READER(read_session, struct session_row, id_hash, user_id, csrf_token, created_at, last_seen_at, handle)

enum store_rc q_session_get(struct store *s, const char *id_hash, struct session_row *out)
{
    return q_row(s,
        "SELECT id_hash, user_id, csrf_token, created_at, last_seen_at, handle FROM sessions "
        "WHERE id_hash = ?",
        Q_PARAMS(QP_TEXT(id_hash)), read_session, out);
}

/* Runs sql with one text parameter. */
static enum store_rc exec_text(struct store *s, const char *sql, const char *t)
{
    return q_run(s, sql, Q_PARAMS(QP_TEXT(t)));
}

enum store_rc q_session_touch(struct store *s, const char *id_hash, int64_t now)
{
    return q_run(s, "UPDATE sessions SET last_seen_at = ? WHERE id_hash = ?", Q_PARAMS(QP_INT(now), QP_TEXT(id_hash)));
}

enum store_rc q_session_delete(struct store *s, const char *id_hash)
{
    return exec_text(s, "DELETE FROM sessions WHERE id_hash = ?", id_hash);
}

enum store_rc q_session_delete_user(struct store *s, int64_t user_id)
{
    return q_exec_id(s, "DELETE FROM sessions WHERE user_id = ?", user_id);
}

enum store_rc q_session_delete_user_except(struct store *s, int64_t user_id, const char *keep_handle)
{
    return q_run(s, "DELETE FROM sessions WHERE user_id = ? AND handle <> ?",
        Q_PARAMS(QP_INT(user_id), QP_TEXT(keep_handle)));
}

enum store_rc q_session_revoke(struct store *s, const char *handle)
{
    enum store_rc rc = exec_text(s, "DELETE FROM sessions WHERE handle = ? AND handle <> ''", handle);
    if (rc == STORE_OK && store_changes(s) == 0)
        return STORE_DONE;
    return rc;
}

Q_READER(read_session_item, struct session_item, handle, user_id, username, display_name, created_at, last_seen_at)

Q_SINK(session_item, struct session_item, read_session_item)

enum store_rc q_session_list(struct store *s, int64_t idle_after, int64_t created_after, int64_t limit,
                             void (*fn)(void *arg, const struct session_item *it), void *arg)
{
    return q_rows(s,
        "SELECT s.handle, s.user_id, u.username, u.display_name, s.created_at, s.last_seen_at "
        "FROM sessions s JOIN users u ON u.id = s.user_id "
        "WHERE s.last_seen_at >= ? AND s.created_at >= ? AND s.handle <> '' "
        "ORDER BY s.last_seen_at DESC, u.username LIMIT ?",
        Q_PARAMS(QP_INT(idle_after), QP_INT(created_after),
                 QP_INT(limit)), session_item_each, &(struct session_item_sink){fn, arg});
}

enum store_rc q_session_purge(struct store *s, int64_t idle_before, int64_t created_before)
{
    return q_run(s,
        "DELETE FROM sessions WHERE last_seen_at < ? OR created_at < ?",
        Q_PARAMS(QP_INT(idle_before), QP_INT(created_before)));
}

enum store_rc q_throttle_get(struct store *s, const char *key, struct throttle_row *out)
{
    memset(out, 0, sizeof *out);
    struct store_stmt *st = store_prepare(s,
        "SELECT failures, next_attempt_at, locked_until, updated_at FROM login_throttle WHERE key = ?");
    store_bind_text(st, 1, key);
    return store_get_row(st, q_read_ints,
                         (int64_t *[]){&out->failures, &out->next_attempt_at, &out->locked_until,
                                       &out->updated_at, NULL});
}

enum store_rc q_throttle_put(struct store *s, const char *key, const struct throttle_row *r, int64_t now)
{
    return q_run(s,
        "INSERT INTO login_throttle (key, failures, next_attempt_at, locked_until, updated_at) "
        "VALUES (?,?,?,?,?) ON CONFLICT (key) DO UPDATE SET failures = excluded.failures, "
        "next_attempt_at = excluded.next_attempt_at, locked_until = excluded.locked_until, "
        "updated_at = excluded.updated_at",
        Q_PARAMS(QP_TEXT(key), QP_INT(r->failures), QP_INT(r->next_attempt_at), QP_INT(r->locked_until), QP_INT(now)));
}

enum store_rc q_throttle_clear(struct store *s, const char *key)
{
    return exec_text(s, "DELETE FROM login_throttle WHERE key = ?", key);
}

/* ---- one-time form tokens ---- */

enum store_rc q_form_token_claim(struct store *s, int64_t user_id, const char *token, int64_t now,
                                 int64_t older_than)
{
    enum store_rc rc = q_run(s, "DELETE FROM form_tokens WHERE created_at < ?", Q_PARAMS(QP_INT(older_than)));
    if (rc != STORE_OK)
        return rc;
    return q_run(s, "INSERT INTO form_tokens (user_id, token, created_at) VALUES (?, ?, ?)",
        Q_PARAMS(QP_INT(user_id), QP_TEXT(token), QP_INT(now)));
}

static enum store_rc token_exec(struct store *s, const char *sql, int64_t user_id, const char *token,
                                const char *location)
{
    struct store_stmt *st = store_prepare(s, sql);
    int idx = 1;
    if (location)
        store_bind_text(st, idx++, location);
    store_bind_int(st, idx++, user_id);
    store_bind_text(st, idx, token);
    return store_exec_done(st);
}

enum store_rc q_form_token_done(struct store *s, int64_t user_id, const char *token, const char *location)
{
    return token_exec(s, "UPDATE form_tokens SET location = ? WHERE user_id = ? AND token = ?", user_id, token,
                      location);
}

enum store_rc q_form_token_release(struct store *s, int64_t user_id, const char *token)
{
    return token_exec(s, "DELETE FROM form_tokens WHERE user_id = ? AND token = ? AND location = ''", user_id,
                      token, NULL);
}

static void read_location(struct store_stmt *st, void *out)
{
    store_col_copy(st, 0, out, FORM_TOKEN_LOCATION_MAX);
}

enum store_rc q_form_token_location(struct store *s, int64_t user_id, const char *token,
                                    char loc[FORM_TOKEN_LOCATION_MAX])
{
    struct store_stmt *st = store_prepare(s, "SELECT location FROM form_tokens WHERE user_id = ? AND token = ?");
    store_bind_int(st, 1, user_id);
    store_bind_text(st, 2, token);
    loc[0] = '\0';
    return store_get_row(st, read_location, loc);
}
