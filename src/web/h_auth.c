/* Signing in and out, in HTML and JSON. */
#include <stdio.h>
#include <string.h>

#include "core/nextpath.h"
#include "service/password.h"
#include "web/form.h"
#include "web/router.h"
#include "web/view.h"

static void set_session_cookie(struct req *rq, struct resp *rs, const char *value)
{
    resp_add_cookie(rs, "tas_session=%s; Path=/; HttpOnly; SameSite=Strict%s", value,
                    rq->app->secure_cookies ? "; Secure" : "");
}

static void clear_cookie(struct req *rq, struct resp *rs, const char *name)
{
    resp_add_cookie(rs, "%s=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict%s", name,
                    rq->app->secure_cookies ? "; Secure" : "");
}

/* The pending sign-in lives no longer than the server keeps it. */
static void set_pending_cookie(struct req *rq, struct resp *rs, const char *value)
{
    resp_add_cookie(rs, "tas_pending=%s; Path=/; Max-Age=%d; HttpOnly; SameSite=Strict%s", value,
                    SIGN_IN_PENDING_SECONDS, rq->app->secure_cookies ? "; Secure" : "");
}

/* The page to go to once signed in: the form's or the query's "next" when
 * it is a path on this site (core/nextpath.c), else the home page. */
static const char *next_page(struct req *rq)
{
    const char *n = req_param(rq, "next");
    if (!n)
        n = req_query(rq, "next");
    return next_path_safe(n) ? n : "/";
}

/* Redirects to where, with next=... when that is not the home page. */
static void redirect_with_next(struct req *rq, struct resp *rs, const char *where)
{
    const char *n = next_page(rq);
    if (strcmp(n, "/") == 0) {
        resp_redirect(rs, where);
        return;
    }
    struct buf b = BUF_INIT;
    buf_printf(&b, "%s%snext=", where, strchr(where, '?') ? "&" : "?");
    buf_urlenc(&b, n);
    resp_redirect(rs, buf_str(&b));
    buf_free(&b);
}

/* Shows the sign-in form. */
static void render_sign_in(struct req *rq, struct resp *rs, int status, const char *username,
                           const struct field_errors *errs, const char *notice)
{
    const char *token = view_form_token(rq, rs);
    json_t *ctx = view_page(rq, "Sign in", NULL);
    json_object_set_new(ctx, "csrf", json_string(token));
    if (strcmp(next_page(rq), "/") != 0)
        json_object_set_new(ctx, "next", json_string(next_page(rq)));
    view_set_errors(ctx, errs);
    json_t *u = fld_input("username", "User name", username, errs, NULL);
    fld_set(u, "autocomplete", "username");
    json_object_set_new(u, "spellcheck_off", json_true());
    fld_set(u, "width_class", "govuk-!-width-one-half");
    json_t *p = fld_input("password", "Password", "", errs, NULL);
    fld_set(p, "type", "password");
    fld_set(p, "autocomplete", "current-password");
    fld_set(p, "width_class", "govuk-!-width-one-half");
    json_object_set_new(ctx, "fields", json_pack("{s:o, s:o}", "username", u, "password", p));
    if (notice)
        json_object_set_new(ctx, "flash", json_pack("{s:b, s:s}", "success", 0, "text", notice));
    view_render(rq, rs, status, "sign_in", ctx);
}

static void h_sign_in_form(struct req *rq, struct resp *rs)
{
    if (rq->signed_in) {
        resp_redirect(rs, next_page(rq));
        return;
    }
    const char *notice = NULL;
    if (req_query(rq, "expired") || rq->session_expired)
        notice = "You were signed out because you had not used the service for a while. Sign in again to continue.";
    else if (req_query(rq, "signed_out"))
        notice = "You have signed out.";
    else if (req_query(rq, "password_reset"))
        notice = "Your password has been changed. Sign in with the new one.";
    else if (req_query(rq, "restart"))
        notice = "Your sign-in timed out before the code was entered. Sign in again.";
    render_sign_in(rq, rs, 200, "", NULL, notice);
}

static void wait_message(char *out, size_t n, enum sign_in_result r, int64_t wait)
{
    if (r == SIGN_IN_LOCKED)
        snprintf(out, n, "Too many attempts to sign in. Try again in %lld minute%s.",
                 (long long)((wait + 59) / 60), (wait + 59) / 60 == 1 ? "" : "s");
    else
        snprintf(out, n, "Wait %lld second%s before trying again.", (long long)wait,
                 wait == 1 ? "" : "s");
}

