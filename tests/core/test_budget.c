/* The pooled budget's rules (core/budget.c): pence formatting and
 * parsing, no overspend without approval, approval limits, payments,
 * allocations within the pool, budget years. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "core/budget.h"
#include "lib/count.h"
#include "core/outcomes.h"

static void formats_pence(void **state)
{
    (void)state;
    static const struct {
        int64_t pence;
        const char *want, *plain;
    } t[] = {
        {0, "\xc2\xa3" "0.00", "0.00"},
        {5, "\xc2\xa3" "0.05", "0.05"},
        {99, "\xc2\xa3" "0.99", "0.99"},
        {100, "\xc2\xa3" "1.00", "1.00"},
        {123456, "\xc2\xa3" "1,234.56", "1234.56"},
        {99999, "\xc2\xa3" "999.99", "999.99"},
        {100000, "\xc2\xa3" "1,000.00", "1000.00"},
        {12345678901, "\xc2\xa3" "123,456,789.01", "123456789.01"},
        {-123456, "-\xc2\xa3" "1,234.56", "-1234.56"},
        {-5, "-\xc2\xa3" "0.05", "-0.05"},
        {INT64_MAX, "\xc2\xa3" "92,233,720,368,547,758.07", "92233720368547758.07"},
        {INT64_MIN, "-\xc2\xa3" "92,233,720,368,547,758.08", "-92233720368547758.08"},
    };
    char out[40];
    for (size_t i = 0; i < COUNT(t); i++) {
        assert_int_equal(budget_format_pence(t[i].pence, out, sizeof out), (int)strlen(t[i].want));
        assert_string_equal(out, t[i].want);
        assert_int_equal(budget_plain_pence(t[i].pence, out, sizeof out), (int)strlen(t[i].plain));
        assert_string_equal(out, t[i].plain);
    }
    /* Too small a buffer: nothing half-written. */
    assert_int_equal(budget_format_pence(123456, out, 10), -1);   /* the pound sign is two bytes */
    assert_string_equal(out, "");
    assert_int_equal(budget_format_pence(123456, out, 11), 10);
    assert_int_equal(budget_format_pence(1, NULL, 10), -1);
}

static void parses_pounds(void **state)
{
    (void)state;
    static const struct {
        const char *in;
        int64_t want;
    } ok[] = {
        {"0", 0}, {"1", 100}, {"1234", 123400}, {"1,234", 123400}, {"1,234.5", 123450},
        {"1,234.56", 123456}, {"\xc2\xa3" "1,234.56", 123456}, {" 12.00 ", 1200}, {"0.05", 5},
        {"12,345,678.90", 1234567890}, {"100000000", BUDGET_MAX_PENCE}, {"100,000,000.00", BUDGET_MAX_PENCE},
        {"007", 700},
    };
    for (size_t i = 0; i < COUNT(ok); i++) {
        int64_t v = -1;
        if (budget_parse_pounds(ok[i].in, &v) != 0)
            fail_msg("refused \"%s\"", ok[i].in);
        assert_int_equal(v, ok[i].want);
    }
    static const char *const bad[] = {
        "", " ", "-1", "+1", "1.234", "1.", ".5", "1,23", "12,34.00", "1234,567", ",123", "1,,234", "1 234",
        "abc", "1e3", "100000000.01", "100,000,000.01", "999999999999999999999", "12.3.4", "\xc2\xa3", "\xc2\xa3-5",
        "1,2345", "0x10", "12p",
    };
    for (size_t i = 0; i < COUNT(bad); i++) {
        int64_t v = 42;
        if (budget_parse_pounds(bad[i], &v) == 0)
            fail_msg("accepted \"%s\" as %lld", bad[i], (long long)v);
        assert_int_equal(v, 42);
    }
    int64_t v;
    assert_int_equal(budget_parse_pounds(NULL, &v), -1);
    assert_int_equal(budget_parse_pounds("1", NULL), -1);
    /* What is formatted plainly reads back the same. */
    for (int64_t p = 0; p < 300000; p += 997) {
        char s[40];
        budget_plain_pence(p, s, sizeof s);
        assert_int_equal(budget_parse_pounds(s, &v), 0);
        assert_int_equal(v, p);
        budget_format_pence(p, s, sizeof s);
        assert_int_equal(budget_parse_pounds(s, &v), 0);
        assert_int_equal(v, p);
    }
}

/* No overspend: a commitment beyond what the allocation has left, or
 * above the requester's limit, needs an approval; exactly up to either
 * does not. */
