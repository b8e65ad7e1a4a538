/* The same store-level assertions against both backends: SQLite (a file in
 * a temporary directory) and PostgreSQL (the server scripts/pg.sh starts;
 * scripts/run-tests.sh gives its URL in TAS_TEST_PG_URL and its password
 * file in PGPASSFILE).  The PostgreSQL database is a throwaway: each test
 * empties its schema first.  Without TAS_TEST_PG_URL the PostgreSQL half
 * is skipped, saying why.
 *
 * Also: the two migration sets must describe the same schema (tables,
 * columns in order, rough types, views, triggers), so one cannot drift
 * from the other unnoticed; and a table copied from SQLite into
 * PostgreSQL (store_copy.h, tas migrate-store) reads back the same. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "core/policy.h"
#include "lib/count.h"
#include "store/q_authorities.h"
#include "store/q_common.h"
#include "store/q_groups.h"
#include "store/q_map.h"
#include "store/q_params.h"
#include "store/q_schools.h"
#include "store/store.h"
#include "store/store_copy.h"
#include "store/store_internal.h"

enum backend { SQLITE, PG };

struct fix {
    enum backend b;
    char dir[64];
    char path[128];
    struct store *s;
};

static const char *pg_url(void)
{
    const char *u = getenv("TAS_TEST_PG_URL");
    return u && *u ? u : NULL;
}

static void pg_reason(void)
{
    static bool said;
    if (!said)
        fprintf(stderr, "test_backends: PostgreSQL tests skipped: TAS_TEST_PG_URL is not set "
                        "(scripts/run-tests.sh sets it when scripts/pg.sh finds Debian's postgresql)\n");
    said = true;
}

static void exec_ok(struct store *s, const char *sql)
{
    enum store_rc rc = store_exec_done(store_prepare(s, sql));
    if (rc != STORE_OK)
        fail_msg("%s: %s", sql, store_errmsg(s));
}

/* A new, empty database of the backend; the test is skipped when there is
 * no PostgreSQL to test against. */
static struct fix *open_fix(enum backend b)
{
    if (b == PG && !pg_url()) {
        pg_reason();
        skip();
    }
    struct fix *f = calloc(1, sizeof *f);
    assert_non_null(f);
    f->b = b;
    char err[256] = "";
    if (b == SQLITE) {
        snprintf(f->dir, sizeof f->dir, "/tmp/tas_backends_XXXXXX");
        assert_non_null(mkdtemp(f->dir));
        snprintf(f->path, sizeof f->path, "%s/t.db", f->dir);
        f->s = store_open(f->path, err, sizeof err);
    } else {
        f->s = store_open(pg_url(), err, sizeof err);
        if (f->s) {
            exec_ok(f->s, "DROP SCHEMA IF EXISTS public CASCADE");
            exec_ok(f->s, "CREATE SCHEMA public");
        }
    }
    if (!f->s)
        fail_msg("store_open: %s", err);
    return f;
}

/* Another connection to the fixture's PostgreSQL database. */
static struct store *second_connection(void)
{
    char err[256] = "";
    struct store *b = store_open(pg_url(), err, sizeof err);
    if (!b)
        fail_msg("second connection: %s", err);
    return b;
}

static void close_fix(struct fix *f)
{
    store_close(f->s);
    if (f->b == SQLITE) {
        char p[200];
        unlink(f->path);
        snprintf(p, sizeof p, "%s-wal", f->path);
        unlink(p);
        snprintf(p, sizeof p, "%s-shm", f->path);
        unlink(p);
        rmdir(f->dir);
    }
    free(f);
}

static void migrate(struct store *s)
{
    char err[512] = "";
    enum store_rc rc = store_migrate(s, err, sizeof err);
    if (rc != STORE_OK)
        fail_msg("migrate (%s): %s", store_backend_name(s), err);
}

/* ---- the storage interface itself ------------------------------------- */

static void check_interface(struct store *s)
{
    char out[64];
    /* '?' inside a literal is not a placeholder; the one outside is. */
    struct store_stmt *st = store_prepare(s, "SELECT '?' || ? || '-- ?' /* ? */");
    assert_non_null(st);
    store_bind_text(st, 1, "x");
    assert_int_equal(store_step(st), STORE_ROW);
    store_col_copy(st, 0, out, sizeof out);
    assert_string_equal(out, "?x-- ?");
    store_done(st);

    /* Comparisons read as 1 and 0, as SQLite's do. */
    st = store_prepare(s, "SELECT 2 > 1, 1 > 2");
    assert_int_equal(store_step(st), STORE_ROW);
    assert_int_equal(store_col_int(st, 0), 1);
    assert_int_equal(store_col_int(st, 1), 0);
    assert_string_equal(store_col_text(st, 0), "1");
    store_done(st);

    /* NULL is "" and is_null; a NULL text binds NULL. */
    st = store_prepare(s, "SELECT coalesce(?, 'none'), NULL");
    store_bind_text(st, 1, NULL);
    assert_int_equal(store_step(st), STORE_ROW);
    assert_string_equal(store_col_text(st, 0), "none");
    assert_true(store_col_is_null(st, 1));
    assert_string_equal(store_col_text(st, 1), "");
    assert_int_equal(store_step(st), STORE_DONE);
    store_done(st);

    /* A parameter that does not exist is an error at step, not a silent
     * NULL. */
    st = store_prepare(s, "SELECT 1 WHERE 1 = ?");
    store_bind_int(st, 2, 1);
    assert_int_equal(store_step(st), STORE_ERROR);
    store_done(st);

    /* Unknown table: NULL from prepare, and a reason. */
    assert_null(store_prepare(s, "SELECT * FROM no_such_table"));
    assert_true(strlen(store_errmsg(s)) > 0);
}

/* ---- authorities and schools ----------------------------------------- */

struct names {
    int n;
    char name[8][TAS_TITLE_MAX];
    int64_t id[8];
};

static void take_authority(void *arg, const struct authority *a)
{
    struct names *k = arg;
    if (k->n < 8) {
        snprintf(k->name[k->n], sizeof k->name[0], "%s", a->name);
        k->id[k->n++] = a->id;
    }
}

static void take_school(void *arg, const struct school *sc)
{
    struct names *k = arg;
    if (k->n < 8) {
        snprintf(k->name[k->n], sizeof k->name[0], "%s", sc->name);
        k->id[k->n++] = sc->id;
    }
}

static struct school school(int64_t authority_id, const char *urn, const char *name, int32_t roll,
                            double fsm, bool member)
{
    struct school sc = {0};
    sc.authority_id = authority_id;
    snprintf(sc.urn, sizeof sc.urn, "%s", urn);
    snprintf(sc.name, sizeof sc.name, "%s", name);
    snprintf(sc.phase, sizeof sc.phase, "%s", "primary");
    sc.pupils_on_roll = roll;
    sc.fsm_pct = fsm;
    sc.sen_pct = -1;
    sc.tas_member = member;
    return sc;
}

