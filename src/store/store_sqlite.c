/* The SQLite backend of the storage interface (store.h): connections, the
 * per-connection statement cache, transactions and migrations.  The pool
 * is in store_pool.c.
 *
 * Nothing here logs: errors go back through err buffers or store_errmsg(),
 * and neither ever includes bound parameters (they may hold child data). */
#include "store/store.h"
#include "lib/count.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <sqlite3.h>

#include "lib/clock.h"
#include "lib/embedded.h"
#include "store/stmt_cache.h"
#include "store/store_internal.h"

struct sq_stmt {
    struct store_stmt base;   /* first: base.owner is the connection */
    sqlite3_stmt *stmt;
    struct sq *owner;
    int bind_rc;              /* first failed bind, reported by step */
    int bind_idx;
};

struct sq {
    struct store base;        /* first: base.ops */
    sqlite3 *db;
    struct stmt_cache cache;  /* its prepared statements */
    bool has_msg;             /* msg overrides sqlite3_errmsg() */
    char msg[256];
    int nested;               /* savepoints open inside the outer transaction */
    pthread_mutex_t *writer;  /* this database's writers' turn (writer_turn); NULL in memory */
    bool has_turn;            /* this connection holds it */
};

static struct sq *SQ(struct store *s)
{
    return (struct sq *)s;
}

static struct sq_stmt *SQS(struct store_stmt *st)
{
    return (struct sq_stmt *)st;
}

static void sq_rollback(struct store *gs);

static void set_msg(struct sq *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void set_msg(struct sq *s, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(s->msg, sizeof s->msg, fmt, ap);
    va_end(ap);
    s->has_msg = true;
}

static enum store_rc map_rc(int rc)
{
    switch (rc & 0xff) {  /* extended codes are on: look at the primary */
    case SQLITE_OK:
        return STORE_OK;
    case SQLITE_ROW:
        return STORE_ROW;
    case SQLITE_DONE:
        return STORE_DONE;
    case SQLITE_CONSTRAINT:
        return STORE_CONSTRAINT;
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
        return STORE_BUSY;
    default:
        return STORE_ERROR;
    }
}

/* ---- opening ---------------------------------------------------------- */

/* Library-wide settings, once, before SQLite initialises itself on the
 * first open.  Memory statistics off: with them on, every allocation in
 * every connection takes one global mutex, which the server's threads
 * (a connection each) then queue on; tas never reads the statistics. */
static pthread_once_t config_once = PTHREAD_ONCE_INIT;

static void configure_library(void)
{
    (void)sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
}

/* ---- writers' turns ------------------------------------------------------
 *
 * SQLite lets one writer in at a time and makes the others poll for the
 * lock, sleeping longer each time they miss it (1, 2, 5 ... 100 ms): under
 * load a writer could miss turn after turn, so a few requests waited a
 * second or more.  A process's own writers to one database file queue
 * on a mutex instead, and the next goes in the moment the last commits;
 * other processes (the command line) still meet SQLite's lock.  Waiting
 * ends as SQLite's would (BUSY_MS, then STORE_BUSY). */

enum { BUSY_MS = 5000 };

struct writer_turn {
    char *key;                /* the database file's full path */
    pthread_mutex_t mu;
    struct writer_turn *next;
};

static pthread_mutex_t turns_mu = PTHREAD_MUTEX_INITIALIZER;
static struct writer_turn *turns;   /* one per file, kept for the process's life */

static pthread_mutex_t *writer_turn(const char *key)
{
    if (!key || !*key)
        return NULL;
    pthread_mutex_lock(&turns_mu);
    struct writer_turn *t = turns;
    while (t && strcmp(t->key, key) != 0)
        t = t->next;
    if (!t && (t = calloc(1, sizeof *t)) != NULL) {
        t->key = strdup(key);
        if (!t->key || pthread_mutex_init(&t->mu, NULL) != 0) {
            free(t->key);
            free(t);
            t = NULL;
        } else {
            t->next = turns;
            turns = t;
        }
    }
    pthread_mutex_unlock(&turns_mu);
    return t ? &t->mu : NULL;
}

static bool take_turn(struct sq *s)
{
    if (!s->writer)
        return true;
    struct timespec until;
    clock_gettime(CLOCK_REALTIME, &until);
    until.tv_sec += BUSY_MS / 1000;
    if (pthread_mutex_timedlock(s->writer, &until) != 0)
        return false;
    s->has_turn = true;
    return true;
}

static void end_turn(struct sq *s)
{
    if (s->has_turn) {
        s->has_turn = false;
        pthread_mutex_unlock(s->writer);
    }
}

/* Runs a PRAGMA on a raw handle and copies the first column of its first
 * row (if any) into out.  Returns the SQLite result code. */
static int pragma(sqlite3 *db, const char *sql, char *out, size_t outsz)
{
    sqlite3_stmt *st = NULL;
    if (out && outsz)
        out[0] = '\0';
    int rc = sqlite3_prepare_v2(db, sql, -1, &st, NULL);
    if (rc != SQLITE_OK)
        return rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        const unsigned char *t = sqlite3_column_text(st, 0);
        if (out && outsz && t && !out[0])
            snprintf(out, outsz, "%s", (const char *)t);
    }
    sqlite3_finalize(st);
    return rc == SQLITE_DONE ? SQLITE_OK : rc;
}

