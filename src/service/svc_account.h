/* Account security use cases: a user's own second factor (TOTP) and
 * password; the administrator's side: which roles must use a second
 * factor, resetting a user's authenticator, the list of live sessions.
 *
 * Self-service functions act only on the signed-in user (c->who->user_id):
 * they take no user to act on, so there is nothing for the policy to
 * decide beyond being signed in.  Everything else asks the policy. */
#ifndef TAS_SERVICE_SVC_ACCOUNT_H
#define TAS_SERVICE_SVC_ACCOUNT_H

#include "core/errors.h"
#include "core/policy.h"
#include "service/svc.h"
#include "service/svc_auth.h"
#include "store/q_sessions.h"

#define RECOVERY_CODES 10
#define RECOVERY_CODE_LEN 11        /* "abcde-fghjk" */
#define TOTP_ISSUER "Team Around the School"

struct totp_status {
    bool enabled;
    bool required;                  /* a role of the user requires it */
    int64_t recovery_unused;
};

struct totp_setup {
    char secret[48];                /* Base32, grouped in fours for reading */
    char uri[320];                  /* otpauth://totp/... for entering in an app */
};

typedef char recovery_code[RECOVERY_CODE_LEN + 1];

/* The signed-in user's own: SVC_FORBIDDEN when nobody is signed in. */
enum svc_status svc_totp_status(struct svc_ctx *c, struct totp_status *out);
/* Starts (or resumes) setting up an authenticator: SVC_CONFLICT when one
 * is already on.
 * SVC_FORBIDDEN when nobody is signed in. */
enum svc_status svc_totp_begin(struct svc_ctx *c, struct totp_setup *out);
/* Confirms set-up with a first code; on success fills codes with new
 * recovery codes, shown to the user once (only hashes are kept), and ends
 * the user's other sessions (keep_handle is the current one's): a session
 * someone else opened with the password alone does not outlive the second
 * factor.
 * SVC_FORBIDDEN when nobody is signed in; SVC_NOT_FOUND when no set-up was begun; SVC_CONFLICT
 * when already confirmed; a wrong code is a field error. */
enum svc_status svc_totp_confirm(struct svc_ctx *c, const char *code, const char *keep_handle,
                                 struct field_errors *errs, recovery_code codes[RECOVERY_CODES]);

/* 1 when code is right for the user's confirmed authenticator (a TOTP code
 * not used before, or an unused recovery code, which is then spent), 0
 * when not, -1 on error.  *recovery says which kind matched. */
int svc_second_factor_check(struct store *db, int64_t user_id, const char *code, int64_t now,
                            bool *recovery);

/* Changes the signed-in user's password (current one needed) and ends
 * their other sessions; keep_handle is the current session's.  Guesses at
 * the current password are throttled like sign-in (cfg's rules, per user
 * and per address): while held, the answer is a field error saying how
 * long to wait.
 * SVC_FORBIDDEN when nobody is signed in; a wrong current password, a mismatch or a password
 * the policy refuses are field errors. */
enum svc_status svc_password_change(struct svc_ctx *c, const struct auth_config *cfg, const char *current,
                                    const char *fresh, const char *confirm, const char *keep_handle,
                                    struct field_errors *errs);

/* Administrators. */
/* A user's second factor: *enabled (set up), *required (by a role).
 * Checks ACT_VIEW on the user (svc_user_may: SVC_FORBIDDEN). */
enum svc_status svc_user_totp_status(struct svc_ctx *c, int64_t user_id, bool *enabled, bool *required);
/* Checks ACT_EDIT on the user (svc_user_may: SVC_FORBIDDEN); a missing user: SVC_NOT_FOUND.
 * Removes the authenticator and its recovery codes. */
enum svc_status svc_user_totp_reset(struct svc_ctx *c, int64_t user_id);
/* The authority whose security settings a request acts on: asked (> 0),
 * else the first authority where the user administers users, else 0 (the
 * installation) for a system administrator. */
int64_t svc_security_authority(struct svc_ctx *c, int64_t asked);
/* Which roles must use a second factor in an authority (0: everywhere).
 * Checks ACT_EDIT on RES_USER in that authority (SVC_FORBIDDEN). */
enum svc_status svc_security_get(struct svc_ctx *c, int64_t authority_id, bool require[ROLE__COUNT]);
enum svc_status svc_security_set(struct svc_ctx *c, int64_t authority_id, const bool require[ROLE__COUNT]);
/* Live sessions, newest use first (never their ids).
 * Only for those who administer users (SVC_FORBIDDEN); lists the sessions of users they may
 * edit. */
enum svc_status svc_session_list(struct svc_ctx *c, const struct auth_config *cfg,
                                 void (*fn)(void *arg, const struct session_item *it), void *arg);
/* Only for those who administer users (SVC_FORBIDDEN); a handle unknown, malformed, or of a
 * user they may not edit: SVC_NOT_FOUND. */
enum svc_status svc_session_revoke(struct svc_ctx *c, const char *handle);

#endif
