/* Dates, English term defaults and meeting schedules.  Expected dates are
 * worked by hand from a wall calendar (see the comments by each table);
 * Easter dates are the published ones. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "core/calendar.h"
#include "lib/count.h"


/* A date from its string; the string must be valid. */
static int32_t D(const char *s)
{
    int32_t d = 0;
    assert_int_equal(day_parse(s, &d), 0);
    return d;
}

/* Compares day lists as text so a failure prints the dates. */
static void assert_days(const int32_t *got, size_t ngot, const char *const *want, size_t nwant)
{
    for (size_t i = 0; i < ngot && i < nwant; i++) {
        char s[11];
        day_format(got[i], s);
        assert_string_equal(s, want[i]);
    }
    assert_int_equal(ngot, nwant);
}

/* ---- Day numbers ---- */

static void test_day_anchors(void **state)
{
    (void)state;
    assert_int_equal(day_from_ymd(1970, 1, 1), 0);
    assert_int_equal(day_from_ymd(1969, 12, 31), -1);
    assert_int_equal(day_from_ymd(2000, 3, 1), 11017);
    assert_int_equal(day_from_ymd(2038, 1, 19), 24855);  /* 2^31 seconds */
    assert_int_equal(day_from_ymd(1900, 1, 1), -25567);
    assert_int_equal(day_from_ymd(2199, 12, 31), 84005);
    int y, m, d;
    ymd_from_day(-25567, &y, &m, &d);
    assert_int_equal(y * 10000 + m * 100 + d, 19000101);
    ymd_from_day(11016, &y, &m, &d);
    assert_int_equal(y * 10000 + m * 100 + d, 20000229);
}

/* Every day 1900..2199: numbers are consecutive, and ymd, format and parse
 * all agree with each other. */
static void test_day_round_trip(void **state)
{
    (void)state;
    int32_t expect = day_from_ymd(1900, 1, 1);
    int count = 0;
    for (int y = 1900; y <= 2199; y++)
        for (int m = 1; m <= 12; m++)
            for (int d = 1; d <= 31; d++) {
                char s[11] = {(char)('0' + y / 1000), (char)('0' + y / 100 % 10),
                              (char)('0' + y / 10 % 10), (char)('0' + y % 10), '-',
                              (char)('0' + m / 10), (char)('0' + m % 10), '-',
                              (char)('0' + d / 10), (char)('0' + d % 10), '\0'};
                int32_t parsed;
                if (day_parse(s, &parsed) != 0)
                    continue;  /* 31 April and the like */
                assert_int_equal(parsed, expect);
                assert_int_equal(day_from_ymd(y, m, d), expect);
                int yy, mm, dd;
                ymd_from_day(expect, &yy, &mm, &dd);
                assert_int_equal(yy, y);
                assert_int_equal(mm, m);
                assert_int_equal(dd, d);
                char out[11];
                day_format(expect, out);
                assert_string_equal(out, s);
                expect++;
                count++;
            }
    assert_int_equal(count, 84005 + 25567 + 1);  /* 300 years of days */
}

static void test_day_parse_strict(void **state)
{
    (void)state;
    static const char *const good[] = {"1900-01-01", "2199-12-31", "2024-02-29", "2000-02-29",
                                       "2025-09-03", "2025-12-31"};
    static const char *const bad[] = {
        "",           "2025-02-29", "1900-02-29", "2100-02-29", "2025-04-31",
        "2025-13-01", "2025-00-10", "2025-01-00", "2025-1-01",  "2025-01-1",
        " 2025-01-01", "2025-01-01 ", "2025/01/01", "20250101",  "1899-12-31",
        "2200-01-01", "2025-01-0a", "+025-01-01", "2025-01-01\n", "2025-01-32",
        "0000-01-01", "2025-09-03x",
    };
    for (size_t i = 0; i < COUNT(good); i++) {
        int32_t d = -1;
        assert_int_equal(day_parse(good[i], &d), 0);
        char s[11];
        day_format(d, s);
        assert_string_equal(s, good[i]);
    }
    for (size_t i = 0; i < COUNT(bad); i++) {
        int32_t d = 12345;
        assert_int_equal(day_parse(bad[i], &d), -1);
        assert_int_equal(d, 12345);  /* untouched on failure */
    }
    assert_int_equal(day_parse(NULL, NULL), -1);
}

static void test_weekdays(void **state)
{
    (void)state;
    static const struct {
        const char *date;
        int wd;
    } v[] = {
        {"1970-01-01", 4}, {"1969-12-31", 3}, {"1900-01-01", 1}, {"1966-07-30", 6},
        {"1969-07-20", 7}, {"2000-01-01", 6}, {"2012-07-27", 5}, {"2024-02-29", 4},
        {"2025-09-03", 3}, {"2025-12-25", 4}, {"2038-01-19", 2}, {"2199-12-31", 2},
    };
    for (size_t i = 0; i < COUNT(v); i++)
        assert_int_equal(day_weekday(D(v[i].date)), v[i].wd);
    /* The cycle holds across 1970 and far either side. */
    for (int32_t d = -25567; d < 84005; d++)
        assert_int_equal(day_weekday(d + 1), day_weekday(d) % 7 + 1);
}