/* Each setting is checked by reading it back: a PRAGMA SQLite does not
 * know (or a build without the feature) is silently ignored otherwise. */
static bool configure(sqlite3 *db, bool memory, char *err, size_t errlen)
{
    static const struct {
        const char *set, *get, *want;
    } settings[] = {
        {"PRAGMA foreign_keys = ON", "PRAGMA foreign_keys", "1"},
        {"PRAGMA synchronous = FULL", "PRAGMA synchronous", "2"},
        {"PRAGMA secure_delete = ON", "PRAGMA secure_delete", "1"},
        {"PRAGMA trusted_schema = OFF", "PRAGMA trusted_schema", "0"},
    };
    char val[32];
    int rc;

    sqlite3_extended_result_codes(db, 1);
    /* Before journal_mode: switching to WAL needs a lock another pool
     * connection may hold for a moment. */
    sqlite3_busy_timeout(db, BUSY_MS);
    /* Defensive: no writable_schema or shadow-table tricks.  DQS off: a
     * mistyped column name in "quotes" is an error, not a string. */
    sqlite3_db_config(db, SQLITE_DBCONFIG_DEFENSIVE, 1, (int *)NULL);
    sqlite3_db_config(db, SQLITE_DBCONFIG_DQS_DML, 0, (int *)NULL);
    sqlite3_db_config(db, SQLITE_DBCONFIG_DQS_DDL, 0, (int *)NULL);
    sqlite3_db_config(db, SQLITE_DBCONFIG_ENABLE_LOAD_EXTENSION, 0, (int *)NULL);

    rc = pragma(db, "PRAGMA journal_mode = WAL", val, sizeof val);
    if (rc != SQLITE_OK) {
        store_put_err(err, errlen, "cannot set WAL mode: %s", sqlite3_errmsg(db));
        return false;
    }
    if (!memory && strcmp(val, "wal") != 0) {
        store_put_err(err, errlen, "database would not switch to WAL mode (got \"%s\")", val);
        return false;
    }
    for (size_t i = 0; i < COUNT(settings); i++) {
        rc = pragma(db, settings[i].set, NULL, 0);
        if (rc == SQLITE_OK)
            rc = pragma(db, settings[i].get, val, sizeof val);
        if (rc != SQLITE_OK) {
            store_put_err(err, errlen, "%s: %s", settings[i].set, sqlite3_errmsg(db));
            return false;
        }
        if (strcmp(val, settings[i].want) != 0) {
            store_put_err(err, errlen, "%s did not take effect", settings[i].set);
            return false;
        }
    }
    return true;
}

static const struct store_ops sqlite_ops;

