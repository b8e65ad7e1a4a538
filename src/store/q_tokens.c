#include "store/q_tokens.h"
#include "store/q_map.h"
#include "store/q_params.h"

enum store_rc q_token_insert(struct store *s, int64_t user_id, const char *name, const char *token_hash,
                             const char *scope, int64_t now, int64_t expires_at, int64_t *id)
{
    return q_int(s,
        "INSERT INTO api_tokens (user_id, name, token_hash, scope, created_at, expires_at) "
        "VALUES (?,?,?,?,?,?) RETURNING id",
        Q_PARAMS(QP_INT(user_id), QP_TEXT(name), QP_TEXT(token_hash), QP_TEXT(scope), QP_INT(now),
                 QP_INT(expires_at)), id);
}

#define TOKEN_COLUMNS "id, user_id, name, scope, created_at, expires_at, last_used_at, revoked_at"

Q_READER(read_token, struct api_token_row, id, user_id, name, scope, created_at, expires_at, last_used_at, revoked_at)

enum store_rc q_token_by_hash(struct store *s, const char *token_hash, struct api_token_row *out)
{
    return q_row(s, "SELECT " TOKEN_COLUMNS " FROM api_tokens WHERE token_hash = ?",
        Q_PARAMS(QP_TEXT(token_hash)), read_token, out);
}

Q_LIST_OF_ID(q_token_list, struct api_token_row, read_token,
    "SELECT " TOKEN_COLUMNS " FROM api_tokens WHERE user_id = ? ORDER BY created_at DESC, id DESC")

enum store_rc q_token_revoke(struct store *s, int64_t user_id, int64_t id, int64_t now)
{
    return q_run_changed(s,
        "UPDATE api_tokens SET revoked_at = ? WHERE id = ? AND user_id = ? AND revoked_at IS NULL",
        Q_PARAMS(QP_INT(now), QP_INT(id), QP_INT(user_id)));
}

enum store_rc q_token_touch(struct store *s, int64_t id, int64_t now)
{
    return q_run(s, "UPDATE api_tokens SET last_used_at = ? WHERE id = ?", Q_PARAMS(QP_INT(now), QP_INT(id)));
}
