/* CSV fields (lib/csv.c): quoting, and the classic spreadsheet formula
 * payloads written as text. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "lib/csv.h"

static char *row(const char *const *fields, size_t n)
{
    static struct buf b = BUF_INIT;
    buf_reset(&b);
    struct csv w = CSV_INIT(&b);
    for (size_t i = 0; i < n; i++)
        csv_text(&w, fields[i]);
    csv_end_row(&w);
    return b.data;
}

static void plain_and_quoted(void **state)
{
    (void)state;
    assert_string_equal(row((const char *[]){"a", "b c", ""}, 3), "a,b c,\r\n");
    assert_string_equal(row((const char *[]){"x,y", "say \"hi\"", "two\nlines"}, 3),
                        "\"x,y\",\"say \"\"hi\"\"\",\"two\nlines\"\r\n");
    assert_string_equal(row((const char *[]){NULL}, 1), "\r\n");
}

static void formulas_stay_text(void **state)
{
    (void)state;
    static const char *const payloads[][2] = {
        {"=1+1", "\"'=1+1\""},
        {"=HYPERLINK(\"http://x\",\"y\")", "\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\""},
        {"+1+1", "\"'+1+1\""},
        {"-1+1", "\"'-1+1\""},                       /* no "-digit" exception */
        {"-2+3+cmd|' /C calc'!A0", "\"'-2+3+cmd|' /C calc'!A0\""},
        {"@SUM(1+1)", "\"'@SUM(1+1)\""},
        {"\t=1", "\"'\t=1\""},
        {"\r=1", "\"'\r=1\""},
        {"a=1", "a=1"},                               /* only the first character matters */
    };
    for (size_t i = 0; i < sizeof payloads / sizeof payloads[0]; i++) {
        char want[128];
        strcpy(want, payloads[i][1]);
        strcat(want, "\r\n");
        assert_string_equal(row(&payloads[i][0], 1), want);
    }
}

static void numbers_stay_numbers(void **state)
{
    (void)state;
    struct buf b = BUF_INIT;
    struct csv w = CSV_INIT(&b);
    csv_int(&w, 42);
    csv_int(&w, -7);
    csv_text(&w, "c");
    csv_end_row(&w);
    assert_string_equal(b.data, "42,-7,c\r\n");
    buf_free(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(plain_and_quoted),
        cmocka_unit_test(formulas_stay_text),
        cmocka_unit_test(numbers_stay_numbers),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
