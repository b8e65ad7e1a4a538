/* When the dashboard may read its rollup (q_rollup_answers): whole
 * calendar months only, no team or school, and a visibility of whole
 * authorities.  Anything else must read the records, or the figures for
 * part of a month, a team or a school would be wrong.  And the claims a
 * rebuild makes on a slice (migration 0037): who may claim, and what its
 * end leaves stale. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "store/q_dash_rollup.h"
#include "store/store.h"

static struct visibility all = {.all = true};

static bool answers(const char *from, const char *to)
{
    struct dash_query q = {from, to, 0, 0, 0, "", &all};
    return q_rollup_answers(&q);
}

static void test_whole_months(void **state)
{
    (void)state;
    assert_true(answers("2024-09-01", "2025-08-31"));   /* a school year */
    assert_true(answers("2024-02-01", "2024-02-29"));   /* a leap February */
    assert_true(answers("2023-12-01", "2024-01-31"));   /* across a new year */
    assert_true(answers("2025-04-01", "2025-04-30"));
}

static void test_part_months(void **state)
{
    (void)state;
    assert_false(answers("2024-09-02", "2025-08-31"));
    assert_false(answers("2024-09-01", "2025-08-30"));
    assert_false(answers("2023-02-01", "2023-02-29"));  /* no such day */
    assert_true(answers("2023-02-01", "2023-02-28"));
    assert_false(answers("2024-02-01", "2024-02-28"));  /* a leap year's 28th is not the end */
    assert_false(answers("2025-04-01", "2025-04-31"));
    assert_false(answers("2025-05-01", "2025-04-30"));  /* backwards */
    assert_false(answers("", "2025-04-30"));
    assert_false(answers("2025-04-01", NULL));
    assert_false(answers("2025-4-01", "2025-04-30"));
}

static void test_filters_and_visibility(void **state)
{
    (void)state;
    struct dash_query q = {"2024-09-01", "2025-08-31", 7, 0, 0, "primary", &all};
    assert_true(q_rollup_answers(&q));                  /* an authority and a phase are in its key */
    q.team_id = 3;
    assert_false(q_rollup_answers(&q));
    q.team_id = 0;
    q.school_id = 4;
    assert_false(q_rollup_answers(&q));
    q.school_id = 0;
    struct visibility by_authority = {.nauthorities = 1, .authority_ids = {7}};
    q.vis = &by_authority;
    assert_true(q_rollup_answers(&q));
    struct visibility by_school = {.nschools = 1, .school_ids = {4}};
    q.vis = &by_school;
    assert_false(q_rollup_answers(&q));                 /* a school's share of an authority is not in it */
    q.vis = NULL;
    assert_false(q_rollup_answers(&q));
}

/* ---- claims (migration 0037) ---- */

static void take_stale(void *arg, int64_t authority_id, const char *month)
{
    char *out = arg;
    size_t n = strlen(out);
    snprintf(out + n, 256 - n, "%lld:%s ", (long long)authority_id, month);
}

static const char *stale(struct store *s)
{
    static char out[256];
    out[0] = '\0';
    assert_int_equal(q_rollup_stale(s, 0, "0000-00", "9999-99", take_stale, out), STORE_OK);
    return out;
}

static int64_t marks(struct store *s)
{
    int64_t n = -1;
    assert_int_equal(store_get_int(store_prepare(s, "SELECT count(*) FROM dash_rollup_stale"), &n), STORE_OK);
    return n;
}

static bool claim(struct store *s, int64_t now)
{
    bool claimed = false;
    assert_int_equal(store_begin_write(s), STORE_OK);
    assert_int_equal(q_rollup_claim(s, 1, "2025-01", now, 600, &claimed), STORE_OK);
    assert_int_equal(store_commit(s), STORE_OK);
    return claimed;
}

static void release(struct store *s, bool built)
{
    assert_int_equal(store_begin_write(s), STORE_OK);
    assert_int_equal(q_rollup_release(s, 1, "2025-01", built), STORE_OK);
    assert_int_equal(store_commit(s), STORE_OK);
}

static void test_claims(void **state)
{
    (void)state;
    char dir[] = "/tmp/tas-rollup-claims-XXXXXX", path[64], err[256];
    assert_non_null(mkdtemp(dir));
    snprintf(path, sizeof path, "%s/t.db", dir);
    struct store *s = store_open(path, err, sizeof err);
    assert_non_null(s);
    assert_int_equal(store_migrate(s, err, sizeof err), STORE_OK);
    assert_int_equal(store_exec_done(store_prepare(s, "INSERT INTO dash_rollup_stale (authority_id, month) "
                                                      "VALUES (1, '2025-01')")), STORE_OK);
    /* Claimed: the mark goes, yet the slice still counts as stale. */
    assert_true(claim(s, 1000));
    assert_int_equal(marks(s), 0);
    assert_string_equal(stale(s), "1:2025-01 ");
    /* Another rebuild may not claim it while it is young; one that died
     * (abandoned_after seconds old) may be claimed again. */
    assert_false(claim(s, 1000 + 599));
    assert_true(claim(s, 1000 + 600));
    /* Not built: stale again. */
    release(s, false);
    assert_int_equal(marks(s), 1);
    assert_string_equal(stale(s), "1:2025-01 ");
    /* Built, with a writer's mark made meanwhile: the mark stays, and
     * England's month is marked. */
    assert_true(claim(s, 2000));
    assert_int_equal(marks(s), 0);
    assert_int_equal(store_exec_done(store_prepare(s, "INSERT INTO dash_rollup_stale (authority_id, month) "
                                                      "VALUES (1, '2025-01') ON CONFLICT DO NOTHING")), STORE_OK);
    release(s, true);
    assert_string_equal(stale(s), "0:2025-01 1:2025-01 ");
    /* Built with nothing changed: fresh. */
    assert_true(claim(s, 3000));
    release(s, true);
    assert_string_equal(stale(s), "0:2025-01 ");
    store_close(s);
    char cmd[96];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    assert_int_equal(system(cmd), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_whole_months),
        cmocka_unit_test(test_part_months),
        cmocka_unit_test(test_filters_and_visibility),
        cmocka_unit_test(test_claims),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