static void test_academic_year(void **state)
{
    (void)state;
    static const struct {
        const char *date;
        int year;
    } v[] = {
        {"2025-07-31", 2024}, {"2025-08-01", 2025}, {"2025-12-31", 2025}, {"2026-01-01", 2025},
        {"2026-07-31", 2025}, {"2000-02-29", 1999}, {"1900-08-01", 1900}, {"1900-07-31", 1899},
        {"2199-12-31", 2199},
    };
    for (size_t i = 0; i < COUNT(v); i++)
        assert_int_equal(academic_year_of(D(v[i].date)), v[i].year);
}

static void test_easter(void **state)
{
    (void)state;
    static const char *const known[] = {
        "2000-04-23", "2001-04-15", "2002-03-31", "2003-04-20", "2004-04-11", "2005-03-27",
        "2006-04-16", "2007-04-08", "2008-03-23", "2009-04-12", "2010-04-04", "2011-04-24",
        "2012-04-08", "2013-03-31", "2014-04-20", "2015-04-05", "2016-03-27", "2017-04-16",
        "2018-04-01", "2019-04-21", "2020-04-12", "2021-04-04", "2022-04-17", "2023-04-09",
        "2024-03-31", "2025-04-20", "2026-04-05", "2027-03-28", "2028-04-16", "2029-04-01",
        "2030-04-21",
    };
    for (int y = 2000; y <= 2030; y++)
        assert_int_equal(easter_sunday(y), D(known[y - 2000]));
    /* The extremes: 22 March and 25 April. */
    assert_int_equal(easter_sunday(2038), D("2038-04-25"));
    assert_int_equal(easter_sunday(1943), day_from_ymd(1943, 4, 25));
    assert_int_equal(easter_sunday(2285), day_from_ymd(2285, 3, 22));
    for (int y = 1900; y <= 2199; y++) {
        int32_t e = easter_sunday(y);
        assert_int_equal(day_weekday(e), 7);
        assert_true(e >= day_from_ymd(y, 3, 22) && e <= day_from_ymd(y, 4, 25));
    }
}

/* ---- Term defaults ---- */

struct year_vector {
    int year;
    const char *dates[12];  /* starts, ends of half-terms 1..6 */
    const char *closure;    /* the early May bank holiday */
};

/* Worked by hand:
 * 2024/25: third weekday of Sep 2024 is Wed 4; Monday 22-28 Oct is 28 Oct;
 *   Christmas Wed, so its week is 23 Dec, back Mon 6 Jan; Monday 12-18 Feb
 *   is 17 Feb; Easter 20 Apr is late (centred: spring 2 seven weeks against
 *   summer 1 four), so the break is 7-21 Apr, back Tue 22 Apr; last Monday
 *   of May is 26 May; 22 Jul 2025 is a Tuesday, so Fri 18 Jul.
 * 2025/26: the dates the LA published (3 Sep; 27-31 Oct; 22 Dec-2 Jan;
 *   16-20 Feb; Easter 5 Apr centred: 30 Mar-10 Apr; 25-29 May; Fri 17 Jul).
 * 2026/27: 1 Sep is a Tuesday, so Thu 3 Sep; 26 Oct; Christmas Fri, week
 *   of 21 Dec, back Mon 4 Jan (New Year's Day was the Friday); 15 Feb;
 *   Easter 28 Mar leaves spring 2 four weeks, so centred 22 Mar-2 Apr;
 *   31 May; 22 Jul 2027 is a Thursday, so Fri 16 Jul.
 * 2027/28: Fri 3 Sep; 25 Oct; Christmas Sat, week of 20 Dec; Mon 3 Jan
 *   2028 is the New Year substitute, so Tue 4 Jan; 14 Feb; Easter 16 Apr
 *   late (seven weeks against five): 3-17 Apr, back Tue 18 Apr; 29 May;
 *   Fri 21 Jul. */
static const struct year_vector years[] = {
    {2024,
     {"2024-09-04", "2024-10-25", "2024-11-04", "2024-12-20", "2025-01-06", "2025-02-14",
      "2025-02-24", "2025-04-04", "2025-04-22", "2025-05-23", "2025-06-02", "2025-07-18"},
     "2025-05-05"},
    {2025,
     {"2025-09-03", "2025-10-24", "2025-11-03", "2025-12-19", "2026-01-05", "2026-02-13",
      "2026-02-23", "2026-03-27", "2026-04-13", "2026-05-22", "2026-06-01", "2026-07-17"},
     "2026-05-04"},
    {2026,
     {"2026-09-03", "2026-10-23", "2026-11-02", "2026-12-18", "2027-01-04", "2027-02-12",
      "2027-02-22", "2027-03-19", "2027-04-05", "2027-05-28", "2027-06-07", "2027-07-16"},
     "2027-05-03"},
    {2027,
     {"2027-09-03", "2027-10-22", "2027-11-01", "2027-12-17", "2028-01-04", "2028-02-11",
      "2028-02-21", "2028-03-31", "2028-04-18", "2028-05-26", "2028-06-05", "2028-07-21"},
     "2028-05-01"},
};

