#include "web/view.h"
#include "lib/count.h"
#include "web/finding.h"
#include "web/form.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>
#include <time.h>

#include "core/calendar.h"
#include "core/policy.h"
#include "store/q_sessions.h"
#include "service/password.h"
#include "web/list_csv.h"
#include "web/records_json.h"
#include "web/tmpl.h"

static bool may(const struct req *rq, enum action a, enum resource_kind k)
{
    struct resource r = {.kind = k, .id = 0, .authority_id = 0, .school_id = 0};
    return policy_decide(&rq->sess.who, a, &r).allow;
}

/* Who sees an item of the navigation: anyone signed in, those who may list
 * its kind of record, or as below. */
enum nav_rule { NAV_ANYONE, NAV_LIST, NAV_FIGURES, NAV_EVALUATION, NAV_EXTRACT };

static const struct nav_entry {
    const char *href, *label, *section;
    enum nav_rule rule;
    enum resource_kind kind;
} nav_entries[] = {
    {"/", "Home", "home", NAV_ANYONE, RES_CASE},
    {"/work", "My work", "work", NAV_LIST, RES_CASE},
    {"/pupils", "Pupils", "pupils", NAV_LIST, RES_PUPIL},
    {"/cases", "Cases", "cases", NAV_LIST, RES_CASE},
    {"/teams", "Teams", "teams", NAV_LIST, RES_TEAM},
    {"/meetings", "Meetings", "meetings", NAV_LIST, RES_TEAM},
    {"/dashboard", "Dashboard", "dashboard", NAV_FIGURES, RES_AGGREGATE},
    {"/stories", "Change stories", "stories", NAV_LIST, RES_EVIDENCE},
    {"/schools", "Schools", "schools", NAV_LIST, RES_SCHOOL},
    {"/authorities", "Local authorities", "authorities", NAV_LIST, RES_AUTHORITY},
    {"/settings", "Settings", "settings", NAV_LIST, RES_REFERENCE},
    {"/break-glass", "Emergency access", "break-glass", NAV_LIST, RES_BREAK_GLASS},
    {"/audit", "Audit log", "audit", NAV_LIST, RES_AUDIT},
    {"/users", "Users", "users", NAV_LIST, RES_USER},
    {"/evaluation", "Evaluation", "evaluation", NAV_EVALUATION, RES_EVALUATION},
    {"/extract", "Extract", "extract", NAV_EXTRACT, RES_AGGREGATE},
    {"/budget", "Pooled budget", "budget", NAV_LIST, RES_BUDGET},
    {"/apst", "Taskforces", "apst", NAV_LIST, RES_APST},
};

static bool nav_shown(const struct req *rq, const struct nav_entry *n)
{
    struct visibility v;
    switch (n->rule) {
    case NAV_ANYONE:
        return true;
    case NAV_LIST:
        return may(rq, ACT_LIST, n->kind);
    case NAV_FIGURES:   /* figures are seen in a place (an authority, a school): any place will do */
        policy_visible(&rq->sess.who, n->kind, ACT_VIEW, &v);
        return v.all || v.nauthorities || v.nschools;
    case NAV_EVALUATION:
        policy_visible(&rq->sess.who, n->kind, ACT_VIEW, &v);
        return v.all || v.nauthorities;
    case NAV_EXTRACT:
        policy_visible(&rq->sess.who, n->kind, ACT_EXPORT, &v);
        return !policy_visible_none(&v);
    }
    return false;
}

json_t *view_page(struct req *rq, const char *title, const char *section)
{
    json_t *ctx = json_object();
    json_object_set_new(ctx, "page", json_pack("{s:s, s:s}", "title", title, "section",
                                               section ? section : ""));
    if (rq->signed_in) {
        json_object_set_new(ctx, "user", json_pack("{s:s, s:s}", "display_name",
                                                   rq->sess.display_name, "username",
                                                   rq->sess.username));
        json_object_set_new(ctx, "csrf", json_string(rq->sess.csrf));
        unsigned char raw[16];
        char token[33];
        randombytes_buf(raw, sizeof raw);
        sodium_bin2hex(token, sizeof token, raw, sizeof raw);
        json_object_set_new(ctx, "form_token", json_string(token));
        json_t *nav = json_array();
        for (size_t i = 0; i < COUNT(nav_entries); i++) {
            const struct nav_entry *n = &nav_entries[i];
            if (!nav_shown(rq, n))
                continue;
            json_t *item = json_pack("{s:s, s:s, s:b}", "href", n->href, "label", n->label, "current",
                                     section && strcmp(n->section, section) == 0);
            /* The home page shows a card for it (templates/home.html). */
            if (!strcmp(n->href, "/work"))
                json_object_set_new(item, "work_card", json_true());
            json_array_append_new(nav, item);
        }
        json_object_set_new(ctx, "nav", nav);
    }
    return ctx;
}

