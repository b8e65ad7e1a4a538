#include "service/password.h"

#include <pthread.h>
#include <sodium.h>
#include <string.h>

#include "core/pwpolicy.h"
#include "lib/embedded.h"

int password_init(void)
{
    return sodium_init() < 0 ? -1 : 0;
}

int password_hash(const char *pw, char out[PASSWORD_HASH_MAX])
{
    _Static_assert(crypto_pwhash_STRBYTES <= PASSWORD_HASH_MAX, "hash buffer too small");
    return crypto_pwhash_str_alg(out, pw, strlen(pw), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                                 crypto_pwhash_MEMLIMIT_INTERACTIVE, crypto_pwhash_ALG_ARGON2ID13);
}

bool password_verify(const char *hash, const char *pw)
{
    return crypto_pwhash_str_verify(hash, pw, strlen(pw)) == 0;
}

static char dummy_hash[PASSWORD_HASH_MAX];
static pthread_once_t dummy_once = PTHREAD_ONCE_INIT;

static void make_dummy(void)
{
    char pw[33];
    random_hex(pw, 16);
    if (password_hash(pw, dummy_hash) != 0)
        dummy_hash[0] = '\0';
}

void password_verify_dummy(const char *pw)
{
    pthread_once(&dummy_once, make_dummy);
    if (dummy_hash[0])
        (void)password_verify(dummy_hash, pw);
}

static bool demo_allowed;

void password_allow_demo(void)
{
    demo_allowed = true;
}

const char *password_check(const char *pw, const char *username)
{
    if (!demo_allowed && pw && strcmp(pw, PASSWORD_DEMO) == 0)
        return "Password is the demonstration's, which everyone can read: choose another";
    /* The block-list is compiled in (tools/blocklist.mjs); a build without
     * it would accept common passwords, so refuse everything instead. */
    const struct embedded_file *f = embedded_find("build/assets/passwords.txt");
    if (!f || f->size == 0)
        return "Passwords cannot be checked at the moment. Try again later";
    return pwpolicy_check(pw, username, (const char *)f->data, f->size);
}

void random_hex(char *out, size_t nbytes)
{
    unsigned char raw[64];
    if (nbytes > sizeof raw)
        nbytes = sizeof raw;
    randombytes_buf(raw, nbytes);
    sodium_bin2hex(out, nbytes * 2 + 1, raw, nbytes);
    sodium_memzero(raw, sizeof raw);
}

void sha256_hex(const char *s, char out[65])
{
    unsigned char h[crypto_hash_sha256_BYTES];
    crypto_hash_sha256(h, (const unsigned char *)s, strlen(s));
    sodium_bin2hex(out, 65, h, sizeof h);
}
