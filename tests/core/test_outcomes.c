/* Outcome records: validation per kind, attendance and persistent absence,
 * terms from half-terms, and the before/after windows at term boundaries. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "core/codes.h"
#include "core/outcomes.h"

static int32_t D(const char *s)
{
    int32_t d = 0;
    assert_int_equal(day_parse(s, &d), 0);
    return d;
}

/* Three school years of English default terms, 2024/25 to 2026/27. */
static size_t three_years(struct term_span *t, size_t max)
{
    struct half_term ht[18];
    int32_t closures[8];
    for (int y = 0; y < 3; y++)
        english_default_terms(2024 + y, &ht[6 * y], closures, 8);
    return terms_from_half_terms(ht, 18, t, max);
}

static void test_kinds_round_trip(void **state)
{
    (void)state;
    for (int k = 0; k < OUT__COUNT; k++) {
        enum outcome_kind back;
        assert_int_equal(outcome_kind_from_code(outcome_kind_code((enum outcome_kind)k), &back), 0);
        assert_int_equal(back, k);
        assert_true(strlen(outcome_kind_label((enum outcome_kind)k)) > 0);
    }
    enum outcome_kind x;
    assert_int_equal(outcome_kind_from_code("detention", &x), -1);
    assert_non_null(code_find(&codes_exclusion_reason, "DB"));
    assert_null(code_find(&codes_exclusion_reason, "OT"));  /* "Other" was removed in 2020/21 */
    assert_int_equal(codes_exclusion_reason.count, 16);
}

static void test_validate(void **state)
{
    (void)state;
    int32_t today = D("2026-11-18");
    struct field_errors e = {0};
    struct outcome_record att = {.kind = OUT_ATTENDANCE, .starts = D("2025-09-03"), .ends = D("2025-12-19"),
                                 .sessions_possible = 140, .sessions_missed = 14};
    assert_int_equal(outcome_validate(&att, today, &e), 0);
    att.sessions_missed = 141;
    assert_int_equal(outcome_validate(&att, today, &e), -1);
    assert_non_null(field_errors_get(&e, "sessions_missed"));

    memset(&e, 0, sizeof e);
    struct outcome_record s = {.kind = OUT_SUSPENSION, .starts = D("2026-01-12"), .sessions = 4};
    strcpy(s.code, "ZZ");
    assert_int_equal(outcome_validate(&s, today, &e), -1);
    assert_non_null(field_errors_get(&e, "code"));
    strcpy(s.code, "PA");
    memset(&e, 0, sizeof e);
    assert_int_equal(outcome_validate(&s, today, &e), 0);
    s.sessions = 91;
    assert_int_equal(outcome_validate(&s, today, &e), -1);
    assert_non_null(field_errors_get(&e, "sessions"));

    memset(&e, 0, sizeof e);
    struct outcome_record ap = {.kind = OUT_AP_PLACEMENT, .starts = D("2026-03-02"), .ends = D("2026-02-01")};
    assert_int_equal(outcome_validate(&ap, today, &e), -1);
    assert_non_null(field_errors_get(&e, "ends"));

    memset(&e, 0, sizeof e);
    struct outcome_record future = {.kind = OUT_EAL, .starts = D("2026-11-19")};
    assert_int_equal(outcome_validate(&future, today, &e), -1);
    assert_non_null(field_errors_get(&e, "starts"));

    memset(&e, 0, sizeof e);
    struct outcome_record sc = {.kind = OUT_SOCIAL_CARE, .starts = D("2026-02-02")};
    strcpy(sc.code, "CP");
    assert_int_equal(outcome_validate(&sc, today, &e), 0);
    struct outcome_record post = {.kind = OUT_POST16, .starts = D("2026-10-01"), .ends = D("2026-10-02")};
    strcpy(post.code, "NEET");
    assert_int_equal(outcome_validate(&post, today, &e), -1);
    assert_non_null(field_errors_get(&e, "ends"));  /* a destination has no end */

    /* A lunchtime exclusion: a day, a DfE reason, sessions (one a lunchtime),
     * no end; a kind of its own, so not a suspension. */
    memset(&e, 0, sizeof e);
    struct outcome_record l = {.kind = OUT_LUNCHTIME, .starts = D("2026-10-05"), .sessions = 1};
    assert_int_equal(outcome_validate(&l, today, &e), -1);
    assert_non_null(field_errors_get(&e, "code"));
    strcpy(l.code, "PP");
    memset(&e, 0, sizeof e);
    assert_int_equal(outcome_validate(&l, today, &e), 0);
    l.sessions = 0;
    assert_int_equal(outcome_validate(&l, today, &e), -1);
    assert_non_null(field_errors_get(&e, "sessions"));
    memset(&e, 0, sizeof e);
    l.sessions = 2;
    l.ends = D("2026-10-06");
    assert_int_equal(outcome_validate(&l, today, &e), -1);
    assert_non_null(field_errors_get(&e, "ends"));
    assert_true(outcome_kind_is_exclusion(OUT_LUNCHTIME) && outcome_kind_has_sessions(OUT_LUNCHTIME));
    assert_false(outcome_kind_has_sessions(OUT_EXCLUSION));
    assert_string_equal(outcome_kind_code(OUT_LUNCHTIME), "lunchtime");
    /* Sessions belong to suspensions and lunchtime exclusions only. */
    memset(&e, 0, sizeof e);
    struct outcome_record eal = {.kind = OUT_EAL, .starts = D("2026-01-05"), .sessions = 2};
    assert_int_equal(outcome_validate(&eal, today, &e), -1);
    assert_non_null(field_errors_get(&e, "sessions"));
}

