/* E-mail pages: "forgot password" and the reset link's page (public), a
 * meeting's invitations, and a user's e-mail address (administrators);
 * HTML and JSON.  The use cases are in service/svc_mail.c; they only queue
 * messages, which the mail thread (service/mailer.c) sends. */
#include <stdio.h>
#include <string.h>

#include "service/mailer.h"
#include "service/svc_mail.h"
#include "web/form.h"
#include "web/router.h"
#include "web/view.h"

/* ---- forgot password ------------------------------------------------------ */

static void forgot_page(struct req *rq, struct resp *rs, int status, const struct field_errors *e)
{
    const char *token = view_form_token(rq, rs);
    json_t *ctx = view_page(rq, "Reset your password", NULL);
    json_object_set_new(ctx, "csrf", json_string(token));
    view_set_errors(ctx, e);
    json_t *u = fld_input("username", "User name", "", e, "We will send a link to the e-mail address of the account.");
    fld_set(u, "autocomplete", "username");
    json_object_set_new(u, "spellcheck_off", json_true());
    fld_set(u, "width_class", "govuk-!-width-one-half");
    json_object_set_new(ctx, "fields", json_pack("{s:o}", "username", u));
    json_object_set_new(ctx, "sent", json_boolean(req_query(rq, "sent") != NULL));
    view_render(rq, rs, status, "password_forgot", ctx);
}

static void h_forgot_form(struct req *rq, struct resp *rs)
{
    forgot_page(rq, rs, 200, NULL);
}

/* The same answer whether or not the account exists, has an address, or
 * was throttled: a redirect to the same page. */
static void h_forgot(struct req *rq, struct resp *rs)
{
    const char *name = req_param(rq, "username");
    struct field_errors e = {0};
    if (!name || !*name) {
        field_errors_add(&e, "username", "Enter your user name");
        if (rq->api)
            view_invalid_json(rs, &e);
        else
            forgot_page(rq, rs, 400, &e);
        return;
    }
    struct svc_ctx c = req_svc_ctx(rq);
    if (view_failed(rq, rs, svc_password_forgot(&c, name)))
        return;
    mailer_wake();
    if (rq->api)
        view_json(rs, 202, json_pack("{s:s}", "message", "If the account exists and has an e-mail address, "
                                                        "a link to reset its password has been sent."));
    else
        resp_redirect(rs, "/forgot-password?sent=1");
}

/* ---- the reset link ----------------------------------------------------------- */

static void reset_page(struct req *rq, struct resp *rs, int status, const char *token, const char *username,
                       const struct field_errors *e)
{
    const char *csrf = view_form_token(rq, rs);
    json_t *ctx = view_page(rq, "Choose a new password", NULL);
    json_object_set_new(ctx, "csrf", json_string(csrf));
    json_object_set_new(ctx, "token", json_string(token));
    json_object_set_new(ctx, "username", json_string(username));
    view_set_errors(ctx, e);
    json_t *f = fld_input("password", "New password", "", e,
                          "At least 12 characters; not a common password; not containing your user name.");
    fld_set(f, "type", "password");
    fld_set(f, "autocomplete", "new-password");
    fld_set(f, "width_class", "govuk-!-width-one-half");
    json_object_set_new(f, "spellcheck_off", json_true());
    json_object_set_new(ctx, "fields", json_pack("{s:o}", "password", f));
    view_render(rq, rs, status, "password_reset", ctx);
}

static void link_gone(struct req *rq, struct resp *rs)
{
    view_error(rq, rs, 404, "This link does not work",
               "A password reset link works once, for an hour. Ask for a new one from the sign-in page.");
}

static void h_reset_form(struct req *rq, struct resp *rs)
{
    struct svc_ctx c = req_svc_ctx(rq);
    const char *token = req_query(rq, "token");
    char username[64];
    enum svc_status st = svc_password_reset_check(&c, token, username);
    if (st == SVC_NOT_FOUND) {
        link_gone(rq, rs);
        return;
    }
    if (view_failed(rq, rs, st))
        return;
    reset_page(rq, rs, 200, token, username, NULL);
}

static void h_reset(struct req *rq, struct resp *rs)
{
    struct svc_ctx c = req_svc_ctx(rq);
    const char *token = req_param(rq, "token");
    struct field_errors e = {0};
    enum svc_status st = svc_password_reset(&c, token, req_param(rq, "password"), &e);
    if (st == SVC_NOT_FOUND) {
        link_gone(rq, rs);
        return;
    }
    if (st == SVC_INVALID) {
        char username[64] = "";
        if (rq->api) {
            view_invalid_json(rs, &e);
            return;
        }
        (void)svc_password_reset_check(&c, token, username);
        reset_page(rq, rs, 400, token, username, &e);
        return;
    }
    if (view_failed(rq, rs, st))
        return;
    if (rq->api)
        view_json(rs, 200, json_pack("{s:b}", "reset", 1));
    else
        resp_redirect(rs, "/sign-in?password_reset=1");
}

/* ---- a meeting's invitations ---------------------------------------------------- */

/* Invitations, or the agenda pack's link, to everyone the meeting's
 * invitation goes to. */
static void meeting_mail(struct req *rq, struct resp *rs, bool pack)
{
    struct svc_ctx c = req_svc_ctx(rq);
    int64_t queued = 0;
    enum svc_status st = pack ? svc_meeting_send_pack(&c, rq->id, &queued) : svc_meeting_invite(&c, rq->id, &queued);
    if (st == SVC_CONFLICT) {
        view_error(rq, rs, 409, pack ? "The agenda pack cannot be sent" : "Invitations cannot be sent",
                   pack ? "The agenda pack goes out only for a planned meeting that has not happened yet."
                        : "Invitations go out only for a planned meeting that has not happened yet.");
        return;
    }
    if (view_failed(rq, rs, st))
        return;
    mailer_wake();
    if (rq->api) {
        view_json(rs, 200, json_pack("{s:I}", "queued", (json_int_t)queued));
        return;
    }
    char loc[80];
    snprintf(loc, sizeof loc, "/meetings/%lld?done=%s", (long long)rq->id,
             queued ? (pack ? "pack_sent" : "invited") : "invited_none");
    resp_redirect(rs, loc);
}

static void h_meeting_invite(struct req *rq, struct resp *rs) { meeting_mail(rq, rs, false); }
static void h_meeting_pack_mail(struct req *rq, struct resp *rs) { meeting_mail(rq, rs, true); }

static const struct route mail_routes[] = {
    {"GET", "/forgot-password", h_forgot_form, ROUTE_PUBLIC},
    {"POST", "/forgot-password", h_forgot, ROUTE_PUBLIC},
    {"GET", "/reset-password", h_reset_form, ROUTE_PUBLIC},
    {"POST", "/reset-password", h_reset, ROUTE_PUBLIC},
    {"POST", "/meetings/:id/invitations", h_meeting_invite, 0},
    {"POST", "/meetings/:id/agenda-pack-email", h_meeting_pack_mail, 0},

    {"POST", "/api/v1/forgot-password", h_forgot, ROUTE_PUBLIC},
    {"POST", "/api/v1/reset-password", h_reset, ROUTE_PUBLIC},
    {"POST", "/api/v1/meetings/:id/invitations", h_meeting_invite, 0},
    {"POST", "/api/v1/meetings/:id/agenda-pack-email", h_meeting_pack_mail, 0},
};

ROUTE_TABLE(mail_table, mail_routes);
