/* Administering user accounts: the list of users, one user (disable or
 * enable, set a password, reset two-factor authentication), the live
 * sessions with revoke, and which roles must use two-factor
 * authentication (/settings/security); HTML and JSON.  Data comes from
 * service/svc_users.c and service/svc_account.c; the policy (RES_USER)
 * decides who may do what. */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "service/svc_account.h"
#include "service/svc_mail.h"
#include "service/svc_users.h"
#include "web/form.h"
#include "web/listing.h"
#include "web/router.h"
#include "web/view.h"

/* "23 November 2026 at 14:05 UTC" */
static json_t *time_text(int64_t t)
{
    char b[48];
    time_t tt = (time_t)t;
    struct tm tm;
    gmtime_r(&tt, &tm);
    strftime(b, sizeof b, "%-d %B %Y at %H:%M UTC", &tm);
    return json_string(b);
}

static json_t *user_json(const struct user_row *u)
{
    return json_pack("{s:I, s:s, s:s, s:s, s:b}", "id", (json_int_t)u->id, "username", u->username,
                     "display_name", u->display_name, "email", u->email, "disabled", u->disabled);
}

/* ---- the list ------------------------------------------------------------ */

static void collect_user(void *arr, const struct user_row *u)
{
    json_array_append_new(arr, user_json(u));
}

static void h_user_list(struct req *rq, struct resp *rs)
{
    struct svc_ctx c = req_svc_ctx(rq);
    json_t *list = json_array();
    if (view_failed_drop(rq, rs, svc_user_list(&c, collect_user, list), list))
        return;
    json_t *ctx = view_answer_page(rq, rs, json_pack("{s:o}", "users", list), "Users", "users", "/", "Home", NULL);
    if (!ctx)
        return;
    view_list_csv_link(rq, ctx, RES_USER);
    json_object_set_new(ctx, "may_add", json_boolean(svc_allowed(&c, ACT_CREATE, RES_USER, 0, 0, 0)));
    view_render(rq, rs, 200, "user_list", ctx);
}

/* ---- adding a user -------------------------------------------------------- */

struct place_opts {
    json_t *field;
    const char *current;
};

static void add_place(void *arg, const char *value, const char *label)
{
    struct place_opts *o = arg;
    fld_add_option(o->field, value, label, o->current);
}

static void user_form(struct req *rq, struct resp *rs, int status, const struct user_form *f,
                      const struct grant_form *g, const struct field_errors *e)
{
    struct svc_ctx c = req_svc_ctx(rq);
    json_t *place = fld_select("place", "Where the role applies", e, NULL);
    fld_add_option(place, "", "Select a place", g->place ? g->place : "");
    struct place_opts po = {place, g->place ? g->place : ""};
    enum svc_status st = svc_user_places(&c, add_place, &po);
    if (view_failed_drop(rq, rs, st, place))
        return;
    json_t *role = fld_select("role", "Role", e, NULL);
    fld_add_option(role, "", "Select a role", g->role ? g->role : "");
    for (int r = 0; r < ROLE__COUNT; r++)
        fld_add_option(role, role_code((enum role)r), role_label((enum role)r), g->role ? g->role : "");
    json_t *ctx = view_form_page(rq, "Add a user", "users", e);
    view_breadcrumbs(ctx, "/", "Home", "/users", "Users", NULL);
    json_t *username = fld_input("username", "User name", f->username, e,
                                 "2 to 60 letters, numbers, dots, dashes or underscores, like j.smith");
    json_object_set_new(username, "spellcheck_off", json_true());
    fld_set(username, "autocomplete", "off");
    fld_set(username, "width_class", "govuk-input--width-20");
    json_t *name = fld_input("display_name", "Full name", f->display_name, e, NULL);
    fld_set(name, "autocomplete", "off");
    json_t *email = fld_input("email", "Email address (optional)", f->email, e, NULL);
    fld_set(email, "type", "email");
    fld_set(email, "autocomplete", "off");
    json_object_set_new(email, "spellcheck_off", json_true());
    /* The password is never sent back into the page. */
    json_t *pw = fld_input("password", "Password", "", e,
                           PASSWORD_ADVICE " Give it to the person in person or by phone, never by email.");
    fld_set(pw, "type", "password");
    fld_set(pw, "autocomplete", "new-password");
    fld_set(pw, "width_class", "govuk-!-width-one-half");
    json_t *detail = fld_input("detail", "Detail (optional)", g->detail, e,
                               "For a school lead, their post: head, deputy, senco or pastoral. For a practitioner, their service code.");
    fld_set(detail, "width_class", "govuk-input--width-10");
    json_object_set_new(detail, "spellcheck_off", json_true());
    json_object_set_new(ctx, "fields", json_pack("{s:o, s:o, s:o, s:o, s:o, s:o, s:o}", "username", username,
                                                 "display_name", name, "email", email, "password", pw, "role",
                                                 role, "place", place, "detail", detail));
    view_render(rq, rs, status, "user_form", ctx);
}