static void test_attendance_measures(void **state)
{
    (void)state;
    assert_true(persistent_absence(100, 10));    /* exactly 90% attended */
    assert_false(persistent_absence(100, 9));
    assert_true(persistent_absence(141, 15));    /* 89.36% */
    assert_false(persistent_absence(141, 14));   /* 90.07% */
    assert_false(persistent_absence(0, 0));
    assert_true(attendance_pct(200, 30) > 84.99 && attendance_pct(200, 30) < 85.01);
}

static void test_terms_from_half_terms(void **state)
{
    (void)state;
    struct term_span t[9];
    assert_int_equal(three_years(t, 9), 9);
    char a[11], b[11];
    day_format(t[3].starts, a);
    day_format(t[3].ends, b);
    /* 2025/26 autumn: from the third weekday of September to before Christmas. */
    assert_string_equal(a, "2025-09-03");
    assert_string_equal(b, "2025-12-19");
    for (size_t i = 1; i < 9; i++)
        assert_true(t[i].starts > t[i - 1].ends);
    /* A missing half-term drops only its term. */
    struct half_term ht[6];
    int32_t cl[4];
    english_default_terms(2025, ht, cl, 4);
    struct half_term five[5] = {ht[0], ht[1], ht[2], ht[4], ht[5]};
    assert_int_equal(terms_from_half_terms(five, 5, t, 9), 2);
}

static void test_windows_at_boundaries(void **state)
{
    (void)state;
    struct term_span t[9];
    size_t nt = three_years(t, 9);
    /* The first day of 2025/26 spring term: that term is in neither window,
     * the two before are 2024/25 summer and 2025/26 autumn. */
    int32_t spring = t[4].starts;
    struct outcome_windows w = outcome_windows_for(spring, 2, t, nt);
    assert_true(w.complete);
    assert_int_equal(w.before_starts, t[2].starts);
    assert_int_equal(w.before_ends, t[3].ends);
    assert_int_equal(w.after_starts, t[5].starts);
    assert_int_equal(w.after_ends, t[6].ends);
    /* Its last day: the same. */
    w = outcome_windows_for(t[4].ends, 2, t, nt);
    assert_int_equal(w.before_starts, t[2].starts);
    assert_int_equal(w.after_starts, t[5].starts);
    /* The day after it ends (the Easter holiday): spring is wholly before,
     * summer wholly after. */
    w = outcome_windows_for(t[4].ends + 1, 2, t, nt);
    assert_true(w.complete);
    assert_int_equal(w.before_starts, t[3].starts);
    assert_int_equal(w.before_ends, t[4].ends);
    assert_int_equal(w.after_starts, t[5].starts);
    assert_int_equal(w.after_ends, t[6].ends);
    /* The day before a term starts (last day of a holiday): the same split. */
    w = outcome_windows_for(t[5].starts - 1, 2, t, nt);
    assert_int_equal(w.before_starts, t[3].starts);
    assert_int_equal(w.after_starts, t[5].starts);
    /* Too near the edge of the known terms: incomplete, no windows. */
    w = outcome_windows_for(t[1].starts, 2, t, nt);
    assert_false(w.complete);
    w = outcome_windows_for(t[7].starts, 2, t, nt);
    assert_false(w.complete);
    w = outcome_windows_for(t[8].ends + 10, 1, t, nt);
    assert_false(w.complete);
}

