#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "core/email.h"
#include "lib/count.h"

/* ---- RFC 2047 ------------------------------------------------------------ */

static int b64val(char c)
{
    const char *a = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    const char *p = strchr(a, c);
    return c && p ? (int)(p - a) : -1;
}

/* Decodes header text made by mail_encode_header back to UTF-8, checking
 * the shape of each encoded word and the length of each line on the way. */
static void decode_header(const char *h, size_t prefix, char *out, size_t outsz)
{
    size_t o = 0;
    size_t line = prefix;
    const char *p = h;
    while (*p) {
        if (p[0] == '\r') {
            assert_int_equal(p[1], '\n');
            assert_int_equal(p[2], ' ');   /* folded with CRLF SPACE */
            assert_true(line <= 76);
            line = 1;
            p += 3;
            continue;
        }
        assert_memory_equal(p, "=?UTF-8?B?", 10);
        const char *end = strstr(p + 10, "?=");
        assert_non_null(end);
        size_t wlen = (size_t)(end + 2 - p);
        assert_true(wlen <= 75);
        line += wlen;
        const char *q = p + 10;
        assert_int_equal((end - q) % 4, 0);
        for (; q < end; q += 4) {
            int v[4];
            for (int k = 0; k < 4; k++)
                v[k] = q[k] == '=' ? 0 : b64val(q[k]);
            for (int k = 0; k < 4; k++)
                assert_true(v[k] >= 0);
            unsigned w = (unsigned)(v[0] << 18 | v[1] << 12 | v[2] << 6 | v[3]);
            out[o++] = (char)(w >> 16);
            if (q[2] != '=')
                out[o++] = (char)(w >> 8 & 0xFF);
            if (q[3] != '=')
                out[o++] = (char)(w & 0xFF);
            assert_true(o < outsz);
        }
        p = end + 2;
    }
    assert_true(line <= 76);
    out[o] = '\0';
}

static void ascii_header_is_copied(void **state)
{
    (void)state;
    struct buf b = BUF_INIT;
    assert_int_equal(mail_encode_header("Invitation: Northgate TAS, 4 December 2026", 9, &b), 0);
    assert_string_equal(buf_str(&b), "Invitation: Northgate TAS, 4 December 2026");
    buf_free(&b);
}

static void non_ascii_header_is_encoded_words(void **state)
{
    (void)state;
    const char *subjects[] = {
        "Zoë",
        "Réunion de l’équipe autour de l’école",
        /* Long, with 2-, 3- and 4-byte characters, so words split near
         * character boundaries of every width. */
        ("Ó'Brien – Ysgol Gynradd Llanfair Pwllgwyngyll 😀 Team Around the School, Dydd Mercher 4 Rhagfyr 2026 "
         "am 13:30 yn yr ystafell gyfarfod ☕ € ü ß ø"),
        "literal =?UTF-8?B?not-a-word?= text", /* looks encoded: encoded too */
    };
    for (size_t i = 0; i < COUNT(subjects); i++) {
        struct buf b = BUF_INIT;
        assert_int_equal(mail_encode_header(subjects[i], 9, &b), 0);
        char back[2048];
        decode_header(buf_str(&b), 9, back, sizeof back);
        assert_string_equal(back, subjects[i]);
        /* Every encoded word holds whole characters: each decodes alone
         * to valid UTF-8 (checked by re-encoding its text). */
        const char *w = buf_str(&b);
        while ((w = strstr(w, "=?UTF-8?B?"))) {
            const char *e = strstr(w + 10, "?=");
            char one[128];
            char word[128];
            memcpy(word, w, (size_t)(e + 2 - w));
            word[e + 2 - w] = '\0';
            decode_header(word, 0, one, sizeof one);
            struct buf again = BUF_INIT;
            assert_int_equal(mail_encode_header(one[0] ? one : "x", 0, &again), 0);
            buf_free(&again);
            w = e + 2;
        }
        buf_free(&b);
    }
    /* A known value: "Zoë" is Wm/Dqw== in base64. */
    struct buf z = BUF_INIT;
    mail_encode_header("Zoë", 9, &z);
    assert_string_equal(buf_str(&z), "=?UTF-8?B?Wm/Dqw==?=");
    buf_free(&z);
}

static void header_injection_and_bad_utf8_are_refused(void **state)
{
    (void)state;
    const char *bad[] = {"Hello\r\nBcc: x@example.org", "Hello\nX: y", "tab\there", "bad \xC3\x28 utf8",
                         "overlong \xC0\xAF", "surrogate \xED\xA0\x80"};
    for (size_t i = 0; i < COUNT(bad); i++) {
        struct buf b = BUF_INIT;
        assert_int_equal(mail_encode_header(bad[i], 9, &b), -1);
        assert_int_equal(b.len, 0);
        buf_free(&b);
    }
}

