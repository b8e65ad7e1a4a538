/* Copying a whole tas database into another (tas migrate-store,
 * docs/postgresql.md): the catalogue of its tables, each table's rows in
 * primary-key order as canonical text, and loading rows into a table with
 * their ids as they are.  Which SQL reads a backend's catalogue, how it
 * orders text and how it turns a table's triggers off are the backend's
 * (struct store_ops); nothing here or above knows which backend it has.
 *
 * Table and column names come from the database's own catalogue, never
 * from input, and are quoted wherever they go into SQL text; values are
 * always bound. */
#ifndef TAS_STORE_STORE_COPY_H
#define TAS_STORE_STORE_COPY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "store/store.h"

#define STORE_NAME_MAX 64  /* PostgreSQL's names are at most 63 bytes */
#define STORE_COLS_MAX 64

/* A column's kind, from its declared type on either backend; it says how
 * its values are written as canonical text (store_table_rows). */
enum store_kind {
    STORE_KIND_INT,   /* INTEGER, bigint, boolean (read as 1 and 0) */
    STORE_KIND_REAL,  /* REAL, double precision */
    STORE_KIND_TEXT
};

struct store_table {
    char name[STORE_NAME_MAX];
    int ncols;
    char col[STORE_COLS_MAX][STORE_NAME_MAX];
    enum store_kind kind[STORE_COLS_MAX];
    int npk;
    int pk[STORE_COLS_MAX];          /* the primary key's columns, in its order */
    char identity[STORE_NAME_MAX];   /* the column a sequence gives ids to; "" none */
};

struct store_catalogue {
    struct store_table *t;  /* each after the tables its foreign keys reference */
    size_t n;
};

/* Reads s's tables.  Refused (STORE_ERROR, err says which): a column of a
 * type with no canonical text (a BLOB), a table without a primary key
 * (its rows have no order to compare), foreign keys in a cycle. */
enum store_rc store_catalogue_read(struct store *s, struct store_catalogue *out, char *err, size_t errlen);
void store_catalogue_free(struct store_catalogue *c);
/* Whether a and b hold the same tables with the same columns (names,
 * order, kinds) and primary keys; if not, the first difference in why. */
bool store_catalogue_same(const struct store_catalogue *a, const struct store_catalogue *b, char *why,
                          size_t whylen);
/* Whether a and b record the same migrations (versions and names); if
 * not, the first difference in why.  STORE_OK when both could be read;
 * otherwise the reason is in why. */
enum store_rc store_migrations_same(struct store *a, struct store *b, bool *same, char *why, size_t whylen);

enum store_rc store_table_count(struct store *s, const struct store_table *t, int64_t *n);

/* One row's values, column by column in canonical text: an integer in
 * decimal, a real as printf's "%.17g" (exact both ways), text as stored;
 * NULL for SQL NULL.  Valid during the call only.  Returns STORE_OK to go
 * on; anything else ends the reading (the remaining rows are skipped). */
typedef enum store_rc (*store_values_fn)(void *arg, const char *const *vals);
/* Every row of t in primary-key order, text compared by code point on
 * every backend.  STORE_OK, the callback's first error, or the read's. */
enum store_rc store_table_rows(struct store *s, const struct store_table *t, store_values_fn each, void *arg);

/* Loading, inside a write transaction of s. */

/* Whether rows can be loaded into s's backend (its triggers can be turned off). */
bool store_can_load(struct store *s);
/* Turns t's own triggers off (on false) or back on, until the transaction
 * ends: loaded rows are the copy's, not new events to derive data from. */
enum store_rc store_table_triggers(struct store *s, const struct store_table *t, bool on);
/* Deletes every row of t. */
enum store_rc store_table_clear(struct store *s, const struct store_table *t);
/* Rows added to t a batch at a time (several rows an INSERT), their values
 * as store_table_rows gives them, ids included. */
struct store_loader;
struct store_loader *store_loader_open(struct store *s, const struct store_table *t);
enum store_rc store_loader_add(struct store_loader *l, const char *const *vals);
/* Writes the rows still waiting and frees l: STORE_OK, or the first error
 * of any write since it was opened. */
enum store_rc store_loader_close(struct store_loader *l);
/* Moves t's identity sequence past its highest id, so new rows do not
 * take a copied id (nothing to do where ids follow the highest by
 * themselves).  The sequence's move outlives a rollback, harmlessly. */
enum store_rc store_identity_follow(struct store *s, const struct store_table *t);

#endif
