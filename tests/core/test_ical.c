/* iCalendar output (core/ical.c, RFC 5545): folding at 75 octets without
 * splitting a UTF-8 character, TEXT escaping, CRLF line ends, the
 * Europe/London VTIMEZONE and a meeting's VEVENT. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/ical.h"
#include "lib/count.h"

struct text {
    char s[65536];
    size_t n;
};

static void sink(void *arg, const char *s, size_t n)
{
    struct text *t = arg;
    assert_true(t->n + n < sizeof t->s);
    memcpy(t->s + t->n, s, n);
    t->n += n;
    t->s[t->n] = '\0';
}

static struct text *fresh(struct ical_out *o)
{
    struct text *t = calloc(1, sizeof *t);
    assert_non_null(t);
    o->put = sink;
    o->arg = t;
    return t;
}

/* Every line ends CRLF, is at most 75 octets, and no continuation line
 * starts inside a UTF-8 character; returns the text unfolded (RFC 5545
 * 3.1: remove each CRLF followed by one space). */
static char *check_and_unfold(const char *s)
{
    char *out = malloc(strlen(s) + 1);
    assert_non_null(out);
    size_t o = 0;
    const char *line = s;
    while (*line) {
        const char *crlf = strstr(line, "\r\n");
        assert_non_null(crlf);
        assert_true(crlf - line <= ICAL_FOLD);
        assert_null(memchr(line, '\n', (size_t)(crlf - line)));
        assert_null(memchr(line, '\r', (size_t)(crlf - line)));
        if (line != s && line[0] == ' ') {
            assert_true(((unsigned char)line[1] & 0xC0) != 0x80);   /* not mid-character */
            memcpy(out + o, line + 1, (size_t)(crlf - line - 1));
            o += (size_t)(crlf - line - 1);
        } else {
            if (o)
                out[o++] = '\n';
            memcpy(out + o, line, (size_t)(crlf - line));
            o += (size_t)(crlf - line);
        }
        line = crlf + 2;
    }
    out[o] = '\0';
    return out;
}

static void test_fold_utf8(void **state)
{
    (void)state;
    struct ical_out o;
    /* Names of two and three octets a character, long enough to fold many
     * times at every alignment. */
    const char *values[] = {
        "Ysgol Gymraeg Zoë ëëëëëëëëëëëëëëëëëëëëëëëëëëëëëëëëëëëëëëëëëëëëëëëëëëëëëëëëëëëëëëëëëëëëëëëëëëëëëëëëë",
        "x€€€€€€€€€€€€€€€€€€€€€€€€€€€€€€€€€€€€€€€€€€€€€€€€€€€€€€€€€€€€€€€€€€€€",
        "xx😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀",
        "short",
    };
    for (size_t i = 0; i < COUNT(values); i++) {
        for (size_t pad = 0; pad < 4; pad++) {
            struct text *t = fresh(&o);
            char name[16];
            snprintf(name, sizeof name, "SUMMARY%.*s", (int)pad, "XXXX");
            ical_line(&o, name, values[i], true);
            char *u = check_and_unfold(t->s);
            char want[512];
            snprintf(want, sizeof want, "%s:%s", name, values[i]);
            assert_string_equal(u, want);
            free(u);
            free(t);
        }
    }
    /* Exactly 75 octets: one line; 76: two. */
    struct text *t = fresh(&o);
    char v[80];
    memset(v, 'a', sizeof v);
    v[75 - 8] = '\0';   /* "SUMMARY:" is 8 */
    ical_line(&o, "SUMMARY", v, true);
    assert_int_equal(t->n, 77);
    free(t);
    t = fresh(&o);
    v[75 - 8] = 'a';
    v[76 - 8] = '\0';
    ical_line(&o, "SUMMARY", v, true);
    assert_int_equal(t->n, 77 + 4);   /* CRLF, space, one octet, CRLF */
    assert_memory_equal(t->s + 75, "\r\n a\r\n", 6);
    free(t);
}