int64_t view_authority(struct req *rq)
{
    const char *a = req_query(rq, "authority_id");
    if (a && *a)
        return strtoll(a, NULL, 10);
    for (size_t i = 0; i < rq->sess.who.ngrants; i++)
        if (rq->sess.who.grants[i].authority_id > 0)
            return rq->sess.who.grants[i].authority_id;
    return 0;
}

bool view_denied(struct req *rq, struct resp *rs, bool allowed)
{
    return view_failed(rq, rs, allowed ? SVC_OK : SVC_FORBIDDEN);
}

bool view_failed_drop_n(struct req *rq, struct resp *rs, enum svc_status st, json_t *const *made, size_t n)
{
    for (size_t i = 0; st != SVC_OK && i < n; i++)
        json_decref(made[i]);
    return view_failed(rq, rs, st);
}

static void breadcrumbs_v(json_t *page, va_list ap)
{
    json_t *arr = json_array();
    for (;;) {
        const char *href = va_arg(ap, const char *);
        if (!href)
            break;
        const char *label = va_arg(ap, const char *);
        json_array_append_new(arr, json_pack("{s:s, s:s}", "href", href, "label", label));
    }
    json_object_set_new(page, "breadcrumbs", arr);
}

void view_breadcrumbs(json_t *page, ...)
{
    va_list ap;
    va_start(ap, page);
    breadcrumbs_v(page, ap);
    va_end(ap);
}

json_t *view_answer_page(struct req *rq, struct resp *rs, json_t *data, const char *title, const char *section,
                         ...)
{
    if (rq->api) {
        view_json(rs, 200, data);
        return NULL;
    }
    json_t *ctx = view_page(rq, title, section);
    va_list ap, first;
    va_start(ap, section);
    va_copy(first, ap);
    if (va_arg(first, const char *))
        breadcrumbs_v(ctx, ap);
    va_end(first);
    va_end(ap);
    json_object_update(ctx, data);
    json_decref(data);
    return ctx;
}

json_t *view_list_page(struct req *rq, struct resp *rs, const struct page_req *pg, int64_t total, const char *base,
                       const char *key, json_t *rows, json_t *api_more, const char *title, const char *section)
{
    json_t *paging = json_paging(pg->page, pg->per_page, total, base);
    if (rq->api) {
        json_object_del(paging, "pagination");
        json_object_set_new(paging, key, rows);
        if (api_more)
            json_object_update(paging, api_more);
        json_decref(api_more);
        view_json(rs, 200, paging);
        return NULL;
    }
    json_decref(api_more);
    json_t *ctx = title ? view_page(rq, title, section) : json_object();
    json_object_set_new(ctx, key, rows);
    json_t *links = json_object_get(paging, "pagination");
    if (links)
        json_object_set(ctx, "pagination", links);
    json_object_set_new(ctx, "paging", paging);
    return ctx;
}

void view_count_text(json_t *ctx, int64_t n, const char *one, const char *many)
{
    char text[80];
    snprintf(text, sizeof text, "%lld %s", (long long)n, n == 1 ? one : many);
    json_object_set_new(ctx, "count_text", json_string(text));
}

void view_set_errors(json_t *ctx, const struct field_errors *e)
{
    if (e && e->count)
        json_object_set_new(ctx, "errors", view_errors(e));
}

json_t *view_form_page(struct req *rq, const char *title, const char *section, const struct field_errors *e)
{
    json_t *ctx = view_page(rq, title, section);
    view_set_errors(ctx, e);
    return ctx;
}

void view_void_form(struct req *rq, struct resp *rs, int status, json_t *ctx, json_t *rec, const char *noun,
                    const char *back, const char *reason, const char *example, const struct field_errors *e)
{
    json_object_set_new(ctx, "record", rec);
    json_object_set_new(ctx, "noun", json_string(noun));
    view_set_printf(ctx, "form_action", "%s/void", back);
    json_object_set_new(ctx, "cancel_href", json_string(back));
    view_set_errors(ctx, e);
    json_object_set_new(ctx, "fields", json_pack("{s:o}", "void_reason",
                                                 fld_textarea("void_reason", "Why was it entered by mistake?",
                                                              reason, e, example)));
    view_render(rq, rs, status, "void_form", ctx);
}

