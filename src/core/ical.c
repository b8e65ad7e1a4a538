#include "core/ical.h"
#include "lib/count.h"

#include <stdio.h>
#include <string.h>

#include "core/calendar.h"

static void put(const struct ical_out *o, const char *s, size_t n)
{
    if (n)
        o->put(o->arg, s, n);
}

/* Writes the unfolded line (already escaped) folded at ICAL_FOLD octets,
 * breaking only before the first byte of a UTF-8 character. */
static void fold(const struct ical_out *o, const char *s, size_t n)
{
    size_t width = ICAL_FOLD;   /* the first line has 75 octets, the others a space and 74 */
    while (n > width) {
        size_t cut = width;
        while (cut > 0 && ((unsigned char)s[cut] & 0xC0) == 0x80)
            cut--;
        if (cut == 0)
            cut = width;        /* not UTF-8: cut anyway */
        put(o, s, cut);
        put(o, "\r\n ", 3);
        s += cut;
        n -= cut;
        width = ICAL_FOLD - 1;
    }
    put(o, s, n);
    put(o, "\r\n", 2);
}

/* A growing line in a fixed buffer, spilling to the sink folded: lines
 * are short, so an 8 KB buffer is cut (at a character) only for very long
 * values, which still fold correctly because fold() takes the whole line. */
#define LINE_MAX 8192

void ical_line(const struct ical_out *o, const char *name, const char *value, bool text)
{
    char line[LINE_MAX];
    size_t n = 0;
    for (const char *p = name; *p && n < LINE_MAX - 1; p++)
        line[n++] = *p;
    if (n < LINE_MAX - 1)
        line[n++] = ':';
    size_t boundary = n;
    const unsigned char *p = (const unsigned char *)(value ? value : "");
    for (; *p; p++) {
        if ((*p & 0xC0) != 0x80)
            boundary = n;
        char esc[2] = {(char)*p, 0};
        size_t k = 1;
        if (text && (*p == '\\' || *p == ';' || *p == ',')) {
            esc[0] = '\\';
            esc[1] = (char)*p;
            k = 2;
        } else if (text && *p == '\n') {
            esc[0] = '\\';
            esc[1] = 'n';
            k = 2;
        } else if (*p < 0x20 || *p == 0x7f) {
            continue;
        }
        if (n + k >= LINE_MAX)
            break;
        memcpy(line + n, esc, k);
        n += k;
    }
    if (*p && (*p & 0xC0) == 0x80)
        n = boundary;   /* the buffer ran out inside a character: leave it out */
    fold(o, line, n);
}

void ical_param(const char *s, char *out, size_t osz)
{
    if (!osz)
        return;
    bool quote = strpbrk(s, ":;,") != NULL;
    size_t n = 0, boundary = 0;
    if (quote && n + 1 < osz)
        out[n++] = '"';
    const unsigned char *p = (const unsigned char *)s;
    for (; *p && n + 2 < osz; p++) {
        if ((*p & 0xC0) != 0x80)
            boundary = n;
        if (*p != '"' && *p >= 0x20 && *p != 0x7f)
            out[n++] = (char)*p;
    }
    if ((*p & 0xC0) == 0x80)
        n = boundary;   /* cut short in the middle of a character: leave it out */
    if (quote && n + 1 < osz)
        out[n++] = '"';
    out[n] = '\0';
}

void ical_begin(const struct ical_out *o, const char *method, const char *name)
{
    ical_line(o, "BEGIN", "VCALENDAR", false);
    ical_line(o, "VERSION", "2.0", false);
    ical_line(o, "PRODID", "-//tas//Team Around the School//EN", false);
    ical_line(o, "CALSCALE", "GREGORIAN", false);
    if (method)
        ical_line(o, "METHOD", method, false);
    if (name)
        ical_line(o, "X-WR-CALNAME", name, true);
    ical_timezone_london(o);
}

