#include "web/listing.h"

#include <stdlib.h>

#include "core/validate.h"
#include "web/list_csv.h"
#include "web/page_cache.h"
#include "web/records_json.h"
#include "web/view.h"

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

/* ---- lists kept in memory ---- */

bool listing_kept_key(struct req *rq, struct svc_ctx *c, const char *kind, struct buf *key)
{
    int64_t gen;
    if (rq->csv || !rq->signed_in || svc_records_generation(c, &gen) != SVC_OK)
        return false;
    buf_printf(key, "%s 1|%s|gen %lld|", kind, rq->api ? "json" : "html", (long long)gen);
    page_key_text(key, c->today);
    page_key_text(key, rq->path);
    buf_printf(key, "query %zu|", rq->query.n);
    for (size_t i = 0; i < rq->query.n; i++) {
        page_key_text(key, rq->query.items[i].key);
        page_key_text(key, rq->query.items[i].val);
    }
    page_key_scope(key, c->who);
    return !key->failed;
}

/* The page around a list's main part: the layout's context is the
 * request's own (user, CSRF token, navigation), never kept. */
static void answer_page(struct req *rq, struct resp *rs, const char *title, const char *section,
                        const struct buf *main)
{
    json_t *ctx = view_page(rq, title, section);
    /* Our own renderer's output, from UTF-8 records: not checked again. */
    json_object_set_new(ctx, "main_html", json_stringn_nocheck(main->data ? main->data : "", main->len));
    view_render(rq, rs, 200, "page_kept", ctx);
}

bool listing_kept_get(struct req *rq, struct resp *rs, const struct buf *key, const char *title,
                      const char *section)
{
    struct buf kept = BUF_INIT;
    if (!page_cache_get(buf_str(key), &kept, NULL, 0)) {
        buf_free(&kept);
        return false;
    }
    if (rq->api) {
        buf_reset(&rs->body);
        buf_append(&rs->body, kept.data, kept.len);
        rs->status = 200;
        rs->content_type = "application/json";
    } else {
        answer_page(rq, rs, title, section, &kept);
    }
    buf_free(&kept);
    rs->served_from = "cache";
    return true;
}

void listing_kept_answer(struct req *rq, struct resp *rs, bool keep, const struct buf *key, const char *title,
                         const char *section, const struct buf *main)
{
    if (!rq->api)
        answer_page(rq, rs, title, section, main);
    if (keep && rs->status == 200 && !rs->body.failed) {
        /* The JSON answer as sent; the page's main part as rendered. */
        const struct buf *part = rq->api ? &rs->body : main;
        page_cache_put(buf_str(key), part->data ? part->data : "", part->len, NULL, 0);
        rs->served_from = "computed";
    }
}
