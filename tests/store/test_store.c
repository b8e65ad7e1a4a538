/* Tests for the SQLite store (src/store/store_sqlite.c, store_pool.c).
 * Each test gets a fresh database file in its own mkdtemp directory. */
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
#include <sys/stat.h>

#include "lib/embedded.h"
#include "lib/count.h"
#include "store/store.h"
#include "store/store_internal.h"

/* ---- fake embedded files ---------------------------------------------
 * store_migrate() reads embedded_files[].  The definitions below are weak:
 * linked alone (as in the one-line build) they are what store_migrate()
 * sees; linked with the generated embedded.o (the Makefile) the real ones
 * win.  The fake-migration tests therefore pass their lists explicitly to
 * store_migrate_files(), and test_migrate_embedded works with either. */

#define MIG(file) "src/store/migrations/sqlite/" file
#define FILE_ENTRY(name, text) {name, (const unsigned char *)(text), sizeof(text) - 1}

#define OK_FILES \
    FILE_ENTRY(MIG("0001_first.sql"), \
               "-- a comment\nCREATE TABLE t1 (id INTEGER PRIMARY KEY, v TEXT NOT NULL);\n"), \
    FILE_ENTRY(MIG("0002_second.sql"), \
               "CREATE TABLE t2 (id INTEGER PRIMARY KEY, t1_id INTEGER REFERENCES t1(id));\n" \
               "INSERT INTO t1 (v) VALUES ('seed');\n"), \
    FILE_ENTRY("src/store/migrations/postgres/0003_other_backend.sql", "this is not SQLite;"), \
    FILE_ENTRY("templates/layout.html", "<html></html>")

static const struct embedded_file ok_files[] = {OK_FILES};

/* 0002 fails half-way through: its CREATE TABLE must be rolled back, and
 * 0003 must not run. */
static const struct embedded_file broken_files[] = {
    FILE_ENTRY(MIG("0001_first.sql"),
               "CREATE TABLE t1 (id INTEGER PRIMARY KEY, v TEXT NOT NULL);"),
    FILE_ENTRY(MIG("0002_broken.sql"),
               "CREATE TABLE half (id INTEGER);\nINSERT INTO half VALUES (1);\n"
               "INSERT INTO nowhere VALUES (1);\n"),
    FILE_ENTRY(MIG("0003_after.sql"), "CREATE TABLE t3 (id INTEGER);"),
};

__attribute__((weak)) const struct embedded_file embedded_files[] = {OK_FILES};
__attribute__((weak)) const size_t embedded_count = COUNT(embedded_files);

__attribute__((weak)) const struct embedded_file *embedded_find(const char *name)
{
    for (size_t i = 0; i < embedded_count; i++)
        if (strcmp(embedded_files[i].name, name) == 0)
            return &embedded_files[i];
    return NULL;
}


/* ---- fixture ----------------------------------------------------------- */

struct fix {
    char dir[64];
    char path[128];
    char url[160];
    struct store *s;
};

static void remove_db(const char *path)
{
    char p[200];
    unlink(path);
    snprintf(p, sizeof p, "%s-wal", path);
    unlink(p);
    snprintf(p, sizeof p, "%s-shm", path);
    unlink(p);
    snprintf(p, sizeof p, "%s-journal", path);
    unlink(p);
}

static int setup(void **state)
{
    struct fix *f = calloc(1, sizeof *f);
    if (!f)
        return -1;
    snprintf(f->dir, sizeof f->dir, "/tmp/tas_store_XXXXXX");
    if (!mkdtemp(f->dir)) {
        free(f);
        return -1;
    }
    snprintf(f->path, sizeof f->path, "%s/test.db", f->dir);
    snprintf(f->url, sizeof f->url, "sqlite:%s", f->path);
    char err[256];
    f->s = store_open(f->url, err, sizeof err);
    if (!f->s) {
        fprintf(stderr, "store_open: %s\n", err);
        rmdir(f->dir);
        free(f);
        return -1;
    }
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fix *f = *state;
    store_close(f->s);
    remove_db(f->path);
    rmdir(f->dir);
    free(f);
    return 0;
}

/* Runs one statement with no parameters. */
static enum store_rc exec_sql(struct store *s, const char *sql)
{
    struct store_stmt *st = store_prepare(s, sql);
    if (!st)
        return STORE_ERROR;
    enum store_rc rc = store_exec_stmt(st);
    store_done(st);
    return rc;
}

/* First column of the first row as an integer, or -999 on any failure. */
static int64_t query_int(struct store *s, const char *sql)
{
    struct store_stmt *st = store_prepare(s, sql);
    if (!st)
        return -999;
    int64_t v = store_step(st) == STORE_ROW ? store_col_int(st, 0) : -999;
    store_done(st);
    return v;
}

static void query_text(struct store *s, const char *sql, char *out, size_t outsz)
{
    struct store_stmt *st = store_prepare(s, sql);
    assert_non_null(st);
    assert_int_equal(store_step(st), STORE_ROW);
    store_col_copy(st, 0, out, outsz);
    store_done(st);
}

static bool table_exists(struct store *s, const char *name)
{
    struct store_stmt *st = store_prepare(s,
        "SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name = ?");
    assert_non_null(st);
    store_bind_text(st, 1, name);
    assert_int_equal(store_step(st), STORE_ROW);
    bool yes = store_col_int(st, 0) == 1;
    store_done(st);
    return yes;
}

static void make_tables(struct store *s)
{
    assert_int_equal(exec_sql(s, "CREATE TABLE schools (id INTEGER PRIMARY KEY, name TEXT NOT NULL)"),
                     STORE_OK);
    assert_int_equal(exec_sql(s,
        "CREATE TABLE pupils (id INTEGER PRIMARY KEY,"
        " school_id INTEGER NOT NULL REFERENCES schools(id),"
        " upn TEXT NOT NULL UNIQUE, name TEXT, note TEXT, score REAL)"), STORE_OK);
    assert_int_equal(exec_sql(s, "INSERT INTO schools (id, name) VALUES (1, 'Hill Primary')"),
                     STORE_OK);
}

