#include "service/svc_account.h"

#include <ctype.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "core/totp.h"
#include "service/password.h"
#include "service/secrets.h"
#include "service/svc_auth.h"
#include "store/q_account.h"
#include "service/svc_users.h"
#include "store/q_users.h"

/* ---- the secret at rest ------------------------------------------------ */

#define BOX_BYTES (crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES + TOTP_SECRET_BYTES)
_Static_assert(BOX_BYTES * 2 + 1 <= sizeof ((struct totp_row *)0)->secret_box, "box too big");

static int seal(const unsigned char secret[TOTP_SECRET_BYTES], char *hex, size_t hexsz)
{
    const unsigned char *key = secrets_key(SECRET_TOTP);
    if (!key)
        return -1;
    unsigned char box[BOX_BYTES];
    randombytes_buf(box, crypto_secretbox_NONCEBYTES);
    crypto_secretbox_easy(box + crypto_secretbox_NONCEBYTES, secret, TOTP_SECRET_BYTES, box, key);
    sodium_bin2hex(hex, hexsz, box, sizeof box);
    return 0;
}

static int unseal(const char *hex, unsigned char secret[TOTP_SECRET_BYTES])
{
    const unsigned char *key = secrets_key(SECRET_TOTP);
    unsigned char box[BOX_BYTES];
    size_t n = 0;
    if (!key || sodium_hex2bin(box, sizeof box, hex, strlen(hex), NULL, &n, NULL) != 0 || n != sizeof box)
        return -1;
    return crypto_secretbox_open_easy(secret, box + crypto_secretbox_NONCEBYTES,
                                      sizeof box - crypto_secretbox_NONCEBYTES, box, key);
}

/* ---- recovery codes ---------------------------------------------------- */

/* No 0/o, 1/l/i: easy to read back from paper. */
static const char code_alphabet[] = "abcdefghjkmnpqrstuvwxyz23456789";

static void new_recovery_code(recovery_code out)
{
    for (int i = 0, o = 0; i < 10; i++) {
        if (i == 5)
            out[o++] = '-';
        out[o++] = code_alphabet[randombytes_uniform(sizeof code_alphabet - 1)];
    }
    out[RECOVERY_CODE_LEN] = '\0';
}

/* The hash kept: of the code as typed, lower case, without spaces or dashes.
 * The codes hold about 50 random bits, so a plain hash is enough. */
static bool recovery_hash(const char *typed, char out[65])
{
    char norm[16];
    size_t n = 0;
    for (const char *p = typed; *p; p++) {
        if (*p == '-' || *p == ' ')
            continue;
        if (n + 1 >= sizeof norm)
            return false;
        norm[n++] = (char)tolower((unsigned char)*p);
    }
    norm[n] = '\0';
    if (n != 10)
        return false;
    sha256_hex(norm, out);
    return true;
}

static bool looks_like_totp(const char *code)
{
    int digits = 0;
    for (const char *p = code; *p; p++) {
        if (*p == ' ')
            continue;
        if (!isdigit((unsigned char)*p))
            return false;
        digits++;
    }
    return digits == TOTP_DIGITS;
}

int svc_second_factor_check(struct store *db, int64_t user_id, const char *code, int64_t now,
                            bool *recovery)
{
    *recovery = false;
    if (!code || !*code || strlen(code) > 40)
        return 0;
    struct totp_row t;
    enum store_rc rc = q_totp_get(db, user_id, &t);
    if (rc == STORE_DONE || (rc == STORE_ROW && !t.confirmed))
        return 0;
    if (rc != STORE_ROW)
        return -1;
    if (looks_like_totp(code)) {
        unsigned char secret[TOTP_SECRET_BYTES];
        if (unseal(t.secret_box, secret) != 0)
            return -1;
        int64_t step = 0;
        bool ok = totp_verify(secret, sizeof secret, code, now, t.last_step, &step);
        sodium_memzero(secret, sizeof secret);
        if (!ok)
            return 0;
        /* Recorded only if no other request used this step meanwhile. */
        rc = q_totp_use_step(db, user_id, step);
        return rc == STORE_OK ? 1 : rc == STORE_DONE ? 0 : -1;
    }
    char hash[65];
    if (!recovery_hash(code, hash))
        return 0;
    rc = q_recovery_use(db, user_id, hash, now);
    if (rc == STORE_OK) {
        *recovery = true;
        return 1;
    }
    return rc == STORE_DONE ? 0 : -1;
}