static void h_user_new(struct req *rq, struct resp *rs)
{
    struct user_form f = {"", "", "", ""};
    struct grant_form g = {"", "", ""};
    user_form(rq, rs, 200, &f, &g, NULL);
}

static void h_user_create(struct req *rq, struct resp *rs)
{
    struct svc_ctx c = req_svc_ctx(rq);
    struct user_form f = {req_param(rq, "username"), req_param(rq, "display_name"), req_param(rq, "email"),
                          req_param(rq, "password")};
    struct grant_form g = {req_param(rq, "role"), req_param(rq, "place"), req_param(rq, "detail")};
    struct field_errors e = {0};
    int64_t id = 0;
    enum svc_status st = svc_user_add(&c, &f, &g, &e, &id);
    enum save_next n = view_answer_save(rq, rs, st, &e);
    if (n == SAVE_FORM)
        user_form(rq, rs, 400, &f, &g, &e);
    if (n != SAVE_OK)
        return;
    rq->id = id;
    struct user_row u;
    if (rq->api && svc_user_get(&c, id, &u) != SVC_OK)
        view_svc_error(rq, rs, SVC_ERROR);
    else
        view_saved(rq, rs, 201, "user", rq->api ? user_json(&u) : NULL, "/users/%lld?saved=added", (long long)id);
}

/* ---- one user ------------------------------------------------------------ */

static void h_user_view(struct req *rq, struct resp *rs)
{
    struct svc_ctx c = req_svc_ctx(rq);
    struct user_row u;
    enum svc_status st = svc_user_get(&c, rq->id, &u);
    bool tf_on = false, tf_required = false;
    if (st == SVC_OK)
        st = svc_user_totp_status(&c, u.id, &tf_on, &tf_required);
    struct principal p;
    if (st == SVC_OK)
        st = svc_principal_load(rq->db, u.id, &p);
    if (view_failed(rq, rs, st))
        return;
    json_t *rec = user_json(&u);
    json_t *roles = json_array();
    for (size_t i = 0; i < p.ngrants; i++)
        json_array_append_new(roles, json_pack("{s:s, s:s, s:s, s:I, s:s}", "role", role_code(p.grants[i].role),
                                               "role_label", role_label(p.grants[i].role), "scope",
                                               scope_code(p.grants[i].scope), "scope_id",
                                               (json_int_t)p.grants[i].scope_id, "detail", p.grants[i].detail));
    json_object_set_new(rec, "roles", roles);
    json_object_set_new(rec, "two_factor", json_pack("{s:b, s:b}", "enabled", tf_on, "required", tf_required));
    if (rq->api) {
        view_json(rs, 200, json_pack("{s:o}", "user", rec));
        return;
    }
    json_t *ctx = view_page(rq, u.display_name, "users");
    view_breadcrumbs(ctx, "/", "Home", "/users", "Users", NULL);
    json_object_set_new(ctx, "u", rec);
    json_object_set_new(ctx, "is_self", json_boolean(u.id == rq->sess.user_id));
    json_object_set_new(ctx, "may_edit", json_boolean(svc_user_may(&c, ACT_EDIT, u.id) == SVC_OK));
    static const struct view_note saved[] = {
        {"disabled", "The account has been disabled and its sessions ended."},
        {"enabled", "The account has been enabled."},
        {"added", "The user has been added."},
        {"password", "The password has been set and the user's sessions ended."},
        {"email", "The e-mail address has been saved."},
        {"two-factor", "Two-factor authentication has been reset. The user sets it up again when they next sign in."},
        {NULL, NULL},
    };
    view_flash(ctx, view_note(rq, "saved", saved));
    view_render(rq, rs, 200, "user_view", ctx);
}

/* The answer to a change made to one user: the record (JSON) or its page. */
static void done(struct req *rq, struct resp *rs, enum svc_status st, const char *saved)
{
    if (st != SVC_OK) {
        if (st == SVC_CONFLICT)
            view_error(rq, rs, 409, "You cannot disable your own account",
                       "Ask another administrator to do this.");
        else
            view_svc_error(rq, rs, st);
        return;
    }
    if (rq->api)
        h_user_view(rq, rs);
    else
        view_saved(rq, rs, 200, "user", NULL, "/users/%lld?saved=%s", (long long)rq->id, saved);
}

