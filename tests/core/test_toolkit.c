/* Toolkit definitions: the shipped ones parse, strict errors by line and
 * field, answers, scoring, bands and the threshold rule. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/toolkit.h"
#include "lib/count.h"
#include "lib/embedded.h"

static const char *small =
    "# a comment\n"
    "toolkit | mini | 3 | Mini profile\n"
    "about | Two items\n"
    "\n"
    "scale | yn | 0 = No | 1 = Yes\n"
    "scale | lvl | 0 = None | 1 = Some | 3 = Lots\n"
    "section | a | First\n"
    "item | a1 | yn | Item one\n"
    "item | a2 | lvl | Item two | 2\n"
    "section | b | Second\n"
    "item | b1 | lvl | Item three\n"
    "band | 0 | low | Low\n"
    "band | 4 | mid | Middle | flag\n"
    "band | 7 | high | High | flag\n";

static struct toolkit_def *parse_ok(const char *text)
{
    struct toolkit_def *d = calloc(1, sizeof *d);
    struct tk_errors e;
    int rc = toolkit_parse(text, d, &e);
    if (rc != 0)
        print_error("line %d %s: %s\n", e.items[0].line, e.items[0].field, e.items[0].message);
    assert_int_equal(rc, 0);
    return d;
}

static void test_parse_small(void **state)
{
    (void)state;
    struct toolkit_def *d = parse_ok(small);
    assert_string_equal(d->name, "mini");
    assert_int_equal(d->version, 3);
    assert_int_equal(d->nscales, 2);
    assert_int_equal(d->nsections, 2);
    assert_int_equal(d->nitems, 3);
    assert_int_equal(d->items[1].weight, 2);
    assert_int_equal(d->items[2].section, 1);
    assert_int_equal(d->nbands, 3);
    assert_true(d->has_threshold);
    assert_int_equal(d->threshold, 4);
    free(d);
}

static void test_shipped_toolkits(void **state)
{
    (void)state;
    const char *names[] = {"toolkits/early-concerns.tk", "toolkits/behaviour-vulnerability.tk"};
    for (size_t i = 0; i < 2; i++) {
        const struct embedded_file *f = embedded_find(names[i]);
        assert_non_null(f);
        struct toolkit_def *d = parse_ok((const char *)f->data);
        assert_true(d->has_threshold);
        assert_true(d->nitems >= 12);
        if (i == 0) {
            /* The four areas of need of the SEND Code of Practice. */
            assert_int_equal(d->nsections, 4);
            assert_string_equal(d->name, "early-concerns");
        }
        free(d);
    }
}

/* The first error of a bad definition: its line and field. */
static void expect_error(const char *text, int line, const char *field)
{
    struct toolkit_def *d = calloc(1, sizeof *d);
    struct tk_errors e;
    assert_int_equal(toolkit_parse(text, d, &e), -1);
    assert_true(e.count >= 1);
    bool found = false;
    for (size_t i = 0; i < e.count; i++)
        found |= e.items[i].line == line && strcmp(e.items[i].field, field) == 0;
    if (!found)
        print_error("wanted line %d %s, first was line %d %s: %s\n", line, field, e.items[0].line,
                    e.items[0].field, e.items[0].message);
    assert_true(found);
    free(d);
}

static void test_parse_errors(void **state)
{
    (void)state;
    const char *head = "toolkit | t | 1 | T\nscale | yn | 0 = No | 1 = Yes\nsection | a | A\n";
    char buf[1024];
    struct {
        const char *tail;
        int line;
        const char *field;
    } cases[] = {
        {"item | a1 | nope | X\nband | 0 | l | L\n", 4, "scale"},
        {"item | a1 | yn | X | 11\nband | 0 | l | L\n", 4, "weight"},
        {"item | a1 | yn | X\nitem | a1 | yn | Y\nband | 0 | l | L\n", 5, "item"},
        {"item | A1 | yn | X\nband | 0 | l | L\n", 4, "item"},
        {"item | a1 | yn | X\nband | 2 | l | L\n", 0, "band"},
        {"item | a1 | yn | X\nband | 0 | l | L\nband | 0 | m | M\n", 6, "min"},
        {"item | a1 | yn | X\nband | 0 | l | L | red\n", 5, "flag"},
        {"item | a1 | yn\nband | 0 | l | L\n", 4, "item"},
        {"item | a1 | yn | X\nband | 0 | l | L\nwidget | x\n", 6, "line"},
        {"band | 0 | l | L\n", 0, "section"},
    };
    for (size_t i = 0; i < COUNT(cases); i++) {
        snprintf(buf, sizeof buf, "%s%s", head, cases[i].tail);
        expect_error(buf, cases[i].line, cases[i].field);
    }
    expect_error("toolkit | t | 0 | T\n", 1, "version");
    expect_error("toolkit | T! | 1 | T\n", 1, "name");
    expect_error("scale | yn | 0 = No | 1 = Yes\ntoolkit | t | 1 | T\n", 1, "toolkit");
    expect_error("toolkit | t | 1 | T\nscale | yn | 0 = No | 0 = Yes\n", 2, "option");
    expect_error("toolkit | t | 1 | T\nscale | yn | 0 No | 1 = Yes\n", 2, "option");
    expect_error("toolkit | t | 1 | T\nscale | yn | 0 = No\n", 2, "scale");
    expect_error("", 0, "toolkit");
}

