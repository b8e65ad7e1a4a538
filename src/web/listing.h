/* Small helpers for list pages: paging from the query string and callbacks
 * that collect records into a JSON array. */
#ifndef TAS_WEB_LISTING_H
#define TAS_WEB_LISTING_H

#include "core/records.h"
#include "lib/buf.h"
#include "service/svc.h"
#include "store/q_common.h"
#include "store/q_pupils.h"
#include "web/http.h"

/* page from ?page= (default 1) and per_page from ?per_page= (default 25,
 * at most 200); nonsense falls back to the defaults.  A list asked for as
 * CSV is one page of up to LIST_CSV_MAX_ROWS. */
void listing_page(const struct req *rq, struct page_req *pg);
void collect_authority(void *arr, const struct authority *a);
void collect_school(void *arr, const struct school *s);
void collect_pupil(void *arr, const struct pupil_row *r);
/* A list kept in memory (web/page_cache.h).  listing_kept_key puts its key
 * into key: the records' generation read now (so before the list is
 * read), kind, JSON or HTML, the day, the path and query as sent, and the
 * viewer's scope; false when it is not to be kept (a CSV file, or no
 * generation).  listing_kept_get answers from the cache: the JSON answer
 * whole, or the page's main part (what the list's own template renders)
 * inside the layout, titled title under navigation section; false when it
 * holds none.  listing_kept_answer answers with a part just made, keeping
 * it when keep (and it is a success). */
bool listing_kept_key(struct req *rq, struct svc_ctx *c, const char *kind, struct buf *key);
bool listing_kept_get(struct req *rq, struct resp *rs, const struct buf *key, const char *title,
                      const char *section);
void listing_kept_answer(struct req *rq, struct resp *rs, bool keep, const struct buf *key, const char *title,
                         const char *section, const struct buf *main);
/* Parses a positive id, 0 when absent or not a number. */
int64_t parse_id(const char *s);

#endif
