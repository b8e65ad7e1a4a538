/* Break-glass: the emergency access form offered when a pupil's record is
 * refused, and the data protection officer's review page; HTML and JSON.
 * Data comes from service/svc_break_glass.c. */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "service/svc_break_glass.h"
#include "web/form.h"
#include "web/records_json.h"
#include "web/router.h"
#include "web/view.h"


static void render_form(struct req *rq, struct resp *rs, int status, const char *reason,
                        const struct field_errors *e)
{
    json_t *ctx = view_page(rq, "Request emergency access", "pupils");
    char action[64];
    snprintf(action, sizeof action, "/pupils/%lld/break-glass", (long long)rq->id);
    view_breadcrumbs(ctx, "/", "Home", "/pupils", "Pupils", NULL);
    json_object_set_new(ctx, "action", json_string(action));
    json_object_set_new(ctx, "minutes", json_integer(BREAK_GLASS_SECONDS / 60));
    view_set_errors(ctx, e);
    json_t *f = fld_input("reason", "Why do you need access now?", reason, e,
                          "For example, a safeguarding concern that cannot wait. The data protection "
                          "officer will read this.");
    json_object_set_new(ctx, "reason", f);
    view_render(rq, rs, status, "break_glass_form", ctx);
}

static void h_bg_form(struct req *rq, struct resp *rs)
{
    struct svc_ctx c = req_svc_ctx(rq);
    if (view_denied(rq, rs, svc_break_glass_offered(&c)))
        return;
    if (rq->api) {
        view_json(rs, 200, json_pack("{s:b, s:i, s:i}", "offered", 1, "minutes", BREAK_GLASS_SECONDS / 60,
                                     "reason_max", BREAK_GLASS_REASON_MAX));
        return;
    }
    render_form(rq, rs, 200, "", NULL);
}

static void h_bg_request(struct req *rq, struct resp *rs)
{
    struct svc_ctx c = req_svc_ctx(rq);
    const char *reason = req_param(rq, "reason");
    struct field_errors e = {0};
    struct break_glass_row r;
    enum svc_status st = svc_break_glass_request(&c, rq->id, reason, &e, &r);
    char loc[48];
    snprintf(loc, sizeof loc, "/pupils/%lld", (long long)rq->id);
    if (st == SVC_CONFLICT && !rq->api) {
        resp_redirect(rs, loc);   /* never needed */
        return;
    }
    if (st == SVC_CONFLICT) {
        view_error(rq, rs, 409, "You can already see this pupil", "No emergency access is needed.");
        return;
    }
    enum save_next n = view_answer_save(rq, rs, st, &e);
    if (n == SAVE_OK)
        view_saved(rq, rs, 201, "break_glass", json_break_glass(&r, c.now), "%s", loc);
    else if (n == SAVE_FORM)
        render_form(rq, rs, 400, reason ? reason : "", &e);
}

struct list_ctx {
    json_t *unreviewed, *reviewed;
    int64_t now;
};

static void add_entry(void *arg, const struct break_glass_row *r)
{
    struct list_ctx *lc = arg;
    json_array_append_new(r->reviewed_at ? lc->reviewed : lc->unreviewed, json_break_glass(r, lc->now));
}

static void h_bg_list(struct req *rq, struct resp *rs)
{
    struct svc_ctx c = req_svc_ctx(rq);
    struct list_ctx lc = {json_array(), json_array(), c.now};
    enum svc_status st = svc_break_glass_list(&c, add_entry, &lc);
    if (view_failed_drop(rq, rs, st, lc.unreviewed, lc.reviewed))
        return;
    if (rq->api) {
        json_t *all = json_array();
        json_array_extend(all, lc.unreviewed);
        json_array_extend(all, lc.reviewed);
        view_json(rs, 200, json_pack("{s:o, s:I}", "break_glass", all, "unreviewed",
                                     (json_int_t)json_array_size(lc.unreviewed)));
        json_decref(lc.unreviewed);
        json_decref(lc.reviewed);
        return;
    }
    json_t *ctx = view_page(rq, "Emergency access", "break-glass");
    view_breadcrumbs(ctx, "/", "Home", NULL);
    json_object_set_new(ctx, "unreviewed", lc.unreviewed);
    json_object_set_new(ctx, "reviewed", lc.reviewed);
    if (req_query(rq, "saved"))
        view_flash(ctx, "Marked as reviewed");
    view_render(rq, rs, 200, "break_glass_list", ctx);
}

static void h_bg_review(struct req *rq, struct resp *rs)
{
    struct svc_ctx c = req_svc_ctx(rq);
    enum svc_status st = svc_break_glass_review(&c, rq->id);
    if (st == SVC_OK && rq->api) {
        view_json(rs, 200, json_pack("{s:I, s:b}", "id", (json_int_t)rq->id, "reviewed", 1));
    } else if (st == SVC_OK) {
        resp_redirect(rs, "/break-glass?saved=1");
    } else if (st == SVC_CONFLICT) {
        view_error(rq, rs, 409, "Already reviewed", "Someone has already marked this as reviewed.");
    } else {
        view_svc_error(rq, rs, st);
    }
}

static const struct route routes[] = {
    {"GET", "/pupils/:id/break-glass", h_bg_form, 0},
    {"POST", "/pupils/:id/break-glass", h_bg_request, 0},
    {"GET", "/break-glass", h_bg_list, 0},
    {"POST", "/break-glass/:id/review", h_bg_review, 0},

    {"GET", "/api/v1/pupils/:id/break-glass", h_bg_form, 0},
    {"POST", "/api/v1/pupils/:id/break-glass", h_bg_request, 0},
    {"GET", "/api/v1/break-glass", h_bg_list, 0},
    {"POST", "/api/v1/break-glass/:id/review", h_bg_review, 0},
};

ROUTE_TABLE(break_glass_table, routes);
