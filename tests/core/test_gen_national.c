/* The generated England's outcome records (gen_case_outcomes): every one a
 * record the outcome rules accept, five terms of attendance around the day
 * presented, the same for a seed, and the rates of the kinds as stated. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "core/errors.h"
#include "core/gen_national.h"

static void every_record_is_valid_and_attendance_surrounds_the_day(void **state)
{
    (void)state;
    struct demo_rng r;
    demo_rng_seed(&r, 11);
    int32_t far = day_from_ymd(2030, 1, 1);
    const char *days[] = {"2024-10-03", "2024-12-20", "2025-02-18", "2025-07-18", "2025-08-10"};
    for (int i = 0; i < 2000; i++) {
        const char *on = days[i % 5];
        int32_t day;
        assert_int_equal(day_parse(on, &day), 0);
        struct outcome_record o[GEN_MAX_OUTCOMES];
        size_t n = gen_case_outcomes(&r, on, i % 2, o, GEN_MAX_OUTCOMES);
        int before = 0, after = 0, holding = 0;
        for (size_t k = 0; k < n; k++) {
            struct field_errors errs = {0};
            assert_int_equal(outcome_validate(&o[k], far, &errs), 0);
            if (o[k].kind != OUT_ATTENDANCE)
                continue;
            assert_true(o[k].sessions_possible >= 90 && o[k].sessions_possible <= 160);
            if (o[k].ends < day)
                before++;
            else if (o[k].starts > day)
                after++;
            else
                holding++;
        }
        /* In term: the term itself and two either side; in a holiday
         * (10 August), two before and three after. */
        assert_int_equal(before, 2);
        assert_int_equal(before + after + holding, 5);
        assert_true(holding <= 1);
    }
}

static void the_same_seed_gives_the_same_records(void **state)
{
    (void)state;
    struct demo_rng a, b;
    demo_rng_seed(&a, 7);
    demo_rng_seed(&b, 7);
    for (int i = 0; i < 200; i++) {
        struct outcome_record x[GEN_MAX_OUTCOMES], y[GEN_MAX_OUTCOMES];
        memset(x, 0, sizeof x);
        memset(y, 0, sizeof y);
        size_t nx = gen_case_outcomes(&a, "2025-01-15", true, x, GEN_MAX_OUTCOMES);
        size_t ny = gen_case_outcomes(&b, "2025-01-15", true, y, GEN_MAX_OUTCOMES);
        assert_int_equal(nx, ny);
        assert_memory_equal(x, y, nx * sizeof x[0]);
    }
}

static void the_rates_are_the_stated_ones(void **state)
{
    (void)state;
    struct demo_rng r;
    demo_rng_seed(&r, 3);
    enum { N = 20000 };
    int suspended[2] = {0}, fsm = 0, eal = 0, excluded[2] = {0};
    int64_t possible = 0, missed = 0;
    for (int i = 0; i < N; i++) {
        bool sec = i % 2;
        struct outcome_record o[GEN_MAX_OUTCOMES];
        size_t n = gen_case_outcomes(&r, "2025-01-15", sec, o, GEN_MAX_OUTCOMES);
        bool s = false;
        for (size_t k = 0; k < n; k++) {
            s |= o[k].kind == OUT_SUSPENSION;
            fsm += o[k].kind == OUT_FSM;
            eal += o[k].kind == OUT_EAL;
            excluded[sec] += o[k].kind == OUT_EXCLUSION;
            if (o[k].kind == OUT_ATTENDANCE) {
                possible += o[k].sessions_possible;
                missed += o[k].sessions_missed;
            }
        }
        suspended[sec] += s;
    }
    /* 18% and 6% suspended, 38% FSM, 17% EAL, 0.8% and 0.1% excluded:
     * each within four standard errors of 10,000 or 20,000 draws. */
    assert_in_range(suspended[1], 1800 - 160, 1800 + 160);
    assert_in_range(suspended[0], 600 - 100, 600 + 100);
    assert_in_range(fsm, 7600 - 280, 7600 + 280);
    assert_in_range(eal, 3400 - 220, 3400 + 220);
    assert_in_range(excluded[1], 80 - 36, 80 + 36);
    assert_in_range(excluded[0], 0, 10 + 13);
    /* Sessions missed: above England's 7.1%, as for pupils with emerging needs. */
    assert_in_range(1000 * missed / possible, 80, 140);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(every_record_is_valid_and_attendance_surrounds_the_day),
        cmocka_unit_test(the_same_seed_gives_the_same_records),
        cmocka_unit_test(the_rates_are_the_stated_ones),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
