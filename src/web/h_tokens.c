/* API tokens (service/svc_tokens.c, docs/api.md): the account page that
 * makes, lists and revokes them.  HTML only: a token cannot reach these
 * pages (dispatch.c accepts bearer tokens under /api/v1/ only), so a token
 * cannot make tokens.  The secret is shown once, on the answer to the POST
 * that made it, and never again. */
#include <stdio.h>
#include <sodium.h>
#include <string.h>

#include "core/calendar.h"
#include "service/svc_tokens.h"
#include "web/form.h"
#include "web/router.h"
#include "web/view.h"

static void add_item(json_t *field, const char *value, const char *label, const char *hint, const char *current)
{
    json_t *it = json_pack("{s:s, s:s, s:b}", "value", value, "label", label, "checked",
                           current && strcmp(current, value) == 0);
    if (hint)
        json_object_set_new(it, "item_hint", json_string(hint));
    json_array_append_new(json_object_get(field, "items"), it);
}

static void label_of(int64_t t, char *out, size_t n)
{
    char day[11];
    day_format((int32_t)(t / 86400), day);
    date_label(day, out, n);
}

struct listing {
    json_t *arr;
    int64_t now;
    const char *csrf;
};

static void add_token(void *arg, const struct api_token_row *r)
{
    struct listing *l = arg;
    char made[40], expires[40], used[40] = "";
    label_of(r->created_at, made, sizeof made);
    label_of(r->expires_at, expires, sizeof expires);
    if (r->last_used_at)
        label_of(r->last_used_at, used, sizeof used);
    bool live = !r->revoked_at && l->now < r->expires_at;
    json_t *o = json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:b, s:s}", "id", (json_int_t)r->id, "name", r->name,
                          "scope_label", strcmp(r->scope, "read") == 0 ? "Read only" : "Read and change",
                          "created_label", made, "expires_label", expires, "status_label",
                          r->revoked_at ? "Revoked" : live ? "Active" : "Expired", "live", live, "csrf", l->csrf);
    if (used[0])
        json_object_set_new(o, "last_used_label", json_string(used));
    json_array_append_new(l->arr, o);
}

static void render(struct req *rq, struct resp *rs, struct svc_ctx *c, int status, const struct token_form *f,
                   const struct field_errors *e, const char *made_name, const char *made_token, const char *flash)
{
    struct listing l = {json_array(), c->now, rq->sess.csrf};
    enum svc_status st = svc_token_list(c, add_token, &l);
    if (view_failed_drop(rq, rs, st, l.arr))
        return;
    json_t *ctx = view_page(rq, "API tokens", "account");
    view_breadcrumbs(ctx, "/", "Home", "/account", "Your account", NULL);
    json_object_set_new(ctx, "has_tokens", json_boolean(json_array_size(l.arr) > 0));
    json_object_set_new(ctx, "tokens", l.arr);
    view_set_errors(ctx, e);
    json_t *name = fld_input("name", "Name", f ? f->name : NULL, e,
                             "What the token is for, such as the system that will use it.");
    json_t *scope = fld_radios("scope", "What may it do?", e, 0);
    add_item(scope, "read", "Read only", "List and view what you may see; it cannot change anything.",
             f ? f->scope : NULL);
    add_item(scope, "write", "Read and change", "Everything you may do through the API.", f ? f->scope : NULL);
    json_t *days = fld_radios("days", "How long should it last?", e, 0);
    add_item(days, "30", "30 days", NULL, f ? f->days : NULL);
    add_item(days, "90", "90 days", NULL, f ? f->days : NULL);
    add_item(days, "366", "A year", NULL, f ? f->days : NULL);
    json_object_set_new(ctx, "fields", json_pack("{s:o, s:o, s:o}", "name", name, "scope", scope, "days", days));
    if (made_token)
        json_object_set_new(ctx, "made", json_pack("{s:s, s:s}", "name", made_name, "token", made_token));
    view_flash(ctx, flash);
    view_render(rq, rs, status, "account_tokens", ctx);
}

/* GET /account/tokens */
static void h_tokens(struct req *rq, struct resp *rs)
{
    struct svc_ctx c = req_svc_ctx(rq);
    const char *revoked = req_query(rq, "revoked");
    render(rq, rs, &c, 200, NULL, NULL, NULL, NULL,
           revoked ? "The token has been revoked. It no longer works." : NULL);
}

/* POST /account/tokens: the page again, with the new secret shown once. */
static void h_token_create(struct req *rq, struct resp *rs)
{
    struct svc_ctx c = req_svc_ctx(rq);
    struct token_form f = {req_param(rq, "name"), req_param(rq, "scope"), req_param(rq, "days")};
    struct field_errors e = {0};
    char token[API_TOKEN_LEN + 1];
    int64_t id = 0;
    enum svc_status st = svc_token_create(&c, &f, &e, token, &id);
    if (st == SVC_INVALID) {
        render(rq, rs, &c, 400, &f, &e, NULL, NULL, NULL);
        return;
    }
    if (view_failed(rq, rs, st))
        return;
    char name[API_TOKEN_NAME_MAX * 4];
    snprintf(name, sizeof name, "%s", f.name ? f.name : "");
    render(rq, rs, &c, 201, NULL, NULL, name, token, NULL);
    sodium_memzero(token, sizeof token);
}

/* POST /account/tokens/:id/revoke */
static void h_token_revoke(struct req *rq, struct resp *rs)
{
    struct svc_ctx c = req_svc_ctx(rq);
    if (view_failed(rq, rs, svc_token_revoke(&c, rq->id)))
        return;
    resp_redirect(rs, "/account/tokens?revoked=1");
}

static const struct route tokens_routes[] = {
    {"GET", "/account/tokens", h_tokens, 0},
    {"POST", "/account/tokens", h_token_create, 0},
    {"POST", "/account/tokens/:id/revoke", h_token_revoke, 0},
};

ROUTE_TABLE(tokens_table, tokens_routes);
