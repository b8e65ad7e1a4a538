/* Consent, agenda order, action states, overdue and review rules. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "core/workflow.h"
#include "lib/count.h"


/* Day numbers around "today"; any day works, the rules only compare. */
#define TODAY 20400
#define YESTERDAY (TODAY - 1)
#define TOMORROW (TODAY + 1)

/* ---- Consent ---- */

static const int64_t svc_3_7[] = {3, 7};
static const int64_t svc_9[] = {9};

#define GIVEN(day) {(day), true, 0, 2, svc_3_7}
#define GIVEN_WITHDRAWN(day, w) {(day), true, (w), 2, svc_3_7}
#define NO_DISCUSS(day) {(day), false, 0, 2, svc_3_7}

struct consent_vector {
    const char *what;
    struct consent_fact f[3];
    size_t n;
    int64_t service;
    enum consent_verdict want;
};

static const struct consent_vector consents[] = {
    {"nothing recorded", {{0}}, 0, 0, CONSENT_NONE},
    {"nothing recorded, sharing", {{0}}, 0, 7, CONSENT_NONE},
    {"given last year", {GIVEN(TODAY - 365)}, 1, 0, CONSENT_OK},
    {"given today", {GIVEN(TODAY)}, 1, 0, CONSENT_OK},
    {"given tomorrow", {GIVEN(TOMORROW)}, 1, 0, CONSENT_NOT_YET},
    {"all future", {GIVEN(TOMORROW), GIVEN(TODAY + 30)}, 2, 7, CONSENT_NOT_YET},
    {"future record ignored while a current one stands",
     {GIVEN(TODAY - 10), GIVEN(TOMORROW)}, 2, 0, CONSENT_OK},
    {"future record ignored: the current one was withdrawn",
     {GIVEN_WITHDRAWN(TODAY - 10, YESTERDAY), GIVEN(TOMORROW)}, 2, 0, CONSENT_WITHDRAWN},
    {"withdrawn yesterday", {GIVEN_WITHDRAWN(TODAY - 10, YESTERDAY)}, 1, 0, CONSENT_WITHDRAWN},
    {"withdrawn today", {GIVEN_WITHDRAWN(TODAY - 10, TODAY)}, 1, 0, CONSENT_WITHDRAWN},
    {"withdrawal from tomorrow", {GIVEN_WITHDRAWN(TODAY - 10, TOMORROW)}, 1, 0, CONSENT_OK},
    {"withdrawn, sharing", {GIVEN_WITHDRAWN(TODAY - 10, TODAY)}, 1, 7, CONSENT_WITHDRAWN},
    {"new consent after a withdrawal",
     {GIVEN_WITHDRAWN(TODAY - 100, TODAY - 50), GIVEN(TODAY - 20)}, 2, 0, CONSENT_OK},
    {"latest withdrawn, older one not: the latest counts",
     {GIVEN(TODAY - 100), GIVEN_WITHDRAWN(TODAY - 20, YESTERDAY)}, 2, 0, CONSENT_WITHDRAWN},
    {"latest first in the array",
     {GIVEN(TODAY - 20), GIVEN_WITHDRAWN(TODAY - 100, YESTERDAY)}, 2, 0, CONSENT_OK},
    {"same day: the later entry wins (fresh)",
     {GIVEN_WITHDRAWN(TODAY - 5, YESTERDAY), GIVEN(TODAY - 5)}, 2, 0, CONSENT_OK},
    {"same day: the later entry wins (withdrawn)",
     {GIVEN(TODAY - 5), GIVEN_WITHDRAWN(TODAY - 5, YESTERDAY)}, 2, 0, CONSENT_WITHDRAWN},
    {"not for discussion", {NO_DISCUSS(TODAY - 5)}, 1, 0, CONSENT_NO_DISCUSSION},
    {"not for discussion, sharing with a listed service", {NO_DISCUSS(TODAY - 5)}, 1, 7,
     CONSENT_NO_DISCUSSION},
    {"sharing with a listed service", {GIVEN(TODAY - 5)}, 1, 7, CONSENT_OK},
    {"sharing with the other listed service", {GIVEN(TODAY - 5)}, 1, 3, CONSENT_OK},
    {"sharing with an unlisted service", {GIVEN(TODAY - 5)}, 1, 4, CONSENT_NOT_SERVICE},
    {"no services listed", {{TODAY - 5, true, 0, 0, NULL}}, 1, 7, CONSENT_NOT_SERVICE},
    {"no services listed, discussion", {{TODAY - 5, true, 0, 0, NULL}}, 1, 0, CONSENT_OK},
    {"service in an older consent only",
     {GIVEN(TODAY - 100), {TODAY - 5, true, 0, 1, svc_9}}, 2, 7, CONSENT_NOT_SERVICE},
    {"service in the newer consent",
     {GIVEN(TODAY - 100), {TODAY - 5, true, 0, 1, svc_9}}, 2, 9, CONSENT_OK},
    {"service from a future consent does not count yet",
     {GIVEN(TODAY - 100), {TOMORROW, true, 0, 1, svc_9}}, 2, 9, CONSENT_NOT_SERVICE},
};