static void check_places(struct store *s)
{
    const int64_t now = 1790000000;  /* past 2^31: times are 64-bit */
    struct authority a = {0}, b = {0}, got;
    snprintf(a.la_code, sizeof a.la_code, "822");
    snprintf(a.name, sizeof a.name, "Bedford");
    snprintf(b.la_code, sizeof b.la_code, "823");
    snprintf(b.name, sizeof b.name, "Central Bedfordshire");
    assert_int_equal(q_authority_insert(s, &a, now), STORE_OK);
    assert_int_equal(q_authority_insert(s, &b, now), STORE_OK);
    assert_true(a.id > 0 && b.id > 0 && a.id != b.id);

    assert_int_equal(q_authority_get(s, a.id, &got), STORE_ROW);
    assert_string_equal(got.la_code, "822");
    assert_string_equal(got.name, "Bedford");
    assert_int_equal(q_authority_get(s, b.id + 100, &got), STORE_DONE);

    /* Times stay 64-bit. */
    struct store_stmt *st = store_prepare(s, "SELECT created_at FROM authorities WHERE id = ?");
    store_bind_int(st, 1, a.id);
    int64_t t = 0;
    assert_int_equal(store_get_int(st, &t), STORE_OK);
    assert_int_equal(t, now);

    /* SQLite's date(seconds, 'unixepoch'), which q_actions uses: a
     * function of the PostgreSQL migrations there. */
    st = store_prepare(s, "SELECT date(?, 'unixepoch'), date(created_at, 'unixepoch') FROM authorities WHERE id = ?");
    store_bind_int(st, 1, 86399);
    store_bind_int(st, 2, a.id);
    assert_int_equal(store_step(st), STORE_ROW);
    assert_string_equal(store_col_text(st, 0), "1970-01-01");
    assert_string_equal(store_col_text(st, 1), "2026-09-21");
    store_done(st);

    /* Update, in UTF-8. */
    snprintf(a.name, sizeof a.name, "Bedford Borough – Bwrdeistref Ŵ");
    assert_int_equal(q_authority_update(s, &a, now + 1), STORE_OK);
    assert_int_equal(store_changes(s), 1);
    assert_int_equal(q_authority_get(s, a.id, &got), STORE_ROW);
    assert_string_equal(got.name, "Bedford Borough – Bwrdeistref Ŵ");

    /* A duplicate LA code is a constraint failure, and its message does
     * not repeat the value. */
    struct authority dup = b;
    dup.id = 0;
    snprintf(dup.name, sizeof dup.name, "Copy");
    assert_int_equal(q_authority_insert(s, &dup, now), STORE_CONSTRAINT);
    assert_null(strstr(store_errmsg(s), "823"));

    /* Inside a transaction a failed statement leaves the transaction
     * usable (as in SQLite), and a nested rollback undoes only its part. */
    struct authority c = {0}, d = {0};
    snprintf(c.la_code, sizeof c.la_code, "824");
    snprintf(c.name, sizeof c.name, "Ashdown");
    snprintf(d.la_code, sizeof d.la_code, "825");
    snprintf(d.name, sizeof d.name, "Dunmere");
    assert_int_equal(store_begin_write(s), STORE_OK);
    assert_true(store_in_transaction(s));
    assert_int_equal(q_authority_insert(s, &dup, now), STORE_CONSTRAINT);
    assert_int_equal(q_authority_insert(s, &c, now), STORE_OK);
    assert_int_equal(store_begin(s), STORE_OK);  /* a savepoint */
    assert_int_equal(q_authority_insert(s, &d, now), STORE_OK);
    store_rollback(s);
    assert_true(store_in_transaction(s));
    assert_int_equal(store_end_write(s, STORE_OK), STORE_OK);
    assert_false(store_in_transaction(s));
    assert_int_equal(q_authority_get(s, c.id, &got), STORE_ROW);
    assert_int_equal(q_authority_get(s, d.id, &got), STORE_DONE);

    /* Lists: name order; visibility limits them. */
    struct visibility all = {.all = true};
    struct names k = {0};
    assert_int_equal(q_authority_list(s, &all, take_authority, &k), STORE_OK);
    assert_int_equal(k.n, 3);
    assert_string_equal(k.name[0], "Ashdown");
    assert_string_equal(k.name[1], "Bedford Borough – Bwrdeistref Ŵ");
    assert_string_equal(k.name[2], "Central Bedfordshire");
    struct visibility only_b = {.nauthorities = 1, .authority_ids = {b.id}};
    memset(&k, 0, sizeof k);
    assert_int_equal(q_authority_list(s, &only_b, take_authority, &k), STORE_OK);
    assert_int_equal(k.n, 1);
    assert_int_equal(k.id[0], b.id);

    /* Schools: NULL and real columns, booleans, search, paging. */
    struct school s1 = school(a.id, "100001", "Oakfield Primary", 210, 12.5, true);
    struct school s2 = school(a.id, "100002", "Riverside Academy", -1, -1, false);
    struct school s3 = school(b.id, "100003", "Broad Oak Lower", 95, 30.25, true);
    assert_int_equal(q_school_insert(s, &s1, now), STORE_OK);
    assert_int_equal(q_school_insert(s, &s2, now), STORE_OK);
    assert_int_equal(q_school_insert(s, &s3, now), STORE_OK);
    struct school bad = school(b.id + 1000, "100004", "Nowhere", 1, 1, false);
    assert_int_equal(q_school_insert(s, &bad, now), STORE_CONSTRAINT);  /* foreign key */

    struct school g;
    assert_int_equal(q_school_get(s, s1.id, &g), STORE_ROW);
    assert_string_equal(g.urn, "100001");
    assert_int_equal(g.pupils_on_roll, 210);
    assert_true(g.fsm_pct > 12.49 && g.fsm_pct < 12.51);
    assert_true(g.sen_pct < 0);
    assert_true(g.tas_member);
    assert_string_equal(g.status, "open");
    assert_int_equal(q_school_get(s, s2.id, &g), STORE_ROW);
    assert_int_equal(g.pupils_on_roll, -1);
    assert_true(g.fsm_pct < 0);
    assert_false(g.tas_member);

    s2.pupils_on_roll = 400;
    s2.tas_member = true;
    assert_int_equal(q_school_update(s, &s2, now + 5), STORE_OK);
    assert_int_equal(q_school_get(s, s2.id, &g), STORE_ROW);
    assert_int_equal(g.pupils_on_roll, 400);
    assert_true(g.tas_member);

    struct page_req page = {1, 50};
    int64_t total = -1;
    memset(&k, 0, sizeof k);
    assert_int_equal(q_school_list(s, &all, "OAK", &page, &total, take_school, &k), STORE_OK);
    assert_int_equal(total, 2);  /* case-insensitive, anywhere in the name */
    assert_int_equal(k.n, 2);
    assert_string_equal(k.name[0], "Broad Oak Lower");
    assert_string_equal(k.name[1], "Oakfield Primary");

    memset(&k, 0, sizeof k);
    assert_int_equal(q_school_list(s, &all, "100002", &page, &total, take_school, &k), STORE_OK);
    assert_int_equal(total, 1);
    assert_string_equal(k.name[0], "Riverside Academy");

    /* A LIKE wildcard typed in the search is taken literally. */
    memset(&k, 0, sizeof k);
    assert_int_equal(q_school_list(s, &all, "%", &page, &total, take_school, &k), STORE_OK);
    assert_int_equal(total, 0);

    struct page_req second = {2, 2};
    memset(&k, 0, sizeof k);
    assert_int_equal(q_school_list(s, &all, "", &second, &total, take_school, &k), STORE_OK);
    assert_int_equal(total, 3);
    assert_int_equal(k.n, 1);
    assert_string_equal(k.name[0], "Riverside Academy");

    struct visibility school_only = {.nschools = 1, .school_ids = {s3.id}};
    memset(&k, 0, sizeof k);
    assert_int_equal(q_school_list(s, &school_only, "", &page, &total, take_school, &k), STORE_OK);
    assert_int_equal(total, 1);
    assert_int_equal(k.id[0], s3.id);
}

/* ---- the tests, once per backend -------------------------------------- */

/* check on a new database of backend b; migrated first when asked. */
static void run_on(enum backend b, bool migrated, void (*check)(struct store *s))
{
    struct fix *f = open_fix(b);
    if (migrated)
        migrate(f->s);
    check(f->s);
    close_fix(f);
}

/* test_sqlite_<name> and test_pg_<name>: the same check on each backend. */
#define ON_BOTH_BACKENDS(name, migrated, check) \
    static void test_sqlite_##name(void **state) \
    { \
        (void)state; \
        run_on(SQLITE, migrated, check); \
    } \
    static void test_pg_##name(void **state) \
    { \
        (void)state; \
        run_on(PG, migrated, check); \
    }

