/* The program's clock (lib/clock.c): the test setting TAS_TODAY pins the
 * day at noon and time runs on from TAS_TODAY_FROM; bad values are refused
 * rather than silently ignored. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <string.h>

#include "lib/clock.h"
#include "lib/count.h"

static void test_unset_is_real(void **state)
{
    (void)state;
    int64_t off = 99;
    char err[160] = "";
    assert_int_equal(clock_offset_for(NULL, NULL, 1795425600, &off, err, sizeof err), 0);
    assert_int_equal(off, 0);
    assert_int_equal(clock_offset_for("", "123", 1795425600, &off, err, sizeof err), 0);
    assert_int_equal(off, 0);
}

static void test_pinned_noon_and_running(void **state)
{
    (void)state;
    int64_t off;
    char err[160] = "", day[11];
    /* 2026-11-23 09:20 UTC real; pinned to 2027-03-10. */
    int64_t real = 1795425600;
    assert_int_equal(clock_offset_for("2027-03-10", NULL, real, &off, err, sizeof err), 1);
    clock_date_of(real + off, day);
    assert_string_equal(day, "2027-03-10");
    assert_int_equal((real + off) % 86400, 12 * 3600);
    /* Eleven hours later (real seconds) it is still that day. */
    clock_date_of(real + 11 * 3600 + off, day);
    assert_string_equal(day, "2027-03-10");

    /* Anchored: processes started at different times agree. */
    int64_t a, b;
    assert_int_equal(clock_offset_for("2027-03-10", "1795425600", real + 5, &a, err, sizeof err), 1);
    assert_int_equal(clock_offset_for("2027-03-10", "1795425600", real + 300, &b, err, sizeof err), 1);
    assert_int_equal(a, b);
    assert_int_equal(a, off);
}

static void test_bad_values_refused(void **state)
{
    (void)state;
    static const char *const bad[] = {"2027-02-29", "2026-13-01", "2026-1-1", "tomorrow", "2026-11-23x",
                                      "2026/11/23", "1969-12-31", "2026-04-31"};
    for (size_t i = 0; i < COUNT(bad); i++) {
        int64_t off;
        char err[160] = "";
        assert_int_equal(clock_offset_for(bad[i], NULL, 1795425600, &off, err, sizeof err), -1);
        assert_non_null(strstr(err, "TAS_TODAY must be"));
    }
    int64_t off;
    char err[160] = "";
    assert_int_equal(clock_offset_for("2028-02-29", NULL, 1795425600, &off, err, sizeof err), 1);
    assert_int_equal(clock_offset_for("2027-03-10", "soon", 1795425600, &off, err, sizeof err), -1);
    assert_non_null(strstr(err, "TAS_TODAY_FROM"));
}

static void test_date_of(void **state)
{
    (void)state;
    char day[11];
    clock_date_of(0, day);
    assert_string_equal(day, "1970-01-01");
    clock_date_of(1795425600, day);
    assert_string_equal(day, "2026-11-23");
    clock_date_of(1795478399, day);   /* 23:59:59 */
    assert_string_equal(day, "2026-11-23");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_unset_is_real),
        cmocka_unit_test(test_pinned_noon_and_running),
        cmocka_unit_test(test_bad_values_refused),
        cmocka_unit_test(test_date_of),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