struct store *store_sqlite_open(const char *path, char *err, size_t errlen)
{
    if (err && errlen)
        err[0] = '\0';
    if (!sqlite3_threadsafe()) {
        /* Pool connections would share unlocked library state across threads. */
        store_put_err(err, errlen, "SQLite was built without thread support");
        return NULL;
    }
    if (!*path) {
        /* SQLite would make a private temporary database: surely a mistake. */
        store_put_err(err, errlen, "empty database path");
        return NULL;
    }

    bool memory = strcmp(path, ":memory:") == 0;
    if (!memory) {
        /* The file holds children's data: create it owner-only rather than
         * at SQLite's 0644 (its -wal and -shm files copy this mode).  An
         * existing file keeps its mode; other failures are SQLite's to
         * report below. */
        int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);
        if (fd >= 0)
            close(fd);
    }

    pthread_once(&config_once, configure_library);
    struct sq *s = calloc(1, sizeof *s);
    if (!s) {
        store_put_err(err, errlen, "out of memory");
        return NULL;
    }
    /* No SQLITE_OPEN_URI: a path is only ever a path. */
    int rc = sqlite3_open_v2(path, &s->db,
                             SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
                             NULL);
    if (rc != SQLITE_OK) {
        store_put_err(err, errlen, "cannot open database %s: %s", path,
                s->db ? sqlite3_errmsg(s->db) : sqlite3_errstr(rc));
        sqlite3_close(s->db);
        free(s);
        return NULL;
    }
    if (!configure(s->db, memory, err, errlen)) {
        sqlite3_close(s->db);
        free(s);
        return NULL;
    }
    s->base.ops = &sqlite_ops;
    const char *file = sqlite3_db_filename(s->db, "main");
    s->writer = writer_turn(file);
    return &s->base;
}

static void free_stmt(struct store_stmt *gst)
{
    sqlite3_finalize(SQS(gst)->stmt);
    free(gst);
}

static void sq_close(struct store *gs)
{
    struct sq *s = SQ(gs);
    if (!s)
        return;
    stmt_cache_clear(&s->cache, free_stmt, true);
    /* Every statement is finalized, so this cannot be refused; an open
     * transaction is rolled back by SQLite. */
    sqlite3_close(s->db);
    end_turn(s);
    free(s);
}

/* ---- statement cache -------------------------------------------------- */

/* True if tail holds another statement (not just blanks and comments):
 * SQLite would quietly ignore it. */
static bool has_more_sql(sqlite3 *db, const char *tail)
{
    while (isspace((unsigned char)*tail) || *tail == ';')
        tail++;
    if (!*tail)
        return false;
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v2(db, tail, -1, &st, NULL);
    bool more = rc != SQLITE_OK || st != NULL;
    sqlite3_finalize(st);
    return more;
}

static struct sq_stmt *new_stmt(struct sq *s, const char *sql)
{
    sqlite3_stmt *raw = NULL;
    const char *tail = NULL;
    int rc = sqlite3_prepare_v3(s->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &raw, &tail);
    if (rc != SQLITE_OK)
        return NULL;  /* sqlite3_errmsg says why */
    if (!raw) {
        set_msg(s, "empty SQL statement");
        return NULL;
    }
    if (tail && has_more_sql(s->db, tail)) {
        sqlite3_finalize(raw);
        set_msg(s, "SQL text holds more than one statement");
        return NULL;
    }
    struct sq_stmt *st = calloc(1, sizeof *st);
    if (!st) {
        sqlite3_finalize(raw);
        set_msg(s, "out of memory");
        return NULL;
    }
    st->stmt = raw;
    st->base.owner = &s->base;
    return st;
}

/* Reset ends the read transaction a half-read SELECT holds (which would
 * stop WAL checkpoints); clearing drops the bound values, which may be
 * child data, rather than keep them until the next use. */
static void clear_stmt(struct store_stmt *gst)
{
    struct sq_stmt *st = SQS(gst);
    sqlite3_reset(st->stmt);
    sqlite3_clear_bindings(st->stmt);
    st->bind_rc = SQLITE_OK;
}