/* Shared by the HTML and JSON sign-in: validates, signs in, and says why not. */
static enum sign_in_result attempt(struct req *rq, const char *username, const char *password,
                                   struct field_errors *errs, int64_t *wait)
{
    if (!username || !*username)
        field_errors_add(errs, "username", "Enter your user name");
    if (!password || !*password)
        field_errors_add(errs, "password", "Enter your password");
    if (errs->count)
        return SIGN_IN_BAD;
    /* A new attempt replaces any sign-in still waiting for its code. */
    svc_sign_in_cancel(rq->db, req_cookie(rq, "tas_pending"));
    enum sign_in_result r = svc_sign_in(rq->db, &rq->app->auth, username, password,
                                        rq->remote_addr, rq->now, &rq->sess, wait);
    /* A password alone, when a code must follow, signs nobody in: the audit
     * trail records the sign-in when the code is accepted. */
    if (r == SIGN_IN_SECOND_FACTOR)
        rq->sess.user_id = 0;
    char msg[160];
    switch (r) {
    case SIGN_IN_BAD:
        /* The same words whether the name is unknown or the password wrong. */
        field_errors_add(errs, "username", "The user name or password is not right");
        break;
    case SIGN_IN_WAIT:
    case SIGN_IN_LOCKED:
        wait_message(msg, sizeof msg, r, *wait);
        field_errors_add(errs, "username", msg);
        break;
    default:
        break;
    }
    return r;
}

static int status_for(enum sign_in_result r)
{
    switch (r) {
    case SIGN_IN_OK: case SIGN_IN_SECOND_FACTOR: return 200;
    case SIGN_IN_BAD: case SIGN_IN_RESTART: return 401;
    case SIGN_IN_WAIT: case SIGN_IN_LOCKED: return 429;
    default: return 500;
    }
}

static void h_sign_in(struct req *rq, struct resp *rs)
{
    const char *username = req_param(rq, "username");
    const char *password = req_param(rq, "password");
    struct field_errors errs = {0};
    int64_t wait = 0;
    enum sign_in_result r = attempt(rq, username, password, &errs, &wait);
    if (r == SIGN_IN_ERROR) {
        view_svc_error(rq, rs, SVC_ERROR);
        return;
    }
    if (r == SIGN_IN_SECOND_FACTOR) {
        set_pending_cookie(rq, rs, rq->sess.cookie);
        redirect_with_next(rq, rs, "/sign-in/code");
        return;
    }
    if (r != SIGN_IN_OK) {
        bool filled = username && *username && password && *password;
        rs->retry_after = wait;
        render_sign_in(rq, rs, filled ? status_for(r) : 400, username, &errs, NULL);
        return;
    }
    set_session_cookie(rq, rs, rq->sess.cookie);
    clear_cookie(rq, rs, CSRF_COOKIE(rq->app));
    resp_redirect(rs, next_page(rq));
}

static json_t *me_json(const struct req *rq)
{
    json_t *roles = json_array();
    for (size_t i = 0; i < rq->sess.who.ngrants; i++) {
        const struct role_grant *g = &rq->sess.who.grants[i];
        json_array_append_new(roles, json_pack("{s:s, s:s, s:s, s:I, s:s}", "role", role_code(g->role),
                                               "role_label", role_label(g->role), "scope",
                                               scope_code(g->scope), "scope_id",
                                               (json_int_t)g->scope_id, "detail", g->detail));
    }
    return json_pack("{s:{s:I, s:s, s:s, s:o}, s:s, s:b}", "user", "id", (json_int_t)rq->sess.user_id,
                     "username", rq->sess.username, "display_name", rq->sess.display_name, "roles",
                     roles, "csrf", rq->sess.csrf, "two_factor_setup_required", rq->sess.must_enrol);
}

static void h_api_sign_in(struct req *rq, struct resp *rs)
{
    struct field_errors errs = {0};
    int64_t wait = 0;
    enum sign_in_result r = attempt(rq, req_param(rq, "username"), req_param(rq, "password"),
                                    &errs, &wait);
    if (r == SIGN_IN_OK) {
        rq->signed_in = true;
        set_session_cookie(rq, rs, rq->sess.cookie);
        view_json(rs, 200, me_json(rq));
        return;
    }
    if (r == SIGN_IN_SECOND_FACTOR) {
        set_pending_cookie(rq, rs, rq->sess.cookie);
        view_json(rs, 200, json_pack("{s:b, s:s}", "second_factor_required", 1, "next",
                                     "/api/v1/sign-in/code"));
        return;
    }
    if (r == SIGN_IN_ERROR) {
        view_svc_error(rq, rs, SVC_ERROR);
        return;
    }
    rs->retry_after = wait;
    view_json(rs, status_for(r), json_pack("{s:s, s:I}", "error",
                                           errs.count ? errs.items[0].message : "not signed in",
                                           "retry_after", (json_int_t)wait));
}

static void h_api_me(struct req *rq, struct resp *rs)
{
    view_json(rs, 200, me_json(rq));
}

static void h_sign_out(struct req *rq, struct resp *rs)
{
    svc_sign_out(rq->db, req_cookie(rq, "tas_session"));
    clear_cookie(rq, rs, "tas_session");
    if (rq->api)
        view_json(rs, 200, json_pack("{s:b}", "signed_out", 1));
    else
        resp_redirect(rs, "/sign-in?signed_out=1");
}

/* ---- the second step: a code from the authenticator or a recovery code -- */

