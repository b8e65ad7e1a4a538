/* When the dashboard may read its rollup (q_rollup_answers): whole
 * calendar months only, no team or school, and a visibility of whole
 * authorities.  Anything else must read the records, or the figures for
 * part of a month, a team or a school would be wrong. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <string.h>

#include "store/q_dash_rollup.h"

static struct visibility all = {.all = true};

static bool answers(const char *from, const char *to)
{
    struct dash_query q = {from, to, 0, 0, 0, "", &all};
    return q_rollup_answers(&q);
}

static void test_whole_months(void **state)
{
    (void)state;
    assert_true(answers("2024-09-01", "2025-08-31"));   /* a school year */
    assert_true(answers("2024-02-01", "2024-02-29"));   /* a leap February */
    assert_true(answers("2023-12-01", "2024-01-31"));   /* across a new year */
    assert_true(answers("2025-04-01", "2025-04-30"));
}

static void test_part_months(void **state)
{
    (void)state;
    assert_false(answers("2024-09-02", "2025-08-31"));
    assert_false(answers("2024-09-01", "2025-08-30"));
    assert_false(answers("2023-02-01", "2023-02-29"));  /* no such day */
    assert_true(answers("2023-02-01", "2023-02-28"));
    assert_false(answers("2024-02-01", "2024-02-28"));  /* a leap year's 28th is not the end */
    assert_false(answers("2025-04-01", "2025-04-31"));
    assert_false(answers("2025-05-01", "2025-04-30"));  /* backwards */
    assert_false(answers("", "2025-04-30"));
    assert_false(answers("2025-04-01", NULL));
    assert_false(answers("2025-4-01", "2025-04-30"));
}

static void test_filters_and_visibility(void **state)
{
    (void)state;
    struct dash_query q = {"2024-09-01", "2025-08-31", 7, 0, 0, "primary", &all};
    assert_true(q_rollup_answers(&q));                  /* an authority and a phase are in its key */
    q.team_id = 3;
    assert_false(q_rollup_answers(&q));
    q.team_id = 0;
    q.school_id = 4;
    assert_false(q_rollup_answers(&q));
    q.school_id = 0;
    struct visibility by_authority = {.nauthorities = 1, .authority_ids = {7}};
    q.vis = &by_authority;
    assert_true(q_rollup_answers(&q));
    struct visibility by_school = {.nschools = 1, .school_ids = {4}};
    q.vis = &by_school;
    assert_false(q_rollup_answers(&q));                 /* a school's share of an authority is not in it */
    q.vis = NULL;
    assert_false(q_rollup_answers(&q));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_whole_months),
        cmocka_unit_test(test_part_months),
        cmocka_unit_test(test_filters_and_visibility),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
