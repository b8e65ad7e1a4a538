/* Small helpers for list pages: paging from the query string and callbacks
 * that collect records into a JSON array. */
#ifndef TAS_WEB_LISTING_H
#define TAS_WEB_LISTING_H

#include "core/records.h"
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
/* Parses a positive id, 0 when absent or not a number. */
int64_t parse_id(const char *s);

#endif
