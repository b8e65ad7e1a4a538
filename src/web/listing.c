#include "web/listing.h"

#include <stdlib.h>

#include "core/validate.h"
#include "web/list_csv.h"
#include "web/records_json.h"

void listing_page(const struct req *rq, struct page_req *pg)
{
    long v;
    pg->page = 1;
    pg->per_page = 25;
    const char *p = req_query(rq, "page");
    if (p && parse_int_strict(p, 1, 1000000, &v) == 0)
        pg->page = v;
    p = req_query(rq, "per_page");
    if (p && parse_int_strict(p, 1, 200, &v) == 0)
        pg->per_page = v;
    if (rq->csv) {
        /* A file holds the whole list (view_json refuses a longer one). */
        pg->page = 1;
        pg->per_page = LIST_CSV_MAX_ROWS;
    }
}

void collect_authority(void *arr, const struct authority *a)
{
    json_array_append_new(arr, json_authority(a));
}

void collect_school(void *arr, const struct school *s)
{
    json_array_append_new(arr, json_school(s));
}

void collect_pupil(void *arr, const struct pupil_row *r)
{
    json_array_append_new(arr, json_pupil(r));
}

int64_t parse_id(const char *s)
{
    long v;
    if (!s || parse_int_strict(s, 1, 0x7fffffffL, &v) != 0)
        return 0;
    return v;
}
