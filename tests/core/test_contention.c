/* When changes that could run side by side take turns (core/contention.h). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "core/contention.h"

/* n changes side by side, the first `again` of them run again. */
static void window(struct contention *c, int n, int again)
{
    for (int i = 0; i < n; i++) {
        assert_true(contention_side_by_side(c));
        contention_count(c, true, i < again);
    }
}

/* Takes turns until side by side again; returns how many changes that was. */
static int turns(struct contention *c)
{
    int n = 0;
    while (!contention_side_by_side(c)) {
        contention_count(c, false, false);
        n++;
    }
    return n;
}

static void test_rare_conflicts_stay_side_by_side(void **state)
{
    (void)state;
    struct contention c = {0};
    assert_true(contention_side_by_side(&c));
    /* Exactly the threshold (10% of 256 is 25.6: 25 is under it). */
    for (int w = 0; w < 4; w++)
        window(&c, CONTENTION_WINDOW, 25);
    assert_true(contention_side_by_side(&c));
    assert_int_equal(c.cooled, 0);
}

static void test_frequent_conflicts_take_turns_then_try_again(void **state)
{
    (void)state;
    struct contention c = {0};
    window(&c, CONTENTION_WINDOW - 1, 26);
    assert_true(contention_side_by_side(&c));   /* the window is not over yet */
    contention_count(&c, true, false);
    assert_false(contention_side_by_side(&c));
    assert_int_equal(c.cooled, 1);
    /* Changes taking turns are counted but start no window. */
    for (int i = 0; i < CONTENTION_COOL - 1; i++) {
        contention_count(&c, false, false);
        assert_false(contention_side_by_side(&c));
    }
    contention_count(&c, false, false);
    assert_true(contention_side_by_side(&c));
    assert_int_equal(c.window_changes, 0);
    /* A calm window after: still side by side. */
    window(&c, CONTENTION_WINDOW, 0);
    assert_true(contention_side_by_side(&c));
    assert_int_equal(c.cooled, 1);
    /* A hot one again: turns again, as long as the first time. */
    window(&c, CONTENTION_WINDOW, CONTENTION_WINDOW);
    assert_false(contention_side_by_side(&c));
    assert_int_equal(c.cooled, 2);
    assert_int_equal(turns(&c), CONTENTION_COOL);
    /* Hot straight after: twice as long each time, then no longer. */
    for (int k = 1; k <= CONTENTION_COOL_MAX_DOUBLINGS + 2; k++) {
        window(&c, CONTENTION_WINDOW, CONTENTION_WINDOW);
        int doublings = k < CONTENTION_COOL_MAX_DOUBLINGS ? k : CONTENTION_COOL_MAX_DOUBLINGS;
        assert_int_equal(turns(&c), CONTENTION_COOL << doublings);
    }
    /* A calm window ends the streak. */
    window(&c, CONTENTION_WINDOW, 0);
    window(&c, CONTENTION_WINDOW, CONTENTION_WINDOW);
    assert_int_equal(turns(&c), CONTENTION_COOL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rare_conflicts_stay_side_by_side),
        cmocka_unit_test(test_frequent_conflicts_take_turns_then_try_again),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