ON_BOTH_BACKENDS(interface, false, check_interface)
ON_BOTH_BACKENDS(places, true, check_places)

/* ---- the records' generation (store_records_generation) -------------- */

static int64_t generation(struct store *s)
{
    int64_t n = -1;
    assert_int_equal(store_records_generation(s, &n), STORE_OK);
    return n;
}

static void check_generation(struct store *s)
{
    exec_ok(s, "CREATE TABLE t_gen (id INTEGER PRIMARY KEY, v TEXT)");
    int64_t g = generation(s);
    assert_true(g >= 1);

    /* Reading changes nothing. */
    assert_int_equal(store_begin(s), STORE_OK);
    int64_t n;
    assert_int_equal(store_get_int(store_prepare(s, "SELECT count(*) FROM t_gen"), &n), STORE_OK);
    assert_int_equal(store_commit(s), STORE_OK);
    assert_int_equal(generation(s), g);

    /* A write of records: one step, in its own transaction. */
    assert_int_equal(store_begin_write(s), STORE_OK);
    exec_ok(s, "INSERT INTO t_gen (id, v) VALUES (1, 'a')");
    exec_ok(s, "INSERT INTO t_gen (id, v) VALUES (2, 'b')");
    assert_int_equal(store_commit(s), STORE_OK);
    assert_int_equal(generation(s), g + 1);

    /* What reading a page writes leaves it alone. */
    assert_int_equal(store_begin_write(s), STORE_OK);
    exec_ok(s, "INSERT INTO audit_log (id, at, action, resource_kind, prev_hash, hash)"
               " VALUES (1, 0, 'view', 'pupil', '', 'x')");
    assert_int_equal(store_commit(s), STORE_OK);
    assert_int_equal(generation(s), g + 1);

    /* Rolled back: nothing happened. */
    assert_int_equal(store_begin_write(s), STORE_OK);
    exec_ok(s, "INSERT INTO t_gen (id, v) VALUES (3, 'c')");
    store_rollback(s);
    assert_int_equal(generation(s), g + 1);

    /* Outside a transaction: the write, then its bump; the caller still
     * reads its own statement's changes (none here), not the bump's. */
    exec_ok(s, "UPDATE t_gen SET v = 'z' WHERE id = 99");
    assert_int_equal(store_changes(s), 0);
    assert_int_equal(generation(s), g + 2);

    /* After a commit that bumped, the changes are the caller's too. */
    assert_int_equal(store_begin_write(s), STORE_OK);
    exec_ok(s, "UPDATE t_gen SET v = 'q' WHERE id IN (1, 2)");
    assert_int_equal(store_commit(s), STORE_OK);
    assert_int_equal(store_changes(s), 2);
    assert_int_equal(generation(s), g + 3);

    /* A savepoint's bump belongs to the outer transaction: kept with it,
     * undone with it. */
    assert_int_equal(store_begin_write(s), STORE_OK);
    assert_int_equal(store_begin_write(s), STORE_OK);
    exec_ok(s, "INSERT INTO t_gen (id, v) VALUES (4, 'd')");
    assert_int_equal(store_commit(s), STORE_OK);
    store_rollback(s);
    assert_int_equal(generation(s), g + 3);
    assert_int_equal(store_begin_write(s), STORE_OK);
    assert_int_equal(store_begin_write(s), STORE_OK);
    exec_ok(s, "INSERT INTO t_gen (id, v) VALUES (4, 'd')");
    assert_int_equal(store_commit(s), STORE_OK);
    assert_int_equal(store_commit(s), STORE_OK);
    assert_int_equal(generation(s), g + 4);
}

ON_BOTH_BACKENDS(generation, true, check_generation)

/* A write aside on PostgreSQL takes no savepoint per statement (a rollup
 * slice's build pays one round trip a statement, not three): a statement
 * that fails there fails the transaction.  A write keeps them: a failed
 * statement (a duplicate the caller expects) leaves it usable, as on
 * SQLite. */
static void test_pg_aside_all_or_nothing(void **state)
{
    (void)state;
    struct fix *f = open_fix(PG);
    struct store *s = f->s;
    exec_ok(s, "CREATE TABLE t_aside (id INTEGER PRIMARY KEY)");
    exec_ok(s, "INSERT INTO t_aside (id) VALUES (1)");
    int64_t n = 0;

    assert_int_equal(store_begin_write(s), STORE_OK);
    assert_int_equal(store_exec_done(store_prepare(s, "INSERT INTO t_aside (id) VALUES (1)")), STORE_CONSTRAINT);
    assert_int_equal(store_exec_done(store_prepare(s, "INSERT INTO t_aside (id) VALUES (2)")), STORE_OK);
    assert_int_equal(store_commit(s), STORE_OK);
    assert_int_equal(store_get_int(store_prepare(s, "SELECT count(*) FROM t_aside"), &n), STORE_OK);
    assert_int_equal(n, 2);

    assert_int_equal(store_begin_aside(s), STORE_OK);
    assert_int_equal(store_exec_done(store_prepare(s, "INSERT INTO t_aside (id) VALUES (3)")), STORE_OK);
    assert_int_equal(store_exec_done(store_prepare(s, "INSERT INTO t_aside (id) VALUES (1)")), STORE_CONSTRAINT);
    assert_int_not_equal(store_exec_done(store_prepare(s, "INSERT INTO t_aside (id) VALUES (4)")), STORE_OK);
    assert_int_not_equal(store_commit(s), STORE_OK);
    store_rollback(s);
    assert_int_equal(store_get_int(store_prepare(s, "SELECT count(*) FROM t_aside"), &n), STORE_OK);
    assert_int_equal(n, 2);   /* nothing of the failed write aside */
    close_fix(f);
}

/* Which statements leave the generation alone: transaction control and
 * writes to what reading writes; anything else (or unread) counts. */
static void test_unrecorded(void **state)
{
    (void)state;
    const char *quiet[] = {"INSERT INTO audit_log (a) VALUES (1)", "  insert into \"sessions\" (a) values (1)",
                           "UPDATE sessions SET last_seen_at = ?", "update or ignore login_throttle set n = 1",
                           "DELETE FROM form_tokens WHERE created_at < ?", "INSERT OR REPLACE INTO dash_rollup VALUES (1)",
                           "REPLACE INTO dash_rollup_stale VALUES (1)", "BEGIN IMMEDIATE", "COMMIT", "RELEASE tas_nested",
                           "SAVEPOINT tas_nested", "ROLLBACK"};
    const char *counted[] = {"INSERT INTO pupils (a) VALUES (1)", "UPDATE pupils SET upn = ?", "DELETE FROM cases",
                             "INSERT INTO audit_logs (a) VALUES (1)", "INSERT INTO audit_log_0039 SELECT 1",
                             "WITH x AS (SELECT 1) INSERT INTO audit_log SELECT * FROM x", "UPDATEsessions SET a = 1",
                             "CREATE TABLE t (a)", "DELETE sessions", "", "INSERT INTO"};
    for (size_t i = 0; i < COUNT(quiet); i++)
        if (!store_writes_unrecorded(quiet[i]))
            fail_msg("counted: %s", quiet[i]);
    for (size_t i = 0; i < COUNT(counted); i++)
        if (store_writes_unrecorded(counted[i]))
            fail_msg("not counted: %s", counted[i]);
    assert_false(store_writes_unrecorded(NULL));
}