static void set_disabled(struct req *rq, struct resp *rs, bool disabled)
{
    struct svc_ctx c = req_svc_ctx(rq);
    struct user_row u;
    enum svc_status st = svc_user_get(&c, rq->id, &u);
    if (st == SVC_OK)
        st = svc_user_set_disabled(&c, u.username, disabled);
    done(rq, rs, st, disabled ? "disabled" : "enabled");
}

static void h_user_disable(struct req *rq, struct resp *rs)
{
    set_disabled(rq, rs, true);
}

static void h_user_enable(struct req *rq, struct resp *rs)
{
    set_disabled(rq, rs, false);
}

static void h_user_totp_reset(struct req *rq, struct resp *rs)
{
    struct svc_ctx c = req_svc_ctx(rq);
    done(rq, rs, svc_user_totp_reset(&c, rq->id), "two-factor");
}

/* ---- a user's password and e-mail address ------------------------------- */

/* A form about one user: the page under Home > Users > the user, with the
 * form's one field. */
static void user_form_page(struct req *rq, struct resp *rs, int status, const char *title, const char *tmpl,
                           json_t *user, const struct user_row *u, const char *name, json_t *field,
                           const struct field_errors *e)
{
    json_t *ctx = view_page(rq, title, "users");
    char href[40];
    snprintf(href, sizeof href, "/users/%lld", (long long)u->id);
    view_breadcrumbs(ctx, "/", "Home", "/users", "Users", href, u->display_name, NULL);
    json_object_set_new(ctx, "u", user);
    view_set_errors(ctx, e);
    json_object_set_new(field, "spellcheck_off", json_true());
    json_object_set_new(ctx, "fields", json_pack("{s:o}", name, field));
    view_render(rq, rs, status, tmpl, ctx);
}

/* The user of the path, for a form that changes them: false (the error
 * page sent) when missing, hidden or not this user's to change. */
static bool user_for_edit(struct req *rq, struct resp *rs, struct user_row *u)
{
    struct svc_ctx c = req_svc_ctx(rq);
    enum svc_status st = svc_user_get(&c, rq->id, u);
    if (st == SVC_OK)
        st = svc_user_may(&c, ACT_EDIT, u->id);
    return !view_failed(rq, rs, st);
}

static void password_page(struct req *rq, struct resp *rs, int status, const struct user_row *u,
                          const struct field_errors *e)
{
    json_t *f = fld_input("password", "New password", "", e,
                          PASSWORD_ADVICE " Give it to the user in person or by phone, never by email.");
    fld_set(f, "type", "password");
    fld_set(f, "autocomplete", "new-password");
    fld_set(f, "width_class", "govuk-!-width-one-half");
    user_form_page(rq, rs, status, "Set a new password", "user_password", user_json(u), u, "password", f, e);
}

static void h_user_password_form(struct req *rq, struct resp *rs)
{
    struct user_row u;
    if (user_for_edit(rq, rs, &u))
        password_page(rq, rs, 200, &u, NULL);
}

static void h_user_password(struct req *rq, struct resp *rs)
{
    struct svc_ctx c = req_svc_ctx(rq);
    struct user_row u;
    struct field_errors e = {0};
    enum svc_status st = svc_user_get(&c, rq->id, &u);
    if (st == SVC_OK)
        st = svc_user_set_password(&c, u.username, req_param(rq, "password"), &e);
    if (st == SVC_INVALID) {
        if (rq->api)
            view_invalid_json(rs, &e);
        else
            password_page(rq, rs, 400, &u, &e);
        return;
    }
    done(rq, rs, st, "password");
}

static void email_page(struct req *rq, struct resp *rs, int status, const struct user_row *u, const char *value,
                       const struct field_errors *e)
{
    json_t *f = fld_input("email", "E-mail address", value, e,
                          "Invitations, reminders and password reset links go here. Leave it empty for none.");
    fld_set(f, "type", "email");
    fld_set(f, "autocomplete", "off");
    json_t *user = json_pack("{s:I, s:s, s:s}", "id", (json_int_t)u->id, "username", u->username, "display_name",
                             u->display_name);
    user_form_page(rq, rs, status, "Change the e-mail address", "user_email", user, u, "email", f, e);
}

