/* Statistics tables: percentages, averages, money, and disclosure control
 * (primary suppression at the threshold's edge, secondary suppression
 * across columns and down partitions, withheld percentages and ratios);
 * and chart geometry from the same tables. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "core/chart.h"
#include "core/stats.h"

static const char *text(const struct stat_row *r, enum stat_col c)
{
    static char buf[4][96];
    static int k;
    char pct[16];
    char *out = buf[k++ % 4];
    char v[48];
    stat_cell_text(r, c, v, sizeof v, pct, sizeof pct);
    if (pct[0])
        snprintf(out, 96, "%s (%s)", v, pct);
    else
        snprintf(out, 96, "%s", v);
    return out;
}

/* Cases: P p, S s; gender rows a partition of it. */
static struct stat_table *cases_table(int64_t p, int64_t s, const int64_t (*g)[2], size_t ng)
{
    struct stat_table *t = calloc(1, sizeof *t);
    t->key = "t";
    struct stat_row *base = stat_add_row(t, "", "Cases", STAT_COUNT, true, 0);
    stat_add(base, COL_PRIMARY, p);
    stat_add(base, COL_SECONDARY, s);
    for (size_t i = 0; i < ng; i++) {
        char label[16];
        snprintf(label, sizeof label, "g%zu", i);
        struct stat_row *r = stat_add_row(t, "", label, STAT_COUNT, true, 1);
        stat_add(r, COL_PRIMARY, g[i][0]);
        stat_add(r, COL_SECONDARY, g[i][1]);
        stat_set_base(r, &t->rows[0]);
    }
    return t;
}

static void percentages_round_half_up_from_unrounded_counts(void **state)
{
    (void)state;
    static const int64_t g[][2] = {{5, 1}, {3, 7}};   /* 5/8 = 62.5% -> 63%; 3/8 = 37.5% -> 38% */
    struct stat_table *t = cases_table(8, 8, g, 2);
    stat_suppress(t, 1, 0);
    assert_string_equal(text(&t->rows[1], COL_PRIMARY), "5 (63%)");
    assert_string_equal(text(&t->rows[2], COL_PRIMARY), "3 (38%)");
    assert_string_equal(text(&t->rows[1], COL_TOTAL), "6 (38%)");   /* 6/16 = 37.5% */
    assert_string_equal(text(&t->rows[0], COL_TOTAL), "16");
    free(t);
}

static void zero_base_has_no_percentage_and_ratio_is_z(void **state)
{
    (void)state;
    static const int64_t g[][2] = {{0, 0}};
    struct stat_table *t = cases_table(0, 0, g, 1);
    struct stat_row *avg = stat_add_row(t, "", "avg", STAT_RATIO, true, 0);
    stat_set_ratio(avg, &t->rows[0], &t->rows[1]);
    stat_suppress(t, 1, 5);
    assert_string_equal(text(&t->rows[1], COL_TOTAL), "0");
    assert_string_equal(text(avg, COL_TOTAL), "z");
    free(t);
}

static void threshold_edge_count_equal_is_shown_below_is_c(void **state)
{
    (void)state;
    static const int64_t g[][2] = {{5, 5}, {6, 6}};
    struct stat_table *t = cases_table(11, 11, g, 2);
    stat_suppress(t, 1, 5);
    assert_string_equal(text(&t->rows[1], COL_PRIMARY), "5 (45%)");
    stat_suppress(t, 1, 6);
    assert_string_equal(text(&t->rows[1], COL_PRIMARY), "c");
    /* 6 would then be revealed by 11 - c: suppressed too; so both columns'
     * partitions hide two cells, and Total 10 of g0 is not small but Total
     * minus nothing shown can't reveal it -- it is shown. */
    assert_string_equal(text(&t->rows[2], COL_PRIMARY), "c");
    assert_string_equal(text(&t->rows[1], COL_TOTAL), "10 (45%)");
    free(t);
}

