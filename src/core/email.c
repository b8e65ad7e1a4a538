#include "core/email.h"

#include <string.h>
#include <time.h>

/* The length of the UTF-8 sequence at p (1 to 4), or 0 when it is not
 * well formed (RFC 3629: no overlong forms, no surrogates, at most
 * U+10FFFF). */
static size_t utf8_seq(const unsigned char *p)
{
    unsigned c = p[0];
    if (c < 0x80)
        return 1;
    size_t n;
    unsigned min, cp;
    if ((c & 0xE0) == 0xC0) {
        n = 2; min = 0x80; cp = c & 0x1F;
    } else if ((c & 0xF0) == 0xE0) {
        n = 3; min = 0x800; cp = c & 0x0F;
    } else if ((c & 0xF8) == 0xF0) {
        n = 4; min = 0x10000; cp = c & 0x07;
    } else {
        return 0;
    }
    for (size_t i = 1; i < n; i++) {
        if ((p[i] & 0xC0) != 0x80)
            return 0;
        cp = (cp << 6) | (p[i] & 0x3F);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
        return 0;
    return n;
}

static bool is_alnum(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

bool mail_address_ok(const char *addr)
{
    if (!addr)
        return false;
    size_t len = strlen(addr);
    const char *at = strrchr(addr, '@');
    if (len < 3 || len > 254 || !at || at == addr || at[1] == '\0' || at - addr > 64)
        return false;
    /* The local part: RFC 5322 dot-atom text. */
    static const char atext[] = "!#$%&'*+-/=?^_`{|}~";
    for (const char *p = addr; p < at; p++) {
        unsigned char c = (unsigned char)*p;
        if (c == '.') {
            if (p == addr || p + 1 == at || p[1] == '.')
                return false;
        } else if (!is_alnum(c) && !(c && strchr(atext, c))) {
            return false;
        }
    }
    /* The domain: labels of letters, digits and hyphens (RFC 1035 section
     * 2.3.1), not starting or ending with a hyphen. */
    const char *label = at + 1;
    for (const char *p = at + 1;; p++) {
        unsigned char c = (unsigned char)*p;
        if (c == '.' || c == '\0') {
            size_t n = (size_t)(p - label);
            if (n == 0 || n > 63 || label[0] == '-' || p[-1] == '-')
                return false;
            if (c == '\0')
                break;
            label = p + 1;
        } else if (!is_alnum(c) && c != '-') {
            return false;
        }
    }
    return true;
}

static const char b64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

static void base64(struct buf *out, const unsigned char *p, size_t n)
{
    for (size_t i = 0; i < n; i += 3) {
        unsigned v = (unsigned)p[i] << 16;
        if (i + 1 < n)
            v |= (unsigned)p[i + 1] << 8;
        if (i + 2 < n)
            v |= p[i + 2];
        buf_putc(out, b64[(v >> 18) & 63]);
        buf_putc(out, b64[(v >> 12) & 63]);
        buf_putc(out, i + 1 < n ? b64[(v >> 6) & 63] : '=');
        buf_putc(out, i + 2 < n ? b64[v & 63] : '=');
    }
}

/* RFC 2047 section 2: an encoded word is at most 75 characters, and a
 * header line holding one at most 76. */
#define EW_LINE 76
#define EW_OVERHEAD 12 /* "=?UTF-8?B?" and "?=" */

int mail_encode_header(const char *value, size_t prefix_len, struct buf *out)
{
    const unsigned char *v = (const unsigned char *)value;
    size_t len = strlen(value);
    if (len > 900)
        return -1;
    bool plain = true;
    for (size_t i = 0; i < len;) {
        if (v[i] < 0x20 || v[i] == 0x7F)
            return -1;
        size_t n = utf8_seq(v + i);
        if (n == 0)
            return -1;
        if (n > 1)
            plain = false;
        i += n;
    }
    /* Text that merely looks like an encoded word is encoded too, so a
     * reader never decodes what was meant literally. */
    if (plain && !strstr(value, "=?")) {
        buf_append(out, value, len);
        return 0;
    }
    size_t room = EW_LINE > prefix_len + EW_OVERHEAD + 4 ? EW_LINE - prefix_len : EW_OVERHEAD + 4;
    size_t i = 0;
    bool first = true;
    while (i < len || first) {
        /* Whole base64 quanta: 3 bytes for each 4 characters of room. */
        size_t max = (room - EW_OVERHEAD) / 4 * 3;
        size_t take = 0;
        while (i + take < len) {
            size_t n = utf8_seq(v + i + take);
            if (take + n > max)
                break;
            take += n;
        }
        if (!first)
            buf_puts(out, "\r\n ");
        buf_puts(out, "=?UTF-8?B?");
        base64(out, v + i, take);
        buf_puts(out, "?=");
        i += take;
        first = false;
        room = EW_LINE - 1; /* later lines start with the folding space */
    }
    return 0;
}

void mail_date(int64_t t, char out[32])
{
    static const char *const days[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
    static const char *const months[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                         "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    time_t tt = (time_t)t;
    struct tm tm;
    gmtime_r(&tt, &tm);
    /* Written by hand: strftime's names follow the locale. */
    char *p = out;
    memcpy(p, days[tm.tm_wday], 3);
    p += 3;
    *p++ = ',';
    *p++ = ' ';
    *p++ = (char)('0' + tm.tm_mday / 10);
    *p++ = (char)('0' + tm.tm_mday % 10);
    *p++ = ' ';
    memcpy(p, months[tm.tm_mon], 3);
    p += 3;
    *p++ = ' ';
    int y = tm.tm_year + 1900;
    for (int d = 1000; d >= 1; d /= 10)
        *p++ = (char)('0' + y / d % 10);
    *p++ = ' ';
    int hms[3] = {tm.tm_hour, tm.tm_min, tm.tm_sec};
    for (int k = 0; k < 3; k++) {
        *p++ = (char)('0' + hms[k] / 10);
        *p++ = (char)('0' + hms[k] % 10);
        *p++ = k < 2 ? ':' : ' ';
    }
    memcpy(p, "+0000", 6);
}

static bool message_id_ok(const char *id)
{
    size_t n = id ? strlen(id) : 0;
    if (n < 5 || n > 250 || id[0] != '<' || id[n - 1] != '>')
        return false;
    const char *at = strchr(id, '@');
    if (!at || at == id + 1 || at + 2 >= id + n)
        return false;
    for (size_t i = 1; i + 1 < n; i++) {
        unsigned char c = (unsigned char)id[i];
        if (c <= 0x20 || c >= 0x7F || c == '<' || c == '>')
            return false;
    }
    return true;
}

/* Checks the body; *ascii says whether it is 7-bit. */
static bool body_ok(const char *body, bool *ascii)
{
    const unsigned char *b = (const unsigned char *)body;
    size_t line = 0;
    *ascii = true;
    for (size_t i = 0; b[i];) {
        unsigned char c = b[i];
        if (c == '\n') {
            line = 0;
            i++;
            continue;
        }
        if (c == '\r') {
            if (b[i + 1] != '\n')
                return false;
            i++;
            continue;
        }
        if ((c < 0x20 && c != '\t') || c == 0x7F)
            return false;
        size_t n = utf8_seq(b + i);
        if (n == 0)
            return false;
        if (n > 1)
            *ascii = false;
        line += n;
        if (line > MAIL_LINE_MAX)
            return false;
        i += n;
    }
    return true;
}

/* A multipart boundary from the Message-ID's unique part ("<x@y>": x). */
static void boundary_of(const char *message_id, char out[72])
{
    static const char prefix[] = "=_tas_";
    memcpy(out, prefix, sizeof prefix - 1);
    size_t n = sizeof prefix - 1;
    for (const char *p = message_id + 1; *p && *p != '@' && n < 71 - 1; p++)
        out[n++] = *p;
    out[n] = '\0';
}

/* Text with every line ended by CRLF. */
static void crlf_lines(const char *p, struct buf *out)
{
    while (*p) {
        const char *nl = strchr(p, '\n');
        size_t n = nl ? (size_t)(nl - p) : strlen(p);
        size_t keep = n && p[n - 1] == '\r' ? n - 1 : n;
        buf_append(out, p, keep);
        buf_puts(out, "\r\n");
        p += nl ? n + 1 : n;
    }
}

int mail_build(const struct mail_message *m, struct buf *out)
{
    bool ascii, cal_ascii = true;
    if (!mail_address_ok(m->from) || !mail_address_ok(m->to) || !message_id_ok(m->message_id) || !m->subject ||
        !m->body || !body_ok(m->body, &ascii))
        return -1;
    if (m->calendar) {
        if (!body_ok(m->calendar, &cal_ascii) || !m->calendar_method ||
            (strcmp(m->calendar_method, "REQUEST") != 0 && strcmp(m->calendar_method, "CANCEL") != 0))
            return -1;
        char b[72];
        boundary_of(m->message_id, b);
        if (strstr(m->body, b) || strstr(m->calendar, b))
            return -1;
    }
    struct buf subject = BUF_INIT;
    if (mail_encode_header(m->subject, strlen("Subject: "), &subject) != 0) {
        buf_free(&subject);
        return -1;
    }
    char date[32];
    mail_date(m->date, date);
    buf_printf(out, "Date: %s\r\nFrom: %s\r\nTo: %s\r\nMessage-ID: %s\r\nSubject: %s\r\n", date, m->from, m->to,
               m->message_id, buf_str(&subject));
    buf_free(&subject);
    if (!m->calendar) {
        buf_printf(out, "MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n"
                        "Content-Transfer-Encoding: %s\r\nAuto-Submitted: auto-generated\r\n\r\n",
                   ascii ? "7bit" : "8bit");
        crlf_lines(m->body, out);
        return 0;
    }
    /* The boundary was checked absent from both parts (RFC 2046 5.1.1). */
    char boundary[72];
    boundary_of(m->message_id, boundary);
    buf_printf(out, "MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"%s\"\r\n"
                    "Auto-Submitted: auto-generated\r\n\r\n"
                    "--%s\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: %s\r\n\r\n",
               boundary, boundary, ascii ? "7bit" : "8bit");
    crlf_lines(m->body, out);
    buf_printf(out, "--%s\r\nContent-Type: text/calendar; charset=utf-8; method=%s; name=\"invite.ics\"\r\n"
                    "Content-Disposition: attachment; filename=\"invite.ics\"\r\n"
                    "Content-Transfer-Encoding: %s\r\n\r\n",
               boundary, m->calendar_method, cal_ascii ? "7bit" : "8bit");
    crlf_lines(m->calendar, out);
    buf_printf(out, "--%s--\r\n", boundary);
    return 0;
}

int64_t mail_backoff(int attempts)
{
    if (attempts < 1)
        return 0;
    int64_t d = 60;
    for (int i = 1; i < attempts && d < 6 * 3600; i++)
        d *= 2;
    return d > 6 * 3600 ? 6 * 3600 : d;
}

int mail_template(const char *tmpl, const char *const *keys, const char *const *vals, size_t n,
                  struct buf *subject, struct buf *body)
{
    static const char head[] = "Subject: ";
    if (strncmp(tmpl, head, sizeof head - 1) != 0)
        return -1;
    const char *eol = strchr(tmpl, '\n');
    if (!eol || eol[1] != '\n')
        return -1;
    struct {
        const char *from, *to;
        struct buf *out;
    } parts[2] = {{tmpl + sizeof head - 1, eol, subject}, {eol + 2, eol + 2 + strlen(eol + 2), body}};
    for (int k = 0; k < 2; k++) {
        const char *p = parts[k].from;
        while (p < parts[k].to) {
            const char *open = strstr(p, "{{");
            if (!open || open >= parts[k].to) {
                buf_append(parts[k].out, p, (size_t)(parts[k].to - p));
                break;
            }
            buf_append(parts[k].out, p, (size_t)(open - p));
            const char *close = strstr(open + 2, "}}");
            if (!close || close >= parts[k].to)
                return -1;
            size_t klen = (size_t)(close - open - 2);
            size_t i = 0;
            while (i < n && !(strlen(keys[i]) == klen && memcmp(keys[i], open + 2, klen) == 0))
                i++;
            if (i == n)
                return -1;
            buf_puts(parts[k].out, vals[i]);
            p = close + 2;
        }
    }
    return 0;
}
