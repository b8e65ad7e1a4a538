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
#include "lib/count.h"

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
    for (size_t i = 0; i < COUNT(payloads); i++) {
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

/* Numbers as pages show them stay numbers; anything more is text, and a
 * formula still cannot get through. */
static void shown_numbers_stay_numbers(void **state)
{
    (void)state;
    struct buf b = BUF_INIT;
    struct csv w = CSV_INIT(&b);
    const char *in[] = {"-0.40", "+0.32", "-5.6%", "12", "c", "-1+2", "+", "1.", "-2.5e3", "=1", NULL};
    for (size_t i = 0; i < 10; i++)
        csv_number(&w, in[i]);
    csv_number(&w, in[10]);
    csv_end_row(&w);
    assert_string_equal(b.data, "-0.40,0.32,-5.6%,12,c,\"'-1+2\",\"'+\",1.,\"'-2.5e3\",\"'=1\",\r\n");
    buf_free(&b);
}

/* Reading: fields split in place, quotes undone, stray quotes refused. */
static void split_fields(void **state)
{
    (void)state;
    char *f[4];
    char a[] = "A1,\"x, \"\"y\"\"\",,3";
    assert_int_equal(csv_split(a, f, 4), 4);
    assert_string_equal(f[0], "A1");
    assert_string_equal(f[1], "x, \"y\"");
    assert_string_equal(f[2], "");
    assert_string_equal(f[3], "3");
    char b[] = "1,2,3,4,5";
    assert_int_equal(csv_split(b, f, 4), 5);
    char c[] = "1,\"2";
    assert_int_equal(csv_split(c, f, 4), -1);
    char d[] = "1,2\"";
    assert_int_equal(csv_split(d, f, 4), -1);
}

static int count_header(void *arg, const char *s)
{
    assert_string_equal(s, "h1,h2");   /* byte-order mark and CRLF gone */
    (void)arg;
    return 0;
}

static int count_row(void *arg, char *s, size_t line)
{
    size_t *n = arg;
    assert_true(line == 2 || line == 4);
    assert_true(s[0] == 'r');
    (*n)++;
    return 0;
}

static void each_line(void **state)
{
    (void)state;
    char text[] = "\xEF\xBB\xBFh1,h2\r\nr1,a\r\n  \r\nr2,b";
    FILE *in = fmemopen(text, strlen(text), "r");
    assert_non_null(in);
    size_t rows = 0, lines = 0;
    assert_int_equal(csv_each_line(in, count_header, count_row, &rows, &lines), 0);
    assert_int_equal(rows, 2);
    assert_int_equal(lines, 4);
    fclose(in);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(plain_and_quoted),
        cmocka_unit_test(formulas_stay_text),
        cmocka_unit_test(numbers_stay_numbers),
        cmocka_unit_test(shown_numbers_stay_numbers),
        cmocka_unit_test(split_fields),
        cmocka_unit_test(each_line),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