void view_form_links(json_t *ctx, const char *base, int64_t id)
{
    char action[96], cancel[96];
    if (id) {
        snprintf(action, sizeof action, "%s/%lld/edit", base, (long long)id);
        snprintf(cancel, sizeof cancel, "%s/%lld", base, (long long)id);
    } else {
        snprintf(action, sizeof action, "%s", base);
        snprintf(cancel, sizeof cancel, "%s", base);
    }
    json_object_set_new(ctx, "action", json_string(action));
    json_object_set_new(ctx, "cancel_href", json_string(cancel));
    json_object_set_new(ctx, "editing", json_boolean(id != 0));
}

void view_set_printf(json_t *obj, const char *key, const char *fmt, ...)
{
    char text[256];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(text, sizeof text, fmt, ap);
    va_end(ap);
    json_object_set_new(obj, key, json_string(text));
}

void view_set_date_label(json_t *obj, const char *key, const char *iso)
{
    char label[32];
    date_label(iso, label, sizeof label);
    json_object_set_new(obj, key, json_string(label));
}

void view_flash(json_t *ctx, const char *text)
{
    if (text)
        json_object_set_new(ctx, "flash", json_pack("{s:b, s:s}", "success", 1, "text", text));
}

const char *view_note(const struct req *rq, const char *param, const struct view_note *notes)
{
    const char *v = req_query(rq, param);
    if (!v)
        return NULL;
    while (notes->code && strcmp(notes->code, v) != 0)
        notes++;
    return notes->text;
}

/* Sets each error's link to the focus target of the field it names, for
 * the fields on the page that have one (a date input's first box). */
static void link_errors(json_t *node, json_t *errs, int depth)
{
    if (depth > 8)
        return;
    if (json_is_array(node)) {
        size_t i;
        json_t *v;
        json_array_foreach(node, i, v)
            link_errors(v, errs, depth + 1);
        return;
    }
    if (!json_is_object(node) || node == errs)
        return;
    const char *name = json_string_value(json_object_get(node, "name"));
    const char *focus = json_string_value(json_object_get(node, "focus"));
    if (name && focus) {
        size_t i;
        json_t *e;
        json_array_foreach(errs, i, e) {
            const char *field = json_string_value(json_object_get(e, "field"));
            if (field && !strcmp(field, name)) {
                char href[80];
                snprintf(href, sizeof href, "#%s", focus);
                json_object_set_new(e, "href", json_string(href));
            }
        }
    }
    const char *key;
    json_t *v;
    json_object_foreach(node, key, v)
        if (v != errs)
            link_errors(v, errs, depth + 1);
}

void view_render(struct req *rq, struct resp *rs, int status, const char *tmpl, json_t *ctx)
{
    json_t *errs = json_object_get(ctx, "errors");
    if (json_is_array(errs) && json_array_size(errs) > 0)
        link_errors(ctx, errs, 0);
    json_object_set_new(ctx, "has_errors", json_boolean(errs && json_array_size(errs) > 0));
    finding_date_labels(ctx);   /* "4 December 2026" beside every date */
    char err[256];
    buf_reset(&rs->body);
    if (tmpl_render(rq->app->tmpl, tmpl, ctx, &rs->body, err, sizeof err) != 0) {
        fprintf(stderr, "template %s: %s\n", tmpl, err);
        rs->status = 500;
        rs->content_type = "text/plain; charset=utf-8";
        buf_reset(&rs->body);
        buf_puts(&rs->body, "Sorry, there is a problem with the service.\n");
    } else {
        rs->status = status;
        rs->content_type = "text/html; charset=utf-8";
    }
    json_decref(ctx);
}

int view_render_part(struct req *rq, const char *tmpl, json_t *ctx, struct buf *out)
{
    finding_date_labels(ctx);
    char err[256];
    int rc = tmpl_render(rq->app->tmpl, tmpl, ctx, out, err, sizeof err);
    if (rc != 0)
        fprintf(stderr, "template %s: %s\n", tmpl, err);
    json_decref(ctx);
    return rc;
}