static void h_user_email_form(struct req *rq, struct resp *rs)
{
    struct user_row u;
    if (user_for_edit(rq, rs, &u))
        email_page(rq, rs, 200, &u, u.email, NULL);
}

static void h_user_email(struct req *rq, struct resp *rs)
{
    struct svc_ctx c = req_svc_ctx(rq);
    struct field_errors e = {0};
    const char *email = req_param(rq, "email");
    enum svc_status st = svc_user_set_email(&c, rq->id, email, &e);
    struct user_row u;
    if (st == SVC_INVALID && !rq->api) {
        if (svc_user_get(&c, rq->id, &u) == SVC_OK) {
            email_page(rq, rs, 400, &u, email, &e);
            return;
        }
        st = SVC_ERROR;
    }
    if (view_answer_save(rq, rs, st, &e) != SAVE_OK)
        return;
    if (rq->api && view_failed(rq, rs, svc_user_get(&c, rq->id, &u)))
        return;
    view_saved(rq, rs, 200, "user",
               rq->api ? json_pack("{s:I, s:s, s:s}", "id", (json_int_t)u.id, "username", u.username, "email", u.email)
                       : NULL,
               "/users/%lld?saved=email", (long long)rq->id);
}

/* ---- live sessions ------------------------------------------------------- */

struct sessions_out {
    json_t *arr;
    const char *own;
};

static void collect_session(void *arg, const struct session_item *it)
{
    struct sessions_out *o = arg;
    json_t *s = json_pack("{s:s, s:{s:I, s:s, s:s}, s:I, s:I, s:b}", "handle", it->handle, "user", "id",
                          (json_int_t)it->user_id, "username", it->username, "display_name", it->display_name,
                          "created_at", (json_int_t)it->created_at, "last_seen_at", (json_int_t)it->last_seen_at,
                          "current", strcmp(it->handle, o->own) == 0);
    json_object_set_new(s, "created_text", time_text(it->created_at));
    json_object_set_new(s, "last_seen_text", time_text(it->last_seen_at));
    json_array_append_new(o->arr, s);
}

static void h_session_list(struct req *rq, struct resp *rs)
{
    struct svc_ctx c = req_svc_ctx(rq);
    struct sessions_out o = {json_array(), rq->sess.handle};
    if (view_failed_drop(rq, rs, svc_session_list(&c, &rq->app->auth, collect_session, &o), o.arr))
        return;
    json_t *ctx = view_answer_page(rq, rs, json_pack("{s:o}", "sessions", o.arr), "Signed-in sessions", "users", "/",
                                   "Home", "/users", "Users", NULL);
    if (!ctx)
        return;
    if (req_query(rq, "revoked"))
        view_flash(ctx, "The session has been ended.");
    view_render(rq, rs, 200, "session_list", ctx);
}

static void h_session_revoke(struct req *rq, struct resp *rs)
{
    struct svc_ctx c = req_svc_ctx(rq);
    if (!view_failed(rq, rs, svc_session_revoke(&c, req_param(rq, "handle"))))
        view_saved(rq, rs, 200, "revoked", json_true(), "/sessions?revoked=1");
}

/* ---- which roles must use two-factor authentication ---------------------- */

static json_t *roles_json(const bool require[ROLE__COUNT])
{
    json_t *arr = json_array();
    for (int r = 0; r < ROLE__COUNT; r++)
        if (require[r])
            json_array_append_new(arr, json_string(role_code((enum role)r)));
    return arr;
}

/* ?authority=N (or authority_id in a form), else the user's own. */
static int64_t security_authority(struct req *rq, struct svc_ctx *c)
{
    const char *a = req_query(rq, "authority");
    if (!a || !*a)
        a = req_param(rq, "authority_id");
    return svc_security_authority(c, parse_id(a));
}

static void security_page(struct req *rq, struct resp *rs, int status, int64_t authority,
                          const bool require[ROLE__COUNT], const struct field_errors *e, bool saved)
{
    json_t *ctx = view_page(rq, "Security settings", "users");
    json_object_set_new(ctx, "authority_id", json_integer((json_int_t)authority));
    json_object_set_new(ctx, "installation", json_boolean(authority == 0));
    view_breadcrumbs(ctx, "/", "Home", "/users", "Users", NULL);
    json_t *f = json_pack("{s:s, s:s, s:s, s:s}", "name", "require_totp", "id", "f-require_totp", "legend",
                          "Roles that must use two-factor authentication", "hint",
                          "People holding any of these roles must set up an authenticator app before they can use the service.");
    json_t *items = json_array();
    for (int r = 0; r < ROLE__COUNT; r++)
        json_array_append_new(items, json_pack("{s:s, s:s, s:b}", "value", role_code((enum role)r), "label",
                                               role_label((enum role)r), "checked", require[r]));
    json_object_set_new(f, "items", items);
    fld_set(f, "error", e ? field_errors_get(e, "require_totp") : NULL);
    json_object_set_new(ctx, "fields", json_pack("{s:o}", "require_totp", f));
    view_set_errors(ctx, e);
    if (saved)
        view_flash(ctx, "The security settings have been saved.");
    view_render(rq, rs, status, "security_settings", ctx);
}

