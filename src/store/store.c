/* The public calls of store.h: each forwards to the connection's backend
 * (store_internal.h), and what is the same for every backend is here once:
 * choosing the backend by URL, the row readers, transactions' end and the
 * migrations runner.
 *
 * Nothing here logs: errors go back through err buffers or store_errmsg(),
 * and neither ever includes bound parameters (they may hold child data). */
#include "store/store.h"
#include "lib/count.h"

#include <ctype.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "lib/clock.h"
#include "lib/embedded.h"
#include "store/store_internal.h"

void store_put_err(char *err, size_t errlen, const char *fmt, ...)
{
    if (!err || errlen == 0)
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err, errlen, fmt, ap);
    va_end(ap);
}

uint64_t store_hash_sql(const char *sql)
{
    uint64_t h = 14695981039346656037u;  /* FNV-1a */
    for (const unsigned char *p = (const unsigned char *)sql; *p; p++) {
        h ^= *p;
        h *= 1099511628211u;
    }
    return h;
}

/* ---- opening ---------------------------------------------------------- */

struct store *store_open(const char *url, char *err, size_t errlen)
{
    if (err && errlen)
        err[0] = '\0';
    if (!url) {
        store_put_err(err, errlen, "no database given");
        return NULL;
    }
    if (strncmp(url, "postgresql://", 13) == 0 || strncmp(url, "postgres://", 11) == 0)
        return store_pg_open(url, err, errlen);
    if (strncmp(url, "postgres:", 9) == 0 || strncmp(url, "postgresql:", 11) == 0) {
        store_put_err(err, errlen, "a PostgreSQL database is given as postgresql://...");
        return NULL;
    }
    return store_sqlite_open(store_sqlite_path(url), err, errlen);
}

const char *store_sqlite_path(const char *url)
{
    if (strncmp(url, "postgres", 8) == 0)
        return NULL;
    return strncmp(url, "sqlite:", 7) == 0 ? url + 7 : url;
}

void store_close(struct store *s)
{
    if (s)
        s->ops->close(s);
}

const char *store_backend_name(const struct store *s)
{
    return s ? s->ops->name : "";
}

/* ---- statements ------------------------------------------------------- */

/* ---- the records' generation ------------------------------------------
 *
 * data_generation's one number goes up with every transaction that changes
 * records, in that transaction, so a page kept in memory under the number
 * read before it was made is current while the number stands (whichever
 * process or server wrote).  A statement changes records when its backend
 * says it wrote (not transaction control) and it does not write only to
 * one of the tables below: what reading a page writes (its audit entry,
 * the session's last use) and what the dashboard keeps for itself (with a
 * generation of its own), so that reading does not make every kept page
 * old.  A page kept under this number must show nothing from them. */

static const char *const unrecorded[] = {
    "audit_log", "audit_pending", "audit_prune", "sessions", "form_tokens", "login_throttle", "sign_in_pending",
    "data_generation", "dash_generation", "dash_rollup", "dash_rollup_stale", "dash_rollup_building",
};

static const char *skip_space(const char *p)
{
    while (isspace((unsigned char)*p))
        p++;
    return p;
}

/* Whether p begins with the keyword w (any case) and a word ends there;
 * the text after it (and its spaces), or NULL. */
static const char *keyword(const char *p, const char *w)
{
    size_t n = strlen(w);
    if (strncasecmp(p, w, n) != 0 || isalnum((unsigned char)p[n]) || p[n] == '_')
        return NULL;
    return skip_space(p + n);
}

/* The table an INSERT, REPLACE, UPDATE or DELETE writes to, into out
 * (without quotes); false for any other statement or a text not read. */
static bool write_target(const char *sql, char *out, size_t outsz)
{
    const char *p = skip_space(sql), *q;
    if ((q = keyword(p, "INSERT")) || (q = keyword(p, "UPDATE"))) {
        bool update = !keyword(p, "INSERT");
        if (keyword(q, "OR")) {   /* INSERT OR IGNORE, UPDATE OR REPLACE */
            q = keyword(q, "OR");
            while (isalpha((unsigned char)*q))
                q++;
            q = skip_space(q);
        }
        p = update ? q : keyword(q, "INTO");
    } else if ((q = keyword(p, "REPLACE"))) {
        p = keyword(q, "INTO");
    } else if ((q = keyword(p, "DELETE"))) {
        p = keyword(q, "FROM");
    } else {
        return false;
    }
    if (!p)
        return false;
    if (*p == '"')
        p++;
    size_t n = 0;
    while ((isalnum((unsigned char)p[n]) || p[n] == '_') && n + 1 < outsz)
        n++;
    memcpy(out, p, n);
    out[n] = '\0';
    return n > 0;
}

