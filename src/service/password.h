/* Password hashing (argon2id via libsodium) and the rules a new password
 * must meet (core/pwpolicy.c, with the block-list compiled in). */
#ifndef TAS_SERVICE_PASSWORD_H
#define TAS_SERVICE_PASSWORD_H

#include <stdbool.h>
#include <stddef.h>

#include "core/pwpolicy.h"

#define PASSWORD_MIN_LEN PWPOLICY_MIN_CHARS
#define PASSWORD_MAX_LEN PWPOLICY_MAX_CHARS
#define PASSWORD_HASH_MAX 160

/* Must be called once before any other function here (sodium_init). */
int password_init(void);
/* 0 ok, -1 out of memory. */
int password_hash(const char *pw, char out[PASSWORD_HASH_MAX]);
bool password_verify(const char *hash, const char *pw);
/* Spends the same effort as a real verification, for unknown user names,
 * so response times do not reveal which names exist. */
void password_verify_dummy(const char *pw);
/* NULL when acceptable, else a message for the person choosing it.
 * username (may be NULL) is the account the password is for. */
const char *password_check(const char *pw, const char *username);

/* The demonstration's password, which password_check refuses everywhere
 * but in `tas demo` (it is printed in the README). */
#define PASSWORD_DEMO "demo-password"
/* Lets password_check accept PASSWORD_DEMO in this process: `tas demo` only. */
void password_allow_demo(void);
/* Fills out with n random bytes as lower-case hex (out needs 2n+1). */
void random_hex(char *out, size_t nbytes);
/* Lower-case hex SHA-256 of s (out needs 65). */
void sha256_hex(const char *s, char out[65]);

#endif