static void commit_needs(void **state)
{
    (void)state;
    struct budget_position p = {.allocated = 1000000, .committed = 300000, .paid = 200000};
    assert_int_equal(budget_remaining(&p), 500000);
    const int64_t lim = BUDGET_DEFAULT_COMMIT_LIMIT;   /* 250000 */
    assert_int_equal(budget_commit_needs(&p, 1, lim), BUDGET_NEED_NONE);
    assert_int_equal(budget_commit_needs(&p, lim, lim), BUDGET_NEED_NONE);
    assert_int_equal(budget_commit_needs(&p, lim + 1, lim), BUDGET_NEED_OVER_LIMIT);
    assert_int_equal(budget_commit_needs(&p, 500000, 1000000), BUDGET_NEED_NONE);
    assert_int_equal(budget_commit_needs(&p, 500001, 1000000), BUDGET_NEED_OVER_ALLOCATION);
    assert_int_equal(budget_commit_needs(&p, 500001, lim), BUDGET_NEED_OVER_ALLOCATION | BUDGET_NEED_OVER_LIMIT);
    /* No limit: every commitment needs an approval. */
    assert_int_equal(budget_commit_needs(&p, 1, 0), BUDGET_NEED_OVER_LIMIT);
    /* An allocation already taken over (by an approved commitment). */
    struct budget_position over = {.allocated = 1000, .committed = 1500, .paid = 0};
    assert_int_equal(budget_remaining(&over), -500);
    assert_int_equal(budget_commit_needs(&over, 1, lim), BUDGET_NEED_OVER_ALLOCATION);
    struct budget_position empty = {0};
    assert_int_equal(budget_commit_needs(&empty, 1, lim), BUDGET_NEED_OVER_ALLOCATION);
    /* Nonsense is refused, not approved. */
    assert_int_equal(budget_commit_needs(&p, 0, lim), -1);
    assert_int_equal(budget_commit_needs(&p, -1, lim), -1);
    assert_int_equal(budget_commit_needs(&p, BUDGET_MAX_PENCE + 1, INT64_MAX), -1);
    assert_int_equal(budget_commit_needs(&p, 1, -1), -1);
    assert_int_equal(budget_commit_needs(NULL, 1, lim), -1);
    struct budget_position neg = {.allocated = -1};
    assert_int_equal(budget_commit_needs(&neg, 1, lim), -1);
    /* Exhaustively on a small grid: approval-free commitments never take
     * the allocation below zero, nor exceed the limit. */
    for (int64_t a = 0; a <= 40; a += 4)
        for (int64_t c = 0; c <= 40; c += 5)
            for (int64_t amount = 1; amount <= 50; amount++) {
                struct budget_position q = {.allocated = a, .committed = c, .paid = 3};
                int need = budget_commit_needs(&q, amount, 20);
                assert_int_equal(need == BUDGET_NEED_NONE, a - c - 3 - amount >= 0 && amount <= 20);
            }
}

static void approval_limits(void **state)
{
    (void)state;
    const int64_t lim = BUDGET_DEFAULT_APPROVE_LIMIT;
    assert_int_equal(budget_approve_check(lim, lim, 7, 8), BUDGET_APPROVE_OK);
    assert_int_equal(budget_approve_check(lim + 1, lim, 7, 8), BUDGET_APPROVE_OVER_LIMIT);
    assert_int_equal(budget_approve_check(1, lim, 8, 8), BUDGET_APPROVE_OWN);
    assert_int_equal(budget_approve_check(1, 0, 7, 8), BUDGET_APPROVE_NO_LIMIT);
    assert_int_equal(budget_approve_check(0, lim, 7, 8), BUDGET_APPROVE_INVALID);
    assert_int_equal(budget_approve_check(1, -1, 7, 8), BUDGET_APPROVE_INVALID);
    assert_int_equal(budget_approve_check(1, lim, 7, 0), BUDGET_APPROVE_INVALID);
    for (int a = BUDGET_APPROVE_OK; a <= BUDGET_APPROVE_INVALID; a++)
        assert_non_null(budget_approval_text((enum budget_approval)a));
    assert_string_equal(budget_approval_text(BUDGET_APPROVE_OVER_LIMIT), "The amount is above your approval limit");
}

static void payments(void **state)
{
    (void)state;
    assert_int_equal(budget_pay_check(1000, 0, 1000), 0);
    assert_int_equal(budget_pay_check(1000, 0, 1001), -1);
    assert_int_equal(budget_pay_check(1000, 400, 600), 0);
    assert_int_equal(budget_pay_check(1000, 400, 601), -1);
    assert_int_equal(budget_pay_check(1000, 1000, 1), -1);
    assert_int_equal(budget_pay_check(1000, 0, 0), -1);
    assert_int_equal(budget_pay_check(1000, 0, -5), -1);
    assert_int_equal(budget_pay_check(0, 0, 1), -1);
    assert_int_equal(budget_pay_check(1000, 1001, 1), -1);
}