/* The pool hands out connections that work and come back clean. */
static void test_pg_pool(void **state)
{
    (void)state;
    struct fix *f = open_fix(PG);
    migrate(f->s);
    char err[256] = "";
    struct store_pool *p = store_pool_open(pg_url(), 3, err, sizeof err);
    if (!p)
        fail_msg("pool: %s", err);
    struct store *c1 = store_pool_acquire(p);
    struct store *c2 = store_pool_acquire(p);
    assert_true(c1 != c2);
    assert_string_equal(store_database_key(c1), store_database_key(c2));
    assert_string_equal(store_backend_name(c1), "postgresql");
    /* c1 leaves a write open: release rolls it back. */
    assert_int_equal(store_begin_write(c1), STORE_OK);
    exec_ok(c1, "INSERT INTO authorities (la_code, name, created_at, updated_at) VALUES ('900', 'Left open', 1, 1)");
    store_pool_release(p, c1);
    struct store_stmt *st = store_prepare(c2, "SELECT count(*) FROM authorities");
    int64_t n = -1;
    assert_int_equal(store_get_int(st, &n), STORE_OK);
    assert_int_equal(n, 0);
    store_pool_release(p, c2);
    store_pool_close(p);
    close_fix(f);
}

/* ---- writers side by side (PostgreSQL) ---------------------------------- */

static int64_t count_of(struct store *s, const char *sql)
{
    int64_t n = -1;
    assert_int_equal(store_get_int(store_prepare(s, sql), &n), STORE_OK);
    return n;
}

/* Two writers allowed side by side run at once and both stand when they
 * touch different rows; of two that each read what the other writes, the
 * server fails one (store_conflicted), which then runs again and sees the
 * other's row; a writer that cannot run again (the default) keeps every
 * other writer out until it ends; a serial write waits for no writer.
 * With one write lock for the database, the second writer of each pair
 * would have waited for the first. */
static void test_pg_writers_side_by_side(void **state)
{
    (void)state;
    struct fix *f = open_fix(PG);
    struct store *a = f->s;
    struct store *b = second_connection();
    exec_ok(a, "CREATE TABLE t_side (id INTEGER PRIMARY KEY, who TEXT NOT NULL)");
    store_write_side_by_side(a, true);
    store_write_side_by_side(b, true);

    /* Different rows: b writes and commits while a's write is open. */
    assert_int_equal(store_begin_write(a), STORE_OK);
    exec_ok(a, "INSERT INTO t_side (id, who) VALUES (1, 'a')");
    assert_int_equal(store_begin_write(b), STORE_OK);
    exec_ok(b, "INSERT INTO t_side (id, who) VALUES (2, 'b')");
    assert_int_equal(store_commit(b), STORE_OK);
    assert_int_equal(store_commit(a), STORE_OK);
    assert_false(store_conflicted(a));
    assert_false(store_conflicted(b));
    assert_int_equal(count_of(a, "SELECT count(*) FROM t_side"), 2);

    /* Write skew: each inserts the next number after what it read.  Both
     * standing would lose one's view of the other: one is failed. */
    assert_int_equal(store_begin_write(a), STORE_OK);
    assert_int_equal(store_begin_write(b), STORE_OK);
    int64_t na = count_of(a, "SELECT count(*) FROM t_side WHERE who = 'n'");
    int64_t nb = count_of(b, "SELECT count(*) FROM t_side WHERE who = 'n'");
    assert_int_equal(na, nb);
    exec_ok(a, "INSERT INTO t_side (id, who) VALUES (10, 'n')");
    enum store_rc rb = store_exec_done(store_prepare(b, "INSERT INTO t_side (id, who) VALUES (11, 'n')"));
    enum store_rc ra = store_commit(a);
    if (rb == STORE_OK)
        rb = store_commit(b);
    if (rb != STORE_OK)
        store_rollback(b);
    assert_int_equal(ra, STORE_OK);
    assert_int_equal(rb, STORE_BUSY);
    assert_true(store_conflicted(b));
    /* Run again, b sees a's row; its flag clears when it begins. */
    assert_int_equal(store_begin_write(b), STORE_OK);
    assert_false(store_conflicted(b));
    assert_int_equal(count_of(b, "SELECT count(*) FROM t_side WHERE who = 'n'"), 1);
    exec_ok(b, "INSERT INTO t_side (id, who) VALUES (11, 'n')");
    assert_int_equal(store_commit(b), STORE_OK);

    /* A writer that cannot run again runs alone: another writer waits for
     * it (here past a short lock time-out: STORE_BUSY, not a conflict); a
     * serial write does not. */
    exec_ok(b, "SET lock_timeout = '300ms'");
    store_write_side_by_side(a, false);
    assert_int_equal(store_begin_write(a), STORE_OK);
    assert_int_equal(store_begin_write(b), STORE_BUSY);
    assert_false(store_conflicted(b));
    assert_int_equal(store_begin_serial(b), STORE_OK);
    assert_int_equal(store_commit(b), STORE_OK);
    exec_ok(a, "INSERT INTO t_side (id, who) VALUES (20, 'alone')");
    assert_int_equal(store_commit(a), STORE_OK);
    assert_int_equal(store_begin_write(b), STORE_OK);
    assert_int_equal(store_commit(b), STORE_OK);
    /* Serial writes wait for each other. */
    assert_int_equal(store_begin_serial(a), STORE_OK);
    assert_int_equal(store_begin_serial(b), STORE_BUSY);
    assert_int_equal(store_commit(a), STORE_OK);
    store_close(b);
    close_fix(f);
}

struct waiter {
    struct store *s;
    enum store_rc began;
    int64_t seen;
};

static void *begin_and_count(void *arg)
{
    struct waiter *w = arg;
    w->began = store_begin_write(w->s);
    if (w->began == STORE_OK) {
        /* No cmocka assertion off the test's thread. */
        if (store_get_int(store_prepare(w->s, "SELECT count(*) FROM t_wait"), &w->seen) != STORE_OK)
            w->seen = -2;
        w->began = store_commit(w->s);
    }
    return NULL;
}

/* A writer side by side that waited for one alone sees what that one
 * committed: its snapshot is taken once it holds the lock.  (Were the
 * lock's wait its first statement, its snapshot would predate the other's
 * commit, and the server, which checks only SERIALIZABLE writers against
 * each other, would let it write past what it did not see.) */
static void test_pg_side_by_side_after_alone(void **state)
{
    (void)state;
    struct fix *f = open_fix(PG);
    struct store *a = f->s;
    struct store *b = second_connection();
    exec_ok(a, "CREATE TABLE t_wait (id INTEGER PRIMARY KEY)");
    store_write_side_by_side(b, true);
    assert_int_equal(store_begin_write(a), STORE_OK);
    exec_ok(a, "INSERT INTO t_wait (id) VALUES (1)");
    struct waiter w = {.s = b, .began = STORE_ERROR, .seen = -1};
    pthread_t t;
    assert_int_equal(pthread_create(&t, NULL, begin_and_count, &w), 0);
    /* Commit only once b is seen waiting for the lock. */
    int64_t waiting = 0;
    for (int i = 0; i < 1000 && waiting == 0; i++) {
        waiting = count_of(a, "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND objid = 7627123 AND NOT granted");
        if (waiting == 0)
            nanosleep(&(struct timespec){0, 10 * 1000 * 1000}, NULL);
    }
    assert_int_equal(waiting, 1);
    assert_int_equal(store_commit(a), STORE_OK);
    assert_int_equal(pthread_join(t, NULL), 0);
    assert_int_equal(w.began, STORE_OK);
    assert_int_equal(w.seen, 1);
    /* Its share of the lock ended with its transaction: one alone begins. */
    exec_ok(a, "SET lock_timeout = '300ms'");
    assert_int_equal(store_begin_write(a), STORE_OK);
    assert_int_equal(store_commit(a), STORE_OK);
    store_close(b);
    close_fix(f);
}

static int calls;

static void count_call(struct store *s, void *arg)
{
    assert_false(store_in_transaction(s));
    calls += *(int *)arg;
}

/* What follows a commit runs once after it, never after a rollback, and
 * not for a savepoint's end. */