static void test_consent_check(void **state)
{
    (void)state;
    for (size_t i = 0; i < COUNT(consents); i++) {
        const struct consent_vector *v = &consents[i];
        enum consent_verdict got = consent_check(v->f, v->n, TODAY, v->service);
        if (got != v->want)
            fail_msg("%s: got %d, want %d", v->what, (int)got, (int)v->want);
    }
    assert_int_equal(consent_check(NULL, 3, TODAY, 0), CONSENT_NONE);
}

static void test_consent_messages(void **state)
{
    (void)state;
    assert_string_equal(consent_message(CONSENT_NONE),
                        "There is no record of parental consent for this pupil. Record the "
                        "parent or carer's consent before adding them to an agenda.");
    assert_string_equal(consent_message(CONSENT_WITHDRAWN),
                        "The parent or carer has withdrawn consent. The pupil cannot be "
                        "discussed unless new consent is recorded.");
    assert_non_null(strstr(consent_message(CONSENT_NOT_SERVICE),
                           "The family has not agreed to share information with this service."));
    /* Every verdict (and nonsense) has its own sentence. */
    const char *seen[CONSENT_NOT_SERVICE + 2];
    for (int v = 0; v <= CONSENT_NOT_SERVICE + 1; v++) {
        seen[v] = consent_message((enum consent_verdict)v);
        assert_non_null(seen[v]);
        assert_true(strlen(seen[v]) > 20);
        assert_int_equal(seen[v][strlen(seen[v]) - 1], '.');
        for (int w = 0; w < v; w++)
            assert_string_not_equal(seen[v], seen[w]);
    }
    assert_non_null(consent_message((enum consent_verdict)-1));
}

/* ---- Agenda ---- */

#define REVIEW(id, overdue, open, first) {(id), true, (overdue), (open), (first), 0}
#define NEW(id, created) {(id), false, 0, 0, 0, (created)}

static void check_order(const struct agenda_entry *in, size_t n, const int64_t *want)
{
    struct agenda_entry e[16];
    assert_true(n <= COUNT(e));
    /* Every rotation and the reverse of the input give the same order. */
    for (size_t rot = 0; rot < 2 * n; rot++) {
        for (size_t i = 0; i < n; i++)
            e[i] = rot < n ? in[(i + rot) % n] : in[n - 1 - (i + rot) % n];
        agenda_order(e, n);
        for (size_t i = 0; i < n; i++)
            if (e[i].case_id != want[i])
                fail_msg("rotation %zu, place %zu: case %lld, want %lld", rot, i,
                         (long long)e[i].case_id, (long long)want[i]);
    }
}

static void test_agenda_order(void **state)
{
    (void)state;
    static const struct agenda_entry in[] = {
        NEW(20, 5000),
        REVIEW(11, 0, 2, 19000),
        NEW(21, 4000),
        REVIEW(12, 2, 0, 19500),   /* most overdue: first */
        REVIEW(13, 1, 5, 19000),
        REVIEW(14, 1, 5, 18000),   /* known longer than 13 */
        REVIEW(15, 1, 6, 19900),   /* more open actions than 13 and 14 */
        NEW(23, 4000),             /* same time as 21: by case id */
        REVIEW(16, 0, 2, 19000),   /* full tie with 11: by case id */
        REVIEW(10, 0, 2, 0),       /* first discussed unknown: after known */
        REVIEW(17, 0, 0, 17000),
        NEW(22, 3000),
    };
    static const int64_t want[] = {12, 15, 14, 13, 11, 16, 10, 17, 22, 21, 23, 20};
    check_order(in, COUNT(in), want);
}

static void test_agenda_edges(void **state)
{
    (void)state;
    agenda_order(NULL, 0);
    agenda_order(NULL, 5);
    struct agenda_entry one = REVIEW(1, 0, 0, 0);
    agenda_order(&one, 1);
    assert_int_equal(one.case_id, 1);
    /* Only new cases: the order they were brought, however they arrive. */
    static const struct agenda_entry news[] = {NEW(5, 300), NEW(3, 100), NEW(4, 200), NEW(1, 300)};
    static const int64_t want[] = {3, 4, 1, 5};
    check_order(news, COUNT(news), want);
    /* A review always comes before a new case, even one brought earlier. */
    static const struct agenda_entry mixed[] = {NEW(1, 1), REVIEW(9, 0, 0, 20000)};
    static const int64_t want2[] = {9, 1};
    check_order(mixed, COUNT(mixed), want2);
}