static void test_default_terms_known_years(void **state)
{
    (void)state;
    for (size_t i = 0; i < COUNT(years); i++) {
        struct half_term t[6];
        int32_t cl[8];
        size_t n = english_default_terms(years[i].year, t, cl, COUNT(cl));
        int32_t got[12];
        for (int h = 0; h < 6; h++) {
            assert_int_equal(t[h].number, h + 1);
            got[2 * h] = t[h].starts;
            got[2 * h + 1] = t[h].ends;
        }
        assert_days(got, 12, years[i].dates, 12);
        assert_days(cl, n, &years[i].closure, 1);
    }
}

/* 2007/08: Easter 23 Mar 2008 is so early that a centred break leaves
 * spring 2 three weeks (25 Feb-14 Mar), so the break runs from Good Friday
 * 21 Mar: spring 2 ends Maundy Thursday 20 Mar and summer starts 7 Apr.
 * 2022/23: New Year's Day on a Sunday, substitute Mon 2 Jan: Tue 3 Jan. */
static void test_default_terms_awkward_years(void **state)
{
    (void)state;
    struct half_term t[6];
    english_default_terms(2007, t, NULL, 0);
    int32_t got[4] = {t[3].starts, t[3].ends, t[4].starts, t[2].ends};
    static const char *const want[] = {"2008-02-25", "2008-03-20", "2008-04-07", "2008-02-15"};
    assert_days(got, 4, want, 4);
    english_default_terms(2022, t, NULL, 0);
    assert_int_equal(t[2].starts, D("2023-01-03"));
    assert_int_equal(t[1].ends, D("2022-12-16"));
    /* Christmas on a Monday: its week is the first of the break. */
    english_default_terms(2023, t, NULL, 0);
    assert_int_equal(t[1].ends, D("2023-12-22"));
    assert_int_equal(t[2].starts, D("2024-01-08"));
    /* Closures are bounded by max_closures. */
    int32_t one = 0;
    assert_int_equal(english_default_terms(2025, t, &one, 0), 0);
    assert_int_equal(one, 0);
}

static int weekdays_between(int32_t a, int32_t b)
{
    int n = 0;
    for (int32_t d = a; d <= b; d++)
        n += day_weekday(d) <= 5;
    return n;
}

/* Every year 2000/01..2100/01: six ordered half-terms of sensible length,
 * holidays where they belong, and a school year of 190-odd days. */
static void test_default_terms_structure(void **state)
{
    (void)state;
    for (int y = 2000; y <= 2100; y++) {
        struct half_term t[6];
        int32_t cl[8];
        size_t n = english_default_terms(y, t, cl, COUNT(cl));
        assert_null(terms_check(t, 6));
        for (int h = 0; h < 6; h++) {
            assert_int_equal(academic_year_of(t[h].starts), y);
            assert_int_equal(academic_year_of(t[h].ends), y);
            assert_true(day_weekday(t[h].starts) <= 5 && day_weekday(t[h].ends) <= 5);
            /* Four weeks Monday to Friday is 26 days; spring 2 may be three. */
            int min = h == 3 ? 19 : 26;
            assert_true(t[h].ends - t[h].starts + 1 >= min);
            if (h > 0)  /* a holiday of at least a week between half-terms */
                assert_true(weekdays_between(t[h - 1].ends + 1, t[h].starts - 1) >= 5);
        }
        /* Two weeks at Christmas and Easter. */
        assert_true(weekdays_between(t[1].ends + 1, t[2].starts - 1) >= 10);
        assert_true(weekdays_between(t[3].ends + 1, t[4].starts - 1) >= 10);
        int32_t e = easter_sunday(y + 1);
        assert_true(t[3].ends < e - 2 && t[4].starts > e + 1);  /* Good Friday, Easter Monday */
        assert_true(t[1].ends < day_from_ymd(y, 12, 25) && t[2].starts > day_from_ymd(y + 1, 1, 1));
        int32_t early_may = day_from_ymd(y + 1, 5, 1);
        while (day_weekday(early_may) != 1)
            early_may++;
        assert_int_equal(n, 1);
        assert_int_equal(cl[0], early_may);
        int32_t spring_bh = day_from_ymd(y + 1, 5, 31);
        while (day_weekday(spring_bh) != 1)
            spring_bh--;
        assert_true(spring_bh > t[4].ends && spring_bh < t[5].starts);
        int days = 0;
        for (int32_t d = t[0].starts; d <= t[5].ends; d++)
            days += school_day(d, t, 6, cl, n);
        assert_true(days >= 189 && days <= 197);
    }
}