static void true_zeros_stay_zero(void **state)
{
    (void)state;
    static const int64_t g[][2] = {{0, 9}, {9, 0}};
    struct stat_table *t = cases_table(9, 9, g, 2);
    stat_suppress(t, 1, 5);
    assert_string_equal(text(&t->rows[1], COL_PRIMARY), "0 (0%)");
    assert_false(t->rows[1].cells[COL_PRIMARY].suppressed);
    free(t);
}

static void secondary_suppression_across_columns(void **state)
{
    (void)state;
    /* Secondary 3 is small; Total 20 - Primary 17 would reveal it. */
    struct stat_table *t = cases_table(17, 3, NULL, 0);
    stat_suppress(t, 1, 5);
    assert_string_equal(text(&t->rows[0], COL_SECONDARY), "c");
    assert_string_equal(text(&t->rows[0], COL_PRIMARY), "c");
    assert_string_equal(text(&t->rows[0], COL_TOTAL), "20");
    free(t);
}

static void secondary_suppression_down_a_partition_takes_the_smallest(void **state)
{
    (void)state;
    /* Primary: 2 is small; base 40 - 20 - 18 reveals it: the next smallest
     * (18) goes, not 20. */
    static const int64_t g[][2] = {{2, 0}, {20, 20}, {18, 20}};
    struct stat_table *t = cases_table(40, 40, g, 3);
    stat_suppress(t, 1, 5);
    assert_string_equal(text(&t->rows[1], COL_PRIMARY), "c");
    assert_string_equal(text(&t->rows[3], COL_PRIMARY), "c");
    assert_string_equal(text(&t->rows[2], COL_PRIMARY), "20 (50%)");
    /* Row g0: Primary hidden, Secondary 0 true zero, so Total 2 (small) is hidden. */
    assert_string_equal(text(&t->rows[1], COL_TOTAL), "c");
    assert_string_equal(text(&t->rows[1], COL_SECONDARY), "0 (0%)");
    /* g2 Total 38: Primary 18 hidden, Secondary 20 shown: Total must go. */
    assert_string_equal(text(&t->rows[3], COL_TOTAL), "c");
    free(t);
}

static void percentages_and_ratios_of_hidden_counts_are_withheld(void **state)
{
    (void)state;
    static const int64_t g[][2] = {{3, 10}, {3, 10}};
    struct stat_table *t = cases_table(6, 20, g, 2);
    struct stat_table *m = calloc(1, sizeof *m);
    struct stat_row *held = stat_add_row(m, "", "held", STAT_COUNT, false, 0);
    stat_add(held, COL_PRIMARY, 2);
    stat_add(held, COL_SECONDARY, 4);
    struct stat_row *avg = stat_add_row(t, "", "avg", STAT_RATIO, true, 0);
    stat_set_ratio(avg, &t->rows[0], held);
    struct stat_table both[2];
    both[0] = *t;
    both[1] = *m;
    /* Pointers must refer to the array suppressed, so rebuild in place. */
    stat_set_base(&both[0].rows[1], &both[0].rows[0]);
    stat_set_base(&both[0].rows[2], &both[0].rows[0]);
    stat_set_ratio(&both[0].rows[3], &both[0].rows[0], &both[1].rows[0]);
    stat_suppress(both, 2, 5);
    /* Primary: 3 and 3 hidden, base 6 shown. */
    assert_string_equal(text(&both[0].rows[1], COL_PRIMARY), "c");
    assert_string_equal(text(&both[0].rows[0], COL_PRIMARY), "6");
    assert_string_equal(text(&both[0].rows[3], COL_PRIMARY), "3.0");   /* 6 / 2 */
    assert_string_equal(text(&both[0].rows[3], COL_SECONDARY), "5.0");  /* 20 / 4 */
    /* Meetings are never controlled. */
    assert_string_equal(text(&both[1].rows[0], COL_PRIMARY), "2");
    /* Hide the base: its average and the rows' percentages go too. */
    stat_suppress(both, 2, 7);
    assert_string_equal(text(&both[0].rows[0], COL_PRIMARY), "c");
    assert_string_equal(text(&both[0].rows[3], COL_PRIMARY), "c");
    /* Total 26 minus Secondary would reveal Primary: Secondary goes too;
     * then its rows would add up to it, so one of them goes, and then the
     * other (Total 13 minus Primary's c would not hide it): nothing shown
     * lets the hidden Primary 6 be worked out. */
    assert_string_equal(text(&both[0].rows[0], COL_SECONDARY), "c");
    assert_string_equal(text(&both[0].rows[0], COL_TOTAL), "26");
    assert_string_equal(text(&both[0].rows[1], COL_SECONDARY), "c");
    assert_string_equal(text(&both[0].rows[2], COL_SECONDARY), "c");
    assert_string_equal(text(&both[0].rows[2], COL_TOTAL), "13 (50%)");
    assert_true(both[0].rows[2].cells[COL_SECONDARY].pct_withheld);
    free(t);
    free(m);
}

