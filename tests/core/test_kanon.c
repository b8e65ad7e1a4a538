/* k-anonymity by full-domain generalisation (core/kanon.c): a worked
 * example, the least-cost property against an exhaustive check, and the
 * edge cases. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "core/kanon.h"
#include "lib/count.h"

/* Rows of (school 0..5, month 0..11, gender 0..1): school ladder school ->
 * phase (school / 3) -> hidden; month -> quarter -> hidden; gender ->
 * hidden. */
static int32_t *ladder_values(const int (*rows)[3], size_t n)
{
    int32_t *v = calloc(n * 3 * KANON_MAX_LEVELS, sizeof *v);
    for (size_t r = 0; r < n; r++) {
        int32_t *s = &v[(r * 3 + 0) * KANON_MAX_LEVELS], *m = &v[(r * 3 + 1) * KANON_MAX_LEVELS],
                *g = &v[(r * 3 + 2) * KANON_MAX_LEVELS];
        s[0] = rows[r][0], s[1] = rows[r][0] / 3, s[2] = 0;
        m[0] = rows[r][1], m[1] = rows[r][1] / 3, m[2] = 0;
        g[0] = rows[r][2], g[1] = 0;
    }
    return v;
}

static struct kanon_input input(const int32_t *v, size_t n)
{
    struct kanon_input in = {.nrows = n, .nqi = 3, .levels = {3, 3, 2}, .cost = {1, 1, 1}, .values = v};
    return in;
}

static void worked_example(void **state)
{
    (void)state;
    static const int rows[][3] = {
        {0, 0, 0}, {0, 1, 0}, {1, 2, 0}, {1, 0, 1}, {2, 1, 1}, {2, 2, 1},   /* phase 0, quarter 0 */
        {3, 3, 0}, {3, 4, 1}, {4, 5, 0}, {5, 3, 1}, {5, 4, 0}, {4, 5, 1},   /* phase 1, quarter 1 */
    };
    size_t n = COUNT(rows);
    int32_t *v = ladder_values(rows, n);
    struct kanon_input in = input(v, n);
    struct kanon_result res;
    /* k = 1: nothing to do. */
    assert_int_equal(kanon_search(&in, 1, &res), 0);
    assert_true(res.found);
    assert_int_equal(res.level[0] + res.level[1] + res.level[2], 0);
    /* k = 6: phase, quarter and no gender (cost 3) give two classes of
     * six; no cheaper choice has every class of six or more. */
    assert_int_equal(kanon_search(&in, 6, &res), 0);
    assert_true(res.found);
    assert_true(res.min_class >= 6);
    int cost = res.level[0] + res.level[1] + res.level[2];
    assert_int_equal(cost, 3);
    assert_int_equal(res.level[0], 1);
    assert_int_equal(res.level[1], 1);
    assert_int_equal(res.level[2], 1);
    assert_int_equal(res.nclasses, 2);
    /* k = 13: more than there are rows. */
    assert_int_equal(kanon_search(&in, 13, &res), 0);
    assert_false(res.found);
    /* Classes numbered in the order of their first rows. */
    size_t cls[12];
    int lv[3] = {1, 1, 1};
    assert_int_equal(kanon_classes(&in, lv, cls), 2);
    assert_int_equal(cls[0], 0);
    assert_int_equal(cls[6], 1);
    free(v);
}

/* The first k-anonymous choice found costs no more than any k-anonymous
 * choice, on random data, checked by trying every choice. */
static void least_cost_against_exhaustive(void **state)
{
    (void)state;
    unsigned seed = 99;
    for (int trial = 0; trial < 200; trial++) {
        size_t n = 5 + (size_t)(rand_r(&seed) % 40);
        int (*rows)[3] = calloc(n, sizeof *rows);
        for (size_t r = 0; r < n; r++) {
            rows[r][0] = rand_r(&seed) % 6;
            rows[r][1] = rand_r(&seed) % 12;
            rows[r][2] = rand_r(&seed) % 2;
        }
        int32_t *v = ladder_values((const int (*)[3])rows, n);
        struct kanon_input in = input(v, n);
        in.cost[0] = 1 + trial % 3;
        size_t k = 2 + (size_t)(trial % 5);
        struct kanon_result res;
        assert_int_equal(kanon_search(&in, k, &res), 0);
        int best = 1000;
        size_t cls[64];
        for (int a = 0; a < 3; a++)
            for (int b = 0; b < 3; b++)
                for (int c = 0; c < 2; c++) {
                    int lv[3] = {a, b, c};
                    size_t nc = kanon_classes(&in, lv, cls), count[64] = {0}, m = SIZE_MAX;
                    for (size_t r = 0; r < n; r++)
                        count[cls[r]]++;
                    for (size_t x = 0; x < nc; x++)
                        m = count[x] < m ? count[x] : m;
                    int cost = a * in.cost[0] + b + c;
                    if (m >= k && cost < best)
                        best = cost;
                }
        assert_int_equal(res.found, best < 1000);
        if (res.found) {
            assert_int_equal(res.level[0] * in.cost[0] + res.level[1] + res.level[2], best);
            assert_true(res.min_class >= k);
        }
        free(v);
        free(rows);
    }
}

static void bad_input(void **state)
{
    (void)state;
    struct kanon_result res;
    int32_t v[KANON_MAX_LEVELS] = {0};
    struct kanon_input in = {.nrows = 1, .nqi = 1, .levels = {1}, .cost = {1}, .values = v};
    assert_int_equal(kanon_search(&in, 2, &res), -1);   /* a ladder needs a top */
    in.levels[0] = 2;
    assert_int_equal(kanon_search(&in, 0, &res), -1);
    in.cost[0] = 0;
    assert_int_equal(kanon_search(&in, 2, &res), -1);
    in.cost[0] = 1;
    in.nrows = 0;
    assert_int_equal(kanon_search(&in, 5, &res), 0);
    assert_true(res.found);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(worked_example),
        cmocka_unit_test(least_cost_against_exhaustive),
        cmocka_unit_test(bad_input),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