static void test_terms_check(void **state)
{
    (void)state;
    struct half_term t[6];
    english_default_terms(2025, t, NULL, 0);
    assert_null(terms_check(t, 6));
    assert_null(terms_check(t, 0));
    assert_null(terms_check(NULL, 0));
    assert_non_null(terms_check(NULL, 1));

    struct half_term bad[6];
    memcpy(bad, t, sizeof bad);
    bad[2].ends = bad[2].starts - 1;
    assert_string_equal(terms_check(bad, 6), "Half-term 3 ends before it starts");

    memcpy(bad, t, sizeof bad);
    bad[3].starts = bad[2].ends;  /* sharing a day is an overlap */
    assert_string_equal(terms_check(bad, 6), "Half-term 4 starts before half-term 3 ends");

    memcpy(bad, t, sizeof bad);
    bad[0] = t[1];  /* out of order */
    bad[1] = t[0];
    assert_string_equal(terms_check(bad, 6), "Half-term 1 starts before half-term 2 ends");

    /* A one-day half-term is allowed. */
    memcpy(bad, t, sizeof bad);
    bad[5].ends = bad[5].starts;
    assert_null(terms_check(bad, 6));
}

static void test_school_day(void **state)
{
    (void)state;
    struct half_term t[6];
    int32_t cl[8];
    size_t n = english_default_terms(2025, t, cl, COUNT(cl));
    static const struct {
        const char *date;
        bool open;
    } v[] = {
        {"2025-09-02", false}, /* INSET, before term */
        {"2025-09-03", true},  {"2025-09-06", false}, /* Saturday */
        {"2025-10-24", true},  {"2025-10-27", false}, /* half-term */
        {"2025-11-03", true},  {"2025-12-19", true},  {"2025-12-22", false},
        {"2026-01-02", false}, {"2026-01-05", true},  {"2026-02-16", false},
        {"2026-04-03", false}, {"2026-04-06", false}, {"2026-04-13", true},
        {"2026-05-04", false}, /* early May bank holiday */
        {"2026-05-05", true},  {"2026-05-25", false}, {"2026-07-17", true},
        {"2026-07-20", false},
    };
    for (size_t i = 0; i < COUNT(v); i++)
        assert_int_equal(school_day(D(v[i].date), t, 6, cl, n), v[i].open);
    /* Without the closure list the bank holiday is an ordinary Monday. */
    assert_true(school_day(D("2026-05-04"), t, 6, NULL, 0));
    assert_false(school_day(D("2025-09-03"), NULL, 0, NULL, 0));
}

static void test_cadence_codes(void **state)
{
    (void)state;
    static const char *const codes[] = {"fortnightly", "three_weekly", "half_termly",
                                        "twice_half_termly", "dates"};
    assert_int_equal(COUNT(codes), CADENCE__COUNT);
    for (int c = 0; c < CADENCE__COUNT; c++) {
        enum cadence back = CADENCE__COUNT;
        assert_string_equal(cadence_code((enum cadence)c), codes[c]);
        assert_int_equal(cadence_from_code(codes[c], &back), 0);
        assert_int_equal(back, c);
        assert_true(strlen(cadence_label((enum cadence)c)) > 0);
    }
    assert_string_equal(cadence_label(CADENCE_FORTNIGHTLY), "Every 2 weeks");
    enum cadence x;
    assert_int_equal(cadence_from_code("Fortnightly", &x), -1);
    assert_int_equal(cadence_from_code("", &x), -1);
    assert_int_equal(cadence_from_code(NULL, &x), -1);
    assert_string_equal(cadence_code(CADENCE__COUNT), "");
}

/* ---- Schedules over 2025/26 ---- */

struct year_ctx {
    struct half_term t[6];
    int32_t cl[8];
    size_t ncl;
};

static struct year_ctx year_2025(void)
{
    struct year_ctx y;
    y.ncl = english_default_terms(2025, y.t, y.cl, COUNT(y.cl));
    return y;
}

static size_t gen(const struct year_ctx *y, enum cadence c, int wd, const char *from,
                  const char *to, int32_t *out, size_t max)
{
    return schedule_generate(c, wd, D(from), D(to), y->t, 6, y->cl, y->ncl, NULL, 0, out, max);
}

struct cadence_vector {
    enum cadence c;
    int wd;
    size_t n;
    const char *first, *last;
    const char *all[24];
};

/* 2025/26 from 1 Sep to 31 Jul.  Wednesdays, by half-term:
 * fortnightly restarts at the first Wednesday of each half-term (3 Sep,
 *   5 Nov, 7 Jan, 25 Feb, 15 Apr, 3 Jun): 4+4+3+3+3+4 = 21;
 * three-weekly likewise: 3+3+2+2+2+3 = 15;
 * half-termly: the Wednesday nearest each midpoint (28 Sep Sun -> 1 Oct,
 *   26 Nov, 24 Jan Sat -> 21 Jan, 11 Mar, 2 May Sat -> 29 Apr, 24 Jun);
 * twice: nearest 1/3 and 2/3, a fortnight apart (spring 1: 18 Jan and
 *   31 Jan give 21 and 28 Jan by rounding, a week apart, so 14 and 28 Jan).
 * Mondays three-weekly: 13 Apr, then 4 May is the bank holiday, so 11 May. */
