/* UPN check letter and validation.  Vectors are from the examples in the
 * DfE's guide to unique pupil numbers (UPNs) and worked by hand:
 * sum of digit x weight (2..13), mod 23, into ABCDEFGHJKLMNPQRTUVWXYZ. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "core/upn.h"
#include "lib/count.h"

static const char alphabet[] = "ABCDEFGHJKLMNPQRTUVWXYZ";

static void test_reference_vectors(void **state)
{
    (void)state;
    assert_int_equal(upn_check_letter("801200005001"), 'B');
    assert_int_equal(upn_validate("B801200005001"), UPN_OK);
    assert_int_equal(upn_check_letter("207000016049"), 'P');
    assert_int_equal(upn_validate("P207000016049"), UPN_OK);
    assert_int_equal(upn_check_letter("80120000500A"), 'M');
    assert_int_equal(upn_validate("M80120000500A"), UPN_OK_TEMPORARY);
    /* The example in DfE's census help text has the wrong letter. */
    assert_int_equal(upn_validate("Q207000016049"), UPN_BAD_CHECK_LETTER);
}

struct vector {
    const char *body;
    char letter;
};

static void test_hand_computed_table(void **state)
{
    (void)state;
    static const struct vector v[] = {
        {"000000000000", 'A'},  /* sum 0 */
        {"100000000000", 'C'},  /* 1x2 = 2 */
        {"000000000001", 'P'},  /* 1x13 = 13 */
        {"999999999999", 'F'},  /* 9 x (2+..+13) = 810; 810 - 35x23 = 5 */
        {"123456789012", 'A'},  /* 368 = 16x23: the GOV.UK example is valid */
        {"822001100010", 'M'},  /* 16+6+8+7+8+12 = 57; 57 - 46 = 11 */
        {"00000000000Z", 'L'},  /* temporary: Z = 22, x13 = 286; 286 - 276 = 10 */
        {"93812345678T", 'U'},  /* T = 16: 615; 615 - 598 = 17 */
        {"20100000000B", 'Y'},  /* B = 1: 4+4+13 = 21 */
    };
    for (size_t i = 0; i < COUNT(v); i++) {
        char upn[14];
        assert_int_equal(upn_check_letter(v[i].body), v[i].letter);
        upn[0] = v[i].letter;
        memcpy(upn + 1, v[i].body, 13);
        enum upn_status want = (v[i].body[11] >= 'A') ? UPN_OK_TEMPORARY : UPN_OK;
        assert_int_equal(upn_validate(upn), want);
    }
}

/* Every letter but the right one is a wrong check letter; I, O, S and
 * lower case are not letters of the alphabet at all. */
static void test_every_wrong_check_letter(void **state)
{
    (void)state;
    char upn[] = "B801200005001";
    int wrong = 0;
    for (const char *c = alphabet; *c; c++) {
        upn[0] = *c;
        assert_int_equal(upn_validate(upn), *c == 'B' ? UPN_OK : UPN_BAD_CHECK_LETTER);
        wrong += *c != 'B';
    }
    assert_int_equal(wrong, 22);
    const char bad[] = "IOSb0#";
    for (const char *c = bad; *c; c++) {
        upn[0] = *c;
        assert_int_equal(upn_validate(upn), UPN_BAD_CHARACTER);
    }
}

static void test_shape(void **state)
{
    (void)state;
    assert_int_equal(upn_validate(NULL), UPN_EMPTY);
    assert_int_equal(upn_validate(""), UPN_EMPTY);
    assert_int_equal(upn_validate("B80120000500"), UPN_BAD_LENGTH);
    assert_int_equal(upn_validate("B8012000050011"), UPN_BAD_LENGTH);
    assert_int_equal(upn_validate("B801200005 01"), UPN_BAD_CHARACTER);
    assert_int_equal(upn_validate("b801200005001"), UPN_BAD_CHARACTER);
    assert_int_equal(upn_validate("B8012X0005001"), UPN_BAD_CHARACTER);
    assert_int_equal(upn_validate("1801200005001"), UPN_BAD_CHARACTER);
    /* Temporary UPN: last letter must come from the alphabet, upper case. */
    assert_int_equal(upn_validate("M80120000500a"), UPN_BAD_CHARACTER);
    assert_int_equal(upn_validate("M80120000500I"), UPN_BAD_CHARACTER);
    assert_int_equal(upn_validate("M80120000500O"), UPN_BAD_CHARACTER);
    assert_int_equal(upn_validate("M80120000500S"), UPN_BAD_CHARACTER);
    assert_int_equal(upn_validate("A8012000050AA"), UPN_BAD_CHARACTER);
    /* A letter only in the last place: right check letter or not. */
    assert_int_equal(upn_validate("M80120000500B"), UPN_BAD_CHECK_LETTER);
}

static void test_check_letter_rejects_bad_bodies(void **state)
{
    (void)state;
    assert_int_equal(upn_check_letter(NULL), 0);
    assert_int_equal(upn_check_letter(""), 0);
    assert_int_equal(upn_check_letter("80120000500"), 0);     /* 11 chars */
    assert_int_equal(upn_check_letter("8012000050011"), 0);   /* 13 chars */
    assert_int_equal(upn_check_letter("8012000050A1"), 0);    /* letter too early */
    assert_int_equal(upn_check_letter("80120000500I"), 0);
    assert_int_equal(upn_check_letter("80120000500a"), 0);
    assert_int_equal(upn_check_letter("80120000500-"), 0);
}

static void test_normalise(void **state)
{
    (void)state;
    char out[14];
    assert_int_equal(upn_normalise(" b801 2000 05001 ", out, sizeof out), 0);
    assert_string_equal(out, "B801200005001");
    assert_int_equal(upn_validate(out), UPN_OK);
    assert_int_equal(upn_normalise("m80120000500a", out, sizeof out), 0);
    assert_string_equal(out, "M80120000500A");
    assert_int_equal(upn_validate(out), UPN_OK_TEMPORARY);
    assert_int_equal(upn_normalise(NULL, out, sizeof out), 0);
    assert_string_equal(out, "");
    /* Too long: -1, and out is still a terminated string. */
    assert_int_equal(upn_normalise("B8012000050011", out, sizeof out), -1);
    assert_true(strlen(out) < sizeof out);
    assert_int_equal(upn_normalise("B801200005001", out, 13), -1);
    assert_int_equal(upn_normalise("x", out, 0), -1);
    assert_int_equal(upn_normalise("x", NULL, 5), -1);
}

static void test_messages(void **state)
{
    (void)state;
    assert_string_equal(upn_status_message(UPN_EMPTY), "Enter the pupil's UPN");
    assert_string_equal(upn_status_message(UPN_BAD_CHARACTER),
                        "Enter a UPN in the correct format, like A123456789012");
    assert_non_null(strstr(upn_status_message(UPN_BAD_CHECK_LETTER), "check letter"));
    assert_non_null(strstr(upn_status_message(UPN_BAD_LENGTH), "13 characters"));
    assert_non_null(upn_status_message(UPN_OK));
    assert_non_null(upn_status_message(UPN_OK_TEMPORARY));
    assert_non_null(upn_status_message((enum upn_status)99));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_reference_vectors),
        cmocka_unit_test(test_hand_computed_table),
        cmocka_unit_test(test_every_wrong_check_letter),
        cmocka_unit_test(test_shape),
        cmocka_unit_test(test_check_letter_rejects_bad_bodies),
        cmocka_unit_test(test_normalise),
        cmocka_unit_test(test_messages),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
