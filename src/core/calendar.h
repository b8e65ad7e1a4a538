/* Dates, school terms and meeting schedules.  Dates are "YYYY-MM-DD"
 * strings at the edges and day numbers inside (days since 1970-01-01), so
 * arithmetic is exact and needs no time zone. */
#ifndef TAS_CORE_CALENDAR_H
#define TAS_CORE_CALENDAR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Day number of a civil date (proleptic Gregorian); no validation. */
int32_t day_from_ymd(int y, int m, int d);
void ymd_from_day(int32_t day, int *y, int *m, int *d);
/* Parses a strict "YYYY-MM-DD" real date; 0 ok, -1 otherwise. */
int day_parse(const char *s, int32_t *day);
/* Writes "YYYY-MM-DD" (out needs 11 bytes). */
void day_format(int32_t day, char out[11]);
/* ISO weekday: 1 Monday .. 7 Sunday. */
int day_weekday(int32_t day);
/* Names for people: "January".."December" (month 1..12), "Jan".."Dec",
 * "Monday".."Sunday" (ISO weekday 1..7); "" for a number out of range. */
const char *month_name(int month);
const char *month_abbr(int month);
const char *weekday_name(int weekday);
/* "27 March 2026" (at most 31 bytes and the NUL). */
void day_label(int32_t day, char *out, size_t outsz);
/* "Friday 27 March 2026" (at most 39 bytes and the NUL). */
void day_label_long(int32_t day, char *out, size_t outsz);
/* "2026-03-27" -> "27 March 2026"; "" when iso is NULL, empty or not a
 * real date. */
void date_label(const char *iso, char *out, size_t outsz);
/* Academic year (its starting calendar year) containing a date: it starts
 * on 1 August, as in DfE data (2025-07-31 -> 2024, 2025-08-01 -> 2025). */
int academic_year_of(int32_t day);
/* Easter Sunday of a year (Gregorian computus). */
int32_t easter_sunday(int year);

/* One half-term: the days schools are open run from starts to ends
 * inclusive, weekends excepted; the gaps between half-terms are holidays. */
struct half_term {
    int number;        /* 1..6: autumn 1, autumn 2, spring 1, spring 2, summer 1, summer 2 */
    int32_t starts;
    int32_t ends;
};

/* Sensible English defaults for academic year `year` (e.g. 2025 for
 * 2025/26), written into out[0..5] (numbers 1..6): autumn from the third
 * weekday of September (after two INSET days), a one-week October half-term
 * (the week whose Monday falls 22-28 October), two weeks at Christmas (the
 * week holding Christmas Day and the next; spring starts on the Tuesday if
 * that Monday is the New Year bank holiday), a February half-term week (the
 * week whose Monday falls 12-18 February), two weeks at Easter around Easter
 * Sunday (the week before and the week after; when Easter is early enough to
 * leave spring 2 under four weeks, Good Friday and the two weeks after; when
 * late enough to make spring 2 two or more weeks longer than summer 1, the
 * two weeks before plus Easter Monday), the May half-term week (the week of
 * the last Monday in May), and the year ending on the Friday on or before
 * 22 July.  Also writes the bank holidays that fall on weekdays inside term
 * (in practice only the early May bank holiday, the first Monday of May)
 * into closures (up to max_closures, in date order), returning how many. */
size_t english_default_terms(int year, struct half_term out[6], int32_t *closures,
                             size_t max_closures);

/* Checks a set of half-terms an administrator typed: each ends on or after
 * it starts, they are in order and do not overlap.  NULL when fine, else a
 * message naming the problem ("Half-term 3 ends before it starts",
 * "Half-term 4 starts before half-term 3 ends"), valid until the same
 * thread calls again. */
const char *terms_check(const struct half_term *t, size_t n);

/* True if schools are open that day: a weekday inside some half-term and
 * not a closure day. */
bool school_day(int32_t day, const struct half_term *t, size_t nterms, const int32_t *closures,
                size_t nclosures);

enum cadence {
    CADENCE_FORTNIGHTLY = 0,     /* every 2 weeks */
    CADENCE_THREE_WEEKLY,        /* every 3 weeks */
    CADENCE_HALF_TERMLY,         /* once each half-term */
    CADENCE_TWICE_HALF_TERMLY,   /* twice each half-term */
    CADENCE_DATES,               /* an explicit list of dates */
    CADENCE__COUNT
};

const char *cadence_code(enum cadence c);   /* "fortnightly", "three_weekly", "half_termly", "twice_half_termly", "dates" */
const char *cadence_label(enum cadence c);  /* "Every 2 weeks", ... */
int cadence_from_code(const char *s, enum cadence *out);  /* 0 ok */

/* Generates the planned meeting days from `from` to `to` inclusive, in
 * order, into out (at most max, the earliest; returns how many).  weekday
 * is 1..5 (ignored for dates).  The schedule starts at `from`: a half-term
 * under way is planned over what is left of it; `to` only cuts the list
 * short, it never moves a meeting.
 *  - fortnightly / three-weekly: in each half-term, start at the first
 *    school day on the given weekday (not before `from`), then step 2 or 3
 *    weeks to the end of the half-term.  A step landing on a closure day is
 *    not held then: the meeting moves to the next school day on that
 *    weekday in the half-term, and the rhythm continues from there.  The
 *    rhythm restarts at each half-term, so a step that would land in a
 *    holiday becomes the first meeting on that weekday after the break and
 *    no half-term begins with a long gap.
 *  - half-termly: in each half-term, the school day on the given weekday
 *    nearest its midpoint (the earlier on a tie).
 *  - twice per half-term: two school days on the given weekday, as near as
 *    possible to one third and two thirds of the way through the
 *    half-term, at least two weeks apart when the half-term allows (one
 *    day if it has only one).
 *  - dates: the explicit list (dates, ndates), keeping only school days
 *    within [from, to], sorted, without duplicates.
 * Days that are not school days are never returned. */
size_t schedule_generate(enum cadence c, int weekday, int32_t from, int32_t to,
                         const struct half_term *terms, size_t nterms,
                         const int32_t *closures, size_t nclosures,
                         const int32_t *dates, size_t ndates,
                         int32_t *out, size_t max);

/* Keeps the days on or after `first` of an ordered list, in place;
 * returns how many are left.  Planning "from today" is the whole year's
 * schedule less its past days, so the rhythm never depends on the day
 * the plan was made. */
size_t schedule_drop_before(int32_t *days, size_t n, int32_t first);

#endif
