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
#include "lib/count.h"

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

/* tests/core/data/matching_schools.csv (phase 1 primary, 2 secondary) */
static const struct mt_school ref[] = {
    {T, 1, {210, 31.4, 14.2, 1.90}},   {T, 1, {420, 22.8, 11.5, 1.43}},  {T, 1, {180, 38.9, 17.8, 2.61}},
    {C, 1, {205, 29.7, 13.1, 1.75}},   {C, 1, {395, 20.1, 12.0, 1.22}},  {C, 1, {640, 12.5, 9.4, 0.98}},
    {C, 1, {190, 41.2, 19.5, 2.88}},   {C, 1, {240, 25.0, 10.8, 1.51}},  {C, 1, {90, 8.0, 6.1, 0.40}},
    {T, 2, {1180, 27.5, 13.9, 2.10}},  {T, 2, {950, 33.0, 15.2, 2.45}},  {C, 2, {1210, 25.9, 12.7, 1.98}},
    {C, 2, {1430, 18.3, 11.1, 1.60}},  {C, 2, {880, 35.6, 16.0, 2.71}},  {C, 2, {1650, 9.7, 8.2, 0.85}},
};
enum { P01, P02, P03, C01, C02, C03, C04, C05, C06, S01, S02, C07, C08, C09, C10 };

struct want_pair { size_t tas, comparison; double distance; };

static void assert_against_r(const struct mt_options *o, const struct want_pair *want, size_t n,
                             const double smd_after[MT_NCOV])
{
    static const double sd[MT_NCOV] = {514.01415890572082, 8.8697143884870009, 3.1530584799172021,
                                       0.64705271981672574};
    static const double smd_before[MT_NCOV] = {-0.20427452859184533, 0.91547479933963349, 0.83411075841164284,
                                               0.78818925317933075};
    struct mt_result r;
    size_t bad;
    assert_int_equal(mt_match(ref, COUNT(ref), o, &r, &bad), MT_OK);
    for (int c = 0; c < MT_NCOV; c++) {
        assert_near(r.balance[c].sd, sd[c], 1e-12);
        assert_near(r.balance[c].smd_before, smd_before[c], 1e-12);
        if (smd_after[c] == 0)
            assert_true(fabs(r.balance[c].smd_after) < 1e-15);
        else
            assert_near(r.balance[c].smd_after, smd_after[c], 1e-12);
    }
    assert_int_equal(r.npairs, n);
    for (size_t i = 0; i < n; i++) {   /* R lists them closest first; tas lists them by TAS school */
        size_t j = 0;
        while (j < n && !(r.pairs[j].tas == want[i].tas && r.pairs[j].comparison == want[i].comparison))
            j++;
        assert_true(j < n);
        assert_near(r.pairs[j].distance, want[i].distance, 1e-12);
    }
    mt_result_free(&r);
}

/* The pairs, distances and SMDs that tests/core/evaluate_reference.R
 * computes in R from the definitions (R 4.2.2). */
static void balance_and_pairs_agree_with_r(void **state)
{
    (void)state;
    static const struct want_pair k1[] = {
        {P01, C01, 0.46073722972784636}, {S01, C07, 0.4638792483751088}, {P02, C02, 0.47487586840257756},
        {S02, C09, 0.57472434814925655}, {P03, C04, 0.72967946559007146},
    };
    struct mt_options o = opts(1, INFINITY, 0);
    assert_against_r(&o, k1, 5,
                     (const double[]){0.02334566041049661, 0.024803504415605714, -0.044401333147388027,
                                      -0.015454691238810082});
    static const struct want_pair k2[] = {
        {P01, C01, 0.46073722972784636}, {S01, C07, 0.4638792483751088}, {P02, C02, 0.47487586840257756},
        {P02, C05, 0.49872241784784221}, {S02, C09, 0.57472434814925655}, {P03, C04, 0.72967946559007146},
        {P01, C05, 1.4318194960326363},  {S02, C07, 1.4327923197976156}, {S01, C09, 1.5833326173889046},
        {P03, C01, 2.250928621897331},
    };
    o = opts(2, INFINITY, 1);
    assert_against_r(&o, k2, 10,
                     (const double[]){0.043773113269681141, 0.15220332255030875, 0.26957952268056951,
                                      0.15145597414034184});
    /* A caliper of 0.5 sd leaves S02 (0.57 from C09) and P03 (0.73 from C04) unmatched. */
    o = opts(1, 0.5, 0);
    assert_against_r(&o, k1, 3, (const double[]){0, 0.22548640377823492, 0.19029142777451979, 0.24727505982096615});
}

/* Each school's weight (mt_weights) as tests/core/evaluate_reference.R's
 * match_weights computes it (and by hand): k = 2 with replacement gives
 * every TAS school two matches, so a comparison school weighs 1/2 for each
 * time it is chosen (C01 by P01 and P03: 1); k = 2 without replacement
 * within 0.5 sd gives P02 two matches (C02, C05: 1/2 each) and P01 one
 * (C01: 1), and leaves P03 and S02 unmatched (0). */
static void weights_agree_with_r(void **state)
{
    (void)state;
    enum { N = COUNT(ref) };
    static const double with_replacement[N] = {1, 1, 1, 1, 0.5, 0, 0.5, 1, 0, 1, 1, 1, 0, 1, 0};
    static const double caliper[N] = {1, 1, 0, 1, 0.5, 0, 0, 0.5, 0, 1, 0, 1, 0, 0, 0};
    struct { struct mt_options o; const double *w; } cases[] = {
        {opts(2, INFINITY, 1), with_replacement}, {opts(2, 0.5, 0), caliper}};
    for (size_t c = 0; c < 2; c++) {
        struct mt_result r;
        size_t bad;
        double w[N];
        assert_int_equal(mt_match(ref, N, &cases[c].o, &r, &bad), MT_OK);
        mt_weights(&r, N, w);
        for (size_t i = 0; i < N; i++)
            if (w[i] != cases[c].w[i])
                fail_msg("case %zu, school %zu: weight %g, want %g", c, i, w[i], cases[c].w[i]);
        mt_result_free(&r);
    }
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
        cmocka_unit_test(balance_and_pairs_agree_with_r),
        cmocka_unit_test(weights_agree_with_r),
        cmocka_unit_test(bad_input_is_refused),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
