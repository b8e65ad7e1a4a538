/* The storage interface.  Everything tas keeps goes through these few
 * calls; the SQL itself lives in the per-area query files beside this one
 * (src/store/q_*.c) and is written in the portable subset that SQLite and
 * PostgreSQL share: '?' placeholders (a PostgreSQL backend rewrites them to
 * $n), RETURNING for new ids, LIMIT/OFFSET, lower() for case folding,
 * integers for times (Unix seconds) and booleans.
 *
 * Statements are prepared once per connection and cached by their SQL text,
 * so callers pass string literals: SQL text is never built from input.
 *
 * Threading: a connection belongs to one thread at a time; the pool hands
 * them out.  The SQLite backend opens WAL mode, foreign keys on,
 * synchronous=FULL and a busy timeout.  Which backend a connection has is
 * known only inside src/store (store_internal.h). */
#ifndef TAS_STORE_STORE_H
#define TAS_STORE_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct store;        /* one connection */
struct store_stmt;   /* a prepared, cached statement */
struct store_pool;   /* connections shared by the server's threads */

enum store_rc {
    STORE_OK = 0,
    STORE_ROW,         /* store_step: a row is ready */
    STORE_DONE,        /* store_step: no more rows */
    STORE_CONSTRAINT,  /* unique / foreign key / check violation */
    STORE_BUSY,        /* database locked beyond the busy timeout */
    STORE_ERROR
};

/* url: "sqlite:PATH" or a bare PATH (SQLite), or "postgresql://..." (or
 * "postgres://...": PostgreSQL through libpq, when the build has it; see
 * docs/postgresql.md for what runs there yet).  Keep a server's password
 * out of the URL (PGPASSFILE, ~/.pgpass): the URL appears in messages.
 * On failure returns NULL and writes a one-line reason into err. */
struct store *store_open(const char *url, char *err, size_t errlen);

/* The file of a SQLite url (url itself, or after "sqlite:"); NULL for a
 * database server's url.  For what only a file has: its online backup,
 * the server key kept beside it. */
const char *store_sqlite_path(const char *url);
void store_close(struct store *s);

/* Applies the embedded migrations not yet recorded in schema_migrations,
 * each in its own transaction.  Returns STORE_OK or STORE_ERROR (reason in
 * err).  Safe to call on every start-up. */
enum store_rc store_migrate(struct store *s, char *err, size_t errlen);
/* Highest applied migration version, or -1. */
int store_schema_version(struct store *s);
/* The newest migration this tas holds for s's backend: the version
 * store_migrate brings a database to (0 when it holds none). */
int store_latest_version(struct store *s);

/* Transactions.  begin_write takes the write lock at once (BEGIN IMMEDIATE
 * on SQLite) so a read-then-write transaction cannot deadlock: one write
 * runs at a time, unless the connection allows side by side (below). */
enum store_rc store_begin(struct store *s);
enum store_rc store_begin_write(struct store *s);
/* While on, write transactions begun on s may run beside each other where
 * the backend can (PostgreSQL: SERIALIZABLE, so of two that conflict the
 * server fails one, STORE_BUSY with store_conflicted, instead of letting
 * an update be lost).  Only for a caller that can then run the whole
 * transaction again (web/dispatch.c does, for a request's change); every
 * other write keeps all writers out while it runs.  Nothing changes where
 * one write runs at a time (SQLite). */
void store_write_side_by_side(struct store *s, bool on);
/* Whether the last write transaction begun on s failed because a
 * concurrent one conflicted with it (a serialization failure or a
 * deadlock): the same work, run again from its beginning, may succeed.
 * Cleared when the next write transaction begins.  Never on SQLite. */
bool store_conflicted(struct store *s);
/* A short write that runs alone among those begun this way, and waits for
 * no other writer (the audit chain's appends, svc_audit.c): on
 * PostgreSQL a READ COMMITTED transaction under a lock of its own; on
 * SQLite the same as store_begin_write. */
enum store_rc store_begin_serial(struct store *s);
/* fn(s, arg) is called once the transaction open on s commits, after the
 * commit (not if it rolls back); one at a time: a later call replaces an
 * earlier one's fn.  Outside a transaction it is not kept. */
void store_after_commit(struct store *s, void (*fn)(struct store *s, void *arg), void *arg);
/* A write that touches only rows no other writer touches (a slice of the
 * dashboard's rollup, claimed first), begun so that other writers need not
 * wait for it: on PostgreSQL a REPEATABLE READ transaction (one snapshot
 * for everything it reads) without the write lock, where a row another
 * transaction changed meanwhile fails it with STORE_BUSY; where one write
 * runs at a time (SQLite), the same as store_begin_write.  All or nothing:
 * on PostgreSQL a statement that fails there fails the transaction (no
 * savepoint per statement), which the caller then rolls back. */
enum store_rc store_begin_aside(struct store *s);
/* Whether the backend runs one write transaction at a time (SQLite): then
 * splitting a long write into short ones frees no other writer. */
bool store_one_writer(struct store *s);
enum store_rc store_commit(struct store *s);
void store_rollback(struct store *s);
/* The end of a write begun with store_begin_write, given the write's
 * result rc: commits when rc is STORE_OK, otherwise (or when the commit
 * fails) rolls back.  Returns rc, or the commit's error. */
