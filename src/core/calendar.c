/* Dates, English school terms and meeting schedules.  Pure arithmetic on
 * day numbers: no time zone, no allocation, no I/O. */
#include "core/calendar.h"

#include "core/codes.h"

#include <stdio.h>
#include <string.h>

/* ---- Civil dates ---- */

/* Howard Hinnant's days_from_civil / civil_from_days: exact for the whole
 * proleptic Gregorian calendar, using 400-year eras starting 1 March so the
 * leap day is the last day of the "year". */
int32_t day_from_ymd(int y, int m, int d)
{
    y -= m <= 2;
    int era = (y >= 0 ? y : y - 399) / 400;
    int yoe = y - era * 400;                                   /* [0, 399] */
    int doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1; /* [0, 365] */
    int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;           /* [0, 146096] */
    return (int32_t)(era * 146097 + doe - 719468);
}

void ymd_from_day(int32_t day, int *y, int *m, int *d)
{
    int32_t z = day + 719468;
    int32_t era = (z >= 0 ? z : z - 146096) / 146097;
    int32_t doe = z - era * 146097;
    int32_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int32_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int32_t mp = (5 * doy + 2) / 153;
    int dd = (int)(doy - (153 * mp + 2) / 5 + 1);
    int mm = (int)(mp < 10 ? mp + 3 : mp - 9);
    int yy = (int)(yoe + era * 400) + (mm <= 2);
    if (y)
        *y = yy;
    if (m)
        *m = mm;
    if (d)
        *d = dd;
}

