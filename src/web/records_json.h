/* One JSON shape per record, used both as the API's answer and as the data
 * the HTML templates render, so the two never disagree. */
#ifndef TAS_WEB_RECORDS_JSON_H
#define TAS_WEB_RECORDS_JSON_H

#include <jansson.h>

#include "core/records.h"
#include "store/q_pupils.h"

json_t *json_authority(const struct authority *a);
json_t *json_school(const struct school *s);
json_t *json_pupil(const struct pupil_row *r);
/* {page, per_page, total, pages} plus links for the pagination partial;
 * base is the list's path and query without "page". */
json_t *json_paging(int64_t page, int64_t per_page, int64_t total, const char *base);

#endif