static void check_after_commit(struct store *s)
{
    int one = 1;
    calls = 0;
    store_after_commit(s, count_call, &one);   /* outside a transaction: not kept */
    assert_int_equal(store_begin_write(s), STORE_OK);
    store_after_commit(s, count_call, &one);
    assert_int_equal(store_begin_write(s), STORE_OK);
    assert_int_equal(store_commit(s), STORE_OK);
    assert_int_equal(calls, 0);
    assert_int_equal(store_commit(s), STORE_OK);
    assert_int_equal(calls, 1);
    assert_int_equal(store_begin_write(s), STORE_OK);
    assert_int_equal(store_commit(s), STORE_OK);
    assert_int_equal(calls, 1);
    assert_int_equal(store_begin_write(s), STORE_OK);
    store_after_commit(s, count_call, &one);
    store_rollback(s);
    assert_int_equal(store_begin_write(s), STORE_OK);
    assert_int_equal(store_commit(s), STORE_OK);
    assert_int_equal(calls, 1);
}

/* ---- a row read by its table (store/q_map.h) --------------------------- */

struct mapped {
    int64_t big;
    int small;
    unsigned bits;
    bool yes;
    double ratio;
    char word[6];
    char none[4];
    int64_t untouched;  /* not in the map: zeroed, never read */
};

Q_READER(read_mapped, struct mapped, big, small, bits, yes, ratio, word, none)

static void check_map(struct store *s)
{
    struct store_stmt *st = store_prepare(s, "SELECT ?, ?, ?, ?, ?, ?, ?");
    assert_non_null(st);
    store_bind_int(st, 1, INT64_C(1) << 40);
    store_bind_int(st, 2, -7);
    store_bind_int(st, 3, 0x81);
    store_bind_int(st, 4, 2);
    store_bind_double(st, 5, 0.375);
    store_bind_text(st, 6, "longer than six");
    store_bind_null(st, 7);
    struct mapped m;
    memset(&m, 0x5a, sizeof m);
    assert_int_equal(store_get_row(st, read_mapped, &m), STORE_ROW);
    assert_true(m.big == INT64_C(1) << 40);
    assert_int_equal(m.small, -7);
    assert_int_equal(m.bits, 0x81);
    assert_true(m.yes);
    assert_float_equal(m.ratio, 0.375, 1e-12);
    assert_string_equal(m.word, "longe");  /* cut to the field, terminated */
    assert_string_equal(m.none, "");       /* NULL reads as "" */
    assert_int_equal(m.untouched, 0);
}

ON_BOTH_BACKENDS(map, false, check_map)

/* ---- parameters in one call (store/q_params.h) ------------------------- */

static void count_row(struct store_stmt *st, void *arg)
{
    (void)st;
    ++*(int *)arg;
}

static void check_params(struct store *s)
{
    exec_ok(s, "CREATE TABLE qp (id INTEGER PRIMARY KEY, n INTEGER, t TEXT, r REAL, ref INTEGER, opt TEXT)");
    int64_t id = 0;
    assert_int_equal(q_int(s, "INSERT INTO qp (id, n, t, r, ref, opt) VALUES (1, ?, ?, ?, ?, ?) RETURNING id",
                           Q_PARAMS(QP_INT(-3), QP_TEXT("x"), QP_REAL(1.5), QP_ID(0), QP_OPT_TEXT("")), &id),
                     STORE_OK);
    assert_int_equal(id, 1);
    assert_int_equal(q_run(s, "INSERT INTO qp (id, n, t, r, ref, opt) VALUES (2, ?, ?, ?, ?, ?)",
                           Q_PARAMS(QP_NULL, QP_TEXT(NULL), QP_REAL(0), QP_ID(7), QP_OPT_TEXT("y"))),
                     STORE_OK);
    int64_t n = 0;
    /* 0 and "" of the optional ones are NULL; the plain ones are kept. */
    assert_int_equal(q_int(s, "SELECT count(*) FROM qp WHERE n = ? AND t = ? AND r = ? AND ref IS NULL AND opt IS NULL",
                           Q_PARAMS(QP_INT(-3), QP_TEXT("x"), QP_REAL(1.5)), &n), STORE_OK);
    assert_int_equal(n, 1);
    assert_int_equal(q_int(s, "SELECT count(*) FROM qp WHERE n IS NULL AND t IS NULL AND ref = ? AND opt = ?",
                           Q_PARAMS(QP_INT(7), QP_TEXT("y")), &n), STORE_OK);
    assert_int_equal(n, 1);
    /* q_run_changed: STORE_DONE when its WHERE matched no row. */
    assert_int_equal(q_run_changed(s, "UPDATE qp SET n = ? WHERE id = ?", Q_PARAMS(QP_INT(1), QP_INT(id))), STORE_OK);
    assert_int_equal(q_run_changed(s, "UPDATE qp SET n = ? WHERE id = ?", Q_PARAMS(QP_INT(1), QP_INT(id + 99))),
                     STORE_DONE);
    int rows = 0;
    assert_int_equal(q_rows(s, "SELECT id FROM qp WHERE id >= ?", Q_PARAMS(QP_INT(0)), count_row, &rows), STORE_OK);
    assert_int_equal(rows, 2);
    int64_t got = 0;
    assert_int_equal(q_row(s, "SELECT n FROM qp WHERE id = ?", Q_PARAMS(QP_INT(id)), q_read_int, &got), STORE_ROW);
    assert_int_equal(got, 1);
    /* QP_INT_IF: the value when used, NULL when not; q_any: is there a row. */
    assert_int_equal(q_run(s, "UPDATE qp SET n = ?, ref = ? WHERE id = ?",
                           Q_PARAMS(QP_INT_IF(false, 5), QP_INT_IF(true, 9), QP_INT(id))), STORE_OK);
    assert_int_equal(q_any(s, "SELECT 1 FROM qp WHERE id = ? AND n IS NULL AND ref = 9", Q_PARAMS(QP_INT(id))),
                     STORE_ROW);
    assert_int_equal(q_any(s, "SELECT 1 FROM qp WHERE id = ?", Q_PARAMS(QP_INT(id + 99))), STORE_DONE);
}

ON_BOTH_BACKENDS(params, false, check_params)

/* ---- the shared shapes: filters, visibility, voids, lists by id -------- */

struct qs_row {
    int64_t id;
    char t[8];
};

Q_READER(read_qs, struct qs_row, id, t)

enum store_rc qs_of_n(struct store *s, int64_t id, void (*fn)(void *arg, const struct qs_row *r), void *arg);
Q_LIST_OF_ID(qs_of_n, struct qs_row, read_qs, "SELECT id, t FROM qs WHERE n = ? ORDER BY id")

static void add_qs_id(void *arg, const struct qs_row *r)
{
    int64_t *sum = arg;
    *sum = *sum * 10 + r->id;
}

enum qs_voidable { QS_WITH_UPDATED, QS_AS_IS };

static enum store_rc qs_void(struct store *s, int kind, int64_t id, int64_t now)
{
    static const struct q_void_sql sql[] = {
        [QS_WITH_UPDATED] = Q_VOID_SQL("qs", ", n = 0"),
        [QS_AS_IS] = Q_VOID_SQL_ONLY("qs"),
    };
    return Q_EXEC_VOID_OF(s, sql, kind, id, "mistake", 0, now);
}

