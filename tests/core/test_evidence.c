/* The outcomes matrix (Annex A of the Bedford report) and the check that a
 * change story released to evaluators does not identify its pupil. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "core/evidence.h"

/* Every cell of the report's table, and every unrecorded combination. */
static void test_matrix_cells(void **state)
{
    (void)state;
    assert_int_equal(outcome_cell_of(1, 1), OC_INAPPROPRIATE_REFERRAL);
    assert_int_equal(outcome_cell_of(1, 0), OC_AS_INTENDED_EARLY);
    assert_int_equal(outcome_cell_of(0, 1), OC_AS_INTENDED_REFERRAL);
    assert_int_equal(outcome_cell_of(0, 0), OC_MISSED_OPPORTUNITY);
    for (int ei = -1; ei <= 2; ei++)
        for (int rf = -1; rf <= 2; rf++)
            if (ei < 0 || ei > 1 || rf < 0 || rf > 1)
                assert_int_equal(outcome_cell_of(ei, rf), OC_UNCLASSIFIED);
}

static void test_matrix_words(void **state)
{
    (void)state;
    assert_string_equal(outcome_cell_label(OC_INAPPROPRIATE_REFERRAL), "Inappropriate referrals");
    assert_string_equal(outcome_cell_label(OC_MISSED_OPPORTUNITY), "Missed opportunities");
    assert_string_equal(outcome_cell_code(OC_AS_INTENDED_EARLY), "as_intended_early_intervention");
    assert_string_equal(outcome_cell_code((enum outcome_cell)99), "unclassified");
    /* Every cell has its own code. */
    for (int a = 0; a < OC__COUNT; a++)
        for (int b = a + 1; b < OC__COUNT; b++)
            assert_string_not_equal(outcome_cell_code((enum outcome_cell)a), outcome_cell_code((enum outcome_cell)b));
}

#define FIND(text) story_find_identifier(text, "Amelia Rose", "Smith-Jones", "A123456789012", "Oak Hill Primary")

static void test_names_found(void **state)
{
    (void)state;
    assert_int_equal(FIND("amelia found it hard to settle"), STORY_ID_FIRST_NAME);
    assert_int_equal(FIND("Her middle name ROSE appears"), STORY_ID_FIRST_NAME);
    assert_int_equal(FIND("Amelia's mother asked for help"), STORY_ID_FIRST_NAME);
    assert_int_equal(FIND("the Smith family"), STORY_ID_LAST_NAME);
    assert_int_equal(FIND("the jones household"), STORY_ID_LAST_NAME);
    assert_int_equal(FIND("record Smith-Jones"), STORY_ID_LAST_NAME);
    assert_int_equal(FIND("UPN a123456789012 was checked"), STORY_ID_UPN);
    assert_int_equal(FIND("UPN A123 4567 89012"), STORY_ID_UPN);
    assert_int_equal(FIND("at oak hill primary, staff"), STORY_ID_SCHOOL);
}

static void test_not_found(void **state)
{
    (void)state;
    /* Parts of other words are not names. */
    assert_int_equal(FIND("Rosemary tea, Smithson's report, Joneses"), STORY_ID_NONE);
    assert_int_equal(FIND("Pupil A found it hard to settle; the family asked for help."), STORY_ID_NONE);
    assert_int_equal(FIND(""), STORY_ID_NONE);
    assert_int_equal(story_find_identifier(NULL, "Amelia", "Smith", "", ""), STORY_ID_NONE);
    /* One-letter names are not looked for (they would refuse every text). */
    assert_int_equal(story_find_identifier("a child", "A", "B", NULL, NULL), STORY_ID_NONE);
    /* A UTF-8 letter is part of a word. */
    assert_int_equal(story_find_identifier("Zoëy was", "Zo", "", "", ""), STORY_ID_NONE);
    assert_int_equal(story_find_identifier("Zoë was", "Zoë", "", "", ""), STORY_ID_FIRST_NAME);
}

static void test_labels_never_the_identifier(void **state)
{
    (void)state;
    assert_string_equal(story_identifier_label(STORY_ID_UPN), "the pupil's UPN");
    assert_string_equal(story_identifier_label(STORY_ID_NONE), "");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_matrix_cells),
        cmocka_unit_test(test_matrix_words),
        cmocka_unit_test(test_names_found),
        cmocka_unit_test(test_not_found),
        cmocka_unit_test(test_labels_never_the_identifier),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