void view_list_csv_link(struct req *rq, json_t *ctx, enum resource_kind k)
{
    struct svc_ctx c = req_svc_ctx(rq);
    if (!rq->signed_in || svc_list_exportable(&c, k) != SVC_OK)
        return;
    struct buf b = BUF_INIT;
    buf_puts(&b, rq->path);
    buf_puts(&b, ".csv");
    char sep = '?';
    for (size_t i = 0; i < rq->query.n; i++) {
        const struct kv *q = &rq->query.items[i];
        if (!strcmp(q->key, "page") || !strcmp(q->key, "per_page") || !q->val || !*q->val)
            continue;
        buf_putc(&b, sep);
        buf_urlenc(&b, q->key);
        buf_putc(&b, '=');
        buf_urlenc(&b, q->val);
        sep = '&';
    }
    json_object_set_new(ctx, "csv_href", json_string(buf_str(&b)));
    buf_free(&b);
}

/* A list asked for as CSV (web/list_csv.h): its rows instead of JSON. */
static bool answer_csv(struct resp *rs, json_t *data)
{
    const char *key = rs->csv_list, *k;
    const json_t *rows = json_object_get(data, key), *v;
    if (!json_is_array(rows)) {
        /* Named otherwise (/playbook holds "resources"): the one list in it. */
        size_t lists = 0;
        json_object_foreach(data, k, v)
            if (json_is_array(v))
                key = k, rows = v, lists++;
        if (lists != 1)
            return false;
    }
    json_int_t total = json_integer_value(json_object_get(data, "total"));
    buf_reset(&rs->body);
    rs->content_type = "text/csv; charset=utf-8";
    if (total > (json_int_t)json_array_size(rows)) {
        /* Never a file cut short without saying so. */
        char msg[160];
        snprintf(msg, sizeof msg, "This list has %lld rows, more than one file holds (%d). Narrow it with the "
                 "filters on the page first.\r\n", (long long)total, LIST_CSV_MAX_ROWS);
        rs->status = 413;
        rs->content_type = "text/plain; charset=utf-8";
        buf_puts(&rs->body, msg);
        return true;
    }
    list_csv_write(&rs->body, data, key);
    rs->status = 200;
    snprintf(rs->disposition, sizeof rs->disposition, "attachment; filename=\"tas-%s.csv\"", rs->csv_list);
    return true;
}

void view_json(struct resp *rs, int status, json_t *data)
{
    if (rs->csv_list && status == 200 && answer_csv(rs, data)) {
        json_decref(data);
        return;
    }
    char *s = json_dumps(data, JSON_COMPACT | JSON_ENSURE_ASCII);
    json_decref(data);
    buf_reset(&rs->body);
    if (!s) {
        rs->status = 500;
        buf_puts(&rs->body, "{\"error\":\"internal error\"}");
    } else {
        rs->status = status;
        buf_puts(&rs->body, s);
        free(s);
    }
    rs->content_type = "application/json";
}

void view_error(struct req *rq, struct resp *rs, int status, const char *title, const char *message)
{
    if (rq->api) {
        view_json(rs, status, json_pack("{s:s, s:i}", "error", message, "status", status));
        return;
    }
    json_t *ctx = view_page(rq, title, NULL);
    json_object_set_new(ctx, "message", json_string(message));
    view_render(rq, rs, status, "error", ctx);
}

void view_svc_error(struct req *rq, struct resp *rs, enum svc_status st)
{
    switch (st) {
    case SVC_FORBIDDEN:
        view_error(rq, rs, 403, "You cannot do this",
                   "Your role does not allow this. If you think it should, ask your administrator.");
        return;
    case SVC_NOT_FOUND:
        view_error(rq, rs, 404, "Page not found",
                   "There is no record at this address, or you do not have access to it.");
        return;
    case SVC_CONFLICT:
        view_error(rq, rs, 409, "This was changed by someone else",
                   "The record could not be saved because it conflicts with another. Go back and try again.");
        return;
    default:
        view_error(rq, rs, 500, "Sorry, there is a problem with the service",
                   "Nothing was saved. Try again later.");
        return;
    }
}

bool view_failed(struct req *rq, struct resp *rs, enum svc_status st)
{
    if (st != SVC_OK)
        view_svc_error(rq, rs, st);
    return st != SVC_OK;
}

json_t *view_errors(const struct field_errors *e)
{
    json_t *arr = json_array();
    for (size_t i = 0; i < e->count; i++) {
        char href[48];
        /* "#f-NAME"; view_render points it at a field's own focus target. */
        snprintf(href, sizeof href, "#f-%s", e->items[i].field);
        json_array_append_new(arr, json_pack("{s:s, s:s, s:s}", "field", e->items[i].field, "href",
                                             href, "message", e->items[i].message));
    }
    return arr;
}

