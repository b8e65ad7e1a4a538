/* libFuzzer harness: e-mail messages (src/core/email.c).  The input is cut
 * at the first 0x00 into a subject and a body (and at a second 0x00, an
 * address).
 *
 * Properties: a subject mail_encode_header accepts decodes back (RFC 2047
 * B words, whitespace between words dropped) to exactly the input, on
 * lines of at most 76 characters joined only by CRLF SPACE, with nothing
 * but printable ASCII; a message mail_build accepts has every line ended
 * by CRLF, no bare CR or LF, no line over 998 characters, and a body that
 * gives back the input's lines; an address mail_address_ok accepts has no
 * character that could end it early in a header or an SMTP command. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/email.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int b64(char c)
{
    const char *a = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    const char *p = c ? strchr(a, c) : NULL;
    return p ? (int)(p - a) : -1;
}

static void check_header(const char *in, const char *h)
{
    size_t inlen = strlen(in);
    char *out = malloc(inlen + 1);
    size_t o = 0, line = 9;
    const char *p = h;
    if (strncmp(h, "=?", 2) != 0) {
        /* Copied as it was. */
        if (strcmp(h, in) != 0)
            abort();
        free(out);
        return;
    }
    while (*p) {
        if (*p == '\r') {
            if (p[1] != '\n' || p[2] != ' ' || line > 76)
                abort();
            line = 1;
            p += 3;
            continue;
        }
        if (strncmp(p, "=?UTF-8?B?", 10) != 0)
            abort();
        const char *end = strstr(p + 10, "?=");
        if (!end || (end - p - 10) % 4)
            abort();
        line += (size_t)(end + 2 - p);
        for (const char *q = p + 10; q < end; q += 4) {
            int v[4];
            for (int k = 0; k < 4; k++) {
                v[k] = q[k] == '=' ? 0 : b64(q[k]);
                if (v[k] < 0)
                    abort();
            }
            unsigned w = (unsigned)(v[0] << 18 | v[1] << 12 | v[2] << 6 | v[3]);
            unsigned char bytes[3] = {(unsigned char)(w >> 16), (unsigned char)(w >> 8), (unsigned char)w};
            int n = q[2] == '=' ? 1 : q[3] == '=' ? 2 : 3;
            for (int k = 0; k < n; k++) {
                if (o >= inlen)
                    abort();
                out[o++] = (char)bytes[k];
            }
        }
        p = end + 2;
    }
    if (line > 76 || o != inlen || memcmp(out, in, inlen) != 0)
        abort();
    for (p = h; *p; p++)
        if ((*p < 0x20 || *p > 0x7e) && *p != '\r' && *p != '\n')
            abort();
    free(out);
}

static void check_message(const char *body, const char *msg)
{
    const char *split = strstr(msg, "\r\n\r\n");
    if (!split)
        abort();
    size_t line = 0;
    for (const char *p = msg; *p; p++) {
        if (*p == '\r') {
            if (p[1] != '\n')
                abort();
            line = 0;
            p++;
        } else if (*p == '\n') {
            abort();
        } else if (++line > MAIL_LINE_MAX) {
            abort();
        }
    }
    /* The body's lines come back, CRLF-ended. */
    const char *b = split + 4, *q = body;
    while (*q) {
        const char *nl = strchr(q, '\n');
        size_t n = nl ? (size_t)(nl - q) : strlen(q);
        size_t keep = n && q[n - 1] == '\r' ? n - 1 : n;
        if (strncmp(b, q, keep) != 0 || strncmp(b + keep, "\r\n", 2) != 0)
            abort();
        b += keep + 2;
        q += nl ? n + 1 : n;
    }
    if (*b)
        abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *s = malloc(size + 2);
    memcpy(s, data, size);
    s[size] = s[size + 1] = '\0';
    const char *subject = s;
    const char *body = s + strlen(s) + (strlen(s) < size ? 1 : 0);
    const char *addr = body + strlen(body) + ((size_t)(body + strlen(body) - s) < size ? 1 : 0);

    struct buf h = BUF_INIT;
    if (mail_encode_header(subject, 9, &h) == 0)
        check_header(subject, buf_str(&h));
    else if (h.len)
        abort();
    buf_free(&h);

    struct mail_message m = {"a@b.org", "c@d.org", subject, "<1@b.org>", 0, body, NULL, NULL};
    struct buf msg = BUF_INIT;
    if (mail_build(&m, &msg) == 0)
        check_message(body, buf_str(&msg));
    else if (msg.len)
        abort();
    buf_free(&msg);

    /* The same with the third piece as a calendar part: when built, the
     * boundary stands exactly three times (two parts and the close), so
     * nothing in either part can end a part early. */
    m.calendar = addr;
    m.calendar_method = "REQUEST";
    if (mail_build(&m, &msg) == 0) {
        size_t n = 0;
        for (const char *p = buf_str(&msg); (p = strstr(p, "\r\n--=_tas_1")) != NULL; p++)
            n++;
        if (n != 3)
            abort();
    } else if (msg.len) {
        abort();
    }
    buf_free(&msg);

    if (mail_address_ok(addr) && strpbrk(addr, " \t\r\n<>,;:\"()[]\\"))
        abort();
    free(s);
    return 0;
}
