/* Alternative Provision Specialist Taskforces: the rules of the DfE
 * implementation advice (core/apst.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "core/apst.h"
#include "lib/count.h"
#include "core/calendar.h"

static void test_fte_parse(void **state)
{
    (void)state;
    int h = -1;
    assert_int_equal(apst_fte_parse("0.6", 100, &h), 0);
    assert_int_equal(h, 60);
    assert_int_equal(apst_fte_parse("1", 100, &h), 0);
    assert_int_equal(h, 100);
    assert_int_equal(apst_fte_parse(".75", 100, &h), 0);
    assert_int_equal(h, 75);
    assert_int_equal(apst_fte_parse(" 1.0 ", 100, &h), 0);
    assert_int_equal(h, 100);
    assert_int_equal(apst_fte_parse("0.05", 100, &h), 0);
    assert_int_equal(h, 5);
    assert_int_equal(apst_fte_parse("12", 1200, &h), 0);
    assert_int_equal(h, 1200);
    /* Refused: empty, a lone point, three decimals, signs, words, zero, too big. */
    const char *bad[] = {"", ".", "0.125", "-0.5", "+1", "half", "0", "0.00", "1.01", "1e0", "1,5", NULL};
    for (size_t i = 0; bad[i]; i++)
        assert_int_equal(apst_fte_parse(bad[i], 100, &h), -1);
    assert_int_equal(apst_fte_parse(NULL, 100, &h), -1);
}

static void test_fte_and_hours_text(void **state)
{
    (void)state;
    char b[16];
    apst_fte_text(60, b, sizeof b);
    assert_string_equal(b, "0.6");
    apst_fte_text(75, b, sizeof b);
    assert_string_equal(b, "0.75");
    apst_fte_text(100, b, sizeof b);
    assert_string_equal(b, "1");
    apst_fte_text(9900, b, sizeof b);   /* the pilot's 99 FTE */
    assert_string_equal(b, "99");
    apst_fte_text(205, b, sizeof b);
    assert_string_equal(b, "2.05");
    apst_hours_text(90, b, sizeof b);
    assert_string_equal(b, "1.5");
    apst_hours_text(20, b, sizeof b);   /* 0.333 h */
    assert_string_equal(b, "0.3");
    apst_hours_text(3, b, sizeof b);    /* 0.05 h: half up */
    assert_string_equal(b, "0.1");
    apst_hours_text(2, b, sizeof b);
    assert_string_equal(b, "0");
    apst_hours_text(0, b, sizeof b);
    assert_string_equal(b, "0");
    apst_hours_text(60 * 15102, b, sizeof b);
    assert_string_equal(b, "15102");
}

/* The model's minimum: four of the six recommended types, in post on the
 * day; "other" staff and a second post of one type do not count. */
static void test_types_in_post(void **state)
{
    (void)state;
    int32_t d = day_from_ymd(2026, 11, 18);
    struct apst_post posts[] = {
        {"mental_health", d - 100, 0},
        {"salt", d - 100, 0},
        {"salt", d - 10, 0},
        {"other", d - 100, 0},
        {"ed_psych", d - 100, d - 1},       /* left yesterday */
        {"youth_justice", d + 1, 0},        /* starts tomorrow */
        {"post16", d - 50, d},              /* last day today */
    };
    bool seen[8];
    size_t n = apst_types_in_post(posts, 7, d, seen);
    assert_int_equal(n, 3);
    assert_true(apst_below_minimum(n));
    assert_true(seen[0]);    /* mental_health */
    assert_false(seen[2]);   /* ed_psych */
    assert_true(seen[6]);    /* other: seen, not counted */
    /* The next day the post-16 coach has gone, the youth offending worker has come. */
    assert_int_equal(apst_types_in_post(posts, 7, d + 1, NULL), 3);
    struct apst_post more[] = {{"mental_health", d, 0}, {"salt", d, 0}, {"youth_family", d, 0}, {"post16", d, 0}};
    assert_int_equal(apst_types_in_post(more, 4, d, NULL), 4);
    assert_false(apst_below_minimum(4));
    assert_int_equal(apst_types_in_post(more, 4, d - 1, NULL), 0);
    assert_int_equal(apst_types_in_post(NULL, 0, d, NULL), 0);
    assert_int_equal(codes_apst_specialist.count, 7);
}

static void test_rules(void **state)
{
    (void)state;
    int32_t d = day_from_ymd(2027, 3, 10);
    assert_true(apst_review_overdue(d - 1, d));
    assert_false(apst_review_overdue(d, d));
    assert_false(apst_review_overdue(d + 30, d));
    assert_true(apst_route_formal("formal"));
    assert_false(apst_route_formal("conversation"));
    assert_false(apst_route_formal("spotted"));
    assert_false(apst_route_formal(NULL));
    assert_true(apst_outreach(5, 9));
    assert_false(apst_outreach(9, 9));
    assert_false(apst_outreach(0, 9));
    assert_int_equal(apst_pct(20, 1420), 1);      /* the advice's "20 (1%, rounded)" */
    assert_int_equal(apst_pct(1387, 1420), 98);   /* 1420 - 20 - 13 engaged: "98%" */
    assert_int_equal(apst_pct(1, 2), 50);
    assert_int_equal(apst_pct(1, 8), 13);         /* 12.5: half up */
    assert_int_equal(apst_pct(3, 0), -1);
    assert_int_equal(apst_pct(APST_PILOT_SUPPORTED_HT1 - APST_PILOT_ENDED_EARLY_HT1 - APST_PILOT_REFUSED_HT1,
                              APST_PILOT_SUPPORTED_HT1), APST_PILOT_ENGAGED_PCT);
}

