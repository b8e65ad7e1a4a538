#include "service/svc_auth.h"

#include <ctype.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "service/password.h"
#include "service/svc_account.h"
#include "service/svc_tokens.h"
#include "service/svc_users.h"
#include "store/q_account.h"
#include "store/q_sessions.h"
#include "store/q_tokens.h"

const struct auth_config auth_default_config = {
    .throttle = {3, 60, 10, 900, 1},
    .idle_timeout = 30 * 60,
    .absolute_timeout = 12 * 60 * 60,
};

/* Throttle keys: the name as typed (folded) whether or not it exists, and
 * the remote address with a looser limit (a school may share one). */
static void throttle_keys(const char *username, const char *addr, char ukey[80], char akey[80])
{
    size_t i = 0;
    ukey[i++] = 'u';
    ukey[i++] = ':';
    for (const char *p = username; *p && i < 79; p++)
        ukey[i++] = (char)tolower((unsigned char)*p);
    ukey[i] = '\0';
    snprintf(akey, 80, "a:%.70s", addr ? addr : "");
}

static enum throttle_verdict check_key(struct store *db, const char *key, int64_t now,
                                       struct throttle_state *st, int64_t *wait)
{
    struct throttle_row r;
    if (q_throttle_get(db, key, &r) == STORE_ERROR)
        return THROTTLE_ALLOW;   /* fail open on a read error; the password is still checked */
    st->failures = r.failures;
    st->next_attempt_at = r.next_attempt_at;
    st->locked_until = r.locked_until;
    st->last_failure = r.updated_at;
    return throttle_check(st, now, wait);
}

static void record_failure(struct store *db, const struct throttle_rules *rules, const char *key,
                           struct throttle_state *st, int64_t now)
{
    throttle_fail(rules, st, now);
    struct throttle_row r = {st->failures, st->next_attempt_at, st->locked_until, now};
    (void)q_throttle_put(db, key, &r, now);
}

/* A success is not a failure: takes back the attempt counted for the
 * address before the check, leaving its other failures (and any delay in
 * force) as they are.  Without this, every sign-in from a school's shared
 * address would count towards that address's delays and lock. */
static enum store_rc forgive_one(struct store *db, const char *key, int64_t now)
{
    struct throttle_row r;
    enum store_rc rc = q_throttle_get(db, key, &r);
    if (rc == STORE_DONE || (rc == STORE_ROW && r.failures <= 0))
        return STORE_OK;
    if (rc != STORE_ROW)
        return rc;
    r.failures--;
    return q_throttle_put(db, key, &r, r.updated_at ? r.updated_at : now);
}

static int new_session(struct store *db, int64_t user_id, const char *addr, int64_t now,
                       struct session_info *out)
{
    struct session_row r;
    memset(&r, 0, sizeof r);
    random_hex(out->cookie, 32);
    random_hex(out->csrf, 32);
    random_hex(out->handle, 16);
    memcpy(r.handle, out->handle, sizeof r.handle);
    sha256_hex(out->cookie, r.id_hash);
    memcpy(r.csrf_token, out->csrf, sizeof r.csrf_token);
    r.user_id = user_id;
    r.created_at = r.last_seen_at = now;
    return q_session_insert(db, &r, addr) == STORE_OK ? 0 : -1;
}

/* Fills out for a user whose session was just made: names, and the
 * grants, withheld while a second factor must still be set up. */
static int finish_sign_in(struct store *db, const struct user_row *u, struct session_info *out)
{
    out->user_id = u->id;
    snprintf(out->username, sizeof out->username, "%s", u->username);
    snprintf(out->display_name, sizeof out->display_name, "%s", u->display_name);
    if (svc_principal_load(db, u->id, &out->who) != SVC_OK)
        return -1;
    bool required = false, enrolled = false;
    if (q_totp_required(db, u->id, &required, &enrolled) != STORE_OK)
        return -1;
    out->must_enrol = required && !enrolled;
    if (out->must_enrol)
        out->who.ngrants = 0;
    return 0;
}

