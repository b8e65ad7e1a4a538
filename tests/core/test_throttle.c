#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "core/throttle.h"

static const struct throttle_rules rules = {3, 60, 10, 900, 1};

static void free_failures_have_no_delay(void **state)
{
    (void)state;
    struct throttle_state s = {0, 0, 0, 0};
    int64_t wait;
    for (int i = 0; i < 3; i++) {
        throttle_fail(&rules, &s, 1000);
        assert_int_equal(throttle_check(&s, 1000, &wait), THROTTLE_ALLOW);
        assert_int_equal(wait, 0);
    }
}

static void delays_grow_and_cap(void **state)
{
    (void)state;
    struct throttle_state s = {3, 0, 0, 0};
    int64_t wait;
    int64_t expect[] = {1, 2, 4, 8, 16, 32};
    for (int i = 0; i < 6; i++) {
        throttle_fail(&rules, &s, 1000);
        assert_int_equal(throttle_check(&s, 1000, &wait), THROTTLE_WAIT);
        assert_int_equal(wait, expect[i]);
        assert_int_equal(throttle_check(&s, 1000 + expect[i], &wait), THROTTLE_ALLOW);
    }
    struct throttle_rules low = {0, 5, 100, 900, 1};
    struct throttle_state t = {20, 0, 0, 0};
    throttle_fail(&low, &t, 50);
    assert_int_equal(throttle_check(&t, 50, &wait), THROTTLE_WAIT);
    assert_int_equal(wait, 5);
}

/* A longer first delay doubles the same way and still stops at the cap. */
static void first_delay_scales_the_delays(void **state)
{
    (void)state;
    struct throttle_rules slow = {3, 60, 10, 900, 4};
    struct throttle_state s = {3, 0, 0, 0};
    int64_t wait;
    int64_t expect[] = {4, 8, 16, 32, 60};
    for (int i = 0; i < 5; i++) {
        throttle_fail(&slow, &s, 1000);
        assert_int_equal(throttle_check(&s, 1000, &wait), THROTTLE_WAIT);
        assert_int_equal(wait, expect[i]);
    }
}

static void locks_after_limit_then_recovers(void **state)
{
    (void)state;
    struct throttle_state s = {0, 0, 0, 0};
    int64_t wait;
    int64_t now = 5000;
    for (int i = 0; i < 10; i++) {
        now = s.next_attempt_at > now ? s.next_attempt_at : now;
        assert_int_not_equal(throttle_check(&s, now, &wait), THROTTLE_LOCKED);
        throttle_fail(&rules, &s, now);
    }
    assert_int_equal(throttle_check(&s, now, &wait), THROTTLE_LOCKED);
    assert_int_equal(wait, 900);
    assert_int_equal(throttle_check(&s, now + 899, &wait), THROTTLE_LOCKED);
    assert_int_equal(throttle_check(&s, now + 900, &wait), THROTTLE_ALLOW);
    /* one slip after the lock expires starts a new count */
    throttle_fail(&rules, &s, now + 901);
    assert_int_equal(s.failures, 1);
    assert_int_equal(throttle_check(&s, now + 901, &wait), THROTTLE_ALLOW);
}

static void quiet_spell_forgets_failures(void **state)
{
    (void)state;
    struct throttle_state s = {0, 0, 0, 0};
    int64_t wait;
    for (int i = 0; i < 3; i++)
        throttle_fail(&rules, &s, 1000);
    assert_int_equal(s.failures, 3);
    throttle_fail(&rules, &s, 1000 + 900);   /* within the window: counts on */
    assert_int_equal(s.failures, 4);
    throttle_fail(&rules, &s, 1900 + 901);   /* a quiet spell: starts again */
    assert_int_equal(s.failures, 1);
    assert_int_equal(throttle_check(&s, 2801, &wait), THROTTLE_ALLOW);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(free_failures_have_no_delay),
        cmocka_unit_test(delays_grow_and_cap),
        cmocka_unit_test(first_delay_scales_the_delays),
        cmocka_unit_test(locks_after_limit_then_recovers),
        cmocka_unit_test(quiet_spell_forgets_failures),
    };
    return cmocka_run_group_tests_name("core/throttle", tests, NULL, NULL);
}