void ical_timezone_london(const struct ical_out *o)
{
    static const char *const lines[][2] = {
        {"BEGIN", "VTIMEZONE"},
        {"TZID", "Europe/London"},
        {"BEGIN", "DAYLIGHT"},
        {"TZOFFSETFROM", "+0000"},
        {"TZOFFSETTO", "+0100"},
        {"TZNAME", "BST"},
        {"DTSTART", "19700329T010000"},
        {"RRULE", "FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU"},
        {"END", "DAYLIGHT"},
        {"BEGIN", "STANDARD"},
        {"TZOFFSETFROM", "+0100"},
        {"TZOFFSETTO", "+0000"},
        {"TZNAME", "GMT"},
        {"DTSTART", "19701025T020000"},
        {"RRULE", "FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU"},
        {"END", "STANDARD"},
        {"END", "VTIMEZONE"},
    };
    for (size_t i = 0; i < COUNT(lines); i++)
        ical_line(o, lines[i][0], lines[i][1], false);
}

void ical_end(const struct ical_out *o)
{
    ical_line(o, "END", "VCALENDAR", false);
}

/* "YYYYMMDDTHHMMSS" of a day number and minutes after its midnight. */
static void local_stamp(int32_t day, int minutes, char out[32])
{
    day += minutes / 1440;
    minutes %= 1440;
    int y, m, d;
    ymd_from_day(day, &y, &m, &d);
    snprintf(out, 32, "%04d%02d%02dT%02d%02d00", y % 10000, m % 100, d % 100, (minutes / 60) % 100, minutes % 60);
}

int ical_event(const struct ical_out *o, const struct ical_event *e)
{
    int32_t day;
    const char *t = e->start_time;
    if (day_parse(e->date, &day) != 0 || !t || strlen(t) != 5 || t[2] != ':' || t[0] < '0' || t[0] > '2' ||
        t[1] < '0' || t[1] > '9' || t[3] < '0' || t[3] > '5' || t[4] < '0' || t[4] > '9' ||
        e->duration_minutes <= 0)
        return -1;
    int start = ((t[0] - '0') * 10 + (t[1] - '0')) * 60 + (t[3] - '0') * 10 + (t[4] - '0');
    if (start >= 1440)
        return -1;
    char from[32], to[32], stamp[40], seq[24];
    local_stamp(day, start, from);
    local_stamp(day, start + e->duration_minutes, to);
    int64_t s = e->stamp;
    int32_t sday = (int32_t)(s >= 0 ? s / 86400 : (s - 86399) / 86400);
    int64_t secs = s - (int64_t)sday * 86400;
    int y, m, d;
    ymd_from_day(sday, &y, &m, &d);
    snprintf(stamp, sizeof stamp, "%04d%02d%02dT%02d%02d%02dZ", y % 10000, m % 100, d % 100, (int)(secs / 3600),
             (int)(secs / 60 % 60), (int)(secs % 60));
    snprintf(seq, sizeof seq, "%lld", (long long)(e->sequence < 0 ? 0 : e->sequence));
    ical_line(o, "BEGIN", "VEVENT", false);
    ical_line(o, "UID", e->uid, false);
    ical_line(o, "DTSTAMP", stamp, false);
    ical_line(o, "SEQUENCE", seq, false);
    ical_line(o, "DTSTART;TZID=Europe/London", from, false);
    ical_line(o, "DTEND;TZID=Europe/London", to, false);
    ical_line(o, "SUMMARY", e->summary, true);
    if (e->location && *e->location)
        ical_line(o, "LOCATION", e->location, true);
    if (e->description && *e->description)
        ical_line(o, "DESCRIPTION", e->description, true);
    if (e->organizer_name && e->organizer_mail) {
        char cn[200], name[240];
        ical_param(e->organizer_name, cn, sizeof cn);
        snprintf(name, sizeof name, "ORGANIZER;CN=%s", cn);
        char mail[200];
        snprintf(mail, sizeof mail, "mailto:%s", e->organizer_mail);
        ical_line(o, name, mail, false);
    }
    if (e->attendee_mail) {
        /* RFC 5546 3.2.2: a REQUEST names its attendees; the invitation
         * asks no reply (the meeting is the team's, not negotiated). */
        char mail[300];
        snprintf(mail, sizeof mail, "mailto:%s", e->attendee_mail);
        ical_line(o, "ATTENDEE;RSVP=FALSE", mail, false);
    }
    ical_line(o, "STATUS", e->cancelled ? "CANCELLED" : "CONFIRMED", false);
    ical_line(o, "TRANSP", "OPAQUE", false);
    ical_line(o, "END", "VEVENT", false);
    return 0;
}