static void exact_view_suppresses_nothing(void **state)
{
    (void)state;
    static const int64_t g[][2] = {{1, 2}};
    struct stat_table *t = cases_table(1, 2, g, 1);
    stat_suppress(t, 1, 0);
    assert_string_equal(text(&t->rows[1], COL_PRIMARY), "1 (100%)");
    free(t);
}

static void money_and_averages_format(void **state)
{
    (void)state;
    struct stat_table *t = calloc(1, sizeof *t);
    struct stat_row *m = stat_add_row(t, "", "cost", STAT_MONEY, false, 0);
    stat_add(m, COL_PRIMARY, 123456789);   /* pence */
    stat_add(m, COL_SECONDARY, 49);
    struct stat_row *a = stat_add_row(t, "", "n", STAT_COUNT, false, 0);
    stat_add(a, COL_PRIMARY, 7);
    struct stat_row *b = stat_add_row(t, "", "d", STAT_COUNT, false, 0);
    stat_add(b, COL_PRIMARY, 4);
    struct stat_row *r = stat_add_row(t, "", "avg", STAT_RATIO, false, 0);
    stat_set_ratio(r, a, b);
    stat_suppress(t, 1, 5);
    assert_string_equal(text(m, COL_PRIMARY), "\xc2\xa3" "1,234,568");
    assert_string_equal(text(m, COL_SECONDARY), "\xc2\xa3" "0");
    assert_string_equal(text(r, COL_PRIMARY), "1.8");   /* 1.75 rounds up */
    assert_string_equal(text(r, COL_SECONDARY), "z");
    free(t);
}

static void phases_map_to_columns(void **state)
{
    (void)state;
    assert_int_equal(stat_col_of_phase("primary"), COL_PRIMARY);
    assert_int_equal(stat_col_of_phase("secondary"), COL_SECONDARY);
    assert_int_equal(stat_col_of_phase("special"), COL_OTHER);
    assert_int_equal(stat_col_of_phase(NULL), COL_OTHER);
}

