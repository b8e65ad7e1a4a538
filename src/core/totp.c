#include "core/totp.h"

#include <string.h>

/* ---- SHA-1 (RFC 3174) -------------------------------------------------- */

struct sha1_ctx {
    uint32_t h[5];
    uint64_t len;              /* bytes so far */
    unsigned char block[64];
    size_t used;
};

static uint32_t rol(uint32_t x, int n)
{
    return (x << n) | (x >> (32 - n));
}

static void sha1_block(uint32_t h[5], const unsigned char *p)
{
    uint32_t w[80];
    for (int i = 0; i < 16; i++)
        w[i] = (uint32_t)p[4 * i] << 24 | (uint32_t)p[4 * i + 1] << 16 | (uint32_t)p[4 * i + 2] << 8 |
               (uint32_t)p[4 * i + 3];
    for (int i = 16; i < 80; i++)
        w[i] = rol(w[i - 3] ^ w[i - 8] ^ w[i - 14] ^ w[i - 16], 1);
    uint32_t a = h[0], b = h[1], c = h[2], d = h[3], e = h[4];
    for (int i = 0; i < 80; i++) {
        uint32_t f, k;
        if (i < 20) {
            f = (b & c) | (~b & d);
            k = 0x5A827999u;
        } else if (i < 40) {
            f = b ^ c ^ d;
            k = 0x6ED9EBA1u;
        } else if (i < 60) {
            f = (b & c) | (b & d) | (c & d);
            k = 0x8F1BBCDCu;
        } else {
            f = b ^ c ^ d;
            k = 0xCA62C1D6u;
        }
        uint32_t t = rol(a, 5) + f + e + k + w[i];
        e = d;
        d = c;
        c = rol(b, 30);
        b = a;
        a = t;
    }
    h[0] += a, h[1] += b, h[2] += c, h[3] += d, h[4] += e;
}

static void sha1_init(struct sha1_ctx *c)
{
    static const uint32_t iv[5] = {0x67452301u, 0xEFCDAB89u, 0x98BADCFEu, 0x10325476u, 0xC3D2E1F0u};
    memcpy(c->h, iv, sizeof iv);
    c->len = 0;
    c->used = 0;
}

static void sha1_update(struct sha1_ctx *c, const unsigned char *p, size_t n)
{
    c->len += n;
    while (n > 0) {
        size_t take = 64 - c->used < n ? 64 - c->used : n;
        memcpy(c->block + c->used, p, take);
        c->used += take;
        p += take;
        n -= take;
        if (c->used == 64) {
            sha1_block(c->h, c->block);
            c->used = 0;
        }
    }
}

static void sha1_final(struct sha1_ctx *c, unsigned char out[SHA1_BYTES])
{
    uint64_t bits = c->len * 8;
    unsigned char pad = 0x80;
    sha1_update(c, &pad, 1);
    unsigned char zero = 0;
    while (c->used != 56)
        sha1_update(c, &zero, 1);
    unsigned char lenb[8];
    for (int i = 0; i < 8; i++)
        lenb[i] = (unsigned char)(bits >> (56 - 8 * i));
    sha1_update(c, lenb, 8);
    for (int i = 0; i < 5; i++) {
        out[4 * i] = (unsigned char)(c->h[i] >> 24);
        out[4 * i + 1] = (unsigned char)(c->h[i] >> 16);
        out[4 * i + 2] = (unsigned char)(c->h[i] >> 8);
        out[4 * i + 3] = (unsigned char)c->h[i];
    }
    memset(c, 0, sizeof *c);
}

void sha1(const unsigned char *msg, size_t n, unsigned char out[SHA1_BYTES])
{
    struct sha1_ctx c;
    sha1_init(&c);
    sha1_update(&c, msg, n);
    sha1_final(&c, out);
}

/* ---- HMAC (RFC 2104) --------------------------------------------------- */