static struct store_stmt *make_stmt(void *conn, const char *sql)
{
    struct sq_stmt *st = new_stmt(conn, sql);
    return st ? &st->base : NULL;
}

static void refused(void *conn, const char *msg)
{
    set_msg(conn, "%s", msg);
}

static const struct stmt_maker sq_maker = {clear_stmt, make_stmt, free_stmt, refused};

static struct store_stmt *sq_prepare(struct store *gs, const char *sql)
{
    struct sq *s = SQ(gs);
    if (!s)
        return NULL;
    s->has_msg = false;
    return stmt_cache_get(&s->cache, sql, &sq_maker, s);
}

static void sq_done(struct store_stmt *gst)
{
    if (!gst)
        return;
    clear_stmt(gst);
    stmt_cache_put(&SQ(gst->owner)->cache, gst);
}

static void sq_end_use(struct store *gs)
{
    struct sq *s = SQ(gs);
    if (!s)
        return;
    stmt_cache_done_all(&s->cache, sq_done);
    s->nested = 0;   /* the whole transaction goes, savepoints and all */
    sq_rollback(gs);
}

/* ---- binding and stepping --------------------------------------------- */

static void note_bind(struct sq_stmt *st, int idx, int rc)
{
    if (rc != SQLITE_OK && st->bind_rc == SQLITE_OK) {
        st->bind_rc = rc;
        st->bind_idx = idx;
    }
}

static void sq_bind_int(struct store_stmt *gst, int idx, int64_t v)
{
    struct sq_stmt *st = SQS(gst);
    if (st)
        note_bind(st, idx, sqlite3_bind_int64(st->stmt, idx, v));
}

static void sq_bind_double(struct store_stmt *gst, int idx, double v)
{
    struct sq_stmt *st = SQS(gst);
    if (st)
        note_bind(st, idx, sqlite3_bind_double(st->stmt, idx, v));
}

static void sq_bind_text(struct store_stmt *gst, int idx, const char *v)
{
    struct sq_stmt *st = SQS(gst);
    if (!st)
        return;
    if (!v)
        note_bind(st, idx, sqlite3_bind_null(st->stmt, idx));
    else
        note_bind(st, idx, sqlite3_bind_text(st->stmt, idx, v, -1, SQLITE_TRANSIENT));
}

static void sq_bind_null(struct store_stmt *gst, int idx)
{
    struct sq_stmt *st = SQS(gst);
    if (st)
        note_bind(st, idx, sqlite3_bind_null(st->stmt, idx));
}

static enum store_rc sq_step(struct store_stmt *gst)
{
    struct sq_stmt *st = SQS(gst);
    if (!st)
        return STORE_ERROR;
    SQ(st->base.owner)->has_msg = false;
    if (st->bind_rc != SQLITE_OK) {
        /* Running with a parameter silently NULL could store wrong data. */
        set_msg(SQ(st->base.owner), "cannot bind parameter %d: %s", st->bind_idx,
                sqlite3_errstr(st->bind_rc));
        return STORE_ERROR;
    }
    return map_rc(sqlite3_step(st->stmt));
}

static bool sq_wrote(struct store_stmt *gst)
{
    struct sq_stmt *st = SQS(gst);
    return st && !sqlite3_stmt_readonly(st->stmt);
}

static int64_t sq_col_int(struct store_stmt *gst, int col)
{
    struct sq_stmt *st = SQS(gst);
    return st ? sqlite3_column_int64(st->stmt, col) : 0;
}

static double sq_col_double(struct store_stmt *gst, int col)
{
    struct sq_stmt *st = SQS(gst);
    return st ? sqlite3_column_double(st->stmt, col) : 0.0;
}

static const char *sq_col_text(struct store_stmt *gst, int col)
{
    struct sq_stmt *st = SQS(gst);
    const unsigned char *t = st ? sqlite3_column_text(st->stmt, col) : NULL;
    return t ? (const char *)t : "";
}

