/* SHA-1, HMAC-SHA1, HOTP, TOTP and Base32 against the published vectors:
 * RFC 3174 (SHA-1), RFC 2202 (HMAC-SHA1), RFC 4226 appendix D (HOTP),
 * RFC 6238 appendix B (TOTP, SHA-1 rows), RFC 4648 section 10 (Base32). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "core/totp.h"
#include "lib/count.h"

static void hex(const unsigned char *b, size_t n, char *out)
{
    for (size_t i = 0; i < n; i++)
        sprintf(out + 2 * i, "%02x", b[i]);
}

static void check_sha1(const char *msg, size_t repeat, const char *want)
{
    size_t n = strlen(msg);
    unsigned char *all = malloc(n * repeat + 1);
    assert_non_null(all);
    for (size_t i = 0; i < repeat; i++)
        memcpy(all + i * n, msg, n);
    unsigned char d[SHA1_BYTES];
    char h[41];
    sha1(all, n * repeat, d);
    hex(d, sizeof d, h);
    assert_string_equal(h, want);
    free(all);
}

static void sha1_rfc3174(void **state)
{
    (void)state;
    check_sha1("abc", 1, "a9993e364706816aba3e25717850c26c9cd0d89d");
    check_sha1("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", 1,
               "84983e441c3bd26ebaae4aa1f95129e5e54670f1");
    check_sha1("a", 1000000, "34aa973cd4c4daa4f61eeb2bdbad27316534016f");
    check_sha1("01234567012345670123456701234567""01234567012345670123456701234567", 10,
               "dea356a2cddd90c7a7ecedc5ebb563934f460452");
    check_sha1("", 1, "da39a3ee5e6b4b0d3255bfef95601890afd80709");
}

static void check_hmac(const unsigned char *key, size_t kn, const char *msg, const char *want)
{
    unsigned char d[SHA1_BYTES];
    char h[41];
    hmac_sha1(key, kn, (const unsigned char *)msg, strlen(msg), d);
    hex(d, sizeof d, h);
    assert_string_equal(h, want);
}

static void hmac_rfc2202(void **state)
{
    (void)state;
    unsigned char k[80];
    memset(k, 0x0b, 20);
    check_hmac(k, 20, "Hi There", "b617318655057264e28bc0b6fb378c8ef146be00");
    check_hmac((const unsigned char *)"Jefe", 4, "what do ya want for nothing?",
               "effcdf6ae5eb2fa2d27416d5f184df9c259a7c79");
    memset(k, 0xaa, 80);
    check_hmac(k, 80, "Test Using Larger Than Block-Size Key - Hash Key First",
               "aa4ae5e15272d00e95705637ce8a3b55ed402112");
    check_hmac(k, 80, "Test Using Larger Than Block-Size Key and Larger Than One Block-Size Data",
               "e8e99d0f45237d786d6bbaa7965c7808bbff1a91");
}

static const unsigned char rfc_key[] = "12345678901234567890";

static void hotp_rfc4226(void **state)
{
    (void)state;
    static const uint32_t want[10] = {755224, 287082, 359152, 969429, 338314,
                                      254676, 287922, 162583, 399871, 520489};
    for (uint64_t c = 0; c < 10; c++)
        assert_int_equal(hotp(rfc_key, 20, c, 6), want[c]);
}

static void totp_rfc6238(void **state)
{
    (void)state;
    static const struct { int64_t t; uint32_t code; } v[] = {
        {59, 94287082}, {1111111109, 7081804}, {1111111111, 14050471},
        {1234567890, 89005924}, {2000000000, 69279037}, {20000000000LL, 65353130},
    };
    for (size_t i = 0; i < COUNT(v); i++)
        assert_int_equal(hotp(rfc_key, 20, (uint64_t)totp_step(v[i].t), 8), v[i].code);
}

static void code_at(int64_t t, char out[8])
{
    snprintf(out, 8, "%06u", (unsigned)hotp(rfc_key, 20, (uint64_t)totp_step(t), 6));
}

static void verify_window_and_replay(void **state)
{
    (void)state;
    int64_t now = 1111111111, m = 0;
    char c[8];
    code_at(now, c);
    assert_true(totp_verify(rfc_key, 20, c, now, 0, &m));
    assert_int_equal(m, totp_step(now));
    /* The same step again is refused, and so is an older one. */
    assert_false(totp_verify(rfc_key, 20, c, now, m, &m));
    code_at(now - 30, c);
    assert_false(totp_verify(rfc_key, 20, c, now, totp_step(now), &m));
    /* One step either side is accepted; two is not. */
    assert_true(totp_verify(rfc_key, 20, c, now, 0, &m));
    code_at(now + 30, c);
    assert_true(totp_verify(rfc_key, 20, c, now, 0, &m));
    code_at(now + 60, c);
    assert_false(totp_verify(rfc_key, 20, c, now, 0, &m));
    code_at(now - 60, c);
    assert_false(totp_verify(rfc_key, 20, c, now, 0, &m));
    /* Shape: six digits, spaces allowed, nothing else. */
    code_at(now, c);
    char spaced[10] = {c[0], c[1], c[2], ' ', c[3], c[4], c[5], 0};
    assert_true(totp_verify(rfc_key, 20, spaced, now, 0, &m));
    assert_false(totp_verify(rfc_key, 20, "12345", now, 0, &m));
    assert_false(totp_verify(rfc_key, 20, "1234567", now, 0, &m));
    assert_false(totp_verify(rfc_key, 20, "12a456", now, 0, &m));
    assert_false(totp_verify(rfc_key, 20, "", now, 0, &m));
    assert_false(totp_verify(rfc_key, 20, NULL, now, 0, &m));
}

static void base32_rfc4648(void **state)
{
    (void)state;
    static const char *const in[] = {"", "f", "fo", "foo", "foob", "fooba", "foobar"};
    static const char *const out[] = {"", "MY", "MZXQ", "MZXW6", "MZXW6YQ", "MZXW6YTB", "MZXW6YTBOI"};
    for (size_t i = 0; i < 7; i++) {
        char enc[32];
        unsigned char dec[32];
        size_t n = strlen(in[i]);
        base32_encode((const unsigned char *)in[i], n, enc);
        assert_string_equal(enc, out[i]);
        assert_int_equal(base32_len(n), strlen(out[i]));
        assert_int_equal(base32_decode(out[i], dec, sizeof dec), (int)n);
        assert_memory_equal(dec, in[i], n);
    }
    unsigned char dec[32];
    assert_int_equal(base32_decode("mzxw 6ytb-oi======", dec, sizeof dec), 6);
    assert_memory_equal(dec, "foobar", 6);
    assert_int_equal(base32_decode("MZXW1", dec, sizeof dec), -1);   /* 1 is not Base32 */
    assert_int_equal(base32_decode("MZXW6YTBOI", dec, 3), -1);      /* too small */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(sha1_rfc3174),
        cmocka_unit_test(hmac_rfc2202),
        cmocka_unit_test(hotp_rfc4226),
        cmocka_unit_test(totp_rfc6238),
        cmocka_unit_test(verify_window_and_replay),
        cmocka_unit_test(base32_rfc4648),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
