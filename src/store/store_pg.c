/* The PostgreSQL backend of the storage interface (store.h), through
 * libpq: connections, the per-connection cache of prepared statements,
 * transactions and savepoints, and what the migrations runner (store.c)
 * needs.  Built when pkg-config finds libpq (the Makefile defines
 * TAS_HAVE_LIBPQ); otherwise store_pg_open says so.
 *
 * How it keeps the SQLite backend's behaviour:
 *   - '?' placeholders are rewritten to $1, $2, ... (outside string
 *     literals, quoted names and comments) and each statement is prepared
 *     once per connection (PQprepare) and cached by its SQL text.
 *   - Values are sent as text with their type left to the server, which
 *     infers it from the statement; results come back as text (booleans
 *     read as 1 and 0).
 *   - A failed statement inside a transaction does not end it, as in
 *     SQLite: inside a transaction each statement runs under a savepoint
 *     (tas_stmt) that is released, or rolled back to on failure.
 *   - Writers that can run again (store_write_side_by_side: a request's
 *     change, web/dispatch.c) run side by side: a SERIALIZABLE
 *     transaction, so of two that conflict the server fails one (40001,
 *     STORE_BUSY with store_conflicted) instead of losing an update, and
 *     the caller runs it again.  Each holds one advisory lock shared.
 *     Every other writer (a migration, a sign-in, an import, a command)
 *     holds it exclusively, READ COMMITTED, and so runs as SQLite's BEGIN
 *     IMMEDIATE would, alone, with nothing to fail it.
 *     store_begin_serial takes another lock of its own (the audit chain's
 *     appends, which must come one at a time) and waits for no writer.
 *     store_begin_aside takes none: a REPEATABLE READ transaction for a
 *     long write of rows no other writer touches (a claimed slice of the
 *     dashboard's rollup), which writers need not wait for.
 *   - Errors: unique, foreign key, check and not-null violations are
 *     STORE_CONSTRAINT; serialization failures, deadlocks and lock time-outs
 *     STORE_BUSY.  Messages carry the SQLSTATE, the constraint's name and,
 *     only for errors in the SQL itself, the server's message: never a
 *     value (PostgreSQL quotes values in its data errors' messages).
 *
 * Nothing here logs. */
#include "store/store.h"
#include "lib/count.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/stmt_cache.h"
#include "store/store_internal.h"

#if defined(TAS_HAVE_LIBPQ)

#include <libpq-fe.h>

#define PG_BOOLOID 16
/* Advisory lock keys: writers' (ASCII "tas"), shared by those side by
 * side, exclusive for one alone; and the serial appenders' ("tasa").
 * A writer side by side takes its share before BEGIN, for the session
 * (released when the transaction ends): a SERIALIZABLE transaction's
 * snapshot is taken by its first statement, and were that statement the
 * lock's wait, a writer alone that committed meanwhile would go unseen
 * (and, READ COMMITTED, unchecked by the server): a lost update. */
#define PG_LOCK_SHARED "SELECT pg_advisory_lock_shared(7627123)"
#define PG_UNLOCK_SHARED "SELECT pg_advisory_unlock_shared(7627123)"
#define PG_BEGIN_WRITE "BEGIN ISOLATION LEVEL SERIALIZABLE"
#define PG_BEGIN_ALONE "BEGIN; SELECT pg_advisory_xact_lock(7627123)"
#define PG_BEGIN_SERIAL "BEGIN; SELECT pg_advisory_xact_lock(1952543585)"
#define PG_BEGIN_ASIDE "BEGIN ISOLATION LEVEL REPEATABLE READ"

struct pg_stmt {
    struct store_stmt base;    /* first: base.owner is the connection */
    char name[24];             /* the server-side prepared statement */
    int nparams;
    char **vals;               /* nparams values as text; NULL binds NULL */
    PGresult *res;             /* rows of the current execution */
    int nrows;
    int row;                   /* current row, -1 before the first */
    bool executed;
    bool wrote;                /* the execution changed the database (pg_wrote) */
    int bind_err;              /* first out-of-range parameter, or 0 */
};

