/* The dashboard's pages kept in memory (issue 16): the JSON answer, or the
 * HTML of a page's tables with the few facts the page shows around them,
 * under a key naming everything they depend on (h_dashboard.c builds it:
 * the rollup's generation from svc_dashboard_generation, the page, the
 * filters as sent, the viewer's grants as a canonical text -- the scope,
 * not the user -- and the day taken as today).  Only dashboards answered
 * from the rollup are kept (generation > 0).  At most DASH_CACHE_ENTRIES
 * entries and DASH_CACHE_BYTES bytes; the least recently used goes first.
 * Thread-safe (one mutex; copies in and out). */
#ifndef TAS_WEB_DASH_CACHE_H
#define TAS_WEB_DASH_CACHE_H

#include <stdbool.h>
#include <stddef.h>

#include "lib/buf.h"
#include "service/svc_dashboard.h"

#define DASH_CACHE_ENTRIES 64
#define DASH_CACHE_BYTES (32u * 1024u * 1024u)

/* Copies the entry's body into out and its extra bytes (exactly extralen
 * of them, as put) into extra; false when there is none. */
bool dash_cache_get(const char *key, struct buf *out, void *extra, size_t extralen);
/* Keeps a copy (replacing an entry of the same key); nothing when it would
 * not fit or memory runs out. */
void dash_cache_put(const char *key, const char *body, size_t len, const void *extra, size_t extralen);
/* Forgets everything (tests, and a server stopping). */
void dash_cache_clear(void);
/* Entries held and their bytes, for tests. */
void dash_cache_stats(size_t *entries, size_t *bytes);

/* The dashboard's JSON answer (/api/v1/dashboard, or its report with
 * in->publish "yes") into out, from the cache when use_cache and it holds
 * it; *served_from "cache", "computed" (and now kept) or NULL (not to be
 * kept: the records answer it).  What svc_dashboard returns otherwise
 * (errs for SVC_INVALID).  In h_dashboard.c; the benchmark calls it. */
enum svc_status dash_answer_json(struct svc_ctx *c, const struct dash_filter_form *in, bool report, bool use_cache,
                                 struct buf *out, const char **served_from, struct field_errors *errs);

#endif