static void h_security(struct req *rq, struct resp *rs)
{
    struct svc_ctx c = req_svc_ctx(rq);
    bool require[ROLE__COUNT];
    int64_t a = security_authority(rq, &c);
    if (view_failed(rq, rs, svc_security_get(&c, a, require)))
        return;
    if (rq->api)
        view_json(rs, 200, json_pack("{s:I, s:o}", "authority_id", (json_int_t)a, "require_two_factor",
                                     roles_json(require)));
    else
        security_page(rq, rs, 200, a, require, NULL, req_query(rq, "saved") != NULL);
}

static void h_security_save(struct req *rq, struct resp *rs)
{
    struct svc_ctx c = req_svc_ctx(rq);
    bool require[ROLE__COUNT] = {0};
    int64_t a = security_authority(rq, &c);
    const char *vals[ROLE__COUNT + 4];
    size_t n = req_param_all(rq, rq->api ? "require_two_factor" : "require_totp", vals, ROLE__COUNT + 4);
    struct field_errors e = {0};
    for (size_t i = 0; i < n; i++) {
        enum role r;
        if (role_from_code(vals[i], &r) == 0)
            require[r] = true;
        else if (!e.count)
            field_errors_add(&e, rq->api ? "require_two_factor" : "require_totp", "Choose roles from the list");
    }
    if (e.count) {
        if (rq->api)
            view_invalid_json(rs, &e);
        else
            security_page(rq, rs, 400, a, require, &e, false);
        return;
    }
    if (view_failed(rq, rs, svc_security_set(&c, a, require)))
        return;
    if (rq->api) {
        view_json(rs, 200, json_pack("{s:I, s:o}", "authority_id", (json_int_t)a, "require_two_factor",
                                     roles_json(require)));
        return;
    }
    char loc[64];
    snprintf(loc, sizeof loc, "/settings/security?saved=1&authority=%lld", (long long)a);
    resp_redirect(rs, a > 0 ? loc : "/settings/security?saved=1");
}

static const struct route users_routes[] = {
    {"GET", "/users", h_user_list, 0},
    {"GET", "/users/new", h_user_new, 0},
    {"POST", "/users", h_user_create, 0},
    {"GET", "/users/:id", h_user_view, 0},
    {"POST", "/users/:id/disable", h_user_disable, 0},
    {"POST", "/users/:id/enable", h_user_enable, 0},
    {"GET", "/users/:id/password", h_user_password_form, 0},
    {"POST", "/users/:id/password", h_user_password, 0},
    {"GET", "/users/:id/email", h_user_email_form, 0},
    {"POST", "/users/:id/email", h_user_email, 0},
    {"POST", "/users/:id/two-factor/reset", h_user_totp_reset, 0},
    {"GET", "/sessions", h_session_list, 0},
    {"POST", "/sessions/revoke", h_session_revoke, 0},
    {"GET", "/settings/security", h_security, 0},
    {"POST", "/settings/security", h_security_save, 0},

    {"GET", "/api/v1/users", h_user_list, ROUTE_CSV_OF(RES_USER)},
    {"POST", "/api/v1/users", h_user_create, 0},
    {"GET", "/api/v1/users/:id", h_user_view, 0},
    {"POST", "/api/v1/users/:id/disable", h_user_disable, 0},
    {"POST", "/api/v1/users/:id/enable", h_user_enable, 0},
    {"PUT", "/api/v1/users/:id/password", h_user_password, 0},
    {"PUT", "/api/v1/users/:id/email", h_user_email, 0},
    {"POST", "/api/v1/users/:id/two-factor/reset", h_user_totp_reset, 0},
    {"GET", "/api/v1/sessions", h_session_list, 0},
    {"POST", "/api/v1/sessions/revoke", h_session_revoke, 0},
    {"GET", "/api/v1/settings/security", h_security, 0},
    {"PUT", "/api/v1/settings/security", h_security_save, 0},
};

ROUTE_TABLE(users_table, users_routes);