static const struct cadence_vector cadences[] = {
    {CADENCE_FORTNIGHTLY, 3, 21, "2025-09-03", "2026-07-15",
     {"2025-09-03", "2025-09-17", "2025-10-01", "2025-10-15", "2025-11-05", "2025-11-19",
      "2025-12-03", "2025-12-17", "2026-01-07", "2026-01-21", "2026-02-04", "2026-02-25",
      "2026-03-11", "2026-03-25", "2026-04-15", "2026-04-29", "2026-05-13", "2026-06-03",
      "2026-06-17", "2026-07-01", "2026-07-15"}},
    {CADENCE_THREE_WEEKLY, 3, 15, "2025-09-03", "2026-07-15",
     {"2025-09-03", "2025-09-24", "2025-10-15", "2025-11-05", "2025-11-26", "2025-12-17",
      "2026-01-07", "2026-01-28", "2026-02-25", "2026-03-18", "2026-04-15", "2026-05-06",
      "2026-06-03", "2026-06-24", "2026-07-15"}},
    {CADENCE_HALF_TERMLY, 3, 6, "2025-10-01", "2026-06-24",
     {"2025-10-01", "2025-11-26", "2026-01-21", "2026-03-11", "2026-04-29", "2026-06-24"}},
    {CADENCE_TWICE_HALF_TERMLY, 3, 12, "2025-09-17", "2026-07-01",
     {"2025-09-17", "2025-10-08", "2025-11-19", "2025-12-03", "2026-01-14", "2026-01-28",
      "2026-03-04", "2026-03-18", "2026-04-22", "2026-05-06", "2026-06-17", "2026-07-01"}},
    {CADENCE_THREE_WEEKLY, 1, 15, "2025-09-08", "2026-07-13",
     {"2025-09-08", "2025-09-29", "2025-10-20", "2025-11-03", "2025-11-24", "2025-12-15",
      "2026-01-05", "2026-01-26", "2026-02-23", "2026-03-16", "2026-04-13", "2026-05-11",
      "2026-06-01", "2026-06-22", "2026-07-13"}},
    /* Fridays and Mondays for the counts alone. */
    {CADENCE_FORTNIGHTLY, 5, 21, "2025-09-05", "2026-07-17", {NULL}},
    {CADENCE_FORTNIGHTLY, 1, 21, "2025-09-08", "2026-07-13", {NULL}},
    {CADENCE_HALF_TERMLY, 1, 6, "2025-09-29", "2026-06-22", {NULL}},
    {CADENCE_TWICE_HALF_TERMLY, 5, 12, "2025-09-19", "2026-07-03", {NULL}},
};

static void test_cadences_2025(void **state)
{
    (void)state;
    struct year_ctx y = year_2025();
    for (size_t i = 0; i < COUNT(cadences); i++) {
        const struct cadence_vector *v = &cadences[i];
        int32_t out[64];
        size_t n = gen(&y, v->c, v->wd, "2025-09-01", "2026-07-31", out, COUNT(out));
        assert_int_equal(n, v->n);
        assert_int_equal(out[0], D(v->first));
        assert_int_equal(out[n - 1], D(v->last));
        if (v->all[0])
            assert_days(out, n, v->all, v->n);
        for (size_t k = 0; k < n; k++) {
            assert_int_equal(day_weekday(out[k]), v->wd);
            assert_true(school_day(out[k], y.t, 6, y.cl, y.ncl));
            if (k > 0)
                assert_true(out[k] > out[k - 1]);
        }
    }
}

/* Fortnightly from a meeting on Wed 15 Oct: 29 Oct is half-term, so the
 * next is the first Wednesday after the break, 5 Nov, and the rhythm runs
 * on from there (19 Nov). */
static void test_holiday_inside_fortnight(void **state)
{
    (void)state;
    struct year_ctx y = year_2025();
    int32_t out[8];
    size_t n = gen(&y, CADENCE_FORTNIGHTLY, 3, "2025-10-15", "2025-11-30", out, COUNT(out));
    static const char *const want[] = {"2025-10-15", "2025-11-05", "2025-11-19"};
    assert_days(out, n, want, COUNT(want));
    /* Starting 8 Oct: 8, 22 Oct; the rhythm restarts on 5 Nov, not 19 Nov. */
    n = gen(&y, CADENCE_FORTNIGHTLY, 3, "2025-10-08", "2025-11-30", out, COUNT(out));
    static const char *const want2[] = {"2025-10-08", "2025-10-22", "2025-11-05", "2025-11-19"};
    assert_days(out, n, want2, COUNT(want2));
    /* Christmas: 17 Dec, then 7 Jan (31 Dec is a holiday). */
    n = gen(&y, CADENCE_FORTNIGHTLY, 3, "2025-12-10", "2026-01-31", out, COUNT(out));
    static const char *const want3[] = {"2025-12-10", "2026-01-07", "2026-01-21"};
    assert_days(out, n, want3, COUNT(want3));
}