void hmac_sha1(const unsigned char *key, size_t keylen, const unsigned char *msg, size_t n,
               unsigned char out[SHA1_BYTES])
{
    unsigned char k[64] = {0}, pad[64], inner[SHA1_BYTES];
    if (keylen > 64)
        sha1(key, keylen, k);
    else
        memcpy(k, key, keylen);
    struct sha1_ctx c;
    for (int i = 0; i < 64; i++)
        pad[i] = k[i] ^ 0x36;
    sha1_init(&c);
    sha1_update(&c, pad, 64);
    sha1_update(&c, msg, n);
    sha1_final(&c, inner);
    for (int i = 0; i < 64; i++)
        pad[i] = k[i] ^ 0x5c;
    sha1_init(&c);
    sha1_update(&c, pad, 64);
    sha1_update(&c, inner, sizeof inner);
    sha1_final(&c, out);
    memset(k, 0, sizeof k);
    memset(pad, 0, sizeof pad);
}

/* ---- HOTP / TOTP ------------------------------------------------------- */

uint32_t hotp(const unsigned char *key, size_t keylen, uint64_t counter, int digits)
{
    unsigned char msg[8], mac[SHA1_BYTES];
    for (int i = 0; i < 8; i++)
        msg[i] = (unsigned char)(counter >> (56 - 8 * i));
    hmac_sha1(key, keylen, msg, sizeof msg, mac);
    /* Dynamic truncation (RFC 4226 section 5.3). */
    int off = mac[SHA1_BYTES - 1] & 0x0f;
    uint32_t bin = (uint32_t)(mac[off] & 0x7f) << 24 | (uint32_t)mac[off + 1] << 16 |
                   (uint32_t)mac[off + 2] << 8 | (uint32_t)mac[off + 3];
    uint32_t mod = 1;
    if (digits < 6)
        digits = 6;
    if (digits > 8)
        digits = 8;
    for (int i = 0; i < digits; i++)
        mod *= 10;
    return bin % mod;
}

int64_t totp_step(int64_t unix_time)
{
    return unix_time < 0 ? 0 : unix_time / TOTP_STEP;
}

bool totp_verify(const unsigned char *key, size_t keylen, const char *code, int64_t now,
                 int64_t last_step, int64_t *matched)
{
    uint32_t want = 0;
    int nd = 0;
    if (!code)
        return false;
    for (const char *p = code; *p; p++) {
        if (*p == ' ')
            continue;
        if (*p < '0' || *p > '9' || ++nd > TOTP_DIGITS)
            return false;
        want = want * 10 + (uint32_t)(*p - '0');
    }
    if (nd != TOTP_DIGITS)
        return false;
    int64_t step = totp_step(now);
    bool found = false;
    /* Every step in the window is computed, match or not, so the time taken
     * does not say which step matched. */
    for (int64_t s = step - TOTP_WINDOW; s <= step + TOTP_WINDOW; s++) {
        if (s < 0)
            continue;
        uint32_t v = hotp(key, keylen, (uint64_t)s, TOTP_DIGITS);
        if (v == want && s > last_step && !found) {
            found = true;
            *matched = s;
        }
    }
    return found;
}

/* ---- Base32 (RFC 4648 section 6) ---------------------------------------- */

static const char b32[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

size_t base32_len(size_t n)
{
    return (n * 8 + 4) / 5;
}

void base32_encode(const unsigned char *in, size_t n, char *out)
{
    uint32_t acc = 0;
    int bits = 0;
    size_t o = 0;
    for (size_t i = 0; i < n; i++) {
        acc = (acc << 8) | in[i];
        bits += 8;
        while (bits >= 5) {
            out[o++] = b32[(acc >> (bits - 5)) & 31];
            bits -= 5;
        }
    }
    if (bits > 0)
        out[o++] = b32[(acc << (5 - bits)) & 31];
    out[o] = '\0';
}

int base32_decode(const char *in, unsigned char *out, size_t outsz)
{
    uint32_t acc = 0;
    int bits = 0;
    size_t o = 0;
    for (const char *p = in; *p; p++) {
        char ch = *p;
        if (ch == ' ' || ch == '-' || ch == '=')
            continue;
        if (ch >= 'a' && ch <= 'z')
            ch = (char)(ch - 'a' + 'A');
        const char *hit = ch ? strchr(b32, ch) : NULL;
        if (!hit)
            return -1;
        acc = (acc << 5) | (uint32_t)(hit - b32);
        bits += 5;
        if (bits >= 8) {
            if (o >= outsz)
                return -1;
            out[o++] = (unsigned char)(acc >> (bits - 8));
            bits -= 8;
        }
    }
    return (int)o;
}
