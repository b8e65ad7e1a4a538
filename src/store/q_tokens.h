/* SQL for API tokens (service/svc_tokens.c, migration 0028): only the
 * SHA-256 of a token is stored. */
#ifndef TAS_STORE_Q_TOKENS_H
#define TAS_STORE_Q_TOKENS_H

#include "store/q_common.h"

#define API_TOKEN_NAME_MAX 81   /* 80 characters and the NUL */

struct api_token_row {
    int64_t id;
    int64_t user_id;
    char name[API_TOKEN_NAME_MAX * 4];   /* up to 80 characters of UTF-8 */
    char scope[8];                       /* read, write */
    int64_t created_at;
    int64_t expires_at;
    int64_t last_used_at;                /* 0: never used */
    int64_t revoked_at;                  /* 0: live */
};

/* A new token; *id its id. */
enum store_rc q_token_insert(struct store *s, int64_t user_id, const char *name, const char *token_hash,
                             const char *scope, int64_t now, int64_t expires_at, int64_t *id);
/* The token with that hash (live or not): STORE_ROW, or STORE_DONE. */
enum store_rc q_token_by_hash(struct store *s, const char *token_hash, struct api_token_row *out);
/* The user's tokens, newest first. */
enum store_rc q_token_list(struct store *s, int64_t user_id,
                           void (*fn)(void *arg, const struct api_token_row *r), void *arg);
/* Revokes the user's token id: STORE_OK, or STORE_DONE when the user has
 * no live token of that id. */
enum store_rc q_token_revoke(struct store *s, int64_t user_id, int64_t id, int64_t now);
/* Records a use. */
enum store_rc q_token_touch(struct store *s, int64_t id, int64_t now);

#endif