bool store_writes_unrecorded(const char *sql)
{
    /* Transaction control (SQLite counts BEGIN IMMEDIATE as a write). */
    static const char *const control[] = {"BEGIN", "COMMIT", "END", "ROLLBACK", "SAVEPOINT", "RELEASE"};
    const char *p = sql ? skip_space(sql) : "";
    for (size_t i = 0; i < COUNT(control); i++)
        if (keyword(p, control[i]))
            return true;
    char t[64];
    if (!sql || !write_target(sql, t, sizeof t))
        return false;
    for (size_t i = 0; i < COUNT(unrecorded); i++)
        if (!strcasecmp(t, unrecorded[i]))
            return true;
    return false;
}

/* The transaction is over: what was to follow its commit goes. */
static void forget_after_commit(struct store *s)
{
    s->after_commit = NULL;
    s->after_commit_arg = NULL;
}

/* In the open transaction, or by itself outside one. */
static enum store_rc bump_generation(struct store *s)
{
    s->records_changed = false;
    s->autocommit_changed = false;
    /* A database still being migrated may not have the table yet. */
    if (!s->generation_kept && !(s->generation_kept = s->ops->has_table(s, "data_generation")))
        return STORE_OK;
    int64_t changes = store_changes(s);
    enum store_rc rc = store_exec_done(store_prepare(s, "UPDATE data_generation SET n = n + 1 WHERE id = 1"));
    s->changes = changes;
    s->changes_held = true;
    return rc;
}

enum store_rc store_records_generation(struct store *s, int64_t *n)
{
    *n = 0;
    return store_get_int(store_prepare(s, "SELECT n FROM data_generation WHERE id = 1"), n);
}

/* ---- statements ------------------------------------------------------- */

struct store_stmt *store_prepare(struct store *s, const char *sql)
{
    return s ? s->ops->prepare(s, sql) : NULL;
}

void store_done(struct store_stmt *st)
{
    if (!st)
        return;
    struct store *s = st->owner;
    s->ops->done(st);
    /* A write outside a transaction is committed once done: so is its bump. */
    if (s->autocommit_changed && !s->ops->in_transaction(s))
        (void)bump_generation(s);
}

void store_begin_use(struct store *s)
{
    if (s && s->ops->begin_use)
        s->ops->begin_use(s);
}

void store_end_use(struct store *s)
{
    if (!s)
        return;
    s->ops->end_use(s);
    /* What the rollback undid needs no bump; a write done outside a
     * transaction and never finished with store_done gets it now. */
    if (s->autocommit_changed)
        (void)bump_generation(s);
    s->records_changed = false;
    forget_after_commit(s);
    s->side_by_side = false;
}

void store_bind_int(struct store_stmt *st, int idx, int64_t v)
{
    if (st)
        st->owner->ops->bind_int(st, idx, v);
}

void store_bind_double(struct store_stmt *st, int idx, double v)
{
    if (st)
        st->owner->ops->bind_double(st, idx, v);
}

void store_bind_text(struct store_stmt *st, int idx, const char *v)
{
    if (!st)
        return;
    if (v)
        st->owner->ops->bind_text(st, idx, v);
    else
        st->owner->ops->bind_null(st, idx);
}

void store_bind_null(struct store_stmt *st, int idx)
{
    if (st)
        st->owner->ops->bind_null(st, idx);
}

enum store_rc store_step(struct store_stmt *st)
{
    if (!st)
        return STORE_ERROR;
    struct store *s = st->owner;
    s->changes_held = false;
    enum store_rc rc = s->ops->step(st);
    if ((rc == STORE_ROW || rc == STORE_DONE) && s->ops->wrote(st)) {
        /* In a transaction the bump goes with its commit; outside one,
         * after the statement (store_done).  Once marked, a bulk load's
         * further rows are not read again. */
        bool *changed = s->ops->in_transaction(s) ? &s->records_changed : &s->autocommit_changed;
        if (!*changed && !store_writes_unrecorded(st->sql))
            *changed = true;
    }
    return rc;
}

