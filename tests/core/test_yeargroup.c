/* Year group against date of birth: the DfE's cohorts run 1 September to
 * 31 August (a child born 31 August 2018 and one born 1 September 2017 are
 * both in Year 4 in 2026/27); one year either side is allowed with a
 * warning, more is refused. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "core/calendar.h"
#include "core/validate.h"
#include "core/yeargroup.h"

static int32_t D(int y, int m, int d) { return day_from_ymd(y, m, d); }

static void test_cohort_edges(void **state)
{
    (void)state;
    assert_int_equal(yeargroup_birth_cohort(D(2017, 9, 1)), 2017);
    assert_int_equal(yeargroup_birth_cohort(D(2018, 8, 31)), 2017);
    assert_int_equal(yeargroup_birth_cohort(D(2018, 9, 1)), 2018);
    assert_int_equal(yeargroup_expected(D(2017, 9, 1), 2026), 4);
    assert_int_equal(yeargroup_expected(D(2018, 8, 31), 2026), 4);
    assert_int_equal(yeargroup_expected(D(2018, 9, 1), 2026), 3);
    assert_int_equal(yeargroup_expected(D(2017, 8, 31), 2026), 5);
    /* Reception in 2026/27: born 1 Sept 2021 - 31 Aug 2022; Nursery 1 two years younger. */
    assert_int_equal(yeargroup_expected(D(2022, 3, 1), 2026), 0);
    assert_int_equal(yeargroup_expected(D(2024, 3, 1), 2026), -2);
    assert_int_equal(yeargroup_expected(D(2009, 3, 1), 2026), 13);
}

static void test_fit(void **state)
{
    (void)state;
    int want = 99;
    assert_int_equal(yeargroup_check("4", D(2018, 3, 4), 2026, &want), YEARGROUP_FITS);
    assert_int_equal(want, 4);
    assert_int_equal(yeargroup_check("3", D(2018, 3, 4), 2026, NULL), YEARGROUP_ONE_OFF);
    assert_int_equal(yeargroup_check("5", D(2018, 3, 4), 2026, NULL), YEARGROUP_ONE_OFF);
    assert_int_equal(yeargroup_check("6", D(2018, 3, 4), 2026, NULL), YEARGROUP_REFUSED);
    assert_int_equal(yeargroup_check("2", D(2018, 3, 4), 2026, NULL), YEARGROUP_REFUSED);
    assert_int_equal(yeargroup_check("R", D(2022, 8, 31), 2026, NULL), YEARGROUP_FITS);
    assert_int_equal(yeargroup_check("1", D(2022, 8, 31), 2026, NULL), YEARGROUP_ONE_OFF);   /* summer born */
    assert_int_equal(yeargroup_check("N2", D(2022, 8, 31), 2026, NULL), YEARGROUP_ONE_OFF);
    assert_int_equal(yeargroup_check("N1", D(2022, 8, 31), 2026, NULL), YEARGROUP_REFUSED);
    assert_int_equal(yeargroup_check("X", D(2010, 1, 1), 2026, NULL), YEARGROUP_UNCHECKED);
    assert_int_equal(yeargroup_check("04", D(2018, 3, 4), 2026, NULL), YEARGROUP_UNCHECKED);
    assert_int_equal(yeargroup_check("15", D(2018, 3, 4), 2026, NULL), YEARGROUP_UNCHECKED);
    char l[24];
    yeargroup_label(-2, l, sizeof l);
    assert_string_equal(l, "Nursery 1");
    yeargroup_label(0, l, sizeof l);
    assert_string_equal(l, "Reception");
    yeargroup_label(11, l, sizeof l);
    assert_string_equal(l, "Year 11");
    yeargroup_label(15, l, sizeof l);
    assert_string_equal(l, "");
}

static struct pupil_form form(const char *y, const char *m, const char *d, const char *nc)
{
    struct pupil_form f = {
        .upn = "B801200005001", .forenames = "Amelia", .surname = "Test",
        .dob_day = d, .dob_month = m, .dob_year = y,
        .gender = "F", .ethnicity = "WBRI", .nc_year = nc, .sen_provision = "K", .school_id = "1",
    };
    return f;
}

static void test_validate_pupil_year_group(void **state)
{
    (void)state;
    struct field_errors e = {0};
    struct pupil_form f = form("2018", "3", "4", "4");
    assert_int_equal(validate_pupil(&f, "2026-11-18", NULL, &e), 0);
    f = form("2018", "3", "4", "5");   /* one year out: saved (the page warns) */
    assert_int_equal(validate_pupil(&f, "2026-11-18", NULL, &e), 0);
    f = form("2018", "3", "4", "7");
    memset(&e, 0, sizeof e);
    assert_int_equal(validate_pupil(&f, "2026-11-18", NULL, &e), 1);
    assert_string_equal(e.items[0].field, "nc_year");
    assert_string_equal(e.items[0].message, "Year 7 is more than one year from Year 4, the year group for "
                                            "this date of birth – check the year group and the date of birth");
    /* The school year turns with the calendar: in March 2027 the same pupil is still in Year 4. */
    f = form("2018", "3", "4", "4");
    assert_int_equal(validate_pupil(&f, "2027-03-10", NULL, NULL), 0);
    /* A wrong date is reported once, at the date; the year group is not judged by it. */
    f = form("2018", "2", "30", "7");
    memset(&e, 0, sizeof e);
    assert_int_equal(validate_pupil(&f, "2026-11-18", NULL, &e), 1);
    assert_string_equal(e.items[0].field, "dob");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_cohort_edges),
        cmocka_unit_test(test_fit),
        cmocka_unit_test(test_validate_pupil_year_group),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