static void test_answers_and_score(void **state)
{
    (void)state;
    struct toolkit_def *d = parse_ok(small);
    int ans[TK_MAX_ITEMS];
    char msg[160];
    assert_int_equal(toolkit_answers_parse(d, "a1=1, a2=3", ans, msg, sizeof msg), 0);
    assert_int_equal(ans[2], TK_UNANSWERED);
    struct tk_score s;
    assert_int_equal(toolkit_score(d, ans, &s), 0);
    assert_int_equal(s.score, 7);          /* 1 + 3 x 2 */
    assert_int_equal(s.section_scores[0], 7);
    assert_false(s.complete);
    assert_string_equal(d->bands[s.band].code, "high");
    char out[256];
    assert_int_equal(toolkit_answers_format(d, ans, out, sizeof out), 0);
    assert_string_equal(out, "a1=1,a2=3");
    assert_int_equal(toolkit_answers_parse(d, "a1=1,a2=0,b1=1", ans, msg, sizeof msg), 0);
    assert_int_equal(toolkit_score(d, ans, &s), 0);
    assert_true(s.complete);
    assert_int_equal(s.score, 2);
    assert_string_equal(d->bands[s.band].code, "low");
    /* Values off the scale, unknown and repeated items are refused. */
    assert_int_equal(toolkit_answers_parse(d, "a2=2", ans, msg, sizeof msg), -1);
    assert_int_equal(toolkit_answers_parse(d, "zz=1", ans, msg, sizeof msg), -1);
    assert_int_equal(toolkit_answers_parse(d, "a1=1,a1=0", ans, msg, sizeof msg), -1);
    assert_int_equal(toolkit_answers_parse(d, "a1", ans, msg, sizeof msg), -1);
    ans[0] = 5;
    assert_int_equal(toolkit_score(d, ans, &s), -1);
    free(d);
}

static void test_threshold(void **state)
{
    (void)state;
    struct toolkit_def *d = parse_ok(small);
    assert_true(toolkit_threshold_crossed(d, false, 0, 4));   /* first completion at the threshold */
    assert_false(toolkit_threshold_crossed(d, false, 0, 3));
    assert_true(toolkit_threshold_crossed(d, true, 3, 4));
    assert_false(toolkit_threshold_crossed(d, true, 4, 9));   /* already over: not crossed again */
    assert_false(toolkit_threshold_crossed(d, true, 9, 1));   /* falling is not crossing */
    d->has_threshold = false;
    assert_false(toolkit_threshold_crossed(d, false, 0, 9));
    free(d);
}

static void test_versions_differ(void **state)
{
    (void)state;
    /* A revision is a new version of the same name; answers stored by item
     * id still read against the version they answered. */
    struct toolkit_def *v3 = parse_ok(small);
    char text[2048];
    snprintf(text, sizeof text, "%s", small);
    char *ver = strstr(text, "| 3 |");
    ver[2] = '4';
    char *b1 = strstr(text, "item | b1");
    memcpy(b1, "item | b2", 9);
    struct toolkit_def *v4 = parse_ok(text);
    assert_string_equal(v4->name, v3->name);
    assert_int_equal(v4->version, 4);
    int ans[TK_MAX_ITEMS];
    char msg[160];
    assert_int_equal(toolkit_answers_parse(v3, "b1=1", ans, msg, sizeof msg), 0);
    assert_int_equal(toolkit_answers_parse(v4, "b1=1", ans, msg, sizeof msg), -1);
    free(v3);
    free(v4);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse_small),
        cmocka_unit_test(test_shipped_toolkits),
        cmocka_unit_test(test_parse_errors),
        cmocka_unit_test(test_answers_and_score),
        cmocka_unit_test(test_threshold),
        cmocka_unit_test(test_versions_differ),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
