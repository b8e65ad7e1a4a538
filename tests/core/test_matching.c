/* Matching TAS to comparison schools: a case worked by hand, ties and the
 * seed, the caliper, phase, and the balance table against R
 * (tests/core/evaluate_reference.R on tests/core/data/matching_schools.csv). */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "core/matching.h"

#define T MT_TAS
#define C MT_COMPARISON

static void assert_near(double got, double want, double rel)
{
    if (!(fabs(got - want) <= rel * fabs(want)))
        fail_msg("got %.17g, want %.17g (relative tolerance %g)", got, want, rel);
}

/* Only % FSM varies (the other covariates have sd 0 and leave the
 * distance): TAS A 20, B 22; comparison C 21, D 28, E 40.
 * Variances: TAS 2, comparison ((21-29.67)^2 + (28-29.67)^2 + (40-29.67)^2) / 2
 * = 92.33; pooled sd = sqrt((2 + 92.33) / 2) = 6.868.  In % FSM points,
 * A-C 1, B-C 1 (a tie), B-D 6, A-D 8, B-E 18, A-E 20. */
enum { A, B, SC, D, E };
static const struct mt_school hand[] = {
    {T, 1, {200, 20, 10, 1}}, {T, 1, {200, 22, 10, 1}}, {C, 1, {200, 21, 10, 1}},
    {C, 1, {200, 28, 10, 1}}, {C, 1, {200, 40, 10, 1}},
};
#define SD sqrt((2.0 + 277.0 / 3) / 2)

static struct mt_options opts(size_t k, double caliper, int replace)
{
    return (struct mt_options){.k = k, .caliper = caliper, .replace = replace};
}

static void assert_pair(const struct mt_pair *p, size_t tas, size_t comparison, double fsm_points, size_t rank)
{
    assert_int_equal(p->tas, tas);
    assert_int_equal(p->comparison, comparison);
    assert_near(p->distance, fsm_points / SD, 1e-14);
    assert_int_equal(p->rank, rank);
}

static void hand_worked_without_replacement(void **state)
{
    (void)state;
    struct mt_options o = opts(1, INFINITY, 0);
    struct mt_result r;
    size_t bad;
    assert_int_equal(mt_match(hand, 5, &o, &r, &bad), MT_OK);
    assert_near(r.balance[MT_FSM_PCT].sd, SD, 1e-14);
    assert_true(r.balance[MT_PUPILS].sd == 0);
    /* The tie A-C, B-C goes to A (file order); B takes D. */
    assert_int_equal(r.npairs, 2);
    assert_pair(&r.pairs[0], A, SC, 1, 1);
    assert_pair(&r.pairs[1], B, D, 6, 1);
    assert_int_equal(r.tas, 2);
    assert_int_equal(r.tas_matched, 2);
    assert_int_equal(r.comparison, 3);
    assert_int_equal(r.comparison_used, 2);
    /* Before: 21 against 29.67; after: 21 against (21 + 28) / 2. */
    const struct mt_balance *b = &r.balance[MT_FSM_PCT];
    assert_near(b->mean_before[T], 21, 1e-15);
    assert_near(b->mean_before[C], 89.0 / 3, 1e-15);
    assert_near(b->smd_before, (21 - 89.0 / 3) / SD, 1e-14);
    assert_near(b->mean_after[C], 24.5, 1e-15);
    assert_near(b->smd_after, -3.5 / SD, 1e-14);
    assert_true(isnan(r.balance[MT_SEN_PCT].smd_before));   /* sd 0 */
    mt_result_free(&r);
}

static void hand_worked_with_replacement_and_k(void **state)
{
    (void)state;
    struct mt_options o = opts(1, INFINITY, 1);
    struct mt_result r;
    size_t bad;
    assert_int_equal(mt_match(hand, 5, &o, &r, &bad), MT_OK);
    assert_int_equal(r.npairs, 2);
    assert_pair(&r.pairs[0], A, SC, 1, 1);
    assert_pair(&r.pairs[1], B, SC, 1, 1);
    assert_int_equal(r.comparison_used, 1);
    assert_near(r.balance[MT_FSM_PCT].mean_after[C], 21, 1e-15);
    assert_true(r.balance[MT_FSM_PCT].smd_after == 0);
    mt_result_free(&r);
    /* k = 2 with replacement: both take C and D; C and D weigh 1/2 each twice. */
    o.k = 2;
    assert_int_equal(mt_match(hand, 5, &o, &r, &bad), MT_OK);
    assert_int_equal(r.npairs, 4);
    assert_pair(&r.pairs[0], A, SC, 1, 1);
    assert_pair(&r.pairs[1], A, D, 8, 2);
    assert_pair(&r.pairs[2], B, SC, 1, 1);
    assert_pair(&r.pairs[3], B, D, 6, 2);
    assert_near(r.balance[MT_FSM_PCT].mean_after[C], 24.5, 1e-15);
    mt_result_free(&r);
    /* k = 2 without: C to A (the tie), B-D (6), B-E (18); A-D and A-E find
     * D and E taken, so A has one. */
    o.replace = 0;
    assert_int_equal(mt_match(hand, 5, &o, &r, &bad), MT_OK);
    assert_int_equal(r.npairs, 3);
    assert_pair(&r.pairs[0], A, SC, 1, 1);
    assert_pair(&r.pairs[1], B, D, 6, 1);
    assert_pair(&r.pairs[2], B, E, 18, 2);
    assert_int_equal(r.comparison_used, 3);
    /* comparison mean after: C weighs 1, D and E 1/2: (21 + 28/2 + 40/2) / 2 */
    assert_near(r.balance[MT_FSM_PCT].mean_after[C], 27.5, 1e-15);
    mt_result_free(&r);
}