/* A step onto a closure day moves a week on and the rhythm continues from
 * the meeting actually held. */
static void test_closure_avoided(void **state)
{
    (void)state;
    struct year_ctx y = year_2025();
    int32_t out[16];
    /* Mondays fortnightly from 20 Apr 2026: 4 May is the bank holiday. */
    size_t n = gen(&y, CADENCE_FORTNIGHTLY, 1, "2026-04-20", "2026-05-31", out, COUNT(out));
    static const char *const want[] = {"2026-04-20", "2026-05-11"};
    assert_days(out, n, want, COUNT(want));

    /* An extra closure (a training day) on Wed 17 Sep 2025. */
    int32_t cl[2] = {D("2025-09-17"), y.cl[0]};
    n = schedule_generate(CADENCE_FORTNIGHTLY, 3, D("2025-09-01"), D("2025-10-24"), y.t, 6, cl,
                          2, NULL, 0, out, COUNT(out));
    static const char *const want2[] = {"2025-09-03", "2025-09-24", "2025-10-08", "2025-10-22"};
    assert_days(out, n, want2, COUNT(want2));

    /* A closure on the first Wednesday of term: the first meeting is 10 Sep. */
    cl[0] = D("2025-09-03");
    n = schedule_generate(CADENCE_THREE_WEEKLY, 3, D("2025-09-01"), D("2025-10-24"), y.t, 6, cl,
                          2, NULL, 0, out, COUNT(out));
    static const char *const want3[] = {"2025-09-10", "2025-10-01", "2025-10-22"};
    assert_days(out, n, want3, COUNT(want3));

    /* Half-termly avoids it too: 1 Oct closed, so the nearest open
     * Wednesday to 28 Sep is 24 Sep. */
    cl[0] = D("2025-10-01");
    n = schedule_generate(CADENCE_HALF_TERMLY, 3, D("2025-09-01"), D("2025-10-24"), y.t, 6, cl,
                          2, NULL, 0, out, COUNT(out));
    static const char *const want4[] = {"2025-09-24"};
    assert_days(out, n, want4, COUNT(want4));

    /* Autumn 2's midpoint is Wed 26 Nov; closed, 19 Nov and 3 Dec are a
     * week either side and the earlier wins. */
    cl[0] = D("2025-11-26");
    n = schedule_generate(CADENCE_HALF_TERMLY, 3, D("2025-11-01"), D("2025-12-31"), y.t, 6, cl,
                          2, NULL, 0, out, COUNT(out));
    static const char *const want5[] = {"2025-11-19"};
    assert_days(out, n, want5, COUNT(want5));
}

static void test_explicit_dates(void **state)
{
    (void)state;
    struct year_ctx y = year_2025();
    int32_t dates[] = {
        D("2025-11-12"), D("2025-09-10"),
        D("2025-09-13"),                 /* Saturday */
        D("2025-10-29"),                 /* half-term */
        D("2026-05-04"),                 /* bank holiday */
        D("2025-11-12"),                 /* duplicate */
        D("2025-08-20"),                 /* summer holiday and before `from` */
        D("2026-01-20"), D("2025-09-10"),
        D("2026-08-05"),                 /* after `to` */
    };
    int32_t out[16];
    size_t n = schedule_generate(CADENCE_DATES, 0, D("2025-09-01"), D("2026-07-31"), y.t, 6,
                                 y.cl, y.ncl, dates, COUNT(dates), out, COUNT(out));
    static const char *const want[] = {"2025-09-10", "2025-11-12", "2026-01-20"};
    assert_days(out, n, want, COUNT(want));

    /* max keeps the earliest, whatever order they came in. */
    n = schedule_generate(CADENCE_DATES, 0, D("2025-09-01"), D("2026-07-31"), y.t, 6, y.cl,
                          y.ncl, dates, COUNT(dates), out, 2);
    assert_days(out, n, want, 2);
    n = schedule_generate(CADENCE_DATES, 0, D("2025-09-01"), D("2026-07-31"), y.t, 6, y.cl,
                          y.ncl, dates, COUNT(dates), out, 1);
    assert_days(out, n, want, 1);

    /* from/to are inclusive. */
    n = schedule_generate(CADENCE_DATES, 0, D("2025-11-12"), D("2026-01-20"), y.t, 6, y.cl,
                          y.ncl, dates, COUNT(dates), out, COUNT(out));
    assert_days(out, n, want + 1, 2);
    n = schedule_generate(CADENCE_DATES, 0, D("2025-11-13"), D("2026-01-19"), y.t, 6, y.cl,
                          y.ncl, dates, COUNT(dates), out, COUNT(out));
    assert_int_equal(n, 0);
    assert_int_equal(schedule_generate(CADENCE_DATES, 0, D("2025-09-01"), D("2026-07-31"), y.t,
                                       6, y.cl, y.ncl, NULL, 0, out, COUNT(out)),
                     0);
}