static bool sq_col_is_null(struct store_stmt *gst, int col)
{
    struct sq_stmt *st = SQS(gst);
    return !st || sqlite3_column_type(st->stmt, col) == SQLITE_NULL;
}

/* ---- connection-level calls ------------------------------------------- */

static int64_t sq_changes(struct store *gs)
{
    struct sq *s = SQ(gs);
    return s ? sqlite3_changes64(s->db) : 0;
}

static const char *sq_errmsg(struct store *gs)
{
    struct sq *s = SQ(gs);
    if (!s)
        return "no database connection";
    return s->has_msg ? s->msg : sqlite3_errmsg(s->db);
}

/* Runs one fixed statement through the cache. */
static enum store_rc run(struct sq *s, const char *sql)
{
    return store_exec_done(sq_prepare(&s->base, sql));
}

/* A transaction begun inside another becomes a savepoint, so a use case
 * that wraps its own writes in a transaction can also run as part of a
 * larger one (tas demo loads a year of records in one). */
static enum store_rc sq_begin(struct store *gs, enum store_begin_mode mode)
{
    bool write = mode != STORE_BEGIN_READ;   /* a write aside too: one writer at a time */
    struct sq *s = SQ(gs);
    /* IMMEDIATE takes the write lock at once, so a read-then-write
     * transaction cannot deadlock. */
    const char *sql = write ? "BEGIN IMMEDIATE" : "BEGIN";
    if (!sqlite3_get_autocommit(s->db)) {
        enum store_rc rc = run(s, "SAVEPOINT tas_nested");
        if (rc == STORE_OK || rc == STORE_DONE)
            s->nested++;
        return rc == STORE_DONE ? STORE_OK : rc;
    }
    s->nested = 0;
    if (write && !take_turn(s)) {
        set_msg(s, "database is locked: another write took more than %d s", BUSY_MS / 1000);
        return STORE_BUSY;
    }
    enum store_rc rc = run(s, sql);
    if (rc != STORE_OK && rc != STORE_DONE)
        end_turn(s);
    return rc == STORE_DONE ? STORE_OK : rc;
}

/* ---- backup and restore ----------------------------------------------- */

/* quick_check's verdict on db: true for "ok". */
static bool intact(sqlite3 *db, char *err, size_t errlen)
{
    sqlite3_stmt *st = NULL;
    bool ok = false;
    if (sqlite3_prepare_v2(db, "PRAGMA quick_check", -1, &st, NULL) == SQLITE_OK &&
        sqlite3_step(st) == SQLITE_ROW) {
        const char *v = (const char *)sqlite3_column_text(st, 0);
        ok = v && strcmp(v, "ok") == 0;
        if (!ok)
            store_put_err(err, errlen, "integrity check failed: %s", v ? v : "?");
    } else {
        store_put_err(err, errlen, "cannot check integrity: %s", sqlite3_errmsg(db));
    }
    sqlite3_finalize(st);
    return ok;
}

/* Copies main of from into main of to in one step (one read snapshot of
 * from; a busy lock is waited for, a few times). */
static enum store_rc copy_db(sqlite3 *to, sqlite3 *from, int64_t *pages, char *err, size_t errlen)
{
    sqlite3_backup *b = sqlite3_backup_init(to, "main", from, "main");
    if (!b) {
        store_put_err(err, errlen, "cannot start the copy: %s", sqlite3_errmsg(to));
        return STORE_ERROR;
    }
    int rc;
    for (int tries = 0;; tries++) {
        rc = sqlite3_backup_step(b, -1);
        if ((rc != SQLITE_BUSY && rc != SQLITE_LOCKED) || tries == 50)
            break;
        sqlite3_sleep(100);
    }
    if (pages)
        *pages = sqlite3_backup_pagecount(b);
    int frc = sqlite3_backup_finish(b);
    if (rc != SQLITE_DONE || frc != SQLITE_OK) {
        store_put_err(err, errlen, "copy failed: %s", sqlite3_errstr(rc != SQLITE_DONE ? rc : frc));
        return rc == SQLITE_BUSY || rc == SQLITE_LOCKED ? STORE_BUSY : STORE_ERROR;
    }
    return STORE_OK;
}

