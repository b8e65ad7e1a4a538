/* Retention date arithmetic (core/retention.c): months with short-month
 * clamping, the later of "N months after closure" and "the Nth birthday",
 * and the settings form. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "core/calendar.h"
#include "core/retention.h"

static int32_t d(const char *s)
{
    int32_t v;
    assert_int_equal(day_parse(s, &v), 0);
    return v;
}

static void assert_day(int32_t day, const char *want)
{
    char out[11];
    day_format(day, out);
    assert_string_equal(out, want);
}

static void test_add_months(void **state)
{
    (void)state;
    assert_day(day_add_months(d("2026-01-31"), 1), "2026-02-28");
    assert_day(day_add_months(d("2028-01-31"), 1), "2028-02-29");
    assert_day(day_add_months(d("2026-11-23"), 72), "2032-11-23");
    assert_day(day_add_months(d("2026-11-23"), 2), "2027-01-23");
    assert_day(day_add_months(d("2026-03-31"), -1), "2026-02-28");
    assert_day(day_add_months(d("2026-01-15"), -13), "2024-12-15");
    assert_day(day_add_months(d("2024-02-29"), 12), "2025-02-28");
}

static void test_due_day(void **state)
{
    (void)state;
    struct retention_rule six_years_or_25 = {72, 25};
    /* Young pupil: the 25th birthday is later than six years after closure. */
    assert_day(retention_due_day(d("2026-07-20"), &six_years_or_25, true, d("2015-03-04")), "2040-03-04");
    /* Older pupil: six years after closure is later. */
    assert_day(retention_due_day(d("2026-07-20"), &six_years_or_25, true, d("2000-03-04")), "2032-07-20");
    /* No date of birth: only the months count. */
    assert_day(retention_due_day(d("2026-07-20"), &six_years_or_25, false, 0), "2032-07-20");
    struct retention_rule months_only = {3, 0};
    assert_day(retention_due_day(d("2026-11-23"), &months_only, true, d("2015-03-04")), "2027-02-23");
}

static void test_codes(void **state)
{
    (void)state;
    enum retention_type t;
    for (int i = 0; i < RET__COUNT; i++) {
        assert_int_equal(retention_from_code(retention_code((enum retention_type)i), &t), 0);
        assert_int_equal(t, i);
    }
    assert_int_equal(retention_from_code("cases", &t), -1);
    assert_int_equal(retention_from_code(NULL, &t), -1);
    assert_string_equal(retention_effect(RET_CASE), "anonymise");
    assert_string_equal(retention_effect(RET_CONSENT), "erase");
    assert_string_equal(retention_effect(RET_OUTCOME), "erase");
    assert_string_equal(retention_code(RET_OUTCOME), "outcome");
    assert_string_equal(retention_code((enum retention_type)99), "unknown");
}

static void test_parse(void **state)
{
    (void)state;
    struct retention_rule r = {0, 0};
    struct field_errors e = {0};
    assert_true(retention_rule_parse("72", "25", &r, "case", &e));
    assert_int_equal(r.months, 72);
    assert_int_equal(r.until_age, 25);
    assert_true(retention_rule_parse("3", "", &r, "session", &e));
    assert_int_equal(r.until_age, 0);
    assert_int_equal(e.count, 0);
    assert_false(retention_rule_parse("0", "25", &r, "case", &e));
    assert_non_null(field_errors_get(&e, "case-months"));
    assert_false(retention_rule_parse("12", "101", &r, "pupil", &e));
    assert_non_null(field_errors_get(&e, "pupil-age"));
    assert_false(retention_rule_parse(NULL, "0", &r, "audit", &e));
    assert_false(retention_rule_parse("1.5", "0", &r, "consent", &e));
    assert_int_equal(e.count, 4);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_add_months),
        cmocka_unit_test(test_due_day),
        cmocka_unit_test(test_codes),
        cmocka_unit_test(test_parse),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
