/* iCalendar (RFC 5545) for meeting invitations and calendar feeds: content
 * lines escaped and folded, the Europe/London time zone, one event per
 * meeting.  Pure: text goes to the caller's sink.
 *
 * Only what a calendar needs about a meeting goes in: the team and host
 * school's names, the date, time and length, the place and the kind of
 * meeting.  Never anything about a child. */
#ifndef TAS_CORE_ICAL_H
#define TAS_CORE_ICAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Where the text goes. */
struct ical_out {
    void (*put)(void *arg, const char *s, size_t n);
    void *arg;
};

#define ICAL_FOLD 75   /* octets a line, CRLF not counted (RFC 5545 3.1) */

/* One content line: name (with any parameters), ':', value, CRLF, folded
 * so that no line is longer than 75 octets and no UTF-8 character is split
 * (a continuation line starts with a space).  text: the value is TEXT and
 * is escaped (\\ \; \, and \n for a line break, RFC 5545 3.3.11; other
 * control characters dropped). */
void ical_line(const struct ical_out *o, const char *name, const char *value, bool text);

/* A parameter value (RFC 5545 3.2): double quotes and control characters
 * dropped, quoted when it holds ':', ';' or ','.  out has osz bytes. */
void ical_param(const char *s, char *out, size_t osz);

/* BEGIN:VCALENDAR and its properties; method "REQUEST", "CANCEL",
 * "PUBLISH" (a feed) or NULL; name: X-WR-CALNAME (NULL: none).  Then the
 * VTIMEZONE of Europe/London. */
void ical_begin(const struct ical_out *o, const char *method, const char *name);
/* The VTIMEZONE block for Europe/London: GMT, and BST from 01:00 UTC on
 * the last Sunday of March to 01:00 UTC on the last Sunday of October
 * (The Summer Time Order 2002). */
void ical_timezone_london(const struct ical_out *o);
void ical_end(const struct ical_out *o);

struct ical_event {
    const char *uid;              /* stable: "meeting-12@la804.tas" */
    int64_t sequence;             /* raised on each change of time, place or status */
    int64_t stamp;                /* DTSTAMP: Unix seconds (UTC) */
    const char *date;             /* "YYYY-MM-DD", local time in London */
    const char *start_time;       /* "HH:MM" */
    int duration_minutes;         /* > 0 */
    const char *summary;
    const char *location;         /* "" none */
    const char *description;      /* "" none */
    const char *organizer_name;   /* CN of ORGANIZER; NULL: no ORGANIZER */
    const char *organizer_mail;   /* mailto: address */
    const char *attendee_mail;    /* one ATTENDEE (an e-mailed invitation's recipient); NULL none */
    bool cancelled;               /* STATUS:CANCELLED (else CONFIRMED) */
};

/* One VEVENT, DTSTART and DTEND with TZID=Europe/London.  -1 (nothing
 * written) when the date or time is not valid. */
int ical_event(const struct ical_out *o, const struct ical_event *e);

#endif
