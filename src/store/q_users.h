/* SQL for user accounts and their role grants. */
#ifndef TAS_STORE_Q_USERS_H
#define TAS_STORE_Q_USERS_H

#include "core/policy.h"
#include "store/store.h"

struct user_row {
    int64_t id;
    char username[64];
    char display_name[128];
    char email[128];
    char password_hash[160];   /* crypto_pwhash_STRBYTES is 128 */
    bool disabled;
};

enum store_rc q_user_insert(struct store *s, struct user_row *u, int64_t now);
enum store_rc q_user_by_username(struct store *s, const char *username, struct user_row *out);
enum store_rc q_user_get(struct store *s, int64_t id, struct user_row *out);
enum store_rc q_user_set_password(struct store *s, int64_t id, const char *hash, int64_t now);
enum store_rc q_user_set_disabled(struct store *s, int64_t id, bool disabled, int64_t now);
enum store_rc q_user_list(struct store *s, void (*fn)(void *arg, const struct user_row *u), void *arg);

/* Adds a grant (team school lists are not stored here; they come from teams). */
enum store_rc q_role_add(struct store *s, int64_t user_id, const struct role_grant *g);
/* Loads every grant of a user into p (p->user_id set). Unknown role or
 * scope codes in the database are skipped, which denies rather than grants. */
enum store_rc q_roles_load(struct store *s, int64_t user_id, struct principal *p);
#endif