/* ---- addresses ------------------------------------------------------------ */

static void addresses(void **state)
{
    (void)state;
    const char *good[] = {"a@b.org", "j.smith@school.sch.uk", "o'brien+tas@council.gov.uk", "x_1@a-b.example"};
    for (size_t i = 0; i < COUNT(good); i++)
        assert_true(mail_address_ok(good[i]));
    const char *bad[] = {"", "plain", "@b.org", "a@", "a@b..org", ".a@b.org", "a.@b.org", "a..b@c.org",
                         "a b@c.org", "a@b.org\r\nRCPT TO:<x@y.z>", "<a@b.org>", "a@-b.org", "a@b-.org",
                         "\"q\"@b.org", "a@b.org,c@d.org", "zoë@b.org", "a@b_c.org"};
    for (size_t i = 0; i < COUNT(bad); i++)
        assert_false(mail_address_ok(bad[i]));
}

/* ---- the message ----------------------------------------------------------- */

static void date_is_rfc5322(void **state)
{
    (void)state;
    char d[32];
    mail_date(1796454600, d); /* 2026-12-05T07:10:00Z */
    assert_string_equal(d, "Sat, 05 Dec 2026 07:10:00 +0000");
    mail_date(0, d);
    assert_string_equal(d, "Thu, 01 Jan 1970 00:00:00 +0000");
}

static void message_headers_and_body(void **state)
{
    (void)state;
    struct mail_message m = {"tas@council.example", "jo@school.example", "Team Around the School meeting",
                             "<42.abc@council.example>", 1796454600, "Hello Zoë,\n\nLine two.\n", NULL, NULL};
    struct buf b = BUF_INIT;
    assert_int_equal(mail_build(&m, &b), 0);
    assert_string_equal(buf_str(&b), "Date: Sat, 05 Dec 2026 07:10:00 +0000\r\n"
                                     "From: tas@council.example\r\n"
                                     "To: jo@school.example\r\n"
                                     "Message-ID: <42.abc@council.example>\r\n"
                                     "Subject: Team Around the School meeting\r\n"
                                     "MIME-Version: 1.0\r\n"
                                     "Content-Type: text/plain; charset=utf-8\r\n"
                                     "Content-Transfer-Encoding: 8bit\r\n"
                                     "Auto-Submitted: auto-generated\r\n"
                                     "\r\n"
                                     "Hello Zoë,\r\n\r\nLine two.\r\n");
    buf_free(&b);

    /* ASCII body: 7bit; a body without a final newline gets one; CRLF kept
     * single; a lone dot line is left for libcurl to stuff. */
    m.body = "a\r\n.\nb";
    m.subject = "Zoë";
    assert_int_equal(mail_build(&m, &b), 0);
    assert_non_null(strstr(buf_str(&b), "Subject: =?UTF-8?B?Wm/Dqw==?=\r\n"));
    assert_non_null(strstr(buf_str(&b), "Content-Transfer-Encoding: 7bit\r\n"));
    assert_non_null(strstr(buf_str(&b), "\r\n\r\na\r\n.\r\nb\r\n"));
    buf_free(&b);
}

static void message_refusals(void **state)
{
    (void)state;
    char longline[MAIL_LINE_MAX + 2];
    memset(longline, 'x', sizeof longline - 1);
    longline[sizeof longline - 1] = '\0';
    struct mail_message ok = {"a@b.org", "c@d.org", "S", "<1@b.org>", 0, "body", NULL, NULL};
    struct mail_message cases[7];
    for (int i = 0; i < 7; i++)
        cases[i] = ok;
    cases[0].to = "c@d.org\r\nBcc: e@f.org";
    cases[1].from = "nobody";
    cases[2].subject = "S\r\nBcc: e@f.org";
    cases[3].message_id = "1@b.org";
    cases[4].body = "a\rb";
    cases[5].body = longline;
    cases[6].body = "bad \xFF";
    for (int i = 0; i < 7; i++) {
        struct buf b = BUF_INIT;
        assert_int_equal(mail_build(&cases[i], &b), -1);
        assert_int_equal(b.len, 0);
        buf_free(&b);
    }
    longline[MAIL_LINE_MAX] = '\0'; /* exactly the limit is fine */
    ok.body = longline;
    struct buf b = BUF_INIT;
    assert_int_equal(mail_build(&ok, &b), 0);
    buf_free(&b);
}

/* An invitation with its calendar entry (RFC 6047): multipart/mixed, the
 * text then text/calendar with the METHOD, the boundary from the
 * Message-ID and found in neither part; a bad method or calendar refused. */