/* ---- the user's own authenticator ---------------------------------------- */

static bool signed_in(const struct svc_ctx *c)
{
    return c->who && c->who->user_id > 0;
}

enum svc_status svc_totp_status(struct svc_ctx *c, struct totp_status *out)
{
    memset(out, 0, sizeof *out);
    if (!signed_in(c))
        return SVC_FORBIDDEN;
    bool required = false, enrolled = false;
    if (q_totp_required(c->db, c->who->user_id, &required, &enrolled) != STORE_OK ||
        q_recovery_unused(c->db, c->who->user_id, &out->recovery_unused) != STORE_OK)
        return SVC_ERROR;
    out->enabled = enrolled;
    out->required = required;
    return SVC_OK;
}

enum svc_status svc_totp_begin(struct svc_ctx *c, struct totp_setup *out)
{
    memset(out, 0, sizeof *out);
    if (!signed_in(c))
        return SVC_FORBIDDEN;
    struct user_row u;
    if (q_user_get(c->db, c->who->user_id, &u) != STORE_ROW)
        return SVC_ERROR;
    sodium_memzero(u.password_hash, sizeof u.password_hash);
    if (store_begin_write(c->db) != STORE_OK)
        return SVC_ERROR;
    struct totp_row t;
    unsigned char secret[TOTP_SECRET_BYTES];
    enum store_rc rc = q_totp_get(c->db, u.id, &t);
    enum svc_status st = SVC_OK;
    if (rc == STORE_ROW && t.confirmed) {
        st = SVC_CONFLICT;
    } else if (rc == STORE_ROW && unseal(t.secret_box, secret) == 0) {
        /* Unfinished set-up: show the same secret again, so reloading the
         * page does not invalidate what the user already scanned. */
    } else if (rc == STORE_ROW || rc == STORE_DONE) {
        char box[sizeof t.secret_box];
        randombytes_buf(secret, sizeof secret);
        if (seal(secret, box, sizeof box) != 0 || q_totp_put_pending(c->db, u.id, box, c->now) != STORE_OK)
            st = SVC_ERROR;
    } else {
        st = SVC_ERROR;
    }
    if (st != SVC_OK || store_commit(c->db) != STORE_OK) {
        store_rollback(c->db);
        sodium_memzero(secret, sizeof secret);
        return st == SVC_OK ? SVC_ERROR : st;
    }
    char b32[40];
    base32_encode(secret, sizeof secret, b32);
    sodium_memzero(secret, sizeof secret);
    /* Grouped in fours for reading aloud or typing; apps ignore spaces. */
    size_t o = 0;
    for (size_t i = 0; b32[i] && o + 2 < sizeof out->secret; i++) {
        if (i && i % 4 == 0)
            out->secret[o++] = ' ';
        out->secret[o++] = b32[i];
    }
    out->secret[o] = '\0';
    /* Label and issuer are URL-encoded by hand: user names are [a-z0-9._-]. */
    snprintf(out->uri, sizeof out->uri,
             "otpauth://totp/Team%%20Around%%20the%%20School:%s?secret=%s&issuer=Team%%20Around%%20the%%20School"
             "&algorithm=SHA1&digits=6&period=30",
             u.username, b32);
    sodium_memzero(b32, sizeof b32);
    return SVC_OK;
}

static enum svc_status new_recovery_codes(struct svc_ctx *c, int64_t user_id, recovery_code codes[RECOVERY_CODES])
{
    char hashes[RECOVERY_CODES][65];
    const char *ptrs[RECOVERY_CODES];
    for (int i = 0; i < RECOVERY_CODES; i++) {
        new_recovery_code(codes[i]);
        recovery_hash(codes[i], hashes[i]);
        ptrs[i] = hashes[i];
    }
    return q_recovery_replace(c->db, user_id, ptrs, RECOVERY_CODES, c->now) == STORE_OK ? SVC_OK : SVC_ERROR;
}