static void test_from_to_limits(void **state)
{
    (void)state;
    struct year_ctx y = year_2025();
    int32_t out[64];
    /* Inclusive at both ends. */
    size_t n = gen(&y, CADENCE_FORTNIGHTLY, 3, "2025-09-17", "2025-10-15", out, COUNT(out));
    static const char *const want[] = {"2025-09-17", "2025-10-01", "2025-10-15"};
    assert_days(out, n, want, COUNT(want));
    /* A `from` between meetings anchors the rhythm at the next Wednesday. */
    n = gen(&y, CADENCE_FORTNIGHTLY, 3, "2025-09-18", "2025-10-24", out, COUNT(out));
    static const char *const want2[] = {"2025-09-24", "2025-10-08", "2025-10-22"};
    assert_days(out, n, want2, COUNT(want2));
    /* `to` only cuts: a window gives the same days as the whole year. */
    int32_t all[64];
    size_t nall = gen(&y, CADENCE_TWICE_HALF_TERMLY, 3, "2025-09-01", "2026-07-31", all, 64);
    n = gen(&y, CADENCE_TWICE_HALF_TERMLY, 3, "2025-09-01", "2026-01-20", out, COUNT(out));
    assert_int_equal(n, 5);
    assert_memory_equal(out, all, n * sizeof *out);
    assert_true(nall > n);
    /* Half-termly from mid half-term plans over what is left: 6 Oct-24 Oct,
     * midpoint 15 Oct. */
    n = gen(&y, CADENCE_HALF_TERMLY, 3, "2025-10-06", "2025-10-31", out, COUNT(out));
    static const char *const want3[] = {"2025-10-15"};
    assert_days(out, n, want3, COUNT(want3));
    /* Only one Wednesday left: twice per half-term gives one. */
    n = gen(&y, CADENCE_TWICE_HALF_TERMLY, 3, "2025-10-20", "2025-10-31", out, COUNT(out));
    static const char *const want4[] = {"2025-10-22"};
    assert_days(out, n, want4, COUNT(want4));
    /* `to` before autumn 1's half-termly meeting (1 Oct): none yet. */
    assert_int_equal(gen(&y, CADENCE_HALF_TERMLY, 3, "2025-09-01", "2025-09-30", out, 64), 0);
    assert_int_equal(gen(&y, CADENCE_HALF_TERMLY, 3, "2025-09-01", "2025-10-01", out, 64), 1);
    /* A window wholly in a holiday, and from after to. */
    assert_int_equal(gen(&y, CADENCE_FORTNIGHTLY, 3, "2025-12-20", "2026-01-04", out, 64), 0);
    assert_int_equal(gen(&y, CADENCE_FORTNIGHTLY, 3, "2025-10-01", "2025-09-30", out, 64), 0);
    /* One day: it is the meeting day or nothing. */
    assert_int_equal(gen(&y, CADENCE_FORTNIGHTLY, 3, "2025-10-01", "2025-10-01", out, 64), 1);
    assert_int_equal(gen(&y, CADENCE_FORTNIGHTLY, 2, "2025-10-01", "2025-10-01", out, 64), 0);
}

static void test_max_truncation(void **state)
{
    (void)state;
    struct year_ctx y = year_2025();
    int32_t all[64], out[64];
    for (int c = CADENCE_FORTNIGHTLY; c <= CADENCE_TWICE_HALF_TERMLY; c++) {
        size_t nall = gen(&y, (enum cadence)c, 4, "2025-09-01", "2026-07-31", all, 64);
        for (size_t max = 1; max <= nall + 1; max++) {
            memset(out, 0xff, sizeof out);
            size_t n = gen(&y, (enum cadence)c, 4, "2025-09-01", "2026-07-31", out, max);
            assert_int_equal(n, max < nall ? max : nall);
            assert_memory_equal(out, all, n * sizeof *out);
            assert_int_equal(out[n], (int32_t)-1);  /* nothing written past n */
        }
    }
    assert_int_equal(gen(&y, CADENCE_FORTNIGHTLY, 3, "2025-09-01", "2026-07-31", out, 0), 0);
}

static void test_bad_arguments(void **state)
{
    (void)state;
    struct year_ctx y = year_2025();
    int32_t out[8];
    assert_int_equal(gen(&y, CADENCE_FORTNIGHTLY, 0, "2025-09-01", "2026-07-31", out, 8), 0);
    assert_int_equal(gen(&y, CADENCE_FORTNIGHTLY, 6, "2025-09-01", "2026-07-31", out, 8), 0);
    assert_int_equal(gen(&y, CADENCE__COUNT, 3, "2025-09-01", "2026-07-31", out, 8), 0);
    assert_int_equal(gen(&y, CADENCE_FORTNIGHTLY, 3, "2025-09-01", "2026-07-31", NULL, 8), 0);
    assert_int_equal(schedule_generate(CADENCE_FORTNIGHTLY, 3, D("2025-09-01"), D("2026-07-31"),
                                       NULL, 0, NULL, 0, NULL, 0, out, 8),
                     0);
}