static void check_shapes(struct store *s)
{
    exec_ok(s, "CREATE TABLE qs (id INTEGER PRIMARY KEY, n INTEGER, t TEXT, r REAL, authority_id INTEGER, "
               "school_id INTEGER, voided_at INTEGER, voided_by INTEGER, void_reason TEXT, updated_at INTEGER)");
    exec_ok(s, "INSERT INTO qs (id, n, t, authority_id, school_id, updated_at) VALUES "
               "(1, 5, 'Ab%', 1, 10, 0), (2, 5, 'abc', 2, 20, 0), (3, 6, 'x_y', 3, 30, 0)");
    /* A list by one id. */
    int64_t ids = 0;
    assert_int_equal(qs_of_n(s, 5, add_qs_id, &ids), STORE_OK);
    assert_int_equal(ids, 12);
    /* A filter that may be off takes its value twice; a count. */
    int64_t n = -1;
    const char *sql = "SELECT count(*) FROM qs WHERE (? = 0 OR n = ?)";
    assert_int_equal(q_count(s, sql, Q_PARAMS(QP_INT_TWICE(0)), &n), STORE_OK);
    assert_int_equal(n, 3);
    assert_int_equal(q_count(s, sql, Q_PARAMS(QP_INT_TWICE(6)), &n), STORE_OK);
    assert_int_equal(n, 1);
    assert_int_equal(q_count(s, "SELECT count(*) FROM qs WHERE (? = '' OR t = ?)", Q_PARAMS(QP_TEXT_TWICE("abc")),
                             &n), STORE_OK);
    assert_int_equal(n, 1);
    /* A figure not recorded (-1) is NULL. */
    assert_int_equal(q_run(s, "UPDATE qs SET n = ?, r = ? WHERE id = 3",
                           Q_PARAMS(QP_NONNEG_INT(-1), QP_NONNEG_REAL(2.5))), STORE_OK);
    assert_int_equal(q_any(s, "SELECT 1 FROM qs WHERE id = ? AND n IS NULL AND r = 2.5", Q_PARAMS(QP_INT(3))),
                     STORE_ROW);
    assert_int_equal(q_run(s, "UPDATE qs SET n = ?, r = ? WHERE id = 3", Q_PARAMS(QP_NONNEG_INT(0), QP_NONNEG_REAL(-1))),
                     STORE_OK);
    assert_int_equal(q_any(s, "SELECT 1 FROM qs WHERE id = ? AND n = 0 AND r IS NULL", Q_PARAMS(QP_INT(3))),
                     STORE_ROW);
    /* A name search: off for no name; % and _ matched as themselves. */
    const char *like = "SELECT count(*) FROM qs WHERE (? = '' OR lower(t) LIKE ? ESCAPE '\\')";
    struct store_stmt *st = store_prepare(s, like);
    assert_int_equal(q_bind_like_filter(st, 1, NULL, 10), 3);
    assert_int_equal(store_get_int(st, &n), STORE_OK);
    assert_int_equal(n, 3);
    st = store_prepare(s, like);
    assert_int_equal(q_bind_like_filter(st, 1, "B%", 10), 3);
    assert_int_equal(store_get_int(st, &n), STORE_OK);
    assert_int_equal(n, 1);
    st = store_prepare(s, like);
    assert_int_equal(q_bind_like_filter(st, 1, "X_", 10), 3);
    assert_int_equal(store_get_int(st, &n), STORE_OK);
    assert_int_equal(n, 1);
    st = store_prepare(s, like);
    assert_int_equal(q_bind_like_filter(st, 1, "%%%%%%", 2), -1);   /* longer than any name */
    assert_int_equal(q_bind_like_filter(st, -1, "a", 10), -1);      /* a refusal goes on */
    store_done(st);
    /* What the viewer may see, among the parameters. */
    const char *vis_sql = "SELECT count(*) FROM qs WHERE n >= ? AND " VIS_FILTER("authority_id", "school_id");
    struct visibility v;
    memset(&v, 0, sizeof v);
    v.nauthorities = 1;
    v.authority_ids[0] = 2;
    v.nschools = 1;
    v.school_ids[0] = 30;
    assert_int_equal(q_count(s, vis_sql, Q_PARAMS(QP_INT(0), QP_VIS(&v)), &n), STORE_OK);
    assert_int_equal(n, 2);
    v.all = true;
    assert_int_equal(q_count(s, vis_sql, Q_PARAMS(QP_INT(0), QP_VIS(&v)), &n), STORE_OK);
    assert_int_equal(n, 3);
    /* More than the slots: refused, nothing run. */
    v.all = false;
    v.nauthorities = VIS_AUTH_SLOTS + 1;
    assert_int_equal(q_count(s, vis_sql, Q_PARAMS(QP_INT(0), QP_VIS(&v)), &n), STORE_ERROR);
    assert_int_equal(n, 0);
    ids = 0;
    assert_int_equal(q_rows(s, "SELECT id, t FROM qs WHERE " VIS_FILTER("authority_id", "school_id"),
                            Q_PARAMS(QP_VIS(&v)), read_qs, &(struct qs_row){0}), STORE_ERROR);
    st = store_prepare(s, vis_sql);
    assert_int_equal(q_bind_params(st, 1, Q_PARAMS(QP_INT(0), QP_VIS(&v), QP_INT(1))), -1);
    store_done(st);
    /* Voids: updated_at too or the row as it was; done once; a kind past the list refused. */
    assert_int_equal(qs_void(s, QS_WITH_UPDATED, 1, 100), STORE_OK);
    assert_int_equal(qs_void(s, QS_WITH_UPDATED, 1, 101), STORE_DONE);
    assert_int_equal(qs_void(s, QS_AS_IS, 2, 100), STORE_OK);
    assert_int_equal(qs_void(s, 2, 3, 100), STORE_ERROR);
    assert_int_equal(qs_void(s, -1, 3, 100), STORE_ERROR);
    /* A void that leaves the row as it was does not hang on the time. */
    assert_int_equal(qs_void(s, QS_AS_IS, 3, 0), STORE_OK);
    assert_int_equal(q_count(s, "SELECT count(*) FROM qs WHERE id = ? AND voided_at = 0", Q_PARAMS(QP_INT(3)), &n),
                     STORE_OK);
    assert_int_equal(n, 1);
    assert_int_equal(q_run(s, "UPDATE qs SET voided_at = NULL WHERE id = ?", Q_PARAMS(QP_INT(3))), STORE_OK);
    assert_int_equal(q_count(s, "SELECT count(*) FROM qs WHERE id = ? AND voided_at = 100 AND voided_by IS NULL "
                                "AND void_reason = 'mistake' AND updated_at = 100 AND n = 0", Q_PARAMS(QP_INT(1)), &n),
                     STORE_OK);
    assert_int_equal(n, 1);
    assert_int_equal(q_count(s, "SELECT count(*) FROM qs WHERE id = ? AND voided_at = 100 AND updated_at = 0 "
                                "AND n = 5", Q_PARAMS(QP_INT(2)), &n), STORE_OK);
    assert_int_equal(n, 1);
    assert_int_equal(q_count(s, "SELECT count(*) FROM qs WHERE voided_at IS NULL AND id > ?", Q_PARAMS(QP_INT(0)), &n),
                     STORE_OK);
    assert_int_equal(n, 1);
}

ON_BOTH_BACKENDS(shapes, false, check_shapes)

/* ---- rows counted into groups in C (store/q_groups.h) ------------------- */

struct grp {
    char key[8];
    int64_t k2, n;
};

static uint64_t grp_hash(const void *g)
{
    const struct grp *k = g;
    return q_hash_end(q_hash_int(q_hash_str(Q_HASH_START, k->key), k->k2));
}

static bool grp_same(const void *x, const void *y)
{
    const struct grp *a = x, *b = y;
    return a->k2 == b->k2 && !strcmp(a->key, b->key);
}

static int grp_cmp(const void *x, const void *y)
{
    const struct grp *a = x, *b = y;
    int c = strcmp(a->key, b->key);
    return c ? c : (a->k2 > b->k2) - (a->k2 < b->k2);
}

