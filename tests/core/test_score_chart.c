/* The chart of a pupil's toolkit scores over time: points in order, the
 * value axis from 0 reaching the highest score, threshold and maximum,
 * whole-number ticks, thresholds drawn where their score is. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "core/chart.h"

static void points_in_order_on_an_axis_from_zero(void **state)
{
    (void)state;
    struct score_chart g;
    const int scores[] = {20, 10, 0};
    const int marks[] = {16};
    assert_int_equal(chart_score_layout(scores, 3, marks, 1, 48, &g), 0);
    assert_int_equal(g.top, 50); /* 48 rounded up to five whole steps of 10 */
    assert_int_equal(g.npoints, 3);
    int bottom = g.plot_y + g.plot_h;
    /* Evenly spaced, left to right, first at the left edge, last at the right. */
    assert_int_equal(g.points[0].x, g.plot_x);
    assert_int_equal(g.points[2].x, g.plot_x + g.plot_w);
    assert_int_equal(g.points[1].x - g.points[0].x, g.points[2].x - g.points[1].x);
    /* A higher score is higher up (smaller y); zero is on the axis. */
    assert_true(g.points[0].y < g.points[1].y);
    assert_int_equal(g.points[2].y, bottom);
    assert_int_equal(g.points[0].y, bottom - 20 * g.plot_h / 50);
    /* The threshold line sits at its score. */
    assert_int_equal(g.nmarks, 1);
    assert_int_equal(g.marks[0].y, bottom - 16 * g.plot_h / 50);
    assert_int_equal(g.marks[0].value, 16);
    /* Ticks 0, 10, ... 50. */
    assert_int_equal(g.nticks, 6);
    assert_int_equal(g.ticks[0].value, 0);
    assert_int_equal(g.ticks[5].value, 50);
    assert_int_equal(g.ticks[5].y, g.plot_y);
    char want[64];
    snprintf(want, sizeof want, "%d,%d %d,%d %d,%d", g.points[0].x, g.points[0].y, g.points[1].x, g.points[1].y,
             g.points[2].x, g.points[2].y);
    assert_string_equal(g.line, want);
}

static void axis_reaches_scores_and_marks_beyond_the_maximum(void **state)
{
    (void)state;
    struct score_chart g;
    const int one[] = {7};
    const int marks[] = {24, 40};
    /* Unknown maximum: the highest mark sets the top. */
    assert_int_equal(chart_score_layout(one, 1, marks, 2, 0, &g), 0);
    assert_int_equal(g.top, 40);
    assert_int_equal(g.points[0].x, g.plot_x + g.plot_w / 2); /* one point: in the middle */
    const int big[] = {3, 61};
    assert_int_equal(chart_score_layout(big, 2, NULL, 0, 0, &g), 0);
    assert_int_equal(g.top, 65);
    assert_int_equal(g.ticks[1].value, 13);
    assert_int_equal(g.points[1].y, g.plot_y + g.plot_h - 61 * g.plot_h / 65);
}

static void nothing_or_too_much_is_refused(void **state)
{
    (void)state;
    struct score_chart g;
    int many[CHART_SCORE_POINTS + 1] = {0};
    assert_int_equal(chart_score_layout(many, 0, NULL, 0, 10, &g), -1);
    assert_int_equal(chart_score_layout(many, CHART_SCORE_POINTS + 1, NULL, 0, 10, &g), -1);
    assert_int_equal(chart_score_layout(many, CHART_SCORE_POINTS, many, CHART_SCORE_MARKS + 1, 10, &g), -1);
    assert_int_equal(chart_score_layout(many, CHART_SCORE_POINTS, NULL, 0, 10, &g), 0);
    assert_true(strlen(g.line) > 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(points_in_order_on_an_axis_from_zero),
        cmocka_unit_test(axis_reaches_scores_and_marks_beyond_the_maximum),
        cmocka_unit_test(nothing_or_too_much_is_refused),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