static enum store_rc add_pupil(struct store *s, int64_t school, const char *upn, const char *name)
{
    struct store_stmt *st = store_prepare(s,
        "INSERT INTO pupils (school_id, upn, name) VALUES (?, ?, ?)");
    assert_non_null(st);
    store_bind_int(st, 1, school);
    store_bind_text(st, 2, upn);
    store_bind_text(st, 3, name);
    enum store_rc rc = store_exec_stmt(st);
    store_done(st);
    return rc;
}

/* ---- opening ----------------------------------------------------------- */

static void test_open_settings(void **state)
{
    struct fix *f = *state;
    char v[32];
    query_text(f->s, "PRAGMA journal_mode", v, sizeof v);
    assert_string_equal(v, "wal");
    assert_int_equal(query_int(f->s, "PRAGMA foreign_keys"), 1);
    assert_int_equal(query_int(f->s, "PRAGMA synchronous"), 2);  /* FULL */
    assert_int_equal(query_int(f->s, "PRAGMA secure_delete"), 1);
    assert_int_equal(query_int(f->s, "PRAGMA trusted_schema"), 0);
    assert_int_equal(query_int(f->s, "PRAGMA busy_timeout"), 5000);
    assert_string_equal(store_backend_name(f->s), "sqlite");

    /* Children's data: the files are not readable by others. */
    assert_int_equal(exec_sql(f->s, "CREATE TABLE x (a)"), STORE_OK);
    struct stat sb;
    assert_int_equal(stat(f->path, &sb), 0);
    assert_int_equal(sb.st_mode & 077, 0);
    char wal[160];
    snprintf(wal, sizeof wal, "%s-wal", f->path);
    assert_int_equal(stat(wal, &sb), 0);
    assert_int_equal(sb.st_mode & 077, 0);

    /* A bare path works too, and sees the same (persistent) WAL mode. */
    char err[256];
    struct store *s2 = store_open(f->path, err, sizeof err);
    assert_non_null(s2);
    query_text(s2, "PRAGMA journal_mode", v, sizeof v);
    assert_string_equal(v, "wal");
    store_close(s2);
}

static void test_open_errors(void **state)
{
    (void)state;
    char err[256];
    static const char *const bad[] = {
        "sqlite:/nonexistent-tas-dir/sub/x.db", "", "sqlite:", "postgres://localhost/tas",
    };
    for (size_t i = 0; i < COUNT(bad); i++) {
        err[0] = '\0';
        assert_null(store_open(bad[i], err, sizeof err));
        assert_true(err[0] != '\0');
        assert_null(strchr(err, '\n'));
    }
    assert_null(store_open(NULL, err, sizeof err));

    /* :memory: cannot be WAL and is allowed not to be. */
    struct store *m = store_open("sqlite::memory:", err, sizeof err);
    assert_non_null(m);
    assert_int_equal(query_int(m, "SELECT 40 + 2"), 42);
    store_close(m);
    store_close(NULL);
}

/* ---- constraints and binding ------------------------------------------ */

static void test_foreign_keys(void **state)
{
    struct fix *f = *state;
    make_tables(f->s);
    assert_int_equal(add_pupil(f->s, 1, "A1", "Ann"), STORE_OK);
    assert_int_equal(add_pupil(f->s, 999, "A2", "Ben"), STORE_CONSTRAINT);
    assert_non_null(strstr(store_errmsg(f->s), "FOREIGN KEY"));
    /* Deleting a referenced school is refused too. */
    assert_int_equal(exec_sql(f->s, "DELETE FROM schools WHERE id = 1"), STORE_CONSTRAINT);
    assert_int_equal(query_int(f->s, "SELECT count(*) FROM pupils"), 1);
}

static void test_unique_and_not_null(void **state)
{
    struct fix *f = *state;
    make_tables(f->s);
    assert_int_equal(add_pupil(f->s, 1, "U1", "Ann"), STORE_OK);
    assert_int_equal(add_pupil(f->s, 1, "U1", "Other"), STORE_CONSTRAINT);
    assert_non_null(strstr(store_errmsg(f->s), "UNIQUE"));
    assert_int_equal(add_pupil(f->s, 1, NULL, "No UPN"), STORE_CONSTRAINT);  /* NOT NULL */
    assert_int_equal(query_int(f->s, "SELECT count(*) FROM pupils"), 1);
    /* The connection is fine afterwards. */
    assert_int_equal(add_pupil(f->s, 1, "U2", "Ben"), STORE_OK);
    assert_int_equal(store_changes(f->s), 1);
}

static void test_bind_verbatim(void **state)
{
    struct fix *f = *state;
    make_tables(f->s);
    static const char *const names[] = {
        "Robert'); DROP TABLE pupils;--",
        "O'Brien \"Bobby\" ? ?1 :x @y $z % _ \\ ` ; --",
        "Zo\xc3\xab \xc3\x93 S\xc3\xbailleabh\xc3\xa1in",
        "",
    };
    char upn[16];
    for (size_t i = 0; i < COUNT(names); i++) {
        snprintf(upn, sizeof upn, "V%zu", i);
        assert_int_equal(add_pupil(f->s, 1, upn, names[i]), STORE_OK);
    }
    assert_true(table_exists(f->s, "pupils"));
    assert_true(table_exists(f->s, "schools"));

    /* The value is copied at bind time: the caller's buffer may change
     * before the step. */
    char buf[32] = "Temporary Name";
    struct store_stmt *ins = store_prepare(f->s,
        "INSERT INTO pupils (school_id, upn, name) VALUES (1, 'T1', ?)");
    assert_non_null(ins);
    store_bind_text(ins, 1, buf);
    memset(buf, 'Z', sizeof buf - 1);
    assert_int_equal(store_exec_stmt(ins), STORE_OK);
    store_done(ins);
    char back[32];
    query_text(f->s, "SELECT name FROM pupils WHERE upn = 'T1'", back, sizeof back);
    assert_string_equal(back, "Temporary Name");
    for (size_t i = 0; i < COUNT(names); i++) {
        snprintf(upn, sizeof upn, "V%zu", i);
        struct store_stmt *st = store_prepare(f->s, "SELECT name FROM pupils WHERE upn = ?");
        assert_non_null(st);
        store_bind_text(st, 1, upn);
        assert_int_equal(store_step(st), STORE_ROW);
        assert_string_equal(store_col_text(st, 0), names[i]);
        assert_false(store_col_is_null(st, 0));
        assert_int_equal(store_step(st), STORE_DONE);
        store_done(st);
    }
    /* Looking a name up by value finds exactly that row. */
    struct store_stmt *st = store_prepare(f->s, "SELECT upn FROM pupils WHERE name = ?");
    assert_non_null(st);
    store_bind_text(st, 1, names[0]);
    assert_int_equal(store_step(st), STORE_ROW);
    assert_string_equal(store_col_text(st, 0), "V0");
    store_done(st);
}