/* Half-terms given out of order schedule the same as in order. */
static void test_unordered_terms(void **state)
{
    (void)state;
    struct year_ctx y = year_2025();
    struct half_term shuffled[6] = {y.t[4], y.t[1], y.t[5], y.t[0], y.t[3], y.t[2]};
    int32_t a[64], b[64];
    for (int c = CADENCE_FORTNIGHTLY; c <= CADENCE_TWICE_HALF_TERMLY; c++) {
        size_t na = gen(&y, (enum cadence)c, 2, "2025-09-01", "2026-07-31", a, 64);
        size_t nb = schedule_generate((enum cadence)c, 2, D("2025-09-01"), D("2026-07-31"),
                                      shuffled, 6, y.cl, y.ncl, NULL, 0, b, 64);
        assert_int_equal(na, nb);
        assert_memory_equal(a, b, na * sizeof *a);
    }
}

/* Overlapping half-terms (a typing slip that terms_check would catch)
 * still give each day once, in order. */
static void test_overlapping_terms(void **state)
{
    (void)state;
    struct year_ctx y = year_2025();
    struct half_term twice[7];
    memcpy(twice, y.t, sizeof y.t);
    twice[6] = y.t[2];
    twice[6].starts += 7;  /* spring 1 again, from its second week */
    int32_t a[64], b[64];
    for (int c = CADENCE_FORTNIGHTLY; c <= CADENCE_TWICE_HALF_TERMLY; c++) {
        size_t na = gen(&y, (enum cadence)c, 3, "2025-09-01", "2026-07-31", a, 64);
        size_t nb = schedule_generate((enum cadence)c, 3, D("2025-09-01"), D("2026-07-31"),
                                      twice, 7, y.cl, y.ncl, NULL, 0, b, 64);
        assert_true(nb >= na - 1 && nb <= na + 1);
        for (size_t k = 1; k < nb; k++)
            assert_true(b[k] > b[k - 1]);
    }
}

/* Names and labels for people: one copy, used by every layer. */
static void test_labels(void **state)
{
    (void)state;
    assert_string_equal(month_name(1), "January");
    assert_string_equal(month_name(12), "December");
    assert_string_equal(month_name(0), "");
    assert_string_equal(month_name(13), "");
    assert_string_equal(month_abbr(9), "Sep");
    assert_string_equal(month_abbr(-1), "");
    assert_string_equal(weekday_name(1), "Monday");
    assert_string_equal(weekday_name(7), "Sunday");
    assert_string_equal(weekday_name(8), "");
    char out[40];
    day_label(D("2026-03-27"), out, sizeof out);
    assert_string_equal(out, "27 March 2026");
    day_label_long(D("2025-09-03"), out, sizeof out);
    assert_string_equal(out, "Wednesday 3 September 2025");
    day_label_long(D("2024-02-29"), out, sizeof out);
    assert_string_equal(out, "Thursday 29 February 2024");
    date_label("2026-01-01", out, sizeof out);
    assert_string_equal(out, "1 January 2026");
    date_label("", out, sizeof out);
    assert_string_equal(out, "");
    date_label(NULL, out, sizeof out);
    assert_string_equal(out, "");
    date_label("2026-02-30", out, sizeof out);
    assert_string_equal(out, "");
    char small[8];
    day_label(D("2026-11-18"), small, sizeof small);
    assert_string_equal(small, "18 Nove");   /* cut, never overrun */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_day_anchors),
        cmocka_unit_test(test_day_round_trip),
        cmocka_unit_test(test_day_parse_strict),
        cmocka_unit_test(test_weekdays),
        cmocka_unit_test(test_academic_year),
        cmocka_unit_test(test_easter),
        cmocka_unit_test(test_default_terms_known_years),
        cmocka_unit_test(test_default_terms_awkward_years),
        cmocka_unit_test(test_default_terms_structure),
        cmocka_unit_test(test_terms_check),
        cmocka_unit_test(test_school_day),
        cmocka_unit_test(test_cadence_codes),
        cmocka_unit_test(test_cadences_2025),
        cmocka_unit_test(test_holiday_inside_fortnight),
        cmocka_unit_test(test_closure_avoided),
        cmocka_unit_test(test_explicit_dates),
        cmocka_unit_test(test_from_to_limits),
        cmocka_unit_test(test_max_truncation),
        cmocka_unit_test(test_bad_arguments),
        cmocka_unit_test(test_unordered_terms),
        cmocka_unit_test(test_overlapping_terms),
        cmocka_unit_test(test_labels),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
