/* SQL for sign-in sessions and sign-in throttling. */
#ifndef TAS_STORE_Q_SESSIONS_H
#define TAS_STORE_Q_SESSIONS_H

#include "store/store.h"

struct session_row {
    char id_hash[65];       /* hex SHA-256 of the cookie value */
    int64_t user_id;
    char csrf_token[65];
    int64_t created_at;
    int64_t last_seen_at;
    char handle[33];        /* random; names the session in lists (never the id) */
};

enum store_rc q_session_insert(struct store *s, const struct session_row *r, const char *remote_addr);
enum store_rc q_session_get(struct store *s, const char *id_hash, struct session_row *out);
enum store_rc q_session_touch(struct store *s, const char *id_hash, int64_t now);
enum store_rc q_session_delete(struct store *s, const char *id_hash);
enum store_rc q_session_delete_user(struct store *s, int64_t user_id);
/* Every session of other users and this one except keep_handle. */
enum store_rc q_session_delete_user_except(struct store *s, int64_t user_id, const char *keep_handle);
/* Ends the session with this handle (STORE_DONE if there was none). */
enum store_rc q_session_revoke(struct store *s, const char *handle);

/* A live session as administrators see it: no id, no hash, no address. */
struct session_item {
    char handle[33];
    int64_t user_id;
    char username[64];
    char display_name[128];
    int64_t created_at;
    int64_t last_seen_at;
};
/* Sessions seen since idle_after and begun since created_after, most
 * recently used first, at most limit. */
enum store_rc q_session_list(struct store *s, int64_t idle_after, int64_t created_after, int64_t limit,
                             void (*fn)(void *arg, const struct session_item *it), void *arg);

/* Removes sessions idle since before idle_before or created before created_before. */
enum store_rc q_session_purge(struct store *s, int64_t idle_before, int64_t created_before);

struct throttle_row {
    int64_t failures;
    int64_t next_attempt_at;
    int64_t locked_until;
    int64_t updated_at;         /* when the last failure was recorded */
};
/* STORE_DONE (and a zeroed row) when the key has no failures on record. */
enum store_rc q_throttle_get(struct store *s, const char *key, struct throttle_row *out);
enum store_rc q_throttle_put(struct store *s, const char *key, const struct throttle_row *r, int64_t now);
enum store_rc q_throttle_clear(struct store *s, const char *key);
/* One-time form tokens (form_tokens).  claim: STORE_OK when this POST is
 * the first with the token (tokens older than older_than are cleared
 * first), STORE_CONSTRAINT when another POST had it.  done: records where
 * the record it made is.  location: STORE_ROW with loc ("" while the first
 * POST is still running), STORE_DONE when released.  release: forgets a
 * token whose POST made nothing (the form showed its errors). */
#define FORM_TOKEN_LOCATION_MAX 160
enum store_rc q_form_token_claim(struct store *s, int64_t user_id, const char *token, int64_t now,
                                 int64_t older_than);
enum store_rc q_form_token_done(struct store *s, int64_t user_id, const char *token, const char *location);
enum store_rc q_form_token_location(struct store *s, int64_t user_id, const char *token,
                                    char loc[FORM_TOKEN_LOCATION_MAX]);
enum store_rc q_form_token_release(struct store *s, int64_t user_id, const char *token);

#endif
