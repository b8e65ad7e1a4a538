/* A user's own account: two-factor authentication (setting it up, the
 * recovery codes) and changing their password; HTML and JSON.  Data comes
 * from service/svc_account.c.  The second sign-in step is in h_auth.c. */
#include <stdio.h>
#include <string.h>

#include "service/svc_account.h"
#include "web/form.h"
#include "web/router.h"
#include "web/view.h"

static json_t *page(struct req *rq, const char *title)
{
    json_t *ctx = view_page(rq, title, "account");
    if (!rq->sess.must_enrol)
        view_breadcrumbs(ctx, "/", "Home", "/account", "Your account", NULL);
    return ctx;
}

/* ---- the account page ---------------------------------------------------- */

/* The user's two-factor authentication as the account page and the API
 * show it. */
static json_t *two_factor_json(const struct totp_status *ts)
{
    return json_pack("{s:b, s:b, s:I}", "enabled", ts->enabled, "required", ts->required, "recovery_unused",
                     (json_int_t)ts->recovery_unused);
}

static void h_account(struct req *rq, struct resp *rs)
{
    struct svc_ctx c = req_svc_ctx(rq);
    struct totp_status ts;
    if (view_failed(rq, rs, svc_totp_status(&c, &ts)))
        return;
    json_t *ctx = view_page(rq, "Your account", "account");
    view_breadcrumbs(ctx, "/", "Home", NULL);
    json_object_set_new(ctx, "two_factor", two_factor_json(&ts));
    static const struct view_note saved[] = {
        {"password", "Your password has been changed. You have been signed out everywhere else."}, {NULL, NULL}};
    view_flash(ctx, view_note(rq, "saved", saved));
    view_render(rq, rs, 200, "account", ctx);
}

/* ---- two-factor authentication ----------------------------------------- */

static json_t *code_field(const struct field_errors *e)
{
    json_t *f = fld_input("code", "Code from the app", "", e, "The 6 digits your authenticator app shows");
    fld_set(f, "autocomplete", "one-time-code");
    fld_set(f, "inputmode", "numeric");
    fld_set(f, "width_class", "govuk-input--width-10");
    fld_set(f, "label_class", "govuk-label--s");
    json_object_set_new(f, "spellcheck_off", json_true());
    return f;
}

/* The set-up page (or JSON), for a user with no authenticator yet. */
static void show_setup(struct req *rq, struct resp *rs, struct svc_ctx *c, int status,
                       const struct field_errors *e)
{
    struct totp_setup su;
    if (view_failed(rq, rs, svc_totp_begin(c, &su)))
        return;
    if (rq->api) {
        if (e && e->count) {
            view_invalid_json(rs, e);
            return;
        }
        view_json(rs, 200, json_pack("{s:b, s:b, s:s, s:s}", "enabled", 0, "required", rq->sess.must_enrol,
                                     "secret", su.secret, "otpauth_uri", su.uri));
        return;
    }
    json_t *ctx = page(rq, "Set up two-factor authentication");
    json_object_set_new(ctx, "setup", json_pack("{s:s, s:s}", "secret", su.secret, "uri", su.uri));
    json_object_set_new(ctx, "must_enrol", json_boolean(rq->sess.must_enrol));
    view_set_errors(ctx, e);
    json_object_set_new(ctx, "fields", json_pack("{s:o}", "code", code_field(e)));
    view_render(rq, rs, status, "account_two_factor", ctx);
}

static void h_two_factor(struct req *rq, struct resp *rs)
{
    struct svc_ctx c = req_svc_ctx(rq);
    struct totp_status ts;
    if (view_failed(rq, rs, svc_totp_status(&c, &ts)))
        return;
    if (!ts.enabled) {
        show_setup(rq, rs, &c, 200, NULL);
        return;
    }
    if (rq->api) {
        view_json(rs, 200, two_factor_json(&ts));
        return;
    }
    json_t *ctx = page(rq, "Two-factor authentication");
    json_object_set_new(ctx, "on", json_pack("{s:I}", "recovery_unused", (json_int_t)ts.recovery_unused));
    view_render(rq, rs, 200, "account_two_factor", ctx);
}