static void allocations(void **state)
{
    (void)state;
    assert_int_equal(budget_allocate_check(1000, 600, 400), 0);
    assert_int_equal(budget_allocate_check(1000, 600, 401), -1);
    assert_int_equal(budget_allocate_check(1000, 0, 0), 0);
    assert_int_equal(budget_allocate_check(0, 0, 1), -1);
    assert_int_equal(budget_allocate_check(1000, 0, -1), -1);
    assert_int_equal(budget_allocate_check(-1, 0, 0), -1);
}

static void years_and_partners(void **state)
{
    (void)state;
    char label[8], first[11], last[11];
    assert_int_equal(budget_year_bounds(2026, label, first, last), 0);
    assert_string_equal(label, "2026-27");
    assert_string_equal(first, "2026-04-01");
    assert_string_equal(last, "2027-03-31");
    assert_int_equal(budget_year_bounds(2099, label, first, last), 0);
    assert_string_equal(label, "2099-00");
    assert_int_equal(budget_year_bounds(1999, label, first, last), -1);
    assert_int_equal(budget_year_bounds(2100, label, first, last), -1);
    assert_int_equal(budget_year_of("2026-11-18"), 2026);
    assert_int_equal(budget_year_of("2027-03-10"), 2026);
    assert_int_equal(budget_year_of("2027-03-31"), 2026);
    assert_int_equal(budget_year_of("2027-04-01"), 2027);
    assert_int_equal(budget_year_of("2027-13-01"), -1);
    assert_int_equal(budget_year_of("2027-04-01x"), -1);
    assert_int_equal(budget_year_of(NULL), -1);
    assert_int_equal(codes_budget_partner.count, 4);
    assert_string_equal(code_label(&codes_budget_partner, "police"), "Police");
    assert_null(code_find(&codes_budget_partner, "Police"));
    assert_null(code_find(&codes_budget_partner, NULL));
}

static void commissioning(void **state)
{
    (void)state;
    int64_t a = 0;
    assert_int_equal(budget_commission_amount(4500, 12, &a), 0);
    assert_int_equal(a, 54000);
    assert_int_equal(budget_commission_amount(BUDGET_MAX_PENCE, 1, &a), 0);
    assert_int_equal(budget_commission_amount(BUDGET_MAX_PENCE, 2, &a), -1);
    assert_int_equal(budget_commission_amount(BUDGET_MAX_PENCE / 3 + 1, 3, &a), -1);
    assert_int_equal(budget_commission_amount(0, 3, &a), -1);
    assert_int_equal(budget_commission_amount(5, 0, &a), -1);
    assert_int_equal(budget_commission_amount(5, -1, &a), -1);
    assert_int_equal(budget_commission_amount(INT64_MAX, INT64_MAX, &a), -1);
    assert_string_equal(code_label(&codes_budget_unit, "place_year"), "Place for a year");
    assert_null(code_find(&codes_budget_unit, "hour"));
    assert_string_equal(code_label(&codes_budget_aim, "exclusion"), "Permanent exclusion");
    assert_null(code_find(&codes_budget_aim, "fsm"));
}

/* Placements: never more units than were bought, never more pupils at
 * once than the intervention takes, never ending before they start. */
