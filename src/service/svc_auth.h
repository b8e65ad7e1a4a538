/* Signing in and out, and the server-side sessions that follow.  The
 * cookie holds 256 random bits; the database holds only their SHA-256, so
 * a copy of the database cannot be used to take over a session. */
#ifndef TAS_SERVICE_SVC_AUTH_H
#define TAS_SERVICE_SVC_AUTH_H

#include "core/policy.h"
#include "core/throttle.h"
#include "store/q_users.h"

struct auth_config {
    struct throttle_rules throttle;
    int64_t idle_timeout;       /* seconds without a request (default 30 min) */
    int64_t absolute_timeout;   /* seconds since sign-in (default 12 h) */
};

extern const struct auth_config auth_default_config;

enum sign_in_result {
    SIGN_IN_OK = 0,
    SIGN_IN_BAD,        /* unknown user, wrong password or disabled: one answer */
    SIGN_IN_WAIT,       /* too soon after a failure; *wait says how long */
    SIGN_IN_LOCKED,     /* too many failures; *wait says how long */
    SIGN_IN_ERROR,
    SIGN_IN_SECOND_FACTOR,  /* password right; a code is needed: out->cookie
                               holds the pending sign-in (no rights at all) */
    SIGN_IN_RESTART     /* the pending sign-in is unknown or too old */
};

/* How long a pending sign-in waits for its code, and how many wrong codes
 * it takes before the password must be given again. */
#define SIGN_IN_PENDING_SECONDS 300
#define SIGN_IN_PENDING_ATTEMPTS 5

struct session_info {
    char cookie[65];        /* the value to set (only after sign-in) */
    char csrf[65];
    int64_t user_id;
    char username[64];
    char display_name[128];
    char handle[33];        /* the session's public name (lists, revoking) */
    bool must_enrol;        /* a role requires a second factor not yet set up:
                               the session may only set one up (no grants) */
    struct principal who;
};

/* No policy: it establishes who the user is.  Returns SIGN_IN_OK with out filled (a new
 * session, its cookie and principal), SIGN_IN_SECOND_FACTOR, or SIGN_IN_BAD for an unknown
 * user, a wrong password and a disabled account alike (no answer tells them apart); throttled
 * per user name and per address (SIGN_IN_WAIT, SIGN_IN_LOCKED with *wait). */
/* Counts one guess at the signed-in user's own password (the password
 * change page) exactly as a sign-in is counted: under a key of its own for
 * the user and the address's key, before it is checked.  SIGN_IN_OK with
 * the count committed (go on and check it), or SIGN_IN_WAIT / SIGN_IN_LOCKED
 * with *wait, or SIGN_IN_ERROR.  svc_auth_guess_right clears the user's
 * count once the password was right. */
enum sign_in_result svc_auth_count_guess(struct store *db, const struct auth_config *cfg, int64_t user_id,
                                         const char *remote_addr, int64_t now, int64_t *wait);
void svc_auth_guess_right(struct store *db, int64_t user_id, const char *remote_addr, int64_t now);

enum sign_in_result svc_sign_in(struct store *db, const struct auth_config *cfg,
                                const char *username, const char *password,
                                const char *remote_addr, int64_t now,
                                struct session_info *out, int64_t *wait);

/* The second step: a code (or recovery code) for the pending sign-in
 * whose cookie value is pending.  Throttled like passwords, per user and
 * per address.  *recovery says a recovery code was spent. */
enum sign_in_result svc_sign_in_code(struct store *db, const struct auth_config *cfg,
                                     const char *pending, const char *code, const char *remote_addr,
                                     int64_t now, struct session_info *out, int64_t *wait,
                                     bool *recovery);
/* Forgets a pending sign-in (cancel, or a new password attempt). */
void svc_sign_in_cancel(struct store *db, const char *pending);

enum session_result { SESSION_OK = 0, SESSION_NONE, SESSION_EXPIRED, SESSION_ERROR };
/* Finds the live session for a cookie value, ending it if it has expired or
 * its user is disabled. */
enum session_result svc_session_resume(struct store *db, const struct auth_config *cfg,
                                       const char *cookie, int64_t now, struct session_info *out);
/* The live API token (service/svc_tokens.h) sent as the value of an
 * "Authorization" header ("Bearer tas_..."): SESSION_OK with out filled as
 * for a session (no cookie, CSRF token or handle; out->who.read_only for a
 * token of scope "read") and *token_id; its use is recorded (at most once a
 * minute).  SESSION_NONE for a malformed, unknown, revoked or expired token
 * or a disabled user alike; SESSION_ERROR when the database fails. */
enum session_result svc_token_resume(struct store *db, const char *authorization, int64_t now,
                                     struct session_info *out, int64_t *token_id);
/* Ends the session of that cookie value, if any. */
void svc_sign_out(struct store *db, const char *cookie);

#endif
