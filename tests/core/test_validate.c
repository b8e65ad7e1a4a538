/* Form validation, its helpers, and the field error list.  Table-driven:
 * start from a valid form, change one field, expect exactly one error on
 * that field with that message (or none). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "core/errors.h"
#include "lib/count.h"
#include "core/validate.h"

#define TODAY "2025-03-15"

/* ---------- helpers: parse_int_strict ---------- */

static void test_parse_int_strict(void **state)
{
    (void)state;
    long v = 7;
    assert_int_equal(parse_int_strict("0", 0, 10, &v), 0);
    assert_int_equal(v, 0);
    assert_int_equal(parse_int_strict("-0", -5, 5, &v), 0);
    assert_int_equal(v, 0);
    assert_int_equal(parse_int_strict("42", 0, 100, &v), 0);
    assert_int_equal(v, 42);
    assert_int_equal(parse_int_strict("-42", -100, 100, &v), 0);
    assert_int_equal(v, -42);
    assert_int_equal(parse_int_strict("007", 0, 100, &v), 0);
    assert_int_equal(v, 7);
    assert_int_equal(parse_int_strict("5", 5, 5, NULL), 0);

    /* Not numbers: -1; the output is untouched. */
    static const char *const junk[] = {"", "-", "+1", " 1", "1 ", "1x", "x1", "1.0",
                                       "1,000", "--1", "0x10", "1e3", "\xd9\xa3"};
    for (size_t i = 0; i < COUNT(junk); i++) {
        v = 99;
        assert_int_equal(parse_int_strict(junk[i], LONG_MIN, LONG_MAX, &v), -1);
        assert_int_equal(v, 99);
    }
    assert_int_equal(parse_int_strict(NULL, 0, 1, &v), -1);

    /* Out of range: -2, at both ends and on overflow. */
    assert_int_equal(parse_int_strict("11", 0, 10, &v), -2);
    assert_int_equal(parse_int_strict("-1", 0, 10, &v), -2);
    assert_int_equal(parse_int_strict("10", 0, 10, &v), 0);
    assert_int_equal(parse_int_strict("99999999999999999999999", LONG_MIN, LONG_MAX, &v), -2);
    assert_int_equal(parse_int_strict("-99999999999999999999999", LONG_MIN, LONG_MAX, &v), -2);
    char buf[32];
    snprintf(buf, sizeof buf, "%ld", LONG_MAX);
    assert_int_equal(parse_int_strict(buf, LONG_MIN, LONG_MAX, &v), 0);
    assert_true(v == LONG_MAX);
    snprintf(buf, sizeof buf, "%ld", LONG_MIN);
    assert_int_equal(parse_int_strict(buf, LONG_MIN, LONG_MAX, &v), 0);
    assert_true(v == LONG_MIN);
    /* One past LONG_MAX: the positive side must not wrap to LONG_MIN. */
    snprintf(buf, sizeof buf, "%lu", (unsigned long)LONG_MAX + 1ul);
    assert_int_equal(parse_int_strict(buf, LONG_MIN, LONG_MAX, &v), -2);
    snprintf(buf, sizeof buf, "-%lu", (unsigned long)LONG_MAX + 2ul);
    assert_int_equal(parse_int_strict(buf, LONG_MIN, LONG_MAX, &v), -2);
}

/* ---------- helpers: dates ---------- */