static void placements(void **state)
{
    (void)state;
    const char *s = "2026-09-01";
    assert_int_equal(budget_placement_check(4, 6, 10, 0, 3, s, ""), BUDGET_PLACE_OK);
    assert_int_equal(budget_placement_check(5, 6, 10, 0, 3, s, ""), BUDGET_PLACE_UNITS);
    assert_int_equal(budget_placement_check(0, 10, 10, 0, 3, s, ""), BUDGET_PLACE_OK);
    assert_int_equal(budget_placement_check(0, 0, 10, 2, 3, s, NULL), BUDGET_PLACE_OK);
    assert_int_equal(budget_placement_check(0, 0, 10, 3, 3, s, ""), BUDGET_PLACE_FULL);
    assert_int_equal(budget_placement_check(0, 0, 10, 0, 3, s, "2026-09-01"), BUDGET_PLACE_OK);
    assert_int_equal(budget_placement_check(0, 0, 10, 0, 3, s, "2026-08-31"), BUDGET_PLACE_DATES);
    assert_int_equal(budget_placement_check(-1, 0, 10, 0, 3, s, ""), BUDGET_PLACE_INVALID);
    assert_int_equal(budget_placement_check(0, 0, 0, 0, 3, s, ""), BUDGET_PLACE_INVALID);
    assert_int_equal(budget_placement_check(0, 0, 10, 0, 0, s, ""), BUDGET_PLACE_INVALID);
    assert_int_equal(budget_placement_check(0, 0, 10, 0, 3, "2026-13-01", ""), BUDGET_PLACE_INVALID);
    assert_int_equal(budget_placement_check(0, 0, 10, 0, 3, NULL, ""), BUDGET_PLACE_INVALID);
    /* Units: exhaustively on a small grid, used together never above bought. */
    for (int64_t bought = 1; bought <= 12; bought++)
        for (int64_t others = 0; others <= bought; others++)
            for (int64_t u = 0; u <= 15; u++)
                assert_int_equal(budget_placement_check(u, others, bought, 0, 1, s, "") == BUDGET_PLACE_OK,
                                 u + others <= bought);
}

static struct outcome_compare cmp(enum outcome_change att, enum outcome_change susp, bool before_ap,
                                  bool before_pt, bool after_pt, bool excluded_after)
{
    struct outcome_compare c;
    memset(&c, 0, sizeof c);
    c.w.complete = true;
    c.attendance = att;
    c.suspensions = susp;
    c.before.in_ap = before_ap;
    c.before.part_time = before_pt;
    c.after.part_time = after_pt;
    c.after.excluded = excluded_after;
    c.before.mainstream_at_end = !before_ap;
    c.after.mainstream_at_end = !excluded_after;
    c.stayed_in_mainstream = c.before.mainstream_at_end && c.after.mainstream_at_end;
    return c;
}

/* Who improved on which indicator, counted against the intervention's aims. */
/* Capacity over the whole period: the most others running on one day of
 * it, with adjacent periods (one ends the day before the next starts)
 * not overlapping, and the same as counting day by day. */
static void d(char out[11], int day)
{
    snprintf(out, 11, "2026-09-%02d", day);
}

static void capacity_peak(void **state)
{
    (void)state;
    struct budget_period o[3] = {{"2026-09-01", "2026-09-10"}, {"2026-09-05", "2026-09-20"}, {"2026-09-21", ""}};
    /* Starts on a day nobody runs, but overlaps both later: the start day alone said 0. */
    assert_int_equal(budget_capacity_peak(o, 2, "2026-08-20", "2026-09-06"), 2);
    assert_int_equal(budget_capacity_peak(o, 2, "2026-08-20", "2026-08-31"), 0);   /* adjacent: ends the day before */
    assert_int_equal(budget_capacity_peak(o, 2, "2026-08-20", "2026-09-01"), 1);   /* ends the day the first starts */
    assert_int_equal(budget_capacity_peak(o, 2, "2026-09-11", "2026-09-12"), 1);   /* the day after the first ends */
    assert_int_equal(budget_capacity_peak(o, 2, "2026-09-10", ""), 2);             /* open-ended, from the last shared day */
    assert_int_equal(budget_capacity_peak(o, 3, "2026-09-11", ""), 1);             /* the second and third are adjacent */
    assert_int_equal(budget_capacity_peak(o, 3, "2026-09-20", "2026-09-21"), 1);
    assert_int_equal(budget_capacity_peak(o, 3, "2026-08-01", NULL), 2);
    assert_int_equal(budget_capacity_peak(NULL, 0, "2026-09-01", ""), 0);
    assert_int_equal(budget_capacity_peak(o, 2, "2026-13-01", ""), -1);
    /* Exhaustively over small periods in September: the same as the most on any one day. */
    struct budget_period p[3];
    for (int a = 1; a <= 6; a++)
        for (int b = a; b <= 7; b++)
            for (int c2 = 1; c2 <= 6; c2++)
                for (int e = c2; e <= 8; e++) {
                    d(p[0].starts, a);
                    d(p[0].ends, b);
                    d(p[1].starts, c2);
                    d(p[1].ends, e);
                    d(p[2].starts, 4);
                    p[2].ends[0] = 0;
                    for (int s0 = 1; s0 <= 8; s0++)
                        for (int s1 = s0; s1 <= 9; s1++) {
                            char st[11], en[11];
                            d(st, s0);
                            d(en, s1);
                            int64_t want = 0;
                            for (int day = s0; day <= s1; day++) {
                                int64_t k = (a <= day && day <= b) + (c2 <= day && day <= e) + (day >= 4);
                                want = k > want ? k : want;
                            }
                            assert_int_equal(budget_capacity_peak(p, 3, st, en), want);
                        }
                }
}

