/* The audit log in words (core/audit_words.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "core/audit_words.h"

static const char *say(const char *action, const char *kind, bool refused)
{
    static char out[128];
    audit_describe(action, kind, refused, out, sizeof out);
    return out;
}

static void sentences(void **state)
{
    (void)state;
    assert_string_equal(say("view", "pupil", false), "Viewed the pupil's record");
    assert_string_equal(say("view", "pupil", true), "Tried to view the pupil's record: refused");
    assert_string_equal(say("edit", "case", false), "Changed a TAS case");
    assert_string_equal(say("list", "pupil", false), "Listed pupils (in a search or list)");
    assert_string_equal(say("export", "pupil", false), "Exported the pupil's record");
    assert_string_equal(say("create", "action", true), "Tried to add an action: refused");
    assert_string_equal(say("withdraw", "consent", false), "Recorded the withdrawal of a consent record");
    assert_string_equal(say("unassign", "apst_referral", false),
                        "Ended a specialist's work on a referral to a specialist taskforce");
    assert_string_equal(say("edit", "apst_consent", false), "Changed the consent of a taskforce referral");
    assert_string_equal(say("void", "placement", false),
                        "Voided (entered by mistake) a placement on a commissioned intervention");
    assert_string_equal(say("create", "outcome", false), "Added an outcome record (attendance, suspensions...)");
    /* Unknown codes are shown, not lost. */
    assert_string_equal(say("frobnicate", "widget", false), "frobnicate widget");
    assert_string_equal(say("view", "widget", true), "Tried to view widget: refused");
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(sentences)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