static void test_parse_date_parts(void **state)
{
    (void)state;
    char out[11];
    assert_int_equal(parse_date_parts("1", "2", "2020", out), DATE_OK);
    assert_string_equal(out, "2020-02-01");
    assert_int_equal(parse_date_parts(" 09 ", "11", " 2015", out), DATE_OK);
    assert_string_equal(out, "2015-11-09");
    assert_int_equal(parse_date_parts("31", "12", "2100", out), DATE_OK);
    assert_string_equal(out, "2100-12-31");
    assert_int_equal(parse_date_parts("1", "1", "1900", out), DATE_OK);
    assert_string_equal(out, "1900-01-01");

    /* Leap years: divisible by 4, except centuries not divisible by 400. */
    assert_int_equal(parse_date_parts("29", "2", "2024", out), DATE_OK);
    assert_int_equal(parse_date_parts("29", "2", "2000", out), DATE_OK);
    assert_int_equal(parse_date_parts("29", "2", "2023", out), DATE_NOT_REAL);
    assert_int_equal(parse_date_parts("29", "2", "1900", out), DATE_NOT_REAL);
    assert_int_equal(parse_date_parts("29", "2", "2100", out), DATE_NOT_REAL);
    assert_string_equal(out, "");
    assert_int_equal(parse_date_parts("30", "2", "2024", out), DATE_NOT_REAL);

    /* Month lengths. */
    static const int len[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    for (int m = 1; m <= 12; m++) {
        char ms[12], ds[12];
        snprintf(ms, sizeof ms, "%d", m);
        snprintf(ds, sizeof ds, "%d", len[m - 1]);
        assert_int_equal(parse_date_parts(ds, ms, "2023", out), DATE_OK);
        snprintf(ds, sizeof ds, "%d", len[m - 1] + 1);
        assert_int_equal(parse_date_parts(ds, ms, "2023", out),
                         len[m - 1] + 1 > 31 ? DATE_BAD_DAY : DATE_NOT_REAL);
    }

    assert_int_equal(parse_date_parts("0", "1", "2020", out), DATE_BAD_DAY);
    assert_int_equal(parse_date_parts("32", "1", "2020", out), DATE_BAD_DAY);
    assert_int_equal(parse_date_parts("x", "1", "2020", out), DATE_BAD_DAY);
    assert_int_equal(parse_date_parts("", "1", "2020", out), DATE_BAD_DAY);
    assert_int_equal(parse_date_parts(NULL, "1", "2020", out), DATE_BAD_DAY);
    assert_int_equal(parse_date_parts("-1", "1", "2020", out), DATE_BAD_DAY);
    assert_int_equal(parse_date_parts("1", "0", "2020", out), DATE_BAD_MONTH);
    assert_int_equal(parse_date_parts("1", "13", "2020", out), DATE_BAD_MONTH);
    assert_int_equal(parse_date_parts("1", "Jan", "2020", out), DATE_BAD_MONTH);
    assert_int_equal(parse_date_parts("1", NULL, "2020", out), DATE_BAD_MONTH);
    assert_int_equal(parse_date_parts("1", "1", "20", out), DATE_BAD_YEAR);
    assert_int_equal(parse_date_parts("1", "1", "20200", out), DATE_BAD_YEAR);
    assert_int_equal(parse_date_parts("1", "1", "2O20", out), DATE_BAD_YEAR);
    assert_int_equal(parse_date_parts("1", "1", "-202", out), DATE_BAD_YEAR);
    assert_int_equal(parse_date_parts("1", "1", NULL, out), DATE_BAD_YEAR);
    assert_int_equal(parse_date_parts("1", "1", "1899", out), DATE_OUT_OF_RANGE);
    assert_int_equal(parse_date_parts("1", "1", "2101", out), DATE_OUT_OF_RANGE);
    assert_int_equal(parse_date_parts("1", "1", "0000", out), DATE_OUT_OF_RANGE);
    /* A very long part is not a number, not a crash. */
    assert_int_equal(parse_date_parts("000000000000000000000000001", "1", "2020", out),
                     DATE_BAD_DAY);
}

static void test_parse_date_iso(void **state)
{
    (void)state;
    int y = 0, m = 0, d = 0;
    assert_int_equal(parse_date_iso("2024-02-29", &y, &m, &d), DATE_OK);
    assert_int_equal(y, 2024);
    assert_int_equal(m, 2);
    assert_int_equal(d, 29);
    assert_int_equal(parse_date_iso("2025-12-31", NULL, NULL, NULL), DATE_OK);
    assert_int_equal(parse_date_iso("2023-02-29", &y, &m, &d), DATE_NOT_REAL);
    assert_int_equal(parse_date_iso("2024-01-00", &y, &m, &d), DATE_NOT_REAL);
    assert_int_equal(parse_date_iso("2024-04-31", &y, &m, &d), DATE_NOT_REAL);
    assert_int_equal(parse_date_iso("2024-13-01", &y, &m, &d), DATE_BAD_MONTH);
    assert_int_equal(parse_date_iso("2024-00-10", &y, &m, &d), DATE_BAD_MONTH);
    assert_int_equal(parse_date_iso("1899-12-31", &y, &m, &d), DATE_OUT_OF_RANGE);
    static const char *const bad[] = {"", "2024-2-29", "2024-02-9", "24-02-29", "2024/02/29",
                                      " 2024-02-29", "2024-02-29 ", "2024-02-29T00:00",
                                      "2024-0a-29", "+024-02-29", "20240229", "2024--0229"};
    for (size_t i = 0; i < COUNT(bad); i++)
        assert_int_equal(parse_date_iso(bad[i], &y, &m, &d), DATE_BAD_FORMAT);
    assert_int_equal(parse_date_iso(NULL, &y, &m, &d), DATE_BAD_FORMAT);
}

/* ---------- helpers: text ---------- */

static void test_trim_copy(void **state)
{
    (void)state;
    char out[8];
    assert_int_equal(trim_copy("  ab c \t\r\n", out, sizeof out), 0);
    assert_string_equal(out, "ab c");
    assert_int_equal(trim_copy("", out, sizeof out), 0);
    assert_string_equal(out, "");
    assert_int_equal(trim_copy("   ", out, sizeof out), 0);
    assert_string_equal(out, "");
    assert_int_equal(trim_copy(NULL, out, sizeof out), 0);
    assert_string_equal(out, "");
    assert_int_equal(trim_copy("1234567", out, sizeof out), 0);        /* exactly fits */
    assert_int_equal(trim_copy("  1234567  ", out, sizeof out), 0);    /* after trimming */
    assert_string_equal(out, "1234567");
    assert_int_equal(trim_copy("12345678", out, sizeof out), -1);
    assert_string_equal(out, "1234567");
    /* Cut on a character boundary: "abcdeé" + x is 8 bytes, é is 2. */
    assert_int_equal(trim_copy("abcde\xc3\xa9x", out, sizeof out), -1);
    assert_string_equal(out, "abcde\xc3\xa9");
    assert_int_equal(trim_copy("abcdef\xc3\xa9", out, sizeof out), -1);
    assert_string_equal(out, "abcdef");
    assert_int_equal(trim_copy("x", out, 0), -1);
    assert_int_equal(trim_copy("x", NULL, 4), -1);
}

static void test_text_is_clean(void **state)
{
    (void)state;
    static const char *const ok[] = {
        "", "O'Brien-Smyth", "Zo\xc3\xab", "Sin\xc3\xa9\x61\x64", "\xe6\x97\xa5\xe6\x9c\xac",
        "\xf0\x9f\x98\x80", "<script>alert(1)</script>", "a & b \"c\"",
        "\xe2\x80\x8f", /* right-to-left mark: harmless, appears in pasted names */
        "\xef\xbf\xbd",
    };
    for (size_t i = 0; i < COUNT(ok); i++)
        assert_true(text_is_clean(ok[i], 0));
    static const char *const bad[] = {
        "a\tb", "a\nb", "a\rb", "\x01", "\x1b[31m", "\x7f",
        "\xc2\x85",             /* C1 control NEL */
        "\xc2\x9f",
        "\xc0\xaf",             /* overlong '/' */
        "\xe0\x80\xaf",         /* overlong */
        "\xf0\x80\x80\xaf",     /* overlong */
        "\xed\xa0\x80",         /* surrogate */
        "\xf4\x90\x80\x80",     /* above U+10FFFF */
        "\xf5\x80\x80\x80",
        "\xff", "\x80", "ab\xc3", "\xe2\x82", /* truncated sequences */
        "\xc3\x28",
        "\xe2\x80\xae",         /* right-to-left override */
        "\xe2\x81\xa6",         /* left-to-right isolate */
    };
    for (size_t i = 0; i < COUNT(bad); i++)
        assert_false(text_is_clean(bad[i], 0));
    assert_true(text_is_clean("line one\r\nline two\tend", 1));
    assert_false(text_is_clean("bell\x07", 1));
    assert_true(text_is_clean(NULL, 0));
}

/* ---------- field errors ---------- */

static void test_field_errors(void **state)
{
    (void)state;
    struct field_errors e = {0};
    assert_null(field_errors_get(&e, "upn"));
    field_errors_add(&e, "upn", "Enter the pupil's UPN");
    field_errors_add(&e, "surname", "Enter the pupil's last name");
    field_errors_add(&e, "upn", "second message for the same field");
    assert_int_equal(e.count, 3);
    assert_string_equal(field_errors_get(&e, "upn"), "Enter the pupil's UPN");
    assert_string_equal(field_errors_get(&e, "surname"), "Enter the pupil's last name");
    assert_null(field_errors_get(&e, "sur"));
    assert_null(field_errors_get(&e, NULL));
    assert_null(field_errors_get(NULL, "upn"));

    /* Long text is truncated, terminated, and never split inside a
     * character ("é" is 2 bytes and straddles the end of the field). */
    char longfield[64], longmsg[400];
    memset(longfield, 'f', sizeof longfield - 1);
    longfield[sizeof longfield - 1] = '\0';
    memset(longmsg, 'm', sizeof longmsg - 1);
    longmsg[sizeof longmsg - 1] = '\0';
    size_t room = sizeof e.items[0].message - 1;   /* bytes a message may hold */
    memcpy(longmsg + room - 1, "\xc3\xa9", 2);
    field_errors_add(&e, longfield, longmsg);
    assert_int_equal(e.count, 4);
    assert_int_equal(strlen(e.items[3].field), sizeof e.items[3].field - 1);
    assert_int_equal(strlen(e.items[3].message), room - 1);
    field_errors_add(&e, NULL, NULL);
    assert_string_equal(e.items[4].field, "");
    assert_string_equal(e.items[4].message, "");

    /* Beyond the maximum: ignored, no overflow. */
    for (int i = 0; i < FIELD_ERRORS_MAX + 10; i++)
        field_errors_add(&e, "x", "y");
    assert_int_equal(e.count, FIELD_ERRORS_MAX);
    field_errors_add(NULL, "x", "y");
}

/* ---------- validate_pupil ---------- */

static struct pupil_form good_pupil(void)
{
    struct pupil_form f = {
        .upn = "B801200005001", .forenames = "Amelia-Rose", .surname = "O'Brien",
        .dob_day = "14", .dob_month = "6", .dob_year = "2016",
        .gender = "F", .ethnicity = "WBRI", .nc_year = "4", .sen_provision = "K",
        .school_id = "12",
    };
    return f;
}

static void test_pupil_valid(void **state)
{
    (void)state;
    struct pupil_form f = good_pupil();
    struct pupil p;
    struct field_errors e = {0};
    memset(&p, 0x55, sizeof p);
    assert_int_equal(validate_pupil(&f, TODAY, &p, &e), 0);
    assert_int_equal(e.count, 0);
    assert_int_equal(p.id, 0);
    assert_int_equal(p.school_id, 12);
    assert_string_equal(p.upn, "B801200005001");
    assert_string_equal(p.forenames, "Amelia-Rose");
    assert_string_equal(p.surname, "O'Brien");
    assert_string_equal(p.date_of_birth, "2016-06-14");
    assert_string_equal(p.gender, "F");
    assert_string_equal(p.ethnicity, "WBRI");
    assert_string_equal(p.nc_year, "4");
    assert_string_equal(p.sen_provision, "K");
    /* errs may be omitted: the count is still right. */
    assert_int_equal(validate_pupil(&f, TODAY, NULL, NULL), 0);
}

/* Field names the web layer relies on, in form order. */
static const char *const pupil_fields[] = {"upn", "forenames", "surname", "dob", "gender",
                                           "ethnicity", "nc_year", "sen_provision",
                                           "school_id"};

static void test_pupil_empty_form(void **state)
{
    (void)state;
    static const char *const msgs[] = {
        "Enter the pupil's UPN", "Enter the pupil's first names", "Enter the pupil's last name",
        "Enter the pupil's date of birth", "Select the pupil's gender",
        "Select the pupil's ethnicity", "Select the pupil's year group",
        "Select the pupil's SEN provision", "Select the pupil's school",
    };
    struct pupil_form empty = {0};
    struct field_errors e = {0};
    struct pupil p;
    assert_int_equal(validate_pupil(&empty, TODAY, &p, &e), 9);
    assert_int_equal(e.count, 9);
    for (size_t i = 0; i < 9; i++) {
        assert_string_equal(e.items[i].field, pupil_fields[i]);
        assert_string_equal(e.items[i].message, msgs[i]);
    }
    /* NULL form is an empty form; NULL errs still counts. */
    struct field_errors e2 = {0};
    assert_int_equal(validate_pupil(NULL, TODAY, &p, &e2), 9);
    assert_int_equal(validate_pupil(NULL, TODAY, NULL, NULL), 9);
    /* Errors are appended, not reset: a caller may add its own first. */
    struct field_errors e3 = {0};
    field_errors_add(&e3, "csrf", "x");
    assert_int_equal(validate_pupil(&empty, TODAY, &p, &e3), 9);
    assert_int_equal(e3.count, 10);
}

struct pupil_case {
    size_t off;              /* offsetof(struct pupil_form, field) */
    const char *value;
    const char *field;       /* expected error field, NULL: valid */
    const char *message;     /* expected message (when field) or stored value */
};

#define PF(x) offsetof(struct pupil_form, x)

static const char *stored(const struct pupil *p, size_t off)
{
    if (off == PF(upn))
        return p->upn;
    if (off == PF(forenames))
        return p->forenames;
    if (off == PF(surname))
        return p->surname;
    if (off == PF(dob_day) || off == PF(dob_month) || off == PF(dob_year))
        return p->date_of_birth;
    if (off == PF(gender))
        return p->gender;
    if (off == PF(ethnicity))
        return p->ethnicity;
    if (off == PF(nc_year))
        return p->nc_year;
    if (off == PF(sen_provision))
        return p->sen_provision;
    return NULL;
}

#define CHECK_LETTER_MSG "The UPN check letter is wrong – check the UPN and try again"
#define UPN_FORMAT_MSG "Enter a UPN in the correct format, like A123456789012"
#define UPN_LENGTH_MSG "UPN must be 13 characters, like A123456789012"
#define AGE_MSG "The pupil must be aged between 2 and 25 – check the date of birth"
#define REAL_MSG "Date of birth must be a real date"
#define PAST_MSG "Date of birth must be in the past"
#define NAME_CHARS " must only include letters, numbers, spaces and punctuation"

static char name100[101], name101[102];

static void test_pupil_cases(void **state)
{
    (void)state;
    memset(name100, 'a', 100);
    memset(name101, 'b', 101);
    const struct pupil_case cases[] = {
        /* UPN */
        {PF(upn), "", "upn", "Enter the pupil's UPN"},
        {PF(upn), "   ", "upn", "Enter the pupil's UPN"},
        {PF(upn), " b801 2000 05001 ", NULL, "B801200005001"},
        {PF(upn), "m80120000500a", NULL, "M80120000500A"},
        {PF(upn), "P207000016049", NULL, "P207000016049"},
        {PF(upn), "Q207000016049", "upn", CHECK_LETTER_MSG},
        {PF(upn), "C801200005001", "upn", CHECK_LETTER_MSG},
        {PF(upn), "B80120000500", "upn", UPN_LENGTH_MSG},
        {PF(upn), "B8012000050011", "upn", UPN_LENGTH_MSG},
        {PF(upn), "B801200005001B801200005001B801200005001B801200005001B801200005001X",
         "upn", UPN_LENGTH_MSG},
        {PF(upn), "I801200005001", "upn", UPN_FORMAT_MSG},
        {PF(upn), "B8012000O5001", "upn", UPN_FORMAT_MSG},
        {PF(upn), "B80120000500S", "upn", UPN_FORMAT_MSG},
        {PF(upn), "B801200005-01", "upn", UPN_FORMAT_MSG},
        /* Names: stored as typed, trimmed; escaping is the output's job. */
        {PF(forenames), "", "forenames", "Enter the pupil's first names"},
        {PF(forenames), " \t ", "forenames", "Enter the pupil's first names"},
        {PF(forenames), "  Zo\xc3\xab  ", NULL, "Zo\xc3\xab"},
        {PF(forenames), "Mary Jane", NULL, "Mary Jane"},
        {PF(forenames), name100, NULL, name100},
        {PF(forenames), name101, "forenames", "First names must be 100 characters or fewer"},
        {PF(forenames), "Ann\x01", "forenames", "First names" NAME_CHARS},
        {PF(surname), "", "surname", "Enter the pupil's last name"},
        {PF(surname), "O'Brien-Smyth", NULL, "O'Brien-Smyth"},
        {PF(surname), "<script>alert(1)</script>", NULL, "<script>alert(1)</script>"},
        {PF(surname), "Smith & Sons \"Ltd\"", NULL, "Smith & Sons \"Ltd\""},
        {PF(surname), "N\xc3\xba\xc3\xb1\x65z", NULL, "N\xc3\xba\xc3\xb1\x65z"},
        {PF(surname), "Jones\nSmith", "surname", "Last name" NAME_CHARS},
        {PF(surname), "Jo\xffnes", "surname", "Last name" NAME_CHARS},
        {PF(surname), "\xe2\x80\xaesenoJ", "surname", "Last name" NAME_CHARS},
        {PF(surname), name101, "surname", "Last name must be 100 characters or fewer"},
        /* Date of birth (today is 2025-03-15) */
        {PF(dob_day), "", "dob", "Date of birth must include a day"},
        {PF(dob_month), " ", "dob", "Date of birth must include a month"},
        {PF(dob_year), "", "dob", "Date of birth must include a year"},
        {PF(dob_day), " 05 ", NULL, "2016-06-05"},
        {PF(dob_day), "31", "dob", REAL_MSG},         /* 31 June */
        {PF(dob_day), "x", "dob", REAL_MSG},
        {PF(dob_month), "13", "dob", REAL_MSG},
        {PF(dob_month), "June", "dob", REAL_MSG},
        {PF(dob_year), "15", "dob", "Year must include 4 numbers"},
        {PF(dob_year), "20150", "dob", "Year must include 4 numbers"},
        {PF(dob_year), "1850", "dob", AGE_MSG},
        {PF(dob_year), "2026", "dob", PAST_MSG},
        {PF(dob_year), "2024", "dob", AGE_MSG},
        {PF(dob_year), "1990", "dob", AGE_MSG},
        /* Codes: folded to upper case; extended ethnicity rolled up. */
        {PF(gender), "", "gender", "Select the pupil's gender"},
        {PF(gender), "Q", "gender", "Select the pupil's gender from the list"},
        {PF(gender), "Male", "gender", "Select the pupil's gender from the list"},
        {PF(gender), " m ", NULL, "M"},
        {PF(gender), "X", NULL, "X"},
        {PF(ethnicity), "", "ethnicity", "Select the pupil's ethnicity"},
        {PF(ethnicity), "WENG", NULL, "WBRI"},
        {PF(ethnicity), "wrog", NULL, "WROM"},
        {PF(ethnicity), "MWAP", NULL, "MWAS"},
        {PF(ethnicity), "CHNE", NULL, "CHNE"},
        {PF(ethnicity), "ZZZZ", "ethnicity", "Select an ethnicity from the list"},
        {PF(ethnicity), "White British", "ethnicity", "Select an ethnicity from the list"},
        {PF(ethnicity), "WBRIWBRIWBRIWBRIWBRIWBRIWBRI", "ethnicity",
         "Select an ethnicity from the list"},
        {PF(nc_year), "", "nc_year", "Select the pupil's year group"},
        {PF(nc_year), "15", "nc_year", "Select a year group from the list"},
        {PF(nc_year), "04", "nc_year", "Select a year group from the list"},
        {PF(nc_year), "x", NULL, "X"},
        {PF(nc_year), "3", NULL, "3"},
        {PF(nc_year), "r", "nc_year", "Reception is more than one year from Year 4, the year group for this date of birth – check the year group and the date of birth"},   /* folded, then judged against the date of birth */
        {PF(nc_year), "n1", "nc_year", "Nursery 1 is more than one year from Year 4, the year group for this date of birth – check the year group and the date of birth"},   /* folded, then judged against the date of birth */
        {PF(nc_year), "14", "nc_year", "Year 14 is more than one year from Year 4, the year group for this date of birth – check the year group and the date of birth"},   /* folded, then judged against the date of birth */
        {PF(sen_provision), "", "sen_provision", "Select the pupil's SEN provision"},
        {PF(sen_provision), "S", "sen_provision", "Select SEN provision from the list"},
        {PF(sen_provision), "E", NULL, "E"},
        {PF(school_id), "", "school_id", "Select the pupil's school"},
        {PF(school_id), "0", "school_id", "Select a school from the list"},
        {PF(school_id), "-3", "school_id", "Select a school from the list"},
        {PF(school_id), "12x", "school_id", "Select a school from the list"},
        {PF(school_id), "1.5", "school_id", "Select a school from the list"},
        {PF(school_id), "99999999999999999999999", "school_id", "Select a school from the list"},
        {PF(school_id), " 7 ", NULL, NULL},
    };
    for (size_t i = 0; i < COUNT(cases); i++) {
        const struct pupil_case *c = &cases[i];
        struct pupil_form f = good_pupil();
        *(const char **)(void *)((char *)&f + c->off) = c->value;
        struct field_errors e = {0};
        struct pupil p;
        int n = validate_pupil(&f, TODAY, &p, &e);
        if (c->field) {
            if (n != 1 || strcmp(e.items[0].field, c->field) != 0 ||
                strcmp(e.items[0].message, c->message) != 0)
                fail_msg("case %zu (%s): want %s \"%s\", got %d error(s), first %s \"%s\"", i,
                         c->value, c->field, c->message, n, n ? e.items[0].field : "-",
                         n ? e.items[0].message : "-");
        } else {
            if (n != 0)
                fail_msg("case %zu (%s): want valid, got %s \"%s\"", i, c->value,
                         e.items[0].field, e.items[0].message);
            const char *s = stored(&p, c->off);
            if (c->message && s)
                assert_string_equal(s, c->message);
        }
    }
}

struct dob_case {
    const char *d, *m, *y, *today;
    const char *message;    /* NULL: valid */
};

static void test_pupil_dob(void **state)
{
    (void)state;
    static const struct dob_case cases[] = {
        {"", "", "", TODAY, "Enter the pupil's date of birth"},
        {"", "", "2015", TODAY, "Date of birth must include a day and month"},
        {"", "6", "", TODAY, "Date of birth must include a day and year"},
        {"14", "", "", TODAY, "Date of birth must include a month and year"},
        {"31", "4", "2015", TODAY, REAL_MSG},
        {"29", "2", "2015", TODAY, REAL_MSG},
        {"29", "2", "2016", TODAY, NULL},
        {"0", "1", "2015", TODAY, REAL_MSG},
        {"15", "3", "2025", TODAY, PAST_MSG},        /* today */
        {"16", "3", "2025", TODAY, PAST_MSG},        /* tomorrow */
        {"1", "1", "2090", TODAY, PAST_MSG},
        {"14", "3", "2025", TODAY, AGE_MSG},         /* yesterday: too young */
        {"15", "3", "2023", TODAY, NULL},            /* 2 today */
        {"16", "3", "2023", TODAY, AGE_MSG},         /* 2 tomorrow */
        {"16", "3", "1999", TODAY, NULL},            /* 25, turns 26 tomorrow */
        {"15", "3", "1999", TODAY, AGE_MSG},         /* 26 today */
        {"29", "2", "2020", "2022-03-01", NULL},     /* leap-day birthday: 2 on 1 March */
        {"29", "2", "2020", "2022-02-28", AGE_MSG},
        {"14", "6", "2015", "", "Date of birth could not be checked – try again"},
        {"14", "6", "2015", NULL, "Date of birth could not be checked – try again"},
        {"14", "6", "2015", "2025-02-30", "Date of birth could not be checked – try again"},
    };
    for (size_t i = 0; i < COUNT(cases); i++) {
        const struct dob_case *c = &cases[i];
        struct pupil_form f = good_pupil();
        f.dob_day = c->d;
        f.dob_month = c->m;
        f.dob_year = c->y;
        f.nc_year = "X";   /* the dates alone: the year group's fit is test_yeargroup's */
        struct field_errors e = {0};
        struct pupil p;
        int n = validate_pupil(&f, c->today, &p, &e);
        if (c->message) {
            if (n != 1 || strcmp(e.items[0].field, "dob") != 0 ||
                strcmp(e.items[0].message, c->message) != 0)
                fail_msg("dob case %zu: want \"%s\", got %d error(s), first \"%s\"", i,
                         c->message, n, n ? e.items[0].message : "-");
        } else if (n != 0) {
            fail_msg("dob case %zu: want valid, got \"%s\"", i, e.items[0].message);
        }
    }
}

static void test_pupil_errors_in_form_order(void **state)
{
    (void)state;
    struct pupil_form f = good_pupil();
    f.school_id = "x";
    f.upn = "B801200005002";
    f.ethnicity = "nope";
    f.dob_year = "2030";
    struct field_errors e = {0};
    struct pupil p;
    assert_int_equal(validate_pupil(&f, TODAY, &p, &e), 4);
    assert_string_equal(e.items[0].field, "upn");
    assert_string_equal(e.items[1].field, "dob");
    assert_string_equal(e.items[2].field, "ethnicity");
    assert_string_equal(e.items[3].field, "school_id");
    assert_string_equal(field_errors_get(&e, "dob"), PAST_MSG);
    assert_null(field_errors_get(&e, "surname"));
}

/* ---------- validate_school ---------- */

static struct school_form good_school(void)
{
    struct school_form f = {
        .urn = "123456", .name = "Oakfield Primary School", .phase = "primary",
        .pupils_on_roll = "420", .fsm_pct = "15.3", .sen_pct = "12",
        .tas_member = "yes", .authority_id = "1",
    };
    return f;
}

static void test_school_valid(void **state)
{
    (void)state;
    struct school_form f = good_school();
    struct school s;
    struct field_errors e = {0};
    assert_int_equal(validate_school(&f, &s, &e), 0);
    assert_string_equal(s.urn, "123456");
    assert_string_equal(s.name, "Oakfield Primary School");
    assert_string_equal(s.phase, "primary");
    assert_int_equal(s.pupils_on_roll, 420);
    assert_true(s.fsm_pct > 15.29 && s.fsm_pct < 15.31);
    assert_true(s.sen_pct > 11.99 && s.sen_pct < 12.01);
    assert_true(s.tas_member);
    assert_int_equal(s.authority_id, 1);
    assert_string_equal(s.estab, "");
    f.establishment_number = "7001";
    assert_int_equal(validate_school(&f, &s, &e), 0);
    assert_string_equal(s.estab, "7001");

    /* Optional numbers left empty are "not recorded". */
    f.pupils_on_roll = "";
    f.fsm_pct = NULL;
    f.sen_pct = "  ";
    f.tas_member = "no";
    f.urn = " 1234567 ";
    assert_int_equal(validate_school(&f, &s, &e), 0);
    assert_int_equal(s.pupils_on_roll, -1);
    assert_true(s.fsm_pct == -1.0);
    assert_true(s.sen_pct == -1.0);
    assert_false(s.tas_member);
    assert_string_equal(s.urn, "1234567");

    struct school_form empty = {0};
    struct field_errors e2 = {0};
    assert_int_equal(validate_school(&empty, &s, &e2), 5);
    static const char *const fields[] = {"urn", "name", "phase", "tas_member", "authority_id"};
    for (size_t i = 0; i < 5; i++)
        assert_string_equal(e2.items[i].field, fields[i]);
    assert_int_equal(validate_school(NULL, NULL, NULL), 5);
}

struct school_case {
    size_t off;
    const char *value;
    const char *field;      /* NULL: valid */
    const char *message;
};

#define SF(x) offsetof(struct school_form, x)
#define PCT_FSM "Free school meals percentage must be a number from 0 to 100, like 15.3"
#define PCT_SEN "SEN percentage must be a number from 0 to 100, like 12.5"

static char title160[161], title161[162];

static void test_school_cases(void **state)
{
    (void)state;
    memset(title160, 'n', 160);
    memset(title161, 'n', 161);
    const struct school_case cases[] = {
        {SF(urn), "", "urn", "Enter the school's URN"},
        {SF(urn), "12345", "urn", "URN must be 6 or 7 numbers, like 123456"},
        {SF(urn), "12345678", "urn", "URN must be 6 or 7 numbers, like 123456"},
        {SF(urn), "12a456", "urn", "URN must be 6 or 7 numbers, like 123456"},
        {SF(urn), "-12345", "urn", "URN must be 6 or 7 numbers, like 123456"},
        {SF(urn), "123 456", "urn", "URN must be 6 or 7 numbers, like 123456"},
        {SF(urn), "1234567", NULL, NULL},
        {SF(establishment_number), "", NULL, NULL},
        {SF(establishment_number), " 2001 ", NULL, NULL},
        {SF(establishment_number), "201", "establishment_number", "Establishment number must be 4 numbers, like 2001"},
        {SF(establishment_number), "20011", "establishment_number",
         "Establishment number must be 4 numbers, like 2001"},
        {SF(establishment_number), "20a1", "establishment_number",
         "Establishment number must be 4 numbers, like 2001"},
        {SF(name), "", "name", "Enter the school name"},
        {SF(name), title160, NULL, NULL},
        {SF(name), title161, "name", "School name must be 160 characters or fewer"},
        {SF(name), "St Mary's C of E <Primary>", NULL, NULL},
        {SF(name), "Bad\x1bname", "name", "School name" NAME_CHARS},
        {SF(phase), "", "phase", "Select the school's phase"},
        {SF(phase), "college", "phase", "Select a phase from the list"},
        {SF(phase), "Secondary", NULL, NULL},
        {SF(phase), "ap", NULL, NULL},
        {SF(phase), "all-through", NULL, NULL},
        {SF(pupils_on_roll), "0", NULL, NULL},
        {SF(pupils_on_roll), "5000", NULL, NULL},
        {SF(pupils_on_roll), "5001", "pupils_on_roll", "Pupils on roll must be between 0 and 5000"},
        {SF(pupils_on_roll), "-1", "pupils_on_roll", "Pupils on roll must be between 0 and 5000"},
        {SF(pupils_on_roll), "4.5", "pupils_on_roll",
         "Pupils on roll must be a whole number, like 420"},
        {SF(pupils_on_roll), "lots", "pupils_on_roll",
         "Pupils on roll must be a whole number, like 420"},
        {SF(fsm_pct), "0", NULL, NULL},
        {SF(fsm_pct), "100", NULL, NULL},
        {SF(fsm_pct), "100.0", NULL, NULL},
        {SF(fsm_pct), "15.3%", NULL, NULL},
        {SF(fsm_pct), "0.123456", NULL, NULL},
        {SF(fsm_pct), "0.1234567", "fsm_pct", PCT_FSM},
        {SF(fsm_pct), "100.01", "fsm_pct", PCT_FSM},
        {SF(fsm_pct), "101", "fsm_pct", PCT_FSM},
        {SF(fsm_pct), "99999999999999999999", "fsm_pct", PCT_FSM},
        {SF(fsm_pct), "-1", "fsm_pct", PCT_FSM},
        {SF(fsm_pct), "1e2", "fsm_pct", PCT_FSM},
        {SF(fsm_pct), "15.", "fsm_pct", PCT_FSM},
        {SF(fsm_pct), ".5", "fsm_pct", PCT_FSM},
        {SF(fsm_pct), "15,3", "fsm_pct", PCT_FSM},
        {SF(fsm_pct), "15.3%%", "fsm_pct", PCT_FSM},
        {SF(fsm_pct), "nan", "fsm_pct", PCT_FSM},
        {SF(sen_pct), "abc", "sen_pct", PCT_SEN},
        {SF(sen_pct), "12.5", NULL, NULL},
        {SF(tas_member), "", "tas_member", "Select yes if the school takes part in TAS"},
        {SF(tas_member), "maybe", "tas_member", "Select yes if the school takes part in TAS"},
        {SF(tas_member), "true", "tas_member", "Select yes if the school takes part in TAS"},
        {SF(tas_member), "YES", NULL, NULL},
        {SF(authority_id), "", "authority_id", "Select the local authority"},
        {SF(authority_id), "0", "authority_id", "Select a local authority from the list"},
        {SF(authority_id), "abc", "authority_id", "Select a local authority from the list"},
    };
    for (size_t i = 0; i < COUNT(cases); i++) {
        const struct school_case *c = &cases[i];
        struct school_form f = good_school();
        *(const char **)(void *)((char *)&f + c->off) = c->value;
        struct field_errors e = {0};
        struct school s;
        int n = validate_school(&f, &s, &e);
        if (c->field) {
            if (n != 1 || strcmp(e.items[0].field, c->field) != 0 ||
                strcmp(e.items[0].message, c->message) != 0)
                fail_msg("school case %zu (%s): want %s \"%s\", got %d error(s), first %s \"%s\"",
                         i, c->value, c->field, c->message, n, n ? e.items[0].field : "-",
                         n ? e.items[0].message : "-");
        } else if (n != 0) {
            fail_msg("school case %zu (%s): want valid, got %s \"%s\"", i, c->value,
                     e.items[0].field, e.items[0].message);
        }
    }
}

static void test_school_values(void **state)
{
    (void)state;
    struct school_form f = good_school();
    struct school s;
    f.fsm_pct = "15.3%";
    f.sen_pct = "100";
    f.phase = "Special";
    f.pupils_on_roll = "0";
    f.tas_member = " Yes ";
    assert_int_equal(validate_school(&f, &s, NULL), 0);
    assert_true(s.fsm_pct > 15.29 && s.fsm_pct < 15.31);
    assert_true(s.sen_pct == 100.0);
    assert_string_equal(s.phase, "special");
    assert_int_equal(s.pupils_on_roll, 0);
    assert_true(s.tas_member);
}

/* ---------- validate_authority ---------- */

static void test_authority(void **state)
{
    (void)state;
    struct authority_form f = {.la_code = " 822 ", .name = "Bedford"};
    struct authority a;
    struct field_errors e = {0};
    assert_int_equal(validate_authority(&f, &a, &e), 0);
    assert_string_equal(a.la_code, "822");
    assert_string_equal(a.name, "Bedford");
    assert_int_equal(a.id, 0);

    static const char *const bad_codes[] = {"82", "8222", "82a", "-82", "8 2"};
    for (size_t i = 0; i < COUNT(bad_codes); i++) {
        struct field_errors e2 = {0};
        f.la_code = bad_codes[i];
        assert_int_equal(validate_authority(&f, &a, &e2), 1);
        assert_string_equal(e2.items[0].field, "la_code");
        assert_string_equal(e2.items[0].message,
                            "Local authority number must be 3 numbers, like 822");
    }

    struct authority_form empty = {0};
    struct field_errors e3 = {0};
    assert_int_equal(validate_authority(&empty, &a, &e3), 2);
    assert_string_equal(e3.items[0].field, "la_code");
    assert_string_equal(e3.items[0].message, "Enter the local authority number");
    assert_string_equal(e3.items[1].field, "name");
    assert_string_equal(e3.items[1].message, "Enter the local authority name");

    memset(title161, 'n', 161);
    struct authority_form longname = {.la_code = "822", .name = title161};
    struct field_errors e4 = {0};
    assert_int_equal(validate_authority(&longname, &a, &e4), 1);
    assert_string_equal(e4.items[0].message,
                        "Local authority name must be 160 characters or fewer");
    assert_int_equal(validate_authority(NULL, NULL, NULL), 2);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse_int_strict),
        cmocka_unit_test(test_parse_date_parts),
        cmocka_unit_test(test_parse_date_iso),
        cmocka_unit_test(test_trim_copy),
        cmocka_unit_test(test_text_is_clean),
        cmocka_unit_test(test_field_errors),
        cmocka_unit_test(test_pupil_valid),
        cmocka_unit_test(test_pupil_empty_form),
        cmocka_unit_test(test_pupil_cases),
        cmocka_unit_test(test_pupil_dob),
        cmocka_unit_test(test_pupil_errors_in_form_order),
        cmocka_unit_test(test_school_valid),
        cmocka_unit_test(test_school_cases),
        cmocka_unit_test(test_school_values),
        cmocka_unit_test(test_authority),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