static enum store_rc sq_backup(struct store *gs, const char *dest, int64_t *pages, char *err, size_t errlen)
{
    struct sq *s = SQ(gs);
    int fd = open(dest, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);
    if (fd < 0) {
        store_put_err(err, errlen, "cannot create %s: %s", dest, strerror(errno));
        return STORE_ERROR;
    }
    close(fd);
    sqlite3 *to = NULL;
    enum store_rc rc = STORE_ERROR;
    if (sqlite3_open_v2(dest, &to, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK)
        store_put_err(err, errlen, "cannot open %s: %s", dest, to ? sqlite3_errmsg(to) : "out of memory");
    else if ((rc = copy_db(to, s->db, pages, err, errlen)) == STORE_OK && !intact(to, err, errlen))
        rc = STORE_ERROR;
    /* One self-contained file (no -wal beside it), which reading does not
     * change; a restore puts it back in WAL mode. */
    else if (sqlite3_exec(to, "PRAGMA journal_mode = DELETE", NULL, NULL, NULL) != SQLITE_OK) {
        store_put_err(err, errlen, "cannot finish %s: %s", dest, sqlite3_errmsg(to));
        rc = STORE_ERROR;
    }
    if (sqlite3_close(to) != SQLITE_OK && rc == STORE_OK) {
        store_put_err(err, errlen, "cannot close %s", dest);
        rc = STORE_ERROR;
    }
    if (rc != STORE_OK)
        unlink(dest);
    return rc;
}

static enum store_rc sq_restore(struct store *gs, const char *src, char *err, size_t errlen)
{
    struct sq *s = SQ(gs);
    sqlite3 *from = NULL;
    enum store_rc rc = STORE_ERROR;
    if (sqlite3_open_v2(src, &from, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK) {
        store_put_err(err, errlen, "cannot open %s: %s", src, from ? sqlite3_errmsg(from) : "out of memory");
    } else if (intact(from, err, errlen)) {
        sqlite3_stmt *st = NULL;
        bool ours = sqlite3_prepare_v2(from, "SELECT count(*) FROM schema_migrations", -1, &st, NULL) == SQLITE_OK &&
                    sqlite3_step(st) == SQLITE_ROW && sqlite3_column_int64(st, 0) > 0;
        sqlite3_finalize(st);
        if (!ours)
            store_put_err(err, errlen, "%s is not a tas database", src);
        else
            rc = copy_db(s->db, from, NULL, err, errlen);
    }
    sqlite3_close(from);
    return rc;
}

static bool sq_in_transaction(struct store *gs)
{
    struct sq *s = SQ(gs);
    return s && !sqlite3_get_autocommit(s->db);
}

static const char *sq_database_key(struct store *gs)
{
    struct sq *s = SQ(gs);
    const char *f = s ? sqlite3_db_filename(s->db, "main") : NULL;
    return f ? f : "";
}

static enum store_rc sq_commit(struct store *gs)
{
    struct sq *s = SQ(gs);
    if (!s)
        return STORE_ERROR;
    if (s->nested > 0) {
        enum store_rc rc = run(s, "RELEASE tas_nested");
        if (rc == STORE_OK || rc == STORE_DONE)
            s->nested--;
        return rc == STORE_DONE ? STORE_OK : rc;
    }
    enum store_rc rc = run(s, "COMMIT");
    /* A commit refused (STORE_BUSY) leaves the transaction open until
     * the caller rolls back. */
    if (sqlite3_get_autocommit(s->db))
        end_turn(s);
    return rc == STORE_DONE ? STORE_OK : rc;
}

static void sq_rollback(struct store *gs)
{
    struct sq *s = SQ(gs);
    /* Autocommit means no transaction (never begun, or already undone by
     * SQLite after an error), so there is nothing to roll back. */
    if (!s || sqlite3_get_autocommit(s->db)) {
        if (s) {
            s->nested = 0;
            end_turn(s);
        }
        return;
    }
    if (s->nested > 0) {
        /* Undo the inner part only; the outer transaction goes on. */
        if (run(s, "ROLLBACK TO tas_nested") != STORE_ERROR)
            (void)run(s, "RELEASE tas_nested");
        s->nested--;
        return;
    }
    if (run(s, "ROLLBACK") == STORE_ERROR)
        sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);  /* out of memory */
    end_turn(s);
}


/* ---- migrations' helpers ---------------------------------------------- */

static bool sq_has_table(struct store *gs, const char *name)
{
    struct store_stmt *st = sq_prepare(gs, "SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = ?");
    store_bind_text(st, 1, name);
    int64_t one = 0;
    return store_get_int(st, &one) == STORE_OK && one == 1;
}

/* A migration's text: our own fixed SQL, never input, so sqlite3_exec
 * (several statements) is fine here. */
static enum store_rc sq_exec_script(struct store *gs, const char *sql, char *err, size_t errlen)
{
    struct sq *s = SQ(gs);
    char *xerr = NULL;
    if (sqlite3_exec(s->db, sql, NULL, NULL, &xerr) != SQLITE_OK) {
        store_put_err(err, errlen, "%s", xerr ? xerr : sqlite3_errmsg(s->db));
        sqlite3_free(xerr);
        return STORE_ERROR;
    }
    return STORE_OK;
}

/* Foreign keys are not checked on DDL: catch a migration that leaves
 * dangling references before it is recorded. */
static enum store_rc sq_after_script(struct store *gs, char *err, size_t errlen)
{
    struct sq *s = SQ(gs);
    char table[128];
    if (pragma(s->db, "PRAGMA foreign_key_check", table, sizeof table) != SQLITE_OK) {
        store_put_err(err, errlen, "%s", sqlite3_errmsg(s->db));
        return STORE_ERROR;
    }
    if (table[0]) {
        store_put_err(err, errlen, "leaves rows in %s breaking a foreign key", table);
        return STORE_ERROR;
    }
    return STORE_OK;
}

/* No table_triggers: SQLite cannot turn a table's triggers off, so a
 * database is copied out of SQLite (tas migrate-store), never into it. */
static const struct store_ops sqlite_ops = {
    .name = "sqlite",
    .migrations_dir = STORE_SQLITE_MIGRATIONS,
    .dialect = SQL_SQLITE,
    .migrations_table_sql = "CREATE TABLE IF NOT EXISTS schema_migrations ("
                            " version INTEGER PRIMARY KEY,"
                            " name TEXT NOT NULL,"
                            " applied_at INTEGER NOT NULL)",
    .close = sq_close,
    .prepare = sq_prepare,
    .done = sq_done,
    .end_use = sq_end_use,
    .bind_int = sq_bind_int,
    .bind_double = sq_bind_double,
    .bind_text = sq_bind_text,
    .bind_null = sq_bind_null,
    .step = sq_step,
    .wrote = sq_wrote,
    .col_int = sq_col_int,
    .col_double = sq_col_double,
    .col_text = sq_col_text,
    .col_is_null = sq_col_is_null,
    .begin = sq_begin,
    .one_writer = true,
    .commit = sq_commit,
    .rollback = sq_rollback,
    .in_transaction = sq_in_transaction,
    .changes = sq_changes,
    .errmsg = sq_errmsg,
    .database_key = sq_database_key,
    .has_table = sq_has_table,
    .exec_script = sq_exec_script,
    .after_script = sq_after_script,
    .backup = sq_backup,
    .restore = sq_restore,
    .tables_sql = "SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'"
                  " ORDER BY name",
    .columns_sql = "SELECT name, type, pk FROM pragma_table_info(?) ORDER BY cid",
    .references_sql = "SELECT DISTINCT \"table\" FROM pragma_foreign_key_list(?)",
    .identity_sql = NULL,  /* a rowid takes max(rowid) + 1 */
    .identity_set_sql = NULL,
    .order_text = " COLLATE BINARY",
    .table_triggers = NULL,
};
