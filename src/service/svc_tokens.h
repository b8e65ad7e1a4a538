/* API tokens (docs/api.md): a user makes bearer tokens for systems that
 * use /api/v1/ in their name.  A token acts as its user, limited by its
 * scope: "read" lets the policy point grant only list and view (and the
 * pipeline refuses it every method but GET and HEAD); "write" whatever the
 * user may do.  It cannot reach more than its user: the user's grants are
 * read afresh on each use.  Shown once when made; only its SHA-256 is kept.
 * SQL: store/q_tokens.c.  Tokens are made, listed and revoked from the
 * HTML pages only (web/h_tokens.c): a token cannot make tokens. */
#ifndef TAS_SERVICE_SVC_TOKENS_H
#define TAS_SERVICE_SVC_TOKENS_H

#include "core/errors.h"
#include "service/svc.h"
#include "store/q_tokens.h"

#define API_TOKEN_PREFIX "tas_"
#define API_TOKEN_HEX 64                                 /* 256 random bits */
#define API_TOKEN_LEN (sizeof API_TOKEN_PREFIX - 1 + API_TOKEN_HEX)
#define API_TOKEN_MAX_DAYS 366

struct token_form {
    const char *name;     /* 1 to 80 characters */
    const char *scope;    /* "read" or "write": nothing is assumed */
    const char *days;     /* how long it lasts: 1 to 366 days */
};

/* Makes a token for the signed-in user (any user with an account; SVC_FORBIDDEN
 * otherwise).  SVC_INVALID with e filled when the form is wrong; SVC_OK with
 * token (the secret, to show once) and *id. */
enum svc_status svc_token_create(struct svc_ctx *c, const struct token_form *f, struct field_errors *e,
                                 char token[API_TOKEN_LEN + 1], int64_t *id);
/* The user's own tokens, newest first (never their secrets: they are not kept). */
enum svc_status svc_token_list(struct svc_ctx *c, void (*fn)(void *arg, const struct api_token_row *r),
                               void *arg);
/* Revokes one of the user's own tokens at once: SVC_OK, or SVC_NOT_FOUND
 * (not theirs, not live, or no such token). */
enum svc_status svc_token_revoke(struct svc_ctx *c, int64_t id);

#endif