static void test_null_handling(void **state)
{
    struct fix *f = *state;
    make_tables(f->s);
    struct store_stmt *st = store_prepare(f->s,
        "INSERT INTO pupils (school_id, upn, name, note, score) VALUES (?, ?, ?, ?, ?)");
    assert_non_null(st);
    store_bind_int(st, 1, 1);
    store_bind_text(st, 2, "N1");
    store_bind_text(st, 3, NULL);
    store_bind_null(st, 4);
    store_bind_double(st, 5, 2.5);
    assert_int_equal(store_exec_stmt(st), STORE_OK);
    store_done(st);

    st = store_prepare(f->s, "SELECT name, note, score, upn FROM pupils");
    assert_non_null(st);
    assert_int_equal(store_step(st), STORE_ROW);
    assert_true(store_col_is_null(st, 0));
    assert_true(store_col_is_null(st, 1));
    assert_string_equal(store_col_text(st, 0), "");
    assert_int_equal(store_col_int(st, 1), 0);
    char buf[8] = "junk";
    store_col_copy(st, 1, buf, sizeof buf);
    assert_string_equal(buf, "");
    assert_false(store_col_is_null(st, 2));
    assert_float_equal(store_col_double(st, 2), 2.5, 1e-12);
    assert_string_equal(store_col_text(st, 3), "N1");
    store_done(st);

    /* prepare hands back a statement with its bindings cleared. */
    st = store_prepare(f->s, "SELECT ?");
    assert_non_null(st);
    store_bind_text(st, 1, "left over");
    store_done(st);
    struct store_stmt *again = store_prepare(f->s, "SELECT ?");
    assert_ptr_equal(again, st);
    assert_int_equal(store_step(again), STORE_ROW);
    assert_true(store_col_is_null(again, 0));
    store_done(again);
}

static void test_col_copy_truncation(void **state)
{
    struct fix *f = *state;
    struct store_stmt *st = store_prepare(f->s, "SELECT ?");
    assert_non_null(st);
    store_bind_text(st, 1, "abcdef");
    assert_int_equal(store_step(st), STORE_ROW);
    char out[8];
    memset(out, 'X', sizeof out);
    store_col_copy(st, 0, out, 4);
    assert_string_equal(out, "abc");
    assert_int_equal(out[4], 'X');  /* nothing written past outsz */
    store_col_copy(st, 0, out, 7);  /* exact fit */
    assert_string_equal(out, "abcdef");
    store_col_copy(st, 0, out, 1);
    assert_string_equal(out, "");
    out[0] = 'Y';
    store_col_copy(st, 0, out, 0);  /* no room: untouched */
    assert_int_equal(out[0], 'Y');
    store_done(st);

    /* "a" + e-acute (2 bytes) + euro sign (3 bytes) */
    st = store_prepare(f->s, "SELECT ?");
    assert_non_null(st);
    store_bind_text(st, 1, "a\xc3\xa9\xe2\x82\xac");
    assert_int_equal(store_step(st), STORE_ROW);
    store_col_copy(st, 0, out, 3);  /* room for 2 bytes: "a" + half of e-acute */
    assert_string_equal(out, "a");
    store_col_copy(st, 0, out, 4);
    assert_string_equal(out, "a\xc3\xa9");
    store_col_copy(st, 0, out, 6);  /* 5 bytes: cuts the euro sign */
    assert_string_equal(out, "a\xc3\xa9");
    store_col_copy(st, 0, out, 7);
    assert_string_equal(out, "a\xc3\xa9\xe2\x82\xac");
    store_done(st);
}

/* ---- statements ---------------------------------------------------------- */

static void test_stmt_cache_reuse(void **state)
{
    struct fix *f = *state;
    struct store_stmt *a = store_prepare(f->s, "SELECT 1");
    assert_non_null(a);
    assert_int_equal(store_step(a), STORE_ROW);
    store_done(a);
    struct store_stmt *b = store_prepare(f->s, "SELECT 1");
    assert_ptr_equal(a, b);
    store_done(b);

    /* Keyed by content: the same text at another address is a hit. */
    char copy[] = "SELECT 1";
    struct store_stmt *c = store_prepare(f->s, copy);
    assert_ptr_equal(a, c);
    store_done(c);
    /* ...and a reused buffer with other text is not. */
    memcpy(copy, "SELECT 2", sizeof copy);
    struct store_stmt *d = store_prepare(f->s, copy);
    assert_non_null(d);
    assert_ptr_not_equal(a, d);
    assert_int_equal(store_step(d), STORE_ROW);
    assert_int_equal(store_col_int(d, 0), 2);
    store_done(d);

    /* Many distinct statements: the cache grows and keeps them all. */
    enum { N = 300 };
    struct store_stmt *first[N];
    char sql[64];
    for (int i = 0; i < N; i++) {
        snprintf(sql, sizeof sql, "SELECT %d + 0", i);
        first[i] = store_prepare(f->s, sql);
        assert_non_null(first[i]);
        assert_int_equal(store_step(first[i]), STORE_ROW);
        assert_int_equal(store_col_int(first[i], 0), i);
        store_done(first[i]);
    }
    for (int i = 0; i < N; i++) {
        snprintf(sql, sizeof sql, "SELECT %d + 0", i);
        struct store_stmt *st = store_prepare(f->s, sql);
        assert_ptr_equal(st, first[i]);
        assert_int_equal(store_step(st), STORE_ROW);
        assert_int_equal(store_col_int(st, 0), i);
        store_done(st);
    }
}