static void test_groups(void **state)
{
    (void)state;
    struct q_groups t = Q_GROUPS(struct grp, grp_hash, grp_same);
    /* Enough keys to grow the index and the array several times. */
    for (int round = 0; round < 3; round++) {
        for (int i = 0; i < 1000; i++) {
            struct grp k;
            memset(&k, 0, sizeof k);
            snprintf(k.key, sizeof k.key, "k%d", i % 500);
            k.k2 = i / 500;
            bool added;
            size_t g = q_groups_find(&t, &k, &added);
            assert_true(g != SIZE_MAX);
            assert_int_equal(added, round == 0);
            ((struct grp *)t.g)[g].n++;
        }
    }
    assert_int_equal(t.n, 1000);
    /* Indexes stay: the first seen is first. */
    assert_string_equal(((struct grp *)t.g)[0].key, "k0");
    q_groups_sort(&t, grp_cmp);
    const struct grp *g = t.g;
    for (size_t i = 0; i + 1 < t.n; i++)
        assert_true(grp_cmp(&g[i], &g[i + 1]) < 0);
    for (size_t i = 0; i < t.n; i++)
        assert_int_equal(g[i].n, 3);
    /* Found again after the sort (the index is made anew). */
    struct grp k;
    memset(&k, 0, sizeof k);
    snprintf(k.key, sizeof k.key, "k7");
    k.k2 = 1;
    bool added = true;
    size_t at = q_groups_find(&t, &k, &added);
    assert_false(added);
    assert_string_equal(g[at].key, "k7");
    assert_int_equal(g[at].k2, 1);
    q_groups_free(&t);
    assert_null(t.g);
    assert_int_equal(t.n, 0);
}

ON_BOTH_BACKENDS(after_commit, false, check_after_commit)

/* ---- the two schemas agree -------------------------------------------- */

struct schema {
    char *text;   /* one line per table column, view and trigger, sorted */
    size_t len, cap;
};

static void add_line(struct schema *sc, const char *line)
{
    size_t n = strlen(line);
    if (sc->len + n + 2 > sc->cap) {
        sc->cap = (sc->cap + n + 2) * 2;
        sc->text = realloc(sc->text, sc->cap);
        assert_non_null(sc->text);
    }
    memcpy(sc->text + sc->len, line, n);
    sc->len += n;
    sc->text[sc->len++] = '\n';
    sc->text[sc->len] = '\0';
}

/* SQLite's declared types and PostgreSQL's, folded to one rough kind.
 * SQLite's INTEGER and REAL hold 64 bits: PostgreSQL's integer and real
 * (32) are their own kinds, so a migration that gave one fails here. */
static const char *rough_type(const char *t, bool pg)
{
    if (pg ? !strcmp(t, "bigint") : !strcasecmp(t, "INTEGER"))
        return "int";
    if (!strcasecmp(t, "TEXT"))
        return "text";
    if (pg ? !strcmp(t, "double precision") : !strcasecmp(t, "REAL"))
        return "real";
    if (pg ? !strcmp(t, "bytea") : !strcasecmp(t, "BLOB"))
        return "blob";
    return t;
}

struct collect {
    struct schema *sc;
    const char *kind;
    bool pg;
};

static void take_line(struct store_stmt *st, void *arg)
{
    struct collect *c = arg;
    char line[512];
    if (strcmp(c->kind, "column") == 0)
        snprintf(line, sizeof line, "column %s.%03lld %s %s", store_col_text(st, 0),
                 (long long)store_col_int(st, 1), store_col_text(st, 2),
                 rough_type(store_col_text(st, 3), c->pg));
    else
        snprintf(line, sizeof line, "%s %s", c->kind, store_col_text(st, 0));
    add_line(c->sc, line);
}

static void read_schema(struct store *s, struct schema *sc)
{
    bool pg = strcmp(store_backend_name(s), "postgresql") == 0;
    struct collect cols = {sc, "column", pg}, views = {sc, "view", pg}, trigs = {sc, "trigger", pg};
    const char *col_sql = pg
        ? "SELECT table_name, ordinal_position, column_name, data_type FROM information_schema.columns "
          "WHERE table_schema = current_schema() AND table_name IN (SELECT tablename FROM pg_catalog.pg_tables "
          "WHERE schemaname = current_schema()) ORDER BY 1, 2"
        : "SELECT m.name, p.cid + 1, p.name, p.type FROM sqlite_schema m, pragma_table_info(m.name) p "
          "WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite%' ORDER BY 1, 2";
    assert_int_equal(store_each_row(store_prepare(s, col_sql), take_line, &cols), STORE_OK);
    const char *view_sql = pg
        ? "SELECT viewname FROM pg_catalog.pg_views WHERE schemaname = current_schema() ORDER BY 1"
        : "SELECT name FROM sqlite_schema WHERE type = 'view' ORDER BY 1";
    assert_int_equal(store_each_row(store_prepare(s, view_sql), take_line, &views), STORE_OK);
    const char *trig_sql = pg
        ? "SELECT DISTINCT trigger_name FROM information_schema.triggers "
          "WHERE trigger_schema = current_schema() ORDER BY 1"
        : "SELECT name FROM sqlite_schema WHERE type = 'trigger' ORDER BY 1";
    assert_int_equal(store_each_row(store_prepare(s, trig_sql), take_line, &trigs), STORE_OK);
}

/* A new SQLite file and PostgreSQL database, both migrated (the test
 * skipped without a PostgreSQL). */
static void migrate_both(struct fix **a, struct fix **b)
{
    if (!pg_url()) {
        pg_reason();
        skip();
    }
    *a = open_fix(SQLITE);
    *b = open_fix(PG);
    migrate((*a)->s);
    migrate((*b)->s);
}

static void test_schemas_agree(void **state)
{
    (void)state;
    struct fix *a, *b;
    migrate_both(&a, &b);
    assert_int_equal(store_schema_version(a->s), store_schema_version(b->s));

    /* The same migrations, by number and name. */
    struct schema ma = {0}, mb = {0};
    struct collect ca = {&ma, "migration", false}, cb = {&mb, "migration", true};
    const char *mig_sql = "SELECT version || ' ' || name FROM schema_migrations ORDER BY version";
    assert_int_equal(store_each_row(store_prepare(a->s, mig_sql), take_line, &ca), STORE_OK);
    assert_int_equal(store_each_row(store_prepare(b->s, mig_sql), take_line, &cb), STORE_OK);
    assert_string_equal(ma.text, mb.text);

    struct schema sa = {0}, sb = {0};
    read_schema(a->s, &sa);
    read_schema(b->s, &sb);
    assert_true(sa.len > 1000);  /* it did read something */
    if (strcmp(sa.text, sb.text) != 0) {
        /* Name the first line that differs. */
        const char *x = sa.text, *y = sb.text;
        while (*x && *x == *y)
            x++, y++;
        while (x > sa.text && x[-1] != '\n')
            x--, y--;
        fail_msg("schemas differ at:\n  sqlite:     %.*s\n  postgresql: %.*s", (int)strcspn(x, "\n"), x,
                 (int)strcspn(y, "\n"), y);
    }
    free(ma.text);
    free(mb.text);
    free(sa.text);
    free(sb.text);
    close_fix(a);
    close_fix(b);
}

/* ---- copying a database (store_copy.h) -------------------------------- */

struct rows {
    struct schema sc;
    const struct store_table *t;
};

static enum store_rc take_values(void *arg, const char *const *vals)
{
    struct rows *c = arg;
    const struct store_table *t = c->t;
    char line[512] = "";
    size_t n = 0;
    for (int i = 0; i < t->ncols && n < sizeof line; i++)
        n += (size_t)snprintf(line + n, sizeof line - n, "%s%s", i ? "|" : "", vals[i] ? vals[i] : "\\N");
    add_line(&c->sc, line);
    return STORE_OK;
}

/* t's rows on s as canonical text, one line a row. */
static char *rows_text(struct store *s, const struct store_table *t)
{
    struct rows c = {.t = t};
    assert_int_equal(store_table_rows(s, t, take_values, &c), STORE_OK);
    return c.sc.text ? c.sc.text : strdup("");
}

static const struct store_table *table(const struct store_catalogue *c, const char *name)
{
    for (size_t i = 0; i < c->n; i++)
        if (strcmp(c->t[i].name, name) == 0)
            return &c->t[i];
    fail_msg("no table %s", name);
    return NULL;
}