static void test_triage(void **state)
{
    (void)state;
    struct field_errors e = {0};
    assert_int_equal(apst_triage_check("accepted", "targeted", 3, 1, &e), 0);
    assert_int_equal(apst_triage_check("declined", "", 0, 0, &e), 0);
    assert_int_equal(apst_triage_check("waiting_list", "specialist", 0, -1, &e), 0);
    assert_int_equal(e.count, 0);
    assert_int_equal(apst_triage_check("accepted", "", 0, -1, &e), 2);
    assert_non_null(field_errors_get(&e, "tier"));
    assert_non_null(field_errors_get(&e, "lead_specialist_id"));
    e = (struct field_errors){0};
    assert_int_equal(apst_triage_check("pending", "", 0, -1, &e), 1);
    assert_non_null(field_errors_get(&e, "triage"));
    e = (struct field_errors){0};
    assert_int_equal(apst_triage_check("waiting_list", "", 0, -1, &e), 1);
    e = (struct field_errors){0};
    assert_int_equal(apst_triage_check("bogus", "huge", 0, 2, &e), 3);
    e = (struct field_errors){0};
    assert_int_equal(apst_triage_check(NULL, NULL, 0, -1, &e), 1);
}

static void test_code_lists(void **state)
{
    (void)state;
    const struct code_list *lists[] = {&codes_apst_specialist, &codes_apst_funding, &codes_apst_supervision,
                                       &codes_apst_agreement, &codes_apst_route, &codes_apst_triage,
                                       &codes_apst_tier, &codes_apst_activity, &codes_apst_engagement,
                                       &codes_apst_item, &codes_apst_event, &codes_apst_decider};
    for (size_t i = 0; i < COUNT(lists); i++)
        for (size_t a = 0; a < lists[i]->count; a++) {
            assert_non_null(code_find(lists[i], lists[i]->entries[a].code));
            for (size_t b = a + 1; b < lists[i]->count; b++)
                assert_string_not_equal(lists[i]->entries[a].code, lists[i]->entries[b].code);
        }
    assert_int_equal(codes_apst_activity.count, 7);
    assert_int_equal(codes_apst_funding.count, 3);
    assert_string_equal(code_label(&codes_apst_tier, "universal"), "Universal (screening, group sessions, staff training)");
}

/* The advice's own sums: 4 FTE specialists £184,000; a year's essentials
 * for a medium taskforce £36,000 + £11,000 + £184,000. */
static void test_costs(void **state)
{
    (void)state;
    struct apst_cost_plan c;
    apst_cost_plan(400, 0, &c);
    assert_int_equal(c.specialists, 18400000);
    assert_int_equal(c.setup_total, 1070000);
    assert_int_equal(c.year_total, 3600000 + 1100000 + 18400000);
    apst_cost_plan(60, 10, &c);          /* 0.6 FTE, ten pupils on holiday provision */
    assert_int_equal(c.specialists, 2760000);
    assert_int_equal(c.holiday, 350000);
    apst_cost_plan(-5, -1, &c);
    assert_int_equal(c.specialists, 0);
    assert_int_equal(c.holiday, 0);
    char b[32];
    apst_money_text(18400000, b, sizeof b);
    assert_string_equal(b, "\xc2\xa3" "184,000");
    apst_money_text(35000, b, sizeof b);
    assert_string_equal(b, "\xc2\xa3" "350");
    apst_money_text(49, b, sizeof b);
    assert_string_equal(b, "\xc2\xa3" "0");
    apst_money_text(50, b, sizeof b);
    assert_string_equal(b, "\xc2\xa3" "1");
    apst_money_text(100000000000, b, sizeof b);
    assert_string_equal(b, "\xc2\xa3" "1,000,000,000");
    apst_money_text(-470000, b, sizeof b);
    assert_string_equal(b, "-\xc2\xa3" "4,700");
}

/* Consent to a taskforce referral: the types it covers; safeguarding
 * covers all, withdrawal and "not recorded" none. */
