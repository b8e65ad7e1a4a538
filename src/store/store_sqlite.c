/* The SQLite backend of the storage interface (store.h): connections, the
 * per-connection statement cache, transactions and migrations.  The pool
 * is in store_pool.c.
 *
 * Nothing here logs: errors go back through err buffers or store_errmsg(),
 * and neither ever includes bound parameters (they may hold child data). */
#include "store/store.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <sqlite3.h>

#include "lib/clock.h"
#include "lib/embedded.h"
#include "store/store_internal.h"

struct store_stmt {
    sqlite3_stmt *stmt;
    struct store *owner;
    char *sql;                /* our own copy: the cache key */
    uint64_t hash;
    struct store_stmt *twin;  /* another statement for the same SQL */
    int bind_rc;              /* first failed bind, reported by step */
    int bind_idx;
    bool in_use;
};

struct store {
    sqlite3 *db;
    /* Open addressing, linear probing, power-of-two size.  One slot per
     * distinct SQL text; statements for the same text hang off ->twin. */
    struct store_stmt **slots;
    size_t cap;
    size_t used;
    bool has_msg;             /* msg overrides sqlite3_errmsg() */
    char msg[256];
    int nested;               /* savepoints open inside the outer transaction */
};

static void put_err(char *err, size_t errlen, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void put_err(char *err, size_t errlen, const char *fmt, ...)
{
    if (!err || errlen == 0)
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err, errlen, fmt, ap);
    va_end(ap);
}

static void set_msg(struct store *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void set_msg(struct store *s, const char *fmt, ...)
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
    sqlite3_busy_timeout(db, 5000);
    /* Defensive: no writable_schema or shadow-table tricks.  DQS off: a
     * mistyped column name in "quotes" is an error, not a string. */
    sqlite3_db_config(db, SQLITE_DBCONFIG_DEFENSIVE, 1, (int *)NULL);
    sqlite3_db_config(db, SQLITE_DBCONFIG_DQS_DML, 0, (int *)NULL);
    sqlite3_db_config(db, SQLITE_DBCONFIG_DQS_DDL, 0, (int *)NULL);
    sqlite3_db_config(db, SQLITE_DBCONFIG_ENABLE_LOAD_EXTENSION, 0, (int *)NULL);

    rc = pragma(db, "PRAGMA journal_mode = WAL", val, sizeof val);
    if (rc != SQLITE_OK) {
        put_err(err, errlen, "cannot set WAL mode: %s", sqlite3_errmsg(db));
        return false;
    }
    if (!memory && strcmp(val, "wal") != 0) {
        put_err(err, errlen, "database would not switch to WAL mode (got \"%s\")", val);
        return false;
    }
    for (size_t i = 0; i < sizeof settings / sizeof settings[0]; i++) {
        rc = pragma(db, settings[i].set, NULL, 0);
        if (rc == SQLITE_OK)
            rc = pragma(db, settings[i].get, val, sizeof val);
        if (rc != SQLITE_OK) {
            put_err(err, errlen, "%s: %s", settings[i].set, sqlite3_errmsg(db));
            return false;
        }
        if (strcmp(val, settings[i].want) != 0) {
            put_err(err, errlen, "%s did not take effect", settings[i].set);
            return false;
        }
    }
    return true;
}