enum store_rc store_end_write(struct store *s, enum store_rc rc);
/* Copies the whole database, as it stood at one moment, into the new file
 * dest (refused if it exists), while other connections go on reading and
 * writing: one read snapshot, so the copy is consistent whatever is
 * written meanwhile.  The copy is owner-only and passes an integrity
 * check, or is removed.  *pages receives its size in pages. */
enum store_rc store_backup(struct store *s, const char *dest, int64_t *pages, char *err, size_t errlen);
/* Replaces everything in s's database with the content of the file src,
 * which must be a tas database passing an integrity check (it is only
 * read).  Nobody else should be using s's database meanwhile. */
enum store_rc store_restore(struct store *s, const char *src, char *err, size_t errlen);

/* The records' generation: a number that goes up, in the same transaction,
 * whenever a transaction changes any record -- every table but what
 * reading writes (the audit log, sessions, sign-in throttles and one-time
 * form tokens) and the dashboard's own rollup (with its own generation).
 * A page kept in memory under the number read before it was made is
 * current while the number stands.  STORE_OK with *n, or an error. */
enum store_rc store_records_generation(struct store *s, int64_t *n);

/* Fresh statistics for the query planner (ANALYZE), after a bulk load. */
enum store_rc store_analyze(struct store *s);
/* A new SQLite file set up for one bulk load, and set back: the journal in
 * memory, no syncs, a 64 MiB page cache and CHECK constraints not tested
 * row by row (the loader makes only valid rows); then WAL again.  Each
 * fails when SQLite does not take the journal mode. */
enum store_rc store_sqlite_bulk_begin(struct store *s);
enum store_rc store_sqlite_bulk_end(struct store *s);
/* Whether sql is transaction control or writes only to one of the tables
 * the generation leaves out (by its INSERT, REPLACE, UPDATE or DELETE
 * target); for tests. */
bool store_writes_unrecorded(const char *sql);

/* Whether a transaction (or savepoint) is open on this connection. */
bool store_in_transaction(struct store *s);
/* What two connections to the same database share and connections to
 * different ones do not: the database file's full path; "" for an
 * in-memory database, which only its own connection reaches. */
const char *store_database_key(struct store *s);

/* Returns a cached statement, reset and with bindings cleared, or NULL
 * (reason via store_errmsg).  The statement stays owned by the connection;
 * call store_done() when finished with it (it is reset, not freed). */
struct store_stmt *store_prepare(struct store *s, const char *sql);
void store_done(struct store_stmt *st);

/* Parameters are numbered from 1, as in SQL. text NULL binds NULL. */
void store_bind_int(struct store_stmt *st, int idx, int64_t v);
void store_bind_double(struct store_stmt *st, int idx, double v);
void store_bind_text(struct store_stmt *st, int idx, const char *v);
void store_bind_null(struct store_stmt *st, int idx);

enum store_rc store_step(struct store_stmt *st);

/* Columns are numbered from 0.  Text is valid until the next step/done;
 * NULL text comes back as "" (use store_col_is_null to tell). */
int64_t store_col_int(struct store_stmt *st, int col);
double store_col_double(struct store_stmt *st, int col);
const char *store_col_text(struct store_stmt *st, int col);
bool store_col_is_null(struct store_stmt *st, int col);
/* Copies column text into out (truncating safely). */
void store_col_copy(struct store_stmt *st, int col, char *out, size_t outsz);

/* Runs a statement that returns no rows (or ignores them). */
enum store_rc store_exec_stmt(struct store_stmt *st);
/* store_exec_stmt, then store_done: the usual end of an INSERT, UPDATE or
 * DELETE.  STORE_OK, or the error. */
enum store_rc store_exec_done(struct store_stmt *st);

/* Reading rows: a query is store_prepare, the binds, then one of the
 * three calls below, which step, read and call store_done, so no query file
 * writes its own step loop.  None needs a check after store_prepare: the
 * bind calls do nothing on the NULL of a failed prepare, these answer
 * STORE_ERROR for it and store_errmsg keeps the reason.
 *
 * A row reader copies what it needs out of the current row (column text
 * is valid only during the call); arg is the caller's. */
typedef void (*store_row_fn)(struct store_stmt *st, void *arg);

/* At most one row: on a row calls read(st, out).  Returns STORE_ROW (out
 * read), STORE_DONE (no row; out untouched) or the error.  Rows after the
 * first are not read. */
enum store_rc store_get_row(struct store_stmt *st, store_row_fn read, void *out);
/* Every row in order: each(st, arg).  Returns STORE_OK after the last row,
 * or the error (rows before it have been passed). */
enum store_rc store_each_row(struct store_stmt *st, store_row_fn each, void *arg);
/* An INSERT ... RETURNING id, or any query whose first row's first column
 * is one integer: STORE_OK with *v set, STORE_DONE when there is no row
 * (*v untouched), or the error. */
enum store_rc store_get_int(struct store_stmt *st, int64_t *v);

/* Rows changed by the last INSERT/UPDATE/DELETE on this connection. */
int64_t store_changes(struct store *s);
const char *store_errmsg(struct store *s);
const char *store_backend_name(const struct store *s);  /* "sqlite", "postgresql" */

/* Pool: n connections opened up front; acquire blocks until one is free. */
struct store_pool *store_pool_open(const char *url, int n, char *err, size_t errlen);
struct store *store_pool_acquire(struct store_pool *p);
void store_pool_release(struct store_pool *p, struct store *s);
void store_pool_close(struct store_pool *p);

#endif