static void test_stmt_nested_same_sql(void **state)
{
    struct fix *f = *state;
    make_tables(f->s);
    assert_int_equal(exec_sql(f->s, "INSERT INTO schools (id, name) VALUES (2, 'B'), (3, 'C')"),
                     STORE_OK);
    static const char q[] = "SELECT id FROM schools ORDER BY id";
    struct store_stmt *outer = store_prepare(f->s, q);
    assert_non_null(outer);
    int pairs = 0;
    int64_t sum = 0;
    struct store_stmt *inner_seen = NULL;
    while (store_step(outer) == STORE_ROW) {
        int64_t o = store_col_int(outer, 0);
        struct store_stmt *inner = store_prepare(f->s, q);
        assert_non_null(inner);
        assert_ptr_not_equal(inner, outer);  /* never handed out twice */
        if (inner_seen)
            assert_ptr_equal(inner, inner_seen);  /* the second copy is reused */
        inner_seen = inner;
        while (store_step(inner) == STORE_ROW) {
            pairs++;
            sum += o * 10 + store_col_int(inner, 0);
        }
        store_done(inner);
    }
    store_done(outer);
    assert_int_equal(pairs, 9);
    assert_int_equal(sum, (10 + 20 + 30) * 3 + (1 + 2 + 3) * 3);

    /* Both copies are free again: two nested prepares reuse them, a third
     * makes a new one. */
    struct store_stmt *x = store_prepare(f->s, q);
    struct store_stmt *y = store_prepare(f->s, q);
    struct store_stmt *z = store_prepare(f->s, q);
    assert_true((x == outer && y == inner_seen) || (x == inner_seen && y == outer));
    assert_non_null(z);
    assert_true(z != x && z != y);
    store_done(x);
    store_done(y);
    store_done(z);
}

static void test_stmt_errors(void **state)
{
    struct fix *f = *state;
    assert_null(store_prepare(f->s, "SELEC 1"));
    assert_non_null(strstr(store_errmsg(f->s), "syntax error"));
    assert_null(store_prepare(f->s, "SELECT * FROM no_such_table"));
    assert_non_null(strstr(store_errmsg(f->s), "no such table"));
    /* A second statement would be silently ignored: refused. */
    assert_null(store_prepare(f->s, "SELECT 1; DELETE FROM schools"));
    assert_non_null(strstr(store_errmsg(f->s), "more than one"));
    assert_null(store_prepare(f->s, "   "));
    assert_null(store_prepare(f->s, NULL));
    /* A trailing semicolon or comment is fine. */
    struct store_stmt *st = store_prepare(f->s, "SELECT 3; -- three\n");
    assert_non_null(st);
    store_done(st);

    /* A failed bind makes the step fail rather than run with NULL. */
    st = store_prepare(f->s, "SELECT ?");
    assert_non_null(st);
    store_bind_int(st, 2, 7);
    assert_int_equal(store_step(st), STORE_ERROR);
    assert_non_null(strstr(store_errmsg(f->s), "parameter 2"));
    store_done(st);
    st = store_prepare(f->s, "SELECT ?");  /* and the next use is clean */
    store_bind_int(st, 1, 7);
    assert_int_equal(store_step(st), STORE_ROW);
    assert_int_equal(store_col_int(st, 0), 7);
    store_done(st);

    /* NULL statements are tolerated (a failed prepare not checked). */
    store_done(NULL);
    assert_int_equal(store_step(NULL), STORE_ERROR);
    assert_int_equal(store_exec_stmt(NULL), STORE_ERROR);
}

static void test_exec_and_changes(void **state)
{
    struct fix *f = *state;
    make_tables(f->s);
    assert_int_equal(add_pupil(f->s, 1, "C1", "a"), STORE_OK);
    assert_int_equal(add_pupil(f->s, 1, "C2", "b"), STORE_OK);
    assert_int_equal(add_pupil(f->s, 1, "C3", "c"), STORE_OK);
    struct store_stmt *st = store_prepare(f->s, "UPDATE pupils SET note = ? WHERE school_id = ?");
    assert_non_null(st);
    store_bind_text(st, 1, "seen");
    store_bind_int(st, 2, 1);
    assert_int_equal(store_exec_stmt(st), STORE_OK);
    store_done(st);
    assert_int_equal(store_changes(f->s), 3);
    /* RETURNING rows are stepped through by exec. */
    st = store_prepare(f->s, "DELETE FROM pupils WHERE upn <> ? RETURNING id");
    assert_non_null(st);
    store_bind_text(st, 1, "C1");
    assert_int_equal(store_exec_stmt(st), STORE_OK);
    store_done(st);
    assert_int_equal(query_int(f->s, "SELECT count(*) FROM pupils"), 1);
}

/* memmem is a GNU extension. */
static bool contains(const char *hay, size_t n, const char *needle)
{
    size_t k = strlen(needle);
    for (size_t i = 0; k <= n && i <= n - k; i++)
        if (memcmp(hay + i, needle, k) == 0)
            return true;
    return false;
}

/* secure_delete: a deleted name must not survive in the file. */
static void test_secure_delete(void **state)
{
    struct fix *f = *state;
    make_tables(f->s);
    static const char secret[] = "Qzxqv-Secret-Child-Name";
    assert_int_equal(add_pupil(f->s, 1, "S1", secret), STORE_OK);
    assert_int_equal(add_pupil(f->s, 1, "S2", "kept"), STORE_OK);
    assert_int_equal(query_int(f->s, "PRAGMA wal_checkpoint(TRUNCATE)"), 0);
    assert_int_equal(exec_sql(f->s, "DELETE FROM pupils WHERE upn = 'S1'"), STORE_OK);
    assert_int_equal(query_int(f->s, "PRAGMA wal_checkpoint(TRUNCATE)"), 0);

    FILE *fp = fopen(f->path, "rb");
    assert_non_null(fp);
    static char data[1 << 20];
    size_t n = fread(data, 1, sizeof data, fp);
    fclose(fp);
    assert_true(n > 0);
    assert_true(contains(data, n, "kept"));  /* the search works */
    assert_false(contains(data, n, secret));
}

