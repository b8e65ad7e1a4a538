/* One-time passwords for the second sign-in factor: HOTP (RFC 4226) and
 * TOTP (RFC 6238) over HMAC-SHA1, which is what authenticator apps
 * implement (libsodium has no SHA-1, so a small one lives here), and the
 * Base32 (RFC 4648) form in which a secret is shown and typed.  Pure: the
 * caller supplies the time and remembers the last step used. */
#ifndef TAS_CORE_TOTP_H
#define TAS_CORE_TOTP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define SHA1_BYTES 20
#define TOTP_SECRET_BYTES 20   /* 160 bits, as RFC 4226 recommends */
#define TOTP_STEP 30           /* seconds per step */
#define TOTP_DIGITS 6
#define TOTP_WINDOW 1          /* steps either side of now accepted (clock drift) */

void sha1(const unsigned char *msg, size_t n, unsigned char out[SHA1_BYTES]);
void hmac_sha1(const unsigned char *key, size_t keylen, const unsigned char *msg, size_t n,
               unsigned char out[SHA1_BYTES]);

/* The HOTP value for counter, as a number below 10^digits (digits 6..8). */
uint32_t hotp(const unsigned char *key, size_t keylen, uint64_t counter, int digits);
/* The TOTP step of a Unix time. */
int64_t totp_step(int64_t unix_time);

/* Checks a typed code (6 digits; spaces ignored) against the steps within
 * TOTP_WINDOW of now.  A step at or before last_step is refused, so one
 * code cannot be used twice (nor an older one after a newer).  On success
 * returns true and sets *matched to the step to remember. */
bool totp_verify(const unsigned char *key, size_t keylen, const char *code, int64_t now,
                 int64_t last_step, int64_t *matched);

/* Base32 without padding, upper case.  out needs base32_len(n)+1 bytes. */
size_t base32_len(size_t n);
void base32_encode(const unsigned char *in, size_t n, char *out);
/* Decodes Base32 (either case; spaces, dashes and '=' padding ignored).
 * Returns the byte count, or -1 on a bad character or if out is too small. */
int base32_decode(const char *in, unsigned char *out, size_t outsz);

#endif