struct store *store_open(const char *url, char *err, size_t errlen)
{
    if (err && errlen)
        err[0] = '\0';
    if (!url) {
        put_err(err, errlen, "no database given");
        return NULL;
    }
    const char *path = url;
    if (strncmp(url, "sqlite:", 7) == 0)
        path = url + 7;
    else if (strncmp(url, "postgres:", 9) == 0 || strncmp(url, "postgresql:", 11) == 0) {
        put_err(err, errlen, "PostgreSQL is not supported by this build");
        return NULL;
    }
    if (!*path) {
        /* SQLite would make a private temporary database: surely a mistake. */
        put_err(err, errlen, "empty database path");
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

    struct store *s = calloc(1, sizeof *s);
    if (!s) {
        put_err(err, errlen, "out of memory");
        return NULL;
    }
    /* No SQLITE_OPEN_URI: a path is only ever a path. */
    int rc = sqlite3_open_v2(path, &s->db,
                             SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
                             NULL);
    if (rc != SQLITE_OK) {
        put_err(err, errlen, "cannot open database %s: %s", path,
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
    return s;
}

static void free_stmt_chain(struct store_stmt *st)
{
    while (st) {
        struct store_stmt *next = st->twin;
        sqlite3_finalize(st->stmt);
        free(st->sql);
        free(st);
        st = next;
    }
}

void store_close(struct store *s)
{
    if (!s)
        return;
    for (size_t i = 0; i < s->cap; i++)
        free_stmt_chain(s->slots[i]);
    free(s->slots);
    /* Every statement is finalized, so this cannot be refused; an open
     * transaction is rolled back by SQLite. */
    sqlite3_close(s->db);
    free(s);
}

/* ---- statement cache -------------------------------------------------- */

static uint64_t hash_sql(const char *sql)
{
    uint64_t h = 14695981039346656037u;  /* FNV-1a */
    for (const unsigned char *p = (const unsigned char *)sql; *p; p++) {
        h ^= *p;
        h *= 1099511628211u;
    }
    return h;
}

/* The slot holding sql, or the empty slot where it belongs.  Keyed by the
 * text, not the pointer: a caller's buffer could be reused for other SQL,
 * and equal literals need not share an address.  The hash makes strcmp
 * run only on a (near-certain) match. */
static struct store_stmt **find_slot(struct store *s, const char *sql, uint64_t h)
{
    size_t mask = s->cap - 1;
    for (size_t i = (size_t)h & mask;; i = (i + 1) & mask) {
        struct store_stmt *e = s->slots[i];
        if (!e || (e->hash == h && strcmp(e->sql, sql) == 0))
            return &s->slots[i];
    }
}

static bool grow(struct store *s)
{
    size_t ncap = s->cap ? s->cap * 2 : 64;
    struct store_stmt **old = s->slots;
    size_t ocap = s->cap;
    struct store_stmt **slots = calloc(ncap, sizeof *slots);
    if (!slots)
        return false;
    s->slots = slots;
    s->cap = ncap;
    for (size_t i = 0; i < ocap; i++)
        if (old[i])
            *find_slot(s, old[i]->sql, old[i]->hash) = old[i];
    free(old);
    return true;
}

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

static struct store_stmt *new_stmt(struct store *s, const char *sql, uint64_t h)
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
    struct store_stmt *st = calloc(1, sizeof *st);
    char *copy = strdup(sql);
    if (!st || !copy) {
        free(st);
        free(copy);
        sqlite3_finalize(raw);
        set_msg(s, "out of memory");
        return NULL;
    }
    st->stmt = raw;
    st->owner = s;
    st->sql = copy;
    st->hash = h;
    return st;
}

struct store_stmt *store_prepare(struct store *s, const char *sql)
{
    if (!s)
        return NULL;
    s->has_msg = false;
    if (!sql) {
        set_msg(s, "no SQL given");
        return NULL;
    }
    /* Grow first (load <= 1/2) so the slot pointer below stays valid. */
    if ((s->used + 1) * 2 > s->cap && !grow(s)) {
        set_msg(s, "out of memory");
        return NULL;
    }
    uint64_t h = hash_sql(sql);
    struct store_stmt **slot = find_slot(s, sql, h);
    for (struct store_stmt *st = *slot; st; st = st->twin) {
        if (!st->in_use) {
            sqlite3_reset(st->stmt);
            sqlite3_clear_bindings(st->stmt);
            st->bind_rc = SQLITE_OK;
            st->in_use = true;
            return st;
        }
    }
    /* Not cached, or every copy is busy (e.g. the same query in a nested
     * loop): prepare another. */
    struct store_stmt *st = new_stmt(s, sql, h);
    if (!st)
        return NULL;
    if (*slot) {
        st->twin = (*slot)->twin;
        (*slot)->twin = st;
    } else {
        *slot = st;
        s->used++;
    }
    st->in_use = true;
    return st;
}

void store_done(struct store_stmt *st)
{
    if (!st)
        return;
    /* Reset ends the read transaction a half-read SELECT holds (which
     * would stop WAL checkpoints); clearing drops the bound values, which
     * may be child data, rather than keep them until the next use. */
    sqlite3_reset(st->stmt);
    sqlite3_clear_bindings(st->stmt);
    st->bind_rc = SQLITE_OK;
    st->in_use = false;
}

void store_end_use(struct store *s)
{
    if (!s)
        return;
    for (size_t i = 0; i < s->cap; i++)
        for (struct store_stmt *st = s->slots[i]; st; st = st->twin)
            if (st->in_use)
                store_done(st);
    s->nested = 0;   /* the whole transaction goes, savepoints and all */
    store_rollback(s);
}

/* ---- binding and stepping --------------------------------------------- */

static void note_bind(struct store_stmt *st, int idx, int rc)
{
    if (rc != SQLITE_OK && st->bind_rc == SQLITE_OK) {
        st->bind_rc = rc;
        st->bind_idx = idx;
    }
}

void store_bind_int(struct store_stmt *st, int idx, int64_t v)
{
    if (st)
        note_bind(st, idx, sqlite3_bind_int64(st->stmt, idx, v));
}

void store_bind_double(struct store_stmt *st, int idx, double v)
{
    if (st)
        note_bind(st, idx, sqlite3_bind_double(st->stmt, idx, v));
}

void store_bind_text(struct store_stmt *st, int idx, const char *v)
{
    if (!st)
        return;
    if (!v)
        note_bind(st, idx, sqlite3_bind_null(st->stmt, idx));
    else
        note_bind(st, idx, sqlite3_bind_text(st->stmt, idx, v, -1, SQLITE_TRANSIENT));
}

void store_bind_null(struct store_stmt *st, int idx)
{
    if (st)
        note_bind(st, idx, sqlite3_bind_null(st->stmt, idx));
}

enum store_rc store_step(struct store_stmt *st)
{
    if (!st)
        return STORE_ERROR;
    st->owner->has_msg = false;
    if (st->bind_rc != SQLITE_OK) {
        /* Running with a parameter silently NULL could store wrong data. */
        set_msg(st->owner, "cannot bind parameter %d: %s", st->bind_idx,
                sqlite3_errstr(st->bind_rc));
        return STORE_ERROR;
    }
    return map_rc(sqlite3_step(st->stmt));
}

enum store_rc store_exec_stmt(struct store_stmt *st)
{
    enum store_rc rc;
    while ((rc = store_step(st)) == STORE_ROW)
        ;
    return rc == STORE_DONE ? STORE_OK : rc;
}

enum store_rc store_exec_done(struct store_stmt *st)
{
    enum store_rc rc = store_exec_stmt(st);
    store_done(st);
    return rc;
}

enum store_rc store_get_row(struct store_stmt *st, store_row_fn read, void *out)
{
    enum store_rc rc = store_step(st);
    if (rc == STORE_ROW)
        read(st, out);
    store_done(st);
    return rc;
}

enum store_rc store_each_row(struct store_stmt *st, store_row_fn each, void *arg)
{
    enum store_rc rc;
    while ((rc = store_step(st)) == STORE_ROW)
        each(st, arg);
    store_done(st);
    return rc == STORE_DONE ? STORE_OK : rc;
}

enum store_rc store_get_int(struct store_stmt *st, int64_t *v)
{
    enum store_rc rc = store_step(st);
    if (rc == STORE_ROW)
        *v = store_col_int(st, 0);
    store_done(st);
    return rc == STORE_ROW ? STORE_OK : rc;
}

int64_t store_col_int(struct store_stmt *st, int col)
{
    return st ? sqlite3_column_int64(st->stmt, col) : 0;
}

double store_col_double(struct store_stmt *st, int col)
{
    return st ? sqlite3_column_double(st->stmt, col) : 0.0;
}

const char *store_col_text(struct store_stmt *st, int col)
{
    const unsigned char *t = st ? sqlite3_column_text(st->stmt, col) : NULL;
    return t ? (const char *)t : "";
}

bool store_col_is_null(struct store_stmt *st, int col)
{
    return !st || sqlite3_column_type(st->stmt, col) == SQLITE_NULL;
}

void store_col_copy(struct store_stmt *st, int col, char *out, size_t outsz)
{
    if (!out || outsz == 0)
        return;
    const char *t = store_col_text(st, col);
    size_t n = strlen(t);
    if (n >= outsz) {
        n = outsz - 1;
        /* Back off to the start of a UTF-8 sequence rather than cut one. */
        while (n > 0 && ((unsigned char)t[n] & 0xC0) == 0x80)
            n--;
    }
    memcpy(out, t, n);
    out[n] = '\0';
}

/* ---- connection-level calls ------------------------------------------- */

int64_t store_changes(struct store *s)
{
    return s ? sqlite3_changes64(s->db) : 0;
}

const char *store_errmsg(struct store *s)
{
    if (!s)
        return "no database connection";
    return s->has_msg ? s->msg : sqlite3_errmsg(s->db);
}

const char *store_backend_name(const struct store *s)
{
    (void)s;
    return "sqlite";
}

/* Runs one fixed statement through the cache. */
static enum store_rc run(struct store *s, const char *sql)
{
    struct store_stmt *st = store_prepare(s, sql);
    if (!st)
        return STORE_ERROR;
    enum store_rc rc = store_exec_stmt(st);
    store_done(st);
    return rc;
}

/* A transaction begun inside another becomes a savepoint, so a use case
 * that wraps its own writes in a transaction can also run as part of a
 * larger one (tas demo loads a year of records in one). */
static enum store_rc begin(struct store *s, const char *sql)
{
    if (!s)
        return STORE_ERROR;
    if (!sqlite3_get_autocommit(s->db)) {
        enum store_rc rc = run(s, "SAVEPOINT tas_nested");
        if (rc == STORE_OK || rc == STORE_DONE)
            s->nested++;
        return rc == STORE_DONE ? STORE_OK : rc;
    }
    s->nested = 0;
    enum store_rc rc = run(s, sql);
    return rc == STORE_DONE ? STORE_OK : rc;
}

enum store_rc store_begin(struct store *s)
{
    return begin(s, "BEGIN");
}

enum store_rc store_begin_write(struct store *s)
{
    return begin(s, "BEGIN IMMEDIATE");
}

/* On STORE_BUSY the transaction is still open: the caller rolls back. */
enum store_rc store_end_write(struct store *s, enum store_rc rc)
{
    if (rc == STORE_OK)
        rc = store_commit(s);
    if (rc != STORE_OK)
        store_rollback(s);
    return rc;
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
            put_err(err, errlen, "integrity check failed: %s", v ? v : "?");
    } else {
        put_err(err, errlen, "cannot check integrity: %s", sqlite3_errmsg(db));
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
        put_err(err, errlen, "cannot start the copy: %s", sqlite3_errmsg(to));
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
        put_err(err, errlen, "copy failed: %s", sqlite3_errstr(rc != SQLITE_DONE ? rc : frc));
        return rc == SQLITE_BUSY || rc == SQLITE_LOCKED ? STORE_BUSY : STORE_ERROR;
    }
    return STORE_OK;
}

enum store_rc store_backup(struct store *s, const char *dest, int64_t *pages, char *err, size_t errlen)
{
    int fd = open(dest, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);
    if (fd < 0) {
        put_err(err, errlen, "cannot create %s: %s", dest, strerror(errno));
        return STORE_ERROR;
    }
    close(fd);
    sqlite3 *to = NULL;
    enum store_rc rc = STORE_ERROR;
    if (sqlite3_open_v2(dest, &to, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK)
        put_err(err, errlen, "cannot open %s: %s", dest, to ? sqlite3_errmsg(to) : "out of memory");
    else if ((rc = copy_db(to, s->db, pages, err, errlen)) == STORE_OK && !intact(to, err, errlen))
        rc = STORE_ERROR;
    /* One self-contained file (no -wal beside it), which reading does not
     * change; a restore puts it back in WAL mode. */
    else if (sqlite3_exec(to, "PRAGMA journal_mode = DELETE", NULL, NULL, NULL) != SQLITE_OK) {
        put_err(err, errlen, "cannot finish %s: %s", dest, sqlite3_errmsg(to));
        rc = STORE_ERROR;
    }
    if (sqlite3_close(to) != SQLITE_OK && rc == STORE_OK) {
        put_err(err, errlen, "cannot close %s", dest);
        rc = STORE_ERROR;
    }
    if (rc != STORE_OK)
        unlink(dest);
    return rc;
}

enum store_rc store_restore(struct store *s, const char *src, char *err, size_t errlen)
{
    sqlite3 *from = NULL;
    enum store_rc rc = STORE_ERROR;
    if (sqlite3_open_v2(src, &from, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK) {
        put_err(err, errlen, "cannot open %s: %s", src, from ? sqlite3_errmsg(from) : "out of memory");
    } else if (intact(from, err, errlen)) {
        sqlite3_stmt *st = NULL;
        bool ours = sqlite3_prepare_v2(from, "SELECT count(*) FROM schema_migrations", -1, &st, NULL) == SQLITE_OK &&
                    sqlite3_step(st) == SQLITE_ROW && sqlite3_column_int64(st, 0) > 0;
        sqlite3_finalize(st);
        if (!ours)
            put_err(err, errlen, "%s is not a tas database", src);
        else
            rc = copy_db(s->db, from, NULL, err, errlen);
    }
    sqlite3_close(from);
    return rc;
}

bool store_in_transaction(struct store *s)
{
    return s && !sqlite3_get_autocommit(s->db);
}

const char *store_database_key(struct store *s)
{
    const char *f = s ? sqlite3_db_filename(s->db, "main") : NULL;
    return f ? f : "";
}

enum store_rc store_commit(struct store *s)
{
    if (!s)
        return STORE_ERROR;
    if (s->nested > 0) {
        enum store_rc rc = run(s, "RELEASE tas_nested");
        if (rc == STORE_OK || rc == STORE_DONE)
            s->nested--;
        return rc == STORE_DONE ? STORE_OK : rc;
    }
    enum store_rc rc = run(s, "COMMIT");
    return rc == STORE_DONE ? STORE_OK : rc;
}

void store_rollback(struct store *s)
{
    /* Autocommit means no transaction (never begun, or already undone by
     * SQLite after an error), so there is nothing to roll back. */
    if (!s || sqlite3_get_autocommit(s->db)) {
        if (s)
            s->nested = 0;
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
}

/* ---- migrations ------------------------------------------------------- */

struct migration {
    int version;
    const char *base;    /* "0001_foundation.sql" */
    int baselen;         /* without ".sql" */
    const char *name;    /* "foundation" (not NUL-terminated) */
    int namelen;
    const struct embedded_file *file;
};

static int cmp_migration(const void *a, const void *b)
{
    const struct migration *x = a, *y = b;
    return (x->version > y->version) - (x->version < y->version);
}

/* Picks this backend's migrations out of files, sorted by version.
 * Returns the count, or -1 with err set. */
static long collect(const struct embedded_file *files, size_t nfiles,
                    struct migration *out, char *err, size_t errlen)
{
    const size_t plen = strlen(STORE_SQLITE_MIGRATIONS);
    long n = 0;
    for (size_t i = 0; i < nfiles; i++) {
        const char *fname = files[i].name;
        if (!fname || strncmp(fname, STORE_SQLITE_MIGRATIONS, plen) != 0)
            continue;
        const char *base = fname + plen;
        size_t blen = strlen(base);
        if (strchr(base, '/') || blen < 4 || strcmp(base + blen - 4, ".sql") != 0)
            continue;
        if (blen > 200) {
            put_err(err, errlen, "migration file name too long: %.40s...", base);
            return -1;
        }
        struct migration *m = &out[n];
        m->base = base;
        m->baselen = (int)(blen - 4);
        long v = 0;
        const char *p = base;
        /* A misnamed file would otherwise never run: refuse instead. */
        if (!isdigit((unsigned char)*p)) {
            put_err(err, errlen, "migration %.*s: name must start with its version number",
                    m->baselen, base);
            return -1;
        }
        while (isdigit((unsigned char)*p) && v <= 100000000)
            v = v * 10 + (*p++ - '0');
        if (v <= 0 || v > 100000000 || isdigit((unsigned char)*p)) {
            put_err(err, errlen, "migration %.*s: bad version number", m->baselen, base);
            return -1;
        }
        m->version = (int)v;
        if (*p == '_' || *p == '-')
            p++;
        m->name = p;
        m->namelen = (int)(base + blen - 4 - p);
        if (m->namelen < 0)
            m->namelen = 0;
        m->file = &files[i];
        /* sqlite3_exec stops at a NUL: a file with one would half-run. */
        if (!files[i].data || memchr(files[i].data, '\0', files[i].size)) {
            put_err(err, errlen, "migration %.*s: file is empty or contains a NUL byte",
                    m->baselen, base);
            return -1;
        }
        n++;
    }
    qsort(out, (size_t)n, sizeof *out, cmp_migration);
    for (long i = 1; i < n; i++) {
        if (out[i].version == out[i - 1].version) {
            put_err(err, errlen, "migrations %.*s and %.*s have the same version",
                    out[i - 1].baselen, out[i - 1].base, out[i].baselen, out[i].base);
            return -1;
        }
    }
    return n;
}

/* Runs one migration in its own write transaction. */
static enum store_rc apply(struct store *s, const struct migration *m, char *err, size_t errlen)
{
    enum store_rc rc = store_begin_write(s);
    if (rc != STORE_OK) {
        put_err(err, errlen, "migration %.*s: cannot begin: %s", m->baselen, m->base,
                store_errmsg(s));
        return STORE_ERROR;
    }
    /* Checked inside the write lock: another process may have just run it. */
    struct store_stmt *st = store_prepare(s, "SELECT 1 FROM schema_migrations WHERE version = ?");
    if (!st)
        goto fail;
    store_bind_int(st, 1, m->version);
    rc = store_step(st);
    store_done(st);
    if (rc == STORE_ROW) {
        store_rollback(s);
        return STORE_OK;
    }
    if (rc != STORE_DONE)
        goto fail;

    char *xerr = NULL;
    if (sqlite3_exec(s->db, (const char *)m->file->data, NULL, NULL, &xerr) != SQLITE_OK) {
        put_err(err, errlen, "migration %.*s: %s", m->baselen, m->base,
                xerr ? xerr : sqlite3_errmsg(s->db));
        sqlite3_free(xerr);
        store_rollback(s);
        return STORE_ERROR;
    }
    if (sqlite3_get_autocommit(s->db)) {
        /* It ran COMMIT or ROLLBACK itself: part of it may have landed. */
        put_err(err, errlen, "migration %.*s: must not begin or end transactions itself",
                m->baselen, m->base);
        return STORE_ERROR;
    }
    /* Foreign keys are not checked on DDL: catch a migration that leaves
     * dangling references before it is recorded. */
    char table[128];
    if (pragma(s->db, "PRAGMA foreign_key_check", table, sizeof table) != SQLITE_OK)
        goto fail;
    if (table[0]) {
        put_err(err, errlen, "migration %.*s: leaves rows in %s breaking a foreign key",
                m->baselen, m->base, table);
        store_rollback(s);
        return STORE_ERROR;
    }

    st = store_prepare(s, "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)");
    if (!st)
        goto fail;
    char name[256];
    snprintf(name, sizeof name, "%.*s", m->namelen, m->name);
    store_bind_int(st, 1, m->version);
    store_bind_text(st, 2, name);
    store_bind_int(st, 3, clock_now());
    rc = store_exec_stmt(st);
    store_done(st);
    if (rc != STORE_OK || store_commit(s) != STORE_OK)
        goto fail;
    return STORE_OK;

fail:
    put_err(err, errlen, "migration %.*s: %s", m->baselen, m->base, store_errmsg(s));
    store_rollback(s);
    return STORE_ERROR;
}

enum store_rc store_migrate_files(struct store *s, const struct embedded_file *files,
                                  size_t nfiles, char *err, size_t errlen)
{
    if (err && errlen)
        err[0] = '\0';
    if (!s) {
        put_err(err, errlen, "no database connection");
        return STORE_ERROR;
    }
    if (!sqlite3_get_autocommit(s->db)) {
        put_err(err, errlen, "cannot migrate inside a transaction");
        return STORE_ERROR;
    }
    struct migration *migs = calloc(nfiles ? nfiles : 1, sizeof *migs);
    if (!migs) {
        put_err(err, errlen, "out of memory");
        return STORE_ERROR;
    }
    enum store_rc rc = STORE_ERROR;
    long n = collect(files, nfiles, migs, err, errlen);
    if (n < 0)
        goto out;

    /* Our own fixed SQL, never input: sqlite3_exec is fine here. */
    char *xerr = NULL;
    if (sqlite3_exec(s->db,
                     "CREATE TABLE IF NOT EXISTS schema_migrations ("
                     " version INTEGER PRIMARY KEY,"
                     " name TEXT NOT NULL,"
                     " applied_at INTEGER NOT NULL)",
                     NULL, NULL, &xerr) != SQLITE_OK) {
        put_err(err, errlen, "cannot create schema_migrations: %s",
                xerr ? xerr : sqlite3_errmsg(s->db));
        sqlite3_free(xerr);
        goto out;
    }

    /* A database touched by a newer tas may hold tables this one would
     * misuse: refuse rather than guess. */
    int have = store_schema_version(s);
    int known = n > 0 ? migs[n - 1].version : 0;
    if (have > known) {
        put_err(err, errlen,
                "database schema version %d is newer than this tas knows (%d): "
                "use a newer tas", have, known);
        goto out;
    }
    for (long i = 0; i < n; i++)
        if (apply(s, &migs[i], err, errlen) != STORE_OK)
            goto out;
    rc = STORE_OK;
out:
    free(migs);
    return rc;
}

enum store_rc store_migrate(struct store *s, char *err, size_t errlen)
{
    return store_migrate_files(s, embedded_files, embedded_count, err, errlen);
}

int store_schema_version(struct store *s)
{
    if (!s)
        return -1;
    struct store_stmt *st = store_prepare(s,
        "SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = 'schema_migrations'");
    if (!st)
        return -1;
    enum store_rc rc = store_step(st);
    store_done(st);
    if (rc != STORE_ROW)
        return -1;
    st = store_prepare(s, "SELECT max(version) FROM schema_migrations");
    if (!st)
        return -1;
    int v = -1;
    if (store_step(st) == STORE_ROW && !store_col_is_null(st, 0)) {
        /* Clamp, so a huge version still reads as "newer", never as -1. */
        int64_t x = store_col_int(st, 0);
        v = x > INT_MAX ? INT_MAX : x < 0 ? -1 : (int)x;
    }
    store_done(st);
    return v;
}