static void h_two_factor_confirm(struct req *rq, struct resp *rs)
{
    struct svc_ctx c = req_svc_ctx(rq);
    struct field_errors e = {0};
    recovery_code codes[RECOVERY_CODES];
    enum svc_status st = svc_totp_confirm(&c, req_param(rq, "code"), rq->sess.handle, &e, codes);
    if (st == SVC_INVALID) {
        show_setup(rq, rs, &c, 400, &e);
        return;
    }
    if (st == SVC_NOT_FOUND) {
        /* No set-up under way (e.g. reset meanwhile): start one. */
        show_setup(rq, rs, &c, 200, NULL);
        return;
    }
    if (view_failed(rq, rs, st))
        return;
    json_t *list = json_array();
    for (int i = 0; i < RECOVERY_CODES; i++)
        json_array_append_new(list, json_string(codes[i]));
    memset(codes, 0, sizeof codes);
    if (rq->api) {
        view_json(rs, 200, json_pack("{s:b, s:o}", "enabled", 1, "recovery_codes", list));
        return;
    }
    /* Shown once, on this response only (never stored, never in a link). */
    json_t *ctx = page(rq, "Two-factor authentication is on");
    json_object_set_new(ctx, "done", json_pack("{s:o}", "codes", list));
    view_render(rq, rs, 200, "account_two_factor", ctx);
}

/* ---- changing one's password ------------------------------------------- */

static json_t *pw_field(const char *name, const char *label, const char *autocomplete, const char *hint,
                        const struct field_errors *e)
{
    /* Passwords are never sent back into the page, even after an error. */
    json_t *f = fld_input(name, label, "", e, hint);
    fld_set(f, "type", "password");
    fld_set(f, "autocomplete", autocomplete);
    fld_set(f, "width_class", "govuk-!-width-one-half");
    json_object_set_new(f, "spellcheck_off", json_true());
    return f;
}

static void password_form(struct req *rq, struct resp *rs, int status, const struct field_errors *e)
{
    json_t *ctx = page(rq, "Change your password");
    view_set_errors(ctx, e);
    json_object_set_new(ctx, "fields", json_pack(
        "{s:o, s:o, s:o}",
        "current_password", pw_field("current_password", "Current password", "current-password", NULL, e),
        "new_password", pw_field("new_password", "New password", "new-password",
                                 PASSWORD_ADVICE, e),
        "confirm_password", pw_field("confirm_password", "Confirm new password", "new-password", NULL, e)));
    view_render(rq, rs, status, "account_password", ctx);
}

static void h_password_form(struct req *rq, struct resp *rs)
{
    password_form(rq, rs, 200, NULL);
}

static void h_password_change(struct req *rq, struct resp *rs)
{
    struct svc_ctx c = req_svc_ctx(rq);
    struct field_errors e = {0};
    enum svc_status st = svc_password_change(&c, &rq->app->auth, req_param(rq, "current_password"),
                                             req_param(rq, "new_password"), req_param(rq, "confirm_password"),
                                             rq->sess.handle, &e);
    enum save_next n = view_answer_save(rq, rs, st, &e);
    if (n == SAVE_FORM)
        password_form(rq, rs, 400, &e);
    else if (n == SAVE_OK && rq->api)
        view_json(rs, 200, json_pack("{s:b}", "changed", 1));
    else if (n == SAVE_OK)
        resp_redirect(rs, "/account?saved=password");
}

static const struct route account_routes[] = {
    {"GET", "/account", h_account, 0},
    {"GET", "/account/two-factor", h_two_factor, ROUTE_ENROL},
    {"POST", "/account/two-factor", h_two_factor_confirm, ROUTE_ENROL},
    {"GET", "/account/password", h_password_form, 0},
    {"POST", "/account/password", h_password_change, 0},

    {"GET", "/api/v1/account/two-factor", h_two_factor, ROUTE_ENROL},
    {"POST", "/api/v1/account/two-factor", h_two_factor_confirm, ROUTE_ENROL},
    {"POST", "/api/v1/account/password", h_password_change, 0},
};

ROUTE_TABLE(account_table, account_routes);