/* ---- transactions ------------------------------------------------------ */

static void test_rollback_discards(void **state)
{
    struct fix *f = *state;
    make_tables(f->s);
    store_rollback(f->s);  /* nothing open: harmless */
    store_rollback(f->s);

    assert_int_equal(store_begin(f->s), STORE_OK);
    assert_int_equal(add_pupil(f->s, 1, "R1", "Ann"), STORE_OK);
    assert_int_equal(query_int(f->s, "SELECT count(*) FROM pupils"), 1);
    store_rollback(f->s);
    assert_int_equal(query_int(f->s, "SELECT count(*) FROM pupils"), 0);
    store_rollback(f->s);

    assert_int_equal(store_begin_write(f->s), STORE_OK);
    assert_int_equal(add_pupil(f->s, 1, "R2", "Ben"), STORE_OK);
    assert_int_equal(store_commit(f->s), STORE_OK);
    assert_int_equal(store_commit(f->s), STORE_ERROR);  /* nothing to commit */
    store_rollback(f->s);
    assert_int_equal(query_int(f->s, "SELECT count(*) FROM pupils"), 1);

    /* Visible to another connection only once committed. */
    char err[256];
    struct store *other = store_open(f->url, err, sizeof err);
    assert_non_null(other);
    assert_int_equal(store_begin(f->s), STORE_OK);
    assert_int_equal(add_pupil(f->s, 1, "R3", "Cat"), STORE_OK);
    assert_int_equal(query_int(other, "SELECT count(*) FROM pupils"), 1);
    assert_int_equal(store_commit(f->s), STORE_OK);
    assert_int_equal(query_int(other, "SELECT count(*) FROM pupils"), 2);
    store_close(other);
}

/* A transaction begun inside another is a savepoint: its rollback undoes
 * only its own writes, its commit leaves them to the outer transaction. */
static void test_nested_transactions(void **state)
{
    struct fix *f = *state;
    make_tables(f->s);
    assert_int_equal(store_begin_write(f->s), STORE_OK);
    assert_int_equal(add_pupil(f->s, 1, "N1", "Outer"), STORE_OK);
    assert_int_equal(store_begin_write(f->s), STORE_OK);          /* inner 1 */
    assert_int_equal(add_pupil(f->s, 1, "N2", "Kept"), STORE_OK);
    assert_int_equal(store_begin(f->s), STORE_OK);                /* inner 2 */
    assert_int_equal(add_pupil(f->s, 1, "N3", "Undone"), STORE_OK);
    store_rollback(f->s);                                         /* undoes N3 only */
    assert_int_equal(query_int(f->s, "SELECT count(*) FROM pupils"), 2);
    assert_int_equal(store_commit(f->s), STORE_OK);               /* inner 1 into outer */
    char err[256];
    struct store *other = store_open(f->url, err, sizeof err);
    assert_non_null(other);
    assert_int_equal(query_int(other, "SELECT count(*) FROM pupils"), 0);  /* not yet */
    assert_int_equal(store_commit(f->s), STORE_OK);               /* outer */
    assert_int_equal(query_int(other, "SELECT count(*) FROM pupils"), 2);
    store_close(other);

    /* Rolling back the outer transaction undoes committed inner work too. */
    assert_int_equal(store_begin_write(f->s), STORE_OK);
    assert_int_equal(store_begin_write(f->s), STORE_OK);
    assert_int_equal(add_pupil(f->s, 1, "N4", "Gone"), STORE_OK);
    assert_int_equal(store_commit(f->s), STORE_OK);
    store_rollback(f->s);
    assert_int_equal(query_int(f->s, "SELECT count(*) FROM pupils"), 2);
    assert_int_equal(store_commit(f->s), STORE_ERROR);            /* nothing open */
}

struct writer {
    const char *url;
    enum store_rc begin_rc, commit_rc;
    int done;  /* under lock */
    pthread_mutex_t lock;
};

static void *begin_write_thread(void *arg)
{
    struct writer *w = arg;
    char err[256];
    struct store *s = store_open(w->url, err, sizeof err);
    if (s) {
        w->begin_rc = store_begin_write(s);
        w->commit_rc = store_commit(s);
        store_close(s);
    }
    pthread_mutex_lock(&w->lock);
    w->done = 1;
    pthread_mutex_unlock(&w->lock);
    return NULL;
}

static int writer_done(struct writer *w)
{
    pthread_mutex_lock(&w->lock);
    int d = w->done;
    pthread_mutex_unlock(&w->lock);
    return d;
}

static void test_begin_immediate(void **state)
{
    struct fix *f = *state;
    make_tables(f->s);
    char err[256];

    /* Control: a deferred BEGIN takes no lock, so another writer can
     * start at once. */
    struct store *b = store_open(f->url, err, sizeof err);
    assert_non_null(b);
    assert_int_equal(store_begin(f->s), STORE_OK);
    assert_int_equal(store_begin_write(b), STORE_OK);
    assert_int_equal(store_commit(b), STORE_OK);
    store_rollback(f->s);

    /* begin_write takes the write lock at once, before writing anything:
     * another begin_write waits until it is released. */
    assert_int_equal(store_begin_write(f->s), STORE_OK);
    struct writer w = {.url = f->url, .begin_rc = STORE_ERROR, .commit_rc = STORE_ERROR};
    pthread_mutex_init(&w.lock, NULL);
    pthread_t t;
    assert_int_equal(pthread_create(&t, NULL, begin_write_thread, &w), 0);
    struct timespec ts = {0, 300 * 1000 * 1000};
    nanosleep(&ts, NULL);
    int early = writer_done(&w);
    assert_int_equal(store_commit(f->s), STORE_OK);
    pthread_join(t, NULL);
    pthread_mutex_destroy(&w.lock);
    assert_int_equal(early, 0);
    assert_int_equal(w.begin_rc, STORE_OK);
    assert_int_equal(w.commit_rc, STORE_OK);

    /* Why begin_write exists: a deferred transaction that read before
     * another connection committed cannot then write (STORE_BUSY at once,
     * no waiting helps). */
    assert_int_equal(store_begin(b), STORE_OK);
    assert_int_equal(query_int(b, "SELECT count(*) FROM pupils"), 0);
    assert_int_equal(add_pupil(f->s, 1, "B1", "Ann"), STORE_OK);
    assert_int_equal(add_pupil(b, 1, "B2", "Ben"), STORE_BUSY);
    store_rollback(b);
    assert_int_equal(add_pupil(b, 1, "B2", "Ben"), STORE_OK);
    store_close(b);
}