enum svc_status svc_totp_confirm(struct svc_ctx *c, const char *code, const char *keep_handle,
                                 struct field_errors *errs, recovery_code codes[RECOVERY_CODES])
{
    if (!signed_in(c))
        return SVC_FORBIDDEN;
    int64_t uid = c->who->user_id;
    if (!code || !*code) {
        field_errors_add(errs, "code", "Enter the 6-digit code from your authenticator app");
        return SVC_INVALID;
    }
    if (store_begin_write(c->db) != STORE_OK)
        return SVC_ERROR;
    struct totp_row t;
    enum store_rc rc = q_totp_get(c->db, uid, &t);
    enum svc_status st = SVC_OK;
    unsigned char secret[TOTP_SECRET_BYTES];
    int64_t step = 0;
    if (rc == STORE_ROW && t.confirmed)
        st = SVC_CONFLICT;
    else if (rc == STORE_DONE)
        st = SVC_NOT_FOUND;
    else if (rc != STORE_ROW || unseal(t.secret_box, secret) != 0)
        st = SVC_ERROR;
    else if (!totp_verify(secret, sizeof secret, code, c->now, 0, &step)) {
        field_errors_add(errs, "code", looks_like_totp(code)
                                           ? "The code is not right. Check the time on your phone is correct and try the newest code"
                                           : "Enter the code as 6 digits");
        st = SVC_INVALID;
    }
    sodium_memzero(secret, sizeof secret);
    if (st == SVC_OK && (q_totp_confirm(c->db, uid, step, c->now) != STORE_OK ||
                         new_recovery_codes(c, uid, codes) != SVC_OK ||
                         q_session_delete_user_except(c->db, uid, keep_handle ? keep_handle : "") != STORE_OK))
        st = SVC_ERROR;
    if (st != SVC_OK || store_commit(c->db) != STORE_OK) {
        store_rollback(c->db);
        return st == SVC_OK ? SVC_ERROR : st;
    }
    return SVC_OK;
}

/* ---- the user's own password ------------------------------------------- */

enum svc_status svc_password_change(struct svc_ctx *c, const struct auth_config *cfg, const char *current,
                                    const char *fresh, const char *confirm, const char *keep_handle,
                                    struct field_errors *errs)
{
    if (!signed_in(c))
        return SVC_FORBIDDEN;
    struct user_row u;
    if (q_user_get(c->db, c->who->user_id, &u) != STORE_ROW)
        return SVC_ERROR;
    if (!current || !*current) {
        field_errors_add(errs, "current_password", "Enter your current password");
    } else {
        /* Counted before it is checked, as at sign-in. */
        int64_t wait = 0;
        enum sign_in_result r = svc_auth_count_guess(c->db, cfg, u.id, c->remote_addr, c->now, &wait);
        if (r == SIGN_IN_ERROR)
            return SVC_ERROR;
        if (r != SIGN_IN_OK) {
            char msg[96];
            snprintf(msg, sizeof msg, "Too many tries. Wait %lld second%s before trying again", (long long)wait,
                     wait == 1 ? "" : "s");
            field_errors_add(errs, "current_password", msg);
            sodium_memzero(u.password_hash, sizeof u.password_hash);
            return SVC_INVALID;
        }
        if (!password_verify(u.password_hash, current))
            field_errors_add(errs, "current_password", "Your current password is not right");
        else
            svc_auth_guess_right(c->db, u.id, c->remote_addr, c->now);
    }
    sodium_memzero(u.password_hash, sizeof u.password_hash);
    const char *msg = password_check(fresh ? fresh : "", u.username);
    if (msg)
        field_errors_add(errs, "new_password", msg);
    else if (!confirm || strcmp(confirm, fresh) != 0)
        field_errors_add(errs, "confirm_password", "The passwords do not match");
    else if (current && strcmp(current, fresh) == 0)
        field_errors_add(errs, "new_password", "Your new password must be different from your current one");
    if (errs->count)
        return SVC_INVALID;
    return svc_user_store_password(c, u.id, fresh, keep_handle ? keep_handle : "");
}

/* ---- administrators ---------------------------------------------------- */

enum svc_status svc_user_totp_status(struct svc_ctx *c, int64_t user_id, bool *enabled, bool *required)
{
    *enabled = *required = false;
    enum svc_status st = svc_user_may(c, ACT_VIEW, user_id);
    if (st != SVC_OK)
        return st;
    return svc_from_store(q_totp_required(c->db, user_id, required, enabled));
}

enum svc_status svc_user_totp_reset(struct svc_ctx *c, int64_t user_id)
{
    struct user_row u;
    enum store_rc rc = q_user_get(c->db, user_id, &u);
    if (rc != STORE_ROW)
        return svc_from_get(rc);
    enum svc_status st = svc_user_may(c, ACT_EDIT, user_id);
    if (st != SVC_OK)
        return st;
    if (store_begin_write(c->db) != STORE_OK)
        return SVC_ERROR;
    if (q_totp_delete(c->db, user_id) != STORE_OK || q_session_delete_user(c->db, user_id) != STORE_OK ||
        store_commit(c->db) != STORE_OK) {
        store_rollback(c->db);
        return SVC_ERROR;
    }
    return SVC_OK;
}

