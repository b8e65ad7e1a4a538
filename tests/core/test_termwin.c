/* "This term": the windows tile the school year (1 August to 31 July),
 * each holiday with the term after it. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "core/calendar.h"
#include "core/termwin.h"

static void test_windows(void **state)
{
    (void)state;
    struct half_term t[6];
    int32_t closures[8];
    english_default_terms(2026, t, closures, 8);
    int32_t from, to;
    int term;
    char a[11], b[11];
    /* 18 November 2026: autumn, from 1 August to the end of half-term 2. */
    assert_int_equal(term_window(day_from_ymd(2026, 11, 18), t, 6, &from, &to, &term), 0);
    day_format(from, a);
    day_format(to, b);
    assert_string_equal(a, "2026-08-01");
    assert_int_equal(to, t[1].ends);
    assert_int_equal(term, 0);
    assert_string_equal(term_name(term), "Autumn term");
    /* 10 March 2027: spring, from the day after autumn ends. */
    assert_int_equal(term_window(day_from_ymd(2027, 3, 10), t, 6, &from, &to, &term), 0);
    assert_int_equal(term, 1);
    assert_int_equal(from, t[1].ends + 1);
    assert_int_equal(to, t[3].ends);
    /* A Christmas holiday day is spring's; the summer holiday is summer's, to 31 July. */
    assert_int_equal(term_window(t[1].ends + 3, t, 6, &from, &to, &term), 0);
    assert_int_equal(term, 1);
    assert_int_equal(term_window(day_from_ymd(2027, 7, 31), t, 6, &from, &to, &term), 0);
    assert_int_equal(term, 2);
    day_format(to, b);
    assert_string_equal(b, "2027-07-31");
    /* Another year's day, or too few half-terms: no window. */
    assert_int_equal(term_window(day_from_ymd(2027, 8, 1), t, 6, &from, &to, &term), -1);
    assert_int_equal(term_window(day_from_ymd(2026, 11, 18), t, 5, &from, &to, &term), -1);
    assert_string_equal(term_name(3), "");
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(test_windows)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