/* ---- migrations ---------------------------------------------------------- */

static void test_migrate_idempotent(void **state)
{
    struct fix *f = *state;
    char err[256];
    assert_int_equal(store_schema_version(f->s), -1);
    for (int round = 0; round < 2; round++) {
        err[0] = 'x';
        assert_int_equal(store_migrate_files(f->s, ok_files, COUNT(ok_files), err, sizeof err),
                         STORE_OK);
        assert_string_equal(err, "");
        assert_int_equal(store_schema_version(f->s), 2);
        /* 0002's INSERT ran once only. */
        assert_int_equal(query_int(f->s, "SELECT count(*) FROM t1"), 1);
    }
    assert_true(table_exists(f->s, "t2"));
    assert_int_equal(query_int(f->s, "SELECT count(*) FROM schema_migrations"), 2);
    struct store_stmt *st = store_prepare(f->s,
        "SELECT version, name, applied_at FROM schema_migrations ORDER BY version");
    assert_non_null(st);
    static const char *const names[] = {"first", "second"};
    time_t now = time(NULL);
    for (int i = 0; i < 2; i++) {
        assert_int_equal(store_step(st), STORE_ROW);
        assert_int_equal(store_col_int(st, 0), i + 1);
        assert_string_equal(store_col_text(st, 1), names[i]);
        assert_in_range(store_col_int(st, 2), now - 60, now + 60);
    }
    assert_int_equal(store_step(st), STORE_DONE);
    store_done(st);

    /* A later migration is picked up by the next run. */
    static const struct embedded_file more[] = {
        OK_FILES,
        FILE_ENTRY(MIG("0003_third.sql"), "ALTER TABLE t1 ADD COLUMN w TEXT;"),
    };
    assert_int_equal(store_migrate_files(f->s, more, COUNT(more), err, sizeof err), STORE_OK);
    assert_int_equal(store_schema_version(f->s), 3);
    assert_int_equal(query_int(f->s, "SELECT count(*) FROM t1"), 1);
}

static void test_migrate_failure_rolls_back(void **state)
{
    struct fix *f = *state;
    char err[256];
    assert_int_equal(store_migrate_files(f->s, broken_files, COUNT(broken_files), err, sizeof err),
                     STORE_ERROR);
    assert_non_null(strstr(err, "migration 0002_broken: "));
    assert_non_null(strstr(err, "no such table: nowhere"));
    assert_null(strchr(err, '\n'));
    assert_int_equal(store_schema_version(f->s), 1);  /* 0001 landed */
    assert_true(table_exists(f->s, "t1"));
    assert_false(table_exists(f->s, "half"));        /* 0002 undone */
    assert_false(table_exists(f->s, "t3"));          /* 0003 never ran */
    /* No transaction is left open. */
    assert_int_equal(store_begin(f->s), STORE_OK);
    store_rollback(f->s);
    /* Running again fails the same way and changes nothing. */
    assert_int_equal(store_migrate_files(f->s, broken_files, COUNT(broken_files), err, sizeof err),
                     STORE_ERROR);
    assert_int_equal(store_schema_version(f->s), 1);
    assert_false(table_exists(f->s, "half"));
}

static void test_migrate_refuses_newer(void **state)
{
    struct fix *f = *state;
    char err[256];
    assert_int_equal(store_migrate_files(f->s, ok_files, COUNT(ok_files), err, sizeof err),
                     STORE_OK);
    assert_int_equal(exec_sql(f->s,
        "INSERT INTO schema_migrations (version, name, applied_at) VALUES (7, 'future', 0)"),
        STORE_OK);
    static const struct embedded_file more[] = {
        OK_FILES,
        FILE_ENTRY(MIG("0003_third.sql"), "CREATE TABLE t3 (id INTEGER);"),
    };
    assert_int_equal(store_migrate_files(f->s, more, COUNT(more), err, sizeof err), STORE_ERROR);
    assert_non_null(strstr(err, "newer"));
    assert_false(table_exists(f->s, "t3"));  /* nothing was applied */
    assert_int_equal(store_schema_version(f->s), 7);

    /* A version too large for an int still reads as newer. */
    assert_int_equal(exec_sql(f->s,
        "INSERT INTO schema_migrations (version, name, applied_at) VALUES (1099511627776, 'far', 0)"),
        STORE_OK);
    assert_int_equal(store_migrate_files(f->s, more, COUNT(more), err, sizeof err), STORE_ERROR);
    assert_non_null(strstr(err, "newer"));
}

static void test_migrate_bad_files(void **state)
{
    struct fix *f = *state;
    char err[256];
    static const struct embedded_file misnamed[] = {
        FILE_ENTRY(MIG("first.sql"), "CREATE TABLE m (id INTEGER);"),
    };
    assert_int_equal(store_migrate_files(f->s, misnamed, COUNT(misnamed), err, sizeof err),
                     STORE_ERROR);
    assert_non_null(strstr(err, "version"));
    static const struct embedded_file dup[] = {
        FILE_ENTRY(MIG("0001_a.sql"), "CREATE TABLE m (id INTEGER);"),
        FILE_ENTRY(MIG("0001_b.sql"), "CREATE TABLE n (id INTEGER);"),
    };
    assert_int_equal(store_migrate_files(f->s, dup, COUNT(dup), err, sizeof err), STORE_ERROR);
    assert_non_null(strstr(err, "same version"));
    assert_false(table_exists(f->s, "m"));
    /* A migration must not end our transaction itself. */
    static const struct embedded_file commits[] = {
        FILE_ENTRY(MIG("0001_commits.sql"), "CREATE TABLE m (id INTEGER); COMMIT;"),
    };
    assert_int_equal(store_migrate_files(f->s, commits, COUNT(commits), err, sizeof err),
                     STORE_ERROR);
    assert_non_null(strstr(err, "0001_commits"));
    assert_int_equal(store_schema_version(f->s), -1);
    /* Nor leave broken references behind. */
    static const struct embedded_file dangling[] = {
        FILE_ENTRY(MIG("0001_dangling.sql"),
                   "CREATE TABLE p (id INTEGER PRIMARY KEY);"
                   "CREATE TABLE c (p_id INTEGER REFERENCES p(id));"
                   "PRAGMA defer_foreign_keys = ON;"
                   "INSERT INTO c VALUES (5);"),
    };
    assert_int_equal(store_migrate_files(f->s, dangling, COUNT(dangling), err, sizeof err),
                     STORE_ERROR);
    assert_non_null(strstr(err, "0001_dangling"));
    assert_false(table_exists(f->s, "c"));
    assert_int_equal(store_schema_version(f->s), -1);
}

