#include "store/q_users.h"
#include "store/q_map.h"
#include "store/q_params.h"

#include <string.h>

#include "store/q_common.h"

#define USER_COLS "id, username, display_name, coalesce(email, ''), password_hash, disabled"

Q_READER(read_user, struct user_row, id, username, display_name, email, password_hash, disabled)

enum store_rc q_user_insert(struct store *s, struct user_row *u, int64_t now)
{
    return q_int(s,
        "INSERT INTO users (username, display_name, email, password_hash, disabled, created_at, "
        "updated_at) VALUES (?,?,?,?,?,?,?) RETURNING id",
        Q_PARAMS(QP_TEXT(u->username), QP_TEXT(u->display_name), QP_TEXT(u->email[0] ? u->email : NULL),
                 QP_TEXT(u->password_hash), QP_INT(u->disabled ? 1 : 0), QP_INT(now), QP_INT(now)), &u->id);
}

static enum store_rc get_one(struct store_stmt *st, struct user_row *out)
{
    return store_get_row(st, read_user, out);
}

enum store_rc q_user_by_username(struct store *s, const char *username, struct user_row *out)
{
    struct store_stmt *st = store_prepare(s,
        "SELECT " USER_COLS " FROM users WHERE username = ?");
    store_bind_text(st, 1, username);
    return get_one(st, out);
}

enum store_rc q_user_get(struct store *s, int64_t id, struct user_row *out)
{
    struct store_stmt *st = store_prepare(s, "SELECT " USER_COLS " FROM users WHERE id = ?");
    store_bind_int(st, 1, id);
    return get_one(st, out);
}

enum store_rc q_user_set_password(struct store *s, int64_t id, const char *hash, int64_t now)
{
    return q_run(s,
        "UPDATE users SET password_hash = ?, updated_at = ? WHERE id = ?",
        Q_PARAMS(QP_TEXT(hash), QP_INT(now), QP_INT(id)));
}

enum store_rc q_user_set_disabled(struct store *s, int64_t id, bool disabled, int64_t now)
{
    return q_run(s,
        "UPDATE users SET disabled = ?, updated_at = ? WHERE id = ?",
        Q_PARAMS(QP_INT(disabled ? 1 : 0), QP_INT(now), QP_INT(id)));
}

static void read_listed_user(struct store_stmt *st, void *row)
{
    struct user_row *u = row;
    read_user(st, u);
    u->password_hash[0] = '\0';   /* lists never carry hashes */
}

Q_SINK(user, struct user_row, read_listed_user)

enum store_rc q_user_list(struct store *s, void (*fn)(void *arg, const struct user_row *u), void *arg)
{
    struct store_stmt *st = store_prepare(s, "SELECT " USER_COLS " FROM users ORDER BY username");
    return store_each_row(st, user_each, &(struct user_sink){fn, arg});
}

enum store_rc q_role_add(struct store *s, int64_t user_id, const struct role_grant *g)
{
    return q_run(s,
        "INSERT INTO user_roles (user_id, role, scope_kind, scope_id, authority_id, detail) "
        "VALUES (?,?,?,?,?,?)",
        Q_PARAMS(QP_INT(user_id), QP_TEXT(role_code(g->role)), QP_TEXT(scope_code(g->scope)), QP_INT(g->scope_id),
                 QP_INT(g->authority_id), QP_TEXT(g->detail)));
}

/* Adds a grant to the principal; pupil scope comes only from break_glass,
 * with its expiry. */
static void read_grant(struct store_stmt *st, void *arg)
{
    struct principal *p = arg;
    struct role_grant g;
    memset(&g, 0, sizeof g);
    if (role_from_code(store_col_text(st, 0), &g.role) != 0 ||
        scope_from_code(store_col_text(st, 1), &g.scope) != 0 || g.scope == SCOPE_PUPIL)
        return;
    g.scope_id = store_col_int(st, 2);
    g.authority_id = store_col_int(st, 3);
    store_col_copy(st, 4, g.detail, sizeof g.detail);
    if (p->ngrants < POLICY_MAX_GRANTS)
        p->grants[p->ngrants++] = g;
}

enum store_rc q_roles_load(struct store *s, int64_t user_id, struct principal *p)
{
    memset(p, 0, sizeof *p);
    p->user_id = user_id;
    return q_rows(s,
        "SELECT role, scope_kind, scope_id, authority_id, detail FROM user_roles "
        "WHERE user_id = ? ORDER BY id",
        Q_PARAMS(QP_INT(user_id)), read_grant, p);
}