static void outcomes_tally(void **state)
{
    (void)state;
    static const char *const att_susp[] = {"attendance", "suspension"};
    static const char *const all[] = {"attendance", "suspension", "exclusion", "part_time", "ap_placement",
                                      "social_care"};
    struct budget_outcomes t = {0};
    struct outcome_compare a = cmp(CHANGE_ROSE, CHANGE_FELL, false, false, false, false);
    struct outcome_compare b = cmp(CHANGE_FELL, CHANGE_SAME, false, true, false, false);
    struct outcome_compare x = cmp(CHANGE_UNKNOWN, CHANGE_ROSE, true, false, false, true);
    budget_outcomes_add(&t, &a, att_susp, 2);
    budget_outcomes_add(&t, &b, att_susp, 2);
    budget_outcomes_add(&t, &x, att_susp, 2);
    assert_int_equal(t.placed, 3);
    assert_int_equal(t.attendance_known, 2);
    assert_int_equal(t.attendance_rose, 1);
    assert_int_equal(t.suspensions_fell, 1);
    assert_int_equal(t.stayed_mainstream, 2);
    assert_int_equal(t.improved, 2);   /* a: attendance and suspensions */
    struct budget_outcomes u = {0};
    budget_outcomes_add(&u, &a, all, 6);   /* attendance, suspensions, no exclusion */
    budget_outcomes_add(&u, &b, all, 6);   /* no exclusion, off the part-time timetable */
    budget_outcomes_add(&u, &x, all, 6);   /* excluded after: nothing */
    assert_int_equal(u.improved, 3 + 2);
    struct outcome_compare back = cmp(CHANGE_UNKNOWN, CHANGE_SAME, true, false, false, false);
    budget_outcomes_add(&u, &back, all, 6);   /* back from AP, and not excluded: two aims met */
    assert_int_equal(u.improved, 5 + 2);
    struct budget_outcomes none = {0};
    budget_outcomes_add(&none, &a, NULL, 0);
    assert_int_equal(none.improved, 0);
    /* Without terms either side nothing is known to have changed. */
    struct outcome_compare incomplete = a;
    incomplete.w.complete = false;
    struct budget_outcomes v = {0};
    budget_outcomes_add(&v, &incomplete, all, 6);
    assert_int_equal(v.placed, 1);
    assert_int_equal(v.improved + v.attendance_known + v.stayed_mainstream, 0);
}

static void costs_per(void **state)
{
    (void)state;
    int64_t v = -1;
    assert_int_equal(budget_cost_per(18000, 3, &v), 0);
    assert_int_equal(v, 6000);
    assert_int_equal(budget_cost_per(100, 3, &v), 0);
    assert_int_equal(v, 33);
    assert_int_equal(budget_cost_per(200, 3, &v), 0);
    assert_int_equal(v, 67);
    assert_int_equal(budget_cost_per(5, 2, &v), 0);
    assert_int_equal(v, 3);   /* half a penny up */
    assert_int_equal(budget_cost_per(0, 2, &v), 0);
    assert_int_equal(v, 0);
    assert_int_equal(budget_cost_per(5, 0, &v), -1);
    assert_int_equal(budget_cost_per(-5, 2, &v), -1);
    /* The defaults: the published figures, each with its source. */
    assert_int_equal(budget_cost_find("permanent_exclusion")->pence, 37000000);
    int64_t ap = 0;
    assert_int_equal(budget_cost_per(2380000000LL, 1925, &ap), 0);   /* £23.8m for 1,925 pupils */
    assert_int_equal(budget_cost_find("ap_place_year")->pence, ap);
    assert_int_equal(budget_cost_find("paediatrics_referral")->pence, 0);
    for (int i = 0; i < BUDGET_COST__COUNT; i++) {
        assert_non_null(budget_cost_defaults[i].source);
        assert_true(strncmp(budget_cost_defaults[i].url, "https://", 8) == 0);
    }
    assert_null(budget_cost_find("nope"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(formats_pence),   cmocka_unit_test(parses_pounds), cmocka_unit_test(commit_needs),
        cmocka_unit_test(approval_limits), cmocka_unit_test(payments),      cmocka_unit_test(allocations),
        cmocka_unit_test(years_and_partners), cmocka_unit_test(commissioning), cmocka_unit_test(placements), cmocka_unit_test(capacity_peak),
        cmocka_unit_test(outcomes_tally), cmocka_unit_test(costs_per),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