static void render_code(struct req *rq, struct resp *rs, int status, const struct field_errors *errs)
{
    json_t *ctx = view_page(rq, "Enter your security code", NULL);
    json_object_set_new(ctx, "csrf", json_string(view_form_token(rq, rs)));
    if (strcmp(next_page(rq), "/") != 0)
        json_object_set_new(ctx, "next", json_string(next_page(rq)));
    view_set_errors(ctx, errs);
    json_t *c = fld_input("code", "Security code", "", errs,
                          "The 6-digit code from your authenticator app, or one of your recovery codes");
    fld_set(c, "autocomplete", "one-time-code");
    json_object_set_new(c, "spellcheck_off", json_true());
    fld_set(c, "width_class", "govuk-input--width-10");
    fld_set(c, "label_class", "govuk-label--s");
    json_object_set_new(ctx, "fields", json_pack("{s:o}", "code", c));
    view_render(rq, rs, status, "sign_in_code", ctx);
}

static void h_sign_in_code_form(struct req *rq, struct resp *rs)
{
    if (rq->signed_in) {
        resp_redirect(rs, next_page(rq));
        return;
    }
    if (!req_cookie(rq, "tas_pending")) {
        resp_redirect(rs, "/sign-in");
        return;
    }
    render_code(rq, rs, 200, NULL);
}

/* Shared by the HTML and JSON code step. */
static enum sign_in_result code_attempt(struct req *rq, struct field_errors *errs, int64_t *wait)
{
    const char *code = req_param(rq, "code");
    bool recovery = false;
    *wait = 0;
    if (!code || !*code) {
        field_errors_add(errs, "code", "Enter your security code");
        return SIGN_IN_BAD;
    }
    enum sign_in_result r = svc_sign_in_code(rq->db, &rq->app->auth, req_cookie(rq, "tas_pending"), code,
                                             rq->remote_addr, rq->now, &rq->sess, wait, &recovery);
    char msg[160];
    if (r == SIGN_IN_BAD)
        field_errors_add(errs, "code", "The security code is not right, or it has been used already");
    else if (r == SIGN_IN_WAIT || r == SIGN_IN_LOCKED) {
        wait_message(msg, sizeof msg, r, *wait);
        field_errors_add(errs, "code", msg);
    }
    return r;
}

static void h_sign_in_code(struct req *rq, struct resp *rs)
{
    struct field_errors errs = {0};
    int64_t wait = 0;
    enum sign_in_result r = code_attempt(rq, &errs, &wait);
    switch (r) {
    case SIGN_IN_OK:
        set_session_cookie(rq, rs, rq->sess.cookie);
        clear_cookie(rq, rs, "tas_pending");
        clear_cookie(rq, rs, CSRF_COOKIE(rq->app));
        resp_redirect(rs, next_page(rq));
        return;
    case SIGN_IN_RESTART:
        clear_cookie(rq, rs, "tas_pending");
        redirect_with_next(rq, rs, "/sign-in?restart=1");
        return;
    case SIGN_IN_ERROR:
    case SIGN_IN_SECOND_FACTOR:
        view_svc_error(rq, rs, SVC_ERROR);
        return;
    default:
        rs->retry_after = wait;
        render_code(rq, rs, status_for(r), &errs);
    }
}

static void h_api_sign_in_code(struct req *rq, struct resp *rs)
{
    struct field_errors errs = {0};
    int64_t wait = 0;
    enum sign_in_result r = code_attempt(rq, &errs, &wait);
    if (r == SIGN_IN_OK) {
        rq->signed_in = true;
        set_session_cookie(rq, rs, rq->sess.cookie);
        clear_cookie(rq, rs, "tas_pending");
        view_json(rs, 200, me_json(rq));
        return;
    }
    if (r == SIGN_IN_ERROR || r == SIGN_IN_SECOND_FACTOR) {
        view_svc_error(rq, rs, SVC_ERROR);
        return;
    }
    if (r == SIGN_IN_RESTART)
        clear_cookie(rq, rs, "tas_pending");
    rs->retry_after = wait;
    view_json(rs, status_for(r), json_pack("{s:s, s:I}", "error",
                                           r == SIGN_IN_RESTART ? "sign in again"
                                           : errs.count ? errs.items[0].message : "not signed in",
                                           "retry_after", (json_int_t)wait));
}

static const struct route auth_routes[] = {
    {"GET", "/sign-in", h_sign_in_form, ROUTE_PUBLIC},
    {"POST", "/sign-in", h_sign_in, ROUTE_PUBLIC},
    {"POST", "/sign-out", h_sign_out, ROUTE_ENROL},
    {"GET", "/sign-in/code", h_sign_in_code_form, ROUTE_PUBLIC},
    {"POST", "/sign-in/code", h_sign_in_code, ROUTE_PUBLIC},

    {"POST", "/api/v1/sign-in", h_api_sign_in, ROUTE_PUBLIC},
    {"POST", "/api/v1/sign-out", h_sign_out, ROUTE_ENROL},
    {"GET", "/api/v1/me", h_api_me, ROUTE_ENROL},
    {"POST", "/api/v1/sign-in/code", h_api_sign_in_code, ROUTE_PUBLIC},
};

ROUTE_TABLE(auth_table, auth_routes);