/* ---- Actions ---- */

static void test_action_status_codes(void **state)
{
    (void)state;
    static const char *const codes[] = {"open", "done", "not_done"};
    assert_int_equal(COUNT(codes), ACTION_STATUS__COUNT);
    for (int s = 0; s < ACTION_STATUS__COUNT; s++) {
        enum action_status back = ACTION_STATUS__COUNT;
        assert_string_equal(action_status_code((enum action_status)s), codes[s]);
        assert_int_equal(action_status_from_code(codes[s], &back), 0);
        assert_int_equal(back, s);
    }
    enum action_status x;
    assert_int_equal(action_status_from_code("Done", &x), -1);
    assert_int_equal(action_status_from_code("not done", &x), -1);
    assert_int_equal(action_status_from_code("", &x), -1);
    assert_int_equal(action_status_from_code(NULL, &x), -1);
    assert_string_equal(action_status_code(ACTION_STATUS__COUNT), "");
}

static void test_action_transitions(void **state)
{
    (void)state;
    static const char *const blank[] = {NULL, "", " ", " \t\r\n "};
    static const char *const why = "The family moved out of the area";
    for (int from = 0; from < ACTION_STATUS__COUNT; from++)
        for (int to = 0; to < ACTION_STATUS__COUNT; to++) {
            enum action_status f = (enum action_status)from, t = (enum action_status)to;
            /* Any move with a reason is fine, re-opening included. */
            assert_null(action_transition_check(f, t, why));
            for (size_t b = 0; b < COUNT(blank); b++) {
                const char *msg = action_transition_check(f, t, blank[b]);
                if (t == ACTION_NOT_DONE)
                    assert_string_equal(msg, "Give the reason the action was not done");
                else
                    assert_null(msg);
            }
        }
    assert_non_null(action_transition_check(ACTION_STATUS__COUNT, ACTION_OPEN, why));
    assert_non_null(action_transition_check(ACTION_OPEN, ACTION_STATUS__COUNT, why));
    assert_non_null(action_transition_check((enum action_status)-1, ACTION_OPEN, why));
}

static void test_action_overdue(void **state)
{
    (void)state;
    static const struct {
        enum action_status s;
        int32_t due;
        bool want;
    } v[] = {
        {ACTION_OPEN, YESTERDAY, true},
        {ACTION_OPEN, TODAY - 400, true},
        {ACTION_OPEN, TODAY, false},     /* due today is not overdue yet */
        {ACTION_OPEN, TOMORROW, false},
        {ACTION_OPEN, 0, false},         /* no due day */
        {ACTION_DONE, YESTERDAY, false},
        {ACTION_NOT_DONE, YESTERDAY, false},
    };
    for (size_t i = 0; i < COUNT(v); i++)
        assert_int_equal(action_overdue(v[i].s, v[i].due, TODAY), v[i].want);
}

/* ---- Follow-up ---- */

static void test_case_due_for_review(void **state)
{
    (void)state;
    static const struct {
        bool open;
        int overdue, open_actions;
        int32_t last;
        bool want;
    } v[] = {
        {true, 1, 1, TODAY, true},          /* overdue actions: at once */
        {true, 1, 0, 0, true},
        {false, 3, 3, TODAY - 100, false},  /* closed cases never */
        {true, 0, 2, TODAY - 42, false},    /* exactly 42 days: not more than */
        {true, 0, 2, TODAY - 43, true},
        {true, 0, 0, TODAY - 43, false},    /* nothing open to follow up */
        {true, 0, 2, TODAY - 1, false},
        {true, 0, 2, 0, false},             /* never discussed: a new case */
    };
    for (size_t i = 0; i < COUNT(v); i++)
        if (case_due_for_review(v[i].open, v[i].overdue, v[i].open_actions, v[i].last, TODAY,
                                42) != v[i].want)
            fail_msg("row %zu", i);
    assert_true(case_due_for_review(true, 0, 1, TODAY - 8, TODAY, 7));
    assert_false(case_due_for_review(true, 0, 1, TODAY - 7, TODAY, 7));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_consent_check),
        cmocka_unit_test(test_consent_messages),
        cmocka_unit_test(test_agenda_order),
        cmocka_unit_test(test_agenda_edges),
        cmocka_unit_test(test_action_status_codes),
        cmocka_unit_test(test_action_transitions),
        cmocka_unit_test(test_action_overdue),
        cmocka_unit_test(test_case_due_for_review),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