/* Every attempt is counted as a failure before it is checked, under the
 * write lock, and the count is cleared only on success: so guesses sent in
 * parallel are throttled exactly like guesses in turn.  Counts one attempt
 * under key (a user name's, or a user's codes') and the address's key
 * (allowed five times as many).  SIGN_IN_OK with the write transaction
 * still open for the caller to commit; else it is rolled back and the
 * answer is WAIT or LOCKED (with *wait) or ERROR. */
static enum sign_in_result count_attempt(struct store *db, const struct auth_config *cfg, const char *key,
                                         const char *akey, int64_t now, int64_t *wait)
{
    struct throttle_state ks = {0, 0, 0, 0}, as = {0, 0, 0, 0};
    struct throttle_rules addr_rules = cfg->throttle;
    addr_rules.free_failures *= 5;
    addr_rules.lock_after *= 5;
    if (store_begin_write(db) != STORE_OK)
        return SIGN_IN_ERROR;
    int64_t w1 = 0, w2 = 0;
    enum throttle_verdict v1 = check_key(db, key, now, &ks, &w1);
    enum throttle_verdict v2 = check_key(db, akey, now, &as, &w2);
    if (v1 != THROTTLE_ALLOW || v2 != THROTTLE_ALLOW) {
        store_rollback(db);
        *wait = w1 > w2 ? w1 : w2;
        return v1 == THROTTLE_LOCKED || v2 == THROTTLE_LOCKED ? SIGN_IN_LOCKED : SIGN_IN_WAIT;
    }
    record_failure(db, &cfg->throttle, key, &ks, now);
    record_failure(db, &addr_rules, akey, &as, now);
    return SIGN_IN_OK;
}

enum sign_in_result svc_auth_count_guess(struct store *db, const struct auth_config *cfg, int64_t user_id,
                                         const char *remote_addr, int64_t now, int64_t *wait)
{
    char key[80], akey[80], ignored[80];
    snprintf(key, sizeof key, "c:%lld", (long long)user_id);
    throttle_keys("", remote_addr, ignored, akey);
    enum sign_in_result r = count_attempt(db, cfg, key, akey, now, wait);
    if (r == SIGN_IN_OK && store_commit(db) != STORE_OK) {
        store_rollback(db);
        return SIGN_IN_ERROR;
    }
    return r;
}

void svc_auth_guess_right(struct store *db, int64_t user_id, const char *remote_addr, int64_t now)
{
    char key[80], akey[80], ignored[80];
    snprintf(key, sizeof key, "c:%lld", (long long)user_id);
    throttle_keys("", remote_addr, ignored, akey);
    if (store_begin_write(db) != STORE_OK)
        return;
    if (q_throttle_clear(db, key) != STORE_OK || forgive_one(db, akey, now) != STORE_OK || store_commit(db) != STORE_OK)
        store_rollback(db);
}

enum sign_in_result svc_sign_in(struct store *db, const struct auth_config *cfg,
                                const char *username, const char *password,
                                const char *remote_addr, int64_t now,
                                struct session_info *out, int64_t *wait)
{
    char ukey[80], akey[80];
    throttle_keys(username, remote_addr, ukey, akey);
    *wait = 0;
    enum sign_in_result counted = count_attempt(db, cfg, ukey, akey, now, wait);
    if (counted != SIGN_IN_OK)
        return counted;
    if (store_commit(db) != STORE_OK) {
        store_rollback(db);
        return SIGN_IN_ERROR;
    }

    struct user_row u;
    char folded[64];
    size_t n = strlen(username);
    if (n >= sizeof folded)
        n = sizeof folded - 1;
    for (size_t i = 0; i < n; i++)
        folded[i] = (char)tolower((unsigned char)username[i]);
    folded[n] = '\0';
    enum store_rc rc = q_user_by_username(db, folded, &u);
    if (rc == STORE_ERROR || rc == STORE_BUSY)
        return SIGN_IN_ERROR;
    bool ok;
    if (rc == STORE_ROW) {
        ok = password_verify(u.password_hash, password) && !u.disabled;
    } else {
        password_verify_dummy(password);
        ok = false;
    }
    sodium_memzero(u.password_hash, sizeof u.password_hash);
    if (!ok)
        return SIGN_IN_BAD;   /* already counted */

