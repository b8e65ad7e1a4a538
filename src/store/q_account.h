/* SQL for account security: second-factor secrets, recovery codes, the
 * roles that must use a second factor, and sign-ins waiting for a code. */
#ifndef TAS_STORE_Q_ACCOUNT_H
#define TAS_STORE_Q_ACCOUNT_H

#include "store/store.h"

struct totp_row {
    int64_t user_id;
    char secret_box[160];      /* hex nonce || secretbox(secret) */
    bool confirmed;
    int64_t last_step;
};

enum store_rc q_totp_get(struct store *s, int64_t user_id, struct totp_row *out);
/* Stores a new, unconfirmed secret (replacing an unconfirmed one). */
enum store_rc q_totp_put_pending(struct store *s, int64_t user_id, const char *secret_box, int64_t now);
enum store_rc q_totp_confirm(struct store *s, int64_t user_id, int64_t step, int64_t now);
/* Records step as used, only if it is later than the last one:
 * STORE_OK if recorded, STORE_DONE if a code for it was already used. */
enum store_rc q_totp_use_step(struct store *s, int64_t user_id, int64_t step);
/* Removes the authenticator and recovery codes (the user sets up again). */
enum store_rc q_totp_delete(struct store *s, int64_t user_id);

/* Replaces every recovery code of a user with these hashes. */
enum store_rc q_recovery_replace(struct store *s, int64_t user_id, const char *const *hashes, size_t n,
                                 int64_t now);
/* Marks the unused code with this hash used: STORE_OK, or STORE_DONE if none. */
enum store_rc q_recovery_use(struct store *s, int64_t user_id, const char *hash, int64_t now);
enum store_rc q_recovery_unused(struct store *s, int64_t user_id, int64_t *n);

/* Roles (codes) whose holders must use a second factor in an authority
 * (0: the whole installation). */
enum store_rc q_role_security_list(struct store *s, int64_t authority_id,
                                   void (*fn)(void *arg, const char *role), void *arg);
enum store_rc q_role_security_set(struct store *s, int64_t authority_id, const char *role, bool require,
                                  int64_t now);
/* For one user: *required when a role they hold needs a second factor
 * (set for the grant's authority or the installation), *enrolled when
 * they have a confirmed one. */
enum store_rc q_totp_required(struct store *s, int64_t user_id, bool *required, bool *enrolled);

/* The user of the session with this handle (STORE_ROW), or STORE_DONE. */
enum store_rc q_session_user(struct store *s, const char *handle, int64_t *user_id);

struct pending_row {
    int64_t user_id;
    int64_t created_at;
    int64_t attempts;
};
enum store_rc q_pending_insert(struct store *s, const char *id_hash, int64_t user_id, int64_t now);
enum store_rc q_pending_get(struct store *s, const char *id_hash, struct pending_row *out);
enum store_rc q_pending_attempt(struct store *s, const char *id_hash);
enum store_rc q_pending_delete(struct store *s, const char *id_hash);
enum store_rc q_pending_purge(struct store *s, int64_t created_before);

#endif