struct pg {
    struct store base;         /* first: base.ops */
    PGconn *conn;
    struct stmt_cache cache;   /* its prepared statements */
    unsigned next_name;
    int nested;                /* savepoints open inside the transaction */
    bool aside;                /* the transaction open was begun aside (no statement savepoints) */
    bool shared;               /* holds the writers' lock shared, for the session (PG_LOCK_SHARED) */
    int64_t changes;
    char key[256];             /* store_database_key */
    char msg[256];
};

static const struct store_ops pg_ops;

static struct pg *PG(struct store *s)
{
    return (struct pg *)s;
}

static struct pg_stmt *PGS(struct store_stmt *st)
{
    return (struct pg_stmt *)st;
}

static void set_msg(struct pg *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void set_msg(struct pg *s, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(s->msg, sizeof s->msg, fmt, ap);
    va_end(ap);
}

/* The store's verdict on a failed result, and a message without values. */
static enum store_rc map_error(struct pg *s, const PGresult *r)
{
    const char *state = r ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : NULL;
    if (!state) {
        /* No result at all: the connection failed (libpq's own message
         * names no values). */
        set_msg(s, "%s", PQerrorMessage(s->conn));
        size_t n = strlen(s->msg);
        if (n && s->msg[n - 1] == '\n')
            s->msg[n - 1] = '\0';
        return STORE_ERROR;
    }
    const char *constraint = PQresultErrorField(r, PG_DIAG_CONSTRAINT_NAME);
    const char *primary = PQresultErrorField(r, PG_DIAG_MESSAGE_PRIMARY);
    enum store_rc rc = STORE_ERROR;
    if (strcmp(state, "23505") == 0 || strcmp(state, "23503") == 0 ||
        strcmp(state, "23514") == 0 || strcmp(state, "23502") == 0)
        rc = STORE_CONSTRAINT;
    else if (strcmp(state, "40001") == 0 || strcmp(state, "40P01") == 0 ||
             strcmp(state, "55P03") == 0)
        rc = STORE_BUSY;
    /* A serialization failure or a deadlock: run again, it may pass. */
    if (strcmp(state, "40001") == 0 || strcmp(state, "40P01") == 0)
        s->base.conflicted = true;
    if (rc == STORE_CONSTRAINT)
        set_msg(s, "constraint failed (SQLSTATE %s%s%s)", state, constraint ? ", " : "",
                constraint ? constraint : "");
    else if (strncmp(state, "42", 2) == 0 || strncmp(state, "0A", 2) == 0)
        /* Syntax, unknown names, unsupported: about our SQL, not data. */
        set_msg(s, "SQLSTATE %s: %s", state, primary ? primary : "?");
    else
        set_msg(s, "SQLSTATE %s", state);
    return rc;
}

/* Runs fixed SQL (ours, never input) with no parameters. */
static enum store_rc simple(struct pg *s, const char *sql)
{
    PGresult *r = PQexec(s->conn, sql);
    ExecStatusType t = PQresultStatus(r);
    enum store_rc rc = STORE_OK;
    if (t != PGRES_COMMAND_OK && t != PGRES_TUPLES_OK)
        rc = map_error(s, r);
    PQclear(r);
    return rc;
}

static bool in_tx(struct pg *s)
{
    PGTransactionStatusType t = PQtransactionStatus(s->conn);
    return t == PQTRANS_INTRANS || t == PQTRANS_INERROR;
}

static void quiet_notice(void *arg, const char *message)
{
    (void)arg;
    (void)message;  /* NOTICEs ("table exists, skipping") are not news */
}

/* ---- opening ---------------------------------------------------------- */

/* A write lock not given within 10 s is STORE_BUSY, as SQLite's busy
 * timeout; UTF-8 both ways. */
static enum store_rc configure(struct pg *s)
{
    enum store_rc rc = simple(s, "SET lock_timeout = '10s'");
    if (rc == STORE_OK)
        rc = simple(s, "SET client_encoding = 'UTF8'");
    if (rc == STORE_OK)
        rc = simple(s, "SET client_min_messages = warning");
    return rc;
}

struct store *store_pg_open(const char *url, char *err, size_t errlen)
{
    if (err && errlen)
        err[0] = '\0';
    if (!PQisthreadsafe()) {
        store_put_err(err, errlen, "libpq was built without thread support");
        return NULL;
    }
    struct pg *s = calloc(1, sizeof *s);
    if (!s) {
        store_put_err(err, errlen, "out of memory");
        return NULL;
    }
    s->conn = PQconnectdb(url);
    if (!s->conn || PQstatus(s->conn) != CONNECTION_OK) {
        /* libpq's message names the host and user, never the password. */
        const char *why = s->conn ? PQerrorMessage(s->conn) : "out of memory";
        size_t n = strcspn(why, "\n");
        store_put_err(err, errlen, "cannot connect to PostgreSQL: %.*s", (int)n, why);
        PQfinish(s->conn);
        free(s);
        return NULL;
    }
    PQsetNoticeProcessor(s->conn, quiet_notice, NULL);
    s->base.ops = &pg_ops;
    if (configure(s) != STORE_OK) {
        store_put_err(err, errlen, "cannot configure the connection: %s", s->msg);
        PQfinish(s->conn);
        free(s);
        return NULL;
    }
    snprintf(s->key, sizeof s->key, "postgresql://%s:%s/%s", PQhost(s->conn), PQport(s->conn),
             PQdb(s->conn));
    return &s->base;
}

static void stmt_clear(struct pg_stmt *st)
{
    PQclear(st->res);
    st->res = NULL;
    st->nrows = 0;
    st->row = -1;
    st->executed = false;
    st->bind_err = 0;
    for (int i = 0; i < st->nparams; i++) {
        free(st->vals[i]);
        st->vals[i] = NULL;
    }
}

static void free_stmt(struct store_stmt *gst)
{
    struct pg_stmt *st = PGS(gst);
    stmt_clear(st);
    free(st->vals);
    free(st);
}

static void pg_close(struct store *gs)
{
    struct pg *s = PG(gs);
    stmt_cache_clear(&s->cache, free_stmt, true);
    /* Closing the connection ends its prepared statements and rolls back
     * an open transaction on the server. */
    PQfinish(s->conn);
    free(s);
}

/* ---- '?' to $n ---------------------------------------------------------- */

/* Rewrites sql's '?' placeholders to $1, $2, ... outside '...' literals,
 * "..." names and comments.  Returns a new string (*n set to the count)
 * or NULL when out of memory. */
static char *rewrite_placeholders(const char *sql, int *n)
{
    size_t len = strlen(sql);
    /* "?" becomes at most "$" and 5 digits. */
    char *out = malloc(len * 6 + 1);
    if (!out)
        return NULL;
    char *o = out;
    int count = 0;
    for (const char *p = sql; *p;) {
        if (*p == '\'' || *p == '"') {
            char q = *p;
            *o++ = *p++;
            while (*p && *p != q)
                *o++ = *p++;
            if (*p)
                *o++ = *p++;  /* '' inside a literal: closes, reopens */
        } else if (p[0] == '-' && p[1] == '-') {
            while (*p && *p != '\n')
                *o++ = *p++;
        } else if (p[0] == '/' && p[1] == '*') {
            *o++ = *p++;
            *o++ = *p++;
            while (*p && !(p[0] == '*' && p[1] == '/'))
                *o++ = *p++;
            if (*p) {
                *o++ = *p++;
                *o++ = *p++;
            }
        } else if (*p == '?') {
            count++;
            o += sprintf(o, "$%d", count);
            p++;
        } else {
            *o++ = *p++;
        }
    }
    *o = '\0';
    *n = count;
    return out;
}

/* ---- statement cache -------------------------------------------------- */

static struct pg_stmt *new_stmt(struct pg *s, const char *sql)
{
    int n = 0;
    char *text = rewrite_placeholders(sql, &n);
    struct pg_stmt *st = calloc(1, sizeof *st);
    char **vals = calloc((size_t)(n ? n : 1), sizeof *vals);
    if (!text || !st || !vals) {
        free(text);
        free(st);
        free(vals);
        set_msg(s, "out of memory");
        return NULL;
    }
    snprintf(st->name, sizeof st->name, "tas_%u", s->next_name++);
    /* Types left to the server (NULL): it infers each from its use. */
    PGresult *r = PQprepare(s->conn, st->name, text, n, NULL);
    free(text);
    if (PQresultStatus(r) != PGRES_COMMAND_OK) {
        map_error(s, r);
        PQclear(r);
        free(st);
        free(vals);
        return NULL;
    }
    PQclear(r);
    st->base.owner = &s->base;
    st->nparams = n;
    st->vals = vals;
    st->row = -1;
    return st;
}

/* Inside a transaction, a statement runs under a savepoint, so that its
 * failure leaves the transaction usable (SQLite's behaviour).  Preparing
 * can fail too (an unknown column): the same applies. */
static bool stmt_savepoint(struct pg *s)
{
    /* A write aside is all or nothing (a failed statement fails it, and
     * its caller rolls it back): its many statements, a rollup slice's
     * build, need not pay two more round trips each. */
    return in_tx(s) && !s->aside && simple(s, "SAVEPOINT tas_stmt") == STORE_OK;
}

static void stmt_savepoint_end(struct pg *s, bool ok)
{
    if (ok) {
        (void)simple(s, "RELEASE SAVEPOINT tas_stmt");
        return;
    }
    char keep[sizeof s->msg];
    memcpy(keep, s->msg, sizeof keep);
    if (simple(s, "ROLLBACK TO SAVEPOINT tas_stmt") == STORE_OK)
        (void)simple(s, "RELEASE SAVEPOINT tas_stmt");
    memcpy(s->msg, keep, sizeof keep);
}

static void clear_stmt(struct store_stmt *gst)
{
    stmt_clear(PGS(gst));
}

static struct store_stmt *make_stmt(void *conn, const char *sql)
{
    struct pg *s = conn;
    bool sp = stmt_savepoint(s);
    struct pg_stmt *st = new_stmt(s, sql);
    if (sp)
        stmt_savepoint_end(s, st != NULL);
    return st ? &st->base : NULL;
}

static void refused(void *conn, const char *msg)
{
    set_msg(conn, "%s", msg);
}

static const struct stmt_maker pg_maker = {clear_stmt, make_stmt, free_stmt, refused};

static struct store_stmt *pg_prepare(struct store *gs, const char *sql)
{
    struct pg *s = PG(gs);
    s->msg[0] = '\0';
    return stmt_cache_get(&s->cache, sql, &pg_maker, s);
}

static void pg_done(struct store_stmt *gst)
{
    struct pg_stmt *st = PGS(gst);
    /* Drops the rows and the bound values (possibly child data) now
     * rather than at the next use. */
    stmt_clear(st);
    stmt_cache_put(&PG(gst->owner)->cache, gst);
}

static void pg_rollback(struct store *gs);

/* A connection the server dropped (restarted, failed over, its backend
 * terminated) is made again for the next borrower: the request that met
 * the loss failed, the ones after it need not.  Its statements were
 * prepared on the old session, so the cache goes too. */
static void reconnect(struct pg *s)
{
    PQreset(s->conn);
    if (PQstatus(s->conn) != CONNECTION_OK)
        return;   /* still down: tried again after the next use */
    stmt_cache_clear(&s->cache, free_stmt, false);
    s->nested = 0;
    s->shared = false;   /* a session's locks end with it */
    (void)configure(s);
}

/* A connection the server ended while it sat in the pool (a restart, a
 * failover, its backend terminated) has the news waiting on its socket:
 * reading what has come, without waiting, shows it, and it is made again
 * now rather than fail its next borrower's first statement.  The first
 * read takes the server's farewell, the next meets the closed socket
 * (checked with libpq 15); a live connection has nothing to read.  One
 * ended while in use still fails that request (reconnect, at its end). */
static void pg_begin_use(struct store *gs)
{
    struct pg *s = PG(gs);
    for (int i = 0; i < 3; i++) {
        if (!PQconsumeInput(s->conn) || PQstatus(s->conn) == CONNECTION_BAD) {
            reconnect(s);
            return;
        }
    }
}

static void pg_end_use(struct store *gs)
{
    struct pg *s = PG(gs);
    stmt_cache_done_all(&s->cache, pg_done);
    s->nested = 0;
    if (PQstatus(s->conn) == CONNECTION_BAD)
        reconnect(s);
    else
        pg_rollback(gs);
}

/* ---- binding and stepping --------------------------------------------- */

static void put_val(struct pg_stmt *st, int idx, char *v)
{
    if (idx < 1 || idx > st->nparams) {
        free(v);
        if (!st->bind_err)
            st->bind_err = idx;
        return;
    }
    free(st->vals[idx - 1]);
    st->vals[idx - 1] = v;
}

/* A copy of the value's text, as every value is sent. */
static void pg_bind_text(struct store_stmt *gst, int idx, const char *v)
{
    char *c = strdup(v);
    struct pg_stmt *st = PGS(gst);
    if (!c && !st->bind_err)
        st->bind_err = idx ? idx : -1;
    put_val(st, idx, c);
}

static void pg_bind_int(struct store_stmt *gst, int idx, int64_t v)
{
    char buf[24];
    snprintf(buf, sizeof buf, "%lld", (long long)v);
    pg_bind_text(gst, idx, buf);
}

static void pg_bind_double(struct store_stmt *gst, int idx, double v)
{
    char buf[40];
    snprintf(buf, sizeof buf, "%.17g", v);
    pg_bind_text(gst, idx, buf);
}

static void pg_bind_null(struct store_stmt *gst, int idx)
{
    put_val(PGS(gst), idx, NULL);
}

/* By the command's tag ("INSERT 0 1", "UPDATE 3", "SELECT 5", "BEGIN"). */
static bool write_tag(const char *tag)
{
    static const char *const writes[] = {"INSERT", "UPDATE", "DELETE", "MERGE", "COPY",
                                         "CREATE", "ALTER", "DROP", "TRUNCATE"};
    for (size_t i = 0; tag && i < COUNT(writes); i++)
        if (!strncmp(tag, writes[i], strlen(writes[i])))
            return true;
    return false;
}

static enum store_rc execute(struct pg_stmt *st)
{
    struct pg *s = PG(st->base.owner);
    bool sp = stmt_savepoint(s);
    PGresult *r = PQexecPrepared(s->conn, st->name, st->nparams, (const char *const *)st->vals,
                                 NULL, NULL, 0);
    ExecStatusType t = PQresultStatus(r);
    enum store_rc rc = STORE_OK;
    st->wrote = (t == PGRES_TUPLES_OK || t == PGRES_COMMAND_OK) && write_tag(PQcmdStatus(r));
    if (t == PGRES_TUPLES_OK) {
        st->res = r;
        st->nrows = PQntuples(r);
        const char *n = PQcmdTuples(r);
        /* INSERT ... RETURNING reports its rows; a SELECT's count is not
         * a change (SQLite's changes() ignores SELECTs too). */
        if (strncmp(PQcmdStatus(r), "SELECT", 6) != 0)
            s->changes = *n ? strtoll(n, NULL, 10) : 0;
    } else if (t == PGRES_COMMAND_OK) {
        const char *n = PQcmdTuples(r);
        s->changes = *n ? strtoll(n, NULL, 10) : 0;
        PQclear(r);
    } else {
        rc = map_error(s, r);
        PQclear(r);
    }
    if (sp)
        stmt_savepoint_end(s, rc == STORE_OK);
    st->executed = true;
    st->row = -1;
    return rc;
}

static enum store_rc pg_step(struct store_stmt *gst)
{
    struct pg_stmt *st = PGS(gst);
    struct pg *s = PG(st->base.owner);
    if (st->bind_err) {
        /* Running with a parameter silently NULL could store wrong data. */
        set_msg(s, "cannot bind parameter %d", st->bind_err);
        return STORE_ERROR;
    }
    if (!st->executed) {
        s->msg[0] = '\0';
        enum store_rc rc = execute(st);
        if (rc != STORE_OK)
            return rc;
    }
    if (st->row + 1 < st->nrows) {
        st->row++;
        return STORE_ROW;
    }
    st->row = st->nrows;
    return STORE_DONE;
}

static bool pg_wrote(struct store_stmt *gst)
{
    struct pg_stmt *st = PGS(gst);
    return st && st->wrote;
}

/* The current row's value, or NULL (no row, no column, SQL NULL). */
static const char *cell(struct pg_stmt *st, int col)
{
    if (!st->res || st->row < 0 || st->row >= st->nrows || col < 0 || col >= PQnfields(st->res) ||
        PQgetisnull(st->res, st->row, col))
        return NULL;
    const char *v = PQgetvalue(st->res, st->row, col);
    if (PQftype(st->res, col) == PG_BOOLOID)
        return *v == 't' ? "1" : "0";  /* SQLite's booleans are 0 and 1 */
    return v;
}

static int64_t pg_col_int(struct store_stmt *gst, int col)
{
    const char *v = cell(PGS(gst), col);
    if (!v)
        return 0;
    /* numeric (sum of bigints) or a float: SQLite's integer value
     * truncates toward zero as strtoll does at the point. */
    return strtoll(v, NULL, 10);
}

static double pg_col_double(struct store_stmt *gst, int col)
{
    const char *v = cell(PGS(gst), col);
    return v ? strtod(v, NULL) : 0.0;
}

static const char *pg_col_text(struct store_stmt *gst, int col)
{
    const char *v = cell(PGS(gst), col);
    return v ? v : "";
}

static bool pg_col_is_null(struct store_stmt *gst, int col)
{
    return cell(PGS(gst), col) == NULL;
}

/* ---- connection-level calls ------------------------------------------- */

static int64_t pg_changes(struct store *gs)
{
    return PG(gs)->changes;
}

static const char *pg_errmsg(struct store *gs)
{
    struct pg *s = PG(gs);
    return s->msg[0] ? s->msg : "no error";
}

static const char *pg_database_key(struct store *gs)
{
    return PG(gs)->key;
}

static bool pg_in_transaction(struct store *gs)
{
    return in_tx(PG(gs));
}

/* ---- transactions ----------------------------------------------------- */

/* After the transaction of a writer side by side has ended.  The message
 * of what failed before, if anything did, is kept. */
static void unlock_shared(struct pg *s)
{
    if (!s->shared)
        return;
    char keep[sizeof s->msg];
    memcpy(keep, s->msg, sizeof keep);
    if (simple(s, PG_UNLOCK_SHARED) == STORE_OK)
        s->shared = false;
    memcpy(s->msg, keep, sizeof keep);
}

static enum store_rc pg_begin(struct store *gs, enum store_begin_mode mode)
{
    struct pg *s = PG(gs);
    if (in_tx(s)) {
        enum store_rc rc = simple(s, "SAVEPOINT tas_nested");
        if (rc == STORE_OK)
            s->nested++;
        return rc;
    }
    s->nested = 0;
    s->aside = mode == STORE_BEGIN_ASIDE;
    unlock_shared(s);   /* should an unlock have failed: never held into another transaction */
    /* A writer's snapshot must be taken once the lock is held, so that
     * what the writers before it committed is seen: alone, the first
     * statement after BEGIN takes it (READ COMMITTED, a new one per
     * statement); side by side, the lock is taken before BEGIN. */
    bool side = mode == STORE_BEGIN_WRITE && s->base.side_by_side;
    const char *sql = mode == STORE_BEGIN_READ    ? "BEGIN"
                      : mode == STORE_BEGIN_ASIDE  ? PG_BEGIN_ASIDE
                      : mode == STORE_BEGIN_SERIAL ? PG_BEGIN_SERIAL
                      : side                       ? PG_BEGIN_WRITE
                                                   : PG_BEGIN_ALONE;
    enum store_rc rc = STORE_OK;
    if (side) {
        rc = simple(s, PG_LOCK_SHARED);
        s->shared = rc == STORE_OK;
    }
    if (rc == STORE_OK)
        rc = simple(s, sql);
    if (rc != STORE_OK && in_tx(s)) {
        char keep[sizeof s->msg];
        memcpy(keep, s->msg, sizeof keep);
        (void)simple(s, "ROLLBACK");
        memcpy(s->msg, keep, sizeof keep);
    }
    if (rc != STORE_OK)
        unlock_shared(s);
    return rc;
}

static enum store_rc pg_commit(struct store *gs)
{
    struct pg *s = PG(gs);
    if (s->nested > 0) {
        enum store_rc rc = simple(s, "RELEASE SAVEPOINT tas_nested");
        if (rc == STORE_OK)
            s->nested--;
        return rc;
    }
    if (PQtransactionStatus(s->conn) == PQTRANS_INERROR) {
        /* COMMIT would quietly roll back: say so instead. */
        set_msg(s, "the transaction had failed and was rolled back");
        (void)simple(s, "ROLLBACK");
        unlock_shared(s);
        return STORE_ERROR;
    }
    enum store_rc rc = simple(s, "COMMIT");
    unlock_shared(s);
    return rc;
}

static void pg_rollback(struct store *gs)
{
    struct pg *s = PG(gs);
    if (!in_tx(s)) {
        s->nested = 0;
        unlock_shared(s);
        return;
    }
    if (s->nested > 0) {
        if (simple(s, "ROLLBACK TO SAVEPOINT tas_nested") == STORE_OK)
            (void)simple(s, "RELEASE SAVEPOINT tas_nested");
        s->nested--;
        return;
    }
    (void)simple(s, "ROLLBACK");
    unlock_shared(s);
}

/* ---- migrations' helpers, backup ---------------------------------------- */

static bool pg_has_table(struct store *gs, const char *name)
{
    struct store_stmt *st = pg_prepare(gs,
        "SELECT 1 FROM pg_catalog.pg_tables WHERE schemaname = current_schema() AND tablename = ?");
    store_bind_text(st, 1, name);
    int64_t one = 0;
    return store_get_int(st, &one) == STORE_OK && one == 1;
}

/* A migration's whole text: our own SQL, several statements, run by the
 * simple query protocol inside the open transaction. */
static enum store_rc pg_exec_script(struct store *gs, const char *sql, char *err, size_t errlen)
{
    struct pg *s = PG(gs);
    PGresult *r = PQexec(s->conn, sql);
    ExecStatusType t = PQresultStatus(r);
    if (t == PGRES_COMMAND_OK || t == PGRES_TUPLES_OK || t == PGRES_EMPTY_QUERY) {
        PQclear(r);
        return STORE_OK;
    }
    /* The server's whole message (with the statement's position): a
     * migration's errors are about its own text, not data. */
    const char *m = r ? PQresultErrorMessage(r) : PQerrorMessage(s->conn);
    size_t n = strlen(m);
    while (n && (m[n - 1] == '\n' || m[n - 1] == ' '))
        n--;
    store_put_err(err, errlen, "%.*s", (int)n, m);
    PQclear(r);
    return STORE_ERROR;
}

static enum store_rc pg_backup(struct store *gs, const char *dest, int64_t *pages, char *err,
                               size_t errlen)
{
    (void)gs;
    (void)dest;
    (void)pages;
    store_put_err(err, errlen, "tas backup is for SQLite: back up PostgreSQL with pg_dump or pg_basebackup");
    return STORE_ERROR;
}

static enum store_rc pg_restore(struct store *gs, const char *src, char *err, size_t errlen)
{
    (void)gs;
    (void)src;
    store_put_err(err, errlen, "tas restore is for SQLite: restore PostgreSQL with pg_restore");
    return STORE_ERROR;
}

/* Turns a table's own triggers (not the foreign keys' internal ones) off or
 * on: the table's owner may, inside a transaction, and a rollback undoes
 * it.  quoted: a name from the catalogue, quoted (store_copy.c). */
static enum store_rc pg_table_triggers(struct store *gs, const char *quoted, bool on)
{
    char sql[256];
    if ((size_t)snprintf(sql, sizeof sql, "ALTER TABLE %s %s TRIGGER USER", quoted,
                         on ? "ENABLE" : "DISABLE") >= sizeof sql) {
        set_msg(PG(gs), "table name too long");
        return STORE_ERROR;
    }
    return simple(PG(gs), sql);
}

/* The catalogue queries name tables of the current schema only (the one
 * tas's migrations made them in). */
#define PG_TABLE_OID "(SELECT c.oid FROM pg_catalog.pg_class c WHERE c.relname = ? AND c.relkind IN ('r', 'p')" \
                     " AND c.relnamespace = (SELECT n.oid FROM pg_catalog.pg_namespace n"                         \
                     " WHERE n.nspname = current_schema()))"

static const struct store_ops pg_ops = {
    .name = "postgresql",
    .migrations_dir = STORE_PG_MIGRATIONS,
    .dialect = SQL_POSTGRESQL,
    .migrations_table_sql = "CREATE TABLE IF NOT EXISTS schema_migrations ("
                            " version BIGINT PRIMARY KEY,"
                            " name TEXT NOT NULL,"
                            " applied_at BIGINT NOT NULL)",
    .close = pg_close,
    .prepare = pg_prepare,
    .done = pg_done,
    .end_use = pg_end_use,
    .begin_use = pg_begin_use,
    .bind_int = pg_bind_int,
    .bind_double = pg_bind_double,
    .bind_text = pg_bind_text,
    .bind_null = pg_bind_null,
    .step = pg_step,
    .wrote = pg_wrote,
    .col_int = pg_col_int,
    .col_double = pg_col_double,
    .col_text = pg_col_text,
    .col_is_null = pg_col_is_null,
    .begin = pg_begin,
    .commit = pg_commit,
    .rollback = pg_rollback,
    .in_transaction = pg_in_transaction,
    .changes = pg_changes,
    .errmsg = pg_errmsg,
    .database_key = pg_database_key,
    .has_table = pg_has_table,
    .exec_script = pg_exec_script,
    .after_script = NULL,
    .backup = pg_backup,
    .restore = pg_restore,
    .tables_sql = "SELECT tablename FROM pg_catalog.pg_tables WHERE schemaname = current_schema() ORDER BY tablename",
    .columns_sql = "SELECT a.attname, pg_catalog.format_type(a.atttypid, NULL),"
                   " coalesce((SELECT k.n FROM unnest(i.indkey) WITH ORDINALITY k(att, n) WHERE k.att = a.attnum), 0)"
                   " FROM pg_catalog.pg_attribute a"
                   " LEFT JOIN pg_catalog.pg_index i ON i.indrelid = a.attrelid AND i.indisprimary"
                   " WHERE a.attrelid = " PG_TABLE_OID " AND a.attnum > 0 AND NOT a.attisdropped"
                   " ORDER BY a.attnum",
    .references_sql = "SELECT DISTINCT f.relname FROM pg_catalog.pg_constraint k"
                      " JOIN pg_catalog.pg_class f ON f.oid = k.confrelid"
                      " WHERE k.contype = 'f' AND k.conrelid = " PG_TABLE_OID,
    .identity_sql = "SELECT a.attname FROM pg_catalog.pg_attribute a"
                    " WHERE a.attrelid = " PG_TABLE_OID " AND a.attidentity IN ('a', 'd') AND NOT a.attisdropped",
    .identity_set_sql = "SELECT setval(pg_get_serial_sequence(?, ?), ?, false)",
    .order_text = " COLLATE \"C\"",
    .table_triggers = pg_table_triggers,
};

#else /* no libpq */

struct store *store_pg_open(const char *url, char *err, size_t errlen)
{
    (void)url;
    store_put_err(err, errlen, "PostgreSQL is not supported by this build (libpq was not found)");
    return NULL;
}

#endif