    memset(out, 0, sizeof *out);
    bool required = false, enrolled = false;
    if (q_totp_required(db, u.id, &required, &enrolled) != STORE_OK)
        return SIGN_IN_ERROR;
    if (store_begin_write(db) != STORE_OK)
        return SIGN_IN_ERROR;
    /* Success clears the name's count but not the address's: otherwise one
     * real account could wipe the count between guesses at other names.
     * The address's count is forgotten after a quiet spell instead. */
    int made;
    if (enrolled) {
        /* Half-way: a pending sign-in, which grants nothing, until the code. */
        char hash[65];
        random_hex(out->cookie, 32);
        sha256_hex(out->cookie, hash);
        made = q_pending_purge(db, now - SIGN_IN_PENDING_SECONDS) == STORE_OK &&
               q_pending_insert(db, hash, u.id, now) == STORE_OK ? 0 : -1;
    } else {
        made = new_session(db, u.id, remote_addr, now, out);
    }
    if (q_throttle_clear(db, ukey) != STORE_OK || forgive_one(db, akey, now) != STORE_OK || made != 0 ||
        store_commit(db) != STORE_OK) {
        store_rollback(db);
        return SIGN_IN_ERROR;
    }
    if (enrolled)
        return SIGN_IN_SECOND_FACTOR;
    return finish_sign_in(db, &u, out) == 0 ? SIGN_IN_OK : SIGN_IN_ERROR;
}

/* The account behind a pending sign-in, a session or an API token, when
 * it is still there and enabled: 1 (its password hash wiped: none of them
 * needs it), 0 when gone or disabled, -1 on storage failure. */
static int active_user(struct store *db, int64_t user_id, struct user_row *u)
{
    enum store_rc rc = q_user_get(db, user_id, u);
    if (rc != STORE_ROW && rc != STORE_DONE)
        return -1;
    if (rc == STORE_DONE || u->disabled)
        return 0;
    sodium_memzero(u->password_hash, sizeof u->password_hash);
    return 1;
}

enum sign_in_result svc_sign_in_code(struct store *db, const struct auth_config *cfg,
                                     const char *pending, const char *code, const char *remote_addr,
                                     int64_t now, struct session_info *out, int64_t *wait,
                                     bool *recovery)
{
    *wait = 0;
    *recovery = false;
    if (!pending || strlen(pending) != 64)
        return SIGN_IN_RESTART;
    char phash[65];
    sha256_hex(pending, phash);
    struct pending_row p;
    enum store_rc rc = q_pending_get(db, phash, &p);
    if (rc == STORE_DONE)
        return SIGN_IN_RESTART;
    if (rc != STORE_ROW)
        return SIGN_IN_ERROR;
    if (now - p.created_at > SIGN_IN_PENDING_SECONDS || p.attempts >= SIGN_IN_PENDING_ATTEMPTS) {
        (void)q_pending_delete(db, phash);
        return SIGN_IN_RESTART;
    }
    /* Throttled like passwords (counted first, cleared on success), under a
     * key of its own so a right password does not clear the code's count. */
    char tkey[80], akey[80], ignored[80];
    snprintf(tkey, sizeof tkey, "t:%lld", (long long)p.user_id);
    throttle_keys("", remote_addr, ignored, akey);
    enum sign_in_result counted = count_attempt(db, cfg, tkey, akey, now, wait);
    if (counted != SIGN_IN_OK)
        return counted;
    if (q_pending_attempt(db, phash) != STORE_OK || store_commit(db) != STORE_OK) {
        store_rollback(db);
        return SIGN_IN_ERROR;
    }

    struct user_row u;
    int active = active_user(db, p.user_id, &u);
    if (active < 0)
        return SIGN_IN_ERROR;
    if (!active) {
        (void)q_pending_delete(db, phash);
        return SIGN_IN_RESTART;
    }
    int ok = svc_second_factor_check(db, u.id, code, now, recovery);
    if (ok < 0)
        return SIGN_IN_ERROR;
    if (ok == 0)
        return SIGN_IN_BAD;
    memset(out, 0, sizeof *out);
    if (store_begin_write(db) != STORE_OK)
        return SIGN_IN_ERROR;
    if (q_throttle_clear(db, tkey) != STORE_OK || forgive_one(db, akey, now) != STORE_OK ||
        q_pending_delete(db, phash) != STORE_OK ||
        new_session(db, u.id, remote_addr, now, out) != 0 || store_commit(db) != STORE_OK) {
        store_rollback(db);
        return SIGN_IN_ERROR;
    }
    return finish_sign_in(db, &u, out) == 0 ? SIGN_IN_OK : SIGN_IN_ERROR;
}