static void test_escape(void **state)
{
    (void)state;
    struct ical_out o;
    struct text *t = fresh(&o);
    ical_line(&o, "LOCATION", "Room 2, St Mary's; back\\door\nfirst floor\r\x01", true);
    assert_string_equal(t->s, "LOCATION:Room 2\\, St Mary's\\; back\\\\door\\nfirst floor\r\n");
    free(t);
    t = fresh(&o);
    ical_line(&o, "RRULE", "FREQ=YEARLY;BYMONTH=3", false);   /* not TEXT: as it is */
    assert_string_equal(t->s, "RRULE:FREQ=YEARLY;BYMONTH=3\r\n");
    free(t);
    char p[64];
    ical_param("North: \"Team\"; A", p, sizeof p);
    assert_string_equal(p, "\"North: Team; A\"");
    ical_param("Plain Team", p, sizeof p);
    assert_string_equal(p, "Plain Team");
    ical_param("Zoëëëëëë", p, 6);   /* cut inside a character: the character is left out */
    assert_string_equal(p, "Zo\xc3\xab");
}

static void test_calendar_and_event(void **state)
{
    (void)state;
    struct ical_out o;
    struct text *t = fresh(&o);
    ical_begin(&o, "REQUEST", NULL);
    struct ical_event e = {
        .uid = "meeting-12@la804.tas", .sequence = 3, .stamp = 1795003200, /* 2026-11-18T12:00:00Z */
        .date = "2026-03-29", .start_time = "23:30", .duration_minutes = 90,
        .summary = "TAS meeting: North, Team", .location = "Library", .description = "In person",
        .organizer_name = "North Team", .organizer_mail = "no-reply@la804.tas", .cancelled = false,
    };
    assert_int_equal(ical_event(&o, &e), 0);
    ical_end(&o);
    char *u = check_and_unfold(t->s);
    assert_non_null(strstr(u, "BEGIN:VCALENDAR\nVERSION:2.0\nPRODID:"));
    assert_non_null(strstr(u, "\nMETHOD:REQUEST\n"));
    assert_non_null(strstr(u, "\nBEGIN:VTIMEZONE\nTZID:Europe/London\n"));
    assert_non_null(strstr(u, "\nRRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU\n"));
    assert_non_null(strstr(u, "\nRRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU\n"));
    assert_non_null(strstr(u, "\nUID:meeting-12@la804.tas\n"));
    assert_non_null(strstr(u, "\nDTSTAMP:20261118T120000Z\n"));
    assert_non_null(strstr(u, "\nSEQUENCE:3\n"));
    assert_non_null(strstr(u, "\nDTSTART;TZID=Europe/London:20260329T233000\n"));
    assert_non_null(strstr(u, "\nDTEND;TZID=Europe/London:20260330T010000\n"));   /* past midnight */
    assert_non_null(strstr(u, "\nSUMMARY:TAS meeting: North\\, Team\n"));
    assert_non_null(strstr(u, "\nORGANIZER;CN=North Team:mailto:no-reply@la804.tas\n"));
    assert_non_null(strstr(u, "\nSTATUS:CONFIRMED\n"));
    assert_true(strlen(u) > 10 && strcmp(u + strlen(u) - 13, "END:VCALENDAR") == 0);
    /* The time zone comes before the event that names it. */
    assert_true(strstr(u, "BEGIN:VTIMEZONE") < strstr(u, "BEGIN:VEVENT"));
    free(u);
    free(t);

    t = fresh(&o);
    e.cancelled = true;
    e.organizer_name = NULL;
    assert_int_equal(ical_event(&o, &e), 0);
    assert_non_null(strstr(t->s, "\r\nSTATUS:CANCELLED\r\n"));
    assert_null(strstr(t->s, "ORGANIZER"));
    free(t);

    /* A bad date or time writes nothing. */
    t = fresh(&o);
    e.date = "2026-02-30";
    assert_int_equal(ical_event(&o, &e), -1);
    e.date = "2026-03-29";
    e.start_time = "24:00";
    assert_int_equal(ical_event(&o, &e), -1);
    e.start_time = "9:30";
    assert_int_equal(ical_event(&o, &e), -1);
    assert_int_equal(t->n, 0);
    free(t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fold_utf8),
        cmocka_unit_test(test_escape),
        cmocka_unit_test(test_calendar_and_event),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
