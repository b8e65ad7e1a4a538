/* Calendars (service/svc_calendar.c): a meeting's invitation as an
 * iCalendar file, the per-user subscription feed at /calendar/SECRET.ics
 * (public: the secret is the credential; a wrong or revoked one is 404),
 * and the account page that makes, replaces and revokes the feed. */
#include <stdio.h>
#include <string.h>

#include "core/calendar.h"
#include "service/svc_calendar.h"
#include "web/router.h"
#include "web/view.h"

#define ICS_TYPE "text/calendar; charset=utf-8"

/* GET /meetings/:id/invite.ics */
static void h_invite(struct req *rq, struct resp *rs)
{
    struct svc_ctx c = req_svc_ctx(rq);
    struct buf b = {0};
    enum svc_status st = svc_meeting_ics(&c, rq->id, &b);
    if (st != SVC_OK) {
        buf_free(&b);
        view_svc_error(rq, rs, st);
        return;
    }
    buf_reset(&rs->body);
    buf_append(&rs->body, b.data, b.len);
    buf_free(&b);
    rs->status = 200;
    rs->content_type = ICS_TYPE;
    snprintf(rs->disposition, sizeof rs->disposition, "attachment; filename=\"tas-meeting-%lld.ics\"",
             (long long)rq->id);
}

/* GET /calendar/:token.ics: the path's token, checked by the service. */
static void h_feed(struct req *rq, struct resp *rs)
{
    struct svc_ctx c = req_svc_ctx(rq);
    char token[CAL_TOKEN_HEX + 2] = "";
    const char *p = rq->path + strlen("/calendar/");
    const char *dot = strstr(p, ".ics");
    if (dot && (size_t)(dot - p) < sizeof token)
        snprintf(token, sizeof token, "%.*s", (int)(dot - p), p);
    buf_reset(&rs->body);
    enum svc_status st = svc_calendar_feed(c.db, token, c.now, &rs->body);
    if (st != SVC_OK) {
        buf_reset(&rs->body);
        rq->api = true;   /* a calendar client reads no HTML */
        view_svc_error(rq, rs, st);
        return;
    }
    rs->status = 200;
    rs->content_type = ICS_TYPE;
}

/* The address of a feed as the person's calendar must be given it. */
static void feed_urls(struct req *rq, const char *token, json_t *ctx)
{
    const char *host = req_header(rq, "Host");
    const char *proto = req_header(rq, "X-Forwarded-Proto");
    bool tls = proto && strcmp(proto, "https") == 0;
    char url[512], webcal[512];
    snprintf(url, sizeof url, "%s://%s/calendar/%s.ics", tls ? "https" : "http", host ? host : "localhost", token);
    snprintf(webcal, sizeof webcal, "webcal://%s/calendar/%s.ics", host ? host : "localhost", token);
    json_object_set_new(ctx, "feed_url", json_string(url));
    json_object_set_new(ctx, "webcal_url", json_string(webcal));
}

static void render_page(struct req *rq, struct resp *rs, struct svc_ctx *c, const char *token, const char *flash)
{
    bool has = false;
    int64_t created = 0;
    if (view_failed(rq, rs, svc_calendar_feed_state(c, &has, &created)))
        return;
    if (rq->api) {
        json_t *o = json_pack("{s:b}", "subscribed", has);
        if (token) {
            char path[128];
            snprintf(path, sizeof path, "/calendar/%s.ics", token);
            json_object_set_new(o, "path", json_string(path));
        }
        view_json(rs, token ? 201 : 200, o);
        return;
    }
    json_t *ctx = view_page(rq, "Calendar subscription", "account");
    view_breadcrumbs(ctx, "/", "Home", "/account", "Your account", NULL);
    json_object_set_new(ctx, "subscribed", json_boolean(has));
    if (has) {
        char day[11], label[40];
        int32_t d = (int32_t)(created / 86400);
        day_format(d, day);
        date_label(day, label, sizeof label);
        json_object_set_new(ctx, "created_label", json_string(label));
    }
    if (token)
        feed_urls(rq, token, ctx);
    view_flash(ctx, flash);
    view_render(rq, rs, 200, "account_calendar", ctx);
}

static void h_calendar_page(struct req *rq, struct resp *rs)
{
    struct svc_ctx c = req_svc_ctx(rq);
    const char *done = req_query(rq, "revoked");
    render_page(rq, rs, &c, NULL, done ? "Your calendar subscription has been revoked. Its address no longer works." : NULL);
}

/* POST /account/calendar: a new secret address (the old one stops). */
static void h_calendar_new(struct req *rq, struct resp *rs)
{
    struct svc_ctx c = req_svc_ctx(rq);
    char token[CAL_TOKEN_HEX + 1];
    if (view_failed(rq, rs, svc_calendar_feed_new(&c, token)))
        return;
    render_page(rq, rs, &c, token, NULL);
}

/* POST /account/calendar/revoke */
static void h_calendar_revoke(struct req *rq, struct resp *rs)
{
    struct svc_ctx c = req_svc_ctx(rq);
    enum svc_status st = svc_calendar_feed_revoke(&c);
    if (st == SVC_NOT_FOUND)
        st = SVC_OK;   /* nothing to revoke: the same end */
    if (view_failed(rq, rs, st))
        return;
    if (rq->api) {
        view_json(rs, 200, json_pack("{s:b}", "subscribed", 0));
        return;
    }
    resp_redirect(rs, "/account/calendar?revoked=1");
}

static const struct route calendar_routes[] = {
    {"GET", "/meetings/:id/invite.ics", h_invite, 0},
    {"GET", "/calendar/:token.ics", h_feed, ROUTE_PUBLIC},
    {"GET", "/account/calendar", h_calendar_page, 0},
    {"POST", "/account/calendar", h_calendar_new, 0},
    {"POST", "/account/calendar/revoke", h_calendar_revoke, 0},

    {"GET", "/api/v1/account/calendar", h_calendar_page, 0},
    {"POST", "/api/v1/account/calendar", h_calendar_new, 0},
    {"POST", "/api/v1/account/calendar/revoke", h_calendar_revoke, 0},
};

ROUTE_TABLE(calendar_table, calendar_routes);