int64_t store_col_int(struct store_stmt *st, int col)
{
    return st ? st->owner->ops->col_int(st, col) : 0;
}

double store_col_double(struct store_stmt *st, int col)
{
    return st ? st->owner->ops->col_double(st, col) : 0.0;
}

const char *store_col_text(struct store_stmt *st, int col)
{
    return st ? st->owner->ops->col_text(st, col) : "";
}

bool store_col_is_null(struct store_stmt *st, int col)
{
    return !st || st->owner->ops->col_is_null(st, col);
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

/* ---- connection-level calls ------------------------------------------- */

int64_t store_changes(struct store *s)
{
    if (!s)
        return 0;
    return s->changes_held ? s->changes : s->ops->changes(s);
}

const char *store_errmsg(struct store *s)
{
    return s ? s->ops->errmsg(s) : "no database connection";
}

bool store_in_transaction(struct store *s)
{
    return s && s->ops->in_transaction(s);
}

const char *store_database_key(struct store *s)
{
    return s ? s->ops->database_key(s) : "";
}

enum store_rc store_backup(struct store *s, const char *dest, int64_t *pages, char *err, size_t errlen)
{
    if (!s) {
        store_put_err(err, errlen, "no database connection");
        return STORE_ERROR;
    }
    return s->ops->backup(s, dest, pages, err, errlen);
}

enum store_rc store_restore(struct store *s, const char *src, char *err, size_t errlen)
{
    if (!s) {
        store_put_err(err, errlen, "no database connection");
        return STORE_ERROR;
    }
    return s->ops->restore(s, src, err, errlen);
}

/* ---- transactions ----------------------------------------------------- */

enum store_rc store_begin(struct store *s)
{
    return s ? s->ops->begin(s, STORE_BEGIN_READ) : STORE_ERROR;
}

enum store_rc store_begin_write(struct store *s)
{
    if (!s)
        return STORE_ERROR;
    if (!s->ops->in_transaction(s))
        s->conflicted = false;
    return s->ops->begin(s, STORE_BEGIN_WRITE);
}

enum store_rc store_begin_serial(struct store *s)
{
    return s ? s->ops->begin(s, STORE_BEGIN_SERIAL) : STORE_ERROR;
}

bool store_conflicted(struct store *s)
{
    return s && s->conflicted;
}

void store_write_side_by_side(struct store *s, bool on)
{
    if (s)
        s->side_by_side = on;
}

void store_after_commit(struct store *s, void (*fn)(struct store *s, void *arg), void *arg)
{
    if (!s || !s->ops->in_transaction(s))
        return;
    s->after_commit = fn;
    s->after_commit_arg = arg;
}


enum store_rc store_begin_aside(struct store *s)
{
    return s ? s->ops->begin(s, STORE_BEGIN_ASIDE) : STORE_ERROR;
}

bool store_one_writer(struct store *s)
{
    return !s || s->ops->one_writer;
}

/* The bump of the records' generation goes in the transaction where one
 * write runs at a time (it costs nothing there).  Where writers run side
 * by side it follows the commit, by itself: inside, every writer would
 * update the one row and fail the others' serialization.  A page read
 * between such a commit and its bump is kept under the number before the
 * bump, which the bump then retires: no page is kept as current that is
 * older than its number.  Inside a savepoint the bump is part of the outer
 * transaction, and undone with it. */
enum store_rc store_commit(struct store *s)
{
    if (!s)
        return STORE_ERROR;
    bool inside = s->ops->one_writer;
    int64_t changes = store_changes(s);
    bool bump = s->records_changed;
    enum store_rc rc = bump && inside ? bump_generation(s) : STORE_OK;
    rc = rc == STORE_OK ? s->ops->commit(s) : rc;
    bool ended = !s->ops->in_transaction(s);
    if (rc == STORE_OK && bump && !inside && ended)
        (void)bump_generation(s);
    if (bump && (inside || ended)) {
        s->changes = changes;   /* the caller's statement's, as without the bump */
        s->changes_held = true;
    }
    if (ended) {
        void (*fn)(struct store *, void *) = rc == STORE_OK ? s->after_commit : NULL;
        void *arg = s->after_commit_arg;
        forget_after_commit(s);
        if (fn)
            fn(s, arg);
    }
    return rc;
}

void store_rollback(struct store *s)
{
    if (!s)
        return;
    s->ops->rollback(s);
    /* After a savepoint's rollback the rest of the transaction may stand. */
    if (!s->ops->in_transaction(s)) {
        s->records_changed = false;
        forget_after_commit(s);
    }
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

/* ---- migrations ------------------------------------------------------- */

struct migration {
    int version;
    const char *base;    /* "0001_foundation.sql" */
    int baselen;         /* without ".sql" */
    const char *name;    /* "foundation" (not NUL-terminated) */
    int namelen;
    const struct embedded_file *file;
    bool portable;       /* from common/: put in the backend's dialect */
};

static int cmp_migration(const void *a, const void *b)
{
    const struct migration *x = a, *y = b;
    return (x->version > y->version) - (x->version < y->version);
}

/* Picks the migrations of a backend out of files: those in common/ and
 * those under dir (its own), sorted by version.  Returns the count, or -1
 * with err set. */
static long collect(const char *dir, const struct embedded_file *files, size_t nfiles,
                    struct migration *out, char *err, size_t errlen)
{
    const size_t plen = strlen(dir), clen = strlen(STORE_COMMON_MIGRATIONS);
    long n = 0;
    for (size_t i = 0; i < nfiles; i++) {
        const char *fname = files[i].name;
        bool portable = fname && strncmp(fname, STORE_COMMON_MIGRATIONS, clen) == 0;
        if (!fname || (!portable && strncmp(fname, dir, plen) != 0))
            continue;
        const char *base = fname + (portable ? clen : plen);
        size_t blen = strlen(base);
        if (strchr(base, '/') || blen < 4 || strcmp(base + blen - 4, ".sql") != 0)
            continue;
        if (blen > 200) {
            store_put_err(err, errlen, "migration file name too long: %.40s...", base);
            return -1;
        }
        struct migration *m = &out[n];
        m->base = base;
        m->baselen = (int)(blen - 4);
        long v = 0;
        const char *p = base;
        /* A misnamed file would otherwise never run: refuse instead. */
        if (!isdigit((unsigned char)*p)) {
            store_put_err(err, errlen, "migration %.*s: name must start with its version number",
                          m->baselen, base);
            return -1;
        }
        while (isdigit((unsigned char)*p) && v <= 100000000)
            v = v * 10 + (*p++ - '0');
        if (v <= 0 || v > 100000000 || isdigit((unsigned char)*p)) {
            store_put_err(err, errlen, "migration %.*s: bad version number", m->baselen, base);
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
        m->portable = portable;
        /* A script runs up to a NUL: a file with one would half-run. */
        if (!files[i].data || memchr(files[i].data, '\0', files[i].size)) {
            store_put_err(err, errlen, "migration %.*s: file is empty or contains a NUL byte",
                          m->baselen, base);
            return -1;
        }
        n++;
    }
    qsort(out, (size_t)n, sizeof *out, cmp_migration);
    for (long i = 1; i < n; i++) {
        if (out[i].version == out[i - 1].version) {
            store_put_err(err, errlen, "migrations %.*s and %.*s have the same version",
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
        store_put_err(err, errlen, "migration %.*s: cannot begin: %s", m->baselen, m->base,
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

    /* The file is NUL-free (collect checked) but not NUL-terminated; one
     * from common/ is put in this backend's dialect (refused if it leaves
     * the portable subset, on every backend alike). */
    char why[512] = "";
    char *sql = m->portable ? sql_portable_to((const char *)m->file->data, m->file->size, s->ops->dialect,
                                              why, sizeof why)
                            : malloc(m->file->size + 1);
    if (!sql) {
        store_put_err(err, errlen, "migration %.*s: %s", m->baselen, m->base, why[0] ? why : "out of memory");
        store_rollback(s);
        return STORE_ERROR;
    }
    if (!m->portable) {
        memcpy(sql, m->file->data, m->file->size);
        sql[m->file->size] = '\0';
    }
    rc = s->ops->exec_script(s, sql, why, sizeof why);
    free(sql);
    if (rc != STORE_OK) {
        store_put_err(err, errlen, "migration %.*s: %s", m->baselen, m->base, why);
        store_rollback(s);
        return STORE_ERROR;
    }
    if (!store_in_transaction(s)) {
        /* It ran COMMIT or ROLLBACK itself: part of it may have landed. */
        store_put_err(err, errlen, "migration %.*s: must not begin or end transactions itself",
                      m->baselen, m->base);
        return STORE_ERROR;
    }
    if (s->ops->after_script && s->ops->after_script(s, why, sizeof why) != STORE_OK) {
        store_put_err(err, errlen, "migration %.*s: %s", m->baselen, m->base, why);
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
    store_put_err(err, errlen, "migration %.*s: %s", m->baselen, m->base, store_errmsg(s));
    store_rollback(s);
    return STORE_ERROR;
}

enum store_rc store_migrate_files(struct store *s, const struct embedded_file *files,
                                  size_t nfiles, char *err, size_t errlen)
{
    if (err && errlen)
        err[0] = '\0';
    if (!s) {
        store_put_err(err, errlen, "no database connection");
        return STORE_ERROR;
    }
    if (store_in_transaction(s)) {
        store_put_err(err, errlen, "cannot migrate inside a transaction");
        return STORE_ERROR;
    }
    struct migration *migs = calloc(nfiles ? nfiles : 1, sizeof *migs);
    if (!migs) {
        store_put_err(err, errlen, "out of memory");
        return STORE_ERROR;
    }
    enum store_rc rc = STORE_ERROR;
    long n = collect(s->ops->migrations_dir, files, nfiles, migs, err, errlen);
    if (n < 0)
        goto out;

    /* Our own fixed SQL, never input. */
    char why[512] = "";
    if (s->ops->exec_script(s, s->ops->migrations_table_sql, why, sizeof why) != STORE_OK) {
        store_put_err(err, errlen, "cannot create schema_migrations: %s", why);
        goto out;
    }

    /* A database touched by a newer tas may hold tables this one would
     * misuse: refuse rather than guess. */
    int have = store_schema_version(s);
    int known = n > 0 ? migs[n - 1].version : 0;
    if (have > known) {
        store_put_err(err, errlen,
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

int store_latest_version(struct store *s)
{
    if (!s)
        return 0;
    struct migration *migs = calloc(embedded_count ? embedded_count : 1, sizeof *migs);
    if (!migs)
        return 0;
    long n = collect(s->ops->migrations_dir, embedded_files, embedded_count, migs, NULL, 0);
    int v = n > 0 ? migs[n - 1].version : 0;
    free(migs);
    return v;
}

int store_schema_version(struct store *s)
{
    if (!s || !s->ops->has_table(s, "schema_migrations"))
        return -1;
    struct store_stmt *st = store_prepare(s, "SELECT max(version) FROM schema_migrations");
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

/* A statement with no input, its rows ignored; and, when want is given,
 * its first row's text must be want (SQLite answers a journal mode it will
 * not switch to with the mode it keeps). */
static enum store_rc run_setting(struct store *s, const char *sql, const char *want)
{
    struct store_stmt *st = store_prepare(s, sql);
    enum store_rc rc = st ? store_step(st) : STORE_ERROR;
    bool ok = rc == STORE_ROW ? (!want || !strcmp(store_col_text(st, 0), want)) : (rc == STORE_DONE && !want);
    if (st)
        store_done(st);
    return ok ? STORE_OK : STORE_ERROR;
}

enum store_rc store_analyze(struct store *s)
{
    return run_setting(s, "ANALYZE", NULL);
}

enum store_rc store_sqlite_bulk_begin(struct store *s)
{
    if (run_setting(s, "PRAGMA journal_mode = MEMORY", "memory") != STORE_OK ||
        run_setting(s, "PRAGMA synchronous = OFF", NULL) != STORE_OK ||
        run_setting(s, "PRAGMA cache_size = -65536", NULL) != STORE_OK)
        return STORE_ERROR;
    return run_setting(s, "PRAGMA ignore_check_constraints = ON", NULL);
}

enum store_rc store_sqlite_bulk_end(struct store *s)
{
    return run_setting(s, "PRAGMA journal_mode = WAL", "wal");
}