static enum store_rc load_each(void *arg, const char *const *vals)
{
    return store_loader_add(arg, vals);
}

static size_t position(const struct store_catalogue *c, const char *name)
{
    return (size_t)(table(c, name) - c->t);
}

static void test_copy(void **state)
{
    (void)state;
    struct fix *a, *b;
    migrate_both(&a, &b);
    assert_int_equal(store_latest_version(a->s), store_schema_version(a->s));
    assert_int_equal(store_latest_version(b->s), store_schema_version(b->s));

    /* Values whose text differs between the backends unless made
     * canonical: reals (SQLite's own text keeps 15 digits; a negative zero
     * it stores as the integer 0), 64-bit times, NULLs, UTF-8, and text
     * keys that sort by code point. */
    exec_ok(a->s, "INSERT INTO authorities (id, la_code, name, created_at, updated_at) "
                  "VALUES (7, '822', 'Bedford – Ŵ', 4102444800, 4102444801)");
    exec_ok(a->s, "INSERT INTO schools (id, authority_id, urn, name, phase, pupils_on_roll, fsm_pct, sen_pct, "
                  "created_at, updated_at) VALUES (40, 7, '100001', 'Oak', 'primary', NULL, 0.1, 1.0 / 3, 1, 1), "
                  "(41, 7, '100002', 'Élan \"quoted\" | bar', 'primary', 210, -0.0, NULL, 2, 2), "
                  "(9, 7, '100003', '', 'secondary', 0, 12.5, NULL, 3, 3)");
    /* Bound, not parsed by SQLite (its parser's long double is a double
     * under valgrind). */
    struct store_stmt *st = store_prepare(a->s, "UPDATE schools SET sen_pct = ? WHERE id = 41");
    store_bind_double(st, 1, 1e-300);
    assert_int_equal(store_exec_done(st), STORE_OK);
    exec_ok(a->s, "INSERT INTO login_throttle (key, updated_at) VALUES ('a', 1), ('B', 2), ('é', 3), ('Z', 4), "
                  "('_', 5)");

    char err[256] = "";
    struct store_catalogue ca, cb;
    if (store_catalogue_read(a->s, &ca, err, sizeof err) != STORE_OK ||
        store_catalogue_read(b->s, &cb, err, sizeof err) != STORE_OK)
        fail_msg("catalogue: %s", err);
    if (!store_catalogue_same(&ca, &cb, err, sizeof err))
        fail_msg("catalogues differ: %s", err);
    bool same = false;
    assert_int_equal(store_migrations_same(a->s, b->s, &same, err, sizeof err), STORE_OK);
    assert_true(same);
    /* A table comes after those it references. */
    assert_true(position(&cb, "authorities") < position(&cb, "schools"));
    assert_true(position(&ca, "schools") < position(&ca, "pupils"));
    const struct store_table *sch = table(&cb, "schools");
    assert_string_equal(sch->identity, "id");
    assert_string_equal(table(&ca, "schools")->identity, "");  /* SQLite's rowid needs none */
    assert_false(store_can_load(a->s));
    assert_true(store_can_load(b->s));

    /* Loaded with their own triggers off (a school's insert would bump
     * the dashboard's generation), in one transaction. */
    const char *names[] = {"authorities", "schools", "login_throttle"};
    assert_int_equal(store_begin_write(b->s), STORE_OK);
    for (size_t i = 0; i < 3; i++) {
        const struct store_table *t = table(&cb, names[i]);
        assert_int_equal(store_table_triggers(b->s, t, false), STORE_OK);
        struct store_loader *l = store_loader_open(b->s, t);
        assert_non_null(l);
        assert_int_equal(store_table_rows(a->s, t, load_each, l), STORE_OK);
        assert_int_equal(store_loader_close(l), STORE_OK);
        assert_int_equal(store_table_triggers(b->s, t, true), STORE_OK);
        assert_int_equal(store_identity_follow(b->s, t), STORE_OK);
    }
    assert_int_equal(store_end_write(b->s, STORE_OK), STORE_OK);

    for (size_t i = 0; i < 3; i++) {
        char *x = rows_text(a->s, table(&ca, names[i])), *y = rows_text(b->s, table(&cb, names[i]));
        assert_string_equal(x, y);
        free(x);
        free(y);
    }
    char *y = rows_text(b->s, sch);
    /* The last column is the establishment number (0032): empty, not NULL. */
    assert_string_equal(y, "9|7|100003||secondary|0|12.5|\\N|0|3|3|open|||\\N|\\N|\n"
                           "40|7|100001|Oak|primary|\\N|0.10000000000000001|0.33333333333333331|0|1|1|open|||\\N|\\N|\n"
                           "41|7|100002|Élan \"quoted\" | bar|primary|210|0|1e-300|0|2|2|open|||"
                           "\\N|\\N|\n");
    free(y);
    y = rows_text(b->s, table(&cb, "login_throttle"));
    assert_string_equal(y, "B|0|0|0|2\nZ|0|0|0|4\n_|0|0|0|5\na|0|0|0|1\né|0|0|0|3\n");
    free(y);
    int64_t n = 0;
    assert_int_equal(store_get_int(store_prepare(b->s, "SELECT n FROM dash_generation"), &n), STORE_OK);
    assert_int_equal(n, 1);
    /* The sequence follows the copied ids: a new school takes 42. */
    exec_ok(b->s, "INSERT INTO schools (authority_id, urn, name, phase, created_at, updated_at) "
                  "VALUES (7, '100004', 'New', 'primary', 5, 5)");
    assert_int_equal(store_get_int(store_prepare(b->s, "SELECT max(id) FROM schools"), &n), STORE_OK);
    assert_int_equal(n, 42);

    /* A value SQLite kept that is not a number stays as it is (it cannot
     * pass for 0), and PostgreSQL refuses it. */
    exec_ok(a->s, "UPDATE schools SET fsm_pct = 'n/a' WHERE id = 9");
    y = rows_text(a->s, table(&ca, "schools"));
    assert_non_null(strstr(y, "|n/a|"));
    free(y);
    assert_int_equal(store_begin_write(b->s), STORE_OK);
    assert_int_equal(store_table_clear(b->s, sch), STORE_OK);
    struct store_loader *l = store_loader_open(b->s, sch);
    (void)store_table_rows(a->s, sch, load_each, l);  /* the rows fit one batch, written at the close */
    assert_int_not_equal(store_loader_close(l), STORE_OK);
    store_rollback(b->s);
    assert_int_equal(store_table_count(b->s, sch, &n), STORE_OK);
    assert_int_equal(n, 4);

    store_catalogue_free(&ca);
    store_catalogue_free(&cb);
    close_fix(a);
    close_fix(b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sqlite_interface),
        cmocka_unit_test(test_pg_interface),
        cmocka_unit_test(test_sqlite_places),
        cmocka_unit_test(test_pg_places),
        cmocka_unit_test(test_pg_pool),
        cmocka_unit_test(test_sqlite_generation),
        cmocka_unit_test(test_pg_generation),
        cmocka_unit_test(test_unrecorded),
        cmocka_unit_test(test_pg_aside_all_or_nothing),
        cmocka_unit_test(test_pg_writers_side_by_side),
        cmocka_unit_test(test_pg_side_by_side_after_alone),
        cmocka_unit_test(test_sqlite_map),
        cmocka_unit_test(test_pg_map),
        cmocka_unit_test(test_sqlite_params),
        cmocka_unit_test(test_pg_params),
        cmocka_unit_test(test_sqlite_shapes),
        cmocka_unit_test(test_pg_shapes),
        cmocka_unit_test(test_groups),
        cmocka_unit_test(test_sqlite_after_commit),
        cmocka_unit_test(test_pg_after_commit),
        cmocka_unit_test(test_schemas_agree),
        cmocka_unit_test(test_copy),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
