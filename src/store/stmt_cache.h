/* A connection's prepared statements, kept by their SQL text so a query
 * is prepared once per connection (each backend's prepare and close).
 *
 * Open addressing, linear probing, a power-of-two table at most half full:
 * one slot per distinct text; more statements for the same text (the same
 * query in a nested loop) hang off the first's ->twin.  Keyed by the text,
 * not the pointer: a caller's buffer could be reused for other SQL, and
 * equal literals need not share an address; the hash makes strcmp run only
 * on a (near-certain) match. */
#ifndef TAS_STORE_STMT_CACHE_H
#define TAS_STORE_STMT_CACHE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "store/store_internal.h"

struct stmt_cache {
    struct store_stmt **slots;
    size_t cap;
    size_t used;
    size_t busy;               /* statements in use: none, as a rule, when a borrower is done */
};

/* The backend's part in getting a statement: reuse readies a kept one
 * (reset, bindings cleared), make prepares a new one on conn (NULL on
 * failure, with the backend's message set), release frees one the cache
 * could not keep, and fail sets conn's message when the cache refuses
 * (no SQL, out of memory). */
struct stmt_maker {
    void (*reuse)(struct store_stmt *st);
    struct store_stmt *(*make)(void *conn, const char *sql);
    void (*release)(struct store_stmt *st);
    void (*fail)(void *conn, const char *msg);
};

/* A backend's prepare: a statement for sql, marked in use with sql as this
 * use's text: the first kept one not in use, or a new one (the same query
 * in a nested loop gets another).  NULL, with conn's message set, when sql
 * is NULL, make failed, or out of memory. */
struct store_stmt *stmt_cache_get(struct stmt_cache *c, const char *sql, const struct stmt_maker *m, void *conn);

/* Marks st no longer in use (the end of the backend's done). */
void stmt_cache_put(struct stmt_cache *c, struct store_stmt *st);

/* Calls done on every statement still in use (a borrower's leftovers);
 * with none, as after nearly every request, at no cost. */
void stmt_cache_done_all(struct stmt_cache *c, void (*done)(struct store_stmt *st));

/* Frees every statement (release: the backend's own part; the cache frees
 * the rest) and leaves the cache empty, its table kept for reuse, or, with
 * drop, freed (the connection is closing). */
void stmt_cache_clear(struct stmt_cache *c, void (*release)(struct store_stmt *st), bool drop);

#endif
