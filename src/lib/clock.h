/* The program's one clock: every "now" (seconds) and "today" (a UTC date)
 * in tas comes from here, so that tests can run the whole program on a
 * day of their choosing and no result depends on the day the suite runs.
 *
 * For tests only: TAS_TODAY=YYYY-MM-DD pins the calendar.  The clock then
 * reads 12:00:00 UTC on that day at the moment TAS_TODAY_FROM (seconds
 * since the epoch, default: the process's first read of the clock) and
 * runs on in real seconds from there, so sessions, throttles and time-based
 * one-time passwords still see time pass, and the day stays the same for
 * twelve hours.  Processes given the same two values (a test run's server,
 * its command-line calls and the test code itself) agree to the second.
 *
 * Also for tests only, and only with TAS_TODAY: TAS_CLOCK_FILE names a
 * file holding the time (whole seconds since 1970).  The clock then stands
 * still at that time and moves only when the test writes another, so a
 * test of session expiry or sign-in delays says "five seconds later"
 * instead of sleeping, and a slow machine cannot make it fail.  While the
 * file is missing or unreadable the clock runs as above. */
#ifndef TAS_LIB_CLOCK_H
#define TAS_LIB_CLOCK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Reads TAS_TODAY / TAS_TODAY_FROM once.  0, or -1 with a one-line reason
 * in err when either is set but malformed (the program should then stop:
 * a test that meant to pin the day must not run on the real one). */
int clock_init(char *err, size_t errlen);

/* The rule itself, for tests: the offset from the real clock that TAS_TODAY
 * `today` and TAS_TODAY_FROM `from` (either NULL or empty when unset) give
 * when the real clock reads real_now.  1 pinned, 0 not (offset 0), -1 bad
 * value (reason in err). */
int clock_offset_for(const char *today, const char *from, int64_t real_now, int64_t *offset,
                     char *err, size_t errlen);

/* Seconds since 1970-01-01T00:00:00Z, pinned or real. */
int64_t clock_now(void);

/* The UTC date of a time in seconds, as YYYY-MM-DD. */
void clock_date_of(int64_t t, char out[11]);

/* True when TAS_TODAY pins the calendar (a test run). */
bool clock_pinned(void);

#endif
