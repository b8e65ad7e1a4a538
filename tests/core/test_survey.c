/* Fast feedback questionnaires: statements, means, and the withholding of
 * small groups of respondents. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "core/survey.h"

static void test_items(void **state)
{
    (void)state;
    char it[SURVEY_MAX_ITEMS][SURVEY_ITEM_MAX];
    assert_int_equal(survey_items("  TAS helped me act earlier \r\n\n\tI know who to ask\n", it), 2);
    assert_string_equal(it[0], "TAS helped me act earlier");
    assert_string_equal(it[1], "I know who to ask");
    assert_int_equal(survey_items("", it), -1);
    assert_int_equal(survey_items(" \n \n", it), -1);
    assert_int_equal(survey_items(NULL, it), -1);
    assert_int_equal(survey_items("a\nb\nc\nd\ne\nf", it), 6);
    assert_int_equal(survey_items("a\nb\nc\nd\ne\nf\ng", it), -1);
    char longer[SURVEY_ITEM_MAX + 2];
    memset(longer, 'x', sizeof longer - 1);
    longer[sizeof longer - 1] = '\0';
    assert_int_equal(survey_items(longer, it), -1);
}

/* Means by hand: 4,5,4 -> 4.33 -> 43; 1,2 -> 1.5 -> 15 (half up). */
static void test_means(void **state)
{
    (void)state;
    struct survey_results r;
    memset(&r, 0, sizeof r);
    r.nitems = 1;
    survey_add_score(&r, 0, 0, 4);
    survey_add_score(&r, 0, 0, 5);
    survey_add_score(&r, 0, 0, 4);
    survey_add_score(&r, 1, 0, 1);
    survey_add_score(&r, 1, 0, 2);
    survey_add_score(&r, 1, 0, 9);    /* out of range: ignored */
    survey_add_score(&r, 7, 0, 3);    /* no such group */
    assert_int_equal(survey_mean10(&r, 0, 0), 43);
    assert_int_equal(survey_mean10(&r, 1, 0), 15);
    assert_int_equal(r.agree[0][0], 3);
    assert_int_equal(r.agree[1][0], 0);
    assert_int_equal(survey_mean10(&r, 2, 0), -1);
}

static void test_suppression(void **state)
{
    (void)state;
    struct survey_results r;
    memset(&r, 0, sizeof r);
    r.respondents[0] = 7;    /* school */
    r.respondents[1] = 2;    /* LA: below 5 */
    r.respondents[2] = 6;    /* health */
    survey_add_score(&r, 1, 0, 5);
    survey_suppress(&r, 5);
    assert_true(r.withheld[1]);
    /* One withheld group alone could be worked out from the total: the
     * smallest shown group (health, 6) goes with it. */
    assert_true(r.withheld[2]);
    assert_false(r.withheld[0]);
    assert_int_equal(r.respondents[1], 0);
    assert_int_equal(survey_mean10(&r, 1, 0), -1);
    /* Two small groups hide each other; nothing shown needs no partner. */
    memset(&r, 0, sizeof r);
    r.respondents[0] = 3;
    r.respondents[3] = 1;
    r.respondents[2] = 9;
    survey_suppress(&r, 5);
    assert_true(r.withheld[0] && r.withheld[3]);
    assert_false(r.withheld[2]);
    /* Everything shown when all are large enough, or no minimum. */
    memset(&r, 0, sizeof r);
    r.respondents[0] = 1;
    survey_suppress(&r, 1);
    assert_false(r.withheld[0]);
    survey_suppress(&r, 5);
    assert_true(r.withheld[0]);    /* alone and small: withheld, nothing else to pair */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_items),
        cmocka_unit_test(test_means),
        cmocka_unit_test(test_suppression),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