static int days_in_month(int y, int m)
{
    static const int len[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return m == 2 && leap ? 29 : len[m - 1];
}

static int digits(const char *s, int n)
{
    int v = 0;
    for (int i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return -1;
        v = v * 10 + (s[i] - '0');
    }
    return v;
}

int day_parse(const char *s, int32_t *day)
{
    if (!s || strlen(s) != 10 || s[4] != '-' || s[7] != '-')
        return -1;
    int y = digits(s, 4), m = digits(s + 5, 2), d = digits(s + 8, 2);
    if (y < 1900 || y > 2199 || m < 1 || m > 12 || d < 1 || d > days_in_month(y, m))
        return -1;
    if (day)
        *day = day_from_ymd(y, m, d);
    return 0;
}

void day_format(int32_t day, char out[11])
{
    int y, m, d;
    ymd_from_day(day, &y, &m, &d);
    /* Four digits only: outside years 0..9999 write a date that is plainly
     * wrong rather than overflow the buffer. */
    if (y < 0 || y > 9999) {
        memcpy(out, "0000-00-00", 11);
        return;
    }
    out[0] = (char)('0' + y / 1000);
    out[1] = (char)('0' + y / 100 % 10);
    out[2] = (char)('0' + y / 10 % 10);
    out[3] = (char)('0' + y % 10);
    out[4] = '-';
    out[5] = (char)('0' + m / 10);
    out[6] = (char)('0' + m % 10);
    out[7] = '-';
    out[8] = (char)('0' + d / 10);
    out[9] = (char)('0' + d % 10);
    out[10] = '\0';
}

int day_weekday(int32_t day)
{
    /* 1970-01-01 was a Thursday (ISO 4). */
    int r = (int)(day % 7);
    if (r < 0)
        r += 7;
    return (r + 3) % 7 + 1;
}

int academic_year_of(int32_t day)
{
    int y, m;
    ymd_from_day(day, &y, &m, NULL);
    return m >= 8 ? y : y - 1;
}

int32_t easter_sunday(int year)
{
    /* Anonymous Gregorian algorithm (Meeus / Jones / Butcher). */
    int a = year % 19, b = year / 100, c = year % 100;
    int d = b / 4, e = b % 4;
    int f = (b + 8) / 25, g = (b - f + 1) / 3;
    int h = (19 * a + b - d - g + 15) % 30;
    int i = c / 4, k = c % 4;
    int l = (32 + 2 * e + 2 * i - h - k) % 7;
    int m = (a + 11 * h + 22 * l) / 451;
    int month = (h + l - 7 * m + 114) / 31;
    int dd = (h + l - 7 * m + 114) % 31 + 1;
    return day_from_ymd(year, month, dd);
}

/* ---- English term defaults ---- */

static int32_t monday_on_or_before(int32_t day)
{
    return day - (day_weekday(day) - 1);
}

static int32_t weekday_on_or_after(int32_t day, int wd)
{
    return day + (wd - day_weekday(day) + 7) % 7;
}

static int32_t weekday_on_or_before(int32_t day, int wd)
{
    return day - (day_weekday(day) - wd + 7) % 7;
}

/* Bank holidays (England and Wales) from Christmas of `year` to the spring
 * bank holiday of year+1: the ones that can touch a school year.  Weekend
 * Christmas, Boxing and New Year's days get their Monday/Tuesday
 * substitutes.  One-off changes (2020's Friday VE day, 2023's coronation)
 * are for the administrator to add as closure days.  Returns how many. */
static size_t bank_holidays(int year, int32_t out[8])
{
    size_t n = 0;
    int32_t xmas = day_from_ymd(year, 12, 25);
    switch (day_weekday(xmas)) {
    case 5: /* Fri: Boxing Day Saturday, moved to Monday */
        out[n++] = xmas;
        out[n++] = xmas + 3;
        break;
    case 6: /* Sat: both move to Mon and Tue */
        out[n++] = xmas + 2;
        out[n++] = xmas + 3;
        break;
    case 7: /* Sun: Boxing Day Monday, Christmas moves to Tuesday */
        out[n++] = xmas + 1;
        out[n++] = xmas + 2;
        break;
    default:
        out[n++] = xmas;
        out[n++] = xmas + 1;
    }
    int32_t ny = day_from_ymd(year + 1, 1, 1);
    out[n++] = day_weekday(ny) >= 6 ? weekday_on_or_after(ny, 1) : ny;
    int32_t easter = easter_sunday(year + 1);
    out[n++] = easter - 2;
    out[n++] = easter + 1;
    out[n++] = weekday_on_or_after(day_from_ymd(year + 1, 5, 1), 1);
    out[n++] = monday_on_or_before(day_from_ymd(year + 1, 5, 31));
    return n;
}

static bool in_list(int32_t day, const int32_t *list, size_t n)
{
    for (size_t i = 0; i < n && list; i++)
        if (list[i] == day)
            return true;
    return false;
}

/* The rules, chosen to match the dates most LAs published in recent years
 * (LAs differ; an authority enters its own dates when they do):
 *  - autumn 1 from the third weekday of September, pupils' first day after
 *    two INSET days (Wed 4 Sep 2024, Wed 3 Sep 2025, Thu 3 Sep 2026; the
 *    "first Wednesday on or after 2 September" is a week late in 2021);
 *  - October half-term: the week whose Monday falls 22-28 October (e.g.
 *    28 Oct-1 Nov 2024, 27-31 Oct 2025, 23-27 Oct 2023);
 *  - Christmas: the week holding Christmas Day and the week after; spring 1
 *    starts the next Monday, or the Tuesday when that Monday is the New Year
 *    bank holiday;
 *  - February half-term: the week whose Monday falls 12-18 February (12-16
 *    Feb 2024, 17-21 Feb 2025, 16-20 Feb 2026); the "third Monday" rule
 *    misses 2017, 2018, 2023 and 2024;
 *  - Easter: normally the week before and the week after Easter Sunday.  If
 *    Easter is so early that spring 2 would be under four weeks, the break
 *    runs from Good Friday for the two weeks after Easter (spring 2 ends on
 *    the Thursday; as in 2008).  If Easter is so late that spring 2
 *    would be two or more weeks longer than summer 1, the break is the two
 *    weeks before Easter plus Easter Monday (summer 1 starts on the Tuesday;
 *    as in 2014, 2019, 2022, 2025).  Either way Good Friday and Easter
 *    Monday are in the holiday;
 *  - May half-term: the week of the spring bank holiday (last Monday in May);
 *  - summer 2 ends on the Friday on or before 22 July. */
size_t english_default_terms(int year, struct half_term out[6], int32_t *closures,
                             size_t max_closures)
{
    int32_t a1s = day_from_ymd(year, 9, 1);
    for (int weekdays = 0;; a1s++)
        if (day_weekday(a1s) <= 5 && ++weekdays == 3)
            break;
    int32_t oct = weekday_on_or_after(day_from_ymd(year, 10, 22), 1);
    int32_t xmas_week = monday_on_or_before(day_from_ymd(year, 12, 25));
    int32_t feb = weekday_on_or_after(day_from_ymd(year + 1, 2, 12), 1);
    int32_t easter = easter_sunday(year + 1);
    int32_t may = monday_on_or_before(day_from_ymd(year + 1, 5, 31));
    int32_t end = weekday_on_or_before(day_from_ymd(year + 1, 7, 22), 5);

    int32_t bh[8];
    size_t nbh = bank_holidays(year, bh);

    int32_t s1s = xmas_week + 14;
    while (day_weekday(s1s) >= 6 || in_list(s1s, bh, nbh))
        s1s++;

    /* Easter: weeks of spring 2 and summer 1 if the break is centred. */
    int32_t s2s = feb + 7;
    int32_t s2e = easter - 9, u1s = easter + 8;  /* centred: Fri, Mon */
    int32_t spring2_weeks = (easter - 6 - s2s) / 7;
    int32_t summer1_weeks = (may - u1s) / 7;
    if (spring2_weeks < 4) {
        s2e = easter - 3;   /* Maundy Thursday */
        u1s = easter + 15;
    } else if (spring2_weeks - summer1_weeks >= 2) {
        s2e = easter - 16;
        u1s = easter + 2;   /* Tuesday after Easter Monday */
    }

    struct half_term t[6] = {
        {1, a1s, oct - 3},
        {2, oct + 7, xmas_week - 3},
        {3, s1s, feb - 3},
        {4, s2s, s2e},
        {5, u1s, may - 3},
        {6, may + 7, end},
    };
    if (out)
        memcpy(out, t, sizeof t);

    /* Bank holidays on weekdays in term (in practice only the early May
     * one) are closures; bh is in date order so closures are too. */
    size_t n = 0;
    for (size_t i = 0; i < nbh; i++)
        if (closures && n < max_closures && school_day(bh[i], t, 6, NULL, 0))
            closures[n++] = bh[i];
    return n;
}

const char *terms_check(const struct half_term *t, size_t n)
{
    /* Thread-local so the message stays put while the caller shows it,
     * even with other requests checking terms. */
    static _Thread_local char msg[96];
    if (n && !t)
        return "There are no term dates to check.";
    for (size_t i = 0; i < n; i++) {
        int num = t[i].number >= 1 && t[i].number <= 6 ? t[i].number : (int)(i + 1);
        if (t[i].ends < t[i].starts) {
            snprintf(msg, sizeof msg, "Half-term %d ends before it starts", num);
            return msg;
        }
        if (i > 0 && t[i].starts <= t[i - 1].ends) {
            int prev = t[i - 1].number >= 1 && t[i - 1].number <= 6 ? t[i - 1].number : (int)i;
            snprintf(msg, sizeof msg, "Half-term %d starts before half-term %d ends", num, prev);
            return msg;
        }
    }
    return NULL;
}

bool school_day(int32_t day, const struct half_term *t, size_t nterms, const int32_t *closures,
                size_t nclosures)
{
    if (day_weekday(day) >= 6 || in_list(day, closures, nclosures))
        return false;
    for (size_t i = 0; i < nterms && t; i++)
        if (day >= t[i].starts && day <= t[i].ends)
            return true;
    return false;
}

/* ---- Cadences ---- */

static const char *const cadence_codes[CADENCE__COUNT] = {
    "fortnightly", "three_weekly", "half_termly", "twice_half_termly", "dates",
};
static const char *const cadence_labels[CADENCE__COUNT] = {
    "Every 2 weeks", "Every 3 weeks", "Once each half-term", "Twice each half-term",
    "On chosen dates",
};

ENUM_CODES(cadence, enum cadence, cadence_codes, "")

const char *cadence_label(enum cadence c)
{
    return (unsigned)c < CADENCE__COUNT ? cadence_labels[c] : "";
}

/* ---- Schedules ---- */

struct sched {
    const struct half_term *terms;
    size_t nterms;
    const int32_t *closures;
    size_t nclosures;
    int32_t *out;
    size_t max, n;
};

static bool open_day(const struct sched *s, int32_t day)
{
    return school_day(day, s->terms, s->nterms, s->closures, s->nclosures);
}

/* Appends in strictly increasing order, so overlapping half-terms cannot
 * produce duplicates.  False once out is full. */
static bool emit(struct sched *s, int32_t day)
{
    if (s->n >= s->max)
        return false;
    if (s->n == 0 || day > s->out[s->n - 1])
        s->out[s->n++] = day;
    return true;
}

static int32_t dist(int32_t a, int32_t b)
{
    return a > b ? a - b : b - a;
}

/* "No such day": every real day number is far above it. */
#define NO_DAY INT32_MIN

/* The school day on weekday wd in [lo, hi] nearest to target (the earlier
 * on a tie); NO_DAY when there is none. */
static int32_t nearest(const struct sched *s, int wd, int32_t lo, int32_t hi, int32_t target)
{
    int32_t best = NO_DAY, best_dist = 0;
    for (int32_t d = weekday_on_or_after(lo, wd); d <= hi; d += 7) {
        if (!open_day(s, d))
            continue;
        if (best == NO_DAY || dist(d, target) < best_dist) {
            best = d;
            best_dist = dist(d, target);
        }
    }
    return best;
}

/* The first school day from `day` to hi, stepping a week at a time (so on
 * day's weekday); NO_DAY when there is none. */
static int32_t next_open(const struct sched *s, int32_t day, int32_t hi)
{
    for (; day <= hi; day += 7)
        if (open_day(s, day))
            return day;
    return NO_DAY;
}

/* Twice a half-term: the pair of school days on weekday wd in [lo, hi]
 * closest (summed distance) to one third and two thirds of the way
 * through.  Nearest-day rounding alone can put the two a week apart
 * (Wednesdays 21 and 28 Jan 2026), so pairs at least a fortnight apart are
 * preferred when the half-term has one.  Ties go to the earlier pair.  One
 * day only when there is one candidate; NO_DAY for none. */
static void two_days(const struct sched *s, int wd, int32_t lo, int32_t hi, int32_t *d1,
                     int32_t *d2)
{
    int32_t p1 = lo + (hi - lo) / 3, p2 = lo + 2 * (hi - lo) / 3;
    int32_t best_cost = 0;
    bool best_wide = false;
    *d1 = *d2 = NO_DAY;
    for (int32_t a = weekday_on_or_after(lo, wd); a <= hi; a += 7) {
        if (!open_day(s, a))
            continue;
        if (*d1 == NO_DAY)
            *d1 = a;  /* the only day, if no pair turns up */
        for (int32_t b = a + 7; b <= hi; b += 7) {
            if (!open_day(s, b))
                continue;
            bool wide = b - a >= 14;
            int32_t cost = dist(a, p1) + dist(b, p2);
            if (*d2 == NO_DAY || (wide && !best_wide) ||
                (wide == best_wide && cost < best_cost)) {
                *d1 = a;
                *d2 = b;
                best_cost = cost;
                best_wide = wide;
            }
        }
    }
}

static bool one_half_term(struct sched *s, enum cadence c, int wd, const struct half_term *h,
                          int32_t from, int32_t to)
{
    /* The schedule starts at `from`: a half-term already under way is
     * planned over what is left of it.  `to` only cuts the list short. */
    int32_t lo = h->starts > from ? h->starts : from;
    int32_t hi = h->ends < to ? h->ends : to;
    int32_t end = h->ends;
    if (lo > hi)
        return true;
    switch (c) {
    case CADENCE_FORTNIGHTLY:
    case CADENCE_THREE_WEEKLY: {
        int32_t step = c == CADENCE_FORTNIGHTLY ? 14 : 21;
        for (int32_t d = next_open(s, weekday_on_or_after(lo, wd), hi); d != NO_DAY;) {
            if (!emit(s, d))
                return false;
            /* A step onto a closure day moves to the next open week and
             * the rhythm continues from the day actually held. */
            d = next_open(s, d + step, hi);
        }
        return true;
    }
    case CADENCE_HALF_TERMLY: {
        int32_t d = nearest(s, wd, lo, end, lo + (end - lo) / 2);
        return d == NO_DAY || d > hi || emit(s, d);
    }
    case CADENCE_TWICE_HALF_TERMLY: {
        int32_t d1, d2;
        two_days(s, wd, lo, end, &d1, &d2);
        if (d1 != NO_DAY && d1 <= hi && !emit(s, d1))
            return false;
        if (d2 != NO_DAY && d2 <= hi && !emit(s, d2))
            return false;
        return true;
    }
    default:
        return true;
    }
}

/* Explicit dates: insertion into the sorted, bounded out array keeps the
 * earliest `max` distinct school days without needing scratch memory. */
static size_t explicit_dates(struct sched *s, int32_t from, int32_t to, const int32_t *dates,
                             size_t ndates)
{
    for (size_t i = 0; i < ndates && dates; i++) {
        int32_t d = dates[i];
        if (d < from || d > to || !open_day(s, d))
            continue;
        size_t j = s->n;
        while (j > 0 && s->out[j - 1] > d)
            j--;
        if (j > 0 && s->out[j - 1] == d)
            continue;
        if (j >= s->max)
            continue;  /* later than everything kept in a full list */
        size_t last = s->n < s->max ? s->n : s->max - 1;
        memmove(s->out + j + 1, s->out + j, (last - j) * sizeof *s->out);
        s->out[j] = d;
        if (s->n < s->max)
            s->n++;
    }
    return s->n;
}

size_t schedule_generate(enum cadence c, int weekday, int32_t from, int32_t to,
                         const struct half_term *terms, size_t nterms,
                         const int32_t *closures, size_t nclosures,
                         const int32_t *dates, size_t ndates,
                         int32_t *out, size_t max)
{
    struct sched s = {terms, nterms, closures, nclosures, out, max, 0};
    if (!out || max == 0 || from > to || !terms)
        return 0;
    if (c == CADENCE_DATES)
        return explicit_dates(&s, from, to, dates, ndates);
    if ((unsigned)c >= CADENCE__COUNT || weekday < 1 || weekday > 5)
        return 0;

    /* Half-terms in date order whatever order they came in (selection by
     * start, ties by position, so each is visited once). */
    size_t done = 0;
    int32_t prev_start = 0;
    size_t prev_idx = 0;
    while (done < nterms) {
        size_t pick = nterms;
        for (size_t i = 0; i < nterms; i++) {
            bool after = done == 0 || terms[i].starts > prev_start ||
                         (terms[i].starts == prev_start && i > prev_idx);
            if (after && (pick == nterms || terms[i].starts < terms[pick].starts))
                pick = i;
        }
        if (pick == nterms)
            break;
        if (!one_half_term(&s, c, weekday, &terms[pick], from, to))
            break;
        prev_start = terms[pick].starts;
        prev_idx = pick;
        done++;
    }
    return s.n;
}

size_t schedule_drop_before(int32_t *days, size_t n, int32_t first)
{
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        if (days[i] >= first)
            days[k++] = days[i];
    return k;
}

/* ---- names for people -------------------------------------------------- */

static const char *const month_names[12] = {"January", "February", "March", "April", "May", "June", "July",
                                            "August", "September", "October", "November", "December"};
static const char *const weekday_names[7] = {"Monday", "Tuesday", "Wednesday", "Thursday", "Friday",
                                             "Saturday", "Sunday"};

const char *month_name(int month)
{
    return month >= 1 && month <= 12 ? month_names[month - 1] : "";
}

const char *month_abbr(int month)
{
    static const char *const abbr[12] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                         "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    return month >= 1 && month <= 12 ? abbr[month - 1] : "";
}

const char *weekday_name(int weekday)
{
    return weekday >= 1 && weekday <= 7 ? weekday_names[weekday - 1] : "";
}

/* Years are four digits in labels (day numbers reach past 9999). */
void day_label(int32_t day, char *out, size_t outsz)
{
    int y, m, d;
    ymd_from_day(day, &y, &m, &d);
    snprintf(out, outsz, "%d %s %d", d, month_name(m), y % 10000);
}

void day_label_long(int32_t day, char *out, size_t outsz)
{
    int y, m, d;
    ymd_from_day(day, &y, &m, &d);
    snprintf(out, outsz, "%s %d %s %d", weekday_name(day_weekday(day)), d, month_name(m), y % 10000);
}

void date_label(const char *iso, char *out, size_t outsz)
{
    int32_t day;
    if (outsz)
        out[0] = '\0';
    if (!iso || !*iso || day_parse(iso, &day) != 0)
        return;
    day_label(day, out, outsz);
}