/* The authority of a grant (0 for system grants or none recorded). */
static int64_t grant_authority_of(const struct role_grant *g)
{
    if (g->scope == SCOPE_AUTHORITY)
        return g->authority_id > 0 ? g->authority_id : g->scope_id;
    return g->authority_id > 0 ? g->authority_id : 0;
}

int64_t svc_security_authority(struct svc_ctx *c, int64_t asked)
{
    if (asked > 0)
        return asked;
    if (svc_allowed(c, ACT_EDIT, RES_USER, 0, 0, 0))
        return 0;
    for (size_t i = 0; i < c->who->ngrants; i++) {
        int64_t a = grant_authority_of(&c->who->grants[i]);
        if (a > 0 && svc_allowed(c, ACT_EDIT, RES_USER, 0, a, 0))
            return a;
    }
    return -1;
}

/* Administers users somewhere: at installation level or in some authority. */
static bool administers_users(struct svc_ctx *c)
{
    return svc_security_authority(c, 0) >= 0;
}

static void mark_role(void *arg, const char *code)
{
    bool *require = arg;
    enum role r;
    if (role_from_code(code, &r) == 0)
        require[r] = true;
}

enum svc_status svc_security_get(struct svc_ctx *c, int64_t authority_id, bool require[ROLE__COUNT])
{
    memset(require, 0, sizeof(bool) * ROLE__COUNT);
    if (authority_id < 0 || !svc_allowed(c, ACT_EDIT, RES_USER, 0, authority_id, 0))
        return SVC_FORBIDDEN;
    return svc_from_store(q_role_security_list(c->db, authority_id, mark_role, require));
}

enum svc_status svc_security_set(struct svc_ctx *c, int64_t authority_id, const bool require[ROLE__COUNT])
{
    /* Authority 0 is the whole installation: system administrators only. */
    if (authority_id < 0 || !svc_allowed(c, ACT_EDIT, RES_USER, 0, authority_id, 0))
        return SVC_FORBIDDEN;
    if (store_begin_write(c->db) != STORE_OK)
        return SVC_ERROR;
    enum store_rc rc = STORE_OK;
    for (int r = 0; rc == STORE_OK && r < ROLE__COUNT; r++)
        rc = q_role_security_set(c->db, authority_id, role_code((enum role)r), require[r], c->now);
    rc = store_end_write(c->db, rc);
    if (rc != STORE_OK)
        return SVC_ERROR;
    return SVC_OK;
}

static bool session_visible(struct svc_ctx *c, const struct session_item *it)
{
    return svc_user_may(c, ACT_EDIT, it->user_id) == SVC_OK;
}

SVC_ROW_FILTER(session_filter, struct session_item, session_visible)

/* Live sessions are an administrator's tool for ending them, so seeing
 * one needs the same right as ending it: editing its user. */
enum svc_status svc_session_list(struct svc_ctx *c, const struct auth_config *cfg,
                                 void (*fn)(void *arg, const struct session_item *it), void *arg)
{
    if (!administers_users(c))
        return SVC_FORBIDDEN;
    struct session_filter f = {.c = c, .fn = fn, .arg = arg};
    return svc_from_store(q_session_list(c->db, c->now - cfg->idle_timeout,
                                         c->now - cfg->absolute_timeout, 500, session_filter_row, &f));
}

enum svc_status svc_session_revoke(struct svc_ctx *c, const char *handle)
{
    if (!administers_users(c))
        return SVC_FORBIDDEN;
    if (!handle || strlen(handle) != 32)
        return SVC_NOT_FOUND;
    for (const char *p = handle; *p; p++)
        if (!isxdigit((unsigned char)*p))
            return SVC_NOT_FOUND;
    int64_t uid = 0;
    enum store_rc rc = q_session_user(c->db, handle, &uid);
    if (rc != STORE_ROW)
        return svc_from_get(rc);
    /* A session of a user out of reach is reported as not there. */
    enum svc_status st = svc_user_may(c, ACT_EDIT, uid);
    if (st != SVC_OK)
        return st == SVC_FORBIDDEN ? SVC_NOT_FOUND : st;
    rc = q_session_revoke(c->db, handle);
    return svc_from_get(rc);
}