static void message_with_calendar(void **state)
{
    (void)state;
    const char *ics = "BEGIN:VCALENDAR\r\nMETHOD:REQUEST\r\nEND:VCALENDAR\r\n";
    struct mail_message m = {"tas@council.example", "jo@school.example", "Invitation", "<9f3a@council.example>",
                             1796454600, "Hello,\n", ics, "REQUEST"};
    struct buf b = BUF_INIT;
    assert_int_equal(mail_build(&m, &b), 0);
    const char *want = "MIME-Version: 1.0\r\n"
                       "Content-Type: multipart/mixed; boundary=\"=_tas_9f3a\"\r\n"
                       "Auto-Submitted: auto-generated\r\n"
                       "\r\n"
                       "--=_tas_9f3a\r\n"
                       "Content-Type: text/plain; charset=utf-8\r\n"
                       "Content-Transfer-Encoding: 7bit\r\n"
                       "\r\n"
                       "Hello,\r\n"
                       "--=_tas_9f3a\r\n"
                       "Content-Type: text/calendar; charset=utf-8; method=REQUEST; name=\"invite.ics\"\r\n"
                       "Content-Disposition: attachment; filename=\"invite.ics\"\r\n"
                       "Content-Transfer-Encoding: 7bit\r\n"
                       "\r\n"
                       "BEGIN:VCALENDAR\r\nMETHOD:REQUEST\r\nEND:VCALENDAR\r\n"
                       "--=_tas_9f3a--\r\n";
    const char *at = strstr(buf_str(&b), "MIME-Version:");
    assert_non_null(at);
    assert_string_equal(at, want);
    buf_free(&b);

    struct mail_message bad[4] = {m, m, m, m};
    bad[0].calendar_method = "PUBLISH";
    bad[1].calendar_method = NULL;
    bad[2].body = "text holding --=_tas_9f3a by chance\n";
    bad[3].calendar = "BEGIN:VCALENDAR\r\n\x01\r\n";
    for (int i = 0; i < 4; i++) {
        assert_int_equal(mail_build(&bad[i], &b), -1);
        assert_int_equal(b.len, 0);
    }
    buf_free(&b);
}

/* ---- retries ------------------------------------------------------------ */

static void backoff_doubles_then_caps(void **state)
{
    (void)state;
    assert_int_equal(mail_backoff(0), 0);
    int64_t want[] = {60, 120, 240, 480, 960, 1920, 3840, 7680, 15360, 21600, 21600};
    for (int i = 0; i < 11; i++)
        assert_int_equal(mail_backoff(i + 1), want[i]);
    assert_int_equal(mail_backoff(1000), 21600);
    /* All the tries together span more than a day and less than three. */
    int64_t total = 0;
    for (int i = 1; i < MAIL_MAX_ATTEMPTS; i++)
        total += mail_backoff(i);
    assert_true(total > 86400 && total < 3 * 86400);
}

/* ---- templates ------------------------------------------------------------ */

static void template_fills(void **state)
{
    (void)state;
    const char *keys[] = {"team", "date"};
    const char *vals[] = {"Northgate", "4 December 2026"};
    struct buf s = BUF_INIT, b = BUF_INIT;
    assert_int_equal(mail_template("Subject: {{team}} on {{date}}\n\nHello,\n{{team}} meets {{date}}.\n", keys,
                                   vals, 2, &s, &b), 0);
    assert_string_equal(buf_str(&s), "Northgate on 4 December 2026");
    assert_string_equal(buf_str(&b), "Hello,\nNorthgate meets 4 December 2026.\n");
    buf_free(&s);
    buf_free(&b);
    const char *bad[] = {"No subject\n\nbody", "Subject: x\nbody", "Subject: {{who}}\n\nbody",
                         "Subject: x\n\n{{team"};
    for (size_t i = 0; i < COUNT(bad); i++) {
        struct buf s2 = BUF_INIT, b2 = BUF_INIT;
        assert_int_equal(mail_template(bad[i], keys, vals, 2, &s2, &b2), -1);
        buf_free(&s2);
        buf_free(&b2);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(ascii_header_is_copied),
        cmocka_unit_test(non_ascii_header_is_encoded_words),
        cmocka_unit_test(header_injection_and_bad_utf8_are_refused),
        cmocka_unit_test(addresses),
        cmocka_unit_test(date_is_rfc5322),
        cmocka_unit_test(message_headers_and_body),
        cmocka_unit_test(message_refusals),
        cmocka_unit_test(message_with_calendar),
        cmocka_unit_test(backoff_doubles_then_caps),
        cmocka_unit_test(template_fills),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