/* Migrations written once (common/) run in version order among the
 * backend's own; one outside the portable subset is refused by name. */
static void test_migrate_common(void **state)
{
    struct fix *f = *state;
    char err[256];
#define COMMON(file) "src/store/migrations/common/" file
    static const struct embedded_file mixed[] = {
        FILE_ENTRY(COMMON("0003_third.sql"), "ALTER TABLE t2 ADD COLUMN w REAL;"),
        FILE_ENTRY(MIG("0002_second.sql"), "CREATE TABLE t2 (id INTEGER PRIMARY KEY, t1_id INTEGER REFERENCES t1(id));"),
        FILE_ENTRY(COMMON("0001_first.sql"), "CREATE TABLE t1 (id INTEGER PRIMARY KEY, v TEXT NOT NULL);"),
        FILE_ENTRY("src/store/migrations/postgresql/0002_second.sql", "this is not SQLite;"),
    };
    assert_int_equal(store_migrate_files(f->s, mixed, COUNT(mixed), err, sizeof err), STORE_OK);
    assert_int_equal(store_schema_version(f->s), 3);
    assert_int_equal(query_int(f->s, "SELECT count(*) FROM pragma_table_info('t2') WHERE name = 'w'"), 1);

    static const struct embedded_file trigger[] = {
        FILE_ENTRY(COMMON("0004_trigger.sql"),
                   "CREATE TABLE t4 (id INTEGER);\n"
                   "CREATE TRIGGER t4_ins AFTER INSERT ON t4 BEGIN SELECT 1; END;"),
    };
    assert_int_equal(store_migrate_files(f->s, trigger, COUNT(trigger), err, sizeof err), STORE_ERROR);
    assert_non_null(strstr(err, "migration 0004_trigger: TRIGGER is not portable"));
    assert_false(table_exists(f->s, "t4"));
    assert_int_equal(store_schema_version(f->s), 3);

    static const struct embedded_file twice[] = {
        FILE_ENTRY(COMMON("0005_a.sql"), "CREATE TABLE t5 (id INTEGER);"),
        FILE_ENTRY(MIG("0005_b.sql"), "CREATE TABLE t6 (id INTEGER);"),
    };
    assert_int_equal(store_migrate_files(f->s, twice, COUNT(twice), err, sizeof err), STORE_ERROR);
    assert_non_null(strstr(err, "same version"));
    assert_false(table_exists(f->s, "t5"));
#undef COMMON
}

/* store_migrate() itself, over whatever embedded_files this binary has. */
static void test_migrate_embedded(void **state)
{
    struct fix *f = *state;
    /* Read through volatile pointers: the compiler may fold a weak const
     * object to its local initialiser even when the link replaces it. */
    static const struct embedded_file *volatile files_p = embedded_files;
    static const size_t *volatile count_p = &embedded_count;
    const struct embedded_file *files = files_p;
    size_t count = *count_p;
    int want = -1;
    static const char *const dirs[] = {STORE_SQLITE_MIGRATIONS, STORE_COMMON_MIGRATIONS};
    for (size_t i = 0; i < count; i++) {
        const char *n = files[i].name;
        for (size_t d = 0; d < 2; d++) {
            size_t plen = strlen(dirs[d]);
            if (strncmp(n, dirs[d], plen) == 0 && !strchr(n + plen, '/')) {
                int v = atoi(n + plen);
                if (v > want)
                    want = v;
            }
        }
    }
    char err[512];
    for (int round = 0; round < 2; round++) {
        enum store_rc rc = store_migrate(f->s, err, sizeof err);
        if (rc != STORE_OK)
            fprintf(stderr, "store_migrate: %s\n", err);
        assert_int_equal(rc, STORE_OK);
        assert_int_equal(store_schema_version(f->s), want);
    }
    if (count > 0)
        assert_ptr_equal(embedded_find(files[0].name), &files[0]);
    assert_null(embedded_find("no/such/file"));
}

/* ---- pool -------------------------------------------------------------- */

enum { THREADS = 4, PER_THREAD = 150, POOL_N = 2 };

struct pool_run {
    struct store_pool *pool;
    pthread_mutex_t lock;
    int out, max_out;        /* connections held at once, under lock */
};

struct worker {
    struct pool_run *run;
    int id;
    int failures;
    char first_failure[200];
};

static void fail_at(struct worker *w, int i, const char *what, struct store *s)
{
    if (w->failures++ == 0)
        snprintf(w->first_failure, sizeof w->first_failure, "thread %d row %d: %s: %s",
                 w->id, i, what, s ? store_errmsg(s) : "-");
}

static void track(struct pool_run *r, int delta)
{
    pthread_mutex_lock(&r->lock);
    r->out += delta;
    if (r->out > r->max_out)
        r->max_out = r->out;
    pthread_mutex_unlock(&r->lock);
}