static void test_consent(void **state)
{
    (void)state;
    static const char *const two[] = {"mental_health", "salt"};
    int64_t bits = apst_consent_bits(two, 2);
    assert_true(bits > 0);
    assert_true(apst_consent_covers("family", bits, "salt"));
    assert_true(apst_consent_covers("young_person", bits, "mental_health"));
    assert_false(apst_consent_covers("family", bits, "youth_family"));
    assert_false(apst_consent_covers("withdrawn", bits, "salt"));
    assert_false(apst_consent_covers("", bits, "salt"));
    assert_true(apst_consent_covers("safeguarding", 0, "post16"));
    assert_false(apst_consent_covers("safeguarding", 0, "astrologer"));
    static const char *const bad[] = {"salt", "astrologer"};
    assert_int_equal(apst_consent_bits(bad, 2), -1);
    struct field_errors e = {0};
    assert_int_equal(apst_consent_check("family", "", true, 0, "", &e), 2);   /* who, which types */
    assert_string_equal(e.items[0].field, "consent_by");
    assert_string_equal(e.items[1].field, "consent_kinds");
    memset(&e, 0, sizeof e);
    assert_int_equal(apst_consent_check("safeguarding", "", false, 0, "", &e), 2);   /* date, concern */
    memset(&e, 0, sizeof e);
    assert_int_equal(apst_consent_check("withdrawn", "", true, 0, "", &e), 0);
    assert_int_equal(apst_consent_check("young_person", "The pupil", true, bits, "", &e), 0);
    assert_int_equal(apst_consent_check("maybe", "x", true, bits, "", &e), 1);
    assert_string_equal(e.items[0].field, "consent_basis");
}

/* Planned against actual for a period. */
static void test_cost_compare(void **state)
{
    (void)state;
    struct apst_cost_inputs in;
    memset(&in, 0, sizeof in);
    in.from = 1000;
    in.to = 1364;                       /* 365 days: a whole year */
    in.started = 1000;                  /* started in it: set-up planned */
    in.fte_last_day = 400;              /* 4 FTE on the last day */
    in.fte_days = 400 * 365 - 100 * 180;   /* one post vacant for 180 days */
    in.holiday_pupils = 10;
    struct apst_cost_compare c;
    apst_cost_compare(&in, &c);
    assert_int_equal(c.days, 365);
    assert_int_equal(c.line[0].planned, APST_COST_OFFICE);
    assert_int_equal(c.line[1].planned, APST_COST_EQUIPMENT);
    assert_int_equal(c.line[2].planned, APST_COST_MANAGER);
    assert_int_equal(c.line[3].planned, APST_COST_SLT);
    assert_int_equal(c.line[4].planned, 18400000);                 /* the advice's £184,000 */
    assert_int_equal(c.line[4].source, APST_COST_DERIVED);
    assert_int_equal(c.line[4].actual, (4600000LL * (400 * 365 - 18000) + 18250) / 36500);
    assert_true(c.line[4].variance < 0);                             /* the vacancy saved money */
    assert_int_equal(c.line[5].planned, 350000);
    assert_int_equal(c.line[5].actual, 350000);
    assert_int_equal(c.line[2].source, APST_COST_NONE);             /* not entered: not known */
    assert_int_equal(c.total.planned, 470000 + 600000 + 3600000 + 1100000 + 18400000 + 350000);
    assert_int_equal(c.total.actual, c.line[4].actual + 350000);
    assert_false(c.total.planned_withheld);
    /* Entered amounts win over derived ones; a short period scales the year. */
    in.from = 1100;
    in.to = 1160;                       /* 61 days; started before it */
    in.have_entered[2] = true;
    in.entered[2] = 2100000;
    in.have_entered[4] = true;
    in.entered[4] = 123;
    in.holiday_pupils = 2;
    in.holiday_withheld = true;
    apst_cost_compare(&in, &c);
    assert_int_equal(c.line[0].planned, 0);
    assert_int_equal(c.line[2].planned, 601644);                     /* £36,000 x 61 / 365 */
    assert_int_equal(c.line[2].variance, 2100000 - 601644);
    assert_int_equal(c.line[4].actual, 123);
    assert_int_equal(c.line[4].source, APST_COST_ENTERED);
    assert_true(c.line[5].planned_withheld && c.line[5].actual_withheld);
    assert_true(c.total.planned_withheld);
}

static void test_money_parse(void **state)
{
    (void)state;
    int64_t p = -1;
    assert_int_equal(apst_money_parse("1200", &p), 0);
    assert_int_equal(p, 120000);
    assert_int_equal(apst_money_parse("\xc2\xa3" "1,200.5", &p), 0);
    assert_int_equal(p, 120050);
    assert_int_equal(apst_money_parse(" 0.07 ", &p), 0);
    assert_int_equal(p, 7);
    assert_int_equal(apst_money_parse("10000000", &p), 0);
    assert_int_equal(p, 1000000000);
    const char *bad[] = {"", "-5", "1.234", "lots", "10000000.01", "1..2", ",5", NULL};
    for (int i = 0; i < 7; i++)
        assert_int_equal(apst_money_parse(bad[i], &p), -1);
    assert_int_equal(apst_money_parse(NULL, &p), -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fte_parse),
        cmocka_unit_test(test_fte_and_hours_text),
        cmocka_unit_test(test_types_in_post),
        cmocka_unit_test(test_rules),
        cmocka_unit_test(test_triage),
        cmocka_unit_test(test_code_lists),
        cmocka_unit_test(test_costs),
        cmocka_unit_test(test_consent),
        cmocka_unit_test(test_cost_compare),
        cmocka_unit_test(test_money_parse),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