void view_invalid_json(struct resp *rs, const struct field_errors *e)
{
    json_t *arr = view_errors(e);
    size_t i;
    json_t *v;
    json_array_foreach(arr, i, v) {
        json_object_del(v, "href");
        /* The API takes dates as one value; name the field it takes. */
        const char *f = json_string_value(json_object_get(v, "field"));
        if (f && strcmp(f, "dob") == 0)
            json_object_set_new(v, "field", json_string("date_of_birth"));
    }
    view_json(rs, 422, json_pack("{s:s, s:o}", "error", "invalid input", "errors", arr));
}

bool view_failed_json(struct req *rq, struct resp *rs, enum svc_status st, const struct field_errors *e)
{
    if (st != SVC_INVALID)
        return view_failed(rq, rs, st);
    view_invalid_json(rs, e);
    return true;
}

enum save_next view_answer_save(struct req *rq, struct resp *rs, enum svc_status st,
                                const struct field_errors *e)
{
    if (st == SVC_INVALID && !rq->api)
        return SAVE_FORM;
    return view_failed_json(rq, rs, st, e) ? SAVE_ANSWERED : SAVE_OK;
}

/* A token as view_page makes them: 32 lower-case hex digits. */
static bool token_shape(const char *t)
{
    size_t n = 0;
    for (; t[n]; n++)
        if (!((t[n] >= '0' && t[n] <= '9') || (t[n] >= 'a' && t[n] <= 'f')))
            return false;
    return n == 32;
}

/* A day: tokens are for one sitting at a form. */
#define FORM_TOKEN_KEEP_SECONDS 86400
/* How long a repeat waits for the first POST to finish, in 50 ms steps. */
#define FORM_TOKEN_WAIT_STEPS 100

bool form_once_begin(struct req *rq, struct resp *rs)
{
    rq->form_token[0] = '\0';
    const char *t = rq->api || !rq->signed_in ? NULL : req_param(rq, "form_token");
    if (!t || !token_shape(t))
        return false;
    int64_t user = rq->sess.user_id;
    enum store_rc rc = q_form_token_claim(rq->db, user, t, rq->now, rq->now - FORM_TOKEN_KEEP_SECONDS);
    if (rc == STORE_OK) {
        snprintf(rq->form_token, sizeof rq->form_token, "%s", t);
        return false;
    }
    if (rc != STORE_CONSTRAINT) {
        view_svc_error(rq, rs, SVC_ERROR);
        return true;
    }
    char loc[FORM_TOKEN_LOCATION_MAX];
    for (int i = 0; i < FORM_TOKEN_WAIT_STEPS; i++) {
        rc = q_form_token_location(rq->db, user, t, loc);
        if (rc == STORE_ROW && loc[0]) {
            resp_redirect(rs, loc);
            return true;
        }
        if (rc != STORE_ROW)   /* the first POST made nothing: this one may */
            return form_once_begin(rq, rs);
        nanosleep(&(struct timespec){0, 50 * 1000 * 1000}, NULL);
    }
    view_error(rq, rs, 409, "This form is still being sent",
               "The form was sent twice. Wait a moment, then check whether the record was saved.");
    return true;
}

void form_once_end(struct req *rq, const struct resp *rs)
{
    if (!rq->form_token[0])
        return;
    /* A POST that saved answers with a redirect to what it saved (the end
     * of view_saved, or of a change such as a guest added); anything else
     * (the form again, with its errors) made nothing. */
    if (rs->status == 303 && rs->location && strlen(rs->location) < FORM_TOKEN_LOCATION_MAX)
        (void)q_form_token_done(rq->db, rq->sess.user_id, rq->form_token, rs->location);
    else
        (void)q_form_token_release(rq->db, rq->sess.user_id, rq->form_token);
    rq->form_token[0] = '\0';
}

void view_saved(struct req *rq, struct resp *rs, int status, const char *kind, json_t *record,
                const char *fmt, ...)
{
    if (rq->api) {
        view_json(rs, status, json_pack("{s:o}", kind, record));
        return;
    }
    json_decref(record);
    char loc[160];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(loc, sizeof loc, fmt, ap);
    va_end(ap);
    resp_redirect(rs, loc);
}

const char *view_form_token(struct req *rq, struct resp *rs)
{
    const char *token = req_cookie(rq, CSRF_COOKIE(rq->app));
    if (!token || strlen(token) != 64) {
        char fresh[65];
        random_hex(fresh, 32);
        token = req_keep(rq, fresh);
        resp_add_cookie(rs, "%s=%s; Path=/; HttpOnly; SameSite=Strict%s", CSRF_COOKIE(rq->app), token,
                        rq->app->secure_cookies ? "; Secure" : "");
    }
    return token;
}
