/* Store calls shared between the store's own files and its tests; nothing
 * outside src/store and tests/store should need these.
 *
 * Backends.  store.c holds the public calls of store.h; each forwards to
 * the connection's backend through a table of operations (struct
 * store_ops): SQLite in store_sqlite.c, PostgreSQL (libpq) in store_pg.c.
 * A backend's connection and statement structs begin with struct store
 * and struct store_stmt, so a pointer to one is a pointer to the other.
 * Nothing above src/store knows which backend a connection has. */
#ifndef TAS_STORE_STORE_INTERNAL_H
#define TAS_STORE_STORE_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lib/embedded.h"
#include "store/sql_dialect.h"
#include "store/store.h"

/* The directories, as embedded, that hold the migrations: those written
 * once for every backend (sql_dialect.h says in what subset), and each
 * backend's own, where the dialects differ (triggers, tables made again).
 * A number is in common/ or in both of the others: one history. */
#define STORE_COMMON_MIGRATIONS "src/store/migrations/common/"
#define STORE_SQLITE_MIGRATIONS "src/store/migrations/sqlite/"
#define STORE_PG_MIGRATIONS "src/store/migrations/postgresql/"

enum store_begin_mode { STORE_BEGIN_READ, STORE_BEGIN_WRITE, STORE_BEGIN_ASIDE, STORE_BEGIN_SERIAL };

struct store_ops {
    const char *name;               /* "sqlite", "postgresql" */
    const char *migrations_dir;     /* STORE_*_MIGRATIONS */
    enum sql_dialect dialect;       /* what common/ migrations are put in */
    /* CREATE TABLE IF NOT EXISTS schema_migrations, in this dialect. */
    const char *migrations_table_sql;

    void (*close)(struct store *s);
    struct store_stmt *(*prepare)(struct store *s, const char *sql);
    void (*done)(struct store_stmt *st);
    void (*end_use)(struct store *s);   /* statements reset; transaction rolled back */
    /* NULL, or readies a connection about to be lent: one the server
     * ended while it sat unused is made again first. */
    void (*begin_use)(struct store *s);

    void (*bind_int)(struct store_stmt *st, int idx, int64_t v);
    void (*bind_double)(struct store_stmt *st, int idx, double v);
    void (*bind_text)(struct store_stmt *st, int idx, const char *v);  /* v not NULL */
    void (*bind_null)(struct store_stmt *st, int idx);
    enum store_rc (*step)(struct store_stmt *st);
    /* Whether the statement, as stepped, changes the database (transaction
     * control does not): it marks records changed (store_records_generation). */
    bool (*wrote)(struct store_stmt *st);

    int64_t (*col_int)(struct store_stmt *st, int col);
    double (*col_double)(struct store_stmt *st, int col);
    const char *(*col_text)(struct store_stmt *st, int col);  /* never NULL */
    bool (*col_is_null)(struct store_stmt *st, int col);

    /* A read transaction, a write (store_begin_write: beside others when
     * the connection's side_by_side is set), a write aside (store_begin_aside) or
     * a serial write (store_begin_serial).  A begin inside a transaction is
     * a savepoint (the backend counts them). */
    enum store_rc (*begin)(struct store *s, enum store_begin_mode mode);
    /* One write transaction at a time, whatever is asked (store_one_writer). */
    bool one_writer;
    enum store_rc (*commit)(struct store *s);
    void (*rollback)(struct store *s);
    bool (*in_transaction)(struct store *s);

    int64_t (*changes)(struct store *s);
    const char *(*errmsg)(struct store *s);
    const char *(*database_key)(struct store *s);
    /* Whether the table exists (in the schema tas uses). */
    bool (*has_table)(struct store *s, const char *name);
    /* Runs a migration's whole text (several statements) inside the open
     * transaction; STORE_OK, or STORE_ERROR with the reason in err. */
    enum store_rc (*exec_script)(struct store *s, const char *sql, char *err, size_t errlen);
    /* Checks what the backend does not check on DDL (SQLite: foreign
     * keys); STORE_OK or STORE_ERROR with err set.  May be NULL. */
    enum store_rc (*after_script)(struct store *s, char *err, size_t errlen);

    enum store_rc (*backup)(struct store *s, const char *dest, int64_t *pages, char *err, size_t errlen);
    enum store_rc (*restore)(struct store *s, const char *src, char *err, size_t errlen);

    /* The catalogue, for copying a whole database (store_copy.c).  Fixed
     * SQL; where a query is about one table, the table's name is ?1. */
    const char *tables_sql;       /* tas's tables (not the backend's own) */
    const char *columns_sql;      /* ?1: name, declared type, place in the primary key
                                   * (0: not in it), in the table's column order */
    const char *references_sql;   /* ?1: the tables its foreign keys reference */
    const char *identity_sql;     /* ?1: its identity column, if any; NULL where new ids
                                   * follow the highest stored one by themselves */
    const char *identity_set_sql; /* ?1 the table's quoted name, ?2 the column, ?3 the next
                                   * id to give; NULL with identity_sql */
    const char *order_text;       /* after a text column in ORDER BY: order by code point */
    /* Turns the table's own triggers off or on, inside the open
     * transaction (quoted: its quoted name).  NULL: this backend cannot,
     * so a database is not copied into it. */
    enum store_rc (*table_triggers)(struct store *s, const char *quoted, bool on);
};

/* The first member of every backend's connection and statement. */
struct store {
    const struct store_ops *ops;
    /* Since the last bump of the records' generation, a statement wrote
     * records (store.c): in a transaction, bumped with its commit; outside
     * one, once the statement is done. */
    bool records_changed;
    bool autocommit_changed;
    bool generation_kept;      /* data_generation is known to exist */
    /* The caller's last statement's changes when a bump ran after it
     * (store_changes answers for the caller's statement, not the bump). */
    bool changes_held;
    int64_t changes;
    /* The last write transaction failed because a concurrent one
     * conflicted with it (store_conflicted); set by the backend. */
    bool conflicted;
    bool side_by_side;         /* store_write_side_by_side */
    /* Called once the open transaction commits (store_after_commit). */
    void (*after_commit)(struct store *s, void *arg);
    void *after_commit_arg;
};

struct store_stmt {
    struct store *owner;
    const char *sql;           /* the text of this use (set by the backend's prepare) */
    /* Kept in the connection's cache (stmt_cache.h). */
    char *key;                 /* our own copy of the text */
    uint64_t hash;
    struct store_stmt *twin;   /* another statement for the same text */
    bool in_use;
};

/* The backends' open calls (store_open picks one by the URL's scheme).
 * path: a file path or ":memory:"; url: the whole postgresql:// URL. */
struct store *store_sqlite_open(const char *path, char *err, size_t errlen);
struct store *store_pg_open(const char *url, char *err, size_t errlen);

/* store_migrate() over a given file list instead of embedded_files[], so
 * tests can run fake migrations whatever else the binary embeds.  Files
 * outside the connection's backend's migrations directory are ignored. */
enum store_rc store_migrate_files(struct store *s, const struct embedded_file *files,
                                  size_t nfiles, char *err, size_t errlen);

/* Ends whatever a borrower left open on a connection: resets statements
 * still marked in use and rolls back an open transaction.  The pool calls
 * it on release so the next thread starts clean. */
void store_end_use(struct store *s);
/* A connection about to be lent out of a pool (the backend's begin_use). */
void store_begin_use(struct store *s);

/* One formatted line into err (if any). */
void store_put_err(char *err, size_t errlen, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* FNV-1a of a statement's text: the backends' statement caches' key. */
uint64_t store_hash_sql(const char *sql);

#endif
