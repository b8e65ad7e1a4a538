#include "store/q_tokens.h"
#include "store/q_map.h"

enum store_rc q_token_insert(struct store *s, int64_t user_id, const char *name, const char *token_hash,
                             const char *scope, int64_t now, int64_t expires_at, int64_t *id)
{
    struct store_stmt *st = store_prepare(s,
        "INSERT INTO api_tokens (user_id, name, token_hash, scope, created_at, expires_at) "
        "VALUES (?,?,?,?,?,?) RETURNING id");
    store_bind_int(st, 1, user_id);
    store_bind_text(st, 2, name);
    store_bind_text(st, 3, token_hash);
    store_bind_text(st, 4, scope);
    store_bind_int(st, 5, now);
    store_bind_int(st, 6, expires_at);
    return store_get_int(st, id);
}

#define TOKEN_COLUMNS "id, user_id, name, scope, created_at, expires_at, last_used_at, revoked_at"

Q_READER(read_token, struct api_token_row, id, user_id, name, scope, created_at, expires_at, last_used_at, revoked_at)

enum store_rc q_token_by_hash(struct store *s, const char *token_hash, struct api_token_row *out)
{
    struct store_stmt *st = store_prepare(s, "SELECT " TOKEN_COLUMNS " FROM api_tokens WHERE token_hash = ?");
    store_bind_text(st, 1, token_hash);
    return store_get_row(st, read_token, out);
}

Q_SINK(token, struct api_token_row, read_token)

enum store_rc q_token_list(struct store *s, int64_t user_id,
                           void (*fn)(void *arg, const struct api_token_row *r), void *arg)
{
    return q_each_id(s,
        "SELECT " TOKEN_COLUMNS " FROM api_tokens WHERE user_id = ? ORDER BY created_at DESC, id DESC",
        user_id, token_each, &(struct token_sink){fn, arg});
}

enum store_rc q_token_revoke(struct store *s, int64_t user_id, int64_t id, int64_t now)
{
    struct store_stmt *st = store_prepare(s,
        "UPDATE api_tokens SET revoked_at = ? WHERE id = ? AND user_id = ? AND revoked_at IS NULL");
    store_bind_int(st, 1, now);
    store_bind_int(st, 2, id);
    store_bind_int(st, 3, user_id);
    enum store_rc rc = store_exec_done(st);
    if (rc == STORE_OK && store_changes(s) == 0)
        return STORE_DONE;
    return rc;
}

enum store_rc q_token_touch(struct store *s, int64_t id, int64_t now)
{
    struct store_stmt *st = store_prepare(s, "UPDATE api_tokens SET last_used_at = ? WHERE id = ?");
    store_bind_int(st, 1, now);
    store_bind_int(st, 2, id);
    return store_exec_done(st);
}
