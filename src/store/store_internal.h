/* Store calls shared between the store's own files and its tests; nothing
 * outside src/store and tests/store should need these. */
#ifndef TAS_STORE_STORE_INTERNAL_H
#define TAS_STORE_STORE_INTERNAL_H

#include <stddef.h>

#include "lib/embedded.h"
#include "store/store.h"

/* The directory, as embedded, that holds this backend's migrations. */
#define STORE_SQLITE_MIGRATIONS "src/store/migrations/sqlite/"

/* store_migrate() over a given file list instead of embedded_files[], so
 * tests can run fake migrations whatever else the binary embeds.  Files
 * outside STORE_SQLITE_MIGRATIONS are ignored. */
enum store_rc store_migrate_files(struct store *s, const struct embedded_file *files,
                                  size_t nfiles, char *err, size_t errlen);

/* Ends whatever a borrower left open on a connection: resets statements
 * still marked in use and rolls back an open transaction.  The pool calls
 * it on release so the next thread starts clean. */
void store_end_use(struct store *s);

#endif