/* cmocka asserts are not thread-safe: workers count failures instead. */
static void *pool_worker(void *arg)
{
    struct worker *w = arg;
    char name[32];
    for (int i = 0; i < PER_THREAD; i++) {
        struct store *s = store_pool_acquire(w->run->pool);
        if (!s) {
            fail_at(w, i, "acquire", NULL);
            continue;
        }
        track(w->run, 1);
        snprintf(name, sizeof name, "w%d-%d", w->id, i);
        bool txn = i % 2 == 1;
        if (txn && store_begin_write(s) != STORE_OK)
            fail_at(w, i, "begin", s);
        struct store_stmt *st = store_prepare(s,
            "INSERT INTO log (thread, seq, name) VALUES (?, ?, ?)");
        if (!st) {
            fail_at(w, i, "prepare", s);
        } else {
            store_bind_int(st, 1, w->id);
            store_bind_int(st, 2, i);
            store_bind_text(st, 3, name);
            if (store_exec_stmt(st) != STORE_OK)
                fail_at(w, i, "insert", s);
            store_done(st);
        }
        /* Read back everything this thread wrote so far. */
        st = store_prepare(s, "SELECT count(*), max(seq) FROM log WHERE thread = ?");
        if (st) {
            store_bind_int(st, 1, w->id);
            if (store_step(st) != STORE_ROW || store_col_int(st, 0) != i + 1 ||
                store_col_int(st, 1) != i)
                fail_at(w, i, "read back", s);
            store_done(st);
        } else {
            fail_at(w, i, "prepare read", s);
        }
        if (txn && store_commit(s) != STORE_OK) {
            fail_at(w, i, "commit", s);
            store_rollback(s);
        }
        track(w->run, -1);
        store_pool_release(w->run->pool, s);
    }
    return NULL;
}

static void test_pool_concurrent(void **state)
{
    struct fix *f = *state;
    assert_int_equal(exec_sql(f->s,
        "CREATE TABLE log (thread INTEGER NOT NULL, seq INTEGER NOT NULL, name TEXT NOT NULL,"
        " PRIMARY KEY (thread, seq))"), STORE_OK);
    char err[256];
    struct pool_run run = {.pool = store_pool_open(f->url, POOL_N, err, sizeof err)};
    assert_non_null(run.pool);
    pthread_mutex_init(&run.lock, NULL);
    struct worker w[THREADS];
    pthread_t t[THREADS];
    for (int i = 0; i < THREADS; i++) {
        w[i] = (struct worker){.run = &run, .id = i};
        assert_int_equal(pthread_create(&t[i], NULL, pool_worker, &w[i]), 0);
    }
    for (int i = 0; i < THREADS; i++)
        pthread_join(t[i], NULL);
    store_pool_close(run.pool);
    pthread_mutex_destroy(&run.lock);

    for (int i = 0; i < THREADS; i++) {
        if (w[i].failures)
            fprintf(stderr, "%d failures, first: %s\n", w[i].failures, w[i].first_failure);
        assert_int_equal(w[i].failures, 0);
    }
    assert_in_range(run.max_out, 1, POOL_N);  /* acquire really blocked */
    assert_int_equal(query_int(f->s, "SELECT count(*) FROM log"), THREADS * PER_THREAD);
    for (int i = 0; i < THREADS; i++) {
        struct store_stmt *st = store_prepare(f->s,
            "SELECT count(*), count(DISTINCT seq), min(seq), max(seq),"
            " sum(name = printf('w%d-%d', thread, seq)) FROM log WHERE thread = ?");
        assert_non_null(st);
        store_bind_int(st, 1, i);
        assert_int_equal(store_step(st), STORE_ROW);
        assert_int_equal(store_col_int(st, 0), PER_THREAD);
        assert_int_equal(store_col_int(st, 1), PER_THREAD);
        assert_int_equal(store_col_int(st, 2), 0);
        assert_int_equal(store_col_int(st, 3), PER_THREAD - 1);
        assert_int_equal(store_col_int(st, 4), PER_THREAD);
        store_done(st);
    }
}

static void test_pool_release_cleans_up(void **state)
{
    struct fix *f = *state;
    make_tables(f->s);
    char err[256];
    assert_null(store_pool_open(f->url, 0, err, sizeof err));
    assert_true(err[0] != '\0');
    assert_null(store_pool_open("sqlite:/nonexistent-tas-dir/x.db", 2, err, sizeof err));
    assert_true(err[0] != '\0');

    struct store_pool *p = store_pool_open(f->url, 1, err, sizeof err);
    assert_non_null(p);
    struct store *s = store_pool_acquire(p);
    assert_non_null(s);
    /* Left open by a careless borrower: a transaction and a half-read
     * statement. */
    assert_int_equal(store_begin_write(s), STORE_OK);
    assert_int_equal(add_pupil(s, 1, "P1", "Ann"), STORE_OK);
    struct store_stmt *st = store_prepare(s, "SELECT id FROM schools");
    assert_non_null(st);
    assert_int_equal(store_step(st), STORE_ROW);
    store_pool_release(p, s);

    struct store *again = store_pool_acquire(p);
    assert_ptr_equal(again, s);  /* only one connection */
    assert_int_equal(query_int(again, "SELECT count(*) FROM pupils"), 0);
    assert_int_equal(store_begin(again), STORE_OK);  /* no transaction was open */
    store_rollback(again);
    assert_ptr_equal(store_prepare(again, "SELECT id FROM schools"), st);  /* freed */
    store_done(st);
    store_pool_release(p, again);
    store_pool_release(p, again);  /* a second release is ignored */
    store_pool_release(p, f->s);   /* not the pool's: ignored, untouched */
    store_pool_close(p);
}

int main(void)
{
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
    const struct CMUnitTest tests[] = {
        T(test_open_settings),
        T(test_open_errors),
        T(test_foreign_keys),
        T(test_unique_and_not_null),
        T(test_bind_verbatim),
        T(test_null_handling),
        T(test_col_copy_truncation),
        T(test_stmt_cache_reuse),
        T(test_stmt_nested_same_sql),
        T(test_stmt_errors),
        T(test_exec_and_changes),
        T(test_secure_delete),
        T(test_rollback_discards),
        T(test_nested_transactions),
        T(test_begin_immediate),
        T(test_migrate_idempotent),
        T(test_migrate_failure_rolls_back),
        T(test_migrate_refuses_newer),
        T(test_migrate_bad_files),
        T(test_migrate_common),
        T(test_migrate_embedded),
        T(test_pool_concurrent),
        T(test_pool_release_cleans_up),
    };
#undef T
    return cmocka_run_group_tests(tests, NULL, NULL);
}
