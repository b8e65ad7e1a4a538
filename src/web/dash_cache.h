/* The dashboard's JSON answer, kept in memory (web/page_cache.h) under
 * the rollup's generation, or computed.  In h_dashboard.c; the benchmark
 * calls it. */
#ifndef TAS_WEB_DASH_CACHE_H
#define TAS_WEB_DASH_CACHE_H

#include <stdbool.h>

#include "lib/buf.h"
#include "service/svc_dashboard.h"
#include "store/store.h"

/* The dashboard's JSON answer (/api/v1/dashboard, or its report with
 * in->publish "yes") into out, from the cache when use_cache and it holds
 * it; *served_from "cache", "computed" (and now kept) or NULL (not to be
 * kept: the records answer it).  Computed on a replica from replicas
 * (tas serve --read-db; NULL: none) when it is current, *read_from
 * saying where ("replica", "primary", NULL without replicas).  What
 * svc_dashboard returns otherwise (errs for SVC_INVALID). */
enum svc_status dash_answer_json(struct svc_ctx *c, struct store_pool *replicas, const struct dash_filter_form *in,
                                 bool report, bool use_cache, struct buf *out, const char **served_from,
                                 const char **read_from, struct field_errors *errs);

#endif