void svc_sign_in_cancel(struct store *db, const char *pending)
{
    if (!pending || strlen(pending) != 64)
        return;
    char hash[65];
    sha256_hex(pending, hash);
    (void)q_pending_delete(db, hash);
}

enum session_result svc_session_resume(struct store *db, const struct auth_config *cfg,
                                       const char *cookie, int64_t now, struct session_info *out)
{
    if (!cookie || strlen(cookie) != 64)
        return SESSION_NONE;
    for (const char *p = cookie; *p; p++)
        if (!isxdigit((unsigned char)*p))
            return SESSION_NONE;
    struct session_row r;
    char hash[65];
    sha256_hex(cookie, hash);
    enum store_rc rc = q_session_get(db, hash, &r);
    if (rc == STORE_DONE)
        return SESSION_NONE;
    if (rc != STORE_ROW)
        return SESSION_ERROR;
    if (now - r.last_seen_at > cfg->idle_timeout || now - r.created_at > cfg->absolute_timeout) {
        (void)q_session_delete(db, hash);
        return SESSION_EXPIRED;
    }
    struct user_row u;
    int active = active_user(db, r.user_id, &u);
    if (active < 1) {
        (void)q_session_delete(db, hash);
        return active == 0 ? SESSION_NONE : SESSION_ERROR;
    }
    memset(out, 0, sizeof *out);
    memcpy(out->csrf, r.csrf_token, sizeof out->csrf);
    memcpy(out->handle, r.handle, sizeof out->handle);
    if (finish_sign_in(db, &u, out) != 0)
        return SESSION_ERROR;
    /* Touch at most once a minute (fewer writes), but often enough that a
     * short idle timeout still sees a session in use as alive. */
    int64_t every = cfg->idle_timeout / 2 < 60 ? cfg->idle_timeout / 2 : 60;
    if (now - r.last_seen_at >= every)
        (void)q_session_touch(db, hash, now);
    return SESSION_OK;
}

enum session_result svc_token_resume(struct store *db, const char *authorization, int64_t now,
                                     struct session_info *out, int64_t *token_id)
{
    *token_id = 0;
    if (!authorization || strncasecmp(authorization, "Bearer ", 7) != 0)
        return SESSION_NONE;
    const char *t = authorization + 7;
    while (*t == ' ')
        t++;
    if (strlen(t) != API_TOKEN_LEN || strncmp(t, API_TOKEN_PREFIX, sizeof API_TOKEN_PREFIX - 1) != 0)
        return SESSION_NONE;
    for (const char *p = t + sizeof API_TOKEN_PREFIX - 1; *p; p++)
        if (!isxdigit((unsigned char)*p) || isupper((unsigned char)*p))
            return SESSION_NONE;
    char hash[65];
    sha256_hex(t, hash);
    struct api_token_row r;
    enum store_rc rc = q_token_by_hash(db, hash, &r);
    if (rc == STORE_DONE)
        return SESSION_NONE;
    if (rc != STORE_ROW)
        return SESSION_ERROR;
    bool read = strcmp(r.scope, "read") == 0;
    if (r.revoked_at || now >= r.expires_at || (!read && strcmp(r.scope, "write") != 0))
        return SESSION_NONE;
    struct user_row u;
    int active = active_user(db, r.user_id, &u);
    if (active < 1)
        return active == 0 ? SESSION_NONE : SESSION_ERROR;
    memset(out, 0, sizeof *out);
    if (finish_sign_in(db, &u, out) != 0)
        return SESSION_ERROR;
    out->who.read_only = read;
    if (now - r.last_used_at >= 60)
        (void)q_token_touch(db, r.id, now);
    *token_id = r.id;
    return SESSION_OK;
}

void svc_sign_out(struct store *db, const char *cookie)
{
    if (!cookie)
        return;
    char hash[65];
    sha256_hex(cookie, hash);
    (void)q_session_delete(db, hash);
}