/* A caliper of half a pooled sd (3.43 % FSM points) keeps A-C and B-C only:
 * D is too far for B, so B is left unmatched. */
static void the_caliper_excludes_a_far_school(void **state)
{
    (void)state;
    struct mt_options o = opts(1, 0.5, 0);
    struct mt_result r;
    size_t bad;
    assert_int_equal(mt_match(hand, 5, &o, &r, &bad), MT_OK);
    assert_int_equal(r.npairs, 1);
    assert_pair(&r.pairs[0], A, SC, 1, 1);
    assert_int_equal(r.tas_matched, 1);
    assert_near(r.balance[MT_FSM_PCT].mean_after[T], 20, 1e-15);
    mt_result_free(&r);
    o.caliper = 1.0 / SD * 0.999;   /* below even the nearest pair */
    assert_int_equal(mt_match(hand, 5, &o, &r, &bad), MT_OK);
    assert_int_equal(r.npairs, 0);
    assert_true(isnan(r.balance[MT_FSM_PCT].smd_after));
    mt_result_free(&r);
}

/* The same seed gives the same matches; seeds order the tie A-C, B-C both ways. */
static void ties_are_ordered_by_the_seed_deterministically(void **state)
{
    (void)state;
    int c_to_a = 0, c_to_b = 0;
    for (uint64_t seed = 1; seed <= 32; seed++) {
        struct mt_options o = opts(1, INFINITY, 0);
        o.seeded = 1;
        o.seed = seed;
        struct mt_result r1, r2;
        size_t bad;
        assert_int_equal(mt_match(hand, 5, &o, &r1, &bad), MT_OK);
        assert_int_equal(mt_match(hand, 5, &o, &r2, &bad), MT_OK);
        assert_int_equal(r1.npairs, 2);
        assert_memory_equal(r1.pairs, r2.pairs, r1.npairs * sizeof *r1.pairs);
        if (r1.pairs[0].comparison == SC)
            c_to_a++;
        else {
            assert_pair(&r1.pairs[0], A, D, 8, 1);
            assert_pair(&r1.pairs[1], B, SC, 1, 1);
            c_to_b++;
        }
        mt_result_free(&r1);
        mt_result_free(&r2);
    }
    assert_true(c_to_a > 0 && c_to_b > 0);
}

/* A comparison school of another phase is never a match, however close. */
static void only_schools_of_the_same_phase_match(void **state)
{
    (void)state;
    struct mt_school s[6];
    memcpy(s, hand, sizeof hand);
    s[5] = (struct mt_school){C, 2, {200, 20, 10, 1}};   /* A's double, a secondary school */
    struct mt_options o = opts(1, INFINITY, 1);
    struct mt_result r;
    size_t bad;
    assert_int_equal(mt_match(s, 6, &o, &r, &bad), MT_OK);
    assert_int_equal(r.npairs, 2);
    assert_int_equal(r.pairs[0].comparison, SC);
    assert_int_equal(r.pairs[1].comparison, SC);
    mt_result_free(&r);
}

static void bad_input_is_refused(void **state)
{
    (void)state;
    struct mt_school s[5];
    memcpy(s, hand, sizeof hand);
    struct mt_options o = opts(0, INFINITY, 0);
    struct mt_result r;
    size_t bad;
    assert_int_equal(mt_match(s, 5, &o, &r, &bad), MT_ERR_OPTIONS);
    o = opts(1, 0, 0);
    assert_int_equal(mt_match(s, 5, &o, &r, &bad), MT_ERR_OPTIONS);
    o = opts(1, INFINITY, 0);
    s[3].x[MT_SEN_PCT] = NAN;
    assert_int_equal(mt_match(s, 5, &o, &r, &bad), MT_ERR_SCHOOL);
    assert_int_equal(bad, 3);
    assert_int_equal(mt_match(s, 2, &o, &r, &bad), MT_ERR_NO_COMPARISON);
    assert_int_equal(mt_match(s + 2, 1, &o, &r, &bad), MT_ERR_NO_TAS);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(hand_worked_without_replacement),
        cmocka_unit_test(hand_worked_with_replacement_and_k),
        cmocka_unit_test(the_caliper_excludes_a_far_school),
        cmocka_unit_test(ties_are_ordered_by_the_seed_deterministically),
        cmocka_unit_test(only_schools_of_the_same_phase_match),
        cmocka_unit_test(bad_input_is_refused),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
