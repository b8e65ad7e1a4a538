/* Pages, or parts of pages, kept in memory (issue 16) under a key naming
 * everything they depend on, built with page_key_text and page_key_scope
 * by the handler that keeps them: a generation (the dashboard's rollup's,
 * svc_dashboard_generation, or the records', svc_records_generation, read
 * before the page is made), the page and its parameters as sent, the
 * viewer's grants as a canonical text (the scope, not the user) and the
 * day taken as today.  At most PAGE_CACHE_ENTRIES entries and
 * PAGE_CACHE_BYTES bytes; the least recently used goes first.  Thread-safe
 * (one mutex; copies in and out). */
#ifndef TAS_WEB_PAGE_CACHE_H
#define TAS_WEB_PAGE_CACHE_H

#include <stdbool.h>
#include <stddef.h>

#include "core/policy.h"
#include "lib/buf.h"

#define PAGE_CACHE_ENTRIES 256
#define PAGE_CACHE_BYTES (32u * 1024u * 1024u)

/* Copies the entry's body into out and its extra bytes (exactly extralen
 * of them, as put) into extra; false when there is none. */
bool page_cache_get(const char *key, struct buf *out, void *extra, size_t extralen);
/* Keeps a copy (replacing an entry of the same key); nothing when it would
 * not fit or memory runs out. */
void page_cache_put(const char *key, const char *body, size_t len, const void *extra, size_t extralen);
/* Forgets everything (tests, and a server stopping). */
void page_cache_clear(void);

/* Appends s (NULL as "") to a key, its length first, so no two lists of
 * texts make the same key. */
void page_key_text(struct buf *b, const char *s);
/* Appends the viewer's grants as text in one order, and whether they came
 * with a read-only token: the scope.  Two users holding the same grants
 * see the same pages (the policy decides on the grants alone), so they
 * share them; any difference in role, scope, detail or a team's schools
 * is a different key. */
void page_key_scope(struct buf *b, const struct principal *p);

#endif