static struct outcome_record att(const struct term_span *t, int64_t possible, int64_t missed)
{
    return (struct outcome_record){.kind = OUT_ATTENDANCE, .starts = t->starts, .ends = t->ends,
                                   .sessions_possible = possible, .sessions_missed = missed};
}

static void test_compare(void **state)
{
    (void)state;
    struct term_span t[9];
    size_t nt = three_years(t, 9);
    struct outcome_record r[8];
    size_t n = 0;
    r[n++] = att(&t[2], 120, 24);   /* before: 80% */
    r[n++] = att(&t[3], 140, 21);   /* before: 85% */
    r[n++] = att(&t[4], 120, 60);   /* the term presented in: ignored */
    r[n++] = att(&t[5], 110, 11);   /* after: 90% */
    r[n++] = att(&t[6], 130, 13);
    r[n] = (struct outcome_record){.kind = OUT_SUSPENSION, .starts = t[3].starts + 10, .sessions = 4};
    strcpy(r[n++].code, "DB");
    r[n] = (struct outcome_record){.kind = OUT_SUSPENSION, .starts = t[2].starts + 3, .sessions = 2};
    strcpy(r[n++].code, "VA");
    r[n++] = (struct outcome_record){.kind = OUT_AP_PLACEMENT, .starts = t[5].starts, .ends = t[5].ends};
    struct outcome_compare c;
    outcome_compare_for(r, n, t[4].starts + 20, 2, t, nt, &c);
    assert_true(c.w.complete);
    assert_int_equal(c.before.attendance_terms, 2);
    assert_int_equal(c.before.sessions_possible, 260);
    assert_int_equal(c.before.sessions_missed, 45);
    assert_int_equal(c.after.sessions_possible, 240);
    assert_int_equal(c.attendance, CHANGE_ROSE);
    assert_int_equal(c.before.suspensions, 2);
    assert_int_equal(c.before.suspension_sessions, 6);
    assert_int_equal(c.after.suspensions, 0);
    assert_int_equal(c.suspensions, CHANGE_FELL);
    assert_true(c.after.in_ap);
    /* Placed in AP and back by the end of the window: stayed in mainstream. */
    assert_true(c.after.mainstream_at_end);
    assert_true(c.stayed_in_mainstream);
    /* Still in AP at the end: did not. */
    r[n - 1].ends = 0;
    outcome_compare_for(r, n, t[4].starts + 20, 2, t, nt, &c);
    assert_false(c.stayed_in_mainstream);
    assert_string_equal(outcome_change_code(c.attendance), "rose");
    /* No attendance after: unknown, not "fell". */
    outcome_compare_for(r, 2, t[4].starts + 20, 2, t, nt, &c);
    assert_int_equal(c.attendance, CHANGE_UNKNOWN);
    /* A permanent exclusion after presentation. */
    struct outcome_record ex = {.kind = OUT_EXCLUSION, .starts = t[6].starts + 5};
    strcpy(ex.code, "PA");
    outcome_compare_for(&ex, 1, t[4].starts + 20, 2, t, nt, &c);
    assert_true(c.after.excluded);
    assert_false(c.stayed_in_mainstream);
    assert_int_equal(c.suspensions, CHANGE_SAME);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_kinds_round_trip),
        cmocka_unit_test(test_validate),
        cmocka_unit_test(test_attendance_measures),
        cmocka_unit_test(test_terms_from_half_terms),
        cmocka_unit_test(test_windows_at_boundaries),
        cmocka_unit_test(test_compare),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
