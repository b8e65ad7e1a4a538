/* Moving an installation from one database to another without loss (tas
 * migrate-store: SQLite to PostgreSQL, docs/postgresql.md).  Every table is
 * copied, ids as they are, in one transaction on the destination, and
 * compared row for row by a checksum the same code computes on both sides;
 * the audit chain must verify on the destination as on the source. */
#ifndef TAS_SERVICE_SVC_MOVE_H
#define TAS_SERVICE_SVC_MOVE_H

#include <stdbool.h>
#include <stdint.h>

#include "service/svc.h"
#include "service/svc_audit.h"

/* SHA-256 in hex. */
#define SVC_MOVE_SUM_HEX 64
/* Progress is reported every this many rows of a table this large or more. */
#define SVC_MOVE_PROGRESS_ROWS 10000
/* Not copied: the migrations' own record (the destination's migrations
 * wrote its own, and the two histories must be the same). */
#define SVC_MOVE_SKIPPED "schema_migrations"

/* One table compared after the copy.  The checksum is SHA-256 over its
 * rows in primary-key order, each value in canonical text (store_copy.h)
 * written as "N" for NULL or "T<length>:<text>", each row ended by a
 * newline; so two tables have the same sum only if they hold the same
 * values, row for row. */
struct svc_move_table {
    const char *name;
    int64_t rows_from, rows_to;
    char sum_from[SVC_MOVE_SUM_HEX + 1], sum_to[SVC_MOVE_SUM_HEX + 1];
    bool same;
};

struct svc_move_hooks {
    void *arg;
    /* A large table being copied: rows done of total.  May be NULL. */
    void (*progress)(void *arg, const char *table, int64_t done, int64_t total);
    /* Each table, once compared, in the order of the copy. */
    void (*compared)(void *arg, const struct svc_move_table *t);
    /* The last check, on the destination inside its transaction, after
     * every other: 0 to commit.  What it writes there is its own business
     * (roll it back to keep the copy as it was).  May be NULL. */
    int (*before_commit)(void *arg, struct store *to);
};

struct svc_move_result {
    int version;             /* the schema version of both */
    bool migrated;           /* the destination was empty: its schema was made here */
    int64_t tables, rows;    /* copied */
    int64_t different;       /* tables whose row count or checksum differ */
    struct audit_verify audit_from, audit_to;
    char why[300];           /* on failure, what: names and counts, never a value */
};

/* Copies everything in from into to, which must be empty: either without
 * any table (the migrations are run on it first) or holding only what the
 * migrations put in a new database.  from must be at this tas's newest
 * migration, and its audit chain must verify (under the server key
 * loaded: secrets_load).  Reads from in one snapshot; writes to in one
 * transaction, with each table's own triggers off while it is loaded, so
 * derived tables (the dashboard's rollup, its stale months) arrive as they
 * were; then moves each identity sequence past the copied ids.  Commits
 * only if every table's row count and checksum are the same on both
 * sides, the audit chain verifies on to with the same entries and newest
 * entry, and hooks->before_commit agrees.
 * SVC_OK when committed; SVC_INVALID (why says what: a source to migrate
 * first, a destination not empty, schemas or histories that differ, an
 * audit chain broken at the source); SVC_CONFLICT when the copy differs
 * from the source or the last check failed (nothing committed); SVC_ERROR
 * when storage failed (nothing committed).  No policy: an operator's
 * command-line tool. */
enum svc_status svc_move_store(struct store *from, struct store *to, const struct svc_move_hooks *hooks,
                               struct svc_move_result *r);

#endif
