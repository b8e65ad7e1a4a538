/* Referral results: the status mapping, the conversion rate and the
 * quantiles of days waited (R's type 7). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>

#include "core/refres.h"

static void test_outcomes(void **state)
{
    (void)state;
    assert_int_equal(refres_outcome_of("accepted"), RO_ACCEPTED);
    assert_int_equal(refres_outcome_of("declined"), RO_DECLINED);
    assert_int_equal(refres_outcome_of("redirected"), RO_REDIRECTED);
    assert_int_equal(refres_outcome_of("pending"), RO_PENDING);
    assert_int_equal(refres_outcome_of("Accepted"), -1);
    assert_int_equal(refres_outcome_of(""), -1);
    assert_int_equal(refres_outcome_of(NULL), -1);
    assert_string_equal(refres_outcome_label(RO_REDIRECTED), "Redirected back to TAS");
    assert_string_equal(refres_outcome_key(RO_PENDING), "pending");
    assert_true(refres_decided(RO_ACCEPTED));
    assert_true(refres_decided(RO_DECLINED));
    assert_true(refres_decided(RO_REDIRECTED));
    assert_false(refres_decided(RO_PENDING));
}

static void test_conversion(void **state)
{
    (void)state;
    assert_true(fabs(refres_conversion(2, 3) - 2.0 / 3.0) < 1e-12);
    assert_true(refres_conversion(0, 4) == 0.0);
    assert_true(refres_conversion(4, 4) == 1.0);
    assert_true(refres_conversion(0, 0) < 0);   /* nothing decided: no rate */
    assert_true(refres_conversion(5, 4) < 0);
}

/* Worked examples, checked against R 4.x:
 *   > quantile(c(2, 5, 9, 14, 30), c(0.5, 0.9), type = 7)
 *    50%  90%
 *    9.0 23.6
 *   > quantile(c(1, 2, 3, 4, 10, 40), c(0.5, 0.9), type = 7)
 *    50%  90%
 *    3.5 25.0
 *   > quantile(c(0, 1, 3, 7, 12, 20, 30, 45, 60, 90), c(0.5, 0.9), type = 7)
 *    50% 90%
 *     16  63
 * By hand for the first: n = 5; median h = 4 x 0.5 = 2, x[2] = 9;
 * p90 h = 4 x 0.9 = 3.6, x[3] + 0.6 (x[4] - x[3]) = 14 + 0.6 x 16 = 23.6. */
static void test_quantile7(void **state)
{
    (void)state;
    const int32_t a[] = {2, 5, 9, 14, 30};
    assert_true(fabs(refres_quantile7(a, 5, 0.5) - 9.0) < 1e-9);
    assert_true(fabs(refres_quantile7(a, 5, 0.9) - 23.6) < 1e-9);
    assert_true(fabs(refres_quantile7(a, 5, 0.0) - 2.0) < 1e-9);
    assert_true(fabs(refres_quantile7(a, 5, 1.0) - 30.0) < 1e-9);
    const int32_t b[] = {1, 2, 3, 4, 10, 40};
    assert_true(fabs(refres_quantile7(b, 6, 0.5) - 3.5) < 1e-9);
    assert_true(fabs(refres_quantile7(b, 6, 0.9) - 25.0) < 1e-9);
    const int32_t c[] = {0, 1, 3, 7, 12, 20, 30, 45, 60, 90};
    assert_true(fabs(refres_quantile7(c, 10, 0.5) - 16.0) < 1e-9);
    assert_true(fabs(refres_quantile7(c, 10, 0.9) - 63.0) < 1e-9);
    const int32_t one[] = {7};
    assert_true(refres_quantile7(one, 1, 0.5) == 7.0);
    assert_true(refres_quantile7(one, 1, 0.9) == 7.0);
    assert_true(isnan(refres_quantile7(one, 0, 0.5)));
    assert_true(isnan(refres_quantile7(one, 1, 1.5)));
}

static void test_wait_summary(void **state)
{
    (void)state;
    int32_t d[] = {30, 2, 14, 5, 9};   /* unsorted: the summary sorts */
    struct refres_wait w;
    refres_wait_summary(d, 5, &w);
    assert_int_equal(w.n, 5);
    assert_true(fabs(w.median - 9.0) < 1e-9);
    assert_true(fabs(w.p90 - 23.6) < 1e-9);
    assert_int_equal(d[0], 2);
    assert_int_equal(d[4], 30);
    refres_wait_summary(d, 0, &w);
    assert_int_equal(w.n, 0);
    assert_true(isnan(w.median) && isnan(w.p90));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_outcomes),
        cmocka_unit_test(test_conversion),
        cmocka_unit_test(test_quantile7),
        cmocka_unit_test(test_wait_summary),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
