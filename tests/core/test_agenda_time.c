/* A meeting's running order and time slots (issue 10, item 6) and the
 * check that a cohort discussion describes a group, not a child (issue 13,
 * item 5). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "core/agenda_time.h"

static struct agenda_item item(enum agenda_kind k, int64_t id, int position, int minutes, int rank)
{
    struct agenda_item it = {k, id, position, minutes, rank, 0, 0};
    return it;
}

/* Unplaced items keep the rule's order; placed ones come first by position. */
static void test_running_order(void **state)
{
    (void)state;
    struct agenda_item it[4] = {
        item(AGENDA_NEW, 1, 0, 0, 2), item(AGENDA_REVIEW, 2, 0, 0, 0),
        item(AGENDA_COHORT, 3, 0, 0, 3), item(AGENDA_REVIEW, 4, 0, 0, 1),
    };
    agenda_running_order(it, 4);
    assert_int_equal(it[0].id, 2);
    assert_int_equal(it[1].id, 4);
    assert_int_equal(it[2].id, 1);
    assert_int_equal(it[3].id, 3);
    /* The cohort placed second by hand, an item added later (position 0) last. */
    struct agenda_item p[4] = {
        item(AGENDA_NEW, 1, 3, 0, 2), item(AGENDA_REVIEW, 2, 1, 0, 0),
        item(AGENDA_COHORT, 3, 2, 0, 3), item(AGENDA_REVIEW, 4, 0, 0, 1),
    };
    agenda_running_order(p, 4);
    assert_int_equal(p[0].id, 2);
    assert_int_equal(p[1].id, 3);
    assert_int_equal(p[2].id, 1);
    assert_int_equal(p[3].id, 4);
}

static void test_move(void **state)
{
    (void)state;
    struct agenda_item it[3] = {
        item(AGENDA_REVIEW, 1, 0, 0, 0), item(AGENDA_NEW, 2, 0, 0, 1), item(AGENDA_COHORT, 3, 0, 0, 2),
    };
    assert_true(agenda_move(it, 3, 2, -1));
    assert_int_equal(it[1].id, 3);
    assert_int_equal(it[2].id, 2);
    for (int i = 0; i < 3; i++)
        assert_int_equal(it[i].position, i + 1);
    /* The first cannot go up, the last cannot go down: numbered, not moved. */
    assert_false(agenda_move(it, 3, 0, -1));
    assert_false(agenda_move(it, 3, 2, 1));
    assert_int_equal(it[0].id, 1);
    assert_int_equal(it[2].id, 2);
    assert_true(agenda_move(it, 3, 0, 1));
    assert_int_equal(it[0].id, 3);
    assert_int_equal(it[1].id, 1);
    /* Sorting again by the stored positions keeps the order made. */
    agenda_running_order(it, 3);
    assert_int_equal(it[0].id, 3);
    assert_int_equal(it[1].id, 1);
    assert_int_equal(it[2].id, 2);
}

static void test_schedule(void **state)
{
    (void)state;
    struct agenda_item it[3] = {
        item(AGENDA_REVIEW, 1, 0, 0, 0), item(AGENDA_NEW, 2, 0, 20, 1), item(AGENDA_COHORT, 3, 0, 0, 2),
    };
    assert_int_equal(agenda_schedule(it, 3, "13:30"), 0);
    char a[6], b[6];
    agenda_clock(it[0].start_min, a);
    agenda_clock(it[0].end_min, b);
    assert_string_equal(a, "13:30");
    assert_string_equal(b, "13:40");   /* a review: 10 minutes */
    agenda_clock(it[1].end_min, b);
    assert_string_equal(b, "14:00");   /* set to 20 */
    agenda_clock(it[2].start_min, a);
    agenda_clock(it[2].end_min, b);
    assert_string_equal(a, "14:00");
    assert_string_equal(b, "14:15");   /* a cohort: 15 */
    assert_int_equal(agenda_schedule(it, 3, "25:00"), -1);
    assert_int_equal(agenda_schedule(it, 3, "1:30"), -1);
    assert_int_equal(agenda_schedule(it, 3, NULL), -1);
    agenda_clock(24 * 60 + 10, a);
    assert_string_equal(a, "00:10");
}

static void test_cohort_text(void **state)
{
    (void)state;
    assert_int_equal(cohort_text_check("Year 6 transition to secondary"), COHORT_TEXT_OK);
    assert_int_equal(cohort_text_check("Reception starters with speech needs"), COHORT_TEXT_OK);
    assert_int_equal(cohort_text_check("KS2 girls' attendance"), COHORT_TEXT_OK);
    assert_int_equal(cohort_text_check(""), COHORT_TEXT_EMPTY);
    assert_int_equal(cohort_text_check("Worried about her at lunch"), COHORT_TEXT_NOT_COHORT);
    assert_int_equal(cohort_text_check("Year 6 pupil A123456789012"), COHORT_TEXT_UPN);
    assert_int_equal(cohort_text_check("Year 6 pupil born 4/12/2015"), COHORT_TEXT_DATE);
    assert_int_equal(cohort_text_check("Year 6 pupil born 2015-12-04"), COHORT_TEXT_DATE);
    /* A year and a ratio are not dates. */
    assert_int_equal(cohort_text_check("Year 6 2026/27 intake, 1-2 sessions"), COHORT_TEXT_OK);
    /* "yearly" is not "year". */
    assert_int_equal(cohort_text_check("yearly review"), COHORT_TEXT_NOT_COHORT);
    char longer[COHORT_TEXT_MAX + 10];
    memset(longer, 'a', sizeof longer - 1);
    longer[sizeof longer - 1] = '\0';
    assert_int_equal(cohort_text_check(longer), COHORT_TEXT_LONG);
    assert_string_not_equal(cohort_text_message(COHORT_TEXT_UPN), "");
    /* Minutes may give dates, never a UPN, wherever it is in the text. */
    assert_false(cohort_text_has_upn("Visits on 12/05/2027 and 19/05/2027 for the year group"));
    assert_true(cohort_text_has_upn("Visit on 12/05/2027; see a123456789012"));
    assert_false(cohort_text_has_upn("Ref A1234567890123 is too long to be one"));
}

static void test_names(void **state)
{
    (void)state;
    assert_true(cohort_names_pupil("Year 6: Amelia Smith-Jones is worried", "Amelia Rose", "Smith-Jones"));
    assert_true(cohort_names_pupil("Year 6 incl. amelia jones", "Amelia", "Smith-Jones"));
    assert_true(cohort_names_pupil("Year 6 and Amelia S.", "Amelia", "Smith"));
    /* A forename alone, or a surname alone, is not taken for a child named
     * ("Grace class", "Brown group"). */
    assert_false(cohort_names_pupil("Year 6 Grace class", "Grace", "Okafor"));
    assert_false(cohort_names_pupil("Brown group, Year 3", "Tom", "Brown"));
    assert_false(cohort_names_pupil("Year 6 Samples", "Sam", "Taylor"));
    assert_false(cohort_names_pupil("Year 6 Sam Taylors", "Sam", "Taylor"));
    /* A digit ends a name, as on a change story (core/text_words.c). */
    assert_true(cohort_names_pupil("Year 6: Sam2 Taylor", "Sam", "Taylor"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_running_order), cmocka_unit_test(test_move), cmocka_unit_test(test_schedule),
        cmocka_unit_test(test_cohort_text), cmocka_unit_test(test_names),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
