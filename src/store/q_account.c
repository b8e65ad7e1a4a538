#include "store/q_account.h"
#include "store/q_map.h"
#include "store/q_params.h"

#include <string.h>

#include "store/q_common.h"

Q_READER(read_totp, struct totp_row, user_id, secret_box, confirmed, last_step)

enum store_rc q_totp_get(struct store *s, int64_t user_id, struct totp_row *out)
{
    return q_get_id(s,
        "SELECT user_id, secret_box, confirmed_at IS NOT NULL, last_step FROM user_totp WHERE user_id = ?",
                    user_id, read_totp, out);
}

enum store_rc q_totp_put_pending(struct store *s, int64_t user_id, const char *secret_box, int64_t now)
{
    return q_run(s,
        "INSERT INTO user_totp (user_id, secret_box, confirmed_at, last_step, created_at) "
        "VALUES (?,?,NULL,0,?) ON CONFLICT (user_id) DO UPDATE SET secret_box = excluded.secret_box, "
        "confirmed_at = NULL, last_step = 0, created_at = excluded.created_at "
        "WHERE user_totp.confirmed_at IS NULL",
        Q_PARAMS(QP_INT(user_id), QP_TEXT(secret_box), QP_INT(now)));
}

enum store_rc q_totp_confirm(struct store *s, int64_t user_id, int64_t step, int64_t now)
{
    return q_run_changed(s,
        "UPDATE user_totp SET confirmed_at = ?, last_step = ? WHERE user_id = ? AND confirmed_at IS NULL",
        Q_PARAMS(QP_INT(now), QP_INT(step), QP_INT(user_id)));
}

enum store_rc q_totp_use_step(struct store *s, int64_t user_id, int64_t step)
{
    return q_run_changed(s,
        "UPDATE user_totp SET last_step = ? WHERE user_id = ? AND last_step < ? "
        "AND confirmed_at IS NOT NULL",
        Q_PARAMS(QP_INT(step), QP_INT(user_id), QP_INT(step)));
}

enum store_rc q_totp_delete(struct store *s, int64_t user_id)
{
    enum store_rc rc = q_exec_id(s, "DELETE FROM recovery_codes WHERE user_id = ?", user_id);
    if (rc != STORE_OK)
        return rc;
    return q_exec_id(s, "DELETE FROM user_totp WHERE user_id = ?", user_id);
}

enum store_rc q_recovery_replace(struct store *s, int64_t user_id, const char *const *hashes, size_t n,
                                 int64_t now)
{
    enum store_rc rc = q_exec_id(s, "DELETE FROM recovery_codes WHERE user_id = ?", user_id);
    for (size_t i = 0; rc == STORE_OK && i < n; i++) {
        rc = q_run(s,
            "INSERT INTO recovery_codes (user_id, code_hash, used_at, created_at) VALUES (?,?,NULL,?)",
            Q_PARAMS(QP_INT(user_id), QP_TEXT(hashes[i]), QP_INT(now)));
    }
    return rc;
}

enum store_rc q_recovery_use(struct store *s, int64_t user_id, const char *hash, int64_t now)
{
    return q_run_changed(s,
        "UPDATE recovery_codes SET used_at = ? WHERE user_id = ? AND code_hash = ? AND used_at IS NULL",
        Q_PARAMS(QP_INT(now), QP_INT(user_id), QP_TEXT(hash)));
}

enum store_rc q_recovery_unused(struct store *s, int64_t user_id, int64_t *n)
{
    *n = 0;
    return q_int(s,
        "SELECT count(*) FROM recovery_codes WHERE user_id = ? AND used_at IS NULL",
        Q_PARAMS(QP_INT(user_id)), n);
}

struct role_sink {
    void (*fn)(void *arg, const char *role);
    void *arg;
};

static void role_each(struct store_stmt *st, void *sink)
{
    const struct role_sink *k = sink;
    k->fn(k->arg, store_col_text(st, 0));
}

enum store_rc q_role_security_list(struct store *s, int64_t authority_id,
                                   void (*fn)(void *arg, const char *role), void *arg)
{
    return q_each_id(s,
        "SELECT role FROM role_security WHERE authority_id = ? AND require_totp = 1 ORDER BY role",
        authority_id, role_each, &(struct role_sink){fn, arg});
}

enum store_rc q_role_security_set(struct store *s, int64_t authority_id, const char *role, bool require,
                                  int64_t now)
{
    return q_run(s,
        "INSERT INTO role_security (authority_id, role, require_totp, updated_at) VALUES (?,?,?,?) "
        "ON CONFLICT (authority_id, role) DO UPDATE SET require_totp = excluded.require_totp, "
        "updated_at = excluded.updated_at",
        Q_PARAMS(QP_INT(authority_id), QP_TEXT(role), QP_INT(require ? 1 : 0), QP_INT(now)));
}

enum store_rc q_totp_required(struct store *s, int64_t user_id, bool *required, bool *enrolled)
{
    int64_t roles = 0, totp = 0;
    enum store_rc rc = q_row(s,
        "SELECT (SELECT count(*) FROM user_roles ur JOIN role_security rs ON rs.role = ur.role "
        "        AND (rs.authority_id = 0 OR rs.authority_id = ur.authority_id) "
        "        WHERE ur.user_id = ? AND rs.require_totp = 1), "
        "       (SELECT count(*) FROM user_totp WHERE user_id = ? AND confirmed_at IS NOT NULL)",
        Q_PARAMS(QP_INT_TWICE(user_id)), q_read_ints, (int64_t *[]){&roles, &totp, NULL});
    if (rc == STORE_ROW) {
        *required = roles > 0;
        *enrolled = totp > 0;
    }
    return rc == STORE_ROW ? STORE_OK : rc;
}

enum store_rc q_session_user(struct store *s, const char *handle, int64_t *user_id)
{
    return q_row(s, "SELECT user_id FROM sessions WHERE handle = ? AND handle <> ''",
        Q_PARAMS(QP_TEXT(handle)), q_read_int, user_id);
}

enum store_rc q_pending_insert(struct store *s, const char *id_hash, int64_t user_id, int64_t now)
{
    return q_run(s,
        "INSERT INTO sign_in_pending (id_hash, user_id, created_at, attempts) VALUES (?,?,?,0)",
        Q_PARAMS(QP_TEXT(id_hash), QP_INT(user_id), QP_INT(now)));
}

Q_READER(read_pending, struct pending_row, user_id, created_at, attempts)

enum store_rc q_pending_get(struct store *s, const char *id_hash, struct pending_row *out)
{
    return q_row(s,
        "SELECT user_id, created_at, attempts FROM sign_in_pending WHERE id_hash = ?",
        Q_PARAMS(QP_TEXT(id_hash)), read_pending, out);
}

enum store_rc q_pending_attempt(struct store *s, const char *id_hash)
{
    return q_run(s,
        "UPDATE sign_in_pending SET attempts = attempts + 1 WHERE id_hash = ?",
        Q_PARAMS(QP_TEXT(id_hash)));
}

enum store_rc q_pending_delete(struct store *s, const char *id_hash)
{
    return q_run(s, "DELETE FROM sign_in_pending WHERE id_hash = ?", Q_PARAMS(QP_TEXT(id_hash)));
}

enum store_rc q_pending_purge(struct store *s, int64_t created_before)
{
    return q_exec_id(s, "DELETE FROM sign_in_pending WHERE created_at < ?", created_before);
}