static void charts_draw_shares_and_skip_hidden_cells(void **state)
{
    (void)state;
    static const int64_t g[][2] = {{2, 10}, {8, 10}};
    struct stat_table *t = cases_table(10, 20, g, 2);
    t->chart = CHART_BAR;
    stat_suppress(t, 1, 5);
    struct chart_geom *geo = malloc(sizeof *geo);
    assert_int_equal(chart_layout(t, geo), 0);
    /* Three rows x (Primary, Secondary, Total); all rows do not share a base
     * (the first is the base itself), so values are counts. */
    assert_int_equal(geo->nseries, 3);
    assert_int_equal(geo->nmarks, 9);
    /* Row g0 Primary (2) is "c": no bar, labelled c. */
    assert_int_equal(geo->marks[3].w, 0);
    assert_string_equal(geo->marks[3].value, "c");
    /* Bars scale to a round maximum (30 -> 50): Total 30 is 3/5 of the width. */
    assert_int_equal(geo->marks[2].w, (geo->plot_w * 3 + 2) / 5);
    /* Round ticks: 0, 10, ..., 50. */
    assert_int_equal(geo->nticks, 6);
    assert_string_equal(geo->ticks[1].text, "10");
    assert_string_equal(geo->ticks[5].text, "50");
    free(geo);

    /* Percent bars when every row has a base (exact figures this time). */
    stat_suppress(t, 1, 0);
    struct stat_table *p = calloc(1, sizeof *p);
    *p = *t;
    memmove(&p->rows[0], &p->rows[1], 2 * sizeof p->rows[0]);
    p->nrows = 2;
    geo = malloc(sizeof *geo);
    assert_int_equal(chart_layout(p, geo), 0);
    assert_true(geo->percent);
    assert_string_equal(geo->marks[1].value, "50%");   /* g0 Secondary 10/20 */
    assert_string_equal(geo->ticks[geo->nticks - 1].text, "100%");
    free(geo);
    free(p);

    t->chart = CHART_NONE;
    geo = malloc(sizeof *geo);
    assert_int_equal(chart_layout(t, geo), -1);
    free(geo);
    free(t);
}

/* The before/after pair: bar lengths in proportion on the 0-100% scale,
 * values with one decimal, a missing side drawn as no bar and "no data". */
static void pair_chart_scales_and_marks_missing_sides(void **state)
{
    (void)state;
    const char *const labels[2] = {"Before", "After"};
    struct chart_pair g;
    chart_pair_layout(labels, (const double[2]){80.0, 95.25}, (const bool[2]){true, true}, &g);
    assert_true(g.bars[0].drawn && g.bars[1].drawn);
    assert_int_equal(g.bars[0].w, (int)(0.80 * g.plot_w + 0.5));
    assert_int_equal(g.bars[1].w, (int)(0.9525 * g.plot_w + 0.5));
    assert_true(g.bars[1].y > g.bars[0].y + g.bars[0].h - 1);
    assert_string_equal(g.bars[0].value, "80.0%");
    assert_string_equal(g.bars[1].value, "95.2%");
    assert_string_equal(g.bars[1].label, "After");
    assert_int_equal(g.bars[0].text_x, g.plot_x + g.bars[0].w + 6);
    assert_int_equal(g.nticks, 5);
    assert_string_equal(g.ticks[4].text, "100%");
    assert_int_equal(g.tick_pos[4], g.plot_x + g.plot_w);
    assert_true(g.bars[1].y + g.bars[1].h <= g.plot_y + g.plot_h);

    chart_pair_layout(labels, (const double[2]){0, 120.0}, (const bool[2]){false, true}, &g);
    assert_false(g.bars[0].drawn);
    assert_int_equal(g.bars[0].w, 0);
    assert_string_equal(g.bars[0].value, "no data");
    assert_int_equal(g.bars[1].w, g.plot_w);   /* clamped to the scale */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(percentages_round_half_up_from_unrounded_counts),
        cmocka_unit_test(zero_base_has_no_percentage_and_ratio_is_z),
        cmocka_unit_test(threshold_edge_count_equal_is_shown_below_is_c),
        cmocka_unit_test(true_zeros_stay_zero),
        cmocka_unit_test(secondary_suppression_across_columns),
        cmocka_unit_test(secondary_suppression_down_a_partition_takes_the_smallest),
        cmocka_unit_test(percentages_and_ratios_of_hidden_counts_are_withheld),
        cmocka_unit_test(exact_view_suppresses_nothing),
        cmocka_unit_test(money_and_averages_format),
        cmocka_unit_test(phases_map_to_columns),
        cmocka_unit_test(charts_draw_shares_and_skip_hidden_cells),
        cmocka_unit_test(pair_chart_scales_and_marks_missing_sides),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
